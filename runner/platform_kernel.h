/* SPDX-License-Identifier: MIT */
/*
 * platform_kernel - what the kernel says of the platform that a guest-vs-bare-metal comparison
 * needs beside CPUID (issue 8): its own hypervisor identification, whether steal time is
 * reported, the clockevent device, HZ and NO_HZ mode, the cpuidle driver, the CPU vulnerability
 * mitigations in effect and the kernel command line. Each read from procfs/sysfs under a root
 * folder, so tests can point it at a fixture tree.
 */
#ifndef RINGSCOPE_PLATFORM_KERNEL_H
#define RINGSCOPE_PLATFORM_KERNEL_H

#include <stddef.h>

struct json_object;

/*
 * platform_kernel_add - the "kernel_platform" object into @o, read under @root ("" for this
 * machine; the kernel log is then read with klogctl, else from @root/kmsg). A value that cannot
 * be read is null with "<key>_error" saying why.
 */
void platform_kernel_add(struct json_object *o, const char *root);

/*
 * platform_kernel_hypervisor_in_log - the name after the kernel's "Hypervisor detected: " in
 * @log (@len bytes, not NUL-terminated), into @out (@outlen bytes). 0, or -ENOENT if absent.
 */
int platform_kernel_hypervisor_in_log(const char *log, size_t len, char *out, size_t outlen);

/*
 * platform_kernel_config - HZ and the NO_HZ mode ("full", "idle" or "periodic") from a kernel
 * config's text (@cfg, NUL-terminated). 0, or -ENOENT when it has no CONFIG_HZ line.
 */
int platform_kernel_config(const char *cfg, long *hz, const char **nohz);

#endif
