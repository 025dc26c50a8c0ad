/* SPDX-License-Identifier: MIT */
/*
 * quiet_mem - memory the timed thread writes between two timed windows (the run's pending
 * samples, the per-hop times): never shared with a forked child and faulted in before use.
 *
 * Why: every run forks its ring members, and a fork makes the parent's written pages
 * copy-on-write; the first write into each 4 KiB page after it then faults. Samples of 64 bytes
 * fill a page every 64 iterations, and on this guest a fault between two windows made the next
 * round trip ~3x slower: a periodic line of ringscope's own (docs/patterns.md, "A worked
 * finding"). MADV_DONTFORK keeps these pages out of the child; MAP_POPULATE faults them in
 * when they are made.
 */
#ifndef RINGSCOPE_QUIET_MEM_H
#define RINGSCOPE_QUIET_MEM_H

#include <stddef.h>

/* quiet_alloc - @bytes of zeroed quiet memory (rounded up to pages); NULL with errno set. */
void *quiet_alloc(size_t bytes);

/*
 * quiet_realloc - @p (of @old bytes, NULL: none) grown or shrunk to @bytes, its contents kept
 * and every new page faulted in; NULL with errno set (@p is then unchanged).
 */
void *quiet_realloc(void *p, size_t old, size_t bytes);

/* quiet_free - release @p of @bytes (NULL: nothing). */
void quiet_free(void *p, size_t bytes);

#endif
