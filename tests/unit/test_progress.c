// SPDX-License-Identifier: MIT
/*
 * test_progress - the command's progress line: the ETA over every stage of the plan (the current
 * stage at its own rate, the stages to come at their kind's, a kind not timed yet named, none too
 * early, none counting the set-up before the first recorded iteration), its text, and the labels
 * of configurations.
 */
#include <stdio.h>
#include <string.h>

#include "probes/probe.h"
#include "probes/registry.h"
#include "runner/progress.h"
#include "runner/topology.h"
#include "tests/unit/check.h"

#define MS 1000000ULL
#define S  1000000000ULL

/* add_spaced - @n recorded iterations of the current stage from @t0, one every @step_ns. */
static uint64_t add_spaced(struct progress *p, uint64_t t0, unsigned int n, uint64_t step_ns)
{
	unsigned int i;

	for (i = 1; i <= n; i++)
		progress_add(p, t0 + i * step_ns, 1000.0);
	return t0 + n * step_ns;
}

/* eta_of - progress_eta of @p at @now into @eta, where every stage left can be timed. */
static bool eta_of(const struct progress *p, uint64_t now, double *eta)
{
	char untimed[64];
	bool timed = progress_eta(p, now, eta, untimed, sizeof(untimed));

	return timed && !*untimed;
}

/* label_of - progress_label of @probe with @members in @domains. */
static const char *label_of(const char *probe, unsigned int members, enum probe_domains domains,
			    const struct topology *topo)
{
	static char buf[PROGRESS_LABEL_LEN];
	struct probe_config cfg = {.probe = probe};

	if (probe_config_defaults(&cfg))
		return "(unknown probe)";
	cfg.members = members;
	cfg.domains = domains;
	cfg.topology = topo;
	progress_label(&cfg, buf, sizeof(buf));
	return buf;
}

/* The three ring configurations of a session are told apart; probes without members by name. */
static int test_label(void)
{
	struct topology topo = {0};

	EXPECT(!strcmp(label_of("null", 1, PROBE_DOMAINS_SINGLE, NULL), "null"));
	EXPECT(!strcmp(label_of("syscall", 1, PROBE_DOMAINS_SINGLE, NULL), "syscall"));
	EXPECT(!strcmp(label_of("ring", 1, PROBE_DOMAINS_SINGLE, NULL), "ring 1-hop"));
	EXPECT(!strcmp(label_of("ring", 3, PROBE_DOMAINS_SINGLE, NULL), "ring 3-hop"));
	EXPECT(!strcmp(label_of("ring", 3, PROBE_DOMAINS_NETNS, NULL), "ring 3-hop netns"));
	EXPECT(!strcmp(label_of("ring", 3, PROBE_DOMAINS_SINGLE, &topo), "ring topology"));
	return T_EXIT_PASS;
}

/* No ETA before the first iteration, nor after a few iterations over a short time. */
static int test_no_eta_too_early(void)
{
	struct progress p;
	double eta = -1;
	uint64_t t;

	progress_init(&p, false);
	progress_add_stage(&p, "ring 3-hop netns", 5, 10000, 0);
	progress_begin(&p, 0, 0);
	EXPECT(!eta_of(&p, 10 * S, &eta));
	t = add_spaced(&p, 10 * S, PROGRESS_ETA_MIN_DONE - 1, 10 * MS);
	EXPECT(!eta_of(&p, t, &eta)); /* too few iterations, though over 0.5 s */
	progress_init(&p, false);
	progress_add_stage(&p, "null", 5, 10000, 0);
	progress_begin(&p, 0, 0);
	t = add_spaced(&p, 10 * S, 5000, 1000);
	EXPECT(!eta_of(&p, t, &eta)); /* many iterations, over 5 ms only */
	progress_run_end(&p, 0, t);
	CHECK(eta_of(&p, t, &eta)); /* a whole run: its rate holds its set-up too */
	EXPECT(eta >= 0);
	return T_EXIT_PASS;
}

/*
 * The set-up before the first recorded iteration is no part of the rate (the netns ring's first
 * ETA once read 950:04): 30 s of set-up, then 1000 iterations at 1 ms.
 */
static int test_clock_starts_at_first_iteration(void)
{
	struct progress p;
	double eta = 0;
	uint64_t t;

	progress_init(&p, false);
	progress_add_stage(&p, "ring 3-hop netns", 2, 1000, 0);
	progress_begin(&p, 0, 0);
	t = add_spaced(&p, 30 * S, 1000, MS); /* the first at 30.001 s */
	CHECK(eta_of(&p, t, &eta));
	/* 999 intervals of 1 ms over 1000 iterations; 1000 to go */
	EXPECT_NEAR(eta, 1000 * 0.999e-3, 1e-6);
	return T_EXIT_PASS;
}

/*
 * The stages to come are in the ETA at the rate of their kind, scaled by weight; a kind not yet
 * timed is named, not guessed (a session's ETA read 0:12 at its vmexit probe, from the null
 * probe's rate, and the session took 55 s more: its rings are 300 times slower). The current
 * stage is at its own rate.
 */
static int test_eta_by_kind(void)
{
	struct progress p;
	double eta = 0, one;
	char untimed[64], text[96];
	uint64_t t;

	progress_init(&p, false);
	progress_add_stage(&p, "null", 2, 1000, 0);
	progress_add_stage(&p, "ring 1-hop", 2, 1000, 0);
	progress_add_stage(&p, "ring 3-hop", 1, 3000, 0);
	progress_add_stage(&p, "http", 1, 10, 0);
	progress_stage_kind(&p, 0, "null", 1);
	progress_stage_kind(&p, 1, "ring", 1);
	progress_stage_kind(&p, 2, "ring", 3);
	progress_stage_kind(&p, 3, "http", 1);
	progress_begin(&p, 0, 0);
	t = add_spaced(&p, S, 1000, MS);
	progress_run_end(&p, 0, t);
	/* the null probe's second run: it alone is timed; ring and http are named once each */
	CHECK(progress_eta(&p, t, &eta, untimed, sizeof(untimed)));
	EXPECT_NEAR(eta, 1000 * 0.999e-3, 1e-6);
	EXPECT(!strcmp(untimed, "ring, http"));
	progress_eta_string(&p, t, text, sizeof(text));
	EXPECT(!strcmp(text, "0:01 + ring, http, not timed yet"));
	t = add_spaced(&p, t, 1000, MS);
	progress_run_end(&p, 1, t);
	progress_end(&p);
	/* nothing left can be timed: no ETA, and the line says so */
	progress_begin(&p, 1, t);
	EXPECT(!progress_eta(&p, t, &eta, untimed, sizeof(untimed)));
	progress_eta_text(&p, t, text, sizeof(text));
	EXPECT(!strcmp(text, " (probe 2 of 4)"));
	/* the 1-hop ring at 10 ms an iteration times the 3-hop one at three times that */
	t = add_spaced(&p, t + S, 1000, 10 * MS);
	progress_run_end(&p, 0, t);
	CHECK(progress_eta(&p, t, &eta, untimed, sizeof(untimed)));
	one = (double)(t - (t - 1000 * 10 * MS + 10 * MS)) / 1000 / 1e9;
	EXPECT_NEAR(eta, 1000 * one + 3000 * 3 * one, 1e-6);
	EXPECT(!strcmp(untimed, "http"));
	return T_EXIT_PASS;
}

/* Skipped stages and the work a failed stage left are out of the ETA and of the count. */
static int test_skipped_and_ended(void)
{
	struct progress p;
	double eta = 0;
	char text[64];
	uint64_t t;

	progress_init(&p, false);
	progress_add_stage(&p, "null", 1, 1000, 0);
	progress_add_stage(&p, "ring 3-hop netns", 1, 1000000, 0);
	progress_add_stage(&p, "ring 3-hop", 2, 1000, 0);
	progress_skip(&p, 1);
	progress_begin(&p, 0, 0);
	progress_eta_text(&p, 0, text, sizeof(text));
	EXPECT(!strcmp(text, " (probe 1 of 2)"));
	t = add_spaced(&p, S, 500, MS); /* fails halfway */
	progress_run_end(&p, 0, t);
	progress_end(&p);
	progress_begin(&p, 2, t);
	CHECK(eta_of(&p, t, &eta));
	EXPECT_NEAR(eta, 2000 * 0.499 / 500, 1e-9);
	progress_eta_text(&p, t, text, sizeof(text));
	EXPECT(!strcmp(text, " (probe 2 of 2, ETA 0:02)"));
	return T_EXIT_PASS;
}

/*
 * A --duration stage: a run to come costs the lesser of its time and its iterations at the
 * rate, a slow probe its time, a fast one its cap.
 */
static int test_duration(void)
{
	struct progress p;
	double eta = 0;
	uint64_t t;

	progress_init(&p, false);
	progress_add_stage(&p, "ring 3-hop", 3, 100000, S);
	progress_begin(&p, 0, 0);
	progress_add(&p, S, 1000.0);
	t = add_spaced(&p, S, 50000, 20000); /* 20 us each: 1 s holds 50000 */
	progress_run_end(&p, 0, t);
	CHECK(eta_of(&p, t, &eta));
	EXPECT_NEAR(eta, 2.0, 1e-9); /* 2 runs of 1 s; 100000 x 20 us would be 2 s each */
	progress_init(&p, false);
	progress_add_stage(&p, "null", 3, 100000, S);
	progress_begin(&p, 0, 0);
	progress_add(&p, S, 45.0);
	t = add_spaced(&p, S, 99999, 1000); /* the cap after 0.1 s */
	progress_run_end(&p, 0, t);
	CHECK(eta_of(&p, t, &eta));
	EXPECT_NEAR(eta, 2 * 100000 * (0.099999 / 100000), 1e-9);
	return T_EXIT_PASS;
}

/* m:ss under an hour, h:mm:ss from an hour, rounded to the second. */
static int test_format(void)
{
	char buf[32];

	progress_format_eta(0, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "0:00"));
	progress_format_eta(59.6, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "1:00"));
	progress_format_eta(754.2, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "12:34"));
	progress_format_eta(3725, buf, sizeof(buf));
	EXPECT(!strcmp(buf, "1:02:05"));
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(label),
	    CHECK_CASE(no_eta_too_early),
	    CHECK_CASE(clock_starts_at_first_iteration),
	    CHECK_CASE(eta_by_kind),
	    CHECK_CASE(skipped_and_ended),
	    CHECK_CASE(duration),
	    CHECK_CASE(format),
	};

	return CHECK_RUN(cases);
}
