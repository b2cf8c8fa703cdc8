#include "config.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "podscope/jarena.h"
#include "podscope/watchframe.h"

void wframe_init(struct wframe *f, size_t max_line)
{
	memset(f, 0, sizeof(*f));
	f->max_line = max_line ? max_line : WFRAME_DEFAULT_MAX;
}

void wframe_free(struct wframe *f)
{
	buf_free(&f->partial);
}

void wframe_reset(struct wframe *f)
{
	/* A huge line once must not pin its buffer for the life of a watch. */
	if (f->partial.cap > 64 * 1024)
		buf_free(&f->partial);
	else
		buf_reset(&f->partial);
}

size_t wframe_pending(const struct wframe *f)
{
	return f->partial.len;
}

static int deliver(struct wframe *f, const char *line, size_t len, wframe_line_fn fn, void *ud)
{
	if (len && line[len - 1] == '\r')
		len--;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
		i++;
	if (i == len)
		return 0;
	f->lines++;
	return fn(ud, line, len);
}

static int too_long(struct wframe *f, struct perr *err)
{
	perr_set(err, PERR_API,
		 "watch stream: a line is longer than %zu bytes; dropping the stream", f->max_line);
	buf_free(&f->partial);
	return -1;
}

int wframe_feed(struct wframe *f, const char *data, size_t len, wframe_line_fn fn, void *ud,
		struct perr *err)
{
	while (len) {
		const char *nl = memchr(data, '\n', len);
		if (!nl) {
			if (f->partial.len + len > f->max_line)
				return too_long(f, err);
			buf_add(&f->partial, data, len);
			return 0;
		}
		size_t n = (size_t)(nl - data);
		int rc;
		if (f->partial.len) {
			if (f->partial.len + n > f->max_line)
				return too_long(f, err);
			buf_add(&f->partial, data, n);
			rc = deliver(f, f->partial.data, f->partial.len, fn, ud);
			buf_reset(&f->partial);
		} else {
			if (n > f->max_line)
				return too_long(f, err);
			rc = deliver(f, data, n, fn, ud);
		}
		if (rc)
			return rc;
		data = nl + 1;
		len -= n + 1;
	}
	return 0;
}

static const char *const type_names[] = {"ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR"};

const char *wevent_type_name(enum wevent_type t)
{
	return (unsigned)t <= WEV_ERROR ? type_names[t] : "?";
}

static const char *str_item(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) && v->valuestring ? v->valuestring : "";
}

int wevent_parse(const char *line, size_t len, struct wevent *ev, struct perr *err)
{
	memset(ev, 0, sizeof(*ev));
	ev->rv = ev->reason = ev->message = "";
	ev->root = jarena_parse(line, len);
	if (!cJSON_IsObject(ev->root)) {
		perr_set(err, PERR_API, "watch stream: a line is not a JSON object");
		goto fail;
	}
	const char *type = str_item(ev->root, "type");
	int t = -1;
	for (int i = 0; i <= WEV_ERROR; i++)
		if (strcmp(type, type_names[i]) == 0)
			t = i;
	if (t < 0) {
		perr_set(err, PERR_API, "watch stream: unknown event type \"%.40s\"", type);
		goto fail;
	}
	ev->type = (enum wevent_type)t;
	ev->object = cJSON_GetObjectItemCaseSensitive(ev->root, "object");
	if (!cJSON_IsObject(ev->object)) {
		ev->object = NULL;
		if (ev->type != WEV_ERROR) {
			perr_set(err, PERR_API, "watch stream: %s event without an object", type);
			goto fail;
		}
	}
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(ev->object, "metadata");
	ev->rv = str_item(meta, "resourceVersion");
	if (ev->type == WEV_BOOKMARK) {
		const cJSON *ann = cJSON_GetObjectItemCaseSensitive(meta, "annotations");
		ev->initial_events_end =
		    strcmp(str_item(ann, "k8s.io/initial-events-end"), "true") == 0;
	} else if (ev->type == WEV_ERROR) {
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(ev->object, "code");
		ev->code = cJSON_IsNumber(code) ? code->valueint : 0;
		ev->reason = str_item(ev->object, "reason");
		ev->message = str_item(ev->object, "message");
		if (ev->code == 0 &&
		    (strcmp(ev->reason, "Expired") == 0 || strcmp(ev->reason, "Gone") == 0))
			ev->code = 410;
	}
	return 0;
fail:
	jarena_delete(ev->root);
	ev->root = NULL;
	return -1;
}

void wevent_free(struct wevent *ev)
{
	jarena_delete(ev->root);
	ev->root = NULL;
	ev->object = NULL;
}
