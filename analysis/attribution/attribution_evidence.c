// SPDX-License-Identifier: MIT
/*
 * attribution_evidence - the host evidence behind the `hypervisor` cause of a probe, as JSON,
 * and what `hypervisor` and `unexplained` mean in words for the trace at hand (a guest with
 * evidence, a guest without it, bare metal): analyze prints them under the cause table.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/model/report_model.h"

static const enum rm_key attr_hv_part_keys[ATTR_HV_NPARTS] = {
    [ATTR_HV_ABSENT] = RK_HV_ABSENT,
    [ATTR_HV_DELIVERY] = RK_HV_DELIVERY,
    [ATTR_HV_DELIVERY_ROUTINE] = RK_HV_DELIVERY_ROUTINE,
    [ATTR_HV_EXITS] = RK_HV_EXITS,
    [ATTR_HV_STEAL] = RK_HV_STEAL,
};

enum rm_key attr_hv_part_key(unsigned int part)
{
	return attr_hv_part_keys[part];
}

/* attr_has_evidence - whether the trace holds any record of host evidence at all. */
static int attr_has_evidence(const struct attr_evidence *ev)
{
	return ev->ipis || ev->timers || ev->absent_spans || ev->steal_ns || ev->exits;
}

/* attr_meaning_hv - what `hypervisor` means for this trace, in words. */
static void attr_meaning_hv(const struct attr_platform *pf, const struct attr_evidence *ev,
			    char *buf, size_t len)
{
	char cost[96];

	if (!pf->hypervisor) {
		snprintf(buf, len,
			 "none: the trace names no hypervisor (bare metal), so no time "
			 "is host time");
		return;
	}
	if (!attr_has_evidence(ev)) {
		snprintf(buf, len,
			 "no host evidence in this trace (no vCPU silence, interrupt "
			 "delivery, VM-exit or steal records): host time stays unexplained");
		return;
	}
	if (pf->exit_cost_ns)
		snprintf(cost, sizeof(cost), "%" PRIu64 " ns each (the vmexit probe)",
			 pf->exit_cost_ns);
	else
		snprintf(cost, sizeof(cost), "cost unknown without a vmexit probe, not counted");
	snprintf(buf, len,
		 "host time with evidence: a vCPU that executed nothing (%" PRIu64
		 " silences of over 1.5 ticks, %.3f ms), interrupts on their way from their send "
		 "or expiry to their handler (IPI delivery p10 %.3f us, p50 %.3f us of %" PRIu64
		 ", stale pairings refused %" PRIu64 "; timer lateness p10 %.3f us, "
		 "p50 %.3f us of %" PRIu64
		 "; up to the p10 it is this platform's routine cost), VM exits beyond the usual "
		 "(%" PRIu64 " proxies, %s), steal %.3f ms; it cannot exclude guest sections with "
		 "interrupts off as long as a silence or a late interrupt",
		 ev->absent_spans, ev->absent_ns / 1e6, ev->ipi_normal_ns / 1e3,
		 ev->ipi_p50_ns / 1e3, ev->ipis, ev->ipis_refused, ev->timer_normal_ns / 1e3,
		 ev->timer_p50_ns / 1e3, ev->timers, ev->exits, cost, ev->steal_ns / 1e6);
}

/* attr_meaning_unexplained - what `unexplained` means for this trace, in words. */
static void attr_meaning_unexplained(const struct attr_platform *pf, const struct attr_evidence *ev,
				     char *buf, size_t len)
{
	if (!pf->hypervisor)
		snprintf(buf, len,
			 "time no traced event covers: user work slower than usual "
			 "(cache and TLB misses), firmware (SMIs), interrupts-off sections");
	else if (!attr_has_evidence(ev))
		snprintf(buf, len,
			 "time no guest event covers: on this guest the hypervisor "
			 "suspect, by elimination only (no host evidence was recorded)");
	else
		snprintf(buf, len,
			 "time that no guest event and no host evidence covers: user work slower "
			 "than usual (cache, TLB), host time below the evidence's reach (silences "
			 "under 1.5 ticks with no late interrupt, exits of unknown cost), guest "
			 "interrupts-off sections");
}

/*
 * attr_meaning_eventless - append to @buf how much of `unexplained` is in spikes whose window
 * held no event at all: a thread that ran its timed code with no kernel entry seen, and no
 * other thread, interrupt or fault on its CPU, lost that time outside what the guest's kernel
 * can see. On a guest that is the host (or firmware) by elimination, as rtla's osnoise counts
 * noise with no OS event as hardware noise; on bare metal, firmware (SMIs) or an untraced
 * kernel path (NMIs).
 */
static void attr_meaning_eventless(const struct attr_platform *pf, const struct attr_probe_out *out,
				   char *buf, size_t len)
{
	size_t n = strlen(buf);

	if (!out->eventless)
		return;
	snprintf(buf + n, len - n,
		 "; %" PRIu64 " of the spikes held no event at all, %.3f us of unexplained time "
		 "the guest saw nothing of (%s, as rtla osnoise's hardware noise)",
		 out->eventless, out->eventless_ns / 1e3,
		 pf->hypervisor ? "the host's or the firmware's by elimination"
				: "firmware or an untraced kernel path (NMI) by elimination");
	n = strlen(buf);
	if (out->eventless_grid.period_ns)
		snprintf(
		    buf + n, len - n,
		    "; %zu of the %zu gaps between them are whole multiples of %.4f ms of wall "
		    "time: a source the guest does not see, %.0f times a second",
		    out->eventless_grid.fit, out->eventless_grid.gaps,
		    out->eventless_grid.period_ns / 1e6, 1e9 / out->eventless_grid.period_ns);
}

/* attr_evidence_json - what the trace recorded of the host, and what it was taken as. */
static struct json_object *attr_evidence_json(const struct attr_probe_out *out,
					      const struct attr_platform *pf,
					      const struct attr_evidence *ev)
{
	struct json_object *o = json_object_new_object();

	rm_set_bool(o, RK_EVIDENCE_HYPERVISOR, pf->hypervisor);
	rm_set_int(o, RK_EVIDENCE_IPI_NORMAL, (int64_t)ev->ipi_normal_ns);
	rm_set_int(o, RK_EVIDENCE_IPI_P50, (int64_t)ev->ipi_p50_ns);
	rm_set_int(o, RK_EVIDENCE_IPIS, (int64_t)ev->ipis);
	rm_set_int(o, RK_EVIDENCE_IPIS_REFUSED, (int64_t)ev->ipis_refused);
	rm_set_int(o, RK_EVIDENCE_TIMER_NORMAL, (int64_t)ev->timer_normal_ns);
	rm_set_int(o, RK_EVIDENCE_TIMER_P50, (int64_t)ev->timer_p50_ns);
	rm_set_int(o, RK_EVIDENCE_TIMERS, (int64_t)ev->timers);
	rm_set_int(o, RK_EVIDENCE_SILENCES, (int64_t)ev->absent_spans);
	rm_set_int(o, RK_EVIDENCE_SILENT, (int64_t)ev->absent_ns);
	rm_set_int(o, RK_EVIDENCE_STEAL, (int64_t)ev->steal_ns);
	rm_set_int(o, RK_EVIDENCE_EXIT_PROXIES, (int64_t)ev->exits);
	rm_set(o, RK_EVIDENCE_EXIT_COST,
	       pf->exit_cost_ns ? json_object_new_int64((int64_t)pf->exit_cost_ns) : NULL);
	rm_set(o, RK_EVIDENCE_DELIVERIES_PER_ITERATION,
	       json_object_new_double(
		   out->iterations ? (double)out->deliveries / (double)out->iterations : 0));
	rm_set(o, RK_EVIDENCE_DELIVERY_NS_PER_ITERATION,
	       json_object_new_double(
		   out->iterations ? (double)out->delivery_ns / (double)out->iterations : 0));
	rm_set_int(o, RK_EVIDENCE_TRACER_ONCPU, (int64_t)ev->tracer_oncpu_ns);
	rm_set_int(o, RK_EVIDENCE_TRACER_WAKEUPS, (int64_t)ev->tracer_wakeups);
	rm_set_int(o, RK_EVIDENCE_TRACER_WAKEUP_NS, (int64_t)out->wakeup_ns);
	rm_set_int(o, RK_EVIDENCE_TRACER_WAKEUP_WINDOWS, (int64_t)out->wakeup_windows);
	rm_set_int(o, RK_EVIDENCE_EVENTLESS, (int64_t)out->eventless);
	rm_set_int(o, RK_EVIDENCE_EVENTLESS_NS, (int64_t)out->eventless_ns);
	rm_set(o, RK_EVIDENCE_EVENTLESS_PERIOD,
	       out->eventless_grid.period_ns ? json_object_new_double(out->eventless_grid.period_ns)
					     : NULL);
	rm_set_int(o, RK_EVIDENCE_EVENTLESS_ON_GRID, (int64_t)out->eventless_grid.fit);
	rm_set_int(o, RK_EVIDENCE_EVENTLESS_GAPS, (int64_t)out->eventless_grid.gaps);
	return o;
}

void attr_evidence_section(struct json_object *probe, const struct attr_probe_out *out,
			   const struct attr_platform *pf, const struct attr_evidence *ev)
{
	struct json_object *hv = json_object_new_object(), *m = json_object_new_object();
	char text[768];
	unsigned int k;

	for (k = 0; k < ATTR_HV_NPARTS; k++)
		rm_set_int(hv, attr_hv_part_key(k), (int64_t)out->hv_ns[k]);
	attr_meaning_hv(pf, ev, text, sizeof(text));
	rm_set_str(m, RK_MEANING_HYPERVISOR, text);
	attr_meaning_unexplained(pf, ev, text, sizeof(text));
	attr_meaning_eventless(pf, out, text, sizeof(text));
	rm_set_str(m, RK_MEANING_UNEXPLAINED, text);
	rm_set(probe, RK_PROBE_HYPERVISOR, hv);
	rm_set(probe, RK_PROBE_EVIDENCE, attr_evidence_json(out, pf, ev));
	rm_set(probe, RK_PROBE_CAUSE_MEANING, m);
}
