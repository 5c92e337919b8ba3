#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advice.h"
#include "pooltop/erlang.h"
#include "pooltop/floor.h"

#define T0 1700000000000LL       /* start of the shift */
#define SEC 1000LL
#define MIN (60 * SEC)
#define HOUR (60 * MIN)
#define EPS 1e-9

/* SL at 6 erlangs, AHT 180 s, 20 s: hand-checked with the closed form
 * P_w = (A^N/N! x N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! x N/(N-A)). */
#define SL_6E_7 0.4507206719649085
#define SL_6E_8 0.7141518924030835
#define SL_6E_9 0.8595735397786699

/* ---------------------------------------------------------------- fixture */

/* A floor under test and the counters its events need. */
struct fx {
	struct floor f;
	uint64_t seq;
	uint64_t contact;
};

static void
fx_apply(struct fx *x, struct proto_event *ev)
{
	ev->epoch = x->f.epoch;
	ev->seq = ++x->seq;
	ck_assert_int_eq(floor_apply(&x->f, ev, true), FLOOR_APPLIED);
}

static struct proto_event
fx_event(enum proto_event_type type, int64_t ts)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ts = ts;
	return ev;
}

/* A floor with one shift started at T0 (no definitions yet). */
static void
fx_init(struct fx *x)
{
	struct proto_event ev = fx_event(PROTO_EV_SHIFT_STARTED, T0);

	memset(x, 0, sizeof(*x));
	floor_init(&x->f);
	x->f.epoch = 3;
	proto_strlcpy(ev.shift, "Day", PROTO_ID_MAX);
	ev.start_ts = T0;
	ev.end_ts = T0 + 8 * HOUR;
	fx_apply(x, &ev);
}

static void
fx_tenant(struct fx *x, const char *id, enum proto_model m, double sl_pct,
          uint32_t sl_sec, uint32_t min_ded)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof(t));
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, id, PROTO_NAME_MAX);
	t.model = m;
	t.sl_pct = sl_pct;
	t.sl_sec = sl_sec;
	t.min_dedicated = min_ded;
	ck_assert_int_ge(floor_add_tenant(&x->f, &t), 0);
}

/* Dedicated when `tenant` is non-empty; otherwise shared, serving the
 * ids in `serves` (NULL-terminated, at most 8). */
static int
fx_pool(struct fx *x, const char *id, const char *tenant, const char *const *serves)
{
	struct proto_pool p;
	char sv[8][PROTO_ID_MAX + 1];
	uint32_t n = 0;
	int r;

	memset(&p, 0, sizeof(p));
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = tenant[0] ? PROTO_POOL_DEDICATED : PROTO_POOL_SHARED;
	proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	for (; serves && serves[n]; n++) {
		ck_assert_uint_lt(n, 8);
		proto_strlcpy(sv[n], serves[n], PROTO_ID_MAX);
	}
	p.n_serves = n;
	p.serves = n ? sv : NULL;
	r = floor_add_pool(&x->f, &p);
	ck_assert_int_ge(r, 0);
	return r;
}

static void
fx_state(struct fx *x, const char *agent, enum proto_agent_state st, const char *tenant)
{
	struct proto_event ev = fx_event(PROTO_EV_AGENT_STATE, T0 + MIN);

	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	ev.state = st;
	fx_apply(x, &ev);
}

/* An agent of `pool` in state st (serving `tenant` when busy or wrap). */
static int
fx_agent(struct fx *x, const char *id, const char *pool, enum proto_agent_state st,
         const char *tenant)
{
	struct proto_agent a;
	int r;

	memset(&a, 0, sizeof(a));
	proto_strlcpy(a.id, id, PROTO_ID_MAX);
	proto_strlcpy(a.name, id, PROTO_NAME_MAX);
	proto_strlcpy(a.pool, pool, PROTO_ID_MAX);
	a.state = PROTO_AS_OFFLINE;
	r = floor_add_agent(&x->f, &a);
	ck_assert_int_ge(r, 0);
	if (st != PROTO_AS_OFFLINE)
		fx_state(x, id, st, tenant);
	return r;
}

/* `n` idle agents named <prefix><i> in pool. */
static void
fx_agents(struct fx *x, const char *prefix, uint32_t n, const char *pool)
{
	char id[PROTO_ID_MAX + 1];

	for (uint32_t i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%s%u", prefix, i);
		fx_agent(x, id, pool, PROTO_AS_IDLE, "");
	}
}

/* n contacts queued for tenant at ts. */
static void
fx_offer(struct fx *x, const char *tenant, uint32_t n, int64_t ts)
{
	for (uint32_t i = 0; i < n; i++) {
		struct proto_event ev = fx_event(PROTO_EV_CONTACT_QUEUED, ts);

		proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
		ev.contact = ++x->contact;
		ev.channel = PROTO_CH_VOICE;
		fx_apply(x, &ev);
	}
}

/* One contact answered, ended and wrapped by `agent`: sets the tenant's
 * AHT without adding to its offered intervals.  The agent ends idle. */
static void
fx_handle(struct fx *x, const char *tenant, const char *agent, uint64_t talk_ms,
          uint64_t wrap_ms)
{
	static const enum proto_event_type steps[] = {
		PROTO_EV_CONTACT_ANSWERED, PROTO_EV_CONTACT_ENDED, PROTO_EV_CONTACT_WRAPPED
	};
	uint64_t c = ++x->contact;

	for (size_t i = 0; i < 3; i++) {
		struct proto_event ev = fx_event(steps[i], T0 + MIN);

		proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
		proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
		ev.contact = c;
		ev.talk_ms = talk_ms;
		ev.wrap_ms = wrap_ms;
		fx_apply(x, &ev);
	}
}

/* Tenant at 120 contacts/h (30 in the first interval) and AHT 180 s:
 * 6 erlangs, 9 agents for 80/20.  `helper` handles the AHT contact. */
static void
fx_six_erlangs(struct fx *x, const char *tenant, const char *helper)
{
	fx_offer(x, tenant, 30, T0 + 2 * MIN);
	fx_handle(x, tenant, helper, 150 * SEC, 30 * SEC);
}

static void
fx_compute(struct fx *x, int64_t now, struct advice *a)
{
	ck_assert_int_eq(advice_compute(&x->f, now, a), 0);
	ck_assert_uint_eq(a->n_tenants, x->f.n_tenants);
	ck_assert_uint_eq(a->n_pools, x->f.n_pools);
}

static int
agent_ix(struct fx *x, const char *id)
{
	return floor_agent_find(&x->f, id);
}

#define NOW_RATED (T0 + 16 * MIN)  /* first interval complete, second young */

/* ------------------------------------------------------------- figures */

START_TEST(test_rate_complete_interval)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_offer(&x, "acme", 30, T0 + 3 * MIN);
	fx_offer(&x, "acme", 20, T0 + 16 * MIN);

	/* the current interval is 2 minutes old: the complete one rules */
	fx_compute(&x, T0 + 17 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 120.0, EPS);
	advice_free(&a);
	/* 5 minutes old with 20 contacts: a surge of 240/h shows at once */
	fx_compute(&x, T0 + 20 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 240.0, EPS);
	advice_free(&a);
	/* 13 minutes for 20 is ~92/h, below the complete interval's 120 */
	fx_compute(&x, T0 + 28 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 120.0, EPS);
	advice_free(&a);
	/* third interval just begun: the last complete one is the second */
	fx_compute(&x, T0 + 31 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 80.0, EPS);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_rate_first_interval)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_offer(&x, "acme", 2, T0 + 10 * SEC);

	/* under a minute says nothing */
	fx_compute(&x, T0 + 50 * SEC, &a);
	ck_assert_double_eq(a.tenants[0].contacts_per_h, 0.0);
	ck_assert_double_eq(a.tenants[0].load, 0.0);
	ck_assert_uint_eq(a.tenants[0].required, 0);
	ck_assert(isnan(a.tenants[0].sl_now));
	advice_free(&a);
	/* 2 in 2 minutes, scaled by the time elapsed: 60/h */
	fx_compute(&x, T0 + 2 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 60.0, EPS);
	advice_free(&a);
	/* 2 in 10 minutes: 12/h */
	fx_compute(&x, T0 + 10 * MIN, &a);
	ck_assert_double_eq_tol(a.tenants[0].contacts_per_h, 12.0, EPS);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* Before any shift there are no intervals: no load, whatever is queued. */
START_TEST(test_rate_no_shift)
{
	struct floor f;
	struct proto_tenant t;
	struct proto_event ev;
	struct advice a;

	floor_init(&f);
	memset(&t, 0, sizeof(t));
	strcpy(t.id, "acme");
	t.sl_pct = 80;
	t.sl_sec = 20;
	ck_assert_int_eq(floor_add_tenant(&f, &t), 0);
	memset(&ev, 0, sizeof(ev));
	ev.type = PROTO_EV_CONTACT_QUEUED;
	ev.seq = 1;
	ev.ts = T0;
	strcpy(ev.tenant, "acme");
	ev.contact = 1;
	ck_assert_int_eq(floor_apply(&f, &ev, false), FLOOR_APPLIED);
	ck_assert_int_eq(advice_compute(&f, T0 + 20 * MIN, &a), 0);
	ck_assert_double_eq(a.tenants[0].contacts_per_h, 0.0);
	ck_assert_uint_eq(a.tenants[0].required, 0);
	advice_free(&a);
	floor_free(&f);
}
END_TEST

START_TEST(test_aht_default_and_measured)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_agent(&x, "a0", "ded-acme", PROTO_AS_IDLE, "");
	fx_offer(&x, "acme", 30, T0 + 2 * MIN);
	fx_offer(&x, "beta", 30, T0 + 2 * MIN);
	fx_handle(&x, "acme", "a0", 150 * SEC, 30 * SEC);
	fx_handle(&x, "acme", "a0", 100 * SEC, 80 * SEC);

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq_tol(a.tenants[0].aht_s, 180.0, EPS);
	ck_assert_double_eq_tol(a.tenants[0].load, 6.0, EPS);
	/* beta has handled nothing: the default AHT, 120/h x 300 s = 10 E */
	ck_assert_double_eq(a.tenants[1].aht_s, ADVICE_DEFAULT_AHT_S);
	ck_assert_double_eq_tol(a.tenants[1].load, 10.0, EPS);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_required_erlang)
{
	struct erlang_target tg = { 0.8, 20, 0 };
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 70, 30, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_agents(&x, "a", 8, "ded-acme");
	fx_six_erlangs(&x, "acme", "a0");
	fx_six_erlangs(&x, "beta", "a0");

	fx_compute(&x, NOW_RATED, &a);
	/* 6 E at 180 s: N = 8 gives 71.4 % in 20 s, N = 9 gives 86.0 % */
	ck_assert_uint_eq(a.tenants[0].required, 9);
	ck_assert_uint_eq(a.tenants[0].required, erlang_agents(6.0, 180.0, &tg, 10000));
	/* a looser 70/30 contract: 8 */
	ck_assert_uint_eq(a.tenants[1].required, 8);
	ck_assert_double_eq_tol(a.tenants[0].staffed, 8.0, EPS);
	ck_assert_double_eq_tol(a.tenants[0].gap, -1.0, EPS);
	ck_assert_double_eq_tol(a.tenants[0].sl_now, SL_6E_8, 1e-9);
	/* beta has nobody: the queue never drains */
	ck_assert_double_eq(a.tenants[1].sl_now, 0.0);
	ck_assert_double_eq_tol(a.tenants[1].gap, -8.0, EPS);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_staffed_counts)
{
	static const char *const all[] = { "acme", "beta", NULL };
	struct fx x;
	struct advice a;
	int ded, sh;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_HYBRID, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_SHARED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", all);
	ded = fx_pool(&x, "ded-acme", "acme", NULL);
	fx_agent(&x, "a0", "ded-acme", PROTO_AS_IDLE, "");
	fx_agent(&x, "a1", "ded-acme", PROTO_AS_BUSY, "acme");
	fx_agent(&x, "a2", "ded-acme", PROTO_AS_WRAP, "acme");
	fx_agent(&x, "a3", "ded-acme", PROTO_AS_BREAK, "");
	fx_agent(&x, "a4", "ded-acme", PROTO_AS_OFFLINE, "");
	fx_agent(&x, "s0", "shared", PROTO_AS_BUSY, "acme");
	fx_agent(&x, "s1", "shared", PROTO_AS_WRAP, "acme");
	fx_agent(&x, "s2", "shared", PROTO_AS_BUSY, "beta");
	fx_agent(&x, "s3", "shared", PROTO_AS_IDLE, "");
	fx_agent(&x, "s4", "shared", PROTO_AS_BREAK, "");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.tenants[0].dedicated, 3);
	ck_assert_double_eq(a.tenants[0].shared, 2.0);
	ck_assert_double_eq(a.tenants[0].staffed, 5.0);
	ck_assert_uint_eq(a.tenants[1].dedicated, 0);
	ck_assert_double_eq(a.tenants[1].shared, 1.0);
	/* no load: nothing required, the gap is the whole staffing */
	ck_assert_uint_eq(a.tenants[0].required, 0);
	ck_assert_double_eq(a.tenants[0].gap, 5.0);
	ck_assert_uint_eq(a.pools[ded].available, 3);
	ck_assert_uint_eq(a.pools[sh].available, 4);
	/* the two agents answering acme's overflow stay with the shared pool */
	ck_assert_uint_eq(a.pools[sh].required, 2);
	ck_assert_int_eq(a.pools[sh].surplus, 2);
	ck_assert_uint_eq(a.n_moves, 0);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_surplus_min_dedicated)
{
	struct fx x;
	struct advice a;
	int pa, pb;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 12);
	pa = fx_pool(&x, "ded-acme", "acme", NULL);
	pb = fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agents(&x, "a", 12, "ded-acme");
	fx_agents(&x, "b", 10, "ded-beta");
	fx_six_erlangs(&x, "acme", "a0");
	fx_six_erlangs(&x, "beta", "b0");

	fx_compute(&x, NOW_RATED, &a);
	/* acme keeps its 9 required of 12 */
	ck_assert_uint_eq(a.pools[pa].required, 9);
	ck_assert_int_eq(a.pools[pa].surplus, 3);
	/* beta needs 9 but its contract keeps 12: 10 - 12 */
	ck_assert_uint_eq(a.pools[pb].required, 9);
	ck_assert_int_eq(a.pools[pb].surplus, -2);
	/* beta is short of nobody by Erlang C (10 >= 9), so nothing moves
	 * even though its pool is below the contract */
	ck_assert_double_eq(a.tenants[1].gap, 1.0);
	ck_assert_uint_eq(a.n_moves, 0);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* ---------------------------------------------------------------- moves */

/*
 * acme: 6 E (9 required) with 6 agents, short by 3.  beta: no load, five
 * available of seven (b3 on break, b5 offline), ordered so that the idle
 * ones are not first.
 */
static void
fx_short_and_spare(struct fx *x, uint32_t beta_min)
{
	fx_tenant(x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(x, "beta", PROTO_MODEL_DEDICATED, 80, 20, beta_min);
	fx_pool(x, "ded-acme", "acme", NULL);
	fx_pool(x, "ded-beta", "beta", NULL);
	fx_agents(x, "a", 6, "ded-acme");
	fx_agent(x, "b0", "ded-beta", PROTO_AS_BUSY, "beta");
	fx_agent(x, "b1", "ded-beta", PROTO_AS_WRAP, "beta");
	fx_agent(x, "b2", "ded-beta", PROTO_AS_IDLE, "");
	fx_agent(x, "b3", "ded-beta", PROTO_AS_BREAK, "");
	fx_agent(x, "b4", "ded-beta", PROTO_AS_IDLE, "");
	fx_agent(x, "b5", "ded-beta", PROTO_AS_OFFLINE, "");
	fx_agent(x, "b6", "ded-beta", PROTO_AS_BUSY, "beta");
	fx_six_erlangs(x, "acme", "a0");
}

START_TEST(test_move_closes_gap)
{
	struct fx x;
	struct advice a;
	const struct advice_move *m;

	fx_init(&x);
	fx_short_and_spare(&x, 0);
	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq(a.tenants[0].gap, -3.0);
	ck_assert_int_eq(a.pools[1].surplus, 5);
	ck_assert_uint_eq(a.n_moves, 1);
	m = &a.moves[0];
	ck_assert_uint_eq(m->from_pool, 1);
	ck_assert_uint_eq(m->to_pool, 0);
	ck_assert_uint_eq(m->tenant, 0);
	ck_assert_uint_eq(m->n, 3);
	/* idle first (b2, b4), then the one in wrap */
	ck_assert_int_eq((int)m->agents[0], agent_ix(&x, "b2"));
	ck_assert_int_eq((int)m->agents[1], agent_ix(&x, "b4"));
	ck_assert_int_eq((int)m->agents[2], agent_ix(&x, "b1"));
	/* 6 agents for 6 E never drain the queue; 9 give 86 % */
	ck_assert_double_eq(m->sl_before, 0.0);
	ck_assert_double_eq_tol(m->sl_after, SL_6E_9, 1e-9);
	ck_assert(m->sl_after > m->sl_before);
	/* the reported surplus is the floor's, before any move */
	ck_assert_int_eq(a.pools[1].surplus, 5);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_move_limited_by_min_dedicated)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_short_and_spare(&x, 4);
	fx_compute(&x, NOW_RATED, &a);
	ck_assert_int_eq(a.pools[1].surplus, 1);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].n, 1);
	ck_assert_int_eq((int)a.moves[0].agents[0], agent_ix(&x, "b2"));
	ck_assert_double_eq_tol(a.moves[0].sl_after, SL_6E_7, 1e-9);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_no_surplus_no_moves)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_short_and_spare(&x, 5);
	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq(a.tenants[0].gap, -3.0);
	ck_assert_int_eq(a.pools[0].surplus, -3);
	ck_assert_int_eq(a.pools[1].surplus, 0);
	ck_assert_uint_eq(a.n_moves, 0);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* A shared-model tenant's deficit is met by growing the shared pool. */
START_TEST(test_move_into_shared_pool)
{
	static const char *const cust[] = { "cust", NULL };
	struct fx x;
	struct advice a;
	int sh, pb;

	fx_init(&x);
	fx_tenant(&x, "cust", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", cust);
	pb = fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agent(&x, "s0", "shared", PROTO_AS_IDLE, "");
	fx_agent(&x, "s1", "shared", PROTO_AS_IDLE, "");
	fx_agents(&x, "b", 5, "ded-beta");
	fx_six_erlangs(&x, "cust", "s0");
	fx_state(&x, "s0", PROTO_AS_BUSY, "cust");
	fx_state(&x, "s1", PROTO_AS_WRAP, "cust");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq(a.tenants[0].shared, 2.0);
	ck_assert_double_eq(a.tenants[0].gap, -7.0);
	ck_assert_uint_eq(a.pools[sh].required, 9);
	ck_assert_int_eq(a.pools[sh].surplus, -7);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].from_pool, (uint32_t)pb);
	ck_assert_uint_eq(a.moves[0].to_pool, (uint32_t)sh);
	ck_assert_uint_eq(a.moves[0].tenant, 0);
	ck_assert_uint_eq(a.moves[0].n, 5);
	ck_assert_double_eq(a.moves[0].sl_before, 0.0);
	ck_assert_double_eq_tol(a.moves[0].sl_after, SL_6E_7, 1e-9);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* Two shared tenants of 3 E each make the pool need 9; it has 2, one
 * serving each.  c1 (gap -4, first by index) gets 4; c2 (gap -4 too) gets
 * only the 3 the pool still lacks, not 4 more. */
START_TEST(test_shared_shortfall_shared_by_tenants)
{
	static const char *const both[] = { "c1", "c2", NULL };
	struct fx x;
	struct advice a;
	int sh;

	fx_init(&x);
	fx_tenant(&x, "c1", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "c2", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", both);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agent(&x, "s0", "shared", PROTO_AS_IDLE, "");
	fx_agent(&x, "s1", "shared", PROTO_AS_IDLE, "");
	fx_agents(&x, "b", 10, "ded-beta");
	fx_offer(&x, "c1", 15, T0 + 2 * MIN);
	fx_offer(&x, "c2", 15, T0 + 2 * MIN);
	fx_handle(&x, "c1", "s0", 150 * SEC, 30 * SEC);
	fx_handle(&x, "c2", "s0", 150 * SEC, 30 * SEC);
	fx_state(&x, "s0", PROTO_AS_BUSY, "c1");
	fx_state(&x, "s1", PROTO_AS_BUSY, "c2");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.tenants[0].required, 5);
	ck_assert_double_eq(a.tenants[0].gap, -4.0);
	ck_assert_double_eq(a.tenants[1].gap, -4.0);
	ck_assert_uint_eq(a.pools[sh].required, 9);
	ck_assert_int_eq(a.pools[sh].surplus, -7);
	ck_assert_uint_eq(a.n_moves, 2);
	ck_assert_uint_eq(a.moves[0].tenant, 0);
	ck_assert_uint_eq(a.moves[0].n, 4);
	ck_assert_uint_eq(a.moves[1].tenant, 1);
	ck_assert_uint_eq(a.moves[1].to_pool, (uint32_t)sh);
	ck_assert_uint_eq(a.moves[1].n, 3);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* Served by two shared pools, a shared tenant is helped through the one
 * that lacks most: sh2 (6 of 9) rather than sh1 (8 of 9). */
START_TEST(test_shared_destination_neediest)
{
	static const char *const cust[] = { "cust", NULL };
	struct fx x;
	struct advice a;
	int sh1, sh2;

	fx_init(&x);
	fx_tenant(&x, "cust", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	sh1 = fx_pool(&x, "sh1", "", cust);
	sh2 = fx_pool(&x, "sh2", "", cust);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agents(&x, "p", 8, "sh1");
	fx_agents(&x, "q", 6, "sh2");
	fx_agents(&x, "b", 10, "ded-beta");
	fx_six_erlangs(&x, "cust", "p0");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_int_eq(a.pools[sh1].surplus, -1);
	ck_assert_int_eq(a.pools[sh2].surplus, -3);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].to_pool, (uint32_t)sh2);
	ck_assert_uint_eq(a.moves[0].n, 3);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* Idle shared agents not yet serving the tenant already cover it: its
 * "deficit" is only that they have not picked up its contacts yet. */
START_TEST(test_shared_pool_with_room_gets_nothing)
{
	static const char *const cust[] = { "cust", NULL };
	struct fx x;
	struct advice a;
	int sh;

	fx_init(&x);
	fx_tenant(&x, "cust", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", cust);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agents(&x, "s", 10, "shared");
	fx_agents(&x, "b", 5, "ded-beta");
	fx_six_erlangs(&x, "cust", "s0");
	fx_state(&x, "s0", PROTO_AS_BUSY, "cust");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq(a.tenants[0].gap, -8.0);
	ck_assert_int_eq(a.pools[sh].surplus, 1);
	ck_assert_uint_eq(a.n_moves, 0);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* Shared-model tenants pool their load: 60/h at 180 s (80/20) and 96/h at
 * 225 s (90/10) are 3 + 6 = 9 E at a contact-weighted 207.7 s.  For that
 * 80/20 needs 12 (80.07 %), 90/10 needs 14 (92.99 % in 10 s; 13 give
 * 87.0 %): the strictest wins, and pooling beats the 5 + 10 the two would
 * need apart.  A hybrid tenant's load is not the pool's; only the agent
 * answering its overflow is. */
START_TEST(test_shared_pool_required_pooled)
{
	static const char *const all[] = { "c1", "c2", "hyb", NULL };
	struct fx x;
	struct advice a;
	int sh;

	fx_init(&x);
	fx_tenant(&x, "c1", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "c2", PROTO_MODEL_SHARED, 90, 10, 0);
	fx_tenant(&x, "hyb", PROTO_MODEL_HYBRID, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", all);
	fx_agents(&x, "s", 20, "shared");
	fx_offer(&x, "c1", 15, T0 + 2 * MIN);
	fx_offer(&x, "c2", 24, T0 + 2 * MIN);
	fx_offer(&x, "hyb", 100, T0 + 2 * MIN);
	fx_handle(&x, "c1", "s0", 150 * SEC, 30 * SEC);
	fx_handle(&x, "c2", "s0", 185 * SEC, 40 * SEC);
	fx_state(&x, "s1", PROTO_AS_BUSY, "hyb");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq_tol(a.tenants[0].load, 3.0, EPS);
	ck_assert_double_eq_tol(a.tenants[1].load, 6.0, EPS);
	ck_assert_uint_eq(a.tenants[0].required, 5);
	ck_assert_uint_eq(a.tenants[1].required, 10);
	ck_assert_uint_eq(a.pools[sh].required, 14 + 1);
	ck_assert_int_eq(a.pools[sh].surplus, 20 - 15);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* The pooled AHT is the mean per contact, so load = rate x AHT holds: 120/h
 * at 60 s and 24/h at 300 s are 2 + 2 = 4 E at 100 s, and 80/20 needs 6
 * (80.9 %).  Weighting by load would say 180 s and 7 agents. */
START_TEST(test_shared_pool_aht_per_contact)
{
	static const char *const all[] = { "c1", "c2", NULL };
	struct fx x;
	struct advice a;
	int sh;

	fx_init(&x);
	fx_tenant(&x, "c1", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "c2", PROTO_MODEL_SHARED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", all);
	fx_agents(&x, "s", 6, "shared");
	fx_offer(&x, "c1", 30, T0 + 2 * MIN);
	fx_offer(&x, "c2", 6, T0 + 2 * MIN);
	fx_handle(&x, "c1", "s0", 50 * SEC, 10 * SEC);
	fx_handle(&x, "c2", "s0", 240 * SEC, 60 * SEC);

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq_tol(a.tenants[0].load, 2.0, EPS);
	ck_assert_double_eq_tol(a.tenants[1].load, 2.0, EPS);
	ck_assert_uint_eq(a.pools[sh].required, 6);
	ck_assert_int_eq(a.pools[sh].surplus, 0);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* acme (6 E, nobody yet: gap -9) comes first and takes the shared pool's
 * 2 spare.  cust (shared, 6 E) then shows a gap of -8, as only one of the
 * pool's agents serves it yet, but the pool still holds the 9 cust needs:
 * nothing is moved back into the pool that gave. */
START_TEST(test_pool_gives_or_receives)
{
	static const char *const cust[] = { "cust", NULL };
	struct fx x;
	struct advice a;
	int sh, pa;

	fx_init(&x);
	fx_tenant(&x, "cust", PROTO_MODEL_SHARED, 80, 20, 0);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	sh = fx_pool(&x, "shared", "", cust);
	pa = fx_pool(&x, "ded-acme", "acme", NULL);
	fx_agents(&x, "s", 11, "shared");
	fx_six_erlangs(&x, "cust", "s0");
	fx_six_erlangs(&x, "acme", "s0");
	fx_state(&x, "s0", PROTO_AS_BUSY, "cust");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq(a.tenants[0].gap, -8.0);
	ck_assert_double_eq(a.tenants[1].gap, -9.0);
	ck_assert_int_eq(a.pools[sh].surplus, 2);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].from_pool, (uint32_t)sh);
	ck_assert_uint_eq(a.moves[0].to_pool, (uint32_t)pa);
	ck_assert_uint_eq(a.moves[0].tenant, 1);
	ck_assert_uint_eq(a.moves[0].n, 2);
	ck_assert_int_eq((int)a.moves[0].agents[0], agent_ix(&x, "s1"));
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* The shared pool's agents answering a hybrid tenant's overflow count as
 * required: only its idle agent may go. */
START_TEST(test_overflow_agents_not_stripped)
{
	static const char *const hyb[] = { "hyb", NULL };
	struct fx x;
	struct advice a;
	int sh;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "hyb", PROTO_MODEL_HYBRID, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_pool(&x, "ded-hyb", "hyb", NULL);
	sh = fx_pool(&x, "shared", "", hyb);
	fx_agents(&x, "a", 6, "ded-acme");
	fx_agent(&x, "s0", "shared", PROTO_AS_BUSY, "hyb");
	fx_agent(&x, "s1", "shared", PROTO_AS_WRAP, "hyb");
	fx_agent(&x, "s2", "shared", PROTO_AS_BUSY, "hyb");
	fx_agent(&x, "s3", "shared", PROTO_AS_IDLE, "");
	fx_six_erlangs(&x, "acme", "a0");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.pools[sh].available, 4);
	ck_assert_uint_eq(a.pools[sh].required, 3);
	ck_assert_int_eq(a.pools[sh].surplus, 1);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].from_pool, (uint32_t)sh);
	ck_assert_uint_eq(a.moves[0].to_pool, 0);
	ck_assert_uint_eq(a.moves[0].n, 1);
	ck_assert_int_eq((int)a.moves[0].agents[0], agent_ix(&x, "s3"));
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* acme and dora are both short by 2 (9 required, 7 each); beta and erin
 * both spare 2.  Equal gaps: acme (lower index) first; equal surpluses:
 * beta's pool (lower index) first.  The same floor gives the same advice. */
START_TEST(test_ties_and_determinism)
{
	struct fx x;
	struct advice a, b;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "dora", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "erin", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_pool(&x, "ded-dora", "dora", NULL);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_pool(&x, "ded-erin", "erin", NULL);
	fx_agents(&x, "a", 7, "ded-acme");
	fx_agents(&x, "d", 7, "ded-dora");
	fx_agents(&x, "b", 2, "ded-beta");
	fx_agents(&x, "e", 2, "ded-erin");
	fx_six_erlangs(&x, "acme", "a0");
	fx_six_erlangs(&x, "dora", "d0");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.n_moves, 2);
	ck_assert_uint_eq(a.moves[0].tenant, 0);
	ck_assert_uint_eq(a.moves[0].from_pool, 2);
	ck_assert_uint_eq(a.moves[0].n, 2);
	ck_assert_int_eq((int)a.moves[0].agents[0], agent_ix(&x, "b0"));
	ck_assert_int_eq((int)a.moves[0].agents[1], agent_ix(&x, "b1"));
	ck_assert_uint_eq(a.moves[1].tenant, 1);
	ck_assert_uint_eq(a.moves[1].from_pool, 3);
	ck_assert_uint_eq(a.moves[1].to_pool, 1);
	fx_compute(&x, NOW_RATED, &b);
	ck_assert_uint_eq(b.n_moves, a.n_moves);
	ck_assert_int_eq(memcmp(a.moves, b.moves, a.n_moves * sizeof(a.moves[0])), 0);
	advice_free(&a);
	advice_free(&b);
	floor_free(&x.f);
}
END_TEST

/* The worst gap is served first, even from a later tenant. */
START_TEST(test_worst_gap_first)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "dora", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_pool(&x, "ded-dora", "dora", NULL);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agents(&x, "a", 8, "ded-acme");
	fx_agents(&x, "d", 6, "ded-dora");
	fx_agents(&x, "b", 3, "ded-beta");
	fx_six_erlangs(&x, "acme", "a0");
	fx_six_erlangs(&x, "dora", "d0");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.n_moves, 1);
	ck_assert_uint_eq(a.moves[0].tenant, 1);
	ck_assert_uint_eq(a.moves[0].n, 3);
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* 300/h at 180 s is 15 E, 19 required: an empty team gets 16 then 3 from
 * the same pool, and the second move starts where the first ended. */
START_TEST(test_moves_of_sixteen)
{
	struct fx x;
	struct advice a;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_tenant(&x, "beta", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_pool(&x, "ded-beta", "beta", NULL);
	fx_agents(&x, "b", 25, "ded-beta");
	fx_offer(&x, "acme", 75, T0 + 2 * MIN);
	fx_handle(&x, "acme", "b0", 150 * SEC, 30 * SEC);

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_uint_eq(a.tenants[0].required, 19);
	ck_assert_uint_eq(a.n_moves, 2);
	ck_assert_uint_eq(a.moves[0].n, 16);
	ck_assert_uint_eq(a.moves[1].n, 3);
	ck_assert_uint_eq(a.moves[1].from_pool, 1);
	ck_assert_double_eq(a.moves[0].sl_before, 0.0);
	ck_assert_double_eq_tol(a.moves[1].sl_before, a.moves[0].sl_after, 1e-12);
	ck_assert_double_eq_tol(a.moves[1].sl_after, erlang_sl(19, 15.0, 180.0, 20.0), 1e-12);
	ck_assert(a.moves[1].sl_after >= 0.8);
	/* no agent is proposed twice */
	ck_assert_int_eq((int)a.moves[1].agents[0], agent_ix(&x, "b16"));
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

/* 70 tenants short of agents, one pool to spare for all: the advice holds
 * the first ADVICE_MOVES_MAX moves, worst-and-first tenants first. */
START_TEST(test_moves_capped)
{
	char id[PROTO_ID_MAX + 1], pool[PROTO_ID_MAX + 1];
	struct fx x;
	struct advice a;
	uint32_t spare;

	fx_init(&x);
	for (uint32_t t = 0; t < 70; t++) {
		snprintf(id, sizeof(id), "t%02u", t);
		snprintf(pool, sizeof(pool), "ded-t%02u", t);
		fx_tenant(&x, id, PROTO_MODEL_DEDICATED, 80, 20, 0);
		fx_pool(&x, pool, id, NULL);
		fx_offer(&x, id, 4, T0 + 2 * MIN);
	}
	fx_tenant(&x, "spare", PROTO_MODEL_DEDICATED, 80, 20, 0);
	spare = (uint32_t)fx_pool(&x, "ded-spare", "spare", NULL);
	fx_agents(&x, "s", 300, "ded-spare");

	fx_compute(&x, NOW_RATED, &a);
	ck_assert_double_eq_tol(a.tenants[0].load, 16.0 * 300.0 / 3600.0, EPS);
	ck_assert_uint_gt(a.tenants[0].required, 0);
	ck_assert_uint_eq(a.n_moves, ADVICE_MOVES_MAX);
	for (uint32_t i = 0; i < a.n_moves; i++) {
		ck_assert_uint_eq(a.moves[i].tenant, i);
		ck_assert_uint_eq(a.moves[i].from_pool, spare);
		ck_assert_uint_eq(a.moves[i].n, a.tenants[i].required);
	}
	advice_free(&a);
	floor_free(&x.f);
}
END_TEST

START_TEST(test_empty_floor)
{
	struct floor f;
	struct advice a;

	floor_init(&f);
	ck_assert_int_eq(advice_compute(&f, T0, &a), 0);
	ck_assert_uint_eq(a.n_tenants, 0);
	ck_assert_uint_eq(a.n_pools, 0);
	ck_assert_uint_eq(a.n_moves, 0);
	advice_free(&a);
	advice_free(&a);
	floor_free(&f);
}
END_TEST

/* ------------------------------------------------------------ history */

START_TEST(test_row_closed_shift)
{
	struct proto_tenant t;
	struct proto_stats_row row;
	uint32_t req;
	double staffed;

	memset(&t, 0, sizeof(t));
	t.sl_pct = 80;
	t.sl_sec = 20;
	memset(&row, 0, sizeof(row));
	row.start_ts = T0;
	row.end_ts = T0 + 8 * HOUR;
	/* 960 contacts at 180 s over 8 h = 6 E: 9 agents */
	row.offered = 960;
	row.handled = 900;
	row.talk_ms = 900ull * 150 * SEC;
	row.wrap_ms = 900ull * 30 * SEC;
	/* 8 agents all shift plus 1 h of shared handling: 65 h / 8 h */
	row.dedicated_staffed_ms = 8ull * 8 * HOUR;
	row.shared_handle_ms = 1ull * HOUR;
	advice_row(&row, &t, &req, &staffed);
	ck_assert_uint_eq(req, 9);
	ck_assert_double_eq_tol(staffed, 8.125, EPS);

	/* nothing handled: the default 300 s makes 10 E, 14 at 80/20 */
	row.handled = 0;
	advice_row(&row, &t, &req, &staffed);
	ck_assert_uint_eq(req, 14);

	/* no offered load: nobody required */
	row.offered = 0;
	advice_row(&row, &t, &req, &staffed);
	ck_assert_uint_eq(req, 0);
	ck_assert_double_eq_tol(staffed, 8.125, EPS);

	/* a shift without duration has no averages */
	row.offered = 960;
	row.end_ts = row.start_ts;
	advice_row(&row, &t, &req, &staffed);
	ck_assert_uint_eq(req, 0);
	ck_assert(isnan(staffed));
}
END_TEST

/* A row the floor itself closed: it runs to the planned end (8 h). */
START_TEST(test_row_from_floor_history)
{
	struct fx x;
	struct proto_event ev;
	uint32_t req;
	double staffed;

	fx_init(&x);
	fx_tenant(&x, "acme", PROTO_MODEL_DEDICATED, 80, 20, 0);
	fx_pool(&x, "ded-acme", "acme", NULL);
	fx_agents(&x, "a", 2, "ded-acme");
	fx_offer(&x, "acme", 40, T0 + 2 * MIN);
	fx_handle(&x, "acme", "a0", 150 * SEC, 30 * SEC);
	ev = fx_event(PROTO_EV_SHIFT_STARTED, T0 + HOUR);
	proto_strlcpy(ev.shift, "Late", PROTO_ID_MAX);
	ev.start_ts = T0 + HOUR;
	ev.end_ts = T0 + 9 * HOUR;
	fx_apply(&x, &ev);
	ck_assert_uint_eq(x.f.n_history, 1);
	/* 40 x 180 s over 8 h = 0.25 E: one agent answers 77.0 % in 20 s,
	 * two 97.7 %.  a0 and a1 were idle from T0 + 1 min to the close at
	 * T0 + 1 h: 118 staffed minutes over 480. */
	advice_row(&x.f.history[0], &x.f.tenants[0].def, &req, &staffed);
	ck_assert_uint_eq(req, 2);
	ck_assert_double_eq_tol(staffed, 118.0 / 480.0, EPS);
	floor_free(&x.f);
}
END_TEST

static Suite *
advice_suite(void)
{
	Suite *s = suite_create("advice");
	TCase *tc = tcase_create("figures");

	tcase_add_test(tc, test_rate_complete_interval);
	tcase_add_test(tc, test_rate_first_interval);
	tcase_add_test(tc, test_rate_no_shift);
	tcase_add_test(tc, test_aht_default_and_measured);
	tcase_add_test(tc, test_required_erlang);
	tcase_add_test(tc, test_staffed_counts);
	tcase_add_test(tc, test_surplus_min_dedicated);
	suite_add_tcase(s, tc);
	tc = tcase_create("moves");
	tcase_add_test(tc, test_move_closes_gap);
	tcase_add_test(tc, test_move_limited_by_min_dedicated);
	tcase_add_test(tc, test_no_surplus_no_moves);
	tcase_add_test(tc, test_move_into_shared_pool);
	tcase_add_test(tc, test_shared_pool_with_room_gets_nothing);
	tcase_add_test(tc, test_shared_shortfall_shared_by_tenants);
	tcase_add_test(tc, test_shared_destination_neediest);
	tcase_add_test(tc, test_shared_pool_required_pooled);
	tcase_add_test(tc, test_shared_pool_aht_per_contact);
	tcase_add_test(tc, test_pool_gives_or_receives);
	tcase_add_test(tc, test_overflow_agents_not_stripped);
	tcase_add_test(tc, test_ties_and_determinism);
	tcase_add_test(tc, test_worst_gap_first);
	tcase_add_test(tc, test_moves_of_sixteen);
	tcase_add_test(tc, test_moves_capped);
	tcase_add_test(tc, test_empty_floor);
	suite_add_tcase(s, tc);
	tc = tcase_create("history");
	tcase_add_test(tc, test_row_closed_shift);
	tcase_add_test(tc, test_row_from_floor_history);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(advice_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
