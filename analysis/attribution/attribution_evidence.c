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

static const char *const attr_hv_part_names[ATTR_HV_NPARTS] = {
    [ATTR_HV_ABSENT] = "vcpu_absent_ns",
    [ATTR_HV_DELIVERY] = "irq_delivery_ns",
    [ATTR_HV_DELIVERY_ROUTINE] = "irq_delivery_routine_ns",
    [ATTR_HV_EXITS] = "exits_ns",
    [ATTR_HV_STEAL] = "steal_ns",
};

const char *attr_hv_part_name(unsigned int part)
{
	return part < ATTR_HV_NPARTS ? attr_hv_part_names[part] : "?";
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
		 "; timer lateness p10 %.3f us, p50 %.3f us of %" PRIu64
		 "; up to the p10 it is this platform's routine cost), VM exits beyond the usual "
		 "(%" PRIu64 " proxies, %s), steal %.3f ms; it cannot exclude guest sections with "
		 "interrupts off as long as a silence or a late interrupt",
		 ev->absent_spans, ev->absent_ns / 1e6, ev->ipi_normal_ns / 1e3,
		 ev->ipi_p50_ns / 1e3, ev->ipis, ev->timer_normal_ns / 1e3, ev->timer_p50_ns / 1e3,
		 ev->timers, ev->exits, cost, ev->steal_ns / 1e6);
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

/* attr_add_u64 - @key: @v into @o. */
static void attr_add_u64(struct json_object *o, const char *key, uint64_t v)
{
	json_object_object_add(o, key, json_object_new_int64((int64_t)v));
}

/* attr_evidence_json - what the trace recorded of the host, and what it was taken as. */
static struct json_object *attr_evidence_json(const struct attr_probe_out *out,
					      const struct attr_platform *pf,
					      const struct attr_evidence *ev)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "hypervisor", json_object_new_boolean(pf->hypervisor));
	attr_add_u64(o, "ipi_delivery_normal_ns", ev->ipi_normal_ns);
	attr_add_u64(o, "ipi_delivery_p50_ns", ev->ipi_p50_ns);
	attr_add_u64(o, "ipis_seen_sent", ev->ipis);
	attr_add_u64(o, "timer_lateness_normal_ns", ev->timer_normal_ns);
	attr_add_u64(o, "timer_lateness_p50_ns", ev->timer_p50_ns);
	attr_add_u64(o, "timer_interrupts_with_expiry", ev->timers);
	attr_add_u64(o, "vcpu_silences", ev->absent_spans);
	attr_add_u64(o, "vcpu_silent_ns", ev->absent_ns);
	attr_add_u64(o, "steal_ns", ev->steal_ns);
	attr_add_u64(o, "exit_proxies", ev->exits);
	json_object_object_add(o, "exit_cost_ns",
			       pf->exit_cost_ns ? json_object_new_int64((int64_t)pf->exit_cost_ns)
						: NULL);
	json_object_object_add(o, "deliveries_per_iteration",
			       json_object_new_double(out->iterations ? (double)out->deliveries /
									    (double)out->iterations
								      : 0));
	json_object_object_add(o, "delivery_ns_per_iteration",
			       json_object_new_double(out->iterations ? (double)out->delivery_ns /
									    (double)out->iterations
								      : 0));
	attr_add_u64(o, "tracer_oncpu_ns", ev->tracer_oncpu_ns);
	attr_add_u64(o, "tracer_wakeups", ev->tracer_wakeups);
	attr_add_u64(o, "tracer_wakeup_ns", out->wakeup_ns);
	attr_add_u64(o, "tracer_wakeup_windows", out->wakeup_windows);
	return o;
}

void attr_evidence_section(struct json_object *probe, const struct attr_probe_out *out,
			   const struct attr_platform *pf, const struct attr_evidence *ev)
{
	struct json_object *hv = json_object_new_object(), *m = json_object_new_object();
	char text[640];
	unsigned int k;

	for (k = 0; k < ATTR_HV_NPARTS; k++)
		attr_add_u64(hv, attr_hv_part_name(k), out->hv_ns[k]);
	attr_meaning_hv(pf, ev, text, sizeof(text));
	json_object_object_add(m, "hypervisor", json_object_new_string(text));
	attr_meaning_unexplained(pf, ev, text, sizeof(text));
	json_object_object_add(m, "unexplained", json_object_new_string(text));
	json_object_object_add(probe, "hypervisor", hv);
	json_object_object_add(probe, "evidence", attr_evidence_json(out, pf, ev));
	json_object_object_add(probe, "cause_meaning", m);
}
