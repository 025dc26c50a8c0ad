// SPDX-License-Identifier: MIT
/* measure_state - the reason a measurement failed, kept once for all of measure's parts. */
#include "runner/measure_state.h"

#include <stdio.h>
#include <string.h>

int measure_fail(struct measure_state *st, int rc, const char *what, const char *detail)
{
	if (!st->res->err[0])
		snprintf(st->res->err, sizeof(st->res->err), "%s probe '%s': %s", what,
			 st->cfg->probe, *detail ? detail : strerror(-rc));
	return rc;
}
