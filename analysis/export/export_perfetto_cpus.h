/* SPDX-License-Identifier: MIT */
/*
 * export_perfetto_cpus - what ran on each CPU, as one track per CPU with a slice per task, from
 * the switches and sightings the trace holds (private to analysis/export/).
 *
 * The tracer records a context switch only when a traced thread leaves or takes a CPU (OFFCPU:
 * who left, who came next, when the thread came back), the tracer's own consumer thread on a
 * CPU (TRACER records) and each untraced thread that held a CPU while a traced thread was away
 * from it (RAN records, from its switch in to its switch out). Other events say who was running
 * when they happened: an irq, softirq or IPI names the thread it interrupted, an idle period the
 * idle task, a syscall's exit and a page fault their thread. Each CPU's points, sorted by time,
 * become slices: a task runs from a switch to it (or its first sighting) to the next switch on that
 * CPU (or its last sighting, when the next point shows another task: an untraced switch lies
 * between, which nothing says).
 */
#ifndef RINGSCOPE_EXPORT_PERFETTO_CPUS_H
#define RINGSCOPE_EXPORT_PERFETTO_CPUS_H

#include <stdint.h>

#include "analysis/attribution/attribution.h"
#include "analysis/export/export_perfetto_json.h"
#include "lib/trace/trace_event.h"

struct pf_cpus;

/*
 * pf_cpus__add - the switch points and sightings of @n events (any order) into *@c (made on
 * first use). 0 or -ENOMEM. Memory: 16 bytes a point, up to 3 an event (the per-packet instants
 * of full detail add none).
 */
int pf_cpus__add(struct pf_cpus **c, const struct tracer_event *ev, size_t n);

/* pf_cpus_name_fn - name the track of CPU @cpu's slices before its first; 0 or -errno. */
typedef int (*pf_cpus_name_fn)(void *ctx, unsigned int cpu);

/*
 * pf_cpus__write - sort the points and write each CPU's slices ("ph":"X", "cat":"sched") on
 * (pid, tid) = (EXPORT_PF_CPU_PID, EXPORT_PF_RAN_TID(cpu)), named by @names ("comm tid",
 * "idle" for tid 0), calling @name first for each CPU. *@slices counts them. 0 or -errno.
 */
int pf_cpus__write(struct pf_cpus *c, struct pf_writer *w, const struct attr_names *names,
		   pf_cpus_name_fn name, void *ctx, uint64_t *slices);

/* pf_cpus__free - release @c (NULL is fine). */
void pf_cpus__free(struct pf_cpus *c);

#endif
