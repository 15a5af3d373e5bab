/*
** ir.h: the typed intermediate representation of one permissions profile.
**
** compiler/schema.c builds a struct sbx_profile from the TOML tree: the
** selected profile with its `extends` chain merged (§1.7 of the Codex fact
** sheet), every filesystem entry with the span of the key that made it, its
** workspace roots and its network settings. Paths are lexically normalized
** but not resolved: `~`, `:tokens` and workspace-relative globs stay symbolic
** until the semantic pass (resolve.h) binds them to a cwd, home and tmpdir.
**
** `sbxc ir` prints this structure as JSON (ir_json.c); spec/ir-schema.md is
** its versioned description. Everything is arena-owned (see ctx.h).
*/
#ifndef SBX_IR_H
#define SBX_IR_H

#include "ctx.h"
#include "source.h"
#include "toml.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SBX_IR_SCHEMA_VERSION 1

/* ORDER SBX_ACCESS: numeric order is the tie-break of §1.4 (deny > write >
** read when two entries are equally specific). */
enum sbx_access {
	SBX_ACCESS_READ = 1,
	SBX_ACCESS_WRITE = 2,
	SBX_ACCESS_DENY = 3,
};

enum sbx_entry_kind {
	SBX_ENTRY_PATH,    /* one path and everything below it */
	SBX_ENTRY_GLOB,    /* a deny-read pattern (only `deny` globs exist) */
	SBX_ENTRY_SPECIAL, /* a `:token`, optionally with a nested subpath */
};

enum sbx_special {
	SBX_SPECIAL_NONE,
	SBX_SPECIAL_ROOT,            /* :root */
	SBX_SPECIAL_MINIMAL,         /* :minimal */
	SBX_SPECIAL_WORKSPACE_ROOTS, /* :workspace_roots */
	SBX_SPECIAL_TMPDIR,          /* :tmpdir */
	SBX_SPECIAL_SLASH_TMP,       /* :slash_tmp */
	SBX_SPECIAL_UNKNOWN,         /* any other :token: warned about, then ignored */
};

/* What a PATH or GLOB entry (or a workspace root) is relative to. */
enum sbx_anchor {
	SBX_ANCHOR_POSIX,     /* absolute POSIX path: "/a/b" */
	SBX_ANCHOR_WINDOWS,   /* absolute Windows path: "C:\a\b" or "\\server\share\a" */
	SBX_ANCHOR_HOME,      /* the home directory: "~/a" is stored as "a", "~" as "" */
	SBX_ANCHOR_CWD,       /* the cwd: relative workspace_roots keys */
	SBX_ANCHOR_WORKSPACE, /* each workspace root: globs under :workspace_roots */
};

struct sbx_fs_entry {
	enum sbx_entry_kind kind;
	enum sbx_anchor anchor;   /* PATH, GLOB */
	const char *path;         /* PATH: normalized path relative to anchor (absolute for
	                             POSIX/WINDOWS); GLOB: the pattern relative to anchor */
	enum sbx_special special; /* SPECIAL */
	const char *token;        /* SPECIAL: the token as written, e.g. ":tmpdir", ":future" */
	const char *subpath;      /* SPECIAL: normalized nested subpath ("docs/api", '/'-
	                             separated), NULL for the token itself */
	enum sbx_access access;
	const char *profile;        /* the profile of the extends chain that wrote it */
	struct sbx_span key_span;   /* the key that produced the entry (the subpath key
	                               inside a scoped table) */
	struct sbx_span value_span; /* the access value */
};

struct sbx_workspace_root {
	enum sbx_anchor anchor; /* POSIX, WINDOWS, HOME or CWD */
	const char *path;       /* normalized, relative to anchor */
	const char *profile;
	struct sbx_span span; /* the key in [permissions.<name>.workspace_roots] */
};

enum sbx_net_mode { SBX_NET_MODE_FULL, SBX_NET_MODE_LIMITED };

/* A network setting: its effective value, whether the profile set it, where. */
struct sbx_net_bool {
	bool value;
	bool set;
	struct sbx_span span;
};
struct sbx_net_str {
	const char *value;
	bool set;
	struct sbx_span span;
};

struct sbx_net_rule {
	const char *pattern; /* domains: normalized host pattern; unix_sockets: path */
	bool allow;          /* "allow" or "deny" */
	struct sbx_span span;
};

struct sbx_strlist {
	const char **items;
	struct sbx_span *spans;
	size_t n;
};

struct sbx_mitm_inject {
	const char *name;
	const char *secret_env_var; /* NULL when absent */
	const char *secret_file;
	const char *prefix;
	struct sbx_span span;
};

struct sbx_mitm_action {
	const char *name;
	struct sbx_strlist strip_request_headers;
	struct sbx_mitm_inject *inject_request_headers;
	size_t ninject;
	struct sbx_span span;
};

struct sbx_mitm_match {
	const char *name;
	struct sbx_strlist values;
};

struct sbx_mitm_hook {
	const char *name;
	const char *host;
	struct sbx_strlist methods;
	struct sbx_strlist path_prefixes;
	struct sbx_mitm_match *query;
	size_t nquery;
	struct sbx_mitm_match *headers;
	size_t nheaders;
	const char *body; /* NULL when absent */
	struct sbx_strlist actions;
	struct sbx_span span;
};

struct sbx_network {
	struct sbx_net_bool enabled; /* false or absent: restricted */
	struct sbx_net_str proxy_url;
	struct sbx_net_str socks_url;
	struct sbx_net_bool enable_socks5;
	struct sbx_net_bool enable_socks5_udp;
	struct sbx_net_bool allow_upstream_proxy;
	struct sbx_net_bool allow_local_binding;
	struct sbx_net_bool dangerously_allow_non_loopback_proxy;
	struct sbx_net_bool dangerously_allow_all_unix_sockets;
	enum sbx_net_mode mode;
	bool mode_set;
	struct sbx_span mode_span;
	struct sbx_net_rule *domains;
	size_t ndomains;
	struct sbx_net_rule *unix_sockets;
	size_t nunix_sockets;
	struct sbx_mitm_hook *hooks;
	size_t nhooks;
	struct sbx_mitm_action *actions;
	size_t nactions;
	/* The managed proxy runs ("proxy-enforced", §1.6): `[features]
	** network_proxy = true` and the network enabled. Only then is egress
	** limited to the loopback proxy; otherwise `enabled` is plain access. */
	bool managed_proxy;
};

enum sbx_profile_kind {
	SBX_PROFILE_MANAGED,  /* the entries decide; no match means deny */
	SBX_PROFILE_DISABLED, /* :danger-full-access: no sandbox at all */
};

/* Which configuration syntax produced the profile (§1.1). */
enum sbx_syntax {
	SBX_SYNTAX_PROFILES, /* default_permissions / [permissions.<name>] / -P */
	SBX_SYNTAX_LEGACY,   /* sandbox_mode + [sandbox_workspace_write] */
};

enum sbx_legacy_mode {
	SBX_LEGACY_READ_ONLY,
	SBX_LEGACY_WORKSPACE_WRITE,
	SBX_LEGACY_DANGER_FULL_ACCESS,
};

struct sbx_legacy_settings {
	enum sbx_legacy_mode mode;
	struct sbx_span mode_span;                 /* the sandbox_mode value */
	struct sbx_workspace_root *writable_roots; /* [sandbox_workspace_write] */
	size_t nwritable_roots;
	bool network_access;
	bool exclude_tmpdir_env_var;
	bool exclude_slash_tmp;
	/* [sandbox_workspace_write] had an error (reported): no profile is made
	** from these settings, since a dropped root or flag would change them */
	bool invalid;
};

struct sbx_profile {
	const char *name; /* "dev", ":workspace", or the legacy mode name */
	bool builtin;     /* one of :read-only, :workspace, :danger-full-access */
	enum sbx_profile_kind kind;
	enum sbx_syntax syntax;
	const char *description; /* of the selected profile only; NULL if none */
	struct sbx_span span;    /* its [permissions.<name>] key; file 0 for built-ins */
	const char **chain;      /* the profile itself, then each parent in turn */
	size_t nchain;
	struct sbx_fs_entry *entries; /* merged, in document order (parents' keys first) */
	size_t nentries;
	uint32_t glob_scan_max_depth; /* 0 when unset */
	struct sbx_span glob_scan_span;
	struct sbx_workspace_root *workspace_roots; /* enabled entries only */
	size_t nworkspace_roots;
	struct sbx_network network;
	const struct sbx_legacy_settings *legacy; /* SBX_SYNTAX_LEGACY only */
};

/* The file-level view: which profiles exist and which one is the default. */
struct sbx_config {
	const struct sbx_toml_table *root;
	const struct sbx_toml_table *permissions; /* [permissions], NULL if absent */
	enum sbx_syntax syntax;                   /* what selects the profile (§1.1) */
	const char *default_permissions;          /* NULL if not set */
	struct sbx_span default_span;             /* its value */
	const char **profiles;                    /* user profile names, document order */
	struct sbx_span *profile_spans;
	size_t nprofiles;
	const struct sbx_legacy_settings *legacy; /* when sandbox_mode is set */
	bool network_proxy_feature;               /* [features] network_proxy */
	/* profiles whose extends chain was already reported broken: compiling
	** another profile that reaches one of them fails without repeating the
	** report (lint compiles every profile of a file) */
	struct sbx_toml_table *broken_chains;
};

/* Reads the top level of a parsed document: default_permissions, the profile
** names, the legacy keys. Emits diagnostics for problems there; returns
** SBX_OK or SBX_ESEMA. Keys outside the permissions settings are ignored. */
enum sbx_status sbx_config_read(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                                struct sbx_config *cfg);

/* Compiles one profile: `name` is a user profile or a built-in (":workspace"),
** or NULL for the one the file selects (default_permissions or the legacy
** keys). `selected_by` is the span that named it (file 0 for -P). Returns
** NULL after emitting diagnostics if the profile is invalid. */
struct sbx_profile *sbx_profile_compile(struct sbx_ctx *ctx, const struct sbx_config *cfg,
                                        const char *name, struct sbx_span selected_by);

/* The legacy profile for a `--sandbox-mode MODE` override (the `--sandbox`
** flag of Codex): MODE with the document's [sandbox_workspace_write]
** settings (root may be NULL). NULL after E0210 for an invalid MODE, or after
** an error in [sandbox_workspace_write]. */
struct sbx_profile *sbx_legacy_override(struct sbx_ctx *ctx, const struct sbx_toml_table *root,
                                        const char *mode);

/* Names of the built-in profiles, and whether `name` is one. */
bool sbx_builtin_profile(const char *name);

const char *sbx_access_name(enum sbx_access a);   /* "read", "write", "deny" */
const char *sbx_special_name(enum sbx_special s); /* ":root", ... */
const char *sbx_anchor_name(enum sbx_anchor a);   /* "posix", "windows", "home", ... */

/* The IR as JSON (spec/ir-schema.md), a new reference. */
json_t *sbx_profile_to_json(struct sbx_ctx *ctx, const struct sbx_profile *p);

#endif
