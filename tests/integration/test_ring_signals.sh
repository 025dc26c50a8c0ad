#!/bin/bash
# SPDX-License-Identifier: MIT
# test_ring_signals - members of a ring stopped and continued by signals while it measures (as a
# debugger or `kill -STOP` would): in every io mode no message is lost, and the iterations that
# waited keep the time the stop cost. Before, an io_uring master's wait ended early on the
# signal and its message was counted lost (2 or 3 of 8 stops, uring or sqpoll).
. "$(dirname "$0")/lib.sh"
need_root
out=$RS_TEST_OUT
[ -e /proc/sys/kernel/io_uring_disabled ] && [ "$(cat /proc/sys/kernel/io_uring_disabled)" != 0 ] &&
	skip "io_uring is disabled (kernel.io_uring_disabled)"

STOP_S=0.1 # each stop: well under the round trip's timeout (1 s), well above any round trip

# stopped IO WHO - a 2-hop ring (sqpoll wants a CPU per member) in io mode IO, its master
# (WHO=master) or a forwarder (WHO=forwarder) stopped for STOP_S eight times in its 3 s; checked:
# none lost, and the longest iteration at least as long as a stop.
stopped() {
	local name="$1-$2" file="$out/$1-$2.rst" pid forwarder victim i
	"$RINGSCOPE" run --probe ring --hops 2 --io "$1" --runs 1 --duration 3s \
		--iterations 100000000 -o "$file" >"$out/$name.out" 2>"$out/$name.err" &
	pid=$!
	# the forwarders are forks of the runner: once there, the ring is up within milliseconds
	for i in $(seq 100); do
		forwarder=$(pgrep -P "$pid" | head -n 1)
		[ -n "$forwarder" ] && break
		sleep 0.1
	done
	[ -n "$forwarder" ] || fail "$name: no forwarder process of the run $pid after 10 s"
	sleep 0.5
	victim=$pid
	[ "$2" = forwarder ] && victim=$forwarder
	for i in 1 2 3 4 5 6 7 8; do
		kill -STOP "$victim" || fail "$name: the run ended before its eight stops"
		sleep $STOP_S
		kill -CONT "$victim"
		sleep 0.1
	done
	wait "$pid" || fail "$name: the run exited $?: $(tail -n 3 "$out/$name.err")"
	run_ok "$RINGSCOPE" analyze "$file" --json
	python3 - "$out/last.out" "$name" "$STOP_S" <<'PY' || fail "$name: see above"
import json, sys
r, name, stop = json.load(open(sys.argv[1])), sys.argv[2], float(sys.argv[3])
p = r["probes"][0]
longest = p["stats"]["max_ns"]
assert p["samples"] > 1000, f"{name}: only {p['samples']} samples"
assert p["lost"] == 0, f"{name}: {p['lost']} messages lost to a stop"
assert longest >= 0.9 * stop * 1e9, f"{name}: longest iteration {longest} ns, a stop is {stop} s"
print(f"ok {name}: 0 lost, longest {longest / 1e6:.1f} ms")
PY
}

for io in uring sqpoll blocking; do
	stopped $io master
	stopped $io forwarder
done
