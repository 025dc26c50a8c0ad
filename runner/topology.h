/* SPDX-License-Identifier: MIT */
/*
 * topology - lay a probe's members out (probes/placement.h: CPU, network namespace, the address
 * each member listens on) and create and remove the namespaces and veth pairs of a netns run.
 */
#ifndef RINGSCOPE_TOPOLOGY_H
#define RINGSCOPE_TOPOLOGY_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "probes/placement.h"

/*
 * topology_create - lay out @cfg->members members (at least 1) on @cfg->cpus, and for
 * PROBE_DOMAINS_NETNS create one namespace per member named "ringscope-PID-TOKEN-N-I"
 * (runner/netns_owner.h) joined by veth pairs with addresses in 198.18.0.0/15. A name that
 * exists already is an error, never taken over. Returns 0 or -errno with @err set; on error
 * nothing this call made is left behind.
 */
int topology_create(const struct probe_config *cfg, struct topology *topo, char *err,
		    size_t errlen);

/* topology_destroy - remove the namespaces topology_create made, and only those; idempotent. */
void topology_destroy(struct topology *topo);

/*
 * topology_remove_stale - remove the namespaces of runs that died (killed): named by
 * runner/netns_owner.h and their lock held by nobody, whatever pid they name (a live run in
 * another PID namespace keeps its own). Returns how many were removed, or -errno.
 */
int topology_remove_stale(void);

#endif
