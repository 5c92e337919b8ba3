/*
 * move: the dashboard's side of moving agents, without a terminal — what
 * a `:move` line asks for, the moves in flight (pending until their
 * agent.moved events arrive: the reply alone is not the confirmation),
 * and the undo stack of moves this dashboard made.
 */
#ifndef POOLTOP_MOVE_H
#define POOLTOP_MOVE_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/floor.h"

#define MOVE_AGENTS_MAX 64
#define MOVE_PENDING_MAX 16
#define MOVE_UNDO_MAX 32
#define MOVE_UNKNOWN_MS 60000   /* an unanswered move is watched this long */

/* A move as the manager asked for it. */
struct move_spec {
	uint32_t n;
	char agents[MOVE_AGENTS_MAX][PROTO_ID_MAX + 1];
	char from[MOVE_AGENTS_MAX][PROTO_ID_MAX + 1];  /* each agent's pool when asked */
	char to[PROTO_ID_MAX + 1];
	char reason[PROTO_TEXT_MAX + 1];
	bool force;
	char guard[PROTO_ID_MAX + 1];   /* sent as the request's `from`: every agent
	                                   must still be there ("" = no check); an
	                                   undo always has it */
	uint32_t undo_entry;            /* an undo's entry in the stack, index + 1
	                                   (0: the newest when sent) */
};

/*
 * Parse the words after ":move": AGENT... POOL [REASON...].  Leading
 * words that are agents on the floor are the agents; the next word is the
 * pool; the rest is the reason.  With no agent words, `tagged` (floor
 * indexes, may be empty) are the agents.  0, or -1 with err naming the
 * problem ("'x' is neither an agent nor a pool on this floor").
 */
int move_parse(const struct floor *f, char **words, int n, const uint32_t *tagged, uint32_t n_tagged,
               struct move_spec *out, char *err, size_t errlen);

/* Fill a spec from floor agent indexes and a destination pool index. */
int move_spec_build(const struct floor *f, const uint32_t *agents, uint32_t n, uint32_t to,
                    const char *reason, struct move_spec *out, char *err, size_t errlen);

/* ------------------------------------------------------------ pending */

enum move_status {
	MOVE_SENT,       /* request out, nothing back */
	MOVE_ACKED,      /* the server said ok; waiting for its events */
	MOVE_UNKNOWN,    /* no answer after every retry: the server may still
	                    act on a copy it got, so its events are watched for */
};

struct move_pending {
	bool used;
	uint64_t tag;                      /* conn request tag */
	char req[PROTO_REQID_MAX + 1];     /* request id, once conn assigned it */
	enum move_status status;
	struct move_spec spec;
	bool seen[MOVE_AGENTS_MAX];        /* settled: its agent.moved arrived, or none is due */
	bool moved[MOVE_AGENTS_MAX];       /* its agent.moved arrived: it really moved */
	bool is_undo;
	uint32_t undo_of;                  /* is_undo: the undo entry (n_undo when sent) */
	uint64_t epoch, seq;               /* from the ok reply: settled once the replica
	                                      has reached seq in epoch (0: not known) */
	int64_t sent_ms;                   /* monotonic, for the latency figure */
	int64_t unknown_ms;                /* when it became MOVE_UNKNOWN */
};

struct move_undo {
	struct move_spec spec;             /* the move as made: agents, from[], to */
};

struct move_book {
	struct move_pending pending[MOVE_PENDING_MAX];
	uint64_t next_tag;
	struct move_undo undo[MOVE_UNDO_MAX];
	uint32_t n_undo;
	/* last confirmed move's latency, key to screen, for the status */
	int64_t last_latency_ms;
};

/* Record a move being sent; returns its slot or NULL when full. */
struct move_pending *move_book_send(struct move_book *b, const struct move_spec *spec, bool is_undo,
                                    int64_t now_ms);
struct move_pending *move_book_find_tag(struct move_book *b, uint64_t tag);
/* Is floor agent `id` in a move not yet confirmed by its event? */
bool move_book_is_pending(const struct move_book *b, const char *agent);

/* The reply came: ok moves to ACKED (and completes at once when every
 * event already arrived, e.g. nothing needed moving); an error drops it.
 * Returns true when the move is complete. */
bool move_book_reply(struct move_book *b, struct move_pending *p, bool ok, int64_t now_ms);
/* The reply's epoch and seq, before move_book_reply: the move is settled
 * when the replica reaches that seq, whether or not each agent got an
 * event (one already in the destination gets none; a resync folds the
 * events into a snapshot). */
void move_book_ack(struct move_pending *p, uint64_t epoch, uint64_t seq);
/* No answer at all: keep watching for its events for MOVE_UNKNOWN_MS. */
void move_book_unknown(struct move_pending *p, int64_t now_ms);
/* An agent.moved event; returns the pending move it completed, or NULL. */
struct move_pending *move_book_event(struct move_book *b, const struct proto_event *ev,
                                     int64_t now_ms);
/* The replica is at (epoch, seq): complete what that settles (another
 * epoch settles everything acknowledged: the server restarted and its
 * snapshot says where everyone is) and drop unknown moves past their
 * time.  Returns how many completed; *last gets a copy of one. */
uint32_t move_book_settle(struct move_book *b, uint64_t epoch, uint64_t seq, int64_t now_ms,
                          struct move_pending *last);

/* The undo stack: a completed move (not itself an undo) is pushed with
 * what really moved; an undo's entry is retired when the undo lands. */
void move_book_push_undo(struct move_book *b, const struct move_spec *done);
/* The most recent entry whose undo is not already in flight, reversed
 * (each agent back to its own pool, guarded by the pool it was moved to):
 * up to max specs, one per original pool; 0 when there is nothing to undo.
 * Pressing u again while an undo travels goes one step further back. */
uint32_t move_book_peek_undo(const struct move_book *b, struct move_spec *out, uint32_t max);

/* What move_book_prune took out of the undo list (the first of them). */
struct move_dropped {
	char agent[PROTO_ID_MAX + 1];
	char was[PROTO_ID_MAX + 1];        /* where this dashboard had moved it */
	char now[PROTO_ID_MAX + 1];        /* where it is on the floor now */
	bool entry_gone;                   /* its whole entry went */
};
/*
 * Take out of the undo list every agent that is no longer where this
 * dashboard's move put it (someone else moved it since: undoing would
 * overwrite their move), dropping entries left empty.  Agents in a move
 * of this dashboard still in flight are left alone.  Returns how many
 * agents were taken out; *first (may be NULL) describes one.
 */
uint32_t move_book_prune(struct move_book *b, const struct floor *f, struct move_dropped *first);
/* Drop an undo entry (index + 1, as in move_spec.undo_entry) outright: its
 * undo was refused as a conflict.  False when it is no longer there. */
bool move_book_drop_undo(struct move_book *b, uint32_t entry);

#endif
