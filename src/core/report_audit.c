#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "report_int.h"

/*
 * The actions taken, from podscope's audit log (src/kube/audit.c): one line
 * per action, "TIME\tCONTEXT\tUSER\tACTION\tOBJECT\tOUTCOME", OBJECT being
 * "NAMESPACE/kind/name". An entry belongs to the report when its time is
 * within the report's span (its second: the log keeps whole seconds), its
 * context is the recording's (when both are known) and its object is in
 * the deployment's namespace and names the deployment or one of its
 * ReplicaSets or pods (whose names begin with the deployment's).
 */

#define AUDIT_FIELDS   6
#define AUDIT_MAX_LINE 4096

static bool ours(const struct report *r, const char *object)
{
	size_t nl = strlen(r->ns);
	if (strncmp(object, r->ns, nl) != 0 || object[nl] != '/')
		return false;
	const char *slash = strchr(object + nl + 1, '/');
	const char *name = slash ? slash + 1 : object + nl + 1;
	return strncmp(name, r->name, strlen(r->name)) == 0;
}

size_t report_audit(struct report *r, const char *text, size_t len, const char *context,
		    int64_t skew_ms)
{
	size_t added = 0;
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		size_t n = (size_t)(le - p);
		if (n > 0 && n < AUDIT_MAX_LINE) {
			char line[AUDIT_MAX_LINE];
			memcpy(line, p, n);
			line[n] = '\0';
			char *f[AUDIT_FIELDS];
			int nf = 0;
			char *s = line;
			while (nf < AUDIT_FIELDS) {
				f[nf++] = s;
				char *tab = strchr(s, '\t');
				if (!tab)
					break;
				*tab = '\0';
				s = tab + 1;
			}
			int64_t t;
			struct perr err = {0};
			if (nf == AUDIT_FIELDS && duration_parse_rfc3339(f[0], &t, &err) == 0 &&
			    (t += skew_ms, true) && t + 999 >= r->t0 && t <= r->t1 &&
			    (!context || !*context || strcmp(f[1], "-") == 0 ||
			     strcmp(f[1], context) == 0) &&
			    ours(r, f[4])) {
				report_action(r, t, f[3], f[4], f[5]);
				added++;
			}
			perr_clear(&err);
		}
		p = nl ? nl + 1 : end;
	}
	return added;
}
