// SPDX-License-Identifier: MIT
/*
 * syscall - one puts of a short text per iteration to a fully buffered stdio stream, as a program
 * writing to a redirected stdout does: most iterations only copy into the buffer, and every
 * (buffer size / line length)-th one pays for the write(2) that flushes it.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "probes/probe.h"

struct syscall_priv {
	FILE *stream;
	char *buffer; /* NULL: stdio's own buffer */
	char *line;   /* the text and its newline: one fputs per iteration */
};

/*
 * syscall_sink_writable - whether setup will be able to open @sink for appending, checked
 * without creating it: a bad --sink is a usage error before any file is made, not a failed run.
 */
static int syscall_sink_writable(const char *sink, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	struct stat st;
	const char *slash = strrchr(sink, '/');

	if (stat(sink, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "--sink '%s' is a folder: give a file or /dev/null",
				 sink);
			return -EISDIR;
		}
		if (access(sink, W_OK) == 0)
			return 0;
		snprintf(err, errlen, "--sink '%s' is not writable: %s", sink, strerror(errno));
		return -errno;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - sink) + (slash == sink) : 1,
		 slash ? sink : ".");
	if (access(dir, W_OK) == 0)
		return 0;
	snprintf(err, errlen, "--sink '%s' cannot be created: its folder '%s': %s", sink, dir,
		 strerror(errno));
	return -errno;
}

/* syscall_validate - a non-empty text without a newline (the probe adds one) and a sink path. */
static int syscall_validate(const struct probe_config *cfg, char *err, size_t errlen)
{
	if (!cfg->text || !*cfg->text || strchr(cfg->text, '\n')) {
		snprintf(err, errlen, "the syscall probe's text must be one non-empty line");
		return -EINVAL;
	}
	if (!cfg->sink || !*cfg->sink) {
		snprintf(err, errlen, "the syscall probe needs a sink path (--sink)");
		return -EINVAL;
	}
	return syscall_sink_writable(cfg->sink, err, errlen);
}

/* syscall_setup - open the sink for appending, fully buffered with the configured buffer. */
static int syscall_setup(struct probe_ctx *ctx)
{
	struct syscall_priv *p;
	int rc;

	ctx->npids = 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	ctx->priv = p;
	if (asprintf(&p->line, "%s\n", ctx->cfg->text) < 0) {
		p->line = NULL;
		return -ENOMEM;
	}
	p->stream = fopen(ctx->cfg->sink, "ae");
	if (!p->stream) {
		rc = -errno;
		snprintf(ctx->err, sizeof(ctx->err), "failed to open '%s': %s", ctx->cfg->sink,
			 strerror(-rc));
		return rc;
	}
	if (ctx->cfg->stdio_buffer) {
		p->buffer = malloc(ctx->cfg->stdio_buffer);
		if (!p->buffer)
			return -ENOMEM;
	}
	if (setvbuf(p->stream, p->buffer, _IOFBF,
		    ctx->cfg->stdio_buffer ? ctx->cfg->stdio_buffer : BUFSIZ)) {
		snprintf(ctx->err, sizeof(ctx->err), "failed to set the buffer of '%s'",
			 ctx->cfg->sink);
		return -EINVAL;
	}
	return 0;
}

/* syscall_iterate - one line into the stream; a failed flush ends the run. */
static int syscall_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	struct syscall_priv *p = ctx->priv;

	if (fputs(p->line, p->stream) == EOF) {
		snprintf(ctx->err, sizeof(ctx->err), "failed to write to '%s': %s", ctx->cfg->sink,
			 strerror(errno));
		return errno ? -errno : -EIO;
	}
	return 0;
}

/* syscall_teardown - flush what is buffered, close the sink, free the buffer (after fclose). */
static void syscall_teardown(struct probe_ctx *ctx)
{
	struct syscall_priv *p = ctx->priv;

	if (!p)
		return;
	if (p->stream)
		fclose(p->stream);
	free(p->buffer);
	free(p->line);
	free(p);
	ctx->priv = NULL;
}

const struct probe_ops probe_syscall = {
    .name = "syscall",
    .summary = "one puts per iteration to a fully buffered stdio stream (buffer flushes)",
    .validate = syscall_validate,
    .setup = syscall_setup,
    .iterate = syscall_iterate,
    .teardown = syscall_teardown,
};
