// SPDX-License-Identifier: MIT
/*
 * attribution_report - the trace-level driver: spikes per probe, one streaming pass over the
 * file's events through the join, and the per-probe JSON sections of the analyze report.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/attribution/projection_render.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

/* shown spikes up to this many are picked from the rest without sorting them all */
#define ATTR_TOP_SHORT 64

/*
 * attr_timed_tid - the PROBE chunk's "timed_tid" when the runner wrote one, else the SESSION's
 * "pid" (measure_probe runs in the runner's main thread, whose tid is the pid).
 */
uint32_t attr_timed_tid(const struct trace_session *s, const struct trace_probe *p)
{
	if (rm_has(p->begin, RK_BEGIN_TIMED_TID))
		return (uint32_t)json_object_get_int64(rm_find(p->begin, RK_BEGIN_TIMED_TID));
	if (rm_has(s->session, RK_SESSION_PID))
		return (uint32_t)json_object_get_int64(rm_find(s->session, RK_SESSION_PID));
	return 0;
}

int attr_find_spikes(const struct trace_session *s, const struct trace_probe *p,
		     const struct spikes_opts *o, struct spike **sp, size_t *n,
		     struct spikes_baseline *base)
{
	struct json_object *cal = rm_find(s->platform, RK_PLATFORM_CALIBRATION);
	struct spikes_clock clk = {
	    .tsc_hz = json_object_get_double(rm_find(cal, RK_CALIBRATION_TSC_HZ)),
	    .tsc_hz_err = json_object_get_double(rm_find(cal, RK_CALIBRATION_TSC_HZ_ERR))};
	size_t ns;
	const struct trace_sample *ts = trace_probe_traced_samples(p, &ns);
	int rc;

	/* an observed probe's untraced runs have no events to explain their spikes with */
	rc = spikes_find(ts, ns, o, sp, n, base);
	if (!rc)
		rc = spikes_map_tsc(*sp, *n, ts, ns, &clk);
	if (rc) {
		free(*sp);
		*sp = NULL;
	}
	return rc;
}

/* attr_probe_median - the median latency of the probe named @name in @s, 0 when none. */
static double attr_probe_median(const struct trace_session *s, const char *name)
{
	struct spikes_baseline b = {0};
	struct spikes_opts o;
	struct spike *sp = NULL;
	const struct trace_sample *ts;
	size_t k, n, ns;

	spikes_opts_default(&o);
	for (k = 0; k < s->nprobes; k++) {
		if (!s->probes[k].name || strcmp(s->probes[k].name, name))
			continue;
		ts = trace_probe_stat_samples(&s->probes[k], &ns);
		if (spikes_find(ts, ns, &o, &sp, &n, &b))
			return 0;
		free(sp);
		return b.median_ns;
	}
	return 0;
}

void attr_platform_of(const struct trace_session *s, struct attr_platform *pf)
{
	double vmexit = attr_probe_median(s, "vmexit"), null = attr_probe_median(s, "null");

	memset(pf, 0, sizeof(*pf));
	pf->hypervisor =
	    json_object_is_type(rm_find(s->platform, RK_PLATFORM_HYPERVISOR), json_type_string);
	if (vmexit > null)
		pf->exit_cost_ns = (uint64_t)(vmexit - null);
}

/* attr_pass - what the events pass hands each batch to: the join, and the caller's hook. */
struct attr_pass {
	struct attr_join *j;
	const struct attr_report_opts *o;
};

static int attr_on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct attr_pass *pass = ctx;
	int rc = pass->o->on_events ? pass->o->on_events(pass->o->ctx, ev, n) : 0;

	return rc ? rc : attr_join__add(pass->j, ev, n);
}

/* attr_cmp_excess - spike indices by excess, largest first (then by time); qsort_r order. */
static int attr_cmp_excess(const void *a, const void *b, void *arg)
{
	const struct spike *sp = arg;
	const struct spike *x = &sp[*(const size_t *)a], *y = &sp[*(const size_t *)b];

	if (x->excess_ns != y->excess_ns)
		return x->excess_ns > y->excess_ns ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * attr_top_of - the indices of the @top largest of @n spikes, in attr_cmp_excess order, into
 * @idx (room for @n); returns how many. A few of 93,000 are kept in a short sorted list; many
 * are sorted.
 */
static size_t attr_top_of(const struct spike *sp, size_t n, size_t top, size_t *idx)
{
	size_t i, at, k = 0;

	if (top > ATTR_TOP_SHORT || top >= n) {
		for (i = 0; i < n; i++)
			idx[i] = i;
		qsort_r(idx, n, sizeof(*idx), attr_cmp_excess, (void *)sp);
		return top < n ? top : n;
	}
	for (i = 0; i < n; i++) {
		for (at = k; at > 0 && attr_cmp_excess(&i, &idx[at - 1], (void *)sp) < 0; at--)
			;
		if (at == top)
			continue;
		k += k < top;
		memmove(&idx[at + 1], &idx[at], (k - 1 - at) * sizeof(*idx));
		idx[at] = i;
	}
	return k;
}

/* attr_top_json - the @top largest spikes of @rp as a JSON array; NULL when out of memory. */
static struct json_object *attr_top_json(const struct attr_report_probe *rp, size_t top,
					 const struct arch *arch, const struct attr_names *names)
{
	struct json_object *arr = json_object_new_array(), *one;
	size_t *idx, i;

	idx = malloc((rp->nspikes ? rp->nspikes : 1) * sizeof(*idx));
	if (!idx || !arr) {
		free(idx);
		json_object_put(arr);
		return NULL;
	}
	top = attr_top_of(rp->spikes, rp->nspikes, top, idx);
	for (i = 0; i < top; i++) {
		one = attr_spike_json(&rp->spikes[idx[i]], &rp->out.spikes[idx[i]], arch, names);
		if (one)
			json_object_array_add(arr, one);
	}
	free(idx);
	return arr;
}

/* attr_detection_json - how the spikes were found. */
static struct json_object *attr_detection_json(const struct spikes_baseline *base,
					       const struct spikes_opts *o)
{
	struct json_object *d = json_object_new_object();

	rm_set_int(d, RK_DETECTION_GOOD_SAMPLES, (int64_t)base->ngood);
	rm_set(d, RK_DETECTION_MEDIAN, json_object_new_double(base->median_ns));
	rm_set(d, RK_DETECTION_MAD, json_object_new_double(base->mad_ns));
	rm_set(d, RK_DETECTION_THRESHOLD, json_object_new_double(base->threshold_ns));
	rm_set(d, RK_DETECTION_K, json_object_new_double(o->k));
	rm_set(d, RK_DETECTION_MIN_RATIO, json_object_new_double(o->min_ratio));
	rm_set(d, RK_DETECTION_MIN_EXCESS, json_object_new_double(o->min_excess_ns));
	return d;
}

struct json_object *attr_causes_json(const struct attr_probe_out *out)
{
	struct json_object *attr = json_object_new_object(), *c;
	unsigned int k;

	for (k = 0; k < ATTR_NCAUSES; k++) {
		c = json_object_new_object();
		rm_set_int(c, RK_CAUSE_TOTAL_SPIKES, (int64_t)out->dominant[k]);
		rm_set_int(c, RK_CAUSE_TOTAL_EXCESS, (int64_t)out->excess_ns[k]);
		json_object_object_add(attr, attr_cause_name(k), c);
	}
	return attr;
}

void attr_report_sections(const struct attr_report *r, size_t i, const struct attr_report_opts *o,
			  struct json_object *probe)
{
	const struct attr_report_probe *rp = &r->probes[i];

	rm_set_bool(probe, RK_PROBE_TRACED, r->traced);
	rm_set(probe, RK_PROBE_SPIKE_DETECTION, attr_detection_json(&rp->base, &o->spikes));
	rm_set_int(probe, RK_PROBE_SPIKES_FOUND, (int64_t)rp->nspikes);
	rm_set(probe, RK_PROBE_SPIKES, attr_top_json(rp, o->top, r->arch, r->names));
	rm_set(probe, RK_PROBE_ATTRIBUTION, attr_causes_json(&rp->out));
	rm_set_int(probe, RK_PROBE_SYSCALLS_IN_WINDOWS, (int64_t)rp->out.syscalls_in_windows);
	rm_set_int(probe, RK_PROBE_TRANSITION_NS, (int64_t)rp->out.transition_ns);
	rm_set_int(probe, RK_PROBE_TRANSITION_WINDOWS, (int64_t)rp->out.transition_windows);
	attr_evidence_section(probe, &rp->out, &r->pf, &r->ev);
}

/* attr_find_all - spikes of every probe, and the join's input. Returns 0 or -errno. */
static int attr_find_all(const struct trace_session *s, const struct attr_report_opts *o,
			 struct attr_report *r, struct attr_probe_in *in)
{
	size_t k, ns;
	int rc;

	for (k = 0; k < s->nprobes; k++) {
		const struct trace_probe *p = &s->probes[k];
		struct attr_report_probe *rp = &r->probes[k];

		rc = attr_find_spikes(s, p, &o->spikes, &rp->spikes, &rp->nspikes, &rp->base);
		if (rc)
			return rc;
		in[k] = (struct attr_probe_in){.spikes = rp->spikes,
					       .nspikes = rp->nspikes,
					       .samples = trace_probe_traced_samples(p, &ns),
					       .nsamples = ns,
					       .timed_tid = attr_timed_tid(s, p)};
	}
	return 0;
}

/*
 * attr_stream - one pass over the session's events into the join: the model's load skipped
 * them, so the file is read once in all. Returns 0 or -errno, @err set.
 */
static int attr_stream(const struct trace_session *s, struct attr_join *j,
		       const struct attr_report_opts *o, char *err, size_t errlen)
{
	struct attr_pass pass = {.j = j, .o = o};

	return trace_session_read_events(s, attr_on_events, &pass, err, errlen);
}

/* attr_join_all - the join of every probe's spikes with the file's events, into r's outs. */
static int attr_join_all(const char *path, const struct trace_session *s,
			 const struct attr_report_opts *o, struct attr_report *r, char *err,
			 size_t errlen)
{
	struct attr_probe_in *in = calloc(s->nprobes + 1, sizeof(*in));
	struct attr_probe_out *out = calloc(s->nprobes + 1, sizeof(*out));
	struct attr_join *j = NULL;
	size_t k;
	int rc = -ENOMEM;

	if (!in || !out)
		goto cleanup;
	rc = attr_find_all(s, o, r, in);
	if (!rc)
		rc = attr_join__new(in, s->nprobes, r->arch, &r->pf, &j);
	if (!rc)
		rc = attr_stream(s, j, o, err, errlen);
	if (!rc)
		rc = attr_join__finish(j, out);
	if (!rc) {
		attr_join__evidence(j, &r->ev);
		r->names = attr_join__take_names(j);
	}
	for (k = 0; !rc && k < s->nprobes; k++)
		r->probes[k].out = out[k];
cleanup:
	attr_join__free(j);
	free(out);
	free(in);
	return rc;
}

int attr_report_run(const char *path, const struct trace_session *s,
		    const struct attr_report_opts *o, struct attr_report *r, char *err,
		    size_t errlen)
{
	int rc;

	*r = (struct attr_report){.nprobes = s->nprobes,
				  .traced = s->tracer || s->nevents,
				  .arch = arch_of_platform(s->platform)};
	attr_platform_of(s, &r->pf);
	snprintf(err, errlen, "out of memory attributing the spikes of '%s'", path);
	r->probes = calloc(s->nprobes + 1, sizeof(*r->probes));
	rc = r->probes ? attr_join_all(path, s, o, r, err, errlen) : -ENOMEM;
	if (rc)
		attr_report_free(r);
	return rc;
}

void attr_report_free(struct attr_report *r)
{
	size_t k;

	for (k = 0; r->probes && k < r->nprobes; k++) {
		free(r->probes[k].spikes);
		attr_probe_out_free(&r->probes[k].out);
	}
	free(r->probes);
	attr_names_free(r->names);
	*r = (struct attr_report){0};
}

int attr_report_add(const char *path, const struct trace_session *s,
		    const struct attr_report_opts *o, struct json_object *probes, char *err,
		    size_t errlen)
{
	struct attr_report r;
	size_t k;
	int rc;

	rc = attr_report_run(path, s, o, &r, err, errlen);
	if (rc)
		return rc;
	for (k = 0; !rc && k < s->nprobes; k++) {
		struct proj_path cp = {0};

		attr_report_sections(&r, k, o, json_object_array_get_idx(probes, k));
		rc = o->path_of ? o->path_of(o->path_ctx, k, &cp) : 0;
		if (!rc)
			rc = projection_section_add(&r, k, s, &o->baseline, o->path_of ? &cp : NULL,
						    json_object_array_get_idx(probes, k));
	}
	attr_report_free(&r);
	if (rc)
		snprintf(err, errlen, "out of memory projecting the spikes of '%s'", path);
	return rc;
}
