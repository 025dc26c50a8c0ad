// SPDX-License-Identifier: MIT
/* topology - lay out ring members on CPUs and network namespaces; create and remove the netns. */
#include "runner/topology.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <numa.h>
#include <sched.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner/netns_owner.h"

extern char **environ;

#define NETNS_DIR "/run/netns"
/* Interface names inside a member's namespace: its link to the next and to the previous member. */
#define VETH_NEXT "rs-next"
#define VETH_PREV "rs-prev"

/* read_all - read @fd until EOF into @buf (NUL-terminated, truncated to fit). */
static void read_all(int fd, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t n;

	while (used + 1 < len) {
		n = read(fd, buf + used, len - 1 - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	buf[used] = '\0';
	while (used && (buf[used - 1] == '\n' || buf[used - 1] == ' '))
		buf[--used] = '\0';
}

/*
 * run_ip - run `ip ARGS...` and wait for it. Its stdout and stderr go into the error message on
 * failure, so that "RTNETLINK answers: File exists" reaches the user. 0 or -errno.
 */
static int run_ip(char *err, size_t errlen, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	char out[512], cmd[256] = "";
	int pipefd[2], status, rc, i;
	pid_t pid;

	for (i = 0; argv[i]; i++)
		snprintf(cmd + strlen(cmd), sizeof(cmd) - strlen(cmd), "%s%s", i ? " " : "",
			 argv[i]);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDERR_FILENO);
	rc = -posix_spawnp(&pid, "ip", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc) {
		close(pipefd[0]);
		snprintf(err, errlen, "failed to run '%s': %s (install iproute2)", cmd,
			 strerror(-rc));
		return rc;
	}
	read_all(pipefd[0], out, sizeof(out));
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	snprintf(err, errlen, "'%s' failed: %s", cmd, *out ? out : "no output");
	return -EIO;
}

/* netns_del - remove the namespace @name; deleting it also removes the veth ends inside it. */
static int netns_del(const char *name)
{
	char err[256];

	return run_ip(err, sizeof(err), (char *const[]){"ip", "netns", "del", (char *)name, NULL});
}

/* netns_add - create the namespace @name with its loopback up. */
static int netns_add(const char *name, char *err, size_t errlen)
{
	int rc;

	rc = run_ip(err, errlen, (char *const[]){"ip", "netns", "add", (char *)name, NULL});
	if (rc)
		return rc;
	return run_ip(err, errlen,
		      (char *const[]){"ip", "-n", (char *)name, "link", "set", "lo", "up", NULL});
}

/* addr_up - give @dev in namespace @ns the address @cidr and bring it up. */
static int addr_up(const char *ns, const char *dev, const char *cidr, char *err, size_t errlen)
{
	int rc;

	rc = run_ip(err, errlen,
		    (char *const[]){"ip", "-n", (char *)ns, "addr", "add", (char *)cidr, "dev",
				    (char *)dev, NULL});
	if (rc)
		return rc;
	return run_ip(
	    err, errlen,
	    (char *const[]){"ip", "-n", (char *)ns, "link", "set", (char *)dev, "up", NULL});
}

/*
 * link_members - veth pair @i: VETH_NEXT in member i's namespace (198.18.i.1/24) and VETH_PREV in
 * member (i+1)'s namespace (198.18.i.2/24), the address member i+1 listens on.
 */
static int link_members(struct topology *topo, unsigned int i, char *err, size_t errlen)
{
	const char *a = topo->members[i].netns;
	const char *b = topo->members[(i + 1) % topo->nmembers].netns;
	char near[32], far[32];
	int rc;

	rc = run_ip(err, errlen,
		    (char *const[]){"ip", "-n", (char *)a, "link", "add", VETH_NEXT, "type", "veth",
				    "peer", "name", VETH_PREV, "netns", (char *)b, NULL});
	if (rc)
		return rc;
	snprintf(near, sizeof(near), "198.18.%u.1/24", i);
	snprintf(far, sizeof(far), "198.18.%u.2/24", i);
	rc = addr_up(a, VETH_NEXT, near, err, errlen);
	return rc ? rc : addr_up(b, VETH_PREV, far, err, errlen);
}

/* layout - CPUs and addresses of every member; namespace names are filled as they are made. */
static void layout(const struct probe_config *cfg, struct topology *topo)
{
	unsigned int i, n = topo->nmembers;
	bool veth = cfg->domains == PROBE_DOMAINS_NETNS && n > 1;
	char addr[32];

	for (i = 0; i < n; i++) {
		struct topology_member *m = &topo->members[i];

		m->index = i;
		m->cpu = placement_member_cpu(&cfg->cpus, i);
		m->netns[0] = '\0';
		m->listen_addr.s_addr = htonl(INADDR_LOOPBACK);
		m->next_addr.s_addr = htonl(INADDR_LOOPBACK);
		if (!veth)
			continue;
		snprintf(addr, sizeof(addr), "198.18.%u.2", (i + n - 1) % n);
		inet_pton(AF_INET, addr, &m->listen_addr);
		snprintf(addr, sizeof(addr), "198.18.%u.2", i);
		inet_pton(AF_INET, addr, &m->next_addr);
	}
}

/* netns_exists - whether a namespace named @name exists (its file in NETNS_DIR). */
static bool netns_exists(const char *name)
{
	char path[sizeof(NETNS_DIR) + 64];
	struct stat sb;

	snprintf(path, sizeof(path), NETNS_DIR "/%s", name);
	return !lstat(path, &sb);
}

/*
 * claim_netns - create the namespace @name for @m and make it @m's only once it is ours: made
 * now, by this call, and not there before (a name another run took is never deleted by our
 * cleanup). An `ip` interrupted half-way may still have made it: then it is ours too.
 */
static int claim_netns(struct topology_member *m, const char *name, char *err, size_t errlen)
{
	int rc;

	if (netns_exists(name)) {
		snprintf(err, errlen,
			 "a network namespace '%s' exists already (not made by this run)", name);
		return -EEXIST;
	}
	rc = netns_add(name, err, errlen);
	if (rc && !netns_exists(name))
		return rc;
	snprintf(m->netns, sizeof(m->netns), "%s", name);
	netns_owner_hold();
	return rc;
}

/*
 * create_netns - one namespace per member, named under this run's lock (runner/netns_owner.h),
 * then the veth ring between them (none for 1 hop).
 */
static int create_netns(struct topology *topo, char *err, size_t errlen)
{
	char prefix[48], name[sizeof(topo->members[0].netns)];
	unsigned int i;
	int rc;

	rc = netns_owner_take(prefix, sizeof(prefix), err, errlen);
	for (i = 0; !rc && i < topo->nmembers; i++) {
		snprintf(name, sizeof(name), "%s-%u", prefix, i);
		rc = claim_netns(&topo->members[i], name, err, errlen);
	}
	for (i = 0; !rc && topo->nmembers > 1 && i < topo->nmembers; i++)
		rc = link_members(topo, i, err, errlen);
	return rc;
}

int topology_create(const struct probe_config *cfg, struct topology *topo, char *err, size_t errlen)
{
	int rc;

	memset(topo, 0, sizeof(*topo));
	topo->domains = cfg->domains;
	topo->nmembers = cfg->members ? cfg->members : 1;
	if (topo->nmembers > PROBE_MAX_MEMBERS) {
		snprintf(err, errlen, "%u members are more than the %d a ring can have",
			 topo->nmembers, PROBE_MAX_MEMBERS);
		return -EINVAL;
	}
	layout(cfg, topo);
	if (cfg->domains != PROBE_DOMAINS_NETNS)
		return 0;
	rc = create_netns(topo, err, errlen);
	if (rc)
		topology_destroy(topo);
	return rc;
}

void topology_destroy(struct topology *topo)
{
	unsigned int i;

	for (i = 0; i < topo->nmembers; i++) {
		if (!topo->members[i].netns[0])
			continue;
		netns_del(topo->members[i].netns);
		netns_owner_drop();
		topo->members[i].netns[0] = '\0';
	}
	netns_owner_release();
}

int topology_remove_stale(void)
{
	struct dirent *de;
	int removed = 0;
	DIR *dir;

	dir = opendir(NETNS_DIR);
	if (!dir)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(dir))) {
		if (netns_owner_dead(de->d_name) && netns_del(de->d_name) == 0)
			removed++;
	}
	closedir(dir);
	netns_owner_sweep();
	return removed;
}
