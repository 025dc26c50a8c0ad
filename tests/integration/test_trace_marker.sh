#!/bin/bash
# SPDX-License-Identifier: MIT
# test_trace_marker - --trace-marker read back from a private tracefs instance that copies the
# top-level trace_marker (options/copy_trace_marker), on the mono clock: exactly the samples
# above their run's threshold (the RUN chunk's marker_threshold_ns) are marked, with their run,
# iteration, latency and window start, each after its spike, for `now` and `run-end`; bad usage
# creates nothing.
. "$(dirname "$0")/lib.sh"
need_root
out=$RS_TEST_OUT
T=/sys/kernel/tracing
[ -d $T/instances ] || mount -t tracefs nodev $T 2>/dev/null || skip "no tracefs"
inst=$T/instances/ringscope-test-$$
mkdir "$inst" 2>/dev/null || skip "cannot make a tracefs instance"
trap 'rmdir "$inst" 2>/dev/null' EXIT
[ -f "$inst/options/copy_trace_marker" ] ||
	skip "this kernel has no copy_trace_marker option (Linux 6.17+): markers go to the top buffer only"
echo 1 >"$inst/options/copy_trace_marker"
echo mono >"$inst/trace_clock" || skip "the instance cannot use the mono trace clock"

for when in now run-end; do
	: >"$inst/trace"
	run_ok "$RINGSCOPE" run -p ring --hops 2 -r 2 -n 2000 --trace-marker $when -o "$out/$when.rst"
	cp "$inst/trace" "$out/$when.trace"
	"$RINGSCOPE" export "$out/$when.rst" -o "$out/$when.csv" || fail "export of $when failed"
	python3 - "$out/$when.rst" "$out/$when.csv" "$out/$when.trace" $when <<'PY' || fail "--trace-marker $when: see above"
import csv, json, re, struct, sys
data = open(sys.argv[1], "rb").read()
off, thr, counted = struct.unpack_from("<8sII", data, 0)[2], {}, {}
while off + 16 <= len(data):
    typ, length = struct.unpack_from("<II", data, off)
    if typ == 4:  # RUN
        run = json.loads(data[off + 16:off + 16 + length])
        thr[run["run"]] = run["marker_threshold_ns"]
        counted[run["run"]] = run["markers"]
        assert run["markers_dropped"] == 0, run
    off += 16 + length
assert sorted(thr) == [0, 1] and all(thr.values()), f"thresholds {thr}"
want, start, end = set(), {}, {}
for r in csv.DictReader(open(sys.argv[2])):
    run, lat = int(r["run"]), int(r["latency_ns"])
    start[(run, int(r["iteration"]))] = int(r["mono_start_ns"])
    end[(run, int(r["iteration"]))] = int(r["mono_end_ns"])
    if lat > thr[run]:
        want.add((run, int(r["iteration"]), lat, int(r["mono_start_ns"]), thr[run]))
line = re.compile(r'ringscope_spike: probe_id=0 probe="ring 2-hop" run=(\d+) iteration=(\d+) '
                  r'latency_ns=(\d+) threshold_ns=(\d+) mono_ns=(\d+)$')
got = []
for l in open(sys.argv[3]):
    if "ringscope_spike" in l:
        m = line.search(l.rstrip("\n"))
        assert m, f"unexpected marker line {l!r}"
        r, i, lat, t, mono = map(int, m.groups())
        got.append((r, i, lat, mono, t))
        # the instance's clock is CLOCK_MONOTONIC (us in the text): a marker follows its spike,
        # whose end is the window's mono_end_ns. Not mono_ns + latency: the TSC latency also
        # covers the stamps, so an interrupt between tsc_start and mono_start would move that sum
        # past the real end (CI once saw 7.5 us).
        ts = float(re.search(r" (\d+\.\d{6}): tracing_mark_write", l).group(1))
        assert ts * 1e9 >= end[(r, i)] - 1000, f"a marker before its spike ended: {l!r}"
        nxt = start.get((r, i + 1))
        if sys.argv[4] == "now" and nxt:  # as it happens: before the next iteration began
            assert ts * 1e9 <= nxt + 1000, f"a 'now' marker after the next iteration: {l!r}"
assert got, "no spike marked: the test proves nothing (a ring of 2000 iterations always had some)"
assert len(got) == len(set(got)), "a spike marked twice"
assert set(got) == want, f"marked {len(got)}, above threshold {len(want)}: " \
    f"missing {sorted(want - set(got))[:3]}, extra {sorted(set(got) - want)[:3]}"
assert sum(counted.values()) == len(got), (counted, len(got))
print(f"{len(got)} markers, thresholds {thr}")
PY
done

# Bad usage: one line, exit 2, no file.
"$RINGSCOPE" run -p null -w 5 --trace-marker now -o "$out/bad.rst" 2>"$out/bad.err"
[ $? -eq 2 ] && grep -q "give --warmup 20 or more" "$out/bad.err" && [ ! -e "$out/bad.rst" ] ||
	fail "--trace-marker with a short warm-up: $(cat "$out/bad.err")"
"$RINGSCOPE" run -p null --trace-marker always -o "$out/bad.rst" 2>"$out/bad.err"
[ $? -eq 2 ] && [ ! -e "$out/bad.rst" ] || fail "--trace-marker always was taken"
