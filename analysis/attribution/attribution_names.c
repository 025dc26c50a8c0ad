// SPDX-License-Identifier: MIT
/*
 * attribution_names - the comm of every thread a trace names (NAME records), so that a spike's
 * events say who they are about and who ran instead of a thread that was off its CPU. A hash
 * of tid to the name of the latest NAME record seen for it: a few hundred threads per session.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/attribution/attribution.h"

#define ATTR_NAMES_MIN 64 /* slots of a new table; it doubles at half full */

/* attr_name - one thread's name, from the NAME record at @ts. */
struct attr_name {
	uint64_t ts;
	uint32_t tid; /* 0: the slot is free (tid 0, the idle task, is never named) */
	uint32_t tgid;
	char comm[17];
};

struct attr_names {
	struct attr_name *slot;
	size_t cap, n;
};

/* attr_names_find - the slot of @tid in @t, or the free slot where it would go. */
static struct attr_name *attr_names_find(const struct attr_names *t, uint32_t tid)
{
	size_t i = (tid * 2654435761u) & (t->cap - 1);

	while (t->slot[i].tid && t->slot[i].tid != tid)
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

/* attr_names_grow - twice the slots (ATTR_NAMES_MIN at first), every name moved. 0 or -ENOMEM. */
static int attr_names_grow(struct attr_names *t)
{
	struct attr_names bigger = {.cap = t->cap ? 2 * t->cap : ATTR_NAMES_MIN, .n = t->n};
	size_t i;

	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -ENOMEM;
	for (i = 0; i < t->cap; i++)
		if (t->slot[i].tid)
			*attr_names_find(&bigger, t->slot[i].tid) = t->slot[i];
	free(t->slot);
	*t = bigger;
	return 0;
}

int attr_names_add(struct attr_names **names, const struct tracer_event *e)
{
	struct attr_name *s;

	if (e->type != TRACER_EV_NAME || !e->tid)
		return 0;
	if (!*names) {
		*names = calloc(1, sizeof(**names));
		if (!*names)
			return -ENOMEM;
	}
	if (2 * ((*names)->n + 1) > (*names)->cap && attr_names_grow(*names))
		return -ENOMEM;
	s = attr_names_find(*names, e->tid);
	if (s->tid && s->ts > e->ts_ns)
		return 0; /* a later name of the thread is kept: records come in any order */
	(*names)->n += !s->tid;
	s->tid = e->tid;
	s->tgid = e->tgid;
	s->ts = e->ts_ns;
	memcpy(s->comm, &e->arg0, 8);
	memcpy(s->comm + 8, &e->arg1, 8);
	s->comm[16] = '\0';
	return 0;
}

const char *attr_names_get(const struct attr_names *names, uint32_t tid)
{
	const struct attr_name *s;

	if (!names || !tid)
		return NULL;
	s = attr_names_find(names, tid);
	return s->tid ? s->comm : NULL;
}

uint32_t attr_names_tgid(const struct attr_names *names, uint32_t tid)
{
	if (!names || !tid)
		return 0;
	return attr_names_find(names, tid)->tgid;
}

void attr_names_free(struct attr_names *names)
{
	if (names)
		free(names->slot);
	free(names);
}
