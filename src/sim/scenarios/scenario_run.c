#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"
#include "podscope/yamljson.h"

#include "clock.h"
#include "evloop.h"
#include "scenario.h"
#include "scenario_int.h"
#include "sim.h"
#include "simobj.h"

/*
 * The runner: each script walks its steps on the simulated clock, each step
 * `after` the one before it (the first after the start), and starts again
 * from the top when it repeats.
 */

struct simrun {
	struct simscen *sc;
	struct simscript *script;
	size_t next;        /* the step to run next */
	int64_t base;       /* simulated time the previous step ran (or the start) */
	int64_t due;        /* simulated time the next one runs */
	unsigned long runs; /* steps run so far */
	unsigned long pass; /* times the script has started from the top */
	struct evtimer *timer;
};

struct simscen {
	struct sim *sim;
	struct simrun **runs;
	size_t n;
	bool started;
};

static struct simscen *get_scen(struct sim *sim)
{
	if (!sim->scen) {
		sim->scen = xcalloc(1, sizeof(*sim->scen));
		sim->scen->sim = sim;
	}
	return sim->scen;
}

static void fire(void *ud);

static void arm(struct simrun *r)
{
	struct sim *sim = r->sc->sim;
	for (size_t guard = 0;; guard++) {
		if (guard > 2 * r->script->n)
			return; /* nothing but `once` steps left */
		if (r->next >= r->script->n) {
			if (!r->script->repeat || !r->script->n)
				return;
			r->next = 0;
			r->pass++;
		}
		/* `once` steps only run on the first pass. */
		if (!r->pass || !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
				    r->script->steps[r->next].spec, "once")))
			break;
		r->next++;
	}
	r->due = r->base + r->script->steps[r->next].after_ms;
	r->timer = simclock_timer_at(&sim->clock, sim->loop, r->due, fire, r);
}

static void fire(void *ud)
{
	struct simrun *r = ud;
	struct sim *sim = r->sc->sim;
	const struct simstep *s = &r->script->steps[r->next];
	r->timer = NULL;
	char *what = simstep_describe(s);
	struct perr err = {0};
	fprintf(stderr, "podscope-sim: scenario %s: step %zu/%zu: %s\n", r->script->name,
		r->next + 1, r->script->n, what);
	if (simstep_run(sim, s, &err) != 0)
		fprintf(stderr, "podscope-sim: scenario %s: step %zu (%s) failed: %s\n",
			r->script->name, r->next + 1, what, perr_msg(&err));
	perr_clear(&err);
	free(what);
	r->runs++;
	r->base = r->due;
	r->next++;
	arm(r);
}

void simscen_add_script(struct sim *sim, struct simscript *s)
{
	struct simscen *sc = get_scen(sim);
	struct simrun *r = xcalloc(1, sizeof(*r));
	r->sc = sc;
	r->script = s;
	sc->runs = xrealloc(sc->runs, (sc->n + 1) * sizeof(*sc->runs));
	sc->runs[sc->n++] = r;
	if (sc->started) {
		r->base = simclock_now(&sim->clock);
		arm(r);
	}
}

int simscen_start(struct sim *sim)
{
	struct simscen *sc = get_scen(sim);
	int64_t now = simclock_now(&sim->clock);
	sc->started = true;
	for (size_t i = 0; i < sc->n; i++) {
		sc->runs[i]->base = now;
		arm(sc->runs[i]);
	}
	return 0;
}

void simscen_stop(struct sim *sim)
{
	struct simscen *sc = sim->scen;
	if (!sc)
		return;
	for (size_t i = 0; i < sc->n; i++) {
		if (sc->runs[i]->timer)
			evloop_timer_cancel(sim->loop, sc->runs[i]->timer);
		simscript_free(sc->runs[i]->script);
		free(sc->runs[i]);
	}
	free(sc->runs);
	free(sc);
	sim->scen = NULL;
}

void simscen_poke(struct sim *sim)
{
	struct simscen *sc = sim->scen;
	for (size_t i = 0; sc && i < sc->n; i++) {
		struct simrun *r = sc->runs[i];
		if (!r->timer)
			continue;
		evloop_timer_cancel(sim->loop, r->timer);
		r->timer = simclock_timer_at(&sim->clock, sim->loop, r->due, fire, r);
	}
}

int simscen_control(struct sim *sim, const cJSON *body, struct perr *err)
{
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(body, "steps");
	bool many = cJSON_IsObject(body) && list;
	if (many && (!cJSON_IsArray(list) || cJSON_GetArraySize(body) != 1)) {
		perr_set(err, PERR_USAGE, "a body is one step, or {\"steps\": [...]} alone");
		return -1;
	}
	struct simscript *s = xcalloc(1, sizeof(*s));
	s->name = xstrdup("control");
	s->description = xstrdup("");
	size_t n = many ? (size_t)cJSON_GetArraySize(list) : 1;
	s->steps = xcalloc(n + 1, sizeof(*s->steps));
	const cJSON *it = many ? list->child : body;
	for (; s->n < n; it = it->next) {
		struct steperr e = {{0}, {0}, false};
		if (simstep_parse(it, NULL, &s->steps[s->n], &e) != 0) {
			if (many)
				perr_set(err, PERR_USAGE, "step %zu: %s", s->n + 1, e.msg);
			else
				perr_set(err, PERR_USAGE, "%s", e.msg);
			simscript_free(s);
			return -1;
		}
		s->n++;
	}
	/* The untimed head runs now; the rest is a script timed from now. */
	size_t i = 0;
	int rc = 0;
	for (; i < s->n && s->steps[i].after_ms == 0; i++) {
		char *what = simstep_describe(&s->steps[i]);
		fprintf(stderr, "podscope-sim: action: %s\n", what);
		free(what);
		if ((rc = simstep_run(sim, &s->steps[i], err)) != 0)
			break;
	}
	if (rc == 0 && i < s->n) {
		for (size_t k = 0; k < i; k++)
			simstep_clear(&s->steps[k]);
		memmove(s->steps, s->steps + i, (s->n - i) * sizeof(*s->steps));
		s->n -= i;
		simscen_add_script(sim, s);
		return 0;
	}
	simscript_free(s);
	return rc;
}

/* The description in a built-in scenario's Scenario document. */
static void add_builtin(cJSON *arr, const struct simscen_builtin *b)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "name", b->name);
	cJSON *docs = yamljson_parse_all(b->name, b->yaml, strlen(b->yaml), NULL);
	const cJSON *d;
	const char *desc = "";
	cJSON_ArrayForEach(d, docs)
	{
		if (simscen_is_scenario_doc(d) && simjson_string(d, "description"))
			desc = simjson_string(d, "description");
	}
	cJSON_AddStringToObject(o, "description", desc);
	cJSON_AddItemToArray(arr, o);
	cJSON_Delete(docs);
}

cJSON *simscen_list_json(const struct sim *sim)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "kind", "ScenarioList");
	cJSON_AddStringToObject(o, "apiVersion", "sim.podscope.dev/v1");
	cJSON *b = cJSON_AddArrayToObject(o, "builtin");
	for (unsigned i = 0; i < simscen_nbuiltins; i++)
		add_builtin(b, &simscen_builtins[i]);
	cJSON *running = cJSON_AddArrayToObject(o, "running");
	const struct simscen *sc = sim->scen;
	for (size_t i = 0; sc && i < sc->n; i++) {
		const struct simrun *r = sc->runs[i];
		cJSON *x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "name", r->script->name);
		cJSON_AddStringToObject(x, "description", r->script->description);
		cJSON_AddNumberToObject(x, "steps", (double)r->script->n);
		cJSON_AddNumberToObject(x, "stepsRun", (double)r->runs);
		cJSON_AddBoolToObject(x, "repeat", r->script->repeat);
		if (r->timer) {
			char ts[40];
			simclock_format(r->due, ts, sizeof(ts));
			cJSON_AddNumberToObject(x, "nextStep", (double)r->next + 1);
			cJSON_AddStringToObject(x, "nextAt", ts);
		}
		cJSON_AddItemToArray(running, x);
	}
	return o;
}

void simscen_print_builtins(FILE *f)
{
	cJSON *arr = cJSON_CreateArray();
	for (unsigned i = 0; i < simscen_nbuiltins; i++)
		add_builtin(arr, &simscen_builtins[i]);
	const cJSON *it;
	cJSON_ArrayForEach(it, arr)
	{
		fprintf(f, "%s\t%s\n", simjson_string(it, "name"),
			simjson_string(it, "description"));
	}
	cJSON_Delete(arr);
}
