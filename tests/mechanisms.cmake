# SPDX-License-Identifier: MIT
# mechanisms helper's tests: the mechanism cost table on synthetic events, and the decomposition
# of a compared quantile by mechanism on synthetic sides (unit).
rs_unit_test(test_mechanisms rs_analysis)
rs_unit_test(test_compare_mechanisms rs_analysis)
rs_integration_test(test_compare_by_mechanism 300 root bpf)
