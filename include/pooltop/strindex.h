/*
 * strindex: an open-addressing hash from short id strings to array
 * indexes.  Keys are not copied: each entry points at a string owned by
 * the caller's array element, so the caller must rebuild the index when
 * that array moves (strindex_rebuild).
 */
#ifndef POOLTOP_STRINDEX_H
#define POOLTOP_STRINDEX_H

#include <stddef.h>
#include <stdint.h>

struct strindex {
	uint32_t cap;      /* power of two, or 0 */
	uint32_t count;
	const char **keys; /* NULL = empty slot */
	uint32_t *vals;
};

void strindex_init(struct strindex *ix);
void strindex_free(struct strindex *ix);
void strindex_clear(struct strindex *ix);
/* 0 on success, 1 if the key exists (value unchanged), -1 on no memory. */
int strindex_put(struct strindex *ix, const char *key, uint32_t val);
/* The value, or -1 when absent. */
int64_t strindex_get(const struct strindex *ix, const char *key);

#endif
