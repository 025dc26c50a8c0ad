// SPDX-License-Identifier: MIT
/* test_cli_numbers - strict number parsing, units, CPU lists and online CPUs (lib/cli.c). */
#include <errno.h>
#include <stdint.h>

#include "lib/cli.h"
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
	CHECK(cli_parse_cpu_list("3-1", cpus, 8) == -EDOM);
	CHECK(cli_parse_cpu_list("0,,1", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("0,", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("-1", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("a", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("", cpus, 8) == -EINVAL);
	CHECK(cli_parse_cpu_list("99999", cpus, 8) == -ERANGE);
	CHECK(cli_parse_cpu_list("0-4096", cpus, 8) == -ERANGE);
	return 0;
}

static int test_cpus_online(void)
{
	int cpus[] = {0, 4000}, bad = -1;

	CHECK(cli_cpus_online(cpus, 1, &bad) == 0);
	CHECK(cli_cpus_online(cpus, 2, &bad) == -ENODEV && bad == 4000);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(plain_numbers), CHECK_CASE(ranges),  CHECK_CASE(size_units),
	    CHECK_CASE(time_units),    CHECK_CASE(doubles), CHECK_CASE(cpu_lists),
	    CHECK_CASE(cpus_online),
	};

	return CHECK_RUN(cases);
}
