// SPDX-License-Identifier: MIT
/* report_plot - gnuplot as a child process: script on stdin, data and plots in a private folder. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "analysis/report/report_plot.h"
#include "analysis/report/svg_clean.h"
#include "lib/sigcleanup.h"

extern char **environ;

#define POLL_MS 2 /* between two looks at a gnuplot that has not exited yet */

struct report_plot {
	char dir[4096];
	unsigned int nplots; /* output files are plot-N.svg: one name per run, never reused */
	uint64_t timeout_ms; /* the most one gnuplot may take */
	int slot;	     /* the folder's sigcleanup slot */
};

int report_plot__new(struct report_plot **out, uint64_t timeout_ms, char *err, size_t errlen)
{
	const char *tmp = getenv("TMPDIR");
	struct report_plot *rp;
	int ret;

	rp = calloc(1, sizeof(*rp));
	if (!rp) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(rp->dir, sizeof(rp->dir), "%s/ringscope-report-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(rp->dir)) {
		ret = -errno;
		snprintf(err, errlen, "failed to create a temporary folder '%s': %s (set TMPDIR)",
			 rp->dir, strerror(-ret));
		free(rp);
		return ret;
	}
	rp->timeout_ms = timeout_ms;
	rp->slot = sigcleanup_add_folder(rp->dir);
	*out = rp;
	return 0;
}

FILE *report_plot__data(struct report_plot *rp, const char *name, char *path, size_t len)
{
	int fd;
	FILE *f;

	if ((size_t)snprintf(path, len, "%s/%s", rp->dir, name) >= len) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f)
		close(fd);
	return f;
}

/*
 * spawn_gnuplot - start gnuplot in a process group of its own (a timeout or a stop signal kills
 * what it started too) with its stdin on a non-blocking pipe (returned in *@in) and its stdout
 * and stderr in @log. Returns 0 or -errno (-ENOENT: not installed).
 */
static int spawn_gnuplot(const char *log, pid_t *pid, int *in)
{
	char *argv[] = {"gnuplot", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int p[2], ret;

	if (pipe2(p, O_CLOEXEC))
		return -errno;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	ret = posix_spawn_file_actions_adddup2(&fa, p[0], 0);
	if (!ret)
		ret = posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC,
						       0600);
	if (!ret)
		ret = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	if (!ret)
		ret = posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	if (!ret)
		ret = posix_spawnp(pid, "gnuplot", &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(p[0]);
	if (!ret && fcntl(p[1], F_SETFL, O_NONBLOCK)) /* fed against a deadline */
		ret = errno;
	if (ret) {
		close(p[1]);
		return -ret;
	}
	*in = p[1];
	return 0;
}

/* now_ms - CLOCK_MONOTONIC in milliseconds, for the deadline of one gnuplot. */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* left_ms - what is left until @deadline (0: passed), as poll() takes it. */
static int left_ms(uint64_t deadline)
{
	uint64_t now = now_ms();

	return now >= deadline ? 0 : deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

/*
 * feed - the whole buffer to the non-blocking pipe @fd before @deadline: 0, -ETIMEDOUT (a
 * gnuplot that stopped reading), -EPIPE (one that exited) or -errno.
 */
static int feed(int fd, const char *buf, size_t len, uint64_t deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n >= 0) {
			buf += n;
			len -= (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		if (!left_ms(deadline))
			return -ETIMEDOUT;
		poll(&p, 1, left_ms(deadline));
	}
	return 0;
}

/*
 * reap - wait for gnuplot @pid until @deadline; past it, kill it and its process group. 0 with
 * its *@status, or -ETIMEDOUT (it was killed and reaped).
 */
static int reap(pid_t pid, uint64_t deadline, int *status)
{
	struct timespec pause = {.tv_nsec = POLL_MS * 1000000L};
	pid_t got;

	for (;;) {
		got = waitpid(pid, status, WNOHANG);
		if (got == pid || (got < 0 && errno != EINTR))
			return 0;
		if (!left_ms(deadline))
			break;
		nanosleep(&pause, NULL);
	}
	kill(-pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return -ETIMEDOUT;
}

/* read_file - the whole file @path, NUL-terminated and malloc'd (empty: ""); NULL, errno set. */
static char *read_file(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = fopen(path, "re");
	ssize_t n;

	if (!f)
		return NULL;
	n = getdelim(&buf, &len, '\0', f);
	fclose(f);
	if (n > 0)
		return buf; /* getdelim ended it with a NUL */
	free(buf);	    /* nothing read: getdelim may have left it without one */
	return strdup("");
}

/* last_line - the start of @text's last non-blank line, cut at its end; NULL if none. */
static char *last_line(char *text)
{
	char *end = text + strlen(text);

	while (end > text && strchr(" \t\n", end[-1]))
		*--end = '\0';
	if (end == text)
		return NULL;
	while (end > text && end[-1] != '\n')
		end--;
	return end + strspn(end, " \t");
}

/*
 * gnuplot_failed - the reason from gnuplot's log: its first line that says "error", else its
 * last line (a plot with nothing to draw ends on "*All* edges undefined ..." without "error").
 */
static void gnuplot_failed(const char *log, int status, char *err, size_t errlen)
{
	char *text = read_file(log), *line;

	line = text ? strstr(text, "rror") : NULL;
	while (line && line > text && line[-1] != '\n')
		line--;
	if (line)
		line[strcspn(line, "\n")] = '\0';
	else if (text)
		line = last_line(text);
	if (WIFSIGNALED(status))
		snprintf(err, errlen, "gnuplot was killed by signal %d: %s", WTERMSIG(status),
			 line ? line : "no message");
	else
		snprintf(err, errlen, "gnuplot failed (exit status %d): %s", WEXITSTATUS(status),
			 line ? line : "no message");
	free(text);
}

/*
 * run_script - feed @head and @script to a new gnuplot and wait for it, at most rp->timeout_ms;
 * a stop signal meanwhile kills it (lib/sigcleanup.h). 0 or -errno.
 */
static int run_script(struct report_plot *rp, const char *head, const char *script, char *err,
		      size_t errlen)
{
	uint64_t deadline = now_ms() + rp->timeout_ms;
	int in = -1, status = 0, ret, slot, reaped;
	char log[4200];
	pid_t pid;

	snprintf(log, sizeof(log), "%s/gnuplot.log", rp->dir);
	ret = spawn_gnuplot(log, &pid, &in);
	if (ret == -ENOENT) {
		snprintf(err, errlen, "'gnuplot' not found (install gnuplot-nox)");
		return ret;
	}
	if (ret) {
		snprintf(err, errlen, "failed to start 'gnuplot': %s", strerror(-ret));
		return ret;
	}
	slot = sigcleanup_add_child(-pid); /* its group */
	ret = feed(in, head, strlen(head), deadline);
	if (!ret)
		ret = feed(in, script, strlen(script), deadline);
	close(in);
	reaped = reap(pid, ret == -ETIMEDOUT ? 0 : deadline, &status);
	sigcleanup_remove(slot);
	if (ret == -ETIMEDOUT || reaped) {
		snprintf(err, errlen,
			 "gnuplot did not finish a plot within %" PRIu64
			 " ms and was stopped (a larger --plot-timeout gives it longer)",
			 rp->timeout_ms);
		return -ETIMEDOUT;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		gnuplot_failed(log, status, err, errlen);
		return -EIO;
	}
	if (ret)
		snprintf(err, errlen, "failed to feed gnuplot its script: %s", strerror(-ret));
	return ret;
}

int report_plot__svg(struct report_plot *rp, const char *script, int width, int height, char **svg,
		     char *err, size_t errlen)
{
	char out[4200], head[4600], prefix[32], *text, *start;
	int ret;

	snprintf(out, sizeof(out), "%s/plot-%u.svg", rp->dir, rp->nplots++);
	snprintf(
	    head, sizeof(head),
	    "set terminal svg size %d,%d dynamic enhanced font 'sans,11' background '#ffffff'\n"
	    "set output '%s'\n",
	    width, height, out);
	ret = run_script(rp, head, script, err, errlen);
	if (ret)
		return ret;
	text = read_file(out);
	if (!text) {
		ret = -errno;
		snprintf(err, errlen, "gnuplot wrote no plot '%s': %s", out, strerror(-ret));
		return ret;
	}
	start = strstr(text, "<svg");
	if (!start) {
		free(text);
		snprintf(err, errlen, "gnuplot's output '%s' is not SVG", out);
		return -EIO;
	}
	snprintf(prefix, sizeof(prefix), "plot%u", rp->nplots - 1);
	*svg = svg_clean(start, prefix, rp->dir);
	free(text);
	unlink(out);
	if (!*svg) {
		snprintf(err, errlen, "out of memory reading a plot");
		return -ENOMEM;
	}
	return 0;
}

void report_plot__free(struct report_plot *rp)
{
	struct dirent *de;
	DIR *d;

	if (!rp)
		return;
	d = opendir(rp->dir);
	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	}
	if (d)
		closedir(d);
	rmdir(rp->dir);
	sigcleanup_remove(rp->slot);
	free(rp);
}
