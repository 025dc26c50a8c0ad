// SPDX-License-Identifier: MIT
/*
 * mechanisms_render - the mechanism cost table as the analyze report's "mechanisms" object and
 * as text; and the pass over a session's events for a caller that has not read them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "analysis/attribution/mechanisms.h"
#include "analysis/model/report_model.h"
#include "lib/trace/trace_reader.h"

/* mech_row_def - a row's name, key and where its figure comes from. */
struct mech_row_def {
	const char *name, *key, *source;
};

static const struct mech_row_def mech_rows[MECH_NKINDS] = {
    [MECH_SYSCALL] = {"syscall", "syscall",
		      "a write(2) to /dev/null with its entry and exit: the syscall probe's "
		      "iterations holding one syscall, less the probe's median"},
    [MECH_CONTEXT_SWITCH] = {"context switch", "context_switch",
			     "a woken thread's switch-in to the return of the syscall it slept in "
			     "(no socket or io_uring wait)"},
    [MECH_WAKEUP_SAME] = {"same-vCPU wakeup", "wakeup_same_vcpu",
			  "sched_waking to running, the waker on the wakee's CPU"},
    [MECH_WAKEUP_CROSS] = {"cross-vCPU wakeup", "wakeup_cross_vcpu",
			   "sched_waking to running, the waker on another CPU"},
    [MECH_IRQ_DELIVERY] = {"interrupt delivery", "irq_delivery",
			   "an IPI's send to its handler's entry"},
    [MECH_TIMER_LATENESS] = {"timer lateness", "timer_lateness",
			     "a timer's expiry to its interrupt handler"},
    [MECH_PAGE_FAULT] = {"page fault", "page_fault",
			 "a user fault to the thread's next syscall or fault (an upper bound)"},
    [MECH_VMEXIT] = {"VM exit", "vmexit", "the vmexit probe's median less the null probe's"},
    [MECH_ABSENCE] = {"vCPU absence", "vcpu_absence",
		      "a vCPU that ran nothing for over 1.5 ticks: its length"},
};

/* The table's order: what a program pays, then what the platform adds. */
static const enum mech_kind mech_order[MECH_NKINDS] = {
    MECH_SYSCALL,      MECH_CONTEXT_SWITCH, MECH_WAKEUP_SAME,
    MECH_WAKEUP_CROSS, MECH_IRQ_DELIVERY,   MECH_TIMER_LATENESS,
    MECH_PAGE_FAULT,   MECH_VMEXIT,	    MECH_ABSENCE,
};

const char *mech_name(unsigned int kind)
{
	return kind < MECH_NKINDS ? mech_rows[kind].name : "?";
}

const char *mech_key(unsigned int kind)
{
	return kind < MECH_NKINDS ? mech_rows[kind].key : "?";
}

/* mech_row_json - one row; the figures null when unknown, with why. */
static struct json_object *mech_row_json(unsigned int k, const struct mech_cost *c)
{
	struct json_object *o = json_object_new_object();
	int known = c->n > 0;

	rm_set_str(o, RK_MECH_ROW_NAME, mech_rows[k].name);
	rm_set_int(o, RK_MECH_ROW_N, (int64_t)c->n);
	rm_set(o, RK_MECH_ROW_P50, known ? rm_ns(c->p50_ns) : NULL);
	rm_set(o, RK_MECH_ROW_P50_LO, known ? rm_ns(c->lo_ns) : NULL);
	rm_set(o, RK_MECH_ROW_P50_HI, known ? rm_ns(c->hi_ns) : NULL);
	rm_set(o, RK_MECH_ROW_P90, known ? rm_ns(c->p90_ns) : NULL);
	rm_set_str(o, RK_MECH_ROW_SOURCE, mech_rows[k].source);
	if (!known)
		rm_set_str(o, RK_MECH_ROW_UNKNOWN, c->why ? c->why : "not measured");
	return o;
}

struct json_object *mech_table_json(const struct mech_table *t)
{
	struct json_object *o = json_object_new_object(), *rows = json_object_new_object();
	struct json_object *abs = json_object_new_object();
	unsigned int i;

	if (!o || !rows || !abs) {
		json_object_put(o);
		json_object_put(rows);
		json_object_put(abs);
		return NULL;
	}
	for (i = 0; i < MECH_NKINDS; i++)
		json_object_object_add(rows, mech_rows[mech_order[i]].key,
				       mech_row_json(mech_order[i], &t->cost[mech_order[i]]));
	rm_set_int(abs, RK_MECH_ABS_COUNT, (int64_t)t->absences);
	rm_set(abs, RK_MECH_ABS_TRACED_S, rm_sig(t->traced_s, 6));
	rm_set(abs, RK_MECH_ABS_PER_S, rm_sig(t->absences_per_s, 4));
	rm_set(abs, RK_MECH_ABS_PER_S_LO, rm_sig(t->rate_lo, 4));
	rm_set(abs, RK_MECH_ABS_PER_S_HI, rm_sig(t->rate_hi, 4));
	rm_set(o, RK_MECH_ROWS_OF, rows);
	rm_set(o, RK_MECH_ABSENCES_OF, abs);
	return o;
}

/* mech_print_row - "  name  n  p50 [lo, hi]  p90" in us, or why it is unknown. */
static void mech_print_row(FILE *f, struct json_object *row)
{
	const char *name = rm_str(row, RK_MECH_ROW_NAME);

	if (!rm_int(row, RK_MECH_ROW_N)) {
		fprintf(f, "  %-20s %8s  unknown: %s\n", name, "-",
			rm_str(row, RK_MECH_ROW_UNKNOWN));
		return;
	}
	fprintf(f, "  %-20s %8lld  %9.3f [%9.3f, %9.3f] %10.3f\n", name,
		(long long)rm_int(row, RK_MECH_ROW_N), rm_num(row, RK_MECH_ROW_P50) / 1e3,
		rm_num(row, RK_MECH_ROW_P50_LO) / 1e3, rm_num(row, RK_MECH_ROW_P50_HI) / 1e3,
		rm_num(row, RK_MECH_ROW_P90) / 1e3);
}

void mech_print_text(FILE *f, struct json_object *mech)
{
	struct json_object *rows = rm_get(mech, RK_MECH_ROWS_OF);
	struct json_object *abs = rm_get(mech, RK_MECH_ABSENCES_OF);

	if (!mech)
		return;
	fprintf(f, "\nmechanism costs of this session (us; 95%% interval of the median; "
		   "docs/attribution.md, section 10):\n");
	fprintf(f, "  %-20s %8s  %9s %-22s %10s\n", "mechanism", "n", "p50", " [95% interval]",
		"p90");
	json_object_object_foreach(rows, key, row)
	{
		(void)key;
		mech_print_row(f, row);
	}
	if (isnan(rm_num_nan(abs, RK_MECH_ABS_PER_S))) {
		fprintf(f, "  vCPU absences: no traced run to count them in\n");
		return;
	}
	fprintf(f, "  vCPU absences: %lld in %.3g s of traced runs, %.3g/s [%.3g, %.3g]\n",
		(long long)rm_int(abs, RK_MECH_ABS_COUNT), rm_num(abs, RK_MECH_ABS_TRACED_S),
		rm_num(abs, RK_MECH_ABS_PER_S), rm_num(abs, RK_MECH_ABS_PER_S_LO),
		rm_num(abs, RK_MECH_ABS_PER_S_HI));
}

int mech_report_add(const struct trace_session *s, struct json_object *report, char *err,
		    size_t errlen)
{
	struct mech_session *m = NULL;
	struct mech_table t;
	struct json_object *o = NULL;
	int rc = mech_session_new(s, false, &m);

	if (!rc && s->events)
		rc = trace_session_read_events(s, mech_session_add, m, err, errlen);
	if (!rc)
		rc = mech_session_finish(m, &t);
	if (!rc)
		o = mech_table_json(&t);
	if (!rc && !o)
		rc = -ENOMEM;
	if (rc == -ENOMEM)
		snprintf(err, errlen, "out of memory measuring the mechanisms");
	if (!rc)
		rm_set(report, RK_REPORT_MECHANISMS, o);
	mech_session_free(m);
	return rc;
}
