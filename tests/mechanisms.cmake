# SPDX-License-Identifier: MIT
# mechanisms helper's tests: the mechanism cost table on synthetic events (unit).
rs_unit_test(test_mechanisms rs_analysis)
