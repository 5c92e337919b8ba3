/*
 * Floor: one row per tenant — queue, service level against target, speed
 * of answer, abandons, handle time, who is serving it, and the shape of
 * its load this shift.  Furthest below its own service-level target first
 * by default.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"

static const struct draw_col view_floor_cols[] = {
	[LT_NAME] = { "Tenant", 12, FMT_LEFT, 100, true, DRAW_NAME_COLS_MAX, false },
	[LT_MODEL] = { "Mdl", 3, FMT_LEFT, 40, false },
	[LT_WAITING] = { "Wait", 4, FMT_RIGHT, 95, false },
	[LT_OLDEST] = { "Oldest", 6, FMT_RIGHT, 90, false },
	[LT_SL_NOW] = { "SL 15/30/60m", 14, FMT_RIGHT, 98, false },
	[LT_SL] = { "SL/Tgt", 7, FMT_RIGHT, 99, false },
	[LT_ASA] = { "ASA", 5, FMT_RIGHT, 70, false },
	[LT_ABANDON] = { "Abn", 4, FMT_RIGHT, 80, false },
	[LT_AHT] = { "AHT", 9, FMT_RIGHT, 50, false },
	[LT_DEDICATED] = { "Ded b/i", 7, FMT_RIGHT, 85, false },
	[LT_SHARED] = { "Shr", 3, FMT_RIGHT, 75, false },
	/* a wide screen shows more of the shift's quarter hours */
	[LT_OFFERED] = { "Offered/15m", 12, FMT_LEFT, 30, false, PROTO_INTERVALS_MAX, true },
};
#define VIEW_FLOOR_NCOLS ((int)(sizeof view_floor_cols / sizeof view_floor_cols[0]))

static const char *
view_floor_model(enum proto_model m)
{
	switch (m) {
	case PROTO_MODEL_SHARED:
		return "shr";
	case PROTO_MODEL_DEDICATED:
		return "ded";
	default:
		return "hyb";
	}
}

/* "62 71 75 ↓": the last 15, 30 and 60 minutes, and which way the last
 * 15 go against the shift so far (↓ more than 5 points worse). */
static void
view_floor_recent(const struct app *a, const struct listing_tenant *r, char *buf, size_t len)
{
	static const char *const mark_utf8[3] = { "\u2193", "\u2192", "\u2191" };
	static const char *const mark_ascii[3] = { "v", "=", "^" };
	char v[LISTING_SL_WINDOWS][8];

	for (int w = 0; w < LISTING_SL_WINDOWS; w++) {
		if (isnan(r->sl_recent[w]))
			snprintf(v[w], sizeof v[w], "-");
		else
			snprintf(v[w], sizeof v[w], "%.0f", r->sl_recent[w] * 100.0);
	}
	snprintf(buf, len, "%s %s %s %s", v[0], v[1], v[2],
	         isnan(r->sl_recent[0]) ? " " : (a->utf8 ? mark_utf8 : mark_ascii)[r->trend + 1]);
}

static void
view_floor_cell(struct app *a, const struct listing_tenant *r, int col, char *buf, size_t len,
                int width)
{
	const struct floor *f = &a->conn.floor;
	const struct floor_tenant *t = &f->tenants[r->tenant];
	char x[32];

	switch (col) {
	case LT_NAME:
		snprintf(buf, len, "%s", t->def.name[0] ? t->def.name : t->def.id);
		break;
	case LT_MODEL:
		snprintf(buf, len, "%s", view_floor_model(t->def.model));
		break;
	case LT_WAITING:
		snprintf(buf, len, "%u", r->waiting);
		break;
	case LT_OLDEST:
		fmt_duration(buf, len, r->oldest_ms);
		break;
	case LT_SL_NOW:
		view_floor_recent(a, r, buf, len);
		break;
	case LT_SL:
		snprintf(buf, len, "%s/%.0f", fmt_pct(x, sizeof x, r->stats.service_level, 0),
		         t->def.sl_pct);
		break;
	case LT_ASA:
		fmt_secs(buf, len, r->stats.asa_s);
		break;
	case LT_ABANDON:
		fmt_pct(buf, len, r->stats.abandon_rate, 0);
		break;
	case LT_AHT:
		draw_aht(buf, len, r->stats.aht_s, r->handled);
		break;
	case LT_DEDICATED:
		if (t->dedicated_pool < 0)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%u/%u", r->ded_busy, r->ded_idle);
		break;
	case LT_SHARED:
		snprintf(buf, len, "%u", r->shared_serving);
		break;
	case LT_OFFERED: {
		uint32_t v[PROTO_INTERVALS_MAX];
		uint32_t n = listing_offered_series(f, r->tenant, a->clock_ts, v);

		fmt_sparkline(buf, len, v, n, width, a->utf8);
		break;
	}
	default:
		buf[0] = '\0';
	}
}

static enum theme_role
view_floor_role(const struct listing_tenant *r, int col)
{
	if (col == LT_SL)
		return draw_sl_role(r->level);
	if (col == LT_SL_NOW)
		return draw_sl_role(r->recent_level);
	if (col == LT_OFFERED)
		return TR_SPARK;
	if (col == LT_AHT && stats_aht_thin(r->handled))
		return TR_DIM;
	if (col == LT_WAITING && r->waiting > 0)
		return TR_WARN;
	if (col == LT_OLDEST)
		return draw_wait_role(r->oldest_level);
	return TR_NORMAL;
}

/* ------------------------------------------------------------ rows */

/* Every tenant's figures, computed once per build in one pass over the
 * agents (a->cache[VIEW_FLOOR], by tenant index); cells and the order
 * read them. */
static struct listing_tenant *
view_floor_rows(struct app *a)
{
	return a->cache[VIEW_FLOOR];
}

static uint32_t
view_floor_build(void *ctx)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	struct listing_tenant *rows = view_cache_rows(a, VIEW_FLOOR, f->n_tenants, sizeof *rows);

	if (rows == NULL || f->n_tenants == 0 || listing_tenant_rows(f, a->clock_ts, rows) < 0)
		return 0;
	return f->n_tenants;
}

static bool
view_floor_match(void *ctx, uint32_t row, const char *filter)
{
	return listing_tenant_match(&((struct app *)ctx)->conn.floor, row, filter);
}

static void
view_floor_sort(void *ctx, uint32_t *rows, uint32_t n, int sort, bool desc)
{
	struct app *a = ctx;

	listing_tenants_order(&a->conn.floor, view_floor_rows(a), a->clock_ts, sort, desc, rows, n);
}

static void
view_floor_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	proto_strlcpy(buf, ((struct app *)ctx)->conn.floor.tenants[row].def.id, len - 1);
}

static const struct list_class view_floor_class = {
	.build = view_floor_build,
	.match = view_floor_match,
	.sort = view_floor_sort,
	.key = view_floor_key_of,
};

/* Oldest waits count up with the clock, so the clock is a source too. */
static uint64_t
view_floor_gen(struct app *a)
{
	return list_gen_mix(a->conn.floor.gen, (uint64_t)a->clock_ts);
}

/* ------------------------------------------------------------ draw */

static void
view_floor_table_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                      enum theme_role *role)
{
	const struct listing_tenant *r = &view_floor_rows(a)[row];

	view_floor_cell(a, r, col, buf, len, width);
	*role = view_floor_role(r, col);
	/* An alert nobody acknowledged marks its tenant (tui/alert.c). */
	if (col == LT_NAME && alert_marked(&a->alerts, row) && len > 2) {
		memmove(buf + 2, buf, strnlen(buf, len - 3) + 1);
		buf[0] = '!';
		buf[1] = ' ';
		*role = TR_CRIT;
	}
}

static void
view_floor_draw(struct app *a, struct list *l, int y, int h, int w)
{
	static const struct draw_table table = {
		view_floor_cols, VIEW_FLOOR_NCOLS, true, view_floor_table_cell, NULL,
	};

	const struct listing_tenant *rows;
	char line[256];

	draw_table(a, l, &table, y + 1, h - 1, w);
	/* The floor at a glance, above the tenants (tui/alert.c), from the
	 * rows the table was just drawn from. */
	rows = a->cache[VIEW_FLOOR];
	if (rows != NULL && a->conn.floor.n_tenants > 0) {
		struct alert_mark m;
		char fig[32];
		int x;

		alert_floor_line_marked(&a->conn.floor, rows, &a->opt.cfg, line, sizeof line, &m);
		draw_text(a, y, 0, w, TR_DIM, line);
		/* the longest wait in the colour its Oldest cell has */
		if (m.level == STATS_WARN || m.level == STATS_CRIT) {
			snprintf(fig, sizeof fig, "%.*s", (int)m.len, line + m.at);
			line[m.at] = '\0';
			x = fmt_width(line);
			if (x < w)
				draw_text(a, y, x, (int)m.len < w - x ? (int)m.len : w - x, draw_wait_role(m.level), fig);
		}
	} else {
		draw_fill(a, y, 0, w, TR_NORMAL);
	}
}

/* Enter: the page of the tenant under the cursor (by identity). */
static bool
view_floor_key(struct app *a, int key)
{
	struct list *l;
	uint32_t row;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	l = view_list(a, VIEW_FLOOR);
	if (list_current(l, &row))
		view_tenant_open(a, a->conn.floor.tenants[row].def.id);
	return true;
}

const struct view view_floor = {
	.name = "Floor",
	.cls = &view_floor_class,
	.gen = view_floor_gen,
	.draw = view_floor_draw,
	.key = view_floor_key,
	.ncols = LT__COUNT,
};
