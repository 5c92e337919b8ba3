#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advice.h"
#include "pooltop/floor.h"
#include "pooltop/stats.h"

#include "testlib.h"

#define T0 1700000000000LL       /* start of the first shift */
#define SEC 1000LL
#define MIN (60 * SEC)
#define EPOCH 7u

/* ---------------------------------------------------------------- fixture */

struct gen {
	uint64_t epoch;
	uint64_t seq;
};

static void
add_tenant(struct floor *f, const char *id, enum proto_model m, uint32_t sl_sec,
           double ded_rate, double sh_rate)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof(t));
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, id, PROTO_NAME_MAX);
	t.model = m;
	t.sl_pct = 80;
	t.sl_sec = sl_sec;
	t.dedicated_rate = ded_rate;
	t.shared_rate = sh_rate;
	ck_assert_int_ge(floor_add_tenant(f, &t), 0);
}

static int
try_add_pool(struct floor *f, const char *id, enum proto_pool_kind kind,
             const char *tenant, const char *const *serves, uint32_t n)
{
	struct proto_pool p;
	char (*sv)[PROTO_ID_MAX + 1] = calloc(n ? n : 1, sizeof(*sv));
	int r;

	ck_assert_ptr_nonnull(sv);
	memset(&p, 0, sizeof(p));
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = kind;
	proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	for (uint32_t i = 0; i < n; i++)
		proto_strlcpy(sv[i], serves[i], PROTO_ID_MAX);
	p.n_serves = n;
	p.serves = sv;
	r = floor_add_pool(f, &p);
	free(sv);
	return r;
}

static int
try_add_agent(struct floor *f, const char *id, const char *pool)
{
	struct proto_agent a;

	memset(&a, 0, sizeof(a));
	proto_strlcpy(a.id, id, PROTO_ID_MAX);
	proto_strlcpy(a.name, id, PROTO_NAME_MAX);
	proto_strlcpy(a.pool, pool, PROTO_ID_MAX);
	a.state = PROTO_AS_OFFLINE;
	return floor_add_agent(f, &a);
}

/*
 * acme: dedicated (pool ded-acme: a1, a2); beta: shared only; gamma:
 * hybrid (pool ded-gamma: g1).  shared1 serves all three: s1, s2, s3.
 */
static void
fixture(struct floor *f)
{
	static const char *const all[] = { "acme", "beta", "gamma" };
	static const char *const acme[] = { "acme" };
	struct proto_shift_def sh;

	floor_init(f);
	f->epoch = EPOCH;
	memset(&sh, 0, sizeof(sh));
	strcpy(sh.name, "Early");
	strcpy(sh.start, "06:00");
	strcpy(sh.end, "14:00");
	ck_assert_int_eq(floor_add_shift(f, &sh), 0);
	strcpy(sh.name, "Late");
	strcpy(sh.start, "14:00");
	strcpy(sh.end, "22:00");
	ck_assert_int_eq(floor_add_shift(f, &sh), 1);
	add_tenant(f, "acme", PROTO_MODEL_DEDICATED, 20, 30.0, 45.0);
	add_tenant(f, "beta", PROTO_MODEL_SHARED, 20, 0.0, 40.0);
	add_tenant(f, "gamma", PROTO_MODEL_HYBRID, 30, 28.0, 42.0);
	ck_assert_int_eq(try_add_pool(f, "shared1", PROTO_POOL_SHARED, "", all, 3), 0);
	ck_assert_int_eq(try_add_pool(f, "ded-acme", PROTO_POOL_DEDICATED, "acme", acme, 1), 1);
	ck_assert_int_eq(try_add_pool(f, "ded-gamma", PROTO_POOL_DEDICATED, "gamma", NULL, 0), 2);
	ck_assert_int_eq(try_add_agent(f, "a1", "ded-acme"), 0);
	ck_assert_int_eq(try_add_agent(f, "a2", "ded-acme"), 1);
	ck_assert_int_eq(try_add_agent(f, "g1", "ded-gamma"), 2);
	ck_assert_int_eq(try_add_agent(f, "s1", "shared1"), 3);
	ck_assert_int_eq(try_add_agent(f, "s2", "shared1"), 4);
	ck_assert_int_eq(try_add_agent(f, "s3", "shared1"), 5);
}

/* --------------------------------------------------------------- events */

static struct proto_event
ev_base(struct gen *g, enum proto_event_type type, int64_t ts)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.epoch = g->epoch;
	ev.seq = ++g->seq;
	ev.ts = ts;
	return ev;
}

static struct proto_event
ev_queued(struct gen *g, int64_t ts, const char *tenant, uint64_t contact)
{
	struct proto_event ev = ev_base(g, PROTO_EV_CONTACT_QUEUED, ts);

	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	ev.contact = contact;
	ev.channel = PROTO_CH_CHAT;
	return ev;
}

static struct proto_event
ev_answered(struct gen *g, int64_t ts, const char *tenant, uint64_t contact,
            const char *agent, uint64_t wait_ms)
{
	struct proto_event ev = ev_base(g, PROTO_EV_CONTACT_ANSWERED, ts);

	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	ev.contact = contact;
	ev.wait_ms = wait_ms;
	return ev;
}

static struct proto_event
ev_abandoned(struct gen *g, int64_t ts, const char *tenant, uint64_t contact,
             uint64_t wait_ms)
{
	struct proto_event ev = ev_base(g, PROTO_EV_CONTACT_ABANDONED, ts);

	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	ev.contact = contact;
	ev.wait_ms = wait_ms;
	return ev;
}

static struct proto_event
ev_ended(struct gen *g, int64_t ts, const char *tenant, uint64_t contact,
         const char *agent, uint64_t talk_ms)
{
	struct proto_event ev = ev_base(g, PROTO_EV_CONTACT_ENDED, ts);

	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	ev.contact = contact;
	ev.talk_ms = talk_ms;
	return ev;
}

static struct proto_event
ev_wrapped(struct gen *g, int64_t ts, const char *tenant, uint64_t contact,
           const char *agent, uint64_t wrap_ms)
{
	struct proto_event ev = ev_base(g, PROTO_EV_CONTACT_WRAPPED, ts);

	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	ev.contact = contact;
	ev.wrap_ms = wrap_ms;
	return ev;
}

static struct proto_event
ev_state(struct gen *g, int64_t ts, const char *agent, enum proto_agent_state st,
         const char *tenant)
{
	struct proto_event ev = ev_base(g, PROTO_EV_AGENT_STATE, ts);

	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	ev.state = st;
	return ev;
}

static struct proto_event
ev_moved(struct gen *g, int64_t ts, const char *agent, const char *from, const char *to)
{
	struct proto_event ev = ev_base(g, PROTO_EV_AGENT_MOVED, ts);

	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	proto_strlcpy(ev.from, from, PROTO_ID_MAX);
	proto_strlcpy(ev.to, to, PROTO_ID_MAX);
	proto_strlcpy(ev.by, "mgr", PROTO_ID_MAX);
	proto_strlcpy(ev.req, "r1", PROTO_REQID_MAX);
	return ev;
}

static struct proto_event
ev_shift(struct gen *g, int64_t ts, const char *name, int64_t start, int64_t end)
{
	struct proto_event ev = ev_base(g, PROTO_EV_SHIFT_STARTED, ts);

	proto_strlcpy(ev.shift, name, PROTO_ID_MAX);
	ev.start_ts = start;
	ev.end_ts = end;
	return ev;
}

#define APPLY_OK(f, e) do { \
		struct proto_event ev_ = (e); \
		ck_assert_int_eq(floor_apply((f), &ev_, true), FLOOR_APPLIED); \
	} while (0)

#define TENANT(f, id) (&(f)->tenants[floor_tenant_find((f), (id))])
#define AGENT(f, id) (&(f)->agents[floor_agent_find((f), (id))])

/* ----------------------------------------------------- snapshot helpers */

/* proto_snapshot_free lives in proto; the test frees its own snapshots so
 * it checks the ownership floor_to_snapshot promises, nothing more. */
static void
snap_free(struct proto_snapshot *s)
{
	for (uint32_t i = 0; i < s->n_pools; i++) {
		free(s->pools[i].serves);
		free(s->pools[i].trained);
	}
	for (uint32_t i = 0; i < s->n_queues; i++)
		free(s->queues[i].contacts);
	free(s->shifts);
	free(s->tenants);
	free(s->pools);
	free(s->agents);
	free(s->queues);
	free(s->stats);
	proto_sl_rows_free(s->stats_sl, s->n_stats);
	memset(s, 0, sizeof(*s));
}

static void
eq_tenant(const struct proto_tenant *a, const struct proto_tenant *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_str_eq(a->name, b->name);
	ck_assert_int_eq(a->model, b->model);
	ck_assert(a->sl_pct == b->sl_pct);
	ck_assert_uint_eq(a->sl_sec, b->sl_sec);
	ck_assert(a->dedicated_rate == b->dedicated_rate);
	ck_assert(a->shared_rate == b->shared_rate);
	ck_assert_uint_eq(a->min_dedicated, b->min_dedicated);
	ck_assert_uint_eq(a->overflow_sec, b->overflow_sec);
	ck_assert_str_eq(a->open, b->open);
	ck_assert_str_eq(a->close, b->close);
}

static void
eq_pool(const struct proto_pool *a, const struct proto_pool *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_int_eq(a->kind, b->kind);
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_uint_eq(a->n_serves, b->n_serves);
	for (uint32_t i = 0; i < a->n_serves; i++)
		ck_assert_str_eq(a->serves[i], b->serves[i]);
}

static void
eq_agent(const struct proto_agent *a, const struct proto_agent *b)
{
	ck_assert_str_eq(a->id, b->id);
	ck_assert_str_eq(a->name, b->name);
	ck_assert_str_eq(a->pool, b->pool);
	ck_assert_int_eq(a->state, b->state);
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_int_eq(a->since_ts, b->since_ts);
	ck_assert_uint_eq(a->handled, b->handled);
	ck_assert_uint_eq(a->contact, b->contact);
	ck_assert_str_eq(a->handling_pool, b->handling_pool);
	ck_assert_int_eq(a->acc_ts, b->acc_ts);
}

static void
eq_queue(const struct proto_queue *a, const struct proto_queue *b)
{
	ck_assert_str_eq(a->tenant, b->tenant);
	ck_assert_uint_eq(a->waiting, b->waiting);
	ck_assert_int_eq(a->oldest_ts, b->oldest_ts);
	ck_assert_uint_eq(a->n_contacts, b->n_contacts);
	for (uint32_t i = 0; i < a->n_contacts; i++) {
		ck_assert_uint_eq(a->contacts[i].contact, b->contacts[i].contact);
		ck_assert_int_eq(a->contacts[i].ts, b->contacts[i].ts);
		ck_assert_int_eq(a->contacts[i].channel, b->contacts[i].channel);
	}
}

/* The floor also keeps unused intervals zero: compare the whole array. */
static void
eq_row(const struct proto_stats_row *a, const struct proto_stats_row *b)
{
	testlib_row_eq(a, b);
	ck_assert_mem_eq(a->intervals, b->intervals, sizeof(a->intervals));
}

static void
eq_snapshot(const struct proto_snapshot *a, const struct proto_snapshot *b)
{
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
	for (uint32_t i = 0; i < a->n_tenants; i++)
		eq_tenant(&a->tenants[i], &b->tenants[i]);
	ck_assert_uint_eq(a->n_pools, b->n_pools);
	for (uint32_t i = 0; i < a->n_pools; i++)
		eq_pool(&a->pools[i], &b->pools[i]);
	ck_assert_uint_eq(a->n_agents, b->n_agents);
	for (uint32_t i = 0; i < a->n_agents; i++)
		eq_agent(&a->agents[i], &b->agents[i]);
	ck_assert_uint_eq(a->n_queues, b->n_queues);
	for (uint32_t i = 0; i < a->n_queues; i++)
		eq_queue(&a->queues[i], &b->queues[i]);
	ck_assert_uint_eq(a->n_stats, b->n_stats);
	for (uint32_t i = 0; i < a->n_stats; i++)
		eq_row(&a->stats[i], &b->stats[i]);
}

/* The derived fields a snapshot does not carry directly. */
static void
eq_floor(const struct floor *a, const struct floor *b)
{
	ck_assert_uint_eq(a->n_tenants, b->n_tenants);
	for (uint32_t t = 0; t < a->n_tenants; t++) {
		const struct floor_tenant *x = &a->tenants[t], *y = &b->tenants[t];

		ck_assert_int_eq(x->dedicated_pool, y->dedicated_pool);
		ck_assert_uint_eq(x->n_waiting, y->n_waiting);
		for (uint32_t i = 0; i < x->n_waiting; i++) {
			ck_assert_uint_eq(x->waiting[i].contact, y->waiting[i].contact);
			ck_assert_int_eq(x->waiting[i].ts, y->waiting[i].ts);
			ck_assert_int_eq(x->waiting[i].channel, y->waiting[i].channel);
		}
		ck_assert_mem_eq(&x->cur, &y->cur, sizeof(x->cur));
	}
	ck_assert_uint_eq(a->n_pools, b->n_pools);
	for (uint32_t p = 0; p < a->n_pools; p++)
		ck_assert_int_eq(a->pools[p].tenant, b->pools[p].tenant);
	ck_assert_uint_eq(a->n_agents, b->n_agents);
	for (uint32_t i = 0; i < a->n_agents; i++) {
		ck_assert_int_eq(a->agents[i].pool, b->agents[i].pool);
		ck_assert_int_eq(a->agents[i].serving, b->agents[i].serving);
		ck_assert_int_eq(a->agents[i].handling_pool, b->agents[i].handling_pool);
		ck_assert_uint_eq(a->agents[i].handled, b->agents[i].handled);
		ck_assert(floor_agent_moving(a, i) == floor_agent_moving(b, i));
	}
	for (uint32_t t = 0; t < a->n_tenants; t++)
		ck_assert_uint_eq(floor_staffed_ms(a, t, a->ts + 10 * MIN),
		                  floor_staffed_ms(b, t, b->ts + 10 * MIN));
}

/* The cached indexes must agree with the ids they stand for. */
static void
check_consistent(const struct floor *f)
{
	for (uint32_t i = 0; i < f->n_agents; i++) {
		const struct floor_agent *a = &f->agents[i];

		ck_assert_int_eq(floor_agent_find(f, a->def.id), (int)i);
		ck_assert_int_eq(a->pool, floor_pool_find(f, a->def.pool));
		ck_assert_int_eq(a->serving,
		                 a->def.tenant[0] ? floor_tenant_find(f, a->def.tenant) : -1);
		ck_assert_int_eq(a->handling_pool, a->def.handling_pool[0] ?
		                 floor_pool_find(f, a->def.handling_pool) : -1);
		ck_assert_uint_eq(a->handled, a->def.handled);
		ck_assert((a->def.contact != 0) == (a->handling_pool >= 0));
	}
}

/* ----------------------------------------------------------- the tests */

/* 5 queued; answered after 5 s, 19 s, 25 s (sl_sec 20); abandoned after
 * 3 s (short) and 40 s: SL = 2 / (3 + 2 - 1) = 0.5. */
START_TEST(test_contact_counters)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct floor_tenant *acme;
	struct floor_agent *a1;
	struct proto_stats_row row;
	struct stats st;
	uint64_t order[] = { 1, 2, 4, 5 };

	fixture(&f);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0, "a2", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0, "s1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + 1 * MIN, "acme", 1));
	APPLY_OK(&f, ev_queued(&g, T0 + 2 * MIN, "acme", 2));
	APPLY_OK(&f, ev_queued(&g, T0 + 16 * MIN, "acme", 3));
	APPLY_OK(&f, ev_queued(&g, T0 + 17 * MIN, "acme", 4));
	APPLY_OK(&f, ev_queued(&g, T0 + 31 * MIN, "acme", 5));
	acme = TENANT(&f, "acme");
	ck_assert_uint_eq(acme->cur.offered, 5);
	ck_assert_uint_eq(acme->cur.intervals[0], 2);
	ck_assert_uint_eq(acme->cur.intervals[1], 2);
	ck_assert_uint_eq(acme->cur.intervals[2], 1);
	ck_assert_uint_eq(acme->n_waiting, 5);

	/* an abandon from the middle keeps the others in order */
	APPLY_OK(&f, ev_abandoned(&g, T0 + 16 * MIN + 3 * SEC, "acme", 3, 3 * SEC));
	ck_assert_uint_eq(acme->n_waiting, 4);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_uint_eq(acme->waiting[i].contact, order[i]);
	ck_assert_int_eq(acme->waiting[0].ts, T0 + 1 * MIN);
	ck_assert_int_eq(acme->waiting[0].channel, PROTO_CH_CHAT);

	APPLY_OK(&f, ev_answered(&g, T0 + 32 * MIN, "acme", 1, "a1", 5 * SEC));
	APPLY_OK(&f, ev_answered(&g, T0 + 33 * MIN, "acme", 2, "a2", 19 * SEC));
	APPLY_OK(&f, ev_abandoned(&g, T0 + 34 * MIN, "acme", 4, 40 * SEC));
	APPLY_OK(&f, ev_answered(&g, T0 + 35 * MIN, "acme", 5, "s1", 25 * SEC));
	ck_assert_uint_eq(acme->n_waiting, 0);
	ck_assert_uint_eq(acme->cur.answered, 3);
	ck_assert_uint_eq(acme->cur.answered_in_sl, 2);
	ck_assert_uint_eq(acme->cur.abandoned, 2);
	ck_assert_uint_eq(acme->cur.abandoned_short, 1);
	ck_assert_uint_eq(acme->cur.wait_ms, 49 * SEC);

	a1 = AGENT(&f, "a1");
	ck_assert_int_eq(a1->def.state, PROTO_AS_BUSY);
	ck_assert_int_eq(a1->serving, floor_tenant_find(&f, "acme"));
	ck_assert_str_eq(a1->def.tenant, "acme");
	ck_assert_uint_eq(a1->def.contact, 1);
	ck_assert_int_eq(a1->handling_pool, floor_pool_find(&f, "ded-acme"));
	ck_assert_str_eq(a1->def.handling_pool, "ded-acme");
	ck_assert_int_eq(a1->def.since_ts, T0 + 32 * MIN);

	floor_stats_row(&f, (uint32_t)floor_tenant_find(&f, "acme"), T0 + 40 * MIN, &row);
	stats_compute(&row, &acme->def, &st);
	ck_assert_double_eq_tol(st.service_level, 0.5, 1e-12);
	ck_assert_double_eq_tol(st.asa_s, 49.0 / 3.0, 1e-9);
	ck_assert_double_eq_tol(st.abandon_rate, 0.4, 1e-12);
	ck_assert(isnan(st.aht_s));

	APPLY_OK(&f, ev_ended(&g, T0 + 37 * MIN, "acme", 1, "a1", 120 * SEC));
	ck_assert_uint_eq(acme->cur.talk_ms, 120 * SEC);
	ck_assert_int_eq(a1->def.state, PROTO_AS_WRAP);
	ck_assert_int_eq(a1->def.since_ts, T0 + 37 * MIN);
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 0);
	APPLY_OK(&f, ev_wrapped(&g, T0 + 38 * MIN, "acme", 1, "a1", 30 * SEC));
	ck_assert_uint_eq(acme->cur.wrap_ms, 30 * SEC);
	ck_assert_uint_eq(acme->cur.handled, 1);
	ck_assert_uint_eq(a1->handled, 1);
	ck_assert_int_eq(a1->def.state, PROTO_AS_IDLE);
	ck_assert_uint_eq(a1->def.contact, 0);
	ck_assert_int_eq(a1->handling_pool, -1);
	ck_assert_int_eq(a1->serving, -1);

	/* s1 answered in the shared pool: its handle time is billed shared */
	APPLY_OK(&f, ev_ended(&g, T0 + 39 * MIN, "acme", 5, "s1", 60 * SEC));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 40 * MIN, "acme", 5, "s1", 15 * SEC));
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 75 * SEC);
	ck_assert_uint_eq(acme->cur.handled, 2);
	floor_stats_row(&f, (uint32_t)floor_tenant_find(&f, "acme"), T0 + 40 * MIN, &row);
	stats_compute(&row, &acme->def, &st);
	ck_assert_double_eq_tol(st.aht_s, (180.0 + 45.0) / 2.0, 1e-9);
	ck_assert_uint_eq(f.seq, g.seq);
	ck_assert_int_eq(f.ts, T0 + 40 * MIN);
	ck_assert_uint_eq(f.n_rejected, 0);
	check_consistent(&f);
	floor_free(&f);
}
END_TEST

START_TEST(test_boundaries)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct floor_tenant *acme, *gamma;

	fixture(&f);
	/* before any shift, contacts count but fall in no interval */
	APPLY_OK(&f, ev_queued(&g, T0 - 10 * MIN, "acme", 90));
	acme = TENANT(&f, "acme");
	ck_assert_uint_eq(acme->cur.offered, 1);
	for (uint32_t i = 0; i < PROTO_INTERVALS_MAX; i++)
		ck_assert_uint_eq(acme->cur.intervals[i], 0);
	/* a floor that never had a shift takes the first without history */
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	ck_assert_uint_eq(f.n_history, 0);
	ck_assert_uint_eq(acme->cur.offered, 1);
	ck_assert_str_eq(f.shift_name, "Early");

	APPLY_OK(&f, ev_answered(&g, T0, "acme", 1, "a1", 20 * SEC));
	APPLY_OK(&f, ev_answered(&g, T0, "acme", 2, "a2", 20 * SEC + 1));
	ck_assert_uint_eq(acme->cur.answered_in_sl, 1);
	/* gamma's contract is 30 s */
	APPLY_OK(&f, ev_answered(&g, T0, "gamma", 3, "g1", 30 * SEC));
	gamma = TENANT(&f, "gamma");
	ck_assert_uint_eq(gamma->cur.answered_in_sl, 1);
	APPLY_OK(&f, ev_abandoned(&g, T0, "acme", 4, FLOOR_SHORT_ABANDON_MS));
	APPLY_OK(&f, ev_abandoned(&g, T0, "acme", 5, FLOOR_SHORT_ABANDON_MS - 1));
	ck_assert_uint_eq(acme->cur.abandoned, 2);
	ck_assert_uint_eq(acme->cur.abandoned_short, 1);
	/* answering a contact the replica never saw queued still counts */
	ck_assert_uint_eq(acme->cur.answered, 2);
	ck_assert_uint_eq(acme->n_waiting, 1);

	/* intervals clamp at both ends of the shift */
	APPLY_OK(&f, ev_queued(&g, T0 - 1, "beta", 6));
	APPLY_OK(&f, ev_queued(&g, T0 + 30 * 60 * MIN, "beta", 7));
	APPLY_OK(&f, ev_queued(&g, T0 + 15 * MIN - 1, "beta", 8));
	APPLY_OK(&f, ev_queued(&g, T0 + 15 * MIN, "beta", 9));
	ck_assert_uint_eq(TENANT(&f, "beta")->cur.intervals[0], 2);
	ck_assert_uint_eq(TENANT(&f, "beta")->cur.intervals[1], 1);
	ck_assert_uint_eq(TENANT(&f, "beta")->cur.intervals[PROTO_INTERVALS_MAX - 1], 1);
	floor_free(&f);
}
END_TEST

START_TEST(test_seq)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct proto_event e1, e, hb;

	fixture(&f);
	e1 = ev_queued(&g, T0 + 5 * SEC, "acme", 1);
	ck_assert_int_eq(floor_apply(&f, &e1, true), FLOOR_APPLIED);
	ck_assert_uint_eq(f.seq, 1);
	ck_assert_int_eq(f.ts, T0 + 5 * SEC);
	/* a duplicate is ignored */
	ck_assert_int_eq(floor_apply(&f, &e1, true), FLOOR_IGNORED);
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.offered, 1);

	/* a gap: resync, nothing changes */
	g.seq = 2;
	e = ev_queued(&g, T0 + 6 * SEC, "acme", 2);
	ck_assert_uint_eq(e.seq, 3);
	ck_assert_int_eq(floor_apply(&f, &e, true), FLOOR_RESYNC);
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.offered, 1);
	ck_assert_uint_eq(TENANT(&f, "acme")->n_waiting, 1);
	ck_assert_uint_eq(f.seq, 1);
	ck_assert_int_eq(f.ts, T0 + 5 * SEC);

	/* another epoch: resync even with the next seq */
	e.seq = 2;
	e.epoch = EPOCH + 1;
	ck_assert_int_eq(floor_apply(&f, &e, true), FLOOR_RESYNC);
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.offered, 1);

	/* heartbeats: ours is current, theirs is ahead, theirs is elsewhere */
	memset(&hb, 0, sizeof(hb));
	hb.type = PROTO_EV_HB;
	hb.epoch = EPOCH;
	hb.seq = 1;
	hb.ts = T0 + 99 * SEC;
	ck_assert_int_eq(floor_apply(&f, &hb, true), FLOOR_IGNORED);
	ck_assert_int_eq(f.ts, T0 + 5 * SEC);
	hb.seq = 2;
	ck_assert_int_eq(floor_apply(&f, &hb, true), FLOOR_RESYNC);
	hb.seq = 1;
	hb.epoch = EPOCH + 1;
	ck_assert_int_eq(floor_apply(&f, &hb, true), FLOOR_RESYNC);
	ck_assert_int_eq(floor_apply(&f, &hb, false), FLOOR_IGNORED);

	/* floor.reset always asks for a snapshot */
	memset(&e, 0, sizeof(e));
	e.type = PROTO_EV_FLOOR_RESET;
	e.epoch = EPOCH;
	e.seq = 2;
	ck_assert_int_eq(floor_apply(&f, &e, true), FLOOR_RESYNC);
	ck_assert_int_eq(floor_apply(&f, &e, false), FLOOR_RESYNC);
	ck_assert_uint_eq(f.seq, 1);

	/* the floor clock never moves back */
	g.seq = 1;
	e = ev_queued(&g, T0, "acme", 3);
	ck_assert_int_eq(floor_apply(&f, &e, true), FLOOR_APPLIED);
	ck_assert_uint_eq(f.seq, 2);
	ck_assert_int_eq(f.ts, T0 + 5 * SEC);
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.offered, 2);

	/* without check_seq, events just apply */
	e = ev_queued(&g, T0 + 7 * SEC, "acme", 4);
	e.seq = 10;
	e.epoch = 99;
	ck_assert_int_eq(floor_apply(&f, &e, false), FLOOR_APPLIED);
	ck_assert_uint_eq(f.seq, 10);
	ck_assert_uint_eq(f.epoch, EPOCH);
	ck_assert_int_eq(f.ts, T0 + 7 * SEC);
	e.seq = 4;
	ck_assert_int_eq(floor_apply(&f, &e, false), FLOOR_APPLIED);
	ck_assert_uint_eq(f.seq, 4);
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.offered, 4);
	floor_free(&f);
}
END_TEST

static void
expect_rejected(struct floor *f, struct proto_event ev, const struct proto_snapshot *before)
{
	struct proto_snapshot after;
	uint64_t n = f->n_rejected;

	ev.seq = f->seq + 1;
	ev.epoch = f->epoch;
	ck_assert_int_eq(floor_apply(f, &ev, true), FLOOR_REJECTED);
	ck_assert_uint_eq(f->n_rejected, n + 1);
	ck_assert_int_eq(floor_to_snapshot(f, &after), 0);
	eq_snapshot(before, &after);
	snap_free(&after);
}

START_TEST(test_rejected)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot before;
	struct proto_event e;

	fixture(&f);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 2));
	APPLY_OK(&f, ev_answered(&g, T0 + 2 * MIN, "acme", 1, "a1", MIN));
	ck_assert_int_eq(floor_to_snapshot(&f, &before), 0);

	expect_rejected(&f, ev_queued(&g, T0 + 3 * MIN, "nope", 3), &before);
	e = ev_queued(&g, T0 + 3 * MIN, "acme", 3);
	e.channel = PROTO_CH__COUNT;
	expect_rejected(&f, e, &before);
	/* the tenant is known but the agent is not: contact 2 stays queued */
	expect_rejected(&f, ev_answered(&g, T0 + 3 * MIN, "acme", 2, "ghost", MIN), &before);
	expect_rejected(&f, ev_answered(&g, T0 + 3 * MIN, "nope", 2, "a2", MIN), &before);
	expect_rejected(&f, ev_abandoned(&g, T0 + 3 * MIN, "nope", 2, MIN), &before);
	expect_rejected(&f, ev_ended(&g, T0 + 3 * MIN, "acme", 1, "ghost", MIN), &before);
	expect_rejected(&f, ev_ended(&g, T0 + 3 * MIN, "nope", 1, "a1", MIN), &before);
	expect_rejected(&f, ev_wrapped(&g, T0 + 3 * MIN, "nope", 1, "a1", MIN), &before);
	expect_rejected(&f, ev_wrapped(&g, T0 + 3 * MIN, "acme", 1, "ghost", MIN), &before);
	expect_rejected(&f, ev_state(&g, T0 + 3 * MIN, "a1", PROTO_AS_BREAK, "nope"), &before);
	expect_rejected(&f, ev_state(&g, T0 + 3 * MIN, "ghost", PROTO_AS_IDLE, ""), &before);
	e = ev_state(&g, T0 + 3 * MIN, "a2", PROTO_AS_IDLE, "");
	e.state = PROTO_AS__COUNT;
	expect_rejected(&f, e, &before);
	expect_rejected(&f, ev_moved(&g, T0 + 3 * MIN, "a1", "ded-acme", "nope"), &before);
	expect_rejected(&f, ev_moved(&g, T0 + 3 * MIN, "ghost", "ded-acme", "shared1"), &before);
	expect_rejected(&f, ev_moved(&g, T0 + 3 * MIN, "a2", "nope", "shared1"), &before);
	e = ev_base(&g, PROTO_EV__COUNT, T0 + 3 * MIN);
	expect_rejected(&f, e, &before);
	ck_assert_uint_eq(f.n_rejected, 16);
	ck_assert_uint_eq(TENANT(&f, "acme")->n_waiting, 1);

	/* rejected events do not take a seq: the stream goes on from there */
	ck_assert_uint_eq(f.seq, before.seq);
	g.seq = f.seq;
	APPLY_OK(&f, ev_abandoned(&g, T0 + 4 * MIN, "acme", 2, MIN));
	ck_assert_uint_eq(TENANT(&f, "acme")->n_waiting, 0);
	snap_free(&before);
	floor_free(&f);
}
END_TEST

/* Timestamps from the network may be anything: out of 0..FLOOR_TS_MAX an
 * event is rejected (before any arithmetic; SANITIZE=1 proves there is no
 * overflow), and in range the spans saturate. */
START_TEST(test_rejected_timestamps)
{
	static const int64_t bad[] = { INT64_MIN, -1, FLOOR_TS_MAX + 1, INT64_MAX };
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot before;
	struct proto_stats_row row;
	uint32_t required;
	double staffed;

	fixture(&f);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	ck_assert_int_eq(floor_to_snapshot(&f, &before), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_rejected(&f, ev_shift(&g, T0 + MIN, "Late", bad[i], T0 + 480 * MIN), &before);
		expect_rejected(&f, ev_shift(&g, T0 + MIN, "Late", T0, bad[i]), &before);
		expect_rejected(&f, ev_shift(&g, bad[i], "Late", T0, T0 + 480 * MIN), &before);
		expect_rejected(&f, ev_queued(&g, bad[i], "acme", 2), &before);
		expect_rejected(&f, ev_answered(&g, bad[i], "acme", 1, "a1", MIN), &before);
		expect_rejected(&f, ev_state(&g, bad[i], "a1", PROTO_AS_BREAK, ""), &before);
		expect_rejected(&f, ev_moved(&g, bad[i], "a1", "ded-acme", "shared1"), &before);
	}
	ck_assert_uint_eq(f.n_rejected, 7 * 4);
	snap_free(&before);

	/* the reviewer's case: a shift from the dawn of int64, then a contact
	 * at its end */
	g.seq = f.seq;
	ck_assert_int_eq(floor_apply(&f, &(struct proto_event){ .type = PROTO_EV_SHIFT_STARTED,
	                 .epoch = EPOCH, .seq = ++g.seq, .ts = T0, .start_ts = INT64_MIN,
	                 .end_ts = T0 }, true), FLOOR_REJECTED);
	g.seq = f.seq;
	ck_assert_int_eq(floor_apply(&f, &(struct proto_event){ .type = PROTO_EV_CONTACT_QUEUED,
	                 .epoch = EPOCH, .seq = ++g.seq, .ts = INT64_MAX, .tenant = "acme",
	                 .contact = 9 }, true), FLOOR_REJECTED);

	/* the edges are accepted, and nothing computed from them overflows */
	g.seq = f.seq;
	APPLY_OK(&f, ev_shift(&g, 0, "Late", 0, FLOOR_TS_MAX));
	APPLY_OK(&f, ev_queued(&g, FLOOR_TS_MAX, "acme", 3));
	ck_assert_uint_eq(TENANT(&f, "acme")->cur.intervals[PROTO_INTERVALS_MAX - 1], 1);
	floor_stats_row(&f, 0, INT64_MAX, &row);
	ck_assert_uint_eq(row.n_intervals, PROTO_INTERVALS_MAX);
	ck_assert_uint_gt(floor_staffed_ms(&f, 0, INT64_MAX), 0);
	ck_assert_uint_eq(floor_staffed_ms(&f, 0, INT64_MIN), TENANT(&f, "acme")->cur.dedicated_staffed_ms);
	row.start_ts = INT64_MIN;
	row.end_ts = INT64_MAX;
	advice_row(&row, &f.tenants[0].def, &required, &staffed);
	row.start_ts = INT64_MAX;
	row.end_ts = INT64_MIN;
	advice_row(&row, &f.tenants[0].def, &required, &staffed);
	ck_assert_uint_eq(required, 0);
	{
		struct advice a;
		ck_assert_int_eq(advice_compute(&f, INT64_MAX, &a), 0);
		advice_free(&a);
		ck_assert_int_eq(advice_compute(&f, INT64_MIN, &a), 0);
		advice_free(&a);
	}
	ck_assert_int_eq(floor_span_ms(INT64_MIN, INT64_MAX), INT64_MAX);
	ck_assert_int_eq(floor_span_ms(INT64_MAX, INT64_MIN), INT64_MIN);
	ck_assert_int_eq(floor_span_ms(-5, 7), 12);
	ck_assert_int_eq(floor_span_ms(7, -5), -12);
	floor_free(&f);
}
END_TEST

/* A contact finishes where it started: s1 is moved to acme's dedicated
 * pool mid-contact, shows as moving, and the contact stays shared. */
START_TEST(test_move_busy)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct floor_tenant *acme;
	struct floor_agent *s1;
	uint32_t counts[PROTO_AS__COUNT];
	uint32_t s1i, ded, sh;

	fixture(&f);
	acme = TENANT(&f, "acme");
	s1 = AGENT(&f, "s1");
	s1i = (uint32_t)floor_agent_find(&f, "s1");
	ded = (uint32_t)floor_pool_find(&f, "ded-acme");
	sh = (uint32_t)floor_pool_find(&f, "shared1");
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "s1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	APPLY_OK(&f, ev_answered(&g, T0 + MIN + 10 * SEC, "acme", 1, "s1", 10 * SEC));
	ck_assert(!floor_agent_moving(&f, s1i));
	APPLY_OK(&f, ev_moved(&g, T0 + 2 * MIN, "s1", "shared1", "ded-acme"));
	ck_assert_int_eq(s1->pool, (int)ded);
	ck_assert_str_eq(s1->def.pool, "ded-acme");
	ck_assert_int_eq(s1->handling_pool, (int)sh);
	ck_assert(floor_agent_moving(&f, s1i));
	floor_pool_counts(&f, ded, counts);
	ck_assert_uint_eq(counts[PROTO_AS_BUSY], 1);
	ck_assert_uint_eq(counts[PROTO_AS_OFFLINE], 2);
	floor_pool_counts(&f, sh, counts);
	ck_assert_uint_eq(counts[PROTO_AS_BUSY], 0);
	ck_assert_uint_eq(counts[PROTO_AS_OFFLINE], 2);

	APPLY_OK(&f, ev_ended(&g, T0 + 4 * MIN, "acme", 1, "s1", 2 * MIN));
	ck_assert(floor_agent_moving(&f, s1i));
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 2 * MIN);
	APPLY_OK(&f, ev_wrapped(&g, T0 + 5 * MIN, "acme", 1, "s1", MIN));
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 3 * MIN);
	ck_assert(!floor_agent_moving(&f, s1i));
	ck_assert_int_eq(s1->handling_pool, -1);

	/* the next contact starts in the dedicated pool: not shared */
	APPLY_OK(&f, ev_answered(&g, T0 + 6 * MIN, "acme", 2, "s1", 0));
	ck_assert_int_eq(s1->handling_pool, (int)ded);
	APPLY_OK(&f, ev_ended(&g, T0 + 8 * MIN, "acme", 2, "s1", 2 * MIN));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 9 * MIN, "acme", 2, "s1", MIN));
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 3 * MIN);
	ck_assert_uint_eq(acme->cur.talk_ms, 4 * MIN);
	ck_assert_uint_eq(acme->cur.wrap_ms, 2 * MIN);

	/* and back to shared while busy on a dedicated contact */
	APPLY_OK(&f, ev_answered(&g, T0 + 10 * MIN, "acme", 3, "s1", 0));
	APPLY_OK(&f, ev_moved(&g, T0 + 11 * MIN, "s1", "ded-acme", "shared1"));
	ck_assert(floor_agent_moving(&f, s1i));
	APPLY_OK(&f, ev_ended(&g, T0 + 12 * MIN, "acme", 3, "s1", MIN));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 13 * MIN, "acme", 3, "s1", MIN));
	ck_assert_uint_eq(acme->cur.shared_handle_ms, 3 * MIN);
	ck_assert(!floor_agent_moving(&f, s1i));
	ck_assert(!floor_agent_moving(&f, 999));
	check_consistent(&f);
	floor_free(&f);
}
END_TEST

/* Publishers send agent.state alongside the contact events: repeating a
 * state already set must neither restart its clock nor count anything. */
START_TEST(test_state_repeats)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct floor_agent *a1;
	struct floor_tenant *acme;

	fixture(&f);
	a1 = AGENT(&f, "a1");
	acme = TENANT(&f, "acme");
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	ck_assert_int_eq(a1->def.since_ts, T0);
	APPLY_OK(&f, ev_answered(&g, T0 + MIN, "acme", 1, "a1", 0));
	APPLY_OK(&f, ev_state(&g, T0 + MIN + 10, "a1", PROTO_AS_BUSY, "acme"));
	ck_assert_int_eq(a1->def.since_ts, T0 + MIN);
	APPLY_OK(&f, ev_ended(&g, T0 + 3 * MIN, "acme", 1, "a1", 2 * MIN));
	APPLY_OK(&f, ev_state(&g, T0 + 3 * MIN + 5, "a1", PROTO_AS_WRAP, "acme"));
	ck_assert_int_eq(a1->def.since_ts, T0 + 3 * MIN);
	APPLY_OK(&f, ev_wrapped(&g, T0 + 4 * MIN, "acme", 1, "a1", MIN));
	APPLY_OK(&f, ev_state(&g, T0 + 4 * MIN + 5, "a1", PROTO_AS_IDLE, ""));
	ck_assert_int_eq(a1->def.state, PROTO_AS_IDLE);
	ck_assert_int_eq(a1->def.since_ts, T0 + 4 * MIN);
	ck_assert_uint_eq(a1->handled, 1);
	ck_assert_uint_eq(acme->cur.handled, 1);
	ck_assert_uint_eq(acme->cur.answered, 1);

	/* agent.state may name whom an agent serves, and clear it */
	APPLY_OK(&f, ev_state(&g, T0 + 5 * MIN, "a1", PROTO_AS_BUSY, "gamma"));
	ck_assert_int_eq(a1->serving, floor_tenant_find(&f, "gamma"));
	APPLY_OK(&f, ev_state(&g, T0 + 6 * MIN, "a1", PROTO_AS_IDLE, ""));
	ck_assert_int_eq(a1->serving, -1);
	ck_assert_str_eq(a1->def.tenant, "");

	/* a new contact starts a new busy period, even if a publisher said
	 * busy first */
	APPLY_OK(&f, ev_state(&g, T0 + 6 * MIN + 30 * SEC, "a1", PROTO_AS_BUSY, ""));
	APPLY_OK(&f, ev_answered(&g, T0 + 7 * MIN, "acme", 2, "a1", 0));
	ck_assert_int_eq(a1->def.since_ts, T0 + 7 * MIN);

	/* a break announced before the wrap ends is kept */
	APPLY_OK(&f, ev_ended(&g, T0 + 8 * MIN, "acme", 2, "a1", MIN));
	APPLY_OK(&f, ev_state(&g, T0 + 9 * MIN, "a1", PROTO_AS_BREAK, ""));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 9 * MIN, "acme", 2, "a1", MIN));
	ck_assert_int_eq(a1->def.state, PROTO_AS_BREAK);
	ck_assert_int_eq(a1->def.since_ts, T0 + 9 * MIN);
	ck_assert_uint_eq(a1->handled, 2);
	ck_assert_uint_eq(a1->def.contact, 0);
	check_consistent(&f);
	floor_free(&f);
}
END_TEST

/*
 * Staffed time of acme's dedicated pool, by hand (minutes after T0):
 *   a1 idle 10, break 40, offline 70        -> 60 staffed (break counts)
 *   a2 idle 20, moved to shared 50, back 80 -> 30 + (485 - 80) = 435
 *   shift.started Late at 485 (its start 480): 495 min in the Early row.
 * g1 (gamma) idle 30 -> 455 min; s1 in shared1 never counts.
 */
START_TEST(test_staffed_and_shift)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	uint32_t acme_i, gamma_i, beta_i;
	struct proto_stats_row row, *h;
	struct floor_tenant *acme;

	fixture(&f);
	acme_i = (uint32_t)floor_tenant_find(&f, "acme");
	beta_i = (uint32_t)floor_tenant_find(&f, "beta");
	gamma_i = (uint32_t)floor_tenant_find(&f, "gamma");
	acme = &f.tenants[acme_i];
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	ck_assert_int_eq(AGENT(&f, "a1")->def.acc_ts, T0);
	APPLY_OK(&f, ev_state(&g, T0 + 5 * MIN, "s1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 10 * MIN, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 20 * MIN, "a2", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 30 * MIN, "g1", PROTO_AS_IDLE, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 0);
	APPLY_OK(&f, ev_state(&g, T0 + 40 * MIN, "a1", PROTO_AS_BREAK, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 30 * MIN);
	ck_assert_uint_eq(floor_staffed_ms(&f, acme_i, T0 + 60 * MIN), (30 + 20 + 40) * MIN);
	APPLY_OK(&f, ev_moved(&g, T0 + 50 * MIN, "a2", "ded-acme", "shared1"));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 60 * MIN);
	APPLY_OK(&f, ev_state(&g, T0 + 70 * MIN, "a1", PROTO_AS_OFFLINE, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 90 * MIN);
	ck_assert_uint_eq(floor_staffed_ms(&f, acme_i, T0 + 100 * MIN), 90 * MIN);
	APPLY_OK(&f, ev_moved(&g, T0 + 80 * MIN, "a2", "shared1", "ded-acme"));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 90 * MIN);
	ck_assert_uint_eq(floor_staffed_ms(&f, acme_i, T0 + 100 * MIN), 110 * MIN);
	ck_assert_uint_eq(floor_staffed_ms(&f, beta_i, T0 + 100 * MIN), 0);
	ck_assert_uint_eq(floor_staffed_ms(&f, 99, T0 + 100 * MIN), 0);

	/* contacts over the shift, one queued after its planned end */
	APPLY_OK(&f, ev_queued(&g, T0 + 100 * MIN, "acme", 1));
	APPLY_OK(&f, ev_queued(&g, T0 + 470 * MIN, "acme", 2));
	APPLY_OK(&f, ev_queued(&g, T0 + 481 * MIN, "acme", 3));
	/* one handled in shared, one by a2 (busy and wrap are staffed too) */
	APPLY_OK(&f, ev_answered(&g, T0 + 100 * MIN, "acme", 1, "s1", 0));
	APPLY_OK(&f, ev_ended(&g, T0 + 101 * MIN, "acme", 1, "s1", MIN));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 101 * MIN + 30 * SEC, "acme", 1, "s1", 30 * SEC));
	APPLY_OK(&f, ev_answered(&g, T0 + 200 * MIN, "acme", 9, "a2", 0));
	APPLY_OK(&f, ev_ended(&g, T0 + 210 * MIN, "acme", 9, "a2", 10 * MIN));
	APPLY_OK(&f, ev_wrapped(&g, T0 + 212 * MIN, "acme", 9, "a2", 2 * MIN));
	ck_assert_uint_eq(AGENT(&f, "a2")->handled, 1);

	floor_stats_row(&f, acme_i, T0 + 240 * MIN, &row);
	ck_assert_str_eq(row.shift, "Early");
	ck_assert_int_eq(row.end_ts, T0 + 480 * MIN);
	ck_assert_uint_eq(row.dedicated_staffed_ms, (90 + 160) * MIN);
	ck_assert_uint_eq(row.shared_handle_ms, 90 * SEC);
	ck_assert_double_eq_tol(row.cost, 250.0 / 60.0 * 30.0 + 90.0 / 3600.0 * 45.0, 1e-9);

	APPLY_OK(&f, ev_shift(&g, T0 + 485 * MIN, "Late", T0 + 480 * MIN, T0 + 960 * MIN));
	ck_assert_uint_eq(f.n_history, 3);
	h = &f.history[acme_i];
	ck_assert_str_eq(h->tenant, "acme");
	ck_assert_str_eq(h->shift, "Early");
	ck_assert_int_eq(h->start_ts, T0);
	ck_assert_int_eq(h->end_ts, T0 + 480 * MIN);
	ck_assert_uint_eq(h->offered, 3);
	ck_assert_uint_eq(h->answered, 2);
	ck_assert_uint_eq(h->handled, 2);
	ck_assert_uint_eq(h->talk_ms, 11 * MIN);
	ck_assert_uint_eq(h->wrap_ms, 150 * SEC);
	ck_assert_uint_eq(h->dedicated_staffed_ms, 495 * MIN);
	ck_assert_uint_eq(h->shared_handle_ms, 90 * SEC);
	ck_assert_double_eq_tol(h->cost, 495.0 / 60.0 * 30.0 + 90.0 / 3600.0 * 45.0, 1e-9);
	/* 32 intervals in 8 h, stretched to the one counted after the end */
	ck_assert_uint_eq(h->n_intervals, 33);
	ck_assert_uint_eq(h->intervals[6], 1);
	ck_assert_uint_eq(h->intervals[31], 1);
	ck_assert_uint_eq(h->intervals[32], 1);
	ck_assert_uint_eq(f.history[gamma_i].dedicated_staffed_ms, 455 * MIN);
	ck_assert_str_eq(f.history[beta_i].tenant, "beta");
	ck_assert_uint_eq(f.history[beta_i].dedicated_staffed_ms, 0);
	ck_assert_uint_eq(f.history[beta_i].n_intervals, 32);
	ck_assert_double_eq(f.history[beta_i].cost, 0.0);

	/* the new shift starts from zero */
	ck_assert_str_eq(f.shift_name, "Late");
	ck_assert_int_eq(f.shift_start_ts, T0 + 480 * MIN);
	ck_assert_int_eq(f.shift_end_ts, T0 + 960 * MIN);
	ck_assert_uint_eq(acme->cur.offered, 0);
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 0);
	ck_assert_uint_eq(acme->cur.intervals[32], 0);
	ck_assert_uint_eq(AGENT(&f, "a2")->handled, 0);
	ck_assert_uint_eq(AGENT(&f, "a2")->def.handled, 0);
	ck_assert_uint_eq(acme->n_waiting, 2);
	ck_assert_uint_eq(floor_staffed_ms(&f, acme_i, T0 + 545 * MIN), 60 * MIN);
	floor_stats_row(&f, acme_i, T0 + 545 * MIN, &row);
	ck_assert_str_eq(row.shift, "Late");
	ck_assert_uint_eq(row.dedicated_staffed_ms, 60 * MIN);
	ck_assert_double_eq_tol(row.cost, 30.0, 1e-9);
	ck_assert_uint_eq(row.n_intervals, 32);

	/* a shift announced ahead of its start bills from its start */
	APPLY_OK(&f, ev_shift(&g, T0 + 560 * MIN, "Next", T0 + 570 * MIN, T0 + 600 * MIN));
	ck_assert_uint_eq(floor_staffed_ms(&f, acme_i, T0 + 590 * MIN), 20 * MIN);
	ck_assert_uint_eq(f.n_history, 6);

	/* a shift without a planned end closes at the event */
	APPLY_OK(&f, ev_shift(&g, T0 + 600 * MIN, "Extra", T0 + 600 * MIN, 0));
	APPLY_OK(&f, ev_shift(&g, T0 + 630 * MIN, "Night", T0 + 630 * MIN, T0 + 1110 * MIN));
	ck_assert_uint_eq(f.n_history, 12);
	h = &f.history[9 + acme_i];
	ck_assert_str_eq(h->shift, "Extra");
	ck_assert_int_eq(h->end_ts, T0 + 630 * MIN);
	ck_assert_uint_eq(h->dedicated_staffed_ms, 30 * MIN);
	ck_assert_uint_eq(h->n_intervals, 2);
	floor_free(&f);
}
END_TEST

/* Events stamped out of order must not bill the same span twice. */
/* Occupancy that can be read: busy and break time are cut at the shift's
 * edges exactly like staffed time, so a contact that runs over the
 * boundary cannot push the closing or the next row past 100%; break is
 * not available time; a tenant without a dedicated team has none. */
START_TEST(test_occupancy_sliced)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct proto_stats_row row, *h;
	struct stats st;
	uint32_t acme_i, beta_i;

	fixture(&f);
	acme_i = (uint32_t)floor_tenant_find(&f, "acme");
	beta_i = (uint32_t)floor_tenant_find(&f, "beta");
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 60 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0, "a2", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 10 * MIN, "a2", PROTO_AS_BREAK, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 40 * MIN, "a2", PROTO_AS_IDLE, ""));
	/* a1 takes a long call ten minutes before the shift ends */
	APPLY_OK(&f, ev_queued(&g, T0 + 50 * MIN, "acme", 1));
	APPLY_OK(&f, ev_answered(&g, T0 + 50 * MIN, "acme", 1, "a1", 0));
	APPLY_OK(&f, ev_shift(&g, T0 + 60 * MIN, "Late", T0 + 60 * MIN, T0 + 120 * MIN));
	ck_assert_uint_ge(f.n_history, 1);
	h = &f.history[f.n_history - f.n_tenants + acme_i];
	ck_assert(h->has_busy);
	ck_assert_uint_eq(h->dedicated_staffed_ms, 120 * MIN);
	ck_assert_uint_eq(h->dedicated_break_ms, 30 * MIN);
	ck_assert_uint_eq(h->dedicated_busy_ms, 10 * MIN);
	stats_compute(h, &f.tenants[acme_i].def, &st);
	ck_assert_double_eq_tol(st.occupancy, 10.0 / 90.0, 1e-9);

	/* The call ends 20 minutes into Late: 20 minutes of busy there, of
	 * 2 x 20 minutes on duty, whatever its talk time says. */
	APPLY_OK(&f, ev_ended(&g, T0 + 80 * MIN, "acme", 1, "a1", 30 * MIN));
	floor_stats_row(&f, acme_i, T0 + 80 * MIN, &row);
	ck_assert_uint_eq(row.dedicated_staffed_ms, 40 * MIN);
	ck_assert_uint_eq(row.dedicated_busy_ms, 20 * MIN);
	stats_compute(&row, &f.tenants[acme_i].def, &st);
	ck_assert_double_eq_tol(st.occupancy, 0.5, 1e-9);
	ck_assert_double_le(st.occupancy, 1.0);
	/* the talk-time formula would have read 30 of 40 minutes; a1's wrap
	 * goes on counting as busy */
	floor_stats_row(&f, acme_i, T0 + 90 * MIN, &row);
	ck_assert_uint_eq(row.dedicated_busy_ms, 30 * MIN);

	/* Shared-only: no team of its own, no occupancy to show (not 100%). */
	APPLY_OK(&f, ev_state(&g, T0 + 80 * MIN, "s1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + 81 * MIN, "beta", 2));
	APPLY_OK(&f, ev_answered(&g, T0 + 81 * MIN, "beta", 2, "s1", 0));
	APPLY_OK(&f, ev_ended(&g, T0 + 85 * MIN, "beta", 2, "s1", 4 * MIN));
	floor_stats_row(&f, beta_i, T0 + 90 * MIN, &row);
	stats_compute(&row, &f.tenants[beta_i].def, &st);
	ck_assert(isnan(st.occupancy));
	floor_free(&f);
}
END_TEST

START_TEST(test_clock_backwards)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct floor_tenant *acme;

	fixture(&f);
	acme = TENANT(&f, "acme");
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0 + 10 * MIN, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0 + 20 * MIN, "a1", PROTO_AS_BREAK, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 10 * MIN);
	APPLY_OK(&f, ev_state(&g, T0 + 15 * MIN, "a1", PROTO_AS_IDLE, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 10 * MIN);
	ck_assert_int_eq(AGENT(&f, "a1")->def.acc_ts, T0 + 20 * MIN);
	APPLY_OK(&f, ev_state(&g, T0 + 30 * MIN, "a1", PROTO_AS_OFFLINE, ""));
	ck_assert_uint_eq(acme->cur.dedicated_staffed_ms, 20 * MIN);
	ck_assert_int_eq(f.ts, T0 + 30 * MIN);
	floor_free(&f);
}
END_TEST

START_TEST(test_definitions)
{
	struct floor f;
	static const char *const ghost[] = { "ghost" };
	struct proto_pool p;
	struct proto_agent a;
	struct proto_tenant t;
	struct proto_shift_def sh;
	char (*sv)[PROTO_ID_MAX + 1];
	char id[PROTO_ID_MAX + 1];
	int sp;

	fixture(&f);
	memset(&sh, 0, sizeof(sh));
	strcpy(sh.name, "Early");
	ck_assert_int_eq(floor_add_shift(&f, &sh), -1);
	memset(&t, 0, sizeof(t));
	strcpy(t.id, "acme");
	ck_assert_int_eq(floor_add_tenant(&f, &t), -1);
	t.id[0] = '\0';
	ck_assert_int_eq(floor_add_tenant(&f, &t), -1);
	ck_assert_int_eq(try_add_pool(&f, "shared1", PROTO_POOL_SHARED, "", NULL, 0), -1);
	ck_assert_int_eq(try_add_pool(&f, "ded-x", PROTO_POOL_DEDICATED, "ghost", NULL, 0), -1);
	ck_assert_int_eq(try_add_pool(&f, "ded-acme2", PROTO_POOL_DEDICATED, "acme", NULL, 0), -1);
	ck_assert_int_eq(try_add_pool(&f, "shared2", PROTO_POOL_SHARED, "", ghost, 1), -1);
	ck_assert_int_eq(try_add_agent(&f, "a1", "shared1"), -1);
	ck_assert_int_eq(try_add_agent(&f, "a9", "nope"), -1);
	memset(&a, 0, sizeof(a));
	strcpy(a.id, "a9");
	strcpy(a.pool, "shared1");
	strcpy(a.tenant, "ghost");
	ck_assert_int_eq(floor_add_agent(&f, &a), -1);
	a.tenant[0] = '\0';
	strcpy(a.handling_pool, "nope");
	ck_assert_int_eq(floor_add_agent(&f, &a), -1);
	ck_assert_uint_eq(f.n_tenants, 3);
	ck_assert_uint_eq(f.n_pools, 3);
	ck_assert_uint_eq(f.n_agents, 6);
	ck_assert_int_eq(floor_agent_find(&f, "a9"), -1);

	ck_assert_int_eq(TENANT(&f, "acme")->dedicated_pool, floor_pool_find(&f, "ded-acme"));
	ck_assert_int_eq(TENANT(&f, "beta")->dedicated_pool, -1);
	ck_assert_int_eq(f.pools[floor_pool_find(&f, "ded-acme")].tenant,
	                 floor_tenant_find(&f, "acme"));
	ck_assert_int_eq(f.pools[floor_pool_find(&f, "shared1")].tenant, -1);

	/* the floor keeps its own copy of serves */
	sv = calloc(1, sizeof(*sv));
	ck_assert_ptr_nonnull(sv);
	memset(&p, 0, sizeof(p));
	strcpy(p.id, "shared2");
	strcpy(p.tenant, "acme");   /* meaningless for a shared pool: dropped */
	p.kind = PROTO_POOL_SHARED;
	p.n_serves = 1;
	p.serves = sv;
	strcpy(sv[0], "beta");
	sp = floor_add_pool(&f, &p);
	ck_assert_int_eq(sp, 3);
	strcpy(sv[0], "gamma");
	ck_assert(f.pools[sp].def.serves != sv);
	ck_assert_str_eq(f.pools[sp].def.serves[0], "beta");
	ck_assert_str_eq(f.pools[sp].def.tenant, "");
	free(sv);

	/* many more of each: every array moves, every index must follow */
	for (uint32_t i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "t%u", i);
		add_tenant(&f, id, PROTO_MODEL_DEDICATED, 20, 1, 1);
		ck_assert_int_eq(try_add_pool(&f, id, PROTO_POOL_DEDICATED, id, NULL, 0),
		                 (int)(4 + i));
	}
	for (uint32_t i = 0; i < 3000; i++) {
		char pool[PROTO_ID_MAX + 1];

		snprintf(id, sizeof(id), "x%u", i);
		snprintf(pool, sizeof(pool), "t%u", i % 200);
		ck_assert_int_eq(try_add_agent(&f, id, pool), (int)(6 + i));
	}
	for (uint32_t i = 0; i < 3000; i++) {
		snprintf(id, sizeof(id), "x%u", i);
		ck_assert_int_eq(floor_agent_find(&f, id), (int)(6 + i));
	}
	for (uint32_t i = 0; i < 200; i++) {
		snprintf(id, sizeof(id), "t%u", i);
		ck_assert_int_eq(floor_tenant_find(&f, id), (int)(3 + i));
		ck_assert_int_eq(floor_pool_find(&f, id), (int)(4 + i));
		ck_assert_int_eq(f.tenants[3 + i].dedicated_pool, (int)(4 + i));
	}
	ck_assert_int_eq(floor_agent_find(&f, "a1"), 0);
	ck_assert_int_eq(floor_tenant_find(&f, "gamma"), 2);
	ck_assert_int_eq(floor_pool_find(&f, "shared1"), 0);
	check_consistent(&f);
	floor_free(&f);
	/* a freed floor is empty and usable again */
	ck_assert_uint_eq(f.n_agents, 0);
	ck_assert_int_eq(floor_agent_find(&f, "a1"), -1);
	floor_free(&f);
}
END_TEST

/* ---------------------------------------------- random event sequences */

struct rgen {
	uint64_t s;
	uint64_t next_contact;
	int64_t ts;
	uint32_t n_shift;
	struct gen g;
};

static uint32_t
rnd(struct rgen *r, uint32_t n)
{
	/* xorshift64*: enough to shuffle a test, and the same on every run */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return (uint32_t)((r->s * 2685821657736338717ull) >> 33) % n;
}

static int
pick_agent(struct rgen *r, const struct floor *f, int want_state, bool want_contact)
{
	uint32_t start = rnd(r, f->n_agents);

	for (uint32_t k = 0; k < f->n_agents; k++) {
		const struct floor_agent *a = &f->agents[(start + k) % f->n_agents];

		if ((want_state < 0 || (int)a->def.state == want_state) &&
		    (a->def.contact != 0) == want_contact)
			return (int)((start + k) % f->n_agents);
	}
	return -1;
}

static int
pick_waiting(struct rgen *r, const struct floor *f)
{
	uint32_t start = rnd(r, f->n_tenants);

	for (uint32_t k = 0; k < f->n_tenants; k++)
		if (f->tenants[(start + k) % f->n_tenants].n_waiting)
			return (int)((start + k) % f->n_tenants);
	return -1;
}

static bool
gen_contact(struct rgen *r, const struct floor *f, uint32_t kind, struct proto_event *ev)
{
	int t, a;

	switch (kind) {
	case 0:
		t = (int)rnd(r, f->n_tenants);
		*ev = ev_queued(&r->g, r->ts, f->tenants[t].def.id, ++r->next_contact);
		ev->channel = (enum proto_channel)rnd(r, PROTO_CH__COUNT);
		return true;
	case 1:
		if ((t = pick_waiting(r, f)) < 0 ||
		    (a = pick_agent(r, f, PROTO_AS_IDLE, false)) < 0)
			return false;
		*ev = ev_answered(&r->g, r->ts, f->tenants[t].def.id,
		                  f->tenants[t].waiting[0].contact, f->agents[a].def.id,
		                  (uint64_t)(r->ts - f->tenants[t].waiting[0].ts));
		return true;
	case 2: {
		uint32_t i;

		if ((t = pick_waiting(r, f)) < 0)
			return false;
		i = rnd(r, f->tenants[t].n_waiting);
		*ev = ev_abandoned(&r->g, r->ts, f->tenants[t].def.id,
		                   f->tenants[t].waiting[i].contact,
		                   (uint64_t)(r->ts - f->tenants[t].waiting[i].ts));
		return true;
	}
	case 3:
		if ((a = pick_agent(r, f, PROTO_AS_BUSY, true)) < 0)
			return false;
		*ev = ev_ended(&r->g, r->ts, f->agents[a].def.tenant, f->agents[a].def.contact,
		               f->agents[a].def.id, rnd(r, 600000));
		return true;
	default:
		if ((a = pick_agent(r, f, PROTO_AS_WRAP, true)) < 0)
			return false;
		*ev = ev_wrapped(&r->g, r->ts, f->agents[a].def.tenant, f->agents[a].def.contact,
		                 f->agents[a].def.id, rnd(r, 120000));
		return true;
	}
}

static bool
gen_other(struct rgen *r, const struct floor *f, uint32_t kind, struct proto_event *ev)
{
	static const enum proto_agent_state st[] = {
		PROTO_AS_OFFLINE, PROTO_AS_IDLE, PROTO_AS_IDLE, PROTO_AS_BREAK
	};
	char name[PROTO_ID_MAX + 1];
	int a;

	switch (kind) {
	case 5:
		if ((a = pick_agent(r, f, -1, false)) < 0)
			return false;
		*ev = ev_state(&r->g, r->ts, f->agents[a].def.id, st[rnd(r, 4)],
		               rnd(r, 4) ? "" : f->tenants[rnd(r, f->n_tenants)].def.id);
		return true;
	case 6:
		a = (int)rnd(r, f->n_agents);
		*ev = ev_moved(&r->g, r->ts, f->agents[a].def.id, f->agents[a].def.pool,
		               f->pools[rnd(r, f->n_pools)].def.id);
		return true;
	default:
		snprintf(name, sizeof(name), "S%u", ++r->n_shift);
		*ev = ev_shift(&r->g, r->ts, name, r->ts - (int64_t)rnd(r, 600000),
		               rnd(r, 3) ? r->ts + 8 * 60 * MIN : 0);
		return true;
	}
}

/* A valid event for the floor as it stands (contacts answered, ended and
 * wrapped in order), with seq and a clock that only moves forward. */
static struct proto_event
gen_event(struct rgen *r, const struct floor *f)
{
	/* queued, answered, abandoned, ended, wrapped, state, moved, shift */
	static const uint32_t weight[] = { 25, 20, 6, 16, 16, 10, 6, 1 };
	struct proto_event ev;

	r->ts += rnd(r, 20000);
	for (;;) {
		uint32_t x = rnd(r, 100), kind = 0;
		uint64_t seq = r->g.seq;

		while (x >= weight[kind])
			x -= weight[kind++];
		if (kind <= 4 ? gen_contact(r, f, kind, &ev) : gen_other(r, f, kind, &ev))
			return ev;
		r->g.seq = seq;
	}
}

/* acme, beta, gamma plus r0..r3 each with a dedicated pool, a second
 * shared pool, and 30 more agents spread over every pool. */
static void
big_fixture(struct floor *f)
{
	static const char *const some[] = { "beta", "r0", "r1", "r2", "r3" };
	char id[PROTO_ID_MAX + 1];

	fixture(f);
	for (uint32_t i = 0; i < 4; i++) {
		snprintf(id, sizeof(id), "r%u", i);
		add_tenant(f, id, (enum proto_model)(i % 3), 10 + 10 * i, 25 + i, 40 + i);
		ck_assert_int_ge(try_add_pool(f, id, PROTO_POOL_DEDICATED, id, NULL, 0), 0);
	}
	ck_assert_int_ge(try_add_pool(f, "shared2", PROTO_POOL_SHARED, "", some, 5), 0);
	for (uint32_t i = 0; i < 30; i++) {
		snprintf(id, sizeof(id), "ag%u", i);
		ck_assert_int_ge(try_add_agent(f, id, f->pools[i % f->n_pools].def.id), 0);
	}
}

static void
apply_both(struct rgen *r, struct floor *f, struct floor *f2, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		struct proto_event ev = gen_event(r, f);

		ck_assert_int_eq(floor_apply(f, &ev, true), FLOOR_APPLIED);
		if (f2)
			ck_assert_int_eq(floor_apply(f2, &ev, true), FLOOR_APPLIED);
	}
}

static void
roundtrip(struct floor *f, struct floor *f2)
{
	struct proto_snapshot s1, s2;

	ck_assert_int_eq(floor_to_snapshot(f, &s1), 0);
	ck_assert_int_eq(floor_from_snapshot(f2, &s1), 0);
	ck_assert_int_eq(floor_to_snapshot(f2, &s2), 0);
	eq_snapshot(&s1, &s2);
	eq_floor(f, f2);
	check_consistent(f2);
	snap_free(&s1);
	snap_free(&s2);
}

static void
compare_now(struct floor *f, struct floor *f2)
{
	struct proto_snapshot s1, s2;

	ck_assert_int_eq(floor_to_snapshot(f, &s1), 0);
	ck_assert_int_eq(floor_to_snapshot(f2, &s2), 0);
	eq_snapshot(&s1, &s2);
	eq_floor(f, f2);
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		struct proto_stats_row r1, r2;

		floor_stats_row(f, t, f->ts + 3 * MIN, &r1);
		floor_stats_row(f2, t, f2->ts + 3 * MIN, &r2);
		eq_row(&r1, &r2);
	}
	snap_free(&s1);
	snap_free(&s2);
}

START_TEST(test_snapshot_roundtrip)
{
	struct floor f, f2;
	struct rgen r;
	uint64_t hist0;
	uint64_t busy = 0, moving = 0, waiting = 0;

	memset(&r, 0, sizeof(r));
	r.s = 0x9e3779b97f4a7c15ull + (uint64_t)_i;
	r.ts = T0;
	r.g.epoch = EPOCH;
	big_fixture(&f);
	floor_init(&f2);
	APPLY_OK(&f, ev_shift(&r.g, T0, "S0", T0, T0 + 480 * MIN));
	apply_both(&r, &f, NULL, 1000);
	check_consistent(&f);
	/* the sequence must have reached the interesting states */
	for (uint32_t i = 0; i < f.n_agents; i++) {
		busy += f.agents[i].def.contact != 0;
		moving += floor_agent_moving(&f, i);
	}
	for (uint32_t t = 0; t < f.n_tenants; t++)
		waiting += f.tenants[t].n_waiting;
	ck_assert_uint_gt(busy + waiting, 0);
	ck_assert_uint_gt(f.n_history, 0);
	(void)moving;

	roundtrip(&f, &f2);
	ck_assert_uint_eq(f2.n_history, 0);
	hist0 = f.n_history;
	apply_both(&r, &f, &f2, 1000);
	compare_now(&f, &f2);
	/* shifts closed after the round trip close the same on both */
	ck_assert_uint_eq(f.n_history - hist0, f2.n_history);
	for (uint32_t i = 0; i < f2.n_history; i++)
		eq_row(&f.history[hist0 + i], &f2.history[i]);
	check_consistent(&f);
	check_consistent(&f2);
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

/* Moving agents appear in random runs only by luck; force the case. */
START_TEST(test_snapshot_moving)
{
	struct floor f, f2;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot s;

	fixture(&f);
	floor_init(&f2);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "s1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "beta", 2));
	APPLY_OK(&f, ev_answered(&g, T0 + 2 * MIN, "acme", 1, "s1", MIN));
	APPLY_OK(&f, ev_moved(&g, T0 + 3 * MIN, "s1", "shared1", "ded-acme"));
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);
	ck_assert_uint_eq(s.epoch, EPOCH);
	ck_assert_uint_eq(s.seq, g.seq);
	ck_assert_int_eq(s.ts, T0 + 3 * MIN);
	ck_assert_str_eq(s.shift_name, "Early");
	ck_assert_int_eq(s.shift_start_ts, T0);
	ck_assert_int_eq(s.shift_end_ts, T0 + 480 * MIN);
	ck_assert_uint_eq(s.n_shifts, 2);
	ck_assert_str_eq(s.shifts[1].start, "14:00");
	ck_assert_uint_eq(s.n_pools, 3);
	ck_assert_uint_eq(s.pools[0].n_serves, 3);
	ck_assert_str_eq(s.pools[0].serves[2], "gamma");
	ck_assert_str_eq(s.pools[1].tenant, "acme");
	ck_assert(s.pools[0].serves != f.pools[0].def.serves);
	ck_assert_str_eq(s.agents[3].id, "s1");
	ck_assert_str_eq(s.agents[3].pool, "ded-acme");
	ck_assert_str_eq(s.agents[3].handling_pool, "shared1");
	ck_assert_str_eq(s.agents[3].tenant, "acme");
	ck_assert_uint_eq(s.agents[3].contact, 1);
	ck_assert_int_eq(s.agents[3].state, PROTO_AS_BUSY);
	ck_assert_int_eq(s.agents[3].since_ts, T0 + 2 * MIN);
	ck_assert_int_eq(s.agents[3].acc_ts, T0 + 3 * MIN);
	ck_assert_uint_eq(s.n_queues, 3);
	ck_assert_str_eq(s.queues[1].tenant, "beta");
	ck_assert_uint_eq(s.queues[1].waiting, 1);
	ck_assert_int_eq(s.queues[1].oldest_ts, T0 + MIN);
	ck_assert_uint_eq(s.queues[1].contacts[0].contact, 2);
	ck_assert_uint_eq(s.queues[0].waiting, 0);
	ck_assert_int_eq(s.queues[0].oldest_ts, 0);
	ck_assert_uint_eq(s.n_stats, 3);
	ck_assert_str_eq(s.stats[0].tenant, "acme");
	ck_assert_str_eq(s.stats[0].shift, "Early");
	ck_assert_uint_eq(s.stats[0].offered, 1);
	ck_assert_uint_eq(s.stats[0].answered, 1);
	/* a1 is still on duty: its open interval is not in the row */
	ck_assert_uint_eq(s.stats[0].dedicated_staffed_ms, 0);
	ck_assert_uint_eq(s.stats[0].n_intervals, 32);
	ck_assert_uint_eq(s.stats[0].intervals[0], 1);
	snap_free(&s);

	roundtrip(&f, &f2);
	ck_assert(floor_agent_moving(&f2, (uint32_t)floor_agent_find(&f2, "s1")));
	ck_assert_uint_eq(TENANT(&f2, "beta")->n_waiting, 1);
	ck_assert_uint_eq(f2.seq, g.seq);
	/* open intervals (a1 since T0, s1 since its move at 3 min) are not
	 * counted twice */
	ck_assert_uint_eq(floor_staffed_ms(&f2, 0, T0 + 10 * MIN), (10 + 7) * MIN);
	APPLY_OK(&f2, ev_ended(&g, T0 + 4 * MIN, "acme", 1, "s1", MIN));
	APPLY_OK(&f2, ev_wrapped(&g, T0 + 5 * MIN, "acme", 1, "s1", MIN));
	ck_assert_uint_eq(TENANT(&f2, "acme")->cur.shared_handle_ms, 2 * MIN);
	ck_assert(!floor_agent_moving(&f2, (uint32_t)floor_agent_find(&f2, "s1")));
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

START_TEST(test_snapshot_rejects)
{
	struct floor f, f2;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot s;
	char saved[PROTO_ID_MAX + 1];

	fixture(&f);
	floor_init(&f2);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	APPLY_OK(&f, ev_answered(&g, T0 + 2 * MIN, "gamma", 5, "g1", MIN));
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);

#define REJECTS(field) do { \
		memcpy(saved, (field), sizeof(saved)); \
		strcpy((field), "nope"); \
		ck_assert_int_eq(floor_from_snapshot(&f2, &s), -1); \
		ck_assert_uint_eq(f2.n_tenants + f2.n_pools + f2.n_agents + f2.n_shifts, 0); \
		ck_assert_int_eq(floor_tenant_find(&f2, "acme"), -1); \
		memcpy((field), saved, sizeof(saved)); \
		ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0); \
		ck_assert_uint_eq(f2.n_agents, 6); \
	} while (0)

	REJECTS(s.agents[0].pool);
	REJECTS(s.agents[2].tenant);
	REJECTS(s.agents[2].handling_pool);
	REJECTS(s.pools[1].tenant);
	REJECTS(s.pools[0].serves[1]);
	REJECTS(s.queues[0].tenant);
	REJECTS(s.stats[2].tenant);
#undef REJECTS
	/* duplicates are rejected too */
	memcpy(s.agents[1].id, s.agents[0].id, sizeof(s.agents[0].id));
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), -1);
	ck_assert_uint_eq(f2.n_agents, 0);
	strcpy(s.agents[1].id, "a2");

	/* the queue is its contacts list: `waiting` is not trusted, so a
	 * count with no list behind it costs nothing */
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0);
	ck_assert_uint_eq(TENANT(&f2, "acme")->n_waiting, 1);
	s.queues[0].waiting = UINT32_MAX;
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0);
	ck_assert_uint_eq(TENANT(&f2, "acme")->n_waiting, 1);
	ck_assert_uint_eq(TENANT(&f2, "acme")->waiting[0].contact, 1);
	free(s.queues[0].contacts);
	s.queues[0].contacts = NULL;
	s.queues[0].n_contacts = 0;
	for (uint32_t i = 0; i < s.n_queues; i++)
		s.queues[i].waiting = PROTO_QUEUE_CONTACTS_MAX;
	s.queues[0].oldest_ts = T0 + 42;
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0);
	for (uint32_t t = 0; t < f2.n_tenants; t++) {
		ck_assert_uint_eq(f2.tenants[t].n_waiting, 0);
		ck_assert_uint_eq(f2.tenants[t].cap_waiting, 0);
	}
	snap_free(&s);
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

/* A snapshot with a timestamp out of 0..FLOOR_TS_MAX anywhere is refused
 * whole: the replica would compute spans from it. */
START_TEST(test_snapshot_rejects_timestamps)
{
	static const int64_t bad[] = { INT64_MIN, -1, FLOOR_TS_MAX + 1, INT64_MAX };
	struct floor f, f2;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot s;

	fixture(&f);
	floor_init(&f2);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	APPLY_OK(&f, ev_state(&g, T0, "a1", PROTO_AS_IDLE, ""));
	APPLY_OK(&f, ev_queued(&g, T0 + MIN, "acme", 1));
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0);

#define REJECTS_TS(field) do { \
		int64_t saved_ = (field); \
		for (size_t i_ = 0; i_ < sizeof(bad) / sizeof(bad[0]); i_++) { \
			(field) = bad[i_]; \
			ck_assert_int_eq(floor_from_snapshot(&f2, &s), -1); \
			ck_assert_uint_eq(f2.n_tenants + f2.n_agents, 0); \
		} \
		(field) = saved_; \
		ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0); \
	} while (0)

	REJECTS_TS(s.ts);
	REJECTS_TS(s.shift_start_ts);
	REJECTS_TS(s.shift_end_ts);
	REJECTS_TS(s.agents[0].since_ts);
	REJECTS_TS(s.agents[0].acc_ts);
	REJECTS_TS(s.queues[0].oldest_ts);
	REJECTS_TS(s.queues[0].contacts[0].ts);
	REJECTS_TS(s.stats[1].start_ts);
	REJECTS_TS(s.stats[1].end_ts);
#undef REJECTS_TS
	snap_free(&s);
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

/* A replica closes a row per tenant at every shift.started; trimming keeps
 * the newest rows, in order, and the floor goes on closing shifts. */
START_TEST(test_history_trim)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };

	fixture(&f);
	for (int i = 0; i < 5; i++)
		APPLY_OK(&f, ev_shift(&g, T0 + i * 480 * MIN, i % 2 ? "Late" : "Early",
		                      T0 + i * 480 * MIN, T0 + (i + 1) * 480 * MIN));
	ck_assert_uint_eq(f.n_history, 4 * 3);       /* four closed shifts, three tenants */
	floor_history_trim(&f, 100);
	ck_assert_uint_eq(f.n_history, 12);
	floor_history_trim(&f, 4);
	ck_assert_uint_eq(f.n_history, 4);
	/* the newest: the last tenant of shift 3, then all of shift 4 */
	ck_assert_int_eq(f.history[0].start_ts, T0 + 2 * 480 * MIN);
	ck_assert_str_eq(f.history[0].tenant, "gamma");
	for (int i = 1; i < 4; i++) {
		ck_assert_int_eq(f.history[i].start_ts, T0 + 3 * 480 * MIN);
		ck_assert_str_eq(f.history[i].tenant, f.tenants[i - 1].def.id);
	}
	APPLY_OK(&f, ev_shift(&g, T0 + 5 * 480 * MIN, "Late", T0 + 5 * 480 * MIN, T0 + 6 * 480 * MIN));
	ck_assert_uint_eq(f.n_history, 7);
	ck_assert_int_eq(f.history[6].start_ts, T0 + 4 * 480 * MIN);
	floor_history_trim(&f, 0);
	ck_assert_uint_eq(f.n_history, 0);
	floor_free(&f);
}
END_TEST

/* However long a queue the floor holds, its snapshot lists no more than a
 * receiver accepts (the oldest contacts), so it stays decodable. */
START_TEST(test_snapshot_queue_cap)
{
	struct floor f;
	struct gen g = { EPOCH, 0 };
	struct proto_snapshot s;
	struct proto_reply rp, back;
	struct proto_buf b;
	const uint32_t n = PROTO_QUEUE_CONTACTS_MAX + 5;

	fixture(&f);
	APPLY_OK(&f, ev_shift(&g, T0, "Early", T0, T0 + 480 * MIN));
	for (uint32_t i = 0; i < n; i++)
		APPLY_OK(&f, ev_queued(&g, T0 + i, "beta", i + 1));
	ck_assert_uint_eq(TENANT(&f, "beta")->n_waiting, n);
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);
	ck_assert_uint_eq(s.queues[1].n_contacts, PROTO_QUEUE_CONTACTS_MAX);
	ck_assert_uint_eq(s.queues[1].waiting, PROTO_QUEUE_CONTACTS_MAX);
	ck_assert_uint_eq(s.queues[1].contacts[0].contact, 1);
	ck_assert_int_eq(s.queues[1].oldest_ts, T0);
	ck_assert_uint_eq(s.queues[1].contacts[PROTO_QUEUE_CONTACTS_MAX - 1].contact,
	                  PROTO_QUEUE_CONTACTS_MAX);
	memset(&rp, 0, sizeof(rp));
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	rp.snapshot = &s;
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), 0);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_SNAPSHOT, &back), PROTO_OK);
	ck_assert_uint_eq(back.snapshot->queues[1].n_contacts, PROTO_QUEUE_CONTACTS_MAX);
	proto_reply_free(&back);
	proto_buf_free(&b);
	snap_free(&s);
	floor_free(&f);
}
END_TEST

static Suite *
floor_suite(void)
{
	Suite *s = suite_create("floor");
	TCase *tc = tcase_create("apply");
	TCase *ts = tcase_create("snapshot");

	tcase_add_test(tc, test_contact_counters);
	tcase_add_test(tc, test_boundaries);
	tcase_add_test(tc, test_seq);
	tcase_add_test(tc, test_rejected);
	tcase_add_test(tc, test_rejected_timestamps);
	tcase_add_test(tc, test_move_busy);
	tcase_add_test(tc, test_state_repeats);
	tcase_add_test(tc, test_staffed_and_shift);
	tcase_add_test(tc, test_occupancy_sliced);
	tcase_add_test(tc, test_clock_backwards);
	tcase_add_test(tc, test_definitions);
	tcase_add_test(tc, test_history_trim);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(ts, test_snapshot_roundtrip, 0, 4);
	tcase_add_test(ts, test_snapshot_moving);
	tcase_add_test(ts, test_snapshot_rejects);
	tcase_add_test(ts, test_snapshot_queue_cap);
	tcase_add_test(ts, test_snapshot_rejects_timestamps);
	tcase_set_timeout(ts, 60);
	suite_add_tcase(s, ts);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(floor_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
