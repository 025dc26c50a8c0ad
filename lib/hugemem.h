/* SPDX-License-Identifier: MIT */
/*
 * hugemem - transparent huge pages for the large arrays of an analysis. A paper-sized session
 * faults in some 200 MB of fresh arrays (samples, spike windows and their events, sort
 * buffers); on a guest every 4 KB page fault is a trip to the hypervisor, and 2 MB pages make
 * those trips 512 times fewer (analyze --spikes: a third less CPU on the development guest).
 */
#ifndef RINGSCOPE_HUGEMEM_H
#define RINGSCOPE_HUGEMEM_H

#include <stddef.h>

/*
 * hugemem_advise - ask for huge pages on the whole 2 MB pages inside [@p, @p + @len), before the
 * array is first written. Below 4 MB, or where the kernel has no THP, it does nothing: only a
 * hint, so it cannot fail.
 */
void hugemem_advise(void *p, size_t len);

/*
 * hugemem_grow - realloc(@p, @len) for a growing array whose first @used bytes matter: the new
 * block is advised before they are copied in (realloc would copy first, faulting in small
 * pages). Returns the new block (@p is freed), or NULL with @p untouched.
 */
void *hugemem_grow(void *p, size_t used, size_t len);

#endif
