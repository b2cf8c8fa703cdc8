#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "hserver.h"

/*
 * What a hostile API server can do to podscope's HTTP client and its lists:
 * bodies that never end or inflate without end, lists that never end, a
 * Retry-After of a day, redirects. Big bodies are made as they are sent,
 * never held.
 */

#define BOMB_BYTES (512u * 1024 * 1024)

/* ---- a gzip bomb: 512 MiB of zeros in about 3.4 MB ---- */

struct bits {
	struct hs_conn *c;
	unsigned char buf[65536];
	size_t n;
	uint32_t acc;
	int nacc;
	int rc;
};

static void flush_bits(struct bits *b)
{
	if (b->n && b->rc == 0)
		b->rc = hs_chunk(b->c, b->buf, b->n);
	b->n = 0;
}

static void put_byte(struct bits *b, unsigned char ch)
{
	b->buf[b->n++] = ch;
	if (b->n == sizeof(b->buf))
		flush_bits(b);
}

/* value's low n bits, least significant first (deflate's order for
 * everything but Huffman codes). */
static void put_bits(struct bits *b, uint32_t value, int n)
{
	b->acc |= value << b->nacc;
	b->nacc += n;
	while (b->nacc >= 8) {
		put_byte(b, (unsigned char)(b->acc & 0xff));
		b->acc >>= 8;
		b->nacc -= 8;
	}
}

/* A Huffman code of n bits, most significant first. */
static void put_code(struct bits *b, uint32_t code, int n)
{
	uint32_t rev = 0;
	for (int i = 0; i < n; i++)
		rev |= ((code >> i) & 1u) << (n - 1 - i);
	put_bits(b, rev, n);
}

static uint32_t crc_zeros(uint64_t n)
{
	uint32_t table[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	uint32_t crc = 0xffffffffu;
	for (uint64_t i = 0; i < n; i++)
		crc = table[crc & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

/* One fixed-Huffman deflate block: a literal zero, then copies of 258 bytes
 * at distance 1 (13 bits each), in a gzip member. */
static int gzip_bomb(struct hs_conn *c, int status)
{
	if (hs_chunked_begin(c, status, NULL, "Content-Encoding: gzip\r\n") < 0)
		return -1;
	struct bits *b = calloc(1, sizeof(*b));
	b->c = c;
	static const unsigned char head[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff};
	for (size_t i = 0; i < sizeof(head); i++)
		put_byte(b, head[i]);
	uint64_t copies = (BOMB_BYTES - 1) / 258, total = 1 + copies * 258;
	put_bits(b, 1, 1);    /* BFINAL */
	put_bits(b, 1, 2);    /* BTYPE 01: fixed codes */
	put_code(b, 0x30, 8); /* literal 0 */
	for (uint64_t i = 0; i < copies && b->rc == 0; i++) {
		put_code(b, 0xc5, 8); /* length 258 (symbol 285) */
		put_code(b, 0, 5);    /* distance 1 */
	}
	put_code(b, 0, 7); /* end of block */
	if (b->nacc)
		put_bits(b, 0, 8 - b->nacc);
	uint32_t crc = b->rc == 0 ? crc_zeros(total) : 0;
	for (int i = 0; i < 4; i++)
		put_byte(b, (unsigned char)(crc >> (8 * i)));
	for (int i = 0; i < 4; i++)
		put_byte(b, (unsigned char)(total >> (8 * i)));
	flush_bits(b);
	int rc = b->rc == 0 ? hs_chunked_end(c) : -1;
	free(b);
	return rc;
}

static bool is_list(const struct hs_req *r)
{
	return strcmp(r->method, "GET") == 0 && !hs_is_watch(r) &&
	       (strncmp(r->path, "/api/v1/", 8) == 0 ||
		strncmp(r->path, "/apis/apps/v1/", 14) == 0);
}

/* /version answers 200 with the bomb; with all, lists and /version answer 500. */
static int bomb(struct hs_conn *c, const struct hs_req *r, bool all)
{
	bool version = strcmp(r->path, "/version") == 0;
	if (!version && !(all && is_list(r)))
		return 0;
	gzip_bomb(c, all ? 500 : 200);
	return 1;
}

static int bomb_version(struct hs_conn *c, const struct hs_req *r)
{
	return bomb(c, r, false);
}
HS_SCENARIO(net_gzip_version, "/version: 200, gzip that inflates 3.4 MB to 512 MiB", bomb_version)

static int bomb_500(struct hs_conn *c, const struct hs_req *r)
{
	return bomb(c, r, true);
}
HS_SCENARIO(net_gzip_500, "/version and lists: 500, gzip that inflates 3.4 MB to 512 MiB", bomb_500)

/* ---- a plain error body of 512 MiB ---- */

static int big_error(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") != 0 && !is_list(r))
		return 0;
	static char chunk[65536];
	memset(chunk, 'x', sizeof(chunk));
	static const char open[] = "{\"kind\":\"Status\",\"code\":500,\"message\":\"";
	if (hs_chunked_begin(c, 500, NULL, NULL) < 0 || hs_chunk(c, open, sizeof(open) - 1) < 0)
		return 1;
	for (size_t sent = 0; sent < BOMB_BYTES; sent += sizeof(chunk))
		if (hs_chunk(c, chunk, sizeof(chunk)) < 0)
			return 1;
	if (hs_chunk(c, "\"}", 2) == 0)
		hs_chunked_end(c);
	return 1;
}
HS_SCENARIO(net_big_error, "/version and lists: 500 with a 512 MiB body", big_error)

/* ---- lists that never end ---- */

static bool is_pods(const struct hs_req *r)
{
	char res[64];
	return is_list(r) && strcmp(hs_resource(r, res, sizeof(res)), "pods") == 0;
}

static const char pod_fmt[] =
    "[{\"metadata\":{\"name\":\"p%ld\",\"namespace\":\"default\",\"uid\":\"u%ld\","
    "\"resourceVersion\":\"%ld\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},"
    "\"status\":{\"phase\":\"Pending\"}}]";

/* A pod list page in one write: a head and a body in two would wait for
 * the peer's delayed ACK (40 ms) on every page, and a thousand pages would
 * take a minute. */
static void list_page(struct hs_conn *c, const char *items, const char *cont)
{
	char body[1024], all[1536];
	int n = snprintf(body, sizeof(body),
			 "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{"
			 "\"resourceVersion\":\"1\",\"continue\":\"%s\"},\"items\":%s}",
			 cont, items);
	int m = snprintf(all, sizeof(all),
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
			 "Content-Length: %d\r\n\r\n%s",
			 n, body);
	hs_send(c, all, (size_t)m);
}

/* Every page names a new next page, and brings a new pod. */
static int endless_pages(struct hs_conn *c, const struct hs_req *r)
{
	if (!is_pods(r))
		return 0;
	char cont[64] = "";
	long n = hs_query(r, "continue", cont, sizeof(cont)) ? strtol(cont + 1, NULL, 10) : 0;
	char items[512], next[64];
	snprintf(items, sizeof(items), pod_fmt, n, n, n + 1);
	snprintf(next, sizeof(next), "t%ld", n + 1);
	list_page(c, items, next);
	return 1;
}
HS_SCENARIO(net_endless_pages, "pods: every page has a new continue token", endless_pages)

/* Every page names the same next page. */
static int same_token(struct hs_conn *c, const struct hs_req *r)
{
	if (!is_pods(r))
		return 0;
	char items[512];
	snprintf(items, sizeof(items), pod_fmt, 1L, 1L, 1L);
	list_page(c, items, "again");
	return 1;
}
HS_SCENARIO(net_same_token, "pods: every page names the same continue token", same_token)

/* A page cut after an item whose resourceVersion is new on each request: the
 * store changes every time, which must not count as progress for ever. */
static int broken_page(struct hs_conn *c, const struct hs_req *r)
{
	if (!is_pods(r))
		return 0;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long rv = (long)(ts.tv_sec % 100000) * 1000000 + ts.tv_nsec / 1000;
	char items[512];
	snprintf(items, sizeof(items), pod_fmt, 1L, 1L, rv);
	items[strlen(items) - 1] = ','; /* more items promised */
	static const char head[] =
	    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
	    "\"items\":";
	if (hs_chunked_begin(c, 200, NULL, NULL) == 0 && hs_chunk(c, head, sizeof(head) - 1) == 0)
		hs_chunk(c, items, strlen(items));
	hs_hangup(c);
	return 1;
}
HS_SCENARIO(net_broken_page, "pods: a page cut after an item whose resourceVersion changes",
	    broken_page)

/* One page whose items never end, each a new pod. */
static int endless_page(struct hs_conn *c, const struct hs_req *r)
{
	if (!is_pods(r))
		return 0;
	static const char head[] =
	    "{\"kind\":\"PodList\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"1\"},"
	    "\"items\":[";
	if (hs_chunked_begin(c, 200, NULL, NULL) < 0 || hs_chunk(c, head, sizeof(head) - 1) < 0)
		return 1;
	char items[512];
	for (long n = 0;; n++) {
		snprintf(items, sizeof(items), pod_fmt, n, n, n + 1);
		items[0] = n ? ',' : ' '; /* one array: the items run on */
		items[strlen(items) - 1] = ' ';
		if (hs_chunk(c, items, strlen(items)) < 0)
			return 1;
	}
}
HS_SCENARIO(net_endless_page, "pods: one page whose items never end", endless_page)

/* ---- Retry-After: a day ---- */

static int retry_day(struct hs_conn *c, const struct hs_req *r)
{
	if (!is_pods(r))
		return 0;
	static const char body[] =
	    "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
	    "\"message\":\"slow down\",\"reason\":\"TooManyRequests\","
	    "\"code\":429}";
	hs_reply(c, 429, NULL, "Retry-After: 86400\r\n", body, sizeof(body) - 1);
	return 1;
}
HS_SCENARIO(net_retry_day, "pods: 429 with Retry-After: 86400", retry_day)

/* ---- redirects ---- */

static int redirect(struct hs_conn *c, const struct hs_req *r)
{
	if (strcmp(r->path, "/version") == 0) {
		hs_reply(c, 301, "text/plain", "Location: http://evil.example:8443/version\r\n", "",
			 0);
		return 1;
	}
	if (!is_pods(r))
		return 0;
	hs_reply(c, 302, "text/plain",
		 "Location: http://ev\x1b[2Jil.example\xc2\x9b/api/v1/pods\r\n", "moved", 5);
	return 1;
}
HS_SCENARIO(net_redirect, "/version: 301 elsewhere; pods: 302 to a host with control bytes",
	    redirect)
