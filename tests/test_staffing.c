/*
 * test_staffing: the staffing advice of issue 12 — pooled queues, routing
 * by business hours and overflow, who is trained for what, the load,
 * AHT and patience estimates, hysteresis, hold time, contract minimums,
 * what each suggestion carries, and the reason when there is none.
 *
 * The floor is built with floor_add_* and a shift.started event; agent
 * states and interval counts are then set on the struct directly: the
 * advice is a pure function of those fields.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/erlang_a.h"
#include "pooltop/scenario.h"
#include "pooltop/staffing.h"

#define T0 1767254400000LL        /* 2026-01-01 08:00 UTC: the shift starts */
#define MIN (60LL * 1000)
#define NOW (T0 + 40 * MIN)       /* interval 2 of the shift, 10 min in */

struct fx {
	struct floor f;
	struct staffing_skills sk;
	struct staffing_memory mem;
	struct staffing_prior prior[8];
	double q[8][96];
};

static void
fx_init(struct fx *x)
{
	struct proto_event ev;

	memset(x, 0, sizeof(*x));
	floor_init(&x->f);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	ev.ts = T0;
	ev.seq = 1;
	proto_strlcpy(ev.shift, "Day", PROTO_ID_MAX);
	ev.start_ts = T0;
	ev.end_ts = T0 + 8 * 60 * MIN;
	ck_assert_int_eq(floor_apply(&x->f, &ev, false), FLOOR_APPLIED);
}

/* A tenant with target 80/20; hours "" = always open. */
static uint32_t
fx_tenant(struct fx *x, const char *id, enum proto_model m, const char *open,
          const char *close, uint32_t min_ded, double rate)
{
	struct proto_tenant t;
	int r;

	memset(&t, 0, sizeof t);
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, id, PROTO_NAME_MAX);
	t.model = m;
	t.sl_pct = 80;
	t.sl_sec = 20;
	t.min_dedicated = min_ded;
	t.dedicated_rate = rate;
	t.overflow_sec = 30;
	proto_strlcpy(t.open, open, PROTO_HHMM_MAX);
	proto_strlcpy(t.close, close, PROTO_HHMM_MAX);
	r = floor_add_tenant(&x->f, &t);
	ck_assert_int_ge(r, 0);
	return (uint32_t)r;
}

static uint32_t
fx_pool(struct fx *x, const char *id, const char *tenant, const char *serves)
{
	struct proto_pool p;
	char sv[8][PROTO_ID_MAX + 1];
	char buf[256];
	int r;

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = tenant ? PROTO_POOL_DEDICATED : PROTO_POOL_SHARED;
	if (tenant)
		proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	if (serves) {
		snprintf(buf, sizeof buf, "%s", serves);
		for (char *tok = strtok(buf, ","); tok && p.n_serves < 8; tok = strtok(NULL, ","))
			proto_strlcpy(sv[p.n_serves++], tok, PROTO_ID_MAX);
		p.serves = sv;
	}
	r = floor_add_pool(&x->f, &p);
	ck_assert_int_ge(r, 0);
	return (uint32_t)r;
}

/* n agents in pool, in state st; returns the first one's index. */
static uint32_t
fx_agents(struct fx *x, const char *pool, uint32_t n, enum proto_agent_state st)
{
	static uint32_t serial;
	uint32_t first = x->f.n_agents;

	for (uint32_t i = 0; i < n; i++) {
		struct proto_agent a;
		int r;

		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "ag%u", ++serial);
		proto_strlcpy(a.name, a.id, PROTO_NAME_MAX);
		proto_strlcpy(a.pool, pool, PROTO_ID_MAX);
		a.state = PROTO_AS_OFFLINE;
		r = floor_add_agent(&x->f, &a);
		ck_assert_int_ge(r, 0);
		x->f.agents[r].def.state = st;
	}
	return first;
}

/* Tenant t offered `per_h` contacts/h up to `now` (the intervals the
 * load window reads), with `handled` contacts of `aht_s` handled, and a
 * forecast that agrees. */
static void
fx_traffic_at(struct fx *x, uint32_t t, double per_h, double aht_s, uint32_t handled, int64_t now)
{
	struct floor_counters *c = &x->f.tenants[t].cur;
	int64_t el = now - T0, ci = el / FLOOR_INTERVAL_MS;

	memset(c->intervals, 0, sizeof c->intervals);
	for (int64_t i = 0; i < ci; i++)
		c->intervals[i] = (uint32_t)llround(per_h / 4);
	c->intervals[ci] = (uint32_t)llround(per_h * (double)(el - ci * FLOOR_INTERVAL_MS) / 3.6e6);
	c->handled = handled;
	c->talk_ms = (uint64_t)llround(aht_s * 1000 * handled);
	for (int q = 0; q < 96; q++)
		x->q[t][q] = per_h;
	x->prior[t].quarter_per_h = x->q[t];
	x->prior[t].aht_s = aht_s;
	x->prior[t].patience_s = 120;
}

static void
fx_traffic(struct fx *x, uint32_t t, double per_h, double aht_s, uint32_t handled)
{
	fx_traffic_at(x, t, per_h, aht_s, handled, NOW);
}

static void
fx_ready(struct fx *x, const struct staffing_trained *extra, uint32_t n_extra)
{
	ck_assert_int_eq(staffing_skills_init(&x->sk, &x->f, extra, n_extra), 0);
	ck_assert_int_eq(staffing_memory_init(&x->mem, &x->f), 0);
}

static void
fx_compute(struct fx *x, int64_t now, struct staffing *s)
{
	struct staffing_input in = {
		.f = &x->f, .now = now, .tz_offset_s = 0, .skills = &x->sk, .prior = x->prior,
	};

	ck_assert_int_eq(staffing_compute(&in, &x->mem, s), 0);
}

/* Evaluated STAFFING_STREAK times (hysteresis counts evaluations, not
 * minutes): what is shown after that. */
static void
fx_settled(struct fx *x, int64_t now, struct staffing *s)
{
	for (int i = 0; i < STAFFING_STREAK - 1; i++) {
		fx_compute(x, now, s);
		ck_assert_uint_eq(s->n_moves, 0);
		staffing_free(s);
	}
	fx_compute(x, now, s);
}

static void
fx_free(struct fx *x)
{
	staffing_skills_free(&x->sk);
	staffing_memory_free(&x->mem);
	floor_free(&x->f);
}

static struct erlang_target
fx_target(void)
{
	struct erlang_target tg = { 0.8, 20, 0 };

	return tg;
}

/* ------------------------------------------------------------ queues */

/* Two shared tenants in one shared pool are ONE queue: fewer agents than
 * the two staffed apart (issue 12: 3-4 apart where 9-11 pooled...) and
 * exactly Erlang A's answer for the summed load. */
START_TEST(test_pooled_shared_queue)
{
	struct erlang_target tg = fx_target();
	struct staffing s;
	struct fx x;
	uint32_t a, b, p;

	fx_init(&x);
	a = fx_tenant(&x, "a", PROTO_MODEL_SHARED, "", "", 0, 0);
	b = fx_tenant(&x, "b", PROTO_MODEL_SHARED, "", "", 0, 0);
	p = fx_pool(&x, "sh", NULL, "a,b");
	fx_agents(&x, "sh", 10, PROTO_AS_IDLE);
	fx_traffic(&x, a, 60, 180, 100);
	fx_traffic(&x, b, 60, 180, 100);
	fx_ready(&x, NULL, 0);
	fx_compute(&x, NOW, &s);
	ck_assert_double_eq_tol(s.tenants[a].rate_per_h, 60, 1e-9);
	ck_assert_double_eq_tol(s.pools[p].load, 6.0, 1e-9);
	ck_assert_uint_eq(s.pools[p].required, erlang_a_agents(6.0, 180, 120, &tg, 1000));
	ck_assert_uint_lt(s.pools[p].required, 2 * erlang_a_agents(3.0, 180, 120, &tg, 1000));
	/* both tenants see the pool's SL, and the shared pool is their queue */
	ck_assert_int_eq(s.tenants[a].queue, (int)p);
	ck_assert_double_eq_tol(s.tenants[a].sl, s.tenants[b].sl, 1e-12);
	ck_assert(s.tenants[a].sl > 0.8);
	ck_assert_uint_eq(s.pools[p].available, 10);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* A hybrid tenant outside its hours needs nothing in its dedicated pool:
 * its traffic is the shared pool's. */
START_TEST(test_hybrid_outside_hours)
{
	struct staffing s;
	struct fx x;
	uint32_t h, sh, ded, shp;

	fx_init(&x);
	h = fx_tenant(&x, "h", PROTO_MODEL_HYBRID, "09:00", "17:00", 2, 30);
	sh = fx_tenant(&x, "s", PROTO_MODEL_SHARED, "", "", 0, 0);
	ded = fx_pool(&x, "ded-h", "h", NULL);
	shp = fx_pool(&x, "sh", NULL, "h,s");
	fx_agents(&x, "ded-h", 8, PROTO_AS_IDLE);
	fx_agents(&x, "sh", 4, PROTO_AS_IDLE);
	fx_traffic(&x, h, 120, 180, 100);
	fx_traffic(&x, sh, 60, 180, 100);
	fx_ready(&x, NULL, 0);

	/* 08:40 is before 09:00: closed */
	fx_compute(&x, NOW, &s);
	ck_assert(!s.tenants[h].open);
	ck_assert_double_eq(s.pools[ded].load, 0);
	ck_assert_uint_eq(s.pools[ded].required, 0);
	ck_assert_double_eq_tol(s.pools[shp].load, (120 + 60) * 180 / 3600.0, 1e-9);
	ck_assert_int_eq(s.tenants[h].queue, (int)shp);
	staffing_free(&s);

	/* open from 08:30: the dedicated pool carries it; only overflow
	 * reaches the shared pool */
	strcpy(x.f.tenants[h].def.open, "08:30");
	fx_compute(&x, NOW, &s);
	ck_assert(s.tenants[h].open);
	ck_assert_int_eq(s.tenants[h].queue, (int)ded);
	ck_assert_double_eq_tol(s.pools[ded].load, 120 * 180 / 3600.0, 1e-9);
	ck_assert(s.pools[shp].load < (120 + 60) * 180 / 3600.0);
	ck_assert(s.pools[shp].load >= 60 * 180 / 3600.0);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* What waits overflow_sec in a short dedicated pool is the shared pool's
 * load too; a well-staffed dedicated pool sends (almost) none. */
START_TEST(test_overflow_load)
{
	struct staffing s;
	struct fx x;
	uint32_t h, shp, first;
	double short_load;

	fx_init(&x);
	h = fx_tenant(&x, "h", PROTO_MODEL_HYBRID, "", "", 0, 30);
	fx_pool(&x, "ded-h", "h", NULL);
	shp = fx_pool(&x, "sh", NULL, "h");
	first = fx_agents(&x, "ded-h", 20, PROTO_AS_IDLE);
	fx_agents(&x, "sh", 4, PROTO_AS_IDLE);
	fx_traffic(&x, h, 200, 180, 100);   /* 10 erlangs */
	fx_ready(&x, NULL, 0);
	for (uint32_t i = 0; i < 12; i++)
		x.f.agents[first + i].def.state = PROTO_AS_OFFLINE;
	fx_compute(&x, NOW, &s);
	short_load = s.pools[shp].load;
	ck_assert(short_load > 0.5);
	staffing_free(&s);
	for (uint32_t i = 0; i < 12; i++)
		x.f.agents[first + i].def.state = PROTO_AS_IDLE;
	fx_compute(&x, NOW, &s);
	ck_assert(s.pools[shp].load < 0.1);
	ck_assert(s.pools[shp].load < short_load);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* ------------------------------------------------------------ training */

START_TEST(test_skills)
{
	struct fx x;
	uint32_t a, b, c, pa, pb, sh, sh2;
	struct staffing_trained extra[] = { { 0, 0 }, { 0, 0 } };

	fx_init(&x);
	a = fx_tenant(&x, "a", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	b = fx_tenant(&x, "b", PROTO_MODEL_HYBRID, "", "", 0, 30);
	c = fx_tenant(&x, "c", PROTO_MODEL_SHARED, "", "", 0, 0);
	pa = fx_pool(&x, "ded-a", "a", NULL);
	pb = fx_pool(&x, "ded-b", "b", NULL);
	sh = fx_pool(&x, "sh", NULL, "b,c");
	sh2 = fx_pool(&x, "sh2", NULL, "c");
	ck_assert_int_eq(staffing_skills_init(&x.sk, &x.f, NULL, 0), 0);
	/* home is always allowed; a dedicated team only its own tenant */
	ck_assert(staffing_skills_allow(&x.sk, &x.f, pa, pa));
	ck_assert(!staffing_skills_allow(&x.sk, &x.f, pa, pb));
	ck_assert(!staffing_skills_allow(&x.sk, &x.f, pb, sh));
	/* a shared pool's agents know the tenants it serves */
	ck_assert(staffing_skills_allow(&x.sk, &x.f, sh, pb));
	ck_assert(staffing_skills_allow(&x.sk, &x.f, sh, sh2));
	ck_assert(!staffing_skills_allow(&x.sk, &x.f, sh2, sh));
	ck_assert(!staffing_skills_allow(&x.sk, &x.f, sh, pa));
	staffing_skills_free(&x.sk);
	/* trained = c widens ded-b: sh serves b and c, both known now; but
	 * ded-a is still out of bounds */
	extra[0].pool = pb;
	extra[0].tenant = c;
	extra[1].pool = pb;
	extra[1].tenant = c;       /* a repeat is harmless */
	ck_assert_int_eq(staffing_skills_init(&x.sk, &x.f, extra, 2), 0);
	ck_assert(staffing_skills_allow(&x.sk, &x.f, pb, sh));
	ck_assert(staffing_skills_allow(&x.sk, &x.f, pb, sh2));
	ck_assert(!staffing_skills_allow(&x.sk, &x.f, pb, pa));
	(void)a;
	(void)b;
	fx_free(&x);
}
END_TEST

/*
 * acme is short (10 erlangs, 8 agents); beta's pool has 12 idle agents and
 * no load.  Untrained: no move, and the reason says so.  Trained: after
 * STAFFING_STREAK evaluations, a move from beta's pool into acme's.
 */
static void
fx_short_and_spare(struct fx *x, uint32_t beta_min, bool trained)
{
	struct staffing_trained tr = { 1, 0 };

	fx_init(x);
	fx_tenant(x, "acme", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	fx_tenant(x, "beta", PROTO_MODEL_DEDICATED, "", "", beta_min, 25);
	fx_pool(x, "ded-acme", "acme", NULL);
	fx_pool(x, "ded-beta", "beta", NULL);
	fx_agents(x, "ded-acme", 8, PROTO_AS_IDLE);
	fx_agents(x, "ded-beta", 12, PROTO_AS_IDLE);
	fx_traffic(x, 0, 200, 180, 100);
	fx_traffic(x, 1, 0, 180, 100);
	fx_ready(x, trained ? &tr : NULL, trained ? 1 : 0);
}

START_TEST(test_untrained_never_proposed)
{
	struct staffing s;
	struct fx x;

	fx_short_and_spare(&x, 0, false);
	for (int i = 0; i < 2 * STAFFING_STREAK; i++) {
		fx_compute(&x, NOW + i * MIN, &s);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_UNTRAINED);
		ck_assert(s.pools[0].available < s.pools[0].required);
		ck_assert_int_eq(s.pools[1].spare, 12);
		staffing_free(&s);
	}
	fx_free(&x);
}
END_TEST

START_TEST(test_trained_move_after_streak)
{
	struct staffing s;
	struct fx x;
	const struct staffing_move *m;

	fx_short_and_spare(&x, 0, true);
	fx_compute(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 0);
	ck_assert_int_eq(s.reason, STAFFING_R_SETTLING);
	staffing_free(&s);
	fx_compute(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 0);
	staffing_free(&s);
	fx_compute(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 1);
	ck_assert_int_eq(s.reason, STAFFING_R_MOVES);
	m = &s.moves[0];
	ck_assert_uint_eq(m->from_pool, 1);
	ck_assert_uint_eq(m->to_pool, 0);
	ck_assert_uint_eq(m->tenant, 0);
	/* exactly the shortfall, from beta's agents */
	ck_assert_uint_eq(m->n, s.pools[0].required - s.pools[0].available);
	for (uint32_t i = 0; i < m->n; i++)
		ck_assert_int_eq(x.f.agents[m->agents[i]].pool, 1);
	ck_assert(m->sl_after > m->sl_before);
	ck_assert(m->sl_after >= 0.8);
	ck_assert(m->gain >= 1.0);
	ck_assert_uint_eq(m->streak, STAFFING_STREAK);
	/* the giving pool's tenants: beta, with no load (NaN before and after) */
	ck_assert_uint_eq(m->n_giver, 0);
	/* agents go from a 25/h pool to a 30/h one */
	ck_assert_double_eq_tol(m->cost_per_h, m->n * 5.0, 1e-9);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* The giver keeps its contract minimum in its hours. */
START_TEST(test_contract_minimum)
{
	struct staffing s;
	struct fx x;

	fx_short_and_spare(&x, 12, true);
	for (int i = 0; i < STAFFING_STREAK + 1; i++) {
		fx_compute(&x, NOW + i * MIN, &s);
		ck_assert_int_eq(s.pools[1].spare, 0);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_CONTRACT);
		staffing_free(&s);
	}
	fx_free(&x);
	/* a minimum of 10 leaves 2 to give */
	fx_short_and_spare(&x, 10, true);
	fx_settled(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 1);
	ck_assert_uint_eq(s.moves[0].n, 2);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* Agents moved within the hold time are not proposed again, nor does a
 * pool that has just received agents give any. */
START_TEST(test_hold_time)
{
	struct staffing s;
	struct fx x;
	struct proto_event ev;

	fx_short_and_spare(&x, 0, true);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.ts = NOW - 10 * MIN;
	proto_strlcpy(ev.from, "ded-acme", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "ded-beta", PROTO_ID_MAX);
	for (uint32_t i = 8; i < 20; i++) {
		proto_strlcpy(ev.agent, x.f.agents[i].def.id, PROTO_ID_MAX);
		staffing_memory_observe(&x.mem, &x.f, &ev);
	}
	ck_assert_int_eq(x.mem.moved_ts[8], NOW - 10 * MIN);
	for (int i = 0; i < STAFFING_STREAK + 1; i++) {
		fx_compute(&x, NOW + i * MIN, &s);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_HELD);
		staffing_free(&s);
	}
	/* an hour later they may move */
	fx_traffic_at(&x, 0, 200, 180, 100, NOW - 10 * MIN + STAFFING_HOLD_MS);
	fx_settled(&x, NOW - 10 * MIN + STAFFING_HOLD_MS, &s);
	ck_assert_uint_eq(s.n_moves, 1);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* No gain, no suggestion: a receiver already on target gets nothing, and
 * the reason is that everyone is on target. */
START_TEST(test_on_target_no_moves)
{
	struct staffing s;
	struct fx x;

	fx_short_and_spare(&x, 0, true);
	fx_agents(&x, "ded-acme", 6, PROTO_AS_IDLE);
	staffing_memory_free(&x.mem);
	ck_assert_int_eq(staffing_memory_init(&x.mem, &x.f), 0);
	for (int i = 0; i < STAFFING_STREAK + 1; i++) {
		fx_compute(&x, NOW + i * MIN, &s);
		ck_assert(s.pools[0].available >= s.pools[0].required);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_ON_TARGET);
		staffing_free(&s);
	}
	fx_free(&x);
}
END_TEST

/* A giving shared pool lists its routed tenants' SL before and after. */
START_TEST(test_giver_tenants_listed)
{
	struct staffing s;
	struct fx x;
	uint32_t a, c, d;
	struct staffing_trained tr[2];

	fx_init(&x);
	a = fx_tenant(&x, "a", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	c = fx_tenant(&x, "c", PROTO_MODEL_SHARED, "", "", 0, 0);
	d = fx_tenant(&x, "d", PROTO_MODEL_SHARED, "", "", 0, 0);
	fx_pool(&x, "ded-a", "a", NULL);
	fx_pool(&x, "sh", NULL, "c,d");
	fx_agents(&x, "ded-a", 8, PROTO_AS_IDLE);
	fx_agents(&x, "sh", 14, PROTO_AS_IDLE);
	fx_traffic(&x, a, 200, 180, 100);
	fx_traffic(&x, c, 20, 180, 100);
	fx_traffic(&x, d, 20, 180, 100);
	tr[0].pool = 1;
	tr[0].tenant = a;
	tr[1] = tr[0];
	fx_ready(&x, tr, 1);
	fx_settled(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 1);
	ck_assert_uint_eq(s.moves[0].from_pool, 1);
	ck_assert_uint_eq(s.moves[0].n_giver, 2);
	for (uint32_t i = 0; i < 2; i++) {
		const struct staffing_sl *g = &s.moves[0].giver[i];

		ck_assert(g->tenant == c || g->tenant == d);
		ck_assert(g->after <= g->before);
		ck_assert(g->after >= 0.8);   /* the giver keeps what it needs */
	}
	/* from a shared pool (billed by handle time) to a 30/h team */
	ck_assert_double_eq_tol(s.moves[0].cost_per_h, s.moves[0].n * 30.0, 1e-9);
	staffing_free(&s);
	fx_free(&x);
}
END_TEST

/* The top suggestion stays first while it holds, even when another
 * appears with a larger gain. */
START_TEST(test_top_is_sticky)
{
	struct staffing s;
	struct fx x;
	uint32_t a, b, sp;
	struct staffing_trained tr[2];

	fx_init(&x);
	a = fx_tenant(&x, "a", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	b = fx_tenant(&x, "b", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	fx_tenant(&x, "s", PROTO_MODEL_DEDICATED, "", "", 0, 30);
	fx_pool(&x, "ded-a", "a", NULL);
	fx_pool(&x, "ded-b", "b", NULL);
	sp = fx_pool(&x, "ded-s", "s", NULL);
	fx_agents(&x, "ded-a", 9, PROTO_AS_IDLE);
	fx_agents(&x, "ded-b", 12, PROTO_AS_IDLE);
	fx_agents(&x, "ded-s", 30, PROTO_AS_IDLE);
	fx_traffic(&x, a, 200, 180, 100);
	fx_traffic(&x, b, 0, 180, 100);
	fx_traffic(&x, 2, 0, 180, 100);
	tr[0].pool = sp;
	tr[0].tenant = a;
	tr[1].pool = sp;
	tr[1].tenant = b;
	fx_ready(&x, tr, 2);
	fx_settled(&x, NOW, &s);
	ck_assert_uint_eq(s.n_moves, 1);
	ck_assert_uint_eq(s.moves[0].to_pool, 0);
	staffing_free(&s);
	/* b now has a bigger shortfall: a's move stays first for now */
	fx_traffic(&x, b, 400, 180, 100);
	for (int i = 0; i < STAFFING_STREAK + 1; i++) {
		fx_compute(&x, NOW, &s);
		ck_assert_uint_ge(s.n_moves, 1);
		ck_assert_uint_eq(s.moves[0].to_pool, 0);
		staffing_free(&s);
	}
	fx_free(&x);
}
END_TEST

/* ------------------------------------------------------------ estimates */

START_TEST(test_load_blend)
{
	/* nothing arrived yet: the forecast, shrunk a little */
	ck_assert_double_eq_tol(staffing_load_blend(100, 50, 0, 30 * MIN), 100 * 30.0 / 80, 1e-9);
	/* arrivals as forecast: the forecast */
	ck_assert_double_eq_tol(staffing_load_blend(100, 50, 50, 30 * MIN), 100, 1e-9);
	/* twice the forecast over 500 contacts: nearly twice */
	ck_assert_double_eq_tol(staffing_load_blend(100, 500, 1000, 30 * MIN), 100 * 1030.0 / 530,
	                        1e-9);
	ck_assert(staffing_load_blend(100, 500, 1000, 30 * MIN) > 190);
	/* two contacts in a quiet interval barely move a forecast */
	ck_assert(fabs(staffing_load_blend(100, 1, 3, 60000) - 100) < 7);
	/* no forecast: what arrived, once a minute has passed */
	ck_assert_double_eq_tol(staffing_load_blend(-1, -1, 30, 30 * MIN), 60, 1e-9);
	ck_assert_double_eq(staffing_load_blend(-1, -1, 3, 30000), 0);
}
END_TEST

START_TEST(test_aht_and_patience_need_contacts)
{
	struct floor_counters c;
	struct staffing_tenant_obs o;

	memset(&c, 0, sizeof c);
	/* one 30-minute contact does not make a 30-minute AHT */
	c.handled = 1;
	c.talk_ms = 1800000;
	ck_assert(fabs(staffing_aht(&c, 300) - 300) < 100);
	/* 2000 contacts of 200 s: 200 s */
	c.handled = 2000;
	c.talk_ms = 2000ull * 200000;
	ck_assert_double_eq_tol(staffing_aht(&c, 300), (2000 * 200.0 + 20 * 300) / 2020, 1e-9);
	/* patience: none seen, the prior */
	ck_assert_double_eq(staffing_patience(NULL, 90), 90);
	memset(&o, 0, sizeof o);
	ck_assert_double_eq(staffing_patience(&o, 90), 90);
	/* 400 abandons over 24 000 s waited: 60 s (censored MLE) */
	o.abandoned = 400;
	o.waited = 1000;
	o.wait_s = 24000;
	ck_assert_double_eq_tol(staffing_patience(&o, 90), (24000 + 900.0) / 410, 1e-9);
	ck_assert(fabs(staffing_patience(&o, 90) - 60) < 1);
}
END_TEST

START_TEST(test_patience_observed_from_events)
{
	struct fx x;
	struct proto_event ev;

	fx_init(&x);
	fx_tenant(&x, "a", PROTO_MODEL_SHARED, "", "", 0, 0);
	fx_pool(&x, "sh", NULL, "a");
	ck_assert_int_eq(staffing_memory_init(&x.mem, &x.f), 0);
	memset(&ev, 0, sizeof ev);
	proto_strlcpy(ev.tenant, "a", PROTO_ID_MAX);
	ev.type = PROTO_EV_CONTACT_ABANDONED;
	ev.wait_ms = 30000;
	staffing_memory_observe(&x.mem, &x.f, &ev);
	ev.type = PROTO_EV_CONTACT_ANSWERED;
	ev.wait_ms = 10000;
	staffing_memory_observe(&x.mem, &x.f, &ev);
	ev.wait_ms = 0;
	staffing_memory_observe(&x.mem, &x.f, &ev);
	ck_assert_uint_eq(x.mem.obs[0].abandoned, 1);
	ck_assert_uint_eq(x.mem.obs[0].waited, 2);
	ck_assert_double_eq_tol(x.mem.obs[0].wait_s, 40, 1e-9);
	/* an unknown tenant changes nothing */
	proto_strlcpy(ev.tenant, "zz", PROTO_ID_MAX);
	ev.wait_ms = 5000;
	staffing_memory_observe(&x.mem, &x.f, &ev);
	ck_assert_double_eq_tol(x.mem.obs[0].wait_s, 40, 1e-9);
	fx_free(&x);
}
END_TEST

START_TEST(test_hours_and_forecast)
{
	struct proto_tenant t;
	double q[96];

	memset(&t, 0, sizeof t);
	ck_assert(staffing_open(&t, T0, 0));
	strcpy(t.open, "09:00");
	strcpy(t.close, "17:00");
	ck_assert(!staffing_open(&t, T0, 0));                 /* 08:00 UTC */
	ck_assert(staffing_open(&t, T0, 3600));               /* 09:00 at UTC+1 */
	ck_assert(staffing_open(&t, T0 + 60 * MIN, 0));
	ck_assert(!staffing_open(&t, T0 + 9 * 60 * MIN, 0));  /* 17:00 */
	strcpy(t.open, "22:00");
	strcpy(t.close, "06:00");
	ck_assert(staffing_open(&t, T0 - 3 * 60 * MIN, 0));   /* 05:00 */
	ck_assert(!staffing_open(&t, T0, 0));
	for (int i = 0; i < 96; i++)
		q[i] = i < 36 ? 40 : 80;                          /* 80/h from 09:00 */
	ck_assert_double_eq(staffing_forecast(q, T0, 0), 40);
	ck_assert_double_eq(staffing_forecast(q, T0 + 60 * MIN, 0), 80);
	/* 08:30-09:30: half an hour at 40, half at 80 */
	ck_assert_double_eq_tol(staffing_forecast_over(q, T0 + 30 * MIN, T0 + 90 * MIN, 0), 60, 1e-9);
	ck_assert_double_eq(staffing_forecast(NULL, T0, 0), -1);
}
END_TEST

/* A live floor's forecast from its own closed shifts: each quarter from
 * the newest row covering it, the same weekday first. */
START_TEST(test_history_forecast)
{
	struct fx x;
	struct proto_event ev;
	double q[96];
	uint32_t a;

	fx_init(&x);
	a = fx_tenant(&x, "a", PROTO_MODEL_SHARED, "", "", 0, 0);
	fx_tenant(&x, "b", PROTO_MODEL_SHARED, "", "", 0, 0);
	for (int k = 0; k < 4; k++)
		x.f.tenants[a].cur.intervals[k] = (uint32_t)(10 * (k + 1));
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	ev.ts = T0 + 60 * MIN;
	proto_strlcpy(ev.shift, "Late", PROTO_ID_MAX);
	ev.start_ts = T0 + 60 * MIN;
	ev.end_ts = T0 + 9 * 60 * MIN;
	ck_assert_int_eq(floor_apply(&x.f, &ev, false), FLOOR_APPLIED);
	ck_assert_uint_ge(x.f.n_history, 1);
	/* a week later, the same weekday: the row covers its shift's span,
	 * 08:00-16:00 (32 quarters), arrivals in the first four */
	ck_assert_uint_eq(staffing_history_forecast(&x.f, a, T0 + 7 * 24 * 60 * MIN, 0, q), 32);
	ck_assert_double_eq_tol(q[32], 40, 1e-9);
	ck_assert_double_eq_tol(q[35], 160, 1e-9);
	ck_assert_double_eq(q[36], 0);
	ck_assert_double_eq(q[31], -1);
	ck_assert_double_eq(q[64], -1);
	ck_assert_double_eq_tol(staffing_forecast_over(q, T0, T0 + 30 * MIN, 0), 10 + 20, 1e-9);
	/* no forecast over a quarter no row covers */
	ck_assert_double_eq(staffing_forecast_over(q, T0 - 30 * MIN, T0 + 30 * MIN, 0), -1);
	/* tenant b's row has no arrivals: zeros, not "no forecast" */
	ck_assert_uint_eq(staffing_history_forecast(&x.f, 1, T0, 0, q), 32);
	ck_assert_double_eq(q[33], 0);
	fx_free(&x);
}
END_TEST

/* The scenario's `trained` key reaches the scenario struct; an unknown
 * tenant is a named error. */
START_TEST(test_scenario_trained)
{
	static const char *good =
		"[shift A]\nstart = 06:00\nend = 14:00\n"
		"[tenant t1]\nmodel = dedicated\nsl = 80/20\ntraffic.A = 10\ntalk = 180\n"
		"[tenant t2]\nmodel = shared\nsl = 80/20\ntraffic.A = 10\ntalk = 180\n"
		"[pool d]\nkind = dedicated\ntenant = t1\ntrained = t2\nagents = 2\n"
		"[pool s]\nkind = shared\nserves = t2\nagents = 2\n";
	struct scenario sc;
	char err[256];
	char *bad;

	ck_assert_msg(scenario_parse(good, "good.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(sc.pools[0].n_trained, 1);
	ck_assert_str_eq(sc.pools[0].trained[0], "t2");
	ck_assert_uint_eq(sc.pools[1].n_trained, 0);
	scenario_free(&sc);
	bad = strdup(good);
	memcpy(strstr(bad, "trained = t2"), "trained = t9", 12);
	ck_assert_int_eq(scenario_parse(bad, "bad.ini", &sc, err, sizeof err), -1);
	ck_assert_ptr_ne(strstr(err, "unknown tenant 't9'"), NULL);
	free(bad);
}
END_TEST

static Suite *
staffing_suite(void)
{
	Suite *s = suite_create("staffing");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_pooled_shared_queue);
	tcase_add_test(tc, test_hybrid_outside_hours);
	tcase_add_test(tc, test_overflow_load);
	tcase_add_test(tc, test_skills);
	tcase_add_test(tc, test_untrained_never_proposed);
	tcase_add_test(tc, test_trained_move_after_streak);
	tcase_add_test(tc, test_contract_minimum);
	tcase_add_test(tc, test_hold_time);
	tcase_add_test(tc, test_on_target_no_moves);
	tcase_add_test(tc, test_giver_tenants_listed);
	tcase_add_test(tc, test_top_is_sticky);
	tcase_add_test(tc, test_load_blend);
	tcase_add_test(tc, test_aht_and_patience_need_contacts);
	tcase_add_test(tc, test_patience_observed_from_events);
	tcase_add_test(tc, test_hours_and_forecast);
	tcase_add_test(tc, test_scenario_trained);
	tcase_add_test(tc, test_history_forecast);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(staffing_suite());

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);

	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
