# SPDX-License-Identifier: MIT
# analysis tests: statistics and the analyze report (unit); analyze and export on a real trace.
rs_unit_test(test_stats rs_analysis)
rs_unit_test(test_analyze_render rs_runner rs_analysis)
rs_integration_test(test_analyze 120 unit)
