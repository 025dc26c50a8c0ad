// SPDX-License-Identifier: MIT
/* quiet_mem - memory kept out of forked children and faulted in before the timed loop uses it. */
#include "lib/quiet_mem.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* pages - @bytes rounded up to whole pages (at least one). */
static size_t pages(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return bytes ? (bytes + page - 1) / page * page : page;
}

void *quiet_alloc(size_t bytes)
{
	size_t len = pages(bytes);
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	int err;

	if (p == MAP_FAILED)
		return NULL;
	if (madvise(p, len, MADV_DONTFORK) < 0) {
		err = errno;
		munmap(p, len);
		errno = err;
		return NULL;
	}
	return p;
}

void *quiet_realloc(void *p, size_t old, size_t bytes)
{
	size_t from = p ? pages(old) : 0, to = pages(bytes);
	char *q;

	if (!p)
		return quiet_alloc(bytes);
	q = mremap(p, from, to, MREMAP_MAYMOVE); /* the mapping keeps MADV_DONTFORK */
	if (q == MAP_FAILED)
		return NULL;
	if (to > from)
		memset(q + from, 0, to - from); /* fault the new pages in now, not in the loop */
	return q;
}

void quiet_free(void *p, size_t bytes)
{
	if (p)
		munmap(p, pages(bytes));
}
