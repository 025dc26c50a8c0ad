# SPDX-License-Identifier: MIT
# The ring probe: its message format, which members share a CPU, and its resynchronisation on a
# loopback ring (unit), and every io and connection mode end to end (root).
rs_unit_test(test_ring_msg rs_probes)
rs_unit_test(test_uring_tag rs_probes)
rs_unit_test(test_placement rs_probes)
rs_unit_test(test_ring_resync rs_runner)
rs_integration_test(test_ring_modes 900 root netns)
rs_integration_test(test_ring_signals 300 root)
