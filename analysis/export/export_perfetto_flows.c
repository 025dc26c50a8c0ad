// SPDX-License-Identifier: MIT
/*
 * export_perfetto_flows - the tracks of kernel events and the flows from each spike to its key
 * events (export_perfetto_flows.h).
 *
 * The flows are Chrome JSON v1 flow events, each with an id of its own: a "ph":"s" on the
 * spike's track, which Perfetto's importer binds to the slice open there (the spike), and a
 * "ph":"f" with "bp":"e", bound to the slice open on the target's track at its time. The v2
 * form ("bind_id" with "flow_out"/"flow_in" on the slices themselves) gives a slice one id: a
 * spike could start one flow only, and an off-CPU interval or a hog's slice that two spikes
 * share could end one only. So the "f" is put at the target's exact start and written after
 * it (the flows follow every event in the file): Perfetto's sorter takes events of equal time
 * in file order, and since it learned to nest "X" slices (trace_sorter.h, SlowOperatorLess)
 * puts the slices first, the longest first; either way the target is the topmost slice open
 * on its track when the "f" comes. The "s" lies mid-spike, where nothing else starts.
 */
#include "analysis/export/export_perfetto.h"
#include "analysis/export/export_perfetto_flows.h"

bool pf_on_cpu_track(uint8_t type)
{
	switch (type) {
	case TRACER_EV_IRQ:
	case TRACER_EV_SOFTIRQ:
	case TRACER_EV_SOFTIRQ_RAISE:
	case TRACER_EV_IPI:
	case TRACER_EV_NET_QUEUE:
	case TRACER_EV_NET_XMIT:
	case TRACER_EV_NET_RECEIVE:
	case TRACER_EV_NAPI_POLL:
	case TRACER_EV_TCP_RETRANSMIT:
	case TRACER_EV_IDLE:
	case TRACER_EV_ABSENT:
	case TRACER_EV_EXITS:
	case TRACER_EV_MSR_WRITE:
	case TRACER_EV_STEAL:
		return true;
	default:
		return false;
	}
}

unsigned int pf_cpu_track(uint8_t type, uint32_t cpu)
{
	bool window = type == TRACER_EV_EXITS || type == TRACER_EV_STEAL;

	return (window ? TRACER_MAX_CPUS : 0) + cpu % TRACER_MAX_CPUS;
}

void pf_event_track(uint8_t type, uint32_t cpu, uint32_t tgid, uint32_t tid, uint32_t *pid,
		    uint32_t *track_tid)
{
	if (pf_on_cpu_track(type)) {
		*pid = EXPORT_PF_CPU_PID;
		*track_tid = EXPORT_PF_CPU_PID + 1 + pf_cpu_track(type, cpu);
	} else {
		*pid = tgid;
		*track_tid = tid;
	}
}

/* pf_flow_point - one end of flow @id: "s" or "f" (bound to the slice enclosing it). */
static int pf_flow_point(struct pf_writer *w, const char *name, const char *ph, uint32_t pid,
			 uint32_t tid, uint64_t ts, uint64_t id)
{
	/* the importer keys a v1 flow by (id, cat, name): both ends carry the same three */
	struct json_object *o = pf_event(name, "attribution", ph, pid, tid);

	if (o) {
		json_object_object_add(o, "ts", pf_us(ts));
		pf_add_u64(o, "id", id);
		if (ph[0] == 'f')
			json_object_object_add(o, "bp", json_object_new_string("e"));
	}
	return pf_put(w, o);
}

/* pf_flow - a flow named @name from the spike's slice (at @from) to (@pid, @tid) at @ts. */
static int pf_flow(struct pf_writer *w, const char *name, const uint32_t from[2], uint64_t at,
		   uint32_t pid, uint32_t tid, uint64_t ts, uint64_t *id, uint64_t *flows)
{
	int ret;

	++*id;
	ret = pf_flow_point(w, name, "s", from[0], from[1], at, *id);
	if (!ret)
		ret = pf_flow_point(w, name, "f", pid, tid, ts, *id);
	*flows += !ret;
	return ret;
}

int pf_flows_spike(struct pf_writer *w, const struct attr_spike *a, uint32_t pid, uint32_t tid,
		   uint64_t start_ns, uint64_t dur_ns, uint64_t *id, uint64_t *flows)
{
	const uint32_t from[2] = {pid, tid};
	uint64_t at = start_ns + dur_ns / 2; /* inside the spike, away from its neighbours */
	uint32_t kpid, ktid, k;
	int ret = 0;

	for (k = 0; !ret && k < a->nkey; k++) {
		const struct attr_key_event *e = &a->key[k];

		if (e->cause >= ATTR_NCAUSES || !e->own_ns)
			continue; /* part of the normal iteration, or an instant that held no time
				   */
		pf_event_track(e->type, e->cpu, e->tgid, e->tid, &kpid, &ktid);
		ret = pf_flow(w, attr_cause_name(e->cause), from, at, kpid, ktid, e->ts_ns, id,
			      flows);
		if (!ret && e->type == TRACER_EV_OFFCPU && e->ran_tid)
			ret = pf_flow(w, "ran instead", from, at, EXPORT_PF_CPU_PID,
				      EXPORT_PF_RAN_TID(e->cpu % TRACER_MAX_CPUS), e->ran_start_ns,
				      id, flows);
	}
	return ret;
}
