/*
** Unit tests for the network decision of the semantic pass
** (compiler/network.c, spec/semantics.md §12) on hand-built profiles and
** fixed proxy environments: none, full, proxy-only, fail closed, what
** decided it, and what each backend makes of it.
*/
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "sema_fixture.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(network, .init = setup, .fini = teardown);

static struct pb profile(bool enabled)
{
	struct pb b;
	pb_init(&b, ctx, "net");
	pb_special(&b, SBX_SPECIAL_ROOT, NULL, SBX_ACCESS_READ);
	b.p->network.enabled.value = enabled;
	b.p->network.enabled.set = true;
	b.p->network.enabled.span = (struct sbx_span){1, 10, 17};
	return b;
}

static struct sbx_resolved *resolve(struct pb *b, const char *const *env)
{
	struct sbx_resolve_opts o = pb_opts(SBX_FLAVOR_POSIX, "/ws", "/home/u", NULL);
	o.env = env;
	struct sbx_resolved *r = sbx_resolve(ctx, b->p, &o);
	cr_assert_not_null(r);
	return r;
}

static bool has_reason(const struct sbx_resolved *r, enum sbx_backend b, enum sbx_diag_code c)
{
	for (size_t i = 0; i < r->enforce[b].nreasons; i++)
		if (r->enforce[b].reasons[i]->code == c)
			return true;
	return false;
}

static size_t count(enum sbx_diag_code c)
{
	size_t n = 0;
	for (size_t i = 0; i < ctx->ndiags; i++)
		n += ctx->diags[i]->code == c;
	return n;
}

static void add_domain(struct pb *b, const char *pattern, bool allow, uint32_t at)
{
	struct sbx_network *n = &b->p->network;
	struct sbx_net_rule *v = sbx_arena_alloc(&ctx->arena, (n->ndomains + 1) * sizeof *v);
	if (n->ndomains)
		memcpy(v, n->domains, n->ndomains * sizeof *v);
	v[n->ndomains++] = (struct sbx_net_rule){pattern, allow, {1, at, at + 5}};
	n->domains = v;
}

static const char *const loopback_env[] = {"PATH=/bin", "HTTP_PROXY=http://127.0.0.1:3128",
                                           "all_proxy=socks5h://localhost", NULL};
static const char *const remote_env[] = {"HTTPS_PROXY=http://user:hunter2@proxy.corp:8080", NULL};

Test(network, disabled_ignores_everything)
{
	struct pb b = profile(false);
	add_domain(&b, "example.com", true, 40);
	struct sbx_resolved *r = resolve(&b, loopback_env);
	cr_assert_eq(r->net.kind, SBX_NET_NONE);
	cr_assert_eq(r->net.by, SBX_NET_BY_DISABLED);
	cr_assert(!r->network_enabled && !r->proxy_enforced && !r->net.fail_closed);
	cr_assert(!r->net.filter && r->net.ndomains == 0, "no domain rule is in force");
	cr_assert(r->net.env.configured, "the environment is still reported");
	cr_assert_eq(count(SBX_W0450), 0);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
}

Test(network, enabled_without_proxy_is_full)
{
	struct pb b = profile(true);
	const char *const env[] = {"NO_PROXY=*", "HTTP_PROXY=", "Http_Proxy=http://x:1", NULL};
	struct sbx_resolved *r = resolve(&b, env);
	cr_assert_eq(r->net.kind, SBX_NET_FULL);
	cr_assert_eq(r->net.by, SBX_NET_BY_ENABLED);
	cr_assert(r->network_enabled && !r->proxy_enforced);
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok);
	cr_assert_str_eq(sbx_net_decision_text(ctx, r),
	                 "full: `enabled = true` and no proxy in the profile or the environment");
}

Test(network, environment_proxy_is_proxy_only)
{
	struct pb b = profile(true);
	struct sbx_resolved *r = resolve(&b, loopback_env);
	cr_assert_eq(r->net.kind, SBX_NET_PROXY);
	cr_assert_eq(r->net.by, SBX_NET_BY_ENV);
	cr_assert(r->network_enabled && r->proxy_enforced && !r->net.filter);
	cr_assert_eq(r->net.nports, 2);
	cr_assert_eq(r->net.ports[0], 1080);
	cr_assert_eq(r->net.ports[1], 3128);
	cr_assert_eq(r->net.span.file, 0, "the environment has no span");
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok, "bubblewrap bridges the endpoints");
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0602));
	cr_assert(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
	cr_assert_str_eq(sbx_net_decision_text(ctx, r),
	                 "proxy-only: 127.0.0.1:3128 (HTTP_PROXY), localhost:1080 (all_proxy); "
	                 "decided by proxy variables in the environment");
}

Test(network, no_usable_endpoint_fails_closed)
{
	struct pb b = profile(true);
	struct sbx_resolved *r = resolve(&b, remote_env);
	cr_assert_eq(r->net.kind, SBX_NET_NONE, "never full network");
	cr_assert(r->net.fail_closed && r->net.proxy_enforced);
	cr_assert(!r->network_enabled && !r->proxy_enforced);
	cr_assert_eq(r->net.nunusable, 1);
	cr_assert_eq(count(SBX_W0450), 1);
	const struct sbx_diag *d = NULL;
	for (size_t i = 0; i < ctx->ndiags; i++)
		if (ctx->diags[i]->code == SBX_W0450)
			d = ctx->diags[i];
	cr_assert_str_eq(d->msg, "the network is proxy-enforced but no proxy endpoint is a usable "
	                         "loopback address: the command gets no network");
	cr_assert_str_eq(d->notes->msg, "`HTTPS_PROXY` = `http://***@proxy.corp:8080`: its host is "
	                                "not localhost, 127.0.0.1 or ::1");
	cr_assert_null(strstr(sbx_net_decision_text(ctx, r), "hunter2"));
	/* macOS: no network; Linux refuses what it cannot bridge (exit 125) */
	cr_assert(r->enforce[SBX_BACKEND_MACOS_SEATBELT].ok);
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_BWRAP, SBX_E0691));
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0691));
	cr_assert_str_eq(r->enforce[SBX_BACKEND_LINUX_BWRAP].reasons[0]->msg,
	                 "`linux-bwrap` cannot route the proxy variable `HTTPS_PROXY` "
	                 "(`http://***@proxy.corp:8080`): only a proxy on localhost, 127.0.0.1 "
	                 "or ::1 can be bridged");
	cr_assert(!r->legacy.network_access);
}

Test(network, deny_domain_is_never_full_network)
{
	struct pb b = profile(true);
	add_domain(&b, "evil.example.com", false, 60);
	struct sbx_resolved *r = resolve(&b, NULL);
	cr_assert_eq(r->net.kind, SBX_NET_PROXY);
	cr_assert_eq(r->net.by, SBX_NET_BY_DOMAINS);
	cr_assert(r->net.filter && !r->net.fail_closed);
	cr_assert_eq(r->net.ndomains, 1);
	cr_assert_eq(r->net.span.start, 60, "the domain entry decided it");
	cr_assert(has_reason(r, SBX_BACKEND_MACOS_SEATBELT, SBX_E0690));
	cr_assert(r->enforce[SBX_BACKEND_LINUX_BWRAP].ok, "tinyproxy filters it");
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_LANDLOCK, SBX_E0602));
	cr_assert_eq(r->net.nallowed, 0, "default deny: nothing is allowed");
	const struct sbx_diag *d = r->enforce[SBX_BACKEND_MACOS_SEATBELT].reasons[0];
	cr_assert_eq(d->span.start, 60);
	cr_assert_str_eq(d->msg,
	                 "`macos-seatbelt` cannot enforce the domain rule "
	                 "`evil.example.com`: sbxc runs no filtering proxy for this backend");
	cr_assert_eq(r->enforce[SBX_BACKEND_LINUX_LANDLOCK].reasons[0]->span.start, 60);
}

Test(network, deny_rules_shape_the_allowed_hosts)
{
	struct pb b = profile(true);
	add_domain(&b, "**.example.com", true, 10);
	add_domain(&b, "example.com", false, 20);
	add_domain(&b, "**.good.org", true, 30);
	add_domain(&b, "*.good.org", false, 40);
	add_domain(&b, "x.test", true, 50);
	add_domain(&b, "**.test", false, 60);
	add_domain(&b, "*.cut.net", true, 70);
	add_domain(&b, "a.cut.net", false, 80);
	add_domain(&b, "**.other.net", false, 90);
	struct sbx_resolved *r = resolve(&b, NULL);
	cr_assert_eq(r->net.nallowed, 3);
	cr_assert_str_eq(r->net.allowed[0].base, "example.com");
	cr_assert(!r->net.allowed[0].apex && r->net.allowed[0].sub);
	cr_assert_str_eq(r->net.allowed[1].base, "good.org");
	cr_assert(r->net.allowed[1].apex && !r->net.allowed[1].sub);
	cr_assert_str_eq(r->net.allowed[2].base, "cut.net", "x.test is denied by **.test");
	cr_assert_eq(r->net.npartial, 1);
	cr_assert_str_eq(r->net.partial_deny[0]->pattern, "a.cut.net");
	cr_assert_str_eq(r->net.partial_allow[0]->pattern, "*.cut.net");
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_BWRAP, SBX_E0693));
	const struct sbx_diag *d = r->enforce[SBX_BACKEND_LINUX_BWRAP].reasons[0];
	cr_assert_eq(d->span.start, 80, "the deny entry is named");
	cr_assert_str_eq(d->msg, "`linux-bwrap` cannot deny `a.cut.net` inside `*.cut.net`: its "
	                         "filtering proxy (tinyproxy) takes a list of allowed hosts, and "
	                         "this rule removes only part of the allowed subdomains");
}

Test(network, domains_decide_before_the_environment)
{
	struct pb b = profile(true);
	add_domain(&b, "example.com", true, 70);
	struct sbx_resolved *r = resolve(&b, remote_env);
	cr_assert_eq(r->net.by, SBX_NET_BY_DOMAINS);
	cr_assert_eq(r->net.kind, SBX_NET_PROXY, "sbxc's filtering proxy is the endpoint");
	cr_assert_eq(count(SBX_W0450), 0);
}

Test(network, limited_mode_needs_a_filter)
{
	struct pb b = profile(true);
	b.p->network.mode = SBX_NET_MODE_LIMITED;
	b.p->network.mode_set = true;
	b.p->network.mode_span = (struct sbx_span){1, 80, 89};
	struct sbx_resolved *r = resolve(&b, NULL);
	cr_assert(r->net.filter && r->net.limited);
	cr_assert_eq(r->net.span.start, 80);
	cr_assert(has_reason(r, SBX_BACKEND_MACOS_SEATBELT, SBX_E0690));
	cr_assert(has_reason(r, SBX_BACKEND_LINUX_BWRAP, SBX_E0692));
	cr_assert_eq(r->enforce[SBX_BACKEND_LINUX_BWRAP].reasons[0]->span.start, 80);
}

Test(network, managed_proxy_defaults)
{
	struct pb b = profile(true);
	b.p->network.managed_proxy = true;
	struct sbx_resolved *r = resolve(&b, NULL);
	cr_assert_eq(r->net.by, SBX_NET_BY_MANAGED);
	cr_assert_eq(r->net.nprofile_urls, 2);
	cr_assert_eq(r->net.nports, 2);
	cr_assert_eq(r->net.ports[0], 3128);
	cr_assert_eq(r->net.ports[1], 8081);
	b = profile(true);
	b.p->network.managed_proxy = true;
	b.p->network.enable_socks5 = (struct sbx_net_bool){.value = false, .set = true};
	r = resolve(&b, NULL);
	cr_assert_eq(r->net.nports, 1);
	cr_assert_eq(r->net.ports[0], 3128);
}

Test(network, profile_url_decides_and_can_fail_closed)
{
	struct pb b = profile(true);
	b.p->network.proxy_url =
	    (struct sbx_net_str){"http://10.0.0.1:3128", true, (struct sbx_span){1, 90, 112}};
	struct sbx_resolved *r = resolve(&b, NULL);
	cr_assert_eq(r->net.by, SBX_NET_BY_PROFILE_URL);
	cr_assert_eq(r->net.span.start, 90);
	cr_assert_eq(r->net.kind, SBX_NET_NONE);
	cr_assert(r->net.fail_closed);
	cr_assert_eq(count(SBX_W0450), 1);
	cr_assert_eq(ctx->diags[0]->span.start, 90);
}

Test(network, unsandboxed_is_full)
{
	struct pb b = profile(false);
	b.p->kind = SBX_PROFILE_DISABLED;
	struct sbx_resolved *r = resolve(&b, remote_env);
	cr_assert_eq(r->net.kind, SBX_NET_FULL);
	cr_assert_eq(r->net.by, SBX_NET_BY_UNSANDBOXED);
	cr_assert_eq(count(SBX_W0450), 0);
}

Test(network, json_hides_credentials)
{
	struct pb b = profile(true);
	const char *const env[] = {"HTTP_PROXY=http://me:s3cret@localhost:1/x", NULL};
	struct sbx_resolved *r = resolve(&b, env);
	json_t *o = sbx_resolved_to_json(ctx, r);
	char *s = json_dumps(o, JSON_COMPACT);
	cr_assert_null(strstr(s, "s3cret"), "%s", s);
	cr_assert_not_null(strstr(s, "\"url\":\"http://***@localhost:1/x\""), "%s", s);
	cr_assert_not_null(strstr(s, "\"mode\":\"proxy\",\"decided_by\":\"environment\""), "%s", s);
	free(s);
	json_decref(o);
}
