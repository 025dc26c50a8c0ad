// SPDX-License-Identifier: MIT
/*
 * test_cli - the option layer (lib/cli_args, cli_help) on synthetic tables: every kind, ranges
 * and units, enum names, presets, defaults, the help made from a table, unknown options, missing
 * values, operands, nested groups. The number parsers are test_cli_numbers's.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/cli_args.h"
#include "lib/cli_help.h"
#include "tests/unit/check.h"

#define NS_PER_MS 1000000ULL

/* synth - what the synthetic table writes: one field per kind. */
struct synth {
	bool flag;
	unsigned int count;
	size_t size;
	uint64_t time_ns;
	unsigned int timeout_ms;
	double ratio;
	int mode;
	struct cli_cpus cpus;
	const char *text;
	const char *path;
	uint16_t msg;
};

static const char *const mode_names[] = {"alpha", "beta", "gamma", NULL};

static const struct cli_opt synth_rows[] = {
    {.name = "flag",
     .letter = 'f',
     .help = "a flag",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct synth, flag)},
    {.name = "count",
     .letter = 'c',
     .arg = "N",
     .help = "a count",
     .def = "2",
     .kind = CLI_OPT_COUNT,
     .min = 1,
     .max = 16,
     CLI_FIELD(struct synth, count)},
    {.name = "size",
     .letter = 's',
     .arg = "BYTES",
     .help = "a size",
     .def = "4K",
     .kind = CLI_OPT_SIZE,
     .max = 1ULL << 30,
     CLI_FIELD(struct synth, size)},
    {.name = "time",
     .letter = 't',
     .arg = "T",
     .help = "a time, bare in us",
     .def = "5",
     .kind = CLI_OPT_TIME,
     .max = 10000 * NS_PER_MS,
     .unit = 1000,
     CLI_FIELD(struct synth, time_ns)},
    {.name = "timeout-ms",
     .arg = "MS",
     .help = "a time kept in ms",
     .def = "1000",
     .kind = CLI_OPT_TIME,
     .min = NS_PER_MS,
     .max = 3600000 * NS_PER_MS,
     .unit = NS_PER_MS,
     .store_unit = NS_PER_MS,
     CLI_FIELD(struct synth, timeout_ms)},
    {.name = "ratio",
     .arg = "X",
     .help = "a ratio",
     .def = "1.5",
     .kind = CLI_OPT_DOUBLE,
     .dmax = 10,
     CLI_FIELD(struct synth, ratio)},
    {.name = "mode",
     .letter = 'm',
     .arg = "MODE",
     .help = "a mode",
     .def = "beta",
     .kind = CLI_OPT_ENUM,
     .names = mode_names,
     CLI_FIELD(struct synth, mode)},
    {.name = "cpus",
     .arg = "LIST",
     .help = "some CPUs",
     .kind = CLI_OPT_CPUS,
     CLI_FIELD(struct synth, cpus)},
    {.name = "text",
     .arg = "STR",
     .help = "some text",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct synth, text)},
    {.name = "path",
     .letter = 'o',
     .arg = "FILE",
     .help = "a file",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct synth, path)},
    {.name = "msg",
     .arg = "B",
     .help = "a bounded size",
     .def = "4",
     .kind = CLI_OPT_SIZE,
     .min = 4,
     .max = 1448,
     .below = "is too small",
     .above = "is too big",
     CLI_FIELD(struct synth, msg)},
    {.name = "fast",
     .letter = 'F',
     .help = "a preset",
     .kind = CLI_OPT_PRESET,
     .preset = (const char *const[]){"count", "16", "mode", "gamma", NULL}},
    CLI_ROW_JSON("as JSON"),
    CLI_ROW_VERBOSE("say more"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group synth_groups[] = {
    {.title = "options", .opts = synth_rows},
    {0},
};

static const struct cli_command synth_command = {
    .name = "synth",
    .synopsis = "[options] FILE",
    .description = "A synthetic command whose description is one paragraph long enough to be "
		   "wrapped at eighty columns by the help, twice over at least, so that the wrap "
		   "shows.\n  kept  as it stands, indented\nThe end.",
    .groups = synth_groups,
    .operands = "the thing FILE",
    .min_operands = 1,
    .max_operands = 1,
    .epilogue = "Exit status: 0.",
};

/*
 * parse - cli_parse of @argv (NULL-terminated) by @cmd into @target, with what it printed on
 * stdout and stderr captured into @msg (its first line).
 */
static int parse(const struct cli_command *cmd, char **argv, void *target, struct cli_args *a,
		 char *msg, size_t len)
{
	int argc = 0, out = dup(STDOUT_FILENO), err = dup(STDERR_FILENO), rc;
	FILE *tmp = tmpfile();

	while (argv[argc])
		argc++;
	fflush(stdout);
	fflush(stderr);
	dup2(fileno(tmp), STDOUT_FILENO);
	dup2(fileno(tmp), STDERR_FILENO);
	rc = cli_parse(cmd, argc, argv, (void *[]){target}, a);
	fflush(stdout);
	fflush(stderr);
	dup2(out, STDOUT_FILENO);
	dup2(err, STDERR_FILENO);
	close(out);
	close(err);
	rewind(tmp);
	if (!fgets(msg, (int)len, tmp))
		msg[0] = '\0';
	fclose(tmp);
	return rc;
}

/* synth - parse @argv by the synthetic command into @s (zeroed first); its message in @msg. */
static int synth(struct synth *s, char **argv, char *msg)
{
	struct cli_args a;

	memset(s, 0, sizeof(*s));
	return parse(&synth_command, argv, s, &a, msg, 512);
}

/* refused - @argv is a usage error whose message holds @want. */
static int refused(char **argv, const char *want)
{
	struct synth s;
	char msg[512];
	int rc = synth(&s, argv, msg);

	EXPECTF(rc == CLI_EXIT_USAGE && strstr(msg, want), "'%s' gave %d, '%s', want '%s'", argv[1],
		rc, msg, want);
	return rc == CLI_EXIT_USAGE && strstr(msg, want) ? 0 : 1;
}

static int test_opt_defaults(void)
{
	struct synth s;
	char msg[512];

	CHECK(synth(&s, (char *[]){"synth", "x", NULL}, msg) == CLI_EXIT_OK);
	CHECK(!s.flag && s.count == 2 && s.size == 4096 && s.time_ns == 5000);
	CHECK(s.timeout_ms == 1000 && s.ratio == 1.5 && s.mode == 1 && s.msg == 4);
	CHECK(s.cpus.n == 0 && !s.text && !s.path && !msg[0]);
	return T_EXIT_PASS;
}

static int test_opt_kinds(void)
{
	struct synth s;
	char msg[512];

	CHECK(synth(&s, (char *[]){"synth",   "-f",	      "-c",   "16",	 "--size=1M", "-t",
				   "2ms",     "--timeout-ms", "2s",   "--ratio", "0.25",      "-m",
				   "gamma",   "--cpus",	      "0",    "--text",	 "a b",	      "-o",
				   "out.rst", "--msg",	      "1448", "x",	 NULL},
		    msg) == CLI_EXIT_OK);
	CHECK(s.flag && s.count == 16 && s.size == 1 << 20 && s.time_ns == 2000000);
	CHECK(s.timeout_ms == 2000 && s.ratio == 0.25 && s.mode == 2 && s.msg == 1448);
	CHECK(s.cpus.n == 1 && s.cpus.cpu[0] == 0 && !strcmp(s.text, "a b"));
	CHECK(!strcmp(s.path, "out.rst"));
	CHECK(synth(&s, (char *[]){"synth", "-t", "7", "-fc3", "x", NULL}, msg) == CLI_EXIT_OK);
	CHECK(s.time_ns == 7000 && s.flag && s.count == 3); /* bare: us; a cluster of letters */
	return T_EXIT_PASS;
}

static int test_opt_ranges(void)
{
	int bad = 0;

	bad += refused((char *[]){"synth", "-c", "0", "x", NULL},
		       "--count '0' is out of range: 1..16");
	bad += refused((char *[]){"synth", "-c", "17", "x", NULL}, "out of range: 1..16");
	bad += refused((char *[]){"synth", "-s", "2G", "x", NULL},
		       "--size '2G' is out of range: 0..1G");
	bad += refused((char *[]){"synth", "-t", "11s", "x", NULL}, "out of range: 0..10s");
	bad += refused((char *[]){"synth", "--timeout-ms", "0", "x", NULL},
		       "--timeout-ms '0' is out of range: 1ms..3600s");
	bad += refused((char *[]){"synth", "--ratio", "11", "x", NULL}, "out of range: 0..10");
	bad += refused((char *[]){"synth", "--msg", "2", "x", NULL}, "--msg 2 is too small");
	bad += refused((char *[]){"synth", "--msg", "2K", "x", NULL}, "--msg 2K is too big");
	return bad ? T_EXIT_FAIL : T_EXIT_PASS;
}

static int test_opt_not_numbers(void)
{
	int bad = 0;

	bad += refused((char *[]){"synth", "-c", "1e4", "x", NULL}, "'1e4' is not a whole number");
	bad += refused((char *[]){"synth", "-s", "4k", "x", NULL},
		       "'4k' is not a size (bytes, or K, M, G)");
	bad += refused((char *[]){"synth", "-t", "5min", "x", NULL},
		       "'5min' is not a time (ns, us, ms or s)");
	bad += refused((char *[]){"synth", "--ratio", "nan", "x", NULL}, "'nan' is not a number");
	/* what reads as a number to a user says why it is none here (issue 13) */
	bad += refused((char *[]){"synth", "-c", "1e4", "x", NULL},
		       "'1e4' is not a whole number: digits only, 1000000, not 1e6 or 1,000,000");
	bad += refused((char *[]){"synth", "-s", "1.5K", "x", NULL},
		       "'1.5K' is not a size (bytes, or K, M, G) in whole numbers: 512K, not 0.5M");
	bad +=
	    refused((char *[]){"synth", "-t", "0.5ms", "x", NULL},
		    "'0.5ms' is not a time (ns, us, ms or s) in whole numbers: 500us, not 0.5ms");
	return bad ? T_EXIT_FAIL : T_EXIT_PASS;
}

static int test_opt_names(void)
{
	struct synth s;
	char msg[512];
	int bad = 0;

	CHECK(synth(&s, (char *[]){"synth", "--mode", "alpha", "x", NULL}, msg) == 0 && !s.mode);
	bad += refused((char *[]){"synth", "-m", "delta", "x", NULL},
		       "--mode 'delta' is not one of: alpha, beta, gamma");
	bad += refused((char *[]){"synth", "--cpus", "4000", "x", NULL}, "CPU 4000 is not online");
	bad += refused((char *[]){"synth", "--cpus", "1-0", "x", NULL},
		       "--cpus '1-0' has a range that ends below its start");
	bad += refused((char *[]){"synth", "--cpus", "0,5000", "x", NULL},
		       "--cpus '0,5000' names a CPU above 4095");
	bad += refused((char *[]){"synth", "--cpus", "a", "x", NULL},
		       "--cpus 'a' is not a CPU list like 0,2 or 0-3");
	bad +=
	    refused((char *[]){"synth", "-o", "", "x", NULL}, "--path is empty: give a file name");
	return bad ? T_EXIT_FAIL : T_EXIT_PASS;
}

static int test_opt_long_path(void)
{
	char *path = malloc(PATH_MAX + 1);
	int rc;

	CHECK(path);
	memset(path, 'x', PATH_MAX);
	path[PATH_MAX] = '\0';
	rc = refused((char *[]){"synth", "-o", path, "x", NULL}, "--path is over 4095 bytes");
	free(path);
	return rc ? T_EXIT_FAIL : T_EXIT_PASS;
}

static int test_opt_preset(void)
{
	struct synth s;
	char msg[512];

	CHECK(synth(&s, (char *[]){"synth", "-F", "x", NULL}, msg) == 0);
	CHECK(s.count == 16 && s.mode == 2);
	CHECK(synth(&s, (char *[]){"synth", "-F", "-c", "3", "x", NULL}, msg) == 0 && s.count == 3);
	/* after a row it sets, a preset would undo it by its place alone: refused (issue 13) */
	CHECK(!refused((char *[]){"synth", "-c", "3", "--fast", "x", NULL},
		       "--count and --fast set the same thing (--fast means --count 16 --mode "
		       "gamma): give one of them, or the preset first"));
	return T_EXIT_PASS;
}

static int test_opt_unknown_and_missing(void)
{
	int bad = 0;

	bad += refused((char *[]){"synth", "-x", "x", NULL}, "unknown option '-x'");
	bad += refused((char *[]){"synth", "-fx", "x", NULL}, "unknown option '-x'");
	bad += refused((char *[]){"synth", "--bogus", "x", NULL}, "unknown option '--bogus'");
	bad += refused((char *[]){"synth", "x", "--count", NULL}, "'--count' needs a value");
	bad += refused((char *[]){"synth", "x", "-c", NULL}, "'-c' needs a value");
	bad += refused((char *[]){"synth", "--flag=1", "x", NULL}, "'--flag' takes no value");
	/* an option where a value should be: getopt took it as the value (issue 13) */
	bad += refused((char *[]){"synth", "--count", "-F", "x", NULL},
		       "--count needs a value N, not the option '-F' after it");
	bad += refused((char *[]){"synth", "-c", "--fast", "x", NULL},
		       "--count needs a value N, not the option '--fast' after it");
	bad += refused((char *[]){"synth", NULL}, "missing the thing FILE");
	bad += refused((char *[]){"synth", "a", "b", NULL}, "expected the thing FILE, got 'b' too");
	bad += refused((char *[]){"synth", "-c", "0", "x", NULL}, "(see 'ringscope synth --help')");
	return bad ? T_EXIT_FAIL : T_EXIT_PASS;
}

static int test_opt_json_anywhere(void)
{
	struct synth s;
	char msg[512];
	int rc;

	rc = synth(&s, (char *[]){"synth", "-c", "0", "x", "--json", NULL}, msg);
	EXPECT(cli_json_mode);
	cli_json_mode = false;
	CHECK(rc == CLI_EXIT_USAGE);
	CHECK(!strncmp(msg, "{\"error\":", 9) && strstr(msg, "--count '0'"));
	CHECK(synth(&s, (char *[]){"synth", "-vh", NULL}, msg) == CLI_EXIT_OK);
	EXPECT(cli_verbose_mode);
	cli_verbose_mode = false;
	CHECK(strstr(msg, "usage: ringscope synth [options] FILE") == msg); /* --help wins */
	return T_EXIT_PASS;
}

/* help_text - cli_help of @cmd into a malloc'd string. */
static char *help_text(const struct cli_command *cmd)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	cli_help(f, cmd);
	fclose(f);
	return text;
}

/* widest_line - the length of the longest line of @text. */
static size_t widest_line(const char *text)
{
	size_t w = 0, n;

	for (; *text; text += n + (text[n] == '\n')) {
		n = strcspn(text, "\n");
		w = n > w ? n : w;
	}
	return w;
}

static int test_opt_help(void)
{
	char *h = help_text(&synth_command);

	CHECK(h);
	EXPECT(strstr(h, "usage: ringscope synth [options] FILE\n\nA synthetic command") == h);
	EXPECT(strstr(h, "\n  kept  as it stands, indented\nThe end.\n"));
	EXPECT(strstr(h, "\noptions:\n  -f, --flag "));
	EXPECT(strstr(h, "  -c, --count N ") && strstr(h, "a count (1..16; default 2)"));
	EXPECT(strstr(h, "      --timeout-ms MS ") && strstr(h, "(1ms..3600s; default 1000)"));
	EXPECT(strstr(h, "a size (0..1G; default 4K)"));
	EXPECT(strstr(h, "a mode (alpha, beta or gamma; default beta)"));
	EXPECT(strstr(h, "a preset (--count 16 --mode gamma)"));
	EXPECT(strstr(h, "\nExit status: 0.\n"));
	EXPECTF(widest_line(h) <= 80, "a help line of %zu columns", widest_line(h));
	free(h);
	return T_EXIT_PASS;
}

/* Two groups, the second nested, writing into two targets; "shared" is in both inner ones. */
struct pair {
	unsigned int a, b, shared;
};

static const struct cli_opt group_a[] = {
    {.name = "a",
     .letter = 'a',
     .arg = "N",
     .help = "a",
     .def = "1",
     .kind = CLI_OPT_COUNT,
     .max = 9,
     CLI_FIELD(struct pair, a)},
    {0},
};
static const struct cli_opt group_b[] = {
    {.name = "b",
     .letter = 'b',
     .arg = "N",
     .help = "b",
     .kind = CLI_OPT_COUNT,
     .max = 9,
     CLI_FIELD(struct pair, b)},
    {.name = "shared",
     .arg = "N",
     .help = "in b",
     .def = "2",
     .kind = CLI_OPT_COUNT,
     .max = 9,
     CLI_FIELD(struct pair, shared)},
    {0},
};
static const struct cli_opt group_c[] = {
    {.name = "shared",
     .arg = "N",
     .help = "in c",
     .def = "3",
     .kind = CLI_OPT_COUNT,
     .max = 9,
     CLI_FIELD(struct pair, shared)},
    {0},
};

static const struct cli_opt_group *inner_groups(void)
{
	static const struct cli_opt_group g[] = {
	    {.title = "b", .opts = group_b, .target = 1},
	    {.title = "c", .opts = group_c, .target = 1},
	    {0},
	};
	return g;
}

static const struct cli_command nested_command = {
    .name = "nested",
    .synopsis = "",
    .description = "",
    .groups = (const struct cli_opt_group[]){{.title = "a", .opts = group_a},
					     {.title = "inner", .nested = inner_groups},
					     {0}},
};

static int test_opt_groups(void)
{
	const struct cli_opt_group *g[CLI_GROUPS_MAX];
	struct pair p = {0}, q = {0};
	struct cli_args a;

	CHECK(cli_command_groups(&nested_command, g) == 3);
	CHECK(!strcmp(g[0]->title, "a") && !strcmp(g[1]->title, "b") && !strcmp(g[2]->title, "c"));
	CHECK(cli_args_parse(&nested_command, 5,
			     (char *[]){"nested", "-b", "4", "--shared", "5", NULL},
			     &a) == CLI_EXIT_OK);
	CHECK(cli_args_apply(&a, g[0], &p) == CLI_EXIT_OK && p.a == 1);
	CHECK(cli_args_unused(&a) && !strcmp(cli_args_unused(&a)->opt->name, "b"));
	CHECK(cli_args_given(&a, "shared") && !cli_args_given(&a, "a"));
	CHECK(cli_args_apply(&a, g[2], &q) == CLI_EXIT_OK && q.shared == 5 && !q.b);
	CHECK(cli_args_apply(&a, g[1], &q) == CLI_EXIT_OK && q.b == 4 && q.shared == 5);
	CHECK(!cli_args_unused(&a));
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(opt_defaults),	   CHECK_CASE(opt_kinds),
	    CHECK_CASE(opt_ranges),	   CHECK_CASE(opt_not_numbers),
	    CHECK_CASE(opt_names),	   CHECK_CASE(opt_long_path),
	    CHECK_CASE(opt_preset),	   CHECK_CASE(opt_unknown_and_missing),
	    CHECK_CASE(opt_json_anywhere), CHECK_CASE(opt_help),
	    CHECK_CASE(opt_groups),
	};

	return CHECK_RUN(cases);
}
