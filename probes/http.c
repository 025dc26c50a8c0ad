// SPDX-License-Identifier: MIT
/*
 * http - the paper's application probe (section 5): one HTTP/1.1 GET through io_uring, timed
 * from the start of the request to the last byte of the response. Per message (the default) the
 * timed region holds socket, connect, send and the receives; persistent keeps one keep-alive
 * connection and reconnects when the server closes it. The socket is a direct descriptor (a
 * fixed file slot), as in the ring, so no fd table lookup is on the path; nothing is allocated
 * after setup. Anything but a 200 with exactly Content-Length body bytes is a bad response.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "probes/http.h"
#include "probes/http_parse.h"

#define HTTP_SQ_ENTRIES 8
#define HTTP_SLOT	0
#define HTTP_BUF_SIZE	16384 /* the largest response head accepted; bodies are counted */
#define HTTP_REQ_SIZE	512
#define NS_PER_MS	1000000ULL

static const struct cli_opt http_options[] = {
    {.name = "url",
     .letter = 'u',
     .arg = "URL",
     .help = "GET http://HOST:PORT/PATH, HOST an IPv4 address or localhost (required)",
     .kind = CLI_OPT_STRING,
     PROBE_SETTING(struct http_settings, url)},
    PROBE_ROW_CONNECT(struct http_settings, "per-message",
		      "one kept-alive connection, or a new connection per request (the paper's)"),
    PROBE_ROW_TIMEOUT_MS(struct http_settings,
			 "a request with no response for this long fails the run; a bare "
			 "number is in ms, or give a unit"),
    {0},
};

/* What an SQE was, in its user_data; a close completes only when it fails, and is ignored. */
enum http_op { HTTP_OP_SOCKET, HTTP_OP_CONNECT, HTTP_OP_SEND, HTTP_OP_RECV, HTTP_OP_CLOSE };

struct http_state {
	struct http_url url;
	struct io_uring ring;
	bool have_ring;
	bool connected; /* the slot holds a connected socket (persistent) */
	bool persistent;
	uint64_t timeout_ns;
	uint64_t deadline_ns; /* of the current request */
	int req_len;
	char req[HTTP_REQ_SIZE];
	struct http_reader rd;
	char buf[HTTP_BUF_SIZE];
};

/* mono_ns - CLOCK_MONOTONIC, for the request's deadline. */
static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* settings - the http probe's own settings in @cfg. */
static const struct http_settings *settings(const struct probe_config *cfg)
{
	return (const struct http_settings *)cfg->settings;
}

/*
 * http_validate - a well-formed --url. The probe runs where it is started: 'ringscope
 * http-session' puts a server in a namespace of its own.
 */
static int http_validate(const struct probe_config *cfg, char *err, size_t errlen)
{
	struct http_url u;

	if (!settings(cfg)->url) {
		snprintf(err, errlen, "the http probe needs --url http://HOST:PORT/PATH");
		return -EINVAL;
	}
	return http_url_parse(settings(cfg)->url, &u, err, errlen) ? -EINVAL : 0;
}

/* http_config_json - its settings in the PROBE chunk's config; where the server was too. */
static void http_config_json(const struct probe_config *cfg, struct json_object *o)
{
	const struct http_settings *s = settings(cfg);

	json_object_object_add(o, "url", json_object_new_string(s->url));
	json_object_object_add(o, "io", json_object_new_string(probe_io_names[PROBE_IO_URING]));
	json_object_object_add(o, "connect",
			       json_object_new_string(probe_connect_names[s->connect]));
	json_object_object_add(o, "domains",
			       json_object_new_string(probe_domains_names[cfg->domains]));
	json_object_object_add(o, "timeout_ms", json_object_new_int((int)s->timeout_ms));
}

/* prep - the next SQE for @op on the slot (fixed file unless it makes the socket). */
static void prep(struct http_state *st, enum http_op op, void *buf, size_t len)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&st->ring);

	switch (op) {
	case HTTP_OP_SOCKET:
		io_uring_prep_socket_direct(sqe, AF_INET, SOCK_STREAM, 0, HTTP_SLOT, 0);
		sqe->flags |= IOSQE_IO_LINK;
		break;
	case HTTP_OP_CONNECT:
		io_uring_prep_connect(sqe, HTTP_SLOT, (struct sockaddr *)&st->url.addr,
				      sizeof(st->url.addr));
		sqe->flags |= IOSQE_FIXED_FILE | IOSQE_IO_LINK;
		break;
	case HTTP_OP_SEND:
		io_uring_prep_send(sqe, HTTP_SLOT, st->req, (size_t)st->req_len, MSG_NOSIGNAL);
		sqe->flags |= IOSQE_FIXED_FILE;
		break;
	case HTTP_OP_RECV:
		io_uring_prep_recv(sqe, HTTP_SLOT, buf, len, 0);
		sqe->flags |= IOSQE_FIXED_FILE;
		break;
	case HTTP_OP_CLOSE:
		io_uring_prep_close_direct(sqe, HTTP_SLOT);
		sqe->flags |= IOSQE_CQE_SKIP_SUCCESS;
		break;
	}
	io_uring_sqe_set_data64(sqe, op);
}

/* wait_ops - submit and collect @n results into @res by op, until the request's deadline. */
static int wait_ops(struct http_state *st, unsigned int n, int *res)
{
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	uint64_t now, left;
	int rc;

	while (n) {
		if (io_uring_peek_cqe(&st->ring, &cqe) == 0) {
			if (cqe->user_data != HTTP_OP_CLOSE) {
				res[cqe->user_data] = cqe->res;
				n--;
			}
			io_uring_cqe_seen(&st->ring, cqe);
			continue;
		}
		now = mono_ns();
		if (now >= st->deadline_ns)
			return -ETIMEDOUT;
		left = st->deadline_ns - now;
		ts.tv_sec = (long long)(left / 1000000000ULL);
		ts.tv_nsec = (long long)(left % 1000000000ULL);
		rc = io_uring_submit_and_wait_timeout(&st->ring, &cqe, 1, &ts, NULL);
		if (rc == -ETIME)
			return -ETIMEDOUT;
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* first_error - the error of a linked chain: the first result that is not a cancelled link. */
static int first_error(const int *res, unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i <= to; i++)
		if (res[i] < 0 && res[i] != -ECANCELED)
			return res[i];
	return 0;
}

/* drop - close the slot's socket (not waited for: its completion only comes on failure). */
static void drop(struct http_state *st)
{
	prep(st, HTTP_OP_CLOSE, NULL, 0);
	io_uring_submit(&st->ring);
	st->connected = false;
}

/* is_closed - an error saying the server closed the connection. */
static bool is_closed(int err)
{
	return err == -EPIPE || err == -ECONNRESET;
}

/*
 * send_request - (socket, connect,) send as one chain. -EPIPE when the server closed a kept
 * connection; other -errno as they come (-ECONNREFUSED, -ETIMEDOUT).
 */
static int send_request(struct http_state *st)
{
	int res[HTTP_OP_CLOSE] = {0}, rc;
	unsigned int n = 1, from = HTTP_OP_SEND;

	if (!st->connected) {
		prep(st, HTTP_OP_SOCKET, NULL, 0);
		prep(st, HTTP_OP_CONNECT, NULL, 0);
		n = 3;
		from = HTTP_OP_SOCKET;
	}
	prep(st, HTTP_OP_SEND, NULL, 0);
	rc = wait_ops(st, n, res);
	if (!rc)
		rc = first_error(res, from, HTTP_OP_SEND);
	if (!rc && res[HTTP_OP_SEND] != st->req_len)
		rc = -EPIPE;
	if (rc)
		return is_closed(rc) ? -EPIPE : rc;
	st->connected = true;
	return 0;
}

/*
 * receive - the response into the reader: HTTP_DONE or HTTP_BAD, -EPIPE when the server closed
 * the connection before any byte of it, or -errno.
 */
static int receive(struct http_state *st)
{
	int res[HTTP_OP_CLOSE] = {0}, rc;
	enum http_result r = HTTP_MORE;
	size_t len;
	char *p;

	http_reader_reset(&st->rd);
	while (r == HTTP_MORE) {
		p = http_reader_space(&st->rd, &len);
		prep(st, HTTP_OP_RECV, p, len);
		rc = wait_ops(st, 1, res);
		if (rc)
			return rc;
		if (res[HTTP_OP_RECV] == 0 || res[HTTP_OP_RECV] == -ECONNRESET) {
			if (!st->rd.len && !st->rd.head_len)
				return -EPIPE;
			r = http_reader_eof(&st->rd);
		} else if (res[HTTP_OP_RECV] < 0) {
			return res[HTTP_OP_RECV];
		} else {
			r = http_reader_feed(&st->rd, (size_t)res[HTTP_OP_RECV]);
		}
	}
	return r;
}

/* get - one request and its response: 0 good, 1 bad, -EPIPE closed before answering, -errno. */
static int get(struct http_state *st)
{
	int rc = send_request(st);

	if (!rc)
		rc = receive(st);
	if (rc != HTTP_DONE || !st->persistent || st->rd.close)
		drop(st);
	if (rc == HTTP_DONE)
		return 0;
	return rc == HTTP_BAD ? 1 : rc;
}

/* why - ctx->err for a request that failed with @rc. */
static void why(struct probe_ctx *ctx, int rc)
{
	if (rc == -ETIMEDOUT)
		snprintf(ctx->err, sizeof(ctx->err),
			 "no response from '%s' within %u ms (is the server up? --timeout-ms)",
			 settings(ctx->cfg)->url, settings(ctx->cfg)->timeout_ms);
	else if (rc == -ECONNREFUSED)
		snprintf(ctx->err, sizeof(ctx->err),
			 "failed to connect to '%s': %s (is a web server listening there?)",
			 settings(ctx->cfg)->url, strerror(-rc));
	else
		snprintf(ctx->err, sizeof(ctx->err), "request to '%s' failed: %s",
			 settings(ctx->cfg)->url, strerror(-rc));
}

/*
 * http_iterate - one GET. A kept connection the server closed while idle is reconnected and
 * the request sent again (in the same timed region: the reconnect is part of its cost).
 */
static int http_iterate(struct probe_ctx *ctx, const struct probe_iteration *it)
{
	struct http_state *st = ctx->priv;
	bool reused = st->connected;
	int rc;

	st->deadline_ns = mono_ns() + st->timeout_ns;
	rc = get(st);
	if (rc == -EPIPE && reused)
		rc = get(st);
	if (rc == -EPIPE)
		return 1; /* a fresh connection closed with no answer: a bad response */
	if (rc < 0)
		why(ctx, rc);
	return rc;
}

/* open_ring - the io_uring of the probe: one issuer, completions in its own waits, one slot. */
static int open_ring(struct http_state *st)
{
	struct io_uring_params p = {.flags =
					IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN};
	int rc;

	rc = io_uring_queue_init_params(HTTP_SQ_ENTRIES, &st->ring, &p);
	if (rc)
		return rc;
	st->have_ring = true;
	return io_uring_register_files_sparse(&st->ring, 1);
}

/* http_setup - parse the URL, make the request and the ring, and check the server answers. */
static int http_setup(struct probe_ctx *ctx)
{
	const struct http_settings *s = settings(ctx->cfg);
	struct http_state *st;
	int rc;

	ctx->npids = 0;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	ctx->priv = st;
	if (http_url_parse(s->url, &st->url, ctx->err, sizeof(ctx->err)))
		return -EINVAL;
	st->persistent = s->connect == PROBE_CONNECT_PERSISTENT;
	st->timeout_ns = (uint64_t)s->timeout_ms * NS_PER_MS;
	st->req_len = http_request(&st->url, st->persistent, st->req, sizeof(st->req));
	http_reader_init(&st->rd, st->buf, sizeof(st->buf));
	rc = open_ring(st);
	if (rc) {
		snprintf(ctx->err, sizeof(ctx->err), "failed to set up io_uring: %s",
			 strerror(-rc));
		return rc;
	}
	rc = http_iterate(ctx, &(struct probe_iteration){0});
	if (rc == 1)
		snprintf(ctx->err, sizeof(ctx->err), "'%s' gave a bad response: %s", s->url,
			 st->rd.why[0] ? st->rd.why : "the connection closed with no answer");
	return rc ? (rc < 0 ? rc : -EPROTO) : 0;
}

/* http_teardown - closing the ring closes its slot and cancels what is in flight. */
static void http_teardown(struct probe_ctx *ctx)
{
	struct http_state *st = ctx->priv;

	if (!st)
		return;
	if (st->have_ring)
		io_uring_queue_exit(&st->ring);
	free(st);
	ctx->priv = NULL;
}

const struct probe_ops probe_http = {
    .name = "http",
    .summary = "an HTTP/1.1 GET through io_uring to --url, connect included per message",
    .options = http_options,
    .validate = http_validate,
    .config_json = http_config_json,
    .setup = http_setup,
    .iterate = http_iterate,
    .teardown = http_teardown,
};
