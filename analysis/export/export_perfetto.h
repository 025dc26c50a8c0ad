/* SPDX-License-Identifier: MIT */
/*
 * export_perfetto - a trace file as Chrome trace-event JSON (the "JSON Object Format" that
 * ui.perfetto.dev and chrome://tracing open), and its kernel events as CSV rows. Both stream:
 * memory grows with the samples (spikes need a probe's median), never with the events.
 */
#ifndef RINGSCOPE_EXPORT_PERFETTO_H
#define RINGSCOPE_EXPORT_PERFETTO_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/model/spikes.h"
#include "lib/trace/trace_reader.h"

/*
 * Synthetic process ids of the tracks that are not a real process: one per probe (its runs
 * are its threads) and one holding a thread per CPU. Above the kernel's PID_MAX_LIMIT (2^22),
 * so they never meet a traced tgid; and never 0, which Perfetto takes for the idle task.
 */
#define EXPORT_PF_PROBE_PID 10000000u /* + probe_id */
/*
 * its threads: EXPORT_PF_CPU_PID + 1 + cpu, + TRACER_MAX_CPUS for the EXITS/STEAL windows,
 * + 2 * TRACER_MAX_CPUS for what ran (EXPORT_PF_RAN_TID)
 */
#define EXPORT_PF_CPU_PID      9000000u
#define EXPORT_PF_RAN_TID(cpu) (EXPORT_PF_CPU_PID + 1 + 2 * TRACER_MAX_CPUS + (cpu))

/* export_perfetto_opts - how spikes are found, and whether their causes are worked out. */
struct export_perfetto_opts {
	struct spikes_opts spikes;
	/*
	 * Attribute each spike (the analyze --spikes join): its dominant cause and the split of
	 * its excess. The join keeps the events inside spike windows, so memory then grows with
	 * them too; without it, memory grows with the samples only.
	 */
	bool causes;
};

/* export_perfetto_stats - what an export wrote. */
struct export_perfetto_stats {
	uint64_t samples;   /* iteration slices */
	uint64_t spikes;    /* of them flagged as spikes */
	uint64_t events;    /* kernel events read */
	uint64_t intervals; /* kernel events written as slices ("ph":"X") */
	uint64_t instants;  /* kernel events written as instants ("ph":"i") */
	uint64_t names;	    /* NAME records, written as thread (and process) names */
	uint64_t ran;	    /* slices of what ran on each CPU ("cat":"sched") */
	uint64_t flows;	    /* flows from spikes to their key events (an "s" and an "f" each) */
};

/*
 * export_perfetto - write @path to @f as {"traceEvents": [...], "displayTimeUnit": "ns"}:
 * iterations as slices on a track per probe and run, spikes (found with @o) flagged with their
 * excess (and with o->causes their dominant cause and split, and flows to the key events the
 * attribution used), kernel events as slices or instants on a track per thread (pid = tgid) or
 * per CPU, and what ran on each CPU. Returns 0 (st->complete false for a cut-short
 * file) or -errno with st->err set: the reader's errors, -ENOMEM, -EIO (a failed write).
 */
int export_perfetto(const char *path, FILE *f, const struct export_perfetto_opts *o,
		    struct export_perfetto_stats *stats, struct trace_read_status *st);

/*
 * export_events_csv - one CSV row per kernel event of @path, with a header: type, cpu, tid,
 * tgid, start_ns, dur_ns, arg0, arg1, arg2, flags, syscall. *@rows counts them. Returns 0 or
 * -errno with st->err set, as export_perfetto.
 */
int export_events_csv(const char *path, FILE *f, uint64_t *rows, struct trace_read_status *st);

#endif
