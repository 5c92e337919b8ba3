/*
 * decode: untrusted msgpack to proto structs, with mpread only.
 *
 * Events are the hot path (every client decodes every event), so they get
 * a hand-written decoder: key dispatch by length then bytes, no
 * allocation, no memset of the ~700-byte struct.  Requests and replies
 * are decoded from field tables (key, kind, offset, when required), which
 * keeps the many snapshot objects to one line per field.
 *
 * Every allocation is reachable from the output struct the moment it is
 * made, so any error is cleaned up by the one matching _free function.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/mpread.h"
#include "pooltop/proto.h"

/* The literal must be a string literal: its size is the key length. */
#define DECODE_IS(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)

/* ------------------------------------------------------------- values */

/* A str into a fixed field of cap bytes + NUL.  An embedded NUL would make
 * the C string say less than the wire did ("a\0b" read as "a"), so it is
 * refused rather than silently shortened. */
static inline int
decode_str(struct mpread *r, char *dst, size_t cap)
{
	const char *s;
	uint32_t n;
	int err = mpread_str(r, &s, &n);

	if (err != PROTO_OK)
		return err;
	if (n > cap)
		return PROTO_E_LIMIT;
	if (memchr(s, '\0', n) != NULL)
		return PROTO_E_VALUE;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return PROTO_OK;
}

/* A str or nil (stored as ""). */
static inline int
decode_str_nil(struct mpread *r, char *dst, size_t cap)
{
	if (mpread_is_nil(r)) {
		dst[0] = '\0';
		return mpread_nil(r);
	}
	return decode_str(r, dst, cap);
}

static inline int
decode_u32(struct mpread *r, uint32_t *out)
{
	uint64_t v;
	int err = mpread_uint(r, &v);

	if (err != PROTO_OK)
		return err;
	if (v > UINT32_MAX)
		return PROTO_E_VALUE;
	*out = (uint32_t)v;
	return PROTO_OK;
}

/* An enum by wire name, through the public parse function. */
static int
decode_enum(struct mpread *r, int (*parse)(const char *), int *out)
{
	char name[24];
	const char *s;
	uint32_t n;
	int err = mpread_str(r, &s, &n);

	if (err != PROTO_OK)
		return err;
	if (n >= sizeof name || memchr(s, '\0', n) != NULL)
		return PROTO_E_VALUE;
	memcpy(name, s, n);
	name[n] = '\0';
	*out = parse(name);
	return *out < 0 ? PROTO_E_VALUE : PROTO_OK;
}

static int
decode_version(struct mpread *r)
{
	uint64_t v;
	int err = mpread_uint(r, &v);

	if (err != PROTO_OK)
		return err;
	return v == PROTO_VERSION ? PROTO_OK : PROTO_E_VALUE;
}

/* -------------------------------------------------------------- events */

enum decode_ek {
	EK_V, EK_TYPE, EK_EPOCH, EK_SEQ, EK_TS,
	EK_TENANT, EK_AGENT, EK_CONTACT, EK_CHANNEL, EK_WAIT_MS, EK_TALK_MS,
	EK_WRAP_MS, EK_STATE, EK_FROM, EK_TO, EK_BY, EK_REQ, EK_REASON,
	EK_SHIFT, EK_START_TS, EK_END_TS, EK_FORCED, EK_EXIT, EK_NAME, EK_UNTIL,
	EK_TENANT_NIL,      /* not a key: `tenant` was nil */
	EK__UNKNOWN
};

#define EB(k) (1u << (k))
#define EB_BASE (EB(EK_TYPE) | EB(EK_EPOCH) | EB(EK_SEQ) | EB(EK_TS))
#define EB_CONTACT (EB(EK_TENANT) | EB(EK_CONTACT))

/* The fields each type must carry besides the base ones.  agent.state's
 * tenant may be nil, so it is checked on its own. */
static const uint32_t decode_event_needs[PROTO_EV__COUNT] = {
	[PROTO_EV_HB] = 0,
	[PROTO_EV_CONTACT_QUEUED] = EB_CONTACT | EB(EK_CHANNEL),
	[PROTO_EV_CONTACT_ANSWERED] = EB_CONTACT | EB(EK_AGENT) | EB(EK_WAIT_MS),
	[PROTO_EV_CONTACT_ABANDONED] = EB_CONTACT | EB(EK_WAIT_MS),
	[PROTO_EV_CONTACT_ENDED] = EB_CONTACT | EB(EK_AGENT) | EB(EK_TALK_MS),
	[PROTO_EV_CONTACT_WRAPPED] = EB_CONTACT | EB(EK_AGENT) | EB(EK_WRAP_MS),
	[PROTO_EV_AGENT_STATE] = EB(EK_AGENT) | EB(EK_STATE),
	[PROTO_EV_AGENT_MOVED] = EB(EK_AGENT) | EB(EK_FROM) | EB(EK_TO) | EB(EK_BY) |
	                         EB(EK_REQ) | EB(EK_REASON),
	[PROTO_EV_SHIFT_STARTED] = EB(EK_SHIFT) | EB(EK_START_TS) | EB(EK_END_TS),
	[PROTO_EV_FLOOR_RESET] = 0,
};

static inline enum decode_ek
decode_event_key(const char *s, uint32_t n)
{
	switch (n) {
	case 1:
		return s[0] == 'v' ? EK_V : EK__UNKNOWN;
	case 2:
		if (DECODE_IS(s, n, "ts")) return EK_TS;
		if (DECODE_IS(s, n, "to")) return EK_TO;
		if (DECODE_IS(s, n, "by")) return EK_BY;
		break;
	case 3:
		if (DECODE_IS(s, n, "seq")) return EK_SEQ;
		if (DECODE_IS(s, n, "req")) return EK_REQ;
		break;
	case 4:
		if (DECODE_IS(s, n, "type")) return EK_TYPE;
		if (DECODE_IS(s, n, "from")) return EK_FROM;
		if (DECODE_IS(s, n, "exit")) return EK_EXIT;
		if (DECODE_IS(s, n, "name")) return EK_NAME;
		break;
	case 5:
		if (DECODE_IS(s, n, "epoch")) return EK_EPOCH;
		if (DECODE_IS(s, n, "agent")) return EK_AGENT;
		if (DECODE_IS(s, n, "state")) return EK_STATE;
		if (DECODE_IS(s, n, "shift")) return EK_SHIFT;
		if (DECODE_IS(s, n, "until")) return EK_UNTIL;
		break;
	case 6:
		if (DECODE_IS(s, n, "tenant")) return EK_TENANT;
		if (DECODE_IS(s, n, "reason")) return EK_REASON;
		if (DECODE_IS(s, n, "end_ts")) return EK_END_TS;
		if (DECODE_IS(s, n, "forced")) return EK_FORCED;
		break;
	case 7:
		if (DECODE_IS(s, n, "contact")) return EK_CONTACT;
		if (DECODE_IS(s, n, "channel")) return EK_CHANNEL;
		if (DECODE_IS(s, n, "wait_ms")) return EK_WAIT_MS;
		if (DECODE_IS(s, n, "talk_ms")) return EK_TALK_MS;
		if (DECODE_IS(s, n, "wrap_ms")) return EK_WRAP_MS;
		break;
	case 8:
		if (DECODE_IS(s, n, "start_ts")) return EK_START_TS;
		break;
	default:
		break;
	}
	return EK__UNKNOWN;
}

static inline int
decode_event_type(struct mpread *r, enum proto_event_type *t)
{
	const char *s;
	uint32_t n;
	int err = mpread_str(r, &s, &n);

	if (err != PROTO_OK)
		return err;
	if (DECODE_IS(s, n, "hb")) *t = PROTO_EV_HB;
	else if (DECODE_IS(s, n, "contact.queued")) *t = PROTO_EV_CONTACT_QUEUED;
	else if (DECODE_IS(s, n, "contact.answered")) *t = PROTO_EV_CONTACT_ANSWERED;
	else if (DECODE_IS(s, n, "contact.abandoned")) *t = PROTO_EV_CONTACT_ABANDONED;
	else if (DECODE_IS(s, n, "contact.ended")) *t = PROTO_EV_CONTACT_ENDED;
	else if (DECODE_IS(s, n, "contact.wrapped")) *t = PROTO_EV_CONTACT_WRAPPED;
	else if (DECODE_IS(s, n, "agent.state")) *t = PROTO_EV_AGENT_STATE;
	else if (DECODE_IS(s, n, "agent.moved")) *t = PROTO_EV_AGENT_MOVED;
	else if (DECODE_IS(s, n, "shift.started")) *t = PROTO_EV_SHIFT_STARTED;
	else if (DECODE_IS(s, n, "floor.reset")) *t = PROTO_EV_FLOOR_RESET;
	else return PROTO_E_VALUE;
	return PROTO_OK;
}

static inline int
decode_event_channel(struct mpread *r, enum proto_channel *c)
{
	const char *s;
	uint32_t n;
	int err = mpread_str(r, &s, &n);

	if (err != PROTO_OK)
		return err;
	if (DECODE_IS(s, n, "voice")) *c = PROTO_CH_VOICE;
	else if (DECODE_IS(s, n, "chat")) *c = PROTO_CH_CHAT;
	else if (DECODE_IS(s, n, "email")) *c = PROTO_CH_EMAIL;
	else return PROTO_E_VALUE;
	return PROTO_OK;
}

static inline int
decode_event_state(struct mpread *r, enum proto_agent_state *st)
{
	const char *s;
	uint32_t n;
	int err = mpread_str(r, &s, &n);

	if (err != PROTO_OK)
		return err;
	if (DECODE_IS(s, n, "idle")) *st = PROTO_AS_IDLE;
	else if (DECODE_IS(s, n, "busy")) *st = PROTO_AS_BUSY;
	else if (DECODE_IS(s, n, "wrap")) *st = PROTO_AS_WRAP;
	else if (DECODE_IS(s, n, "offline")) *st = PROTO_AS_OFFLINE;
	else if (DECODE_IS(s, n, "break")) *st = PROTO_AS_BREAK;
	else return PROTO_E_VALUE;
	return PROTO_OK;
}

/* Every field gets a defined value without touching the string bodies. */
static inline void
decode_event_clear(struct proto_event *ev)
{
	ev->type = PROTO_EV_HB;
	ev->epoch = ev->seq = 0;
	ev->ts = 0;
	ev->tenant[0] = ev->agent[0] = '\0';
	ev->contact = ev->wait_ms = ev->talk_ms = ev->wrap_ms = 0;
	ev->channel = PROTO_CH_VOICE;
	ev->state = PROTO_AS_OFFLINE;
	ev->from[0] = ev->to[0] = ev->by[0] = ev->req[0] = ev->reason[0] = '\0';
	ev->forced = false;
	ev->exit[0] = ev->name[0] = '\0';
	ev->until = 0;
	ev->shift[0] = '\0';
	ev->start_ts = ev->end_ts = 0;
}

static inline int
decode_event_field(struct mpread *r, enum decode_ek k, struct proto_event *ev)
{
	switch (k) {
	case EK_V: return decode_version(r);
	case EK_TYPE: return decode_event_type(r, &ev->type);
	case EK_EPOCH: return mpread_uint(r, &ev->epoch);
	case EK_SEQ: return mpread_uint(r, &ev->seq);
	case EK_TS: return mpread_int(r, &ev->ts);
	case EK_TENANT: return decode_str(r, ev->tenant, PROTO_ID_MAX);
	case EK_TENANT_NIL: ev->tenant[0] = '\0'; return mpread_nil(r);
	case EK_AGENT: return decode_str(r, ev->agent, PROTO_ID_MAX);
	case EK_CONTACT: return mpread_uint(r, &ev->contact);
	case EK_CHANNEL: return decode_event_channel(r, &ev->channel);
	case EK_WAIT_MS: return mpread_uint(r, &ev->wait_ms);
	case EK_TALK_MS: return mpread_uint(r, &ev->talk_ms);
	case EK_WRAP_MS: return mpread_uint(r, &ev->wrap_ms);
	case EK_STATE: return decode_event_state(r, &ev->state);
	case EK_FROM: return decode_str(r, ev->from, PROTO_ID_MAX);
	case EK_TO: return decode_str(r, ev->to, PROTO_ID_MAX);
	case EK_BY: return decode_str(r, ev->by, PROTO_ID_MAX);
	case EK_REQ: return decode_str(r, ev->req, PROTO_REQID_MAX);
	case EK_REASON: return decode_str(r, ev->reason, PROTO_TEXT_MAX);
	case EK_SHIFT: return decode_str(r, ev->shift, PROTO_ID_MAX);
	case EK_START_TS: return mpread_int(r, &ev->start_ts);
	case EK_END_TS: return mpread_int(r, &ev->end_ts);
	case EK_FORCED: return mpread_bool(r, &ev->forced);   /* optional */
	case EK_EXIT: return decode_str(r, ev->exit, PROTO_ID_MAX);     /* optional */
	case EK_NAME: return decode_str(r, ev->name, PROTO_NAME_MAX);   /* optional */
	case EK_UNTIL: return mpread_int(r, &ev->until);      /* optional */
	default: return mpread_skip(r);
	}
}

/* Which fields are present decides the error once the map is read. */
static int
decode_event_check(const struct proto_event *ev, uint32_t seen)
{
	uint32_t need;

	if (!(seen & EB(EK_V)))
		return PROTO_E_VALUE;
	if ((seen & EB_BASE) != EB_BASE)
		return PROTO_E_MISSING;
	need = decode_event_needs[ev->type];
	if (ev->type == PROTO_EV_AGENT_STATE) {
		if (!(seen & (EB(EK_TENANT) | EB(EK_TENANT_NIL))))
			return PROTO_E_MISSING;
	} else if ((need & EB(EK_TENANT)) && (seen & EB(EK_TENANT_NIL))) {
		return PROTO_E_TYPE;   /* only agent.state may say "nobody" */
	}
	return (seen & need) == need ? PROTO_OK : PROTO_E_MISSING;
}

int
proto_decode_event(const uint8_t *buf, size_t len, struct proto_event *ev)
{
	struct mpread r;
	uint32_t n, seen = 0;
	int err;

	decode_event_clear(ev);
	if (len > PROTO_EVENT_BYTES_MAX)
		return PROTO_E_LIMIT;
	mpread_init(&r, buf, len);
	err = mpread_map(&r, &n);
	if (err != PROTO_OK)
		return err;
	while (n-- > 0) {
		const char *k;
		uint32_t kn;
		enum decode_ek key;

		err = mpread_str(&r, &k, &kn);
		if (err != PROTO_OK)
			return err;
		key = decode_event_key(k, kn);
		if (key == EK_TENANT) {
			/* last one wins, so a nil after a string undoes it */
			seen &= ~(EB(EK_TENANT) | EB(EK_TENANT_NIL));
			if (mpread_is_nil(&r))
				key = EK_TENANT_NIL;
		}
		err = decode_event_field(&r, key, ev);
		if (err != PROTO_OK)
			return err;
		if (key != EK__UNKNOWN)
			seen |= EB(key);
	}
	if (r.p != r.end)
		return PROTO_E_TRAILING;
	return decode_event_check(ev, seen);
}

/* --------------------------------------------------------- field tables */

enum decode_kind {
	DK_STR, DK_STRNIL, DK_U64, DK_U32, DK_I64, DK_DBL, DK_BOOL,
	DK_CHANNEL, DK_STATE, DK_MODEL, DK_POOLKIND, DK_REPLYERR, DK_FN
};

/*
 * When a field is required: a bit set of contexts.  Objects inside a
 * reply are decoded in context DECODE_IF_OK; a reply's top level in
 * DECODE_IF_OK or DECODE_IF_ERR by its `ok`; a request in 1 << op.
 */
#define DECODE_OPT 0u
#define DECODE_REQ 0xffu
#define DECODE_IF_OK 0x01u
#define DECODE_IF_ERR 0x02u
#define DECODE_IF_OP(op) (1u << (op))

struct decode_field {
	const char *key;
	uint8_t klen;
	uint8_t kind;
	uint8_t need;       /* DECODE_* contexts where it is required */
	uint16_t cap;       /* DK_STR*: max bytes */
	size_t off;
	int (*fn)(struct mpread *r, void *obj);   /* DK_FN */
};

#define DF(k, kind, need, cap, type, member) \
	{ k, sizeof(k) - 1, kind, need, cap, offsetof(type, member), NULL }
#define DFN(k, need, fn) { k, sizeof(k) - 1, DK_FN, need, 0, 0, fn }
#define DECODE_N(tab) (sizeof(tab) / sizeof((tab)[0]))

/* Enum fields are stored through their own type: the enums' sizes and
 * signedness are the compiler's choice. */
static int
decode_enum_field(struct mpread *r, enum decode_kind kind, void *p)
{
	int v, err;

	switch (kind) {
	case DK_CHANNEL:
		err = decode_enum(r, proto_channel_parse, &v);
		if (err == PROTO_OK)
			*(enum proto_channel *)(void *)p = (enum proto_channel)v;
		return err;
	case DK_STATE:
		err = decode_enum(r, proto_agent_state_parse, &v);
		if (err == PROTO_OK)
			*(enum proto_agent_state *)(void *)p = (enum proto_agent_state)v;
		return err;
	case DK_MODEL:
		err = decode_enum(r, proto_model_parse, &v);
		if (err == PROTO_OK)
			*(enum proto_model *)(void *)p = (enum proto_model)v;
		return err;
	case DK_POOLKIND:
		err = decode_enum(r, proto_pool_kind_parse, &v);
		if (err == PROTO_OK)
			*(enum proto_pool_kind *)(void *)p = (enum proto_pool_kind)v;
		return err;
	default:
		err = decode_enum(r, proto_reply_err_parse, &v);
		if (err == PROTO_OK)
			*(enum proto_reply_err *)(void *)p = (enum proto_reply_err)v;
		return err;
	}
}

static int
decode_value(struct mpread *r, const struct decode_field *f, void *obj)
{
	char *p = (char *)obj + f->off;

	switch (f->kind) {
	case DK_STR: return decode_str(r, p, f->cap);
	case DK_STRNIL: return decode_str_nil(r, p, f->cap);
	case DK_U64: return mpread_uint(r, (uint64_t *)(void *)p);
	case DK_U32: return decode_u32(r, (uint32_t *)(void *)p);
	case DK_I64: return mpread_int(r, (int64_t *)(void *)p);
	case DK_DBL: return mpread_double(r, (double *)(void *)p);
	case DK_BOOL: return mpread_bool(r, (bool *)(void *)p);
	case DK_FN: return f->fn(r, obj);
	default: return decode_enum_field(r, (enum decode_kind)f->kind, p);
	}
}

static const struct decode_field *
decode_find(const struct decode_field *tab, size_t n, const char *k, uint32_t kn)
{
	for (size_t i = 0; i < n; i++)
		if (tab[i].klen == kn && memcmp(tab[i].key, k, kn) == 0)
			return &tab[i];
	return NULL;
}

/* A map onto obj by table; *seen gets bit i for each tab[i] present. */
static int
decode_map(struct mpread *r, const struct decode_field *tab, size_t ntab, void *obj,
           uint64_t *seen)
{
	uint32_t n;
	int err = mpread_map(r, &n);

	*seen = 0;
	while (err == PROTO_OK && n-- > 0) {
		const struct decode_field *f;
		const char *k;
		uint32_t kn;

		err = mpread_str(r, &k, &kn);
		if (err != PROTO_OK)
			break;
		f = decode_find(tab, ntab, k, kn);
		if (f == NULL) {
			err = mpread_skip(r);
		} else {
			err = decode_value(r, f, obj);
			*seen |= 1ull << (f - tab);
		}
	}
	return err;
}

static int
decode_missing(const struct decode_field *tab, size_t ntab, uint64_t seen, unsigned ctx)
{
	for (size_t i = 0; i < ntab; i++)
		if ((tab[i].need & ctx) && !(seen & (1ull << i)))
			return PROTO_E_MISSING;
	return PROTO_OK;
}

/* An object inside a reply: a map with all its required fields. */
static int
decode_obj(struct mpread *r, const struct decode_field *tab, size_t ntab, void *obj,
           uint64_t *seen)
{
	int err = decode_map(r, tab, ntab, obj, seen);

	return err != PROTO_OK ? err : decode_missing(tab, ntab, *seen, DECODE_IF_OK);
}

/*
 * An array header, then zeroed storage for its elements.  The count was
 * already checked against the bytes left (mpread_array); the limit caps
 * what a frame that big may still ask for.
 */
static int
decode_alloc(struct mpread *r, uint32_t limit, size_t size, void **out, uint32_t *n)
{
	uint32_t count;
	int err = mpread_array(r, &count);

	*out = NULL;
	*n = 0;
	if (err != PROTO_OK)
		return err;
	if (count > limit)
		return PROTO_E_LIMIT;
	if (count == 0)
		return PROTO_OK;
	*out = calloc(count, size);
	if (*out == NULL)
		return PROTO_E_NOMEM;
	*n = count;
	return PROTO_OK;
}

/* An array of ids; replaces (frees) what *ids held, for duplicate keys. */
static int
decode_ids(struct mpread *r, uint32_t limit, char (**ids)[PROTO_ID_MAX + 1], uint32_t *n)
{
	void *p;
	int err;

	free(*ids);
	err = decode_alloc(r, limit, sizeof **ids, &p, n);
	*ids = p;
	for (uint32_t i = 0; err == PROTO_OK && i < *n; i++)
		err = decode_str(r, (*ids)[i], PROTO_ID_MAX);
	return err;
}

/* ------------------------------------------------------------- freeing */

static void
decode_free_pools(struct proto_snapshot *s)
{
	for (uint32_t i = 0; s->pools != NULL && i < s->n_pools; i++) {
		free(s->pools[i].serves);
		free(s->pools[i].trained);
	}
	free(s->pools);
	s->pools = NULL;
	s->n_pools = 0;
}

static void
decode_free_queues(struct proto_snapshot *s)
{
	for (uint32_t i = 0; s->queues != NULL && i < s->n_queues; i++)
		free(s->queues[i].contacts);
	free(s->queues);
	s->queues = NULL;
	s->n_queues = 0;
}

void
proto_snapshot_free(struct proto_snapshot *s)
{
	if (s == NULL)
		return;
	decode_free_pools(s);
	decode_free_queues(s);
	free(s->shifts);
	free(s->tenants);
	free(s->agents);
	free(s->stats);
	proto_sl_rows_free(s->stats_sl, s->n_stats);
	memset(s, 0, sizeof *s);
}

void
proto_request_free(struct proto_request *rq)
{
	free(rq->agents);
	rq->agents = NULL;
	rq->n_agents = 0;
}

void
proto_reply_free(struct proto_reply *rp)
{
	proto_snapshot_free(rp->snapshot);
	free(rp->snapshot);
	free(rp->rows);
	proto_sl_rows_free(rp->rows_sl, rp->n_rows);
	free(rp->audit);
	free(rp->source);
	rp->source = NULL;
	rp->n_source = 0;
	rp->snapshot = NULL;
	rp->rows = NULL;
	rp->rows_sl = NULL;
	rp->n_rows = 0;
	rp->audit = NULL;
	rp->n_audit = 0;
}

/* ---------------------------------------------------------- stats rows */

static int
decode_intervals(struct mpread *r, void *obj)
{
	struct proto_stats_row *row = obj;
	uint32_t n;
	int err = mpread_array(r, &n);

	row->n_intervals = 0;
	if (err != PROTO_OK)
		return err;
	if (n > PROTO_INTERVALS_MAX)
		return PROTO_E_LIMIT;
	for (uint32_t i = 0; i < n; i++) {
		err = decode_u32(r, &row->intervals[i]);
		if (err != PROTO_OK)
			return err;
	}
	row->n_intervals = n;
	return PROTO_OK;
}

/* A row as decoded: the row, and its sl_intervals beside it (moved out
 * to the parallel array only when present).  row first, so the row
 * fields' offsets hold for it.  ivbuf holds them while they are read;
 * the row then gets a copy of exactly the n it carried. */
struct decode_row {
	struct proto_stats_row row;
	struct proto_sl_row sl;
	struct proto_sl_interval ivbuf[PROTO_INTERVALS_MAX];
};

/* [answered, answered_in_sl, abandoned, abandoned_short, wait_ms] each */
static int
decode_sl_intervals(struct mpread *r, void *obj)
{
	struct decode_row *one = obj;
	uint32_t n, k;
	int err = mpread_array(r, &n);

	/* a duplicate key replaces what the first one gave */
	proto_sl_set(&one->sl, NULL, 0);
	if (err != PROTO_OK)
		return err;
	if (n > PROTO_INTERVALS_MAX)
		return PROTO_E_LIMIT;
	for (uint32_t i = 0; i < n; i++) {
		struct proto_sl_interval *v = &one->ivbuf[i];

		err = mpread_array(r, &k);
		if (err != PROTO_OK)
			return err;
		if (k != 5)
			return PROTO_E_VALUE;
		if ((err = decode_u32(r, &v->answered)) != PROTO_OK ||
		    (err = decode_u32(r, &v->answered_in_sl)) != PROTO_OK ||
		    (err = decode_u32(r, &v->abandoned)) != PROTO_OK ||
		    (err = decode_u32(r, &v->abandoned_short)) != PROTO_OK ||
		    (err = mpread_uint(r, &v->wait_ms)) != PROTO_OK)
			return err;
	}
	/* allocated only now, for what was there and read */
	return proto_sl_set(&one->sl, one->ivbuf, n) == 0 ? PROTO_OK : PROTO_E_NOMEM;
}

/* Either of the pair says the sender keeps them. */
static int
decode_busy_ms(struct mpread *r, void *obj)
{
	struct proto_stats_row *row = obj;

	row->has_busy = true;
	return mpread_uint(r, &row->dedicated_busy_ms);
}

static int
decode_break_ms(struct mpread *r, void *obj)
{
	struct proto_stats_row *row = obj;

	row->has_busy = true;
	return mpread_uint(r, &row->dedicated_break_ms);
}

#define ROW(k, kind, member) DF(k, kind, DECODE_REQ, 0, struct proto_stats_row, member)
static const struct decode_field decode_row_fields[] = {
	DF("tenant", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_stats_row, tenant),
	DF("shift", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_stats_row, shift),
	ROW("start_ts", DK_I64, start_ts),
	ROW("end_ts", DK_I64, end_ts),
	ROW("offered", DK_U64, offered),
	ROW("answered", DK_U64, answered),
	ROW("answered_in_sl", DK_U64, answered_in_sl),
	ROW("abandoned", DK_U64, abandoned),
	ROW("abandoned_short", DK_U64, abandoned_short),
	ROW("wait_ms", DK_U64, wait_ms),
	ROW("talk_ms", DK_U64, talk_ms),
	ROW("wrap_ms", DK_U64, wrap_ms),
	ROW("dedicated_staffed_ms", DK_U64, dedicated_staffed_ms),
	ROW("shared_handle_ms", DK_U64, shared_handle_ms),
	ROW("cost", DK_DBL, cost),
	DF("handled", DK_U64, DECODE_OPT, 0, struct proto_stats_row, handled),
	DFN("intervals", DECODE_OPT, decode_intervals),
	DF("covered_ms", DK_U64, DECODE_OPT, 0, struct proto_stats_row, covered_ms),
	DFN("sl_intervals", DECODE_OPT, decode_sl_intervals),   /* addition */
	DFN("dedicated_busy_ms", DECODE_OPT, decode_busy_ms),     /* addition */
	DFN("dedicated_break_ms", DECODE_OPT, decode_break_ms),   /* addition */
};
#undef ROW

static int
decode_rows(struct mpread *r, uint32_t limit, struct proto_stats_row **rows,
            struct proto_sl_row **sl, uint32_t *n)
{
	struct decode_row *one = malloc(sizeof *one);
	uint64_t seen;
	void *p;
	int err;

	free(*rows);
	proto_sl_rows_free(*sl, *n);
	*sl = NULL;
	*rows = NULL;
	*n = 0;
	if (one == NULL)
		return PROTO_E_NOMEM;
	one->sl = (struct proto_sl_row){ 0 };
	err = decode_alloc(r, limit, sizeof **rows, &p, n);
	*rows = p;
	for (uint32_t i = 0; err == PROTO_OK && i < *n; i++) {
		memset(&one->row, 0, sizeof one->row);
		err = decode_obj(r, decode_row_fields, DECODE_N(decode_row_fields), one, &seen);
		(*rows)[i] = one->row;
		if (err != PROTO_OK || one->sl.n == 0)
			continue;
		/* the first row that has them makes the array for all */
		if (*sl == NULL && (*sl = calloc(*n, sizeof **sl)) == NULL) {
			err = PROTO_E_NOMEM;
			continue;
		}
		/* the row owns them now */
		(*sl)[i] = one->sl;
		one->sl = (struct proto_sl_row){ 0 };
	}
	proto_sl_set(&one->sl, NULL, 0);
	free(one);
	return err;
}

/* ------------------------------------------------------------ snapshot */

static const struct decode_field decode_shift_fields[] = {
	DF("name", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_snapshot, shift_name),
	DF("start_ts", DK_I64, DECODE_REQ, 0, struct proto_snapshot, shift_start_ts),
	DF("end_ts", DK_I64, DECODE_REQ, 0, struct proto_snapshot, shift_end_ts),
};

static const struct decode_field decode_shift_def_fields[] = {
	DF("name", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_shift_def, name),
	DF("start", DK_STR, DECODE_REQ, PROTO_HHMM_MAX, struct proto_shift_def, start),
	DF("end", DK_STR, DECODE_REQ, PROTO_HHMM_MAX, struct proto_shift_def, end),
};

#define TEN(k, kind, need, cap, member) DF(k, kind, need, cap, struct proto_tenant, member)
static const struct decode_field decode_tenant_fields[] = {
	TEN("id", DK_STR, DECODE_REQ, PROTO_ID_MAX, id),
	TEN("name", DK_STR, DECODE_REQ, PROTO_NAME_MAX, name),
	TEN("model", DK_MODEL, DECODE_REQ, 0, model),
	TEN("sl_pct", DK_DBL, DECODE_REQ, 0, sl_pct),
	TEN("sl_sec", DK_U32, DECODE_REQ, 0, sl_sec),
	TEN("dedicated_rate", DK_DBL, DECODE_REQ, 0, dedicated_rate),
	TEN("shared_rate", DK_DBL, DECODE_REQ, 0, shared_rate),
	TEN("min_dedicated", DK_U32, DECODE_REQ, 0, min_dedicated),
	TEN("overflow_sec", DK_U32, DECODE_OPT, 0, overflow_sec),
	TEN("open", DK_STR, DECODE_OPT, PROTO_HHMM_MAX, open),
	TEN("close", DK_STR, DECODE_OPT, PROTO_HHMM_MAX, close),
};
#undef TEN

static int
decode_serves(struct mpread *r, void *obj)
{
	struct proto_pool *p = obj;

	return decode_ids(r, PROTO_TENANTS_MAX, &p->serves, &p->n_serves);
}

static int
decode_trained(struct mpread *r, void *obj)
{
	struct proto_pool *p = obj;

	return decode_ids(r, PROTO_TENANTS_MAX, &p->trained, &p->n_trained);
}

enum { DECODE_POOL_TENANT = 2 };   /* index of `tenant` below */
static const struct decode_field decode_pool_fields[] = {
	DF("id", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_pool, id),
	DF("kind", DK_POOLKIND, DECODE_REQ, 0, struct proto_pool, kind),
	DF("tenant", DK_STR, DECODE_OPT, PROTO_ID_MAX, struct proto_pool, tenant),
	DFN("serves", DECODE_REQ, decode_serves),
	DFN("trained", DECODE_OPT, decode_trained),
};

#define AG(k, kind, need, cap, member) DF(k, kind, need, cap, struct proto_agent, member)
static const struct decode_field decode_agent_fields[] = {
	AG("id", DK_STR, DECODE_REQ, PROTO_ID_MAX, id),
	AG("name", DK_STR, DECODE_REQ, PROTO_NAME_MAX, name),
	AG("pool", DK_STR, DECODE_REQ, PROTO_ID_MAX, pool),
	AG("state", DK_STATE, DECODE_REQ, 0, state),
	AG("tenant", DK_STRNIL, DECODE_REQ, PROTO_ID_MAX, tenant),
	AG("since_ts", DK_I64, DECODE_REQ, 0, since_ts),
	AG("handled", DK_U32, DECODE_REQ, 0, handled),
	AG("contact", DK_U64, DECODE_OPT, 0, contact),
	AG("handling_pool", DK_STRNIL, DECODE_OPT, PROTO_ID_MAX, handling_pool),
	AG("acc_ts", DK_I64, DECODE_OPT, 0, acc_ts),
	AG("home", DK_STRNIL, DECODE_OPT, PROTO_ID_MAX, home),
	AG("loan_until", DK_I64, DECODE_OPT, 0, loan_until),
};
#undef AG

static const struct decode_field decode_queued_fields[] = {
	DF("contact", DK_U64, DECODE_REQ, 0, struct proto_queued, contact),
	DF("ts", DK_I64, DECODE_REQ, 0, struct proto_queued, ts),
	DF("channel", DK_CHANNEL, DECODE_REQ, 0, struct proto_queued, channel),
};

static int
decode_contacts(struct mpread *r, void *obj)
{
	struct proto_queue *q = obj;
	uint64_t seen;
	void *p;
	int err;

	free(q->contacts);
	err = decode_alloc(r, PROTO_QUEUE_CONTACTS_MAX, sizeof *q->contacts, &p, &q->n_contacts);
	q->contacts = p;
	for (uint32_t i = 0; err == PROTO_OK && i < q->n_contacts; i++)
		err = decode_obj(r, decode_queued_fields, DECODE_N(decode_queued_fields),
		                 &q->contacts[i], &seen);
	return err;
}

static const struct decode_field decode_queue_fields[] = {
	DF("tenant", DK_STR, DECODE_REQ, PROTO_ID_MAX, struct proto_queue, tenant),
	DF("waiting", DK_U32, DECODE_REQ, 0, struct proto_queue, waiting),
	DF("oldest_ts", DK_I64, DECODE_REQ, 0, struct proto_queue, oldest_ts),
	DFN("contacts", DECODE_OPT, decode_contacts),
};

/* Snapshot fields sit in the reply map; rp->snapshot exists throughout. */
static struct proto_snapshot *
decode_snap(void *obj)
{
	return ((struct proto_reply *)obj)->snapshot;
}

static int
decode_snap_ts(struct mpread *r, void *obj)
{
	return mpread_int(r, &decode_snap(obj)->ts);
}

static int
decode_snap_shift(struct mpread *r, void *obj)
{
	uint64_t seen;

	return decode_obj(r, decode_shift_fields, DECODE_N(decode_shift_fields), decode_snap(obj), &seen);
}

static int
decode_snap_shifts(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);
	uint64_t seen;
	void *p;
	int err;

	free(s->shifts);
	err = decode_alloc(r, PROTO_SHIFTS_MAX, sizeof *s->shifts, &p, &s->n_shifts);
	s->shifts = p;
	for (uint32_t i = 0; err == PROTO_OK && i < s->n_shifts; i++)
		err = decode_obj(r, decode_shift_def_fields, DECODE_N(decode_shift_def_fields),
		                 &s->shifts[i], &seen);
	return err;
}

static int
decode_snap_tenants(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);
	uint64_t seen;
	void *p;
	int err;

	free(s->tenants);
	err = decode_alloc(r, PROTO_TENANTS_MAX, sizeof *s->tenants, &p, &s->n_tenants);
	s->tenants = p;
	for (uint32_t i = 0; err == PROTO_OK && i < s->n_tenants; i++)
		err = decode_obj(r, decode_tenant_fields, DECODE_N(decode_tenant_fields),
		                 &s->tenants[i], &seen);
	return err;
}

/* `tenant` is required of dedicated pools and meaningless for shared ones. */
static int
decode_pool(struct mpread *r, struct proto_pool *pool)
{
	uint64_t seen;
	int err = decode_obj(r, decode_pool_fields, DECODE_N(decode_pool_fields), pool, &seen);

	if (err != PROTO_OK)
		return err;
	if (pool->kind != PROTO_POOL_DEDICATED)
		pool->tenant[0] = '\0';
	else if (!(seen & (1ull << DECODE_POOL_TENANT)))
		return PROTO_E_MISSING;
	return PROTO_OK;
}

static int
decode_snap_pools(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);
	void *p;
	int err;

	decode_free_pools(s);
	err = decode_alloc(r, PROTO_POOLS_MAX, sizeof *s->pools, &p, &s->n_pools);
	s->pools = p;
	for (uint32_t i = 0; err == PROTO_OK && i < s->n_pools; i++)
		err = decode_pool(r, &s->pools[i]);
	return err;
}

static int
decode_snap_agents(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);
	uint64_t seen;
	void *p;
	int err;

	free(s->agents);
	err = decode_alloc(r, PROTO_AGENTS_MAX, sizeof *s->agents, &p, &s->n_agents);
	s->agents = p;
	for (uint32_t i = 0; err == PROTO_OK && i < s->n_agents; i++)
		err = decode_obj(r, decode_agent_fields, DECODE_N(decode_agent_fields),
		                 &s->agents[i], &seen);
	return err;
}

static int
decode_snap_queues(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);
	uint64_t seen;
	void *p;
	int err;

	decode_free_queues(s);
	err = decode_alloc(r, PROTO_TENANTS_MAX, sizeof *s->queues, &p, &s->n_queues);
	s->queues = p;
	for (uint32_t i = 0; err == PROTO_OK && i < s->n_queues; i++)
		err = decode_obj(r, decode_queue_fields, DECODE_N(decode_queue_fields),
		                 &s->queues[i], &seen);
	return err;
}

static int
decode_snap_stats(struct mpread *r, void *obj)
{
	struct proto_snapshot *s = decode_snap(obj);

	return decode_rows(r, PROTO_TENANTS_MAX, &s->stats, &s->stats_sl, &s->n_stats);
}

/* --------------------------------------------------------------- audit */

#define AU(k, kind, cap, member) DF(k, kind, DECODE_REQ, cap, struct proto_audit_row, member)
static const struct decode_field decode_audit_fields[] = {
	AU("ts", DK_I64, 0, ts),
	AU("by", DK_STR, PROTO_ID_MAX, by),
	AU("req", DK_STR, PROTO_REQID_MAX, req),
	AU("agent", DK_STR, PROTO_ID_MAX, agent),
	AU("from", DK_STR, PROTO_ID_MAX, from),
	AU("to", DK_STR, PROTO_ID_MAX, to),
	AU("reason", DK_STR, PROTO_TEXT_MAX, reason),
	AU("forced", DK_BOOL, 0, forced),
	AU("seq", DK_U64, 0, seq),
	AU("epoch", DK_U64, 0, epoch),
};
#undef AU

static int
decode_reply_moves(struct mpread *r, void *obj)
{
	struct proto_reply *rp = obj;
	uint64_t seen;
	void *p;
	int err;

	free(rp->audit);
	err = decode_alloc(r, PROTO_ROWS_MAX, sizeof *rp->audit, &p, &rp->n_audit);
	rp->audit = p;
	for (uint32_t i = 0; err == PROTO_OK && i < rp->n_audit; i++)
		err = decode_obj(r, decode_audit_fields, DECODE_N(decode_audit_fields),
		                 &rp->audit[i], &seen);
	return err;
}

/* ping addition `source`: a map of counter name -> uint. */
static int
decode_reply_source(struct mpread *r, void *obj)
{
	struct proto_reply *rp = obj;
	uint32_t n;
	int err = mpread_map(r, &n);

	if (err != PROTO_OK)
		return err;
	if (n > PROTO_SOURCE_COUNTS_MAX)
		return PROTO_E_LIMIT;
	free(rp->source);
	rp->n_source = 0;
	rp->source = calloc(n ? n : 1, sizeof *rp->source);
	if (rp->source == NULL)
		return PROTO_E_NOMEM;
	for (uint32_t i = 0; i < n; i++) {
		struct proto_count *c = &rp->source[i];
		if ((err = decode_str(r, c->name, PROTO_ID_MAX)) != PROTO_OK ||
		    (err = mpread_uint(r, &c->value)) != PROTO_OK)
			return err;
		rp->n_source++;
	}
	return PROTO_OK;
}

static int
decode_reply_rows(struct mpread *r, void *obj)
{
	struct proto_reply *rp = obj;

	return decode_rows(r, PROTO_ROWS_MAX, &rp->rows, &rp->rows_sl, &rp->n_rows);
}

/* -------------------------------------------------------------- replies */

static int
decode_v(struct mpread *r, void *obj)
{
	(void)obj;
	return decode_version(r);
}

/* `v` and `id` are entries 0 and 1 of every top-level table: a missing v
 * is PROTO_E_VALUE, and a missing id is looked for again on errors. */
#define DECODE_SEEN_V (1ull << 0)
#define DECODE_SEEN_ID (1ull << 1)

#define DECODE_REPLY_BASE \
	DFN("v", DECODE_OPT, decode_v), \
	DF("id", DK_STR, DECODE_REQ, PROTO_REQID_MAX, struct proto_reply, id), \
	DF("ok", DK_BOOL, DECODE_REQ, 0, struct proto_reply, ok), \
	DF("err", DK_REPLYERR, DECODE_IF_ERR, 0, struct proto_reply, err), \
	DF("msg", DK_STR, DECODE_IF_ERR, PROTO_TEXT_MAX, struct proto_reply, msg)

static const struct decode_field decode_reply_ping[] = {
	DECODE_REPLY_BASE,
	DF("epoch", DK_U64, DECODE_IF_OK, 0, struct proto_reply, epoch),
	DF("seq", DK_U64, DECODE_IF_OK, 0, struct proto_reply, seq),
	DFN("source", DECODE_OPT, decode_reply_source),
};

static const struct decode_field decode_reply_move[] = {
	DECODE_REPLY_BASE,
	DF("seq", DK_U64, DECODE_IF_OK, 0, struct proto_reply, seq),
	DF("epoch", DK_U64, DECODE_OPT, 0, struct proto_reply, epoch),
};

static const struct decode_field decode_reply_snapshot[] = {
	DECODE_REPLY_BASE,
	DF("epoch", DK_U64, DECODE_IF_OK, 0, struct proto_reply, epoch),
	DF("seq", DK_U64, DECODE_IF_OK, 0, struct proto_reply, seq),
	DFN("ts", DECODE_IF_OK, decode_snap_ts),
	DFN("shift", DECODE_IF_OK, decode_snap_shift),
	DFN("shifts", DECODE_IF_OK, decode_snap_shifts),
	DFN("tenants", DECODE_IF_OK, decode_snap_tenants),
	DFN("pools", DECODE_IF_OK, decode_snap_pools),
	DFN("agents", DECODE_IF_OK, decode_snap_agents),
	DFN("queues", DECODE_IF_OK, decode_snap_queues),
	DFN("stats", DECODE_IF_OK, decode_snap_stats),
};

static const struct decode_field decode_reply_history[] = {
	DECODE_REPLY_BASE,
	DFN("rows", DECODE_IF_OK, decode_reply_rows),
};

static const struct decode_field decode_reply_audit[] = {
	DECODE_REPLY_BASE,
	DFN("moves", DECODE_IF_OK, decode_reply_moves),
};

struct decode_table {
	const struct decode_field *tab;
	size_t n;
};

static const struct decode_table decode_reply_tables[PROTO_OP__COUNT] = {
	[PROTO_OP_PING] = { decode_reply_ping, DECODE_N(decode_reply_ping) },
	[PROTO_OP_SNAPSHOT] = { decode_reply_snapshot, DECODE_N(decode_reply_snapshot) },
	[PROTO_OP_MOVE] = { decode_reply_move, DECODE_N(decode_reply_move) },
	[PROTO_OP_HISTORY] = { decode_reply_history, DECODE_N(decode_reply_history) },
	[PROTO_OP_AUDIT] = { decode_reply_audit, DECODE_N(decode_reply_audit) },
};

/*
 * The request id, found by walking the top-level map again, so that a
 * frame rejected for a later (or earlier) reason can still be answered
 * under its id.  Stops at the first thing it cannot walk over.
 */
static void
decode_rescue_id(const uint8_t *buf, size_t len, char id[PROTO_REQID_MAX + 1])
{
	struct mpread r;
	uint32_t n;

	mpread_init(&r, buf, len);
	if (mpread_map(&r, &n) != PROTO_OK)
		return;
	while (n-- > 0) {
		const char *k;
		uint32_t kn;

		if (mpread_str(&r, &k, &kn) != PROTO_OK)
			return;
		if (DECODE_IS(k, kn, "id")) {
			char tmp[PROTO_REQID_MAX + 1];

			if (decode_str(&r, tmp, PROTO_REQID_MAX) == PROTO_OK)
				memcpy(id, tmp, sizeof tmp);
			return;
		}
		if (mpread_skip(&r) != PROTO_OK)
			return;
	}
}

/* With no body on an error reply, a stray one is dropped, not kept. */
static void
decode_reply_drop_body(struct proto_reply *rp)
{
	enum proto_op op = rp->op;

	proto_reply_free(rp);
	rp->op = op;
	rp->epoch = rp->seq = 0;
}

int
proto_decode_reply(const uint8_t *buf, size_t len, enum proto_op op, struct proto_reply *rp)
{
	const struct decode_table *t;
	struct mpread r;
	uint64_t seen = 0;
	int err;

	memset(rp, 0, sizeof *rp);
	rp->op = op;
	if ((unsigned)op >= PROTO_OP__COUNT)
		return PROTO_E_VALUE;
	if (len > PROTO_REPLY_BYTES_MAX)
		return PROTO_E_LIMIT;
	t = &decode_reply_tables[op];
	if (op == PROTO_OP_SNAPSHOT && (rp->snapshot = calloc(1, sizeof *rp->snapshot)) == NULL)
		return PROTO_E_NOMEM;
	mpread_init(&r, buf, len);
	err = decode_map(&r, t->tab, t->n, rp, &seen);
	if (err == PROTO_OK && r.p != r.end)
		err = PROTO_E_TRAILING;
	if (err == PROTO_OK && !(seen & DECODE_SEEN_V))
		err = PROTO_E_VALUE;
	if (err == PROTO_OK)
		err = decode_missing(t->tab, t->n, seen, rp->ok ? DECODE_IF_OK : DECODE_IF_ERR);
	if (err != PROTO_OK) {
		decode_reply_drop_body(rp);
		if (!(seen & DECODE_SEEN_ID))
			decode_rescue_id(buf, len, rp->id);
		return err;
	}
	if (!rp->ok) {
		decode_reply_drop_body(rp);
	} else {
		rp->err = PROTO_RE_NONE;
		rp->msg[0] = '\0';
		if (rp->snapshot != NULL) {
			rp->snapshot->epoch = rp->epoch;
			rp->snapshot->seq = rp->seq;
		}
	}
	return PROTO_OK;
}

/* ------------------------------------------------------------- requests */

static int
decode_rq_op(struct mpread *r, void *obj)
{
	struct proto_request *rq = obj;
	int v, err = decode_enum(r, proto_op_parse, &v);

	if (err == PROTO_E_VALUE)
		rq->op = PROTO_OP__COUNT;   /* the server answers unknown_op */
	else if (err == PROTO_OK)
		rq->op = (enum proto_op)v;
	return err;
}

static int
decode_rq_agents(struct mpread *r, void *obj)
{
	struct proto_request *rq = obj;

	return decode_ids(r, PROTO_MOVE_AGENTS_MAX, &rq->agents, &rq->n_agents);
}

#define RQ(k, kind, need, cap, member) DF(k, kind, need, cap, struct proto_request, member)
static const struct decode_field decode_request_fields[] = {
	DFN("v", DECODE_OPT, decode_v),
	RQ("id", DK_STR, DECODE_REQ, PROTO_REQID_MAX, id),
	DFN("op", DECODE_REQ, decode_rq_op),
	DFN("agents", DECODE_IF_OP(PROTO_OP_MOVE), decode_rq_agents),
	RQ("to", DK_STR, DECODE_IF_OP(PROTO_OP_MOVE), PROTO_ID_MAX, to),
	RQ("reason", DK_STR, DECODE_IF_OP(PROTO_OP_MOVE), PROTO_TEXT_MAX, reason),
	RQ("by", DK_STR, DECODE_OPT, PROTO_ID_MAX, by),
	RQ("force", DK_BOOL, DECODE_OPT, 0, force),
	RQ("from", DK_STR, DECODE_OPT, PROTO_ID_MAX, from),   /* addition */
	RQ("until", DK_I64, DECODE_OPT, 0, until),
	RQ("shifts", DK_U32, DECODE_IF_OP(PROTO_OP_HISTORY), 0, shifts),
	RQ("tenant", DK_STR, DECODE_OPT, PROTO_ID_MAX, tenant),
	RQ("limit", DK_U32, DECODE_OPT, 0, limit),
	RQ("feed", DK_BOOL, DECODE_OPT, 0, feed),
	RQ("client", DK_STR, DECODE_OPT, PROTO_REQID_MAX, client),
};
#undef RQ

/* Without `op` the request is checked as a ping: id and op are required
 * in every context, so that reports the op as missing. */
static int
decode_request_check(const struct proto_request *rq, uint64_t seen)
{
	int err;

	if (!(seen & DECODE_SEEN_V))
		return PROTO_E_VALUE;
	err = decode_missing(decode_request_fields, DECODE_N(decode_request_fields), seen,
	                     DECODE_IF_OP(rq->op));
	if (err != PROTO_OK)
		return err;
	if (rq->op == PROTO_OP_MOVE && rq->n_agents == 0)
		return PROTO_E_VALUE;
	return PROTO_OK;
}

int
proto_decode_request(const uint8_t *buf, size_t len, struct proto_request *rq)
{
	struct mpread r;
	uint64_t seen = 0;
	int err;

	memset(rq, 0, sizeof *rq);
	if (len > PROTO_REQUEST_BYTES_MAX)
		return PROTO_E_LIMIT;
	mpread_init(&r, buf, len);
	err = decode_map(&r, decode_request_fields, DECODE_N(decode_request_fields), rq, &seen);
	if (err == PROTO_OK && r.p != r.end)
		err = PROTO_E_TRAILING;
	if (err == PROTO_OK)
		err = decode_request_check(rq, seen);
	if (err != PROTO_OK) {
		proto_request_free(rq);
		if (!(seen & DECODE_SEEN_ID))
			decode_rescue_id(buf, len, rq->id);
	}
	return err;
}
