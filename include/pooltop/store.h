/*
 * store: pooltopd's durable state in SQLite (WAL, synchronous=FULL) —
 * agent assignments, the move audit, replies to move requests by id
 * (so a retried id never moves twice, even across restarts), closed-shift
 * history and the epoch counter.  A move is committed here before it is
 * acknowledged or published.
 */
#ifndef POOLTOP_STORE_H
#define POOLTOP_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "pooltop/proto.h"

struct store;

/* Opens (creating DIR and its database if needed). 0, or -1 with err. */
int store_open(struct store **st, const char *dir, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);

/* Bump and return the persisted epoch counter (1 on a new state directory).
 * The server's epoch is derived from it and the wall clock (server_open). */
int store_next_epoch(struct store *st, uint64_t *epoch);

/* Every persisted agent -> pool assignment. Callback returns 0 to go on. */
typedef int (*store_assignment_fn)(const char *agent, const char *pool, void *ctx);
int store_assignments_each(struct store *st, store_assignment_fn fn, void *ctx);

/*
 * Commit one move request in one transaction: the new assignment of every
 * agent, an audit row each, and the encoded reply under req_id with a
 * digest of the request (so the same id with a different request can be
 * told apart).  Returns 0 once it is durable.
 */
int store_move_commit(struct store *st, const char *req_id, uint64_t req_digest,
                      const struct proto_audit_row *rows, uint32_t n,
                      const uint8_t *reply, size_t reply_len);

/* A stored reply for req_id: 1 found (reply and digest filled), 0 none, -1 error. */
int store_reply_find(struct store *st, const char *req_id, uint64_t *req_digest,
                     struct proto_buf *reply);

/* Append closed-shift rows (one transaction). */
int store_history_add(struct store *st, const struct proto_stats_row *rows, uint32_t n);
/* Rows of the newest `shifts` closed shifts (by start_ts), optionally of one
 * tenant, oldest first.  *rows is malloc'd; free() it. */
int store_history_query(struct store *st, uint32_t shifts, const char *tenant,
                        struct proto_stats_row **rows, uint32_t *n);

/* The newest `limit` audit rows, oldest first. *rows is malloc'd. */
int store_audit_query(struct store *st, uint32_t limit,
                      struct proto_audit_row **rows, uint32_t *n);
/* The newest audit row of one agent: 1 found, 0 none, -1 error. */
int store_audit_last(struct store *st, const char *agent, struct proto_audit_row *row);

#endif
