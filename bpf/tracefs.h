/* SPDX-License-Identifier: MIT */
/* tracefs - find (or mount) the tracing filesystem and ask it which tracepoints exist. */
#ifndef RINGSCOPE_BPF_TRACEFS_H
#define RINGSCOPE_BPF_TRACEFS_H

#include <stdbool.h>

#define TRACEFS_PATH "/sys/kernel/tracing"

/*
 * tracefs_mount - make sure tracefs is mounted at TRACEFS_PATH (classic tracepoints are looked up
 * there). Returns 0 if it is (or now is), or -errno from mount(2).
 */
int tracefs_mount(void);

/* tracefs_event_exists - whether tracepoint @category:@event exists (tracefs must be mounted). */
bool tracefs_event_exists(const char *category, const char *event);

#endif
