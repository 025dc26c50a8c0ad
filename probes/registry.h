/* SPDX-License-Identifier: MIT */
/*
 * registry - the table of probes: adding a probe is one file and one entry in probe_table
 * (probes/registry.c); its name, option rows and help follow from that entry.
 */
#ifndef RINGSCOPE_REGISTRY_H
#define RINGSCOPE_REGISTRY_H

#include "probes/probe.h"

/* PROBE_OPTIONS_TARGET - the target index of probe_option_groups(): a struct probe_config. */
#define PROBE_OPTIONS_TARGET 1

/* probe_find - the probe called @name, or NULL. */
const struct probe_ops *probe_find(const char *name);

/* probe_names - "null, syscall, ring, http", from the table: for error messages. */
const char *probe_names(void);

/*
 * probe_config_defaults - the defaults of probe @cfg->probe: one member, and what its option rows
 * default to. The rest of @cfg (CPUs, domains, topology) is left as it is. 0, or -EINVAL for an
 * unknown probe or a default its row refuses.
 */
int probe_config_defaults(struct probe_config *cfg);

/*
 * probe_option_groups - one help group per probe of the table ("ring probe: SUMMARY" and its
 * rows, target PROBE_OPTIONS_TARGET), ended by a group without title: for a nested group.
 */
const struct cli_opt_group *probe_option_groups(void);

#endif
