# SPDX-License-Identifier: MIT
# attribution helper's tests: spike detection and per-spike attribution (unit), null tests and
# injected causes (root).
rs_unit_test(test_spikes rs_analysis)
rs_unit_test(test_attribution rs_analysis)
rs_unit_test(test_attribution_hv rs_analysis)
rs_unit_test(test_attribution_pairing rs_analysis)
rs_unit_test(test_attribution_grid rs_analysis)
rs_integration_test(test_null_tests 300 root bpf)
rs_integration_test(test_attribution_inject 300 root bpf)
rs_integration_test(test_attribution_net 300 root bpf netns)
