/*
 * acd_map: Asterisk queue_log lines -> protocol events.  It keeps what the
 * log implies (calls in flight, each member's queues, pause and wrap-up)
 * and says what happened as contact.* / agent.* events through a callback,
 * in floor-clock order.  The mapping, verb by verb, and the rule for every
 * messy case are in docs/ASTERISK.md.
 *
 * Before it emits anything at time T it calls `clock(ctx, T)`, so the
 * caller can let its shift clock reach T first (statistics close on the
 * log's time exactly as on a simulated floor).
 */
#ifndef POOLTOP_ACD_MAP_H
#define POOLTOP_ACD_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/acd_qlog.h"
#include "pooltop/proto.h"
#include "pooltop/scenario.h"

/* Calls answered or finished are remembered this long (log time) so a
 * late or repeated line about them is recognised, then forgotten. */
#define ACD_DONE_KEEP_MS (3600LL * 1000)
/* A call still waiting after this long was lost from the log (no exit line
 * will come): it leaves as abandoned with exit "lost". */
#define ACD_WAIT_MAX_MS (24LL * 3600 * 1000)
/* Contacts one tenant's queue holds, as on a simulated floor: one more
 * is published queued and at once abandoned (wait 0, exit "full"), so
 * memory and every snapshot stay bounded whatever the log says. */
#define ACD_QUEUE_MAX 20000u
/* Malformed lines whose number and reason are kept for the report. */
#define ACD_BAD_KEEP 16

enum acd_count {
	ACD_C_LINES,            /* lines mapped (neither blank nor malformed) */
	ACD_C_BLANK,
	ACD_C_MALFORMED,
	ACD_C_LATE,             /* earlier than the line before: taken at the clock */
	ACD_C_DUP_ENTER,        /* ENTERQUEUE for a call already queued */
	ACD_C_ORPHAN,           /* CONNECT/COMPLETE/exit of a call never seen queued */
	ACD_C_STALE,            /* a line about a call already answered or done */
	ACD_C_SHORT,            /* a line with fewer data fields than its verb has */
	ACD_C_UNMAPPED,         /* a queue no tenant lists */
	ACD_C_LOST_END,         /* a call whose agent took another before COMPLETE */
	ACD_C_LOST_WAIT,        /* waited ACD_WAIT_MAX_MS without an exit line */
	ACD_C_NEW_AGENTS,       /* members the scenario did not know */
	ACD_C_POOL_MOVES,       /* membership changes that changed a pool */
	ACD_C_NO_POOL,          /* membership that matches no pool */
	ACD_C_FULL,             /* contacts turned away by a full queue */
	ACD_C_TOO_MANY_AGENTS,  /* new members past PROTO_AGENTS_MAX: ignored */
	ACD_C_EVENTS,           /* protocol events emitted */
	ACD_C__COUNT
};

struct acd_bad {
	uint64_t line;
	const char *why;        /* a static string */
};

struct acd_counts {
	uint64_t c[ACD_C__COUNT];
	uint64_t verb[ACD_V__COUNT];
	uint32_t n_bad;                     /* kept in bad[], first ones */
	struct acd_bad bad[ACD_BAD_KEEP];
};

typedef void (*acd_emit_fn)(void *ctx, struct proto_event *ev);
typedef void (*acd_clock_fn)(void *ctx, int64_t ts);

struct acd_map;

/* The scenario must outlive the map; agent i of the floor is scenario
 * agent i, new agents follow in the order their agent.moved says. */
struct acd_map *acd_map_new(const struct scenario *sc, int64_t start_ts,
                            acd_emit_fn emit, acd_clock_fn clock, void *ctx);
void acd_map_free(struct acd_map *m);

/* One line of the log (already parsed), numbered from 1. */
void acd_map_line(struct acd_map *m, const struct acd_qlog_line *l, uint64_t lineno);
/* A line that did not parse: counted, and kept if among the first. */
void acd_map_bad(struct acd_map *m, uint64_t lineno, const char *why);
void acd_map_blank(struct acd_map *m);
/* Let the clock reach ts with no line: wrap-ups that end before it end
 * (strictly before: a line at ts may still extend them). */
void acd_map_advance(struct acd_map *m, int64_t ts);
/* The same, including wrap-ups ending exactly at the clock (end of a
 * replay: no more lines will come). */
void acd_map_settle(struct acd_map *m);

/*
 * What the AMI says about members (docs/ASTERISK.md): `name` is the
 * member name, `iface` its interface ("" when not given).  A join or a
 * leave, a pause, and a whole rebuild from QueueStatus (begin, one call
 * per QueueMember, end: memberships and pauses become exactly those).
 */
void acd_map_ami_member(struct acd_map *m, const char *name, const char *iface,
                        const char *queue, bool add, bool paused, const char *reason);
void acd_map_ami_pause(struct acd_map *m, const char *name, bool paused, const char *reason);
void acd_map_rebuild_begin(struct acd_map *m);
void acd_map_rebuild_member(struct acd_map *m, const char *name, const char *iface,
                            const char *queue, bool paused, const char *reason);
void acd_map_rebuild_end(struct acd_map *m);

/* What a move of agent `agent` to pool `pool` asks of the PBX: fn is
 * called for each queue to join (add) or leave, with the agent's
 * interface.  -1 (nothing called) when the interface is unknown. */
typedef void (*acd_plan_fn)(void *ctx, const char *queue, const char *iface, bool add);
int acd_map_move_plan(const struct acd_map *m, uint32_t agent, uint32_t pool,
                      acd_plan_fn fn, void *ctx);

/* While a move waits for the PBX, membership changes of the agent do not
 * move its pool (the move's own agent.moved will); releasing applies what
 * came meanwhile. */
void acd_map_hold(struct acd_map *m, uint32_t agent, bool hold);

/* A move made by a request: the agent is in `pool` now, so membership
 * that matches it later is no change.  Ignored for an unknown index. */
void acd_map_set_pool(struct acd_map *m, uint32_t agent, uint32_t pool);

int64_t acd_map_now(const struct acd_map *m);
const struct acd_counts *acd_map_counts(const struct acd_map *m);
const char *acd_count_name(enum acd_count c);   /* for people */
const char *acd_count_key(enum acd_count c);    /* for the wire (ping `source`) */

#endif
