/* SPDX-License-Identifier: MIT */
/*
 * tracer_loader - load, configure and attach the kernel tracer (bpf/tracer.bpf.c) and stream its
 * records (struct tracer_event, bpf/tracer.h) to a callback. One tracer per process.
 *
 * Usage: tracer_open() -> tracer_add_tgid() for each process of the session -> tracer_start()
 * -> the timed work -> tracer_stop() (status JSON) -> [start/stop again] -> tracer_close().
 * Programs are attached by tracer_open() but record nothing until tracer_start(). All links are
 * owned by file descriptors: a process killed at any moment leaves nothing attached.
 */
#ifndef RINGSCOPE_BPF_TRACER_LOADER_H
#define RINGSCOPE_BPF_TRACER_LOADER_H

#include <stddef.h>
#include <sys/types.h>

#include "bpf/tracer.h"

struct tracer;
struct json_object;

struct tracer_opts {
	/* CPUs whose irq/softirq/ipi/napi/net events are recorded; ncpus == 0: all CPUs. */
	const int *cpus;
	int ncpus;
	/*
	 * on_events - a batch of records, called from the tracer's consumer thread (and from
	 * tracer_stop() for the final drain), never concurrently. The records are only valid
	 * during the call. A negative return is kept and returned by tracer_stop(); that batch
	 * and later records are then dropped and counted in the status ("dropped_events").
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
	 * (status "aggregated") instead of recorded; TRACER_DETAIL_FULL: every event is a record.
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
 * consumer thread and switch recording on. Returns 0, -EBUSY if already started, or -errno.
 */
int tracer_start(struct tracer *t);

/*
 * tracer_stop - switch recording off, join the consumer, drain the ringbuf completely.
 * @status (may be NULL) receives a new JSON object the caller puts:
 *   {"attached": ["raw_syscalls:sys_enter", ...], "skipped": [{"name", "why"}],
 *    "events": n, "lost_events": n, "lost_per_cpu": [n per possible CPU],
 *    "dropped_events": n, "ringbuf_bytes": n, "cpus": [..] or "all", "detail": "lean"|"full",
 *    "aggregated": {"net:net_dev_queue": n, ...} (lean only: events counted, not recorded)}
 * lost_events are ringbuf reservation failures counted in the kernel; dropped_events are records
 * on_events failed on or never got after it failed; events are those it took. Returns 0, or
 * on_events' first negative return.
 */
int tracer_stop(struct tracer *t, struct json_object **status);

/* tracer_close - stop if running, detach everything and free @t (NULL is fine). */
void tracer_close(struct tracer *t);

#endif
