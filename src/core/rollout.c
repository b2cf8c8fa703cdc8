#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "podscope/duration.h"
#include "podscope/rollout.h"

static const char *str(const char *s)
{
	return s ? s : "";
}

/* kubectl's deploymentutil.Revision: strconv.ParseInt(v, 10, 64); absent is 0. */
static int parse_revision(const char *v, int64_t *out, char *err, size_t n)
{
	const char *p = v;
	bool neg = false;
	uint64_t x = 0, limit;

	*out = 0;
	if (!v || !*v)
		return 0;
	if (*p == '+' || *p == '-') {
		neg = *p == '-';
		p++;
	}
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	if (!*p)
		goto syntax;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto syntax;
		if (x > (limit - (uint64_t)(*p - '0')) / 10) {
			snprintf(err, n, "strconv.ParseInt: parsing \"%s\": value out of range", v);
			return -1;
		}
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*out = neg ? (x == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x) : (int64_t)x;
	return 0;
syntax:
	snprintf(err, n, "strconv.ParseInt: parsing \"%s\": invalid syntax", v);
	return -1;
}

#define WAITING "Waiting for deployment \"%s\" rollout to finish: "

static int result(struct rollout_result *r, enum rollout_state state)
{
	r->state = (uint8_t)state;
	return state;
}

int rollout_status(const struct deployment *d, int64_t revision, struct rollout_result *r)
{
	const char *name = str(d->name);
	size_t n = sizeof(r->msg);

	r->msg[0] = '\0';
	if (revision > 0) {
		int64_t cur;
		char perr[160];
		if (parse_revision(d->revision, &cur, perr, sizeof(perr)) < 0) {
			snprintf(r->msg, n, "cannot get the revision of deployment \"%s\": %s",
				 name, perr);
			return result(r, ROLLOUT_ERROR);
		}
		if (revision != cur) {
			snprintf(r->msg, n,
				 "desired revision (%lld) is different from the running "
				 "revision (%lld)",
				 (long long)revision, (long long)cur);
			return result(r, ROLLOUT_ERROR);
		}
	}
	if (d->generation > d->observed_generation) {
		snprintf(r->msg, n, "Waiting for deployment spec update to be observed...\n");
		return result(r, ROLLOUT_WAITING);
	}
	const struct deploy_condition *c = model_deploy_condition(d, "Progressing");
	if (c && strcmp(str(c->reason), "ProgressDeadlineExceeded") == 0) {
		snprintf(r->msg, n, "deployment \"%s\" exceeded its progress deadline", name);
		return result(r, ROLLOUT_ERROR);
	}
	if (d->has_spec_replicas && d->updated_replicas < d->spec_replicas) {
		snprintf(r->msg, n,
			 WAITING "%d out of %d new replicas have been updated...\n",
			 name, (int)d->updated_replicas, (int)d->spec_replicas);
		return result(r, ROLLOUT_WAITING);
	}
	if (d->replicas > d->updated_replicas) {
		snprintf(r->msg, n, WAITING "%d old replicas are pending termination...\n",
			 name, (int)(d->replicas - d->updated_replicas));
		return result(r, ROLLOUT_WAITING);
	}
	if (d->available_replicas < d->updated_replicas) {
		snprintf(r->msg, n, WAITING "%d of %d updated replicas are available...\n",
			 name, (int)d->available_replicas, (int)d->updated_replicas);
		return result(r, ROLLOUT_WAITING);
	}
	snprintf(r->msg, n, "deployment \"%s\" successfully rolled out\n", name);
	return result(r, ROLLOUT_DONE);
}

void rollout_deploy_row(const struct deployment *d, int64_t now_ms, struct rollout_deploy_row *row)
{
	/* A nil spec.replicas prints as 0, as the printer dereferences a defaulted field. */
	snprintf(row->ready, sizeof(row->ready), "%d/%d", (int)d->ready_replicas,
		 (int)(d->has_spec_replicas ? d->spec_replicas : 0));
	row->up_to_date = d->updated_replicas;
	row->available = d->available_replicas;
	duration_since(d->created, now_ms, row->age, sizeof(row->age));
}

void rollout_rs_row(const struct replicaset *rs, int64_t now_ms, struct rollout_rs_row *row)
{
	row->desired = rs->has_spec_replicas ? rs->spec_replicas : 0;
	row->current = rs->replicas;
	row->ready = rs->ready_replicas;
	duration_since(rs->created, now_ms, row->age, sizeof(row->age));
}

/* v within 0..INT32_MAX. */
static int32_t clamp_i32(int64_t v)
{
	return v < 0 ? 0 : v > INT32_MAX ? INT32_MAX : (int32_t)v;
}

void rollout_budget(const struct deployment *d, struct rollout_budget *b)
{
	int32_t want = d->has_spec_replicas ? d->spec_replicas : 0;

	b->max_surge = intstr_max_surge(&d->strategy, want);
	b->max_unavailable = intstr_max_unavailable(&d->strategy, want);
	/* In 64 bits: a hostile status (negative counts) must not overflow. */
	b->surge_used = clamp_i32((int64_t)d->replicas - want);
	b->unavailable_used = clamp_i32((int64_t)want - d->available_replicas);
}

bool rollout_deployment_complete(const struct deployment *d, const struct deployment *st)
{
	int32_t want = d->spec_replicas;
	return st->updated_replicas == want && st->replicas == want &&
	       st->available_replicas == want && st->observed_generation >= d->generation;
}

bool rollout_deployment_progressing(const struct deployment *d, const struct deployment *st)
{
	int64_t old_old = (int64_t)d->replicas - d->updated_replicas;
	int64_t new_old = (int64_t)st->replicas - st->updated_replicas;
	return st->updated_replicas > d->updated_replicas || new_old < old_old ||
	       st->ready_replicas > d->ready_replicas ||
	       st->available_replicas > d->available_replicas;
}

bool rollout_deployment_timed_out(const struct deployment *d, const struct deployment *st,
				  int64_t now_ms)
{
	if (d->progress_deadline_seconds < 0 || d->progress_deadline_seconds == INT32_MAX)
		return false;
	const struct deploy_condition *c = model_deploy_condition(st, "Progressing");
	if (!c)
		return false;
	if (strcmp(str(c->reason), "NewReplicaSetAvailable") == 0)
		return false;
	if (strcmp(str(c->reason), "ProgressDeadlineExceeded") == 0)
		return true;
	return c->last_update + (int64_t)d->progress_deadline_seconds * 1000 < now_ms;
}
