#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""test_check_perfetto_export - the export checker passes a well-formed export and names each
fault put into one: a flow end missing, moved off its slice or out of its spike, renamed, left
unbound, written before its target; a track unnamed; a count that is not the stats line's."""
import copy
import json
import os
import subprocess
import sys
import tempfile

CHECKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check_perfetto_export.py")
STATS = ("ringscope: exported 2 iterations (1 spikes), 3 kernel events (1 slices, 1 instants, "
         "1 thread names), 1 slices of what ran on the CPUs, {flows} flows from spikes to "
         "their key events of 't.rst'\n")


def meta(what, pid, tid, name):
    return {"name": what, "cat": "__metadata", "ph": "M", "pid": pid, "tid": tid,
            "args": {"name": name}}


def good():
    """A spike, an off-CPU slice, a page-fault instant, a what-ran slice, two flows."""
    ev = [meta("process_name", 42, 0, "ringscope"), meta("thread_name", 42, 42, "ringscope"),
          meta("process_name", 9000000, 0, "CPUs (kernel events)"),
          meta("thread_name", 9000000, 9002049, "cpu 0 ran"),
          meta("process_name", 10000000, 0, "probe 0: ring"),
          meta("thread_name", 10000000, 1, "run 0"),
          {"name": "off cpu", "cat": "offcpu", "ph": "X", "pid": 42, "tid": 42, "ts": 10.5,
           "dur": 3.25, "args": {}},
          {"name": "page_fault", "cat": "page_fault", "ph": "i", "s": "t", "pid": 42,
           "tid": 42, "ts": 20.001, "args": {}},
          {"name": "hog 7", "cat": "sched", "ph": "X", "pid": 9000000, "tid": 9002049,
           "ts": 10.5, "dur": 3.0, "args": {}},
          {"name": "iteration", "cat": "iteration", "ph": "X", "pid": 10000000, "tid": 1,
           "ts": 1.0, "dur": 2.0, "args": {}},
          {"name": "spike", "cat": "spike", "ph": "X", "pid": 10000000, "tid": 1, "ts": 10.0,
           "dur": 12.0, "args": {"spike": True}}]
    for fid, (name, pid, tid) in enumerate((("scheduling", 42, 42),
                                            ("ran instead", 9000000, 9002049)), 1):
        ev.append({"name": name, "cat": "attribution", "ph": "s", "pid": 10000000, "tid": 1,
                   "ts": 16.0, "id": fid})
        ev.append({"name": name, "cat": "attribution", "ph": "f", "bp": "e", "pid": pid,
                   "tid": tid, "ts": 10.5, "id": fid})
    return ev


def flow(ev, fid, ph):
    return next(e for e in ev if e.get("id") == fid and e["ph"] == ph)


def drop_f(ev):
    ev.remove(flow(ev, 1, "f"))


def move_f(ev):
    flow(ev, 1, "f")["ts"] = 10.501


def move_s(ev):
    flow(ev, 2, "s")["ts"] = 22.001


def rename_f(ev):
    flow(ev, 2, "f")["name"] = "scheduling"


def unbind_f(ev):
    del flow(ev, 1, "f")["bp"]


def f_first(ev):
    """Flow 1 to the page fault, its "f" written before it: it binds to the open slice."""
    f = flow(ev, 1, "f")
    f["ts"] = 20.001
    ev.remove(f)
    ev.insert(0, f)


def unname_thread(ev):
    ev.remove(next(e for e in ev if e["name"] == "thread_name" and e["tid"] == 42))


def unname_process(ev):
    ev.remove(next(e for e in ev if e["name"] == "process_name" and e["pid"] == 42))


# each fault, and the words of the failure it must cause
FAULTS = [(drop_f, "flow 1 has ['s']"), (move_f, "flow 1: 'f' at 10.501"),
          (move_s, "flow 2: 's' at 22.001 on (10000000, 1) is in no spike"),
          (rename_f, "flow 2: 's' is ran instead/attribution, 'f' scheduling"),
          (unbind_f, "flow 1: 'f' without \"bp\""),
          (f_first, "flow 1: 'f' at 20.001 binds to ('offcpu', 10500, 13750)"),
          (unname_thread, "thread 42 of process 42 has events but no thread_name"),
          (unname_process, "process 42 has events but no process_name")]


def check(tmp, ev, flows):
    """The checker's exit code and output on @ev with a stats line of @flows flows."""
    doc, stats = os.path.join(tmp, "t.json"), os.path.join(tmp, "stats.txt")
    with open(doc, "w") as f:
        json.dump({"traceEvents": ev, "displayTimeUnit": "ns"}, f)
    with open(stats, "w") as f:
        f.write(STATS.format(flows=flows))
    r = subprocess.run([sys.executable, CHECKER, doc, stats], capture_output=True, text=True)
    return r.returncode, r.stdout


def main():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        rc, out = check(tmp, good(), 2)
        if rc != 0:
            print(f"FAIL: a well-formed export fails the check:\n{out}")
            failed += 1
        rc, out = check(tmp, good(), 3)
        if rc != 1 or "flows: the file holds 2, the stats line says 3" not in out:
            print(f"FAIL: a wrong flow count passes (exit {rc}):\n{out}")
            failed += 1
        for fault, words in FAULTS:
            ev = copy.deepcopy(good())
            fault(ev)
            rc, out = check(tmp, ev, 2)
            if rc != 1 or words not in out:
                print(f"FAIL: {fault.__name__}: exit {rc}, not naming {words!r}:\n{out}")
                failed += 1
    print(f"{len(FAULTS) + 2 - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
