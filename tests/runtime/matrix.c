/*
** matrix.c: the runtime suite's driver. For one case of cases.h and one
** backend it builds the case's tree in a fresh directory, asks `sbxc
** explain --format json` what every probed path may do (and `sbxc ir` what
** the network and the backends' verdicts are), runs the probe program under
** `sbxc run --linux-backend BACKEND` once with all probes, and fails on any
** probe whose outcome differs from the answer.
**
**   matrix SBXC PROBE WORKDIR CASE bwrap|landlock
**
** A backend that cannot enforce the case must refuse it: the driver then
** checks exit status 125, E0707 and that nothing ran. A backend the machine
** lacks (no bubblewrap, user namespaces refused, Landlock ABI too low)
** skips the test with the reason (exit 77).
*/
#include "cases.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <jansson.h>
#include <netinet/in.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#define SKIP 77
/* the oldest Landlock ABI sbxc runs a ruleset with (SBX_LANDLOCK_ABI_MIN) */
#define LANDLOCK_FLOOR 6
#define MAXV 512

extern char **environ;

static const char *T; /* the case's tree */

/* Strings the driver keeps until it ends (freed by finish()). */
static void **pool;
static size_t npool;

static void *keep(void *p)
{
	pool = realloc(pool, (npool + 1) * sizeof *pool);
	if (!pool || !p)
		abort();
	pool[npool++] = p;
	return p;
}

static char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return keep(s);
}

/* Replaces every @T@ in s. */
static char *expand(const char *s)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	for (const char *p = s; *p;) {
		if (strncmp(p, "@T@", 3) == 0) {
			fputs(T, m);
			p += 3;
		} else {
			fputc(*p++, m);
		}
	}
	fclose(m);
	return keep(out);
}

static char *tpath(const char *rel)
{
	return rel[0] == '/' ? keep(strdup(rel)) : xasprintf("%s/%s", T, rel);
}

static void mkdirs(const char *path)
{
	char *p = strdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

static void write_file(const char *path, const char *text)
{
	char *dir = strdup(path);
	*strrchr(dir, '/') = 0;
	mkdirs(dir);
	free(dir);
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "matrix: cannot write %s\n", path);
		exit(1);
	}
}

static void build_tree(const char *spec)
{
	char *s = strdup(spec), *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char kind = line[0];
		char *rest = line + 2, *sp = strchr(rest, ' ');
		if (sp && (kind == 't' || kind == 'l'))
			*sp = 0;
		char *path = tpath(rest);
		if (kind == 'd') {
			mkdirs(path);
		} else if (kind == 'f') {
			write_file(path, xasprintf("SBXC-PROBE %s\n", rest));
		} else if (kind == 't') {
			write_file(path, sp + 1);
		} else if (kind == 'l') {
			if (symlink(sp + 1, path) != 0)
				perror("symlink");
		}
	}
	free(s);
}

/* ---- subprocesses ---- */

struct result {
	int status; /* exit status, or 128 + signal */
	char *out, *err;
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return keep(strdup(""));
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(m);
	fclose(f);
	return keep(buf);
}

static struct result run(char **argv)
{
	char *out = xasprintf("%s.stdout", T), *err = xasprintf("%s.stderr", T);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	pid_t pid;
	struct result r = {.status = -1};
	if (posix_spawn(&pid, argv[0], &fa, NULL, argv, environ) != 0) {
		perror("posix_spawn");
		exit(1);
	}
	int ws;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
	r.out = slurp(out);
	r.err = slurp(err);
	unlink(out);
	unlink(err);
	posix_spawn_file_actions_destroy(&fa);
	return r;
}

/* sbxc SUB [-c policy | -P builtin] -C cwd --home --tmpdir [extra] */
static int policy_args(char **v, int n, const struct tcase *c, const char *sub, bool file_flag)
{
	v[n++] = (char *)sub;
	if (c->toml && file_flag) {
		v[n++] = "-c";
		v[n++] = tpath("policy.toml");
	} else if (!c->toml) {
		v[n++] = "-P";
		v[n++] = (char *)c->builtin;
	}
	v[n++] = "-C";
	v[n++] = tpath(c->cwd);
	v[n++] = "--home";
	v[n++] = tpath("home");
	v[n++] = "--tmpdir";
	v[n++] = tpath("tmp");
	if (c->extra) {
		char *e = expand(c->extra), *save = NULL;
		for (char *w = strtok_r(e, " ", &save); w; w = strtok_r(NULL, " ", &save))
			v[n++] = w;
	}
	return n;
}

/* ---- probes and expectations ---- */

struct probe {
	char *op, *path;
	bool expect, seen;
	char *got;
};

#define MAX_PROBES 128 /* probes of one case */

static int parse_probes(const char *spec, struct probe *p)
{
	int n = 0;
	char *s = keep(strdup(spec)), *save = NULL;
	for (char *line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (n == MAX_PROBES) {
			fprintf(stderr, "matrix: more than %d probes in one case\n", MAX_PROBES);
			exit(1);
		}
		char *sp = strchr(line, ' ');
		*sp = 0;
		p[n].op = line;
		p[n].path = strcmp(sp + 1, "-") == 0 ? "-" : tpath(sp + 1);
		n++;
	}
	return n;
}

static const char *access_of(json_t *answers, const char *path)
{
	json_t *a;
	size_t i;
	json_array_foreach(answers, i, a)
	{
		const char *p = json_string_value(json_object_get(a, "path"));
		if (p && strcmp(p, path) == 0)
			return json_string_value(json_object_get(a, "access"));
	}
	fprintf(stderr, "matrix: explain did not answer for %s\n", path);
	exit(1);
}

static bool is_write(json_t *answers, const char *path)
{
	return strcmp(access_of(answers, path), "write") == 0;
}

static void expectations(struct probe *p, int n, json_t *answers, bool net)
{
	for (int i = 0; i < n; i++) {
		const char *op = p[i].op;
		if (!strcmp(op, "tcp") || !strcmp(op, "udp"))
			p[i].expect = net;
		else if (!strcmp(op, "unixdgram")) /* a socket file the sandbox can see */
			p[i].expect = net && strcmp(access_of(answers, p[i].path), "deny") != 0;
		else if (!strcmp(op, "read") || !strcmp(op, "list"))
			p[i].expect = strcmp(access_of(answers, p[i].path), "deny") != 0;
		else if (!strcmp(op, "rename")) {
			char *to = xasprintf("%s.renamed", p[i].path);
			p[i].expect = is_write(answers, p[i].path) && is_write(answers, to);
		} else
			p[i].expect = is_write(answers, p[i].path);
	}
}

static json_t *parse_json(const char *what, const struct result *r)
{
	json_error_t e;
	json_t *j = json_loads(r->out, 0, &e);
	if (!j || r->status != 0) {
		fprintf(stderr, "matrix: `sbxc %s` failed (status %d): %s\n%s", what, r->status,
		        e.text, r->err);
		exit(1);
	}
	return j;
}

static json_t *explain(const char *sbxc, const struct tcase *c, struct probe *p, int n)
{
	char *v[MAXV];
	int k = 0;
	v[k++] = (char *)sbxc;
	k = policy_args(v, k, c, "explain", true);
	v[k++] = "--format";
	v[k++] = "json";
	for (int i = 0; i < n; i++) {
		if (strcmp(p[i].path, "-") == 0)
			continue;
		v[k++] = p[i].path;
		if (!strcmp(p[i].op, "rename"))
			v[k++] = xasprintf("%s.renamed", p[i].path);
	}
	v[k] = NULL;
	struct result r = run(v);
	return parse_json("explain", &r);
}

static json_t *ir(const char *sbxc, const struct tcase *c)
{
	char *v[MAXV];
	int k = 0;
	v[k++] = (char *)sbxc;
	k = policy_args(v, k, c, "ir", false);
	if (c->toml)
		v[k++] = tpath("policy.toml"); /* ir takes the file last */
	v[k] = NULL;
	struct result r = run(v);
	json_t *j = parse_json("ir", &r);
	json_t *res = json_incref(json_object_get(j, "resolved"));
	json_decref(j);
	return res;
}

/* ---- the run ---- */

static int listen_on(int type, int *port)
{
	int s = socket(AF_INET, type, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t len = sizeof a;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    (type == SOCK_STREAM && listen(s, 64) != 0) ||
	    getsockname(s, (struct sockaddr *)&a, &len) != 0) {
		perror("matrix: socket");
		exit(1);
	}
	*port = ntohs(a.sin_port);
	return s;
}

/* An AF_UNIX datagram socket bound at path (outside the sandbox). */
static int unix_dgram_at(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	unlink(path);
	if (s < 0 || strlen(path) >= sizeof a.sun_path) {
		fprintf(stderr, "matrix: cannot make a socket at %s\n", path);
		exit(1);
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) {
		perror("matrix: bind");
		exit(1);
	}
	return s;
}

static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy = strdup(path ? path : ""), *save = NULL;
	bool found = false;
	for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *f = xasprintf("%s/%s", d, prog);
		found = access(f, X_OK) == 0;
	}
	free(copy);
	return found;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	if (flag == FTW_DP)
		chmod(path, 0700);
	return remove(path) != 0 && errno != ENOENT;
}

static int finish(int status)
{
	chmod(T, 0700);
	nftw(T, rm_one, 64, FTW_DEPTH | FTW_PHYS);
	for (size_t i = 0; i < npool; i++)
		free(pool[i]);
	free(pool);
	return status;
}

static int run_probes(const char *sbxc, const char *probe_bin, const struct tcase *c,
                      const char *backend, struct probe *p, int n, bool enforces)
{
	int tcp_port, udp_port;
	int ts = listen_on(SOCK_STREAM, &tcp_port), us = listen_on(SOCK_DGRAM, &udp_port);
	int ds = -1;
	for (int i = 0; i < n; i++)
		if (!strcmp(p[i].op, "unixdgram") && ds < 0)
			ds = unix_dgram_at(p[i].path);
	char *v[MAXV];
	int k = 0;
	v[k++] = (char *)sbxc;
	k = policy_args(v, k, c, "run", true);
	v[k++] = "--linux-backend";
	v[k++] = (char *)backend;
	v[k++] = "--";
	v[k++] = (char *)probe_bin;
	v[k++] = (char *)T;
	v[k++] = xasprintf("%d", tcp_port);
	v[k++] = xasprintf("%d", udp_port);
	for (int i = 0; i < n; i++)
		v[k++] = xasprintf("%s:%s", p[i].op, p[i].path);
	v[k] = NULL;
	struct result r = run(v);
	close(ts);
	close(us);
	if (ds >= 0)
		close(ds);
	if (!enforces) {
		bool ok = r.status == 125 && strstr(r.err, "E0707") && !*r.out;
		printf("%s: `%s` cannot enforce this profile: exit %d, %s\n%s", c->name, backend,
		       r.status, ok ? "refused as it must be" : "NOT REFUSED", r.err);
		return ok ? 0 : 1;
	}
	if (r.status == 125 && strstr(r.err, "E0703")) {
		printf("SKIP: user namespaces are refused on this machine:\n%s", r.err);
		return SKIP;
	}
	if (r.status != 0) {
		printf("FAIL: sbxc run exited %d\n%s%s", r.status, r.out, r.err);
		return 1;
	}
	char *save = NULL;
	for (char *line = strtok_r(r.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char op[32], path[4200], outcome[16], err[64] = "";
		if (sscanf(line, "%31s %4199s %15s %63s", op, path, outcome, err) < 3)
			continue;
		for (int i = 0; i < n; i++) {
			if (!p[i].seen && !strcmp(p[i].op, op) && !strcmp(p[i].path, path)) {
				p[i].seen = true;
				p[i].got = xasprintf("%s%s%s", outcome, *err ? " " : "", err);
				break;
			}
		}
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		bool got_ok = p[i].seen && strncmp(p[i].got, "ok", 2) == 0;
		bool match = p[i].seen && got_ok == p[i].expect;
		bad += !match;
		printf("%-5s %-8s %-60s expected %-7s got %s\n", match ? "ok" : "FAIL", p[i].op,
		       p[i].path, p[i].expect ? "allowed" : "denied",
		       p[i].seen ? p[i].got : "nothing");
	}
	printf("%s/%s: %d probes, %d mismatches\n", c->name, backend, n, bad);
	if (*r.err)
		printf("stderr:\n%s", r.err);
	return bad ? 1 : 0;
}

static long kernel_landlock_abi(void)
{
	long v = syscall(444, NULL, 0, 1);
	return v < 0 ? 0 : v;
}

/* --check-cases NAME...: the list CMake runs must be exactly cases.h's. */
static int check_cases(int argc, char **argv)
{
	size_t ncases = sizeof cases / sizeof cases[0];
	int bad = (size_t)(argc - 2) != ncases;
	for (size_t i = 0; i < ncases; i++) {
		bool listed = false;
		for (int j = 2; j < argc; j++)
			listed |= strcmp(cases[i].name, argv[j]) == 0;
		if (!listed) {
			printf("case %s is not in SBXC_RUNTIME_CASES\n", cases[i].name);
			bad = 1;
		}
	}
	printf("%zu cases, %d listed: %s\n", ncases, argc - 2, bad ? "MISMATCH" : "ok");
	return bad;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--check-cases") == 0)
		return check_cases(argc, argv);
	if (argc != 6) {
		fprintf(stderr, "usage: matrix SBXC PROBE WORKDIR CASE bwrap|landlock\n");
		return 2;
	}
	const char *sbxc = argv[1], *probe_bin = argv[2], *work = argv[3], *backend = argv[5];
	const struct tcase *c = NULL;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (strcmp(cases[i].name, argv[4]) == 0)
			c = &cases[i];
	if (!c) {
		fprintf(stderr, "matrix: no case %s\n", argv[4]);
		return 2;
	}
	mkdirs(work);
	char *tmpl = xasprintf("%s/%s-%s-XXXXXX", work, c->name, backend);
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 1;
	}
	T = tmpl;
	build_tree(c->tree);
	if (c->toml) {
		char *toml = expand(c->toml), *pf = tpath("policy.toml");
		write_file(pf, toml);
	}
	/* the probe lives in the case's working directory, which every case can read */
	char *local_probe = xasprintf("%s/%s/sbxc-probe", T, c->cwd);
	char *cp[] = {"/bin/cp", (char *)probe_bin, local_probe, NULL};
	if (run(cp).status != 0)
		return finish(1);

	struct probe p[MAX_PROBES] = {0};
	int n = parse_probes(c->probes, p);
	json_t *res = ir(sbxc, c);
	json_t *enforce = json_object_get(res, "enforce");
	/* direct network: on, and not only through a proxy (proxy-only runs
	** have their own suite, tests/net) */
	json_t *netj = json_object_get(res, "network");
	bool net = json_is_true(json_object_get(netj, "enabled")) &&
	           !json_is_true(json_object_get(netj, "proxy_enforced"));
	bool ll_ok =
	    json_is_true(json_object_get(json_object_get(enforce, "linux-landlock"), "ok"));
	bool bw_ok = json_is_true(json_object_get(json_object_get(enforce, "linux-bwrap"), "ok"));
	long need = json_integer_value(
	    json_object_get(json_object_get(enforce, "linux-landlock"), "landlock_abi"));
	if (ll_ok != (c->landlock == 1)) {
		printf("FAIL: Landlock %s this profile, the case expects the opposite\n",
		       ll_ok ? "enforces" : "does not enforce");
		json_decref(res);
		return finish(1);
	}
	bool is_bwrap = strcmp(backend, "bwrap") == 0;
	bool enforces = is_bwrap ? bw_ok : ll_ok;
	if (enforces && is_bwrap && !on_path("bwrap")) {
		printf("SKIP: bubblewrap is not installed (apt-get install bubblewrap)\n");
		json_decref(res);
		return finish(SKIP);
	}
	long floor = need < LANDLOCK_FLOOR ? LANDLOCK_FLOOR : need;
	if (enforces && !is_bwrap && kernel_landlock_abi() < floor) {
		printf("SKIP: the kernel's Landlock ABI is %ld, sbxc needs %ld for this profile\n",
		       kernel_landlock_abi(), floor);
		json_decref(res);
		return finish(SKIP);
	}
	json_t *answers = explain(sbxc, c, p, n);
	expectations(p, n, answers, net);
	int status = run_probes(sbxc, local_probe, c, backend, p, n, enforces);
	json_decref(answers);
	json_decref(res);
	return finish(status);
}
