/* SPDX-License-Identifier: MIT */
/*
 * measure_loop - the iterations of one run: warm-up, the timed iterations, and the samples they
 * record (held in the run's pending samples, written by measure_flush_pending()). Private to
 * runner/measure*.c.
 */
#ifndef RINGSCOPE_MEASURE_LOOP_H
#define RINGSCOPE_MEASURE_LOOP_H

#include <stdbool.h>

#include "runner/measure_state.h"

/*
 * measure_warmup - plan->warmup untimed iterations of run @run; @again after samples were
 * written in the middle of a run. 0 (also when interrupted) or -errno with the reason kept.
 */
int measure_warmup(struct measure_state *st, unsigned int run, bool again);

/* measure_timed - the recorded iterations of run @run, paced when an interval is set. */
int measure_timed(struct measure_state *st, unsigned int run);

/* measure_flush_pending - the run's samples into the trace and the good ones into the summary. */
int measure_flush_pending(struct measure_state *st);

#endif
