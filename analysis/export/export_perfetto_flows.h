/* SPDX-License-Identifier: MIT */
/*
 * export_perfetto_flows - where the Perfetto export draws each kernel event (its thread's track
 * or its CPU's), and the flow arrows from each spike to the events its attribution used
 * (private to analysis/export/).
 */
#ifndef RINGSCOPE_EXPORT_PERFETTO_FLOWS_H
#define RINGSCOPE_EXPORT_PERFETTO_FLOWS_H

#include <stdbool.h>
#include <stdint.h>

#include "analysis/attribution/attribution.h"
#include "analysis/export/export_perfetto_json.h"

/*
 * Flows per spike, at most: one to each key event counted toward a cause (the attribution keeps
 * the ATTR_KEY_EVENTS largest contributors), and for an off-CPU one another to the slice of
 * what ran of the thread that held its CPU longest while it waited.
 */
#define PF_FLOWS_MAX (2 * ATTR_KEY_EVENTS)

/* pf_on_cpu_track - events about a CPU rather than a traced thread (bpf/tracer.h). */
bool pf_on_cpu_track(uint8_t type);

/*
 * pf_cpu_track - the CPU track an event of @type recorded on @cpu is drawn on: @cpu for its
 * events, TRACER_MAX_CPUS + @cpu for the windows of its EXITS and STEAL counts (which would
 * overlap its slices).
 */
unsigned int pf_cpu_track(uint8_t type, uint32_t cpu);

/*
 * pf_event_track - the (pid, tid) of the track a record of @type about thread @tid of @tgid,
 * recorded on @cpu, is drawn on: the thread's, or for the per-CPU kinds its CPU's.
 */
void pf_event_track(uint8_t type, uint32_t cpu, uint32_t tgid, uint32_t tid, uint32_t *pid,
		    uint32_t *track_tid);

/*
 * pf_flows_spike - the flows of spike @a, whose slice is on track (@pid, @tid) from @start_ns
 * for @dur_ns: each a "ph":"s" inside the spike's slice and a "ph":"f" at the exact start of
 * the key event's slice or instant (or of the runner's slice of what ran), ids from *@id + 1 on
 * (*@id left at the last used). *@flows counts them. 0 or -errno.
 */
int pf_flows_spike(struct pf_writer *w, const struct attr_spike *a, uint32_t pid, uint32_t tid,
		   uint64_t start_ns, uint64_t dur_ns, uint64_t *id, uint64_t *flows);

#endif
