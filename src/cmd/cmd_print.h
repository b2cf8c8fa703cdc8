#ifndef PODSCOPE_CMD_PRINT_H
#define PODSCOPE_CMD_PRINT_H

#include <stdio.h>

/*
 * The headless commands' printf: every %s argument is escaped and its
 * width and precision count display columns (sanitize_printf in
 * sanitize.h), so that no text from a cluster or a kubeconfig reaches the
 * terminal as control bytes and text columns line up. Use it for every
 * line that holds outside text, stdout and stderr alike.
 */
void cmd_printf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
