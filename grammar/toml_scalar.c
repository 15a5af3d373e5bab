/*
** toml_scalar.c: TOML value words -> typed values.
**
** The scanner hands over every unquoted value as one word (`42`, `0x1f`,
** `-1_000.5e3`, `nan`, `true`, `1979-05-27 07:32:00Z`). This file decides
** what the word is, checks it against the TOML 1.1.0 rules (underscores only
** between digits, no leading zeros, int64 range, calendar dates, optional
** seconds) and builds the value. A malformed word gets one diagnostic that
** points at the offending characters and says which rule they break.
**
** Date-times are stored as normalized RFC 3339 text (toml.h): upper-case `T`
** and `Z`, seconds always present, the fraction as written.
*/
#include "arena.h"
#include "strbuf.h"
#include "toml_build.h"
#include "utf8.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct word {
	struct sbx_ctx *ctx;
	const char *s;
	size_t len;
	struct sbx_span span;
};

/* Reports a problem with s[from..to) of the word; returns false. */
static bool fail(const struct word *w, enum sbx_diag_code code, size_t from, size_t to,
                 const char *help, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static bool fail(const struct word *w, enum sbx_diag_code code, size_t from, size_t to,
                 const char *help, const char *fmt, ...)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (to > w->len)
		to = w->len;
	if (from >= to && to > 0)
		from = to - 1;
	struct sbx_span sp = {w->span.file, w->span.start + (uint32_t)from,
	                      w->span.start + (uint32_t)to};
	struct sbx_diag *d = sbx_diag_emit(w->ctx, code, sp, "%s", sb.buf);
	if (help)
		sbx_diag_help(w->ctx, d, "%s", help);
	sbx_sb_release(&sb);
	return false;
}

static const char *quoted(const struct word *w)
{
	return sbx_tb_quote(w->ctx, w->s, w->len);
}

/* The whole (UTF-8) character at s[i], quoted for a message. */
static const char *char_at(const struct word *w, size_t i)
{
	uint32_t cp;
	size_t n = sbx_utf8_decode(w->s + i, w->len - i, &cp);
	return sbx_tb_quote(w->ctx, w->s + i, n ? n : 1);
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

static bool word_is(const struct word *w, const char *s)
{
	return strlen(s) == w->len && memcmp(w->s, s, w->len) == 0;
}

/* ---- numbers ------------------------------------------------------------ */

/* Scans a run of digits of `radix` with single underscores between digits,
** from *i. Returns the number of digits, or -1 after reporting a misplaced
** underscore. */
static int digit_run(const struct word *w, size_t *i, int radix)
{
	size_t p = *i;
	int n = 0;
	while (p < w->len) {
		char c = w->s[p];
		if (digit_value(c) < radix) {
			n++, p++;
			continue;
		}
		if (c != '_')
			break;
		if (n == 0 || p + 1 >= w->len || digit_value(w->s[p + 1]) >= radix) {
			fail(w, SBX_E0106, p, p + 1, NULL,
			     "invalid number `%s`: `_` must stand between two digits", quoted(w));
			return -1;
		}
		p++;
	}
	*i = p;
	return n;
}

static const char *radix_name(int radix)
{
	return radix == 16 ? "hexadecimal" : radix == 8 ? "octal" : "binary";
}

static const char *radix_digit(int radix)
{
	return radix == 16  ? "a hexadecimal digit"
	       : radix == 8 ? "an octal digit"
	                    : "a binary digit";
}

/* 0x.., 0o.., 0b..: non-negative, no sign, leading zeros allowed. */
static bool radix_integer(const struct word *w, size_t i, int radix, int sign,
                          struct sbx_toml_value *out)
{
	if (sign)
		return fail(w, SBX_E0106, 0, 1, "write the value in decimal to give it a sign",
		            "invalid number `%s`: %s integers cannot have a sign", quoted(w),
		            radix_name(radix));
	size_t p = i + 2;
	int n = digit_run(w, &p, radix);
	if (n < 0)
		return false;
	if (n == 0 && p == w->len)
		return fail(w, SBX_E0106, i, p, NULL, "invalid number `%s`: no digits after `%.2s`",
		            quoted(w), w->s + i);
	if (p < w->len || n == 0)
		return fail(w, SBX_E0106, p, p + 1, NULL, "invalid number `%s`: `%s` is not %s",
		            quoted(w), char_at(w, p), radix_digit(radix));
	uint64_t v = 0;
	for (size_t k = i + 2; k < w->len; k++) {
		if (w->s[k] == '_')
			continue;
		uint64_t d = (uint64_t)digit_value(w->s[k]);
		if (v > ((uint64_t)INT64_MAX - d) / (uint64_t)radix)
			return fail(
			    w, SBX_E0107, 0, w->len,
			    "the largest integer is 0x7fffffffffffffff (9223372036854775807)",
			    "integer `%s` does not fit in 64 bits", quoted(w));
		v = v * (uint64_t)radix + d;
	}
	*out = (struct sbx_toml_value){.type = SBX_TOML_INTEGER, .span = w->span};
	out->u.integer = (int64_t)v;
	return true;
}

static bool decimal_integer(const struct word *w, int sign, struct sbx_toml_value *out)
{
	uint64_t v = 0, limit = sign < 0 ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (size_t k = sign ? 1 : 0; k < w->len; k++) {
		if (w->s[k] == '_')
			continue;
		uint64_t d = (uint64_t)(w->s[k] - '0');
		if (v > (limit - d) / 10)
			return fail(
			    w, SBX_E0107, 0, w->len,
			    "integers range from -9223372036854775808 to 9223372036854775807",
			    "integer `%s` does not fit in 64 bits", quoted(w));
		v = v * 10 + d;
	}
	*out = (struct sbx_toml_value){.type = SBX_TOML_INTEGER, .span = w->span};
	out->u.integer = sign < 0 ? (int64_t)(0 - v) : (int64_t)v;
	return true;
}

static bool decimal_float(const struct word *w, struct sbx_toml_value *out)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (size_t k = 0; k < w->len; k++)
		if (w->s[k] != '_')
			sbx_sb_addc(&sb, w->s[k]);
	errno = 0;
	double d = strtod(sb.buf, NULL);
	bool overflow = errno == ERANGE && isinf(d);
	sbx_sb_release(&sb);
	if (overflow)
		return fail(w, SBX_E0107, 0, w->len,
		            "the largest finite float is about 1.7976931348623157e308",
		            "float `%s` is too large for a 64-bit float", quoted(w));
	*out = (struct sbx_toml_value){.type = SBX_TOML_FLOAT, .span = w->span};
	out->u.floating = d;
	return true;
}

/* [+-] int [. digits] [eE [+-] digits], per TOML's decimal grammar. */
static bool number(const struct word *w, struct sbx_toml_value *out)
{
	size_t i = 0;
	int sign = 0;
	if (w->s[0] == '+' || w->s[0] == '-')
		sign = w->s[0] == '-' ? -1 : 1, i = 1;
	if (i + 1 < w->len && w->s[i] == '0' && strchr("xob", w->s[i + 1]))
		return radix_integer(w, i,
		                     w->s[i + 1] == 'x'   ? 16
		                     : w->s[i + 1] == 'o' ? 8
		                                          : 2,
		                     sign, out);
	if (i + 1 < w->len && w->s[i] == '0' && strchr("XOB", w->s[i + 1]))
		return fail(
		    w, SBX_E0106, i + 1, i + 2, "write the prefix in lower case: `0x`, `0o`, `0b`",
		    "invalid number `%s`: upper-case base prefix `0%c`", quoted(w), w->s[i + 1]);
	size_t int_start = i;
	int n = digit_run(w, &i, 10);
	if (n < 0)
		return false;
	if (n == 0) {
		if (i < w->len && w->s[i] == '.')
			return fail(
			    w, SBX_E0106, i, i + 1, "write `0.5`, not `.5`",
			    "invalid number `%s`: a decimal point needs a digit on each side",
			    quoted(w));
		return fail(w, SBX_E0106, i, i + 1, NULL, "invalid number `%s`: expected a digit",
		            quoted(w));
	}
	if (w->s[int_start] == '0' && n > 1)
		return fail(w, SBX_E0106, int_start, int_start + 1, NULL,
		            "invalid number `%s`: leading zeros are not allowed", quoted(w));
	bool is_float = false;
	if (i < w->len && w->s[i] == '.') {
		size_t dot = i++;
		int f = digit_run(w, &i, 10);
		if (f < 0)
			return false;
		if (f == 0)
			return fail(
			    w, SBX_E0106, dot, dot + 1, "write `1.0`, not `1.`",
			    "invalid number `%s`: a decimal point needs a digit on each side",
			    quoted(w));
		is_float = true;
	}
	if (i < w->len && (w->s[i] == 'e' || w->s[i] == 'E')) {
		size_t e = i++;
		if (i < w->len && (w->s[i] == '+' || w->s[i] == '-'))
			i++;
		int x = digit_run(w, &i, 10);
		if (x < 0)
			return false;
		if (x == 0)
			return fail(w, SBX_E0106, e, i + 1, NULL,
			            "invalid number `%s`: the exponent has no digits", quoted(w));
		is_float = true;
	}
	if (i < w->len)
		return fail(w, SBX_E0106, i, i + 1, NULL, "invalid number `%s`: unexpected `%s`",
		            quoted(w), char_at(w, i));
	return is_float ? decimal_float(w, out) : decimal_integer(w, sign, out);
}

/* ---- dates and times ---------------------------------------------------- */

/* Reads a field of exactly `want` digits at *i into *v. */
static bool field(const struct word *w, size_t *i, int want, const char *name, int *v)
{
	size_t p = *i;
	while (p < w->len && is_digit(w->s[p]))
		p++;
	if ((int)(p - *i) != want)
		return fail(w, SBX_E0108, *i, p > *i ? p : *i + 1, NULL,
		            "invalid date-time `%s`: the %s must have %d digits", quoted(w), name,
		            want);
	int x = 0;
	for (size_t k = *i; k < p; k++)
		x = x * 10 + (w->s[k] - '0');
	*v = x;
	*i = p;
	return true;
}

static bool expect_char(const struct word *w, size_t *i, char c, const char *what)
{
	if (*i < w->len && w->s[*i] == c) {
		(*i)++;
		return true;
	}
	if (*i >= w->len)
		return fail(w, SBX_E0108, w->len, w->len + 1, NULL,
		            "invalid date-time `%s`: expected `%c` %s", quoted(w), c, what);
	return fail(w, SBX_E0108, *i, *i + 1, NULL,
	            "invalid date-time `%s`: expected `%c` %s, found `%s`", quoted(w), c, what,
	            char_at(w, *i));
}

static bool in_range(const struct word *w, size_t end, int v, int lo, int hi, const char *name)
{
	if (v >= lo && v <= hi)
		return true;
	return fail(w, SBX_E0109, end - 2, end, NULL,
	            "%s %02d is out of range (%02d to %02d) in `%s`", name, v, lo, hi, quoted(w));
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

static bool date_part(const struct word *w, size_t *i, struct sbx_strbuf *out)
{
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	int y, m, d;
	if (!field(w, i, 4, "year", &y) || !expect_char(w, i, '-', "after the year") ||
	    !field(w, i, 2, "month", &m) || !in_range(w, *i, m, 1, 12, "month") ||
	    !expect_char(w, i, '-', "after the month") || !field(w, i, 2, "day", &d))
		return false;
	int last = days_in_month(y, m);
	if (d < 1 || d > last)
		return fail(w, SBX_E0109, *i - 2, *i, NULL,
		            "day %02d is out of range for %s %04d (01 to %02d)", d, months[m - 1],
		            y, last);
	sbx_sb_addf(out, "%04d-%02d-%02d", y, m, d);
	return true;
}

/* HH:MM[:SS[.frac]]: seconds are optional in TOML 1.1 (`07:32` is 07:32:00). */
static bool time_part(const struct word *w, size_t *i, struct sbx_strbuf *out)
{
	int h, m, s = 0;
	if (!field(w, i, 2, "hour", &h) || !in_range(w, *i, h, 0, 23, "hour") ||
	    !expect_char(w, i, ':', "after the hour") || !field(w, i, 2, "minute", &m) ||
	    !in_range(w, *i, m, 0, 59, "minute"))
		return false;
	bool seconds = *i < w->len && w->s[*i] == ':';
	if (seconds) {
		(*i)++;
		if (!field(w, i, 2, "second", &s) || !in_range(w, *i, s, 0, 60, "second"))
			return false;
	}
	sbx_sb_addf(out, "%02d:%02d:%02d", h, m, s);
	if (!seconds && *i < w->len && w->s[*i] == '.')
		return fail(w, SBX_E0108, *i, *i + 1, "write the seconds too, as in `07:32:00.5`",
		            "invalid date-time `%s`: a fraction of a second needs the seconds",
		            quoted(w));
	if (*i < w->len && w->s[*i] == '.') {
		size_t dot = (*i)++;
		while (*i < w->len && is_digit(w->s[*i]))
			(*i)++;
		if (*i == dot + 1)
			return fail(w, SBX_E0108, dot, dot + 1, NULL,
			            "invalid date-time `%s`: `.` must be followed by digits of a "
			            "second",
			            quoted(w));
		sbx_sb_add(out, w->s + dot, *i - dot);
	}
	return true;
}

/* Z, z or +HH:MM / -HH:MM. */
static bool offset_part(const struct word *w, size_t *i, struct sbx_strbuf *out)
{
	char c = w->s[*i];
	if (c == 'Z' || c == 'z') {
		(*i)++;
		sbx_sb_addc(out, 'Z');
		return true;
	}
	int h, m;
	(*i)++;
	if (!field(w, i, 2, "offset hour", &h) || !in_range(w, *i, h, 0, 23, "offset hour") ||
	    !expect_char(w, i, ':', "in the offset") || !field(w, i, 2, "offset minute", &m) ||
	    !in_range(w, *i, m, 0, 59, "offset minute"))
		return false;
	sbx_sb_addf(out, "%c%02d:%02d", c, h, m);
	return true;
}

static bool finish_datetime(const struct word *w, size_t i, struct sbx_strbuf *sb,
                            enum sbx_toml_type type, struct sbx_toml_value *out)
{
	if (i < w->len) {
		fail(w, SBX_E0108, i, w->len, NULL,
		     "invalid date-time `%s`: unexpected `%s` at the end", quoted(w),
		     sbx_tb_quote(w->ctx, w->s + i, w->len - i));
		sbx_sb_release(sb);
		return false;
	}
	*out = (struct sbx_toml_value){.type = type, .span = w->span};
	out->u.datetime = sbx_arena_strndup(&w->ctx->arena, sb->buf, sb->len);
	sbx_sb_release(sb);
	return true;
}

static bool datetime(const struct word *w, struct sbx_toml_value *out)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	size_t i = 0;
	bool ok = date_part(w, &i, &sb);
	if (!ok || i == w->len)
		return ok ? finish_datetime(w, i, &sb, SBX_TOML_DATE_LOCAL, out)
		          : (sbx_sb_release(&sb), false);
	char sep = w->s[i];
	if (sep != 'T' && sep != 't' && sep != ' ') {
		sbx_sb_release(&sb);
		return fail(w, SBX_E0108, i, i + 1, NULL,
		            "invalid date-time `%s`: expected `T` or a space between the date "
		            "and the time",
		            quoted(w));
	}
	if (++i == w->len) {
		sbx_sb_release(&sb);
		return fail(w, SBX_E0108, i - 1, i, NULL,
		            "invalid date-time `%s`: `T` must be followed by a time", quoted(w));
	}
	sbx_sb_addc(&sb, 'T');
	if (!time_part(w, &i, &sb)) {
		sbx_sb_release(&sb);
		return false;
	}
	if (i < w->len && strchr("Zz+-", w->s[i])) {
		if (!offset_part(w, &i, &sb)) {
			sbx_sb_release(&sb);
			return false;
		}
		return finish_datetime(w, i, &sb, SBX_TOML_DATETIME, out);
	}
	return finish_datetime(w, i, &sb, SBX_TOML_DATETIME_LOCAL, out);
}

static bool local_time(const struct word *w, struct sbx_toml_value *out)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	size_t i = 0;
	if (!time_part(w, &i, &sb)) {
		sbx_sb_release(&sb);
		return false;
	}
	return finish_datetime(w, i, &sb, SBX_TOML_TIME_LOCAL, out);
}

/* ---- words -------------------------------------------------------------- */

static bool looks_like_date(const struct word *w)
{
	size_t n = 0;
	while (n < w->len && is_digit(w->s[n]))
		n++;
	return n >= 3 && n < w->len && w->s[n] == '-';
}

static bool looks_like_time(const struct word *w)
{
	size_t n = 0;
	while (n < w->len && is_digit(w->s[n]))
		n++;
	return n >= 1 && n < w->len && w->s[n] == ':';
}

static bool special_float(const struct word *w, struct sbx_toml_value *out)
{
	const char *s = w->s;
	size_t len = w->len;
	bool neg = false;
	if (len == 4 && (s[0] == '+' || s[0] == '-'))
		neg = s[0] == '-', s++, len--;
	if (len != 3 || (memcmp(s, "inf", 3) != 0 && memcmp(s, "nan", 3) != 0))
		return false;
	*out = (struct sbx_toml_value){.type = SBX_TOML_FLOAT, .span = w->span};
	if (s[0] == 'i')
		out->u.floating = neg ? -INFINITY : INFINITY;
	else
		out->u.floating = neg ? -NAN : NAN;
	return true;
}

static bool bare_word(const struct word *w)
{
	const char *help = "strings must be quoted";
	struct sbx_strbuf lower = SBX_STRBUF_INIT;
	for (size_t i = 0; i < w->len; i++)
		sbx_sb_addc(&lower,
		            (char)(w->s[i] >= 'A' && w->s[i] <= 'Z' ? w->s[i] | 0x20 : w->s[i]));
	if (strstr(lower.buf, "\xef\xbb\xbf"))
		help = "a byte order mark (U+FEFF) may only stand at the very start of the file";
	else if (sbx_sb_equals(&lower, "true") || sbx_sb_equals(&lower, "false"))
		help = "booleans are lower case: `true` or `false`";
	else if (strstr(lower.buf, "inf") || strstr(lower.buf, "nan"))
		help = "special floats are written `inf`, `+inf`, `-inf`, `nan`, in lower case";
	sbx_sb_release(&lower);
	return fail(w, SBX_E0110, 0, w->len, help, "`%s` is not a value", quoted(w));
}

bool sbx_toml_scalar(struct sbx_ctx *ctx, const char *s, size_t len, struct sbx_span span,
                     struct sbx_toml_value *out)
{
	struct word w = {ctx, s, len, span};
	if (word_is(&w, "true") || word_is(&w, "false")) {
		*out = (struct sbx_toml_value){.type = SBX_TOML_BOOL, .span = span};
		out->u.boolean = s[0] == 't';
		return true;
	}
	if (special_float(&w, out))
		return true;
	if (looks_like_date(&w))
		return datetime(&w, out);
	if (looks_like_time(&w))
		return local_time(&w, out);
	size_t first = (s[0] == '+' || s[0] == '-') && len > 1 ? 1 : 0;
	if (!is_digit(s[first]) && s[first] != '.' && s[first] != '_' && s[first] != '+' &&
	    s[first] != '-')
		return bare_word(&w);
	return number(&w, out);
}
