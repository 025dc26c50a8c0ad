/* SPDX-License-Identifier: MIT */
/*
 * topology_file - read a ring's members from a topology file (docs/topology.md): one line per
 * member with its role, address, port, CPU, network namespace and launch prefix, so that a ring
 * on one host, across network namespaces or across hosts (an ssh prefix) uses the same file.
 */
#ifndef RINGSCOPE_TOPOLOGY_FILE_H
#define RINGSCOPE_TOPOLOGY_FILE_H

#include <stddef.h>

#include "runner/topology.h"

/*
 * topology_file_parse - parse the @len bytes of @text (named @name in messages) into @topo:
 * members in order, member 0 the master, the rest forwarders, each member's next_addr the
 * address of the next. CPUs are checked against the online ones; a NUL byte, an unclosed quote
 * and a prefix of more than PLACEMENT_PREFIX_WORDS words are refused. Returns 0, or -EINVAL
 * with @err saying "'NAME' line N: what is wrong", or -errno reading the online CPUs.
 */
int topology_file_parse(const char *text, size_t len, const char *name, struct topology *topo,
			char *err, size_t errlen);

/* topology_file_load - read @path and parse it; -errno with @err set if it cannot be read. */
int topology_file_load(const char *path, struct topology *topo, char *err, size_t errlen);

#endif
