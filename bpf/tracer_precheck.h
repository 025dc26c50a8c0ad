/* SPDX-License-Identifier: MIT */
/* tracer_precheck - what tracing needs before anything is loaded: privileges, BTF, tracefs. */
#ifndef RINGSCOPE_BPF_TRACER_PRECHECK_H
#define RINGSCOPE_BPF_TRACER_PRECHECK_H

#include <stdbool.h>
#include <stddef.h>

/*
 * tracer_precheck - privileges and BTF first, so that the message says what to do; then mount
 * tracefs (*@have_tracefs: whether it is there; without it classic tracepoints are skipped).
 * 0, or -EPERM / -ENOTSUP with the reason and its fix in @err.
 */
int tracer_precheck(bool *have_tracefs, char *err, size_t errlen);

#endif
