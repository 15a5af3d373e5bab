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
** expands them to concrete files at emit time). Each mask takes 5 or 6 of
** the words bubblewrap accepts (SBX_MAX_BWRAP_WORDS: `--perms 0000
** --ro-bind-data FD FILE`, or a tmpfs remounted read-only), so 1024 leave
** room for the profile's other mounts within SBX_MAX_BWRAP_ARGS_FILE. Codex
** stops at 8192, which bubblewrap could never start with. Each mask also
** costs sbxc a descriptor. */
#define SBX_MAX_GLOB_MATCHES 1024u

/* E0013. Bytes of one artifact file (manifest.json, bwrap.json, ...): what
** `sbxc compile` and `sbxc run` may produce and what `sbxc exec` reads, the
** same constant on both sides so that exec accepts whatever compile wrote.
** The facts and observations of a 100,000-entry profile take about 56 MB;
** 256 MiB leaves room for several times that while bounding the memory
** exec spends parsing it (jansson takes about ten times the text). */
#define SBX_MAX_ARTIFACT_BYTES (256u * 1024u * 1024u)

/* E0014. Words bubblewrap accepts on its command line and in its `--args`
** file together: bubblewrap's own MAX_ARGS (9000 in 0.4 to 0.11), past
** which it refuses to start. Each mount takes three words. */
#define SBX_MAX_BWRAP_WORDS 9000u

/* E0014. Words of bwrap.args: SBX_MAX_BWRAP_WORDS less what `sbxc run` and
** `exec` add on bubblewrap's command line (about 15 words for the launcher
** and the command with up to 985 arguments; more is E0015 at launch). */
#define SBX_MAX_BWRAP_ARGS_FILE 8000u

_Static_assert(SBX_MAX_BWRAP_ARGS_FILE < SBX_MAX_BWRAP_WORDS,
               "the launcher's words must fit next to bwrap.args");
_Static_assert(6 * SBX_MAX_GLOB_MATCHES < SBX_MAX_BWRAP_ARGS_FILE,
               "the masks of the deny-glob matches must fit in bwrap.args");

/* Bytes in one proxy URL (a proxy variable or `proxy_url`). A longer value is
** an unusable endpoint: reported with the proxy decision (W0450, E0451), never
** used. Real proxy URLs are a few dozen bytes. */
#define SBX_MAX_PROXY_URL_BYTES 2048u

/* E0694. Domain rules a filtering proxy is generated for: each deny rule is
** checked against each allow rule, and tinyproxy tries its patterns one
** by one on every request. */
#define SBX_MAX_FILTER_DOMAINS 4096u

/* Entries the cache of compiled runs keeps (runtime/runcache.c): storing
** one more removes the oldest. An entry is a few kilobytes to a few
** megabytes; a user runs a handful of profiles in a handful of
** directories. No diagnostic: past it sbxc compiles again, as without the
** cache (SBXC_CACHE_LOG says so). */
#define SBX_MAX_RUN_CACHE_ENTRIES 64u

/* Bytes of one entry of the cache of compiled runs: a larger compile is
** not stored, a larger file is a miss (no diagnostic, as above). */
#define SBX_MAX_RUN_CACHE_ENTRY_BYTES (16u * 1024u * 1024u)

#endif
