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
	[VP_ID] = { "Pool", 12, FMT_LEFT, 100, false },
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

static uint32_t
view_pools_list(struct app *a, uint32_t **rows)
{
	const struct floor *f = &a->conn.floor;

	*rows = calloc(f->n_pools ? f->n_pools : 1, sizeof **rows);
	if (*rows == NULL)
		return 0;
	return listing_pools(f, a->list[VIEW_POOLS].filter, *rows);
}

static void
view_pools_draw(struct app *a, int y, int h, int w)
{
	const struct floor *f = &a->conn.floor;
	struct app_list *l = &a->list[VIEW_POOLS];
	int xs[VP__COUNT], ws[VP__COUNT];
	uint32_t *rows, n = view_pools_list(a, &rows);

	if (rows == NULL)
		return;
	draw_layout(view_pools_cols, VP__COUNT, w, xs, ws);
	draw_header(a, y, w, view_pools_cols, VP__COUNT, xs, ws, -1, false);
	draw_list_clamp(l, (int)n, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int idx = l->top + i;
		bool sel = idx == l->cursor;
		struct listing_pool r;

		if (idx >= (int)n) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		listing_pool_row(f, rows[idx], &r);
		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : TR_NORMAL);
		for (int c = 0; c < VP__COUNT; c++) {
			char buf[4096];
			if (ws[c] == 0)
				continue;
			view_pools_cell(a, &r, c, buf, sizeof buf, ws[c]);
			draw_fit(a, y + 1 + i, xs[c], ws[c],
			         sel ? TR_SELECTION : c == VP_OCC ? TR_SPARK : TR_NORMAL, buf,
			         view_pools_cols[c].align);
		}
	}
	free(rows);
}

/* Enter: that pool's agents. */
static bool
view_pools_key(struct app *a, int key)
{
	const struct app_list *l = &a->list[VIEW_POOLS];
	uint32_t *rows, n;

	if (key != '\n' && key != '\r' && key != KEY_ENTER)
		return false;
	n = view_pools_list(a, &rows);
	if (rows != NULL && l->cursor >= 0 && (uint32_t)l->cursor < n)
		view_show_agents(a, "pool:", a->conn.floor.pools[rows[l->cursor]].def.id);
	free(rows);
	return true;
}

static int
view_pools_rows(struct app *a)
{
	uint32_t *rows, n = view_pools_list(a, &rows);

	free(rows);
	return (int)n;
}

const struct view view_pools = {
	.name = "Pools",
	.draw = view_pools_draw,
	.key = view_pools_key,
	.rows = view_pools_rows,
	.ncols = 0,
};
