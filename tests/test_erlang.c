/*
 * test_erlang: Erlang C maths against published worked examples, the
 * recurrence against the textbook sum at sizes where both are exact,
 * stability at thousands of agents, and the `pooltop erlang` command.
 *
 * Every published figure below was reproduced by this implementation to
 * the precision the source prints before it was written down here.
 */
#include "pooltop/cmd_erlang.h"
#include "pooltop/erlang.h"

#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- published examples ------------------------------------------- */

/*
 * Textbook case worked by hand with the recurrence: A = 2 erlangs,
 * N = 3.  B1 = 2/3, B2 = 2/5, B3 = 4/19 = 0.2105 (the entry every Erlang B
 * table gives for 2 E on 3 trunks); P_w = 3*(4/19) / (3 - 2*(15/19))
 * = 4/9 = 0.4444.
 */
START_TEST(test_textbook_a2_n3)
{
	ck_assert_double_eq_tol(erlang_b(1, 2.0), 2.0 / 3.0, 1e-15);
	ck_assert_double_eq_tol(erlang_b(2, 2.0), 0.4, 1e-15);
	ck_assert_double_eq_tol(erlang_b(3, 2.0), 4.0 / 19.0, 1e-15);
	ck_assert_double_eq_tol(erlang_c(3, 2.0), 4.0 / 9.0, 1e-15);
	/* ASA = P_w * AHT / (N - A) = 4/9 with AHT 1. */
	ck_assert_double_eq_tol(erlang_asa(3, 2.0, 1.0), 4.0 / 9.0, 1e-15);
	ck_assert_double_eq_tol(erlang_occupancy(3, 2.0), 2.0 / 3.0, 1e-15);
}
END_TEST

/*
 * pyworkforce README (https://pypi.org/project/pyworkforce/0.1.0/) and
 * the R package ErlangC README
 * (https://rdocumentation.org/packages/ErlangC/versions/0.1.0), the same
 * case in both: 100 transactions in 30 minutes, AHT 3 min (180 s), 80 %
 * answered within 20 s, max occupancy 85 %, shrinkage 30 %.  Published:
 * traffic intensity 10, raw_positions 14, positions 20,
 * service_level 0.8883500191794669, occupancy 0.7142857142857143,
 * waiting_probability 0.1741319335950498, average speed of answer
 * 7.83593701177724 s.
 */
START_TEST(test_pyworkforce_example)
{
	double a = erlang_load(100, 180, 1800);
	struct erlang_target tg = { .sl = 0.8, .t_s = 20, .max_occupancy = 0.85 };

	ck_assert_double_eq_tol(a, 10.0, 1e-12);
	uint32_t n = erlang_agents(a, 180, &tg, 1000);

	ck_assert_uint_eq(n, 14);
	ck_assert_uint_eq(erlang_scheduled(n, 0.3), 20);
	ck_assert_double_eq_tol(erlang_c(n, a), 0.1741319335950498, 1e-12);
	ck_assert_double_eq_tol(erlang_sl(n, a, 180, 20), 0.8883500191794669, 1e-12);
	ck_assert_double_eq_tol(erlang_occupancy(n, a), 0.7142857142857143, 1e-12);
	ck_assert_double_eq_tol(erlang_asa(n, a, 180), 7.83593701177724, 1e-9);
	/* And 13 agents really do miss the 80 % target. */
	ck_assert(erlang_sl(13, a, 180, 20) < 0.8);
}
END_TEST

/*
 * Jones the Net, "Erlang uplift"
 * (http://www.jonesthenet.com/budgeting/service-levels-erlang/erlang-uplift/):
 * 250 calls in the hour, AHT 330 s, target 80 % in 30 s.  "250 x 330 /
 * 3600 = 22.9 advisors" by arithmetic; "Erlang ... thinks we need 28".
 */
START_TEST(test_jonesthenet_uplift)
{
	double a = erlang_load(250, 330, 3600);
	struct erlang_target tg = { .sl = 0.8, .t_s = 30 };

	ck_assert_double_eq_tol(a, 22.9, 0.05);
	ck_assert_uint_eq(erlang_agents(a, 330, &tg, 1000), 28);
}
END_TEST

/*
 * Vicente Ruiz, Erlang C calculator, worked example
 * (http://personal.telefonica.terra.es/web/vr/erlang/eng/mcerlc.htm):
 * 600 calls in one hour of 120 s each is 20 erlangs; "for a target delay
 * probability of 15% the number of circuits needed are 26"; "if circuits
 * are incremented to 30, delay is reduced to 2.5%"; "those 30 circuits
 * with 15% of delay could attend a traffic of 23.6 erlangs".
 */
START_TEST(test_ruiz_delay_probability)
{
	double a = erlang_load(600, 120, 3600);

	ck_assert_double_eq_tol(a, 20.0, 1e-12);
	ck_assert(erlang_c(26, a) <= 0.15);
	ck_assert(erlang_c(25, a) > 0.15);
	ck_assert_double_eq_tol(round(erlang_c(30, a) * 1000) / 10, 2.5, 1e-9);
	/* 23.6 is the traffic at 15 % to the printed 0.1 erlang. */
	ck_assert(erlang_c(30, 23.6) <= 0.15);
	ck_assert(erlang_c(30, 23.7) > 0.15);
}
END_TEST

/*
 * turbotab README quick start (https://pypi.org/project/turbotab/0.5.0/):
 * 25 calls per 600 s interval, AHT 180 s, 80 % within 20 s, shrinkage
 * 30 % -> "productive_agents": 11, "scheduled_agents": 16.
 */
START_TEST(test_turbotab_quickstart)
{
	double a = erlang_load(25, 180, 600);
	struct erlang_target tg = { .sl = 0.8, .t_s = 20 };
	uint32_t n = erlang_agents(a, 180, &tg, 1000);

	ck_assert_uint_eq(n, 11);
	ck_assert_uint_eq(erlang_scheduled(n, 0.3), 16);
}
END_TEST

/*
 * The classical closed form, summed term by term in long double:
 * P_w = (A^N/N! * N/(N-A)) / (sum_{k<N} A^k/k! + A^N/N! * N/(N-A)).
 * Independent of the recurrence, and exact enough for N <= 150.
 */
static double erlang_c_direct(uint32_t n, double a)
{
	long double term = 1, sum = 0;

	for (uint32_t k = 0; k < n; k++) {
		sum += term;
		term = term * a / (k + 1);
	}
	long double top = term * n / (n - a);

	return (double)(top / (sum + top));
}

START_TEST(test_recurrence_matches_closed_form)
{
	static const double loads[] = { 0.25, 1, 2.5, 9.99, 17.3, 48, 99.5 };

	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		double a = loads[i];

		for (uint32_t n = (uint32_t)floor(a) + 1; n <= 150; n++)
			ck_assert_double_eq_tol(erlang_c(n, a), erlang_c_direct(n, a), 1e-12);
	}
}
END_TEST

/* ---- stability and search ----------------------------------------- */

START_TEST(test_stable_thousands_of_agents)
{
	static const double loads[] = { 900.5, 2500, 4800 };

	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		double a = loads[i], prev_pw = 1.0, prev_sl = 0.0;

		for (uint32_t n = (uint32_t)floor(a) + 1; n <= 5000; n += 7) {
			double b = erlang_b(n, a), pw = erlang_c(n, a);
			double sl = erlang_sl(n, a, 240, 20), asa = erlang_asa(n, a, 240);

			ck_assert(isfinite(b) && b >= 0 && b <= 1);
			ck_assert(isfinite(pw) && pw >= 0 && pw <= 1);
			ck_assert(isfinite(sl) && sl >= 0 && sl <= 1);
			ck_assert(isfinite(asa) && asa >= 0);
			ck_assert_msg(pw <= prev_pw, "P_w rose at a=%g n=%u", a, n);
			ck_assert_msg(sl >= prev_sl, "SL fell at a=%g n=%u", a, n);
			prev_pw = pw;
			prev_sl = sl;
		}
		/* Just above the load nearly everyone waits; far above, nobody. */
		ck_assert(erlang_c((uint32_t)floor(a) + 1, a) > 0.9);
	}
	ck_assert(erlang_c(5000, 1000) < 1e-300);
	ck_assert(erlang_b(5000, 4000) > 0 && erlang_b(5000, 4000) < 1);
}
END_TEST

/* The smallest n meeting the target, found by brute force. */
static uint32_t agents_brute(double a, double aht, const struct erlang_target *tg)
{
	for (uint32_t n = (uint32_t)floor(a) + 1;; n++) {
		if (tg->max_occupancy > 0 && a / n > tg->max_occupancy)
			continue;
		if (erlang_sl(n, a, aht, tg->t_s) >= tg->sl)
			return n;
	}
}

START_TEST(test_agents_is_smallest)
{
	static const double loads[] = { 0.3, 4.2, 26.67, 48, 500 };

	for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
		struct erlang_target tg = { .sl = 0.8, .t_s = 20 };
		uint32_t n = erlang_agents(loads[i], 180, &tg, 100000);

		ck_assert_uint_eq(n, agents_brute(loads[i], 180, &tg));
		ck_assert(erlang_sl(n, loads[i], 180, 20) >= 0.8);
		ck_assert((double)n > loads[i]);
	}
}
END_TEST

START_TEST(test_agents_monotone_in_target)
{
	double a = 26.67;
	uint32_t prev = 0;

	for (int pct = 50; pct <= 99; pct++) {
		struct erlang_target tg = { .sl = pct / 100.0, .t_s = 20 };
		uint32_t n = erlang_agents(a, 180, &tg, 100000);

		ck_assert_uint_ge(n, prev);
		prev = n;
	}
	ck_assert_uint_gt(prev, 28);
	/* A tighter threshold (answered sooner) never needs fewer agents. */
	prev = UINT32_MAX;
	for (int t = 0; t <= 120; t += 5) {
		struct erlang_target tg = { .sl = 0.8, .t_s = t };
		uint32_t n = erlang_agents(a, 180, &tg, 100000);

		ck_assert_uint_le(n, prev);
		prev = n;
	}
}
END_TEST

START_TEST(test_agents_max_occupancy_binds)
{
	/* 80/20 alone needs 14 for 10 erlangs at AHT 180; 70 % occupancy
	 * needs 10 / 0.7 = 14.3 -> 15. */
	struct erlang_target loose = { .sl = 0.8, .t_s = 20 };
	struct erlang_target capped = { .sl = 0.8, .t_s = 20, .max_occupancy = 0.7 };

	ck_assert_uint_eq(erlang_agents(10, 180, &loose, 1000), 14);
	ck_assert_uint_eq(erlang_agents(10, 180, &capped, 1000), 15);
	/* Occupancy alone: no SL target. */
	struct erlang_target occ_only = { .max_occupancy = 0.5 };

	ck_assert_uint_eq(erlang_agents(10, 180, &occ_only, 1000), 20);
	/* 3 x 0.1 is 0.30000000000000004: exactly 10 % occupancy on 3
	 * agents must count as meeting a 10 % cap, not demand a fourth. */
	struct erlang_target tenth = { .max_occupancy = 0.1 };

	ck_assert_uint_eq(erlang_agents(3 * 0.1, 180, &tenth, 1000), 3);
}
END_TEST

START_TEST(test_agents_edge_cases)
{
	struct erlang_target tg = { .sl = 0.8, .t_s = 20 };

	ck_assert_uint_eq(erlang_agents(0, 180, &tg, 1000), 0);
	ck_assert_uint_eq(erlang_agents(-3, 180, &tg, 1000), 0);
	ck_assert_uint_eq(erlang_agents(NAN, 180, &tg, 1000), 0);
	/* No target at all: just enough agents for the queue to drain. */
	ck_assert_uint_eq(erlang_agents(4.2, 180, NULL, 1000), 5);
	ck_assert_uint_eq(erlang_agents(4.0, 180, NULL, 1000), 5);
	/* Nothing up to the limit meets it. */
	ck_assert_uint_eq(erlang_agents(48, 240, &tg, 50), 0);
	ck_assert_uint_eq(erlang_agents(48, 240, &tg, 48), 0);
	ck_assert_uint_eq(erlang_agents(5e9, 240, &tg, UINT32_MAX), 0);
	/* An SL target without a usable AHT cannot be judged. */
	ck_assert_uint_eq(erlang_agents(10, 0, &tg, 1000), 0);
}
END_TEST

/* Large loads must be O(N).  A 50 % occupancy cap on 100000 erlangs
 * makes the search walk 100000 candidates: recomputing Erlang B for each
 * would be some 10^10 steps and blow this test case's short timeout. */
START_TEST(test_agents_large_load_fast)
{
	struct erlang_target tg = { .sl = 0.8, .t_s = 20 };
	uint32_t n = erlang_agents(100000, 180, &tg, 1000000);

	ck_assert_uint_gt(n, 100000);
	ck_assert_uint_lt(n, 100500);
	ck_assert(erlang_sl(n, 100000, 180, 20) >= 0.8);
	ck_assert(erlang_sl(n - 1, 100000, 180, 20) < 0.8);

	struct erlang_target capped = { .sl = 0.8, .t_s = 20, .max_occupancy = 0.5 };

	ck_assert_uint_eq(erlang_agents(100000, 180, &capped, 1000000), 200000);
}
END_TEST

/* ---- shrinkage ---------------------------------------------------- */

START_TEST(test_scheduled_rounding)
{
	ck_assert_uint_eq(erlang_scheduled(10, 0.3), 15);
	ck_assert_uint_eq(erlang_scheduled(14, 0.3), 20);
	/* 21 / 0.7 is 30.000000000000004 in doubles. */
	ck_assert_uint_eq(erlang_scheduled(21, 0.3), 30);
	ck_assert_uint_eq(erlang_scheduled(31, 0.3), 45);
	ck_assert_uint_eq(erlang_scheduled(3, 0.25), 4);
	ck_assert_uint_eq(erlang_scheduled(7, 0), 7);
	ck_assert_uint_eq(erlang_scheduled(7, -0.1), 7);
	ck_assert_uint_eq(erlang_scheduled(0, 0.3), 0);
	ck_assert_uint_eq(erlang_scheduled(7, 1.0), 0);
	ck_assert_uint_eq(erlang_scheduled(UINT32_MAX, 0.5), 0);
	/* Every whole percentage against exact integer arithmetic. */
	for (uint32_t n = 1; n <= 600; n++) {
		for (uint32_t p = 1; p < 100; p++) {
			uint32_t want = (100 * n + (100 - p) - 1) / (100 - p);

			ck_assert_msg(erlang_scheduled(n, p / 100.0) == want, "n=%u s=%u%%", n, p);
		}
	}
}
END_TEST

/* ---- edge cases --------------------------------------------------- */

START_TEST(test_overloaded_queue)
{
	ck_assert_double_eq(erlang_c(4, 4.2), 1.0);
	ck_assert_double_eq(erlang_c(4, 4.0), 1.0);
	ck_assert_double_eq(erlang_c(0, 1.0), 1.0);
	ck_assert_double_eq(erlang_sl(4, 4.2, 180, 20), 0.0);
	ck_assert(isinf(erlang_asa(4, 4.2, 180)) && erlang_asa(4, 4.2, 180) > 0);
	ck_assert_double_eq(erlang_occupancy(4, 4.2), 1.0);
	ck_assert_double_eq(erlang_occupancy(0, 1.0), 1.0);
}
END_TEST

START_TEST(test_no_load)
{
	/* No contacts: nobody waits, however few agents. */
	ck_assert_double_eq(erlang_b(0, 0), 1.0);
	ck_assert_double_eq(erlang_b(5, 0), 0.0);
	ck_assert_double_eq(erlang_c(5, 0), 0.0);
	ck_assert_double_eq(erlang_c(0, 0), 0.0);
	ck_assert_double_eq(erlang_c(3, -1), 0.0);
	ck_assert_double_eq(erlang_sl(0, 0, 180, 20), 1.0);
	ck_assert_double_eq(erlang_asa(0, 0, 180), 0.0);
	ck_assert_double_eq(erlang_occupancy(5, 0), 0.0);
}
END_TEST

START_TEST(test_invalid_inputs_are_nan)
{
	ck_assert(isnan(erlang_load(10, 180, 0)));
	ck_assert(isnan(erlang_load(10, 180, -60)));
	ck_assert(isnan(erlang_load(-1, 180, 60)));
	ck_assert(isnan(erlang_load(10, NAN, 60)));
	ck_assert(isnan(erlang_load(10, 180, INFINITY)));
	ck_assert_double_eq(erlang_load(0, 180, 60), 0.0);
	ck_assert(isnan(erlang_c(3, NAN)));
	ck_assert(isnan(erlang_b(3, NAN)));
	ck_assert(isnan(erlang_sl(3, 2, 0, 20)));
	ck_assert(isnan(erlang_sl(3, 2, 180, -1)));
	ck_assert(isnan(erlang_asa(3, 2, -5)));
	ck_assert(isnan(erlang_occupancy(3, NAN)));
	ck_assert_double_eq(erlang_b(3, INFINITY), 1.0);
	/* t = 0: the share answered with no wait at all is 1 - P_w. */
	ck_assert_double_eq_tol(erlang_sl(3, 2, 1, 0), 5.0 / 9.0, 1e-15);
}
END_TEST

/* ---- pooltop erlang ----------------------------------------------- */

struct run {
	int status;
	char out[4096];
	char err[4096];
};

static void slurp(FILE *f, char *buf, size_t cap)
{
	size_t n;

	rewind(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
}

/*
 * Runs cmd_erlang_main in a child with stdout and stderr sent to
 * temporary files.  `loc`, when set, is the locale the child adopts
 * first, as pooltop's main does for ncurses.
 */
static void run_cmd_loc(struct run *r, const char *loc, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	FILE *out = tmpfile(), *err = tmpfile();

	ck_assert(out && err);
	fflush(NULL);
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (loc)
			setlocale(LC_ALL, loc);
		if (dup2(fileno(out), 1) < 0 || dup2(fileno(err), 2) < 0)
			_exit(99);
		int rc = cmd_erlang_main(argc, argv);

		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	int ws;

	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	r->status = WEXITSTATUS(ws);
	slurp(out, r->out, sizeof r->out);
	slurp(err, r->err, sizeof r->err);
	fclose(out);
	fclose(err);
}

#define RUN(r, ...) do { \
	char *argv_[] = { "erlang", __VA_ARGS__, NULL }; \
	run_cmd_loc((r), NULL, argv_); \
} while (0)

/* The number after "key": in a flat JSON object; NAN when absent. */
static double json_num(const char *json, const char *key)
{
	char pat[64];

	snprintf(pat, sizeof pat, "\"%s\":", key);
	const char *p = strstr(json, pat);

	if (!p)
		return NAN;
	p += strlen(pat);
	while (*p == ' ')
		p++;
	char *end;
	double v = strtod(p, &end);

	if (end == p || (*end != ',' && *end != '}'))
		return NAN;
	return v;
}

static void assert_one_json_object(const char *s)
{
	size_t len = strlen(s);

	ck_assert_msg(len > 2 && s[0] == '{' && s[len - 2] == '}' && s[len - 1] == '\n', "not one object: %s", s);
	ck_assert_ptr_eq(strchr(s + 1, '{'), NULL);
	ck_assert_ptr_eq(strchr(s, '}'), s + len - 2);
	ck_assert_ptr_eq(strstr(s, "nan"), NULL);
	ck_assert_ptr_eq(strstr(s, "inf"), NULL);
	static const char *keys[] = { "load_erlangs", "agents", "scheduled", "p_wait",
	                              "service_level", "asa_s", "occupancy" };

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		ck_assert_msg(!isnan(json_num(s, keys[i])), "key %s missing in %s", keys[i], s);
}

/* The pyworkforce case again, end to end through the command. */
START_TEST(test_cmd_json_required)
{
	struct run r;

	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--max-occupancy", "85", "--shrinkage", "30", "--format", "json");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	assert_one_json_object(r.out);
	ck_assert_double_eq_tol(json_num(r.out, "load_erlangs"), 10.0, 1e-6);
	ck_assert_double_eq(json_num(r.out, "agents"), 14);
	ck_assert_double_eq(json_num(r.out, "scheduled"), 20);
	ck_assert_double_eq_tol(json_num(r.out, "p_wait"), 0.174132, 2e-6);
	ck_assert_double_eq_tol(json_num(r.out, "service_level"), 0.888350, 2e-6);
	ck_assert_double_eq_tol(json_num(r.out, "asa_s"), 7.835937, 2e-6);
	ck_assert_double_eq_tol(json_num(r.out, "occupancy"), 0.714286, 2e-6);
}
END_TEST

START_TEST(test_cmd_json_agents)
{
	struct run r;

	/* 360 calls per half hour, 4 min AHT, 55 agents: 48 erlangs. */
	RUN(&r, "--calls", "360", "--interval", "1800", "--aht", "240", "--target", "15",
	    "--agents", "55", "--format", "json");
	ck_assert_int_eq(r.status, 0);
	assert_one_json_object(r.out);
	ck_assert_double_eq_tol(json_num(r.out, "load_erlangs"), 48.0, 1e-6);
	ck_assert_double_eq(json_num(r.out, "agents"), 55);
	ck_assert_double_eq(json_num(r.out, "scheduled"), 55);
	ck_assert_double_eq_tol(json_num(r.out, "p_wait"), erlang_c(55, 48), 1e-6);
	ck_assert_double_eq_tol(json_num(r.out, "service_level"), erlang_sl(55, 48, 240, 15), 1e-6);
	ck_assert_double_eq_tol(json_num(r.out, "asa_s"), erlang_asa(55, 48, 240), 1e-6);
	ck_assert_double_eq_tol(json_num(r.out, "occupancy"), 48.0 / 55.0, 1e-6);
}
END_TEST

START_TEST(test_cmd_zero_calls)
{
	struct run r;

	RUN(&r, "--calls", "0", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--format", "json");
	ck_assert_int_eq(r.status, 0);
	assert_one_json_object(r.out);
	ck_assert_double_eq(json_num(r.out, "agents"), 0);
	ck_assert_double_eq(json_num(r.out, "p_wait"), 0);
	ck_assert_double_eq(json_num(r.out, "service_level"), 1);
	ck_assert_double_eq(json_num(r.out, "occupancy"), 0);
}
END_TEST

START_TEST(test_cmd_text)
{
	struct run r;

	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--shrinkage", "30");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_ne(strstr(r.out, "Offered load"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "10.00 erlangs"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "Agents required"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "Scheduled (30% shrinkage)"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "88.8% within 20 s"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "17.4%"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "7.8 s"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "71.4%"), NULL);
	/* Values line up in one column. */
	const char *agents = strstr(r.out, "Agents required");
	const char *col = agents + strcspn(agents, "0123456789");
	const char *load = strstr(r.out, "Offered load");

	ck_assert_int_eq(col - agents, strcspn(load, "0123456789"));
	ck_assert_int_eq(atoi(col), 14);
	const char *sched = strstr(r.out, "Scheduled");

	ck_assert_int_eq(atoi(sched + strcspn(sched, ")") + 1), 20);
	ck_assert_int_eq(sched + strcspn(sched, ")") + 1 + strspn(sched + strcspn(sched, ")") + 1, " ") - sched,
	                 col - agents);
}

/* A long shrinkage figure still leaves a gap before the value. */
START_TEST(test_cmd_text_long_label)
{
	struct run r;

	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--shrinkage", "33.333333333");
	ck_assert_int_eq(r.status, 0);
	const char *sched = strstr(r.out, "Scheduled (");

	ck_assert_ptr_nonnull(sched);
	const char *paren = strchr(sched, ')');

	ck_assert(paren[1] == ' ' && paren[2] == ' ');
	ck_assert_int_eq(atoi(paren + 1), 21);
}
END_TEST

START_TEST(test_cmd_help)
{
	struct run r;

	RUN(&r, "--help");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	ck_assert_ptr_ne(strstr(r.out, "usage:"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "--calls"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "--shrinkage"), NULL);
}
END_TEST

struct bad_case {
	const char *args[20];
	const char *needle; /* must appear in the one stderr line */
};

static const struct bad_case bad_cases[] = {
#define OK_BASE "--interval", "1800", "--aht", "180", "--target", "20"
	{ { "--calls", "abc", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "12x", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "nan", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "inf", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "1e3", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", " 5", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "-5", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "1.2.3", OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "100", "--interval", "0", "--aht", "180", "--target", "20", "--sl", "80" }, "--interval" },
	{ { "--calls", "100", "--interval", "-60", "--aht", "180", "--target", "20", "--sl", "80" }, "--interval" },
	{ { "--calls", "100", "--interval", "1800", "--aht", "0", "--target", "20", "--sl", "80" }, "--aht" },
	{ { "--calls", "100", "--interval", "1800", "--aht", "x", "--target", "20", "--sl", "80" }, "--aht" },
	{ { "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "-1", "--sl", "80" }, "--target" },
	{ { "--calls", "100", OK_BASE, "--sl", "0" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "100" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "150" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "eighty" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--agents", "0" }, "--agents" },
	{ { "--calls", "100", OK_BASE, "--agents", "2.5" }, "--agents" },
	{ { "--calls", "100", OK_BASE, "--agents", "10" }, "--agents" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--shrinkage", "100" }, "--shrinkage" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--shrinkage", "-1" }, "--shrinkage" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--max-occupancy", "0" }, "--max-occupancy" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--max-occupancy", "101" }, "--max-occupancy" },
	{ { "--calls", "100", OK_BASE, "--agents", "20", "--max-occupancy", "85" }, "--max-occupancy" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--format", "xml" }, "--format" },
	{ { OK_BASE, "--sl", "80" }, "--calls" },
	{ { "--calls", "100", "--aht", "180", "--target", "20", "--sl", "80" }, "--interval" },
	{ { "--calls", "100", "--interval", "1800", "--target", "20", "--sl", "80" }, "--aht" },
	{ { "--calls", "100", "--interval", "1800", "--aht", "180", "--sl", "80" }, "--target" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--agents", "20" }, "--agents" },
	{ { "--calls", "100", OK_BASE }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--bogus" }, "--bogus" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "-x" }, "-x" },
	{ { "--calls", "100", OK_BASE, "--sl" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "--help=yes" }, "--help=yes" },
	{ { "--calls", "100", OK_BASE, "--a", "80" }, "--a" },
	{ { "--calls", "100", OK_BASE, "--sl=", "80" }, "--sl" },
	{ { "--calls", "100", OK_BASE, "--sl", "80", "stray" }, "stray" },
#undef OK_BASE
};

START_TEST(test_cmd_bad_input)
{
	const struct bad_case *c = &bad_cases[_i];
	char *argv[22] = { "erlang" };
	int argc = 1;
	struct run r;

	for (; c->args[argc - 1]; argc++)
		argv[argc] = (char *)c->args[argc - 1];
	argv[argc] = NULL;
	run_cmd_loc(&r, NULL, argv);
	ck_assert_msg(r.status == 2, "case %d: status %d, stderr %s", _i, r.status, r.err);
	ck_assert_msg(r.out[0] == '\0', "case %d: stdout not empty: %s", _i, r.out);
	ck_assert_msg(strstr(r.err, c->needle) != NULL, "case %d: '%s' not in: %s", _i, c->needle, r.err);
	ck_assert_msg(strncmp(r.err, "pooltop erlang: ", 16) == 0, "case %d: %s", _i, r.err);
	/* One line, ending in a newline. */
	ck_assert_msg(strchr(r.err, '\n') == r.err + strlen(r.err) - 1, "case %d: %s", _i, r.err);
}
END_TEST

START_TEST(test_cmd_overload_message)
{
	struct run r;

	RUN(&r, "--calls", "84", "--interval", "3600", "--aht", "180", "--target", "20", "--agents", "3");
	ck_assert_int_eq(r.status, 2);
	ck_assert_str_eq(r.err, "pooltop erlang: --agents: 3 agents cannot carry 4.20 erlangs: "
	                 "the queue would grow without bound\n");
}
END_TEST

START_TEST(test_cmd_unreachable_target)
{
	struct run r;

	/* Two million erlangs: beyond the search limit. */
	RUN(&r, "--calls", "1000000", "--interval", "1", "--aht", "2", "--target", "20", "--sl", "80");
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_ptr_ne(strstr(r.err, "no staffing"), NULL);
}
END_TEST

/* getopt keeps state in globals: a second call in the same process must
 * parse from scratch, not carry on where a failed first call stopped. */
START_TEST(test_cmd_reentrant)
{
	struct run r;
	char *argv[] = { "erlang", "--calls", "100", "--interval", "1800", "--aht", "180",
	                 "--target", "20", "--sl", "80", "--format", "json", NULL };
	int argc = (int)(sizeof argv / sizeof argv[0]) - 1;
	FILE *out = tmpfile(), *err = tmpfile();

	ck_assert(out && err);
	fflush(NULL);
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char *bad[] = { "erlang", "--calls", "100", "--bogus", "--sl", "80", NULL };

		dup2(fileno(out), 1);
		dup2(fileno(err), 2);
		if (cmd_erlang_main(6, bad) != 2)
			_exit(98);
		int rc = cmd_erlang_main(argc, argv);

		fflush(stdout);
		_exit(rc);
	}
	int ws;

	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert(WIFEXITED(ws));
	ck_assert_int_eq(WEXITSTATUS(ws), 0);
	slurp(out, r.out, sizeof r.out);
	fclose(out);
	fclose(err);
	ck_assert_double_eq(json_num(r.out, "agents"), 14);
}
END_TEST

/*
 * Under a comma-decimal locale (what setlocale(LC_ALL, "") gives a
 * German user) the command must still read "26.5" and print '.' in JSON.
 * Hosts without such a locale run the same checks in C; set LOCPATH to a
 * localedef output to exercise it anywhere.
 */
START_TEST(test_cmd_locale_independent)
{
	static const char *locs[] = { "de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8",
	                              "ru_RU.UTF-8", "de_DE", NULL };
	const char *loc = NULL;

	for (size_t i = 0; locs[i] && !loc; i++) {
		if (setlocale(LC_NUMERIC, locs[i]))
			loc = locs[i];
	}
	setlocale(LC_NUMERIC, "C");
	if (!loc)
		fprintf(stderr, "test_erlang: no comma-decimal locale here; checking in C only\n");

	struct run r;
	char *argv[] = { "erlang", "--calls", "26.5", "--interval", "1800", "--aht", "180",
	                 "--target", "20", "--agents", "5", "--format", "json", NULL };

	run_cmd_loc(&r, loc, argv);
	ck_assert_int_eq(r.status, 0);
	assert_one_json_object(r.out);
	ck_assert_ptr_ne(strstr(r.out, "\"load_erlangs\": 2.650000,"), NULL);
	ck_assert_ptr_eq(strstr(r.out, "2,65"), NULL);
}
END_TEST

/* The command must not leave the process in the C locale: ncurses
 * still needs the user's. */
START_TEST(test_cmd_keeps_process_locale)
{
	const char *before = setlocale(LC_NUMERIC, NULL);
	char saved[64];

	snprintf(saved, sizeof saved, "%s", before);
	char *argv[] = { "erlang", "--calls", "1", "--interval", "10", "--aht", "1",
	                 "--target", "1", "--agents", "1", NULL };
	FILE *devnull = fopen("/dev/null", "w");

	ck_assert_ptr_nonnull(devnull);
	fflush(stdout);
	int fd = dup(1);

	dup2(fileno(devnull), 1);
	int rc = cmd_erlang_main(11, argv);

	fflush(stdout);
	dup2(fd, 1);
	close(fd);
	fclose(devnull);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(setlocale(LC_NUMERIC, NULL), saved);
}
END_TEST

/* --patience: Erlang A through the command (issue 12's published case),
 * p_abandon added, the other keys as before. */
START_TEST(test_cmd_patience)
{
	struct run r;

	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--patience", "300", "--format", "json");
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	assert_one_json_object(r.out);
	ck_assert_double_eq(json_num(r.out, "agents"), 13);
	ck_assert_double_eq_tol(json_num(r.out, "p_wait"), 0.226, 5e-4);
	ck_assert_double_eq_tol(json_num(r.out, "p_abandon"), 0.025, 5e-4);
	ck_assert_double_eq_tol(json_num(r.out, "load_erlangs"), 10.0, 1e-6);
	ck_assert(json_num(r.out, "service_level") >= 0.8);
	/* without --patience: Erlang C, and no p_abandon key */
	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--format", "json");
	ck_assert_double_eq(json_num(r.out, "agents"), 14);
	ck_assert_ptr_eq(strstr(r.out, "p_abandon"), NULL);
	/* text names it; --agents at or below the load is a valid question */
	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--agents", "9", "--patience", "300");
	ck_assert_int_eq(r.status, 0);
	ck_assert_ptr_ne(strstr(r.out, "P(abandon)"), NULL);
	ck_assert_ptr_ne(strstr(r.out, "mean patience 300 s"), NULL);
	RUN(&r, "--calls", "100", "--interval", "1800", "--aht", "180", "--target", "20",
	    "--sl", "80", "--patience", "0");
	ck_assert_int_eq(r.status, 2);
	ck_assert_ptr_ne(strstr(r.err, "--patience"), NULL);
}
END_TEST

static Suite *erlang_suite(void)
{
	Suite *s = suite_create("erlang");
	TCase *tc;

	tc = tcase_create("published");
	tcase_add_test(tc, test_textbook_a2_n3);
	tcase_add_test(tc, test_pyworkforce_example);
	tcase_add_test(tc, test_jonesthenet_uplift);
	tcase_add_test(tc, test_ruiz_delay_probability);
	tcase_add_test(tc, test_turbotab_quickstart);
	tcase_add_test(tc, test_recurrence_matches_closed_form);
	suite_add_tcase(s, tc);

	tc = tcase_create("numerics");
	tcase_add_test(tc, test_stable_thousands_of_agents);
	tcase_add_test(tc, test_agents_is_smallest);
	tcase_add_test(tc, test_agents_monotone_in_target);
	tcase_add_test(tc, test_agents_max_occupancy_binds);
	tcase_add_test(tc, test_agents_edge_cases);
	tcase_add_test(tc, test_scheduled_rounding);
	tcase_add_test(tc, test_overloaded_queue);
	tcase_add_test(tc, test_no_load);
	tcase_add_test(tc, test_invalid_inputs_are_nan);
	suite_add_tcase(s, tc);

	tc = tcase_create("large");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_agents_large_load_fast);
	suite_add_tcase(s, tc);

	tc = tcase_create("cmd");
	tcase_add_test(tc, test_cmd_json_required);
	tcase_add_test(tc, test_cmd_json_agents);
	tcase_add_test(tc, test_cmd_zero_calls);
	tcase_add_test(tc, test_cmd_text);
	tcase_add_test(tc, test_cmd_text_long_label);
	tcase_add_test(tc, test_cmd_help);
	tcase_add_loop_test(tc, test_cmd_bad_input, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, test_cmd_overload_message);
	tcase_add_test(tc, test_cmd_unreachable_target);
	tcase_add_test(tc, test_cmd_reentrant);
	tcase_add_test(tc, test_cmd_locale_independent);
	tcase_add_test(tc, test_cmd_keeps_process_locale);
	tcase_add_test(tc, test_cmd_patience);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(erlang_suite());

	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);

	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
