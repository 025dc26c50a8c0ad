// SPDX-License-Identifier: MIT
/*
 * arch_uapi - for test_arch: the syscall tables against the kernel's numbers; the aarch64 one
 * here, against the generic table, in a file of its own because those numbers clash with the
 * build machine's.
 */
#include <stdio.h>
#include <string.h>

/* What arch/arm64/include/uapi/asm/unistd.h asks of the generic table before including it. */
#define __ARCH_WANT_RENAMEAT
#define __ARCH_WANT_NEW_STAT
#define __ARCH_WANT_SET_GET_RLIMIT
#define __ARCH_WANT_TIME32_SYSCALLS
#define __ARCH_WANT_SYS_CLONE3
#include <asm-generic/unistd.h>

#include "lib/arch/syscalls_aarch64.h"
#include "tests/unit/arch_uapi.h"

int arch_uapi_mismatches(const struct arch *a, const struct arch_uapi_row *rows, size_t n)
{
	const char *name;
	int bad = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		name = arch_syscall_name(a, rows[i].ours);
		if (rows[i].ours == rows[i].kernel && name && !strcmp(name, rows[i].name))
			continue;
		fprintf(stderr, "%s %s: %ld here, %ld in the kernel's header\n", a->machine,
			rows[i].name, rows[i].ours, rows[i].kernel);
		bad++;
	}
	return bad;
}

int arch_uapi_aarch64_mismatches(void)
{
	static const struct arch_uapi_row rows[] = {ARCH_SYSCALLS_AARCH64(ARCH_UAPI_ROW)};

	return arch_uapi_mismatches(&arch_aarch64, rows, sizeof(rows) / sizeof(rows[0]));
}
