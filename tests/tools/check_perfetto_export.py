#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_perfetto_export - the structure of a `ringscope export --format perfetto` file.

What Perfetto's importer needs to draw what the export means, checked without Perfetto:
- every flow id has one "s" and one "f", with the same name and category (the importer keys a
  v1 flow by id, category and name), the "f" with "bp":"e";
- each "s" lies within a spike slice on its own track;
- each "f" is at the exact (pid, tid, ts) where a slice or instant starts, and binds to it
  when the events are taken as Perfetto's importer takes them (below);
- every thread and process that has slices or instants has a name;
- the counts are those of the export's own stats line (`export -v`).
Usage: check_perfetto_export.py EXPORT.json[.gz] STATS_FILE
Exit 0 when all hold; 1 naming each failure; 2 bad usage.
"""
import collections
import gzip
import json
import re
import sys

STATS = re.compile(r"exported (\d+) iterations \((\d+) spikes\), (\d+) kernel events \((\d+) "
                   r"slices, (\d+) instants, (\d+) thread names\), (\d+) slices of what ran on "
                   r"the CPUs, (\d+) flows")
CPU_PID = 9000000       # EXPORT_PF_CPU_PID: the CPU tracks
PROBE_PID = 10000000    # EXPORT_PF_PROBE_PID: the probes' tracks


def ns(us):
    """A ts or dur in microseconds (three decimals) as integer nanoseconds."""
    return round(us * 1000)


def bindings(events):
    """The slice (cat, start, end) each "s" and "f" binds to, by Perfetto's rules.

    The importer sorts events by time and, at equal times, complete slices first, the longest
    first, then the rest in file order (trace_sorter.h, SlowOperatorLess). A slice or instant
    first closes the slices of its track that ended before it (or at its start, unless both are
    instants), and a slice overlapping the open one partially is dropped (slice_tracker.cc,
    MaybeCloseStack). A flow event binds to the topmost slice open on its track
    (flow_tracker.cc: "s" always, "f" with "bp":"e"), if any.
    """
    tracks = collections.defaultdict(list)
    for i, e in enumerate(events):
        if e["ph"] in ("X", "i", "s", "f"):
            dur = ns(e["dur"]) if e["ph"] == "X" else 0
            tracks[(e["pid"], e["tid"])].append((ns(e["ts"]), -dur, i, e))
    bound = {}
    for items in tracks.values():
        stack = []
        for ts, neg_dur, i, e in sorted(items, key=lambda t: t[:3]):
            if e["ph"] in ("s", "f"):
                bound[i] = stack[-1] if stack else None
                continue
            dur = -neg_dur
            while stack and (stack[-1][2] < ts or stack[-1][2] == ts and
                             not (stack[-1][2] == stack[-1][1] and dur == 0)):
                stack.pop()
            if stack and ts < stack[-1][2] < ts + dur:
                continue  # dropped: it overlaps the open slice partially
            stack.append((e["cat"], ts, ts + dur))
    return bound


def check_flows(events, fail):
    """Each flow: one s in a spike and bound to it, one f bound to the slice starting there."""
    bound = bindings(events)
    spikes = collections.defaultdict(list)
    starts = set()
    ends = collections.defaultdict(list)
    for i, e in enumerate(events):
        e["_index"] = i
        if e["ph"] == "X" and e["cat"] == "spike":
            spikes[(e["pid"], e["tid"])].append((ns(e["ts"]), ns(e["ts"]) + ns(e["dur"])))
        if e["ph"] in ("X", "i"):
            starts.add((e["pid"], e["tid"], ns(e["ts"])))
        if e["ph"] in ("s", "f"):
            ends[e["id"]].append(e)
    for fid, pair in sorted(ends.items()):
        phs = sorted(e["ph"] for e in pair)
        if phs != ["f", "s"]:
            fail(f"flow {fid} has {phs}, not one 's' and one 'f'")
            continue
        s, f = sorted(pair, key=lambda e: e["ph"] != "s")
        if (s["name"], s["cat"]) != (f["name"], f["cat"]):
            fail(f"flow {fid}: 's' is {s['name']}/{s['cat']}, 'f' {f['name']}/{f['cat']}")
        if f.get("bp") != "e":
            fail(f"flow {fid}: 'f' without \"bp\":\"e\" binds to the next slice, not its own")
        at = ns(s["ts"])
        if not any(a <= at <= b for a, b in spikes[(s["pid"], s["tid"])]):
            fail(f"flow {fid}: 's' at {s['ts']} on ({s['pid']}, {s['tid']}) is in no spike")
        if (f["pid"], f["tid"], ns(f["ts"])) not in starts:
            fail(f"flow {fid}: 'f' at {f['ts']} on ({f['pid']}, {f['tid']}) starts no slice")
        elif not bound[f["_index"]] or bound[f["_index"]][1] != ns(f["ts"]):
            fail(f"flow {fid}: 'f' at {f['ts']} binds to {bound[f['_index']]}, not to the "
                 f"slice starting there")
        if not bound[s["_index"]] or bound[s["_index"]][0] != "spike":
            fail(f"flow {fid}: 's' at {s['ts']} binds to {bound[s['_index']]}, not a spike")
    return len(ends)


def check_names(events, fail):
    """Every thread and process with slices or instants is named."""
    threads = {(e["pid"], e["tid"]) for e in events if e["ph"] == "M" and
               e["name"] == "thread_name"}
    procs = {e["pid"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    drawn = {(e["pid"], e["tid"]) for e in events if e["ph"] in ("X", "i")}
    for pid, tid in sorted(drawn - threads):
        fail(f"thread {tid} of process {pid} has events but no thread_name")
    for pid in sorted({p for p, _ in drawn} - procs):
        fail(f"process {pid} has events but no process_name")
    return threads


def check_counts(events, threads, flows, stats, fail):
    """The export's stats line counts what the file holds."""
    m = STATS.search(stats)
    if not m:
        fail(f"no stats line in: {stats.strip()!r}")
        return
    want = dict(zip(("iterations", "spikes", "events", "slices", "instants", "names", "ran",
                     "flows"), map(int, m.groups())))
    cats = collections.Counter(e["cat"] for e in events if e["ph"] == "X")
    kernel_names = sum(1 for pid, _ in threads if pid != CPU_PID and pid < PROBE_PID)
    got = {
        "iterations": cats["iteration"] + cats["spike"],
        "spikes": cats["spike"],
        "slices": sum(n for c, n in cats.items() if c not in ("iteration", "spike", "sched")),
        "instants": sum(1 for e in events if e["ph"] == "i"),
        "ran": cats["sched"],
        "flows": flows,
        "names": kernel_names,
    }
    for key, n in got.items():
        # a thread has one track name; NAME records may name it twice (a rename)
        if n == want[key] or key == "names" and 0 < n <= want[key]:
            continue
        fail(f"{key}: the file holds {n}, the stats line says {want[key]}")
    if want["events"] < want["slices"] + want["instants"]:
        fail(f"the stats line's {want['events']} events hold fewer than its slices + instants")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-3], file=sys.stderr)
        return 2
    opener = gzip.open if sys.argv[1].endswith(".gz") else open
    with opener(sys.argv[1], "rt") as f:
        events = json.load(f)["traceEvents"]
    with open(sys.argv[2]) as f:
        stats = f.read()
    failures = []

    def fail(msg):
        failures.append(msg)
        print(f"FAIL: {msg}")

    flows = check_flows(events, fail)
    threads = check_names(events, fail)
    check_counts(events, threads, flows, stats, fail)
    if not failures:
        print(f"{len(events)} events, {flows} flows: all bound, every track named, the counts "
              f"are the stats line's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
