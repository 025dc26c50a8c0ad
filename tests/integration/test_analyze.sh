#!/bin/bash
# SPDX-License-Identifier: MIT
# test_analyze - `ringscope analyze` and `export` on a real null-probe trace: the table, the JSON
# keys and numbers, one CSV row per sample, and the exit codes of damaged and cut-short files.
. "$(dirname "$0")/lib.sh"

out=$RS_TEST_OUT
trace=$out/null.rst
run_ok "$RINGSCOPE" run --probe null --runs 2 --iterations 1000 --warmup 10 -o "$trace"

# text: metadata lines, the config line and the table in microseconds
run_ok "$RINGSCOPE" analyze "$trace"
text=$out/last.out
grep -q '^# platform: hypervisor ' "$text" || fail "no platform line: $(head -3 "$text")"
grep -q '^# file: complete, status ok' "$text" || fail "file not reported complete"
grep -q "^# probe [0-9]* 'null':" "$text" || fail "no config line for the null probe"
grep -q '^# samples 2000, bad messages 0' "$text" || fail "wrong counts: $(grep '^# samples' "$text")"
grep -Eq '^ +mean +stddev +min +p50 +p90 +p99 +p99\.9 +max +\(us\)$' "$text" ||
	fail "no table header"
grep -Eq '^( +[0-9]+\.[0-9]{3}){8}$' "$text" || fail "no table row with 8 values"
[ ! -s "$out/last.err" ] || fail "unexpected stderr: $(cat "$out/last.err")"

# --hist: log2 buckets whose counts add up to the samples, in text and JSON; 2000 samples
# hold no p99.99 (null in JSON, no deep-tail line)
run_ok "$RINGSCOPE" analyze --hist "$trace"
grep -q '^# latency histogram (log2 buckets)' "$out/last.out" || fail "no histogram under --hist"
grep -q '^# deep tail' "$out/last.out" && fail "a p99.99 from 2000 samples"
sum=$(awk '/ -> .* : [0-9]+ +\|/ { s += $5 } END { print s }' "$out/last.out")
[ "$sum" = 2000 ] || fail "histogram counts add up to $sum, not 2000"
run_ok "$RINGSCOPE" analyze --hist --json "$trace"
python3 -c 'import json,sys; p = json.load(open(sys.argv[1]))["probes"][0]
assert sum(b["count"] for b in p["histogram_log2"]) == 2000
assert p["stats"]["p9999_ns"] is None and p["stats"]["p99999_ns"] is None' "$out/last.out" ||
	fail "histogram or deep tail in JSON: $(head -c 300 "$out/last.out")"

# JSON: nothing but one document, the documented keys, ordered statistics
run_ok "$RINGSCOPE" analyze --json "$trace"
cp "$out/last.out" "$out/analyze.json"
python3 - "$out/analyze.json" <<'PY' || fail "JSON check failed"
import json, sys
r = json.load(open(sys.argv[1]))
assert set(r) >= {"platform", "complete", "status", "probes"}, r.keys()
assert r["complete"] is True and r["status"] == "ok"
assert "clocksource" in r["platform"]
(p,) = r["probes"]
assert p["probe"] == "null" and isinstance(p["config"], dict)
assert p["samples"] == 2000 and p["bad_messages"] == 0 and p["lost"] == 0, p
assert p["runs"] == 2, p
s = p["stats"]
keys = ["min_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns"]
assert all(s[a] <= s[b] for a, b in zip(keys, keys[1:])), s
assert s["min_ns"] <= s["mean_ns"] <= s["max_ns"] and s["stddev_ns"] >= 0, s
PY

# CSV: a header and one row per sample; -o goes through a temporary name, renamed when whole
run_ok "$RINGSCOPE" export "$trace" --format csv -o "$out/null.csv"
[ -z "$(ls -A "$out" | grep '^\.null\.csv\.')" ] || fail "export left its temporary file"
head -1 "$out/null.csv" | grep -qx 'probe,probe_id,run,iteration,latency_ns,intended_ns,mono_start_ns,mono_end_ns,tsc_start,tsc_end,cpu,flags' ||
	fail "wrong CSV header: $(head -1 "$out/null.csv")"
rows=$(($(wc -l <"$out/null.csv") - 1))
[ "$rows" -eq 2000 ] || fail "CSV has $rows rows, expected 2000"
run_ok "$RINGSCOPE" export "$trace"
cmp -s "$out/last.out" "$out/null.csv" || fail "stdout export differs from -o export"
# OUT that is a FIFO is written in place, never renamed over (think of /dev/null); a symbolic
# link is refused and left as it was, its target untouched (docs/outputs.md)
mkfifo "$out/fifo.csv"
cat "$out/fifo.csv" >"$out/from-fifo.csv" &
run_ok "$RINGSCOPE" export "$trace" -o "$out/fifo.csv"
wait
[ -p "$out/fifo.csv" ] && cmp -s "$out/from-fifo.csv" "$out/null.csv" ||
	fail "export replaced a FIFO instead of writing into it"
echo kept >"$out/target.csv"
ln -s target.csv "$out/link.csv"
"$RINGSCOPE" export "$trace" -o "$out/link.csv" 2>"$out/link.err"
[ $? -eq 2 ] && grep -q "output '.*link.csv' is a symbolic link" "$out/link.err" ||
	fail "export through a link: $(cat "$out/link.err")"
[ -L "$out/link.csv" ] && [ "$(cat "$out/target.csv")" = kept ] ||
	fail "export wrote through, or replaced, a symbolic link"

# usage errors exit 2
"$RINGSCOPE" export "$trace" --format xml >/dev/null 2>"$out/fmt.err"
[ $? -eq 2 ] || fail "unknown format did not exit 2"
grep -q -- "--format 'xml' is not one of: csv, perfetto" "$out/fmt.err" || fail "format error: $(cat "$out/fmt.err")"
"$RINGSCOPE" analyze >/dev/null 2>&1
[ $? -eq 2 ] || fail "analyze without FILE did not exit 2"
"$RINGSCOPE" analyze --json >"$out/usage.json" 2>/dev/null
[ $? -eq 2 ] && grep -q '^{"error":' "$out/usage.json" || fail "usage error under --json is not JSON"

# a damaged byte: CRC error, exit 1, one line; under --json an {"error"} document. The byte is
# inverted in the middle of the largest chunk's payload: a fixed offset could land in a chunk
# header (another error) or on a byte that already had the value written.
python3 - "$trace" "$out/bad.rst" <<'PY' || fail "could not damage a payload byte"
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
off, chunks = struct.unpack_from("<8sII", data, 0)[2], []
while off + 16 <= len(data):
    length = struct.unpack_from("<II", data, off)[1]
    chunks.append((length, off + 16))
    off += 16 + length
length, payload = max(chunks)
assert length > 0, "no chunk has a payload"
data[payload + length // 2] ^= 0xff
open(sys.argv[2], "wb").write(data)
PY
"$RINGSCOPE" analyze "$out/bad.rst" >"$out/bad.out" 2>"$out/bad.err"
[ $? -eq 1 ] || fail "damaged file did not exit 1"
[ "$(wc -l <"$out/bad.err")" -eq 1 ] && grep -q 'CRC mismatch' "$out/bad.err" ||
	fail "damaged file message: $(cat "$out/bad.err")"
"$RINGSCOPE" analyze --json "$out/bad.rst" >"$out/bad.json" 2>/dev/null
[ $? -eq 1 ] && python3 -c 'import json,sys; assert "error" in json.load(open(sys.argv[1]))' \
	"$out/bad.json" || fail "damaged file under --json: $(cat "$out/bad.json")"
"$RINGSCOPE" export "$out/bad.rst" -o "$out/bad.csv" >/dev/null 2>&1
[ $? -eq 1 ] || fail "export of a damaged file did not exit 1"
[ ! -e "$out/bad.csv" ] && [ ! -e "$out/bad.csv.tmp" ] || fail "failed export left a file"

# a foreign file
echo "not a trace" >"$out/foreign.rst"
"$RINGSCOPE" analyze "$out/foreign.rst" >/dev/null 2>"$out/foreign.err"
[ $? -eq 1 ] && grep -q 'not a ringscope trace' "$out/foreign.err" ||
	fail "foreign file: $(cat "$out/foreign.err")"

# cut short (a killed run): analysed with one warning, exit 0; JSON says complete false
head -c $(($(stat -c %s "$trace") - 30)) "$trace" >"$out/cut.rst"
"$RINGSCOPE" analyze "$out/cut.rst" >"$out/cut.out" 2>"$out/cut.err" || fail "cut file did not exit 0"
[ "$(wc -l <"$out/cut.err")" -eq 1 ] && grep -q 'no END chunk' "$out/cut.err" ||
	fail "cut file warning: $(cat "$out/cut.err")"
grep -q '^# file: incomplete' "$out/cut.out" || fail "cut file not reported incomplete"
"$RINGSCOPE" analyze --json "$out/cut.rst" >"$out/cut.json" 2>/dev/null || fail "cut --json exit"
python3 -c 'import json,sys; r = json.load(open(sys.argv[1])); assert r["complete"] is False' \
	"$out/cut.json" || fail "cut file JSON: $(head -5 "$out/cut.json")"
exit 0
