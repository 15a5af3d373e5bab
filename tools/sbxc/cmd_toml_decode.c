/*
** cmd_toml_decode.c: `sbxc toml-decode` parses one TOML document and prints
** it as toml-test's tagged JSON. It is the decoder the toml-test conformance
** suite drives (tests/toml/), and a way to see exactly what sbxc's parser
** made of a file.
*/
#include "cli.h"
#include "toml.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

const char sbx_help_toml_decode[] =
    "usage: sbxc toml-decode [--color=WHEN] [FILE]\n"
    "\n"
    "Parses FILE (or standard input, also when FILE is -) as TOML 1.1.0 and\n"
    "prints it as toml-test's tagged JSON: tables as objects, arrays as\n"
    "arrays, every other value as {\"type\": ..., \"value\": \"...\"}.\n"
    "\n"
    "      --color=WHEN  colour diagnostics: auto, always or never\n"
    "  -h, --help        show this help\n"
    "\n"
    "The JSON goes to stdout, diagnostics to stderr.\n"
    "Exit status: 0 valid TOML, 1 invalid TOML (every problem is reported),\n"
    "2 usage error.\n";

static int decode(const char *path, enum sbx_color color)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	uint32_t file;
	enum sbx_status st = sbx_ctx_load_file(ctx, path, &file);
	const struct sbx_toml_table *root = st == SBX_OK ? sbx_toml_parse(ctx, file, &st) : NULL;
	json_t *json = root ? sbx_toml_to_tagged_json(root) : NULL;
	int status = SBX_EXIT_ERRORS;
	if (json) {
		char *text = json_dumps(json, JSON_INDENT(2));
		if (text) {
			fputs(text, stdout);
			fputc('\n', stdout);
			status = SBX_EXIT_OK;
		}
		free(text);
		json_decref(json);
	} else if (root) {
		fprintf(stderr, "sbxc toml-decode: document too deep to print\n");
	}
	sbx_cli_report(ctx, color, true);
	sbx_ctx_free(&ctx);
	return status;
}

int sbx_cmd_toml_decode(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"color", optional_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    {0},
	};
	enum sbx_color color = SBX_COLOR_AUTO;
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!sbx_cli_parse_color(optarg, &color))
				return sbx_cli_usage("toml-decode", "invalid --color value '%s'",
				                     optarg);
			break;
		case 'h':
			sbx_cli_print_help("toml-decode", stdout);
			return SBX_EXIT_OK;
		case ':':
			return sbx_cli_usage("toml-decode", "option '%s' needs an argument",
			                     argv[optind - 1]);
		default:
			return sbx_cli_usage("toml-decode", "unknown option '%s'",
			                     argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return sbx_cli_usage("toml-decode", "too many arguments");
	return decode(optind < argc ? argv[optind] : "-", color);
}
