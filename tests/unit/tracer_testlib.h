/* SPDX-License-Identifier: MIT */
/*
 * tracer_testlib - what the tracer's tests on the real kernel share: collecting the records,
 * opening a tracer, and a runner that skips (77) without root or BTF.
 */
#ifndef RINGSCOPE_TESTS_TRACER_TESTLIB_H
#define RINGSCOPE_TESTS_TRACER_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bpf/tracer_loader.h"
#include "tests/unit/check.h"

/* The records a tracer handed over. */
struct collect {
	struct tracer_event *ev;
	size_t n, cap;
};

/* collect_events / count_events - on_events callbacks into a struct collect / a size_t. */
int collect_events(void *ctx, const struct tracer_event *ev, size_t n);
int count_events(void *ctx, const struct tracer_event *ev, size_t n);

/* now_ns - CLOCK_MONOTONIC, the records' clock. */
uint64_t now_ns(void);

/*
 * open_tracer - a tracer on @cpus (@ncpus == 0: all) with events into @c (NULL: only counted
 * into @count), lean unless @full; NULL (and a message) on failure.
 */
struct tracer *open_tracer(struct collect *c, size_t *count, bool full, const int *cpus, int ncpus);

/* tracer_test_run - skip without root or the kernel's BTF, else check_run() @n @cases. */
int tracer_test_run(const struct check_case *cases, size_t n);

#endif
