#ifndef PODSCOPE_UI_UIFILE_H
#define PODSCOPE_UI_UIFILE_H

#include <stddef.h>

#include "podscope/err.h"

/* $XDG_CONFIG_HOME/podscope, else ~/.config/podscope (heap; NULL when
 * neither variable is set). */
char *uifile_config_dir(void);

/* A whole file, NUL-terminated (heap); NULL + err (PERR_CONFIG naming the
 * path) when it cannot be read. */
char *uifile_read(const char *path, size_t *len, struct perr *err);

#endif
