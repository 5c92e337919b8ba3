/*
 * Every key of the normal mode, in one table: the help screen is drawn
 * from it, so what it says is what the keys do.
 */
#include <curses.h>
#include <string.h>

#include "pooltop/movectl.h"
#include "pooltop/keymap.h"
#include "pooltop/view.h"

#define CTRL(c) ((c) & 0x1f)

static struct list *
keymap_list(struct app *a)
{
	return &a->list[a->view];
}

static int
keymap_page(const struct app *a)
{
	int h = a->rows - 4;

	return h > 1 ? h : 1;
}

static void
keymap_move(struct app *a, int delta)
{
	view_move(a, a->view, delta);
}

static void key_quit(struct app *a) { a->quit = true; }
static void key_down(struct app *a) { keymap_move(a, 1); }
static void key_up(struct app *a) { keymap_move(a, -1); }
static void key_pgdn(struct app *a) { keymap_move(a, keymap_page(a)); }
static void key_pgup(struct app *a) { keymap_move(a, -keymap_page(a)); }
static void key_top(struct app *a) { keymap_move(a, -1000000000); }
static void key_bottom(struct app *a) { keymap_move(a, 1000000000); }

static void
key_help(struct app *a)
{
	a->mode = APP_MODE_HELP;
	a->help_top = 0;
	a->dirty = true;
}

static void
key_view(struct app *a, enum app_view_id v)
{
	a->view = v;
	a->dirty = true;
}

static void key_next_view(struct app *a) { key_view(a, (view_tab(a->view) + 1) % VIEW__TABS); }
static void key_prev_view(struct app *a) { key_view(a, (view_tab(a->view) + VIEW__TABS - 1) % VIEW__TABS); }
static void key_view1(struct app *a) { key_view(a, VIEW_FLOOR); }
static void key_view2(struct app *a) { key_view(a, VIEW_AGENTS); }
static void key_view3(struct app *a) { key_view(a, VIEW_POOLS); }
static void key_view4(struct app *a) { key_view(a, VIEW_EVENTS); }
static void key_view5(struct app *a) { key_view(a, VIEW_AUDIT); }
static void key_view6(struct app *a) { key_view(a, VIEW_SHIFTS); }
static void key_view7(struct app *a) { key_view(a, VIEW_STAFFING); }
/* m: the tagged agents, or the one under the cursor in Agents. */
static void
key_move(struct app *a)
{
	uint32_t agents[MOVE_AGENTS_MAX], n;

	if (movectl_refuse_readonly(a))
		return;
	if (!a->conn.have_floor) {
		msg_show(&a->msg, true, "no floor yet: wait for LIVE");
		return;
	}
	n = view_agents_selection(a, agents, MOVE_AGENTS_MAX, a->view == VIEW_AGENTS);
	if (n == 0 && a->view == VIEW_TENANT)
		n = view_tenant_selection(a, agents, MOVE_AGENTS_MAX);
	if (n == 0) {
		msg_show(&a->msg, true, "no agents to move: tag some in Agents (2) with space, or put the cursor on one");
		return;
	}
	modal_open_pick(&a->modal, agents, n);
	a->dirty = true;
}

static void key_undo(struct app *a) { keymap_undo(a); }

static void
key_ack(struct app *a)
{
	uint32_t n = alert_ack(&a->alerts);

	msg_show(&a->msg, false, n ? "acknowledged %u alert%s" : "no alert to acknowledge", n, n == 1 ? "" : "s");
	a->dirty = true;
}

void
keymap_messages(struct app *a)
{
	a->mode = APP_MODE_MESSAGES;
	a->help_top = 0;
	a->dirty = true;
}

static void key_messages(struct app *a) { keymap_messages(a); }

static void
key_filter(struct app *a)
{
	a->mode = APP_MODE_FILTER;
	lineedit_start(&a->filter_edit, keymap_list(a)->filter);
	a->dirty = true;
}

static void
key_command(struct app *a)
{
	a->mode = APP_MODE_COMMAND;
	lineedit_start(&a->cmd_edit, "");
	a->dirty = true;
}

static void
key_repaint(struct app *a)
{
	a->full_repaint = true;
	a->dirty = true;
}

static void
key_escape(struct app *a)
{
	struct list *l = keymap_list(a);

	/* Esc clears a filter, then tags: the cheapest way back to "all". */
	if (l->filter[0])
		list_set_filter(l, "");
	else
		list_tags_clear(&a->list[VIEW_AGENTS]);
	a->dirty = true;
}

static void
key_sort(struct app *a)
{
	const struct view *v = view_get(a->view);
	struct list *l = keymap_list(a);

	if (v->ncols == 0) {
		msg_show(&a->msg, false, "%s does not sort", v->name);
		return;
	}
	l->sort = (l->sort + 1) % v->ncols;
	a->dirty = true;
}

static void
key_reverse(struct app *a)
{
	keymap_list(a)->desc = !keymap_list(a)->desc;
	a->dirty = true;
}

void
keymap_undo(struct app *a)
{
	struct move_spec specs[MODAL_SPECS];
	uint32_t n;

	if (movectl_refuse_readonly(a))
		return;
	/* A resync may have folded someone else's moves into a snapshot:
	 * say so, rather than offer what the server would refuse. */
	if (movectl_prune(a, NULL))
		return;
	n = move_book_peek_undo(&a->moves, specs, MODAL_SPECS);
	if (n == 0) {
		msg_show(&a->msg, true, "nothing to undo: no move made from this dashboard is left to undo");
		return;
	}
	modal_open_confirm(&a->modal, specs, n, true);
	a->dirty = true;
}

const struct keymap_entry keymap[] = {
	{ 'q', "q / C-c", "quit", key_quit, false },
	{ CTRL('c'), "C-c", "quit", key_quit, true },
	{ '?', "? / F1", "this help", key_help, false },
	{ KEY_F(1), "F1", "this help", key_help, true },
	{ '\t', "Tab / S-Tab", "next / previous view", key_next_view, false },
	{ KEY_BTAB, "S-Tab", "previous view", key_prev_view, true },
	{ '1', "1", "Floor: tenants, queues, service level", key_view1, false },
	{ '2', "2", "Agents: everyone, sortable, taggable", key_view2, false },
	{ '3', "3", "Pools: members by state, occupancy", key_view3, false },
	{ '4', "4", "Events: the live feed", key_view4, false },
	{ '5', "5", "Audit: every move, who, when, why", key_view5, false },
	{ '6', "6", "Shifts: tenants x shifts, one metric at a time", key_view6, false },
	{ '7', "7", "Staffing: required vs staffed, suggested moves", key_view7, false },
	{ 'a', "a", "staffing advice: suggested moves (same as 7)", key_view7, false },
	{ 'm', "m", "move the tagged agents (or the one under the cursor)", key_move, false },
	{ 'u', "u", "undo the last move from this dashboard (again: the one before)", key_undo, false },
	{ 'j', "j / Down", "next row", key_down, false },
	{ KEY_DOWN, "Down", "next row", key_down, true },
	{ 'k', "k / Up", "previous row", key_up, false },
	{ KEY_UP, "Up", "previous row", key_up, true },
	{ KEY_NPAGE, "PgDn / C-f", "page down", key_pgdn, false },
	{ CTRL('f'), "C-f", "page down", key_pgdn, true },
	{ KEY_PPAGE, "PgUp / C-b", "page up", key_pgup, false },
	{ CTRL('b'), "C-b", "page up", key_pgup, true },
	{ 'g', "g / Home", "first row", key_top, false },
	{ KEY_HOME, "Home", "first row", key_top, true },
	{ 'G', "G / End", "last row", key_bottom, false },
	{ KEY_END, "End", "last row", key_bottom, true },
	{ 's', "s", "sort by the next column (State: busy first)", key_sort, false },
	{ 'r', "r", "reverse the sort", key_reverse, false },
	{ '/', "/", "filter rows by text (Enter keeps, Esc drops)", key_filter, false },
	{ ':', ":", "command line (:help lists commands)", key_command, false },
	{ CTRL('l'), "C-l", "repaint the screen", key_repaint, false },
	{ 'A', "A", "acknowledge the alerts (the banner and the marked rows)", key_ack, false },
	{ 'M', "M", "message log: every message this session, with times", key_messages, false },
	{ 27, "Esc", "clear the filter, then the tags", key_escape, false },
	/* Taken by the views themselves; listed so help shows them. */
	{ '\n', "Enter", "Floor: the tenant's page; Pools: the pool's agents", NULL, false },
	{ '\n', "Enter", "Tenant page: Agents view of the tenant's agents", NULL, false },
	{ 27, "Esc", "Tenant page: back to Floor, on the same tenant", NULL, false },
	{ 'm', "m", "Tenant page: move the agent under the cursor", NULL, false },
	{ ' ', "space", "Agents: tag or untag the agent, for a move", NULL, false },
	{ 'o', "o", "Agents, tenant page: show/hide offline agents", NULL, false },
	{ 'p', "p", "Events: pause or resume the feed", NULL, false },
	{ ']', "[ / ]", "Shifts: previous / next metric", NULL, false },
	{ '\n', "Enter", "Staffing: open the suggested move to confirm", NULL, true },
};
const unsigned keymap_count = sizeof keymap / sizeof keymap[0];

/* The wallboard's keys: it moves nothing and has one view. */
static void key_wall_next(struct app *a) { a->wall_index++; a->wall_ticks = 0; }
static void
key_wall_prev(struct app *a)
{
	if (a->wall_index > 0)
		a->wall_index--;
	a->wall_ticks = 0;
}

const struct keymap_entry keymap_wall[] = {
	{ 'n', "n / space / Right", "next tenant", key_wall_next, false },
	{ ' ', "space", "next tenant", key_wall_next, true },
	{ KEY_RIGHT, "Right", "next tenant", key_wall_next, true },
	{ 'N', "N / Left", "previous tenant", key_wall_prev, false },
	{ KEY_LEFT, "Left", "previous tenant", key_wall_prev, true },
	{ CTRL('l'), "C-l", "repaint the screen", key_repaint, false },
	{ '?', "? / F1", "this help", key_help, false },
	{ KEY_F(1), "F1", "this help", key_help, true },
	{ 'q', "q / C-c", "quit", key_quit, false },
	{ CTRL('c'), "C-c", "quit", key_quit, true },
};
const unsigned keymap_wall_count = sizeof keymap_wall / sizeof keymap_wall[0];

bool
keymap_dispatch_in(const struct keymap_entry *map, unsigned n, struct app *a, int key)
{
	for (unsigned i = 0; i < n; i++) {
		if (map[i].key == key && map[i].action != NULL) {
			map[i].action(a);
			return true;
		}
	}
	return false;
}

bool
keymap_dispatch(struct app *a, int key)
{
	return keymap_dispatch_in(keymap, keymap_count, a, key);
}
