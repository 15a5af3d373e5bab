/*
** bench_compile.c: times the whole compile of one policy file, the way
** `sbxc ir` or `sbxc run` does it before emitting anything: read the file,
** parse the TOML, read the configuration, compile the selected profile to
** the IR and resolve it (views, carve-outs with their filesystem probes,
** legacy round trip, every backend's verdict). One compile per process, as
** a command would do it (run.sh starts it several times and takes the
** median): repeating inside one process would let later runs reuse the heap
** the first one faulted in, which flatters small profiles. Prints the wall
** time of the compile and the process's peak RSS.
**
** usage: bench_compile FILE
*/
#include "ctx.h"
#include "ir.h"
#include "resolve.h"
#include "toml.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One compile; returns the number of writable roots (so nothing is dead
** code), or -1 on an error in the input. */
static long compile_once(const char *file, size_t *nentries)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	long result = -1;
	uint32_t id;
	enum sbx_status st = sbx_ctx_load_file(ctx, file, &id);
	const struct sbx_toml_table *root = st == SBX_OK ? sbx_toml_parse(ctx, id, &st) : NULL;
	struct sbx_config cfg;
	if (root && sbx_config_read(ctx, root, &cfg) == SBX_OK) {
		struct sbx_profile *p = sbx_profile_compile(ctx, &cfg, NULL, SBX_NO_SPAN);
		if (p) {
			struct sbx_resolve_opts o = {
			    .flavor = SBX_FLAVOR_POSIX,
			    .cwd = "/bench/ws/r0",
			    .home = "/bench/home",
			    .tmpdir = "/bench/tmp",
			    .probe = true,
			};
			struct sbx_resolved *r = sbx_resolve(ctx, p, &o);
			*nentries = p->nentries;
			if (r)
				result = (long)r->nwritable_roots;
		}
	}
	if (result < 0)
		sbx_diag_render_all(ctx, stderr, NULL, true);
	sbx_ctx_free(&ctx);
	return result;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: bench_compile FILE\n");
		return 2;
	}
	size_t nentries = 0;
	double t0 = now_ms();
	long roots = compile_once(argv[1], &nentries);
	double t = now_ms() - t0;
	if (roots < 0)
		return 1;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("%zu entries, %ld writable roots, %.2f ms, peak RSS %ld KiB\n", nentries, roots, t,
	       ru.ru_maxrss);
	return 0;
}
