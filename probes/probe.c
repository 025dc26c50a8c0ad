// SPDX-License-Identifier: MIT
/* probe - the names of the enums of probe.h, in their order: options, config JSON, forwarder. */
#include "probes/probe.h"

const char *const probe_io_names[] = {"uring", "sqpoll", "busypoll", "blocking", NULL};
const char *const probe_connect_names[] = {"persistent", "per-message", NULL};
const char *const probe_reply_names[] = {"next-connection", "same-connection", NULL};
const char *const probe_domains_names[] = {"single", "netns", NULL};
