# SPDX-License-Identifier: MIT
# platform: the timing core, the platform fingerprint and capabilities, `ringscope doctor`.
rs_unit_test(test_timing rs_lib)
rs_unit_test(test_platform rs_runner)
rs_unit_test(test_platform_kernel rs_runner)
rs_integration_test(test_doctor 120 root)
