# SPDX-License-Identifier: MIT
# lib.sh - shared helpers of the integration tests: skip with a reason (exit 77), fail loudly.
set -u
: "${RINGSCOPE:?set by ctest: path of the ringscope binary}"
: "${RS_TEST_OUT:?set by ctest: scratch folder of this test}"
rm -rf "$RS_TEST_OUT" && mkdir -p "$RS_TEST_OUT"

# skip REASON - this test cannot run here; say why in one line.
skip() { echo "SKIP: $*"; exit 77; }
# fail MESSAGE - the test failed; say what.
fail() { echo "FAIL: $*" >&2; exit 1; }
# need_root - skip unless root.
need_root() { [ "$(id -u)" -eq 0 ] || skip "needs root (run ctest as root)"; }
# need_netns - skip unless network namespaces can be created.
need_netns() {
	need_root
	ip netns add "ringscope-probe-$$" 2>/dev/null || skip "cannot create network namespaces"
	ip netns del "ringscope-probe-$$"
}
# run_ok CMD... - run, fail with its output if it exits non-zero.
run_ok() { "$@" >"$RS_TEST_OUT/last.out" 2>"$RS_TEST_OUT/last.err" ||
	fail "'$*' exited $?: $(tail -n 5 "$RS_TEST_OUT/last.err")"; }
# no_leftovers - fail if a ringscope network namespace outlived the runner that made it
# (ringscope-<runner pid>-<member>); a runner still alive is another test's, or another user's.
no_leftovers() {
	local ns pid left=()
	for ns in $(ip netns list 2>/dev/null | awk '/^ringscope-/ {print $1}'); do
		pid=${ns#ringscope-}
		pid=${pid%%-*}
		kill -0 "$pid" 2>/dev/null || left+=("$ns")
	done
	[ ${#left[@]} -eq 0 ] || fail "namespaces left: ${left[*]}"
}
# wait_for CONDITION... - until the command succeeds (or fail after 30 s).
wait_for() {
	for _ in $(seq 300); do
		"$@" && return 0
		sleep 0.1
	done
	fail "timed out waiting for: $*"
}
# lighttpd_scratch - skip without lighttpd; its folders go under $RS_TEST_OUT/tmp (TMPDIR), so
# that this test's servers and folders are told from anyone else's.
lighttpd_scratch() {
	command -v lighttpd >/dev/null || skip "lighttpd not installed (scripts/setup installs it)"
	export TMPDIR=$RS_TEST_OUT/tmp
	mkdir -p "$TMPDIR"
}
# run_traced FILE ARGS... - `ringscope run ARGS --trace -o FILE`, its output in run.out and
# run.err; skip when the tracer is unavailable (the run then says it is untraced).
run_traced() {
	local file=$1
	shift
	"$RINGSCOPE" run "$@" --trace -o "$file" >"$RS_TEST_OUT/run.out" 2>"$RS_TEST_OUT/run.err" ||
		fail "run --trace failed: $(tail -n 3 "$RS_TEST_OUT/run.err")"
	! grep -q 'this run is untraced' "$RS_TEST_OUT/run.err" ||
		skip "tracer unavailable: $(head -1 "$RS_TEST_OUT/run.err")"
}
