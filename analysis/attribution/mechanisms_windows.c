// SPDX-License-Identifier: MIT
/*
 * mechanisms_windows - the time each mechanism held inside every timed window of a session. The
 * windows (every probe's traced samples) are indexed by start; each mechanism interval is kept,
 * clipped, for every window it overlaps; at the end each window's intervals are swept so that
 * every instant goes to one mechanism at most.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/attribution/mechanisms.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

/* mech_win - one timed window, by start. */
struct mech_win {
	uint64_t start, end;
	uint64_t maxend; /* of this and every earlier window: bounds the walk back */
	uint32_t probe;	 /* index into the session's probes */
	uint32_t slot;	 /* index into the probe's results */
};

/* mech_piece - a clipped interval waiting for its window's sweep. */
struct mech_piece {
	uint64_t start, end;
	uint32_t win;
	uint8_t kind;
};

struct mech_windows {
	struct mech_win *w; /* sorted by start */
	size_t nw;
	uint32_t *timed_tid;	  /* per probe */
	struct mech_window **res; /* per probe, parallel to its traced samples */
	size_t *nres, nprobes;
	struct mech_piece *pieces;
	size_t npieces, cap;
};

/* mech_cmp_win - windows by start. */
static int mech_cmp_win(const void *a, const void *b)
{
	const struct mech_win *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* mech_probe_windows - probe @k's traced samples as windows, its results zeroed. */
static int mech_probe_windows(struct mech_windows *w, const struct trace_session *s, size_t k)
{
	size_t i, n;
	const struct trace_sample *ts = trace_probe_traced_samples(&s->probes[k], &n);

	w->timed_tid[k] = attr_timed_tid(s, &s->probes[k]);
	w->res[k] = calloc(n ? n : 1, sizeof(**w->res));
	if (!w->res[k])
		return -ENOMEM;
	w->nres[k] = n;
	for (i = 0; i < n; i++)
		w->w[w->nw++] = (struct mech_win){.start = ts[i].mono_start_ns,
						  .end = ts[i].mono_end_ns,
						  .probe = (uint32_t)k,
						  .slot = (uint32_t)i};
	return 0;
}

/* mech_wanted - whether probe @p gets windows: every probe, or those named @only. */
static bool mech_wanted(const struct trace_probe *p, const char *only)
{
	return !only || (p->name && !strcmp(p->name, only));
}

int mech_windows_new(const struct trace_session *s, const char *only, struct mech_windows **out)
{
	struct mech_windows *w = calloc(1, sizeof(*w));
	size_t k, n = 0, ns;
	int rc = -ENOMEM;

	if (!w)
		return -ENOMEM;
	for (k = 0; k < s->nprobes; k++) {
		trace_probe_traced_samples(&s->probes[k], &ns);
		n += mech_wanted(&s->probes[k], only) ? ns : 0;
	}
	w->nprobes = s->nprobes;
	w->w = malloc((n ? n : 1) * sizeof(*w->w));
	w->timed_tid = calloc(s->nprobes + 1, sizeof(*w->timed_tid));
	w->res = calloc(s->nprobes + 1, sizeof(*w->res));
	w->nres = calloc(s->nprobes + 1, sizeof(*w->nres));
	if (!w->w || !w->timed_tid || !w->res || !w->nres)
		goto fail;
	for (k = 0; k < s->nprobes; k++)
		if (mech_wanted(&s->probes[k], only) && (rc = mech_probe_windows(w, s, k)))
			goto fail;
	qsort(w->w, w->nw, sizeof(*w->w), mech_cmp_win);
	for (k = 0; k < w->nw; k++)
		w->w[k].maxend =
		    k && w->w[k - 1].maxend > w->w[k].end ? w->w[k - 1].maxend : w->w[k].end;
	*out = w;
	return 0;
fail:
	mech_windows_free(w);
	return rc;
}

/* mech_before - the number of windows that start before @t. */
static size_t mech_before(const struct mech_windows *w, uint64_t t)
{
	size_t lo = 0, hi = w->nw, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->w[mid].start < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* mech_piece_add - @iv clipped to window @i. 0 or -ENOMEM. */
static int mech_piece_add(struct mech_windows *w, size_t i, const struct mech_iv *iv)
{
	struct mech_piece *grown;
	const struct mech_win *win = &w->w[i];

	if (w->npieces == w->cap) {
		grown = realloc(w->pieces, (w->cap ? 2 * w->cap : 4096) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		w->pieces = grown;
		w->cap = w->cap ? 2 * w->cap : 4096;
	}
	w->pieces[w->npieces++] = (struct mech_piece){
	    .start = iv->start > win->start ? iv->start : win->start,
	    .end = iv->end < win->end ? iv->end : win->end,
	    .win = (uint32_t)i,
	    .kind = iv->kind,
	};
	return 0;
}

int mech_windows_interval(void *windows, const struct mech_iv *iv)
{
	struct mech_windows *w = windows;
	size_t i = mech_before(w, iv->end);
	int rc;

	for (; i > 0 && w->w[i - 1].maxend > iv->start; i--) {
		if (w->w[i - 1].end <= iv->start)
			continue;
		rc = mech_piece_add(w, i - 1, iv);
		if (rc)
			return rc;
	}
	return 0;
}

void mech_windows_event(struct mech_windows *w, const struct tracer_event *e)
{
	size_t i;
	const struct mech_win *win;

	if (e->type != TRACER_EV_SYSCALL)
		return;
	i = mech_before(w, e->ts_ns + 1);
	for (; i > 0 && w->w[i - 1].maxend > e->ts_ns; i--) {
		win = &w->w[i - 1];
		if (win->end > e->ts_ns && e->ts_ns + e->dur_ns <= win->end &&
		    e->tid == w->timed_tid[win->probe])
			w->res[win->probe][win->slot].syscalls++;
	}
}

/* mech_cmp_piece - pieces by window, then start. */
static int mech_cmp_piece(const void *a, const void *b)
{
	const struct mech_piece *x = a, *y = b;

	if (x->win != y->win)
		return x->win < y->win ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/*
 * mech_sweep - the pieces of one window, sorted by start: every elementary segment between their
 * boundaries goes to the first mechanism (in enum order) active over it.
 */
static void mech_sweep(const struct mech_piece *p, size_t n, uint64_t *bounds, uint32_t *ns)
{
	uint64_t sum[MECH_NIV] = {0};
	size_t i, j, nb = 0;
	unsigned int best;

	for (i = 0; i < n; i++) {
		bounds[nb++] = p[i].start;
		bounds[nb++] = p[i].end;
	}
	stats_sort_u64(bounds, nb);
	for (j = 0; j + 1 < nb; j++) {
		if (bounds[j + 1] == bounds[j])
			continue;
		best = MECH_NIV;
		for (i = 0; i < n && p[i].start <= bounds[j]; i++)
			if (p[i].end > bounds[j] && p[i].kind < best)
				best = p[i].kind;
		if (best < MECH_NIV)
			sum[best] += bounds[j + 1] - bounds[j];
	}
	for (best = 0; best < MECH_NIV; best++) /* a window longer than 4.3 s holds at most that */
		ns[best] = sum[best] < UINT32_MAX ? (uint32_t)sum[best] : UINT32_MAX;
}

int mech_windows_finish(struct mech_windows *w)
{
	size_t i = 0, j, most = 0;
	uint64_t *bounds;
	const struct mech_win *win;

	qsort(w->pieces, w->npieces, sizeof(*w->pieces), mech_cmp_piece);
	for (i = 0; i < w->npieces; i = j) {
		for (j = i; j < w->npieces && w->pieces[j].win == w->pieces[i].win; j++)
			;
		most = j - i > most ? j - i : most;
	}
	bounds = malloc((2 * most + 1) * sizeof(*bounds));
	if (!bounds)
		return -ENOMEM;
	for (i = 0; i < w->npieces; i = j) {
		for (j = i; j < w->npieces && w->pieces[j].win == w->pieces[i].win; j++)
			;
		win = &w->w[w->pieces[i].win];
		mech_sweep(&w->pieces[i], j - i, bounds, w->res[win->probe][win->slot].ns);
	}
	free(bounds);
	free(w->pieces);
	free(w->w); /* the index is no use once swept: only the results stay */
	w->pieces = NULL;
	w->w = NULL;
	w->npieces = w->cap = w->nw = 0;
	return 0;
}

const struct mech_window *mech_windows_of(const struct mech_windows *w, size_t k, size_t *n)
{
	*n = k < w->nprobes ? w->nres[k] : 0;
	return *n ? w->res[k] : NULL;
}

void mech_windows_free(struct mech_windows *w)
{
	size_t k;

	if (!w)
		return;
	for (k = 0; w->res && k < w->nprobes; k++)
		free(w->res[k]);
	free(w->res);
	free(w->nres);
	free(w->timed_tid);
	free(w->pieces);
	free(w->w);
	free(w);
}
