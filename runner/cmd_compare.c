// SPDX-License-Identifier: MIT
/* cmd_compare - `ringscope compare A B`: two trace files side by side, with a verdict per probe. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "analysis/compare/compare.h"
#include "lib/trace/trace_reader.h"
#include "lib/cli.h"
#include "runner/commands.h"

struct compare_cli {
	const char *path_a, *path_b;
	bool json;
};

static void usage(FILE *f)
{
	fputs("usage: ringscope compare A B [--json]\n\n"
	      "Two trace files side by side (say a guest and bare metal): their platform\n"
	      "fingerprints, then per probe found in both (same probe, hops, io, connect, reply,\n"
	      "domains, msg_size, text, stdio_buffer and sink; in A's order) the statistics of A\n"
	      "and B and their ratio B/A, the spike rates, dominant causes and patterns, and a\n"
	      "verdict on the latency distributions:\n"
	      "  same   the raw samples do not differ\n"
	      "  shift  they differ, but not once each is moved to its own median (location only)\n"
	      "  scale  they differ moved, but not once B's spread (MAD) is scaled to A's\n"
	      "  shape  they still differ: the distribution itself changed\n"
	      "Each step is a two-sample Kolmogorov-Smirnov test (alpha 0.01) that also needs an\n"
	      "effect: KS D > 0.05 or a Wasserstein distance > 2% of A's median, taken over the\n"
	      "central 98% of the quantiles (outliers are the spike rate's business), and that\n"
	      "distance at least one TSC step. Probes in one file only are listed.\n\n"
	      "options:\n"
	      "  -j, --json   print one JSON document on stdout (errors as {\"error\": ...})\n"
	      "  -h, --help   show this help\n\n"
	      "exit status: 0 compared, 1 unreadable, damaged or foreign file, 2 bad usage\n",
	      f);
}

/* parse_args - fill @o; returns -1 to go on, else the exit code (help or usage error). */
static int parse_args(int argc, char **argv, struct compare_cli *o)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c, i;

	for (i = 1; i < argc; i++) /* errors of this very parse already print as JSON */
		cli_json_mode |= !strcmp(argv[i], "--json") || !strcmp(argv[i], "-j");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":jh", longopts, NULL)) != -1) {
		if (c == 'j') {
			o->json = true;
		} else if (c == 'h') {
			usage(stdout);
			return CLI_EXIT_OK;
		} else if (optopt && strncmp(argv[optind - 1], "--", 2)) { /* "-xj": not the word */
			return cli_usage_error("compare", "unknown option '-%c'", optopt);
		} else {
			return cli_usage_error("compare", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return cli_usage_error("compare", "expected two trace files A and B");
	if (argc - optind > 2)
		return cli_usage_error("compare", "expected two trace files, got '%s' too",
				       argv[optind + 2]);
	o->path_a = argv[optind];
	o->path_b = argv[optind + 1];
	return -1;
}

/*
 * load - one file, or print why not and return false. In text mode a cut-short file is said on
 * stderr, as analyze does; JSON has "complete" for it.
 */
static bool load(const char *path, bool json, struct trace_session **s)
{
	char err[512];

	if (trace_session_load(path, s, err, sizeof(err))) {
		cli_error("%s", err);
		return false;
	}
	if (!json && !(*s)->status.complete)
		cli_warn(
		    "'%s' has no END chunk (the run was killed?): compared up to its last whole "
		    "chunk",
		    path);
	return true;
}

int cmd_compare(int argc, char **argv)
{
	struct trace_session *a = NULL, *b = NULL;
	struct json_object *report = NULL;
	struct compare_cli cli = {0};
	struct compare_opts o;
	char err[512];
	int ret;

	ret = parse_args(argc, argv, &cli);
	if (ret >= 0)
		return ret;
	ret = CLI_EXIT_ERROR;
	if (!load(cli.path_a, cli.json, &a) || !load(cli.path_b, cli.json, &b))
		goto cleanup;
	compare_opts_default(&o);
	if (compare_report_build(cli.path_a, a, cli.path_b, b, &o, &report, err, sizeof(err))) {
		cli_error("%s", err);
		goto cleanup;
	}
	if (cli.json)
		compare_print_json(stdout, report);
	else
		compare_print_text(stdout, report);
	ret = CLI_EXIT_OK;
cleanup:
	json_object_put(report);
	trace_session_free(b);
	trace_session_free(a);
	return ret;
}
