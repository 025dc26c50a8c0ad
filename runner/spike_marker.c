// SPDX-License-Identifier: MIT
/* spike_marker - --trace-marker: spikes written into ftrace's trace_marker as they happen. */
#include "runner/spike_marker.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "analysis/analyze/analyze.h"
#include "bpf/tracefs.h"
#include "lib/stats.h"
#include "runner/progress.h"

int spike_marker_open(struct spike_marker *m, enum spike_marker_when when, char *err, size_t errlen)
{
	const char *path = TRACEFS_PATH "/" SPIKE_MARKER_FILE;
	int rc;

	memset(m, 0, sizeof(*m));
	m->fd = -1;
	m->when = when;
	rc = tracefs_mount();
	if (rc) {
		snprintf(err, errlen, "cannot mount tracefs at '%s': %s (run as root)",
			 TRACEFS_PATH, strerror(-rc));
		return rc;
	}
	m->fd = open(path, O_WRONLY | O_CLOEXEC);
	if (m->fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "cannot open '%s': %s (run as root)", path, strerror(-rc));
		return rc;
	}
	return 0;
}

void spike_marker_close(struct spike_marker *m)
{
	if (m->fd >= 0)
		close(m->fd);
	m->fd = -1;
}

void spike_marker_probe(struct spike_marker *m, uint32_t probe_id, const struct probe_config *cfg)
{
	m->probe_id = probe_id;
	progress_label(cfg, m->label, sizeof(m->label));
}

uint64_t spike_marker_threshold(double *lat, size_t n)
{
	struct analyze_opts o;
	double median, mad, t;

	if (n < SPIKE_MARKER_MIN_WARMUP)
		return 0;
	stats_sort(lat, n);
	if (stats_median_mad_sorted(lat, n, &median, &mad))
		return 0;
	analyze_opts_default(&o); /* the rule `analyze` finds spikes by */
	t = fmax(fmax(median + o.attr.spikes.k * mad, o.attr.spikes.min_ratio * median),
		 median + o.attr.spikes.min_excess_ns);
	return (uint64_t)ceil(t);
}

void spike_marker_run_begins(struct spike_marker *m)
{
	size_t n = m->nref < SPIKE_MARKER_REFERENCE ? m->nref : SPIKE_MARKER_REFERENCE;

	m->threshold_ns = spike_marker_threshold(m->reference, n);
	m->nref = 0;
	m->written = 0;
	m->npending = 0;
	m->dropped = 0;
}

void spike_marker_write(struct spike_marker *m, uint32_t run, const struct spike_marker_spike *sp)
{
	char line[224];
	int len;

	len =
	    snprintf(line, sizeof(line),
		     "ringscope_spike: probe_id=%u probe=\"%s\" run=%u iteration=%u "
		     "latency_ns=%llu threshold_ns=%llu mono_ns=%llu\n",
		     m->probe_id, m->label, run, sp->iteration, (unsigned long long)sp->latency_ns,
		     (unsigned long long)m->threshold_ns, (unsigned long long)sp->mono_ns);
	if (len > 0 && write(m->fd, line, (size_t)len) == len)
		m->written++;
	else
		m->failed++;
}

void spike_marker_run_ends(struct spike_marker *m, uint32_t run)
{
	size_t i;

	for (i = 0; i < m->npending; i++)
		spike_marker_write(m, run, &m->pending[i]);
	m->npending = 0;
}

void spike_marker_run_json(const struct spike_marker *m, struct json_object *o)
{
	json_object_object_add(o, "marker_threshold_ns",
			       m->threshold_ns ? json_object_new_int64((int64_t)m->threshold_ns)
					       : NULL);
	json_object_object_add(o, "markers", json_object_new_int64((int64_t)m->written));
	json_object_object_add(o, "markers_dropped", json_object_new_int64((int64_t)m->dropped));
}
