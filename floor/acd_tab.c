/* The hash table behind the Asterisk source's call and name lookups. */
#include <stdlib.h>
#include <string.h>

#include "pooltop/acd_tab.h"

/* FNV-1a, never 0 (0 marks an empty slot). */
static uint64_t
acd_tab_hash(const char *key, size_t len)
{
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)key[i];
		h *= 1099511628211ULL;
	}
	return h ? h : 1;
}

void
acd_tab_init(struct acd_tab *t)
{
	memset(t, 0, sizeof *t);
}

void
acd_tab_free(struct acd_tab *t)
{
	free(t->ents);
	acd_tab_init(t);
}

static int64_t
acd_tab_slot(const struct acd_tab *t, uint64_t h, const char *key, size_t len)
{
	uint32_t mask = t->cap - 1;

	if (t->cap == 0)
		return -1;
	for (uint32_t i = (uint32_t)h & mask;; i = (i + 1) & mask) {
		const struct acd_tab_ent *e = &t->ents[i];
		if (e->hash == 0)
			return -1;
		if (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)
			return i;
	}
}

int64_t
acd_tab_get(const struct acd_tab *t, const char *key, size_t len)
{
	int64_t i;

	if (len > ACD_TAB_KEY_MAX)
		return -1;
	i = acd_tab_slot(t, acd_tab_hash(key, len), key, len);
	return i < 0 ? -1 : (int64_t)t->ents[i].val;
}

static void
acd_tab_insert(struct acd_tab *t, const struct acd_tab_ent *src)
{
	uint32_t mask = t->cap - 1, i = (uint32_t)src->hash & mask;

	while (t->ents[i].hash != 0)
		i = (i + 1) & mask;
	t->ents[i] = *src;
}

static int
acd_tab_grow(struct acd_tab *t)
{
	struct acd_tab old = *t;
	uint32_t cap = t->cap ? t->cap * 2 : 256;

	if (cap == 0)
		return -1;
	t->ents = calloc(cap, sizeof *t->ents);
	if (t->ents == NULL) {
		t->ents = old.ents;
		return -1;
	}
	t->cap = cap;
	for (uint32_t i = 0; i < old.cap; i++)
		if (old.ents[i].hash != 0)
			acd_tab_insert(t, &old.ents[i]);
	free(old.ents);
	return 0;
}

int
acd_tab_put(struct acd_tab *t, const char *key, size_t len, uint32_t val)
{
	struct acd_tab_ent e;
	int64_t i;

	if (len > ACD_TAB_KEY_MAX)
		return -1;
	e.hash = acd_tab_hash(key, len);
	i = acd_tab_slot(t, e.hash, key, len);
	if (i >= 0) {
		t->ents[i].val = val;
		return 0;
	}
	/* at most half full: probes stay short */
	if ((t->count + 1) * 2 > t->cap && acd_tab_grow(t) < 0)
		return -1;
	e.val = val;
	e.len = (uint8_t)len;
	memcpy(e.key, key, len);
	e.key[len] = '\0';
	acd_tab_insert(t, &e);
	t->count++;
	return 0;
}

int
acd_tab_del(struct acd_tab *t, const char *key, size_t len)
{
	uint32_t mask, i, j;
	int64_t s;

	if (len > ACD_TAB_KEY_MAX)
		return -1;
	s = acd_tab_slot(t, acd_tab_hash(key, len), key, len);
	if (s < 0)
		return -1;
	mask = t->cap - 1;
	i = (uint32_t)s;
	/* Backward shift: move later members of the probe run into the hole
	 * when their home slot does not lie cyclically in (i, j]. */
	for (j = (i + 1) & mask; t->ents[j].hash != 0; j = (j + 1) & mask) {
		uint32_t home = (uint32_t)t->ents[j].hash & mask;
		if ((j > i && (home <= i || home > j)) || (j < i && (home <= i && home > j))) {
			t->ents[i] = t->ents[j];
			i = j;
		}
	}
	t->ents[i].hash = 0;
	t->count--;
	return 0;
}
