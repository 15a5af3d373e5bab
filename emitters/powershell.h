/*
** powershell.h: the one PowerShell quoting helper. Every path and name the
** Windows scripts (powershell.c) contain passes through it.
*/
#ifndef SBX_POWERSHELL_H
#define SBX_POWERSHELL_H

#include "strbuf.h"

/* Appends s as a PowerShell verbatim (single-quoted) string literal: inside
** one, nothing expands (`$`, backtick, `@(`), and the only special
** characters are the four single quotes PowerShell accepts (' U+2018 U+2019
** U+201A U+201B), each written twice. Newlines and every other character
** stay as they are. */
void sbx_ps_quote(struct sbx_strbuf *sb, const char *s);

#endif
