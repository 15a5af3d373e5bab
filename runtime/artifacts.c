/*
** artifacts.c: reads an artifact directory into a bundle and parses and
** validates the artifact files (manifest.json first) into struct
** rt_artifacts, the runtime's view of them.
**
** Pipeline position: artifacts (emitters/linux.c, or a directory written by
** `sbxc compile`) -> this file -> run.c. Anything malformed is E0710 (E0711
** for another architecture): the runtime never guesses a missing value. An
** artifact file must be a regular file with one link, not a symlink: what
** it says must be what `sbxc compile` wrote there (writable.c checks that
** the sandbox cannot write the directory).
*/
#include "landlock_abi.h"
#include "rt_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const artifact_files[] = {
    SBX_ART_MANIFEST,      SBX_ART_BWRAP_ARGS,     SBX_ART_BWRAP_JSON,
    SBX_ART_LANDLOCK_JSON, SBX_ART_SECCOMP_BPF,    SBX_ART_SECCOMP_JSON,
    SBX_ART_PROXY_JSON,    SBX_ART_TINYPROXY_CONF, SBX_ART_TINYPROXY_FILTER,
};

unsigned char *rt_read_fd(int fd, size_t max, size_t *len)
{
	size_t cap = 4096, n = 0;
	unsigned char *buf = sbx_xmalloc(cap + 1);
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				errno = EFBIG;
				return NULL;
			}
			cap *= 2;
			buf = sbx_xrealloc(buf, cap + 1);
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

static struct sbx_diag *bad_dir(struct sbx_ctx *ctx, const char *dir, const char *why)
{
	return sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "`%s` is not an artifact directory: %s",
	                     sbx_diag_quote(ctx, dir, strlen(dir)), why);
}

enum sbx_status sbx_runtime_load_dir(struct sbx_ctx *ctx, const char *dir, struct sbx_bundle *out)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		bad_dir(ctx, dir, strerror(errno));
		return SBX_EIO;
	}
	enum sbx_status st = SBX_OK;
	for (size_t i = 0; i < sizeof artifact_files / sizeof artifact_files[0]; i++) {
		/* O_NOFOLLOW, O_NONBLOCK: a symlink or a FIFO put in place of a file
		** is refused, not followed or waited on */
		int fd = openat(dfd, artifact_files[i],
		                O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
		if (fd < 0 && errno == ENOENT && i > 0)
			continue; /* the manifest says which files it needs */
		struct stat st_;
		const char *why = NULL;
		if (fd < 0)
			why = errno == ENOENT  ? "it has no manifest.json"
			      : errno == ELOOP ? sbx_arena_printf(&ctx->arena, "`%s` is a symlink",
			                                          artifact_files[i])
			                       : strerror(errno);
		else if (fstat(fd, &st_) != 0 || !S_ISREG(st_.st_mode))
			why = sbx_arena_printf(&ctx->arena, "`%s` is not a regular file",
			                       artifact_files[i]);
		else if (st_.st_nlink != 1) /* another link could be written elsewhere */
			why = sbx_arena_printf(&ctx->arena, "`%s` has %ju hard links",
			                       artifact_files[i], (uintmax_t)st_.st_nlink);
		if (why) {
			if (fd >= 0)
				close(fd);
			struct sbx_diag *d = bad_dir(ctx, dir, why);
			sbx_diag_help(ctx, d,
			              "create one with `sbxc compile --target linux -o DIR FILE`");
			st = SBX_EIO;
			break;
		}
		size_t len = 0;
		unsigned char *data = rt_read_fd(fd, SBX_MAX_INPUT_BYTES, &len);
		int err = errno;
		close(fd);
		if (!data) {
			if (err == EFBIG)
				sbx_diag_emit(ctx, SBX_E0002, SBX_NO_SPAN,
				              "artifact file `%s` is larger than %u bytes",
				              artifact_files[i], SBX_MAX_INPUT_BYTES);
			else
				sbx_diag_emit(ctx, SBX_E0001, SBX_NO_SPAN,
				              "cannot read `%s/%s`: %s",
				              sbx_diag_quote(ctx, dir, strlen(dir)),
				              artifact_files[i], strerror(err));
			st = SBX_EIO;
			break;
		}
		sbx_bundle_put(ctx, out, artifact_files[i], data, len);
		free(data);
	}
	close(dfd);
	return st;
}

/* ---- parsing ---- */

static struct sbx_diag *bad(struct sbx_ctx *ctx, const char *file, const char *why)
{
	return sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "invalid artifact file `%s`: %s", file,
	                     why);
}

static json_t *load_json(struct sbx_ctx *ctx, const struct sbx_bundle *b, const char *name)
{
	const struct sbx_blob *f = sbx_bundle_get(b, name);
	if (!f) {
		bad(ctx, name, "the file is missing");
		return NULL;
	}
	json_error_t err;
	json_t *j = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &err);
	if (!j || !json_is_object(j)) {
		bad(ctx, name, j ? "not a JSON object" : err.text);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* Does the backend entry list `file`? */
static bool lists(json_t *backend, const char *file)
{
	json_t *files = json_object_get(backend, "files"), *v;
	size_t i;
	json_array_foreach(files, i, v) if (json_is_string(v) &&
	                                    strcmp(json_string_value(v), file) == 0) return true;
	return false;
}

static bool check_header(struct sbx_ctx *ctx, json_t *m)
{
	json_t *ver = json_object_get(m, "sbxc_artifacts");
	if (!json_is_integer(ver)) {
		bad(ctx, SBX_ART_MANIFEST, "`sbxc_artifacts` (the format version) is missing");
		return false;
	}
	if (json_integer_value(ver) != SBX_ARTIFACT_VERSION) {
		struct sbx_diag *d =
		    sbx_diag_emit(ctx, SBX_E0721, SBX_NO_SPAN,
		                  "the artifacts are in format version %" JSON_INTEGER_FORMAT
		                  ", and this sbxc reads only version %d",
		                  json_integer_value(ver), SBX_ARTIFACT_VERSION);
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "spec/artifacts.md describes each version; sbxc never guesses what a "
		              "file of another version means");
		sbx_diag_help(ctx, d, "compile them again with this sbxc (`sbxc compile`)");
		return false;
	}
	const char *target = json_string_value(json_object_get(m, "target"));
	if (!target || strcmp(target, "linux") != 0) {
		bad(ctx, SBX_ART_MANIFEST, "the target is not `linux`");
		return false;
	}
	const char *arch = json_string_value(json_object_get(m, "arch"));
	const char *here = sbx_seccomp_arch();
	if (!arch || !here || strcmp(arch, here) != 0) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0711, SBX_NO_SPAN,
		    "the artifacts were compiled for `%s`, not for `%s`",
		    arch ? sbx_diag_quote(ctx, arch, strlen(arch)) : "?", here ? here : "?");
		sbx_diag_help(ctx, d, "compile them on this machine");
		return false;
	}
	return true;
}

static bool parse_landlock(struct sbx_ctx *ctx, const struct sbx_bundle *b, struct rt_artifacts *a,
                           json_t *entry)
{
	a->ll_enforces = json_is_true(json_object_get(entry, "enforces"));
	json_t *abi = json_object_get(entry, "landlock_abi");
	a->ll_abi = json_is_integer(abi) ? (int)json_integer_value(abi) : 0;
	if (!a->ll_enforces || !lists(entry, SBX_ART_LANDLOCK_JSON))
		return true;
	if (!(a->landlock = load_json(ctx, b, SBX_ART_LANDLOCK_JSON)))
		return false;
	json_t *rabi = json_object_get(a->landlock, "abi");
	if (!json_is_integer(rabi) || json_integer_value(rabi) < 1 ||
	    !json_is_array(json_object_get(a->landlock, "rules")) ||
	    !json_is_array(json_object_get(a->landlock, "handled_access_fs"))) {
		bad(ctx, SBX_ART_LANDLOCK_JSON, "it needs `abi`, `handled_access_fs` and `rules`");
		return false;
	}
	if (json_integer_value(rabi) > a->ll_abi)
		a->ll_abi = (int)json_integer_value(rabi);
	if (a->ll_abi < SBX_LANDLOCK_ABI_MIN) /* artifacts of an older sbxc */
		a->ll_abi = SBX_LANDLOCK_ABI_MIN;
	a->has_ll = true;
	return true;
}

static bool parse_bwrap(struct sbx_ctx *ctx, const struct sbx_bundle *b, struct rt_artifacts *a,
                        json_t *entry)
{
	a->bw_enforces = json_is_true(json_object_get(entry, "enforces"));
	if (!a->bw_enforces || !lists(entry, SBX_ART_BWRAP_ARGS))
		return true;
	a->bwrap_args = sbx_bundle_get(b, SBX_ART_BWRAP_ARGS);
	if (!a->bwrap_args || (a->bwrap_args->len && a->bwrap_args->data[a->bwrap_args->len - 1])) {
		bad(ctx, SBX_ART_BWRAP_ARGS,
		    a->bwrap_args ? "the last argument is not NUL-terminated"
		                  : "the file is missing");
		return false;
	}
	if (!(a->bwrap = load_json(ctx, b, SBX_ART_BWRAP_JSON)))
		return false;
	json_t *fds = json_object_get(a->bwrap, "data_fds");
	json_t *first = json_object_get(fds, "first"), *count = json_object_get(fds, "count");
	if (!json_is_integer(first) || json_integer_value(first) != SBX_BWRAP_DATA_FD_BASE ||
	    !json_is_integer(count) || json_integer_value(count) < 0 ||
	    json_integer_value(count) > 4 * (json_int_t)SBX_MAX_GLOB_MATCHES) {
		bad(ctx, SBX_ART_BWRAP_JSON, "`data_fds` is missing or out of range");
		return false;
	}
	a->data_fds = (unsigned)json_integer_value(count);
	a->has_bw = true;
	return true;
}

static bool parse_seccomp(struct sbx_ctx *ctx, const struct sbx_bundle *b, struct rt_artifacts *a)
{
	json_t *files = json_object_get(a->manifest, "seccomp");
	if (!json_is_array(files) || json_array_size(files) == 0) {
		bad(ctx, SBX_ART_MANIFEST, "it lists no seccomp filter");
		return false;
	}
	a->bpf = sbx_bundle_get(b, SBX_ART_SECCOMP_BPF);
	if (!a->bpf || a->bpf->len == 0 || a->bpf->len % sizeof(struct sock_filter) ||
	    a->bpf->len / sizeof(struct sock_filter) > BPF_MAXINSNS) {
		bad(ctx, SBX_ART_SECCOMP_BPF, a->bpf ? "not a BPF program" : "the file is missing");
		return false;
	}
	return true;
}

static void manifest_reasons(void *arg, struct sbx_ctx *ctx, enum sbx_backend b, struct sbx_diag *d)
{
	rt_manifest_reasons(ctx, arg, sbx_backend_name(b), d);
}

/* What the backend chooser (target.h) learns from the manifest. */
static void fill_choice(struct rt_artifacts *a)
{
	struct sbx_choice *c = &a->choice;
	memset(c, 0, sizeof *c);
	c->target = sbx_target_get(SBX_OS_LINUX);
	c->forced = SBX_BACKEND_AUTO;
	c->state[SBX_BACKEND_LINUX_LANDLOCK] =
	    (struct sbx_backend_state){a->ll_enforces, a->has_ll, a->ll_abi};
	c->state[SBX_BACKEND_LINUX_BWRAP] =
	    (struct sbx_backend_state){a->bw_enforces, a->has_bw, 0};
	c->reasons = manifest_reasons;
	c->reasons_arg = a;
	const char *profile = json_string_value(json_object_get(a->manifest, "profile"));
	c->profile = profile ? profile : "";
	c->span = SBX_NO_SPAN;
}

enum sbx_status rt_artifacts_parse(struct sbx_ctx *ctx, const struct sbx_bundle *b,
                                   struct rt_artifacts *a)
{
	memset(a, 0, sizeof *a);
	if (!(a->manifest = load_json(ctx, b, SBX_ART_MANIFEST)) || !check_header(ctx, a->manifest))
		return SBX_EUNSUPPORTED;
	const char *sandbox = json_string_value(json_object_get(a->manifest, "sandbox"));
	if (!sandbox || (strcmp(sandbox, "enabled") != 0 && strcmp(sandbox, "disabled") != 0)) {
		bad(ctx, SBX_ART_MANIFEST, "`sandbox` is not `enabled` or `disabled`");
		return SBX_EUNSUPPORTED;
	}
	a->disabled = strcmp(sandbox, "disabled") == 0;
	if (!json_is_array(json_object_get(a->manifest, "facts"))) {
		bad(ctx, SBX_ART_MANIFEST, "`facts` is missing");
		return SBX_EUNSUPPORTED;
	}
	if (a->disabled)
		return SBX_OK;
	json_t *backends = json_object_get(a->manifest, "backends");
	json_t *ll = json_object_get(backends, "linux-landlock");
	json_t *bw = json_object_get(backends, "linux-bwrap");
	if (!json_is_object(ll) || !json_is_object(bw)) {
		bad(ctx, SBX_ART_MANIFEST,
		    "`backends` must describe linux-landlock and linux-bwrap");
		return SBX_EUNSUPPORTED;
	}
	if (!parse_landlock(ctx, b, a, ll) || !parse_bwrap(ctx, b, a, bw) ||
	    !parse_seccomp(ctx, b, a) || !rt_proxy_parse(ctx, b, a))
		return SBX_EUNSUPPORTED;
	fill_choice(a);
	return SBX_OK;
}

void rt_artifacts_free(struct rt_artifacts *a)
{
	json_decref(a->manifest);
	json_decref(a->bwrap);
	json_decref(a->landlock);
	json_decref(a->seccomp);
	json_decref(a->proxy);
	memset(a, 0, sizeof *a);
}

void rt_manifest_reasons(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *backend,
                         struct sbx_diag *d)
{
	json_t *e = json_object_get(json_object_get(a->manifest, "backends"), backend);
	json_t *reasons = json_object_get(e, "reasons"), *v;
	size_t i;
	json_array_foreach(reasons, i, v)
	{
		const char *code = json_string_value(json_object_get(v, "code"));
		const char *msg = json_string_value(json_object_get(v, "message"));
		if (code && msg) /* a diagnostic in the shape of diag_json.h */
			sbx_diag_note(ctx, d, SBX_NO_SPAN, "%s: %s", code, msg);
	}
}
