#!/bin/bash
# SPDX-License-Identifier: MIT
# test_http_kill - kill -9 of `ringscope http-session` while it measures over veth (lighttpd
# running in a namespace it made): lighttpd exits by itself, no BPF program stays, the file is
# readable, and the next start (of any recording command) removes the namespaces and lighttpd's
# folder. A lighttpd that outlives its killed runner (a wrapper forked it) is killed by the next
# start; a forked one is stopped with its wrapper at a normal end.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT
lighttpd_scratch
# serving PID - whether a lighttpd of runner PID runs in the server's namespace (member 1 of
# its namespaces: ringscope-PID-TOKEN-N-1).
serving() {
	ip netns list | awk -v p="^ringscope-$1-[0-9a-f]+-[0-9]+-1\$" '$1 ~ p {print $1}' |
		xargs -r -n1 ip netns pids 2>/dev/null | xargs -r ps -o comm= -p | grep -q lighttpd
}
# ours PID - pids of the lighttpd processes serving from runner PID's folders.
ours() { pgrep -f "$TMPDIR/ringscope-lighttpd-$1-"; }
# no_namespaces PID - fail if a namespace of runner PID is still there (others' runs may have
# theirs meanwhile: the machine is shared).
no_namespaces() {
	! ip netns list | grep -q "^ringscope-$1-" || fail "namespaces of $1 left: $(ip netns list)"
}
# alive PID - whether process PID runs (a zombie does not).
alive() { ps -o stat= -p "$1" | grep -vq Z; }
# gone PID - whether no lighttpd serves from runner PID's folders (a zombie serves nothing).
gone() { ! ours "$1" >/dev/null; }
# prog_ids PID - the ids of the BPF programs process PID holds (its fds' fdinfo names them).
prog_ids() { cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n 's/^prog_id:[[:space:]]*//p' | sort -u; }
# progs_gone IDS... - whether none of these BPF programs is loaded any more.
progs_gone() {
	local id
	for id; do ! bpftool prog show id "$id" >/dev/null 2>&1 || return 1; done
}
# kill_while_serving [ENV...] - start http-session, kill -9 it while the namespace
# configuration runs; sets $pid and $progs (the BPF programs it held).
kill_while_serving() {
	env "$@" "$RINGSCOPE" http-session --requests 50000 -o "$out/killed.rst" \
		>"$out/killed.out" 2>&1 &
	pid=$!
	wait_for serving $pid
	progs=$(prog_ids $pid)
	kill -9 $pid
	wait $pid 2>/dev/null
}

# A plain lighttpd gets SIGTERM when its runner dies (PR_SET_PDEATHSIG) and exits.
kill_while_serving
ip netns list | grep -q "^ringscope-$pid-" || fail "no namespace was left to clean up (test setup)"
ls -d "$TMPDIR/ringscope-lighttpd-$pid-"* >/dev/null 2>&1 || fail "no lighttpd folder was left"
wait_for gone $pid
if command -v bpftool >/dev/null; then
	[ -n "$progs" ] || fail "the killed http-session held no BPF program: untraced?"
	wait_for progs_gone $progs
fi
run_ok "$RINGSCOPE" analyze "$out/killed.rst" --json
grep -q '"complete": false' "$out/last.out" || fail "the killed session's file does not read as incomplete"
grep -q '"probe": "http"' "$out/last.out" || fail "the killed session's file lost its probes"
# The next start, of another command, removes the namespaces and the folder.
run_ok "$RINGSCOPE" run -p null -r 1 -n 10 -o "$out/next.rst" -v
grep -q "removed 1 lighttpd folders" "$out/last.err" || fail "the next run did not say it cleaned up: $(cat "$out/last.err")"
no_namespaces $pid
[ -z "$(ls -A "$TMPDIR")" ] || fail "lighttpd's folder left after the next start: $(ls "$TMPDIR")"
echo "ok: killed runner $pid: lighttpd exited, the next start removed its folder and namespaces"

# A wrapper that forks lighttpd (no exec): the wrapper dies with the runner, the server lives on.
cat >"$out/forking-lighttpd" <<'SH'
#!/bin/sh
lighttpd "$@" &
wait
SH
chmod +x "$out/forking-lighttpd"
kill_while_serving RINGSCOPE_LIGHTTPD="$out/forking-lighttpd"
sleep 0.5
orphan=$(ours $pid)
[ -n "$orphan" ] || fail "the forked lighttpd did not outlive its runner (test setup)"
run_ok "$RINGSCOPE" http-session --requests 20 --no-trace -o "$out/next-http.rst"
for p in $orphan; do
	! alive "$p" || fail "the next start left the orphaned lighttpd $p running"
done
no_namespaces $pid
[ -z "$(ls -A "$TMPDIR")" ] || fail "folders left after the next start: $(ls "$TMPDIR")"
echo "ok: the orphaned lighttpd" $orphan "was killed by the next start"

# At a normal end, the forked server is stopped with its wrapper (its process group).
RINGSCOPE_LIGHTTPD="$out/forking-lighttpd" "$RINGSCOPE" http-session --requests 20 --no-trace \
	-o "$out/forked.rst" >"$out/forked.out" 2>&1 &
pid=$!
wait $pid || fail "http-session with a forked lighttpd exited $?: $(tail -n 5 "$out/forked.out")"
! pgrep -f "$TMPDIR/ringscope-lighttpd-" >/dev/null ||
	fail "a forked lighttpd outlived http-session: $(pgrep -af "$TMPDIR/ringscope-lighttpd-")"
[ -z "$(ls -A "$TMPDIR")" ] || fail "folders left after http-session: $(ls "$TMPDIR")"
no_namespaces $pid
echo "ok: a forked lighttpd stops with http-session"
exit 0
