/*
 * keystore: who may connect to pooltopd and what they may do.  A text
 * file, one key per line:
 *
 *     PUBLIC_KEY_Z85 NAME ROLE SCOPE
 *
 * ROLE is viewer, manager or admin; SCOPE is `*` (every tenant) or tenant
 * ids separated by commas.  `#` at the start of a line or after a blank
 * starts a comment (a Z85 key may contain `#` itself); blank lines are skipped.
 * NAME is what the audit and agent.moved record as `by`.
 */
#ifndef POOLTOP_KEYSTORE_H
#define POOLTOP_KEYSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/keyfile.h"
#include "pooltop/proto.h"

#define KEYSTORE_KEYS_MAX 10000
#define KEYSTORE_SCOPE_MAX 1000      /* tenants in one key's scope */
#define KEYSTORE_LINE_MAX 65536

enum keystore_role { KEYSTORE_VIEWER, KEYSTORE_MANAGER, KEYSTORE_ADMIN };

struct keystore_key {
	uint8_t pub[32];
	char z85[KEYFILE_Z85_LEN + 1];
	char name[PROTO_ID_MAX + 1];
	enum keystore_role role;
	bool all;                         /* scope `*` */
	uint32_t n_scope;
	char (*scope)[PROTO_ID_MAX + 1];  /* sorted */
};

struct keystore {
	uint32_t n;
	struct keystore_key *keys;        /* sorted by pub */
};

/* Load FILE into ks (which is overwritten, not freed).  0, or -1 with err
 * naming the file and line; ks is then empty. */
int keystore_load(struct keystore *ks, const char *path, char *err, size_t errlen);
void keystore_free(struct keystore *ks);
/* A deep copy of src into dst (overwritten), sharing nothing with it: the
 * ZAP thread answers from its own copy.  0, or -1 (out of memory) with dst
 * empty. */
int keystore_copy(struct keystore *dst, const struct keystore *src);

const struct keystore_key *keystore_find(const struct keystore *ks, const uint8_t pub[32]);
const struct keystore_key *keystore_find_z85(const struct keystore *ks, const char *z85);
const struct keystore_key *keystore_find_name(const struct keystore *ks, const char *name);

/* Whether tenant id is in the key's scope (always, for `*`). */
bool keystore_in_scope(const struct keystore_key *k, const char *tenant);
/* Whether two keys grant the same (role and scope). */
bool keystore_same_grant(const struct keystore_key *a, const struct keystore_key *b);

const char *keystore_role_name(enum keystore_role r);

#endif
