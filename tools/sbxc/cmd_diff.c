/*
** cmd_diff.c: `sbxc diff [-P NAME] OLD NEW`: what changed between two
** policies, semantically: the paths whose effective access widened or
** narrowed, the deny patterns added or removed, the network decision, and
** which backend each target would use. Exit 1 when anything widened, so
** that CI can ask for a review of changes that grant more.
**
** The access of a path is constant below each path a rule names (the
** semantic pass's trie has a node for exactly those paths, and a path
** without a node of its own takes its nearest ancestor's answer), so
** comparing both policies at every node of either trie, with the
** semantic pass's answer (sbx_resolved_access), covers every path; deny
** patterns are compared as patterns. Nothing is sampled.
*/
#include "cli.h"
#include "context.h"
#include "diag_json.h"
#include "policy.h"
#include "resolve.h"
#include "strbuf.h"
#include "target.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

const char sbx_help_diff[] =
    "usage: sbxc diff [-P NAME] [--format text|json] [options] OLD NEW\n"
    "\n"
    "Compares the profile OLD selects (or NAME) with the one NEW selects, as\n"
    "resolved for this machine: every path whose access widened (deny ->\n"
    "read -> write) or narrowed, with the rule that decides it in each; deny\n"
    "patterns added or removed; the network decision; and for each target the\n"
    "backend that would enforce it (or that none can).\n"
    "\n"
    "  -P, --profile NAME      the profile in both files (default: each file's\n"
    "                          selection)\n"
    "      --format text|json  output format (default: text)\n" SBX_CONTEXT_HELP
    "      --color[=WHEN]      colour diagnostics: auto, always or never\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 nothing widened, 1 something widened, 2 usage error or a\n"
    "policy has errors.\n";

static int rank(enum sbx_access a)
{
	return a == SBX_ACCESS_WRITE ? 2 : a == SBX_ACCESS_READ ? 1 : 0;
}

static const char *access_word(enum sbx_access a)
{
	return a == SBX_ACCESS_WRITE ? "write" : a == SBX_ACCESS_READ ? "read" : "deny";
}

static int net_rank(enum sbx_net_kind k)
{
	return k == SBX_NET_FULL ? 2 : k == SBX_NET_PROXY ? 1 : 0;
}

struct paths {
	const char **v;
	size_t n, cap;
};

static void add(struct paths *p, const char *s)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 64;
		p->v = sbx_xrealloc(p->v, p->cap * sizeof *p->v);
	}
	p->v[p->n++] = s;
}

/* Every path a rule of r names: the nodes of its trie. */
static void collect(struct paths *p, const struct sbx_resolved *r)
{
	add(p, r->fs_root);
	for (size_t i = 0; i < r->nreadable_roots; i++)
		add(p, r->readable_roots[i].path);
	for (size_t i = 0; i < r->nunreadable_roots; i++)
		add(p, r->unreadable_roots[i].path);
	for (size_t i = 0; i < r->nwritable_roots; i++) {
		add(p, r->writable_roots[i].root.path);
		for (size_t k = 0; k < r->writable_roots[i].nread_only; k++)
			add(p, r->writable_roots[i].read_only[k].path);
	}
	for (size_t i = 0; i < r->nplatform_read_roots; i++)
		add(p, r->platform_read_roots[i]);
}

static int cmp_path(const void *a, const void *b, void *flavor)
{
	return sbx_path_cmp(*(enum sbx_flavor *)flavor, *(const char *const *)a,
	                    *(const char *const *)b);
}

/* The rule that decided a path, as written, with where: for the report. */
static json_t *rule_json(struct sbx_ctx *ctx, const struct sbx_decision *why)
{
	if (!why->src)
		return json_pack("{s:s}", "origin", sbx_origin_name(why->origin));
	json_t *o = sbx_entry_to_json(ctx, why->src);
	json_object_set_new(o, "origin", json_string(sbx_origin_name(why->origin)));
	return o;
}

static const char *rule_text(struct sbx_ctx *ctx, const struct sbx_decision *why)
{
	if (!why->src)
		return sbx_arena_printf(&ctx->arena, "(%s)", sbx_origin_name(why->origin));
	struct sbx_diag_loc loc;
	if (sbx_diag_span_loc(ctx, why->src->key_span, &loc))
		return sbx_arena_printf(&ctx->arena, "%s at %s:%u", sbx_entry_text(ctx, why->src),
		                        loc.file, loc.line);
	return sbx_entry_text(ctx, why->src);
}

/* The backend a target would use for r, or NULL (none can): the first of
** its preference order whose verdict is exact. */
static const char *backend_of(const struct sbx_resolved *r, const struct sbx_target *t)
{
	if (r->disabled)
		return "none (sandbox disabled)";
	for (size_t i = 0; i < t->nbackends; i++)
		if (r->enforce[t->backends[i].id].ok)
			return sbx_backend_name(t->backends[i].id);
	return NULL;
}

struct diff_args {
	struct sbx_cli_context cx;
	const char *profile;
	bool json;
	enum sbx_color color;
};

static struct sbx_resolved *resolve_for(struct sbx_ctx *ctx, const struct diff_args *a,
                                        const struct sbx_profile *p, enum sbx_target_os os)
{
	struct sbx_resolve_opts opts;
	sbx_cli_context_opts(ctx, &a->cx, os, true, &opts);
	return sbx_resolve(ctx, p, &opts);
}

int sbx_cmd_diff(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, 'P'},
	    {"format", required_argument, NULL, 'f'},
	    {"color", optional_argument, NULL, 'c'},
	    {"help", no_argument, NULL, 'h'},
	    SBX_CONTEXT_LONG_OPTIONS,
	    {0},
	};
	struct diff_args a = {.color = SBX_COLOR_AUTO};
	sbx_cli_context_init(&a.cx);
	int c, status = SBX_EXIT_USAGE;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) != -1) {
		int cs = sbx_cli_context_option(&a.cx, "diff", c, optarg);
		if (cs < 0)
			goto out;
		if (cs > 0)
			continue;
		switch (c) {
		case 'P':
			a.profile = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
				sbx_cli_usage("diff", "invalid --format '%s' (text or json)",
				              optarg);
				goto out;
			}
			a.json = strcmp(optarg, "json") == 0;
			break;
		case 'c':
			if (!sbx_cli_parse_color(optarg, &a.color)) {
				sbx_cli_usage("diff", "invalid --color value '%s'", optarg);
				goto out;
			}
			break;
		case 'h':
			sbx_cli_print_help("diff", stdout);
			status = SBX_EXIT_OK;
			goto out;
		case ':':
			sbx_cli_usage("diff", "option '%s' needs an argument", argv[optind - 1]);
			goto out;
		default:
			sbx_cli_usage("diff", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (argc - optind != 2) {
		sbx_cli_usage("diff", "give two policy files, OLD and NEW");
		goto out;
	}
	const char *oldf = argv[optind], *newf = argv[optind + 1];
	enum sbx_target_os host = a.cx.target_given ? a.cx.target : sbx_cli_host_os();

	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false;
	struct sbx_resolved *ro[SBX_OS_COUNT] = {0}, *rn[SBX_OS_COUNT] = {0};
	struct sbx_cli_policy so = {.file = oldf, .profile = a.profile};
	struct sbx_cli_policy sn = {.file = newf, .profile = a.profile};
	struct sbx_profile *po = sbx_cli_load_profile(ctx, &so, NULL, &usage);
	struct sbx_profile *pn = sbx_cli_load_profile(ctx, &sn, NULL, &usage);
	bool ok = po && pn;
	/* this machine's OS, and the targets whose paths both profiles fit */
	unsigned mask = SBX_TARGET_BIT(host);
	if (ok)
		mask |= sbx_targets_default(po) & sbx_targets_default(pn);
	for (int os = 0; ok && os < SBX_OS_COUNT; os++) {
		if (!(mask & SBX_TARGET_BIT(os)))
			continue;
		ro[os] = resolve_for(ctx, &a, po, (enum sbx_target_os)os);
		rn[os] = resolve_for(ctx, &a, pn, (enum sbx_target_os)os);
		ok = ro[os] && rn[os] && !sbx_diag_errors(ctx);
	}
	if (!ok) {
		sbx_cli_report(ctx, a.color, false);
		sbx_ctx_free(&ctx);
		goto out;
	}
	const struct sbx_resolved *o = ro[host], *n = rn[host];
	enum sbx_flavor cmp_flavor = o->opts.flavor;

	/* paths: both tries' nodes, sorted, once each */
	struct paths ps = {0};
	collect(&ps, o);
	collect(&ps, n);
	qsort_r(ps.v, ps.n, sizeof *ps.v, cmp_path, &cmp_flavor);
	json_t *widened = json_array(), *narrowed = json_array();
	struct sbx_strbuf text = SBX_STRBUF_INIT;
	size_t nw = 0, nn = 0;
	const char **shown = sbx_xcalloc(ps.n + 1, sizeof *shown);
	int *shown_change = sbx_xcalloc(ps.n + 1, sizeof *shown_change);
	size_t nshown = 0;
	for (size_t i = 0; i < ps.n; i++) {
		if (i && sbx_path_eq(cmp_flavor, ps.v[i], ps.v[i - 1]))
			continue;
		struct sbx_decision wo = {0}, wn = {0};
		enum sbx_access ao = sbx_resolved_access(o, ps.v[i], &wo);
		enum sbx_access an = sbx_resolved_access(n, ps.v[i], &wn);
		if (ao == an)
			continue;
		int change = (int)ao * 4 + (int)an;
		/* below a path with the same change, the change is the same one */
		bool covered = false;
		for (size_t k = 0; k < nshown && !covered; k++)
			covered = shown_change[k] == change &&
			          sbx_path_is_prefix(cmp_flavor, shown[k], ps.v[i]);
		if (covered)
			continue;
		shown[nshown] = ps.v[i];
		shown_change[nshown++] = change;
		bool wide = rank(an) > rank(ao);
		json_t *x = json_object();
		json_object_set_new(x, "path", json_string(ps.v[i]));
		json_object_set_new(x, "old", json_string(access_word(ao)));
		json_object_set_new(x, "new", json_string(access_word(an)));
		json_object_set_new(x, "old_rule", rule_json(ctx, &wo));
		json_object_set_new(x, "new_rule", rule_json(ctx, &wn));
		json_array_append_new(wide ? widened : narrowed, x);
		wide ? nw++ : nn++;
		sbx_sb_addf(&text, "%s %s: %s -> %s\n    old: %s\n    new: %s\n",
		            wide ? "widened: " : "narrowed:", ps.v[i], access_word(ao),
		            access_word(an), rule_text(ctx, &wo), rule_text(ctx, &wn));
	}
	free(shown);
	free(shown_change);
	free(ps.v);

	/* deny patterns */
	json_t *gadd = json_array(), *grem = json_array();
	for (int side = 0; side < 2; side++) {
		const struct sbx_resolved *x = side ? o : n, *y = side ? n : o;
		for (size_t i = 0; i < x->nunreadable_globs; i++) {
			bool found = false;
			for (size_t k = 0; !found && k < y->nunreadable_globs; k++)
				found = strcmp(x->unreadable_globs[i].path,
				               y->unreadable_globs[k].path) == 0;
			if (found)
				continue;
			const char *g = x->unreadable_globs[i].path;
			json_array_append_new(side ? grem : gadd, json_string(g));
			side ? nw++ : nn++;
			sbx_sb_addf(&text, "%s deny pattern `%s` %s\n",
			            side ? "widened: " : "narrowed:", g,
			            side ? "removed" : "added");
		}
	}

	/* network */
	json_t *net = json_object();
	json_object_set_new(net, "old", json_string(sbx_net_kind_name(o->net.kind)));
	json_object_set_new(net, "new", json_string(sbx_net_kind_name(n->net.kind)));
	const char *nt = sbx_net_decision_text(ctx, o), *ntn = sbx_net_decision_text(ctx, n);
	const char *change = net_rank(n->net.kind) > net_rank(o->net.kind)   ? "widened"
	                     : net_rank(n->net.kind) < net_rank(o->net.kind) ? "narrowed"
	                     : strcmp(nt, ntn) != 0                          ? "changed"
	                                                                     : "unchanged";
	json_object_set_new(net, "change", json_string(change));
	if (strcmp(change, "unchanged") != 0) {
		sbx_sb_addf(&text, "network %s: %s -> %s\n    old: %s\n    new: %s\n", change,
		            sbx_net_kind_name(o->net.kind), sbx_net_kind_name(n->net.kind), nt,
		            ntn);
		nw += strcmp(change, "widened") == 0;
		nn += strcmp(change, "narrowed") == 0;
	}

	/* per target: which backend would enforce it */
	json_t *targets = json_object();
	for (int os = 0; os < SBX_OS_COUNT; os++) {
		const struct sbx_target *t = sbx_target_get((enum sbx_target_os)os);
		if (!ro[os])
			continue;
		const char *bo = backend_of(ro[os], t), *bn = backend_of(rn[os], t);
		json_object_set_new(targets, t->name,
		                    json_pack("{s:o, s:o}", "old",
		                              bo ? json_string(bo) : json_null(), "new",
		                              bn ? json_string(bn) : json_null()));
		if (!bo != !bn || (bo && strcmp(bo, bn) != 0))
			sbx_sb_addf(&text, "%s: %s -> %s\n", t->name,
			            bo ? bo : "no backend can enforce it",
			            bn ? bn : "no backend can enforce it");
	}

	if (a.json) {
		json_t *doc = json_object();
		json_object_set_new(doc, "old", json_string(oldf));
		json_object_set_new(doc, "new", json_string(newf));
		json_object_set_new(doc, "widened", widened);
		json_object_set_new(doc, "narrowed", narrowed);
		json_object_set_new(doc, "deny_patterns",
		                    json_pack("{s:o, s:o}", "added", gadd, "removed", grem));
		json_object_set_new(doc, "network", net);
		json_object_set_new(doc, "targets", targets);
		json_object_set_new(doc, "any_widened", json_boolean(nw > 0));
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		fwrite(text.buf ? text.buf : "", 1, text.len, stdout);
		printf("%zu widened, %zu narrowed\n", nw, nn);
		json_decref(widened);
		json_decref(narrowed);
		json_decref(gadd);
		json_decref(grem);
		json_decref(net);
		json_decref(targets);
	}
	sbx_sb_release(&text);
	sbx_cli_report(ctx, a.color, false);
	sbx_ctx_free(&ctx);
	status = nw ? SBX_EXIT_ERRORS : SBX_EXIT_OK;
out:
	sbx_cli_context_free(&a.cx);
	return status;
}
