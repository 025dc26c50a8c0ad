// SPDX-License-Identifier: MIT
/* outfile - make output files safely: no links followed, no device replaced, whole or none. */
#include "lib/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/sigcleanup.h"

#define TEMPLATE_X "XXXXXX"

/* fail - "@fmt" into @err; returns @rc (a -errno). */
__attribute__((format(printf, 4, 5))) static int fail(int rc, char *err, size_t errlen,
						      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* folder_of - the folder part of @path into @dir ("." for a bare name). */
static int folder_of(const char *path, char *dir, size_t len)
{
	char copy[PATH_MAX];

	if (strlen(path) >= sizeof(copy))
		return -ENAMETOOLONG;
	strcpy(copy, path);
	if ((size_t)snprintf(dir, len, "%s", dirname(copy)) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* existing - what is at @path already (@sb), for the checks. 0, 1 (nothing) or -errno. */
static int existing(const char *path, struct stat *sb, char *err, size_t errlen)
{
	if (!lstat(path, sb)) {
		if (S_ISLNK(sb->st_mode))
			return fail(-ELOOP, err, errlen,
				    "output '%s' is a symbolic link: ringscope does not write "
				    "through links (give the path it points to, or remove it)",
				    path);
		if (S_ISDIR(sb->st_mode))
			return fail(-EISDIR, err, errlen,
				    "output '%s' is a folder: give a file name", path);
		if (S_ISBLK(sb->st_mode) || S_ISSOCK(sb->st_mode))
			return fail(
			    -ENXIO, err, errlen,
			    "output '%s' is a %s: ringscope neither writes into nor replaces "
			    "one (give a file name)",
			    path, S_ISBLK(sb->st_mode) ? "block device" : "socket");
		return 0;
	}
	if (errno == ENOENT)
		return 1;
	return fail(-errno, err, errlen, "cannot reach output '%s': %s", path, strerror(errno));
}

/*
 * trusted_folder - @dir (@ds) may hold our file: a folder every user may write must be sticky
 * (or ours), so that nobody else can rename or replace what we put there; and there the entry
 * at @path (@sb, when @there) must be ours, not one another user planted.
 */
static int trusted_folder(const char *path, const char *dir, const struct stat *ds,
			  const struct stat *sb, bool there, char *err, size_t errlen)
{
	uid_t me = geteuid();

	if (!(ds->st_mode & S_IWOTH))
		return 0;
	if (!(ds->st_mode & S_ISVTX) && ds->st_uid != me)
		return fail(-EPERM, err, errlen,
			    "the folder '%s' of output '%s' is writable by every user and not "
			    "sticky: another user could swap the file (choose another folder)",
			    dir, path);
	if (there && sb->st_uid != me)
		return fail(-EPERM, err, errlen,
			    "output '%s' belongs to another user (uid %u) in a folder every user "
			    "can write: choose another name",
			    path, (unsigned int)sb->st_uid);
	return 0;
}

/*
 * examine - the checks of outfile_check(); *@special says that @path is an existing character
 * device or FIFO, to be written in place, with its identity in @sb.
 */
static int examine(const char *path, unsigned int flags, struct stat *sb, bool *special, char *err,
		   size_t errlen)
{
	char dir[PATH_MAX];
	struct stat ds;
	int absent, rc;

	*special = false;
	if (!*path)
		return fail(-EINVAL, err, errlen, "the output name is empty: give a file name");
	rc = folder_of(path, dir, sizeof(dir));
	if (rc)
		return fail(rc, err, errlen, "output '%.64s...' is too long", path);
	absent = flags & OUTFILE_UNIQUE ? 1 : existing(path, sb, err, errlen);
	if (absent < 0)
		return absent;
	if (stat(dir, &ds) || !S_ISDIR(ds.st_mode))
		return fail(-ENOENT, err, errlen, "the folder of output '%s' does not exist", path);
	rc = trusted_folder(path, dir, &ds, sb, !absent, err, errlen);
	if (rc)
		return rc;
	*special = !absent && (S_ISCHR(sb->st_mode) || S_ISFIFO(sb->st_mode));
	if (!*special && access(dir, W_OK))
		return fail(-EACCES, err, errlen,
			    "the folder '%s' is not writable: give a file in a writable folder",
			    dir);
	return 0;
}

int outfile_check(const char *path, unsigned int flags, char *err, size_t errlen)
{
	struct stat sb;
	bool special;

	return examine(path, flags, &sb, &special, err, errlen);
}

/*
 * open_special - the device or FIFO @sb at @of->name, opened in place; refused when the path
 * names something else by the time it is opened (swapped meanwhile).
 */
static int open_special(struct outfile *of, const struct stat *sb, char *err, size_t errlen)
{
	struct stat now;
	int rc;

	of->fd = open(of->name, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (of->fd < 0)
		return fail(-errno, err, errlen, "failed to open '%s': %s", of->name,
			    strerror(errno));
	if (fstat(of->fd, &now) || now.st_dev != sb->st_dev || now.st_ino != sb->st_ino) {
		rc = fail(-EAGAIN, err, errlen,
			  "output '%s' changed while it was opened: try again", of->name);
		close(of->fd);
		of->fd = -1;
		return rc;
	}
	of->special = true;
	return 0;
}

/* new_mode - 0666 less the umask: what open(O_CREAT) would have made. */
static mode_t new_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * temp_name - ".NAME.XXXXXX" beside @of->name (".ringscope-XXXXXX" when NAME is too long for
 * that), hidden and recognisable; into @of->tmp.
 */
static int temp_name(struct outfile *of)
{
	char dir[PATH_MAX], copy[PATH_MAX];
	const char *base;
	int rc = folder_of(of->name, dir, sizeof(dir));

	if (rc)
		return rc;
	strcpy(copy, of->name);
	base = basename(copy);
	if (strlen(base) + 9 > NAME_MAX)
		base = "ringscope-";
	if ((size_t)snprintf(of->tmp, sizeof(of->tmp), "%s/.%s.%s", dir, base, TEMPLATE_X) >=
	    sizeof(of->tmp))
		return -ENAMETOOLONG;
	return 0;
}

/* unique_suffix - the length of the extension after the last "XXXXXX" of @name, or -EINVAL. */
static int unique_suffix(const char *name)
{
	const char *x = strstr(name, TEMPLATE_X), *next;

	while (x && (next = strstr(x + 1, TEMPLATE_X)))
		x = next;
	if (!x || strchr(x + strlen(TEMPLATE_X), '/'))
		return -EINVAL;
	return (int)strlen(x + strlen(TEMPLATE_X));
}

/* place - rename the temporary file over the name, the signals held back meanwhile. */
static int place(struct outfile *of)
{
	int rc = 0;

	sigcleanup_block();
	if (rename(of->tmp, of->name))
		rc = -errno;
	if (!rc) {
		of->tmp[0] = '\0';
		sigcleanup_remove(of->slot);
		of->slot = -1;
	}
	sigcleanup_unblock();
	return rc;
}

/* create - a new file: under a temporary name (renamed at once with EARLY), or a unique one. */
static int create(struct outfile *of, unsigned int flags, char *err, size_t errlen)
{
	char *at = flags & OUTFILE_UNIQUE ? of->name : of->tmp;
	int suffix = flags & OUTFILE_UNIQUE ? unique_suffix(of->name) : 0;
	char dir[PATH_MAX];
	struct stat sb = {0};
	int rc;

	if (suffix < 0)
		return fail(-EINVAL, err, errlen, "'%s' has no %s to make unique", of->name,
			    TEMPLATE_X);
	if (!(flags & OUTFILE_UNIQUE) && temp_name(of))
		return fail(-ENAMETOOLONG, err, errlen, "output '%s' is too long", of->name);
	of->fd = mkostemps(at, suffix, O_CLOEXEC);
	if (of->fd < 0) {
		rc = -errno;
		of->tmp[0] = '\0'; /* mkostemps left a name it did not make */
		folder_of(of->name, dir, sizeof(dir));
		/* the folder by name: a kernel's "No such file" alone reads as if it were missing
		 */
		return fail(rc, err, errlen,
			    "failed to create '%s': the folder '%s' takes no new file: %s (give a "
			    "file in a writable folder)",
			    of->name, dir, strerror(-rc));
	}
	if (!(flags & OUTFILE_UNIQUE))
		of->slot = sigcleanup_add_file(of->tmp);
	rc = fstat(of->fd, &sb) ? -errno : 0;
	of->made = !rc;
	of->dev = sb.st_dev;
	of->ino = sb.st_ino;
	if (!rc && fchmod(of->fd, new_mode()))
		rc = -errno;
	if (rc)
		return fail(rc, err, errlen, "failed to create '%s': %s", of->name, strerror(-rc));
	if (!(flags & OUTFILE_EARLY) || (flags & OUTFILE_UNIQUE))
		return 0;
	rc = place(of);
	return rc ? fail(rc, err, errlen, "failed to create '%s': %s", of->name, strerror(-rc)) : 0;
}

int outfile_open(struct outfile *of, const char *path, unsigned int flags, char *err, size_t errlen)
{
	struct stat sb;
	bool special;
	int rc;

	memset(of, 0, sizeof(*of));
	of->fd = -1;
	of->slot = -1;
	rc = examine(path, flags, &sb, &special, err, errlen);
	if (rc)
		return rc;
	strcpy(of->name, path); /* examine() measured it */
	rc = special ? open_special(of, &sb, err, errlen) : create(of, flags, err, errlen);
	if (rc)
		outfile_discard(of);
	return rc;
}

FILE *outfile_stream(struct outfile *of)
{
	if (!of->f)
		of->f = fdopen(of->fd, "w");
	return of->f;
}

int outfile_take_fd(struct outfile *of)
{
	int fd = of->fd;

	of->fd = -1;
	return fd;
}

/* close_all - flush, sync (a regular file) and close what @of holds. 0 or -errno. */
static int close_all(struct outfile *of)
{
	int rc = 0;

	if (of->f && (fflush(of->f) || ferror(of->f)))
		rc = errno ? -errno : -EIO;
	if (!rc && of->fd >= 0 && !of->special && fsync(of->fd))
		rc = -errno;
	if (of->f) {
		if (fclose(of->f) && !rc)
			rc = -errno;
	} else if (of->fd >= 0 && close(of->fd) && !rc) {
		rc = -errno;
	}
	of->f = NULL;
	of->fd = -1;
	return rc;
}

int outfile_commit(struct outfile *of, char *err, size_t errlen)
{
	int rc = close_all(of);

	if (rc) {
		fail(rc, err, errlen, "failed to write '%s': %s", of->name, strerror(-rc));
	} else if (of->tmp[0]) {
		rc = place(of);
		if (rc)
			fail(rc, err, errlen, "failed to rename '%s' to '%s': %s", of->tmp,
			     of->name, strerror(-rc));
	}
	if (rc)
		outfile_discard(of);
	of->made = false; /* in place and whole: no longer ours to remove */
	return rc;
}

void outfile_discard(struct outfile *of)
{
	struct stat sb;

	if (of->f)
		fclose(of->f);
	else if (of->fd >= 0)
		close(of->fd);
	of->f = NULL;
	of->fd = -1;
	if (of->tmp[0]) {
		unlink(of->tmp);
		of->tmp[0] = '\0';
	} else if (of->made && !lstat(of->name, &sb) && sb.st_dev == of->dev &&
		   sb.st_ino == of->ino) {
		unlink(of->name);
	}
	of->made = false;
	sigcleanup_remove(of->slot);
	of->slot = -1;
}
