// SPDX-License-Identifier: MIT
/* netns_owner - a lock file per run that owns namespaces: names unique beyond the pid. */
#include "runner/netns_owner.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#define TOKEN_LEN  8	   /* hex digits: 32 random bits */
#define NEW_PREFIX ".new-" /* a lock file before it is locked and named */

static int lock_fd = -1;	  /* held while this process owns namespaces */
static char token[TOKEN_LEN + 1]; /* its token, valid while lock_fd >= 0 */
static unsigned int sets, held;	  /* sets of names given out; namespaces owned */
static const char lock_suffix[] = ".lock";

/* lock_path - NETNS_OWNER_DIR/@tok.lock into @buf. */
static void lock_path(const char *tok, char *buf, size_t len)
{
	snprintf(buf, len, NETNS_OWNER_DIR "/%s%s", tok, lock_suffix);
}

/* own_folder - NETNS_OWNER_DIR made (0700), or checked to be a folder only we may write. */
static int own_folder(char *err, size_t errlen)
{
	struct stat sb;

	if (mkdir(NETNS_OWNER_DIR, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "failed to make '%s': %s (run as root)", NETNS_OWNER_DIR,
			 strerror(errno));
		return -errno;
	}
	if (lstat(NETNS_OWNER_DIR, &sb) || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid() ||
	    (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen,
			 "'%s' is not a folder that only this user may write: remove it, and "
			 "ringscope makes it again",
			 NETNS_OWNER_DIR);
		return -EPERM;
	}
	return 0;
}

/*
 * make_lock - a new token and its lock file, locked before it gets its name: a sweep never
 * sees it unlocked (a temporary name first, renamed once flock holds it). 0 or -errno.
 */
static int make_lock(void)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	unsigned int bits;
	int fd, rc = 0;

	if (getrandom(&bits, sizeof(bits), 0) != sizeof(bits))
		return -EIO;
	snprintf(token, sizeof(token), "%08x", bits);
	snprintf(tmp, sizeof(tmp), NETNS_OWNER_DIR "/" NEW_PREFIX "XXXXXX");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	lock_path(token, path, sizeof(path));
	if (flock(fd, LOCK_EX | LOCK_NB) || link(tmp, path))
		rc = -errno;
	unlink(tmp);
	if (rc) {
		close(fd);
		return rc;
	}
	lock_fd = fd;
	return 0;
}

int netns_owner_take(char *prefix, size_t len, char *err, size_t errlen)
{
	int rc;

	if (lock_fd < 0) {
		rc = own_folder(err, errlen);
		if (rc)
			return rc;
		rc = make_lock();
		if (rc) {
			snprintf(err, errlen, "failed to make a lock file in '%s': %s",
				 NETNS_OWNER_DIR, strerror(-rc));
			return rc;
		}
	}
	snprintf(prefix, len, "ringscope-%d-%s-%u", (int)getpid(), token, sets++);
	return 0;
}

void netns_owner_hold(void)
{
	held++;
}

void netns_owner_drop(void)
{
	if (held)
		held--;
}

void netns_owner_release(void)
{
	char path[PATH_MAX];

	if (held || lock_fd < 0)
		return;
	lock_path(token, path, sizeof(path));
	unlink(path); /* while still locked: no sweep can take it for a dead run's meanwhile */
	close(lock_fd);
	lock_fd = -1;
}

/* token_of - the token of a name "ringscope-PID-TOKEN-N-I" into @tok; 0, or -EINVAL. */
static int token_of(const char *name, char *tok)
{
	unsigned int pid, set, member;
	int end = 0;

	if (sscanf(name, "ringscope-%u-%8[0-9a-f]-%u-%u%n", &pid, tok, &set, &member, &end) != 4 ||
	    name[end] || strlen(tok) != TOKEN_LEN)
		return -EINVAL;
	return 0;
}

/* free_file - whether the lock file @path is missing or held by nobody. */
static bool free_file(const char *path)
{
	bool nobody;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	nobody = !flock(fd, LOCK_EX | LOCK_NB);
	close(fd);
	return nobody;
}

bool netns_owner_dead(const char *name)
{
	char tok[TOKEN_LEN + 1], path[PATH_MAX];

	if (token_of(name, tok))
		return false;
	if (lock_fd >= 0 && !strcmp(tok, token))
		return false;
	lock_path(tok, path, sizeof(path));
	return free_file(path);
}

/* lock_token - the token of a lock file's name "TOKEN.lock" into @tok; 0, or -EINVAL. */
static int lock_token(const char *name, char *tok)
{
	size_t n = strspn(name, "0123456789abcdef");

	if (n != TOKEN_LEN || strcmp(name + n, lock_suffix))
		return -EINVAL;
	memcpy(tok, name, n);
	tok[n] = '\0';
	return 0;
}

int netns_owner_sweep(void)
{
	char tok[TOKEN_LEN + 1], path[PATH_MAX];
	struct dirent *de;
	int removed = 0;
	DIR *dir;

	dir = opendir(NETNS_OWNER_DIR);
	if (!dir)
		return 0;
	while ((de = readdir(dir))) {
		/* a lock file, or one still being made by a run killed right then */
		if (lock_token(de->d_name, tok) &&
		    strncmp(de->d_name, NEW_PREFIX, strlen(NEW_PREFIX)))
			continue;
		snprintf(path, sizeof(path), NETNS_OWNER_DIR "/%s", de->d_name);
		if (free_file(path))
			removed += !unlink(path);
	}
	closedir(dir);
	return removed;
}
