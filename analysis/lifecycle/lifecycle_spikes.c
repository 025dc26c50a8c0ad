// SPDX-License-Identifier: MIT
/* lifecycle_spikes - which part of which hop grew most in each spike of a ring probe. */
#include "analysis/lifecycle/lifecycle_spikes.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "analysis/lifecycle/lifecycle.h"
#include "analysis/model/report_model.h"
#include "analysis/model/spikes.h"

/*
 * What grew most in one spike (growth 0 and no hop when no split of it grew), and how much its
 * hops grew in all: what is left of its excess was outside them (in a member, before a send).
 */
struct lc_grew {
	unsigned int hop;
	enum lc_part part;
	double growth_ns;
	double hops_ns;
	bool found;
};

/* grew_most - of the @count splits at @sp (one sample's), the part that grew most. */
static struct lc_grew grew_most(const struct lc_split *sp, size_t count, const lc_medians median)
{
	struct lc_grew g = {0};
	double d, hops = 0;

	for (size_t i = 0; i < count; i++) {
		hops += (double)sp[i].total_ns - median[sp[i].hop][LC_NPARTS];
		for (int p = 0; p < LC_NPARTS; p++) {
			d = (double)sp[i].part_ns[p] - median[sp[i].hop][p];
			if (d > g.growth_ns) {
				g = (struct lc_grew){.hop = sp[i].hop, .part = p, .growth_ns = d};
				g.found = true;
			}
		}
	}
	g.hops_ns = hops;
	return g;
}

/* spike_json - spike @k with what grew most in it. */
static struct json_object *spike_json(const struct spike *k, const struct lc_grew *g)
{
	struct json_object *o = json_object_new_object();

	rm_set_int(o, RK_LCSPIKE_RUN, k->run);
	rm_set_int(o, RK_LCSPIKE_ITERATION, k->iteration);
	rm_set_int(o, RK_LCSPIKE_LATENCY, (int64_t)k->latency_ns);
	rm_set_int(o, RK_LCSPIKE_EXCESS, (int64_t)k->excess_ns);
	rm_set_int(o, RK_LCSPIKE_HOP, g->hop);
	rm_set_str(o, RK_LCSPIKE_PART, lc_part_name(g->part));
	rm_set_int(o, RK_LCSPIKE_GROWTH, (int64_t)(g->growth_ns + 0.5));
	rm_set_int(o, RK_LCSPIKE_HOPS_GROWTH, (int64_t)llround(g->hops_ns));
	return o;
}

/* top_json - the LC_TOP_SPIKES spikes of largest excess that grew somewhere, largest first. */
static struct json_object *top_json(const struct spike *k, const struct lc_grew *g, size_t n)
{
	struct json_object *a = json_object_new_array();
	bool *taken = calloc(n ? n : 1, sizeof(*taken));
	size_t best;

	for (int t = 0; taken && t < LC_TOP_SPIKES; t++) {
		best = n;
		for (size_t i = 0; i < n; i++) {
			if (!taken[i] && g[i].found &&
			    (best == n || k[i].excess_ns > k[best].excess_ns))
				best = i;
		}
		if (best == n)
			break;
		taken[best] = true;
		json_object_array_add(a, spike_json(&k[best], &g[best]));
	}
	free(taken);
	return a;
}

/* grew_json - for each hop and part, the spikes in which it grew most (those with any). */
static struct json_object *grew_json(const struct lc_grew *g, size_t n, unsigned int hops)
{
	struct json_object *a = json_object_new_array(), *o;
	int64_t count;

	for (unsigned int h = 0; h < hops; h++) {
		for (int p = 0; p < LC_NPARTS; p++) {
			count = 0;
			for (size_t i = 0; i < n; i++)
				count +=
				    g[i].found && g[i].hop == h && g[i].part == (enum lc_part)p;
			if (!count)
				continue;
			o = json_object_new_object();
			rm_set_int(o, RK_LCGREW_HOP, h);
			rm_set_str(o, RK_LCGREW_PART, lc_part_name(p));
			rm_set_int(o, RK_LCGREW_SPIKES, count);
			json_object_array_add(a, o);
		}
	}
	return a;
}

/* sample_splits - where each sample's splits start in @sp (SIZE_MAX: none) and how many. */
static int sample_splits(const struct lc_split *sp, size_t n, size_t nsamples, size_t **first,
			 size_t **count)
{
	*first = malloc((nsamples ? nsamples : 1) * sizeof(**first));
	*count = calloc(nsamples ? nsamples : 1, sizeof(**count));
	if (!*first || !*count)
		return -ENOMEM;
	for (size_t i = 0; i < nsamples; i++)
		(*first)[i] = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		if ((*first)[sp[i].sample] == SIZE_MAX)
			(*first)[sp[i].sample] = i;
		(*count)[sp[i].sample]++;
	}
	return 0;
}

int lc_spikes_add(struct json_object *o, const struct lc_input *in, const struct lc_split *sp,
		  size_t n, const lc_medians median, const struct spikes_opts *so)
{
	size_t nk = 0, *first = NULL, *count = NULL;
	struct lc_grew *g = NULL;
	struct spike *k = NULL;
	int ret;

	ret = spikes_find(in->samples, in->nsamples, so, &k, &nk, NULL);
	if (!ret)
		ret = sample_splits(sp, n, in->nsamples, &first, &count);
	g = ret ? NULL : calloc(nk ? nk : 1, sizeof(*g));
	if (!ret && !g)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < nk; i++) {
		if (first[k[i].sample] != SIZE_MAX)
			g[i] = grew_most(&sp[first[k[i].sample]], count[k[i].sample], median);
	}
	if (!ret) {
		rm_set_int(o, RK_LC_SPIKES_FOUND, (int64_t)nk);
		rm_set(o, RK_LC_SPIKES, top_json(k, g, nk));
		rm_set(o, RK_LC_GREW_MOST, grew_json(g, nk, in->hops));
	}
	free(g);
	free(first);
	free(count);
	free(k);
	return ret;
}
