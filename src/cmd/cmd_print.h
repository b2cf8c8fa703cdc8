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
/* fputs for text of our own (not escaped), through the same line prefix. */
void cmd_puts(FILE *f, const char *s);

/*
 * get over several contexts: line is written before every line that
 * cmd_printf and cmd_puts put on stdout (the CONTEXT column), head instead
 * before the line begun after cmd_line_head() (a pod table's header; NULL:
 * line). Both already escaped, and kept by the caller until the next call.
 * cmd_line_prefix(NULL, NULL) ends it, ending an unfinished last line.
 */
void cmd_line_prefix(const char *line, const char *head);
void cmd_line_head(void);

#endif
