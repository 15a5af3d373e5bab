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
** renamed (from or to), the sandbox is killed (bubblewrap's process group,
** its pid 1 inside the sandbox included, with SIGKILL: the pid namespace
** goes with it) and the run ends with
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
	const char *dir, *name, *for_; /* for_: the listed path it protects */
	int wd;
};

/* The pairs, sorted by directory and name: one watch per directory, and an
** event is matched by a binary search (profiles may list 100,000 paths). */
struct rt_watch {
	int fd;
	struct pair *v;
	size_t n, cap;
	size_t *by_wd; /* indexes of the first pair of each directory, by wd */
	size_t ndirs;
};

static int pair_cmp(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;
	int c = strcmp(a->dir, b->dir);
	return c ? c : strcmp(a->name, b->name);
}

static void add_pair(struct sbx_ctx *ctx, struct rt_watch *w, const char *dir, const char *name,
                     const char *for_)
{
	w->v = sbx_arena_grow(&ctx->arena, w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n++] = (struct pair){.dir = dir, .name = name, .for_ = for_, .wd = -1};
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

/* Whether path may exist: false only when it certainly does not (a
** component is missing or not a directory). A path too long for one call
** (a profile path may have SBX_MAX_PATH_BYTES, the kernel's PATH_MAX counts
** the NUL too) is looked up below its parent directory; any other doubt
** answers true, so that the caller refuses. */
static bool may_exist(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0)
		return true;
	if (errno == ENOENT || errno == ENOTDIR)
		return false;
	const char *slash = strrchr(path, '/');
	if (errno != ENAMETOOLONG || !slash || slash == path)
		return true;
	char *dir = strndup(path, (size_t)(slash - path));
	if (!dir)
		return true;
	int fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	int err = errno;
	free(dir);
	if (fd < 0)
		return !(err == ENOENT || err == ENOTDIR);
	bool exists = fstatat(fd, slash + 1, &st, AT_SYMLINK_NOFOLLOW) == 0 ||
	              !(errno == ENOENT || errno == ENOTDIR);
	close(fd);
	return exists;
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

/* Collects the pairs from `path` up to `up_to`. */
static void collect_chain(struct sbx_ctx *ctx, struct rt_watch *w, const char *path,
                          const char *up_to)
{
	struct sbx_arena *ar = &ctx->arena;
	for (const char *x = path; strcmp(x, up_to) != 0;) {
		const char *dir = sbx_path_parent(ar, SBX_FLAVOR_POSIX, x);
		if (strcmp(dir, x) == 0)
			break;
		add_pair(ctx, w, dir, sbx_path_basename(SBX_FLAVOR_POSIX, x), path);
		x = dir;
	}
}

static int wd_cmp(const void *x, const void *y, void *arg)
{
	const struct rt_watch *w = arg;
	int a = w->v[*(const size_t *)x].wd, b = w->v[*(const size_t *)y].wd;
	return (a > b) - (a < b);
}

/* Sorts and de-duplicates the pairs, adds one watch per directory, and
** indexes the directories by watch descriptor. */
static enum sbx_status add_watches(struct sbx_ctx *ctx, struct rt_watch *w)
{
	if (w->n > 1)
		qsort(w->v, w->n, sizeof *w->v, pair_cmp);
	size_t n = 0;
	for (size_t i = 0; i < w->n; i++)
		if (n == 0 || pair_cmp(&w->v[i], &w->v[n - 1]) != 0)
			w->v[n++] = w->v[i];
	w->n = n;
	w->by_wd = sbx_arena_alloc(&ctx->arena, (n + 1) * sizeof *w->by_wd);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(w->v[j].dir, w->v[i].dir) == 0)
			j++;
		int wd = inotify_add_watch(w->fd, w->v[i].dir, WATCH_EVENTS | IN_MASK_ADD);
		if (wd < 0 && errno != ENOENT && errno != ENOTDIR)
			return cannot_watch(ctx, w->v[i].dir, errno);
		/* a missing directory: the creation of its first missing part is
		** seen in the directory above */
		for (size_t k = i; k < j; k++)
			w->v[k].wd = wd;
		if (wd >= 0)
			w->by_wd[w->ndirs++] = i;
		i = j;
	}
	qsort_r(w->by_wd, w->ndirs, sizeof *w->by_wd, wd_cmp, w);
	return SBX_OK;
}

/* The pair of directory `wd` named `name`, or NULL. */
static const struct pair *find_pair(const struct rt_watch *w, int wd, const char *name)
{
	size_t lo = 0, hi = w->ndirs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int m = w->v[w->by_wd[mid]].wd;
		if (m == wd) {
			/* two paths of one directory (a bind mount on the host) share a
			** watch descriptor: look at each of them */
			size_t a = mid;
			while (a > 0 && w->v[w->by_wd[a - 1]].wd == wd)
				a--;
			for (; a < w->ndirs && w->v[w->by_wd[a]].wd == wd; a++) {
				size_t first = w->by_wd[a], last = first;
				while (last < w->n && strcmp(w->v[last].dir, w->v[first].dir) == 0)
					last++;
				size_t l = first, h = last;
				while (l < h) {
					size_t k = l + (h - l) / 2;
					int c = strcmp(w->v[k].name, name);
					if (c == 0)
						return &w->v[k];
					if (c < 0)
						l = k + 1;
					else
						h = k;
				}
			}
			return NULL;
		}
		if (m < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
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
		collect_chain(ctx, w, json_string_value(json_object_get(v, "path")),
		              json_string_value(json_object_get(v, "up_to")));
	}
	if (add_watches(ctx, w) != SBX_OK)
		return SBX_EUNSUPPORTED;
	/* a missing path created before the watch could not have been seen */
	json_array_foreach(list, i, v)
	{
		const char *path = json_string_value(json_object_get(v, "path"));
		if (json_is_true(json_object_get(v, "missing")) && may_exist(path)) {
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
			const struct pair *q = find_pair(w, e->wd, e->name);
			if (q) {
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
