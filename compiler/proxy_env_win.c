/*
** proxy_env_win.c: the Windows rule set for proxy variables
** (proxy_env_win.h, fact sheet §5.6). The POSIX rules are in proxy_env.c;
** the two share only the result type.
*/
#include "proxy_env_win.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

const char *const sbx_proxy_env_windows_keys[] = {
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "WS_PROXY",
    "WSS_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "ws_proxy",
    "wss_proxy",
    SBX_WIN_PROXY_PORTS_VAR,
    NULL,
};

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
	return v <= 65535 ? (uint16_t)v : 0;
}

uint16_t sbx_proxy_port_entry_windows(const char *s, size_t len)
{
	while (len && is_blank(*s))
		s++, len--;
	while (len && is_blank(s[len - 1]))
		len--;
	return parse_port(s, len);
}

static bool host_is(const char *h, size_t n, const char *want, bool nocase)
{
	if (n != strlen(want))
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = h[i];
		if (nocase && a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != want[i])
			return false;
	}
	return true;
}

static const char *dup(struct sbx_ctx *ctx, const char *s, size_t n)
{
	return sbx_arena_strndup(&ctx->arena, s, n);
}

void sbx_proxy_url_windows(struct sbx_ctx *ctx, const char *value, struct sbx_proxy_endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	size_t vlen = strlen(value);
	while (vlen && is_blank(*value))
		value++, vlen--;
	while (vlen && is_blank(value[vlen - 1]))
		vlen--;
	ep->value = dup(ctx, value, vlen);
	const char *v = ep->value;
	const char *sep = strstr(v, "://");
	if (!sep) {
		ep->error = "it has no `://` (Windows reads no scheme default)";
		return;
	}
	char *scheme = (char *)dup(ctx, v, (size_t)(sep - v));
	for (char *c = scheme; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	ep->scheme = scheme;
	const char *auth = sep + 3;
	size_t alen = strcspn(auth, "/");
	ep->rest = auth + alen;
	for (size_t i = alen; i > 0; i--) {
		if (auth[i - 1] == '@') {
			ep->userinfo = dup(ctx, auth, i - 1);
			auth += i;
			alen -= i;
			break;
		}
	}
	const char *port;
	bool loopback_host;
	if (alen && auth[0] == '[') {
		const char *close = memchr(auth, ']', alen);
		if (!close) {
			ep->error = "its IPv6 address has no `]`";
			return;
		}
		size_t hlen = (size_t)(close - auth) + 1;
		ep->ipv6 = true;
		ep->host = dup(ctx, auth + 1, hlen - 2);
		loopback_host = host_is(auth, hlen, "[::1]", false);
		if (hlen >= alen || auth[hlen] != ':') {
			ep->error = "it has no explicit port (Windows reads no scheme default)";
			return;
		}
		port = auth + hlen + 1;
	} else {
		const char *colon = memchr(auth, ':', alen);
		size_t hlen = colon ? (size_t)(colon - auth) : alen;
		char *host = (char *)dup(ctx, auth, hlen);
		for (char *c = host; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c = (char)(*c - 'A' + 'a');
		ep->host = host;
		if (!colon) {
			ep->error = "it has no explicit port (Windows reads no scheme default)";
			return;
		}
		loopback_host = host_is(auth, hlen, "localhost", true) ||
		                host_is(auth, hlen, "127.0.0.1", false);
		port = colon + 1;
	}
	size_t plen = (size_t)(auth + alen - port);
	if (plen == 0 || plen > 5 || strspn(port, "0123456789") < plen) {
		ep->error = "its port is not a number from 1 to 65535";
		return;
	}
	unsigned p = 0;
	for (size_t i = 0; i < plen; i++)
		p = p * 10 + (unsigned)(port[i] - '0');
	if (p > 65535) {
		ep->error = "its port is not a number from 1 to 65535";
		return;
	}
	ep->parsed = true;
	ep->port = (uint16_t)p;
	ep->port_explicit = true;
	ep->loopback = loopback_host && p != 0;
}

/* The value of NAME in env (the last NAME=VALUE wins), or NULL. */
static const char *lookup(const char *const *env, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			v = env[i] + n + 1;
	return v;
}

enum sbx_status sbx_proxy_env_windows(struct sbx_ctx *ctx, const char *const *env,
                                      struct sbx_proxy_env *out)
{
	memset(out, 0, sizeof *out);
	out->rules = "windows";
	size_t cap = 0;
	for (size_t k = 0; sbx_proxy_env_windows_keys[k]; k++) {
		const char *name = sbx_proxy_env_windows_keys[k];
		const char *v = lookup(env, name);
		if (!v || !*v)
			continue;
		out->configured = true;
		if (strcmp(name, SBX_WIN_PROXY_PORTS_VAR) != 0) {
			struct sbx_proxy_endpoint *ep = sbx_proxy_env_add(ctx, out, &cap);
			sbx_proxy_url_windows(ctx, v, ep);
			ep->var = name;
			continue;
		}
		for (const char *s = v; *s;) {
			size_t n = strcspn(s, ",");
			struct sbx_proxy_endpoint *ep = sbx_proxy_env_add(ctx, out, &cap);
			memset(ep, 0, sizeof *ep);
			ep->var = name;
			ep->value = dup(ctx, s, n);
			uint16_t p = sbx_proxy_port_entry_windows(s, n);
			if (p) {
				ep->parsed = ep->loopback = ep->port_explicit = true;
				ep->port = p;
				ep->scheme = "http";
				ep->host = "127.0.0.1";
				ep->rest = "";
			} else {
				ep->error = "it is not a port from 1 to 65535";
			}
			s += n;
			if (*s == ',')
				s++;
		}
	}
	sbx_proxy_env_collect_ports(ctx, out); /* Windows endpoints are never shadowed */
	return SBX_OK;
}

bool sbx_proxy_env_windows_local_binding(const char *const *env)
{
	const char *v = lookup(env, SBX_WIN_LOCAL_BINDING_VAR);
	return v && strcmp(v, "1") == 0;
}
