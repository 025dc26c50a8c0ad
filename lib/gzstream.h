/* SPDX-License-Identifier: MIT */
/*
 * gzstream - a stdio stream that gzips what is written to it into another stream (zlib's deflate
 * with the gzip wrapper), so a writer made for FILE * (the Perfetto export) can write a
 * compressed file that ui.perfetto.dev and `zcat` read, with no second pass and no temporary
 * copy.
 */
#ifndef RINGSCOPE_GZSTREAM_H
#define RINGSCOPE_GZSTREAM_H

#include <stdio.h>

/*
 * gzstream_open - a write-only stream gzipping into @under (which stays the caller's, open after
 * the gzip stream is closed). fclose() of the returned stream ends the gzip member and fails
 * (EOF, errno set) when any write to @under failed. NULL with errno set when out of memory.
 */
FILE *gzstream_open(FILE *under);

#endif
