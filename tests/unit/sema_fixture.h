/*
** sema_fixture.h: builds struct sbx_profile values directly in C for the
** tests of the semantic pass (no parser needed). Header-only; every function
** is static so each test executable gets its own copy.
*/
#ifndef SBX_SEMA_FIXTURE_H
#define SBX_SEMA_FIXTURE_H

#include "ctx.h"
#include "ir.h"
#include "path.h"
#include "resolve.h"

#include <string.h>

struct pb {
	struct sbx_ctx *ctx;
	struct sbx_profile *p;
	size_t cap, caproots;
};

static inline void pb_init(struct pb *b, struct sbx_ctx *ctx, const char *name)
{
	memset(b, 0, sizeof *b);
	b->ctx = ctx;
	b->p = sbx_arena_alloc(&ctx->arena, sizeof *b->p);
	b->p->name = name;
	b->p->kind = SBX_PROFILE_MANAGED;
}

static inline struct sbx_fs_entry *pb_add(struct pb *b)
{
	b->p->entries = sbx_arena_grow(&b->ctx->arena, b->p->entries, &b->cap, b->p->nentries + 1,
	                               sizeof *b->p->entries);
	struct sbx_fs_entry *e = &b->p->entries[b->p->nentries++];
	memset(e, 0, sizeof *e);
	e->profile = b->p->name;
	return e;
}

/* "/abs", "C:\\abs", "\\\\srv\\share\\x", "~", "~/rel" */
static inline struct sbx_fs_entry *pb_path(struct pb *b, const char *path, enum sbx_access a)
{
	struct sbx_fs_entry *e = pb_add(b);
	e->kind = SBX_ENTRY_PATH;
	e->access = a;
	switch (sbx_path_form(path, strlen(path))) {
	case SBX_FORM_HOME:
		e->anchor = SBX_ANCHOR_HOME;
		e->path = path[1] ? path + 2 : "";
		break;
	case SBX_FORM_WINDOWS:
		e->anchor = SBX_ANCHOR_WINDOWS;
		e->path =
		    sbx_path_normalize(&b->ctx->arena, SBX_FLAVOR_WINDOWS, path, strlen(path));
		break;
	default:
		e->anchor = SBX_ANCHOR_POSIX;
		e->path = sbx_path_normalize(&b->ctx->arena, SBX_FLAVOR_POSIX, path, strlen(path));
		break;
	}
	return e;
}

static inline const char *pb_token(enum sbx_special s)
{
	switch (s) {
	case SBX_SPECIAL_ROOT:
		return ":root";
	case SBX_SPECIAL_MINIMAL:
		return ":minimal";
	case SBX_SPECIAL_WORKSPACE_ROOTS:
		return ":workspace_roots";
	case SBX_SPECIAL_TMPDIR:
		return ":tmpdir";
	case SBX_SPECIAL_SLASH_TMP:
		return ":slash_tmp";
	default:
		return ":future";
	}
}

static inline struct sbx_fs_entry *pb_special(struct pb *b, enum sbx_special s, const char *subpath,
                                              enum sbx_access a)
{
	struct sbx_fs_entry *e = pb_add(b);
	e->kind = SBX_ENTRY_SPECIAL;
	e->special = s;
	e->token = pb_token(s);
	e->subpath = subpath;
	e->access = a;
	return e;
}

/* A deny glob: absolute ("/a/ **"), "~/..." or workspace-relative (ws). */
static inline struct sbx_fs_entry *pb_glob(struct pb *b, const char *pattern, bool ws)
{
	struct sbx_fs_entry *e = pb_add(b);
	e->kind = SBX_ENTRY_GLOB;
	e->access = SBX_ACCESS_DENY;
	if (ws) {
		e->anchor = SBX_ANCHOR_WORKSPACE;
		e->path = pattern;
	} else if (pattern[0] == '~') {
		e->anchor = SBX_ANCHOR_HOME;
		e->path = pattern + 2;
	} else if (pattern[0] == '/') {
		e->anchor = SBX_ANCHOR_POSIX;
		e->path = pattern;
	} else {
		e->anchor = SBX_ANCHOR_WINDOWS;
		e->path = pattern;
	}
	return e;
}

static inline void pb_workspace_root(struct pb *b, enum sbx_anchor a, const char *path)
{
	b->p->workspace_roots =
	    sbx_arena_grow(&b->ctx->arena, b->p->workspace_roots, &b->caproots,
	                   b->p->nworkspace_roots + 1, sizeof *b->p->workspace_roots);
	struct sbx_workspace_root *w = &b->p->workspace_roots[b->p->nworkspace_roots++];
	memset(w, 0, sizeof *w);
	w->anchor = a;
	w->path = path;
	w->profile = b->p->name;
}

static inline struct sbx_resolve_opts pb_opts(enum sbx_flavor f, const char *cwd, const char *home,
                                              const char *tmpdir)
{
	struct sbx_resolve_opts o;
	memset(&o, 0, sizeof o);
	o.flavor = f;
	o.cwd = cwd;
	o.home = home;
	o.tmpdir = tmpdir;
	o.probe = false;
	return o;
}

#endif
