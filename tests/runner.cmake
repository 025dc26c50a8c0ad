# SPDX-License-Identifier: MIT
# runner: the option layer (unit), the commands' tables (unit) and `ringscope run` end to end
# (root, netns).
rs_unit_test(test_cli rs_lib)
rs_unit_test(test_commands rs_runner)
rs_integration_test(test_run_basic 300 root)
rs_integration_test(test_run_netns 300 root netns)
rs_integration_test(test_run_kill 300 root netns)
