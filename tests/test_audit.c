/*
 * `pooltop audit` without a server: --since's dates and the three
 * formats written from rows.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/cmd_audit.h"

static struct proto_audit_row
row(int64_t ts, const char *agent, const char *reason, bool forced)
{
	struct proto_audit_row r;

	memset(&r, 0, sizeof r);
	r.ts = ts;
	snprintf(r.by, sizeof r.by, "ann");
	snprintf(r.agent, sizeof r.agent, "%s", agent);
	snprintf(r.from, sizeof r.from, "shared");
	snprintf(r.to, sizeof r.to, "ded-x");
	snprintf(r.reason, sizeof r.reason, "%s", reason);
	snprintf(r.req, sizeof r.req, "r-1");
	r.forced = forced;
	r.epoch = 7;
	r.seq = 42;
	return r;
}

static char *
written(enum cmd_audit_format fmt, const struct proto_audit_row *rows, uint32_t n, int64_t since)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(cmd_audit_write(f, fmt, rows, n, since), 0);
	fclose(f);
	return buf;
}

START_TEST(test_audit_since)
{
	char why[128];
	int64_t ms, day;

	setenv("TZ", "UTC", 1);
	tzset();
	ck_assert_int_eq(cmd_audit_since("2026-12-03", &day, why, sizeof why), 0);
	ck_assert_int_eq(day, 1796256000000LL);
	ck_assert_int_eq(cmd_audit_since("2026-12-03T09:30", &ms, why, sizeof why), 0);
	ck_assert_int_eq(ms, day + (9 * 3600 + 30 * 60) * 1000LL);
	ck_assert_int_eq(cmd_audit_since("2026-12-03 09:30:15", &ms, why, sizeof why), 0);
	ck_assert_int_eq(ms, day + (9 * 3600 + 30 * 60 + 15) * 1000LL);
	static const char *const bad[] = { "2026-02-30", "2026-13-01", "26-12-03", "2026-12-03T25:00",
	                                   "2026-12-03x09:30", "yesterday", "", "2026-12-3" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(cmd_audit_since(bad[i], &ms, why, sizeof why) == -1, "'%s' taken", bad[i]);
}
END_TEST

START_TEST(test_audit_formats)
{
	struct proto_audit_row rows[2];
	char *out;

	setenv("TZ", "UTC", 1);
	tzset();
	rows[0] = row(1796256000000LL, "a1", "plain", false);
	rows[1] = row(1796259600000LL, "a2", "with, a \"quote\"", true);

	out = written(CMD_AUDIT_TEXT, rows, 2, INT64_MIN);
	ck_assert_ptr_nonnull(strstr(out, "2026-12-03 01:00:00  ann          a2"));
	ck_assert_ptr_nonnull(strstr(out, "\n2 moves, 1 forced\n"));
	free(out);

	out = written(CMD_AUDIT_CSV, rows, 2, INT64_MIN);
	ck_assert_str_eq(out, "time,by,agent,from,to,forced,reason,request,epoch,seq\n"
	                      "2026-12-03T00:00:00+00:00,ann,a1,shared,ded-x,false,plain,r-1,7,42\n"
	                      "2026-12-03T01:00:00+00:00,ann,a2,shared,ded-x,true,\"with, a \"\"quote\"\"\",r-1,7,42\n");
	free(out);

	/* --since keeps the later row only. */
	out = written(CMD_AUDIT_JSON, rows, 2, 1796256000001LL);
	ck_assert_ptr_null(strstr(out, "\"a1\""));
	ck_assert_ptr_nonnull(strstr(out, "\"time\":\"2026-12-03T01:00:00+00:00\",\"by\":\"ann\",\"agent\":\"a2\""));
	ck_assert_ptr_nonnull(strstr(out, "\"reason\":\"with, a \\\"quote\\\"\""));
	ck_assert_ptr_nonnull(strstr(out, "\"clock\":"));
	free(out);

	out = written(CMD_AUDIT_TEXT, rows, 2, 1796259600001LL);
	ck_assert_ptr_nonnull(strstr(out, "\n0 moves, 0 forced\n"));
	free(out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_audit_since);
	tcase_add_test(tc, test_audit_formats);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
