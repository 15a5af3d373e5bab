/*
** proxy_env_win.h: the Windows rule set for the loopback proxy ports and
** `allow_local_binding` (reference §5.6). It is stricter than the POSIX
** parser (proxy_env.h): a URL needs a scheme and an explicit non-zero port,
** and only `localhost`, `127.0.0.1` and `[::1]` are loopback hosts.
**
** The ports are for the firewall of the `offline` sandbox user: every other
** loopback TCP port is blocked for it. Values that do not name a loopback
** port are left out with a warning, which only closes more ports.
*/
#ifndef SBX_PROXY_ENV_WIN_H
#define SBX_PROXY_ENV_WIN_H

#include "ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The proxy URL variables, in the exact case Windows setup reads them. */
#define SBX_WIN_PROXY_URL_VARS                                                                     \
	"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "WS_PROXY", "WSS_PROXY", "http_proxy",           \
	    "https_proxy", "all_proxy", "ws_proxy", "wss_proxy"
/* A comma-separated list of ports the managed proxy listens on. */
#define SBX_WIN_PROXY_PORTS_VAR "CODEX_WINDOWS_SANDBOX_PROXY_PORTS"
/* "1" (exactly) turns on allow_local_binding. */
#define SBX_WIN_LOCAL_BINDING_VAR "CODEX_NETWORK_ALLOW_LOCAL_BINDING"

/* The proxy settings of the offline identity. */
struct sbx_win_proxy {
	uint16_t *ports; /* sorted, unique, non-zero (arena-owned) */
	size_t nports;
	bool allow_local_binding;
	const char *local_binding_from; /* "profile", the variable's name, or NULL */
};

/* The port of a loopback proxy URL under the Windows rules, or 0 when the
** URL does not name one (no `://`, another host, no explicit port, port 0
** or past 65535). */
uint16_t sbx_win_proxy_url_port(const char *url);

/* Parses one entry of SBX_WIN_PROXY_PORTS_VAR (surrounding blanks trimmed):
** 1..65535, decimal digits only; 0 when invalid. */
uint16_t sbx_win_proxy_port_entry(const char *s, size_t len);

/* The proxy settings from an environment given as NAME=VALUE strings (a
** later duplicate name wins) and the profile's allow_local_binding. Each
** value left out gets warning W0620 (a URL) or W0621 (a port-list entry).
** Never fails: the worst case is no port, every loopback port blocked. */
void sbx_win_proxy_from_env(struct sbx_ctx *ctx, const char *const *env, size_t nenv,
                            bool profile_local_binding, struct sbx_win_proxy *out);

#endif
