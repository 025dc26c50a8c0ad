// SPDX-License-Identifier: MIT
/* ring_member - start, drive, stop and blame the forwarder processes of the ring. */
#include "probes/ring_member.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/ring.h"
#include "probes/ring_io.h"
#include "probes/ring_msg.h"

/* A word of a launched command quoted for ssh's remote shell: the binary's path (up to 4096
 * bytes) with room for its quotes. */
#define LAUNCH_WORD_MAX (2 * 4096 + 8)
/* How long a member that broke the ring may take to become a zombie (ms). */
#define RING_MEMBER_DYING_MS 200

/* ring_ctl - one control message: child -> parent reports, parent -> child the next port. */
struct ring_ctl {
	int32_t err;   /* 0 or -errno */
	uint16_t port; /* child: its listener; parent: the next member's listener */
	char text[200];
};

/* ctl_send - send @msg on @fd. */
static int ctl_send(int fd, const struct ring_ctl *msg)
{
	return send(fd, msg, sizeof(*msg), MSG_NOSIGNAL) == sizeof(*msg) ? 0 : -EPIPE;
}

/* child_report - write @rc with its message to the parent on @out; exit if @rc failed. */
static void child_report(int out, struct ring_ctl *msg, int rc)
{
	msg->err = rc;
	if (write(out, msg, sizeof(*msg)) != sizeof(*msg) || rc)
		_exit(1);
}

/* child_read - the parent's message from @in, whole (a launched member's stdin is a stream). */
static void child_read(int in, struct ring_ctl *msg)
{
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(*msg)) {
		n = read(in, (char *)msg + got, sizeof(*msg) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(1);
		got += (size_t)n;
	}
}

/* watch_ctl - a launched member's thread: the runner is gone when its control channel ends. */
static void *watch_ctl(void *arg)
{
	char c;

	while (read((int)(intptr_t)arg, &c, 1) > 0 || errno == EINTR)
		;
	_exit(0);
}

/* forwarder_listen - enter the member's place and listen; the report's text says what failed. */
static int forwarder_listen(const struct topology_member *tm, struct ring_io *io,
			    struct ring_ctl *msg)
{
	char addr[INET_ADDRSTRLEN], why[160];
	int rc;

	rc = topology_enter(tm, why, sizeof(why));
	if (rc) {
		snprintf(msg->text, sizeof(msg->text), "ring member %u: %s", tm->index, why);
		return rc;
	}
	rc = ring_io_listen(io, tm->listen_addr, tm->port, &msg->port);
	if (rc) {
		inet_ntop(AF_INET, &tm->listen_addr, addr, sizeof(addr));
		snprintf(msg->text, sizeof(msg->text),
			 "ring member %u cannot listen on '%s:%u': %s", tm->index, addr, tm->port,
			 strerror(-rc));
	}
	return rc;
}

void ring_forwarder_main(const struct topology_member *tm, const struct probe_config *cfg, int in,
			 int out, bool watch)
{
	const struct ring_settings *rs = ring_settings_of(cfg);
	static unsigned char buf[RING_MSG_MAX];
	struct ring_ctl msg = {0};
	struct ring_io io;
	pthread_t thread;
	int rc;

	/*
	 * ^C reaches the whole process group: the runner stops the ring itself. The runner's
	 * inherited handlers would only set flags in this copy: a forwarder dies of SIGTERM.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	ring_io_init(&io, rs->io, rs->connect, rs->msg_size, tm->cpu, 0);
	io.cpu_shared = tm->shares_cpu;
	ring_io_place(&io, tm->index, cfg->members);
	if (rs->reply == PROBE_REPLY_SAME)
		io.pairing = RING_IO_ANSWERER;
	if (ring_msg_stamps_fit(rs->msg_size, cfg->members))
		io.stamp_at = ring_msg_stamp_at(tm->index);
	rc = forwarder_listen(tm, &io, &msg);
	child_report(out, &msg, rc);
	child_read(in, &msg);
	rc = ring_io_join(&io, tm->next_addr, msg.port);
	if (rc) {
		int used = snprintf(msg.text, sizeof(msg.text), "ring member %u ", tm->index);

		ring_io_why(&io, rc, msg.text + used, sizeof(msg.text) - (size_t)used);
	}
	child_report(out, &msg, rc);
	if (watch && pthread_create(&thread, NULL, watch_ctl, (void *)(intptr_t)in))
		_exit(1);
	do
		rc = ring_io_forward(&io, buf);
	while (!rc);
	_exit(-rc & 0xff);
}

/* add_arg - append @fmt to @argv at *@n (in @store, @len bytes per argument). */
static void add_arg(char **argv, unsigned int *n, char (*store)[64], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(store[*n], sizeof(store[*n]), fmt, ap);
	va_end(ap);
	argv[*n] = store[*n];
	(*n)++;
}

/* through_ssh - whether a word of the prefix @argv[0..@n) is ssh (by its file name). */
static bool through_ssh(char *const *argv, unsigned int n)
{
	const char *base;
	unsigned int i;

	for (i = 0; i < n; i++) {
		base = strrchr(argv[i], '/');
		if (!strcmp(base ? base + 1 : argv[i], "ssh"))
			return true;
	}
	return false;
}

/*
 * shell_quote - @word as one word of a POSIX shell, in single quotes (each ' as '\''), into
 * @dst of @len bytes (a word that does not fit is cut: the remote command then fails, never
 * runs something else). Returns @dst.
 */
static char *shell_quote(char *dst, size_t len, const char *word)
{
	size_t used = 0;

	dst[used++] = '\'';
	for (; *word && used + 6 < len; word++) {
		if (*word == '\'') {
			memcpy(dst + used, "'\\''", 4);
			used += 4;
			continue;
		}
		dst[used++] = *word;
	}
	dst[used++] = '\'';
	dst[used] = '\0';
	return dst;
}

/*
 * quote_command - ssh joins the words of the command it runs with blanks and hands them to the
 * remote user's shell: quote each word after the prefix (the binary's path may hold ; or $), in
 * @store. Nothing to do for a prefix without ssh, which execvp runs without a shell.
 */
static void quote_command(char **argv, unsigned int first, unsigned int n,
			  char (*store)[LAUNCH_WORD_MAX])
{
	unsigned int i;

	if (!through_ssh(argv, first))
		return;
	for (i = first; i < n; i++)
		argv[i] = shell_quote(store[i], sizeof(store[i]), argv[i]);
}

/*
 * exec_launched - the child of a member with a launch prefix: exec `PREFIX... ringscope
 * forwarder ...` with the control socket as its stdin and stdout. The prefix is split at
 * blanks (the topology file refused more than PLACEMENT_PREFIX_WORDS). PR_SET_PDEATHSIG
 * survives the exec (ip netns exec execs without a fork).
 */
static void exec_launched(const struct topology_member *tm, const struct probe_config *cfg, int ctl)
{
	const struct ring_settings *rs = ring_settings_of(cfg);
	static char store[48][64], prefix[sizeof(tm->prefix)], self[4096];
	static char quoted[48][LAUNCH_WORD_MAX];
	char *argv[48], *word, *save = NULL;
	char listen[INET_ADDRSTRLEN], next[INET_ADDRSTRLEN];
	unsigned int n = 0, first;
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[len > 0 ? len : 0] = '\0';
	strcpy(prefix, tm->prefix);
	for (word = strtok_r(prefix, " \t", &save); word && n < PLACEMENT_PREFIX_WORDS;
	     word = strtok_r(NULL, " \t", &save))
		argv[n++] = word;
	first = n;
	inet_ntop(AF_INET, &tm->listen_addr, listen, sizeof(listen));
	inet_ntop(AF_INET, &tm->next_addr, next, sizeof(next));
	argv[n++] = self;
	argv[n++] = "forwarder";
	add_arg(argv, &n, store, "--index=%u", tm->index);
	add_arg(argv, &n, store, "--listen=%s:%u", listen, tm->port);
	add_arg(argv, &n, store, "--next=%s", next);
	add_arg(argv, &n, store, "--hops=%u", cfg->members);
	add_arg(argv, &n, store, "--msg-size=%u", rs->msg_size);
	add_arg(argv, &n, store, "--io=%s", probe_io_names[rs->io]);
	add_arg(argv, &n, store, "--connect=%s", probe_connect_names[rs->connect]);
	/* only when set, so that a launched forwarder of an older build still runs */
	if (rs->reply == PROBE_REPLY_SAME)
		add_arg(argv, &n, store, "--reply=%s", probe_reply_names[rs->reply]);
	if (tm->cpu >= 0) /* unpinned: no --cpu, its default */
		add_arg(argv, &n, store, "--cpu=%d", tm->cpu);
	argv[n] = NULL;
	quote_command(argv, first, n, quoted);
	if (dup2(ctl, STDIN_FILENO) < 0 || dup2(ctl, STDOUT_FILENO) < 0)
		_exit(1);
	close_range(3, ~0U, 0);
	execvp(argv[0], argv);
	_exit(127);
}

int ring_member_start(struct ring_member *m, const struct topology_member *tm,
		      const struct probe_config *cfg, char *err, size_t errlen)
{
	pid_t parent = getpid();
	int sv[2], rc;

	m->index = tm->index;
	m->reaped = false; /* the struct may hold a member the supervisor restarts */
	m->status = 0;
	m->ctl = -1;
	/* a launched member's stdin and stdout may pass through ssh: a stream, read whole */
	if (socketpair(AF_UNIX, (tm->prefix[0] ? SOCK_STREAM : SOCK_SEQPACKET) | SOCK_CLOEXEC, 0,
		       sv) < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to create a control socket: %s", strerror(-rc));
		return rc;
	}
	m->pid = fork();
	if (m->pid < 0) {
		rc = -errno;
		snprintf(err, errlen, "failed to start ring member %u: %s", tm->index,
			 strerror(-rc));
		m->pid = 0;
		close(sv[0]);
		close(sv[1]);
		return rc;
	}
	if (m->pid == 0) {
		/*
		 * Die with the runner's thread that forked us (the one that runs the probe); it
		 * may already be gone before prctl took effect.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
			_exit(1);
		/* Keep only the control socket: the runner's trace and BPF fds are not ours. */
		if (sv[1] > 3)
			close_range(3, (unsigned int)sv[1] - 1, 0);
		close_range((unsigned int)sv[1] + 1, ~0U, 0);
		if (tm->prefix[0])
			exec_launched(tm, cfg, sv[1]);
		ring_forwarder_main(tm, cfg, sv[1], sv[1], false);
	}
	close(sv[1]);
	m->ctl = sv[0];
	return 0;
}

/* ctl_recv - the member's next report, within RING_SETUP_MS. 0 or -errno, @err set. */
static int ctl_recv(struct ring_member *m, struct ring_ctl *msg, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = m->ctl, .events = POLLIN};
	int rc;

	rc = poll(&pfd, 1, RING_SETUP_MS);
	if (rc < 0) {
		rc = -errno;
		snprintf(err, errlen, "interrupted while waiting for ring member %u: %s", m->index,
			 strerror(-rc));
		return rc;
	}
	if (rc == 0) {
		snprintf(err, errlen, "ring member %u (pid %d) did not answer within %d ms",
			 m->index, m->pid, RING_SETUP_MS);
		return -ETIMEDOUT;
	}
	if (recv(m->ctl, msg, sizeof(*msg), MSG_WAITALL) != sizeof(*msg))
		return ring_members_blame(m, 1, -EPIPE, 0, err, errlen);
	if (msg->err) {
		msg->text[sizeof(msg->text) - 1] = '\0';
		snprintf(err, errlen, "%s", msg->text);
	}
	return msg->err;
}

int ring_member_listening(struct ring_member *m, uint16_t *port, char *err, size_t errlen)
{
	struct ring_ctl msg;
	int rc;

	rc = ctl_recv(m, &msg, err, errlen);
	if (!rc)
		*port = msg.port;
	return rc;
}

int ring_member_join(struct ring_member *m, uint16_t next_port)
{
	struct ring_ctl msg = {.port = next_port};

	return ctl_send(m->ctl, &msg);
}

int ring_member_ready(struct ring_member *m, char *err, size_t errlen)
{
	struct ring_ctl msg;

	return ctl_recv(m, &msg, err, errlen);
}

void ring_member_stop(struct ring_member *m)
{
	if (m->pid > 0 && !m->reaped) {
		kill(m->pid, SIGKILL);
		while (waitpid(m->pid, &m->status, 0) < 0 && errno == EINTR)
			;
		m->reaped = true;
	}
	if (m->ctl >= 0)
		close(m->ctl);
	m->ctl = -1;
}

/* reap_exited - wait (without blocking) for members that have exited; how many have. */
static unsigned int reap_exited(struct ring_member *m, unsigned int n)
{
	unsigned int i, dead = 0;

	for (i = 0; i < n; i++) {
		if (m[i].pid > 0 && !m[i].reaped && waitpid(m[i].pid, &m[i].status, WNOHANG) > 0)
			m[i].reaped = true;
		dead += m[i].reaped;
	}
	return dead;
}

/* describe_death - "ring member 1 (pid 12) was killed by signal 9" and the like. */
static void describe_death(const struct ring_member *m, char *err, size_t errlen)
{
	int code;

	if (WIFSIGNALED(m->status)) {
		snprintf(err, errlen, "ring member %u (pid %d) was killed by signal %d", m->index,
			 m->pid, WTERMSIG(m->status));
		return;
	}
	code = WEXITSTATUS(m->status);
	snprintf(err, errlen, "ring member %u (pid %d) exited with status %d (%s)", m->index,
		 m->pid, code,
		 code == 127		  ? "its launch prefix or ringscope was not found"
		 : code > 1 && code < 127 ? strerror(code)
					  : "it could not set up");
}

/* describe_alive - "no reply ... (members 1, 2 alive)" or the io error with everyone alive. */
static void describe_alive(const struct ring_member *m, unsigned int n, int rc,
			   unsigned int timeout_ms, char *err, size_t errlen)
{
	char who[96] = "";
	unsigned int i;
	size_t used = 0;

	for (i = 0; i < n && used < sizeof(who); i++)
		used += (size_t)snprintf(who + used, sizeof(who) - used, "%s%u", i ? ", " : "",
					 m[i].index);
	if (rc == -ETIMEDOUT)
		snprintf(err, errlen, "no reply from the ring within %u ms (%s%s alive)",
			 timeout_ms,
			 n ? (n > 1 ? "members " : "member ") : "no forwarders, the master", who);
	else
		snprintf(err, errlen, "ring io failed: %s (%s%s alive)", strerror(-rc),
			 n ? (n > 1 ? "members " : "member ") : "no forwarders, the master", who);
}

/*
 * pending_report - the failure a member that exited reported before it went (it cannot connect
 * to the next member, say), still unread on its control socket: the reason, where its exit
 * status only says that it failed. Returns whether there was one.
 */
static bool pending_report(const struct ring_member *m, char *err, size_t errlen)
{
	struct ring_ctl msg;

	if (m->ctl < 0 || !WIFEXITED(m->status) ||
	    recv(m->ctl, &msg, sizeof(msg), MSG_DONTWAIT | MSG_WAITALL) != sizeof(msg) || !msg.err)
		return false;
	msg.text[sizeof(msg.text) - 1] = '\0';
	snprintf(err, errlen, "%s (pid %d exited)", msg.text, m->pid);
	return true;
}

/* pick_dead - the position of the member to blame: killed by a signal first; -1 if none died. */
static int pick_dead(const struct ring_member *m, unsigned int n)
{
	unsigned int i;
	int pick = -1;

	for (i = 0; i < n; i++) {
		if (!m[i].reaped)
			continue;
		if (WIFSIGNALED(m[i].status))
			return (int)i;
		if (pick < 0)
			pick = (int)i;
	}
	return pick;
}

unsigned int ring_members_culprit(const struct ring_member *m, unsigned int n)
{
	int pick = pick_dead(m, n);

	return pick < 0 ? 0 : m[pick].index;
}

int ring_members_blame(struct ring_member *m, unsigned int n, int rc, unsigned int timeout_ms,
		       char *err, size_t errlen)
{
	struct timespec nap = {.tv_nsec = 5000000};
	unsigned int waited;
	int pick;

	for (waited = 0; !reap_exited(m, n) && waited < RING_MEMBER_DYING_MS; waited += 5)
		nanosleep(&nap, NULL);
	pick = pick_dead(m, n);
	if (pick < 0) {
		describe_alive(m, n, rc, timeout_ms, err, errlen);
		return rc;
	}
	if (!pending_report(&m[pick], err, errlen))
		describe_death(&m[pick], err, errlen);
	return -EPIPE;
}
