/*
 * Floor: one row per tenant — queue, service level against target, speed
 * of answer, abandons, handle time, who is serving it, and the shape of
 * its load this shift.  Worst service level first by default.
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
	[LT_NAME] = { "Tenant", 12, FMT_LEFT, 100, true },
	[LT_MODEL] = { "Mdl", 3, FMT_LEFT, 40, false },
	[LT_WAITING] = { "Wait", 4, FMT_RIGHT, 95, false },
	[LT_OLDEST] = { "Oldest", 6, FMT_RIGHT, 90, false },
	[LT_SL] = { "SL/Tgt", 7, FMT_RIGHT, 99, false },
	[LT_ASA] = { "ASA", 5, FMT_RIGHT, 70, false },
	[LT_ABANDON] = { "Abn", 4, FMT_RIGHT, 80, false },
	[LT_AHT] = { "AHT", 5, FMT_RIGHT, 50, false },
	[LT_DEDICATED] = { "Ded b/i", 7, FMT_RIGHT, 85, false },
	[LT_SHARED] = { "Shr", 3, FMT_RIGHT, 75, false },
	[LT_OFFERED] = { "Offered/15m", 12, FMT_LEFT, 30, false },
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

static enum theme_role
view_floor_level_role(enum stats_level l)
{
	switch (l) {
	case STATS_OK:
		return TR_OK;
	case STATS_WARN:
		return TR_WARN;
	case STATS_CRIT:
		return TR_CRIT;
	default:
		return TR_DIM;
	}
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
		fmt_secs(buf, len, r->stats.aht_s);
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
		uint32_t n = 1;
		if (a->conn.floor.shift_start_ts > 0 && a->clock_ts > a->conn.floor.shift_start_ts)
			n = (uint32_t)((a->clock_ts - a->conn.floor.shift_start_ts) / FLOOR_INTERVAL_MS) + 1;
		if (n > PROTO_INTERVALS_MAX)
			n = PROTO_INTERVALS_MAX;
		fmt_sparkline(buf, len, t->cur.intervals, n, width, a->utf8);
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
		return view_floor_level_role(r->level);
	if (col == LT_OFFERED)
		return TR_SPARK;
	if (col == LT_WAITING && r->waiting > 0)
		return TR_WARN;
	return TR_NORMAL;
}

/* The rows shown, filtered and sorted; *rows is malloc'd (NULL: none). */
static uint32_t
view_floor_list(struct app *a, uint32_t **rows)
{
	const struct floor *f = &a->conn.floor;
	const struct app_list *l = &a->list[VIEW_FLOOR];

	*rows = calloc(f->n_tenants ? f->n_tenants : 1, sizeof **rows);
	if (*rows == NULL)
		return 0;
	return listing_tenants(f, a->clock_ts, l->sort, l->desc, l->filter, *rows);
}

static void
view_floor_draw(struct app *a, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	struct app_list *l = &a->list[VIEW_FLOOR];
	int xs[VIEW_FLOOR_NCOLS], ws[VIEW_FLOOR_NCOLS];
	uint32_t *rows = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *rows), n;
	struct listing_tenant *all = calloc(f->n_tenants ? f->n_tenants : 1, sizeof *all);

	/* One pass over the agents serves both the order and the cells. */
	if (rows == NULL || all == NULL || listing_tenant_rows(f, a->clock_ts, all) < 0) {
		free(rows);
		free(all);
		return;
	}
	n = listing_tenants_from(f, all, l->sort, l->desc, l->filter, rows);
	draw_layout(view_floor_cols, VIEW_FLOOR_NCOLS, w, xs, ws);
	draw_header(a, y, w, view_floor_cols, VIEW_FLOOR_NCOLS, xs, ws, l->sort, l->desc);
	draw_list_clamp(l, (int)n, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int idx = l->top + i;
		struct listing_tenant r;
		bool sel = idx == l->cursor;

		if (idx >= (int)n) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		r = all[rows[idx]];
		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : TR_NORMAL);
		for (int c = 0; c < VIEW_FLOOR_NCOLS; c++) {
			char buf[512];
			if (ws[c] == 0)
				continue;
			view_floor_cell(a, &r, c, buf, sizeof buf, ws[c]);
			draw_fit(a, y + 1 + i, xs[c], ws[c], sel ? TR_SELECTION : view_floor_role(&r, c),
			         buf, view_floor_cols[c].align);
		}
	}
	free(all);
	free(rows);
}

/* Enter: that tenant's agents. */
static bool
view_floor_key(struct app *a, int key)
{
	const struct app_list *l = &a->list[VIEW_FLOOR];
	uint32_t *rows, n;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	n = view_floor_list(a, &rows);
	if (rows != NULL && l->cursor >= 0 && (uint32_t)l->cursor < n)
		view_show_agents(a, "tenant:", a->conn.floor.tenants[rows[l->cursor]].def.id);
	free(rows);
	return true;
}

static int
view_floor_rows(struct app *a)
{
	uint32_t *rows, n = view_floor_list(a, &rows);

	free(rows);
	return (int)n;
}

const struct view view_floor = {
	.name = "Floor",
	.draw = view_floor_draw,
	.key = view_floor_key,
	.rows = view_floor_rows,
	.ncols = LT__COUNT,
};
