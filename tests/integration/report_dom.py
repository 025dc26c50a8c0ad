#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""report_dom - query the DOM Chromium built from a report page (chromium --dump-dom) for what a
reader must find there. Usage: report_dom.py DOM.html CHECK[=ARG]... Prints each failed check
with what it found and exits 1 if any failed."""
import re
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent = tag, dict(attrs), parent
        self.children, self.text = [], []

    def all(self, tag=None):
        """every element below this one, in document order, of @tag if given"""
        for c in self.children:
            if tag is None or c.tag == tag:
                yield c
            yield from c.all(tag)

    def by_id(self, ident):
        return next((n for n in self.all() if n.attrs.get("id") == ident), None)

    def content(self):
        """the text of this element and all below it"""
        return "".join(self.text) + "".join(c.content() for c in self.children)

    def classes(self):
        return (self.attrs.get("class") or "").split()


class Tree(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not self.root and n.tag != tag:
            n = n.parent
        if n is not self.root:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.text.append(data)


def rows(table):
    """a table's rows as lists of cell texts (header cells too)"""
    return [[c.content().strip() for c in tr.children if c.tag in ("td", "th")]
            for tr in table.all("tr")]


def answer_first(doc, probes):
    """the first section of the page is the answer, a row per probe and the causes with them"""
    main = next(doc.all("main"))
    first = next(main.all("section"), None)
    if first is None or first.attrs.get("id") != "answer":
        return "the first section is %r" % (first.attrs.get("id") if first else None)
    figures, causes = doc.by_id("answer-figures"), doc.by_id("answer-causes")
    if figures is None or causes is None or doc.by_id("answer-spikes") is None:
        return "the answer lacks its figures, causes or spikes"
    body = rows(figures)[1:]
    if len(body) != int(probes):
        return "%d probe rows in the answer, want %s" % (len(body), probes)
    head = rows(figures)[0]
    for want in ("p50", "p99", "p99.9", "spikes"):
        if not any(h.startswith(want + " ") or h == want for h in head):
            return "no %s column: %s" % (want, head)
    if not re.search(r"\[[0-9.]+, [0-9.-]+\]", body[-1][2]):
        return "no 95%% interval beside the p50: %r" % body[-1][2]
    if "hypervisor" not in rows(causes)[0]:
        return "no hypervisor column among the causes: %s" % rows(causes)[0]
    if not list(doc.by_id("answer-spikes").all("li")):
        return "no spike line"
    return None


def answer_before_platform(doc, _):
    """the fingerprint comes after the answer"""
    ids = [s.attrs.get("id") for s in doc.all("section")]
    if "platform" not in ids or ids.index("platform") < ids.index("answer"):
        return "sections in the order %s" % ids
    return None


RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b|\.[a-z]")


def fingerprint_labels(doc, _):
    """every fingerprint line has a label in words: no raw key such as tsc_flags.cpuid_rdtscp"""
    platform = doc.by_id("platform")
    labels = [next(tr.all("td")).content().strip() for tr in platform.all("tr")
              if list(tr.all("td"))]
    bad = [label for label in labels if RAW_KEY.search(label) or label[:1].islower()]
    if len(labels) < 10 or bad:
        return "%d labels; raw ones: %s" % (len(labels), bad)
    return None


def verdicts(doc, want):
    """each probe's verdict in the answer, as the comparison gave it: WORD:COUNT"""
    word, count = want.split(":")
    cells = [td.content().strip() for td in doc.by_id("answer-figures").all("td")
             if "verdict" in td.classes()]
    if cells.count(word) != int(count):
        return "verdicts %s, want %s x %s" % (cells, count, word)
    return None


def unique_ids(doc, _):
    """every id once in the page (gnuplot names each plot's canvas the same), every reference
    to one (href="#x", url(#x)) to an id that is there"""
    ids = [n.attrs["id"] for n in doc.all() if "id" in n.attrs]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        return "%d ids more than once: %s" % (len(twice), twice[:5])
    refs = set()
    for n in doc.all():
        for key, value in n.attrs.items():
            if key in ("href", "xlink:href") and value and value.startswith("#"):
                refs.add(value[1:])
            refs.update(re.findall(r"url\(#([^)]+)\)", value or ""))
    missing = sorted(refs - set(ids))
    return "references to no id: %s" % missing[:5] if missing else None


def no_private_paths(doc, folder):
    """no tooltip, title or text names the plots' private folder (FOLDER) or gnuplot's names"""
    texts = [doc.content()] + [v or "" for n in doc.all() for v in n.attrs.values()]
    bad = [t for t in texts if folder in t or "ringscope-report-" in t]
    own = [t.content() for t in doc.all("title")
           if t.content() == "Gnuplot" or t.content().startswith("gnuplot_plot_")]
    if bad or own:
        return "private paths %s, gnuplot's titles %s" % ([b[:80] for b in bad][:3], own[:3])
    if list(doc.all("script")):
        return "a script in the page"
    return None


def modes_us(doc, probes):
    """each probe's modes table has its latency in us, its columns in words"""
    tables = [t for t in doc.all("table") if "modes" in t.classes()]
    if len(tables) != int(probes):
        return "%d modes tables, want %s" % (len(tables), probes)
    for t in tables:
        head = rows(t)[0]
        if head[0] != "latency (us)" or any("_" in h for h in head):
            return "modes columns %s" % head
    periodic = [h for t in doc.all("table") if "periodic" in t.classes() for h in rows(t)[0]]
    if any("_" in h for h in periodic):
        return "periodic columns %s" % periodic
    return None


def cause_counts(doc, _):
    """each probe with spikes counts them by cause beside the excess: the spikes each cause
    dominates add up to the probe's spikes in the answer"""
    found = [int(r[-1]) for r in rows(doc.by_id("answer-figures"))[1:]]
    for i, want in enumerate(found):
        section = doc.by_id("probe-%d" % i)
        tables = [t for t in section.all("table") if "causes" in t.classes()]
        if not want:
            if tables:
                return "probe %d has no spike but a table of causes" % i
            continue
        if len(tables) != 1:
            return "probe %d: %d spikes, %d tables of their causes" % (i, want, len(tables))
        head, body = rows(tables[0])[0], rows(tables[0])[1:]
        if head[:2] != ["cause", "spikes it dominates"] or "excess (us)" not in head:
            return "probe %d: causes table columns %s" % (i, head)
        if sum(int(r[1]) for r in body) != want:
            return "probe %d: %s add up to %d spikes, not %d" % (
                i, [(r[0], r[1]) for r in body], sum(int(r[1]) for r in body), want)
    return None


def mesh_every_iteration(doc, probes):
    """a run small enough is drawn an iteration a point in 3-D: no bin can hide a line"""
    meshes = [f for f in doc.all("figure")
              if any("3-D" in c.content() for c in f.all("figcaption"))]
    if len(meshes) != int(probes):
        return "%d 3-D meshes, want %s" % (len(meshes), probes)
    for m in meshes:
        labels = [t.content().strip() for t in m.all("text")]
        if "iteration" not in labels or any("max of" in t for t in labels):
            return "a mesh's labels: %s" % [t for t in labels if "iteration" in t]
    return None


CHECKS = {f.__name__: f for f in (answer_first, answer_before_platform, fingerprint_labels,
                                   verdicts, unique_ids, no_private_paths, modes_us,
                                   cause_counts, mesh_every_iteration)}


def main():
    tree = Tree()
    with open(sys.argv[1], encoding="utf-8") as f:
        tree.feed(f.read())
    failed = 0
    for arg in sys.argv[2:]:
        name, _, value = arg.partition("=")
        why = CHECKS[name](tree.root, value)
        if why:
            print("FAIL %s: %s" % (name, why))
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
