// SPDX-License-Identifier: MIT
/* test_cli - strict number parsing, units, CPU lists and the option parsing of `run`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "runner/run_options.h"
#include "tests/unit/check.h"

/* u64 - cli_parse_u64 with a plain range, for the cases that only differ in text and units. */
static int u64(const char *text, enum cli_units units, uint64_t bare, uint64_t *out)
{
	return cli_parse_u64(text, units, bare, 0, UINT64_MAX, out);
}

static int test_plain_numbers(void)
{
	uint64_t v = 0;

	CHECK(u64("0", CLI_UNITS_NONE, 1, &v) == 0 && v == 0);
	CHECK(u64("10000", CLI_UNITS_NONE, 1, &v) == 0 && v == 10000);
	CHECK(u64("18446744073709551615", CLI_UNITS_NONE, 1, &v) == 0 && v == UINT64_MAX);
	CHECK(u64("18446744073709551616", CLI_UNITS_NONE, 1, &v) == -ERANGE);
	CHECK(u64("", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("-1", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("+1", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64(" 1", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("1 ", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("12x", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("0x10", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64("1K", CLI_UNITS_NONE, 1, &v) == -EINVAL);
	CHECK(u64(NULL, CLI_UNITS_NONE, 1, &v) == -EINVAL);
	return 0;
}

static int test_ranges(void)
{
	uint64_t v = 7;

	CHECK(cli_parse_u64("1", CLI_UNITS_NONE, 1, 1, 16, &v) == 0 && v == 1);
	CHECK(cli_parse_u64("16", CLI_UNITS_NONE, 1, 1, 16, &v) == 0 && v == 16);
	CHECK(cli_parse_u64("0", CLI_UNITS_NONE, 1, 1, 16, &v) == -ERANGE);
	CHECK(cli_parse_u64("17", CLI_UNITS_NONE, 1, 1, 16, &v) == -ERANGE && v == 16);
	return 0;
}

static int test_size_units(void)
{
	uint64_t v = 0;

	CHECK(u64("4096", CLI_UNITS_SIZE, 1, &v) == 0 && v == 4096);
	CHECK(u64("4K", CLI_UNITS_SIZE, 1, &v) == 0 && v == 4096);
	CHECK(u64("2M", CLI_UNITS_SIZE, 1, &v) == 0 && v == 2 << 20);
	CHECK(u64("1G", CLI_UNITS_SIZE, 1, &v) == 0 && v == 1 << 30);
	CHECK(u64("4k", CLI_UNITS_SIZE, 1, &v) == -EINVAL);
	CHECK(u64("4KB", CLI_UNITS_SIZE, 1, &v) == -EINVAL);
	CHECK(u64("17179869184G", CLI_UNITS_SIZE, 1, &v) == -ERANGE);
	return 0;
}

static int test_time_units(void)
{
	uint64_t v = 0;

	CHECK(u64("5", CLI_UNITS_TIME_NS, 1000, &v) == 0 && v == 5000);
	CHECK(u64("5ns", CLI_UNITS_TIME_NS, 1000, &v) == 0 && v == 5);
	CHECK(u64("5us", CLI_UNITS_TIME_NS, 1000, &v) == 0 && v == 5000);
	CHECK(u64("5ms", CLI_UNITS_TIME_NS, 1000, &v) == 0 && v == 5000000);
	CHECK(u64("2s", CLI_UNITS_TIME_NS, 1000, &v) == 0 && v == 2000000000);
	CHECK(u64("5 us", CLI_UNITS_TIME_NS, 1000, &v) == -EINVAL);
	CHECK(u64("5min", CLI_UNITS_TIME_NS, 1000, &v) == -EINVAL);
	CHECK(u64("1.5ms", CLI_UNITS_TIME_NS, 1000, &v) == -EINVAL);
	return 0;
}

static int test_doubles(void)
{
	double d = 0;

	CHECK(cli_parse_double("1.5", 0, 10, &d) == 0 && d == 1.5);
	CHECK(cli_parse_double("6", 0, 10, &d) == 0 && d == 6);
	CHECK(cli_parse_double("11", 0, 10, &d) == -ERANGE);
	CHECK(cli_parse_double("1.5x", 0, 10, &d) == -EINVAL);
	CHECK(cli_parse_double("nan", 0, 10, &d) == -EINVAL);
	CHECK(cli_parse_double(" 1", 0, 10, &d) == -EINVAL);
	CHECK(cli_parse_double("", 0, 10, &d) == -EINVAL);
	return 0;
}

static int test_cpu_lists(void)
{
	int cpus[8];

	CHECK(cli_parse_cpu_list("0", cpus, 8) == 1 && cpus[0] == 0);
	CHECK(cli_parse_cpu_list("0,2", cpus, 8) == 2 && cpus[0] == 0 && cpus[1] == 2);
	CHECK(cli_parse_cpu_list("0-3,6", cpus, 8) == 5 && cpus[3] == 3 && cpus[4] == 6);
	CHECK(cli_parse_cpu_list("1,0,1", cpus, 8) == 3 && cpus[0] == 1 && cpus[2] == 1);
	CHECK(cli_parse_cpu_list("0-8", cpus, 8) == -E2BIG);
	CHECK(cli_parse_cpu_list("3-1", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("0,,1", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("0,", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("-1", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("a", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("99999", cpus, 8) == -EINVAL);
	return 0;
}

static int test_cpus_online(void)
{
	int cpus[] = {0, 4000}, bad = -1;

	CHECK(run_cpus_online(cpus, 1, &bad) == 0);
	CHECK(run_cpus_online(cpus, 2, &bad) == -ENODEV && bad == 4000);
	return 0;
}

/* parse - run_options_parse on a NULL-terminated argument list. */
static int parse(struct run_options *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return run_options_parse(argc, argv, o);
}

static int test_run_defaults(void)
{
	struct run_options o;

	CHECK(parse(&o, (char *[]){"run", "--probe", "null", "-o", "/tmp/x.rst", NULL}) == 0);
	CHECK(!o.help && !strcmp(o.cfg.probe, "null") && !strcmp(o.output, "/tmp/x.rst"));
	CHECK(o.plan.runs == 5 && o.plan.iterations == 10000 && o.plan.warmup == 100);
	CHECK(o.plan.interval_ns == 0 && !o.plan.keep_ring && !o.trace);
	CHECK(o.cfg.hops == 2 && o.cfg.msg_size == 4 && o.cfg.timeout_ms == 1000);
	CHECK(!strcmp(o.cfg.sink, "/dev/null") && o.cfg.stdio_buffer == 0 && o.cfg.ncpus == 0);
	CHECK(o.cfg.io == PROBE_IO_URING && o.cfg.connect == PROBE_CONNECT_PERSISTENT);
	return 0;
}

static int test_run_options(void)
{
	struct run_options o;

	CHECK(parse(&o, (char *[]){"run",	  "-p",
				   "ring",	  "-o",
				   "/tmp/x.rst",  "--interval-us",
				   "5",		  "--timeout-ms",
				   "2s",	  "--io",
				   "busypoll",	  "--connect",
				   "per-message", "-H",
				   "3",		  "-m",
				   "1448",	  "-c",
				   "0",		  "-k",
				   "-r",	  "2",
				   "-n",	  "3",
				   "-w",	  "0",
				   NULL}) == 0);
	CHECK(o.plan.interval_ns == 5000 && o.cfg.timeout_ms == 2000);
	CHECK(o.cfg.io == PROBE_IO_BUSYPOLL && o.cfg.connect == PROBE_CONNECT_PER_MESSAGE);
	CHECK(o.cfg.hops == 3 && o.cfg.msg_size == 1448 && o.cfg.ncpus == 1 && o.plan.keep_ring);
	CHECK(o.plan.runs == 2 && o.plan.iterations == 3 && o.plan.warmup == 0);
	CHECK(parse(&o, (char *[]){"run", "-p", "syscall", "-o", "/tmp/x.rst", "-b", "4K", NULL}) ==
		  0 &&
	      o.cfg.stdio_buffer == 4096);
	return 0;
}

static int test_run_bad_usage(void)
{
	struct run_options o;

	CHECK(parse(&o, (char *[]){"run", "-p", "null", NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-o", "/tmp/x.rst", NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "nope", "-o", "/tmp/x.rst", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp/x.rst", "-r", "0", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp/x.rst", "-n", "1e4", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "ring", "-o", "/tmp/x.rst", "-H", "17", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "ring", "-o", "/tmp/x.rst", "-m", "1449", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "ring", "-o", "/tmp/x.rst", "--io", "epoll",
				   NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp/x.rst", "-c", "4000", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/nonexistent/x.rst", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp", NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "", NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "ring", "-o", "/tmp/x.rst", "-H", "0", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp/x.rst", "extra", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-o", "/tmp/x.rst", "--bogus", NULL}) ==
	      CLI_EXIT_USAGE);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(plain_numbers), CHECK_CASE(ranges),	 CHECK_CASE(size_units),
	    CHECK_CASE(time_units),    CHECK_CASE(doubles),	 CHECK_CASE(cpu_lists),
	    CHECK_CASE(cpus_online),   CHECK_CASE(run_defaults), CHECK_CASE(run_options),
	    CHECK_CASE(run_bad_usage),
	};

	return CHECK_RUN(cases);
}
