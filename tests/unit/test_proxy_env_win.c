/*
** Unit tests for the Windows proxy-variable rule set
** (compiler/proxy_env_win.c, fact sheet §5.6): one table of URLs with the
** port each must give (0: not a loopback port under the Windows rules),
** then the environment rules (exact-case keys, the port list,
** allow_local_binding). The POSIX rule set has its own table
** (test_proxy_env.c); several rows here are ones it accepts.
*/
#include <criterion/criterion.h>
#include <string.h>

#include "proxy_env_win.h"

static struct sbx_ctx *ctx;

static void setup(void)
{
	ctx = sbx_ctx_new();
}

static void teardown(void)
{
	sbx_ctx_free(&ctx);
}

TestSuite(proxy_env_win, .init = setup, .fini = teardown);

struct url_case {
	const char *in;
	bool parsed;
	unsigned port; /* the loopback port, 0 when not loopback */
};

static const struct url_case urls[] = {
    {"http://127.0.0.1:3128", true, 3128},
    {"http://localhost:8080", true, 8080},
    {"HTTP://LocalHost:8080/", true, 8080},
    {"socks5://user:pw@127.0.0.1:1080", true, 1080},
    {"http://a@b@localhost:9000/path", true, 9000},
    {"http://[::1]:7000", true, 7000},
    {"  http://127.0.0.1:3128  ", true, 3128},
    /* accepted by the POSIX rules, not by Windows */
    {"127.0.0.1:3128", false, 0},             /* no scheme */
    {"localhost", false, 0},                  /* no scheme, no port */
    {"http://127.0.0.1", false, 0},           /* no explicit port */
    {"https://localhost/", false, 0},         /* no explicit port */
    {"http://[::1]", false, 0},               /* no explicit port */
    {"http://[0:0:0:0:0:0:0:1]:80", true, 0}, /* IPv6 only as [::1] */
    {"http://127.0.0.2:3128", true, 0},       /* only 127.0.0.1 */
    {"http://10.0.0.1:3128", true, 0},
    {"http://proxy.example:3128", true, 0},
    {"http://127.0.0.1:0", true, 0},      /* port 0 */
    {"http://127.0.0.1:65536", false, 0}, /* past 65535 */
    {"http://127.0.0.1:31a", false, 0},
    {"http://127.0.0.1:", false, 0},
    {"http://[::1:3128", false, 0},
    {"http://localhost.:3128", true, 0},
};

Test(proxy_env_win, url_table)
{
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		struct sbx_proxy_endpoint ep;
		sbx_proxy_url_windows(ctx, urls[i].in, &ep);
		cr_expect_eq(ep.parsed, urls[i].parsed, "%s: parsed %d", urls[i].in, ep.parsed);
		cr_expect_eq(ep.loopback, urls[i].port != 0, "%s: loopback %d", urls[i].in,
		             ep.loopback);
		if (urls[i].port)
			cr_expect_eq(ep.port, urls[i].port, "%s: port %u", urls[i].in, ep.port);
		cr_expect_eq(ep.parsed, ep.error == NULL, "%s: error and parsed disagree",
		             urls[i].in);
	}
}

Test(proxy_env_win, port_entries)
{
	cr_expect_eq(sbx_proxy_port_entry_windows(" 8081 ", 6), 8081);
	cr_expect_eq(sbx_proxy_port_entry_windows("65535", 5), 65535);
	cr_expect_eq(sbx_proxy_port_entry_windows("0", 1), 0);
	cr_expect_eq(sbx_proxy_port_entry_windows("65536", 5), 0);
	cr_expect_eq(sbx_proxy_port_entry_windows("", 0), 0);
	cr_expect_eq(sbx_proxy_port_entry_windows("+80", 3), 0);
	cr_expect_eq(sbx_proxy_port_entry_windows("8 0", 3), 0);
}

Test(proxy_env_win, environment)
{
	const char *const env[] = {
	    "HTTP_PROXY=http://127.0.0.1:3128",
	    "http_proxy=http://localhost:9000",  /* read too: no case folding */
	    "Https_Proxy=http://127.0.0.1:1111", /* not a key in this case */
	    "ALL_PROXY=127.0.0.1:2222",          /* no scheme: left out */
	    "CODEX_WINDOWS_SANDBOX_PROXY_PORTS= 8081, x,0,3128",
	    "WS_PROXY=",
	    NULL,
	};
	struct sbx_proxy_env out;
	cr_assert_eq(sbx_proxy_env_windows(ctx, env, &out), SBX_OK);
	cr_expect_str_eq(out.rules, "windows");
	cr_expect(out.configured);
	/* HTTP_PROXY, ALL_PROXY, http_proxy, then four list entries */
	cr_assert_eq(out.n, 7);
	cr_expect_str_eq(out.endpoints[0].var, "HTTP_PROXY");
	cr_expect_str_eq(out.endpoints[1].var, "ALL_PROXY");
	cr_expect_not(out.endpoints[1].loopback);
	cr_expect_str_eq(out.endpoints[2].var, "http_proxy");
	const unsigned want[] = {3128, 8081, 9000};
	cr_assert_eq(out.nports, 3);
	for (size_t i = 0; i < 3; i++)
		cr_expect_eq(out.ports[i], want[i]);
	cr_expect_not(sbx_proxy_env_windows_local_binding(env));
}

Test(proxy_env_win, local_binding_and_empty)
{
	const char *const on[] = {"CODEX_NETWORK_ALLOW_LOCAL_BINDING=1", NULL};
	const char *const other[] = {"CODEX_NETWORK_ALLOW_LOCAL_BINDING=true", NULL};
	cr_expect(sbx_proxy_env_windows_local_binding(on));
	cr_expect_not(sbx_proxy_env_windows_local_binding(other));
	cr_expect_not(sbx_proxy_env_windows_local_binding(NULL));
	struct sbx_proxy_env out;
	cr_assert_eq(sbx_proxy_env_windows(ctx, NULL, &out), SBX_OK);
	cr_expect_not(out.configured);
	cr_expect_eq(out.n, 0);
	cr_expect_eq(out.nports, 0);
}
