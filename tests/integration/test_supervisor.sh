#!/bin/bash
# SPDX-License-Identifier: MIT
# test_supervisor - the ring's supervisor and its own measurements: per-hop stamps in the trace
# and in analyze; a stalled member (kill -STOP) costs one lost message and a rebuild, and the run
# completes. Topology files: a ring whose forwarder is launched with `ip netns exec` into a
# namespace this test makes, survives its kill -9 and dies with a killed runner; an unreachable
# member, a port in use and a CPU that does not exist are clear errors.
. "$(dirname "$0")/lib.sh"
need_root
out=$RS_TEST_OUT

# Per-hop stamps: a 3-hop ring with 48-byte messages has 3 hops, 2 of them into forwarders.
run_ok "$RINGSCOPE" run -p ring --hops 3 --msg-size 48 -r 1 -n 300 -o "$out/hops.rst"
run_ok "$RINGSCOPE" analyze "$out/hops.rst" --json
[ "$(grep -c '"wire_p50_ns"' "$out/last.out")" -eq 3 ] || fail "not 3 hops: $(cat "$out/last.out")"
[ "$(grep -c '"residence_p99_ns"' "$out/last.out")" -eq 2 ] || fail "not 2 forwarder residences"
run_ok "$RINGSCOPE" analyze "$out/hops.rst"
grep -q '^  1->2 ' "$out/last.out" || fail "no per-hop table: $(cat "$out/last.out")"
# Too small for stamps (16 + 16 x 2 = 48 bytes needed): no hops, and the run is fine.
run_ok "$RINGSCOPE" run -p ring --hops 3 --msg-size 47 -r 1 -n 100 -o "$out/small.rst"
run_ok "$RINGSCOPE" analyze "$out/small.rst" --json
grep -q '"hops": \[' "$out/last.out" && fail "a 47-byte message at 3 hops has per-hop times"

# A stall: every member alive, nothing comes back within --timeout-ms. One lost message, the
# ring rebuilt, exit 0.
"$RINGSCOPE" run -p ring --hops 3 -r 1 -n 20000 --interval-us 100 --timeout-ms 300 \
	-o "$out/stall.rst" >"$out/stall.out" 2>"$out/stall.err" &
pid=$!
for _ in $(seq 100); do [ "$(pgrep -c -P $pid)" -ge 2 ] && break; sleep 0.1; done
sleep 0.5
victim=$(pgrep -P $pid | head -n 1)
[ -n "$victim" ] || fail "no forwarder to stop"
kill -STOP "$victim"
wait $pid
rc=$?
[ $rc -eq 0 ] || fail "the stalled run exited $rc: $(cat "$out/stall.err")"
run_ok "$RINGSCOPE" analyze "$out/stall.rst" --json
grep -Eq '"lost": [1-9]' "$out/last.out" || fail "the stall lost nothing"
grep -Eq '"restarts": [1-9]' "$out/last.out" || fail "the stall rebuilt nothing"
kill -0 "$victim" 2>/dev/null && fail "the stopped member $victim outlived the run"

# A namespace joined to this one by a veth pair: 198.18.201.1 here, 198.18.201.2 there.
ns=rs-sup-$$
cleanup() { ip netns del "$ns" 2>/dev/null; kill "${holder:-}" 2>/dev/null; }
trap cleanup EXIT
ip netns add "$ns" || fail "cannot create namespace $ns"
ip link add rs-sup-$$a type veth peer name rs-sup-$$b netns "$ns" || fail "cannot create a veth pair"
ip addr add 198.18.201.1/24 dev rs-sup-$$a && ip link set rs-sup-$$a up &&
	ip -n "$ns" addr add 198.18.201.2/24 dev rs-sup-$$b && ip -n "$ns" link set rs-sup-$$b up &&
	ip -n "$ns" link set lo up || fail "cannot address the veth pair"
cat >"$out/netns.topo" <<TOPO
# the master here, a forwarder launched into $ns
member 0 role=master addr=198.18.201.1 cpu=0
member 1 role=forwarder addr=198.18.201.2 netns=$ns prefix="ip netns exec $ns"
TOPO
run_ok "$RINGSCOPE" run -p ring --topology "$out/netns.topo" --msg-size 32 -r 2 -n 200 \
	-o "$out/netns.rst"
run_ok "$RINGSCOPE" analyze "$out/netns.rst" --json
grep -q '"complete": true' "$out/last.out" || fail "the topology run's file is not complete"
grep -q '"samples": 400,' "$out/last.out" || fail "not 400 samples from the topology run"
grep -q '"residence_p50_ns"' "$out/last.out" || fail "the launched forwarder did not stamp"

# The launched forwarder killed mid-run is launched again; the run completes.
"$RINGSCOPE" run -p ring --topology "$out/netns.topo" -r 1 -n 20000 --interval-us 100 \
	-o "$out/relaunch.rst" >"$out/relaunch.out" 2>"$out/relaunch.err" &
pid=$!
for _ in $(seq 100); do pgrep -P $pid >/dev/null && break; sleep 0.1; done
sleep 0.5
victim=$(pgrep -P $pid | head -n 1)
grep -q forwarder "/proc/$victim/cmdline" || fail "member $victim is not a launched forwarder"
kill -9 "$victim"
wait $pid || fail "the run whose launched forwarder died exited $?: $(cat "$out/relaunch.err")"
run_ok "$RINGSCOPE" analyze "$out/relaunch.rst" --json
grep -Eq '"restarts": [1-9]' "$out/last.out" || fail "the launched forwarder was not restarted"

# kill -9 of the runner: the launched forwarder exits by itself (PR_SET_PDEATHSIG survives
# `ip netns exec`, which execs without a fork; its control channel ends too).
"$RINGSCOPE" run -p ring --topology "$out/netns.topo" -r 1 -n 1000000 --interval-us 100 \
	-o "$out/orphan.rst" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do pgrep -P $pid >/dev/null && break; sleep 0.1; done
sleep 0.5
victim=$(pgrep -P $pid | head -n 1)
[ -n "$victim" ] || fail "no launched forwarder to orphan"
kill -9 $pid
wait $pid 2>/dev/null
for _ in $(seq 50); do kill -0 "$victim" 2>/dev/null || break; sleep 0.1; done
kill -0 "$victim" 2>/dev/null && fail "the launched forwarder $victim outlived the killed runner"

# A launched forwarder on another host gets no PR_SET_PDEATHSIG: it exits when its control
# channel (stdin) ends. Drive `ringscope forwarder` through the protocol, then close it.
cat >"$out/eof.py" <<'PY'
import socket, struct, subprocess, sys, time
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
nxt = socket.socket(); nxt.bind(("127.0.0.1", 0)); nxt.listen()
p = subprocess.Popen([sys.argv[1], "forwarder", "--index=1", "--listen=127.0.0.1:0",
                      "--next=127.0.0.1", "--hops=2", "--msg-size=4", "--io=uring",
                      "--connect=persistent"], stdin=b, stdout=b)
b.close()
def report():
    buf = b""
    while len(buf) < 208:
        chunk = a.recv(208 - len(buf))
        assert chunk, "the forwarder closed its control channel"
        buf += chunk
    err, port = struct.unpack_from("<iH", buf)
    assert err == 0, buf[8:].split(b"\0")[0]
    return port
port = report()
a.sendall(struct.pack("<iH", 0, nxt.getsockname()[1]).ljust(208, b"\0"))
prev = socket.create_connection(("127.0.0.1", port))
report()
a.close()  # the runner is gone: the control channel ends
try:
    p.wait(timeout=5)
except subprocess.TimeoutExpired:
    p.kill(); print("FAIL: the forwarder outlived its control channel"); sys.exit(1)
print("ok: the forwarder exited", p.returncode, "when its control channel ended")
PY
python3 "$out/eof.py" "$RINGSCOPE" || fail "the forwarder did not notice its control channel's end"

# Clear errors: an address no member can have, a port in use, a member that cannot reach the
# next one, a CPU that does not exist.
bad_topology() {
	local name=$1 want=$2 code=$3
	"$RINGSCOPE" run -p ring --topology "$out/$name.topo" -r 1 -n 10 --timeout-ms 500 \
		-o "$out/$name.rst" >"$out/$name.out" 2>&1
	local rc=$?
	[ $rc -eq "$code" ] || fail "$name: exited $rc, not $code: $(cat "$out/$name.out")"
	grep -q "$want" "$out/$name.out" || fail "$name: no '$want' in: $(cat "$out/$name.out")"
	echo "ok $name: $(grep -o 'ringscope: .*' "$out/$name.out" | head -n 1)"
}
printf 'member 0 role=master addr=198.18.201.1\nmember 1 role=forwarder addr=198.18.77.1 prefix="ip netns exec %s"\n' \
	"$ns" >"$out/unreachable.topo"
bad_topology unreachable "ring member 1 cannot listen on '198.18.77.1:0': .*(give that member an addr= of its own host or namespace in '.*unreachable.topo')" 1
python3 -c 'import socket, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(60)' >"$out/port" &
holder=$!
for _ in $(seq 50); do [ -s "$out/port" ] && break; sleep 0.1; done
printf 'member 0 role=master\nmember 1 role=forwarder port=%s\n' "$(cat "$out/port")" >"$out/inuse.topo"
bad_topology inuse "ring member 1 cannot listen on '127.0.0.1:$(cat "$out/port")': Address already in use (free the port, or give that member another port= in '.*inuse.topo'" 1
# A member that cannot reach the next one: the master listens on this namespace's loopback,
# which the forwarder in $ns cannot see; the error is the forwarder's own report, with the address.
printf 'member 0 role=master addr=127.0.0.1\nmember 1 role=forwarder addr=198.18.201.2 netns=%s\n' \
	"$ns" >"$out/noroute.topo"
bad_topology noroute "ring member 1 cannot connect to the next member at '127.0.0.1:[0-9]*': Connection refused" 1
printf 'member 0 role=master\nmember 1 role=forwarder cpu=4000\n' >"$out/nocpu.topo"
bad_topology nocpu "line 2: CPU 4000 does not exist" 2
no_leftovers
echo "ok supervisor"
exit 0
