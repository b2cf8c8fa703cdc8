#ifndef PODSCOPE_UI_UIFILE_H
#define PODSCOPE_UI_UIFILE_H

#include <stddef.h>

#include "podscope/err.h"

/* $XDG_CONFIG_HOME/podscope, else ~/.config/podscope (heap; NULL when
 * neither variable is set). */
char *uifile_config_dir(void);

#endif
