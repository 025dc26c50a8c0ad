/* SPDX-License-Identifier: MIT */
/*
 * model_trace - for test_report_model: two synthetic trace files, written with the real writer,
 * in which every part of the report model has something to say. A: a traced ring with spikes of
 * known causes, periodic lines, a drift, two modes, lost messages, restarts, per-hop times and
 * an error; a syscall probe only A has; a null probe without a good sample; a TRACER chunk as
 * the runner writes it; a run that ended with an error. B: the same ring slower and untraced,
 * the null probe with good samples (a traced and an untraced run), an http probe only B has, a
 * run that ended well.
 */
#ifndef RS_TEST_MODEL_TRACE_H
#define RS_TEST_MODEL_TRACE_H

#include <stdbool.h>

/* model_trace_write - write trace A (@b false) or B to @path. Returns 0 or -errno. */
int model_trace_write(const char *path, bool b);

#endif
