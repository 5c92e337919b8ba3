/*
 * test_sim_breaks: breaks and aux time (scenario `aux_length`) spread
 * evenly over a crew: the share of it off the phones stays near
 * (break_length + aux_length) / cycle all shift, never most of the crew at
 * once (the demo's 30 % off the phones would otherwise come in waves).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/scenario.h"
#include "pooltop/sim.h"

#define T0 1767247200000LL     /* 2026-01-01 06:00 UTC */
#define MIN 60000LL

struct tally {
	uint32_t n;
	char id[64][PROTO_ID_MAX + 1];
	enum proto_agent_state st[64];
};

static void
on_event(void *ctx, struct proto_event *ev)
{
	struct tally *t = ctx;
	uint32_t i;

	if (ev->type != PROTO_EV_AGENT_STATE)
		return;
	for (i = 0; i < t->n && strcmp(t->id[i], ev->agent) != 0; i++)
		;
	if (i == t->n && t->n < 64)
		strcpy(t->id[t->n++], ev->agent);
	if (i < 64)
		t->st[i] = ev->state;
}

START_TEST(test_breaks_spread_evenly)
{
	static const char *text =
		"[floor]\nbreak_every = 120\nbreak_length = 15\naux_length = 55\n"
		"[shift Day]\nstart = 06:00\nend = 22:00\n"
		"[tenant t]\nmodel = dedicated\nsl = 80/20\ntraffic.Day = 1\ntalk = 60\n"
		"[pool p]\nkind = dedicated\ntenant = t\nagents = 40\n";
	struct scenario sc;
	struct tally t;
	struct sim *s;
	char err[256];
	uint32_t worst = 0, samples = 0;
	double sum = 0;

	ck_assert_msg(scenario_parse(text, "breaks.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(sc.break_min, 15);
	ck_assert_uint_eq(sc.aux_min, 55);
	memset(&t, 0, sizeof t);
	s = sim_new(&sc, 7, T0, 0, on_event, &t);
	ck_assert_ptr_nonnull(s);
	sim_start(s);
	for (int64_t now = T0 + 4 * 60 * MIN; now < T0 + 15 * 60 * MIN; now += MIN) {
		uint32_t on_break = 0;

		sim_run_until(s, now, 0);
		for (uint32_t i = 0; i < t.n; i++)
			on_break += t.st[i] == PROTO_AS_BREAK;
		if (on_break > worst)
			worst = on_break;
		sum += on_break;
		samples++;
	}
	ck_assert_uint_eq(t.n, 40);
	/* 70 of every 190 minutes: 37 % on average, and no wave */
	ck_assert_double_ge(sum / samples / 40, 0.30);
	ck_assert_double_le(sum / samples / 40, 0.42);
	ck_assert_uint_le(worst, 26);
	sim_free(s);
	scenario_free(&sc);
}
END_TEST

START_TEST(test_aux_length_checked)
{
	static const char *base =
		"[floor]\nbreak_every = 120\naux_length = %s\n"
		"[shift Day]\nstart = 06:00\nend = 22:00\n"
		"[tenant t]\nmodel = dedicated\nsl = 80/20\ntraffic.Day = 1\ntalk = 60\n"
		"[pool p]\nkind = dedicated\ntenant = t\nagents = 1\n";
	char text[512], err[256];
	struct scenario sc;

	snprintf(text, sizeof text, base, "2.5");
	ck_assert_int_eq(scenario_parse(text, "x.ini", &sc, err, sizeof err), -1);
	ck_assert_ptr_ne(strstr(err, "aux_length"), NULL);
	snprintf(text, sizeof text, base, "300");
	ck_assert_int_eq(scenario_parse(text, "x.ini", &sc, err, sizeof err), -1);
	snprintf(text, sizeof text, base, "0");
	ck_assert_int_eq(scenario_parse(text, "x.ini", &sc, err, sizeof err), 0);
	ck_assert_uint_eq(sc.aux_min, 0);
	scenario_free(&sc);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("sim_breaks");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_breaks_spread_evenly);
	tcase_add_test(tc, test_aux_length_checked);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
