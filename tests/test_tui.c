/*
 * The dashboard's terminal-free pieces: the Shifts grid's figures and
 * thresholds, the totals row, ':' command splitting, the event ring of
 * the Events view and the text of each event.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/app.h"
#include "pooltop/cmdline.h"
#include "pooltop/evtext.h"
#include "pooltop/shiftgrid.h"
#include "pooltop/view.h"
#include "pooltop/wall.h"

static struct proto_tenant
tenant(double sl_pct, uint32_t sl_sec)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof t);
	snprintf(t.id, sizeof t.id, "acme");
	t.sl_pct = sl_pct;
	t.sl_sec = sl_sec;
	t.dedicated_rate = 30;
	t.shared_rate = 40;
	return t;
}

/* 100 offered, 80 answered (60 in SL), 20 abandoned of which 4 short. */
static struct proto_stats_row
row(void)
{
	struct proto_stats_row r;

	memset(&r, 0, sizeof r);
	r.offered = 100;
	r.answered = 80;
	r.answered_in_sl = 60;
	r.abandoned = 20;
	r.abandoned_short = 4;
	r.wait_ms = 80 * 15000;     /* ASA 15 s */
	r.talk_ms = 80 * 200000;
	r.wrap_ms = 80 * 40000;
	r.handled = 80;             /* AHT 240 s */
	r.dedicated_staffed_ms = 7200000;  /* 2 h */
	r.shared_handle_ms = 3600000;      /* 1 h */
	return r;
}

START_TEST(test_grid_values)
{
	struct proto_tenant t = tenant(80, 20);
	struct proto_stats_row r = row();
	char buf[32];

	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_OFFERED), 100, 1e-9);
	/* 60 / (80 + 20 - 4) */
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_SL), 60.0 / 96.0, 1e-9);
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_ASA), 15.0, 1e-9);
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_AHT), 240.0, 1e-9);
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_ABANDON), 0.20, 1e-9);
	/* (talk + wrap) / (dedicated staffed + shared handle) = 19.2e6 / 10.8e6 */
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_OCCUPANCY), 19.2e6 / 10.8e6, 1e-9);
	/* 2 h x 30 + 1 h x 40 */
	ck_assert_double_eq_tol(shiftgrid_value(&r, &t, SG_COST), 100.0, 1e-9);
	ck_assert_str_eq(shiftgrid_format(buf, sizeof buf, shiftgrid_value(&r, &t, SG_SL), SG_SL), "63%");
	ck_assert_str_eq(shiftgrid_format(buf, sizeof buf, NAN, SG_ASA), "-");
	ck_assert_str_eq(shiftgrid_format(buf, sizeof buf, 1234.4, SG_COST), "1,234");
	ck_assert_str_eq(shiftgrid_format(buf, sizeof buf, 100, SG_OFFERED), "100");
}
END_TEST

START_TEST(test_grid_levels)
{
	struct proto_tenant t = tenant(80, 20);

	ck_assert_int_eq(shiftgrid_level(0.80, &t, SG_SL), STATS_OK);
	ck_assert_int_eq(shiftgrid_level(0.76, &t, SG_SL), STATS_WARN);
	ck_assert_int_eq(shiftgrid_level(0.60, &t, SG_SL), STATS_CRIT);
	ck_assert_int_eq(shiftgrid_level(NAN, &t, SG_SL), STATS_NONE);
	ck_assert_int_eq(shiftgrid_level(20.0, &t, SG_ASA), STATS_OK);
	ck_assert_int_eq(shiftgrid_level(20.5, &t, SG_ASA), STATS_CRIT);
	ck_assert_int_eq(shiftgrid_level(0.04, &t, SG_ABANDON), STATS_OK);
	ck_assert_int_eq(shiftgrid_level(0.07, &t, SG_ABANDON), STATS_WARN);
	ck_assert_int_eq(shiftgrid_level(0.11, &t, SG_ABANDON), STATS_CRIT);
	/* The totals row has no target to miss. */
	ck_assert_int_eq(shiftgrid_level(0.10, NULL, SG_SL), STATS_NONE);
}
END_TEST

/* The floor's service level is from summed counters, not a mean of the
 * tenants' percentages; its cost is the sum of theirs. */
/* A missed target is red however near; met is green; nothing is dim. */
START_TEST(test_sl_role_missed_is_red)
{
	ck_assert_int_eq(draw_sl_role(stats_sl_level(0.79, 80, 5)), TR_CRIT);
	ck_assert_int_eq(draw_sl_role(stats_sl_level(0.60, 80, 5)), TR_CRIT);
	ck_assert_int_eq(draw_sl_role(stats_sl_level(0.80, 80, 5)), TR_OK);
	ck_assert_int_eq(draw_sl_role(stats_sl_level(NAN, 80, 5)), TR_DIM);
}
END_TEST

/* Stale data says how old it is: the banner, and the age from the last
 * feed message (or from the state's start when none ever came). */
START_TEST(test_stale_age_and_banner)
{
	struct app *a = calloc(1, sizeof *a);
	char buf[160];

	ck_assert_ptr_nonnull(a);
	a->conn.last_msg_real = 1000000;
	a->conn.since_real = 1003000;
	ck_assert_int_eq(app_data_age_s(a, 1042500), 42);
	a->conn.last_msg_real = 0;
	ck_assert_int_eq(app_data_age_s(a, 1042500), 39);
	ck_assert_int_eq(app_data_age_s(a, 900000), 0);     /* a clock that went back */
	ck_assert_str_eq(wall_banner(buf, sizeof buf, "STALE", "18:20:01", 42),
	                 " NOT LIVE (STALE): these figures are from 18:20:01, 42 s ago ");
	free(a);
}
END_TEST

/* An AHT from too few contacts says how few; from enough, nothing more. */
/* Columns on a wide screen: a name stops at its max, the chart takes
 * the rest; on a narrow one the chart goes first and a name or an id
 * never shrinks below what it needs. */
START_TEST(test_layout_wide_and_narrow)
{
	struct draw_col c[] = {
		{ "Name", 12, 0, 100, true, 32, false },
		{ "ID", 13, 0, 98, false, 0, false },
		{ "Wait", 4, 1, 95, false, 0, false },
		{ "Spark", 12, 0, 30, false, 96, true },
	};
	int xs[4], ws[4];

	/* 12+13+4+12 and four separators = 45 */
	draw_layout(c, 4, 45, xs, ws);
	ck_assert_int_eq(ws[0], 12);
	ck_assert_int_eq(ws[3], 12);
	draw_layout(c, 4, 120, xs, ws);
	ck_assert_int_eq(ws[0], 32);
	ck_assert_int_eq(ws[1], 13);
	ck_assert_int_eq(ws[2], 4);
	ck_assert_int_eq(ws[3], 12 + 120 - 45 - 20);
	ck_assert_int_eq(xs[3], 32 + 1 + 13 + 1 + 4 + 1);
	/* wider than every max: the rest stays blank */
	draw_layout(c, 4, 400, xs, ws);
	ck_assert_int_eq(ws[0], 32);
	ck_assert_int_eq(ws[3], 96);
	/* narrow: the chart goes first, the id stays whole */
	draw_layout(c, 4, 40, xs, ws);
	ck_assert_int_eq(ws[3], 0);
	ck_assert_int_eq(ws[1], 13);
	ck_assert_int_eq(ws[0], 12 + 40 - 32);
	draw_layout(c, 4, 28, xs, ws);
	ck_assert_int_eq(ws[2], 0);
	ck_assert_int_eq(ws[1], 13);
	ck_assert_int_eq(ws[0], 12 + 28 - 27);
}
END_TEST

START_TEST(test_layout_flex_unbounded_and_fit)
{
	struct draw_col c[] = {
		{ "ID", 2, 0, 90, false, 0, false },
		{ "Serves", 8, 0, 80, true, 0, false },
	};
	int xs[2], ws[2];

	/* a flex column with no max takes all that is left, as before */
	draw_layout(c, 2, 120, xs, ws);
	ck_assert_int_eq(ws[1], 120 - 2 - 2);
	/* an id column sized from the longest id, never narrowed */
	draw_col_fit(&c[0], 13);
	ck_assert_int_eq(c[0].width, 13);
	draw_col_fit(&c[0], 5);
	ck_assert_int_eq(c[0].width, 13);
	draw_layout(c, 2, 80, xs, ws);
	ck_assert_int_eq(ws[0], 13);
	ck_assert_int_eq(xs[1], 14);
}
END_TEST

/* Oldest: amber from half the SL seconds, red past them, and the two
 * still differ (and differ from plain text) without colour. */
START_TEST(test_wait_role)
{
	struct theme_style w = theme_mono_style(TR_WARN), c = theme_mono_style(TR_CRIT);

	ck_assert_int_eq(draw_wait_role(STATS_NONE), TR_NORMAL);
	ck_assert_int_eq(draw_wait_role(STATS_OK), TR_NORMAL);
	ck_assert_int_eq(draw_wait_role(STATS_WARN), TR_WARN);
	ck_assert_int_eq(draw_wait_role(STATS_CRIT), TR_CRIT);
	ck_assert_uint_ne(w.attr, 0);
	ck_assert_uint_ne(c.attr, 0);
	ck_assert_uint_ne(w.attr, c.attr);
	ck_assert_uint_ne(w.attr, theme_mono_style(TR_NORMAL).attr);
}
END_TEST

START_TEST(test_aht_thin)
{
	char buf[32];

	ck_assert(stats_aht_thin(0));
	ck_assert(stats_aht_thin(STATS_AHT_MIN_HANDLED - 1));
	ck_assert(!stats_aht_thin(STATS_AHT_MIN_HANDLED));
	ck_assert_str_eq(draw_aht(buf, sizeof buf, 65.0, 3), "1m05 (3)");
	ck_assert_str_eq(draw_aht(buf, sizeof buf, 65.0, STATS_AHT_MIN_HANDLED), "1m05");
	ck_assert_str_eq(draw_aht(buf, sizeof buf, NAN, 0), "-");
}
END_TEST

START_TEST(test_grid_totals)
{
	struct proto_tenant t = tenant(80, 20);
	struct proto_stats_row a = row(), b, tot;

	memset(&b, 0, sizeof b);
	b.offered = 900;
	b.answered = 900;
	b.answered_in_sl = 900;
	b.handled = 900;
	b.talk_ms = 900 * 100000;
	memset(&tot, 0, sizeof tot);
	a.cost = shiftgrid_value(&a, &t, SG_COST);
	b.cost = 55;
	shiftgrid_sum(&tot, &a);
	shiftgrid_sum(&tot, &b);
	ck_assert_uint_eq(tot.offered, 1000);
	ck_assert_double_eq_tol(shiftgrid_value(&tot, NULL, SG_SL), 960.0 / 996.0, 1e-9);
	ck_assert_double_eq_tol(shiftgrid_value(&tot, NULL, SG_COST), 155.0, 1e-9);
	ck_assert_double_eq_tol(shiftgrid_value(&tot, NULL, SG_ABANDON), 20.0 / 1000.0, 1e-9);
}
END_TEST

START_TEST(test_cmdline_split)
{
	char buf[128], *w[8];

	snprintf(buf, sizeof buf, "  move a1  a2 shared   queue is long ");
	ck_assert_int_eq(cmdline_split(buf, w, 8), 7);
	ck_assert_str_eq(w[0], "move");
	ck_assert_str_eq(w[3], "shared");
	ck_assert_str_eq(w[6], "long");
	snprintf(buf, sizeof buf, "move a1 shared \"lunch cover, Zoë\"");
	ck_assert_int_eq(cmdline_split(buf, w, 8), 4);
	ck_assert_str_eq(w[3], "lunch cover, Zoë");
	snprintf(buf, sizeof buf, "move \"unterminated");
	ck_assert_int_eq(cmdline_split(buf, w, 8), -1);
	snprintf(buf, sizeof buf, "a b c d e f g h i");
	ck_assert_int_eq(cmdline_split(buf, w, 8), -1);
	snprintf(buf, sizeof buf, "   ");
	ck_assert_int_eq(cmdline_split(buf, w, 8), 0);
}
END_TEST

START_TEST(test_log_ring)
{
	struct app_log log;
	struct proto_event ev;

	memset(&log, 0, sizeof log);
	memset(&ev, 0, sizeof ev);
	ck_assert_ptr_null(app_log_get(&log, 0));
	for (uint64_t i = 1; i <= APP_LOG_MAX + 5; i++) {
		ev.seq = i;
		app_log_push(&log, &ev);
	}
	ck_assert_uint_eq(log.count, APP_LOG_MAX);
	ck_assert_uint_eq(app_log_get(&log, 0)->seq, APP_LOG_MAX + 5);          /* newest */
	ck_assert_uint_eq(app_log_get(&log, APP_LOG_MAX - 1)->seq, 6);          /* oldest kept */
	ck_assert_ptr_null(app_log_get(&log, APP_LOG_MAX));
	/* Paused: new events are counted so the view can hold still. */
	log.paused = true;
	log.missed = 0;
	ev.seq = 9999;
	app_log_push(&log, &ev);
	app_log_push(&log, &ev);
	ck_assert_uint_eq(log.missed, 2);
	ck_assert_uint_eq(app_log_get(&log, 2)->seq, APP_LOG_MAX + 5);
	app_log_free(&log);
}
END_TEST

START_TEST(test_evtext)
{
	struct proto_event ev;
	char buf[256];

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_CONTACT_ANSWERED;
	snprintf(ev.tenant, sizeof ev.tenant, "acme");
	snprintf(ev.agent, sizeof ev.agent, "a0017");
	ev.contact = 81;
	ev.wait_ms = 12000;
	ck_assert_str_eq(evtext_format(buf, sizeof buf, &ev), "answered  acme c81 by a0017 after 0:12");
	ev.type = PROTO_EV_AGENT_MOVED;
	snprintf(ev.from, sizeof ev.from, "shared");
	snprintf(ev.to, sizeof ev.to, "ded-acme");
	snprintf(ev.by, sizeof ev.by, "alice");
	snprintf(ev.reason, sizeof ev.reason, "queue");
	ck_assert_str_eq(evtext_format(buf, sizeof buf, &ev), "MOVED     a0017 shared -> ded-acme by alice: queue");
	ev.type = PROTO_EV_AGENT_STATE;
	ev.state = PROTO_AS_BREAK;
	ev.tenant[0] = '\0';
	ck_assert_str_eq(evtext_format(buf, sizeof buf, &ev), "agent     a0017 is break");
	ev.type = PROTO_EV_SHIFT_STARTED;
	snprintf(ev.shift, sizeof ev.shift, "Late");
	ck_assert_str_eq(evtext_format(buf, sizeof buf, &ev), "SHIFT     Late started");
}
END_TEST

START_TEST(test_wall_font)
{
	char buf[256];

	/* "1" is a 3x5 glyph plus a space; every row has the same width. */
	ck_assert_str_eq(wall_big(buf, sizeof buf, "1", 0, false), " #  ");
	ck_assert_str_eq(wall_big(buf, sizeof buf, "1", 4, false), "### ");
	ck_assert_str_eq(wall_big(buf, sizeof buf, "8%", 2, false), "###  #  ");
	ck_assert_int_eq(wall_big_width("82%"), 12);
	for (int r = 0; r < WALL_GLYPH_ROWS; r++)
		ck_assert_uint_eq(strlen(wall_big(buf, sizeof buf, "0123456789%:-", r, false)), 13 * 4);
	/* UTF-8 blocks, the same shape. */
	ck_assert_str_eq(wall_big(buf, sizeof buf, "1", 4, true), "███ ");
}
END_TEST

static Suite *
tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_grid_values);
	tcase_add_test(tc, test_grid_levels);
	tcase_add_test(tc, test_aht_thin);
	tcase_add_test(tc, test_layout_wide_and_narrow);
	tcase_add_test(tc, test_layout_flex_unbounded_and_fit);
	tcase_add_test(tc, test_wait_role);
	tcase_add_test(tc, test_stale_age_and_banner);
	tcase_add_test(tc, test_sl_role_missed_is_red);
	tcase_add_test(tc, test_grid_totals);
	tcase_add_test(tc, test_cmdline_split);
	tcase_add_test(tc, test_log_ring);
	tcase_add_test(tc, test_evtext);
	tcase_add_test(tc, test_wall_font);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tui_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
