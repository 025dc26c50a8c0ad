/* SPDX-License-Identifier: MIT */
/*
 * tracer_consumer - the ringbuf's consumer (private to bpf/): two threads that take the kernel
 * side's records and hand them to the caller in batches, built so that they delay no measured
 * thread. The drainer runs SCHED_IDLE and sleeps until half the ringbuf is waiting; the booster
 * sleeps until three quarters are and then lets the drainer run SCHED_OTHER until it is back
 * under half. No timer: what is left waits for tracer_consumer_stop() (between runs, at the end).
 * docs/tracer.md, "The consumer", says why and what it measured.
 */
#ifndef RINGSCOPE_BPF_TRACER_CONSUMER_H
#define RINGSCOPE_BPF_TRACER_CONSUMER_H

#include <stddef.h>
#include <stdint.h>

#include <linux/types.h>

#include "lib/trace/trace_event.h"

struct tracer_consumer;

/*
 * What the consumer shares with the kernel side (.bss of bpf/tracer.bpf.c): the two arming flags
 * (set here before a thread sleeps, cleared by the program whose record crosses the mark) and
 * the two threads' ids (the kernel side records nothing of theirs but TRACER intervals).
 */
struct tracer_consumer_shared {
	volatile __u32 *wakeup_armed, *boost_armed;
	volatile __u32 *consumer_tid, *booster_tid;
};

struct tracer_consumer_opts {
	int map_fd; /* the BPF_MAP_TYPE_RINGBUF */
	size_t ringbuf_bytes;
	struct tracer_consumer_shared shared;
	/* the traced CPUs (ncpus 0: all): the threads keep off them when others exist */
	const int *cpus;
	int ncpus;
	/* tracer_opts.on_events: never called concurrently */
	int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n);
	void *ctx;
};

/* tracer_consumer_counts - what the consumer has handed over, dropped, and how often boosted. */
struct tracer_consumer_counts {
	uint64_t events, dropped, boosts;
};

/* tracer_consumer_wake_mark - the bytes waiting at which the kernel side wakes the drainer. */
size_t tracer_consumer_wake_mark(size_t ringbuf_bytes);

/* tracer_consumer_boost_mark - and the booster. */
size_t tracer_consumer_boost_mark(size_t ringbuf_bytes);

/* tracer_consumer_open - map the ringbuf and what the threads wait on. 0 or -errno (@err says). */
int tracer_consumer_open(const struct tracer_consumer_opts *o, struct tracer_consumer **out,
			 char *err, size_t errlen);

/*
 * tracer_consumer_start - start both threads. When it returns their ids are published and both
 * sleep in their wait (or a second went by): recording switched on after it sees none of their
 * start-up.
 */
int tracer_consumer_start(struct tracer_consumer *c);

/*
 * tracer_consumer_stop - join both threads and take every record left (the producers must be
 * off). Returns 0, or the first error (on_events' negative return, or the ringbuf's).
 */
int tracer_consumer_stop(struct tracer_consumer *c);

/* tracer_consumer_reset - zero the counts and forget an earlier error (a new start). */
void tracer_consumer_reset(struct tracer_consumer *c);

/* tracer_consumer_read - the counts so far (safe while the threads run). */
void tracer_consumer_read(const struct tracer_consumer *c, struct tracer_consumer_counts *out);

/* tracer_consumer_close - stop if running and free (NULL is fine). */
void tracer_consumer_close(struct tracer_consumer *c);

#endif
