// SPDX-License-Identifier: MIT
/*
 * cmd_forwarder - `ringscope forwarder`: one ring member launched by `run --topology` through a
 * member's launch prefix (`ip netns exec NS`, `ssh HOST`). Its stdin and stdout are the control
 * channel to the supervisor; it exits when that channel ends. Not meant to be run by hand.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/cli_args.h"
#include "probes/registry.h"
#include "probes/ring.h"
#include "probes/ring_member.h"
#include "runner/commands.h"

struct forwarder_opts {
	struct topology_member m;
	const char *listen, *next; /* ADDR:PORT, ADDR */
};

static const struct cli_opt member_rows[] = {
    {.name = "index",
     .arg = "I",
     .help = "the member's position in the ring (1: after the master)",
     .kind = CLI_OPT_COUNT,
     .min = 1,
     .max = PROBE_MAX_MEMBERS - 1,
     CLI_FIELD(struct forwarder_opts, m.index)},
    {.name = "listen",
     .arg = "ADDR:PORT",
     .help = "where it accepts the previous member's connection (port 0: any)",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct forwarder_opts, listen)},
    {.name = "next",
     .arg = "ADDR",
     .help = "where the next member listens",
     .kind = CLI_OPT_STRING,
     CLI_FIELD(struct forwarder_opts, next)},
    {.name = "cpu",
     .arg = "C",
     .help = "the CPU it runs on (default: not pinned)",
     .kind = CLI_OPT_COUNT,
     .max = 4095,
     CLI_FIELD(struct forwarder_opts, m.cpu)},
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group forwarder_groups[] = {
    {.title = "member", .opts = member_rows},
    {.title = "ring",
     .about = "as the master runs it",
     .opts = ring_options,
     .target = PROBE_OPTIONS_TARGET},
    {0},
};

/* parse_listen - "ADDR:PORT" into @m. 0 or -1. */
static int parse_listen(const char *arg, struct topology_member *m)
{
	const char *colon = strrchr(arg, ':');
	char addr[INET_ADDRSTRLEN];
	uint64_t port;

	if (!colon || colon - arg >= (long)sizeof(addr) ||
	    cli_parse_u64(colon + 1, CLI_UNITS_NONE, 1, 0, 65535, &port))
		return -1;
	snprintf(addr, sizeof(addr), "%.*s", (int)(colon - arg), arg);
	m->port = (uint16_t)port;
	return inet_pton(AF_INET, addr, &m->listen_addr) == 1 ? 0 : -1;
}

/* forwarder_main - the member's place from its options, then its life (never returns). */
static int forwarder_main(int argc, char **argv)
{
	struct forwarder_opts o = {.m.cpu = -1};
	struct probe_config cfg = {.probe = "ring"};
	struct cli_args a;
	int rc;

	rc = cli_parse(&forwarder_command, argc, argv, (void *[]){&o, &cfg}, &a);
	if (rc || a.help)
		return rc;
	if (!o.m.index || !o.listen || !o.next)
		return cli_usage_error("forwarder", "--index, --listen and --next are required");
	if (parse_listen(o.listen, &o.m))
		return cli_usage_error("forwarder", "--listen '%s' is not ADDR:PORT", o.listen);
	if (inet_pton(AF_INET, o.next, &o.m.next_addr) != 1)
		return cli_usage_error("forwarder", "--next '%s' is not an IPv4 address", o.next);
	ring_forwarder_main(&o.m, &cfg, STDIN_FILENO, STDOUT_FILENO, true);
}

const struct cli_command forwarder_command = {
    .name = "forwarder",
    .summary = "a ring member launched by 'run --topology' (internal)",
    .synopsis = "--index I --listen ADDR:PORT --next ADDR [--cpu C] [ring options]",
    .description = "One member of a ring, launched by 'ringscope run --topology FILE' for a "
		   "member with a launch prefix; stdin and stdout are its control channel "
		   "(docs/topology.md).",
    .groups = forwarder_groups,
    .main = forwarder_main,
};
