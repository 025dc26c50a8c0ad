#!/bin/bash
# SPDX-License-Identifier: MIT
# test_compare_cli - `ringscope compare` on real traces: two small ring runs that differ only in
# pinning compare probe by probe (text and JSON, with a verdict, its rule and its tests), a file
# compared with itself is the same, the same file with a constant added to every latency is a
# shift and times 10 no shape (bench/trace_rewrite.c puts the cause in: a verdict known whatever
# this machine's noise), probes in one file only are listed, a cut-short file is compared and
# said so, and bad input exits 1 or 2.
. "$(dirname "$0")/lib.sh"

out=$RS_TEST_OUT
small=(--runs 2 --iterations 2000 --warmup 10)
run_ok "$RINGSCOPE" run --probe ring --hops 2 "${small[@]}" -o "$out/a.rst"
run_ok "$RINGSCOPE" run --probe ring --hops 2 "${small[@]}" --cpus 0 -o "$out/b.rst"
run_ok "$RINGSCOPE" run --probe ring --hops 2 "${small[@]}" --io blocking -o "$out/blocking.rst"
run_ok "$RINGSCOPE" run --probe null "${small[@]}" -o "$out/null.rst"

# text: the platforms side by side, the table with B/A, the tests and a verdict
run_ok "$RINGSCOPE" compare "$out/a.rst" "$out/b.rst"
text=$out/last.out
grep -q '^# clocksource ' "$text" || fail "no platform lines: $(head -12 "$text")"
grep -q "^# probe 'ring' hops=2 io=uring" "$text" || fail "no probe line for the ring"
grep -Eq '^B/A( +[0-9]+\.[0-9]{3}){8}$' "$text" || fail "no B/A row"
grep -Eq '^normalized +[0-9.]+ ' "$text" || fail "no normalized test row"
grep -Eq '^verdict: (same|shift|scale|shape), ' "$text" || fail "no verdict line"
grep -Eq '^# rule: (same|shift|scale|shape): p' "$text" || fail "no rule line"
grep -Eq '^p99-p50 +[0-9.]+ +[-+][0-9.]+ ' "$text" || fail "no run-level row"
[ ! -s "$out/last.err" ] || fail "unexpected stderr: $(cat "$out/last.err")"

# JSON: the documented keys for the common probe, nothing only in one file
run_ok "$RINGSCOPE" compare --json "$out/a.rst" "$out/b.rst"
cp "$out/last.out" "$out/ab.json"
python3 - "$out/ab.json" <<'PY' || fail "JSON check of A vs B failed"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["a"]["path"].endswith("a.rst") and "clocksource" in r["a"]["platform"], r["a"]
assert r["only_in_a"] == [] and r["only_in_b"] == [], r
(p,) = r["probes"]
assert p["probe"] == "ring" and p["config"]["hops"] == 2 and p["config"]["io"] == "uring", p
assert p["verdict"] in ("same", "shift", "scale", "shape"), p["verdict"]
assert p["rule"].startswith(p["verdict"] + ": "), p["rule"]
rl = p["run_level"]
assert rl["clusters"] == "blocks" and rl["a"]["runs"] == 2 and rl["a"]["clusters"] == 8, rl
assert rl["confidence"] == 0.99 and len(rl["effects"]) == 10, rl
e = rl["effects"]["p50_ns"]
assert e["low"] <= e["effect"] <= e["high"] and e["margin"] >= 10, e
for level in ("raw", "aligned", "normalized"):
    t = p["tests"][level]
    assert 0 <= t["ks_d"] <= 1 and 0 <= t["ks_p"] <= 1 and t["wasserstein_ns"] >= 0, t
assert p["a"]["samples"] == 4000 and p["b"]["samples"] == 4000, p
assert p["a"]["min_ns"] <= p["a"]["p50_ns"] <= p["a"]["max_ns"], p["a"]
assert abs(p["ratio"]["p50"] - p["b"]["p50_ns"] / p["a"]["p50_ns"]) < 1e-3, p["ratio"]
assert set(p["spike_rate"]) == {"a", "b", "ratio"} and "unexplained" in p["attribution"]["a"]
assert "modes" in p["patterns"]["a"] and "modes" in p["patterns"]["b"], p["patterns"]
PY

# a file against itself: the same, every distance 0
run_ok "$RINGSCOPE" compare --json "$out/a.rst" "$out/a.rst"
python3 - "$out/last.out" <<'PY' || fail "a file compared with itself is not the same"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
assert p["verdict"] == "same", p["verdict"]
assert all(t["ks_d"] == 0 and t["wasserstein_ns"] == 0 for t in p["tests"].values()), p["tests"]
assert all(e["effect"] in (0, 1) for e in p["run_level"]["effects"].values()), p["run_level"]
PY

# a constant added to every latency of a real trace (1 ms, far beyond any run-to-run spread of
# the ring's median): shift, by 1 ms; every latency times 10: never shape (the ratios p90/p50,
# p99/p50 and p99.9/p50 are unchanged in every run) and B - A at p50 is 9 x A's (whether that
# is beyond the spread of 3 runs depends on how much this machine's runs differ: not asserted)
rewrite=$(dirname "$RINGSCOPE")/trace-rewrite
[ -x "$rewrite" ] || fail "no $rewrite (built with ringscope)"
run_ok "$RINGSCOPE" run --probe ring --hops 2 --runs 3 --iterations 1000 --warmup 10 -o "$out/c.rst"
run_ok "$rewrite" --add-ns 1000000 "$out/c.rst" "$out/c_plus.rst"
run_ok "$rewrite" --times 10 "$out/c.rst" "$out/c_times.rst"
run_ok "$RINGSCOPE" compare --json "$out/c.rst" "$out/c_plus.rst"
python3 - "$out/last.out" <<'PY' || fail "a constant added is not a shift"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
assert p["verdict"] == "shift", (p["verdict"], p["rule"])
rl = p["run_level"]
assert rl["clusters"] == "runs" and rl["a"]["clusters"] == 3, rl
e = rl["effects"]["p50_ns"]
assert e["effect"] == 1000000 and e["low"] < 1000000 < e["high"] and e["differs"], e
assert "one constant" in p["rule"], p["rule"]
PY
run_ok "$RINGSCOPE" compare "$out/c.rst" "$out/c_plus.rst"
grep -q '^# rule: shift: p50 +1000.0 us (99% interval ' "$out/last.out" ||
	fail "shift rule: $(grep '^# rule' "$out/last.out")"
run_ok "$RINGSCOPE" compare --json "$out/c.rst" "$out/c_times.rst"
python3 - "$out/last.out" <<'PY' || fail "every latency times 10 is shape, or moved p50 wrong"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
assert p["verdict"] in ("same", "shift", "scale"), (p["verdict"], p["rule"])
e = p["run_level"]["effects"]["p50_ns"]
assert abs(e["effect"] - 9 * e["a"]) <= 1e-4 * e["effect"], e
for k in ("tail90_ratio", "tail99_ratio", "tail999_ratio"):
    assert abs(p["run_level"]["effects"][k]["effect"] - 1) < 1e-3, p["run_level"]["effects"][k]
PY

# probes that do not match (another io mode, another probe) are listed, not compared
run_ok "$RINGSCOPE" compare --json "$out/a.rst" "$out/blocking.rst"
python3 - "$out/last.out" <<'PY' || fail "io modes were matched"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["probes"] == [], r["probes"]
assert [p["config"]["io"] for p in r["only_in_a"]] == ["uring"], r["only_in_a"]
assert [p["config"]["io"] for p in r["only_in_b"]] == ["blocking"], r["only_in_b"]
PY
run_ok "$RINGSCOPE" run --probe syscall "${small[@]}" --stdio-buffer 4K -o "$out/sys4k.rst"
run_ok "$RINGSCOPE" run --probe syscall "${small[@]}" -o "$out/sys.rst"
run_ok "$RINGSCOPE" compare --json "$out/sys4k.rst" "$out/sys.rst"
python3 - "$out/last.out" <<'PY' || fail "stdio buffer sizes were matched"
import json, sys
r = json.load(open(sys.argv[1]))
assert r["probes"] == [], r["probes"]
assert [p["config"]["stdio_buffer"] for p in r["only_in_a"]] == [4096], r["only_in_a"]
PY
run_ok "$RINGSCOPE" compare "$out/a.rst" "$out/null.rst"
grep -q "^# only in A: 'ring' hops=2" "$out/last.out" || fail "ring not listed as only in A"
grep -q "^# only in B: 'null'" "$out/last.out" || fail "null not listed as only in B"

# a file cut short (a killed run): compared up to its last whole chunk, and said so
head -c $(($(stat -c %s "$out/a.rst") * 2 / 3)) "$out/a.rst" >"$out/cut.rst"
run_ok "$RINGSCOPE" compare "$out/cut.rst" "$out/b.rst"
grep -q "^# A: '.*cut.rst' (incomplete)$" "$out/last.out" || fail "cut file not marked incomplete"
grep -q "no END chunk" "$out/last.err" || fail "no warning about the cut file: $(cat "$out/last.err")"
run_ok "$RINGSCOPE" compare --json "$out/cut.rst" "$out/b.rst"
python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); assert r["a"]["complete"] is False
assert r["b"]["complete"] is True and len(r["probes"]) == 1' "$out/last.out" ||
	fail "cut file under --json: $(head -c 300 "$out/last.out")"

# a damaged file: exit 1 with one line; under --json an {"error"} document
size=$(stat -c %s "$out/b.rst")
cp "$out/b.rst" "$out/bad.rst"
printf 'X' | dd of="$out/bad.rst" bs=1 seek=$((size / 2)) conv=notrunc 2>/dev/null
"$RINGSCOPE" compare "$out/a.rst" "$out/bad.rst" >"$out/bad.out" 2>"$out/bad.err"
[ $? -eq 1 ] || fail "damaged file did not exit 1"
[ "$(wc -l <"$out/bad.err")" -eq 1 ] && grep -q 'bad.rst' "$out/bad.err" ||
	fail "damaged file message: $(cat "$out/bad.err")"
[ ! -s "$out/bad.out" ] || fail "damaged file printed a report"
"$RINGSCOPE" compare --json "$out/bad.rst" "$out/a.rst" >"$out/bad.json" 2>/dev/null
[ $? -eq 1 ] && python3 -c 'import json,sys; assert "error" in json.load(open(sys.argv[1]))' \
	"$out/bad.json" || fail "damaged file under --json: $(cat "$out/bad.json")"
"$RINGSCOPE" compare "$out/a.rst" "$out/missing.rst" >/dev/null 2>&1
[ $? -eq 1 ] || fail "a missing file did not exit 1"

# usage errors exit 2
"$RINGSCOPE" compare "$out/a.rst" >/dev/null 2>&1
[ $? -eq 2 ] || fail "one FILE did not exit 2"
"$RINGSCOPE" compare --bogus "$out/a.rst" "$out/b.rst" >/dev/null 2>&1
[ $? -eq 2 ] || fail "an unknown option did not exit 2"
"$RINGSCOPE" compare -h | grep -q '^usage: ringscope compare A B' || fail "no help"
exit 0
