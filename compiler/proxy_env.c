/*
** proxy_env.c: the POSIX rule set for proxy variables (macOS and Linux, fact
** sheet §3.4 and §4.6). See proxy_env.h.
**
** Where the fact sheet's parser (a full URL library) would accept more, this
** one is stricter, never looser: only the literal loopback spellings count
** (`127.1` or `[0:0::1]` are not loopback here), a host must be a plain name
** or address, and control characters make a value unparseable. A stricter
** reading can only turn an endpoint into an unusable one, which fails closed.
*/
#include "proxy_env.h"
#include "arena.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const sbx_proxy_env_posix_keys[] = {
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "WS_PROXY",
    "WSS_PROXY",
    "ALL_PROXY",
    "FTP_PROXY",
    "YARN_HTTP_PROXY",
    "YARN_HTTPS_PROXY",
    "NPM_CONFIG_HTTP_PROXY",
    "NPM_CONFIG_HTTPS_PROXY",
    "NPM_CONFIG_PROXY",
    "BUNDLE_HTTP_PROXY",
    "BUNDLE_HTTPS_PROXY",
    "PIP_PROXY",
    "DOCKER_HTTP_PROXY",
    "DOCKER_HTTPS_PROXY",
    NULL,
};

#define SPACES " \t\r\n\v\f"

/* The value of NAME in env (the first one, as getenv), or NULL. */
static const char *env_get(const char *const *env, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

/* The value with surrounding white space removed, or NULL when none is left. */
static const char *trimmed(struct sbx_ctx *ctx, const char *v)
{
	if (!v)
		return NULL;
	v += strspn(v, SPACES);
	size_t n = strlen(v);
	while (n && strchr(SPACES, v[n - 1]))
		n--;
	return n ? sbx_arena_strndup(&ctx->arena, v, n) : NULL;
}

static uint16_t default_port(const char *scheme)
{
	if (strcmp(scheme, "https") == 0)
		return 443;
	if (strcmp(scheme, "socks5") == 0 || strcmp(scheme, "socks5h") == 0 ||
	    strcmp(scheme, "socks4") == 0 || strcmp(scheme, "socks4a") == 0)
		return 1080;
	return 80;
}

static bool valid_scheme(const char *s, size_t n)
{
	if (!n || !isalpha((unsigned char)s[0]))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("+.-", s[i]))
			return false;
	return true;
}

static bool valid_host(const char *h, size_t n, bool v6)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)h[i];
		if (v6 ? !(isxdigit(c) || c == ':' || c == '.') : !(isalnum(c) || strchr(".-_", c)))
			return false;
	}
	return true;
}

static char *lower(struct sbx_ctx *ctx, const char *s, size_t n)
{
	char *r = sbx_arena_strndup(&ctx->arena, s, n);
	for (char *p = r; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

/* Fills everything but var, value and shadowed; returns the error or NULL. */
static const char *parse(struct sbx_ctx *ctx, const char *s, struct sbx_proxy_endpoint *ep)
{
	size_t len = strlen(s);
	if (len > SBX_MAX_PROXY_URL_BYTES)
		return "it is longer than SBX_MAX_PROXY_URL_BYTES";
	for (size_t i = 0; i < len; i++)
		if (iscntrl((unsigned char)s[i]) || s[i] == ' ')
			return "it contains a space or a control character";
	const char *sep = strstr(s, "://"), *auth = s;
	ep->scheme = "http";
	if (sep) {
		if (!valid_scheme(s, (size_t)(sep - s)))
			return "its scheme is not a valid URL scheme";
		ep->scheme = lower(ctx, s, (size_t)(sep - s));
		auth = sep + 3;
	}
	const char *end = auth + strcspn(auth, "/?#");
	ep->rest = sbx_arena_strdup(&ctx->arena, end);
	const char *at = NULL; /* the last '@' of the authority (memrchr is not POSIX) */
	for (const char *c = auth; c < end; c++)
		if (*c == '@')
			at = c;
	if (at) {
		ep->userinfo = sbx_arena_strndup(&ctx->arena, auth, (size_t)(at - auth));
		auth = at + 1;
	}
	const char *host = auth, *hend, *port = NULL;
	if (*host == '[') {
		const char *rb = memchr(host, ']', (size_t)(end - host));
		if (!rb)
			return "its IPv6 host has no closing `]`";
		ep->ipv6 = true;
		host++;
		hend = rb;
		if (rb + 1 < end) {
			if (rb[1] != ':')
				return "text follows its IPv6 host";
			port = rb + 2;
		}
	} else {
		hend = memchr(host, ':', (size_t)(end - host));
		if (hend)
			port = hend + 1;
		else
			hend = end;
	}
	if (hend == host)
		return "it has no host";
	if (!valid_host(host, (size_t)(hend - host), ep->ipv6))
		return "its host is not a plain name or address";
	ep->host = lower(ctx, host, (size_t)(hend - host));
	if (port && port < end) {
		unsigned long v = 0;
		for (const char *p = port; p < end; p++) {
			if (!isdigit((unsigned char)*p))
				return "its port is not a number";
			v = v * 10 + (unsigned long)(*p - '0');
			if (v > 65535)
				return "its port is larger than 65535";
		}
		ep->port = (uint16_t)v;
		ep->port_explicit = true;
	} else {
		ep->port = default_port(ep->scheme);
	}
	return NULL;
}

void sbx_proxy_url_posix(struct sbx_ctx *ctx, const char *value, struct sbx_proxy_endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	ep->value = value;
	ep->error = parse(ctx, value, ep);
	ep->parsed = !ep->error;
	if (!ep->parsed) {
		ep->scheme = ep->host = ep->userinfo = ep->rest = NULL;
		ep->port = 0;
		ep->ipv6 = ep->port_explicit = false;
		return;
	}
	ep->loopback = ep->port != 0 && (ep->ipv6 ? strcmp(ep->host, "::1") == 0
	                                          : strcmp(ep->host, "localhost") == 0 ||
	                                                strcmp(ep->host, "127.0.0.1") == 0);
}

static int port_cmp(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;
	return (x > y) - (x < y);
}

struct sbx_proxy_endpoint *sbx_proxy_env_add(struct sbx_ctx *ctx, struct sbx_proxy_env *out,
                                             size_t *cap)
{
	out->endpoints =
	    sbx_arena_grow(&ctx->arena, out->endpoints, cap, out->n + 1, sizeof *out->endpoints);
	return &out->endpoints[out->n++];
}

void sbx_proxy_env_collect_ports(struct sbx_ctx *ctx, struct sbx_proxy_env *out)
{
	out->ports = sbx_arena_alloc(&ctx->arena, (out->n ? out->n : 1) * sizeof *out->ports);
	out->nports = 0;
	for (size_t i = 0; i < out->n; i++)
		if (out->endpoints[i].loopback && !out->endpoints[i].shadowed)
			out->ports[out->nports++] = out->endpoints[i].port;
	if (out->nports)
		qsort(out->ports, out->nports, sizeof *out->ports, port_cmp);
	size_t w = 0;
	for (size_t i = 0; i < out->nports; i++)
		if (!w || out->ports[w - 1] != out->ports[i])
			out->ports[w++] = out->ports[i];
	out->nports = w;
}

static void add(struct sbx_ctx *ctx, struct sbx_proxy_env *out, size_t *cap, const char *var,
                const char *value, bool shadowed)
{
	struct sbx_proxy_endpoint *ep = sbx_proxy_env_add(ctx, out, cap);
	sbx_proxy_url_posix(ctx, value, ep);
	ep->var = var;
	ep->shadowed = shadowed;
}

enum sbx_status sbx_proxy_env_posix(struct sbx_ctx *ctx, const char *const *env,
                                    struct sbx_proxy_env *out)
{
	memset(out, 0, sizeof *out);
	out->rules = "posix";
	size_t cap = 0;
	for (size_t k = 0; sbx_proxy_env_posix_keys[k]; k++) {
		const char *upper = sbx_proxy_env_posix_keys[k];
		const char *lname = lower(ctx, upper, strlen(upper));
		const char *uv = trimmed(ctx, env_get(env, upper));
		const char *lv = trimmed(ctx, env_get(env, lname));
		if (uv)
			add(ctx, out, &cap, upper, uv, false);
		if (lv)
			add(ctx, out, &cap, lname, lv, uv != NULL);
	}
	out->configured = out->n > 0;
	sbx_proxy_env_collect_ports(ctx, out);
	return SBX_OK;
}

const char *sbx_proxy_url_with(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep,
                               const char *host, uint16_t port)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addf(&sb, "%s://", ep->scheme ? ep->scheme : "http");
	if (ep->userinfo)
		sbx_sb_addf(&sb, "%s@", ep->userinfo);
	if (strchr(host, ':'))
		sbx_sb_addf(&sb, "[%s]:%u", host, (unsigned)port);
	else
		sbx_sb_addf(&sb, "%s:%u", host, (unsigned)port);
	sbx_sb_adds(&sb, ep->rest ? ep->rest : "");
	const char *r = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return r;
}

void sbx_proxy_url_split(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep, const char *host,
                         const char **prefix, const char **suffix)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_addf(&sb, "%s://", ep->scheme ? ep->scheme : "http");
	if (ep->userinfo)
		sbx_sb_addf(&sb, "%s@", ep->userinfo);
	if (strchr(host, ':'))
		sbx_sb_addf(&sb, "[%s]:", host);
	else
		sbx_sb_addf(&sb, "%s:", host);
	*prefix = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	*suffix = sbx_arena_strdup(&ctx->arena, ep->rest ? ep->rest : "");
	sbx_sb_release(&sb);
}
