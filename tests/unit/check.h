/* SPDX-License-Identifier: MIT */
/*
 * check.h - what every unit test shares (as liburing's test/helpers.h): assertions that name the
 * file, line, case and condition that failed, and a runner for a table of test_<case>()
 * functions that names each case that failed or skipped. Exit codes: 0 pass, 1 fail, 77 skip.
 */
#ifndef RS_TEST_CHECK_H
#define RS_TEST_CHECK_H

#include <math.h>
#include <stddef.h>

enum check_exit {
	T_EXIT_PASS = 0,
	T_EXIT_FAIL = 1,
	T_EXIT_SKIP = 77, /* ctest's SKIP_RETURN_CODE */
};

/* The EXPECT failures so far: the runner fails a case during which this grew. */
extern int check_failures;

/* check_report, check_reportf - where a check failed and why, on stderr (the macros' output). */
void check_report(const char *file, int line, const char *func, const char *cond);
void check_reportf(const char *file, int line, const char *func, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* CHECK - a condition the case cannot go on without: on failure, the case fails at once. */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			check_report(__FILE__, __LINE__, __func__, #cond);                         \
			return T_EXIT_FAIL;                                                        \
		}                                                                                  \
	} while (0)

/* EXPECT - a condition whose failure fails the case, which goes on (to clean up, to say more). */
#define EXPECT(cond)                                                                               \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			check_report(__FILE__, __LINE__, __func__, #cond);                         \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

/* EXPECTF - EXPECT that says why in its own words (printf format). */
#define EXPECTF(cond, ...)                                                                         \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			check_reportf(__FILE__, __LINE__, __func__, __VA_ARGS__);                  \
			check_failures++;                                                          \
		}                                                                                  \
	} while (0)

/* EXPECT_NEAR - @x within @tol of @want; a failure prints both values. */
#define EXPECT_NEAR(x, want, tol)                                                                  \
	EXPECTF(fabs((x) - (double)(want)) <= (tol), "%s = %.9g, want %.9g", #x, (double)(x),      \
		(double)(want))

/* check_skip - print "skip: <reason>" and return T_EXIT_SKIP, for a case or a whole test. */
int check_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

struct check_case {
	const char *name;
	int (*fn)(void); /* T_EXIT_PASS, T_EXIT_FAIL or T_EXIT_SKIP */
};

/* CHECK_CASE(name) - the table row of test_<name>(). */
#define CHECK_CASE(case_name)                                                                      \
	{                                                                                          \
		.name = #case_name, .fn = test_##case_name                                         \
	}

/*
 * check_run - run every case in order, naming on stderr each that failed. T_EXIT_FAIL if any
 * failed, T_EXIT_SKIP if every case skipped, else T_EXIT_PASS: main's exit code.
 */
int check_run(const struct check_case *cases, size_t n);

#define CHECK_RUN(cases) check_run(cases, sizeof(cases) / sizeof((cases)[0]))

#endif
