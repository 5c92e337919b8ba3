/*
 * Check suite for the scenario loader: the shipped scenarios load with
 * the promised sizes, a small fixture parses value by value, shift and
 * agent rules hold, and every class of mistake is reported with the exact
 * "FILE:LINE: ..." message a person fixing the file will read.
 */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/scenario.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

static void test_path(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", TEST_SRCDIR, rel);
}

static void test_load(const char *rel, struct scenario *sc)
{
	char path[512], err[512];

	test_path(path, sizeof path, rel);
	ck_assert_msg(scenario_load(path, sc, err, sizeof err) == 0, "%s: %s", rel, err);
}

static const struct scenario_agent *test_agent(const struct scenario *sc, const char *id)
{
	for (uint32_t i = 0; i < sc->n_agents; i++) {
		if (strcmp(sc->agents[i].id, id) == 0)
			return &sc->agents[i];
	}
	return NULL;
}

static double test_sum(const double *v, int n)
{
	double s = 0;

	for (int i = 0; i < n; i++)
		s += v[i];
	return s;
}

/* ------------------------------------------------------ shipped floors */

static void test_check_models(const struct scenario *sc)
{
	uint32_t seen[PROTO_MODEL__COUNT] = { 0 };

	for (uint32_t t = 0; t < sc->n_tenants; t++)
		seen[sc->tenants[t].def.model]++;
	ck_assert_uint_gt(seen[PROTO_MODEL_SHARED], 0);
	ck_assert_uint_gt(seen[PROTO_MODEL_DEDICATED], 0);
	ck_assert_uint_gt(seen[PROTO_MODEL_HYBRID], 0);
}

START_TEST(demo_loads)
{
	struct scenario sc;

	test_load("scenarios/demo.ini", &sc);
	ck_assert_str_eq(sc.name, "Demo floor");
	ck_assert_uint_ge(sc.n_tenants, 12);
	ck_assert_uint_ge(sc.n_agents, 150);
	ck_assert_uint_eq(sc.n_shifts, 3);
	ck_assert_str_eq(sc.shifts[0].def.name, "Early");
	ck_assert_str_eq(sc.shifts[2].def.name, "Night");
	ck_assert_str_eq(sc.shifts[2].def.start, "22:00");
	ck_assert_str_eq(sc.shifts[2].def.end, "06:00");
	ck_assert_uint_eq(sc.break_every_min, 120);
	ck_assert_uint_eq(sc.break_min, 15);
	test_check_models(&sc);
	/* three contiguous shifts cover the whole day */
	for (uint32_t m = 0; m < 1440; m++)
		ck_assert_int_ge(scenario_shift_at(&sc, m), 0);
	/* a busy telecom: hundreds of contacts an hour at its peak */
	int t = scenario_tenant_find(&sc, "northwind");
	ck_assert_int_ge(t, 0);
	ck_assert_double_ge(sc.tenants[t].rate_per_hour[10], 200);
	/* every agent works at least one shift and sits in a real pool */
	for (uint32_t a = 0; a < sc.n_agents; a++) {
		ck_assert_uint_ne(sc.agents[a].shift_mask, 0);
		ck_assert_uint_lt(sc.agents[a].pool, sc.n_pools);
	}
	scenario_free(&sc);
	ck_assert_uint_eq(sc.n_agents, 0);
	ck_assert_ptr_null(sc.agents);
}
END_TEST

START_TEST(large_loads)
{
	struct scenario sc;

	test_load("scenarios/large.ini", &sc);
	ck_assert_uint_eq(sc.n_tenants, 500);
	ck_assert_uint_eq(sc.n_agents, 10000);
	ck_assert_uint_eq(sc.n_shifts, 3);
	test_check_models(&sc);
	/* ids widen to fit the count */
	ck_assert_str_eq(sc.agents[0].id, "a00001");
	ck_assert_ptr_nonnull(test_agent(&sc, "a10000"));
	/* long serves lists arrive whole through continuation lines */
	int p = scenario_pool_find(&sc, "shared-01");
	ck_assert_int_ge(p, 0);
	ck_assert_uint_gt(sc.pools[p].def.n_serves, 10);
	for (uint32_t i = 0; i < sc.pools[p].def.n_serves; i++)
		ck_assert_int_ge(scenario_tenant_find(&sc, sc.pools[p].def.serves[i]), 0);
	scenario_free(&sc);
}
END_TEST

START_TEST(loads_are_deterministic)
{
	struct scenario a, b;

	test_load("scenarios/demo.ini", &a);
	test_load("scenarios/demo.ini", &b);
	ck_assert_uint_eq(a.n_agents, b.n_agents);
	ck_assert_int_eq(memcmp(a.agents, b.agents, a.n_agents * sizeof *a.agents), 0);
	ck_assert_int_eq(memcmp(a.tenants, b.tenants, a.n_tenants * sizeof *a.tenants), 0);
	scenario_free(&a);
	scenario_free(&b);
}
END_TEST

/* Generated names are varied, multinational and valid UTF-8. */
START_TEST(generated_names_are_varied)
{
	struct scenario sc;
	uint32_t distinct = 0, non_ascii = 0;

	test_load("scenarios/demo.ini", &sc);
	for (uint32_t i = 0; i < sc.n_agents; i++) {
		bool dup = false;
		for (uint32_t j = 0; j < i && !dup; j++)
			dup = strcmp(sc.agents[i].name, sc.agents[j].name) == 0;
		distinct += !dup;
		for (const unsigned char *p = (const unsigned char *)sc.agents[i].name; *p; p++) {
			if (*p >= 0x80) {
				non_ascii++;
				break;
			}
		}
		ck_assert_uint_gt(strlen(sc.agents[i].name), 0);
	}
	ck_assert_uint_ge(distinct, sc.n_agents * 8 / 10);
	ck_assert_uint_ge(non_ascii, sc.n_agents / 4);
	scenario_free(&sc);
}
END_TEST

/* ----------------------------------------------------- the fixture */

START_TEST(fixture_values)
{
	struct scenario sc;
	char path[512];

	test_path(path, sizeof path, "tests/data/scenarios/small.ini");
	test_load("tests/data/scenarios/small.ini", &sc);
	ck_assert_str_eq(sc.path, path);
	ck_assert_str_eq(sc.name, "Fixture Floor");
	ck_assert_uint_eq(sc.break_every_min, 90);
	ck_assert_uint_eq(sc.break_min, 10);

	ck_assert_uint_eq(sc.n_shifts, 2);
	ck_assert_str_eq(sc.shifts[0].def.name, "Day");
	ck_assert_str_eq(sc.shifts[0].def.end, "16:30");
	ck_assert_uint_eq(sc.shifts[0].end_min, 16 * 60 + 30);
	ck_assert_str_eq(sc.shifts[1].def.end, "06:00");  /* written 6:00 */
	ck_assert_uint_eq(sc.shifts[1].start_min, 22 * 60);

	ck_assert_uint_eq(sc.n_tenants, 3);
	const struct scenario_tenant *t = &sc.tenants[scenario_tenant_find(&sc, "acme")];
	ck_assert_str_eq(t->def.name, "Acme Telecom");
	ck_assert_int_eq(t->def.model, PROTO_MODEL_HYBRID);
	ck_assert_double_eq(t->def.sl_pct, 80);
	ck_assert_uint_eq(t->def.sl_sec, 20);
	ck_assert_uint_eq(t->def.overflow_sec, 45);
	ck_assert_str_eq(t->def.open, "08:00");
	ck_assert_str_eq(t->def.close, "20:00");
	ck_assert_uint_eq(t->open_min, 480);
	ck_assert_uint_eq(t->close_min, 1200);
	ck_assert_double_eq_tol(t->def.dedicated_rate, 28.5, 1e-9);
	ck_assert_double_eq(t->def.shared_rate, 41);
	ck_assert_uint_eq(t->def.min_dedicated, 2);
	/* traffic over three continuation lines */
	ck_assert_double_eq(t->rate_per_hour[7], 10);
	ck_assert_double_eq(t->rate_per_hour[10], 120);
	ck_assert_double_eq(t->rate_per_hour[23], 1);
	ck_assert_double_eq(test_sum(t->rate_per_hour, 24), 1028);
	ck_assert_double_eq(t->talk_mean_s, 240);
	ck_assert_double_eq_tol(t->talk_cv, 0.7, 1e-12);
	ck_assert_double_eq(t->wrap_mean_s, 30);
	ck_assert_double_eq(t->patience_mean_s, 90);
	ck_assert_double_eq_tol(t->channel_mix[PROTO_CH_VOICE], 0.7, 1e-12);
	ck_assert_double_eq_tol(t->channel_mix[PROTO_CH_CHAT], 0.2, 1e-12);
	ck_assert_double_eq_tol(t->channel_mix[PROTO_CH_EMAIL], 0.1, 1e-12);

	/* defaults, sl_pct/sl_sec, per-shift traffic spread by the minute */
	t = &sc.tenants[scenario_tenant_find(&sc, "zed")];
	ck_assert_str_eq(t->def.name, "Zoë's Boutique – Café");
	ck_assert_int_eq(t->def.model, PROTO_MODEL_SHARED);
	ck_assert_double_eq(t->def.sl_pct, 70);
	ck_assert_uint_eq(t->def.sl_sec, 30);
	ck_assert_uint_eq(t->def.overflow_sec, 30);
	ck_assert_str_eq(t->def.open, "");
	ck_assert_uint_eq(t->open_min, t->close_min);
	ck_assert_double_eq(t->talk_cv, 0.5);
	ck_assert_double_eq(t->wrap_mean_s, 0);
	ck_assert_double_eq(t->patience_mean_s, 120);
	ck_assert_double_eq_tol(t->rate_per_hour[9], 2, 1e-9);   /* 17 over 8.5 h */
	ck_assert_double_eq_tol(t->rate_per_hour[16], 1, 1e-9);  /* half an hour of it */
	ck_assert_double_eq_tol(t->rate_per_hour[23], 1, 1e-9);  /* 8 over the 8 h night */
	ck_assert_double_eq_tol(t->rate_per_hour[3], 1, 1e-9);
	ck_assert_double_eq(t->rate_per_hour[7], 0);
	ck_assert_double_eq(t->rate_per_hour[18], 0);
	ck_assert_double_eq_tol(test_sum(t->rate_per_hour, 24), 25, 1e-9);
	ck_assert_double_eq(t->channel_mix[PROTO_CH_VOICE], 0);
	ck_assert_double_eq(t->channel_mix[PROTO_CH_CHAT], 0.5);

	t = &sc.tenants[scenario_tenant_find(&sc, "med")];
	ck_assert_int_eq(t->def.model, PROTO_MODEL_DEDICATED);
	ck_assert_double_eq(t->channel_mix[PROTO_CH_VOICE], 1);

	ck_assert_uint_eq(sc.n_pools, 3);
	const struct proto_pool *p = &sc.pools[scenario_pool_find(&sc, "shared")].def;
	ck_assert_int_eq(p->kind, PROTO_POOL_SHARED);
	ck_assert_str_eq(p->tenant, "");
	ck_assert_uint_eq(p->n_serves, 2);
	ck_assert_str_eq(p->serves[0], "acme");
	ck_assert_str_eq(p->serves[1], "zed");
	p = &sc.pools[scenario_pool_find(&sc, "ded-acme")].def;
	ck_assert_int_eq(p->kind, PROTO_POOL_DEDICATED);
	ck_assert_str_eq(p->tenant, "acme");
	ck_assert_uint_eq(p->n_serves, 0);
	ck_assert_int_eq(scenario_pool_find(&sc, "nope"), -1);
	ck_assert_int_eq(scenario_tenant_find(&sc, "nope"), -1);

	/* 6 + 5 + 3 generated, then the two written ones, in file order */
	ck_assert_uint_eq(sc.n_agents, 16);
	ck_assert_str_eq(sc.agents[0].id, "a0001");
	ck_assert_str_eq(sc.agents[13].id, "a0014");
	ck_assert_str_eq(sc.agents[6].name, "Søren Østergaard");  /* names = ... */
	ck_assert_str_eq(sc.agents[7].name, "王芳");
	ck_assert_uint_eq(sc.agents[6].pool, (uint32_t)scenario_pool_find(&sc, "ded-acme"));
	const struct scenario_agent *a = test_agent(&sc, "sup1");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_eq(a, &sc.agents[14]);
	ck_assert_str_eq(a->name, "José Álvarez");
	ck_assert_uint_eq(a->pool, (uint32_t)scenario_pool_find(&sc, "shared"));
	ck_assert_uint_eq(a->shift_mask, 2u);
	a = test_agent(&sc, "sup2");
	ck_assert_uint_eq(a->shift_mask, 3u);  /* no shifts key: all of them */
	scenario_free(&sc);
}
END_TEST

START_TEST(shift_at_crosses_midnight)
{
	struct scenario sc;

	test_load("tests/data/scenarios/small.ini", &sc);
	/* Day 08:00-16:30, Night 22:00-06:00, gaps in between */
	ck_assert_int_eq(scenario_shift_at(&sc, 22 * 60), 1);
	ck_assert_int_eq(scenario_shift_at(&sc, 23 * 60 + 59), 1);
	ck_assert_int_eq(scenario_shift_at(&sc, 0), 1);
	ck_assert_int_eq(scenario_shift_at(&sc, 5 * 60 + 59), 1);
	ck_assert_int_eq(scenario_shift_at(&sc, 6 * 60), -1);
	ck_assert_int_eq(scenario_shift_at(&sc, 7 * 60 + 59), -1);
	ck_assert_int_eq(scenario_shift_at(&sc, 8 * 60), 0);
	ck_assert_int_eq(scenario_shift_at(&sc, 16 * 60 + 29), 0);
	ck_assert_int_eq(scenario_shift_at(&sc, 16 * 60 + 30), -1);
	ck_assert_int_eq(scenario_shift_at(&sc, 21 * 60 + 59), -1);
	ck_assert_int_eq(scenario_shift_at(&sc, 1440), -1);
	scenario_free(&sc);
}
END_TEST

#define TEST_BASE_TENANT \
	"[tenant t1]\nmodel = shared\nsl = 80/20\ntraffic.A = 10\ntalk = 180\n"

START_TEST(shift_at_whole_day)
{
	struct scenario sc;
	char err[256];
	const char *text = "[shift A]\nstart = 07:00\nend = 07:00\n" TEST_BASE_TENANT
	                   "[pool p]\nkind = shared\nserves = t1\n";

	ck_assert_msg(scenario_parse(text, "x.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(scenario_shift_at(&sc, 0), 0);
	ck_assert_int_eq(scenario_shift_at(&sc, 7 * 60), 0);
	ck_assert_int_eq(scenario_shift_at(&sc, 1439), 0);
	ck_assert_str_eq(sc.name, "x");  /* no [floor]: named after the file */
	ck_assert_uint_eq(sc.break_every_min, 0);
	ck_assert_uint_eq(sc.n_agents, 0);
	scenario_free(&sc);
}
END_TEST

/* ------------------------------------------------ agents' shifts rule */

START_TEST(on_duty_rotates_crews)
{
	struct scenario sc;
	char err[256];
	const char *text =
		"[shift A]\nstart = 06:00\nend = 14:00\n"
		"[shift B]\nstart = 14:00\nend = 22:00\n"
		"[shift C]\nstart = 22:00\nend = 06:00\n"
		"[tenant t1]\nmodel = shared\nsl = 80/20\ntraffic.A = 10\ntalk = 180\n"
		"[pool p]\nkind = shared\nserves = t1\nagents = 10\non_duty = A 4, B 4, C 4\n"
		"[pool q]\nkind = shared\nserves = t1\nagents = 5\non_duty = B 2\n"
		"[pool r]\nkind = shared\nserves = t1\nagents = 2\n";

	ck_assert_msg(scenario_parse(text, "rot.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(sc.n_agents, 17);
	/* p: A = 0-3, B = 4-7, C starts at 8 and wraps: 8, 9, 0, 1 */
	static const uint32_t want_p[10] = { 5, 5, 1, 1, 2, 2, 2, 2, 4, 4 };
	for (int k = 0; k < 10; k++)
		ck_assert_msg(sc.agents[k].shift_mask == want_p[k], "p agent %d: mask %u, want %u",
		              k, sc.agents[k].shift_mask, want_p[k]);
	/* q: shifts not listed get nobody; B's crew starts at 0 (A and C have 0) */
	static const uint32_t want_q[5] = { 2, 2, 0, 0, 0 };
	for (int k = 0; k < 5; k++)
		ck_assert_uint_eq(sc.agents[10 + k].shift_mask, want_q[k]);
	/* r: no on_duty: everyone, every shift */
	ck_assert_uint_eq(sc.agents[15].shift_mask, 7);
	ck_assert_uint_eq(sc.agents[16].shift_mask, 7);
	ck_assert_str_eq(sc.agents[16].id, "a0017");
	scenario_free(&sc);
}
END_TEST

/* Each shift's head count is exactly its on_duty in the demo. */
START_TEST(on_duty_counts_hold_in_demo)
{
	struct scenario sc;
	uint32_t counts[3] = { 0 };

	test_load("scenarios/demo.ini", &sc);
	int p = scenario_pool_find(&sc, "ded-northwind");
	ck_assert_int_ge(p, 0);
	for (uint32_t a = 0; a < sc.n_agents; a++) {
		if (sc.agents[a].pool != (uint32_t)p)
			continue;
		for (int s = 0; s < 3; s++)
			counts[s] += (sc.agents[a].shift_mask >> s) & 1u;
		/* 34 + 36 = 70 agents: nobody works both */
		uint32_t m = sc.agents[a].shift_mask;
		ck_assert_uint_eq(m & (m - 1), 0);
	}
	ck_assert_uint_eq(counts[0], 34);
	ck_assert_uint_eq(counts[1], 36);
	ck_assert_uint_eq(counts[2], 0);
	scenario_free(&sc);
}
END_TEST

/* ------------------------------------------------------- continuations */

START_TEST(indented_key_is_a_key)
{
	struct scenario sc;
	char err[256];
	const char *text =
		"[shift A]\n  start = 06:00\n  end = 14:00\n"
		"[tenant t1]\nmodel = shared\n  sl = 80/20\ntraffic.A = 10\n"
		"  talk = 180\n"
		"[pool p]\nkind = shared\nserves = t1,\n\n   ; a comment between\n  \n"
		"[tenant t2]\nmodel = shared\nsl = 80/20\ntraffic.A = 1\ntalk = 180\n"
		"[pool q]\nkind = shared\nserves =\n  t1\n  t2\n";

	ck_assert_msg(scenario_parse(text, "k.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(sc.shifts[0].end_min, 14 * 60);
	ck_assert_double_eq(sc.tenants[0].talk_mean_s, 180);
	ck_assert_uint_eq(sc.tenants[0].def.sl_sec, 20);
	ck_assert_uint_eq(sc.pools[1].def.n_serves, 2);
	ck_assert_str_eq(sc.pools[1].def.serves[1], "t2");
	scenario_free(&sc);
}
END_TEST

/* ------------------------------------------------------------- errors */

#define SHIFT_A "[shift A]\nstart = 08:00\nend = 16:00\n"          /* lines 1-3 */
#define TENANT_T1 "[tenant t1]\nmodel = shared\nsl = 80/20\n"      /* 4-6 */
#define TENANT_T1_END "traffic.A = 80\ntalk = 180\n"                /* 7-8 */
#define POOL_SH "[pool sh]\nkind = shared\nserves = t1\nagents = 3\n"  /* 9-12 */
#define VALID SHIFT_A TENANT_T1 TENANT_T1_END POOL_SH

struct test_bad {
	const char *text;
	const char *msg;
};

static const struct test_bad test_bads[] = {
	/* unknown key */
	{ SHIFT_A "[tenant t1]\nmodel = shared\nsl_pc = 80\n" TENANT_T1_END POOL_SH,
	  "x.ini:6: unknown key 'sl_pc' in [tenant t1]" },
	/* bad number */
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = abc\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got 'abc'" },
	{ VALID "on_duty = A 1.5\n",
	  "x.ini:13: pool sh: on_duty A must be a whole number, got '1.5'" },
	{ SHIFT_A TENANT_T1 "traffic = 1, 2, 3\ntalk = 180\n" POOL_SH,
	  "x.ini:7: tenant t1: traffic must have 24 values (contacts per hour from 00:00), got 3" },
	/* bad HH:MM */
	{ "[shift A]\nstart = 8h\nend = 16:00\n" TENANT_T1 TENANT_T1_END POOL_SH,
	  "x.ini:2: shift A: start must be HH:MM (00:00 to 23:59), got '8h'" },
	{ "[shift A]\nstart = 08:00\nend = 16:60\n" TENANT_T1 TENANT_T1_END POOL_SH,
	  "x.ini:3: shift A: end must be HH:MM (00:00 to 24:00), got '16:60'" },
	{ VALID "[tenant t2]\nmodel = shared\nsl = 80/20\ntraffic.A = 1\ntalk = 9\nhours = 9-17\n",
	  "x.ini:18: tenant t2: hours must be HH:MM-HH:MM (e.g. 08:00-20:00), got '9-17'" },
	/* overlapping shifts */
	{ VALID "[shift B]\nstart = 15:00\nend = 23:00\n",
	  "x.ini:13: shift B (15:00-23:00) overlaps shift A (08:00-16:00)" },
	{ VALID "[shift N]\nstart = 22:00\nend = 08:30\n",
	  "x.ini:13: shift N (22:00-08:30) overlaps shift A (08:00-16:00)" },
	/* unknown tenant in serves */
	{ SHIFT_A TENANT_T1 TENANT_T1_END "[pool sh]\nkind = shared\nserves = t1, t2\n",
	  "x.ini:11: pool sh: serves unknown tenant 't2'" },
	/* dedicated pool names an unknown tenant */
	{ VALID "[pool ded]\nkind = dedicated\ntenant = t1x\n",
	  "x.ini:15: pool ded: tenant 't1x' is not defined" },
	/* a dedicated pool for a shared tenant */
	{ VALID "[pool ded]\nkind = dedicated\ntenant = t1\n",
	  "x.ini:15: pool ded: tenant 't1' is shared; only dedicated and hybrid tenants "
	  "have a dedicated pool" },
	/* dedicated tenant without pool */
	{ VALID "[tenant d1]\nmodel = dedicated\nsl = 90/15\ntraffic.A = 1\ntalk = 300\n",
	  "x.ini:13: tenant d1 is dedicated but has no dedicated pool (add a [pool ...] with "
	  "kind = dedicated, tenant = d1)" },
	/* two dedicated pools for one tenant */
	{ VALID "[tenant d1]\nmodel = hybrid\nsl = 90/15\ntraffic.A = 1\ntalk = 300\n"
	  "[pool da]\nkind = dedicated\ntenant = d1\n[pool db]\nkind = dedicated\ntenant = d1\n",
	  "x.ini:23: pool db: tenant 'd1' already has dedicated pool da (line 18)" },
	/* hybrid tenant with no shared pool */
	{ VALID "[tenant h1]\nmodel = hybrid\nsl = 90/15\ntraffic.A = 1\ntalk = 300\n"
	  "[pool dh]\nkind = dedicated\ntenant = h1\n",
	  "x.ini:13: tenant h1 is hybrid but no shared pool serves it (add it to a shared "
	  "pool's serves)" },
	/* duplicate ids */
	{ VALID TENANT_T1 TENANT_T1_END,
	  "x.ini:13: duplicate tenant id 't1' (first defined at line 4)" },
	{ VALID "[agent a0002]\nname = Ana\npool = sh\n",
	  "x.ini:13: duplicate agent id 'a0002' (first defined at line 9)" },
	{ VALID "[shift A]\nstart = 20:00\nend = 21:00\n",
	  "x.ini:13: duplicate shift name 'A' (first defined at line 1)" },
	/* the name of the gaps between shifts */
	{ VALID "[shift off]\nstart = 20:00\nend = 21:00\n",
	  "x.ini:13: shift name 'off' is reserved for the gaps between shifts; choose another name" },
	/* id too long, bad id characters */
	{ SHIFT_A "[tenant abcdefghijklmnopqrstuvwxyz0123456]\n",
	  "x.ini:4: tenant id 'abcdefghijklmnopqrstuvwxyz0123456' is longer than 32 bytes" },
	{ SHIFT_A "[pool a/b]\n",
	  "x.ini:4: pool id 'a/b' may only contain letters, digits, '.', '_' and '-'" },
	/* invalid UTF-8, control characters */
	{ SHIFT_A TENANT_T1 TENANT_T1_END "name = Caf\xc3\x28\n" POOL_SH,
	  "x.ini:9: tenant t1: name is not valid UTF-8" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "name = \xe0\x80\xaf\n" POOL_SH,   /* overlong '/' */
	  "x.ini:9: tenant t1: name is not valid UTF-8" },
	{ VALID "[agent x]\nname = Tab\there\npool = sh\n",
	  "x.ini:14: agent x: name contains a control character" },
	/* missing required key */
	{ SHIFT_A TENANT_T1 "traffic.A = 80\n" POOL_SH,
	  "x.ini:4: missing required key 'talk' in [tenant t1]" },
	{ SHIFT_A "[tenant t1]\nmodel = shared\ntraffic.A = 80\ntalk = 9\n" POOL_SH,
	  "x.ini:4: missing required key 'sl' in [tenant t1]" },
	{ "[shift A]\nstart = 08:00\n" TENANT_T1 TENANT_T1_END POOL_SH,
	  "x.ini:1: missing required key 'end' in [shift A]" },
	/* sl out of range */
	{ SHIFT_A "[tenant t1]\nmodel = shared\nsl = 150/20\n" TENANT_T1_END POOL_SH,
	  "x.ini:6: tenant t1: sl_pct must be between 1 and 100, got 150" },
	{ SHIFT_A "[tenant t1]\nmodel = shared\nsl = 80/0\n" TENANT_T1_END POOL_SH,
	  "x.ini:6: tenant t1: sl_sec must be between 1 and 3600, got 0" },
	/* other ranges */
	{ SHIFT_A TENANT_T1 TENANT_T1_END "patience = 0\n" POOL_SH,
	  "x.ini:9: tenant t1: patience must be greater than 0, got 0" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "shared_rate = -1\n" POOL_SH,
	  "x.ini:9: tenant t1: shared_rate must not be negative, got -1" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "channels = voice 0, chat 0\n" POOL_SH,
	  "x.ini:9: tenant t1: channels weights must add up to more than 0" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "channels = voice 1, fax 2\n" POOL_SH,
	  "x.ini:9: tenant t1: unknown channel 'fax' (expected voice, chat or email)" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "min_dedicated = 2\n" POOL_SH,
	  "x.ini:9: tenant t1: min_dedicated needs a dedicated pool, but model is shared" },
	{ VALID "on_duty = A 4\n",
	  "x.ini:13: pool sh: on_duty A is 4 but the pool has 3 agents" },
	/* unknown names of shifts, pools, models */
	{ VALID "on_duty = Erly 1\n",
	  "x.ini:13: pool sh: on_duty: no shift named 'Erly'" },
	{ VALID "[agent x]\nname = X\npool = sh\nshifts = A, B\n",
	  "x.ini:16: agent x: shifts: no shift named 'B'" },
	{ VALID "[agent x]\nname = X\npool = shh\n",
	  "x.ini:15: agent x: pool 'shh' is not defined" },
	{ SHIFT_A "[tenant t1]\nmodel = mixed\n",
	  "x.ini:5: tenant t1: model must be shared, dedicated or hybrid, got 'mixed'" },
	{ SHIFT_A TENANT_T1 "traffic.B = 80\ntalk = 180\n" POOL_SH,
	  "x.ini:7: tenant t1: traffic.B: no shift named 'B'" },
	/* grammar */
	{ VALID "this is not a key\n",
	  "x.ini:13: syntax error: expected 'key = value', a [section] or a ; comment" },
	{ VALID "[pool x\n",
	  "x.ini:13: syntax error: section header is missing ']'" },
	{ VALID "[tenat t2]\n",
	  "x.ini:13: unknown section [tenat t2] (expected floor, shift, tenant, pool or agent)" },
	{ "name = x\n" VALID,
	  "x.ini:1: 'name' is outside any section; start with a [section] header" },
	{ VALID "[tenant]\n",
	  "x.ini:13: section [tenant] needs an id: [tenant ID]" },
	{ SHIFT_A "talk = 1\nstart = 09:00\n",
	  "x.ini:4: unknown key 'talk' in [shift A]" },
	{ SHIFT_A "end = 17:00\n",
	  "x.ini:4: duplicate key 'end' in [shift A] (first at line 3)" },
	{ VALID "[floor]\nbreak_every = 10\nbreak_length = 15\n",
	  "x.ini:15: floor: break_length (15) must be shorter than break_every (10)" },
	/* whole-file problems */
	{ TENANT_T1 TENANT_T1_END "[pool sh]\nkind = shared\nserves = t1\n",
	  "x.ini: no [shift NAME] sections: at least one shift is required" },
	{ SHIFT_A, "x.ini: no [tenant ID] sections: a floor needs at least one tenant" },
};

START_TEST(valid_base_parses)
{
	struct scenario sc;
	char err[256];

	ck_assert_msg(scenario_parse(VALID, "x.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(sc.n_agents, 3);
	scenario_free(&sc);
}
END_TEST

START_TEST(errors_name_file_and_line)
{
	const struct test_bad *b = &test_bads[_i];
	struct scenario sc;
	char err[512];

	memset(&sc, 0x5a, sizeof sc);
	ck_assert_int_eq(scenario_parse(b->text, "x.ini", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, b->msg);
	/* a failed parse leaves nothing to free */
	ck_assert_ptr_null(sc.tenants);
	ck_assert_ptr_null(sc.pools);
	ck_assert_ptr_null(sc.agents);
	ck_assert_uint_eq(sc.n_tenants, 0);
}
END_TEST

START_TEST(long_line_is_refused)
{
	struct scenario sc;
	char text[1024], err[256];

	snprintf(text, sizeof text, "%s[tenant t2]\nname = %0250d\n", VALID, 7);
	ck_assert_int_eq(scenario_parse(text, "x.ini", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, "x.ini:14: line is longer than 198 bytes; split long lists over "
	                      "indented continuation lines");
}
END_TEST

START_TEST(unreadable_file)
{
	struct scenario sc;
	char err[512];

	ck_assert_int_eq(scenario_load("/nonexistent/dir/floor.ini", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, "/nonexistent/dir/floor.ini: cannot read: No such file or directory");
	ck_assert_int_eq(scenario_load("/", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, "/: cannot read: Is a directory");
}
END_TEST

/* A broken file on disk reports its own path and line. */
START_TEST(broken_file)
{
	struct scenario sc;
	char path[512], want[600], err[600];

	test_path(path, sizeof path, "tests/data/scenarios/broken.ini");
	ck_assert_int_eq(scenario_load(path, &sc, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:13: pool ded-acme: tenant 'acmee' is not defined", path);
	ck_assert_str_eq(err, want);
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc = tcase_create("shipped");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, demo_loads);
	tcase_add_test(tc, large_loads);
	tcase_add_test(tc, loads_are_deterministic);
	tcase_add_test(tc, generated_names_are_varied);
	tcase_add_test(tc, on_duty_counts_hold_in_demo);
	suite_add_tcase(s, tc);

	tc = tcase_create("fixture");
	tcase_add_test(tc, fixture_values);
	tcase_add_test(tc, shift_at_crosses_midnight);
	tcase_add_test(tc, shift_at_whole_day);
	tcase_add_test(tc, on_duty_rotates_crews);
	tcase_add_test(tc, indented_key_is_a_key);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_test(tc, valid_base_parses);
	tcase_add_loop_test(tc, errors_name_file_and_line, 0,
	                    (int)(sizeof test_bads / sizeof test_bads[0]));
	tcase_add_test(tc, long_line_is_refused);
	tcase_add_test(tc, unreadable_file);
	tcase_add_test(tc, broken_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scenario_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
