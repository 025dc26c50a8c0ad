/* SPDX-License-Identifier: MIT */
/*
 * attribution_report - spikes and their attribution for every probe of a trace file, as
 * sections of the analyze report (json-c), and their plain-text form.
 */
#ifndef RINGSCOPE_ATTRIBUTION_REPORT_H
#define RINGSCOPE_ATTRIBUTION_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution.h"
#include "analysis/attribution/projection.h"
#include "analysis/model/report_keys.h"
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
	struct projection_baseline baseline; /* the projection's bare-metal costs; 0: not given */
	/*
	 * asked after the pass for probe @k's critical path (NULL: none known): fills *@path,
	 * whose arrays stay the hook's until its next call or attr_report_add() returns. 0 or
	 * -errno.
	 */
	int (*path_of)(void *path_ctx, size_t k, struct proj_path *path);
	void *path_ctx;
};

/* attr_report_probe - the spikes of one probe and their attribution. */
struct attr_report_probe {
	struct spike *spikes; /* by window start, as spikes_find() returns them */
	size_t nspikes;
	struct spikes_baseline base;
	struct attr_probe_out out; /* out.spikes[i] is the breakdown of spikes[i] */
};

/* attr_report - the spikes and attribution of every probe of a session (i: s->probes[i]). */
struct attr_report {
	struct attr_report_probe *probes;
	size_t nprobes;
	bool traced; /* the file has a TRACER chunk or kernel events: the causes are known */
	const struct arch *arch;  /* the trace's: what its events' numbers are named */
	struct attr_platform pf;  /* what decides the hypervisor cause (attr_platform_of) */
	struct attr_evidence ev;  /* what the events said of the platform */
	struct attr_names *names; /* the threads the events named */
};

/*
 * attr_report_run - find the spikes of every probe of @s (loaded from @path) and stream the
 * file's events once through the join. The timed thread is the PROBE chunk's "timed_tid", else
 * the SESSION's "pid" (the runner times in its main thread). Returns 0 and @r (release it with
 * attr_report_free()), or -errno with @err set.
 */
int attr_report_run(const char *path, const struct trace_session *s,
		    const struct attr_report_opts *o, struct attr_report *r, char *err,
		    size_t errlen);

/* attr_report_free - release what attr_report_run() put into @r. */
void attr_report_free(struct attr_report *r);

/*
 * attr_report_sections - the spike sections of probe @i of @r into its report object @probe:
 * "traced", "spike_detection" {good_samples, median_ns, mad_ns, threshold_ns, k, min_ratio,
 * min_excess_ns}, "spikes_found", "spikes" (the o->top largest), "attribution",
 * "syscalls_in_windows", "syscall_transition_ns", "syscall_transition_windows", and the host
 * evidence (attr_evidence_section).
 */
void attr_report_sections(const struct attr_report *r, size_t i, const struct attr_report_opts *o,
			  struct json_object *probe);

/* attr_causes_json - the "attribution" object: {cause: {"spikes", "excess_ns"}} of @out. */
struct json_object *attr_causes_json(const struct attr_probe_out *out);

/*
 * attr_report_add - attr_report_run(), then attr_report_sections() of every probe into its
 * object of @probes (index i is s->probes[i]). Returns 0 or -errno with @err set.
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

/* attr_hv_part_key - the key of a part of host time: "vcpu_absent_ns", "irq_delivery_ns", ... */
enum rm_key attr_hv_part_key(unsigned int part);

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
