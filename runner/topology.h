/* SPDX-License-Identifier: MIT */
/*
 * topology - where ring members live: CPU (and its NUMA node), network namespace, the address
 * each member listens on. Creates and removes the namespaces and veth pairs of a netns run.
 */
#ifndef RINGSCOPE_TOPOLOGY_H
#define RINGSCOPE_TOPOLOGY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/probe.h"

#define TOPOLOGY_NETNS_PREFIX "ringscope-"

struct topology_member {
	unsigned int index; /* 0 = master */
	int cpu;	    /* -1: not pinned */
	char netns[64];	    /* "" = the runner's own namespace */
	struct in_addr listen_addr; /* where this member accepts the previous member's connection */
	struct in_addr next_addr;   /* where this member connects: next member's listen_addr */
	uint16_t port;		    /* the port it listens on; 0: the kernel picks (topology file) */
	char prefix[192];	    /* launch prefix, "" = forked; else `PREFIX ringscope forwarder` */
};

struct topology {
	enum probe_domains domains;
	unsigned int nmembers;
	struct topology_member members[PROBE_MAX_MEMBERS];
};

/*
 * topology_create - lay out @cfg->hops members (at least 1) on @cfg->cpus, and for
 * PROBE_DOMAINS_NETNS create one namespace per member named "ringscope-<pid>-<i>" joined by
 * veth pairs with addresses in 198.18.0.0/15. Returns 0 or -errno with @err set; on error
 * nothing is left behind.
 */
int topology_create(const struct probe_config *cfg, struct topology *topo, char *err,
		    size_t errlen);

/* topology_destroy - remove what topology_create made; idempotent. */
void topology_destroy(struct topology *topo);

/*
 * topology_enter - move the calling thread into @m's namespace (setns on /run/netns/NAME) and
 * pin it to @m's CPU with its memory preferred on that CPU's node (libnuma). For a forked member
 * before it creates sockets. The runner (runner/measure.c) enters members[0] itself before
 * probe_ops.setup, so the master's sockets are made in member 0's namespace on its CPU; it goes
 * back to its own namespace after teardown. 0 or -errno with @err set.
 */
int topology_enter(const struct topology_member *m, char *err, size_t errlen);

/*
 * topology_remove_stale - remove namespaces named "ringscope-<pid>-*" whose pid is no longer
 * alive (left by a killed run). Returns how many were removed, or -errno.
 */
int topology_remove_stale(void);

#endif
