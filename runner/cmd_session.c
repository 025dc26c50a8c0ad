// SPDX-License-Identifier: MIT
/*
 * cmd_session - `ringscope session`, the main job: the paper's null tests and ring in one traced
 * trace file (null, syscall puts, ring at 1 and 3 hops, ring at 3 hops across namespaces), then
 * the analysis of that file: platform, a table per probe and the top spikes with their causes.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"
#include "runner/commands.h"
#include "runner/measure.h"
#include "runner/recording.h"
#include "runner/run_options.h"

/* One probe configuration of the session. */
struct session_probe {
	const char *label;
	const char *probe;
	unsigned int hops;
	enum probe_domains domains;
};

static const struct session_probe session_probes[] = {
    {"null (no syscall)", "null", 1, PROBE_DOMAINS_SINGLE},
    {"syscall (one puts to a buffered stream)", "syscall", 1, PROBE_DOMAINS_SINGLE},
    {"ring, 1 hop, single domain", "ring", 1, PROBE_DOMAINS_SINGLE},
    {"ring, 3 hops, single domain", "ring", 3, PROBE_DOMAINS_SINGLE},
    {"ring, 3 hops, one network namespace per member", "ring", 3, PROBE_DOMAINS_NETNS},
};

#define SESSION_NPROBES (sizeof(session_probes) / sizeof(session_probes[0]))

struct session_opts {
	struct probe_config cfg; /* shared by every probe; probe, hops, domains set per probe */
	struct measure_plan plan;
	char output[PATH_MAX];
	unsigned int spikes;
	bool trace;
	bool json;
};

static const char usage_text[] =
    "usage: ringscope session [options]\n\n"
    "The main job: a diagnostic session of this platform in one trace file. Runs the null\n"
    "probe (nothing timed), the syscall probe (one puts per iteration to a fully buffered\n"
    "stream: buffer flushes), and the io_uring TCP ring at 1 and 3 hops in one network\n"
    "namespace and at 3 hops with one namespace per member; traces them with eBPF (as root),\n"
    "then prints the platform, a table per probe and the top spikes with their causes.\n\n"
    "options:\n"
    "  -r, --runs R          runs per probe (default 5)\n"
    "  -n, --iterations I    timed iterations per run (default 10000)\n"
    "  -P, --paper           the paper's size: 50 runs x 10000 iterations\n"
    "  -w, --warmup W        untimed iterations before each run (default 100)\n"
    "  -c, --cpus LIST       pin member i to LIST[i mod len], e.g. 0,1 (default: unpinned)\n"
    "  -s, --spikes K        spikes shown per probe, largest excess first (default 5)\n"
    "  -o, --output FILE     the trace file (default ringscope-session-HOST-DATE.rst here)\n"
    "  -T, --no-trace        do not record kernel events\n"
    "  -D, --trace-detail M  lean (default: no per-packet events, the rest in full) or full\n"
    "                        (every kernel event recorded; costs the measurement more)\n"
    "  -j, --json            print the analysis as JSON (errors as {\"error\": ...})\n"
    "  -v, --verbose         say what is traced and skipped, and libbpf's messages\n"
    "  -h, --help            show this help\n\n"
    "Without root the session runs untraced and skips the namespace ring, and says so.\n"
    "exit status: 0 ok, 1 a probe failed (the others still ran), 2 bad usage,\n"
    "128+N stopped by signal N (the file is finalized)\n";

/* default_output - ringscope-session-<host>-<UTC date and time>.rst in the current folder. */
static void default_output(char *buf, size_t len)
{
	struct utsname un;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "ringscope-session-%s-%s.rst", uname(&un) ? "host" : un.nodename, when);
}

/* parse_count - a whole number option within [min, max]; CLI_EXIT_USAGE after an error line. */
static int parse_count(const char *opt, const char *arg, uint64_t min, uint64_t max,
		       unsigned int *out)
{
	uint64_t v;

	if (cli_parse_u64(arg, CLI_UNITS_NONE, 1, min, max, &v))
		return cli_usage_error("session", "%s '%s' is not a whole number in %llu..%llu",
				       opt, arg, (unsigned long long)min, (unsigned long long)max);
	*out = (unsigned int)v;
	return 0;
}

/* parse_option - one option (getopt's @c); -1 for help, CLI_EXIT_USAGE after an error line. */
static int parse_option(int c, const char *arg, struct session_opts *o)
{
	switch (c) {
	case 'r':
		return parse_count("--runs", arg, 1, 1000000, &o->plan.runs);
	case 'n':
		return parse_count("--iterations", arg, 1, 1000000000, &o->plan.iterations);
	case 'w':
		return parse_count("--warmup", arg, 0, 1000000000, &o->plan.warmup);
	case 's':
		return parse_count("--spikes", arg, 0, 1000000, &o->spikes);
	case 'P':
		o->plan.runs = 50;
		o->plan.iterations = 10000;
		return 0;
	case 'c':
		return run_options_parse_cpus("session", arg, &o->cfg);
	case 'o':
		if (!*arg)
			return cli_usage_error("session", "--output is empty: give a file name");
		if (strlen(arg) >= sizeof(o->output))
			return cli_usage_error("session",
					       "--output is over %zu bytes: give a shorter path",
					       sizeof(o->output) - 1);
		snprintf(o->output, sizeof(o->output), "%s", arg);
		return 0;
	case 'T':
		o->trace = false;
		return 0;
	case 'D':
		if (strcmp(arg, "lean") && strcmp(arg, "full"))
			return cli_usage_error("session", "--trace-detail '%s' is not lean or full",
					       arg);
		o->plan.trace_full = !strcmp(arg, "full");
		return 0;
	case 'j':
		o->json = cli_json_mode = true;
		return 0;
	case 'v':
		cli_verbose_mode = true;
		return 0;
	case 'h':
		fputs(usage_text, stdout);
		return -1;
	}
	return cli_usage_error("session", "unknown option or missing value");
}

/* parse_args - fill @o; 0 to go on, -1 after --help, else CLI_EXIT_USAGE. */
static int parse_args(int argc, char **argv, struct session_opts *o)
{
	static const struct option longopts[] = {
	    {"runs", required_argument, NULL, 'r'},
	    {"iterations", required_argument, NULL, 'n'},
	    {"paper", no_argument, NULL, 'P'},
	    {"warmup", required_argument, NULL, 'w'},
	    {"cpus", required_argument, NULL, 'c'},
	    {"spikes", required_argument, NULL, 's'},
	    {"output", required_argument, NULL, 'o'},
	    {"no-trace", no_argument, NULL, 'T'},
	    {"json", no_argument, NULL, 'j'},
	    {"verbose", no_argument, NULL, 'v'},
	    {"trace-detail", required_argument, NULL, 'D'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, rc, i;

	for (i = 1; i < argc; i++) /* errors of this very parse already print as JSON */
		cli_json_mode |= !strcmp(argv[i], "--json") || !strcmp(argv[i], "-j");
	optind = 0; /* glibc: 0 resets getopt fully, so one command may parse after another */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "r:n:Pw:c:s:o:TD:jvhV", longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return cli_usage_error("session", "unknown option or missing value '%s'",
					       argv[optind - 1]);
		rc = parse_option(c, optarg, o);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error("session", "unexpected argument '%s'", argv[optind]);
	if (!o->output[0])
		default_output(o->output, sizeof(o->output));
	return run_options_check_output("session", o->output);
}

/* set_defaults - those of `run`, traced, 5 spikes shown. */
static void set_defaults(struct session_opts *o)
{
	memset(o, 0, sizeof(*o));
	run_options_defaults(&o->cfg, &o->plan);
	o->spikes = 5;
	o->trace = true;
}

/* note - "ringscope: @what '@label'@why" on stderr, not under --json. */
static void note(const char *what, const char *label, const char *why)
{
	if (!cli_json_mode)
		fprintf(stderr, "ringscope: %s %s%s\n", what, label, why);
}

/*
 * measure_all - every session probe into @r in turn. A failed probe is reported and the session
 * goes on; a stop signal or a full file ends it. Returns the number of failed probes; *@interrupted
 * says whether a signal stopped it.
 */
static int measure_all(struct recording *r, struct session_opts *o, char *first_err, size_t errlen,
		       bool *interrupted)
{
	struct measure_result res;
	uint32_t id = 0;
	size_t i;
	int failed = 0, rc = 0;

	for (i = 0; i < SESSION_NPROBES && !*interrupted && !recording_full(rc); i++) {
		const struct session_probe *sp = &session_probes[i];

		if (sp->domains == PROBE_DOMAINS_NETNS && geteuid() != 0) {
			note("skipping", sp->label, ": creating network namespaces needs root");
			continue;
		}
		o->cfg.probe = sp->probe;
		o->cfg.hops = sp->hops;
		o->cfg.domains = sp->domains;
		note("measuring", sp->label, "...");
		memset(&res, 0, sizeof(res));
		rc = measure_probe(r->w, id++, &o->cfg, &o->plan, &r->cal, &res);
		if (rc) {
			cli_error_text("probe '%s' failed: %s", sp->label, res.err);
			if (!failed++)
				snprintf(first_err, errlen, "%s: %s", sp->label, res.err);
		}
		*interrupted = res.interrupted;
	}
	return failed;
}

/* analyze_file - the analysis of the file just written, as `ringscope analyze` prints it. */
static int analyze_file(const struct session_opts *o)
{
	char spikes[16];
	char *argv[6] = {"analyze", (char *)o->output};
	int argc = 2;

	if (o->spikes) {
		snprintf(spikes, sizeof(spikes), "%u", o->spikes);
		argv[argc++] = "--spikes";
		argv[argc++] = spikes;
	}
	if (o->json)
		argv[argc++] = "--json";
	argv[argc] = NULL;
	return cmd_analyze(argc, argv);
}

int cmd_session(int argc, char **argv)
{
	struct session_opts o;
	struct recording r;
	char err[600] = "";
	bool interrupted = false, traced = false;
	int rc, failed;

	set_defaults(&o);
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	if (recording_open(&r, o.output, "session", argc, argv))
		return CLI_EXIT_ERROR;
	o.plan.stop = &recording_stop_signal;
	o.plan.progress = !o.json && cli_stderr_is_tty();
	if (o.trace)
		traced = recording_trace(&r, o.cfg.cpus, o.cfg.ncpus, &o.plan);
	failed = measure_all(&r, &o, err, sizeof(err), &interrupted);
	if (recording_close(&r, failed ? err : NULL, interrupted)) {
		if (o.json) /* stdout's one document; stderr has why and what to do */
			cli_error("failed to finalize '%s'", o.output);
		return CLI_EXIT_ERROR;
	}
	rc = analyze_file(&o);
	if (!o.json)
		printf(
		    "\n# trace: '%s' (%s): 'ringscope analyze %s --spikes 20' shows more spikes, "
		    "'ringscope export %s --format csv' every sample.\n",
		    o.output, traced ? "traced" : "untraced", o.output, o.output);
	if (rc)
		return rc;
	return recording_exit_code(failed > 0, interrupted);
}
