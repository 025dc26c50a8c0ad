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
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "probes/http.h"
#include "runner/commands.h"
#include "runner/lighttpd.h"
#include "runner/recording.h"
#include "runner/run_options.h"
#include "runner/session.h"
#include "runner/topology.h"

#define HTTP_SESSION_WAIT_MS 5000 /* for lighttpd to accept connections */

/* place - where client and server of one configuration run. */
struct place {
	struct topology topo;		      /* netns: member 0 the client, member 1 the server */
	int home;			      /* this thread's own namespace while away; -1 */
	const struct topology_member *server; /* NULL: the server runs in this namespace */
	struct in_addr addr;		      /* where the server listens */
};

/*
 * place_enter - for @cfg in netns domains: two namespaces joined by veth, and this thread in the
 * client's (the measurement runs as member 0 where this thread is). In single domain as root:
 * one private namespace for both (its own loopback), so that no other user of the machine can
 * reach the root-run lighttpd; without root, this thread's namespace. 0 or -errno, @err set.
 */
static int place_enter(struct place *p, const struct probe_config *cfg, char *err, size_t errlen)
{
	struct probe_config two = *cfg;
	int rc;

	memset(p, 0, sizeof(*p));
	p->home = -1;
	p->addr.s_addr = htonl(INADDR_LOOPBACK);
	if (cfg->domains == PROBE_DOMAINS_SINGLE && geteuid() != 0)
		return 0;
	two.members = cfg->domains == PROBE_DOMAINS_SINGLE ? 1 : 2;
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
	if (two.members == 1) /* the server forks from this thread: in its namespace */
		return rc;
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

/* measure_server - the http probe against the running @l; @l is traced meanwhile. */
static int measure_server(struct session_run *run, struct probe_config *cfg,
			  const struct lighttpd *l)
{
	const struct measure_plan *plan = run->plan;
	char url[64], addr[INET_ADDRSTRLEN];
	int rc;

	inet_ntop(AF_INET, &l->addr.sin_addr, addr, sizeof(addr));
	snprintf(url, sizeof(url), "http://%s:%u" LIGHTTPD_INDEX_PATH, addr,
		 ntohs(l->addr.sin_port));
	http_settings_of(cfg)->url = url;
	if (plan->on_setup)
		plan->on_setup(plan->arg, &l->pid, 1);
	rc = session_measure(run, cfg);
	if (plan->on_teardown)
		plan->on_teardown(plan->arg, &l->pid, 1);
	return rc;
}

/*
 * around_lighttpd - a plan's place and its lighttpd, the measurement, and everything undone
 * again (also after an error or a stop signal). 0 or -errno with run->err set.
 */
static int around_lighttpd(struct session_run *run, struct probe_config *cfg)
{
	struct lighttpd l = {0};
	struct place p;
	int rc;

	rc = place_enter(&p, cfg, run->err, sizeof(run->err));
	if (!rc)
		rc = lighttpd_start(&l, p.server, p.addr, HTTP_SESSION_WAIT_MS,
				    &recording_stop_signal, run->err, sizeof(run->err));
	if (!rc)
		rc = measure_server(run, cfg, &l);
	lighttpd_stop(&l);
	place_leave(&p);
	return rc;
}

static const struct session_plan http_plans[] = {
    {"http, client and server in one namespace (loopback)", "http", 0, PROBE_DOMAINS_SINGLE,
     around_lighttpd},
    {"http, server in its own namespace over veth (a second host)", "http", 0, PROBE_DOMAINS_NETNS,
     around_lighttpd},
};

static const struct session_spec http_spec = {
    .cmd = &http_session_command,
    .file_stem = "ringscope-http",
    .plans = http_plans,
    .nplans = sizeof(http_plans) / sizeof(http_plans[0]),
    .failed_prefix = "",
    .spikes_hint = "shows the spikes",
    .unit = "request",
};

static const struct cli_opt http_rows[] = {
    RUN_ROW_ITERATIONS("iterations", 'n', struct session_opts, plan.iterations, "1000",
		       "timed requests per run"),
    RUN_ROW_ITERATIONS("requests", 0, struct session_opts, plan.iterations, NULL,
		       "the same as --iterations"),
    RUN_ROW_RUNS(struct session_opts, plan.runs, "1", "runs per configuration"),
    RUN_ROW_WARMUP(struct session_opts, plan.warmup),
    {.name = "output",
     .letter = 'o',
     .arg = "FILE",
     .help = "the trace file (default ringscope-http-HOST-DATE-XXXXXX.rst here, the X's "
	     "random)",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct session_opts, output)},
    RUN_ROW_NO_TRACE(struct session_opts, no_trace),
    RUN_ROW_UNTRACED_RUNS(struct session_opts, plan.untraced_runs),
    RUN_ROW_TRACE_MARKER(struct session_opts, trace_marker),
    CLI_ROW_JSON("print the analysis as JSON (errors as {\"error\": ...})"),
    CLI_ROW_VERBOSE("say what is traced and skipped, and libbpf's messages"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group http_groups[] = {
    {.title = "options", .opts = http_rows},
    {0},
};

/* http_session_main - the driver with this command's plans. */
static int http_session_main(int argc, char **argv)
{
	return session_main(&http_spec, argc, argv);
}

const struct cli_command http_session_command = {
    .name = "http-session",
    .summary = "HTTP GETs to a private lighttpd, local and over veth",
    .synopsis = "[options]",
    .description =
	"The paper's application test: HTTP/1.1 GETs through io_uring, a new connection per "
	"request, to a private lighttpd serving a 44-byte index.html; first with client and "
	"server in one network namespace (127.0.0.1; as root a private one, which no other user "
	"of the machine can reach), then with the server in its own namespace joined by veth (an "
	"emulated second host, 198.18.0.2). One trace file, traced with eBPF "
	"as root; then the analysis of both configurations.",
    .groups = http_groups,
    .epilogue = "lighttpd (Debian package lighttpd; RINGSCOPE_LIGHTTPD names another binary) "
		"runs with its own configuration in a temporary folder, removed at the end; "
		"when it fails to start, the error names its log, kept until the next run, "
		"session or http-session starts. Without root the namespace configuration is "
		"skipped.\n\n"
		"Exit status: 0 ok, 1 a configuration failed (the other still ran), 2 bad usage, "
		"128+N stopped by signal N (the file is finalized).",
    .main = http_session_main,
};
