/* SPDX-License-Identifier: MIT */
/*
 * measure - runs x iterations of one probe into a trace writer: topology, probe set-up, the
 * per-run placement probe, warm-up, paced timed iterations, one RUN chunk per run. `run` calls it
 * once per file; `session` calls it once per probe configuration, into the same writer.
 */
#ifndef RINGSCOPE_MEASURE_H
#define RINGSCOPE_MEASURE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/stats.h"
#include "probes/probe.h"
#include "lib/timing.h"

struct progress;
struct spike_marker;
struct trace_writer;

/*
 * measure_untraced - --untraced-runs: which runs of a traced measurement run with no BPF program
 * attached, so that their statistics carry none of the tracer's cost (docs/tracer.md).
 */
enum measure_untraced {
	MEASURE_UNTRACED_ALTERNATE, /* odd runs untraced, even runs traced (run 0 is traced) */
	MEASURE_UNTRACED_NONE,	    /* every run traced */
};

/* measure_plan - how long and how to measure one probe configuration. */
struct measure_plan {
	unsigned int runs;
	unsigned int iterations; /* recorded iterations per run */
	unsigned int warmup;	 /* iterations per run before the recorded ones, not recorded */
	uint64_t interval_ns; /* 0: back to back; else iteration k is intended at t0 + k x this */
	uint64_t run_ns; /* --duration's share: a run ends this long after it began timing, or at
			    its iterations; 0: at its iterations */
	bool keep_ring;	 /* one topology and one probe set-up for all runs */
	bool trace_full; /* --trace-detail full: every kernel event a record (else lean) */
	unsigned int untraced_runs; /* enum measure_untraced: which runs are measured untraced */
	const volatile sig_atomic_t *stop; /* set by a signal handler: stop at the next iteration */
	struct progress *progress;	   /* the command's line, drawn between runs; NULL: none */
	struct spike_marker *marker;	   /* --trace-marker (runner/spike_marker.h); NULL: none */
	/*
	 * on_setup - called after each probe set-up with the processes the probe started (e.g. to
	 * add them to the tracer); NULL for none. Never fatal: the hook reports its own errors.
	 */
	int (*on_setup)(void *arg, const pid_t *pids, unsigned int npids);
	/* on_teardown - called before each probe teardown with the same processes; may be NULL */
	int (*on_teardown)(void *arg, const pid_t *pids, unsigned int npids);
	/*
	 * set_traced - switch the tracer on or off before a run (outside its timed iterations),
	 * drained and detached when off; returns whether the run is traced. NULL: no tracer.
	 */
	bool (*set_traced)(void *arg, bool traced);
	void *arg;
};

/* measure_result - what the command prints at the end and writes into END. */
struct measure_result {
	uint64_t samples;  /* recorded iterations, bad ones included */
	uint64_t bad;	   /* iterations the probe called bad (TRACE_SAMPLE_BAD) */
	uint64_t late;	   /* iterations that started more than 1 us after their intended time */
	uint64_t lost;	   /* messages lost: with a member that died, or a run that timed out */
	uint64_t restarts; /* times the probe's supervisor rebuilt its ring */
	unsigned int runs_done;
	bool interrupted;	    /* *plan->stop was seen */
	struct stats_summary stats; /* latency (ns) of the good samples; n == 0 if there are none */
	bool stats_untraced;	    /* stats are the untraced runs' only (traced runs alternated) */
	char err[512];		    /* why the measurement failed, when it returns < 0 */
};

/* Late means a start more than this after the intended time (ns). */
#define MEASURE_LATE_NS 1000

/*
 * measure_probe - measure @cfg as probe @probe_id of @w: write its PROBE chunk, its samples, a
 * RUN chunk per run and its PROBE_END chunk (also after an error or an interruption). The calling
 * thread runs as the master (member 0's namespace and CPU) during each run, and gets its own
 * namespace and CPU affinity back at the end.
 * Returns 0 (also when interrupted: see res->interrupted) or -errno with res->err set: a probe
 * that failed (a member died, a round trip timed out), a topology that could not be made, or a
 * write error of @w.
 */
int measure_probe(struct trace_writer *w, uint32_t probe_id, const struct probe_config *cfg,
		  const struct measure_plan *plan, const struct timing_calibration *cal,
		  struct measure_result *res);

/*
 * measure_memory - the bytes measure_probe() keeps in memory at the end of @plan for @cfg: the
 * latencies of every good sample and what the probe's account keeps per sample (*@per_iteration
 * bytes per recorded iteration), and the samples of a run held before they are written.
 */
uint64_t measure_memory(const struct probe_config *cfg, const struct measure_plan *plan,
			size_t *per_iteration);

#endif
