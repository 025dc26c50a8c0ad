// SPDX-License-Identifier: MIT
/*
 * tracer_consumer - the ringbuf's consumer: a SCHED_IDLE drainer and a booster that lets it run
 * SCHED_OTHER when the ringbuf nears full (see tracer_consumer.h).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "bpf/tracer_consumer.h"

#define CONSUMER_BATCH 1024 /* records per on_events() call, and per drain slice */
/* what consume_one returns when a slice is full (never an error of libbpf's) */
#define CONSUMER_SLICE_END (-EAGAIN)
/* how often, and how many times, tracer_consumer_start looks whether a thread sleeps (1 s) */
#define CONSUMER_SLEEP_POLL_NS 50000
#define CONSUMER_SLEEP_POLLS   20000

/* A thread's id, and how often it had slept when it said it started (consumer_handshake). */
struct consumer_thread {
	pid_t tid;
	long slept;
};

struct tracer_consumer {
	struct tracer_consumer_opts o;
	struct ring_buffer *rb;
	/* the ringbuf's positions, mapped read-only: how full it is (consumer_fill) */
	const volatile unsigned long *cons_pos, *prod_pos;
	int drain_fd, boost_fd, stop_fd; /* the threads' epolls, and the stop eventfd */
	pthread_t drainer, booster;
	struct consumer_thread drainer_id, booster_id;
	int nthreads; /* started: joined by tracer_consumer_stop */
	sem_t started;
	atomic_bool stopping;
	pthread_mutex_t policy_lock; /* boosted and the drainer's policy change together */
	bool boosted;
	int slice_left; /* records the running drain slice may still take */
	int err;	/* the first error: on_events' or the ringbuf's */
	uint64_t events, dropped, boosts;
	size_t nbatch;
	struct tracer_event batch[CONSUMER_BATCH];
};

size_t tracer_consumer_wake_mark(size_t ringbuf_bytes)
{
	/* half: a 10,000-iteration 3-hop ring (~8 MB of lean records) waits for the pause */
	return ringbuf_bytes / 2;
}

size_t tracer_consumer_boost_mark(size_t ringbuf_bytes)
{
	return ringbuf_bytes / 4 * 3;
}

/* consumer_fill - the bytes waiting in the ringbuf (written and not yet consumed). */
static size_t consumer_fill(const struct tracer_consumer *c)
{
	unsigned long prod = __atomic_load_n(c->prod_pos, __ATOMIC_ACQUIRE);
	unsigned long cons = __atomic_load_n(c->cons_pos, __ATOMIC_ACQUIRE);

	return prod > cons ? prod - cons : 0;
}

/* consumer_flush - hand the batch to on_events; after a failure, count what is dropped. */
static void consumer_flush(struct tracer_consumer *c)
{
	int ret;

	if (!c->nbatch)
		return;
	/* the counts are read by tracer_consumer_read() while this thread runs */
	if (c->err) {
		__atomic_add_fetch(&c->dropped, c->nbatch, __ATOMIC_RELAXED);
	} else {
		ret = c->o.on_events ? c->o.on_events(c->o.ctx, c->batch, c->nbatch) : 0;
		if (ret < 0) {
			c->err = ret;
			__atomic_add_fetch(&c->dropped, c->nbatch, __ATOMIC_RELAXED);
		} else {
			__atomic_add_fetch(&c->events, c->nbatch, __ATOMIC_RELAXED);
		}
	}
	c->nbatch = 0;
}

/* consume_one - copy one record into the batch; libbpf stops when it returns < 0. */
static int consume_one(void *ctx, void *data, size_t size)
{
	struct tracer_consumer *c = ctx;

	if (size < sizeof(struct tracer_event))
		return 0;
	memcpy(&c->batch[c->nbatch++], data, sizeof(struct tracer_event));
	if (c->nbatch == CONSUMER_BATCH)
		consumer_flush(c);
	/* this record is consumed either way: a negative return ends the slice after it */
	return --c->slice_left > 0 ? 0 : CONSUMER_SLICE_END;
}

/*
 * consumer_set_boost - the drainer's policy. SCHED_IDLE by default: it runs only on a CPU that
 * nothing else wants, and a measured thread that wakes up there preempts it at once, so its
 * copying never delays one (a 3-hop ring on 2 vCPUs waited behind the old consumer's 0.4-3 ms
 * stints: the largest cause of that ring's spikes). SCHED_OTHER from three quarters full until
 * back under half: a full ringbuf loses records, which is worse than a visible TRACER interval.
 * Unboosting arms the booster again. Either thread calls it.
 */
static void consumer_set_boost(struct tracer_consumer *c, bool on)
{
	struct sched_param none = {0};

	pthread_mutex_lock(&c->policy_lock);
	if (on != c->boosted &&
	    !pthread_setschedparam(c->drainer, on ? SCHED_OTHER : SCHED_IDLE, &none)) {
		c->boosted = on;
		if (on)
			__atomic_add_fetch(&c->boosts, 1, __ATOMIC_RELAXED);
		else
			__atomic_store_n(c->o.shared.boost_armed, 1, __ATOMIC_SEQ_CST);
	}
	pthread_mutex_unlock(&c->policy_lock);
}

/* consumer_boosted - whether the drainer runs SCHED_OTHER now. */
static bool consumer_boosted(struct tracer_consumer *c)
{
	bool on;

	pthread_mutex_lock(&c->policy_lock);
	on = c->boosted;
	pthread_mutex_unlock(&c->policy_lock);
	return on;
}

/*
 * consumer_drain - take what is waiting, one slice of CONSUMER_BATCH records at a time (the
 * booster's decision and a stop are looked at between slices), down to a quarter of the
 * ringbuf: the rest waits for the stop, between runs or at the end, where taking it costs no
 * measured thread anything. No yield between slices: at SCHED_IDLE any thread that wants the CPU
 * has it already, and boosted a yield gives the turn away for a whole round (EEVDF), which let
 * the ringbuf fill with two CPU hogs running. With @all, everything (the stopping thread).
 * Returns 0 or the ringbuf's error.
 */
static int consumer_drain(struct tracer_consumer *c, bool all)
{
	size_t low = c->o.ringbuf_bytes / 4;
	int ret;

	do {
		c->slice_left = CONSUMER_BATCH;
		ret = ring_buffer__consume(c->rb);
		consumer_flush(c);
		if (!all && consumer_boosted(c) &&
		    consumer_fill(c) < tracer_consumer_wake_mark(c->o.ringbuf_bytes))
			consumer_set_boost(c, false);
	} while (ret == CONSUMER_SLICE_END &&
		 (all || (consumer_fill(c) >= low && !atomic_load(&c->stopping))));
	return ret < 0 && ret != CONSUMER_SLICE_END && ret != -EINTR ? ret : 0;
}

/* consumer_pin - keep this thread off the traced CPUs when the process may run elsewhere. */
static void consumer_pin(const struct tracer_consumer *c)
{
	cpu_set_t set;

	if (!c->o.ncpus || sched_getaffinity(0, sizeof(set), &set))
		return;
	for (int i = 0; i < c->o.ncpus; i++)
		CPU_CLR(c->o.cpus[i], &set);
	if (CPU_COUNT(&set))
		pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

/* consumer_wait - sleep on @epfd until a wake-up or the stop. 0 or -errno. */
static int consumer_wait(int epfd)
{
	struct epoll_event ev;

	return epoll_wait(epfd, &ev, 1, -1) < 0 && errno != EINTR ? -errno : 0;
}

/* consumer_handshake - publish this thread's id and its sleeps so far, and say it started. */
static void consumer_handshake(struct tracer_consumer *c, struct consumer_thread *self,
			       volatile __u32 *shared_tid)
{
	struct rusage ru = {0};

	getrusage(RUSAGE_THREAD, &ru);
	self->slept = ru.ru_nvcsw;
	self->tid = (pid_t)syscall(SYS_gettid);
	*shared_tid = (__u32)self->tid;
	sem_post(&c->started);
}

/*
 * drainer_main - sleep until the kernel side says half the ringbuf is waiting (one wake-up per
 * arming) or the consumer stops, then drain at SCHED_IDLE.
 */
static void *drainer_main(void *arg)
{
	struct tracer_consumer *c = arg;
	int ret = 0;

	/* SCHED_IDLE comes from tracer_consumer_start once it sleeps: its start must not starve */
	consumer_pin(c);
	consumer_handshake(c, &c->drainer_id, c->o.shared.consumer_tid);
	while (!atomic_load(&c->stopping) && !ret) {
		__atomic_store_n(c->o.shared.wakeup_armed, 1, __ATOMIC_SEQ_CST);
		/* armed after a crossing: no wake-up comes for what is already waiting */
		if (consumer_fill(c) < tracer_consumer_wake_mark(c->o.ringbuf_bytes))
			ret = consumer_wait(c->drain_fd);
		if (!ret && !atomic_load(&c->stopping))
			ret = consumer_drain(c, false);
	}
	if (ret && !c->err)
		c->err = ret;
	return NULL;
}

/*
 * booster_main - sleep until three quarters of the ringbuf are waiting (the drainer, at
 * SCHED_IDLE, cannot run on CPUs that are never idle), then boost the drainer. It also wakes at
 * the drainer's half-way mark (one ringbuf, one wait queue): it looks and sleeps again.
 */
static void *booster_main(void *arg)
{
	struct tracer_consumer *c = arg;
	int ret = 0;

	consumer_pin(c);
	consumer_handshake(c, &c->booster_id, c->o.shared.booster_tid);
	while (!atomic_load(&c->stopping) && !ret) {
		ret = consumer_wait(c->boost_fd);
		if (!ret && consumer_fill(c) >= tracer_consumer_boost_mark(c->o.ringbuf_bytes))
			consumer_set_boost(c, true);
	}
	return NULL;
}

/* consumer_epoll - an epoll of the ringbuf (edge-triggered: its wake-ups, not its data, which
 * is there nearly always) and the stop eventfd. The fd or -errno. */
static int consumer_epoll(const struct tracer_consumer *c)
{
	struct epoll_event ev = {.events = EPOLLIN | EPOLLET};
	int fd = epoll_create1(EPOLL_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	if (epoll_ctl(fd, EPOLL_CTL_ADD, c->o.map_fd, &ev))
		goto fail;
	ev.events = EPOLLIN;
	if (epoll_ctl(fd, EPOLL_CTL_ADD, c->stop_fd, &ev))
		goto fail;
	return fd;
fail:
	ret = -errno;
	close(fd);
	return ret;
}

/* consumer_map - the ringbuf's consumer and producer positions, read-only. 0 or -errno. */
static int consumer_map(struct tracer_consumer *c)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	p = mmap(NULL, page, PROT_READ, MAP_SHARED, c->o.map_fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	c->cons_pos = p;
	p = mmap(NULL, page, PROT_READ, MAP_SHARED, c->o.map_fd, (off_t)page);
	if (p == MAP_FAILED)
		return -errno;
	c->prod_pos = p;
	return 0;
}

int tracer_consumer_open(const struct tracer_consumer_opts *o, struct tracer_consumer **out,
			 char *err, size_t errlen)
{
	struct tracer_consumer *c = calloc(1, sizeof(*c));
	const char *what = "memory";
	int ret = -ENOMEM;

	*out = NULL;
	if (!c)
		goto fail;
	c->o = *o;
	c->drain_fd = c->boost_fd = c->stop_fd = -1;
	sem_init(&c->started, 0, 0);
	pthread_mutex_init(&c->policy_lock, NULL);
	what = "the ringbuf";
	c->rb = ring_buffer__new(o->map_fd, consume_one, c, NULL);
	ret = c->rb ? consumer_map(c) : -errno;
	if (ret)
		goto fail;
	what = "the consumer's wake-ups";
	c->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	ret = c->stop_fd < 0 ? -errno : 0;
	if (!ret)
		ret = c->drain_fd = consumer_epoll(c);
	if (ret >= 0)
		ret = c->boost_fd = consumer_epoll(c);
	if (ret < 0)
		goto fail;
	*out = c;
	return 0;
fail:
	snprintf(err, errlen, "failed to set up %s for the tracer's consumer: %s", what,
		 strerror(-ret));
	tracer_consumer_close(c);
	return ret;
}

/*
 * consumer_voluntary_switches - how often thread @tid gave its CPU up to sleep, from
 * /proc/self/task/<tid>/status (the count getrusage(RUSAGE_THREAD) calls ru_nvcsw); -1: unread.
 */
static long consumer_voluntary_switches(pid_t tid)
{
	char path[64], line[128];
	long n = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (n < 0 && fgets(line, sizeof(line), f))
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) != 1)
			n = -1;
	fclose(f);
	return n;
}

/*
 * consumer_await_sleep - wait until thread @tid has slept since its handshake, where it had
 * slept @before times (bounded: past CONSUMER_SLEEP_POLLS, recording starts anyway and the rest
 * of its start-up is recorded, as it should be). Past the handshake a thread has nothing that
 * sleeps but its wait, and nothing wakes it while recording is off: once it has slept, it
 * sleeps there. Its state alone ('S') would not do: a thread shows it from just before the
 * scheduler takes it off, and can be preempted in between. Recording is switched on after this:
 * a thread that the handshake's wake-up preempted before it reached its wait would otherwise
 * come back on a CPU with recording on, a TRACER interval in a run it had no part in (docs/
 * tracer.md). No kernel notification says that a thread went to sleep, hence the polling.
 */
static void consumer_await_sleep(pid_t tid, long before)
{
	const struct timespec poll = {.tv_nsec = CONSUMER_SLEEP_POLL_NS};

	for (int i = 0; i < CONSUMER_SLEEP_POLLS && consumer_voluntary_switches(tid) <= before; i++)
		nanosleep(&poll, NULL);
}

int tracer_consumer_start(struct tracer_consumer *c)
{
	struct sched_param none = {0};
	int ret;

	atomic_store(&c->stopping, false);
	/* an earlier stop's word is read, or the new threads would see it */
	while (read(c->stop_fd, &(uint64_t){0}, sizeof(uint64_t)) > 0)
		;
	c->boosted = false;
	__atomic_store_n(c->o.shared.boost_armed, 1, __ATOMIC_SEQ_CST);
	ret = -pthread_create(&c->drainer, NULL, drainer_main, c);
	if (ret)
		return ret;
	c->nthreads = 1;
	sem_wait(&c->started);
	ret = -pthread_create(&c->booster, NULL, booster_main, c);
	if (ret) {
		tracer_consumer_stop(c);
		return ret;
	}
	c->nthreads = 2;
	sem_wait(&c->started);
	consumer_await_sleep(c->drainer_id.tid, c->drainer_id.slept);
	consumer_await_sleep(c->booster_id.tid, c->booster_id.slept);
	/*
	 * SCHED_IDLE only now: set before its wait, a thread that nothing else lets run could take
	 * a second to reach it on CPUs kept busy (its share there is 3/1024 of one)
	 */
	pthread_setschedparam(c->drainer, SCHED_IDLE, &none);
	return 0;
}

int tracer_consumer_stop(struct tracer_consumer *c)
{
	struct sched_param none = {0};
	int ret;

	if (c->nthreads) {
		atomic_store(&c->stopping, true);
		__atomic_store_n(c->o.shared.wakeup_armed, 0, __ATOMIC_SEQ_CST);
		__atomic_store_n(c->o.shared.boost_armed, 0, __ATOMIC_SEQ_CST);
		if (write(c->stop_fd, &(uint64_t){1}, sizeof(uint64_t)) < 0 && !c->err)
			c->err = -errno;
		/* a drainer starved at SCHED_IDLE must still see the stop */
		pthread_setschedparam(c->drainer, SCHED_OTHER, &none);
		pthread_join(c->drainer, NULL);
		if (c->nthreads > 1)
			pthread_join(c->booster, NULL);
		c->nthreads = 0;
	}
	/* Nothing new is produced now: take what is left, up to the last record. */
	ret = consumer_drain(c, true);
	if (ret && !c->err)
		c->err = ret;
	return c->err;
}

void tracer_consumer_reset(struct tracer_consumer *c)
{
	c->events = c->dropped = c->boosts = 0;
	c->err = 0;
	c->nbatch = 0;
}

void tracer_consumer_read(const struct tracer_consumer *c, struct tracer_consumer_counts *out)
{
	out->events = __atomic_load_n(&c->events, __ATOMIC_RELAXED);
	out->dropped = __atomic_load_n(&c->dropped, __ATOMIC_RELAXED);
	out->boosts = __atomic_load_n(&c->boosts, __ATOMIC_RELAXED);
}

void tracer_consumer_close(struct tracer_consumer *c)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (!c)
		return;
	if (c->nthreads)
		tracer_consumer_stop(c);
	ring_buffer__free(c->rb);
	if (c->cons_pos)
		munmap((void *)c->cons_pos, page);
	if (c->prod_pos)
		munmap((void *)c->prod_pos, page);
	if (c->drain_fd >= 0)
		close(c->drain_fd);
	if (c->boost_fd >= 0)
		close(c->boost_fd);
	if (c->stop_fd >= 0)
		close(c->stop_fd);
	pthread_mutex_destroy(&c->policy_lock);
	sem_destroy(&c->started);
	free(c);
}
