#!/bin/bash
# SPDX-License-Identifier: MIT
# test_isolation - what a root-run measurement leaves to, and takes from, the rest of the machine
# (issue 13, docs/outputs.md): two runs in separate PID namespaces (both pid 1) keep their own
# network namespaces, and a run deletes only the namespaces of runs that died; the binary's path
# reaches ssh's remote shell quoted; the local http configuration's lighttpd is out of other
# users' reach; a traced run killed with kill -9 still reports its events; on a nearly full disk
# the samples keep their room.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT
R=$RINGSCOPE

# Two runs in separate PID namespaces are both pid 1: each makes, uses and removes its own
# namespaces (they shared the name ringscope-1-I, and the second deleted the first's).
pids=()
for side in a b; do
	unshare --pid --fork "$R" run -p ring --hops 3 --domains netns -r 3 -n 20000 \
		-o "$out/$side.rst" >"$out/$side.out" 2>&1 &
	pids+=($!)
done
for i in 0 1; do
	wait ${pids[$i]} || fail "a run in its own PID namespace failed: $(cat "$out/a.out" "$out/b.out")"
done
! ip netns list | grep -q '^ringscope-1-' || fail "namespaces left: $(ip netns list)"
echo "ok: two runs as pid 1 in separate PID namespaces kept their own namespaces"

# A namespace named as ours whose lock a live run holds is that run's: the next run's sweep
# leaves it; once its lock is let go (the run died), the next run removes it.
mkdir -p /run/ringscope
ip netns add ringscope-99999-0badc0de-0-0
# one process holds the lock (a sleep that has it open), so that killing it lets go of the lock
sh -c 'exec 9>/run/ringscope/0badc0de.lock && flock 9 && exec sleep 600' &
holder=$!
wait_for test -e /run/ringscope/0badc0de.lock
run_ok "$R" run -p null -r 1 -n 10 -o "$out/next.rst"
ip netns list | grep -q '^ringscope-99999-0badc0de-0-0' ||
	fail "a run deleted a namespace whose owner lives"
kill $holder
wait $holder 2>/dev/null
run_ok "$R" run -p null -r 1 -n 10 -o "$out/next.rst" -v
grep -q "removed 1 network namespaces left by killed runs" "$out/last.err" ||
	fail "the namespace of a dead run was not removed: $(cat "$out/last.err")"
! ip netns list | grep -q '^ringscope-99999-' || fail "left: $(ip netns list)"
[ ! -e /run/ringscope/0badc0de.lock ] || fail "the dead run's lock file was left"
echo "ok: only the namespaces of a dead run (its lock free) are removed"

# The binary's path goes to ssh's remote shell quoted: a path holding ';' ran a command. Here
# "ssh" is a stand-in that runs its command through sh -c, as sshd hands it to a login shell.
mkdir -p "$out/bin" "$out/a;touch $out/pwned;b"
printf '#!/bin/sh\nwhile [ $# -gt 0 ]; do case $1 in -*) shift ;; *) shift; break ;; esac; done\nexec sh -c "$*"\n' \
	>"$out/bin/ssh"
chmod 755 "$out/bin/ssh"
cp "$R" "$out/a;touch $out/pwned;b/ringscope"
printf 'member 0 role=master\nmember 1 role=forwarder prefix="ssh host-b"\n' >"$out/ssh.topo"
PATH=$out/bin:$PATH run_ok "$out/a;touch $out/pwned;b/ringscope" run -p ring -F "$out/ssh.topo" \
	-r 1 -n 1000 -o "$out/ssh.rst"
[ ! -e "$out/pwned" ] || fail "the remote shell ran a command from the binary's path"
echo "ok: a binary under a path with ';' runs through an ssh prefix as itself"

# As root, the local http configuration serves from a namespace of its own: another user of the
# machine cannot reach it (it served on the machine's loopback).
if command -v lighttpd >/dev/null; then
	lighttpd_scratch
	"$R" http-session --requests 200000 --no-trace -o "$out/http.rst" >"$out/http.out" 2>&1 &
	pid=$!
	wait_for sh -c "pgrep -f '$TMPDIR/ringscope-lighttpd-$pid-' >/dev/null"
	server=$(pgrep -f "$TMPDIR/ringscope-lighttpd-$pid-" | head -n 1)
	[ "$(readlink /proc/"$server"/ns/net)" != "$(readlink /proc/self/ns/net)" ] ||
		fail "the root-run lighttpd serves in the machine's own network namespace"
	kill -INT $pid
	wait $pid
	echo "ok: the local configuration's lighttpd serves in a private network namespace"
else
	echo "note: no lighttpd case: lighttpd is not installed"
fi

# A traced run killed with kill -9: its first TRACER chunk says what was traced, and analyze
# counts the events the file holds (it reported no events and no lost_events).
"$R" run -p ring --hops 2 -r 100 -n 5000 --trace -o "$out/killed.rst" >"$out/killed.out" 2>&1 &
pid=$!
wait_for sh -c "[ \$(stat -c %s '$out/killed.rst' 2>/dev/null || echo 0) -gt 1000000 ]"
kill -9 $pid
wait $pid 2>/dev/null
if grep -q "untraced" "$out/killed.out"; then
	echo "note: no traced-kill case: $(grep untraced "$out/killed.out")"
else
	"$R" analyze "$out/killed.rst" --json >"$out/killed.json" 2>"$out/killed.err" ||
		fail "analyze of the killed traced run: $(cat "$out/killed.err")"
	python3 - "$out/killed.json" <<'PY' || fail "the killed traced run reports no events"
import json, sys
p = json.load(open(sys.argv[1]))["probes"][0]
assert p["samples"] > 0 and p["events"] > 0 and "lost_events" in p, p
PY
	"$R" analyze "$out/killed.rst" >/dev/null 2>"$out/killed.err"
	grep -q "lacks the tracer's last report" "$out/killed.err" ||
		fail "analyze did not say the tracer's last report is missing: $(cat "$out/killed.err")"
	echo "ok: a traced run killed with kill -9 reports the events its file holds"
fi

# A nearly full disk with --trace-detail full: events no longer take the samples' room (the
# file held 0 samples); they are dropped and counted, and the run says so.
mkdir -p "$out/small"
if mount -t tmpfs -o size=24m tmpfs "$out/small"; then
	trap 'umount "$out/small" 2>/dev/null' EXIT
	"$R" run -p ring --hops 3 -r 2 -n 100000 --trace --untraced-runs none --trace-detail full \
		-o "$out/small/full.rst" >"$out/full.out" 2>"$out/full.err"
	if grep -q "untraced" "$out/full.err"; then
		echo "note: no full-disk case: $(grep untraced "$out/full.err")"
	else
		grep -q "the disk is nearly full: [0-9]* kernel events were dropped to keep room for the samples" \
			"$out/full.err" || fail "no word of the dropped events: $(cat "$out/full.err")"
		run_ok "$R" analyze "$out/small/full.rst" --json
		python3 -c 'import json, sys; p = json.load(open(sys.argv[1]))["probes"][0]; assert p["samples"] == 200000, p["samples"]' \
			"$out/last.out" || fail "the samples did not fit beside the events"
		echo "ok: on a nearly full disk the 200000 samples kept their room"
	fi
else
	echo "note: no full-disk case: cannot mount a tmpfs here"
fi
no_leftovers
exit 0
