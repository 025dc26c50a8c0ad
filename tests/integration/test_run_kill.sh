#!/bin/bash
# SPDX-License-Identifier: MIT
# test_run_kill - kill -9 of the runner leaves a readable file and namespaces the next run
# removes, and its forwarders exit by themselves; kill -9 of a ring forwarder is survived
# (restart, one lost message); a forwarder that keeps dying ends the run with an error naming it
# after its restarts; a full disk is a clear error, its file readable.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

# kill -9 of the runner in a netns run.
"$RINGSCOPE" run -p ring --domains netns --hops 3 -r 1 -n 1000000 --interval-us 100 \
	-o "$out/killed.rst" >"$out/killed.out" 2>&1 &
pid=$!
wait_for sh -c "ip netns list | grep -q '^ringscope-$pid-'"
wait_for sh -c "[ \$(pgrep -c -P $pid) -ge 2 ]"
sleep 1
forwarders=$(pgrep -P $pid)
kill -9 $pid
wait $pid 2>/dev/null
# its forwarders exit by themselves (PR_SET_PDEATHSIG, and their connections end)
for f in $forwarders; do
	wait_for sh -c "! ps -o stat= -p $f | grep -vq Z"
done
ip netns list | grep -q "^ringscope-$pid-" || fail "no namespace was left to clean up (test setup)"
run_ok "$RINGSCOPE" analyze "$out/killed.rst" --json
grep -q '"complete": false' "$out/last.out" || fail "the killed run's file does not read as incomplete"
grep -q '"probe": "ring"' "$out/last.out" || fail "the killed run's file lost its probe"
# The next run (of any probe) removes what the killed one left.
run_ok "$RINGSCOPE" run -p null -r 1 -n 10 -o "$out/next.rst"
! ip netns list | grep -q "^ringscope-$pid-" || fail "the next run left: $(ip netns list)"

# kill -9 of a forwarder: the supervisor restarts it, the message in flight is lost, and the
# run completes (exit 0) with lost >= 1 and restarts >= 1 in its summary and in the file.
"$RINGSCOPE" run -p ring --hops 3 -r 1 -n 30000 --interval-us 100 -o "$out/member.rst" \
	>"$out/member.out" 2>"$out/member.err" &
pid=$!
wait_for sh -c "[ \$(pgrep -c -P $pid) -ge 2 ]"
sleep 1
victim=$(pgrep -P $pid | head -n 1)
kill -9 "$victim"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "the run whose forwarder was restarted exited $rc: $(cat "$out/member.err")"
# its summary says so: "..., 1 lost, 1 restart."
grep -Eq ', [1-9][0-9]* lost, [1-9][0-9]* restarts?\.$' "$out/member.out" ||
	fail "the summary does not show the loss and the restart: $(cat "$out/member.out")"
run_ok "$RINGSCOPE" analyze "$out/member.rst" --json
grep -q '"status": "ok"' "$out/last.out" || fail "the file does not end with status ok"
grep -Eq '"lost": [1-9]' "$out/last.out" || fail "no lost message: $(grep '"lost"' "$out/last.out")"
grep -Eq '"restarts": [1-9]' "$out/last.out" || fail "no restart: $(grep '"restarts"' "$out/last.out")"
grep -q '"iteration":' "$out/last.out" || fail "the lost message's iteration is not listed"
pgrep -P $pid >/dev/null && fail "forwarders outlived the run"

# A member that keeps dying: after --max-restarts (3) restarts the run ends with exit 1 and the
# error names the member.
"$RINGSCOPE" run -p ring --hops 2 -r 1 -n 100000000 -o "$out/dying.rst" \
	>"$out/dying.out" 2>"$out/dying.err" &
pid=$!
last=
for _ in 1 2 3 4 5 6; do
	victim=
	for _ in $(seq 100); do
		victim=$(pgrep -P $pid | head -n 1)
		[ -n "$victim" ] && [ "$victim" != "$last" ] && break
		sleep 0.1
	done
	kill -0 $pid 2>/dev/null || break
	[ -n "$victim" ] && [ "$victim" != "$last" ] || fail "no new forwarder after $last"
	sleep 0.2
	kill -9 "$victim"
	last=$victim
done
wait $pid
rc=$?
[ $rc -eq 1 ] || fail "the run whose member kept dying exited $rc, not 1"
grep -q "ring member 1 (pid $last) was killed by signal 9; restarted 3 times" "$out/dying.err" ||
	fail "the error does not name the member $last: $(cat "$out/dying.err")"
run_ok "$RINGSCOPE" analyze "$out/dying.rst" --json
grep -q '"restarts": 3' "$out/last.out" || fail "not 3 restarts: $(grep '"restarts"' "$out/last.out")"
pgrep -P $pid >/dev/null && fail "forwarders outlived the run"

# A full disk: the run ends with exit 1 and says what to do, its file reads up to its last whole
# chunk, and a session stops at the first probe that cannot be written.
mkdir -p "$out/small"
# 64 KB. How well samples pack depends on the machine's jitter: the null probe's 100,000 took
# 180 KB (2026-12-03), 94 KB and 61 KB (2026-12-04), so the session measures 1,000,000, which no
# packing fits in 64 KB, and its first probe is the one that fills the disk (it stops there).
if ! mount -t tmpfs -o size=64k tmpfs "$out/small"; then
	echo "note: no full-disk case: cannot mount a tmpfs here"
	exit 0
fi
trap 'umount "$out/small" 2>/dev/null' EXIT
"$RINGSCOPE" run -p null -r 3 -n 100000 -o "$out/small/full.rst" >"$out/full.out" 2>"$out/full.err"
rc=$?
[ $rc -eq 1 ] || fail "a run on a full disk exited $rc, not 1"
grep -q "failed to finalize '.*full.rst': No space left on device (free space, or give -o" \
	"$out/full.err" || fail "no clear error for a full disk: $(cat "$out/full.err")"
grep -q "trace '.*full.rst' is incomplete" "$out/full.out" ||
	fail "the summary does not say the file is incomplete: $(cat "$out/full.out")"
run_ok "$RINGSCOPE" analyze "$out/small/full.rst" --json
grep -q '"complete": false' "$out/last.out" || fail "the full disk's file does not read as incomplete"
rm -f "$out/small/"*
"$RINGSCOPE" session -r 1 -n 1000000 -T --json -o "$out/small/s.rst" >"$out/fulls.out" \
	2>"$out/fulls.err"
rc=$?
[ $rc -eq 1 ] || fail "a session on a full disk exited $rc, not 1"
grep -q "probe 'null (no syscall)' failed: .*No space left on device" "$out/fulls.err" ||
	fail "the session did not say which probe failed: $(cat "$out/fulls.err")"
[ "$(grep -c "failed:" "$out/fulls.err")" -eq 1 ] ||
	fail "the session went on measuring into a full disk: $(cat "$out/fulls.err")"
python3 -c 'import json, sys; print("ok: session --json says:", json.load(open(sys.argv[1]))["error"])' \
	"$out/fulls.out" || fail "session --json on a full disk: not one JSON document: $(cat "$out/fulls.out")"
exit 0
