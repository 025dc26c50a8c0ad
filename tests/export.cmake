# SPDX-License-Identifier: MIT
# export tests: a traced run exported as Chrome trace-event JSON (Perfetto) and as event CSV.
rs_integration_test(test_export_perfetto 180 root bpf)
rs_integration_test(test_export_perfetto_tp 300 root bpf)
rs_unit_test(test_export rs_runner rs_analysis)
target_sources(test_export PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/synth_trace.c)
# the structural check of a Perfetto export, shown to name each fault put into a good one
add_test(NAME test_check_perfetto_export COMMAND python3
	${CMAKE_CURRENT_SOURCE_DIR}/tools/test_check_perfetto_export.py)
set_tests_properties(test_check_perfetto_export PROPERTIES LABELS unit TIMEOUT 60)
