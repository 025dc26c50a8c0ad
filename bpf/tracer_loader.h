/* SPDX-License-Identifier: MIT */
/*
 * tracer_loader - load, configure and attach the kernel tracer (bpf/tracer.bpf.c) and stream its
 * records (struct tracer_event, bpf/tracer.h) to a callback. One tracer per process.
 *
 * Usage: tracer_open() -> tracer_add_tgid() for each process of the session -> tracer_start()
 * -> the timed work [-> tracer_pause() -> untraced work -> tracer_resume() -> ...] ->
 * tracer_stop() (its status) -> [start/stop again] -> tracer_close().
 * Programs are attached by tracer_open() but record nothing until tracer_start(); while paused
 * none is attached. All links are owned by file descriptors: a process killed at any moment
 * leaves nothing attached.
 */
#ifndef RINGSCOPE_BPF_TRACER_LOADER_H
#define RINGSCOPE_BPF_TRACER_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "bpf/tracer.h"

struct tracer;

struct tracer_opts {
	/* CPUs whose irq/softirq/ipi/napi/net events are recorded; ncpus == 0: all CPUs. */
	const int *cpus;
	int ncpus;
	/*
	 * on_events - a batch of records, called from the tracer's consumer thread (and from
	 * tracer_stop() for the final drain), never concurrently. The records are only valid
	 * during the call. A negative return is kept and returned by tracer_stop(); that batch
	 * and later records are then dropped and counted in the status (dropped).
	 */
	int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n);
	void *ctx;
	/* Ringbuf size: a power of 2 from a page to 1 GiB; 0 = TRACER_DEFAULT_RINGBUF_BYTES. */
	size_t ringbuf_bytes;
	/*
	 * on_log - one line (no newline) of libbpf's messages and of the tracer's notes (which
	 * events were skipped and why). NULL: silent. The CLI passes a function that prints with
	 * cli_verbose(), so they show under -v only.
	 */
	void (*on_log)(const char *line);
	/*
	 * Events not to attach, "category:event,..." (e.g. "net:net_dev_queue,irq:softirq_raise"):
	 * listed in the status as skipped, "not wanted". NULL: everything this kernel has. The
	 * environment variable RINGSCOPE_TRACER_SKIP adds to it (tests force the skip path).
	 */
	const char *skip;
	/*
	 * TRACER_DETAIL_LEAN (0, the default): per-packet instants are counted in the kernel
	 * (status aggregated) instead of recorded; TRACER_DETAIL_FULL: every event is a record.
	 */
	enum tracer_detail detail;
};

/*
 * tracer_open - check privileges, mount tracefs if missing, open the BPF object, configure the
 * filters, skip what this kernel lacks, load and attach.
 * Returns 0, or -EPERM (not root and no CAP_BPF+CAP_PERFMON), -ENOTSUP (no BTF, or a required
 * event missing), -EINVAL (bad options) or another -errno from loading/attaching; @err always
 * says what failed and what to do.
 */
int tracer_open(const struct tracer_opts *o, struct tracer **out, char *err, size_t errlen);

/*
 * tracer_add_tgid - record the threads of process @tgid (its io_uring SQPOLL and io-wq threads
 * share it). May be called while running. -E2BIG past TRACER_MAX_TGIDS processes.
 */
int tracer_add_tgid(struct tracer *t, pid_t tgid);

/*
 * tracer_remove_tgid - stop recording process @tgid (it exited: its pid may be reused by an
 * unrelated process, and its slot is free for the next). 0 also when it was not recorded.
 */
int tracer_remove_tgid(struct tracer *t, pid_t tgid);

/*
 * tracer_start - reset the per-thread and per-CPU pairing state and the counters, start the
 * consumer thread and switch recording on. Returns 0, -EBUSY if already started, -EALREADY if
 * paused (tracer_resume() goes on), or -errno.
 */
int tracer_start(struct tracer *t);

/*
 * tracer_pause - for work that must run untraced between traced work: switch recording off,
 * join the consumer, drain the ringbuf and detach every program, so that the traced processes
 * pay nothing (a program attached but idle still costs its dispatch, ~1 us a round trip on a
 * retpolined guest: docs/performance.md). The status's counts go on over pauses. Returns 0,
 * -EINVAL when not started, or on_events' first error as tracer_stop(); detached either way.
 */
int tracer_pause(struct tracer *t);

/*
 * tracer_resume - attach the programs again, forget the kernel side's pairing state of before
 * the pause (nothing is paired across time the programs did not see; names are recorded
 * again), and restart the consumer. 0 also when not paused but running; -EINVAL when stopped;
 * or the error of attaching a required program (@err says which), the tracer then staying
 * paused. A program that is not required and fails to attach again is skipped from then on.
 */
int tracer_resume(struct tracer *t, char *err, size_t errlen);

/* tracer_prog_status - one tracepoint of the tracer, and why it is not attached. */
struct tracer_prog_status {
	const char *category; /* "raw_syscalls", "sched", ... */
	const char *event;    /* "sys_enter", ... */
	const char *why;      /* "" when attached, else why it was skipped ("not wanted", ...) */
};

/*
 * tracer_status - what tracer_stop() reports; the runner stores it as the TRACER chunk
 * (docs/trace-format.md). Its arrays belong to the tracer: valid until the next tracer_stop()
 * or tracer_close().
 */
struct tracer_status {
	const struct tracer_prog_status *progs; /* every program, in the tracer's order */
	size_t nprogs;
	uint64_t events;	      /* records handed to on_events */
	uint64_t lost;		      /* ringbuf reservations that failed in the kernel */
	const uint64_t *lost_per_cpu; /* the same per possible CPU */
	int nlost_per_cpu;	      /* possible CPUs; 0 when the counts could not be read */
	uint64_t dropped;	      /* records on_events failed on, or never got after it */
	size_t ringbuf_bytes;
	const int *cpus; /* the CPUs whose per-CPU events are recorded (tracer_opts) */
	int ncpus;	 /* 0: all CPUs */
	enum tracer_detail detail;
	/*
	 * lean detail: the events counted in the kernel instead of recorded, per enum
	 * tracer_count (tracer_count_name()); naggregated is TRACER_CNT_AGGREGATED, or 0 in full
	 * detail and when the counters could not be read
	 */
	uint64_t aggregated[TRACER_CNT_MAX];
	int naggregated;
	/* how long a busy CPU must be silent for an ABSENT record; 0: none are made (-v: why) */
	uint64_t absent_threshold_ns;
	bool steal_readable; /* STEAL records can be made: the kernel has the steal clock */
	/* times the consumer (SCHED_IDLE) ran as SCHED_OTHER to keep the ringbuf from filling */
	uint64_t consumer_boosts;
};

/*
 * tracer_peek - @status as it stands now, the tracer running (from the thread that started it):
 * what the runner writes early into the file, so that a run killed before tracer_stop() still
 * says which programs were attached and in which detail. Counts are those handed over so far.
 */
void tracer_peek(struct tracer *t, struct tracer_status *status);

/* tracer_count_name - the event lean detail counts as @c: "msr:write_msr ICR", ... */
const char *tracer_count_name(enum tracer_count c);

/*
 * tracer_stop - switch recording off, join the consumer, drain the ringbuf completely, and
 * fill @status (may be NULL). Returns 0, or on_events' first negative return.
 */
int tracer_stop(struct tracer *t, struct tracer_status *status);

/* tracer_close - stop if running, detach everything and free @t (NULL is fine). */
void tracer_close(struct tracer *t);

#endif
