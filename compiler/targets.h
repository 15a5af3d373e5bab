/*
** targets.h: `sbxc lint --targets`: which backend each target OS would use
** for a profile, or why none can (fail closed, E0640).
*/
#ifndef SBX_TARGETS_H
#define SBX_TARGETS_H

#include "resolve.h"

/* Bit (1u << os) per target OS. */
#define SBX_TARGET_BIT(os) (1u << (unsigned)(os))
#define SBX_TARGETS_ALL                                                                            \
	(SBX_TARGET_BIT(SBX_OS_MACOS) | SBX_TARGET_BIT(SBX_OS_LINUX) |                             \
	 SBX_TARGET_BIT(SBX_OS_WINDOWS))

/* The targets whose path flavour fits the profile: POSIX paths -> macOS and
** Linux, Windows paths -> Windows, only tokens and `~` -> all three. */
unsigned sbx_targets_default(const struct sbx_profile *p);

/* The backend a target uses for r, or SBX_BACKEND_COUNT if none can enforce
** it. Linux prefers Landlock when it is exact, else bubblewrap (the
** runtime's `auto`); Windows prefers the unelevated backend when it is
** enough, else the elevated one; macOS has Seatbelt. */
enum sbx_backend sbx_target_backend(const struct sbx_resolved *r, enum sbx_target_os os);

/* Per-target inputs of sbx_targets_check(). */
struct sbx_target_input {
	struct sbx_resolve_opts opts;
	const char *placeholders; /* defaults that were invented, for a note */
};

/* Resolves p for every target in `mask` and reports: E0640 (with each
** backend's reasons as notes) when no backend of a target can enforce it,
** else N0601 naming the backend; N0602 listing what an offline resolution
** assumed; N0603 naming the targets checked. Returns the number of targets
** that failed (resolution errors included). */
size_t sbx_targets_check(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                         bool mask_given, const struct sbx_target_input in[SBX_OS_COUNT]);

/* The parts of sbx_targets_check(), for a caller that wants to know which
** diagnostics concern which target (lint's JUnit report): N0603; the check
** of one target (returns its resolved policy, or NULL; *failed tells whether
** it counts as a failure); then the notes about all of them (N0450). */
void sbx_targets_announce(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                          bool mask_given);
struct sbx_resolved *sbx_target_check_one(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                          enum sbx_target_os os, bool mask_given,
                                          const struct sbx_target_input *in, bool *failed);
void sbx_targets_finish(struct sbx_ctx *ctx, const struct sbx_profile *p,
                        struct sbx_resolved *const rs[SBX_OS_COUNT]);

#endif
