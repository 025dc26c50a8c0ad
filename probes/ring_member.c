// SPDX-License-Identifier: MIT
/* ring_member - start, drive, stop and blame the forwarder processes of the ring. */
#include "probes/ring_member.h"

#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probes/ring_io.h"
#include "probes/ring_msg.h"

/* How long a member may take to listen or to join the ring (ms). */
#define RING_MEMBER_SETUP_MS 5000
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

/* child_report - send @rc with its message to the parent; exit if @rc failed. */
static void child_report(int ctl, struct ring_ctl *msg, int rc)
{
	msg->err = rc;
	if (ctl_send(ctl, msg) || rc)
		_exit(1);
}

/*
 * forwarder_main - the forwarder's life: listen, report, join, forward until killed. Exits with
 * the errno of the io that failed (32: EPIPE, a neighbour closed), so the master can say why.
 */
static void forwarder_main(const struct topology_member *tm, const struct probe_config *cfg,
			   int ctl)
{
	static unsigned char buf[RING_MSG_MAX];
	struct ring_ctl msg = {0};
	struct ring_io io;
	char addr[INET_ADDRSTRLEN], why[160];
	int rc;

	/*
	 * ^C reaches the whole process group: the runner stops the ring itself. The runner's
	 * inherited handlers would only set flags in this copy: a forwarder dies of SIGTERM.
	 */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	ring_io_init(&io, cfg->io, cfg->connect, cfg->msg_size, tm->cpu, 0);
	if (ring_msg_stamps_fit(cfg->msg_size, cfg->hops))
		io.stamp_at = ring_msg_stamp_at(tm->index);
	rc = topology_enter(tm, why, sizeof(why));
	if (rc)
		snprintf(msg.text, sizeof(msg.text), "ring member %u: %s", tm->index, why);
	else
		rc = ring_io_listen(&io, tm->listen_addr, &msg.port);
	if (rc && !msg.text[0]) {
		inet_ntop(AF_INET, &tm->listen_addr, addr, sizeof(addr));
		snprintf(msg.text, sizeof(msg.text), "ring member %u cannot listen on '%s': %s",
			 tm->index, addr, strerror(-rc));
	}
	child_report(ctl, &msg, rc);
	if (recv(ctl, &msg, sizeof(msg), 0) != sizeof(msg))
		_exit(1);
	rc = ring_io_join(&io, tm->next_addr, msg.port);
	if (rc) {
		int used = snprintf(msg.text, sizeof(msg.text), "ring member %u ", tm->index);

		ring_io_why(&io, rc, msg.text + used, sizeof(msg.text) - (size_t)used);
	}
	child_report(ctl, &msg, rc);
	do
		rc = ring_io_forward(&io, buf);
	while (!rc);
	_exit(-rc & 0xff);
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
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
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
		forwarder_main(tm, cfg, sv[1]);
	}
	close(sv[1]);
	m->ctl = sv[0];
	return 0;
}

/* ctl_recv - the member's next report, within RING_MEMBER_SETUP_MS. 0 or -errno, @err set. */
static int ctl_recv(struct ring_member *m, struct ring_ctl *msg, char *err, size_t errlen)
{
	struct pollfd pfd = {.fd = m->ctl, .events = POLLIN};
	int rc;

	rc = poll(&pfd, 1, RING_MEMBER_SETUP_MS);
	if (rc < 0) {
		rc = -errno;
		snprintf(err, errlen, "interrupted while waiting for ring member %u: %s", m->index,
			 strerror(-rc));
		return rc;
	}
	if (rc == 0) {
		snprintf(err, errlen, "ring member %u (pid %d) did not answer within %d ms",
			 m->index, m->pid, RING_MEMBER_SETUP_MS);
		return -ETIMEDOUT;
	}
	if (recv(m->ctl, msg, sizeof(*msg), 0) != sizeof(*msg))
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
		 m->pid, code, code > 1 ? strerror(code) : "it could not set up");
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
	describe_death(&m[pick], err, errlen);
	return -EPIPE;
}
