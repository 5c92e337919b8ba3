/*
 * bench_proto: how fast a subscriber can take the event feed in.
 *
 * A generator plays a floor of 500 tenants / 215 pools / 10,000 agents
 * (the shape of scenarios/large.ini) and writes a coherent event stream:
 * contacts are queued, answered, ended and wrapped by agents that are idle
 * at the time, agents take breaks, log off and on, are moved now and then,
 * and a heartbeat comes every BENCH_HB_EVERY events.  Every event is
 * encoded once with proto_encode_event into one buffer of BENCH_FRAMES
 * frames; the timed loops then only read that buffer.  Two streams: one
 * from a publisher that announces every agent state (~45 % contact.*),
 * then pooltopd's own mix, where contact events imply busy / wrap / idle
 * (~95 % contact.*).  The loops:
 *
 *   (a) proto_decode_event alone;
 *   (b) proto_decode_event + floor_apply(check_seq = true) on a fresh
 *       floor built with floor_add_*, as the dashboard does it;
 *   (c) msgpack-c's own unpacker on the same frames, objects only (no
 *       mapping to structs): msgpack_unpack_next as documented (a new
 *       zone per frame) and msgpack_unpack into one reused zone (first
 *       stream only: it is the comparison, not the product).
 *
 * Each is run BENCH_REPEAT times and the best run is reported: the best
 * is the run least disturbed by the rest of the machine.  Numbers are
 * printed, never judged: the target is shown next to them.
 */
#include <inttypes.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/floor.h"
#include "pooltop/proto.h"

#ifndef BENCH_FRAMES                  /* -DBENCH_FRAMES=N for a quick profile */
#define BENCH_FRAMES 1000000u
#endif
#define BENCH_REPEAT 3
#define BENCH_TARGET_EPS 5e6          /* events/s decoded and applied */

/* The floor: the shape of large.ini. */
#define BENCH_TENANTS 500u
#define BENCH_DEDICATED 100u          /* tenants 0..99 dedicated */
#define BENCH_HYBRID 100u             /* 100..199 hybrid, the rest shared */
#define BENCH_SHARED_POOLS 15u
#define BENCH_AGENTS 10000u
#define BENCH_AGENTS_PER_DED 40u      /* 200 x 40 = 8000 dedicated agents */

/* The stream.  Probabilities are per generator step; they are chosen so
 * that queues stay a few contacts deep and, for a publisher that announces
 * every agent state, the mix lands near 45 % contact.* / 53 % agent.state,
 * with agent.moved and hb rare. */
#define BENCH_HB_EVERY 250u           /* about one heartbeat per 250 events */
#define BENCH_P_MOVE 0.004            /* move an idle agent to another pool */
#define BENCH_P_ARRIVAL 0.10          /* a contact joins a random queue */
#define BENCH_P_ABANDON 0.03          /* a waiting caller hangs up */
#define BENCH_P_BREAK 0.40            /* an idle agent goes on break... */
#define BENCH_P_LOGOFF 0.06           /* ...or logs off for a while */
/* pooltopd's own mix (measured with bench_sub over a day of large.ini:
 * ~95 % contact.*, ~5 % agent.state): breaks and log-offs are rarer than
 * contacts by far, and busy / wrap / idle ride on the contact events. */
#define BENCH_P_BREAK_SERVER 0.08
#define BENCH_P_LOGOFF_SERVER 0.01
#define BENCH_QUEUE_MAX 24u           /* per tenant; arrivals beyond wait */
#define BENCH_EPOCH 7u
#define BENCH_START_TS INT64_C(1767254400000) /* 2026-01-01 08:00 UTC */

/* xorshift64*: deterministic, so every run times the same stream. */
struct bench_rng {
	uint64_t s;
};

static uint64_t
bench_rng_next(struct bench_rng *r)
{
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * UINT64_C(2685821657736338717);
}

static double
bench_rng_unit(struct bench_rng *r)
{
	return (double)(bench_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static uint32_t
bench_rng_below(struct bench_rng *r, uint32_t n)
{
	return (uint32_t)(bench_rng_next(r) % n);
}

/* ------------------------------------------------------------ layout */

/* Pools 0..199 are the dedicated pools of tenants 0..199; pools 200..214
 * are shared, each serving every 15th shared tenant and every 15th
 * hybrid one. */
static uint32_t
bench_pool_count(void)
{
	return BENCH_DEDICATED + BENCH_HYBRID + BENCH_SHARED_POOLS;
}

static bool
bench_pool_shared(uint32_t p)
{
	return p >= BENCH_DEDICATED + BENCH_HYBRID;
}

/* Tenants served by shared pool p, written into out (NULL: just count). */
static uint32_t
bench_pool_serves(uint32_t p, uint32_t *out)
{
	uint32_t k = p - (BENCH_DEDICATED + BENCH_HYBRID), n = 0;

	for (uint32_t t = BENCH_DEDICATED; t < BENCH_TENANTS; t++) {
		if (t % BENCH_SHARED_POOLS != k)
			continue;
		if (out)
			out[n] = t;
		n++;
	}
	return n;
}

static uint32_t
bench_agent_home(uint32_t a)
{
	uint32_t ded = (BENCH_DEDICATED + BENCH_HYBRID) * BENCH_AGENTS_PER_DED;

	if (a < ded)
		return a / BENCH_AGENTS_PER_DED;
	return BENCH_DEDICATED + BENCH_HYBRID + (a - ded) % BENCH_SHARED_POOLS;
}

static void
bench_tenant_id(uint32_t t, char out[PROTO_ID_MAX + 1])
{
	snprintf(out, PROTO_ID_MAX + 1, "t%04" PRIu32, t + 1);
}

static void
bench_pool_id(uint32_t p, char out[PROTO_ID_MAX + 1])
{
	if (bench_pool_shared(p))
		snprintf(out, PROTO_ID_MAX + 1, "shared-%02" PRIu32,
		         p - (BENCH_DEDICATED + BENCH_HYBRID) + 1);
	else
		snprintf(out, PROTO_ID_MAX + 1, "ded-t%04" PRIu32, p + 1);
}

static void
bench_agent_id(uint32_t a, char out[PROTO_ID_MAX + 1])
{
	snprintf(out, PROTO_ID_MAX + 1, "a%05" PRIu32, a + 1);
}

/* The floor the stream is valid for: every agent idle in its home pool,
 * inside shift Early. */
static int
bench_floor_build(struct floor *f)
{
	struct proto_shift_def sh = { "Early", "06:00", "14:00" };
	struct proto_event ev;

	floor_init(f);
	f->epoch = BENCH_EPOCH;
	f->ts = BENCH_START_TS;
	if (floor_add_shift(f, &sh) < 0)
		return -1;
	for (uint32_t t = 0; t < BENCH_TENANTS; t++) {
		struct proto_tenant tn;

		memset(&tn, 0, sizeof tn);
		bench_tenant_id(t, tn.id);
		snprintf(tn.name, sizeof tn.name, "Tenant %" PRIu32, t + 1);
		tn.model = t < BENCH_DEDICATED ? PROTO_MODEL_DEDICATED
		         : t < BENCH_DEDICATED + BENCH_HYBRID ? PROTO_MODEL_HYBRID
		         : PROTO_MODEL_SHARED;
		tn.sl_pct = 80;
		tn.sl_sec = 20;
		tn.dedicated_rate = 28.5;
		tn.shared_rate = 40.0;
		tn.overflow_sec = 30;
		if (floor_add_tenant(f, &tn) < 0)
			return -1;
	}
	for (uint32_t p = 0; p < bench_pool_count(); p++) {
		struct proto_pool pl;
		uint32_t serves[BENCH_TENANTS];
		char (*ids)[PROTO_ID_MAX + 1] = NULL;
		int r;

		memset(&pl, 0, sizeof pl);
		bench_pool_id(p, pl.id);
		if (bench_pool_shared(p)) {
			pl.kind = PROTO_POOL_SHARED;
			pl.n_serves = bench_pool_serves(p, serves);
			ids = calloc(pl.n_serves, sizeof *ids);
			if (!ids)
				return -1;
			for (uint32_t i = 0; i < pl.n_serves; i++)
				bench_tenant_id(serves[i], ids[i]);
			pl.serves = ids;
		} else {
			pl.kind = PROTO_POOL_DEDICATED;
			bench_tenant_id(p, pl.tenant);
		}
		r = floor_add_pool(f, &pl);
		free(ids);
		if (r < 0)
			return -1;
	}
	for (uint32_t a = 0; a < BENCH_AGENTS; a++) {
		struct proto_agent ag;

		memset(&ag, 0, sizeof ag);
		bench_agent_id(a, ag.id);
		snprintf(ag.name, sizeof ag.name, "Agent %" PRIu32, a + 1);
		bench_pool_id(bench_agent_home(a), ag.pool);
		ag.state = PROTO_AS_IDLE;
		ag.since_ts = ag.acc_ts = BENCH_START_TS;
		if (floor_add_agent(f, &ag) < 0)
			return -1;
	}
	/* seq 1 opens the shift, so intervals and staffed time are counted
	 * in the timed part as they are on a live floor */
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	ev.epoch = BENCH_EPOCH;
	ev.seq = 1;
	ev.ts = BENCH_START_TS;
	memcpy(ev.shift, "Early", 6);
	ev.start_ts = BENCH_START_TS - 2 * 3600 * 1000;
	ev.end_ts = BENCH_START_TS + 6 * 3600 * 1000;
	return floor_apply(f, &ev, true) == FLOOR_APPLIED ? 0 : -1;
}

/* ------------------------------------------------------------ stream */

struct bench_agent {
	uint32_t pool;
	int32_t tenant;                /* being served, -1 = none */
	uint64_t contact;
	int64_t since;                 /* when the current state began */
	enum proto_agent_state state;
};

struct bench_queue {
	uint32_t n;
	uint64_t contact[BENCH_QUEUE_MAX];
	int64_t ts[BENCH_QUEUE_MAX];
};

/* The encoded stream: frame i is data[off[i] .. off[i + 1]). */
struct bench_stream {
	struct proto_buf buf;
	size_t *off;
	uint32_t n;
	uint64_t by_type[PROTO_EV__COUNT];
};

struct bench_gen {
	struct bench_rng rng;
	struct bench_agent *agents;
	struct bench_queue *queues;
	uint32_t serves[BENCH_SHARED_POOLS][BENCH_TENANTS];
	uint32_t n_serves[BENCH_SHARED_POOLS];
	uint64_t next_contact;
	uint64_t seq;
	int64_t ts;
	struct bench_stream *out;
	bool announce;                 /* agent.state for busy / wrap / idle too */
	double p_break;
	double p_logoff;
};

/* Seq and clock advance here, as a publisher would assign them; a
 * heartbeat repeats the last seq. Returns false once the stream is full. */
static bool
bench_gen_emit(struct bench_gen *g, struct proto_event *ev)
{
	struct bench_stream *s = g->out;

	if (s->n == BENCH_FRAMES)
		return false;
	g->ts += 1 + (int64_t)bench_rng_below(&g->rng, 40);
	ev->epoch = BENCH_EPOCH;
	ev->seq = ev->type == PROTO_EV_HB ? g->seq : ++g->seq;
	ev->ts = g->ts;
	if (proto_encode_event(&s->buf, ev) != 0)
		return false;
	s->by_type[ev->type]++;
	s->off[++s->n] = s->buf.len;
	if (s->n % BENCH_HB_EVERY == 0 && s->n < BENCH_FRAMES) {
		struct proto_event hb;

		memset(&hb, 0, sizeof hb);
		hb.type = PROTO_EV_HB;
		return bench_gen_emit(g, &hb);
	}
	return true;
}

static void
bench_ev_contact(struct proto_event *ev, enum proto_event_type type, uint32_t t,
                 uint64_t contact)
{
	memset(ev, 0, sizeof *ev);
	ev->type = type;
	bench_tenant_id(t, ev->tenant);
	ev->contact = contact;
}

static bool
bench_gen_state(struct bench_gen *g, uint32_t a, enum proto_agent_state st, int32_t t)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	bench_agent_id(a, ev.agent);
	ev.state = st;
	if (t >= 0)
		bench_tenant_id((uint32_t)t, ev.tenant);
	g->agents[a].state = st;
	g->agents[a].tenant = t;
	g->agents[a].since = g->ts;
	return bench_gen_emit(g, &ev);
}

/* The busy / wrap / idle that a contact event implies: announced as
 * agent.state by a publisher that reports every state, only noted here by
 * one that, like pooltopd, lets the contact event say it. */
static bool
bench_gen_implied(struct bench_gen *g, uint32_t a, enum proto_agent_state st, int32_t t)
{
	if (g->announce)
		return bench_gen_state(g, a, st, t);
	g->agents[a].state = st;
	g->agents[a].tenant = t;
	g->agents[a].since = g->ts;
	return true;
}

static bool
bench_gen_queue(struct bench_gen *g, uint32_t t)
{
	struct bench_queue *q = &g->queues[t];
	struct proto_event ev;

	if (q->n == BENCH_QUEUE_MAX)
		return true;
	bench_ev_contact(&ev, PROTO_EV_CONTACT_QUEUED, t, g->next_contact++);
	ev.channel = (enum proto_channel)bench_rng_below(&g->rng, PROTO_CH__COUNT);
	q->contact[q->n] = ev.contact;
	q->ts[q->n] = g->ts;
	q->n++;
	return bench_gen_emit(g, &ev);
}

/* Remove entry i of queue t, returning its contact and queued time. */
static uint64_t
bench_gen_dequeue(struct bench_gen *g, uint32_t t, uint32_t i, int64_t *queued)
{
	struct bench_queue *q = &g->queues[t];
	uint64_t c = q->contact[i];

	*queued = q->ts[i];
	memmove(&q->contact[i], &q->contact[i + 1], (q->n - i - 1) * sizeof q->contact[0]);
	memmove(&q->ts[i], &q->ts[i + 1], (q->n - i - 1) * sizeof q->ts[0]);
	q->n--;
	return c;
}

static bool
bench_gen_abandon(struct bench_gen *g)
{
	uint32_t t = bench_rng_below(&g->rng, BENCH_TENANTS);
	struct proto_event ev;
	int64_t queued;
	uint64_t c;

	if (g->queues[t].n == 0)
		return true;
	c = bench_gen_dequeue(g, t, bench_rng_below(&g->rng, g->queues[t].n), &queued);
	bench_ev_contact(&ev, PROTO_EV_CONTACT_ABANDONED, t, c);
	ev.wait_ms = (uint64_t)(g->ts - queued);
	return bench_gen_emit(g, &ev);
}

/* The tenant an agent of pool p takes its next contact for. */
static uint32_t
bench_gen_pick_tenant(struct bench_gen *g, uint32_t p)
{
	uint32_t k;

	if (!bench_pool_shared(p))
		return p;
	k = p - (BENCH_DEDICATED + BENCH_HYBRID);
	return g->serves[k][bench_rng_below(&g->rng, g->n_serves[k])];
}

/* Idle agent a answers the oldest contact of one of its tenants, queued
 * just now when nobody waits. */
static bool
bench_gen_answer(struct bench_gen *g, uint32_t a)
{
	struct bench_agent *ag = &g->agents[a];
	uint32_t t = bench_gen_pick_tenant(g, ag->pool);
	struct proto_event ev;
	int64_t queued;

	if (g->queues[t].n == 0 && !bench_gen_queue(g, t))
		return false;
	ag->contact = bench_gen_dequeue(g, t, 0, &queued);
	bench_ev_contact(&ev, PROTO_EV_CONTACT_ANSWERED, t, ag->contact);
	bench_agent_id(a, ev.agent);
	ev.wait_ms = (uint64_t)(g->ts - queued);
	if (!bench_gen_emit(g, &ev))
		return false;
	return bench_gen_implied(g, a, PROTO_AS_BUSY, (int32_t)t);
}

static bool
bench_gen_move(struct bench_gen *g)
{
	uint32_t a = bench_rng_below(&g->rng, BENCH_AGENTS);
	struct bench_agent *ag = &g->agents[a];
	struct proto_event ev;
	uint32_t to;

	if (ag->state != PROTO_AS_IDLE)
		return true;
	to = bench_rng_below(&g->rng, bench_pool_count());
	if (to == ag->pool)
		return true;
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	bench_agent_id(a, ev.agent);
	bench_pool_id(ag->pool, ev.from);
	bench_pool_id(to, ev.to);
	memcpy(ev.by, "shift-lead", 11);
	snprintf(ev.req, sizeof ev.req, "bench-%" PRIu64, g->seq);
	memcpy(ev.reason, "evening peak: cover the shared pool", 36);
	ag->pool = to;
	return bench_gen_emit(g, &ev);
}

/* One step of one agent's day. */
static bool
bench_gen_agent(struct bench_gen *g, uint32_t a)
{
	struct bench_agent *ag = &g->agents[a];
	struct proto_event ev;
	double u;

	switch (ag->state) {
	case PROTO_AS_OFFLINE:
	case PROTO_AS_BREAK:
		return bench_gen_state(g, a, PROTO_AS_IDLE, -1);
	case PROTO_AS_IDLE:
		u = bench_rng_unit(&g->rng);
		if (u < g->p_break)
			return bench_gen_state(g, a, PROTO_AS_BREAK, -1);
		if (u < g->p_break + g->p_logoff)
			return bench_gen_state(g, a, PROTO_AS_OFFLINE, -1);
		return bench_gen_answer(g, a);
	case PROTO_AS_BUSY:
		bench_ev_contact(&ev, PROTO_EV_CONTACT_ENDED, (uint32_t)ag->tenant, ag->contact);
		bench_agent_id(a, ev.agent);
		ev.talk_ms = (uint64_t)(g->ts - ag->since);
		if (!bench_gen_emit(g, &ev))
			return false;
		return bench_gen_implied(g, a, PROTO_AS_WRAP, ag->tenant);
	case PROTO_AS_WRAP:
		bench_ev_contact(&ev, PROTO_EV_CONTACT_WRAPPED, (uint32_t)ag->tenant, ag->contact);
		bench_agent_id(a, ev.agent);
		ev.wrap_ms = (uint64_t)(g->ts - ag->since);
		if (!bench_gen_emit(g, &ev))
			return false;
		return bench_gen_implied(g, a, PROTO_AS_IDLE, -1);
	default:
		return false;
	}
}

static bool
bench_gen_step(struct bench_gen *g)
{
	double u = bench_rng_unit(&g->rng);

	if (u < BENCH_P_MOVE)
		return bench_gen_move(g);
	u -= BENCH_P_MOVE;
	if (u < BENCH_P_ARRIVAL)
		return bench_gen_queue(g, bench_rng_below(&g->rng, BENCH_TENANTS));
	u -= BENCH_P_ARRIVAL;
	if (u < BENCH_P_ABANDON)
		return bench_gen_abandon(g);
	return bench_gen_agent(g, bench_rng_below(&g->rng, BENCH_AGENTS));
}

static int
bench_stream_make(struct bench_stream *s, bool announce)
{
	struct bench_gen g;
	int rc = 0;

	memset(s, 0, sizeof *s);
	memset(&g, 0, sizeof g);
	proto_buf_init(&s->buf);
	s->off = calloc(BENCH_FRAMES + 1, sizeof *s->off);
	g.agents = calloc(BENCH_AGENTS, sizeof *g.agents);
	g.queues = calloc(BENCH_TENANTS, sizeof *g.queues);
	if (!s->off || !g.agents || !g.queues) {
		rc = -1;
		goto out;
	}
	g.rng.s = UINT64_C(0x9e3779b97f4a7c15);
	g.next_contact = 1;
	g.seq = 1;                    /* seq 1 is the floor's shift.started */
	g.ts = BENCH_START_TS;
	g.out = s;
	g.announce = announce;
	g.p_break = announce ? BENCH_P_BREAK : BENCH_P_BREAK_SERVER;
	g.p_logoff = announce ? BENCH_P_LOGOFF : BENCH_P_LOGOFF_SERVER;
	for (uint32_t k = 0; k < BENCH_SHARED_POOLS; k++)
		g.n_serves[k] = bench_pool_serves(BENCH_DEDICATED + BENCH_HYBRID + k, g.serves[k]);
	for (uint32_t a = 0; a < BENCH_AGENTS; a++) {
		g.agents[a].pool = bench_agent_home(a);
		g.agents[a].tenant = -1;
		g.agents[a].state = PROTO_AS_IDLE;
		g.agents[a].since = BENCH_START_TS;
	}
	while (s->n < BENCH_FRAMES)
		if (!bench_gen_step(&g) && s->n < BENCH_FRAMES) {
			rc = -1;
			break;
		}
out:
	free(g.agents);
	free(g.queues);
	return rc;
}

static void
bench_stream_free(struct bench_stream *s)
{
	proto_buf_free(&s->buf);
	free(s->off);
}

/* ------------------------------------------------------------ timing */

static double
bench_now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct bench_result {
	double best_s;
	uint64_t failed;              /* frames that did not decode */
	uint64_t sink;                /* keeps the work observable */
	uint64_t by_result[4];        /* floor_apply: applied, ignored, resync, rejected */
};

static void
bench_decode(const struct bench_stream *s, struct bench_result *res)
{
	struct proto_event ev;

	memset(res, 0, sizeof *res);
	for (int rep = 0; rep < BENCH_REPEAT; rep++) {
		uint64_t failed = 0, sink = 0;
		double t0 = bench_now_s(), dt;

		for (uint32_t i = 0; i < s->n; i++) {
			const uint8_t *p = s->buf.data + s->off[i];

			if (proto_decode_event(p, s->off[i + 1] - s->off[i], &ev) != PROTO_OK)
				failed++;
			sink += ev.seq;
		}
		dt = bench_now_s() - t0;
		if (rep == 0 || dt < res->best_s)
			res->best_s = dt;
		res->failed = failed;
		res->sink = sink;
	}
}

static unsigned
bench_result_slot(enum floor_apply_result r)
{
	switch (r) {
	case FLOOR_APPLIED: return 0;
	case FLOOR_IGNORED: return 1;
	case FLOOR_RESYNC: return 2;
	default: return 3;
	}
}

/* Each run starts from a freshly built floor (not timed), so every run
 * applies the same stream to the same state. */
static int
bench_apply(const struct bench_stream *s, struct bench_result *res)
{
	struct proto_event ev;

	memset(res, 0, sizeof *res);
	for (int rep = 0; rep < BENCH_REPEAT; rep++) {
		struct floor f;
		uint64_t by[4] = { 0, 0, 0, 0 }, failed = 0;
		double t0, dt;

		if (bench_floor_build(&f) != 0) {
			floor_free(&f);
			return -1;
		}
		t0 = bench_now_s();
		for (uint32_t i = 0; i < s->n; i++) {
			const uint8_t *p = s->buf.data + s->off[i];

			if (proto_decode_event(p, s->off[i + 1] - s->off[i], &ev) != PROTO_OK) {
				failed++;
				continue;
			}
			by[bench_result_slot(floor_apply(&f, &ev, true))]++;
		}
		dt = bench_now_s() - t0;
		if (rep == 0 || dt < res->best_s)
			res->best_s = dt;
		res->failed = failed;
		res->sink = f.seq;
		memcpy(res->by_result, by, sizeof by);
		floor_free(&f);
	}
	return 0;
}

/* msgpack_unpack_next as its documentation shows it: one msgpack_unpacked
 * reused, which the library gives a fresh zone on every call. */
static void
bench_msgpack_next(const struct bench_stream *s, struct bench_result *res)
{
	msgpack_unpacked u;

	memset(res, 0, sizeof *res);
	msgpack_unpacked_init(&u);
	for (int rep = 0; rep < BENCH_REPEAT; rep++) {
		uint64_t failed = 0, sink = 0;
		double t0 = bench_now_s(), dt;

		for (uint32_t i = 0; i < s->n; i++) {
			const char *p = (const char *)s->buf.data + s->off[i];
			size_t off = 0;

			if (msgpack_unpack_next(&u, p, s->off[i + 1] - s->off[i], &off) !=
			    MSGPACK_UNPACK_SUCCESS)
				failed++;
			else
				sink += u.data.via.map.size;
		}
		dt = bench_now_s() - t0;
		if (rep == 0 || dt < res->best_s)
			res->best_s = dt;
		res->failed = failed;
		res->sink = sink;
	}
	msgpack_unpacked_destroy(&u);
}

/* The cheapest way msgpack-c offers: one zone, cleared between frames, so
 * no allocation once it has grown. */
static void
bench_msgpack_zone(const struct bench_stream *s, struct bench_result *res)
{
	msgpack_zone z;

	memset(res, 0, sizeof *res);
	if (!msgpack_zone_init(&z, 4096)) {
		res->failed = s->n;
		return;
	}
	for (int rep = 0; rep < BENCH_REPEAT; rep++) {
		uint64_t failed = 0, sink = 0;
		double t0 = bench_now_s(), dt;

		for (uint32_t i = 0; i < s->n; i++) {
			const char *p = (const char *)s->buf.data + s->off[i];
			msgpack_object obj;
			size_t off = 0;

			if (msgpack_unpack(p, s->off[i + 1] - s->off[i], &off, &z, &obj) !=
			    MSGPACK_UNPACK_SUCCESS)
				failed++;
			else
				sink += obj.via.map.size;
			msgpack_zone_clear(&z);
		}
		dt = bench_now_s() - t0;
		if (rep == 0 || dt < res->best_s)
			res->best_s = dt;
		res->failed = failed;
		res->sink = sink;
	}
	msgpack_zone_destroy(&z);
}

/* ------------------------------------------------------------ report */

static void
bench_print_mix(const struct bench_stream *s)
{
	uint64_t contact = 0;
	double n = (double)s->n;

	for (int t = PROTO_EV_CONTACT_QUEUED; t <= PROTO_EV_CONTACT_WRAPPED; t++)
		contact += s->by_type[t];
	printf("stream: %" PRIu32 " frames, %.1f MB, %.1f bytes/frame on average\n",
	       s->n, (double)s->buf.len / 1e6, (double)s->buf.len / n);
	printf("mix:    contact.* %.1f%% (", 100.0 * (double)contact / n);
	for (int t = PROTO_EV_CONTACT_QUEUED; t <= PROTO_EV_CONTACT_WRAPPED; t++)
		printf("%s%s %.1f", t == PROTO_EV_CONTACT_QUEUED ? "" : ", ",
		       proto_event_type_name((enum proto_event_type)t) + 8,
		       100.0 * (double)s->by_type[t] / n);
	printf("), agent.state %.1f%%, agent.moved %.2f%%, hb %.2f%%\n",
	       100.0 * (double)s->by_type[PROTO_EV_AGENT_STATE] / n,
	       100.0 * (double)s->by_type[PROTO_EV_AGENT_MOVED] / n,
	       100.0 * (double)s->by_type[PROTO_EV_HB] / n);
}

static double
bench_print_row(const char *what, const struct bench_result *r, uint32_t n)
{
	double ns = r->best_s * 1e9 / n, eps = n / r->best_s;

	printf("  %-34s %7.1f ns/event %7.2f M events/s", what, ns, eps / 1e6);
	if (r->failed)
		printf("  (%" PRIu64 " frames failed!)", r->failed);
	printf("\n");
	return eps;
}

/* pooltopd's own mix: agent.state only where no contact event implies the
 * state (breaks, log-off), so ~95 % contact.*: the heavier events, since
 * each names a tenant and most an agent too. */
static int
bench_server_mix(struct bench_result *dec, struct bench_result *app)
{
	struct bench_stream s;
	int rc;

	if (bench_stream_make(&s, false) != 0) {
		bench_stream_free(&s);
		return -1;
	}
	printf("\nthe same floor, pooltopd's own mix (contact events imply busy / wrap / idle):\n");
	bench_print_mix(&s);
	bench_decode(&s, dec);
	rc = bench_apply(&s, app);
	if (rc == 0) {
		bench_print_row("(a) proto_decode_event", dec, s.n);
		bench_print_row("(b) decode + floor_apply", app, s.n);
		printf("  floor_apply results: %" PRIu64 " applied, %" PRIu64 " ignored (hb), "
		       "%" PRIu64 " resync, %" PRIu64 " rejected\n",
		       app->by_result[0], app->by_result[1], app->by_result[2], app->by_result[3]);
	}
	bench_stream_free(&s);
	return rc;
}

int
main(void)
{
	struct bench_stream s;
	struct bench_result dec, app, mnext, mzone, sdec, sapp;
	double eps, seps;
	uint32_t n;

	if (bench_stream_make(&s, true) != 0) {
		fprintf(stderr, "bench_proto: cannot build the event stream\n");
		bench_stream_free(&s);
		return 1;
	}
	printf("== bench_proto: decode and apply the event feed "
	       "(floor: %u tenants, %u pools, %u agents; best of %d)\n",
	       BENCH_TENANTS, bench_pool_count(), BENCH_AGENTS, BENCH_REPEAT);
	printf("a publisher that announces every agent state:\n");
	bench_print_mix(&s);

	bench_decode(&s, &dec);
	if (bench_apply(&s, &app) != 0) {
		fprintf(stderr, "bench_proto: cannot build the floor\n");
		bench_stream_free(&s);
		return 1;
	}
	bench_msgpack_next(&s, &mnext);
	bench_msgpack_zone(&s, &mzone);
	n = s.n;
	/* 90 MB: gone before the second stream is made */
	bench_stream_free(&s);

	bench_print_row("(a) proto_decode_event", &dec, n);
	eps = bench_print_row("(b) decode + floor_apply", &app, n);
	bench_print_row("(c) msgpack_unpack_next (new zone)", &mnext, n);
	bench_print_row("(c') msgpack_unpack (reused zone)", &mzone, n);
	printf("  floor_apply results: %" PRIu64 " applied, %" PRIu64 " ignored (hb), "
	       "%" PRIu64 " resync, %" PRIu64 " rejected\n",
	       app.by_result[0], app.by_result[1], app.by_result[2], app.by_result[3]);
	printf("  target: >= %.0f M events/s decoded and applied: %.2f M events/s (%s)\n",
	       BENCH_TARGET_EPS / 1e6, eps / 1e6, eps >= BENCH_TARGET_EPS ? "met" : "missed");

	if (bench_server_mix(&sdec, &sapp) != 0) {
		fprintf(stderr, "bench_proto: cannot build the second stream\n");
		return 1;
	}
	seps = BENCH_FRAMES / sapp.best_s;
	printf("  target: >= %.0f M events/s decoded and applied: %.2f M events/s (%s)\n",
	       BENCH_TARGET_EPS / 1e6, seps / 1e6, seps >= BENCH_TARGET_EPS ? "met" : "missed");
	/* one line for bench/run's summary table */
	printf("bench_proto: decode_ns=%.1f apply_ns=%.1f apply_eps=%.0f msgpack_next_ns=%.1f "
	       "msgpack_zone_ns=%.1f server_mix_decode_ns=%.1f server_mix_apply_ns=%.1f "
	       "server_mix_apply_eps=%.0f\n",
	       dec.best_s * 1e9 / n, app.best_s * 1e9 / n, eps,
	       mnext.best_s * 1e9 / n, mzone.best_s * 1e9 / n,
	       sdec.best_s * 1e9 / BENCH_FRAMES, sapp.best_s * 1e9 / BENCH_FRAMES, seps);
	return 0;
}
