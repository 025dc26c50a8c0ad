// SPDX-License-Identifier: MIT
/* lighttpd - start, wait for and stop a private lighttpd with its own folder and config. */
#include "runner/lighttpd.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIGHTTPD_BIN_ENV    "RINGSCOPE_LIGHTTPD"
#define LIGHTTPD_ATTEMPTS   3	 /* ports tried when another process takes the free one first */
#define LIGHTTPD_GRACE_MS   2000 /* after SIGTERM, before SIGKILL */
#define LIGHTTPD_POLL_MS    10
#define LIGHTTPD_TAIL	    5			  /* log lines quoted in an error */
#define LIGHTTPD_DIR_PREFIX "ringscope-lighttpd-" /* then the runner's pid and mkdtemp's suffix */

static const char index_html[] = "<html><body>ringscope 44 bytes</body></html>";
_Static_assert(sizeof(index_html) - 1 == LIGHTTPD_INDEX_SIZE, "the paper's page is 44 bytes");

/* sleep_ms - a short pause between polls. */
static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* write_file - create @path with @len bytes of @data. 0 or -errno. */
static int write_file(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644), rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len)
		rc = errno ? -errno : -EIO;
	close(fd);
	return rc;
}

/* tmp_dir - where the folders go: $TMPDIR or /tmp. */
static const char *tmp_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	return tmp && *tmp ? tmp : "/tmp";
}

/* make_folder - the temporary folder with www/index.html; @l->log named. 0 or -errno. */
static int make_folder(struct lighttpd *l)
{
	char path[PATH_MAX];

	snprintf(l->dir, sizeof(l->dir), "%s/" LIGHTTPD_DIR_PREFIX "%d-XXXXXX", tmp_dir(),
		 (int)getpid());
	if (!mkdtemp(l->dir)) {
		l->dir[0] = '\0';
		return -errno;
	}
	/* ours while this process lives: lighttpd_remove_stale() leaves a locked folder alone */
	l->dir_fd = open(l->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (l->dir_fd < 0 || flock(l->dir_fd, LOCK_EX | LOCK_NB))
		return -errno;
	snprintf(l->log, sizeof(l->log), "%s/error.log", l->dir);
	snprintf(path, sizeof(path), "%s/www", l->dir);
	if (mkdir(path, 0755))
		return -errno;
	snprintf(path, sizeof(path), "%s/www" LIGHTTPD_INDEX_PATH, l->dir);
	return write_file(path, index_html, LIGHTTPD_INDEX_SIZE);
}

/* write_config - lighttpd.conf: only the built-in static file module, on @l->addr. */
static int write_config(const struct lighttpd *l, char *conf, size_t len)
{
	char text[4 * PATH_MAX], addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &l->addr.sin_addr, addr, sizeof(addr));
	snprintf(text, sizeof(text),
		 "# written by ringscope http-session; removed when it ends\n"
		 "server.document-root = \"%s/www\"\n"
		 "server.bind = \"%s\"\n"
		 "server.port = %u\n"
		 "server.pid-file = \"%s/lighttpd.pid\"\n"
		 "server.errorlog = \"%s\"\n"
		 "server.compat-module-load = \"disable\"\n"
		 "server.modules = ( \"mod_staticfile\" )\n",
		 l->dir, addr, ntohs(l->addr.sin_port), l->dir, l->log);
	snprintf(conf, len, "%s/lighttpd.conf", l->dir);
	return write_file(conf, text, strlen(text));
}

/* free_port - a TCP port nobody uses now in this namespace (bound to port 0, then closed). */
static int free_port(uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc = 0;

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &alen))
		rc = -errno;
	close(fd);
	*port = ntohs(a.sin_port);
	return rc;
}

/* child - in the forked child: die with the parent, enter @where, log to the log, exec. */
static void child(const struct lighttpd *l, const struct topology_member *where, const char *conf,
		  pid_t parent)
{
	const char *bin = getenv(LIGHTTPD_BIN_ENV);
	char err[256] = "";
	sigset_t none;
	int fd;

	if (!bin || !*bin)
		bin = "lighttpd";
	setpgid(0, 0); /* a terminal's SIGINT is ringscope's to handle: it stops the server */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != parent) /* it died before the prctl */
		_exit(0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fd = open(l->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		_exit(126);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	dup2(fd, STDIN_FILENO);
	if (where && topology_enter(where, err, sizeof(err))) {
		dprintf(STDERR_FILENO, "ringscope: %s\n", err);
		_exit(126);
	}
	execlp(bin, bin, "-D", "-f", conf, (char *)NULL);
	dprintf(STDERR_FILENO, "ringscope: failed to run '%s': %s (install the lighttpd package)\n",
		bin, strerror(errno));
	_exit(127);
}

/* log_tail - the last lines of the log, each indented, for an error message. */
static void log_tail(const struct lighttpd *l, char *buf, size_t len)
{
	char text[2048], *p, *line, *save;
	int fd = open(l->log, O_RDONLY | O_CLOEXEC), n = 0;
	off_t size;
	ssize_t got;

	buf[0] = '\0';
	if (fd < 0)
		return;
	size = lseek(fd, 0, SEEK_END);
	got = pread(fd, text, sizeof(text) - 1,
		    size > (off_t)sizeof(text) - 1 ? size - (off_t)sizeof(text) + 1 : 0);
	close(fd);
	text[got > 0 ? got : 0] = '\0';
	for (p = text + strlen(text); p > text; p--)
		if (p[-1] == '\n' && p[0] && ++n == LIGHTTPD_TAIL)
			break;
	for (line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		snprintf(buf + strlen(buf), len - strlen(buf), "\n  %s", line);
}

/* accepts - whether a connection to @l from this namespace succeeds now. */
static bool accepts(const struct lighttpd *l)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	bool ok;

	if (fd < 0)
		return false;
	ok = !connect(fd, (const struct sockaddr *)&l->addr, sizeof(l->addr));
	close(fd);
	return ok;
}

/* wait_ready - until it accepts, exits, @wait_ms pass or *@stop. 0, -ECHILD (exited), -errno. */
static int wait_ready(struct lighttpd *l, unsigned int wait_ms, const volatile sig_atomic_t *stop,
		      int *status)
{
	unsigned int waited;

	for (waited = 0; waited <= wait_ms; waited += LIGHTTPD_POLL_MS) {
		if (waitpid(l->pid, status, WNOHANG) == l->pid) {
			l->pid = 0;
			return -ECHILD;
		}
		if (accepts(l))
			return 0;
		if (stop && *stop)
			return -EINTR;
		sleep_ms(LIGHTTPD_POLL_MS);
	}
	return -ETIMEDOUT;
}

/* spawn - write the config for @l->addr and fork the server. 0 or -errno. */
static int spawn(struct lighttpd *l, const struct topology_member *where)
{
	char conf[PATH_MAX];
	pid_t pid, parent = getpid();
	int rc;

	rc = write_config(l, conf, sizeof(conf));
	if (rc)
		return rc;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0)
		child(l, where, conf, parent);
	setpgid(pid, pid); /* as the child does: its group exists before lighttpd_stop signals it */
	l->pid = pid;
	return 0;
}

/* exited_why - "exited with status N" or "was killed by signal N" for a child's @status. */
static void exited_why(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
}

/* port_taken - whether the log says another process took the port between pick and bind. */
static bool port_taken(const struct lighttpd *l)
{
	char tail[1024];

	log_tail(l, tail, sizeof(tail));
	return strstr(tail, "already in use") != NULL;
}

/* attempt - one start on a free port. 0, -ECHILD (it exited: *@status), or -errno. */
static int attempt(struct lighttpd *l, const struct topology_member *where, unsigned int wait_ms,
		   const volatile sig_atomic_t *stop, int *status)
{
	uint16_t port;
	int rc;

	rc = free_port(&port);
	if (rc)
		return rc;
	l->addr.sin_port = htons(port);
	rc = spawn(l, where);
	return rc ? rc : wait_ready(l, wait_ms, stop, status);
}

/* start_error - @err for a start that failed with @rc: what happened, the log and its end. */
static void start_error(struct lighttpd *l, int rc, int status, unsigned int wait_ms, char *err,
			size_t errlen)
{
	char what[128], tail[1024], addr[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &l->addr.sin_addr, addr, sizeof(addr));
	if (rc == -ECHILD)
		exited_why(status, what, sizeof(what));
	else if (rc == -ETIMEDOUT)
		snprintf(what, sizeof(what), "did not accept connections on %s:%u within %u ms",
			 addr, ntohs(l->addr.sin_port), wait_ms);
	else
		snprintf(what, sizeof(what), "could not be started: %s", strerror(-rc));
	log_tail(l, tail, sizeof(tail));
	snprintf(err, errlen, "lighttpd %s; see its log '%s'%s%s", what, l->log,
		 tail[0] ? ", which ends with:" : " (empty)", tail);
}

int lighttpd_start(struct lighttpd *l, const struct topology_member *where, struct in_addr addr,
		   unsigned int wait_ms, const volatile sig_atomic_t *stop, char *err,
		   size_t errlen)
{
	int rc, status = 0, i;

	memset(l, 0, sizeof(*l));
	l->dir_fd = -1;
	l->addr.sin_family = AF_INET;
	l->addr.sin_addr = addr;
	rc = make_folder(l);
	if (rc) {
		snprintf(err, errlen, "failed to make lighttpd's folder '%s': %s", l->dir,
			 strerror(-rc));
		lighttpd_stop(l);
		return rc;
	}
	for (i = 0; i < LIGHTTPD_ATTEMPTS; i++) {
		rc = attempt(l, where, wait_ms, stop, &status);
		if (rc != -ECHILD || !port_taken(l))
			break;
		if (truncate(l->log, 0))
			break;
	}
	if (rc == -EINTR)
		snprintf(err, errlen, "interrupted while lighttpd was starting");
	else if (rc)
		start_error(l, rc, status, wait_ms, err, errlen);
	l->keep = rc && rc != -EINTR;
	if (rc)
		lighttpd_stop(l);
	return rc;
}

/* remove_entry - nftw callback: remove one file or (emptied) folder. */
static int remove_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path) ? -1 : 0;
}

/* exited - whether child @pid has exited, left unreaped so that its pid and group stay ours. */
static bool exited(pid_t pid)
{
	siginfo_t info = {0};

	return !waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) && info.si_pid == pid;
}

void lighttpd_stop(struct lighttpd *l)
{
	unsigned int waited;
	int status;

	if (l->pid > 0) {
		/* its process group: a RINGSCOPE_LIGHTTPD wrapper may have forked the server */
		kill(-l->pid, SIGTERM);
		for (waited = 0; waited < LIGHTTPD_GRACE_MS && !exited(l->pid);
		     waited += LIGHTTPD_POLL_MS)
			sleep_ms(LIGHTTPD_POLL_MS);
		kill(-l->pid, SIGKILL); /* it, if it lingers, and what it forked */
		while (waitpid(l->pid, &status, 0) < 0 && errno == EINTR)
			;
		l->pid = 0;
	}
	if (l->dir[0] && !l->keep)
		nftw(l->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	if (l->dir[0] && l->dir_fd >= 0)
		close(l->dir_fd); /* a kept folder: the next run's to remove */
	l->dir[0] = '\0';
	l->dir_fd = -1;
}

/* ours_by_name - whether @name is one of our folders' names: "ringscope-lighttpd-<pid>-XXXXXX". */
static bool ours_by_name(const char *name)
{
	const char *p = name + strlen(LIGHTTPD_DIR_PREFIX);

	if (strncmp(name, LIGHTTPD_DIR_PREFIX, strlen(LIGHTTPD_DIR_PREFIX)))
		return false;
	p += strspn(p, "0123456789");
	return *p == '-' && strlen(p + 1) == 6;
}

/*
 * abandoned - whether the folder @path is ours (mkdtemp's, this user's, never one someone else
 * put there) and no live run holds its lock: its pid says nothing, as runs in other PID
 * namespaces have the same pids.
 */
static bool abandoned(const char *path)
{
	struct stat sb;
	bool nobody;
	int fd;

	if (lstat(path, &sb) || !S_ISDIR(sb.st_mode) || sb.st_uid != geteuid())
		return false;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	nobody = !flock(fd, LOCK_EX | LOCK_NB);
	close(fd);
	return nobody;
}

/* serves_from - whether process @pid runs with a command line naming the folder @path. */
static bool serves_from(pid_t pid, const char *path)
{
	char file[64], cmdline[2 * PATH_MAX];
	ssize_t n, i;
	int fd;

	snprintf(file, sizeof(file), "/proc/%d/cmdline", (int)pid);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, cmdline, sizeof(cmdline) - 1);
	close(fd);
	for (i = 0; i < n; i++) /* its arguments, one string */
		cmdline[i] = cmdline[i] ? cmdline[i] : ' ';
	cmdline[n > 0 ? n : 0] = '\0';
	return strstr(cmdline, path) != NULL;
}

/*
 * stop_orphan - kill the lighttpd that the pid file in the folder @path names, if it still
 * serves from there: its runner was killed, and its SIGTERM (PR_SET_PDEATHSIG) did not reach
 * it or was not enough. Waits until it has let go of its port (or the grace period passed).
 */
static void stop_orphan(const char *path)
{
	char file[PATH_MAX + 16], text[16] = "";
	unsigned int waited;
	long pid;
	int fd;

	snprintf(file, sizeof(file), "%s/lighttpd.pid", path);
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (read(fd, text, sizeof(text) - 1) < 0)
		text[0] = '\0';
	close(fd);
	pid = strtol(text, NULL, 10);
	if (pid <= 0 || pid > 0x3fffffff || !serves_from((pid_t)pid, path))
		return;
	kill((pid_t)pid, SIGKILL);
	for (waited = 0; waited < LIGHTTPD_GRACE_MS && serves_from((pid_t)pid, path);
	     waited += LIGHTTPD_POLL_MS)
		sleep_ms(LIGHTTPD_POLL_MS);
}

int lighttpd_remove_stale(void)
{
	char path[PATH_MAX];
	struct dirent *de;
	int removed = 0;
	DIR *dir;

	dir = opendir(tmp_dir());
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (!ours_by_name(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp_dir(), de->d_name);
		if (!abandoned(path))
			continue;
		stop_orphan(path);
		removed += nftw(path, remove_entry, 8, FTW_DEPTH | FTW_PHYS) == 0;
	}
	closedir(dir);
	return removed;
}
