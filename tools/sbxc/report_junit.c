/*
** report_junit.c: lint as JUnit XML, written with libxml2.
**
** One <testsuite> per file; one <testcase> per profile and target (and one
** for the file itself: syntax, selection), failing when it has an error
** (or a warning under --werror), with every diagnostic of the case in the
** failure's text. Warnings and notes of passing cases go to the suite's
** <system-out>. The timestamp is SOURCE_DATE_EPOCH when set (and the
** hostname then "localhost"), so the report can be reproducible.
*/
#include "diag_json.h"
#include "lint.h"
#include "strbuf.h"

#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ju {
	const struct sbx_report_opts *o;
	xmlDocPtr doc;
	xmlNodePtr root;
	int id;
	char stamp[32];
	char host[256];
};

static void *ju_begin(const struct sbx_report_opts *o)
{
	struct ju *s = sbx_xcalloc(1, sizeof *s);
	s->o = o;
	s->doc = xmlNewDoc(BAD_CAST "1.0");
	s->root = xmlNewNode(NULL, BAD_CAST "testsuites");
	xmlDocSetRootElement(s->doc, s->root);
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t now = time(NULL);
	bool fixed = false;
	if (sde && *sde) {
		char *end;
		long long v = strtoll(sde, &end, 10);
		if (!*end && v >= 0) {
			now = (time_t)v;
			fixed = true;
		}
	}
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(s->stamp, sizeof s->stamp, "%Y-%m-%dT%H:%M:%S", &tm);
	if (fixed || gethostname(s->host, sizeof s->host) != 0 || !s->host[0])
		snprintf(s->host, sizeof s->host, "localhost");
	s->host[sizeof s->host - 1] = '\0';
	return s;
}

/* XML 1.0 cannot carry most control characters, even escaped. */
static char *xml_text(const char *s)
{
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			sbx_sb_addf(&sb, "\\x%02x", *p);
		else
			sbx_sb_addc(&sb, (char)*p);
	}
	return sbx_sb_detach(&sb, NULL);
}

static void set(xmlNodePtr n, const char *name, const char *value)
{
	char *v = xml_text(value);
	xmlNewProp(n, BAD_CAST name, BAD_CAST v);
	free(v);
}

static void set_num(xmlNodePtr n, const char *name, size_t v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%zu", v);
	xmlNewProp(n, BAD_CAST name, BAD_CAST buf);
}

/* One diagnostic as a line of text with its notes, like the text format
** without the snippet. */
static void diag_line(struct sbx_strbuf *sb, const struct sbx_lint_file *f,
                      const struct sbx_diag *d)
{
	struct sbx_diag_loc loc;
	if (sbx_diag_span_loc(f->ctx, d->span, &loc))
		sbx_sb_addf(sb, "%s:%u:%u: ", loc.file, loc.line, loc.column);
	else
		sbx_sb_addf(sb, "%s: ", sbx_lint_display_name(f));
	sbx_sb_addf(sb, "%s[%s]: %s\n", sbx_severity_name(d->sev), sbx_diag_code_name(d->code),
	            d->msg);
	for (const struct sbx_diag_note *n = d->notes; n; n = n->next) {
		sbx_sb_addf(sb, "  = %s: ", n->kind == SBX_NOTE_HELP ? "help" : "note");
		if (sbx_diag_span_loc(f->ctx, n->span, &loc))
			sbx_sb_addf(sb, "%s:%u:%u: ", loc.file, loc.line, loc.column);
		sbx_sb_addf(sb, "%s\n", n->msg);
	}
}

static bool fails(const struct sbx_diag *d, bool werror)
{
	return d->sev == SBX_SEV_ERROR || (werror && d->sev == SBX_SEV_WARNING);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static void ju_file(void *st, const struct sbx_lint_file *f)
{
	struct ju *s = st;
	const char *name = sbx_lint_display_name(f);
	xmlNodePtr suite = xmlNewChild(s->root, NULL, BAD_CAST "testsuite", NULL);
	set(suite, "name", name);
	set(suite, "package", "sbxc.lint");
	char id[16];
	snprintf(id, sizeof id, "%d", s->id++);
	xmlNewProp(suite, BAD_CAST "id", BAD_CAST id);
	set(suite, "timestamp", s->stamp);
	set(suite, "hostname", s->host);
	xmlNewChild(suite, NULL, BAD_CAST "properties", NULL);
	size_t tests = 0, failures = 0;
	struct sbx_strbuf out = SBX_STRBUF_INIT;
	for (size_t c = 0; c < f->ncases; c++) {
		const struct sbx_lint_case *k = &f->cases[c];
		/* the profile's own case also gets the diagnostics of the
		** "(selected)" profile; the file case gets every diagnostic that
		** belongs to no profile */
		bool dup = false;
		for (size_t j = 0; j < c; j++)
			dup |= same(f->cases[j].profile, k->profile) &&
			       same(f->cases[j].target, k->target);
		if (dup)
			continue;
		struct sbx_strbuf fail = SBX_STRBUF_INIT;
		const struct sbx_diag *first = NULL;
		size_t nfail = 0;
		for (size_t i = 0; i < f->ndiags; i++) {
			if (!same(f->diag_profile[i], k->profile) ||
			    !same(f->diag_target[i], k->target))
				continue;
			struct sbx_diag scratch;
			const struct sbx_diag *d = sbx_lint_diag(f, i, &scratch);
			if (fails(d, s->o->werror)) {
				if (!first)
					first = f->diags[i];
				nfail++;
				diag_line(&fail, f, d);
			} else {
				diag_line(&out, f, d);
			}
		}
		xmlNodePtr tc = xmlNewChild(suite, NULL, BAD_CAST "testcase", NULL);
		struct sbx_strbuf tn = SBX_STRBUF_INIT;
		if (!k->profile)
			sbx_sb_adds(&tn, "file");
		else
			sbx_sb_addf(&tn, "profile %s%s%s", k->profile, k->target ? " on " : "",
			            k->target ? k->target : "");
		set(tc, "name", tn.buf);
		set(tc, "classname", name);
		xmlNewProp(tc, BAD_CAST "time", BAD_CAST "0");
		tests++;
		if (first) {
			failures++;
			char *text = xml_text(fail.buf);
			xmlNodePtr fn = xmlNewChild(tc, NULL, BAD_CAST "failure", NULL);
			xmlNodeAddContent(fn, BAD_CAST text);
			free(text);
			struct sbx_strbuf m = SBX_STRBUF_INIT;
			sbx_sb_addf(&m, "%s: %s", sbx_diag_code_name(first->code), first->msg);
			if (nfail > 1)
				sbx_sb_addf(&m, " (and %zu more)", nfail - 1);
			set(fn, "message", m.buf);
			set(fn, "type", sbx_diag_code_name(first->code));
			sbx_sb_release(&m);
		}
		sbx_sb_release(&tn);
		sbx_sb_release(&fail);
	}
	set_num(suite, "tests", tests);
	set_num(suite, "failures", failures);
	set_num(suite, "errors", 0);
	xmlNewProp(suite, BAD_CAST "time", BAD_CAST "0");
	char *text = xml_text(out.len ? out.buf : "");
	xmlNewTextChild(suite, NULL, BAD_CAST "system-out", BAD_CAST text);
	free(text);
	xmlNewChild(suite, NULL, BAD_CAST "system-err", NULL);
	sbx_sb_release(&out);
}

static bool ju_end(void *st, const struct sbx_lint_totals *t)
{
	struct ju *s = st;
	(void)t;
	xmlSaveCtxtPtr sv = xmlSaveToFd(fileno(s->o->out), "UTF-8", XML_SAVE_FORMAT);
	fflush(s->o->out);
	bool ok = sv && xmlSaveDoc(sv, s->doc) >= 0;
	if (sv)
		ok &= xmlSaveClose(sv) >= 0;
	xmlFreeDoc(s->doc);
	free(s);
	return ok;
}

const struct sbx_renderer sbx_render_junit = {"junit", ju_begin, ju_file, ju_end};
