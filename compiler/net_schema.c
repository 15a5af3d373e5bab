/*
** net_schema.c: [permissions.<name>.network] -> struct sbx_network (§1.6).
**
** Every setting keeps its effective value (the documented default when the
** profile does not set it), whether it was set, and where. `enabled` only
** flips the sandbox's network bit; the proxy settings matter when the
** managed proxy runs (`[features] network_proxy`, decided in profile.c).
*/
#include "path.h"
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PROXY_URL "http://127.0.0.1:3128"
#define DEFAULT_SOCKS_URL "http://127.0.0.1:8081"

static const char *const net_keys[] = {"enabled",
                                       "proxy_url",
                                       "socks_url",
                                       "enable_socks5",
                                       "enable_socks5_udp",
                                       "allow_upstream_proxy",
                                       "dangerously_allow_non_loopback_proxy",
                                       "dangerously_allow_all_unix_sockets",
                                       "allow_local_binding",
                                       "mode",
                                       "domains",
                                       "unix_sockets",
                                       "mitm"};
static const char *const hook_keys[] = {"host",    "methods", "path_prefixes", "query",
                                        "headers", "body",    "action"};
static const char *const action_keys[] = {"strip_request_headers", "inject_request_headers"};
static const char *const inject_keys[] = {"name", "secret_env_var", "secret_file", "prefix"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

const char *sbx_net_normalize_host(struct sbx_ctx *ctx, const char *s, size_t len)
{
	if (len && s[len - 1] == '.')
		len--;
	char *h = sbx_arena_strndup(&ctx->arena, s, len);
	for (size_t i = 0; i < len; i++)
		h[i] = (char)tolower((unsigned char)h[i]);
	return h;
}

static void set_bool(struct sbx_ctx *ctx, const struct sbx_toml_key *k, struct sbx_net_bool *b)
{
	const char *what = sbx_arena_printf(&ctx->arena, "`network.%s`", sbx_schema_name(ctx, k));
	if (!sbx_schema_expect(ctx, k, SBX_TOML_BOOL, what))
		return;
	b->value = k->value.u.boolean;
	b->set = true;
	b->span = k->span;
}

static void set_str(struct sbx_ctx *ctx, const struct sbx_toml_key *k, struct sbx_net_str *s)
{
	const char *what = sbx_arena_printf(&ctx->arena, "`network.%s`", sbx_schema_name(ctx, k));
	if (!sbx_schema_expect(ctx, k, SBX_TOML_STRING, what))
		return;
	if (memchr(k->value.u.str.ptr, 0, k->value.u.str.len)) {
		/* the URL checked and the URL used would be the text before it */
		sbx_diag_emit(ctx, SBX_E0409, k->value.span, "%s `%s` contains a NUL character",
		              what, sbx_diag_quote(ctx, k->value.u.str.ptr, k->value.u.str.len));
		return;
	}
	s->value = k->value.u.str.ptr;
	s->set = true;
	s->span = k->value.span;
}

/* scheme://host[:port][/...] with a loopback host, unless allowed otherwise. */
static void check_proxy_url(struct sbx_ctx *ctx, const struct sbx_net_str *u, const char *key,
                            bool allow_remote)
{
	if (!u->set)
		return;
	const char *s = u->value, *sep = strstr(s, "://");
	const char *why = NULL;
	if (!sep) {
		why = "it has no `scheme://`";
	} else {
		size_t sl = (size_t)(sep - s);
		bool ok_scheme = (sl == 4 && strncmp(s, "http", 4) == 0) ||
		                 (sl == 5 && strncmp(s, "https", 5) == 0) ||
		                 (sl == 6 && strncmp(s, "socks5", 6) == 0) ||
		                 (sl == 7 && strncmp(s, "socks5h", 7) == 0);
		const char *host = sep + 3, *end = host + strcspn(host, "/?#");
		const char *at = NULL; /* the last '@' of the authority */
		for (const char *c = host; c < end; c++)
			if (*c == '@')
				at = c;
		if (at)
			host = at + 1;
		const char *colon = NULL;
		size_t hl;
		if (*host == '[') {
			const char *rb = memchr(host, ']', (size_t)(end - host));
			hl = rb ? (size_t)(rb - host) + 1 : (size_t)(end - host);
			colon = rb && rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
		} else {
			colon = memchr(host, ':', (size_t)(end - host));
			hl = colon ? (size_t)(colon - host) : (size_t)(end - host);
		}
		bool loop =
		    (hl == 9 && strncasecmp(host, "localhost", 9) == 0) ||
		    (hl == 5 && strncmp(host, "[::1]", 5) == 0) ||
		    (hl >= 9 && strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") >= hl);
		if (!ok_scheme)
			why = "its scheme is not http, https, socks5 or socks5h";
		else if (hl == 0)
			why = "it has no host";
		else if (colon) {
			char *e;
			long port = strtol(colon + 1, &e, 10);
			if (e == colon + 1 || e != end || port < 1 || port > 65535)
				why = "its port is not a number from 1 to 65535";
		}
		if (!why && !loop && !allow_remote) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0409, u->span, "`network.%s` `%s` is not a loopback address",
			    key, sbx_diag_quote(ctx, s, strlen(s)));
			sbx_diag_help(ctx, d,
			              "the proxy must listen on localhost, 127.0.0.1 or [::1]; "
			              "set `dangerously_allow_non_loopback_proxy = true` to "
			              "allow another host");
			return;
		}
	}
	if (why)
		sbx_diag_emit(ctx, SBX_E0409, u->span,
		              "`network.%s` `%s` is not a valid proxy URL: %s", key,
		              sbx_diag_quote(ctx, s, strlen(s)), why);
}

static bool rule_value(struct sbx_ctx *ctx, const struct sbx_toml_key *k, const char *what,
                       bool *allow)
{
	const struct sbx_toml_value *v = &k->value;
	if (v->type == SBX_TOML_STRING && v->u.str.len == 5 &&
	    memcmp(v->u.str.ptr, "allow", 5) == 0)
		return *allow = true, true;
	if (v->type == SBX_TOML_STRING && v->u.str.len == 4 && memcmp(v->u.str.ptr, "deny", 4) == 0)
		return *allow = false, true;
	struct sbx_diag *d;
	if (v->type == SBX_TOML_STRING)
		d = sbx_diag_emit(
		    ctx, SBX_E0403, v->span, "%s `%s` must be `allow` or `deny`, found `%s`", what,
		    sbx_schema_name(ctx, k), sbx_diag_quote(ctx, v->u.str.ptr, v->u.str.len));
	else
		d = sbx_diag_emit(ctx, SBX_E0403, v->span,
		                  "%s `%s` must be `allow` or `deny`, found %s", what,
		                  sbx_schema_name(ctx, k), sbx_schema_type_phrase(v->type));
	(void)d;
	return false;
}

/* example.com, *.example.com (subdomains), **.example.com (apex and
** subdomains); IP literals. A bare `*` would allow everything. */
static bool valid_host_pattern(const char *h)
{
	const char *p = h;
	if (strncmp(p, "**.", 3) == 0)
		p += 3;
	else if (strncmp(p, "*.", 2) == 0)
		p += 2;
	if (!*p)
		return false;
	if (*p == '[') /* [v6] */
		return p[strlen(p) - 1] == ']' &&
		       strspn(p + 1, "0123456789abcdef:.") == strlen(p) - 2;
	for (const char *q = p; *q; q++) {
		if (!(isalnum((unsigned char)*q) || *q == '-' || *q == '.' || *q == '_'))
			return false;
		if (*q == '.' && (q == p || q[1] == '.' || !q[1]))
			return false;
	}
	return true;
}

static void read_domains(struct sbx_ctx *ctx, struct sbx_network *n, const struct sbx_toml_key *dk)
{
	if (!sbx_schema_expect(ctx, dk, SBX_TOML_TABLE, "`network.domains`"))
		return;
	const struct sbx_toml_table *t = dk->value.u.table;
	n->domains = sbx_arena_alloc(&ctx->arena, (t->n + 1) * sizeof *n->domains);
	struct sbx_toml_table *seen = sbx_toml_table_new(ctx);
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		bool allow;
		if (!rule_value(ctx, k, "domain", &allow))
			continue;
		const char *h = sbx_net_normalize_host(ctx, k->name, k->len);
		if (memchr(k->name, 0, k->len) || !valid_host_pattern(h)) {
			struct sbx_diag *d =
			    sbx_diag_emit(ctx, SBX_E0402, k->span, "invalid domain pattern `%s`",
			                  sbx_schema_name(ctx, k));
			sbx_diag_help(ctx, d,
			              strcmp(h, "*") == 0 || strcmp(h, "**") == 0
			                  ? "a bare `*` would allow every host; set "
			                    "`enabled = true` without a proxy for open access"
			                  : "expected `example.com`, `*.example.com` (subdomains) "
			                    "or `**.example.com` (the domain and its subdomains)");
			continue;
		}
		struct sbx_toml_key *prev = sbx_toml_get(seen, h);
		if (prev) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_W0205, k->span,
			    "domain `%s` is listed twice (host names compare case-insensitively, "
			    "ignoring a trailing dot)",
			    h);
			sbx_diag_note(ctx, d, prev->span, "first listed here");
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "the later rule wins");
			for (size_t j = 0; j < n->ndomains; j++)
				if (strcmp(n->domains[j].pattern, h) == 0)
					n->domains[j] = (struct sbx_net_rule){h, allow, k->span};
			continue;
		}
		sbx_toml_set(ctx, seen, h, strlen(h), k->span, k->value);
		n->domains[n->ndomains++] = (struct sbx_net_rule){h, allow, k->span};
	}
}

static void read_unix_sockets(struct sbx_ctx *ctx, struct sbx_network *n,
                              const struct sbx_toml_key *uk)
{
	if (!sbx_schema_expect(ctx, uk, SBX_TOML_TABLE, "`network.unix_sockets`"))
		return;
	const struct sbx_toml_table *t = uk->value.u.table;
	n->unix_sockets = sbx_arena_alloc(&ctx->arena, (t->n + 1) * sizeof *n->unix_sockets);
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		bool allow;
		if (!rule_value(ctx, k, "unix socket", &allow))
			continue;
		const char *path =
		    memchr(k->name, 0, k->len)
		        ? NULL
		        : sbx_path_normalize(&ctx->arena, SBX_FLAVOR_POSIX, k->name, k->len);
		if (!path) {
			sbx_diag_emit(ctx, SBX_E0404, k->span,
			              "unix socket path `%s` must be absolute",
			              sbx_schema_name(ctx, k));
			continue;
		}
		n->unix_sockets[n->nunix_sockets++] = (struct sbx_net_rule){path, allow, k->span};
	}
}

/* An array of strings; entries of other types are reported. */
static struct sbx_strlist strings(struct sbx_ctx *ctx, const struct sbx_toml_key *k,
                                  const char *what)
{
	struct sbx_strlist l = {0};
	if (!sbx_schema_expect(ctx, k, SBX_TOML_ARRAY, what))
		return l;
	const struct sbx_toml_array *a = k->value.u.array;
	l.items = sbx_arena_alloc(&ctx->arena, (a->n + 1) * sizeof *l.items);
	l.spans = sbx_arena_alloc(&ctx->arena, (a->n + 1) * sizeof *l.spans);
	for (size_t i = 0; i < a->n; i++) {
		if (a->items[i].type != SBX_TOML_STRING) {
			sbx_diag_emit(ctx, SBX_E0201, a->items[i].span,
			              "%s entries must be strings, found %s", what,
			              sbx_schema_type_phrase(a->items[i].type));
			continue;
		}
		l.items[l.n] = a->items[i].u.str.ptr;
		l.spans[l.n++] = a->items[i].span;
	}
	return l;
}

static const char *opt_string(struct sbx_ctx *ctx, const struct sbx_toml_key *k, const char *what)
{
	return sbx_schema_expect(ctx, k, SBX_TOML_STRING, what) ? k->value.u.str.ptr : NULL;
}

/* query/headers: name -> string or array of strings */
static struct sbx_mitm_match *matches(struct sbx_ctx *ctx, const struct sbx_toml_key *k,
                                      const char *what, size_t *count)
{
	*count = 0;
	if (!sbx_schema_expect(ctx, k, SBX_TOML_TABLE, what))
		return NULL;
	const struct sbx_toml_table *t = k->value.u.table;
	struct sbx_mitm_match *m = sbx_arena_alloc(&ctx->arena, (t->n + 1) * sizeof *m);
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *e = &t->items[i];
		const char *ew =
		    sbx_arena_printf(&ctx->arena, "%s.%s", what, sbx_schema_name(ctx, e));
		struct sbx_mitm_match *mm = &m[*count];
		mm->name = e->name;
		if (e->value.type == SBX_TOML_STRING) {
			mm->values.items = sbx_arena_alloc(&ctx->arena, sizeof *mm->values.items);
			mm->values.spans = sbx_arena_alloc(&ctx->arena, sizeof *mm->values.spans);
			mm->values.items[0] = e->value.u.str.ptr;
			mm->values.spans[0] = e->value.span;
			mm->values.n = 1;
		} else {
			mm->values = strings(ctx, e, ew);
		}
		(*count)++;
	}
	return m;
}

static void read_hook(struct sbx_ctx *ctx, struct sbx_mitm_hook *h, const struct sbx_toml_key *hk)
{
	const char *base =
	    sbx_arena_printf(&ctx->arena, "`network.mitm.hooks.%s`", sbx_schema_name(ctx, hk));
	h->name = hk->name;
	h->span = hk->span;
	if (!sbx_schema_expect(ctx, hk, SBX_TOML_TABLE, base))
		return;
	const struct sbx_toml_table *t = hk->value.u.table;
	bool has_action = false;
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		const char *w = sbx_arena_printf(&ctx->arena, "%.*s.%s`", (int)strlen(base) - 1,
		                                 base, sbx_schema_name(ctx, k));
		if (sbx_schema_key_is(k, "host"))
			h->host = opt_string(ctx, k, w);
		else if (sbx_schema_key_is(k, "methods"))
			h->methods = strings(ctx, k, w);
		else if (sbx_schema_key_is(k, "path_prefixes"))
			h->path_prefixes = strings(ctx, k, w);
		else if (sbx_schema_key_is(k, "query"))
			h->query = matches(ctx, k, w, &h->nquery);
		else if (sbx_schema_key_is(k, "headers"))
			h->headers = matches(ctx, k, w, &h->nheaders);
		else if (sbx_schema_key_is(k, "body"))
			h->body = opt_string(ctx, k, w);
		else if (sbx_schema_key_is(k, "action")) {
			has_action = true;
			h->actions = strings(ctx, k, w);
			if (k->value.type == SBX_TOML_ARRAY && k->value.u.array->n == 0)
				sbx_diag_emit(
				    ctx, SBX_E0405, k->value.span, "%s.action` must not be empty",
				    sbx_arena_strndup(&ctx->arena, base, strlen(base) - 1));
		} else
			sbx_schema_unknown_key(ctx, k, base, hook_keys, N(hook_keys));
	}
	if (!has_action) {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0405, hk->span, "%s has no `action`", base);
		sbx_diag_help(ctx, d,
		              "add `action = [\"<name>\"]` naming entries of "
		              "`network.mitm.actions`");
	}
}

static void read_inject(struct sbx_ctx *ctx, struct sbx_mitm_action *a,
                        const struct sbx_toml_key *k, const char *base)
{
	if (!sbx_schema_expect(ctx, k, SBX_TOML_ARRAY, base))
		return;
	const struct sbx_toml_array *arr = k->value.u.array;
	a->inject_request_headers =
	    sbx_arena_alloc(&ctx->arena, (arr->n + 1) * sizeof(struct sbx_mitm_inject));
	for (size_t i = 0; i < arr->n; i++) {
		const struct sbx_toml_value *v = &arr->items[i];
		if (v->type != SBX_TOML_TABLE) {
			sbx_diag_emit(ctx, SBX_E0408, v->span,
			              "%s entries must be tables, found %s", base,
			              sbx_schema_type_phrase(v->type));
			continue;
		}
		struct sbx_mitm_inject inj = {.span = v->span};
		const struct sbx_toml_table *t = v->u.table;
		for (size_t j = 0; j < t->n; j++) {
			const struct sbx_toml_key *e = &t->items[j];
			if (sbx_schema_key_is(e, "name"))
				inj.name = opt_string(ctx, e, "`name`");
			else if (sbx_schema_key_is(e, "secret_env_var"))
				inj.secret_env_var = opt_string(ctx, e, "`secret_env_var`");
			else if (sbx_schema_key_is(e, "secret_file"))
				inj.secret_file = opt_string(ctx, e, "`secret_file`");
			else if (sbx_schema_key_is(e, "prefix"))
				inj.prefix = opt_string(ctx, e, "`prefix`");
			else
				sbx_schema_unknown_key(ctx, e, base, inject_keys, N(inject_keys));
		}
		if (!inj.name) {
			sbx_diag_emit(ctx, SBX_E0408, v->span, "%s entry has no header `name`",
			              base);
			continue;
		}
		if (!inj.secret_env_var && !inj.secret_file) {
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0408, v->span, "%s entry for `%s` has no value source", base,
			    sbx_diag_quote(ctx, inj.name, strlen(inj.name)));
			sbx_diag_help(ctx, d, "set `secret_env_var` or `secret_file`");
			continue;
		}
		a->inject_request_headers[a->ninject++] = inj;
	}
}

static void read_action(struct sbx_ctx *ctx, struct sbx_mitm_action *a,
                        const struct sbx_toml_key *ak)
{
	const char *base =
	    sbx_arena_printf(&ctx->arena, "network.mitm.actions.%s", sbx_schema_name(ctx, ak));
	a->name = ak->name;
	a->span = ak->span;
	const char *wb = sbx_arena_printf(&ctx->arena, "`%s`", base);
	if (!sbx_schema_expect(ctx, ak, SBX_TOML_TABLE, wb))
		return;
	const struct sbx_toml_table *t = ak->value.u.table;
	bool any = false; /* an operation key, even one reported as invalid */
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		const char *w =
		    sbx_arena_printf(&ctx->arena, "`%s.%s`", base, sbx_schema_name(ctx, k));
		bool strip = sbx_schema_key_is(k, "strip_request_headers");
		bool inject = sbx_schema_key_is(k, "inject_request_headers");
		any |=
		    (strip || inject) && !(k->value.type == SBX_TOML_ARRAY && !k->value.u.array->n);
		if (strip)
			a->strip_request_headers = strings(ctx, k, w);
		else if (inject)
			read_inject(ctx, a, k, w);
		else
			sbx_schema_unknown_key(ctx, k, wb, action_keys, N(action_keys));
	}
	if (!any) {
		struct sbx_diag *d = sbx_diag_emit(ctx, SBX_E0406, ak->span,
		                                   "`%s` must define at least one operation", base);
		sbx_diag_help(ctx, d, "add `strip_request_headers` or `inject_request_headers`");
	}
}

static void read_mitm(struct sbx_ctx *ctx, struct sbx_network *n, const struct sbx_toml_key *mk)
{
	static const char *const mitm_keys[] = {"hooks", "actions"};
	if (!sbx_schema_expect(ctx, mk, SBX_TOML_TABLE, "`network.mitm`"))
		return;
	const struct sbx_toml_table *t = mk->value.u.table;
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		bool hooks = sbx_schema_key_is(k, "hooks");
		if (!hooks && !sbx_schema_key_is(k, "actions")) {
			sbx_schema_unknown_key(ctx, k, "`network.mitm`", mitm_keys, 2);
			continue;
		}
		if (!sbx_schema_expect(ctx, k, SBX_TOML_TABLE,
		                       hooks ? "`network.mitm.hooks`" : "`network.mitm.actions`"))
			continue;
		const struct sbx_toml_table *s = k->value.u.table;
		if (hooks) {
			n->hooks = sbx_arena_alloc(&ctx->arena, (s->n + 1) * sizeof *n->hooks);
			for (size_t j = 0; j < s->n; j++)
				read_hook(ctx, &n->hooks[n->nhooks++], &s->items[j]);
		} else {
			n->actions = sbx_arena_alloc(&ctx->arena, (s->n + 1) * sizeof *n->actions);
			for (size_t j = 0; j < s->n; j++)
				read_action(ctx, &n->actions[n->nactions++], &s->items[j]);
		}
	}
	/* every action a hook names must exist */
	for (size_t i = 0; i < n->nhooks; i++) {
		const struct sbx_mitm_hook *h = &n->hooks[i];
		for (size_t j = 0; j < h->actions.n; j++) {
			bool found = false;
			for (size_t a = 0; a < n->nactions && !found; a++)
				found = strcmp(n->actions[a].name, h->actions.items[j]) == 0;
			if (!found)
				sbx_diag_emit(ctx, SBX_E0407, h->actions.spans[j],
				              "hook `%s` refers to undefined action `%s`",
				              sbx_diag_quote(ctx, h->name, strlen(h->name)),
				              sbx_diag_quote(ctx, h->actions.items[j],
				                             strlen(h->actions.items[j])));
		}
	}
}

static void read_mode(struct sbx_ctx *ctx, struct sbx_network *n, const struct sbx_toml_key *k)
{
	if (!sbx_schema_expect(ctx, k, SBX_TOML_STRING, "`network.mode`"))
		return;
	const char *v = k->value.u.str.ptr;
	size_t len = k->value.u.str.len;
	if (len == 4 && memcmp(v, "full", 4) == 0) {
		n->mode = SBX_NET_MODE_FULL;
	} else if (len == 7 && memcmp(v, "limited", 7) == 0) {
		n->mode = SBX_NET_MODE_LIMITED;
	} else {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0401, k->value.span, "invalid network mode `%s`",
		                  sbx_diag_quote(ctx, v, len));
		sbx_diag_help(ctx, d, "expected `full`, or `limited` (GET, HEAD and OPTIONS only)");
		return;
	}
	n->mode_set = true;
	n->mode_span = k->value.span;
}

void sbx_net_compile(struct sbx_ctx *ctx, struct sbx_profile *p, const struct sbx_toml_key *net,
                     const struct sbx_origins *o)
{
	struct sbx_network *n = &p->network;
	n->proxy_url.value = DEFAULT_PROXY_URL;
	n->socks_url.value = DEFAULT_SOCKS_URL;
	n->enable_socks5.value = true;
	n->enable_socks5_udp.value = true;
	n->allow_upstream_proxy.value = true;
	n->mode = SBX_NET_MODE_FULL;
	if (!net || !sbx_schema_expect(ctx, net, SBX_TOML_TABLE, "`network`"))
		return;
	const struct sbx_toml_table *t = net->value.u.table;
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		if (sbx_schema_key_is(k, "enabled"))
			set_bool(ctx, k, &n->enabled);
		else if (sbx_schema_key_is(k, "proxy_url"))
			set_str(ctx, k, &n->proxy_url);
		else if (sbx_schema_key_is(k, "socks_url"))
			set_str(ctx, k, &n->socks_url);
		else if (sbx_schema_key_is(k, "enable_socks5"))
			set_bool(ctx, k, &n->enable_socks5);
		else if (sbx_schema_key_is(k, "enable_socks5_udp"))
			set_bool(ctx, k, &n->enable_socks5_udp);
		else if (sbx_schema_key_is(k, "allow_upstream_proxy"))
			set_bool(ctx, k, &n->allow_upstream_proxy);
		else if (sbx_schema_key_is(k, "dangerously_allow_non_loopback_proxy"))
			set_bool(ctx, k, &n->dangerously_allow_non_loopback_proxy);
		else if (sbx_schema_key_is(k, "dangerously_allow_all_unix_sockets"))
			set_bool(ctx, k, &n->dangerously_allow_all_unix_sockets);
		else if (sbx_schema_key_is(k, "allow_local_binding"))
			set_bool(ctx, k, &n->allow_local_binding);
		else if (sbx_schema_key_is(k, "mode"))
			read_mode(ctx, n, k);
		else if (sbx_schema_key_is(k, "domains"))
			read_domains(ctx, n, k);
		else if (sbx_schema_key_is(k, "unix_sockets"))
			read_unix_sockets(ctx, n, k);
		else if (sbx_schema_key_is(k, "mitm"))
			read_mitm(ctx, n, k);
		else {
			/* the profile that wrote the key, so that a parent's key reads
			** the same whichever profile of the chain is compiled */
			const char *owner = sbx_origins_get(o, k->span);
			if (!owner)
				owner = p->name;
			const char *where =
			    sbx_arena_printf(&ctx->arena, "the network table of `%s`",
			                     sbx_diag_quote(ctx, owner, strlen(owner)));
			sbx_schema_unknown_key(ctx, k, where, net_keys, N(net_keys));
		}
	}
	bool remote = n->dangerously_allow_non_loopback_proxy.value;
	check_proxy_url(ctx, &n->proxy_url, "proxy_url", remote);
	check_proxy_url(ctx, &n->socks_url, "socks_url", remote);
}
