#!/bin/bash
# SPDX-License-Identifier: MIT
# test_http - http-session against a real lighttpd in both configurations (one namespace, and the
# server in its own namespace over veth): all requests good, lighttpd and namespaces gone after;
# a URL with nothing listening and a lighttpd that cannot start are clear errors.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT
lighttpd_scratch
# ours_left - fail if a lighttpd of this test still runs or its folder is still there.
ours_left() {
	! pgrep -f "$TMPDIR/ringscope-lighttpd-" >/dev/null ||
		fail "lighttpd still runs after http-session: $(pgrep -af "$TMPDIR/ringscope-lighttpd-")"
	[ -z "$(ls -A "$TMPDIR")" ] || fail "lighttpd's folder left: $(ls "$TMPDIR")"
}

run_ok "$RINGSCOPE" http-session --requests 200 -o "$out/h.rst"
grep -q "^# trace: '$out/h.rst' (traced)" "$out/last.out" || fail "no line saying where the trace is"
ours_left
no_leftovers

run_ok "$RINGSCOPE" analyze "$out/h.rst" --json
python3 - "$out/last.out" <<'PY' || fail "http-session JSON: see above"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["complete"] and d["status"] == "ok", d.get("status")
got = [(p["probe"], p["config"]["domains"], p["config"]["connect"]) for p in d["probes"]]
want = [("http", "single", "per-message"), ("http", "netns", "per-message")]
assert got == want, f"configurations {got}, want {want}"
for p in d["probes"]:
    assert p["samples"] == 200, (p["config"]["domains"], p["samples"])
    assert p["bad_messages"] == 0, (p["config"]["domains"], "bad", p["bad_messages"])
    assert p["events"] > 0, (p["config"]["domains"], "no kernel events: untraced?")
    modes = p.get("patterns", {}).get("modes")
    assert modes is None or len(modes) >= 1, (p["config"]["domains"], "no mode")
PY

# Nothing listening: a clear error, exit 1.
"$RINGSCOPE" run --probe http --url http://127.0.0.1:1/ -r 1 -n 10 -o "$out/refused.rst" \
	>"$out/refused.out" 2>"$out/refused.err"
rc=$?
[ $rc -eq 1 ] || fail "a URL with nothing listening exited $rc, want 1"
grep -q "failed to connect to 'http://127.0.0.1:1/': Connection refused" "$out/refused.err" ||
	fail "unclear error for a refused connection: $(cat "$out/refused.err")"

# A malformed URL is bad usage.
"$RINGSCOPE" run --probe http --url http://example.com/ -o "$out/url.rst" 2>"$out/url.err"
[ $? -eq 2 ] || fail "a URL with a host name did not exit 2"
grep -q "not an IPv4 address" "$out/url.err" || fail "unclear URL error: $(cat "$out/url.err")"

# A lighttpd that cannot start (its configuration made invalid on the way): the error names
# its log and quotes lighttpd's own complaint; nothing left running.
cat >"$out/bad-lighttpd" <<'SH'
#!/bin/sh
# lighttpd -D -f CONF, with a syntax error appended to CONF first
for conf; do :; done
echo 'server.port = "unterminated' >>"$conf"
exec lighttpd "$@"
SH
chmod +x "$out/bad-lighttpd"
RINGSCOPE_LIGHTTPD="$out/bad-lighttpd" "$RINGSCOPE" http-session --requests 10 --no-trace \
	-o "$out/bad.rst" >"$out/bad.out" 2>"$out/bad.err"
rc=$?
[ $rc -eq 1 ] || fail "a lighttpd that cannot start: exit $rc, want 1"
logs=$(sed -n "s/.*see its log '\([^']*\)'.*/\1/p" "$out/bad.err" | sort -u)
[ -n "$logs" ] || fail "the error does not name a log: $(cat "$out/bad.err")"
for log in $logs; do
	[ -f "$log" ] || fail "the log named in the error does not exist: '$log'"
	rm -rf "$(dirname "$log")"
done
grep -q "missing closing quote" "$out/bad.err" || fail "the error does not quote the log: $(cat "$out/bad.err")"
no_leftovers
ours_left

# A server that accepts but never answers: the request times out with a clear error, no hang.
python3 - "$out/silent.port" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
time.sleep(60)
PY
silent=$!
for _ in $(seq 100); do [ -s "$out/silent.port" ] && break; sleep 0.1; done
[ -s "$out/silent.port" ] || { kill $silent; fail "the silent server did not start"; }
"$RINGSCOPE" run --probe http --url "http://127.0.0.1:$(cat "$out/silent.port")/" \
	--timeout-ms 200 -r 1 -n 5 -o "$out/silent.rst" >"$out/silent.out" 2>"$out/silent.err"
rc=$?
kill $silent
[ $rc -eq 1 ] || fail "a silent server: exit $rc, want 1"
grep -q "no response from 'http://127.0.0.1:[0-9]*/' within 200 ms" "$out/silent.err" ||
	fail "unclear error for a silent server: $(cat "$out/silent.err")"
exit 0
