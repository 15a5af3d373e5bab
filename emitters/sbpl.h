/*
** sbpl.h: the macOS target: a Seatbelt profile (SBPL) and the sandbox-exec
** invocation that runs it, from the semantic pass's macOS view (macos.h).
**
** Artifacts: profile.sb (the profile text: no path of the policy appears in
** it, every one is a `(param "NAME")`), params.json (an object, parameter
** name -> value, in the order they are passed), argv.json (the full argv of
** sandbox-exec as an array of strings, ending in `--`, without the command)
** and manifest.json.
*/
#ifndef SBX_SBPL_H
#define SBX_SBPL_H

#include "emitter.h"
#include "strbuf.h"

#include <stdbool.h>
#include <stddef.h>

#define SBX_ART_SBPL_PROFILE "profile.sb"
#define SBX_ART_SBPL_PARAMS "params.json"
#define SBX_ART_SBPL_ARGV "argv.json"
#define SBX_SANDBOX_EXEC "/usr/bin/sandbox-exec"

/* The one escaping helper for text that becomes a Seatbelt regex (POSIX
** ERE): appends s[0..n) with every ERE metacharacter (`.[](){}*+?^$|\`)
** escaped by a backslash; with `ci`, every ASCII letter becomes the class of
** its two cases (`a` -> `[Aa]`). Other bytes are copied. */
void sbx_sbpl_regex_append(struct sbx_strbuf *sb, const char *s, size_t n, bool ci);

/* The anchored, case-insensitive regex of a deny glob (glob.h syntax without
** `?` or classes, which the semantic pass refuses for Seatbelt): `*` ->
** `[^/]*`, a `**` component -> any number of components (one or more at the
** end), an unclosed `[` literal; the path's descendants match too
** (`(/.*)?$`). Arena string. */
const char *sbx_sbpl_glob_regex(struct sbx_ctx *ctx, const char *pattern);

/* Appends a string as an SBPL string literal ("..." with `\\` and `\"`). */
void sbx_sbpl_quote(struct sbx_strbuf *sb, const char *s);

/* The macOS target: checks the macos-seatbelt verdict and emits the four
** artifacts into the sink. */
enum sbx_status sbx_emit_macos(struct sbx_ctx *ctx, const struct sbx_resolved *r,
                               const struct sbx_emit_opts *o, struct sbx_sink *sink);

#endif
