/* SPDX-License-Identifier: MIT */
/* cli_value - an option's value by its row's kind: parse, check the range, store, describe. */
#ifndef RINGSCOPE_CLI_VALUE_H
#define RINGSCOPE_CLI_VALUE_H

#include <stddef.h>

#include "lib/cli_command.h"

/*
 * cli_value_set - convert @value as @o's kind into @target (a NULL value: a flag, set true).
 * Returns 0, or -EINVAL/-ERANGE/-ENODEV with @err saying what is wrong, naming the option.
 */
int cli_value_set(const struct cli_opt *o, const char *value, void *target, char *err,
		  size_t errlen);

/*
 * cli_value_describe - what the help adds after a row's text: its names or range and its
 * default, "(1..16; default 2)"; "" when it has none.
 */
void cli_value_describe(const struct cli_opt *o, char *buf, size_t len);

#endif
