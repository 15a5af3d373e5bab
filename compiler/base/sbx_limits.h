/*
** sbx_limits.h: every hard limit of sbxc, with the reason for its value.
**
** Each limit has its own diagnostic code (diag.def) so that hitting it is a
** clear error, never a crash, a hang or a silent truncation. Limits are floors
** for real configurations: a Codex config.toml is a few kilobytes, and the
** benchmark profiles go up to 100,000 filesystem entries.
*/
#ifndef SBX_LIMITS_H
#define SBX_LIMITS_H

/* E0002. Input file size. 32 MiB holds a million short entries; a larger file
** is not a hand-written policy and would only let input size drive memory. */
#define SBX_MAX_INPUT_BYTES (32u * 1024u * 1024u)

/* E0005. Nesting of arrays and inline tables in one value. Bison's stack and
** the recursive tree walkers (JSON output, merge) are bounded by this. */
#define SBX_MAX_NESTING 128

/* E0006. Keys and array elements in one document, counted together. Each
** costs a few dozen bytes of arena; this caps memory at a few hundred MiB. */
#define SBX_MAX_VALUES 2000000u

/* E0007. Components of one dotted key or table header (a.b.c...). */
#define SBX_MAX_KEY_PARTS 128

/* E0008. Diagnostics kept for one run; further ones are counted, not stored,
** and a final note says how many were left out. */
#define SBX_MAX_DIAGNOSTICS 200

/* E0009. Bytes in one filesystem path (Linux PATH_MAX, and the Windows
** long-path limit in UTF-8 is of the same order). */
#define SBX_MAX_PATH_BYTES 4096u

/* E0010. Profiles in one `extends` chain. Cycles are a separate error; this
** bounds pathological but acyclic chains. */
#define SBX_MAX_EXTENDS_DEPTH 64

/* E0011. Workspace roots of one resolution (profile + command line). Each
** root multiplies the `:workspace_roots` entries. */
#define SBX_MAX_WORKSPACE_ROOTS 256

/* E0012. Rules and deny patterns of one resolution: entries bound to paths,
** `:workspace_roots` ones once per root. A million is what the largest input
** file holds with one root; without this bound, 256 roots times the entries
** of a few hundred kilobytes of policy take gigabytes and minutes. */
#define SBX_MAX_RESOLVED_RULES 1000000u

/* E0712. Files one run masks for the deny globs of a profile (Linux
** expands them to concrete files at emit time). Codex stops at the same
** number; each mask costs bubblewrap a mount and sbxc a descriptor. */
#define SBX_MAX_GLOB_MATCHES 8192u

/* Bytes in one proxy URL (a proxy variable or `proxy_url`). A longer value is
** an unusable endpoint: reported with the proxy decision (W0450, E0451), never
** used. Real proxy URLs are a few dozen bytes. */
#define SBX_MAX_PROXY_URL_BYTES 2048u

/* E0694. Domain rules a filtering proxy is generated for: each deny rule is
** checked against each allow rule, and tinyproxy tries its patterns one
** by one on every request. */
#define SBX_MAX_FILTER_DOMAINS 4096u

#endif
