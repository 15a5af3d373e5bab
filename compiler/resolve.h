/*
** resolve.h: the semantic pass. A profile (ir.h) plus a resolution context
** (cwd, home, tmpdir, workspace roots, path flavour) becomes a resolved
** policy: concrete absolute paths, the effective access of every path, the
** derived views the backends consume, the legacy projection and round-trip
** verdict, and for each backend whether it can enforce the policy exactly.
**
** The filesystem is consulted only where the rules need it (.git pointer
** files, existence of carve-outs, symlinks under writable roots); each such
** fact is recorded in `facts` so artifacts can state what they assumed, and
** the runtime can re-check them before it executes anything. Offline
** resolution (probe = false, or a target that is not this machine) records
** assumptions instead of guessing.
**
** Everything is arena-owned by the ctx passed to sbx_resolve().
*/
#ifndef SBX_RESOLVE_H
#define SBX_RESOLVE_H

#include "ctx.h"
#include "diag.h"
#include "ir.h"
#include "path.h"
#include "proxy_env.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* ORDER SBX_BACKEND: names in sbx_backend_name(). */
enum sbx_backend {
	SBX_BACKEND_MACOS_SEATBELT,
	SBX_BACKEND_LINUX_BWRAP,
	SBX_BACKEND_LINUX_LANDLOCK,
	SBX_BACKEND_WINDOWS_ELEVATED,
	SBX_BACKEND_WINDOWS_UNELEVATED,
	SBX_BACKEND_COUNT
};

struct sbx_macos;

enum sbx_target_os { SBX_OS_MACOS, SBX_OS_LINUX, SBX_OS_WINDOWS, SBX_OS_COUNT };

struct sbx_resolve_opts {
	enum sbx_flavor flavor;         /* path flavour of the target */
	const char *cwd;                /* absolute; the first workspace root */
	const char *home;               /* absolute, or NULL if unknown (~ entries then fail) */
	const char *tmpdir;             /* absolute, or NULL: :tmpdir matches nothing */
	const char *const *extra_roots; /* -W roots, absolute or cwd-relative */
	size_t nextra_roots;
	bool probe; /* may consult this machine's filesystem */
	/* The OS resolved for: it picks the platform default read roots of
	** `:minimal` (sbx_platform_read_roots). When os_given is false the OS
	** follows the flavour: Linux for POSIX, Windows for Windows. */
	bool os_given;
	enum sbx_target_os os;
	/* What decides the next sandbox, when known (absolute POSIX paths, or
	** NULL): the resolution refuses a policy whose sandbox could change
	** them (guard.c: E0720, E0719). */
	const char *policy_file;  /* `run -c FILE`, `compile FILE`, `lint FILE` */
	const char *artifact_dir; /* `compile -o DIR` */
	/* The environment the command will run with, for its proxy variables
	** ("NAME=VALUE", NULL-terminated; NULL: none). `sbxc` passes its own;
	** goldens and tests pass a fixed one. Read by the OS's rule set
	** (proxy_env.h) in the network decision. */
	const char *const *env;
	/* `run --bwrap FILE` (absolute), else NULL: bubblewrap is searched on
	** the PATH of env (guard_bwrap.c: E0770, E0771) */
	const char *bwrap;
};

/* Why a path has the access it has. */
enum sbx_origin {
	SBX_ORIGIN_ENTRY,       /* a profile entry (src) */
	SBX_ORIGIN_GIT,         /* default read-only carve-out <root>/.git */
	SBX_ORIGIN_GITDIR,      /* the target of a <root>/.git `gitdir:` pointer file */
	SBX_ORIGIN_AGENTS,      /* <root>/.agents */
	SBX_ORIGIN_CODEX,       /* <root>/.codex */
	SBX_ORIGIN_PROTECTED,   /* a protected metadata name under a writable root */
	SBX_ORIGIN_NO_MATCH,    /* no rule matched: denied */
	SBX_ORIGIN_UNSANDBOXED, /* the profile disables the sandbox */
	SBX_ORIGIN_PLATFORM,    /* a platform default read root (`:minimal`) */
	SBX_ORIGIN_FULL_READ    /* full-disk read: a path on another drive or share
	                           than the cwd's (Windows), readable like the rest */
};

struct sbx_rpath {
	const char *path; /* absolute, normalized, target flavour */
	enum sbx_origin origin;
	const struct sbx_fs_entry *src; /* the entry, for SBX_ORIGIN_ENTRY; else NULL */
	const struct sbx_rpath *via;    /* GITDIR: the .git pointer it came from */
	uint32_t node; /* private to the semantic pass (its trie node + 1; 0 unknown) */
};

struct sbx_writable_root {
	struct sbx_rpath root;
	struct sbx_rpath *read_only; /* read-only subpaths: default carve-outs and
	                                narrower non-write entries, by path */
	size_t nread_only;
	const char **protected_names; /* ".git", ".agents", ".codex" not granted write */
	size_t nprotected;
};

enum sbx_fact_kind {
	SBX_FACT_MISSING,
	SBX_FACT_DIR,
	SBX_FACT_FILE,
	SBX_FACT_SYMLINK,
	SBX_FACT_OTHER,
	SBX_FACT_GITDIR_POINTER, /* a file holding "gitdir: <target>" */
	SBX_FACT_NOT_SYMLINK,    /* no component of path below `target` (a writable
	                            root) is a symlink; it may or may not exist */
};

/* Something the resolution learned from (or assumed about) the filesystem. */
struct sbx_fact {
	const char *path;
	enum sbx_fact_kind kind;
	const char *target; /* SYMLINK: link text; GITDIR_POINTER: resolved target */
	const char *reason; /* which rule needed it, e.g. "default .git carve-out" */
	bool assumed;       /* not observed: offline resolution assumed this */
};

/* The legacy model of the seed text (§2.1-§2.2), for the round-trip check. */
enum sbx_legacy_kind {
	SBX_LEGACY_KIND_READ_ONLY,
	SBX_LEGACY_KIND_WORKSPACE_WRITE,
	SBX_LEGACY_KIND_DANGER_FULL_ACCESS,
	SBX_LEGACY_KIND_EXTERNAL_SANDBOX,
};

struct sbx_legacy_policy {
	enum sbx_legacy_kind kind;
	bool full_read;                 /* else restricted read: readable_roots + cwd */
	bool include_platform_defaults; /* restricted read only */
	const char **readable_roots;
	size_t nreadable_roots;
	const char **writable_roots; /* workspace-write, besides cwd */
	size_t nwritable_roots;
	bool network_access;
	bool exclude_tmpdir_env_var;
	bool exclude_slash_tmp;
};

enum sbx_windows_identity {
	SBX_WIN_IDENTITY_NONE,
	SBX_WIN_IDENTITY_OFFLINE,
	SBX_WIN_IDENTITY_ONLINE
};

struct sbx_enforcement {
	bool ok;                   /* the backend enforces the policy exactly */
	bool applicable;           /* the backend handles the policy's path flavour; when
	                              false, ok is false, there are no reasons and
	                              notes[0] says why (a Windows backend and POSIX
	                              paths, or the reverse) */
	struct sbx_diag **reasons; /* when !ok: why, each with the responsible span;
	                              detached (see sbx_diag_make); report to show */
	size_t nreasons;
	int landlock_abi;                   /* LINUX_LANDLOCK: minimum ABI the policy needs; 0
	                                       when no filesystem ruleset is needed at all */
	enum sbx_windows_identity identity; /* WINDOWS_*: the sandbox user to run as */
	const char **notes;                 /* how the backend will enforce what is unusual, for
	                                       lint notes and `sbxc ir` (e.g. created directories) */
	size_t nnotes;
	size_t nmore;         /* reasons past SBX_MAX_DIAGNOSTICS: counted, not kept */
	bool restricted_read; /* WINDOWS_ELEVATED: the filesystem root is not readable;
	                         run under a token whose restricting SIDs are the
	                         plan's capabilities alone (R-SEM-37b) */
};

/* One file a deny glob matched on this machine (globwalk.h). */
struct sbx_glob_hit {
	const char *path; /* as spelled by the pattern's prefix */
	const char *dest; /* the same file below the canonical walk root */
	bool dir;         /* a directory, or a symlink to one */
};

/* What a deny glob matched on this machine. */
struct sbx_glob_result {
	const char *root;  /* the literal prefix the walk started at */
	const char *croot; /* its canonical location, NULL if it does not exist */
	struct sbx_glob_hit *hits;
	size_t n, cap;
	struct sbx_diag *err; /* sbx_glob_expand_detached(): why it failed */
};

/* The network a sandboxed command is given (spec/semantics.md, "The network
** decision"), decided once here; backends, `lint`, `explain` and the
** runtime read it. */
enum sbx_net_kind {
	SBX_NET_NONE,  /* no network at all */
	SBX_NET_FULL,  /* the host's network */
	SBX_NET_PROXY, /* only the loopback proxy endpoints (proxy-enforced) */
};

/* ORDER SBX_NET_BY: names in sbx_net_by_name(). */
enum sbx_net_by {
	SBX_NET_BY_UNSANDBOXED, /* full: the profile disables the sandbox */
	SBX_NET_BY_DISABLED,    /* none: `enabled` is false or absent */
	SBX_NET_BY_ENABLED,     /* full: `enabled = true` and nothing names a proxy */
	SBX_NET_BY_DOMAINS,     /* proxy: `domains` entries or `mode = "limited"` */
	SBX_NET_BY_MANAGED,     /* proxy: the managed proxy (`[features] network_proxy`) */
	SBX_NET_BY_PROFILE_URL, /* proxy: `proxy_url` or `socks_url` in the profile */
	SBX_NET_BY_ENV,         /* proxy: a proxy variable in the environment */
};

/* A set of host names: `base`, its subdomains, or both. */
struct sbx_host_set {
	const char *base; /* normalized: lowercase, no trailing dot */
	bool apex, sub;
	const struct sbx_net_rule *from; /* the allow rule */
};

struct sbx_net_decision {
	enum sbx_net_kind kind;
	enum sbx_net_by by;
	struct sbx_span span;     /* the setting that decided (no span: the environment,
	                             or a profile without a network table) */
	bool proxy_enforced;      /* a proxy rule applied (BY_DOMAINS..BY_ENV); kind is
	                             PROXY, or NONE when fail_closed */
	bool fail_closed;         /* proxy-enforced but no usable loopback endpoint and
	                             no filtering proxy: no network (W0450) */
	struct sbx_proxy_env env; /* the proxy variables, by the target's rule set */
	struct sbx_proxy_endpoint *profile_urls; /* `proxy_url`, then `socks_url` when
	                                            enable_socks5 (the managed proxy's
	                                            defaults when it runs); var NULL */
	struct sbx_span *profile_url_spans;      /* the value, or no span for a default */
	bool *profile_url_socks;                 /* the entry is the SOCKS one */
	size_t nprofile_urls;
	uint16_t *ports; /* PROXY: the loopback ports of the environment's endpoints
	                    (not shadowed) and the profile's: sorted, deduplicated */
	size_t nports;
	size_t nunusable; /* endpoints (env and profile) not parseable or not loopback */
	/* PROXY with domain rules or `mode = "limited"`: a filtering proxy sbxc
	** configures must apply them (Linux: tinyproxy); the endpoints above
	** are then its upstream, not the sandbox's. */
	bool filter;
	const struct sbx_net_rule *domains; /* the rules in force (filter), as merged */
	size_t ndomains;
	bool limited; /* `mode = "limited"` in force */
	/* filter: the hosts the domain rules allow, after the deny rules, each as
	** an anchored form (base alone, its subdomains, or both); a deny rule
	** that removes only part of an allow rule's subdomains (`*.example.com`
	** allowed, `a.example.com` denied) cannot be written so: it is listed
	** in `partial` with the allow rule it cuts into, for backends whose
	** filter takes anchored forms only. More than SBX_MAX_FILTER_DOMAINS
	** rules: too_many, nothing computed. */
	struct sbx_host_set *allowed;
	size_t nallowed;
	const struct sbx_net_rule **partial_deny, **partial_allow;
	size_t npartial;
	bool too_many;
	/* Loopback binds and connections beyond the proxy ports: the profile's
	** allow_local_binding, or on Windows its variable (§5.6). The Windows
	** firewall of the offline user then leaves loopback open. */
	bool allow_local_binding;
	const char *local_binding_from; /* "profile", the variable's name, or NULL */
};

/* The modes of the mount points the launcher creates for synthetic targets
** (bwrap.json, the bwrap emitter): an empty directory or file with exactly this mode in a
** protected name's place is taken for one another run made. */
#define SBX_SYNTH_DIR_MODE 0555
#define SBX_SYNTH_FILE_MODE 0444

/* What a path bubblewrap mounts is on this machine (observe.c). */
enum sbx_obs_kind { SBX_OBS_MISSING, SBX_OBS_DIR, SBX_OBS_FILE, SBX_OBS_OTHER };

/* A symlink on the way to a path: where it is and its text. */
struct sbx_obs_link {
	const char *at;
	const char *text;
};

struct sbx_observation {
	const char *path;           /* as the policy names it */
	const char *canonical;      /* where it is: the real path of its longest existing
	                               ancestor plus the missing rest */
	enum sbx_obs_kind kind;     /* what is there (OTHER: a FIFO, socket, device,
	                               dangling symlink, or unreachable) */
	const char *first_missing;  /* MISSING: the topmost missing component of
	                               canonical; else canonical */
	bool left_empty;            /* an empty directory or file with SBX_SYNTH_DIR_MODE or
	                               SBX_SYNTH_FILE_MODE: another run's synthetic target */
	struct sbx_obs_link *links; /* the symlinks on the way, in order */
	size_t nlinks;
};

struct sbx_resolved {
	const struct sbx_profile *profile;
	struct sbx_resolve_opts opts; /* normalized copies */
	const char **workspace_roots; /* cwd first, then the profile's, then -W; deduped */
	size_t nworkspace_roots;

	bool disabled;                  /* no sandbox (:danger-full-access) */
	bool full_read;                 /* §1.4 has_full_disk_read_access */
	bool full_write;                /* §1.4 has_full_disk_write_access */
	bool include_platform_defaults; /* :minimal readable without full read */
	bool network_enabled;
	bool proxy_enforced; /* network access only through the loopback proxy */

	struct sbx_rpath *readable_roots; /* sorted, deduped */
	size_t nreadable_roots;
	struct sbx_writable_root *writable_roots; /* sorted by depth, then path */
	size_t nwritable_roots;
	struct sbx_rpath *unreadable_roots; /* deny entries, not the filesystem root */
	size_t nunreadable_roots;
	struct sbx_rpath *unreadable_globs; /* absolute patterns, sorted, deduped */
	size_t nunreadable_globs;

	struct sbx_fact *facts;
	size_t nfacts;

	bool legacy_ok; /* the projection exists */
	struct sbx_legacy_policy legacy;
	const char *legacy_error; /* when !legacy_ok */
	bool round_trips;
	const char *round_trip_reason; /* when !round_trips */

	struct sbx_enforcement enforce[SBX_BACKEND_COUNT];

	void *index; /* the path trie, private to the semantic pass */

	/* Additions (appended so existing users keep compiling). */
	const char *fs_root;   /* the filesystem root of the cwd: /, C:\ or \\srv\share */
	enum sbx_target_os os; /* opts.os, or the flavour's default */
	const char **platform_read_roots; /* when include_platform_defaults: the
	                                     roots of os, sorted */
	size_t nplatform_read_roots;
	struct sbx_span legacy_error_span; /* the entry the projection failed on */
	/* When resolved on this machine (opts.probe): what each deny glob
	** matched, glob_matches[i] for unreadable_globs[i] (n = 0 when its
	** expansion failed: the bwrap verdict says why). NULL offline. */
	struct sbx_glob_result *glob_matches;
	/* When resolved on this machine: what every path bubblewrap mounts is
	** (observe.c); look one up with sbx_resolved_observed(). */
	struct sbx_observation *observations;
	size_t nobservations;
	void *obs_index;             /* private to observe.c */
	struct sbx_net_decision net; /* network_enabled = net.kind != NONE;
	                                proxy_enforced = net.kind == PROXY */
	/* The macos-seatbelt view (macos.h), built for a macOS target with POSIX
	** paths; else NULL. */
	const struct sbx_macos *macos;
};

/* A decision about one path, for `sbxc explain` and the runtime tests. */
struct sbx_decision {
	enum sbx_access access;
	enum sbx_origin origin;
	const struct sbx_fs_entry *src; /* the deciding entry, if any */
	const char *matched;            /* the resolved path (or glob) that decided */
	bool write_blocked_by_name;     /* readable, write refused by a protected name */
	/* When a carve-out refused a write (origin GIT, GITDIR, AGENTS, CODEX or
	** PROTECTED): the writable root, the protected name (NULL for a gitdir
	** target) and the carve-out itself (its `via` is the .git pointer). */
	const char *root;
	const char *name;
	const struct sbx_rpath *carveout;
	/* The entry that granted write before the carve-out refused it. */
	const struct sbx_fs_entry *granted_by;
	const char *granted_path;
};

/* The protected metadata names, in output order: the one list every pass
** uses. */
#define SBX_NPROTECTED_NAMES 3
extern const char *const sbx_protected_names[SBX_NPROTECTED_NAMES];
/* Is name (a last path component) one of them? */
bool sbx_protected_name(const char *name);

/* The fact the resolution recorded about what is at path (observed or
** assumed), or NULL: a lookup by path, not a scan. Symlink checks
** (SBX_FACT_NOT_SYMLINK) are not looked up. */
const struct sbx_fact *sbx_resolved_fact(const struct sbx_resolved *r, const char *path);

/* Resolves p against opts. Emits E05xx diagnostics and returns NULL if the
** context is unusable (a relative cwd, ~ without a home, too many roots);
** E0719/E0720 when the sandbox could change opts.policy_file or
** opts.artifact_dir (the policy is returned: the caller refuses to run). */
struct sbx_resolved *sbx_resolve(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                 const struct sbx_resolve_opts *opts);

/* The canonical location of an absolute POSIX path that may not exist on
** this machine: the real path of its longest existing ancestor plus the
** missing rest (the path itself when it cannot be followed: a dangling
** symlink, or no permission). *kind (may be NULL) says what is there. */
const char *sbx_path_canonical(struct sbx_ctx *ctx, const char *path, enum sbx_obs_kind *kind);

/* The next prefix of the absolute POSIX path that is a symlink, looked at
** from *pos (start at 0; it is advanced past the prefix), or NULL when no
** prefix is left or one is missing (nothing below it to follow). Used by
** the semantic pass (E0718) and the exec-time re-check (E0708). */
const char *sbx_path_next_symlink(struct sbx_arena *a, const char *path, size_t *pos);

/* What the path (as the policy names it, or a deny glob match's canonical
** place) is on this machine, or NULL when it was not observed (offline): a
** lookup by path. */
const struct sbx_observation *sbx_resolved_observed(const struct sbx_resolved *r, const char *path);

/* Whether the directory at path holds nothing but `.` and `..` (false when it
** cannot be opened): the test of an empty synthetic mount point, made by
** observe.c and again by the exec-time re-check (runtime/recheck.c). */
bool sbx_dir_is_empty(const char *path);

/* The check sbx_resolve() makes for opts.policy_file (policy_file true:
** E0720) and opts.artifact_dir (E0719), for a path learnt later (libsbxc
** emitting into a directory): false, after the diagnostic, when the sandbox
** of r could change the absolute path `path`. */
bool sbx_resolved_guard(struct sbx_ctx *ctx, const struct sbx_resolved *r, const char *path,
                        bool policy_file);

/* Effective access of an absolute, normalized path (§1.4 plus deny globs and
** the protected names). O(depth of path) through the trie. */
enum sbx_access sbx_resolved_access(const struct sbx_resolved *r, const char *path,
                                    struct sbx_decision *why);
bool sbx_resolved_can_read(const struct sbx_resolved *r, const char *path);
bool sbx_resolved_can_write(const struct sbx_resolved *r, const char *path);

/* Platform default read roots of an OS (§1.4 `:minimal`): Linux
** /bin /sbin /usr /etc /lib /lib64 /nix/store /run/current-system/sw; Windows
** C:\Windows, C:\Program Files, C:\Program Files (x86), C:\ProgramData;
** macOS the read-only system roots of Seatbelt's platform profile. */
const char *const *sbx_platform_read_roots(enum sbx_target_os os, size_t *n);

const char *sbx_origin_name(enum sbx_origin o);                  /* "entry", "git", ... */
const char *sbx_fact_kind_name(enum sbx_fact_kind k);            /* "missing", "dir", ... */
const char *sbx_legacy_kind_name(enum sbx_legacy_kind k);        /* "read-only", ... */
const char *sbx_win_identity_name(enum sbx_windows_identity id); /* "offline", ... */

const char *sbx_net_kind_name(enum sbx_net_kind k); /* "none", "full", "proxy" */
const char *sbx_net_by_name(enum sbx_net_by b);     /* "unsandboxed", "disabled", ... */
/* The decision in one line for `lint` and `explain`, e.g. "proxy-only:
** 127.0.0.1:3128 (HTTP_PROXY); decided by `HTTP_PROXY` in the environment".
** Credentials in proxy URLs are never shown. Arena string. */
const char *sbx_net_decision_text(struct sbx_ctx *ctx, const struct sbx_resolved *r);
/* An endpoint's URL with its userinfo shown as `***` (an unparseable
** value with an `@` entirely). Arena string. */
const char *sbx_proxy_shown(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep);

const char *sbx_backend_name(enum sbx_backend b); /* "linux-bwrap", ... */
bool sbx_backend_lookup(const char *name, enum sbx_backend *out);
enum sbx_target_os sbx_backend_os(enum sbx_backend b);
const char *sbx_target_os_name(enum sbx_target_os os); /* "macos", "linux", "windows" */

/* The `resolved` section of `sbxc ir` (spec/ir-schema.md), new reference. */
json_t *sbx_resolved_to_json(struct sbx_ctx *ctx, const struct sbx_resolved *r);

/* An entry as written: `"docs" = "read"` from its source (arena string); a
** built-in entry is spelled the way a profile would write it. */
const char *sbx_entry_text(struct sbx_ctx *ctx, const struct sbx_fs_entry *e);
/* {"file", "line", "column", "profile", "text"} of an entry (file null for
** built-ins), new reference. */
json_t *sbx_entry_to_json(struct sbx_ctx *ctx, const struct sbx_fs_entry *e);

#endif
