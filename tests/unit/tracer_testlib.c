// SPDX-License-Identifier: MIT
/* tracer_testlib - what the tracer's tests on the real kernel share (tracer_testlib.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/tracer_testlib.h"

int collect_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct collect *c = ctx;
	struct tracer_event *grown;

	if (c->n + n > c->cap) {
		c->cap = (c->n + n) * 2;
		grown = realloc(c->ev, c->cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		c->ev = grown;
	}
	memcpy(c->ev + c->n, ev, n * sizeof(*ev));
	c->n += n;
	return 0;
}

int count_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	*(size_t *)ctx += n;
	return 0;
}

/* log_line - the tracer's notes, shown with TEST_TRACER_VERBOSE set. */
static void log_line(const char *line)
{
	if (getenv("TEST_TRACER_VERBOSE"))
		fprintf(stderr, "%s\n", line);
}

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct tracer *open_tracer(struct collect *c, size_t *count, bool full, const int *cpus, int ncpus)
{
	struct tracer_opts o = {.cpus = cpus,
				.ncpus = ncpus,
				.on_log = log_line,
				.detail = full ? TRACER_DETAIL_FULL : TRACER_DETAIL_LEAN};
	struct tracer *t;
	char err[256];
	int ret;

	o.on_events = c ? collect_events : count_events;
	o.ctx = c ? (void *)c : (void *)count;
	ret = tracer_open(&o, &t, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "tracer_open: %d: %s\n", ret, err);
		return NULL;
	}
	return t;
}

int tracer_test_run(const struct check_case *cases, size_t n)
{
	if (geteuid() != 0)
		return check_skip("the tracer needs root");
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return check_skip("no kernel BTF (/sys/kernel/btf/vmlinux)");
	return check_run(cases, n);
}
