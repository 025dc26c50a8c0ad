#!/bin/bash
# SPDX-License-Identifier: MIT
# test_duplex - `run --probe ring --hops 2 --reply same-connection` (the forwarder answers on the
# master's connection, a TCP ping-pong) in every io mode: each run exits 0 with every sample
# good, per-hop stamps and config.reply in the trace, and while it runs `ss` sees exactly ONE
# established TCP connection between the master and its forwarder (the default ring, checked
# the same way, shows two), and no listener of the master. With --connect per-message (a
# connection per message, the answer on it) every mode too: all samples good while the master
# never listens, so every answer came back on a connection the master opened. Also across
# namespaces, through a launched forwarder (a topology file), and the refusals (hops not 2).
. "$(dirname "$0")/lib.sh"
need_root
out=$RS_TEST_OUT
[ -e /proc/sys/kernel/io_uring_disabled ] && [ "$(cat /proc/sys/kernel/io_uring_disabled)" != 0 ] &&
	skip "io_uring is disabled (kernel.io_uring_disabled)"
command -v ss >/dev/null || skip "'ss' (iproute2) is not installed"

# sockets PIDS - the established TCP sockets of processes PIDS ("a|b"), one line each:
# "LOCAL PEER".
sockets() {
	ss -tnpH state established | grep -E "pid=($1)," | awk '{print $3, $4}' | sort
}

# paired FILE - the two lines of FILE are the two ends of one connection.
paired() {
	local a b
	read -r a b < <(sed -n 1p "$1")
	[ "$(sed -n 2p "$1")" = "$b $a" ]
}

# look NAME PID WANT - one look at the established sockets of run PID and its forwarder into
# $out/NAME.ss, their number into $count (-1: no forwarder yet). With WANT 2, two sockets must be
# the two ends of one connection and the master must not listen.
look() {
	local name=$1 pid=$2 want=$3 kids
	count=-1
	kids=$(pgrep -P "$pid" | paste -sd'|')
	[ -n "$kids" ] || return 0
	sockets "$pid|$kids" >"$out/$name.ss"
	count=$(wc -l <"$out/$name.ss")
	[ "$want" -eq 2 ] || return 0
	[ "$count" -eq 2 ] && ! paired "$out/$name.ss" &&
		fail "$name: the two sockets are not one connection: $(cat "$out/$name.ss")"
	! ss -tlnpH | grep -q "pid=$pid," || fail "$name: the master listens"
}

# watch_ring NAME PID WANT - look at the ring's sockets while run PID lasts: some look must see
# WANT established sockets between its members, none more.
watch_ring() {
	local name=$1 pid=$2 want=$3 seen=0 max=0 i
	for i in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || break
		look "$name" "$pid" "$want"
		[ "$count" -gt "$max" ] && max=$count && cp "$out/$name.ss" "$out/$name.max"
		[ "$count" -eq "$want" ] && seen=$((seen + 1)) && cp "$out/$name.ss" "$out/$name.want"
		[ $seen -ge 5 ] && break
		sleep 0.05
	done
	[ $seen -ge 1 ] || fail "$name: never saw $want established sockets of the ring (at most $max)"
	[ "$max" -le "$want" ] ||
		fail "$name: $max established sockets, not $want: $(cat "$out/$name.max")"
	echo "ok $name: $want established sockets: $(paste -sd' ' "$out/$name.want")"
}

# never_listens NAME PID - while run PID lasts (once its forwarder is up), the master has no
# listening socket: an answer can only come back on a connection the master opened.
never_listens() {
	local name=$1 pid=$2 seen=0 i
	for i in $(seq 300); do
		kill -0 "$pid" 2>/dev/null || break
		if pgrep -P "$pid" >/dev/null; then
			ss -tlnpH | grep -q "pid=$pid," &&
				fail "$name: the master listens: $(ss -tlnpH | grep "pid=$pid,")"
			seen=$((seen + 1))
		fi
		[ $seen -ge 5 ] && break
		sleep 0.05
	done
	[ $seen -ge 1 ] || fail "$name: the run ended before its forwarder was seen"
	echo "ok $name: the master never listened"
}

# check_trace NAME FILE SAMPLES REPLY - complete, all samples good, config.reply, per-hop times.
check_trace() {
	run_ok "$RINGSCOPE" analyze "$2" --json
	python3 - "$out/last.out" "$3" "$4" <<'EOF' || fail "$1: the trace is not as expected"
import json, sys
d = json.load(open(sys.argv[1]))
p = d["probes"][0]
want = {"samples": int(sys.argv[2]), "bad_messages": 0, "lost": 0}
got = {k: p[k] for k in want}
assert got == want, "got %s, want %s" % (got, want)
assert p["config"]["reply"] == sys.argv[3], "config.reply is %s" % p["config"]["reply"]
hops = p.get("hops") or []
assert [(h["from"], h["to"]) for h in hops] == [(0, 1), (1, 0)], "hops %s" % hops
assert hops[0]["residence_p50_ns"] is not None, "no residence time in the forwarder"
EOF
}

# ring NAME WANT OPTIONS... - a paced 2-hop run of 2 x 2000 iterations with 32-byte messages
# (room for the forwarder's stamps), its sockets watched while it runs (WANT established
# sockets; "-": only that the master never listens), its trace checked.
ring() {
	local name=$1 want=$2 file="$out/$1.rst" pid rc reply=next-connection
	shift 2
	[[ " $* " == *" same-connection "* ]] && reply=same-connection
	"$RINGSCOPE" run --probe ring --hops 2 --msg-size 32 --runs 2 --iterations 2000 \
		--interval-us 500 --warmup 20 --timeout-ms 10000 "$@" -o "$file" \
		>"$out/$name.out" 2>"$out/$name.err" &
	pid=$!
	if [ "$want" = - ]; then
		never_listens "$name" $pid
	else
		watch_ring "$name" $pid "$want"
	fi
	wait $pid
	rc=$?
	[ $rc -eq 0 ] || fail "$name: 'ringscope run $*' exited $rc: $(tail -n 3 "$out/$name.err")"
	check_trace "$name" "$file" 4000 "$reply"
	echo "ok $name: $(grep -o 'p50 [0-9.]* us' "$out/$name.out")"
}

for io in uring sqpoll busypoll blocking; do
	ring "$io" 2 --io $io --reply same-connection
	ring "$io-per-message" - --io $io --reply same-connection --connect per-message
done
# The same watch sees the default ring's two connections: the check tells them apart.
ring default-ring 4 --io blocking

# Across two namespaces (veth), and with a forwarder launched through a prefix (topology file).
if ip netns add "ringscope-probe-$$" 2>/dev/null; then
	ip netns del "ringscope-probe-$$"
	run_ok "$RINGSCOPE" run --probe ring --hops 2 --reply same-connection --domains netns \
		--msg-size 32 --runs 2 --iterations 300 --timeout-ms 10000 -o "$out/netns.rst"
	check_trace netns "$out/netns.rst" 600 same-connection
	no_leftovers
	echo "ok netns"
fi
printf '%s\n' 'member 0 role=master addr=127.0.0.1' \
	'member 1 role=forwarder addr=127.0.0.1 prefix="env"' >"$out/two.topo"
ring launched 2 --topology "$out/two.topo" --reply same-connection

# refused NAME MESSAGE OPTIONS... - exit 2 with MESSAGE, nothing written.
refused() {
	local name=$1 msg=$2 rc
	shift 2
	"$RINGSCOPE" run --probe ring "$@" -o "$out/$name.rst" >"$out/$name.out" 2>"$out/$name.err"
	rc=$?
	[ $rc -eq 2 ] || fail "$name: exited $rc, not 2"
	grep -qF -- "$msg" "$out/$name.err" || fail "$name: no '$msg' in: $(cat "$out/$name.err")"
	[ -e "$out/$name.rst" ] && fail "$name: wrote a file"
	echo "ok refused $name: $(head -n 1 "$out/$name.err")"
}
refused hops1 "--reply same-connection needs --hops 2" --hops 1 --reply same-connection
refused hops3 "--reply same-connection needs --hops 2" --hops 3 --reply same-connection
printf 'member 0 role=master\nmember 1 role=forwarder\nmember 2 role=forwarder\n' >"$out/three.topo"
refused topology3 "needs --hops 2 (a topology file of 2 members)" --topology "$out/three.topo" \
	--reply same-connection
refused name "--reply 'ping' is not one of: next-connection, same-connection" --reply ping
echo "ok test_duplex"
