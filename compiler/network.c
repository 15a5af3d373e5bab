/*
** network.c: the network decision of the semantic pass (spec/semantics.md,
** "The network decision"): none, full or proxy-only, with the endpoints
** and the domain rules in force. Decided once, from the profile's network
** table, the managed-proxy setting and the proxy variables of the
** environment the command runs with; everything downstream reads r->net.
*/
#include "arena.h"
#include "diag.h"
#include "proxy_env.h"
#include "proxy_env_win.h"
#include "resolve_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* The managed proxy's listening addresses when the profile names none
** (fact sheet §1.6, network-proxy config defaults). */
#define MANAGED_PROXY_URL "http://127.0.0.1:3128"
#define MANAGED_SOCKS_URL "http://127.0.0.1:8081"

/* The proxy variables by the rule set of the target OS: Windows (§5.6,
** proxy_env_win.c) is stricter than the POSIX one. allow_local_binding: the
** profile's, or on Windows also its variable. */
static void read_env(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	const struct sbx_net_bool *alb = &r->profile->network.allow_local_binding;
	r->net.allow_local_binding = alb->set && alb->value;
	if (r->net.allow_local_binding)
		r->net.local_binding_from = "profile";
	if (r->os != SBX_OS_WINDOWS) {
		sbx_proxy_env_posix(ctx, r->opts.env, &r->net.env);
		return;
	}
	sbx_proxy_env_windows(ctx, r->opts.env, &r->net.env);
	if (!r->net.allow_local_binding && sbx_proxy_env_windows_local_binding(r->opts.env)) {
		r->net.allow_local_binding = true;
		r->net.local_binding_from = SBX_WIN_LOCAL_BINDING_VAR;
	}
}

static void profile_url(struct sbx_ctx *ctx, struct sbx_net_decision *n, const char *url,
                        struct sbx_span span, bool socks)
{
	struct sbx_proxy_endpoint *ep = &n->profile_urls[n->nprofile_urls];
	sbx_proxy_url_posix(ctx, url, ep);
	n->profile_url_socks[n->nprofile_urls] = socks;
	n->profile_url_spans[n->nprofile_urls++] = span;
}

static void profile_urls(struct sbx_ctx *ctx, const struct sbx_network *nw,
                         struct sbx_net_decision *n)
{
	n->profile_urls = sbx_arena_alloc(&ctx->arena, 2 * sizeof *n->profile_urls);
	n->profile_url_spans = sbx_arena_alloc(&ctx->arena, 2 * sizeof *n->profile_url_spans);
	n->profile_url_socks = sbx_arena_alloc(&ctx->arena, 2 * sizeof *n->profile_url_socks);
	if (nw->proxy_url.set)
		profile_url(ctx, n, nw->proxy_url.value, nw->proxy_url.span, false);
	else if (nw->managed_proxy)
		profile_url(ctx, n, MANAGED_PROXY_URL, SBX_NO_SPAN, false);
	bool socks = !nw->enable_socks5.set || nw->enable_socks5.value;
	if (socks && nw->socks_url.set)
		profile_url(ctx, n, nw->socks_url.value, nw->socks_url.span, true);
	else if (socks && nw->managed_proxy)
		profile_url(ctx, n, MANAGED_SOCKS_URL, SBX_NO_SPAN, true);
}

static int port_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

static void ports(struct sbx_ctx *ctx, struct sbx_net_decision *n)
{
	size_t max = n->env.n + n->nprofile_urls;
	n->ports = sbx_arena_alloc(&ctx->arena, (max ? max : 1) * sizeof *n->ports);
	for (size_t i = 0; i < n->env.nports; i++)
		n->ports[n->nports++] = n->env.ports[i];
	for (size_t i = 0; i < n->nprofile_urls; i++)
		if (n->profile_urls[i].loopback)
			n->ports[n->nports++] = n->profile_urls[i].port;
	qsort(n->ports, n->nports, sizeof *n->ports, port_cmp);
	size_t w = 0;
	for (size_t i = 0; i < n->nports; i++)
		if (!w || n->ports[w - 1] != n->ports[i])
			n->ports[w++] = n->ports[i];
	n->nports = w;
	for (size_t i = 0; i < n->env.n; i++)
		n->nunusable += !n->env.endpoints[i].loopback;
	for (size_t i = 0; i < n->nprofile_urls; i++)
		n->nunusable += !n->profile_urls[i].loopback;
}

/* Why an endpoint cannot be used, in words. */
static const char *unusable_why(const struct sbx_proxy_endpoint *ep)
{
	if (!ep->parsed)
		return ep->error;
	if (ep->port == 0)
		return "its port is 0";
	return "its host is not localhost, 127.0.0.1 or ::1";
}

static void fail_closed_warning(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	struct sbx_net_decision *n = &r->net;
	struct sbx_span span = n->nprofile_urls && n->profile_url_spans[0].file
	                           ? n->profile_url_spans[0]
	                           : SBX_NO_SPAN;
	struct sbx_diag *d = sbx_diag_emit(
	    ctx, SBX_W0450, span,
	    "the network is proxy-enforced but no proxy endpoint is a usable loopback address: "
	    "the command gets no network");
	for (size_t i = 0; i < n->env.n; i++) {
		const struct sbx_proxy_endpoint *ep = &n->env.endpoints[i];
		if (!ep->loopback)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s` = `%s`: %s", ep->var,
			              sbx_q(ctx, sbx_proxy_shown(ctx, ep)), unusable_why(ep));
	}
	for (size_t i = 0; i < n->nprofile_urls; i++) {
		const struct sbx_proxy_endpoint *ep = &n->profile_urls[i];
		if (!ep->loopback)
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "`%s`: %s",
			              sbx_q(ctx, sbx_proxy_shown(ctx, ep)), unusable_why(ep));
	}
	sbx_diag_help(ctx, d,
	              "point the proxy variables at a proxy on localhost, 127.0.0.1 or [::1]");
}

/* ---- the hosts a filter allows (R-SEM-48) ---- */

/* Is host h, or every subdomain of it when `sub`, inside the set d? */
static bool is_sub_of(const char *h, const char *base)
{
	size_t n = strlen(h), m = strlen(base);
	return n > m + 1 && h[n - m - 1] == '.' && strcmp(h + n - m, base) == 0;
}

static bool host_in(const char *h, const struct sbx_host_set *d)
{
	return (d->apex && strcmp(h, d->base) == 0) || (d->sub && is_sub_of(h, d->base));
}

static struct sbx_host_set rule_set(const struct sbx_net_rule *rule)
{
	struct sbx_host_set s = {.base = rule->pattern, .from = rule};
	if (strncmp(rule->pattern, "**.", 3) == 0)
		s.base += 3, s.apex = s.sub = true;
	else if (strncmp(rule->pattern, "*.", 2) == 0)
		s.base += 2, s.sub = true;
	else
		s.apex = true;
	return s;
}

/* Takes the deny set d out of a: the apex when d holds it, all subdomains
** when d holds them all; false when d holds only some of a's subdomains. */
static bool subtract(struct sbx_host_set *a, const struct sbx_host_set *d)
{
	if (a->apex && host_in(a->base, d))
		a->apex = false;
	if (!a->sub)
		return true;
	bool all = d->sub && (strcmp(a->base, d->base) == 0 || is_sub_of(a->base, d->base));
	bool some =
	    (d->apex && is_sub_of(d->base, a->base)) || (d->sub && is_sub_of(d->base, a->base));
	if (all)
		a->sub = false;
	return all || !some;
}

static void filter_sets(struct sbx_ctx *ctx, struct sbx_net_decision *n)
{
	if (n->ndomains > SBX_MAX_FILTER_DOMAINS) {
		n->too_many = true;
		return;
	}
	n->allowed = sbx_arena_alloc(&ctx->arena, (n->ndomains + 1) * sizeof *n->allowed);
	n->partial_deny = sbx_arena_alloc(&ctx->arena, (n->ndomains + 1) * sizeof(void *));
	n->partial_allow = sbx_arena_alloc(&ctx->arena, (n->ndomains + 1) * sizeof(void *));
	for (size_t i = 0; i < n->ndomains; i++) {
		if (!n->domains[i].allow)
			continue;
		struct sbx_host_set a = rule_set(&n->domains[i]);
		for (size_t j = 0; j < n->ndomains; j++) {
			if (n->domains[j].allow)
				continue;
			struct sbx_host_set d = rule_set(&n->domains[j]);
			if (!subtract(&a, &d) && n->npartial < n->ndomains) {
				n->partial_deny[n->npartial] = &n->domains[j];
				n->partial_allow[n->npartial++] = &n->domains[i];
			}
		}
		if (a.apex || a.sub)
			n->allowed[n->nallowed++] = a;
	}
}

void sbx_network(struct sbx_ctx *ctx, struct sbx_resolved *r)
{
	const struct sbx_network *nw = &r->profile->network;
	struct sbx_net_decision *n = &r->net;
	memset(n, 0, sizeof *n);
	read_env(ctx, r); /* after the memset: it sets allow_local_binding */
	profile_urls(ctx, nw, n);
	ports(ctx, n);
	if (r->disabled) {
		n->kind = SBX_NET_FULL;
		n->by = SBX_NET_BY_UNSANDBOXED;
		n->span = r->profile->span;
	} else if (!nw->enabled.value) {
		n->kind = SBX_NET_NONE;
		n->by = SBX_NET_BY_DISABLED;
		n->span = nw->enabled.set ? nw->enabled.span : SBX_NO_SPAN;
	} else {
		n->proxy_enforced = true;
		n->filter = nw->ndomains > 0 || nw->mode == SBX_NET_MODE_LIMITED;
		if (n->filter) {
			n->by = SBX_NET_BY_DOMAINS;
			n->span = nw->ndomains ? nw->domains[0].span : nw->mode_span;
			n->domains = nw->domains;
			n->ndomains = nw->ndomains;
			n->limited = nw->mode == SBX_NET_MODE_LIMITED;
			filter_sets(ctx, n);
		} else if (nw->managed_proxy) {
			n->by = SBX_NET_BY_MANAGED;
			n->span = nw->enabled.span;
		} else if (nw->proxy_url.set || (nw->socks_url.set && n->nprofile_urls)) {
			n->by = SBX_NET_BY_PROFILE_URL;
			n->span = n->profile_url_spans[0];
		} else if (n->env.configured) {
			n->by = SBX_NET_BY_ENV;
			n->span = SBX_NO_SPAN;
		} else {
			n->proxy_enforced = false;
			n->by = SBX_NET_BY_ENABLED;
			n->span = nw->enabled.span;
		}
		n->kind = !n->proxy_enforced ? SBX_NET_FULL : SBX_NET_PROXY;
		if (n->proxy_enforced && !n->filter && n->nports == 0) {
			n->kind = SBX_NET_NONE;
			n->fail_closed = true;
			fail_closed_warning(ctx, r);
		}
	}
	r->network_enabled = n->kind != SBX_NET_NONE;
	r->proxy_enforced = n->kind == SBX_NET_PROXY;
}

const char *sbx_net_kind_name(enum sbx_net_kind k)
{
	return k == SBX_NET_NONE ? "none" : k == SBX_NET_FULL ? "full" : "proxy";
}

const char *sbx_net_by_name(enum sbx_net_by b)
{
	static const char *const names[] = {
	    [SBX_NET_BY_UNSANDBOXED] = "unsandboxed", [SBX_NET_BY_DISABLED] = "disabled",
	    [SBX_NET_BY_ENABLED] = "enabled",         [SBX_NET_BY_DOMAINS] = "domains",
	    [SBX_NET_BY_MANAGED] = "managed_proxy",   [SBX_NET_BY_PROFILE_URL] = "profile_url",
	    [SBX_NET_BY_ENV] = "environment",
	};
	return (size_t)b < sizeof names / sizeof names[0] ? names[b] : "?";
}

const char *sbx_proxy_shown(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep)
{
	if (!ep->parsed)
		return strchr(ep->value, '@') ? "***" : ep->value;
	if (!ep->userinfo)
		return ep->value;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addf(&sb, "%s://***@", ep->scheme);
	if (ep->ipv6)
		sbx_sb_addf(&sb, "[%s]", ep->host);
	else
		sbx_sb_adds(&sb, ep->host);
	if (ep->port_explicit)
		sbx_sb_addf(&sb, ":%u", (unsigned)ep->port);
	sbx_sb_adds(&sb, ep->rest);
	const char *s = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return s;
}

static void endpoint_words(struct sbx_strbuf *sb, const struct sbx_proxy_endpoint *ep, size_t *k)
{
	if (!ep->loopback || ep->shadowed)
		return;
	sbx_sb_addf(sb, "%s%s%s%s:%u (%s)", (*k)++ ? ", " : "", ep->ipv6 ? "[" : "", ep->host,
	            ep->ipv6 ? "]" : "", (unsigned)ep->port, ep->var ? ep->var : "the profile");
}

const char *sbx_net_decision_text(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	const struct sbx_net_decision *n = &r->net;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	switch (n->by) {
	case SBX_NET_BY_UNSANDBOXED:
		sbx_sb_adds(&sb, "full: the profile disables the sandbox");
		break;
	case SBX_NET_BY_DISABLED:
		sbx_sb_adds(&sb, "none: `enabled` is not true");
		if (r->profile->network.ndomains || r->profile->network.mode_set)
			sbx_sb_adds(&sb, " (domain rules and `mode` have no effect)");
		break;
	case SBX_NET_BY_ENABLED:
		sbx_sb_adds(&sb, "full: `enabled = true` and no proxy in the profile or the "
		                 "environment");
		break;
	default:
		if (n->fail_closed) {
			sbx_sb_adds(&sb,
			            "none (fail closed): proxy-enforced, but no proxy endpoint is "
			            "a usable loopback address");
		} else if (n->filter) {
			sbx_sb_addf(&sb,
			            "proxy-only, through a filtering proxy that applies the domain "
			            "rules (default deny)%s",
			            n->limited ? " and `mode = \"limited\"`" : "");
		} else {
			sbx_sb_adds(&sb, "proxy-only: ");
			size_t k = 0;
			for (size_t i = 0; i < n->env.n; i++)
				endpoint_words(&sb, &n->env.endpoints[i], &k);
			for (size_t i = 0; i < n->nprofile_urls; i++)
				endpoint_words(&sb, &n->profile_urls[i], &k);
		}
		sbx_sb_addf(
		    &sb, "; decided by %s",
		    n->by == SBX_NET_BY_DOMAINS
		        ? (n->ndomains ? "the profile's domain rules" : "`mode = \"limited\"`")
		    : n->by == SBX_NET_BY_MANAGED     ? "the managed proxy (`[features] "
		                                        "network_proxy`)"
		    : n->by == SBX_NET_BY_PROFILE_URL ? "the profile's proxy URL"
		                                      : "proxy variables in the environment");
		break;
	}
	/* the rules in force, the first few of them: `ir` lists them all */
	size_t shown = n->ndomains < 8 ? n->ndomains : 8;
	for (size_t i = 0; n->filter && i < shown; i++)
		sbx_sb_addf(&sb, "%s %s `%s`",
		            i ? "," : "; domains:", n->domains[i].allow ? "allow" : "deny",
		            sbx_q(ctx, n->domains[i].pattern));
	if (n->filter && n->ndomains > shown)
		sbx_sb_addf(&sb, " and %zu more", n->ndomains - shown);
	const char *s = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return s;
}

static json_t *endpoint_json(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep)
{
	json_t *o = json_object();
	json_object_set_new(o, "variable", ep->var ? json_string(ep->var) : json_null());
	json_object_set_new(o, "url", json_string(sbx_proxy_shown(ctx, ep)));
	json_object_set_new(o, "parsed", json_boolean(ep->parsed));
	if (!ep->parsed) {
		json_object_set_new(o, "error", json_string(ep->error));
	} else {
		json_object_set_new(o, "scheme", json_string(ep->scheme));
		json_object_set_new(o, "host", json_string(ep->host));
		json_object_set_new(o, "port", json_integer(ep->port));
		json_object_set_new(o, "credentials", json_boolean(ep->userinfo != NULL));
	}
	json_object_set_new(o, "loopback", json_boolean(ep->loopback));
	json_object_set_new(o, "shadowed", json_boolean(ep->shadowed));
	return o;
}

json_t *sbx_net_decision_to_json(struct sbx_ctx *ctx, const struct sbx_resolved *r)
{
	const struct sbx_net_decision *n = &r->net;
	json_t *o = json_object();
	json_object_set_new(o, "enabled", json_boolean(r->network_enabled));
	json_object_set_new(o, "proxy_enforced", json_boolean(r->proxy_enforced));
	json_object_set_new(o, "mode", json_string(sbx_net_kind_name(n->kind)));
	json_object_set_new(o, "decided_by", json_string(sbx_net_by_name(n->by)));
	json_object_set_new(o, "fail_closed", json_boolean(n->fail_closed));
	json_object_set_new(o, "proxy_env_rules", json_string(n->env.rules));
	json_object_set_new(o, "proxy_configured", json_boolean(n->env.configured));
	json_t *eps = json_array();
	for (size_t i = 0; i < n->env.n; i++)
		json_array_append_new(eps, endpoint_json(ctx, &n->env.endpoints[i]));
	for (size_t i = 0; i < n->nprofile_urls; i++)
		json_array_append_new(eps, endpoint_json(ctx, &n->profile_urls[i]));
	json_object_set_new(o, "endpoints", eps);
	json_t *ports = json_array();
	for (size_t i = 0; i < n->nports; i++)
		json_array_append_new(ports, json_integer(n->ports[i]));
	json_object_set_new(o, "loopback_ports", ports);
	json_object_set_new(o, "filter", json_boolean(n->filter));
	json_t *doms = json_array();
	for (size_t i = 0; i < n->ndomains; i++) {
		json_t *d = json_object();
		json_object_set_new(d, "pattern", json_string(n->domains[i].pattern));
		json_object_set_new(d, "rule", json_string(n->domains[i].allow ? "allow" : "deny"));
		json_array_append_new(doms, d);
	}
	json_object_set_new(o, "domains", doms);
	json_object_set_new(o, "limited", json_boolean(n->limited));
	json_t *allowed = json_array();
	for (size_t i = 0; i < n->nallowed; i++) {
		const struct sbx_host_set *h = &n->allowed[i];
		json_t *a = json_object();
		json_object_set_new(a, "host", json_string(h->base));
		json_object_set_new(a, "apex", json_boolean(h->apex));
		json_object_set_new(a, "subdomains", json_boolean(h->sub));
		json_array_append_new(allowed, a);
	}
	json_object_set_new(o, "allowed_hosts", allowed);
	return o;
}
