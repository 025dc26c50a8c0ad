#!/bin/bash
# SPDX-License-Identifier: MIT
# test_supervisor - the ring's supervisor and its own measurements: per-hop stamps in the trace
# and in analyze; a stalled member (kill -STOP) costs one lost message and a rebuild, and the run
# completes.
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
echo "ok supervisor"
exit 0
