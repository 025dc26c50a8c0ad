#!/bin/bash
# SPDX-License-Identifier: MIT
# test_session - the main job end to end: five probe configurations traced into one file, the
# analysis with spikes, nothing left behind; runs alternate traced and untraced, the untraced
# ones hold no kernel event and every probe reports its observer effect; without root:
# untraced, netns skipped, said so.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

run_ok "$RINGSCOPE" session --runs 2 --iterations 500 --spikes 3 -o "$out/s.rst" --json
python3 - "$out/last.out" <<'PY' || fail "session JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
probes = d["probes"]
got = [(p["probe"], p["config"].get("hops"), p["config"].get("domains")) for p in probes]
want = [("null", None, None), ("vmexit", None, None), ("syscall", None, None),
        ("ring", 1, "single"), ("ring", 3, "single"), ("ring", 3, "netns")]
assert got == want, f"probe configurations {got}, want {want}"
assert d["complete"] and d["status"] == "ok", d.get("status")
for p in probes:
    assert p["samples"] == 500, (p["probe"], p["samples"], "not the untraced run's")
    assert p["bad_messages"] == 0, p
    assert p["traced"] and p["events"] > 0, (p["probe"], "untraced")
    assert p["lost_events"] == 0, (p["probe"], "lost events", p["lost_events"])
    assert "attribution" in p and "spikes" in p, p["probe"]
    assert len(p["spikes"]) <= 3
    oe = p["observer_effect"]
    for side in ("untraced", "traced"):
        assert oe[side]["runs"] == 1 and oe[side]["samples"] == 500, (p["probe"], oe)
        assert len(oe[side]["p50_ci_ns"]) == 2 and oe[side]["p50_ns"] > 0, (p["probe"], oe)
    assert oe["p50_ratio"] > 0 and oe["p99_ratio"] > 0, (p["probe"], oe)
    assert p["stats"]["p50_ns"] == oe["untraced"]["p50_ns"], (p["probe"], "table not untraced")
PY
# Run 0 traced, run 1 untraced (--untraced-runs alternate): no event starts inside an untraced
# run, while the traced runs have theirs.
"$RINGSCOPE" export "$out/s.rst" -o "$out/s.csv" || fail "export of the samples failed"
"$RINGSCOPE" export "$out/s.rst" --what events -o "$out/e.csv" || fail "export of the events failed"
python3 - "$out/s.csv" "$out/e.csv" <<'PY' || fail "an untraced run holds events: see above"
import csv, sys
win = {}
for r in csv.DictReader(open(sys.argv[1])):
    k = (r["probe_id"], r["run"])
    lo, hi = win.get(k, (1 << 64, 0))
    win[k] = (min(lo, int(r["mono_start_ns"])), max(hi, int(r["mono_end_ns"])))
starts = sorted(int(e["start_ns"]) for e in csv.DictReader(open(sys.argv[2])))
def inside(lo, hi):
    return sum(1 for t in starts if lo <= t <= hi)
for (probe, run), (lo, hi) in sorted(win.items()):
    n = inside(lo, hi)
    if run == "1":
        assert n == 0, f"probe {probe} run 1 (untraced) holds {n} events"
traced = sum(inside(*w) for (probe, run), w in win.items() if run == "0")
assert traced > 0, "the traced runs hold no event"
PY
no_leftovers
[ "$(bpftool prog show 2>/dev/null | grep -c ' rs_')" -eq 0 ] || fail "tracer programs left loaded"

# The text form names where the trace is.
run_ok "$RINGSCOPE" session --runs 1 --iterations 200 --spikes 1 -o "$out/t.rst"
grep -q "^# trace: '$out/t.rst' (traced)" "$out/last.out" || fail "no line saying where the trace is"
grep -q "^spikes of 'syscall'" "$out/last.out" || fail "no spike section for the syscall probe"

# Bad usage: exit 2, no file.
"$RINGSCOPE" session --runs 0 -o "$out/bad.rst" 2>"$out/bad.err" && fail "--runs 0 accepted"
[ $? -eq 2 ] || fail "--runs 0 did not exit 2"
[ -e "$out/bad.rst" ] && fail "a refused session left a file"

# Without root: untraced and without the namespace ring, and it says both.
command -v setpriv >/dev/null || skip "setpriv (util-linux) missing for the unprivileged part"
chmod 1777 "$out" # sticky, as /tmp: a world-writable folder must be (docs/outputs.md)
setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$RINGSCOPE" session --runs 1 --iterations 200 -o "$out/user.rst" >"$out/user.out" \
	2>"$out/user.err" || fail "unprivileged session failed: $(cat "$out/user.err")"
grep -q "untraced" "$out/user.err" || fail "unprivileged session did not say it is untraced"
grep -q "skipping .*needs root" "$out/user.err" || fail "unprivileged session did not skip netns"
grep -q "(untraced)" "$out/user.out" || fail "the summary does not say untraced"
exit 0
