#!/bin/bash
# SPDX-License-Identifier: MIT
# test_output_paths - a path given to ringscope cannot turn it against the machine (issue 13,
# docs/outputs.md), as root and as an unprivileged user (nobody): a symbolic link at the output
# is refused and its target untouched; a device or FIFO is written in place, never replaced; a
# block device or socket is refused; a link planted at the old temporary name is never followed;
# in a folder every user can write, another user's file is refused and a non-sticky one is not
# used; the session's default name cannot be planted; SIGINT/SIGTERM leave no temporary file,
# folder or gnuplot; a hung gnuplot is stopped at --plot-timeout.
. "$(dirname "$0")/lib.sh"
need_root
out=$RS_TEST_OUT
R=$RINGSCOPE
chmod 755 "$out"
export TMPDIR=$out/tmp
mkdir -m 1777 "$TMPDIR"
echo secret >"$out/victim" && chmod 600 "$out/victim"
run_ok "$R" run -p null -r 1 -n 2000 -o "$out/t.rst"
chmod 644 "$out/t.rst"
T=$out/t.rst

# as WHO CMD... - CMD as root, or as nobody with no other group.
as() {
	local who=$1
	shift
	if [ "$who" = root ]; then
		"$@"
	else
		setpriv --reuid nobody --regid nogroup --clear-groups "$@"
	fi
}
# refused WHO WANT CMD... - CMD as WHO exits 2 with one line holding WANT.
refused() {
	local who=$1 want=$2 rc
	shift 2
	as "$who" "$@" >"$out/cmd.out" 2>"$out/cmd.err"
	rc=$?
	[ $rc -eq 2 ] && grep -q -- "$want" "$out/cmd.err" ||
		fail "$who: '$*' exited $rc, not 2 with '$want': $(cat "$out/cmd.err")"
	echo "ok $who: refused: $want"
}
# untouched - the root-only victim still holds what it held.
untouched() { [ "$(cat "$out/victim")" = secret ] || fail "the victim was written: $1"; }
# no_temporaries DIR - no hidden temporary file of ours in DIR, no report folder in TMPDIR.
no_temporaries() {
	! ls -A "$1" | grep -q '^\.' || fail "temporary files left in $1: $(ls -A "$1")"
	[ -z "$(ls -A "$TMPDIR")" ] || fail "temporary folders left: $(ls -A "$TMPDIR")"
}

# cases WHO - what every user gets, in a folder of WHO's own.
cases() {
	local who=$1 dir=$out/$1
	mkdir "$dir" && chown "$who" "$dir"
	cd "$dir" || fail "cannot enter $dir"
	# a link at the output: refused by every command that writes one, its target untouched
	as "$who" ln -s "$out/victim" link
	refused "$who" "output 'link' is a symbolic link" "$R" export "$T" -o link
	refused "$who" "output 'link' is a symbolic link" "$R" report "$T" -o link
	refused "$who" "output 'link' is a symbolic link" "$R" run -p null -o link
	refused "$who" "output 'link' is a symbolic link" "$R" session -o link
	refused "$who" "output 'link' is a symbolic link" "$R" http-session -o link
	untouched "links"
	[ -L link ] || fail "$who: the link was replaced"
	# a FIFO is written in place and stays one; /dev/null stays a device
	as "$who" mkfifo fifo
	as "$who" cat fifo >"$out/$who-from-fifo.csv" &
	run_ok as "$who" "$R" export "$T" -o fifo
	wait
	[ -p fifo ] && [ "$(wc -l <"$out/$who-from-fifo.csv")" -eq 2001 ] ||
		fail "$who: the FIFO was not written in place"
	run_ok as "$who" "$R" report "$T" -o /dev/null
	[ -c /dev/null ] || fail "$who: report -o /dev/null replaced /dev/null"
	echo "ok $who: a FIFO and /dev/null written in place"
	# a socket is refused
	python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("sock")' && chown "$who" sock
	refused "$who" "output 'sock' is a socket" "$R" export "$T" -o sock
	# a link planted at the old temporary name is never followed
	as "$who" ln -s "$out/victim" out.csv.tmp
	run_ok as "$who" "$R" export "$T" -o out.csv
	untouched "a planted out.csv.tmp"
	[ -L out.csv.tmp ] && [ "$(wc -l <out.csv)" -eq 2001 ] ||
		fail "$who: export with a planted OUT.tmp"
	echo "ok $who: a link planted at OUT.tmp is not followed"
	no_temporaries "$dir"
}

cases root
cases nobody
refused nobody "the folder '$out/root' is not writable" "$R" export "$T" -o "$out/root/x.csv"

# A regular file at the output is replaced, not written into: a hard link to it keeps its data.
ln "$out/victim" "$out/root/hard.csv"
run_ok "$R" export "$T" -o "$out/root/hard.csv"
untouched "a hard link at the output"
mknod "$out/root/null" c 1 3
run_ok "$R" report "$T" -o "$out/root/null"
[ -c "$out/root/null" ] || fail "report -o a character device turned it into a file"
echo "ok root: a hard link is replaced, a character device written in place"

# A shared sticky folder (/tmp's kind): another user's file there is refused, a link too; each
# user may write their own files.
shared=$out/shared
mkdir -m 1777 "$shared"
as nobody sh -c "echo mine >'$shared/planted.csv' && ln -s '$out/victim' '$shared/planted.html'"
refused root "output '$shared/planted.csv' belongs to another user (uid 65534) in a folder every user can write" \
	"$R" export "$T" -o "$shared/planted.csv"
refused root "output '$shared/planted.html' is a symbolic link" "$R" report "$T" -o "$shared/planted.html"
untouched "a shared folder"
[ "$(cat "$shared/planted.csv")" = mine ] || fail "root replaced nobody's file"
run_ok as nobody "$R" export "$T" -o "$shared/planted.csv"
run_ok "$R" export "$T" -o "$shared/root.csv"
echo "ok: in a sticky shared folder each user writes only their own files"
# A folder every user can write that is not sticky: another user could swap the file.
mkdir -m 777 "$out/open" && chown nobody "$out/open"
refused root "the folder '$out/open' of output '$out/open/x.csv' is writable by every user and not sticky" \
	"$R" export "$T" -o "$out/open/x.csv"
run_ok as nobody "$R" export "$T" -o "$out/open/x.csv"
echo "ok: a world-writable folder that is not sticky is only its owner's to write into"

# The session's default name cannot be planted: nobody plants the names of the next seconds as
# links to the victim; root's session makes a name of its own (six random characters, O_EXCL).
cd "$shared" || fail "cannot enter $shared"
host=$(uname -n)
for s in 0 1 2 3 4 5 6 7 8 9; do
	as nobody ln -s "$out/victim" "ringscope-session-$host-$(date -u -d "+$s sec" +%Y%m%d-%H%M%S).rst"
done
run_ok "$R" session -r 1 -n 10 --no-trace
untouched "planted session names"
made=$(sed -n "s/.*'ringscope analyze \(ringscope-session-[^ ']*\.rst\) --spikes.*/\1/p" "$out/last.out")
[[ "$made" =~ ^ringscope-session-$host-[0-9]{8}-[0-9]{6}-[A-Za-z0-9]{6}\.rst$ ]] && [ -f "$made" ] ||
	fail "the session's default name is not unique: '$made'"
echo "ok: the session wrote '$made'; the planted names are untouched"
cd "$out" || fail "cannot enter $out"

# A stop signal leaves no temporary file: an export killed while it writes...
run_ok "$R" run -p null -r 1 -n 1000000 -o "$out/big.rst"
mkdir "$out/sig"
for sig in INT TERM; do
	"$R" export "$out/big.rst" -o "$out/sig/big.csv" 2>/dev/null &
	pid=$!
	wait_for sh -c "ls -A '$out/sig' | grep -q '^\.big\.csv\.'"
	kill -$sig $pid
	wait $pid
	rc=$?
	[ $rc -ne 0 ] || fail "the export finished before SIG$sig (make big.rst larger)"
	[ -z "$(ls -A "$out/sig")" ] || fail "export killed by SIG$sig left: $(ls -A "$out/sig")"
	echo "ok: export killed by SIG$sig (exit $rc) left nothing"
done
# ...and a report killed while gnuplot runs: no page, no folder, no gnuplot (here one that hangs).
mkdir "$out/bin"
printf '#!/bin/sh\nexec sleep 1000 # ringscope-test-hung-gnuplot\n' >"$out/bin/gnuplot"
chmod 755 "$out/bin/gnuplot"
PATH=$out/bin:$PATH "$R" report "$T" -o "$out/sig/r.html" 2>/dev/null &
pid=$!
wait_for sh -c "pgrep -P $pid >/dev/null"
gnuplot=$(pgrep -P $pid)
kill -TERM $pid
wait $pid
rc=$?
[ $rc -eq 143 ] || fail "report killed by SIGTERM exited $rc, not 143"
wait_for sh -c "! kill -0 $gnuplot 2>/dev/null"
[ -z "$(ls -A "$out/sig")" ] && [ -z "$(ls -A "$TMPDIR")" ] ||
	fail "report killed by SIGTERM left: $(ls -A "$out/sig" "$TMPDIR")"
echo "ok: report killed by SIGTERM left no page, no folder and no gnuplot"
# A gnuplot that fails and says nothing: its empty log was read past the end of its buffer.
printf '#!/bin/sh\nexit 3\n' >"$out/bin/gnuplot"
PATH=$out/bin:$PATH "$R" report "$T" -o "$out/sig/r.html" 2>"$out/mute.err"
rc=$?
[ $rc -eq 1 ] && [ "$(cat "$out/mute.err")" = "ringscope: gnuplot failed (exit status 3): no message" ] ||
	fail "a mute failing gnuplot: exit $rc: $(cat "$out/mute.err")"
echo "ok: a gnuplot that fails with an empty log: 'no message'"
# A hung gnuplot is stopped at --plot-timeout: exit 1, one line, nothing left.
printf '#!/bin/sh\nexec sleep 1000 # ringscope-test-hung-gnuplot\n' >"$out/bin/gnuplot"
PATH=$out/bin:$PATH "$R" report "$T" -o "$out/sig/r.html" --plot-timeout 1s 2>"$out/hang.err"
rc=$?
[ $rc -eq 1 ] && grep -q "gnuplot did not finish a plot within 1000 ms and was stopped" "$out/hang.err" ||
	fail "a hung gnuplot: exit $rc: $(cat "$out/hang.err")"
[ -z "$(ls -A "$out/sig")" ] && [ -z "$(ls -A "$TMPDIR")" ] ||
	fail "a timed-out report left: $(ls -A "$out/sig" "$TMPDIR")"
echo "ok: a hung gnuplot was stopped after --plot-timeout 1s"
exit 0
