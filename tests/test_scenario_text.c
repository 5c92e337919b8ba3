/*
 * Check suite for what a scenario's text may not carry (issue 11): names
 * that show nothing once zero-width characters are gone, names with
 * bidirectional overrides, embeddings or isolates (one name passing for
 * another on a dashboard where people are moved by name), and numbers
 * that are not plain decimals (NaN and infinity must never reach the
 * wire).  Each refusal names the file and line.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/scenario.h"

#define SHIFT_A "[shift A]\nstart = 08:00\nend = 16:00\n"          /* lines 1-3 */
#define TENANT_T1 "[tenant t1]\nmodel = shared\nsl = 80/20\n"      /* 4-6 */
#define TENANT_T1_END "traffic.A = 80\ntalk = 180\n"                /* 7-8 */
#define POOL_SH "[pool sh]\nkind = shared\nserves = t1\nagents = 3\n"  /* 9-12 */
#define VALID SHIFT_A TENANT_T1 TENANT_T1_END POOL_SH

#define ZWSP "\xe2\x80\x8b"   /* U+200B zero-width space */
#define ZWJ "\xe2\x80\x8d"    /* U+200D zero-width joiner */
#define WJ "\xe2\x81\xa0"     /* U+2060 word joiner */
#define BOM "\xef\xbb\xbf"    /* U+FEFF */
#define NBSP "\xc2\xa0"       /* U+00A0 */
#define LRE "\xe2\x80\xaa"    /* U+202A left-to-right embedding */
#define RLO "\xe2\x80\xae"    /* U+202E right-to-left override */
#define LRI "\xe2\x81\xa6"    /* U+2066 left-to-right isolate */
#define PDI "\xe2\x81\xa9"    /* U+2069 pop directional isolate */

#define EMPTY_WHY "name shows nothing: it is only spaces and zero-width characters"
#define BIDI_WHY "name contains a bidirectional control character (U+202A to U+202E, " \
                 "U+2066 to U+2069)"

static const struct {
	const char *text;
	const char *msg;
} bads[] = {
	/* names that show nothing */
	{ SHIFT_A TENANT_T1 TENANT_T1_END "name = " ZWSP ZWSP "\n" POOL_SH,
	  "x.ini:9: tenant t1: " EMPTY_WHY },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "name = " ZWSP " " WJ NBSP BOM "\n" POOL_SH,
	  "x.ini:9: tenant t1: " EMPTY_WHY },
	{ "[floor]\nname = " ZWJ "\n" VALID, "x.ini:2: floor: " EMPTY_WHY },
	{ VALID "[agent x]\nname = " ZWSP "\npool = sh\n", "x.ini:14: agent x: " EMPTY_WHY },
	{ SHIFT_A TENANT_T1 TENANT_T1_END POOL_SH "names = Ana, " WJ "\n",
	  "x.ini:13: pool sh: name '" WJ "' shows nothing: it is only spaces and zero-width "
	  "characters" },
	/* bidirectional controls */
	{ VALID "[agent x]\nname = Ana " RLO "reversed\npool = sh\n",
	  "x.ini:14: agent x: " BIDI_WHY },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "name = Acme " LRE "Ltd\n" POOL_SH,
	  "x.ini:9: tenant t1: " BIDI_WHY },
	{ "[floor]\nname = Floor " LRI "1" PDI "\n" VALID, "x.ini:2: floor: " BIDI_WHY },
	{ SHIFT_A TENANT_T1 TENANT_T1_END POOL_SH "names = Ana, Bo" PDI "b\n",
	  "x.ini:13: pool sh: name 'Bo" PDI "b' contains a bidirectional control character "
	  "(U+202A to U+202E, U+2066 to U+2069)" },
	/* numbers that are not plain decimals */
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = nan\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got 'nan'" },
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = inf\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got 'inf'" },
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = INFINITY\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got 'INFINITY'" },
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = 1e999\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got '1e999'" },
	{ SHIFT_A TENANT_T1 "traffic.A = 80\ntalk = 0x10\n" POOL_SH,
	  "x.ini:8: tenant t1: talk must be a number, got '0x10'" },
	{ SHIFT_A TENANT_T1 "traffic.A = nan\ntalk = 180\n" POOL_SH,
	  "x.ini:7: tenant t1: traffic.A must be a number, got 'nan'" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "wrap = -inf\n" POOL_SH,
	  "x.ini:9: tenant t1: wrap must be a number, got '-inf'" },
	{ SHIFT_A "[tenant t1]\nmodel = shared\nsl = nan/20\n" TENANT_T1_END POOL_SH,
	  "x.ini:6: tenant t1: sl_pct must be a number, got 'nan'" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "channels = voice inf, chat 1\n" POOL_SH,
	  "x.ini:9: tenant t1: channels voice must be a number, got 'inf'" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "talk_cv = nan\n" POOL_SH,
	  "x.ini:9: tenant t1: talk_cv must be a number, got 'nan'" },
	{ SHIFT_A TENANT_T1 TENANT_T1_END "overflow = 1e3\n" POOL_SH,
	  "x.ini:9: tenant t1: overflow must be a whole number, got '1e3'" },
};

START_TEST(refused_with_line)
{
	struct scenario sc;
	char err[512];

	ck_assert_int_eq(scenario_parse(bads[_i].text, "x.ini", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, bads[_i].msg);
	ck_assert_ptr_null(sc.tenants);
}
END_TEST

/* What is not refused: a joiner inside a name that shows (emoji and many
 * scripts need it), marks, no-break spaces between words, and plain
 * decimals with a sign or a leading point. */
START_TEST(visible_names_and_plain_numbers_pass)
{
	static const char text[] =
		"[floor]\nname = Caf\xc3\xa9" ZWJ " Nord" NBSP "1\n"
		SHIFT_A TENANT_T1 "traffic.A = +80.5\ntalk = .5e0\n" POOL_SH;
	static const char ok[] =
		"[floor]\nname = Caf\xc3\xa9" ZWJ " Nord" NBSP "1\n"
		SHIFT_A TENANT_T1 "traffic.A = +80.5\ntalk = .5\n" POOL_SH
		"names = " ZWSP "Ana\n";
	struct scenario sc;
	char err[512];

	/* an exponent is not a plain decimal */
	ck_assert_int_eq(scenario_parse(text, "x.ini", &sc, err, sizeof err), -1);
	ck_assert_str_eq(err, "x.ini:10: tenant t1: talk must be a number, got '.5e0'");
	ck_assert_msg(scenario_parse(ok, "x.ini", &sc, err, sizeof err) == 0, "%s", err);
	ck_assert_str_eq(sc.name, "Caf\xc3\xa9" ZWJ " Nord" NBSP "1");
	ck_assert_double_eq(sc.tenants[0].talk_mean_s, 0.5);
	ck_assert_str_eq(sc.agents[0].name, ZWSP "Ana");
	scenario_free(&sc);
}
END_TEST

static Suite *
scenario_text_suite(void)
{
	Suite *s = suite_create("scenario_text");
	TCase *tc = tcase_create("text");

	tcase_add_loop_test(tc, refused_with_line, 0, (int)(sizeof bads / sizeof bads[0]));
	tcase_add_test(tc, visible_names_and_plain_numbers_pass);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(scenario_text_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
