// SPDX-License-Identifier: MIT
/* test_topology_file - the topology file parser: good files, and bad ones named by their line. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "runner/topology_file.h"
#include "tests/unit/check.h"

/* parse - @text as file "t"; its result, the message in @err. */
static int parse(const char *text, struct topology *topo, char *err)
{
	err[0] = '\0';
	return topology_file_parse(text, strlen(text), "t", topo, err, 256);
}

/* addr_is - whether @a is the dotted address @text. */
static int addr_is(struct in_addr a, const char *text)
{
	char buf[INET_ADDRSTRLEN];

	return !strcmp(inet_ntop(AF_INET, &a, buf, sizeof(buf)), text);
}

static int test_good(void)
{
	struct topology t;
	char err[256];

	CHECK(parse("# a netns ring\n\n"
		    "member 0 role=master addr=198.18.0.1 port=5000 cpu=0\n"
		    "  member 1 role=forwarder addr=198.18.0.2 netns=ns1 "
		    "prefix=\"ip netns exec ns1\"\n"
		    "member 2 role=forwarder addr=198.18.0.3 cpu=-1 prefix=\"ssh host-b\"\n",
		    &t, err) == 0);
	CHECK(t.nmembers == 3);
	CHECK(t.members[0].port == 5000 && t.members[0].cpu == 0 && !t.members[0].prefix[0]);
	CHECK(!strcmp(t.members[1].netns, "ns1"));
	CHECK(!strcmp(t.members[1].prefix, "ip netns exec ns1"));
	CHECK(!strcmp(t.members[2].prefix, "ssh host-b") && t.members[2].cpu == -1);
	CHECK(addr_is(t.members[0].next_addr, "198.18.0.2"));
	CHECK(addr_is(t.members[2].next_addr, "198.18.0.1"));
	CHECK(parse("member 0 role=master\n", &t, err) == 0 && t.nmembers == 1);
	CHECK(addr_is(t.members[0].listen_addr, "127.0.0.1") && t.members[0].cpu == -1);
	return 0;
}

/* bad_case - @text fails with a message containing @want. */
static int bad_case(const char *text, const char *want)
{
	struct topology t;
	char err[256];

	CHECK(parse(text, &t, err) != 0);
	if (!strstr(err, want)) {
		fprintf(stderr, "error '%s' lacks '%s'\n", err, want);
		return 1;
	}
	return 0;
}

static int test_bad(void)
{
	CHECK(!bad_case("", "has no member"));
	CHECK(!bad_case("member 0 role=master\nmember 1 role=forwarder colour=red\n",
			"'t' line 2: unknown key 'colour'"));
	CHECK(!bad_case("member 1 role=forwarder\n", "line 1: expected 'member 0'"));
	CHECK(!bad_case("member 0 role=forwarder\n", "member 0 must have role=master"));
	CHECK(!bad_case("member 0 role=master\nmember 1 role=master\n",
			"line 2: member 1 must have role=forwarder"));
	CHECK(!bad_case("member 0 role=master addr=10.0.0.300\n", "not an IPv4 address"));
	CHECK(!bad_case("member 0 role=master port=70000\n", "port '70000' is not 0..65535"));
	CHECK(!bad_case("member 0 role=master cpu=4095\n", "CPU 4095 does not exist"));
	CHECK(!bad_case("member 0 role=master\n#\nmember 1 prefix=\"ssh b\n", "line 3: a quoted"));
	CHECK(!bad_case("member 0 role=master\nmember 1 addr=127.0.0.1\n",
			"line 2: member 1 has no role"));
	CHECK(!bad_case("member 0 role=master prefix=\"ssh a\"\n", "the master has a prefix"));
	CHECK(!bad_case("host a\n", "line 1: 'host' is not a member line"));
	CHECK(!bad_case("member 0 role=master\nmember 1 role=forwarder cpu\n",
			"'cpu' is not key=value"));
	return 0;
}

/* hostile - files made to break the parser: refused with their line, never a crash. */
static int test_hostile(void)
{
	static const char nul[] = "member 0 role=master\nmember 1 role=forwarder\n\0"
				  "member 2 role=forwarder\n";
	char words[400] = "member 0 role=master\nmember 1 role=forwarder prefix=\"";
	struct topology t;
	char err[256];
	int i;

	/* a line that starts with an unclosed quote crashed the parser (issue 13) */
	CHECK(!bad_case("\"member 0 role=master\n", "line 1: a quoted value is not closed"));
	CHECK(!bad_case("member 0 role=master\n  \"\n", "line 2: a quoted value is not closed"));
	CHECK(!bad_case("\"", "line 1: a quoted value is not closed"));
	/* a NUL byte silently ended the file: a ring of 2 instead of 3 */
	err[0] = '\0';
	CHECK(topology_file_parse(nul, sizeof(nul) - 1, "t", &t, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "'t' line 3: a NUL byte (at offset 45)"));
	/* launch-prefix words after the 24th were silently dropped */
	for (i = 0; i < PLACEMENT_PREFIX_WORDS + 1; i++)
		strcat(words, i ? " w" : "w");
	strcat(words, "\"\n");
	CHECK(!bad_case(words, "line 2: prefix has 25 words, more than the 24"));
	words[strlen(words) - 4] = '\0'; /* 24 words: taken whole */
	strcat(words, "\"\n");
	CHECK(parse(words, &t, err) == 0 && t.nmembers == 2);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(good),
	    CHECK_CASE(bad),
	    CHECK_CASE(hostile),
	};

	return CHECK_RUN(cases);
}
