/*
 * test_advisor: the dashboard's staffing advice (tui/advisor.c) on a
 * replica floor: skills from the floor's own `trained` lists and homes,
 * hysteresis that counts floor minutes however often the floor changes,
 * memory fed by applied events, a shared-only tenant read through its
 * shared queue, and the suggestion's text (SL before -> after of the
 * receiver and of the giving pool's tenants, cost per hour).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/advisor.h"
#include "pooltop/floor.h"
#include "pooltop/loanlen.h"

#define T0 1767254400000LL        /* 2026-01-01 08:00 UTC: the shift starts */
#define MIN (60LL * 1000)
#define NOW (T0 + 40 * MIN)

static void
fx_shift(struct floor *f)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_SHIFT_STARTED;
	ev.ts = T0;
	ev.seq = 1;
	proto_strlcpy(ev.shift, "Day", PROTO_ID_MAX);
	ev.start_ts = T0;
	ev.end_ts = T0 + 8 * 60 * MIN;
	ck_assert_int_eq(floor_apply(f, &ev, false), FLOOR_APPLIED);
}

static void
fx_tenant(struct floor *f, const char *id, enum proto_model m, double rate)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof t);
	proto_strlcpy(t.id, id, PROTO_ID_MAX);
	proto_strlcpy(t.name, id, PROTO_NAME_MAX);
	t.model = m;
	t.sl_pct = 80;
	t.sl_sec = 20;
	t.dedicated_rate = rate;
	t.shared_rate = rate;
	t.overflow_sec = 30;
	ck_assert_int_ge(floor_add_tenant(f, &t), 0);
}

/* A pool of one tenant (dedicated) or serving one (shared), trained
 * besides for `trained` ("" none). */
static void
fx_pool(struct floor *f, const char *id, const char *tenant, bool shared, const char *trained)
{
	struct proto_pool p;
	char sv[1][PROTO_ID_MAX + 1], tr[1][PROTO_ID_MAX + 1];

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = shared ? PROTO_POOL_SHARED : PROTO_POOL_DEDICATED;
	if (shared) {
		proto_strlcpy(sv[0], tenant, PROTO_ID_MAX);
		p.serves = sv;
		p.n_serves = 1;
	} else {
		proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	}
	if (trained[0]) {
		proto_strlcpy(tr[0], trained, PROTO_ID_MAX);
		p.trained = tr;
		p.n_trained = 1;
	}
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
}

static void
fx_agents(struct floor *f, const char *pool, uint32_t n, enum proto_agent_state st)
{
	for (uint32_t i = 0; i < n; i++) {
		struct proto_agent a;
		int r;

		memset(&a, 0, sizeof a);
		snprintf(a.id, sizeof a.id, "%s-%u", pool, i);
		proto_strlcpy(a.name, a.id, PROTO_NAME_MAX);
		proto_strlcpy(a.pool, pool, PROTO_ID_MAX);
		proto_strlcpy(a.home, pool, PROTO_ID_MAX);
		a.state = PROTO_AS_OFFLINE;
		r = floor_add_agent(f, &a);
		ck_assert_int_ge(r, 0);
		f->agents[r].def.state = st;
	}
}

/* Tenant t offered per_h contacts/h since the shift began (what the load
 * window reads), `handled` of them handled in aht_s each. */
static void
fx_traffic(struct floor *f, uint32_t t, double per_h, double aht_s, uint32_t handled)
{
	struct floor_counters *c = &f->tenants[t].cur;
	int64_t el = NOW - T0, ci = el / FLOOR_INTERVAL_MS;

	for (int64_t i = 0; i < ci; i++)
		c->intervals[i] = (uint32_t)llround(per_h / 4);
	c->intervals[ci] = (uint32_t)llround(per_h * (double)(el - ci * FLOOR_INTERVAL_MS) / 3.6e6);
	c->handled = handled;
	c->talk_ms = (uint64_t)llround(aht_s * 1000 * handled);
}

/* acme (8 agents) is short of 200/h at 3 min; beta (12) has no load and
 * its team is trained for acme when `trained`. */
static void
fx_short_and_spare(struct floor *f, bool trained)
{
	floor_init(f);
	fx_shift(f);
	fx_tenant(f, "acme", PROTO_MODEL_DEDICATED, 30);
	fx_tenant(f, "beta", PROTO_MODEL_DEDICATED, 25);
	fx_pool(f, "ded-acme", "acme", false, "");
	fx_pool(f, "ded-beta", "beta", false, trained ? "acme" : "");
	fx_agents(f, "ded-acme", 8, PROTO_AS_IDLE);
	fx_agents(f, "ded-beta", 12, PROTO_AS_IDLE);
	fx_traffic(f, 0, 200, 180, 100);
}

/* Hysteresis counts floor minutes: evaluations within one minute (the
 * dashboard evaluates at every floor change) do not advance it. */
START_TEST(test_streak_counts_minutes)
{
	struct floor f;
	struct advisor ad;
	struct staffing s;
	int64_t at[] = { NOW, NOW + 1000, NOW + 20000, NOW + MIN, NOW + MIN + 30000 };

	fx_short_and_spare(&f, true);
	advisor_init(&ad);
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
		ck_assert_int_eq(advisor_compute(&ad, &f, at[i], 0, &s), 0);
		ck_assert_msg(s.n_moves == 0, "shown after %zu evaluations in 2 minutes", i + 1);
		ck_assert_int_eq(s.reason, STAFFING_R_SETTLING);
		staffing_free(&s);
	}
	ck_assert_uint_eq(ad.evaluations, 2);
	ck_assert_int_eq(advisor_compute(&ad, &f, NOW + 2 * MIN, 0, &s), 0);
	ck_assert_uint_eq(s.n_moves, 1);
	ck_assert_uint_eq(s.moves[0].from_pool, 1);
	ck_assert_uint_eq(s.moves[0].to_pool, 0);
	staffing_free(&s);
	/* and within that minute it stays shown */
	ck_assert_int_eq(advisor_compute(&ad, &f, NOW + 2 * MIN + 5000, 0, &s), 0);
	ck_assert_uint_eq(s.n_moves, 1);
	staffing_free(&s);
	advisor_free(&ad);
	floor_free(&f);
}
END_TEST

/* Skills come from the floor's own trained lists: without one, beta's
 * team may not help, and the reason says so. */
START_TEST(test_untrained_from_floor)
{
	struct floor f;
	struct advisor ad;
	struct staffing s;

	fx_short_and_spare(&f, false);
	advisor_init(&ad);
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(advisor_compute(&ad, &f, NOW + i * MIN, 0, &s), 0);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_UNTRAINED);
		staffing_free(&s);
	}
	advisor_free(&ad);
	floor_free(&f);
}
END_TEST

/* Applied agent.moved events start the hold time: the moved agents are
 * not proposed again. */
START_TEST(test_observe_holds_moved_agents)
{
	struct floor f;
	struct advisor ad;
	struct staffing s;
	struct proto_event ev;

	fx_short_and_spare(&f, true);
	advisor_init(&ad);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	ev.ts = NOW - MIN;
	ev.epoch = f.epoch;
	proto_strlcpy(ev.from, "ded-beta", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "ded-acme", PROTO_ID_MAX);
	for (uint32_t a = 8; a < 20; a++) {
		proto_strlcpy(ev.agent, f.agents[a].def.id, PROTO_ID_MAX);
		advisor_observe(&ad, &f, &ev);
	}
	for (int i = 0; i < 4; i++) {
		ck_assert_int_eq(advisor_compute(&ad, &f, NOW + i * MIN, 0, &s), 0);
		ck_assert_uint_eq(s.n_moves, 0);
		ck_assert_int_eq(s.reason, STAFFING_R_HELD);
		staffing_free(&s);
	}
	advisor_free(&ad);
	floor_free(&f);
}
END_TEST

/* A shared-only tenant reads its shared queue: agents and an expected SL,
 * never "staffed 0, SL 0 %" (issue 12). */
START_TEST(test_shared_only_tenant)
{
	struct floor f;
	struct advisor ad;
	struct staffing s;
	char sl[16];

	floor_init(&f);
	fx_shift(&f);
	fx_tenant(&f, "shr", PROTO_MODEL_SHARED, 20);
	fx_pool(&f, "sh", "shr", true, "");
	fx_agents(&f, "sh", 6, PROTO_AS_BUSY);
	fx_traffic(&f, 0, 40, 180, 50);
	advisor_init(&ad);
	ck_assert_int_eq(advisor_compute(&ad, &f, NOW, 0, &s), 0);
	ck_assert_int_eq(s.tenants[0].queue, 0);
	ck_assert_uint_eq(s.pools[0].available, 6);
	ck_assert(s.tenants[0].sl > 0.8);
	advisor_sl_text(s.tenants[0].sl, sl, sizeof sl);
	ck_assert_str_ne(sl, "0%");
	advisor_sl_text(NAN, sl, sizeof sl);
	ck_assert_str_eq(sl, "-");
	staffing_free(&s);
	advisor_free(&ad);
	floor_free(&f);
}
END_TEST

START_TEST(test_move_text)
{
	struct floor f;
	struct staffing_move m;
	char line[512];

	fx_short_and_spare(&f, true);
	fx_tenant(&f, "gamma", PROTO_MODEL_SHARED, 25);
	memset(&m, 0, sizeof m);
	m.from_pool = 1;
	m.to_pool = 0;
	m.tenant = 0;
	m.n = 2;
	m.sl_before = 0.42;
	m.sl_after = 0.81;
	m.n_giver = 2;
	m.giver[0] = (struct staffing_sl){ 1, 0.95, 0.9 };
	m.giver[1] = (struct staffing_sl){ 2, NAN, NAN };
	m.cost_per_h = 10;
	advisor_move_text(&f, &m, line, sizeof line);
	ck_assert_str_eq(line, "2 agents ded-beta -> ded-acme for acme: SL 42% -> 81%; "
	                 "giving: beta 95% -> 90%, gamma - -> -; cost +10/h");
	/* a short buffer is cut, never overrun */
	advisor_move_text(&f, &m, line, 20);
	ck_assert_uint_eq(strlen(line), 19);
	floor_free(&f);
}
END_TEST

/* The loan lengths the confirm dialog steps through with l. */
START_TEST(test_loan_lengths)
{
	const int64_t h = 60 * MIN;
	char buf[32];

	/* shift ends in 3 h: 1 h, 2 h, shift end, no loan */
	ck_assert_int_eq(loanlen_next(NOW, NOW + 3 * h, 0), NOW + h);
	ck_assert_int_eq(loanlen_next(NOW, NOW + 3 * h, NOW + h), NOW + 2 * h);
	ck_assert_int_eq(loanlen_next(NOW, NOW + 3 * h, NOW + 2 * h), NOW + 3 * h);
	ck_assert_int_eq(loanlen_next(NOW, NOW + 3 * h, NOW + 3 * h), 0);
	/* shift ends in 30 min: that first, never past 2 h */
	ck_assert_int_eq(loanlen_next(NOW, NOW + h / 2, 0), NOW + h / 2);
	ck_assert_int_eq(loanlen_next(NOW, NOW + h / 2, NOW + h / 2), NOW + h);
	/* shift end unknown or past: hours only */
	ck_assert_int_eq(loanlen_next(NOW, 0, NOW + h), NOW + 2 * h);
	ck_assert_int_eq(loanlen_next(NOW, NOW - h, NOW + 2 * h), 0);
	loanlen_text(0, buf, sizeof buf);
	ck_assert_str_eq(buf, "");
	loanlen_text(NOW, buf, sizeof buf);
	ck_assert_ptr_nonnull(strstr(buf, " on loan until "));
	ck_assert_uint_eq(strlen(buf), strlen(" on loan until 00:00"));
}
END_TEST

static Suite *
advisor_suite(void)
{
	Suite *s = suite_create("advisor");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_streak_counts_minutes);
	tcase_add_test(tc, test_untrained_from_floor);
	tcase_add_test(tc, test_observe_holds_moved_agents);
	tcase_add_test(tc, test_shared_only_tenant);
	tcase_add_test(tc, test_move_text);
	tcase_add_test(tc, test_loan_lengths);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(advisor_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
