/* SPDX-License-Identifier: MIT */
/*
 * tracer_log - the tracer's notes (what was skipped and why) and libbpf's messages, handed line by
 * line to the CLI's verbose printer (tracer_opts.on_log). Used by the loader's files only.
 */
#ifndef RINGSCOPE_BPF_TRACER_LOG_H
#define RINGSCOPE_BPF_TRACER_LOG_H

/*
 * tracer_log_route - send the tracer's notes and libbpf's messages to @fn (NULL: nowhere);
 * libbpf's debug lines only with RINGSCOPE_LIBBPF_DEBUG set.
 */
void tracer_log_route(void (*fn)(const char *line));

/* tracer_log - a note of the tracer's own (what was skipped and why), verbose only. */
void __attribute__((format(printf, 1, 2))) tracer_log(const char *fmt, ...);

#endif
