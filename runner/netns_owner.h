/* SPDX-License-Identifier: MIT */
/*
 * netns_owner - which run made a ringscope network namespace, unique beyond the pid (two runs
 * in separate PID namespaces may both be pid 1). A process that makes namespaces takes a random
 * token and holds the lock file NETNS_OWNER_DIR/TOKEN.lock (flock) while it owns any; their
 * names are "ringscope-PID-TOKEN-N-I" (N: its N-th set of namespaces, I: the member). A
 * namespace whose lock nobody holds, or whose lock file is gone, belongs to a run that died,
 * whatever its pid; one whose lock is held is never touched.
 */
#ifndef RINGSCOPE_NETNS_OWNER_H
#define RINGSCOPE_NETNS_OWNER_H

#include <stdbool.h>
#include <stddef.h>

#define NETNS_OWNER_DIR "/run/ringscope"

/*
 * netns_owner_take - the lock of this process (made the first time, or again after it was
 * released) and the prefix "ringscope-PID-TOKEN-N" of a new set of names in @prefix. 0, or
 * -errno with @err set (the folder cannot be made, or is not root's own).
 */
int netns_owner_take(char *prefix, size_t len, char *err, size_t errlen);

/* netns_owner_hold, netns_owner_drop - one namespace more, or less, owned under the lock. */
void netns_owner_hold(void);
void netns_owner_drop(void);

/* netns_owner_release - with no namespace held, remove the lock file and let go of the lock. */
void netns_owner_release(void);

/*
 * netns_owner_dead - whether @name is a ringscope namespace of a run that is gone: named as
 * this module names them, and its lock file missing or held by nobody. False for this
 * process's own and for any other name.
 */
bool netns_owner_dead(const char *name);

/* netns_owner_sweep - remove the lock files nobody holds (their runs died). How many. */
int netns_owner_sweep(void);

#endif
