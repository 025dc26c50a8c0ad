# SPDX-License-Identifier: MIT
# analysis helper's tests: statistics (unit).
rs_unit_test(test_stats rs_analysis)
rs_unit_test(test_analyze_render rs_runner rs_analysis)
