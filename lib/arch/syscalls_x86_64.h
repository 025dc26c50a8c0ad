/* SPDX-License-Identifier: MIT */
/*
 * syscalls_x86_64 - the syscalls ringscope names or classifies, by their x86_64 numbers
 * (arch/x86/entry/syscalls/syscall_64.tbl; tests/unit/test_arch.c checks them against the
 * kernel's <asm/unistd_64.h>). Macros only: BPF C includes it too.
 */
#ifndef RINGSCOPE_ARCH_SYSCALLS_X86_64_H
#define RINGSCOPE_ARCH_SYSCALLS_X86_64_H

#include "lib/arch/syscall_class.h"

/* ARCH_SYSCALLS_X86_64(X) - X(name, nr, class bits) for each, in increasing nr. */
#define ARCH_SYSCALLS_X86_64(X)                                                                    \
	X(read, 0, ARCH_SC_FD)                                                                     \
	X(write, 1, ARCH_SC_FD | ARCH_SC_FLUSH)                                                    \
	X(close, 3, ARCH_SC_FD)                                                                    \
	X(fstat, 5, ARCH_SC_FD)                                                                    \
	X(poll, 7, 0)                                                                              \
	X(lseek, 8, ARCH_SC_FD)                                                                    \
	X(ioctl, 16, ARCH_SC_FD)                                                                   \
	X(pread64, 17, ARCH_SC_FD)                                                                 \
	X(pwrite64, 18, ARCH_SC_FD | ARCH_SC_FLUSH)                                                \
	X(readv, 19, ARCH_SC_FD)                                                                   \
	X(writev, 20, ARCH_SC_FD | ARCH_SC_FLUSH)                                                  \
	X(select, 23, 0)                                                                           \
	X(sched_yield, 24, 0)                                                                      \
	X(nanosleep, 35, 0)                                                                        \
	X(sendfile, 40, ARCH_SC_FD)                                                                \
	X(connect, 42, ARCH_SC_FD)                                                                 \
	X(accept, 43, ARCH_SC_FD)                                                                  \
	X(sendto, 44, ARCH_SC_FD)                                                                  \
	X(recvfrom, 45, ARCH_SC_FD)                                                                \
	X(sendmsg, 46, ARCH_SC_FD)                                                                 \
	X(recvmsg, 47, ARCH_SC_FD)                                                                 \
	X(shutdown, 48, ARCH_SC_FD)                                                                \
	X(bind, 49, ARCH_SC_FD)                                                                    \
	X(listen, 50, ARCH_SC_FD)                                                                  \
	X(getsockname, 51, ARCH_SC_FD)                                                             \
	X(getpeername, 52, ARCH_SC_FD)                                                             \
	X(setsockopt, 54, ARCH_SC_FD)                                                              \
	X(getsockopt, 55, ARCH_SC_FD)                                                              \
	X(fcntl, 72, ARCH_SC_FD)                                                                   \
	X(flock, 73, ARCH_SC_FD)                                                                   \
	X(fsync, 74, ARCH_SC_FD | ARCH_SC_FLUSH)                                                   \
	X(fdatasync, 75, ARCH_SC_FD | ARCH_SC_FLUSH)                                               \
	X(ftruncate, 77, ARCH_SC_FD)                                                               \
	X(getppid, 110, 0)                                                                         \
	X(futex, 202, 0)                                                                           \
	X(getdents64, 217, ARCH_SC_FD)                                                             \
	X(clock_nanosleep, 230, 0)                                                                 \
	X(epoll_wait, 232, ARCH_SC_FD)                                                             \
	X(epoll_ctl, 233, ARCH_SC_FD)                                                              \
	X(pselect6, 270, 0)                                                                        \
	X(ppoll, 271, 0)                                                                           \
	X(splice, 275, ARCH_SC_FD)                                                                 \
	X(sync_file_range, 277, ARCH_SC_FD | ARCH_SC_FLUSH)                                        \
	X(epoll_pwait, 281, ARCH_SC_FD)                                                            \
	X(fallocate, 285, ARCH_SC_FD)                                                              \
	X(accept4, 288, ARCH_SC_FD)                                                                \
	X(preadv, 295, ARCH_SC_FD)                                                                 \
	X(pwritev, 296, ARCH_SC_FD | ARCH_SC_FLUSH)                                                \
	X(recvmmsg, 299, ARCH_SC_FD)                                                               \
	X(syncfs, 306, ARCH_SC_FD)                                                                 \
	X(sendmmsg, 307, ARCH_SC_FD)                                                               \
	X(copy_file_range, 326, ARCH_SC_FD)                                                        \
	X(preadv2, 327, ARCH_SC_FD)                                                                \
	X(pwritev2, 328, ARCH_SC_FD | ARCH_SC_FLUSH)                                               \
	X(io_uring_enter, 426, ARCH_SC_FD | ARCH_SC_RING_FD | ARCH_SC_RING_ENTER)                  \
	X(io_uring_register, 427, ARCH_SC_FD | ARCH_SC_RING_FD)                                    \
	X(epoll_pwait2, 441, ARCH_SC_FD)

#endif
