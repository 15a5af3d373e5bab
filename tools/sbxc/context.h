/*
** context.h: the resolution context options shared by the subcommands that
** resolve a profile (explain, ir, lint, and the runtime's run/compile):
**
**   -C, --cwd DIR             the working directory (default: the current one)
**   -W, --workspace-root DIR  an extra workspace root, repeatable (relative:
**                             to the cwd; `~/...`: to the home)
**       --home DIR            the home directory (default: $HOME; an empty
**                             value means none, and `~` entries then fail)
**       --tmpdir DIR          what `:tmpdir` names (default: $TMPDIR if set and
**                             absolute; an empty value means none)
**       --target OS           macos, linux or windows: the path flavour and the
**                             platform (default: this machine, linux)
**
** Only this machine's target consults the filesystem; any other resolves
** offline and states what it assumed. Defaults taken from this machine
** (current directory, $HOME, $TMPDIR) are POSIX paths: for a Windows target
** without explicit options, placeholders are used and reported.
*/
#ifndef SBX_CLI_CONTEXT_H
#define SBX_CLI_CONTEXT_H

#include "resolve.h"
#include "sbx_limits.h"

#include <getopt.h>
#include <stdbool.h>

enum {
	SBX_OPT_HOME = 0x1000,
	SBX_OPT_TMPDIR,
	SBX_OPT_TARGET,
	SBX_OPT_PROBE,
	SBX_OPT_PROXY_ENV,
};

/* --proxy-env values one command line may give (the POSIX rule set reads 32
** variables); more is a usage error. */
#define SBX_CLI_MAX_PROXY_ENV 64

/* Entries for a getopt_long table, and the short options they use. */
/* clang-format off */
#define SBX_CONTEXT_LONG_OPTIONS                                \
	{"cwd", required_argument, NULL, 'C'},                  \
	{"workspace-root", required_argument, NULL, 'W'},       \
	{"home", required_argument, NULL, SBX_OPT_HOME},        \
	{"tmpdir", required_argument, NULL, SBX_OPT_TMPDIR},    \
	{"target", required_argument, NULL, SBX_OPT_TARGET},    \
	{"probe", no_argument, NULL, SBX_OPT_PROBE},            \
	{"proxy-env", required_argument, NULL, SBX_OPT_PROXY_ENV}
/* clang-format on */
#define SBX_CONTEXT_SHORT_OPTIONS "C:W:"

/* Help lines for the options above (for a command's help text). */
#define SBX_CONTEXT_HELP                                                                           \
	"  -C, --cwd DIR           working directory the profile is resolved for\n"                \
	"                          (default: the current directory)\n"                             \
	"  -W, --workspace-root DIR  an extra workspace root (repeatable)\n"                       \
	"      --home DIR          home directory for `~` paths (default: $HOME;\n"                \
	"                          `--home=` for none)\n"                                          \
	"      --tmpdir DIR        the directory `:tmpdir` names (default: $TMPDIR;\n"             \
	"                          `--tmpdir=` for none)\n"                                        \
	"      --target OS         macos, linux or windows: path flavour and platform\n"           \
	"                          (default: linux, this machine; others resolve\n"                \
	"                          without reading the filesystem)\n"                              \
	"      --probe             read this machine's filesystem (.git pointer\n"                 \
	"                          files) for another POSIX target too\n"                          \
	"      --proxy-env NAME=VALUE  decide the network with this proxy variable\n"              \
	"                          instead of the environment's (repeatable;\n"                    \
	"                          `--proxy-env=` for none)\n"

struct sbx_cli_context {
	const char *cwd, *home, *tmpdir; /* as given, NULL when not */
	/* -W roots; one more than a resolution accepts (it reports E0011), and
	** more than that is a usage error */
	const char *roots[SBX_MAX_WORKSPACE_ROOTS + 1];
	size_t nroots;
	enum sbx_target_os target;
	bool target_given;
	bool probe; /* --probe: read the filesystem for another POSIX target */
	/* --proxy-env: the proxy variables instead of environ, NULL-terminated */
	const char *proxy_env[SBX_CLI_MAX_PROXY_ENV + 1];
	size_t nproxy_env;
	bool proxy_env_given;
};

void sbx_cli_context_init(struct sbx_cli_context *c);
void sbx_cli_context_free(struct sbx_cli_context *c);

/* Handles one getopt result. Returns 1 if it was a context option, 0 if not,
** and -1 after printing a usage error for a bad value. */
int sbx_cli_context_option(struct sbx_cli_context *c, const char *cmd, int opt, const char *arg);

/* `sbxc run --proxy-env`: replaces this process's proxy variables (the 32 of
** the POSIX rule set) by the ones given, for the command to run with. */
void sbx_cli_set_proxy_env(const struct sbx_cli_context *c);

/* Parses an OS name ("macos", "linux", "windows"). */
bool sbx_cli_parse_os(const char *s, enum sbx_target_os *out);

/* This machine's OS (the runtime's). */
enum sbx_target_os sbx_cli_host_os(void);

/* The resolve options for one target. Strings (and extra_roots) point into c,
** which must outlive them, or into the arena of ctx. When a default had to
** be a placeholder (a Windows target without --cwd), *placeholders says
** which, for a note (else NULL). `lenient` (lint, which checks several
** targets in one run) also replaces an option written for the other path
** flavour by the default; otherwise such an option is kept and the
** resolution reports it (E0501, E0503, E0504). */
void sbx_cli_context_opts_ph(struct sbx_ctx *ctx, const struct sbx_cli_context *c,
                             enum sbx_target_os os, bool lenient, struct sbx_resolve_opts *out,
                             const char **placeholders);
/* The same without the placeholder note. */
void sbx_cli_context_opts(struct sbx_ctx *ctx, const struct sbx_cli_context *c,
                          enum sbx_target_os os, bool lenient, struct sbx_resolve_opts *out);

#endif
