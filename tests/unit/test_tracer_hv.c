// SPDX-License-Identifier: MIT
/*
 * test_tracer_hv - the tracer's evidence for the hypervisor, on the real kernel: IPI delivery,
 * timer lateness, idle, a silent busy CPU (ABSENT), thread names, and every sleep paired with
 * its wakeup. The tracer's own time is test_tracer_consumer's.
 */
#include <inttypes.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "test_spin.skel.h"
#include "tests/unit/tracer_testlib.h"

#define SPIN_NS	   20000000ull /* the silence test_absence makes: 5 ticks at HZ=250 */
#define PINGPONGS  20000       /* round trips between two CPUs (40000 sleeps) */
#define TIMER_NAPS 50

/* pin - run the calling thread on @cpu only (modulo the CPUs there are). */
static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu % (int)sysconf(_SC_NPROCESSORS_ONLN), &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* unpin - let the calling thread run anywhere again (threads it starts inherit it). */
static void unpin(void)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int c = 0; c < (int)sysconf(_SC_NPROCESSORS_ONLN) && c < CPU_SETSIZE; c++)
		CPU_SET(c, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/*
 * traced_run - a tracer on @cpus (@ncpus 0: all) around @work(@arg): its records into @c, the
 * ABSENT threshold of its status into *@absent_ns (may be NULL).
 */
static int traced_run(struct collect *c, const int *cpus, int ncpus, void (*work)(void *),
		      void *arg, uint64_t *absent_ns)
{
	struct tracer *t = open_tracer(c, NULL, false, cpus, ncpus);
	struct tracer_status st;

	EXPECT(t != NULL);
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	EXPECT(tracer_start(t) == 0);
	work(arg);
	unpin();
	EXPECT(tracer_stop(t, &st) == 0);
	if (absent_ns)
		*absent_ns = st.absent_threshold_ns;
	tracer_close(t);
	return T_EXIT_PASS;
}

/* Two threads on CPUs 0 and 1 that wake each other through pipes, rounds times. */
struct pingpong {
	int ab[2], ba[2];
	int rounds;
	pid_t tid[2];
};

static void *pong(void *arg)
{
	struct pingpong *p = arg;
	char byte;

	pin(1);
	p->tid[1] = gettid();
	for (int i = 0; i < p->rounds; i++) {
		if (read(p->ab[0], &byte, 1) != 1 || write(p->ba[1], &byte, 1) != 1)
			break;
	}
	return NULL;
}

static void pingpong(void *arg)
{
	struct pingpong *p = arg;
	pthread_t thread;
	char byte = 'x';

	if (pipe(p->ab) || pipe(p->ba) || pthread_create(&thread, NULL, pong, p))
		return;
	pin(0);
	p->tid[0] = gettid();
	for (int i = 0; i < p->rounds; i++) {
		if (write(p->ab[1], &byte, 1) != 1 || read(p->ba[0], &byte, 1) != 1)
			break;
	}
	pthread_join(thread, NULL);
	for (int i = 0; i < 2; i++) {
		close(p->ab[i]);
		close(p->ba[i]);
	}
}

/* test_ipi_delivery - cross-CPU wakeups: IPI records that say who sent them and how long. */
static int test_ipi_delivery(void)
{
	struct pingpong p = {.rounds = 500};
	struct collect c = {0};
	size_t paired = 0;
	uint64_t t0 = now_ns();

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		return check_skip("one CPU: no IPI between CPUs to see");
	CHECK(!traced_run(&c, NULL, 0, pingpong, &p, NULL));
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];

		if (e->type != TRACER_EV_IPI || !(e->flags & TRACER_F_IPI_SENT))
			continue;
		EXPECT(e->arg0 >= TRACER_IPI_RESCHEDULE &&
		       e->arg0 <= TRACER_IPI_CALL_FUNCTION_SINGLE);
		EXPECT(e->arg2 != e->cpu && e->ts_ns - e->arg1 >= t0 && e->arg1 < 1000000000ull);
		paired += e->cpu <= 1 && e->arg2 == 1u - e->cpu;
	}
	/* each round trip wakes a thread on the other CPU twice; most go through an IPI */
	EXPECT(paired >= (size_t)p.rounds / 2);
	fprintf(stderr, "# ipi_delivery: %zu IPIs between CPUs 0 and 1 paired with their send\n",
		paired);
	free(c.ev);
	return T_EXIT_PASS;
}

static void naps(void *arg)
{
	pin(0);
	for (int i = 0; i < TIMER_NAPS; i++)
		usleep(1000);
}

/* test_timer_lateness - sleeps end by timer interrupts that say how late they came. */
static int test_timer_lateness(void)
{
	struct collect c = {0};
	size_t late = 0;

	CHECK(!traced_run(&c, NULL, 0, naps, NULL, NULL));
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];

		if (e->type != TRACER_EV_IPI || !(e->flags & TRACER_F_TIMER_EXPIRY))
			continue;
		EXPECT(e->arg0 == TRACER_IPI_LOCAL_TIMER && e->arg1 < 1000000000ull);
		late += e->cpu == 0;
	}
	EXPECT(late >= TIMER_NAPS / 2);
	fprintf(stderr, "# timer_lateness: %zu timer interrupts on CPU 0 with their lateness\n",
		late);
	free(c.ev);
	return T_EXIT_PASS;
}

static void quiet(void *arg)
{
	usleep(200000);
}

/* idle_entries - how often the CPUs entered an idle state so far (cpuidle's counters). */
static uint64_t idle_entries(void)
{
	char path[96];
	uint64_t sum = 0, n;
	FILE *f;

	for (int c = 0; c < (int)sysconf(_SC_NPROCESSORS_ONLN); c++) {
		for (int state = 0; state < 16; state++) {
			snprintf(path, sizeof(path),
				 "/sys/devices/system/cpu/cpu%d/cpuidle/state%d/usage", c, state);
			f = fopen(path, "r");
			if (!f)
				break;
			if (fscanf(f, "%" SCNu64, &n) == 1)
				sum += n;
			fclose(f);
		}
	}
	return sum;
}

/*
 * test_idle - the CPUs idle while everyone sleeps: IDLE intervals of the idle task, when the
 * kernel's own idle counters say the CPUs did enter idle (another job may keep them busy).
 */
static int test_idle(void)
{
	struct collect c = {0};
	uint64_t entered = idle_entries();
	size_t idle = 0;

	CHECK(!traced_run(&c, NULL, 0, quiet, NULL, NULL));
	entered = idle_entries() - entered;
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];

		if (e->type != TRACER_EV_IDLE)
			continue;
		EXPECT(e->tid == 0 && e->dur_ns > 0 && e->arg0 < 64);
		idle++;
	}
	free(c.ev);
	if (!entered)
		return check_skip("no CPU entered idle in 200 ms (cpuidle's counters)");
	EXPECT(idle >= 1);
	fprintf(stderr, "# idle: %zu idle intervals in 200 ms (cpuidle counted %llu entries)\n",
		idle, (unsigned long long)entered);
	return T_EXIT_PASS;
}

static void *renamed(void *arg)
{
	syscall(SYS_getppid);
	prctl(PR_SET_NAME, "rs-hv-renamed");
	syscall(SYS_getppid);
	*(pid_t *)arg = gettid();
	return NULL;
}

static void rename_thread(void *arg)
{
	pthread_t thread;

	if (!pthread_create(&thread, NULL, renamed, arg))
		pthread_join(thread, NULL);
}

/* named - whether a NAME record for @tid is at or before @ts (and, @comm, with that name). */
static bool named(const struct collect *c, uint32_t tid, uint64_t ts, const char *comm)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		if (e->type == TRACER_EV_NAME && e->tid == tid && e->ts_ns <= ts &&
		    (!comm || !strncmp((const char *)&e->arg0, comm, 16)))
			return true;
	}
	return false;
}

/* test_names - every thread a record mentions is named, renames included. */
static int test_names(void)
{
	struct collect c = {0};
	size_t unnamed = 0;
	pid_t tid = 0;

	CHECK(!traced_run(&c, NULL, 0, rename_thread, &tid, NULL));
	EXPECT(tid > 0 && named(&c, (uint32_t)tid, UINT64_MAX, "test_tracer_hv"));
	EXPECT(tid > 0 && named(&c, (uint32_t)tid, UINT64_MAX, "rs-hv-renamed"));
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];
		uint32_t next = TRACER_OFFCPU_NEXT(e->arg1);
		bool wakeup = e->type == TRACER_EV_TRACER && e->arg0 == TRACER_SELF_WAKEUP;

		if (e->tid && !wakeup && !named(&c, e->tid, e->ts_ns + e->dur_ns, NULL))
			unnamed++;
		if (e->type == TRACER_EV_OFFCPU && next &&
		    !named(&c, next, e->ts_ns + e->dur_ns, NULL))
			unnamed++;
	}
	EXPECT(unnamed == 0);
	fprintf(stderr, "# names: %zu records, %zu mention a thread without a NAME record\n", c.n,
		unnamed);
	free(c.ev);
	return T_EXIT_PASS;
}

/*
 * The silence: thread T, asleep on CPU 0, is held in its switch-in there for SPIN_NS with
 * interrupts off (test_spin.bpf.c); meanwhile W on CPU 1 sends CPU 0 an IPI (membarrier).
 */
struct silence {
	struct test_spin_bpf *spin;
	int go[2];
	volatile pid_t held_tid;
	uint64_t ipi_at; /* when W asked for the IPI (0: it did not) */
};

static void *held(void *arg)
{
	struct silence *s = arg;
	uint64_t until;
	char byte;

	pin(0);
	s->held_tid = gettid();
	if (read(s->go[0], &byte, 1) != 1)
		return NULL;
	until = now_ns() + SPIN_NS; /* busy after the spin too: CPU 0 is not idle */
	while (now_ns() < until)
		;
	return NULL;
}

static void *sender(void *arg)
{
	struct silence *s = arg;
	uint64_t give_up = now_ns() + 1000000000ull;

	pin(1);
	while (!s->spin->bss->spun_from && now_ns() < give_up)
		;
	if (!s->spin->bss->spun_from)
		return NULL;
	/* an IPI to each CPU running this process: CPU 0, spinning with interrupts off */
	s->ipi_at = now_ns();
	if (syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0))
		s->ipi_at = 0;
	return NULL;
}

static void silence(void *arg)
{
	bool two = sysconf(_SC_NPROCESSORS_ONLN) >= 2;
	struct silence *s = arg;
	pthread_t t, w;
	char byte = 'x';

	if (pipe(s->go) || pthread_create(&t, NULL, held, s))
		return;
	while (!s->held_tid)
		usleep(1000);
	usleep(20000); /* T is asleep on its pipe */
	s->spin->bss->spin_ns = SPIN_NS;
	s->spin->bss->target_tid = (uint32_t)s->held_tid;
	two = two && !pthread_create(&w, NULL, sender, s);
	if (write(s->go[1], &byte, 1) != 1)
		s->spin->bss->target_tid = 0;
	if (two)
		pthread_join(w, NULL);
	pthread_join(t, NULL);
	close(s->go[0]);
	close(s->go[1]);
}

/* find_absent - the ABSENT record of CPU @cpu that covers [@from, @to], or NULL. */
static const struct tracer_event *find_absent(const struct collect *c, int cpu, uint64_t from,
					      uint64_t to)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		if (e->type == TRACER_EV_ABSENT && e->cpu == cpu && e->ts_ns <= from &&
		    e->ts_ns + e->dur_ns >= to)
			return e;
	}
	return NULL;
}

/*
 * test_absence - a busy CPU on which nothing happens for 20 ms: one ABSENT record over the
 * silence, which says that an IPI to it was pending and who sent it.
 */
static int test_absence(void)
{
	const struct tracer_event *e = NULL;
	struct silence s = {0};
	struct collect c = {0};
	uint64_t from, to, absent_ns = 0;
	int ret;

	s.spin = test_spin_bpf__open_and_load();
	CHECK(s.spin);
	ret = test_spin_bpf__attach(s.spin);
	if (ret)
		test_spin_bpf__destroy(s.spin);
	CHECK(ret == 0);
	syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0);
	ret = traced_run(&c, NULL, 0, silence, &s, &absent_ns);
	from = s.spin->bss->spun_from;
	to = s.spin->bss->spun_to;
	test_spin_bpf__destroy(s.spin);
	CHECK(ret == T_EXIT_PASS);
	CHECK(from && to - from >= SPIN_NS);
	if (!absent_ns) {
		free(c.ev);
		return check_skip("this kernel gives no ABSENT records (the tracer's -v says why)");
	}
	e = find_absent(&c, 0, from, to);
	EXPECT(e != NULL);
	/*
	 * An IPI is pending in the silence when W asked early enough (1 ms to spare). The record
	 * names the oldest one pending, which need not be W's: one sent just before the hold turned
	 * interrupts off, or a send whose handler no tracepoint shows (CI failed here once,
	 * 2026-12-04, without saying which). So: some IPI sent before the silence ended, by a CPU
	 * that exists, and if it was sent inside the hold, by W's CPU.
	 */
	if (e && s.ipi_at && s.ipi_at + 1000000 < to) {
		EXPECT((e->flags & TRACER_F_IPI_PENDING) && e->arg0 <= to &&
		       e->arg2 < (uint32_t)sysconf(_SC_NPROCESSORS_ONLN));
		EXPECT(e->arg0 < from || e->arg2 == 1);
	}
	for (size_t i = 0; getenv("TEST_TRACER_VERBOSE") && i < c.n; i++) {
		const struct tracer_event *x = &c.ev[i];

		if (x->cpu == 0 && x->ts_ns + x->dur_ns + 2000000 >= from &&
		    x->ts_ns <= to + 2000000)
			fprintf(stderr,
				"#   type %u ts %+lld dur %llu a0 %llu a1 %llu a2 %u fl %u\n",
				x->type, (long long)(x->ts_ns - from),
				(unsigned long long)x->dur_ns, (unsigned long long)x->arg0,
				(unsigned long long)x->arg1, x->arg2, x->flags);
	}
	if (e)
		fprintf(stderr,
			"# absence: held CPU 0 for %llu us: ABSENT of %llu us, %s from CPU %u sent "
			"%+lld us into the hold (W asked %+lld us into it)\n",
			(unsigned long long)(to - from) / 1000,
			(unsigned long long)e->dur_ns / 1000,
			e->flags & TRACER_F_IPI_PENDING ? "an IPI pending" : "no IPI", e->arg2,
			(long long)(e->arg0 - from) / 1000,
			s.ipi_at ? (long long)(s.ipi_at - from) / 1000 : 0);
	free(c.ev);
	return T_EXIT_PASS;
}

/*
 * test_wakeup_pairing - every sleep of two threads that wake each other across CPUs has its
 * wakeup, inside the interval (issue 9: a wakeup before the sleeper's switch-out was lost).
 */
static int test_wakeup_pairing(void)
{
	struct pingpong p = {.rounds = PINGPONGS};
	struct collect c = {0};
	size_t sleeps = 0, unwoken = 0, early = 0;

	CHECK(!traced_run(&c, NULL, 0, pingpong, &p, NULL));
	for (size_t i = 0; i < c.n; i++) {
		const struct tracer_event *e = &c.ev[i];

		if (e->type != TRACER_EV_OFFCPU || (e->flags & TRACER_F_PREEMPTED) ||
		    (e->tid != (uint32_t)p.tid[0] && e->tid != (uint32_t)p.tid[1]))
			continue;
		sleeps++;
		unwoken += e->arg0 < e->ts_ns || e->arg0 > e->ts_ns + e->dur_ns;
		early += e->arg0 == e->ts_ns; /* woken before its switch-out was traced */
	}
	EXPECT(sleeps >= (size_t)PINGPONGS);
	EXPECT(unwoken == 0);
	fprintf(stderr,
		"# wakeup_pairing: %zu sleeps, %zu without their wakeup, %zu woken before "
		"their switch-out was seen\n",
		sleeps, unwoken, early);
	free(c.ev);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(ipi_delivery), CHECK_CASE(timer_lateness), CHECK_CASE(idle),
	    CHECK_CASE(names),	      CHECK_CASE(absence),	  CHECK_CASE(wakeup_pairing),
	};

	return tracer_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
