/*
 * Pools: each pool with its members by state, occupancy and whom it
 * serves.  Enter lists the pool's agents.
 */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"

enum { VP_ID, VP_KIND, VP_IDLE, VP_BUSY, VP_WRAP, VP_BREAK, VP_OFF, VP_OCC, VP_SERVES, VP__COUNT };

static const struct draw_col view_pools_cols[] = {
	[VP_ID] = { "Pool", 4, FMT_LEFT, 100, false },   /* the longest id (view_pools_draw) */
	[VP_KIND] = { "Kind", 9, FMT_LEFT, 60, false },
	[VP_IDLE] = { "Idle", 4, FMT_RIGHT, 95, false },
	[VP_BUSY] = { "Busy", 4, FMT_RIGHT, 95, false },
	[VP_WRAP] = { "Wrap", 4, FMT_RIGHT, 90, false },
	[VP_BREAK] = { "Brk", 3, FMT_RIGHT, 70, false },
	[VP_OFF] = { "Off", 4, FMT_RIGHT, 65, false },
	[VP_OCC] = { "Occupancy", 14, FMT_LEFT, 85, false },
	[VP_SERVES] = { "Serves", 8, FMT_LEFT, 80, true },
};

static void
view_pools_serves(const struct floor *f, uint32_t p, char *buf, size_t len)
{
	const struct floor_pool *pl = &f->pools[p];
	size_t used = 0;

	buf[0] = '\0';
	if (pl->def.kind == PROTO_POOL_DEDICATED) {
		snprintf(buf, len, "%s", pl->def.tenant);
		return;
	}
	for (uint32_t i = 0; i < pl->def.n_serves && used + 1 < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s", i ? " " : "", pl->def.serves[i]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}

static void
view_pools_cell(struct app *a, const struct listing_pool *r, int col, char *buf, size_t len, int width)
{
	const struct floor *f = &a->conn.floor;
	char pct[16], bar[128];

	switch (col) {
	case VP_ID:
		snprintf(buf, len, "%s", f->pools[r->pool].def.id);
		break;
	case VP_KIND:
		snprintf(buf, len, "%s", proto_pool_kind_name(f->pools[r->pool].def.kind));
		break;
	case VP_IDLE:
		snprintf(buf, len, "%u", r->counts[PROTO_AS_IDLE]);
		break;
	case VP_BUSY:
		snprintf(buf, len, "%u", r->counts[PROTO_AS_BUSY]);
		break;
	case VP_WRAP:
		snprintf(buf, len, "%u", r->counts[PROTO_AS_WRAP]);
		break;
	case VP_BREAK:
		snprintf(buf, len, "%u", r->counts[PROTO_AS_BREAK]);
		break;
	case VP_OFF:
		snprintf(buf, len, "%u", r->counts[PROTO_AS_OFFLINE]);
		break;
	case VP_OCC:
		fmt_pct(pct, sizeof pct, r->occupancy, 0);
		fmt_bar(bar, sizeof bar, isnan(r->occupancy) ? 0 : r->occupancy, width - 5, a->utf8);
		snprintf(buf, len, "%4s %s", pct, bar);
		break;
	case VP_SERVES:
		view_pools_serves(f, r->pool, buf, len);
		break;
	default:
		buf[0] = '\0';
	}
}

/* ------------------------------------------------------------ rows */

/* Every pool's counts, in one pass over the agents per build
 * (a->cache[VIEW_POOLS], by pool index). */
static uint32_t
view_pools_build(void *ctx)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;
	struct listing_pool *rows = view_cache_rows(a, VIEW_POOLS, f->n_pools, sizeof *rows);

	if (rows == NULL)
		return 0;
	listing_pool_rows(f, rows);
	return f->n_pools;
}

static bool
view_pools_match(void *ctx, uint32_t row, const char *filter)
{
	return listing_pool_match(&((struct app *)ctx)->conn.floor, row, filter);
}

static int
view_pools_cmp(void *ctx, uint32_t x, uint32_t y, int sort, bool desc)
{
	(void)sort;
	(void)desc;
	return listing_pool_compare(&((struct app *)ctx)->conn.floor, x, y);
}

static void
view_pools_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	proto_strlcpy(buf, ((struct app *)ctx)->conn.floor.pools[row].def.id, len - 1);
}

static const struct list_class view_pools_class = {
	.build = view_pools_build,
	.match = view_pools_match,
	.cmp = view_pools_cmp,
	.key = view_pools_key_of,
};

static uint64_t
view_pools_gen(struct app *a)
{
	return a->conn.floor.gen;
}

/* ------------------------------------------------------------ draw */

static void
view_pools_table_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                      enum theme_role *role)
{
	view_pools_cell(a, &((struct listing_pool *)a->cache[VIEW_POOLS])[row], col, buf, len, width);
	if (col == VP_OCC)
		*role = TR_SPARK;
}

static void
view_pools_draw(struct app *a, struct list *l, int y, int h, int w)
{
	struct draw_col cols[VP__COUNT];
	const struct draw_table table = {
		cols, VP__COUNT, false, view_pools_table_cell, NULL,
	};

	/* a pool id is typed into :move: never cut */
	memcpy(cols, view_pools_cols, sizeof cols);
	draw_col_fit(&cols[VP_ID], listing_pool_id_cols(&a->conn.floor));
	draw_table(a, l, &table, y, h, w);
}

/* Enter: that pool's agents. */
static bool
view_pools_key(struct app *a, int key)
{
	uint32_t row;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	if (list_current(view_list(a, VIEW_POOLS), &row))
		view_show_agents(a, "pool:", a->conn.floor.pools[row].def.id);
	return true;
}

const struct view view_pools = {
	.name = "Pools",
	.cls = &view_pools_class,
	.gen = view_pools_gen,
	.draw = view_pools_draw,
	.key = view_pools_key,
	.ncols = 0,
};
