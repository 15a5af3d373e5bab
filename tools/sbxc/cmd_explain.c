/*
** cmd_explain.c: `sbxc explain` answers, for each PATH, the effective access
** under a profile and what decided it: the entry (file:line:col and its
** text), a default carve-out or protected name, a platform default read
** root, or "no rule matched". With --op it checks one operation and sets the
** exit status; with --format json it prints the answers as a JSON array (the
** runtime tests compare the sandbox's behaviour with it).
*/
#include "cli.h"
#include "context.h"
#include "explain.h"
#include "ir.h"
#include "macos.h"
#include "policy.h"
#include "resolve.h"
#include "utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

const char sbx_help_explain[] =
    "usage: sbxc explain [-P NAME | --sandbox-mode MODE] [options] [FILE] PATH...\n"
    "\n"
    "Resolves the profile of FILE and prints, for each PATH, its effective access\n"
    "(read, write or deny) and what decided it: the entry with its location and\n"
    "text, a default carve-out (.git, a gitdir target, .agents, .codex) or a\n"
    "protected name, a platform default read root, or that no rule matched.\n"
    "Relative PATHs are relative to the working directory (--cwd).\n"
    "\n"
    "  -P, --profile NAME      the profile (default: the one FILE selects); with a\n"
    "                          built-in NAME, FILE may be left out, and then the\n"
    "                          first argument is a PATH unless it ends in .toml\n"
    "  -c, --config FILE       the policy file (then every argument is a PATH)\n"
    "      --sandbox-mode MODE the legacy settings instead of a profile\n"
    "      --op read|write     answer yes or no for this operation; the exit\n"
    "                          status is 0 when every PATH allows it, else 1\n"
    "      --format text|json  output format (default: text)\n"
    "      --network           print the network decision (none, full or\n"
    "                          proxy-only, the endpoints, the domain rules); then\n"
    "                          PATH may be left out\n" SBX_CONTEXT_HELP
    "      --color[=WHEN]      colour diagnostics: auto, always or never\n"
    "  -h, --help              show this help\n"
    "\n"
    "Exit status: 0 answered (and, with --op, allowed), 1 errors in the policy\n"
    "or an operation refused, 2 usage error.\n";

enum op { OP_NONE, OP_READ, OP_WRITE };

struct explain {
	struct sbx_ctx *ctx;
	const struct sbx_resolved *r;
	enum op op;
	bool json;
};

static const char *access_word(enum sbx_access a)
{
	return sbx_access_name(a);
}

static bool allowed(enum op op, enum sbx_access a)
{
	return op == OP_READ ? a != SBX_ACCESS_DENY : a == SBX_ACCESS_WRITE;
}

/* ---- text ---- */

static void text_entry(struct explain *x, const char *lead, const struct sbx_fs_entry *e,
                       const char *matched)
{
	bool glob = e->kind == SBX_ENTRY_GLOB;
	bool literal = e->kind == SBX_ENTRY_PATH &&
	               (e->anchor == SBX_ANCHOR_POSIX || e->anchor == SBX_ANCHOR_WINDOWS);
	printf("    %s %s: %s", lead, sbx_explain_shown(x->ctx, sbx_explain_where(x->ctx, e)),
	       sbx_explain_shown(x->ctx, sbx_entry_text(x->ctx, e)));
	if (!literal)
		printf("  (%s `%s`)", glob ? "deny glob" : "as",
		       sbx_explain_shown(x->ctx, matched));
	putchar('\n');
}

static void text_one(struct explain *x, const char *path, const struct sbx_decision *why)
{
	path = sbx_explain_shown(x->ctx, path);
	if (x->op != OP_NONE)
		printf("%s: %s (%s)\n", path, allowed(x->op, why->access) ? "yes" : "no",
		       access_word(why->access));
	else
		printf("%s: %s\n", path, access_word(why->access));
	switch (why->origin) {
	case SBX_ORIGIN_ENTRY:
		text_entry(x, "by", why->src, why->matched);
		break;
	case SBX_ORIGIN_NO_MATCH:
		printf("    no rule matched: denied\n");
		break;
	case SBX_ORIGIN_UNSANDBOXED:
		printf("    the profile disables the sandbox\n");
		break;
	case SBX_ORIGIN_PLATFORM:
		printf("    by the platform default read root `%s` (`:minimal`)\n",
		       sbx_explain_shown(x->ctx, why->matched));
		break;
	case SBX_ORIGIN_FULL_READ:
		printf("    by full-disk read, which covers every drive and share\n");
		if (why->src)
			text_entry(x, "read granted by", why->src, why->matched);
		break;
	default:
		printf("    write refused: %s\n", sbx_explain_carveout(x->ctx, x->r, why));
		if (why->granted_by)
			text_entry(x, "write granted by", why->granted_by, why->granted_path);
		break;
	}
}

/* ---- JSON ---- */

static json_t *entry_json(struct explain *x, const struct sbx_fs_entry *e, const char *matched)
{
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(e->kind == SBX_ENTRY_GLOB ? "glob" : "entry"));
	json_t *loc = sbx_entry_to_json(x->ctx, e);
	json_object_update(o, loc);
	json_decref(loc);
	json_object_set_new(o, "matched", json_string(matched));
	return o;
}

static json_t *decided_json(struct explain *x, const struct sbx_decision *why)
{
	if (why->origin == SBX_ORIGIN_ENTRY)
		return entry_json(x, why->src, why->matched);
	json_t *o = json_object();
	json_object_set_new(o, "kind", json_string(sbx_origin_name(why->origin)));
	if (why->origin == SBX_ORIGIN_PLATFORM || why->origin == SBX_ORIGIN_FULL_READ)
		json_object_set_new(o, "matched", json_string(why->matched));
	if (why->origin == SBX_ORIGIN_FULL_READ && why->src)
		json_object_set_new(o, "read_granted_by", entry_json(x, why->src, why->matched));
	if (!why->carveout)
		return o;
	json_object_set_new(o, "path", json_string(why->carveout->path));
	json_object_set_new(o, "root", json_string(why->root));
	if (why->name)
		json_object_set_new(o, "name", json_string(why->name));
	if (why->carveout->via)
		json_object_set_new(o, "via", json_string(why->carveout->via->path));
	json_object_set_new(o, "reason", json_string(sbx_explain_carveout(x->ctx, x->r, why)));
	if (why->granted_by)
		json_object_set_new(o, "write_granted_by",
		                    entry_json(x, why->granted_by, why->granted_path));
	return o;
}

static json_t *json_one(struct explain *x, const char *path, const struct sbx_decision *why)
{
	json_t *o = json_object();
	json_object_set_new(o, "path", json_string(path));
	json_object_set_new(o, "access", json_string(access_word(why->access)));
	if (x->op != OP_NONE) {
		json_object_set_new(o, "op", json_string(x->op == OP_READ ? "read" : "write"));
		json_object_set_new(o, "allowed", json_boolean(allowed(x->op, why->access)));
	}
	json_object_set_new(o, "decided_by", decided_json(x, why));
	if (why->write_blocked_by_name)
		json_object_set_new(o, "write_blocked_by_name", json_true());
	return o;
}

/* ---- macOS ---- */

/* The macos-seatbelt view's answer (macos.h): Seatbelt sees the canonical
** path, denials match without case. */
struct mac_answer {
	unsigned ops;
	const char *canonical, *excluded_by;
};

static const char *const mac_op_names[] = {"read", "write", "create", "unlink", "rename"};

static enum sbx_access mac_access(unsigned ops)
{
	return ops & SBX_MAC_CREATE ? SBX_ACCESS_WRITE
	       : ops & SBX_MAC_READ ? SBX_ACCESS_READ
	                            : SBX_ACCESS_DENY;
}

static json_t *mac_json(const struct mac_answer *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "canonical", json_string(m->canonical));
	json_t *ops = json_array();
	for (unsigned i = 0; i < 5; i++)
		if (m->ops & (1u << i))
			json_array_append_new(ops, json_string(mac_op_names[i]));
	json_object_set_new(o, "ops", ops);
	json_object_set_new(o, "excluded_by",
	                    m->excluded_by ? json_string(m->excluded_by) : json_null());
	return o;
}

static void mac_text(struct explain *x, const struct mac_answer *m)
{
	printf("    macos (as `%s`, denials without case):",
	       sbx_explain_shown(x->ctx, m->canonical));
	if (!m->ops)
		printf(" nothing");
	for (unsigned i = 0, k = 0; i < 5; i++)
		if (m->ops & (1u << i))
			printf("%s %s", k++ ? "," : "", mac_op_names[i]);
	if (m->excluded_by)
		printf("; cut by `%s`", sbx_explain_shown(x->ctx, m->excluded_by));
	putchar('\n');
}

/* ---- the command ---- */

struct args {
	struct sbx_cli_policy sel;
	struct sbx_cli_context cx;
	enum op op;
	bool json;
	enum sbx_color color;
	char **paths;
	int npaths;
	bool network; /* --network: print the network decision */
};

static int parse_value(struct args *a, int c, const char *arg)
{
	if (c == 'o') {
		if (strcmp(arg, "read") == 0)
			a->op = OP_READ;
		else if (strcmp(arg, "write") == 0)
			a->op = OP_WRITE;
		else
			return sbx_cli_usage("explain", "invalid --op '%s' (read or write)", arg);
	} else if (c == 'f') {
		if (strcmp(arg, "json") != 0 && strcmp(arg, "text") != 0)
			return sbx_cli_usage("explain", "invalid --format '%s' (text or json)",
			                     arg);
		a->json = strcmp(arg, "json") == 0;
	} else if (!sbx_cli_parse_color(arg, &a->color)) {
		return sbx_cli_usage("explain", "invalid --color value '%s'", arg);
	}
	return -1;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
	    {"profile", required_argument, NULL, 'P'},
	    {"config", required_argument, NULL, 'c'},
	    {"sandbox-mode", required_argument, NULL, 'S'},
	    {"op", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"color", optional_argument, NULL, 'k'},
	    {"help", no_argument, NULL, 'h'},
	    {"network", no_argument, NULL, 'n'},
	    SBX_CONTEXT_LONG_OPTIONS,
	    {0},
	};
	int c;
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:c:h" SBX_CONTEXT_SHORT_OPTIONS, opts, NULL)) !=
	       -1) {
		int st = sbx_cli_context_option(&a->cx, "explain", c, optarg);
		if (st < 0)
			return SBX_EXIT_USAGE;
		if (st > 0)
			continue;
		switch (c) {
		case 'P':
			a->sel.profile = optarg;
			break;
		case 'c':
			a->sel.file = optarg;
			break;
		case 'S':
			a->sel.sandbox_mode = optarg;
			break;
		case 'o':
		case 'f':
		case 'k':
			if ((st = parse_value(a, c, optarg)) >= 0)
				return st;
			break;
		case 'n':
			a->network = true;
			break;
		case 'h':
			sbx_cli_print_help("explain", stdout);
			return SBX_EXIT_OK;
		case ':':
			return sbx_cli_usage("explain", "option '%s' needs an argument",
			                     argv[optind - 1]);
		default:
			return sbx_cli_usage("explain", "unknown option '%s'", argv[optind - 1]);
		}
	}
	bool file_optional = a->sel.file || a->sel.sandbox_mode ||
	                     (a->sel.profile && sbx_builtin_profile(a->sel.profile));
	if (!a->sel.file && optind < argc && (!file_optional || ends_with(argv[optind], ".toml")))
		a->sel.file = argv[optind++];
	a->paths = argv + optind;
	a->npaths = argc - optind;
	if (!a->sel.file && !file_optional)
		return sbx_cli_usage("explain", "no policy file given");
	if (a->npaths == 0 && !a->network)
		return sbx_cli_usage("explain", "no PATH given");
	return -1;
}

static int answer(struct explain *x, char **paths, int n)
{
	int status = SBX_EXIT_OK;
	json_t *arr = json_array();
	for (int i = 0; i < n; i++) {
		size_t len = strlen(paths[i]);
		if (sbx_utf8_check(paths[i], len) != len) {
			json_decref(arr);
			return sbx_cli_usage("explain", "path '%s' is not valid UTF-8",
			                     sbx_explain_shown(x->ctx, paths[i]));
		}
		const char *p = sbx_explain_path(x->ctx, x->r, paths[i]);
		if (!p) {
			json_decref(arr);
			if (x->r->opts.flavor == SBX_FLAVOR_WINDOWS && paths[i][0] &&
			    paths[i][1] == ':')
				return sbx_cli_usage(
				    "explain",
				    "path '%s' is relative to the current directory of "
				    "a drive; give a full path such as 'C:\\dir'",
				    sbx_explain_shown(x->ctx, paths[i]));
			return sbx_cli_usage("explain", "path '%s' is not a %s path",
			                     sbx_explain_shown(x->ctx, paths[i]),
			                     x->r->opts.flavor == SBX_FLAVOR_WINDOWS ? "Windows"
			                                                             : "POSIX");
		}
		struct sbx_decision why;
		sbx_resolved_access(x->r, p, &why);
		struct mac_answer mac = {0};
		if (x->r->macos) {
			mac.canonical = sbx_macos_canon(&x->ctx->arena, p);
			mac.ops = sbx_macos_ops(x->ctx, x->r->macos, p, &mac.excluded_by);
			why.access = mac_access(mac.ops);
		}
		if (x->op != OP_NONE && !allowed(x->op, why.access))
			status = SBX_EXIT_ERRORS;
		if (x->json) {
			json_t *o = json_one(x, p, &why);
			if (x->r->macos)
				json_object_set_new(o, "macos", mac_json(&mac));
			json_array_append_new(arr, o);
		} else {
			text_one(x, p, &why);
			if (x->r->macos)
				mac_text(x, &mac);
		}
	}
	if (x->json) {
		json_dumpf(arr, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	}
	json_decref(arr);
	return status;
}

/* The network decision: with --network always (as JSON with --format json,
** the `network` object of `sbxc ir`), else in text when the profile or the
** environment says anything about the network. */
static int network(struct explain *x, bool asked)
{
	const struct sbx_resolved *r = x->r;
	const struct sbx_network *n = &r->profile->network;
	bool show = asked || r->net.by != SBX_NET_BY_DISABLED || n->ndomains || n->mode_set ||
	            r->net.env.configured;
	if (!show)
		return SBX_EXIT_OK;
	if (x->json && asked) {
		json_t *o = sbx_resolved_to_json(x->ctx, r);
		json_dumpf(json_object_get(o, "network"), stdout,
		           JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
		json_decref(o);
	} else if (!x->json) {
		printf("network: %s\n",
		       sbx_explain_shown(x->ctx, sbx_net_decision_text(x->ctx, r)));
	}
	return SBX_EXIT_OK;
}

int sbx_cmd_explain(int argc, char **argv)
{
	struct args a = {.color = SBX_COLOR_AUTO};
	sbx_cli_context_init(&a.cx);
	int st = parse_args(argc, argv, &a);
	if (st >= 0) {
		sbx_cli_context_free(&a.cx);
		return st;
	}
	struct sbx_ctx *ctx = sbx_ctx_new();
	bool usage = false;
	struct sbx_profile *p = sbx_cli_load_profile(ctx, &a.sel, NULL, &usage);
	struct sbx_resolved *r = NULL;
	if (p) {
		struct sbx_resolve_opts ro;
		const char *ph;
		sbx_cli_context_opts_ph(ctx, &a.cx, a.cx.target, false, &ro, &ph);
		r = sbx_resolve(ctx, p, &ro);
		if (ph)
			sbx_diag_emit(ctx, SBX_N0602, SBX_NO_SPAN,
			              "resolved for %s with placeholders: %s",
			              sbx_target_os_name(a.cx.target), ph);
	}
	sbx_cli_report(ctx, a.color, false);
	if (!r) {
		st = usage ? SBX_EXIT_USAGE : SBX_EXIT_ERRORS;
	} else {
		struct explain x = {.ctx = ctx, .r = r, .op = a.op, .json = a.json};
		st = network(&x, a.network);
		if (a.npaths)
			st = answer(&x, a.paths, a.npaths);
	}
	sbx_ctx_free(&ctx);
	sbx_cli_context_free(&a.cx);
	return st;
}
