// SPDX-License-Identifier: MIT
/* topology_file - parse `member N key=value ...` lines into a ring topology. */
#include "runner/topology_file.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cli.h"

#define TOPOLOGY_FILE_MAX (64u << 10) /* bytes of a topology file */

/* parse_state - where the parser is, for messages. */
struct parse_state {
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
};

/* bad - "'NAME' line N: ..." into the error; returns -EINVAL. */
__attribute__((format(printf, 2, 3))) static int bad(struct parse_state *ps, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	used = (size_t)snprintf(ps->err, ps->errlen, "'%s' line %u: ", ps->name, ps->line);
	if (used >= ps->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(ps->err + used, ps->errlen - used, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* next_token - the next blank-separated token of *@p, a "quoted" value kept whole. */
static char *next_token(char **p, bool *unterminated)
{
	char *s = *p, *tok, *q;

	s += strspn(s, " \t");
	if (!*s)
		return NULL;
	tok = s;
	q = strchr(s, '"');
	if (q && q < s + strcspn(s, " \t")) { /* key="value with blanks" */
		memmove(q, q + 1, strlen(q));
		s = strchr(q, '"');
		*unterminated = !s;
		if (!s)
			return NULL;
		memmove(s, s + 1, strlen(s));
	}
	s += strcspn(s, " \t");
	if (*s)
		*s++ = '\0';
	*p = s;
	return tok;
}

/* parse_uint - a whole number in [0, @max]. */
static bool parse_uint(const char *v, unsigned long max, unsigned long *out)
{
	char *end;

	if (*v < '0' || *v > '9')
		return false;
	errno = 0;
	*out = strtoul(v, &end, 10);
	return !*end && !errno && *out <= max;
}

/* set_cpu - cpu=N: an online CPU, or -1 for not pinned. */
static int set_cpu(struct parse_state *ps, struct topology_member *m, const char *v)
{
	unsigned long n;
	int cpu, badcpu = -1, rc;

	if (!strcmp(v, "-1")) {
		m->cpu = -1;
		return 0;
	}
	if (!parse_uint(v, CLI_CPU_MAX, &n))
		return bad(ps, "cpu '%s' is not a CPU number (or -1: not pinned)", v);
	cpu = (int)n;
	rc = cli_cpus_online(&cpu, 1, &badcpu);
	if (rc == -ENODEV)
		return bad(ps,
			   "CPU %d does not exist or is offline (see "
			   "/sys/devices/system/cpu/online)",
			   cpu);
	if (rc)
		return bad(ps, "cannot read the online CPUs: %s", strerror(-rc));
	m->cpu = cpu;
	return 0;
}

/* set_string - copy @v into @dst of @len bytes, refusing what does not fit. */
static int set_string(struct parse_state *ps, const char *key, char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return bad(ps, "%s '%s' is longer than %zu characters", key, v, len - 1);
	strcpy(dst, v);
	return 0;
}

/* prefix_words - the blank-separated words of @v. */
static unsigned int prefix_words(const char *v)
{
	unsigned int n = 0;

	for (v += strspn(v, " \t"); *v; v += strspn(v, " \t")) {
		n++;
		v += strcspn(v, " \t");
	}
	return n;
}

/* set_prefix - a launch prefix of at most PLACEMENT_PREFIX_WORDS words, none dropped. */
static int set_prefix(struct parse_state *ps, struct topology_member *m, const char *v)
{
	unsigned int n = prefix_words(v);

	if (n > PLACEMENT_PREFIX_WORDS)
		return bad(ps, "prefix has %u words, more than the %d a launch can take", n,
			   PLACEMENT_PREFIX_WORDS);
	return set_string(ps, "prefix", m->prefix, sizeof(m->prefix), v);
}

/* set_key - one key=value of member @m. */
static int set_key(struct parse_state *ps, struct topology_member *m, const char *key,
		   const char *v)
{
	unsigned long n;

	if (!strcmp(key, "role")) {
		if (strcmp(v, m->index ? "forwarder" : "master"))
			return bad(ps,
				   "member %u must have role=%s, not '%s' (member 0 is the "
				   "master, the others forward)",
				   m->index, m->index ? "forwarder" : "master", v);
		return 0;
	}
	if (!strcmp(key, "addr")) {
		if (inet_pton(AF_INET, v, &m->listen_addr) != 1)
			return bad(ps, "addr '%s' is not an IPv4 address", v);
		return 0;
	}
	if (!strcmp(key, "port")) {
		if (!parse_uint(v, 65535, &n))
			return bad(ps, "port '%s' is not 0..65535 (0: the kernel picks)", v);
		m->port = (uint16_t)n;
		return 0;
	}
	if (!strcmp(key, "cpu"))
		return set_cpu(ps, m, v);
	if (!strcmp(key, "netns"))
		return set_string(ps, key, m->netns, sizeof(m->netns), v);
	if (!strcmp(key, "prefix"))
		return set_prefix(ps, m, v);
	return bad(ps, "unknown key '%s' (keys: role, addr, port, cpu, netns, prefix)", key);
}

/* parse_member - "member N key=value ..." (the tokens after "member") into @topo. */
static int parse_member(struct parse_state *ps, char *rest, struct topology *topo)
{
	struct topology_member *m;
	bool unterminated = false, role = false;
	char *tok, *eq;
	unsigned long n;
	int rc;

	tok = next_token(&rest, &unterminated);
	if (!tok || !parse_uint(tok, PROBE_MAX_MEMBERS - 1, &n) || n != topo->nmembers)
		return bad(ps,
			   "expected 'member %u' (members are numbered 0.. in order, at most %d)",
			   topo->nmembers, PROBE_MAX_MEMBERS);
	m = &topo->members[topo->nmembers];
	memset(m, 0, sizeof(*m));
	m->index = (unsigned int)n;
	m->cpu = -1;
	m->listen_addr.s_addr = htonl(INADDR_LOOPBACK);
	while ((tok = next_token(&rest, &unterminated))) {
		eq = strchr(tok, '=');
		if (!eq)
			return bad(ps, "'%s' is not key=value", tok);
		*eq = '\0';
		rc = set_key(ps, m, tok, eq + 1);
		if (rc)
			return rc;
		role |= !strcmp(tok, "role");
	}
	if (unterminated)
		return bad(ps, "a quoted value is not closed");
	if (!role)
		return bad(ps, "member %u has no role= (master or forwarder)", m->index);
	if (!m->index && m->prefix[0])
		return bad(ps, "the master has a prefix: it is this process, only forwarders are "
			       "launched");
	topo->nmembers++;
	return 0;
}

/* parse_line - one line: blank, a # comment, or a member. */
static int parse_line(struct parse_state *ps, char *line, struct topology *topo)
{
	bool unterminated = false;
	char *word, *hash = line + strspn(line, " \t");

	if (*hash == '#' || !*hash)
		return 0;
	word = next_token(&line, &unterminated);
	if (!word)
		return bad(ps, "a quoted value is not closed");
	if (strcmp(word, "member"))
		return bad(ps, "'%s' is not a member line ('member N role=... addr=...')", word);
	return parse_member(ps, line, topo);
}

/*
 * text_only - refuse a NUL byte in the @len bytes of @text: C strings would end the file there
 * and parse a different ring without a word.
 */
static int text_only(const char *text, size_t len, const char *name, char *err, size_t errlen)
{
	const char *nul = memchr(text, '\0', len), *p;
	unsigned int line = 1;

	if (!nul)
		return 0;
	for (p = text; p < nul; p++)
		line += *p == '\n';
	snprintf(err, errlen, "'%s' line %u: a NUL byte (at offset %zu): a topology file is text",
		 name, line, (size_t)(nul - text));
	return -EINVAL;
}

int topology_file_parse(const char *text, size_t len, const char *name, struct topology *topo,
			char *err, size_t errlen)
{
	struct parse_state ps = {.name = name, .err = err, .errlen = errlen};
	char *copy, *line, *save = NULL;
	unsigned int i;
	int rc = 0;

	memset(topo, 0, sizeof(*topo));
	rc = text_only(text, len, name, err, errlen);
	if (rc)
		return rc;
	copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	for (line = copy; line && !rc; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = '\0';
		ps.line++;
		rc = parse_line(&ps, line, topo);
	}
	free(copy);
	if (rc)
		return rc;
	if (!topo->nmembers) {
		snprintf(err, errlen, "'%s' has no member: give at least 'member 0 role=master'",
			 name);
		return -EINVAL;
	}
	for (i = 0; i < topo->nmembers; i++)
		topo->members[i].next_addr = topo->members[(i + 1) % topo->nmembers].listen_addr;
	return 0;
}

int topology_file_load(const char *path, struct topology *topo, char *err, size_t errlen)
{
	char *text;
	size_t n;
	FILE *f;
	int rc;

	f = fopen(path, "re");
	if (!f) {
		rc = -errno;
		snprintf(err, errlen, "cannot open topology file '%s': %s", path, strerror(-rc));
		return rc;
	}
	text = calloc(1, TOPOLOGY_FILE_MAX + 1);
	n = text ? fread(text, 1, TOPOLOGY_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!text)
		return -ENOMEM;
	if (n > TOPOLOGY_FILE_MAX) {
		free(text);
		snprintf(err, errlen, "topology file '%s' is larger than %u bytes", path,
			 TOPOLOGY_FILE_MAX);
		return -EFBIG;
	}
	rc = topology_file_parse(text, n, path, topo, err, errlen);
	free(text);
	return rc;
}
