/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * tracer_syscall.bpf - for bpf/tracer.bpf.c's sys_enter: which syscalls take a file descriptor
 * first, and what kind of file it is (a socket, or any other open file).
 */
#ifndef RINGSCOPE_BPF_TRACER_SYSCALL_BPF_H
#define RINGSCOPE_BPF_TRACER_SYSCALL_BPF_H

#ifndef __TARGET_ARCH_x86
#error "syscall numbers in syscall_fd_arg() are x86_64's"
#endif

#define S_IFMT	 00170000
#define S_IFSOCK 0140000

/* syscall_fd_arg - whether syscall @nr (x86_64) takes a file descriptor as its first argument. */
static __always_inline bool syscall_fd_arg(long nr)
{
	switch (nr) {
	case 0 ... 1:	  /* read, write */
	case 3:		  /* close */
	case 5:		  /* fstat */
	case 8:		  /* lseek */
	case 16 ... 20:	  /* ioctl, pread64, pwrite64, readv, writev */
	case 40:	  /* sendfile (out_fd) */
	case 42 ... 52:	  /* connect .. getpeername */
	case 54 ... 55:	  /* setsockopt, getsockopt */
	case 72 ... 75:	  /* fcntl, flock, fsync, fdatasync */
	case 77:	  /* ftruncate */
	case 217:	  /* getdents64 */
	case 232 ... 233: /* epoll_wait, epoll_ctl */
	case 275:	  /* splice (fd_in) */
	case 277:	  /* sync_file_range */
	case 281:	  /* epoll_pwait */
	case 285:	  /* fallocate */
	case 288:	  /* accept4 */
	case 295 ... 296: /* preadv, pwritev */
	case 299:	  /* recvmmsg */
	case 306 ... 307: /* syncfs, sendmmsg */
	case 326 ... 328: /* copy_file_range, preadv2, pwritev2 */
	case 426 ... 427: /* io_uring_enter, io_uring_register */
	case 441:	  /* epoll_pwait2 */
		return true;
	default:
		return false;
	}
}

/* fd_kind - TRACER_F_FD_SOCKET or TRACER_F_FD_OTHER for an open @fd of the current task, else 0. */
static __always_inline __u8 fd_kind(long fd)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds;
	struct file *file = NULL;
	umode_t mode;

	if (!fdt || fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fds[fd]) || !file)
		return 0;
	mode = BPF_CORE_READ(file, f_inode, i_mode);
	return (mode & S_IFMT) == S_IFSOCK ? TRACER_F_FD_SOCKET : TRACER_F_FD_OTHER;
}

#endif
