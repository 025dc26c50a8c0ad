// SPDX-License-Identifier: MIT
/*
 * ring_ops - the ring probe as the registry sees it (probe_ring): its option rows, their
 * validation and its config JSON here; its run in ring.c, its account in ring_account.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "probes/placement.h"
#include "probes/ring.h"
#include "probes/ring_msg.h"

const struct cli_opt ring_options[] = {
    {.name = "hops",
     .letter = 'H',
     .arg = "N",
     .help = "TCP connections a message crosses per round trip (2: master -> forwarder -> "
	     "master)",
     .def = "2",
     .kind = CLI_OPT_COUNT,
     .min = 1,
     .max = PROBE_MAX_MEMBERS,
     CLI_FIELD(struct probe_config, members)},
    {.name = "msg-size",
     .letter = 'm',
     .arg = "BYTES",
     .help = "the message's size: a 4-byte sequence number at least, one TCP segment at most",
     .def = "4",
     .kind = CLI_OPT_SIZE,
     .min = RING_MSG_MIN,
     .max = RING_MSG_MAX,
     .below = "is too small: a message carries at least a 4-byte sequence number",
     .above = "is more than one TCP segment: at most 1448 bytes fit the loopback and veth MSS",
     PROBE_SETTING(struct ring_settings, msg_size)},
    PROBE_ROW_CONNECT(struct ring_settings, "persistent",
		      "one connection per hop for the whole run, or a new one per message"),
    {.name = "io",
     .letter = 'I',
     .arg = "MODE",
     .help = "how members send and receive: io_uring, io_uring with a polling kernel thread, "
	     "busy-polling or blocking sockets (docs/cli/ring.md)",
     .def = "uring",
     .kind = CLI_OPT_ENUM,
     .names = probe_io_names,
     PROBE_SETTING(struct ring_settings, io)},
    {.name = "reply",
     .arg = "MODE",
     .help = "each member sends on its own connection to the next, or (--hops 2) the forwarder "
	     "answers on the master's connection: a TCP ping-pong",
     .def = "next-connection",
     .kind = CLI_OPT_ENUM,
     .names = probe_reply_names,
     PROBE_SETTING(struct ring_settings, reply)},
    {.name = "domains",
     .letter = 'd',
     .arg = "MODE",
     .help = "all members in one network namespace over loopback, or a namespace per member "
	     "joined by veth pairs (root)",
     .def = "single",
     .kind = CLI_OPT_ENUM,
     .names = probe_domains_names,
     CLI_FIELD(struct probe_config, domains)},
    PROBE_ROW_TIMEOUT_MS(struct ring_settings,
			 "a round trip longer than this loses its message and the ring is "
			 "rebuilt; a bare number is in ms, or give a unit"),
    {.name = "max-restarts",
     .letter = 'R',
     .arg = "N",
     .help = "restarts of a member that dies (or of a stalled ring) per run, after 10, 100, "
	     "1000 ms; then the run ends with an error naming it (0: the first death ends it)",
     .def = "3",
     .kind = CLI_OPT_COUNT,
     .max = 100,
     PROBE_SETTING(struct ring_settings, max_restarts)},
    {0},
};

/* planned_layout - the members' CPUs as the runner will lay them out (or the topology file). */
static void planned_layout(const struct probe_config *cfg, struct topology *t)
{
	unsigned int i;

	if (cfg->topology) {
		*t = *cfg->topology;
	} else {
		memset(t, 0, sizeof(*t));
		t->nmembers = cfg->members;
		for (i = 0; i < t->nmembers; i++)
			t->members[i].cpu = placement_member_cpu(&cfg->cpus, i);
	}
	placement_mark_shared(t);
}

/*
 * sqpoll_shared - --io sqpoll with two members on one CPU: each member's SQPOLL thread spins on
 * its member's CPU for sq_thread_idle after a submission, so the two take the CPU from each other
 * for a time slice per hop and the figure is the scheduler's slice, not the ring (p50 8 ms where
 * two CPUs give 10 us). Refused, with the fix.
 */
static int sqpoll_shared(const struct probe_config *cfg, char *err, size_t errlen)
{
	struct topology t;
	int m;

	planned_layout(cfg, &t);
	m = placement_first_shared(&t);
	if (m < 0)
		return 0;
	if (t.members[m].cpu >= 0)
		snprintf(err, errlen,
			 "--io sqpoll with two members on CPU %d: their polling threads take it "
			 "from each other for a time slice per hop (ms, not us); give each member "
			 "its own CPU with --cpus, or use --io uring",
			 t.members[m].cpu);
	else
		snprintf(
		    err, errlen,
		    "--io sqpoll with %u members and fewer CPUs: their polling threads take "
		    "the CPUs from each other for a time slice per hop (ms, not us); use fewer "
		    "--hops, or --io uring",
		    t.nmembers);
	return -EINVAL;
}

/*
 * ring_validate - what no single option can check: a ping-pong needs exactly two members, and
 * SQPOLL needs a CPU per member.
 */
static int ring_validate(const struct probe_config *cfg, char *err, size_t errlen)
{
	if (ring_settings_of(cfg)->reply == PROBE_REPLY_SAME && cfg->members != 2) {
		snprintf(err, errlen,
			 "--reply same-connection needs --hops 2%s, not %u: only a forwarder that "
			 "answers the master has the master's connection to answer on",
			 cfg->topology ? " (a topology file of 2 members)" : "", cfg->members);
		return -EINVAL;
	}
	if (ring_settings_of(cfg)->io == PROBE_IO_SQPOLL)
		return sqpoll_shared(cfg, err, errlen);
	return 0;
}

/* topology_json - the members of a topology file, as the file gave them. */
static struct json_object *topology_json(const struct topology *t)
{
	struct json_object *a = json_object_new_array(), *m;
	char addr[INET_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < t->nmembers; i++) {
		m = json_object_new_object();
		inet_ntop(AF_INET, &t->members[i].listen_addr, addr, sizeof(addr));
		json_object_object_add(m, "member", json_object_new_int((int)i));
		json_object_object_add(m, "addr", json_object_new_string(addr));
		json_object_object_add(m, "port", json_object_new_int(t->members[i].port));
		json_object_object_add(m, "cpu", json_object_new_int(t->members[i].cpu));
		json_object_object_add(m, "netns", json_object_new_string(t->members[i].netns));
		json_object_object_add(m, "prefix", json_object_new_string(t->members[i].prefix));
		json_object_array_add(a, m);
	}
	return a;
}

/* ring_config_json - the ring's settings in the PROBE chunk's config. */
static void ring_config_json(const struct probe_config *cfg, struct json_object *o)
{
	const struct ring_settings *rs = ring_settings_of(cfg);

	json_object_object_add(o, "hops", json_object_new_int((int)cfg->members));
	json_object_object_add(o, "msg_size", json_object_new_int((int)rs->msg_size));
	json_object_object_add(o, "io", json_object_new_string(probe_io_names[rs->io]));
	json_object_object_add(o, "connect",
			       json_object_new_string(probe_connect_names[rs->connect]));
	json_object_object_add(o, "reply", json_object_new_string(probe_reply_names[rs->reply]));
	json_object_object_add(o, "domains",
			       json_object_new_string(probe_domains_names[cfg->domains]));
	json_object_object_add(o, "timeout_ms", json_object_new_int((int)rs->timeout_ms));
	json_object_object_add(o, "max_restarts", json_object_new_int((int)rs->max_restarts));
	if (cfg->topology)
		json_object_object_add(o, "topology", topology_json(cfg->topology));
}

const struct probe_ops probe_ring = {
    .name = "ring",
    .summary = "a TCP message forwarded around a ring of processes (io_uring by default)",
    .options = ring_options,
    .has_members = true,
    .validate = ring_validate,
    .config_json = ring_config_json,
    .account = &ring_account,
    .setup = ring_setup,
    .iterate = ring_iterate,
    .teardown = ring_teardown,
};
