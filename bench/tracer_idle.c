// SPDX-License-Identifier: MIT
/*
 * tracer_idle - hold ringscope's tracer attached but not started, until stdin closes: every
 * program is dispatched on its tracepoints and returns at once (tracing_on is 0). What a ring
 * loses then is the price of the dispatch alone, which no program body can lower;
 * bench/trace-overhead measures it as its "attached" mode.
 * Usage: tracer-idle [lean|full] [CPUS]  (CPUS as "0" or "0,1"; default lean, all CPUs).
 * Prints "attached" once ready. Exit codes: 0, 1 (the tracer failed), 2 (usage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bpf/tracer_loader.h"

#define IDLE_MAX_CPUS 64

/* parse_cpus - "0,1" into @cpus; returns how many, or -1 when it is not such a list. */
static int parse_cpus(const char *list, int *cpus)
{
	int n = 0;
	char *end;

	for (const char *p = list; *p; p = *end ? end + 1 : end) {
		long c = strtol(p, &end, 10);

		if (end == p || c < 0 || c >= 1024 || (*end && *end != ',') || n == IDLE_MAX_CPUS)
			return -1;
		cpus[n++] = (int)c;
	}
	return n;
}

int main(int argc, char **argv)
{
	struct tracer_opts o = {.detail = TRACER_DETAIL_LEAN};
	int cpus[IDLE_MAX_CPUS];
	struct tracer *t = NULL;
	char err[256] = "";
	char byte;

	if (argc > 3 || (argc > 1 && strcmp(argv[1], "lean") && strcmp(argv[1], "full"))) {
		fprintf(stderr, "usage: tracer-idle [lean|full] [CPUS]\n");
		return 2;
	}
	if (argc > 1 && !strcmp(argv[1], "full"))
		o.detail = TRACER_DETAIL_FULL;
	if (argc > 2) {
		o.ncpus = parse_cpus(argv[2], cpus);
		if (o.ncpus <= 0) {
			fprintf(stderr, "tracer-idle: '%s' is not a CPU list such as 0 or 0,1\n",
				argv[2]);
			return 2;
		}
		o.cpus = cpus;
	}
	if (tracer_open(&o, &t, err, sizeof(err))) {
		fprintf(stderr, "tracer-idle: %s\n", err);
		return 1;
	}
	printf("attached\n");
	fflush(stdout);
	while (read(STDIN_FILENO, &byte, 1) > 0)
		;
	tracer_close(t);
	return 0;
}
