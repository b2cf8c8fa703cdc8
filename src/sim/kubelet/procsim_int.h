#ifndef PODSCOPE_SIM_PROCSIM_INT_H
#define PODSCOPE_SIM_PROCSIM_INT_H

#include "procsim.h"

/* Inside procsim*.c: the parsed shell tree. */

enum psnode_kind { PS_CMD, PS_LIST, PS_UNTIL, PS_WHILE, PS_IF, PS_FOR };
enum { PS_OP_SEQ = 0, PS_OP_AND, PS_OP_OR };

struct psnode {
	enum psnode_kind kind;
	/* PS_CMD */
	char **argv; /* NULL-terminated */
	int argc;
	char *redir; /* a file that `> FILE` creates, or NULL */
	bool quiet;  /* its output goes to a file or /dev/null, not to the log */
	/* PS_LIST: kids[i] runs after ops[i] allows it (ops[0] is unused) */
	struct psnode **kids;
	int *ops;
	int n;
	/* PS_UNTIL / PS_WHILE: a = condition, b = body; PS_IF: a, b = then, c = else;
	 * PS_FOR: b = body, run nwords times */
	struct psnode *a, *b, *c;
	int nwords;
};

/* argv as one command (a `sh -c SCRIPT` becomes SCRIPT's tree). */
struct psnode *psnode_from_argv(const char *const *argv, size_t argc, int depth);
void psnode_free(struct psnode *n);
/* sh, bash, ash, dash (any directory). */
bool procsim_is_shell(const char *a);

#endif
