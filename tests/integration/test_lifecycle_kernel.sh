#!/bin/bash
# SPDX-License-Identifier: MIT
# test_lifecycle_kernel - the io_uring lifecycle of a traced 2-hop ring on the real kernel: every
# request tagged with the right iteration, each hop's time no longer than the one the members'
# TSC stamps measured (within the stamp error), and the ring pinned to one CPU against the same
# ring across two: crossing CPUs shows in "ready, not consumed" (data ready on the sender's CPU,
# a wakeup across vCPUs with an interrupt delivered); and the same checks on a blocking-socket
# ring, split from its syscalls and sleeps.
. "$(dirname "$0")/lib.sh"
need_root
[ "$(nproc)" -ge 2 ] || skip "needs 2 CPUs (one CPU against two)"

out=$RS_TEST_OUT
# 32-byte messages carry the forwarder's TSC stamps: the wire times to check the hops against.
for run in uring:0 uring:0,1 blocking:0,1; do
	io=${run%%:*} cpus=${run#*:} tag=${run/:/-}
	"$RINGSCOPE" run --probe ring --hops 2 --msg-size 32 --runs 2 --iterations 2000 \
		--io "$io" --cpus "$cpus" --trace -o "$out/$tag.rst" >"$out/run.out" \
		2>"$out/run.err" || fail "run --io $io --cpus $cpus failed: $(tail -n 3 "$out/run.err")"
	! grep -q 'this run is untraced' "$out/run.err" ||
		skip "tracer unavailable: $(head -1 "$out/run.err")"
	"$RINGSCOPE" analyze --json "$out/$tag.rst" >"$out/$tag.json" || fail "analyze of $tag failed"
	"$RINGSCOPE" analyze "$out/$tag.rst" >"$out/$tag.txt" || fail "analyze (text) of $tag failed"
	grep -q "^[a-z_]* lifecycle of 'ring'" "$out/$tag.txt" ||
		fail "no lifecycle table in the text of $tag"
done

python3 - "$out/uring-0.json" "$out/uring-0,1.json" "$out/blocking-0,1.json" "$out/uring-0.rst" \
	"$out/uring-0,1.rst" "$out/blocking-0,1.rst" <<'PY' ||
import json, struct, sys

def traced_wire(path):
    """The wire p50 of each hop in the traced run, and the TSC skew (RUN, PLATFORM chunks)."""
    data, off, hops, skew = open(path, "rb").read(), 16, None, 0.0
    while off < len(data):
        kind, length = struct.unpack_from("<II", data, off)
        if kind in (2, 4):
            obj = json.loads(data[off + 16 : off + 16 + length])
            if kind == 2:
                skew = obj.get("tsc_skew_ns") or 0.0
            elif obj.get("traced"):
                hops = obj["hops"]
        off += 16 + length
    return [h["wire_p50_ns"] for h in hops], skew

ready, rows = [], []
for report, trace in zip(sys.argv[1:4], sys.argv[4:7]):
    r = json.load(open(report))
    (p,) = r["probes"]
    rows.append(r["mechanisms"]["rows"])
    lc = p["lifecycle"]
    # io_uring: tags must name the right iteration; sockets: a window may hold a stale message
    slack = 0 if lc["source"] == "io_uring" else 0.01 * lc["iterations"]
    assert lc["mismatched"] <= slack, ("requests or windows of another iteration", lc)
    assert lc["split"] >= 0.9 * lc["iterations"] > 0, ("iterations not split", lc)
    wire, skew = traced_wire(trace)
    err = skew + 1000  # the TSC/monotonic mapping, the stamps around io_uring_enter
    for h in lc["hops"]:
        t = h["hop_time"]["p50_ns"]
        assert 0 < t <= wire[h["hop"]] + err, ("hop longer than its wire", h, wire, skew)
        assert h["samples"] == lc["split"] or h["samples"] >= 0.9 * lc["iterations"], h
    ready.append(max(h["ready_not_consumed"]["p50_ns"] for h in lc["hops"]))
one, two, blocking = ready
# Crossing CPUs changes what "ready, not consumed" holds: on one CPU the data is ready where its
# consumer runs and the wakeups are on one vCPU; across two, every hop's data is ready on the
# sender's CPU, not its consumer's, and each iteration's wakeups cross vCPUs with an interrupt
# delivered each. Whether that is slower is the host's: a cross-vCPU wakeup cost ~30 us on the
# Intel guest of 2026-12-03 and 5.0 us on the AMD one of 2026-12-04 (against 4.9 us on one vCPU),
# so the times are printed, not compared.
(p1,) = json.load(open(sys.argv[1]))["probes"]
(p2,) = json.load(open(sys.argv[2]))["probes"]
for h in p1["lifecycle"]["hops"]:
    assert [c["cpu"] for c in h["ready_cpus"]] == [0], ("one CPU: data ready elsewhere", h)
for h in p2["lifecycle"]["hops"]:
    consumer = (h["hop"] + 1) % 2  # member i runs on CPU i
    mine = sum(c["count"] for c in h["ready_cpus"] if c["cpu"] == consumer)
    assert mine <= 0.01 * h["samples"], ("two CPUs: data ready on its consumer's CPU", h)
n1, n2 = p1["lifecycle"]["iterations"], p2["lifecycle"]["iterations"]
# the table is the session's (other threads too: a kworker woken across once is no ring's)
same, cross = rows[0]["wakeup_same_vcpu"]["n"], rows[0]["wakeup_cross_vcpu"]["n"]
assert same >= 2 * n1 and cross <= 0.01 * same, ("one CPU: wakeups", same, cross)
cross, irqs = rows[1]["wakeup_cross_vcpu"]["n"], rows[1]["irq_delivery"]["n"]
assert cross >= 2 * n2 * 0.99 and irqs >= 2 * n2 * 0.99, ("two CPUs: wakeups", cross, irqs)
print("ready, not consumed p50: one CPU %.0f ns, two CPUs %.0f ns, blocking on two %.0f ns; "
      "wakeup p50 on one vCPU %.0f ns, across vCPUs %.0f ns"
      % (one, two, blocking, rows[0]["wakeup_same_vcpu"]["p50_ns"],
         rows[1]["wakeup_cross_vcpu"]["p50_ns"]))
PY
	fail "lifecycle check failed (files in $out)"
exit 0
