/*
** schema_util.c: type checks, key names and did-you-mean suggestions shared
** by the schema passes.
*/
#include "schema.h"

#include <string.h>

const char *sbx_schema_name(struct sbx_ctx *ctx, const struct sbx_toml_key *k)
{
	return sbx_diag_quote(ctx, k->name, k->len);
}

bool sbx_schema_key_is(const struct sbx_toml_key *k, const char *s)
{
	return strlen(s) == k->len && memcmp(k->name, s, k->len) == 0;
}

const char *sbx_schema_type_phrase(enum sbx_toml_type t)
{
	return sbx_toml_type_phrase(t);
}

bool sbx_schema_expect(struct sbx_ctx *ctx, const struct sbx_toml_key *k, enum sbx_toml_type t,
                       const char *what)
{
	if (k->value.type == t)
		return true;
	sbx_diag_emit(ctx, SBX_E0201, k->value.span, "%s must be %s, found %s", what,
	              sbx_schema_type_phrase(t), sbx_schema_type_phrase(k->value.type));
	return false;
}

/* Levenshtein distance, capped: returns cap + 1 once it is certainly above. */
static size_t distance(const char *a, const char *b, size_t cap)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return cap + 1;
	if ((la > lb ? la - lb : lb - la) > cap)
		return cap + 1;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof *prev);
	}
	return prev[lb];
}

const char *sbx_schema_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = distance(word, cands[i], 2);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	/* a cut-off name (`:tmp` for `:tmpdir`): the one candidate it starts */
	size_t lw = strlen(word), nprefix = 0;
	for (size_t i = 0; !best && lw >= 3 && i < n; i++)
		if (strncmp(cands[i], word, lw) == 0)
			nprefix++;
	for (size_t i = 0; !best && nprefix == 1 && i < n; i++)
		if (strncmp(cands[i], word, lw) == 0)
			best = cands[i];
	return best;
}

void sbx_schema_unknown_key(struct sbx_ctx *ctx, const struct sbx_toml_key *k, const char *where,
                            const char *const *known, size_t nknown)
{
	const char *name = sbx_schema_name(ctx, k);
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_W0201, k->span, "unknown key `%s` in %s", name, where);
	const char *s =
	    memchr(k->name, 0, k->len) ? NULL : sbx_schema_suggest(k->name, known, nknown);
	if (s)
		sbx_diag_help(ctx, d, "did you mean `%s`?", s);
	else
		sbx_diag_note(ctx, d, SBX_NO_SPAN, "the key is ignored");
}
