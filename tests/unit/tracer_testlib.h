/* SPDX-License-Identifier: MIT */
/*
 * tracer_testlib - what the tracer's tests on the real kernel share: collecting the records,
 * opening a tracer, reading its JSON status, and a main that skips (77) without root or BTF.
 */
#ifndef RINGSCOPE_TESTS_TRACER_TESTLIB_H
#define RINGSCOPE_TESTS_TRACER_TESTLIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bpf/tracer_loader.h"

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s: check failed: %s\n", __func__, #cond);                \
			ok = false;                                                                \
		}                                                                                  \
	} while (0)

/* The records a tracer handed over. */
struct collect {
	struct tracer_event *ev;
	size_t n, cap;
};

/* A test case: its name (test_<name>) and function. */
struct tracer_test {
	const char *name;
	bool (*fn)(void);
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

/* json_int - integer @key of @o, or -1. */
int64_t json_int(struct json_object *o, const char *key);

/* json_list_has - whether array @key of @st holds @name (a string, or an object's "name"). */
bool json_list_has(struct json_object *st, const char *key, const char *name);

/* tracer_test_main - run @n tests after the root and BTF checks: exit 0, 1 (a failure) or 77. */
int tracer_test_main(const struct tracer_test *tests, size_t n);

#endif
