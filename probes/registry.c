// SPDX-License-Identifier: MIT
/* registry - the table of probes: adding a probe is one file and one entry here. */
#include <string.h>

#include "probes/probe.h"

extern const struct probe_ops probe_null;    /* probes/null.c */
extern const struct probe_ops probe_syscall; /* probes/syscall.c */
extern const struct probe_ops probe_ring;    /* probes/ring.c */
extern const struct probe_ops probe_http;    /* probes/http.c */

static const struct probe_ops *const probe_table[] = {
    &probe_null, &probe_syscall, &probe_ring, &probe_http, NULL,
};

const struct probe_ops *probe_find(const char *name)
{
	size_t i;

	for (i = 0; probe_table[i]; i++)
		if (!strcmp(probe_table[i]->name, name))
			return probe_table[i];
	return NULL;
}

const char *probe_names(void)
{
	return "null, syscall, ring, http";
}
