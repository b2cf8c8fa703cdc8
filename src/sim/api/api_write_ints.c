#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "api_write.h"
#include "gofmt.h"
#include "objints.h"
#include "simobj.h"

/*
 * Where kube-apiserver's decoders refuse integers (objints.h), with the
 * answers of its handlers: transformDecodeError for a body (create.go,
 * update.go), and for a patch the 422 of patch.go, whose one cause is the
 * field "patch" with the patched object (JSON and merge patches) or the
 * patch map (strategic merge) as the invalid value.
 */

static bool ctype_is(const char *ct, const char *want)
{
	size_t n = strlen(want);
	return ct && strncmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

bool simwrite_ints_body(struct simreq *r, const char *kind, const char *api_version, cJSON *obj)
{
	const char *ct = simreq_header(r, "Content-Type");
	if (ctype_is(ct, "application/vnd.kubernetes.protobuf")) {
		/* Protobuf's generated decoders cast varints: int32(v) wraps. */
		free(objints_check(kind, obj, OBJINTS_CONVERT, NULL, 0));
		return true;
	}
	char *e = objints_check(kind, obj, OBJINTS_DECODE, r->body.data, r->body.len);
	if (!e)
		return true;
	const char *bk = simjson_string(obj, "kind");
	const char *bv = simjson_string(obj, "apiVersion");
	if (!bk || !*bk)
		bk = kind;
	if (!bv || !*bv)
		bv = api_version;
	const char *slash = strrchr(bv, '/');
	simwrite_bad_request(r, "%s in version \"%s\" cannot be handled as a %s: %s", bk,
			     slash ? slash + 1 : bv, kind, e);
	free(e);
	return false;
}

/* errors.NewInvalid(schema.GroupKind{}, "", {field.Invalid("patch", value, detail)}). */
static void patch_invalid(struct simreq *r, const char *value, const char *detail)
{
	struct buf body = BUF_INIT;
	buf_adds(&body, "Invalid value: ");
	buf_add_json_string(&body, value);
	buf_printf(&body, ": %s", detail);
	char *m = xasprintf(" \"\" is invalid: patch: %s", body.data);
	cJSON *d = cJSON_CreateObject();
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "reason", "FieldValueInvalid");
	cJSON_AddStringToObject(c, "message", body.data);
	cJSON_AddStringToObject(c, "field", "patch");
	cJSON_AddItemToArray(cJSON_AddArrayToObject(d, "causes"), c);
	simreq_reply_status(r, 422, "Invalid", m, d);
	free(m);
	buf_free(&body);
}

bool simwrite_ints_patch(struct simreq *r, const char *kind, cJSON *obj, const char *ct)
{
	bool smp = ctype_is(ct, "application/strategic-merge-patch+json") ||
		   ctype_is(ct, "application/apply-patch+yaml");
	if (!smp) {
		char *e = objints_check(kind, obj, OBJINTS_DECODE, r->body.data, r->body.len);
		if (!e)
			return true;
		char *js = cJSON_PrintUnformatted(obj);
		patch_invalid(r, js ? js : "", e);
		free(js);
		free(e);
		return false;
	}
	char lit[256];
	if (ctype_is(ct, "application/strategic-merge-patch+json") &&
	    objints_overflow_literal(r->body.data, r->body.len, lit, sizeof(lit))) {
		simwrite_bad_request(r, "json: cannot unmarshal number %s into Go value of type float64",
				     lit);
		return false;
	}
	char *e = objints_check(kind, obj, OBJINTS_CONVERT, r->body.data, r->body.len);
	if (!e)
		return true;
	cJSON *p = cJSON_ParseWithLength(r->body.data, r->body.len);
	char *shown = p ? gofmt_value(p) : xstrdup("map[]");
	patch_invalid(r, shown, e);
	free(shown);
	cJSON_Delete(p);
	free(e);
	return false;
}
