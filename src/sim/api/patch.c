#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "patch.h"
#include "podscope/buf.h"
#include "podscope/xalloc.h"

/* ---- merge patch (RFC 7386) ---- */

static cJSON *merge_rec(const cJSON *target, const cJSON *patch)
{
	if (!cJSON_IsObject(patch))
		return cJSON_Duplicate(patch, 1);
	cJSON *out = cJSON_IsObject(target) ? cJSON_Duplicate(target, 1) : cJSON_CreateObject();
	for (const cJSON *p = patch->child; p; p = p->next) {
		cJSON *cur = cJSON_GetObjectItemCaseSensitive(out, p->string);
		if (cJSON_IsNull(p)) {
			if (cur)
				cJSON_DeleteItemFromObjectCaseSensitive(out, p->string);
			continue;
		}
		cJSON *merged = merge_rec(cur, p);
		if (cur)
			cJSON_ReplaceItemInObjectCaseSensitive(out, p->string, merged);
		else
			cJSON_AddItemToObject(out, p->string, merged);
	}
	return out;
}

cJSON *patch_merge(const cJSON *obj, const cJSON *patch, struct perr *err)
{
	if (!cJSON_IsObject(patch)) {
		perr_set(err, PERR_USAGE, "a merge patch must be a JSON object");
		return NULL;
	}
	return merge_rec(obj, patch);
}

/* ---- JSON patch (RFC 6902) ---- */

/* Split a JSON pointer into unescaped tokens. */
static char **pointer_tokens(const char *ptr, size_t *n, struct perr *err)
{
	*n = 0;
	if (*ptr == '\0')
		return xcalloc(1, sizeof(char *));
	if (*ptr != '/') {
		perr_set(err, PERR_USAGE, "JSON pointer \"%s\" must start with /", ptr);
		return NULL;
	}
	size_t cap = 8;
	char **toks = xcalloc(cap + 1, sizeof(char *));
	const char *p = ptr + 1;
	for (;;) {
		const char *end = strchr(p, '/');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		struct buf tok = BUF_INIT;
		buf_add(&tok, "", 0);
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '~' && i + 1 < len && (p[i + 1] == '0' || p[i + 1] == '1')) {
				buf_addc(&tok, p[i + 1] == '0' ? '~' : '/');
				i++;
			} else {
				buf_addc(&tok, p[i]);
			}
		}
		if (*n == cap) {
			cap *= 2;
			toks = xrealloc(toks, (cap + 1) * sizeof(char *));
		}
		toks[(*n)++] = buf_steal(&tok);
		toks[*n] = NULL;
		if (!end)
			break;
		p = end + 1;
	}
	return toks;
}

static void free_tokens(char **toks, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(toks[i]);
	free(toks);
}

static bool array_index(const char *tok, int size, bool allow_end, int *idx)
{
	if (allow_end && strcmp(tok, "-") == 0) {
		*idx = size;
		return true;
	}
	if (!*tok || (tok[0] == '0' && tok[1]))
		return false;
	char *end;
	long v = strtol(tok, &end, 10);
	if (*end || v < 0 || v > size - (allow_end ? 0 : 1))
		return false;
	*idx = (int)v;
	return true;
}

/* Walk to the parent of the pointer's last token. */
static cJSON *walk_parent(cJSON *doc, char **toks, size_t n)
{
	cJSON *cur = doc;
	for (size_t i = 0; i + 1 < n && cur; i++) {
		if (cJSON_IsArray(cur)) {
			int idx;
			if (!array_index(toks[i], cJSON_GetArraySize(cur), false, &idx))
				return NULL;
			cur = cJSON_GetArrayItem(cur, idx);
		} else if (cJSON_IsObject(cur)) {
			cur = cJSON_GetObjectItemCaseSensitive(cur, toks[i]);
		} else {
			return NULL;
		}
	}
	return cur;
}

static cJSON *pointer_get(cJSON *doc, const char *path, struct perr *err)
{
	size_t n;
	char **toks = pointer_tokens(path, &n, err);
	if (!toks)
		return NULL;
	cJSON *res = NULL;
	if (n == 0) {
		res = doc;
	} else {
		cJSON *parent = walk_parent(doc, toks, n);
		int idx;
		if (cJSON_IsArray(parent)) {
			if (array_index(toks[n - 1], cJSON_GetArraySize(parent), false, &idx))
				res = cJSON_GetArrayItem(parent, idx);
		} else if (cJSON_IsObject(parent)) {
			res = cJSON_GetObjectItemCaseSensitive(parent, toks[n - 1]);
		}
	}
	free_tokens(toks, n);
	return res;
}

/* Detach what path names; NULL when it does not exist. */
static cJSON *pointer_detach(cJSON *doc, const char *path, struct perr *err)
{
	size_t n;
	char **toks = pointer_tokens(path, &n, err);
	if (!toks)
		return NULL;
	cJSON *res = NULL;
	if (n > 0) {
		cJSON *parent = walk_parent(doc, toks, n);
		int idx;
		if (cJSON_IsArray(parent)) {
			if (array_index(toks[n - 1], cJSON_GetArraySize(parent), false, &idx))
				res = cJSON_DetachItemFromArray(parent, idx);
		} else if (cJSON_IsObject(parent)) {
			res = cJSON_DetachItemFromObjectCaseSensitive(parent, toks[n - 1]);
		}
	}
	free_tokens(toks, n);
	return res;
}

/* Add value at path (RFC 6902 "add"); takes value. *doc may be replaced. */
static bool pointer_add(cJSON **doc, const char *path, cJSON *value, bool replace,
			struct perr *err)
{
	size_t n;
	char **toks = pointer_tokens(path, &n, err);
	if (!toks) {
		cJSON_Delete(value);
		return false;
	}
	bool ok = false;
	if (n == 0) {
		cJSON_Delete(*doc);
		*doc = value;
		ok = true;
		goto out;
	}
	cJSON *parent = walk_parent(*doc, toks, n);
	const char *last = toks[n - 1];
	if (cJSON_IsArray(parent)) {
		int size = cJSON_GetArraySize(parent), idx;
		if (array_index(last, size, !replace, &idx)) {
			if (replace)
				cJSON_ReplaceItemInArray(parent, idx, value);
			else if (idx == size)
				cJSON_AddItemToArray(parent, value);
			else
				cJSON_InsertItemInArray(parent, idx, value);
			ok = true;
		}
	} else if (cJSON_IsObject(parent)) {
		if (cJSON_GetObjectItemCaseSensitive(parent, last)) {
			cJSON_ReplaceItemInObjectCaseSensitive(parent, last, value);
			ok = true;
		} else if (!replace) {
			cJSON_AddItemToObject(parent, last, value);
			ok = true;
		}
	}
out:
	if (!ok) {
		cJSON_Delete(value);
		perr_set(err, PERR_API, "the path \"%s\" does not exist", path);
		err->http_status = 422;
	}
	free_tokens(toks, n);
	return ok;
}

static const char *op_str(const cJSON *op, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(op, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void unprocessable(struct perr *err, const char *fmt, const char *a, const char *b)
{
	perr_set(err, PERR_API, fmt, a, b);
	err->http_status = 422;
}

static bool apply_op(cJSON **doc, const cJSON *op, struct perr *err)
{
	const char *name = op_str(op, "op"), *path = op_str(op, "path");
	const cJSON *value = cJSON_GetObjectItemCaseSensitive(op, "value");
	if (!name || !path) {
		perr_set(err, PERR_USAGE, "a JSON patch operation needs \"op\" and \"path\"");
		return false;
	}
	if (strcmp(name, "add") == 0 || strcmp(name, "replace") == 0) {
		if (!value) {
			perr_set(err, PERR_USAGE, "JSON patch %s %s: missing \"value\"", name, path);
			return false;
		}
		return pointer_add(doc, path, cJSON_Duplicate(value, 1), name[0] == 'r', err);
	}
	if (strcmp(name, "remove") == 0) {
		cJSON *gone = pointer_detach(*doc, path, err);
		if (!gone) {
			unprocessable(err, "JSON patch remove %s%s: no such path", path, "");
			return false;
		}
		cJSON_Delete(gone);
		return true;
	}
	if (strcmp(name, "move") == 0 || strcmp(name, "copy") == 0) {
		const char *from = op_str(op, "from");
		if (!from) {
			perr_set(err, PERR_USAGE, "JSON patch %s %s: missing \"from\"", name, path);
			return false;
		}
		cJSON *v = name[0] == 'm' ? pointer_detach(*doc, from, err)
					  : cJSON_Duplicate(pointer_get(*doc, from, err), 1);
		if (!v) {
			unprocessable(err, "JSON patch %s: no such path %s", name, from);
			return false;
		}
		return pointer_add(doc, path, v, false, err);
	}
	if (strcmp(name, "test") == 0) {
		const cJSON *cur = pointer_get(*doc, path, err);
		if (!cur || !value || !cJSON_Compare(cur, value, 1)) {
			unprocessable(err, "JSON patch test failed at %s%s", path, "");
			return false;
		}
		return true;
	}
	perr_set(err, PERR_USAGE, "unknown JSON patch operation \"%s\"", name);
	return false;
}

cJSON *patch_json(const cJSON *obj, const cJSON *ops, struct perr *err)
{
	if (!cJSON_IsArray(ops)) {
		perr_set(err, PERR_USAGE, "a JSON patch must be a JSON array of operations");
		return NULL;
	}
	cJSON *doc = cJSON_Duplicate(obj, 1);
	for (const cJSON *op = ops->child; op; op = op->next) {
		if (!cJSON_IsObject(op)) {
			perr_set(err, PERR_USAGE, "a JSON patch operation must be an object");
			cJSON_Delete(doc);
			return NULL;
		}
		if (!apply_op(&doc, op, err)) {
			cJSON_Delete(doc);
			return NULL;
		}
	}
	return doc;
}
