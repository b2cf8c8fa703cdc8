#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "podscope/xalloc.h"
#include "procsim_int.h"

/* The interpreter: a stack of frames over the tree, resumable at a sleep. */

#define FOREVER INT64_MAX
/* A loop whose iteration takes no time would spin: sh would burn a CPU, we
 * let the clock move instead. */
#define SPIN_STEPS 2000
#define SPIN_MS    1000

struct frame {
	const struct psnode *n;
	int pc;
};

struct procsim {
	struct psnode *root;
	struct frame *stack;
	int sp, cap;
	int status;          /* $? */
	int64_t t;           /* how far the process has run */
	int64_t sleep_until; /* > t while blocked */
	int steps;           /* steps at the current t (spin guard) */
	bool exited;
	int exit_code;
	int64_t exit_at;
	int http_port; /* -1: not serving */
	const char *http_root;
	bool sigterm;
	int64_t mem_limit; /* bytes, 0: none */
	bool oom_killed;
	const struct procimage *img;
	char *out; /* procsim_exec's output */
	size_t outlen, outcap;
};

static void push(struct procsim *p, const struct psnode *n)
{
	if (p->sp == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->stack = xrealloc(p->stack, (size_t)p->cap * sizeof(*p->stack));
	}
	p->stack[p->sp++] = (struct frame){n, 0};
}

static void say(struct procsim *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct procsim *p, const char *fmt, ...)
{
	if (!p->out && p->outcap == 0)
		return; /* only procsim_exec collects output */
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	size_t len = strlen(line);
	if (p->outlen + len + 1 > p->outcap) {
		p->outcap = (p->outlen + len + 1) * 2;
		p->out = xrealloc(p->out, p->outcap);
	}
	memcpy(p->out + p->outlen, line, len + 1);
	p->outlen += len;
}

static const char *base(const char *a)
{
	const char *b = strrchr(a, '/');
	return b ? b + 1 : a;
}

/* sleep's argument: 10, 0.5, 1m, 2h, infinity. -1 when unreadable. */
static int64_t sleep_ms(const char *a)
{
	if (strcmp(a, "infinity") == 0 || strcmp(a, "inf") == 0)
		return FOREVER;
	char *end;
	double v = strtod(a, &end);
	if (end == a || v < 0 || isnan(v))
		return -1;
	double mul = 1000;
	if (*end == 'm')
		mul = 60000;
	else if (*end == 'h')
		mul = 3600000;
	else if (*end == 'd')
		mul = 86400000;
	double ms = v * mul;
	return ms > 1e15 ? FOREVER : (int64_t)ms;
}

static bool is_server(const char *cmd)
{
	static const char *const servers[] = {"nginx",        "httpd",     "apache2-foreground",
					      "redis-server", "postgres",  "mysqld",
					      "node",         "python",    "python3",
					      "java",         "caddy",     "envoy",
					      "traefik",      "memcached", "http-server",
					      "server",       "agnhost",   NULL};
	for (size_t i = 0; servers[i]; i++)
		if (strcmp(cmd, servers[i]) == 0)
			return true;
	return false;
}

/* The host of a URL or name: "http://svc.ns:80/x" -> "svc.ns". */
static void url_host(const char *u, char *buf, size_t n)
{
	const char *s = strstr(u, "://");
	s = s ? s + 3 : u;
	size_t i = 0;
	while (s[i] && s[i] != ':' && s[i] != '/' && i + 1 < n) {
		buf[i] = s[i];
		i++;
	}
	buf[i] = '\0';
}

static bool resolves(const struct procsim_world *w, const char *name)
{
	return w && w->resolves && w->resolves(w->ud, name);
}

/* A test for `test` / `[`: -f/-e/-d FILE, ! negates; anything else is true. */
static int run_test(char **argv, int argc, struct procfs *fs)
{
	int i = 1, neg = 0;
	if (argc > 0 && strcmp(argv[argc - 1], "]") == 0)
		argc--;
	if (i < argc && strcmp(argv[i], "!") == 0) {
		neg = 1;
		i++;
	}
	int r = 0;
	if (i + 1 < argc && argv[i][0] == '-' && strchr("efdsrwx", argv[i][1]))
		r = procfs_exists(fs, argv[i + 1]) ? 0 : 1;
	return neg ? !r : r;
}

/* stress's sizes: a number with an optional B, K, M or G (powers of 1024). */
static int64_t stress_bytes(const char *s)
{
	char *end;
	double n = strtod(s, &end);
	double f = *end == 'K' || *end == 'k'   ? 1024.0
		   : *end == 'M' || *end == 'm' ? 1048576.0
		   : *end == 'G' || *end == 'g' ? 1073741824.0
						: 1.0;
	return n > 0 ? (int64_t)(n * f) : -1;
}

/*
 * stress --vm N --vm-bytes SIZE [--timeout S]: N workers holding SIZE each
 * (stress's defaults: 1 worker of 256M). Over the container's limit the OOM
 * killer ends it at once; under it, it runs (until --timeout, else forever).
 */
static void run_stress(struct procsim *p, char **argv, int argc)
{
	int64_t workers = 0, bytes = 256 * 1048576LL, timeout_ms = FOREVER;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "--vm") == 0 || strcmp(argv[i], "-m") == 0)
			workers = atoi(argv[++i]);
		else if (strcmp(argv[i], "--vm-bytes") == 0)
			bytes = stress_bytes(argv[++i]);
		else if (strcmp(argv[i], "--timeout") == 0 || strcmp(argv[i], "-t") == 0)
			timeout_ms = sleep_ms(argv[++i]);
	}
	if (bytes < 0 || timeout_ms < 0) {
		say(p, "stress: FAIL: bad argument\n");
		p->status = 1;
		return;
	}
	if (workers <= 0) {
		say(p, "stress: FAIL: [1] (244) no hogs specified\n");
		p->status = 1;
		return;
	}
	say(p, "stress: info: [1] dispatching hogs: 0 cpu, 0 io, %lld vm, 0 hdd\n",
	    (long long)workers);
	if (p->mem_limit > 0 && workers * bytes > p->mem_limit) {
		p->oom_killed = true;
		p->exited = true;
		p->exit_code = 137;
		p->exit_at = p->t;
		return;
	}
	p->sleep_until = timeout_ms == FOREVER ? FOREVER : p->t + timeout_ms;
}

/* Run one simple command at p->t. */
static void run_cmd(struct procsim *p, const struct psnode *n, struct procfs *fs,
		    const struct procsim_world *w)
{
	char **argv = n->argv;
	int argc = n->argc;
	while (argc > 0 &&
	       (strcmp(argv[0], "exec") == 0 || strcmp(argv[0], "command") == 0 ||
		strcmp(argv[0], "nohup") == 0 || strcmp(argv[0], "/docker-entrypoint.sh") == 0)) {
		argv++;
		argc--;
	}
	if (argc == 0) {
		p->status = 0;
		return;
	}
	const char *c = base(argv[0]);
	p->status = 0;
	if (n->redir)
		procfs_add(fs, n->redir);

	if (strcmp(c, "sleep") == 0) {
		int64_t ms = argc > 1 ? sleep_ms(argv[1]) : -1;
		if (ms < 0) {
			p->status = 1;
			return;
		}
		p->sleep_until = ms == FOREVER ? FOREVER : p->t + ms;
		return;
	}
	if (strcmp(c, "stress") == 0) {
		run_stress(p, argv, argc);
		return;
	}
	if (strcmp(c, "exit") == 0) {
		p->exited = true;
		p->exit_code = argc > 1 ? atoi(argv[1]) & 0xff : p->status;
		p->exit_at = p->t;
		return;
	}
	if (strcmp(c, "false") == 0) {
		p->status = 1;
		return;
	}
	if (strcmp(c, "echo") == 0 || strcmp(c, "printf") == 0) {
		for (int i = 1; i < argc; i++)
			say(p, "%s%s", i > 1 ? " " : "", argv[i]);
		say(p, "\n");
		return;
	}
	if (strcmp(c, "touch") == 0 || strcmp(c, "mkdir") == 0) {
		for (int i = 1; i < argc; i++)
			if (argv[i][0] != '-')
				procfs_add(fs, argv[i]);
		return;
	}
	if (strcmp(c, "rm") == 0 || strcmp(c, "rmdir") == 0 || strcmp(c, "unlink") == 0) {
		bool force = false, rec = false;
		for (int i = 1; i < argc; i++) {
			if (argv[i][0] == '-') {
				force |= strchr(argv[i], 'f') != NULL;
				rec |= strchr(argv[i], 'r') != NULL || strchr(argv[i], 'R') != NULL;
				continue;
			}
			if (!procfs_remove(fs, argv[i], rec) && !force) {
				say(p, "rm: can't remove '%s': No such file or directory\n",
				    argv[i]);
				p->status = 1;
			}
		}
		return;
	}
	if (strcmp(c, "cat") == 0 || strcmp(c, "ls") == 0 || strcmp(c, "stat") == 0 ||
	    strcmp(c, "head") == 0 || strcmp(c, "grep") == 0) {
		for (int i = 1; i < argc; i++) {
			if (argv[i][0] == '-' || (strcmp(c, "grep") == 0 && i == 1))
				continue;
			if (!procfs_exists(fs, argv[i])) {
				say(p, "%s: can't open '%s': No such file or directory\n", c,
				    argv[i]);
				p->status = 1;
			}
		}
		return;
	}
	if (strcmp(c, "test") == 0 || strcmp(c, "[") == 0 || strcmp(c, "[[") == 0) {
		p->status = run_test(argv, argc, fs);
		return;
	}
	if (strcmp(c, "nslookup") == 0 || strcmp(c, "host") == 0 || strcmp(c, "dig") == 0 ||
	    strcmp(c, "getent") == 0) {
		const char *name = argv[argc - 1];
		if (argc > 1 && resolves(w, name)) {
			say(p, "Name:\t%s\n", name);
		} else {
			say(p, "** server can't find %s: NXDOMAIN\n", argc > 1 ? name : "");
			p->status = 1;
		}
		return;
	}
	if (strcmp(c, "wget") == 0 || strcmp(c, "curl") == 0 || strcmp(c, "nc") == 0) {
		const char *url = NULL;
		for (int i = 1; i < argc; i++)
			if (argv[i][0] != '-')
				url = argv[i];
		char host[256];
		url_host(url ? url : "", host, sizeof(host));
		if (!url || !(resolves(w, host) || strcmp(host, "localhost") == 0 ||
			      strcmp(host, "127.0.0.1") == 0)) {
			say(p, "%s: bad address '%s'\n", c, host);
			p->status = 1;
		}
		return;
	}
	if (strcmp(c, "tail") == 0 || strcmp(c, "yes") == 0 || strcmp(c, "pause") == 0 ||
	    is_server(c)) {
		if (is_server(c)) {
			p->http_port = p->img && p->img->http_root && strcmp(p->img->name, c) == 0
					   ? p->img->http_port
					   : 0;
			p->http_root =
			    p->img && strcmp(p->img->name, c) == 0 ? p->img->http_root : NULL;
			p->sigterm = true;
		}
		p->sleep_until = FOREVER;
		return;
	}
	if (procsim_is_shell(c) && argc == 1) {
		return; /* an interactive shell with no terminal: reads EOF, ends */
	}
	/* Everything else (date, hostname, env, kill, trap, set, ...) succeeds at once. */
}

bool procsim_is_shell(const char *a)
{
	const char *b = base(a);
	return strcmp(b, "sh") == 0 || strcmp(b, "bash") == 0 || strcmp(b, "ash") == 0 ||
	       strcmp(b, "dash") == 0;
}

/* One step of the top frame. */
static void step(struct procsim *p, struct procfs *fs, const struct procsim_world *w)
{
	struct frame *f = &p->stack[p->sp - 1];
	const struct psnode *n = f->n;
	switch (n->kind) {
	case PS_CMD:
		p->sp--;
		run_cmd(p, n, fs, w);
		break;
	case PS_LIST:
		while (f->pc < n->n) {
			int i = f->pc++;
			if (i > 0 && ((n->ops[i] == PS_OP_AND && p->status != 0) ||
				      (n->ops[i] == PS_OP_OR && p->status == 0)))
				continue;
			push(p, n->kids[i]);
			return;
		}
		p->sp--;
		break;
	case PS_UNTIL:
	case PS_WHILE:
		if (f->pc == 0) {
			f->pc = 1;
			push(p, n->a);
		} else if (f->pc == 1) {
			bool cond = p->status == 0;
			if (n->kind == PS_UNTIL ? cond : !cond) {
				p->sp--;
				p->status = 0;
			} else {
				f->pc = 0;
				push(p, n->b);
			}
		}
		break;
	case PS_IF:
		if (f->pc == 0) {
			f->pc = 1;
			push(p, n->a);
		} else if (f->pc == 1) {
			f->pc = 2;
			if (p->status == 0)
				push(p, n->b);
			else if (n->c)
				push(p, n->c);
			else
				p->status = 0;
		} else {
			p->sp--;
		}
		break;
	case PS_FOR:
		if (f->pc < n->nwords) {
			f->pc++;
			push(p, n->b);
		} else {
			p->sp--;
		}
		break;
	}
}

void procsim_run(struct procsim *p, int64_t now_ms, struct procfs *fs,
		 const struct procsim_world *w)
{
	while (!p->exited) {
		if (p->sleep_until > p->t) {
			if (p->sleep_until > now_ms)
				return;
			p->t = p->sleep_until;
			p->steps = 0;
		}
		if (p->sp == 0) {
			p->exited = true;
			p->exit_code = p->status;
			p->exit_at = p->t;
			return;
		}
		step(p, fs, w);
		if (++p->steps > SPIN_STEPS && p->sleep_until <= p->t)
			p->sleep_until = p->t + SPIN_MS;
	}
}

struct procsim *procsim_start(const char *const *argv, size_t argc, const struct procimage *img,
			      int64_t start_ms)
{
	struct procsim *p = xcalloc(1, sizeof(*p));
	p->img = img;
	p->t = p->sleep_until = start_ms;
	p->http_port = -1;
	if (argc == 0) {
		/* An image we know nothing about: a server on every port it declares. */
		p->root = psnode_from_argv(NULL, 0, 0);
		p->http_port = 0;
		p->sigterm = true;
		p->sleep_until = FOREVER;
		return p;
	}
	p->root = psnode_from_argv(argv, argc, 0);
	push(p, p->root);
	return p;
}

void procsim_free(struct procsim *p)
{
	if (!p)
		return;
	psnode_free(p->root);
	free(p->stack);
	free(p->out);
	free(p);
}

bool procsim_exited(const struct procsim *p)
{
	return p->exited;
}

int procsim_exit_code(const struct procsim *p)
{
	return p->exit_code;
}

void procsim_set_mem_limit(struct procsim *p, int64_t bytes)
{
	p->mem_limit = bytes > 0 ? bytes : 0;
}

bool procsim_oom_killed(const struct procsim *p)
{
	return p->oom_killed;
}

int64_t procsim_exit_at(const struct procsim *p)
{
	return p->exit_at;
}

int64_t procsim_wake(const struct procsim *p)
{
	if (p->exited)
		return p->exit_at; /* its exit is news until someone reaps it */
	return p->sleep_until > p->t ? p->sleep_until : p->t;
}

int procsim_http_port(const struct procsim *p)
{
	return p->exited ? -1 : p->http_port;
}

const char *procsim_http_root(const struct procsim *p)
{
	return p->http_root;
}

bool procsim_handles_sigterm(const struct procsim *p)
{
	return p->sigterm;
}

int procsim_exec(const char *const *argv, size_t argc, struct procfs *fs,
		 const struct procsim_world *w, int64_t cap_ms, int64_t *dur_ms, char *out,
		 size_t outlen)
{
	struct procsim *p = xcalloc(1, sizeof(*p));
	p->http_port = -1;
	p->outcap = 1;
	p->out = xcalloc(1, 1);
	p->root = psnode_from_argv(argv, argc, 0);
	push(p, p->root);
	procsim_run(p, cap_ms, fs, w);
	int rc;
	if (p->exited) {
		rc = p->exit_code;
		*dur_ms = p->exit_at;
	} else {
		rc = 137;
		*dur_ms = cap_ms;
	}
	if (out && outlen) {
		snprintf(out, outlen, "%s", p->out ? p->out : "");
	}
	procsim_free(p);
	return rc;
}
