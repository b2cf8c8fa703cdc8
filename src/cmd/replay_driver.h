#ifndef PODSCOPE_CMD_REPLAY_DRIVER_H
#define PODSCOPE_CMD_REPLAY_DRIVER_H

#include "podscope/err.h"

/*
 * podscope replay FILE: the recording applied to the dashboard's store on
 * the loop's timers at ×1 to ×100, as the informers would have applied it
 * (ui.h's ui_replay_hooks). The file is read whole and indexed once
 * (src/core/rectimeline.c: transitions, rollout starts, gaps); a jump back
 * clears the store and applies the events again from the start.
 */

struct replay_driver;
struct ui_replay_hooks;

/* data (len bytes, kept, freed by replay_driver_free) of path; context
 * chooses one of several (NULL: the file must hold one). NULL with err. */
struct replay_driver *replay_driver_new(const char *path, unsigned char *data, size_t len,
					const char *context, int speed, struct perr *err);
/* Its hooks for ui_options.replay (namespace: -n, or NULL). */
const struct ui_replay_hooks *replay_driver_hooks(struct replay_driver *d, const char *ns);
void replay_driver_free(struct replay_driver *d);

#endif
