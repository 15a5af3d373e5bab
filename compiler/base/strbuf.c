/*
** strbuf.c: see strbuf.h for the invariants.
*/
#include "strbuf.h"
#include "arena.h"
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char sbx_strbuf_empty[1];

void sbx_sb_init(struct sbx_strbuf *sb)
{
	sb->buf = sbx_strbuf_empty;
	sb->len = sb->alloc = 0;
}

void sbx_sb_release(struct sbx_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sbx_sb_init(sb);
}

char *sbx_sb_detach(struct sbx_strbuf *sb, size_t *len)
{
	if (!sb->alloc)
		sbx_sb_grow(sb, 0);
	char *p = sb->buf;
	if (len)
		*len = sb->len;
	sbx_sb_init(sb);
	return p;
}

void sbx_sb_reset(struct sbx_strbuf *sb)
{
	sbx_sb_truncate(sb, 0);
}

void sbx_sb_truncate(struct sbx_strbuf *sb, size_t len)
{
	if (len > sb->len)
		return;
	sb->len = len;
	if (sb->alloc)
		sb->buf[len] = '\0';
}

void sbx_sb_grow(struct sbx_strbuf *sb, size_t extra)
{
	if (extra > SIZE_MAX - sb->len - 1)
		sbx_die_oom();
	size_t want = sb->len + extra + 1;
	if (sb->alloc >= want)
		return;
	size_t n = sb->alloc ? sb->alloc : 64;
	while (n < want)
		n = n > SIZE_MAX / 2 ? want : n * 2;
	if (sb->alloc) {
		sb->buf = sbx_xrealloc(sb->buf, n);
	} else {
		sb->buf = sbx_xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
}

void sbx_sb_add(struct sbx_strbuf *sb, const void *data, size_t len)
{
	sbx_sb_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sbx_sb_adds(struct sbx_strbuf *sb, const char *s)
{
	sbx_sb_add(sb, s, strlen(s));
}

void sbx_sb_addc(struct sbx_strbuf *sb, char c)
{
	sbx_sb_add(sb, &c, 1);
}

void sbx_sb_addn(struct sbx_strbuf *sb, char c, size_t n)
{
	sbx_sb_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void sbx_sb_vaddf(struct sbx_strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n <= 0)
		return;
	sbx_sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sbx_sb_addf(struct sbx_strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void sbx_sb_add_escaped(struct sbx_strbuf *sb, const char *s, size_t len, char q)
{
	static const char hex[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (q && c == (unsigned char)q) {
			sbx_sb_addc(sb, '\\');
			sbx_sb_addc(sb, (char)c);
		} else if (c >= 0x20 && c < 0x7f) {
			sbx_sb_addc(sb, (char)c);
		} else if (c >= 0x80) {
			/* keep well-formed UTF-8 readable, escape the rest */
			uint32_t cp;
			size_t n = sbx_utf8_decode(s + i, len - i, &cp);
			if (n && sbx_utf8_hidden(cp)) {
				sbx_sb_addf(sb, "\\u{%04x}", (unsigned)cp);
				i += n - 1;
			} else if (n) {
				sbx_sb_add(sb, s + i, n);
				i += n - 1;
			} else {
				char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
				sbx_sb_add(sb, e, 4);
			}
		} else {
			char e[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
			sbx_sb_add(sb, e, 4);
		}
	}
}

bool sbx_sb_equals(const struct sbx_strbuf *sb, const char *s)
{
	return strlen(s) == sb->len && memcmp(sb->buf, s, sb->len) == 0;
}
