// SPDX-License-Identifier: MIT
/* projection_render - a projection as JSON (the report model) and as text. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>

#include <json-c/json.h>

#include "analysis/attribution/projection_render.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

struct json_object *projection_ci_json(double lo, double hi)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, isnan(lo) ? NULL : rm_ns(lo));
	json_object_array_add(a, isnan(hi) ? NULL : rm_ns(hi));
	return a;
}

/* proj_quantile_json - one quantile of the guest and of the projection. */
static struct json_object *proj_quantile_json(const struct projection_q *q)
{
	struct json_object *o = json_object_new_object();

	rm_set(o, RK_PQ_Q, rm_sig(q->q, 4));
	rm_set(o, RK_PQ_GUEST, isnan(q->guest_ns) ? NULL : rm_ns(q->guest_ns));
	rm_set(o, RK_PQ_GUEST_CI, projection_ci_json(q->guest_lo, q->guest_hi));
	rm_set(o, RK_PQ_PROJ, isnan(q->proj_ns) ? NULL : rm_ns(q->proj_ns));
	rm_set(o, RK_PQ_PROJ_CI, projection_ci_json(q->proj_lo, q->proj_hi));
	return o;
}

/* proj_ns_or_null - @ns as an integer, null for 0 (not given). */
static struct json_object *proj_ns_or_null(uint64_t ns)
{
	return ns ? json_object_new_int64((int64_t)ns) : NULL;
}

struct json_object *projection_baseline_json(const struct projection_baseline *bl)
{
	struct json_object *o;

	if (!bl->exit_cost_ns && !bl->ipi_normal_ns)
		return NULL;
	o = json_object_new_object();
	rm_set(o, RK_PB_EXIT, proj_ns_or_null(bl->exit_cost_ns));
	rm_set(o, RK_PB_IPI, proj_ns_or_null(bl->ipi_normal_ns));
	return o;
}

struct json_object *projection_json(const struct projection *p)
{
	struct json_object *o = json_object_new_object(), *parts = json_object_new_object();
	struct json_object *qs = json_object_new_array();
	size_t k;

	if (!o || !parts || !qs) {
		json_object_put(o);
		json_object_put(parts);
		json_object_put(qs);
		return NULL;
	}
	rm_set_int(o, RK_PROJ_SAMPLES, (int64_t)p->samples);
	rm_set_int(o, RK_PROJ_RUNS, (int64_t)p->runs);
	rm_set_int(o, RK_PROJ_SPIKES, (int64_t)p->spikes);
	rm_set_int(o, RK_PROJ_REMOVED, (int64_t)p->removed_ns);
	for (k = 0; k < ATTR_HV_NPARTS; k++)
		rm_set_int(parts, attr_hv_part_key(k), (int64_t)p->removed_part_ns[k]);
	rm_set(o, RK_PROJ_REMOVED_PARTS, parts);
	rm_set_int(o, RK_PROJ_PATH_WAITS, (int64_t)p->path_waits);
	rm_set_int(o, RK_PROJ_PATH_ITERATIONS, (int64_t)p->path_iterations);
	rm_set_int(o, RK_PROJ_PATH_ABSENT, (int64_t)p->path_ns.absent_ns);
	rm_set_int(o, RK_PROJ_PATH_DELIVERY, (int64_t)p->path_ns.delivery_ns);
	rm_set(o, RK_PROJ_BASELINE, projection_baseline_json(&p->baseline));
	rm_set(o, RK_PROJ_EXIT_SHARE, rm_sig(p->exit_share, 4));
	rm_set(o, RK_PROJ_ROUTINE_SHARE, rm_sig(p->routine_share, 4));
	for (k = 0; k < PROJ_NQ; k++)
		json_object_array_add(qs, proj_quantile_json(&p->q[k]));
	rm_set(o, RK_PROJ_QUANTILES, qs);
	return o;
}

void projection_in_of(const struct attr_report *r, size_t i, const struct trace_session *s,
		      struct projection_in *in)
{
	const struct attr_report_probe *rp = &r->probes[i];

	*in = (struct projection_in){
	    .sp = rp->spikes, .as = rp->out.spikes, .nsp = rp->nspikes, .pf = &r->pf, .ev = &r->ev};
	in->samples = trace_probe_traced_samples(&s->probes[i], &in->n);
}

int projection_section_add(const struct attr_report *r, size_t i, const struct trace_session *s,
			   const struct projection_baseline *bl, const struct proj_path *path,
			   struct json_object *probe)
{
	struct projection_in in;
	struct projection p;
	struct json_object *o;
	int rc;

	if (!r->traced)
		return 0;
	projection_in_of(r, i, s, &in);
	in.path = path;
	rc = projection_compute(&in, bl, &p);
	o = rc ? NULL : projection_json(&p);
	if (!rc && !o)
		rc = -ENOMEM;
	if (!rc)
		rm_set(probe, RK_PROBE_PROJECTION, o);
	return rc;
}

/* proj_ci_text - "[lo, hi]" in us, "[-, -]" for a side not known. */
static void proj_ci_text(FILE *f, struct json_object *ci)
{
	struct json_object *lo = json_object_array_get_idx(ci, 0);
	struct json_object *hi = json_object_array_get_idx(ci, 1);

	if (!lo || !hi)
		fprintf(f, " %-21s", "[-, -]");
	else
		fprintf(f, " [%9.3f, %9.3f]", json_object_get_double(lo) / 1e3,
			json_object_get_double(hi) / 1e3);
}

/* proj_path_text - the line on what the critical path took out, or why it took nothing. */
static void proj_path_text(FILE *f, struct json_object *p)
{
	int64_t absent = rm_int(p, RK_PROJ_PATH_ABSENT),
		delivery = rm_int(p, RK_PROJ_PATH_DELIVERY);

	if (!rm_int(p, RK_PROJ_PATH_WAITS)) {
		fprintf(f, "  and on the critical path nothing: none known (no hop split, not a "
			   "single-thread probe, or no hypervisor)\n");
		return;
	}
	fprintf(f,
		"  and on the critical path %.3f us out of %" PRId64
		" iterations (vcpu absent %.3f, "
		"delivery %.3f), each where it held more host time than a spike's attribution\n",
		(double)(absent + delivery) / 1e3, rm_int(p, RK_PROJ_PATH_ITERATIONS),
		(double)absent / 1e3, (double)delivery / 1e3);
}

void projection_print_text(FILE *f, struct json_object *probe)
{
	struct json_object *p = rm_find(probe, RK_PROBE_PROJECTION), *qs, *q, *parts;
	size_t k;

	if (!p)
		return;
	parts = rm_get(p, RK_PROJ_REMOVED_PARTS);
	fprintf(f,
		"\nprojection of '%s' (probe %" PRId64 ") without the host's time: %" PRId64
		" samples of %" PRId64 " traced runs, %" PRId64 " spikes less %.3f us (vcpu absent "
		"%.3f, delivery %.3f + routine %.3f, exits %.3f, steal %.3f)\n",
		rm_str(probe, RK_PROBE_NAME), rm_int(probe, RK_PROBE_ID),
		rm_int(p, RK_PROJ_SAMPLES), rm_int(p, RK_PROJ_RUNS), rm_int(p, RK_PROJ_SPIKES),
		(double)rm_int(p, RK_PROJ_REMOVED) / 1e3, (double)rm_int(parts, RK_HV_ABSENT) / 1e3,
		(double)rm_int(parts, RK_HV_DELIVERY) / 1e3,
		(double)rm_int(parts, RK_HV_DELIVERY_ROUTINE) / 1e3,
		(double)rm_int(parts, RK_HV_EXITS) / 1e3, (double)rm_int(parts, RK_HV_STEAL) / 1e3);
	proj_path_text(f, p);
	fprintf(f, "  %-6s %10s %-23s %10s %-23s (us; intervals over runs)\n", "", "guest",
		" 95% interval", "projected", " 95% interval");
	qs = rm_get(p, RK_PROJ_QUANTILES);
	for (k = 0; k < json_object_array_length(qs); k++) {
		q = json_object_array_get_idx(qs, k);
		fprintf(f, "  p%-5g %10.3f", 100 * rm_num(q, RK_PQ_Q),
			rm_num_nan(q, RK_PQ_GUEST) / 1e3);
		proj_ci_text(f, rm_get(q, RK_PQ_GUEST_CI));
		fprintf(f, " %10.3f", rm_num_nan(q, RK_PQ_PROJ) / 1e3);
		proj_ci_text(f, rm_get(q, RK_PQ_PROJ_CI));
		fputc('\n', f);
	}
	projection_baseline_text(f, p);
}

/* proj_cost_text - "1500 ns", or "not given" for null. */
static void proj_cost_text(struct json_object *bl, enum rm_key key, char *buf, size_t len)
{
	if (rm_find(bl, key))
		snprintf(buf, len, "%" PRId64 " ns", rm_int(bl, key));
	else
		snprintf(buf, len, "not given");
}

void projection_baseline_text(FILE *f, struct json_object *proj)
{
	struct json_object *bl = rm_find(proj, RK_PROJ_BASELINE);
	char exit_cost[32], ipi[32];

	if (!bl) {
		fprintf(f, "  all of the exits' and the routine deliveries' host time is taken out "
			   "(no bare-metal baseline)\n");
		return;
	}
	proj_cost_text(bl, RK_PB_EXIT, exit_cost, sizeof(exit_cost));
	proj_cost_text(bl, RK_PB_IPI, ipi, sizeof(ipi));
	fprintf(f,
		"  bare-metal baseline: exit %s, routine IPI delivery %s: %.0f%% of the exits' and "
		"%.0f%% of the routine deliveries' time is host time\n",
		exit_cost, ipi, 100 * rm_num(proj, RK_PROJ_EXIT_SHARE),
		100 * rm_num(proj, RK_PROJ_ROUTINE_SHARE));
}
