// SPDX-License-Identifier: MIT
/* test_http_parse - the http probe's URL and response parsing, fed synthetic bytes. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "probes/http_parse.h"
#include "tests/unit/check.h"

static const char ok_head[] = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
			      "Content-Length: 44\r\nServer: test\r\n\r\n";
static const char body44[] = "<html><body>ringscope 44 bytes</body></html>";

/* feed - copy @text into the reader in pieces of @step bytes; the last result. */
static enum http_result feed(struct http_reader *r, const char *text, size_t step)
{
	size_t off = 0, n, room;
	enum http_result rc = HTTP_MORE;
	char *p;

	while (off < strlen(text) && rc == HTTP_MORE) {
		p = http_reader_space(r, &room);
		n = strlen(text) - off < step ? strlen(text) - off : step;
		n = n < room ? n : room;
		memcpy(p, text + off, n);
		off += n;
		rc = http_reader_feed(r, n);
	}
	return rc;
}

/* response - @head then @body through a fresh reader in @step-byte pieces. */
static enum http_result response(struct http_reader *r, char *buf, size_t cap, const char *head,
				 const char *body, size_t step)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s%s", head, body);
	http_reader_init(r, buf, cap);
	return feed(r, text, step);
}

static int test_whole(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf), ok_head, body44, 4096) == HTTP_DONE);
	CHECK(r.status == 200 && r.content_length == 44 && r.body == 44 && !r.close);
	return T_EXIT_PASS;
}

/* test_split - every split point, down to one byte per recv, gives the same answer. */
static int test_split(void)
{
	struct http_reader r;
	char buf[512];
	size_t step;

	for (step = 1; step < sizeof(ok_head) + 44; step++) {
		CHECK(response(&r, buf, sizeof(buf), ok_head, body44, step) == HTTP_DONE);
		CHECK(r.body == 44);
	}
	return T_EXIT_PASS;
}

/* test_body_larger_than_buffer - bodies are counted, not kept: a small buffer is enough. */
static int test_body_larger_than_buffer(void)
{
	static const char head[] = "HTTP/1.1 200 OK\r\nContent-Length: 300\r\n\r\n";
	char body[301], buf[64];
	struct http_reader r;

	memset(body, 'x', 300);
	body[300] = '\0';
	CHECK(response(&r, buf, sizeof(buf), head, body, 7) == HTTP_DONE && r.body == 300);
	return T_EXIT_PASS;
}

static int test_bad_status(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf), "HTTP/1.1 404 Not Found\r\nContent-Length: 44\r\n\r\n",
		       body44, 10) == HTTP_BAD);
	CHECK(r.status == 404 && strstr(r.why, "404"));
	return T_EXIT_PASS;
}

static int test_malformed(void)
{
	static const char *const heads[] = {
	    "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n",
	    "HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
	    "HTTP/1.1 200 OK\r\nContent-Length: 4x\r\n\r\n",
	};
	struct http_reader r;
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		CHECK(response(&r, buf, sizeof(buf), heads[i], "", 100) == HTTP_BAD);
	return T_EXIT_PASS;
}

/* test_wrong_length - more bytes than Content-Length, or a close before all of them. */
static int test_wrong_length(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf), ok_head,
		       "<html><body>ringscope 44 bytes</body></html>!", 4096) == HTTP_BAD);
	CHECK(response(&r, buf, sizeof(buf), ok_head, "<html>", 4096) == HTTP_MORE);
	CHECK(http_reader_eof(&r) == HTTP_BAD && strstr(r.why, "closed"));
	return T_EXIT_PASS;
}

/* test_chunked - a chunked body is not read: bad, whatever else the head says. */
static int test_chunked(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf),
		       "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n", "2c\r\n",
		       100) == HTTP_BAD);
	CHECK(strstr(r.why, "chunked"));
	return T_EXIT_PASS;
}

static int test_no_content_length(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf), "HTTP/1.1 200 OK\r\nServer: x\r\n\r\n", "", 100) ==
	      HTTP_BAD);
	return T_EXIT_PASS;
}

/* test_head_too_large - a head that never ends within the buffer is bad, not a hang. */
static int test_head_too_large(void)
{
	struct http_reader r;
	char buf[32];

	CHECK(response(&r, buf, sizeof(buf), ok_head, body44, 5) == HTTP_BAD);
	return T_EXIT_PASS;
}

/* test_connection - Connection: close and HTTP/1.0 without keep-alive end the connection. */
static int test_connection(void)
{
	struct http_reader r;
	char buf[512];

	CHECK(response(&r, buf, sizeof(buf),
		       "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "",
		       100) == HTTP_DONE);
	CHECK(r.close);
	CHECK(response(&r, buf, sizeof(buf), "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", "",
		       100) == HTTP_DONE);
	CHECK(r.close);
	CHECK(http_reader_eof(&r) == HTTP_DONE);
	return T_EXIT_PASS;
}

static int test_url(void)
{
	struct http_url u;
	char err[256], req[512];

	CHECK(http_url_parse("http://127.0.0.1:8080/index.html", &u, err, sizeof(err)) == 0);
	CHECK(ntohs(u.addr.sin_port) == 8080 && u.addr.sin_addr.s_addr == htonl(0x7f000001));
	CHECK(!strcmp(u.path, "/index.html") && !strcmp(u.host, "127.0.0.1:8080"));
	CHECK(http_url_parse("http://localhost", &u, err, sizeof(err)) == 0);
	CHECK(ntohs(u.addr.sin_port) == 80 && !strcmp(u.path, "/"));
	CHECK(http_request(&u, false, req, sizeof(req)) > 0);
	CHECK(!strncmp(req, "GET / HTTP/1.1\r\nHost: localhost\r\n", 33));
	CHECK(strstr(req, "Connection: close\r\n\r\n"));
	CHECK(http_request(&u, true, req, 8) == -ENOSPC);
	return T_EXIT_PASS;
}

static int test_url_errors(void)
{
	static const char *const bad[] = {
	    "https://127.0.0.1/",    "127.0.0.1:80/",	   "http://:80/",
	    "http://example.com/",   "http://1.2.3/",	   "http://1.2.3.4:0/",
	    "http://1.2.3.4:65536/", "http://1.2.3.4:8x/", "http://1.2.3.4:/",
	    "http://1.2.3.4/a b",    "http://1.2.3.4/#x",
	};
	struct http_url u;
	char err[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECTF(http_url_parse(bad[i], &u, err, sizeof(err)) == -EINVAL &&
			    strstr(err, "--url"),
			"accepted or unexplained: '%s' (%s)", bad[i], err);
	}
	return T_EXIT_PASS;
}

int main(void)
{
	static const struct check_case cases[] = {
	    CHECK_CASE(whole),
	    CHECK_CASE(split),
	    CHECK_CASE(body_larger_than_buffer),
	    CHECK_CASE(bad_status),
	    CHECK_CASE(malformed),
	    CHECK_CASE(wrong_length),
	    CHECK_CASE(chunked),
	    CHECK_CASE(no_content_length),
	    CHECK_CASE(head_too_large),
	    CHECK_CASE(connection),
	    CHECK_CASE(url),
	    CHECK_CASE(url_errors),
	};

	return CHECK_RUN(cases);
}
