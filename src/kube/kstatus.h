#ifndef PODSCOPE_KSTATUS_H
#define PODSCOPE_KSTATUS_H

#include <stddef.h>

/* Internal to src/kube: the parts of error formatting the client shares with
 * kstatus_message() (client.h). */

/* Which kind of credentials a 401 refused, to choose the hint. */
enum kstatus_auth {
	KSTATUS_AUTH_UNKNOWN,
	KSTATUS_AUTH_NONE,
	KSTATUS_AUTH_TOKEN,
	KSTATUS_AUTH_TOKEN_FILE,
	KSTATUS_AUTH_CERT,
	KSTATUS_AUTH_BASIC,
	KSTATUS_AUTH_EXEC,
};

/* One line: "message (reason, HTTP code)", then " — hint" when hint is set.
 * A Status body gives message and reason; anything else gives the method,
 * the path (query dropped) and the first line of a text body. A 401 says the
 * credentials were rejected, naming user when set. Heap string. */
char *kstatus_format(long http_status, const char *body, size_t len, const char *method,
		     const char *path, const char *user, const char *hint);

/* The hint after a 401 for this kind of credentials (static string). */
const char *kstatus_hint_401(enum kstatus_auth a);

#endif
