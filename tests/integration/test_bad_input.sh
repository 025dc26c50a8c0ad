#!/bin/bash
# SPDX-License-Identifier: MIT
# test_bad_input - bad input to run, session, http-session, export, report and compare: one error
# line that names the subject, exit 2 for bad usage and 1 for a file that cannot be made or read,
# no trace file and no network namespace left behind (BPF programs are owned by the fds of a
# process that has exited).
. "$(dirname "$0")/lib.sh"
out=$RS_TEST_OUT
cd "$out" || fail "cannot enter $out"
run_ok "$RINGSCOPE" run -p null -r 1 -n 10 -o good.rst
echo "not a trace" >junk.rst
mkdir folder
inputs=$(ls)

# bad CODE WANT CMD... - CMD exits CODE with one stderr line "ringscope: ..." containing WANT,
# and makes no file here and no namespace (named after its pid: other tests may run meanwhile).
bad() {
	local code=$1 want=$2 rc pid line
	shift 2
	"$@" >cmd.out 2>cmd.err </dev/null &
	pid=$!
	wait $pid
	rc=$?
	! ip netns list 2>/dev/null | grep -q "^ringscope-$pid-" || fail "'$*' left a namespace"
	[ $rc -eq "$code" ] || fail "'$*' exited $rc, not $code: $(cat cmd.err)"
	[ "$(grep -c . cmd.err)" -eq 1 ] || fail "'$*' did not print one error line: $(cat cmd.err)"
	grep -q "^ringscope: .*$want" cmd.err || fail "'$*': no '$want' in: $(cat cmd.err)"
	rm -f cmd.out cmd.err
	[ "$(ls)" = "$inputs" ] || fail "'$*' left files: $(ls | grep -vxF "$inputs")"
	line="$*"
	echo "ok $code: ${line:0:120}"
}
R=$RINGSCOPE
bad 2 "--hops '0' is out of range: 1..16" "$R" run -p ring --hops 0 -o x.rst
bad 2 "--msg-size 100000 is more than one TCP segment" "$R" run -p ring --msg-size 100000 -o x.rst
bad 2 "CPU 99 is not online" "$R" run -p ring --cpus 99 -o x.rst
bad 2 "--iterations 'abc' is not a whole number" "$R" run -p null -n abc -o x.rst
bad 2 "--runs '0' is out of range" "$R" run -p null -r 0 -o x.rst
bad 2 "unknown option '--bogus'" "$R" run -p null --bogus -o x.rst
bad 2 "--output is empty: give a file name" "$R" run -p null -o ""
bad 2 "no output file: give one with -o FILE" "$R" run -p null
bad 2 "the folder of output '/nonexistent/x.rst' does not exist" "$R" run -p null -o /nonexistent/x.rst
bad 2 "output 'folder' is a folder" "$R" run -p null -o folder
bad 2 "--sink '/nonexistent/x' cannot be created: its folder '/nonexistent'" "$R" run -p syscall --sink /nonexistent/x -o x.rst
bad 2 "--sink 'folder' is a folder" "$R" run -p syscall --sink folder -o x.rst
bad 2 "cannot open topology file 'missing.topo'" "$R" run -p ring --topology missing.topo -o x.rst
[ "$(id -u)" -eq 0 ] && # /proc passes the folder check as root, then cannot hold a file
	bad 1 "failed to create '/proc/x.rst': the folder '/proc' takes no new file: .* (give a file in a writable folder)" \
		"$R" run -p null -n 10 -o /proc/x.rst
bad 2 "--output is empty: give a file name" "$R" session -o ""
bad 2 "--output is over 4095 bytes: give a shorter path" "$R" session -o "$(printf 'x%.0s' $(seq 5000))"
bad 2 "CPU 99 is not online" "$R" session --cpus 99 -o x.rst
bad 2 "--iterations '0' is out of range: 1..1000000000" "$R" session -n 0 -o x.rst
bad 2 "--output is empty: give a file name" "$R" http-session -o ""
bad 2 "--requests '5x' is not a whole number" "$R" http-session --requests 5x -o x.rst
bad 2 "unexpected argument 'extra'" "$R" http-session extra
bad 2 "--format 'xml' is not one of: csv, perfetto" "$R" export good.rst --format xml -o x.csv
bad 1 "failed to open 'missing.rst'" "$R" export missing.rst --format csv -o x.csv
bad 1 "'junk.rst' is not a ringscope trace" "$R" report junk.rst -o x.html
bad 2 "--output is empty: give a file name" "$R" export good.rst -o ""
bad 2 "--output is empty: give a file name" "$R" report good.rst -o ""
bad 2 "output 'folder' is a folder: give a file name" "$R" export good.rst -o folder
bad 2 "output 'folder' is a folder: give a file name" "$R" report good.rst -o folder
bad 2 "the folder of output '/nonexistent/x.csv' does not exist" "$R" export good.rst -o /nonexistent/x.csv
bad 2 "the folder of output '/nonexistent/x.html' does not exist" "$R" report good.rst -o /nonexistent/x.html
# Without -o, a missing or foreign input prints nothing on stdout (no CSV header first).
for what in samples events; do
	for in in missing.rst junk.rst; do
		"$R" export "$in" --what $what >cmd.out 2>/dev/null
		rc=$?
		[ $rc -eq 1 ] && [ ! -s cmd.out ] ||
			fail "export $in --what $what: exit $rc, stdout: $(head -c 200 cmd.out)"
		rm -f cmd.out
		echo "ok 1: export $in --what $what (nothing on stdout)"
	done
done
# A bad value names its option, also when the value is the next word.
bad 2 "--spikes 'x' is not a whole number" "$R" analyze good.rst --spikes x
bad 2 "--spikes '0' is out of range: 1..1000000" "$R" analyze good.rst --spikes=0
bad 2 "--spike-k 'x' is not a number" "$R" analyze good.rst --spike-k x
bad 2 "--spike-min-ratio '-1' is out of range: 0..1000000" "$R" analyze good.rst --spike-min-ratio -1
bad 2 "--spike-min-excess '5x' is not a time (ns, us, ms or s)" "$R" analyze good.rst --spike-min-excess 5x
bad 2 "'--spikes' needs a value" "$R" analyze good.rst --spikes
bad 2 "unknown option '-x'" "$R" analyze good.rst -xv
bad 2 "--spikes 'x' is not a whole number" "$R" report good.rst -s x -o x.html
bad 2 "--spikes '0' is out of range: 1..1000" "$R" report good.rst --spikes 0 -o x.html
bad 2 "unknown option '-x'" "$R" compare -xv good.rst good.rst
bad 2 "unknown option '-x'" "$R" export good.rst -xN
bad 1 "failed to open 'missing.rst'" "$R" compare good.rst missing.rst
bad 2 "unknown command 'nosuch'" "$R" nosuch

# The sweep of issue 13: conflicting options are refused, not settled by their order...
printf 'member 0 role=master\nmember 1 role=forwarder\n' >two.topo
inputs=$(ls)
bad 2 "--trace-detail is how a traced session traces: give it or --no-trace, not both" "$R" session --no-trace --trace-detail full -o x.rst
bad 2 "--iterations and --requests set the same thing: give one of them" "$R" http-session -n 5 --requests 7 -o x.rst
bad 2 "--runs and --paper set the same thing (--paper means --runs 50 --iterations 10000): give one of them, or the preset first" "$R" session --runs 3 --paper -o x.rst
bad 2 "--hops 5, but 'two.topo' lists 2 members: give one of them" "$R" run -p ring -F two.topo --hops 5 -o x.rst
bad 2 "--topology places every member (CPU, namespace): give it without --cpus" "$R" run -p ring -F two.topo --cpus 0 -o x.rst
bad 2 "--topology places every member (CPU, namespace): give it without --domains" "$R" run -p ring -F two.topo --domains netns -o x.rst
# ...and values say what is wrong with them
bad 2 "--probe needs a value NAME, not the option '-o' after it" "$R" run --probe -o x.rst
bad 2 "--cpus '0-99999' names a CPU above 4095" "$R" run -p null --cpus 0-99999 -o x.rst
bad 2 "--cpus '3-1' has a range that ends below its start (write 1-3, not 3-1)" "$R" run -p null --cpus 3-1 -o x.rst
bad 2 "--iterations '1e6' is not a whole number: digits only, 1000000, not 1e6" "$R" run -p null -n 1e6 -o x.rst
bad 2 "--interval-us '0.5ms' is not a time (ns, us, ms or s) in whole numbers: 500us, not 0.5ms" "$R" run -p null -i 0.5ms -o x.rst
# Memory the options would take is checked before anything starts (-n 1000000000 with 16 hops
# of stamped messages is 136 bytes per iteration: 680 GB)
bad 2 "5 runs x 1000000000 iterations of 'ring' need up to .* GB of memory as they are measured (136 bytes per iteration, twice that while its arrays grow), more than the .* GB available: give fewer --runs or --iterations" \
	"$R" run -p ring --hops 16 --msg-size 1448 -n 1000000000 -o x.rst
bad 2 "50 runs x 1000000000 iterations of 'null' need up to 800.0 GB" "$R" session -r 50 -n 1000000000 -o x.rst
rm two.topo
inputs=$(ls)

# A topology file made to break the parser is refused with its line (unit: test_topology_file)
printf '"member 0 role=master\n' >quote.topo
printf 'member 0 role=master\nmember 1 role=forwarder\n\0member 2 role=forwarder\n' >nul.topo
inputs=$(ls)
bad 2 "'quote.topo' line 1: a quoted value is not closed" "$R" run -p ring -F quote.topo -o x.rst
bad 2 "'nul.topo' line 3: a NUL byte (at offset 45): a topology file is text" "$R" run -p ring -F nul.topo -o x.rst
rm quote.topo nul.topo
inputs=$(ls)

# What cannot be written to stdout is an error, not a success (> /dev/full exited 0)
for cmd in "analyze good.rst" "analyze good.rst --json" "compare good.rst good.rst" "export good.rst"; do
	"$R" $cmd >/dev/full 2>cmd.err
	rc=$?
	[ $rc -eq 1 ] && grep -q "^ringscope: failed to write" cmd.err ||
		fail "'$cmd > /dev/full' exited $rc: $(cat cmd.err)"
	rm -f cmd.err
	echo "ok 1: $cmd > /dev/full"
done

# Under --json, wherever it stands, the error is the one JSON document on stdout.
"$R" run -p null -n abc --json -o x.rst >cmd.out 2>cmd.err
rc=$?
[ $rc -eq 2 ] || fail "run -n abc --json exited $rc, not 2"
python3 -c 'import json, sys; e = json.load(open("cmd.out"))["error"]; assert "abc" in e, e' ||
	fail "run -n abc --json did not print its error as JSON: $(cat cmd.out cmd.err)"
rm -f cmd.out cmd.err
echo "ok 2: run -p null -n abc --json"

exit 0
