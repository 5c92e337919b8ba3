/* The Asterisk source's pieces: the queue_log line parser, its hash
 * table, and the verbs -> events mapping on a small floor. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/acd_map.h"
#include "pooltop/acd_qlog.h"
#include "pooltop/acd_tab.h"
#include "pooltop/floor.h"
#include "pooltop/scenario.h"

static int
parse(const char *text, struct acd_qlog_line *l, const char **why)
{
	static char buf[ACD_QLOG_LINE_MAX + 64];

	snprintf(buf, sizeof buf, "%s", text);
	return acd_qlog_parse(buf, strlen(buf), l, why);
}

START_TEST(test_parse_columns)
{
	struct acd_qlog_line l;
	const char *why = NULL;

	ck_assert_int_eq(parse("1709539200|1709539190.1|acme|Agent/1001|CONNECT|15|1709539205.2|2",
	                       &l, &why), 0);
	ck_assert_int_eq(l.ts_ms, 1709539200000LL);
	ck_assert_str_eq(l.callid, "1709539190.1");
	ck_assert_str_eq(l.queue, "acme");
	ck_assert_str_eq(l.agent, "Agent/1001");
	ck_assert_int_eq(l.verb, ACD_V_CONNECT);
	ck_assert_uint_eq(l.n_data, 3);
	ck_assert_int_eq(acd_qlog_num(&l, 0), 15);
	ck_assert_int_eq(acd_qlog_num(&l, 1), -1);   /* not a number */
	ck_assert_int_eq(acd_qlog_num(&l, 3), -1);   /* absent */
	/* a fraction, CRLF, empty fields, an unknown verb */
	ck_assert_int_eq(parse("1709539200.25|x|q|NONE|MYVERB||\r", &l, &why), 0);
	ck_assert_int_eq(l.ts_ms, 1709539200250LL);
	ck_assert_int_eq(l.verb, ACD_V_OTHER);
	ck_assert_uint_eq(l.n_data, 2);
	ck_assert_str_eq(l.data[0], "");
	ck_assert_int_eq(acd_qlog_num(&l, 0), -1);
	/* every stock verb is known by name */
	for (int v = 0; v < ACD_V_OTHER; v++) {
		char line[128];
		snprintf(line, sizeof line, "1|c|q|a|%s", acd_verb_name((enum acd_verb)v));
		ck_assert_int_eq(parse(line, &l, &why), 0);
		ck_assert_int_eq(l.verb, v);
	}
}
END_TEST

START_TEST(test_parse_bad)
{
	static const char *const bad[] = {
		"garbage", "1709539200|a|b|c", "yesterday|a|b|c|ENTERQUEUE",
		"1709539200|a|b|c|", "-5|a|b|c|PAUSE", "99999999999999999999|a|b|c|PAUSE",
		"12x|a|b|c|PAUSE",
	};
	struct acd_qlog_line l;
	const char *why;
	char longline[ACD_QLOG_LINE_MAX + 40];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why = NULL;
		ck_assert_msg(parse(bad[i], &l, &why) == -1, "%s", bad[i]);
		ck_assert_ptr_nonnull(why);
	}
	ck_assert_int_eq(parse("", &l, &why), 1);
	ck_assert_int_eq(parse("  \t \r", &l, &why), 1);
	memset(longline, 'x', sizeof longline - 1);
	memcpy(longline, "1|c|q|a|INFO|", 13);
	longline[sizeof longline - 1] = '\0';
	ck_assert_int_eq(acd_qlog_parse(longline, strlen(longline), &l, &why), -1);
}
END_TEST

START_TEST(test_tab)
{
	struct acd_tab t;
	char k[32];

	acd_tab_init(&t);
	for (uint32_t i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "call-%u", i);
		ck_assert_int_eq(acd_tab_put(&t, k, strlen(k), i), 0);
	}
	/* delete every other one: the rest stay reachable across the holes */
	for (uint32_t i = 0; i < 5000; i += 2) {
		snprintf(k, sizeof k, "call-%u", i);
		ck_assert_int_eq(acd_tab_del(&t, k, strlen(k)), 0);
		ck_assert_int_eq(acd_tab_del(&t, k, strlen(k)), -1);
	}
	ck_assert_uint_eq(t.count, 2500);
	for (uint32_t i = 0; i < 5000; i++) {
		snprintf(k, sizeof k, "call-%u", i);
		ck_assert_int_eq(acd_tab_get(&t, k, strlen(k)), i % 2 ? (int64_t)i : -1);
	}
	memset(k, 'k', sizeof k);
	ck_assert_int_eq(acd_tab_put(&t, k, ACD_TAB_KEY_MAX + 1, 1), -1);
	acd_tab_free(&t);
}
END_TEST

/* ------------------------------------------------------------ mapping */

static const char scen[] =
	"[floor]\nacw_reasons = ACW\n"
	"[shift Day]\nstart = 08:00\nend = 16:00\n"
	"[tenant acme]\nmodel = dedicated\nsl = 80/20\nqueues = acme-sales, acme-support\nwrap = 10\n"
	"[tenant bolt]\nmodel = shared\nsl = 80/20\n"
	"[pool ded-acme]\nkind = dedicated\ntenant = acme\n"
	"[pool shared-1]\nkind = shared\nserves = bolt, acme\n"
	"[agent alice]\nname = Alice\npool = ded-acme\naliases = Agent/1001, Local/1001@q\n";

struct rec {
	struct floor f;
	char log[8192];
	size_t len;
	int64_t clock;
	int rejected;
};

static void
rec_emit(void *ctx, struct proto_event *ev)
{
	struct rec *r = ctx;
	char line[512];

	ev->seq = r->f.seq + 1;
	ev->epoch = r->f.epoch;
	if (floor_apply(&r->f, ev, false) != FLOOR_APPLIED)
		r->rejected++;
	switch (ev->type) {
	case PROTO_EV_CONTACT_QUEUED:
		snprintf(line, sizeof line, "%lld queued %s c%llu\n", (long long)ev->ts / 1000, ev->tenant,
		         (unsigned long long)ev->contact);
		break;
	case PROTO_EV_CONTACT_ANSWERED:
		snprintf(line, sizeof line, "%lld answered %s c%llu %s %llu\n", (long long)ev->ts / 1000,
		         ev->tenant, (unsigned long long)ev->contact, ev->agent,
		         (unsigned long long)ev->wait_ms);
		break;
	case PROTO_EV_CONTACT_ABANDONED:
		snprintf(line, sizeof line, "%lld abandoned %s c%llu %llu %s\n", (long long)ev->ts / 1000,
		         ev->tenant, (unsigned long long)ev->contact, (unsigned long long)ev->wait_ms,
		         ev->exit);
		break;
	case PROTO_EV_CONTACT_ENDED:
		snprintf(line, sizeof line, "%lld ended c%llu %s %llu\n", (long long)ev->ts / 1000,
		         (unsigned long long)ev->contact, ev->agent, (unsigned long long)ev->talk_ms);
		break;
	case PROTO_EV_CONTACT_WRAPPED:
		snprintf(line, sizeof line, "%lld wrapped c%llu %s %llu\n", (long long)ev->ts / 1000,
		         (unsigned long long)ev->contact, ev->agent, (unsigned long long)ev->wrap_ms);
		break;
	case PROTO_EV_AGENT_STATE:
		snprintf(line, sizeof line, "%lld state %s %s %s\n", (long long)ev->ts / 1000, ev->agent,
		         proto_agent_state_name(ev->state), ev->reason);
		break;
	case PROTO_EV_AGENT_MOVED:
		snprintf(line, sizeof line, "%lld moved %s '%s'->%s %s\n", (long long)ev->ts / 1000,
		         ev->agent, ev->from, ev->to, ev->name);
		break;
	default:
		snprintf(line, sizeof line, "%lld %s\n", (long long)ev->ts / 1000,
		         proto_event_type_name(ev->type));
	}
	if (r->len + strlen(line) < sizeof r->log) {
		memcpy(r->log + r->len, line, strlen(line) + 1);
		r->len += strlen(line);
	}
}

static void
rec_clock(void *ctx, int64_t ts)
{
	struct rec *r = ctx;

	ck_assert_int_ge(ts, r->clock);   /* never backwards */
	r->clock = ts;
}

/* Feed lines ("TS|..." with TS in seconds after 0) and return the log. */
static const char *
run_map(struct rec *r, const char *const *lines, size_t n, struct acd_counts *counts)
{
	struct scenario sc;
	char err[256];
	struct acd_map *m;

	ck_assert_msg(scenario_parse_flags(scen, "t.ini", SCENARIO_F_ACD, &sc, err, sizeof err) == 0,
	              "%s", err);
	memset(r, 0, sizeof *r);
	floor_init(&r->f);
	for (uint32_t i = 0; i < sc.n_tenants; i++)
		ck_assert_int_ge(floor_add_tenant(&r->f, &sc.tenants[i].def), 0);
	for (uint32_t i = 0; i < sc.n_pools; i++)
		ck_assert_int_ge(floor_add_pool(&r->f, &sc.pools[i].def), 0);
	for (uint32_t i = 0; i < sc.n_agents; i++) {
		struct proto_agent a;
		memset(&a, 0, sizeof a);
		strcpy(a.id, sc.agents[i].id);
		strcpy(a.name, sc.agents[i].name);
		strcpy(a.pool, sc.pools[sc.agents[i].pool].def.id);
		ck_assert_int_ge(floor_add_agent(&r->f, &a), 0);
	}
	m = acd_map_new(&sc, 1000, rec_emit, rec_clock, r);
	ck_assert_ptr_nonnull(m);
	for (size_t i = 0; i < n; i++) {
		char buf[512];
		struct acd_qlog_line l;
		const char *why;
		int p;

		snprintf(buf, sizeof buf, "%s", lines[i]);
		p = acd_qlog_parse(buf, strlen(buf), &l, &why);
		if (p == 0)
			acd_map_line(m, &l, i + 1);
		else if (p < 0)
			acd_map_bad(m, i + 1, why);
		else
			acd_map_blank(m);
	}
	acd_map_settle(m);
	*counts = *acd_map_counts(m);
	acd_map_free(m);
	scenario_free(&sc);
	ck_assert_int_eq(r->rejected, 0);   /* the model takes every event */
	return r->log;
}

START_TEST(test_map_call)
{
	static const char *const lines[] = {
		"1000|MANAGER|acme-sales|Agent/1001|ADDMEMBER|",
		"1010|c1|acme-sales|NONE|ENTERQUEUE||5550100|1",
		"1010|c1|acme-sales|NONE|ENTERQUEUE||5550100|1",
		"1040|c1|acme-sales|Local/1001@q|CONNECT|30|c2|2",
		"1100|c1|acme-sales|Agent/1001|COMPLETECALLER|30|60|1",
		"1105|NONE|acme-sales|Agent/1001|PAUSE|ACW",
		"1130|NONE|acme-sales|Agent/1001|UNPAUSE|",
		"1200|c3|acme-support|NONE|ENTERQUEUE||5550101|1",
		"1203|c3|acme-support|NONE|EXITWITHKEY|5|1|1|3",
		"1300|c4|bolt|NONE|ABANDON|1|1|40",
		"1400|NONE|NONE|Agent/1001|PAUSEALL|Lunch",
	};
	const char *want =
		"1000 state alice idle \n"
		"1010 queued acme c1\n"
		"1040 answered acme c1 alice 30000\n"
		"1100 ended c1 alice 60000\n"
		"1130 wrapped c1 alice 30000\n"
		"1200 queued acme c2\n"
		"1203 abandoned acme c2 3000 key\n"
		"1300 queued bolt c3\n"
		"1300 abandoned bolt c3 40000 abandon\n"
		"1400 state alice break Lunch\n";
	struct rec r;
	struct acd_counts c;

	ck_assert_str_eq(run_map(&r, lines, sizeof lines / sizeof lines[0], &c), want);
	ck_assert_uint_eq(c.c[ACD_C_DUP_ENTER], 1);
	ck_assert_uint_eq(c.c[ACD_C_ORPHAN], 1);
	ck_assert_uint_eq(c.verb[ACD_V_ENTERQUEUE], 3);
	ck_assert_uint_eq(r.f.tenants[0].cur.handled, 1);
	ck_assert_uint_eq(r.f.tenants[0].cur.wrap_ms, 30000);
	floor_free(&r.f);
}
END_TEST

/* Wrap-up from the tenant's wrap seconds, cut short by the next call; a
 * lost COMPLETE; an unknown member; a pool that follows membership. */
START_TEST(test_map_agents)
{
	static const char *const lines[] = {
		"1000|c1|acme-sales|NONE|ENTERQUEUE||1|1",
		"1005|c1|acme-sales|Agent/1001|CONNECT|5|x|1",
		"1065|c1|acme-sales|Agent/1001|COMPLETEAGENT|5|60|1",
		"1070|c2|acme-sales|NONE|ENTERQUEUE||1|1",
		"1072|c2|acme-sales|Agent/1001|CONNECT|2|x|1",
		"1080|c3|acme-sales|NONE|ENTERQUEUE||1|1",
		"1090|c3|acme-sales|Agent/1001|CONNECT|10|x|1",
		"1100|MANAGER|bolt|SIP/77|ADDMEMBER|",
		"1101|MANAGER|acme-sales|SIP/77|ADDMEMBER|",
		"1102|MANAGER|bolt|SIP/77|REMOVEMEMBER|",
		"garbage line",
		"",
	};
	struct rec r;
	struct acd_counts c;
	const char *got = run_map(&r, lines, sizeof lines / sizeof lines[0], &c);

	ck_assert_ptr_nonnull(strstr(got, "1072 wrapped c1 alice 7000\n1072 answered acme c2 alice 2000\n"));
	ck_assert_ptr_nonnull(strstr(got, "1090 ended c2 alice 18000\n1090 wrapped c2 alice 0\n"));
	ck_assert_ptr_nonnull(strstr(got, "1100 moved SIP/77 ''->shared-1 SIP/77\n"));
	ck_assert_ptr_nonnull(strstr(got, "1102 moved SIP/77 'shared-1'->ded-acme \n"));
	/* answering without a login puts an agent on duty, and it stays */
	ck_assert_ptr_null(strstr(got, "alice offline"));
	ck_assert_uint_eq(c.c[ACD_C_LOST_END], 1);
	ck_assert_uint_eq(c.c[ACD_C_NEW_AGENTS], 1);
	ck_assert_uint_eq(c.c[ACD_C_NO_POOL], 1);      /* {bolt} alone: no such pool */
	ck_assert_uint_eq(c.c[ACD_C_POOL_MOVES], 1);   /* {acme}: ded-acme */
	ck_assert_uint_eq(c.c[ACD_C_MALFORMED], 1);
	ck_assert_uint_eq(c.c[ACD_C_BLANK], 1);
	ck_assert_uint_eq(c.n_bad, 1);
	ck_assert_uint_eq(c.bad[0].line, 11);
	ck_assert_int_ge(floor_agent_find(&r.f, "SIP/77"), 0);
	ck_assert_str_eq(r.f.agents[floor_agent_find(&r.f, "SIP/77")].def.pool, "ded-acme");
	floor_free(&r.f);
}
END_TEST

/* Members whose names make the same id, or too long a one, still become
 * distinct agents with ids of at most 32 bytes. */
START_TEST(test_map_new_ids)
{
	static const char *const lines[] = {
		"1000|MANAGER|bolt|SIP/1002\xc3\xa9|ADDMEMBER|",
		"1001|MANAGER|bolt|SIP/1002__|ADDMEMBER|",
		"1002|MANAGER|bolt|Local/1099@from-queue-with-a-long-context/n|ADDMEMBER|",
		"1003|MANAGER|bolt|Local/1099@from-queue-with-a-long-context/m|ADDMEMBER|",
	};
	struct rec r;
	struct acd_counts c;

	run_map(&r, lines, sizeof lines / sizeof lines[0], &c);
	ck_assert_uint_eq(c.c[ACD_C_NEW_AGENTS], 4);
	ck_assert_uint_eq(r.f.n_agents, 1 + 4);
	for (uint32_t a = 0; a < r.f.n_agents; a++) {
		ck_assert_uint_le(strlen(r.f.agents[a].def.id), PROTO_ID_MAX);
		for (uint32_t b = 0; b < a; b++)
			ck_assert_str_ne(r.f.agents[a].def.id, r.f.agents[b].def.id);
	}
	floor_free(&r.f);
}
END_TEST

/* A log that only ever queues cannot grow a queue past ACD_QUEUE_MAX. */
START_TEST(test_map_full_queue)
{
	enum { N = ACD_QUEUE_MAX + 3 };
	char (*buf)[64] = malloc(N * sizeof *buf);
	const char **lines = malloc(N * sizeof *lines);
	struct rec *r = malloc(sizeof *r);
	struct acd_counts c;

	ck_assert_ptr_nonnull(buf);
	ck_assert_ptr_nonnull(lines);
	ck_assert_ptr_nonnull(r);
	for (int i = 0; i < N; i++) {
		snprintf(buf[i], sizeof buf[i], "%d|c%d|bolt|NONE|ENTERQUEUE||1|1", 2000 + i / 100, i);
		lines[i] = buf[i];
	}
	run_map(r, lines, N, &c);
	ck_assert_uint_eq(c.c[ACD_C_FULL], 3);
	ck_assert_uint_eq(r->f.tenants[1].n_waiting, ACD_QUEUE_MAX);
	ck_assert_uint_eq(r->f.tenants[1].cur.offered, N);
	ck_assert_uint_eq(r->f.tenants[1].cur.abandoned, 3);
	floor_free(&r->f);
	free(r);
	free(lines);
	free(buf);
}
END_TEST

/* The protocol additions the source needs survive encode/decode, and are
 * left out (same bytes as before) when empty. */
START_TEST(test_proto_additions)
{
	struct proto_event ev, out;
	struct proto_reply rp, back;
	struct proto_count cs[2] = { { "lines", 12 }, { "bad.1", 7 } };
	struct proto_buf b;

	proto_buf_init(&b);
	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_CONTACT_ABANDONED;
	strcpy(ev.tenant, "acme");
	ev.contact = 3;
	ev.wait_ms = 40000;
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_uint_eq(b.data[0], 0x88);   /* 5 + 3 fields: no `exit` */
	strcpy(ev.exit, "timeout");
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_uint_eq(b.data[0], 0x89);
	ck_assert_int_eq(proto_decode_event(b.data, b.len, &out), PROTO_OK);
	ck_assert_str_eq(out.exit, "timeout");

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	strcpy(ev.agent, "a1");
	ev.state = PROTO_AS_BREAK;
	strcpy(ev.reason, "Lunch");
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_int_eq(proto_decode_event(b.data, b.len, &out), PROTO_OK);
	ck_assert_str_eq(out.reason, "Lunch");

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_MOVED;
	strcpy(ev.agent, "SIP/77");
	strcpy(ev.to, "shared-1");
	strcpy(ev.by, "asterisk");
	strcpy(ev.name, "SIP/77 \xc3\xa9");
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_event(&b, &ev), PROTO_OK);
	ck_assert_int_eq(proto_decode_event(b.data, b.len, &out), PROTO_OK);
	ck_assert_str_eq(out.name, "SIP/77 \xc3\xa9");
	ck_assert_str_eq(out.from, "");

	memset(&rp, 0, sizeof rp);
	rp.op = PROTO_OP_PING;
	rp.ok = true;
	strcpy(rp.id, "p1");
	rp.epoch = 9;
	rp.seq = 4;
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), PROTO_OK);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_PING, &back), PROTO_OK);
	ck_assert_uint_eq(back.n_source, 0);
	proto_reply_free(&back);
	rp.n_source = 2;
	rp.source = cs;
	proto_buf_reset(&b);
	ck_assert_int_eq(proto_encode_reply(&b, &rp), PROTO_OK);
	ck_assert_int_eq(proto_decode_reply(b.data, b.len, PROTO_OP_PING, &back), PROTO_OK);
	ck_assert_uint_eq(back.n_source, 2);
	ck_assert_str_eq(back.source[1].name, "bad.1");
	ck_assert_uint_eq(back.source[1].value, 7);
	ck_assert_uint_eq(back.seq, 4);
	proto_reply_free(&back);
	proto_buf_free(&b);
}
END_TEST

static Suite *
acd_suite(void)
{
	Suite *s = suite_create("acd");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_columns);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_tab);
	tcase_add_test(tc, test_map_call);
	tcase_add_test(tc, test_map_agents);
	tcase_add_test(tc, test_proto_additions);
	tcase_add_test(tc, test_map_full_queue);
	tcase_add_test(tc, test_map_new_ids);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(acd_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
