// SPDX-License-Identifier: MIT
/* cli - strict number parsing, error output and exit codes shared by every subcommand. */
#include "lib/cli.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "lib/outfile.h"

bool cli_json_mode;
bool cli_verbose_mode;

static void vprint_error(const char *fmt, va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (cli_json_mode) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		fflush(stdout);
		return;
	}
	fprintf(stderr, "ringscope: %s\n", msg);
}

void cli_print_json(FILE *f, struct json_object *doc)
{
	fputs(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE),
	      f);
	fputc('\n', f);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_error(fmt, ap);
	va_end(ap);
}

/* vprint_line - "@prefix<message>" as one line on stderr, whatever the JSON mode. */
static void vprint_line(const char *prefix, const char *fmt, va_list ap)
{
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error_text(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_line("ringscope: ", fmt, ap);
	va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint_line("ringscope: warning: ", fmt, ap);
	va_end(ap);
}

void cli_warn_line(const char *line)
{
	cli_warn("%s", line);
}

void cli_verbose(const char *fmt, ...)
{
	va_list ap;

	if (!cli_verbose_mode)
		return;
	va_start(ap, fmt);
	fputs("ringscope: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cli_error("%s (see 'ringscope %s --help')", msg, cmd);
	return CLI_EXIT_USAGE;
}

struct unit {
	const char *suffix;
	uint64_t scale;
};

static const struct unit size_units[] = {
    {"", 1}, {"K", 1ULL << 10}, {"M", 1ULL << 20}, {"G", 1ULL << 30}, {NULL, 0},
};

static const struct unit time_units[] = {
    {"ns", 1}, {"us", 1000}, {"ms", 1000000}, {"s", 1000000000}, {NULL, 0},
};

static int unit_scale(const char *suffix, enum cli_units units, uint64_t bare_scale,
		      uint64_t *scale)
{
	const struct unit *u;

	if (units == CLI_UNITS_NONE)
		return *suffix ? -EINVAL : (*scale = 1, 0);
	if (units == CLI_UNITS_TIME_NS && !*suffix) {
		*scale = bare_scale;
		return 0;
	}
	for (u = units == CLI_UNITS_SIZE ? size_units : time_units; u->suffix; u++) {
		if (!strcmp(u->suffix, suffix)) {
			*scale = u->scale;
			return 0;
		}
	}
	return -EINVAL;
}

int cli_parse_u64(const char *text, enum cli_units units, uint64_t bare_scale, uint64_t min,
		  uint64_t max, uint64_t *out)
{
	unsigned long long v;
	uint64_t scale;
	char *end;

	if (!text || !isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno)
		return -ERANGE;
	if (unit_scale(end, units, bare_scale, &scale))
		return -EINVAL;
	if (v > UINT64_MAX / scale)
		return -ERANGE;
	v *= scale;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int cli_parse_double(const char *text, double min, double max, double *out)
{
	char *end;
	double v;

	if (!text || !*text || isspace((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	v = strtod(text, &end);
	if (*end || errno || !isfinite(v))
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

static int parse_cpu_number(const char **p, int *cpu)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	v = strtol(*p, &end, 10);
	if (v > CLI_CPU_MAX)
		return -ERANGE;
	*cpu = (int)v;
	*p = end;
	return 0;
}

int cli_parse_cpu_list(const char *text, int *cpus, int max)
{
	const char *p = text;
	int n = 0, lo, hi, rc;

	if (!p || !*p)
		return -EINVAL;
	for (;;) {
		rc = parse_cpu_number(&p, &lo);
		if (rc)
			return rc;
		hi = lo;
		if (*p == '-') {
			p++;
			rc = parse_cpu_number(&p, &hi);
			if (rc)
				return rc;
			if (hi < lo)
				return -EDOM;
		}
		for (; lo <= hi; lo++) {
			if (n == max)
				return -E2BIG;
			cpus[n++] = lo;
		}
		if (!*p)
			return n;
		if (*p++ != ',')
			return -EINVAL;
	}
}

int cli_cpus_online(const int *cpus, int n, int *bad)
{
	static int online[4096];
	char line[1024];
	int nonline, i, j;
	FILE *f;

	f = fopen(CLI_CPU_ONLINE_PATH, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	nonline = cli_parse_cpu_list(line, online, 4096);
	if (nonline < 0)
		return nonline;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nonline && online[j] != cpus[i]; j++)
			;
		if (j == nonline) {
			*bad = cpus[i];
			return -ENODEV;
		}
	}
	return 0;
}

bool cli_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO);
}

int cli_check_output(const char *cmd, const char *path, unsigned int flags)
{
	char err[PATH_MAX + 256];

	if (!*path)
		return cli_usage_error(cmd, "--output is empty: give a file name");
	if (outfile_check(path, flags, err, sizeof(err)))
		return cli_usage_error(cmd, "%s", err);
	return 0;
}
