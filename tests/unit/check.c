// SPDX-License-Identifier: MIT
/* check - the unit tests' assertion reports and case runner (check.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "tests/unit/check.h"

int check_failures;

void check_report(const char *file, int line, const char *func, const char *cond)
{
	fprintf(stderr, "%s:%d: %s: '%s' failed\n", file, line, func, cond);
}

void check_reportf(const char *file, int line, const char *func, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: %s: ", file, line, func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int check_skip(const char *fmt, ...)
{
	va_list ap;

	fputs("skip: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return T_EXIT_SKIP;
}

int check_run(const struct check_case *cases, size_t n)
{
	size_t i, skipped = 0;
	int rc, before, failed = 0;

	for (i = 0; i < n; i++) {
		before = check_failures;
		rc = cases[i].fn();
		if ((rc != T_EXIT_PASS && rc != T_EXIT_SKIP) || check_failures != before) {
			fprintf(stderr, "%s: case '%s' failed\n", program_invocation_short_name,
				cases[i].name);
			failed = 1;
		} else if (rc == T_EXIT_SKIP) {
			printf("%s: case '%s' skipped\n", program_invocation_short_name,
			       cases[i].name);
			skipped++;
		}
	}
	if (failed)
		return T_EXIT_FAIL;
	return n && skipped == n ? T_EXIT_SKIP : T_EXIT_PASS;
}
