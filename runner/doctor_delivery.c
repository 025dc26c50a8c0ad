// SPDX-License-Identifier: MIT
/* doctor_delivery - the normal IPI and timer delivery cost, from a short traced ring. */
#include "runner/doctor_delivery.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/analyze/analyze.h"

/* A run long enough for ~10^4 IPIs on a 2-vCPU guest (~1 s), short enough for a doctor. */
#define DELIVERY_ITERATIONS "3000"

/* run_ring - the traced 2-hop ring across CPUs 0 and 1 into @trace; its stderr into @log. */
static int run_ring(const char *trace, const char *log, char *err, size_t errlen)
{
	char line[512];
	int status, fd;
	pid_t pid = fork();
	FILE *f;

	if (pid < 0)
		return -errno;
	if (!pid) {
		fd = open(log, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0 || !freopen("/dev/null", "w", stdout))
			_exit(127);
		execl("/proc/self/exe", "ringscope", "run", "-p", "ring", "--hops", "2", "--cpus",
		      "0,1", "--trace", "--untraced-runs", "none", "-r", "1", "-n",
		      DELIVERY_ITERATIONS, "-o", trace, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFEXITED(status) && !WEXITSTATUS(status))
		return 0;
	snprintf(err, errlen, "the traced ring did not run");
	f = fopen(log, "re");
	if (f && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		snprintf(err, errlen, "the traced ring did not run: %s", line);
	}
	if (f)
		fclose(f);
	return -EIO;
}

/*
 * report_of - the trace's analyze --json report (with the attribution, which brings the
 * evidence), NULL with @err set when it cannot be made.
 */
static struct json_object *report_of(const char *trace, char *err, size_t errlen)
{
	struct analyze_opts o;
	struct json_object *r;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int ret;

	if (!f)
		return NULL;
	analyze_opts_default(&o);
	o.attr.top = 1; /* the evidence comes with the attribution */
	o.json = true;
	ret = analyze_file(trace, &o, f, err, errlen);
	fclose(f);
	r = ret ? NULL : json_tokener_parse(text);
	free(text);
	return r;
}

/* evidence_of - the evidence object of the report's first probe, NULL when there is none. */
static struct json_object *evidence_of(struct json_object *r)
{
	struct json_object *probes, *ev;

	if (json_object_object_get_ex(r, "probes", &probes) &&
	    json_object_array_length(probes) > 0 &&
	    json_object_object_get_ex(json_object_array_get_idx(probes, 0), "evidence", &ev))
		return ev;
	return NULL;
}

/*
 * short_mechanisms - the rows of the report's mechanism table this run measured, each
 * {"name", "n", "p50_ns", "p50_lo_ns", "p50_hi_ns"} by its key (the ring has no syscall or
 * vmexit probe: those rows are left out).
 */
static struct json_object *short_mechanisms(struct json_object *r)
{
	static const char *const keys[] = {"name", "n", "p50_ns", "p50_lo_ns", "p50_hi_ns", NULL};
	struct json_object *mech, *rows, *o = json_object_new_object(), *one, *v;
	const char *const *k;

	if (!o || !json_object_object_get_ex(r, "mechanisms", &mech) ||
	    !json_object_object_get_ex(mech, "rows", &rows))
		return o;
	json_object_object_foreach(rows, key, row)
	{
		if (!json_object_object_get_ex(row, "n", &v) || !json_object_get_int64(v))
			continue;
		one = json_object_new_object();
		for (k = keys; one && *k; k++)
			if (json_object_object_get_ex(row, *k, &v))
				json_object_object_add(one, *k, json_object_get(v));
		json_object_object_add(o, key, one);
	}
	return o;
}

/* pick - the figures doctor shows, by their evidence names, and the short mechanism table. */
static struct json_object *pick(struct json_object *r)
{
	static const char *const keys[] = {"hypervisor",
					   "ipi_delivery_normal_ns",
					   "ipi_delivery_p50_ns",
					   "ipis_seen_sent",
					   "timer_lateness_normal_ns",
					   "timer_lateness_p50_ns",
					   "timer_interrupts_with_expiry",
					   NULL};
	struct json_object *o = json_object_new_object(), *v, *ev = evidence_of(r);
	const char *const *k;

	for (k = keys; o && *k; k++)
		if (json_object_object_get_ex(ev, *k, &v))
			json_object_object_add(o, *k, json_object_get(v));
	if (o)
		json_object_object_add(o, "mechanisms", short_mechanisms(r));
	return o;
}

int doctor_delivery(struct json_object **out, char *err, size_t errlen)
{
	char dir[] = "/tmp/ringscope-doctor-XXXXXX", trace[64], log[64];
	struct json_object *r;
	int ret;

	*out = NULL;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		snprintf(err, errlen,
			 "one CPU: there is no other CPU to deliver an interrupt from");
		return -ENOTSUP;
	}
	if (!mkdtemp(dir)) {
		snprintf(err, errlen, "cannot make a folder in /tmp: %s", strerror(errno));
		return -errno;
	}
	snprintf(trace, sizeof(trace), "%s/ring.rst", dir);
	snprintf(log, sizeof(log), "%s/ring.err", dir);
	ret = run_ring(trace, log, err, errlen);
	r = ret ? NULL : report_of(trace, err, errlen);
	if (r && evidence_of(r))
		*out = pick(r);
	else if (r)
		snprintf(err, errlen, "the traced ring recorded no evidence of the host");
	json_object_put(r);
	unlink(trace);
	unlink(log);
	rmdir(dir);
	return *out ? 0 : ret ? ret : -EIO;
}
