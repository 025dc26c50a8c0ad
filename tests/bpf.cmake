# SPDX-License-Identifier: MIT
# The BPF tracer on the real kernel: needs root and BTF (skips with 77 otherwise).
rs_unit_test(test_tracer rs_bpf PkgConfig::LIBURING)
target_sources(test_tracer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/tracer_testlib.c)
set_tests_properties(test_tracer PROPERTIES LABELS "root;bpf" TIMEOUT 120 RUN_SERIAL TRUE)
# The hypervisor's evidence (IPIs, timers, idle, silent CPUs, names, the tracer's own time).
rs_unit_test(test_tracer_hv rs_bpf test_spin_skel PkgConfig::LIBBPF Threads::Threads)
target_sources(test_tracer_hv PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/tracer_testlib.c)
set_tests_properties(test_tracer_hv PROPERTIES LABELS "root;bpf" TIMEOUT 120 RUN_SERIAL TRUE)
# The consumer: asleep until its mark (no timer), its time on traced CPUs a TRACER record.
rs_unit_test(test_tracer_consumer rs_bpf)
target_sources(test_tracer_consumer PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/tracer_testlib.c)
set_tests_properties(test_tracer_consumer PROPERTIES LABELS "root;bpf" TIMEOUT 60 RUN_SERIAL TRUE)
rs_unit_test(test_tracer_lifecycle rs_bpf)
target_sources(test_tracer_lifecycle PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit/tracer_testlib.c)
set_tests_properties(test_tracer_lifecycle PROPERTIES LABELS "root;bpf" TIMEOUT 60 RUN_SERIAL TRUE)
# The TRACER chunk the runner writes from the tracer's status (unit: no tracer runs).
rs_unit_test(test_tracer_chunk rs_runner)
