// SPDX-License-Identifier: MIT
/* tracer - load, configure and attach bpf/tracer.bpf.c; the only file that touches its skeleton. */
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf/tracer_consumer.h"
#include "bpf/tracer_loader.h"
#include "bpf/tracer_log.h"
#include "bpf/tracer_precheck.h"
#include "bpf/tracer_progs.h"
#include "tracer.skel.h"

#define TRACER_MAX_RINGBUF_BYTES (1u << 30)

struct tracer {
	struct tracer_bpf *skel;
	struct bpf_link *links[TRACER_NPROGS];
	char why[TRACER_NPROGS][128]; /* empty: attached */
	struct tracer_prog_status progs[TRACER_NPROGS];
	uint64_t *lost_per_cpu; /* the status's, one per possible CPU */
	/* counts of the kernel's maps from before each resume, which resets them: the status adds
	 * them, so a paused and resumed recording counts as one */
	uint64_t *lost_before; /* per possible CPU */
	uint64_t agg_before[TRACER_CNT_MAX];
	struct tracer_opts opts;
	size_t ringbuf_bytes;
	int ncpus;		       /* possible CPUs */
	pid_t tgids[TRACER_MAX_TGIDS]; /* the processes whose bit is set in rs_tgid_bits */
	int ntgids;
	__u64 *named_bits;   /* rs_named_bits, mapped: cleared at each start */
	__u64 absent_ns;     /* the ABSENT threshold (0: not detected), see tracer_hv_setup */
	bool steal_readable; /* this kernel has rq->prev_steal_time_rq (read per timer window) */
	struct tracer_consumer *consumer;
	bool running;
	bool paused; /* tracer_pause() detached the programs */
	int result;  /* the last stop's: 0 or the consumer's first error */
};

/* tracer_select - set autoload off for what this kernel lacks; -ENOTSUP if a required one. */
static int tracer_select(struct tracer *t, bool have_tracefs, char *err, size_t errlen)
{
	struct btf *vmlinux = btf__load_vmlinux_btf();
	int ret = 0;

	if (!vmlinux) {
		snprintf(err, errlen,
			 "failed to read the kernel's BTF: %s (tracing needs "
			 "CONFIG_DEBUG_INFO_BTF=y)",
			 strerror(errno));
		return -ENOTSUP;
	}
	for (size_t i = 0; i < TRACER_NPROGS && !ret; i++) {
		const struct tracer_prog_def *d = &tracer_progs[i];
		const char *why =
		    tracer_progs_missing(d, vmlinux, t->opts.skip, have_tracefs, t->opts.detail);
		struct bpf_program *prog;

		if (!why)
			continue;
		if (d->required) {
			snprintf(err, errlen, "cannot trace '%s:%s': %s", d->category, d->event,
				 why);
			ret = -ENOTSUP;
		}
		snprintf(t->why[i], sizeof(t->why[i]), "%s", why);
		prog = bpf_object__find_program_by_name(t->skel->obj, d->prog);
		if (prog)
			bpf_program__set_autoload(prog, false);
		tracer_log("tracer: skipping '%s:%s': %s", d->category, d->event, why);
	}
	t->steal_readable = tracer_progs_steal_readable(vmlinux);
	if (!t->steal_readable)
		tracer_log("tracer: no STEAL records: this kernel has no rq->prev_steal_time_rq "
			   "(CONFIG_PARAVIRT_TIME_ACCOUNTING) or no group scheduling");
	btf__free(vmlinux);
	return ret;
}

/* tracer_configure - filters and sizes, between open and load. */
static int tracer_configure(struct tracer *t, char *err, size_t errlen)
{
	const struct tracer_opts *o = &t->opts;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	struct tracer_bpf *s = t->skel;

	t->ringbuf_bytes = o->ringbuf_bytes ? o->ringbuf_bytes : TRACER_DEFAULT_RINGBUF_BYTES;
	if (t->ringbuf_bytes < page || t->ringbuf_bytes > TRACER_MAX_RINGBUF_BYTES ||
	    (t->ringbuf_bytes & (t->ringbuf_bytes - 1))) {
		snprintf(err, errlen, "bad ringbuf size %zu: use a power of 2 from %zu to %u",
			 t->ringbuf_bytes, page, TRACER_MAX_RINGBUF_BYTES);
		return -EINVAL;
	}
	for (int i = 0; i < o->ncpus; i++) {
		if (o->cpus[i] < 0 || o->cpus[i] >= t->ncpus || o->cpus[i] >= TRACER_MAX_CPUS) {
			snprintf(err, errlen, "bad CPU %d: this machine has CPUs 0-%d", o->cpus[i],
				 t->ncpus - 1);
			return -EINVAL;
		}
	}
	if (o->detail != TRACER_DETAIL_LEAN && o->detail != TRACER_DETAIL_FULL) {
		snprintf(err, errlen, "bad trace detail %d: use lean or full", (int)o->detail);
		return -EINVAL;
	}
	s->rodata->detail = (__u32)o->detail;
	s->rodata->nr_cpus = (__u32)(t->ncpus < TRACER_MAX_CPUS ? t->ncpus : TRACER_MAX_CPUS);
	s->rodata->wakeup_bytes = tracer_consumer_wake_mark(t->ringbuf_bytes);
	s->rodata->boost_bytes = tracer_consumer_boost_mark(t->ringbuf_bytes);
	bpf_map__set_max_entries(s->maps.rs_events, (__u32)t->ringbuf_bytes);
	return 0;
}

/* tracer_attach - attach every loaded program; a failure is an error only for required ones. */
static int tracer_attach(struct tracer *t, char *err, size_t errlen)
{
	for (size_t i = 0; i < TRACER_NPROGS; i++) {
		const struct tracer_prog_def *d = &tracer_progs[i];
		struct bpf_program *prog;
		int ret;

		if (t->why[i][0])
			continue;
		prog = bpf_object__find_program_by_name(t->skel->obj, d->prog);
		t->links[i] = prog ? bpf_program__attach(prog) : NULL;
		if (t->links[i])
			continue;
		ret = prog ? -errno : -ENOENT;
		if (d->required) {
			snprintf(err, errlen, "failed to attach '%s:%s': %s", d->category, d->event,
				 strerror(-ret));
			return ret;
		}
		snprintf(t->why[i], sizeof(t->why[i]), "failed to attach: %s", strerror(-ret));
		tracer_log("tracer: skipping '%s:%s': %s", d->category, d->event, t->why[i]);
	}
	return 0;
}

/* tracer_detach - destroy every link: the tracepoints run no program of ours. */
static void tracer_detach(struct tracer *t)
{
	for (size_t i = 0; i < TRACER_NPROGS; i++) {
		bpf_link__destroy(t->links[i]);
		t->links[i] = NULL;
	}
}

/* tracer_attached - whether program @prog (a name in tracer_progs) is attached. */
static bool tracer_attached(const struct tracer *t, const char *prog)
{
	for (size_t i = 0; i < TRACER_NPROGS; i++) {
		if (!strcmp(tracer_progs[i].prog, prog))
			return !t->why[i][0];
	}
	return false;
}

/*
 * tracer_hv_setup - after attaching: the IPI sends worth pairing (their handler's entry is
 * attached), and the ABSENT threshold (tracer_progs_absent_ns).
 */
static void tracer_hv_setup(struct tracer *t)
{
	bool send = tracer_attached(t, "rs_ipi_send");
	const char *why;
	__u32 kinds = 0;

	if (send && tracer_attached(t, "rs_resch_entry"))
		kinds |= 1u << TRACER_SEND_RESCHEDULE;
	if (send && tracer_attached(t, "rs_callfs_entry"))
		kinds |= 1u << TRACER_SEND_CALL_SINGLE;
	if (tracer_attached(t, "rs_ipi_send_mask") && tracer_attached(t, "rs_callf_entry"))
		kinds |= 1u << TRACER_SEND_CALL_MANY;
	t->skel->bss->send_kinds = kinds;
	why = tracer_progs_absent_ns(tracer_attached(t, "rs_timer_entry"),
				     tracer_attached(t, "rs_idle"), &t->absent_ns);
	if (why)
		tracer_log("tracer: no ABSENT records: %s", why);
}

/* tracer_clear_map - delete every key of hash map @map (keys of at most 16 bytes). */
static void tracer_clear_map(const struct bpf_map *map)
{
	int fd = bpf_map__fd(map);
	char key[16], next[16];

	while (bpf_map_get_next_key(fd, NULL, next) == 0) {
		memcpy(key, next, sizeof(key));
		if (bpf_map_delete_elem(fd, key))
			break;
	}
}

/*
 * tracer_reset_cpus - zero every CPU's state and counters, and mark the CPUs whose per-CPU
 * events are wanted (opts.cpus, or all). Per-CPU values are written as one 8-byte aligned slot
 * per possible CPU.
 */
static void tracer_reset_cpus(struct tracer *t, __u64 start)
{
	size_t slot = (sizeof(struct tracer_cpu_state) + 7) & ~(size_t)7;
	char *vals = calloc((size_t)t->ncpus, slot);
	struct tracer_cpu_state *cs;
	__u32 k0 = 0;

	if (!vals)
		return;
	for (int c = 0; c < t->ncpus; c++)
		((struct tracer_cpu_state *)(vals + c * slot))->traced = t->opts.ncpus == 0;
	for (int i = 0; i < t->opts.ncpus; i++)
		((struct tracer_cpu_state *)(vals + (size_t)t->opts.cpus[i] * slot))->traced = 1;
	for (int c = 0; c < t->ncpus; c++) {
		cs = (struct tracer_cpu_state *)(vals + c * slot);
		cs->absent_ns = t->absent_ns;
		cs->window_ts = start;
		if (c < TRACER_MAX_CPUS)
			t->skel->bss->ipi_pending[c].traced = cs->traced;
	}
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.rs_cpu_state), &k0, vals, BPF_ANY);
	memset(vals, 0, (size_t)t->ncpus * slot);
	bpf_map_update_elem(bpf_map__fd(t->skel->maps.rs_lost), &k0, vals, BPF_ANY);
	free(vals);
}

/*
 * tracer_reset_kernel - forget the kernel side's pairing state, names and counts: a new start's
 * (or a resume's) time is the base of the IPI stamps and the first timer window, and nothing
 * paired across a time the programs did not see.
 */
static void tracer_reset_kernel(struct tracer *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	tracer_clear_map(t->skel->maps.rs_threads);
	tracer_clear_map(t->skel->maps.rs_punts);
	memset(t->named_bits, 0, TRACER_PID_LIMIT / 8);
	memset(t->skel->bss->ipi_pending, 0, sizeof(t->skel->bss->ipi_pending));
	t->skel->bss->punts_pending = 0;
	t->skel->bss->start_ns = (__u64)now.tv_sec * 1000000000u + (__u64)now.tv_nsec;
	tracer_reset_cpus(t, t->skel->bss->start_ns);
}

/* tracer_reset - tracer_reset_kernel() and the counts of an earlier start/stop. */
static void tracer_reset(struct tracer *t)
{
	tracer_reset_kernel(t);
	memset(t->lost_before, 0, (size_t)t->ncpus * sizeof(*t->lost_before));
	memset(t->agg_before, 0, sizeof(t->agg_before));
	tracer_consumer_reset(t->consumer);
	t->result = 0;
}

/* tracer_open_consumer - the ringbuf's consumer, sharing the kernel side's arming flags. */
static int tracer_open_consumer(struct tracer *t, char *err, size_t errlen)
{
	struct tracer_bpf__bss *bss = t->skel->bss;
	struct tracer_consumer_opts co = {
	    .map_fd = bpf_map__fd(t->skel->maps.rs_events),
	    .ringbuf_bytes = t->ringbuf_bytes,
	    .shared = {.wakeup_armed = &bss->wakeup_armed,
		       .boost_armed = &bss->boost_armed,
		       .consumer_tid = &bss->consumer_tid,
		       .booster_tid = &bss->booster_tid},
	    .cpus = t->opts.cpus,
	    .ncpus = t->opts.ncpus,
	    .on_events = t->opts.on_events,
	    .ctx = t->opts.ctx,
	};

	return tracer_consumer_open(&co, &t->consumer, err, errlen);
}

/* tracer_alloc - the status's per-CPU lost counts, one per possible CPU, and their carry. */
static int tracer_alloc(struct tracer *t, char *err, size_t errlen)
{
	t->lost_per_cpu = calloc((size_t)t->ncpus, sizeof(*t->lost_per_cpu));
	t->lost_before = calloc((size_t)t->ncpus, sizeof(*t->lost_before));
	if (t->lost_per_cpu && t->lost_before)
		return 0;
	snprintf(err, errlen, "out of memory opening the tracer");
	return -ENOMEM;
}

/* tracer_load - open the skeleton, configure it, skip what is missing, load. */
static int tracer_load(struct tracer *t, bool have_tracefs, char *err, size_t errlen)
{
	int ret;

	t->skel = tracer_bpf__open();
	if (!t->skel) {
		ret = -errno;
		snprintf(err, errlen, "failed to open the BPF object: %s", strerror(-ret));
		return ret;
	}
	ret = tracer_configure(t, err, errlen);
	if (!ret)
		ret = tracer_select(t, have_tracefs, err, errlen);
	if (ret)
		return ret;
	ret = tracer_bpf__load(t->skel);
	if (ret) {
		snprintf(err, errlen,
			 "failed to load the BPF programs: %s (run with -v for the "
			 "verifier log)",
			 strerror(-ret));
		return ret;
	}
	return 0;
}

int tracer_open(const struct tracer_opts *o, struct tracer **out, char *err, size_t errlen)
{
	struct tracer *t;
	bool have_tracefs;
	int ret;

	*out = NULL;
	tracer_log_route(o->on_log);
	ret = tracer_precheck(&have_tracefs, err, errlen);
	if (ret)
		return ret;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->opts = *o;
	t->ncpus = libbpf_num_possible_cpus();
	ret = t->ncpus > 0 ? tracer_alloc(t, err, errlen) : t->ncpus;
	if (!ret)
		ret = tracer_load(t, have_tracefs, err, errlen);
	if (!ret)
		ret = tracer_attach(t, err, errlen);
	if (ret)
		goto fail;
	tracer_hv_setup(t);
	t->named_bits = mmap(NULL, TRACER_PID_LIMIT / 8, PROT_READ | PROT_WRITE, MAP_SHARED,
			     bpf_map__fd(t->skel->maps.rs_named_bits), 0);
	if (t->named_bits == MAP_FAILED) {
		ret = -errno;
		t->named_bits = NULL;
		snprintf(err, errlen, "failed to map the names' bitmap: %s", strerror(-ret));
		goto fail;
	}
	ret = tracer_open_consumer(t, err, errlen);
	if (ret)
		goto fail;
	*out = t;
	return 0;
fail:
	if (t->ncpus <= 0)
		snprintf(err, errlen, "cannot count the possible CPUs: %s", strerror(-ret));
	tracer_close(t);
	return ret;
}

/* tracer_set_tgid_bit - set or clear @tgid's bit in rs_tgid_bits (only this process writes it). */
static int tracer_set_tgid_bit(struct tracer *t, pid_t tgid, bool on)
{
	__u32 word = (__u32)tgid / 64;
	__u64 bits = 0, bit = 1ull << ((__u32)tgid % 64);
	const struct bpf_map *map = t->skel->maps.rs_tgid_bits;
	int ret;

	ret = bpf_map__lookup_elem(map, &word, sizeof(word), &bits, sizeof(bits), 0);
	if (!ret)
		ret = bpf_map__update_elem(map, &word, sizeof(word),
					   on ? &(__u64){bits | bit} : &(__u64){bits & ~bit},
					   sizeof(bits), BPF_ANY);
	return ret < 0 ? ret : 0;
}

int tracer_add_tgid(struct tracer *t, pid_t tgid)
{
	int ret;

	if (tgid <= 0 || (__u32)tgid >= TRACER_PID_LIMIT)
		return -EINVAL;
	for (int i = 0; i < t->ntgids; i++) {
		if (t->tgids[i] == tgid)
			return 0;
	}
	if (t->ntgids == TRACER_MAX_TGIDS)
		return -E2BIG;
	ret = tracer_set_tgid_bit(t, tgid, true);
	if (!ret)
		t->tgids[t->ntgids++] = tgid;
	return ret;
}

int tracer_remove_tgid(struct tracer *t, pid_t tgid)
{
	for (int i = 0; i < t->ntgids; i++) {
		if (t->tgids[i] != tgid)
			continue;
		t->tgids[i] = t->tgids[--t->ntgids];
		return tracer_set_tgid_bit(t, tgid, false);
	}
	return 0;
}

/* tracer_run_consumer - start the consumer's threads, then switch recording on. */
static int tracer_run_consumer(struct tracer *t)
{
	int ret = tracer_consumer_start(t->consumer);

	if (ret)
		return ret;
	__atomic_store_n(&t->skel->bss->tracing_on, 1, __ATOMIC_SEQ_CST);
	t->running = true;
	return 0;
}

int tracer_start(struct tracer *t)
{
	if (t->running)
		return -EBUSY;
	if (t->paused)
		return -EALREADY;
	tracer_reset(t);
	return tracer_run_consumer(t);
}

int tracer_pause(struct tracer *t)
{
	int ret;

	if (!t->running)
		return -EINVAL;
	ret = tracer_stop(t, NULL);
	tracer_detach(t);
	t->paused = true;
	return ret;
}

/* tracer_kernel_counts - the lean counters of the kernel's per-CPU state, summed. 0 or -errno. */
static int tracer_kernel_counts(struct tracer *t, uint64_t count[TRACER_CNT_MAX])
{
	size_t slot = (sizeof(struct tracer_cpu_state) + 7) & ~(size_t)7;
	char *vals = calloc((size_t)t->ncpus, slot);
	__u32 k0 = 0;

	if (!vals || bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.rs_cpu_state), &k0, vals)) {
		free(vals);
		return -EIO;
	}
	for (int c = 0; c < t->ncpus; c++) {
		const struct tracer_cpu_state *cs = (const void *)(vals + c * slot);

		for (int i = 0; i < TRACER_CNT_MAX; i++)
			count[i] += cs->count[i];
	}
	free(vals);
	return 0;
}

/* tracer_carry_counts - keep the kernel's lost and lean counts before a resume resets them. */
static void tracer_carry_counts(struct tracer *t)
{
	__u32 k0 = 0;

	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.rs_lost), &k0, t->lost_per_cpu) == 0) {
		for (int c = 0; c < t->ncpus; c++)
			t->lost_before[c] += t->lost_per_cpu[c];
	}
	tracer_kernel_counts(t, t->agg_before);
}

int tracer_resume(struct tracer *t, char *err, size_t errlen)
{
	int ret;

	if (!t->paused)
		return t->running ? 0 : -EINVAL;
	ret = tracer_attach(t, err, errlen);
	if (ret) {
		tracer_detach(t);
		return ret;
	}
	t->paused = false;
	tracer_hv_setup(t);
	tracer_carry_counts(t);
	tracer_reset_kernel(t);
	return tracer_run_consumer(t);
}

/* tracer_aggregated - the lean counters summed over the CPUs into @st (none if unreadable). */
static void tracer_aggregated(struct tracer *t, struct tracer_status *st)
{
	if (tracer_kernel_counts(t, st->aggregated))
		return;
	for (int i = 0; i < TRACER_CNT_MAX; i++)
		st->aggregated[i] += t->agg_before[i];
	st->naggregated = TRACER_CNT_AGGREGATED;
}

/* tracer_status - the status described in tracer_loader.h. */
static void tracer_status(struct tracer *t, struct tracer_status *st)
{
	struct tracer_consumer_counts counts;
	__u32 k0 = 0;

	tracer_consumer_read(t->consumer, &counts);
	*st = (struct tracer_status){.progs = t->progs,
				     .nprogs = TRACER_NPROGS,
				     .events = counts.events,
				     .lost_per_cpu = t->lost_per_cpu,
				     .dropped = counts.dropped,
				     .ringbuf_bytes = t->ringbuf_bytes,
				     .cpus = t->opts.cpus,
				     .ncpus = t->opts.ncpus,
				     .detail = t->opts.detail,
				     .absent_threshold_ns = t->absent_ns,
				     .consumer_boosts = counts.boosts,
				     .steal_readable = t->steal_readable};
	for (size_t i = 0; i < TRACER_NPROGS; i++)
		t->progs[i] = (struct tracer_prog_status){.category = tracer_progs[i].category,
							  .event = tracer_progs[i].event,
							  .why = t->why[i]};
	if (bpf_map_lookup_elem(bpf_map__fd(t->skel->maps.rs_lost), &k0, t->lost_per_cpu) == 0) {
		st->nlost_per_cpu = t->ncpus;
		for (int c = 0; c < t->ncpus; c++) {
			t->lost_per_cpu[c] += t->lost_before[c];
			st->lost += t->lost_per_cpu[c];
		}
	}
	if (t->opts.detail != TRACER_DETAIL_FULL)
		tracer_aggregated(t, st);
}

void tracer_peek(struct tracer *t, struct tracer_status *status)
{
	tracer_status(t, status);
}

int tracer_stop(struct tracer *t, struct tracer_status *status)
{
	if (t->running) {
		__atomic_store_n(&t->skel->bss->tracing_on, 0, __ATOMIC_SEQ_CST);
		t->running = false;
		t->result = tracer_consumer_stop(t->consumer);
	}
	if (status)
		tracer_status(t, status);
	return t->result;
}

void tracer_close(struct tracer *t)
{
	if (!t)
		return;
	if (t->running)
		tracer_stop(t, NULL);
	tracer_consumer_close(t->consumer);
	if (t->named_bits)
		munmap(t->named_bits, TRACER_PID_LIMIT / 8);
	tracer_detach(t);
	tracer_bpf__destroy(t->skel);
	free(t->lost_per_cpu);
	free(t->lost_before);
	free(t);
}
