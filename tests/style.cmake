# SPDX-License-Identifier: MIT
# The shape of the tree: includes between folders exactly as docs/architecture.md draws them (no
# cycle), no two modules (objects) of a library that need each other, and every C file laid out
# by the repo's .clang-format (unit: no root needed).
add_test(NAME test_floors COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_floors.py
	${CMAKE_SOURCE_DIR})
add_test(NAME test_modules COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_modules.py
	$<TARGET_FILE:rs_lib> $<TARGET_FILE:rs_probes> $<TARGET_FILE:rs_bpf>
	$<TARGET_FILE:rs_analysis> $<TARGET_FILE:rs_runner>)
add_test(NAME test_format COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_format.sh
	${CMAKE_SOURCE_DIR})
set_tests_properties(test_floors test_modules test_format PROPERTIES LABELS unit TIMEOUT 120
	SKIP_RETURN_CODE 77)
