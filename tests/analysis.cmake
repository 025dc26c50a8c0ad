# SPDX-License-Identifier: MIT
# analysis tests: statistics and the analyze report (unit); analyze and export on real traces.
rs_unit_test(test_stats rs_lib)
rs_unit_test(test_analyze_render rs_runner rs_analysis)
rs_unit_test(test_observer rs_runner rs_analysis)
rs_unit_test(test_histogram rs_analysis)
rs_integration_test(test_analyze 120 unit)
rs_integration_test(test_analyze_traced 120 root bpf)
