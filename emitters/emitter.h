/*
** emitter.h: the one interface of every artifact emitter. The targets and
** their backends are listed, with each backend's emitter, in target.h.
**
** An emitter turns a resolved policy (resolve.h) into the artifact files of
** one target. It has two steps:
**
**   check  reports, as diagnostics, what its backend cannot enforce. It only
**          reads the semantic pass's verdict r->enforce[backend] (emitters
**          never re-derive what the semantic pass decided) and returns
**          SBX_OK or SBX_EUNSUPPORTED.
**   emit   writes the artifact files into a sink: an in-memory bundle (what
**          `sbxc run` executes), a directory (`sbxc compile -o DIR`) or one
**          file descriptor (`--print NAME`).
**
** Artifacts are byte-identical for identical inputs: no timestamps, fixed key
** order, paths sorted with sbx_path_cmp. Everything is arena-owned by the ctx.
*/
#ifndef SBX_EMITTER_H
#define SBX_EMITTER_H

#include "ctx.h"
#include "resolve.h"

#include <stdbool.h>
#include <stddef.h>

/* Artifact file names. */
#define SBX_ART_MANIFEST "manifest.json"
#define SBX_ART_BWRAP_ARGS "bwrap.args"
#define SBX_ART_BWRAP_JSON "bwrap.json"
#define SBX_ART_LANDLOCK_JSON "landlock.json"
#define SBX_ART_SECCOMP_BPF "seccomp.bpf"
#define SBX_ART_SECCOMP_JSON "seccomp.json"
#define SBX_ART_PROXY_JSON "proxy.json"             /* proxy-only mode (emitters/proxy.c) */
#define SBX_ART_TINYPROXY_CONF "tinyproxy.conf"     /* with domain rules */
#define SBX_ART_TINYPROXY_FILTER "tinyproxy.filter" /* with domain rules */
#define SBX_ART_WIN_PLAN "plan.json"                /* windows (emitters/windows.c) */
#define SBX_ART_WIN_SETUP "setup.ps1"
#define SBX_ART_WIN_TEARDOWN "teardown.ps1"
#define SBX_ART_WIN_RUN "run.ps1"

/* The artifact format version written into every manifest
** (spec/artifacts.md); `sbxc exec` refuses any other (E0721). */
#define SBX_ARTIFACT_VERSION 2

/* bubblewrap reads every `--ro-bind-data FD` from its own descriptor and
** closes it. The launcher opens /dev/null on FD_BASE, FD_BASE + 1, ... for
** as many data descriptors as bwrap.json says; no other descriptor above 2
** reaches bubblewrap except the launcher's own (placed after these). */
#define SBX_BWRAP_DATA_FD_BASE 3

/* SBX_SYNTH_DIR_MODE, SBX_SYNTH_FILE_MODE: resolve.h. */

/* A named file of an artifact set (arena-owned bytes). */
struct sbx_blob {
	const char *name;
	const unsigned char *data;
	size_t len;
};

/* An artifact set held in memory, in the order the files were put. */
struct sbx_bundle {
	struct sbx_blob *files;
	size_t n, cap;
};

enum sbx_sink_kind {
	SBX_SINK_BUNDLE, /* into `bundle` */
	SBX_SINK_DIR,    /* as files created in the directory `dirfd` */
	SBX_SINK_FD,     /* only the file named `only`, written to `fd` */
};

struct sbx_sink {
	enum sbx_sink_kind kind;
	struct sbx_bundle *bundle;
	int dirfd;
	int fd;
	const char *only;
	const char *dirname; /* for messages */
	bool matched;        /* FD: the named file was written */
};

struct sbx_emit_opts {
	/* Consult this machine's filesystem: which paths exist, their kinds and
	** canonical locations, and the files deny globs match. When false
	** (offline), the facts of the resolution are used and every other path
	** is assumed to be an existing directory; readable roots become
	** `--ro-bind-try`, so the artifact does not depend on this machine. */
	bool probe;
};

struct sbx_emitter {
	const char *name;         /* "bwrap", "landlock", "seccomp" */
	enum sbx_backend backend; /* whose verdict check() reads */
	enum sbx_status (*check)(struct sbx_ctx *ctx, const struct sbx_resolved *r);
	enum sbx_status (*emit)(struct sbx_ctx *ctx, const struct sbx_resolved *r,
	                        const struct sbx_emit_opts *o, struct sbx_sink *sink);
};

/* The check shared by every emitter: records the detached reasons of
** r->enforce[b] (each at most once per ctx) and returns SBX_EUNSUPPORTED
** when the backend cannot enforce r exactly. */
enum sbx_status sbx_emit_check_backend(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                                       enum sbx_backend b);

/* Puts one file into a sink. SBX_EIO (with E0717) if a directory or
** descriptor write fails. */
enum sbx_status sbx_sink_put(struct sbx_ctx *ctx, struct sbx_sink *s, const char *name,
                             const void *data, size_t len);

/* Bundles: lookup by name (NULL if absent) and adding (copied into the arena;
** a name put twice replaces the earlier bytes). */
const struct sbx_blob *sbx_bundle_get(const struct sbx_bundle *b, const char *name);
void sbx_bundle_put(struct sbx_ctx *ctx, struct sbx_bundle *b, const char *name, const void *data,
                    size_t len);

/* Serializes JSON deterministically (keys in insertion order, 2-space
** indent, trailing newline) and puts it into the sink; takes the reference. */
enum sbx_status sbx_sink_put_json(struct sbx_ctx *ctx, struct sbx_sink *s, const char *name,
                                  json_t *doc);

/* The machine architecture seccomp filters are built for ("x86_64",
** "aarch64"), or NULL when sbxc cannot build a filter on this machine. */
const char *sbx_seccomp_arch(void);

#endif
