/*
 * Check suite for the one number parser (util/parse.c): every rule of
 * docs/ARGUMENTS.md accepted and refused, with the words a person reads,
 * and the usage helpers' one-line messages (util/args.c).
 */
#include <check.h>
#include <getopt.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pooltop/args.h"
#include "pooltop/cmd_erlang.h"
#include "pooltop/cmd_report.h"
#include "pooltop/parse.h"
#include "pooltop/server.h"
#include "testlib.h"

static const struct parse_range any_nonneg = { 0, HUGE_VAL, false, false };

/* ------------------------------------------------------------ numbers */

START_TEST(numbers_accepted)
{
	static const struct { const char *s; double v; } ok[] = {
		{ "0", 0 }, { "7", 7 }, { "28.50", 28.5 }, { "0.5", 0.5 }, { ".5", 0.5 },
		{ "3.", 3 }, { "+4", 4 }, { "-0", 0 }, { "0.1", 0.1 }, { "1800", 1800 },
		{ "123456789012345678901234", 123456789012345678901234.0 },
	};
	double v;
	char why[PARSE_WHY_MAX];

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		v = -1;
		ck_assert_msg(parse_number(ok[i].s, &any_nonneg, &v, why, sizeof why) == PARSE_OK,
		              "%s: %s", ok[i].s, why);
		ck_assert_msg(v == ok[i].v, "%s read as %.17g", ok[i].s, v);
	}
	/* "-0" is zero, not a negative zero that would print "-0" */
	parse_number("-0", &any_nonneg, &v, why, sizeof why);
	ck_assert(!signbit(v));
}
END_TEST

/* What strtod would take but no person means, and what is not a number. */
START_TEST(numbers_refused)
{
	static const char *const bad[] = {
		"", " 5", "5 ", "nan", "NaN", "inf", "-inf", "infinity", "1e3", "1E3", "0x10",
		"1.2.3", ".", "-", "+", "12x", "1,5", "1 000", "--5", "1234567890123456789012345",
	};
	const struct parse_range r = { -HUGE_VAL, HUGE_VAL, false, false };
	double v = 42;
	char why[PARSE_WHY_MAX];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse_number(bad[i], &r, &v, why, sizeof why) == PARSE_FORM, "'%s'", bad[i]);
		ck_assert_str_eq(why, "must be a number");
	}
	ck_assert(v == 42);  /* untouched on failure */
}
END_TEST

/* A comma-decimal locale (pooltop runs under setlocale) changes nothing. */
START_TEST(numbers_ignore_locale)
{
	static const char *const locs[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", NULL };
	double v = 0;

	for (size_t i = 0; locs[i]; i++) {
		if (setlocale(LC_NUMERIC, locs[i]))
			break;
	}
	ck_assert_int_eq(parse_number("26.5", &any_nonneg, &v, NULL, 0), PARSE_OK);
	ck_assert(v == 26.5);
	ck_assert_int_eq(parse_number("26,5", &any_nonneg, &v, NULL, 0), PARSE_FORM);
	setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(range_words)
{
	static const struct {
		struct parse_range r;
		const char *s;
		const char *why;
	} cases[] = {
		{ { 0, 86400, true, false }, "0", "must be greater than 0" },
		{ { 0, 1e6, false, false }, "-1", "must not be negative" },
		{ { 1, 100, false, false }, "150", "must be between 1 and 100" },
		{ { 1, 100, false, false }, "0.5", "must be between 1 and 100" },
		{ { 0, 86400, true, false }, "90000", "must be at most 86400" },
		{ { 0, 100, true, true }, "100", "must be less than 100" },
		{ { 0, 100, true, true }, "0", "must be greater than 0" },
		{ { 2, HUGE_VAL, false, false }, "1", "must be at least 2" },
		{ { -HUGE_VAL, 10, false, false }, "11", "must be at most 10" },
		{ { 0, 1e6, false, false }, "2000000", "must be between 0 and 1000000" },
	};
	char why[PARSE_WHY_MAX];
	double v = 7;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_int_eq(parse_number(cases[i].s, &cases[i].r, &v, why, sizeof why), PARSE_RANGE);
		ck_assert_str_eq(why, cases[i].why);
	}
	ck_assert(v == 7);
	/* the bounds themselves, closed and open */
	const struct parse_range closed = { 1, 100, false, false };
	ck_assert_int_eq(parse_number("1", &closed, &v, why, sizeof why), PARSE_OK);
	ck_assert_int_eq(parse_number("100", &closed, &v, why, sizeof why), PARSE_OK);
}
END_TEST

START_TEST(percentages)
{
	const struct parse_range sl = { 0, 100, true, true };
	char why[PARSE_WHY_MAX];
	double v;

	ck_assert_int_eq(parse_percent("80", &sl, &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 80);
	ck_assert_int_eq(parse_percent("80%", &sl, &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 80);
	ck_assert_int_eq(parse_percent("12.5%", &sl, &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 12.5);
	ck_assert_int_eq(parse_percent("100%", &sl, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be less than 100%");
	ck_assert_int_eq(parse_percent("0", &sl, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be greater than 0%");
	ck_assert_int_eq(parse_percent("80%%", &sl, &v, why, sizeof why), PARSE_FORM);
	ck_assert_str_eq(why, "must be a percentage like 80 or 80%");
	ck_assert_int_eq(parse_percent("%", &sl, &v, why, sizeof why), PARSE_FORM);
	ck_assert_int_eq(parse_percent("eighty", &sl, &v, why, sizeof why), PARSE_FORM);
}
END_TEST

/* ------------------------------------------------------------ whole */

START_TEST(whole_numbers)
{
	char why[PARSE_WHY_MAX];
	uint64_t v = 9;

	ck_assert_int_eq(parse_whole("0", 0, 1000, &v, why, sizeof why), PARSE_OK);
	ck_assert_uint_eq(v, 0);
	ck_assert_int_eq(parse_whole("1000", 0, 1000, &v, why, sizeof why), PARSE_OK);
	ck_assert_uint_eq(v, 1000);
	ck_assert_int_eq(parse_whole("+3", 0, 1000, &v, why, sizeof why), PARSE_OK);
	ck_assert_uint_eq(v, 3);
	ck_assert_int_eq(parse_whole("18446744073709551615", 0, UINT64_MAX, &v, why, sizeof why),
	                 PARSE_OK);
	ck_assert_uint_eq(v, UINT64_MAX);

	ck_assert_int_eq(parse_whole("1001", 0, 1000, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be between 0 and 1000");
	ck_assert_int_eq(parse_whole("-1", 0, 1000, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must not be negative");
	ck_assert_int_eq(parse_whole("-1", 1, 3600, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be between 1 and 3600");
	ck_assert_int_eq(parse_whole("0", 1, 3600, &v, why, sizeof why), PARSE_RANGE);
	/* past UINT64_MAX it is out of range, never wrapped round */
	ck_assert_int_eq(parse_whole("18446744073709551616", 0, UINT64_MAX, &v, why, sizeof why),
	                 PARSE_RANGE);
	ck_assert_str_eq(why, "must be between 0 and 18446744073709551615");
	ck_assert_int_eq(parse_whole("99999999999999999999999", 0, 10, &v, why, sizeof why),
	                 PARSE_RANGE);

	static const char *const bad[] = { "", "1.5", "2.0", "3s", " 3", "3 ", "x", "1e3", "-", "0x1" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse_whole(bad[i], 0, 1000, &v, why, sizeof why) == PARSE_FORM, "'%s'", bad[i]);
		ck_assert_str_eq(why, "must be a whole number");
	}
	ck_assert_uint_eq(v, UINT64_MAX);
}
END_TEST

/* ------------------------------------------------------------ durations */

START_TEST(durations)
{
	static const struct { const char *s; double unit, v; } ok[] = {
		{ "45", 1, 45 }, { "30s", 1, 30 }, { "45m", 1, 2700 }, { "2h", 1, 7200 },
		{ "1d", 1, 86400 }, { "1.5h", 1, 5400 }, { "0.5m", 1, 30 }, { "90", 60, 5400 },
		{ "90s", 60, 90 }, { "0", 1, 0 }, { "2.5", 1, 2.5 },
	};
	char why[PARSE_WHY_MAX];
	double v;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(parse_duration(ok[i].s, ok[i].unit, &any_nonneg, &v, why, sizeof why) == PARSE_OK,
		              "%s: %s", ok[i].s, why);
		ck_assert_msg(v == ok[i].v, "%s read as %g", ok[i].s, v);
	}
	static const char *const bad[] = {
		"", "s", "m", "30 s", "30S", "30ms", "30sec", "1h30m", "2w", "nan", "inf", "1e3s", "h2",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse_duration(bad[i], 1, &any_nonneg, &v, why, sizeof why) == PARSE_FORM,
		              "'%s'", bad[i]);
		ck_assert_str_eq(why, "must be a time like 90, 30s, 45m, 2h or 1d");
	}
	const struct parse_range pos = { 0, 3600, true, false };
	ck_assert_int_eq(parse_duration("-60", 1, &pos, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be greater than 0 s");
	ck_assert_int_eq(parse_duration("0m", 1, &pos, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_int_eq(parse_duration("2h", 1, &pos, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be at most 3600 s");
	ck_assert_int_eq(parse_duration("-5m", 1, &any_nonneg, &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must not be negative");
}
END_TEST

/* ------------------------------------------------------------ clock */

START_TEST(clock_times)
{
	static const struct { const char *s; unsigned flags; uint32_t v; } ok[] = {
		{ "6:00", 0, 6 * 3600 }, { "06:00", 0, 6 * 3600 }, { "9:30", 0, 9 * 3600 + 1800 },
		{ "14:00", 0, 14 * 3600 }, { "0:00", 0, 0 }, { "23:59", 0, 86340 },
		{ "06:00:30", PARSE_CLOCK_SECONDS, 6 * 3600 + 30 }, { "9:30", PARSE_CLOCK_SECONDS, 34200 },
		{ "23:59:59", PARSE_CLOCK_SECONDS, 86399 }, { "24:00", PARSE_CLOCK_END, 86400 },
	};
	char why[PARSE_WHY_MAX];
	uint32_t v;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		ck_assert_msg(parse_clock(ok[i].s, ok[i].flags, &v, why, sizeof why) == PARSE_OK, "%s: %s",
		              ok[i].s, why);
		ck_assert_uint_eq(v, ok[i].v);
	}
	static const char *const bad[] = {
		"", "8h", "24:00", "25:00", "16:60", "9:3", "930", "9.30", ":30", "006:00", "06:00 ",
		" 06:00", "06:00:30", "-1:00", "12:00pm",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ck_assert_msg(parse_clock(bad[i], 0, &v, why, sizeof why) == PARSE_FORM, "'%s'", bad[i]);
		ck_assert_str_eq(why, "must be HH:MM (00:00 to 23:59)");
	}
	ck_assert_int_eq(parse_clock("24:01", PARSE_CLOCK_END, &v, why, sizeof why), PARSE_FORM);
	ck_assert_str_eq(why, "must be HH:MM (00:00 to 24:00)");
	ck_assert_int_eq(parse_clock("06:00:60", PARSE_CLOCK_SECONDS, &v, why, sizeof why), PARSE_FORM);
	ck_assert_str_eq(why, "must be HH:MM or HH:MM:SS (00:00 to 23:59:59)");
	ck_assert_int_eq(parse_clock("06:00:", PARSE_CLOCK_SECONDS, &v, why, sizeof why), PARSE_FORM);
}
END_TEST

/* ------------------------------------------------------------ others */

START_TEST(speeds)
{
	char why[PARSE_WHY_MAX];
	double v = 5;

	ck_assert_int_eq(parse_speed("max", &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 0);
	ck_assert_int_eq(parse_speed("60", &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 60);
	ck_assert_int_eq(parse_speed("0.5", &v, why, sizeof why), PARSE_OK);
	ck_assert(v == 0.5);
	ck_assert_int_eq(parse_speed("fast", &v, why, sizeof why), PARSE_FORM);
	ck_assert_str_eq(why, "must be a number or 'max'");
	ck_assert_int_eq(parse_speed("MAX", &v, why, sizeof why), PARSE_FORM);
	ck_assert_int_eq(parse_speed("0", &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be greater than 0");
	ck_assert_int_eq(parse_speed("2000000", &v, why, sizeof why), PARSE_RANGE);
	ck_assert_str_eq(why, "must be at most 1000000");
	ck_assert_int_eq(parse_speed("inf", &v, why, sizeof why), PARSE_FORM);
}
END_TEST

START_TEST(choices)
{
	static const char *const formats[] = { "text", "csv", "json", NULL };
	static const char *const two[] = { "text", "json", NULL };
	char why[PARSE_WHY_MAX];

	ck_assert_int_eq(parse_choice("text", formats, why, sizeof why), 0);
	ck_assert_int_eq(parse_choice("json", formats, why, sizeof why), 2);
	ck_assert_int_eq(parse_choice("JSON", formats, why, sizeof why), -1);
	ck_assert_str_eq(why, "must be text, csv or json");
	ck_assert_int_eq(parse_choice("", two, why, sizeof why), -1);
	ck_assert_str_eq(why, "must be text or json");
}
END_TEST

/* ------------------------------------------------------------ args */

struct out {
	int rc;
	char out[4096], err[1024];
};

/* main(argc, argv) with stdout and stderr captured. */
static void
run_main(int (*main_fn)(int, char **), char **argv, struct out *o)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so = dup(1), se = dup(2), argc = 0;
	size_t n;

	ck_assert(fo && fe);
	while (argv[argc])
		argc++;
	fflush(NULL);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	o->rc = main_fn(argc, argv);
	fflush(NULL);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	rewind(fo);
	rewind(fe);
	n = fread(o->out, 1, sizeof o->out - 1, fo);
	o->out[n] = '\0';
	n = fread(o->err, 1, sizeof o->err - 1, fe);
	o->err[n] = '\0';
	fclose(fo);
	fclose(fe);
}

static int
scan(int argc, char **argv)
{
	static const struct option longs[] = {
		{ "speed", required_argument, NULL, 'x' },
		{ "quiet", no_argument, NULL, 'Q' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	args_getopt_reset();
	while ((c = getopt_long(argc, argv, ":q", longs, NULL)) != -1) {
		if (c == ':' || c == '?')
			return args_getopt_fail("prog", c, argv);
	}
	return 0;
}

static int
bad_value(int argc, char **argv)
{
	(void)argc;
	return args_bad_value("pooltopd", argv[0], argv[1], "must be a number or 'max'");
}

START_TEST(usage_lines)
{
	struct out o;
	char *a[] = { "prog", "--speed", NULL };
	char *b[] = { "prog", "--quiet=yes", NULL };
	char *c[] = { "prog", "--bogus", NULL };
	char *d[] = { "prog", "-z", NULL };
	char *e[] = { "speed", "fast", NULL };
	char *ok[] = { "prog", "--speed", "5", "--quiet", NULL };

	run_main(scan, a, &o);
	ck_assert_int_eq(o.rc, ARGS_USAGE);
	ck_assert_str_eq(o.err, "prog: option '--speed' needs a value\n");
	run_main(scan, b, &o);
	ck_assert_int_eq(o.rc, ARGS_USAGE);
	ck_assert_str_eq(o.err, "prog: option '--quiet=yes' takes no value\n");
	run_main(scan, c, &o);
	ck_assert_int_eq(o.rc, ARGS_USAGE);
	ck_assert_str_eq(o.err, "prog: unknown or ambiguous option '--bogus' (see prog --help)\n");
	run_main(scan, d, &o);
	ck_assert_int_eq(o.rc, ARGS_USAGE);
	ck_assert_str_eq(o.err, "prog: unknown option '-z' (see prog --help)\n");
	/* a second scan in the same process starts afresh */
	run_main(scan, ok, &o);
	ck_assert_int_eq(o.rc, 0);
	ck_assert_str_eq(o.err, "");
	run_main(bad_value, e, &o);
	ck_assert_int_eq(o.rc, ARGS_USAGE);
	ck_assert_str_eq(o.err, "pooltopd: --speed must be a number or 'max', got 'fast'\n");
}
END_TEST

/* ------------------------------------------------------------ commands */

/* The same rules reach every command: what issue 15 found refused in
 * one place and accepted in another. */

/* pooltopd --start takes the clock times scenarios take (6:00, 9:30) and
 * seconds; --duration the units every other time option takes. */
START_TEST(pooltopd_flags)
{
	char *argv[] = { "pooltopd", "--start", "9:30", "--duration", "45m", "--speed", "max",
	                 "--seed", "7", NULL };
	char *secs[] = { "pooltopd", "--start", "06:00:30", "--duration", "90", NULL };
	struct server_opts o;
	struct tm tm;
	time_t t;

	ck_assert_int_eq(server_parse_args(9, argv, &o), 0);
	t = (time_t)(o.start_ts / 1000);
	localtime_r(&t, &tm);
	ck_assert_int_eq(tm.tm_hour, 9);
	ck_assert_int_eq(tm.tm_min, 30);
	ck_assert_int_eq(tm.tm_sec, 0);
	ck_assert_int_eq(o.duration_ms, 45 * 60 * 1000);
	ck_assert(o.speed == 0);
	ck_assert_uint_eq(o.seed, 7);

	ck_assert_int_eq(server_parse_args(5, secs, &o), 0);
	t = (time_t)(o.start_ts / 1000);
	localtime_r(&t, &tm);
	ck_assert_int_eq(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec, 6 * 3600 + 30);
	ck_assert_int_eq(o.duration_ms, 90 * 1000);
}
END_TEST

static int
pooltopd_main(int argc, char **argv)
{
	struct server_opts o;

	return server_parse_args(argc, argv, &o);
}


/* erlang --interval 30m is --interval 1800, as --duration 45m always was;
 * and so for --aht and --target. */
START_TEST(erlang_times_take_units)
{
	char *secs[] = { "erlang", "--calls", "100", "--interval", "1800", "--aht", "180",
	                 "--target", "20", "--sl", "80", "--format", "json", NULL };
	char *units[] = { "erlang", "--calls", "100", "--interval", "30m", "--aht", "3m",
	                  "--target", "20s", "--sl", "80%", "--format", "json", NULL };
	struct out a, b;

	run_main(cmd_erlang_main, secs, &a);
	run_main(cmd_erlang_main, units, &b);
	ck_assert_msg(a.rc == 0 && b.rc == 0, "%s / %s", a.err, b.err);
	ck_assert_ptr_nonnull(strstr(a.out, "\"agents\": 14,"));
	ck_assert_str_eq(a.out, b.out);
}
END_TEST

/* Each refusal is one line that names the option, the problem and the
 * text, whichever command it comes from. */
START_TEST(refusals_say_why)
{
	static const struct {
		int (*main_fn)(int, char **);
		const char *argv[14];
		const char *err;
	} cases[] = {
		{ pooltopd_main, { "pooltopd", "--start", "9:3" },
		  "pooltopd: --start must be HH:MM or HH:MM:SS (00:00 to 23:59:59), got '9:3'\n" },
		{ pooltopd_main, { "pooltopd", "--duration", "0" },
		  "pooltopd: --duration must be greater than 0 s, got '0'\n" },
		{ cmd_erlang_main, { "erlang", "--calls", "100", "--interval", "30x", "--aht", "180",
		                     "--target", "20", "--sl", "80" },
		  "pooltop erlang: --interval must be a time like 90, 30s, 45m, 2h or 1d, got '30x'\n" },
		{ cmd_erlang_main, { "erlang", "--calls", "100", "--interval", "1800", "--aht", "180",
		                     "--target", "20", "--sl", "100%" },
		  "pooltop erlang: --sl must be less than 100%, got '100%'\n" },
		{ cmd_report_main, { "report", "--shifts", "-1" },
		  "pooltop report: --shifts must not be negative, got '-1'\n" },
	};
	struct out o;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		run_main(cases[i].main_fn, (char **)cases[i].argv, &o);
		ck_assert_int_eq(o.rc, 2);
		ck_assert_str_eq(o.err, cases[i].err);
		ck_assert_str_eq(o.out, "");
	}
}
END_TEST

/* pooltop --rotate takes a time like every other time option; the
 * dashboard is not started (--help comes after it). */
START_TEST(pooltop_rotate_takes_a_time)
{
	char cmd[1024];

	snprintf(cmd, sizeof cmd, "%s/pooltop --rotate 1m --help >/dev/null 2>&1", testlib_bindir());
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 0);
	snprintf(cmd, sizeof cmd, "%s/pooltop --rotate 61m --help >/dev/null 2>&1", testlib_bindir());
	ck_assert_int_eq(WEXITSTATUS(system(cmd)), 2);
}
END_TEST

/* --server and the endpoints are alternatives: both is a usage error,
 * whichever comes first, and nothing is asked of any server. */
START_TEST(report_server_or_endpoints)
{
	char *a[] = { "report", "--server", "x", "--events", "tcp://y:7701", NULL };
	char *b[] = { "report", "--requests", "tcp://y:7702", "--server", "x", NULL };
	char *ok[] = { "report", "--events", "tcp://127.0.0.1:1", "--requests", "tcp://127.0.0.1:1",
	               "--help", NULL };
	struct out o;

	run_main(cmd_report_main, a, &o);
	ck_assert_int_eq(o.rc, 2);
	ck_assert_str_eq(o.err, "pooltop report: give either --server or --events/--requests, "
	                        "not both\n");
	ck_assert_str_eq(o.out, "");
	run_main(cmd_report_main, b, &o);
	ck_assert_int_eq(o.rc, 2);
	ck_assert_ptr_nonnull(strstr(o.err, "not both"));
	run_main(cmd_report_main, ok, &o);
	ck_assert_int_eq(o.rc, 0);
}
END_TEST

static Suite *
parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("numbers");

	tcase_add_test(tc, numbers_accepted);
	tcase_add_test(tc, numbers_refused);
	tcase_add_test(tc, numbers_ignore_locale);
	tcase_add_test(tc, range_words);
	tcase_add_test(tc, percentages);
	tcase_add_test(tc, whole_numbers);
	tcase_add_test(tc, durations);
	tcase_add_test(tc, clock_times);
	tcase_add_test(tc, speeds);
	tcase_add_test(tc, choices);
	suite_add_tcase(s, tc);
	tc = tcase_create("args");
	tcase_add_test(tc, usage_lines);
	suite_add_tcase(s, tc);
	tc = tcase_create("commands");
	tcase_add_test(tc, pooltopd_flags);
	tcase_add_test(tc, erlang_times_take_units);
	tcase_add_test(tc, refusals_say_why);
	tcase_add_test(tc, report_server_or_endpoints);
	tcase_add_test(tc, pooltop_rotate_takes_a_time);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
