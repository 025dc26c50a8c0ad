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
#include "lib/trace/trace_reader.h"

/* shown spikes up to this many are picked from the rest without sorting them all */
#define ATTR_TOP_SHORT 64

/* attr_work - what the report keeps per probe between the passes. */
struct attr_work {
	struct spike *sp;
	size_t nsp;
	struct spikes_baseline base;
};

/*
 * attr_timed_tid - the PROBE chunk's "timed_tid" when the runner wrote one, else the SESSION's
 * "pid" (measure_probe runs in the runner's main thread, whose tid is the pid).
 */
uint32_t attr_timed_tid(const struct trace_session *s, const struct trace_probe *p)
{
	struct json_object *v;

	if (p->begin && json_object_object_get_ex(p->begin, "timed_tid", &v))
		return (uint32_t)json_object_get_int64(v);
	if (s->session && json_object_object_get_ex(s->session, "pid", &v))
		return (uint32_t)json_object_get_int64(v);
	return 0;
}

/* attr_num - a number under @key of @o, 0 when absent. */
static double attr_num(struct json_object *o, const char *key)
{
	struct json_object *v;

	return o && json_object_object_get_ex(o, key, &v) ? json_object_get_double(v) : 0;
}

int attr_find_spikes(const struct trace_session *s, const struct trace_probe *p,
		     const struct spikes_opts *o, struct spike **sp, size_t *n,
		     struct spikes_baseline *base)
{
	struct json_object *cal = NULL;
	struct spikes_clock clk;
	int rc;

	if (s->platform)
		json_object_object_get_ex(s->platform, "calibration", &cal);
	clk = (struct spikes_clock){.tsc_hz = attr_num(cal, "tsc_hz"),
				    .tsc_hz_err = attr_num(cal, "tsc_hz_err")};
	rc = spikes_find(p->samples, p->nsamples, o, sp, n, base);
	if (!rc)
		rc = spikes_map_tsc(*sp, *n, p->samples, p->nsamples, &clk);
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
	size_t k, n;

	spikes_opts_default(&o);
	for (k = 0; k < s->nprobes; k++) {
		if (!s->probes[k].name || strcmp(s->probes[k].name, name))
			continue;
		if (spikes_find(s->probes[k].samples, s->probes[k].nsamples, &o, &sp, &n, &b))
			return 0;
		free(sp);
		return b.median_ns;
	}
	return 0;
}

void attr_platform_of(const struct trace_session *s, struct attr_platform *pf)
{
	struct json_object *hv = NULL;
	double vmexit = attr_probe_median(s, "vmexit"), null = attr_probe_median(s, "null");

	memset(pf, 0, sizeof(*pf));
	if (s->platform && json_object_object_get_ex(s->platform, "hypervisor", &hv))
		pf->hypervisor = json_object_get_type(hv) == json_type_string;
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

/* attr_top_json - the @top largest spikes as a JSON array; NULL when out of memory. */
static struct json_object *attr_top_json(const struct attr_work *w,
					 const struct attr_probe_out *out, size_t top,
					 const struct arch *arch, const struct attr_names *names)
{
	struct json_object *arr = json_object_new_array(), *one;
	size_t *idx, i;

	idx = malloc((w->nsp ? w->nsp : 1) * sizeof(*idx));
	if (!idx || !arr) {
		free(idx);
		json_object_put(arr);
		return NULL;
	}
	top = attr_top_of(w->sp, w->nsp, top, idx);
	for (i = 0; i < top; i++) {
		one = attr_spike_json(&w->sp[idx[i]], &out->spikes[idx[i]], arch, names);
		if (one)
			json_object_array_add(arr, one);
	}
	free(idx);
	return arr;
}

/* attr_detection_json - how the spikes were found. */
static struct json_object *attr_detection_json(const struct attr_work *w,
					       const struct spikes_opts *o)
{
	struct json_object *d = json_object_new_object();

	json_object_object_add(d, "good_samples", json_object_new_int64((int64_t)w->base.ngood));
	json_object_object_add(d, "median_ns", json_object_new_double(w->base.median_ns));
	json_object_object_add(d, "mad_ns", json_object_new_double(w->base.mad_ns));
	json_object_object_add(d, "threshold_ns", json_object_new_double(w->base.threshold_ns));
	json_object_object_add(d, "k", json_object_new_double(o->k));
	json_object_object_add(d, "min_ratio", json_object_new_double(o->min_ratio));
	json_object_object_add(d, "min_excess_ns", json_object_new_double(o->min_excess_ns));
	return d;
}

/* attr_probe_section - add the spike sections of one probe of @s to its report object. */
static void attr_probe_section(struct json_object *probe, const struct attr_work *w,
			       const struct attr_probe_out *out, const struct attr_report_opts *o,
			       const struct trace_session *s, const struct attr_names *names)
{
	struct json_object *attr = json_object_new_object(), *c;
	unsigned int k;

	for (k = 0; k < ATTR_NCAUSES; k++) {
		c = json_object_new_object();
		json_object_object_add(c, "spikes",
				       json_object_new_int64((int64_t)out->dominant[k]));
		json_object_object_add(c, "excess_ns",
				       json_object_new_int64((int64_t)out->excess_ns[k]));
		json_object_object_add(attr, attr_cause_name(k), c);
	}
	json_object_object_add(probe, "traced", json_object_new_boolean(s->tracer || s->nevents));
	json_object_object_add(probe, "spike_detection", attr_detection_json(w, &o->spikes));
	json_object_object_add(probe, "spikes_found", json_object_new_int64((int64_t)w->nsp));
	json_object_object_add(probe, "spikes",
			       attr_top_json(w, out, o->top, arch_of_platform(s->platform), names));
	json_object_object_add(probe, "attribution", attr);
	json_object_object_add(probe, "syscalls_in_windows",
			       json_object_new_int64((int64_t)out->syscalls_in_windows));
	json_object_object_add(probe, "syscall_transition_ns",
			       json_object_new_int64((int64_t)out->transition_ns));
	json_object_object_add(probe, "syscall_transition_windows",
			       json_object_new_int64((int64_t)out->transition_windows));
}

/* attr_find_all - spikes of every probe, and the join's input. Returns 0 or -errno. */
static int attr_find_all(const struct trace_session *s, const struct attr_report_opts *o,
			 struct attr_work *w, struct attr_probe_in *in)
{
	size_t k;
	int rc;

	for (k = 0; k < s->nprobes; k++) {
		const struct trace_probe *p = &s->probes[k];

		rc = attr_find_spikes(s, p, &o->spikes, &w[k].sp, &w[k].nsp, &w[k].base);
		if (rc)
			return rc;
		in[k] = (struct attr_probe_in){.spikes = w[k].sp,
					       .nspikes = w[k].nsp,
					       .samples = p->samples,
					       .nsamples = p->nsamples,
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

int attr_report_add(const char *path, const struct trace_session *s,
		    const struct attr_report_opts *o, struct json_object *probes, char *err,
		    size_t errlen)
{
	struct attr_probe_out *out = calloc(s->nprobes + 1, sizeof(*out));
	struct attr_probe_in *in = calloc(s->nprobes + 1, sizeof(*in));
	struct attr_work *w = calloc(s->nprobes + 1, sizeof(*w));
	struct attr_join *j = NULL;
	struct attr_platform pf;
	struct attr_evidence ev;
	size_t k;
	int rc = -ENOMEM;

	snprintf(err, errlen, "out of memory attributing the spikes of '%s'", path);
	if (!out || !in || !w)
		goto cleanup;
	attr_platform_of(s, &pf);
	rc = attr_find_all(s, o, w, in);
	if (!rc)
		rc = attr_join__new(in, s->nprobes, arch_of_platform(s->platform), &pf, &j);
	if (!rc)
		rc = attr_stream(s, j, o, err, errlen);
	if (!rc)
		rc = attr_join__finish(j, out);
	if (!rc)
		attr_join__evidence(j, &ev);
	for (k = 0; !rc && k < s->nprobes; k++) {
		struct json_object *probe = json_object_array_get_idx(probes, k);

		attr_probe_section(probe, &w[k], &out[k], o, s, attr_join__names(j));
		attr_evidence_section(probe, &out[k], &pf, &ev);
		attr_probe_out_free(&out[k]);
	}
cleanup:
	attr_join__free(j);
	for (k = 0; w && k < s->nprobes; k++)
		free(w[k].sp);
	free(w);
	free(in);
	free(out);
	return rc;
}
