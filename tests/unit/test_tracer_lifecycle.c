// SPDX-License-Identifier: MIT
/*
 * test_tracer_lifecycle - the tracer needs privileges, leaves nothing loaded behind it, and
 * while paused leaves nothing attached.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "tests/unit/tracer_testlib.h"

#define MAX_IDS 128

/* test_not_root - without privileges: -EPERM and a message that says to run as root. */
static int test_not_root(void)
{
	struct tracer_opts o = {0};
	struct tracer *t;
	char err[256] = "";
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534))
			_exit(2);
		_exit(tracer_open(&o, &t, err, sizeof(err)) == -EPERM && strstr(err, "run as root")
			  ? 0
			  : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
	return T_EXIT_PASS;
}

/* prog_ids - the BPF programs process @pid holds (prog and link fds), from /proc fdinfo. */
static int prog_ids(pid_t pid, uint32_t *ids, int max)
{
	char path[64], line[128];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", pid, fd);
		f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f) && n < max) {
			unsigned int id;

			if (sscanf(line, "prog_id: %u", &id) != 1)
				continue;
			ids[n++] = id;
			break;
		}
		fclose(f);
	}
	return n;
}

/* prog_name - the name of loaded program @id, or "" once it is gone. */
static void prog_name(uint32_t id, char *name, size_t len)
{
	struct bpf_prog_info info = {0};
	uint32_t info_len = sizeof(info);
	int fd = bpf_prog_get_fd_by_id(id);

	name[0] = '\0';
	if (fd < 0)
		return;
	if (bpf_obj_get_info_by_fd(fd, &info, &info_len) == 0)
		snprintf(name, len, "%s", info.name);
	close(fd);
}

/* ours_gone - every one of @ids is an rs_* program that is no longer loaded (waits up to 5 s). */
static bool ours_gone(const uint32_t *ids, int n)
{
	char name[32];

	for (int tries = 0; tries < 500; tries++) {
		int left = 0;

		for (int i = 0; i < n; i++) {
			prog_name(ids[i], name, sizeof(name));
			left += name[0] != '\0';
		}
		if (!left)
			return true;
		usleep(10000);
	}
	return false;
}

/* all_ours - at least 20 ids, all named rs_*: the tracer's programs, not someone else's. */
static bool all_ours(const uint32_t *ids, int n)
{
	char name[32];

	for (int i = 0; i < n; i++) {
		prog_name(ids[i], name, sizeof(name));
		if (strncmp(name, "rs_", 3))
			return false;
	}
	return n >= 20;
}

/* test_close_detaches - after tracer_close none of its programs is loaded. */
static int test_close_detaches(void)
{
	uint32_t ids[MAX_IDS];
	struct tracer *t;
	size_t count = 0;
	int n;

	t = open_tracer(NULL, &count, false, NULL, 0);
	if (!t)
		return T_EXIT_FAIL;
	n = prog_ids(getpid(), ids, MAX_IDS);
	EXPECT(all_ours(ids, n));
	tracer_close(t);
	EXPECT(ours_gone(ids, n));
	return T_EXIT_PASS;
}

/* test_kill9 - a SIGKILLed tracer leaves no program loaded: links are owned by its fds. */
static int test_kill9(void)
{
	uint32_t ids[MAX_IDS];
	int p[2], status, n = 0;
	char ready = 0;
	pid_t pid;

	if (pipe(p))
		return T_EXIT_FAIL;
	pid = fork();
	if (pid == 0) {
		size_t count = 0;
		struct tracer *t = open_tracer(NULL, &count, false, NULL, 0);

		ready = t && tracer_add_tgid(t, getpid()) == 0 && tracer_start(t) == 0 ? 'y' : 'n';
		if (write(p[1], &ready, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	EXPECT(pid > 0 && read(p[0], &ready, 1) == 1 && ready == 'y');
	close(p[0]);
	if (ready == 'y')
		n = prog_ids(pid, ids, MAX_IDS);
	EXPECT(all_ours(ids, n));
	kill(pid, SIGKILL);
	EXPECT(waitpid(pid, &status, 0) == pid && WIFSIGNALED(status));
	EXPECT(ours_gone(ids, n));
	return T_EXIT_PASS;
}

/*
 * attachments - what this process holds attached: BPF links (fdinfo "link_type") and perf
 * events (a classic tracepoint's program hangs on one).
 */
static int attachments(void)
{
	char path[64], target[64], line[128];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		FILE *f;
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		len = readlink(path, target, sizeof(target) - 1);
		if (len < 0)
			continue;
		target[len] = '\0';
		if (strstr(target, "perf_event")) {
			n++;
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f))
			n += !strncmp(line, "link_type:", 10);
		if (f)
			fclose(f);
	}
	return n;
}

/* blocked - a thread that sleeps in read() until the pipe gets a byte. */
struct blocked {
	int pipe[2];
	pid_t tid;
};

static void *block_on_pipe(void *arg)
{
	struct blocked *b = arg;
	char c;

	__atomic_store_n(&b->tid, (pid_t)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
	return read(b->pipe[0], &c, 1) == 1 ? NULL : arg;
}

/* syscalls - a few hundred syscalls of this thread (records while traced). */
static void syscalls(void)
{
	for (int i = 0; i < 300; i++)
		getppid();
}

/*
 * records_of - how many of @c's records are about @tid, and how many of those started in
 * [@from, @to).
 */
static size_t records_of(const struct collect *c, pid_t tid, uint64_t from, uint64_t to,
			 size_t *inside)
{
	size_t n = 0;

	*inside = 0;
	for (size_t i = 0; i < c->n; i++) {
		if (c->ev[i].tid != (uint32_t)tid)
			continue;
		n++;
		*inside += c->ev[i].ts_ns >= from && c->ev[i].ts_ns < to;
	}
	return n;
}

/*
 * test_pause_detaches - paused, nothing of the tracer is attached and nothing is recorded;
 * resumed, everything is attached again, records flow, nothing is paired across the pause (a
 * thread that slept through it has no OFFCPU record from before it), and the status counts
 * every record of both parts.
 */
static int test_pause_detaches(void)
{
	struct blocked b = {.tid = 0};
	struct collect c = {0};
	struct tracer_status st;
	uint64_t paused, resumed;
	size_t inside, before;
	struct tracer *t;
	pthread_t thread;
	int attached;
	char err[256] = "";

	t = open_tracer(&c, NULL, false, NULL, 0);
	CHECK(t && pipe(b.pipe) == 0);
	CHECK(tracer_add_tgid(t, getpid()) == 0 && tracer_start(t) == 0);
	CHECK(pthread_create(&thread, NULL, block_on_pipe, &b) == 0);
	while (!__atomic_load_n(&b.tid, __ATOMIC_SEQ_CST))
		usleep(1000);
	usleep(20000); /* it is asleep in read() now, switched out while traced */
	attached = attachments();
	syscalls();
	EXPECT(tracer_pause(t) == 0);
	paused = now_ns();
	before = c.n;
	EXPECT(attached >= 10 && attachments() == 0);
	EXPECT(tracer_pause(t) == -EINVAL && tracer_start(t) == -EALREADY);
	syscalls();
	usleep(10000);
	resumed = now_ns();
	EXPECT(tracer_resume(t, err, sizeof(err)) == 0);
	EXPECT(attachments() == attached);
	EXPECT(write(b.pipe[1], "x", 1) == 1 && pthread_join(thread, NULL) == 0);
	syscalls();
	EXPECT(tracer_stop(t, &st) == 0);
	EXPECT(records_of(&c, (pid_t)syscall(SYS_gettid), paused, resumed, &inside) > 600 &&
	       inside == 0);
	EXPECT(c.n > before && st.events == c.n && st.lost == 0);
	for (size_t i = 0; i < c.n; i++) /* woken after the resume: no switch-out before it */
		EXPECT(!(c.ev[i].type == TRACER_EV_OFFCPU && c.ev[i].tid == (uint32_t)b.tid &&
			 c.ev[i].ts_ns < resumed));
	tracer_close(t);
	close(b.pipe[0]);
	close(b.pipe[1]);
	free(c.ev);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(not_root),
	    CHECK_CASE(close_detaches),
	    CHECK_CASE(kill9),
	    CHECK_CASE(pause_detaches),
	};

	return tracer_test_run(cases, sizeof(cases) / sizeof(cases[0]));
}
