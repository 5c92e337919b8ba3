/*
 * Tenant page: one tenant on one screen (Enter on the Floor view, Esc
 * back) — its target and how the shift goes against it, business hours
 * and contract minimum, the queue by channel, the service level of every
 * quarter hour of the shift, and the agents who serve it or can: its
 * dedicated team, the shared pools that serve it (idle agents too), and
 * who could be lent to it.  The figures come from tui/tenantpage.c and
 * tui/listing.c; this file only lays them out.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/staffing.h"
#include "pooltop/tenantpage.h"
#include "pooltop/view.h"

/* The chart's labels take this many columns on the left. */
#define VIEW_TENANT_LABEL 11
/* Below this many body rows the page drops its blank lines and the
 * chart's hour axis, so the agents keep a few rows. */
#define VIEW_TENANT_ROOMY 18

enum view_tenant_col { VT_ID, VT_NAME, VT_ROLE, VT_POOL, VT_STATE, VT_SERVING, VT_TIME, VT__COUNT };

static const struct draw_col view_tenant_cols[VT__COUNT] = {
	[VT_ID] = { "ID", 5, FMT_LEFT, 100, false },
	[VT_NAME] = { "Name", 12, FMT_LEFT, 90, false },
	[VT_ROLE] = { "Serves as", 12, FMT_LEFT, 99, false },
	[VT_POOL] = { "Pool", 12, FMT_LEFT, 80, false },
	[VT_STATE] = { "State", 7, FMT_LEFT, 98, false },
	[VT_SERVING] = { "Serving", 7, FMT_LEFT, 60, false },
	[VT_TIME] = { "Time", 7, FMT_RIGHT, 70, false },
};

static struct tenantpage_agent *
view_tenant_items(struct app *a)
{
	return a->cache[VIEW_TENANT];
}

/* ------------------------------------------------------------ rows */

static uint32_t
view_tenant_build(void *ctx)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	int t = floor_tenant_find(f, a->page_tenant);
	struct tenantpage_agent *items;

	if (t < 0 || f->n_agents == 0)
		return 0;
	items = view_cache_rows(a, VIEW_TENANT, f->n_agents, sizeof *items);
	if (items == NULL)
		return 0;
	return tenantpage_agents(f, (uint32_t)t, a->agents_offline, items);
}

static bool
view_tenant_match(void *ctx, uint32_t row, const char *filter)
{
	struct app *a = ctx;

	return tenantpage_match(&a->conn.floor, &view_tenant_items(a)[row], filter);
}

static void
view_tenant_sort(void *ctx, uint32_t *rows, uint32_t n, int sort, bool desc)
{
	struct app *a = ctx;

	(void)sort;
	(void)desc;
	tenantpage_order(&a->conn.floor, view_tenant_items(a), rows, n);
}

static void
view_tenant_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	struct app *a = ctx;

	proto_strlcpy(buf, a->conn.floor.agents[view_tenant_items(a)[row].agent].def.id, len - 1);
}

static const struct list_class view_tenant_class = {
	.build = view_tenant_build,
	.match = view_tenant_match,
	.sort = view_tenant_sort,
	.key = view_tenant_key_of,
};

static uint64_t
view_tenant_gen(struct app *a)
{
	return list_gen_mix(a->conn.floor.gen, a->agents_offline);
}

void
view_tenant_open(struct app *a, const char *id)
{
	struct list *l = &a->list[VIEW_TENANT];

	proto_strlcpy(a->page_tenant, id, PROTO_ID_MAX);
	/* another tenant: other rows, from the top */
	list_set_filter(l, "");
	l->cursor = 0;
	l->top = 0;
	l->cur_key[0] = '\0';
	list_invalidate(l);
	a->view = VIEW_TENANT;
	a->dirty = true;
}

uint32_t
view_tenant_selection(struct app *a, uint32_t *out, uint32_t max)
{
	uint32_t row;

	if (max == 0 || !list_current(view_list(a, VIEW_TENANT), &row))
		return 0;
	out[0] = view_tenant_items(a)[row].agent;
	return 1;
}

/* ------------------------------------------------------------ header */

/* Text at *x on row y in role, and *x past it.  A piece that does not
 * fit whole is left out, and so is all after it on the line: a figure
 * is never shown cut (the first piece, the line's label, is cut). */
static void
view_tenant_put(struct app *a, int y, int *x, int w, enum theme_role role, const char *s)
{
	int n = fmt_width(s);

	if (*x >= w)
		return;
	if (n > w - *x) {
		if (*x > 0) {
			*x = w;
			return;
		}
		n = w;
	}
	draw_text(a, y, *x, n, role, s);
	*x += n;
}

static void
view_tenant_title(struct app *a, const struct floor_tenant *ft, int y, int w)
{
	static const char hint[] = " Esc back, Enter agents view ";
	char line[256];
	int hw = fmt_width(hint);

	snprintf(line, sizeof line, " %s (%s)  %s  target %.0f%% in %us", ft->def.name[0] ? ft->def.name : ft->def.id,
	         ft->def.id, proto_model_name(ft->def.model), ft->def.sl_pct, ft->def.sl_sec);
	draw_fill(a, y, 0, w, TR_HEADER);
	if (w - fmt_width(line) > hw) {
		draw_text(a, y, 0, w - hw, TR_HEADER, line);
		draw_fit(a, y, w - hw, hw, TR_HEADER, hint, FMT_RIGHT);
	} else {
		draw_text(a, y, 0, w, TR_HEADER, line);
	}
}

/* The shift so far: service level (and the last quarter hour), speed of
 * answer, abandons, handle time. */
static void
view_tenant_figures(struct app *a, const struct listing_tenant *r, int y, int w)
{
	const struct floor *f = &a->conn.floor;
	char v[32], s[96];
	int x = 0;

	draw_fill(a, y, 0, w, TR_NORMAL);
	snprintf(s, sizeof s, " Shift %s  SL ", f->shift_name[0] ? f->shift_name : "-");
	view_tenant_put(a, y, &x, w, TR_NORMAL, s);
	view_tenant_put(a, y, &x, w, draw_sl_role(r->level), fmt_pct(v, sizeof v, r->stats.service_level, 0));
	view_tenant_put(a, y, &x, w, TR_NORMAL, "  last 15m ");
	view_tenant_put(a, y, &x, w, draw_sl_role(r->recent_level), fmt_pct(v, sizeof v, r->sl_recent[0], 0));
	snprintf(s, sizeof s, "  ASA %s", fmt_secs(v, sizeof v, r->stats.asa_s));
	view_tenant_put(a, y, &x, w, TR_NORMAL, s);
	snprintf(s, sizeof s, "  Abandoned %s", fmt_pct(v, sizeof v, r->stats.abandon_rate, 0));
	view_tenant_put(a, y, &x, w, TR_NORMAL, s);
	snprintf(s, sizeof s, "  AHT %s", draw_aht(v, sizeof v, r->stats.aht_s, r->handled));
	view_tenant_put(a, y, &x, w, stats_aht_thin(r->handled) ? TR_DIM : TR_NORMAL, s);
	snprintf(s, sizeof s, "  Offered %llu", (unsigned long long)r->offered);
	view_tenant_put(a, y, &x, w, TR_NORMAL, s);
}

/* Business hours and the contract minimum of dedicated agents on duty:
 * what a move out of its pool must respect. */
static void
view_tenant_contract(struct app *a, const struct floor_tenant *ft, const struct listing_tenant *r, int y,
                     int w)
{
	bool hours = ft->def.open[0] && ft->def.close[0];
	bool open = staffing_open(&ft->def, a->clock_ts, fmt_tz_offset(a->clock_ts));
	char s[128];
	int x = 0;

	draw_fill(a, y, 0, w, TR_NORMAL);
	if (hours)
		snprintf(s, sizeof s, " Hours %s-%s, %s", ft->def.open, ft->def.close, open ? "open now" : "closed now");
	else
		snprintf(s, sizeof s, " Hours: none (always open)");
	view_tenant_put(a, y, &x, w, hours && !open ? TR_DIM : TR_NORMAL, s);
	if (ft->def.min_dedicated == 0) {
		view_tenant_put(a, y, &x, w, TR_DIM, "  Contract minimum: none");
	} else {
		snprintf(s, sizeof s, "  Contract minimum %u dedicated", ft->def.min_dedicated);
		view_tenant_put(a, y, &x, w, TR_NORMAL, s);
		snprintf(s, sizeof s, " (%u on duty)", r->ded_on);
		view_tenant_put(a, y, &x, w, open && r->ded_on < ft->def.min_dedicated ? TR_CRIT : TR_NORMAL, s);
	}
	if (ft->def.overflow_sec > 0 && ft->def.model != PROTO_MODEL_SHARED) {
		snprintf(s, sizeof s, "  Overflow to shared after %us", ft->def.overflow_sec);
		view_tenant_put(a, y, &x, w, TR_NORMAL, s);
	}
}

static void
view_tenant_queue(struct app *a, uint32_t t, int y, int w)
{
	struct tenantpage_channel ch[PROTO_CH__COUNT];
	char s[96], age[32];
	int x = 0;

	tenantpage_queue(&a->conn.floor, t, a->clock_ts, ch);
	draw_fill(a, y, 0, w, TR_NORMAL);
	view_tenant_put(a, y, &x, w, TR_NORMAL, " Queue");
	for (int c = 0; c < PROTO_CH__COUNT; c++) {
		if (ch[c].waiting)
			snprintf(s, sizeof s, "  %s %u (oldest %s)", proto_channel_name((enum proto_channel)c), ch[c].waiting,
			         fmt_duration(age, sizeof age, ch[c].oldest_ms));
		else
			snprintf(s, sizeof s, "  %s 0", proto_channel_name((enum proto_channel)c));
		view_tenant_put(a, y, &x, w, ch[c].waiting ? TR_WARN : TR_DIM, s);
	}
}

/* ------------------------------------------------------------ chart */

/* One cell of the bars: its height the quarter hour's service level. */
static const char *
view_tenant_bar(const struct app *a, double sl)
{
	static const char *const blocks[8] = {
		"\xE2\x96\x81", "\xE2\x96\x82", "\xE2\x96\x83", "\xE2\x96\x84",
		"\xE2\x96\x85", "\xE2\x96\x86", "\xE2\x96\x87", "\xE2\x96\x88",
	};
	static const char *const ascii[7] = { ".", ":", "-", "=", "+", "*", "#" };
	int levels = a->utf8 ? 8 : 7, lv;

	if (isnan(sl))
		return " ";
	lv = (int)(sl * levels);
	if (lv >= levels)
		lv = levels - 1;
	if (lv < 0)
		lv = 0;
	return a->utf8 ? blocks[lv] : ascii[lv];
}

/* The quarter hours of this shift: bars coloured met or missed, a row of
 * marks that says the same without colour (x missed, - nothing to judge,
 * ^ the quarter hour now running), and, with room, the hours. */
static int
view_tenant_chart(struct app *a, uint32_t t, int y, int rows, int w)
{
	struct tenantpage_interval iv[PROTO_INTERVALS_MAX];
	uint32_t total, n = tenantpage_intervals(&a->conn.floor, t, a->clock_ts, iv, &total);
	int cells = w - VIEW_TENANT_LABEL, first, last;

	for (int r = 0; r < rows; r++)
		draw_fill(a, y + r, 0, w, TR_NORMAL);
	draw_text(a, y, 0, VIEW_TENANT_LABEL, TR_NORMAL, " SL by 15m");
	if (n == 0 || cells < 4) {
		draw_text(a, y, VIEW_TENANT_LABEL, cells, TR_DIM, "no shift in force");
		return rows;
	}
	draw_text(a, y + 1, 0, VIEW_TENANT_LABEL, TR_DIM, " missed");
	/* the whole shift when it fits, else its last quarter hours */
	last = total != 0 && total <= (uint32_t)cells ? (int)total - 1 : (int)n - 1;
	first = last + 1 > cells ? last + 1 - cells : 0;
	if (first > 0)
		draw_text(a, y, VIEW_TENANT_LABEL - 1, 1, TR_DIM, "<");
	for (int i = first; i <= last; i++) {
		int x = VIEW_TENANT_LABEL + i - first;
		const char *mark = " ";

		if ((uint32_t)i >= n) {
			/* still to come this shift (in ASCII "." is a low bar) */
			draw_text(a, y, x, 1, TR_DIM, a->utf8 ? "\xC2\xB7" : " ");
			continue;
		}
		draw_text(a, y, x, 1, iv[i].level == STATS_NONE ? TR_DIM : draw_sl_role(iv[i].level),
		          view_tenant_bar(a, iv[i].sl));
		if (iv[i].current) {
			/* unfinished: reversed, so a half-counted quarter hour
			 * never reads as a finished one (dimmed too when not LIVE,
			 * as draw_fit does) */
			attr_t at = a->attr[draw_sl_role(iv[i].level)];

			if (a->stale_look)
				at = (at & ~(attr_t)A_BOLD) | A_DIM;
			mvchgat(y, x, 1, (at & ~A_COLOR) ^ A_REVERSE, (short)PAIR_NUMBER(at), NULL);
			mark = "^";
		} else if (iv[i].level == STATS_NONE) {
			mark = "-";
		} else if (iv[i].level != STATS_OK) {
			mark = "x";
		}
		draw_text(a, y + 1, x, 1, mark[0] == 'x' ? TR_CRIT : TR_DIM, mark);
	}
	if (rows < 3)
		return rows;
	/* the hours, at the quarter hours that start one */
	for (int i = first; i <= last; i++) {
		int64_t ts = a->conn.floor.shift_start_ts + (int64_t)i * FLOOR_INTERVAL_MS;
		char hm[8];

		fmt_hhmm(hm, sizeof hm, ts);
		if (strcmp(hm + 2, ":00") == 0 && i + 2 <= last + 1) {
			hm[2] = '\0';
			draw_text(a, y + 2, VIEW_TENANT_LABEL + i - first, 2, TR_DIM, hm);
		}
	}
	return rows;
}

/* ------------------------------------------------------------ agents */

static void
view_tenant_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                 enum theme_role *role)
{
	const struct floor *f = &a->conn.floor;
	const struct tenantpage_agent *it = &view_tenant_items(a)[row];
	const struct floor_agent *ag = &f->agents[it->agent];
	const char *state;

	(void)width;
	switch (col) {
	case VT_ID:
		snprintf(buf, len, "%s", ag->def.id);
		break;
	case VT_NAME:
		snprintf(buf, len, "%s", ag->def.name);
		break;
	case VT_ROLE:
		snprintf(buf, len, "%s", tenantpage_role_name(it->role));
		if (it->role >= TP_LENT)
			*role = TR_DIM;
		break;
	case VT_POOL:
		snprintf(buf, len, "%s", f->pools[ag->pool].def.id);
		break;
	case VT_STATE:
		state = move_book_is_pending(&a->moves, ag->def.id) ? "pending" : listing_agent_state(f, it->agent);
		snprintf(buf, len, "%s", state);
		if (ag->def.state == PROTO_AS_IDLE)
			*role = TR_OK;
		else if (ag->def.state == PROTO_AS_OFFLINE || ag->def.state == PROTO_AS_BREAK)
			*role = TR_DIM;
		break;
	case VT_SERVING:
		snprintf(buf, len, "%s", ag->serving >= 0 ? f->tenants[ag->serving].def.id : "");
		break;
	case VT_TIME:
		fmt_duration(buf, len, a->clock_ts - ag->def.since_ts);
		break;
	default:
		buf[0] = '\0';
	}
}

/* How many the list shows of each kind, above it. */
static void
view_tenant_counts(struct app *a, const struct list *l, int y, int w)
{
	uint32_t n[TP__COUNT] = { 0 };
	char s[256];
	size_t at = 0;

	for (uint32_t i = 0; i < l->n; i++)
		n[view_tenant_items(a)[l->rows[i]].role]++;
	at += (size_t)snprintf(s, sizeof s, " Agents %u:", l->n);
	for (int r = 0; r < TP__COUNT && at < sizeof s; r++)
		if (n[r])
			at += (size_t)snprintf(s + at, sizeof s - at, " %u %s,", n[r], tenantpage_role_name((enum tenantpage_role)r));
	if (at > 0 && s[at - 1] == ',')
		s[--at] = '\0';
	if (at < sizeof s)
		snprintf(s + at, sizeof s - at, "%s", a->agents_offline ? "  (offline shown: o hides)"
		                                                         : "  (offline hidden: o shows)");
	draw_text(a, y, 0, w, TR_DIM, s);
}

/* Column c as wide as its widest text on the page, at least its title's
 * width from the table: ids typed into :move are never cut. */
static void
view_tenant_widen(struct draw_col *c, int width)
{
	if (width > c->width)
		c->width = width;
}

static void
view_tenant_agents(struct app *a, struct list *l, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	struct draw_col cols[VT__COUNT];
	struct draw_table table = { cols, VT__COUNT, false, view_tenant_cell, NULL };
	int name = 0, rest = 0;

	memcpy(cols, view_tenant_cols, sizeof cols);
	for (uint32_t i = 0; i < l->n; i++) {
		const struct floor_agent *ag = &f->agents[view_tenant_items(a)[l->rows[i]].agent];
		int nw = fmt_width(ag->def.name);

		view_tenant_widen(&cols[VT_ID], fmt_width(ag->def.id));
		view_tenant_widen(&cols[VT_POOL], fmt_width(f->pools[ag->pool].def.id));
		if (ag->serving >= 0)
			view_tenant_widen(&cols[VT_SERVING], fmt_width(f->tenants[ag->serving].def.id));
		if (nw > name)
			name = nw;
	}
	/* Names take what the other columns leave, up to the longest: a
	 * wide terminal does not stretch them across the screen. */
	for (int c = 0; c < VT__COUNT; c++)
		if (c != VT_NAME)
			rest += cols[c].width + 1;
	if (name > w - rest - 1)
		name = w - rest - 1;
	if (name > cols[VT_NAME].width)
		cols[VT_NAME].width = name;
	draw_table(a, l, &table, y, h, w);
}

/* ------------------------------------------------------------ draw */

static void
view_tenant_gone(struct app *a, int y, int h, int w)
{
	char s[200];

	for (int i = 0; i < h; i++)
		draw_fill(a, y + i, 0, w, TR_NORMAL);
	snprintf(s, sizeof s, " Tenant %s is not on this floor any more (the server started a floor without it).",
	         a->page_tenant);
	draw_text(a, y + 1, 0, w, TR_WARN, s);
	draw_text(a, y + 2, 0, w, TR_DIM, " Esc goes back to the Floor view.");
}

static void
view_tenant_draw(struct app *a, struct list *l, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	int t = floor_tenant_find(f, a->page_tenant), at = y, end = y + h;
	bool roomy = h >= VIEW_TENANT_ROOMY;
	struct listing_tenant r;

	if (t < 0) {
		view_tenant_gone(a, y, h, w);
		return;
	}
	listing_tenant_row(f, (uint32_t)t, a->clock_ts, &r);
	view_tenant_title(a, &f->tenants[t], at++, w);
	view_tenant_figures(a, &r, at++, w);
	view_tenant_contract(a, &f->tenants[t], &r, at++, w);
	view_tenant_queue(a, (uint32_t)t, at++, w);
	if (roomy)
		draw_fill(a, at++, 0, w, TR_NORMAL);
	at += view_tenant_chart(a, (uint32_t)t, at, roomy ? 3 : 2, w);
	view_tenant_counts(a, l, at++, w);
	if (end - at >= 2)
		view_tenant_agents(a, l, at, end - at, w);
}

/* ------------------------------------------------------------ keys */

static bool
view_tenant_key(struct app *a, int key)
{
	struct list *l = &a->list[VIEW_TENANT];
	uint32_t off = 0;

	switch (key) {
	case 27:
		/* a filter first, as everywhere; then back to the tenant's row */
		if (l->filter[0]) {
			list_set_filter(l, "");
		} else {
			struct list *fl = &a->list[VIEW_FLOOR];

			proto_strlcpy(fl->cur_key, a->page_tenant, sizeof fl->cur_key - 1);
			list_invalidate(fl);
			a->view = VIEW_FLOOR;
		}
		a->dirty = true;
		return true;
	case '\n':
	case '\r':
	case KEY_ENTER:
		view_show_agents(a, "tenant:", a->page_tenant);
		return true;
	case 'o':
		a->agents_offline = !a->agents_offline;
		view_agents_total(a, &off);
		msg_show(&a->msg, false, "%s offline agents (%u on the floor)", a->agents_offline ? "showing" : "hiding",
		         off);
		a->dirty = true;
		return true;
	default:
		return false;
	}
}

const struct view view_tenant = {
	.name = "Tenant",
	.cls = &view_tenant_class,
	.gen = view_tenant_gen,
	.draw = view_tenant_draw,
	.key = view_tenant_key,
	.ncols = 0,
};
