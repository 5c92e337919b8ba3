/*
 * proto: protocol v1 messages as plain C structs, their msgpack encoding
 * (msgpack-c packer) and a bounded decoder for untrusted input.
 *
 * The decoder never trusts a container header: every count is checked
 * against the bytes that remain (each element needs at least one byte)
 * and against the limits below before anything is allocated.  See
 * proto/PROTOCOL.md for the wire contract these structs mirror.
 */
#ifndef POOLTOP_PROTO_H
#define POOLTOP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PROTO_VERSION 1
#define PROTO_TOPIC "pt1"

/* Limits (bytes exclude the terminating NUL the structs add). */
#define PROTO_ID_MAX 32         /* tenant, agent, pool, shift ids, `by` */
#define PROTO_NAME_MAX 64       /* display names (UTF-8) */
#define PROTO_REQID_MAX 64      /* request `id`, event `req` */
#define PROTO_TEXT_MAX 256      /* `reason`, `msg` */
#define PROTO_HHMM_MAX 5        /* "HH:MM" */
#define PROTO_MOVE_AGENTS_MAX 1024
#define PROTO_TENANTS_MAX 10000
#define PROTO_POOLS_MAX 10000
#define PROTO_AGENTS_MAX 100000
#define PROTO_SHIFTS_MAX 24
#define PROTO_QUEUE_CONTACTS_MAX 100000 /* per tenant in a snapshot */
#define PROTO_INTERVALS_MAX 96  /* 15-minute intervals in a 24 h shift */
#define PROTO_ROWS_MAX 100000   /* history / audit rows in one reply */
#define PROTO_DEPTH_MAX 8       /* nesting allowed inside unknown fields */
#define PROTO_EVENT_BYTES_MAX 4096
#define PROTO_REQUEST_BYTES_MAX 65536
#define PROTO_REPLY_BYTES_MAX (64u * 1024u * 1024u)

/* Decode errors.  Negative so a caller can return them through an int. */
enum proto_err {
	PROTO_OK = 0,
	PROTO_E_TRUNCATED = -1,   /* input ended inside a value */
	PROTO_E_TYPE = -2,        /* a value has the wrong msgpack type */
	PROTO_E_LIMIT = -3,       /* a string, array or nesting exceeds a limit */
	PROTO_E_MISSING = -4,     /* a required field is absent */
	PROTO_E_TRAILING = -5,    /* bytes remain after the top-level map */
	PROTO_E_VALUE = -6,       /* right type, impossible value (v, enum) */
	PROTO_E_NOMEM = -7,
	PROTO_E_INVALID = -8,     /* not msgpack at all (reserved byte 0xc1) */
};
const char *proto_strerror(int err);

enum proto_channel { PROTO_CH_VOICE, PROTO_CH_CHAT, PROTO_CH_EMAIL, PROTO_CH__COUNT };
enum proto_agent_state {
	PROTO_AS_OFFLINE, PROTO_AS_IDLE, PROTO_AS_BUSY, PROTO_AS_WRAP,
	PROTO_AS_BREAK, PROTO_AS__COUNT
};
enum proto_model { PROTO_MODEL_SHARED, PROTO_MODEL_DEDICATED, PROTO_MODEL_HYBRID, PROTO_MODEL__COUNT };
enum proto_pool_kind { PROTO_POOL_SHARED, PROTO_POOL_DEDICATED, PROTO_POOL__COUNT };

const char *proto_channel_name(enum proto_channel c);
const char *proto_agent_state_name(enum proto_agent_state s);
const char *proto_model_name(enum proto_model m);
const char *proto_pool_kind_name(enum proto_pool_kind k);
/* Name -> enum; -1 when unknown. */
int proto_channel_parse(const char *s);
int proto_agent_state_parse(const char *s);
int proto_model_parse(const char *s);
int proto_pool_kind_parse(const char *s);

/* ---------------------------------------------------------------- events */

enum proto_event_type {
	PROTO_EV_HB,
	PROTO_EV_CONTACT_QUEUED,
	PROTO_EV_CONTACT_ANSWERED,
	PROTO_EV_CONTACT_ABANDONED,
	PROTO_EV_CONTACT_ENDED,
	PROTO_EV_CONTACT_WRAPPED,
	PROTO_EV_AGENT_STATE,
	PROTO_EV_AGENT_MOVED,
	PROTO_EV_SHIFT_STARTED,
	PROTO_EV_FLOOR_RESET,
	PROTO_EV__COUNT
};
const char *proto_event_type_name(enum proto_event_type t);
int proto_event_type_parse(const char *s);

/*
 * One flat struct for every event type: only the fields of `type` are
 * meaningful (see the table in PROTOCOL.md).  Strings are NUL-terminated;
 * an absent optional string is "".
 */
struct proto_event {
	enum proto_event_type type;
	uint64_t epoch;
	uint64_t seq;
	int64_t ts;

	char tenant[PROTO_ID_MAX + 1];   /* agent.state: "" means nil */
	char agent[PROTO_ID_MAX + 1];
	uint64_t contact;
	enum proto_channel channel;      /* contact.queued */
	uint64_t wait_ms;                /* answered, abandoned */
	uint64_t talk_ms;                /* ended */
	uint64_t wrap_ms;                /* wrapped */
	enum proto_agent_state state;    /* agent.state */

	char from[PROTO_ID_MAX + 1];     /* agent.moved */
	char to[PROTO_ID_MAX + 1];
	char by[PROTO_ID_MAX + 1];
	char req[PROTO_REQID_MAX + 1];
	char reason[PROTO_TEXT_MAX + 1];
	bool forced;                     /* addition: past a contract minimum */
	/* additions for ACD sources, each sent only when not "": */
	char exit[PROTO_ID_MAX + 1];     /* contact.abandoned: how the caller left
	                                    ("abandon", "timeout", "empty", "key", ...) */
	char name[PROTO_NAME_MAX + 1];   /* agent.moved with from "": a newly seen
	                                    agent's display name */
	/* agent.state: `reason` above carries the pause reason of a break */
	int64_t until;                   /* addition: agent.moved on a loan: it
	                                    ends then (floor ms); 0 = no loan */

	char shift[PROTO_ID_MAX + 1];    /* shift.started */
	int64_t start_ts;
	int64_t end_ts;
};

/* ------------------------------------------------------------- snapshot */

struct proto_shift_def {
	char name[PROTO_ID_MAX + 1];
	char start[PROTO_HHMM_MAX + 1];  /* "HH:MM" */
	char end[PROTO_HHMM_MAX + 1];
};

struct proto_tenant {
	char id[PROTO_ID_MAX + 1];
	char name[PROTO_NAME_MAX + 1];
	enum proto_model model;
	double sl_pct;                   /* target, 0..100 */
	uint32_t sl_sec;
	double dedicated_rate;           /* per staffed hour */
	double shared_rate;              /* per handle hour */
	uint32_t min_dedicated;
	/* additions (optional on the wire, 0 / "" when absent) */
	uint32_t overflow_sec;
	char open[PROTO_HHMM_MAX + 1];   /* business hours for hybrid/min_dedicated */
	char close[PROTO_HHMM_MAX + 1];
};

struct proto_pool {
	char id[PROTO_ID_MAX + 1];
	enum proto_pool_kind kind;
	char tenant[PROTO_ID_MAX + 1];   /* dedicated only, else "" */
	uint32_t n_serves;
	char (*serves)[PROTO_ID_MAX + 1];
	/* addition: tenants the pool's own agents may also serve, beyond its
	 * tenant or serves (the scenario's `trained`); none when absent */
	uint32_t n_trained;
	char (*trained)[PROTO_ID_MAX + 1];
};

struct proto_agent {
	char id[PROTO_ID_MAX + 1];
	char name[PROTO_NAME_MAX + 1];
	char pool[PROTO_ID_MAX + 1];
	enum proto_agent_state state;
	char tenant[PROTO_ID_MAX + 1];   /* "" means nil */
	int64_t since_ts;
	uint32_t handled;
	/* additions */
	uint64_t contact;                /* contact in progress, 0 = none */
	char handling_pool[PROTO_ID_MAX + 1]; /* pool the contact started in */
	int64_t acc_ts;                  /* staffed time accrued up to here */
	char home[PROTO_ID_MAX + 1];     /* addition: home pool, "" = unknown */
	int64_t loan_until;              /* addition: on loan until (floor ms), 0 = not */
};

struct proto_queued {
	uint64_t contact;
	int64_t ts;                      /* when it was queued */
	enum proto_channel channel;
};

struct proto_queue {
	char tenant[PROTO_ID_MAX + 1];
	uint32_t waiting;
	int64_t oldest_ts;               /* 0 when nothing waits */
	/* addition: the waiting contacts, oldest first */
	uint32_t n_contacts;
	struct proto_queued *contacts;
};

/* A row of `history` and of snapshot `stats`: raw counters, not ratios. */
/* What service level, ASA and abandon rate need, for one 15-minute
 * interval (addition: `sl_intervals`).  Contacts count in the interval of
 * their answer or abandon, by the event's ts. */
struct proto_sl_interval {
	uint32_t answered;
	uint32_t answered_in_sl;
	uint32_t abandoned;
	uint32_t abandoned_short;
	uint64_t wait_ms;                /* of the answered */
};

struct proto_stats_row {
	char tenant[PROTO_ID_MAX + 1];
	char shift[PROTO_ID_MAX + 1];
	int64_t start_ts;
	int64_t end_ts;
	uint64_t offered;
	uint64_t answered;
	uint64_t answered_in_sl;
	uint64_t abandoned;
	uint64_t abandoned_short;
	uint64_t wait_ms;
	uint64_t talk_ms;
	uint64_t wrap_ms;
	uint64_t dedicated_staffed_ms;
	uint64_t shared_handle_ms;
	double cost;
	/* additions */
	uint64_t handled;                /* contacts wrapped (AHT divisor) */
	/* of dedicated_staffed_ms, the time its agents were busy or wrapping
	 * and the time on break, cut at the shift's edges like it (additions;
	 * has_busy when the sender kept them) */
	bool has_busy;
	uint64_t dedicated_busy_ms;
	uint64_t dedicated_break_ms;
	uint32_t n_intervals;            /* offered per 15 min since start_ts */
	uint32_t intervals[PROTO_INTERVALS_MAX];
	/* how much of start_ts..end_ts the counters cover when that is not
	 * all of it (the server was down for part of the shift); 0 = all */
	uint64_t covered_ms;
};

/* A row's `sl_intervals` (addition), per 15 min like `intervals`.  Kept
 * apart from proto_stats_row, in an array parallel to the rows that is
 * there only when some row carried them: a history reply of 100 000 rows
 * must not grow by 2 KiB a row for figures an older server never sent.
 * iv holds exactly n intervals, malloc'd per row and owned by the row
 * (NULL when n is 0): a row costs what it carries, not PROTO_INTERVALS_MAX
 * of them.  Free an array of them with proto_sl_rows_free. */
struct proto_sl_row {
	uint32_t n;                      /* 0: this row did not carry them */
	struct proto_sl_interval *iv;    /* n of them, or NULL */
};

struct proto_snapshot {
	uint64_t epoch;
	uint64_t seq;
	int64_t ts;
	char shift_name[PROTO_ID_MAX + 1];
	int64_t shift_start_ts;
	int64_t shift_end_ts;
	uint32_t n_shifts;
	struct proto_shift_def *shifts;
	uint32_t n_tenants;
	struct proto_tenant *tenants;
	uint32_t n_pools;
	struct proto_pool *pools;
	uint32_t n_agents;
	struct proto_agent *agents;
	uint32_t n_queues;
	struct proto_queue *queues;
	uint32_t n_stats;
	struct proto_stats_row *stats;
	struct proto_sl_row *stats_sl;   /* NULL, or n_stats entries (addition) */
};

/* ------------------------------------------------------------ requests */

enum proto_op {
	PROTO_OP_PING,
	PROTO_OP_SNAPSHOT,
	PROTO_OP_MOVE,
	PROTO_OP_HISTORY,
	PROTO_OP_AUDIT,     /* addition: the durable move record */
	PROTO_OP__COUNT
};
const char *proto_op_name(enum proto_op op);
int proto_op_parse(const char *s);

struct proto_request {
	char id[PROTO_REQID_MAX + 1];
	enum proto_op op;
	/* move */
	uint32_t n_agents;
	char (*agents)[PROTO_ID_MAX + 1];
	char to[PROTO_ID_MAX + 1];
	char reason[PROTO_TEXT_MAX + 1];
	char by[PROTO_ID_MAX + 1];
	bool force;
	char from[PROTO_ID_MAX + 1];     /* addition: "" = unchecked; else every
	                                    agent must be in this pool now */
	int64_t until;                   /* addition: a loan: back home then (floor ms), 0 = none */
	/* history */
	uint32_t shifts;
	char tenant[PROTO_ID_MAX + 1];   /* "" = every tenant */
	/* audit */
	uint32_t limit;                  /* newest N records, 0 = server default */
	/* addition, ping: open this connection's event stream over the
	 * request socket (how a scoped key gets its feed) */
	bool feed;
	/* addition, any op: the sender's instance id, random per client
	 * run; move ids are remembered per instance ("" = shared) */
	char client[PROTO_REQID_MAX + 1];
};

enum proto_reply_err {
	PROTO_RE_NONE,
	PROTO_RE_BAD_REQUEST,
	PROTO_RE_UNKNOWN_OP,
	PROTO_RE_NOT_FOUND,
	PROTO_RE_FORBIDDEN,
	PROTO_RE_CONFLICT,
	PROTO_RE_CONTRACT_MIN,
	PROTO_RE_UNAVAILABLE,
	PROTO_RE_UNTRAINED,              /* addition */
	PROTO_RE__COUNT
};
const char *proto_reply_err_name(enum proto_reply_err e);
int proto_reply_err_parse(const char *s);

struct proto_audit_row {
	int64_t ts;                      /* floor clock */
	char by[PROTO_ID_MAX + 1];
	char req[PROTO_REQID_MAX + 1];
	char agent[PROTO_ID_MAX + 1];
	char from[PROTO_ID_MAX + 1];
	char to[PROTO_ID_MAX + 1];
	char reason[PROTO_TEXT_MAX + 1];
	bool forced;
	uint64_t seq;                    /* seq of its agent.moved event */
	uint64_t epoch;
};

/*
 * A reply.  `op` is not on the wire: the caller tells the decoder which
 * op it asked (it matched the reply by `id`) so the body can be checked.
 */
/* One counter of an ACD source: ping reply addition `source`. */
struct proto_count {
	char name[PROTO_ID_MAX + 1];
	uint64_t value;
};
#define PROTO_SOURCE_COUNTS_MAX 256

struct proto_reply {
	char id[PROTO_REQID_MAX + 1];
	bool ok;
	enum proto_reply_err err;        /* when !ok */
	char msg[PROTO_TEXT_MAX + 1];
	enum proto_op op;
	/* ping, move */
	uint64_t epoch;
	uint64_t seq;
	/* ping, addition: an ACD source's counters (owned; 0 = none sent) */
	uint32_t n_source;
	struct proto_count *source;
	/* snapshot (owned; freed by proto_reply_free) */
	struct proto_snapshot *snapshot;
	/* history */
	uint32_t n_rows;
	struct proto_stats_row *rows;
	struct proto_sl_row *rows_sl;    /* NULL, or n_rows entries (addition) */
	/* audit */
	uint32_t n_audit;
	struct proto_audit_row *audit;
};

/* ------------------------------------------------------------- encoding */

/* A growable byte buffer; encoders append to it. */
struct proto_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};
void proto_buf_init(struct proto_buf *b);
void proto_buf_reset(struct proto_buf *b);   /* len = 0, keeps memory */
void proto_buf_free(struct proto_buf *b);

/* Each returns 0, or PROTO_E_NOMEM. */
int proto_encode_event(struct proto_buf *b, const struct proto_event *ev);
int proto_encode_request(struct proto_buf *b, const struct proto_request *rq);
int proto_encode_reply(struct proto_buf *b, const struct proto_reply *rp);

/* ------------------------------------------------------------- decoding */

/*
 * Each returns PROTO_OK or a negative enum proto_err.  On error the output
 * holds nothing that needs freeing.  Unknown fields are skipped (bounded by
 * PROTO_DEPTH_MAX); a missing `v` or `v` != 1 is PROTO_E_VALUE.
 *
 * proto_decode_request fills rq->id whenever the frame is a map whose `id`
 * can be reached and read, even when it then fails, so the server can echo
 * the id in its bad_request / unknown_op reply (rq->id is "" otherwise).  An
 * `op` string it does not know returns PROTO_E_VALUE with rq->op set to
 * PROTO_OP__COUNT; any other failure leaves rq->op a valid op.  A move with
 * an empty `agents` array is PROTO_E_VALUE too.
 *
 * proto_decode_reply sets rp->op = op and, like the request decoder, fills
 * rp->id when it can even on error.  When `ok` is false only id, ok, err
 * and msg are set (no body).  A snapshot's epoch and seq are in both
 * rp->snapshot and rp->epoch / rp->seq.
 */
int proto_decode_event(const uint8_t *buf, size_t len, struct proto_event *ev);
int proto_decode_request(const uint8_t *buf, size_t len, struct proto_request *rq);
int proto_decode_reply(const uint8_t *buf, size_t len, enum proto_op op,
                       struct proto_reply *rp);

/* The `id` of a reply (or request) without decoding the rest: how a client
 * finds which request, and so which op, a reply answers. */
int proto_peek_id(const uint8_t *buf, size_t len, char id[PROTO_REQID_MAX + 1]);

/* These free what the struct owns (not the struct itself, except that
 * proto_reply_free also frees rp->snapshot) and leave it empty, so a second
 * call is harmless. */
void proto_request_free(struct proto_request *rq);
void proto_reply_free(struct proto_reply *rp);
void proto_snapshot_free(struct proto_snapshot *s);
/* Copy n (at most PROTO_INTERVALS_MAX) intervals into a row, freeing what
 * it held; -1 (the row left empty) when out of memory or n too large. */
int proto_sl_set(struct proto_sl_row *row, const struct proto_sl_interval *iv, uint32_t n);
/* Free the intervals of n rows and the array (either may be NULL). */
void proto_sl_rows_free(struct proto_sl_row *sl, uint32_t n);

/* Copy src into a fixed field of size cap+1 (truncating at cap bytes on a
 * UTF-8 boundary).  For building messages from local data. */
void proto_strlcpy(char *dst, const char *src, size_t cap);

#endif
