/*
** utf8.h: UTF-8 decoding and encoding for the scanner, the diagnostics
** renderer and the JSON writers. Strict: no overlong forms, no surrogates,
** nothing above U+10FFFF.
*/
#ifndef SBX_UTF8_H
#define SBX_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one scalar value from s[0..len). Returns the number of bytes used
** (1..4), or 0 if the sequence is malformed or truncated (then *cp is the
** first byte). len must be at least 1. */
size_t sbx_utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Writes the encoding of cp (a scalar value) to out; returns 1..4, or 0 if cp
** is a surrogate or above U+10FFFF. */
size_t sbx_utf8_encode(uint32_t cp, char out[4]);
/* Offset of the first malformed byte, or len if all of s is valid. */
size_t sbx_utf8_check(const char *s, size_t len);
/* Terminal columns taken by cp: 0 for combining marks, 2 for East Asian wide
** and emoji ranges, 1 otherwise. */
int sbx_utf8_width(uint32_t cp);
/* Is cp a character text shown to a person must not print raw: a C1 control
** (U+0080..U+009F, which some terminals obey like escape sequences), or an
** invisible or bidirectional formatting character that can make a path look
** like another (U+061C, U+200B..U+200F, U+202A..U+202E, U+2060..U+2069,
** U+FEFF)? Diagnostics and `sbxc explain` show these as \u{XXXX}. */
bool sbx_utf8_hidden(uint32_t cp);

#endif
