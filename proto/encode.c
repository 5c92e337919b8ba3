/*
 * encode: messages to msgpack with msgpack-c's packer, appended to a
 * proto_buf.  Integers take msgpack-c's smallest encoding, so a receiver
 * must accept any int width for a number field (ours does).
 *
 * Each packer call returns non-zero only when the buffer cannot grow;
 * the encoders OR those results together and roll the buffer back, so a
 * failed encode leaves what was in the buffer before it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "pooltop/proto.h"

static int
encode_grow(struct proto_buf *b, size_t need)
{
	size_t cap = b->cap ? b->cap : 256;
	uint8_t *p;

	while (cap - b->len < need) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	p = realloc(b->data, cap);
	if (p == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

static int
encode_write(void *data, const char *buf, size_t len)
{
	struct proto_buf *b = data;

	if (b->cap - b->len < len && encode_grow(b, len) < 0)
		return -1;
	memcpy(b->data + b->len, buf, len);
	b->len += len;
	return 0;
}

/* Fixed fields may lack their NUL if a caller filled them by hand; never
 * read past the field. */
static int
encode_str(msgpack_packer *pk, const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	return msgpack_pack_str(pk, n) | msgpack_pack_str_body(pk, s, n);
}

static int
encode_key(msgpack_packer *pk, const char *k)
{
	return encode_str(pk, k, strlen(k));
}

static int
encode_kstr(msgpack_packer *pk, const char *k, const char *s, size_t cap)
{
	return encode_key(pk, k) | encode_str(pk, s, cap);
}

/* Optional string that is nil on the wire when empty. */
static int
encode_kstr_nil(msgpack_packer *pk, const char *k, const char *s, size_t cap)
{
	if (s[0] == '\0')
		return encode_key(pk, k) | msgpack_pack_nil(pk);
	return encode_kstr(pk, k, s, cap);
}

static int
encode_kuint(msgpack_packer *pk, const char *k, uint64_t v)
{
	return encode_key(pk, k) | msgpack_pack_uint64(pk, v);
}

static int
encode_kint(msgpack_packer *pk, const char *k, int64_t v)
{
	return encode_key(pk, k) | msgpack_pack_int64(pk, v);
}

static int
encode_kdouble(msgpack_packer *pk, const char *k, double v)
{
	/* NaN and infinity are not numbers a receiver can show or add up
	 * (JSON has neither): 0 goes in their place, PROTOCOL.md §2. */
	if (!isfinite(v))
		v = 0;
	return encode_key(pk, k) | msgpack_pack_double(pk, v);
}

static int
encode_kbool(msgpack_packer *pk, const char *k, bool v)
{
	return encode_key(pk, k) | (v ? msgpack_pack_true(pk) : msgpack_pack_false(pk));
}

static int
encode_kname(msgpack_packer *pk, const char *k, const char *name)
{
	return encode_kstr(pk, k, name, strlen(name));
}

static int
encode_finish(struct proto_buf *b, size_t start, int err)
{
	if (err == 0)
		return PROTO_OK;
	b->len = start;
	return PROTO_E_NOMEM;
}

/* ---------------------------------------------------------------- events */

static uint32_t
encode_event_nfields(const struct proto_event *ev)
{
	switch (ev->type) {
	case PROTO_EV_CONTACT_QUEUED: return 3;
	case PROTO_EV_CONTACT_ANSWERED: return 4;
	case PROTO_EV_CONTACT_ABANDONED: return 3 + (ev->exit[0] != '\0');
	case PROTO_EV_CONTACT_ENDED: return 4;
	case PROTO_EV_CONTACT_WRAPPED: return 4;
	case PROTO_EV_AGENT_STATE: return 3 + (ev->reason[0] != '\0');
	case PROTO_EV_AGENT_MOVED: return 7 + (ev->name[0] != '\0');
	case PROTO_EV_SHIFT_STARTED: return 3;
	default: return 0;
	}
}

static int
encode_event_body(msgpack_packer *pk, const struct proto_event *ev)
{
	int e = 0;

	switch (ev->type) {
	case PROTO_EV_CONTACT_QUEUED:
		e |= encode_kstr(pk, "tenant", ev->tenant, PROTO_ID_MAX);
		e |= encode_kuint(pk, "contact", ev->contact);
		e |= encode_kname(pk, "channel", proto_channel_name(ev->channel));
		break;
	case PROTO_EV_CONTACT_ANSWERED:
	case PROTO_EV_CONTACT_ABANDONED:
	case PROTO_EV_CONTACT_ENDED:
	case PROTO_EV_CONTACT_WRAPPED:
		e |= encode_kstr(pk, "tenant", ev->tenant, PROTO_ID_MAX);
		e |= encode_kuint(pk, "contact", ev->contact);
		if (ev->type != PROTO_EV_CONTACT_ABANDONED)
			e |= encode_kstr(pk, "agent", ev->agent, PROTO_ID_MAX);
		if (ev->type == PROTO_EV_CONTACT_ENDED)
			e |= encode_kuint(pk, "talk_ms", ev->talk_ms);
		else if (ev->type == PROTO_EV_CONTACT_WRAPPED)
			e |= encode_kuint(pk, "wrap_ms", ev->wrap_ms);
		else
			e |= encode_kuint(pk, "wait_ms", ev->wait_ms);
		if (ev->type == PROTO_EV_CONTACT_ABANDONED && ev->exit[0])
			e |= encode_kstr(pk, "exit", ev->exit, PROTO_ID_MAX);
		break;
	case PROTO_EV_AGENT_STATE:
		e |= encode_kstr(pk, "agent", ev->agent, PROTO_ID_MAX);
		e |= encode_kname(pk, "state", proto_agent_state_name(ev->state));
		e |= encode_kstr_nil(pk, "tenant", ev->tenant, PROTO_ID_MAX);
		if (ev->reason[0])
			e |= encode_kstr(pk, "reason", ev->reason, PROTO_TEXT_MAX);
		break;
	case PROTO_EV_AGENT_MOVED:
		e |= encode_kstr(pk, "agent", ev->agent, PROTO_ID_MAX);
		e |= encode_kstr(pk, "from", ev->from, PROTO_ID_MAX);
		e |= encode_kstr(pk, "to", ev->to, PROTO_ID_MAX);
		e |= encode_kstr(pk, "by", ev->by, PROTO_ID_MAX);
		e |= encode_kstr(pk, "req", ev->req, PROTO_REQID_MAX);
		e |= encode_kstr(pk, "reason", ev->reason, PROTO_TEXT_MAX);
		e |= encode_kbool(pk, "forced", ev->forced);
		if (ev->name[0])
			e |= encode_kstr(pk, "name", ev->name, PROTO_NAME_MAX);
		break;
	case PROTO_EV_SHIFT_STARTED:
		e |= encode_kstr(pk, "shift", ev->shift, PROTO_ID_MAX);
		e |= encode_kint(pk, "start_ts", ev->start_ts);
		e |= encode_kint(pk, "end_ts", ev->end_ts);
		break;
	default:
		break;
	}
	return e;
}

int
proto_encode_event(struct proto_buf *b, const struct proto_event *ev)
{
	size_t start = b->len;
	msgpack_packer pk;
	int e;

	msgpack_packer_init(&pk, b, encode_write);
	e = msgpack_pack_map(&pk, 5 + encode_event_nfields(ev));
	e |= encode_kuint(&pk, "v", PROTO_VERSION);
	e |= encode_kname(&pk, "type", proto_event_type_name(ev->type));
	e |= encode_kuint(&pk, "epoch", ev->epoch);
	e |= encode_kuint(&pk, "seq", ev->seq);
	e |= encode_kint(&pk, "ts", ev->ts);
	e |= encode_event_body(&pk, ev);
	return encode_finish(b, start, e);
}

/* -------------------------------------------------------------- requests */

static int
encode_ids(msgpack_packer *pk, uint32_t n, const char (*ids)[PROTO_ID_MAX + 1])
{
	int e = msgpack_pack_array(pk, n);

	for (uint32_t i = 0; i < n; i++)
		e |= encode_str(pk, ids[i], PROTO_ID_MAX);
	return e;
}

static int
encode_request_move(msgpack_packer *pk, const struct proto_request *rq)
{
	int e = msgpack_pack_map(pk, 6 + (rq->by[0] != '\0') + rq->force + (rq->from[0] != '\0') +
	                              (rq->client[0] != '\0'));

	e |= encode_kuint(pk, "v", PROTO_VERSION);
	e |= encode_kstr(pk, "id", rq->id, PROTO_REQID_MAX);
	e |= encode_kname(pk, "op", proto_op_name(rq->op));
	e |= encode_key(pk, "agents") | encode_ids(pk, rq->agents ? rq->n_agents : 0,
	                                            (const char (*)[PROTO_ID_MAX + 1])rq->agents);
	e |= encode_kstr(pk, "to", rq->to, PROTO_ID_MAX);
	e |= encode_kstr(pk, "reason", rq->reason, PROTO_TEXT_MAX);
	if (rq->by[0] != '\0')
		e |= encode_kstr(pk, "by", rq->by, PROTO_ID_MAX);
	if (rq->force)
		e |= encode_kbool(pk, "force", true);
	if (rq->from[0] != '\0')
		e |= encode_kstr(pk, "from", rq->from, PROTO_ID_MAX);
	if (rq->client[0] != '\0')
		e |= encode_kstr(pk, "client", rq->client, PROTO_REQID_MAX);
	return e;
}

int
proto_encode_request(struct proto_buf *b, const struct proto_request *rq)
{
	size_t start = b->len;
	msgpack_packer pk;
	uint32_t extra = rq->client[0] != '\0';
	int e;

	msgpack_packer_init(&pk, b, encode_write);
	if (rq->op == PROTO_OP_MOVE)
		return encode_finish(b, start, encode_request_move(&pk, rq));

	if (rq->op == PROTO_OP_HISTORY)
		e = msgpack_pack_map(&pk, 4 + (rq->tenant[0] != '\0') + extra);
	else if (rq->op == PROTO_OP_AUDIT)
		e = msgpack_pack_map(&pk, 3 + (rq->limit != 0) + extra);
	else
		e = msgpack_pack_map(&pk, 3 + (rq->op == PROTO_OP_PING && rq->feed) + extra);
	e |= encode_kuint(&pk, "v", PROTO_VERSION);
	e |= encode_kstr(&pk, "id", rq->id, PROTO_REQID_MAX);
	e |= encode_kname(&pk, "op", proto_op_name(rq->op));
	if (rq->op == PROTO_OP_HISTORY) {
		e |= encode_kuint(&pk, "shifts", rq->shifts);
		if (rq->tenant[0] != '\0')
			e |= encode_kstr(&pk, "tenant", rq->tenant, PROTO_ID_MAX);
	} else if (rq->op == PROTO_OP_AUDIT && rq->limit != 0) {
		e |= encode_kuint(&pk, "limit", rq->limit);
	} else if (rq->op == PROTO_OP_PING && rq->feed) {
		e |= encode_kbool(&pk, "feed", true);
	}
	if (extra)
		e |= encode_kstr(&pk, "client", rq->client, PROTO_REQID_MAX);
	return encode_finish(b, start, e);
}

/* ------------------------------------------------------------- snapshot */

static int
encode_shift_defs(msgpack_packer *pk, const struct proto_snapshot *s)
{
	uint32_t n = s->shifts ? s->n_shifts : 0;
	int e = encode_key(pk, "shifts") | msgpack_pack_array(pk, n);

	for (uint32_t i = 0; i < n; i++) {
		const struct proto_shift_def *d = &s->shifts[i];

		e |= msgpack_pack_map(pk, 3);
		e |= encode_kstr(pk, "name", d->name, PROTO_ID_MAX);
		e |= encode_kstr(pk, "start", d->start, PROTO_HHMM_MAX);
		e |= encode_kstr(pk, "end", d->end, PROTO_HHMM_MAX);
	}
	return e;
}

static int
encode_tenant(msgpack_packer *pk, const struct proto_tenant *t)
{
	int e = msgpack_pack_map(pk, 11);

	e |= encode_kstr(pk, "id", t->id, PROTO_ID_MAX);
	e |= encode_kstr(pk, "name", t->name, PROTO_NAME_MAX);
	e |= encode_kname(pk, "model", proto_model_name(t->model));
	e |= encode_kdouble(pk, "sl_pct", t->sl_pct);
	e |= encode_kuint(pk, "sl_sec", t->sl_sec);
	e |= encode_kdouble(pk, "dedicated_rate", t->dedicated_rate);
	e |= encode_kdouble(pk, "shared_rate", t->shared_rate);
	e |= encode_kuint(pk, "min_dedicated", t->min_dedicated);
	e |= encode_kuint(pk, "overflow_sec", t->overflow_sec);
	e |= encode_kstr(pk, "open", t->open, PROTO_HHMM_MAX);
	e |= encode_kstr(pk, "close", t->close, PROTO_HHMM_MAX);
	return e;
}

static int
encode_pool(msgpack_packer *pk, const struct proto_pool *p)
{
	bool dedicated = p->kind == PROTO_POOL_DEDICATED;
	int e = msgpack_pack_map(pk, 3 + dedicated);

	e |= encode_kstr(pk, "id", p->id, PROTO_ID_MAX);
	e |= encode_kname(pk, "kind", proto_pool_kind_name(p->kind));
	if (dedicated)
		e |= encode_kstr(pk, "tenant", p->tenant, PROTO_ID_MAX);
	e |= encode_key(pk, "serves");
	e |= encode_ids(pk, p->serves ? p->n_serves : 0, (const char (*)[PROTO_ID_MAX + 1])p->serves);
	return e;
}

static int
encode_agent(msgpack_packer *pk, const struct proto_agent *a)
{
	int e = msgpack_pack_map(pk, 10);

	e |= encode_kstr(pk, "id", a->id, PROTO_ID_MAX);
	e |= encode_kstr(pk, "name", a->name, PROTO_NAME_MAX);
	e |= encode_kstr(pk, "pool", a->pool, PROTO_ID_MAX);
	e |= encode_kname(pk, "state", proto_agent_state_name(a->state));
	e |= encode_kstr_nil(pk, "tenant", a->tenant, PROTO_ID_MAX);
	e |= encode_kint(pk, "since_ts", a->since_ts);
	e |= encode_kuint(pk, "handled", a->handled);
	e |= encode_kuint(pk, "contact", a->contact);
	e |= encode_kstr_nil(pk, "handling_pool", a->handling_pool, PROTO_ID_MAX);
	e |= encode_kint(pk, "acc_ts", a->acc_ts);
	return e;
}

static int
encode_queue(msgpack_packer *pk, const struct proto_queue *q)
{
	uint32_t n = q->contacts ? q->n_contacts : 0;
	int e = msgpack_pack_map(pk, 4);

	e |= encode_kstr(pk, "tenant", q->tenant, PROTO_ID_MAX);
	e |= encode_kuint(pk, "waiting", q->waiting);
	e |= encode_kint(pk, "oldest_ts", q->oldest_ts);
	e |= encode_key(pk, "contacts") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++) {
		const struct proto_queued *c = &q->contacts[i];

		e |= msgpack_pack_map(pk, 3);
		e |= encode_kuint(pk, "contact", c->contact);
		e |= encode_kint(pk, "ts", c->ts);
		e |= encode_kname(pk, "channel", proto_channel_name(c->channel));
	}
	return e;
}

static int
encode_stats_row(msgpack_packer *pk, const struct proto_stats_row *r, const struct proto_sl_row *sl)
{
	uint32_t n = r->n_intervals < PROTO_INTERVALS_MAX ? r->n_intervals : PROTO_INTERVALS_MAX;
	uint32_t nsl = sl == NULL ? 0 : sl->n < PROTO_INTERVALS_MAX ? sl->n : PROTO_INTERVALS_MAX;
	int e = msgpack_pack_map(pk, 17 + (r->covered_ms ? 1 : 0) + (nsl > 0) + 2 * r->has_busy);

	e |= encode_kstr(pk, "tenant", r->tenant, PROTO_ID_MAX);
	e |= encode_kstr(pk, "shift", r->shift, PROTO_ID_MAX);
	if (r->covered_ms)
		e |= encode_kuint(pk, "covered_ms", r->covered_ms);
	e |= encode_kint(pk, "start_ts", r->start_ts);
	e |= encode_kint(pk, "end_ts", r->end_ts);
	e |= encode_kuint(pk, "offered", r->offered);
	e |= encode_kuint(pk, "answered", r->answered);
	e |= encode_kuint(pk, "answered_in_sl", r->answered_in_sl);
	e |= encode_kuint(pk, "abandoned", r->abandoned);
	e |= encode_kuint(pk, "abandoned_short", r->abandoned_short);
	e |= encode_kuint(pk, "wait_ms", r->wait_ms);
	e |= encode_kuint(pk, "talk_ms", r->talk_ms);
	e |= encode_kuint(pk, "wrap_ms", r->wrap_ms);
	e |= encode_kuint(pk, "dedicated_staffed_ms", r->dedicated_staffed_ms);
	e |= encode_kuint(pk, "shared_handle_ms", r->shared_handle_ms);
	e |= encode_kdouble(pk, "cost", r->cost);
	e |= encode_kuint(pk, "handled", r->handled);
	if (r->has_busy) {
		e |= encode_kuint(pk, "dedicated_busy_ms", r->dedicated_busy_ms);
		e |= encode_kuint(pk, "dedicated_break_ms", r->dedicated_break_ms);
	}
	e |= encode_key(pk, "intervals") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= msgpack_pack_uint32(pk, r->intervals[i]);
	if (nsl > 0) {
		e |= encode_key(pk, "sl_intervals") | msgpack_pack_array(pk, nsl);
		for (uint32_t i = 0; i < nsl; i++) {
			const struct proto_sl_interval *v = &sl->iv[i];

			e |= msgpack_pack_array(pk, 5);
			e |= msgpack_pack_uint32(pk, v->answered);
			e |= msgpack_pack_uint32(pk, v->answered_in_sl);
			e |= msgpack_pack_uint32(pk, v->abandoned);
			e |= msgpack_pack_uint32(pk, v->abandoned_short);
			e |= msgpack_pack_uint64(pk, v->wait_ms);
		}
	}
	return e;
}

static int
encode_stats_rows(msgpack_packer *pk, const char *key, uint32_t n,
                  const struct proto_stats_row *rows, const struct proto_sl_row *sl)
{
	int e;

	if (rows == NULL)
		n = 0;
	e = encode_key(pk, key) | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= encode_stats_row(pk, &rows[i], sl ? &sl[i] : NULL);
	return e;
}

/* Snapshot fields sit in the reply map itself, next to v/id/ok. */
static int
encode_snapshot_fields(msgpack_packer *pk, const struct proto_snapshot *s)
{
	uint32_t n;
	int e = 0;

	e |= encode_kuint(pk, "epoch", s->epoch);
	e |= encode_kuint(pk, "seq", s->seq);
	e |= encode_kint(pk, "ts", s->ts);
	e |= encode_key(pk, "shift") | msgpack_pack_map(pk, 3);
	e |= encode_kstr(pk, "name", s->shift_name, PROTO_ID_MAX);
	e |= encode_kint(pk, "start_ts", s->shift_start_ts);
	e |= encode_kint(pk, "end_ts", s->shift_end_ts);
	e |= encode_shift_defs(pk, s);
	n = s->tenants ? s->n_tenants : 0;
	e |= encode_key(pk, "tenants") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= encode_tenant(pk, &s->tenants[i]);
	n = s->pools ? s->n_pools : 0;
	e |= encode_key(pk, "pools") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= encode_pool(pk, &s->pools[i]);
	n = s->agents ? s->n_agents : 0;
	e |= encode_key(pk, "agents") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= encode_agent(pk, &s->agents[i]);
	n = s->queues ? s->n_queues : 0;
	e |= encode_key(pk, "queues") | msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < n; i++)
		e |= encode_queue(pk, &s->queues[i]);
	e |= encode_stats_rows(pk, "stats", s->n_stats, s->stats, s->stats_sl);
	return e;
}

/* ---------------------------------------------------------------- audit */

static int
encode_audit_row(msgpack_packer *pk, const struct proto_audit_row *a)
{
	int e = msgpack_pack_map(pk, 10);

	e |= encode_kint(pk, "ts", a->ts);
	e |= encode_kstr(pk, "by", a->by, PROTO_ID_MAX);
	e |= encode_kstr(pk, "req", a->req, PROTO_REQID_MAX);
	e |= encode_kstr(pk, "agent", a->agent, PROTO_ID_MAX);
	e |= encode_kstr(pk, "from", a->from, PROTO_ID_MAX);
	e |= encode_kstr(pk, "to", a->to, PROTO_ID_MAX);
	e |= encode_kstr(pk, "reason", a->reason, PROTO_TEXT_MAX);
	e |= encode_kbool(pk, "forced", a->forced);
	e |= encode_kuint(pk, "seq", a->seq);
	e |= encode_kuint(pk, "epoch", a->epoch);
	return e;
}

/* --------------------------------------------------------------- replies */

static uint32_t
encode_reply_nfields(const struct proto_reply *rp)
{
	if (!rp->ok)
		return 5;
	switch (rp->op) {
	case PROTO_OP_PING: return 5 + (rp->n_source > 0);
	case PROTO_OP_MOVE: return 5;
	case PROTO_OP_SNAPSHOT: return 13;
	case PROTO_OP_HISTORY: return 4;
	case PROTO_OP_AUDIT: return 4;
	default: return 3;
	}
}

static int
encode_reply_body(msgpack_packer *pk, const struct proto_reply *rp)
{
	static const struct proto_snapshot empty;
	int e = 0;

	switch (rp->op) {
	case PROTO_OP_PING:
		e |= encode_kuint(pk, "epoch", rp->epoch);
		e |= encode_kuint(pk, "seq", rp->seq);
		if (rp->n_source > 0) {
			/* addition: the ACD source's counters, name -> uint */
			e |= encode_str(pk, "source", 6);
			e |= msgpack_pack_map(pk, rp->n_source);
			for (uint32_t i = 0; i < rp->n_source; i++)
				e |= encode_kuint(pk, rp->source[i].name, rp->source[i].value);
		}
		break;
	case PROTO_OP_MOVE:
		/* epoch is an addition: it places seq after a restart. */
		e |= encode_kuint(pk, "seq", rp->seq);
		e |= encode_kuint(pk, "epoch", rp->epoch);
		break;
	case PROTO_OP_SNAPSHOT:
		/* A missing snapshot is a caller bug; an empty floor is still a
		 * well-formed reply, unlike a map with fewer fields than it says. */
		e |= encode_snapshot_fields(pk, rp->snapshot ? rp->snapshot : &empty);
		break;
	case PROTO_OP_HISTORY:
		e |= encode_stats_rows(pk, "rows", rp->n_rows, rp->rows, rp->rows_sl);
		break;
	case PROTO_OP_AUDIT: {
		uint32_t n = rp->audit ? rp->n_audit : 0;

		e |= encode_key(pk, "moves") | msgpack_pack_array(pk, n);
		for (uint32_t i = 0; i < n; i++)
			e |= encode_audit_row(pk, &rp->audit[i]);
		break;
	}
	default:
		break;
	}
	return e;
}

int
proto_encode_reply(struct proto_buf *b, const struct proto_reply *rp)
{
	size_t start = b->len;
	msgpack_packer pk;
	int e;

	msgpack_packer_init(&pk, b, encode_write);
	e = msgpack_pack_map(&pk, encode_reply_nfields(rp));
	e |= encode_kuint(&pk, "v", PROTO_VERSION);
	e |= encode_kstr(&pk, "id", rp->id, PROTO_REQID_MAX);
	e |= encode_kbool(&pk, "ok", rp->ok);
	if (!rp->ok) {
		e |= encode_kname(&pk, "err", proto_reply_err_name(rp->err));
		e |= encode_kstr(&pk, "msg", rp->msg, PROTO_TEXT_MAX);
	} else {
		e |= encode_reply_body(&pk, rp);
	}
	return encode_finish(b, start, e);
}
