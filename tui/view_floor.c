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

/* ------------------------------------------------------------ rows */

/* Every tenant's figures, computed once per build in one pass over the
 * agents; cells and the order read them. */
struct view_floor_cache {
	struct listing_tenant *rows;
	uint32_t cap;
};

static struct view_floor_cache *
view_floor_cache(struct app *a)
{
	if (a->cache[VIEW_FLOOR] == NULL)
		a->cache[VIEW_FLOOR] = calloc(1, sizeof(struct view_floor_cache));
	return a->cache[VIEW_FLOOR];
}

static uint32_t
view_floor_build(void *ctx)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	struct view_floor_cache *c = view_floor_cache(a);

	if (c == NULL)
		return 0;
	if (f->n_tenants > c->cap) {
		struct listing_tenant *rows = realloc(c->rows, f->n_tenants * sizeof *rows);

		if (rows == NULL)
			return 0;
		c->rows = rows;
		c->cap = f->n_tenants;
	}
	if (f->n_tenants == 0 || listing_tenant_rows(f, a->clock_ts, c->rows) < 0)
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

	listing_tenants_order(&a->conn.floor, view_floor_cache(a)->rows, a->clock_ts, sort, desc, rows, n);
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

static void
view_floor_done(struct app *a)
{
	struct view_floor_cache *c = a->cache[VIEW_FLOOR];

	if (c)
		free(c->rows);
	free(c);
	a->cache[VIEW_FLOOR] = NULL;
}

/* ------------------------------------------------------------ draw */

static void
view_floor_table_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                      enum theme_role *role)
{
	const struct listing_tenant *r = &view_floor_cache(a)->rows[row];

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

	char line[256];

	/* The floor at a glance, above the tenants (tui/alert.c). */
	struct view_floor_cache *c = view_floor_cache(a);

	if (c != NULL && c->cap >= a->conn.floor.n_tenants && a->conn.floor.n_tenants > 0) {
		alert_floor_line(&a->conn.floor, c->rows, &a->opt.cfg, line, sizeof line);
		draw_text(a, y, 0, w, TR_DIM, line);
	}
	draw_table(a, l, &table, y + 1, h - 1, w);
}

/* Enter: the agents of the tenant under the cursor (by identity). */
static bool
view_floor_key(struct app *a, int key)
{
	struct list *l;
	uint32_t row;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	l = view_list(a, VIEW_FLOOR);
	if (list_current(l, &row))
		view_show_agents(a, "tenant:", a->conn.floor.tenants[row].def.id);
	return true;
}

const struct view view_floor = {
	.name = "Floor",
	.cls = &view_floor_class,
	.gen = view_floor_gen,
	.draw = view_floor_draw,
	.key = view_floor_key,
	.done = view_floor_done,
	.ncols = LT__COUNT,
};
