// SPDX-License-Identifier: MIT
/* hugemem - transparent huge pages for the large arrays of an analysis (see hugemem.h). */
#include "lib/hugemem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define HUGEMEM_PAGE (2u << 20)
#define HUGEMEM_MIN  (2 * HUGEMEM_PAGE)

void hugemem_advise(void *p, size_t len)
{
	uintptr_t start = ((uintptr_t)p + HUGEMEM_PAGE - 1) & ~(uintptr_t)(HUGEMEM_PAGE - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(uintptr_t)(HUGEMEM_PAGE - 1);

	if (!p || len < HUGEMEM_MIN || end <= start)
		return;
	(void)madvise((void *)start, end - start, MADV_HUGEPAGE); /* a hint: its failure is fine */
}

void *hugemem_grow(void *p, size_t used, size_t len)
{
	void *grown;

	if (len < HUGEMEM_MIN)
		return realloc(p, len);
	grown = malloc(len);
	if (!grown)
		return NULL;
	hugemem_advise(grown, len);
	if (used)
		memcpy(grown, p, used);
	free(p);
	return grown;
}
