# SPDX-License-Identifier: MIT
# The trace file format: writer and reader on synthetic files, packed records and the events
# pass, and hostile traces (unit). tests/data/trace-corpus holds the committed hostile and valid
# traces, which are the fuzzer's seeds too.
rs_unit_test(test_trace_format rs_lib)
rs_unit_test(test_trace_packed rs_lib)
rs_unit_test(test_trace_hostile rs_lib)
rs_unit_test(test_gzstream rs_lib)
foreach(t test_trace_format test_trace_packed test_trace_hostile)
	target_sources(${t} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/trace_fixture.c)
endforeach()
target_compile_definitions(test_trace_hostile PRIVATE
	RS_CORPUS_DIR="${CMAKE_SOURCE_DIR}/tests/data/trace-corpus")
# The fuzz build of the reader (clang, libFuzzer) builds and runs a short while from the seeds.
add_test(NAME test_fuzz_trace_reader COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tools/fuzz_smoke.sh
	${CMAKE_SOURCE_DIR} ${CMAKE_BINARY_DIR}/fuzz)
set_tests_properties(test_fuzz_trace_reader PROPERTIES LABELS fuzz TIMEOUT 600
	SKIP_RETURN_CODE 77)
# Every command that reads a trace, on the committed hostile and valid traces (no root needed).
rs_integration_test(test_hostile_traces 300 unit)
