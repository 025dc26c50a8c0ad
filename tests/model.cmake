# SPDX-License-Identifier: MIT
# The report model: every builder's output against the schema, every printer run on it (unit).
rs_unit_test(test_report_model rs_runner rs_analysis)
target_sources(test_report_model PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/model_trace.c)
