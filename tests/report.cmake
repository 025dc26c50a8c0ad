# SPDX-License-Identifier: MIT
# The HTML report of a real traced session, rendered by headless Chromium.
rs_integration_test(test_report 300 root bpf netns)
