# SPDX-License-Identifier: MIT
# patterns helper's tests: lines, drifts, modes, confidence on synthetic data; the flush period of a
# real syscall probe through analyze (unit: no root needed).
rs_unit_test(test_patterns rs_analysis)
rs_integration_test(test_patterns_syscall 120 unit)
rs_unit_test(test_patterns_bursts rs_analysis)
foreach(t test_patterns test_patterns_bursts)
	target_sources(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/synth_patterns.c)
endforeach()
