/*
 * One frame of the dashboard: the title with the view tabs, the view's
 * body, the help overlay, the feedback or input line, the status line,
 * and a move dialog over all of it.  ncurses sends only the cells that
 * changed (erase + redraw, never clear).
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "pooltop/app.h"
#include "pooltop/box.h"
#include "pooltop/crt.h"
#include "pooltop/fmt.h"
#include "pooltop/keymap.h"
#include "pooltop/msg_draw.h"
#include "pooltop/view.h"
#include "pooltop/wall.h"

/* Seconds since the last word from the feed (wall clock), or since the
 * state began when nothing ever came. */
int64_t
app_data_age_s(const struct app *a, int64_t now_real)
{
	int64_t from = a->conn.last_msg_real > 0 ? a->conn.last_msg_real : a->conn.since_real;
	int64_t age = from > 0 ? (now_real - from) / 1000 : 0;

	return age < 0 ? 0 : age;
}

static int
app_draw_tabs(struct app *a, int x, bool shrt)
{
	for (int v = 0; v < VIEW__TABS && x < a->cols; v++) {
		char tab[32];
		int len;

		snprintf(tab, sizeof tab, " %d %.*s ", v + 1, shrt ? 3 : 16, view_get((enum app_view_id)v)->name);
		len = (int)strlen(tab);
		if (x + len > a->cols)
			len = a->cols - x;
		draw_text(a, 0, x, len, v == (int)view_tab(a->view) ? TR_TAB_ACTIVE : TR_TITLE, tab);
		x += len;
	}
	return x;
}

static void
app_draw_title(struct app *a)
{
	int x = 9, full = 9;
	bool shrt;

	for (int v = 0; v < VIEW__TABS; v++)
		full += 4 + (int)strlen(view_get((enum app_view_id)v)->name);
	/* Narrow terminals get "1 Flo 2 Age ..." rather than lost tabs. */
	shrt = full > a->cols - 8;
	draw_fill(a, 0, 0, a->cols, TR_TITLE);
	draw_text(a, 0, 0, 9, TR_TITLE, " pooltop ");
	if (a->stale_look) {
		char mark[64];

		/* On every view, where the eye goes first: how old the data is. */
		snprintf(mark, sizeof mark, " NOT LIVE: data %llds old ",
		         (long long)app_data_age_s(a, conn_real_ms()));
		draw_fit(a, 0, a->cols - 24, 24, TR_STALE, mark, FMT_RIGHT);
		if (a->opt.wallboard)
			return;
		a->cols -= 24;   /* the tabs stop short of the mark */
		app_draw_tabs(a, x, shrt);
		a->cols += 24;
		return;
	}
	if (a->opt.wallboard) {
		draw_fit(a, 0, 9, a->cols - 9, TR_TITLE, "wallboard  n next, ? keys, q quit ", FMT_RIGHT);
		return;
	}
	x = app_draw_tabs(a, x, shrt);
	if (a->cols - x > 10)
		draw_fit(a, 0, a->cols - 10, 10, TR_TITLE, a->opt.readonly ? "read-only " : "? help ",
		         FMT_RIGHT);
}

static void
app_draw_status(struct app *a)
{
	const struct conn *c = &a->conn;
	char state[96], clock[16], since[16], info[256], line[768], waiting[160];
	enum theme_role role = TR_LIVE;
	int y = a->rows - 1, sw;

	/* since is the wall clock, the floor clock is the floor's: each says
	 * which it is */
	fmt_clock(since, sizeof since, c->since_real);
	switch (c->state) {
	case CONN_LIVE:
		snprintf(state, sizeof state, " LIVE ");
		break;
	case CONN_STALE:
		snprintf(state, sizeof state, " STALE since %s wall ", since);
		role = TR_STALE;
		break;
	case CONN_RESYNC:
		snprintf(state, sizeof state, " RESYNC ");
		role = TR_STALE;
		break;
	case CONN_JOINING:
		snprintf(state, sizeof state, " CONNECTING ");
		role = TR_STALE;
		break;
	case CONN_OFFLINE:
		snprintf(state, sizeof state, " OFFLINE since %s wall ", since);
		role = TR_OFFLINE;
		break;
	}
	if (a->clock_ts > 0)
		fmt_clock(clock, sizeof clock, a->clock_ts);
	else
		snprintf(clock, sizeof clock, "--:--:--");
	snprintf(info, sizeof info, " %s  seq %llu  floor %s %s  %.0f ev/s", a->opt.server,
	         (unsigned long long)c->floor.seq, clock,
	         c->floor.shift_name[0] ? c->floor.shift_name : "-", c->rate);
	/* Why, and what it waits for now (a backoff says how long). */
	conn_waiting(c, conn_mono_ms(), waiting, sizeof waiting);
	if (c->state == CONN_RESYNC || c->state == CONN_STALE || c->state == CONN_OFFLINE) {
		char why[128];

		/* The silence goes on: count it up rather than repeat the 3 s
		 * that started it. */
		if (strncmp(c->why, "no heartbeat", 12) == 0)
			snprintf(why, sizeof why, "no heartbeat for %lld s",
			         (long long)app_data_age_s(a, conn_real_ms()));
		else
			snprintf(why, sizeof why, "%s", c->why);
		snprintf(line, sizeof line, "%s (%s%s%s)", info, why, waiting[0] ? "; " : "", waiting);
	} else if (waiting[0])
		snprintf(line, sizeof line, "%s (%s)", info, waiting);
	else
		snprintf(line, sizeof line, "%s", info);
	sw = fmt_width(state);
	draw_text(a, y, 0, sw, role, state);
	draw_text(a, y, sw, a->cols - sw, TR_STATUS, line);
}

/* The idle feedback line: how many rows the Agents view shows of how
 * many, and the tags a move would take, so neither is a surprise. */
static void
app_draw_counts(struct app *a, int y)
{
	uint32_t tags = a->list[VIEW_AGENTS].tags.n, off, total;
	char line[240] = "";
	size_t at = 0;

	draw_fill(a, y, 0, a->cols, TR_NORMAL);
	if (!a->conn.have_floor)
		return;
	if (a->alerts.raised) {
		char more[32] = "";

		if (a->alerts.raised > 1)
			snprintf(more, sizeof more, " (+%u more)", a->alerts.raised - 1);
		snprintf(line, sizeof line, "ALERT %.110s%s%s", a->alerts.banner, more,
		         a->opt.wallboard ? "" : "   A acknowledges");
		draw_text(a, y, 0, a->cols, TR_CRIT, line);
		return;
	}
	if (a->opt.wallboard)
		return;
	if (a->view == VIEW_AGENTS) {
		total = view_agents_total(a, &off);
		at += (size_t)snprintf(line, sizeof line, "%u of %u agents", view_list(a, VIEW_AGENTS)->n, total);
		if (off && !a->agents_offline)
			at += (size_t)snprintf(line + at, sizeof line - at, " (%u offline hidden: o shows them)", off);
	}
	if (tags && at < sizeof line)
		snprintf(line + at, sizeof line - at, "%s%u tagged (Esc clears)", at ? "   " : "", tags);
	draw_text(a, y, 0, a->cols, TR_DIM, line);
}

static void
app_draw_input(struct app *a)
{
	int y = a->rows - 2;
	const char *text = msg_text(&a->msg, conn_mono_ms());
	const struct list *l = &a->list[a->view];
	char line[LIST_FILTER_MAX + 64];

	if (a->mode == APP_MODE_FILTER) {
		draw_edit(a, y, 0, a->cols, "/", &a->filter_edit);
		return;
	}
	if (a->mode == APP_MODE_COMMAND) {
		/* Tab's candidates, above the line being typed. */
		if (text)
			draw_text(a, y - 1, 0, a->cols, TR_DIM, text);
		draw_edit(a, y, 0, a->cols, ":", &a->cmd_edit);
		return;
	}
	if (text) {
		msg_draw_line(a, y, text, a->msg.error);
		return;
	}
	if (l->filter[0]) {
		uint32_t tags = a->list[VIEW_AGENTS].tags.n;

		snprintf(line, sizeof line, "filter: %s  (Esc clears)%s%.0u%s", l->filter, tags ? "  " : "", tags,
		         tags ? " tagged, kept while hidden" : "");
		draw_text(a, y, 0, a->cols, TR_DIM, line);
		return;
	}
	app_draw_counts(a, y);
}

static void
app_draw_help(struct app *a)
{
	int w = a->cols - 4 < 72 ? a->cols - 4 : 72, h = a->rows - 4;
	int x = (a->cols - w) / 2, y = 2, row = 0, skip;
	int shown = 0;
	const struct keymap_entry *map = a->opt.wallboard ? keymap_wall : keymap;
	unsigned count = a->opt.wallboard ? keymap_wall_count : keymap_count;

	for (unsigned i = 0; i < count; i++)
		shown += !map[i].hidden;
	if (a->help_top > shown - (h - 2))
		a->help_top = shown - (h - 2);
	if (a->help_top < 0)
		a->help_top = 0;
	skip = a->help_top;
	box_draw(a, y, x, h, w, "Keys - q, Esc or ? closes, j/k scroll");
	/* On the tenant page its own keys come first (pass 0), then the
	 * rest of the table (pass 1); elsewhere the table in its order. */
	for (int pass = a->view == VIEW_TENANT ? 0 : 1; pass < 2; pass++) {
		for (unsigned i = 0; i < count && row < h - 2; i++) {
			char line[256];

			if (map[i].hidden || (a->view == VIEW_TENANT && fmt_match(map[i].help, "tenant page") != !pass) ||
			    skip-- > 0)
				continue;
			snprintf(line, sizeof line, " %-17s %s", map[i].label, map[i].help);
			draw_text(a, y + 1 + row, x + 1, w - 2, TR_DIALOG, line);
			row++;
		}
	}
}

void
app_draw(struct app *a)
{
	int body;

	if (a->full_repaint) {
		clearok(curscr, TRUE);
		a->full_repaint = false;
	}
	erase();
	if (crt_too_small(a)) {
		char msg[80];

		attrset(A_NORMAL);
		mvaddnstr(0, 0, "terminal too small", a->cols);
		snprintf(msg, sizeof msg, "%dx%d, need %dx%d", a->cols, a->rows, APP_MIN_COLS, APP_MIN_ROWS);
		mvaddnstr(1, 0, msg, a->cols);
		refresh();
		return;
	}
	a->stale_look = a->conn.have_floor && a->conn.state != CONN_LIVE;
	app_draw_title(a);
	body = a->rows - 3;
	if (!a->conn.have_floor) {
		char msg[400];

		/* Never reached yet: why, in full (the status line may cut it). */
		if (a->conn.why[0] && a->conn.state == CONN_OFFLINE)
			snprintf(msg, sizeof msg, "Waiting for the floor at %.200s: %.90s", a->opt.events_ep, a->conn.why);
		else
			snprintf(msg, sizeof msg, "Waiting for the floor at %s ...", a->opt.events_ep);
		draw_text(a, 2, 2, a->cols - 4, TR_DIM, msg);
	} else if (a->opt.wallboard) {
		wall_draw(a);
	} else {
		view_get(a->view)->draw(a, view_list(a, a->view), 1, body, a->cols);
	}
	/* A dialog that has just opened: the message from before it is
	 * about something else (it stays in the log). */
	if (modal_open(&a->modal) && !a->modal_shown)
		msg_clear(&a->msg);
	a->modal_shown = modal_open(&a->modal);
	if (a->mode == APP_MODE_HELP)
		app_draw_help(a);
	else if (a->mode == APP_MODE_MESSAGES)
		msg_draw_log(a);
	app_draw_input(a);
	if (a->conn.have_floor)
		modal_draw(a);
	app_draw_status(a);
	refresh();
	a->frames++;
}

