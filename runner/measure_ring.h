/* SPDX-License-Identifier: MIT */
/*
 * measure_ring - what the ring's forwarders and supervisor add to a measurement: per-hop wire
 * and residence times of the good round trips (from the TSC stamps in the message), the lost
 * messages with their run and iteration, and the restarts. Written into RUN and PROBE_END.
 */
#ifndef RINGSCOPE_MEASURE_RING_H
#define RINGSCOPE_MEASURE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/probe.h"
#include "lib/timing.h"

struct json_object;

/* measure_lost - one lost message. */
struct measure_lost {
	uint32_t run;
	uint32_t iteration;
	bool warmup;
};

struct measure_ring {
	unsigned int hops; /* members of the stamped ring, 0 before the first stamped sample */
	/*
	 * Per good sample and hop i (member i -> member i+1 mod hops): wire[i], the time from the
	 * send of member i to the receive of the next member, and res[i], the time inside that
	 * member before it passed the message on (hop hops-1 ends at the master: no residence).
	 */
	float *wire[PROBE_MAX_MEMBERS];
	float *res[PROBE_MAX_MEMBERS];
	size_t n, cap, run_first; /* samples held; the first of the current run */
	size_t per_run;		  /* iterations a run records: the room made before each run */
	struct measure_lost *lost;
	size_t nlost, lost_cap, lost_run_first;
	uint64_t restarts, run_restarts; /* in all; when the current run began */
};

/*
 * measure_ring_add_hops - the hop times of one good sample from @ctx's stamps (nothing when it
 * has none). 0 or -ENOMEM.
 */
int measure_ring_add_hops(struct measure_ring *r, const struct probe_ctx *ctx,
			  const struct timing_calibration *cal);

/* measure_ring_add_lost - a message lost in @run at @iteration. 0 or -ENOMEM. */
int measure_ring_add_lost(struct measure_ring *r, uint32_t run, uint32_t iteration, bool warmup);

/* measure_ring_run_begins - what follows belongs to a new run. */
void measure_ring_run_begins(struct measure_ring *r);

/*
 * measure_ring_json - add "restarts", "lost_iterations" and, with stamps, "hops" to @o: of the
 * current run, or of the whole probe when @whole.
 */
void measure_ring_json(const struct measure_ring *r, struct json_object *o, bool whole);

/* measure_ring_config_json - the ring probe's own settings into the PROBE chunk's config @o. */
void measure_ring_config_json(struct json_object *o, const struct probe_config *cfg);

/* measure_ring_free - release what @r holds. */
void measure_ring_free(struct measure_ring *r);

#endif
