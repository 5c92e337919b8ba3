/*
 * The simulator's routing, checked by an oracle: every contact.answered is
 * compared, before it is applied, with what DESIGN §4 allows given the
 * floor as the events built it (dedicated first, overflow after
 * overflow_sec, hybrid by business hours, longest-idle agent).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "pooltop/scenario.h"
#include "pooltop/sim.h"

#define DAY_MS 86400000LL
/* 2026-11-02 00:00:00 UTC, a Monday; tz offset 0 in these tests */
#define T0 1793577600000LL

struct run {
	struct floor floor;
	const struct scenario *sc;
	struct sim *sim;
	uint64_t seq;
	uint64_t hash;
	uint64_t n_events;
	uint64_t answered_dedicated;
	uint64_t answered_shared;
	uint64_t answered_shared_overflow;   /* a dedicated-routed contact overflowed */
	uint64_t answered_shared_closed;     /* hybrid outside hours, straight to shared */
	uint64_t abandoned;
	uint64_t abandoned_zero_wait;
	uint64_t abandon_wait_min, abandon_wait_max;
	uint64_t shifts_started;
	int64_t window_from, window_to;      /* contact.queued counted in [from, to) */
	uint64_t queued_in_window;
	uint32_t violations;
	char first_violation[256];
};

/* ------------------------------------------------------------ scenarios */

static void
sc_tenant(struct scenario *sc, const char *id, enum proto_model m, double per_hour,
          uint32_t overflow, uint32_t open_min, uint32_t close_min)
{
	struct scenario_tenant *t = &sc->tenants[sc->n_tenants++];

	memset(t, 0, sizeof *t);
	proto_strlcpy(t->def.id, id, PROTO_ID_MAX);
	proto_strlcpy(t->def.name, id, PROTO_NAME_MAX);
	t->def.model = m;
	t->def.sl_pct = 80;
	t->def.sl_sec = 20;
	t->def.overflow_sec = overflow;
	t->def.dedicated_rate = 30;
	t->def.shared_rate = 40;
	t->open_min = open_min;
	t->close_min = close_min;
	for (int h = 0; h < 24; h++)
		t->rate_per_hour[h] = per_hour;
	t->talk_mean_s = 240;
	t->talk_cv = 0.5;
	t->wrap_mean_s = 30;
	t->patience_mean_s = 120;
	t->channel_mix[PROTO_CH_VOICE] = 0.8;
	t->channel_mix[PROTO_CH_CHAT] = 0.2;
}

static void
sc_pool(struct scenario *sc, const char *id, enum proto_pool_kind k, const char *tenant,
        const char *serves[], uint32_t n_serves, uint32_t agents, uint32_t mask)
{
	struct scenario_pool *p = &sc->pools[sc->n_pools];

	memset(p, 0, sizeof *p);
	proto_strlcpy(p->def.id, id, PROTO_ID_MAX);
	p->def.kind = k;
	if (tenant)
		proto_strlcpy(p->def.tenant, tenant, PROTO_ID_MAX);
	p->def.n_serves = n_serves;
	p->def.serves = calloc(n_serves ? n_serves : 1, sizeof *p->def.serves);
	for (uint32_t i = 0; i < n_serves; i++)
		proto_strlcpy(p->def.serves[i], serves[i], PROTO_ID_MAX);
	for (uint32_t i = 0; i < agents; i++) {
		struct scenario_agent *a = &sc->agents[sc->n_agents];
		snprintf(a->id, sizeof a->id, "a%03u", sc->n_agents);
		snprintf(a->name, sizeof a->name, "Agent %u", sc->n_agents);
		a->pool = sc->n_pools;
		a->shift_mask = mask;
		sc->n_agents++;
	}
	sc->n_pools++;
}

static void
sc_shift(struct scenario *sc, const char *name, uint32_t start, uint32_t end)
{
	struct scenario_shift *s = &sc->shifts[sc->n_shifts++];

	memset(s, 0, sizeof *s);
	proto_strlcpy(s->def.name, name, PROTO_ID_MAX);
	snprintf(s->def.start, sizeof s->def.start, "%02u:%02u", (start / 60) % 24, start % 60);
	snprintf(s->def.end, sizeof s->def.end, "%02u:%02u", (end / 60) % 24, end % 60);
	s->start_min = start;
	s->end_min = end;
}

static void
sc_free(struct scenario *sc)
{
	for (uint32_t i = 0; i < sc->n_pools; i++)
		free(sc->pools[i].def.serves);
	free(sc->tenants);
	free(sc->pools);
	free(sc->agents);
}

/* Three tenants, one of each model, one shared pool serving all three:
 * loaded enough that queues form and contacts overflow. */
static void
sc_mixed(struct scenario *sc, uint32_t a_mask, uint32_t b_mask)
{
	static const char *serves[] = { "ded", "shr", "hyb" };

	memset(sc, 0, sizeof *sc);
	sc->tenants = calloc(8, sizeof *sc->tenants);
	sc->pools = calloc(8, sizeof *sc->pools);
	sc->agents = calloc(64, sizeof *sc->agents);
	sc->break_every_min = 120;
	sc->break_min = 15;
	sc_shift(sc, "A", 0, 720);
	sc_shift(sc, "B", 720, 0);
	sc_tenant(sc, "ded", PROTO_MODEL_DEDICATED, 60, 20, 0, 0);
	sc_tenant(sc, "shr", PROTO_MODEL_SHARED, 40, 0, 0, 0);
	sc_tenant(sc, "hyb", PROTO_MODEL_HYBRID, 50, 30, 9 * 60, 17 * 60);
	sc_pool(sc, "d-ded", PROTO_POOL_DEDICATED, "ded", NULL, 0, 4, a_mask | b_mask);
	sc_pool(sc, "d-hyb", PROTO_POOL_DEDICATED, "hyb", NULL, 0, 3, a_mask);
	sc_pool(sc, "s-all", PROTO_POOL_SHARED, NULL, serves, 3, 6, a_mask | b_mask);
}

/* ------------------------------------------------------------ the oracle */

static void
run_violation(struct run *r, const char *what, const struct proto_event *ev)
{
	if (r->violations++ == 0)
		snprintf(r->first_violation, sizeof r->first_violation,
		         "%s (contact %llu, agent %s, tenant %s, wait %llu ms)", what,
		         (unsigned long long)ev->contact, ev->agent, ev->tenant,
		         (unsigned long long)ev->wait_ms);
}

static bool
run_tenant_open(const struct run *r, int t, int64_t ts)
{
	const struct scenario_tenant *st = &r->sc->tenants[t];
	uint32_t m = (uint32_t)(((ts / 60000) % 1440 + 1440) % 1440);

	if (st->open_min == st->close_min)
		return true;
	if (st->open_min < st->close_min)
		return m >= st->open_min && m < st->close_min;
	return m >= st->open_min || m < st->close_min;
}

static bool
run_pool_serves(const struct floor *f, int p, int t)
{
	const struct floor_pool *pl = &f->pools[p];

	if (pl->def.kind == PROTO_POOL_DEDICATED)
		return pl->tenant == t;
	for (uint32_t i = 0; i < pl->def.n_serves; i++)
		if (strcmp(pl->def.serves[i], f->tenants[t].def.id) == 0)
			return true;
	return false;
}

/* The smallest since_ts among idle agents in pools of the given kind that
 * serve tenant t; INT64_MAX when none is idle. */
static int64_t
run_min_idle(const struct floor *f, int t, enum proto_pool_kind kind)
{
	int64_t best = INT64_MAX;

	for (uint32_t a = 0; a < f->n_agents; a++) {
		const struct floor_agent *ag = &f->agents[a];
		if (ag->def.state != PROTO_AS_IDLE || f->pools[ag->pool].def.kind != kind)
			continue;
		if (run_pool_serves(f, ag->pool, t) && ag->def.since_ts < best)
			best = ag->def.since_ts;
	}
	return best;
}

static void
run_check_answer(struct run *r, const struct proto_event *ev)
{
	const struct floor *f = &r->floor;
	int t = floor_tenant_find(f, ev->tenant), a = floor_agent_find(f, ev->agent);
	const struct floor_agent *ag;
	enum proto_model model;
	bool shared, closed;

	if (t < 0 || a < 0) {
		run_violation(r, "answered names an unknown tenant or agent", ev);
		return;
	}
	ag = &f->agents[a];
	model = f->tenants[t].def.model;
	shared = f->pools[ag->pool].def.kind == PROTO_POOL_SHARED;
	closed = model == PROTO_MODEL_HYBRID && !run_tenant_open(r, t, ev->ts);
	if (ag->def.state != PROTO_AS_IDLE)
		run_violation(r, "answered by an agent who was not idle", ev);
	if (!run_pool_serves(f, ag->pool, t))
		run_violation(r, "answered by an agent whose pool does not serve the tenant", ev);
	if (!shared) {
		r->answered_dedicated++;
		if (ag->def.since_ts > run_min_idle(f, t, PROTO_POOL_DEDICATED))
			run_violation(r, "dedicated answer not by the longest-idle agent", ev);
		if (closed && run_min_idle(f, t, PROTO_POOL_SHARED) != INT64_MAX)
			run_violation(r, "closed hybrid went to dedicated while shared was idle", ev);
		return;
	}
	r->answered_shared++;
	if (ag->def.since_ts > run_min_idle(f, t, PROTO_POOL_SHARED))
		run_violation(r, "shared answer not by the longest-idle agent", ev);
	if (model == PROTO_MODEL_SHARED)
		return;
	if (closed) {
		r->answered_shared_closed++;
		return;
	}
	/* Routed dedicated: shared only after overflow_sec, and only when no
	 * dedicated agent is free. */
	r->answered_shared_overflow++;
	if (ev->wait_ms < (uint64_t)f->tenants[t].def.overflow_sec * 1000)
		run_violation(r, "overflowed to shared before overflow_sec", ev);
	if (run_min_idle(f, t, PROTO_POOL_DEDICATED) != INT64_MAX)
		run_violation(r, "went to shared while a dedicated agent was idle", ev);
}

static uint64_t
run_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static uint64_t
run_mix_str(uint64_t h, const char *s)
{
	while (*s)
		h = run_mix(h, (unsigned char)*s++);
	return h;
}

static void
run_on_event(void *ctx, struct proto_event *ev)
{
	struct run *r = ctx;
	enum floor_apply_result res;

	ev->epoch = 1;
	ev->seq = ++r->seq;
	r->n_events++;
	r->hash = run_mix(r->hash, (uint64_t)ev->type);
	r->hash = run_mix(r->hash, (uint64_t)ev->ts);
	r->hash = run_mix(r->hash, ev->contact);
	r->hash = run_mix(r->hash, ev->wait_ms ^ (ev->talk_ms << 1) ^ (ev->wrap_ms << 2));
	r->hash = run_mix_str(r->hash, ev->agent);
	r->hash = run_mix_str(r->hash, ev->tenant);
	if (ev->type == PROTO_EV_CONTACT_ANSWERED)
		run_check_answer(r, ev);
	if (ev->type == PROTO_EV_CONTACT_ABANDONED) {
		if (r->abandoned++ == 0 || ev->wait_ms < r->abandon_wait_min)
			r->abandon_wait_min = ev->wait_ms;
		if (ev->wait_ms > r->abandon_wait_max)
			r->abandon_wait_max = ev->wait_ms;
		r->abandoned_zero_wait += ev->wait_ms == 0;
	}
	if (ev->type == PROTO_EV_SHIFT_STARTED)
		r->shifts_started++;
	if (ev->type == PROTO_EV_CONTACT_QUEUED && ev->ts >= r->window_from && ev->ts < r->window_to)
		r->queued_in_window++;
	res = floor_apply(&r->floor, ev, true);
	if (res != FLOOR_APPLIED)
		run_violation(r, "the floor model refused a simulator event", ev);
}

static void
run_init(struct run *r, const struct scenario *sc, uint64_t seed, int64_t start)
{
	memset(r, 0, sizeof *r);
	r->sc = sc;
	floor_init(&r->floor);
	r->floor.epoch = 1;
	for (uint32_t i = 0; i < sc->n_shifts; i++)
		ck_assert_int_ge(floor_add_shift(&r->floor, &sc->shifts[i].def), 0);
	for (uint32_t i = 0; i < sc->n_tenants; i++)
		ck_assert_int_ge(floor_add_tenant(&r->floor, &sc->tenants[i].def), 0);
	for (uint32_t i = 0; i < sc->n_pools; i++)
		ck_assert_int_ge(floor_add_pool(&r->floor, &sc->pools[i].def), 0);
	for (uint32_t i = 0; i < sc->n_agents; i++) {
		struct proto_agent a;
		memset(&a, 0, sizeof a);
		proto_strlcpy(a.id, sc->agents[i].id, PROTO_ID_MAX);
		proto_strlcpy(a.pool, sc->pools[sc->agents[i].pool].def.id, PROTO_ID_MAX);
		a.state = PROTO_AS_OFFLINE;
		a.since_ts = a.acc_ts = start;
		ck_assert_int_ge(floor_add_agent(&r->floor, &a), 0);
	}
	r->sim = sim_new(sc, seed, start, 0, run_on_event, r);
	ck_assert_ptr_nonnull(r->sim);
}

static void
run_free(struct run *r)
{
	sim_free(r->sim);
	floor_free(&r->floor);
}

/* ------------------------------------------------------------ tests */

START_TEST(test_routing_oracle)
{
	struct scenario sc;
	struct run r;

	sc_mixed(&sc, 1, 2);
	run_init(&r, &sc, 42, T0);
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + DAY_MS, 0);
	ck_assert_msg(r.violations == 0, "%u routing violations, first: %s", r.violations,
	              r.first_violation);
	/* The scenario exercises every rule, or the oracle proved nothing. */
	ck_assert_uint_gt(r.answered_dedicated, 100);
	ck_assert_uint_gt(r.answered_shared, 100);
	ck_assert_uint_gt(r.answered_shared_overflow, 10);
	ck_assert_uint_gt(r.answered_shared_closed, 10);
	ck_assert_uint_gt(r.abandoned, 0);
	ck_assert_uint_eq(r.floor.n_rejected, 0);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

START_TEST(test_deterministic_per_seed)
{
	struct scenario sc;
	struct run a, b, c;

	sc_mixed(&sc, 1, 2);
	run_init(&a, &sc, 7, T0);
	run_init(&b, &sc, 7, T0);
	run_init(&c, &sc, 8, T0);
	sim_start(a.sim);
	sim_start(b.sim);
	sim_start(c.sim);
	sim_run_until(a.sim, T0 + DAY_MS / 4, 0);
	/* b advances in 1-second steps, as a slow floor clock would: the same
	 * events, not merged or lost. */
	for (int64_t t = T0; t <= T0 + DAY_MS / 4; t += 1000)
		sim_run_until(b.sim, t, 0);
	sim_run_until(c.sim, T0 + DAY_MS / 4, 0);
	ck_assert_uint_gt(a.n_events, 1000);
	ck_assert_uint_eq(a.n_events, b.n_events);
	ck_assert_uint_eq(a.hash, b.hash);
	ck_assert_uint_ne(a.hash, c.hash);
	run_free(&a);
	run_free(&b);
	run_free(&c);
	sc_free(&sc);
}
END_TEST

START_TEST(test_shift_change_duty)
{
	struct scenario sc;
	struct run r;
	uint32_t on_a = 0;

	/* Dedicated "d-hyb" agents work shift A (00:00-12:00) only. */
	sc_mixed(&sc, 1, 2);
	run_init(&r, &sc, 3, T0);
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 6 * 3600000LL, 0);
	for (uint32_t a = 0; a < r.floor.n_agents; a++)
		if (r.floor.agents[a].pool == 1 && r.floor.agents[a].def.state != PROTO_AS_OFFLINE)
			on_a++;
	ck_assert_uint_gt(on_a, 0);
	/* Half an hour into shift B every one of them has finished and left. */
	sim_run_until(r.sim, T0 + 12 * 3600000LL + 30 * 60000LL, 0);
	for (uint32_t a = 0; a < r.floor.n_agents; a++)
		if (r.floor.agents[a].pool == 1)
			ck_assert_int_eq(r.floor.agents[a].def.state, PROTO_AS_OFFLINE);
	ck_assert_str_eq(r.floor.shift_name, "B");
	ck_assert_uint_eq(r.shifts_started, 2);  /* A at start, B at noon */
	/* The closed shift A is in the floor's history, one row per tenant. */
	ck_assert_uint_eq(r.floor.n_history, 3);
	ck_assert_str_eq(r.floor.history[0].shift, "A");
	ck_assert_uint_gt(r.floor.history[0].offered, 0);
	ck_assert_msg(r.violations == 0, "%s", r.first_violation);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

START_TEST(test_move_mid_contact)
{
	struct scenario sc;
	struct run r;
	int busy = -1;
	struct proto_event ev;

	sc_mixed(&sc, 1, 2);
	run_init(&r, &sc, 11, T0);
	sim_start(r.sim);
	/* Find a dedicated "ded" agent mid-contact. */
	for (int step = 0; step < 3600 && busy < 0; step++) {
		sim_run_until(r.sim, T0 + 60000LL + step * 1000LL, 0);
		for (uint32_t a = 0; a < r.floor.n_agents; a++)
			if (r.floor.agents[a].pool == 0 && r.floor.agents[a].def.state == PROTO_AS_BUSY)
				busy = (int)a;
	}
	ck_assert_int_ge(busy, 0);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	proto_strlcpy(ev.agent, r.floor.agents[busy].def.id, PROTO_ID_MAX);
	proto_strlcpy(ev.from, "d-ded", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "s-all", PROTO_ID_MAX);
	ev.ts = sim_now(r.sim);
	run_on_event(&r, &ev);
	ck_assert_int_eq(sim_move(r.sim, (uint32_t)busy, 2), 0);
	ck_assert_uint_eq(sim_agent_pool(r.sim, (uint32_t)busy), 2);
	/* The contact finishes where it started: "moving" until then. */
	ck_assert(floor_agent_moving(&r.floor, (uint32_t)busy));
	sim_run_until(r.sim, sim_now(r.sim) + 2 * 3600000LL, 0);
	ck_assert(!floor_agent_moving(&r.floor, (uint32_t)busy));
	ck_assert_int_eq(r.floor.agents[busy].pool, 2);
	/* And it answered for shared tenants afterwards (the oracle checks
	 * each answer against its new pool). */
	ck_assert_uint_gt(r.floor.agents[busy].handled, 1);
	ck_assert_msg(r.violations == 0, "%s", r.first_violation);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

START_TEST(test_no_agents_all_abandon)
{
	struct scenario sc;
	struct run r;

	/* Nobody works shift A: between 01:00 and 11:00 every voice/chat
	 * contact of every tenant abandons, none is answered. */
	sc_mixed(&sc, 0, 2);
	run_init(&r, &sc, 5, T0);
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 11 * 3600000LL, 0);
	ck_assert_uint_eq(r.answered_dedicated + r.answered_shared, 0);
	ck_assert_uint_gt(r.abandoned, 100);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

/* One tenant with a dedicated pool working shift 0, and the shifts the
 * caller adds. */
static void
sc_single(struct scenario *sc, double per_hour)
{
	memset(sc, 0, sizeof *sc);
	sc->tenants = calloc(2, sizeof *sc->tenants);
	sc->pools = calloc(2, sizeof *sc->pools);
	sc->agents = calloc(16, sizeof *sc->agents);
	sc_tenant(sc, "t", PROTO_MODEL_DEDICATED, per_hour, 20, 0, 0);
	sc_pool(sc, "d-t", PROTO_POOL_DEDICATED, "t", NULL, 0, 3, 1);
}

/* The same shift following itself (one 24-hour shift) still closes its
 * statistics at every occurrence: one history row per day. */
START_TEST(test_shift_24h_closes_daily)
{
	struct scenario sc;
	struct run r;

	sc_single(&sc, 30);
	sc_shift(&sc, "All", 0, 0);
	run_init(&r, &sc, 9, T0 + 3600000LL);
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 3 * DAY_MS + 3600000LL, 0);
	ck_assert_uint_eq(r.shifts_started, 4);   /* at the start, then 3 midnights */
	ck_assert_uint_eq(r.floor.n_history, 3);
	for (uint32_t i = 0; i < 3; i++) {
		const struct proto_stats_row *h = &r.floor.history[i];
		ck_assert_str_eq(h->shift, "All");
		ck_assert_int_eq(h->start_ts, T0 + (int64_t)i * DAY_MS);
		ck_assert_int_eq(h->end_ts, T0 + (int64_t)(i + 1) * DAY_MS);
		ck_assert_uint_gt(h->offered, 0);
	}
	ck_assert_msg(r.violations == 0, "%s", r.first_violation);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

/* A shift followed by a gap closes when it ends; the gap's traffic goes to
 * an "off" row of its own, not to the shift before it. */
START_TEST(test_shift_gap_closes_at_end)
{
	struct scenario sc;
	struct run r;
	const struct proto_stats_row *day = NULL, *off = NULL;

	sc_single(&sc, 30);
	sc_shift(&sc, "Day", 8 * 60, 16 * 60);
	run_init(&r, &sc, 4, T0 + 8 * 3600000LL);
	r.window_from = T0 + 8 * 3600000LL;
	r.window_to = T0 + 16 * 3600000LL;
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 16 * 3600000LL + 1, 0);
	/* Closed at 16:00, not only when Day starts again tomorrow. */
	ck_assert_uint_eq(r.floor.n_history, 1);
	day = &r.floor.history[0];
	ck_assert_str_eq(day->shift, "Day");
	ck_assert_int_eq(day->start_ts, T0 + 8 * 3600000LL);
	ck_assert_int_eq(day->end_ts, T0 + 16 * 3600000LL);
	ck_assert_uint_gt(r.queued_in_window, 0);
	ck_assert_uint_eq(day->offered, r.queued_in_window);
	ck_assert_str_eq(r.floor.shift_name, SCENARIO_GAP_SHIFT);

	/* The gap runs to the next start and holds its own traffic. */
	r.window_from = T0 + 16 * 3600000LL;
	r.window_to = T0 + DAY_MS + 8 * 3600000LL;
	r.queued_in_window = 0;
	sim_run_until(r.sim, T0 + DAY_MS + 8 * 3600000LL + 1, 0);
	ck_assert_uint_eq(r.floor.n_history, 2);
	off = &r.floor.history[1];
	ck_assert_str_eq(off->shift, SCENARIO_GAP_SHIFT);
	ck_assert_int_eq(off->start_ts, T0 + 16 * 3600000LL);
	ck_assert_int_eq(off->end_ts, T0 + DAY_MS + 8 * 3600000LL);
	ck_assert_uint_gt(r.queued_in_window, 0);
	ck_assert_uint_eq(off->offered, r.queued_in_window);
	/* Nobody works the gap: all of it abandons. */
	ck_assert_uint_eq(off->answered, 0);
	ck_assert_str_eq(r.floor.shift_name, "Day");
	ck_assert_uint_eq(r.shifts_started, 3);
	ck_assert_msg(r.violations == 0, "%s", r.first_violation);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

/* Started inside a gap: the gap is a row from the previous shift's end. */
START_TEST(test_shift_start_in_gap)
{
	struct scenario sc;
	struct run r;

	sc_single(&sc, 30);
	sc_shift(&sc, "Day", 8 * 60, 16 * 60);
	run_init(&r, &sc, 4, T0 + 3600000LL);
	sim_start(r.sim);
	ck_assert_str_eq(r.floor.shift_name, SCENARIO_GAP_SHIFT);
	ck_assert_int_eq(r.floor.shift_start_ts, T0 - 8 * 3600000LL);
	ck_assert_int_eq(r.floor.shift_end_ts, T0 + 8 * 3600000LL);
	sim_run_until(r.sim, T0 + 8 * 3600000LL, 0);
	ck_assert_str_eq(r.floor.shift_name, "Day");
	ck_assert_uint_eq(r.floor.n_history, 1);
	ck_assert_str_eq(r.floor.history[0].shift, SCENARIO_GAP_SHIFT);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

/* contact.queued of a one-tenant floor with the given hourly rates,
 * over `days` days. */
static uint64_t
arrivals_over(const double rate[24], uint32_t days, uint64_t seed)
{
	struct scenario sc;
	struct run r;
	uint64_t n;

	sc_single(&sc, 0);
	for (int h = 0; h < 24; h++)
		sc.tenants[0].rate_per_hour[h] = rate[h];
	sc_shift(&sc, "All", 0, 0);
	run_init(&r, &sc, seed, T0);
	r.window_from = T0;
	r.window_to = T0 + (int64_t)days * DAY_MS;
	sim_start(r.sim);
	sim_run_until(r.sim, r.window_to, 0);
	n = r.queued_in_window;
	ck_assert_msg(r.violations == 0, "%s", r.first_violation);
	run_free(&r);
	sc_free(&sc);
	return n;
}

/* A tenant with traffic in one hour of the day keeps getting it, however
 * long the quiet stretch between two contacts (exponential work beyond a
 * couple of days is common at one contact a day). */
START_TEST(test_arrivals_low_volume_never_stop)
{
	double rate[24] = { 0 };
	uint64_t n;

	rate[3] = 1;
	n = arrivals_over(rate, 200, 21);
	ck_assert_msg(n >= 150 && n <= 250, "%llu contacts in 200 days at 1 a day",
	              (unsigned long long)n);
	/* One a week, spread thin: about 0.1 per hour around the clock is
	 * 2.4 a day. */
	for (int h = 0; h < 24; h++)
		rate[h] = 0.1;
	n = arrivals_over(rate, 200, 22);
	ck_assert_msg(n >= 400 && n <= 560, "%llu contacts in 200 days at 2.4 a day",
	              (unsigned long long)n);
	/* None at all: no arrival is ever scheduled. */
	memset(rate, 0, sizeof rate);
	ck_assert_uint_eq(arrivals_over(rate, 20, 23), 0);
}
END_TEST

/* A steady rate arrives at that rate on average. */
START_TEST(test_arrivals_steady_rate)
{
	double rate[24];
	uint64_t n;

	for (int h = 0; h < 24; h++)
		rate[h] = 60;
	n = arrivals_over(rate, 3, 24);
	/* 4320 expected; Poisson sd about 66 */
	ck_assert_msg(n >= 4100 && n <= 4540, "%llu contacts in 3 days at 60/h", (unsigned long long)n);
}
END_TEST

/* An email-only tenant that nobody answers. */
static void
sc_unanswered_mail(struct scenario *sc, double per_hour)
{
	sc_single(sc, per_hour);
	sc->tenants[0].channel_mix[PROTO_CH_VOICE] = 0;
	sc->tenants[0].channel_mix[PROTO_CH_CHAT] = 0;
	sc->tenants[0].channel_mix[PROTO_CH_EMAIL] = 1;
	for (uint32_t a = 0; a < sc->n_agents; a++)
		sc->agents[a].shift_mask = 0;
	sc_shift(sc, "All", 0, 0);
}

/* Email waits a day at most: then it is abandoned, so a queue of mail
 * nobody answers stops growing. */
START_TEST(test_email_patience)
{
	struct scenario sc;
	struct run r;

	sc_unanswered_mail(&sc, 100);
	run_init(&r, &sc, 31, T0);
	r.window_from = T0;
	r.window_to = T0 + 6 * 3600000LL + 1;
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 30 * 3600000LL, 0);
	ck_assert_uint_gt(r.queued_in_window, 400);
	ck_assert_uint_eq(r.abandoned, r.queued_in_window);
	ck_assert_uint_eq(r.abandon_wait_min, (uint64_t)SIM_EMAIL_PATIENCE_MS);
	ck_assert_uint_eq(r.abandon_wait_max, (uint64_t)SIM_EMAIL_PATIENCE_MS);
	ck_assert_uint_lt(r.floor.tenants[0].n_waiting, 2400 + 300);
	ck_assert_uint_eq(r.floor.n_rejected, 0);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

/* A queue never holds more than SIM_QUEUE_MAX: the surplus is turned away
 * at once (queued, then abandoned with wait 0). */
START_TEST(test_queue_capped)
{
	struct scenario sc;
	struct run r;
	struct proto_snapshot snap;
	struct proto_reply rp, back;
	struct proto_buf b;
	uint64_t offered;

	sc_unanswered_mail(&sc, 5000);
	run_init(&r, &sc, 32, T0);
	sim_start(r.sim);
	sim_run_until(r.sim, T0 + 6 * 3600000LL, 0);
	offered = r.floor.tenants[0].cur.offered;
	ck_assert_uint_gt(offered, SIM_QUEUE_MAX + 5000);
	ck_assert_uint_eq(r.floor.tenants[0].n_waiting, SIM_QUEUE_MAX);
	ck_assert_uint_eq(r.abandoned, offered - SIM_QUEUE_MAX);
	ck_assert_uint_eq(r.abandoned_zero_wait, r.abandoned);
	ck_assert_uint_eq(r.floor.n_rejected, 0);
	/* and the floor still makes a snapshot a client can read */
	ck_assert_int_eq(floor_to_snapshot(&r.floor, &snap), 0);
	ck_assert_uint_eq(snap.queues[0].n_contacts, SIM_QUEUE_MAX);
	memset(&rp, 0, sizeof rp);
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	rp.snapshot = &snap;
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), 0);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_SNAPSHOT, &back), PROTO_OK);
	ck_assert_uint_eq(back.snapshot->queues[0].n_contacts, SIM_QUEUE_MAX);
	proto_reply_free(&back);
	proto_buf_free(&b);
	proto_snapshot_free(&snap);
	run_free(&r);
	sc_free(&sc);
}
END_TEST

static Suite *
sim_suite(void)
{
	Suite *s = suite_create("sim");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_routing_oracle);
	tcase_add_test(tc, test_deterministic_per_seed);
	tcase_add_test(tc, test_shift_change_duty);
	tcase_add_test(tc, test_move_mid_contact);
	tcase_add_test(tc, test_no_agents_all_abandon);
	tcase_add_test(tc, test_shift_24h_closes_daily);
	tcase_add_test(tc, test_shift_gap_closes_at_end);
	tcase_add_test(tc, test_shift_start_in_gap);
	tcase_add_test(tc, test_arrivals_low_volume_never_stop);
	tcase_add_test(tc, test_arrivals_steady_rate);
	tcase_add_test(tc, test_email_patience);
	tcase_add_test(tc, test_queue_capped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(sim_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
