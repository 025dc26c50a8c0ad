// SPDX-License-Identifier: MIT
/* http_parse - the http probe's URL, request and response parsing; no allocation, no I/O. */
#include "probes/http_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define HTTP_SCHEME	  "http://"
#define HTTP_DEFAULT_PORT 80

/* parse_port - 1..65535 from 1 to 5 digits; -1 if it is not one. */
static int parse_port(const char *s, size_t n)
{
	unsigned int v = 0;
	size_t i;

	if (!n || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

/* parse_host - HOST of @url (@n bytes at @s): an IPv4 literal or localhost, into @u->addr. */
static int parse_host(const char *url, const char *s, size_t n, struct http_url *u, char *err,
		      size_t errlen)
{
	char host[HTTP_HOST_MAX];

	if (!n || n >= sizeof(host)) {
		snprintf(err, errlen, "--url '%s' has %s host: give an IPv4 address or localhost",
			 url, n ? "too long a" : "no");
		return -EINVAL;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	if (!strcmp(host, "localhost")) {
		u->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		return 0;
	}
	if (inet_pton(AF_INET, host, &u->addr.sin_addr) != 1) {
		snprintf(err, errlen,
			 "--url '%s': host '%s' is not an IPv4 address like 127.0.0.1 or localhost "
			 "(names are not resolved)",
			 url, host);
		return -EINVAL;
	}
	return 0;
}

/* parse_path - PATH (from '/' to the end, "/" if empty): printable, no space, no fragment. */
static int parse_path(const char *url, const char *s, struct http_url *u, char *err, size_t errlen)
{
	size_t i, n = strlen(s);

	if (!n)
		s = "/", n = 1;
	if (n >= sizeof(u->path)) {
		snprintf(err, errlen, "--url '%s': the path is longer than %zu bytes", url,
			 sizeof(u->path) - 1);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '#') {
			snprintf(err, errlen,
				 "--url '%s': the path has '%c' at %zu: percent-encode it (%%XX)",
				 url, s[i] > ' ' && s[i] <= '~' ? s[i] : '?', i);
			return -EINVAL;
		}
	}
	memcpy(u->path, s, n + 1);
	return 0;
}

int http_url_parse(const char *url, struct http_url *u, char *err, size_t errlen)
{
	const char *host, *end, *colon;
	int port = HTTP_DEFAULT_PORT;

	memset(u, 0, sizeof(*u));
	u->addr.sin_family = AF_INET;
	if (strncmp(url, HTTP_SCHEME, strlen(HTTP_SCHEME))) {
		snprintf(err, errlen, "--url '%s' is not http://HOST:PORT/PATH (only http)", url);
		return -EINVAL;
	}
	host = url + strlen(HTTP_SCHEME);
	end = host + strcspn(host, "/");
	colon = memchr(host, ':', (size_t)(end - host));
	if (colon) {
		port = parse_port(colon + 1, (size_t)(end - colon - 1));
		if (port < 0) {
			snprintf(err, errlen, "--url '%s': the port is not a number in 1..65535",
				 url);
			return -EINVAL;
		}
	}
	if (parse_host(url, host, (size_t)((colon ? colon : end) - host), u, err, errlen))
		return -EINVAL;
	u->addr.sin_port = htons((uint16_t)port);
	snprintf(u->host, sizeof(u->host), "%.*s", (int)(end - host), host);
	return parse_path(url, end, u, err, errlen);
}

int http_request(const struct http_url *u, bool keep_alive, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: ringscope\r\n"
			 "Connection: %s\r\n\r\n",
			 u->path, u->host, keep_alive ? "keep-alive" : "close");

	return n < 0 || (size_t)n >= len ? -ENOSPC : n;
}

void http_reader_init(struct http_reader *r, char *buf, size_t cap)
{
	memset(r, 0, sizeof(*r));
	r->buf = buf;
	r->cap = cap;
}

void http_reader_reset(struct http_reader *r)
{
	http_reader_init(r, r->buf, r->cap);
}

char *http_reader_space(struct http_reader *r, size_t *len)
{
	if (r->head_len) { /* the body is counted, not kept: it overwrites the head */
		*len = r->cap;
		return r->buf;
	}
	*len = r->cap - r->len;
	return r->buf + r->len;
}

/* bad - mark the response bad, saying why. */
static enum http_result bad(struct http_reader *r, const char *why)
{
	snprintf(r->why, sizeof(r->why), "%s", why);
	return HTTP_BAD;
}

/* is_header - whether the line @s (@n bytes) is header @name; *@val: its trimmed value. */
static bool is_header(const char *s, size_t n, const char *name, const char **val, size_t *vlen)
{
	size_t k = strlen(name);

	if (n <= k || s[k] != ':' || strncasecmp(s, name, k))
		return false;
	s += k + 1, n -= k + 1;
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*val = s;
	*vlen = n;
	return true;
}

/* content_length - a Content-Length value: 1 to 18 digits; a second one must agree. */
static enum http_result content_length(struct http_reader *r, const char *v, size_t n, bool *seen)
{
	uint64_t cl = 0;
	size_t i;

	if (!n || n > 18)
		return bad(r, "a Content-Length that is not a number");
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return bad(r, "a Content-Length that is not a number");
		cl = cl * 10 + (uint64_t)(v[i] - '0');
	}
	if (*seen && cl != r->content_length)
		return bad(r, "two different Content-Length headers");
	*seen = true;
	r->content_length = cl;
	return HTTP_MORE;
}

/* header - one header line (@s, @n bytes, no CRLF). */
static enum http_result header(struct http_reader *r, const char *s, size_t n, bool *seen_cl)
{
	const char *v;
	size_t vn;

	if (!memchr(s, ':', n))
		return bad(r, "a header line without ':'");
	if (is_header(s, n, "Content-Length", &v, &vn))
		return content_length(r, v, vn, seen_cl);
	if (is_header(s, n, "Transfer-Encoding", &v, &vn))
		return bad(r, "a Transfer-Encoding body (chunked): only Content-Length is read");
	if (is_header(s, n, "Connection", &v, &vn)) {
		if (memmem(v, vn, "close", 5))
			r->close = true;
		else if (memmem(v, vn, "keep-alive", 10))
			r->close = false;
	}
	return HTTP_MORE;
}

/* status_line - "HTTP/1.x NNN ..." of @n bytes: the code, and HTTP/1.0's default close. */
static enum http_result status_line(struct http_reader *r, const char *s, size_t n)
{
	const char *c = s + 9;

	if (n < 12 || strncmp(s, "HTTP/1.", 7) || (s[7] != '0' && s[7] != '1') || s[8] != ' ' ||
	    (n > 12 && s[12] != ' '))
		return bad(r, "not an HTTP/1.x status line");
	if (c[0] < '1' || c[0] > '5' || c[1] < '0' || c[1] > '9' || c[2] < '0' || c[2] > '9')
		return bad(r, "a status code that is not 3 digits");
	r->status = (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0');
	r->close = s[7] == '0';
	if (r->status == 200)
		return HTTP_MORE;
	snprintf(r->why, sizeof(r->why), "status %d, not 200", r->status);
	return HTTP_BAD;
}

/* parse_head - the status line and headers of a head of @head_len bytes. */
static enum http_result parse_head(struct http_reader *r, size_t head_len)
{
	const char *s = r->buf, *end = r->buf + head_len - 2, *eol;
	bool seen_cl = false;
	enum http_result rc;

	eol = memmem(s, (size_t)(end - s), "\r\n", 2);
	rc = status_line(r, s, (size_t)(eol - s));
	for (s = eol + 2; rc == HTTP_MORE && s < end; s = eol + 2) {
		eol = memmem(s, (size_t)(end - s), "\r\n", 2);
		rc = header(r, s, (size_t)(eol - s), &seen_cl);
	}
	if (rc == HTTP_MORE && !seen_cl)
		return bad(r, "no Content-Length");
	r->head_len = head_len;
	return rc;
}

/* body - @n more body bytes: done at exactly Content-Length, bad past it. */
static enum http_result body(struct http_reader *r, uint64_t n)
{
	r->body += n;
	if (r->body > r->content_length)
		return bad(r, "more body bytes than its Content-Length");
	return r->body == r->content_length ? HTTP_DONE : HTTP_MORE;
}

enum http_result http_reader_feed(struct http_reader *r, size_t n)
{
	size_t from = r->len > 3 ? r->len - 3 : 0;
	const char *crlf2;
	enum http_result rc;

	if (r->head_len)
		return body(r, n);
	r->len += n;
	crlf2 = memmem(r->buf + from, r->len - from, "\r\n\r\n", 4);
	if (!crlf2) {
		if (r->len == r->cap)
			return bad(r, "a head that does not fit the buffer");
		return HTTP_MORE;
	}
	rc = parse_head(r, (size_t)(crlf2 + 4 - r->buf));
	return rc == HTTP_MORE ? body(r, r->len - r->head_len) : rc;
}

enum http_result http_reader_eof(struct http_reader *r)
{
	if (r->head_len && r->body == r->content_length)
		return HTTP_DONE;
	if (!r->head_len)
		return bad(r, "the connection closed before the end of the head");
	return bad(r, "the connection closed before Content-Length body bytes");
}
