# SPDX-License-Identifier: MIT
# The trace file format: writer and reader on synthetic files (unit).
rs_unit_test(test_trace_format rs_lib)
