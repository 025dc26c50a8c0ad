// SPDX-License-Identifier: MIT
/* platform_kernel - the kernel's own view of the platform, for the trace's PLATFORM chunk. */
#include "runner/platform_kernel.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/utsname.h>

#include <json-c/json.h>
#include <zlib.h>

#define HV_PREFIX     "Hypervisor detected: "
#define KLOG_READ_ALL 3	 /* SYSLOG_ACTION_READ_ALL */
#define KLOG_SIZE     10 /* SYSLOG_ACTION_SIZE_BUFFER */
#define CONFIG_MAX    (4 << 20)
#define VULN_DIR      "/sys/devices/system/cpu/vulnerabilities"

/* set_or_error - @key = @v (a string), or null and "<key>_error" = @why when @v is NULL. */
static void set_or_error(struct json_object *o, const char *key, const char *v, const char *why)
{
	char name[64];

	json_object_object_add(o, key, v ? json_object_new_string(v) : NULL);
	if (v)
		return;
	snprintf(name, sizeof(name), "%s_error", key);
	json_object_object_add(o, name, json_object_new_string(why));
}

/* read_text - up to @len - 1 bytes of @root@path, NUL-terminated, trailing newline cut; -errno. */
static int read_text(const char *root, const char *path, char *buf, size_t len)
{
	char full[PATH_MAX];
	size_t n;
	FILE *f;

	snprintf(full, sizeof(full), "%s%s", root, path);
	f = fopen(full, "re");
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	return 0;
}

/* add_file - @key from the first line of @root@path, or its error naming the file. */
static void add_file(struct json_object *o, const char *key, const char *root, const char *path)
{
	char buf[4096], why[PATH_MAX + 64];
	int ret = read_text(root, path, buf, sizeof(buf));

	snprintf(why, sizeof(why), "cannot read %s%s: %s", root, path, strerror(-ret));
	set_or_error(o, key, ret ? NULL : buf, why);
}

int platform_kernel_hypervisor_in_log(const char *log, size_t len, char *out, size_t outlen)
{
	const char *p = memmem(log, len, HV_PREFIX, strlen(HV_PREFIX));
	size_t n;

	if (!p)
		return -ENOENT;
	p += strlen(HV_PREFIX);
	n = strcspn(p, "\n");
	n = n < (size_t)(log + len - p) ? n : (size_t)(log + len - p);
	snprintf(out, outlen, "%.*s", (int)n, p);
	return 0;
}

/* add_hypervisor - the kernel log's "Hypervisor detected" (dmesg's first lines), if still held. */
static void add_hypervisor(struct json_object *o, const char *root)
{
	char name[64], path[PATH_MAX], *log = NULL;
	int len;
	FILE *f;

	if (!*root) {
		len = klogctl(KLOG_SIZE, NULL, 0);
		log = len > 0 ? malloc(len) : NULL;
		len = log ? klogctl(KLOG_READ_ALL, log, len) : -errno;
	} else {
		snprintf(path, sizeof(path), "%s/kmsg", root);
		f = fopen(path, "re");
		log = f ? calloc(1, 1 << 16) : NULL;
		len = log ? (int)fread(log, 1, (1 << 16) - 1, f) : -ENOENT;
		if (f)
			fclose(f);
	}
	if (len > 0 && !platform_kernel_hypervisor_in_log(log, len, name, sizeof(name)))
		set_or_error(o, "hypervisor", name, NULL);
	else
		set_or_error(o, "hypervisor", NULL,
			     len < 0 ? "cannot read the kernel log (root can)"
				     : "the kernel log holds no 'Hypervisor detected' line (bare "
				       "metal, or the line has rotated out)");
	free(log);
}

int platform_kernel_config(const char *cfg, long *hz, const char **nohz)
{
	const char *p = strstr(cfg, "\nCONFIG_HZ=");

	if (!p && !strncmp(cfg, "CONFIG_HZ=", 10))
		p = cfg - 1;
	if (!p)
		return -ENOENT;
	*hz = strtol(p + strlen("\nCONFIG_HZ="), NULL, 10);
	*nohz = strstr(cfg, "\nCONFIG_NO_HZ_FULL=y")   ? "full"
		: strstr(cfg, "\nCONFIG_NO_HZ_IDLE=y") ? "idle"
						       : "periodic";
	return 0;
}

/* read_config - the running kernel's config: /boot/config-RELEASE, else /proc/config.gz. */
static char *read_config(const char *root, char *src, size_t srclen)
{
	char *cfg = malloc(CONFIG_MAX);
	struct utsname u;
	gzFile gz;
	int n = -1;

	if (!cfg || uname(&u))
		return free(cfg), NULL;
	/* gzopen reads a plain file as it is, so one path serves both */
	snprintf(src, srclen, "%s/boot/config-%s", root, u.release);
	gz = gzopen(src, "rb");
	if (!gz) {
		snprintf(src, srclen, "%s/proc/config.gz", root);
		gz = gzopen(src, "rb");
	}
	if (gz) {
		n = gzread(gz, cfg, CONFIG_MAX - 1);
		gzclose(gz);
	}
	if (n <= 0)
		return free(cfg), NULL;
	cfg[n] = '\0';
	return cfg;
}

/* add_tick - HZ and NO_HZ mode from the config, and the nohz_full CPUs where there are any. */
static void add_tick(struct json_object *o, const char *root)
{
	char src[PATH_MAX], buf[256];
	char *cfg = read_config(root, src, sizeof(src));
	const char *nohz;
	long hz;

	if (cfg && !platform_kernel_config(cfg, &hz, &nohz)) {
		json_object_object_add(o, "hz", json_object_new_int64(hz));
		json_object_object_add(o, "nohz", json_object_new_string(nohz));
		json_object_object_add(o, "kernel_config", json_object_new_string(src));
	} else {
		set_or_error(o, "hz", NULL,
			     "no kernel config (/boot/config-RELEASE or /proc/config.gz) with "
			     "CONFIG_HZ");
		json_object_object_add(o, "nohz", NULL);
	}
	free(cfg);
	if (!read_text(root, "/sys/devices/system/cpu/nohz_full", buf, sizeof(buf)) && *buf &&
	    strcmp(buf, "(null)"))
		json_object_object_add(o, "nohz_full_cpus", json_object_new_string(buf));
}

/* add_steal - the steal time the kernel counted since boot (/proc/stat, USER_HZ ticks). */
static void add_steal(struct json_object *o, const char *root)
{
	unsigned long long v[8];
	char buf[1024];

	if (read_text(root, "/proc/stat", buf, sizeof(buf)) ||
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
		   &v[4], &v[5], &v[6], &v[7]) != 8) {
		set_or_error(o, "steal_ticks", NULL, "cannot read the cpu line of /proc/stat");
		return;
	}
	json_object_object_add(o, "steal_ticks", json_object_new_int64((int64_t)v[7]));
	/* a host that never reports steal leaves it at 0; any tick means it is reported */
	json_object_object_add(o, "steal_reported", json_object_new_boolean(v[7] > 0));
}

/* add_mitigations - every file of the vulnerabilities folder: what the kernel does about it. */
static void add_mitigations(struct json_object *o, const char *root)
{
	struct json_object *m = json_object_new_object();
	char path[PATH_MAX], buf[512];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s" VULN_DIR, root);
	dir = opendir(path);
	if (!dir) {
		json_object_put(m);
		set_or_error(o, "mitigations", NULL, "no " VULN_DIR);
		return;
	}
	while ((d = readdir(dir))) {
		snprintf(path, sizeof(path), VULN_DIR "/%s", d->d_name);
		if (d->d_name[0] != '.' && !read_text(root, path, buf, sizeof(buf)))
			json_object_object_add(m, d->d_name, json_object_new_string(buf));
	}
	closedir(dir);
	json_object_object_add(o, "mitigations", m);
}

void platform_kernel_add(struct json_object *o, const char *root)
{
	struct json_object *k = json_object_new_object();

	if (!k)
		return;
	add_hypervisor(k, root);
	add_steal(k, root);
	add_file(k, "clockevent", root,
		 "/sys/devices/system/clockevents/clockevent0/current_device");
	add_tick(k, root);
	add_file(k, "cpuidle_driver", root, "/sys/devices/system/cpu/cpuidle/current_driver");
	add_file(k, "cpuidle_governor", root,
		 "/sys/devices/system/cpu/cpuidle/current_governor_ro");
	add_mitigations(k, root);
	add_file(k, "cmdline", root, "/proc/cmdline");
	json_object_object_add(o, "kernel_platform", k);
}
