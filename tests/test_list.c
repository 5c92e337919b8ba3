/*
 * The list engine: rows rebuilt only on change, a filter, tags kept by
 * identity across filter changes, a cursor that follows its row across
 * re-sorts — and, through the real views, Enter and `m` acting on the
 * tenant or agent the cursor was on before an update re-sorted the rows.
 * Also the move controller's "confirmed" only for what the feed showed.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/app.h"
#include "pooltop/keymap.h"
#include "pooltop/listing.h"
#include "pooltop/movectl.h"
#include "pooltop/view.h"
#include "testlib.h"

/* ------------------------------------------------------------ a fake view */

struct fake {
	const char *id[8];
	int value[8];
	uint32_t n;
	uint32_t builds;
};

static uint32_t
fake_build(void *ctx)
{
	struct fake *f = ctx;

	f->builds++;
	return f->n;
}

static bool
fake_match(void *ctx, uint32_t row, const char *filter)
{
	return strstr(((struct fake *)ctx)->id[row], filter) != NULL;
}

static int
fake_cmp(void *ctx, uint32_t a, uint32_t b, int sort, bool desc)
{
	struct fake *f = ctx;
	int c = sort == 0 ? strcmp(f->id[a], f->id[b]) : (f->value[a] > f->value[b]) - (f->value[a] < f->value[b]);

	if (desc)
		c = -c;
	return c ? c : strcmp(f->id[a], f->id[b]);
}

static void
fake_key(void *ctx, uint32_t row, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ((struct fake *)ctx)->id[row]);
}

static const struct list_class fake_class = { fake_build, fake_match, fake_cmp, NULL, fake_key };

static struct fake
fake_make(void)
{
	struct fake f = { { "ann", "bob", "cat", "dan", "eve" }, { 50, 40, 30, 20, 10 }, 5, 0 };

	return f;
}

static const char *
cur_id(const struct list *l, const struct fake *f)
{
	uint32_t row;

	return list_current(l, &row) ? f->id[row] : "(none)";
}

START_TEST(test_build_only_on_change)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	ck_assert_int_eq(list_sync(&l, &fake_class, &f, 1), 0);
	ck_assert_uint_eq(f.builds, 1);
	ck_assert_uint_eq(l.n, 5);
	/* Draws and keys sync again and again: nothing changed, no build. */
	for (int i = 0; i < 100; i++) {
		list_sync(&l, &fake_class, &f, 1);
		list_move(&l, &fake_class, &f, i % 2 ? -1 : 1);
	}
	ck_assert_uint_eq(f.builds, 1);
	ck_assert_uint_eq(l.builds, 1);
	/* The source changed: one build. */
	list_sync(&l, &fake_class, &f, 2);
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_uint_eq(f.builds, 2);
	/* A setting changed: one build each. */
	l.sort = 1;
	list_sync(&l, &fake_class, &f, 2);
	l.desc = true;
	list_sync(&l, &fake_class, &f, 2);
	list_set_filter(&l, "a");
	list_sync(&l, &fake_class, &f, 2);
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_uint_eq(f.builds, 5);
	list_free(&l);
}
END_TEST

START_TEST(test_sync_held)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	list_sync_held(&l, &fake_class, &f, 1, 7, 1000, 100);
	ck_assert_uint_eq(f.builds, 1);
	/* A new gen within the hold: the rows on screen stay. */
	list_sync_held(&l, &fake_class, &f, 2, 7, 1050, 100);
	list_sync_held(&l, &fake_class, &f, 3, 7, 1099, 100);
	ck_assert_uint_eq(f.builds, 1);
	/* Past it: one build for whatever gen is now. */
	list_sync_held(&l, &fake_class, &f, 4, 7, 1100, 100);
	list_sync_held(&l, &fake_class, &f, 4, 7, 1500, 100);
	ck_assert_uint_eq(f.builds, 2);
	/* A setting, or the shape, is never held. */
	list_set_filter(&l, "a");
	list_sync_held(&l, &fake_class, &f, 4, 7, 1501, 100);
	ck_assert_uint_eq(f.builds, 3);
	f.n = 3;
	list_sync_held(&l, &fake_class, &f, 5, 8, 1502, 100);
	ck_assert_uint_eq(f.builds, 4);
	ck_assert_uint_eq(l.n, 2);          /* ann, cat */
	list_free(&l);
}
END_TEST

START_TEST(test_filter)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	list_set_filter(&l, "a");
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_uint_eq(l.n, 3);          /* ann, cat, dan */
	ck_assert_str_eq(f.id[l.rows[0]], "ann");
	ck_assert_str_eq(f.id[l.rows[2]], "dan");
	list_set_filter(&l, "zz");
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_str_eq(cur_id(&l, &f), "(none)");
	list_set_filter(&l, "");
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_uint_eq(l.n, 5);
	list_free(&l);
}
END_TEST

START_TEST(test_cursor_follows_identity)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	l.sort = 1;                         /* by value: eve dan cat bob ann */
	list_sync(&l, &fake_class, &f, 1);
	list_move(&l, &fake_class, &f, 1);
	ck_assert_str_eq(cur_id(&l, &f), "dan");
	/* An update re-sorts: dan goes last. */
	f.value[3] = 99;
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_str_eq(f.id[l.rows[4]], "dan");
	ck_assert_int_eq(l.cursor, 4);
	ck_assert_str_eq(cur_id(&l, &f), "dan");
	/* And across a change of sort and direction. */
	l.sort = 0;
	l.desc = true;
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_str_eq(cur_id(&l, &f), "dan");
	ck_assert_int_eq(l.cursor, 1);      /* eve dan ... */
	/* Filtered out: the cursor keeps its place, on whoever is there. */
	list_set_filter(&l, "e");
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_str_eq(cur_id(&l, &f), "eve");
	list_free(&l);
}
END_TEST

START_TEST(test_keep_position)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	l.keep_position = true;             /* a live feed */
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_str_eq(cur_id(&l, &f), "ann");
	f.id[0] = "zed";                    /* "ann" sorts elsewhere now */
	list_sync(&l, &fake_class, &f, 2);
	ck_assert_int_eq(l.cursor, 0);
	ck_assert_str_eq(cur_id(&l, &f), "bob");
	list_free(&l);
}
END_TEST

START_TEST(test_tags_across_filters)
{
	struct fake f = fake_make();
	struct list l;

	memset(&l, 0, sizeof l);
	list_sync(&l, &fake_class, &f, 1);
	ck_assert(list_tag_toggle(&l, "bob"));
	ck_assert(list_tag_toggle(&l, "dan"));
	list_set_filter(&l, "an");          /* ann, dan: bob hidden */
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_uint_eq(l.n, 2);
	ck_assert(list_tagged(&l, "bob"));
	ck_assert(list_tagged(&l, "dan"));
	list_set_filter(&l, "cat");
	list_sync(&l, &fake_class, &f, 1);
	list_set_filter(&l, "");
	list_sync(&l, &fake_class, &f, 1);
	ck_assert_uint_eq(l.tags.n, 2);
	ck_assert(list_tagged(&l, "bob"));
	ck_assert(!list_tagged(&l, "ann"));
	ck_assert(list_tag_toggle(&l, "bob"));
	ck_assert(!list_tagged(&l, "bob"));
	ck_assert(list_tagged(&l, "dan"));
	list_tags_clear(&l);
	ck_assert(!list_tagged(&l, "dan"));
	list_free(&l);
}
END_TEST

/* ------------------------------------------------------------ real views */

#define T0 INT64_C(1700000000000)

static struct app *
app_make(void)
{
	struct app *a = calloc(1, sizeof *a);
	struct floor *f;
	struct proto_pool p;
	const char *tenants[] = { "acme", "bolt", "core" };

	ck_assert_ptr_nonnull(a);
	f = &a->conn.floor;
	floor_init(f);
	for (int i = 0; i < 3; i++)
		testlib_tenant(f, tenants[i], PROTO_MODEL_SHARED);
	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, "shared", PROTO_ID_MAX);
	p.kind = PROTO_POOL_SHARED;
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
	proto_strlcpy(p.id, "spare", PROTO_ID_MAX);
	ck_assert_int_ge(floor_add_pool(f, &p), 0);
	ck_assert_int_ge(testlib_agent(f, "a1", "shared"), 0);
	ck_assert_int_ge(testlib_agent(f, "a2", "shared"), 0);
	ck_assert_int_ge(testlib_agent(f, "a3", "shared"), 0);
	a->conn.have_floor = true;
	a->clock_ts = T0;
	a->rows = 30;
	a->cols = 100;
	return a;
}

static void
app_free(struct app *a)
{
	view_free_all(a);
	modal_free(&a->modal);
	floor_free(&a->conn.floor);
	free(a);
}

static void
queue(struct app *a, const char *tenant, uint64_t contact)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_CONTACT_QUEUED;
	ev.ts = T0;
	ev.contact = contact;
	proto_strlcpy(ev.tenant, tenant, PROTO_ID_MAX);
	ck_assert_int_eq(floor_apply(&a->conn.floor, &ev, false), FLOOR_APPLIED);
}

static void
agent_state(struct app *a, const char *agent, enum proto_agent_state st)
{
	struct proto_event ev;

	memset(&ev, 0, sizeof ev);
	ev.type = PROTO_EV_AGENT_STATE;
	ev.ts = T0;
	ev.state = st;
	proto_strlcpy(ev.agent, agent, PROTO_ID_MAX);
	ck_assert_int_eq(floor_apply(&a->conn.floor, &ev, false), FLOOR_APPLIED);
}

static const char *
floor_cursor(struct app *a)
{
	uint32_t row;

	ck_assert(list_current(view_list(a, VIEW_FLOOR), &row));
	return a->conn.floor.tenants[row].def.id;
}

/* Floor by queue, longest first: bolt 2, core 1, acme 0; the cursor on
 * core (row 1). */
static void
app_cursor_on_core(struct app *a)
{
	a->list[VIEW_FLOOR].sort = LT_WAITING;
	a->list[VIEW_FLOOR].desc = true;
	queue(a, "bolt", 1);
	queue(a, "bolt", 2);
	queue(a, "core", 3);
	ck_assert(keymap_dispatch(a, 'j'));
	ck_assert_str_eq(floor_cursor(a), "core");
}

/* acme's queue grows past both: acme, bolt, core. */
static void
app_acme_overtakes(struct app *a)
{
	queue(a, "acme", 4);
	queue(a, "acme", 5);
	queue(a, "acme", 6);
}

START_TEST(test_enter_follows_tenant)
{
	struct app *a = app_make();

	app_cursor_on_core(a);
	/* Between keys, acme's queue grows past both: row 1 is bolt now. */
	app_acme_overtakes(a);
	ck_assert(view_get(VIEW_FLOOR)->key(a, '\n'));
	/* Enter opens the tenant's page; Enter there lists its agents. */
	ck_assert_int_eq(a->view, VIEW_TENANT);
	ck_assert_str_eq(a->page_tenant, "core");
	ck_assert(view_get(VIEW_TENANT)->key(a, '\n'));
	ck_assert_int_eq(a->view, VIEW_AGENTS);
	ck_assert_str_eq(a->list[VIEW_AGENTS].filter, "tenant:core");
	app_free(a);
}
END_TEST

/* A shared pool "desk" serving core, with agents d1 and d2. */
static void
app_add_desk(struct app *a)
{
	struct proto_pool p;
	char serves[1][PROTO_ID_MAX + 1] = { "core" };

	memset(&p, 0, sizeof p);
	proto_strlcpy(p.id, "desk", PROTO_ID_MAX);
	p.kind = PROTO_POOL_SHARED;
	p.serves = serves;
	p.n_serves = 1;
	ck_assert_int_ge(floor_add_pool(&a->conn.floor, &p), 0);
	ck_assert_int_ge(testlib_agent(&a->conn.floor, "d1", "desk"), 0);
	ck_assert_int_ge(testlib_agent(&a->conn.floor, "d2", "desk"), 0);
}

/* Esc on the tenant page: back to Floor with the cursor on that tenant,
 * though the rows re-sorted under it meanwhile. */
START_TEST(test_tenant_page_esc_keeps_tenant)
{
	struct app *a = app_make();

	app_cursor_on_core(a);
	ck_assert(view_get(VIEW_FLOOR)->key(a, '\n'));
	ck_assert_int_eq(a->view, VIEW_TENANT);
	/* core is row 2 now */
	app_acme_overtakes(a);
	ck_assert(view_get(VIEW_TENANT)->key(a, 27));
	ck_assert_int_eq(a->view, VIEW_FLOOR);
	ck_assert_str_eq(floor_cursor(a), "core");
	ck_assert_int_eq(a->list[VIEW_FLOOR].cursor, 2);
	/* Tab from the page goes on from Floor, its tab */
	ck_assert(view_get(VIEW_FLOOR)->key(a, '\n'));
	ck_assert(keymap_dispatch(a, '\t'));
	ck_assert_int_eq(a->view, VIEW_AGENTS);
	app_free(a);
}
END_TEST

/* m on the tenant page: the move dialog for the agent under its cursor. */
START_TEST(test_tenant_page_m_moves_cursor_agent)
{
	struct app *a = app_make();

	app_add_desk(a);
	view_tenant_open(a, "core");
	ck_assert_uint_eq(view_list(a, VIEW_TENANT)->n, 2);      /* d1, d2: idle, by id */
	ck_assert(keymap_dispatch(a, 'j'));
	ck_assert(keymap_dispatch(a, 'm'));
	ck_assert_int_eq(a->modal.kind, MODAL_PICK);
	ck_assert_uint_eq(a->modal.n_agents, 1);
	ck_assert_str_eq(a->conn.floor.agents[a->modal.agents[0]].def.id, "d2");
	app_free(a);
}
END_TEST

/* The page's tenant is gone from a new floor: no rows, nothing to move,
 * and Esc still goes back. */
START_TEST(test_tenant_page_tenant_gone)
{
	struct app *a = app_make();
	struct floor *f = &a->conn.floor;
	uint32_t sel[4];

	app_add_desk(a);
	view_tenant_open(a, "core");
	ck_assert_uint_eq(view_list(a, VIEW_TENANT)->n, 2);
	floor_free(f);
	floor_init(f);
	f->epoch = 2;
	testlib_tenant(f, "acme", PROTO_MODEL_SHARED);
	ck_assert_uint_eq(view_list(a, VIEW_TENANT)->n, 0);
	ck_assert_uint_eq(view_tenant_selection(a, sel, 4), 0);
	ck_assert(view_get(VIEW_TENANT)->key(a, 27));
	ck_assert_int_eq(a->view, VIEW_FLOOR);
	app_free(a);
}
END_TEST

START_TEST(test_m_follows_agent)
{
	struct app *a = app_make();
	uint32_t row;

	a->view = VIEW_AGENTS;
	a->list[VIEW_AGENTS].sort = LA_STATE;    /* idle idle idle: by id */
	ck_assert(keymap_dispatch(a, 'j'));
	ck_assert(list_current(view_list(a, VIEW_AGENTS), &row));
	ck_assert_str_eq(a->conn.floor.agents[row].def.id, "a2");
	/* a3 gets busy: "busy" sorts first (the State order is by work:
	 * busy, wrap, idle, break, offline), a2 moves down a row and a1
	 * takes its place. */
	agent_state(a, "a3", PROTO_AS_BUSY);
	ck_assert_str_eq(a->conn.floor.agents[view_list(a, VIEW_AGENTS)->rows[1]].def.id, "a1");
	ck_assert(keymap_dispatch(a, 'm'));
	ck_assert_int_eq(a->modal.kind, MODAL_PICK);
	ck_assert_uint_eq(a->modal.n_agents, 1);
	ck_assert_str_eq(a->conn.floor.agents[a->modal.agents[0]].def.id, "a2");
	app_free(a);
}
END_TEST

START_TEST(test_agents_sorted_once_per_change)
{
	struct app *a = app_make();
	struct list *l;

	a->view = VIEW_AGENTS;
	l = view_list(a, VIEW_AGENTS);
	ck_assert_uint_eq(l->builds, 1);
	for (int i = 0; i < 50; i++)
		keymap_dispatch(a, i % 2 ? 'k' : 'j');
	ck_assert_uint_eq(l->builds, 1);
	agent_state(a, "a3", PROTO_AS_BUSY);
	keymap_dispatch(a, 'j');
	keymap_dispatch(a, 'j');
	ck_assert_uint_eq(l->builds, 2);
	app_free(a);
}
END_TEST

START_TEST(test_tags_kept_by_id)
{
	struct app *a = app_make();
	uint32_t sel[8], n;

	a->view = VIEW_AGENTS;
	ck_assert(view_get(VIEW_AGENTS)->key(a, ' '));      /* a1, cursor to a2 */
	ck_assert(view_get(VIEW_AGENTS)->key(a, ' '));      /* a2 */
	list_set_filter(&a->list[VIEW_AGENTS], "a3");
	n = view_agents_selection(a, sel, 8, true);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(a->conn.floor.agents[sel[0]].def.id, "a1");
	ck_assert_str_eq(a->conn.floor.agents[sel[1]].def.id, "a2");
	app_free(a);
}
END_TEST

/* ------------------------------------------------------------ move outcome */

START_TEST(test_ack_without_event_is_not_confirmed)
{
	struct app *a = app_make();
	struct move_spec spec;
	struct move_pending *p;
	uint32_t agents[1] = { 0 };
	char err[128];

	a->conn.floor.epoch = 7;
	ck_assert_int_eq(move_spec_build(&a->conn.floor, agents, 1, 1, "why", &spec, err, sizeof err), 0);
	p = move_book_send(&a->moves, &spec, false, 0);
	ck_assert_ptr_nonnull(p);
	proto_strlcpy(p->req, "r-1", PROTO_REQID_MAX);
	move_book_ack(p, 7, 10);
	ck_assert(!move_book_reply(&a->moves, p, true, 5));
	/* The replica reaches the ack's seq with no agent.moved in it. */
	a->conn.floor.seq = 10;
	movectl_settle(a);
	ck_assert_ptr_null(strstr(a->msg.text, "confirmed"));
	ck_assert_ptr_nonnull(strstr(a->msg.text, "acknowledged"));

	/* The same move with its agent.moved seen: confirmed. */
	p = move_book_send(&a->moves, &spec, false, 0);
	proto_strlcpy(p->req, "r-2", PROTO_REQID_MAX);
	move_book_ack(p, 7, 20);
	ck_assert(!move_book_reply(&a->moves, p, true, 5));
	{
		struct proto_event ev;

		memset(&ev, 0, sizeof ev);
		ev.type = PROTO_EV_AGENT_MOVED;
		proto_strlcpy(ev.agent, "a1", PROTO_ID_MAX);
		proto_strlcpy(ev.req, "r-2", PROTO_REQID_MAX);
		movectl_on_event(a, &ev);
	}
	ck_assert_ptr_nonnull(strstr(a->msg.text, "confirmed"));
	app_free(a);
}
END_TEST

static Suite *
list_suite(void)
{
	Suite *s = suite_create("list");
	TCase *tc = tcase_create("engine");

	tcase_add_test(tc, test_build_only_on_change);
	tcase_add_test(tc, test_sync_held);
	tcase_add_test(tc, test_filter);
	tcase_add_test(tc, test_cursor_follows_identity);
	tcase_add_test(tc, test_keep_position);
	tcase_add_test(tc, test_tags_across_filters);
	suite_add_tcase(s, tc);
	tc = tcase_create("views");
	tcase_add_test(tc, test_enter_follows_tenant);
	tcase_add_test(tc, test_tenant_page_esc_keeps_tenant);
	tcase_add_test(tc, test_tenant_page_m_moves_cursor_agent);
	tcase_add_test(tc, test_tenant_page_tenant_gone);
	tcase_add_test(tc, test_m_follows_agent);
	tcase_add_test(tc, test_agents_sorted_once_per_change);
	tcase_add_test(tc, test_tags_kept_by_id);
	tcase_add_test(tc, test_ack_without_event_is_not_confirmed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(list_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
