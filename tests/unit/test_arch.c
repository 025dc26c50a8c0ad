// SPDX-License-Identifier: MIT
/*
 * test_arch - the per-architecture tables (lib/arch/) against the kernel's own syscall numbers,
 * the rule that picks a trace's tables, and a synthetic aarch64 trace analysed here: its
 * syscalls are named and classified as aarch64 numbers, whatever machine runs the test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#if defined(__x86_64__)
#include <asm/unistd.h>
#endif

#include "analysis/attribution/attribution_report.h"
#include "analysis/export/export_perfetto.h"
#include "lib/arch/arch.h"
#include "lib/arch/syscalls_x86_64.h"
#include "tests/unit/arch_uapi.h"
#include "tests/unit/check.h"
#include "tests/unit/synth_trace.h"

#define TIMED_TID 4242

static char path[64];

/* sorted - @a's table in strictly increasing nr (its lookup is a binary search). */
static int sorted(const struct arch *a)
{
	size_t i;

	for (i = 1; i < a->nsyscalls; i++)
		if (a->syscalls[i - 1].nr >= a->syscalls[i].nr)
			return 0;
	return a->nsyscalls > 0;
}

static int test_tables_sorted(void)
{
	CHECK(sorted(&arch_x86_64));
	CHECK(sorted(&arch_aarch64));
	CHECK(arch_unknown.nsyscalls == 0);
	return T_EXIT_PASS;
}

/* test_x86_64_uapi - every x86_64 entry is the kernel's number (on an x86_64 build machine). */
static int test_x86_64_uapi(void)
{
#if defined(__x86_64__)
#define UAPI_ROW(name, nr, cls) {#name, nr, __NR_##name},
	static const struct {
		const char *name;
		long ours, kernel;
	} rows[] = {ARCH_SYSCALLS_X86_64(UAPI_ROW)};
#undef UAPI_ROW
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		EXPECTF(rows[i].ours == rows[i].kernel,
			"x86_64 %s: %ld here, %ld in <asm/unistd.h>", rows[i].name, rows[i].ours,
			rows[i].kernel);
	return T_EXIT_PASS;
#else
	return check_skip("the x86_64 syscall numbers are checked on an x86_64 machine");
#endif
}

static int test_aarch64_uapi(void)
{
	CHECK(arch_uapi_aarch64_mismatches() == 0);
	return T_EXIT_PASS;
}

/* test_lookup - the same name, other numbers; the trace's "arch" picks the table. */
static int test_lookup(void)
{
	struct json_object *pl = json_object_new_object();

	CHECK(arch_find("x86_64") == &arch_x86_64 && arch_find("aarch64") == &arch_aarch64);
	CHECK(arch_find("riscv64") == NULL && arch_find(NULL) == NULL);
	CHECK(arch_of_platform(NULL) == &arch_x86_64); /* no PLATFORM chunk */
	CHECK(arch_of_platform(pl) == &arch_x86_64);   /* a trace from before "arch" was kept */
	json_object_object_add(pl, "arch", json_object_new_string("aarch64"));
	CHECK(arch_of_platform(pl) == &arch_aarch64);
	json_object_object_add(pl, "arch", json_object_new_string("riscv64"));
	CHECK(arch_of_platform(pl) == &arch_unknown);
	json_object_put(pl);
	CHECK(!strcmp(arch_syscall_name(&arch_x86_64, 1), "write"));
	CHECK(!strcmp(arch_syscall_name(&arch_aarch64, 64), "write"));
	CHECK(arch_syscall_name(&arch_x86_64, 64) == NULL); /* semget: not in the table */
	CHECK(arch_syscall_name(&arch_unknown, 1) == NULL);
	CHECK(arch_syscall_class(&arch_aarch64, 64) == (ARCH_SC_FD | ARCH_SC_FLUSH));
	CHECK(arch_syscall_class(&arch_aarch64, 63) == ARCH_SC_FD); /* read */
	CHECK(arch_syscall_class(&arch_aarch64, 426) & ARCH_SC_RING_ENTER);
	CHECK(arch_syscall_class(&arch_x86_64, 427) == (ARCH_SC_FD | ARCH_SC_RING_FD));
	CHECK(arch_syscall_class(&arch_x86_64, 100000) == 0);
	return T_EXIT_PASS;
}

static int test_softirq_ipi(void)
{
	CHECK(!strcmp(arch_softirq_name(ARCH_SOFTIRQ_NET_RX), "NET_RX"));
	CHECK(!strcmp(arch_softirq_name(9), "RCU") && !strcmp(arch_softirq_name(10), "?"));
	CHECK(arch_softirq_is_network(2) && arch_softirq_is_network(3));
	CHECK(!arch_softirq_is_network(1) && !arch_softirq_is_network(7));
	CHECK(!strcmp(arch_ipi_name(&arch_x86_64, TRACER_IPI_RESCHEDULE), "reschedule"));
	CHECK(!strcmp(arch_ipi_name(&arch_x86_64, 0), "?"));
	CHECK(!strcmp(arch_ipi_name(&arch_x86_64, 5), "?"));
	CHECK(!strcmp(arch_ipi_name(&arch_aarch64, TRACER_IPI_RESCHEDULE), "?"));
	return T_EXIT_PASS;
}

/*
 * write_trace - a trace as a machine called @machine (NULL: no "arch") records it: one probe of
 * 200 samples whose iteration 50 is 90 us late, and inside it an 80 us syscall 64 of the timed
 * thread on an open file: write on aarch64, semget on x86_64.
 */
static int write_trace(const char *machine)
{
	const struct tracer_event ev = {.ts_ns = SYNTH_T0 +
						 SYNTH_SPIKE_AT * (uint64_t)SYNTH_PERIOD + 1000,
					.dur_ns = 80000,
					.arg0 = 64,
					.arg1 = 4096,
					.tid = TIMED_TID,
					.tgid = TIMED_TID,
					.arg2 = 5,
					.type = TRACER_EV_SYSCALL,
					.flags = TRACER_F_FD_OTHER};
	struct json_object *session, *platform, *probe;
	struct trace_writer *w;
	int rc;

	if (trace_writer_open(path, &w))
		return -1;
	session = synth_json_add(json_object_new_object(), "pid", json_object_new_int(TIMED_TID));
	platform = json_object_new_object();
	if (machine)
		synth_json_add(platform, "arch", json_object_new_string(machine));
	probe = synth_json_add(json_object_new_object(), "probe_id", json_object_new_int(1));
	synth_json_add(probe, "probe", json_object_new_string("syscall"));
	synth_json_add(probe, "timed_tid", json_object_new_int(TIMED_TID));
	rc = trace_writer_add_json(w, TRACE_CHUNK_SESSION, session) ||
	     trace_writer_add_json(w, TRACE_CHUNK_PLATFORM, platform) ||
	     trace_writer_add_json(w, TRACE_CHUNK_PROBE, probe);
	rc = rc || synth_samples(w, 1) || trace_writer_add_events(w, &ev, 1);
	json_object_put(session);
	json_object_put(platform);
	json_object_put(probe);
	return trace_writer_close(w, NULL) || rc ? -1 : 0;
}

/* spike_says - the trace's one spike: its dominant cause and its first key event's "what". */
static int spike_says(char *dominant, char *what, size_t len)
{
	struct attr_report_opts o = {.top = 1};
	struct json_object *probes = json_object_new_array(), *sp = NULL, *key;
	struct trace_session *s = NULL;
	char err[256];
	int rc;

	spikes_opts_default(&o.spikes);
	json_object_array_add(probes, json_object_new_object());
	rc = trace_session_load(path, &s, err, sizeof(err));
	if (!rc)
		rc = attr_report_add(path, s, &o, probes, err, sizeof(err));
	if (!rc)
		rc = json_object_object_get_ex(json_object_array_get_idx(probes, 0), "spikes",
					       &sp) &&
			     json_object_array_length(sp) == 1
			 ? 0
			 : -1;
	if (!rc) {
		sp = json_object_array_get_idx(sp, 0);
		key = json_object_array_get_idx(json_object_object_get(sp, "events"), 0);
		snprintf(dominant, len, "%s",
			 json_object_get_string(json_object_object_get(sp, "dominant")));
		snprintf(what, len, "%s",
			 json_object_get_string(json_object_object_get(key, "what")));
	} else {
		fprintf(stderr, "attribution of '%s' failed: %d %s\n", path, rc, err);
	}
	json_object_put(probes);
	trace_session_free(s);
	return rc;
}

/* csv_syscall - the syscall column of the one event of the trace's CSV export. */
static int csv_syscall(char *name, size_t len)
{
	struct trace_read_status st;
	char *buf = NULL, *row;
	size_t size = 0;
	uint64_t rows = 0;
	FILE *f = open_memstream(&buf, &size);
	int rc = f ? export_events_csv(path, f, &rows, &st) : -1;

	if (f)
		fclose(f);
	row = rc || rows != 1 ? NULL : strchr(buf, '\n');
	if (row)
		snprintf(name, len, "%s", strrchr(row, ',') + 1);
	if (row && strchr(name, '\n'))
		*strchr(name, '\n') = '\0';
	free(buf);
	return row ? 0 : -1;
}

/* test_aarch64_trace - syscall 64 of an aarch64 trace is a write: a buffer flush. */
static int test_aarch64_trace(void)
{
	char dominant[64], what[64], sc[64];

	CHECK(write_trace("aarch64") == 0);
	CHECK(spike_says(dominant, what, sizeof(what)) == 0);
	CHECK(!strcmp(dominant, "buffer-flush"));
	CHECK(!strcmp(what, "write fd 5"));
	CHECK(csv_syscall(sc, sizeof(sc)) == 0 && !strcmp(sc, "write"));
	return T_EXIT_PASS;
}

/* test_x86_64_trace - the same record from x86_64 (said, or by default) is semget: no flush. */
static int test_x86_64_trace(void)
{
	static const char *const machines[] = {"x86_64", NULL};
	char dominant[64], what[64], sc[64];
	size_t i;

	for (i = 0; i < 2; i++) {
		CHECK(write_trace(machines[i]) == 0);
		CHECK(spike_says(dominant, what, sizeof(what)) == 0);
		CHECK(strcmp(dominant, "buffer-flush") != 0);
		CHECK(!strcmp(what, "syscall 64"));
		CHECK(csv_syscall(sc, sizeof(sc)) == 0 && !strcmp(sc, ""));
	}
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(tables_sorted), CHECK_CASE(x86_64_uapi), CHECK_CASE(aarch64_uapi),
	    CHECK_CASE(lookup),	       CHECK_CASE(softirq_ipi), CHECK_CASE(aarch64_trace),
	    CHECK_CASE(x86_64_trace),
	};
	int fd, rc;

	snprintf(path, sizeof(path), "/tmp/test_arch.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || close(fd)) {
		perror("mkstemp");
		return T_EXIT_FAIL;
	}
	rc = CHECK_RUN(cases);
	unlink(path);
	return rc;
}
