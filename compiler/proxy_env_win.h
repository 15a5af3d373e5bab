/*
** proxy_env_win.h: the Windows rule set of proxy_env.h (fact sheet §5.6),
** stricter than the POSIX one: a URL needs a `://` and an explicit non-zero
** port, and only `localhost` (any case), `127.0.0.1` and `[::1]` are
** loopback hosts; no scheme default, no case folding of variable names.
** Besides the URL variables, an explicit port list is read. Same contract as
** sbx_proxy_env_posix: no diagnostics, arena-owned results.
*/
#ifndef SBX_PROXY_ENV_WIN_H
#define SBX_PROXY_ENV_WIN_H

#include "proxy_env.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The URL variables, in the exact case Windows setup reads them, then the
** port list; NULL-terminated. */
extern const char *const sbx_proxy_env_windows_keys[];
/* A comma-separated list of ports the managed proxy listens on. */
#define SBX_WIN_PROXY_PORTS_VAR "CODEX_WINDOWS_SANDBOX_PROXY_PORTS"
/* "1" (exactly) turns on allow_local_binding. */
#define SBX_WIN_LOCAL_BINDING_VAR "CODEX_NETWORK_ALLOW_LOCAL_BINDING"

/* Reads `env` ("NAME=VALUE", NULL-terminated; NULL means empty; the last
** NAME= wins) by the Windows rules: each URL variable is one endpoint, each
** entry of the port list one endpoint (var SBX_WIN_PROXY_PORTS_VAR, host
** 127.0.0.1). `rules` is "windows". Returns SBX_OK. */
enum sbx_status sbx_proxy_env_windows(struct sbx_ctx *ctx, const char *const *env,
                                      struct sbx_proxy_env *out);

/* Parses one URL by the Windows rules into *ep (var left NULL). */
void sbx_proxy_url_windows(struct sbx_ctx *ctx, const char *value, struct sbx_proxy_endpoint *ep);

/* One port-list entry (blanks trimmed): 1..65535 in decimal digits, else 0. */
uint16_t sbx_proxy_port_entry_windows(const char *s, size_t len);

/* SBX_WIN_LOCAL_BINDING_VAR is exactly "1" in env. */
bool sbx_proxy_env_windows_local_binding(const char *const *env);

#endif
