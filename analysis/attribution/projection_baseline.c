// SPDX-License-Identifier: MIT
/*
 * projection_baseline - a bare-metal baseline given on the command line, "exit=TIME,ipi=TIME":
 * what one VM exit's instruction and one routine IPI delivery cost where no host is in the way,
 * read off the bare-metal machine (its session's `vmexit` less `null`, its `doctor --delivery`).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analysis/attribution/projection.h"
#include "lib/cli.h"

#define NS_PER_S 1000000000ULL

/* proj_bl_key - the field of @bl that @key (@len bytes) names, or NULL. */
static uint64_t *proj_bl_key(struct projection_baseline *bl, const char *key, size_t len)
{
	if (len == 4 && !strncmp(key, "exit", len))
		return &bl->exit_cost_ns;
	if (len == 3 && !strncmp(key, "ipi", len))
		return &bl->ipi_normal_ns;
	return NULL;
}

/* proj_bl_item - one "KEY=TIME" of @len bytes at @item into @bl. 0 or -EINVAL, @err set. */
static int proj_bl_item(const char *item, size_t len, struct projection_baseline *bl, char *err,
			size_t errlen)
{
	const char *eq = memchr(item, '=', len);
	char value[64];
	size_t vlen;
	uint64_t *field = eq ? proj_bl_key(bl, item, (size_t)(eq - item)) : NULL;
	int rc;

	if (!field) {
		snprintf(err, errlen, "'%.*s' is not exit=TIME or ipi=TIME", (int)len, item);
		return -EINVAL;
	}
	if (*field) {
		snprintf(err, errlen, "'%.*s' is given twice", (int)(eq - item), item);
		return -EINVAL;
	}
	vlen = len - (size_t)(eq - item) - 1;
	snprintf(value, sizeof(value), "%.*s", (int)vlen, eq + 1);
	rc = vlen < sizeof(value) ? cli_parse_u64(value, CLI_UNITS_TIME_NS, 1, 1, NS_PER_S, field)
				  : -EINVAL;
	if (rc == -ERANGE)
		snprintf(err, errlen, "'%.*s' is out of range: 1ns..1s", (int)len, item);
	else if (rc)
		snprintf(err, errlen,
			 "'%.*s' is not a time (a whole number with ns, us, ms or s; bare: ns)",
			 (int)len, item);
	return rc ? -EINVAL : 0;
}

int projection_baseline_parse(const char *text, struct projection_baseline *bl, char *err,
			      size_t errlen)
{
	const char *item = text, *comma;
	size_t len;
	int rc = 0;

	memset(bl, 0, sizeof(*bl));
	do {
		comma = strchr(item, ',');
		len = comma ? (size_t)(comma - item) : strlen(item);
		rc = proj_bl_item(item, len, bl, err, errlen);
		item = comma + 1;
	} while (!rc && comma);
	if (rc)
		memset(bl, 0, sizeof(*bl));
	return rc;
}
