// SPDX-License-Identifier: MIT
/* run_options - parse and validate the options of `ringscope run`; nothing is created here. */
#include "runner/run_options.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cli.h"
#include "runner/topology_file.h"

#define CPU_ONLINE_PATH "/sys/devices/system/cpu/online"
#define NS_PER_US	1000ULL
#define NS_PER_MS	1000000ULL

static const char usage_text[] =
    "usage: ringscope run --probe null|syscall|ring|http [options] -o FILE\n"
    "\n"
    "Runs one probe for runs x iterations and writes every timed iteration to a trace file.\n"
    "\n"
    "measurement:\n"
    "  -p, --probe NAME          null, syscall, ring or http (required)\n"
    "  -o, --output FILE         the trace file to write (required; replaced if it exists)\n"
    "  -r, --runs R              runs; the ring starts afresh for each (default 5)\n"
    "  -n, --iterations I        recorded iterations per run (default 10000)\n"
    "  -w, --warmup W            untimed iterations before each run's recorded ones (default 100)\n"
    "  -i, --interval-us U       pace iteration starts U apart, open loop: a start later than\n"
    "                            intended is flagged late (default 0: back to back);\n"
    "                            a bare number is in us, or give a unit: ns, us, ms, s\n"
    "  -c, --cpus LIST           pin member i to LIST[i mod len], e.g. 0 or 0,1 or 0-3;\n"
    "                            the master and the null/syscall probes run on LIST[0]\n"
    "  -t, --trace               record kernel events with eBPF into the same file (root)\n"
    "  -D, --trace-detail MODE   lean (default: no per-packet events, the rest in full) or\n"
    "                            full (every kernel event recorded; costs more); implies -t\n"
    "\n"
    "syscall probe:\n"
    "  -T, --text STR            the line one puts writes (default \"ringscope syscall probe\")\n"
    "  -s, --sink PATH           where the stream writes (default /dev/null)\n"
    "  -b, --stdio-buffer BYTES  stdio buffer size; K, M suffixes are powers of 1024\n"
    "                            (default 0: stdio's own size)\n"
    "\n"
    "http probe (also takes --connect, default per-message, and --timeout-ms):\n"
    "  -u, --url URL             GET http://HOST:PORT/PATH, HOST an IPv4 address or localhost\n"
    "\n"
    "ring probe:\n"
    "  -H, --hops N              TCP connections a message crosses per round trip, 1..16\n"
    "                            (default 2: master -> forwarder -> master)\n"
    "  -m, --msg-size BYTES      message size, 4..1448: one TCP segment at most (default 4)\n"
    "  -C, --connect MODE        persistent (default) or per-message connections\n"
    "  -I, --io MODE             uring (default), sqpoll, busypoll or blocking\n"
    "      --reply MODE          next-connection (default: each member sends on its own\n"
    "                            connection to the next) or same-connection (--hops 2: the\n"
    "                            forwarder answers on the master's connection, a TCP\n"
    "                            ping-pong)\n"
    "  -d, --domains MODE        single (default: one network namespace, loopback) or netns\n"
    "                            (a namespace per member joined by veth pairs; root)\n"
    "  -k, --keep-ring           keep the ring (and its namespaces) up between runs\n"
    "  -F, --topology FILE       the ring's members from FILE: role, address, port, CPU,\n"
    "                            namespace, launch prefix (docs/topology.md); sets --hops\n"
    "  -W, --timeout-ms MS       a round trip longer than this loses its message (the ring\n"
    "                            is rebuilt); a bare number is in ms, or give a unit\n"
    "                            (default 1000)\n"
    "  -R, --max-restarts N      restarts of a member that dies (or of a stalled ring) per\n"
    "                            run, after 10, 100, 1000 ms; then the run ends with an\n"
    "                            error naming it (default 3; 0: the first death ends it)\n"
    "\n"
    "output:\n"
    "  -j, --json                print the final summary as JSON on stdout\n"
    "  -v, --verbose             say more on stderr\n"
    "  -h, --help                this help\n"
    "\n"
    "Exit status: 0 done, 1 error (the file is finalized with the error), 2 bad usage (nothing\n"
    "created), 130/143 interrupted by SIGINT/SIGTERM (the file is finalized).\n";

static const struct option long_options[] = {
    {"probe", required_argument, NULL, 'p'},
    {"output", required_argument, NULL, 'o'},
    {"runs", required_argument, NULL, 'r'},
    {"iterations", required_argument, NULL, 'n'},
    {"warmup", required_argument, NULL, 'w'},
    {"interval-us", required_argument, NULL, 'i'},
    {"cpus", required_argument, NULL, 'c'},
    {"trace", no_argument, NULL, 't'},
    {"trace-detail", required_argument, NULL, 'D'},
    {"text", required_argument, NULL, 'T'},
    {"sink", required_argument, NULL, 's'},
    {"stdio-buffer", required_argument, NULL, 'b'},
    {"url", required_argument, NULL, 'u'},
    {"hops", required_argument, NULL, 'H'},
    {"msg-size", required_argument, NULL, 'm'},
    {"connect", required_argument, NULL, 'C'},
    {"io", required_argument, NULL, 'I'},
    {"reply", required_argument, NULL, 'Y'}, /* long only */
    {"domains", required_argument, NULL, 'd'},
    {"keep-ring", no_argument, NULL, 'k'},
    {"timeout-ms", required_argument, NULL, 'W'},
    {"max-restarts", required_argument, NULL, 'R'},
    {"topology", required_argument, NULL, 'F'},
    {"json", no_argument, NULL, 'j'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};
static const char short_options[] = "p:o:r:n:w:i:c:tD:T:s:b:u:H:m:C:I:d:kW:R:F:jvh";

static const char *const io_names[] = {"uring", "sqpoll", "busypoll", "blocking", NULL};
static const char *const connect_names[] = {"persistent", "per-message", NULL};
static const char *const reply_names[] = {"next-connection", "same-connection", NULL};
static const char *const domain_names[] = {"single", "netns", NULL};

/* option_name - "--runs" for the option whose short form is @c, for error messages. */
static const char *option_name(int c)
{
	static char buf[32];
	const struct option *o;

	for (o = long_options; o->name; o++)
		if (o->val == c)
			break;
	snprintf(buf, sizeof(buf), "--%s", o->name ? o->name : "?");
	return buf;
}

/* format_limit - @v in the unit a user of the option thinks in: bytes, a count, or a time. */
static void format_limit(uint64_t v, enum cli_units units, char *buf, size_t len)
{
	if (units != CLI_UNITS_TIME_NS)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else if (v && v % 1000000000ULL == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(v / 1000000000ULL));
	else if (v && v % NS_PER_MS == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(v / NS_PER_MS));
	else if (v && v % NS_PER_US == 0)
		snprintf(buf, len, "%lluus", (unsigned long long)(v / NS_PER_US));
	else
		snprintf(buf, len, "%lluns", (unsigned long long)v);
}

/* parse_number - a strict number for option @c within [min, max] (after units). */
static int parse_number(int c, const char *arg, enum cli_units units, uint64_t bare, uint64_t min,
			uint64_t max, uint64_t *out)
{
	int rc = cli_parse_u64(arg, units, bare, min, max, out);
	char lo[32], hi[32];

	if (rc == -ERANGE) {
		format_limit(min, units, lo, sizeof(lo));
		format_limit(max, units, hi, sizeof(hi));
		return cli_usage_error("run", "%s '%s' is out of range: %s..%s", option_name(c),
				       arg, lo, hi);
	}
	if (rc)
		return cli_usage_error("run", "%s '%s' is not a %s", option_name(c), arg,
				       units == CLI_UNITS_NONE	 ? "whole number"
				       : units == CLI_UNITS_SIZE ? "size (bytes, or K, M, G)"
								 : "time (ns, us, ms or s)");
	return 0;
}

/* parse_name - the index of @arg in @names, for option @c; the error lists the valid names. */
static int parse_name(int c, const char *arg, const char *const *names, int *out)
{
	char list[128] = "";
	int i;

	for (i = 0; names[i]; i++) {
		if (!strcmp(arg, names[i])) {
			*out = i;
			return 0;
		}
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
			 names[i]);
	}
	return cli_usage_error("run", "%s '%s' is not one of: %s", option_name(c), arg, list);
}

int run_cpus_online(const int *cpus, int n, int *bad)
{
	static int online[4096];
	char line[1024];
	int nonline, i, j;
	FILE *f;

	f = fopen(CPU_ONLINE_PATH, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	line[strcspn(line, "\n")] = '\0';
	nonline = cli_parse_cpu_list(line, online, 4096);
	if (nonline < 0)
		return nonline;
	for (i = 0; i < n; i++) {
		for (j = 0; j < nonline && online[j] != cpus[i]; j++)
			;
		if (j == nonline) {
			*bad = cpus[i];
			return -ENODEV;
		}
	}
	return 0;
}

int run_options_parse_cpus(const char *cmd, const char *arg, struct probe_config *cfg)
{
	int max = (int)(sizeof(cfg->cpus) / sizeof(cfg->cpus[0])), n, bad = -1, rc;

	n = cli_parse_cpu_list(arg, cfg->cpus, max);
	if (n == -E2BIG)
		return cli_usage_error(cmd, "--cpus '%s' lists more than %d CPUs", arg, max);
	if (n < 0)
		return cli_usage_error(cmd, "--cpus '%s' is not a CPU list like 0,2 or 0-3", arg);
	rc = run_cpus_online(cfg->cpus, n, &bad);
	if (rc == -ENODEV)
		return cli_usage_error(cmd,
				       "--cpus: CPU %d is not online (%s lists the online ones)",
				       bad, CPU_ONLINE_PATH);
	if (rc)
		return cli_usage_error(cmd, "--cpus: failed to read '%s': %s", CPU_ONLINE_PATH,
				       strerror(-rc));
	cfg->ncpus = n;
	return 0;
}

/* parse_msg_size - --msg-size: refused past one TCP segment, with the limit in the message. */
static int parse_msg_size(const char *arg, struct probe_config *cfg)
{
	uint64_t v;
	int rc = cli_parse_u64(arg, CLI_UNITS_SIZE, 1, 0, UINT64_MAX, &v);

	if (rc)
		return parse_number('m', arg, CLI_UNITS_SIZE, 1, 0, UINT64_MAX, &v);
	if (v < RUN_MIN_MSG_SIZE)
		return cli_usage_error("run",
				       "--msg-size %s is too small: a message carries at least "
				       "a %d-byte sequence number",
				       arg, RUN_MIN_MSG_SIZE);
	if (v > RUN_MAX_MSG_SIZE)
		return cli_usage_error(
		    "run",
		    "--msg-size %s is more than one TCP segment: at most %d bytes "
		    "fit the loopback and veth MSS",
		    arg, RUN_MAX_MSG_SIZE);
	cfg->msg_size = (unsigned int)v;
	return 0;
}

/* parse_ring_option - the ring probe's options; 1 if @c is not one of them. */
static int parse_ring_option(int c, const char *arg, struct run_options *o)
{
	struct probe_config *cfg = &o->cfg;
	uint64_t v = 0;
	int rc = 0, i = 0;

	switch (c) {
	case 'H':
		rc = parse_number(c, arg, CLI_UNITS_NONE, 1, 1, RUN_MAX_HOPS, &v);
		cfg->hops = (unsigned int)v;
		return rc;
	case 'm':
		return parse_msg_size(arg, cfg);
	case 'C':
		rc = parse_name(c, arg, connect_names, &i);
		cfg->connect = (enum probe_connect)i;
		return rc;
	case 'I':
		rc = parse_name(c, arg, io_names, &i);
		cfg->io = (enum probe_io)i;
		return rc;
	case 'Y':
		rc = parse_name(c, arg, reply_names, &i);
		cfg->reply = (enum probe_reply)i;
		return rc;
	case 'd':
		rc = parse_name(c, arg, domain_names, &i);
		cfg->domains = (enum probe_domains)i;
		return rc;
	case 'W':
		rc = parse_number(c, arg, CLI_UNITS_TIME_NS, NS_PER_MS, NS_PER_MS,
				  3600 * 1000 * NS_PER_MS, &v);
		cfg->timeout_ms = (unsigned int)(v / NS_PER_MS);
		return rc;
	case 'k':
		o->plan.keep_ring = true;
		return 0;
	case 'F':
		o->topology_path = arg;
		return 0;
	case 'R':
		rc = parse_number(c, arg, CLI_UNITS_NONE, 1, 0, 100, &v);
		cfg->max_restarts = (unsigned int)v;
		return rc;
	}
	return 1;
}

/* parse_plan_option - runs, iterations, warm-up and pacing; 1 if @c is not one of them. */
static int parse_plan_option(int c, const char *arg, struct run_options *o)
{
	uint64_t v = 0;
	int rc;

	switch (c) {
	case 'r':
		rc = parse_number(c, arg, CLI_UNITS_NONE, 1, 1, 1000000, &v);
		o->plan.runs = (unsigned int)v;
		return rc;
	case 'n':
		rc = parse_number(c, arg, CLI_UNITS_NONE, 1, 1, 1000000000, &v);
		o->plan.iterations = (unsigned int)v;
		return rc;
	case 'w':
		rc = parse_number(c, arg, CLI_UNITS_NONE, 1, 0, 1000000000, &v);
		o->plan.warmup = (unsigned int)v;
		return rc;
	case 'i':
		return parse_number(c, arg, CLI_UNITS_TIME_NS, NS_PER_US, 0, 10 * 1000 * NS_PER_MS,
				    &o->plan.interval_ns);
	}
	return 1;
}

/* parse_option - one option of `run` (getopt's @c); CLI_EXIT_USAGE after an error line. */
static int parse_option(int c, const char *arg, struct run_options *o)
{
	uint64_t v = 0;
	int rc;

	rc = parse_plan_option(c, arg, o);
	if (rc != 1)
		return rc;
	rc = parse_ring_option(c, arg, o);
	if (rc != 1)
		return rc;
	switch (c) {
	case 'p':
		o->cfg.probe = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case 'c':
		return run_options_parse_cpus("run", arg, &o->cfg);
	case 't':
		o->trace = true;
		return 0;
	case 'D':
		if (strcmp(arg, "lean") && strcmp(arg, "full"))
			return cli_usage_error("run", "--trace-detail '%s' is not lean or full",
					       arg);
		o->trace = true;
		o->plan.trace_full = !strcmp(arg, "full");
		return 0;
	case 'T':
		o->cfg.text = arg;
		return 0;
	case 's':
		o->cfg.sink = arg;
		return 0;
	case 'u':
		o->cfg.url = arg;
		return 0;
	case 'b':
		rc = parse_number(c, arg, CLI_UNITS_SIZE, 1, 0, 1ULL << 30, &v);
		o->cfg.stdio_buffer = (size_t)v;
		return rc;
	case 'j':
		o->json = cli_json_mode = true;
		return 0;
	case 'v':
		cli_verbose_mode = true;
		return 0;
	case 'h':
		o->help = true;
		return 0;
	}
	return cli_usage_error("run", "unknown option");
}

void run_options_defaults(struct probe_config *cfg, struct measure_plan *plan)
{
	memset(cfg, 0, sizeof(*cfg));
	memset(plan, 0, sizeof(*plan));
	plan->runs = 5;
	plan->iterations = 10000;
	plan->warmup = 100;
	cfg->text = "ringscope syscall probe";
	cfg->sink = "/dev/null";
	cfg->hops = 2;
	cfg->msg_size = RUN_MIN_MSG_SIZE;
	cfg->timeout_ms = 1000;
	cfg->max_restarts = 3;
}

/* set_defaults - the documented defaults of every option. */
static void set_defaults(struct run_options *o)
{
	memset(o, 0, sizeof(*o));
	run_options_defaults(&o->cfg, &o->plan);
}

int run_options_check_output(const char *cmd, const char *path)
{
	char *copy, *dir;
	struct stat sb;
	int rc = 0;

	if (!path || !*path)
		return cli_usage_error(cmd, "no output file: give one with -o FILE");
	if (!stat(path, &sb) && S_ISDIR(sb.st_mode))
		return cli_usage_error(cmd, "output '%s' is a folder: give a file name", path);
	copy = strdup(path);
	if (!copy)
		return CLI_EXIT_ERROR;
	dir = dirname(copy);
	if (stat(dir, &sb) || !S_ISDIR(sb.st_mode))
		rc = cli_usage_error(cmd, "the folder of output '%s' does not exist", path);
	else if (access(dir, W_OK))
		rc =
		    cli_usage_error(cmd, "the folder '%s' is not writable: choose another -o", dir);
	free(copy);
	return rc;
}

/* validate - what needs the whole command line: probe, its own check, output, privileges. */
static int validate(struct run_options *o)
{
	const struct probe_ops *ops;
	char err[256] = "";

	if (!o->cfg.probe)
		return cli_usage_error("run", "no probe: give --probe %s", probe_names());
	ops = probe_find(o->cfg.probe);
	if (!ops)
		return cli_usage_error("run", "unknown probe '%s' (probes: %s)", o->cfg.probe,
				       probe_names());
	if (o->topology_path) {
		if (strcmp(o->cfg.probe, "ring"))
			return cli_usage_error("run", "--topology is for the ring probe, not '%s'",
					       o->cfg.probe);
		if (topology_file_load(o->topology_path, &o->topology, err, sizeof(err)))
			return cli_usage_error("run", "%s", err);
		o->cfg.hops = o->topology.nmembers;
		o->cfg.topology = &o->topology;
	}
	if (ops->validate(&o->cfg, err, sizeof(err)))
		return cli_usage_error("run", "%s", err[0] ? err : "invalid probe configuration");
	if (o->cfg.domains == PROBE_DOMAINS_NETNS && geteuid() != 0)
		return cli_usage_error("run", "--domains netns creates network namespaces: run as "
					      "root");
	return run_options_check_output("run", o->output);
}

int run_options_parse(int argc, char **argv, struct run_options *o)
{
	bool connect_given = false;
	int c, rc, i;

	set_defaults(o);
	for (i = 1; i < argc; i++) /* errors of this very parse already print as JSON */
		cli_json_mode |= !strcmp(argv[i], "--json") || !strcmp(argv[i], "-j");
	optind = 0; /* glibc: 0 resets getopt fully, so one command may parse after another */
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (c == '?')
			return cli_usage_error("run", "unknown option or missing value '%s'",
					       argv[optind - 1]);
		rc = parse_option(c, optarg, o);
		if (rc)
			return rc;
		connect_given |= c == 'C';
	}
	/* the http probe's default is the paper's: a connection per request */
	if (!connect_given && o->cfg.probe && !strcmp(o->cfg.probe, "http"))
		o->cfg.connect = PROBE_CONNECT_PER_MESSAGE;
	if (o->help) {
		fputs(usage_text, stdout);
		return CLI_EXIT_OK;
	}
	if (optind < argc)
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	return validate(o);
}
