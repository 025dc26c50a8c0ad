/* SPDX-License-Identifier: MIT */
/*
 * report_keys - the schema of the report model: every object the analysis builds as json-c (the
 * analyze report that `analyze --json` prints, its per-probe sections, the compare report) and
 * every trace-chunk object it reads, each key once with its JSON name, type and the object it
 * lives in. Builders and printers name keys only through these constants (report_model.h), so a
 * renamed key changes both sides or fails the build; tests/unit/test_report_model.c walks what
 * the builders make against this table and fails on a key a printer asks for that is not there.
 */
#ifndef RINGSCOPE_REPORT_KEYS_H
#define RINGSCOPE_REPORT_KEYS_H

/* rm_type - what a key's value is; RM_T_NUM takes an integer too. */
enum rm_type {
	RM_T_ANY,
	RM_T_INT,
	RM_T_NUM,
	RM_T_STR,
	RM_T_BOOL,
	RM_T_OBJ, /* an object of the key's child kind */
	RM_T_ARR, /* an array; of objects of the child kind, if it names one */
};

/* rm_form - which keys an object may have. */
enum rm_form {
	RM_CLOSED, /* only its keys below: anything else is a builder's mistake */
	RM_OPEN,   /* its keys below and others: a trace chunk, whose writer may add keys */
	RM_MAP,	   /* any key (a cause name, ...), every value of the kind's value type and kind */
};

#define RM_OPT	1u /* the key may be absent (a section, a key only some probes have) */
#define RM_NULL 2u /* the value may be null (nothing to say: no good sample, not finite) */

/*
 * RM_KINDS(X) - the objects: X(ID, FORM, VALUE_TYPE, VALUE_KIND, BASE, WHERE). VALUE_TYPE and
 * VALUE_KIND describe a map's values; BASE names a kind whose keys this one has too; WHERE says
 * who makes it.
 */
#define RM_KINDS(X)                                                                                \
	X(REPORT, RM_CLOSED, ANY, NONE, NONE, "the analyze report: analyze_report_build()")        \
	X(PLATFORM, RM_OPEN, ANY, NONE, NONE, "the PLATFORM chunk (runner/platform.c)")            \
	X(CALIBRATION, RM_OPEN, ANY, NONE, NONE, "PLATFORM's timer calibration")                   \
	X(PROBE, RM_CLOSED, ANY, NONE, NONE,                                                       \
	  "a probe of the analyze report: analyze_probe_build(), the event counts of analyze, "    \
	  "attr_report_add(), patterns_report_add()")                                              \
	X(CONFIG, RM_OPEN, ANY, NONE, NONE, "the PROBE chunk's \"config\": the probe's settings")  \
	X(STATS, RM_CLOSED, ANY, NONE, NONE, "the statistics of good samples: rm_stats_add()")     \
	X(LOST_ITERATION, RM_CLOSED, ANY, NONE, NONE, "a message the ring lost (PROBE_END)")       \
	X(HOP, RM_CLOSED, ANY, NONE, NONE, "one hop of the ring: wire and residence (PROBE_END)")  \
	X(DETECTION, RM_CLOSED, ANY, NONE, NONE, "how the spikes were found: attr_report_add()")   \
	X(ATTRIBUTION, RM_MAP, OBJ, CAUSE_TOTAL, NONE, "per cause: attr_causes_json()")            \
	X(CAUSE_TOTAL, RM_CLOSED, ANY, NONE, NONE, "one cause over all spikes of a probe")         \
	X(SPIKE, RM_CLOSED, ANY, NONE, NONE, "one spike: attr_spike_json()")                       \
	X(CAUSES, RM_MAP, INT, NONE, NONE, "a spike's excess per cause (ns)")                      \
	X(HOST_TIME, RM_CLOSED, ANY, NONE, NONE, "host time by part: attr_evidence_section()")     \
	X(SPIKE_HOST_TIME, RM_CLOSED, ANY, NONE, HOST_TIME,                                        \
	  "a spike's host time, VM-exit proxies")                                                  \
	X(EVIDENCE, RM_CLOSED, ANY, NONE, NONE, "what the trace recorded of the host")             \
	X(CAUSE_MEANING, RM_CLOSED, ANY, NONE, NONE, "what hypervisor and unexplained mean here")  \
	X(KEY_EVENT, RM_CLOSED, ANY, NONE, NONE, "a key event of a spike")                         \
	X(MECHANISMS, RM_CLOSED, ANY, NONE, NONE, "mechanism costs: mech_table_json()")            \
	X(MECH_ROWS, RM_MAP, OBJ, MECH_ROW, NONE, "one row per mechanism, by its key")             \
	X(MECH_ROW, RM_CLOSED, ANY, NONE, NONE, "one mechanism's median cost and its interval")    \
	X(MECH_ABSENCES, RM_CLOSED, ANY, NONE, NONE, "how often a vCPU went absent")               \
	X(OBSERVER, RM_CLOSED, ANY, NONE, NONE,                                                    \
	  "traced vs untraced runs of a probe: observer_effect_add()")                             \
	X(OBSERVER_SIDE, RM_CLOSED, ANY, NONE, NONE, "the traced or the untraced runs' figures")   \
	X(HIST_BUCKET, RM_CLOSED, ANY, NONE, NONE, "a log2 bucket of latencies: hist_log2_json()") \
	X(LIFECYCLE, RM_CLOSED, ANY, NONE, NONE, "io_uring hops split: lifecycle_report_add()")    \
	X(LC_HOP, RM_CLOSED, ANY, NONE, NONE, "one hop's time and its parts")                      \
	X(LC_QUANT, RM_CLOSED, ANY, NONE, NONE, "p50 and p99 of a hop or part, with intervals")    \
	X(LC_CPU, RM_CLOSED, ANY, NONE, NONE, "how often a CPU made a hop's data ready")           \
	X(LC_SPIKE, RM_CLOSED, ANY, NONE, NONE, "a spike and the part of a hop that grew most")    \
	X(LC_GREW, RM_CLOSED, ANY, NONE, NONE, "a part of a hop that grew most in some spikes")    \
	X(PATTERNS, RM_CLOSED, ANY, NONE, NONE, "the patterns of a probe: patterns_to_json()")     \
	X(LINE, RM_CLOSED, ANY, NONE, NONE, "a periodic line of spikes")                           \
	X(DRIFT, RM_CLOSED, ANY, NONE, NONE, "spikes drifting from run to run")                    \
	X(MODE, RM_CLOSED, ANY, NONE, NONE, "a mode of the latency distribution")                  \
	X(CONFIDENCE, RM_CLOSED, ANY, NONE, NONE, "percentile intervals: patterns_to_json()")      \
	X(COMPARE, RM_CLOSED, ANY, NONE, NONE, "the compare report: compare_report_build()")       \
	X(COMPARE_FILE, RM_CLOSED, ANY, NONE, NONE, "one of the compared files")                   \
	X(THRESHOLDS, RM_CLOSED, ANY, NONE, NONE, "the thresholds the verdicts used")              \
	X(PROBE_REF, RM_CLOSED, ANY, NONE, NONE, "a probe only one file has")                      \
	X(COMPARE_PROBE, RM_CLOSED, ANY, NONE, NONE, "a probe both files have, compared")          \
	X(COMPARE_SIDE, RM_CLOSED, ANY, NONE, STATS, "one side's statistics")                      \
	X(RATIO, RM_CLOSED, ANY, NONE, NONE, "B's statistics over A's")                            \
	X(TESTS, RM_CLOSED, ANY, NONE, NONE, "the tests, one per view of the samples")             \
	X(TEST, RM_CLOSED, ANY, NONE, NONE, "one two-sample test: compare_result_json()")          \
	X(SPIKE_RATE, RM_CLOSED, ANY, NONE, NONE, "spikes per 1000 iterations of both sides")      \
	X(RATE_SIDE, RM_CLOSED, ANY, NONE, NONE, "one side's spike rate")                          \
	X(COMPARE_ATTRIBUTION, RM_CLOSED, ANY, NONE, NONE, "both sides' excess per cause")         \
	X(CMP_MECH, RM_CLOSED, ANY, NONE, NONE, "B less A by mechanism: compare_mechanisms_add()") \
	X(CMP_MECH_Q, RM_CLOSED, ANY, NONE, NONE, "one quantile's difference and its parts")       \
	X(CMP_MECH_PARTS, RM_MAP, OBJ, CMP_MECH_PART, NONE, "each mechanism's contribution")       \
	X(CMP_MECH_PART, RM_CLOSED, ANY, NONE, NONE, "a difference (ns) and its 95% interval")     \
	X(COMPARE_PATTERNS, RM_CLOSED, ANY, NONE, NONE, "both sides' patterns")                    \
	X(CMP_PROJ, RM_CLOSED, ANY, NONE, NONE, "A's projection against B: compare_project_add()") \
	X(CMP_PROJ_Q, RM_CLOSED, ANY, NONE, NONE, "one quantile of the projection against B")      \
	X(RUN_LEVEL, RM_CLOSED, ANY, NONE, NONE,                                                   \
	  "the run-level comparison: compare_result_json()")                                       \
	X(RUN_SIDE, RM_CLOSED, ANY, NONE, NONE, "one side's runs and clusters")                    \
	X(EFFECTS, RM_CLOSED, ANY, NONE, NONE, "B over A of each cluster figure")                  \
	X(EFFECT, RM_CLOSED, ANY, NONE, NONE, "one figure's effect with its interval")             \
	X(SESSION_CHUNK, RM_OPEN, ANY, NONE, NONE, "the SESSION chunk (docs/trace-format.md)")     \
	X(PROBE_CHUNK, RM_OPEN, ANY, NONE, NONE, "a PROBE chunk")                                  \
	X(PROBE_END_CHUNK, RM_OPEN, ANY, NONE, NONE, "a PROBE_END chunk")                          \
	X(END_CHUNK, RM_OPEN, ANY, NONE, NONE, "the END chunk")                                    \
	X(PROJECTION, RM_CLOSED, ANY, NONE, NONE, "a host-free projection: projection_json()")     \
	X(PROJ_BASELINE, RM_CLOSED, ANY, NONE, NONE, "the bare-metal costs a projection used")     \
	X(PROJ_QUANTILE, RM_CLOSED, ANY, NONE, NONE,                                               \
	  "a quantile of the guest and of its projection")                                         \
	X(TRACER_CHUNK, RM_OPEN, ANY, NONE, NONE, "the TRACER chunk (runner/recording.c)")

/* RM_KEYS(X) - the keys: X(ID, KIND, "name", TYPE, CHILD_KIND, FLAGS), in the order built. */
#define RM_KEYS(X)                                                                                 \
	X(REPORT_PLATFORM, REPORT, "platform", OBJ, PLATFORM, RM_NULL)                             \
	X(REPORT_COMPLETE, REPORT, "complete", BOOL, NONE, 0)                                      \
	X(REPORT_STATUS, REPORT, "status", ANY, NONE, RM_NULL)                                     \
	X(REPORT_ERROR, REPORT, "error", ANY, NONE, RM_OPT)                                        \
	X(REPORT_PROBES, REPORT, "probes", ARR, PROBE, 0)                                          \
	X(REPORT_MECHANISMS, REPORT, "mechanisms", OBJ, MECHANISMS, RM_OPT)                        \
	X(MECH_ROWS_OF, MECHANISMS, "rows", OBJ, MECH_ROWS, 0)                                     \
	X(MECH_ABSENCES_OF, MECHANISMS, "vcpu_absences", OBJ, MECH_ABSENCES, 0)                    \
	X(MECH_ROW_NAME, MECH_ROW, "name", STR, NONE, 0)                                           \
	X(MECH_ROW_N, MECH_ROW, "n", INT, NONE, 0)                                                 \
	X(MECH_ROW_P50, MECH_ROW, "p50_ns", NUM, NONE, RM_NULL)                                    \
	X(MECH_ROW_P50_LO, MECH_ROW, "p50_lo_ns", NUM, NONE, RM_NULL)                              \
	X(MECH_ROW_P50_HI, MECH_ROW, "p50_hi_ns", NUM, NONE, RM_NULL)                              \
	X(MECH_ROW_P90, MECH_ROW, "p90_ns", NUM, NONE, RM_NULL)                                    \
	X(MECH_ROW_SOURCE, MECH_ROW, "source", STR, NONE, 0)                                       \
	X(MECH_ROW_UNKNOWN, MECH_ROW, "unknown", STR, NONE, RM_OPT)                                \
	X(MECH_ABS_COUNT, MECH_ABSENCES, "count", INT, NONE, 0)                                    \
	X(MECH_ABS_TRACED_S, MECH_ABSENCES, "traced_s", NUM, NONE, 0)                              \
	X(MECH_ABS_PER_S, MECH_ABSENCES, "per_s", NUM, NONE, RM_NULL)                              \
	X(MECH_ABS_PER_S_LO, MECH_ABSENCES, "per_s_lo", NUM, NONE, RM_NULL)                        \
	X(MECH_ABS_PER_S_HI, MECH_ABSENCES, "per_s_hi", NUM, NONE, RM_NULL)                        \
                                                                                                   \
	X(PLATFORM_HYPERVISOR, PLATFORM, "hypervisor", STR, NONE, RM_NULL)                         \
	X(PLATFORM_CLOCKSOURCE, PLATFORM, "clocksource", STR, NONE, RM_NULL)                       \
	X(PLATFORM_TSC_KHZ, PLATFORM, "tsc_khz", NUM, NONE, RM_NULL)                               \
	X(PLATFORM_KERNEL, PLATFORM, "kernel", STR, NONE, RM_NULL)                                 \
	X(PLATFORM_CPU_MODEL, PLATFORM, "cpu_model", STR, NONE, RM_NULL)                           \
	X(PLATFORM_NUMA_NODES, PLATFORM, "numa_nodes", INT, NONE, RM_NULL)                         \
	X(PLATFORM_CALIBRATION, PLATFORM, "calibration", OBJ, CALIBRATION, RM_NULL)                \
	X(CALIBRATION_TSC_STEP_NS, CALIBRATION, "tsc_step_ns", NUM, NONE, RM_NULL)                 \
	X(CALIBRATION_STAMP_COST_NS, CALIBRATION, "stamp_cost_ns", NUM, NONE, RM_NULL)             \
	X(CALIBRATION_TSC_HZ, CALIBRATION, "tsc_hz", NUM, NONE, RM_NULL)                           \
	X(CALIBRATION_TSC_HZ_ERR, CALIBRATION, "tsc_hz_err", NUM, NONE, RM_NULL)                   \
                                                                                                   \
	X(PROBE_NAME, PROBE, "probe", STR, NONE, 0)                                                \
	X(PROBE_ID, PROBE, "probe_id", INT, NONE, 0)                                               \
	X(PROBE_CONFIG, PROBE, "config", OBJ, CONFIG, 0)                                           \
	X(PROBE_SAMPLES, PROBE, "samples", INT, NONE, 0)                                           \
	X(PROBE_LOST, PROBE, "lost", INT, NONE, 0)                                                 \
	X(PROBE_BAD_MESSAGES, PROBE, "bad_messages", INT, NONE, 0)                                 \
	X(PROBE_LATE, PROBE, "late", INT, NONE, 0)                                                 \
	X(PROBE_RUNS, PROBE, "runs", INT, NONE, 0)                                                 \
	X(PROBE_RESTARTS, PROBE, "restarts", INT, NONE, 0)                                         \
	X(PROBE_LOST_ITERATIONS, PROBE, "lost_iterations", ARR, LOST_ITERATION, RM_OPT)            \
	X(PROBE_HOPS, PROBE, "hops", ARR, HOP, RM_OPT)                                             \
	X(PROBE_ERROR, PROBE, "error", ANY, NONE, RM_OPT)                                          \
	X(PROBE_STATS, PROBE, "stats", OBJ, STATS, RM_NULL)                                        \
	X(PROBE_EVENTS, PROBE, "events", INT, NONE, RM_OPT)                                        \
	X(PROBE_LOST_EVENTS, PROBE, "lost_events", INT, NONE, RM_OPT)                              \
	X(PROBE_TRACED, PROBE, "traced", BOOL, NONE, RM_OPT)                                       \
	X(PROBE_SPIKE_DETECTION, PROBE, "spike_detection", OBJ, DETECTION, RM_OPT)                 \
	X(PROBE_SPIKES_FOUND, PROBE, "spikes_found", INT, NONE, RM_OPT)                            \
	X(PROBE_SPIKES, PROBE, "spikes", ARR, SPIKE, RM_OPT)                                       \
	X(PROBE_ATTRIBUTION, PROBE, "attribution", OBJ, ATTRIBUTION, RM_OPT)                       \
	X(PROBE_SYSCALLS_IN_WINDOWS, PROBE, "syscalls_in_windows", INT, NONE, RM_OPT)              \
	X(PROBE_TRANSITION_NS, PROBE, "syscall_transition_ns", INT, NONE, RM_OPT)                  \
	X(PROBE_TRANSITION_WINDOWS, PROBE, "syscall_transition_windows", INT, NONE, RM_OPT)        \
	X(PROBE_HYPERVISOR, PROBE, "hypervisor", OBJ, HOST_TIME, RM_OPT)                           \
	X(PROBE_EVIDENCE, PROBE, "evidence", OBJ, EVIDENCE, RM_OPT)                                \
	X(PROBE_CAUSE_MEANING, PROBE, "cause_meaning", OBJ, CAUSE_MEANING, RM_OPT)                 \
	X(PROBE_PATTERNS, PROBE, "patterns", OBJ, PATTERNS, RM_OPT)                                \
	X(PROBE_CONFIDENCE, PROBE, "confidence", OBJ, CONFIDENCE, RM_OPT)                          \
	X(PROBE_OBSERVER, PROBE, "observer_effect", OBJ, OBSERVER, RM_OPT)                         \
	X(PROBE_HISTOGRAM, PROBE, "histogram_log2", ARR, HIST_BUCKET, RM_OPT)                      \
	X(PROBE_LIFECYCLE, PROBE, "lifecycle", OBJ, LIFECYCLE, RM_OPT)                             \
	X(OBSERVER_UNTRACED, OBSERVER, "untraced", OBJ, OBSERVER_SIDE, 0)                          \
	X(OBSERVER_TRACED, OBSERVER, "traced", OBJ, OBSERVER_SIDE, 0)                              \
	X(OBSERVER_P50_RATIO, OBSERVER, "p50_ratio", NUM, NONE, RM_NULL)                           \
	X(OBSERVER_P99_RATIO, OBSERVER, "p99_ratio", NUM, NONE, RM_NULL)                           \
	X(OBSERVER_TRACER_CAUSE, OBSERVER, "tracer_cause", OBJ, CAUSE_TOTAL, RM_NULL)              \
	X(OBSIDE_RUNS, OBSERVER_SIDE, "runs", INT, NONE, 0)                                        \
	X(OBSIDE_SAMPLES, OBSERVER_SIDE, "samples", INT, NONE, 0)                                  \
	X(OBSIDE_P50, OBSERVER_SIDE, "p50_ns", NUM, NONE, RM_NULL)                                 \
	X(OBSIDE_P50_CI, OBSERVER_SIDE, "p50_ci_ns", ARR, NONE, 0)                                 \
	X(OBSIDE_P99, OBSERVER_SIDE, "p99_ns", NUM, NONE, RM_NULL)                                 \
	X(OBSIDE_P99_CI, OBSERVER_SIDE, "p99_ci_ns", ARR, NONE, 0)                                 \
                                                                                                   \
	X(CONFIG_HOPS, CONFIG, "hops", INT, NONE, RM_OPT)                                          \
	X(CONFIG_IO, CONFIG, "io", STR, NONE, RM_OPT)                                              \
	X(CONFIG_CONNECT, CONFIG, "connect", STR, NONE, RM_OPT)                                    \
	X(CONFIG_DOMAINS, CONFIG, "domains", STR, NONE, RM_OPT)                                    \
	X(CONFIG_MSG_SIZE, CONFIG, "msg_size", INT, NONE, RM_OPT)                                  \
	X(CONFIG_TEXT, CONFIG, "text", STR, NONE, RM_OPT)                                          \
	X(CONFIG_STDIO_BUFFER, CONFIG, "stdio_buffer", INT, NONE, RM_OPT)                          \
	X(CONFIG_SINK, CONFIG, "sink", STR, NONE, RM_OPT)                                          \
	X(CONFIG_REPLY, CONFIG, "reply", STR, NONE, RM_OPT)                                        \
                                                                                                   \
	X(STATS_MEAN, STATS, "mean_ns", NUM, NONE, 0)                                              \
	X(STATS_STDDEV, STATS, "stddev_ns", NUM, NONE, 0)                                          \
	X(STATS_MIN, STATS, "min_ns", NUM, NONE, 0)                                                \
	X(STATS_P50, STATS, "p50_ns", NUM, NONE, 0)                                                \
	X(STATS_P90, STATS, "p90_ns", NUM, NONE, 0)                                                \
	X(STATS_P99, STATS, "p99_ns", NUM, NONE, 0)                                                \
	X(STATS_P999, STATS, "p999_ns", NUM, NONE, 0)                                              \
	X(STATS_P9999, STATS, "p9999_ns", NUM, NONE, RM_OPT | RM_NULL)                             \
	X(STATS_P99999, STATS, "p99999_ns", NUM, NONE, RM_OPT | RM_NULL)                           \
	X(STATS_MAX, STATS, "max_ns", NUM, NONE, 0)                                                \
                                                                                                   \
	X(HIST_LO, HIST_BUCKET, "lo_ns", INT, NONE, 0)                                             \
	X(HIST_HI, HIST_BUCKET, "hi_ns", INT, NONE, 0)                                             \
	X(HIST_COUNT, HIST_BUCKET, "count", INT, NONE, 0)                                          \
	X(LOST_RUN, LOST_ITERATION, "run", INT, NONE, 0)                                           \
	X(LOST_ITERATION, LOST_ITERATION, "iteration", INT, NONE, 0)                               \
	X(LOST_WARMUP, LOST_ITERATION, "warmup", BOOL, NONE, RM_OPT)                               \
	X(HOP_FROM, HOP, "from", INT, NONE, 0)                                                     \
	X(HOP_TO, HOP, "to", INT, NONE, 0)                                                         \
	X(HOP_WIRE_P50, HOP, "wire_p50_ns", NUM, NONE, RM_NULL)                                    \
	X(HOP_WIRE_P99, HOP, "wire_p99_ns", NUM, NONE, RM_NULL)                                    \
	X(HOP_RESIDENCE_P50, HOP, "residence_p50_ns", NUM, NONE, RM_OPT | RM_NULL)                 \
	X(HOP_RESIDENCE_P99, HOP, "residence_p99_ns", NUM, NONE, RM_OPT | RM_NULL)                 \
	X(LC_SOURCE, LIFECYCLE, "source", STR, NONE, 0)                                            \
	X(LC_ITERATIONS, LIFECYCLE, "iterations", INT, NONE, 0)                                    \
	X(LC_SPLIT, LIFECYCLE, "split", INT, NONE, 0)                                              \
	X(LC_MISMATCHED, LIFECYCLE, "mismatched", INT, NONE, 0)                                    \
	X(LC_NO_STAMP, LIFECYCLE, "no_stamp", INT, NONE, 0)                                        \
	X(LC_HOPS, LIFECYCLE, "hops", ARR, LC_HOP, 0)                                              \
	X(LC_SPIKES_FOUND, LIFECYCLE, "spikes_found", INT, NONE, 0)                                \
	X(LC_SPIKES, LIFECYCLE, "spikes", ARR, LC_SPIKE, 0)                                        \
	X(LC_GREW_MOST, LIFECYCLE, "grew_most", ARR, LC_GREW, 0)                                   \
	X(LCHOP_HOP, LC_HOP, "hop", INT, NONE, 0)                                                  \
	X(LCHOP_FROM, LC_HOP, "from", INT, NONE, 0)                                                \
	X(LCHOP_TO, LC_HOP, "to", INT, NONE, 0)                                                    \
	X(LCHOP_SAMPLES, LC_HOP, "samples", INT, NONE, 0)                                          \
	X(LCHOP_TOTAL, LC_HOP, "hop_time", OBJ, LC_QUANT, 0)                                       \
	X(LCHOP_ISSUE, LC_HOP, "issue", OBJ, LC_QUANT, 0)                                          \
	X(LCHOP_IN_FLIGHT, LC_HOP, "in_flight", OBJ, LC_QUANT, 0)                                  \
	X(LCHOP_READY, LC_HOP, "ready_not_consumed", OBJ, LC_QUANT, 0)                             \
	X(LCHOP_REAP, LC_HOP, "reap", OBJ, LC_QUANT, 0)                                            \
	X(LCHOP_READY_CPUS, LC_HOP, "ready_cpus", ARR, LC_CPU, 0)                                  \
	X(LCQ_P50, LC_QUANT, "p50_ns", NUM, NONE, RM_NULL)                                         \
	X(LCQ_P50_CI, LC_QUANT, "p50_ci_ns", ARR, NONE, 0)                                         \
	X(LCQ_P99, LC_QUANT, "p99_ns", NUM, NONE, RM_NULL)                                         \
	X(LCQ_P99_CI, LC_QUANT, "p99_ci_ns", ARR, NONE, 0)                                         \
	X(LCCPU_CPU, LC_CPU, "cpu", INT, NONE, 0)                                                  \
	X(LCCPU_COUNT, LC_CPU, "count", INT, NONE, 0)                                              \
	X(LCSPIKE_RUN, LC_SPIKE, "run", INT, NONE, 0)                                              \
	X(LCSPIKE_ITERATION, LC_SPIKE, "iteration", INT, NONE, 0)                                  \
	X(LCSPIKE_LATENCY, LC_SPIKE, "latency_ns", INT, NONE, 0)                                   \
	X(LCSPIKE_EXCESS, LC_SPIKE, "excess_ns", INT, NONE, 0)                                     \
	X(LCSPIKE_HOP, LC_SPIKE, "hop", INT, NONE, 0)                                              \
	X(LCSPIKE_PART, LC_SPIKE, "part", STR, NONE, 0)                                            \
	X(LCSPIKE_GROWTH, LC_SPIKE, "growth_ns", INT, NONE, 0)                                     \
	X(LCSPIKE_HOPS_GROWTH, LC_SPIKE, "hops_growth_ns", INT, NONE, 0)                           \
	X(LCGREW_HOP, LC_GREW, "hop", INT, NONE, 0)                                                \
	X(LCGREW_PART, LC_GREW, "part", STR, NONE, 0)                                              \
	X(LCGREW_SPIKES, LC_GREW, "spikes", INT, NONE, 0)                                          \
                                                                                                   \
	X(DETECTION_GOOD_SAMPLES, DETECTION, "good_samples", INT, NONE, 0)                         \
	X(DETECTION_MEDIAN, DETECTION, "median_ns", NUM, NONE, 0)                                  \
	X(DETECTION_MAD, DETECTION, "mad_ns", NUM, NONE, 0)                                        \
	X(DETECTION_THRESHOLD, DETECTION, "threshold_ns", NUM, NONE, 0)                            \
	X(DETECTION_K, DETECTION, "k", NUM, NONE, 0)                                               \
	X(DETECTION_MIN_RATIO, DETECTION, "min_ratio", NUM, NONE, 0)                               \
	X(DETECTION_MIN_EXCESS, DETECTION, "min_excess_ns", NUM, NONE, 0)                          \
	X(CAUSE_TOTAL_SPIKES, CAUSE_TOTAL, "spikes", INT, NONE, 0)                                 \
	X(CAUSE_TOTAL_EXCESS, CAUSE_TOTAL, "excess_ns", INT, NONE, 0)                              \
                                                                                                   \
	X(SPIKE_RUN, SPIKE, "run", INT, NONE, 0)                                                   \
	X(SPIKE_ITERATION, SPIKE, "iteration", INT, NONE, 0)                                       \
	X(SPIKE_CPU, SPIKE, "cpu", INT, NONE, 0)                                                   \
	X(SPIKE_START, SPIKE, "start_ns", INT, NONE, 0)                                            \
	X(SPIKE_LATENCY, SPIKE, "latency_ns", INT, NONE, 0)                                        \
	X(SPIKE_BASELINE, SPIKE, "baseline_ns", INT, NONE, 0)                                      \
	X(SPIKE_EXCESS, SPIKE, "excess_ns", INT, NONE, 0)                                          \
	X(SPIKE_WINDOW_START, SPIKE, "window_start_ns", INT, NONE, 0)                              \
	X(SPIKE_WINDOW_END, SPIKE, "window_end_ns", INT, NONE, 0)                                  \
	X(SPIKE_WINDOW_ERROR, SPIKE, "window_error_ns", INT, NONE, 0)                              \
	X(SPIKE_DOMINANT, SPIKE, "dominant", STR, NONE, 0)                                         \
	X(SPIKE_CAUSES, SPIKE, "causes", OBJ, CAUSES, 0)                                           \
	X(SPIKE_HYPERVISOR, SPIKE, "hypervisor", OBJ, SPIKE_HOST_TIME, 0)                          \
	X(SPIKE_EVENTS_IN_WINDOW, SPIKE, "events_in_window", INT, NONE, 0)                         \
	X(SPIKE_EVENTS, SPIKE, "events", ARR, KEY_EVENT, 0)                                        \
	X(EVENT_TYPE, KEY_EVENT, "type", STR, NONE, 0)                                             \
	X(EVENT_WHAT, KEY_EVENT, "what", STR, NONE, 0)                                             \
	X(EVENT_CPU, KEY_EVENT, "cpu", INT, NONE, 0)                                               \
	X(EVENT_TID, KEY_EVENT, "tid", INT, NONE, 0)                                               \
	X(EVENT_COMM, KEY_EVENT, "comm", STR, NONE, RM_OPT)                                        \
	X(EVENT_NEXT_TID, KEY_EVENT, "next_tid", INT, NONE, RM_OPT)                                \
	X(EVENT_NEXT_COMM, KEY_EVENT, "next_comm", STR, NONE, RM_OPT)                              \
	X(EVENT_RAN_TID, KEY_EVENT, "ran_tid", INT, NONE, RM_OPT)                                  \
	X(EVENT_RAN_COMM, KEY_EVENT, "ran_comm", STR, NONE, RM_OPT)                                \
	X(EVENT_RAN_NS, KEY_EVENT, "ran_ns", INT, NONE, RM_OPT)                                    \
	X(EVENT_RAN_THREADS, KEY_EVENT, "ran_threads", INT, NONE, RM_OPT)                          \
	X(EVENT_START, KEY_EVENT, "start_ns", INT, NONE, 0)                                        \
	X(EVENT_DUR, KEY_EVENT, "dur_ns", INT, NONE, 0)                                            \
	X(EVENT_OWN, KEY_EVENT, "own_ns", INT, NONE, 0)                                            \
	X(EVENT_CAUSE, KEY_EVENT, "cause", STR, NONE, 0)                                           \
	X(HV_ABSENT, HOST_TIME, "vcpu_absent_ns", INT, NONE, 0)                                    \
	X(HV_DELIVERY, HOST_TIME, "irq_delivery_ns", INT, NONE, 0)                                 \
	X(HV_DELIVERY_ROUTINE, HOST_TIME, "irq_delivery_routine_ns", INT, NONE, 0)                 \
	X(HV_EXITS, HOST_TIME, "exits_ns", INT, NONE, 0)                                           \
	X(HV_STEAL, HOST_TIME, "steal_ns", INT, NONE, 0)                                           \
	X(SPIKE_HV_EXIT_PROXIES, SPIKE_HOST_TIME, "exit_proxies", NUM, NONE, 0)                    \
	X(EVIDENCE_HYPERVISOR, EVIDENCE, "hypervisor", BOOL, NONE, 0)                              \
	X(EVIDENCE_IPI_NORMAL, EVIDENCE, "ipi_delivery_normal_ns", INT, NONE, 0)                   \
	X(EVIDENCE_IPI_P50, EVIDENCE, "ipi_delivery_p50_ns", INT, NONE, 0)                         \
	X(EVIDENCE_IPIS, EVIDENCE, "ipis_seen_sent", INT, NONE, 0)                                 \
	X(EVIDENCE_IPIS_REFUSED, EVIDENCE, "ipi_pairings_refused", INT, NONE, 0)                   \
	X(EVIDENCE_TIMER_NORMAL, EVIDENCE, "timer_lateness_normal_ns", INT, NONE, 0)               \
	X(EVIDENCE_TIMER_P50, EVIDENCE, "timer_lateness_p50_ns", INT, NONE, 0)                     \
	X(EVIDENCE_TIMERS, EVIDENCE, "timer_interrupts_with_expiry", INT, NONE, 0)                 \
	X(EVIDENCE_SILENCES, EVIDENCE, "vcpu_silences", INT, NONE, 0)                              \
	X(EVIDENCE_SILENT, EVIDENCE, "vcpu_silent_ns", INT, NONE, 0)                               \
	X(EVIDENCE_STEAL, EVIDENCE, "steal_ns", INT, NONE, 0)                                      \
	X(EVIDENCE_EXIT_PROXIES, EVIDENCE, "exit_proxies", INT, NONE, 0)                           \
	X(EVIDENCE_EXIT_COST, EVIDENCE, "exit_cost_ns", INT, NONE, RM_NULL)                        \
	X(EVIDENCE_DELIVERIES_PER_ITERATION, EVIDENCE, "deliveries_per_iteration", NUM, NONE, 0)   \
	X(EVIDENCE_DELIVERY_NS_PER_ITERATION, EVIDENCE, "delivery_ns_per_iteration", NUM, NONE, 0) \
	X(EVIDENCE_TRACER_ONCPU, EVIDENCE, "tracer_oncpu_ns", INT, NONE, 0)                        \
	X(EVIDENCE_TRACER_WAKEUPS, EVIDENCE, "tracer_wakeups", INT, NONE, 0)                       \
	X(EVIDENCE_TRACER_WAKEUP_NS, EVIDENCE, "tracer_wakeup_ns", INT, NONE, 0)                   \
	X(EVIDENCE_TRACER_WAKEUP_WINDOWS, EVIDENCE, "tracer_wakeup_windows", INT, NONE, 0)         \
	X(EVIDENCE_EVENTLESS, EVIDENCE, "eventless_spikes", INT, NONE, 0)                          \
	X(EVIDENCE_EVENTLESS_NS, EVIDENCE, "eventless_unexplained_ns", INT, NONE, 0)               \
	X(EVIDENCE_EVENTLESS_PERIOD, EVIDENCE, "eventless_period_ns", NUM, NONE, RM_NULL)          \
	X(EVIDENCE_EVENTLESS_ON_GRID, EVIDENCE, "eventless_gaps_on_grid", INT, NONE, 0)            \
	X(EVIDENCE_EVENTLESS_GAPS, EVIDENCE, "eventless_gaps", INT, NONE, 0)                       \
	X(MEANING_HYPERVISOR, CAUSE_MEANING, "hypervisor", STR, NONE, 0)                           \
	X(MEANING_UNEXPLAINED, CAUSE_MEANING, "unexplained", STR, NONE, 0)                         \
                                                                                                   \
	X(PATTERNS_SPIKES, PATTERNS, "spikes", INT, NONE, 0)                                       \
	X(PATTERNS_PERIODIC, PATTERNS, "periodic", ARR, LINE, 0)                                   \
	X(PATTERNS_DRIFT, PATTERNS, "drift", ARR, DRIFT, 0)                                        \
	X(PATTERNS_MODES, PATTERNS, "modes", ARR, MODE, 0)                                         \
	X(LINE_PERIOD, LINE, "period", NUM, NONE, RM_NULL)                                         \
	X(LINE_PHASE, LINE, "phase", NUM, NONE, RM_NULL)                                           \
	X(LINE_PHASES, LINE, "phases", ARR, NONE, 0)                                               \
	X(LINE_SAME_PHASE, LINE, "same_phase", BOOL, NONE, 0)                                      \
	X(LINE_MAGNITUDE, LINE, "magnitude", NUM, NONE, RM_NULL)                                   \
	X(LINE_SHARE, LINE, "share", NUM, NONE, RM_NULL)                                           \
	X(LINE_SUPPORT, LINE, "support", INT, NONE, 0)                                             \
	X(LINE_HIT_RATE, LINE, "hit_rate", NUM, NONE, RM_NULL)                                     \
	X(DRIFT_SLOPE, DRIFT, "slope_iterations_per_run", NUM, NONE, RM_NULL)                      \
	X(DRIFT_INTERCEPT, DRIFT, "intercept", NUM, NONE, RM_NULL)                                 \
	X(DRIFT_SUPPORT, DRIFT, "support", INT, NONE, 0)                                           \
	X(DRIFT_RUNS, DRIFT, "runs", INT, NONE, 0)                                                 \
	X(DRIFT_MAGNITUDE, DRIFT, "magnitude", NUM, NONE, RM_NULL)                                 \
	X(MODE_LOCATION, MODE, "location_ns", NUM, NONE, RM_NULL)                                  \
	X(MODE_WEIGHT, MODE, "weight", NUM, NONE, RM_NULL)                                         \
	X(CONFIDENCE_SAMPLES, CONFIDENCE, "samples", INT, NONE, 0)                                 \
	X(CONFIDENCE_P50, CONFIDENCE, "p50_ns", ARR, NONE, 0)                                      \
	X(CONFIDENCE_P90, CONFIDENCE, "p90_ns", ARR, NONE, 0)                                      \
	X(CONFIDENCE_P99, CONFIDENCE, "p99_ns", ARR, NONE, 0)                                      \
	X(CONFIDENCE_P999, CONFIDENCE, "p999_ns", ARR, NONE, 0)                                    \
	X(CONFIDENCE_LAG1, CONFIDENCE, "lag1_autocorrelation", NUM, NONE, RM_NULL)                 \
	X(CONFIDENCE_AUTOCORRELATED, CONFIDENCE, "strongly_autocorrelated", BOOL, NONE, 0)         \
                                                                                                   \
	X(COMPARE_A, COMPARE, "a", OBJ, COMPARE_FILE, 0)                                           \
	X(COMPARE_B, COMPARE, "b", OBJ, COMPARE_FILE, 0)                                           \
	X(COMPARE_THRESHOLDS, COMPARE, "thresholds", OBJ, THRESHOLDS, 0)                           \
	X(COMPARE_PROBES, COMPARE, "probes", ARR, COMPARE_PROBE, 0)                                \
	X(COMPARE_ONLY_IN_A, COMPARE, "only_in_a", ARR, PROBE_REF, 0)                              \
	X(COMPARE_ONLY_IN_B, COMPARE, "only_in_b", ARR, PROBE_REF, 0)                              \
	X(FILE_PATH, COMPARE_FILE, "path", STR, NONE, 0)                                           \
	X(FILE_PLATFORM, COMPARE_FILE, "platform", OBJ, PLATFORM, RM_NULL)                         \
	X(FILE_COMPLETE, COMPARE_FILE, "complete", BOOL, NONE, 0)                                  \
	X(THRESHOLD_ALPHA, THRESHOLDS, "alpha", NUM, NONE, RM_NULL)                                \
	X(THRESHOLD_MIN_KS_D, THRESHOLDS, "min_ks_d", NUM, NONE, RM_NULL)                          \
	X(THRESHOLD_MIN_W_REL, THRESHOLDS, "min_wasserstein_rel", NUM, NONE, RM_NULL)              \
	X(THRESHOLD_W_TRIM, THRESHOLDS, "wasserstein_trim", NUM, NONE, RM_NULL)                    \
	X(THRESHOLD_RESOLUTION, THRESHOLDS, "resolution_ns", NUM, NONE, RM_NULL)                   \
	X(THRESHOLD_MIN_EFFECT_REL, THRESHOLDS, "min_effect_rel", NUM, NONE, RM_NULL)              \
	X(THRESHOLD_MIN_RUNS, THRESHOLDS, "min_runs", INT, NONE, 0)                                \
	X(REF_NAME, PROBE_REF, "probe", STR, NONE, 0)                                              \
	X(REF_ID, PROBE_REF, "probe_id", INT, NONE, 0)                                             \
	X(REF_CONFIG, PROBE_REF, "config", OBJ, CONFIG, 0)                                         \
	X(CMP_NAME, COMPARE_PROBE, "probe", STR, NONE, 0)                                          \
	X(CMP_CONFIG, COMPARE_PROBE, "config", OBJ, CONFIG, 0)                                     \
	X(CMP_A, COMPARE_PROBE, "a", OBJ, COMPARE_SIDE, RM_OPT)                                    \
	X(CMP_B, COMPARE_PROBE, "b", OBJ, COMPARE_SIDE, RM_OPT)                                    \
	X(CMP_RATIO, COMPARE_PROBE, "ratio", OBJ, RATIO, RM_OPT)                                   \
	X(CMP_VERDICT, COMPARE_PROBE, "verdict", STR, NONE, RM_NULL)                               \
	X(CMP_TESTS, COMPARE_PROBE, "tests", OBJ, TESTS, RM_OPT)                                   \
	X(CMP_SHIFT, COMPARE_PROBE, "shift_ns", NUM, NONE, RM_OPT | RM_NULL)                       \
	X(CMP_SCALE, COMPARE_PROBE, "scale", NUM, NONE, RM_OPT | RM_NULL)                          \
	X(CMP_MIN_WASSERSTEIN, COMPARE_PROBE, "min_wasserstein_ns", NUM, NONE, RM_OPT | RM_NULL)   \
	X(CMP_RULE, COMPARE_PROBE, "rule", STR, NONE, RM_OPT)                                      \
	X(CMP_RUN_LEVEL, COMPARE_PROBE, "run_level", OBJ, RUN_LEVEL, RM_OPT)                       \
	X(CMP_SPIKE_RATE, COMPARE_PROBE, "spike_rate", OBJ, SPIKE_RATE, 0)                         \
	X(CMP_ATTRIBUTION, COMPARE_PROBE, "attribution", OBJ, COMPARE_ATTRIBUTION, 0)              \
	X(CMP_MECHANISMS, COMPARE_PROBE, "mechanisms", OBJ, CMP_MECH, RM_OPT)                      \
	X(CMP_MECH_NA, CMP_MECH, "traced_samples_a", INT, NONE, 0)                                 \
	X(CMP_MECH_NB, CMP_MECH, "traced_samples_b", INT, NONE, 0)                                 \
	X(CMP_MECH_RESAMPLED, CMP_MECH, "resampled", STR, NONE, 0)                                 \
	X(CMP_MECH_P50, CMP_MECH, "p50", OBJ, CMP_MECH_Q, 0)                                       \
	X(CMP_MECH_P99, CMP_MECH, "p99", OBJ, CMP_MECH_Q, 0)                                       \
	X(CMP_MECH_TOTAL, CMP_MECH_Q, "total", OBJ, CMP_MECH_PART, 0)                              \
	X(CMP_MECH_PARTS_OF, CMP_MECH_Q, "parts", OBJ, CMP_MECH_PARTS, 0)                          \
	X(CMP_MECH_UNEXPLAINED, CMP_MECH_Q, "unexplained", OBJ, CMP_MECH_PART, 0)                  \
	X(CMP_MECH_NS, CMP_MECH_PART, "ns", NUM, NONE, RM_NULL)                                    \
	X(CMP_MECH_LO, CMP_MECH_PART, "lo_ns", NUM, NONE, RM_NULL)                                 \
	X(CMP_MECH_HI, CMP_MECH_PART, "hi_ns", NUM, NONE, RM_NULL)                                 \
	X(CMP_PATTERNS, COMPARE_PROBE, "patterns", OBJ, COMPARE_PATTERNS, 0)                       \
	X(CMP_PROJECTION, COMPARE_PROBE, "projection_test", OBJ, CMP_PROJ, RM_OPT | RM_NULL)       \
	X(CPJ_BASELINE_FROM, CMP_PROJ, "baseline_from", STR, NONE, 0)                              \
	X(CPJ_B_RUNS_USED, CMP_PROJ, "b_runs_used", STR, NONE, 0)                                  \
	X(CPJ_PROJECTION, CMP_PROJ, "projection", OBJ, PROJECTION, 0)                              \
	X(CPJ_VERDICT, CMP_PROJ, "verdict", STR, NONE, RM_NULL)                                    \
	X(CPJ_CLUSTERS, CMP_PROJ, "clusters", STR, NONE, 0)                                        \
	X(CPJ_CLUSTERS_B, CMP_PROJ, "clusters_b", INT, NONE, 0)                                    \
	X(CPJ_CLUSTERS_P, CMP_PROJ, "clusters_projection", INT, NONE, 0)                           \
	X(CPJ_QUANTILES, CMP_PROJ, "quantiles", ARR, CMP_PROJ_Q, 0)                                \
	X(CPQ_Q, CMP_PROJ_Q, "q", NUM, NONE, 0)                                                    \
	X(CPQ_B, CMP_PROJ_Q, "b_ns", NUM, NONE, RM_NULL)                                           \
	X(CPQ_EFFECT, CMP_PROJ_Q, "effect_ns", NUM, NONE, RM_NULL)                                 \
	X(CPQ_LOW, CMP_PROJ_Q, "low_ns", NUM, NONE, RM_NULL)                                       \
	X(CPQ_HIGH, CMP_PROJ_Q, "high_ns", NUM, NONE, RM_NULL)                                     \
	X(CPQ_MARGIN, CMP_PROJ_Q, "margin_ns", NUM, NONE, RM_NULL)                                 \
	X(CPQ_MATCHES, CMP_PROJ_Q, "matches", BOOL, NONE, RM_NULL)                                 \
	X(CPQ_BY_MECH, CMP_PROJ_Q, "by_mechanism", OBJ, CMP_MECH_Q, RM_OPT)                        \
	X(CPQ_MISSING, CMP_PROJ_Q, "missing", STR, NONE, RM_OPT | RM_NULL)                         \
	X(CPQ_MISSING_HOST, CMP_PROJ_Q, "missing_is_host_time", BOOL, NONE, RM_OPT)                \
	X(SIDE_ID, COMPARE_SIDE, "probe_id", INT, NONE, 0)                                         \
	X(SIDE_SAMPLES, COMPARE_SIDE, "samples", INT, NONE, 0)                                     \
	X(SIDE_RUNS_USED, COMPARE_SIDE, "runs_used", STR, NONE, 0)                                 \
	X(RATIO_MEAN, RATIO, "mean", NUM, NONE, RM_NULL)                                           \
	X(RATIO_STDDEV, RATIO, "stddev", NUM, NONE, RM_NULL)                                       \
	X(RATIO_MIN, RATIO, "min", NUM, NONE, RM_NULL)                                             \
	X(RATIO_P50, RATIO, "p50", NUM, NONE, RM_NULL)                                             \
	X(RATIO_P90, RATIO, "p90", NUM, NONE, RM_NULL)                                             \
	X(RATIO_P99, RATIO, "p99", NUM, NONE, RM_NULL)                                             \
	X(RATIO_P999, RATIO, "p999", NUM, NONE, RM_NULL)                                           \
	X(RATIO_MAX, RATIO, "max", NUM, NONE, RM_NULL)                                             \
	X(TESTS_RAW, TESTS, "raw", OBJ, TEST, 0)                                                   \
	X(TESTS_ALIGNED, TESTS, "aligned", OBJ, TEST, 0)                                           \
	X(TESTS_NORMALIZED, TESTS, "normalized", OBJ, TEST, 0)                                     \
	X(TEST_KS_D, TEST, "ks_d", NUM, NONE, RM_NULL)                                             \
	X(TEST_KS_P, TEST, "ks_p", NUM, NONE, RM_NULL)                                             \
	X(TEST_W, TEST, "wasserstein_ns", NUM, NONE, RM_NULL)                                      \
	X(TEST_W_TRIMMED, TEST, "wasserstein_trimmed_ns", NUM, NONE, RM_NULL)                      \
	X(TEST_DIFFERS, TEST, "differs", BOOL, NONE, 0)                                            \
	X(RATE_A, SPIKE_RATE, "a", OBJ, RATE_SIDE, 0)                                              \
	X(RATE_B, SPIKE_RATE, "b", OBJ, RATE_SIDE, 0)                                              \
	X(RATE_RATIO, SPIKE_RATE, "ratio", NUM, NONE, RM_NULL)                                     \
	X(RATE_SPIKES, RATE_SIDE, "spikes", INT, NONE, 0)                                          \
	X(RATE_PER_1000, RATE_SIDE, "per_1000", NUM, NONE, RM_NULL)                                \
	X(CMP_ATTR_A, COMPARE_ATTRIBUTION, "a", OBJ, ATTRIBUTION, RM_NULL)                         \
	X(CMP_ATTR_B, COMPARE_ATTRIBUTION, "b", OBJ, ATTRIBUTION, RM_NULL)                         \
	X(CMP_ATTR_TRACED_A, COMPARE_ATTRIBUTION, "traced_a", BOOL, NONE, 0)                       \
	X(CMP_ATTR_TRACED_B, COMPARE_ATTRIBUTION, "traced_b", BOOL, NONE, 0)                       \
	X(CMP_PATTERNS_A, COMPARE_PATTERNS, "a", OBJ, PATTERNS, RM_NULL)                           \
	X(CMP_PATTERNS_B, COMPARE_PATTERNS, "b", OBJ, PATTERNS, RM_NULL)                           \
	X(RUNLEVEL_CLUSTERS, RUN_LEVEL, "clusters", STR, NONE, 0)                                  \
	X(RUNLEVEL_CONFIDENCE, RUN_LEVEL, "confidence", NUM, NONE, 0)                              \
	X(RUNLEVEL_A, RUN_LEVEL, "a", OBJ, RUN_SIDE, 0)                                            \
	X(RUNLEVEL_B, RUN_LEVEL, "b", OBJ, RUN_SIDE, 0)                                            \
	X(RUNLEVEL_EFFECTS, RUN_LEVEL, "effects", OBJ, EFFECTS, RM_NULL)                           \
	X(RUNSIDE_RUNS, RUN_SIDE, "runs", INT, NONE, 0)                                            \
	X(RUNSIDE_CLUSTERS, RUN_SIDE, "clusters", INT, NONE, 0)                                    \
	X(EFFECTS_P50, EFFECTS, "p50_ns", OBJ, EFFECT, 0)                                          \
	X(EFFECTS_P90, EFFECTS, "p90_ns", OBJ, EFFECT, 0)                                          \
	X(EFFECTS_P99, EFFECTS, "p99_ns", OBJ, EFFECT, 0)                                          \
	X(EFFECTS_P999, EFFECTS, "p999_ns", OBJ, EFFECT, 0)                                        \
	X(EFFECTS_TAIL90, EFFECTS, "tail90_ns", OBJ, EFFECT, 0)                                    \
	X(EFFECTS_TAIL99, EFFECTS, "tail99_ns", OBJ, EFFECT, 0)                                    \
	X(EFFECTS_TAIL999, EFFECTS, "tail999_ns", OBJ, EFFECT, 0)                                  \
	X(EFFECTS_TAIL90_RATIO, EFFECTS, "tail90_ratio", OBJ, EFFECT, 0)                           \
	X(EFFECTS_TAIL99_RATIO, EFFECTS, "tail99_ratio", OBJ, EFFECT, 0)                           \
	X(EFFECTS_TAIL999_RATIO, EFFECTS, "tail999_ratio", OBJ, EFFECT, 0)                         \
	X(EFFECT_A, EFFECT, "a", NUM, NONE, RM_NULL)                                               \
	X(EFFECT_EFFECT, EFFECT, "effect", NUM, NONE, RM_NULL)                                     \
	X(EFFECT_LOW, EFFECT, "low", NUM, NONE, RM_NULL)                                           \
	X(EFFECT_HIGH, EFFECT, "high", NUM, NONE, RM_NULL)                                         \
	X(EFFECT_MARGIN, EFFECT, "margin", NUM, NONE, RM_NULL)                                     \
	X(EFFECT_DF, EFFECT, "df", INT, NONE, 0)                                                   \
	X(EFFECT_DIFFERS, EFFECT, "differs", BOOL, NONE, 0)                                        \
                                                                                                   \
	X(PROBE_PROJECTION, PROBE, "projection", OBJ, PROJECTION, RM_OPT)                          \
	X(PROJ_SAMPLES, PROJECTION, "samples", INT, NONE, 0)                                       \
	X(PROJ_RUNS, PROJECTION, "runs", INT, NONE, 0)                                             \
	X(PROJ_SPIKES, PROJECTION, "spikes", INT, NONE, 0)                                         \
	X(PROJ_REMOVED, PROJECTION, "removed_ns", INT, NONE, 0)                                    \
	X(PROJ_REMOVED_PARTS, PROJECTION, "removed", OBJ, HOST_TIME, 0)                            \
	X(PROJ_PATH_WAITS, PROJECTION, "path_waits", INT, NONE, 0)                                 \
	X(PROJ_PATH_ITERATIONS, PROJECTION, "path_iterations", INT, NONE, 0)                       \
	X(PROJ_PATH_ABSENT, PROJECTION, "path_vcpu_absent_ns", INT, NONE, 0)                       \
	X(PROJ_PATH_DELIVERY, PROJECTION, "path_irq_delivery_ns", INT, NONE, 0)                    \
	X(PROJ_BASELINE, PROJECTION, "baseline", OBJ, PROJ_BASELINE, RM_NULL)                      \
	X(PB_EXIT, PROJ_BASELINE, "exit_cost_ns", INT, NONE, RM_NULL)                              \
	X(PB_IPI, PROJ_BASELINE, "ipi_normal_ns", INT, NONE, RM_NULL)                              \
	X(PROJ_EXIT_SHARE, PROJECTION, "exit_share", NUM, NONE, 0)                                 \
	X(PROJ_ROUTINE_SHARE, PROJECTION, "delivery_routine_share", NUM, NONE, 0)                  \
	X(PROJ_QUANTILES, PROJECTION, "quantiles", ARR, PROJ_QUANTILE, 0)                          \
	X(PQ_Q, PROJ_QUANTILE, "q", NUM, NONE, 0)                                                  \
	X(PQ_GUEST, PROJ_QUANTILE, "guest_ns", NUM, NONE, RM_NULL)                                 \
	X(PQ_GUEST_CI, PROJ_QUANTILE, "guest_ci_ns", ARR, NONE, 0)                                 \
	X(PQ_PROJ, PROJ_QUANTILE, "projected_ns", NUM, NONE, RM_NULL)                              \
	X(PQ_PROJ_CI, PROJ_QUANTILE, "projected_ci_ns", ARR, NONE, 0)                              \
                                                                                                   \
	X(SESSION_PID, SESSION_CHUNK, "pid", INT, NONE, 0)                                         \
	X(BEGIN_TIMED_TID, PROBE_CHUNK, "timed_tid", INT, NONE, RM_OPT)                            \
	X(END_LOST, PROBE_END_CHUNK, "lost", INT, NONE, RM_OPT)                                    \
	X(END_BAD_MESSAGES, PROBE_END_CHUNK, "bad_messages", INT, NONE, RM_OPT)                    \
	X(END_LATE, PROBE_END_CHUNK, "late", INT, NONE, RM_OPT)                                    \
	X(END_RESTARTS, PROBE_END_CHUNK, "restarts", INT, NONE, RM_OPT)                            \
	X(END_LOST_ITERATIONS, PROBE_END_CHUNK, "lost_iterations", ARR, LOST_ITERATION, RM_OPT)    \
	X(END_HOPS, PROBE_END_CHUNK, "hops", ARR, HOP, RM_OPT)                                     \
	X(END_ERROR, PROBE_END_CHUNK, "error", ANY, NONE, RM_OPT)                                  \
	X(SESSION_END_STATUS, END_CHUNK, "status", ANY, NONE, 0)                                   \
	X(SESSION_END_ERROR, END_CHUNK, "error", ANY, NONE, RM_OPT)                                \
	X(TRACER_WAKER_CPU, TRACER_CHUNK, "waker_cpu", BOOL, NONE, RM_OPT)                         \
	X(TRACER_LOST_EVENTS, TRACER_CHUNK, "lost_events", INT, NONE, 0)

#define RM_KIND_ENUM(id, ...) RMK_##id,
/* rm_kind - the objects of RM_KINDS; RMK_NONE: no object (a scalar, an array of scalars). */
enum rm_kind { RMK_NONE = -1, RM_KINDS(RM_KIND_ENUM) RMK_NKINDS };
#undef RM_KIND_ENUM

#define RM_KEY_ENUM(id, ...) RK_##id,
/* rm_key - the keys of RM_KEYS. */
enum rm_key { RM_KEYS(RM_KEY_ENUM) RK_NKEYS };
#undef RM_KEY_ENUM

#endif
