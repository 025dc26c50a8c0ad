// SPDX-License-Identifier: MIT
/* test_gzstream - what goes through the gzip stream comes back out of zlib byte for byte. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "lib/gzstream.h"
#include "tests/unit/check.h"

/* test_round_trip - 3 MB of repetitive lines written in odd pieces, read back with gzread. */
static int test_round_trip(void)
{
	char path[] = "/tmp/test_gzstream_XXXXXX", line[64], back[64];
	FILE *under, *gz;
	gzFile in;
	int fd = mkstemp(path), i, ok = 1;

	CHECK(fd >= 0 && (under = fdopen(fd, "w")) != NULL);
	gz = gzstream_open(under);
	CHECK(gz != NULL);
	for (i = 0; i < 100000; i++)
		fprintf(gz, "{\"ts\": %d, \"name\": \"iteration\"},\n", i);
	CHECK(fclose(gz) == 0);
	CHECK(fclose(under) == 0);
	in = gzopen(path, "rb");
	CHECK(in != NULL);
	for (i = 0; i < 100000 && ok; i++) {
		snprintf(line, sizeof(line), "{\"ts\": %d, \"name\": \"iteration\"},\n", i);
		ok = gzgets(in, back, sizeof(back)) && !strcmp(line, back);
	}
	EXPECT(ok && gzgetc(in) == -1); /* every line, then the end */
	gzclose(in);
	unlink(path);
	return 0;
}

/* test_write_error - a full device underneath makes fclose() of the gzip stream fail. */
static int test_write_error(void)
{
	FILE *under = fopen("/dev/full", "w"), *gz;
	int i;

	if (!under)
		return check_skip("no /dev/full");
	setvbuf(under, NULL, _IONBF, 0); /* each write reaches the device */
	gz = gzstream_open(under);
	CHECK(gz != NULL);
	for (i = 0; i < 100000; i++)
		fprintf(gz, "%d %d %d\n", i, i * 7, i * 13);
	errno = 0;
	EXPECT(fclose(gz) == EOF && errno == ENOSPC);
	fclose(under);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(round_trip),
	    CHECK_CASE(write_error),
	};

	return CHECK_RUN(cases);
}
