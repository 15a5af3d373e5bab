/*
** toml_json.c: a TOML tree as toml-test's tagged JSON.
**
** The output of `sbxc toml-decode` and of the conformance suite: tables are
** JSON objects (keys in definition order), arrays are arrays, and every
** scalar is {"type": ..., "value": "<text>"}. Floats are written in the
** shortest form that reads back to the same double (`inf`, `-inf`, `nan`
** for the specials); date-times as their normalized RFC 3339 text.
**
** The walk is recursive; the builder keeps documents within
** SBX_MAX_NESTING levels, and deeper trees (built in code) give NULL.
*/
#include "sbx_limits.h"
#include "strbuf.h"
#include "toml.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for the tree the builder allows plus a few synthetic levels. */
#define MAX_DEPTH (SBX_MAX_NESTING + 8)

static json_t *value_json(const struct sbx_toml_value *v, int depth);

static json_t *tagged(const char *type, const char *text, size_t len)
{
	json_t *o = json_object();
	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "value", json_stringn(text, len));
	return o;
}

/* The shortest text that reads back to d: the fewest significant digits
** that round-trip, in plain notation for ordinary magnitudes, and always
** recognisable as a float (`1500.0`, `6.626e-34`, `inf`, `nan`). */
static void float_text(double d, char *buf, size_t size)
{
	if (isnan(d)) {
		snprintf(buf, size, "nan");
		return;
	}
	if (isinf(d)) {
		snprintf(buf, size, d < 0 ? "-inf" : "inf");
		return;
	}
	int prec = 1;
	for (; prec < 17; prec++) {
		snprintf(buf, size, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	snprintf(buf, size, "%.*g", prec, d);
	double mag = d < 0 ? -d : d;
	const char *e = strchr(buf, 'e');
	if (e && mag >= 1e-5 && mag < 1e16) {
		int decimals = prec - 1 - (int)strtol(e + 1, NULL, 10);
		char fixed[64];
		snprintf(fixed, sizeof fixed, "%.*f", decimals > 0 ? decimals : 0, d);
		if (strtod(fixed, NULL) == d)
			snprintf(buf, size, "%s", fixed);
	}
	size_t len = strlen(buf);
	if (!strpbrk(buf, ".e") && len + 3 <= size)
		memcpy(buf + len, ".0", 3);
}

static json_t *scalar_json(const struct sbx_toml_value *v)
{
	char buf[64];
	switch (v->type) {
	case SBX_TOML_STRING:
		return tagged("string", v->u.str.ptr, v->u.str.len);
	case SBX_TOML_INTEGER:
		snprintf(buf, sizeof buf, "%" PRId64, v->u.integer);
		return tagged("integer", buf, strlen(buf));
	case SBX_TOML_FLOAT:
		float_text(v->u.floating, buf, sizeof buf);
		return tagged("float", buf, strlen(buf));
	case SBX_TOML_BOOL:
		return tagged("bool", v->u.boolean ? "true" : "false", v->u.boolean ? 4 : 5);
	default:
		return tagged(sbx_toml_type_name(v->type), v->u.datetime, strlen(v->u.datetime));
	}
}

static json_t *table_json(const struct sbx_toml_table *t, int depth)
{
	json_t *o = json_object();
	for (size_t i = 0; i < t->n; i++) {
		const struct sbx_toml_key *k = &t->items[i];
		json_t *c = value_json(&k->value, depth + 1);
		if (!c) {
			json_decref(o);
			return NULL;
		}
		json_object_setn_new(o, k->name, k->len, c);
	}
	return o;
}

static json_t *array_json(const struct sbx_toml_array *a, int depth)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < a->n; i++) {
		json_t *c = value_json(&a->items[i], depth + 1);
		if (!c) {
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, c);
	}
	return arr;
}

static json_t *value_json(const struct sbx_toml_value *v, int depth)
{
	if (depth > MAX_DEPTH)
		return NULL;
	switch (v->type) {
	case SBX_TOML_TABLE:
		return table_json(v->u.table, depth);
	case SBX_TOML_ARRAY:
		return array_json(v->u.array, depth);
	default:
		return scalar_json(v);
	}
}

json_t *sbx_toml_to_tagged_json(const struct sbx_toml_table *root)
{
	return table_json(root, 0);
}
