#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"

#include "ctrl_job_int.h"

/*
 * The Job controller's rules that need no cluster (v1.33): backoff_utils.go
 * (the exponential pod-failure back-off), pod_failure_policy.go,
 * success_policy.go and indexed_job_utils.go's interval sets.
 */

static const cJSON *get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}

const cJSON *simjob_condition(const cJSON *job, const char *type)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cj_path(job, "status", "conditions", NULL))
	{
		const char *t = cj_str(c, "type");
		if (t && strcmp(t, type) == 0)
			return c;
	}
	return NULL;
}

const cJSON *simjob_finished_condition(const cJSON *job)
{
	static const char *const types[] = {"Complete", "Failed"};
	for (int i = 0; i < 2; i++) {
		const cJSON *c = simjob_condition(job, types[i]);
		const char *s = cj_str(c, "status");
		if (s && strcmp(s, "True") == 0)
			return c;
	}
	return NULL;
}

bool simjob_has_finalizer(const cJSON *pod)
{
	const cJSON *f;
	cJSON_ArrayForEach(f, cj_path(pod, "metadata", "finalizers", NULL))
	{
		if (cJSON_IsString(f) && strcmp(f->valuestring, SIMJOB_FINALIZER) == 0)
			return true;
	}
	return false;
}

/* latestFinishTime over a list: 0 when one has not terminated. */
static int64_t latest_finish(int64_t prev, const cJSON *statuses, bool *all)
{
	int64_t t = prev;
	const cJSON *cs;
	cJSON_ArrayForEach(cs, statuses)
	{
		int64_t f = cj_time(cj_path(cs, "state", "terminated", NULL), "finishedAt");
		if (!f) {
			*all = false;
			return 0;
		}
		if (f > t)
			t = f;
	}
	return t;
}

int64_t simjob_finished_time(const cJSON *pod)
{
	bool all = true;
	int64_t t = latest_finish(0, cj_path(pod, "status", "containerStatuses", NULL), &all);
	if (all && t)
		return t;
	const cJSON *c;
	cJSON_ArrayForEach(c, cj_path(pod, "status", "conditions", NULL))
	{
		const char *type = cj_str(c, "type"), *s = cj_str(c, "status");
		if (type && s && strcmp(type, "Ready") == 0 && strcmp(s, "False") == 0 &&
		    cj_time(c, "lastTransitionTime"))
			return cj_time(c, "lastTransitionTime");
	}
	const cJSON *md = get(pod, "metadata");
	if (cj_time(md, "deletionTimestamp"))
		return cj_time(md, "deletionTimestamp") -
		       cj_int(md, "deletionGracePeriodSeconds", 0) * 1000;
	return cj_time(md, "creationTimestamp");
}

static int64_t latest_of(const cJSON *const *pods, size_t n)
{
	int64_t t = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t f = simjob_finished_time(pods[i]);
		if (f > t)
			t = f;
	}
	return t;
}

struct simjob_backoff simjob_backoff_next(struct simjob_backoff old, const cJSON *const *succeeded,
					  size_t nsucceeded, const cJSON *const *failed,
					  size_t nfailed)
{
	struct simjob_backoff b = old;
	if (nsucceeded == 0) {
		if (nfailed == 0)
			return b;
		b.failures += (int32_t)nfailed;
		b.last_failure = latest_of(failed, nfailed);
		return b;
	}
	b.failures = 0;
	b.last_failure = 0;
	/* The failures after the last success count, the latest one's time
	 * kept (the loop runs newest first in upstream). */
	int64_t last_success = latest_of(succeeded, nsucceeded);
	for (size_t i = 0; i < nfailed; i++) {
		int64_t f = simjob_finished_time(failed[i]);
		if (f <= last_success)
			continue;
		b.failures++;
		if (f > b.last_failure)
			b.last_failure = f;
	}
	return b;
}

int64_t simjob_backoff_remaining(int32_t failures, int64_t last_failure, int64_t now,
				 int64_t base_ms, int64_t max_ms)
{
	if (failures <= 0)
		return 0;
	int64_t d = base_ms;
	for (int32_t i = 1; i < failures; i++) {
		d *= 2;
		if (d >= max_ms) {
			d = max_ms;
			break;
		}
	}
	int64_t elapsed = now - last_failure;
	if (d < elapsed)
		return 0;
	return d - elapsed;
}

static const char *phase(const cJSON *pod)
{
	const char *p = cj_str(cj_path(pod, "status", NULL), "phase");
	return p ? p : "";
}

bool simjob_is_phase(const cJSON *pod, const char *p)
{
	return strcmp(phase(pod), p) == 0;
}

bool simjob_deleting(const cJSON *o)
{
	return cj_path(o, "metadata", "deletionTimestamp", NULL) != NULL;
}

const char *simjob_uid(const cJSON *o)
{
	const char *u = cj_str(cj_path(o, "metadata", NULL), "uid");
	return u ? u : "";
}

const char *simjob_name(const cJSON *o)
{
	const char *n = cj_str(cj_path(o, "metadata", NULL), "name");
	return n ? n : "";
}

bool simjob_pod_ready(const cJSON *pod)
{
	int64_t since;
	return cj_pod_ready(pod, &since);
}

int32_t simjob_failure_count(const cJSON *pod)
{
	const char *v =
	    cj_str(cj_path(pod, "metadata", "annotations", NULL), SIMJOB_FAILCOUNT_ANNOTATION);
	return v ? (int32_t)strtol(v, NULL, 10) : 0;
}

cJSON *simjob_controller_ref(const char *kind, const cJSON *owner)
{
	cJSON *ref = cJSON_CreateObject();
	cJSON_AddStringToObject(ref, "apiVersion", "batch/v1");
	cJSON_AddStringToObject(ref, "kind", kind);
	cJSON_AddStringToObject(ref, "name", simjob_name(owner));
	cJSON_AddStringToObject(ref, "uid", simjob_uid(owner));
	cJSON_AddTrueToObject(ref, "controller");
	cJSON_AddTrueToObject(ref, "blockOwnerDeletion");
	return ref;
}

/* --- pod failure policy ---------------------------------------------------- */

static bool code_in(const cJSON *values, int64_t code)
{
	const cJSON *v;
	cJSON_ArrayForEach(v, values)
	{
		/* Exit codes are int32: anything else matches none. */
		if (cJSON_IsNumber(v) && v->valuedouble >= -2147483648.0 &&
		    v->valuedouble <= 2147483647.0 && (int64_t)v->valuedouble == code)
			return true;
	}
	return false;
}

/* getMatchingContainerFromList: a terminated container with a non-zero
 * exit code that the requirement matches. */
static const cJSON *match_exit_codes(const cJSON *statuses, const cJSON *req)
{
	const char *only = cj_str(req, "containerName"), *op = cj_str(req, "operator");
	const cJSON *cs;
	cJSON_ArrayForEach(cs, statuses)
	{
		const cJSON *term = cj_path(cs, "state", "terminated", NULL);
		const char *name = cj_str(cs, "name");
		if (!term || (only && (!name || strcmp(only, name) != 0)))
			continue;
		int64_t code = cj_int(term, "exitCode", 0);
		if (code == 0 || !op)
			continue;
		bool in = code_in(get(req, "values"), code);
		if ((strcmp(op, "In") == 0 && in) || (strcmp(op, "NotIn") == 0 && !in))
			return cs;
	}
	return NULL;
}

static const cJSON *match_conditions(const cJSON *pod, const cJSON *patterns)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, cj_path(pod, "status", "conditions", NULL))
	{
		const char *type = cj_str(c, "type"), *status = cj_str(c, "status");
		const cJSON *p;
		cJSON_ArrayForEach(p, patterns)
		{
			const char *pt = cj_str(p, "type"), *ps = cj_str(p, "status");
			if (type && status && pt && strcmp(type, pt) == 0 &&
			    strcmp(status, ps ? ps : "True") == 0)
				return c;
		}
	}
	return NULL;
}

const char *simjob_match_pod_failure_policy(const cJSON *policy, const cJSON *pod, char **msg,
					    bool *count)
{
	static const char *const actions[] = {"FailJob", "FailIndex", "Ignore", "Count"};
	if (msg)
		*msg = NULL;
	*count = true;
	const cJSON *md = get(pod, "metadata");
	const char *ns = cj_str(md, "namespace"), *name = cj_str(md, "name");
	int index = 0;
	const cJSON *rule;
	cJSON_ArrayForEach(rule, get(policy, "rules"))
	{
		const char *action = cj_str(rule, "action");
		const cJSON *exit = get(rule, "onExitCodes"), *hit = NULL;
		const char *what = NULL;
		if (exit) {
			hit = match_exit_codes(cj_path(pod, "status", "containerStatuses", NULL),
					       exit);
			if (!hit)
				hit = match_exit_codes(
				    cj_path(pod, "status", "initContainerStatuses", NULL), exit);
			what = "exit";
		} else if (get(rule, "onPodConditions")) {
			hit = match_conditions(pod, get(rule, "onPodConditions"));
			what = "cond";
		}
		const char *known = NULL;
		for (int i = 0; i < 4 && action; i++)
			if (strcmp(action, actions[i]) == 0)
				known = actions[i];
		if (hit && known) {
			*count = strcmp(known, "Ignore") != 0;
			if (msg && strcmp(known, "FailJob") == 0) {
				if (what[0] == 'e')
					*msg = xasprintf(
					    "Container %s for pod %s/%s failed with exit "
					    "code %lld matching %s rule at index %d",
					    cj_str(hit, "name"), ns ? ns : "", name ? name : "",
					    (long long)cj_int(
						cj_path(hit, "state", "terminated", NULL),
						"exitCode", 0),
					    known, index);
				else
					*msg = xasprintf("Pod %s/%s has condition %s matching %s "
							 "rule at index %d",
							 ns ? ns : "", name ? name : "",
							 cj_str(hit, "type"), known, index);
			}
			return known;
		}
		index++;
	}
	return NULL;
}

/* --- index sets -------------------------------------------------------------- */

void simjob_ivals_free(struct simjob_ivals *s)
{
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}

static void push(struct simjob_ivals *s, int32_t first, int32_t last)
{
	if (s->n && s->v[s->n - 1].last + 1 >= first) {
		if (last > s->v[s->n - 1].last)
			s->v[s->n - 1].last = last;
		return;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof(*s->v));
	}
	s->v[s->n].first = first;
	s->v[s->n].last = last;
	s->n++;
}

void simjob_ivals_parse(struct simjob_ivals *s, const char *str, int32_t completions)
{
	s->n = 0;
	if (!str)
		return;
	const char *p = str;
	while (*p) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char part[64];
		if (len < sizeof(part)) {
			memcpy(part, p, len);
			part[len] = '\0';
			char *e1, *e2;
			long a = strtol(part, &e1, 10), b = a;
			bool ok = e1 != part && a >= 0;
			if (ok && *e1 == '-') {
				b = strtol(e1 + 1, &e2, 10);
				ok = e2 != e1 + 1 && *e2 == '\0' && b >= a;
			} else if (ok) {
				ok = *e1 == '\0';
			}
			/* Out-of-range indexes are dropped, and an interval is
			 * cut at completions - 1. */
			if (ok && a < completions) {
				if (b >= completions)
					b = completions - 1;
				if (!s->n || s->v[s->n - 1].last < a)
					push(s, (int32_t)a, (int32_t)b);
			}
		}
		if (!end)
			break;
		p = end + 1;
	}
}

void simjob_ivals_add(struct simjob_ivals *s, int32_t ix)
{
	if (simjob_ivals_has(s, ix))
		return;
	struct simjob_ivals out = {0};
	bool placed = false;
	for (size_t i = 0; i < s->n; i++) {
		if (!placed && ix < s->v[i].first) {
			push(&out, ix, ix);
			placed = true;
		}
		push(&out, s->v[i].first, s->v[i].last);
	}
	if (!placed)
		push(&out, ix, ix);
	free(s->v);
	*s = out;
}

bool simjob_ivals_has(const struct simjob_ivals *s, int32_t ix)
{
	for (size_t i = 0; i < s->n; i++)
		if (ix >= s->v[i].first && ix <= s->v[i].last)
			return true;
	return false;
}

int32_t simjob_ivals_total(const struct simjob_ivals *s)
{
	int32_t t = 0;
	for (size_t i = 0; i < s->n; i++)
		t += s->v[i].last - s->v[i].first + 1;
	return t;
}

char *simjob_ivals_string(const struct simjob_ivals *s)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "");
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			buf_adds(&b, ",");
		if (s->v[i].first == s->v[i].last)
			buf_printf(&b, "%d", s->v[i].first);
		else
			buf_printf(&b, "%d-%d", s->v[i].first, s->v[i].last);
	}
	return buf_steal(&b);
}

int32_t simjob_pod_index(const cJSON *pod)
{
	const char *v =
	    cj_str(cj_path(pod, "metadata", "annotations", NULL), SIMJOB_INDEX_ANNOTATION);
	if (!v || !*v)
		return -1;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < 0 || n > 0x7fffffff || (v[0] == '0' && v[1]))
		return -1;
	return (int32_t)n;
}

/* --- success policy -------------------------------------------------------- */

static bool match_indexes_rule(const struct simjob_ivals *rule, const struct simjob_ivals *ok,
			       const cJSON *count)
{
	int32_t contains = 0;
	size_t r = 0, s = 0;
	while (r < rule->n && s < ok->n) {
		int32_t lo = rule->v[r].first > ok->v[s].first ? rule->v[r].first : ok->v[s].first;
		int32_t hi = rule->v[r].last < ok->v[s].last ? rule->v[r].last : ok->v[s].last;
		if (hi - lo + 1 > 0)
			contains += hi - lo + 1;
		if (ok->v[s].last < rule->v[r].last)
			s++;
		else
			r++;
	}
	return contains == simjob_ivals_total(rule) ||
	       (cJSON_IsNumber(count) && contains >= (int32_t)count->valuedouble);
}

bool simjob_match_success_policy(const cJSON *policy, int32_t completions,
				 const struct simjob_ivals *succeeded, char **msg)
{
	*msg = NULL;
	if (!policy || succeeded->n == 0)
		return false;
	int index = 0;
	const cJSON *rule;
	cJSON_ArrayForEach(rule, get(policy, "rules"))
	{
		const char *want = cj_str(rule, "succeededIndexes");
		const cJSON *count = get(rule, "succeededCount");
		bool met = false;
		if (want) {
			struct simjob_ivals req = {0};
			simjob_ivals_parse(&req, want, completions);
			met = req.n && match_indexes_rule(&req, succeeded, count);
			simjob_ivals_free(&req);
		} else if (cJSON_IsNumber(count)) {
			met = simjob_ivals_total(succeeded) >= (int32_t)count->valuedouble;
		}
		if (met) {
			*msg = xasprintf("Matched rules at index %d", index);
			return true;
		}
		index++;
	}
	return false;
}
