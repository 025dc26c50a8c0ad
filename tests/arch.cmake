# SPDX-License-Identifier: MIT
# lib/arch: the per-architecture tables against the kernel's numbers, and a trace analysed by its
# recorded architecture.
rs_unit_test(test_arch rs_analysis)
target_sources(test_arch PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/arch_uapi.c
	${CMAKE_CURRENT_SOURCE_DIR}/unit/synth_trace.c)
