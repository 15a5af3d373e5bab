/*
** target.h: the targets as data. One row per target OS says which backends
** it has (most preferred first), how each backend checks and emits a
** resolved policy, the artifact files it writes and with which modes, and
** how the target's manifest is written. One function chooses the backend
** (sbx_target_choose), and `sbxc lint --targets`, `compile`, `run` and
** `exec` all call it, so that what lint predicts is what run does.
**
** The backends themselves are enum sbx_backend (resolve.h): the semantic
** pass decides per backend whether it enforces a policy exactly
** (r->enforce[b]); this table only reads that verdict.
**
** Adding a target or a backend (emitters/README.md says it step by step):
** the enum sbx_backend entry and its verdict in compiler/enforce.c, an
** emitter (struct sbx_emitter) in emitters/<backend>.c, its artifact names
** below, and the row in emitters/targets.c. Nothing else names a backend.
*/
#ifndef SBX_TARGET_H
#define SBX_TARGET_H

#include "emitter.h"
#include "resolve.h"

#include <stdbool.h>
#include <stddef.h>

/* "Choose for me": the first backend of the target's preference order that
** enforces the policy and can run. Not a backend: no verdict is indexed by
** it. (SBX_BACKEND_COUNT means "none".) */
#define SBX_BACKEND_AUTO ((enum sbx_backend)(SBX_BACKEND_COUNT + 1))

/* One artifact file: its name in the artifact directory and the mode
** `sbxc compile -o DIR` creates it with. */
struct sbx_artifact {
	const char *name;
	unsigned mode;
};

/* A backend of a target. */
struct sbx_target_backend {
	enum sbx_backend id;
	const char *option; /* its name for --<os>-backend: "landlock", "bwrap" */
	/* check reads r->enforce[id]; emit writes `files`. NULL while the
	** target has no emitter for it (lint can still check the policy). */
	const struct sbx_emitter *emitter;
	const struct sbx_artifact *files;
	size_t nfiles;
};

struct sbx_target {
	enum sbx_target_os os;
	const char *name; /* "linux": `lint --targets`, `compile --target` */
	const struct sbx_target_backend *backends; /* most preferred first */
	size_t nbackends;
	/* Emitted whatever backend runs (Linux: the seccomp filter). */
	const struct sbx_emitter *const *shared;
	size_t nshared;
	const struct sbx_artifact *shared_files;
	size_t nshared_files;
	/* Every file the target can write, SBX_ART_MANIFEST first (`compile
	** --print` names, and what an output directory is cleared of). */
	const struct sbx_artifact *files;
	size_t nfiles;
	/* Writes SBX_ART_MANIFEST once the backends' files are in the sink;
	** `emitted[k]` says whether backends[k] wrote its files. NULL: the
	** target cannot be compiled yet. */
	enum sbx_status (*manifest)(struct sbx_ctx *ctx, const struct sbx_target *t,
	                            const struct sbx_resolved *r, const struct sbx_emit_opts *o,
	                            const bool *emitted, struct sbx_sink *sink);
};

/* The row of an OS (every OS has one), and lookup by name. */
const struct sbx_target *sbx_target_get(enum sbx_target_os os);
const struct sbx_target *sbx_target_lookup(const char *name);
/* The row of t holding backend b, or NULL. */
const struct sbx_target_backend *sbx_target_find_backend(const struct sbx_target *t,
                                                         enum sbx_backend b);
/* Parses a --<os>-backend value: "auto" (SBX_BACKEND_AUTO) or a backend's
** `option` name. */
bool sbx_target_parse_backend(const struct sbx_target *t, const char *s, enum sbx_backend *out);
/* The mode of an artifact file of any target (0644 for an unknown name). */
unsigned sbx_artifact_mode(const char *name);

/* ---- choosing the backend ---- */

/* What the chooser knows about one backend. */
struct sbx_backend_state {
	bool enforces;    /* the semantic pass's verdict: r->enforce[b].ok, or the
	                     manifest's `enforces` */
	bool emitted;     /* its artifact files exist (always true before emitting) */
	int landlock_abi; /* LINUX_LANDLOCK: the ABI the ruleset needs */
};

struct sbx_choice;

/* The machine the command runs on. lint and compile pass none: they cannot
** know it, and assume every backend runs there. */
struct sbx_host {
	/* Can backend b of c run here? When `report`, says why not with a
	** diagnostic of the runtime's own code (bubblewrap missing, the
	** kernel's Landlock ABI too old, its files missing). */
	bool (*available)(void *arg, struct sbx_ctx *ctx, const struct sbx_choice *c,
	                  enum sbx_backend b, bool report);
	void *arg;
};

struct sbx_choice {
	const struct sbx_target *target;
	enum sbx_backend forced; /* SBX_BACKEND_AUTO unless the user named one */
	const char *forced_by;   /* how: the option for E0707's help (NULL:
	                            `--<target>-backend`) */
	struct sbx_backend_state state[SBX_BACKEND_COUNT];
	/* Adds why b does not enforce the policy as notes of d: the semantic
	** pass's reasons (sbx_choice_from_resolved) or the manifest's. */
	void (*reasons)(void *arg, struct sbx_ctx *ctx, enum sbx_backend b, struct sbx_diag *d);
	void *reasons_arg;
	const struct sbx_host *host; /* NULL: lint, compile */
	/* For the refusal: the profile's name and span, and whether the target
	** was only implied (lint without --targets: a warning, W0601). */
	const char *profile;
	struct sbx_span span;
	bool implied;
};

/* Fills c from a resolved policy: the verdicts, their reasons, the profile. */
void sbx_choice_from_resolved(struct sbx_choice *c, const struct sbx_target *t,
                              const struct sbx_resolved *r);

/* The backend that runs the policy, or SBX_BACKEND_COUNT with the reason
** reported:
**   forced, and the semantic pass says it cannot enforce the policy: E0707
**           with the reasons as notes;
**   forced, and the host cannot run it: the host's diagnostic;
**   auto:   the first backend in preference order that enforces the policy
**           and the host can run; when none enforces it, E0640 (W0601 when
**           implied) with every backend's reasons as notes; when some
**           enforce it but none can run here, the host's diagnostic for the
**           last of them (the fallback).
** The caller handles a policy that disables the sandbox before asking. */
enum sbx_backend sbx_target_choose(struct sbx_ctx *ctx, const struct sbx_choice *c);

/* The backend c's target would use on a machine that runs every backend
** (what lint and compile assume): the first in preference order that
** enforces the policy, or c->forced when it does; SBX_BACKEND_COUNT when
** none (no diagnostic: sbx_target_choose() reports). */
enum sbx_backend sbx_target_preferred(const struct sbx_choice *c);

/* ---- emitting ---- */

/* Writes t's artifacts for r: the shared emitters, then each backend that
** enforces r (only `only` when it is not SBX_BACKEND_AUTO: `run` emits what
** it will execute), then the manifest. A policy no backend enforces is
** refused by sbx_target_choose first (E0640). SBX_EUNSUPPORTED when t has
** no emitters. */
enum sbx_status sbx_target_emit(struct sbx_ctx *ctx, const struct sbx_target *t,
                                const struct sbx_resolved *r, const struct sbx_emit_opts *o,
                                enum sbx_backend only, struct sbx_sink *sink);

/* ---- `sbxc lint --targets` ---- */

/* Bit (1u << os) per target OS. */
#define SBX_TARGET_BIT(os) (1u << (unsigned)(os))
#define SBX_TARGETS_ALL                                                                            \
	(SBX_TARGET_BIT(SBX_OS_MACOS) | SBX_TARGET_BIT(SBX_OS_LINUX) |                             \
	 SBX_TARGET_BIT(SBX_OS_WINDOWS))

/* The targets whose path flavour fits the profile: POSIX paths -> macOS and
** Linux, Windows paths -> Windows, only tokens and `~` -> all three. */
unsigned sbx_targets_default(const struct sbx_profile *p);

/* Per-target inputs of sbx_targets_check(). */
struct sbx_target_input {
	struct sbx_resolve_opts opts;
	const char *placeholders; /* defaults that were invented, for a note */
};

/* Resolves p for every target in `mask`, asks sbx_target_choose (no host)
** and reports: its refusal, else N0601 naming the backend; N0602 listing
** what an offline resolution assumed; N0603 naming the targets checked.
** Returns the number of targets that failed (resolution errors included). */
size_t sbx_targets_check(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                         bool mask_given, const struct sbx_target_input in[SBX_OS_COUNT]);

/* The parts of sbx_targets_check(), for a caller that wants to know which
** diagnostics concern which target (lint's JUnit report): N0603; the check
** of one target (returns its resolved policy, or NULL; *failed tells whether
** it counts as a failure); then the notes about all of them (N0450). A
** target is implied (a refusal is W0601) when the profile's paths fit every
** OS and no target was asked for. */
void sbx_targets_announce(struct sbx_ctx *ctx, const struct sbx_profile *p, unsigned mask,
                          bool mask_given);
struct sbx_resolved *sbx_target_check_one(struct sbx_ctx *ctx, const struct sbx_profile *p,
                                          enum sbx_target_os os, bool mask_given,
                                          const struct sbx_target_input *in, bool *failed);
void sbx_targets_finish(struct sbx_ctx *ctx, const struct sbx_profile *p,
                        struct sbx_resolved *const rs[SBX_OS_COUNT]);

#endif
