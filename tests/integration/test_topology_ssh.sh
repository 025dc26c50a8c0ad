#!/bin/bash
# SPDX-License-Identifier: MIT
# test_topology_ssh - a ring member launched with an `ssh HOST` prefix, as on a real second host:
# a private sshd on this host's loopback (its own keys and port, started and stopped here) stands
# in for the remote one. The ring runs with per-hop stamps, survives the kill -9 of the member
# (relaunched through ssh), and the member exits by itself when the runner is killed.
. "$(dirname "$0")/lib.sh"
need_root
sshd=$(command -v sshd || echo /usr/sbin/sshd)
[ -x "$sshd" ] || skip "no sshd (Debian's openssh-server) to launch a member through"
command -v ssh >/dev/null || skip "no ssh client (Debian's openssh-client)"
out=$RS_TEST_OUT

ssh-keygen -q -t ed25519 -N "" -f "$out/host_key" && ssh-keygen -q -t ed25519 -N "" -f "$out/key" ||
	fail "ssh-keygen failed"
cp "$out/key.pub" "$out/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat >"$out/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $out/host_key
PermitRootLogin prohibit-password
AuthorizedKeysFile $out/authorized_keys
PasswordAuthentication no
StrictModes no
PidFile $out/sshd.pid
CONF
mkdir -p /run/sshd
"$sshd" -f "$out/sshd_config" -E "$out/sshd.log" || fail "sshd did not start: $(tail -n 3 "$out/sshd.log")"
trap 'kill "$(cat "$out/sshd.pid" 2>/dev/null)" 2>/dev/null' EXIT
ssh_prefix="ssh -p $port -i $out/key -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1"
for _ in $(seq 50); do $ssh_prefix true 2>/dev/null && break; sleep 0.1; done
$ssh_prefix true || fail "cannot log in through the private sshd: $(tail -n 3 "$out/sshd.log")"

cat >"$out/ssh.topo" <<TOPO
# member 1 "on another host": launched through ssh
member 0 role=master addr=127.0.0.1
member 1 role=forwarder addr=127.0.0.1 prefix="$ssh_prefix"
member 2 role=forwarder addr=127.0.0.1
TOPO
run_ok "$RINGSCOPE" run -p ring --topology "$out/ssh.topo" --msg-size 48 -r 2 -n 500 -o "$out/ssh.rst"
run_ok "$RINGSCOPE" analyze --json "$out/ssh.rst"
python3 - "$out/last.out" <<'PY' || fail "the ssh ring's trace: see above"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
assert p["samples"] == 1000 and p["bad_messages"] == 0 and p["lost"] == 0, p
assert "ssh -p" in p["config"]["topology"][1]["prefix"], p["config"]["topology"]
assert len(p["hops"]) == 3 and "residence_p50_ns" in p["hops"][0], p["hops"]
PY

# forwarder_pids - the ssh-launched member's processes (sshd runs it as a child of its session).
forwarder_pids() { pgrep -f "^$RINGSCOPE forwarder --index=1" || true; }

# kill -9 of the launched member mid-run: relaunched through ssh, the run completes.
"$RINGSCOPE" run -p ring --topology "$out/ssh.topo" -r 1 -n 100000 -o "$out/relaunch.rst" \
	>"$out/relaunch.out" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -n "$(forwarder_pids)" ] && break; sleep 0.1; done
victim=$(forwarder_pids)
[ -n "$victim" ] || fail "no ssh-launched forwarder"
sleep 0.5
kill -9 $victim
wait $pid || fail "the run whose ssh-launched member died exited $?: $(cat "$out/relaunch.out")"
run_ok "$RINGSCOPE" analyze --json "$out/relaunch.rst"
grep -Eq '"restarts": [1-9]' "$out/last.out" || fail "the ssh-launched member was not relaunched"

# kill -9 of the runner: the member, whose control channel (ssh's stdin) ends, exits by itself.
"$RINGSCOPE" run -p ring --topology "$out/ssh.topo" -r 1 -n 1000000 -o "$out/orphan.rst" \
	>/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -n "$(forwarder_pids)" ] && break; sleep 0.1; done
[ -n "$(forwarder_pids)" ] || fail "no ssh-launched forwarder to orphan"
kill -9 $pid
wait $pid 2>/dev/null
for _ in $(seq 50); do [ -z "$(forwarder_pids)" ] && break; sleep 0.1; done
[ -z "$(forwarder_pids)" ] || fail "the ssh-launched forwarder outlived the killed runner: $(forwarder_pids)"
echo "ok ssh-launched member: ring, relaunch, exit with its runner"
exit 0
