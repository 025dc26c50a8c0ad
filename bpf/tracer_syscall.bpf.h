/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tracer_syscall.bpf - for bpf/tracer.bpf.c's sys_enter: which syscalls take a file descriptor
 * first, and what kind of file it is (a socket, or any other open file).
 */
#ifndef RINGSCOPE_BPF_TRACER_SYSCALL_BPF_H
#define RINGSCOPE_BPF_TRACER_SYSCALL_BPF_H

#if defined(__TARGET_ARCH_x86)
#include "lib/arch/syscalls_x86_64.h"
#define SYSCALLS_OF_BUILD ARCH_SYSCALLS_X86_64
#elif defined(__TARGET_ARCH_arm64)
#include "lib/arch/syscalls_aarch64.h"
#define SYSCALLS_OF_BUILD ARCH_SYSCALLS_AARCH64
#else
#error "no syscall table in lib/arch/ for this target architecture"
#endif

#define S_IFMT	 00170000
#define S_IFSOCK 0140000

/*
 * syscall_class - the ARCH_SC_* bits of syscall @nr on the architecture the program is built
 * for, from the table analysis reads too (clang turns the switch into a search of ranges).
 */
static __always_inline __u32 syscall_class(long nr)
{
	switch (nr) {
#define SYSCALL_CASE(name, num, cls)                                                               \
	case num:                                                                                  \
		return cls;
		SYSCALLS_OF_BUILD(SYSCALL_CASE)
#undef SYSCALL_CASE
	default:
		return 0;
	}
}

/* syscall_fd_arg - whether syscall @nr takes a file descriptor as its first argument. */
static __always_inline bool syscall_fd_arg(long nr)
{
	return syscall_class(nr) & ARCH_SC_FD;
}

/* syscall_ring_fd - whether that fd is an io_uring's (or a registered ring's index). */
static __always_inline bool syscall_ring_fd(long nr)
{
	return syscall_class(nr) & ARCH_SC_RING_FD;
}

/*
 * fd_kind - TRACER_F_FD_SOCKET or TRACER_F_FD_OTHER for an open @fd of the current task, else 0.
 * For a tp_btf program (sys_enter): the task's fd table is reached by plain loads from the
 * BTF-typed current task; only the slot fd[@fd] (an index a typed access cannot take) and the
 * file's inode mode take a bpf_probe_read_kernel each, 3 helper calls where 7 were.
 */
static __always_inline __u8 fd_kind(long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct files_struct *files = task->files;
	struct fdtable *fdt = files ? files->fdt : NULL;
	struct file **fds;
	struct file *file = NULL;
	umode_t mode;

	if (!fdt || fd < 0 || fd >= fdt->max_fds)
		return 0;
	fds = fdt->fd;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	mode = BPF_CORE_READ(file, f_inode, i_mode);
	return (mode & S_IFMT) == S_IFSOCK ? TRACER_F_FD_SOCKET : TRACER_F_FD_OTHER;
}

#endif
