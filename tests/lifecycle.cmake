# SPDX-License-Identifier: MIT
# The io_uring lifecycle of the ring's hops: the split on a synthetic ring (unit) and on the real
# kernel, one CPU against two (root).
rs_unit_test(test_lifecycle rs_analysis)
rs_unit_test(test_lifecycle_sock rs_analysis)
rs_integration_test(test_lifecycle_kernel 180 root bpf)
