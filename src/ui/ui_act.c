#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curses.h>

#include "podscope/actions_kube.h"
#include "podscope/loop.h"
#include "podscope/store.h"
#include "podscope/urlpath.h"
#include "podscope/xalloc.h"
#include "badge.h"
#include "ui_cluster.h"
#include "ui_int.h"
#include "ui_loop.h"

/*
 * The actions that change the cluster: input through the 'a' prompt where
 * an action needs some, a plan (kact_plan_start: its reads run on the loop
 * while the screen and the keys go on; Esc cancels it), one confirmation
 * dialog showing the plan, then kact_apply_start(); the answer goes to the
 * status line. Nothing is sent before the dialog's Enter or y. No handler
 * here waits for the cluster.
 */

#define RESULT_MS 15000
/* How long the "reading the cluster" note may stay: until the plan ends. */
#define PENDING_MS 3600000

static void clear_choices(struct ui *ui)
{
	kact_strv_free(ui->act.choices, ui->act.n_choices);
	ui->act.choices = NULL;
	ui->act.n_choices = 0;
}

static void add_choice(struct ui *ui, char *s)
{
	ui->act.choices = xrealloc(ui->act.choices, (ui->act.n_choices + 1) * sizeof(char *));
	ui->act.choices[ui->act.n_choices++] = s;
}

void ui_act_reset(struct ui *ui)
{
	if (ui->act.pending) {
		kact_plan_cancel(ui->act.pending);
		ui->act.pending = NULL;
	}
	if (ui->act.req) {
		kact_cancel(ui->act.req);
		ui->act.req = NULL;
	}
	if (ui->act.applying) {
		kact_plan_free(ui->act.applying);
		free(ui->act.applying);
		ui->act.applying = NULL;
	}
	if (ui->act.plan) {
		kact_plan_free(ui->act.plan);
		free(ui->act.plan);
		ui->act.plan = NULL;
	}
	clear_choices(ui);
	if (ui->prompt == 'a')
		ui->prompt = 0;
	ui->act.id = ACT_NONE;
	ui->act.target = KACT_TARGET_DEPLOY;
}

static void result(struct ui *ui, enum theme_role role, const char *fmt, const char *a,
		   const char *b)
{
	ui_message(ui, role, fmt, a, b);
	ui->status_until = ploop_now_ms() + RESULT_MS;
}

/* The key that cancels a pending plan, for the status line. */
static const char *cancel_key(struct ui *ui, char *buf, size_t n)
{
	keymap_hint_key(&ui->cfg.keys, ACT_CANCEL, buf, n);
	return buf;
}

/* Whether a new action may begin now. */
static bool may_start(struct ui *ui, const char *name)
{
	if (ui->readonly) {
		ui_message(ui, ROLE_WARNING, "read-only: %s would change the cluster", name);
		return false;
	}
	if (ui->act.pending) {
		char key[40];
		ui_message(ui, ROLE_WARNING, "%s: still reading the cluster for %s (%s cancels)",
			   name, actions_table[ui->act.id].name, cancel_key(ui, key, sizeof(key)));
		return false;
	}
	if (ui->act.req || ui->act.plan) {
		ui_message(ui, ROLE_WARNING, "%s: waiting for the answer to the last action", name);
		return false;
	}
	ui->act.cluster = ui->cur; /* many contexts: only this cluster's client */
	return true;
}

static void open_input(struct ui *ui, enum action_id a, const char *ns, const char *obj,
		       const char *init)
{
	ui->act.id = a;
	snprintf(ui->act.ns, sizeof(ui->act.ns), "%s", ns);
	snprintf(ui->act.obj, sizeof(ui->act.obj), "%s", obj);
	ui->prompt = 'a';
	ui->prompt_note[0] = '\0';
	ui->prompt_len = 0;
	ui->prompt_buf[0] = L'\0';
	if (init && *init) {
		size_t n =
		    mbstowcs(ui->prompt_buf, init, sizeof(ui->prompt_buf) / sizeof(wchar_t) - 1);
		ui->prompt_len = n == (size_t)-1 ? 0 : n;
		ui->prompt_buf[ui->prompt_len] = L'\0';
	}
	ui_request(ui, UI_DRAW);
}

/* The plan's reads ended: the dialog opens (rc 0), or the reason is shown. */
static void on_planned(void *ud, int rc, struct kact_plan *p, const struct perr *err)
{
	struct ui *ui = ud;
	ui->act.pending = NULL;
	clear_choices(ui);
	ui->act.id = ACT_NONE;
	if (rc != 0) {
		result(ui, ROLE_ERROR, "%s%s", perr_msg(err), "");
	} else {
		ui->act.plan = p;
		ui->status_until = 0;
	}
	ui_request(ui, UI_DRAW);
}

/* Start planning a on the loop; the status line says so until on_planned. */
static void plan(struct ui *ui, const struct kact_args *a, enum action_id id)
{
	struct perr err = {0};
	clear_choices(ui);
	ui->act.id = id;
	ui->act.pending = kact_plan_start(ui->client, a, on_planned, ui, &err);
	if (!ui->act.pending) {
		ui->act.id = ACT_NONE;
		result(ui, ROLE_ERROR, "%s%s", perr_msg(&err), "");
		perr_clear(&err);
		return;
	}
	char key[40];
	ui_message(ui, ROLE_INFO, "%s %s: reading the cluster (%s cancels)", actions_table[id].name,
		   a->object, cancel_key(ui, key, sizeof(key)));
	/* The note stays until the plan ends (on_planned replaces it). */
	ui->status_until = ploop_now_ms() + PENDING_MS;
}

/* The container of deployment d whose image is image, from one of its pods. */
static const char *container_of(struct ui *ui, const struct deployment *d, const char *image)
{
	const struct replicaset *rs[64];
	size_t n = uigens_collect(ui->store, d, rs, 64);
	for (size_t i = n; i-- > 0;) {
		struct store_iter it;
		store_iter_children(&it, ui->store, STORE_PODS, rs[i]->uid);
		const struct pod *p;
		while ((p = store_iter_next(&it)))
			for (int c = 0; c < p->n_specs; c++)
				if (p->specs[c].name && p->specs[c].image &&
				    strcmp(p->specs[c].image, image) == 0)
					return p->specs[c].name;
	}
	return NULL;
}

static unsigned start_set_image(struct ui *ui, const struct deployment *d)
{
	if (d->n_images == 0) {
		ui_message(ui, ROLE_ERROR, "deploy/%s has no containers", d->name);
		return UI_DRAW;
	}
	/* The default container is the first one (the only one, mostly). */
	const char *image = d->images[0];
	const char *name = container_of(ui, d, image);
	char init[200];
	snprintf(init, sizeof(init), "%s=", name ? name : "");
	char **tags = NULL;
	size_t nt = kact_image_tags(ui->store, d->namespace, image, &tags);
	clear_choices(ui);
	for (size_t i = 0; i < nt; i++)
		add_choice(ui, xasprintf("%s%s", init, tags[i]));
	kact_strv_free(tags, nt);
	open_input(ui, ACT_SET_IMAGE, d->namespace, d->name, init);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label),
		 "set image of deploy/%.60s (now %.60s%s) CONTAINER=IMAGE: ", d->name, image,
		 d->n_images > 1 ? ", more containers" : "");
	if (nt)
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  (Tab: images run before)");
	return UI_DRAW;
}

/* The history came: the 'a' prompt opens with the revisions as choices. */
static void on_history(void *ud, int rc, struct kact_revision *revs, size_t n,
		       const struct perr *err)
{
	struct ui *ui = ud;
	ui->act.pending = NULL;
	ui->act.id = ACT_NONE;
	ui->status_until = 0;
	if (rc != 0) {
		result(ui, ROLE_ERROR, "%s%s", perr_msg(err), "");
		return;
	}
	clear_choices(ui);
	for (size_t i = 0; i < n; i++) {
		const struct kact_revision *r = &revs[i];
		char images[160] = "";
		for (size_t k = 0; k < r->n_images && strlen(images) < 100; k++)
			snprintf(images + strlen(images), sizeof(images) - strlen(images), "%s%s",
				 k ? "," : "", r->images[k]);
		add_choice(ui, xasprintf("%ld  %s  %s%s", r->revision, images,
					 r->change_cause[0] ? r->change_cause : "<none>",
					 r->current ? "  (current)" : ""));
		/* What an undo to this revision would change in the template. */
		for (size_t k = 0; k < r->n_diff; k++)
			add_choice(ui, xasprintf("      %s", r->diff[k]));
	}
	kact_history_free(revs, n);
	char ns[254], deploy[254];
	snprintf(ns, sizeof(ns), "%s", ui->act.ns);
	snprintf(deploy, sizeof(deploy), "%s", ui->act.obj);
	open_input(ui, ACT_UNDO, ns, deploy, NULL);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label),
		 "undo %s/%.60s to revision (Enter: the previous one): ",
		 kact_target_short(ui->act.target), deploy);
}

static unsigned start_undo(struct ui *ui, const char *ns, const char *deploy)
{
	struct perr err = {0};
	clear_choices(ui);
	ui->act.pending =
	    kact_history_target_start(ui->client, ui->act.target, ns, deploy, on_history, ui, &err);
	if (!ui->act.pending) {
		result(ui, ROLE_ERROR, "%s%s", perr_msg(&err), "");
		perr_clear(&err);
		return UI_DRAW;
	}
	ui->act.id = ACT_UNDO;
	snprintf(ui->act.ns, sizeof(ui->act.ns), "%s", ns);
	snprintf(ui->act.obj, sizeof(ui->act.obj), "%s", deploy);
	char key[40];
	ui_message(ui, ROLE_INFO, "undo %s/%s: reading its history (%s cancels)",
		   kact_target_short(ui->act.target), deploy, cancel_key(ui, key, sizeof(key)));
	ui->status_until = ploop_now_ms() + PENDING_MS;
	return UI_DRAW;
}

static unsigned start_switch(struct ui *ui, const char *ns, const char *deploy)
{
	clear_choices(ui);
	struct store_iter it;
	store_iter_all(&it, ui->store, STORE_SERVICES, ns);
	const struct service *s;
	while ((s = store_iter_next(&it)))
		if (s->n_selector > 0)
			add_choice(ui, xstrdup(s->name));
	if (ui->act.n_choices == 0) {
		ui_message(ui, ROLE_WARNING, "no Service with a selector in namespace %s", ns);
		return UI_DRAW;
	}
	open_input(ui, ACT_SWITCH_SERVICE, ns, deploy,
		   ui->act.n_choices == 1 ? ui->act.choices[0] : NULL);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label),
		 "switch which Service to the pods of deploy/%.60s: ", deploy);
	snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  (Tab completes)");
	return UI_DRAW;
}

/* The actions planned at once, without input: their kind (and input) in args. */
static bool no_input(enum action_id a, struct kact_args *args)
{
	switch (a) {
	case ACT_RESTART:
		args->kind = KACT_RESTART;
		args->now = time(NULL);
		return true;
	case ACT_PAUSE:
		args->kind = KACT_PAUSE;
		return true;
	case ACT_RESUME:
		args->kind = KACT_RESUME;
		return true;
	case ACT_SCALE_UP:
	case ACT_SCALE_DOWN:
		args->kind = KACT_SCALE;
		args->input = a == ACT_SCALE_UP ? "+1" : "-1";
		return true;
	case ACT_PARTITION_DOWN:
		args->kind = KACT_PARTITION;
		args->input = "-1";
		return true;
	default:
		return false;
	}
}

unsigned ui_act_deploy(struct ui *ui, enum action_id a, const char *ns, const char *deploy)
{
	if (a == ACT_DELETE_POD) {
		ui_message(ui, ROLE_INFO, "delete-pod: select a pod first");
		return UI_DRAW;
	}
	if (!may_start(ui, actions_table[a].name))
		return UI_DRAW;
	ui->act.target = KACT_TARGET_DEPLOY;
	const struct deployment *d = store_get_deployment(ui->store, ns, deploy);
	if (!d) {
		ui_message(ui, ROLE_WARNING, "deploy/%s is gone", deploy);
		return UI_DRAW;
	}
	struct kact_args args = {.ns = ns, .object = deploy};
	if (no_input(a, &args)) {
		plan(ui, &args, a);
		return UI_DRAW;
	}
	switch (a) {
	case ACT_SCALE:
		ui->act.replicas = d->has_spec_replicas ? d->spec_replicas : 1;
		open_input(ui, ACT_SCALE, ns, deploy, NULL);
		snprintf(ui->prompt_label, sizeof(ui->prompt_label),
			 "scale deploy/%.60s (now %d) to N, +N or -N: ", deploy,
			 (int)ui->act.replicas);
		return UI_DRAW;
	case ACT_SET_IMAGE:
		return start_set_image(ui, d);
	case ACT_UNDO:
		return start_undo(ui, ns, deploy);
	case ACT_SWITCH_SERVICE:
		return start_switch(ui, ns, deploy);
	case ACT_PARTITION:
		/* Refused by the plan before any request, in its words. */
		args.kind = KACT_PARTITION;
		args.input = "-1";
		break;
	default:
		return UI_UNHANDLED;
	}
	plan(ui, &args, a);
	return UI_DRAW;
}

/* The typed partition of StatefulSet ns/name, whose partition and replicas are s's. */
static unsigned start_partition(struct ui *ui, const struct statefulset *s, const char *ns,
				const char *name)
{
	ui->act.partition = s->has_partition && s->partition > 0 ? s->partition : 0;
	ui->act.replicas = s->has_spec_replicas ? s->spec_replicas : 1;
	open_input(ui, ACT_PARTITION, ns, name, NULL);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label),
		 "partition of sts/%.60s (now %d, %d replicas) to N, +N or -N: ", name,
		 (int)ui->act.partition, (int)ui->act.replicas);
	return UI_DRAW;
}

unsigned ui_act_set(struct ui *ui, enum action_id a, int kind, const char *ns, const char *name)
{
	if (a == ACT_DELETE_POD) {
		ui_message(ui, ROLE_INFO, "delete-pod: select a pod first");
		return UI_DRAW;
	}
	if (!may_start(ui, actions_table[a].name))
		return UI_DRAW;
	bool sts = kind == STORE_STATEFULSETS;
	enum kact_target t = sts ? KACT_TARGET_STS : KACT_TARGET_DS;
	const struct statefulset *s = sts ? store_get_statefulset(ui->store, ns, name) : NULL;
	if (sts ? !s : !store_get_daemonset(ui->store, ns, name)) {
		ui_message(ui, ROLE_WARNING, "%s/%s is gone", kact_target_short(t), name);
		return UI_DRAW;
	}
	ui->act.target = t;
	struct kact_args args = {.target = t, .ns = ns, .object = name};
	/* Pause and resume of a set: refused by the plan before any request,
	 * in kubectl's words. */
	if (no_input(a, &args)) {
		plan(ui, &args, a);
		return UI_DRAW;
	}
	switch (a) {
	case ACT_SCALE:
		/* A DaemonSet's: the plan refuses it before any request. */
		args.kind = KACT_SCALE;
		if (!s)
			break;
		ui->act.replicas = s->has_spec_replicas ? s->spec_replicas : 1;
		open_input(ui, ACT_SCALE, ns, name, NULL);
		snprintf(ui->prompt_label, sizeof(ui->prompt_label),
			 "scale sts/%.60s (now %d) to N, +N or -N: ", name, (int)ui->act.replicas);
		return UI_DRAW;
	case ACT_PARTITION:
		args.kind = KACT_PARTITION;
		if (!s)
			break;
		return start_partition(ui, s, ns, name);
	case ACT_UNDO:
		return start_undo(ui, ns, name);
	case ACT_SUSPEND:
	case ACT_UNSUSPEND:
	case ACT_TRIGGER:
		ui_message(ui, ROLE_WARNING, "%s: Jobs and CronJobs only", actions_table[a].name);
		return UI_DRAW;
	default:
		ui_message(ui, ROLE_WARNING, "%s: Deployments only", actions_table[a].name);
		return UI_DRAW;
	}
	plan(ui, &args, a);
	return UI_DRAW;
}

/* The name of the Job a trigger makes, in the prompt, proposed and editable. */
static unsigned start_trigger(struct ui *ui, const char *ns, const char *cronjob)
{
	ui->act.target = KACT_TARGET_CRONJOB;
	char *proposed = kact_trigger_name(cronjob, time(NULL));
	open_input(ui, ACT_TRIGGER, ns, cronjob, proposed);
	free(proposed);
	snprintf(ui->prompt_label, sizeof(ui->prompt_label),
		 "create a Job from cronjob/%.60s now, named: ", cronjob);
	return UI_DRAW;
}

unsigned ui_act_job(struct ui *ui, enum action_id a, int kind, const char *ns, const char *name)
{
	if (a == ACT_DELETE_POD) {
		ui_message(ui, ROLE_INFO, "delete-pod: select a pod first");
		return UI_DRAW;
	}
	if (!may_start(ui, actions_table[a].name))
		return UI_DRAW;
	bool cron = kind == STORE_CRONJOBS;
	enum kact_target t = cron ? KACT_TARGET_CRONJOB : KACT_TARGET_JOB;
	const struct job *j = cron ? NULL : store_get_job(ui->store, ns, name);
	if (cron ? !store_get_cronjob(ui->store, ns, name) : !j) {
		ui_message(ui, ROLE_WARNING, "%s/%s is gone", kact_target_short(t), name);
		return UI_DRAW;
	}
	ui->act.target = t;
	struct kact_args args = {.target = t, .ns = ns, .object = name};
	switch (a) {
	case ACT_SUSPEND:
		args.kind = KACT_SUSPEND;
		break;
	case ACT_UNSUSPEND:
		args.kind = KACT_UNSUSPEND;
		break;
	case ACT_PAUSE:
	case ACT_RESUME:
		/* Refused by the plan before any request, in kubectl's words. */
		args.kind = a == ACT_PAUSE ? KACT_PAUSE : KACT_RESUME;
		break;
	case ACT_TRIGGER: {
		if (cron)
			return start_trigger(ui, ns, name);
		/* A CronJob's Job: another run of its CronJob. */
		const struct cronjob *cj = store_job_cronjob(ui->store, j);
		if (!cj) {
			ui_message(ui, ROLE_WARNING,
				   "trigger: job/%s has no CronJob to make a Job from", name);
			return UI_DRAW;
		}
		char cjname[254];
		snprintf(cjname, sizeof(cjname), "%s", cj->name);
		return start_trigger(ui, ns, cjname);
	}
	default:
		ui_message(ui, ROLE_WARNING, "%s: not an action on %s/%s", actions_table[a].name,
			   kact_target_short(t), name);
		return UI_DRAW;
	}
	plan(ui, &args, a);
	return UI_DRAW;
}

unsigned ui_act_pod(struct ui *ui, const char *ns, const char *pod)
{
	if (!may_start(ui, actions_table[ACT_DELETE_POD].name))
		return UI_DRAW;
	struct kact_args args = {.kind = KACT_DELETE_POD, .ns = ns, .object = pod};
	plan(ui, &args, ACT_DELETE_POD);
	return UI_DRAW;
}

void ui_act_switch(struct ui *ui, const char *svc, const char *deploy)
{
	if (!may_start(ui, actions_table[ACT_SWITCH_SERVICE].name))
		return;
	const char *ns = ui->all_ns ? "default" : ui->ns;
	if (!*svc || !*deploy) {
		ui_message(ui, ROLE_ERROR, "usage: switch SERVICE DEPLOYMENT (namespace %s)", ns);
		return;
	}
	struct kact_args args = {
	    .kind = KACT_SWITCH_SERVICE, .ns = ns, .object = svc, .deploy = deploy};
	plan(ui, &args, ACT_SWITCH_SERVICE);
}

/* Tab in the 'a' prompt: the longest common prefix of the matching choices. */
void ui_act_complete(struct ui *ui, char *line, size_t n)
{
	const char *first = NULL;
	size_t common = 0;
	for (size_t i = 0; i < ui->act.n_choices; i++) {
		const char *c = ui->act.choices[i];
		if (strncmp(c, line, strlen(line)) != 0)
			continue;
		if (!first) {
			first = c;
			common = strlen(c);
		} else {
			size_t j = 0;
			while (j < common && c[j] == first[j])
				j++;
			common = j;
		}
	}
	if (!first) {
		ui_message(ui, ROLE_INFO, "no completion");
		return;
	}
	if (common < n) {
		memcpy(line, first, common);
		line[common] = '\0';
	}
}

/* The trigger's Job name as typed: refused in the prompt as the plan would. */
static void typed_job_name(struct ui *ui, const char *input)
{
	char why[512];
	if (!*input || urlpath_name_valid(input, URLPATH_DNS1123_SUBDOMAIN, why, sizeof(why)))
		ui->prompt_note[0] = '\0';
	else /* The rule's long regex is cut: the line shows what matters first. */
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  refused: %.140s", why);
}

void ui_act_typed(struct ui *ui, const char *input)
{
	if (ui->act.id == ACT_TRIGGER)
		typed_job_name(ui, input);
	if (ui->act.id != ACT_SCALE && ui->act.id != ACT_PARTITION)
		return;
	int32_t to;
	const char *why = NULL;
	if (!*input)
		ui->prompt_note[0] = '\0';
	else if (ui->act.id == ACT_PARTITION &&
		 kact_partition_parse(input, ui->act.partition, ui->act.replicas, &to, &why) == 0)
		snprintf(ui->prompt_note, sizeof(ui->prompt_note),
			 "  -> partition %d: ordinals %d and up updated", (int)to, (int)to);
	else if (ui->act.id == ACT_PARTITION)
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  refused: %s", why);
	else if (kact_scale_parse(input, ui->act.replicas, &to, &why) == 0)
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  -> %d replicas", (int)to);
	else
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  refused: %s", why);
}

void ui_act_cancel(struct ui *ui)
{
	clear_choices(ui);
	ui->act.id = ACT_NONE;
	ui->prompt = 0;
	ui_message(ui, ROLE_INFO, "cancelled: nothing was sent");
}

void ui_act_submit(struct ui *ui, const char *input)
{
	enum action_id a = ui->act.id;
	char ns[254], obj[254], container[254];
	snprintf(ns, sizeof(ns), "%s", ui->act.ns);
	snprintf(obj, sizeof(obj), "%s", ui->act.obj);
	struct kact_args args = {.target = ui->act.target, .ns = ns, .object = obj};
	const char *refused = NULL;
	switch (a) {
	case ACT_SCALE: {
		int32_t to;
		if (kact_scale_parse(input, ui->act.replicas, &to, &refused) != 0)
			break;
		args.kind = KACT_SCALE;
		args.input = input;
		break;
	}
	case ACT_SET_IMAGE: {
		const char *eq = strchr(input, '=');
		if (!eq || eq == input || !eq[1]) {
			refused = "type CONTAINER=IMAGE";
			break;
		}
		snprintf(container, sizeof(container), "%.*s", (int)(eq - input), input);
		args.kind = KACT_SET_IMAGE;
		args.container = container;
		args.image = eq + 1;
		break;
	}
	case ACT_UNDO: {
		char *end;
		long rev = *input ? strtol(input, &end, 10) : 0;
		if (*input && ((*end != '\0' && *end != ' ') || rev < 0)) {
			refused = "a revision number, or nothing for the previous one";
			break;
		}
		args.kind = KACT_UNDO;
		args.to_revision = rev;
		break;
	}
	case ACT_SWITCH_SERVICE:
		args.kind = KACT_SWITCH_SERVICE;
		args.object = input;
		args.deploy = obj;
		break;
	case ACT_PARTITION: {
		int32_t to;
		if (kact_partition_parse(input, ui->act.partition, ui->act.replicas, &to,
					 &refused) != 0)
			break;
		args.kind = KACT_PARTITION;
		args.input = input;
		break;
	}
	case ACT_TRIGGER:
		args.kind = KACT_TRIGGER;
		args.input = input;
		break;
	default:
		ui_act_cancel(ui);
		return;
	}
	if (refused) {
		/* Refused in the prompt itself: it stays open, nothing is sent. */
		ui->prompt = 'a';
		snprintf(ui->prompt_note, sizeof(ui->prompt_note), "  refused: %s", refused);
		ui_request(ui, UI_DRAW);
		return;
	}
	plan(ui, &args, a);
}

/* The dialog's map: the confirmation's keys are the action table's. */
static enum action_id dialog_action(struct ui *ui, bool fn, int ch)
{
	return keymap_lookup_dialog(&ui->cfg.keys, fn ? ch : ch < 256 ? ch : -1);
}

bool ui_act_pending_key(struct ui *ui, bool fn, int ch)
{
	if (!ui->act.pending || dialog_action(ui, fn, ch) != ACT_CANCEL)
		return false;
	kact_plan_cancel(ui->act.pending);
	ui->act.pending = NULL;
	clear_choices(ui);
	ui->act.id = ACT_NONE;
	ui_message(ui, ROLE_INFO, "cancelled: nothing was sent");
	return true;
}

static void on_done(void *ud, const struct kact_result *res)
{
	struct ui *ui = ud;
	ui->act.req = NULL;
	if (ui->act.applying) {
		kact_plan_free(ui->act.applying);
		free(ui->act.applying);
		ui->act.applying = NULL;
	}
	if (res->audit_err)
		result(ui, res->ok ? ROLE_OK : ROLE_ERROR, "%s (audit log: %s)", res->line,
		       res->audit_err);
	else
		result(ui, res->ok ? ROLE_OK : ROLE_ERROR, "%s%s", res->line, "");
}

static void apply(struct ui *ui)
{
	struct kact_plan *p = ui->act.plan;
	ui->act.plan = NULL;
	struct kact_result res = {0};
	/* The plan's body must outlive the transfer: it is freed in on_done. */
	ui->act.applying = p;
	/* Many contexts: the cluster whose object was planned, whatever the
	 * selection shows now. */
	ui->act.req = kact_apply_start(ui_cluster_client(ui, ui->act.cluster), p,
				       ui_cluster_context(ui, ui->act.cluster), on_done, ui, &res);
	if (!ui->act.req) {
		on_done(ui, &res);
		kact_result_free(&res);
		return;
	}
	ui_message(ui, ROLE_INFO, "%s %s: sent, waiting for the answer", p->method, p->object);
}

void ui_act_dialog_key(struct ui *ui, bool fn, int ch)
{
	enum action_id a = dialog_action(ui, fn, ch);
	if (a == ACT_CONFIRM) {
		apply(ui);
	} else if (a == ACT_CANCEL) {
		kact_plan_free(ui->act.plan);
		free(ui->act.plan);
		ui->act.plan = NULL;
		ui_message(ui, ROLE_INFO, "cancelled: nothing was sent");
	} else {
		char hint[128];
		keymap_hint(&ui->cfg.keys, "{confirm} applies, {cancel} cancels", hint,
			    sizeof(hint));
		ui_message(ui, ROLE_INFO, "%s", hint);
	}
	ui_request(ui, UI_DRAW);
}
