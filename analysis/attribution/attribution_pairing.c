// SPDX-License-Identifier: MIT
/* attribution_pairing - refuse the IPI pairings that cannot be true (attribution_pairing.h). */
#include <stdint.h>
#include <stdlib.h>

#include "analysis/attribution/attribution_pairing.h"

#define PAIRING_KINDS (TRACER_IPI_CALL_FUNCTION_SINGLE + 1) /* enum tracer_ipi, by value */

/* What one CPU did last: the starts of its latest idle period and handlers. */
struct attr_pairing_cpu {
	uint64_t idle_start;	       /* the latest idle period that has ended */
	uint64_t timer[2];	       /* the latest two local timer interrupts, latest first */
	uint64_t entry[PAIRING_KINDS]; /* the latest handler of each kind */
};

struct attr_pairing {
	struct attr_pairing_cpu cpu[TRACER_MAX_CPUS];
};

struct attr_pairing *attr_pairing_new(void)
{
	return calloc(1, sizeof(struct attr_pairing));
}

/* attr_between - whether @t lies strictly between @from and @to. */
static int attr_between(uint64_t t, uint64_t from, uint64_t to)
{
	return t > from && t < to;
}

/*
 * attr_pairing_stale - whether CPU @c cannot have been waiting, at @entry, on a send of @kind
 * made at @sent. Only what the CPU did between the two counts: a record that came after later
 * ones (out of its CPU's order) finds nothing and keeps its pairing.
 */
static int attr_pairing_stale(const struct attr_pairing_cpu *c, uint64_t kind, uint64_t sent,
			      uint64_t entry)
{
	return attr_between(c->entry[kind], sent, entry) ||
	       attr_between(c->idle_start, sent, entry) ||
	       (attr_between(c->timer[0], sent, entry) && attr_between(c->timer[1], sent, entry));
}

/* attr_pairing_note - @e into its CPU's state. */
static void attr_pairing_note(struct attr_pairing_cpu *c, const struct tracer_event *e)
{
	if (e->type == TRACER_EV_IDLE && e->ts_ns > c->idle_start) {
		c->idle_start = e->ts_ns;
	} else if (e->type == TRACER_EV_IPI && e->arg0 < PAIRING_KINDS) {
		if (e->ts_ns > c->entry[e->arg0])
			c->entry[e->arg0] = e->ts_ns;
		if (e->arg0 == TRACER_IPI_LOCAL_TIMER && e->ts_ns > c->timer[0]) {
			c->timer[1] = c->timer[0];
			c->timer[0] = e->ts_ns;
		}
	}
}

int attr_pairing_check(struct attr_pairing *p, struct tracer_event *e)
{
	struct attr_pairing_cpu *c;
	int refused = 0;

	if (e->cpu >= TRACER_MAX_CPUS || (e->type != TRACER_EV_IPI && e->type != TRACER_EV_IDLE))
		return 0;
	c = &p->cpu[e->cpu];
	if (e->type == TRACER_EV_IPI && (e->flags & TRACER_F_IPI_SENT) && e->arg1 <= e->ts_ns &&
	    e->arg0 < PAIRING_KINDS &&
	    attr_pairing_stale(c, e->arg0, e->ts_ns - e->arg1, e->ts_ns)) {
		e->flags &= (uint8_t)~TRACER_F_IPI_SENT;
		e->arg1 = 0;
		e->arg2 = 0;
		refused = 1;
	}
	attr_pairing_note(c, e);
	return refused;
}

void attr_pairing_free(struct attr_pairing *p)
{
	free(p);
}
