/* SPDX-License-Identifier: MIT */
/*
 * attribution_report - spikes and their attribution for every probe of a trace file, as
 * sections of the analyze report (json-c), and their plain-text form.
 */
#ifndef RINGSCOPE_ATTRIBUTION_REPORT_H
#define RINGSCOPE_ATTRIBUTION_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution.h"
#include "analysis/model/spikes.h"

struct json_object;
struct trace_probe;
struct trace_session;

/* attr_report_opts - what to find and how much to show. */
struct attr_report_opts {
	struct spikes_opts spikes;
	size_t top; /* spikes shown per probe, the largest excess first */
	/* handed every event of the pass too (NULL: nothing), so that a caller that needs the
	 * events for something else does not read the file once more */
	int (*on_events)(void *ctx, const struct tracer_event *ev, size_t n);
	void *ctx;
};

/*
 * attr_report_add - find the spikes of every probe of @s (loaded from @path), stream the file's
 * events once through the join, and add to each probe object of @probes (index i is
 * s->probes[i]): "spike_detection" {median_ns, mad_ns, threshold_ns, k, min_ratio, good},
 * "spikes_found", "spikes" (the top ones), "attribution" {cause: {spikes, excess_ns}},
 * "syscalls_in_windows", "traced". The timed thread is the PROBE chunk's "timed_tid", else the
 * SESSION's "pid" (the runner times in its main thread). Returns 0 or -errno with @err set.
 */
int attr_report_add(const char *path, const struct trace_session *s,
		    const struct attr_report_opts *o, struct json_object *probes, char *err,
		    size_t errlen);

/* attr_timed_tid - the thread that ran the timed operation of probe @p of @s; 0: unknown. */
uint32_t attr_timed_tid(const struct trace_session *s, const struct trace_probe *p);

/*
 * attr_find_spikes - spikes_find() on probe @p of @s, each spike's window then put on its TSC
 * interval with the file's calibration (spikes_map_tsc). @sp is malloc'd. 0 or -errno.
 */
int attr_find_spikes(const struct trace_session *s, const struct trace_probe *p,
		     const struct spikes_opts *o, struct spike **sp, size_t *n,
		     struct spikes_baseline *base);

/*
 * attr_platform_of - what @s says decides the hypervisor cause: whether PLATFORM names a
 * hypervisor, and one VM exit's cost (a `vmexit` probe's median latency less the `null`
 * probe's, when the trace has them; else 0, unknown).
 */
void attr_platform_of(const struct trace_session *s, struct attr_platform *pf);

/*
 * attr_evidence_section - add to @probe the host evidence the attribution used and what
 * "hypervisor" and "unexplained" mean for it: "hypervisor" {part: ns}, "evidence" {...},
 * "cause_meaning" {"hypervisor", "unexplained"}.
 */
void attr_evidence_section(struct json_object *probe, const struct attr_probe_out *out,
			   const struct attr_platform *pf, const struct attr_evidence *ev);

/* attr_hv_part_name - "vcpu_absent_ns", "irq_delivery_ns", "exits_ns", "steal_ns". */
const char *attr_hv_part_name(unsigned int part);

/*
 * attr_spike_json - one spike: {"run", "iteration", "start_ns", "latency_ns", "baseline_ns",
 * "excess_ns", "window_start_ns", "window_end_ns", "window_error_ns", "dominant",
 * "causes": {cause: ns}, "hypervisor": {part: ns, "exit_proxies"}, "events": [{"type",
 * "what", "cpu", "tid", "comm"?, "next_tid"?, "next_comm"?, "start_ns", "dur_ns", "own_ns",
 * "cause"}]}, its events named as on @arch, the trace's, their threads as @names calls them
 * (NULL: unnamed). NULL when out of memory.
 */
struct json_object *attr_spike_json(const struct spike *sp, const struct attr_spike *a,
				    const struct arch *arch, const struct attr_names *names);

/*
 * attr_event_what - a short description of an event of a trace recorded on @arch ("write fd 3",
 * "softirq NET_RX").
 */
void attr_event_what(const struct arch *arch, const struct attr_key_event *k, char *buf,
		     size_t len);

/*
 * attr_print_text - the spike sections a probe object carries (nothing when it has none):
 * detection line, summary per cause, then the top spikes with stacked percentages and key events.
 */
void attr_print_text(FILE *f, struct json_object *probe);

#endif
