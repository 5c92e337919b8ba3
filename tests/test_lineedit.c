/*
 * The line editor: typing at the cursor, moving over whole UTF-8
 * characters, the kill keys, history, and what Enter, Esc and a
 * Backspace on an empty line say.
 */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <string.h>

#include "pooltop/lineedit.h"

#define CTRL(c) ((c) & 0x1f)

static void
type(struct lineedit *le, const char *s)
{
	for (; *s; s++)
		ck_assert_int_eq(lineedit_key(le, (unsigned char)*s, false), LINEEDIT_EDITING);
}

START_TEST(test_insert_and_move)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "acm");
	type(&le, "e");
	ck_assert_str_eq(le.buf, "acme");
	lineedit_key(&le, KEY_HOME, true);
	type(&le, "x");
	ck_assert_str_eq(le.buf, "xacme");
	lineedit_key(&le, KEY_END, true);
	lineedit_key(&le, KEY_LEFT, true);
	lineedit_key(&le, KEY_LEFT, true);
	type(&le, "-");
	ck_assert_str_eq(le.buf, "xac-me");
	ck_assert_int_eq(lineedit_cursor_col(&le), 4);
	lineedit_key(&le, KEY_DC, true);
	ck_assert_str_eq(le.buf, "xac-e");
	lineedit_key(&le, 127, false);
	ck_assert_str_eq(le.buf, "xace");
	lineedit_key(&le, CTRL('a'), false);
	lineedit_key(&le, CTRL('d'), false);
	ck_assert_str_eq(le.buf, "ace");
}
END_TEST

START_TEST(test_utf8)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	/* "Ä" is two bytes: Left, Backspace and Delete take both. */
	lineedit_start(&le, "\xC3\x84g");
	lineedit_key(&le, KEY_LEFT, true);
	ck_assert_uint_eq(le.cur, 2);
	lineedit_key(&le, KEY_LEFT, true);
	ck_assert_uint_eq(le.cur, 0);
	lineedit_key(&le, KEY_RIGHT, true);
	ck_assert_uint_eq(le.cur, 2);
	lineedit_key(&le, KEY_BACKSPACE, true);
	ck_assert_str_eq(le.buf, "g");
	lineedit_key(&le, KEY_END, true);
	if (setlocale(LC_CTYPE, "C.UTF-8") != NULL) {
		lineedit_key(&le, 0x00C4, false);       /* typed as a wide character */
		ck_assert_str_eq(le.buf, "g\xC3\x84");
	}
}
END_TEST

START_TEST(test_kill_keys)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "move a1 shared peak");
	lineedit_key(&le, CTRL('w'), false);
	ck_assert_str_eq(le.buf, "move a1 shared ");
	lineedit_key(&le, CTRL('w'), false);
	ck_assert_str_eq(le.buf, "move a1 ");
	lineedit_key(&le, KEY_HOME, true);
	lineedit_key(&le, KEY_RIGHT, true);
	lineedit_key(&le, CTRL('k'), false);
	ck_assert_str_eq(le.buf, "m");
	lineedit_start(&le, "abc");
	lineedit_key(&le, KEY_LEFT, true);
	lineedit_key(&le, CTRL('u'), false);
	ck_assert_str_eq(le.buf, "c");
	ck_assert_uint_eq(le.cur, 0);
}
END_TEST

START_TEST(test_results_and_history)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "");
	ck_assert_int_eq(lineedit_key(&le, 127, false), LINEEDIT_LEAVE);
	type(&le, "view 2");
	ck_assert_int_eq(lineedit_key(&le, '\r', false), LINEEDIT_ENTER);
	lineedit_remember(&le);
	lineedit_start(&le, "");
	type(&le, "undo");
	ck_assert_int_eq(lineedit_key(&le, KEY_ENTER, true), LINEEDIT_ENTER);
	lineedit_remember(&le);
	lineedit_remember(&le);                        /* a repeat is kept once */
	ck_assert_uint_eq(le.n_hist, 2);
	lineedit_start(&le, "");
	type(&le, "x");
	lineedit_key(&le, KEY_UP, true);
	ck_assert_str_eq(le.buf, "undo");
	lineedit_key(&le, KEY_UP, true);
	ck_assert_str_eq(le.buf, "view 2");
	lineedit_key(&le, KEY_UP, true);                /* the oldest stays */
	ck_assert_str_eq(le.buf, "view 2");
	lineedit_key(&le, KEY_DOWN, true);
	lineedit_key(&le, KEY_DOWN, true);
	ck_assert_str_eq(le.buf, "");
	ck_assert_int_eq(lineedit_key(&le, 27, false), LINEEDIT_ESCAPE);
}
END_TEST

START_TEST(test_bounded)
{
	struct lineedit le;

	memset(&le, 0, sizeof le);
	lineedit_start(&le, "");
	for (int i = 0; i < LINEEDIT_MAX + 50; i++)
		lineedit_key(&le, 'x', false);
	ck_assert_uint_eq(strlen(le.buf), LINEEDIT_MAX);
	for (int i = 0; i < LINEEDIT_HISTORY + 5; i++) {
		le.buf[0] = (char)('a' + i % 26);
		le.buf[1] = '\0';
		lineedit_remember(&le);
	}
	ck_assert_uint_eq(le.n_hist, LINEEDIT_HISTORY);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("lineedit");
	TCase *tc = tcase_create("keys");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_insert_and_move);
	tcase_add_test(tc, test_utf8);
	tcase_add_test(tc, test_kill_keys);
	tcase_add_test(tc, test_results_and_history);
	tcase_add_test(tc, test_bounded);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
