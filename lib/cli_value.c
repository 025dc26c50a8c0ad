// SPDX-License-Identifier: MIT
/* cli_value - an option's value by its row's kind: parse, check the range, store, describe. */
#include "lib/cli_value.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"

#define NS_PER_US 1000ULL
#define NS_PER_MS 1000000ULL
#define NS_PER_S  1000000000ULL

/* store_uint - @v into the @width bytes at @p (the range made sure it fits). */
static void store_uint(void *p, unsigned int width, uint64_t v)
{
	uint8_t v8 = (uint8_t)v;
	uint16_t v16 = (uint16_t)v;
	uint32_t v32 = (uint32_t)v;

	if (width == 1)
		memcpy(p, &v8, 1);
	else if (width == 2)
		memcpy(p, &v16, 2);
	else if (width == 4)
		memcpy(p, &v32, 4);
	else
		memcpy(p, &v, 8);
}

struct unit_name {
	uint64_t scale;
	const char *suffix;
};

static const struct unit_name time_names[] = {
    {NS_PER_S, "s"}, {NS_PER_MS, "ms"}, {NS_PER_US, "us"}, {1, "ns"}, {0, NULL}};
static const struct unit_name size_names[] = {
    {1ULL << 30, "G"}, {1ULL << 20, "M"}, {1ULL << 10, "K"}, {1, ""}, {0, NULL}};

/*
 * format_limit - @v as a user of the option writes it: a count, or bytes and times in the
 * largest unit that holds them whole ("1G", "10s"); 0 bare.
 */
static void format_limit(const struct cli_opt *o, uint64_t v, char *buf, size_t len)
{
	const struct unit_name *u = o->kind == CLI_OPT_TIME   ? time_names
				    : o->kind == CLI_OPT_SIZE ? size_names
							      : NULL;

	if (!u || !v) {
		snprintf(buf, len, "%llu", (unsigned long long)v);
		return;
	}
	while (u[1].suffix && v % u->scale)
		u++;
	snprintf(buf, len, "%llu%s", (unsigned long long)(v / u->scale), u->suffix);
}

/* range_text - "LO..HI" of a numeric row. */
static void range_text(const struct cli_opt *o, char *buf, size_t len)
{
	char lo[32], hi[32];

	if (o->kind == CLI_OPT_DOUBLE) {
		snprintf(buf, len, "%.15g..%.15g", o->dmin, o->dmax);
		return;
	}
	format_limit(o, o->min, lo, sizeof(lo));
	format_limit(o, o->max, hi, sizeof(hi));
	snprintf(buf, len, "%s..%s", lo, hi);
}

/* names_text - "a, b, c" of an ENUM row, or with @last " or " before the last name. */
static void names_text(const struct cli_opt *o, const char *last, char *buf, size_t len)
{
	size_t i, used = 0;

	buf[0] = '\0';
	for (i = 0; o->names[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 !i		   ? ""
					 : o->names[i + 1] ? ", "
							   : last,
					 o->names[i]);
}

/* number_kind - what a value of @o must look like, for "is not a ..." */
static const char *number_kind(const struct cli_opt *o)
{
	switch (o->kind) {
	case CLI_OPT_SIZE:
		return "size (bytes, or K, M, G)";
	case CLI_OPT_TIME:
		return "time (ns, us, ms or s)";
	case CLI_OPT_DOUBLE:
		return "number";
	default:
		return "whole number";
	}
}

/*
 * number_hint - what a refused whole number did that its kind does not say: "1e6", "0.5ms",
 * "1,000" read as numbers to a user, and the message says why they are not.
 */
static const char *number_hint(const struct cli_opt *o, const char *value)
{
	if (o->kind == CLI_OPT_DOUBLE || !isdigit((unsigned char)value[0]) ||
	    !strpbrk(value, ".,_eE"))
		return "";
	if (o->kind == CLI_OPT_TIME)
		return " in whole numbers: 500us, not 0.5ms";
	if (o->kind == CLI_OPT_SIZE)
		return " in whole numbers: 512K, not 0.5M";
	return ": digits only, 1000000, not 1e6 or 1,000,000";
}

/* bad_number - the message for a refused number: not a number (-EINVAL) or out of range. */
static int bad_number(const struct cli_opt *o, const char *value, int rc, char *err, size_t len)
{
	char range[80];

	if (rc != -ERANGE) {
		snprintf(err, len, "--%s '%s' is not a %s%s", o->name, value, number_kind(o),
			 number_hint(o, value));
		return -EINVAL;
	}
	range_text(o, range, sizeof(range));
	snprintf(err, len, "--%s '%s' is out of range: %s", o->name, value, range);
	return -ERANGE;
}

/*
 * out_of_range - a number outside the row's range, said the row's way when it has one: "--NAME
 * VALUE is too small: ...". Returns -ERANGE.
 */
static int out_of_range(const struct cli_opt *o, const char *value, enum cli_units units, char *err,
			size_t len)
{
	uint64_t v = UINT64_MAX;

	if (!o->below || !o->above)
		return bad_number(o, value, -ERANGE, err, len);
	cli_parse_u64(value, units, o->unit ? o->unit : 1, 0, UINT64_MAX, &v);
	snprintf(err, len, "--%s %s %s", o->name, value, v < o->min ? o->below : o->above);
	return -ERANGE;
}

/* set_number - COUNT, SIZE, TIME: parse with the row's units, check the range, store. */
static int set_number(const struct cli_opt *o, const char *value, void *p, char *err, size_t len)
{
	enum cli_units units = o->kind == CLI_OPT_SIZE	 ? CLI_UNITS_SIZE
			       : o->kind == CLI_OPT_TIME ? CLI_UNITS_TIME_NS
							 : CLI_UNITS_NONE;
	uint64_t v;
	int rc = cli_parse_u64(value, units, o->unit ? o->unit : 1, o->min, o->max, &v);

	if (rc == -ERANGE)
		return out_of_range(o, value, units, err, len);
	if (rc)
		return bad_number(o, value, rc, err, len);
	if (o->kind == CLI_OPT_TIME && o->store_unit)
		v /= o->store_unit;
	store_uint(p, o->width, v);
	return 0;
}

/* set_enum - the index of @value among the row's names. */
static int set_enum(const struct cli_opt *o, const char *value, void *p, char *err, size_t len)
{
	char list[160];
	size_t i;

	for (i = 0; o->names[i]; i++) {
		if (!strcmp(value, o->names[i])) {
			store_uint(p, o->width, i);
			return 0;
		}
	}
	names_text(o, ", ", list, sizeof(list));
	snprintf(err, len, "--%s '%s' is not one of: %s", o->name, value, list);
	return -EINVAL;
}

/* set_cpus - a CPU list whose every CPU is online. */
static int set_cpus(const struct cli_opt *o, const char *value, struct cli_cpus *c, char *err,
		    size_t len)
{
	int n = cli_parse_cpu_list(value, c->cpu, CLI_CPUS_MAX), bad = -1, rc;

	if (n == -E2BIG) {
		snprintf(err, len, "--%s '%s' lists more than %d CPUs", o->name, value,
			 CLI_CPUS_MAX);
		return -ERANGE;
	}
	if (n == -ERANGE) {
		snprintf(err, len, "--%s '%s' names a CPU above %d", o->name, value, CLI_CPU_MAX);
		return n;
	}
	if (n == -EDOM) {
		snprintf(err, len,
			 "--%s '%s' has a range that ends below its start (write 1-3, not "
			 "3-1)",
			 o->name, value);
		return n;
	}
	if (n < 0) {
		snprintf(err, len, "--%s '%s' is not a CPU list like 0,2 or 0-3", o->name, value);
		return -EINVAL;
	}
	rc = cli_cpus_online(c->cpu, n, &bad);
	if (rc == -ENODEV)
		snprintf(err, len, "--%s: CPU %d is not online (%s lists the online ones)", o->name,
			 bad, CLI_CPU_ONLINE_PATH);
	else if (rc)
		snprintf(err, len, "--%s: failed to read '%s': %s", o->name, CLI_CPU_ONLINE_PATH,
			 strerror(-rc));
	c->n = rc ? 0 : n;
	return rc;
}

/* set_path - a file name: something, and short enough to be one. */
static int set_path(const struct cli_opt *o, const char *value, void *p, char *err, size_t len)
{
	if (!*value) {
		snprintf(err, len, "--%s is empty: give a file name", o->name);
		return -EINVAL;
	}
	if (strlen(value) >= PATH_MAX) {
		snprintf(err, len, "--%s is over %d bytes: give a shorter path", o->name,
			 PATH_MAX - 1);
		return -ERANGE;
	}
	memcpy(p, &value, sizeof(value));
	return 0;
}

int cli_value_set(const struct cli_opt *o, const char *value, void *target, char *err,
		  size_t errlen)
{
	void *p = (char *)target + o->off;
	bool yes = true;
	double d;
	int rc;

	switch (o->kind) {
	case CLI_OPT_FLAG:
		memcpy(p, &yes, sizeof(yes));
		return 0;
	case CLI_OPT_COUNT:
	case CLI_OPT_SIZE:
	case CLI_OPT_TIME:
		return set_number(o, value, p, err, errlen);
	case CLI_OPT_DOUBLE:
		rc = cli_parse_double(value, o->dmin, o->dmax, &d);
		if (rc)
			return bad_number(o, value, rc, err, errlen);
		memcpy(p, &d, sizeof(d));
		return 0;
	case CLI_OPT_ENUM:
		return set_enum(o, value, p, err, errlen);
	case CLI_OPT_CPUS:
		return set_cpus(o, value, p, err, errlen);
	case CLI_OPT_STRING:
		memcpy(p, &value, sizeof(value));
		return 0;
	case CLI_OPT_PATH:
		return set_path(o, value, p, err, errlen);
	default: /* JSON, VERBOSE and HELP act while parsing: nothing to store */
		return 0;
	}
}

/* preset_text - what a PRESET row stands for: "--runs 50 --iterations 10000". */
static void preset_text(const struct cli_opt *o, char *buf, size_t len)
{
	const char *const *p;
	size_t used = 0;

	buf[0] = '\0';
	for (p = o->preset; p[0] && p[1] && used < len; p += 2)
		used += (size_t)snprintf(buf + used, len - used, "%s--%s %s", used ? " " : "", p[0],
					 p[1]);
}

/* default_text - the default as the help shows it: quoted when it holds a blank. */
static void default_text(const struct cli_opt *o, char *buf, size_t len)
{
	snprintf(buf, len, strchr(o->def, ' ') ? "default \"%s\"" : "default %s", o->def);
}

void cli_value_describe(const struct cli_opt *o, char *buf, size_t len)
{
	char what[160] = "", def[160] = "";

	if (o->kind == CLI_OPT_ENUM)
		names_text(o, " or ", what, sizeof(what));
	else if (o->kind == CLI_OPT_PRESET)
		preset_text(o, what, sizeof(what));
	else if (o->kind == CLI_OPT_COUNT || o->kind == CLI_OPT_SIZE || o->kind == CLI_OPT_TIME ||
		 o->kind == CLI_OPT_DOUBLE)
		range_text(o, what, sizeof(what));
	if (o->def)
		default_text(o, def, sizeof(def));
	if (!what[0] && !def[0])
		buf[0] = '\0';
	else
		snprintf(buf, len, "(%s%s%s)", what, what[0] && def[0] ? "; " : "", def);
}
