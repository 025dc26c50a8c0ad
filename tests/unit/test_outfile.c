// SPDX-License-Identifier: MIT
/*
 * test_outfile - the output module (lib/outfile.h): whole or nothing, no link followed, devices
 * and FIFOs written in place, sockets refused, a file in place at once that only its maker
 * removes, unique names, the folders other users can write, temporaries undone by a signal.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/outfile.h"
#include "lib/sigcleanup.h"
#include "tests/unit/check.h"

static char dir[] = "/tmp/test_outfile-XXXXXX";

/* at - @name in the test's folder (one of four static buffers: a call may use two). */
static const char *at(const char *name)
{
	static char path[4][sizeof(dir) + NAME_MAX + 2];
	static unsigned int next;
	char *p = path[next++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", dir, name);
	return p;
}

/* entries - how many entries the folder holds. */
static int entries(void)
{
	char cmd[PATH_MAX + 32];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	if (p && fscanf(p, "%d", &n) != 1)
		n = -1;
	if (p)
		pclose(p);
	return n;
}

/* slurp - the first line of @path, or "" ("-" when it cannot be read). */
static const char *slurp(const char *path)
{
	static char line[256];
	FILE *f = fopen(path, "r");

	strcpy(line, "-");
	if (f && !fgets(line, sizeof(line), f))
		line[0] = '\0';
	if (f)
		fclose(f);
	line[strcspn(line, "\n")] = '\0';
	return line;
}

/* put - write @text into a new file @name of the folder. */
static void put(const char *name, const char *text)
{
	FILE *f = fopen(at(name), "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* test_whole - the file appears under its name only at commit; a discard leaves nothing. */
static int test_whole(void)
{
	struct outfile of;
	char err[512];
	FILE *f;

	CHECK(outfile_open(&of, at("a.csv"), 0, err, sizeof(err)) == 0);
	CHECK(access(at("a.csv"), F_OK) != 0 && entries() == 1);
	CHECK(of.tmp[0] && strstr(of.tmp, "/.a.csv."));
	f = outfile_stream(&of);
	CHECK(f && fputs("row\n", f) >= 0);
	CHECK(outfile_commit(&of, err, sizeof(err)) == 0);
	CHECK(!strcmp(slurp(at("a.csv")), "row") && entries() == 1);
	CHECK(outfile_open(&of, at("b.csv"), 0, err, sizeof(err)) == 0);
	outfile_discard(&of);
	CHECK(entries() == 1); /* only a.csv */
	unlink(at("a.csv"));
	return T_EXIT_PASS;
}

/* test_links - a link at the output is refused, its target untouched; a planted OUT.tmp too. */
static int test_links(void)
{
	struct outfile of;
	char err[512];

	put("target", "kept\n");
	CHECK(symlink("target", at("link")) == 0);
	CHECK(outfile_open(&of, at("link"), 0, err, sizeof(err)) == -ELOOP);
	CHECK(strstr(err, "is a symbolic link"));
	CHECK(outfile_open(&of, at("link"), OUTFILE_EARLY, err, sizeof(err)) == -ELOOP);
	CHECK(symlink("target", at("out.tmp")) == 0);
	CHECK(outfile_open(&of, at("out"), 0, err, sizeof(err)) == 0);
	CHECK(fputs("new\n", outfile_stream(&of)) >= 0);
	CHECK(outfile_commit(&of, err, sizeof(err)) == 0);
	CHECK(!strcmp(slurp(at("target")), "kept") && !strcmp(slurp(at("out")), "new"));
	/* a hard link to the old file keeps its data: the path gets a new file */
	CHECK(link(at("target"), at("hard")) == 0);
	CHECK(outfile_open(&of, at("hard"), 0, err, sizeof(err)) == 0);
	CHECK(outfile_commit(&of, err, sizeof(err)) == 0);
	CHECK(!strcmp(slurp(at("target")), "kept") && !strcmp(slurp(at("hard")), ""));
	unlink(at("link"));
	unlink(at("out.tmp"));
	unlink(at("out"));
	unlink(at("hard"));
	unlink(at("target"));
	return T_EXIT_PASS;
}

/* test_special - a FIFO and /dev/null are written in place; a socket is refused. */
static int test_special(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct outfile of;
	char err[512], got[8] = "";
	int rd, s;
	struct stat sb;

	CHECK(mkfifo(at("fifo"), 0600) == 0);
	rd = open(at("fifo"), O_RDONLY | O_NONBLOCK);
	CHECK(rd >= 0);
	CHECK(outfile_open(&of, at("fifo"), 0, err, sizeof(err)) == 0 && of.special);
	CHECK(fputs("abc", outfile_stream(&of)) >= 0);
	CHECK(outfile_commit(&of, err, sizeof(err)) == 0);
	CHECK(read(rd, got, sizeof(got) - 1) == 3 && !strcmp(got, "abc"));
	close(rd);
	CHECK(!lstat(at("fifo"), &sb) && S_ISFIFO(sb.st_mode));
	CHECK(outfile_open(&of, "/dev/null", OUTFILE_EARLY, err, sizeof(err)) == 0 && of.special);
	outfile_discard(&of);
	CHECK(!lstat("/dev/null", &sb) && S_ISCHR(sb.st_mode));
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", at("sock"));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	close(s);
	CHECK(outfile_open(&of, at("sock"), 0, err, sizeof(err)) == -ENXIO);
	CHECK(strstr(err, "is a socket"));
	unlink(at("fifo"));
	unlink(at("sock"));
	return T_EXIT_PASS;
}

/*
 * test_early - OUTFILE_EARLY is in place at once; a discard removes that file, and leaves one
 * that took its name meanwhile.
 */
static int test_early(void)
{
	struct outfile of;
	char err[512];

	put("t.rst", "old\n");
	CHECK(outfile_open(&of, at("t.rst"), OUTFILE_EARLY, err, sizeof(err)) == 0);
	CHECK(!strcmp(slurp(at("t.rst")), "") && entries() == 1);
	outfile_discard(&of);
	CHECK(access(at("t.rst"), F_OK) != 0 && entries() == 0);
	CHECK(outfile_open(&of, at("t.rst"), OUTFILE_EARLY, err, sizeof(err)) == 0);
	unlink(at("t.rst"));
	put("t.rst", "another\n");
	outfile_discard(&of);
	CHECK(!strcmp(slurp(at("t.rst")), "another"));
	unlink(at("t.rst"));
	return T_EXIT_PASS;
}

/* test_unique - OUTFILE_UNIQUE fills the last XXXXXX before the extension, new each time. */
static int test_unique(void)
{
	struct outfile a, b;
	char err[512];
	size_t n;

	CHECK(outfile_open(&a, at("s-XXXXXX.rst"), OUTFILE_UNIQUE, err, sizeof(err)) == 0);
	CHECK(outfile_open(&b, at("s-XXXXXX.rst"), OUTFILE_UNIQUE, err, sizeof(err)) == 0);
	n = strlen(a.name);
	CHECK(strcmp(a.name, b.name) && !strstr(a.name, "XXXXXX"));
	CHECK(!strcmp(a.name + n - 4, ".rst") && !access(a.name, F_OK) && !access(b.name, F_OK));
	CHECK(outfile_commit(&a, err, sizeof(err)) == 0);
	outfile_discard(&b);
	CHECK(!access(a.name, F_OK) && access(b.name, F_OK) && entries() == 1);
	unlink(a.name);
	CHECK(outfile_open(&a, at("plain.rst"), OUTFILE_UNIQUE, err, sizeof(err)) == -EINVAL);
	return T_EXIT_PASS;
}

/* test_shared - world-writable folders: sticky and another's file, or not sticky and not ours. */
static int test_shared(void)
{
	struct outfile of;
	char err[512];
	int rc = T_EXIT_PASS;

	if (geteuid() != 0)
		return check_skip("needs root to give a folder and a file to another user");
	CHECK(mkdir(at("open"), 0777) == 0 && chmod(at("open"), 0777) == 0);
	CHECK(chown(at("open"), 65534, 65534) == 0);
	EXPECT(outfile_check(at("open/x"), 0, err, sizeof(err)) == -EPERM);
	EXPECT(strstr(err, "is writable by every user and not sticky"));
	CHECK(chmod(at("open"), 01777) == 0);
	EXPECT(outfile_check(at("open/x"), 0, err, sizeof(err)) == 0);
	put("open/theirs", "theirs\n");
	CHECK(chown(at("open/theirs"), 65534, 65534) == 0);
	EXPECT(outfile_open(&of, at("open/theirs"), 0, err, sizeof(err)) == -EPERM);
	EXPECT(strstr(err, "belongs to another user (uid 65534)"));
	unlink(at("open/theirs"));
	rmdir(at("open"));
	return rc;
}

/* test_signal - SIGTERM while a temporary exists: it is removed, and the exit says SIGTERM. */
static int test_signal(void)
{
	struct outfile of;
	char err[512];
	int status;
	pid_t pid = fork();

	CHECK(pid >= 0);
	if (pid == 0) {
		if (sigcleanup_install() || outfile_open(&of, at("sig.csv"), 0, err, sizeof(err)))
			_exit(1);
		raise(SIGTERM);
		_exit(2);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
	CHECK(entries() == 0);
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(whole),	CHECK_CASE(links),  CHECK_CASE(special), CHECK_CASE(early),
	    CHECK_CASE(unique), CHECK_CASE(shared), CHECK_CASE(signal),
	};
	int rc;

	if (!mkdtemp(dir))
		return T_EXIT_FAIL;
	rc = CHECK_RUN(cases);
	rmdir(dir);
	return rc;
}
