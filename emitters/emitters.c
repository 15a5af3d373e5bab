/*
** emitters.c: what the emitters share: the backend check
** that reads the semantic pass's verdict, artifact sinks (memory bundle,
** directory, one descriptor) and deterministic JSON output.
**
** Pipeline position: resolved policy (resolve.h) -> emitters -> artifacts,
** which the runtime (runtime/) executes.
*/
#include "emit_int.h"
#include "emitter.h"
#include "strbuf.h"
#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool already_recorded(const struct sbx_ctx *ctx, const struct sbx_diag *d)
{
	for (size_t i = 0; i < ctx->ndiags; i++)
		if (ctx->diags[i] == d)
			return true;
	return false;
}

enum sbx_status sbx_emit_check_backend(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                       enum sbx_backend b)
{
	const struct sbx_enforcement *e = &r->enforce[b];
	if (e->ok)
		return SBX_OK;
	for (size_t i = 0; i < e->nreasons; i++)
		if (!already_recorded(ctx, e->reasons[i]))
			sbx_diag_add(ctx, e->reasons[i]);
	return SBX_EUNSUPPORTED;
}

/* ---- bundles and sinks ---- */

const struct sbx_blob *sbx_bundle_get(const struct sbx_bundle *b, const char *name)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->files[i].name, name) == 0)
			return &b->files[i];
	return NULL;
}

void sbx_bundle_put(struct sbx_ctx *ctx, struct sbx_bundle *b, const char *name, const void *data,
                    size_t len)
{
	struct sbx_blob *slot = (struct sbx_blob *)sbx_bundle_get(b, name);
	if (!slot) {
		b->files =
		    sbx_arena_grow(&ctx->arena, b->files, &b->cap, b->n + 1, sizeof *b->files);
		slot = &b->files[b->n++];
		slot->name = sbx_arena_strdup(&ctx->arena, name);
	}
	unsigned char *copy = sbx_arena_alloc(&ctx->arena, len + 1);
	if (len)
		memcpy(copy, data, len);
	slot->data = copy;
	slot->len = len;
}

static bool write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		len -= (size_t)w;
	}
	return true;
}

static enum sbx_status put_dir(struct sbx_ctx *ctx, struct sbx_sink *s, const char *name,
                               const void *data, size_t len)
{
	int fd = openat(s->dirfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	                (mode_t)sbx_artifact_mode(name));
	bool ok = fd >= 0 && write_all(fd, data, len);
	int err = errno;
	if (fd >= 0 && close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot write `%s/%s`: %s",
		              sbx_diag_quote(ctx, s->dirname, strlen(s->dirname)), name,
		              strerror(err));
		return SBX_EIO;
	}
	return SBX_OK;
}

enum sbx_status sbx_sink_put(struct sbx_ctx *ctx, struct sbx_sink *s, const char *name,
                             const void *data, size_t len)
{
	switch (s->kind) {
	case SBX_SINK_BUNDLE:
		sbx_bundle_put(ctx, s->bundle, name, data, len);
		return SBX_OK;
	case SBX_SINK_DIR:
		return put_dir(ctx, s, name, data, len);
	case SBX_SINK_FD:
		if (strcmp(name, s->only) != 0)
			return SBX_OK;
		s->matched = true;
		if (!write_all(s->fd, data, len)) {
			sbx_diag_emit(ctx, SBX_E0717, SBX_NO_SPAN, "cannot write `%s`: %s", name,
			              strerror(errno));
			return SBX_EIO;
		}
		return SBX_OK;
	}
	return SBX_EINTERNAL;
}

enum sbx_status sbx_sink_put_json(struct sbx_ctx *ctx, struct sbx_sink *s, const char *name,
                                  json_t *doc)
{
	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!text)
		sbx_die_oom();
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	sbx_sb_adds(&sb, text);
	sbx_sb_addc(&sb, '\n');
	free(text);
	enum sbx_status st = sbx_sink_put(ctx, s, name, sb.buf, sb.len);
	sbx_sb_release(&sb);
	return st;
}

/* ---- small JSON helpers for the emitters ---- */

json_t *sbx_emit_json_strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}
