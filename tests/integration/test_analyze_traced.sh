#!/bin/bash
# SPDX-License-Identifier: MIT
# test_analyze_traced - analyze of a traced run reports its kernel events and lost events per
# probe, in JSON and in the text table's metadata.
. "$(dirname "$0")/lib.sh"
need_root

out=$RS_TEST_OUT
trace=$out/syscall.rst
"$RINGSCOPE" run --probe syscall --runs 2 --iterations 2000 --trace -o "$trace" \
	>"$out/run.out" 2>"$out/run.err" || fail "run --trace failed: $(tail -n 3 "$out/run.err")"
! grep -q 'this run is untraced' "$out/run.err" || skip "tracer unavailable: $(head -1 "$out/run.err")"

run_ok "$RINGSCOPE" analyze "$trace"
grep -Eq '^# kernel events [0-9]+, lost events [0-9]+$' "$out/last.out" ||
	fail "no kernel events line: $(grep '^#' "$out/last.out")"

run_ok "$RINGSCOPE" analyze --json "$trace"
python3 - "$out/last.out" <<'PY' || fail "JSON check failed"
import json, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
# puts flushes its buffer with write(): a traced syscall probe sees syscalls in its span
assert p["events"] > 0, p
assert p["lost_events"] >= 0, p
PY
exit 0
