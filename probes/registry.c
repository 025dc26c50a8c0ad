// SPDX-License-Identifier: MIT
/* registry - the table of probes, and what is derived from it: names, defaults, option groups. */
#include "probes/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli_value.h"

extern const struct probe_ops probe_null;    /* probes/null.c */
extern const struct probe_ops probe_vmexit;  /* probes/vmexit.c */
extern const struct probe_ops probe_syscall; /* probes/syscall.c */
extern const struct probe_ops probe_ring;    /* probes/ring_ops.c */
extern const struct probe_ops probe_http;    /* probes/http.c */

static const struct probe_ops *const probe_table[] = {
    &probe_null, &probe_vmexit, &probe_syscall, &probe_ring, &probe_http, NULL,
};

#define PROBE_COUNT (sizeof(probe_table) / sizeof(probe_table[0]) - 1)

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
	static char names[256];
	size_t i, used = 0;

	if (names[0])
		return names;
	for (i = 0; probe_table[i]; i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "",
					 probe_table[i]->name);
	return names;
}

int probe_config_defaults(struct probe_config *cfg)
{
	const struct probe_ops *ops = probe_find(cfg->probe);
	const struct cli_opt *o;
	char err[256];

	if (!ops)
		return -EINVAL;
	cfg->members = 1;
	for (o = ops->options; o && o->name; o++)
		if (o->def && cli_value_set(o, o->def, cfg, err, sizeof(err)))
			return -EINVAL;
	return 0;
}

const struct cli_opt_group *probe_option_groups(void)
{
	static char titles[PROBE_COUNT][32];
	static struct cli_opt_group groups[PROBE_COUNT + 1];
	size_t i;

	if (groups[0].title)
		return groups;
	for (i = 0; i < PROBE_COUNT; i++) {
		snprintf(titles[i], sizeof(titles[i]), "%s probe", probe_table[i]->name);
		groups[i] = (struct cli_opt_group){.title = titles[i],
						   .about = probe_table[i]->summary,
						   .opts = probe_table[i]->options,
						   .target = PROBE_OPTIONS_TARGET};
	}
	return groups;
}
