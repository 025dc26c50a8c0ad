/* SPDX-License-Identifier: MIT */
/*
 * placement - where each member of a probe lives (CPU, network namespace, addresses, launch
 * prefix) and how a thread moves there. The runner lays the members out and creates their
 * namespaces (runner/topology.c); a probe's members enter their place themselves.
 */
#ifndef RINGSCOPE_PLACEMENT_H
#define RINGSCOPE_PLACEMENT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/probe.h"

/* The most words a launch prefix has: what the launch has room for before the forwarder's own. */
#define PLACEMENT_PREFIX_WORDS 24

struct topology_member {
	unsigned int index;	    /* 0 = master */
	int cpu;		    /* -1: not pinned */
	char netns[64];		    /* "" = the runner's own namespace */
	struct in_addr listen_addr; /* where this member accepts the previous member's connection */
	struct in_addr next_addr;   /* where this member connects: next member's listen_addr */
	uint16_t port;	  /* the port it listens on; 0: the kernel picks (topology file) */
	char prefix[192]; /* launch prefix, "" = forked; else `PREFIX ringscope forwarder` */
	bool shares_cpu;  /* another member may run on its CPU (placement_mark_shared) */
};

struct topology {
	enum probe_domains domains;
	unsigned int nmembers;
	struct topology_member members[PROBE_MAX_MEMBERS];
};

/* placement_member_cpu - member @i's CPU under --cpus @cpus: LIST[i mod len]; -1: not pinned. */
int placement_member_cpu(const struct cli_cpus *cpus, unsigned int i);

/*
 * placement_mark_shared - set each member's shares_cpu from the layout: a member of this host
 * (no launch prefix: a launched one may live on another host) shares its CPU when another one is
 * pinned to the same CPU, or when some are not pinned and they outnumber the CPUs this process
 * may run on. Two members that spin (busy polling, SQPOLL threads) on one CPU take it from each
 * other; the probes decide what that means for their mode.
 */
void placement_mark_shared(struct topology *t);

/*
 * placement_first_shared - the first member of @t that shares its CPU (placement_mark_shared
 * must have run), or -1.
 */
int placement_first_shared(const struct topology *t);

/*
 * topology_enter - move the calling thread into @m's namespace (setns on /run/netns/NAME) and
 * pin it to @m's CPU with its memory preferred on that CPU's node (libnuma). For a forked member
 * before it creates sockets. The runner (runner/measure.c) enters members[0] itself before
 * probe_ops.setup, so the master's sockets are made in member 0's namespace on its CPU; it goes
 * back to its own namespace after teardown. 0 or -errno with @err set.
 */
int topology_enter(const struct topology_member *m, char *err, size_t errlen);

#endif
