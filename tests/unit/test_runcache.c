/*
** test_runcache.c: the pieces of the run cache (runtime/runcache.c) that
** can be checked without a sandbox: SipHash-2-4 against the reference
** vectors of the SipHash paper's authors (key 00..0f, message 00..len-1),
** and what a compile tells ctx->fs_seen it looked at.
*/
#include "ctx.h"
#include "rt_int.h"

#include <criterion/criterion.h>
#include <string.h>

static void hex(const unsigned char *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void mac(size_t len, size_t outlen, char *out)
{
	unsigned char key[16], msg[64], tag[16];
	for (int i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	rt_siphash(key, msg, len, tag, outlen);
	hex(tag, outlen, out);
}

Test(siphash, reference_vectors_64)
{
	char out[33];
	mac(0, 8, out); /* little-endian bytes of 0x726fdb47dd0e0e31 */
	cr_assert_str_eq(out, "310e0edd47db6f72");
	mac(15, 8, out); /* 0xa129ca6149be45e5, the paper's example */
	cr_assert_str_eq(out, "e545be4961ca29a1");
}

Test(siphash, reference_vectors_128)
{
	char out[33];
	mac(0, 16, out);
	cr_assert_str_eq(out, "a3817f04ba25a8e66df67214c7550293");
	mac(63, 16, out);
	cr_assert_str_eq(out, "5150d1772f50834a503e069a973fbd7c");
}

Test(siphash, every_byte_counts)
{
	unsigned char key[16] = {1}, a[40] = {0}, t1[16], t2[16];
	rt_siphash(key, a, sizeof a, t1, 16);
	for (size_t i = 0; i < sizeof a; i++) {
		a[i] ^= 1;
		rt_siphash(key, a, sizeof a, t2, 16);
		cr_assert(memcmp(t1, t2, 16) != 0, "byte %zu", i);
		a[i] ^= 1;
	}
	key[15] ^= 0x80;
	rt_siphash(key, a, sizeof a, t2, 16);
	cr_assert(memcmp(t1, t2, 16) != 0, "the key");
}

struct seen {
	int n;
	char last[256];
	enum sbx_fs_look how;
};

static void record(void *arg, const char *path, enum sbx_fs_look how)
{
	struct seen *s = arg;
	s->n++;
	snprintf(s->last, sizeof s->last, "%s", path);
	s->how = how;
}

Test(fs_seen, told_only_when_set)
{
	struct sbx_ctx *ctx = sbx_ctx_new();
	struct seen s = {0};
	sbx_fs_seen(ctx, "/x", SBX_FS_ENTRY); /* no hook: nothing happens */
	ctx->fs_seen = record;
	ctx->fs_seen_arg = &s;
	sbx_fs_seen(ctx, "/etc", SBX_FS_LIST);
	cr_assert_eq(s.n, 1);
	cr_assert_str_eq(s.last, "/etc");
	cr_assert_eq(s.how, SBX_FS_LIST);
	sbx_ctx_free(&ctx);
}
