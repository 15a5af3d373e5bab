/*
** proxy_bridge.c: the proxy-only mode of the bubblewrap backend (proxy.json,
** emitters/proxy.c; spec/semantics.md R-SEM-49).
**
** The sandbox has a network namespace of its own whose loopback is empty.
** Before the command starts, the inner stage (inner.c) creates one TCP
** listener on 127.0.0.1 per route inside that namespace, sends them out
** over a Unix socket pair (SCM_RIGHTS), points the proxy variables at their
** ports and closes its end: the command keeps no way out but connecting to
** a listener. Outside, the bridge (a process of the launcher) accepts on
** those listeners and connects each connection to the route's address in
** the host's namespace: a loopback proxy of the environment, or a tinyproxy
** started for the run with the profile's default-deny host filter.
**
**   launcher --spawn--> bubblewrap -> inner stage -> command
**       |                               | ^  listeners (SCM_RIGHTS)
**       +--fork--> bridge <-------------+ |  variables: prefix, route
**       +--fork--> tinyproxy (with domain rules), 127.0.0.1:<ephemeral>
**
** Lifetime: the bridge and tinyproxy are started for one command and end
** with it. They die with the launcher (PR_SET_PDEATHSIG), and the launcher
** kills them (the bridge with its per-connection children, one process
** group) once bubblewrap has exited. tinyproxy's files are in a 0700
** directory that is removed as soon as tinyproxy listens.
**
** Before anything starts, the proxy environment is read again by the same
** rule set and compared with the one the artifacts were compiled for
** (E0751): the routes and the variables were decided for that one.
*/
#include "proxy_env.h"
#include "rt_int.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* How long tinyproxy may take to listen. It is stopped with SIGKILL: it keeps
** no state, and its files are gone already. */
#define RT_TINYPROXY_START_MS 5000
/* Routes of one run: proxy variables (32) plus the profile's two URLs. */
#define RT_PROXY_MAX_ROUTES 40
/* Connections the bridge relays at once (one process each); more wait in
** the listeners' backlog: the sandbox cannot make the host fork without
** bound. */
#define RT_BRIDGE_MAX_CONNS 128
/* The specification the inner stage receives, at most. */
#define RT_PROXY_SPEC_MAX (64u * 1024u)

/* ---- reading proxy.json ---- */

static bool fail_artifact(struct sbx_ctx *ctx, const char *why)
{
	sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN, "invalid artifact file `%s`: %s",
	              SBX_ART_PROXY_JSON, why);
	return false;
}

bool rt_proxy_parse(struct sbx_ctx *ctx, const struct sbx_bundle *b, struct rt_artifacts *a)
{
	const char *net = json_string_value(json_object_get(a->manifest, "network"));
	bool want = net && strcmp(net, "proxy") == 0;
	if (!want)
		return true;
	const struct sbx_blob *f = sbx_bundle_get(b, SBX_ART_PROXY_JSON);
	if (!f)
		return fail_artifact(ctx,
		                     "the file is missing, and the manifest's network is proxy");
	json_error_t err;
	a->proxy = json_loadb((const char *)f->data, f->len, JSON_REJECT_DUPLICATES, &err);
	json_t *routes = json_object_get(a->proxy, "routes");
	json_t *vars = json_object_get(a->proxy, "variables");
	if (!json_is_object(a->proxy) || !json_is_array(routes) || !json_is_array(vars) ||
	    !json_is_array(json_object_get(a->proxy, "environment")) ||
	    json_array_size(routes) == 0 || json_array_size(routes) > RT_PROXY_MAX_ROUTES)
		return fail_artifact(ctx, "it does not describe the routes and variables");
	size_t i;
	json_t *v;
	json_array_foreach(routes, i, v)
	{
		bool tp = json_is_true(json_object_get(v, "tinyproxy"));
		const char *host = json_string_value(json_object_get(v, "connect"));
		json_int_t port = json_integer_value(json_object_get(v, "port"));
		if (!host || (strcmp(host, "127.0.0.1") != 0 && strcmp(host, "::1") != 0) ||
		    (!tp && (port < 1 || port > 65535)) || (tp && i != 0))
			return fail_artifact(ctx, "a route is not a loopback address and port");
	}
	json_array_foreach(vars, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *from = json_string_value(json_object_get(v, "from"));
		json_int_t route = json_integer_value(json_object_get(v, "route"));
		if (!name || !from || route < 0 || (size_t)route >= json_array_size(routes) ||
		    (strcmp(from, "environment") != 0 &&
		     (strcmp(from, "set") != 0 ||
		      !json_is_string(json_object_get(v, "url_prefix")) ||
		      !json_is_string(json_object_get(v, "url_suffix")))))
			return fail_artifact(ctx, "a proxy variable is not described");
	}
	if (json_is_true(json_object_get(json_array_get(routes, 0), "tinyproxy"))) {
		a->tp_conf = sbx_bundle_get(b, SBX_ART_TINYPROXY_CONF);
		a->tp_filter = sbx_bundle_get(b, SBX_ART_TINYPROXY_FILTER);
		if (!a->tp_conf || !a->tp_filter)
			return fail_artifact(ctx, "tinyproxy.conf or tinyproxy.filter is missing");
	}
	return true;
}

/* ---- the proxy environment, again ---- */

static bool env_matches(struct sbx_ctx *ctx, json_t *want, const struct sbx_proxy_env *pe)
{
	if (json_array_size(want) != pe->n)
		return false;
	for (size_t i = 0; i < pe->n; i++) {
		const struct sbx_proxy_endpoint *ep = &pe->endpoints[i];
		json_t *w = json_array_get(want, i);
		const char *name = json_string_value(json_object_get(w, "name"));
		const char *scheme = json_string_value(json_object_get(w, "scheme"));
		const char *host = json_string_value(json_object_get(w, "host"));
		if (!name || !scheme || !host || strcmp(name, ep->var) != 0 ||
		    strcmp(scheme, ep->parsed ? ep->scheme : "") != 0 ||
		    strcmp(host, ep->parsed ? ep->host : "") != 0 ||
		    json_integer_value(json_object_get(w, "port")) != ep->port ||
		    json_is_true(json_object_get(w, "credentials")) != (ep->userinfo != NULL))
			return false;
	}
	(void)ctx;
	return true;
}

/* ---- the run's state ---- */

struct rt_proxy_route {
	int family;
	uint16_t port;
};

static void route_addr(const struct rt_proxy_route *r, struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof *ss);
	if (r->family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_addr = in6addr_loopback;
		s6->sin6_port = htons(r->port);
		*len = sizeof *s6;
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
		s4->sin_family = AF_INET;
		s4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		s4->sin_port = htons(r->port);
		*len = sizeof *s4;
	}
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* A child that dies with its parent; false when the parent is gone already. */
static bool die_with(pid_t parent)
{
	return prctl(PR_SET_PDEATHSIG, SIGKILL) == 0 && getppid() == parent;
}

static void os_fail(struct sbx_ctx *ctx, const char *what, int err)
{
	sbx_diag_emit(ctx, SBX_E0752, SBX_NO_SPAN, "cannot start the proxy bridge: %s: %s", what,
	              strerror(err));
}

/* ---- tinyproxy ---- */

static const char *find_tinyproxy(struct sbx_ctx *ctx)
{
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (n && path[0] == '/') { /* relative PATH entries are never searched */
			const char *f =
			    sbx_arena_printf(&ctx->arena, "%.*s/tinyproxy", (int)n, path);
			if (access(f, X_OK) == 0)
				return f;
		}
		path += n + (path[n] == ':');
	}
	return NULL;
}

static bool write_file(int dfd, const char *name, const void *data, size_t len)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return false;
	const char *p = data;
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			return false;
		}
		p += w, len -= (size_t)w;
	}
	return close(fd) == 0;
}

/* A free port on 127.0.0.1 at this moment. */
static uint16_t free_port(void)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	uint16_t port = 0;
	if (s >= 0 && bind(s, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(s, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (s >= 0)
		close(s);
	return port;
}

/* Is `pid` the process listening on 127.0.0.1:port? The listening socket's
** inode must be one of pid's descriptors: another program that took the
** port in the meantime is never mistaken for tinyproxy. */
static bool listens(pid_t pid, uint16_t port)
{
	FILE *f = fopen("/proc/net/tcp", "re");
	if (!f)
		return false;
	char line[512];
	unsigned long inode = 0;
	char want[32];
	snprintf(want, sizeof want, "0100007F:%04X", (unsigned)port);
	while (!inode && fgets(line, sizeof line, f)) {
		char local[64], rem[64], st[8];
		unsigned long ino;
		if (sscanf(line, "%*s %63s %63s %7s %*s %*s %*s %*s %*s %lu", local, rem, st,
		           &ino) == 4 &&
		    strcmp(local, want) == 0 && strcmp(st, "0A") == 0)
			inode = ino;
	}
	fclose(f);
	if (!inode)
		return false;
	char dir[64], link[64], want_link[64];
	snprintf(dir, sizeof dir, "/proc/%d/fd", (int)pid);
	snprintf(want_link, sizeof want_link, "socket:[%lu]", inode);
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *de;
	while (!found && (de = readdir(d))) {
		char p[320];
		snprintf(p, sizeof p, "%s/%s", dir, de->d_name);
		ssize_t n = readlink(p, link, sizeof link - 1);
		if (n > 0) {
			link[n] = 0;
			found = strcmp(link, want_link) == 0;
		}
	}
	closedir(d);
	return found;
}

/* SIGKILL, and the wait: the process (with `group`, its whole group) is gone
** when this returns. */
static void stop(pid_t pid, bool group)
{
	if (pid <= 0)
		return;
	int status;
	kill(group ? -pid : pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

static pid_t spawn_tinyproxy(const char *exe, const char *conf, int log)
{
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	if (!die_with(parent))
		_exit(127);
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(127);
	rt_cloexec_from(-1);
	char *argv[] = {(char *)exe, "-d", "-c", (char *)conf, NULL};
	execve(exe, argv, environ);
	_exit(127);
}

/* Starts tinyproxy on a free loopback port with the artifacts' configuration
** and filter. Its files are gone once it listens. */
static bool start_tinyproxy(struct sbx_ctx *ctx, const struct rt_artifacts *a, const char *given,
                            struct rt_proxy *p)
{
	const char *exe = given ? (access(given, X_OK) == 0 ? given : NULL) : find_tinyproxy(ctx);
	if (!exe) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0750, SBX_NO_SPAN,
		    "tinyproxy %s: the profile's domain rules need it as the filtering proxy",
		    given ? sbx_arena_printf(&ctx->arena, "`%s` cannot be executed",
		                             sbx_diag_quote(ctx, given, strlen(given)))
		          : "was not found on PATH");
		sbx_diag_help(ctx, d,
		              "install it (`apt-get install tinyproxy-bin`), or remove the "
		              "domain rules");
		return false;
	}
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	char *dir = sbx_arena_printf(&ctx->arena, "%s/sbxc-proxy-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		os_fail(ctx, "a directory for tinyproxy's configuration", errno);
		return false;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	bool ok = false;
	for (int tries = 0; dfd >= 0 && !ok && tries < 5; tries++) {
		uint16_t port = free_port();
		struct sbx_strbuf conf = SBX_STRBUF_INIT;
		sbx_sb_add(&conf, a->tp_conf->data, a->tp_conf->len);
		sbx_sb_addf(&conf, "Port %u\nListen 127.0.0.1\nFilter \"%s/filter\"\n",
		            (unsigned)port, dir);
		unlinkat(dfd, "tinyproxy.conf", 0);
		unlinkat(dfd, "filter", 0);
		unlinkat(dfd, "log", 0);
		int log = -1;
		if (port && write_file(dfd, "tinyproxy.conf", conf.buf, conf.len) &&
		    write_file(dfd, "filter", a->tp_filter->data, a->tp_filter->len))
			log = openat(dfd, "log", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		sbx_sb_release(&conf);
		if (log < 0) {
			os_fail(ctx, "tinyproxy's configuration", errno);
			break;
		}
		const char *cpath = sbx_arena_printf(&ctx->arena, "%s/tinyproxy.conf", dir);
		pid_t pid = spawn_tinyproxy(exe, cpath, log);
		if (pid < 0) {
			close(log);
			os_fail(ctx, "tinyproxy", errno);
			break;
		}
		long until = now_ms() + RT_TINYPROXY_START_MS;
		bool exited = false;
		while (!ok && !exited && now_ms() < until) {
			int status;
			if (waitpid(pid, &status, WNOHANG) == pid)
				exited = true;
			else if (listens(pid, port))
				ok = true;
			else
				sleep_ms(1);
		}
		if (ok) {
			p->tinyproxy = pid;
			p->tinyport = port;
			close(log);
			break;
		}
		if (!exited)
			stop(pid, false);
		if (tries == 4 || !exited) {
			struct sbx_strbuf said = SBX_STRBUF_INIT;
			char buf[1024];
			ssize_t n = pread(log, buf, sizeof buf - 1, 0);
			struct sbx_diag *d = sbx_diag_emit(
			    ctx, SBX_E0752, SBX_NO_SPAN,
			    "cannot start the proxy bridge: tinyproxy `%s` %s", exe,
			    exited ? "exited before it listened" : "did not listen in time");
			while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
				n--;
			if (n > 0) {
				sbx_sb_add(&said, buf, (size_t)n);
				sbx_diag_note(ctx, d, SBX_NO_SPAN, "tinyproxy said: %s",
				              sbx_diag_quote(ctx, said.buf, said.len));
			}
			sbx_sb_release(&said);
			close(log);
			break;
		}
		close(log); /* the port was taken between the check and tinyproxy: again */
	}
	if (dfd >= 0) {
		unlinkat(dfd, "tinyproxy.conf", 0);
		unlinkat(dfd, "filter", 0);
		unlinkat(dfd, "log", 0);
		close(dfd);
	}
	rmdir(dir);
	return ok;
}

/* ---- the specification for the inner stage ---- */

/* "N\n" then per variable "NAME\tROUTE\tPREFIX\tSUFFIX\n": the value is
** PREFIX, the route's port inside, SUFFIX. */
static bool spec(struct sbx_ctx *ctx, const struct rt_artifacts *a, const struct sbx_proxy_env *pe,
                 struct sbx_strbuf *sb)
{
	json_t *vars = json_object_get(a->proxy, "variables"), *v;
	size_t i;
	sbx_sb_addf(sb, "%zu\n", json_array_size(json_object_get(a->proxy, "routes")));
	json_array_foreach(vars, i, v)
	{
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *from = json_string_value(json_object_get(v, "from"));
		json_int_t route = json_integer_value(json_object_get(v, "route"));
		const char *prefix = NULL, *suffix = NULL;
		if (strcmp(from, "set") == 0) {
			prefix = json_string_value(json_object_get(v, "url_prefix"));
			suffix = json_string_value(json_object_get(v, "url_suffix"));
		} else {
			for (size_t k = 0; k < pe->n; k++)
				if (strcmp(pe->endpoints[k].var, name) == 0 &&
				    pe->endpoints[k].loopback)
					sbx_proxy_url_split(ctx, &pe->endpoints[k], "127.0.0.1",
					                    &prefix, &suffix);
		}
		if (!prefix || strpbrk(name, "\t\n=") || strpbrk(prefix, "\t\n") ||
		    strpbrk(suffix, "\t\n"))
			return false;
		sbx_sb_addf(sb, "%s\t%lld\t%s\t%s\n", name, (long long)route, prefix, suffix);
	}
	return sb->len <= RT_PROXY_SPEC_MAX;
}

/* ---- the bridge ---- */

/* Copies both ways between a and b until both directions ended. */
static void relay(int a, int b)
{
	struct pollfd pf[2] = {{.fd = a, .events = POLLIN}, {.fd = b, .events = POLLIN}};
	char buf[16384];
	int open_dirs = 2;
	while (open_dirs > 0) {
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		for (int i = 0; i < 2; i++) {
			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int from = i == 0 ? a : b, to = i == 0 ? b : a;
			ssize_t n = read(from, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				shutdown(to, SHUT_WR);
				pf[i].fd = -1;
				open_dirs--;
				if (n < 0)
					return;
				continue;
			}
			for (ssize_t off = 0; off < n;) {
				ssize_t w = write(to, buf + off, (size_t)(n - off));
				if (w < 0 && errno == EINTR)
					continue;
				if (w <= 0)
					return;
				off += w;
			}
		}
	}
}

/* One connection: its own process, which dies with the bridge. */
static bool serve(int client, const struct rt_proxy_route *r, pid_t bridge)
{
	pid_t pid = fork();
	if (pid != 0) {
		close(client);
		return pid > 0;
	}
	if (!die_with(bridge))
		_exit(0);
	struct sockaddr_storage ss;
	socklen_t len;
	route_addr(r, &ss, &len);
	int up = socket(r->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (up >= 0 && connect(up, (struct sockaddr *)&ss, len) == 0)
		relay(client, up);
	_exit(0);
}

static _Noreturn void bridge_main(int ctl, const char *sp, size_t splen,
                                  const struct rt_proxy_route *routes, size_t n, pid_t parent)
{
	if (!die_with(parent))
		_exit(0);
	setpgid(0, 0);
	if (send(ctl, sp, splen, MSG_NOSIGNAL) != (ssize_t)splen)
		_exit(0);
	int fds[RT_PROXY_MAX_ROUTES];
	char cbuf[CMSG_SPACE(sizeof fds)], tag[4];
	struct iovec iov = {tag, sizeof tag};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
	ssize_t got = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC);
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (got <= 0 || !c || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(n * sizeof(int)) || (mh.msg_flags & MSG_CTRUNC))
		_exit(0);
	memcpy(fds, CMSG_DATA(c), n * sizeof(int));
	close(ctl);
	struct pollfd pf[RT_PROXY_MAX_ROUTES];
	for (size_t i = 0; i < n; i++)
		pf[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
	pid_t self = getpid();
	size_t live = 0;
	for (;;) {
		int st;
		while (live && waitpid(-1, &st, WNOHANG) > 0)
			live--;
		if (live >= RT_BRIDGE_MAX_CONNS) {
			sleep_ms(10);
			continue;
		}
		int r = poll(pf, n, live ? 50 : -1);
		if (r < 0 && errno != EINTR)
			_exit(0);
		for (size_t i = 0; r > 0 && i < n && live < RT_BRIDGE_MAX_CONNS; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			int cl = accept4(fds[i], NULL, NULL, SOCK_CLOEXEC);
			if (cl >= 0 && serve(cl, &routes[i], self))
				live++;
		}
	}
}

/* ---- the launcher's side ---- */

enum sbx_status rt_proxy_prepare(struct sbx_ctx *ctx, const struct rt_artifacts *a,
                                 const char *tinyproxy, struct rt_proxy *p)
{
	memset(p, 0, sizeof *p);
	p->ctl[0] = p->ctl[1] = -1;
	unsetenv(RT_PROXY_CTL_ENV);
	if (!a->proxy)
		return SBX_OK;
	struct sbx_proxy_env pe;
	sbx_proxy_env_posix(ctx, (const char *const *)environ, &pe);
	if (!env_matches(ctx, json_object_get(a->proxy, "environment"), &pe)) {
		struct sbx_diag *d = sbx_diag_emit(
		    ctx, SBX_E0751, SBX_NO_SPAN,
		    "the proxy variables differ from the ones the artifacts were compiled for");
		sbx_diag_help(ctx, d,
		              "compile the artifacts again in this environment, or restore the "
		              "proxy variables");
		return SBX_EUNSUPPORTED;
	}
	json_t *routes = json_object_get(a->proxy, "routes"), *v;
	size_t i;
	p->nroutes = json_array_size(routes);
	p->routes = sbx_arena_alloc(&ctx->arena, p->nroutes * sizeof *p->routes);
	if (a->tp_conf && !start_tinyproxy(ctx, a, tinyproxy, p))
		return SBX_EUNSUPPORTED;
	json_array_foreach(routes, i, v)
	{
		const char *host = json_string_value(json_object_get(v, "connect"));
		p->routes[i].family = strcmp(host, "::1") == 0 ? AF_INET6 : AF_INET;
		p->routes[i].port = json_is_true(json_object_get(v, "tinyproxy"))
		                        ? p->tinyport
		                        : (uint16_t)json_integer_value(json_object_get(v, "port"));
	}
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	bool ok = spec(ctx, a, &pe, &sb);
	p->spec = sbx_arena_strndup(&ctx->arena, sb.buf, sb.len);
	p->speclen = sb.len;
	sbx_sb_release(&sb);
	if (!ok) {
		rt_proxy_finish(p);
		return fail_artifact(ctx, "a proxy variable cannot be rewritten"), SBX_EUNSUPPORTED;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, p->ctl) != 0) {
		os_fail(ctx, "a socket pair", errno);
		rt_proxy_finish(p);
		return SBX_EUNSUPPORTED;
	}
	p->active = true;
	return SBX_OK;
}

enum sbx_status rt_proxy_start(struct sbx_ctx *ctx, struct rt_proxy *p)
{
	if (!p->active)
		return SBX_OK;
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid == 0) {
		close(p->ctl[1]);
		bridge_main(p->ctl[0], p->spec, p->speclen, p->routes, p->nroutes, parent);
	}
	if (pid < 0) {
		os_fail(ctx, "the bridge process", errno);
		return SBX_EUNSUPPORTED;
	}
	setpgid(pid, pid); /* as the child does: whichever runs first */
	p->bridge = pid;
	close(p->ctl[0]);
	p->ctl[0] = -1;
	return SBX_OK;
}

void rt_proxy_finish(struct rt_proxy *p)
{
	stop(p->bridge, true);
	p->bridge = 0;
	stop(p->tinyproxy, false);
	p->tinyproxy = 0;
	for (int i = 0; i < 2; i++)
		if (p->ctl[i] >= 0) {
			close(p->ctl[i]);
			p->ctl[i] = -1;
		}
	p->active = false;
}

/* ---- inside: the inner stage ---- */

int rt_proxy_inner(void)
{
	const char *s = getenv(RT_PROXY_CTL_ENV);
	if (!s)
		return 0;
	char *end;
	long ctl = strtol(s, &end, 10);
	unsetenv(RT_PROXY_CTL_ENV);
	if (*end || ctl < 3 || ctl > 1 << 20)
		return EINVAL;
	static char buf[RT_PROXY_SPEC_MAX + 1];
	ssize_t n = recv((int)ctl, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return n < 0 ? errno : EPIPE;
	buf[n] = 0;
	long nroutes = strtol(buf, &end, 10);
	if (*end != '\n' || nroutes < 1 || nroutes > RT_PROXY_MAX_ROUTES)
		return EINVAL;
	int fds[RT_PROXY_MAX_ROUTES];
	unsigned ports[RT_PROXY_MAX_ROUTES];
	for (long i = 0; i < nroutes; i++) {
		struct sockaddr_in a = {.sin_family = AF_INET,
		                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		socklen_t len = sizeof a;
		fds[i] = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fds[i] < 0 || bind(fds[i], (struct sockaddr *)&a, sizeof a) != 0 ||
		    listen(fds[i], 128) != 0 ||
		    getsockname(fds[i], (struct sockaddr *)&a, &len) != 0)
			return errno ? errno : EIO;
		ports[i] = ntohs(a.sin_port);
	}
	char cbuf[CMSG_SPACE(sizeof fds)] = {0};
	struct iovec iov = {"L", 1};
	struct msghdr mh = {.msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cbuf,
	                    .msg_controllen = CMSG_SPACE((size_t)nroutes * sizeof(int))};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN((size_t)nroutes * sizeof(int));
	memcpy(CMSG_DATA(c), fds, (size_t)nroutes * sizeof(int));
	if (sendmsg((int)ctl, &mh, MSG_NOSIGNAL) < 0)
		return errno;
	for (long i = 0; i < nroutes; i++)
		close(fds[i]);
	close((int)ctl);
	/* the variables: NAME \t ROUTE \t PREFIX \t SUFFIX */
	for (char *line = end + 1; *line;) {
		char *nl = strchr(line, '\n');
		if (!nl)
			return EINVAL;
		*nl = 0;
		char *f[4] = {line};
		for (int k = 1; k < 4; k++) {
			f[k] = f[k - 1] ? strchr(f[k - 1], '\t') : NULL;
			if (f[k])
				*f[k]++ = 0;
		}
		long route = f[1] ? strtol(f[1], &end, 10) : -1;
		if (!f[3] || route < 0 || route >= nroutes)
			return EINVAL;
		char value[RT_PROXY_SPEC_MAX / 8];
		int w = snprintf(value, sizeof value, "%s%u%s", f[2], ports[route], f[3]);
		if (w < 0 || (size_t)w >= sizeof value || setenv(f[0], value, 1) != 0)
			return EINVAL;
		line = nl + 1;
	}
	return 0;
}
