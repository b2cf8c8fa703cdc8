#ifndef PODSCOPE_SIM_PROCSIM_H
#define PODSCOPE_SIM_PROCSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * How a simulated container behaves: its filesystem (a set of paths), the
 * well-known images, and a small interpreter for the shell command shapes
 * pods use (`sh -c "sleep 10 && exit 1"`, `until nslookup svc; do sleep 1;
 * done`, `touch /tmp/healthy; sleep 30; rm -f /tmp/healthy; sleep 600`, ...).
 * Everything runs on simulated time handed in by the caller: a process is
 * advanced to a time and says when it next needs to run. No real process,
 * file or socket is ever touched.
 */

/* What a command may ask of the cluster around it. */
struct procsim_world {
	/* Does NAME resolve (nslookup, wget): a Service, "svc.ns", "svc.ns.svc...". */
	bool (*resolves)(void *ud, const char *name);
	void *ud;
};

/* --- the container filesystem ------------------------------------------ */

struct procfs;

struct procfs *procfs_new(void);
void procfs_free(struct procfs *fs);
bool procfs_exists(const struct procfs *fs, const char *path);
void procfs_add(struct procfs *fs, const char *path);
/* Remove path, and everything under it when recursive. True if something went. */
bool procfs_remove(struct procfs *fs, const char *path, bool recursive);
/* Changes so far (probes re-check when it moves). */
unsigned procfs_generation(const struct procfs *fs);

/* --- images -------------------------------------------------------------- */

/* What an image is known to do when run with its default command. */
struct procimage {
	const char *name;               /* repository's last path component: "nginx" */
	const char *const *default_cmd; /* NULL-terminated; NULL: a generic server */
	const char *const *files;       /* paths present at start, NULL-terminated */
	const char *http_root;          /* where its HTTP server serves from, or NULL */
	int http_port;                  /* 0: any port the container declares */
	bool handles_sigterm;           /* PID 1 stops on SIGTERM (else: killed at the end) */
	int stop_ms;                    /* how long it takes to stop on SIGTERM */
	int log_style;                  /* enum procsim_log_style: what its server prints */
};

/* How a server image logs its start, its requests and its stop. */
enum procsim_log_style { PROCLOG_NONE = 0, PROCLOG_NGINX, PROCLOG_HTTPD };

/* The entry for an image reference ("docker.io/library/nginx:1.27@sha..."). */
const struct procimage *procimage_find(const char *image);

/* --- processes ------------------------------------------------------------ */

struct procsim;

/*
 * Start a container's main process at start_ms: argv is `command` + `args`
 * as the runtime runs them (the caller resolves the image's defaults with
 * procsim_argv). fs gets the image's files.
 */
struct procsim *procsim_start(const char *const *argv, size_t argc, const struct procimage *img,
			      int64_t start_ms);
void procsim_free(struct procsim *p);

/*
 * The argv a runtime runs: command + args; when command is empty, the image's
 * default command with args replacing its arguments, as Docker's ENTRYPOINT /
 * CMD rules would for these images. Returns a NULL-terminated heap array
 * (free with procsim_argv_free); *argc gets its length.
 */
char **procsim_argv(const char *const *command, size_t ncommand, const char *const *args,
		    size_t nargs, const struct procimage *img, size_t *argc);
void procsim_argv_free(char **argv);

/*
 * Where the process prints (podlog.h): every line of its stdout and stderr,
 * stamped with the simulated time it is printed at. Takes a reference; the
 * log is closed when the process is freed (the container has ended).
 */
struct podlog;
void procsim_set_log(struct procsim *p, struct podlog *log);

/* An HTTP request its server answered at t (a kubelet probe): a server
 * image writes its access-log line. */
void procsim_http_request(struct procsim *p, int64_t t, const char *client, const char *path,
			  int status, const char *agent);

/* The kubelet sends SIGTERM at t: a server image says it is stopping. */
void procsim_sigterm(struct procsim *p, int64_t t);

/* Run the process up to now_ms. */
void procsim_run(struct procsim *p, int64_t now_ms, struct procfs *fs,
		 const struct procsim_world *w);
bool procsim_exited(const struct procsim *p);
int procsim_exit_code(const struct procsim *p);
int64_t procsim_exit_at(const struct procsim *p);
/* When procsim_run must be called next (INT64_MAX: never by itself); once it
 * has exited, the time it exited. */
int64_t procsim_wake(const struct procsim *p);
/* The port its HTTP server listens on: -1 none, 0 any, else the port. */
int procsim_http_port(const struct procsim *p);
/* The directory its HTTP server serves, or NULL. */
const char *procsim_http_root(const struct procsim *p);
/* Whether PID 1 stops on SIGTERM (a shell or sleep as PID 1 does not). */
bool procsim_handles_sigterm(const struct procsim *p);

/*
 * The container's memory limit in bytes (0: none). A process that asks for
 * more (the `stress --vm N --vm-bytes SIZE` of the Kubernetes docs' memory
 * examples) is killed by the kernel's OOM killer: exit 137, and
 * procsim_oom_killed says so (the kubelet's reason OOMKilled).
 */
void procsim_set_mem_limit(struct procsim *p, int64_t bytes);
bool procsim_oom_killed(const struct procsim *p);

/*
 * Run a command inside a container to completion (exec probes, exec hooks,
 * kubectl exec): returns the exit status; *dur_ms gets how long it took in
 * simulated time (capped at cap_ms, then 137: killed), out its output.
 */
int procsim_exec(const char *const *argv, size_t argc, struct procfs *fs,
		 const struct procsim_world *w, int64_t cap_ms, int64_t *dur_ms, char *out,
		 size_t outlen);

#endif
