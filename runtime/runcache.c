/*
** runcache.c: the cache of compiled runs. `sbxc run` compiles the policy
** on every run (the libseccomp build and export, the JSON of the artifacts,
** about a millisecond); the same run on the same machine gives the same
** artifacts, so they are kept, with the diagnostics the compile printed.
**
** An entry holds
**   - the key, compared byte for byte: sbxc's executable (device, inode,
**     size, mtime, ctime), the uid, gid and groups, the kernel (release,
**     machine), the Landlock ABI, the bubblewrap discovery finds (its path
**     and identity), the options before the command, the working directory
**     (as given and real), the whole environment, the policy file (its path,
**     real path and every byte), whether diagnostics are coloured
**   - what every path the compile looked at was (ctx->fs_seen): an entry
**     (type, mode, owner, device, inode, symlink target), where a path
**     leads (real path and its identity), a file read (identity, size,
**     mtime, ctime), a directory listed (identity, mtime, ctime)
**   - the diagnostics the compile printed, and the artifacts
**   - its MAC (SipHash-2-4, 128 bits) under a key kept in the user's kernel
**     keyring, which no sandbox of sbxc can read (seccomp refuses keyctl):
**     checked before anything else in it is read. Without the keyring
**     (keyctl refused, as in some containers) the cache is off.
** A hit needs all of it equal, then the artifacts' own facts to re-check
** (recheck.c), then the sandbox they describe to be unable to write the
** entry or a directory above it (writable.c, the query of E0719 and E0720);
** anything else is a miss, never a partial hit. A miss compiles as without
** the cache and stores the entry once the run was set up (bubblewrap's
** inner stage started), or just before a Landlock run execs.
**
** Where: $XDG_CACHE_HOME/sbxc/run, else $HOME/.cache/sbxc/run (root too);
** no directory below $XDG_CACHE_HOME or $HOME is followed through a
** symlink, `sbxc` and `run` are made 0700 and must be the user's and
** writable by nobody else, an entry must be a plain file of the user's with
** mode 0600 and one link. Entries are written to a temporary file and
** renamed. At most SBX_MAX_RUN_CACHE_ENTRIES are kept (the oldest go).
** When the sandbox of a run could write the cache, the run neither reads
** nor writes it and removes every entry, before and after: nothing it
** could have put there stays (and without the key it could not have made
** an entry that checks anyway).
*/
#include "hash.h"
#include "path.h"
#include "rt_int.h"
#include "sbx_limits.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

extern char **environ;

#define MAGIC "sbxc-run-cache 1\n"
#define SECRET_NAME "sbxc:run-cache"
/* possessor: all; the user: view, read, search */
#define SECRET_PERM 0x3f0b0000L
#define DIGEST 16

struct sbx_runcache {
	struct sbx_strbuf key;
	char name[2 * 16 + 1]; /* the entry's file name: hex of the key's digest */
	const char *policy;    /* the policy bytes of the key (malloc'd), or NULL */
	size_t policy_len;
	int log_fd;
	json_t *seen; /* "how:path" -> true, while the compile runs */
	struct sbx_strbuf entry;
	bool prepared;
	bool unrecorded;          /* a path looked at could not be recorded */
	bool reach;               /* the sandbox of this run could write the cache */
	unsigned char secret[16]; /* the MAC key (the kernel's user keyring) */
	char *dir;                /* the cache directory (malloc'd) */
	char *cwd, *bwrap;        /* of the key: bubblewrap's discovery (malloc'd) */
};

static void logf_(const struct sbx_runcache *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void logf_(const struct sbx_runcache *c, const char *fmt, ...)
{
	if (!c || c->log_fd < 0)
		return;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	sbx_sb_adds(&sb, "sbxc: cache ");
	sbx_sb_vaddf(&sb, fmt, ap);
	sbx_sb_addc(&sb, '\n');
	va_end(ap);
	ssize_t w = write(c->log_fd, sb.buf, sb.len);
	(void)w;
	sbx_sb_release(&sb);
}

/* The entry's name: 128 bits of the hash of the compiler's indexes under
** two seeds, of the key (which a hit compares byte for byte). */
static void name_of(const void *data, size_t n, unsigned char out[DIGEST])
{
	uint64_t a = sbx_hash_bytes(SBX_HASH_SEED, data, n);
	uint64_t b = sbx_hash_bytes(0x9e3779b97f4a7c15ull ^ a, data, n);
	for (int i = 0; i < 8; i++) {
		out[i] = (unsigned char)(a >> (8 * i));
		out[8 + i] = (unsigned char)(b >> (8 * i));
	}
}

/* ---- the key ---- */

static void add_field(struct sbx_strbuf *sb, const char *name, const void *v, size_t n)
{
	char num[24];
	int k = snprintf(num, sizeof num, " %zu:", n);
	sbx_sb_adds(sb, name);
	sbx_sb_add(sb, num, (size_t)k);
	sbx_sb_add(sb, v, n);
	sbx_sb_addc(sb, '\n');
}

static void add_str(struct sbx_strbuf *sb, const char *name, const char *v)
{
	add_field(sb, name, v ? v : "", v ? strlen(v) : 0);
	if (!v)
		sbx_sb_adds(sb, "(null)\n");
}

static void add_identity(struct sbx_strbuf *sb, const char *name, const struct stat *st)
{
	sbx_sb_addf(sb, "%s %llu %llu %o %lld %lld.%09ld %lld.%09ld\n", name,
	            (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
	            (unsigned)st->st_mode, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
	            st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

static void add_real(struct sbx_strbuf *sb, const char *name, const char *path)
{
	char *real = path ? sbx_realpath(path) : NULL;
	add_str(sb, name, real);
	free(real);
}

/* Reads the policy file whole (following symlinks, as the loader does). */
static char *read_policy(const char *path, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return NULL;
	struct stat st;
	char *text = NULL;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		text = (char *)rt_read_fd(fd, SBX_MAX_INPUT_BYTES, len);
	close(fd);
	return text;
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* The files mapped into this process (device, inode, path from
** /proc/self/maps, sorted: the order of the mappings changes from run to
** run): sbxc and, in a dynamically linked build, libseccomp, jansson and
** libc, whose update changes what a compile produces. */
static bool add_mapped(struct sbx_strbuf *sb)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	size_t n = 0, nf = 0, cap = 0;
	char *maps = (char *)rt_read_fd(fd, 4u << 20, &n);
	close(fd);
	if (!maps)
		return false;
	char **files = NULL;
	for (char *line = maps; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		/* ADDR PERMS OFFSET DEV INODE PATH */
		char *f = line;
		for (int i = 0; i < 3 && f; i++) {
			f = strchr(f, ' ');
			f = f ? f + 1 : NULL;
		}
		if (f && strchr(f, '/')) {
			if (nf == cap) {
				cap = cap ? 2 * cap : 64;
				files = sbx_xrealloc(files, cap * sizeof *files);
			}
			files[nf++] = f;
		}
		line = nl ? nl + 1 : NULL;
	}
	if (nf)
		qsort(files, nf, sizeof *files, str_cmp);
	for (size_t i = 0; i < nf; i++)
		if (i == 0 || strcmp(files[i], files[i - 1]) != 0)
			add_str(sb, "mapped", files[i]);
	free(files);
	free(maps);
	return true;
}

static bool build_key(struct sbx_runcache *c, const struct sbx_runcache_key *k)
{
	struct sbx_strbuf *sb = &c->key;
	struct stat st;
	sbx_sb_adds(sb, MAGIC);
	if (stat("/proc/self/exe", &st) != 0)
		return false;
	add_identity(sb, "exe", &st);
	if (!add_mapped(sb))
		return false;
	gid_t groups[256];
	int ng = getgroups(256, groups);
	if (ng < 0)
		return false;
	sbx_sb_addf(sb, "ids %ld %ld %ld %ld", (long)getuid(), (long)geteuid(), (long)getgid(),
	            (long)getegid());
	for (int i = 0; i < ng; i++)
		sbx_sb_addf(sb, " %ld", (long)groups[i]);
	sbx_sb_addc(sb, '\n');
	struct utsname u;
	if (uname(&u) == 0) {
		add_str(sb, "kernel", u.release);
		add_str(sb, "version", u.version);
		add_str(sb, "machine", u.machine);
	}
	sbx_sb_addf(sb, "landlock %d\n", sbx_landlock_kernel_abi(k->ro->landlock_abi_cap));
	sbx_sb_addf(sb, "options %zu\n", k->noptions);
	for (size_t i = 0; i < k->noptions; i++)
		add_str(sb, "option", k->options[i]);
	add_str(sb, "cwd", k->cwd);
	add_real(sb, "cwd-real", k->cwd);
	char *here = getcwd(NULL, 0); /* relative options are relative to it */
	add_str(sb, "process-cwd", here);
	free(here);
	size_t nenv = 0;
	for (char **e = environ; e && *e; e++)
		nenv++;
	sbx_sb_addf(sb, "environ %zu\n", nenv);
	for (char **e = environ; e && *e; e++)
		add_str(sb, "env", *e);
	sbx_sb_addf(sb, "color %d\n", k->color);
	/* the bubblewrap the runtime will find: its search and the file, among
	** the paths looked at (sbx_runcache_prepare) */
	c->cwd = sbx_xstrdup(k->cwd);
	c->bwrap = k->ro->bwrap ? sbx_xstrdup(k->ro->bwrap) : NULL;
	if (k->policy_file) {
		add_str(sb, "policy", k->policy_file);
		add_real(sb, "policy-real", k->policy_file);
		size_t len = 0;
		char *text = read_policy(k->policy_file, &len);
		if (!text)
			return false;
		c->policy = text;
		c->policy_len = len;
		add_field(sb, "policy-bytes", text, len);
	} else {
		add_str(sb, "policy", NULL);
	}
	unsigned char d[DIGEST];
	name_of(sb->buf, sb->len, d);
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 16; i++) {
		c->name[2 * i] = hex[d[i] >> 4];
		c->name[2 * i + 1] = hex[d[i] & 15];
	}
	c->name[32] = 0;
	return true;
}

/* ---- the directory ---- */

/* Opens (creating what is missing when asked) the user's cache directory of
** sbxc, $XDG_CACHE_HOME/sbxc or $HOME/.cache/sbxc, or SUB below it, without
** following a symlink below the base: the home directory may be writable by
** a sandbox, which could point `.cache` at, say, /etc/sudoers.d, where sbxc
** (often root) would then write. -1 when there is none, or a directory on
** the way is not the user's or others may write it; `run` (the run cache)
** must be private. PATH, when not NULL, receives the directory's name. */
int rt_cache_dir_open(const char *sub, bool create, struct sbx_strbuf *path)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	const char *base = xdg && xdg[0] == '/' ? xdg : home && home[0] == '/' ? home : NULL;
	if (!base)
		return -1;
	struct sbx_strbuf rest = SBX_STRBUF_INIT, name = SBX_STRBUF_INIT;
	sbx_sb_adds(&rest, base == xdg ? "sbxc" : ".cache/sbxc");
	if (sub)
		sbx_sb_addf(&rest, "/%s", sub);
	if (path)
		sbx_sb_adds(path, base);
	if (create) /* $XDG_CACHE_HOME may not exist yet (made 0700, as XDG says) */
		mkdir(base, 0700);
	int fd = open(base, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	for (const char *p = rest.buf; fd >= 0 && *p;) {
		size_t n = strcspn(p, "/");
		sbx_sb_reset(&name);
		sbx_sb_add(&name, p, n);
		if (create)
			mkdirat(fd, name.buf, 0700);
		int next = openat(fd, name.buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		close(fd);
		fd = next;
		struct stat st;
		/* .cache and sbxc are shared (other tools, the bubblewrap probe):
		** nobody else may write them; `run` is private */
		bool own = strcmp(name.buf, "run") == 0;
		if (fd >= 0 && (fstat(fd, &st) != 0 || st.st_uid != geteuid() ||
		                (st.st_mode & (own ? 077 : 022)) != 0)) {
			close(fd);
			fd = -1;
		}
		p += n + (p[n] == '/');
		if (path)
			sbx_sb_addf(path, "/%s", name.buf);
	}
	sbx_sb_release(&rest);
	sbx_sb_release(&name);
	return fd;
}

static int cache_dir(struct sbx_runcache *c, bool create)
{
	struct sbx_strbuf path = SBX_STRBUF_INIT;
	int fd = rt_cache_dir_open("run", create, &path);
	if (fd >= 0 && !c->dir)
		c->dir = sbx_sb_detach(&path, NULL);
	sbx_sb_release(&path);
	return fd;
}

static bool our_name(const char *n)
{
	return strlen(n) == 32 && strspn(n, "0123456789abcdef") == 32;
}

/* Removes every entry: the sandbox of this run could write them. */
static void purge(struct sbx_runcache *c)
{
	int fd = cache_dir(c, false);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)))
		if (our_name(de->d_name) || strncmp(de->d_name, ".tmp.", 5) == 0)
			unlinkat(fd, de->d_name, 0);
	closedir(d);
	logf_(c, "purged: the sandbox could write it");
}

/* Could the sandbox of these artifacts write the entry (or rename a
** directory above it)? A profile that disables the sandbox, or may write
** everything, could. */
static bool reachable(struct sbx_ctx *ctx, struct sbx_runcache *c, const struct rt_artifacts *a)
{
	if (a->disabled) {
		logf_(c, "off: the profile disables the sandbox");
		c->reach = true;
		return true;
	}
	bool all = false;
	struct sbx_strbuf p = SBX_STRBUF_INIT;
	sbx_sb_addf(&p, "%s/%s", c->dir, c->name);
	const char *hit = rt_sandbox_changes(ctx, a, p.buf, NULL, &all);
	sbx_sb_release(&p);
	if (hit)
		logf_(c, "off: the sandbox could write `%s`", hit);
	c->reach = c->reach || hit;
	return hit != NULL;
}

/* ---- what the compile looked at ---- */

static void seen(void *arg, const char *path, enum sbx_fs_look how)
{
	struct sbx_runcache *c = arg;
	struct sbx_strbuf k = SBX_STRBUF_INIT;
	sbx_sb_addf(&k, "%d:%s", (int)how, path);
	/* a path that is not UTF-8 cannot be a key: nothing is stored then */
	if (json_object_set_new(c->seen, k.buf, json_true()) != 0)
		c->unrecorded = true;
	sbx_sb_release(&k);
}

static void add_stat(struct sbx_strbuf *sb, const struct stat *st, bool times)
{
	sbx_sb_addf(sb, " t%o u%ld d%llu i%llu", (unsigned)st->st_mode, (long)st->st_uid,
	            (unsigned long long)st->st_dev, (unsigned long long)st->st_ino);
	if (times)
		sbx_sb_addf(sb, " s%lld m%lld.%09ld c%lld.%09ld", (long long)st->st_size,
		            (long long)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
		            (long long)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);
}

/* What `path` is now, as the kind of look `how` sees it. */
static void snapshot(struct sbx_strbuf *sb, enum sbx_fs_look how, const char *path, json_t *synth)
{
	struct stat st;
	/* a synthetic mount target of the artifacts comes and goes with runs
	** at the same time: missing, or another run's (empty, sbxc's modes), it
	** is the same to them (recheck.c) */
	const char *kind = json_string_value(json_object_get(synth, path));
	if (kind && rt_synthetic_unchanged(kind, path)) {
		sbx_sb_adds(sb, "synthetic");
		return;
	}
	if (how == SBX_FS_ENTRY) {
		if (lstat(path, &st) != 0) {
			sbx_sb_addf(sb, "e%d", errno);
			return;
		}
		add_stat(sb, &st, false);
		if (S_ISLNK(st.st_mode)) {
			char buf[SBX_MAX_PATH_BYTES + 1];
			ssize_t n = readlink(path, buf, sizeof buf - 1);
			sbx_sb_adds(sb, " l");
			if (n >= 0)
				sbx_sb_add(sb, buf, (size_t)n);
		}
		return;
	}
	if (how == SBX_FS_RESOLVE) {
		/* where it leads (what realpath() says) and what is there, from
		** one walk (sbx_realpath_stat) */
		char *rp = sbx_realpath_stat(path, &st);
		if (!rp) {
			sbx_sb_addf(sb, "e%d", errno);
			return;
		}
		sbx_sb_adds(sb, "r");
		sbx_sb_adds(sb, rp);
		free(rp);
		add_stat(sb, &st, false);
		return;
	}
	if (stat(path, &st) != 0)
		sbx_sb_addf(sb, "e%d", errno);
	else
		add_stat(sb, &st, true);
}

/* ---- the entry: blobs "LEN:BYTES\n" after MAGIC, then the MAC ---- */

static void put_blob(struct sbx_strbuf *sb, const void *v, size_t n)
{
	sbx_sb_addf(sb, "%zu:", n);
	sbx_sb_add(sb, v, n);
	sbx_sb_addc(sb, '\n');
}

struct reader {
	const char *p, *end;
	bool bad;
};

static const char *get_blob(struct reader *r, size_t *n)
{
	size_t v = 0;
	const char *p = r->p;
	while (!r->bad && p < r->end && *p >= '0' && *p <= '9' && p - r->p < 12)
		v = v * 10 + (size_t)(*p++ - '0');
	if (r->bad || p == r->p || p >= r->end || *p != ':' || (size_t)(r->end - p - 1) < v + 1 ||
	    p[1 + v] != '\n') {
		r->bad = true;
		return NULL;
	}
	r->p = p + 2 + v;
	*n = v;
	return p + 1;
}

static bool check_watch(struct sbx_runcache *c, const char *w, size_t n, json_t *synth)
{
	struct sbx_strbuf now = SBX_STRBUF_INIT;
	bool ok = true;
	/* records "HOW PATH\0SNAPSHOT\0" */
	for (const char *p = w, *end = w + n; ok && p < end;) {
		const char *path = memchr(p, 0, (size_t)(end - p));
		const char *snap = path ? path + 1 : NULL;
		const char *snap_end =
		    snap && snap < end ? memchr(snap, 0, (size_t)(end - snap)) : NULL;
		if (!snap_end || path - p < 3 || p[0] < '0' || p[0] > '3' || p[1] != ' ') {
			logf_(c, "miss: a malformed entry");
			ok = false;
			break;
		}
		sbx_sb_reset(&now);
		snapshot(&now, (enum sbx_fs_look)(p[0] - '0'), p + 2, synth);
		if (now.len != (size_t)(snap_end - snap) || memcmp(now.buf, snap, now.len) != 0) {
			logf_(c, "miss: `%s` changed", p + 2);
			ok = false;
		}
		p = snap_end + 1;
	}
	sbx_sb_release(&now);
	return ok;
}

/* ---- the interface ---- */

/* The key entries are authenticated with: 16 random bytes kept in the
** user's kernel keyring (made on first use, readable by the user only),
** which no sandbox of sbxc can reach (its seccomp filter refuses keyctl,
** add_key and request_key, seccomp.c). Whatever a sandbox could write into
** the cache, it cannot write an entry that checks. */
static bool get_secret(unsigned char out[16], const char **why)
{
	long id =
	    syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", SECRET_NAME, 0L);
	if (id < 0 && errno == ENOKEY) {
		unsigned char fresh[16];
		if (getrandom(fresh, sizeof fresh, 0) != (ssize_t)sizeof fresh) {
			*why = "no random bytes";
			return false;
		}
		id = syscall(SYS_add_key, "user", SECRET_NAME, fresh, sizeof fresh,
		             KEY_SPEC_USER_KEYRING);
		/* read by the user's processes whether or not they possess it */
		if (id >= 0)
			syscall(SYS_keyctl, KEYCTL_SETPERM, id, SECRET_PERM);
	}
	if (id < 0) {
		*why = strerror(errno);
		return false;
	}
	unsigned char buf[64];
	long n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof buf);
	if (n != 16) {
		*why = n < 0 ? strerror(errno) : "a key of another size";
		return false;
	}
	memcpy(out, buf, 16);
	return true;
}

struct sbx_runcache *sbx_runcache_open(const struct sbx_runcache_key *k, bool no_cache)
{
	const char *env = getenv("SBXC_NO_CACHE");
	const char *log = getenv("SBXC_CACHE_LOG");
	struct sbx_runcache tmp = {.log_fd = -1};
	if (log && *log) {
		char *end;
		long v = strtol(log, &end, 10);
		if (!*end && v > 2 && v < 65536 && fcntl((int)v, F_GETFD) >= 0) {
			tmp.log_fd = (int)v;
			fcntl(tmp.log_fd, F_SETFD, FD_CLOEXEC);
		}
	}
	const char *off = no_cache                       ? "--no-cache"
	                  : env && strcmp(env, "1") == 0 ? "SBXC_NO_CACHE=1"
	                  : k->ro->dry_run               ? "--dry-run"
	                                                 : NULL;
	if (off) {
		logf_(&tmp, "off: %s", off);
		return NULL;
	}
	struct sbx_runcache *c = sbx_xcalloc(1, sizeof *c);
	*c = tmp;
	const char *why = NULL;
	if (!get_secret(c->secret, &why)) {
		logf_(c, "off: no key in the kernel keyring (%s)", why);
		sbx_runcache_free(c);
		return NULL;
	}
	if (!build_key(c, k)) {
		logf_(c, "off: the key cannot be made (policy file unreadable?)");
		sbx_runcache_free(c);
		return NULL;
	}
	return c;
}

/* Reads and checks the entry of this key: its artifacts into *b (ctx-owned)
** and the diagnostics text; false on a miss. */
static bool load(struct sbx_ctx *ctx, struct sbx_runcache *c, struct sbx_bundle *b,
                 const char **text, size_t *len, bool *set_up, const char **watchp,
                 size_t *watchlen)
{
	int dfd = cache_dir(c, false);
	if (dfd < 0) {
		logf_(c, "miss: no cache directory");
		return false;
	}
	int fd = openat(dfd, c->name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
	close(dfd);
	if (fd < 0) {
		logf_(c, errno == ELOOP ? "miss: the entry is a symlink" : "miss: no entry");
		return false;
	}
	struct stat st;
	size_t n = 0;
	unsigned char *data = NULL;
	const char *why = NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		why = "not a regular file";
	else if (st.st_uid != geteuid() || (st.st_mode & 07777) != 0600)
		why = "wrong owner or mode";
	else if (st.st_nlink != 1)
		why = "more than one link";
	else if (!(data = rt_read_fd(fd, SBX_MAX_RUN_CACHE_ENTRY_BYTES, &n)))
		why = "unreadable or too large";
	close(fd);
	if (why) {
		logf_(c, "miss: the entry is %s", why);
		free(data);
		return false;
	}
	unsigned char d[DIGEST];
	struct reader r = {(const char *)data, (const char *)data + n, false};
	bool ok = false;
	size_t klen, tlen, nf = 0, wlen;
	const char *key, *diag, *watch, *count;
	if (n < DIGEST + strlen(MAGIC) ||
	    (rt_siphash(c->secret, data, n - DIGEST, d, DIGEST),
	     memcmp(d, data + n - DIGEST, DIGEST) != 0) ||
	    memcmp(data, MAGIC, strlen(MAGIC)) != 0) {
		logf_(c, "miss: the entry is corrupt");
		goto out;
	}
	r.p += strlen(MAGIC);
	r.end -= DIGEST;
	key = get_blob(&r, &klen);
	if (!key || klen != c->key.len || memcmp(key, c->key.buf, klen) != 0) {
		logf_(c, r.bad ? "miss: a malformed entry" : "miss: another key");
		goto out;
	}
	diag = get_blob(&r, &tlen);
	watch = get_blob(&r, &wlen);
	count = get_blob(&r, &nf);
	if (!diag || !watch || !count || nf > 8) {
		logf_(c, "miss: a malformed entry");
		goto out;
	}
	nf = (size_t)strtoul(sbx_arena_strndup(&ctx->arena, count, nf), NULL, 10);
	if (nf > 16) {
		logf_(c, "miss: a malformed entry");
		goto out;
	}
	struct sbx_bundle got = {0};
	for (size_t i = 0; i < nf; i++) {
		size_t nl, dl;
		const char *name = get_blob(&r, &nl), *bytes = get_blob(&r, &dl);
		if (!name || !bytes) {
			logf_(c, "miss: a malformed entry");
			goto out;
		}
		sbx_bundle_put(ctx, &got, sbx_arena_strndup(&ctx->arena, name, nl), bytes, dl);
	}
	size_t fl;
	const char *flag = get_blob(&r, &fl);
	if (!flag || fl != 1 || (flag[0] != '0' && flag[0] != '1') || r.p != r.end) {
		logf_(c, "miss: a malformed entry");
		goto out;
	}
	*b = got;
	*set_up = flag[0] == '1';
	*text = sbx_arena_strndup(&ctx->arena, diag, tlen);
	char *wcopy = sbx_arena_alloc(&ctx->arena, wlen + 1);
	memcpy(wcopy, watch, wlen);
	*watchp = wcopy;
	*watchlen = wlen;
	*len = tlen;
	ok = true;
out:
	free(data);
	return ok;
}

static void forget(struct sbx_runcache *c)
{
	int dfd = cache_dir(c, false);
	if (dfd < 0)
		return;
	if (unlinkat(dfd, c->name, 0) == 0)
		logf_(c, "forgot: the sandbox was not set up");
	else
		logf_(c, "not forgotten: %s", strerror(errno));
	close(dfd);
}

int sbx_runcache_run(struct sbx_ctx *ctx, struct sbx_runcache *c, struct sbx_run_opts *o,
                     bool *restricted)
{
	struct sbx_bundle b = {0};
	const char *text;
	size_t len;
	bool set_up = false;
	*restricted = false;
	const char *watch;
	size_t wlen;
	if (!load(ctx, c, &b, &text, &len, &set_up, &watch, &wlen))
		return -1;
	/* the artifacts' own checks and the reach of their sandbox, with a
	** context of their own: whatever they say, a miss says nothing */
	struct sbx_ctx *scratch = sbx_ctx_new();
	struct rt_artifacts a;
	bool hit = false;
	bool parsed = rt_artifacts_parse(scratch, &b, &a) == SBX_OK;
	json_t *synth = parsed && a.bwrap ? rt_synthetic_index(a.bwrap) : NULL;
	if (!parsed)
		logf_(c, "miss: the artifacts do not parse");
	else if (!check_watch(c, watch, wlen, synth))
		; /* it said why */
	else if (reachable(scratch, c, &a))
		purge(c);
	else if (rt_recheck(scratch, &a, a.has_bw) != SBX_OK)
		logf_(c, "miss: a recorded fact changed");
	else
		hit = true;
	json_decref(synth);
	sbx_ctx_free(&scratch);
	int status = -1;
	if (hit) {
		logf_(c, "hit");
		fwrite(text, 1, len, stderr);
		fflush(stderr);
		o->known_good = set_up;
		o->recheck = false; /* just done */
		status = rt_run_parsed(ctx, &a, o, restricted);
		/* a known-good run refused without its sandbox set up (E0781:
		** bubblewrap failed): forget it, so that the next run is a
		** diagnosing one. A command not found before the start (126, 127)
		** says nothing about bubblewrap. */
		if (o->known_good && !o->set_up && a.has_bw && status == SBX_RT_EXIT_SANDBOX)
			forget(c);
	}
	rt_artifacts_free(&a);
	return status;
}

void sbx_runcache_watch(struct sbx_runcache *c, struct sbx_ctx *ctx)
{
	if (!c)
		return;
	json_decref(c->seen);
	c->seen = json_object();
	ctx->fs_seen = seen;
	ctx->fs_seen_arg = c;
}

void sbx_runcache_prepare(struct sbx_ctx *ctx, struct sbx_runcache *c, const struct sbx_bundle *b,
                          const char *text, size_t len)
{
	if (!c || !c->seen)
		return;
	ctx->fs_seen = NULL;
	if (ctx->ndropped || ctx->ndiags > SBX_MAX_DIAGNOSTICS / 2) {
		/* a hit starts with none: the runtime's would not be dropped alike */
		logf_(c, "not stored: too many diagnostics");
		return;
	}
	/* the bytes compiled must be those of the key */
	bool same = !c->policy;
	for (size_t i = 0; c->policy && i < ctx->nsources && !same; i++)
		same = ctx->sources[i]->len == c->policy_len &&
		       memcmp(ctx->sources[i]->text, c->policy, c->policy_len) == 0;
	if (!same) {
		logf_(c, "not stored: the policy file changed while it was compiled");
		return;
	}
	if (!c->dir) {
		int fd = cache_dir(c, true);
		if (fd < 0) {
			logf_(c, "not stored: no cache directory");
			return;
		}
		close(fd);
	}
	struct sbx_ctx *scratch = sbx_ctx_new();
	struct rt_artifacts a;
	bool ok = rt_artifacts_parse(scratch, b, &a) == SBX_OK;
	bool reach = ok && reachable(scratch, c, &a);
	json_t *synth = ok && !reach && a.bwrap ? rt_synthetic_index(a.bwrap) : NULL;
	rt_artifacts_free(&a);
	sbx_ctx_free(&scratch);
	if (reach)
		purge(c);
	if (!ok || reach)
		return;
	/* what the runtime's bubblewrap discovery looks at, and the file it
	** finds (its identity: path, device, inode, size, mtime, ctime) */
	scratch = sbx_ctx_new();
	scratch->fs_seen = seen;
	scratch->fs_seen_arg = c;
	struct sbx_bwrap_found bw;
	if (rt_bwrap_find(scratch, c->bwrap, c->cwd, true, &bw) == SBX_OK)
		seen(c, bw.path, SBX_FS_CONTENT);
	sbx_ctx_free(&scratch);
	if (c->unrecorded) {
		logf_(c, "not stored: a path looked at is not UTF-8");
		json_decref(synth);
		return;
	}
	struct sbx_strbuf *e = &c->entry;
	sbx_sb_reset(e);
	sbx_sb_adds(e, MAGIC);
	put_blob(e, c->key.buf, c->key.len);
	put_blob(e, text, len);
	struct sbx_strbuf w = SBX_STRBUF_INIT;
	const char *k;
	json_t *v;
	json_object_foreach(c->seen, k, v)
	{
		sbx_sb_addf(&w, "%c %s", k[0], strchr(k, ':') + 1);
		sbx_sb_addc(&w, 0);
		snapshot(&w, (enum sbx_fs_look)(k[0] - '0'), strchr(k, ':') + 1, synth);
		sbx_sb_addc(&w, 0);
	}
	json_decref(synth);
	put_blob(e, w.buf ? w.buf : "", w.len);
	sbx_sb_release(&w);
	char count[24];
	snprintf(count, sizeof count, "%zu", b->n);
	put_blob(e, count, strlen(count));
	for (size_t i = 0; i < b->n; i++) {
		put_blob(e, b->files[i].name, strlen(b->files[i].name));
		put_blob(e, b->files[i].data, b->files[i].len);
	}
	if (e->len + 64 > SBX_MAX_RUN_CACHE_ENTRY_BYTES) {
		logf_(c, "not stored: larger than SBX_MAX_RUN_CACHE_ENTRY_BYTES");
		return;
	}
	c->prepared = true;
}

/* Keeps at most SBX_MAX_RUN_CACHE_ENTRIES - 1 entries: the oldest go. */
static void evict(int dfd)
{
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	for (;;) {
		size_t n = 0;
		char oldest[33] = "";
		struct timespec t = {0};
		struct dirent *de;
		rewinddir(d);
		while ((de = readdir(d))) {
			struct stat st;
			if (!our_name(de->d_name) ||
			    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
				continue;
			n++;
			if (!oldest[0] || st.st_mtim.tv_sec < t.tv_sec ||
			    (st.st_mtim.tv_sec == t.tv_sec && st.st_mtim.tv_nsec < t.tv_nsec)) {
				memcpy(oldest, de->d_name, 33);
				t = st.st_mtim;
			}
		}
		if (n < SBX_MAX_RUN_CACHE_ENTRIES || !oldest[0])
			break;
		unlinkat(dfd, oldest, 0);
	}
	closedir(d);
}

void sbx_runcache_store(struct sbx_runcache *c, bool set_up)
{
	if (!c || !c->prepared)
		return;
	c->prepared = false;
	/* known_good of the next hit: whether this run was seen set up */
	put_blob(&c->entry, set_up ? "1" : "0", 1);
	unsigned char d[DIGEST];
	rt_siphash(c->secret, c->entry.buf, c->entry.len, d, DIGEST);
	sbx_sb_add(&c->entry, d, DIGEST);
	int dfd = cache_dir(c, false); /* made by prepare when missing */
	if (dfd < 0) {
		logf_(c, "not stored: no cache directory");
		return;
	}
	evict(dfd);
	struct sbx_strbuf tmp = SBX_STRBUF_INIT;
	sbx_sb_addf(&tmp, ".tmp.%ld.%s", (long)getpid(), c->name);
	int fd = openat(dfd, tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	bool ok = fd >= 0 && fchmod(fd, 0600) == 0;
	for (size_t off = 0; ok && off < c->entry.len;) {
		ssize_t w = write(fd, c->entry.buf + off, c->entry.len - off);
		if (w < 0 && errno == EINTR)
			continue;
		ok = w > 0;
		off += ok ? (size_t)w : 0;
	}
	if (fd >= 0)
		ok = close(fd) == 0 && ok;
	ok = ok && renameat(dfd, tmp.buf, dfd, c->name) == 0;
	if (!ok && fd >= 0)
		unlinkat(dfd, tmp.buf, 0);
	logf_(c, ok ? "stored" : "not stored: the entry cannot be written");
	sbx_sb_release(&tmp);
	close(dfd);
}

void sbx_runcache_free(struct sbx_runcache *c)
{
	if (!c)
		return;
	/* after a run whose sandbox could write the cache (bubblewrap: its
	** processes are gone by now), what it may have written goes too */
	if (c->reach)
		purge(c);
	sbx_sb_release(&c->key);
	sbx_sb_release(&c->entry);
	json_decref(c->seen);
	free((void *)c->policy);
	free(c->dir);
	free(c->cwd);
	free(c->bwrap);
	free(c);
}
