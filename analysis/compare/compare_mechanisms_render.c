// SPDX-License-Identifier: MIT
/*
 * compare_mechanisms_render - the decomposition by mechanism as the compare entry's
 * "mechanisms" object, and its lines under the verdict.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/compare/compare_mechanisms.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

/* The parts a verdict line names: at most this many, each at least this share of the total. */
#define CMP_MECH_SHOWN	   4
#define CMP_MECH_MIN_SHARE 0.01

/* cmp_part_json - {"ns", "lo_ns", "hi_ns"}. */
static struct json_object *cmp_part_json(const struct cmp_mech_part *p)
{
	struct json_object *o = json_object_new_object();

	rm_set(o, RK_CMP_MECH_NS, rm_ns(p->ns));
	rm_set(o, RK_CMP_MECH_LO, rm_ns(p->lo));
	rm_set(o, RK_CMP_MECH_HI, rm_ns(p->hi));
	return o;
}

struct json_object *cmp_mech_result_json(const struct cmp_mech_result *r)
{
	struct json_object *o = json_object_new_object(), *parts = json_object_new_object();
	unsigned int k;

	for (k = 0; k < MECH_NIV; k++)
		json_object_object_add(parts, mech_key(k), cmp_part_json(&r->mech[k]));
	rm_set(o, RK_CMP_MECH_TOTAL, cmp_part_json(&r->total));
	rm_set(o, RK_CMP_MECH_PARTS_OF, parts);
	rm_set(o, RK_CMP_MECH_UNEXPLAINED, cmp_part_json(&r->unexplained));
	return o;
}

/* cmp_side_of - probe @k of @s: its traced samples and their mechanism times. */
static void cmp_side_of(const struct trace_session *s, const struct mech_windows *w, size_t k,
			struct cmp_mech_side *side)
{
	size_t nw;

	side->samples = trace_probe_traced_samples(&s->probes[k], &side->n);
	side->win = mech_windows_of(w, k, &nw);
	if (!side->win || nw != side->n)
		side->n = 0;
}

int compare_mechanisms_add(struct json_object *probe, const struct trace_session *a,
			   const struct mech_windows *wa, size_t ia, const struct trace_session *b,
			   const struct mech_windows *wb, size_t ib)
{
	struct cmp_mech_side sa, sb;
	struct cmp_mech_result r50, r99;
	struct json_object *o;
	int rc;

	if (!wa || !wb || !a->tracer || !b->tracer)
		return 0; /* an untraced side has no mechanism to explain anything with */
	cmp_side_of(a, wa, ia, &sa);
	cmp_side_of(b, wb, ib, &sb);
	rc = cmp_mech_decompose(&sa, &sb, 0.5, CMP_MECH_REPS, &r50);
	if (!rc)
		rc = cmp_mech_decompose(&sa, &sb, 0.99, CMP_MECH_REPS, &r99);
	if (rc)
		return rc == -EINVAL ? 0 : rc; /* -EINVAL: a side without a good traced sample */
	o = json_object_new_object();
	if (!o)
		return -ENOMEM;
	rm_set_int(o, RK_CMP_MECH_NA, (int64_t)r50.na);
	rm_set_int(o, RK_CMP_MECH_NB, (int64_t)r50.nb);
	rm_set_str(o, RK_CMP_MECH_RESAMPLED,
		   r50.by_runs ? "runs" : "blocks of up to 1000 iterations of a run");
	rm_set(o, RK_CMP_MECH_P50, cmp_mech_result_json(&r50));
	rm_set(o, RK_CMP_MECH_P99, cmp_mech_result_json(&r99));
	rm_set(probe, RK_CMP_MECHANISMS, o);
	return 0;
}

void cmp_mech_print_part(FILE *f, const char *name, struct json_object *p, int first)
{
	fprintf(f, "%s%s %+.1f [%+.1f, %+.1f]", first ? ", of which " : ", ", name,
		rm_num(p, RK_CMP_MECH_NS) / 1e3, rm_num(p, RK_CMP_MECH_LO) / 1e3,
		rm_num(p, RK_CMP_MECH_HI) / 1e3);
}

/* cmp_largest - the parts worth naming, largest first, into @pick; how many. */
static unsigned int cmp_largest(struct json_object *parts, double total, unsigned int *pick)
{
	unsigned int k, j, n = 0, all[MECH_NIV];
	double v[MECH_NIV];

	for (k = 0; k < MECH_NIV; k++) {
		v[k] = fabs(rm_num(rm_member(parts, mech_key(k)), RK_CMP_MECH_NS));
		if (!(v[k] > 0) || v[k] < CMP_MECH_MIN_SHARE * fabs(total))
			continue;
		for (j = n++; j > 0 && v[all[j - 1]] < v[k]; j--)
			all[j] = all[j - 1];
		all[j] = k;
	}
	n = n < CMP_MECH_SHOWN ? n : CMP_MECH_SHOWN;
	for (j = 0; j < n; j++)
		pick[j] = all[j];
	return n;
}

/* cmp_print_q - "VERDICT: B's pQ is +X us [lo, hi], of which ..., unexplained +W [lo, hi]". */
static void cmp_print_q(FILE *f, const char *verdict, const char *q, struct json_object *r)
{
	struct json_object *total = rm_get(r, RK_CMP_MECH_TOTAL);
	struct json_object *parts = rm_get(r, RK_CMP_MECH_PARTS_OF);
	unsigned int pick[CMP_MECH_SHOWN], n, i;

	fprintf(f, "  %s: B's %s is %+.1f us [%+.1f, %+.1f]", verdict, q,
		rm_num(total, RK_CMP_MECH_NS) / 1e3, rm_num(total, RK_CMP_MECH_LO) / 1e3,
		rm_num(total, RK_CMP_MECH_HI) / 1e3);
	n = cmp_largest(parts, rm_num(total, RK_CMP_MECH_NS), pick);
	for (i = 0; i < n; i++)
		cmp_mech_print_part(f, mech_name(pick[i]), rm_member(parts, mech_key(pick[i])), !i);
	cmp_mech_print_part(f, "unexplained", rm_get(r, RK_CMP_MECH_UNEXPLAINED), !n);
	fputc('\n', f);
}

void compare_mechanisms_print(FILE *f, struct json_object *probe)
{
	struct json_object *m = rm_find(probe, RK_CMP_MECHANISMS);
	const char *verdict = rm_text(probe, RK_CMP_VERDICT, "no verdict");

	if (!m)
		return;
	fprintf(f,
		"by mechanism (traced runs: %lld and %lld samples; us, 95%% intervals resampling "
		"%s):\n",
		(long long)rm_int(m, RK_CMP_MECH_NA), (long long)rm_int(m, RK_CMP_MECH_NB),
		rm_str(m, RK_CMP_MECH_RESAMPLED));
	cmp_print_q(f, verdict, "p50", rm_get(m, RK_CMP_MECH_P50));
	cmp_print_q(f, verdict, "p99", rm_get(m, RK_CMP_MECH_P99));
}
