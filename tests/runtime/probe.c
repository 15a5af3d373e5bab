/*
** probe.c: runs inside a sandbox and tries one filesystem or network
** operation per argument, printing what happened. The runtime suite
** (matrix.c) compares each outcome with what `sbxc explain` says.
**
**   probe PREFIX TCPPORT UDPPORT OP:PATH...
**
** OPs: read (open and read; under PREFIX the file must not be empty, so
** an empty mask does not count as readable: every test file has content), list
** (open a directory and see at least one entry), write (append to an
** existing file), create (a new file), mkdir, rename (PATH to
** PATH.renamed), unlink, chmod, tcp (connect to 127.0.0.1:TCPPORT), udp (send a
** datagram to 127.0.0.1:UDPPORT), tcpfastopen (open a TCP connection to
** 127.0.0.1:TCPPORT with sendto(MSG_FASTOPEN), which needs no connect()),
** netns (PATH is the driver's /proc/self/ns/net link: allowed when the
** sandbox shares that network namespace; printed as "-"), abstract (connect to the abstract AF_UNIX
*stream socket
** "sbxc-matrix-TCPPORT" that the driver listens on outside the sandbox:
** abstract names live in the network namespace, and under Landlock the
** abstract_unix_socket scope refuses them), chmodcreate (chmod the directory PATH to 0777, then
*create a new file in
** it: a mask or read-only mount whose remount was dropped would let the
** second step through), unixdgram (send a datagram with sendmsg()
** to the AF_UNIX datagram socket bound at PATH, outside the sandbox), shmwrite
** (attach the System V shared memory segment whose id is PATH and write
** into it); for tcp, tcpfastopen, udp and abstract PATH is ignored.
**
** Output, one line per probe: "OP PATH ok" or "OP PATH denied ERRNO". It
** is a static binary (CMake), so it runs where the policy hides /lib.
*/
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

static const char *prefix;

static int do_read(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	char buf[64] = {0};
	ssize_t n = read(fd, buf, sizeof buf - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return err;
	if (strncmp(path, prefix, strlen(prefix)) == 0 && n == 0)
		return ENODATA; /* readable, but empty: a mask (every test file has content) */
	return 0;
}

static int do_list(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return errno;
	struct dirent *de;
	int found = ENODATA; /* an empty listing: a mask */
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			found = 0;
	closedir(d);
	return found;
}

static int do_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno;
	int err = 0;
	if ((flags & O_ACCMODE) != O_RDONLY && write(fd, "x", 1) != 1)
		err = errno;
	close(fd);
	return err;
}

static int do_rename(const char *path)
{
	char to[4200];
	snprintf(to, sizeof to, "%s.renamed", path);
	return rename(path, to) == 0 ? 0 : errno;
}

static int do_net(int type, int port)
{
	int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int r = type == SOCK_STREAM ? connect(s, (struct sockaddr *)&a, sizeof a)
	                            : (int)sendto(s, "x", 1, 0, (struct sockaddr *)&a, sizeof a);
	int err = r < 0 ? errno : 0;
	close(s);
	return err;
}

/* A TCP connection opened by the first data: sendto() with MSG_FASTOPEN
** connects without connect() (TCP Fast Open, client side; the kernel does
** the handshake and sends the data with it, or after it without a cookie). */
static int do_tcp_fastopen(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int err = sendto(s, "x", 1, MSG_FASTOPEN, (struct sockaddr *)&a, sizeof a) < 0 ? errno : 0;
	close(s);
	return err;
}

static int do_abstract(int port)
{
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	int n = snprintf(a.sun_path + 1, sizeof a.sun_path - 1, "sbxc-matrix-%d", port);
	int err = connect(s, (struct sockaddr *)&a,
	                  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n)) < 0
	              ? errno
	              : 0;
	close(s);
	return err;
}

static int do_chmod_create(const char *dir)
{
	chmod(dir, 0777); /* its own outcome does not matter: the file's does */
	char file[4200];
	snprintf(file, sizeof file, "%s/sbxc-probe-new", dir);
	return do_open(file, O_WRONLY | O_CREAT | O_EXCL);
}

static int do_unix_dgram(const char *path)
{
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	if (strlen(path) >= sizeof a.sun_path) {
		close(s);
		return ENAMETOOLONG;
	}
	memcpy(a.sun_path, path, strlen(path) + 1);
	struct iovec iov = {.iov_base = "x", .iov_len = 1};
	struct msghdr m = {
	    .msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
	int err = sendmsg(s, &m, 0) < 0 ? errno : 0;
	close(s);
	return err;
}

static int do_shm_write(const char *id)
{
	char *p = shmat(atoi(id), NULL, 0);
	if (p == (void *)-1)
		return errno;
	memcpy(p, "sandbox", 8);
	shmdt(p);
	return 0;
}

static int probe(const char *op, const char *path, int tcp, int udp)
{
	if (strcmp(op, "read") == 0)
		return do_read(path);
	if (strcmp(op, "list") == 0)
		return do_list(path);
	if (strcmp(op, "write") == 0)
		return do_open(path, O_WRONLY | O_APPEND);
	if (strcmp(op, "create") == 0)
		return do_open(path, O_WRONLY | O_CREAT | O_EXCL);
	if (strcmp(op, "mkdir") == 0)
		return mkdir(path, 0755) == 0 ? 0 : errno;
	if (strcmp(op, "rename") == 0)
		return do_rename(path);
	if (strcmp(op, "unlink") == 0)
		return unlink(path) == 0 ? 0 : errno;
	if (strcmp(op, "chmod") == 0)
		return chmod(path, 0640) == 0 ? 0 : errno;
	if (strcmp(op, "tcp") == 0)
		return do_net(SOCK_STREAM, tcp);
	if (strcmp(op, "udp") == 0)
		return do_net(SOCK_DGRAM, udp);
	if (strcmp(op, "tcpfastopen") == 0)
		return do_tcp_fastopen(tcp);
	if (strcmp(op, "abstract") == 0)
		return do_abstract(tcp);
	if (strcmp(op, "netns") == 0) {
		char now[128];
		ssize_t n = readlink("/proc/self/ns/net", now, sizeof now - 1);
		if (n < 0)
			return errno;
		now[n] = 0;
		return strcmp(now, path) == 0 ? 0 : EXDEV;
	}
	if (strcmp(op, "chmodcreate") == 0)
		return do_chmod_create(path);
	if (strcmp(op, "unixdgram") == 0)
		return do_unix_dgram(path);
	if (strcmp(op, "shmwrite") == 0)
		return do_shm_write(path);
	return -1;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: probe PREFIX TCPPORT UDPPORT OP:PATH...\n");
		return 2;
	}
	prefix = argv[1];
	int tcp = atoi(argv[2]), udp = atoi(argv[3]);
	for (int i = 4; i < argc; i++) {
		char *colon = strchr(argv[i], ':');
		if (!colon) {
			fprintf(stderr, "probe: bad argument '%s'\n", argv[i]);
			return 2;
		}
		*colon = 0;
		int err = probe(argv[i], colon + 1, tcp, udp);
		if (err < 0) {
			fprintf(stderr, "probe: unknown operation '%s'\n", argv[i]);
			return 2;
		}
		const char *shown = strcmp(argv[i], "netns") == 0 ? "-" : colon + 1;
		if (err == 0)
			printf("%s %s ok\n", argv[i], shown);
		else
			printf("%s %s denied %s\n", argv[i], shown, strerrorname_np(err));
	}
	return 0;
}
