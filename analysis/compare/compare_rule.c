// SPDX-License-Identifier: MIT
/*
 * compare_rule - the verdicts' names and the sentence that says which rule gave a verdict and
 * with which figures: the text report prints it, JSON carries it as "rule" so that the HTML
 * report can print it too.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/compare/compare.h"

static const char *const verdict_names[] = {"same", "shift", "scale", "shape", "none"};

const char *compare_verdict_name(enum compare_verdict v)
{
	return (unsigned int)v <= COMPARE_NONE ? verdict_names[v] : "unknown";
}

/* A sentence being written: appends never overrun, a full buffer is cut. */
struct sentence {
	char *buf;
	size_t len, used;
};

static void __attribute__((format(printf, 2, 3))) say(struct sentence *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->used + 1 >= s->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->buf + s->used, s->len - s->used, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->used += (size_t)n < s->len - s->used ? (size_t)n : s->len - s->used - 1;
}

/*
 * say_effect - "p50 +48.6 us (99% interval +35.7..+61.6 us)", a log figure as factors
 * ("p99/p50 x1.52 (99% interval x1.31..x1.77)"); ns under 10 us, else us.
 */
static void say_effect(struct sentence *s, const struct compare_runlevel *rl, enum compare_figure f,
		       double confidence)
{
	const struct compare_effect *e = &rl->effects[f];
	double big = fmax(fabs(e->effect), fmax(fabs(e->low), fabs(e->high)));
	double div = big < 1e4 ? 1 : 1e3;
	int prec = big < 1e4 ? 0 : big < 1e5 ? 2 : 1;
	const char *unit = big < 1e4 ? "ns" : "us";

	if (compare_figure_is_log(f)) {
		say(s, "%s x%.3f (%g%% interval x%.3f..x%.3f)", compare_figure_name(f),
		    exp(e->effect), 100 * confidence, exp(e->low), exp(e->high));
		return;
	}
	say(s, "%s %+.*f %s (%g%% interval %+.*f..%+.*f %s)", compare_figure_name(f), prec,
	    e->effect / div, unit, 100 * confidence, prec, e->low / div, prec, e->high / div, unit);
}

/* first_differing - the first of @n figures from @f whose effect differs (@f if none). */
static enum compare_figure first_differing(const struct compare_runlevel *rl, enum compare_figure f,
					   int n)
{
	int i;

	for (i = 0; i < n; i++) {
		if (rl->effects[f + i].differs)
			return f + i;
	}
	return f;
}

/* say_family - "@f (...), @f+1 (...) and @f+2 (...)": @n figures from @f. */
static void say_family(struct sentence *s, const struct compare_runlevel *rl, enum compare_figure f,
		       int n, double confidence)
{
	int i;

	for (i = 0; i < n; i++) {
		say(s, "%s", !i ? "" : i + 1 < n ? ", " : " and ");
		say_effect(s, rl, f + i, confidence);
	}
}

/* say_clusters - what the spread was measured on: the runs, or blocks standing in for them. */
static void say_clusters(struct sentence *s, const struct compare_runlevel *rl)
{
	if (!rl->blocks) {
		say(s, "; spread from %zu runs of A and %zu of B", rl->clusters_a, rl->clusters_b);
		return;
	}
	say(s,
	    "; only %zu run(s) in A and %zu in B (fewer than %d): %zu and %zu blocks of "
	    "consecutive iterations stand in for runs, and may understate run-to-run spread",
	    rl->runs_a, rl->runs_b, COMPARE_MIN_RUNS, rl->clusters_a, rl->clusters_b);
}

void compare_rule(const struct compare_result *r, double alpha, char *buf, size_t len)
{
	const struct compare_runlevel *rl = &r->run;
	struct sentence s = {.buf = buf, .len = len};
	double c = 1.0 - alpha, p50 = rl->effects[COMPARE_P50].a;

	if (!len)
		return;
	buf[0] = 0;
	say(&s, "%s: ", compare_verdict_name(r->verdict));
	switch (r->verdict) {
	case COMPARE_NONE:
		say(&s,
		    "a side has fewer than 2 runs or blocks of %d samples: no run-to-run spread "
		    "to judge a difference by",
		    COMPARE_MIN_CLUSTER_SAMPLES);
		return;
	case COMPARE_SAME:
		say_family(&s, rl, COMPARE_P50, 1 + COMPARE_NUPPER, c);
		say(&s,
		    " (B - A of the clusters' means) each reach within the margin of 0: nothing "
		    "moved beyond the run-to-run spread");
		break;
	case COMPARE_SHIFT:
		say_effect(&s, rl, first_differing(rl, COMPARE_P50, 1 + COMPARE_NUPPER), c);
		say(&s, " moved, while ");
		say_family(&s, rl, COMPARE_TAIL90, COMPARE_NUPPER, c);
		say(&s, " reach within the margin of 0: the quantiles moved by one constant");
		break;
	case COMPARE_SCALE:
		say_effect(&s, rl, first_differing(rl, COMPARE_TAIL90, COMPARE_NUPPER), c);
		say(&s, " changed, while ");
		say_family(&s, rl, COMPARE_TAIL90_LOG, COMPARE_NUPPER, c);
		say(&s,
		    " reach within the margin of x1: the quantiles moved by one factor, x%.3f at "
		    "p50",
		    p50 ? (p50 + rl->effects[COMPARE_P50].effect) / p50 : NAN);
		break;
	default:
		say_effect(&s, rl, first_differing(rl, COMPARE_TAIL90, COMPARE_NUPPER), c);
		say(&s, " and ");
		say_effect(&s, rl, first_differing(rl, COMPARE_TAIL90_LOG, COMPARE_NUPPER), c);
		say(&s,
		    " changed: neither one constant nor one factor moves A's quantiles onto B's");
		break;
	}
	say_clusters(&s, rl);
}
