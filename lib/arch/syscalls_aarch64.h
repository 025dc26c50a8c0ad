/* SPDX-License-Identifier: MIT */
/*
 * syscalls_aarch64 - the syscalls ringscope names or classifies, by their aarch64 numbers (the
 * generic table, include/uapi/asm-generic/unistd.h; tests/unit/test_arch.c checks them against
 * it). aarch64 has no poll, select or epoll_wait: ppoll, pselect6, epoll_pwait stand for them.
 * Macros only: BPF C includes it too.
 */
#ifndef RINGSCOPE_ARCH_SYSCALLS_AARCH64_H
#define RINGSCOPE_ARCH_SYSCALLS_AARCH64_H

#include "lib/arch/syscall_class.h"

/* ARCH_SYSCALLS_AARCH64(X) - X(name, nr, class bits) for each, in increasing nr. */
#define ARCH_SYSCALLS_AARCH64(X)                                                                   \
	X(epoll_ctl, 21, ARCH_SC_FD)                                                               \
	X(epoll_pwait, 22, ARCH_SC_FD)                                                             \
	X(fcntl, 25, ARCH_SC_FD)                                                                   \
	X(ioctl, 29, ARCH_SC_FD)                                                                   \
	X(flock, 32, ARCH_SC_FD)                                                                   \
	X(ftruncate, 46, ARCH_SC_FD)                                                               \
	X(fallocate, 47, ARCH_SC_FD)                                                               \
	X(close, 57, ARCH_SC_FD)                                                                   \
	X(getdents64, 61, ARCH_SC_FD)                                                              \
	X(lseek, 62, ARCH_SC_FD)                                                                   \
	X(read, 63, ARCH_SC_FD)                                                                    \
	X(write, 64, ARCH_SC_FD | ARCH_SC_FLUSH)                                                   \
	X(readv, 65, ARCH_SC_FD)                                                                   \
	X(writev, 66, ARCH_SC_FD | ARCH_SC_FLUSH)                                                  \
	X(pread64, 67, ARCH_SC_FD)                                                                 \
	X(pwrite64, 68, ARCH_SC_FD | ARCH_SC_FLUSH)                                                \
	X(preadv, 69, ARCH_SC_FD)                                                                  \
	X(pwritev, 70, ARCH_SC_FD | ARCH_SC_FLUSH)                                                 \
	X(sendfile, 71, ARCH_SC_FD)                                                                \
	X(pselect6, 72, 0)                                                                         \
	X(ppoll, 73, 0)                                                                            \
	X(splice, 76, ARCH_SC_FD)                                                                  \
	X(fstat, 80, ARCH_SC_FD)                                                                   \
	X(fsync, 82, ARCH_SC_FD | ARCH_SC_FLUSH)                                                   \
	X(fdatasync, 83, ARCH_SC_FD | ARCH_SC_FLUSH)                                               \
	X(sync_file_range, 84, ARCH_SC_FD | ARCH_SC_FLUSH)                                         \
	X(futex, 98, 0)                                                                            \
	X(nanosleep, 101, 0)                                                                       \
	X(clock_nanosleep, 115, 0)                                                                 \
	X(sched_yield, 124, 0)                                                                     \
	X(getppid, 173, 0)                                                                         \
	X(bind, 200, ARCH_SC_FD)                                                                   \
	X(listen, 201, ARCH_SC_FD)                                                                 \
	X(accept, 202, ARCH_SC_FD)                                                                 \
	X(connect, 203, ARCH_SC_FD)                                                                \
	X(getsockname, 204, ARCH_SC_FD)                                                            \
	X(getpeername, 205, ARCH_SC_FD)                                                            \
	X(sendto, 206, ARCH_SC_FD)                                                                 \
	X(recvfrom, 207, ARCH_SC_FD)                                                               \
	X(setsockopt, 208, ARCH_SC_FD)                                                             \
	X(getsockopt, 209, ARCH_SC_FD)                                                             \
	X(shutdown, 210, ARCH_SC_FD)                                                               \
	X(sendmsg, 211, ARCH_SC_FD)                                                                \
	X(recvmsg, 212, ARCH_SC_FD)                                                                \
	X(accept4, 242, ARCH_SC_FD)                                                                \
	X(recvmmsg, 243, ARCH_SC_FD)                                                               \
	X(syncfs, 267, ARCH_SC_FD)                                                                 \
	X(sendmmsg, 269, ARCH_SC_FD)                                                               \
	X(copy_file_range, 285, ARCH_SC_FD)                                                        \
	X(preadv2, 286, ARCH_SC_FD)                                                                \
	X(pwritev2, 287, ARCH_SC_FD | ARCH_SC_FLUSH)                                               \
	X(io_uring_enter, 426, ARCH_SC_FD | ARCH_SC_RING_FD | ARCH_SC_RING_ENTER)                  \
	X(io_uring_register, 427, ARCH_SC_FD | ARCH_SC_RING_FD)                                    \
	X(epoll_pwait2, 441, ARCH_SC_FD)

#endif
