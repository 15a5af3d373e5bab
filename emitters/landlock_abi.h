/*
** landlock_abi.h: the Landlock kernel interface sbxc uses, in one place.
**
** Debian 12's <linux/landlock.h> stops at ABI 2 while the kernels sbxc runs
** on go up to ABI 7, so the constants are defined here. They are fixed
** kernel UAPI values (include/uapi/linux/landlock.h, and the system call
** numbers of the generic table, which x86_64 and aarch64 share); defining
** them does not depend on the headers installed.
**
**   ABI 1 (5.13)  the thirteen basic filesystem rights
**   ABI 2 (5.19)  REFER: link or rename across directories
**   ABI 3 (6.2)   TRUNCATE
**   ABI 4 (6.7)   TCP bind/connect rights (not used: seccomp covers sockets)
**   ABI 5 (6.10)  IOCTL_DEV: ioctl on device files
**   ABI 6 (6.12)  scopes: abstract UNIX sockets and signals
**   ABI 7 (6.15)  audit logging flags (not used)
*/
#ifndef SBX_LANDLOCK_ABI_H
#define SBX_LANDLOCK_ABI_H

#include <stdint.h>

#define SBX_NR_LANDLOCK_CREATE_RULESET 444
#define SBX_NR_LANDLOCK_ADD_RULE 445
#define SBX_NR_LANDLOCK_RESTRICT_SELF 446

#define SBX_LANDLOCK_CREATE_RULESET_VERSION (1u << 0)
#define SBX_LANDLOCK_RULE_PATH_BENEATH 1

#define SBX_LL_FS_EXECUTE (1ull << 0)
#define SBX_LL_FS_WRITE_FILE (1ull << 1)
#define SBX_LL_FS_READ_FILE (1ull << 2)
#define SBX_LL_FS_READ_DIR (1ull << 3)
#define SBX_LL_FS_REMOVE_DIR (1ull << 4)
#define SBX_LL_FS_REMOVE_FILE (1ull << 5)
#define SBX_LL_FS_MAKE_CHAR (1ull << 6)
#define SBX_LL_FS_MAKE_DIR (1ull << 7)
#define SBX_LL_FS_MAKE_REG (1ull << 8)
#define SBX_LL_FS_MAKE_SOCK (1ull << 9)
#define SBX_LL_FS_MAKE_FIFO (1ull << 10)
#define SBX_LL_FS_MAKE_BLOCK (1ull << 11)
#define SBX_LL_FS_MAKE_SYM (1ull << 12)
#define SBX_LL_FS_REFER (1ull << 13)     /* ABI 2 */
#define SBX_LL_FS_TRUNCATE (1ull << 14)  /* ABI 3 */
#define SBX_LL_FS_IOCTL_DEV (1ull << 15) /* ABI 5 */

#define SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ull << 0) /* ABI 6 */
#define SBX_LL_SCOPE_SIGNAL (1ull << 1)               /* ABI 6 */

/* The newest ABI whose rights sbxc knows. */
#define SBX_LANDLOCK_ABI_MAX 7
/* The oldest ABI sbxc applies a ruleset with, whatever the policy needs:
**   3  without TRUNCATE a read-only file could still be truncated
**   5  IOCTL_DEV: ioctls on devices other than the granted nodes are refused,
**      as bubblewrap's private /dev has no others
**   6  scopes: without them the command could signal any process of its
**      user outside the sandbox (`kill -9 -1` run as root ends every root
**      process of the machine), which bubblewrap's pid namespace prevents
** On an older kernel `auto` uses bubblewrap, and a forced Landlock run is
** refused (E0706). */
#define SBX_LANDLOCK_ABI_MIN 6
/* The ABI that added TRUNCATE: every ruleset handles at least its rights. */
#define SBX_LANDLOCK_ABI_TRUNCATE 3
/* The scopes need ABI 6. */
#define SBX_LANDLOCK_ABI_SCOPES 6

/* struct landlock_ruleset_attr; the kernel accepts a prefix of it (its size
** is passed), so older kernels get only the fields they know. */
struct sbx_ll_ruleset_attr {
	uint64_t handled_access_fs;
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

/* struct landlock_path_beneath_attr (packed in the UAPI). */
struct sbx_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

/* One access right: its bit, its name in landlock.json, the first ABI. */
struct sbx_ll_right {
	uint64_t bit;
	const char *name;
	int abi;
};

static const struct sbx_ll_right sbx_ll_fs_rights[] = {
    {SBX_LL_FS_EXECUTE, "execute", 1},       {SBX_LL_FS_WRITE_FILE, "write_file", 1},
    {SBX_LL_FS_READ_FILE, "read_file", 1},   {SBX_LL_FS_READ_DIR, "read_dir", 1},
    {SBX_LL_FS_REMOVE_DIR, "remove_dir", 1}, {SBX_LL_FS_REMOVE_FILE, "remove_file", 1},
    {SBX_LL_FS_MAKE_CHAR, "make_char", 1},   {SBX_LL_FS_MAKE_DIR, "make_dir", 1},
    {SBX_LL_FS_MAKE_REG, "make_reg", 1},     {SBX_LL_FS_MAKE_SOCK, "make_sock", 1},
    {SBX_LL_FS_MAKE_FIFO, "make_fifo", 1},   {SBX_LL_FS_MAKE_BLOCK, "make_block", 1},
    {SBX_LL_FS_MAKE_SYM, "make_sym", 1},     {SBX_LL_FS_REFER, "refer", 2},
    {SBX_LL_FS_TRUNCATE, "truncate", 3},     {SBX_LL_FS_IOCTL_DEV, "ioctl_dev", 5},
};
#define SBX_LL_NFS_RIGHTS (sizeof sbx_ll_fs_rights / sizeof sbx_ll_fs_rights[0])

static const struct sbx_ll_right sbx_ll_scopes[] = {
    {SBX_LL_SCOPE_ABSTRACT_UNIX_SOCKET, "abstract_unix_socket", 6},
    {SBX_LL_SCOPE_SIGNAL, "signal", 6},
};
#define SBX_LL_NSCOPES (sizeof sbx_ll_scopes / sizeof sbx_ll_scopes[0])

/* Read access: what a readable root grants. */
#define SBX_LL_READ (SBX_LL_FS_EXECUTE | SBX_LL_FS_READ_FILE | SBX_LL_FS_READ_DIR)
/* What the standard device nodes get: read and write (and truncate, which
** `> /dev/null` needs, and ioctl, which isatty() uses). */
#define SBX_LL_DEVICE                                                                              \
	(SBX_LL_FS_READ_FILE | SBX_LL_FS_WRITE_FILE | SBX_LL_FS_TRUNCATE | SBX_LL_FS_IOCTL_DEV)

#endif
