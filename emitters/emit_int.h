/*
** emit_int.h: what the emitters share privately (not part of emitter.h).
*/
#ifndef SBX_EMIT_INT_H
#define SBX_EMIT_INT_H

#include "emitter.h"
#include "target.h"

#include <jansson.h>
#include <stdbool.h>

extern const struct sbx_emitter sbx_emitter_bwrap;
extern const struct sbx_emitter sbx_emitter_landlock;
extern const struct sbx_emitter sbx_emitter_seccomp;
extern const struct sbx_emitter sbx_emitter_sbpl;

/* The manifest writer of the macOS row (sbpl.c). */
enum sbx_status sbx_macos_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                   const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                   const bool *emitted, struct sbx_sink *sink);
extern const struct sbx_emitter sbx_emitter_win_elevated;
extern const struct sbx_emitter sbx_emitter_win_unelevated;

/* The manifest writer of the Windows row (windows.c). */
enum sbx_status sbx_windows_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                     const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                     const bool *emitted, struct sbx_sink *sink);

/* The manifest writer of the Linux row (linux.c). */
enum sbx_status sbx_linux_manifest(struct sbx_ctx *ctx, const struct sbx_target *t,
                                   const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                   const bool *emitted, struct sbx_sink *sink);

/* A JSON array of strings (new reference). */
json_t *sbx_emit_json_strings(const char *const *v, size_t n);

/* The effective access the mounts and rules realise for a path: the
** semantic pass's answer (a write refused by a protected name is `read`). */
enum sbx_access sbx_emit_access(const struct sbx_resolved *r, const char *path);

/* Instruction count of the seccomp program built for r (0 on failure). */
size_t sbx_seccomp_instructions(struct sbx_ctx *ctx, const struct sbx_resolved *r);

/* proxy.c: the proxy-only mode of the Linux target (proxy.json, the
** tinyproxy configuration) and its seccomp rules. */
enum sbx_status sbx_emit_proxy(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               struct sbx_sink *sink);
/* The names of the files sbx_emit_proxy() writes for r (at most 3). */
size_t sbx_proxy_files(const struct sbx_resolved *r, const char **files);
/* Adds the proxy-only rules to a libseccomp filter (a scmp_filter_ctx). */
bool sbx_seccomp_proxy_rules(void *filter);
/* Their description in seccomp.json: rules appended to `rules`. */
void sbx_seccomp_proxy_describe(json_t *o, json_t *rules);

#endif
