#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "podscope/duration.h"
#include "podscope/model.h"
#include "podscope/pod_status.h"
#include "podscope/yamljson.h"

#include "clock.h"
#include "evloop.h"
#include "events.h"
#include "kubelet.h"
#include "objdefaults.h"
#include "resources.h"
#include "scenario.h"
#include "sched.h"
#include "simkubelet.h"
#include "simobj.h"
#include "store.h"

struct sim tk_sim;

static char tracked[128];
static char seen[4096];

static time_t now_s(void *ud)
{
	(void)ud;
	return (time_t)(simclock_now(&tk_sim.clock) / 1000);
}

static const struct simres *pods(void)
{
	return simres_find("", "v1", "pods");
}

static void on_pod(void *ud, const struct simevent *ev)
{
	(void)ud;
	if (!tracked[0] || strcmp(ev->obj->name, tracked) != 0)
		return;
	const char *s = ev->type == SIMEV_DELETED ? "<deleted>" : NULL;
	char buf[POD_STATUS_REASON_MAX];
	if (!s) {
		struct model_arena a = MODEL_ARENA_INIT;
		struct pod p;
		struct perr err = {0};
		ck_assert_int_eq(model_decode_pod(ev->obj->json, &p, &a, NULL, &err), 0);
		struct pod_row row;
		pod_status_row(&p, simclock_now(&tk_sim.clock), &row);
		snprintf(buf, sizeof(buf), "%s", row.status);
		model_arena_free(&a);
		s = buf;
	}
	const char *last = strrchr(seen, ',');
	last = last ? last + 1 : seen;
	if (strcmp(last, s) == 0)
		return;
	size_t n = strlen(seen);
	snprintf(seen + n, sizeof(seen) - n, "%s%s", n ? "," : "", s);
}

void tk_track(const char *name)
{
	snprintf(tracked, sizeof(tracked), "%s", name);
	seen[0] = '\0';
}

const char *tk_seen(void)
{
	return seen;
}

void tk_setup(void)
{
	memset(&tk_sim, 0, sizeof(tk_sim));
	tk_sim.cfg.nodes = 3;
	/* The clock hardly moves by itself: the tests step it, so that timings
	 * are exact even under valgrind. */
	tk_sim.cfg.speed = 1e-6;
	tk_sim.loop = evloop_new();
	simclock_init(&tk_sim.clock, 1e-6);
	tk_sim.events = simevents_new();
	struct simstore_opts so = {.event_window = 100000, .now = now_s, .now_ud = &tk_sim};
	tk_sim.store = simstore_new(&so);
	simscen_seed(tk_sim.store, 3);
	simstore_listen(tk_sim.store, pods(), on_pod, NULL);
	tracked[0] = seen[0] = '\0';
	ck_assert_int_eq(sched_start(&tk_sim), 0);
	ck_assert_int_eq(kubelet_start(&tk_sim), 0);
}

void tk_teardown(void)
{
	kubelet_stop(&tk_sim);
	sched_stop(&tk_sim);
	simstore_free(tk_sim.store);
	simevents_free(tk_sim.events);
	evloop_free(tk_sim.loop);
}

void tk_create(const char *yaml)
{
	struct perr err = {0};
	cJSON *o = yamljson_parse("test", yaml, strlen(yaml), &err);
	ck_assert_msg(o != NULL, "%s", perr_msg(&err));
	const char *kind = simjson_string(o, "kind");
	const struct simres *res = simres_by_kind(simjson_string(o, "apiVersion"), kind);
	ck_assert_ptr_nonnull(res);
	objdefaults_apply(kind, o);
	cJSON *md = simjson_object(o, "metadata");
	if (!simjson_string(md, "namespace"))
		simjson_set_string(md, "namespace", "default");
	ck_assert_int_eq(simstore_create(tk_sim.store, res, o, NULL), SIMSTORE_OK);
	evloop_run_once(tk_sim.loop, 0);
}

const cJSON *tk_pod(const char *name)
{
	struct simobj *o = simstore_get(tk_sim.store, pods(), "default", name);
	return o ? o->json : NULL;
}

int64_t tk_now(void)
{
	return simclock_now(&tk_sim.clock);
}

const char *tk_status(const char *name)
{
	static char buf[POD_STATUS_REASON_MAX];
	const cJSON *j = tk_pod(name);
	if (!j)
		return "";
	struct model_arena a = MODEL_ARENA_INIT;
	struct pod p;
	struct perr err = {0};
	ck_assert_int_eq(model_decode_pod(j, &p, &a, NULL, &err), 0);
	struct pod_row row;
	pod_status_row(&p, tk_now(), &row);
	snprintf(buf, sizeof(buf), "%s", row.status);
	model_arena_free(&a);
	return buf;
}

int64_t tk_step(int64_t limit)
{
	/* 0 ms timers first (the scheduler's and the kubelets' dirty queues). */
	for (int i = 0; i < 4; i++)
		evloop_run_once(tk_sim.loop, 0);
	int64_t now = tk_now();
	int64_t next = kubelet_next_wakeup(&tk_sim);
	if (next > limit)
		next = limit;
	if (next > now)
		simclock_advance(&tk_sim.clock, next - now);
	kubelet_poke(&tk_sim);
	for (int i = 0; i < 4; i++)
		evloop_run_once(tk_sim.loop, 0);
	return tk_now();
}

bool tk_wait(bool (*cond)(const char *name), const char *name, int secs)
{
	int64_t limit = tk_now() + (int64_t)secs * 1000;
	for (int guard = 0; guard < 200000; guard++) {
		if (cond(name))
			return true;
		if (tk_now() >= limit)
			return cond(name);
		tk_step(limit);
	}
	return cond(name);
}

int64_t tk_time(const cJSON *o, const char *path)
{
	const cJSON *v = tj_get(o, path);
	int64_t ms = 0;
	struct perr err = {0};
	if (!cJSON_IsString(v) || duration_parse_rfc3339(v->valuestring, &ms, &err) != 0) {
		perr_clear(&err);
		return -1;
	}
	return ms;
}

int tk_events(const char *pod, const char *reason, const char *msg_part)
{
	struct simsnap *s = simstore_snapshot(tk_sim.store, simres_find("", "v1", "events"));
	int n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const cJSON *e = s->items[i]->json;
		const char *r = simjson_string(e, "reason");
		const char *m = simjson_string(e, "message");
		const char *who = simjson_string(cJSON_GetObjectItem(e, "involvedObject"), "name");
		if (!r || !who || strcmp(r, reason) != 0 || strcmp(who, pod) != 0)
			continue;
		if (msg_part && (!m || !strstr(m, msg_part)))
			continue;
		const cJSON *cnt = cJSON_GetObjectItem(e, "count");
		n += cJSON_IsNumber(cnt) ? (int)cnt->valuedouble : 1;
	}
	simsnap_unref(s);
	return n;
}

bool tk_is_status(const char *want, const char *name)
{
	return strcmp(tk_status(name), want) == 0;
}

const char *tk_str(const cJSON *o, const char *path)
{
	const cJSON *v = tj_get(o, path);
	return cJSON_IsString(v) ? v->valuestring : "";
}

double tk_num(const cJSON *o, const char *path)
{
	const cJSON *v = tj_get(o, path);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

const char *tk_condition(const char *pod, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, tj_get(tk_pod(pod), "status.conditions"))
	{
		if (strcmp(tk_str(c, "type"), type) == 0)
			return tk_str(c, "status");
	}
	return "";
}

bool tk_gone(const char *name)
{
	return tk_pod(name) == NULL;
}
