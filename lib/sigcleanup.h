/* SPDX-License-Identifier: MIT */
/*
 * sigcleanup - what a command leaves undone when SIGINT, SIGTERM or SIGHUP ends it: temporary
 * files to remove, temporary folders to empty and remove, children to kill. A command that
 * writes through temporary names (report, export) installs the handler; the modules that make
 * the temporaries register them here and deregister them when they are gone. The handler uses
 * async-signal-safe calls only, then dies of the same signal, so the exit status still says
 * which signal ended the command (128 + N in a shell).
 */
#ifndef RINGSCOPE_SIGCLEANUP_H
#define RINGSCOPE_SIGCLEANUP_H

#include <sys/types.h>

#define SIGCLEANUP_SLOTS 16 /* things registered at once */

/*
 * sigcleanup_install - handle SIGINT, SIGTERM and SIGHUP by undoing what is registered, then
 * dying of the signal. Idempotent. 0 or -errno.
 */
int sigcleanup_install(void);

/*
 * sigcleanup_add_file, sigcleanup_add_folder - remove @path (a folder: the files in it, then the
 * folder) if a signal ends the command. Returns the slot (>= 0), -ENAMETOOLONG or -ENOSPC (all
 * SIGCLEANUP_SLOTS taken).
 */
int sigcleanup_add_file(const char *path);
int sigcleanup_add_folder(const char *path);

/*
 * sigcleanup_add_child - SIGKILL @pid (as kill() takes it: a negative one is a process group)
 * if a signal ends the command. A slot or -ENOSPC.
 */
int sigcleanup_add_child(pid_t pid);

/* sigcleanup_remove - forget slot @slot (a negative slot is ignored). */
void sigcleanup_remove(int slot);

/*
 * sigcleanup_block, sigcleanup_unblock - hold the handled signals back around a step that must
 * not be cut in half (a rename into place and the removal of its slot); a signal that came
 * meanwhile is handled at the unblock.
 */
void sigcleanup_block(void);
void sigcleanup_unblock(void);

#endif
