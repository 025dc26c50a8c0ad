# SPDX-License-Identifier: MIT
# The progress line of run and session: its ETA and labels (unit), drawn on a terminal (root).
rs_unit_test(test_progress rs_runner)
rs_integration_test(test_progress_tty 300 root netns)
