// SPDX-License-Identifier: MIT
/* platform_caps - feature probes of what this machine lets ringscope measure, each with a why. */
#include "runner/platform.h"

#include <errno.h>
#include <linux/capability.h>
#include <linux/perf_event.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <json-c/json.h>
#include <liburing.h>

#define KPROBE_PMU_TYPE "/sys/bus/event_source/devices/kprobe/type"
#define FENTRY_TARGET	"bpf_fentry_test1" /* the kernel's own attach target for BPF self-tests */
#define ENOTSUPP_KERNEL 524		   /* the kernel-internal ENOTSUPP that bpf() can return */

/* cap_add - add capability @name; when it is not available, "why" is the formatted reason. */
static struct json_object *cap_add(struct json_object *caps, const char *name, bool ok,
				   const char *why, ...)
{
	struct json_object *c = json_object_new_object();
	char buf[512];
	va_list ap;

	json_object_object_add(c, "available", json_object_new_boolean(ok));
	if (!ok && why) {
		va_start(ap, why);
		vsnprintf(buf, sizeof(buf), why, ap);
		va_end(ap);
		json_object_object_add(c, "why", json_object_new_string(buf));
	}
	json_object_object_add(caps, name, c);
	return c;
}

/* errstr - strerror that also names the kernel-internal ENOTSUPP. */
static const char *errstr(int err)
{
	return err == ENOTSUPP_KERNEL ? "not supported by this kernel (ENOTSUPP)" : strerror(err);
}

/* has_bpf_caps - root, or CAP_BPF and CAP_PERFMON (enough to load tracing programs). */
static bool has_bpf_caps(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[2] = {0};
	uint64_t eff;

	if (geteuid() == 0)
		return true;
	if (syscall(SYS_capget, &hdr, data))
		return false;
	eff = ((uint64_t)data[1].effective << 32) | data[0].effective;
	return (eff >> CAP_BPF & 1) && (eff >> CAP_PERFMON & 1);
}

static void probe_io_uring(struct json_object *caps)
{
	struct io_uring_params p = {.flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 10};
	struct io_uring ring;
	int ret;

	ret = io_uring_queue_init(8, &ring, 0);
	if (!ret)
		io_uring_queue_exit(&ring);
	cap_add(caps, "io_uring", !ret,
		"io_uring_queue_init failed: %s (is it disabled? see "
		"/proc/sys/kernel/io_uring_disabled; "
		"use --io blocking or busypoll)",
		strerror(-ret));
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (!ret)
		io_uring_queue_exit(&ring);
	cap_add(caps, "io_uring_sqpoll", !ret,
		"a ring with IORING_SETUP_SQPOLL failed: %s (SQPOLL needs root before Linux 5.11; "
		"use --io uring)",
		strerror(-ret));
}

/* probe_bpf - a tracepoint or raw tracepoint program loads: what the tracer needs. */
static void probe_bpf(struct json_object *caps)
{
	struct json_object *c;
	int tp, raw;

	if (!has_bpf_caps()) {
		cap_add(caps, "bpf", false,
			"loading tracing programs needs root or CAP_BPF and "
			"CAP_PERFMON (run as root; without it runs are untraced)");
		return;
	}
	tp = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_TRACEPOINT, NULL);
	raw = libbpf_probe_bpf_prog_type(BPF_PROG_TYPE_RAW_TRACEPOINT, NULL);
	c = cap_add(caps, "bpf", tp == 1 || raw == 1,
		    "neither a tracepoint nor a raw tracepoint "
		    "program loads (%s): the kernel lacks CONFIG_BPF_EVENTS; runs are untraced",
		    errstr(tp < 0 ? -tp : EINVAL));
	json_object_object_add(c, "tracepoint", json_object_new_boolean(tp == 1));
	json_object_object_add(c, "raw_tracepoint", json_object_new_boolean(raw == 1));
}

/* tracefs_mount - where /proc/mounts has tracefs, into @path; false when it is not mounted. */
static bool tracefs_mount(char *path, size_t len)
{
	char dir[256], type[64];
	bool found = false;
	FILE *f;

	f = fopen("/proc/mounts", "re");
	while (f && !found && fscanf(f, "%*s %255s %63s %*[^\n]", dir, type) == 2)
		found = !strcmp(type, "tracefs");
	if (f)
		fclose(f);
	if (found)
		snprintf(path, len, "%s", dir);
	return found;
}

/* probe_tracefs - the events list is readable (the access also triggers the automount). */
static void probe_tracefs(struct json_object *caps)
{
	static const char *const dirs[] = {"/sys/kernel/tracing", "/sys/kernel/debug/tracing"};
	struct json_object *c;
	char file[300], path[256];
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(file, sizeof(file), "%s/available_events", dirs[i]);
		if (access(file, R_OK))
			continue;
		c = cap_add(caps, "tracefs", true, NULL);
		json_object_object_add(c, "path", json_object_new_string(dirs[i]));
		return;
	}
	if (tracefs_mount(path, sizeof(path)))
		cap_add(caps, "tracefs", false, "mounted at '%s' but not readable (run as root)",
			path);
	else
		cap_add(caps, "tracefs", false,
			"not mounted (as root, ringscope mounts it itself; or "
			"'mount -t tracefs nodev /sys/kernel/tracing')");
}

static void probe_btf(struct json_object *caps)
{
	int ok = !access("/sys/kernel/btf/vmlinux", R_OK);

	cap_add(caps, "btf", ok,
		"'/sys/kernel/btf/vmlinux' is not readable: %s (the tracer's CO-RE "
		"programs need a kernel built with CONFIG_DEBUG_INFO_BTF)",
		strerror(errno));
}

/* kprobe_open - a real kprobe on @sym through the kprobe PMU; 0 or -errno. */
static int kprobe_open(int type, const char *sym)
{
	struct perf_event_attr attr = {.size = sizeof(attr), .type = (uint32_t)type};
	int fd;

	attr.config1 = (uint64_t)(uintptr_t)sym;
	fd = (int)syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

static void probe_kprobes(struct json_object *caps)
{
	char buf[32];
	FILE *f = fopen(KPROBE_PMU_TYPE, "re");
	int type = -1, ret;

	if (f && fgets(buf, sizeof(buf), f))
		type = atoi(buf);
	if (f)
		fclose(f);
	if (type < 0) {
		cap_add(caps, "kprobes", false,
			"no 'kprobe' PMU in /sys/bus/event_source/devices: "
			"the kernel is built without CONFIG_KPROBES (ringscope needs only "
			"tracepoints)");
		return;
	}
	ret = kprobe_open(type, "schedule");
	cap_add(caps, "kprobes", !ret, "a kprobe on 'schedule' failed: %s (run as root)",
		strerror(-ret));
}

/*
 * fentry_attach - load a 2-instruction fentry program on FENTRY_TARGET and attach it; @stage
 * names the step that failed.
 */
static int fentry_attach(const char **stage)
{
	struct bpf_insn insns[] = {
	    {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
	    {.code = BPF_JMP | BPF_EXIT},
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = BPF_TRACE_FENTRY);
	struct btf *btf = btf__load_vmlinux_btf();
	int id, prog, link, ret = 0;

	*stage = "find in the kernel's BTF";
	if (!btf)
		return -errno;
	id = btf__find_by_name_kind(btf, FENTRY_TARGET, BTF_KIND_FUNC);
	btf__free(btf);
	if (id < 0)
		return id;
	opts.attach_btf_id = (uint32_t)id;
	*stage = "load";
	prog = bpf_prog_load(BPF_PROG_TYPE_TRACING, "rs_fentry_probe", "GPL", insns, 2, &opts);
	if (prog < 0)
		return -errno;
	*stage = "attach";
	link = bpf_link_create(prog, 0, BPF_TRACE_FENTRY, NULL);
	if (link < 0)
		ret = -errno;
	else
		close(link);
	close(prog);
	return ret;
}

static void probe_fentry(struct json_object *caps)
{
	const char *stage = "";
	int ret;

	if (!has_bpf_caps()) {
		cap_add(caps, "fentry", false,
			"needs root or CAP_BPF and CAP_PERFMON (run as root)");
		return;
	}
	ret = fentry_attach(&stage);
	cap_add(caps, "fentry", !ret,
		"failed to %s an fentry program on '" FENTRY_TARGET "': %s "
		"(this kernel allows no BPF trampolines; ringscope needs only tracepoints)",
		stage, errstr(-ret));
}

/* probe_netns - a forked child can unshare its network namespace (--domains netns). */
static void probe_netns(struct json_object *caps)
{
	int status = 0, ret = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(unshare(CLONE_NEWNET) ? errno : 0);
	if (pid < 0)
		ret = errno;
	else if (waitpid(pid, &status, 0) < 0)
		ret = errno;
	else
		ret = WIFEXITED(status) ? WEXITSTATUS(status) : ECHILD;
	cap_add(caps, "netns", !ret,
		"cannot create a network namespace: %s (run as root; needed "
		"for --domains netns)",
		strerror(ret));
}

struct json_object *platform_capabilities(void)
{
	struct json_object *caps = json_object_new_object();

	if (!caps)
		return NULL;
	cap_add(caps, "root", geteuid() == 0,
		"not running as root: tracing and network namespaces "
		"need it (run with sudo)");
	probe_io_uring(caps);
	probe_bpf(caps);
	probe_tracefs(caps);
	probe_btf(caps);
	probe_kprobes(caps);
	probe_fentry(caps);
	probe_netns(caps);
	return caps;
}

bool platform_capability_available(struct json_object *caps, const char *name)
{
	struct json_object *c, *avail;

	return json_object_object_get_ex(caps, name, &c) &&
	       json_object_object_get_ex(c, "available", &avail) && json_object_get_boolean(avail);
}
