/* scope (floor/scope.c): what a scoped key may see of a floor. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "pooltop/keystore.h"
#include "pooltop/scope.h"
#include "testlib.h"

/* Tenants a and b; ded-a, ded-b, shared-ab (serves a, b), shared-b;
 * agents a1 (ded-a), b1 (ded-b), s1 (shared-ab), s2 (shared-b). */
static struct floor test_floor;
static struct keystore_key test_key;
static struct scope test_scope;
static char test_scope_ids[1][PROTO_ID_MAX + 1] = { "a" };

static void
test_pool(const char *id, enum proto_pool_kind kind, const char *tenant, int n, const char *s0,
          const char *s1)
{
	char serves[2][PROTO_ID_MAX + 1];
	struct proto_pool p;

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = kind;
	proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(serves[0], s0, PROTO_ID_MAX);
	proto_strlcpy(serves[1], s1, PROTO_ID_MAX);
	p.n_serves = (uint32_t)n;
	p.serves = n ? serves : NULL;
	ck_assert_int_ge(floor_add_pool(&test_floor, &p), 0);
}

static void
test_setup(void)
{
	floor_init(&test_floor);
	test_floor.epoch = 5;
	testlib_tenant(&test_floor, "a", PROTO_MODEL_DEDICATED);
	testlib_tenant(&test_floor, "b", PROTO_MODEL_HYBRID);
	test_pool("ded-a", PROTO_POOL_DEDICATED, "a", 0, "", "");
	test_pool("ded-b", PROTO_POOL_DEDICATED, "b", 0, "", "");
	test_pool("shared-ab", PROTO_POOL_SHARED, "", 2, "a", "b");
	test_pool("shared-b", PROTO_POOL_SHARED, "", 1, "b", "");
	ck_assert_int_eq(testlib_agent(&test_floor, "a1", "ded-a"), 0);
	ck_assert_int_eq(testlib_agent(&test_floor, "b1", "ded-b"), 1);
	ck_assert_int_eq(testlib_agent(&test_floor, "s1", "shared-ab"), 2);
	ck_assert_int_eq(testlib_agent(&test_floor, "s2", "shared-b"), 3);
	memset(&test_key, 0, sizeof test_key);
	proto_strlcpy(test_key.name, "a-viewer", PROTO_ID_MAX);
	test_key.n_scope = 1;
	test_key.scope = test_scope_ids;
	ck_assert_int_eq(scope_build(&test_scope, &test_floor, &test_key), 0);
}

static void
test_teardown(void)
{
	scope_free(&test_scope);
	floor_free(&test_floor);
}

START_TEST(test_visibility)
{
	ck_assert(scope_pool_visible(&test_scope, &test_floor, "ded-a"));
	ck_assert(scope_pool_visible(&test_scope, &test_floor, "shared-ab"));
	ck_assert(!scope_pool_visible(&test_scope, &test_floor, "ded-b"));
	ck_assert(!scope_pool_visible(&test_scope, &test_floor, "shared-b"));
	ck_assert(!scope_pool_visible(&test_scope, &test_floor, "nope"));
	ck_assert(scope_agent_visible(&test_scope, &test_floor, 0));
	ck_assert(!scope_agent_visible(&test_scope, &test_floor, 1));
	ck_assert(scope_agent_visible(&test_scope, &test_floor, 2));
	ck_assert(!scope_agent_visible(&test_scope, &test_floor, 3));
	ck_assert(!scope_agent_visible(&test_scope, &test_floor, -1));
}
END_TEST

START_TEST(test_snapshot_cut)
{
	struct proto_snapshot s;

	memset(&s, 0, sizeof s);
	test_floor.agents[2].def.handled = 9;
	ck_assert_int_eq(floor_to_snapshot(&test_floor, &s), 0);
	/* s1 serves b: busy, with b's name on it */
	proto_strlcpy(s.agents[2].tenant, "b", PROTO_ID_MAX);
	s.agents[2].contact = 77;
	scope_snapshot(&test_scope, &test_floor, &s);
	ck_assert_uint_eq(s.n_tenants, 1);
	ck_assert_str_eq(s.tenants[0].id, "a");
	ck_assert_uint_eq(s.n_pools, 2);
	ck_assert_str_eq(s.pools[0].id, "ded-a");
	ck_assert_str_eq(s.pools[1].id, "shared-ab");
	ck_assert_uint_eq(s.pools[1].n_serves, 1);
	ck_assert_str_eq(s.pools[1].serves[0], "a");
	ck_assert_uint_eq(s.n_agents, 2);
	ck_assert_str_eq(s.agents[0].id, "a1");
	ck_assert_str_eq(s.agents[0].name, "a1");
	ck_assert_str_eq(s.agents[1].id, SCOPE_ANON_PREFIX "2");
	ck_assert_str_eq(s.agents[1].name, SCOPE_ANON_NAME);
	ck_assert_str_eq(s.agents[1].tenant, "");
	ck_assert_uint_eq(s.agents[1].contact, 0);
	ck_assert_uint_eq(s.agents[1].handled, 0);
	ck_assert_uint_eq(s.n_queues, 1);
	ck_assert_str_eq(s.queues[0].tenant, "a");
	ck_assert_uint_eq(s.n_stats, 1);
	ck_assert_str_eq(s.stats[0].tenant, "a");
	/* and the cut snapshot still makes a floor a client can follow */
	{
		struct floor f;

		floor_init(&f);
		ck_assert_int_eq(floor_from_snapshot(&f, &s), 0);
		ck_assert_uint_eq(f.n_agents, 2);
		floor_free(&f);
	}
	proto_snapshot_free(&s);
}
END_TEST

/* A row's sl_intervals stay with their row when the rows are cut: a key
 * scoped to b (the second tenant) gets b's quarter hours, never a's. */
START_TEST(test_snapshot_cut_keeps_intervals_in_step)
{
	static char only_b[1][PROTO_ID_MAX + 1] = { "b" };
	struct keystore_key kb = test_key;
	struct proto_sl_interval iv_a = { .answered = 11 }, iv_b = { .answered = 22 };
	struct proto_snapshot s;
	struct scope sb;

	kb.scope = only_b;
	ck_assert_int_eq(scope_build(&sb, &test_floor, &kb), 0);
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(floor_to_snapshot(&test_floor, &s), 0);
	ck_assert_uint_eq(s.n_stats, 2);
	ck_assert_ptr_nonnull(s.stats_sl);
	ck_assert_int_eq(proto_sl_set(&s.stats_sl[0], &iv_a, 1), 0);
	ck_assert_int_eq(proto_sl_set(&s.stats_sl[1], &iv_b, 1), 0);
	scope_snapshot(&sb, &test_floor, &s);
	ck_assert_uint_eq(s.n_stats, 1);
	ck_assert_str_eq(s.stats[0].tenant, "b");
	ck_assert_uint_eq(s.stats_sl[0].n, 1);
	ck_assert_uint_eq(s.stats_sl[0].iv[0].answered, 22);
	scope_free(&sb);
	proto_snapshot_free(&s);   /* a's intervals were freed by the cut */
}
END_TEST

static enum scope_verdict
test_event(enum proto_event_type type, const char *tenant, const char *agent,
           struct proto_event *out)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.epoch = 5;
	ev.seq = 10;
	ev.ts = 1000;
	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	return scope_event(&test_scope, &test_floor, &ev, out);
}

START_TEST(test_events)
{
	struct proto_event out, ev;

	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_QUEUED, "a", "", &out), SCOPE_PASS);
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_QUEUED, "b", "", &out), SCOPE_DROP);
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ABANDONED, "b", "", &out), SCOPE_DROP);
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ANSWERED, "a", "a1", &out), SCOPE_PASS);
	ck_assert_str_eq(out.agent, "a1");
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ANSWERED, "a", "s1", &out), SCOPE_PASS);
	ck_assert_str_eq(out.agent, SCOPE_ANON_PREFIX "2");
	ck_assert_str_eq(out.tenant, "a");
	/* b's contact on a shared agent a sees: only that the agent is busy */
	test_floor.agents[2].def.state = PROTO_AS_BUSY;
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ANSWERED, "b", "s1", &out), SCOPE_PASS);
	ck_assert_int_eq(out.type, PROTO_EV_AGENT_STATE);
	ck_assert_str_eq(out.agent, SCOPE_ANON_PREFIX "2");
	ck_assert_str_eq(out.tenant, "");
	ck_assert_int_eq(out.state, PROTO_AS_BUSY);
	ck_assert_uint_eq(out.seq, 10);
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ENDED, "b", "b1", &out), SCOPE_DROP);
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_ENDED, "b", "s2", &out), SCOPE_DROP);
	/* a's contact on an agent now out of sight: take a new snapshot */
	ck_assert_int_eq(test_event(PROTO_EV_CONTACT_WRAPPED, "a", "b1", &out), SCOPE_RESET);
	ck_assert_int_eq(test_event(PROTO_EV_AGENT_STATE, "b", "s1", &out), SCOPE_PASS);
	ck_assert_str_eq(out.tenant, "");
	ck_assert_str_eq(out.agent, SCOPE_ANON_PREFIX "2");
	ck_assert_int_eq(test_event(PROTO_EV_AGENT_STATE, "", "b1", &out), SCOPE_DROP);
	ck_assert_int_eq(test_event(PROTO_EV_SHIFT_STARTED, "", "", &out), SCOPE_PASS);
	ck_assert_int_eq(test_event(PROTO_EV_FLOOR_RESET, "", "", &out), SCOPE_PASS);

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	proto_strlcpy(ev.agent, "b1", PROTO_ID_MAX);
	proto_strlcpy(ev.from, "ded-b", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "shared-b", PROTO_ID_MAX);
	ck_assert_int_eq(scope_event(&test_scope, &test_floor, &ev, &out), SCOPE_DROP);
	proto_strlcpy(ev.to, "shared-ab", PROTO_ID_MAX);
	ck_assert_int_eq(scope_event(&test_scope, &test_floor, &ev, &out), SCOPE_RESET);
	proto_strlcpy(ev.agent, "a1", PROTO_ID_MAX);
	proto_strlcpy(ev.from, "ded-a", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "ded-a", PROTO_ID_MAX);
	ck_assert_int_eq(scope_event(&test_scope, &test_floor, &ev, &out), SCOPE_PASS);
}
END_TEST

START_TEST(test_rows)
{
	struct proto_stats_row rows[3];
	struct proto_audit_row au[4];

	memset(rows, 0, sizeof rows);
	proto_strlcpy(rows[0].tenant, "b", PROTO_ID_MAX);
	proto_strlcpy(rows[1].tenant, "a", PROTO_ID_MAX);
	proto_strlcpy(rows[2].tenant, "gone", PROTO_ID_MAX);
	rows[1].offered = 42;
	ck_assert_uint_eq(scope_history(&test_scope, &test_floor, rows, 3), 1);
	ck_assert_str_eq(rows[0].tenant, "a");
	ck_assert_uint_eq(rows[0].offered, 42);
	/* a row's sl_intervals go where the row goes */
	{
		struct proto_sl_row *sl = calloc(3, sizeof *sl);

		ck_assert_ptr_nonnull(sl);
		memset(rows, 0, sizeof rows);
		proto_strlcpy(rows[0].tenant, "gone", PROTO_ID_MAX);
		proto_strlcpy(rows[1].tenant, "b", PROTO_ID_MAX);
		proto_strlcpy(rows[2].tenant, "a", PROTO_ID_MAX);
		sl[2].n = 1;
		sl[2].iv = calloc(1, sizeof *sl[2].iv);
		ck_assert_ptr_nonnull(sl[2].iv);
		/* a dropped row's intervals are freed by the filter */
		sl[0].n = 1;
		sl[0].iv = calloc(1, sizeof *sl[0].iv);
		ck_assert_ptr_nonnull(sl[0].iv);
		sl[2].iv[0].answered = 7;
		ck_assert_uint_eq(scope_history_sl(&test_scope, &test_floor, rows, sl, 3), 1);
		ck_assert_str_eq(rows[0].tenant, "a");
		ck_assert_uint_eq(sl[0].n, 1);
		ck_assert_uint_eq(sl[0].iv[0].answered, 7);
		proto_sl_rows_free(sl, 1);
	}

	memset(au, 0, sizeof au);
	proto_strlcpy(au[0].agent, "b1", PROTO_ID_MAX);
	proto_strlcpy(au[0].from, "ded-b", PROTO_ID_MAX);
	proto_strlcpy(au[0].to, "shared-ab", PROTO_ID_MAX);
	proto_strlcpy(au[1].agent, "a1", PROTO_ID_MAX);
	proto_strlcpy(au[1].from, "ded-a", PROTO_ID_MAX);
	proto_strlcpy(au[1].to, "shared-ab", PROTO_ID_MAX);
	proto_strlcpy(au[2].agent, "s1", PROTO_ID_MAX);
	proto_strlcpy(au[2].from, "shared-ab", PROTO_ID_MAX);
	proto_strlcpy(au[2].to, "shared-ab", PROTO_ID_MAX);
	proto_strlcpy(au[3].agent, "s2", PROTO_ID_MAX);
	proto_strlcpy(au[3].from, "shared-b", PROTO_ID_MAX);
	proto_strlcpy(au[3].to, "ded-b", PROTO_ID_MAX);
	ck_assert_uint_eq(scope_audit(&test_scope, &test_floor, au, 4), 2);
	ck_assert_str_eq(au[0].agent, "a1");
	ck_assert_str_eq(au[1].agent, SCOPE_ANON_PREFIX "2");
}
END_TEST

START_TEST(test_moves)
{
	uint32_t a1 = 0, b1 = 1, s1 = 2;
	char msg[256];

	ck_assert_int_eq(scope_move_check(&test_scope, &test_floor, &a1, 1, 0, msg, sizeof msg), 0);
	ck_assert_int_lt(scope_move_check(&test_scope, &test_floor, &a1, 1, 1, msg, sizeof msg), 0);
	ck_assert_str_eq(msg, "there is no pool 'ded-b' in your key's scope");
	ck_assert_int_lt(scope_move_check(&test_scope, &test_floor, &a1, 1, 2, msg, sizeof msg), 0);
	ck_assert_ptr_nonnull(strstr(msg, "also serves a tenant outside"));
	ck_assert_ptr_null(strstr(msg, "'b'"));
	ck_assert_int_lt(scope_move_check(&test_scope, &test_floor, &b1, 1, 0, msg, sizeof msg), 0);
	ck_assert_str_eq(msg, "there is no agent 'b1' in your key's scope");
	ck_assert_int_lt(scope_move_check(&test_scope, &test_floor, &s1, 1, 0, msg, sizeof msg), 0);
	ck_assert_ptr_null(strstr(msg, "s1"));
}
END_TEST

static Suite *
scope_suite(void)
{
	Suite *s = suite_create("scope");
	TCase *tc = tcase_create("scope");

	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_visibility);
	tcase_add_test(tc, test_snapshot_cut);
	tcase_add_test(tc, test_snapshot_cut_keeps_intervals_in_step);
	tcase_add_test(tc, test_events);
	tcase_add_test(tc, test_rows);
	tcase_add_test(tc, test_moves);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(scope_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
