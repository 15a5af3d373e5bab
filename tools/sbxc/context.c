/*
** context.c: parsing of the resolution context options and their defaults
** (see context.h); the bridge between a command line and struct
** sbx_resolve_opts.
*/
#include "context.h"
#include "cli.h"
#include "load.h"
#include "strbuf.h"
#include "target.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WIN_CWD "C:\\workspace"
#define WIN_HOME "C:\\Users\\user"
#define WIN_TMP "C:\\Users\\user\\AppData\\Local\\Temp"

void sbx_cli_context_init(struct sbx_cli_context *c)
{
	memset(c, 0, sizeof *c);
	c->target = sbx_cli_host_os();
}

void sbx_cli_context_free(struct sbx_cli_context *c)
{
	c->nroots = 0; /* nothing is allocated; kept for symmetry with init */
}

enum sbx_target_os sbx_cli_host_os(void)
{
	return sbx_host_os();
}

bool sbx_cli_parse_os(const char *s, enum sbx_target_os *out)
{
	const struct sbx_target *t = sbx_target_lookup(s); /* the table's names */
	if (t)
		*out = t->os;
	return t != NULL;
}

int sbx_cli_context_option(struct sbx_cli_context *c, const char *cmd, int opt, const char *arg)
{
	switch (opt) {
	case 'C':
		c->cwd = arg;
		return 1;
	case 'W':
		if (c->nroots == sizeof c->roots / sizeof c->roots[0]) {
			/* never drop a root silently: its `:workspace_roots` entries
			** (a denied subpath, say) would not apply */
			sbx_cli_usage(cmd, "more than %d workspace roots (SBX_MAX_WORKSPACE_ROOTS)",
			              SBX_MAX_WORKSPACE_ROOTS);
			return -1;
		}
		c->roots[c->nroots++] = arg;
		return 1;
	case SBX_OPT_HOME:
		c->home = arg;
		return 1;
	case SBX_OPT_TMPDIR:
		c->tmpdir = arg;
		return 1;
	case SBX_OPT_PROXY_ENV:
		c->proxy_env_given = true;
		if (!*arg)
			return 1; /* `--proxy-env=`: no proxy variables */
		if (!strchr(arg, '=') || arg[0] == '=') {
			sbx_cli_usage(cmd, "invalid --proxy-env '%s' (NAME=VALUE)", arg);
			return -1;
		}
		if (c->nproxy_env == SBX_CLI_MAX_PROXY_ENV) {
			sbx_cli_usage(cmd, "more than %d --proxy-env values",
			              SBX_CLI_MAX_PROXY_ENV);
			return -1;
		}
		c->proxy_env[c->nproxy_env++] = arg;
		return 1;
	case SBX_OPT_TARGET:
		if (!sbx_cli_parse_os(arg, &c->target)) {
			sbx_cli_usage(cmd, "invalid --target '%s' (macos, linux or windows)", arg);
			return -1;
		}
		c->target_given = true;
		return 1;
	case SBX_OPT_PROBE:
		c->probe = true;
		return 1;
	default:
		return 0;
	}
}

/* Is s an absolute path of the other flavour than the target's? */
static bool other_flavor(const char *s, bool win)
{
	enum sbx_path_form f = sbx_path_form(s, strlen(s));
	return win ? f == SBX_FORM_POSIX : f == SBX_FORM_WINDOWS;
}

/* One of cwd/home/tmpdir for a target: the option as given, else the
** default. Windows defaults are placeholders, and so (lenient) is the default
** that replaces an option written for the other flavour; both are noted. */
static const char *pick(struct sbx_strbuf *ph, const char *what, const char *given, bool win,
                        bool lenient, const char *posix_default, const char *win_default)
{
	if (given && !*given)
		return NULL; /* `--home=` : explicitly none */
	if (given && !(lenient && other_flavor(given, win)))
		return given;
	const char *v = win ? win_default : posix_default;
	if (win || given) {
		sbx_sb_addf(ph, "%s%s `%s`", ph->len ? ", " : "", what, v ? v : "(none)");
		if (given)
			sbx_sb_addf(ph, " (--%s `%s` is not a %s path)", what, given,
			            win ? "Windows" : "POSIX");
	}
	return v;
}

void sbx_cli_context_opts(struct sbx_ctx *ctx, const struct sbx_cli_context *c,
                          enum sbx_target_os os, bool lenient, struct sbx_resolve_opts *out)
{
	const char *ph;
	sbx_cli_context_opts_ph(ctx, c, os, lenient, out, &ph);
}

void sbx_cli_context_opts_ph(struct sbx_ctx *ctx, const struct sbx_cli_context *c,
                             enum sbx_target_os os, bool lenient, struct sbx_resolve_opts *out,
                             const char **placeholders)
{
	bool win = os == SBX_OS_WINDOWS;
	struct sbx_strbuf ph = SBX_STRBUF_INIT;
	memset(out, 0, sizeof *out);
	out->flavor = win ? SBX_FLAVOR_WINDOWS : SBX_FLAVOR_POSIX;
	out->os = os;
	out->os_given = true;
	out->probe = (os == sbx_cli_host_os() || c->probe) && !win;
	/* the proxy variables the command runs with: this process's own, or the
	** ones given (the runtime gives the command exactly these) */
	out->env = c->proxy_env_given ? c->proxy_env : (const char *const *)environ;
	out->extra_roots = c->roots;
	out->nextra_roots = c->nroots;
	struct sbx_host_defaults hd;
	sbx_host_defaults(ctx, &hd);
	out->cwd = pick(&ph, "cwd", c->cwd, win, lenient, hd.cwd, WIN_CWD);
	out->home = pick(&ph, "home", c->home, win, lenient, hd.home, WIN_HOME);
	out->tmpdir = pick(&ph, "tmpdir", c->tmpdir, win, lenient, hd.tmpdir, WIN_TMP);
	*placeholders = ph.len ? sbx_arena_strndup(&ctx->arena, ph.buf, ph.len) : NULL;
	sbx_sb_release(&ph);
}

void sbx_cli_set_proxy_env(const struct sbx_cli_context *c)
{
	for (size_t k = 0; sbx_proxy_env_posix_keys[k]; k++) {
		const char *upper = sbx_proxy_env_posix_keys[k];
		char lower[64];
		size_t n = strlen(upper);
		for (size_t i = 0; i <= n && i < sizeof lower; i++)
			lower[i] = (char)tolower((unsigned char)upper[i]);
		unsetenv(upper);
		if (n < sizeof lower)
			unsetenv(lower);
	}
	for (size_t i = 0; i < c->nproxy_env; i++) {
		const char *eq = strchr(c->proxy_env[i], '=');
		char *name = sbx_xstrndup(c->proxy_env[i], (size_t)(eq - c->proxy_env[i]));
		setenv(name, eq + 1, 1);
		free(name);
	}
}
