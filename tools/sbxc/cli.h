/*
** cli.h: shared pieces of the sbxc subcommands.
**
** Exit status conventions: 0 success (warnings allowed), 1 the input has
** errors, 2 the command line is wrong; `run`/`exec` add 125 (the sandbox
** cannot be set up), 126/127 (the command cannot be executed / found), and
** otherwise the command's own status.
*/
#ifndef SBX_CLI_H
#define SBX_CLI_H

#include "ctx.h"
#include "diag.h"

#include <stdbool.h>
#include <stdio.h>

enum {
	SBX_EXIT_OK = 0,
	SBX_EXIT_ERRORS = 1,
	SBX_EXIT_USAGE = 2,
	SBX_EXIT_SANDBOX = 125,
	SBX_EXIT_CANNOT_EXEC = 126,
	SBX_EXIT_NOT_FOUND = 127,
};

#define CMD(name, fn, help, summary)                                                               \
	int fn(int argc, char **argv);                                                             \
	extern const char help[];
#include "commands.def"
#undef CMD

/* Prints "sbxc CMD: message" and a pointer to --help on stderr; returns 2. */
int sbx_cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints the help text of a command to out. */
void sbx_cli_print_help(const char *cmd, FILE *out);
/* True if argv holds --help or -h before any "--". */
bool sbx_cli_wants_help(int argc, char **argv);
enum sbx_color { SBX_COLOR_NEVER, SBX_COLOR_ALWAYS, SBX_COLOR_AUTO };
/* Parses --color=WHEN (NULL, a bare --color, means always); returns false on
** a bad value. */
bool sbx_cli_parse_color(const char *when, enum sbx_color *out);
/* Resolves --color=auto against an output stream: FORCE_COLOR or
** CLICOLOR_FORCE set (and not "0") colours, NO_COLOR set does not, else a
** terminal that is not "dumb" does. */
bool sbx_color_enabled(enum sbx_color c, FILE *out);
/* Opens path for writing a report ("-" is stdout); prints why on failure
** and returns NULL. */
FILE *sbx_cli_open_output(const char *path);
/* Renders the diagnostics of ctx on stderr with the chosen colour mode. */
void sbx_cli_report(struct sbx_ctx *ctx, enum sbx_color color, bool summary);

#endif
