// SPDX-License-Identifier: MIT
/*
 * cmd_http_session - `ringscope http-session`, the paper's application test (section 5): HTTP
 * GETs through io_uring to a real lighttpd serving a 44-byte page, with client and server in one
 * network namespace, then with the server in its own namespace over veth (an emulated second
 * host); both into one trace file, traced when root, then analyzed like `session`.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"
#include "runner/commands.h"
#include "runner/lighttpd.h"
#include "runner/measure.h"
#include "runner/recording.h"
#include "runner/run_options.h"
#include "runner/topology.h"

#define HTTP_SESSION_WAIT_MS 5000 /* for lighttpd to accept connections */

/* One configuration of the session: where the server lives relative to the client. */
struct http_config {
	const char *label;
	enum probe_domains domains;
};

static const struct http_config http_configs[] = {
    {"http, client and server in one namespace (loopback)", PROBE_DOMAINS_SINGLE},
    {"http, server in its own namespace over veth (a second host)", PROBE_DOMAINS_NETNS},
};

#define HTTP_NCONFIGS (sizeof(http_configs) / sizeof(http_configs[0]))

struct http_opts {
	struct probe_config cfg;
	struct measure_plan plan;
	char output[PATH_MAX];
	bool trace;
	bool json;
};

static const char usage_text[] =
    "usage: ringscope http-session [options]\n\n"
    "The paper's application test: HTTP/1.1 GETs through io_uring, a new connection per\n"
    "request, to a private lighttpd serving a 44-byte index.html; first with client and\n"
    "server in one network namespace (127.0.0.1), then with the server in its own namespace\n"
    "joined by veth (an emulated second host, 198.18.0.2). One trace file, traced with eBPF\n"
    "as root; then the analysis of both configurations.\n\n"
    "options:\n"
    "  -n, --requests N      timed requests per run (default 1000)\n"
    "  -r, --runs R          runs per configuration (default 1)\n"
    "  -o, --output FILE     the trace file (default ringscope-http-HOST-DATE.rst here)\n"
    "  -T, --no-trace        do not record kernel events\n"
    "  -j, --json            print the analysis as JSON (errors as {\"error\": ...})\n"
    "  -v, --verbose         say what is traced and skipped, and libbpf's messages\n"
    "  -h, --help            show this help\n\n"
    "lighttpd (Debian package lighttpd; RINGSCOPE_LIGHTTPD names another binary) runs with its\n"
    "own configuration in a temporary folder, removed at the end; when it fails to start, the\n"
    "error names its log, kept until the next run, session or http-session starts. Without\n"
    "root the namespace configuration is skipped.\n"
    "exit status: 0 ok, 1 a configuration failed (the other still ran), 2 bad usage,\n"
    "128+N stopped by signal N (the file is finalized)\n";

/* default_output - ringscope-http-<host>-<UTC date and time>.rst in the current folder. */
static void default_output(char *buf, size_t len)
{
	struct utsname un;
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y%m%d-%H%M%S", &tm);
	snprintf(buf, len, "ringscope-http-%s-%s.rst", uname(&un) ? "host" : un.nodename, when);
}

/* parse_count - a whole number option within [min, max]; CLI_EXIT_USAGE after an error line. */
static int parse_count(const char *opt, const char *arg, uint64_t max, unsigned int *out)
{
	uint64_t v;

	if (cli_parse_u64(arg, CLI_UNITS_NONE, 1, 1, max, &v))
		return cli_usage_error("http-session", "%s '%s' is not a whole number in 1..%llu",
				       opt, arg, (unsigned long long)max);
	*out = (unsigned int)v;
	return 0;
}

/* parse_option - one option (getopt's @c); -1 for help, CLI_EXIT_USAGE after an error line. */
static int parse_option(int c, const char *arg, struct http_opts *o)
{
	switch (c) {
	case 'n':
		return parse_count("--requests", arg, 1000000000, &o->plan.iterations);
	case 'r':
		return parse_count("--runs", arg, 1000000, &o->plan.runs);
	case 'o':
		if (!*arg)
			return cli_usage_error("http-session",
					       "--output is empty: give a file name");
		if (strlen(arg) >= sizeof(o->output))
			return cli_usage_error("http-session",
					       "--output is over %zu bytes: give a shorter path",
					       sizeof(o->output) - 1);
		snprintf(o->output, sizeof(o->output), "%s", arg);
		return 0;
	case 'T':
		o->trace = false;
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
	return cli_usage_error("http-session", "unknown option or missing value");
}

/* parse_args - fill @o; 0 to go on, -1 after --help, else CLI_EXIT_USAGE. */
static int parse_args(int argc, char **argv, struct http_opts *o)
{
	static const struct option longopts[] = {
	    {"requests", required_argument, NULL, 'n'}, {"runs", required_argument, NULL, 'r'},
	    {"output", required_argument, NULL, 'o'},	{"no-trace", no_argument, NULL, 'T'},
	    {"json", no_argument, NULL, 'j'},		{"verbose", no_argument, NULL, 'v'},
	    {"help", no_argument, NULL, 'h'},		{NULL, 0, NULL, 0},
	};
	int c, rc, i;

	for (i = 1; i < argc; i++) /* errors of this very parse already print as JSON */
		cli_json_mode |= !strcmp(argv[i], "--json") || !strcmp(argv[i], "-j");
	optind = 0; /* glibc: 0 resets getopt fully, so one command may parse after another */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "n:r:o:Tjvh", longopts, NULL)) != -1) {
		if (c == '?' || c == ':')
			return cli_usage_error("http-session",
					       "unknown option or missing value '%s'",
					       argv[optind - 1]);
		rc = parse_option(c, optarg, o);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return cli_usage_error("http-session", "unexpected argument '%s'", argv[optind]);
	if (!o->output[0])
		default_output(o->output, sizeof(o->output));
	return run_options_check_output("http-session", o->output);
}

/* set_defaults - `run`'s, with the http probe's: per-message connections, 1 x 1000 requests. */
static void set_defaults(struct http_opts *o)
{
	memset(o, 0, sizeof(*o));
	run_options_defaults(&o->cfg, &o->plan);
	o->cfg.probe = "http";
	o->cfg.connect = PROBE_CONNECT_PER_MESSAGE;
	o->plan.runs = 1;
	o->plan.iterations = 1000;
	o->trace = true;
}

/* note - "ringscope: @what @label@why" on stderr, not under --json. */
static void note(const char *what, const char *label, const char *why)
{
	if (!cli_json_mode)
		fprintf(stderr, "ringscope: %s %s%s\n", what, label, why);
}

/* place - where client and server of one configuration run. */
struct place {
	struct topology topo;		      /* netns: member 0 the client, member 1 the server */
	int home;			      /* this thread's own namespace while away; -1 */
	const struct topology_member *server; /* NULL: the server runs in this namespace */
	struct in_addr addr;		      /* where the server listens */
};

/*
 * place_enter - for @domains netns: two namespaces joined by veth, and this thread in the
 * client's (the measurement runs as member 0 where this thread is). 0 or -errno with @err set.
 */
static int place_enter(struct place *p, const struct http_opts *o, enum probe_domains domains,
		       char *err, size_t errlen)
{
	struct probe_config two = o->cfg;
	int rc;

	memset(p, 0, sizeof(*p));
	p->home = -1;
	p->addr.s_addr = htonl(INADDR_LOOPBACK);
	if (domains == PROBE_DOMAINS_SINGLE)
		return 0;
	two.hops = 2;
	two.domains = PROBE_DOMAINS_NETNS;
	rc = topology_create(&two, &p->topo, err, errlen);
	if (rc)
		return rc;
	p->home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (p->home < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to open this thread's network namespace: %s",
			 strerror(-rc));
		return rc;
	}
	rc = topology_enter(&p->topo.members[0], err, errlen);
	p->server = &p->topo.members[1];
	p->addr = p->server->listen_addr;
	return rc;
}

/* place_leave - back to this thread's namespace; remove the namespaces (idempotent). */
static void place_leave(struct place *p)
{
	if (p->home >= 0) {
		setns(p->home, CLONE_NEWNET);
		close(p->home);
		p->home = -1;
	}
	topology_destroy(&p->topo);
}

/* measure_server - the http probe against the running @l as probe @id; @l traced meanwhile. */
static int measure_server(struct recording *r, struct http_opts *o, const struct lighttpd *l,
			  enum probe_domains domains, uint32_t id, bool *interrupted, char *err,
			  size_t errlen)
{
	const struct measure_plan *plan = &o->plan;
	struct probe_config cfg = o->cfg;
	struct measure_result res;
	char url[64], addr[INET_ADDRSTRLEN];
	int rc;

	inet_ntop(AF_INET, &l->addr.sin_addr, addr, sizeof(addr));
	snprintf(url, sizeof(url), "http://%s:%u" LIGHTTPD_INDEX_PATH, addr,
		 ntohs(l->addr.sin_port));
	cfg.url = url;
	cfg.domains = domains;
	if (plan->on_setup)
		plan->on_setup(plan->arg, &l->pid, 1);
	memset(&res, 0, sizeof(res));
	rc = measure_probe(r->w, id, &cfg, plan, &r->cal, &res);
	if (rc)
		snprintf(err, errlen, "%s", res.err);
	*interrupted = res.interrupted;
	if (plan->on_teardown)
		plan->on_teardown(plan->arg, &l->pid, 1);
	return rc;
}

/*
 * measure_config - one configuration: its place, its lighttpd, the measurement, and everything
 * undone again (also after an error or a stop signal). 0 or -errno with @err set.
 */
static int measure_config(struct recording *r, struct http_opts *o, const struct http_config *hc,
			  uint32_t id, bool *interrupted, char *err, size_t errlen)
{
	struct lighttpd l = {0};
	struct place p;
	int rc;

	rc = place_enter(&p, o, hc->domains, err, errlen);
	if (!rc)
		rc = lighttpd_start(&l, p.server, p.addr, HTTP_SESSION_WAIT_MS,
				    &recording_stop_signal, err, errlen);
	if (!rc)
		rc = measure_server(r, o, &l, hc->domains, id, interrupted, err, errlen);
	lighttpd_stop(&l);
	place_leave(&p);
	if (rc && recording_stop_signal) { /* the signal caused it */
		*interrupted = true;
		rc = 0;
	}
	return rc;
}

/*
 * measure_all - both configurations in turn (a full file ends it); returns how many failed (the
 * first one's error).
 */
static int measure_all(struct recording *r, struct http_opts *o, char *first_err, size_t errlen,
		       bool *interrupted)
{
	char err[600];
	uint32_t id = 0;
	size_t i;
	int failed = 0, rc = 0;

	for (i = 0; i < HTTP_NCONFIGS && !*interrupted && !recording_full(rc); i++) {
		const struct http_config *hc = &http_configs[i];

		if (hc->domains == PROBE_DOMAINS_NETNS && geteuid() != 0) {
			note("skipping", hc->label, ": creating network namespaces needs root");
			continue;
		}
		note("measuring", hc->label, "...");
		err[0] = '\0';
		rc = measure_config(r, o, hc, id++, interrupted, err, sizeof(err));
		if (rc) {
			cli_error_text("'%s' failed: %s", hc->label, err);
			if (!failed++)
				snprintf(first_err, errlen, "%s: %s", hc->label, err);
		}
	}
	return failed;
}

/* analyze_file - the analysis of the file just written, as `ringscope analyze` prints it. */
static int analyze_file(const struct http_opts *o)
{
	char *argv[4] = {"analyze", (char *)o->output};
	int argc = 2;

	if (o->json)
		argv[argc++] = "--json";
	argv[argc] = NULL;
	return cmd_analyze(argc, argv);
}

int cmd_http_session(int argc, char **argv)
{
	struct http_opts o;
	struct recording r;
	char err[700] = "";
	bool interrupted = false, traced = false;
	int rc, failed;

	set_defaults(&o);
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	if (recording_open(&r, o.output, "http-session", argc, argv))
		return CLI_EXIT_ERROR;
	o.plan.stop = &recording_stop_signal;
	o.plan.progress = !o.json && cli_stderr_is_tty();
	if (o.trace)
		traced = recording_trace(&r, NULL, 0, &o.plan);
	failed = measure_all(&r, &o, err, sizeof(err), &interrupted);
	if (recording_close(&r, failed ? err : NULL, interrupted)) {
		if (o.json) /* stdout's one document; stderr has why and what to do */
			cli_error("failed to finalize '%s'", o.output);
		return CLI_EXIT_ERROR;
	}
	rc = analyze_file(&o);
	if (!o.json)
		printf("\n# trace: '%s' (%s): 'ringscope analyze %s --spikes 20' shows the spikes, "
		       "'ringscope export %s --format csv' every request.\n",
		       o.output, traced ? "traced" : "untraced", o.output, o.output);
	if (rc)
		return rc;
	return recording_exit_code(failed > 0, interrupted);
}
