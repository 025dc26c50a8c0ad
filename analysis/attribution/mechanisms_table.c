// SPDX-License-Identifier: MIT
/*
 * mechanisms_table - one session's mechanism costs: the lengths of the intervals the events
 * show, the syscall probe's flush iterations, the vmexit probe against the null probe, and the
 * rate of vCPU absences in the traced runs; each median with its distribution-free interval.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/model/report_model.h"
#include "lib/stats.h"
#include "lib/trace/trace_reader.h"

/* mech_values - a growing array of lengths (ns). */
struct mech_values {
	double *v;
	size_t n, cap;
};

/* mech_span - one traced run's time. */
struct mech_span {
	uint64_t start, end;
};

struct mech_session {
	const struct trace_session *s;
	struct mech_stream *stream;
	struct mech_windows *win;
	struct mech_values len[MECH_NIV];
	struct mech_span *runs; /* sorted by start */
	size_t nruns;
	uint64_t absences_in_runs;
	struct mech_iv *host; /* the absences and deliveries, for the projection's critical path */
	size_t nhost, caphost;
};

/* mech_push - @x onto @a. 0 or -ENOMEM. */
static int mech_push(struct mech_values *a, double x)
{
	double *grown;

	if (a->n == a->cap) {
		grown = realloc(a->v, (a->cap ? 2 * a->cap : 1024) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		a->v = grown;
		a->cap = a->cap ? 2 * a->cap : 1024;
	}
	a->v[a->n++] = x;
	return 0;
}

/* mech_in_runs - whether @t lies in one of the traced runs. */
static int mech_in_runs(const struct mech_session *m, uint64_t t)
{
	size_t lo = 0, hi = m->nruns, mid;

	while (lo < hi) { /* the first run that ends after t */
		mid = lo + (hi - lo) / 2;
		if (m->runs[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->nruns && m->runs[lo].start <= t;
}

/* mech_keep_host - @iv (an absence or a delivery) kept for mech_session_host(). 0 or -ENOMEM. */
static int mech_keep_host(struct mech_session *m, const struct mech_iv *iv)
{
	struct mech_iv *grown;

	if (m->nhost == m->caphost) {
		grown = realloc(m->host, (m->caphost ? 2 * m->caphost : 1024) * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		m->host = grown;
		m->caphost = m->caphost ? 2 * m->caphost : 1024;
	}
	m->host[m->nhost++] = *iv;
	return 0;
}

/* mech_on_iv - an interval: its length into the table, its time into the windows. */
static int mech_on_iv(void *arg, const struct mech_iv *iv)
{
	struct mech_session *m = arg;
	int rc = mech_push(&m->len[iv->kind], (double)(iv->end - iv->start));

	if (!rc && iv->kind == MECH_ABSENCE)
		m->absences_in_runs += (uint64_t)mech_in_runs(m, iv->start);
	if (!rc && iv->kind <= MECH_TIMER_LATENESS)
		rc = mech_keep_host(m, iv);
	return rc ? rc : mech_windows_interval(m->win, iv);
}

int mech_session_add(void *session, const struct tracer_event *ev, size_t n)
{
	struct mech_session *m = session;
	size_t i;

	for (i = 0; i < n; i++)
		mech_windows_event(m->win, &ev[i]);
	return mech_stream_add(m->stream, ev, n, mech_on_iv, m);
}

/* mech_cmp_span - runs by start. */
static int mech_cmp_span(const void *a, const void *b)
{
	const struct mech_span *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* mech_runs - every probe's traced runs as spans (samples of a run are adjacent). */
static int mech_runs(struct mech_session *m)
{
	const struct trace_sample *ts;
	size_t k, i, n, total = 0;

	for (k = 0; k < m->s->nprobes; k++) {
		trace_probe_traced_samples(&m->s->probes[k], &n);
		total += n;
	}
	m->runs = malloc((total ? total : 1) * sizeof(*m->runs));
	if (!m->runs)
		return -ENOMEM;
	for (k = 0; k < m->s->nprobes; k++) {
		ts = trace_probe_traced_samples(&m->s->probes[k], &n);
		for (i = 0; i < n; i++) {
			struct mech_span *r;

			if (!i || ts[i].run != ts[i - 1].run) {
				m->runs[m->nruns++] =
				    (struct mech_span){ts[i].mono_start_ns, ts[i].mono_end_ns};
				continue;
			}
			r = &m->runs[m->nruns - 1];
			r->start = ts[i].mono_start_ns < r->start ? ts[i].mono_start_ns : r->start;
			r->end = ts[i].mono_end_ns > r->end ? ts[i].mono_end_ns : r->end;
		}
	}
	qsort(m->runs, m->nruns, sizeof(*m->runs), mech_cmp_span);
	return 0;
}

int mech_session_new(const struct trace_session *s, bool every_window, struct mech_session **out)
{
	struct json_object *waker;
	struct mech_session *m;
	int rc;

	if (!s || !out)
		return -EINVAL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->s = s;
	waker = rm_find(s->tracer, RK_TRACER_WAKER_CPU);
	rc = mech_stream_new(arch_of_platform(s->platform), waker && json_object_get_boolean(waker),
			     &m->stream);
	if (!rc)
		rc = mech_windows_new(s, every_window ? NULL : "syscall", &m->win);
	if (!rc)
		rc = mech_runs(m);
	if (rc) {
		mech_session_free(m);
		return rc;
	}
	*out = m;
	return 0;
}

const struct mech_windows *mech_session_windows(const struct mech_session *m)
{
	return m->win;
}

const struct mech_iv *mech_session_host(const struct mech_session *m, size_t *n)
{
	*n = m->nhost;
	return m->host;
}

void mech_session_free(struct mech_session *m)
{
	size_t k;

	if (!m)
		return;
	for (k = 0; k < MECH_NIV; k++)
		free(m->len[k].v);
	mech_stream_free(m->stream);
	mech_windows_free(m->win);
	free(m->runs);
	free(m->host);
	free(m);
}

void mech_cost_of(double *v, size_t n, struct mech_cost *c)
{
	double half = 1.959964 * sqrt((double)n) / 2, lo, hi;

	memset(c, 0, sizeof(*c));
	if (!n)
		return;
	stats_sort(v, n);
	/*
	 * ranks (1-based) n/2 -+ 1.96 sqrt(n)/2: the normal approximation of binomial(n, 1/2);
	 * with few values they fall off the ends, and the interval is the whole range
	 */
	lo = fmax(floor((double)n / 2 - half), 1);
	hi = fmin(ceil((double)n / 2 + half) + 1, (double)n);
	c->n = n;
	c->p50_ns = stats_percentile(v, n, 0.5);
	c->p90_ns = stats_percentile(v, n, 0.9);
	c->lo_ns = v[(size_t)lo - 1];
	c->hi_ns = v[(size_t)hi - 1];
}

/* mech_latencies - the latencies of @n samples as doubles (malloc'd; NULL: out of memory). */
static double *mech_latencies(const struct trace_sample *ts, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof(*v));
	size_t i;

	for (i = 0; v && i < n; i++)
		v[i] = (double)ts[i].latency_ns;
	return v;
}

/* mech_probe - the probe named @name in the session, NULL when it has none. */
static const struct trace_probe *mech_probe(const struct trace_session *s, const char *name)
{
	size_t k;

	for (k = 0; k < s->nprobes; k++)
		if (s->probes[k].name && !strcmp(s->probes[k].name, name))
			return &s->probes[k];
	return NULL;
}

/*
 * mech_syscall_cost - one syscall: the syscall probe's traced iterations that hold exactly one
 * syscall of its timed thread (the flush's write(2): most iterations only copy into the stdio
 * buffer), each less the probe's median. Its entry and exit are in it, which no tracepoint sees.
 */
static int mech_syscall_cost(const struct mech_session *m, struct mech_cost *c)
{
	const struct trace_probe *p = mech_probe(m->s, "syscall");
	const struct mech_window *w;
	const struct trace_sample *ts;
	double *lat, *v, med;
	size_t i, n, nw, k = 0;

	c->why = "no syscall probe in this trace";
	if (!p)
		return 0;
	c->why = "the syscall probe was not traced";
	ts = trace_probe_traced_samples(p, &n);
	w = mech_windows_of(m->win, (size_t)(p - m->s->probes), &nw);
	if (!m->s->tracer || !w || nw != n)
		return 0;
	lat = mech_latencies(ts, n);
	v = malloc((n ? n : 1) * sizeof(*v));
	if (!lat || !v) {
		free(lat);
		free(v);
		return -ENOMEM;
	}
	stats_sort(lat, n);
	med = stats_percentile(lat, n, 0.5);
	for (i = 0; i < n; i++)
		if (w[i].syscalls == 1 && (double)ts[i].latency_ns > med)
			v[k++] = (double)ts[i].latency_ns - med;
	mech_cost_of(v, k, c);
	c->why = k ? NULL : "no traced iteration of the syscall probe held one syscall";
	free(lat);
	free(v);
	return 0;
}

/* mech_probe_cost - the median of probe @p's statistics samples and its interval. */
static int mech_probe_cost(const struct trace_probe *p, struct mech_cost *c)
{
	size_t n;
	const struct trace_sample *ts = trace_probe_stat_samples(p, &n);
	double *v = mech_latencies(ts, n);

	if (!v)
		return -ENOMEM;
	mech_cost_of(v, n, c);
	free(v);
	return 0;
}

/* mech_vmexit_cost - the vmexit probe's median less the null probe's; the intervals widen. */
static int mech_vmexit_cost(const struct mech_session *m, struct mech_cost *c)
{
	const struct trace_probe *pv = mech_probe(m->s, "vmexit"), *pn = mech_probe(m->s, "null");
	struct mech_cost v, n;
	int rc;

	c->why = "this trace has no vmexit and null probes";
	if (!pv || !pn)
		return 0;
	rc = mech_probe_cost(pv, &v);
	if (!rc)
		rc = mech_probe_cost(pn, &n);
	if (rc || !v.n || !n.n)
		return rc;
	*c = (struct mech_cost){.n = v.n,
				.p50_ns = v.p50_ns - n.p50_ns,
				.lo_ns = v.lo_ns - n.hi_ns,
				.hi_ns = v.hi_ns - n.lo_ns,
				.p90_ns = v.p90_ns - n.p50_ns};
	return 0;
}

/* mech_why_none - why an interval mechanism has no figure. */
static const char *mech_why_none(const struct mech_session *m, unsigned int k)
{
	struct json_object *waker = rm_find(m->s->tracer, RK_TRACER_WAKER_CPU);

	if (!m->s->tracer && !m->s->nevents)
		return "the trace was not traced";
	if ((k == MECH_WAKEUP_CROSS || k == MECH_WAKEUP_SAME) &&
	    !(waker && json_object_get_boolean(waker)))
		return "this trace does not say which CPU woke a thread (recorded before the "
		       "tracer kept it)";
	return "none in the trace";
}

/* mech_absence_rate - absences per second of traced runs, with a 95% Poisson interval. */
static void mech_absence_rate(const struct mech_session *m, struct mech_table *t)
{
	double k, z = 1.959964;
	size_t i;

	t->absences = m->absences_in_runs;
	for (i = 0; m->s->tracer && i < m->nruns; i++)
		t->traced_s += (double)(m->runs[i].end - m->runs[i].start) / 1e9;
	if (!(t->traced_s > 0)) {
		t->absences_per_s = t->rate_lo = t->rate_hi = NAN;
		return;
	}
	k = (double)t->absences;
	t->absences_per_s = k / t->traced_s;
	/* the square-root approximation of the Poisson interval, good from a handful on */
	t->rate_lo = k ? pow(fmax(sqrt(k) - z / 2, 0), 2) / t->traced_s : 0;
	t->rate_hi = pow(sqrt(k + 1) + z / 2, 2) / t->traced_s;
}

int mech_session_finish(struct mech_session *m, struct mech_table *t)
{
	unsigned int k;
	int rc = mech_windows_finish(m->win);

	memset(t, 0, sizeof(*t));
	for (k = 0; !rc && k < MECH_NIV; k++) {
		mech_cost_of(m->len[k].v, m->len[k].n, &t->cost[k]);
		if (!t->cost[k].n)
			t->cost[k].why = mech_why_none(m, k);
	}
	if (!rc)
		rc = mech_syscall_cost(m, &t->cost[MECH_SYSCALL]);
	if (!rc)
		rc = mech_vmexit_cost(m, &t->cost[MECH_VMEXIT]);
	mech_absence_rate(m, t);
	return rc;
}
