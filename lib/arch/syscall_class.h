/* SPDX-License-Identifier: MIT */
/*
 * syscall_class - what ringscope needs to know of a syscall beyond its number: the bits each
 * entry of the per-architecture tables (syscalls_<arch>.h) carries. Macros only, so that BPF C
 * (bpf/tracer_syscall.bpf.h) includes it as user space does.
 */
#ifndef RINGSCOPE_ARCH_SYSCALL_CLASS_H
#define RINGSCOPE_ARCH_SYSCALL_CLASS_H

#define ARCH_SC_FD	   (1u << 0) /* the first argument is a file descriptor */
#define ARCH_SC_FLUSH	   (1u << 1) /* pushes buffered data out: a flush when that fd is a file */
#define ARCH_SC_RING_FD	   (1u << 2) /* that fd is an io_uring's (or a registered ring's index) */
#define ARCH_SC_RING_ENTER (1u << 3) /* submits to an io_uring and waits for its completions */

#endif
