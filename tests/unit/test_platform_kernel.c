// SPDX-License-Identifier: MIT
/* test_platform_kernel - the kernel's view of the platform read from a fixture tree. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <json-c/json.h>

#include "runner/platform_kernel.h"
#include "tests/unit/check.h"

/* put - @text into @root/@rel, making its folders. */
static int put(const char *root, const char *rel, const char *text)
{
	char path[512], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (slash = strchr(path + strlen(root) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static const char *str(struct json_object *k, const char *key)
{
	struct json_object *v;

	return json_object_object_get_ex(k, key, &v) && v ? json_object_get_string(v) : NULL;
}

/* test_parsers - the log line and the config's HZ and NO_HZ, on known text. */
static int test_parsers(void)
{
	static const char log[] = "<6>[0.000] Linux version 6.18\n<6>[0.000] Hypervisor detected: "
				  "PVM\n<6>[0.001] tsc: Fast TSC";
	const char *nohz;
	char name[32];
	long hz;

	CHECK(platform_kernel_hypervisor_in_log(log, sizeof(log) - 1, name, sizeof(name)) == 0);
	EXPECT(!strcmp(name, "PVM"));
	EXPECT(platform_kernel_hypervisor_in_log(log, 20, name, sizeof(name)) == -ENOENT);
	CHECK(platform_kernel_config("CONFIG_HZ=250\nCONFIG_NO_HZ_IDLE=y\n", &hz, &nohz) == 0);
	EXPECT(hz == 250 && !strcmp(nohz, "idle"));
	CHECK(platform_kernel_config("# x\nCONFIG_NO_HZ_FULL=y\nCONFIG_HZ=1000\n", &hz, &nohz) ==
	      0);
	EXPECT(hz == 1000 && !strcmp(nohz, "full"));
	CHECK(platform_kernel_config("# x\nCONFIG_HZ=100\n", &hz, &nohz) == 0);
	EXPECT(hz == 100 && !strcmp(nohz, "periodic"));
	EXPECT(platform_kernel_config("# no tick here\n", &hz, &nohz) == -ENOENT);
	return 0;
}

/* test_fixture_tree - every value from a tree of known files; what is missing says why. */
static int test_fixture_tree(void)
{
	char root[] = "/tmp/test_platform_kernel_XXXXXX", cfg[256], cmd[600];
	struct json_object *o = json_object_new_object(), *k, *m;
	struct utsname u;

	CHECK(o && mkdtemp(root) && !uname(&u));
	snprintf(cfg, sizeof(cfg), "boot/config-%s", u.release);
	CHECK(!put(root, "kmsg", "[0.0] Hypervisor detected: bhyve\n"));
	CHECK(!put(root, "proc/stat", "cpu  1 2 3 4 5 6 7 42 0 0\ncpu0 1 2 3 4 5 6 7 42 0 0\n"));
	CHECK(!put(root, "proc/cmdline", "quiet nohz_full=1\n"));
	CHECK(!put(root, cfg, "CONFIG_HZ=300\nCONFIG_NO_HZ_FULL=y\n"));
	CHECK(!put(root, "sys/devices/system/cpu/nohz_full", "1\n"));
	CHECK(!put(root, "sys/devices/system/cpu/vulnerabilities/meltdown", "Not affected\n"));
	CHECK(!put(root, "sys/devices/system/cpu/vulnerabilities/mds", "Vulnerable\n"));
	platform_kernel_add(o, root);
	k = json_object_object_get(o, "kernel_platform");
	CHECK(k != NULL);
	EXPECT(str(k, "hypervisor") && !strcmp(str(k, "hypervisor"), "bhyve"));
	EXPECT(json_object_get_int64(json_object_object_get(k, "steal_ticks")) == 42);
	EXPECT(json_object_get_boolean(json_object_object_get(k, "steal_reported")));
	EXPECT(json_object_get_int64(json_object_object_get(k, "hz")) == 300);
	EXPECT(str(k, "nohz") && !strcmp(str(k, "nohz"), "full"));
	EXPECT(str(k, "nohz_full_cpus") && !strcmp(str(k, "nohz_full_cpus"), "1"));
	EXPECT(str(k, "cmdline") && !strcmp(str(k, "cmdline"), "quiet nohz_full=1"));
	m = json_object_object_get(k, "mitigations");
	EXPECT(m && json_object_object_length(m) == 2 && !strcmp(str(m, "mds"), "Vulnerable"));
	/* no clockevent file in the tree: null, and the error names the file */
	EXPECT(json_object_object_get_ex(k, "clockevent", NULL) && !str(k, "clockevent"));
	EXPECT(str(k, "clockevent_error") && strstr(str(k, "clockevent_error"), root));
	json_object_put(o);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	EXPECT(system(cmd) == 0);
	return 0;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(parsers),
	    CHECK_CASE(fixture_tree),
	};

	return CHECK_RUN(cases);
}
