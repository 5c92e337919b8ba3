#include <check.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "pooltop/fmt.h"
#include "pooltop/translit.h"

#define ELL "\xE2\x80\xA6"      /* … */
#define WANG "\xE7\x8E\x8B"     /* 王 */
#define FANG "\xE8\x8A\xB3"     /* 芳 */
#define LI "\xE6\x9D\x8E"       /* 李 */
#define ACUTE "\xCC\x81"        /* U+0301 combining acute */
#define JOSE "Jos\xC3\xA9"      /* José, precomposed */

/* Strings that stress fitting: wide characters at every parity,
 * combining marks, invalid bytes, controls. */
static const char *const fit_strings[] = {
	"",
	"a",
	"Agent Smith",
	JOSE " Garc\xC3\xAD" "a",
	WANG FANG,
	WANG FANG LI WANG FANG LI,
	"a" WANG "b" FANG "c" LI,
	"x" WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG WANG,
	"e" ACUTE "e" ACUTE "e" ACUTE "tude",
	"\xFF\xFE" "abc\xC3",
	"\xE2\x82" "x\xED\xA0\x80" "y",
	"\x1B[31mred\x1B[0m",
	"\xF0\x9F\x98\x80 smile \xF0\x9F\x98\x80",
	"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
};

static bool
ascii_only(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/* Valid UTF-8 by the C library's own decoder, not ours. */
static bool
valid_utf8(const char *s)
{
	mbstate_t st;
	const char *p = s;

	memset(&st, 0, sizeof(st));
	return mbsrtowcs(NULL, &p, 0, &st) != (size_t)-1;
}

START_TEST(test_duration)
{
	char b[32];

	ck_assert_str_eq(fmt_duration(b, sizeof(b), 0), "0:00");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 999), "0:00");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 7000), "0:07");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 59000), "0:59");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 59999), "0:59");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 60000), "1:00");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 725000), "12:05");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 3599000), "59:59");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 3600000), "1:00:00");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 3753000), "1:02:33");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), 360000000), "100:00:00");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), -1), "-");
	ck_assert_str_eq(fmt_duration(b, sizeof(b), INT64_MIN), "-");
	/* A short buffer truncates but stays a string. */
	ck_assert_str_eq(fmt_duration(b, 3, 3753000), "1:");
}
END_TEST

START_TEST(test_age)
{
	char b[32];

	ck_assert_str_eq(fmt_age(b, sizeof(b), 0), "0s");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 7000), "7s");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 59999), "59s");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 60000), "1m");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 720000), "12m");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 3599000), "59m");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 3600000), "1h00");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 3720000), "1h02");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 86399000), "23h59");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 86400000), "1d");
	ck_assert_str_eq(fmt_age(b, sizeof(b), 3 * 86400000LL + 5000), "3d");
	ck_assert_str_eq(fmt_age(b, sizeof(b), -5), "-");
}
END_TEST

START_TEST(test_pct)
{
	char b[32];

	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.834, 0), "83%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.834, 1), "83.4%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.8349, 0), "83%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.8351, 0), "84%");
	/* Exact halves round up, not to even as printf would. */
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.125, 0), "13%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.625, 0), "63%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.999, 0), "100%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.9994, 1), "99.9%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 1.0, 0), "100%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.0, 0), "0%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.0, 1), "0.0%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.5, 2), "50.00%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.071, 1), "7.1%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 0.0005, 1), "0.1%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), -0.001, 0), "0%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), -0.25, 0), "-25%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), 1.5, 0), "150%");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), NAN, 0), "-");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), NAN, 1), "-");
	ck_assert_str_eq(fmt_pct(b, sizeof(b), INFINITY, 0), "-");
}
END_TEST

START_TEST(test_secs)
{
	char b[32];

	ck_assert_str_eq(fmt_secs(b, sizeof(b), 0), "0s");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 23), "23s");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 59.4), "59s");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 59.6), "1m00");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 245), "4m05");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 3599), "59m59");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 3600), "1h00");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), 3725), "1h02");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), NAN), "-");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), -1), "-");
	ck_assert_str_eq(fmt_secs(b, sizeof(b), INFINITY), "-");
}
END_TEST

START_TEST(test_money)
{
	char b[32];

	ck_assert_str_eq(fmt_money(b, sizeof(b), 1234567.8), "1,234,568");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 0), "0");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 7), "7");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 999), "999");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 1000), "1,000");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 123456), "123,456");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 999999.5), "1,000,000");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 2.5), "3");
	ck_assert_str_eq(fmt_money(b, sizeof(b), -1234.4), "-1,234");
	ck_assert_str_eq(fmt_money(b, sizeof(b), -999), "-999");
	ck_assert_str_eq(fmt_money(b, sizeof(b), -0.4), "0");
	ck_assert_str_eq(fmt_money(b, sizeof(b), 1e15), "1,000,000,000,000,000");
	ck_assert_str_eq(fmt_money(b, sizeof(b), NAN), "-");
	ck_assert_str_eq(fmt_money(b, sizeof(b), -INFINITY), "-");
	ck_assert_str_eq(fmt_money(b, 4, 1234567), "1,2");
	ck_assert_str_eq(fmt_money(b, 1, 1234567), "");
}
END_TEST

START_TEST(test_clock)
{
	char b[32];

	/* main() set TZ=UTC. */
	ck_assert_str_eq(fmt_clock(b, sizeof(b), 0), "00:00:00");
	ck_assert_str_eq(fmt_clock(b, sizeof(b), 45296789), "12:34:56");
	ck_assert_str_eq(fmt_hhmm(b, sizeof(b), 45296789), "12:34");
	/* Before the epoch floors rather than truncating toward zero. */
	ck_assert_str_eq(fmt_clock(b, sizeof(b), -1), "23:59:59");
	ck_assert_str_eq(fmt_clock(b, sizeof(b), 1700000000000LL), "22:13:20");

	/* Local time, not UTC: two hours east. */
	setenv("TZ", "UTC-2", 1);
	tzset();
	ck_assert_str_eq(fmt_clock(b, sizeof(b), 45296789), "14:34:56");
	ck_assert_str_eq(fmt_hhmm(b, sizeof(b), 0), "02:00");
	setenv("TZ", "UTC", 1);
	tzset();
}
END_TEST

START_TEST(test_width)
{
	ck_assert_int_eq(fmt_width(""), 0);
	ck_assert_int_eq(fmt_width(NULL), 0);
	ck_assert_int_eq(fmt_width("abc"), 3);
	ck_assert_int_eq(fmt_width(JOSE), 4);
	ck_assert_int_eq(fmt_width("Fran\xC3\xA7ois M\xC3\xBCller"), 15);
	ck_assert_int_eq(fmt_width(WANG FANG), 4);
	ck_assert_int_eq(fmt_width("a" WANG "b"), 4);
	/* Decomposed é: the mark takes no column. */
	ck_assert_int_eq(fmt_width("Jose" ACUTE), 4);
	ck_assert_int_eq(fmt_width("e" ACUTE ACUTE ACUTE), 1);
	ck_assert_int_eq(fmt_width("\xF0\x9F\x98\x80"), 2);
	/* Invalid bytes: one column each. */
	ck_assert_int_eq(fmt_width("\xFF"), 1);
	ck_assert_int_eq(fmt_width("a\xC3"), 2);               /* truncated at end */
	ck_assert_int_eq(fmt_width("\xE2\x82"), 2);            /* truncated 3-byte */
	ck_assert_int_eq(fmt_width("\xE2\x82x"), 3);
	ck_assert_int_eq(fmt_width("\xC0\xAF"), 2);            /* overlong '/' */
	ck_assert_int_eq(fmt_width("\xE0\x80\xAF"), 3);        /* overlong */
	ck_assert_int_eq(fmt_width("\xED\xA0\x80"), 3);        /* surrogate */
	ck_assert_int_eq(fmt_width("\xF4\x90\x80\x80"), 4);    /* past U+10FFFF */
	ck_assert_int_eq(fmt_width("\x80\xBF"), 2);            /* stray continuations */
	/* Controls show as '?', one column. */
	ck_assert_int_eq(fmt_width("\x1B[0m"), 4);
	ck_assert_int_eq(fmt_width("a\tb"), 3);
	ck_assert_int_eq(fmt_width("\xC2\x9B"), 1);            /* C1 CSI */
}
END_TEST

/* A non-Unicode locale (wcwidth knows nothing past ASCII) still gets the
 * same columns, from the built-in fallback. */
START_TEST(test_width_c_locale)
{
	char b[64];

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C"));
	ck_assert_int_eq(fmt_width(WANG FANG), 4);
	ck_assert_int_eq(fmt_width("Jose" ACUTE), 4);
	ck_assert_int_eq(fmt_width(JOSE), 4);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG LI, 4, FMT_LEFT, false), "?? ~");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "Jose" ACUTE "!", 6, FMT_LEFT, false), "Jose! ");
	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
}
END_TEST

START_TEST(test_fit_basic)
{
	char b[128];

	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abc", 5, FMT_LEFT, true), "abc  ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abc", 5, FMT_RIGHT, true), "  abc");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abc", 3, FMT_LEFT, true), "abc");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcd", 3, FMT_LEFT, true), "ab" ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcd", 3, FMT_RIGHT, true), "ab" ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcdef", 4, FMT_LEFT, false), "abc~");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcd", 1, FMT_LEFT, true), ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcd", 0, FMT_LEFT, true), "");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "abcd", -3, FMT_LEFT, true), "");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "", 3, FMT_LEFT, true), "   ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), NULL, 2, FMT_LEFT, true), "  ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), JOSE, 6, FMT_LEFT, true), JOSE "  ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), JOSE, 4, FMT_RIGHT, true), JOSE);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), JOSE " Garcia", 5, FMT_LEFT, true), JOSE ELL);
}
END_TEST

START_TEST(test_fit_wide)
{
	char b[128];

	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG, 4, FMT_LEFT, true), WANG FANG);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG, 6, FMT_RIGHT, true), "  " WANG FANG);
	/* 芳 would straddle the edge before the ellipsis: a space instead. */
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG LI, 4, FMT_LEFT, true), WANG " " ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG LI, 5, FMT_LEFT, true), WANG FANG ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG, 3, FMT_LEFT, true), WANG ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG, 2, FMT_LEFT, true), " " ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "a" WANG FANG, 4, FMT_LEFT, true), "a" WANG ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "ab" WANG FANG, 4, FMT_LEFT, true), "ab " ELL);
}
END_TEST

START_TEST(test_fit_combining_invalid)
{
	char b[128];

	/* The mark stays with its base; a cut never orphans or splits it. */
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "e" ACUTE "x", 2, FMT_LEFT, true), "e" ACUTE "x");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "e" ACUTE "xy", 2, FMT_LEFT, true), "e" ACUTE ELL);
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "e" ACUTE "xy", 1, FMT_LEFT, true), ELL);
	/* Invalid bytes and controls are copied as '?', one column each. */
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "a\xFF" "b", 3, FMT_LEFT, true), "a?b");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "a\xFF" "b", 5, FMT_RIGHT, true), "  a?b");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "ab\xE2\x82", 5, FMT_LEFT, true), "ab?? ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "\x1B[2J", 4, FMT_LEFT, true), "?[2J");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "\xED\xA0\x80", 3, FMT_LEFT, true), "???");
}
END_TEST

/* Bidirectional and zero-width characters are escaped like controls: a
 * U+202E in a name must not run the rest of the line backwards, and a
 * U+200B must not make two ids look alike. */
START_TEST(test_fit_bidi_zero_width)
{
	static const char *const hidden[] = {
		"\xE2\x80\xAA", "\xE2\x80\xAB", "\xE2\x80\xAC", "\xE2\x80\xAD", "\xE2\x80\xAE", /* 202A-E */
		"\xE2\x81\xA6", "\xE2\x81\xA7", "\xE2\x81\xA8", "\xE2\x81\xA9",                 /* 2066-9 */
		"\xE2\x80\x8E", "\xE2\x80\x8F",                                                 /* 200E/F */
		"\xE2\x80\x8B", "\xE2\x80\x8C", "\xE2\x80\x8D", "\xEF\xBB\xBF", "\xE2\x81\xA0", /* ZW */
	};
	char b[128], in[32];

	for (size_t i = 0; i < sizeof hidden / sizeof hidden[0]; i++) {
		snprintf(in, sizeof in, "a%sb", hidden[i]);
		ck_assert_int_eq(fmt_width(in), 3);
		ck_assert_str_eq(fmt_fit(b, sizeof(b), in, 3, FMT_LEFT, true), "a?b");
		ck_assert_str_eq(fmt_fit(b, sizeof(b), in, 4, FMT_RIGHT, false), " a?b");
	}
}
END_TEST

START_TEST(test_fit_ascii_mode)
{
	char b[128];

	ck_assert_str_eq(fmt_fit(b, sizeof(b), JOSE, 6, FMT_LEFT, false), "Jos?  ");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG, 4, FMT_LEFT, false), "????");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), WANG FANG LI, 4, FMT_LEFT, false), "?? ~");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "Jose" ACUTE, 5, FMT_RIGHT, false), " Jose");
	ck_assert_str_eq(fmt_fit(b, sizeof(b), "a\xFF" "b", 3, FMT_LEFT, false), "a?b");
}
END_TEST

/* LANG=C: Latin letters lose their diacritics rather than become '?';
 * what has no ASCII spelling is still '?', a column each. */
START_TEST(test_translit)
{
	char b[128], one[TRANSLIT_MAX];

	ck_assert_str_eq(translit_str(b, sizeof b, "Hybrid \xC3\x84" ".G."), "Hybrid A.G.");
	ck_assert_str_eq(translit_str(b, sizeof b, JOSE), "Jose");
	ck_assert_str_eq(translit_str(b, sizeof b, "Felix Wei\xC3\x9F"), "Felix Weiss");
	ck_assert_str_eq(translit_str(b, sizeof b, "Mads J\xC3\xB8" "rgensen"), "Mads Jorgensen");
	ck_assert_str_eq(translit_str(b, sizeof b, "Micha\xC5\x82 \xC3\x86" "sir \xC5\x92" "uvre"), "Michal AEsir OEuvre");
	ck_assert_str_eq(translit_str(b, sizeof b, "\xC3\x87" "a\xC4\x9F" "la \xC3\x87" "elik"), "Cagla Celik");
	/* Vietnamese: Đặng Tuấn Kiệt, Nguyễn Ơn */
	ck_assert_str_eq(translit_str(b, sizeof b, "\xC4\x90\xE1\xBA\xB7" "ng Tu\xE1\xBA\xA5" "n Ki\xE1\xBB\x87" "t"),
	                 "Dang Tuan Kiet");
	ck_assert_str_eq(translit_str(b, sizeof b, "Nguy\xE1\xBB\x85" "n \xC6\xA0" "n"), "Nguyen On");
	/* a decomposed accent goes with nothing left behind */
	ck_assert_str_eq(translit_str(b, sizeof b, "Jose" ACUTE), "Jose");
	/* punctuation takes its ASCII look */
	ck_assert_str_eq(translit_str(b, sizeof b, "O\xE2\x80\x99" "Brien \xE2\x80\x93 a\xE2\x80\xA6"), "O'Brien - a...");
	/* no spelling: copied for fmt_fit to show as '?' */
	ck_assert_str_eq(translit_str(b, sizeof b, WANG "x"), WANG "x");
	ck_assert_str_eq(translit_str(b, sizeof b, "a\x1B\xFF"), "a\x1B\xFF");
	ck_assert_int_eq(translit_cp(0x4E00, one), -1);
	ck_assert_int_eq(translit_cp('a', one), -1);
	ck_assert_int_eq(translit_cp(0x0301, one), 0);
	ck_assert_int_eq(translit_cp(0x00DF, one), 2);
	ck_assert_str_eq(one, "ss");
	/* a character that would not fit whole is left out */
	ck_assert_str_eq(translit_str(b, 4, "ab\xC3\x9F"), "ab");
	ck_assert_str_eq(translit_str(b, 1, "abc"), "");

	/* fitting for an ASCII screen */
	ck_assert_str_eq(fmt_fit_text(b, sizeof b, "Hybrid \xC3\x84" ".G.", 12, FMT_LEFT, false), "Hybrid A.G. ");
	ck_assert_str_eq(fmt_fit_text(b, sizeof b, "Wei\xC3\x9F", 6, FMT_RIGHT, false), " Weiss");
	ck_assert_str_eq(fmt_fit_text(b, sizeof b, WANG FANG " Li", 8, FMT_LEFT, false), "???? Li ");
	ck_assert_str_eq(fmt_fit_text(b, sizeof b, "\xC3\x98" "ster\xC3\xB8", 5, FMT_LEFT, false), "Oste~");
	ck_assert_str_eq(fmt_fit_text(b, sizeof b, JOSE, 5, FMT_LEFT, true), JOSE " ");
	ck_assert_int_eq(fmt_width_text("Wei\xC3\x9F", false), 5);
	ck_assert_int_eq(fmt_width_text("Wei\xC3\x9F", true), 4);
}
END_TEST

/* The guarantee the tables rest on: exactly `cols` columns, whatever the
 * string and cut point, never a split sequence, ASCII mode pure ASCII. */
START_TEST(test_fit_exact_columns)
{
	for (size_t i = 0; i < sizeof(fit_strings) / sizeof(fit_strings[0]); i++) {
		const char *s = fit_strings[i];

		for (int cols = 0; cols <= 30; cols++) {
			for (int m = 0; m < 4; m++) {
				bool utf8 = m & 1;
				enum fmt_align al = (m & 2) ? FMT_RIGHT : FMT_LEFT;
				size_t sizes[3] = { 4 * (size_t)cols + 1, 256, (size_t)cols + 1 };

				for (int k = 0; k < 3; k++) {
					char b[256];
					size_t len = sizes[k];

					memset(b, 'Z', sizeof(b));
					fmt_fit(b, len, s, cols, al, utf8);
					ck_assert_msg(strlen(b) < len, "overran %zu bytes", len);
					ck_assert_msg(fmt_width(b) == cols,
					              "string %zu cols %d mode %d len %zu: width %d '%s'",
					              i, cols, m, len, fmt_width(b), b);
					ck_assert_msg(valid_utf8(b), "string %zu cols %d split", i, cols);
					if (!utf8)
						ck_assert_msg(ascii_only(b), "non-ASCII: '%s'", b);
					/* Nothing that could start an escape sequence. */
					ck_assert_ptr_null(strchr(b, '\x1B'));
				}
			}
		}
	}
}
END_TEST

/* Many combining marks blow the byte budget; columns still come out right. */
START_TEST(test_fit_tight_buffer)
{
	char s[300], b[64];
	size_t n = 0;

	s[n++] = 'e';
	for (int i = 0; i < 60; i++) {
		memcpy(s + n, ACUTE, 2);
		n += 2;
	}
	memcpy(s + n, "xyz", 4);
	for (int cols = 2; cols <= 6; cols++) {
		fmt_fit(b, 4 * (size_t)cols + 1, s, cols, FMT_LEFT, true);
		ck_assert_int_eq(fmt_width(b), cols);
		ck_assert(valid_utf8(b));
		ck_assert_uint_le(strlen(b), 4 * (size_t)cols);
		ck_assert_int_eq(b[0], 'e');
	}
	/* Three-byte CJK in a one-byte-per-column buffer degrades to '?'. */
	ck_assert_str_eq(fmt_fit(b, 5, WANG FANG, 4, FMT_LEFT, true), "????");
	/* Fewer bytes than columns: as many columns as fit, still cut cleanly. */
	ck_assert_str_eq(fmt_fit(b, 4, "abc", 6, FMT_LEFT, true), "abc");
	ck_assert_str_eq(fmt_fit(b, 4, "abcdef", 6, FMT_LEFT, true), "ab~");
	ck_assert_str_eq(fmt_fit(b, 4, "abcdefg", 5, FMT_LEFT, true), "ab~");
	ck_assert_str_eq(fmt_fit(b, 1, "abc", 5, FMT_LEFT, true), "");
}
END_TEST

START_TEST(test_sparkline)
{
	static const uint32_t ramp9[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint32_t ramp8[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const uint32_t zeros[] = { 0, 0, 0 };
	static const uint32_t one[] = { 8 };
	static const uint32_t tail[] = { 100, 1, 2 };
	static const uint32_t big[] = { UINT32_MAX, 1, UINT32_MAX / 2 };
	char b[128];

	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), ramp9, 9, 9, true),
	                 " \xE2\x96\x81\xE2\x96\x82\xE2\x96\x83\xE2\x96\x84"
	                 "\xE2\x96\x85\xE2\x96\x86\xE2\x96\x87\xE2\x96\x88");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), ramp8, 8, 8, false), " .:-=+*#");
	/* Zero is a gap; all zero is all gaps. */
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), zeros, 3, 3, true), "   ");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), zeros, 3, 3, false), "   ");
	/* Fewer values than columns: padded on the left, newest at the right. */
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), one, 1, 4, true), "   \xE2\x96\x88");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), one, 1, 4, false), "   #");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), NULL, 0, 3, true), "   ");
	/* Only the last `cols` values count, for the scale too. */
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), tail, 3, 2, true),
	                 "\xE2\x96\x84\xE2\x96\x88");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), tail, 3, 2, false), "=#");
	/* The smallest non-zero value stays visible; no overflow at the top. */
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), big, 3, 3, true),
	                 "\xE2\x96\x88\xE2\x96\x81\xE2\x96\x84");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), big, 3, 3, false), "#.=");
	ck_assert_str_eq(fmt_sparkline(b, sizeof(b), ramp9, 9, 0, true), "");
	for (int cols = 0; cols < 20; cols++) {
		fmt_sparkline(b, sizeof(b), ramp9, 9, cols, true);
		ck_assert_int_eq(fmt_width(b), cols);
		fmt_sparkline(b, sizeof(b), ramp9, 9, cols, false);
		ck_assert_int_eq(fmt_width(b), cols);
		ck_assert(ascii_only(b));
	}
	/* A short buffer never splits a glyph. */
	fmt_sparkline(b, 5, ramp9, 9, 4, true);
	ck_assert(valid_utf8(b));
	ck_assert_uint_eq(strlen(b), 3);
}
END_TEST

START_TEST(test_bar)
{
	char b[128];

	ck_assert_str_eq(fmt_bar(b, sizeof(b), 0, 8, true), "        ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 0, 8, false), "        ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 1, 4, true),
	                 "\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 1, 4, false), "####");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 0.5, 8, false), "####    ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 0.5, 4, true),
	                 "\xE2\x96\x88\xE2\x96\x88  ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 4.5 / 8, 8, true),
	                 "\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x88\xE2\x96\x8C   ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 4.5 / 8, 8, false), "####-   ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 1.0 / 64, 8, true), "\xE2\x96\x8F       ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 1.7, 3, false), "###");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), NAN, 3, true), "   ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), -0.5, 3, false), "   ");
	ck_assert_str_eq(fmt_bar(b, sizeof(b), 0.5, 0, true), "");
	for (int cols = 1; cols <= 20; cols++) {
		for (int i = 0; i <= 100; i++) {
			fmt_bar(b, sizeof(b), i / 100.0, cols, true);
			ck_assert_int_eq(fmt_width(b), cols);
			ck_assert(valid_utf8(b));
			fmt_bar(b, sizeof(b), i / 100.0, cols, false);
			ck_assert_int_eq(fmt_width(b), cols);
			ck_assert(ascii_only(b));
		}
	}
}
END_TEST

START_TEST(test_match)
{
	ck_assert(fmt_match("Agent Smith", "smith"));
	ck_assert(fmt_match("Agent Smith", "AGENT s"));
	ck_assert(fmt_match("abc", ""));
	ck_assert(fmt_match("", ""));
	ck_assert(fmt_match("abc", NULL));
	ck_assert(fmt_match(JOSE, "JOS"));
	ck_assert(fmt_match("aab", "ab"));
	ck_assert(!fmt_match("abc", "abd"));
	ck_assert(!fmt_match("ab", "abc"));
	ck_assert(!fmt_match("", "a"));
	ck_assert(!fmt_match(NULL, "a"));
	/* ASCII folding only: É and é are different bytes. */
	ck_assert(!fmt_match(JOSE, "JOS\xC3\x89"));
}
END_TEST

static Suite *
fmt_suite(void)
{
	Suite *s = suite_create("fmt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_duration);
	tcase_add_test(tc, test_age);
	tcase_add_test(tc, test_pct);
	tcase_add_test(tc, test_secs);
	tcase_add_test(tc, test_money);
	tcase_add_test(tc, test_clock);
	tcase_add_test(tc, test_width);
	tcase_add_test(tc, test_width_c_locale);
	tcase_add_test(tc, test_fit_basic);
	tcase_add_test(tc, test_fit_wide);
	tcase_add_test(tc, test_fit_combining_invalid);
	tcase_add_test(tc, test_fit_bidi_zero_width);
	tcase_add_test(tc, test_fit_ascii_mode);
	tcase_add_test(tc, test_fit_exact_columns);
	tcase_add_test(tc, test_translit);
	tcase_add_test(tc, test_fit_tight_buffer);
	tcase_add_test(tc, test_sparkline);
	tcase_add_test(tc, test_bar);
	tcase_add_test(tc, test_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	/* What the program's setlocale(LC_ALL, "") gives on a UTF-8 system. */
	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_fmt: no C.UTF-8 locale\n");
		return EXIT_FAILURE;
	}
	setenv("TZ", "UTC", 1);
	tzset();
	sr = srunner_create(fmt_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
