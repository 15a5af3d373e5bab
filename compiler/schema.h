/*
** schema.h: internal interface between the schema passes (tree -> IR).
**
**   config.c      the top level of a document: which profiles exist, which
**                 syntax selects one (sbx_config_read)
**   profile.c     one profile: selection, the extends chain, the merge, then
**                 the sub-tables below (sbx_profile_compile)
**   merge.c       the parent-first deep merge of profile tables (§1.7)
**   builtin.c     :read-only, :workspace, :danger-full-access as tables
**   fs_schema.c   [permissions.<name>.filesystem] -> entries
**   net_schema.c  [permissions.<name>.network] -> struct sbx_network
**   legacy_schema.c  sandbox_mode + [sandbox_workspace_write] -> a profile
**   schema_util.c type checks and suggestions shared by all of them
*/
#ifndef SBX_SCHEMA_H
#define SBX_SCHEMA_H

#include "ctx.h"
#include "ir.h"
#include "toml.h"

/* Records, for merged keys, which profile of the chain wrote them. */
struct sbx_origins;

/* The key as text for messages (escaped, arena-owned). */
const char *sbx_schema_name(struct sbx_ctx *ctx, const struct sbx_toml_key *k);
/* "a string", "an integer", ... for messages. */
const char *sbx_schema_type_phrase(enum sbx_toml_type t);
/* Checks that k's value has type t; otherwise emits E0201 naming `what`
** (e.g. "`default_permissions`") and returns false. */
bool sbx_schema_expect(struct sbx_ctx *ctx, const struct sbx_toml_key *k, enum sbx_toml_type t,
                       const char *what);
/* The candidate closest to word (edit distance <= 2), or NULL. */
const char *sbx_schema_suggest(const char *word, const char *const *cands, size_t n);
/* Emits W0201 (unknown key) with a did-you-mean help from `known`. */
void sbx_schema_unknown_key(struct sbx_ctx *ctx, const struct sbx_toml_key *k, const char *where,
                            const char *const *known, size_t nknown);
/* Is the decoded key exactly the NUL-free string s? */
bool sbx_schema_key_is(const struct sbx_toml_key *k, const char *s);

/* merge.c */
struct sbx_origins *sbx_origins_new(struct sbx_ctx *ctx);
/* Marks every key of t (recursively) as written by `profile`. */
void sbx_origins_mark(struct sbx_ctx *ctx, struct sbx_origins *o, const struct sbx_toml_table *t,
                      const char *profile);
/* Instead of marking: one profile wrote every key (a chain of one), so the
** profile of any key from the source is `profile`, without a map of 100,000
** entries for a large profile. Only for keys a mark would have reached (the
** profile's keys down to six tables deep). */
void sbx_origins_single(struct sbx_origins *o, const char *profile);
/* The profile that wrote a key, or NULL for a key without source text. */
const char *sbx_origins_get(const struct sbx_origins *o, struct sbx_span key_span);
/* Returns a new table: parent with child merged over it (tables merge
** recursively, any other child value replaces; `description` and `extends`
** of the parent are dropped). Neither input is modified; subtrees present
** on one side only are shared. Domain keys under network.domains merge by
** their normalized host name. */
struct sbx_toml_table *sbx_merge_profiles(struct sbx_ctx *ctx, const struct sbx_toml_table *parent,
                                          const struct sbx_toml_table *child);

/* builtin.c: the table of a built-in profile, or NULL for an unknown name
** or one that is not a managed profile (:danger-full-access). */
const struct sbx_toml_table *sbx_builtin_table(struct sbx_ctx *ctx, const char *name);

/* fs_schema.c, net_schema.c: fill p from a merged profile table. */
void sbx_fs_compile(struct sbx_ctx *ctx, struct sbx_profile *p, const struct sbx_toml_key *fs,
                    const struct sbx_origins *o);
void sbx_workspace_roots_compile(struct sbx_ctx *ctx, struct sbx_profile *p,
                                 const struct sbx_toml_key *roots, const struct sbx_origins *o);
/* o (may be NULL) names the profile of the chain that wrote a key, for
** messages that name a profile. */
void sbx_net_compile(struct sbx_ctx *ctx, struct sbx_profile *p, const struct sbx_toml_key *net,
                     const struct sbx_origins *o);
/* Lower-cases a host pattern and strips one trailing dot (arena string). */
const char *sbx_net_normalize_host(struct sbx_ctx *ctx, const char *s, size_t len);

/* legacy_schema.c */
const struct sbx_legacy_settings *sbx_legacy_read(struct sbx_ctx *ctx,
                                                  const struct sbx_toml_table *root);
struct sbx_profile *sbx_legacy_profile(struct sbx_ctx *ctx, const struct sbx_legacy_settings *l);

#endif
