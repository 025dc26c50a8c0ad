// SPDX-License-Identifier: MIT
/*
 * cli_args - parse a command line against a command's option table: the getopt strings are made
 * from the rows, getopt runs once, and the values are stored per group afterwards, so that
 * --json and --verbose hold for every message of the parse wherever they stand.
 */
#include "lib/cli_args.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/cli_help.h"
#include "lib/cli_value.h"

#define CLI_ROWS_MAX 96	 /* distinct long names of a command */
#define LONG_ONLY    256 /* getopt's value of long-only row i is LONG_ONLY + i */

/* getopt_table - a command's rows for getopt: one per long name, the first of that name. */
struct getopt_table {
	const struct cli_opt *rows[CLI_ROWS_MAX];
	struct option longopts[CLI_ROWS_MAX + 1];
	char shortopts[2 * CLI_ROWS_MAX + 2];
	size_t n;
};

/* find_row - the row of @t named @name, or NULL. */
static const struct cli_opt *find_row(const struct getopt_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->rows[i]->name, name))
			return t->rows[i];
	return NULL;
}

/* add_row - @o into @t unless a row of its name is there already (probes share options). */
static void add_row(struct getopt_table *t, const struct cli_opt *o)
{
	bool takes_value = o->arg != NULL;
	size_t len = strlen(t->shortopts);

	if (find_row(t, o->name) || t->n == CLI_ROWS_MAX)
		return;
	t->longopts[t->n] = (struct option){o->name, takes_value ? required_argument : no_argument,
					    NULL, o->letter ? o->letter : LONG_ONLY + (int)t->n};
	if (o->letter) {
		t->shortopts[len++] = o->letter;
		if (takes_value)
			t->shortopts[len++] = ':';
		t->shortopts[len] = '\0';
	}
	t->rows[t->n++] = o;
}

/* getopt_table_make - the rows of every group of @cmd; shortopts starts with ':' (see below). */
static void getopt_table_make(const struct cli_command *cmd, struct getopt_table *t)
{
	const struct cli_opt_group *groups[CLI_GROUPS_MAX];
	const struct cli_opt *o;
	size_t n = cli_command_groups(cmd, groups), i;

	memset(t, 0, sizeof(*t));
	t->shortopts[0] = ':'; /* a missing value is ':', told apart from an unknown option */
	for (i = 0; i < n; i++)
		for (o = groups[i]->opts; o && o->name; o++)
			add_row(t, o);
}

/* row_of - the row getopt's @c stands for, or NULL. */
static const struct cli_opt *row_of(const struct getopt_table *t, int c)
{
	size_t i;

	if (c >= LONG_ONLY)
		return (size_t)(c - LONG_ONLY) < t->n ? t->rows[c - LONG_ONLY] : NULL;
	for (i = 0; i < t->n; i++)
		if (t->rows[i]->letter == c)
			return t->rows[i];
	return NULL;
}

/*
 * option_error - why getopt refused @word (':' a missing value, '?' anything else), into @err.
 * In "-xj" the word is the whole cluster: the short option is optopt.
 */
static void option_error(const struct getopt_table *t, int c, const char *word, char *err,
			 size_t len)
{
	bool is_long = !strncmp(word, "--", 2);
	char name[64];
	const struct cli_opt *o;

	if (c == ':' && !is_long)
		snprintf(err, len, "'-%c' needs a value", optopt);
	else if (c == ':')
		snprintf(err, len, "'%s' needs a value", word);
	else if (!is_long && optopt)
		snprintf(err, len, "unknown option '-%c'", optopt);
	else {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(word + 2, "="), word + 2);
		o = find_row(t, name);
		if (o && !o->arg && strchr(word, '='))
			snprintf(err, len, "'--%s' takes no value", name);
		else
			snprintf(err, len, "unknown option '%s'", word);
	}
}

/* names_option - whether @word is an option of @t as written: "--NAME[=...]" or "-X". */
static bool names_option(const struct getopt_table *t, const char *word)
{
	char name[64];
	size_t i;

	if (!strncmp(word, "--", 2)) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(word + 2, "="), word + 2);
		return find_row(t, name) != NULL;
	}
	if (word[0] != '-' || !word[1] || word[2])
		return false;
	for (i = 0; i < t->n; i++)
		if (t->rows[i]->letter == word[1])
			return true;
	return false;
}

/*
 * value_error - an option whose value is another option of the command ("--probe -o x.rst":
 * getopt takes "-o" as the probe): say that the value is missing, rather than that "x.rst" is
 * unexpected. Returns whether it was.
 */
static bool value_error(const struct getopt_table *t, const struct cli_opt *o, const char *value,
			char *err, size_t len)
{
	if (!o->arg || !value || !names_option(t, value))
		return false;
	snprintf(err, len, "--%s needs a value %s, not the option '%s' after it", o->name, o->arg,
		 value);
	return true;
}

/* take - one option getopt returned: act on --json, --verbose, --help; keep the rest. */
static int take(struct cli_args *a, const struct cli_opt *o, const char *value, char *err,
		size_t len)
{
	if (o->kind == CLI_OPT_JSON)
		cli_json_mode = true;
	else if (o->kind == CLI_OPT_VERBOSE)
		cli_verbose_mode = true;
	else if (o->kind == CLI_OPT_HELP)
		a->help = true;
	if (a->ngiven == CLI_GIVEN_MAX) {
		snprintf(err, len, "more than %d options", CLI_GIVEN_MAX);
		return -1;
	}
	a->given[a->ngiven++] = (struct cli_given){o, value, o->kind >= CLI_OPT_JSON};
	return 0;
}

/* check_operands - the count of operands against what @cmd takes; "" into @err when right. */
static void check_operands(const struct cli_command *cmd, struct cli_args *a, char *err, size_t len)
{
	if (a->noperands > cmd->max_operands && !cmd->max_operands)
		snprintf(err, len, "unexpected argument '%s'", a->operands[0]);
	else if (a->noperands > cmd->max_operands)
		snprintf(err, len, "expected %s, got '%s' too", cmd->operands,
			 a->operands[cmd->max_operands]);
	else if (a->noperands < cmd->min_operands)
		snprintf(err, len, "missing %s", cmd->operands);
}

int cli_args_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *a)
{
	static struct getopt_table t; /* large; a parse is never nested in another */
	char err[512] = "";
	const struct cli_opt *o;
	int c;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	getopt_table_make(cmd, &t);
	optind = 0; /* glibc: 0 resets getopt fully, so a process may parse more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, t.shortopts, t.longopts, NULL)) != -1) {
		o = c == ':' || c == '?' ? NULL : row_of(&t, c);
		if (!o && !err[0])
			option_error(&t, c, argv[optind - 1], err, sizeof(err));
		else if (o && !err[0] && value_error(&t, o, optarg, err, sizeof(err)))
			continue;
		else if (o && take(a, o, optarg, err, sizeof(err)))
			break;
	}
	a->operands = argv + optind;
	a->noperands = (unsigned int)(argc - optind);
	if (a->help) {
		cli_help(stdout, cmd);
		return CLI_EXIT_OK;
	}
	if (!err[0])
		check_operands(cmd, a, err, sizeof(err));
	return err[0] ? cli_usage_error(cmd->name, "%s", err) : CLI_EXIT_OK;
}

/* in_group - @g's row called @name, or NULL. */
static const struct cli_opt *in_group(const struct cli_opt_group *g, const char *name)
{
	const struct cli_opt *r;

	for (r = g->opts; r && r->name; r++)
		if (!strcmp(r->name, name))
			return r;
	return NULL;
}

/*
 * set_in_group - @value for the row of @g called @name (a PRESET: each of its pairs, in order).
 * 0, or -errno with @err set.
 */
static int set_in_group(const struct cli_opt_group *g, const struct cli_opt *o, const char *value,
			void *target, char *err, size_t len)
{
	const struct cli_opt *to;
	const char *const *p;
	int rc;

	if (o->kind != CLI_OPT_PRESET)
		return cli_value_set(o, value, target, err, len);
	for (p = o->preset; p[0] && p[1]; p += 2) {
		to = in_group(g, p[0]);
		rc = to ? cli_value_set(to, p[1], target, err, len) : -ENOENT;
		if (rc == -ENOENT)
			snprintf(err, len, "--%s sets --%s, which its group lacks", o->name, p[0]);
		if (rc)
			return rc;
	}
	return 0;
}

/* writes - whether setting row @o of @g (a PRESET: any row it sets) writes @field's bytes. */
static bool writes(const struct cli_opt_group *g, const struct cli_opt *o,
		   const struct cli_opt *field)
{
	const struct cli_opt *to;
	const char *const *p;

	if (o->kind != CLI_OPT_PRESET)
		return o->off < field->off + field->width && field->off < o->off + o->width;
	for (p = o->preset; p[0] && p[1]; p += 2) {
		to = in_group(g, p[0]);
		if (to && writes(g, to, field))
			return true;
	}
	return false;
}

/* preset_text - " (--P means --A 1 --B 2)" for the PRESET row @p, "" for NULL. */
static void preset_text(const struct cli_opt *p, char *buf, size_t len)
{
	const char *const *v;
	size_t used;

	buf[0] = '\0';
	if (!p)
		return;
	used = (size_t)snprintf(buf, len, " (--%s means", p->name);
	for (v = p->preset; v[0] && v[1] && used < len; v += 2)
		used += (size_t)snprintf(buf + used, len - used, " --%s %s", v[0], v[1]);
	if (used < len)
		snprintf(buf + used, len - used, ")");
}

/*
 * clashes - two options of @g given that set the same setting, where which one counts would
 * hang silently on their order: two names of one value (--requests and --iterations), or a
 * preset given after a row it sets (--runs 3 --paper would undo the 3). A preset refined by a
 * row after it (--paper --runs 2) is what it says, and one option given twice takes its last
 * value, as usual. Returns whether, @err set.
 */
static bool clashes(const struct cli_args *a, const struct cli_opt_group *g, size_t i, char *err,
		    size_t len)
{
	const struct cli_opt *o = in_group(g, a->given[i].opt->name), *q;
	char means[160];
	size_t j;

	for (j = 0; j < i; j++) {
		q = in_group(g, a->given[j].opt->name);
		if (!q || q == o || q->kind >= CLI_OPT_JSON || q->kind == CLI_OPT_PRESET)
			continue;
		if (!writes(g, o, q))
			continue;
		preset_text(o->kind == CLI_OPT_PRESET ? o : NULL, means, sizeof(means));
		snprintf(err, len, "--%s and --%s set the same thing%s: give one of them%s",
			 q->name, o->name, means,
			 o->kind == CLI_OPT_PRESET ? ", or the preset first" : "");
		return true;
	}
	return false;
}

int cli_args_apply(struct cli_args *a, const struct cli_opt_group *g, void *target)
{
	const struct cli_opt *o;
	char err[512];
	size_t i;

	for (o = g->opts; o && o->name; o++) {
		if (o->def && cli_value_set(o, o->def, target, err, sizeof(err)))
			return cli_usage_error(a->cmd->name, "the default of %s", err);
	}
	for (i = 0; i < a->ngiven; i++) {
		o = in_group(g, a->given[i].opt->name);
		if (!o || o->kind >= CLI_OPT_JSON)
			continue;
		if (clashes(a, g, i, err, sizeof(err)) ||
		    set_in_group(g, o, a->given[i].value, target, err, sizeof(err)))
			return cli_usage_error(a->cmd->name, "%s", err);
		a->given[i].used = true;
	}
	return CLI_EXIT_OK;
}

bool cli_args_given(const struct cli_args *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->ngiven; i++)
		if (!strcmp(a->given[i].opt->name, name))
			return true;
	return false;
}

const struct cli_given *cli_args_unused(const struct cli_args *a)
{
	size_t i;

	for (i = 0; i < a->ngiven; i++)
		if (!a->given[i].used)
			return &a->given[i];
	return NULL;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, void *const *targets,
	      struct cli_args *a)
{
	const struct cli_opt_group *groups[CLI_GROUPS_MAX];
	size_t n, i;
	int rc;

	rc = cli_args_parse(cmd, argc, argv, a);
	if (rc || a->help)
		return rc;
	n = cli_command_groups(cmd, groups);
	for (i = 0; i < n; i++) {
		rc = cli_args_apply(a, groups[i], targets ? targets[groups[i]->target] : NULL);
		if (rc)
			return rc;
	}
	return CLI_EXIT_OK;
}
