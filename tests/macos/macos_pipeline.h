/*
** macos_pipeline.h: the macOS pipeline (TOML -> profile -> resolved policy
** -> Seatbelt artifacts) as the test programs macos_batch and portable_main
** both run it.
*/
#ifndef SBX_TEST_MACOS_PIPELINE_H
#define SBX_TEST_MACOS_PIPELINE_H

#include "ctx.h"
#include "emitter.h"
#include "ir.h"

#include <stddef.h>

/* Compiles TEXT (LEN bytes, named NAME) for `--target macos` as the CLI does
** on a host that is not a Mac: POSIX paths, cwd CWD, home HOME, no tmpdir,
** offline. Returns the resolved policy with *B filled with the artifacts, or
** NULL when the profile has errors or the backend refuses it. */
struct sbx_resolved *sbx_test_macos_compile(struct sbx_ctx *ctx, const char *name, const char *text,
                                            size_t len, const char *cwd, const char *home,
                                            struct sbx_bundle *b);

#endif
