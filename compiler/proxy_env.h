/*
** proxy_env.h: the proxy endpoints a process environment names, read by the
** rules of one OS family. The semantic pass (resolve.h) decides the network
** mode from them; the runtime bridges and rewrites them.
**
** Each rule set is its own function with the same contract, so that the
** families stay apart and each is tested on its own table of URLs:
**
**   sbx_proxy_env_posix    macOS and Linux (fact sheet §3.4, §4.6)
**   sbx_proxy_env_windows  Windows (§5.6), beside this one, by the Windows
**                          backend
**
** A rule set never emits diagnostics (an environment has no source span):
** it records per endpoint whether it parsed and why not, and the semantic
** pass reports what matters for the policy. Everything is arena-owned.
*/
#ifndef SBX_PROXY_ENV_H
#define SBX_PROXY_ENV_H

#include "ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One proxy variable of the environment (or one URL of the profile). */
struct sbx_proxy_endpoint {
	const char *var;      /* the variable as spelled ("HTTP_PROXY", "http_proxy"), or
	                         NULL for a URL that comes from the profile */
	const char *value;    /* the value, surrounding white space trimmed */
	bool parsed;          /* the URL has a scheme, a host and a valid port */
	const char *error;    /* when !parsed: why, e.g. "its port is not a number" */
	const char *scheme;   /* lowercase; "http" when the value had no `://` */
	const char *userinfo; /* text before the last `@` of the authority, or NULL */
	const char *host;     /* as written, lowercase; IPv6 without its brackets */
	bool ipv6;            /* the host was written in brackets */
	uint16_t port;        /* explicit, else the scheme's default */
	bool port_explicit;
	const char *rest; /* everything after the authority ("/path?q"), "" if none */
	bool loopback;    /* parsed, host is localhost, 127.0.0.1 or ::1, port != 0 */
	bool shadowed;    /* a lowercase variable whose uppercase twin is set: the
	                     POSIX rule reads the uppercase one */
};

struct sbx_proxy_env {
	const char *rules;                    /* "posix" or "windows": which rule set read it */
	struct sbx_proxy_endpoint *endpoints; /* in key order, uppercase before
	                                         lowercase; only non-empty values */
	size_t n;
	bool configured; /* some proxy variable is set and non-empty */
	uint16_t *ports; /* loopback ports of the endpoints that are not
	                    shadowed: sorted, deduplicated */
	size_t nports;
};

/* The proxy variables of the POSIX rule set, uppercase spelling, in the order
** they are read (§3.4 PROXY_URL_ENV_KEYS); NULL-terminated. */
extern const char *const sbx_proxy_env_posix_keys[];

/* Reads `env` ("NAME=VALUE" strings, NULL-terminated; NULL means empty) by
** the macOS/Linux rules: for each key, the uppercase variable, then the
** lowercase one; a value without `://` gets `http://`; the host must be
** `localhost` (any case), `127.0.0.1` or `::1` to be loopback; a missing port
** is 443 for https, 1080 for socks5, socks5h, socks4 and socks4a, else 80.
** Returns SBX_OK; *out is filled (empty when nothing is set). */
enum sbx_status sbx_proxy_env_posix(struct sbx_ctx *ctx, const char *const *env,
                                    struct sbx_proxy_env *out);

/* Parses one URL by the POSIX rules into *ep (var is left NULL). Used for
** the profile's `proxy_url` and `socks_url` as well. */
void sbx_proxy_url_posix(struct sbx_ctx *ctx, const char *value, struct sbx_proxy_endpoint *ep);

/* For the readers of both rule sets: appends one endpoint slot to
** out->endpoints (its contents left to the caller) and returns it. */
struct sbx_proxy_endpoint *sbx_proxy_env_add(struct sbx_ctx *ctx, struct sbx_proxy_env *out,
                                             size_t *cap);

/* Fills out->ports and out->nports from out->endpoints: the ports of the
** loopback endpoints that are not shadowed, ascending, each once. */
void sbx_proxy_env_collect_ports(struct sbx_ctx *ctx, struct sbx_proxy_env *out);

/* The URL of an endpoint with its host and port replaced (scheme, userinfo
** and the rest kept): how the runtime points a variable at a bridged port.
** Arena string. */
const char *sbx_proxy_url_with(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep,
                               const char *host, uint16_t port);

/* The same URL cut around the port: PREFIX PORT SUFFIX (arena strings). */
void sbx_proxy_url_split(struct sbx_ctx *ctx, const struct sbx_proxy_endpoint *ep, const char *host,
                         const char **prefix, const char **suffix);

#endif
