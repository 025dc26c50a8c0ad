# SPDX-License-Identifier: MIT
# compare tests: the statistics and verdicts on known answers (unit); compare on real traces.
rs_unit_test(test_compare rs_analysis)
rs_unit_test(test_compare_runs rs_analysis)
rs_integration_test(test_compare_cli 180 root)
rs_integration_test(test_compare_project_cli 240 root bpf)
