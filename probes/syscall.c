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

#include <json-c/json.h>

#include "probes/probe.h"

/* syscall_settings - what --text, --sink and --stdio-buffer set. */
struct syscall_settings {
	const char *text;    /* what one puts writes */
	const char *sink;    /* the path the stdio stream writes to */
	size_t stdio_buffer; /* 0: stdio's own buffer size */
};

_Static_assert(sizeof(struct syscall_settings) <= PROBE_SETTINGS_SIZE, "syscall settings");

static const struct cli_opt syscall_options[] = {
    {.name = "text",
     .arg = "STR",
     .help = "the line one puts writes",
     .def = "ringscope syscall probe",
     .kind = CLI_OPT_STRING,
     PROBE_SETTING(struct syscall_settings, text)},
    {.name = "sink",
     .arg = "PATH",
     .help = "where the stream writes",
     .def = "/dev/null",
     .kind = CLI_OPT_PATH,
     PROBE_SETTING(struct syscall_settings, sink)},
    {.name = "stdio-buffer",
     .letter = 'b',
     .arg = "BYTES",
     .help = "the stdio buffer's size, 0 for stdio's own",
     .def = "0",
     .kind = CLI_OPT_SIZE,
     .max = 1ULL << 30,
     PROBE_SETTING(struct syscall_settings, stdio_buffer)},
    {0},
};

/* settings - the syscall probe's own settings in @cfg. */
static const struct syscall_settings *settings(const struct probe_config *cfg)
{
	return (const struct syscall_settings *)cfg->settings;
}

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

/* syscall_validate - a non-empty text without a newline (the probe adds one), a usable sink. */
static int syscall_validate(const struct probe_config *cfg, char *err, size_t errlen)
{
	const struct syscall_settings *s = settings(cfg);

	if (!*s->text || strchr(s->text, '\n')) {
		snprintf(err, errlen, "the syscall probe's text must be one non-empty line");
		return -EINVAL;
	}
	return syscall_sink_writable(s->sink, err, errlen);
}

/* syscall_config_json - its settings in the PROBE chunk's config. */
static void syscall_config_json(const struct probe_config *cfg, struct json_object *o)
{
	const struct syscall_settings *s = settings(cfg);

	json_object_object_add(o, "text", json_object_new_string(s->text));
	json_object_object_add(o, "sink", json_object_new_string(s->sink));
	json_object_object_add(o, "stdio_buffer", json_object_new_int64((int64_t)s->stdio_buffer));
}

/* syscall_setup - open the sink for appending, fully buffered with the configured buffer. */
static int syscall_setup(struct probe_ctx *ctx)
{
	const struct syscall_settings *s = settings(ctx->cfg);
	struct syscall_priv *p;
	int rc;

	ctx->npids = 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	ctx->priv = p;
	if (asprintf(&p->line, "%s\n", s->text) < 0) {
		p->line = NULL;
		return -ENOMEM;
	}
	p->stream = fopen(s->sink, "ae");
	if (!p->stream) {
		rc = -errno;
		snprintf(ctx->err, sizeof(ctx->err), "failed to open '%s': %s", s->sink,
			 strerror(-rc));
		return rc;
	}
	if (s->stdio_buffer) {
		p->buffer = malloc(s->stdio_buffer);
		if (!p->buffer)
			return -ENOMEM;
	}
	if (setvbuf(p->stream, p->buffer, _IOFBF, s->stdio_buffer ? s->stdio_buffer : BUFSIZ)) {
		snprintf(ctx->err, sizeof(ctx->err), "failed to set the buffer of '%s'", s->sink);
		return -EINVAL;
	}
	return 0;
}

/* syscall_iterate - one line into the stream; a failed flush ends the run. */
static int syscall_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	struct syscall_priv *p = ctx->priv;

	if (fputs(p->line, p->stream) == EOF) {
		snprintf(ctx->err, sizeof(ctx->err), "failed to write to '%s': %s",
			 settings(ctx->cfg)->sink, strerror(errno));
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
    .options = syscall_options,
    .validate = syscall_validate,
    .config_json = syscall_config_json,
    .setup = syscall_setup,
    .iterate = syscall_iterate,
    .teardown = syscall_teardown,
};
