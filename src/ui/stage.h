#ifndef PODSCOPE_UI_STAGE_H
#define PODSCOPE_UI_STAGE_H

#include <stdint.h>

#include "glyphs.h"
#include "podscope/lifecycle.h"
#include "podscope/model.h"
#include "theme.h"

struct store;

/* What a pod tile shows: its lifecycle stage as a glyph, a colour and a
 * short label, and when that label changes next (a countdown). */
struct uistage {
	enum lc_stage stage;
	enum glyph glyph;
	enum theme_role role;
	char label[48];  /* "init 1/2", "CrashLoop 23s", "ready", ... */
	char why[160];   /* a longer cause for the pod view */
	int64_t next_ms; /* when the label changes by itself (0: it does not) */
	uint8_t base;    /* the label's length without its countdown */
	bool moving;     /* a transitional stage: worth animating */
	bool trouble;
};

/* The stage of p at now_ms (the store gives the pod's events). */
void uistage_pod(const struct store *s, const struct pod *p, int64_t now_ms, struct uistage *out);

/* Glyph and role of a stage. */
enum glyph uistage_glyph(enum lc_stage st);
enum theme_role uistage_role(enum lc_stage st);

#endif
