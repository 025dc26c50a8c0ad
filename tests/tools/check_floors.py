#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_floors - the includes between folders must be exactly the table of docs/architecture.md.

The table ("| folder | includes |") names, for every folder of the source tree, the folders its
files include. This check reads every #include "..." of the C sources (tests excepted: they may
reach any floor), and fails when an include crosses into a folder the table does not list, when
the table lists an edge no include uses, or when the folder graph has a cycle.
Usage: check_floors.py SOURCE_DIR
"""
import os
import re
import sys

SOURCE_FOLDERS = ("lib", "bpf", "probes", "analysis", "runner")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+/[^"]+)"', re.M)
ROW = re.compile(r"^\|\s*`?([a-z_/]+)/`?\s*\|\s*([^|]*)\|\s*$")


def folder_of(path):
    """lib/trace/x.c -> lib/trace; runner/x.c -> runner (one level of rooms)."""
    parts = path.split("/")
    return "/".join(parts[:-1]) if len(parts) > 2 else parts[0]


def actual_edges(root):
    edges = {}
    for top in SOURCE_FOLDERS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for name in files:
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), root)
                with open(os.path.join(root, rel), encoding="utf-8") as f:
                    text = f.read()
                for inc in INCLUDE.findall(text):
                    if not os.path.exists(os.path.join(root, inc)):
                        continue  # generated (tracer.skel.h) or a system header with a slash
                    a, b = folder_of(rel), folder_of(inc)
                    if a != b:
                        edges.setdefault((a, b), []).append(f"{rel} includes {inc}")
    return edges


def documented_edges(root):
    edges, folders = set(), set()
    with open(os.path.join(root, "docs", "architecture.md"), encoding="utf-8") as f:
        for line in f:
            m = ROW.match(line.strip())
            if not m or m.group(1) == "folder":
                continue
            folders.add(m.group(1))
            for target in re.findall(r"`?([a-z_/]+)/`?", m.group(2)):
                edges.add((m.group(1), target))
    return edges, folders


def find_cycle(edges):
    graph = {}
    for a, b in edges:
        graph.setdefault(a, set()).add(b)
    state = {}

    def visit(node, path):
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return path + [node, nxt]
            if not state.get(nxt):
                found = visit(nxt, path + [node])
                if found:
                    return found
        state[node] = 2
        return None

    for node in list(graph):
        if not state.get(node):
            found = visit(node, [])
            if found:
                return found
    return None


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "."
    actual = actual_edges(root)
    documented, folders = documented_edges(root)
    if not folders:
        print("FAIL: docs/architecture.md has no '| folder | includes |' table")
        return 1
    failed = False
    for (a, b), where in sorted(actual.items()):
        if (a, b) not in documented:
            print(f"FAIL: {a}/ includes {b}/, which docs/architecture.md does not list "
                  f"(e.g. {where[0]})")
            failed = True
    for a, b in sorted(documented - set(actual)):
        print(f"FAIL: docs/architecture.md says {a}/ includes {b}/, but no file does")
        failed = True
    for a, _ in actual:
        if a not in folders:
            print(f"FAIL: folder {a}/ has no row in docs/architecture.md's table")
            failed = True
            break
    cycle = find_cycle(actual)
    if cycle:
        print("FAIL: include cycle between folders: " + " -> ".join(cycle))
        failed = True
    if not failed:
        print(f"ok: {len(actual)} include edges between {len(folders)} folders, no cycle, "
              "as docs/architecture.md draws them")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
