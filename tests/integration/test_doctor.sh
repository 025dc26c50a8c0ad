#!/bin/bash
# SPDX-License-Identifier: MIT
# test_doctor - `ringscope doctor`: JSON keys and types, the text form, --help, bad usage, and the
# refusal message without an invariant TSC.
. "$(dirname "$0")/lib.sh"
need_root

run_ok "$RINGSCOPE" doctor --json
cp "$RS_TEST_OUT/last.out" "$RS_TEST_OUT/doctor.json"
python3 - "$RS_TEST_OUT/doctor.json" <<'PY' || fail "doctor --json: $(cat "$RS_TEST_OUT/doctor.json")"
import json, sys

doc = json.load(open(sys.argv[1]))
assert set(doc) == {"platform", "capabilities"}, sorted(doc)
p, c = doc["platform"], doc["capabilities"]
num = (int, float)
checks = {
    "hypervisor": str,  # this machine is a KVM guest: CPUID leaf 0x40000000 names a vendor
    "clocksource": str,
    "tsc_flags": dict,
    "tsc_khz": num,
    "tsc_skew_ns": num,
    "tsc_skew": list,
    "kernel": str,
    "cpu_model": str,
    "cpus": int,
    "numa_nodes": int,
    "calibration": dict,
}
for key, typ in checks.items():
    assert isinstance(p.get(key), typ), f"platform.{key} = {p.get(key)!r}, want {typ}"
for flag in ("constant", "nonstop", "known_freq"):
    assert isinstance(p["tsc_flags"][flag], bool), f"tsc_flags.{flag}"
assert p["tsc_khz"] > 0 and p["numa_nodes"] >= 1 and p["cpus"] >= 1
assert p["tsc_skew_ns"] >= 0
for pair in p["tsc_skew"]:
    assert pair["bound_ns"] >= 0 and pair["rtt_median_ns"] > 0, pair
# the kernel's view (platform_kernel.c): each value, or null with its reason
k = p["kernel_platform"]
for key in ("hypervisor", "clockevent", "hz", "cpuidle_driver", "cmdline", "steal_ticks"):
    assert key in k and (k[key] is not None or k.get(key + "_error")), f"kernel_platform.{key}: {k}"
assert open("/proc/cmdline").read().strip() == k["cmdline"], "cmdline differs from /proc/cmdline"
assert isinstance(k["mitigations"], dict) or k.get("mitigations_error")
cal = p["calibration"]
for key in ("tsc_hz", "tsc_hz_err", "tsc_step_ticks", "tsc_step_ns", "stamp_cost_ns"):
    assert isinstance(cal[key], num), f"calibration.{key}"
assert cal["tsc_step_ticks"] > 0 and abs(cal["tsc_hz"] / 1e3 - p["tsc_khz"]) < 1
assert "kernel_tsc_khz" in cal
for name in ("root", "io_uring", "io_uring_sqpoll", "bpf", "tracefs", "btf", "kprobes",
             "fentry", "netns"):
    cap = c[name]
    assert isinstance(cap["available"], bool), name
    assert cap["available"] or cap.get("why"), f"{name} is unavailable without a why"
assert c["root"]["available"], "ran as root"
PY

run_ok "$RINGSCOPE" doctor
grep -q '^# ringscope doctor' "$RS_TEST_OUT/last.out" || fail "text form has no heading"
grep -q '^platform:' "$RS_TEST_OUT/last.out" || fail "text form has no platform section"
grep -q '^capabilities:' "$RS_TEST_OUT/last.out" || fail "text form has no capabilities section"
grep -q 'kHz' "$RS_TEST_OUT/last.out" || fail "text form shows no TSC rate in kHz"

run_ok "$RINGSCOPE" doctor --help
grep -q '^usage: ringscope doctor' "$RS_TEST_OUT/last.out" || fail "--help prints no usage"

"$RINGSCOPE" doctor --no-such-option >"$RS_TEST_OUT/bad.out" 2>"$RS_TEST_OUT/bad.err"
rc=$?
[ "$rc" -eq 2 ] || fail "a bad option exited $rc, want 2"
grep -q "no-such-option" "$RS_TEST_OUT/bad.err" || fail "bad option not named: $(cat "$RS_TEST_OUT/bad.err")"
"$RINGSCOPE" doctor extra >/dev/null 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "an extra argument exited $rc, want 2"

# Without nonstop_tsc the calibration is refused, said so on stderr, and stdout stays JSON.
printf 'processor\t: 0\nflags\t\t: fpu tsc constant_tsc\n' >"$RS_TEST_OUT/cpuinfo"
RINGSCOPE_CPUINFO="$RS_TEST_OUT/cpuinfo" run_ok "$RINGSCOPE" doctor --json
grep -q "not invariant" "$RS_TEST_OUT/last.err" || fail "no refusal message: $(cat "$RS_TEST_OUT/last.err")"
python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["platform"]
assert p["tsc_khz"] is None and p["calibration"] is None and "calibration_error" in p
assert p["tsc_flags"]["nonstop"] is False
' "$RS_TEST_OUT/last.out" || fail "fingerprint without invariant TSC: $(cat "$RS_TEST_OUT/last.out")"
# --delivery: the normal IPI and timer delivery from a traced 2-hop ring, or why not; no
# temporary folder left either way
if [ "$(nproc)" -ge 2 ] && [ "$(id -u)" -eq 0 ]; then
	run_ok "$RINGSCOPE" doctor --delivery --json
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
if d["delivery"] is None:
    assert d["delivery_error"], d
    print("delivery not measured here:", d["delivery_error"])
    sys.exit(0)
x = d["delivery"]
assert x["ipis_seen_sent"] > 0 and x["ipi_delivery_p50_ns"] >= x["ipi_delivery_normal_ns"] > 0, x
# the short mechanism table of the same ring: a ring across two CPUs wakes across them, and
# every row it shows was measured, its median inside its interval
m = x["mechanisms"]
assert m["wakeup_cross_vcpu"]["n"] > 0, m
assert "syscall" not in m and "vmexit" not in m, m
for k, r in m.items():
    assert r["n"] > 0 and r["p50_lo_ns"] <= r["p50_ns"] <= r["p50_hi_ns"], (k, r)
' "$RS_TEST_OUT/last.out" || fail "doctor --delivery: $(cat "$RS_TEST_OUT/last.out")"
	run_ok "$RINGSCOPE" doctor --delivery
	grep -q '^interrupt delivery' "$RS_TEST_OUT/last.out" || fail "no delivery section in the text"
	grep -q '^  cross-vCPU wakeup ' "$RS_TEST_OUT/last.out" || fail "no mechanism rows in the text"
	ls /tmp | grep -q '^ringscope-doctor-' && fail "doctor --delivery left its folder in /tmp"
fi
echo "PASS"
