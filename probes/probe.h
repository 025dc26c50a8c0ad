/* SPDX-License-Identifier: MIT */
/*
 * probe - the interface of a timed workload: set up, one timed operation, tear down. The runner
 * owns timing (it stamps around probe_ops.iterate) and the trace; a probe only does the work.
 * A new probe is one file in probes/ and one entry in probe_table (probes/registry.c).
 */
#ifndef RINGSCOPE_PROBE_H
#define RINGSCOPE_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define PROBE_MAX_MEMBERS 16

enum probe_io {
	PROBE_IO_URING = 0, /* io_uring, one io_uring_enter per operation (default) */
	PROBE_IO_SQPOLL,    /* io_uring with IORING_SETUP_SQPOLL: no syscall on the fast path */
	PROBE_IO_BUSYPOLL,  /* non-blocking sockets, spinning on recv (see docs/cli.md) */
	PROBE_IO_BLOCKING,  /* plain blocking read/write, for comparison */
};

enum probe_connect {
	PROBE_CONNECT_PERSISTENT = 0, /* one connection per hop for the whole run */
	PROBE_CONNECT_PER_MESSAGE,    /* connect/accept/close per message, the paper's server */
};

/* ring: which connection carries a message back (--reply) */
enum probe_reply {
	PROBE_REPLY_NEXT = 0, /* each member sends on its own connection to the next (paper) */
	PROBE_REPLY_SAME,     /* 2 hops: the forwarder answers on the master's one (ping-pong) */
};

enum probe_domains {
	PROBE_DOMAINS_SINGLE = 0, /* all members in the current network namespace, loopback */
	PROBE_DOMAINS_NETNS,	  /* each member its own namespace, joined by veth pairs */
};

struct topology; /* probes/placement.h */

/* probe_config - everything a probe may be configured with; filled by the CLI. */
struct probe_config {
	const char *probe; /* "null", "syscall", "ring", "http" */
	/* http */
	const char *url; /* http://HOST:PORT/PATH, HOST an IPv4 address or localhost */
	/* syscall */
	const char *text;    /* what one puts writes */
	const char *sink;    /* path the stdio stream writes to */
	size_t stdio_buffer; /* 0: stdio's own buffer size */
	/* ring */
	unsigned int hops;
	unsigned int msg_size;
	enum probe_io io;
	enum probe_connect connect;
	enum probe_domains domains;
	unsigned int timeout_ms;   /* a round trip longer than this is a lost message */
	unsigned int max_restarts; /* ring: restarts of one member (or of a stalled ring) per run */
	enum probe_reply reply;	   /* ring: the connection a forwarder sends on */
	int cpus[PROBE_MAX_MEMBERS * 4];
	int ncpus; /* 0: no pinning */
	/* ring: the members of a topology file (runner/topology_file.h); NULL: laid out from hops
	 */
	const struct topology *topology;
};

/* probe_ctx - one probe instance during a run. */
struct probe_ctx {
	const struct probe_config *cfg;
	const struct topology *topo;   /* members' CPUs, namespaces, addresses (ring only) */
	void *priv;		       /* the probe's own state */
	pid_t pids[PROBE_MAX_MEMBERS]; /* processes the probe started (to trace), set by setup */
	unsigned int npids;
	char err[256]; /* why the last call failed, for the CLI to print */
	/*
	 * Per-hop stamps of the last good iteration (ring, messages big enough): member i got the
	 * message at rx_tsc[i] and passed it on at tx_tsc[i]; member 0 is the master (its send, and
	 * its receive at the end). nstamped: members stamped, 0 for none.
	 */
	unsigned int nstamped;
	uint64_t rx_tsc[PROBE_MAX_MEMBERS];
	uint64_t tx_tsc[PROBE_MAX_MEMBERS];
	unsigned int restarts; /* members the probe restarted; the runner takes and zeroes it */
};

/* What iterate returns for a message lost with a member: counted lost, the probe recovered. */
#define PROBE_ITERATION_LOST 2

/* probe_iteration - what identifies one timed operation; carried in ring messages. */
struct probe_iteration {
	uint32_t run;
	uint32_t iteration; /* warm-up iterations count from 0 too; is_warmup tells them apart */
	uint64_t seq;	    /* unique within the probe instance, never reused */
	int is_warmup;
};

struct probe_ops {
	const char *name;
	const char *summary;
	/* validate - check a config before anything is created: 0 or -EINVAL with ctx->err set */
	int (*validate)(const struct probe_config *cfg, char *err, size_t errlen);
	/* setup - prepare one run (the ring starts afresh each run): 0 or -errno, ctx->err set */
	int (*setup)(struct probe_ctx *ctx);
	/*
	 * iterate - the timed operation. Returns 0 for a good iteration, 1 for a bad one (wrong,
	 * duplicated or out-of-order message: counted, never timed as good), PROBE_ITERATION_LOST
	 * when the message was lost and the probe recovered (the ring was rebuilt), or -errno to
	 * end the run with ctx->err saying why (e.g. which member died too often).
	 */
	int (*iterate)(struct probe_ctx *ctx, const struct probe_iteration *it);
	/* teardown - undo setup; safe after a failed setup or iterate */
	void (*teardown)(struct probe_ctx *ctx);
};

/* probe_find - the probe called @name, or NULL. */
const struct probe_ops *probe_find(const char *name);
/* probe_names - "null, syscall, ring": for help and error messages. */
const char *probe_names(void);

#endif
