/* SPDX-License-Identifier: MIT */
/*
 * measure_setup - what a run stands on: the topology (members, namespaces), the master's place,
 * the probe's set-up and teardown with the plan's hooks, and the per-run placement probe.
 * Private to runner/measure*.c.
 */
#ifndef RINGSCOPE_MEASURE_SETUP_H
#define RINGSCOPE_MEASURE_SETUP_H

#include "runner/measure_state.h"

/* measure_start_topology - the probe's members, or the master alone on its first CPU; 0/-errno. */
int measure_start_topology(struct measure_state *st);

/* measure_enter_master - move this thread to the master's namespace and CPU; 0 or -errno. */
int measure_enter_master(struct measure_state *st);

/* measure_start_probe - set the probe up from the master's place, then the on_setup hook. */
int measure_start_probe(struct measure_state *st);

/* measure_stop_probe - tear the probe down, then the topology; both may not be up. */
void measure_stop_probe(struct measure_state *st);

/* measure_remember_pids - the processes the hooks were told of, to take them back later. */
void measure_remember_pids(struct measure_state *st);

/*
 * measure_placement_probe - the cache-line round trip (ns) between the CPUs *@a and *@b it picks
 * for this run, NAN if unmeasured.
 */
double measure_placement_probe(struct measure_state *st, int *a, int *b);

#endif
