// SPDX-License-Identifier: MIT
/* test_tracer - the BPF tracer on the real kernel: known work in, the expected events out. */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/tracer_testlib.h"

#define SLEEP_US    20000
#define FAULT_PAGES 64
#define UD_INLINE   0xfeed /* a NOP completed inline */
#define UD_PUNT	    0xa5c  /* a NOP forced to io-wq (IOSQE_ASYNC) */
#define TCP_SENDS   20

/*
 * prog_why - why tracepoint @name ("category:event") is not attached: "" when it is, NULL when
 * the tracer has no such program.
 */
static const char *prog_why(const struct tracer_status *st, const char *name)
{
	char full[128];

	for (size_t i = 0; i < st->nprogs; i++) {
		snprintf(full, sizeof(full), "%s:%s", st->progs[i].category, st->progs[i].event);
		if (!strcmp(full, name))
			return st->progs[i].why;
	}
	return NULL;
}

static bool attached(const struct tracer_status *st, const char *name)
{
	const char *why = prog_why(st, name);

	return why && !*why;
}

static bool skipped(const struct tracer_status *st, const char *name)
{
	const char *why = prog_why(st, name);

	return why && *why;
}

/* A workload whose events are known: see test_events(). */
struct work {
	pid_t child;
	int devnull, sock[2];
	uint64_t sleep_from, sleep_to;
	char *mem;
	bool uring;
};

/* do_uring_nop - two NOPs: UD_INLINE completes inline, UD_PUNT goes through io-wq. */
static int do_uring_nop(void)
{
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	int ret, seen = 0;

	if (io_uring_queue_init(4, &ring, 0))
		return -1;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, UD_INLINE);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_nop(sqe);
	io_uring_sqe_set_data64(sqe, UD_PUNT);
	io_uring_sqe_set_flags(sqe, IOSQE_ASYNC);
	ret = io_uring_submit(&ring);
	while (ret == 2 && seen < 2 && io_uring_wait_cqe(&ring, &cqe) == 0) {
		io_uring_cqe_seen(&ring, cqe);
		seen++;
	}
	io_uring_queue_exit(&ring);
	return seen == 2 ? 0 : -1;
}

/* do_tcp - TCP_SENDS one-byte messages over loopback TCP, each read back: packets to count. */
static int do_tcp(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), s = -1;
	int ok = l >= 0 && c >= 0 && !bind(l, (struct sockaddr *)&a, sizeof(a)) && !listen(l, 1) &&
		 !getsockname(l, (struct sockaddr *)&a, &alen) &&
		 !connect(c, (struct sockaddr *)&a, sizeof(a)) && (s = accept(l, NULL, NULL)) >= 0;
	char byte = 'x';

	for (int i = 0; ok && i < TCP_SENDS; i++)
		ok = write(c, &byte, 1) == 1 && read(s, &byte, 1) == 1;
	close(s);
	close(c);
	close(l);
	return ok ? 0 : -1;
}

static int do_work(struct work *w)
{
	char byte = 'x';

	w->devnull = open("/dev/null", O_WRONLY);
	if (w->devnull < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, w->sock))
		return -1;
	for (int i = 0; i < 1000; i++)
		syscall(SYS_getppid);
	for (int i = 0; i < 100; i++) {
		if (write(w->devnull, &byte, 1) != 1 || write(w->sock[0], &byte, 1) != 1)
			return -1;
	}
	w->sleep_from = now_ns();
	usleep(SLEEP_US);
	w->sleep_to = now_ns();
	w->mem = mmap(NULL, FAULT_PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);
	if (w->mem == MAP_FAILED)
		return -1;
	for (int i = 0; i < FAULT_PAGES; i++)
		w->mem[i * 4096] = 1;
	w->uring = do_uring_nop() == 0;
	if (do_tcp())
		return -1;
	w->child = fork();
	if (w->child == 0) {
		for (int i = 0; i < 100; i++)
			syscall(SYS_getppid);
		_exit(write(w->devnull, &byte, 1) == 1 ? 0 : 1);
	}
	return w->child > 0 && waitpid(w->child, NULL, 0) == w->child ? 0 : -1;
}

static bool is_thread_event(const struct tracer_event *e)
{
	return e->type == TRACER_EV_SYSCALL || e->type == TRACER_EV_OFFCPU ||
	       e->type == TRACER_EV_MIGRATE || e->type == TRACER_EV_PAGE_FAULT ||
	       (e->type >= TRACER_EV_IOURING_SUBMIT && e->type <= TRACER_EV_IOURING_TASK_WORK) ||
	       e->type == TRACER_EV_IOURING_REQ || e->type == TRACER_EV_IOURING_LOCAL_RUN;
}

/* count_syscalls - SYSCALL events of this process with @nr on @fd with exactly @flags, ret @ret. */
static size_t count_syscalls(const struct collect *c, long nr, uint32_t fd, uint8_t flags,
			     int64_t ret)
{
	uint32_t me = (uint32_t)getpid();
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		n += e->type == TRACER_EV_SYSCALL && e->tgid == me && e->arg0 == (uint64_t)nr &&
		     e->arg2 == fd && e->flags == flags && (int64_t)e->arg1 == ret;
	}
	return n;
}

/* offcpu_fits - @e lies inside the sleep, is voluntary, in a sleeping state, woken within. */
static bool offcpu_fits(const struct tracer_event *e, const struct work *w)
{
	if (e->ts_ns < w->sleep_from || e->ts_ns + e->dur_ns > w->sleep_to)
		return false;
	return !(e->flags & TRACER_F_PREEMPTED) && TRACER_OFFCPU_STATE(e->arg1) != 0 &&
	       e->arg0 >= e->ts_ns && e->arg0 <= e->ts_ns + e->dur_ns;
}

/* check_offcpu - OFFCPU intervals of this thread cover the sleep; if not, show them all. */
static bool check_offcpu(const struct collect *c, const struct work *w)
{
	const struct tracer_event *e;
	uint64_t off = 0;

	/*
	 * A stale wake-up (a futex wake_q of earlier work) can cut the sleep in two, and the timer
	 * is armed before the switch-out: so the intervals must cover half the sleep, not all.
	 */
	for (size_t i = 0; i < c->n; i++) {
		e = &c->ev[i];
		if (e->type == TRACER_EV_OFFCPU && e->tid == (uint32_t)gettid() &&
		    offcpu_fits(e, w))
			off += e->dur_ns;
	}
	if (off >= SLEEP_US * 500ull)
		return true;
	fprintf(stderr, "# sleep from +0 to +%llu ns; this thread's OFFCPU events:\n",
		(unsigned long long)(w->sleep_to - w->sleep_from));
	for (size_t i = 0; i < c->n; i++) {
		e = &c->ev[i];
		if (e->type != TRACER_EV_OFFCPU || e->tid != (uint32_t)gettid())
			continue;
		fprintf(stderr, "#   ts %+lld dur %llu wake %llu flags %u state %llu\n",
			(long long)(e->ts_ns - w->sleep_from), (unsigned long long)e->dur_ns,
			(unsigned long long)e->arg0, e->flags, (unsigned long long)e->arg1);
	}
	return false;
}

static size_t count_type(const struct collect *c, uint8_t type, uint64_t arg0, uint64_t arg1)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		n += e->type == type && e->tgid == (uint32_t)getpid() && e->arg0 == arg0 &&
		     e->arg1 == arg1;
	}
	return n;
}

static bool check_faults(const struct collect *c, const struct work *w)
{
	uintptr_t lo = (uintptr_t)w->mem, hi = lo + FAULT_PAGES * 4096;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		if (e->type == TRACER_EV_PAGE_FAULT && e->tgid == (uint32_t)getpid() &&
		    e->arg0 >= lo && e->arg0 < hi)
			return true;
	}
	return false;
}

static bool check_no_child(const struct collect *c, pid_t child)
{
	for (size_t i = 0; i < c->n; i++) {
		if (is_thread_event(&c->ev[i]) && c->ev[i].tgid == (uint32_t)child)
			return false;
	}
	return true;
}

/*
 * count_lifecycles - IOURING_REQ records of this process for @user_data that were never armed
 * (@armed false: the request completed without waiting for data) or were (true).
 */
static size_t count_lifecycles(const struct collect *c, uint64_t user_data, bool armed)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct tracer_event *e = &c->ev[i];

		n += e->type == TRACER_EV_IOURING_REQ && e->tgid == (uint32_t)getpid() &&
		     e->arg0 == user_data && ((uint32_t)e->arg1 != TRACER_IOU_NONE) == armed;
	}
	return n;
}

/* count_any - records of @type, whoever they are about. */
static size_t count_any(const struct collect *c, uint8_t type)
{
	size_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->ev[i].type == type;
	return n;
}

/* softirq_packets - packets that NET_RX softirq records say they received (arg2). */
static uint64_t softirq_packets(const struct collect *c)
{
	uint64_t n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->ev[i].type == TRACER_EV_SOFTIRQ && c->ev[i].arg0 == 3 ? c->ev[i].arg2 : 0;
	return n;
}

/*
 * check_detail - what each detail records: every event (full), or no per-packet event (lean:
 * those tracepoints are not even attached) and the MSR writes counted.
 */
static void check_detail(const struct collect *c, const struct tracer_status *st,
			 const struct work *w, bool full)
{
	EXPECT(st->detail == (full ? TRACER_DETAIL_FULL : TRACER_DETAIL_LEAN));
	EXPECT(st->naggregated == (full ? 0 : TRACER_CNT_AGGREGATED));
	if (full) {
		EXPECT(softirq_packets(c) >= TCP_SENDS);
		EXPECT(count_any(c, TRACER_EV_NET_RECEIVE) >= TCP_SENDS);
		EXPECT(count_any(c, TRACER_EV_EXITS) == 0);
		if (w->uring) {
			EXPECT(count_type(c, TRACER_EV_IOURING_SUBMIT, IORING_OP_NOP, UD_INLINE) ==
			       1);
			EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_INLINE, 0) == 1);
		}
	} else {
		EXPECT(softirq_packets(c) == 0);
		for (uint8_t type = TRACER_EV_SOFTIRQ_RAISE; type <= TRACER_EV_NAPI_POLL; type++)
			EXPECT(type == TRACER_EV_IPI || count_any(c, type) == 0);
		EXPECT(count_any(c, TRACER_EV_MSR_WRITE) == 0);
		EXPECT(skipped(st, "net:netif_receive_skb"));
		if (w->uring) {
			EXPECT(count_type(c, TRACER_EV_IOURING_SUBMIT, IORING_OP_NOP, UD_INLINE) ==
			       0);
			EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_INLINE, 0) == 0);
		}
	}
	if (w->uring) { /* the punt and its end; each request's lifecycle: in both details */
		EXPECT(count_type(c, TRACER_EV_IOURING_ASYNC, IORING_OP_NOP, UD_PUNT) == 1);
		EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_PUNT, 0) == 1);
		EXPECT(count_lifecycles(c, UD_INLINE, false) == 1);
		EXPECT(count_lifecycles(c, UD_PUNT, false) == 1);
	}
}

/*
 * run_events - the known workload's syscalls, sleep, faults, io_uring and packets show; a
 * child's do not.
 */
static int run_events(bool full)
{
	struct tracer_status st;
	struct collect c = {0};
	struct work w = {0};
	struct tracer *t;

	t = open_tracer(&c, NULL, full, NULL, 0);
	if (!t)
		return T_EXIT_FAIL;
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	EXPECT(tracer_start(t) == 0);
	EXPECT(do_work(&w) == 0);
	EXPECT(tracer_stop(t, &st) == 0);
	EXPECT(st.lost == 0);
	EXPECT(st.events == c.n);
	EXPECT(attached(&st, "raw_syscalls:sys_enter"));
	EXPECT(count_syscalls(&c, SYS_getppid, TRACER_FD_NONE, 0, getppid()) >= 1000);
	EXPECT(count_syscalls(&c, SYS_write, (uint32_t)w.devnull, TRACER_F_FD_OTHER, 1) >= 100);
	EXPECT(count_syscalls(&c, SYS_write, (uint32_t)w.sock[0], TRACER_F_FD_SOCKET, 1) >= 100);
	EXPECT(check_offcpu(&c, &w));
	EXPECT(check_faults(&c, &w));
	if (!attached(&st, "io_uring:io_uring_queue_async_work"))
		w.uring = false;
	check_detail(&c, &st, &w, full);
	EXPECT(check_no_child(&c, w.child));
	fprintf(stderr, "# %s: %zu events, io_uring %s\n", full ? "full" : "lean", c.n,
		w.uring ? "checked" : "unavailable");
	tracer_close(t);
	free(c.ev);
	return T_EXIT_PASS;
}

/* test_events_lean - the default: no per-packet instants, punts and their ends recorded. */
static int test_events_lean(void)
{
	return run_events(false);
}

/* test_events_full - every event a record. */
static int test_events_full(void)
{
	return run_events(true);
}

/* test_forced_skip - RINGSCOPE_TRACER_SKIP and opts.skip take the skip path; a required event
 * cannot go. */
static int test_forced_skip(void)
{
	struct tracer_status st;
	const char *why;
	struct tracer *t;
	size_t count = 0;
	char err[256];
	struct tracer_opts o = {.on_events = count_events, .ctx = &count};

	setenv("RINGSCOPE_TRACER_SKIP", "irq:irq_handler_entry,io_uring:io_uring_complete", 1);
	t = open_tracer(NULL, &count, false, NULL, 0);
	EXPECT(t != NULL);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(skipped(&st, "irq:irq_handler_entry"));
		EXPECT(skipped(&st, "io_uring:io_uring_complete"));
		EXPECT(!attached(&st, "irq:irq_handler_entry"));
		EXPECT(attached(&st, "irq:softirq_entry"));
		why = prog_why(&st, "irq:irq_handler_entry");
		EXPECT(why && strstr(why, "RINGSCOPE_TRACER_SKIP"));
		why = prog_why(&st, "irq:softirq_raise");
		EXPECT(why && strstr(why, "lean detail"));
		tracer_close(t);
	}
	o.skip = "net:net_dev_queue";
	o.detail = TRACER_DETAIL_FULL;
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == 0);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(skipped(&st, "net:net_dev_queue"));
		EXPECT(attached(&st, "net:net_dev_xmit"));
		/* sched_wakeup only stands in for a missing sched_waking */
		EXPECT(attached(&st, "sched:sched_waking"));
		EXPECT(skipped(&st, "sched:sched_wakeup"));
		tracer_close(t);
	}
	o.skip = "sched:sched_waking";
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == 0);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(attached(&st, "sched:sched_wakeup"));
		tracer_close(t);
	}
	o.skip = NULL;
	setenv("RINGSCOPE_TRACER_SKIP", "raw_syscalls:sys_enter", 1);
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == -ENOTSUP);
	EXPECT(strstr(err, "'raw_syscalls:sys_enter'") != NULL);
	unsetenv("RINGSCOPE_TRACER_SKIP");
	return T_EXIT_PASS;
}

/* A consumer that stalls (or fails) on its first batch, so the ringbuf fills behind it. */
struct stall {
	volatile int calls;
	int ret;
};

static int stall_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct stall *s = ctx;

	if (s->calls++ == 0)
		usleep(200000);
	return s->ret;
}

/*
 * stall_run - a tracer with a one-page ringbuf and a stalling consumer over 20000 syscalls,
 * stopped into @st (whose arrays are the tracer's: the caller closes *@tp).
 */
static int stall_run(struct stall *s, int want_stop, struct tracer_status *st, struct tracer **tp)
{
	struct tracer_opts o = {.on_events = stall_events, .ctx = s, .ringbuf_bytes = 4096};
	struct tracer *t;
	char err[256];

	CHECK(tracer_open(&o, &t, err, sizeof(err)) == 0);
	*tp = t;
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	EXPECT(tracer_start(t) == 0);
	for (int i = 0; i < 2000 && !s->calls; i++) {
		syscall(SYS_getppid);
		usleep(1000);
	}
	EXPECT(s->calls > 0);
	for (int i = 0; i < 20000; i++)
		syscall(SYS_getppid);
	EXPECT(tracer_stop(t, st) == want_stop);
	return T_EXIT_PASS;
}

/* test_lost - a full ringbuf is counted per CPU in the kernel and reported, never silent. */
static int test_lost(void)
{
	struct tracer_status st = {0};
	struct stall s = {0};
	struct tracer *t = NULL;
	uint64_t sum = 0;
	int rc = stall_run(&s, 0, &st, &t);

	CHECK(rc == T_EXIT_PASS);
	EXPECT(st.ringbuf_bytes == 4096);
	EXPECT(st.lost > 0);
	EXPECT(st.events + st.lost >= 20000);
	EXPECT(st.nlost_per_cpu > 0);
	for (int i = 0; i < st.nlost_per_cpu; i++)
		sum += st.lost_per_cpu[i];
	EXPECT(sum == st.lost);
	fprintf(stderr, "# one-page ringbuf, stalled consumer: %llu events, %llu lost\n",
		(unsigned long long)st.events, (unsigned long long)st.lost);
	tracer_close(t);
	return rc;
}

/* test_callback_error - on_events failing: tracer_stop returns it, the rest is counted. */
static int test_callback_error(void)
{
	struct tracer_opts o = {.on_events = count_events, .ringbuf_bytes = 5000};
	struct tracer_status st = {0};
	struct stall s = {.ret = -EIO};
	struct tracer *t = NULL;
	char err[256];
	int rc = stall_run(&s, -EIO, &st, &t);

	CHECK(rc == T_EXIT_PASS);
	EXPECT(st.dropped > 0);
	tracer_close(t);
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == -EINVAL && strstr(err, "power of 2"));
	return rc;
}

/* getppid_ns - the best average of 200 batches of 1000 getppid round trips (a shared CPU
 * preempts some batches; the best one is the syscall's own cost). */
static double getppid_ns(void)
{
	double best = 1e18, avg;

	for (int r = 0; r < 200; r++) {
		uint64_t t0 = now_ns();

		for (int i = 0; i < 1000; i++)
			syscall(SYS_getppid);
		avg = (double)(now_ns() - t0) / 1000;
		best = avg < best ? avg : best;
	}
	return best;
}

/* test_overhead - report (never assert: the CPUs are shared) what tracing costs a syscall. */
static int test_overhead(void)
{
	double untraced, filtered, traced;
	struct tracer *t;
	size_t count = 0;

	untraced = getppid_ns();
	t = open_tracer(NULL, &count, false, NULL, 0);
	if (!t)
		return T_EXIT_FAIL;
	EXPECT(tracer_start(t) == 0);
	filtered = getppid_ns();
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	traced = getppid_ns();
	EXPECT(tracer_stop(t, NULL) == 0);
	tracer_close(t);
	EXPECT(count >= 200000);
	fprintf(stderr,
		"# getppid round trip: untraced %.0f ns, other tgid traced %.0f ns, "
		"this tgid traced %.0f ns (%zu events)\n",
		untraced, filtered, traced, count);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(events_lean), CHECK_CASE(events_full),	 CHECK_CASE(forced_skip),
	    CHECK_CASE(lost),	     CHECK_CASE(callback_error), CHECK_CASE(overhead),
	};

	return tracer_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
