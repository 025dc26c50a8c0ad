// SPDX-License-Identifier: MIT
/*
 * test_placement - which members of a layout share a CPU (placement_mark_shared): pinned to one
 * CPU, a list that repeats a CPU, unpinned members beyond the CPUs this process may run on, and
 * members launched through a prefix, which may live on another host and never count.
 */
#include <sched.h>
#include <string.h>

#include "probes/placement.h"
#include "tests/unit/check.h"

/* layout - @n members on the CPUs @cpus would give them (--cpus; n == 0: unpinned). */
static void layout(struct topology *t, unsigned int n, const int *cpus, int ncpus)
{
	struct cli_cpus list = {.n = ncpus};
	unsigned int i;

	memset(t, 0, sizeof(*t));
	if (ncpus)
		memcpy(list.cpu, cpus, (size_t)ncpus * sizeof(*cpus));
	t->nmembers = n;
	for (i = 0; i < n; i++)
		t->members[i].cpu = placement_member_cpu(&list, i);
	placement_mark_shared(t);
}

/* test_member_cpu - member i runs on LIST[i mod len]; no list: not pinned. */
static int test_member_cpu(void)
{
	struct cli_cpus list = {.n = 2, .cpu = {3, 5}}, none = {0};

	CHECK(placement_member_cpu(&list, 0) == 3);
	CHECK(placement_member_cpu(&list, 1) == 5);
	CHECK(placement_member_cpu(&list, 2) == 3);
	CHECK(placement_member_cpu(&none, 1) == -1);
	return 0;
}

/* test_pinned - --cpus 0 at 2 hops shares; --cpus 0,1 does not; 0,1 at 3 hops shares CPU 0. */
static int test_pinned(void)
{
	struct topology t;

	layout(&t, 2, (int[]){0}, 1);
	CHECK(t.members[0].shares_cpu && t.members[1].shares_cpu);
	CHECK(placement_first_shared(&t) == 0);
	layout(&t, 2, (int[]){0, 1}, 2);
	CHECK(!t.members[0].shares_cpu && !t.members[1].shares_cpu);
	CHECK(placement_first_shared(&t) == -1);
	layout(&t, 3, (int[]){0, 1}, 2);
	CHECK(t.members[0].shares_cpu && !t.members[1].shares_cpu && t.members[2].shares_cpu);
	CHECK(placement_first_shared(&t) == 0);
	return 0;
}

/* test_unpinned - unpinned members share once they outnumber the CPUs this process may use. */
static int test_unpinned(void)
{
	cpu_set_t saved, one;
	struct topology t;
	int allowed;

	CHECK(sched_getaffinity(0, sizeof(saved), &saved) == 0);
	allowed = CPU_COUNT(&saved);
	layout(&t, (unsigned int)allowed, NULL, 0);
	CHECK(placement_first_shared(&t) == -1);
	layout(&t, (unsigned int)allowed + 1, NULL, 0);
	CHECK(t.members[0].shares_cpu && t.members[allowed].shares_cpu);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	CHECK(sched_setaffinity(0, sizeof(one), &one) == 0);
	layout(&t, 2, NULL, 0);
	CHECK(sched_setaffinity(0, sizeof(saved), &saved) == 0);
	CHECK(t.members[0].shares_cpu && t.members[1].shares_cpu);
	return 0;
}

/* test_launched - a member with a launch prefix never shares, nor makes others share. */
static int test_launched(void)
{
	struct topology t;

	memset(&t, 0, sizeof(t));
	t.nmembers = 2;
	t.members[0].cpu = 0;
	t.members[1].cpu = 0;
	strcpy(t.members[1].prefix, "ssh otherhost");
	placement_mark_shared(&t);
	CHECK(!t.members[0].shares_cpu && !t.members[1].shares_cpu);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(member_cpu),
	    CHECK_CASE(pinned),
	    CHECK_CASE(unpinned),
	    CHECK_CASE(launched),
	};

	return CHECK_RUN(cases);
}
