/*
** hostwatch.c: stops a bubblewrap sandbox when something outside it
** changes an entry a mount of the sandbox depends on.
**
** A mount sits on a directory entry. When a process outside the sandbox
** replaces the entry (an editor's save renames a new file over the old
** one; git and credential helpers do the same), or one of the directories
** above it, the mount stays with the old entry and the sandbox sees the new
** one with the access of the layer around it: a denied file readable, a
** read-only one writable. A denied path missing where the sandbox sees the
** host's files becomes readable once created. Nothing inside the sandbox
** can prevent that, so the launcher, outside it, watches those entries
** (bwrap.json `host_watch`, decided by the emitter) with inotify: for each
** listed path, every (directory, name) pair from the path up to the mount
** it lies in. When an entry of one of those names is created, removed or
** renamed (from or to), the sandbox is killed (bubblewrap with SIGKILL;
** --die-with-parent takes its pid namespace with it) and the run ends with
** E0772 and status 125. A lost event (the queue overflowed) counts as a
** change (E0773).
**
** The sandbox itself cannot cause these events: the entries are mount
** points in it (EBUSY) or lie where it cannot write. Before the sandbox
** starts, a listed missing path that exists by now is E0772 too: its
** creation could not have been seen.
**
** The window: between the host's change and the kill the sandbox runs on,
** for as long as the kernel takes to deliver the event and this process to
** act on it (well under a millisecond on an idle machine, longer under
** load). spec/semantics.md R-RT-4 says what this does and does not promise.
*/
#include "path.h"
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#define WATCH_EVENTS                                                                               \
	(IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR | IN_DONT_FOLLOW)

struct pair {
	int wd;
	const char *dir, *name, *for_; /* for_: the listed path it protects */
};

struct rt_watch {
	int fd;
	struct pair *v;
	size_t n, cap;
};

static void add_pair(struct sbx_ctx *ctx, struct rt_watch *w, int wd, const char *dir,
                     const char *name, const char *for_)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].wd == wd && strcmp(w->v[i].name, name) == 0)
			return;
	w->v = sbx_arena_grow(&ctx->arena, w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n++] = (struct pair){.wd = wd, .dir = dir, .name = name, .for_ = for_};
}

static enum sbx_status cannot_watch(struct sbx_ctx *ctx, const char *dir, int err)
{
	struct sbx_diag *d;
	if (dir)
		d = sbx_diag_emit(ctx, SBX_E0773, SBX_NO_SPAN,
		                  "cannot watch `%s` for changes made outside the sandbox: %s",
		                  sbx_diag_quote(ctx, dir, strlen(dir)), strerror(err));
	else
		d = sbx_diag_emit(ctx, SBX_E0773, SBX_NO_SPAN,
		                  "cannot watch for changes made outside the sandbox: %s",
		                  strerror(err));
	sbx_diag_note(ctx, d, SBX_NO_SPAN,
	              "a read-only or denied path replaced outside the sandbox while it runs "
	              "would lose its mask, and sbxc could not tell");
	if (err == ENOSPC || err == EMFILE)
		sbx_diag_help(
		    ctx, d,
		    "raise the inotify limits (`sysctl -w fs.inotify.max_user_watches=...`, "
		    "`fs.inotify.max_user_instances`)");
	return SBX_EUNSUPPORTED;
}

static struct sbx_diag *changed(struct sbx_ctx *ctx, const char *path, const char *how,
                                const char *for_)
{
	struct sbx_diag *d =
	    sbx_diag_emit(ctx, SBX_E0772, SBX_NO_SPAN, "`%s` was %s outside the sandbox",
	                  sbx_diag_quote(ctx, path, strlen(path)), how);
	if (strcmp(path, for_) != 0)
		sbx_diag_note(ctx, d, SBX_NO_SPAN,
		              "it leads to `%s`, which the profile keeps from "
		              "the sandbox's reach",
		              sbx_diag_quote(ctx, for_, strlen(for_)));
	return d;
}

/* Watches the pairs from `path` up to `up_to`. */
static enum sbx_status watch_chain(struct sbx_ctx *ctx, struct rt_watch *w, const char *path,
                                   const char *up_to)
{
	struct sbx_arena *ar = &ctx->arena;
	for (const char *x = path; strcmp(x, up_to) != 0;) {
		const char *dir = sbx_path_parent(ar, SBX_FLAVOR_POSIX, x);
		if (strcmp(dir, x) == 0)
			break;
		int wd = inotify_add_watch(w->fd, dir, WATCH_EVENTS | IN_MASK_ADD);
		if (wd >= 0)
			add_pair(ctx, w, wd, dir, sbx_path_basename(SBX_FLAVOR_POSIX, x), path);
		else if (errno != ENOENT && errno != ENOTDIR)
			return cannot_watch(ctx, dir, errno);
		/* missing: the creation of its first missing part is seen above */
		x = dir;
	}
	return SBX_OK;
}

enum sbx_status rt_watch_start(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                               struct rt_watch **out)
{
	*out = NULL;
	json_t *list = json_object_get(a->bwrap, "host_watch"), *v;
	if (!json_array_size(list))
		return SBX_OK;
	struct rt_watch *w = sbx_arena_alloc(&ctx->arena, sizeof *w);
	*w = (struct rt_watch){.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC)};
	if (w->fd < 0)
		return cannot_watch(ctx, NULL, errno);
	*out = w;
	size_t i;
	json_array_foreach(list, i, v)
	{
		const char *path = json_string_value(json_object_get(v, "path"));
		const char *up_to = json_string_value(json_object_get(v, "up_to"));
		if (watch_chain(ctx, w, path, up_to) != SBX_OK)
			return SBX_EUNSUPPORTED;
	}
	/* a missing path created before the watch could not have been seen */
	json_array_foreach(list, i, v)
	{
		const char *path = json_string_value(json_object_get(v, "path"));
		struct stat st;
		if (json_is_true(json_object_get(v, "missing")) &&
		    (lstat(path, &st) == 0 || errno != ENOENT)) {
			struct sbx_diag *d = changed(ctx, path, "created", path);
			sbx_diag_note(ctx, d, SBX_NO_SPAN,
			              "it was missing when the profile was compiled, and a denied "
			              "path created outside the sandbox would not be masked");
			sbx_diag_help(ctx, d, "run the command again");
			return SBX_EUNSUPPORTED;
		}
	}
	return SBX_OK;
}

int rt_watch_fd(const struct rt_watch *w)
{
	return w ? w->fd : -1;
}

bool rt_watch_changed(struct sbx_ctx *ctx, struct rt_watch *w)
{
	if (!w)
		return false;
	_Alignas(struct inotify_event) char buf[16 * (sizeof(struct inotify_event) + NAME_MAX + 1)];
	for (;;) {
		ssize_t r = read(w->fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		for (char *p = buf; p < buf + r;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			p += sizeof *e + e->len;
			if (e->mask & IN_Q_OVERFLOW) {
				struct sbx_diag *d =
				    sbx_diag_emit(ctx, SBX_E0773, SBX_NO_SPAN,
				                  "too many changes outside the sandbox to follow: "
				                  "it was stopped");
				sbx_diag_note(
				    ctx, d, SBX_NO_SPAN,
				    "the kernel dropped change events, so a read-only or denied "
				    "path may have been replaced unseen");
				return true;
			}
			if (!e->len)
				continue;
			for (size_t i = 0; i < w->n; i++) {
				const struct pair *q = &w->v[i];
				if (q->wd != e->wd || strcmp(q->name, e->name) != 0)
					continue;
				const char *how = e->mask & (IN_MOVED_FROM) ? "moved away"
				                  : e->mask & IN_DELETE     ? "removed"
				                                            : "created or replaced";
				const char *path =
				    sbx_path_join(&ctx->arena, SBX_FLAVOR_POSIX, q->dir, q->name);
				struct sbx_diag *d = changed(ctx, path, how, q->for_);
				sbx_diag_note(
				    ctx, d, SBX_NO_SPAN,
				    "the sandbox was stopped: a mount holds the entry that was "
				    "there when it started, not the new one, which it would "
				    "see with the access of the directory around it");
				sbx_diag_help(
				    ctx, d,
				    "run the command again; files the profile keeps read-only "
				    "or denied should not be replaced while a sandbox runs");
				return true;
			}
		}
	}
}

void rt_watch_free(struct rt_watch *w)
{
	if (w && w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
	}
}
