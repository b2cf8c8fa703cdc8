#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"
#include "procsim_int.h"

/*
 * The shell subset: lists joined by ; && || | & and newlines, until / while /
 * if / for compounds, ( ) and { } groups, `sh -c` nested, > and >> creating
 * files. Parsed once into a tree that a resumable interpreter walks, so a
 * process can stop at a `sleep` and carry on when the clock reaches its end.
 */

enum tok_kind { T_EOF, T_WORD, T_SEMI, T_AND, T_OR, T_PIPE, T_LPAREN, T_RPAREN, T_REDIR };

struct tok {
	enum tok_kind kind;
	char *text; /* T_WORD: the word, quotes removed; T_REDIR: the operator */
	bool quoted;
};

struct lexer {
	const char *s;
	struct tok cur;
};

static void tok_clear(struct tok *t)
{
	free(t->text);
	memset(t, 0, sizeof(*t));
}

static bool is_op_char(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '<' || c == '>' ||
	       c == '\n';
}

/* A word up to whitespace or an operator, quotes and $(...) kept together. */
static char *lex_word(struct lexer *lx, bool *quoted)
{
	size_t cap = 32, n = 0;
	char *w = xmalloc(cap);
	const char *s = lx->s;
	int depth = 0;
	while (*s) {
		char c = *s;
		if (depth == 0 &&
		    (c == ' ' || c == '\t' || (is_op_char(c) && c != '\n') || c == '\n'))
			break;
		if (n + 4 >= cap)
			w = xrealloc(w, cap *= 2);
		if (c == '\'') {
			*quoted = true;
			s++;
			while (*s && *s != '\'') {
				if (n + 4 >= cap)
					w = xrealloc(w, cap *= 2);
				w[n++] = *s++;
			}
			if (*s)
				s++;
			continue;
		}
		if (c == '"') {
			*quoted = true;
			s++;
			while (*s && *s != '"') {
				/* inside "...", \ escapes only $ ` " \ and newline */
				if (*s == '\\' && s[1] && strchr("$`\"\\\n", s[1]))
					s++;
				if (n + 4 >= cap)
					w = xrealloc(w, cap *= 2);
				w[n++] = *s++;
			}
			if (*s)
				s++;
			continue;
		}
		if (c == '\\' && s[1]) {
			w[n++] = s[1];
			s += 2;
			continue;
		}
		if (c == '$' && s[1] == '(') {
			depth++;
			w[n++] = *s++;
			w[n++] = *s++;
			continue;
		}
		if (depth > 0 && c == ')')
			depth--;
		w[n++] = c;
		s++;
	}
	w[n] = '\0';
	lx->s = s;
	return w;
}

static void lex_next(struct lexer *lx)
{
	tok_clear(&lx->cur);
	for (;;) {
		while (*lx->s == ' ' || *lx->s == '\t' || *lx->s == '\r')
			lx->s++;
		if (*lx->s == '#') {
			while (*lx->s && *lx->s != '\n')
				lx->s++;
			continue;
		}
		break;
	}
	const char *s = lx->s;
	struct tok *t = &lx->cur;
	if (!*s) {
		t->kind = T_EOF;
		return;
	}
	if (*s == '\n' || *s == ';') {
		t->kind = T_SEMI;
		lx->s = s + ((s[0] == ';' && s[1] == ';') ? 2 : 1);
		return;
	}
	if (s[0] == '&' && s[1] == '&') {
		t->kind = T_AND;
		lx->s = s + 2;
		return;
	}
	if (s[0] == '|' && s[1] == '|') {
		t->kind = T_OR;
		lx->s = s + 2;
		return;
	}
	if (s[0] == '&' && s[1] == '>') {
		t->kind = T_REDIR;
		t->text = xstrdup(">");
		lx->s = s + 2;
		return;
	}
	if (*s == '&') {
		t->kind = T_SEMI; /* background: run in order, good enough here */
		lx->s = s + 1;
		return;
	}
	if (*s == '|') {
		t->kind = T_PIPE;
		lx->s = s + 1;
		return;
	}
	if (*s == '(' || *s == ')') {
		t->kind = *s == '(' ? T_LPAREN : T_RPAREN;
		lx->s = s + 1;
		return;
	}
	/* Redirections: [n]> [n]>> < with an optional &m. */
	const char *r = s;
	if (*r >= '0' && *r <= '9' && (r[1] == '>' || r[1] == '<'))
		r++;
	if (*r == '>' || *r == '<') {
		t->kind = T_REDIR;
		t->text = xstrdup(r[0] == '>' && r[1] == '>' ? ">>" : r[0] == '>' ? ">" : "<");
		r += (r[0] == '>' && r[1] == '>') ? 2 : 1;
		if (*r == '&') {
			/* 2>&1: a duplication, not a file */
			free(t->text);
			t->text = xstrdup("dup");
			r++;
		}
		lx->s = r;
		return;
	}
	t->kind = T_WORD;
	t->text = lex_word(lx, &t->quoted);
}

static bool at_keyword(const struct lexer *lx, const char *kw)
{
	return lx->cur.kind == T_WORD && !lx->cur.quoted && strcmp(lx->cur.text, kw) == 0;
}

static struct psnode *node_new(enum psnode_kind k)
{
	struct psnode *n = xcalloc(1, sizeof(*n));
	n->kind = k;
	return n;
}

static void list_add(struct psnode *l, struct psnode *item, int op)
{
	l->kids = xrealloc(l->kids, (size_t)(l->n + 1) * sizeof(*l->kids));
	l->ops = xrealloc(l->ops, (size_t)(l->n + 1) * sizeof(*l->ops));
	l->kids[l->n] = item;
	l->ops[l->n] = op;
	l->n++;
}

static struct psnode *parse_list(struct lexer *lx, const char *const *stops, int depth);

static bool is_stop(const struct lexer *lx, const char *const *stops)
{
	if (lx->cur.kind == T_EOF || lx->cur.kind == T_RPAREN)
		return true;
	for (size_t i = 0; stops && stops[i]; i++)
		if (at_keyword(lx, stops[i]))
			return true;
	return false;
}

static void expect(struct lexer *lx, const char *kw)
{
	if (at_keyword(lx, kw))
		lex_next(lx);
	/* A malformed script runs as far as it parses: sh would refuse, we shrug. */
}

static void add_arg(struct psnode *n, const char *w)
{
	n->argv = xrealloc(n->argv, (size_t)(n->argc + 2) * sizeof(*n->argv));
	n->argv[n->argc++] = xstrdup(w);
	n->argv[n->argc] = NULL;
}

/* `sh -c SCRIPT` as a command: its script becomes a subtree. */
struct psnode *psnode_from_argv(const char *const *argv, size_t argc, int depth)
{
	if (argc >= 3 && procsim_is_shell(argv[0]) && depth < 8) {
		size_t i = 1;
		while (i < argc && argv[i][0] == '-' && strcmp(argv[i], "-c") != 0)
			i++; /* sh -e -c, bash -x -c */
		if (i + 1 < argc && strcmp(argv[i], "-c") == 0) {
			struct lexer lx = {.s = argv[i + 1]};
			lex_next(&lx);
			struct psnode *sub = parse_list(&lx, NULL, depth + 1);
			tok_clear(&lx.cur);
			return sub;
		}
	}
	struct psnode *n = node_new(PS_CMD);
	for (size_t i = 0; i < argc; i++)
		add_arg(n, argv[i]);
	if (!n->argv)
		add_arg(n, ":"); /* no command at all */
	return n;
}

static struct psnode *parse_command(struct lexer *lx, int depth)
{
	static const char *const s_do[] = {"do", NULL};
	static const char *const s_done[] = {"done", NULL};
	static const char *const s_then[] = {"then", NULL};
	static const char *const s_else[] = {"elif", "else", "fi", NULL};
	static const char *const s_fi[] = {"fi", NULL};
	static const char *const s_brace[] = {"}", NULL};

	if (at_keyword(lx, "until") || at_keyword(lx, "while")) {
		struct psnode *n = node_new(at_keyword(lx, "until") ? PS_UNTIL : PS_WHILE);
		lex_next(lx);
		n->a = parse_list(lx, s_do, depth);
		expect(lx, "do");
		n->b = parse_list(lx, s_done, depth);
		expect(lx, "done");
		return n;
	}
	if (at_keyword(lx, "if") || at_keyword(lx, "elif")) {
		struct psnode *n = node_new(PS_IF);
		lex_next(lx);
		n->a = parse_list(lx, s_then, depth);
		expect(lx, "then");
		n->b = parse_list(lx, s_else, depth);
		if (at_keyword(lx, "elif")) {
			n->c = parse_command(lx, depth); /* consumes through the shared fi */
			return n;
		}
		if (at_keyword(lx, "else")) {
			lex_next(lx);
			n->c = parse_list(lx, s_fi, depth);
		}
		expect(lx, "fi");
		return n;
	}
	if (at_keyword(lx, "for")) {
		struct psnode *n = node_new(PS_FOR);
		lex_next(lx);
		if (lx->cur.kind == T_WORD)
			lex_next(lx); /* the variable: never looked at */
		if (at_keyword(lx, "in")) {
			lex_next(lx);
			while (lx->cur.kind == T_WORD && !at_keyword(lx, "do")) {
				n->nwords++;
				lex_next(lx);
			}
		}
		while (lx->cur.kind == T_SEMI)
			lex_next(lx);
		expect(lx, "do");
		n->b = parse_list(lx, s_done, depth);
		expect(lx, "done");
		return n;
	}
	if (lx->cur.kind == T_LPAREN) {
		lex_next(lx);
		struct psnode *n = parse_list(lx, NULL, depth);
		if (lx->cur.kind == T_RPAREN)
			lex_next(lx);
		return n;
	}
	if (at_keyword(lx, "{")) {
		lex_next(lx);
		struct psnode *n = parse_list(lx, s_brace, depth);
		expect(lx, "}");
		return n;
	}

	/* A simple command: words and redirections. */
	const char **argv = NULL;
	size_t argc = 0;
	char *redir = NULL;
	bool quiet = false;
	while (lx->cur.kind == T_WORD || lx->cur.kind == T_REDIR) {
		if (lx->cur.kind == T_REDIR) {
			bool creates =
			    strcmp(lx->cur.text, ">") == 0 || strcmp(lx->cur.text, ">>") == 0;
			bool dup = strcmp(lx->cur.text, "dup") == 0;
			lex_next(lx);
			if (lx->cur.kind == T_WORD) {
				quiet |= creates && !dup &&
					 strcmp(lx->cur.text, "/dev/stdout") != 0 &&
					 strcmp(lx->cur.text, "/dev/stderr") != 0;
				if (creates && !dup && strcmp(lx->cur.text, "/dev/null") != 0 &&
				    strcmp(lx->cur.text, "/dev/stdout") != 0 &&
				    strcmp(lx->cur.text, "/dev/stderr") != 0) {
					free(redir);
					redir = xstrdup(lx->cur.text);
				}
				lex_next(lx);
			}
			continue;
		}
		argv = xrealloc(argv, (argc + 1) * sizeof(*argv));
		argv[argc++] = xstrdup(lx->cur.text);
		lex_next(lx);
	}
	struct psnode *n = psnode_from_argv(argv, argc, depth);
	if (n->kind == PS_CMD)
		n->quiet = quiet;
	if (redir) {
		if (n->kind == PS_CMD)
			n->redir = redir;
		else
			free(redir);
	}
	for (size_t i = 0; i < argc; i++)
		free((char *)argv[i]);
	free(argv);
	return n;
}

static struct psnode *parse_list(struct lexer *lx, const char *const *stops, int depth)
{
	struct psnode *l = node_new(PS_LIST);
	int op = PS_OP_SEQ;
	for (;;) {
		while (lx->cur.kind == T_SEMI)
			lex_next(lx);
		if (is_stop(lx, stops))
			break;
		if (lx->cur.kind != T_WORD && lx->cur.kind != T_LPAREN && lx->cur.kind != T_REDIR) {
			lex_next(lx); /* stray operator */
			continue;
		}
		list_add(l, parse_command(lx, depth), op);
		switch (lx->cur.kind) {
		case T_AND:
			op = PS_OP_AND;
			lex_next(lx);
			break;
		case T_OR:
			op = PS_OP_OR;
			lex_next(lx);
			break;
		case T_PIPE:
		case T_SEMI:
			op = PS_OP_SEQ;
			lex_next(lx);
			break;
		default:
			op = PS_OP_SEQ;
			break;
		}
	}
	return l;
}

void psnode_free(struct psnode *n)
{
	if (!n)
		return;
	for (int i = 0; i < n->argc; i++)
		free(n->argv[i]);
	free(n->argv);
	free(n->redir);
	for (int i = 0; i < n->n; i++)
		psnode_free(n->kids[i]);
	free(n->kids);
	free(n->ops);
	psnode_free(n->a);
	psnode_free(n->b);
	psnode_free(n->c);
	free(n);
}
