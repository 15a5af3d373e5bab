/*
** sbxc.h: libsbxc, the sbxc policy compiler as a library (spec/api.md).
**
** One object, struct sbxc_policy, holds everything of one compilation: the
** policy text, the chosen profile, the resolution context, the resolved
** policy, its diagnostics and emitted artifacts. Use it in this order:
**
**   p = sbx_policy_new();
**   sbx_policy_load_file(p, "config.toml");        (or _load_buffer; or
**                                                     neither, for a built-in)
**   sbx_policy_select_profile(p, "dev");            (optional)
**   sbx_policy_set_cwd(p, "/work/repo"); ...        (optional)
**   if (sbx_policy_compile(p) == SBXC_OK) {
**           sbx_policy_access(p, "/work/repo/src", &d);
**           sbx_policy_emit(p, "linux");
**   }
**   read the diagnostics: sbx_policy_diagnostic_count(), _diagnostic()
**   sbx_policy_free(p);
**
** Strings returned by the library belong to the policy object and stay valid
** until sbx_policy_free(). Functions return an enum sbxc_status; what went
** wrong with the policy is in its diagnostics. Objects are independent: any
** number may be used at once, each from one thread at a time.
*/
#ifndef SBXC_H
#define SBXC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; sbx_version() returns the library's. */
#define SBXC_VERSION_MAJOR 0
#define SBXC_VERSION_MINOR 1
#define SBXC_VERSION_PATCH 0
#define SBXC_VERSION_STRING "0.1.0"
/* MAJOR * 10000 + MINOR * 100 + PATCH, for comparisons in #if */
#define SBXC_VERSION_NUMBER                                                                        \
	(SBXC_VERSION_MAJOR * 10000 + SBXC_VERSION_MINOR * 100 + SBXC_VERSION_PATCH)

/* Marks the functions the library exports; everything else is hidden. */
#if defined(__GNUC__) || defined(__clang__)
#define SBX_API __attribute__((visibility("default")))
#else
#define SBX_API
#endif

enum sbxc_status {
	SBXC_OK = 0,
	SBXC_EPOLICY, /* the policy has errors or cannot be enforced: see the diagnostics */
	SBXC_EIO,     /* a file could not be read or written (also a diagnostic) */
	SBXC_EINVAL,  /* a bad argument: NULL, an unknown name or index, a call out of order */
};

enum sbxc_severity { SBXC_SEVERITY_NOTE, SBXC_SEVERITY_WARNING, SBXC_SEVERITY_ERROR };

enum sbxc_access { SBXC_ACCESS_DENY, SBXC_ACCESS_READ, SBXC_ACCESS_WRITE };

enum sbxc_flavor { SBXC_FLAVOR_POSIX, SBXC_FLAVOR_WINDOWS };

/* A place in a policy text. Lines and columns are 1-based, columns counted
** in Unicode scalar values; end_line/end_column is the first character past
** the span. file is NULL (and the numbers 0) when there is no place. */
struct sbxc_location {
	const char *file;
	unsigned line, column;
	unsigned end_line, end_column;
};

/* One diagnostic (spec/diagnostics.md lists the codes). */
struct sbxc_diagnostic {
	const char *code; /* "E0301" */
	enum sbxc_severity severity;
	struct sbxc_location where;
	const char *message;
	size_t nnotes; /* its notes and help lines: sbx_policy_diagnostic_note() */
};

struct sbxc_note {
	int help; /* 1 for a help line ("= help: ..."), 0 for a note */
	struct sbxc_location where;
	const char *message;
};

/* What decides the access of one path (what `sbxc explain` prints). */
struct sbxc_decision {
	enum sbxc_access access;
	const char *path;   /* the path asked about, absolute and normalized */
	const char *origin; /* what decided: "entry", "no_match", "unsandboxed",
	                       "platform_default", "full_read", or the carve-out
	                       that refused a write: "git", "gitdir", "agents",
	                       "codex", "protected_name" */
	const char *rule;   /* the deciding entry as written (`"/w" = "write"`), or NULL */
	struct sbxc_location rule_where; /* its place (no file for a built-in profile's) */
	const char *matched;             /* the resolved path or deny glob that decided, or NULL */
	const char *reason;              /* a carve-out's reason in words, or NULL */
	int write_blocked_by_name;       /* readable; a protected name refuses the write */
};

/* The verdict of one backend (a way to enforce a policy on a target) for the
** resolved policy. */
struct sbxc_backend {
	const char *name;   /* "linux-landlock", "linux-bwrap", "macos-seatbelt", ... */
	const char *target; /* its OS: "linux", "macos", "windows" */
	int applicable;     /* it handles the resolution's path flavour */
	int enforces;       /* it enforces the policy exactly */
	int chosen;         /* the one its target uses for this policy */
	size_t nreasons;    /* why it cannot: sbx_policy_backend_reason() */
};

/* One emitted artifact file. */
struct sbxc_artifact {
	const char *name; /* "manifest.json", "bwrap.args", ... */
	const unsigned char *data;
	size_t size;
};

struct sbxc_policy; /* opaque */

/* The library's version ("0.1.0") and its SBXC_VERSION_NUMBER. */
SBX_API const char *sbx_version(void);
SBX_API unsigned sbx_version_number(void);

/* A new, empty policy object; NULL if memory runs out. */
SBX_API struct sbxc_policy *sbx_policy_new(void);
SBX_API void sbx_policy_free(struct sbxc_policy *p);

/* The policy text: a file ("-" is standard input), or text in memory shown
** in diagnostics under `name`. At most one per object. SBXC_EPOLICY when it
** is not TOML or its top level is wrong; the profiles compile later. */
SBX_API enum sbxc_status sbx_policy_load_file(struct sbxc_policy *p, const char *path);
SBX_API enum sbxc_status sbx_policy_load_buffer(struct sbxc_policy *p, const char *name,
                                                const char *text, size_t len);

/* The profile to compile: a user profile or a built-in (":workspace"); NULL
** (the default) for the one the document selects. Or instead the legacy
** settings of a sandbox mode ("read-only", "workspace-write",
** "danger-full-access"). The later call wins. */
SBX_API enum sbxc_status sbx_policy_select_profile(struct sbxc_policy *p, const char *name);
SBX_API enum sbxc_status sbx_policy_select_legacy(struct sbxc_policy *p, const char *mode);

/* The resolution context. The target OS ("linux", "macos", "windows";
** default: this machine's) sets the path flavour and the platform defaults;
** sbx_policy_set_flavor() overrides the flavour. cwd is the first workspace
** root (default: the current directory); home and tmpdir are what `~` and
** `:tmpdir` name (defaults: $HOME and an absolute $TMPDIR; NULL for none).
** Offline resolution does not read this machine's filesystem and records
** what it assumed; a target other than this machine is always offline. The
** strings are copied. */
SBX_API enum sbxc_status sbx_policy_set_target(struct sbxc_policy *p, const char *os);
SBX_API enum sbxc_status sbx_policy_set_flavor(struct sbxc_policy *p, enum sbxc_flavor f);
SBX_API enum sbxc_status sbx_policy_set_cwd(struct sbxc_policy *p, const char *dir);
SBX_API enum sbxc_status sbx_policy_add_workspace_root(struct sbxc_policy *p, const char *dir);
SBX_API enum sbxc_status sbx_policy_set_home(struct sbxc_policy *p, const char *dir);
SBX_API enum sbxc_status sbx_policy_set_tmpdir(struct sbxc_policy *p, const char *dir);
SBX_API enum sbxc_status sbx_policy_set_offline(struct sbxc_policy *p, int offline);
/* The environment the command will run with ("NAME=VALUE" strings, NULL-
** terminated), for its proxy variables in the network decision; NULL for an
** empty one. Default: this process's own when the flavour is this
** machine's, else none. Copied. */
SBX_API enum sbxc_status sbx_policy_set_environment(struct sbxc_policy *p, const char *const *env);

/* Compiles the selected profile and resolves it in the context. Once per
** object. SBXC_EPOLICY when the diagnostics hold an error. */
SBX_API enum sbxc_status sbx_policy_compile(struct sbxc_policy *p);

/* After a successful compile: the access of `path` (absolute, or relative
** to the cwd) and what decided it. SBXC_EINVAL when path is not a path of
** the resolution's flavour. */
SBX_API enum sbxc_status sbx_policy_access(struct sbxc_policy *p, const char *path,
                                           struct sbxc_decision *out);

/* Every diagnostic so far (loading, compiling, emitting), in order. */
SBX_API size_t sbx_policy_diagnostic_count(const struct sbxc_policy *p);
SBX_API enum sbxc_status sbx_policy_diagnostic(struct sbxc_policy *p, size_t i,
                                               struct sbxc_diagnostic *out);
SBX_API enum sbxc_status sbx_policy_diagnostic_note(struct sbxc_policy *p, size_t i, size_t j,
                                                    struct sbxc_note *out);
/* The number of errors among them. */
SBX_API size_t sbx_policy_error_count(const struct sbxc_policy *p);

/* After a successful compile: every backend's verdict on the resolved
** policy, and why a backend cannot enforce it (reasons point at the entries
** responsible). */
SBX_API size_t sbx_policy_backend_count(const struct sbxc_policy *p);
SBX_API enum sbxc_status sbx_policy_backend(struct sbxc_policy *p, size_t i,
                                            struct sbxc_backend *out);
SBX_API enum sbxc_status sbx_policy_backend_reason(struct sbxc_policy *p, size_t i, size_t j,
                                                   struct sbxc_diagnostic *out);

/* After a successful compile: the artifacts of a target ("linux", which the
** policy must have been resolved for), into memory (read them with
** sbx_policy_artifact()) or into the directory dir (created if missing).
** A directory the sandbox could write is refused: a command run under the
** artifacts could rewrite them. SBXC_EPOLICY when no backend of the target
** enforces the policy exactly (the diagnostics say why). */
SBX_API enum sbxc_status sbx_policy_emit(struct sbxc_policy *p, const char *target);
SBX_API enum sbxc_status sbx_policy_emit_dir(struct sbxc_policy *p, const char *target,
                                             const char *dir);
SBX_API size_t sbx_policy_artifact_count(const struct sbxc_policy *p);
SBX_API enum sbxc_status sbx_policy_artifact(const struct sbxc_policy *p, size_t i,
                                             struct sbxc_artifact *out);

#ifdef __cplusplus
}
#endif

#endif
