/* SPDX-License-Identifier: MIT */
/*
 * progress - one progress line for a whole command (`run`: one stage, `session`: one stage per
 * probe configuration): the configuration, its run and iteration, an ETA over every stage still
 * to come, and the p50/p99 of a window of recent samples. On a terminal the line is rewritten in
 * place; elsewhere the session's own "measuring" lines carry the ETA (progress_eta_text).
 *
 * Where it draws: only between a run's end and the next run's start (progress_run_end), never
 * between the timed iterations of a run, so no write of it can fall near a timed window
 * (docs/cli/session.md, "Progress", has the measurement behind that choice).
 */
#ifndef RINGSCOPE_PROGRESS_H
#define RINGSCOPE_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROGRESS_WINDOW	    2048 /* recent samples the running percentiles use */
#define PROGRESS_MAX_STAGES 16
#define PROGRESS_LABEL_LEN  48
/* No ETA before a stage has timed this many iterations and this long, or finished a run. */
#define PROGRESS_ETA_MIN_DONE 200
#define PROGRESS_ETA_MIN_NS   500000000ULL

#define PROGRESS_KIND_LEN 16

/* progress_stage - one probe configuration of the plan and what of it is done. */
struct progress_stage {
	char label[PROGRESS_LABEL_LEN];
	char kind[PROGRESS_KIND_LEN];  /* the probe: a stage's rate predicts its kind's (""-kinds
					  too) */
	unsigned int weight;	       /* an iteration's cost against its kind's: ring members */
	unsigned int runs, iterations; /* the plan: runs x iterations recorded */
	uint64_t run_ns;	       /* --duration: a run ends after this, or at its iterations */
	bool skipped;		       /* it will not run (its work is out of the ETA) */
	bool ended;		       /* it ran (or failed): what it did not do will not be done */
	unsigned int runs_done;
	uint64_t done;	   /* recorded iterations */
	uint64_t first_ns; /* CLOCK_MONOTONIC of its first recorded iteration; 0 before */
	uint64_t last_ns;  /* the end of its last run; 0 before */
};

struct progress {
	bool tty; /* rewrite a line on stderr */
	unsigned int nstages, cur;
	struct progress_stage stages[PROGRESS_MAX_STAGES];
	double window[PROGRESS_WINDOW];
	double sorted[PROGRESS_WINDOW]; /* scratch for the percentiles of a redraw */
	unsigned int wlen, wpos;
};

/* progress_init - an empty plan; @tty: draw the line on stderr. */
void progress_init(struct progress *p, bool tty);

/*
 * progress_add_stage - append a stage @label of @runs x @iterations (@run_ns: each run ends
 * after this time or its iterations, 0: its iterations) to the plan. Returns its index, or
 * -ENOSPC past PROGRESS_MAX_STAGES (the stage is then not shown).
 */
int progress_add_stage(struct progress *p, const char *label, unsigned int runs,
		       unsigned int iterations, uint64_t run_ns);

/*
 * progress_stage_kind - stage @i measures probe @kind with iterations @weight times as costly as
 * the kind's weight 1 (a ring's members): until it has timed itself, its ETA is the last timed
 * stage of its kind's rate, scaled. Without it a stage is of kind "" and weight 1.
 */
void progress_stage_kind(struct progress *p, unsigned int i, const char *kind, unsigned int weight);

/* progress_skip - stage @i will not run: its work leaves the ETA. */
void progress_skip(struct progress *p, unsigned int i);

/* progress_begin - stage @i starts at @now_ns (the stages before it ended): a first line. */
void progress_begin(struct progress *p, unsigned int i, uint64_t now_ns);

/*
 * progress_add - one recorded iteration of the current stage, ended at @now_ns; @latency_ns for
 * the percentiles, negative for an iteration the probe called bad (counted, not kept).
 */
static inline void progress_add(struct progress *p, uint64_t now_ns, double latency_ns)
{
	struct progress_stage *s = &p->stages[p->cur];

	if (!s->first_ns)
		s->first_ns = now_ns;
	s->done++;
	if (latency_ns < 0)
		return;
	p->window[p->wpos] = latency_ns;
	p->wpos = (p->wpos + 1) % PROGRESS_WINDOW;
	if (p->wlen < PROGRESS_WINDOW)
		p->wlen++;
}

/*
 * progress_run_end - run @run of the current stage ended at @now_ns: count it and redraw the
 * line (this is where it draws: between runs, outside every timed window).
 */
void progress_run_end(struct progress *p, unsigned int run, uint64_t now_ns);

/* progress_end - the current stage ended: what it did not do leaves the ETA. */
void progress_end(struct progress *p);

/* progress_clear - erase the line, so that what the command prints next starts clean. */
void progress_clear(struct progress *p);

/*
 * progress_eta - the seconds left at @now_ns for the stages not ended that can be timed, and in
 * @untimed (comma-separated, "" if none) the kinds of those that cannot yet. A stage is timed at
 * its own rate (wall time from its first recorded iteration per recorded iteration, set-up
 * between its runs included) once it has timed PROGRESS_ETA_MIN_DONE iterations over
 * PROGRESS_ETA_MIN_NS or finished a run; before, at the rate of the last timed stage of its
 * kind times their weights' ratio. A probe's rate says nothing of another's (a ring's iteration
 * is 300 times the null probe's), so a kind not timed yet is named, not guessed. A run of a
 * --duration stage costs the lesser of its time and its iterations at that rate. false, and no
 * ETA, when no stage left can be timed.
 */
bool progress_eta(const struct progress *p, uint64_t now_ns, double *seconds, char *untimed,
		  size_t len);

/* progress_format_eta - "m:ss" (or "h:mm:ss" from an hour) of @seconds into @buf. */
void progress_format_eta(double seconds, char *buf, size_t len);

/* progress_position - the current stage is the @pos-th of the @n that run (skipped ones out). */
void progress_position(const struct progress *p, unsigned int *pos, unsigned int *n);

/*
 * progress_eta_string - "m:ss", "m:ss + ring, not timed yet" or "-" (no ETA) at @now_ns: the
 * ETA as the line and the "measuring" notes say it.
 */
void progress_eta_string(const struct progress *p, uint64_t now_ns, char *buf, size_t len);

/*
 * progress_eta_text - " (probe K of N, ETA ...)" of the current stage at @now_ns, for a plain
 * line; the ETA only when progress_eta() has one.
 */
void progress_eta_text(const struct progress *p, uint64_t now_ns, char *buf, size_t len);

struct probe_config;
/*
 * progress_label - a short name of @cfg's configuration: the probe, then for a probe with
 * members its hops, its domains when not single, "topology" for a topology file's members:
 * "null", "ring 1-hop", "ring 3-hop netns".
 */
void progress_label(const struct probe_config *cfg, char *buf, size_t len);

#endif
