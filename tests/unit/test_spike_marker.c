// SPDX-License-Identifier: MIT
/*
 * test_spike_marker - --trace-marker without tracefs: the threshold is analyze's spike rule over
 * the warm-up, and the lines go to the marker's file (a pipe here) as it happens (`now`) or at
 * the run's end (`run-end`), one line per spike above the threshold, none at or under it.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "probes/registry.h"
#include "runner/spike_marker.h"
#include "tests/unit/check.h"

/* The largest of median + 6 MAD, 1.5 x median and median + 1 us wins, rounded up. */
static int test_threshold(void)
{
	double v[100];
	size_t i;

	for (i = 0; i < 100; i++)
		v[i] = 1000;
	EXPECT(spike_marker_threshold(v, SPIKE_MARKER_MIN_WARMUP - 1) == 0);
	EXPECT(spike_marker_threshold(v, 100) == 2000); /* median + 1 us */
	for (i = 0; i < 100; i++)
		v[i] = i % 2 ? 99000 : 101000;
	EXPECT(spike_marker_threshold(v, 100) == 150000); /* 1.5 x median */
	for (i = 0; i < 100; i++)
		v[i] = i % 2 ? 10000 : 30000.5;
	EXPECT(spike_marker_threshold(v, 100) == 80002); /* 20000.25 + 6 x 10000.25 */
	return T_EXIT_PASS;
}

/* marker_on_pipe - a marker of @when writing into a fresh pipe (@fds), its threshold from 1 us. */
static int marker_on_pipe(struct spike_marker *m, enum spike_marker_when when, int fds[2])
{
	struct probe_config cfg = {.probe = "ring"};
	unsigned int i;

	memset(m, 0, sizeof(*m));
	if (pipe2(fds, O_NONBLOCK) || probe_config_defaults(&cfg))
		return -1;
	cfg.members = 3;
	m->fd = fds[1];
	m->when = when;
	spike_marker_probe(m, 5, &cfg);
	for (i = 0; i < 50; i++)
		spike_marker_warmup(m, 1000);
	spike_marker_run_begins(m);
	return m->threshold_ns == 2000 ? 0 : -1;
}

/* drain - what the pipe holds, as a string. */
static const char *drain(int fd)
{
	static char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static int test_now(void)
{
	struct spike_marker m;
	int fds[2];

	CHECK(!marker_on_pipe(&m, SPIKE_MARKER_NOW, fds));
	spike_marker_check(&m, 2, 7, 2000, 111); /* at the threshold: no spike */
	EXPECT(!strcmp(drain(fds[0]), ""));
	spike_marker_check(&m, 2, 8, 2001, 222);
	EXPECT(!strcmp(drain(fds[0]),
		       "ringscope_spike: probe_id=5 probe=\"ring 3-hop\" run=2 "
		       "iteration=8 latency_ns=2001 threshold_ns=2000 mono_ns=222\n"));
	EXPECT(m.written == 1 && m.npending == 0);
	close(fds[0]);
	close(fds[1]);
	return T_EXIT_PASS;
}

static int test_run_end(void)
{
	struct spike_marker m;
	unsigned int i;
	int fds[2];

	CHECK(!marker_on_pipe(&m, SPIKE_MARKER_RUN_END, fds));
	spike_marker_check(&m, 0, 3, 5000, 333);
	spike_marker_check(&m, 0, 4, 1500, 444);
	EXPECT(!strcmp(drain(fds[0]), "")); /* nothing during the run */
	spike_marker_run_ends(&m, 0);
	EXPECT(!strcmp(drain(fds[0]),
		       "ringscope_spike: probe_id=5 probe=\"ring 3-hop\" run=0 "
		       "iteration=3 latency_ns=5000 threshold_ns=2000 mono_ns=333\n"));
	for (i = 0; i < SPIKE_MARKER_PENDING + 3; i++)
		spike_marker_check(&m, 1, i, 9000, i);
	EXPECT(m.npending == SPIKE_MARKER_PENDING && m.dropped == 3);
	close(fds[0]);
	close(fds[1]);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(threshold),
	    CHECK_CASE(now),
	    CHECK_CASE(run_end),
	};

	return CHECK_RUN(cases);
}
