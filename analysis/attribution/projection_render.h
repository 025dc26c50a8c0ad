/* SPDX-License-Identifier: MIT */
/*
 * projection_render - a projection as the report model's "projection" object, the analyze
 * section that holds one per probe, and its text.
 */
#ifndef RINGSCOPE_PROJECTION_RENDER_H
#define RINGSCOPE_PROJECTION_RENDER_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/attribution/attribution_report.h"
#include "analysis/attribution/projection.h"

struct json_object;

/*
 * projection_json - {"samples", "runs", "spikes", "removed_ns", "removed" {part: ns},
 * "path_waits", "path_iterations", "path_vcpu_absent_ns", "path_irq_delivery_ns", "baseline"
 * (projection_baseline_json), "exit_share", "delivery_routine_share", "quantiles" [{"q",
 * "guest_ns", "guest_ci_ns", "projected_ns", "projected_ci_ns"}]}. NULL when out of memory.
 */
struct json_object *projection_json(const struct projection *p);

/* projection_baseline_json - {"exit_cost_ns", "ipi_normal_ns"} (null: not given); NULL: none. */
struct json_object *projection_baseline_json(const struct projection_baseline *bl);

/* projection_ci_json - [lo, hi] in ns with one decimal, null for a side not known. */
struct json_object *projection_ci_json(double lo, double hi);

/*
 * projection_in_of - probe @i of @r as the projection's input: its traced runs' samples, as
 * attribution explained them, its spikes and the platform (no windows).
 */
void projection_in_of(const struct attr_report *r, size_t i, const struct trace_session *s,
		      struct projection_in *in);

/*
 * projection_section_add - "projection" of probe @i of @r into its report object @probe, with
 * bare-metal baseline @bl (NULL: none) and its iterations' critical path @path (NULL: none
 * known); nothing for a file without kernel events (no attribution). 0 or -ENOMEM.
 */
int projection_section_add(const struct attr_report *r, size_t i, const struct trace_session *s,
			   const struct projection_baseline *bl, const struct proj_path *path,
			   struct json_object *probe);

/* projection_print_text - the section a probe object carries, as text (nothing when none). */
void projection_print_text(FILE *f, struct json_object *probe);

/* projection_baseline_text - the line saying which baseline projection object @proj used. */
void projection_baseline_text(FILE *f, struct json_object *proj);

#endif
