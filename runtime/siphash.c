/*
** siphash.c: SipHash-2-4 with a 128-bit tag (Aumasson and Bernstein,
** "SipHash: a fast short-input PRF", 2012), written from the paper's
** description. The run cache (runcache.c) authenticates its entries with
** it, under a key no sandbox can read.
*/
#include "rt_int.h"

#include <string.h>

static uint64_t rotl(uint64_t x, unsigned b)
{
	return (x << b) | (x >> (64 - b));
}

static uint64_t le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

#define ROUND(v)                                                                                   \
	do {                                                                                       \
		v[0] += v[1];                                                                      \
		v[1] = rotl(v[1], 13) ^ v[0];                                                      \
		v[0] = rotl(v[0], 32);                                                             \
		v[2] += v[3];                                                                      \
		v[3] = rotl(v[3], 16) ^ v[2];                                                      \
		v[0] += v[3];                                                                      \
		v[3] = rotl(v[3], 21) ^ v[0];                                                      \
		v[2] += v[1];                                                                      \
		v[1] = rotl(v[1], 17) ^ v[2];                                                      \
		v[2] = rotl(v[2], 32);                                                             \
	} while (0)

void rt_siphash(const unsigned char key[16], const void *data, size_t len, unsigned char *out,
                size_t outlen)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v[4] = {k0 ^ 0x736f6d6570736575ull, k1 ^ 0x646f72616e646f6dull,
	                 k0 ^ 0x6c7967656e657261ull, k1 ^ 0x7465646279746573ull};
	if (outlen == 16)
		v[1] ^= 0xee;
	const unsigned char *p = data;
	size_t left = len;
	for (; left >= 8; left -= 8, p += 8) {
		uint64_t m = le64(p);
		v[3] ^= m;
		ROUND(v);
		ROUND(v);
		v[0] ^= m;
	}
	unsigned char last[8] = {0};
	memcpy(last, p, left);
	uint64_t b = ((uint64_t)len << 56) | le64(last);
	v[3] ^= b;
	ROUND(v);
	ROUND(v);
	v[0] ^= b;
	v[2] ^= outlen == 16 ? 0xee : 0xff;
	for (int r = 0; r < 4; r++)
		ROUND(v);
	uint64_t h = v[0] ^ v[1] ^ v[2] ^ v[3];
	for (int i = 0; i < 8; i++)
		out[i] = (unsigned char)(h >> (8 * i));
	if (outlen != 16)
		return;
	v[1] ^= 0xdd;
	for (int r = 0; r < 4; r++)
		ROUND(v);
	h = v[0] ^ v[1] ^ v[2] ^ v[3];
	for (int i = 0; i < 8; i++)
		out[8 + i] = (unsigned char)(h >> (8 * i));
}
