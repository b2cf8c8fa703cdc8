#include "config.h"

#include <stdio.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/urlpath.h"

void urlpath_escape(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			buf_addc(b, (char)c);
		} else {
			buf_addc(b, '%');
			buf_addc(b, hex[c >> 4]);
			buf_addc(b, hex[c & 15]);
		}
	}
}

/* apimachinery's messages and patterns, word for word (validation.go). */
#define LABEL_FMT     "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
#define SUBDOMAIN_FMT LABEL_FMT "(\\." LABEL_FMT ")*"
#define DNS1035_FMT   "[a-z]([-a-z0-9]*[a-z0-9])?"
#define LABEL_MSG                                                                                  \
	"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "   \
	"and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc', "     \
	"regex used for validation is '" LABEL_FMT "')"
#define SUBDOMAIN_MSG                                                                              \
	"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "  \
	"or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "      \
	"regex used for validation is '" SUBDOMAIN_FMT "')"
#define DNS1035_MSG                                                                                \
	"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "  \
	"an alphabetic character, and end with an alphanumeric character (e.g. 'my-name' or "      \
	"'abc-123', regex used for validation is '" DNS1035_FMT "')"

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? over s[0..n). */
static bool is_label(const char *s, size_t n)
{
	if (n == 0 || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (size_t i = 1; i + 1 < n; i++)
		if (!alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

static bool is_subdomain(const char *s)
{
	for (;;) {
		size_t n = strcspn(s, ".");
		if (!is_label(s, n))
			return false;
		if (s[n] == '\0')
			return true;
		s += n + 1;
	}
}

bool urlpath_name_valid(const char *name, enum urlpath_rule rule, char *why, size_t n)
{
	size_t len = strlen(name);
	size_t max = rule == URLPATH_DNS1123_SUBDOMAIN ? 253 : 63;
	const char *msg = NULL;
	switch (rule) {
	case URLPATH_DNS1123_SUBDOMAIN:
		if (!is_subdomain(name))
			msg = SUBDOMAIN_MSG;
		break;
	case URLPATH_DNS1123_LABEL:
		if (!is_label(name, len))
			/* A valid subdomain that is no label: the length was checked, so dots. */
			msg = is_subdomain(name) ? "must not contain dots" : LABEL_MSG;
		break;
	case URLPATH_DNS1035_LABEL:
		if (!is_label(name, len) || !(name[0] >= 'a' && name[0] <= 'z'))
			msg = DNS1035_MSG;
		break;
	}
	if (len <= max && !msg)
		return true;
	if (n > 0) {
		if (len > max)
			snprintf(why, n, "must be no more than %zu characters%s%s", max,
				 msg ? ", " : "", msg ? msg : "");
		else
			snprintf(why, n, "%s", msg);
	}
	return false;
}
