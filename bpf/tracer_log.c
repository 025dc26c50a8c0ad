// SPDX-License-Identifier: MIT
/* tracer_log - the tracer's notes and libbpf's messages, to the CLI's verbose printer. */
#include "bpf/tracer_log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/libbpf.h>

static void (*tracer_log_fn)(const char *line);

/* tracer_vlog - hand one formatted line to the CLI's verbose printer, if any. */
static void tracer_vlog(const char *fmt, va_list ap)
{
	char line[512];
	size_t len;

	if (!tracer_log_fn)
		return;
	vsnprintf(line, sizeof(line), fmt, ap);
	len = strlen(line);
	while (len && line[len - 1] == '\n')
		line[--len] = '\0';
	tracer_log_fn(line);
}

void tracer_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tracer_vlog(fmt, ap);
	va_end(ap);
}

/*
 * tracer_libbpf_print - libbpf's warnings (a verifier log on failure) and notes go where the
 * tracer's notes go; its hundreds of debug lines (CO-RE relocations) only with
 * RINGSCOPE_LIBBPF_DEBUG set.
 */
static int tracer_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("RINGSCOPE_LIBBPF_DEBUG"))
		return 0;
	tracer_vlog(fmt, ap);
	return 0;
}

void tracer_log_route(void (*fn)(const char *line))
{
	tracer_log_fn = fn;
	libbpf_set_print(tracer_libbpf_print);
}
