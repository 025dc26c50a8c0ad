# SPDX-License-Identifier: MIT
# The BPF tracer on the real kernel: needs root and BTF (skips with 77 otherwise).
rs_unit_test(test_tracer rs_bpf PkgConfig::LIBURING)
set_tests_properties(test_tracer PROPERTIES LABELS "root;bpf" TIMEOUT 120 RUN_SERIAL TRUE)
rs_unit_test(test_tracer_lifecycle rs_bpf)
set_tests_properties(test_tracer_lifecycle PROPERTIES LABELS "root;bpf" TIMEOUT 60 RUN_SERIAL TRUE)
# The TRACER chunk the runner writes from the tracer's status (unit: no tracer runs).
rs_unit_test(test_tracer_chunk rs_runner)
