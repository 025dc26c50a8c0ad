#!/bin/bash
# SPDX-License-Identifier: MIT
# test_run_kill - kill -9 of the runner leaves a readable file and namespaces the next run
# removes; kill -9 of a ring forwarder ends the run with an error naming the lost member.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

# wait_for CONDITION... - until the command succeeds (or fail after 20 s).
wait_for() {
	for _ in $(seq 200); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for: $*"
}

# kill -9 of the runner in a netns run.
"$RINGSCOPE" run -p ring --domains netns --hops 3 -r 1 -n 1000000 --interval-us 100 \
	-o "$out/killed.rst" >"$out/killed.out" 2>&1 &
pid=$!
wait_for sh -c "ip netns list | grep -q '^ringscope-$pid-'"
sleep 1
kill -9 $pid
wait $pid 2>/dev/null
ip netns list | grep -q "^ringscope-$pid-" || fail "no namespace was left to clean up (test setup)"
run_ok "$RINGSCOPE" analyze "$out/killed.rst" --json
grep -q '"complete": false' "$out/last.out" || fail "the killed run's file does not read as incomplete"
grep -q '"probe": "ring"' "$out/last.out" || fail "the killed run's file lost its probe"
# The next run (of any probe) removes what the killed one left.
run_ok "$RINGSCOPE" run -p null -r 1 -n 10 -o "$out/next.rst"
no_leftovers

# kill -9 of a forwarder: the run ends with exit 1 naming the member, the file says why.
"$RINGSCOPE" run -p ring --hops 3 -r 1 -n 1000000 --interval-us 100 -o "$out/member.rst" \
	>"$out/member.out" 2>"$out/member.err" &
pid=$!
wait_for sh -c "pgrep -P $pid >/dev/null"
sleep 1
victim=$(pgrep -P $pid | head -n 1)
kill -9 "$victim"
wait $pid
rc=$?
[ $rc -eq 1 ] || fail "the run whose forwarder died exited $rc, not 1"
grep -q "ring member [0-9]* (pid $victim) was killed by signal 9" "$out/member.err" ||
	fail "the error does not name the killed member $victim: $(cat "$out/member.err")"
run_ok "$RINGSCOPE" analyze "$out/member.rst" --json
grep -q '"status": "error"' "$out/last.out" || fail "the file does not end with status error"
grep -q "pid $victim" "$out/last.out" || fail "the file's error does not name the member"
pgrep -P $pid >/dev/null && fail "forwarders outlived the run"
exit 0
