#include "config.h"

#include <inttypes.h>

#include "podscope/buf.h"
#include "podscope/podlog.h"
#include "podscope/urlpath.h"

void podlog_path(struct buf *b, const char *ns, const char *pod, const struct podlog_opts *o)
{
	buf_adds(b, "/api/v1/namespaces/");
	urlpath_escape(b, ns);
	buf_adds(b, "/pods/");
	urlpath_escape(b, pod);
	buf_adds(b, "/log?timestamps=true");
	if (o->container && *o->container) {
		buf_adds(b, "&container=");
		urlpath_escape(b, o->container);
	}
	if (o->previous)
		buf_adds(b, "&previous=true");
	if (o->follow)
		buf_adds(b, "&follow=true");
	if (o->tail >= 0)
		buf_printf(b, "&tailLines=%" PRId64, o->tail);
	if (o->since_time && *o->since_time) {
		buf_adds(b, "&sinceTime=");
		urlpath_escape(b, o->since_time);
	} else if (o->since_s > 0) {
		buf_printf(b, "&sinceSeconds=%" PRId64, o->since_s);
	}
	if (o->limit_bytes > 0)
		buf_printf(b, "&limitBytes=%" PRId64, o->limit_bytes);
}

struct kreq *podlog_start(struct kclient *c, const char *ns, const char *pod,
			  const struct podlog_opts *o, kreq_data_fn data, kreq_done_fn done,
			  void *ud, struct perr *err)
{
	struct buf path = BUF_INIT;
	podlog_path(&path, ns, pod, o);
	struct kreq_spec spec = {.path = path.data, .stream = true};
	struct kreq *r = kclient_start(c, &spec, data, done, ud, err);
	buf_free(&path);
	return r;
}
