#!/bin/bash
# SPDX-License-Identifier: MIT
# test_projection_path_kernel - the projection's critical path on the real kernel: a traced 2-hop ring
# across CPUs 0 and 1 waits in every hop for the receiver's vCPU to be woken, and the host's
# deliveries inside those waits come out: its projected p50 lies below the guest's, by no more
# than the hops' ready parts can hold; the same ring on CPU 0 alone has no cross-CPU wakeup on
# its path, and its projected p50 stays inside the guest's interval.
. "$(dirname "$0")/lib.sh"
need_root
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (one CPU against two)"

out=$RS_TEST_OUT
for cpus in 0,1 0; do
	run_traced "$out/ring-$cpus.rst" --probe ring --hops 2 --runs 4 --iterations 2000 \
		--cpus "$cpus"
	"$RINGSCOPE" analyze --spikes 3 --json "$out/ring-$cpus.rst" >"$out/ring-$cpus.json" ||
		fail "analyze --json of the ring on CPUs $cpus failed"
	"$RINGSCOPE" analyze --spikes 3 "$out/ring-$cpus.rst" >"$out/ring-$cpus.txt" ||
		fail "analyze of the ring on CPUs $cpus failed"
	grep -q '^  and on the critical path' "$out/ring-$cpus.txt" ||
		fail "the projection's text does not say what the critical path took out ($cpus)"
done

python3 - "$out/ring-0,1.json" "$out/ring-0.json" <<'PY'
import json, sys

def probe(path):
    report = json.load(open(path))
    (p,) = report["probes"]
    return report, p

report, two = probe(sys.argv[1])
if not report["platform"].get("hypervisor"):
    print("SKIP: no hypervisor named: on bare metal no time is the host's")
    sys.exit(77)
_, one = probe(sys.argv[2])

for name, p in (("two CPUs", two), ("one CPU", one)):
    pj, lc = p["projection"], p["lifecycle"]
    assert pj["path_waits"] > 0, (name, "no hop's ready part became a wait", pj, lc["split"])
    path = pj["path_vcpu_absent_ns"] + pj["path_irq_delivery_ns"]
    assert pj["removed_ns"] >= path, (name, "the path's time is not in what came out", pj)
    assert pj["path_iterations"] <= pj["samples"], (name, pj)

pj = two["projection"]
q50 = pj["quantiles"][0]
drop = q50["guest_ns"] - q50["projected_ns"]
# each iteration loses at most its hops' ready parts (or its spike's attribution, which is only
# its excess over the median): p50 moves down by at most what the hops' ready parts reach
ready = sum(h["ready_not_consumed"]["p99_ns"] for h in two["lifecycle"]["hops"])
assert 0 <= drop <= ready, ("projected p50 moved by more than the ready parts hold", drop, ready)
if pj["path_irq_delivery_ns"] > 0 and pj["path_iterations"] >= pj["samples"] / 2:
    assert drop > 0, ("deliveries on most iterations' path, p50 did not move", pj)
assert pj["path_iterations"] > 0, ("no delivery or absence on a ring across vCPUs", pj)

q1 = one["projection"]["quantiles"][0]
lo, hi = q1["guest_ci_ns"]
assert lo <= q1["projected_ns"] <= hi, ("one CPU: projected p50 left the guest's interval", q1)
print("two CPUs: p50 %.1f -> %.1f us (%d of %d iterations, delivery %.1f us); "
      "one CPU: p50 %.1f -> %.1f us [%.1f, %.1f]"
      % (q50["guest_ns"] / 1e3, q50["projected_ns"] / 1e3, pj["path_iterations"],
         pj["samples"], pj["path_irq_delivery_ns"] / 1e3, q1["guest_ns"] / 1e3,
         q1["projected_ns"] / 1e3, lo / 1e3, hi / 1e3))
PY
rc=$?
[ $rc -eq 77 ] && skip "no hypervisor named: on bare metal no time is the host's"
[ $rc -eq 0 ] || fail "critical-path check failed (files in $out)"
exit 0
