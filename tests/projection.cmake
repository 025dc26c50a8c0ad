# SPDX-License-Identifier: MIT
# the host-free projection (issue 14.4): synthetic spikes with known host time (unit).
rs_unit_test(test_projection rs_analysis)
# compare --project: a projection that matches B, and one whose missing mechanism is named (unit).
rs_unit_test(test_compare_project rs_analysis)
# the projection's critical path (issue 14.4): synthetic waits and host intervals whose overlap is
# known, the max rule against a spike's attribution, a ring's hops as waits (unit).
rs_unit_test(test_projection_path rs_analysis)
# and on the real kernel: a 2-hop ring across two vCPUs projects p50 below the guest's, on one
# vCPU it does not move (root).
rs_integration_test(test_projection_path_kernel 180 root bpf)
