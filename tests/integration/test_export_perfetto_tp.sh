#!/bin/bash
# SPDX-License-Identifier: MIT
# test_export_perfetto_tp - the export of a small traced ring, opened in Perfetto's own trace
# processor (trace_processor_shell, what ui.perfetto.dev runs as WebAssembly) and queried: its
# spike slices, its threads and processes named, and its flows bound, each from a spike to the
# slice whose start the export's "f" names. Skips where no trace processor can be had.
. "$(dirname "$0")/lib.sh"

tp=${RINGSCOPE_TRACE_PROCESSOR:-$(command -v trace_processor_shell || command -v trace_processor)}
[ -n "$tp" ] && [ -x "$tp" ] || skip "no Perfetto trace processor: Debian 12 and the npm" \
	"registry ship none, PyPI is unreachable here (set RINGSCOPE_TRACE_PROCESSOR to a" \
	"trace_processor_shell)"
need_root

out=$RS_TEST_OUT
trace=$out/ring.rst
run_traced "$trace" --probe ring --hops 2 --runs 1 --iterations 2000
run_ok "$RINGSCOPE" export "$trace" --format perfetto -o "$out/trace.json" -v
cp "$out/last.err" "$out/stats.txt"

python3 - "$tp" "$out/trace.json" "$out/stats.txt" "$RS_SOURCE_DIR/tests/tools" <<'PY' ||
import csv, json, subprocess, sys, tempfile
tp, doc, stats_file, tools = sys.argv[1:]
sys.path.insert(0, tools)
from check_perfetto_export import STATS

stats = STATS.search(open(stats_file).read())
assert stats, "no stats line"
spikes, flows = int(stats.group(2)), int(stats.group(8))


def query(sql):
    """The rows of @sql on the export, as trace_processor_shell prints them (CSV)."""
    with tempfile.NamedTemporaryFile("w", suffix=".sql") as q:
        q.write(sql)
        q.flush()
        r = subprocess.run([tp, "--query-file", q.name, doc], text=True,
                           capture_output=True, timeout=300)
    assert r.returncode == 0, (sql, r.stderr[-2000:])
    return list(csv.reader(line for line in r.stdout.splitlines() if line.strip()))[1:]


def count(sql):
    return int(query(sql)[0][0])


# the spikes, each a slice with its dominant cause
assert count("select count(*) from slice where category = 'spike'") == spikes
assert count("select count(*) from slice s join args a using(arg_set_id) "
             "where s.category = 'spike' and a.key = 'args.dominant'") == spikes
# every thread and process that has slices is named; the probe's run too
slice_threads = ("from slice s join thread_track tt on s.track_id = tt.id "
                 "join thread t using(utid)")
assert count(f"select count(distinct t.utid) {slice_threads} where t.name is null") == 0
assert count(f"select count(distinct p.upid) {slice_threads} join process p using(upid) "
             "where p.name is null") == 0
assert count("select count(*) from thread where name = 'run 0'") == 1
# every flow bound: one end a spike, the other the slice that starts where the "f" says
assert count("select count(*) from flow") == flows, (count("select count(*) from flow"), flows)
ends = query("select t.tid, o.ts, o.category from flow f "
             "join slice a on a.id = f.slice_out join slice b on b.id = f.slice_in "
             "join slice o on o.id = iif(a.category = 'spike', b.id, a.id) "
             "join thread_track tt on o.track_id = tt.id join thread t using(utid) "
             "where (a.category = 'spike') + (b.category = 'spike') = 1")
assert len(ends) == flows, ("flows without exactly one spike end", len(ends), flows)
want = sorted((e["tid"], round(e["ts"] * 1000)) for e in json.load(open(doc))["traceEvents"]
              if e["ph"] == "f")
got = sorted((int(tid), int(ts)) for tid, ts, _ in ends)
# (Perfetto reads a microsecond ts as a double: allow the last nanosecond)
assert len(got) == len(want) and all(g[0] == w[0] and abs(g[1] - w[1]) <= 1
                                     for g, w in zip(got, want)), "a flow bound elsewhere"
print(f"{spikes} spikes, {flows} flows bound as the export says, every thread named")
PY
	fail "trace processor check failed (files in $out)"
exit 0
