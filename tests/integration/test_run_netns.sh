#!/bin/bash
# SPDX-License-Identifier: MIT
# test_run_netns - a netns ring run leaves no namespace behind: after it ends, after SIGINT and
# after SIGTERM mid-run (exit 130 / 143), and the file is finalized each time.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

# status_is FILE STATUS - analyze --json reads FILE as complete with END status STATUS.
status_is() {
	run_ok "$RINGSCOPE" analyze "$1" --json
	grep -q "\"status\": \"$2\"" "$out/last.out" ||
		fail "'$1' is not finalized with status $2: $(grep -m3 -e status -e complete "$out/last.out")"
}

# wait_netns PID - until the run PID has made its namespaces (or fail after 20 s).
wait_netns() {
	for _ in $(seq 200); do
		ip netns list | grep -q "^ringscope-$1-" && return 0
		kill -0 "$1" 2>/dev/null || fail "the run ended before it made its namespaces"
		sleep 0.1
	done
	fail "no namespace of run $1 appeared"
}

# A whole run, 3 hops across 3 namespaces, then nothing left.
run_ok "$RINGSCOPE" run -p ring --domains netns --hops 3 -r 2 -n 200 -w 10 -o "$out/netns.rst"
no_leftovers
status_is "$out/netns.rst" ok

# --keep-ring: one set of namespaces for all runs, removed at the end.
run_ok "$RINGSCOPE" run -p ring --domains netns --hops 2 --keep-ring -r 3 -n 100 -o "$out/keep.rst"
no_leftovers
status_is "$out/keep.rst" ok

# interrupt SIGNAL CODE - stop a long paced run mid-way; it exits CODE, finalized, nothing left.
interrupt() {
	"$RINGSCOPE" run -p ring --domains netns --hops 3 -r 3 -n 100000 --interval-us 200 \
		-o "$out/$1.rst" >"$out/$1.out" 2>"$out/$1.err" &
	pid=$!
	wait_netns $pid
	sleep 0.5
	kill -"$1" $pid
	wait $pid
	rc=$?
	[ $rc -eq "$2" ] || fail "run stopped by $1 exited $rc, not $2: $(cat "$out/$1.err")"
	no_leftovers
	status_is "$out/$1.rst" interrupted
}
interrupt INT 130
interrupt TERM 143
exit 0
