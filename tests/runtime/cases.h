/*
** cases.h: the profile matrix of the runtime suite (matrix.c). Every case
** is run once per Linux backend. @T@ stands for the case's temporary tree;
** HOME is @T@/home and TMPDIR @T@/tmp. Tree lines: "d DIR", "f FILE"
** (content "SBXC-PROBE ..."), "t FILE TEXT" (exact content), "l LINK TARGET".
** Probe lines: "OP PATH" (PATH relative to @T@). tests/runtime/README.md
** lists the matrix.
*/
#ifndef SBX_RUNTIME_CASES_H
#define SBX_RUNTIME_CASES_H

struct tcase {
	const char *name;
	const char *toml;    /* policy file, or NULL with builtin */
	const char *builtin; /* -P NAME when there is no file */
	const char *tree;
	const char *cwd;   /* relative to @T@ */
	const char *extra; /* more sbxc arguments, space-separated */
	const char *probes;
	int landlock; /* 1 when Landlock must enforce the profile, 0 when it must not */
};

#define STD_TREE "d home\nd tmp\nf outside.txt\n"
#define NET_PROBES "tcp -\nudp -\nunixdgram net.sock\n"

static const struct tcase cases[] = {
    {
        .name = "workspace-dev",
        .toml = "default_permissions = \"dev\"\n"
                "[permissions.dev]\n"
                "description = \"everyday development\"\n"
                "[permissions.dev.workspace_roots]\n"
                "\"~/code/shared-libs\" = true\n"
                "[permissions.dev.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\":tmpdir\" = \"write\"\n"
                "\"@T@/secret.env\" = \"deny\"\n"
                "[permissions.dev.filesystem.\":workspace_roots\"]\n"
                "\".\" = \"write\"\n"
                "\"docs\" = \"read\"\n"
                "[permissions.dev.network]\n"
                "enabled = true\n",
        .tree = STD_TREE "d ws/docs\nf ws/docs/guide.md\nf ws/main.c\nf ws/ren.txt\n"
                         "f ws/del.txt\nd ws/.git\nf ws/.git/config\n"
                         "d home/code/shared-libs\nf home/code/shared-libs/lib.c\n"
                         "f secret.env\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nlist ws\nread ws/docs/guide.md\nread secret.env\n"
                  "write ws/main.c\nwrite ws/docs/guide.md\ncreate ws/new.txt\n"
                  "create ws/docs/new.md\nmkdir ws/newdir\nrename ws/ren.txt\n"
                  "unlink ws/del.txt\ncreate ws/.git/hook\nwrite ws/.git/config\n"
                  "mkdir ws/.codex\ncreate home/code/shared-libs/new.c\n"
                  "mkdir home/code/shared-libs/.git\ncreate tmp/t.txt\n"
                  "create new-outside.txt\nwrite outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "minimal-read",
        .toml = "default_permissions = \"locked\"\n"
                "[permissions.locked.filesystem]\n"
                "\":minimal\" = \"read\"\n"
                "\":workspace_roots\" = \"write\"\n"
                "\"~/.ssh\" = \"deny\"\n",
        .tree = STD_TREE "f ws/main.c\nf ws/ren.txt\nf ws/del.txt\nd home/.ssh\n"
                         "f home/.ssh/id_rsa\nf home/notes.txt\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nlist ws\nread home/notes.txt\nread home/.ssh/id_rsa\n"
                  "list home\nread outside.txt\nlist /etc\nread /etc/hostname\n"
                  "write ws/main.c\ncreate ws/new.txt\nmkdir ws/sub\nrename ws/ren.txt\n"
                  "unlink ws/del.txt\nmkdir ws/.git\ncreate ws/.agents\n"
                  "create home/new.txt\ncreate tmp/t.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "nested-carveouts",
        .toml = "default_permissions = \"nested\"\n"
                "[permissions.nested.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\"@T@/code\" = \"write\"\n"
                "\"@T@/code/.git\" = \"read\"\n"
                "\"@T@/code/secrets\" = \"deny\"\n"
                "\"@T@/code/secrets/tmp\" = \"write\"\n",
        .tree = STD_TREE "d code/.git\nf code/.git/HEAD\nf code/a.txt\nf code/ren.txt\n"
                         "f code/del.txt\nd code/secrets/tmp\nf code/secrets/key.pem\n"
                         "f code/secrets/tmp/scratch.txt\n",
        .cwd = "code",
        .probes = "read code/a.txt\nwrite code/a.txt\ncreate code/new.txt\n"
                  "rename code/ren.txt\nunlink code/del.txt\nread code/.git/HEAD\n"
                  "create code/.git/x\nwrite code/.git/HEAD\nread code/secrets/key.pem\n"
                  "list code/secrets\ncreate code/secrets/new\nmkdir code/secrets/d\n"
                  "read code/secrets/tmp/scratch.txt\nwrite code/secrets/tmp/scratch.txt\n"
                  "create code/secrets/tmp/new\nmkdir code/.agents\n"
                  "mkdir code/secrets/tmp/.git\ncreate new-outside.txt\nchmod code/a.txt\n"
                  "chmod code/.git/HEAD\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "nested-reopen",
        .toml = "default_permissions = \"reopen\"\n"
                "[permissions.reopen.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\"@T@/repo\" = \"write\"\n"
                "\"@T@/repo/a\" = \"deny\"\n"
                "\"@T@/repo/a/b\" = \"write\"\n",
        .tree = STD_TREE "f repo/top.txt\nf repo/a/hidden.txt\nd repo/a/other\n"
                         "f repo/a/other/o.txt\nf repo/a/b/open.txt\nf repo/a/b/del.txt\n",
        .cwd = "repo",
        .probes = "write repo/top.txt\ncreate repo/new.txt\nread repo/a/hidden.txt\n"
                  "list repo/a\nlist repo/a/other\ncreate repo/a/new.txt\n"
                  "read repo/a/b/open.txt\nwrite repo/a/b/open.txt\ncreate repo/a/b/new.txt\n"
                  "mkdir repo/a/b/sub\nunlink repo/a/b/del.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "readonly-net",
        .toml = "default_permissions = \"net-readonly\"\n"
                "[permissions.net-readonly]\n"
                "extends = \":read-only\"\n"
                "[permissions.net-readonly.network]\n"
                "enabled = true\n"
                "proxy_url = \"http://127.0.0.1:3128\"\n"
                "allow_local_binding = false\n",
        .tree = STD_TREE "f ws/main.c\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nlist ws\nwrite ws/main.c\ncreate ws/new.txt\n"
                  "mkdir ws/d\nunlink ws/main.c\nread outside.txt\ncreate tmp/t.txt\n"
                  "chmod ws/main.c\n" NET_PROBES,
        /* proxy-only (its proxy_url): bubblewrap's own network namespace */
        .landlock = 0,
    },
    {
        .name = "deny-globs",
        .toml = "default_permissions = \"workspace\"\n"
                "[permissions.workspace]\n"
                "extends = \":workspace\"\n"
                "[permissions.workspace.filesystem]\n"
                "glob_scan_max_depth = 4\n"
                "[permissions.workspace.filesystem.\":workspace_roots\"]\n"
                "\"**/*.env\" = \"deny\"\n",
        .tree = STD_TREE "f ws/main.c\nf ws/app.env\nd ws/sub/deep\nf ws/sub/db.env\n"
                         "f ws/sub/deep/x.env\nf ws/sub/notes.txt\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nread ws/app.env\nread ws/sub/db.env\nread ws/sub/deep/x.env\n"
                  "list ws/sub\nread ws/sub/notes.txt\nwrite ws/app.env\n"
                  "unlink ws/app.env\nrename ws/sub/db.env\nwrite ws/main.c\n"
                  "create ws/new.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "legacy-workspace-write",
        .toml = "sandbox_mode = \"workspace-write\"\n"
                "[sandbox_workspace_write]\n"
                "writable_roots = [\"@T@/cache\"]\n"
                "network_access = false\n"
                "exclude_slash_tmp = true\n",
        .tree = STD_TREE "f ws/main.c\nf cache/c.bin\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nwrite ws/main.c\ncreate ws/new.txt\ncreate cache/new.bin\n"
                  "write cache/c.bin\nmkdir cache/.git\nmkdir ws/.codex\ncreate tmp/t.txt\n"
                  "create new-outside.txt\nread outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "gitdir-pointer",
        .builtin = ":workspace",
        .tree = STD_TREE "t ws/.git gitdir: meta/main\nd ws/meta/main\nf ws/meta/main/HEAD\n"
                         "f ws/main.c\n",
        .cwd = "ws",
        .probes = "read ws/.git\nwrite ws/.git\nunlink ws/.git\nread ws/meta/main/HEAD\n"
                  "write ws/meta/main/HEAD\ncreate ws/meta/main/x\ncreate ws/meta/y\n"
                  "write ws/main.c\ncreate ws/new.txt\nmkdir ws/.agents\ncreate tmp/t.txt\n"
                  "create new-outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "restricted-minimal",
        .toml = "default_permissions = \"small\"\n"
                "[permissions.small.filesystem]\n"
                "\":minimal\" = \"read\"\n"
                "\"@T@/data\" = \"write\"\n"
                "\"@T@/data/ro\" = \"read\"\n"
                "\"@T@/docs\" = \"read\"\n",
        .tree = STD_TREE "f data/x.txt\nf data/ro/r.txt\nf docs/d.md\nf other/o.txt\n",
        .cwd = "data",
        .probes = "read data/x.txt\nwrite data/x.txt\ncreate data/new.txt\nread data/ro/r.txt\n"
                  "write data/ro/r.txt\ncreate data/ro/new\nread docs/d.md\nwrite docs/d.md\n"
                  "read other/o.txt\nlist other\nread outside.txt\nread /etc/hostname\n"
                  "create tmp/t.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "denied-files-dirs",
        .toml = "default_permissions = \"deny\"\n"
                "[permissions.deny.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\"@T@/w\" = \"write\"\n"
                "\"@T@/w/.git\" = \"write\"\n"
                "\"@T@/w/.agents\" = \"write\"\n"
                "\"@T@/w/.codex\" = \"write\"\n"
                "\"@T@/w/secret.txt\" = \"deny\"\n"
                "\"@T@/w/private\" = \"deny\"\n"
                "\"@T@/w/missing-secret\" = \"deny\"\n"
                "\"@T@/top-secret.txt\" = \"deny\"\n"
                "\"@T@/vault\" = \"deny\"\n",
        .tree = STD_TREE "f w/ok.txt\nf w/secret.txt\nf w/private/p.txt\nf top-secret.txt\n"
                         "f vault/v.txt\n",
        .cwd = "w",
        .probes = "read w/ok.txt\ncreate w/new.txt\nread w/secret.txt\nwrite w/secret.txt\n"
                  "unlink w/secret.txt\nrename w/secret.txt\nlist w/private\n"
                  "read w/private/p.txt\ncreate w/private/new\ncreate w/missing-secret\n"
                  "read top-secret.txt\nread vault/v.txt\nlist vault\nmkdir w/.git\n"
                  "read outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "network-on",
        .toml = "default_permissions = \"net\"\n"
                "[permissions.net.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\":workspace_roots\" = \"write\"\n"
                "[permissions.net.network]\n"
                "enabled = true\n",
        .tree = STD_TREE "f ws/main.c\n",
        .cwd = "ws",
        .probes =
            "read ws/main.c\ncreate ws/new.txt\nmkdir ws/.git\ncreate new-outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "workspace-builtin",
        .builtin = ":workspace",
        .tree = STD_TREE "d ws/.git\nf ws/.git/config\nf ws/main.c\nd ws/.agents\n"
                         "f ws/.agents/a.md\n",
        .cwd = "ws",
        .probes = "create ws/ok\nwrite ws/main.c\ncreate ws/.git/x\nwrite ws/.git/config\n"
                  "create ws/.agents/new\nmkdir ws/.codex\ncreate tmp/t.txt\n"
                  "create new-outside.txt\nread outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "names-explicit",
        /* A writable root whose .git, .agents and .codex are explicitly
        ** writable. Landlock refuses even this (E0614): it does not govern
        ** chmod, chown or times, and with anything writable seccomp cannot
        ** refuse them for the read-only files alone. bubblewrap's read-only
        ** mounts do: `chmod outside.txt` must fail. */
        .toml = "default_permissions = \"ll\"\n"
                "[permissions.ll.filesystem]\n"
                "\":root\" = \"read\"\n"
                "\"@T@/ll\" = \"write\"\n"
                "\"@T@/ll/.git\" = \"write\"\n"
                "\"@T@/ll/.agents\" = \"write\"\n"
                "\"@T@/ll/.codex\" = \"write\"\n",
        .tree = STD_TREE "f ll/main.c\nf ll/ren.txt\nf ll/del.txt\nd ll/.git\n",
        .cwd = "ll",
        .probes = "read ll/main.c\nwrite ll/main.c\ncreate ll/new.txt\nmkdir ll/d\n"
                  "rename ll/ren.txt\nunlink ll/del.txt\ncreate ll/.git/x\nmkdir ll/.codex\n"
                  "create tmp/t.txt\nread outside.txt\nwrite outside.txt\n"
                  "create new-outside.txt\nchmod ll/main.c\nchmod outside.txt\n" NET_PROBES,
        .landlock = 0,
    },
    {
        .name = "read-only-builtin",
        .builtin = ":read-only",
        .tree = STD_TREE "f ws/main.c\n",
        .cwd = "ws",
        .probes = "read ws/main.c\nlist ws\nwrite ws/main.c\ncreate ws/new.txt\n"
                  "unlink ws/main.c\ncreate tmp/t.txt\nread outside.txt\nchmod ws/main.c\n"
                  "chmod outside.txt\n" NET_PROBES,
        .landlock = 1,
    },
    {
        .name = "full-write-deny",
        .toml = "default_permissions = \"fw\"\n"
                "[permissions.fw.filesystem]\n"
                "\":root\" = \"write\"\n"
                "\"@T@/secret\" = \"deny\"\n",
        .tree = STD_TREE "f ws/main.c\nf secret/s.txt\n",
        .cwd = "ws",
        .probes = "write ws/main.c\ncreate ws/new.txt\ncreate new-outside.txt\n"
                  "read secret/s.txt\nlist secret\ncreate secret/new\n" NET_PROBES,
        .landlock = 0,
    },
};

#endif
