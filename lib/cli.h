/* SPDX-License-Identifier: MIT */
/* cli - what every subcommand shares: strict number parsing, error output, exit codes. */
#ifndef RINGSCOPE_CLI_H
#define RINGSCOPE_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_object;

enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_ERROR = 1,
	CLI_EXIT_USAGE = 2,
};

/* Set by a subcommand that got --json: errors then print as {"error": "..."} on stdout. */
extern bool cli_json_mode;
/* Set by -v/--verbose: cli_verbose() prints, libbpf's messages are shown. */
extern bool cli_verbose_mode;

/*
 * cli_print_json - a command's one JSON document on @f: indented, paths' slashes as they are,
 * a newline after it.
 */
void cli_print_json(FILE *f, struct json_object *doc);

/* cli_error - print "ringscope: <message>" on stderr (or {"error": ...} under --json). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * cli_error_text - "ringscope: <message>" on stderr, also under --json: for a failure that the
 * command's one JSON document on stdout reports itself (a session's failed probe).
 */
void cli_error_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cli_warn - a warning line on stderr; under --json it is still stderr, never stdout. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_warn_line - cli_warn of one finished line: for a library that takes a note callback. */
void cli_warn_line(const char *line);
/* cli_verbose - an informational line on stderr, only with --verbose. */
void cli_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* cli_usage_error - cli_error() plus a pointer to --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * cli_check_output - an -o value that cannot or must not be written (lib/outfile.h's rules:
 * empty, a folder, a link, a block device or socket, no such folder, a folder every user may
 * write, another user's file there), refused before any work rather than after all of it.
 * @flags are outfile_flags. 0, or cli_usage_error()'s code.
 */
int cli_check_output(const char *cmd, const char *path, unsigned int flags);

/*
 * cli_parse_u64 - parse a whole decimal number with an optional unit suffix.
 * @text:  the argument
 * @units: NULL for a plain count, or CLI_UNITS_SIZE (K, M, G: powers of 1024) or
 *         CLI_UNITS_TIME_NS (ns, us, ms, s; a bare number is in the option's own unit,
 *         given by @bare_scale in nanoseconds)
 * Returns 0, or -EINVAL (not a number, trailing junk, unknown unit) or -ERANGE (outside
 * [min, max] after scaling).
 */
enum cli_units { CLI_UNITS_NONE, CLI_UNITS_SIZE, CLI_UNITS_TIME_NS };
int cli_parse_u64(const char *text, enum cli_units units, uint64_t bare_scale, uint64_t min,
		  uint64_t max, uint64_t *out);

/* cli_parse_double - a whole floating-point number within [min, max]; 0 or -EINVAL/-ERANGE. */
int cli_parse_double(const char *text, double min, double max, double *out);

/*
 * cli_parse_cpu_list - "0", "0,2", "0-3,6": CPU numbers in the order given (duplicates kept:
 * member i runs on list[i mod n]). Returns the count (> 0), or -EINVAL (not such a list),
 * -ERANGE (a CPU above CLI_CPU_MAX), -EDOM (a range that ends below its start), or -E2BIG
 * past @max.
 */
int cli_parse_cpu_list(const char *text, int *cpus, int max);

#define CLI_CPUS_MAX	    64
#define CLI_CPU_MAX	    4095 /* the highest CPU number a list may name */
#define CLI_CPU_ONLINE_PATH "/sys/devices/system/cpu/online"

/* cli_cpus - a --cpus list: member i runs on cpu[i mod n]; n == 0: no pinning. */
struct cli_cpus {
	int n;
	int cpu[CLI_CPUS_MAX];
};

/*
 * cli_cpus_online - check every CPU of @cpus[0..n) is online: 0, or -ENODEV with the first
 * offline one in *@bad, or -errno reading CLI_CPU_ONLINE_PATH.
 */
int cli_cpus_online(const int *cpus, int n, int *bad);

/* cli_stderr_is_tty - whether progress and colour may be shown (they go to stderr). */
bool cli_stderr_is_tty(void);

#endif
