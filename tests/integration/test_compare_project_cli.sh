#!/bin/bash
# SPDX-License-Identifier: MIT
# test_compare_project_cli - `compare A B --project` on real traces. No bare-metal machine is at
# hand, so B is a real trace of this guest standing in for one: the 2-hop ring on one vCPU,
# rewritten to name no hypervisor (bench/trace_rewrite.c --no-hypervisor), against A, the same
# ring across two vCPUs. Checked: B's own costs become the baseline (and none when B names a
# hypervisor), the projection never adds time, a quantile that differs names a mechanism in the
# direction of its difference and the largest there, A against itself is never above it at
# p50 (and exactly equal when nothing lay on its critical path: a spike's host time never
# reaches below the median), and against itself plus 1 ms on every latency it is exactly 1 ms
# further below (known answers, whatever the machine's noise); bad --baseline values are usage
# errors.
. "$(dirname "$0")/lib.sh"
need_root
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (a ring on one vCPU against one across two)"

out=$RS_TEST_OUT
rewrite=$(dirname "$RINGSCOPE")/trace-rewrite
[ -x "$rewrite" ] || fail "no $rewrite (built with ringscope)"
for cpus in 0 0,1; do
	run_traced "$out/ring-$cpus.rst" --probe ring --hops 2 --runs 6 --iterations 1500 \
		--warmup 10 --cpus "$cpus"
done
one=$out/ring-0.rst two=$out/ring-0,1.rst
run_ok "$rewrite" --no-hypervisor "$one" "$out/bare.rst"
run_ok "$rewrite" --add-ns 1000000 "$two" "$out/two_plus.rst"
run_ok "$RINGSCOPE" analyze --spikes 1 --json "$out/bare.rst"
cp "$out/last.out" "$out/bare.json"

# A across two vCPUs against the stand-in for bare metal: text and JSON
run_ok "$RINGSCOPE" compare --project "$two" "$out/bare.rst"
grep -q "^projection of A without the host's time, against B (baseline: B's costs" \
	"$out/last.out" || fail "no projection section: $(tail -n 8 "$out/last.out")"
grep -Eq '^  p50 +B [0-9.]+ us, projection [-+][0-9.]+ us ' "$out/last.out" ||
	fail "no p50 line of the projection"
run_ok "$RINGSCOPE" compare --project --json "$two" "$out/bare.rst"
python3 - "$out/last.out" "$out/bare.json" <<'PY' || fail "compare --project against bare metal"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
bare = json.load(open(sys.argv[2]))["probes"][0]
t = p["projection_test"]
assert t["baseline_from"] == "b" and t["b_runs_used"] == "traced", t
ipi = bare["evidence"]["ipi_delivery_normal_ns"]
bl = t["projection"]["baseline"]
assert (bl is None and ipi == 0) or bl["ipi_normal_ns"] == (ipi or None), (bl, ipi)
assert [q["q"] for q in t["quantiles"]] == [0.5, 0.99, 0.999], t["quantiles"]
for q in t["projection"]["quantiles"]:  # the projection only takes time out
    assert q["projected_ns"] <= q["guest_ns"], q
for q in t["quantiles"]:
    m = q["by_mechanism"]
    assert q["matches"] in (True, False), q
    assert q["low_ns"] <= q["effect_ns"] <= q["high_ns"], q
    if q["matches"]:
        assert "missing" not in q, q
        continue
    total = m["total"]["ns"]
    toward = {k: v["ns"] * (1 if total > 0 else -1) for k, v in m["parts"].items()}
    if q["missing"] is None:
        assert all(v <= 0 for v in toward.values()), (q["q"], toward)
    else:
        assert toward[q["missing"]] > 0 and toward[q["missing"]] == max(toward.values()), q
        assert q["missing_is_host_time"] == (q["missing"] in (
            "vcpu_absence", "irq_delivery", "timer_lateness")), q
PY

# B names a hypervisor: no baseline
run_ok "$RINGSCOPE" compare --project --json "$two" "$one"
python3 - "$out/last.out" <<'PY' || fail "a guest's B gave a baseline"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
t = p["projection_test"]
assert t["baseline_from"] == "none" and t["projection"]["baseline"] is None, t
PY

# known answers: A against itself is never above it at p50, and equal when its critical path
# took nothing out; against itself plus 1 ms, exactly 1 ms further below
run_ok "$RINGSCOPE" compare --project --json "$two" "$two"
cp "$out/last.out" "$out/self.json"
python3 - "$out/last.out" <<'PY' || fail "A projected against itself"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
t = p["projection_test"]
q50 = t["quantiles"][0]
assert q50["effect_ns"] <= 0.1, q50
if t["projection"]["path_iterations"] == 0:
    assert q50["matches"] is True and abs(q50["effect_ns"]) < 0.1, q50
PY
run_ok "$RINGSCOPE" compare --project --json "$two" "$out/two_plus.rst"
python3 - "$out/last.out" "$out/self.json" <<'PY' || fail "A projected against A + 1 ms"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
(s,) = json.load(open(sys.argv[2]))["probes"]
q50 = p["projection_test"]["quantiles"][0]
self50 = s["projection_test"]["quantiles"][0]
assert q50["matches"] is False and abs(q50["effect_ns"] - self50["effect_ns"] + 1e6) < 1, (
    q50, self50)
PY
run_ok "$RINGSCOPE" compare --project "$two" "$out/two_plus.rst"
grep -Eq '^  p50 +B [0-9.]+ us, projection -1[0-9]{3}\.[0-9] us .*: below B' "$out/last.out" ||
	fail "no 'below B' line: $(grep '^  p50' "$out/last.out")"

# bad input: usage errors naming the problem, nothing printed on stdout
for bad in "--baseline exit=1" "--project --baseline exit=5x" "--project --baseline ipi=1,ipi=2"; do
	# shellcheck disable=SC2086
	"$RINGSCOPE" compare $bad "$two" "$one" >"$out/bad.out" 2>"$out/bad.err"
	rc=$?
	[ "$rc" -eq 2 ] || fail "compare $bad: exit $rc, not 2"
	[ ! -s "$out/bad.out" ] || fail "compare $bad printed on stdout"
	grep -q -- "--baseline" "$out/bad.err" || fail "compare $bad: $(cat "$out/bad.err")"
done
echo "PASS"
