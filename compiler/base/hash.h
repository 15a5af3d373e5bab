/*
** hash.h: the one string hash of the compiler's hash indexes (TOML keys,
** trie nodes, filesystem facts).
**
** Keys such as paths are long and share long prefixes, so the hash takes
** eight bytes at a time and ends with a finalizer that spreads every input
** bit over all output bits: an index may take its slot from the low bits
** and keep the high half as a tag. Not for adversaries: the indexes probe
** linearly and stay at most half full, and every input is bounded by the
** limits in sbx_limits.h.
*/
#ifndef SBX_HASH_H
#define SBX_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SBX_HASH_SEED 0xcbf29ce484222325ull

/* Spreads every bit of h over the result. */
static inline uint64_t sbx_hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

/* The hash of s[0..n), starting from `seed` (chain a parent's hash here). */
static inline uint64_t sbx_hash_bytes(uint64_t seed, const char *s, size_t n)
{
	uint64_t h = seed ^ n;
	for (; n >= 8; n -= 8, s += 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0x9fb21c651e98df25ull;
		h ^= h >> 29;
	}
	if (n) {
		uint64_t w = 0;
		memcpy(&w, s, n);
		h = (h ^ w) * 0x9fb21c651e98df25ull;
	}
	return sbx_hash_mix(h);
}

#endif
