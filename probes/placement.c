// SPDX-License-Identifier: MIT
/* placement - move the calling thread into a member's network namespace and onto its CPU. */
#include "probes/placement.h"

#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NETNS_DIR "/run/netns"

/* enter_netns - join the namespace mounted at /run/netns/@name (this thread only). */
static int enter_netns(const char *name, char *err, size_t errlen)
{
	char path[128];
	int fd, rc = 0;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to open '%s': %s", path, strerror(-rc));
		return rc;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to enter namespace '%s': %s (run as root)", name,
			 strerror(-rc));
	}
	close(fd);
	return rc;
}

/* pin_cpu - run only on @cpu and prefer memory on its NUMA node. */
static int pin_cpu(int cpu, char *err, size_t errlen)
{
	cpu_set_t set;
	int rc;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to pin to CPU %d: %s", cpu, strerror(-rc));
		return rc;
	}
	if (numa_available() >= 0 && numa_node_of_cpu(cpu) >= 0)
		numa_set_preferred(numa_node_of_cpu(cpu));
	return 0;
}

int topology_enter(const struct topology_member *m, char *err, size_t errlen)
{
	int rc;

	if (m->netns[0]) {
		rc = enter_netns(m->netns, err, errlen);
		if (rc)
			return rc;
	}
	return m->cpu >= 0 ? pin_cpu(m->cpu, err, errlen) : 0;
}

int placement_member_cpu(const struct cli_cpus *cpus, unsigned int i)
{
	return cpus->n ? cpus->cpu[i % (unsigned int)cpus->n] : -1;
}

/* same_cpu - whether a member of this host other than @i is pinned to @i's CPU. */
static bool same_cpu(const struct topology *t, unsigned int i)
{
	unsigned int k;

	for (k = 0; k < t->nmembers; k++) {
		if (k != i && !t->members[k].prefix[0] && t->members[k].cpu == t->members[i].cpu)
			return true;
	}
	return false;
}

void placement_mark_shared(struct topology *t)
{
	unsigned int i, local = 0, unpinned = 0;
	cpu_set_t allowed;
	int ncpus;

	CPU_ZERO(&allowed);
	ncpus = sched_getaffinity(0, sizeof(allowed), &allowed) ? 1 : CPU_COUNT(&allowed);
	for (i = 0; i < t->nmembers; i++) {
		local += !t->members[i].prefix[0];
		unpinned += !t->members[i].prefix[0] && t->members[i].cpu < 0;
	}
	for (i = 0; i < t->nmembers; i++) {
		struct topology_member *m = &t->members[i];

		m->shares_cpu = !m->prefix[0] && ((m->cpu >= 0 && same_cpu(t, i)) ||
						  (unpinned && local > (unsigned int)ncpus));
	}
}

int placement_first_shared(const struct topology *t)
{
	unsigned int i;

	for (i = 0; i < t->nmembers; i++) {
		if (t->members[i].shares_cpu)
			return (int)i;
	}
	return -1;
}
