/*
** lints.h: `sbxc lint`'s checks of a resolved policy beyond what makes it
** invalid: what the policy says that nothing will do ("nothing is silently
** ignored": W0803-W0805, N0801) and what is legal but risky (the security
** lints W0810-W0813, each a warning a file or `--allow` can silence).
** They read the semantic pass's answers (sbx_resolved_access), never
** re-derive them.
*/
#ifndef SBX_LINTS_H
#define SBX_LINTS_H

#include "resolve.h"

/* Runs every check on r (the profile resolved for this machine, or for a
** target with probe false: then the checks that need the filesystem are
** skipped). */
void sbx_lint_resolved(struct sbx_ctx *ctx, const struct sbx_resolved *r);

#endif
