/*
 * The dashboard's settings file (tui/config.c) and the wallboard's
 * choices that do not need a terminal (tui/wall_cycle.c, wall_scale).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pooltop/alert.h"
#include "pooltop/config.h"
#include "pooltop/floor.h"
#include "pooltop/wall.h"
#include "testlib.h"

static int
parse(struct config *c, const char *text, char *err, size_t len)
{
	err[0] = '\0';
	return config_parse(c, text, "cfg", err, len);
}

START_TEST(test_config_values)
{
	struct config c;
	char err[CONFIG_ERR_MAX];

	ck_assert_int_eq(parse(&c, "[server]\nserver = floor1\nkeys = /etc/k\n"
	                          "[display]\ntheme = light\nrefresh = 250\nsort = -Oldest\nagents_sort = state\n"
	                          "[alerts]\nbell = off\nsl_below = 75%\noldest = 2m\n"
	                          "[tenant acme]\noldest = 45s\n"
	                          "[wallboard]\ntenants = a, b ,c\nrotate = 30s\n", err, sizeof err), 0);
	ck_assert_str_eq(c.eps.events, "tcp://floor1:7701");
	ck_assert_str_eq(c.eps.requests, "tcp://floor1:7702");
	ck_assert_str_eq(c.keys, "/etc/k");
	ck_assert_str_eq(c.theme, "light");
	ck_assert_int_eq(c.refresh_ms, 250);
	ck_assert_str_eq(c.sort, "-Oldest");
	ck_assert_str_eq(c.agents_sort, "state");
	ck_assert(!c.bell);
	ck_assert_double_eq_tol(c.alert.sl_below, 75, 1e-9);
	ck_assert_double_eq_tol(c.alert.oldest_s, 120, 1e-9);
	ck_assert_uint_eq(c.n_wall_tenants, 3);
	ck_assert_str_eq(c.wall_tenants[1], "b");
	ck_assert_int_eq(c.rotate_s, 30);

	/* acme's own oldest, the defaults' sl_below; others the defaults. */
	struct config_alert al = config_alert_for(&c, "acme", 80, 20);
	ck_assert_double_eq_tol(al.oldest_s, 45, 1e-9);
	ck_assert_double_eq_tol(al.sl_below, 75, 1e-9);
	al = config_alert_for(&c, "other", 80, 20);
	ck_assert_double_eq_tol(al.oldest_s, 120, 1e-9);
}
END_TEST

START_TEST(test_config_defaults_from_tenant)
{
	struct config c;
	char err[CONFIG_ERR_MAX];
	struct config_alert al;

	ck_assert_int_eq(parse(&c, "", err, sizeof err), 0);
	ck_assert_str_eq(c.eps.events, ENDPOINT_EVENTS_DEFAULT);
	ck_assert_int_eq(c.refresh_ms, 100);
	ck_assert(c.bell);
	ck_assert_int_eq(c.rotate_s, 8);
	/* Nothing set: the tenant's own SL target and seconds. */
	al = config_alert_for(&c, "x", 85, 30);
	ck_assert_double_eq_tol(al.sl_below, 85, 1e-9);
	ck_assert_double_eq_tol(al.oldest_s, 30, 1e-9);
}
END_TEST

/* Each wrong file is refused with the line that is wrong. */
START_TEST(test_config_errors)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "[display]\nrefresh = 5\n", "cfg:2: refresh must be between 10 and 10000" },
		{ "[display]\nrefresh = 1e3\n", "cfg:2: refresh must be" },
		{ "\n[display]\nsort = bogus\n", "cfg:3: sort must be one of" },
		{ "[server]\nserver = a/b\n", "cfg:2: server wants a host" },
		{ "[server]\nevents = nowhere\n", "cfg:2: events wants an endpoint" },
		{ "[server]\nserver = x\nevents = tcp://x:1\n", "alternatives" },
		{ "[nope]\nx = 1\n", "cfg:2: unknown section [nope]" },
		{ "[display]\ncolour = red\n", "cfg:2: unknown key 'colour'" },
		{ "x = 1\n", "cfg:1: 'x' is outside any section" },
		{ "[alerts]\nbell = maybe\n", "cfg:2: bell must be yes or no" },
		{ "[alerts]\nsl_below = 120%\n", "cfg:2: sl_below must be" },
		{ "[tenant]\noldest = 5\n", "cfg:2: unknown section" },
		{ "[wallboard]\ntenants = a,,b\n", "cfg:2: tenants must be ids" },
		{ "[wallboard]\nrotate = 1.5\n", "cfg:2: rotate must be whole seconds" },
		{ "[display\n", "cfg:1: syntax error" },
	};
	char err[CONFIG_ERR_MAX];
	struct config c;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_int_eq(parse(&c, bad[i].text, err, sizeof err), -1);
		ck_assert_msg(strstr(err, bad[i].want) != NULL, "'%s': got '%s', want '%s'", bad[i].text, err,
		              bad[i].want);
	}
	/* A line longer than inih's buffer is refused, not cut in two. */
	char longline[600];
	memset(longline, 'a', sizeof longline);
	memcpy(longline, "[display]\ntheme = ", 18);
	longline[sizeof longline - 1] = '\0';
	ck_assert_int_eq(parse(&c, longline, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "cfg:2: line is too long"));
}
END_TEST

START_TEST(test_config_load)
{
	char dir[] = "/tmp/pt-config.XXXXXX", path[600], err[CONFIG_ERR_MAX];
	struct config c;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/none", dir);
	config_defaults(&c);
	ck_assert_int_eq(config_load(&c, path, err, sizeof err), 1);   /* missing: no error */
	snprintf(path, sizeof path, "%s/config", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("[display]\nrefresh = 500\n", f);
	fclose(f);
	ck_assert_int_eq(config_load(&c, path, err, sizeof err), 0);
	ck_assert_int_eq(c.refresh_ms, 500);
	ck_assert_str_eq(c.path, path);
	f = fopen(path, "w");
	fwrite("[display]\n\0x\n", 1, 14, f);
	fclose(f);
	ck_assert_int_eq(config_load(&c, path, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "NUL"));
	unlink(path);
	rmdir(dir);

	setenv("XDG_CONFIG_HOME", "/x/y", 1);
	ck_assert_int_eq(config_dir_path("config", path, sizeof path), 0);
	ck_assert_str_eq(path, "/x/y/pooltop/config");
	setenv("XDG_CONFIG_HOME", "relative", 1);   /* invalid: ignored */
	setenv("HOME", "/home/u", 1);
	ck_assert_int_eq(config_dir_path("themes", path, sizeof path), 0);
	ck_assert_str_eq(path, "/home/u/.config/pooltop/themes");
}
END_TEST

/* ------------------------------------------------------------ wallboard */

static void
level(struct listing_tenant *rows, uint32_t t, enum stats_level l, double sl)
{
	rows[t].tenant = t;
	rows[t].level = l;
	rows[t].stats.service_level = sl;
}

START_TEST(test_wall_cycle)
{
	struct floor f;
	struct listing_tenant rows[6];
	uint32_t out[12], n;
	const char ids[][PROTO_ID_MAX + 1] = { "t5", "t0", "nosuch" };

	floor_init(&f);
	for (int i = 0; i < 6; i++) {
		char id[8];
		snprintf(id, sizeof id, "t%d", i);
		testlib_tenant(&f, id, PROTO_MODEL_DEDICATED);
	}
	memset(rows, 0, sizeof rows);
	for (uint32_t t = 0; t < 6; t++)
		level(rows, t, STATS_OK, 0.9);
	level(rows, 3, STATS_WARN, 0.78);
	level(rows, 5, STATS_CRIT, 0.40);
	level(rows, 1, STATS_NONE, NAN);
	/* Below target first, worst first; then the others, a below-target
	 * tenant again after every two of them (not after the last). */
	n = wall_cycle(&f, rows, NULL, 0, out, 12);
	uint32_t want[] = { 5, 3, 0, 1, 5, 2, 4 };
	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	for (uint32_t i = 0; i < n; i++)
		ck_assert_uint_eq(out[i], want[i]);
	/* A board of some tenants: only those, the breach first. */
	n = wall_cycle(&f, rows, ids, 3, out, 12);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(out[0], 5);
	ck_assert_uint_eq(out[1], 0);
	/* Room is respected. */
	ck_assert_uint_eq(wall_cycle(&f, rows, NULL, 0, out, 3), 3);
	floor_free(&f);
}
END_TEST

START_TEST(test_wall_scale)
{
	char buf[256];

	ck_assert_int_eq(wall_scale(80, 24), 1);
	ck_assert_int_gt(wall_scale(160, 48), 1);
	ck_assert_int_ge(wall_scale(400, 120), wall_scale(160, 48));
	ck_assert_int_eq(wall_scale(60, 12), 1);
	/* Scale 2: every cell twice across and down. */
	ck_assert_str_eq(wall_big_at(buf, sizeof buf, "1", 0, 2, false), "  ##   ");
	ck_assert_str_eq(wall_big_at(buf, sizeof buf, "1", 1, 2, false), "  ##   ");
	ck_assert_str_eq(wall_big_at(buf, sizeof buf, "1", 9, 2, false), "###### ");
	ck_assert_str_eq(wall_big_at(buf, sizeof buf, "1", 10, 2, false), "");
	ck_assert_int_eq(wall_big_width_at("82%", 3), 30);
	/* A buffer too small is never overrun. */
	ck_assert_uint_le(strlen(wall_big_at(buf, 20, "8888", 0, 3, true)), 19);
}
END_TEST

/* Raised once, marked until acknowledged, raised again only after it
 * cleared; per-tenant thresholds from the file. */
START_TEST(test_alerts)
{
	struct floor f;
	struct listing_tenant rows[2];
	struct alert_book b;
	struct config c;
	char err[CONFIG_ERR_MAX], why[ALERT_TEXT_MAX], line[256];

	memset(&b, 0, sizeof b);
	floor_init(&f);
	testlib_tenant(&f, "t0", PROTO_MODEL_DEDICATED);   /* 80 % in 20 s */
	testlib_tenant(&f, "t1", PROTO_MODEL_DEDICATED);
	memset(rows, 0, sizeof rows);
	rows[0].stats.service_level = 0.9;
	rows[1].stats.service_level = NAN;
	rows[0].oldest_ms = rows[1].oldest_ms = -1;
	config_defaults(&c);
	ck_assert_uint_eq(alert_scan(&b, &f, rows, &c), 0);
	ck_assert(!alert_marked(&b, 0));

	rows[0].stats.service_level = 0.75;
	ck_assert(alert_check(&f, 0, &rows[0], &c, why, sizeof why));
	ck_assert_str_eq(why, "t0: service level 75% is below 80%");
	ck_assert_uint_eq(alert_scan(&b, &f, rows, &c), 1);
	ck_assert(alert_marked(&b, 0));
	ck_assert_uint_eq(b.raised, 1);
	ck_assert_uint_eq(alert_scan(&b, &f, rows, &c), 0);   /* not raised twice */
	ck_assert_uint_eq(alert_ack(&b), 1);
	ck_assert(!alert_marked(&b, 0));
	ck_assert_uint_eq(alert_scan(&b, &f, rows, &c), 0);   /* acknowledged: stays quiet */
	ck_assert_uint_eq(b.raised, 0);
	rows[0].stats.service_level = 0.85;
	alert_scan(&b, &f, rows, &c);                          /* cleared */
	rows[0].stats.service_level = 0.70;
	ck_assert_uint_eq(alert_scan(&b, &f, rows, &c), 1);   /* a new episode */

	/* The oldest contact past the tenant's SL seconds. */
	rows[1].oldest_ms = 21000;
	ck_assert(alert_check(&f, 1, &rows[1], &c, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "t1: a contact has waited"));
	alert_floor_line(&f, rows, &c, line, sizeof line);
	ck_assert_ptr_nonnull(strstr(line, "1 of 2 tenants below target"));
	ck_assert_ptr_nonnull(strstr(line, "longest 0:21"));

	/* The file's thresholds for t1, the defaults for t0. */
	ck_assert_int_eq(config_parse(&c, "[alerts]\nsl_below = 60%\n[tenant t1]\noldest = 30s\n", "cfg", err,
	                              sizeof err), 0);
	ck_assert(!alert_check(&f, 1, &rows[1], &c, why, sizeof why));
	ck_assert(alert_check(&f, 0, &rows[0], &c, why, sizeof why) == false);   /* 70 % >= 60 % */
	alert_free(&b);
	floor_free(&f);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_config_values);
	tcase_add_test(tc, test_config_defaults_from_tenant);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_config_load);
	tcase_add_test(tc, test_wall_cycle);
	tcase_add_test(tc, test_wall_scale);
	tcase_add_test(tc, test_alerts);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
