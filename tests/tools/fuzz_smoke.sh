#!/bin/bash
# SPDX-License-Identifier: MIT
# fuzz_smoke - the documented fuzz build (CC=clang, -DRINGSCOPE_FUZZ=ON) configures, links and
# runs: a short libFuzzer run of the trace reader from the committed seed corpus, so that the
# build cannot break unseen again. Skips (77) where clang or its libFuzzer runtime is missing.
# Usage: fuzz_smoke.sh SOURCE_DIR WORK_DIR [RUNS]
set -euo pipefail
src=$1
work=$2
runs=${3:-200000}
seeds=$src/tests/data/trace-corpus

command -v clang >/dev/null || { echo "SKIP: clang is not installed (scripts/setup installs it)"; exit 77; }
mkdir -p "$work"
echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }' >"$work/probe.c"
clang -fsanitize=fuzzer "$work/probe.c" -o "$work/probe" 2>/dev/null ||
	{ echo "SKIP: clang has no libFuzzer runtime here (Debian: apt-get install libclang-rt-dev)"; exit 77; }

log=$work/build.log
CC=clang cmake -S "$src" -B "$work/build" -DRINGSCOPE_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	>"$log" 2>&1 || { cat "$log"; echo "FAIL: the fuzz build does not configure"; exit 1; }
cmake --build "$work/build" --target fuzz_trace_reader -j"$(nproc)" >"$log" 2>&1 ||
	{ tail -n 40 "$log"; echo "FAIL: the fuzz build does not build (documented in docs/trace-format.md)"; exit 1; }

# New inputs go to a scratch corpus, never into the committed seeds; a crash is saved in $work.
rm -rf "$work/corpus" && mkdir -p "$work/corpus"
"$work/build/fuzz_trace_reader" -runs="$runs" -max_total_time=120 -seed=1 \
	-artifact_prefix="$work/" "$work/corpus" "$seeds" >"$work/fuzz.log" 2>&1 ||
	{ tail -n 40 "$work/fuzz.log"; echo "FAIL: the fuzzer found a crash (input saved in $work)"; exit 1; }
grep -E "^(#[0-9]+ +DONE|Done [0-9]+ runs)" "$work/fuzz.log" | tail -n 1
echo "ok: fuzz_trace_reader built and ran $runs inputs from $(ls "$seeds" | wc -l) seeds"
