/* SPDX-License-Identifier: MIT */
/*
 * ring_member - the forwarders of the ring: each its own process, started by the master with a
 * control socket, that listens, reports its port, joins the ring when told where the next member
 * listens, and then forwards until it is killed. When the ring breaks, ring_members_blame names
 * the member that died.
 */
#ifndef RINGSCOPE_RING_MEMBER_H
#define RINGSCOPE_RING_MEMBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probes/probe.h"
#include "probes/placement.h"

struct ring_member {
	unsigned int index; /* position in the ring, 1.. */
	pid_t pid;	    /* 0: not started */
	int ctl;	    /* control socket, -1: closed */
	bool reaped;	    /* waited for: status holds its wait status */
	int status;
};

/*
 * ring_member_start - fork the forwarder @tm of @cfg into @m. The child dies with the runner
 * (PR_SET_PDEATHSIG), enters @tm's namespace and CPU, listens and reports its port.
 * 0 or -errno with @err set.
 */
int ring_member_start(struct ring_member *m, const struct topology_member *tm,
		      const struct probe_config *cfg, char *err, size_t errlen);

/*
 * ring_forwarder_main - a forwarder's life, never returns: enter its place, listen, report the
 * port on @out, read the next member's port from @in, join, report, forward until killed. Exits
 * with the errno of the io that failed (32: EPIPE, a neighbour closed), 1 if it could not set
 * up. With @watch (a launched member) a thread exits when @in ends: the runner is gone.
 */
void ring_forwarder_main(const struct topology_member *tm, const struct probe_config *cfg, int in,
			 int out, bool watch) __attribute__((noreturn));

/* ring_member_listening - wait for @m's listener port. 0 or -errno with @err set. */
int ring_member_listening(struct ring_member *m, uint16_t *port, char *err, size_t errlen);

/* ring_member_join - tell @m the next member's port: it connects and accepts. 0 or -errno. */
int ring_member_join(struct ring_member *m, uint16_t next_port);

/* ring_member_ready - wait until @m is in the ring. 0 or -errno with @err set. */
int ring_member_ready(struct ring_member *m, char *err, size_t errlen);

/* ring_member_stop - kill @m, reap it and close its control socket; idempotent. */
void ring_member_stop(struct ring_member *m);

/*
 * ring_members_blame - after the ring failed with @rc: name the member that died (waiting a
 * moment for it), or say that nothing came back within @timeout_ms. Returns -EPIPE when a
 * member died, else @rc; @err says which member and how.
 */
int ring_members_blame(struct ring_member *m, unsigned int n, int rc, unsigned int timeout_ms,
		       char *err, size_t errlen);

/*
 * ring_members_culprit - after ring_members_blame: the index of the member it named (killed by a
 * signal first, else the first that exited), or 0 when every member is alive.
 */
unsigned int ring_members_culprit(const struct ring_member *m, unsigned int n);

#endif
