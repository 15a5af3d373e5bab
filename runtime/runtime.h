/*
** runtime.h: executes Linux artifacts (emitters/linux.c) as a sandboxed
** process. The runtime never reads policy text: `sbxc run` hands it the
** artifact bundle it just built in memory, `sbxc exec` the files of an
** artifact directory.
**
** Two backends:
**   linux-landlock  in this process: no_new_privs, the Landlock ruleset,
**                   capabilities dropped, the seccomp filter, then exec
**   linux-bwrap     bubblewrap runs the policy's mounts and namespaces,
**                   installs the seccomp filter (in its own pid 1 too) and
**                   starts sbxc's hidden inner stage inside, which checks
**                   the filter, makes every mount private (nothing mounted
**                   on the host later appears inside), sets no_new_privs,
**                   drops capabilities and execs the command. On the fast
**                   path (known_good below, launch.c) there is no inner
**                   stage: bubblewrap starts in a private mount namespace
**                   and execs the command itself.
** `auto` picks Landlock when the manifest says it enforces the profile and
** the kernel has the Landlock ABI it needs, bubblewrap otherwise.
**
** Exit status: the command's own (128 + N when signal N killed it); 125
** when the sandbox cannot be set up (diagnostics in the ctx; the command
** never runs unsandboxed), or when a bubblewrap sandbox was stopped because
** a path its mounts depend on changed outside it (E0772, hostwatch.c); 126
** when it cannot be executed, 127 when it is not found (inside the sandbox
** too: the inner stage reports exec failure on a side channel, never
** through the command's exit status; on the fast path it is looked up
** before the sandbox starts, and a failure inside is 125, E0781).
**
** Only stdin, stdout and stderr reach the sandboxed command: an inherited
** descriptor of a directory would reach around bubblewrap's mounts.
*/
#ifndef SBX_RUNTIME_H
#define SBX_RUNTIME_H

#include "ctx.h"
#include "emitter.h"
#include "target.h"

#include <stdbool.h>
#include <stdio.h>

struct sbx_run_opts {
	enum sbx_backend backend; /* SBX_BACKEND_AUTO, or the one --linux-backend names */
	const char *bwrap;        /* --bwrap FILE, or NULL to search PATH */
	const char *cwd;          /* the command's working directory (absolute) */
	char *const *argv;        /* the command, argv[0] searched on PATH */
	bool dry_run;             /* print the backend and what would run instead */
	FILE *out;                /* where --dry-run prints */
	bool recheck;             /* `sbxc exec`: re-check the recorded facts first */
	int landlock_abi_cap;     /* test hook (stricter only): -1 for none */
	const char *tinyproxy;    /* --tinyproxy FILE, or NULL to search PATH */
	int status_fd;            /* --status-fd: where the outcome line goes, or -1 */
	bool *status_done;        /* set once a line went to status_fd (may be NULL) */
	/* In (issue 14; the run cache, runcache.c, sets it on a hit): this exact
	** run already set up on this machine, so the diagnosing path can be
	** skipped. Then, and when the artifacts have no proxy bridge, bubblewrap
	** is started on the fast path (launch.c): no inner stage, no pipe on
	** its stderr. It never weakens the sandbox; it only makes a bubblewrap
	** failure less explained (E0781 instead of E0703/E0704). `sbxc exec`
	** should get it the same way (a record of artifacts with the same bytes
	** that set up here), never always: the first run of artifacts on a
	** machine must be able to explain a bubblewrap failure. */
	bool known_good;
	/* Out, written by the runtime (the options are the caller's, never
	** const there): bubblewrap finished its setup and, on the diagnosing
	** path, the inner stage checked the filter, restricted itself and
	** executed the command (not after an `E` record: a command the
	** profile hides would be E0781 on the fast path, 126/127 here); on the fast
	** path bubblewrap reported the command's exit code. A run is recorded
	** as known good only then. Never set on the Landlock path. */
	bool set_up;
};

/* --status-fd: writes one line to o->status_fd, if any. `started` when the
** command starts (written just before an in-process exec, and by the
** bubblewrap launcher once the command ran), `refused STATUS CODE` when
** sbxc ends without the command's own status (STATUS is sbxc's exit status,
** CODE the first error diagnostic, or `-`). The last line written is the
** outcome. */
void sbx_runtime_status_line(const struct sbx_run_opts *o, const char *line);

/* A bubblewrap binary that was found and probed. */
struct sbx_bwrap_found {
	const char *path; /* absolute */
	bool perms;       /* --help mentions --perms */
	bool argv0;       /* --help mentions --argv0 (bubblewrap >= 0.9) */
};

/* This machine, as the backend chooser (target.h) asks about it: can a
** backend run here? Landlock needs the kernel's ABI to be at least what the
** ruleset needs (E0705, E0706); bubblewrap must be found and usable
** (E0701, E0702); either needs its artifact files (E0710). */
struct sbx_runtime_host {
	struct sbx_host host; /* pass &h->host to sbx_target_choose() */
	const struct sbx_run_opts *o;
	int kernel_abi;
	struct sbx_bwrap_found bwrap; /* valid once bubblewrap was found */
	bool bwrap_tried;
	enum sbx_status bwrap_status;
	bool bwrap_reported; /* the search already said why it failed */
};

void sbx_runtime_host_init(struct sbx_runtime_host *h, const struct sbx_run_opts *o);

/* Reads the files of an artifact directory into a bundle. E0710 (and
** SBX_EIO) when it is not one. */
enum sbx_status sbx_runtime_load_dir(struct sbx_ctx *ctx, const char *dir, struct sbx_bundle *out);

/* What must stay out of reach of the sandbox it decides. */
enum sbx_guarded {
	SBX_GUARD_ARTIFACT_DIR, /* E0719 */
	SBX_GUARD_POLICY_FILE,  /* E0720 */
};

/* SBX_EUNSUPPORTED with E0719 / E0720 when the artifacts' sandbox could
** write `path` (an artifact directory or the policy file) or rename one of
** its ancestors: a command run in it could rewrite what decides the next
** sandbox. Not checked when the sandbox may write the whole filesystem.
** Also E0710 for artifacts that do not parse. */
enum sbx_status sbx_runtime_check_unwritable(struct sbx_ctx *ctx, const struct sbx_bundle *b,
                                             const char *path, enum sbx_guarded what);

/* Runs o->argv under the artifacts. Returns the exit status to report (see
** above); does not return when the command is exec'd in this process. When
** it returns with *restricted set, this process already restricted itself
** (the exec failed): render the diagnostics and leave with _exit(), since
** exit handlers (a sanitizer's leak check uses ptrace) may not work. */
int sbx_runtime_run(struct sbx_ctx *ctx, const struct sbx_bundle *b, const struct sbx_run_opts *o,
                    bool *restricted);

/* Runs o->argv under the macOS artifacts of b (runtime/macos.c): execs
** /usr/bin/sandbox-exec with argv.json, the profile read from `dir` (an
** artifact directory) or, when dir is NULL, passed inline. With
** o->dry_run it prints the profile and the argv instead; on other hosts
** that is all it can do (E0730 otherwise). Returns the exit status to report
** when it does not exec. */
int sbx_runtime_run_macos(struct sbx_ctx *ctx, const struct sbx_bundle *b, const char *dir,
                          const struct sbx_run_opts *o);

/* The Landlock ABI of the running kernel (0 when there is none), capped by
** the test hook SBXC_TEST_LANDLOCK_ABI or `cap` (>= 0). A cap can only lower
** the ABI: it makes sbxc stricter, never weaker. */
int sbx_landlock_kernel_abi(int cap);

/* ---- the cache of compiled runs (runcache.c, spec/runcache.md) ---- */

/* What `sbxc run` compiles besides the policy and the filesystem: the key of
** an entry, with what runcache.c adds itself (sbxc's executable, the uid
** and gids, the environment, the kernel, the Landlock ABI, bubblewrap's
** identity). */
struct sbx_runcache_key {
	char *const *options;    /* sbxc's arguments before the command, verbatim */
	size_t noptions;         /* how many */
	const char *cwd;         /* absolute */
	const char *policy_file; /* absolute, or NULL (built-in profile) */
	bool color;              /* diagnostics are rendered in colour */
	const struct sbx_run_opts *ro;
};

struct sbx_runcache;

/* The cache for this run, or NULL when it is off: --no-cache or
** SBXC_NO_CACHE=1 (no_cache), a policy file that cannot be read whole, no
** cache directory, no key in the kernel keyring. SBXC_CACHE_LOG=FD: a line per decision on FD
*(tests). */
struct sbx_runcache *sbx_runcache_open(const struct sbx_runcache_key *k, bool no_cache);

/* A hit: prints the diagnostics the compile printed, sets o->known_good and
** runs the cached artifacts as sbx_runtime_run() does (same exit status;
** it does not return when the command is exec'd here). -1 on a miss, when
** nothing was printed or run. A hit holds only when the entry is sbxc's own
** (owner, mode, links, no symlink on its way), intact (its MAC), of
** exactly this key, when every path the compile looked at is as it was,
** the artifacts' recorded facts re-check and the sandbox they describe
** could not write the cache. */
int sbx_runcache_run(struct sbx_ctx *ctx, struct sbx_runcache *c, struct sbx_run_opts *o,
                     bool *restricted);
/* On a miss, before compiling: record what the passes look at. */
void sbx_runcache_watch(struct sbx_runcache *c, struct sbx_ctx *ctx);
/* After a compile without errors: the entry to store (what the watched
** paths are now, the artifacts, the diagnostics text). Nothing when the
** bytes compiled are not those of the key or the sandbox could write the
** cache (the cache is then emptied). */
void sbx_runcache_prepare(struct sbx_ctx *ctx, struct sbx_runcache *c, const struct sbx_bundle *b,
                          const char *text, size_t len);
/* Writes the prepared entry (atomically, mode 0600); set_up: bubblewrap set
** this run up (the next hit's known_good). */
void sbx_runcache_store(struct sbx_runcache *c, bool set_up);
/* Frees c; when the sandbox of the run could write the cache, empties it
** (again: what the run may have put there). */
void sbx_runcache_free(struct sbx_runcache *c);

/* The hidden inner stage (`sbxc exec --inner-stage ...`, inside bubblewrap).
** Never returns: it execs the command, or leaves with _exit() and the exit
** status to use. */
_Noreturn int sbx_runtime_inner(int argc, char **argv);

/* Exit statuses of run and exec besides the command's own. */
#define SBX_RT_EXIT_SANDBOX 125
#define SBX_RT_EXIT_CANNOT_EXEC 126
#define SBX_RT_EXIT_NOT_FOUND 127

/* The first argument that selects the inner stage. */
#define SBX_INNER_STAGE_FLAG "--inner-stage"

#endif
