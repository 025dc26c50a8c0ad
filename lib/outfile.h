/* SPDX-License-Identifier: MIT */
/*
 * outfile - every file a command writes (a trace, a report, an export) is made here, so that a
 * ringscope run as root cannot be turned against its machine through the path it writes:
 *  - never through a symbolic link: a link at the path is refused, and a new file is made under
 *    a temporary name (mkstemp: O_CREAT|O_EXCL, a name nobody can predict) in the target folder
 *    and renamed over the path, which replaces whatever was planted there meanwhile instead of
 *    following it;
 *  - never replacing a device, FIFO or socket: an existing character device or FIFO (/dev/null,
 *    a named pipe) is written in place, a block device or a socket is refused;
 *  - in a folder every user may write (world-writable), only when it is sticky or ours, and
 *    never over another user's file there;
 *  - whole or not at all: the temporary name is removed on error and, with lib/sigcleanup.h
 *    installed, on SIGINT, SIGTERM and SIGHUP.
 * The file gets mode 0666 less the umask, as a new file of the shell would.
 */
#ifndef RINGSCOPE_OUTFILE_H
#define RINGSCOPE_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

enum outfile_flags {
	/*
	 * In place at once (renamed when created): a trace, which a killed run must leave
	 * readable up to its last whole chunk. Without it, the file is renamed into place by
	 * outfile_commit() only, so a failed or interrupted command leaves no partial file.
	 */
	OUTFILE_EARLY = 1u << 0,
	/*
	 * The path's last "XXXXXX" (before its extension) becomes six random characters and the
	 * file is made there with O_EXCL: a default name nobody can plant beforehand.
	 */
	OUTFILE_UNIQUE = 1u << 1,
};

struct outfile {
	int fd;		     /* -1 once closed or handed over (outfile_take_fd) */
	FILE *f;	     /* the stream over fd (outfile_stream), or NULL */
	char name[PATH_MAX]; /* the file's path (with OUTFILE_UNIQUE: the name made) */
	char tmp[PATH_MAX];  /* the temporary name until it is renamed into place; "" then */
	bool special;	     /* an existing character device or FIFO, written in place */
	bool made;	     /* name is a file this made (dev, ino): the only one it ever removes */
	dev_t dev;
	ino_t ino;
	int slot; /* the sigcleanup slot of tmp, or -1 */
};

/*
 * outfile_check - whether @path may be written with @flags, without making anything: for a
 * check of the options before any work. 0, or -errno with @err saying why and what to do:
 * -ENOENT (no such folder), -EISDIR, -ELOOP (a symbolic link), -ENXIO (a socket or block
 * device), -EPERM (a folder every user may write, or another user's file in it), -EACCES (a
 * folder this user cannot write), or what lstat/stat said.
 */
int outfile_check(const char *path, unsigned int flags, char *err, size_t errlen);

/*
 * outfile_open - outfile_check(), then make the file (or open the existing device or FIFO)
 * for writing into @of. 0, or -errno with @err set and nothing left behind.
 */
int outfile_open(struct outfile *of, const char *path, unsigned int flags, char *err,
		 size_t errlen);

/* outfile_stream - a stdio stream over the file, owned by @of. NULL with errno set. */
FILE *outfile_stream(struct outfile *of);

/*
 * outfile_take_fd - hand the descriptor to the caller, who closes it; @of keeps what it needs
 * to remove the file (outfile_discard) or rename it (outfile_commit).
 */
int outfile_take_fd(struct outfile *of);

/*
 * outfile_commit - flush, sync and close what @of still holds, then rename the temporary file
 * into place. 0, or -errno with @err set; on error the file is discarded (outfile_discard).
 */
int outfile_commit(struct outfile *of, char *err, size_t errlen);

/*
 * outfile_discard - close what @of holds and remove what it made: the temporary file, or the
 * file in place (OUTFILE_EARLY, OUTFILE_UNIQUE) when the path still names that very file. A
 * device or FIFO written in place is left as it was. Idempotent.
 */
void outfile_discard(struct outfile *of);

#endif
