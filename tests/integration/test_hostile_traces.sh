#!/bin/bash
# SPDX-License-Identifier: MIT
# test_hostile_traces - every command that reads a trace, on the committed corpus
# (tests/data/trace-corpus): a hostile trace (a key of the wrong type, a run or iteration beyond
# what its probe declares) is refused with one error line naming the file, exit 1, and nothing
# left behind (no output, no temporary file); the valid traces, version 1 and 2, analyse and export.
. "$(dirname "$0")/lib.sh"
: "${RS_SOURCE_DIR:?set by ctest: the source tree}"
corpus=$RS_SOURCE_DIR/tests/data/trace-corpus
out=$RS_TEST_OUT
cd "$out" || fail "cannot enter $out"
R=$RINGSCOPE
valid=$corpus/valid-v2-null.rst

# refused CMD... - CMD exits 1 with one stderr line "ringscope: ..." naming the file ($f), and
# leaves this folder empty.
refused() {
	local rc=0
	"$@" >cmd.out 2>cmd.err </dev/null || rc=$?
	[ $rc -eq 1 ] || fail "'$*' exited $rc, not 1: $(head -c 300 cmd.err)"
	[ "$(grep -c . cmd.err)" -eq 1 ] || fail "'$*' did not print one error line: $(cat cmd.err)"
	grep -qF "ringscope: '$f'" cmd.err || fail "'$*': the error does not name '$f': $(cat cmd.err)"
	rm -f cmd.out cmd.err
	[ -z "$(ls -A)" ] || fail "'$*' left files: $(ls -A)"
}

# refused_json CMD... - the same under --json: the error is the one JSON document on stdout.
refused_json() {
	local rc=0
	"$@" >cmd.out 2>cmd.err </dev/null || rc=$?
	[ $rc -eq 1 ] || fail "'$*' exited $rc, not 1: $(head -c 300 cmd.out)"
	python3 -c 'import json, sys; assert sys.argv[2] in json.load(open(sys.argv[1]))["error"]' \
		cmd.out "$f" || fail "'$*': no {\"error\"} naming '$f' on stdout: $(cat cmd.out)"
	rm -f cmd.out cmd.err
	[ -z "$(ls -A)" ] || fail "'$*' left files: $(ls -A)"
}

# works CMD... - CMD exits 0.
works() { run_ok "$@"; rm -f -- *; }

n=0
for f in "$corpus"/hostile-*.rst; do
	refused "$R" analyze "$f"
	refused "$R" analyze "$f" --spikes 3
	refused_json "$R" analyze "$f" --json
	refused "$R" export "$f" --format perfetto -o out.json
	refused "$R" report "$f" -o out.html
	refused "$R" compare "$f" "$valid"
	case $(basename "$f") in
	hostile-type-*) # a wrong type stops the streaming reader too
		refused "$R" export "$f" -o out.csv
		refused "$R" export "$f" --what events -o out.csv ;;
	*) # a run number sizes nothing in a streamed export: it is written as it is
		works "$R" export "$f" -o out.csv ;;
	esac
	n=$((n + 1))
done
[ "$n" -ge 10 ] || fail "only $n hostile traces in $corpus"
for f in "$corpus"/valid-*.rst; do
	works "$R" analyze "$f" --spikes 3
	works "$R" export "$f" --format perfetto -o out.json
	works "$R" export "$f" --what events -o out.csv
done
echo "ok: $n hostile traces refused by every command, the valid ones read"
