#include "config.h"

#include <string.h>

#include "podscope/model.h"

/*
 * A StatefulSet's pods carry two labels that only restate the pod's name:
 * statefulset.kubernetes.io/pod-name (the name itself) and
 * apps.kubernetes.io/pod-index (the ordinal at its end). Kept as pairs they
 * make every pod's label array unique, so the store cannot share it between
 * the pods of one revision, and the name is held a second time as an
 * interned string: about 150 bytes a pod. They are folded out of labels[]
 * into bits when, and only when, their values are exactly what the name
 * implies, before anything is interned; pod_label and pod_labels_match give
 * them back.
 */

#define POD_NAME_LABEL "statefulset.kubernetes.io/pod-name"
#define POD_INDEX_LABEL "apps.kubernetes.io/pod-index"

/* The decimal ordinal at the end of name ("web-12" → "12"), or NULL. */
static const char *ordinal_of(const char *name)
{
	const char *dash = name ? strrchr(name, '-') : NULL;
	if (!dash || !dash[1])
		return NULL;
	for (const char *c = dash + 1; *c; c++)
		if (*c < '0' || *c > '9')
			return NULL;
	return dash + 1;
}

static bool same(const char *a, const char *b)
{
	return a && b && (a == b || strcmp(a, b) == 0);
}

/* Whether the pair (key, value) of pod's labels only restates its name;
 * it then becomes a bit of pod->implied_labels (name decoded first). The
 * same answer however often it is asked. */
bool pod_implied_label(void *pod, const char *key, const char *value)
{
	struct pod *p = pod;
	uint8_t bit = 0;
	if (strcmp(key, POD_NAME_LABEL) == 0 && *p->name && same(value, p->name))
		bit = POD_LABEL_NAME;
	else if (strcmp(key, POD_INDEX_LABEL) == 0 && same(value, ordinal_of(p->name)))
		bit = POD_LABEL_INDEX;
	p->implied_labels |= bit;
	return bit != 0;
}

const char *pod_label(const struct pod *p, const char *key)
{
	if ((p->implied_labels & POD_LABEL_NAME) && strcmp(key, POD_NAME_LABEL) == 0)
		return p->name;
	if ((p->implied_labels & POD_LABEL_INDEX) && strcmp(key, POD_INDEX_LABEL) == 0)
		return ordinal_of(p->name);
	return model_label(p->labels, p->n_labels, key);
}

bool pod_labels_match(const struct pod *p, const struct model_kv *sel, uint16_t n_sel,
		      bool empty_matches_none)
{
	if (n_sel == 0)
		return !empty_matches_none;
	for (uint16_t i = 0; i < n_sel; i++) {
		const char *v = pod_label(p, sel[i].key);
		if (!v || (v != sel[i].value && strcmp(v, sel[i].value) != 0))
			return false;
	}
	return true;
}
