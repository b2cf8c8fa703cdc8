#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/xalloc.h"

#include "kubelet_int.h"
#include "podlog.h"
#include "sim.h"
#include "simobj.h"

/* A pod worker made from the pod's spec and annotations. */

void kstr_set(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static const cJSON *item(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

static int num(const cJSON *o, const char *k, int dflt)
{
	const cJSON *v = item(o, k);
	return cJSON_IsNumber(v) ? (int)v->valuedouble : dflt;
}

static char **strings(const cJSON *arr, size_t *n)
{
	size_t cnt = (size_t)cJSON_GetArraySize(arr);
	char **v = xcalloc(cnt + 1, sizeof(*v));
	size_t i = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, arr)
	{
		if (cJSON_IsString(s))
			v[i++] = xstrdup(s->valuestring);
	}
	*n = i;
	return v;
}

static void free_strings(char **v)
{
	procsim_argv_free(v);
}

static void parse_action(const cJSON *h, struct kaction *a)
{
	const cJSON *x;
	memset(a, 0, sizeof(*a));
	if (!cJSON_IsObject(h))
		return;
	if ((x = item(h, "exec"))) {
		a->kind = KA_EXEC;
		a->argv = strings(item(x, "command"), &a->argc);
	} else if ((x = item(h, "httpGet")) || (x = item(h, "tcpSocket")) ||
		   (x = item(h, "grpc"))) {
		a->kind = item(h, "httpGet") ? KA_HTTP : item(h, "tcpSocket") ? KA_TCP : KA_GRPC;
		const cJSON *port = item(x, "port");
		if (cJSON_IsNumber(port))
			a->port = (int)port->valuedouble;
		else if (cJSON_IsString(port))
			a->port_name = xstrdup(port->valuestring);
		const char *p = simjson_string(x, "path");
		a->path = xstrdup(p && *p ? p : "/");
	} else if ((x = item(h, "sleep"))) {
		a->kind = KA_SLEEP;
		a->port = num(x, "seconds", 0);
	}
}

static void free_action(struct kaction *a)
{
	free_strings(a->argv);
	free(a->path);
	free(a->port_name);
	memset(a, 0, sizeof(*a));
}

static void parse_probe(const cJSON *p, struct kprobe *pr)
{
	memset(pr, 0, sizeof(*pr));
	pr->next_ms = KNEVER;
	if (!cJSON_IsObject(p))
		return;
	pr->present = true;
	parse_action(p, &pr->act);
	pr->initial_delay_s = num(p, "initialDelaySeconds", 0);
	pr->period_s = num(p, "periodSeconds", 10);
	pr->timeout_s = num(p, "timeoutSeconds", 1);
	pr->success_thr = num(p, "successThreshold", 1);
	pr->failure_thr = num(p, "failureThreshold", 3);
	pr->grace_s = num(p, "terminationGracePeriodSeconds", -1);
	if (pr->period_s < 1)
		pr->period_s = 10;
	if (pr->success_thr < 1)
		pr->success_thr = 1;
	if (pr->failure_thr < 1)
		pr->failure_thr = 3;
}

/* "10s", "1m30s" or plain seconds "10". -1 when absent or unreadable. */
static int64_t ann_duration(const char *v)
{
	if (!v || !*v)
		return -1;
	char *end;
	double d = strtod(v, &end);
	if (end != v && *end == '\0')
		return d < 0 ? -1 : (int64_t)(d * 1000);
	int64_t ns;
	struct perr err = {0};
	if (duration_parse(v, &ns, &err) != 0 || ns < 0) {
		perr_clear(&err);
		return -1;
	}
	return ns / DURATION_NS_PER_MS;
}

/* sim.podscope.dev/KEY.CONTAINER, else sim.podscope.dev/KEY. */
static const char *ann(const cJSON *anns, const char *key, const char *ctr)
{
	char k[256];
	snprintf(k, sizeof(k), "sim.podscope.dev/%s.%s", key, ctr);
	const char *v = simjson_string(anns, k);
	if (v)
		return v;
	snprintf(k, sizeof(k), "sim.podscope.dev/%s", key);
	return simjson_string(anns, k);
}

static void parse_behaviour(const cJSON *anns, const char *ctr, struct kbehave *b)
{
	b->ready_after = ann_duration(ann(anns, "ready-after", ctr));
	b->crash_after = ann_duration(ann(anns, "crash-after", ctr));
	b->fail_ready_after = ann_duration(ann(anns, "fail-readiness-after", ctr));
	b->fail_live_after = ann_duration(ann(anns, "fail-liveness-after", ctr));
	b->startup_ms = ann_duration(ann(anns, "startup-duration", ctr));
	b->pull_ms = ann_duration(ann(anns, "pull-duration", ctr));
	b->stop_ms = ann_duration(ann(anns, "stop-duration", ctr));
	b->start_ms = ann_duration(ann(anns, "start-duration", ctr));
	const char *v = ann(anns, "exit-code", ctr);
	b->exit_code = v ? atoi(v) & 0xff : -1;
	v = ann(anns, "post-start-fail", ctr);
	b->post_start_fail = v && strcmp(v, "true") == 0;
	v = ann(anns, "termination-message", ctr);
	b->term_message = v ? xstrdup(v) : NULL;
}

/* A memory quantity ("128Mi", "1G", "500000", "1.5Gi") in bytes; 0 when
 * absent or unreadable (no limit: the API server validated it already). */
static int64_t mem_quantity(const cJSON *v)
{
	if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
		return 0;
	if (cJSON_IsNumber(v))
		return v->valuedouble > 0 ? (int64_t)v->valuedouble : 0;
	static const struct {
		const char *suffix;
		double factor;
	} units[] = {{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0},
		     {"Ti", 1099511627776.0}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12},
		     {"", 1.0}};
	char *end;
	double n = strtod(v->valuestring, &end);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(end, units[i].suffix) == 0)
			return n > 0 ? (int64_t)(n * units[i].factor) : 0;
	return 0;
}

static void parse_container(const cJSON *c, const cJSON *anns, bool init, struct kctr *k)
{
	memset(k, 0, sizeof(*k));
	k->name = xstrdup(simjson_string(c, "name") ? simjson_string(c, "name") : "");
	k->image = xstrdup(simjson_string(c, "image") ? simjson_string(c, "image") : "");
	const char *pp = simjson_string(c, "imagePullPolicy");
	if (!pp) {
		const char *tag = strrchr(k->image, ':');
		pp = (!tag || strchr(tag, '/') || strcmp(tag, ":latest") == 0) &&
			     !strchr(k->image, '@')
			 ? "Always"
			 : "IfNotPresent";
	}
	k->pull_policy = xstrdup(pp);
	k->init = init;
	const char *rp = simjson_string(c, "restartPolicy");
	k->sidecar = init && rp && strcmp(rp, "Always") == 0;
	k->img = procimage_find(k->image);
	size_t ncmd, nargs;
	char **cmd = strings(item(c, "command"), &ncmd);
	char **args = strings(item(c, "args"), &nargs);
	k->argv = procsim_argv((const char *const *)cmd, ncmd, (const char *const *)args, nargs,
			       k->img, &k->argc);
	free_strings(cmd);
	free_strings(args);
	const cJSON *lc = item(c, "lifecycle");
	parse_action(item(lc, "postStart"), &k->post_start);
	parse_action(item(lc, "preStop"), &k->pre_stop);
	parse_probe(item(c, "startupProbe"), &k->probes[KP_STARTUP]);
	parse_probe(item(c, "readinessProbe"), &k->probes[KP_READINESS]);
	parse_probe(item(c, "livenessProbe"), &k->probes[KP_LIVENESS]);
	const cJSON *ports = item(c, "ports"), *p;
	k->ports = xcalloc((size_t)cJSON_GetArraySize(ports) + 1, sizeof(*k->ports));
	cJSON_ArrayForEach(p, ports)
	{
		k->ports[k->nports].name =
		    xstrdup(simjson_string(p, "name") ? simjson_string(p, "name") : "");
		k->ports[k->nports].port = num(p, "containerPort", 0);
		k->nports++;
	}
	parse_behaviour(anns, k->name, &k->be);
	k->mem_limit = mem_quantity(item(item(item(c, "resources"), "limits"), "memory"));
	k->next_at = KNEVER;
	k->ready_at = KNEVER;
}

struct kpod *kpod_new(struct simkubelet *k, const cJSON *pod)
{
	const cJSON *meta = item(pod, "metadata"), *spec = item(pod, "spec");
	const cJSON *anns = item(meta, "annotations");
	struct kpod *kp = xcalloc(1, sizeof(*kp));
	kp->k = k;
	kp->ns =
	    xstrdup(simjson_string(meta, "namespace") ? simjson_string(meta, "namespace") : "");
	kp->name = xstrdup(simjson_string(meta, "name") ? simjson_string(meta, "name") : "");
	kp->uid = xstrdup(simjson_string(meta, "uid") ? simjson_string(meta, "uid") : "");
	kp->key = xasprintf("%s/%s", kp->ns, kp->name);
	kp->node =
	    xstrdup(simjson_string(spec, "nodeName") ? simjson_string(spec, "nodeName") : "");
	const char *rp = simjson_string(spec, "restartPolicy");
	kp->restart_policy = !rp || strcmp(rp, "Always") == 0 ? KRESTART_ALWAYS
			     : strcmp(rp, "OnFailure") == 0   ? KRESTART_ON_FAILURE
							      : KRESTART_NEVER;
	kp->grace_s = num(spec, "terminationGracePeriodSeconds", 30);
	const cJSON *inits = item(spec, "initContainers"), *ctrs = item(spec, "containers"), *c;
	kp->ninit = (size_t)cJSON_GetArraySize(inits);
	kp->n = kp->ninit + (size_t)cJSON_GetArraySize(ctrs);
	kp->c = xcalloc(kp->n + 1, sizeof(*kp->c));
	size_t i = 0;
	cJSON_ArrayForEach(c, inits) parse_container(c, anns, true, &kp->c[i++]);
	cJSON_ArrayForEach(c, ctrs) parse_container(c, anns, false, &kp->c[i++]);
	kp->n = i;
	const cJSON *g;
	kp->gates = xcalloc((size_t)cJSON_GetArraySize(item(spec, "readinessGates")) + 1,
			    sizeof(*kp->gates));
	cJSON_ArrayForEach(g, item(spec, "readinessGates"))
	{
		const char *t = simjson_string(g, "conditionType");
		if (t)
			kp->gates[kp->ngates++] = xstrdup(t);
	}
	kp->timer_at = KNEVER;
	return kp;
}

void kterm_clear(struct kterm *t)
{
	free(t->reason);
	free(t->message);
	free(t->cid);
	memset(t, 0, sizeof(*t));
}

void kterm_move(struct kterm *dst, struct kterm *src)
{
	kterm_clear(dst);
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

void kpod_free(struct kpod *kp)
{
	if (!kp)
		return;
	for (size_t i = 0; i < kp->n; i++) {
		struct kctr *c = &kp->c[i];
		free(c->name);
		free(c->image);
		free(c->pull_policy);
		procsim_argv_free(c->argv);
		free_action(&c->post_start);
		free_action(&c->pre_stop);
		for (int j = 0; j < KP_N; j++)
			free_action(&c->probes[j].act);
		for (size_t j = 0; j < c->nports; j++)
			free(c->ports[j].name);
		free(c->ports);
		free(c->be.term_message);
		free(c->cid);
		procsim_free(c->proc);
		kctr_log_free(c);
		procfs_free(c->fs);
		kterm_clear(&c->term);
		kterm_clear(&c->last);
		free(c->wait_reason);
		free(c->wait_msg);
		free(c->hook_msg);
	}
	free(kp->c);
	for (size_t i = 0; i < kp->ngates; i++)
		free(kp->gates[i]);
	free(kp->gates);
	free(kp->ns);
	free(kp->name);
	free(kp->uid);
	free(kp->key);
	free(kp->node);
	free(kp->pod_ip);
	free(kp->host_ip);
	free(kp->phase);
	free(kp);
}

/* --- adoption: a pod that arrived with its status already written --------- */

static int64_t ts(const cJSON *o, const char *k)
{
	int64_t ms = 0;
	struct perr err = {0};
	const char *s = simjson_string(o, k);
	if (s && duration_parse_rfc3339(s, &ms, &err) != 0) {
		perr_clear(&err);
		ms = 0;
	}
	return ms;
}

static void adopt_term(struct kterm *t, const cJSON *term)
{
	kterm_clear(t);
	if (!cJSON_IsObject(term))
		return;
	t->set = true;
	t->exit_code = num(term, "exitCode", 0);
	kstr_set(&t->reason, simjson_string(term, "reason"));
	kstr_set(&t->message, simjson_string(term, "message"));
	kstr_set(&t->cid, simjson_string(term, "containerID"));
	t->started = ts(term, "startedAt");
	t->finished = ts(term, "finishedAt");
}

static void adopt_ctr(struct kpod *kp, struct kctr *c, const cJSON *cs, int64_t now)
{
	const cJSON *state = item(cs, "state");
	c->instances = num(cs, "restartCount", 0);
	adopt_term(&c->last, item(item(cs, "lastState"), "terminated"));
	kstr_set(&c->cid, simjson_string(cs, "containerID"));
	const cJSON *run = item(state, "running"), *term = item(state, "terminated");
	if (cJSON_IsObject(run)) {
		c->instances++;
		c->phase = CP_RUNNING;
		c->pulled = true;
		c->started_at = c->running_since = ts(run, "startedAt");
		if (!c->started_at)
			c->started_at = c->running_since = now;
		c->fs = procfs_new();
		for (size_t i = 0; c->img->files[i]; i++)
			procfs_add(c->fs, c->img->files[i]);
		c->fs_gen = procfs_generation(c->fs);
		c->proc =
		    procsim_start((const char *const *)c->argv, c->argc, c->img, c->started_at);
		procsim_set_mem_limit(c->proc, c->mem_limit);
		kctr_log_rotate(c);
		procsim_run(c->proc, now, c->fs, kworld(kp));
		c->started = c->reported = true;
		kprobe_reset(kp, c, c->running_since);
		bool ready = cJSON_IsTrue(item(cs, "ready"));
		c->ready = ready;
		if (ready && c->probes[KP_READINESS].present) {
			c->probes[KP_READINESS].result = KR_SUCCESS;
			c->probes[KP_READINESS].last = KR_SUCCESS;
			c->probes[KP_READINESS].run = 1;
		}
		if (c->probes[KP_STARTUP].present) {
			c->probes[KP_STARTUP].result = KR_SUCCESS;
			c->probes[KP_STARTUP].next_ms = KNEVER;
		}
		/* Probes go on at their period from now, in phase with the start. */
		for (int j = 0; j < KP_N; j++) {
			struct kprobe *p = &c->probes[j];
			if (p->present && p->next_ms != KNEVER && p->next_ms < now) {
				int64_t per = (int64_t)p->period_s * 1000;
				p->next_ms += ((now - p->next_ms + per - 1) / per) * per;
			}
		}
		if (c->be.crash_after >= 0)
			c->next_at = c->running_since + c->be.crash_after;
	} else if (cJSON_IsObject(term)) {
		c->instances++;
		c->phase = CP_EXITED;
		c->pulled = true;
		adopt_term(&c->term, term);
		c->started_at = c->term.started;
	} else if (c->last.set) {
		/* waiting to restart (CrashLoopBackOff): the exited instance is lastState */
		c->instances++;
		c->phase = CP_EXITED;
		c->pulled = true;
		kterm_move(&c->term, &c->last);
		c->started_at = c->term.started;
	}
}

void kpod_adopt(struct kpod *kp, const cJSON *pod, int64_t now)
{
	const cJSON *st = item(pod, "status");
	if (!cJSON_IsObject(st))
		return;
	const char *ip = simjson_string(st, "podIP");
	if (ip) {
		kstr_set(&kp->pod_ip, ip);
		kp->sandbox = true;
		kp->sandbox_at = ts(st, "startTime");
	}
	kstr_set(&kp->host_ip, simjson_string(st, "hostIP"));
	kp->start_time = ts(st, "startTime");
	kstr_set(&kp->phase, simjson_string(st, "phase"));
	if (kp->phase && (strcmp(kp->phase, "Succeeded") == 0 || strcmp(kp->phase, "Failed") == 0))
		kp->terminal = true;
	const char *lists[2] = {"initContainerStatuses", "containerStatuses"};
	for (int l = 0; l < 2; l++) {
		const cJSON *cs;
		cJSON_ArrayForEach(cs, item(st, lists[l]))
		{
			const char *name = simjson_string(cs, "name");
			for (size_t i = 0; name && i < kp->n; i++)
				if (strcmp(kp->c[i].name, name) == 0 && kp->c[i].init == (l == 0))
					adopt_ctr(kp, &kp->c[i], cs, now);
		}
	}
	bool all_init = true;
	for (size_t i = 0; i < kp->ninit; i++) {
		const struct kctr *c = &kp->c[i];
		if (!c->sidecar && !(c->phase == CP_EXITED && c->term.exit_code == 0))
			all_init = false;
	}
	for (size_t i = kp->ninit; i < kp->n; i++)
		if (kp->c[i].phase != CP_NONE)
			all_init = true; /* a regular container ran: initialised */
	kp->init_done = all_init;
	/* Conditions keep the times they were written with. */
	static const char *const types[4] = {"PodReadyToStartContainers", "Initialized", "Ready",
					     "ContainersReady"};
	const cJSON *cond;
	cJSON_ArrayForEach(cond, item(st, "conditions"))
	{
		const char *t = simjson_string(cond, "type");
		const char *s = simjson_string(cond, "status");
		for (int i = 0; t && s && i < 4; i++) {
			if (strcmp(t, types[i]) == 0) {
				kp->cond_status[i] = strcmp(s, "True") == 0 ? 1 : 2;
				kp->cond_at[i] = ts(cond, "lastTransitionTime");
			}
		}
	}
}

void kpod_spec_update(struct kpod *kp, const cJSON *pod, int64_t now)
{
	const cJSON *spec = item(pod, "spec");
	const char *lists[2] = {"initContainers", "containers"};
	for (int l = 0; l < 2; l++) {
		const cJSON *c;
		cJSON_ArrayForEach(c, item(spec, lists[l]))
		{
			const char *name = simjson_string(c, "name"),
				   *image = simjson_string(c, "image");
			for (size_t i = 0; name && image && i < kp->n; i++) {
				struct kctr *k = &kp->c[i];
				if (k->init != (l == 0) || strcmp(k->name, name) != 0 ||
				    strcmp(k->image, image) == 0)
					continue;
				kstr_set(&k->image, image);
				kstr_set(&k->pull_policy, simjson_string(c, "imagePullPolicy")
							      ? simjson_string(c, "imagePullPolicy")
							      : "IfNotPresent");
				k->img = procimage_find(image);
				k->changed = true;
				memset(&k->backoff, 0, sizeof(k->backoff));
				memset(&k->pull_backoff, 0, sizeof(k->pull_backoff));
				char msg[512];
				snprintf(msg, sizeof(msg),
					 "Container %s definition changed, will be restarted",
					 k->name);
				if (k->phase == CP_RUNNING || k->phase == CP_POSTSTART)
					kctr_kill(kp, k, now, kp->grace_s, msg);
				else if (k->phase != CP_STOPPING)
					k->next_at = KNEVER;
				if (k->phase != CP_RUNNING && k->phase != CP_POSTSTART &&
				    k->phase != CP_STOPPING) {
					/* not started yet (or waiting): start over with the new
					 * image */
					k->phase = k->term.set ? CP_EXITED : CP_NONE;
					kstr_set(&k->wait_reason, NULL);
					kstr_set(&k->wait_msg, NULL);
				}
			}
		}
	}
}
