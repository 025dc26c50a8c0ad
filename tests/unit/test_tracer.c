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

#include <json-c/json.h>

#include "bpf/tracer_loader.h"
#include "tests/unit/check.h"

#define SLEEP_US    20000
#define FAULT_PAGES 64
#define UD_INLINE   0xfeed /* a NOP completed inline */
#define UD_PUNT	    0xa5c  /* a NOP forced to io-wq (IOSQE_ASYNC) */
#define TCP_SENDS   20

struct collect {
	struct tracer_event *ev;
	size_t n, cap;
};

static int collect_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct collect *c = ctx;
	struct tracer_event *grown;

	if (c->n + n > c->cap) {
		c->cap = (c->n + n) * 2;
		grown = realloc(c->ev, c->cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		c->ev = grown;
	}
	memcpy(c->ev + c->n, ev, n * sizeof(*ev));
	c->n += n;
	return 0;
}

static int count_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	*(size_t *)ctx += n;
	return 0;
}

static void log_line(const char *line)
{
	if (getenv("TEST_TRACER_VERBOSE"))
		fprintf(stderr, "%s\n", line);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* open_tracer - all CPUs, events into @c (NULL: only counted into @count), lean unless @full. */
static struct tracer *open_tracer(struct collect *c, size_t *count, bool full)
{
	struct tracer_opts o = {.on_log = log_line,
				.detail = full ? TRACER_DETAIL_FULL : TRACER_DETAIL_LEAN};
	struct tracer *t;
	char err[256];
	int ret;

	o.on_events = c ? collect_events : count_events;
	o.ctx = c ? (void *)c : (void *)count;
	ret = tracer_open(&o, &t, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "tracer_open: %d: %s\n", ret, err);
		return NULL;
	}
	return t;
}

static int64_t json_int(struct json_object *o, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : -1;
}

/* json_list_has - whether array @key of @st holds @name (a string, or an object's "name"). */
static bool json_list_has(struct json_object *st, const char *key, const char *name)
{
	struct json_object *arr, *el, *nm;

	if (!json_object_object_get_ex(st, key, &arr))
		return false;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		el = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(el, "name", &nm))
			el = nm;
		if (!strcmp(json_object_get_string(el), name))
			return true;
	}
	return false;
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
	       (e->type >= TRACER_EV_IOURING_SUBMIT && e->type <= TRACER_EV_IOURING_TASK_WORK);
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
	return !(e->flags & TRACER_F_PREEMPTED) && e->arg1 != 0 && e->arg0 >= e->ts_ns &&
	       e->arg0 <= e->ts_ns + e->dur_ns;
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

/* json_path_int - integer @key of object @obj inside @st, or -1. */
static int64_t json_path_int(struct json_object *st, const char *obj, const char *key)
{
	struct json_object *o;

	return json_object_object_get_ex(st, obj, &o) ? json_int(o, key) : -1;
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

/* check_detail - what each detail records: every event (full), or counts (lean). */
static void check_detail(const struct collect *c, struct json_object *st, const struct work *w,
			 bool full)
{
	EXPECT(!strcmp(json_object_get_string(json_object_object_get(st, "detail")),
		       full ? "full" : "lean"));
	EXPECT(json_object_object_get(st, "aggregated") == NULL || !full);
	EXPECT(softirq_packets(c) >= TCP_SENDS);
	if (full) {
		EXPECT(count_any(c, TRACER_EV_NET_RECEIVE) >= TCP_SENDS);
		if (w->uring) {
			EXPECT(count_type(c, TRACER_EV_IOURING_SUBMIT, IORING_OP_NOP, UD_INLINE) ==
			       1);
			EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_INLINE, 0) == 1);
		}
	} else {
		EXPECT(json_path_int(st, "aggregated", "net:netif_receive_skb") >= TCP_SENDS);
		EXPECT(json_path_int(st, "aggregated", "net:net_dev_queue") >= TCP_SENDS);
		if (w->uring) {
			EXPECT(count_type(c, TRACER_EV_IOURING_SUBMIT, IORING_OP_NOP, UD_INLINE) ==
			       0);
			EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_INLINE, 0) == 0);
			EXPECT(json_path_int(st, "aggregated", "io_uring:io_uring_submit_req") >=
			       2);
			EXPECT(json_path_int(st, "aggregated", "io_uring:io_uring_complete") >= 1);
		}
	}
	if (w->uring) { /* the punt and its end, in both details */
		EXPECT(count_type(c, TRACER_EV_IOURING_ASYNC, IORING_OP_NOP, UD_PUNT) == 1);
		EXPECT(count_type(c, TRACER_EV_IOURING_COMPLETE, UD_PUNT, 0) == 1);
	}
}

/*
 * run_events - the known workload's syscalls, sleep, faults, io_uring and packets show; a
 * child's do not.
 */
static int run_events(bool full)
{
	struct collect c = {0};
	struct json_object *st = NULL;
	struct work w = {0};
	struct tracer *t;

	t = open_tracer(&c, NULL, full);
	if (!t)
		return T_EXIT_FAIL;
	EXPECT(tracer_add_tgid(t, getpid()) == 0);
	EXPECT(tracer_start(t) == 0);
	EXPECT(do_work(&w) == 0);
	EXPECT(tracer_stop(t, &st) == 0);
	tracer_close(t);
	EXPECT(json_int(st, "lost_events") == 0);
	EXPECT(json_int(st, "events") == (int64_t)c.n);
	EXPECT(json_list_has(st, "attached", "raw_syscalls:sys_enter"));
	EXPECT(count_syscalls(&c, SYS_getppid, TRACER_FD_NONE, 0, getppid()) >= 1000);
	EXPECT(count_syscalls(&c, SYS_write, (uint32_t)w.devnull, TRACER_F_FD_OTHER, 1) >= 100);
	EXPECT(count_syscalls(&c, SYS_write, (uint32_t)w.sock[0], TRACER_F_FD_SOCKET, 1) >= 100);
	EXPECT(check_offcpu(&c, &w));
	EXPECT(check_faults(&c, &w));
	if (!json_list_has(st, "attached", "io_uring:io_uring_submit_req"))
		w.uring = false;
	check_detail(&c, st, &w, full);
	EXPECT(check_no_child(&c, w.child));
	fprintf(stderr, "# %s: %zu events, io_uring %s\n", full ? "full" : "lean", c.n,
		w.uring ? "checked" : "unavailable");
	json_object_put(st);
	free(c.ev);
	return T_EXIT_PASS;
}

/* test_events_lean - the default: per-packet instants counted, punts and their ends recorded. */
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
	struct json_object *st = NULL, *skipped, *el, *why = NULL;
	struct tracer *t;
	size_t count = 0;
	char err[256];
	struct tracer_opts o = {.on_events = count_events, .ctx = &count};

	setenv("RINGSCOPE_TRACER_SKIP", "irq:softirq_raise,io_uring:io_uring_complete", 1);
	t = open_tracer(NULL, &count, false);
	EXPECT(t != NULL);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(json_list_has(st, "skipped", "irq:softirq_raise"));
		EXPECT(json_list_has(st, "skipped", "io_uring:io_uring_complete"));
		EXPECT(!json_list_has(st, "attached", "irq:softirq_raise"));
		EXPECT(json_list_has(st, "attached", "irq:softirq_entry"));
		EXPECT(json_object_object_get_ex(st, "skipped", &skipped));
		for (size_t i = 0; i < json_object_array_length(skipped); i++) {
			el = json_object_array_get_idx(skipped, i);
			if (!strcmp(json_object_get_string(json_object_object_get(el, "name")),
				    "irq:softirq_raise"))
				why = json_object_object_get(el, "why");
		}
		EXPECT(why && strstr(json_object_get_string(why), "RINGSCOPE_TRACER_SKIP"));
		tracer_close(t);
		json_object_put(st);
	}
	o.skip = "net:net_dev_queue";
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == 0);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(json_list_has(st, "skipped", "net:net_dev_queue"));
		EXPECT(json_list_has(st, "attached", "net:net_dev_xmit"));
		/* sched_wakeup only stands in for a missing sched_waking */
		EXPECT(json_list_has(st, "attached", "sched:sched_waking"));
		EXPECT(json_list_has(st, "skipped", "sched:sched_wakeup"));
		tracer_close(t);
		json_object_put(st);
	}
	o.skip = "sched:sched_waking";
	EXPECT(tracer_open(&o, &t, err, sizeof(err)) == 0);
	if (t) {
		EXPECT(tracer_stop(t, &st) == 0);
		EXPECT(json_list_has(st, "attached", "sched:sched_wakeup"));
		tracer_close(t);
		json_object_put(st);
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

/* stall_run - a tracer with a one-page ringbuf and a stalling consumer over 20000 syscalls. */
static int stall_run(struct stall *s, int want_stop, struct json_object **st)
{
	struct tracer_opts o = {.on_events = stall_events, .ctx = s, .ringbuf_bytes = 4096};
	struct tracer *t;
	char err[256];

	CHECK(tracer_open(&o, &t, err, sizeof(err)) == 0);
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
	tracer_close(t);
	return T_EXIT_PASS;
}

/* test_lost - a full ringbuf is counted per CPU in the kernel and reported, never silent. */
static int test_lost(void)
{
	struct json_object *st = NULL, *per_cpu;
	struct stall s = {0};
	int64_t sum = 0;
	int rc = stall_run(&s, 0, &st);

	EXPECT(json_int(st, "ringbuf_bytes") == 4096);
	EXPECT(json_int(st, "lost_events") > 0);
	EXPECT(json_int(st, "events") + json_int(st, "lost_events") >= 20000);
	EXPECT(json_object_object_get_ex(st, "lost_per_cpu", &per_cpu));
	for (size_t i = 0; per_cpu && i < json_object_array_length(per_cpu); i++)
		sum += json_object_get_int64(json_object_array_get_idx(per_cpu, i));
	EXPECT(sum == json_int(st, "lost_events"));
	fprintf(stderr, "# one-page ringbuf, stalled consumer: %lld events, %lld lost\n",
		(long long)json_int(st, "events"), (long long)json_int(st, "lost_events"));
	json_object_put(st);
	return rc;
}

/* test_callback_error - on_events failing: tracer_stop returns it, the rest is counted. */
static int test_callback_error(void)
{
	struct tracer_opts o = {.on_events = count_events, .ringbuf_bytes = 5000};
	struct json_object *st = NULL;
	struct stall s = {.ret = -EIO};
	struct tracer *t;
	char err[256];
	int rc = stall_run(&s, -EIO, &st);

	EXPECT(json_int(st, "dropped_events") > 0);
	json_object_put(st);
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
	t = open_tracer(NULL, &count, false);
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

	if (geteuid() != 0)
		return check_skip("the tracer needs root");
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return check_skip("no kernel BTF (/sys/kernel/btf/vmlinux)");
	return CHECK_RUN(cases);
}
