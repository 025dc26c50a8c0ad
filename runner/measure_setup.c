// SPDX-License-Identifier: MIT
/*
 * measure_setup - what a run stands on: the topology, the master's place, the probe's set-up and
 * teardown with the plan's hooks, and the per-run placement probe.
 */
#include "runner/measure_setup.h"

#include <math.h>
#include <sched.h>
#include <string.h>

#include "runner/platform.h"
#include "runner/topology.h"

#define PLACEMENT_ROUNDS 1000 /* cache-line round trips of the per-run placement probe */

/* go_home - back to the runner's own namespace and CPUs after the master ran as member 0. */
static void go_home(struct measure_state *st)
{
	if (st->topo.nmembers && st->topo.members[0].netns[0] && st->home_netns >= 0)
		setns(st->home_netns, CLONE_NEWNET);
	sched_setaffinity(0, sizeof(st->home_cpus), &st->home_cpus);
}

void measure_stop_probe(struct measure_state *st)
{
	if (st->probe_up && st->plan->on_teardown)
		st->plan->on_teardown(st->plan->arg, st->ctx.pids, st->ctx.npids);
	if (st->probe_up)
		st->ops->teardown(&st->ctx);
	st->probe_up = false;
	go_home(st);
	if (st->topo_up)
		topology_destroy(&st->topo);
	st->topo_up = false;
}

int measure_start_topology(struct measure_state *st)
{
	struct probe_config one = *st->cfg;
	char err[256] = "";
	int rc;

	if (st->ops->has_members && st->cfg->topology) {
		/* a topology file's members and namespaces are the user's: never destroyed */
		st->topo = *st->cfg->topology;
		placement_mark_shared(&st->topo);
		return 0;
	}
	if (!st->ops->has_members) {
		one.members = 1;
		one.domains = PROBE_DOMAINS_SINGLE;
	}
	rc = topology_create(&one, &st->topo, err, sizeof(err));
	if (rc)
		return measure_fail(st, rc, "failed to lay out", err);
	st->topo_up = true;
	placement_mark_shared(&st->topo);
	return 0;
}

int measure_enter_master(struct measure_state *st)
{
	char err[256] = "";
	int rc;

	rc = topology_enter(&st->topo.members[0], err, sizeof(err));
	return rc ? measure_fail(st, rc, "failed to place the master of", err) : 0;
}

void measure_remember_pids(struct measure_state *st)
{
	st->ntraced = st->ctx.npids;
	memcpy(st->traced, st->ctx.pids, st->ntraced * sizeof(pid_t));
}

int measure_start_probe(struct measure_state *st)
{
	int rc;

	memset(&st->ctx, 0, sizeof(st->ctx));
	st->ctx.cfg = st->cfg;
	st->ctx.topo = &st->topo;
	rc = st->ops->setup(&st->ctx);
	st->probe_up = true; /* teardown is safe after a failed setup */
	if (rc)
		return measure_fail(st, rc, "failed to set up", st->ctx.err);
	if (st->plan->on_setup)
		st->plan->on_setup(st->plan->arg, st->ctx.pids, st->ctx.npids);
	measure_remember_pids(st);
	return 0;
}

/*
 * measure_placement_probe - the cache-line round trip of this run's CPU placement (NAN if
 * unmeasured). Its threads inherit this thread's affinity, so it runs with the runner's own CPUs.
 */
double measure_placement_probe(struct measure_state *st, int *a, int *b)
{
	const struct cli_cpus *cpus = &st->cfg->cpus;
	double rtt;

	sched_setaffinity(0, sizeof(st->home_cpus), &st->home_cpus);
	*a = cpus->n >= 2 ? cpus->cpu[0] : 0;
	*b = cpus->n >= 2 ? cpus->cpu[1] : 1;
	if (platform_cross_cpu_rtt(*a, *b, PLACEMENT_ROUNDS, &rtt))
		return NAN;
	return rtt;
}
