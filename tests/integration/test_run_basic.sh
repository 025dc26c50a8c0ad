#!/bin/bash
# SPDX-License-Identifier: MIT
# test_run_basic - `ringscope run` with the null and syscall probes writes a finalized trace that
# analyze reads; bad usage exits 2 and creates nothing.
. "$(dirname "$0")/lib.sh"

out=$RS_TEST_OUT

# magic_ok FILE - the file starts with the trace magic.
magic_ok() { [ "$(head -c 8 "$1")" = "RNGSCOPE" ] || fail "'$1' does not start with RNGSCOPE"; }

# null probe: file written, summary names it, analyze --json sees every sample.
run_ok "$RINGSCOPE" run --probe null --runs 2 --iterations 500 --warmup 10 -o "$out/null.rst"
magic_ok "$out/null.rst"
grep -q "1000 samples" "$out/last.out" || fail "summary lacks the sample count: $(cat "$out/last.out")"
grep -q "$out/null.rst" "$out/last.out" || fail "summary does not say where the file is"
[ ! -s "$out/last.err" ] || fail "stderr is not empty without a terminal: $(cat "$out/last.err")"
run_ok "$RINGSCOPE" analyze "$out/null.rst" --json
grep -q '"probe": "null"' "$out/last.out" || fail "analyze --json lacks the null probe"
grep -q '"samples": 1000' "$out/last.out" || fail "analyze --json does not count 1000 samples"
grep -q '"status": "ok"' "$out/last.out" || fail "the trace is not finalized with status ok"

# syscall probe to a real file with a small buffer: the sink gets every line.
run_ok "$RINGSCOPE" run -p syscall -r 1 -n 300 -w 0 --sink "$out/sink.txt" --stdio-buffer 1K \
	--text hello --cpus 0 --json -o "$out/syscall.rst"
magic_ok "$out/syscall.rst"
grep -q '"samples": 300' "$out/last.out" || fail "run --json lacks the samples: $(cat "$out/last.out")"
[ "$(grep -c '^hello$' "$out/sink.txt")" -eq 300 ] || fail "the sink does not hold 300 lines"
run_ok "$RINGSCOPE" analyze "$out/syscall.rst" --json
grep -q '"probe": "syscall"' "$out/last.out" || fail "analyze --json lacks the syscall probe"

# paced: intended start times are recorded, and analyze still reads the file.
run_ok "$RINGSCOPE" run -p null -r 1 -n 200 --interval-us 100 -o "$out/paced.rst"
run_ok "$RINGSCOPE" analyze "$out/paced.rst" --json

# --help describes units and exits 0.
run_ok "$RINGSCOPE" run --help
grep -q -- "--interval-us" "$out/last.out" && grep -q "ns, us, ms, s" "$out/last.out" ||
	fail "--help does not describe --interval-us and its units"

# bad usage: exit 2, one line naming the problem, no file.
bad() {
	rm -f "$out/bad.rst"
	"$RINGSCOPE" run "$@" >"$out/bad.out" 2>"$out/bad.err"
	rc=$?
	[ $rc -eq 2 ] || fail "'run $*' exited $rc, not 2"
	[ ! -e "$out/bad.rst" ] || fail "'run $*' created the output file"
	[ "$(wc -l <"$out/bad.err")" -eq 1 ] || fail "'run $*' did not print one line: $(cat "$out/bad.err")"
}
bad -p null -o "$out/bad.rst" --runs 0
bad -p null -o "$out/bad.rst" --iterations 10x
bad -p null -o "$out/bad.rst" --cpus 4095
bad -p null -o "$out/bad.rst" --interval-us 5min
bad -p nope -o "$out/bad.rst"
bad -p ring -o "$out/bad.rst" --msg-size 1449
grep -q 1448 "$out/bad.err" || fail "the --msg-size error does not name the limit 1448"
bad -p ring -o "$out/bad.rst" --hops 17
bad -p ring -o "$out/bad.rst" --io epoll
bad -p null -o "$out/bad.rst" stray
bad -p null
bad -p null -o "$out/no-such-folder/bad.rst"
exit 0
