/* SPDX-License-Identifier: MIT */
/*
 * probe - the interface of a timed workload: its options, validation and config, set up, one
 * timed operation, tear down, and what it counts besides the samples. The runner owns timing (it
 * stamps around probe_ops.iterate) and the trace; a probe only does the work. A new probe is one
 * file in probes/ and one entry in probe_table (probes/registry.h).
 */
#ifndef RINGSCOPE_PROBE_H
#define RINGSCOPE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "lib/cli.h"
#include "lib/cli_command.h"

#define PROBE_MAX_MEMBERS 16

enum probe_io {
	PROBE_IO_URING = 0, /* io_uring, one io_uring_enter per operation (default) */
	PROBE_IO_SQPOLL,    /* io_uring with IORING_SETUP_SQPOLL: no syscall on the fast path */
	PROBE_IO_BUSYPOLL,  /* non-blocking sockets, spinning on recv (docs/cli/ring.md) */
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

/* The names of each enum above, in its order, NULL-terminated: options, config JSON, forwarder. */
extern const char *const probe_io_names[];
extern const char *const probe_connect_names[];
extern const char *const probe_reply_names[];
extern const char *const probe_domains_names[];

struct json_object;
struct timing_calibration;
struct topology; /* probes/placement.h */

#define PROBE_SETTINGS_SIZE 128

/*
 * probe_config - one configuration of a probe: what the runner needs to place its members, and
 * the probe's own settings, which only the probe reads (its struct, in @settings).
 */
struct probe_config {
	const char *probe;    /* its name in the registry */
	struct cli_cpus cpus; /* member i runs on cpus.cpu[i mod n]; n == 0: not pinned */
	unsigned int members; /* processes of a probe with members (the ring's hops); else 1 */
	enum probe_domains domains;
	/* the members of a topology file (runner/topology_file.h); NULL: laid out from members */
	const struct topology *topology;
	/* the probe's own settings struct (at most PROBE_SETTINGS_SIZE bytes), by its rows */
	_Alignas(max_align_t) unsigned char settings[PROBE_SETTINGS_SIZE];
};

/*
 * PROBE_SETTING - where an option row of a probe stores its value: @member of the probe's own
 * settings struct @type, inside the struct probe_config the row writes into.
 */
#define PROBE_SETTING(type, member)                                                                \
	.off = offsetof(struct probe_config, settings) + offsetof(type, member),                   \
	.width = sizeof(((type *)0)->member)

/* The rows that probes share, each probe with its own text and default: one range, one unit. */
#define PROBE_ROW_CONNECT(type, default, text)                                                     \
	{                                                                                          \
		.name = "connect", .letter = 'C', .arg = "MODE", .help = text, .def = default,     \
		.kind = CLI_OPT_ENUM, .names = probe_connect_names, PROBE_SETTING(type, connect)   \
	}
#define PROBE_ROW_TIMEOUT_MS(type, text)                                                           \
	{                                                                                          \
		.name = "timeout-ms", .letter = 'W', .arg = "MS", .help = text, .def = "1000",     \
		.kind = CLI_OPT_TIME, .min = 1000000ULL, .max = 3600 * 1000 * 1000000ULL,          \
		.unit = 1000000ULL, .store_unit = 1000000ULL, PROBE_SETTING(type, timeout_ms)      \
	}

/* probe_ctx - one probe instance during a run. */
struct probe_ctx {
	const struct probe_config *cfg;
	const struct topology *topo;   /* members' CPUs, namespaces, addresses (with members) */
	void *priv;		       /* the probe's own state */
	pid_t pids[PROBE_MAX_MEMBERS]; /* processes the probe started (to trace), set by setup */
	unsigned int npids;
	char err[256];	       /* why the last call failed, for the CLI to print */
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

/*
 * probe_account_ops - what a probe counts besides the samples (the ring: per-hop times, lost
 * messages, restarts), kept over every run of one measurement and written into each RUN chunk
 * and into the PROBE_END chunk.
 */
struct probe_account_ops {
	/* open - an empty account for runs of @per_run recorded iterations; NULL: out of memory */
	void *(*open)(const struct probe_config *cfg, unsigned int per_run);
	/* run_begins - what follows belongs to a new run */
	void (*run_begins)(void *acc);
	/*
	 * iteration - after each iterate, warm-up ones too: @rc is 0 (good), 1 (bad),
	 * PROBE_ITERATION_LOST (a message lost, also one that ends the run) or -errno; the
	 * restarts of that call are still in ctx->restarts. 0 or -ENOMEM.
	 */
	int (*iteration)(void *acc, const struct probe_ctx *ctx, const struct probe_iteration *it,
			 int rc, const struct timing_calibration *cal);
	/* to_json - its keys into @o: of the current run, or of all runs when @whole */
	void (*to_json)(const void *acc, struct json_object *o, bool whole);
	/* close - free the account */
	void (*close)(void *acc);
	/*
	 * bytes_per_sample - what the account keeps in memory per recorded iteration of @cfg, for
	 * a check of the options against the memory there is (NULL: nothing per iteration)
	 */
	size_t (*bytes_per_sample)(const struct probe_config *cfg);
};

/* probe_ops - a probe: what the registry lists and the runner drives (rtla's tool_ops). */
struct probe_ops {
	const char *name;
	const char *summary;
	/*
	 * options - its rows ({0}-terminated, NULL: none), written into a struct probe_config: its
	 * own settings through PROBE_SETTING, members and domains through CLI_FIELD. The defaults
	 * of the rows are the probe's defaults.
	 */
	const struct cli_opt *options;
	/*
	 * has_members - the runner lays out cfg->members members (CPU, network namespace, or a
	 * topology file's) and the probe starts them (the ring); else the probe runs on the master
	 * alone, in the runner's namespace, on the first CPU of the list.
	 */
	bool has_members;
	/* validate - check a config before anything is created: 0 or -EINVAL, @err set; or NULL */
	int (*validate)(const struct probe_config *cfg, char *err, size_t errlen);
	/* config_json - its settings into the PROBE chunk's "config" @o; NULL: none */
	void (*config_json)(const struct probe_config *cfg, struct json_object *o);
	/* account - what it counts besides the samples; NULL: nothing */
	const struct probe_account_ops *account;
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

#endif
