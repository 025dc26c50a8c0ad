#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""check_modules - no two modules of a library need each other: the objects of each static
library, linked by the symbols one leaves undefined and another defines, form no cycle.

test_floors keeps the folders acyclic; this keeps the files inside them so. A module is one
object (one .c file); a cycle between objects means two files that can only be understood
together, which is what each module having its own header and its dependencies going one way
rules out. The symbols come from `nm -A -P` of the built archives.
Usage: check_modules.py ARCHIVE...
"""
import os
import subprocess
import sys

def objects_of(archive):
    """{object: (defined symbols, undefined symbols)} of one archive's members."""
    out = subprocess.run(["nm", "-A", "-P", archive], check=True, capture_output=True,
                         text=True).stdout
    objs = {}
    for line in out.splitlines():
        where, _, rest = line.partition(": ")
        fields = rest.split()
        if "[" not in where or len(fields) < 2:
            continue
        obj = where[where.index("[") + 1:-1]
        name, kind = fields[0], fields[1]
        defined, undefined = objs.setdefault(obj, (set(), set()))
        if kind == "U":
            undefined.add(name)
        elif kind.isupper() or kind in "vw":
            defined.add(name)
    return objs


def edges_of(objs):
    """{object: {object it needs: [the symbols why]}} within one archive."""
    owner = {sym: obj for obj, (defined, _) in objs.items() for sym in defined}
    edges = {}
    for obj, (_, undefined) in objs.items():
        for sym in sorted(undefined):
            dep = owner.get(sym)
            if dep and dep != obj:
                edges.setdefault(obj, {}).setdefault(dep, []).append(sym)
    return edges


def cycles_of(edges):
    """The strongly connected components of more than one object (Tarjan)."""
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def describe(comp, edges):
    """'a.c.o -> b.c.o (sym, ...)' for each edge inside the cycle."""
    parts = []
    for a in comp:
        for b, syms in sorted(edges.get(a, {}).items()):
            if b in comp:
                more = ", ..." if len(syms) > 3 else ""
                parts.append(f"{a} -> {b} ({', '.join(syms[:3])}{more})")
    return "; ".join(parts)


def main():
    if len(sys.argv) < 2:
        print("usage: check_modules.py ARCHIVE...")
        return 2
    failed, nobjs = False, 0
    for archive in sys.argv[1:]:
        objs = objects_of(archive)
        nobjs += len(objs)
        edges = edges_of(objs)
        for comp in cycles_of(edges):
            print(f"FAIL: {os.path.basename(archive)}: modules need each other: "
                  f"{describe(comp, edges)} (give each its own header and make the "
                  "dependency go one way)")
            failed = True
    if not failed:
        print(f"ok: {nobjs} modules in {len(sys.argv) - 1} libraries, no cycle between them")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
