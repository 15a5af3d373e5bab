/*
** main.c: the sbxc driver. Dispatches to one subcommand (commands.def).
*/
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct {
	const char *name;
	int (*fn)(int, char **);
	const char *help;
	const char *summary;
} commands[] = {
#define CMD(name, fn, help, summary) {name, fn, help, summary},
#include "commands.def"
#undef CMD
};

int sbx_cli_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "sbxc%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'sbxc %s%s--help' for more information.\n", cmd ? cmd : "",
	        cmd ? " " : "");
	return SBX_EXIT_USAGE;
}

bool sbx_cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	}
	return false;
}

bool sbx_cli_parse_color(const char *when, enum sbx_color *out)
{
	if (!when || strcmp(when, "always") == 0)
		*out = SBX_COLOR_ALWAYS;
	else if (strcmp(when, "auto") == 0)
		*out = SBX_COLOR_AUTO;
	else if (strcmp(when, "always") == 0)
		*out = SBX_COLOR_ALWAYS;
	else if (strcmp(when, "never") == 0)
		*out = SBX_COLOR_NEVER;
	else
		return false;
	return true;
}

/* A variable that is set to something other than "" or "0". */
static bool env_on(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") != 0;
}

bool sbx_color_enabled(enum sbx_color c, FILE *out)
{
	if (c != SBX_COLOR_AUTO)
		return c == SBX_COLOR_ALWAYS;
	if (env_on("FORCE_COLOR") || env_on("CLICOLOR_FORCE"))
		return true;
	const char *nc = getenv("NO_COLOR");
	if (nc && *nc)
		return false;
	const char *term = getenv("TERM");
	if (!term || strcmp(term, "dumb") == 0)
		return false;
	return isatty(fileno(out));
}

FILE *sbx_cli_open_output(const char *path)
{
	if (strcmp(path, "-") == 0)
		return stdout;
	FILE *f = fopen(path, "w");
	if (!f)
		fprintf(stderr, "sbxc: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

void sbx_cli_report(struct sbx_ctx *ctx, enum sbx_color color, bool summary)
{
	struct sbx_render_opts o = {.color = sbx_color_enabled(color, stderr)};
	sbx_diag_render_all(ctx, stderr, &o, summary);
}

void sbx_cli_print_help(const char *cmd, FILE *out)
{
	if (!cmd) {
		fputs("sbxc: compile sandbox permission profiles into per-OS sandboxes\n\n"
		      "usage: sbxc <command> [options] [args]\n\ncommands:\n",
		      out);
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
		fputs("\nExit status: 0 success (warnings allowed), 1 the input has errors or a\n"
		      "profile cannot be enforced exactly (lint --werror: warnings too), 2 usage\n"
		      "error; run and exec: 125 sbxc refused (the command did not run), 126\n"
		      "the command cannot be executed, 127 not found, else the command's own.\n"
		      "\nRun 'sbxc help <command>' or 'sbxc <command> --help' for details.\n",
		      out);
		return;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, cmd) == 0)
			fputs(commands[i].help, out);
}

const char sbx_help_help[] =
    "usage: sbxc help [COMMAND|CODE]\n"
    "\n"
    "Without COMMAND, lists the commands; with it, prints its help. With a\n"
    "diagnostic CODE (E0306), explains it (sbxc explain-code).\n";

const char sbx_help_version[] = "usage: sbxc version\n"
                                "       sbxc --version\n"
                                "\n"
                                "Prints the version of sbxc.\n";

int sbx_cmd_help(int argc, char **argv)
{
	if (sbx_cli_wants_help(argc, argv)) {
		sbx_cli_print_help("help", stdout);
		return SBX_EXIT_OK;
	}
	if (argc > 2)
		return sbx_cli_usage("help", "too many arguments");
	if (argc == 2) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
			if (strcmp(commands[i].name, argv[1]) == 0) {
				sbx_cli_print_help(argv[1], stdout);
				return SBX_EXIT_OK;
			}
		}
		enum sbx_diag_code code;
		if (sbx_diag_code_lookup(argv[1], &code)) /* `sbxc help E0306` */
			return sbx_cmd_explain_code(argc, argv);
		return sbx_cli_usage("help", "unknown command '%s'", argv[1]);
	}
	sbx_cli_print_help(NULL, stdout);
	return SBX_EXIT_OK;
}

int sbx_cmd_version(int argc, char **argv)
{
	if (sbx_cli_wants_help(argc, argv)) {
		sbx_cli_print_help("version", stdout);
		return SBX_EXIT_OK;
	}
	if (argc > 1)
		return sbx_cli_usage("version", "unexpected argument '%s'", argv[1]);
	printf("sbxc %s\n", SBXC_VERSION);
	return SBX_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		sbx_cli_print_help(NULL, stderr);
		return SBX_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0)
		name = "help";
	else if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
		name = "version";
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(commands[i].name, name) == 0) {
			char **sub = argv + 1;
			int subc = argc - 1;
			if (strcmp(name, "help") == 0 || strcmp(name, "version") == 0)
				sub[0] = (char *)commands[i].name;
			return commands[i].fn(subc, sub);
		}
	}
	return sbx_cli_usage(NULL, "unknown command '%s'", name);
}
