/*
 * The tenant page's figures and rows (tui/tenantpage.c): the queue by
 * channel, met and missed quarter hours with the running one marked, and
 * who serves a tenant or can — a shared tenant's idle shared agents too.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/tenantpage.h"
#include "testlib.h"

#define T0 INT64_C(1700000000000)
#define AT(s) (T0 + (int64_t)(s) * 1000)

/* An event of `type` at second s; apply() numbers and applies it. */
static struct proto_event
ev_at(enum proto_event_type type, int64_t s, const char *tenant, const char *agent, uint64_t contact)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = type;
	ev.ts = AT(s);
	ev.contact = contact;
	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	return ev;
}

static void
apply(struct floor *f, struct proto_event *ev)
{
	ev->seq = f->seq + 1;
	ck_assert_int_eq(floor_apply(f, ev, false), FLOOR_APPLIED);
}

static void
queued(struct floor *f, int64_t s, const char *tenant, uint64_t contact, enum proto_channel ch)
{
	struct proto_event ev = ev_at(PROTO_EV_CONTACT_QUEUED, s, tenant, "", contact);

	ev.channel = ch;
	apply(f, &ev);
}

static void
answered(struct floor *f, int64_t s, const char *tenant, const char *agent, uint64_t contact,
         uint64_t wait_s)
{
	struct proto_event ev = ev_at(PROTO_EV_CONTACT_ANSWERED, s, tenant, agent, contact);

	ev.wait_ms = wait_s * 1000;
	apply(f, &ev);
}

static void
state(struct floor *f, const char *agent, enum proto_agent_state st)
{
	struct proto_event ev = ev_at(PROTO_EV_AGENT_STATE, 0, "", agent, 0);

	ev.state = st;
	apply(f, &ev);
}

static void
pool(struct floor *f, const char *id, const char *tenant, const char *serves, const char *trained)
{
	char sv[1][PROTO_ID_MAX + 1], tr[1][PROTO_ID_MAX + 1];
	struct proto_pool p;

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, id, PROTO_ID_MAX);
	p.kind = tenant ? PROTO_POOL_DEDICATED : PROTO_POOL_SHARED;
	proto_strlcpy(p.tenant, tenant ? tenant : "", PROTO_ID_MAX);
	if (serves) {
		proto_strlcpy(sv[0], serves, PROTO_ID_MAX);
		p.serves = sv;
		p.n_serves = 1;
	}
	if (trained) {
		proto_strlcpy(tr[0], trained, PROTO_ID_MAX);
		p.trained = tr;
		p.n_trained = 1;
	}
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
}

/*
 * ded (dedicated, pool ded-ded, trained for shr), shr (shared, served by
 * pool desk), far (shared, served by pool other: nobody is trained).  d3
 * of ded-ded is lent to desk, s4 of desk to other.
 */
static void
make(struct floor *f)
{
	floor_init(f);
	testlib_tenant(f, "ded", PROTO_MODEL_DEDICATED);
	testlib_tenant(f, "shr", PROTO_MODEL_SHARED);
	testlib_tenant(f, "far", PROTO_MODEL_SHARED);
	pool(f, "ded-ded", "ded", NULL, "shr");
	pool(f, "desk", NULL, "shr", NULL);
	pool(f, "other", NULL, "far", NULL);
	ck_assert_int_ge(testlib_agent_at(f, "d1", "ded-ded", "ded-ded"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "d2", "ded-ded", "ded-ded"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "d3", "desk", "ded-ded"), 0);     /* lent to desk */
	ck_assert_int_ge(testlib_agent_at(f, "s1", "desk", "desk"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "s2", "desk", "desk"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "s3", "desk", "desk"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "o1", "other", "other"), 0);
	ck_assert_int_ge(testlib_agent_at(f, "s4", "other", "desk"), 0);     /* lent to other */
	state(f, "d2", PROTO_AS_OFFLINE);
	state(f, "s3", PROTO_AS_OFFLINE);
}

/* The page's rows in order, as "id:role" joined by spaces. */
static void
rows_of(const struct floor *f, uint32_t t, bool offline, char *out, size_t len)
{
	struct tenantpage_agent items[16];
	uint32_t rows[16], n = tenantpage_agents(f, t, offline, items);
	size_t at = 0;

	for (uint32_t i = 0; i < n; i++)
		rows[i] = i;
	tenantpage_order(f, items, rows, n);
	out[0] = '\0';
	for (uint32_t i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s:%s", i ? " " : "",
		                       f->agents[items[rows[i]].agent].def.id,
		                       tenantpage_role_name(items[rows[i]].role));
}

START_TEST(test_queue_by_channel)
{
	struct floor f;
	struct tenantpage_channel ch[PROTO_CH__COUNT];

	make(&f);
	queued(&f, 10, "shr", 1, PROTO_CH_VOICE);
	queued(&f, 20, "shr", 2, PROTO_CH_CHAT);
	queued(&f, 30, "shr", 3, PROTO_CH_VOICE);
	queued(&f, 40, "ded", 4, PROTO_CH_EMAIL);   /* another tenant's */
	tenantpage_queue(&f, 1, AT(100), ch);
	ck_assert_uint_eq(ch[PROTO_CH_VOICE].waiting, 2);
	ck_assert_int_eq(ch[PROTO_CH_VOICE].oldest_ms, 90 * 1000);
	ck_assert_uint_eq(ch[PROTO_CH_CHAT].waiting, 1);
	ck_assert_int_eq(ch[PROTO_CH_CHAT].oldest_ms, 80 * 1000);
	ck_assert_uint_eq(ch[PROTO_CH_EMAIL].waiting, 0);
	ck_assert_int_eq(ch[PROTO_CH_EMAIL].oldest_ms, -1);
	/* the oldest voice contact answered: the next one is the oldest */
	answered(&f, 100, "shr", "s1", 1, 90);
	tenantpage_queue(&f, 1, AT(100), ch);
	ck_assert_uint_eq(ch[PROTO_CH_VOICE].waiting, 1);
	ck_assert_int_eq(ch[PROTO_CH_VOICE].oldest_ms, 70 * 1000);
	floor_free(&f);
}
END_TEST

START_TEST(test_intervals_met_missed_current)
{
	struct floor f;
	struct tenantpage_interval iv[PROTO_INTERVALS_MAX];
	struct proto_event ev;
	uint32_t total, n;

	make(&f);
	/* no shift in force: nothing to chart */
	ck_assert_uint_eq(tenantpage_intervals(&f, 1, AT(10), iv, &total), 0);
	ev = ev_at(PROTO_EV_SHIFT_STARTED, 0, "", "", 0);
	proto_strlcpy(ev.shift, "Early", PROTO_ID_MAX);
	ev.start_ts = T0;
	ev.end_ts = AT(2 * 3600);
	apply(&f, &ev);
	/* 0-15 min: answered in 5 s (met); 15-30: in 60 s (missed); 30-45:
	 * nothing; 45-: one in time, and the quarter hour is still running */
	queued(&f, 60, "shr", 1, PROTO_CH_VOICE);
	answered(&f, 65, "shr", "s1", 1, 5);
	queued(&f, 1000, "shr", 2, PROTO_CH_VOICE);
	answered(&f, 1060, "shr", "s2", 2, 60);
	queued(&f, 2800, "shr", 3, PROTO_CH_VOICE);
	answered(&f, 2805, "shr", "d3", 3, 5);
	n = tenantpage_intervals(&f, 1, AT(2900), iv, &total);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(total, 8);
	ck_assert_int_eq(iv[0].level, STATS_OK);
	ck_assert_double_eq_tol(iv[0].sl, 1.0, 1e-9);
	ck_assert_int_eq(iv[1].level, STATS_CRIT);
	ck_assert_double_eq_tol(iv[1].sl, 0.0, 1e-9);
	ck_assert_int_eq(iv[2].level, STATS_NONE);
	ck_assert(isnan(iv[2].sl));
	ck_assert_int_eq(iv[3].level, STATS_OK);
	ck_assert(!iv[0].current && !iv[1].current && !iv[2].current);
	ck_assert(iv[3].current);
	ck_assert_int_eq(iv[2].start_ts, AT(30 * 60));
	/* another tenant's quarter hours are its own */
	n = tenantpage_intervals(&f, 0, AT(2900), iv, &total);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(iv[0].level, STATS_NONE);
	floor_free(&f);
}
END_TEST

/* A shared tenant lists every agent of the pools that serve it, idle ones
 * too, not only who is on one of its contacts; then who is trained to be
 * lent to it.  Offline agents only when asked. */
START_TEST(test_shared_tenant_agents)
{
	struct floor f;
	char got[256];

	make(&f);
	queued(&f, 10, "shr", 1, PROTO_CH_VOICE);
	answered(&f, 20, "shr", "s2", 1, 10);       /* s2 busy on shr, s1 idle */
	rows_of(&f, 1, false, got, sizeof got);
	ck_assert_str_eq(got, "s2:shared d3:shared s1:shared s4:lent out d1:trained");
	rows_of(&f, 1, true, got, sizeof got);
	ck_assert_str_eq(got, "s2:shared d3:shared s1:shared s3:shared s4:lent out d1:trained d2:trained");
	/* far: its pool's agents (s4 is lent to it); nobody is trained for it */
	rows_of(&f, 2, false, got, sizeof got);
	ck_assert_str_eq(got, "o1:shared s4:shared");
	floor_free(&f);
}
END_TEST

/* A dedicated tenant: its team, busy first, then whom it lent, and an
 * agent moved out mid-contact while still on one of its contacts. */
START_TEST(test_dedicated_tenant_agents)
{
	struct floor f;
	struct proto_event ev;
	char got[256];

	make(&f);
	queued(&f, 10, "ded", 1, PROTO_CH_VOICE);
	answered(&f, 20, "ded", "d1", 1, 10);
	rows_of(&f, 0, true, got, sizeof got);
	ck_assert_str_eq(got, "d1:dedicated d2:dedicated d3:lent out");
	/* d1 moves to other mid-contact: it is still on ded's contact */
	ev = ev_at(PROTO_EV_AGENT_MOVED, 30, "", "d1", 0);
	proto_strlcpy(ev.from, "ded-ded", PROTO_ID_MAX);
	proto_strlcpy(ev.to, "other", PROTO_ID_MAX);
	apply(&f, &ev);
	rows_of(&f, 0, false, got, sizeof got);
	ck_assert_str_eq(got, "d1:on a contact d3:lent out");
	floor_free(&f);
}
END_TEST

START_TEST(test_match)
{
	struct floor f;
	struct tenantpage_agent items[16];
	uint32_t n, hits = 0;

	make(&f);
	n = tenantpage_agents(&f, 1, false, items);
	for (uint32_t i = 0; i < n; i++)
		hits += tenantpage_match(&f, &items[i], "TRAIN");
	ck_assert_uint_eq(hits, 1);
	hits = 0;
	for (uint32_t i = 0; i < n; i++)
		hits += tenantpage_match(&f, &items[i], "desk");
	ck_assert_uint_eq(hits, 3);
	ck_assert_str_eq(tenantpage_role_name(TP__COUNT), "?");
	/* a tenant index off the floor lists nobody */
	ck_assert_uint_eq(tenantpage_agents(&f, 99, true, items), 0);
	floor_free(&f);
}
END_TEST

static Suite *
tenantpage_suite(void)
{
	Suite *s = suite_create("tenantpage");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_queue_by_channel);
	tcase_add_test(tc, test_intervals_met_missed_current);
	tcase_add_test(tc, test_shared_tenant_agents);
	tcase_add_test(tc, test_dedicated_tenant_agents);
	tcase_add_test(tc, test_match);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tenantpage_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
