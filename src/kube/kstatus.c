#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/buf.h"
#include "podscope/client.h"
#include "podscope/sanitize.h"
#include "podscope/xalloc.h"

#include "kstatus.h"

/* Longest piece of a server's text that goes into a message: a Status
 * message is the API's own words (a 422 lists every bad field); anything
 * else is a glimpse of what came back. */
#define MESSAGE_MAX 1000
#define SNIPPET_MAX 200

static const char *reason_phrase(long code)
{
	switch (code) {
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 406:
		return "Not Acceptable";
	case 409:
		return "Conflict";
	case 410:
		return "Gone";
	case 413:
		return "Request Entity Too Large";
	case 415:
		return "Unsupported Media Type";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return "";
	}
}

/* Add text as one line: runs of blanks and C0 controls become one space,
 * and the rest goes through the one sanitiser (C1, DEL, bidi and invisible
 * characters escaped), cut at max columns. */
static void add_line(struct buf *b, const char *s, size_t len, size_t max)
{
	struct buf line = BUF_INIT;
	bool space = false;
	for (size_t i = 0; i < len && s[i]; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x20 || ch == ' ') {
			space = line.len > 0;
			continue;
		}
		if (space) {
			buf_addc(&line, ' ');
			space = false;
		}
		buf_addc(&line, (char)ch);
	}
	sanitize_add_cut(b, line.data, max);
	buf_free(&line);
}

static const char *jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* The path without its query, for messages. */
static void add_path(struct buf *b, const char *path)
{
	if (!path)
		return;
	size_t n = strcspn(path, "?");
	add_line(b, path, n, SNIPPET_MAX);
}

static bool looks_like_text(const char *body, size_t len)
{
	if (!body || len == 0)
		return false;
	/* HTML error pages from proxies say nothing useful in one line. */
	size_t i = 0;
	while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
		i++;
	if (i < len && body[i] == '<')
		return false;
	for (size_t j = i; j < len && j < i + 64; j++)
		if (body[j] == '\0')
			return false;
	return i < len;
}

static void add_401(struct buf *b, const char *user)
{
	buf_adds(b, "unauthorized: the API server rejected the credentials");
	if (user && *user) {
		buf_adds(b, " of user \"");
		add_line(b, user, strlen(user), SNIPPET_MAX);
		buf_addc(b, '"');
	}
}

char *kstatus_format(long http_status, const char *body, size_t len, const char *method,
		     const char *path, const char *user, const char *hint)
{
	struct buf b = BUF_INIT;
	cJSON *root = NULL;
	if (body && len > 0 && len < (1u << 24))
		root = cJSON_ParseWithLength(body, len);
	const char *kind = root ? jstr(root, "kind") : NULL;
	bool status = kind && strcmp(kind, "Status") == 0;

	long code = http_status;
	const char *reason = NULL, *message = NULL;
	if (status) {
		const cJSON *c = cJSON_GetObjectItemCaseSensitive(root, "code");
		/* A code that is no HTTP status (1e300 included) is ignored. */
		if (code <= 0 && cJSON_IsNumber(c) && c->valuedouble >= 100 &&
		    c->valuedouble <= 999)
			code = (long)c->valuedouble;
		reason = jstr(root, "reason");
		message = jstr(root, "message");
	}
	if (!reason && *reason_phrase(code))
		reason = reason_phrase(code);

	if (code == 401) {
		add_401(&b, user);
	} else if (message) {
		if (code == 403 && !strstr(message, "forbidden"))
			buf_adds(&b, "forbidden: ");
		add_line(&b, message, strlen(message), MESSAGE_MAX);
	} else {
		if (code == 403)
			buf_adds(&b, "forbidden: ");
		buf_adds(&b, method && *method ? method : "GET");
		buf_addc(&b, ' ');
		add_path(&b, path);
		if (!status && looks_like_text(body, len)) {
			buf_adds(&b, ": ");
			add_line(&b, body, len, SNIPPET_MAX);
		}
	}

	buf_adds(&b, " (");
	if (reason) {
		add_line(&b, reason, strlen(reason), SNIPPET_MAX);
		buf_adds(&b, ", ");
	}
	buf_printf(&b, "HTTP %ld)", code);

	if (hint && *hint) {
		buf_adds(&b, " \xe2\x80\x94 ");
		buf_adds(&b, hint);
	}
	cJSON_Delete(root);
	return buf_steal(&b);
}

char *kstatus_message(long http_status, const char *body, size_t len, const char *method,
		      const char *path)
{
	return kstatus_format(http_status, body, len, method, path, NULL,
			      http_status == 401 ? kstatus_hint_401(KSTATUS_AUTH_UNKNOWN) : NULL);
}

const char *kstatus_hint_401(enum kstatus_auth a)
{
	switch (a) {
	case KSTATUS_AUTH_NONE:
		return "the kubeconfig gives no credentials for this user";
	case KSTATUS_AUTH_TOKEN:
		return "has the token expired or been revoked? Get a new one for the kubeconfig";
	case KSTATUS_AUTH_TOKEN_FILE:
		return "has the token in the token file expired or been revoked?";
	case KSTATUS_AUTH_CERT:
		return "is the client certificate expired, or signed by a CA this cluster does "
		       "not trust?";
	case KSTATUS_AUTH_BASIC:
		return "check the username and password (many clusters disable basic auth)";
	case KSTATUS_AUTH_EXEC:
		return "the exec credential plugin's credentials were refused even after "
		       "running it again: log in again with the plugin's own tool";
	case KSTATUS_AUTH_UNKNOWN:
	default:
		return "has the token expired, or does the exec plugin need a new login?";
	}
}
