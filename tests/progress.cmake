# SPDX-License-Identifier: MIT
# The progress line of run and session: its ETA and labels (unit), drawn on a terminal (root).
rs_unit_test(test_progress rs_runner)
rs_integration_test(test_progress_tty 300 root netns)
rs_unit_test(test_spike_marker rs_runner)
rs_integration_test(test_trace_marker 300 root)
rs_integration_test(test_duration 300 root netns)
