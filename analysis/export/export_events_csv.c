// SPDX-License-Identifier: MIT
/* export_events_csv - the kernel events of a trace file as CSV, one row per event, streamed. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/attribution/attribution.h"
#include "analysis/export/export_perfetto.h"
#include "lib/arch/arch.h"

struct ev_csv {
	FILE *f;
	const struct arch *arch; /* the trace's (its PLATFORM chunk comes before any event) */
	uint64_t rows;
	struct trace_read_status *st;
};

static const char ev_csv_header[] =
    "type,cpu,tid,tgid,start_ns,dur_ns,arg0,arg1,arg2,flags,syscall\n";

/* ev_csv_flags - the event's flags as names joined by '|' (they hold no comma). */
static void ev_csv_flags(FILE *f, uint8_t flags)
{
	static const char *const names[] = {
	    "preempted", "fd_socket",	 "fd_other",   "next_seen",
	    "ipi_sent",	 "timer_expiry", "ipi_pending"}; /* enum tracer_event_flags */
	const char *sep = "";
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (flags & (1u << i)) {
			fprintf(f, "%s%s", sep, names[i]);
			sep = "|";
		}
	}
}

/*
 * ev_csv_row - one event. arg1 is a return value (signed) for SYSCALL and IOURING_COMPLETE;
 * the syscall column names the syscall when @arch's table knows it.
 */
static void ev_csv_row(FILE *f, const struct arch *arch, const struct tracer_event *e)
{
	const char *sc = e->type == TRACER_EV_SYSCALL ? arch_syscall_name(arch, e->arg0) : NULL;
	int is_ret = e->type == TRACER_EV_SYSCALL || e->type == TRACER_EV_IOURING_COMPLETE;

	fprintf(f, "%s,%" PRIu16 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",",
		attr_type_name(e->type), (uint16_t)e->cpu, (uint32_t)e->tid, (uint32_t)e->tgid,
		(uint64_t)e->ts_ns, (uint64_t)e->dur_ns, (uint64_t)e->arg0);
	if (is_ret)
		fprintf(f, "%" PRId64, (int64_t)e->arg1);
	else
		fprintf(f, "%" PRIu64, (uint64_t)e->arg1);
	fprintf(f, ",%" PRIu32 ",", (uint32_t)e->arg2);
	ev_csv_flags(f, e->flags);
	fprintf(f, ",%s\n", sc ? sc : "");
}

static int ev_csv_on_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	struct ev_csv *x = ctx;
	size_t i;

	for (i = 0; i < n; i++)
		ev_csv_row(x->f, x->arch, &ev[i]);
	x->rows += n;
	if (ferror(x->f)) {
		snprintf(x->st->err, sizeof(x->st->err), "failed to write the CSV: %s",
			 strerror(errno));
		return -EIO;
	}
	return 0;
}

/* ev_csv_on_json - the PLATFORM chunk says which arch's syscall numbers the events hold. */
static int ev_csv_on_json(void *ctx, uint32_t type, struct json_object *obj)
{
	struct ev_csv *x = ctx;

	if (type == TRACE_CHUNK_PLATFORM)
		x->arch = arch_of_platform(obj);
	return 0;
}

int export_events_csv(const char *path, FILE *f, uint64_t *rows, struct trace_read_status *st)
{
	const struct trace_reader_ops ops = {.on_json = ev_csv_on_json,
					     .on_events = ev_csv_on_events};
	struct ev_csv x = {.f = f, .arch = arch_of_platform(NULL), .st = st};
	int ret;

	memset(st, 0, sizeof(*st));
	fputs(ev_csv_header, f);
	ret = trace_reader_read(path, &ops, &x, st);
	*rows = x.rows;
	return ret;
}
