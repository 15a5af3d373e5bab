/*
** win_plan.h: the Windows plan (plan.json, spec/artifacts.md "Windows"):
** the ACL entries, the capability SIDs, the directories to create and the
** firewall rules one run needs, built from the resolved policy and the
** semantic pass's verdicts. The PowerShell scripts (powershell.c) are
** written from this plan and nothing else. Arena-owned by the ctx.
*/
#ifndef SBX_WIN_PLAN_H
#define SBX_WIN_PLAN_H

#include "ctx.h"
#include "resolve.h"

#include <jansson.h>
#include <stdbool.h>

/* The local accounts setup creates (elevated backend only). */
#define SBX_WIN_GROUP "SbxcSandboxUsers"
#define SBX_WIN_USER_OFFLINE "SbxcSandboxOffline"
#define SBX_WIN_USER_ONLINE "SbxcSandboxOnline"

/* Firewall rule names (offline identity). */
#define SBX_WIN_FW_PREFIX "sbxc_offline_"

/* The rights of an ACL entry (each maps to one icacls rights list). */
enum sbx_win_rights {
	SBX_WIN_RIGHTS_MODIFY,     /* read, write, execute, delete; never delete-child */
	SBX_WIN_RIGHTS_READ,       /* read and execute */
	SBX_WIN_RIGHTS_DENY_WRITE, /* the full write mask, delete and delete-child */
	SBX_WIN_RIGHTS_DENY_READ,  /* generic and file read */
};

struct sbx_win_ace {
	const char *path;
	bool deny;
	const char *trustee; /* "group" or a capability name ("cap-1", ...) */
	enum sbx_win_rights rights;
	const char *why; /* "writable root", "read-only carve-out", ... */
};

struct sbx_win_cap {
	const char *name; /* "cap-1", ... in writable-root order; "read-1", ... */
	const char *root;
	bool read; /* a read capability (restricted read): granted read-execute */
};

enum sbx_win_proto {
	SBX_WIN_PROTO_ANY,
	SBX_WIN_PROTO_TCP,
	SBX_WIN_PROTO_UDP,
	SBX_WIN_PROTO_ICMPV4,
	SBX_WIN_PROTO_ICMPV6
};

struct sbx_win_fw_rule {
	const char *name;
	enum sbx_win_proto proto;
	const char **remote_addresses; /* NULL/0: any */
	size_t naddresses;
	const char **remote_ports; /* NULL/0: any; ranges "a-b" or single ports */
	size_t nports;
	const char *why;
};

struct sbx_win_plan {
	enum sbx_backend backend;
	enum sbx_windows_identity identity;
	const char *reason; /* why this backend */
	const char *user;   /* elevated: the account the command runs as */
	bool full_read;
	const char **create_dirs; /* missing carve-outs made directories first */
	size_t ncreate_dirs;
	struct sbx_win_cap *caps;
	size_t ncaps;
	struct sbx_win_ace *aces; /* in application order */
	size_t naces;
	bool firewall;               /* offline identity: rules below; else none */
	const uint16_t *proxy_ports; /* the semantic pass's loopback proxy ports */
	size_t nproxy_ports;
	bool allow_local_binding;
	const char *local_binding_from;
	struct sbx_win_fw_rule *rules; /* in creation order */
	size_t nrules;
	const char *narrow_rule;   /* the loopback TCP rule narrowed last, or NULL */
	const char **narrow_ports; /* its final remote ports */
	size_t nnarrow_ports;
	const char **remove_rules; /* allow_local_binding: loopback rules removed */
	size_t nremove_rules;
	const char *cwd;
	/* the token run.ps1 starts the command with: restricted (its
	** restricting SIDs: the capabilities, plus the logon SID and Everyone
	** when unelevated), or the sandbox user's own (elevated, full read) */
	bool restricted_token;
	bool write_restricted;
	const char **denied; /* elevated restricted read: the denied paths with
	                        entries (run.ps1 checks they are no links) */
	size_t ndenied;
};

/* Builds the plan for backend b, which must enforce r (r->enforce[b].ok). */
struct sbx_win_plan *sbx_win_plan_build(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                        enum sbx_backend b);

/* plan.json (new reference). */
json_t *sbx_win_plan_to_json(const struct sbx_win_plan *p);

const char *sbx_win_rights_name(enum sbx_win_rights r);
const char *sbx_win_proto_name(enum sbx_win_proto p);

/* The remote-port ranges of the loopback TCP rule: every port 1..65535 but
** the given ones (sorted, unique, non-zero), as "a-b" or "a" strings;
** *n == 0 when the ports are all of them. */
const char **sbx_win_port_complement(struct sbx_ctx *ctx, const uint16_t *ports, size_t nports,
                                     size_t *n);

/* The PowerShell scripts of a plan (powershell.c); arena strings. */
const char *sbx_ps_setup(struct sbx_ctx *ctx, const struct sbx_win_plan *p);
const char *sbx_ps_teardown(struct sbx_ctx *ctx, const struct sbx_win_plan *p);
const char *sbx_ps_run(struct sbx_ctx *ctx, const struct sbx_win_plan *p);

#endif
