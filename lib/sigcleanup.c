// SPDX-License-Identifier: MIT
/* sigcleanup - remove temporaries and kill children when SIGINT, SIGTERM or SIGHUP ends us. */
#include "lib/sigcleanup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

enum slot_kind { SLOT_FREE = 0, SLOT_FILE, SLOT_FOLDER, SLOT_CHILD };

/*
 * A slot is filled first and marked last (kind), and freed by clearing its kind: the handler
 * reads only slots whose kind says they are whole. Slots are taken and freed by one thread.
 */
struct slot {
	volatile sig_atomic_t kind;
	pid_t pid;
	char path[PATH_MAX];
};

static struct slot slots[SIGCLEANUP_SLOTS];
static const int handled[] = {SIGINT, SIGTERM, SIGHUP};
#define FOLDER_PASSES 8 /* a folder read while its files go may list some only on a later pass */

/* empty_folder - unlink every entry of @path (files only: our folders hold no folders). */
static void empty_folder(const char *path)
{
	char buf[4096];
	int fd, pass;
	ssize_t n, at;
	bool removed;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	for (pass = 0, removed = true; removed && pass < FOLDER_PASSES; pass++) {
		removed = false;
		lseek(fd, 0, SEEK_SET);
		while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
			for (at = 0; at < n;) {
				struct dirent64 *de = (struct dirent64 *)(buf + at);

				at += de->d_reclen;
				if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
					removed |= unlinkat(fd, de->d_name, 0) == 0;
			}
		}
	}
	close(fd);
}

/* on_signal - children first (they may still write into a folder), then files and folders. */
static void on_signal(int sig)
{
	sigset_t self;
	size_t i;

	for (i = 0; i < SIGCLEANUP_SLOTS; i++) {
		if (slots[i].kind == SLOT_CHILD)
			kill(slots[i].pid, SIGKILL);
	}
	for (i = 0; i < SIGCLEANUP_SLOTS; i++) {
		if (slots[i].kind == SLOT_FILE)
			unlink(slots[i].path);
		if (slots[i].kind == SLOT_FOLDER) {
			empty_folder(slots[i].path);
			rmdir(slots[i].path);
		}
	}
	signal(sig, SIG_DFL);
	sigemptyset(&self);
	sigaddset(&self, sig);
	sigprocmask(SIG_UNBLOCK, &self, NULL);
	raise(sig);
}

int sigcleanup_install(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	size_t i;

	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&sa.sa_mask, handled[i]);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++) {
		if (sigaction(handled[i], &sa, NULL))
			return -errno;
	}
	return 0;
}

/* take_slot - a free slot filled with @kind, @path and @pid. The slot or -errno. */
static int take_slot(enum slot_kind kind, const char *path, pid_t pid)
{
	int i;

	if (path && strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < SIGCLEANUP_SLOTS; i++) {
		if (slots[i].kind != SLOT_FREE)
			continue;
		if (path)
			strcpy(slots[i].path, path);
		slots[i].pid = pid;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		slots[i].kind = kind;
		return i;
	}
	return -ENOSPC;
}

int sigcleanup_add_file(const char *path)
{
	return take_slot(SLOT_FILE, path, 0);
}

int sigcleanup_add_folder(const char *path)
{
	return take_slot(SLOT_FOLDER, path, 0);
}

int sigcleanup_add_child(pid_t pid)
{
	return take_slot(SLOT_CHILD, NULL, pid);
}

void sigcleanup_remove(int slot)
{
	if (slot >= 0 && slot < SIGCLEANUP_SLOTS)
		slots[slot].kind = SLOT_FREE;
}

/* mask - the handled signals blocked (@how SIG_BLOCK) or let through (SIG_UNBLOCK). */
static void mask(int how)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaddset(&set, handled[i]);
	pthread_sigmask(how, &set, NULL);
}

void sigcleanup_block(void)
{
	mask(SIG_BLOCK);
}

void sigcleanup_unblock(void)
{
	mask(SIG_UNBLOCK);
}
