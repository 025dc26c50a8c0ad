# SPDX-License-Identifier: MIT
# runner: the option layer and its number parsers (unit), the commands' tables (unit) and `ringscope run` end to end
# (root, netns).
rs_unit_test(test_cli rs_lib)
rs_unit_test(test_cli_numbers rs_lib)
rs_unit_test(test_commands rs_runner)
rs_integration_test(test_run_basic 300 root)
rs_integration_test(test_run_netns 300 root netns)
rs_integration_test(test_run_kill 300 root netns)
# test_help_docs: docs/cli shows each command's --help as the binary prints it now.
add_test(NAME test_help_docs COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_help_docs.py
	$<TARGET_FILE:ringscope> ${CMAKE_SOURCE_DIR})
set_tests_properties(test_help_docs PROPERTIES LABELS unit TIMEOUT 60)
rs_integration_test(test_install 120 unit)
