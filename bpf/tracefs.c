// SPDX-License-Identifier: MIT
/* tracefs - find (or mount) the tracing filesystem and ask it which tracepoints exist. */
#include <errno.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "bpf/tracefs.h"

#ifndef TRACEFS_MAGIC
#define TRACEFS_MAGIC 0x74726163
#endif

/* tracefs_mount - mount tracefs where the kernel leaves an empty directory for it (Linux 4.1+). */
int tracefs_mount(void)
{
	struct statfs st;

	if (statfs(TRACEFS_PATH, &st) == 0 && st.f_type == TRACEFS_MAGIC)
		return 0;
	if (mount("nodev", TRACEFS_PATH, "tracefs", 0, NULL))
		return -errno;
	return 0;
}

/* tracefs_event_exists - the event's directory has an "id" file exactly when it exists. */
bool tracefs_event_exists(const char *category, const char *event)
{
	char path[256];

	snprintf(path, sizeof(path), TRACEFS_PATH "/events/%s/%s/id", category, event);
	return access(path, F_OK) == 0;
}
