/*
** proxy_env_win.c: the loopback proxy ports and allow_local_binding of the
** Windows offline identity, from environment variables (proxy_env_win.h).
** The rules are the Windows ones of reference §5.6; the POSIX rules live in
** proxy_env.c and accept more (no scheme, default ports).
*/
#include "proxy_env_win.h"
#include "arena.h"
#include "diag.h"

#include <stdlib.h>
#include <string.h>

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1..65535 from decimal digits only, else 0. */
static uint16_t parse_port(const char *s, size_t len)
{
	if (len == 0 || len > 5)
		return 0;
	unsigned v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (uint16_t)v : 0;
}

uint16_t sbx_win_proxy_port_entry(const char *s, size_t len)
{
	while (len && is_blank(*s))
		s++, len--;
	while (len && is_blank(s[len - 1]))
		len--;
	return parse_port(s, len);
}

static bool host_is(const char *h, size_t n, const char *want, bool nocase)
{
	size_t wn = strlen(want);
	if (n != wn)
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = h[i], b = want[i];
		if (nocase && a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

uint16_t sbx_win_proxy_url_port(const char *url)
{
	const char *sep = strstr(url, "://");
	if (!sep)
		return 0;
	const char *auth = sep + 3;
	size_t alen = strcspn(auth, "/");
	/* userinfo: everything before the last `@` of the authority */
	for (size_t i = alen; i > 0; i--) {
		if (auth[i - 1] == '@') {
			auth += i;
			alen -= i;
			break;
		}
	}
	const char *host = auth, *port;
	size_t hlen;
	if (alen && auth[0] == '[') {
		/* IPv6 only as [::1]:port */
		const char *close = memchr(auth, ']', alen);
		if (!close)
			return 0;
		hlen = (size_t)(close - auth) + 1;
		if (!host_is(host, hlen, "[::1]", false))
			return 0;
		if (hlen >= alen || auth[hlen] != ':')
			return 0;
		port = auth + hlen + 1;
	} else {
		const char *colon = memchr(auth, ':', alen);
		if (!colon)
			return 0; /* no explicit port: no scheme default on Windows */
		hlen = (size_t)(colon - auth);
		if (!host_is(host, hlen, "localhost", true) &&
		    !host_is(host, hlen, "127.0.0.1", false))
			return 0;
		port = colon + 1;
	}
	return parse_port(port, (size_t)(auth + alen - port));
}

static int cmp_port(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

/* The value of NAME in env (the last NAME=VALUE wins), or NULL. */
static const char *lookup(const char *const *env, size_t nenv, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;
	for (size_t i = 0; i < nenv; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			v = env[i] + n + 1;
	return v;
}

static void add_port(struct sbx_ctx *ctx, struct sbx_win_proxy *out, size_t *cap, uint16_t p)
{
	out->ports =
	    sbx_arena_grow(&ctx->arena, out->ports, cap, out->nports + 1, sizeof *out->ports);
	out->ports[out->nports++] = p;
}

void sbx_win_proxy_from_env(struct sbx_ctx *ctx, const char *const *env, size_t nenv,
                            bool profile_local_binding, struct sbx_win_proxy *out)
{
	static const char *const url_vars[] = {SBX_WIN_PROXY_URL_VARS};
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	for (size_t i = 0; i < sizeof url_vars / sizeof url_vars[0]; i++) {
		const char *v = lookup(env, nenv, url_vars[i]);
		if (!v || !*v)
			continue;
		uint16_t p = sbx_win_proxy_url_port(v);
		if (p)
			add_port(ctx, out, &cap, p);
		else
			sbx_diag_emit(
			    ctx, SBX_W0620, SBX_NO_SPAN,
			    "`%s` does not name a loopback proxy port under the Windows rules "
			    "(`scheme://localhost|127.0.0.1|[::1]:PORT`): its value `%s` is "
			    "left out, which blocks it for the offline sandbox user",
			    url_vars[i], sbx_diag_quote(ctx, v, strlen(v)));
	}
	const char *list = lookup(env, nenv, SBX_WIN_PROXY_PORTS_VAR);
	for (const char *s = list; s && *s;) {
		size_t n = strcspn(s, ",");
		uint16_t p = sbx_win_proxy_port_entry(s, n);
		if (p)
			add_port(ctx, out, &cap, p);
		else
			sbx_diag_emit(ctx, SBX_W0621, SBX_NO_SPAN,
			              "`%s` entry `%s` is not a port from 1 to 65535: left out",
			              SBX_WIN_PROXY_PORTS_VAR, sbx_diag_quote(ctx, s, n));
		s += n;
		if (*s == ',')
			s++;
	}
	if (out->nports)
		qsort(out->ports, out->nports, sizeof *out->ports, cmp_port);
	size_t k = 0;
	for (size_t i = 0; i < out->nports; i++)
		if (k == 0 || out->ports[k - 1] != out->ports[i])
			out->ports[k++] = out->ports[i];
	out->nports = k;
	const char *alb = lookup(env, nenv, SBX_WIN_LOCAL_BINDING_VAR);
	if (profile_local_binding) {
		out->allow_local_binding = true;
		out->local_binding_from = "profile";
	} else if (alb && strcmp(alb, "1") == 0) {
		out->allow_local_binding = true;
		out->local_binding_from = SBX_WIN_LOCAL_BINDING_VAR;
	}
}
