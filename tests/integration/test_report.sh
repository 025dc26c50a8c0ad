#!/bin/bash
# SPDX-License-Identifier: MIT
# test_report - `ringscope report` of a real traced session: one self-contained HTML file with
# every section, --compare adds the verdicts, a missing gnuplot is a clear error; then headless
# Chromium renders it (a screenshot that is not blank, SVG plots in the DOM).
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT
trace=$out/s.rst
html=$out/report.html

run_ok "$RINGSCOPE" session --runs 2 --iterations 1000 -o "$trace"
grep -q 'untraced' "$out/last.err" && skip "tracer unavailable: $(grep -m1 untraced "$out/last.err")"

# Usage errors: no output file, an unknown option.
"$RINGSCOPE" report "$trace" >/dev/null 2>&1
[ $? -eq 2 ] || fail "report without -o did not exit 2"
"$RINGSCOPE" report "$trace" -o "$html" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "report with an unknown option did not exit 2"

# temporaries - the hidden temporary names of the page (lib/outfile.h: .NAME.XXXXXX).
temporaries() { ls -A "$(dirname "$html")" | grep "^\.$(basename "$html")\."; }
# Without gnuplot on PATH: exit 1 naming the package, and no file (not even a temporary) left.
mkdir -p "$out/empty-path"
PATH=$out/empty-path "$RINGSCOPE" report "$trace" -o "$html" >"$out/nognuplot.out" \
	2>"$out/nognuplot.err"
[ $? -eq 1 ] || fail "report without gnuplot did not exit 1"
grep -q 'install gnuplot-nox' "$out/nognuplot.err" ||
	fail "no package named without gnuplot: $(cat "$out/nognuplot.err")"
[ ! -e "$html" ] && ! temporaries || fail "a report file was left without gnuplot"

# A gnuplot that fails: exit 1 with its error line, no file, its temporary folder removed.
mkdir -p "$out/fake-bin" "$out/tmp"
printf '#!/bin/sh\ncat >/dev/null\necho "line 3: simulated error" >&2\nexit 1\n' >"$out/fake-bin/gnuplot"
chmod +x "$out/fake-bin/gnuplot"
PATH=$out/fake-bin:$PATH TMPDIR=$out/tmp "$RINGSCOPE" report "$trace" -o "$html" \
	>/dev/null 2>"$out/badgnuplot.err"
[ $? -eq 1 ] || fail "report with a failing gnuplot did not exit 1"
grep -q 'gnuplot failed.*simulated error' "$out/badgnuplot.err" ||
	fail "gnuplot's error not shown: $(cat "$out/badgnuplot.err")"
[ ! -e "$html" ] && ! temporaries || fail "a report file was left by a failing gnuplot"
[ -z "$(ls -A "$out/tmp")" ] || fail "temporary folder left by a failing gnuplot"

command -v gnuplot >/dev/null || fail "gnuplot is not installed (scripts/setup installs gnuplot-nox)"
TMPDIR=$out/tmp run_ok "$RINGSCOPE" report "$trace" -o "$html"
[ -s "$html" ] && ! temporaries || fail "no report, or its temporary left behind"
[ -z "$(ls -A "$out/tmp")" ] || fail "gnuplot's temporary folder left behind: $(ls "$out/tmp")"

# Self-contained: no reference to the network, no script, no external style or font.
grep -Eiq "(src|href)[[:space:]]*=[[:space:]]*[\"']?(https?:)?//" "$html" &&
	fail "a network reference: $(grep -Eio "(src|href)=[\"']?(https?:)?//[^\"' ]*" "$html" | head -3)"
grep -Eiq '<script|<link|@import|url\(http' "$html" && fail "a script or an external resource"

# Every section: fingerprint, Table 1, per probe the plots, patterns, spikes and timelines.
for want in 'id="platform"' 'id="table1"' 'Table 1' 'id="probe-5"' 'Mesh diagram as a heatmap' \
	'Mesh diagram in 3-D' 'Latency histogram' 'Patterns found' '<h3>Spikes</h3>' \
	'class="bar"' 'class="timeline"' 'data:image/png;base64,' 'hypervisor'; do
	grep -q "$want" "$html" || fail "the report lacks '$want'"
done
[ "$(grep -c '<figure>' "$html")" -eq 18 ] || fail "expected 3 plots x 6 probes"
# the session's mechanism costs (docs/attribution.md, section 10)
grep -q 'id="mechanisms"' "$html" && grep -q '<th>cross-vCPU wakeup</th>' "$html" ||
	fail "the report lacks the mechanism costs"

# --compare: the trace against itself is the same everywhere.
run_ok "$RINGSCOPE" report "$trace" --compare "$trace" -o "$out/compare.html"
grep -q 'Comparison: A and B per probe' "$out/compare.html" || fail "no comparison section"
[ "$(grep -o '>same</span>' "$out/compare.html" | wc -l)" -eq 6 ] ||
	fail "a trace compared with itself is not 'same' for all 6 probes"
# and each traced probe's difference by mechanism: against itself, nothing anywhere
grep -q 'B less A by mechanism' "$out/compare.html" || fail "no difference by mechanism"

# Render it in headless Chromium (Debian's chromium; scripts/setup installs it).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium \
		>"$out/apt.log" 2>&1
fi
command -v chromium >/dev/null || skip "chromium is not installed and could not be (apt-get install chromium)"
chrome() {
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$(mktemp -d "$out/chrome.XXXXXX")" "$@" 2>>"$out/chromium.err"
}
chrome --screenshot="$out/report.png" --window-size=1400,3000 "file://$html" >/dev/null ||
	fail "chromium failed to screenshot: $(tail -n 3 "$out/chromium.err")"
chrome --screenshot="$out/compare.png" --window-size=1400,3000 "file://$out/compare.html" \
	>/dev/null || fail "chromium failed to screenshot the comparison"
# A blank 1400x3000 page compresses to ~20 kB; this one, tables and plots in colour, to 250 kB.
for png in report compare; do
	size=$(stat -c %s "$out/$png.png" 2>/dev/null || echo 0)
	[ "$size" -gt 100000 ] || fail "$png.png is $size bytes: blank?"
done
chrome --dump-dom "file://$html" >"$out/dom.html" || fail "chromium failed to load the report"
[ "$(grep -o '<svg' "$out/dom.html" | wc -l)" -ge 15 ] || fail "the SVG plots did not render"
grep -q '<image ' "$out/dom.html" || fail "the heatmap images did not render"
grep -q 'id="probe-5"' "$out/dom.html" || fail "the DOM lacks the last probe"
# Query the DOM for what a reader must find: the page opens on the answer (a row per probe,
# intervals, causes with hypervisor, the largest spikes), the fingerprint after it in words.
dom=$RS_SOURCE_DIR/tests/integration/report_dom.py
# Legibility: unique ids, no temporary path or gnuplot name in a tooltip, modes in us, the
# spikes counted by cause beside their excess, 2 x 1000 iterations drawn in 3-D one a point.
python3 "$dom" "$out/dom.html" answer_first=6 answer_before_platform fingerprint_labels \
	unique_ids no_private_paths="$out/tmp" modes_us=6 cause_counts mesh_every_iteration=6 ||
	fail "the report's DOM: see above"
chrome --dump-dom "file://$out/compare.html" >"$out/compare-dom.html" ||
	fail "chromium failed to load the comparison"
python3 "$dom" "$out/compare-dom.html" answer_first=6 verdicts=same:6 unique_ids ||
	fail "the comparison's DOM: see above"
rm -rf "$out"/chrome.* # Chromium's throw-away profiles (tens of MB)

# A trace too short for a 3-D mesh (gnuplot cannot draw one column) still gets its report.
run_ok "$RINGSCOPE" run -p null -r 1 -n 10 -o "$out/short.rst"
run_ok "$RINGSCOPE" report "$out/short.rst" -o "$out/short.html"
grep -q '<svg' "$out/short.html" || fail "the short trace's report has no plot"
echo "report: $html ($(stat -c %s "$html") bytes), screenshots in $out"
exit 0
