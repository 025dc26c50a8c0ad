# SPDX-License-Identifier: MIT
# The ring's supervisor, per-hop stamps and topology files (root, netns).
rs_integration_test(test_supervisor 300 root netns)
