/*
 * test_proto: the wire codec.  Randomised encode -> decode round trips of
 * every message, a table of malformed frames with the exact error each
 * must give, and 100,000 random and mutated frames through all three
 * decoders (run under ASan/UBSan this is also the leak check).
 */
#include <check.h>
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "pooltop/mpread.h"
#include "pooltop/proto.h"

#include "testlib.h"

/* ------------------------------------------------------------ helpers */

struct test_rng {
	uint64_t s;
};

static uint64_t
test_rand(struct test_rng *r)
{
	/* xorshift64*: deterministic across platforms, so a failure replays */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545f4914f6cdd1dULL;
}

static uint32_t
test_below(struct test_rng *r, uint32_t n)
{
	return n ? (uint32_t)(test_rand(r) % n) : 0;
}

/* Integers that hit every msgpack width boundary, and random ones. */
static uint64_t
test_rand_u64(struct test_rng *r)
{
	static const uint64_t edge[] = {
		0, 1, 127, 128, 255, 256, 65535, 65536, 4294967295u, 4294967296u,
		UINT64_MAX - 1, UINT64_MAX,
	};

	switch (test_below(r, 4)) {
	case 0: return edge[test_below(r, sizeof edge / sizeof edge[0])];
	case 1: return test_below(r, 1000);
	case 2: return test_rand(r) >> test_below(r, 64);
	default: return test_rand(r);
	}
}

static int64_t
test_rand_i64(struct test_rng *r)
{
	static const int64_t edge[] = {
		0, -1, -32, -33, -128, -129, -32768, -32769, INT32_MIN, (int64_t)INT32_MIN - 1,
		INT64_MIN, INT64_MAX, 127, 1732400000000LL,
	};

	switch (test_below(r, 3)) {
	case 0: return edge[test_below(r, sizeof edge / sizeof edge[0])];
	case 1: return (int64_t)(test_rand(r) >> test_below(r, 64)) * (test_below(r, 2) ? 1 : -1);
	default: return (int64_t)test_rand(r);
	}
}

static uint32_t
test_rand_u32(struct test_rng *r)
{
	return (uint32_t)test_rand_u64(r);
}

static double
test_rand_double(struct test_rng *r)
{
	switch (test_below(r, 4)) {
	case 0: return 0.0;
	case 1: return (double)test_below(r, 100);
	case 2: return -12.5;
	default: return (double)(int64_t)test_rand(r) / 1048576.0;
	}
}

/* A random UTF-8 string of at most cap bytes, often exactly cap, with
 * 1- to 4-byte characters and never a NUL. */
static void
test_rand_str(struct test_rng *r, char *dst, size_t cap)
{
	static const char *const wide[] = { "\xc3\xa9", "\xd0\x96", "\xe2\x82\xac", "\xe4\xb8\xad",
	                                    "\xf0\x9f\x98\x80" };
	size_t want, n = 0;

	switch (test_below(r, 4)) {
	case 0: want = 0; break;
	case 1: want = cap; break;
	default: want = test_below(r, (uint32_t)cap + 1); break;
	}
	while (n < want) {
		if (test_below(r, 3) == 0) {
			const char *w = wide[test_below(r, 5)];
			size_t wl = strlen(w);

			if (n + wl <= want) {
				memcpy(dst + n, w, wl);
				n += wl;
				continue;
			}
		}
		dst[n++] = (char)(' ' + test_below(r, 95));
	}
	dst[n] = '\0';
}

/* ------------------------------------------------------------ builders */

/*
 * A frame from a compact format, for hand-made and malformed input:
 * M map(int)  A array(int)  s str  u uint(int)  i int(int)  U uint64_t
 * I int64_t  n nil  t true  f false  d double  x raw byte(int)  space: nothing.
 */
static size_t
test_frame(uint8_t *out, size_t cap, const char *fmt, ...)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	va_list ap;
	size_t n;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	va_start(ap, fmt);
	for (const char *f = fmt; *f; f++) {
		switch (*f) {
		case 'M': msgpack_pack_map(&pk, (size_t)va_arg(ap, int)); break;
		case 'A': msgpack_pack_array(&pk, (size_t)va_arg(ap, int)); break;
		case 's': {
			const char *s = va_arg(ap, const char *);

			msgpack_pack_str(&pk, strlen(s));
			msgpack_pack_str_body(&pk, s, strlen(s));
			break;
		}
		case 'u': msgpack_pack_uint64(&pk, (uint64_t)va_arg(ap, int)); break;
		case 'i': msgpack_pack_int64(&pk, va_arg(ap, int)); break;
		case 'U': msgpack_pack_uint64(&pk, va_arg(ap, uint64_t)); break;
		case 'I': msgpack_pack_int64(&pk, va_arg(ap, int64_t)); break;
		case 'n': msgpack_pack_nil(&pk); break;
		case 't': msgpack_pack_true(&pk); break;
		case 'f': msgpack_pack_false(&pk); break;
		case 'd': msgpack_pack_double(&pk, va_arg(ap, double)); break;
		case 'x': {
			char c = (char)va_arg(ap, int);

			msgpack_sbuffer_write(&sb, &c, 1);
			break;
		}
		default: break;
		}
	}
	va_end(ap);
	ck_assert_uint_le(sb.size, cap);
	memcpy(out, sb.data, sb.size);
	n = sb.size;
	msgpack_sbuffer_destroy(&sb);
	return n;
}

/* The five base fields of an event, v first. */
#define TEST_EV_BASE(type) "v", 1, "type", type, "epoch", 7, "seq", 42, "ts", 1000
#define TEST_EV_BASE_FMT "su ss su su su"

static void
test_rand_event(struct test_rng *r, enum proto_event_type t, struct proto_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->type = t;
	ev->epoch = test_rand_u64(r);
	ev->seq = test_rand_u64(r);
	ev->ts = test_rand_i64(r);
	switch (t) {
	case PROTO_EV_CONTACT_QUEUED:
		ev->channel = (enum proto_channel)test_below(r, PROTO_CH__COUNT);
		/* fall through */
	case PROTO_EV_CONTACT_ANSWERED:
	case PROTO_EV_CONTACT_ABANDONED:
	case PROTO_EV_CONTACT_ENDED:
	case PROTO_EV_CONTACT_WRAPPED:
		test_rand_str(r, ev->tenant, PROTO_ID_MAX);
		ev->contact = test_rand_u64(r);
		if (t != PROTO_EV_CONTACT_QUEUED && t != PROTO_EV_CONTACT_ABANDONED)
			test_rand_str(r, ev->agent, PROTO_ID_MAX);
		if (t == PROTO_EV_CONTACT_ANSWERED || t == PROTO_EV_CONTACT_ABANDONED)
			ev->wait_ms = test_rand_u64(r);
		if (t == PROTO_EV_CONTACT_ENDED)
			ev->talk_ms = test_rand_u64(r);
		if (t == PROTO_EV_CONTACT_WRAPPED)
			ev->wrap_ms = test_rand_u64(r);
		break;
	case PROTO_EV_AGENT_STATE:
		test_rand_str(r, ev->agent, PROTO_ID_MAX);
		ev->state = (enum proto_agent_state)test_below(r, PROTO_AS__COUNT);
		test_rand_str(r, ev->tenant, PROTO_ID_MAX);
		break;
	case PROTO_EV_AGENT_MOVED:
		test_rand_str(r, ev->agent, PROTO_ID_MAX);
		test_rand_str(r, ev->from, PROTO_ID_MAX);
		test_rand_str(r, ev->to, PROTO_ID_MAX);
		test_rand_str(r, ev->by, PROTO_ID_MAX);
		test_rand_str(r, ev->req, PROTO_REQID_MAX);
		test_rand_str(r, ev->reason, PROTO_TEXT_MAX);
		ev->until = test_rand_i64(r);
		break;
	case PROTO_EV_SHIFT_STARTED:
		test_rand_str(r, ev->shift, PROTO_ID_MAX);
		ev->start_ts = test_rand_i64(r);
		ev->end_ts = test_rand_i64(r);
		break;
	default:
		break;
	}
}

static void
test_check_event(const struct proto_event *a, const struct proto_event *b)
{
	ck_assert_int_eq(a->type, b->type);
	ck_assert_uint_eq(a->epoch, b->epoch);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_int_eq(a->ts, b->ts);
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_str_eq(a->agent, b->agent);
	ck_assert_uint_eq(a->contact, b->contact);
	ck_assert_int_eq(a->channel, b->channel);
	ck_assert_uint_eq(a->wait_ms, b->wait_ms);
	ck_assert_uint_eq(a->talk_ms, b->talk_ms);
	ck_assert_uint_eq(a->wrap_ms, b->wrap_ms);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_str_eq(a->from, b->from);
	ck_assert_str_eq(a->to, b->to);
	ck_assert_str_eq(a->by, b->by);
	ck_assert_str_eq(a->req, b->req);
	ck_assert_str_eq(a->reason, b->reason);
	ck_assert_int_eq(a->until, b->until);
	ck_assert_str_eq(a->shift, b->shift);
	ck_assert_int_eq(a->start_ts, b->start_ts);
	ck_assert_int_eq(a->end_ts, b->end_ts);
}

static void
test_rand_request(struct test_rng *r, enum proto_op op, struct proto_request *rq)
{
	memset(rq, 0, sizeof *rq);
	test_rand_str(r, rq->id, PROTO_REQID_MAX);
	rq->op = op;
	if (op == PROTO_OP_MOVE) {
		rq->n_agents = 1 + test_below(r, test_below(r, 10) ? 8 : PROTO_MOVE_AGENTS_MAX);
		rq->agents = calloc(rq->n_agents, sizeof *rq->agents);
		ck_assert_ptr_nonnull(rq->agents);
		for (uint32_t i = 0; i < rq->n_agents; i++)
			test_rand_str(r, rq->agents[i], PROTO_ID_MAX);
		test_rand_str(r, rq->to, PROTO_ID_MAX);
		test_rand_str(r, rq->reason, PROTO_TEXT_MAX);
		test_rand_str(r, rq->by, PROTO_ID_MAX);
		rq->force = test_below(r, 2);
		if (test_below(r, 2))
			test_rand_str(r, rq->from, PROTO_ID_MAX);
		rq->until = test_rand_i64(r);
	} else if (op == PROTO_OP_HISTORY) {
		rq->shifts = test_rand_u32(r);
		test_rand_str(r, rq->tenant, PROTO_ID_MAX);
	} else if (op == PROTO_OP_AUDIT) {
		rq->limit = test_below(r, 2) ? test_rand_u32(r) : 0;
	}
}

static void
test_check_request(const struct proto_request *a, const struct proto_request *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_int_eq(a->op, b->op);
	ck_assert_uint_eq(a->n_agents, b->n_agents);
	for (uint32_t i = 0; i < a->n_agents; i++)
		ck_assert_str_eq(a->agents[i], b->agents[i]);
	ck_assert_str_eq(a->to, b->to);
	ck_assert_str_eq(a->reason, b->reason);
	ck_assert_str_eq(a->by, b->by);
	ck_assert_int_eq(a->force, b->force);
	ck_assert_str_eq(a->from, b->from);
	ck_assert_int_eq(a->until, b->until);
	ck_assert_uint_eq(a->shifts, b->shifts);
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_uint_eq(a->limit, b->limit);
}

static void *
test_calloc(uint32_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	p = calloc(n, size);
	ck_assert_ptr_nonnull(p);
	return p;
}

static void
test_rand_row(struct test_rng *r, struct proto_stats_row *row)
{
	test_rand_str(r, row->tenant, PROTO_ID_MAX);
	test_rand_str(r, row->shift, PROTO_ID_MAX);
	row->start_ts = test_rand_i64(r);
	row->end_ts = test_rand_i64(r);
	row->offered = test_rand_u64(r);
	row->answered = test_rand_u64(r);
	row->answered_in_sl = test_rand_u64(r);
	row->abandoned = test_rand_u64(r);
	row->abandoned_short = test_rand_u64(r);
	row->wait_ms = test_rand_u64(r);
	row->talk_ms = test_rand_u64(r);
	row->wrap_ms = test_rand_u64(r);
	row->dedicated_staffed_ms = test_rand_u64(r);
	row->shared_handle_ms = test_rand_u64(r);
	row->cost = test_rand_double(r);
	row->handled = test_rand_u64(r);
	row->n_intervals = test_below(r, 2) ? test_below(r, PROTO_INTERVALS_MAX + 1) : 0;
	for (uint32_t i = 0; i < row->n_intervals; i++)
		row->intervals[i] = test_rand_u32(r);
	row->has_busy = test_below(r, 2);
	if (row->has_busy) {
		row->dedicated_busy_ms = test_rand_u64(r);
		row->dedicated_break_ms = test_rand_u64(r);
	}
}


/* sl_intervals beside n rows (addition): NULL half the time, as from an
 * older publisher; otherwise some rows with and some without. */
static struct proto_sl_row *
test_rand_sl(struct test_rng *r, uint32_t n)
{
	struct proto_sl_row *sl;

	if (n == 0 || test_below(r, 2))
		return NULL;
	sl = test_calloc(n, sizeof *sl);
	for (uint32_t i = 0; i < n; i++) {
		sl[i].n = test_below(r, 3) ? test_below(r, PROTO_INTERVALS_MAX + 1) : 0;
		sl[i].iv = sl[i].n ? test_calloc(sl[i].n, sizeof *sl[i].iv) : NULL;
		for (uint32_t k = 0; k < sl[i].n; k++) {
			sl[i].iv[k].answered = test_rand_u32(r);
			sl[i].iv[k].answered_in_sl = test_rand_u32(r);
			sl[i].iv[k].abandoned = test_rand_u32(r);
			sl[i].iv[k].abandoned_short = test_rand_u32(r);
			sl[i].iv[k].wait_ms = test_rand_u64(r);
		}
	}
	return sl;
}

/* What went out arrives: a row without them reads as n = 0, and no row
 * with them as no array at all. */
static void
test_check_sl(const struct proto_sl_row *a, const struct proto_sl_row *b, uint32_t n)
{
	bool any = false;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t na = a ? a[i].n : 0, nb = b ? b[i].n : 0;

		ck_assert_uint_eq(na, nb);
		any = any || na > 0;
		for (uint32_t k = 0; k < na; k++) {
			ck_assert_uint_eq(a[i].iv[k].answered, b[i].iv[k].answered);
			ck_assert_uint_eq(a[i].iv[k].answered_in_sl, b[i].iv[k].answered_in_sl);
			ck_assert_uint_eq(a[i].iv[k].abandoned, b[i].iv[k].abandoned);
			ck_assert_uint_eq(a[i].iv[k].abandoned_short, b[i].iv[k].abandoned_short);
			ck_assert_uint_eq(a[i].iv[k].wait_ms, b[i].iv[k].wait_ms);
		}
	}
	if (!any)
		ck_assert_ptr_null(b);
}

static void
test_rand_tenant(struct test_rng *r, struct proto_tenant *t)
{
	test_rand_str(r, t->id, PROTO_ID_MAX);
	test_rand_str(r, t->name, PROTO_NAME_MAX);
	t->model = (enum proto_model)test_below(r, PROTO_MODEL__COUNT);
	t->sl_pct = test_rand_double(r);
	t->sl_sec = test_rand_u32(r);
	t->dedicated_rate = test_rand_double(r);
	t->shared_rate = test_rand_double(r);
	t->min_dedicated = test_rand_u32(r);
	t->overflow_sec = test_rand_u32(r);
	test_rand_str(r, t->open, PROTO_HHMM_MAX);
	test_rand_str(r, t->close, PROTO_HHMM_MAX);
}

static void
test_rand_pool(struct test_rng *r, struct proto_pool *p)
{
	test_rand_str(r, p->id, PROTO_ID_MAX);
	p->kind = (enum proto_pool_kind)test_below(r, PROTO_POOL__COUNT);
	if (p->kind == PROTO_POOL_DEDICATED)
		test_rand_str(r, p->tenant, PROTO_ID_MAX);
	p->n_serves = test_below(r, 5);
	p->serves = test_calloc(p->n_serves, sizeof *p->serves);
	for (uint32_t i = 0; i < p->n_serves; i++)
		test_rand_str(r, p->serves[i], PROTO_ID_MAX);
	p->n_trained = test_below(r, 3);
	p->trained = test_calloc(p->n_trained, sizeof *p->trained);
	for (uint32_t i = 0; i < p->n_trained; i++)
		test_rand_str(r, p->trained[i], PROTO_ID_MAX);
}

static void
test_rand_agent(struct test_rng *r, struct proto_agent *a)
{
	test_rand_str(r, a->id, PROTO_ID_MAX);
	test_rand_str(r, a->name, PROTO_NAME_MAX);
	test_rand_str(r, a->pool, PROTO_ID_MAX);
	a->state = (enum proto_agent_state)test_below(r, PROTO_AS__COUNT);
	test_rand_str(r, a->tenant, PROTO_ID_MAX);
	a->since_ts = test_rand_i64(r);
	a->handled = test_rand_u32(r);
	a->contact = test_rand_u64(r);
	test_rand_str(r, a->handling_pool, PROTO_ID_MAX);
	a->acc_ts = test_rand_i64(r);
	test_rand_str(r, a->home, PROTO_ID_MAX);
	a->loan_until = test_rand_i64(r);
}

static void
test_rand_queue(struct test_rng *r, struct proto_queue *q)
{
	test_rand_str(r, q->tenant, PROTO_ID_MAX);
	q->waiting = test_rand_u32(r);
	q->oldest_ts = test_rand_i64(r);
	q->n_contacts = test_below(r, 6);
	q->contacts = test_calloc(q->n_contacts, sizeof *q->contacts);
	for (uint32_t i = 0; i < q->n_contacts; i++) {
		q->contacts[i].contact = test_rand_u64(r);
		q->contacts[i].ts = test_rand_i64(r);
		q->contacts[i].channel = (enum proto_channel)test_below(r, PROTO_CH__COUNT);
	}
}

static struct proto_snapshot *
test_rand_snapshot(struct test_rng *r)
{
	struct proto_snapshot *s = test_calloc(1, sizeof *s);

	s->epoch = test_rand_u64(r);
	s->seq = test_rand_u64(r);
	s->ts = test_rand_i64(r);
	test_rand_str(r, s->shift_name, PROTO_ID_MAX);
	s->shift_start_ts = test_rand_i64(r);
	s->shift_end_ts = test_rand_i64(r);
	s->n_shifts = test_below(r, 4);
	s->shifts = test_calloc(s->n_shifts, sizeof *s->shifts);
	for (uint32_t i = 0; i < s->n_shifts; i++) {
		test_rand_str(r, s->shifts[i].name, PROTO_ID_MAX);
		test_rand_str(r, s->shifts[i].start, PROTO_HHMM_MAX);
		test_rand_str(r, s->shifts[i].end, PROTO_HHMM_MAX);
	}
	s->n_tenants = test_below(r, 5);
	s->tenants = test_calloc(s->n_tenants, sizeof *s->tenants);
	for (uint32_t i = 0; i < s->n_tenants; i++)
		test_rand_tenant(r, &s->tenants[i]);
	s->n_pools = test_below(r, 5);
	s->pools = test_calloc(s->n_pools, sizeof *s->pools);
	for (uint32_t i = 0; i < s->n_pools; i++)
		test_rand_pool(r, &s->pools[i]);
	s->n_agents = test_below(r, 12);
	s->agents = test_calloc(s->n_agents, sizeof *s->agents);
	for (uint32_t i = 0; i < s->n_agents; i++)
		test_rand_agent(r, &s->agents[i]);
	s->n_queues = test_below(r, 5);
	s->queues = test_calloc(s->n_queues, sizeof *s->queues);
	for (uint32_t i = 0; i < s->n_queues; i++)
		test_rand_queue(r, &s->queues[i]);
	s->n_stats = test_below(r, 5);
	s->stats = test_calloc(s->n_stats, sizeof *s->stats);
	for (uint32_t i = 0; i < s->n_stats; i++)
		test_rand_row(r, &s->stats[i]);
	s->stats_sl = test_rand_sl(r, s->n_stats);
	return s;
}

static void
test_check_snapshot(const struct proto_snapshot *a, const struct proto_snapshot *b)
{
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(a->epoch, b->epoch);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_int_eq(a->ts, b->ts);
	ck_assert_str_eq(a->shift_name, b->shift_name);
	ck_assert_int_eq(a->shift_start_ts, b->shift_start_ts);
	ck_assert_int_eq(a->shift_end_ts, b->shift_end_ts);
	ck_assert_uint_eq(a->n_shifts, b->n_shifts);
	for (uint32_t i = 0; i < a->n_shifts; i++) {
		ck_assert_str_eq(a->shifts[i].name, b->shifts[i].name);
		ck_assert_str_eq(a->shifts[i].start, b->shifts[i].start);
		ck_assert_str_eq(a->shifts[i].end, b->shifts[i].end);
	}
	ck_assert_uint_eq(a->n_tenants, b->n_tenants);
	for (uint32_t i = 0; i < a->n_tenants; i++) {
		const struct proto_tenant *x = &a->tenants[i], *y = &b->tenants[i];

		ck_assert_str_eq(x->id, y->id);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_int_eq(x->model, y->model);
		ck_assert(x->sl_pct == y->sl_pct);
		ck_assert_uint_eq(x->sl_sec, y->sl_sec);
		ck_assert(x->dedicated_rate == y->dedicated_rate);
		ck_assert(x->shared_rate == y->shared_rate);
		ck_assert_uint_eq(x->min_dedicated, y->min_dedicated);
		ck_assert_uint_eq(x->overflow_sec, y->overflow_sec);
		ck_assert_str_eq(x->open, y->open);
		ck_assert_str_eq(x->close, y->close);
	}
	ck_assert_uint_eq(a->n_pools, b->n_pools);
	for (uint32_t i = 0; i < a->n_pools; i++) {
		const struct proto_pool *x = &a->pools[i], *y = &b->pools[i];

		ck_assert_str_eq(x->id, y->id);
		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_str_eq(x->tenant, y->tenant);
		ck_assert_uint_eq(x->n_serves, y->n_serves);
		for (uint32_t j = 0; j < x->n_serves; j++)
			ck_assert_str_eq(x->serves[j], y->serves[j]);
		ck_assert_uint_eq(x->n_trained, y->n_trained);
		for (uint32_t j = 0; j < x->n_trained; j++)
			ck_assert_str_eq(x->trained[j], y->trained[j]);
	}
	ck_assert_uint_eq(a->n_agents, b->n_agents);
	for (uint32_t i = 0; i < a->n_agents; i++) {
		const struct proto_agent *x = &a->agents[i], *y = &b->agents[i];

		ck_assert_str_eq(x->id, y->id);
		ck_assert_str_eq(x->name, y->name);
		ck_assert_str_eq(x->pool, y->pool);
		ck_assert_int_eq(x->state, y->state);
		ck_assert_str_eq(x->tenant, y->tenant);
		ck_assert_int_eq(x->since_ts, y->since_ts);
		ck_assert_uint_eq(x->handled, y->handled);
		ck_assert_uint_eq(x->contact, y->contact);
		ck_assert_str_eq(x->handling_pool, y->handling_pool);
		ck_assert_int_eq(x->acc_ts, y->acc_ts);
		ck_assert_str_eq(x->home, y->home);
		ck_assert_int_eq(x->loan_until, y->loan_until);
	}
	ck_assert_uint_eq(a->n_queues, b->n_queues);
	for (uint32_t i = 0; i < a->n_queues; i++) {
		const struct proto_queue *x = &a->queues[i], *y = &b->queues[i];

		ck_assert_str_eq(x->tenant, y->tenant);
		ck_assert_uint_eq(x->waiting, y->waiting);
		ck_assert_int_eq(x->oldest_ts, y->oldest_ts);
		ck_assert_uint_eq(x->n_contacts, y->n_contacts);
		for (uint32_t j = 0; j < x->n_contacts; j++) {
			ck_assert_uint_eq(x->contacts[j].contact, y->contacts[j].contact);
			ck_assert_int_eq(x->contacts[j].ts, y->contacts[j].ts);
			ck_assert_int_eq(x->contacts[j].channel, y->contacts[j].channel);
		}
	}
	ck_assert_uint_eq(a->n_stats, b->n_stats);
	for (uint32_t i = 0; i < a->n_stats; i++)
		testlib_row_eq(&a->stats[i], &b->stats[i]);
	test_check_sl(a->stats_sl, b->stats_sl, a->n_stats);
}

static void
test_rand_audit(struct test_rng *r, struct proto_audit_row *a)
{
	a->ts = test_rand_i64(r);
	test_rand_str(r, a->by, PROTO_ID_MAX);
	test_rand_str(r, a->req, PROTO_REQID_MAX);
	test_rand_str(r, a->agent, PROTO_ID_MAX);
	test_rand_str(r, a->from, PROTO_ID_MAX);
	test_rand_str(r, a->to, PROTO_ID_MAX);
	test_rand_str(r, a->reason, PROTO_TEXT_MAX);
	a->forced = test_below(r, 2);
	a->seq = test_rand_u64(r);
	a->epoch = test_rand_u64(r);
}

/* A random reply to op; ok == false gives an error reply. */
static void
test_rand_reply(struct test_rng *r, enum proto_op op, bool ok, struct proto_reply *rp)
{
	memset(rp, 0, sizeof *rp);
	test_rand_str(r, rp->id, PROTO_REQID_MAX);
	rp->op = op;
	rp->ok = ok;
	if (!ok) {
		rp->err = (enum proto_reply_err)(1 + test_below(r, PROTO_RE__COUNT - 1));
		test_rand_str(r, rp->msg, PROTO_TEXT_MAX);
		return;
	}
	switch (op) {
	case PROTO_OP_PING:
		rp->epoch = test_rand_u64(r);
		rp->seq = test_rand_u64(r);
		break;
	case PROTO_OP_MOVE:
		rp->seq = test_rand_u64(r);
		break;
	case PROTO_OP_SNAPSHOT:
		rp->snapshot = test_rand_snapshot(r);
		rp->epoch = rp->snapshot->epoch;
		rp->seq = rp->snapshot->seq;
		break;
	case PROTO_OP_HISTORY:
		rp->n_rows = test_below(r, 8);
		rp->rows = test_calloc(rp->n_rows, sizeof *rp->rows);
		for (uint32_t i = 0; i < rp->n_rows; i++)
			test_rand_row(r, &rp->rows[i]);
		rp->rows_sl = test_rand_sl(r, rp->n_rows);
		break;
	default:
		rp->n_audit = test_below(r, 8);
		rp->audit = test_calloc(rp->n_audit, sizeof *rp->audit);
		for (uint32_t i = 0; i < rp->n_audit; i++)
			test_rand_audit(r, &rp->audit[i]);
		break;
	}
}

static void
test_check_reply(const struct proto_reply *a, const struct proto_reply *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_int_eq(a->ok, b->ok);
	ck_assert_int_eq(a->err, b->err);
	ck_assert_str_eq(a->msg, b->msg);
	ck_assert_int_eq(a->op, b->op);
	ck_assert_uint_eq(a->epoch, b->epoch);
	ck_assert_uint_eq(a->seq, b->seq);
	if (a->snapshot)
		test_check_snapshot(a->snapshot, b->snapshot);
	else
		ck_assert_ptr_null(b->snapshot);
	ck_assert_uint_eq(a->n_rows, b->n_rows);
	for (uint32_t i = 0; i < a->n_rows; i++)
		testlib_row_eq(&a->rows[i], &b->rows[i]);
	test_check_sl(a->rows_sl, b->rows_sl, a->n_rows);
	ck_assert_uint_eq(a->n_audit, b->n_audit);
	for (uint32_t i = 0; i < a->n_audit; i++) {
		const struct proto_audit_row *x = &a->audit[i], *y = &b->audit[i];

		ck_assert_int_eq(x->ts, y->ts);
		ck_assert_str_eq(x->by, y->by);
		ck_assert_str_eq(x->req, y->req);
		ck_assert_str_eq(x->agent, y->agent);
		ck_assert_str_eq(x->from, y->from);
		ck_assert_str_eq(x->to, y->to);
		ck_assert_str_eq(x->reason, y->reason);
		ck_assert_int_eq(x->forced, y->forced);
		ck_assert_uint_eq(x->seq, y->seq);
		ck_assert_uint_eq(x->epoch, y->epoch);
	}
}

/* A history reply's sl_intervals cost what the rows carried: a decoded
 * row of 3 intervals holds 3, not PROTO_INTERVALS_MAX (2 KiB a row, 230 MB
 * for the largest reply), and a row without any holds nothing. */
START_TEST(test_sl_rows_sized)
{
	struct proto_reply in, out;
	struct proto_buf b;
	const uint32_t n = 1000;

	/* a row's own part is a count and a pointer, not the intervals */
	ck_assert_uint_le(sizeof(struct proto_sl_row), 2 * sizeof(void *));
	memset(&in, 0, sizeof in);
	proto_strlcpy(in.id, "r1", sizeof in.id);
	in.op = PROTO_OP_HISTORY;
	in.ok = true;
	in.n_rows = n;
	in.rows = test_calloc(n, sizeof *in.rows);
	in.rows_sl = test_calloc(n, sizeof *in.rows_sl);
	for (uint32_t i = 0; i < n; i++) {
		struct proto_sl_interval iv[3] = { { i, i, 1, 0, 7 }, { 2, 1, 0, 0, 9 }, { 0 } };

		proto_strlcpy(in.rows[i].tenant, "t", PROTO_ID_MAX);
		proto_strlcpy(in.rows[i].shift, "s", PROTO_ID_MAX);
		if (i % 2 == 0)
			ck_assert_int_eq(proto_sl_set(&in.rows_sl[i], iv, 3), 0);
	}
	/* more than a shift has is refused, the row left empty */
	ck_assert_int_eq(proto_sl_set(&in.rows_sl[1], NULL, PROTO_INTERVALS_MAX + 1), -1);
	ck_assert_uint_eq(in.rows_sl[1].n, 0);
	ck_assert_ptr_null(in.rows_sl[1].iv);
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &in), PROTO_OK);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_HISTORY, &out), PROTO_OK);
	ck_assert_uint_eq(out.n_rows, n);
	ck_assert_ptr_nonnull(out.rows_sl);
	for (uint32_t i = 0; i < n; i++) {
		if (i % 2) {
			ck_assert_uint_eq(out.rows_sl[i].n, 0);
			ck_assert_ptr_null(out.rows_sl[i].iv);
			continue;
		}
		ck_assert_uint_eq(out.rows_sl[i].n, 3);
		ck_assert_uint_eq(out.rows_sl[i].iv[0].answered, i);
		ck_assert_uint_eq(out.rows_sl[i].iv[1].wait_ms, 9);
		/* the allocator may round up a little, never to a shift's worth */
		ck_assert_uint_ge(malloc_usable_size(out.rows_sl[i].iv),
		                  3 * sizeof(struct proto_sl_interval));
		ck_assert_uint_lt(malloc_usable_size(out.rows_sl[i].iv),
		                  6 * sizeof(struct proto_sl_interval));
	}
	test_check_sl(in.rows_sl, out.rows_sl, n);
	proto_reply_free(&out);
	proto_reply_free(&in);
	proto_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------------ names */

START_TEST(test_names)
{
	static const char *const ev[] = { "hb", "contact.queued", "contact.answered",
		"contact.abandoned", "contact.ended", "contact.wrapped", "agent.state",
		"agent.moved", "shift.started", "floor.reset" };
	static const char *const st[] = { "offline", "idle", "busy", "wrap", "break" };
	static const char *const ch[] = { "voice", "chat", "email" };
	static const char *const md[] = { "shared", "dedicated", "hybrid" };
	static const char *const op[] = { "ping", "snapshot", "move", "history", "audit" };
	static const char *const er[] = { "bad_request", "unknown_op", "not_found", "forbidden",
		"conflict", "contract_min", "unavailable", "untrained" };

	for (int i = 0; i < PROTO_EV__COUNT; i++) {
		ck_assert_str_eq(proto_event_type_name((enum proto_event_type)i), ev[i]);
		ck_assert_int_eq(proto_event_type_parse(ev[i]), i);
	}
	for (int i = 0; i < PROTO_AS__COUNT; i++) {
		ck_assert_str_eq(proto_agent_state_name((enum proto_agent_state)i), st[i]);
		ck_assert_int_eq(proto_agent_state_parse(st[i]), i);
	}
	for (int i = 0; i < PROTO_CH__COUNT; i++) {
		ck_assert_str_eq(proto_channel_name((enum proto_channel)i), ch[i]);
		ck_assert_int_eq(proto_channel_parse(ch[i]), i);
	}
	for (int i = 0; i < PROTO_MODEL__COUNT; i++) {
		ck_assert_str_eq(proto_model_name((enum proto_model)i), md[i]);
		ck_assert_int_eq(proto_model_parse(md[i]), i);
	}
	ck_assert_str_eq(proto_pool_kind_name(PROTO_POOL_SHARED), "shared");
	ck_assert_str_eq(proto_pool_kind_name(PROTO_POOL_DEDICATED), "dedicated");
	ck_assert_int_eq(proto_pool_kind_parse("dedicated"), PROTO_POOL_DEDICATED);
	ck_assert_int_eq(proto_pool_kind_parse("hybrid"), -1);
	for (int i = 0; i < PROTO_OP__COUNT; i++) {
		ck_assert_str_eq(proto_op_name((enum proto_op)i), op[i]);
		ck_assert_int_eq(proto_op_parse(op[i]), i);
	}
	for (int i = 1; i < PROTO_RE__COUNT; i++) {
		ck_assert_str_eq(proto_reply_err_name((enum proto_reply_err)i), er[i - 1]);
		ck_assert_int_eq(proto_reply_err_parse(er[i - 1]), i);
	}
	ck_assert_int_eq(proto_reply_err_parse("none"), -1);
	ck_assert_int_eq(proto_event_type_parse("HB"), -1);
	ck_assert_int_eq(proto_channel_parse(""), -1);
	ck_assert_int_eq(proto_op_parse(NULL), -1);
	ck_assert_str_eq(proto_channel_name((enum proto_channel)99), "?");
	ck_assert_str_ne(proto_strerror(PROTO_E_TRUNCATED), proto_strerror(PROTO_E_LIMIT));
	ck_assert_str_eq(proto_strerror(12345), "unknown error");
}
END_TEST

START_TEST(test_strlcpy)
{
	char buf[8];

	proto_strlcpy(buf, "hello", 7);
	ck_assert_str_eq(buf, "hello");
	proto_strlcpy(buf, "hello world", 7);
	ck_assert_str_eq(buf, "hello w");
	/* "h\xc3\xa9llo": é is two bytes; cap 2 must not split it */
	proto_strlcpy(buf, "h\xc3\xa9llo", 2);
	ck_assert_str_eq(buf, "h");
	proto_strlcpy(buf, "h\xc3\xa9llo", 3);
	ck_assert_str_eq(buf, "h\xc3\xa9");
	/* a 4-byte emoji cut at each of its inner bytes */
	for (size_t cap = 1; cap <= 3; cap++) {
		proto_strlcpy(buf, "\xf0\x9f\x98\x80!", cap);
		ck_assert_str_eq(buf, "");
	}
	proto_strlcpy(buf, "\xf0\x9f\x98\x80!", 4);
	ck_assert_str_eq(buf, "\xf0\x9f\x98\x80");
	proto_strlcpy(buf, NULL, 7);
	ck_assert_str_eq(buf, "");
	proto_strlcpy(buf, "abc", 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_buf)
{
	struct proto_buf b;
	struct proto_event ev;

	proto_buf_init(&b);
	ck_assert_ptr_null(b.data);
	memset(&ev, 0, sizeof ev);
	ck_assert_int_eq(proto_encode_event(&b, &ev), 0);
	size_t one = b.len;
	ck_assert_uint_gt(one, 0);
	ck_assert_int_eq(proto_encode_event(&b, &ev), 0);
	ck_assert_uint_eq(b.len, 2 * one);        /* encoders append */
	ck_assert_int_eq(memcmp(b.data, b.data + one, one), 0);
	proto_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_ptr_nonnull(b.data);
	proto_buf_free(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.cap, 0);
}
END_TEST

/* ------------------------------------------------------------ mpread */

START_TEST(test_mpread_numbers)
{
	uint8_t b[64];
	struct mpread r;
	uint64_t u;
	int64_t i;
	double d;
	size_t n;

	/* every int width reads as uint when non-negative */
	n = test_frame(b, sizeof b, "x x x x x", 0xd0, 5, 0xd1, 0x01, 0x00);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_OK);
	ck_assert_uint_eq(u, 5);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_OK);
	ck_assert_uint_eq(u, 256);
	ck_assert_uint_eq(mpread_left(&r), 0);

	/* negative into uint: VALUE, and the reader does not move */
	n = test_frame(b, sizeof b, "i", -3);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_E_VALUE);
	ck_assert_ptr_eq(r.p, b);
	ck_assert_int_eq(mpread_int(&r, &i), PROTO_OK);
	ck_assert_int_eq(i, -3);

	n = test_frame(b, sizeof b, "U", UINT64_MAX);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_int(&r, &i), PROTO_E_VALUE);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_OK);
	ck_assert_uint_eq(u, UINT64_MAX);

	n = test_frame(b, sizeof b, "I", INT64_MIN);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_int(&r, &i), PROTO_OK);
	ck_assert_int_eq(i, INT64_MIN);

	/* float32, float64 and ints as double */
	n = test_frame(b, sizeof b, "x x x x x d i U", 0xca, 0x3f, 0xc0, 0x00, 0x00, 2.25, -7,
	               (uint64_t)1 << 40);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_OK);
	ck_assert(d == 1.5);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_OK);
	ck_assert(d == 2.25);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_OK);
	ck_assert(d == -7.0);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_OK);
	ck_assert(d == 1099511627776.0);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_E_TRUNCATED);

	/* a float is not an int; truncated payloads are TRUNCATED */
	n = test_frame(b, sizeof b, "d", 1.0);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_E_TYPE);
	mpread_init(&r, b, n - 1);
	ck_assert_int_eq(mpread_double(&r, &d), PROTO_E_TRUNCATED);
	n = test_frame(b, sizeof b, "x x", 0xcd, 0x01);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_uint(&r, &u), PROTO_E_TRUNCATED);
	ck_assert_ptr_eq(r.p, b);
}
END_TEST

START_TEST(test_mpread_containers)
{
	uint8_t b[64];
	struct mpread r;
	uint32_t n32;
	const char *s;
	bool v;
	size_t n;

	/* counts are checked against the bytes left */
	n = test_frame(b, sizeof b, "x x x x x", 0xdd, 0xff, 0xff, 0xff, 0xff);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_array(&r, &n32), PROTO_E_TRUNCATED);
	n = test_frame(b, sizeof b, "x x x x x", 0xdf, 0x00, 0x00, 0x00, 0x02);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_map(&r, &n32), PROTO_E_TRUNCATED);
	n = test_frame(b, sizeof b, "M s u", 1, "a", 1);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_map(&r, &n32), PROTO_OK);
	ck_assert_uint_eq(n32, 1);
	/* a map entry needs two bytes: one byte left is not enough */
	n = test_frame(b, sizeof b, "x x", 0x81, 0x01);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_map(&r, &n32), PROTO_E_TRUNCATED);

	n = test_frame(b, sizeof b, "s t f n", "hi", 0);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_str(&r, &s, &n32), PROTO_OK);
	ck_assert_uint_eq(n32, 2);
	ck_assert_int_eq(memcmp(s, "hi", 2), 0);
	ck_assert_ptr_eq(s, (const char *)b + 1);  /* no copy */
	ck_assert_int_eq(mpread_bool(&r, &v), PROTO_OK);
	ck_assert(v);
	ck_assert_int_eq(mpread_bool(&r, &v), PROTO_OK);
	ck_assert(!v);
	ck_assert(mpread_is_nil(&r));
	ck_assert_int_eq(mpread_str(&r, &s, &n32), PROTO_E_TYPE);
	ck_assert_int_eq(mpread_nil(&r), PROTO_OK);
	ck_assert(!mpread_is_nil(&r));
	ck_assert_int_eq(mpread_nil(&r), PROTO_E_TRUNCATED);

	/* str8 and str16 headers are accepted; 0xc1 is INVALID for any type */
	n = test_frame(b, sizeof b, "x x x  x x x x  x", 0xd9, 1, 'a', 0xda, 0, 1, 'b', 0xc1);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_str(&r, &s, &n32), PROTO_OK);
	ck_assert(n32 == 1 && s[0] == 'a');
	ck_assert_int_eq(mpread_str(&r, &s, &n32), PROTO_OK);
	ck_assert(n32 == 1 && s[0] == 'b');
	ck_assert_int_eq(mpread_str(&r, &s, &n32), PROTO_E_INVALID);
	ck_assert_int_eq(mpread_map(&r, &n32), PROTO_E_INVALID);
	ck_assert_int_eq(mpread_bool(&r, &v), PROTO_E_INVALID);
	ck_assert_int_eq(mpread_skip(&r), PROTO_E_INVALID);
}
END_TEST

START_TEST(test_mpread_skip)
{
	/* one value of every kind in an array, then a sentinel */
	static const uint8_t frame[] = {
		0x9b,                                   /* array of 11 */
		0x81, 0xa1, 'k', 0x92, 0xd0, 0x9c,      /* {"k": [int8 -100, */
		0xcb, 0, 0, 0, 0, 0, 0, 0, 0,           /*  float64 0]} */
		0xc0, 0xc3,                             /* nil, true */
		0xc4, 0x02, 1, 2,                       /* bin8 */
		0xc5, 0x00, 0x01, 7,                    /* bin16 */
		0xc7, 0x01, 0x05, 9,                    /* ext8 */
		0xd4, 0x01, 0x02,                       /* fixext1 */
		0xd8, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* fixext16 */
		0xdc, 0x00, 0x01, 0xe0,                 /* array16 [-32] */
		0xde, 0x00, 0x00,                       /* map16 {} */
		0xca, 0, 0, 0, 0,                       /* float32 */
		0xa3, 'e', 'n', 'd',                    /* sentinel */
	};
	uint8_t b[sizeof frame];
	struct mpread r;
	size_t n = sizeof frame;

	memcpy(b, frame, n);
	mpread_init(&r, b, n);
	ck_assert_int_eq(mpread_skip(&r), PROTO_OK);
	ck_assert_uint_eq(mpread_left(&r), 4);
	ck_assert_int_eq(b[n - 4], 0xa3);
	/* every strict prefix of it is truncated */
	for (size_t k = 0; k < n - 4; k++) {
		mpread_init(&r, b, k);
		ck_assert_int_eq(mpread_skip(&r), PROTO_E_TRUNCATED);
		ck_assert_ptr_eq(r.p, b);
	}

	/* nesting: PROTO_DEPTH_MAX levels pass, one more is LIMIT */
	for (int d = 0; d < PROTO_DEPTH_MAX; d++)
		b[d] = 0x91;
	b[PROTO_DEPTH_MAX] = 0x90;
	mpread_init(&r, b, PROTO_DEPTH_MAX + 1);
	ck_assert_int_eq(mpread_skip(&r), PROTO_E_LIMIT);
	mpread_init(&r, b + 1, PROTO_DEPTH_MAX);
	ck_assert_int_eq(mpread_skip(&r), PROTO_OK);
	ck_assert_uint_eq(mpread_left(&r), 0);

	/* a huge claimed count in a short frame costs nothing */
	static const uint8_t liar[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 0x00 };
	mpread_init(&r, liar, sizeof liar);
	ck_assert_int_eq(mpread_skip(&r), PROTO_E_TRUNCATED);
	static const uint8_t liar_str[] = { 0xdb, 0xff, 0xff, 0xff, 0xff, 'x' };
	mpread_init(&r, liar_str, sizeof liar_str);
	ck_assert_int_eq(mpread_skip(&r), PROTO_E_TRUNCATED);
	static const uint8_t liar_ext[] = { 0xc9, 0xff, 0xff, 0xff, 0xff, 1, 2 };
	mpread_init(&r, liar_ext, sizeof liar_ext);
	ck_assert_int_eq(mpread_skip(&r), PROTO_E_TRUNCATED);
}
END_TEST

/* --------------------------------------------------------- round trips */

START_TEST(test_roundtrip_events)
{
	struct test_rng rng = { 0x9e3779b97f4a7c15ULL };
	struct proto_buf b;

	proto_buf_init(&b);
	for (int it = 0; it < 3000; it++) {
		for (int t = 0; t < PROTO_EV__COUNT; t++) {
			struct proto_event in, out;

			test_rand_event(&rng, (enum proto_event_type)t, &in);
			proto_buf_reset(&b);
			ck_assert_int_eq(proto_encode_event(&b, &in), PROTO_OK);
			ck_assert_uint_le(b.len, PROTO_EVENT_BYTES_MAX);
			ck_assert_int_eq(proto_decode_event(b.data, b.len, &out), PROTO_OK);
			test_check_event(&in, &out);
		}
	}
	proto_buf_free(&b);
}
END_TEST

START_TEST(test_roundtrip_requests)
{
	struct test_rng rng = { 12345 };
	struct proto_buf b;

	proto_buf_init(&b);
	for (int it = 0; it < 1000; it++) {
		for (int op = 0; op < PROTO_OP__COUNT; op++) {
			struct proto_request in, out;

			test_rand_request(&rng, (enum proto_op)op, &in);
			proto_buf_reset(&b);
			ck_assert_int_eq(proto_encode_request(&b, &in), PROTO_OK);
			ck_assert_uint_le(b.len, PROTO_REQUEST_BYTES_MAX);
			ck_assert_int_eq(proto_decode_request(b.data, b.len, &out), PROTO_OK);
			test_check_request(&in, &out);
			proto_request_free(&out);
			proto_request_free(&in);
			ck_assert_ptr_null(in.agents);
		}
	}
	proto_buf_free(&b);
}
END_TEST

START_TEST(test_roundtrip_replies)
{
	struct test_rng rng = { 777 };
	struct proto_buf b;

	proto_buf_init(&b);
	for (int it = 0; it < 400; it++) {
		for (int op = 0; op < PROTO_OP__COUNT; op++) {
			for (int ok = 0; ok < 2; ok++) {
				struct proto_reply in, out;

				test_rand_reply(&rng, (enum proto_op)op, ok, &in);
				proto_buf_reset(&b);
				ck_assert_int_eq(proto_encode_reply(&b, &in), PROTO_OK);
				ck_assert_int_eq(proto_decode_reply(b.data, b.len, (enum proto_op)op, &out),
				                 PROTO_OK);
				test_check_reply(&in, &out);
				proto_reply_free(&out);
				proto_reply_free(&in);
				proto_reply_free(&in);   /* idempotent */
			}
		}
	}
	proto_buf_free(&b);
}
END_TEST

/* A fixed, large snapshot: several of everything, checked field by field,
 * and the exact sizes a wallboard will see. */
START_TEST(test_roundtrip_big_snapshot)
{
	struct test_rng rng = { 4242 };
	struct proto_reply in, out;
	struct proto_snapshot *s;
	struct proto_buf b;

	memset(&in, 0, sizeof in);
	in.ok = true;
	in.op = PROTO_OP_SNAPSHOT;
	strcpy(in.id, "snap-1");
	s = in.snapshot = test_calloc(1, sizeof *s);
	s->epoch = 3;
	s->seq = 99;
	s->n_tenants = 40;
	s->tenants = test_calloc(s->n_tenants, sizeof *s->tenants);
	for (uint32_t i = 0; i < s->n_tenants; i++)
		test_rand_tenant(&rng, &s->tenants[i]);
	s->n_pools = 41;
	s->pools = test_calloc(s->n_pools, sizeof *s->pools);
	for (uint32_t i = 0; i < s->n_pools; i++)
		test_rand_pool(&rng, &s->pools[i]);
	s->n_agents = 2000;
	s->agents = test_calloc(s->n_agents, sizeof *s->agents);
	for (uint32_t i = 0; i < s->n_agents; i++)
		test_rand_agent(&rng, &s->agents[i]);
	s->n_queues = 40;
	s->queues = test_calloc(s->n_queues, sizeof *s->queues);
	for (uint32_t i = 0; i < s->n_queues; i++)
		test_rand_queue(&rng, &s->queues[i]);
	s->n_stats = 40;
	s->stats = test_calloc(s->n_stats, sizeof *s->stats);
	for (uint32_t i = 0; i < s->n_stats; i++) {
		test_rand_row(&rng, &s->stats[i]);
		s->stats[i].n_intervals = PROTO_INTERVALS_MAX;
	}
	s->n_shifts = PROTO_SHIFTS_MAX;
	s->shifts = test_calloc(s->n_shifts, sizeof *s->shifts);
	for (uint32_t i = 0; i < s->n_shifts; i++)
		snprintf(s->shifts[i].name, sizeof s->shifts[i].name, "S%u", i);
	in.epoch = 3;
	in.seq = 99;

	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &in), PROTO_OK);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_SNAPSHOT, &out), PROTO_OK);
	test_check_reply(&in, &out);
	ck_assert_uint_eq(out.snapshot->n_agents, 2000);
	ck_assert_uint_eq(out.snapshot->stats[39].n_intervals, PROTO_INTERVALS_MAX);
	ck_assert_uint_eq(out.epoch, 3);
	/* the same bytes asked as another op fail instead of misreading */
	proto_reply_free(&out);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_HISTORY, &out), PROTO_E_MISSING);
	ck_assert_ptr_null(out.rows);
	proto_reply_free(&out);
	proto_reply_free(&in);
	proto_buf_free(&b);
}
END_TEST

/* Golden bytes: what other implementations are written against. */
START_TEST(test_golden_bytes)
{
	static const uint8_t hb[] = {
		0x85, 0xa1, 'v', 0x01, 0xa4, 't', 'y', 'p', 'e', 0xa2, 'h', 'b',
		0xa5, 'e', 'p', 'o', 'c', 'h', 0x07, 0xa3, 's', 'e', 'q', 0xcc, 0xc8,
		0xa2, 't', 's', 0xcd, 0x03, 0xe8,
	};
	static const uint8_t state[] = {
		0x88, 0xa1, 'v', 0x01, 0xa4, 't', 'y', 'p', 'e',
		0xab, 'a', 'g', 'e', 'n', 't', '.', 's', 't', 'a', 't', 'e',
		0xa5, 'e', 'p', 'o', 'c', 'h', 0x01, 0xa3, 's', 'e', 'q', 0x02, 0xa2, 't', 's', 0x03,
		0xa5, 'a', 'g', 'e', 'n', 't', 0xa2, 'a', '1',
		0xa5, 's', 't', 'a', 't', 'e', 0xa4, 'i', 'd', 'l', 'e',
		0xa6, 't', 'e', 'n', 'a', 'n', 't', 0xc0,
	};
	struct proto_event ev;
	struct proto_buf b;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_HB;
	ev.epoch = 7;
	ev.seq = 200;
	ev.ts = 1000;
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_uint_eq(b.len, sizeof hb);
	ck_assert_int_eq(memcmp(b.data, hb, sizeof hb), 0);

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	ev.epoch = 1;
	ev.seq = 2;
	ev.ts = 3;
	strcpy(ev.agent, "a1");
	ev.state = PROTO_AS_IDLE;
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_uint_eq(b.len, sizeof state);
	ck_assert_int_eq(memcmp(b.data, state, sizeof state), 0);   /* tenant "" is nil */
	proto_buf_free(&b);
}
END_TEST

/* Optional request fields are left out when empty, so a minimal request
 * from another language is exactly what we send. */
START_TEST(test_request_omits_defaults)
{
	struct proto_request rq;
	struct proto_buf b;
	struct mpread r;
	uint32_t n;

	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_AUDIT;
	strcpy(rq.id, "x");
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_request(&b, &rq), PROTO_OK);
	mpread_init(&r, b.data, b.len);
	ck_assert_int_eq(mpread_map(&r, &n), PROTO_OK);
	ck_assert_uint_eq(n, 3);   /* v, id, op: no limit */

	proto_buf_reset(&b);
	rq.op = PROTO_OP_MOVE;
	rq.n_agents = 1;
	rq.agents = calloc(1, sizeof *rq.agents);
	ck_assert_ptr_nonnull(rq.agents);
	strcpy(rq.agents[0], "a1");
	ck_assert_int_eq(proto_encode_request(&b, &rq), PROTO_OK);
	mpread_init(&r, b.data, b.len);
	ck_assert_int_eq(mpread_map(&r, &n), PROTO_OK);
	ck_assert_uint_eq(n, 6);   /* no by, no force */
	rq.force = true;
	strcpy(rq.by, "kim");
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_request(&b, &rq), PROTO_OK);
	mpread_init(&r, b.data, b.len);
	ck_assert_int_eq(mpread_map(&r, &n), PROTO_OK);
	ck_assert_uint_eq(n, 8);
	/* `from` (addition) goes out only when given. */
	strcpy(rq.from, "shared");
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_request(&b, &rq), PROTO_OK);
	mpread_init(&r, b.data, b.len);
	ck_assert_int_eq(mpread_map(&r, &n), PROTO_OK);
	ck_assert_uint_eq(n, 9);
	proto_request_free(&rq);
	ck_assert_int_eq(proto_decode_request(b.data, b.len, &rq), PROTO_OK);
	ck_assert_str_eq(rq.from, "shared");
	proto_request_free(&rq);
	proto_buf_free(&b);
}
END_TEST

/* ------------------------------------------------------- malformed input */

START_TEST(test_bad_events)
{
	uint8_t b[8192];
	struct proto_event ev;
	char long_id[PROTO_ID_MAX + 2], long_text[PROTO_TEXT_MAX + 2];
	size_t n;

	memset(long_id, 'x', sizeof long_id - 1);
	long_id[sizeof long_id - 1] = '\0';
	memset(long_text, 'r', sizeof long_text - 1);
	long_text[sizeof long_text - 1] = '\0';

#define EXPECT(rc) ck_assert_int_eq(proto_decode_event(b, n, &ev), (rc))
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT, 5, TEST_EV_BASE("hb"));
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(ev.seq, 42);
	n = 0;
	EXPECT(PROTO_E_TRUNCATED);
	n = test_frame(b, sizeof b, "x", 0xc1);
	EXPECT(PROTO_E_INVALID);
	n = test_frame(b, sizeof b, "A u", 1, 1);
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "n");
	EXPECT(PROTO_E_TYPE);
	/* v */
	n = test_frame(b, sizeof b, "M su ss su su su", 5, "v", 2, "type", "hb", "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M ss su su su", 4, "type", "hb", "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M ss ss su su su", 5, "v", "1", "type", "hb", "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_TYPE);
	/* base fields */
	n = test_frame(b, sizeof b, "M su su su su", 4, "v", 1, "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss su su su", 5, "v", 1, "type", "hb.", "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su su su su su", 5, "v", 1, "type", 3, "epoch", 1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M su ss si su su", 5, "v", 1, "type", "hb", "epoch", -1, "seq", 1, "ts", 1);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su ss ss su su", 5, "v", 1, "type", "hb", "epoch", "1", "seq", 1, "ts", 1);
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M su ss su su", 4, "v", 1, "type", "hb", "epoch", 1, "ts", 1);
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss su su sd", 5, "v", 1, "type", "hb", "epoch", 1, "seq", 1, "ts", 1.0);
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M su ss su su sU", 5, "v", 1, "type", "hb", "epoch", 1, "seq", 1, "ts", UINT64_MAX);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su ss su su si", 5, "v", 1, "type", "hb", "epoch", 1, "seq", 1, "ts", -5);
	EXPECT(PROTO_OK);
	ck_assert_int_eq(ev.ts, -5);
	/* type fields */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su", 7, TEST_EV_BASE("contact.queued"),
	               "tenant", "t", "contact", 9);
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", "t", "contact", 9, "channel", "fax");
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "sn su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", "contact", 9, "channel", "chat");
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", "t", "contact", 9, "channel", "chat");
	EXPECT(PROTO_OK);
	ck_assert_int_eq(ev.channel, PROTO_CH_CHAT);
	ck_assert_uint_eq(ev.contact, 9);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss sn", 8, TEST_EV_BASE("agent.state"),
	               "agent", "a", "state", "break", "tenant");
	EXPECT(PROTO_OK);
	ck_assert_str_eq(ev.tenant, "");
	ck_assert_int_eq(ev.state, PROTO_AS_BREAK);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss", 7, TEST_EV_BASE("agent.state"),
	               "agent", "a", "state", "idle");
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss ss", 8, TEST_EV_BASE("agent.state"),
	               "agent", "a", "state", "asleep", "tenant", "t");
	EXPECT(PROTO_E_VALUE);
	/* duplicate keys: the last wins, nil after a string included */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss ss sn", 9, TEST_EV_BASE("agent.state"),
	               "agent", "a", "state", "idle", "tenant", "t", "tenant");
	EXPECT(PROTO_OK);
	ck_assert_str_eq(ev.tenant, "");
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su ss sn", 9, TEST_EV_BASE("contact.queued"),
	               "tenant", "t", "contact", 9, "channel", "chat", "tenant");
	EXPECT(PROTO_E_TYPE);
	/* string limits: exactly the limit passes, one more byte is LIMIT */
	long_id[PROTO_ID_MAX] = '\0';
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", long_id, "contact", 9, "channel", "chat");
	EXPECT(PROTO_OK);
	ck_assert_str_eq(ev.tenant, long_id);
	long_id[PROTO_ID_MAX] = 'x';
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", long_id, "contact", 9, "channel", "chat");
	EXPECT(PROTO_E_LIMIT);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss ss ss ss ss", 11, TEST_EV_BASE("agent.moved"),
	               "agent", "a", "from", "p", "to", "q", "by", "kim", "req", "r1", "reason", long_text);
	EXPECT(PROTO_E_LIMIT);
	long_text[PROTO_TEXT_MAX] = '\0';
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss ss ss ss ss", 11, TEST_EV_BASE("agent.moved"),
	               "agent", "a", "from", "p", "to", "q", "by", "kim", "req", "r1", "reason", long_text);
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(strlen(ev.reason), PROTO_TEXT_MAX);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "ss ss ss ss ss", 10, TEST_EV_BASE("agent.moved"),
	               "agent", "a", "from", "p", "to", "q", "by", "kim", "reason", "why");
	EXPECT(PROTO_E_MISSING);   /* no req */
	/* an embedded NUL would shorten the id silently */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s x x x x su ss", 8, TEST_EV_BASE("contact.queued"),
	               "tenant", 0xa3, 'a', 0, 'b', "contact", 9, "channel", "chat");
	EXPECT(PROTO_E_VALUE);
	/* trailing bytes */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "x", 5, TEST_EV_BASE("hb"), 0xc0);
	EXPECT(PROTO_E_TRAILING);
	/* unknown fields of every kind are skipped: {"k": [-100, 0.5, nil,
	 * true, []]}, a bin8 and a fixext4 */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s M s A i d n t A  s x x x x  s x x x x x x",
	               8, TEST_EV_BASE("hb"),
	               "extra", 1, "k", 5, -100, 0.5, 0,
	               "blob", 0xc4, 2, 1, 2,
	               "ext", 0xd6, 1, 0, 0, 0, 0);
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(ev.seq, 42);
	n--;   /* the fixext4 loses its last data byte */
	EXPECT(PROTO_E_TRUNCATED);
	/* a depth bomb in an unknown field */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s", 6, TEST_EV_BASE("hb"), "bomb");
	for (int d = 0; d < 200; d++)
		b[n++] = 0x91;
	b[n++] = 0xc0;
	EXPECT(PROTO_E_LIMIT);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s", 6, TEST_EV_BASE("hb"), "deep");
	for (int d = 0; d < PROTO_DEPTH_MAX; d++)
		b[n++] = 0x91;
	b[n++] = 0xc0;
	EXPECT(PROTO_OK);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s x", 6, TEST_EV_BASE("hb"), "bad", 0xc1);
	EXPECT(PROTO_E_INVALID);
	/* lying headers */
	n = test_frame(b, sizeof b, "x x x x x", 0xdf, 0xff, 0xff, 0xff, 0xff);
	EXPECT(PROTO_E_TRUNCATED);
	n = test_frame(b, sizeof b, "x x x x x", 0xdd, 0xff, 0xff, 0xff, 0xff);
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s x x x x x", 6, TEST_EV_BASE("hb"),
	               "s", 0xdb, 0xff, 0xff, 0xff, 0xff);
	EXPECT(PROTO_E_TRUNCATED);
	/* non-string key */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "u u", 6, TEST_EV_BASE("hb"), 1, 2);
	EXPECT(PROTO_E_TYPE);
	/* non-minimal encodings are still msgpack: map16, str8/str16, wide ints */
	{
		static const uint8_t wide[] = {
			0xde, 0x00, 0x05,
			0xd9, 0x01, 'v', 0xd0, 0x01,
			0xa4, 't', 'y', 'p', 'e', 0xda, 0x00, 0x02, 'h', 'b',
			0xa5, 'e', 'p', 'o', 'c', 'h', 0xcf, 0, 0, 0, 0, 0, 0, 0, 5,
			0xa3, 's', 'e', 'q', 0xd3, 0, 0, 0, 0, 0, 0, 0, 6,
			0xa2, 't', 's', 0xd1, 0xff, 0xff,
		};
		ck_assert_int_eq(proto_decode_event(wide, sizeof wide, &ev), PROTO_OK);
		ck_assert_uint_eq(ev.epoch, 5);
		ck_assert_uint_eq(ev.seq, 6);
		ck_assert_int_eq(ev.ts, -1);
	}
	/* an event frame over PROTO_EVENT_BYTES_MAX */
	n = test_frame(b, sizeof b, "M" TEST_EV_BASE_FMT "s x x x", 6, TEST_EV_BASE("hb"),
	               "pad", 0xc5, 0x10, 0x00);
	memset(b + n, 0, 0x1000);
	n += 0x1000;
	EXPECT(PROTO_E_LIMIT);
#undef EXPECT
}
END_TEST

START_TEST(test_bad_requests)
{
	uint8_t b[PROTO_REQUEST_BYTES_MAX + 64];
	struct proto_request rq;
	size_t n;

#define EXPECT(rc) do { \
		ck_assert_int_eq(proto_decode_request(b, n, &rq), (rc)); \
		if ((rc) != PROTO_OK) \
			ck_assert_ptr_null(rq.agents); \
	} while (0)
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 1, "id", "r1", "op", "ping");
	EXPECT(PROTO_OK);
	ck_assert_str_eq(rq.id, "r1");
	ck_assert_int_eq(rq.op, PROTO_OP_PING);
	n = test_frame(b, sizeof b, "M su ss", 2, "v", 1, "op", "ping");
	EXPECT(PROTO_E_MISSING);
	ck_assert_str_eq(rq.id, "");
	n = test_frame(b, sizeof b, "M su ss", 2, "v", 1, "id", "r2");
	EXPECT(PROTO_E_MISSING);
	ck_assert_str_eq(rq.id, "r2");
	/* unknown op: VALUE, op == COUNT, id filled wherever it sits */
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 1, "id", "r3", "op", "fly");
	EXPECT(PROTO_E_VALUE);
	ck_assert_int_eq(rq.op, PROTO_OP__COUNT);
	ck_assert_str_eq(rq.id, "r3");
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 1, "op", "fly", "id", "r4");
	EXPECT(PROTO_E_VALUE);
	ck_assert_int_eq(rq.op, PROTO_OP__COUNT);
	ck_assert_str_eq(rq.id, "r4");
	n = test_frame(b, sizeof b, "M su su ss", 3, "v", 1, "op", 3, "id", "r5");
	EXPECT(PROTO_E_TYPE);
	ck_assert_str_eq(rq.id, "r5");
	ck_assert_int_ne(rq.op, PROTO_OP__COUNT);
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 2, "op", "ping", "id", "r6");
	EXPECT(PROTO_E_VALUE);
	ck_assert_int_ne(rq.op, PROTO_OP__COUNT);
	ck_assert_str_eq(rq.id, "r6");
	n = test_frame(b, sizeof b, "M ss ss", 2, "op", "ping", "id", "r7");
	EXPECT(PROTO_E_VALUE);
	ck_assert_str_eq(rq.id, "r7");
	/* an unreadable value before the id: nothing to echo */
	n = test_frame(b, sizeof b, "M su s x ss ss", 4, "v", 1, "junk", 0xc1, "op", "ping", "id", "r8");
	EXPECT(PROTO_E_INVALID);
	ck_assert_str_eq(rq.id, "");
	/* move */
	n = test_frame(b, sizeof b, "M su ss ss sA ss ss", 6, "v", 1, "id", "m", "op", "move",
	               "agents", 0, "to", "p", "reason", "r");
	EXPECT(PROTO_E_VALUE);
	ck_assert_int_eq(rq.op, PROTO_OP_MOVE);
	n = test_frame(b, sizeof b, "M su ss ss sAs ss", 5, "v", 1, "id", "m", "op", "move",
	               "agents", 1, "a1", "reason", "r");
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss ss sAs ss", 5, "v", 1, "id", "m", "op", "move",
	               "agents", 1, "a1", "to", "p");
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss ss sAss ss ss", 6, "v", 1, "id", "m", "op", "move",
	               "agents", 2, "a1", "a2", "to", "p", "reason", "r");
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(rq.n_agents, 2);
	ck_assert_str_eq(rq.agents[1], "a2");
	ck_assert(!rq.force);
	proto_request_free(&rq);
	/* duplicate agents key: the first array is freed, the last wins */
	n = test_frame(b, sizeof b, "M su ss ss sAss sAs ss ss", 7, "v", 1, "id", "m", "op", "move",
	               "agents", 2, "a1", "a2", "agents", 1, "a3", "to", "p", "reason", "r");
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(rq.n_agents, 1);
	ck_assert_str_eq(rq.agents[0], "a3");
	proto_request_free(&rq);
	/* agents claiming 2^32-1 elements in a short frame: no allocation */
	n = test_frame(b, sizeof b, "M su ss ss s x x x x x", 4, "v", 1, "id", "big", "op", "move",
	               "agents", 0xdd, 0xff, 0xff, 0xff, 0xff);
	EXPECT(PROTO_E_TRUNCATED);
	ck_assert_str_eq(rq.id, "big");
	/* over the limit with the bytes to back it */
	n = test_frame(b, sizeof b, "M su ss ss s x x x", 4, "v", 1, "id", "big", "op", "move",
	               "agents", 0xdc, (PROTO_MOVE_AGENTS_MAX + 1) >> 8, (PROTO_MOVE_AGENTS_MAX + 1) & 0xff);
	for (int i = 0; i <= PROTO_MOVE_AGENTS_MAX; i++) {
		b[n++] = 0xa1;
		b[n++] = 'a';
	}
	EXPECT(PROTO_E_LIMIT);
	/* a bad element after good ones: the array is freed (leak check) */
	n = test_frame(b, sizeof b, "M su ss ss sAssu ss ss", 6, "v", 1, "id", "m", "op", "move",
	               "agents", 3, "a1", "a2", 7, "to", "p", "reason", "r");
	EXPECT(PROTO_E_TYPE);
	ck_assert_str_eq(rq.id, "m");
	n = test_frame(b, sizeof b, "M su ss ss sAs ss ss su", 7, "v", 1, "id", "m", "op", "move",
	               "agents", 1, "a1", "to", "p", "reason", "r", "force", 1);
	EXPECT(PROTO_E_TYPE);
	/* history and audit */
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 1, "id", "h", "op", "history");
	EXPECT(PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss ss sU", 4, "v", 1, "id", "h", "op", "history",
	               "shifts", (uint64_t)1 << 32);
	EXPECT(PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su ss ss su ss", 5, "v", 1, "id", "h", "op", "history",
	               "shifts", 3, "tenant", "acme");
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(rq.shifts, 3);
	ck_assert_str_eq(rq.tenant, "acme");
	n = test_frame(b, sizeof b, "M su ss ss ss", 4, "v", 1, "id", "a", "op", "audit", "limit", "x");
	EXPECT(PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M su ss ss su sM ss", 5, "v", 1, "id", "a", "op", "audit",
	               "limit", 10, "future", 1, "k", "v");
	EXPECT(PROTO_OK);
	ck_assert_uint_eq(rq.limit, 10);
	/* id limit, frame limit */
	n = test_frame(b, sizeof b, "M su ss ss", 3, "v", 1,
	               "id", "0123456789012345678901234567890123456789012345678901234567890123X",
	               "op", "ping");
	EXPECT(PROTO_E_LIMIT);
	ck_assert_str_eq(rq.id, "");
	n = test_frame(b, sizeof b, "M su ss ss s x x x x x", 4, "v", 1, "id", "p", "op", "ping",
	               "pad", 0xc6, 0x00, 0x01, 0x00, 0x00);
	memset(b + n, 0, 0x10000);
	n += 0x10000;
	EXPECT(PROTO_E_LIMIT);
	/* trailing */
	n = test_frame(b, sizeof b, "M su ss ss x", 3, "v", 1, "id", "t", "op", "ping", 0x00);
	EXPECT(PROTO_E_TRAILING);
	ck_assert_str_eq(rq.id, "t");
#undef EXPECT
}
END_TEST

/* The fields of a minimal ok snapshot reply, with one element in each
 * array so an element can be broken. */
#define TEST_SNAP_HEAD "M su ss st su su si sM ss si si sA"
#define TEST_SNAP_HEAD_ARGS(nfields) nfields, "v", 1, "id", "s", "ok", "epoch", 1, "seq", 2, "ts", 3, \
	"shift", 3, "name", "Early", "start_ts", 0, "end_ts", 1, "shifts", 0

START_TEST(test_bad_replies)
{
	uint8_t b[4096];
	struct proto_reply rp;
	size_t n;

#define EXPECT(op, rc) do { \
		ck_assert_int_eq(proto_decode_reply(b, n, (op), &rp), (rc)); \
		if ((rc) != PROTO_OK) { \
			ck_assert_ptr_null(rp.snapshot); \
			ck_assert_ptr_null(rp.rows); \
			ck_assert_ptr_null(rp.audit); \
		} \
	} while (0)
	n = test_frame(b, sizeof b, "M su ss st su su", 5, "v", 1, "id", "p", "ok", "epoch", 1, "seq", 2);
	EXPECT(PROTO_OP_PING, PROTO_OK);
	ck_assert_uint_eq(rp.seq, 2);
	n = test_frame(b, sizeof b, "M su ss st su", 4, "v", 1, "id", "p", "ok", "epoch", 1);
	EXPECT(PROTO_OP_PING, PROTO_E_MISSING);
	ck_assert_str_eq(rp.id, "p");
	n = test_frame(b, sizeof b, "M su ss su", 3, "v", 1, "id", "p", "ok", 1);
	EXPECT(PROTO_OP_PING, PROTO_E_TYPE);
	n = test_frame(b, sizeof b, "M su ss sf ss", 4, "v", 1, "id", "e", "ok", "msg", "no");
	EXPECT(PROTO_OP_MOVE, PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss sf ss ss", 5, "v", 1, "id", "e", "ok", "err", "weird", "msg", "no");
	EXPECT(PROTO_OP_MOVE, PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su ss sf ss ss", 5, "v", 1, "id", "e", "ok", "err", "none", "msg", "no");
	EXPECT(PROTO_OP_MOVE, PROTO_E_VALUE);
	n = test_frame(b, sizeof b, "M su ss sf ss ss", 5, "v", 1, "id", "e", "ok", "err", "contract_min",
	               "msg", "acme needs 3");
	EXPECT(PROTO_OP_MOVE, PROTO_OK);
	ck_assert(!rp.ok);
	ck_assert_int_eq(rp.err, PROTO_RE_CONTRACT_MIN);
	ck_assert_str_eq(rp.msg, "acme needs 3");
	/* an error reply to a snapshot carries no snapshot, even if sent one */
	n = test_frame(b, sizeof b, "M su ss sf ss ss sA", 6, "v", 1, "id", "e", "ok", "err", "unavailable",
	               "msg", "later", "agents", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_OK);
	ck_assert_ptr_null(rp.snapshot);
	ck_assert_int_eq(rp.err, PROTO_RE_UNAVAILABLE);
	/* snapshot: the minimal valid one, then one broken part at a time */
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA sA sA", TEST_SNAP_HEAD_ARGS(13),
	               "tenants", 0, "pools", 0, "agents", 0, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_OK);
	ck_assert_ptr_nonnull(rp.snapshot);
	ck_assert_str_eq(rp.snapshot->shift_name, "Early");
	ck_assert_uint_eq(rp.snapshot->seq, 2);
	proto_reply_free(&rp);
	ck_assert_ptr_null(rp.snapshot);
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA sA", TEST_SNAP_HEAD_ARGS(12),
	               "tenants", 0, "pools", 0, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_E_MISSING);
	/* a dedicated pool must name its tenant; serves is freed on the error */
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA M ss ss sAs sA sA sA", TEST_SNAP_HEAD_ARGS(13),
	               "tenants", 0, "pools", 1, 3, "id", "d1", "kind", "dedicated", "serves", 1, "acme",
	               "agents", 0, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_E_MISSING);
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA M ss ss sAs ss sA sA sA", TEST_SNAP_HEAD_ARGS(13),
	               "tenants", 0, "pools", 1, 4, "id", "d1", "kind", "dedicated", "serves", 1, "acme",
	               "tenant", "acme", "agents", 0, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_OK);
	ck_assert_str_eq(rp.snapshot->pools[0].tenant, "acme");
	ck_assert_str_eq(rp.snapshot->pools[0].serves[0], "acme");
	proto_reply_free(&rp);
	/* an agent with a nil tenant; one with an unknown state */
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA M ss ss ss ss sn si su sA sA",
	               TEST_SNAP_HEAD_ARGS(13), "tenants", 0, "pools", 0, "agents", 1, 7,
	               "id", "a1", "name", "Ana", "pool", "shared", "state", "idle", "tenant",
	               "since_ts", 5, "handled", 2, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_OK);
	ck_assert_str_eq(rp.snapshot->agents[0].tenant, "");
	ck_assert_uint_eq(rp.snapshot->agents[0].handled, 2);
	proto_reply_free(&rp);
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA M ss ss ss ss sn si su sA sA",
	               TEST_SNAP_HEAD_ARGS(13), "tenants", 0, "pools", 0, "agents", 1, 7,
	               "id", "a1", "name", "Ana", "pool", "shared", "state", "lunch", "tenant",
	               "since_ts", 5, "handled", 2, "queues", 0, "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_E_VALUE);
	/* queue contacts and their channel */
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA sA M ss su si sA M su si ss sA",
	               TEST_SNAP_HEAD_ARGS(13), "tenants", 0, "pools", 0, "agents", 0, "queues", 1, 4,
	               "tenant", "acme", "waiting", 1, "oldest_ts", 9, "contacts", 1, 3,
	               "contact", 77, "ts", 9, "channel", "email", "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_OK);
	ck_assert_uint_eq(rp.snapshot->queues[0].n_contacts, 1);
	ck_assert_int_eq(rp.snapshot->queues[0].contacts[0].channel, PROTO_CH_EMAIL);
	proto_reply_free(&rp);
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " sA sA sA sA M ss su si sA M su si ss sA",
	               TEST_SNAP_HEAD_ARGS(13), "tenants", 0, "pools", 0, "agents", 0, "queues", 1, 4,
	               "tenant", "acme", "waiting", 1, "oldest_ts", 9, "contacts", 1, 3,
	               "contact", 77, "ts", 9, "channel", "pigeon", "stats", 0);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_E_VALUE);
	/* tenants claiming a huge count: TRUNCATED before any allocation */
	n = test_frame(b, sizeof b, TEST_SNAP_HEAD " s x x x x x", TEST_SNAP_HEAD_ARGS(13),
	               "tenants", 0xdd, 0x7f, 0xff, 0xff, 0xff);
	EXPECT(PROTO_OP_SNAPSHOT, PROTO_E_TRUNCATED);
	/* history: rows with too many intervals */
	{
		char fmt[512] = "M su ss st sA M ss ss si si su su su su su su su su su su sd sA";

		n = test_frame(b, sizeof b, fmt, 4, "v", 1, "id", "h", "ok", "rows", 1, 16,
		               "tenant", "acme", "shift", "Early", "start_ts", 0, "end_ts", 1,
		               "offered", 1, "answered", 1, "answered_in_sl", 1, "abandoned", 0,
		               "abandoned_short", 0, "wait_ms", 1, "talk_ms", 1, "wrap_ms", 1,
		               "dedicated_staffed_ms", 1, "shared_handle_ms", 1, "cost", 1.5,
		               "intervals", PROTO_INTERVALS_MAX + 1);
		for (int i = 0; i <= PROTO_INTERVALS_MAX; i++)
			b[n++] = 0x01;
		EXPECT(PROTO_OP_HISTORY, PROTO_E_LIMIT);
		n -= PROTO_INTERVALS_MAX + 1 + 3;   /* drop the array and its 0xdc header */
		b[n++] = 0x92;
		b[n++] = 0x05;
		b[n++] = 0x06;
		EXPECT(PROTO_OP_HISTORY, PROTO_OK);
		ck_assert_uint_eq(rp.n_rows, 1);
		ck_assert_uint_eq(rp.rows[0].n_intervals, 2);
		ck_assert_uint_eq(rp.rows[0].intervals[1], 6);
		ck_assert(rp.rows[0].cost == 1.5);
		ck_assert_uint_eq(rp.rows[0].handled, 0);   /* addition absent: 0 */
		proto_reply_free(&rp);
	}
	/* audit rows: all fields required */
	n = test_frame(b, sizeof b, "M su ss st sA M si ss ss ss ss ss ss st su",
	               4, "v", 1, "id", "a", "ok", "moves", 1, 9, "ts", 1, "by", "kim", "req", "r",
	               "agent", "a1", "from", "p", "to", "q", "reason", "peak", "forced", "seq", 4);
	EXPECT(PROTO_OP_AUDIT, PROTO_E_MISSING);
	n = test_frame(b, sizeof b, "M su ss st sA M si ss ss ss ss ss ss st su su",
	               4, "v", 1, "id", "a", "ok", "moves", 1, 10, "ts", 1, "by", "kim", "req", "r",
	               "agent", "a1", "from", "p", "to", "q", "reason", "peak", "forced", "seq", 4,
	               "epoch", 2);
	EXPECT(PROTO_OP_AUDIT, PROTO_OK);
	ck_assert_uint_eq(rp.n_audit, 1);
	ck_assert(rp.audit[0].forced);
	ck_assert_str_eq(rp.audit[0].reason, "peak");
	proto_reply_free(&rp);
	/* the wrong op for a reply is caught */
	n = test_frame(b, sizeof b, "M su ss st su", 4, "v", 1, "id", "m", "ok", "seq", 4);
	EXPECT(PROTO_OP_MOVE, PROTO_OK);
	EXPECT(PROTO_OP_PING, PROTO_E_MISSING);
	EXPECT((enum proto_op)99, PROTO_E_VALUE);
#undef EXPECT
}
END_TEST

/* --------------------------------------------------- every valid frame */

enum test_kind { TEST_EVENT, TEST_REQUEST, TEST_REPLY };

struct test_frame_set {
	size_t n;
	struct {
		enum test_kind kind;
		enum proto_op op;       /* requests and replies */
		uint8_t *data;
		size_t len;
	} f[64];
};

static void
test_frames_add(struct test_frame_set *fs, enum test_kind kind, enum proto_op op,
                const struct proto_buf *b)
{
	ck_assert_uint_lt(fs->n, sizeof fs->f / sizeof fs->f[0]);
	fs->f[fs->n].kind = kind;
	fs->f[fs->n].op = op;
	fs->f[fs->n].data = malloc(b->len);
	ck_assert_ptr_nonnull(fs->f[fs->n].data);
	memcpy(fs->f[fs->n].data, b->data, b->len);
	fs->f[fs->n].len = b->len;
	fs->n++;
}

/* One valid frame of every event type, request op and reply kind. */
static void
test_frames_make(struct test_frame_set *fs, uint64_t seed)
{
	struct test_rng rng = { seed };
	struct proto_buf b;

	fs->n = 0;
	proto_buf_init(&b);
	for (int t = 0; t < PROTO_EV__COUNT; t++) {
		struct proto_event ev;

		test_rand_event(&rng, (enum proto_event_type)t, &ev);
		proto_buf_reset(&b);
		ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
		test_frames_add(fs, TEST_EVENT, PROTO_OP_PING, &b);
	}
	for (int op = 0; op < PROTO_OP__COUNT; op++) {
		struct proto_request rq;

		test_rand_request(&rng, (enum proto_op)op, &rq);
		if (rq.n_agents > 4)
			rq.n_agents = 4;   /* keep mutation rounds cheap */
		proto_buf_reset(&b);
		ck_assert_int_eq(proto_encode_request(&b, &rq), PROTO_OK);
		test_frames_add(fs, TEST_REQUEST, (enum proto_op)op, &b);
		proto_request_free(&rq);
	}
	for (int op = 0; op < PROTO_OP__COUNT; op++) {
		for (int ok = 0; ok < 2; ok++) {
			struct proto_reply rp;

			test_rand_reply(&rng, (enum proto_op)op, ok, &rp);
			proto_buf_reset(&b);
			ck_assert_int_eq(proto_encode_reply(&b, &rp), PROTO_OK);
			test_frames_add(fs, TEST_REPLY, (enum proto_op)op, &b);
			proto_reply_free(&rp);
		}
	}
	proto_buf_free(&b);
}

static void
test_frames_free(struct test_frame_set *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i].data);
	fs->n = 0;
}

static int
test_decode_as(enum test_kind kind, enum proto_op op, const uint8_t *p, size_t len)
{
	struct proto_event ev;
	struct proto_request rq;
	struct proto_reply rp;
	int rc;

	switch (kind) {
	case TEST_EVENT:
		return proto_decode_event(p, len, &ev);
	case TEST_REQUEST:
		rc = proto_decode_request(p, len, &rq);
		proto_request_free(&rq);
		return rc;
	default:
		rc = proto_decode_reply(p, len, op, &rp);
		proto_reply_free(&rp);
		return rc;
	}
}

START_TEST(test_truncated_everywhere)
{
	struct test_frame_set fs;

	for (uint64_t seed = 1; seed <= 4; seed++) {
		test_frames_make(&fs, seed);
		for (size_t i = 0; i < fs.n; i++) {
			uint8_t *copy = malloc(fs.f[i].len + 1);

			ck_assert_ptr_nonnull(copy);
			ck_assert_int_eq(test_decode_as(fs.f[i].kind, fs.f[i].op, fs.f[i].data, fs.f[i].len),
			                 PROTO_OK);
			/* each prefix in its own exact-size allocation, so ASan sees any
			 * read past the end */
			for (size_t k = 0; k < fs.f[i].len; k++) {
				uint8_t *pre = malloc(k ? k : 1);

				ck_assert_ptr_nonnull(pre);
				memcpy(pre, fs.f[i].data, k);
				ck_assert_msg(test_decode_as(fs.f[i].kind, fs.f[i].op, pre, k) == PROTO_E_TRUNCATED,
				              "frame %zu cut at %zu of %zu", i, k, fs.f[i].len);
				free(pre);
			}
			memcpy(copy, fs.f[i].data, fs.f[i].len);
			copy[fs.f[i].len] = 0xc0;
			ck_assert_int_eq(test_decode_as(fs.f[i].kind, fs.f[i].op, copy, fs.f[i].len + 1),
			                 PROTO_E_TRAILING);
			free(copy);
		}
		test_frames_free(&fs);
	}
}
END_TEST

/* ----------------------------------------------------- random and mutated */

static size_t
test_mutate(struct test_rng *r, uint8_t *buf, size_t len, size_t cap)
{
	int rounds = 1 + (int)test_below(r, 4);

	while (rounds-- > 0) {
		size_t at = len ? test_below(r, (uint32_t)len) : 0;

		switch (test_below(r, 7)) {
		case 0:   /* bit flip */
			if (len)
				buf[at] ^= (uint8_t)(1u << test_below(r, 8));
			break;
		case 1:   /* byte set, biased to interesting tags */
			if (len) {
				static const uint8_t tags[] = { 0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
					0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc7, 0xca, 0xcb, 0xcf, 0xd3, 0xd4, 0xd8,
					0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff };
				buf[at] = test_below(r, 2) ? tags[test_below(r, sizeof tags)]
				                           : (uint8_t)test_rand(r);
			}
			break;
		case 2:   /* insert */
			if (len < cap) {
				memmove(buf + at + 1, buf + at, len - at);
				buf[at] = (uint8_t)test_rand(r);
				len++;
			}
			break;
		case 3:   /* delete */
			if (len) {
				memmove(buf + at, buf + at + 1, len - at - 1);
				len--;
			}
			break;
		case 4:   /* truncate */
			len = at;
			break;
		case 5: { /* copy a chunk over another place */
			size_t from = len ? test_below(r, (uint32_t)len) : 0;
			size_t n = test_below(r, 16);

			if (from + n <= len && at + n <= len)
				memmove(buf + at, buf + from, n);
			break;
		}
		default:  /* overwrite a 4-byte run: lying lengths */
			for (size_t i = at; i < len && i < at + 4; i++)
				buf[i] = test_below(r, 2) ? 0xff : 0x00;
			break;
		}
	}
	return len;
}

/* A decoded message has only bounded strings and consistent arrays. */
static void
test_check_sane_event(const struct proto_event *ev)
{
	ck_assert_int_lt(ev->type, PROTO_EV__COUNT);
	ck_assert_int_lt(ev->channel, PROTO_CH__COUNT);
	ck_assert_int_lt(ev->state, PROTO_AS__COUNT);
	ck_assert_uint_le(strlen(ev->tenant), PROTO_ID_MAX);
	ck_assert_uint_le(strlen(ev->agent), PROTO_ID_MAX);
	ck_assert_uint_le(strlen(ev->req), PROTO_REQID_MAX);
	ck_assert_uint_le(strlen(ev->reason), PROTO_TEXT_MAX);
}

static void
test_check_sane_reply(const struct proto_reply *rp)
{
	const struct proto_snapshot *s = rp->snapshot;

	ck_assert_uint_le(strlen(rp->id), PROTO_REQID_MAX);
	ck_assert(rp->ok || (rp->err > PROTO_RE_NONE && rp->err < PROTO_RE__COUNT));
	ck_assert(rp->n_rows == 0 || rp->rows != NULL);
	ck_assert(rp->n_audit == 0 || rp->audit != NULL);
	for (uint32_t i = 0; i < rp->n_rows; i++)
		ck_assert_uint_le(rp->rows[i].n_intervals, PROTO_INTERVALS_MAX);
	if (s == NULL)
		return;
	ck_assert(rp->ok && rp->op == PROTO_OP_SNAPSHOT);
	ck_assert(s->n_pools == 0 || s->pools != NULL);
	for (uint32_t i = 0; i < s->n_pools; i++) {
		ck_assert(s->pools[i].n_serves == 0 || s->pools[i].serves != NULL);
		ck_assert(s->pools[i].kind == PROTO_POOL_DEDICATED || s->pools[i].tenant[0] == '\0');
	}
	ck_assert(s->n_agents == 0 || s->agents != NULL);
	for (uint32_t i = 0; i < s->n_agents; i++)
		ck_assert_int_lt(s->agents[i].state, PROTO_AS__COUNT);
	ck_assert(s->n_queues == 0 || s->queues != NULL);
	ck_assert_uint_le(s->n_shifts, PROTO_SHIFTS_MAX);
}

/*
 * A decoded message encodes back to something that decodes to the same
 * bytes again: the decoder accepts only what the encoder can say.
 */
static void
test_check_stable_reply(const struct proto_reply *rp)
{
	struct proto_buf b1, b2;
	struct proto_reply again;

	proto_buf_init(&b1);
	proto_buf_init(&b2);
	ck_assert_int_eq(proto_encode_reply(&b1, rp), PROTO_OK);
	ck_assert_int_eq(proto_decode_reply(b1.data, b1.len, rp->op, &again), PROTO_OK);
	ck_assert_int_eq(proto_encode_reply(&b2, &again), PROTO_OK);
	ck_assert_uint_eq(b1.len, b2.len);
	ck_assert_int_eq(memcmp(b1.data, b2.data, b1.len), 0);
	proto_reply_free(&again);
	proto_buf_free(&b1);
	proto_buf_free(&b2);
}

START_TEST(test_mutated_frames)
{
	enum { ROUNDS = 100000, CAP = 65536 };
	struct test_rng rng = { 0xfeedface };
	struct test_frame_set fs;
	uint8_t *buf = malloc(CAP);
	int ok[3] = { 0, 0, 0 }, bad = 0;

	ck_assert_ptr_nonnull(buf);
	test_frames_make(&fs, 99);
	for (int round = 0; round < ROUNDS; round++) {
		struct proto_event ev;
		struct proto_request rq;
		struct proto_reply rp;
		size_t len;
		int rc;

		if (test_below(&rng, 10) == 0) {
			len = test_below(&rng, 64);
			for (size_t i = 0; i < len; i++)
				buf[i] = (uint8_t)test_rand(&rng);
		} else {
			size_t i = test_below(&rng, (uint32_t)fs.n);

			if (fs.f[i].len > CAP)
				continue;
			memcpy(buf, fs.f[i].data, fs.f[i].len);
			len = test_mutate(&rng, buf, fs.f[i].len, CAP);
		}

		rc = proto_decode_event(buf, len, &ev);
		ck_assert(rc <= PROTO_OK && rc >= PROTO_E_INVALID);
		if (rc == PROTO_OK) {
			test_check_sane_event(&ev);
			ok[0]++;
		} else {
			bad++;
		}

		rc = proto_decode_request(buf, len, &rq);
		ck_assert(rc <= PROTO_OK && rc >= PROTO_E_INVALID);
		ck_assert_uint_le(strlen(rq.id), PROTO_REQID_MAX);
		if (rc == PROTO_OK) {
			ck_assert_int_lt(rq.op, PROTO_OP__COUNT);
			ck_assert(rq.op != PROTO_OP_MOVE || (rq.n_agents > 0 && rq.agents != NULL));
			ok[1]++;
		} else {
			ck_assert_ptr_null(rq.agents);
		}
		proto_request_free(&rq);

		rc = proto_decode_reply(buf, len, (enum proto_op)test_below(&rng, PROTO_OP__COUNT), &rp);
		ck_assert(rc <= PROTO_OK && rc >= PROTO_E_INVALID);
		if (rc == PROTO_OK) {
			test_check_sane_reply(&rp);
			if (round % 16 == 0)
				test_check_stable_reply(&rp);
			ok[2]++;
		} else {
			ck_assert(rp.snapshot == NULL && rp.rows == NULL && rp.audit == NULL);
		}
		proto_reply_free(&rp);
	}
	/* the mutations must exercise both outcomes of every decoder */
	ck_assert_int_gt(ok[0], 100);
	ck_assert_int_gt(ok[1], 100);
	ck_assert_int_gt(ok[2], 100);
	ck_assert_int_gt(bad, ROUNDS / 2);
	test_frames_free(&fs);
	free(buf);
}
END_TEST

/* ------------------------------------------------------- seed corpus */

#ifdef TEST_SRCDIR
#include <dirent.h>

static uint8_t *
test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 20);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, 1 << 20, f);
	ck_assert(!ferror(f) && feof(f));
	fclose(f);
	return buf;
}

/* The seeds are what their names say: ev-TYPE is a valid event, rq-OP a
 * valid request, rp-OP[-...] a valid reply to OP, bad-* fails everywhere
 * (anything else, like a fuzzer's crash-*, only has to not crash); and
 * every event type and op has a seed. */
START_TEST(test_corpus_seeds)
{
	const char *dir = TEST_SRCDIR "/tests/fuzz/corpus";
	unsigned ev_seen = 0, rq_seen = 0, rp_seen = 0, bad_seen = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		char path[1024], name[256];
		uint8_t *buf;
		size_t len;
		char *dot;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		snprintf(name, sizeof name, "%s", e->d_name);
		dot = strrchr(name, '.');
		if (dot != NULL && strcmp(dot, ".bin") == 0)
			*dot = '\0';
		buf = test_slurp(path, &len);
		if (strncmp(name, "ev-", 3) == 0) {
			struct proto_event ev;

			ck_assert_msg(proto_decode_event(buf, len, &ev) == PROTO_OK, "%s", name);
			ck_assert_str_eq(proto_event_type_name(ev.type), name + 3);
			ev_seen |= 1u << ev.type;
		} else if (strncmp(name, "rq-", 3) == 0) {
			struct proto_request rq;

			ck_assert_msg(proto_decode_request(buf, len, &rq) == PROTO_OK, "%s", name);
			ck_assert_str_eq(proto_op_name(rq.op), name + 3);
			rq_seen |= 1u << rq.op;
			proto_request_free(&rq);
		} else if (strncmp(name, "rp-", 3) == 0) {
			struct proto_reply rp;
			char *dash = strchr(name + 3, '-');
			int op;

			if (dash != NULL)
				*dash = '\0';
			op = proto_op_parse(name + 3);
			ck_assert_msg(op >= 0, "%s names no op", e->d_name);
			ck_assert_msg(proto_decode_reply(buf, len, (enum proto_op)op, &rp) == PROTO_OK,
			              "%s", e->d_name);
			rp_seen |= 1u << op;
			proto_reply_free(&rp);
		} else if (strncmp(name, "bad-", 4) == 0) {
			ck_assert_int_ne(test_decode_as(TEST_EVENT, PROTO_OP_PING, buf, len), PROTO_OK);
			ck_assert_int_ne(test_decode_as(TEST_REQUEST, PROTO_OP_PING, buf, len), PROTO_OK);
			for (int op = 0; op < PROTO_OP__COUNT; op++)
				ck_assert_int_ne(test_decode_as(TEST_REPLY, (enum proto_op)op, buf, len), PROTO_OK);
			bad_seen++;
		} else {
			/* crash-* and other fuzzer finds: any result, no crash */
			test_decode_as(TEST_EVENT, PROTO_OP_PING, buf, len);
			test_decode_as(TEST_REQUEST, PROTO_OP_PING, buf, len);
			for (int op = 0; op < PROTO_OP__COUNT; op++)
				test_decode_as(TEST_REPLY, (enum proto_op)op, buf, len);
		}
		free(buf);
	}
	closedir(d);
	ck_assert_uint_eq(ev_seen, (1u << PROTO_EV__COUNT) - 1);
	ck_assert_uint_eq(rq_seen, (1u << PROTO_OP__COUNT) - 1);
	ck_assert_uint_eq(rp_seen, (1u << PROTO_OP__COUNT) - 1);
	ck_assert_uint_gt(bad_seen, 0);
}
END_TEST
#endif

static Suite *
test_suite(void)
{
	Suite *s = suite_create("proto");
	TCase *tc = tcase_create("unit");
	TCase *heavy = tcase_create("heavy");

	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_sl_rows_sized);
	tcase_add_test(tc, test_strlcpy);
	tcase_add_test(tc, test_buf);
	tcase_add_test(tc, test_mpread_numbers);
	tcase_add_test(tc, test_mpread_containers);
	tcase_add_test(tc, test_mpread_skip);
	tcase_add_test(tc, test_golden_bytes);
	tcase_add_test(tc, test_request_omits_defaults);
	tcase_add_test(tc, test_bad_events);
	tcase_add_test(tc, test_bad_requests);
	tcase_add_test(tc, test_bad_replies);
#ifdef TEST_SRCDIR
	tcase_add_test(tc, test_corpus_seeds);
#endif
	suite_add_tcase(s, tc);

	/* sanitizer builds are several times slower */
	tcase_set_timeout(heavy, 300);
	tcase_add_test(heavy, test_roundtrip_events);
	tcase_add_test(heavy, test_roundtrip_requests);
	tcase_add_test(heavy, test_roundtrip_replies);
	tcase_add_test(heavy, test_roundtrip_big_snapshot);
	tcase_add_test(heavy, test_truncated_everywhere);
	tcase_add_test(heavy, test_mutated_frames);
	suite_add_tcase(s, heavy);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(test_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
