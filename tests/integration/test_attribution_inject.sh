#!/bin/bash
# SPDX-License-Identifier: MIT
# test_attribution_inject - causes injected from outside on the real kernel, and the attribution
# checked against them (issues 8 and 9): (a) the null probe's code pages evicted with
# process_madvise(MADV_PAGEOUT) while it runs: the spikes that hold a fault are page-fault
# dominant apart from the wait for a CPU; (b) a CPU hog pinned to the null probe's CPU: its large
# spikes are scheduling; (c) with cyclictest (when installed) firing on that CPU: the timer
# interrupts just outside the monotonic stamps are inside the (TSC) windows; (d) a 2-hop ring
# across two vCPUs: its wakeup IPIs' delivery is hypervisor time where the trace timed it; (g) the
# runner stopped and continued by signals: scheduling, and said so; in all, the causes add up to
# the excess, and no time is `hypervisor` without host evidence in the trace.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attribution_checks.sh"
need_root
out=$RS_TEST_OUT
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done' EXIT

# traced_run NAME ARGS... - a traced null probe on CPU 0 into $out/NAME.rst, in the background;
# its pid in $run_pid.
traced_run() {
	local name=$1
	shift
	"$RINGSCOPE" run --trace -p null --cpus 0 -o "$out/$name.rst" "$@" \
		>"$out/$name.out" 2>"$out/$name.err" &
	run_pid=$!
}

# finish NAME - wait for the run, then analyse it (attribution_checks.sh).
finish() {
	wait "$run_pid" || fail "'ringscope run' ($1) exited $?: $(tail -n 3 "$out/$1.err")"
	analyse "$1"
}

# (a) evicted code pages: every 2 ms, the runner's executable mappings are paged out, from the
# other CPU where there is one (on the probe's, the evicter would preempt it: scheduling)
other=$(($(nproc) > 1 ? 1 : 0))
# A binary just built is still dirty in the page cache: paging its code out then waits for the
# writeback, which no event shows (2026-12-03: 135 to 148 of some 200 faulted spikes page-fault
# dominant right after a link, on main too; every run passed after a sync). Write it back first.
sync "$RINGSCOPE"
traced_run pageout -r 3 -n 1000000 -w 100
taskset -c "$other" python3 - "$run_pid" <<'PY' &
import ctypes, sys, time
pid = int(sys.argv[1])
libc = ctypes.CDLL(None, use_errno=True)
class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
pidfd = libc.syscall(434, pid, 0)  # pidfd_open
while pidfd >= 0:
    try:
        maps = open("/proc/%d/maps" % pid).read().splitlines()
    except OSError:
        break
    segs = []
    for f in (l.split() for l in maps):
        if len(f) > 5 and f[1] == "r-xp" and f[5].endswith("/ringscope"):
            lo, hi = (int(x, 16) for x in f[0].split("-"))
            segs.append(iovec(lo, hi - lo))
    if segs:  # process_madvise(pidfd, iov, n, MADV_PAGEOUT, 0)
        libc.syscall(440, pidfd, (iovec * len(segs))(*segs), len(segs), 21, 0)
    time.sleep(0.002)
PY
pids+=($!)
finish pageout
# Spikes that hold a fault: the fault's time is theirs, apart from the wait for a CPU. Once the
# page is read the thread is woken, and on a loaded machine it waits for its CPU, which is
# rightly scheduling: with two CPU hogs beside the run (2026-12-04) 7 of 25 faulted spikes were
# scheduling dominant (each a wait of ms after the wakeup while a hog held CPU 0), and the old
# check (page-fault dominant, 80%) failed with 17 of 25, as it had under load with 50-52 of
# 71-74; page-fault was the largest of the other causes in 24 of 25. On 2026-12-03: 85 of 94
# and 123 of 128 page-fault dominant, against 21 of 107 and 32 of 115 with the monotonic window
# and a fixed 10 us per fault.
check pageout '
faulted = [s for s in p["spikes"] if any(e["type"] == "page_fault" for e in s["events"])]
need(len(faulted) >= 3, "only %d spikes hold a page fault" % len(faulted))
def fault_first(s):
    c = {k: v for k, v in s["causes"].items() if k != "scheduling"}
    return max(c, key=c.get) == "page-fault"
first = sum(map(fault_first, faulted))
need(first >= 0.8 * len(faulted), "page-fault the largest cause but scheduling in %d of %d "
     "faulted spikes" % (first, len(faulted)))
'

# (b) a CPU hog on the probe's CPU: what takes the CPU away is scheduling, and the thread named
# as having run instead is the hog (RAN records), not whoever the switch went to first
taskset -c 0 sh -c 'while :; do :; done' &
pids+=($!)
export HOG_PID=$!
traced_run hog -r 2 -n 2000000 -w 100
export RUN_PID=$run_pid
finish hog
kill "${pids[-1]}"
run_ok "$RINGSCOPE" export "$out/hog.rst" --what events -o "$out/hog.events.csv"
check hog '
big = [s for s in p["spikes"] if s["excess_ns"] > 1000000]
need(len(big) >= 1, "no spike above 1 ms with a hog on the CPU")
sched = sum(s["dominant"] == "scheduling" for s in big)
need(sched >= 0.9 * len(big), "%d of %d spikes above 1 ms scheduling dominant" % (sched, len(big)))
# Named is the thread that held the CPU longest during the wait: on an idle machine the hog in
# 24 of 24 such spikes, but a build running beside the test takes CPU 0 too and can hold it
# longer, so what is checked is that the hog is named, and never a thread of the runner. Not
# by its name: on a shared machine the ringscope of another test may rightly be named (seen
# 2026-12-04: short-lived ringscope processes of other tests, 50 times in the spikes of a ring).
hog = int(os.environ["HOG_PID"])
off = [e for s in big for e in s["events"] if e["type"] == "offcpu" and e.get("ran_tid")]
named = sum(e["ran_tid"] == hog and e.get("ran_comm") == "sh" and e["ran_ns"] > 500000 for e in off)
need(named >= 1, "the hog %d named in none of %d spikes above 1 ms" % (hog, len(big)))
runner = int(os.environ["RUN_PID"])
tgid = {int(r["tid"]): int(r["tgid"]) for r in csv.DictReader(open(out + "/hog.events.csv"))}
own = [e["ran_tid"] for e in off if tgid.get(e["ran_tid"]) == runner]
need(not own, "a thread of the runner named as the hog: %s" % own)
'

# (c) cyclictest: a timer interrupt every 100 us on the probe's CPU (FIFO 95). What is checked is
# the excess time of the spikes the guest saw anything in: a guest also has spikes with no guest
# event at all (host work), which must stay `unexplained` (checked below) and are too many to
# count spikes by number on a busy machine (2026-12-04, a build beside it: 18 of 206 spikes,
# ~20 us each, 13% of the excess).
if command -v cyclictest >/dev/null; then
	cyclictest -q -t1 -a 0 -p 95 -i 100 -D 60 >/dev/null 2>&1 &
	pids+=($!)
	traced_run cyclic -r 2 -n 200000 -w 100
	finish cyclic
	kill "${pids[-1]}"
	check cyclic '
need(len(p["spikes"]) >= 20, "only %d spikes with cyclictest on the CPU" % len(p["spikes"]))
seen = [s for s in p["spikes"] if s["events"]]
held = [s for s in seen if any(e["type"] in ("ipi", "irq", "softirq") for e in s["events"])]
total = sum(s["excess_ns"] for s in seen)
found = sum(s["excess_ns"] for s in held)
need(found >= 0.9 * total, "spikes holding an interrupt have %.0f%% of the excess of those with "
     "guest events (%d of %d spikes)" % (100.0 * found / total, len(held), len(seen)))
bare = [s for s in p["spikes"] if not s["events"]]
need(all(s["dominant"] == "unexplained" for s in bare), "a spike with no event has a cause")
'
else
	echo "note: cyclictest not installed (rt-tests): part (c) not run"
fi
# (d) a cross-vCPU wakeup: a 2-hop ring pinned to CPUs 0 and 1 wakes a thread on the other CPU
# twice per round trip. Where the trace timed the IPIs' delivery on a guest, that delivery shows
# as hypervisor time in the spikes and as most of an iteration's delivery; on bare metal the
# hypervisor cause stays empty.
if [ "$(nproc)" -gt 1 ]; then
	run_ok "$RINGSCOPE" run --trace -p ring --hops 2 --cpus 0,1 -r 2 -n 3000 -o "$out/ring.rst"
	run_ok "$RINGSCOPE" analyze --json "$out/ring.rst" --spikes 100000
	cp "$out/last.out" "$out/ring.json"
	check ring '
ev, hv = p["evidence"], p["attribution"]["hypervisor"]["excess_ns"]
if not ev["hypervisor"]:
    need(hv == 0, "hypervisor time on bare metal")
elif ev["ipis_seen_sent"]:
    need(ev["deliveries_per_iteration"] >= 1, "%.2f deliveries per round trip across vCPUs"
         % ev["deliveries_per_iteration"])
    need(hv > 0, "no hypervisor time in a ring across vCPUs whose IPI deliveries were timed")
else:
    print("note: no IPI delivery records in this trace: part (d) checks nothing more")
'
fi
# (g) signals (test_attribution_net has (e) and (f)): the runner stopped (SIGSTOP) for 2 ms in
# every ~30 ms and continued (SIGCONT) while it measures. A stopped thread sleeps in no syscall:
# the time it was held is scheduling, and its key event says why (2026-12-04, before: 47 of 47
# such spikes above 1 ms unexplained).
traced_run stop -r 3 -n 2000000 -w 100
(
	sleep 0.05
	while kill -STOP "$run_pid" 2>/dev/null; do
		sleep 0.002
		kill -CONT "$run_pid"
		sleep 0.03
	done
) &
pids+=($!)
finish stop
check stop '
held = [s for s in p["spikes"]
        if any(e["what"].startswith("off cpu, stopped by a signal") for e in s["events"])]
need(len(held) >= 1, "no spike holds the runner stopped by SIGSTOP")
sched = sum(s["dominant"] == "scheduling" for s in held)
need(sched >= 0.9 * len(held), "%d of %d spikes with the runner stopped scheduling dominant"
     % (sched, len(held)))
'
echo "PASS"
