// SPDX-License-Identifier: MIT
/*
 * cmd_forwarder - `ringscope forwarder`: one ring member launched by `run --topology` through a
 * member's launch prefix (`ip netns exec NS`, `ssh HOST`). Its stdin and stdout are the control
 * channel to the supervisor; it exits when that channel ends. Not meant to be run by hand.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "probes/ring_member.h"
#include "lib/cli.h"
#include "runner/commands.h"

static const char forwarder_usage[] =
    "usage: ringscope forwarder --index I --listen ADDR:PORT --next ADDR --hops N --msg-size B\n"
    "                           --io MODE --connect MODE [--reply MODE] [--cpu C]\n"
    "\n"
    "One member of a ring, launched by 'ringscope run --topology FILE' for a member with a\n"
    "launch prefix; stdin and stdout are its control channel (docs/topology.md).\n";

static const struct option forwarder_options[] = {
    {"index", required_argument, NULL, 'x'},
    {"listen", required_argument, NULL, 'l'},
    {"next", required_argument, NULL, 'n'},
    {"hops", required_argument, NULL, 'H'},
    {"msg-size", required_argument, NULL, 'm'},
    {"io", required_argument, NULL, 'I'},
    {"connect", required_argument, NULL, 'C'},
    {"cpu", required_argument, NULL, 'c'},
    {"reply", required_argument, NULL, 'y'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* name_index - the position of @arg in @names, or -1. */
static int name_index(const char *arg, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!strcmp(arg, names[i]))
			return i;
	return -1;
}

/* parse_listen - "ADDR:PORT" into @m. 0 or -1. */
static int parse_listen(char *arg, struct topology_member *m)
{
	char *colon = strrchr(arg, ':');

	if (!colon)
		return -1;
	*colon = '\0';
	m->port = (uint16_t)atoi(colon + 1);
	return inet_pton(AF_INET, arg, &m->listen_addr) == 1 ? 0 : -1;
}

/* parse_one - one option into @m and @cfg; 0 or -1 when its value is wrong. */
static int parse_one(int c, char *arg, struct topology_member *m, struct probe_config *cfg)
{
	static const char *const io[] = {"uring", "sqpoll", "busypoll", "blocking"};
	static const char *const connect[] = {"persistent", "per-message"};
	static const char *const reply[] = {"next-connection", "same-connection"};
	int i;

	switch (c) {
	case 'x':
		m->index = (unsigned int)atoi(arg);
		return m->index ? 0 : -1;
	case 'l':
		return parse_listen(arg, m);
	case 'n':
		return inet_pton(AF_INET, arg, &m->next_addr) == 1 ? 0 : -1;
	case 'H':
		cfg->hops = (unsigned int)atoi(arg);
		return 0;
	case 'm':
		cfg->msg_size = (unsigned int)atoi(arg);
		return 0;
	case 'I':
		i = name_index(arg, io, 4);
		cfg->io = (enum probe_io)i;
		return i < 0 ? -1 : 0;
	case 'C':
		i = name_index(arg, connect, 2);
		cfg->connect = (enum probe_connect)i;
		return i < 0 ? -1 : 0;
	case 'c':
		m->cpu = atoi(arg);
		return 0;
	case 'y':
		i = name_index(arg, reply, 2);
		cfg->reply = (enum probe_reply)i;
		return i < 0 ? -1 : 0;
	}
	return -1;
}

int cmd_forwarder(int argc, char **argv)
{
	struct topology_member m = {.cpu = -1};
	struct probe_config cfg = {.probe = "ring"};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", forwarder_options, NULL)) != -1) {
		if (c == 'h') {
			fputs(forwarder_usage, stdout);
			return CLI_EXIT_OK;
		}
		if (c == '?' || parse_one(c, optarg, &m, &cfg))
			return cli_usage_error("forwarder", "bad option or value '%s'",
					       argv[optind - 1]);
	}
	if (!m.index || !cfg.hops || cfg.msg_size < 4 || cfg.msg_size > 1448 ||
	    !m.listen_addr.s_addr || !m.next_addr.s_addr)
		return cli_usage_error("forwarder", "--index, --listen, --next, --hops and "
						    "--msg-size are required");
	ring_forwarder_main(&m, &cfg, STDIN_FILENO, STDOUT_FILENO, true);
}
