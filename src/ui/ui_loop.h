#ifndef PODSCOPE_UI_LOOP_H
#define PODSCOPE_UI_LOOP_H

#include <stdbool.h>
#include <stddef.h>

#include "actions.h"

struct ui;

/* ui_frame.c: the terminal's size changed: the one place that relayouts,
 * checks the minimum size and repaints everything. ask_tty (SIGWINCH): read
 * the size from the terminal and resize curses, which then queues a
 * KEY_RESIZE that comes back here without ask_tty. */
void ui_resize(struct ui *ui, bool ask_tty);

/* ui_input.c: the terminal fd is readable (or hung up). */
void ui_on_input(void *ud, int fd, short revents);
/* Start feeding PODSCOPE_KEYS (after the first sync). */
void ui_script_start(struct ui *ui);
/* After a frame: feed the next scripted key. */
void ui_script_next(struct ui *ui);
/* Run an action as if its key was pressed. */
void ui_do_action(struct ui *ui, enum action_id a);

/* ui_command.c: run a ':' command line; complete its last word (Tab) in
 * place, listing the candidates in the status line when there are several. */
void ui_command(struct ui *ui, char *line);
void ui_complete(struct ui *ui, char *line, size_t n);
/* ui_input.c: write the screen to path (NULL: $PODSCOPE_SCREEN_FILE or
 * podscope-screen.txt) and say so. */
void ui_save_screen(struct ui *ui, const char *path);
/* ui.c: connect to another context of the kubeconfig. */
void ui_switch_context(struct ui *ui, const char *context);

/* ui.c: (re)start the informers for the namespace shown. */
void ui_watch(struct ui *ui);

#endif
