/*
 * store: pooltopd's durable state in SQLite (WAL, synchronous=FULL) —
 * agent assignments, the move audit, replies to move requests by id
 * (so a retried id never moves twice, even across restarts), closed-shift
 * history and the epoch counter.  A move is committed here before it is
 * acknowledged or published.
 */
#ifndef POOLTOP_STORE_H
#define POOLTOP_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/proto.h"

struct store;

/* Opens (creating DIR and its database if needed). 0, or -1 with err. */
int store_open(struct store **st, const char *dir, char *err, size_t errlen);
void store_close(struct store *st);
const char *store_errmsg(const struct store *st);
/* How long a call waits for a lock another process holds before it fails
 * (store_open sets 5 s).  pooltopd lowers it once it runs, so that a
 * locked database costs its loop milliseconds, not seconds. */
void store_set_busy_ms(struct store *st, int ms);
/* Whether the last failure was SQLITE_BUSY/SQLITE_LOCKED: another
 * connection holds the lock, and the same call may succeed later. */
bool store_busy(const struct store *st);

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

/* The same, and each agent's loan: until[i] > 0 puts rows[i].agent on
 * loan until then (floor ms), 0 ends any loan it had (until NULL: all 0;
 * store_move_commit passes NULL, so every move ends its agents' loans). */
int store_move_commit_loans(struct store *st, const char *req_id, uint64_t req_digest,
                            const struct proto_audit_row *rows, const int64_t *until, uint32_t n,
                            const uint8_t *reply, size_t reply_len);
/* Every agent on loan and when it ends. Callback returns 0 to go on. */
typedef int (*store_loan_fn)(const char *agent, int64_t until, void *ctx);
int store_loans_each(struct store *st, store_loan_fn fn, void *ctx);

/* A stored reply for req_id: 1 found (reply and digest filled), 0 none, -1 error. */
int store_reply_find(struct store *st, const char *req_id, uint64_t *req_digest,
                     struct proto_buf *reply);

/* Replies of moves that changed nothing are kept in memory only (the
 * newest STORE_KEPT_MAX): store_reply_find finds them like committed
 * ones for as long as the store is open. */
#define STORE_KEPT_MAX 4096
int store_reply_keep(struct store *st, const char *req_id, uint64_t req_digest,
                     const uint8_t *reply, size_t reply_len);

/* Stored move replies (what makes a retried id idempotent) are kept this
 * long, by the wall clock: a retry after that is a new move.  The audit
 * record is never deleted. */
#define STORE_REPLY_KEEP_MS (7LL * 24 * 3600 * 1000)
/* Delete the replies older than that; how many went, or -1. */
int store_expire(struct store *st, int64_t now_ms);

/* Closed shifts kept: the newest this many (by start), which is as far
 * back as a history request may ask; older rows go with each close. */
#define STORE_HISTORY_SHIFTS_KEEP 1000

/* Append closed-shift rows (one transaction). */
int store_history_add(struct store *st, const struct proto_stats_row *rows, uint32_t n);
/* Record the rows of a shift that closed, for the run `epoch`: the same
 * run may record a row again (replacing it), but a row another run
 * recorded is never replaced; *refused counts those (0 = all stored). */
int store_history_close(struct store *st, const struct proto_stats_row *rows, uint32_t n,
                        uint64_t epoch, uint32_t *refused);
/* The same with each row's sl_intervals (sl[i] goes with rows[i]; NULL:
 * none known).  Busy and break time go with a row that has_busy.  What a
 * row does not carry is stored as not known and reads back so. */
int store_history_close_sl(struct store *st, const struct proto_stats_row *rows,
                           const struct proto_sl_row *sl, uint32_t n, uint64_t epoch,
                           uint32_t *refused);

/* The current shift's counters, saved every few seconds so that a
 * restart resumes them: which run counted them, how much of the shift
 * they miss (gap_ms: before the server started, or while it was down),
 * and the floor time they were saved at. */
struct store_live {
	uint64_t epoch;
	int64_t gap_ms;
	int64_t saved_ts;
};
/* Replace the saved rows with these (one transaction). */
int store_live_save(struct store *st, const struct proto_stats_row *rows, uint32_t n,
                    const struct store_live *lv);
int store_live_save_sl(struct store *st, const struct proto_stats_row *rows,
                       const struct proto_sl_row *sl, uint32_t n, const struct store_live *lv);
/* The saved rows (*rows malloc'd, *n 0 when none). */
int store_live_load(struct store *st, struct proto_stats_row **rows, uint32_t *n,
                    struct store_live *lv);
/* The same with the rows' sl_intervals: *sl malloc'd, parallel to *rows,
 * or NULL when no row has any (an entry with n 0: that row has none). */
int store_live_load_sl(struct store *st, struct proto_stats_row **rows, struct proto_sl_row **sl,
                       uint32_t *n, struct store_live *lv);
int store_live_clear(struct store *st);

/* Rows of the newest `shifts` closed shifts (by start_ts), optionally of one
 * tenant, oldest first.  *rows is malloc'd; free() it. */
int store_history_query(struct store *st, uint32_t shifts, const char *tenant,
                        struct proto_stats_row **rows, uint32_t *n);
/* The same with their sl_intervals, as store_live_load_sl gives them.
 * Rows recorded before busy, break and sl_intervals were kept come back
 * with has_busy false and no sl_intervals: not known, not 0. */
int store_history_query_sl(struct store *st, uint32_t shifts, const char *tenant,
                           struct proto_stats_row **rows, struct proto_sl_row **sl,
                           uint32_t *n);

/* The newest `limit` audit rows, oldest first. *rows is malloc'd. */
int store_audit_query(struct store *st, uint32_t limit,
                      struct proto_audit_row **rows, uint32_t *n);
/* The newest audit row of one agent: 1 found, 0 none, -1 error. */
int store_audit_last(struct store *st, const char *agent, struct proto_audit_row *row);

#endif
