#ifndef PODSCOPE_UI_UIFILE_H
#define PODSCOPE_UI_UIFILE_H

#include <stddef.h>
#include <stdio.h>

#include "podscope/err.h"

/* $XDG_CONFIG_HOME/podscope, else ~/.config/podscope (heap; NULL when
 * neither variable is set). */
char *uifile_config_dir(void);

/*
 * Writing a file the user names (the saved screen), usually in the working
 * directory, where someone else may have planted a symbolic link to a file
 * of ours: the text goes to a new temporary file next to path (created
 * with O_EXCL, so nothing planted is opened), which uifile_commit renames
 * over path. A link at path is replaced, never written through. The mode
 * is fopen's: 0666 less the umask.
 */
struct uifile_out;
struct uifile_out *uifile_create(const char *path, struct perr *err);
FILE *uifile_stream(struct uifile_out *o);
/* Close and rename; on any error the temporary file is removed. Frees o. */
int uifile_commit(struct uifile_out *o, struct perr *err);
/* Close and remove the temporary file, leaving path as it was. Frees o. */
void uifile_abort(struct uifile_out *o);

#endif
