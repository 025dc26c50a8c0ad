// SPDX-License-Identifier: MIT
/* lifecycle_events - the ring's io_uring requests and io_uring_enter calls, from a trace. */
#include "analysis/lifecycle/lifecycle_events.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arch/arch.h"
#include "lib/trace/trace_reader.h"
#include "lib/uring_tag.h"

/* grow - room for one more @size-byte item in *@v (*@n used of *@cap). 0 or -ENOMEM. */
static int grow(void **v, size_t n, size_t *cap, size_t size)
{
	size_t want = *cap ? *cap * 2 : 4096;
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*v, want * size);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = want;
	return 0;
}

/* add_req - an IOURING_REQ record with a ring tag, its offsets turned into times. */
static int add_req(struct lc_events *c, const struct tracer_event *e)
{
	uint32_t arm = (uint32_t)e->arg1, ready = (uint32_t)(e->arg1 >> 32);
	uint64_t done = e->ts_ns + e->dur_ns;
	struct lc_req *r;

	if (!(e->arg0 & URING_TAG_MARK))
		return 0;
	if (grow((void **)&c->reqs, c->nreqs, &c->capreqs, sizeof(*c->reqs)))
		return -ENOMEM;
	r = &c->reqs[c->nreqs++];
	r->user_data = e->arg0;
	r->submit_ns = e->ts_ns;
	r->complete_ns = done;
	r->arm_ns = arm == TRACER_IOU_NONE ? LC_NO_STAMP : e->ts_ns + arm;
	r->ready_ns = ready == TRACER_IOU_NONE || ready > e->dur_ns ? LC_NO_STAMP : done - ready;
	r->tgid = e->tgid;
	r->ready_cpu = r->ready_ns == LC_NO_STAMP ? LC_NO_CPU : (uint16_t)(e->arg2 & 0xffff);
	r->recv_cpu =
	    e->cpu; /* the record is written at the completion, by the completing thread */
	return 0;
}

/* add_sock - a sendto or recvfrom on a socket (the socket modes' hops). */
static int add_sock(struct lc_events *c, const struct tracer_event *e)
{
	const char *name = arch_syscall_name(c->arch, e->arg0);
	bool send = name && !strcmp(name, "sendto");

	if (!send && (!name || strcmp(name, "recvfrom")))
		return 0;
	if (!(e->flags & TRACER_F_FD_SOCKET))
		return 0;
	if (grow((void **)&c->sys, c->nsys, &c->capsys, sizeof(*c->sys)))
		return -ENOMEM;
	c->sys[c->nsys++] = (struct lc_sys){.start_ns = e->ts_ns,
					    .end_ns = e->ts_ns + e->dur_ns,
					    .ret = (int64_t)e->arg1,
					    .tgid = e->tgid,
					    .tid = e->tid,
					    .cpu = e->cpu,
					    .send = send};
	return 0;
}

/* add_sleep - an OFFCPU record that is a sleep (not a preemption): the socket modes' waits. */
static int add_sleep(struct lc_events *c, const struct tracer_event *e)
{
	if (e->flags & TRACER_F_PREEMPTED)
		return 0;
	if (grow((void **)&c->sleeps, c->nsleeps, &c->capsleeps, sizeof(*c->sleeps)))
		return -ENOMEM;
	c->sleeps[c->nsleeps++] = (struct lc_sleep){
	    .off_ns = e->ts_ns, .wake_ns = e->arg0, .on_ns = e->ts_ns + e->dur_ns, .tid = e->tid};
	return 0;
}

/* add_enter - an io_uring_enter SYSCALL record: where a forwarder got back to user space. */
static int add_enter(struct lc_events *c, const struct tracer_event *e)
{
	if (!(arch_syscall_class(c->arch, e->arg0) & ARCH_SC_RING_ENTER))
		return c->sockets ? add_sock(c, e) : 0;
	if (grow((void **)&c->enters, c->nenters, &c->capenters, sizeof(*c->enters)))
		return -ENOMEM;
	c->enters[c->nenters++] = (struct lc_enter){
	    .tgid = e->tgid, .start_ns = e->ts_ns, .end_ns = e->ts_ns + e->dur_ns};
	return 0;
}

int lc_events_take(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct lc_events *c = ctx;
	int ret = 0;

	for (size_t i = 0; i < n && !ret; i++) {
		if (ev[i].type == TRACER_EV_IOURING_REQ)
			ret = add_req(c, &ev[i]);
		else if (ev[i].type == TRACER_EV_SYSCALL)
			ret = add_enter(c, &ev[i]);
		else if (ev[i].type == TRACER_EV_OFFCPU && c->sockets)
			ret = add_sleep(c, &ev[i]);
	}
	return ret;
}

void lc_events_free(struct lc_events *c)
{
	free(c->reqs);
	free(c->enters);
	free(c->sys);
	free(c->sleeps);
	*c = (struct lc_events){0};
}
