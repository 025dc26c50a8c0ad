// SPDX-License-Identifier: MIT
/* tracer_precheck - what tracing needs before anything is loaded: privileges, BTF, tracefs. */
#include "bpf/tracer_precheck.h"

#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf/tracefs.h"
#include "bpf/tracer_log.h"

/* tracer_has_caps - root, or CAP_BPF and CAP_PERFMON (Linux 5.8+), in the effective set. */
static bool tracer_has_caps(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
	unsigned int caps[] = {CAP_BPF, CAP_PERFMON};
	bool all = true;

	if (syscall(SYS_capget, &hdr, data))
		return false;
	if (data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective & CAP_TO_MASK(CAP_SYS_ADMIN))
		return true;
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		all &= !!(data[CAP_TO_INDEX(caps[i])].effective & CAP_TO_MASK(caps[i]));
	return all;
}

int tracer_precheck(bool *have_tracefs, char *err, size_t errlen)
{
	int ret;

	if (!tracer_has_caps()) {
		snprintf(err, errlen,
			 "tracing needs root or CAP_BPF and CAP_PERFMON: run as root "
			 "(the run goes on untraced)");
		return -EPERM;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK)) {
		snprintf(err, errlen,
			 "'/sys/kernel/btf/vmlinux' is missing: tracing needs a kernel "
			 "with CONFIG_DEBUG_INFO_BTF=y (the run goes on untraced)");
		return -ENOTSUP;
	}
	ret = tracefs_mount();
	*have_tracefs = ret == 0;
	if (ret)
		tracer_log("tracer: cannot mount tracefs at '%s': %s (classic tracepoints are "
			   "skipped)",
			   TRACEFS_PATH, strerror(-ret));
	return 0;
}
