#!/bin/bash
# SPDX-License-Identifier: MIT
# test_progress_tty - the progress line of a session on a terminal (a pty from script(1)): one
# line rewritten in place for the whole session, each probe labelled by its configuration and
# counted k/6, an ETA only once something was timed (naming the kinds not timed yet), erased at
# the end; not on a terminal, one "measuring" line per probe with the session's ETA once every
# kind left was timed; `run` on a terminal, one stage.
. "$(dirname "$0")/lib.sh"
need_netns
command -v script >/dev/null || skip "script(1) is not installed (util-linux)"
out=$RS_TEST_OUT

script -qec "'$RINGSCOPE' session --no-trace --runs 2 --iterations 300 -o '$out/s.rst' \
	>'$out/s.out'" "$out/s.tty" >/dev/null || fail "session on a pty failed: $(tail -c 300 "$out/s.tty")"
python3 - "$out/s.tty" <<'PY' || fail "the session's progress line: see above"
import re, sys
raw = open(sys.argv[1], "rb").read().decode()
body = raw[raw.index("\n") + 1:raw.rindex("Script done")] if "Script done" in raw else raw
body = body.rstrip("\r\n")
assert "\n" not in body.replace("\r\n", "\n").strip("\n"), f"more than one line: {body!r}"
assert body.endswith("\r\x1b[K"), f"the line is not erased at the end: {body[-40:]!r}"
draws = [d[:-3] for d in body.split("\r") if d.endswith("\x1b[K") and d != "\x1b[K"]
want = ["null (probe 1/6)", "vmexit (probe 2/6)", "syscall (probe 3/6)",
        "ring 1-hop (probe 4/6)", "ring 3-hop (probe 5/6)", "ring 3-hop netns (probe 6/6)"]
seen = [w for w in want if any(d.startswith(w + "  ") for d in draws)]
assert seen == want, f"labels drawn {seen}, want {want}"
assert not any(d.startswith("ring:") for d in draws), "a bare 'ring:' label"
line = re.compile(r"^(.+?)(?: \(probe (\d)/6\))?  runs (\d+)/2  iterations (\d+)/600  "
                  r"ETA (-|\d+:\d\d(?: \+ [a-z, ]+, not timed yet)?)(?:  |$)")
parsed = []
for d in draws:
    m = line.match(d)
    assert m, f"unexpected line {d!r}"
    parsed.append(m)
assert parsed[0].group(5) == "-", f"an ETA before anything was timed: {draws[0]!r}"
for m in parsed:
    assert int(m.group(4)) == 300 * int(m.group(3)), f"iterations do not follow runs: {m.group(0)!r}"
assert parsed[-1].group(3) == "2" and parsed[-1].group(4) == "600", draws[-1]
assert any(m.group(5) != "-" for m in parsed), "no ETA at all"
PY
grep -q "^# probe 5 'ring'" "$out/s.out" || fail "the analysis is missing from stdout"

# Not on a terminal: a plain line per probe, the session's ETA once every kind left was timed.
run_ok "$RINGSCOPE" session --no-trace --runs 2 --iterations 300 -o "$out/p.rst"
python3 - "$out/last.err" <<'PY' || fail "the measuring lines: see above"
import re, sys
lines = [l for l in open(sys.argv[1]).read().splitlines() if "measuring" in l]
assert len(lines) == 6, lines
for k, l in enumerate(lines, 1):
    m = re.search(r"\.\.\. \(probe (\d) of 6(, ETA \d+:\d\d)?\)$", l)
    assert m and int(m.group(1)) == k, l
    # a probe's rate says nothing of another's: an ETA once a probe of every kind left ran
    # (null, vmexit and syscall are each alone; the 3-hop rings follow the 1-hop ring)
    assert (m.group(2) is not None) == (k > 4), f"ETA only once every kind left was timed: {l}"
assert "\r" not in open(sys.argv[1]).read(), "a terminal's carriage return in a file"
PY

# `run` on a terminal: one stage, no "probe k/n".
script -qec "'$RINGSCOPE' run --probe ring --hops 3 --runs 2 --iterations 200 -o '$out/r.rst' \
	>/dev/null" "$out/r.tty" >/dev/null || fail "run on a pty failed: $(tail -c 300 "$out/r.tty")"
grep -aq $'\rring 3-hop  runs 2/2  iterations 400/400  ETA ' "$out/r.tty" ||
	fail "run's progress line: $(tr '\r' '\n' <"$out/r.tty" | tail -n 4)"
no_leftovers
