# SPDX-License-Identifier: MIT
# attribution_checks.sh - what the injected-cause tests share (sourced after lib.sh): analysing a
# traced run, and checking its probe with what holds for every trace.

# analyse NAME - skip if $out/NAME.rst was recorded untraced, else analyse it into $out/NAME.json.
analyse() {
	if grep -q 'warning: untraced: ' "$out/$1.err"; then
		skip "no eBPF tracing here: $(grep -m1 'warning: untraced: ' "$out/$1.err")"
	fi
	run_ok "$RINGSCOPE" analyze --json "$out/$1.rst" --spikes 100000
	cp "$out/last.out" "$out/$1.json"
}

# check NAME PYTHON - run PYTHON on $out/NAME.json's probe `p` (with `need(cond, text)` and
# `out`, the scratch folder), after what holds for every trace: the causes add up to the
# excess, and no time is `hypervisor` without host evidence. Fails with the message.
check() {
	python3 - "$out/$1.json" "$2" <<'PY' || fail "$1: $(cat "$out/check.msg")"
import csv, json, os, sys
(p,) = json.load(open(sys.argv[1]))["probes"]
out = os.path.dirname(sys.argv[1])
msg = open(out + "/check.msg", "w")
def need(cond, text):
    if not cond:
        msg.write(text)
        sys.exit(1)
for s in p["spikes"]:
    need(sum(s["causes"].values()) == s["excess_ns"], "causes do not add up: %s" % s)
ev = p["evidence"]
if not (ev["ipis_seen_sent"] or ev["timer_interrupts_with_expiry"] or ev["vcpu_silences"]
        or ev["exit_proxies"] or ev["steal_ns"]):
    need(p["attribution"]["hypervisor"]["excess_ns"] == 0, "hypervisor time without evidence")
exec(sys.argv[2])
PY
}
