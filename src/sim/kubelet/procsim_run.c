#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "podscope/buf.h"
#include "podscope/xalloc.h"
#include "podlog.h"
#include "procsim_int.h"

/* The interpreter: a stack of frames over the tree, resumable at a sleep. */

#define FOREVER INT64_MAX
/* A loop whose iteration takes no time would spin: sh would burn a CPU, we
 * let the clock move instead. */
#define SPIN_STEPS   2000
#define SPIN_MS      1000
#define EXEC_OUT_MAX (64 * 1024)
/* loggen prints in batches, at most this often (10,000 lines/s stay cheap). */
#define GEN_TICK_MS  100
#define GEN_RATE_MAX 1000000

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
	struct podlog *log; /* where a container's process prints */
	bool quiet;         /* the command running prints into a file */
	struct buf line;    /* the line being printed */
	/* loggen: line i is printed at gen_start + i * 1000 / gen_rate */
	bool gen_active;
	int64_t gen_start, gen_rate, gen_size;
	uint64_t gen_n, gen_count; /* count 0: forever */
	int gen_exit;
};

static void push(struct procsim *p, const struct psnode *n)
{
	if (p->sp == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 8;
		p->stack = xrealloc(p->stack, (size_t)p->cap * sizeof(*p->stack));
	}
	p->stack[p->sp++] = (struct frame){n, 0};
}

/* Text printed at p->t goes to the log a line at a time; a line longer
 * than the log takes is cut there, as the runtime splits it. */
static void log_text(struct procsim *p, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n' || p->line.len >= PODLOG_LINE_MAX) {
			podlog_write(p->log, p->t, false, p->line.data ? p->line.data : "",
				     p->line.len);
			buf_reset(&p->line);
			if (s[i] == '\n')
				continue;
		}
		buf_addc(&p->line, s[i]);
	}
}

/* What the process writes: to its log, and to procsim_exec's output. */
static void put(struct procsim *p, const char *s, size_t len)
{
	if (p->quiet)
		return;
	if (p->log)
		log_text(p, s, len);
	if ((!p->out && p->outcap == 0) || p->outlen + len > EXEC_OUT_MAX)
		return; /* only procsim_exec collects output, up to a cap */
	if (p->outlen + len + 1 > p->outcap) {
		p->outcap = (p->outlen + len + 1) * 2;
		p->out = xrealloc(p->out, p->outcap);
	}
	memcpy(p->out + p->outlen, s, len);
	p->outlen += len;
	p->out[p->outlen] = '\0';
}

static void say(struct procsim *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct procsim *p, const char *fmt, ...)
{
	if (!p->log && !p->out && p->outcap == 0)
		return; /* nobody reads it */
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	put(p, line, strlen(line));
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
		/* What stress prints when the kernel kills a worker. */
		say(p, "stress: FAIL: [1] (415) <-- worker 7 got signal 9\n");
		say(p, "stress: WARN: [1] (417) now reaping child worker processes\n");
		say(p, "stress: FAIL: [1] (451) failed run completed in 0s\n");
		p->oom_killed = true;
		p->exited = true;
		p->exit_code = 137;
		p->exit_at = p->t;
		return;
	}
	p->sleep_until = timeout_ms == FOREVER ? FOREVER : p->t + timeout_ms;
}

/* printf FORMAT [ARG...]: \n \t \\ escapes, %s %d %% conversions, the
 * format reused while arguments are left, as printf(1) does. */
static void run_printf(struct procsim *p, char **argv, int argc)
{
	const char *f = argv[0];
	int a = 1;
	do {
		for (const char *s = f; *s; s++) {
			if (*s == '\\' && s[1]) {
				s++;
				char e = *s == 'n' ? '\n' : *s == 't' ? '\t' : *s;
				put(p, &e, 1);
			} else if (*s == '%' && s[1] == '%') {
				put(p, "%", 1);
				s++;
			} else if (*s == '%' && s[1]) {
				while (s[1] && strchr("-0123456789.", s[1]))
					s++; /* width and precision: ignored */
				s++;
				const char *v = a < argc ? argv[a++] : (*s == 'd' ? "0" : "");
				put(p, v, strlen(v));
			} else {
				put(p, s, 1);
			}
		}
	} while (a > 1 && a < argc);
}

/* A loggen line: its number, padded with a repeated alphabet to size bytes. */
static void gen_line(struct procsim *p, uint64_t i)
{
	char line[PODLOG_LINE_MAX + 64];
	int n = snprintf(line, sizeof(line), "loggen line %llu", (unsigned long long)i + 1);
	size_t len = n > 0 ? (size_t)n : 0;
	while (len < (size_t)p->gen_size && len < PODLOG_LINE_MAX) {
		line[len] = len == (size_t)n ? ' ' : (char)('a' + (len - (size_t)n - 1) % 26);
		len++;
	}
	podlog_write(p->log, p->gen_start + (int64_t)(i * 1000 / (uint64_t)p->gen_rate), false,
		     line, len);
}

/*
 * loggen [--rate N] [--count M] [--size B] [--exit CODE]: N lines a second
 * (default 10) up to M lines (default 0: forever), each B bytes at least,
 * then exit with CODE. Lines are due at exact times and printed in batches
 * of GEN_TICK_MS.
 */
static void run_loggen(struct procsim *p, char **argv, int argc)
{
	int64_t rate = 10, count = 0, size = 0, code = 0;
	for (int i = 1; i + 1 < argc; i++) {
		int64_t *v = !strcmp(argv[i], "--rate")    ? &rate
			     : !strcmp(argv[i], "--count") ? &count
			     : !strcmp(argv[i], "--size")  ? &size
			     : !strcmp(argv[i], "--exit")  ? &code
							   : NULL;
		if (v)
			*v = strtoll(argv[++i], NULL, 10);
	}
	if (rate < 1 || rate > GEN_RATE_MAX || count < 0 || size < 0) {
		say(p, "loggen: bad argument\n");
		p->status = 2;
		return;
	}
	p->gen_active = true;
	p->sigterm = true; /* it stops on SIGTERM at once */
	p->gen_start = p->t;
	p->gen_rate = rate;
	p->gen_count = (uint64_t)count;
	p->gen_size = size > PODLOG_LINE_MAX ? PODLOG_LINE_MAX : size;
	p->gen_n = 0;
	p->gen_exit = (int)(code & 0xff);
	p->sleep_until = p->t;
}

/* Print the lines due by now; false while more are to come. */
static bool loggen_run(struct procsim *p, int64_t now_ms)
{
	uint64_t due = 0;
	if (now_ms >= p->gen_start)
		due = (uint64_t)(now_ms - p->gen_start) * (uint64_t)p->gen_rate / 1000 + 1;
	if (p->gen_count && due > p->gen_count)
		due = p->gen_count;
	if (p->log) {
		/* After a long jump of the clock, lines the log would drop at once are
		 * never made. */
		uint64_t fit =
		    PODLOG_CAP_BYTES / (uint64_t)(p->gen_size > 16 ? p->gen_size : 16) + 1;
		if (due > p->gen_n + fit)
			p->gen_n = due - fit;
		for (; p->gen_n < due; p->gen_n++)
			gen_line(p, p->gen_n);
	}
	p->gen_n = due;
	int64_t next = p->gen_start + (int64_t)(p->gen_n * 1000 / (uint64_t)p->gen_rate);
	if (p->gen_count && p->gen_n >= p->gen_count) {
		p->gen_active = false;
		int64_t last =
		    p->gen_start + (int64_t)((p->gen_n - 1) * 1000 / (uint64_t)p->gen_rate);
		p->t = p->sleep_until = last > p->t ? last : p->t;
		p->status = p->gen_exit;
		return true;
	}
	p->sleep_until = next > now_ms + GEN_TICK_MS ? next : now_ms + GEN_TICK_MS;
	return false;
}

/* "2026/12/07 06:31:19", nginx's error-log time. */
static void nginx_time(int64_t t, char *buf, size_t n)
{
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	gmtime_r(&s, &tm);
	strftime(buf, n, "%Y/%m/%d %H:%M:%S", &tm);
}

/* What a server image prints as it starts. */
static void log_start(struct procsim *p, const char *c)
{
	if (!p->img || strcmp(p->img->name, c) != 0)
		return;
	char ts[32];
	nginx_time(p->t, ts, sizeof(ts));
	switch (p->img->log_style) {
	case PROCLOG_NGINX:
		say(p, "/docker-entrypoint.sh: Configuration complete; ready for start up\n");
		say(p, "%s [notice] 1#1: using the \"epoll\" event method\n", ts);
		say(p, "%s [notice] 1#1: start worker processes\n", ts);
		say(p, "%s [notice] 1#1: start worker process 29\n", ts);
		break;
	case PROCLOG_HTTPD:
		say(p, "AH00558: httpd: Could not reliably determine the server's fully qualified "
		       "domain name, using 127.0.0.1. Set the 'ServerName' directive globally to "
		       "suppress this message\n");
		say(p, "[mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4 (Unix) configured -- "
		       "resuming normal operations\n");
		break;
	}
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
	p->quiet = n->quiet;
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
	if (strcmp(c, "echo") == 0) {
		int i = 1;
		bool nl = true;
		if (i < argc && strcmp(argv[i], "-n") == 0) {
			nl = false;
			i++;
		}
		for (int first = i; i < argc; i++) {
			if (i > first)
				put(p, " ", 1);
			put(p, argv[i], strlen(argv[i]));
		}
		if (nl)
			put(p, "\n", 1);
		return;
	}
	if (strcmp(c, "printf") == 0) {
		if (argc > 1)
			run_printf(p, argv + 1, argc - 1);
		return;
	}
	if (strcmp(c, "loggen") == 0) {
		run_loggen(p, argv, argc);
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
			log_start(p, c);
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
		if (p->gen_active && !loggen_run(p, now_ms))
			return;
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

void procsim_set_log(struct procsim *p, struct podlog *log)
{
	podlog_unref(p->log);
	p->log = log ? podlog_ref(log) : NULL;
}

void procsim_http_request(struct procsim *p, int64_t t, const char *client, const char *path,
			  int status, const char *agent)
{
	if (!p->log || p->exited || !p->img || !p->http_root)
		return;
	time_t s = (time_t)(t / 1000);
	struct tm tm;
	char when[40];
	gmtime_r(&s, &tm);
	strftime(when, sizeof(when), "%d/%b/%Y:%H:%M:%S +0000", &tm);
	int64_t was = p->t;
	p->t = t > p->t ? t : p->t;
	size_t bytes = status == 200 ? 615 : 153; /* nginx's index.html and 404 page */
	if (p->img->log_style == PROCLOG_NGINX)
		say(p, "%s - - [%s] \"GET %.200s HTTP/1.1\" %d %zu \"-\" \"%s\" \"-\"\n", client,
		    when, path, status, bytes, agent);
	else if (p->img->log_style == PROCLOG_HTTPD)
		say(p, "%s - - [%s] \"GET %.200s HTTP/1.1\" %d %zu\n", client, when, path, status,
		    status == 200 ? (size_t)45 : (size_t)196);
	p->t = was;
}

void procsim_sigterm(struct procsim *p, int64_t t)
{
	if (!p->log || p->exited || !p->img || !p->sigterm)
		return;
	int64_t was = p->t;
	p->t = t > p->t ? t : p->t;
	char ts[32];
	nginx_time(p->t, ts, sizeof(ts));
	if (p->img->log_style == PROCLOG_NGINX) {
		say(p, "%s [notice] 1#1: signal 15 (SIGTERM) received, exiting\n", ts);
		say(p, "%s [notice] 1#1: exit\n", ts);
	} else if (p->img->log_style == PROCLOG_HTTPD) {
		say(p, "[mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down\n");
	} else if (p->gen_active) {
		say(p, "loggen: SIGTERM after %llu lines\n", (unsigned long long)p->gen_n);
	}
	p->t = was;
}

void procsim_free(struct procsim *p)
{
	if (!p)
		return;
	if (p->log) {
		if (p->line.len) /* a last line without its newline */
			podlog_write(p->log, p->t, false, p->line.data, p->line.len);
		podlog_close(p->log);
		podlog_unref(p->log);
	}
	buf_free(&p->line);
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
