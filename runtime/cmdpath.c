/*
** cmdpath.c: finds out, before a bubblewrap sandbox starts, whether its
** command could be executed, the way bubblewrap will look for it.
**
** On the fast path (launch.c) bubblewrap executes the command itself, with
** execvp(3), after changing to the sandbox's working directory and with
** sbxc's own environment (bwrap.args sets no variable). When that exec
** fails bubblewrap only prints a message and exits with status 1, which
** looks like the command's own status. So the launcher repeats the search
** first, on this side: an error here is reported as 127 (E0715) or 126
** (E0714) and the sandbox never starts.
**
** The search follows glibc's execvp: a name with a slash is used as it is;
** otherwise each entry of PATH (or "/bin:/usr/bin" without PATH; an empty
** entry is the working directory) is tried in order; EACCES is remembered
** and the search goes on, as it does after ENOENT, ENOTDIR, ESTALE, ENODEV
** and ETIMEDOUT; any other error stops it; at the end a remembered EACCES
** wins over ENOENT. Relative names and entries are taken from the sandbox's
** working directory. An entry "can be executed" when it is a regular file
** with the execute bit that applies to this process's ids (inside the
** sandbox the command has the same ids and no capability, so root gets no
** override) on a filesystem not mounted noexec; a file that is not a binary
** is run by execvp with /bin/sh, so that is no error.
**
** This is the host's view: a profile can hide (deny, mask) a file that
** exists here. Then the exec fails inside, bubblewrap says so on stderr and
** reports no exit code, and the launcher ends with E0781 (status 125),
** never with the command's status.
*/
#include "rt_int.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#define RT_GROUPS_MAX 256

static bool in_group(gid_t gid)
{
	if (gid == getegid())
		return true;
	gid_t groups[RT_GROUPS_MAX];
	int n = getgroups(RT_GROUPS_MAX, groups);
	for (int i = 0; i < n; i++)
		if (groups[i] == gid)
			return true;
	return false;
}

/* 0, or the errno value execve(2) would fail with (as far as can be told
** from outside). */
static int would_exec(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0)
		return errno;
	if (!S_ISREG(st.st_mode))
		return EACCES;
	mode_t bit = st.st_uid == geteuid() ? S_IXUSR : in_group(st.st_gid) ? S_IXGRP : S_IXOTH;
	if (!(st.st_mode & bit))
		return EACCES;
	struct statvfs vfs;
	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return EACCES;
	return 0;
}

static const char *join(struct sbx_strbuf *sb, const char *cwd, const char *dir, size_t dlen,
                        const char *file)
{
	sbx_sb_reset(sb);
	if (dlen == 0 || dir[0] != '/') {
		sbx_sb_adds(sb, cwd);
		sbx_sb_addc(sb, '/');
	}
	sbx_sb_add(sb, dir, dlen);
	if (dlen)
		sbx_sb_addc(sb, '/');
	sbx_sb_adds(sb, file);
	return sb->buf;
}

int rt_lookup_command(const char *cmd, const char *cwd)
{
	if (!cmd[0])
		return ENOENT;
	struct sbx_strbuf sb = SBX_STRBUF_INIT;
	int err;
	if (strchr(cmd, '/')) {
		err = would_exec(cmd[0] == '/' ? cmd : join(&sb, cwd, "", 0, cmd));
		sbx_sb_release(&sb);
		return err;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin";
	bool eacces = false;
	err = ENOENT;
	for (const char *p = path;;) {
		size_t n = strcspn(p, ":");
		err = would_exec(join(&sb, cwd, p, n, cmd));
		if (err == 0)
			break;
		if (err == EACCES)
			eacces = true;
		else if (err != ENOENT && err != ENOTDIR && err != ESTALE && err != ENODEV &&
		         err != ETIMEDOUT)
			break;
		if (!p[n])
			break;
		p += n + 1;
	}
	sbx_sb_release(&sb);
	if (err != 0 && eacces &&
	    (err == ENOENT || err == ENOTDIR || err == ESTALE || err == ENODEV ||
	     err == ETIMEDOUT || err == EACCES))
		err = EACCES;
	return err;
}
