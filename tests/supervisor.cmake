# SPDX-License-Identifier: MIT
# The ring's supervisor, per-hop stamps and topology files: the parser (unit), rings from files
# in namespaces and the fault cases (root, netns).
rs_unit_test(test_topology_file rs_runner)
rs_integration_test(test_supervisor 300 root netns)
