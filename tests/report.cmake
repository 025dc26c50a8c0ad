# SPDX-License-Identifier: MIT
# The HTML report: its pieces on synthetic data (unit), a real traced session rendered by Chromium.
rs_integration_test(test_report 300 root bpf netns)
rs_unit_test(test_report_html rs_analysis)
rs_unit_test(test_report_answer rs_analysis)
rs_unit_test(test_report_legibility rs_analysis)
