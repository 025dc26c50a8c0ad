// SPDX-License-Identifier: MIT
/*
 * cli_help - a command's --help from its table: the usage line, the description, one
 * heading per group with a line per option (its help, then its range or names and its default
 * as cli_value_describe says them), and the epilogue; wrapped at HELP_WIDTH columns.
 */
#include "lib/cli_help.h"

#include <string.h>

#include "lib/cli_value.h"

#define HELP_WIDTH   80
#define HELP_COL_MAX 28 /* the help text's column: past it, an option's text starts below it */

/*
 * put_words - @n bytes of @text as words from column @at (the cursor), wrapping at HELP_WIDTH
 * to column @col. Returns the cursor's column.
 */
static int put_words(FILE *f, const char *text, size_t n, int at, int col)
{
	const char *end = text + n, *p = text;
	int len;

	while (p < end) {
		p += strspn(p, " \n");
		if (p >= end)
			break;
		len = (int)strcspn(p, " \n");
		len = p + len > end ? (int)(end - p) : len;
		if (at > col && at + 1 + len > HELP_WIDTH) {
			fprintf(f, "\n%*s", col, "");
			at = col;
		} else if (at > col) {
			fputc(' ', f);
			at++;
		}
		fprintf(f, "%.*s", len, p);
		at += len;
		p += len;
	}
	return at;
}

/*
 * put_prose - @text as paragraphs ("\n\n" between), each wrapped at HELP_WIDTH; a line that
 * starts with two blanks (a list, a table) is printed as it stands.
 */
static void put_prose(FILE *f, const char *text)
{
	const char *line = text, *nl;
	int at = 0;
	size_t len;

	for (; *line; line = nl + (*nl == '\n')) {
		nl = line + strcspn(line, "\n");
		len = (size_t)(nl - line);
		if (!strncmp(line, "  ", 2) || !len) {
			if (at)
				fputc('\n', f);
			fprintf(f, "%.*s\n", (int)len, line);
			at = 0;
			continue;
		}
		at = put_words(f, line, len, at, 0);
	}
	if (at)
		fputc('\n', f);
}

/* option_left - "  -x, --name ARG" or "      --name ARG" of @o. */
static void option_left(const struct cli_opt *o, char *buf, size_t len)
{
	snprintf(buf, len, "  %c%c%c --%s%s%s", o->letter ? '-' : ' ', o->letter ? o->letter : ' ',
		 o->letter ? ',' : ' ', o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* help_column - where the options' texts start: after the widest left part, at most the max. */
static int help_column(const struct cli_opt_group *const *groups, size_t n)
{
	const struct cli_opt *o;
	char left[128];
	int col = 0, w;
	size_t i;

	for (i = 0; i < n; i++) {
		for (o = groups[i]->opts; o && o->name; o++) {
			option_left(o, left, sizeof(left));
			w = (int)strlen(left) + 2;
			if (w > col && w <= HELP_COL_MAX)
				col = w;
		}
	}
	return col ? col : HELP_COL_MAX;
}

/* put_option - one option: its left part, its text from @col, wrapped. */
static void put_option(FILE *f, const struct cli_opt *o, int col)
{
	char left[128], more[256];
	int at;

	option_left(o, left, sizeof(left));
	at = fprintf(f, "%s", left);
	if (at + 2 > col) {
		fputc('\n', f);
		at = 0;
	}
	fprintf(f, "%*s", col - at, "");
	at = put_words(f, o->help, strlen(o->help), col, col);
	cli_value_describe(o, more, sizeof(more));
	if (more[0])
		put_words(f, more, strlen(more), at, col);
	fputc('\n', f);
}

/* put_group - the heading ("title: about", wrapped), then the options of @g. */
static void put_group(FILE *f, const struct cli_opt_group *g, int col)
{
	const struct cli_opt *o;
	int at;

	at = fprintf(f, "%s:", g->title);
	if (g->about)
		at = put_words(f, g->about, strlen(g->about), at, 2);
	if (!g->opts || !g->opts->name)
		put_words(f, "(no options)", 12, at, 2);
	fputc('\n', f);
	for (o = g->opts; o && o->name; o++)
		put_option(f, o, col);
}

void cli_help(FILE *f, const struct cli_command *cmd)
{
	const struct cli_opt_group *groups[CLI_GROUPS_MAX];
	size_t n = cli_command_groups(cmd, groups), i;
	int col = help_column(groups, n);

	fprintf(f, "usage: ringscope %s %s\n\n", cmd->name, cmd->synopsis);
	put_prose(f, cmd->description);
	for (i = 0; i < n; i++) {
		fputc('\n', f);
		put_group(f, groups[i], col);
	}
	if (cmd->epilogue) {
		fputc('\n', f);
		put_prose(f, cmd->epilogue);
	}
}
