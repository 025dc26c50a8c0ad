# SPDX-License-Identifier: MIT
# The HTML report: its pieces on synthetic data (unit), real traced sessions rendered by Chromium
# (one report, one --compare of two sessions read from the DOM).
rs_integration_test(test_report 300 root bpf netns)
rs_integration_test(test_report_compare 300 root bpf netns)
rs_unit_test(test_report_html rs_analysis)
rs_unit_test(test_report_answer rs_analysis)
rs_unit_test(test_report_compare_tables rs_analysis)
rs_unit_test(test_report_legibility rs_analysis)
