/*
** landlock.c: the Landlock side of the runtime. Detects the kernel's ABI
** (with the SBXC_TEST_LANDLOCK_ABI test hook, which can only lower it) and
** applies landlock.json to this process: create a ruleset handling the
** listed rights, add one path-beneath rule per existing path (opened
** O_PATH), set no_new_privs and restrict the process.
**
** Pipeline position: artifacts -> run.c -> this file, then restrict.c
** (capabilities, seccomp) and exec.
*/
#include "landlock_abi.h"
#include "rt_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Rights Landlock accepts on a rule for a file that is not a directory. */
#define FILE_RIGHTS                                                                                \
	(SBX_LL_FS_EXECUTE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_READ_FILE | SBX_LL_FS_TRUNCATE |     \
	 SBX_LL_FS_IOCTL_DEV)

int sbx_landlock_kernel_abi(int cap)
{
	long abi =
	    syscall(SBX_NR_LANDLOCK_CREATE_RULESET, NULL, 0, SBX_LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0)
		abi = 0; /* ENOSYS: not built in; EOPNOTSUPP: disabled at boot */
	const char *hook = getenv("SBXC_TEST_LANDLOCK_ABI");
	if (hook && *hook) {
		char *end;
		long v = strtol(hook, &end, 10);
		if (!*end && v >= 0 && v < abi)
			abi = v;
	}
	if (cap >= 0 && cap < abi)
		abi = cap;
	return (int)abi;
}

static uint64_t rights(json_t *names, bool *ok)
{
	uint64_t bits = 0;
	json_t *v;
	size_t i;
	json_array_foreach(names, i, v)
	{
		const char *s = json_string_value(v);
		size_t k = 0;
		while (s && k < SBX_LL_NFS_RIGHTS && strcmp(sbx_ll_fs_rights[k].name, s) != 0)
			k++;
		if (!s || k == SBX_LL_NFS_RIGHTS) {
			*ok = false;
			return 0;
		}
		bits |= sbx_ll_fs_rights[k].bit;
	}
	return bits;
}

/* An unknown scope is an error like an unknown right: skipping it would
** leave the command able to signal or connect outside the sandbox. */
static uint64_t scopes(json_t *names, bool *ok)
{
	uint64_t bits = 0;
	json_t *v;
	size_t i;
	json_array_foreach(names, i, v)
	{
		const char *s = json_string_value(v);
		size_t k = 0;
		while (s && k < SBX_LL_NSCOPES && strcmp(sbx_ll_scopes[k].name, s) != 0)
			k++;
		if (!s || k == SBX_LL_NSCOPES) {
			*ok = false;
			return 0;
		}
		bits |= sbx_ll_scopes[k].bit;
	}
	return bits;
}

#ifdef SBXC_FAULT_HOOKS
/* Test builds only (tests/runtime builds sbxc-faults with it; the sbxc
** binary never has it): SBXC_TEST_FAULT=NAME makes the Landlock call NAME
** fail with EPERM, as a kernel or an LSM could, to show that sbxc then
** stops instead of running the command unrestricted. */
static bool fault(const char *name)
{
	const char *f = getenv("SBXC_TEST_FAULT");
	if (!f || strcmp(f, name) != 0)
		return false;
	errno = EPERM;
	return true;
}
#else
#define fault(name) false
#endif

static enum sbx_status fail(struct sbx_ctx *ctx, const char *what, int err)
{
	sbx_diag_emit(ctx, SBX_E0716, SBX_NO_SPAN, "cannot apply the Landlock ruleset: %s: %s",
	              what, strerror(err));
	return SBX_EUNSUPPORTED;
}

/* Adds one rule; a path that does not exist (or that sbxc cannot reach) is
** skipped, since a rule only ever grants. */
static enum sbx_status add_rule(struct sbx_ctx *ctx, int rfd, const char *path, uint64_t access)
{
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return SBX_OK;
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= FILE_RIGHTS;
	struct sbx_ll_path_beneath_attr pb = {.allowed_access = access, .parent_fd = fd};
	long r = !access                      ? 0
	         : fault("landlock_add_rule") ? -1
	                                      : syscall(SBX_NR_LANDLOCK_ADD_RULE, rfd,
	                                                SBX_LANDLOCK_RULE_PATH_BENEATH, &pb, 0);
	int err = errno;
	close(fd);
	if (r != 0)
		return fail(ctx, path, err);
	return SBX_OK;
}

enum sbx_status rt_landlock_apply(struct sbx_ctx *ctx, const struct rt_artifacts *a, int kernel_abi)
{
	json_t *ll = a->landlock;
	bool ok = true;
	uint64_t handled = rights(json_object_get(ll, "handled_access_fs"), &ok);
	uint64_t floor = 0;
	for (size_t i = 0; i < SBX_LL_NFS_RIGHTS; i++)
		if (sbx_ll_fs_rights[i].abi <= SBX_LANDLOCK_ABI_TRUNCATE)
			floor |= sbx_ll_fs_rights[i].bit;
	if (!ok || (handled & floor) != floor) {
		/* a right left unhandled is a right every path has */
		sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN,
		              "invalid artifact file `landlock.json`: %s",
		              ok ? "it does not handle every filesystem right of ABI 3"
		                 : "unknown access right");
		return SBX_EUNSUPPORTED;
	}
	/* the kernel has ABI 6 at least (run.c): scopes are always applied */
	struct sbx_ll_ruleset_attr attr = {.handled_access_fs = handled};
	size_t size = sizeof attr.handled_access_fs;
	if (kernel_abi >= SBX_LANDLOCK_ABI_SCOPES) {
		attr.scoped = scopes(json_object_get(ll, "scoped"), &ok);
		size = sizeof attr;
	}
	if (!ok) {
		sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN,
		              "invalid artifact file `landlock.json`: unknown scope");
		return SBX_EUNSUPPORTED;
	}
	int rfd = fault("landlock_create_ruleset")
	              ? -1
	              : (int)syscall(SBX_NR_LANDLOCK_CREATE_RULESET, &attr, size, 0);
	if (rfd < 0)
		return fail(ctx, "landlock_create_ruleset", errno);
	enum sbx_status st = SBX_OK;
	json_t *rule;
	size_t i;
	json_array_foreach(json_object_get(ll, "rules"), i, rule)
	{
		const char *path = json_string_value(json_object_get(rule, "path"));
		uint64_t acc = rights(json_object_get(rule, "access"), &ok);
		if (!path || !ok || (acc & ~handled)) {
			sbx_diag_emit(ctx, SBX_E0710, SBX_NO_SPAN,
			              "invalid artifact file `landlock.json`: bad rule %zu", i);
			st = SBX_EUNSUPPORTED;
			break;
		}
		if ((st = add_rule(ctx, rfd, path, acc)) != SBX_OK)
			break;
	}
	int err;
	if (st == SBX_OK && (err = rt_set_no_new_privs()))
		st = fail(ctx, "no_new_privs", err);
	if (st == SBX_OK && (fault("landlock_restrict_self") ||
	                     syscall(SBX_NR_LANDLOCK_RESTRICT_SELF, rfd, 0) != 0))
		st = fail(ctx, "landlock_restrict_self", errno);
	close(rfd);
	return st;
}
