/*
** rt_int.h: what the files of the runtime share (not part of runtime.h).
**
**   artifacts.c   parsing and validating the artifact files (E0710)
**   bwrap_find.c  finding bubblewrap and probing its --help (E0701, E0702)
**   launch.c      running bubblewrap, its exit status, cleanup (E0703, E0704;
**                 the fast path: E0781)
**   cmdpath.c     finding the command before the fast path starts bubblewrap
**   inner.c       the inner stage inside bubblewrap (not on the fast path)
**   landlock.c    Landlock ABI detection and the ruleset (E0705, E0706)
**   restrict.c    no_new_privs, capabilities, seccomp, descriptors
**   recheck.c     exec-time re-check of recorded facts (E0708, E0709)
**   hostwatch.c   stopping the sandbox when the host changes what a mount
**                 depends on (E0772, E0773)
**   bwrap_trust.c a bwrap the sandbox could plant or change (E0770, E0771)
**   writable.c    what the sandbox can write: mounts across symlinks it may
**                 have made (E0708), a writable artifact directory (E0719)
**   run.c         backend choice, --dry-run, exec in this process
*/
#ifndef SBX_RT_INT_H
#define SBX_RT_INT_H

#include "runtime.h"

#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>

struct sbx_strbuf;

/* The parsed artifacts: jansson documents owned here (rt_artifacts_free). */
struct rt_artifacts {
	json_t *manifest, *bwrap, *landlock, *seccomp;
	const struct sbx_blob *bwrap_args, *bpf;
	bool disabled;
	bool ll_enforces, bw_enforces;
	int ll_abi; /* what the ruleset needs (landlock.json "abi"), else the manifest's */
	bool has_ll, has_bw;
	/* What the chooser (target.h) knows from the manifest, per backend. */
	struct sbx_choice choice;
	unsigned data_fds; /* bwrap.json data_fds.count */
	/* proxy-only (proxy_bridge.c): proxy.json, and with domain rules the
	** tinyproxy files; NULL otherwise */
	json_t *proxy;
	const struct sbx_blob *tp_conf, *tp_filter;
};

enum sbx_status rt_artifacts_parse(struct sbx_ctx *ctx, const struct sbx_bundle *b,
                                   struct rt_artifacts *a);
/* sbx_runtime_run() after the parse (run.c); a stays the caller's to free. */
int rt_run_parsed(struct sbx_ctx *ctx, struct rt_artifacts *a, const struct sbx_run_opts *o,
                  bool *restricted);
void rt_artifacts_free(struct rt_artifacts *a);
/* Reasons recorded in the manifest for a backend that does not enforce the
** profile, added as notes to d. */
void rt_manifest_reasons(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *backend,
                         struct sbx_diag *d);

/* bubblewrap (struct sbx_bwrap_found: runtime.h) */
/* Finds (explicit or on PATH, not inside cwd) and probes bubblewrap.
** SBX_OK, or E0701/E0702 after which the caller may still fall back. When
** quiet, a missing bubblewrap is reported by the return value only. */
enum sbx_status rt_bwrap_find(struct sbx_ctx *ctx, const char *explicit_path, const char *cwd,
                              bool quiet, struct sbx_bwrap_found *out);
/* Before the bubblewrap found is probed or run: E0770/E0771 when the
** sandbox of these artifacts could change it or plant one on PATH
** (bwrap_trust.c), then its --help probe (cached where the sandbox cannot
** write): E0702 when it lacks --perms. */
enum sbx_status rt_bwrap_vet(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                             const struct sbx_run_opts *o, struct sbx_bwrap_found *bw);
/* Runs the command under bubblewrap; returns the exit status. */
int rt_launch_bwrap(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                    const struct sbx_bwrap_found *bw, const struct sbx_run_opts *o);
/* --dry-run: the exact bubblewrap argv, the descriptors it gets and the
** argument file, one option per line. */
void rt_print_bwrap(struct sbx_ctx *ctx, FILE *out, const struct rt_artifacts *a,
                    const struct sbx_bwrap_found *bw, const struct sbx_run_opts *o);

/* Writes w shell-quoted when it needs to be (for --dry-run). */
void rt_put_word(FILE *out, const char *w);

/* Landlock: applies the ruleset to this process (no_new_privs first). */
enum sbx_status rt_landlock_apply(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                  int kernel_abi);

/* restrict.c: each returns 0 or an errno value, and is async-signal-safe
** where the inner stage needs it. */
int rt_set_no_new_privs(void);
int rt_drop_capabilities(void);
int rt_install_seccomp(const unsigned char *bpf, size_t len);
/* Marks every descriptor above 2 except `keep` (-1: none) close-on-exec. */
void rt_cloexec_from(int keep);
/* Applies the in-process part shared by Landlock and unsandboxed-but-
** filtered runs: capabilities, seccomp, descriptors. E0716 on failure. */
enum sbx_status rt_restrict_self(struct sbx_ctx *ctx, const struct rt_artifacts *a);

/* The name of an inner-stage step reported on the status pipe, and what to
** do about its failure (NULL when there is nothing to say). */
const char *rt_inner_stage_name(int stage);
const char *rt_inner_stage_help(int stage);

/* Maps an exec errno to 126/127 with E0714/E0715. */
int rt_exec_failed(struct sbx_ctx *ctx, const char *cmd, int err, bool inside);

/* cmdpath.c: 0, or the errno value with which execvp(cmd) would fail in
** the working directory cwd with this process's PATH and ids (the fast
** path's check before bubblewrap starts). */
int rt_lookup_command(const char *cmd, const char *cwd);

/* recheck.c: re-observes the manifest's facts (and, for bubblewrap, what
** its emitter observed, and the deny-glob matches). SBX_OK or E0708/E0709. */
enum sbx_status rt_recheck(struct sbx_ctx *ctx, const struct rt_artifacts *a, bool bwrap);
/* recheck.c: bwrap.json's synthetic mount targets as an object path ->
** kind (a new reference; an empty object without any), and whether one is
** as the artifacts need it (missing, or empty with sbxc's modes: another
** run's, which concurrent runs make and remove). */
json_t *rt_synthetic_index(json_t *bwrap);
bool rt_synthetic_unchanged(const char *kind, const char *path);

/* writable.c: E0708 when a mount of bwrap.args crosses a symlink in a
** directory the sandbox can write (it may have put it there). */
enum sbx_status rt_check_mount_symlinks(struct sbx_ctx *ctx, const struct rt_artifacts *a);

/* writable.c: where (at or above the absolute `path`, which may not exist,
** as written and as it really is) the bubblewrap sandbox of the artifacts
** could change it: write it, or rename an ancestor that is not a mount
** point; NULL when it cannot. *all is set (and "/"
** returned) when it may write the whole filesystem. */
const char *rt_bwrap_changes(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *path,
                             bool *all);

/* writable.c: the query behind E0719 and E0720 (sbx_runtime_check_unwritable)
** for both backends of the artifacts: where, at or above `path` (relative to
** the current directory, as written and as it really is, *canonical), the
** sandbox could write it or rename an ancestor; NULL when it cannot. *all
** is set (and "/" returned) when it may write the whole filesystem. */
const char *rt_sandbox_changes(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *path,
                               const char **canonical, bool *all);

/* bwrap_trust.c: E0770 when the sandbox could put a `bwrap` into a PATH
** entry that discovery consults before (or at) the one it uses, E0771 when
** it could change `bwrap` (the real path of the binary to run). Nothing is
** checked when it may write the whole filesystem. */
enum sbx_status rt_bwrap_trusted(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                 const char *bwrap, bool explicit_, const char *cwd);
/* bwrap_trust.c: may the probe cache in `dir` be used (neither the sandbox
** nor a symlink it made could have put its content there)? */
bool rt_bwrap_cache_usable(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *dir);

/* runcache.c: opens sbxc's cache directory of this user, or SUB below it
** (NULL: the directory itself), never through a symlink below its base nor
** when another user owns or may write a directory on the way; -1 if not. */
int rt_cache_dir_open(const char *sub, bool create, struct sbx_strbuf *path);

/* hostwatch.c: watches, from outside the sandbox, the entries its mounts
** depend on (bwrap.json `host_watch`). rt_watch_start: SBX_OK with *out
** NULL when there is nothing to watch; E0773 when they cannot be watched;
** E0772 when a listed missing path exists by now. rt_watch_changed reads
** the pending events and returns true, after E0772 (or E0773 for lost
** events), when a watched entry changed. */
struct rt_watch;
enum sbx_status rt_watch_start(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                               struct rt_watch **out);
int rt_watch_fd(const struct rt_watch *w);
bool rt_watch_changed(struct sbx_ctx *ctx, struct rt_watch *w);
void rt_watch_free(struct rt_watch *w);

/* proxy_bridge.c: the proxy-only mode of bubblewrap. The launcher passes the
** inner stage's end of the control socket as this variable's descriptor. */
#define RT_PROXY_CTL_ENV "SBXC_PROXY_CTL"
struct rt_proxy_route;
struct rt_proxy {
	bool active;
	int ctl[2]; /* [0] the launcher's (the bridge's) end, [1] the inner stage's */
	pid_t bridge, tinyproxy;
	uint16_t tinyport;
	struct rt_proxy_route *routes;
	size_t nroutes;
	const char *spec; /* what the inner stage receives */
	size_t speclen;
};
/* Reads proxy.json (and the tinyproxy files) when the manifest's network is
** "proxy". false after E0710. */
bool rt_proxy_parse(struct sbx_ctx *ctx, const struct sbx_bundle *b, struct rt_artifacts *a);
/* Before bubblewrap starts: checks the proxy environment (E0751), starts
** tinyproxy (E0750, E0752) and makes the control socket. Nothing to do (and
** SBX_OK) without proxy.json. */
enum sbx_status rt_proxy_prepare(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                 const char *tinyproxy, struct rt_proxy *p);
/* After bubblewrap started: the bridge process. */
enum sbx_status rt_proxy_start(struct sbx_ctx *ctx, struct rt_proxy *p);
/* Stops the bridge and tinyproxy and waits for them; idempotent. */
void rt_proxy_finish(struct rt_proxy *p);
/* In the inner stage: the listeners, handed out, and the variables; 0, or an
** errno value. Nothing to do without RT_PROXY_CTL_ENV. */
int rt_proxy_inner(void);

/* siphash.c: SipHash-2-4 of data under key; outlen 8 or 16 bytes. */
void rt_siphash(const unsigned char key[16], const void *data, size_t len, unsigned char *out,
                size_t outlen);

/* Reads a whole descriptor into a malloc'd buffer (at most max bytes). */
unsigned char *rt_read_fd(int fd, size_t max, size_t *len);

#endif
