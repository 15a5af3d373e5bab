/*
** strbuf.h: the one growable string type of sbxc.
**
** Invariants: `buf` is never NULL (an empty strbuf points at a shared empty
** string), `buf[len]` is always '\0', and `alloc` is 0 until the first append.
** Pass a struct sbx_strbuf * around; growing never changes the caller's handle.
** sbx_sb_detach() is the only way to take ownership of the bytes (free() them).
** sprintf/strcpy/strcat are not used in sbxc: build strings here.
*/
#ifndef SBX_STRBUF_H
#define SBX_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

extern char sbx_strbuf_empty[];

struct sbx_strbuf {
	char *buf;    /* NUL-terminated contents */
	size_t len;   /* bytes before the NUL */
	size_t alloc; /* bytes allocated, 0 while buf is the shared empty string */
};

#define SBX_STRBUF_INIT                                                                            \
	{                                                                                          \
		.buf = sbx_strbuf_empty, .len = 0, .alloc = 0                                      \
	}

void sbx_sb_init(struct sbx_strbuf *sb);
void sbx_sb_release(struct sbx_strbuf *sb);
/* Hands the buffer to the caller (always malloc'd, free() it) and resets sb. */
char *sbx_sb_detach(struct sbx_strbuf *sb, size_t *len);
void sbx_sb_reset(struct sbx_strbuf *sb);
void sbx_sb_grow(struct sbx_strbuf *sb, size_t extra);
void sbx_sb_truncate(struct sbx_strbuf *sb, size_t len);

void sbx_sb_add(struct sbx_strbuf *sb, const void *data, size_t len);
void sbx_sb_adds(struct sbx_strbuf *sb, const char *s);
void sbx_sb_addc(struct sbx_strbuf *sb, char c);
void sbx_sb_addf(struct sbx_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbx_sb_vaddf(struct sbx_strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Appends n copies of c. */
void sbx_sb_addn(struct sbx_strbuf *sb, char c, size_t n);
/* Appends s for a message that quotes user text: control bytes and bytes
** that are not well-formed UTF-8 are written as \xNN, the quote character q
** (if not 0) as \q; everything else, backslashes included (Windows paths),
** is kept as it is. */
void sbx_sb_add_escaped(struct sbx_strbuf *sb, const char *s, size_t len, char q);

bool sbx_sb_equals(const struct sbx_strbuf *sb, const char *s);

#endif
