/*
 * acd_tab: an open-addressing hash from short byte strings (copied in) to
 * uint32 values, with deletion (backward shift, no tombstones), for the
 * calls and agent names of the Asterisk source.  Keys longer than
 * ACD_TAB_KEY_MAX are refused, so memory per entry is fixed.
 */
#ifndef POOLTOP_ACD_TAB_H
#define POOLTOP_ACD_TAB_H

#include <stddef.h>
#include <stdint.h>

#define ACD_TAB_KEY_MAX 95

struct acd_tab_ent {
	uint64_t hash;          /* 0 = empty */
	uint32_t val;
	uint8_t len;
	char key[ACD_TAB_KEY_MAX + 1];
};

struct acd_tab {
	uint32_t cap;           /* power of two, or 0 */
	uint32_t count;
	struct acd_tab_ent *ents;
};

void acd_tab_init(struct acd_tab *t);
void acd_tab_free(struct acd_tab *t);
/* The value, or -1 when absent. */
int64_t acd_tab_get(const struct acd_tab *t, const char *key, size_t len);
/* 0 added or replaced, -1 key too long or no memory. */
int acd_tab_put(struct acd_tab *t, const char *key, size_t len, uint32_t val);
/* 0 removed, -1 absent. */
int acd_tab_del(struct acd_tab *t, const char *key, size_t len);

#endif
