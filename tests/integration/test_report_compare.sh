#!/bin/bash
# SPDX-License-Identifier: MIT
# test_report_compare - `ringscope report A --compare B` of two real traced sessions of different
# lengths, loaded in headless Chromium and read from its DOM: per compared probe the overlaid
# CDF and histogram hold a series of A and one of B, on the log axis exactly when the data's
# range asks for it; the percentile table has A's and B's p50..p99.9 with the 95% intervals
# `analyze --json` gives; the cause-share table's shares are the attribution `compare --json`
# gives and its change column is B's share less A's; the verdict's rule is compare's.
. "$(dirname "$0")/lib.sh"
need_netns
out=$RS_TEST_OUT

run_ok "$RINGSCOPE" session --runs 2 --iterations 1000 -o "$out/a.rst"
grep -q 'untraced' "$out/last.err" && skip "tracer unavailable: $(grep -m1 untraced "$out/last.err")"
run_ok "$RINGSCOPE" session --runs 2 --iterations 2000 -o "$out/b.rst"
command -v gnuplot >/dev/null || fail "gnuplot is not installed (scripts/setup installs gnuplot-nox)"
run_ok "$RINGSCOPE" report "$out/a.rst" --compare "$out/b.rst" -o "$out/compare.html"
# what the page must agree with: the comparison and both traces' analyze reports
run_ok "$RINGSCOPE" compare --json "$out/a.rst" "$out/b.rst"
mv "$out/last.out" "$out/compare.json"
for t in a b; do
	run_ok "$RINGSCOPE" analyze --json --spikes 1 "$out/$t.rst"
	mv "$out/last.out" "$out/analyze-$t.json"
done

command -v chromium >/dev/null || skip "chromium is not installed (scripts/setup installs it)"
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
	--disable-background-networking --disable-component-update --disable-sync \
	--user-data-dir="$(mktemp -d "$out/chrome.XXXXXX")" --dump-dom \
	"file://$out/compare.html" >"$out/dom.html" 2>"$out/chromium.err" ||
	fail "chromium failed to load the page: $(tail -n 3 "$out/chromium.err")"
rm -rf "$out"/chrome.* # Chromium's throw-away profile (tens of MB)

python3 - "$out" <<'PY' || fail "the comparison in the DOM is not what compare and analyze say"
import json, re, sys
from html.parser import HTMLParser

out = sys.argv[1]
cmp = json.load(open(f"{out}/compare.json"))
analyzed = {t: {p["probe_id"]: p for p in json.load(open(f"{out}/analyze-{t}.json"))["probes"]}
            for t in "ab"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.kids = tag, dict(attrs), parent, []
        self.parts = []  # text and child nodes in document order

    def all(self, tag=None, cls=None):
        for k in self.kids:
            if (tag is None or k.tag == tag) and (cls is None or cls in k.attrs.get("class", "").split()):
                yield k
            yield from k.all(tag, cls)

    def words(self):
        return "".join(p if isinstance(p, str) else p.words() for p in self.parts)


class Tree(HTMLParser):
    VOID = {"meta", "br", "img", "input", "link", "hr", "col", "wbr", "source"}

    def __init__(self):
        super().__init__()
        self.root = self.cur = Node("root", [], None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.kids.append(node)
        self.cur.parts.append(node)
        if tag not in self.VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.kids.append(node)
        self.cur.parts.append(node)

    def handle_endtag(self, tag):
        node = self.cur
        while node.parent and node.tag != tag:
            node = node.parent
        if node.parent:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.parts.append(data)


tree = Tree()
tree.feed(open(f"{out}/dom.html").read())
(section,) = [s for s in tree.root.all("section") if s.attrs.get("id") == "compare"]
ids = [n.attrs["id"] for n in tree.root.all() if "id" in n.attrs]
assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})[:5]

# The section's blocks: each compared probe starts at an <h3>.
blocks, cur = [], None
for k in section.kids:
    if k.tag == "h3":
        cur = []
        blocks.append(cur)
    elif cur is not None:
        cur.append(k)
probes = cmp["probes"]
assert len(blocks) == len(probes) > 0, (len(blocks), len(probes))


def find(block, tag, cls):
    return [n for k in block for n in [k, *k.all()]
            if n.tag == tag and cls in n.attrs.get("class", "").split()]


def cells(table):
    return [[c.words().strip() for c in row.kids if c.tag in ("td", "th")] for row in table.all("tr")]


def near(cell, ns):
    """A cell in us (3 decimals) shows @ns: JSON keeps one decimal of ns, the page rounds
    the unrounded figure, so the last digit may differ by one."""
    if ns is None:
        return cell == "-"
    return cell != "-" and abs(float(cell) - ns / 1000) <= 0.0011


plotted = causes = 0
for block, p in zip(blocks, probes):
    name = p["probe"]
    (rule,) = find(block, "p", "cmp-rule")
    rule = rule.words()
    assert rule.endswith(p.get("rule") or "no good sample of this probe"), (name, rule, p)
    if "a" not in p:  # a side without a good sample: no figures to set side by side
        continue
    # Percentiles: A's and B's, each with the interval its analyze report gives.
    (pct,) = find(block, "table", "cmp-pct")
    rows = cells(pct)
    assert rows[0][:5] == ["percentile", "A (us)", "A 95% interval", "B (us)", "B 95% interval"], rows[0]
    assert [r[0] for r in rows[1:]] == ["p50", "p90", "p99", "p99.9"], rows
    for r, key in zip(rows[1:], ("p50_ns", "p90_ns", "p99_ns", "p999_ns")):
        for side, col in (("a", 1), ("b", 3)):
            assert near(r[col], p[side][key]), (name, side, key, r, p[side][key])
            lo, hi = analyzed[side][p[side]["probe_id"]]["confidence"][key]
            shown = r[col + 1].strip("[]").split(", ")
            assert near(shown[0], lo) and near(shown[1], hi), (name, side, key, r, lo, hi)
    # Overlaid plots: one series of A and one of B in each, on the axis the data's range asks.
    lo = min(p["a"]["min_ns"], p["b"]["min_ns"])
    hi = max(p["a"]["max_ns"], p["b"]["max_ns"])
    log_x = max(lo, 1) > 0 and hi / max(lo, 1) > 30
    for cls in ("cmp-cdf", "cmp-hist"):
        (fig,) = find(block, "figure", cls)
        # each series a group "gnuplot_plot_N" (ids prefixed per plot, so that none repeats)
        plots = [g for g in fig.all("g") if re.search(r"gnuplot_plot_\d+$", g.attrs.get("id", ""))]
        series = sorted(g.kids[0].words() for g in plots if g.kids and g.kids[0].tag == "title")
        assert series == ["A", "B"], (name, cls, series)  # once each: no id twice
        # a series is drawn: more points than its legend's sample (a line, a box) has
        for g in plots:
            shapes = [n.attrs.get("d", n.attrs.get("points", "")) for n in g.all()
                      if n.tag in ("path", "polygon")]
            points = sum(len(re.findall(r"[\d.]+,[\d.]+", d)) for d in shapes)
            assert points > 6, (name, cls, g.kids[0].words(), "undrawn", points)
        caption = fig.words()
        assert ("log latency axis" in caption) == log_x, (name, cls, lo, hi, caption)
    plotted += 1
    # Cause shares: A's and B's share of the excess as compare's attribution has them.
    attr = p["attribution"]
    if not (attr["traced_a"] and attr["traced_b"]):
        continue
    total = {s: sum(c["excess_ns"] for c in attr[s].values()) for s in "ab"}
    tables = find(block, "table", "cmp-causes")
    if not total["a"] and not total["b"]:
        assert not tables, (name, "a cause table without a spike")
        continue
    (table,) = tables
    rows = cells(table)
    assert rows[0][0] == "cause" and "share change" in rows[0], rows[0]
    shown = {r[0]: r for r in rows[1:]}
    for cause in set(attr["a"]) | set(attr["b"]):
        ea, eb = attr["a"][cause]["excess_ns"], attr["b"][cause]["excess_ns"]
        sa = 100 * ea / total["a"] if total["a"] else 0
        sb = 100 * eb / total["b"] if total["b"] else 0
        if not (ea or eb or attr["a"][cause]["spikes"] or attr["b"][cause]["spikes"]):
            assert cause not in shown, (name, cause)
            continue
        r = shown[cause]
        assert r[2] == f"{sa:.1f}%" and r[4] == f"{sb:.1f}%", (name, cause, r, sa, sb)
        assert r[5] == f"{sb - sa:+.1f} pp", (name, cause, r)
    changes = [float(r[5].split()[0]) for r in rows[1:]]
    assert changes == sorted(changes, reverse=True), (name, "not the largest growth first")
    (grew,) = find(block, "p", "cmp-grew")
    if changes[0] > 0.05:
        assert f"{rows[1][0]} grew most" in grew.words(), (name, grew.words())
    causes += 1

assert plotted == sum("a" in p for p in probes), plotted
assert causes > 0, "no probe had spikes in both traces to compare causes of"
print(f"{len(probes)} probes compared, {plotted} plotted, {causes} with cause shares")
PY
echo "compare report: $out/compare.html ($(stat -c %s "$out/compare.html") bytes)"
exit 0
