// SPDX-License-Identifier: MIT
/*
 * cmd_export - `ringscope export FILE [--format csv|perfetto] [--what samples|events] [-o OUT]`:
 * samples or kernel events as CSV rows, or the whole trace as Chrome trace-event JSON; streamed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "analysis/export/export_perfetto.h"
#include "lib/trace/trace_reader.h"
#include "lib/cli.h"
#include "lib/cli_args.h"
#include "lib/gzstream.h"
#include "lib/outfile.h"
#include "lib/sigcleanup.h"
#include "runner/commands.h"

enum export_format { EXPORT_CSV, EXPORT_PERFETTO };
enum export_what { EXPORT_SAMPLES, EXPORT_EVENTS };

struct export_opts {
	const char *path;
	const char *out; /* NULL: stdout */
	enum export_format format;
	enum export_what what; /* csv: samples or events */
	bool no_causes;	       /* perfetto: flag spikes without attributing them */
};

static const char *const format_names[] = {"csv", "perfetto", NULL};
static const char *const what_names[] = {"samples", "events", NULL};

static const struct cli_opt export_rows[] = {
    {.name = "format",
     .letter = 'f',
     .arg = "FMT",
     .help = "CSV rows, or Chrome trace-event JSON for ui.perfetto.dev",
     .def = "csv",
     .kind = CLI_OPT_ENUM,
     .names = format_names,
     CLI_FIELD(struct export_opts, format)},
    {.name = "what",
     .arg = "WHAT",
     .help = "csv: a row per sample or per kernel event",
     .def = "samples",
     .kind = CLI_OPT_ENUM,
     .names = what_names,
     CLI_FIELD(struct export_opts, what)},
    {.name = "no-causes",
     .letter = 'N',
     .help = "perfetto: flag the spikes without their dominant cause and split",
     .kind = CLI_OPT_FLAG,
     CLI_FIELD(struct export_opts, no_causes)},
    {.name = "output",
     .letter = 'o',
     .arg = "OUT",
     .help = "write to OUT (under a temporary name, renamed when whole), gzipped when OUT "
	     "ends in .gz (ui.perfetto.dev opens it as it is); - or none: stdout",
     .kind = CLI_OPT_PATH,
     CLI_FIELD(struct export_opts, out)},
    CLI_ROW_VERBOSE("say what was exported on stderr"),
    CLI_ROW_HELP,
    {0},
};

static const struct cli_opt_group export_groups[] = {
    {.title = "options", .opts = export_rows},
    {0},
};

/* A probe's name by id, learnt from its PROBE chunk (which precedes its samples). */
struct probe_name {
	uint32_t id;
	char *name;
};

struct export_ctx {
	FILE *f;
	struct probe_name *names;
	size_t nnames;
	uint64_t rows;
	struct trace_read_status *st;
};

static const char csv_header[] = "probe,probe_id,run,iteration,latency_ns,intended_ns,"
				 "mono_start_ns,mono_end_ns,tsc_start,tsc_end,cpu,flags\n";

/* check_args - the options that only go together: what needs the whole command line. */
static int check_args(struct export_opts *o)
{
	if (o->format == EXPORT_PERFETTO && o->what == EXPORT_EVENTS)
		return cli_usage_error("export", "--what is for csv (perfetto holds both)");
	if (o->format != EXPORT_PERFETTO && o->no_causes)
		return cli_usage_error("export", "--no-causes is for --format perfetto");
	if (o->out && !strcmp(o->out, "-"))
		o->out = NULL;
	if (o->out && cli_check_output("export", o->out, 0))
		return CLI_EXIT_USAGE;
	return CLI_EXIT_OK;
}

/* remember_probe - keep the name of the probe a PROBE chunk announces. */
static int remember_probe(struct export_ctx *x, struct json_object *obj)
{
	struct json_object *id, *name;
	struct probe_name *grown;

	if (!json_object_object_get_ex(obj, "probe_id", &id))
		return 0; /* the reader's model rejects it; export just has no name for it */
	grown = realloc(x->names, (x->nnames + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	x->names = grown;
	grown[x->nnames].id = (uint32_t)json_object_get_int64(id);
	grown[x->nnames].name =
	    strdup(json_object_object_get_ex(obj, "probe", &name) ? json_object_get_string(name)
								  : "unknown");
	if (!grown[x->nnames].name)
		return -ENOMEM;
	x->nnames++;
	return 0;
}

static int on_json(void *ctx, uint32_t type, struct json_object *obj)
{
	struct export_ctx *x = ctx;
	int ret;

	if (type != TRACE_CHUNK_PROBE)
		return 0;
	ret = remember_probe(x, obj);
	if (ret)
		snprintf(x->st->err, sizeof(x->st->err), "out of memory");
	return ret;
}

static const char *probe_name(const struct export_ctx *x, uint32_t id)
{
	size_t i;

	for (i = 0; i < x->nnames; i++) {
		if (x->names[i].id == id)
			return x->names[i].name;
	}
	return "unknown";
}

/* put_csv_field - @s as one CSV field (RFC 4180: quoted when it holds , " or a newline). */
static void put_csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static const char *const flag_text[] = {"", "bad", "late", "bad|late"};

static int on_samples(void *ctx, uint32_t probe_id, const struct trace_sample *s, size_t n)
{
	struct export_ctx *x = ctx;
	const char *name = probe_name(x, probe_id);
	size_t i;

	for (i = 0; i < n; i++, s++) {
		put_csv_field(x->f, name);
		fprintf(x->f,
			",%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
			",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu32 ",%s\n",
			probe_id, s->run, s->iteration, s->latency_ns, s->intended_ns,
			s->mono_start_ns, s->mono_end_ns, s->tsc_start, s->tsc_end, s->cpu,
			flag_text[s->flags & (TRACE_SAMPLE_BAD | TRACE_SAMPLE_LATE)]);
	}
	x->rows += n;
	if (ferror(x->f)) {
		snprintf(x->st->err, sizeof(x->st->err), "failed to write the CSV: %s",
			 strerror(errno));
		return -EIO;
	}
	return 0;
}

/*
 * open_output - stdout, or OUT made as lib/outfile.h makes outputs: under a temporary name,
 * renamed into place only once the export is whole, so a failed or interrupted export never
 * leaves a file that looks complete; an existing character device or FIFO (/dev/null, a pipe)
 * is written in place. Returns the stream, or NULL after printing why.
 */
static FILE *open_output(const struct export_opts *o, struct outfile *of)
{
	char err[PATH_MAX + 256];
	FILE *f;

	if (!o->out)
		return stdout;
	if (outfile_open(of, o->out, 0, err, sizeof(err))) {
		cli_error("%s", err);
		return NULL;
	}
	f = outfile_stream(of);
	if (!f) {
		cli_error("failed to write '%s': %s", o->out, strerror(errno));
		outfile_discard(of);
	}
	return f;
}

/* finish_output - stdout flushed, or OUT renamed into place (removed on @failed). 0 or -1. */
static int finish_output(const struct export_opts *o, FILE *f, struct outfile *of, bool failed)
{
	char err[PATH_MAX + 256];

	if (o->out && failed) {
		outfile_discard(of);
		return -1;
	}
	if (o->out) {
		if (!outfile_commit(of, err, sizeof(err)))
			return 0;
		cli_error("%s", err);
		return -1;
	}
	if (fflush(f) || ferror(f)) {
		if (!failed)
			cli_error("failed to write to stdout: %s", strerror(errno ? errno : EIO));
		return -1;
	}
	return failed ? -1 : 0;
}

static void free_names(struct export_ctx *x)
{
	size_t i;

	for (i = 0; i < x->nnames; i++)
		free(x->names[i].name);
	free(x->names);
}

/* stop_at_first_json - check_input's callbacks: the header and a first chunk read whole. */
static int stop_at_first_json(void *ctx, uint32_t type, struct json_object *obj)
{
	(void)ctx, (void)type, (void)obj;
	return -ECANCELED;
}

static int stop_at_first_samples(void *ctx, uint32_t id, const struct trace_sample *s, size_t n)
{
	(void)ctx, (void)id, (void)s, (void)n;
	return -ECANCELED;
}

static int stop_at_first_events(void *ctx, const struct tracer_event *ev, size_t n)
{
	(void)ctx, (void)ev, (void)n;
	return -ECANCELED;
}

/*
 * check_input - whether @path opens and reads as a trace (its header and first chunk), before
 * anything goes to the output: a missing or foreign file then prints no CSV header on stdout.
 * A file damaged further on still fails the export itself, after the rows before the damage.
 * A pipe (/dev/stdin) cannot be read twice: its errors come with the export.
 */
static int check_input(const char *path, struct trace_read_status *st)
{
	const struct trace_reader_ops ops = {.on_json = stop_at_first_json,
					     .on_samples = stop_at_first_samples,
					     .on_events = stop_at_first_events};
	struct stat sb;
	int ret;

	if (!stat(path, &sb) && !S_ISREG(sb.st_mode))
		return 0;
	ret = trace_reader_read(path, &ops, NULL, st);
	return ret == -ECANCELED ? 0 : ret;
}

/* export_samples_csv - one row per sample (the default). 0 or -errno with x->st->err set. */
static int export_samples_csv(const struct export_opts *o, struct export_ctx *x)
{
	const struct trace_reader_ops ops = {.on_json = on_json, .on_samples = on_samples};

	fputs(csv_header, x->f);
	memset(x->st, 0, sizeof(*x->st));
	return trace_reader_read(o->path, &ops, x, x->st);
}

/* export_write - the format and rows asked for into x->f; @done says what was written. */
static int export_write(const struct export_opts *o, struct export_ctx *x, char *done, size_t len)
{
	struct export_perfetto_opts po = {.causes = !o->no_causes};
	struct export_perfetto_stats ps;
	uint64_t rows;
	int ret;

	if (o->format == EXPORT_PERFETTO) {
		spikes_opts_default(&po.spikes);
		ret = export_perfetto(o->path, x->f, &po, &ps, x->st);
		snprintf(done, len,
			 "%" PRIu64 " iterations (%" PRIu64 " spikes), %" PRIu64
			 " kernel events (%" PRIu64 " slices, %" PRIu64 " instants, %" PRIu64
			 " thread names), %" PRIu64 " slices of what ran on the CPUs, %" PRIu64
			 " flows from spikes to their key events",
			 ps.samples, ps.spikes, ps.events, ps.intervals, ps.instants, ps.names,
			 ps.ran, ps.flows);
		return ret;
	}
	if (o->what == EXPORT_EVENTS) {
		ret = export_events_csv(o->path, x->f, &rows, x->st);
		snprintf(done, len, "%" PRIu64 " kernel events", rows);
		return ret;
	}
	ret = export_samples_csv(o, x);
	snprintf(done, len, "%" PRIu64 " samples", x->rows);
	return ret;
}

/* gzipped - whether OUT's name asks for gzip (".gz", as zcat and ui.perfetto.dev read it). */
static bool gzipped(const struct export_opts *o)
{
	size_t n = o->out ? strlen(o->out) : 0;

	return n > 3 && !strcmp(o->out + n - 3, ".gz");
}

/*
 * end_gzip - the gzip stream @gz over the output closed, which writes its last block: 0, or -1
 * after saying why when that or any write underneath failed.
 */
static int end_gzip(const struct export_opts *o, FILE *gz, bool failed)
{
	if (!fclose(gz) || failed)
		return failed ? -1 : 0;
	cli_error("failed to write '%s': %s", o->out, strerror(errno));
	return -1;
}

/* export_main - the options, a look at the input, then the rows streamed into the output. */
static int export_main(int argc, char **argv)
{
	struct export_opts o = {0};
	struct trace_read_status st;
	struct export_ctx x = {.st = &st};
	struct cli_args a;
	struct outfile of;
	char done[256];
	FILE *under;
	int ret;

	ret = cli_parse(&export_command, argc, argv, (void *[]){&o}, &a);
	if (!ret && !a.help)
		ret = check_args(&o);
	if (ret || a.help)
		return ret;
	o.path = a.operands[0];
	if (check_input(o.path, &st)) {
		cli_error("%s", st.err);
		return CLI_EXIT_ERROR;
	}
	sigcleanup_install(); /* a stop signal: no temporary file left */
	under = open_output(&o, &of);
	if (!under)
		return CLI_EXIT_ERROR;
	x.f = gzipped(&o) ? gzstream_open(under) : under;
	if (!x.f) {
		cli_error("out of memory starting gzip for '%s'", o.out);
		finish_output(&o, under, &of, true);
		return CLI_EXIT_ERROR;
	}
	ret = export_write(&o, &x, done, sizeof(done));
	if (ret)
		cli_error("%s", st.err);
	else if (!st.complete)
		cli_warn(
		    "'%s' has no END chunk (the run was killed?): exported up to its last whole "
		    "chunk",
		    o.path);
	if (x.f != under && end_gzip(&o, x.f, ret != 0))
		ret = -1;
	if (finish_output(&o, under, &of, ret != 0))
		ret = -1;
	else
		cli_verbose("exported %s of '%s'", done, o.path);
	free_names(&x);
	return ret ? CLI_EXIT_ERROR : CLI_EXIT_OK;
}

const struct cli_command export_command = {
    .name = "export",
    .summary = "a trace file as CSV (samples or events) or Perfetto JSON",
    .synopsis = "FILE [--format csv|perfetto] [--what samples|events] [-o OUT]",
    .description =
	"Writes every sample of a trace file, one row each, streaming (bounded memory). CSV "
	"columns: probe, probe_id, run, iteration, latency_ns, intended_ns, mono_start_ns, "
	"mono_end_ns (CLOCK_MONOTONIC), tsc_start, tsc_end (ticks), cpu, flags (bad, late or "
	"bad|late; empty for a good sample). With --what events, one row per kernel event "
	"instead: type, cpu, tid, tgid, start_ns, dur_ns, arg0, arg1, arg2, flags, syscall.\n\n"
	"--format perfetto writes Chrome trace-event JSON for ui.perfetto.dev or "
	"chrome://tracing: iterations as slices per probe and run (spikes flagged with their "
	"excess and dominant cause, as analyze --spikes finds them with its defaults, and flow "
	"arrows to the events their attribution used), kernel events as slices and instants "
	"per thread and per CPU, what ran on each CPU. Working out the causes keeps the events "
	"inside spike windows in memory; --no-causes flags the spikes without them (and without "
	"flows), in memory that grows with the samples only.",
    .groups = export_groups,
    .operands = "the trace FILE",
    .min_operands = 1,
    .max_operands = 1,
    .epilogue = "Exit status: 0 exported (a cut-short file too, with a warning), 1 unreadable "
		"or damaged file or failed write (then no OUT is left behind), 2 bad usage.",
    .main = export_main,
};
