/*
** Unit tests for the POSIX proxy-variable rule set (compiler/proxy_env.c):
** one table of URLs with what each must parse to, then the environment
** rules (key list, uppercase before lowercase, empty values, ports).
*/
#include <criterion/criterion.h>
#include <string.h>

#include "proxy_env.h"
#include "sbx_limits.h"
#include "strbuf.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(proxy_env, .init = setup, .fini = teardown);

struct url_case {
	const char *in;
	const char *error; /* NULL: parses */
	const char *scheme, *userinfo, *host;
	unsigned port;
	bool loopback;
	const char *rest;
};

static const struct url_case urls[] = {
    {"http://127.0.0.1:3128", NULL, "http", NULL, "127.0.0.1", 3128, true, ""},
    {"127.0.0.1:3128", NULL, "http", NULL, "127.0.0.1", 3128, true, ""},
    {"localhost", NULL, "http", NULL, "localhost", 80, true, ""},
    {"LocalHost:8080", NULL, "http", NULL, "localhost", 8080, true, ""},
    {"HTTPS://localhost", NULL, "https", NULL, "localhost", 443, true, ""},
    {"socks5://127.0.0.1", NULL, "socks5", NULL, "127.0.0.1", 1080, true, ""},
    {"socks5h://127.0.0.1", NULL, "socks5h", NULL, "127.0.0.1", 1080, true, ""},
    {"socks4://localhost", NULL, "socks4", NULL, "localhost", 1080, true, ""},
    {"socks4a://localhost", NULL, "socks4a", NULL, "localhost", 1080, true, ""},
    {"socks://localhost", NULL, "socks", NULL, "localhost", 80, true, ""},
    {"ws://localhost", NULL, "ws", NULL, "localhost", 80, true, ""},
    {"http://[::1]:9000/", NULL, "http", NULL, "::1", 9000, true, "/"},
    {"http://[::1]", NULL, "http", NULL, "::1", 80, true, ""},
    {"http://user:pw@127.0.0.1:3128/p?q=1", NULL, "http", "user:pw", "127.0.0.1", 3128, true,
     "/p?q=1"},
    {"http://a@b@localhost:1", NULL, "http", "a@b", "localhost", 1, true, ""},
    {"http://localhost:/x", NULL, "http", NULL, "localhost", 80, true, "/x"},
    {"http://proxy.corp:8080", NULL, "http", NULL, "proxy.corp", 8080, false, ""},
    {"http://10.0.0.1:3128", NULL, "http", NULL, "10.0.0.1", 3128, false, ""},
    {"http://127.0.0.2:3128", NULL, "http", NULL, "127.0.0.2", 3128, false, ""},
    {"http://127.1:3128", NULL, "http", NULL, "127.1", 3128, false, ""},
    {"http://[::2]:3128", NULL, "http", NULL, "::2", 3128, false, ""},
    {"http://localhost.:3128", NULL, "http", NULL, "localhost.", 3128, false, ""},
    {"http://localhost:0", NULL, "http", NULL, "localhost", 0, false, ""},
    {"http://localhost:65535", NULL, "http", NULL, "localhost", 65535, true, ""},
    {.in = "http://localhost:65536", .error = "its port is larger than 65535"},
    {.in = "http://localhost:80a", .error = "its port is not a number"},
    {.in = "http://localhost:-1", .error = "its port is not a number"},
    {.in = "http://", .error = "it has no host"},
    {.in = "http://user@:3128", .error = "it has no host"},
    {.in = "://localhost", .error = "its scheme is not a valid URL scheme"},
    {.in = "1http://localhost", .error = "its scheme is not a valid URL scheme"},
    {.in = "http://[::1", .error = "its IPv6 host has no closing `]`"},
    {.in = "http://[::1]x:1", .error = "text follows its IPv6 host"},
    {.in = "http://[zz]:1", .error = "its host is not a plain name or address"},
    {.in = "http://loc%61lhost:1", .error = "its host is not a plain name or address"},
    {.in = "http://local host:1", .error = "it contains a space or a control character"},
    {.in = "http://localhost:1\n", .error = "it contains a space or a control character"},
};

Test(proxy_env, url_table)
{
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		const struct url_case *c = &urls[i];
		struct sbx_proxy_endpoint ep;
		sbx_proxy_url_posix(ctx, c->in, &ep);
		cr_assert_str_eq(ep.value, c->in);
		if (c->error) {
			cr_assert(!ep.parsed, "`%s` must not parse", c->in);
			cr_assert_str_eq(ep.error, c->error, "`%s`", c->in);
			cr_assert(!ep.loopback && ep.port == 0 && !ep.host);
			continue;
		}
		cr_assert(ep.parsed, "`%s`: %s", c->in, ep.error);
		cr_assert_str_eq(ep.scheme, c->scheme, "`%s`", c->in);
		if (c->userinfo)
			cr_assert_str_eq(ep.userinfo, c->userinfo, "`%s`", c->in);
		else
			cr_assert_null(ep.userinfo, "`%s`", c->in);
		cr_assert_str_eq(ep.host, c->host, "`%s`", c->in);
		cr_assert_eq(ep.port, c->port, "`%s`: port %u", c->in, ep.port);
		cr_assert_eq(ep.loopback, c->loopback, "`%s`", c->in);
		cr_assert_str_eq(ep.rest, c->rest, "`%s`", c->in);
	}
}

Test(proxy_env, too_long_is_unusable)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, "http://localhost:1/");
	sbx_sb_addn(&sb, 'a', SBX_MAX_PROXY_URL_BYTES);
	struct sbx_proxy_endpoint ep;
	sbx_proxy_url_posix(ctx, sb.buf, &ep);
	cr_assert(!ep.parsed && !ep.loopback);
	cr_assert_str_eq(ep.error, "it is longer than SBX_MAX_PROXY_URL_BYTES");
	sbx_sb_release(&sb);
}

Test(proxy_env, rewrite_keeps_scheme_credentials_and_path)
{
	struct sbx_proxy_endpoint ep;
	sbx_proxy_url_posix(ctx, "HTTPS://u:p@localhost:3128/base?x#f", &ep);
	cr_assert_str_eq(sbx_proxy_url_with(ctx, &ep, "127.0.0.1", 41000),
	                 "https://u:p@127.0.0.1:41000/base?x#f");
	sbx_proxy_url_posix(ctx, "localhost", &ep);
	cr_assert_str_eq(sbx_proxy_url_with(ctx, &ep, "127.0.0.1", 5), "http://127.0.0.1:5");
	sbx_proxy_url_posix(ctx, "socks5h://[::1]:1", &ep);
	cr_assert_str_eq(sbx_proxy_url_with(ctx, &ep, "::1", 7), "socks5h://[::1]:7");
}

Test(proxy_env, split_around_the_port)
{
	struct sbx_proxy_endpoint ep;
	const char *pre, *suf;
	sbx_proxy_url_posix(ctx, "socks5h://u:p@localhost:1080/x?y", &ep);
	sbx_proxy_url_split(ctx, &ep, "127.0.0.1", &pre, &suf);
	cr_assert_str_eq(pre, "socks5h://u:p@127.0.0.1:");
	cr_assert_str_eq(suf, "/x?y");
	sbx_proxy_url_posix(ctx, "[::1]:8", &ep);
	sbx_proxy_url_split(ctx, &ep, "::1", &pre, &suf);
	cr_assert_str_eq(pre, "http://[::1]:");
	cr_assert_str_eq(suf, "");
}

Test(proxy_env, key_list_is_the_fact_sheets)
{
	size_t n = 0;
	while (sbx_proxy_env_posix_keys[n])
		n++;
	cr_assert_eq(n, 16);
	cr_assert_str_eq(sbx_proxy_env_posix_keys[0], "HTTP_PROXY");
	cr_assert_str_eq(sbx_proxy_env_posix_keys[15], "DOCKER_HTTPS_PROXY");
}

Test(proxy_env, empty_environment)
{
	struct sbx_proxy_env pe;
	cr_assert_eq(sbx_proxy_env_posix(ctx, NULL, &pe), SBX_OK);
	cr_assert(!pe.configured);
	cr_assert_eq(pe.n, 0);
	cr_assert_eq(pe.nports, 0);
	const char *const env[] = {"PATH=/bin",
	                           "HTTP_PROXY=",
	                           "https_proxy=  \t",
	                           "NO_PROXY=x",
	                           "Http_Proxy=http://localhost:1",
	                           NULL};
	cr_assert_eq(sbx_proxy_env_posix(ctx, env, &pe), SBX_OK);
	cr_assert(!pe.configured, "empty values and other spellings are not proxy settings");
	cr_assert_str_eq(pe.rules, "posix");
}

Test(proxy_env, uppercase_before_lowercase_and_sorted_ports)
{
	const char *const env[] = {
	    "http_proxy=http://localhost:9999", /* shadowed by HTTP_PROXY */
	    "HTTP_PROXY=http://127.0.0.1:3128",
	    "HTTP_PROXY=http://127.0.0.1:1",      /* a second copy: getenv reads the first */
	    "all_proxy= socks5h://localhost ",    /* trimmed; default port 1080 */
	    "PIP_PROXY=http://127.0.0.1:3128",    /* same port again */
	    "HTTPS_PROXY=http://proxy.corp:8080", /* not loopback */
	    "docker_https_proxy=http://[::1]:8",
	    NULL,
	};
	struct sbx_proxy_env pe;
	cr_assert_eq(sbx_proxy_env_posix(ctx, env, &pe), SBX_OK);
	cr_assert(pe.configured);
	cr_assert_eq(pe.n, 6);
	static const char *const vars[] = {"HTTP_PROXY", "http_proxy", "HTTPS_PROXY",
	                                   "all_proxy",  "PIP_PROXY",  "docker_https_proxy"};
	for (size_t i = 0; i < 6; i++)
		cr_assert_str_eq(pe.endpoints[i].var, vars[i]);
	cr_assert_eq(pe.endpoints[0].port, 3128);
	cr_assert(pe.endpoints[1].shadowed && pe.endpoints[1].loopback);
	cr_assert(!pe.endpoints[2].loopback && pe.endpoints[2].parsed);
	cr_assert_str_eq(pe.endpoints[3].value, "socks5h://localhost");
	cr_assert_eq(pe.nports, 3);
	cr_assert_eq(pe.ports[0], 8);
	cr_assert_eq(pe.ports[1], 1080);
	cr_assert_eq(pe.ports[2], 3128);
}

Test(proxy_env, configured_without_a_usable_port)
{
	const char *const env[] = {"HTTPS_PROXY=http://proxy.corp:3128", "ftp_proxy=http://[::1",
	                           NULL};
	struct sbx_proxy_env pe;
	sbx_proxy_env_posix(ctx, env, &pe);
	cr_assert(pe.configured);
	cr_assert_eq(pe.n, 2);
	cr_assert_eq(pe.nports, 0);
	cr_assert(!pe.endpoints[1].parsed);
}
