#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/listing.h"

/* Floor clock: the shift starts at T0, the lists are read at NOW. */
#define T0 INT64_C(1700000000000)
#define AT(s) (T0 + (int64_t)(s) * 1000)
#define NOW AT(3600)

#define IDS(...) (const char *const[]){ __VA_ARGS__ }
#define NIDS(...) (sizeof(IDS(__VA_ARGS__)) / sizeof(const char *))
#define CHECK_TENANTS(f, sort, desc, filter, ...) \
	check_tenants(f, sort, desc, filter, IDS(__VA_ARGS__), NIDS(__VA_ARGS__))
#define CHECK_AGENTS(f, sort, desc, filter, ...) \
	check_agents(f, sort, desc, filter, IDS(__VA_ARGS__), NIDS(__VA_ARGS__))
#define CHECK_POOLS(f, filter, ...) \
	check_pools(f, filter, IDS(__VA_ARGS__), NIDS(__VA_ARGS__))

/* ------------------------------------------------------------ building */

static void
add_tenant(struct floor *f, const char *id, const char *name, enum proto_model m)
{
	struct proto_tenant t;

	memset(&t, 0, sizeof(t));
	snprintf(t.id, sizeof(t.id), "%s", id);
	snprintf(t.name, sizeof(t.name), "%s", name);
	t.model = m;
	t.sl_pct = 80;
	t.sl_sec = 20;
	t.dedicated_rate = 30;
	t.shared_rate = 45;
	ck_assert_int_ge(floor_add_tenant(f, &t), 0);
}

static void
add_pool(struct floor *f, const char *id, enum proto_pool_kind kind, const char *tenant,
         const char *const *serves, uint32_t n_serves)
{
	char sv[4][PROTO_ID_MAX + 1];
	struct proto_pool p;

	memset(&p, 0, sizeof(p));
	snprintf(p.id, sizeof(p.id), "%s", id);
	p.kind = kind;
	snprintf(p.tenant, sizeof(p.tenant), "%s", tenant);
	for (uint32_t i = 0; i < n_serves; i++)
		snprintf(sv[i], sizeof(sv[i]), "%s", serves[i]);
	p.n_serves = n_serves;
	p.serves = n_serves ? sv : NULL;
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
}

static void
add_agent(struct floor *f, const char *id, const char *name, const char *pool)
{
	struct proto_agent a;

	memset(&a, 0, sizeof(a));
	snprintf(a.id, sizeof(a.id), "%s", id);
	snprintf(a.name, sizeof(a.name), "%s", name);
	snprintf(a.pool, sizeof(a.pool), "%s", pool);
	a.state = PROTO_AS_OFFLINE;
	a.since_ts = T0;
	ck_assert_int_ge(floor_add_agent(f, &a), 0);
}

static struct proto_event
event(enum proto_event_type type, int64_t ts)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.ts = ts;
	return ev;
}

static void
apply(struct floor *f, struct proto_event *ev)
{
	ev->seq = f->seq + 1;
	ck_assert_int_eq(floor_apply(f, ev, false), FLOOR_APPLIED);
}

static void
ev_queued(struct floor *f, const char *tenant, uint64_t contact, int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_CONTACT_QUEUED, ts);

	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	ev.contact = contact;
	apply(f, &ev);
}

static void
ev_answered(struct floor *f, const char *tenant, const char *agent, uint64_t contact,
            uint64_t wait_s, int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_CONTACT_ANSWERED, ts);

	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	snprintf(ev.agent, sizeof(ev.agent), "%s", agent);
	ev.contact = contact;
	ev.wait_ms = wait_s * 1000;
	apply(f, &ev);
}

static void
ev_abandoned(struct floor *f, const char *tenant, uint64_t contact, uint64_t wait_s,
             int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_CONTACT_ABANDONED, ts);

	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	ev.contact = contact;
	ev.wait_ms = wait_s * 1000;
	apply(f, &ev);
}

static void
ev_ended(struct floor *f, const char *tenant, const char *agent, uint64_t contact,
         uint64_t talk_s, int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_CONTACT_ENDED, ts);

	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	snprintf(ev.agent, sizeof(ev.agent), "%s", agent);
	ev.contact = contact;
	ev.talk_ms = talk_s * 1000;
	apply(f, &ev);
}

static void
ev_wrapped(struct floor *f, const char *tenant, const char *agent, uint64_t contact,
           uint64_t wrap_s, int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_CONTACT_WRAPPED, ts);

	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	snprintf(ev.agent, sizeof(ev.agent), "%s", agent);
	ev.contact = contact;
	ev.wrap_ms = wrap_s * 1000;
	apply(f, &ev);
}

static void
ev_state(struct floor *f, const char *agent, enum proto_agent_state st, const char *tenant,
         int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_AGENT_STATE, ts);

	snprintf(ev.agent, sizeof(ev.agent), "%s", agent);
	snprintf(ev.tenant, sizeof(ev.tenant), "%s", tenant);
	ev.state = st;
	apply(f, &ev);
}

static void
ev_moved(struct floor *f, const char *agent, const char *from, const char *to, int64_t ts)
{
	struct proto_event ev = event(PROTO_EV_AGENT_MOVED, ts);

	snprintf(ev.agent, sizeof(ev.agent), "%s", agent);
	snprintf(ev.from, sizeof(ev.from), "%s", from);
	snprintf(ev.to, sizeof(ev.to), "%s", to);
	apply(f, &ev);
}

/* One whole contact: queued, answered after wait_s, talked, wrapped. */
static void
contact_done(struct floor *f, const char *tenant, const char *agent, uint64_t contact,
             int64_t q, uint64_t wait_s, uint64_t talk_s, uint64_t wrap_s)
{
	int64_t ans = q + (int64_t)wait_s * 1000;
	int64_t end = ans + (int64_t)talk_s * 1000;

	ev_queued(f, tenant, contact, q);
	ev_answered(f, tenant, agent, contact, wait_s, ans);
	ev_ended(f, tenant, agent, contact, talk_s, end);
	ev_wrapped(f, tenant, agent, contact, wrap_s, end + (int64_t)wrap_s * 1000);
}

/*
 * Six tenants (two of each model), dedicated and shared pools, sixteen
 * agents in every state, one of them moved to another pool mid-contact.
 * Everything is added out of order, so index order never passes for a
 * sorted list.  What each tenant ends up with (NOW = T0 + 3600 s):
 *
 *   tenant  model      wait oldest  SL      ASA   abn      AHT  ded b/i/on shr offered
 *   acme    dedicated  2    90 s    0.80    14    0        120  2/1/4      1   7
 *   beta    dedicated  0    -       0.75    17.5  0.2      200  1/1/2      0   5
 *   cobra   shared     3    30 s    0.7499  1     .25003   NaN  0/0/0      2   10003
 *   delta   shared     1    120 s   0.90    10.5  0.0833   60   0/0/0      1   12
 *   echo    hybrid     0    -       NaN     NaN   1.0      NaN  2/0/2      1   2
 *   fox     hybrid     0    -       NaN     NaN   NaN      NaN  0/0/0      0   0
 */
static void
build_floor(struct floor *f)
{
	struct proto_event ev;
	uint64_t c = 300000;

	floor_init(f);
	add_tenant(f, "delta", "Delta Air", PROTO_MODEL_SHARED);
	add_tenant(f, "beta", "beta Bank", PROTO_MODEL_DEDICATED);
	add_tenant(f, "fox", "Fox Insure", PROTO_MODEL_HYBRID);
	add_tenant(f, "acme", "Acme Corp", PROTO_MODEL_DEDICATED);
	add_tenant(f, "echo", "Echo Mobile", PROTO_MODEL_HYBRID);
	add_tenant(f, "cobra", "Cobra Ltd", PROTO_MODEL_SHARED);

	add_pool(f, "shr-2", PROTO_POOL_SHARED, "", IDS("delta", "fox", "acme"), 3);
	add_pool(f, "ded-beta", PROTO_POOL_DEDICATED, "beta", NULL, 0);
	add_pool(f, "ded-3", PROTO_POOL_DEDICATED, "echo", NULL, 0);
	add_pool(f, "shr-1", PROTO_POOL_SHARED, "", IDS("cobra", "echo"), 2);
	add_pool(f, "ded-acme", PROTO_POOL_DEDICATED, "acme", NULL, 0);
	add_pool(f, "shr-0", PROTO_POOL_SHARED, "", NULL, 0);

	add_agent(f, "a09", "Val", "shr-1");
	add_agent(f, "a02", "bob", "ded-acme");
	add_agent(f, "a14", "Gus", "ded-3");
	add_agent(f, "a05", "Xia", "ded-acme");
	add_agent(f, "a11", "Uma", "shr-1");
	add_agent(f, "a01", "Zoe", "ded-acme");
	add_agent(f, "a16", "Hal", "ded-3");
	add_agent(f, "a07", "Wes", "ded-beta");
	add_agent(f, "a12", "Fay", "shr-2");
	add_agent(f, "a03", "Yan", "ded-acme");
	add_agent(f, "a13", "Tom", "shr-2");
	add_agent(f, "a06", "Cid", "ded-beta");
	add_agent(f, "a04", "Ann", "ded-acme");
	add_agent(f, "a15", "Sam", "shr-2");
	add_agent(f, "a10", "Eve", "shr-1");
	add_agent(f, "a08", "Dee", "shr-1");

	ev = event(PROTO_EV_SHIFT_STARTED, T0);
	snprintf(ev.shift, sizeof(ev.shift), "Early");
	ev.start_ts = T0;
	ev.end_ts = T0 + INT64_C(8) * 3600 * 1000;
	apply(f, &ev);

	/* acme: 4 of 5 answered within 20 s -> SL exactly 0.80 */
	for (int i = 0; i < 5; i++)
		contact_done(f, "acme", "a03", 101 + (uint64_t)i, AT(100 + 200 * i),
		             i < 4 ? 10 : 30, 100, 20);

	/* beta: 3 of 4, plus a short abandon that must not count -> 0.75 */
	for (int i = 0; i < 4; i++)
		contact_done(f, "beta", "a06", 201 + (uint64_t)i, AT(100 + 300 * i),
		             i < 3 ? 10 : 40, 200, 0);
	ev_queued(f, "beta", 205, AT(1300));
	ev_abandoned(f, "beta", 205, 2, AT(1302));

	/* cobra: 7499 in SL over 10000 -> 0.7499 */
	for (int i = 0; i < 7497; i++, c++) {
		ev_queued(f, "cobra", c, AT(1400));
		ev_answered(f, "cobra", "a08", c, 1, AT(1401));
	}
	for (int i = 0; i < 2501; i++, c++) {
		ev_queued(f, "cobra", c, AT(1500));
		ev_abandoned(f, "cobra", c, 30, AT(1530));
	}
	ev_queued(f, "cobra", 310001, AT(1600));
	ev_answered(f, "cobra", "a09", 310001, 1, AT(1601));
	ev_ended(f, "cobra", "a09", 310001, 60, AT(3000));
	ev_queued(f, "cobra", 310002, AT(1600));
	ev_answered(f, "cobra", "a11", 310002, 1, AT(1601));
	/* moved mid-contact: shows "moving", and counts in its new pool */
	ev_moved(f, "a11", "shr-1", "ded-3", AT(3100));
	ev_queued(f, "cobra", 320001, AT(3570));
	ev_queued(f, "cobra", 320002, AT(3580));
	ev_queued(f, "cobra", 320003, AT(3595));

	/* delta: 9 of 10, and a short abandon -> 0.90 */
	for (int i = 0; i < 10; i++)
		contact_done(f, "delta", "a12", 401 + (uint64_t)i, AT(1700 + 100 * i),
		             i < 9 ? 5 : 60, 50, 10);
	ev_queued(f, "delta", 411, AT(2800));
	ev_abandoned(f, "delta", 411, 3, AT(2803));
	ev_queued(f, "delta", 412, AT(3480));

	/* echo: only short abandons, so no service level to judge */
	ev_queued(f, "echo", 501, AT(2900));
	ev_abandoned(f, "echo", 501, 1, AT(2901));
	ev_queued(f, "echo", 502, AT(2910));
	ev_abandoned(f, "echo", 502, 2, AT(2912));

	ev_queued(f, "acme", 106, AT(3510));
	ev_queued(f, "acme", 107, AT(3590));

	ev_state(f, "a15", PROTO_AS_BUSY, "acme", AT(3050));
	ev_state(f, "a10", PROTO_AS_BUSY, "echo", AT(3150));
	ev_state(f, "a01", PROTO_AS_BUSY, "acme", AT(3200));
	ev_state(f, "a07", PROTO_AS_BUSY, "beta", AT(3250));
	ev_state(f, "a02", PROTO_AS_WRAP, "acme", AT(3300));
	ev_state(f, "a13", PROTO_AS_BUSY, "delta", AT(3350));
	ev_state(f, "a05", PROTO_AS_BREAK, "", AT(3400));
	ev_state(f, "a14", PROTO_AS_WRAP, "echo", AT(3450));
}

static uint32_t
tenant_ix(const struct floor *f, const char *id)
{
	int t = floor_tenant_find(f, id);

	ck_assert_int_ge(t, 0);
	return (uint32_t)t;
}

static void
check_tenants(const struct floor *f, int sort, bool desc, const char *filter,
              const char *const *want, size_t n)
{
	uint32_t out[16];
	uint32_t got;

	ck_assert_uint_le(f->n_tenants, 16);
	got = listing_tenants(f, NOW, sort, desc, filter, out);
	ck_assert_msg(got == n, "tenants col %s desc %d filter '%s': %u rows, want %zu",
	              listing_tenant_col_name(sort), desc, filter ? filter : "(null)", got, n);
	for (uint32_t i = 0; i < got; i++)
		ck_assert_msg(strcmp(f->tenants[out[i]].def.id, want[i]) == 0,
		              "tenants col %s desc %d filter '%s': row %u is %s, want %s",
		              listing_tenant_col_name(sort), desc, filter ? filter : "(null)", i,
		              f->tenants[out[i]].def.id, want[i]);
}

static void
check_agents(const struct floor *f, int sort, bool desc, const char *filter,
             const char *const *want, size_t n)
{
	uint32_t out[32];
	uint32_t got;

	ck_assert_uint_le(f->n_agents, 32);
	got = listing_agents(f, NOW, sort, desc, filter, out);
	ck_assert_msg(got == n, "agents col %s desc %d filter '%s': %u rows, want %zu",
	              listing_agent_col_name(sort), desc, filter ? filter : "(null)", got, n);
	for (uint32_t i = 0; i < got; i++)
		ck_assert_msg(strcmp(f->agents[out[i]].def.id, want[i]) == 0,
		              "agents col %s desc %d filter '%s': row %u is %s, want %s",
		              listing_agent_col_name(sort), desc, filter ? filter : "(null)", i,
		              f->agents[out[i]].def.id, want[i]);
}

static void
check_pools(const struct floor *f, const char *filter, const char *const *want, size_t n)
{
	uint32_t out[16];
	uint32_t got;

	ck_assert_uint_le(f->n_pools, 16);
	got = listing_pools(f, filter, out);
	ck_assert_msg(got == n, "pools filter '%s': %u rows, want %zu",
	              filter ? filter : "(null)", got, n);
	for (uint32_t i = 0; i < got; i++)
		ck_assert_msg(strcmp(f->pools[out[i]].def.id, want[i]) == 0,
		              "pools filter '%s': row %u is %s, want %s",
		              filter ? filter : "(null)", i, f->pools[out[i]].def.id, want[i]);
}

/* ------------------------------------------------------------ tenants */

START_TEST(test_tenant_rows)
{
	struct floor f;
	struct listing_tenant r;

	build_floor(&f);

	listing_tenant_row(&f, tenant_ix(&f, "acme"), NOW, &r);
	ck_assert_uint_eq(r.tenant, tenant_ix(&f, "acme"));
	ck_assert_uint_eq(r.waiting, 2);
	ck_assert_int_eq(r.oldest_ms, 90000);
	ck_assert_double_eq_tol(r.stats.service_level, 0.80, 1e-12);
	ck_assert_double_eq_tol(r.stats.asa_s, 14.0, 1e-9);
	ck_assert_double_eq_tol(r.stats.aht_s, 120.0, 1e-9);
	ck_assert_double_eq_tol(r.stats.abandon_rate, 0.0, 1e-12);
	ck_assert_uint_eq(r.ded_busy, 2);      /* one busy, one wrapping */
	ck_assert_uint_eq(r.ded_idle, 1);
	ck_assert_uint_eq(r.ded_on, 4);        /* break counts, offline does not */
	ck_assert_uint_eq(r.shared_serving, 1);
	ck_assert_uint_eq(r.offered, 7);

	listing_tenant_row(&f, tenant_ix(&f, "beta"), NOW, &r);
	ck_assert_uint_eq(r.waiting, 0);
	ck_assert_int_eq(r.oldest_ms, -1);
	ck_assert_double_eq_tol(r.stats.service_level, 0.75, 1e-12);
	ck_assert_double_eq_tol(r.stats.abandon_rate, 0.2, 1e-12);
	ck_assert_uint_eq(r.ded_busy, 1);
	ck_assert_uint_eq(r.ded_idle, 1);
	ck_assert_uint_eq(r.ded_on, 2);
	ck_assert_uint_eq(r.shared_serving, 0);
	ck_assert_uint_eq(r.offered, 5);

	/* the agent moved out of shr-1 mid-contact no longer counts as shared */
	listing_tenant_row(&f, tenant_ix(&f, "cobra"), NOW, &r);
	ck_assert_uint_eq(r.waiting, 3);
	ck_assert_int_eq(r.oldest_ms, 30000);
	ck_assert_double_eq_tol(r.stats.service_level, 0.7499, 1e-12);
	ck_assert(isnan(r.stats.aht_s));
	ck_assert_uint_eq(r.ded_busy + r.ded_idle + r.ded_on, 0);
	ck_assert_uint_eq(r.shared_serving, 2);
	ck_assert_uint_eq(r.offered, 10003);

	listing_tenant_row(&f, tenant_ix(&f, "delta"), NOW, &r);
	ck_assert_uint_eq(r.waiting, 1);
	ck_assert_int_eq(r.oldest_ms, 120000);
	ck_assert_uint_eq(r.shared_serving, 1);

	/* ...it counts in its new dedicated pool instead */
	listing_tenant_row(&f, tenant_ix(&f, "echo"), NOW, &r);
	ck_assert(isnan(r.stats.service_level));
	ck_assert_double_eq_tol(r.stats.abandon_rate, 1.0, 1e-12);
	ck_assert_uint_eq(r.ded_busy, 2);
	ck_assert_uint_eq(r.ded_idle, 0);
	ck_assert_uint_eq(r.ded_on, 2);
	ck_assert_uint_eq(r.shared_serving, 1);
	ck_assert_uint_eq(r.offered, 2);

	listing_tenant_row(&f, tenant_ix(&f, "fox"), NOW, &r);
	ck_assert_uint_eq(r.waiting, 0);
	ck_assert_int_eq(r.oldest_ms, -1);
	ck_assert(isnan(r.stats.service_level));
	ck_assert(isnan(r.stats.abandon_rate));
	ck_assert_uint_eq(r.ded_on + r.shared_serving, 0);
	ck_assert_uint_eq(r.offered, 0);

	/* the oldest wait grows with the clock */
	listing_tenant_row(&f, tenant_ix(&f, "acme"), NOW + 10000, &r);
	ck_assert_int_eq(r.oldest_ms, 100000);

	/* an index the floor does not have is an empty row, not a crash */
	listing_tenant_row(&f, 99, NOW, &r);
	ck_assert_uint_eq(r.waiting, 0);
	ck_assert_int_eq(r.oldest_ms, -1);
	ck_assert_int_eq(r.level, STATS_NONE);
	floor_free(&f);
}
END_TEST

/* Target 80 %, warn band 5 points: 0.80 OK, 0.75 WARN, 0.7499 CRIT. */
/* The one-pass rows the views draw from equal the per-tenant rows, field
 * by field, and the model's one-pass stats rows equal its per-tenant ones. */
START_TEST(test_tenant_rows_one_pass)
{
	struct floor f;
	struct listing_tenant *all;
	struct proto_stats_row *rows, one;

	build_floor(&f);
	all = calloc(f.n_tenants, sizeof *all);
	rows = calloc(f.n_tenants, sizeof *rows);
	ck_assert_int_eq(listing_tenant_rows(&f, NOW, all), 0);
	ck_assert_int_eq(floor_stats_rows(&f, NOW, rows), 0);
	for (uint32_t t = 0; t < f.n_tenants; t++) {
		struct listing_tenant r;

		listing_tenant_row(&f, t, NOW, &r);
		ck_assert_uint_eq(all[t].tenant, r.tenant);
		ck_assert_uint_eq(all[t].waiting, r.waiting);
		ck_assert_int_eq(all[t].oldest_ms, r.oldest_ms);
		ck_assert_uint_eq(all[t].ded_busy, r.ded_busy);
		ck_assert_uint_eq(all[t].ded_idle, r.ded_idle);
		ck_assert_uint_eq(all[t].ded_on, r.ded_on);
		ck_assert_uint_eq(all[t].shared_serving, r.shared_serving);
		ck_assert_uint_eq(all[t].offered, r.offered);
		ck_assert_int_eq(all[t].level, r.level);
		ck_assert(memcmp(&all[t].stats, &r.stats, sizeof r.stats) == 0);
		floor_stats_row(&f, t, NOW, &one);
		ck_assert(memcmp(&rows[t], &one, sizeof one) == 0);
	}
	/* Sorting by rows the caller has gives the same order as computing them. */
	for (int col = 0; col < LT__COUNT; col++) {
		for (int d = 0; d < 2; d++) {
			uint32_t o1[64], o2[64], n1, n2;

			n1 = listing_tenants(&f, NOW, col, d, "", o1);
			n2 = listing_tenants_from(&f, all, col, d, "", o2);
			ck_assert_uint_eq(n1, n2);
			ck_assert_uint_eq(n1, f.n_tenants);
			ck_assert_mem_eq(o1, o2, n1 * sizeof o1[0]);
		}
	}
	/* Something was counted, or the comparison proved little. */
	ck_assert_uint_gt(all[tenant_ix(&f, "acme")].ded_busy + all[tenant_ix(&f, "acme")].ded_idle, 0);
	free(all);
	free(rows);
	floor_free(&f);
}
END_TEST

START_TEST(test_tenant_levels)
{
	struct floor f;
	struct listing_tenant r;

	build_floor(&f);
	listing_tenant_row(&f, tenant_ix(&f, "acme"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_OK);
	listing_tenant_row(&f, tenant_ix(&f, "beta"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_WARN);
	listing_tenant_row(&f, tenant_ix(&f, "cobra"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_CRIT);
	listing_tenant_row(&f, tenant_ix(&f, "delta"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_OK);
	listing_tenant_row(&f, tenant_ix(&f, "echo"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_NONE);
	listing_tenant_row(&f, tenant_ix(&f, "fox"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_NONE);

	/* the level follows the tenant's own target */
	f.tenants[tenant_ix(&f, "delta")].def.sl_pct = 95;
	listing_tenant_row(&f, tenant_ix(&f, "delta"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_WARN);
	f.tenants[tenant_ix(&f, "delta")].def.sl_pct = 95.01;
	listing_tenant_row(&f, tenant_ix(&f, "delta"), NOW, &r);
	ck_assert_int_eq(r.level, STATS_CRIT);
	floor_free(&f);
}
END_TEST

START_TEST(test_tenant_sort)
{
	struct floor f;

	build_floor(&f);
	CHECK_TENANTS(&f, LT_NAME, false, "", "acme", "beta", "cobra", "delta", "echo", "fox");
	CHECK_TENANTS(&f, LT_NAME, true, "", "fox", "echo", "delta", "cobra", "beta", "acme");
	CHECK_TENANTS(&f, LT_MODEL, false, "", "acme", "beta", "echo", "fox", "cobra", "delta");
	CHECK_TENANTS(&f, LT_MODEL, true, "", "cobra", "delta", "echo", "fox", "acme", "beta");
	CHECK_TENANTS(&f, LT_WAITING, false, "", "beta", "echo", "fox", "delta", "acme", "cobra");
	CHECK_TENANTS(&f, LT_WAITING, true, "", "cobra", "acme", "delta", "beta", "echo", "fox");
	CHECK_TENANTS(&f, LT_OLDEST, false, "", "beta", "echo", "fox", "cobra", "acme", "delta");
	CHECK_TENANTS(&f, LT_OLDEST, true, "", "delta", "acme", "cobra", "beta", "echo", "fox");
	CHECK_TENANTS(&f, LT_SL, false, "", "cobra", "beta", "acme", "delta", "echo", "fox");
	CHECK_TENANTS(&f, LT_SL, true, "", "delta", "acme", "beta", "cobra", "echo", "fox");
	CHECK_TENANTS(&f, LT_ASA, false, "", "cobra", "delta", "acme", "beta", "echo", "fox");
	CHECK_TENANTS(&f, LT_ASA, true, "", "beta", "acme", "delta", "cobra", "echo", "fox");
	CHECK_TENANTS(&f, LT_ABANDON, false, "", "acme", "delta", "beta", "cobra", "echo", "fox");
	CHECK_TENANTS(&f, LT_ABANDON, true, "", "echo", "cobra", "beta", "delta", "acme", "fox");
	CHECK_TENANTS(&f, LT_AHT, false, "", "delta", "acme", "beta", "cobra", "echo", "fox");
	CHECK_TENANTS(&f, LT_AHT, true, "", "beta", "acme", "delta", "cobra", "echo", "fox");
	/* on duty first, then busy: beta and echo both have 2 on, echo 2 busy */
	CHECK_TENANTS(&f, LT_DEDICATED, false, "", "cobra", "delta", "fox", "beta", "echo", "acme");
	CHECK_TENANTS(&f, LT_DEDICATED, true, "", "acme", "echo", "beta", "cobra", "delta", "fox");
	CHECK_TENANTS(&f, LT_SHARED, false, "", "beta", "fox", "acme", "delta", "echo", "cobra");
	CHECK_TENANTS(&f, LT_SHARED, true, "", "cobra", "acme", "delta", "echo", "beta", "fox");
	CHECK_TENANTS(&f, LT_OFFERED, false, "", "fox", "echo", "beta", "acme", "delta", "cobra");
	CHECK_TENANTS(&f, LT_OFFERED, true, "", "cobra", "delta", "acme", "beta", "echo", "fox");
	/* an unknown column falls back to the name */
	CHECK_TENANTS(&f, LT__COUNT, false, "", "acme", "beta", "cobra", "delta", "echo", "fox");
	CHECK_TENANTS(&f, -1, false, "", "acme", "beta", "cobra", "delta", "echo", "fox");
	floor_free(&f);
}
END_TEST

/* A tenant with no figures never heads a list, whichever the direction:
 * with every figure NaN but one, that one is first both ways. */
START_TEST(test_tenant_nan_last)
{
	struct floor f;

	floor_init(&f);
	add_tenant(&f, "aa", "Aardvark", PROTO_MODEL_SHARED);
	add_tenant(&f, "zz", "Zulu", PROTO_MODEL_SHARED);
	add_tenant(&f, "mm", "Mike", PROTO_MODEL_SHARED);
	add_pool(&f, "p", PROTO_POOL_SHARED, "", IDS("aa", "zz", "mm"), 3);
	add_agent(&f, "x", "X", "p");
	ev_queued(&f, "zz", 1, AT(10));
	ev_answered(&f, "zz", "x", 1, 30, AT(40));
	ev_ended(&f, "zz", "x", 1, 60, AT(100));
	ev_wrapped(&f, "zz", "x", 1, 0, AT(100));

	for (int col = LT_SL; col <= LT_AHT; col++) {
		CHECK_TENANTS(&f, col, false, "", "zz", "aa", "mm");
		CHECK_TENANTS(&f, col, true, "", "zz", "aa", "mm");
	}
	floor_free(&f);
}
END_TEST

/* Worst first means furthest below the tenant's own target: 78% against
 * a 70% target is 8 points up, 79% against 80 is a point down and comes
 * first (raw service level put it second). */
START_TEST(test_tenant_sort_by_target_gap)
{
	struct floor f;
	struct listing_tenant r;

	floor_init(&f);
	add_tenant(&f, "nw", "Northwind", PROTO_MODEL_SHARED);
	add_tenant(&f, "ac", "Acme", PROTO_MODEL_SHARED);
	add_tenant(&f, "qu", "Quiet", PROTO_MODEL_SHARED);
	f.tenants[0].def.sl_pct = 70;
	f.tenants[0].cur.answered = 100;
	f.tenants[0].cur.answered_in_sl = 78;
	f.tenants[1].cur.answered = 100;
	f.tenants[1].cur.answered_in_sl = 79;
	CHECK_TENANTS(&f, LT_SL, false, "", "ac", "nw", "qu");
	CHECK_TENANTS(&f, LT_SL, true, "", "nw", "ac", "qu");
	listing_tenant_row(&f, 1, NOW, &r);
	ck_assert_double_eq_tol(r.sl_gap, -1.0, 1e-9);
	listing_tenant_row(&f, 2, NOW, &r);
	ck_assert(isnan(r.sl_gap));
	floor_free(&f);
}
END_TEST

/* Service level now: the last 15, 30 and 60 minutes of the shift beside
 * the shift so far, and a trend mark when the last 15 minutes are far
 * worse: a good morning must not hide a drowning quarter hour. */
START_TEST(test_tenant_sl_recent)
{
	struct floor f;
	struct listing_tenant r;
	struct proto_event ev = event(PROTO_EV_SHIFT_STARTED, T0);
	uint64_t c = 0;

	floor_init(&f);
	add_tenant(&f, "nw", "Northwind", PROTO_MODEL_SHARED);
	add_pool(&f, "p", PROTO_POOL_SHARED, "", IDS("nw"), 1);
	add_agent(&f, "x", "X", "p");
	snprintf(ev.shift, sizeof ev.shift, "Early");
	ev.start_ts = T0;
	ev.end_ts = AT(8 * 3600);
	apply(&f, &ev);
	/* 06:00-06:15: ten answered in 20 s; 06:45-07:00: four at 60 s. */
	for (int i = 0; i < 10; i++) {
		ev_queued(&f, "nw", ++c, AT(60 + i));
		ev_answered(&f, "nw", "x", c, 5, AT(70 + i));
	}
	for (int i = 0; i < 4; i++) {
		ev_queued(&f, "nw", ++c, AT(2900 + i));
		ev_answered(&f, "nw", "x", c, 60, AT(2960 + i));
	}
	listing_tenant_row(&f, 0, AT(3500), &r);
	ck_assert_uint_eq(r.handled, 0);       /* answered, none wrapped yet */
	ck_assert_double_eq_tol(r.stats.service_level, 10.0 / 14.0, 1e-9);
	ck_assert_double_eq_tol(r.sl_recent[0], 0.0, 1e-9);      /* 06:45- */
	ck_assert_double_eq_tol(r.sl_recent[1], 0.0, 1e-9);      /* 06:30- */
	ck_assert_double_eq_tol(r.sl_recent[2], 10.0 / 14.0, 1e-9);
	ck_assert_int_eq(r.recent_level, STATS_CRIT);
	ck_assert_int_eq(r.trend, -1);
	/* A quiet quarter hour since: nothing to judge, no trend. */
	listing_tenant_row(&f, 0, AT(3700), &r);
	ck_assert(isnan(r.sl_recent[0]));
	ck_assert_double_eq_tol(r.sl_recent[1], 0.0, 1e-9);
	ck_assert_int_eq(r.trend, 0);
	ck_assert_int_eq(r.recent_level, STATS_NONE);
	floor_free(&f);
}
END_TEST

/* Equal keys fall back to the name (case-folded), then the id; those
 * tie-breakers stay ascending in a descending sort. */
START_TEST(test_tenant_ties)
{
	struct floor f;

	floor_init(&f);
	add_tenant(&f, "z", "Same", PROTO_MODEL_SHARED);
	add_tenant(&f, "y", "same", PROTO_MODEL_SHARED);
	add_tenant(&f, "x", "Same", PROTO_MODEL_SHARED);
	add_tenant(&f, "w", "Other", PROTO_MODEL_SHARED);
	CHECK_TENANTS(&f, LT_NAME, false, "", "w", "x", "z", "y");
	CHECK_TENANTS(&f, LT_NAME, true, "", "y", "x", "z", "w");
	CHECK_TENANTS(&f, LT_WAITING, true, "", "w", "x", "z", "y");
	CHECK_TENANTS(&f, LT_SL, false, "", "w", "x", "z", "y");
	CHECK_TENANTS(&f, LT_MODEL, true, "", "w", "x", "z", "y");
	floor_free(&f);
}
END_TEST

START_TEST(test_tenant_filter)
{
	struct floor f;
	uint32_t out[8];

	build_floor(&f);
	CHECK_TENANTS(&f, LT_NAME, false, "", "acme", "beta", "cobra", "delta", "echo", "fox");
	CHECK_TENANTS(&f, LT_NAME, false, NULL, "acme", "beta", "cobra", "delta", "echo", "fox");
	CHECK_TENANTS(&f, LT_NAME, false, "ACME", "acme");
	CHECK_TENANTS(&f, LT_NAME, false, "bank", "beta");          /* by name */
	CHECK_TENANTS(&f, LT_NAME, false, "Insure", "fox");
	CHECK_TENANTS(&f, LT_NAME, false, "HyBrid", "echo", "fox"); /* by model */
	CHECK_TENANTS(&f, LT_SL, true, "dedicated", "acme", "beta");
	CHECK_TENANTS(&f, LT_WAITING, true, "shared", "cobra", "delta");
	ck_assert_uint_eq(listing_tenants(&f, NOW, LT_NAME, false, "nobody", out), 0);
	floor_free(&f);
}
END_TEST

START_TEST(test_tenant_col_names)
{
	ck_assert_str_eq(listing_tenant_col_name(LT_NAME), "Tenant");
	ck_assert_str_eq(listing_tenant_col_name(LT_SL), "SL");
	ck_assert_str_eq(listing_tenant_col_name(LT_OFFERED), "Offered");
	ck_assert_str_eq(listing_tenant_col_name(LT__COUNT), "");
	ck_assert_str_eq(listing_tenant_col_name(-1), "");
	for (int c = 0; c < LT__COUNT; c++)
		ck_assert_int_gt((int)strlen(listing_tenant_col_name(c)), 0);
	ck_assert_str_eq(listing_agent_col_name(LA_ID), "ID");
	ck_assert_str_eq(listing_agent_col_name(LA_TENANT), "Serving");
	ck_assert_str_eq(listing_agent_col_name(LA_HANDLED), "Handled");
	ck_assert_str_eq(listing_agent_col_name(LA__COUNT), "");
	for (int c = 0; c < LA__COUNT; c++)
		ck_assert_int_gt((int)strlen(listing_agent_col_name(c)), 0);
}
END_TEST

/* Oldest against the tenant's SL seconds: amber from half of them, red
 * past them. */
START_TEST(test_tenant_oldest_level)
{
	struct listing_tenant r;
	struct floor f;

	ck_assert_int_eq(listing_oldest_level(-1, 20), STATS_NONE);
	ck_assert_int_eq(listing_oldest_level(0, 20), STATS_OK);
	ck_assert_int_eq(listing_oldest_level(9999, 20), STATS_OK);
	ck_assert_int_eq(listing_oldest_level(10000, 20), STATS_WARN);
	ck_assert_int_eq(listing_oldest_level(20000, 20), STATS_WARN);
	ck_assert_int_eq(listing_oldest_level(20001, 20), STATS_CRIT);
	ck_assert_int_eq(listing_oldest_level(5000, 0), STATS_CRIT);

	/* acme (20 s) has waited since 3510 */
	build_floor(&f);
	listing_tenant_row(&f, tenant_ix(&f, "acme"), AT(3519), &r);
	ck_assert_int_eq(r.oldest_level, STATS_OK);
	listing_tenant_row(&f, tenant_ix(&f, "acme"), AT(3520), &r);
	ck_assert_int_eq(r.oldest_level, STATS_WARN);
	listing_tenant_row(&f, tenant_ix(&f, "acme"), AT(3531), &r);
	ck_assert_int_eq(r.oldest_level, STATS_CRIT);
	listing_tenant_row(&f, tenant_ix(&f, "beta"), NOW, &r);
	ck_assert_int_eq(r.oldest_level, STATS_NONE);
	listing_tenant_row(&f, 99, NOW, &r);
	ck_assert_int_eq(r.oldest_level, STATS_NONE);
	floor_free(&f);
}
END_TEST

/* The sparkline's values: closed quarter hours as counted, the one under
 * way at its rate so far, so it does not read as a drop. */
START_TEST(test_tenant_offered_series)
{
	uint32_t v[PROTO_INTERVALS_MAX], t;
	struct floor f;

	build_floor(&f);
	t = tenant_ix(&f, "delta");
	/* 3600 s is the first instant of the fifth quarter hour */
	ck_assert_uint_eq(listing_offered_series(&f, t, NOW, v), 5);
	for (uint32_t i = 0; i < 4; i++)
		ck_assert_uint_eq(v[i], f.tenants[t].cur.intervals[i]);
	ck_assert_uint_eq(v[4], 0);
	ck_assert_uint_eq(f.tenants[t].cur.intervals[1] + f.tenants[t].cur.intervals[2] +
	                  f.tenants[t].cur.intervals[3], 12);
	ev_queued(&f, "delta", 413, AT(3610));
	ev_queued(&f, "delta", 414, AT(3620));
	ck_assert_uint_eq(f.tenants[t].cur.intervals[4], 2);
	/* 5 of 15 minutes gone: 2 so far is 6 a quarter hour */
	ck_assert_uint_eq(listing_offered_series(&f, t, AT(3900), v), 5);
	ck_assert_uint_eq(v[4], 6);
	/* 7.5 minutes: 4 */
	listing_offered_series(&f, t, AT(4050), v);
	ck_assert_uint_eq(v[4], 4);
	/* the first minute counts as a minute: 30 s in, 2 is 30, not 60 */
	listing_offered_series(&f, t, AT(3630), v);
	ck_assert_uint_eq(v[4], 30);
	/* the counters themselves are never touched */
	ck_assert_uint_eq(f.tenants[t].cur.intervals[4], 2);
	/* before the shift or without one: one value, as counted */
	ck_assert_uint_eq(listing_offered_series(&f, t, T0 - 1000, v), 1);
	ck_assert_uint_eq(v[0], f.tenants[t].cur.intervals[0]);
	/* past the last quarter hour a shift can have: all closed */
	ck_assert_uint_eq(listing_offered_series(&f, t, T0 + INT64_C(25) * 3600 * 1000, v),
	                  PROTO_INTERVALS_MAX);
	ck_assert_uint_eq(v[4], 2);
	floor_free(&f);
}
END_TEST

/* What an id column needs: the longest id on the floor. */
START_TEST(test_id_cols)
{
	struct floor f;

	floor_init(&f);
	ck_assert_int_eq(listing_tenant_id_cols(&f), 0);
	ck_assert_int_eq(listing_agent_id_cols(&f), 0);
	ck_assert_int_eq(listing_pool_id_cols(&f), 0);
	floor_free(&f);
	build_floor(&f);
	ck_assert_int_eq(listing_tenant_id_cols(&f), 5);     /* delta, cobra */
	ck_assert_int_eq(listing_agent_id_cols(&f), 3);      /* a01 .. a16 */
	ck_assert_int_eq(listing_pool_id_cols(&f), 8);       /* ded-beta, ded-acme */
	add_pool(&f, "ded-northwind", PROTO_POOL_DEDICATED, "fox", NULL, 0);
	add_agent(&f, "lead-late", "Lead Late", "shr-0");
	ck_assert_int_eq(listing_pool_id_cols(&f), 13);
	ck_assert_int_eq(listing_agent_id_cols(&f), 9);
	floor_free(&f);
}
END_TEST

/* ------------------------------------------------------------ agents */

START_TEST(test_agent_state)
{
	struct floor f;

	build_floor(&f);
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a11")), "moving");
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a08")), "busy");
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a09")), "wrap");
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a05")), "break");
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a04")), "offline");
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a03")), "idle");

	/* once the contact is wrapped the agent is simply in its new pool */
	ev_ended(&f, "cobra", "a11", 310002, 30, AT(3610));
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a11")), "moving");
	ev_wrapped(&f, "cobra", "a11", 310002, 5, AT(3615));
	ck_assert_str_eq(listing_agent_state(&f, (uint32_t)floor_agent_find(&f, "a11")), "idle");
	floor_free(&f);
}
END_TEST

START_TEST(test_agent_sort)
{
	struct floor f;

	build_floor(&f);
	CHECK_AGENTS(&f, LA_ID, false, "", "a01", "a02", "a03", "a04", "a05", "a06", "a07", "a08",
	             "a09", "a10", "a11", "a12", "a13", "a14", "a15", "a16");
	CHECK_AGENTS(&f, LA_ID, true, "", "a16", "a15", "a14", "a13", "a12", "a11", "a10", "a09",
	             "a08", "a07", "a06", "a05", "a04", "a03", "a02", "a01");
	/* "bob" sorts among the capitals */
	CHECK_AGENTS(&f, LA_NAME, false, "", "a04", "a02", "a06", "a08", "a10", "a12", "a14",
	             "a16", "a15", "a13", "a11", "a09", "a07", "a05", "a03", "a01");
	CHECK_AGENTS(&f, LA_NAME, true, "", "a01", "a03", "a05", "a07", "a09", "a11", "a13",
	             "a15", "a16", "a14", "a12", "a10", "a08", "a06", "a02", "a04");
	CHECK_AGENTS(&f, LA_POOL, false, "", "a11", "a14", "a16", "a01", "a02", "a03", "a04",
	             "a05", "a06", "a07", "a08", "a09", "a10", "a12", "a13", "a15");
	CHECK_AGENTS(&f, LA_POOL, true, "", "a12", "a13", "a15", "a08", "a09", "a10", "a06",
	             "a07", "a01", "a02", "a03", "a04", "a05", "a11", "a14", "a16");
	/* by work, not by name: busy, moving (busy in the old pool), wrap,
	 * idle, break, offline; ties by id both ways */
	CHECK_AGENTS(&f, LA_STATE, false, "", "a01", "a07", "a08", "a10", "a13", "a15", "a11",
	             "a02", "a09", "a14", "a03", "a06", "a12", "a05", "a04", "a16");
	CHECK_AGENTS(&f, LA_STATE, true, "", "a04", "a16", "a05", "a03", "a06", "a12", "a02",
	             "a09", "a14", "a11", "a01", "a07", "a08", "a10", "a13", "a15");
	/* serving nobody goes last both ways */
	CHECK_AGENTS(&f, LA_TENANT, false, "", "a01", "a02", "a15", "a07", "a08", "a09", "a11",
	             "a13", "a10", "a14", "a03", "a04", "a05", "a06", "a12", "a16");
	CHECK_AGENTS(&f, LA_TENANT, true, "", "a10", "a14", "a13", "a08", "a09", "a11", "a07",
	             "a01", "a02", "a15", "a03", "a04", "a05", "a06", "a12", "a16");
	CHECK_AGENTS(&f, LA_TIME, false, "", "a14", "a05", "a13", "a02", "a07", "a01", "a10",
	             "a15", "a09", "a12", "a11", "a08", "a06", "a03", "a04", "a16");
	CHECK_AGENTS(&f, LA_TIME, true, "", "a04", "a16", "a03", "a06", "a08", "a11", "a12",
	             "a09", "a15", "a10", "a01", "a07", "a02", "a13", "a05", "a14");
	CHECK_AGENTS(&f, LA_HANDLED, false, "", "a01", "a02", "a04", "a05", "a07", "a08", "a09",
	             "a10", "a11", "a13", "a14", "a15", "a16", "a06", "a03", "a12");
	CHECK_AGENTS(&f, LA_HANDLED, true, "", "a12", "a03", "a06", "a01", "a02", "a04", "a05",
	             "a07", "a08", "a09", "a10", "a11", "a13", "a14", "a15", "a16");
	CHECK_AGENTS(&f, LA__COUNT, false, "shr-1", "a08", "a09", "a10");
	floor_free(&f);
}
END_TEST

START_TEST(test_agent_filter)
{
	struct floor f;
	uint32_t out[32];

	build_floor(&f);
	ck_assert_uint_eq(listing_agents(&f, NOW, LA_ID, false, "", out), 16);
	ck_assert_uint_eq(listing_agents(&f, NOW, LA_ID, false, NULL, out), 16);
	ck_assert_uint_eq(listing_agents(&f, NOW, LA_ID, false, "nobody", out), 0);
	CHECK_AGENTS(&f, LA_ID, false, "ZOE", "a01");                    /* name */
	CHECK_AGENTS(&f, LA_ID, false, "A0", "a01", "a02", "a03", "a04", "a05", "a06", "a07",
	             "a08", "a09");                                      /* id */
	CHECK_AGENTS(&f, LA_ID, false, "SHR-2", "a12", "a13", "a15");   /* pool */
	CHECK_AGENTS(&f, LA_ID, false, "ded-3", "a11", "a14", "a16");
	CHECK_AGENTS(&f, LA_ID, false, "Moving", "a11");                 /* state as shown */
	CHECK_AGENTS(&f, LA_ID, false, "busy", "a01", "a07", "a08", "a10", "a13", "a15");
	CHECK_AGENTS(&f, LA_ID, false, "wrap", "a02", "a09", "a14");
	CHECK_AGENTS(&f, LA_ID, false, "cobra", "a08", "a09", "a11");    /* serving */
	CHECK_AGENTS(&f, LA_ID, false, "echo", "a10", "a14");
	CHECK_AGENTS(&f, LA_ID, false, "air", "a13");                    /* serving, by name */
	/* its pool or the tenant it serves */
	CHECK_AGENTS(&f, LA_TIME, true, "acme", "a04", "a03", "a15", "a01", "a02", "a05");
	floor_free(&f);
}
END_TEST

/* ------------------------------------------------------------ pools */

START_TEST(test_pool_rows)
{
	struct floor f;
	struct listing_pool r;

	build_floor(&f);
	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "ded-acme"), &r);
	ck_assert_uint_eq(r.pool, (uint32_t)floor_pool_find(&f, "ded-acme"));
	ck_assert_uint_eq(r.members, 5);
	ck_assert_uint_eq(r.counts[PROTO_AS_OFFLINE], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_IDLE], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_BUSY], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_WRAP], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_BREAK], 1);
	ck_assert_double_eq_tol(r.occupancy, 2.0 / 3.0, 1e-12);

	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "ded-beta"), &r);
	ck_assert_uint_eq(r.members, 2);
	ck_assert_double_eq_tol(r.occupancy, 0.5, 1e-12);

	/* the moving agent is counted in the pool it was moved to */
	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "ded-3"), &r);
	ck_assert_uint_eq(r.members, 3);
	ck_assert_uint_eq(r.counts[PROTO_AS_BUSY], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_WRAP], 1);
	ck_assert_uint_eq(r.counts[PROTO_AS_OFFLINE], 1);
	ck_assert_double_eq_tol(r.occupancy, 1.0, 1e-12);

	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "shr-1"), &r);
	ck_assert_uint_eq(r.members, 3);
	ck_assert_uint_eq(r.counts[PROTO_AS_BUSY], 2);
	ck_assert_double_eq_tol(r.occupancy, 1.0, 1e-12);

	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "shr-2"), &r);
	ck_assert_uint_eq(r.members, 3);
	ck_assert_double_eq_tol(r.occupancy, 2.0 / 3.0, 1e-12);

	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "shr-0"), &r);
	ck_assert_uint_eq(r.members, 0);
	ck_assert(isnan(r.occupancy));

	/* nobody available (only break and offline): no occupancy to show */
	ev_state(&f, "a06", PROTO_AS_BREAK, "", AT(3601));
	ev_state(&f, "a07", PROTO_AS_OFFLINE, "", AT(3602));
	listing_pool_row(&f, (uint32_t)floor_pool_find(&f, "ded-beta"), &r);
	ck_assert_uint_eq(r.members, 2);
	ck_assert_uint_eq(r.counts[PROTO_AS_BREAK], 1);
	ck_assert(isnan(r.occupancy));

	listing_pool_row(&f, 99, &r);
	ck_assert_uint_eq(r.members, 0);
	ck_assert(isnan(r.occupancy));
	floor_free(&f);
}
END_TEST

START_TEST(test_pool_order_filter)
{
	struct floor f;
	uint32_t out[16];

	build_floor(&f);
	CHECK_POOLS(&f, "", "shr-0", "shr-1", "shr-2", "ded-3", "ded-acme", "ded-beta");
	CHECK_POOLS(&f, NULL, "shr-0", "shr-1", "shr-2", "ded-3", "ded-acme", "ded-beta");
	CHECK_POOLS(&f, "SHARED", "shr-0", "shr-1", "shr-2");            /* kind */
	CHECK_POOLS(&f, "dedicated", "ded-3", "ded-acme", "ded-beta");
	CHECK_POOLS(&f, "ded-a", "ded-acme");                            /* id */
	CHECK_POOLS(&f, "echo", "shr-1", "ded-3");   /* serves echo; echo's own */
	CHECK_POOLS(&f, "fox", "shr-2");
	CHECK_POOLS(&f, "acme", "shr-2", "ded-acme");
	ck_assert_uint_eq(listing_pools(&f, "nobody", out), 0);
	floor_free(&f);
}
END_TEST

static Suite *
listing_suite(void)
{
	Suite *s = suite_create("listing");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tenant_rows);
	tcase_add_test(tc, test_tenant_rows_one_pass);
	tcase_add_test(tc, test_tenant_levels);
	tcase_add_test(tc, test_tenant_sort_by_target_gap);
	tcase_add_test(tc, test_tenant_sl_recent);
	tcase_add_test(tc, test_tenant_sort);
	tcase_add_test(tc, test_tenant_nan_last);
	tcase_add_test(tc, test_tenant_ties);
	tcase_add_test(tc, test_tenant_filter);
	tcase_add_test(tc, test_tenant_col_names);
	tcase_add_test(tc, test_tenant_oldest_level);
	tcase_add_test(tc, test_tenant_offered_series);
	tcase_add_test(tc, test_id_cols);
	tcase_add_test(tc, test_agent_state);
	tcase_add_test(tc, test_agent_sort);
	tcase_add_test(tc, test_agent_filter);
	tcase_add_test(tc, test_pool_rows);
	tcase_add_test(tc, test_pool_order_filter);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(listing_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
