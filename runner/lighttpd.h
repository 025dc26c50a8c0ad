/* SPDX-License-Identifier: MIT */
/*
 * lighttpd - a private lighttpd for the http probe: its own configuration, document root (a
 * 44-byte index.html) and log in a temporary folder, started as a child (in a ring member's
 * network namespace if asked), waited for until it accepts connections, stopped with SIGTERM
 * and, if it lingers, SIGKILL. RINGSCOPE_LIGHTTPD names another binary (default: lighttpd).
 */
#ifndef RINGSCOPE_LIGHTTPD_H
#define RINGSCOPE_LIGHTTPD_H

#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "runner/topology.h"

#define LIGHTTPD_INDEX_SIZE 44 /* bytes of the index.html it serves (the paper's page) */
#define LIGHTTPD_INDEX_PATH "/index.html"

struct lighttpd {
	pid_t pid;		 /* 0: not running */
	bool keep;		 /* keep the folder at stop: an error names its log */
	char dir[PATH_MAX - 32]; /* the temporary folder; "" before start */
	int dir_fd;		 /* the folder, locked (flock) while this run serves from it */
	char log[PATH_MAX];	 /* its error log, which also gets its stdout and stderr */
	struct sockaddr_in addr; /* where it accepts connections */
};

/*
 * lighttpd_start - serve on @addr (port picked free) from namespace @where (NULL: this
 * thread's), and wait up to @wait_ms until it accepts connections from this thread's namespace
 * (or *@stop is set). 0, or -errno with @err naming the log and quoting its last lines; the
 * server is then stopped and its folder kept.
 */
int lighttpd_start(struct lighttpd *l, const struct topology_member *where, struct in_addr addr,
		   unsigned int wait_ms, const volatile sig_atomic_t *stop, char *err,
		   size_t errlen);

/*
 * lighttpd_stop - SIGTERM to its process group, SIGKILL after a grace period (or at once to
 * what else of the group is left), reap; remove the folder unless kept.
 */
void lighttpd_stop(struct lighttpd *l);

/*
 * lighttpd_remove_stale - remove the folders no live run holds locked (their runner was killed,
 * or kept one for a failed start's log), after killing a lighttpd that still serves from one
 * (its pid file names it). Returns how many were removed, or -errno.
 */
int lighttpd_remove_stale(void);

#endif
