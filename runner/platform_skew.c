// SPDX-License-Identifier: MIT
/* platform_skew - a cache line bounced between two pinned threads: cross-CPU TSC skew and RTT. */
#include "runner/platform.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PP_WARMUP		64 /* rounds before the timed ones: caches and branch predictors */
#define PP_TIMEOUT_NS		5000000000ULL /* a partner silent this long is not coming back */
#define SKEW_ALL_PAIRS_MAX_CPUS 16	      /* past this, CPU 0 against each other CPU only */

/* pp_shared - the bounced line (sequence + the responder's stamp) and the control line. */
struct pp_shared {
	_Alignas(64) _Atomic uint64_t seq; /* odd: the initiator's ping, even: the answer */
	uint64_t tb;
	_Alignas(64) _Atomic int ready;
	_Atomic int abort;
};

struct pp_thread {
	struct pp_shared *sh;
	struct platform_pingpong_sample *s;
	unsigned int rounds;
	int err;
};

/* pp_wait - spin until the line holds @want; -ETIMEDOUT once the partner gave up or went silent. */
static int pp_wait(struct pp_shared *sh, uint64_t want, uint64_t deadline_ns)
{
	unsigned long spins = 0;

	while (atomic_load_explicit(&sh->seq, memory_order_acquire) != want) {
		__builtin_ia32_pause();
		if (atomic_load_explicit(&sh->abort, memory_order_relaxed))
			return -ETIMEDOUT;
		if (++spins % 65536 == 0 && timing_mono_ns() > deadline_ns) {
			atomic_store(&sh->abort, 1);
			return -ETIMEDOUT;
		}
	}
	return 0;
}

/* pp_start - meet the partner so that neither times a round while the other is still starting. */
static int pp_start(struct pp_shared *sh, uint64_t *deadline_ns)
{
	*deadline_ns = timing_mono_ns() + PP_TIMEOUT_NS;
	atomic_fetch_add(&sh->ready, 1);
	while (atomic_load(&sh->ready) < 2) {
		if (atomic_load(&sh->abort) || timing_mono_ns() > *deadline_ns) {
			atomic_store(&sh->abort, 1);
			return -ETIMEDOUT;
		}
		__builtin_ia32_pause();
	}
	return 0;
}

static void *pp_initiator(void *arg)
{
	struct pp_thread *t = arg;
	struct pp_shared *sh = t->sh;
	uint64_t deadline, r, t0, t1;

	t->err = pp_start(sh, &deadline);
	for (r = 0; !t->err && r < PP_WARMUP + t->rounds; r++) {
		t0 = timing_tsc_begin();
		atomic_store_explicit(&sh->seq, 2 * r + 1, memory_order_release);
		t->err = pp_wait(sh, 2 * r + 2, deadline);
		t1 = timing_tsc_begin(); /* lfence: after the answer was loaded */
		if (!t->err && r >= PP_WARMUP)
			t->s[r - PP_WARMUP] = (struct platform_pingpong_sample){t0, sh->tb, t1};
	}
	return NULL;
}

static void *pp_responder(void *arg)
{
	struct pp_thread *t = arg;
	struct pp_shared *sh = t->sh;
	uint64_t deadline, r;

	t->err = pp_start(sh, &deadline);
	for (r = 0; !t->err && r < PP_WARMUP + t->rounds; r++) {
		t->err = pp_wait(sh, 2 * r + 1, deadline);
		sh->tb = timing_tsc_begin();
		atomic_store_explicit(&sh->seq, 2 * r + 2, memory_order_release);
	}
	return NULL;
}

/* pp_spawn - a thread pinned to @cpu from its first instruction. */
static int pp_spawn(pthread_t *th, int cpu, void *(*fn)(void *), struct pp_thread *t)
{
	pthread_attr_t attr;
	cpu_set_t set;
	int ret;

	if (cpu < 0 || cpu >= CPU_SETSIZE)
		return -EINVAL;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&attr);
	pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	ret = -pthread_create(th, &attr, fn, t);
	pthread_attr_destroy(&attr);
	return ret;
}

/*
 * platform_pingpong - run @rounds timed rounds between threads pinned to @cpu_a (initiator) and
 * @cpu_b (responder) into @s. Returns 0 or -errno as platform_cross_cpu_rtt().
 */
static int platform_pingpong(int cpu_a, int cpu_b, struct platform_pingpong_sample *s,
			     unsigned int rounds)
{
	struct pp_thread ta = {.s = s, .rounds = rounds}, tb = {.rounds = rounds};
	struct pp_shared *sh;
	pthread_t tha, thb;
	int ret;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return -ENOTSUP;
	if (cpu_a == cpu_b || !rounds)
		return -EINVAL;
	sh = aligned_alloc(64, sizeof(*sh));
	if (!sh)
		return -ENOMEM;
	memset(sh, 0, sizeof(*sh));
	ta.sh = tb.sh = sh;
	ret = pp_spawn(&thb, cpu_b, pp_responder, &tb);
	if (ret)
		goto out;
	ret = pp_spawn(&tha, cpu_a, pp_initiator, &ta);
	if (ret) {
		atomic_store(&sh->abort, 1);
		pthread_join(thb, NULL);
		goto out;
	}
	pthread_join(tha, NULL);
	pthread_join(thb, NULL);
	ret = ta.err ? ta.err : tb.err;
out:
	free(sh);
	return ret;
}

int platform_skew_estimate(const struct platform_pingpong_sample *s, size_t n, double *skew_ticks,
			   double *bound_ticks)
{
	size_t i, best = 0;

	if (!n)
		return -EINVAL;
	for (i = 1; i < n; i++) {
		if (s[i].t1 - s[i].t0 < s[best].t1 - s[best].t0)
			best = i;
	}
	*bound_ticks = (double)(s[best].t1 - s[best].t0) / 2;
	*skew_ticks = (double)(int64_t)(s[best].tb - s[best].t0) - *bound_ticks;
	return 0;
}

/* rtt_median_ticks - the typical round trip of @n rounds. */
static int rtt_median_ticks(const struct platform_pingpong_sample *s, size_t n, double *median)
{
	double *rtt = malloc(n * sizeof(*rtt));
	size_t i;

	if (!rtt)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		rtt[i] = (double)(s[i].t1 - s[i].t0);
	*median = timing_median(rtt, n);
	free(rtt);
	return 0;
}

static pthread_mutex_t rtt_lock = PTHREAD_MUTEX_INITIALIZER;
static struct timing_calibration rtt_cal;
static bool rtt_have_cal;

void platform_use_calibration(const struct timing_calibration *cal)
{
	pthread_mutex_lock(&rtt_lock);
	rtt_cal = *cal;
	rtt_have_cal = true;
	pthread_mutex_unlock(&rtt_lock);
}

/* rtt_tsc_hz - the TSC rate given to platform_use_calibration(), or a short calibration's. */
static int rtt_tsc_hz(double *hz)
{
	int ret = 0;

	pthread_mutex_lock(&rtt_lock);
	if (!rtt_have_cal)
		ret = timing_calibrate(&rtt_cal, 50);
	rtt_have_cal = !ret;
	*hz = rtt_cal.tsc_hz;
	pthread_mutex_unlock(&rtt_lock);
	return ret;
}

int platform_cross_cpu_rtt(int cpu_a, int cpu_b, unsigned int rounds, double *median_ns)
{
	struct platform_pingpong_sample *s;
	double ticks, hz;
	int ret;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return -ENOTSUP;
	if (cpu_a == cpu_b || !rounds)
		return -EINVAL;
	ret = rtt_tsc_hz(&hz);
	if (ret)
		return ret;
	s = malloc(rounds * sizeof(*s));
	if (!s)
		return -ENOMEM;
	ret = platform_pingpong(cpu_a, cpu_b, s, rounds);
	if (!ret)
		ret = rtt_median_ticks(s, rounds, &ticks);
	if (!ret)
		*median_ns = ticks * 1e9 / hz;
	free(s);
	return ret;
}

/* skew_pair - the control test for one pair, converted to ns with @tsc_hz. */
static int skew_pair(double tsc_hz, unsigned int rounds, struct platform_pingpong_sample *s,
		     struct platform_skew_pair *p)
{
	double skew, bound, median;
	int ret;

	ret = platform_pingpong(p->cpu_a, p->cpu_b, s, rounds);
	if (!ret)
		ret = platform_skew_estimate(s, rounds, &skew, &bound);
	if (!ret)
		ret = rtt_median_ticks(s, rounds, &median);
	if (ret)
		return ret;
	p->skew_ns = skew * 1e9 / tsc_hz;
	p->bound_ns = bound * 1e9 / tsc_hz;
	p->rtt_min_ns = 2 * p->bound_ns;
	p->rtt_median_ns = median * 1e9 / tsc_hz;
	return 0;
}

int platform_tsc_skew(double tsc_hz, unsigned int rounds, struct platform_skew_pair *pairs,
		      size_t max, size_t *npairs)
{
	struct platform_pingpong_sample *s;
	int cpus[CPU_SETSIZE], n = 0, a, b, ret = 0;
	cpu_set_t set;

	*npairs = 0;
	if (sched_getaffinity(0, sizeof(set), &set))
		return -errno;
	for (a = 0; a < CPU_SETSIZE; a++)
		if (CPU_ISSET(a, &set))
			cpus[n++] = a;
	s = malloc((rounds ? rounds : 1) * sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (a = 0; a < n && !ret; a++) {
		for (b = a + 1; b < n && *npairs < max && !ret; b++) {
			pairs[*npairs] =
			    (struct platform_skew_pair){.cpu_a = cpus[a], .cpu_b = cpus[b]};
			ret = skew_pair(tsc_hz, rounds, s, &pairs[*npairs]);
			*npairs += !ret;
		}
		if (n > SKEW_ALL_PAIRS_MAX_CPUS)
			break;
	}
	free(s);
	return ret;
}
