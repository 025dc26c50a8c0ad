/* SPDX-License-Identifier: MIT */
/* http - the http probe's own settings: what --url, --connect and --timeout-ms set. */
#ifndef RINGSCOPE_HTTP_H
#define RINGSCOPE_HTTP_H

#include "probes/probe.h"

struct http_settings {
	const char *url; /* http://HOST:PORT/PATH, HOST an IPv4 address or localhost */
	enum probe_connect connect;
	unsigned int timeout_ms; /* a request longer than this fails the run */
};

_Static_assert(sizeof(struct http_settings) <= PROBE_SETTINGS_SIZE, "http settings");

/* http_settings_of - the http probe's settings in @cfg (http-session sets the URL). */
static inline struct http_settings *http_settings_of(struct probe_config *cfg)
{
	return (struct http_settings *)cfg->settings;
}

#endif
