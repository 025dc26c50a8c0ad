/* SPDX-License-Identifier: MIT */
/*
 * http_parse - the HTTP/1.1 the http probe speaks: its --url, its GET request, and a response
 * read in pieces as recv delivers them. Pure functions on caller-owned memory (no allocation),
 * so the timed path can use them and unit tests can drive them with synthetic bytes.
 */
#ifndef RINGSCOPE_HTTP_PARSE_H
#define RINGSCOPE_HTTP_PARSE_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_HOST_MAX 64
#define HTTP_PATH_MAX 256

/* http_url - a parsed http://HOST:PORT/PATH. */
struct http_url {
	struct sockaddr_in addr;  /* HOST resolved (an IPv4 literal or localhost) and PORT */
	char host[HTTP_HOST_MAX]; /* "HOST:PORT" as given, for the Host header */
	char path[HTTP_PATH_MAX]; /* "/" when the URL has none */
};

/*
 * http_url_parse - parse @url strictly: the scheme http, HOST an IPv4 literal or localhost,
 * PORT 1..65535 (80 when absent), PATH printable without spaces or '#'. 0, or -EINVAL with
 * @err saying which part is wrong.
 */
int http_url_parse(const char *url, struct http_url *u, char *err, size_t errlen);

/*
 * http_request - the GET of @u into @buf: keep-alive or close per @keep_alive. Returns its
 * length, or -ENOSPC when @len is too small.
 */
int http_request(const struct http_url *u, bool keep_alive, char *buf, size_t len);

enum http_result {
	HTTP_BAD = -1, /* not a good response: see http_reader.why */
	HTTP_MORE = 0, /* incomplete: receive more */
	HTTP_DONE = 1, /* a whole good response: 200 with exactly Content-Length body bytes */
};

/* http_reader - one response being received into a caller's buffer. */
struct http_reader {
	char *buf;
	size_t cap;
	size_t len;		 /* head bytes held in buf (before the head is complete) */
	size_t head_len;	 /* 0 until the head (status line and headers) is complete */
	uint64_t content_length; /* of a complete head */
	uint64_t body;		 /* body bytes received */
	int status;		 /* status code of a complete head */
	bool close;		 /* the server closes the connection after this response */
	char why[96];		 /* why the response is bad */
};

/* http_reader_init - a reader receiving into @buf (@cap bytes: the largest head accepted). */
void http_reader_init(struct http_reader *r, char *buf, size_t cap);

/* http_reader_reset - ready for the next response; the buffer is kept. */
void http_reader_reset(struct http_reader *r);

/* http_reader_space - where the next recv writes, and at most how many bytes (*@len). */
char *http_reader_space(struct http_reader *r, size_t *len);

/*
 * http_reader_feed - @n bytes arrived at http_reader_space's pointer. HTTP_MORE, HTTP_DONE, or
 * HTTP_BAD for a status other than 200, no Content-Length, a chunked or otherwise encoded body,
 * a malformed head, a head larger than the buffer, or more bytes than Content-Length.
 */
enum http_result http_reader_feed(struct http_reader *r, size_t n);

/* http_reader_eof - the server closed the connection: HTTP_DONE if complete, else HTTP_BAD. */
enum http_result http_reader_eof(struct http_reader *r);

#endif
