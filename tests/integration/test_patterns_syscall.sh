#!/bin/bash
# SPDX-License-Identifier: MIT
# test_patterns_syscall - `ringscope analyze` finds the flush period of a real syscall probe: 24-byte lines
# into a 1000-byte stdio buffer flush every 1000 / 24 = 41.67 iterations, at one phase in every
# run; text and JSON carry the patterns and confidence sections.
. "$(dirname "$0")/lib.sh"

out=$RS_TEST_OUT
trace=$out/syscall.rst
# the sink a file: a flush writes 1000 bytes into the page cache, many times a copy into the
# buffer on any machine (into /dev/null it can cost as little as twice the copy)
run_ok "$RINGSCOPE" run --probe syscall --stdio-buffer 1000 --sink "$out/sink" --runs 3 \
	--iterations 2000 --warmup 10 -o "$trace"

# spikes: no excess floor (the default 1 us is a timing assumption), at least 4 x the median:
# a loaded machine gives the copy a second mode at about twice the first (CI's 0.18 us next to
# 0.09 us, 20% of the samples), and that many spikes in bursts would bury the flushes
analyze_spikes=(--spike-min-excess 0 --spike-min-ratio 4)
run_ok "$RINGSCOPE" analyze "${analyze_spikes[@]}" "$trace"
grep -q "^patterns of 'syscall' (probe 0), from its [0-9]* spikes:$" "$out/last.out" ||
	fail "no patterns section: $(tail -5 "$out/last.out")"
grep -Eq '^    periodic: every 41\.6[6-8] iterations, .* in every run$' "$out/last.out" ||
	fail "no 41.67 line: $(grep -A2 '^patterns' "$out/last.out")"
grep -q '^    95% intervals (us): p50 \[' "$out/last.out" || fail "no intervals line"

run_ok "$RINGSCOPE" analyze --json "${analyze_spikes[@]}" "$trace"
cp "$out/last.out" "$out/analyze.json"
python3 - "$out/analyze.json" <<'PY' || fail "JSON check failed"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
pat, conf = p["patterns"], p["confidence"]
line = pat["periodic"][0]
assert abs(line["period"] - 1000 / 24) < 0.05, line
# a flush fills every position of the line; its share of the spikes depends on the machine
assert line["same_phase"] and line["support"] >= 5 * 3 and 0 < line["share"] <= 1, line
assert line["magnitude"] > 1.5 and 0.9 < line["hit_rate"] <= 1, line
assert pat["drift"] == [], pat["drift"]
assert len(pat["modes"]) >= 1 and abs(sum(m["weight"] for m in pat["modes"]) - 1) < 0.01, pat
for k in ("p50_ns", "p90_ns", "p99_ns"):
    lo, hi = conf[k]
    assert lo <= p["stats"][k] <= hi, (k, conf[k], p["stats"][k])
assert conf["samples"] == 6000 and -1 <= conf["lag1_autocorrelation"] <= 1, conf
PY
exit 0
