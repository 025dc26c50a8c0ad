# SPDX-License-Identifier: MIT
# patterns helper's tests: periodic lines, drifts, modes, confidence on synthetic data (unit).
rs_unit_test(test_patterns rs_analysis)
