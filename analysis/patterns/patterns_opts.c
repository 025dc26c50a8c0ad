// SPDX-License-Identifier: MIT
/* patterns_opts - the pattern finders' default thresholds. */
#include "analysis/patterns/patterns_opts.h"

void patterns_opts_default(struct patterns_opts *o)
{
	spikes_opts_default(&o->spikes);
	o->min_support = 5;
	o->min_periods = 3;
	o->min_hit_rate = 0.2;
	o->min_drift_runs = 3;
	o->alpha = 1e-3;
	o->min_mode_weight = 0.05;
	o->min_mode_prominence = 0.1;
	o->resolution_ns = 10.0; /* the TSC step measured on this class of guest
				    (docs/architecture.md, decision 1) */
	o->autocorr_flag = 0.5;
}
