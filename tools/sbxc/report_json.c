/*
** report_json.c: the lint reports that are JSON documents: sbxc's own
** (spec/reports.md) and SARIF 2.1.0. Both are built in memory and written
** at the end, keys in a fixed order.
*/
#include "diag_json.h"
#include "lint.h"
#include "strbuf.h"

#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SBXC_DOC_URL
#define SBXC_DOC_URL "file:///usr/local/share/doc/sbxc/diagnostics.md"
#endif
#ifndef SBXC_DOC_RELDIR
#define SBXC_DOC_RELDIR "share/doc/sbxc"
#endif

/* Where the rules' help links point: the diagnostics.md installed next to
** this sbxc (BIN/../SBXC_DOC_RELDIR, as `cmake --install` and the .deb lay
** it out: one build serves both prefixes), else the configured docdir (a
** build tree). Computed once; percent-encoded as a file URI. */
static const char *doc_url(void)
{
	static char *url;
	if (url)
		return url;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct sbx_strbuf path = SBX_STRBUF_INIT;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0'; /* BIN */
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0'; /* the prefix */
			sbx_sb_addf(&path, "%s/%s/diagnostics.md", exe, SBXC_DOC_RELDIR);
		}
	}
	if (path.len && access(path.buf, R_OK) == 0) {
		struct sbx_strbuf u = SBX_STRBUF_INIT;
		sbx_sb_adds(&u, "file://");
		for (const char *p = path.buf; *p; p++) {
			unsigned char c = (unsigned char)*p;
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			    (c >= '0' && c <= '9') || strchr("/-._~", c))
				sbx_sb_addc(&u, (char)c);
			else
				sbx_sb_addf(&u, "%%%02X", c);
		}
		url = sbx_xstrdup(u.buf);
		sbx_sb_release(&u);
	} else {
		url = sbx_xstrdup(SBXC_DOC_URL);
	}
	sbx_sb_release(&path);
	return url;
}

struct jstate {
	const struct sbx_report_opts *o;
	json_t *files; /* json: one object per file; sarif: the results */
	json_t *uris;  /* sarif: artifact uris in order of first use */
	bool used[SBX_DIAG_COUNT];
};

static void *j_begin(const struct sbx_report_opts *o)
{
	struct jstate *s = sbx_xcalloc(1, sizeof *s);
	s->o = o;
	s->files = json_array();
	s->uris = json_array();
	return s;
}

static json_t *opt_string(const char *s)
{
	return s ? json_string(s) : json_null();
}

static void json_file(void *st, const struct sbx_lint_file *f)
{
	struct jstate *s = st;
	json_t *diags = json_array();
	for (size_t i = 0; i < f->ndiags; i++) {
		struct sbx_diag scratch;
		json_t *d = sbx_diag_to_json(f->ctx, sbx_lint_diag(f, i, &scratch),
		                             sbx_lint_display_name(f));
		json_object_set_new(d, "profile", opt_string(f->diag_profile[i]));
		json_object_set_new(d, "target", opt_string(f->diag_target[i]));
		json_array_append_new(diags, d);
	}
	json_t *o = json_object();
	json_object_set_new(o, "file", json_string(sbx_lint_display_name(f)));
	json_object_set_new(o, "profiles", json_integer((json_int_t)f->profiles));
	json_object_set_new(o, "errors", json_integer((json_int_t)f->errors));
	json_object_set_new(o, "warnings", json_integer((json_int_t)f->warnings));
	json_object_set_new(o, "notes", json_integer((json_int_t)f->notes));
	json_object_set_new(o, "allowed", json_integer((json_int_t)f->allowed));
	json_object_set_new(o, "not_shown", json_integer((json_int_t)f->ctx->ndropped));
	json_object_set_new(o, "diagnostics", diags);
	json_array_append_new(s->files, o);
}

static bool dump(json_t *doc, FILE *out)
{
	bool ok = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0;
	fputc('\n', out);
	json_decref(doc);
	return ok && !ferror(out);
}

static bool json_end(void *st, const struct sbx_lint_totals *t)
{
	struct jstate *s = st;
	json_t *tot = json_object();
	json_object_set_new(tot, "files", json_integer((json_int_t)t->files));
	json_object_set_new(tot, "profiles", json_integer((json_int_t)t->profiles));
	json_object_set_new(tot, "errors", json_integer((json_int_t)t->errors));
	json_object_set_new(tot, "warnings", json_integer((json_int_t)t->warnings));
	json_object_set_new(tot, "notes", json_integer((json_int_t)t->notes));
	json_object_set_new(tot, "allowed", json_integer((json_int_t)t->allowed));
	json_t *doc = json_object();
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(doc, "sbxc", json_string(SBXC_VERSION));
	json_object_set_new(doc, "files", s->files);
	json_object_set_new(doc, "totals", tot);
	json_decref(s->uris);
	bool ok = dump(doc, s->o->out);
	free(s);
	return ok;
}

const struct sbx_renderer sbx_render_json = {"json", j_begin, json_file, json_end};

/* --- SARIF 2.1.0 -------------------------------------------------------- */

/* A relative URI reference for a file name: bytes outside RFC 3986's
** unreserved set and '/' are percent-encoded. */
static json_t *uri_of(const char *name)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			sbx_sb_addc(&sb, (char)*p);
		else
			sbx_sb_addf(&sb, "%%%02X", *p);
	}
	json_t *s = json_string(sb.buf);
	sbx_sb_release(&sb);
	return s;
}

static json_t *physical(struct sbx_ctx *ctx, struct sbx_span span, const char *fallback)
{
	struct sbx_diag_loc loc;
	bool have = sbx_diag_span_loc(ctx, span, &loc);
	json_t *pl = json_object();
	json_object_set_new(pl, "artifactLocation",
	                    json_pack("{s:o}", "uri", uri_of(have ? loc.file : fallback)));
	if (have)
		json_object_set_new(
		    pl, "region",
		    json_pack("{s:i, s:i, s:i, s:i}", "startLine", (json_int_t)loc.line,
		              "startColumn", (json_int_t)loc.column, "endLine",
		              (json_int_t)loc.end_line, "endColumn", (json_int_t)loc.end_column));
	return pl;
}

static const char *level(enum sbx_severity s)
{
	return s == SBX_SEV_ERROR ? "error" : s == SBX_SEV_WARNING ? "warning" : "note";
}

static void sarif_file(void *st, const struct sbx_lint_file *f)
{
	struct jstate *s = st;
	const char *name = sbx_lint_display_name(f);
	for (size_t i = 0; i < f->ndiags; i++) {
		struct sbx_diag scratch;
		const struct sbx_diag *d = sbx_lint_diag(f, i, &scratch);
		s->used[d->code] = true;
		struct sbx_strbuf text = SBX_STRBUF_INIT;
		sbx_sb_adds(&text, d->msg);
		json_t *related = json_array();
		for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
			if (n->kind == SBX_NOTE_NOTE && sbx_ctx_source(f->ctx, n->span.file)) {
				json_t *r = json_object();
				json_object_set_new(
				    r, "id", json_integer((json_int_t)json_array_size(related)));
				json_object_set_new(r, "physicalLocation",
				                    physical(f->ctx, n->span, name));
				json_object_set_new(r, "message",
				                    json_pack("{s:s}", "text", n->msg));
				json_array_append_new(related, r);
			} else {
				sbx_sb_addf(&text, "\n%s: %s",
				            n->kind == SBX_NOTE_HELP ? "help" : "note", n->msg);
			}
		}
		if (d->promoted)
			sbx_sb_adds(&text, "\nnote: this warning is an error because of --strict");
		json_t *r = json_object();
		json_object_set_new(r, "ruleId", json_string(sbx_diag_code_name(d->code)));
		json_object_set_new(r, "level", json_string(level(d->sev)));
		json_object_set_new(r, "message", json_pack("{s:s}", "text", text.buf));
		json_object_set_new(
		    r, "locations",
		    json_pack("[{s:o}]", "physicalLocation", physical(f->ctx, d->span, name)));
		if (json_array_size(related))
			json_object_set_new(r, "relatedLocations", related);
		else
			json_decref(related);
		json_t *props = json_object();
		if (f->diag_profile[i])
			json_object_set_new(props, "profile", json_string(f->diag_profile[i]));
		if (f->diag_target[i])
			json_object_set_new(props, "target", json_string(f->diag_target[i]));
		if (json_object_size(props))
			json_object_set_new(r, "properties", props);
		else
			json_decref(props);
		json_array_append_new(s->files, r);
		sbx_sb_release(&text);
	}
	json_array_append_new(s->uris, uri_of(name));
}

static json_t *rule(enum sbx_diag_code c)
{
	const char *code = sbx_diag_code_name(c), *summary = sbx_diag_code_summary(c);
	struct sbx_strbuf full = SBX_STRBUF_INIT, help = SBX_STRBUF_INIT, uri = SBX_STRBUF_INIT;
	sbx_sb_addf(&full, "%s (%s%s).", summary, sbx_severity_name(sbx_diag_code_severity(c)),
	            sbx_diag_code_strict(c) ? ", an error under --strict" : "");
	sbx_sb_addf(&help, "`sbxc explain-code %s` prints the entry of %s with an example.", code,
	            code);
	sbx_sb_addf(&uri, "%s#", doc_url());
	for (const char *p = code; *p; p++)
		sbx_sb_addc(&uri, (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p));
	json_t *r = json_pack("{s:s, s:{s:s}, s:{s:s}, s:{s:s}, s:s, s:{s:s}}", "id", code,
	                      "shortDescription", "text", summary, "fullDescription", "text",
	                      full.buf, "help", "text", help.buf, "helpUri", uri.buf,
	                      "defaultConfiguration", "level", level(sbx_diag_code_severity(c)));
	sbx_sb_release(&full);
	sbx_sb_release(&help);
	sbx_sb_release(&uri);
	return r;
}

static bool sarif_end(void *st, const struct sbx_lint_totals *t)
{
	struct jstate *s = st;
	(void)t;
	/* rules: the codes that occur, in diag.def order; results point at them */
	size_t index[SBX_DIAG_COUNT];
	json_t *rules = json_array();
	for (size_t c = 0; c < SBX_DIAG_COUNT; c++) {
		if (!s->used[c])
			continue;
		index[c] = json_array_size(rules);
		json_array_append_new(rules, rule((enum sbx_diag_code)c));
	}
	size_t i;
	json_t *r;
	json_array_foreach(s->files, i, r)
	{
		enum sbx_diag_code c;
		if (sbx_diag_code_lookup(json_string_value(json_object_get(r, "ruleId")), &c))
			json_object_set_new(r, "ruleIndex", json_integer((json_int_t)index[c]));
	}
	json_t *artifacts = json_array(), *u;
	json_array_foreach(s->uris, i, u)
	    json_array_append_new(artifacts, json_pack("{s:{s:O}}", "location", "uri", u));
	json_t *driver = json_pack("{s:s, s:s, s:s, s:o}", "name", "sbxc", "version", SBXC_VERSION,
	                           "informationUri", doc_url(), "rules", rules);
	json_t *run = json_object();
	json_object_set_new(run, "tool", json_pack("{s:o}", "driver", driver));
	json_object_set_new(run, "artifacts", artifacts);
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", s->files);
	json_t *doc = json_object();
	json_object_set_new(doc, "$schema",
	                    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(doc, "version", json_string("2.1.0"));
	json_object_set_new(doc, "runs", json_pack("[o]", run));
	json_decref(s->uris);
	bool ok = dump(doc, s->o->out);
	free(s);
	return ok;
}

const struct sbx_renderer sbx_render_sarif = {"sarif", j_begin, sarif_file, sarif_end};
