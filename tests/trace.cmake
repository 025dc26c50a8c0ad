# SPDX-License-Identifier: MIT
# trace helper's tests: the trace file format (unit). The writer is compiled in directly so the
# test needs neither the BPF nor the probe libraries that rs_runner pulls in.
rs_unit_test(test_trace_format rs_analysis Threads::Threads)
target_sources(test_trace_format PRIVATE ${CMAKE_SOURCE_DIR}/runner/trace_writer.c)
