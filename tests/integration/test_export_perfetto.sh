#!/bin/bash
# SPDX-License-Identifier: MIT
# test_export_perfetto - a small traced ring exported with --format perfetto is a Chrome
# trace-event JSON document whose slices are the samples, the kernel interval events and what
# ran on each CPU (one track per CPU, its slices one after another), its threads named by the
# NAME records, its spikes those analyze finds; --what events writes one CSV row per event the
# file holds.
. "$(dirname "$0")/lib.sh"
need_root

out=$RS_TEST_OUT
trace=$out/ring.rst
# the default observer runs: one of the two runs untraced, whose samples come first in the file
run_traced "$trace" --probe ring --hops 2 --runs 2 --iterations 1000

run_ok "$RINGSCOPE" analyze --json --spikes 3 "$trace"
cp "$out/last.out" "$out/analyze.json"
run_ok "$RINGSCOPE" export "$trace" --format perfetto -o "$out/trace.json" -v
[ ! -e "$out/trace.json.tmp" ] || fail "trace.json.tmp left behind"
# what Perfetto's importer needs: flows bound to a spike and to a real slice's start, every
# track named, the counts the stats line says (tests/tools/check_perfetto_export.py)
cp "$out/last.err" "$out/stats.txt"
python3 "$RS_SOURCE_DIR/tests/tools/check_perfetto_export.py" "$out/trace.json" \
	"$out/stats.txt" >"$out/check.out" || fail "export structure: $(head -n 5 "$out/check.out")"
run_ok "$RINGSCOPE" export "$trace" --format perfetto --no-causes -o "$out/nocauses.json"
run_ok "$RINGSCOPE" export "$trace" --what events -o "$out/events.csv"
run_ok "$RINGSCOPE" export "$trace" --what samples -o "$out/samples.csv"

python3 - "$trace" "$out/analyze.json" "$out/trace.json" "$out/events.csv" \
	"$out/samples.csv" "$out/nocauses.json" <<'PY' || fail "export check failed (files in $out)"
import csv, json, struct, sys
trace, analyze, perfetto, events_csv, samples_csv, nocauses = sys.argv[1:]

# The file's own counts, read without ringscope (docs/trace-format.md): EVENTS records, TRACER.
data = open(trace, "rb").read()
off = struct.unpack_from("<8sII", data, 0)[2]
records, tracer = 0, None
while off + 16 <= len(data):
    ctype, length = struct.unpack_from("<II", data, off)
    if ctype == 17:
        records += struct.unpack_from("<I", data, off + 16)[0]
    if ctype == 6:
        tracer = json.loads(data[off + 16:off + 16 + length])
    off += 16 + length
assert tracer and tracer["events"] == records, (tracer and tracer["events"], records)

rows = list(csv.DictReader(open(events_csv)))
assert len(rows) == records > 0, (len(rows), records)
spans = ("syscall", "offcpu", "irq", "softirq", "ipi")
# an io_uring request's lifecycle spans the syscalls it outlives: an instant at its submission
intervals = sum(1 for r in rows if r["type"] in spans or
                (int(r["dur_ns"]) > 0 and r["type"] != "io_uring_req"))
assert all(r["syscall"] for r in rows if r["type"] == "syscall" and r["arg0"] == "426"), \
    "io_uring_enter unnamed"
# NAME records: a thread's comm in arg0..arg1; the latest of a thread is its name
# (a thread renamed has several: records come per CPU buffer, not in time order, so any)
named, comms = {}, {}
for r in sorted((r for r in rows if r["type"] == "name"), key=lambda r: int(r["start_ns"])):
    comm = struct.pack("<QQ", int(r["arg0"]), int(r["arg1"])).split(b"\0")[0].decode()
    named[int(r["tid"])] = (int(r["tgid"]), comm)
    comms.setdefault(int(r["tid"]), set()).add(comm)
nnames = sum(1 for r in rows if r["type"] == "name")
assert named, "the trace names no thread"

a = json.load(open(analyze))
# every sample is exported (analyze's statistics read the untraced run's only)
samples = sum(1 for _ in open(samples_csv)) - 1
spikes = sum(p["spikes_found"] for p in a["probes"])
assert samples == 2000, samples

doc = json.load(open(perfetto))
assert doc["displayTimeUnit"] == "ns", doc.get("displayTimeUnit")
ev = doc["traceEvents"]
by_ph = {}
for e in ev:
    by_ph.setdefault(e["ph"], []).append(e)
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int) and e["pid"] > 0, e
    if e["ph"] in ("X", "i"):
        assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
    if e["ph"] == "X":
        assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0, e
x, inst, meta = by_ph.get("X", []), by_ph.get("i", []), by_ph.get("M", [])
assert set(by_ph) <= {"X", "i", "M", "s", "f"}, set(by_ph)
# flows, named by the cause their key event counted toward (or the thread that ran instead)
causes = {"buffer-flush", "network", "scheduling", "irq", "page-fault", "io_uring", "tracer",
          "hypervisor", "unexplained", "ran instead"}
assert all(e["name"] in causes for e in by_ph.get("s", [])), by_ph.get("s")
assert len(by_ph.get("s", [])) == len(by_ph.get("f", [])), "flows without both ends"
ran = [e for e in x if e["cat"] == "sched"]
assert len(x) == samples + intervals + len(ran), (len(x), samples, intervals, len(ran))
assert len(inst) == records - intervals - nnames, (len(inst), records, intervals, nnames)

names = {(m["name"], m["pid"], m["tid"]): m["args"]["name"] for m in meta}
for tid, (tgid, comm) in named.items():
    assert names.get(("thread_name", tgid, tid)) in comms[tid], (tid, tgid, comms[tid])

# What ran: a track per CPU, its slices one after another, each named by its thread's comm.
cpus = {int(r[k]) for r in rows if r["type"] == "offcpu" for k in ("cpu", "arg2")}
ran_tracks = {}
for e in ran:
    assert e["pid"] == 9000000 and e["ph"] == "X" and e["dur"] > 0, e
    tid = e["args"]["tid"]
    want = {"idle"} if tid == 0 else ({f"{c} {tid}" for c in comms[tid]} if tid in named
                                      else {f"tid {tid}"})
    assert e["name"] in want, (e, want)
    assert e["args"]["start"] in ("switched in", "first seen"), e
    assert e["args"]["end"] in ("switched out", "next switch", "last seen"), e
    ran_tracks.setdefault(e["tid"], []).append((round(e["ts"] * 1000), round(e["dur"] * 1000)))
# RAN records (an untraced thread on a CPU a traced one had left): each is a what-ran slice
# from its switch in to its switch out, so the track shows who held the CPU, not a gap
by_start = {(e["tid"] - 9002049, e["args"]["tid"], round(e["ts"] * 1000)): e for e in ran}
for r in (r for r in rows if r["type"] == "ran"):
    e = by_start.get((int(r["cpu"]), int(r["tid"]), int(r["start_ns"])))
    assert e and round(e["dur"] * 1000) == int(r["dur_ns"]), ("RAN record not on its CPU", r, e)
    assert (e["args"]["start"], e["args"]["end"]) == ("switched in", "switched out"), e
track_names = {names[("thread_name", 9000000, t)] for t in ran_tracks}
assert track_names >= {f"cpu {c} ran" for c in cpus}, (track_names, cpus)
assert all(n.startswith("cpu ") and n.endswith(" ran") for n in track_names), track_names
for track, slices in ran_tracks.items():
    slices.sort()
    for (s0, d0), (s1, _) in zip(slices, slices[1:]):
        assert s0 + d0 <= s1, ("what ran overlaps", track, s0, d0, s1)
assert any(e["args"].get("tgid") == named[e["args"]["tid"]][0] for e in ran
           if e["args"]["tid"] in named), "no what-ran slice of a named traced thread"
assert names[("process_name", 10000000, 0)] == "probe 0: ring hops=2 io=uring", names
assert names[("thread_name", 10000000, 1)] == "run 0", names
assert names[("thread_name", 10000000, 2)] == "run 1", names
iters = [e for e in x if e["pid"] == 10000000]
assert len(iters) == samples, len(iters)
flagged = [e for e in iters if e["args"].get("spike")]
assert len(flagged) == spikes, (len(flagged), spikes)
for e in flagged:
    args = e["args"]
    assert e["cat"] == "spike" and e["cname"] == "terrible", e
    assert args["excess_ns"] > 0 and args["dominant"], e
    assert sum(args["causes"].values()) == args["excess_ns"], e
top = {(s["run"], s["iteration"]): s for p in a["probes"] for s in p["spikes"]}
# (a quiet traced run may have none: then only the counts above are compared)
by_iteration = {(e["args"]["run"], e["args"]["iteration"]): e for e in flagged}
for key, s in top.items():
    e = by_iteration.get(key)
    assert e, ("analyze's spike is not flagged in the export", key)
    assert (s["dominant"], s["excess_ns"]) == (e["args"]["dominant"], e["args"]["excess_ns"]), \
        (s, e)
# Slices on one track nest or follow each other: Perfetto drops one that overlaps partially.
tracks = {}
for e in x:
    start = round(e["ts"] * 1000)
    tracks.setdefault((e["pid"], e["tid"]), []).append((start, -(start + round(e["dur"] * 1000))))
for key, slices in tracks.items():
    stack = []
    for start, neg_end in sorted(slices):
        while stack and stack[-1] <= start:
            stack.pop()
        assert not stack or -neg_end <= stack[-1], ("overlap", key, start, -neg_end, stack[-1])
        stack.append(-neg_end)

# --no-causes: the same spikes, flagged without an attribution
bare = [e for e in json.load(open(nocauses))["traceEvents"] if e["args"].get("spike")]
assert [(e["ts"], e["args"]["excess_ns"]) for e in bare] == \
    [(e["ts"], e["args"]["excess_ns"]) for e in flagged], "--no-causes flags other spikes"
assert not any("dominant" in e["args"] for e in bare), "--no-causes attributed"
assert not any(e["ph"] in ("s", "f") for e in json.load(open(nocauses))["traceEvents"]), \
    "--no-causes drew flows"
print(f"{samples} samples, {spikes} spikes, {records} events ({intervals} slices), "
      f"{len(ran)} slices of what ran on {len(ran_tracks)} CPUs, {len(named)} threads named, "
      f"{len(by_ph.get('s', []))} flows")
PY

# OUT ending in .gz: gzip of the very same export (ui.perfetto.dev opens .json.gz as it is),
# smaller; a damaged file leaves no .gz behind either
run_ok "$RINGSCOPE" export "$trace" --format perfetto -o "$out/trace.json.gz"
gzip -t "$out/trace.json.gz" || fail "trace.json.gz is not a whole gzip file"
zcat "$out/trace.json.gz" | cmp -s - "$out/trace.json" || fail "the gzipped export differs"
[ "$(stat -c %s "$out/trace.json.gz")" -lt "$(($(stat -c %s "$out/trace.json") / 4))" ] ||
	fail "gzip did not shrink the export 4x"
run_ok "$RINGSCOPE" export "$trace" --what samples -o "$out/samples.csv.gz"
zcat "$out/samples.csv.gz" | cmp -s - "$out/samples.csv" || fail "the gzipped CSV differs"

# Usage errors, and a damaged file leaves no OUT behind.
"$RINGSCOPE" export "$trace" --format perfetto --what events -o "$out/x.json" 2>/dev/null
[ $? -eq 2 ] || fail "--what with perfetto is not a usage error"
"$RINGSCOPE" export "$trace" --what bogus 2>/dev/null
[ $? -eq 2 ] || fail "--what bogus is not a usage error"
"$RINGSCOPE" export "$trace" --no-causes 2>/dev/null
[ $? -eq 2 ] || fail "--no-causes with csv is not a usage error"
cp "$trace" "$out/bad.rst"
size=$(stat -c %s "$out/bad.rst")
printf '\xff\xff\xff\xff' | dd of="$out/bad.rst" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$RINGSCOPE" export "$out/bad.rst" --format perfetto -o "$out/bad.json" 2>"$out/bad.err"
[ $? -eq 1 ] || fail "a damaged file did not fail the export"
[ ! -e "$out/bad.json" ] && [ ! -e "$out/bad.json.tmp" ] || fail "a failed export left a file"
"$RINGSCOPE" export "$out/bad.rst" --format perfetto -o "$out/bad.json.gz" 2>/dev/null
[ $? -eq 1 ] && [ -z "$(ls "$out" | grep 'bad\.json\.gz')" ] || fail "a failed gzip export left a file"
grep -q 'CRC mismatch\|chunk' "$out/bad.err" || fail "no reason given: $(cat "$out/bad.err")"
exit 0
