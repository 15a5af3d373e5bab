/*
** ps_quote_cases: prints, as JSON, [{"literal", "value"}] for hostile and
** random strings passed through sbx_ps_quote(), the one PowerShell quoting
** helper. check-scripts.mjs --quote parses each literal with the PowerShell
** grammar and reads it back with PowerShell's rules. The seed is fixed.
*/
#include "powershell.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xorshift64*: fixed seed, same cases every run */
static uint64_t state = 0x5b7c0ffee1234567ull;
static uint64_t next(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 2685821657736338717ull;
}

static void add(json_t *a, const char *s)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_ps_quote(&sb, s);
	json_t *o = json_object();
	json_object_set_new(o, "literal", json_stringn(sb.buf, sb.len));
	json_object_set_new(o, "value", json_string(s));
	json_array_append_new(a, o);
	sbx_sb_release(&sb);
}

int main(void)
{
	static const char *const fixed[] = {
	    "",
	    "C:\\ws",
	    "C:\\it's here",
	    "''",
	    "'",
	    "$HOME",
	    "$(Remove-Item C:\\ -Recurse)",
	    "`n`t`0",
	    "a`'b",
	    "C:\\Program Files (x86)\\x",
	    "C:\\[abc]\\*?",
	    "line\nbreak",
	    "cr\r\nlf",
	    "\xe2\x80\x98smart\xe2\x80\x99 quotes \xe2\x80\x9a\xe2\x80\x9b",
	    "\xe2\x80\x98",
	    "x\xe2\x80\x99'\xe2\x80\x98y",
	    "\xe6\xbc\xa2\xe5\xad\x97 \xc3\xa9 \xf0\x9f\x98\x80",
	    "@'\n'@",
	    "@\"\n\"@",
	    "\"double\" $x",
	    "a;b|c&d<e>f",
	    "#not a comment",
	    "<#block#>",
	    "trailing\\",
	    " leading and trailing ",
	    "\t",
	};
	/* pieces random strings are made of: every character with a meaning in
	** PowerShell, the four Unicode single quotes, spaces, newlines, Unicode */
	static const char *const pieces[] = {
	    "'",
	    "\xe2\x80\x98",
	    "\xe2\x80\x99",
	    "\xe2\x80\x9a",
	    "\xe2\x80\x9b",
	    "$",
	    "`",
	    "\"",
	    " ",
	    "\n",
	    "\r",
	    "\t",
	    "[",
	    "]",
	    "{",
	    "}",
	    "(",
	    ")",
	    "@",
	    "#",
	    ";",
	    "&",
	    "|",
	    "<",
	    ">",
	    "\\",
	    "C:",
	    "a",
	    "Z",
	    "0",
	    "\xc3\xa9",
	    "\xe6\xbc\xa2",
	    "\xf0\x9f\x98\x80",
	    "-",
	    "*",
	    "?",
	    ",",
	    ".",
	    "%",
	    "!",
	    "\xe2\x80\x9c",
	    "\xe2\x80\x9d",
	};
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		add(a, fixed[i]);
	char buf[512];
	for (int i = 0; i < 2000; i++) {
		size_t len = 0, n = next() % 24;
		buf[0] = 0;
		for (size_t k = 0; k < n; k++) {
			const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
			size_t pl = strlen(p);
			memcpy(buf + len, p, pl);
			len += pl;
		}
		buf[len] = 0;
		add(a, buf);
	}
	char *s = json_dumps(a, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(a);
	return 0;
}
