/*
** cmd_explain_code.c: `sbxc explain-code CODE` prints the entry of CODE in
** spec/diagnostics.md (compiled into sbxc), with its rendered example.
*/
#include "cli.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

extern const char sbx_diagnostics_md[]; /* spec/diagnostics.md, embedded */

const char sbx_help_explain_code[] =
    "usage: sbxc explain-code CODE\n"
    "       sbxc help CODE\n"
    "\n"
    "Prints what the diagnostic CODE (E0306, W0202, ...) means, with an\n"
    "example of its output: its entry of spec/diagnostics.md.\n"
    "\n"
    "Exit status: 0 printed, 2 unknown code or usage error.\n";

int sbx_cmd_explain_code(int argc, char **argv)
{
	if (sbx_cli_wants_help(argc, argv)) {
		sbx_cli_print_help("explain-code", stdout);
		return SBX_EXIT_OK;
	}
	if (argc != 2)
		return sbx_cli_usage("explain-code",
		                     argc < 2 ? "no code given" : "too many arguments");
	char code[8];
	size_t n = strlen(argv[1]);
	enum sbx_diag_code c;
	if (n >= sizeof code)
		return sbx_cli_usage("explain-code", "unknown diagnostic code '%s'", argv[1]);
	for (size_t i = 0; i <= n; i++)
		code[i] = (char)toupper((unsigned char)argv[1][i]);
	if (!sbx_diag_code_lookup(code, &c))
		return sbx_cli_usage("explain-code", "unknown diagnostic code '%s'", argv[1]);
	char head[16];
	snprintf(head, sizeof head, "\n## %s\n", code);
	const char *s = strstr(sbx_diagnostics_md, head);
	if (!s) { /* a code the documentation does not have yet */
		printf("%s (%s): %s\n", code, sbx_severity_name(sbx_diag_code_severity(c)),
		       sbx_diag_code_summary(c));
		return SBX_EXIT_OK;
	}
	s += 1;
	const char *e = strstr(s + 3, "\n## ");
	size_t len = e ? (size_t)(e - s) + 1 : strlen(s);
	fwrite(s, 1, len, stdout);
	return SBX_EXIT_OK;
}
