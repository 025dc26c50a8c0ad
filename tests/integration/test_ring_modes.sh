#!/bin/bash
# SPDX-License-Identifier: MIT
# test_ring_modes - `ringscope run --probe ring` in every io mode, at 1 and 3 hops, with persistent
# and per-message connections, in one namespace and across namespaces: each run exits 0 with no
# bad message, its file reads back complete, and no process or namespace outlives it.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT
[ -e /proc/sys/kernel/io_uring_disabled ] && [ "$(cat /proc/sys/kernel/io_uring_disabled)" != 0 ] &&
	skip "io_uring is disabled (kernel.io_uring_disabled)"

# ring NAME ITERATIONS OPTIONS... - one run of 2 runs x ITERATIONS, checked end to end. The
# timeout is generous: this checks behaviour, and a loaded machine may stall a round trip.
ring() {
	local name=$1 n=$2 file="$out/$1.rst"
	shift 2
	"$RINGSCOPE" run --probe ring --runs 2 --iterations "$n" --warmup 20 --timeout-ms 10000 \
		"$@" -o "$file" >"$out/$name.out" 2>"$out/$name.err" ||
		fail "$name: 'ringscope run --probe ring $*' exited $?: $(tail -n 3 "$out/$name.err")"
	# Forwarders are forks of the runner: their command line names the run's file.
	pgrep -f -- "-o $file" >/dev/null && fail "$name: ring members outlived the run"
	run_ok "$RINGSCOPE" analyze "$file" --json
	grep -q '"complete": true' "$out/last.out" || fail "$name: the file does not read as complete"
	grep -q "\"samples\": $((2 * n))," "$out/last.out" ||
		fail "$name: not $((2 * n)) samples: $(grep '"samples"' "$out/last.out")"
	grep -q '"bad_messages": 0,' "$out/last.out" ||
		fail "$name: bad messages: $(grep '"bad_messages"' "$out/last.out")"
	echo "ok $name: $(grep -o 'p50 [0-9.]* us' "$out/$name.out")"
}

# A ring with more spinning members than the 2 CPUs (sqpoll, busypoll at 3 hops) takes
# milliseconds a round trip: fewer iterations keep the test short, the checks are the same.
for io in uring sqpoll busypoll blocking; do
	n=300
	[ $io = sqpoll ] && n=60
	ring "$io-1" 300 --io $io --hops 1
	ring "$io-3" $n --io $io --hops 3
	ring "$io-1-per-message" 100 --io $io --hops 1 --connect per-message
	ring "$io-3-per-message" $((n / 3)) --io $io --hops 3 --connect per-message
done
ring uring-3-netns 300 --io uring --hops 3 --domains netns
ring blocking-3-netns 300 --io blocking --hops 3 --domains netns
ring uring-3-netns-per-message 100 --io uring --hops 3 --domains netns --connect per-message
ring uring-3-pinned-1448 300 --io uring --hops 3 --cpus 0,1 --msg-size 1448
ring blocking-2-16 300 --io blocking --hops 2 --msg-size 16

# kill -9 of a forwarder with per-message connections, spinning: the run still ends with the
# member named (test_run_kill.sh covers the default mode).
"$RINGSCOPE" run --probe ring --io busypoll --connect per-message --hops 3 --runs 1 \
	--max-restarts 0 --iterations 100000000 -o "$out/killed.rst" >"$out/killed.out" 2>"$out/killed.err" &
pid=$!
for _ in $(seq 100); do [ "$(pgrep -c -P $pid)" -ge 2 ] && break; sleep 0.1; done
sleep 0.5
victim=$(pgrep -P $pid | head -n 1)
[ -n "$victim" ] || fail "no forwarder of run $pid to kill"
kill -9 "$victim"
wait $pid
rc=$?
[ $rc -eq 1 ] || fail "the run whose forwarder died exited $rc, not 1"
grep -q "ring member [12] (pid $victim) was killed by signal 9" "$out/killed.err" ||
	fail "the error does not name member $victim: $(cat "$out/killed.err")"
pgrep -f -- "-o $out/killed.rst" >/dev/null && fail "ring members outlived the killed run"
echo "ok killed: $(grep -o 'ring member.*' "$out/killed.err")"

# A size above one segment is refused before anything starts, naming the limit.
"$RINGSCOPE" run --probe ring --msg-size 1449 -o "$out/big.rst" >"$out/big.out" 2>&1 &&
	fail "--msg-size 1449 was accepted"
grep -q "at most 1448 bytes" "$out/big.out" || fail "no limit in: $(cat "$out/big.out")"
[ -e "$out/big.rst" ] && fail "a refused run created its file"
no_leftovers
echo "all ring modes passed"
