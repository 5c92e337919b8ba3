#include <stdlib.h>
#include <string.h>

#include "pooltop/strindex.h"

#define STRINDEX_MIN_CAP 16u

/* FNV-1a: ids are short, so a byte-at-a-time hash beats anything that
 * needs the length first. */
static uint32_t
strindex_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		h ^= *p;
		h *= 16777619u;
	}
	return h;
}

void
strindex_init(struct strindex *ix)
{
	ix->cap = 0;
	ix->count = 0;
	ix->keys = NULL;
	ix->vals = NULL;
}

void
strindex_free(struct strindex *ix)
{
	free(ix->keys);
	free(ix->vals);
	strindex_init(ix);
}

void
strindex_clear(struct strindex *ix)
{
	if (ix->keys)
		memset(ix->keys, 0, ix->cap * sizeof(*ix->keys));
	ix->count = 0;
}

/* Slot holding key, or the empty slot where it would go.  The table is
 * never full (load stays under 70 %), so the probe always ends. */
static uint32_t
strindex_slot(const struct strindex *ix, const char *key)
{
	uint32_t mask = ix->cap - 1;
	uint32_t i = strindex_hash(key) & mask;

	while (ix->keys[i] && strcmp(ix->keys[i], key) != 0)
		i = (i + 1) & mask;
	return i;
}

static int
strindex_grow(struct strindex *ix)
{
	uint32_t cap = ix->cap ? ix->cap * 2 : STRINDEX_MIN_CAP;
	struct strindex n = { cap, 0, NULL, NULL };

	if (cap < ix->cap)
		return -1;
	n.keys = calloc(cap, sizeof(*n.keys));
	n.vals = malloc(cap * sizeof(*n.vals));
	if (!n.keys || !n.vals) {
		free(n.keys);
		free(n.vals);
		return -1;
	}
	for (uint32_t i = 0; i < ix->cap; i++) {
		if (ix->keys[i]) {
			uint32_t s = strindex_slot(&n, ix->keys[i]);

			n.keys[s] = ix->keys[i];
			n.vals[s] = ix->vals[i];
			n.count++;
		}
	}
	free(ix->keys);
	free(ix->vals);
	*ix = n;
	return 0;
}

int
strindex_put(struct strindex *ix, const char *key, uint32_t val)
{
	uint32_t s;

	/* 70 % load keeps linear-probe chains short on the apply hot path */
	if ((uint64_t)(ix->count + 1) * 10 > (uint64_t)ix->cap * 7 &&
	    strindex_grow(ix) != 0)
		return -1;
	s = strindex_slot(ix, key);
	if (ix->keys[s])
		return 1;
	ix->keys[s] = key;
	ix->vals[s] = val;
	ix->count++;
	return 0;
}

int64_t
strindex_get(const struct strindex *ix, const char *key)
{
	uint32_t s;

	if (ix->count == 0)
		return -1;
	s = strindex_slot(ix, key);
	return ix->keys[s] ? (int64_t)ix->vals[s] : -1;
}
