// SPDX-License-Identifier: MIT
/*
 * test_commands - the tables of ringscope's commands: a letter means one option everywhere,
 * every default is one its row accepts (analyze's are the analysis' own), every help fits 80
 * columns; and `run` parsed by its table with the probes' rows nested in it.
 */
#include <errno.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/model/spikes.h"
#include "lib/cli.h"
#include "lib/cli_args.h"
#include "lib/cli_help.h"
#include "lib/cli_value.h"
#include "probes/http.h"
#include "probes/registry.h"
#include "probes/ring.h"
#include "runner/commands.h"
#include "runner/run_options.h"
#include "runner/session.h"
#include "tests/unit/check.h"

/* scratch - room for any command's target: defaults are applied into it. */
static alignas(max_align_t) unsigned char scratch[1 << 16];

/* each_row - call @fn on every row of every command (nested groups too); the failures summed. */
static int each_row(int (*fn)(const struct cli_command *cmd, const struct cli_opt *o))
{
	const struct cli_command *const *c;
	const struct cli_opt_group *g[CLI_GROUPS_MAX];
	const struct cli_opt *o;
	size_t n, i;
	int bad = 0;

	for (c = ringscope_commands; *c; c++) {
		n = cli_command_groups(*c, g);
		for (i = 0; i < n; i++)
			for (o = g[i]->opts; o && o->name; o++)
				bad += fn(*c, o);
	}
	return bad;
}

/* The long name each letter stands for, over every command. */
static const char *letter_owner[128];

/* one_meaning - @o's letter stands for @o's long name in every command. */
static int one_meaning(const struct cli_command *cmd, const struct cli_opt *o)
{
	const char **owner = &letter_owner[(unsigned char)o->letter];

	if (!o->letter)
		return 0;
	EXPECTF(!*owner || !strcmp(*owner, o->name), "'%s': -%c is --%s, elsewhere --%s", cmd->name,
		o->letter, o->name, *owner);
	if (!*owner)
		*owner = o->name;
	return *owner != o->name && strcmp(*owner, o->name);
}

static int test_letters_mean_one_thing(void)
{
	memset(letter_owner, 0, sizeof(letter_owner));
	return each_row(one_meaning) ? T_EXIT_FAIL : T_EXIT_PASS;
}

/* good_row - a help text, and a default the row itself accepts. */
static int good_row(const struct cli_command *cmd, const struct cli_opt *o)
{
	char err[256] = "";
	int rc = 0;

	memset(scratch, 0, sizeof(scratch));
	if (o->def)
		rc = cli_value_set(o, o->def, scratch, err, sizeof(err));
	EXPECTF(!rc, "'%s': the default of --%s: %s", cmd->name, o->name, err);
	EXPECTF(o->help && *o->help, "'%s': --%s has no help", cmd->name, o->name);
	EXPECTF(o->off + o->width <= sizeof(scratch), "'%s': --%s", cmd->name, o->name);
	return rc || !o->help;
}

static int test_rows_are_whole(void)
{
	return each_row(good_row) ? T_EXIT_FAIL : T_EXIT_PASS;
}

/* analyze_row - the row of `analyze` called @name. */
static const struct cli_opt *analyze_row(const char *name)
{
	const struct cli_opt_group *g[CLI_GROUPS_MAX];
	const struct cli_opt *o;
	size_t n = cli_command_groups(&analyze_command, g), i;

	for (i = 0; i < n; i++)
		for (o = g[i]->opts; o && o->name; o++)
			if (!strcmp(o->name, name))
				return o;
	return NULL;
}

/* default_of - the value @o's default stores, as a double (a time: its ns). */
static double default_of(const struct cli_opt *o)
{
	char err[256];
	uint64_t v;
	double d;

	memset(scratch, 0, sizeof(scratch));
	if (!o || cli_value_set(o, o->def, scratch, err, sizeof(err)))
		return -1;
	if (o->kind == CLI_OPT_DOUBLE) {
		memcpy(&d, scratch + o->off, sizeof(d));
		return d;
	}
	memcpy(&v, scratch + o->off, sizeof(v));
	return (double)v;
}

static int test_analyze_defaults_are_the_analysis(void)
{
	struct spikes_opts want;

	spikes_opts_default(&want);
	EXPECT(default_of(analyze_row("spike-k")) == want.k);
	EXPECT(default_of(analyze_row("spike-min-ratio")) == want.min_ratio);
	EXPECT(default_of(analyze_row("spike-min-excess")) == want.min_excess_ns);
	return T_EXIT_PASS;
}

static int test_help_fits(void)
{
	const struct cli_command *const *c;
	char *text, *line, want[64];
	size_t len;
	FILE *f;

	for (c = ringscope_commands; *c; c++) {
		text = NULL;
		f = open_memstream(&text, &len);
		CHECK(f);
		cli_help(f, *c);
		fclose(f);
		snprintf(want, sizeof(want), "usage: ringscope %s ", (*c)->name);
		EXPECTF(!strncmp(text, want, strlen(want)), "'%s' help: %.40s", (*c)->name, text);
		for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
			EXPECTF(strlen(line) <= 80 || !strncmp(line, "usage: ", 7),
				"'%s' help line of %zu columns: %s", (*c)->name, strlen(line),
				line);
		free(text);
	}
	return T_EXIT_PASS;
}

static int test_probe_defaults(void)
{
	struct probe_config cfg = {.probe = "ring"};

	CHECK(probe_config_defaults(&cfg) == 0 && cfg.members == 2);
	CHECK(ring_settings_of(&cfg)->msg_size == 4 && ring_settings_of(&cfg)->max_restarts == 3);
	cfg = (struct probe_config){.probe = "http"};
	CHECK(probe_config_defaults(&cfg) == 0 && cfg.members == 1);
	CHECK(http_settings_of(&cfg)->connect == PROBE_CONNECT_PER_MESSAGE);
	cfg = (struct probe_config){.probe = "nope"};
	CHECK(probe_config_defaults(&cfg) == -EINVAL);
	CHECK(!strcmp(probe_names(), "null, vmexit, syscall, ring, http"));
	return T_EXIT_PASS;
}

/* session_parse - the options of session command @cmd from @argv (NULL-terminated) into @o. */
static int session_parse(const struct cli_command *cmd, char **argv, struct session_opts *o)
{
	struct cli_args a;
	int argc = 0;

	while (argv[argc])
		argc++;
	memset(o, 0, sizeof(*o));
	return cli_parse(cmd, argc, argv, (void *[]){o}, &a);
}

static int test_session_options(void)
{
	struct session_opts o;

	CHECK(session_parse(&session_command, (char *[]){"session", NULL}, &o) == 0);
	CHECK(o.plan.runs == 5 && o.plan.iterations == 10000 && o.spikes == 5 && !o.output);
	CHECK(session_parse(&session_command, (char *[]){"session", "-P", NULL}, &o) == 0);
	CHECK(o.plan.runs == 50 && o.plan.iterations == 10000);
	CHECK(session_parse(&session_command, (char *[]){"session", "-P", "-r", "2", NULL}, &o) ==
	      0);
	CHECK(o.plan.runs == 2 && o.plan.iterations == 10000);
	/* a preset after a row it sets would undo it silently: refused (issue 13) */
	CHECK(session_parse(&session_command, (char *[]){"session", "-r", "2", "--paper", NULL},
			    &o) == CLI_EXIT_USAGE);
	/* two names of one value: refused, whichever comes last */
	CHECK(session_parse(&http_session_command,
			    (char *[]){"http-session", "-n", "5", "--requests", "7", NULL},
			    &o) == CLI_EXIT_USAGE);
	CHECK(session_parse(&session_command,
			    (char *[]){"session", "-T", "-D", "full", "-s", "0", NULL}, &o) == 0);
	CHECK(o.no_trace && o.plan.trace_full && !o.spikes);
	CHECK(session_parse(&http_session_command, (char *[]){"http-session", NULL}, &o) == 0);
	CHECK(o.plan.runs == 1 && o.plan.iterations == 1000 && o.plan.warmup == 100 && !o.spikes);
	CHECK(session_parse(&http_session_command,
			    (char *[]){"http-session", "--requests", "7", NULL}, &o) == 0);
	CHECK(o.plan.iterations == 7);
	return T_EXIT_PASS;
}

/* parse - run_options_parse on a NULL-terminated argument list. */
static int parse(struct run_options *o, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return run_options_parse(&run_command, argc, argv, o);
}

static int test_run_defaults(void)
{
	const struct ring_settings *rs;
	struct run_options o;

	CHECK(parse(&o, (char *[]){"run", "--probe", "null", "-o", "/tmp/x.rst", NULL}) == 0);
	CHECK(!o.help && !strcmp(o.cfg.probe, "null") && !strcmp(o.output, "/tmp/x.rst"));
	CHECK(o.plan.runs == 5 && o.plan.iterations == 10000 && o.plan.warmup == 100);
	CHECK(o.plan.interval_ns == 0 && !o.plan.keep_ring && !o.trace && !o.plan.trace_full);
	CHECK(o.cfg.members == 1 && o.cfg.cpus.n == 0);
	CHECK(parse(&o, (char *[]){"run", "--probe", "ring", "-o", "/tmp/x.rst", NULL}) == 0);
	rs = ring_settings_of(&o.cfg);
	CHECK(o.cfg.members == 2 && rs->msg_size == 4 && rs->timeout_ms == 1000);
	CHECK(rs->io == PROBE_IO_URING && rs->connect == PROBE_CONNECT_PERSISTENT);
	CHECK(rs->reply == PROBE_REPLY_NEXT && o.cfg.domains == PROBE_DOMAINS_SINGLE);
	return T_EXIT_PASS;
}

static int test_run_options(void)
{
	const struct ring_settings *rs;
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
				   "-D",	  "full",
				   NULL}) == 0);
	rs = ring_settings_of(&o.cfg);
	CHECK(o.plan.interval_ns == 5000 && rs->timeout_ms == 2000);
	CHECK(rs->io == PROBE_IO_BUSYPOLL && rs->connect == PROBE_CONNECT_PER_MESSAGE);
	CHECK(o.cfg.members == 3 && rs->msg_size == 1448 && o.cfg.cpus.n == 1 && o.plan.keep_ring);
	CHECK(o.plan.runs == 2 && o.plan.iterations == 3 && o.plan.warmup == 0);
	CHECK(o.plan.trace_full && o.trace); /* --trace-detail implies --trace */
	return T_EXIT_PASS;
}

static int test_run_probe_options(void)
{
	struct run_options o;

	CHECK(parse(&o, (char *[]){"run", "-p", "http", "-u", "http://127.0.0.1:1/", "-o",
				   "/tmp/x.rst", NULL}) == 0);
	CHECK(!strcmp(http_settings_of(&o.cfg)->url, "http://127.0.0.1:1/"));
	CHECK(http_settings_of(&o.cfg)->connect == PROBE_CONNECT_PER_MESSAGE); /* its default */
	CHECK(parse(&o, (char *[]){"run", "-p", "http", "-u", "http://127.0.0.1:1/", "-C",
				   "persistent", "-o", "/tmp/x.rst", NULL}) == 0);
	CHECK(http_settings_of(&o.cfg)->connect == PROBE_CONNECT_PERSISTENT);
	/* an option of another probe is refused, whatever their order */
	CHECK(parse(&o, (char *[]){"run", "--hops", "3", "-p", "null", "-o", "/tmp/x.rst", NULL}) ==
	      CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "http", "--io", "sqpoll", "-u", "http://1.2.3.4/",
				   "-o", "/tmp/x.rst", NULL}) == CLI_EXIT_USAGE);
	CHECK(parse(&o, (char *[]){"run", "-p", "null", "-F", "/tmp/x.topo", "-o", "/tmp/x.rst",
				   NULL}) == CLI_EXIT_USAGE);
	return T_EXIT_PASS;
}

static int test_run_bad_usage(void)
{
	static char *const bad[][12] = {
	    {"run", "-p", "null", NULL},
	    {"run", "-o", "/tmp/x.rst", NULL},
	    {"run", "-p", "nope", "-o", "/tmp/x.rst", NULL},
	    {"run", "-p", "null", "-o", "/tmp/x.rst", "-r", "0", NULL},
	    {"run", "-p", "null", "-o", "/tmp/x.rst", "-n", "1e4", NULL},
	    {"run", "-p", "ring", "-o", "/tmp/x.rst", "-H", "17", NULL},
	    {"run", "-p", "ring", "-o", "/tmp/x.rst", "-m", "1449", NULL},
	    {"run", "-p", "ring", "-o", "/tmp/x.rst", "--io", "epoll", NULL},
	    {"run", "-p", "ring", "-o", "/tmp/x.rst", "--reply", "same-connection", "-H", "3",
	     NULL},
	    {"run", "-p", "null", "-o", "/tmp/x.rst", "-c", "4000", NULL},
	    {"run", "-p", "null", "-o", "/nonexistent/x.rst", NULL},
	    {"run", "-p", "null", "-o", "/tmp", NULL},
	    {"run", "-p", "null", "-o", "", NULL},
	    {"run", "-p", "ring", "-o", "/tmp/x.rst", "-H", "0", NULL},
	    {"run", "-p", "null", "-o", "/tmp/x.rst", "extra", NULL},
	    {"run", "-p", "null", "-o", "/tmp/x.rst", "--bogus", NULL},
	    {"run", "-p", "syscall", "-o", "/tmp/x.rst", "--text", "", NULL},
	};
	char *argv[12];
	struct run_options o;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(argv, bad[i], sizeof(argv)); /* getopt reorders what it is given */
		EXPECTF(parse(&o, argv) == CLI_EXIT_USAGE, "case %zu (%s %s) was accepted", i,
			bad[i][3], bad[i][5] ? bad[i][5] : "");
	}
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(letters_mean_one_thing),
	    CHECK_CASE(rows_are_whole),
	    CHECK_CASE(analyze_defaults_are_the_analysis),
	    CHECK_CASE(help_fits),
	    CHECK_CASE(probe_defaults),
	    CHECK_CASE(session_options),
	    CHECK_CASE(run_defaults),
	    CHECK_CASE(run_options),
	    CHECK_CASE(run_probe_options),
	    CHECK_CASE(run_bad_usage),
	};

	return CHECK_RUN(cases);
}
