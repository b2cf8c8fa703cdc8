#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "uifile.h"

char *uifile_config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (xdg && *xdg == '/')
		return xasprintf("%s/podscope", xdg);
	const char *home = getenv("HOME");
	if (home && *home)
		return xasprintf("%s/.config/podscope", home);
	return NULL;
}
