/*
** proxy.c: the proxy-only mode of the Linux target (bubblewrap), from the
** semantic pass's network decision (r->net, spec/semantics.md §12):
**
**   proxy.json        the routes (one per distinct loopback endpoint, or the
**                     filtering proxy), the proxy variables the command gets
**                     and where each comes from, and the proxy environment
**                     the decision was made for (the runtime re-reads the
**                     environment and refuses to run when it differs)
**   tinyproxy.conf    with domain rules: tinyproxy's configuration, a
**                     default-deny host filter; the runtime adds the lines
**                     that belong to one run (Port, Listen, Filter, PidFile)
**   tinyproxy.filter  the allowed hosts as anchored extended regular
**                     expressions, one per line
**
** and the seccomp rules of the mode: socket() only for AF_INET and AF_INET6
** stream sockets (no AF_UNIX socket can be made, so neither a socket file
** the policy shows nor an abstract address is reachable; no UDP, so no DNS
** query, even to the namespace's own loopback), socketpair() only for
** AF_UNIX.
** The network namespace (bwrap --unshare-net) holds nothing but the
** listeners the runtime bridges; credentials in proxy URLs are never
** written into an artifact: the runtime takes them from the environment.
*/
#include "emit_int.h"
#include "strbuf.h"

#include <errno.h>
#include <seccomp.h>
#include <string.h>
#include <sys/socket.h>

/* The standard variables set to an endpoint that comes from the profile
** (the managed proxy's), or to the filtering proxy. */
static const char *const http_vars[] = {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"};
static const char *const all_vars[] = {"ALL_PROXY", "all_proxy"};

struct routes {
	struct sbx_ctx *ctx;
	json_t *routes, *vars;
	const struct sbx_proxy_endpoint **eps; /* one per route */
	size_t n;
};

static const char *connect_host(const struct sbx_proxy_endpoint *ep)
{
	return ep->ipv6 ? "::1" : "127.0.0.1"; /* `localhost` is 127.0.0.1 (§4.6) */
}

static size_t route_of(struct routes *rt, const struct sbx_proxy_endpoint *ep)
{
	for (size_t i = 0; i < rt->n; i++)
		if (rt->eps[i]->port == ep->port &&
		    strcmp(connect_host(rt->eps[i]), connect_host(ep)) == 0)
			return i;
	json_t *o = json_object();
	json_object_set_new(o, "connect", json_string(connect_host(ep)));
	json_object_set_new(o, "port", json_integer(ep->port));
	json_array_append_new(rt->routes, o);
	rt->eps[rt->n] = ep;
	return rt->n++;
}

static bool has_var(json_t *vars, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(vars, i, v)
	{
		if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
			return true;
	}
	return false;
}

/* A variable of the command: `from` is "environment" (its own value with the
** host and port replaced), or "set" (url_prefix PORT url_suffix). */
static void add_var(json_t *vars, const char *name, size_t route, const char *from,
                    const char *prefix, const char *suffix)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(name));
	json_object_set_new(o, "route", json_integer((json_int_t)route));
	json_object_set_new(o, "from", json_string(from));
	if (prefix) {
		json_object_set_new(o, "url_prefix", json_string(prefix));
		json_object_set_new(o, "url_suffix", json_string(suffix));
	}
	json_array_append_new(vars, o);
}

static void profile_vars(struct routes *rt, const struct sbx_proxy_endpoint *ep, size_t route,
                         const char *const *names, size_t n)
{
	const char *url = sbx_proxy_url_with(rt->ctx, ep, "127.0.0.1", 0);
	/* the URL without its port: everything up to the `:0` that was written */
	const char *colon = strstr(url + strlen(ep->scheme) + 3, ":0");
	const char *prefix = sbx_arena_strndup(&rt->ctx->arena, url, (size_t)(colon - url) + 1);
	for (size_t i = 0; i < n; i++)
		if (!has_var(rt->vars, names[i]))
			add_var(rt->vars, names[i], route, "set", prefix, colon + 2);
}

static json_t *environment_json(const struct sbx_net_decision *n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n->env.n; i++) {
		const struct sbx_proxy_endpoint *ep = &n->env.endpoints[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(ep->var));
		json_object_set_new(o, "scheme", json_string(ep->parsed ? ep->scheme : ""));
		json_object_set_new(o, "host", json_string(ep->parsed ? ep->host : ""));
		json_object_set_new(o, "port", json_integer(ep->port));
		json_object_set_new(o, "credentials", json_boolean(ep->userinfo != NULL));
		json_array_append_new(a, o);
	}
	return a;
}

/* ^example\.com$ and ^([a-z0-9_-]+\.)+example\.com$ (case-insensitive). */
static void filter_line(struct sbx_strbuf *sb, const char *base, bool sub)
{
	sbx_sb_adds(sb, sub ? "^([a-z0-9_-]+\\.)+" : "^");
	for (const char *p = base; *p; p++) {
		if (strchr(".[]", *p))
			sbx_sb_addc(sb, '\\');
		sbx_sb_addc(sb, *p);
	}
	sbx_sb_adds(sb, "$\n");
}

/* The first loopback http or socks endpoint of the environment, which
** tinyproxy forwards to when the profile allows an upstream proxy. */
static const struct sbx_proxy_endpoint *upstream(const struct sbx_resolved *r)
{
	const struct sbx_network *nw = &r->profile->network;
	if (nw->allow_upstream_proxy.set && !nw->allow_upstream_proxy.value)
		return NULL;
	for (size_t i = 0; i < r->net.env.n; i++) {
		const struct sbx_proxy_endpoint *ep = &r->net.env.endpoints[i];
		if (ep->loopback && !ep->shadowed &&
		    (strcmp(ep->scheme, "http") == 0 || strcmp(ep->scheme, "socks5") == 0 ||
		     strcmp(ep->scheme, "socks5h") == 0 || strcmp(ep->scheme, "socks4") == 0))
			return ep;
	}
	return NULL;
}

static enum sbx_status tinyproxy_files(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                       struct sbx_sink *sink, json_t *desc)
{
	const struct sbx_net_decision *n = &r->net;
	struct sbx_strbuf conf = SBX_STRBUF_INIT, filt = SBX_STRBUF_INIT;
	sbx_sb_addf(&conf,
	            "# tinyproxy configuration generated by sbxc for profile `%s`: a default-deny\n"
	            "# filter of the host names the domain rules allow (tinyproxy.filter).\n"
	            "# The runtime adds Port, Listen, Filter and PidFile for each run.\n"
	            "Timeout 600\n"
	            "MaxClients 256\n"
	            "LogLevel Error\n"
	            "Allow 127.0.0.1\n"
	            "DisableViaHeader Yes\n"
	            "FilterDefaultDeny Yes\n"
	            "FilterURLs Off\n"
	            "FilterType ere\n"
	            "FilterCaseSensitive Off\n",
	            r->profile->name);
	const struct sbx_proxy_endpoint *up = upstream(r);
	if (up) {
		const char *kind = strcmp(up->scheme, "http") == 0     ? "http"
		                   : strcmp(up->scheme, "socks4") == 0 ? "socks4"
		                                                       : "socks5";
		sbx_sb_addf(&conf, "Upstream %s %s:%u\n", kind, up->ipv6 ? "[::1]" : "127.0.0.1",
		            (unsigned)up->port);
		json_t *u = json_object();
		json_object_set_new(u, "variable", json_string(up->var));
		json_object_set_new(u, "type", json_string(kind));
		json_object_set_new(u, "port", json_integer(up->port));
		json_object_set_new(desc, "upstream", u);
	} else {
		json_object_set_new(desc, "upstream", json_null());
	}
	sbx_sb_adds(&filt,
	            "# hosts allowed by the domain rules (sbxc); everything else is refused\n");
	for (size_t i = 0; i < n->nallowed; i++) {
		if (n->allowed[i].apex)
			filter_line(&filt, n->allowed[i].base, false);
		if (n->allowed[i].sub)
			filter_line(&filt, n->allowed[i].base, true);
	}
	enum sbx_status st = sbx_sink_put(ctx, sink, SBX_ART_TINYPROXY_CONF, conf.buf, conf.len);
	if (st == SBX_OK)
		st = sbx_sink_put(ctx, sink, SBX_ART_TINYPROXY_FILTER, filt.buf, filt.len);
	sbx_sb_release(&conf);
	sbx_sb_release(&filt);
	return st;
}

size_t sbx_proxy_files(const struct sbx_resolved *r, const char **files)
{
	size_t n = 0;
	files[n++] = SBX_ART_PROXY_JSON;
	if (r->net.filter) {
		files[n++] = SBX_ART_TINYPROXY_CONF;
		files[n++] = SBX_ART_TINYPROXY_FILTER;
	}
	return n;
}

enum sbx_status sbx_emit_proxy(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               struct sbx_sink *sink)
{
	const struct sbx_net_decision *n = &r->net;
	json_t *o = json_object();
	struct routes rt = {.ctx = ctx, .routes = json_array(), .vars = json_array()};
	rt.eps = sbx_arena_alloc(&ctx->arena, (n->env.n + n->nprofile_urls + 1) * sizeof *rt.eps);
	json_object_set_new(o, "mode", json_string(n->filter ? "filter" : "bridge"));
	enum sbx_status st = SBX_OK;
	if (n->filter) {
		json_t *t = json_object();
		json_object_set_new(t, "connect", json_string("127.0.0.1"));
		json_object_set_new(t, "port", json_null());
		json_object_set_new(t, "tinyproxy", json_true());
		json_array_append_new(rt.routes, t);
		/* every proxy variable of the environment and the standard ones */
		for (size_t i = 0; i < n->env.n; i++)
			if (!has_var(rt.vars, n->env.endpoints[i].var))
				add_var(rt.vars, n->env.endpoints[i].var, 0, "set",
				        "http://127.0.0.1:", "");
		for (size_t i = 0; i < 4; i++)
			if (!has_var(rt.vars, http_vars[i]))
				add_var(rt.vars, http_vars[i], 0, "set", "http://127.0.0.1:", "");
		for (size_t i = 0; i < 2; i++)
			if (!has_var(rt.vars, all_vars[i]))
				add_var(rt.vars, all_vars[i], 0, "set", "http://127.0.0.1:", "");
		json_t *tp = json_object();
		json_object_set_new(tp, "config", json_string(SBX_ART_TINYPROXY_CONF));
		json_object_set_new(tp, "filter", json_string(SBX_ART_TINYPROXY_FILTER));
		st = tinyproxy_files(ctx, r, sink, tp);
		json_object_set_new(o, "tinyproxy", tp);
	} else {
		for (size_t i = 0; i < n->env.n; i++) {
			const struct sbx_proxy_endpoint *ep = &n->env.endpoints[i];
			add_var(rt.vars, ep->var, route_of(&rt, ep), "environment", NULL, NULL);
		}
		for (size_t i = 0; i < n->nprofile_urls; i++) {
			const struct sbx_proxy_endpoint *ep = &n->profile_urls[i];
			size_t route = route_of(&rt, ep);
			if (n->profile_url_socks[i])
				profile_vars(&rt, ep, route, all_vars, 2);
			else
				profile_vars(&rt, ep, route, http_vars, 4);
		}
	}
	json_object_set_new(o, "routes", rt.routes);
	json_object_set_new(o, "variables", rt.vars);
	json_object_set_new(o, "environment", environment_json(n));
	json_object_set_new(
	    o, "bridge",
	    json_string("each route is a listener on 127.0.0.1 inside the sandbox's network "
	                "namespace, handed out over a Unix socket pair to the runtime, which "
	                "accepts on it and connects to the route's address outside"));
	if (st == SBX_OK)
		st = sbx_sink_put_json(ctx, sink, SBX_ART_PROXY_JSON, o);
	else
		json_decref(o);
	return st;
}

/* ---- seccomp ---- */

bool sbx_seccomp_proxy_rules(void *filter)
{
	scmp_filter_ctx f = filter;
	int sock = SCMP_SYS(socket), pair = SCMP_SYS(socketpair);
	if (sock == __NR_SCMP_ERROR || pair == __NR_SCMP_ERROR)
		return false;
	/* socket(): every domain but AF_INET (2) and AF_INET6 (10), compared as
	** 64-bit values so high bits cannot pass for either */
	bool ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), sock, 1,
	                           SCMP_A0(SCMP_CMP_LT, AF_INET)) == 0 &&
	          seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), sock, 1,
	                           SCMP_A0(SCMP_CMP_GT, AF_INET6)) == 0;
	for (scmp_datum_t d = AF_INET + 1; ok && d < AF_INET6; d++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), sock, 1, SCMP_A0(SCMP_CMP_EQ, d)) ==
		     0;
	/* and only stream sockets: no UDP (DNS included), raw, SCTP or DCCP socket;
	** the type's low four bits are what the kernel reads */
	static const scmp_datum_t types[] = {SOCK_DGRAM,     SOCK_RAW,  SOCK_RDM,
	                                     SOCK_SEQPACKET, SOCK_DCCP, SOCK_PACKET};
	for (size_t i = 0; ok && i < sizeof types / sizeof types[0]; i++)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), sock, 1,
		                      SCMP_A1(SCMP_CMP_MASKED_EQ, 0xfu, types[i])) == 0;
	/* socketpair(): AF_UNIX only */
	if (ok)
		ok = seccomp_rule_add(f, SCMP_ACT_ERRNO(EPERM), pair, 1,
		                      SCMP_A0(SCMP_CMP_NE, AF_UNIX)) == 0;
	return ok;
}

static json_t *rule(const char *name, const char *when)
{
	json_t *o = json_object();
	json_object_set_new(o, "syscall", json_string(name));
	json_object_set_new(o, "when", json_string(when));
	json_object_set_new(o, "action", json_string("errno EPERM"));
	return o;
}

void sbx_seccomp_proxy_describe(json_t *o, json_t *rules)
{
	json_array_append_new(rules, rule("socket", "domain not AF_INET or AF_INET6"));
	json_array_append_new(rules, rule("socket", "type not SOCK_STREAM"));
	json_array_append_new(rules, rule("socketpair", "domain != AF_UNIX"));
	json_object_set_new(
	    o, "proxy",
	    json_string("proxy-only: the network namespace has only the bridged listeners on its "
	                "loopback; no AF_UNIX socket can be created, so no socket file or "
	                "abstract address outside is reachable"));
}
