/*
 * test_trained: who may work where on the wire and on the floor (issue
 * 12).  A pool's `trained` list and an agent's `home` pool travel in the
 * snapshot (protocol additions), survive floor -> snapshot -> bytes ->
 * snapshot -> floor, are validated like `serves`, and are what
 * staffing_skills_from_floor / staffing_skills_missing decide with: the
 * same answer the server gives a move (`untrained`, floor/request.c).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/floor.h"
#include "pooltop/proto.h"
#include "pooltop/staffing.h"
#include "testlib.h"

typedef char test_id[PROTO_ID_MAX + 1];

static int
fx_pool(struct floor *f, const char *id, const char *tenant, const char *const *serves,
        uint32_t n_serves, const char *const *trained, uint32_t n_trained)
{
	struct proto_pool p;
	test_id sv[4], tr[4];

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = tenant ? PROTO_POOL_DEDICATED : PROTO_POOL_SHARED;
	if (tenant)
		proto_strlcpy(p.tenant, tenant, PROTO_ID_MAX);
	for (uint32_t i = 0; i < n_serves; i++)
		proto_strlcpy(sv[i], serves[i], PROTO_ID_MAX);
	for (uint32_t i = 0; i < n_trained; i++)
		proto_strlcpy(tr[i], trained[i], PROTO_ID_MAX);
	p.n_serves = n_serves;
	p.serves = n_serves ? sv : NULL;
	p.n_trained = n_trained;
	p.trained = n_trained ? tr : NULL;
	return floor_add_pool(f, &p);
}

/*
 * Tenants a, b, c.  da: a's team, also trained for b.  db: b's team.
 * dc: c's team.  sh: shared, serves a and b.  Agents: x (home da, now in
 * sh: on loan), y (home db), z (no home said: an older server).
 */
static void
fx_floor(struct floor *f)
{
	static const char *const ab[] = { "a", "b" }, *const b[] = { "b" };

	floor_init(f);
	testlib_tenant(f, "a", PROTO_MODEL_DEDICATED);
	testlib_tenant(f, "b", PROTO_MODEL_DEDICATED);
	testlib_tenant(f, "c", PROTO_MODEL_DEDICATED);
	ck_assert_int_eq(fx_pool(f, "da", "a", NULL, 0, b, 1), 0);
	ck_assert_int_eq(fx_pool(f, "db", "b", NULL, 0, NULL, 0), 1);
	ck_assert_int_eq(fx_pool(f, "dc", "c", NULL, 0, NULL, 0), 2);
	ck_assert_int_eq(fx_pool(f, "sh", NULL, ab, 2, NULL, 0), 3);
	ck_assert_int_eq(testlib_agent_at(f, "x", "sh", "da"), 0);
	ck_assert_int_eq(testlib_agent_at(f, "y", "db", "db"), 1);
	ck_assert_int_eq(testlib_agent_at(f, "z", "dc", ""), 2);
}

START_TEST(test_floor_keeps_trained_and_home)
{
	struct floor f;
	static const char *const ghost[] = { "nobody" };

	fx_floor(&f);
	ck_assert_uint_eq(f.pools[0].def.n_trained, 1);
	ck_assert_str_eq(f.pools[0].def.trained[0], "b");
	ck_assert_uint_eq(f.pools[3].def.n_trained, 0);
	ck_assert_int_eq(f.agents[0].home, 0);
	ck_assert_uint_eq(floor_agent_home(&f, 0), 0);      /* da, though in sh */
	ck_assert_int_eq(f.agents[2].home, -1);
	ck_assert_uint_eq(floor_agent_home(&f, 2), 2);      /* unknown: where it is */
	/* validated like serves: unknown tenants and pools are refused */
	ck_assert_int_eq(fx_pool(&f, "dx", NULL, NULL, 0, ghost, 1), -1);
	ck_assert_int_eq(testlib_agent_at(&f, "w", "sh", "atlantis"), -1);
	ck_assert_uint_eq(f.n_pools, 4);
	ck_assert_uint_eq(f.n_agents, 3);
	floor_free(&f);
}
END_TEST

/* floor -> snapshot -> bytes -> snapshot -> floor keeps both additions. */
START_TEST(test_snapshot_carries_trained_and_home)
{
	struct floor f, f2;
	struct proto_snapshot s;
	struct proto_reply rp, back;
	struct proto_buf b;

	fx_floor(&f);
	memset(&rp, 0, sizeof rp);
	rp.ok = true;
	rp.op = PROTO_OP_SNAPSHOT;
	proto_strlcpy(rp.id, "s1", PROTO_REQID_MAX);
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);
	ck_assert_uint_eq(s.pools[0].n_trained, 1);
	ck_assert_str_eq(s.pools[0].trained[0], "b");
	ck_assert_str_eq(s.agents[0].home, "da");
	rp.snapshot = &s;
	proto_buf_init(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), 0);
	memset(&back, 0, sizeof back);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_SNAPSHOT, &back), PROTO_OK);
	ck_assert_ptr_nonnull(back.snapshot);
	ck_assert_uint_eq(back.snapshot->pools[0].n_trained, 1);
	ck_assert_str_eq(back.snapshot->pools[0].trained[0], "b");
	ck_assert_uint_eq(back.snapshot->pools[1].n_trained, 0);
	ck_assert_str_eq(back.snapshot->agents[0].home, "da");
	ck_assert_str_eq(back.snapshot->agents[1].home, "db");
	ck_assert_str_eq(back.snapshot->agents[2].home, "");

	floor_init(&f2);
	ck_assert_int_eq(floor_from_snapshot(&f2, back.snapshot), 0);
	ck_assert_str_eq(f2.pools[0].def.trained[0], "b");
	ck_assert_uint_eq(floor_agent_home(&f2, 0), 0);
	ck_assert_uint_eq(floor_agent_home(&f2, 2), 2);

	rp.snapshot = NULL;
	proto_snapshot_free(&s);
	proto_reply_free(&back);
	proto_buf_free(&b);
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

/* A snapshot from a server without the additions still decodes: no
 * trained lists, no homes (each agent's home is where it is). */
START_TEST(test_old_snapshot_without_additions)
{
	struct floor f, f2;
	struct proto_snapshot s;

	fx_floor(&f);
	ck_assert_int_eq(floor_to_snapshot(&f, &s), 0);
	for (uint32_t i = 0; i < s.n_pools; i++) {
		free(s.pools[i].trained);
		s.pools[i].trained = NULL;
		s.pools[i].n_trained = 0;
	}
	for (uint32_t i = 0; i < s.n_agents; i++)
		s.agents[i].home[0] = '\0';
	floor_init(&f2);
	ck_assert_int_eq(floor_from_snapshot(&f2, &s), 0);
	ck_assert_uint_eq(floor_agent_home(&f2, 0), 3);  /* sh: where x is */
	proto_snapshot_free(&s);
	floor_free(&f);
	floor_free(&f2);
}
END_TEST

/* The skills the floor itself declares, as the server checks a move. */
START_TEST(test_skills_from_floor)
{
	struct floor f;
	struct staffing_skills sk;

	fx_floor(&f);
	ck_assert_int_eq(staffing_skills_from_floor(&sk, &f), 0);
	/* da knows a and b: db's line and the shared pool (a, b) */
	ck_assert(staffing_skills_allow(&sk, &f, 0, 1));
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 0, 1), -1);
	ck_assert(staffing_skills_allow(&sk, &f, 0, 3));
	/* but not c */
	ck_assert(!staffing_skills_allow(&sk, &f, 0, 2));
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 0, 2), 2);
	/* db knows b only: sh also serves a, named as the one missing */
	ck_assert(!staffing_skills_allow(&sk, &f, 1, 3));
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 1, 3), 0);
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 1, 0), 0);
	/* sh knows a and b: both dedicated lines, not c */
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 3, 0), -1);
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 3, 1), -1);
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 3, 2), 2);
	/* home is always allowed */
	ck_assert_int_eq(staffing_skills_missing(&sk, &f, 2, 2), -1);
	staffing_skills_free(&sk);
	floor_free(&f);
}
END_TEST

static Suite *
trained_suite(void)
{
	Suite *s = suite_create("trained");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_floor_keeps_trained_and_home);
	tcase_add_test(tc, test_snapshot_carries_trained_and_home);
	tcase_add_test(tc, test_old_snapshot_without_additions);
	tcase_add_test(tc, test_skills_from_floor);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(trained_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
