/*
** ir_json.c: the IR as JSON, for `sbxc ir` (spec/ir-schema.md).
**
** Key order is fixed and every list is in IR order, so the output is
** byte-identical for the same input. Locations are {file, line, column}
** objects (null for built-in entries, which have no source).
*/
#include "diag_json.h"
#include "ir.h"

#include <string.h>

const char *sbx_access_name(enum sbx_access a)
{
	switch (a) {
	case SBX_ACCESS_READ:
		return "read";
	case SBX_ACCESS_WRITE:
		return "write";
	case SBX_ACCESS_DENY:
		return "deny";
	}
	return "?";
}

const char *sbx_special_name(enum sbx_special s)
{
	static const char *const names[] = {
	    [SBX_SPECIAL_NONE] = "",
	    [SBX_SPECIAL_ROOT] = ":root",
	    [SBX_SPECIAL_MINIMAL] = ":minimal",
	    [SBX_SPECIAL_WORKSPACE_ROOTS] = ":workspace_roots",
	    [SBX_SPECIAL_TMPDIR] = ":tmpdir",
	    [SBX_SPECIAL_SLASH_TMP] = ":slash_tmp",
	    [SBX_SPECIAL_UNKNOWN] = "unknown",
	};
	return names[s];
}

const char *sbx_anchor_name(enum sbx_anchor a)
{
	static const char *const names[] = {
	    [SBX_ANCHOR_POSIX] = "posix",         [SBX_ANCHOR_WINDOWS] = "windows",
	    [SBX_ANCHOR_HOME] = "home",           [SBX_ANCHOR_CWD] = "cwd",
	    [SBX_ANCHOR_WORKSPACE] = "workspace",
	};
	return names[a];
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *entry_json(struct sbx_ctx *ctx, const struct sbx_fs_entry *e)
{
	json_t *o = json_object();
	switch (e->kind) {
	case SBX_ENTRY_PATH:
		json_object_set_new(o, "kind", json_string("path"));
		json_object_set_new(o, "anchor", json_string(sbx_anchor_name(e->anchor)));
		json_object_set_new(o, "path", json_string(e->path));
		break;
	case SBX_ENTRY_GLOB:
		json_object_set_new(o, "kind", json_string("glob"));
		json_object_set_new(o, "anchor", json_string(sbx_anchor_name(e->anchor)));
		json_object_set_new(o, "pattern", json_string(e->path));
		break;
	case SBX_ENTRY_SPECIAL:
		json_object_set_new(o, "kind", json_string("special"));
		json_object_set_new(o, "token", json_string(e->token));
		json_object_set_new(o, "known", json_boolean(e->special != SBX_SPECIAL_UNKNOWN));
		json_object_set_new(o, "subpath", str_or_null(e->subpath));
		break;
	}
	json_object_set_new(o, "access", json_string(sbx_access_name(e->access)));
	json_object_set_new(o, "profile", json_string(e->profile));
	json_object_set_new(o, "at", sbx_span_to_json(ctx, e->key_span));
	return o;
}

static json_t *root_json(struct sbx_ctx *ctx, const struct sbx_workspace_root *r)
{
	return json_pack("{s:s, s:s, s:s, s:o}", "anchor", sbx_anchor_name(r->anchor), "path",
	                 r->path, "profile", r->profile ? r->profile : "", "at",
	                 sbx_span_to_json(ctx, r->span));
}

static json_t *strlist_json(const struct sbx_strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->items[i]));
	return a;
}

static json_t *rules_json(struct sbx_ctx *ctx, const struct sbx_net_rule *r, size_t n,
                          const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:o}", key, r[i].pattern, "action",
		                                   r[i].allow ? "allow" : "deny", "at",
		                                   sbx_span_to_json(ctx, r[i].span)));
	return a;
}

static json_t *matches_json(const struct sbx_mitm_match *m, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++)
		json_object_set_new(o, m[i].name, strlist_json(&m[i].values));
	return o;
}

static json_t *mitm_json(struct sbx_ctx *ctx, const struct sbx_network *n)
{
	json_t *hooks = json_array(), *actions = json_array();
	for (size_t i = 0; i < n->nhooks; i++) {
		const struct sbx_mitm_hook *h = &n->hooks[i];
		json_array_append_new(
		    hooks,
		    json_pack("{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "name", h->name,
		              "host", str_or_null(h->host), "methods", strlist_json(&h->methods),
		              "path_prefixes", strlist_json(&h->path_prefixes), "query",
		              matches_json(h->query, h->nquery), "headers",
		              matches_json(h->headers, h->nheaders), "body", str_or_null(h->body),
		              "action", strlist_json(&h->actions), "at",
		              sbx_span_to_json(ctx, h->span)));
	}
	for (size_t i = 0; i < n->nactions; i++) {
		const struct sbx_mitm_action *a = &n->actions[i];
		json_t *inj = json_array();
		for (size_t j = 0; j < a->ninject; j++) {
			const struct sbx_mitm_inject *x = &a->inject_request_headers[j];
			json_array_append_new(
			    inj, json_pack("{s:s, s:o, s:o, s:o}", "name", x->name,
			                   "secret_env_var", str_or_null(x->secret_env_var),
			                   "secret_file", str_or_null(x->secret_file), "prefix",
			                   str_or_null(x->prefix)));
		}
		json_array_append_new(actions, json_pack("{s:s, s:o, s:o, s:o}", "name", a->name,
		                                         "strip_request_headers",
		                                         strlist_json(&a->strip_request_headers),
		                                         "inject_request_headers", inj, "at",
		                                         sbx_span_to_json(ctx, a->span)));
	}
	return json_pack("{s:o, s:o}", "hooks", hooks, "actions", actions);
}

static json_t *network_json(struct sbx_ctx *ctx, const struct sbx_network *n)
{
	json_t *o = json_object();
	json_t *set = json_array();
#define BOOL(field)                                                                                \
	do {                                                                                       \
		json_object_set_new(o, #field, json_boolean(n->field.value));                      \
		if (n->field.set)                                                                  \
			json_array_append_new(set, json_string(#field));                           \
	} while (0)
#define STR(field)                                                                                 \
	do {                                                                                       \
		json_object_set_new(o, #field, json_string(n->field.value));                       \
		if (n->field.set)                                                                  \
			json_array_append_new(set, json_string(#field));                           \
	} while (0)
	BOOL(enabled);
	json_object_set_new(o, "managed_proxy", json_boolean(n->managed_proxy));
	json_object_set_new(o, "mode",
	                    json_string(n->mode == SBX_NET_MODE_LIMITED ? "limited" : "full"));
	if (n->mode_set)
		json_array_append_new(set, json_string("mode"));
	STR(proxy_url);
	STR(socks_url);
	BOOL(enable_socks5);
	BOOL(enable_socks5_udp);
	BOOL(allow_upstream_proxy);
	BOOL(allow_local_binding);
	BOOL(dangerously_allow_non_loopback_proxy);
	BOOL(dangerously_allow_all_unix_sockets);
#undef BOOL
#undef STR
	json_object_set_new(o, "domains", rules_json(ctx, n->domains, n->ndomains, "pattern"));
	json_object_set_new(o, "unix_sockets",
	                    rules_json(ctx, n->unix_sockets, n->nunix_sockets, "path"));
	json_object_set_new(o, "mitm", mitm_json(ctx, n));
	json_object_set_new(o, "set", set);
	return o;
}

static json_t *legacy_json(struct sbx_ctx *ctx, const struct sbx_legacy_settings *l)
{
	static const char *const modes[] = {"read-only", "workspace-write", "danger-full-access"};
	json_t *roots = json_array();
	for (size_t i = 0; i < l->nwritable_roots; i++)
		json_array_append_new(roots, root_json(ctx, &l->writable_roots[i]));
	return json_pack("{s:s, s:o, s:o, s:b, s:b, s:b}", "sandbox_mode", modes[l->mode], "at",
	                 sbx_span_to_json(ctx, l->mode_span), "writable_roots", roots,
	                 "network_access", l->network_access, "exclude_tmpdir_env_var",
	                 l->exclude_tmpdir_env_var, "exclude_slash_tmp", l->exclude_slash_tmp);
}

json_t *sbx_profile_to_json(struct sbx_ctx *ctx, const struct sbx_profile *p)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "builtin", json_boolean(p->builtin));
	json_object_set_new(o, "kind",
	                    json_string(p->kind == SBX_PROFILE_DISABLED ? "disabled" : "managed"));
	json_object_set_new(o, "syntax",
	                    json_string(p->syntax == SBX_SYNTAX_LEGACY ? "legacy" : "profiles"));
	json_object_set_new(o, "description", str_or_null(p->description));
	json_object_set_new(o, "at", sbx_span_to_json(ctx, p->span));
	json_t *chain = json_array();
	for (size_t i = 0; i < p->nchain; i++)
		json_array_append_new(chain, json_string(p->chain[i]));
	json_object_set_new(o, "chain", chain);

	json_t *fs = json_object(), *entries = json_array();
	json_object_set_new(fs, "glob_scan_max_depth",
	                    p->glob_scan_max_depth ? json_integer(p->glob_scan_max_depth)
	                                           : json_null());
	for (size_t i = 0; i < p->nentries; i++)
		json_array_append_new(entries, entry_json(ctx, &p->entries[i]));
	json_object_set_new(fs, "entries", entries);
	json_object_set_new(o, "filesystem", fs);

	json_t *roots = json_array();
	for (size_t i = 0; i < p->nworkspace_roots; i++)
		json_array_append_new(roots, root_json(ctx, &p->workspace_roots[i]));
	json_object_set_new(o, "workspace_roots", roots);
	json_object_set_new(o, "network", network_json(ctx, &p->network));
	json_object_set_new(o, "legacy", p->legacy ? legacy_json(ctx, p->legacy) : json_null());
	return o;
}
