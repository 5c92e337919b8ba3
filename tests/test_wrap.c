/*
 * The command and message lines' pieces: word wrapping for dialogs
 * (tui/wrap.c), the message log's ring (tui/msg.c) and Tab completion
 * (tui/complete.c): no word lost, no line wider than asked.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/complete.h"
#include "pooltop/floor.h"
#include "pooltop/fmt.h"
#include "pooltop/msg.h"
#include "pooltop/wrap.h"
#include "testlib.h"

/* The words of the lines, joined by single blanks. */
static void
joined(char (*lines)[WRAP_LINE_MAX], int n, char *out, size_t len)
{
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *p = lines[i];
		while (*p == ' ')
			p++;
		size_t at = strlen(out), pl = strlen(p);

		ck_assert_uint_lt(at + 1 + pl, len);
		if (i)
			out[at++] = ' ';
		memcpy(out + at, p, pl + 1);
	}
}

START_TEST(test_wrap_words)
{
	const char *s = "moving 3 agents leaves Dedicated Co with 2 dedicated agents on duty, below its "
	                "contract minimum of 3 in business hours; send force with a reason to override";
	char lines[10][WRAP_LINE_MAX], back[1024];
	int n;

	for (int w = 20; w <= 80; w += 7) {
		n = wrap_text(s, w, 0, lines, 10);
		ck_assert_int_le(n, 10);
		ck_assert_int_eq(n, wrap_text(s, w, 0, NULL, 0));   /* counting alone agrees */
		for (int i = 0; i < n; i++)
			ck_assert_int_le(fmt_width(lines[i]), w);
		joined(lines, n, back, sizeof back);
		ck_assert_str_eq(back, s);
	}
	/* A hanging indent; the line's own lead kept. */
	n = wrap_text("  a0001 Beatriz shared -> ded-hyb mid-contact: finishes it first", 30, 4, lines, 10);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(lines[0], "  a0001 Beatriz shared ->");
	ck_assert_str_eq(lines[1], "      ded-hyb mid-contact:");
	/* A word wider than a line is broken, on a character boundary. */
	n = wrap_text("ÄÄÄÄÄÄÄÄÄÄ", 4, 0, lines, 10);
	ck_assert_int_eq(n, 3);
	ck_assert_str_eq(lines[0], "ÄÄÄÄ");
	ck_assert_str_eq(lines[2], "ÄÄ");
	ck_assert_int_eq(wrap_text("", 10, 0, lines, 10), 0);
	ck_assert_int_eq(wrap_text("   ", 10, 0, lines, 10), 0);
	/* More lines than room: counted, only max written. */
	ck_assert_int_eq(wrap_text("a b c d e f", 1, 0, lines, 2), 6);
}
END_TEST

START_TEST(test_msg_log)
{
	struct msg *m = calloc(1, sizeof *m);

	ck_assert_ptr_null(msg_log_get(m, 0));
	msg_show(m, true, "first %d", 1);
	msg_show(m, false, "second");
	ck_assert_str_eq(msg_log_get(m, 0)->text, "second");
	ck_assert_str_eq(msg_log_get(m, 1)->text, "first 1");
	ck_assert(msg_log_get(m, 1)->error);
	ck_assert_int_gt(msg_log_get(m, 0)->wall_ms, 1600000000000LL);
	ck_assert_ptr_null(msg_log_get(m, 2));
	/* Clearing stops showing it, and keeps it in the log. */
	ck_assert_ptr_nonnull(msg_text(m, 0));
	msg_clear(m);
	ck_assert_ptr_null(msg_text(m, 0));
	ck_assert_str_eq(msg_log_get(m, 0)->text, "second");
	/* A ring: the oldest go, the count stays bounded. */
	for (int i = 0; i < MSG_LOG_MAX + 10; i++)
		msg_show(m, false, "n%d", i);
	ck_assert_uint_eq(m->log_n, MSG_LOG_MAX);
	ck_assert_str_eq(msg_log_get(m, 0)->text, "n509");
	ck_assert_str_eq(msg_log_get(m, MSG_LOG_MAX - 1)->text, "n10");
	free(m);
}
END_TEST

static void
pool(struct floor *f, const char *id)
{
	struct proto_pool p;

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = PROTO_POOL_SHARED;
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
}

START_TEST(test_complete)
{
	struct floor f;
	char line[64], shown[128];
	size_t cur;

	floor_init(&f);
	pool(&f, "shared");
	pool(&f, "ded-northwind");
	testlib_agent(&f, "lead-lars", "shared");
	testlib_agent(&f, "lead-lena", "shared");
	testlib_agent(&f, "a0001", "shared");

	/* One candidate: the whole id and a blank. */
	snprintf(line, sizeof line, "move a0");
	cur = strlen(line);
	ck_assert_uint_eq(complete_line(&f, line, sizeof line, &cur, shown, sizeof shown), 1);
	ck_assert_str_eq(line, "move a0001 ");
	ck_assert_uint_eq(cur, strlen(line));
	/* Several: as far as they agree, and which they are. */
	snprintf(line, sizeof line, "move le");
	cur = strlen(line);
	ck_assert_uint_eq(complete_line(&f, line, sizeof line, &cur, shown, sizeof shown), 2);
	ck_assert_str_eq(line, "move lead-l");
	ck_assert_str_eq(shown, "lead-lars lead-lena");
	/* Pools too, and in the middle of a line. */
	snprintf(line, sizeof line, "move a0001 ded- why");
	cur = strlen("move a0001 ded-");
	ck_assert_uint_eq(complete_line(&f, line, sizeof line, &cur, shown, sizeof shown), 1);
	ck_assert_str_eq(line, "move a0001 ded-northwind why");
	ck_assert_uint_eq(cur, strlen("move a0001 ded-northwind"));
	/* The first word is a command. */
	snprintf(line, sizeof line, "mes");
	cur = 3;
	ck_assert_uint_eq(complete_line(&f, line, sizeof line, &cur, shown, sizeof shown), 1);
	ck_assert_str_eq(line, "messages ");
	/* Nothing matches: nothing changes. */
	snprintf(line, sizeof line, "move zz");
	cur = strlen(line);
	ck_assert_uint_eq(complete_line(&f, line, sizeof line, &cur, shown, sizeof shown), 0);
	ck_assert_str_eq(line, "move zz");
	floor_free(&f);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("wrap");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_wrap_words);
	tcase_add_test(tc, test_msg_log);
	tcase_add_test(tc, test_complete);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
