#!/bin/bash
# SPDX-License-Identifier: MIT
# test_compare_by_mechanism - `compare` explains its verdict by mechanism on real traces: a 2-hop
# ring on one CPU (A) against the same ring across two (B). B wakes its members across CPUs and
# A does not, so B's cross-vCPU wakeups (with their IPIs' delivery) must add to B's p50; every
# figure lies in its interval; the parts and unexplained add up to the total; a trace against
# itself differs by nothing. Needs the tracer (root, BPF) and two CPUs.
. "$(dirname "$0")/lib.sh"
need_root
[ "$(nproc)" -ge 2 ] || skip "one CPU: no ring across two"
out=$RS_TEST_OUT
small=(-p ring --hops 2 --trace -r 6 -n 1000 -w 50)
run_ok "$RINGSCOPE" run "${small[@]}" --cpus 0 -o "$out/one.rst"
grep -q 'untraced' "$out/last.err" && skip "tracer unavailable: $(grep -m1 untraced "$out/last.err")"
run_ok "$RINGSCOPE" run "${small[@]}" --cpus 0,1 -o "$out/two.rst"

run_ok "$RINGSCOPE" compare --json "$out/one.rst" "$out/two.rst"
python3 - "$out/last.out" <<'PY' || fail "decomposition of one CPU vs two: $(head -c 2000 "$out/last.out")"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
m = p["mechanisms"]
assert m["traced_samples_a"] == 3000 and m["traced_samples_b"] == 3000, m
assert m["resampled"] == "blocks of up to 1000 iterations of a run", m["resampled"]
for q in ("p50", "p99"):
    d = m[q]
    parts = [d["total"], d["unexplained"]] + list(d["parts"].values())
    assert all(x["lo_ns"] <= x["ns"] <= x["hi_ns"] for x in parts), (q, d)
    s = sum(x["ns"] for x in d["parts"].values()) + d["unexplained"]["ns"]
    assert abs(s - d["total"]["ns"]) < 1, (q, s, d["total"])
cross = m["p50"]["parts"]["wakeup_cross_vcpu"]["ns"] + m["p50"]["parts"]["irq_delivery"]["ns"]
assert cross > 0, m["p50"]
PY
run_ok "$RINGSCOPE" compare "$out/one.rst" "$out/two.rst"
grep -Eq "^  (same|shift|scale|shape): B's p50 is [+-][0-9.]+ us \[.*\], of which .*unexplained [+-]" \
	"$out/last.out" || fail "no decomposition line: $(grep -A3 '^verdict' "$out/last.out")"

# a trace against itself: no difference and no part of one
run_ok "$RINGSCOPE" compare --json "$out/two.rst" "$out/two.rst"
python3 - "$out/last.out" <<'PY' || fail "a trace against itself differs by mechanism"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
for q in ("p50", "p99"):
    d = p["mechanisms"][q]
    assert d["total"]["ns"] == 0 and d["unexplained"]["ns"] == 0, d
    assert all(x["ns"] == 0 for x in d["parts"].values()), d
PY
echo "PASS"
