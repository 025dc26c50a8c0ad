#!/bin/bash
# SPDX-License-Identifier: MIT
# test_duration - --duration instead of a count: the total split evenly over the runs (run: over
# its runs, session: over its probes' runs), each run ended by the first iteration that ends its
# share after the run began timing, or by its cap of iterations (100000 unless --iterations);
# the share is in the PROBE chunk ("run_duration_ns") and the runs' counts in the samples; no
# timing bound beyond that order. A share under 1 ms is bad usage.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

# chunks FILE TYPE - the JSON chunks of TYPE (3 PROBE, 4 RUN) of a trace file, one per line.
chunks() {
	python3 - "$1" "$2" <<'PY'
import json, struct, sys
data, want = open(sys.argv[1], "rb").read(), int(sys.argv[2])
off = struct.unpack_from("<8sII", data, 0)[2]
while off + 16 <= len(data):
    typ, length = struct.unpack_from("<II", data, off)
    if typ == want:
        print(json.dumps(json.loads(data[off + 16:off + 16 + length])))
    off += 16 + length
PY
}

# check_runs RST CSV SHARE_NS CAP - each run of each probe ends as --duration says.
check_runs() {
	"$RINGSCOPE" export "$1" -o "$2" || fail "export of '$1' failed"
	python3 - "$2" "$3" "$4" <<'PY' || fail "the runs of '$1' do not end as --duration says"
import csv, sys
share, cap, runs = int(sys.argv[2]), int(sys.argv[3]), {}
for r in csv.DictReader(open(sys.argv[1])):
    runs.setdefault((r["probe_id"], r["run"]), []).append(
        (int(r["iteration"]), int(r["mono_start_ns"]), int(r["mono_end_ns"])))
assert runs, "no samples"
for key, s in sorted(runs.items()):
    s.sort()
    assert [i for i, _, _ in s] == list(range(len(s))), f"{key}: iterations not 0..n-1"
    first = s[0][1]
    # every iteration but the last ended within the share; the last ended it, or was the cap
    assert all(end - first < share for _, _, end in s[:-1]), f"{key}: ran past its share"
    assert len(s) == cap or s[-1][2] - first >= share - 1000000, \
        f"{key}: {len(s)} iterations, ended {(s[-1][2] - first) / 1e6:.1f} ms in of {share / 1e6} ms"
    print(key, len(s), "iterations")
PY
}

# run: 0.6 s over 2 runs of the 3-hop ring, 300 ms each; the PROBE chunk says so.
run_ok "$RINGSCOPE" run -p ring --hops 3 -r 2 --duration 600ms -o "$out/r.rst"
chunks "$out/r.rst" 3 | grep -q '"run_duration_ns": 300000000' || fail "no run_duration_ns in PROBE"
check_runs "$out/r.rst" "$out/r.csv" 300000000 100000
# the null probe reaches its cap first: --iterations 5000 per run
run_ok "$RINGSCOPE" run -p null -r 2 --duration 2s -n 5000 -o "$out/n.rst"
check_runs "$out/n.rst" "$out/n.csv" 1000000000 5000
[ "$(chunks "$out/n.rst" 4 | grep -c '"samples": 5000')" -eq 2 ] || fail "null runs not capped at 5000"

# session: 1.2 s over 6 probes x 2 runs, 100 ms a run
run_ok "$RINGSCOPE" session --no-trace -r 2 --duration 1200ms -o "$out/s.rst"
[ "$(chunks "$out/s.rst" 3 | grep -c '"run_duration_ns": 100000000')" -eq 6 ] ||
	fail "the session's probes do not share --duration: $(chunks "$out/s.rst" 3 | head -c 400)"
check_runs "$out/s.rst" "$out/s.csv" 100000000 100000

"$RINGSCOPE" run -p null -r 20 --duration 10ms -o "$out/bad.rst" 2>"$out/bad.err"
[ $? -eq 2 ] && grep -q "give at least 1 ms a run" "$out/bad.err" && [ ! -e "$out/bad.rst" ] ||
	fail "a share under 1 ms was taken: $(cat "$out/bad.err")"
no_leftovers
