# SPDX-License-Identifier: MIT
# The main job, `ringscope session`, end to end.
rs_integration_test(test_session 300 root bpf netns)
