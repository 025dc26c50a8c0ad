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

# refused NAME WHY OPTIONS... - a run that must be refused before anything starts: exit 2,
# WHY in its message, no file.
refused() {
	local name=$1 why=$2
	shift 2
	"$RINGSCOPE" run --probe ring "$@" -o "$out/$name.rst" >"$out/$name.out" 2>&1 &&
		fail "$name: 'ringscope run --probe ring $*' was accepted"
	grep -q -- "$why" "$out/$name.out" || fail "$name: no '$why' in: $(cat "$out/$name.out")"
	[ -e "$out/$name.rst" ] && fail "$name: a refused run created its file"
	echo "ok $name: refused"
}

# SQPOLL threads of two members on one CPU take it from each other for a time slice per hop:
# refused with the reason, whether the CPU is given or there are more members than CPUs.
refused sqpoll-one-cpu "two members on CPU 0" --io sqpoll --hops 2 --cpus 0
refused sqpoll-list "two members on CPU 1" --io sqpoll --hops 3 --cpus 1,0,1
sqpoll3=yes
if [ "$(nproc)" -lt 3 ]; then
	refused sqpoll-3 "3 members and fewer CPUs" --io sqpoll --hops 3
	sqpoll3=no
fi
# Busy polling members that share a CPU (3 hops on 2 CPUs) yield after each empty poll.
for io in uring sqpoll busypoll blocking; do
	ring "$io-1" 300 --io $io --hops 1
	ring "$io-1-per-message" 100 --io $io --hops 1 --connect per-message
	[ $io = sqpoll ] && [ $sqpoll3 = no ] && continue
	ring "$io-3" 300 --io $io --hops 3
	ring "$io-3-per-message" 100 --io $io --hops 3 --connect per-message
done
ring busypoll-2-one-cpu 300 --io busypoll --hops 2 --cpus 0
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
