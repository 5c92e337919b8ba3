/*
 * Agents: everyone on the floor — pool, state, whom they serve, how long
 * in that state, handled this shift.  Sort by any column, filter on any
 * text, tag with space for a move.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/move.h"
#include "pooltop/view.h"

static const struct draw_col view_agents_cols[] = {
	[LA_ID] = { "ID", 8, FMT_LEFT, 90, false },
	[LA_NAME] = { "Name", 14, FMT_LEFT, 100, true },
	[LA_POOL] = { "Pool", 14, FMT_LEFT, 95, false },
	[LA_STATE] = { "State", 7, FMT_LEFT, 99, false },
	[LA_TENANT] = { "Serving", 12, FMT_LEFT, 80, false },
	[LA_TIME] = { "Time", 8, FMT_RIGHT, 85, false },
	[LA_HANDLED] = { "Handled", 7, FMT_RIGHT, 70, false },
};
#define VIEW_AGENTS_NCOLS ((int)(sizeof view_agents_cols / sizeof view_agents_cols[0]))

static enum theme_role
view_agents_state_role(const char *state)
{
	if (strcmp(state, "moving") == 0 || strcmp(state, "pending") == 0)
		return TR_WARN;
	if (strcmp(state, "offline") == 0 || strcmp(state, "break") == 0)
		return TR_DIM;
	if (strcmp(state, "idle") == 0)
		return TR_OK;
	return TR_NORMAL;
}

static void
view_agents_cell(struct app *a, uint32_t i, int col, char *buf, size_t len)
{
	const struct floor *f = &a->conn.floor;
	const struct floor_agent *ag = &f->agents[i];

	switch (col) {
	case LA_ID:
		snprintf(buf, len, "%s%s", a->tagged && a->tagged[i] ? "*" : "", ag->def.id);
		break;
	case LA_NAME:
		snprintf(buf, len, "%s", ag->def.name);
		break;
	case LA_POOL:
		snprintf(buf, len, "%s", ag->def.pool);
		break;
	case LA_STATE:
		/* Sent but not yet confirmed by its agent.moved event. */
		if (move_book_is_pending(&a->moves, ag->def.id))
			snprintf(buf, len, "pending");
		else
			snprintf(buf, len, "%s", listing_agent_state(f, i));
		break;
	case LA_TENANT:
		snprintf(buf, len, "%s", ag->serving >= 0 ? f->tenants[ag->serving].def.id : "");
		break;
	case LA_TIME:
		fmt_duration(buf, len, a->clock_ts - ag->def.since_ts);
		break;
	case LA_HANDLED:
		snprintf(buf, len, "%u", ag->handled);
		break;
	default:
		buf[0] = '\0';
	}
}

static uint32_t
view_agents_list(struct app *a, uint32_t **rows)
{
	const struct floor *f = &a->conn.floor;
	const struct app_list *l = &a->list[VIEW_AGENTS];

	*rows = calloc(f->n_agents ? f->n_agents : 1, sizeof **rows);
	if (*rows == NULL)
		return 0;
	return listing_agents(f, a->clock_ts, l->sort, l->desc, l->filter, *rows);
}

static void
view_agents_draw(struct app *a, int y, int h, int w)
{
	struct app_list *l = &a->list[VIEW_AGENTS];
	int xs[VIEW_AGENTS_NCOLS], ws[VIEW_AGENTS_NCOLS];
	uint32_t *rows, n = view_agents_list(a, &rows);

	if (rows == NULL)
		return;
	draw_layout(view_agents_cols, VIEW_AGENTS_NCOLS, w, xs, ws);
	draw_header(a, y, w, view_agents_cols, VIEW_AGENTS_NCOLS, xs, ws, l->sort, l->desc);
	draw_list_clamp(l, (int)n, h - 1);
	for (int i = 0; i < h - 1; i++) {
		int idx = l->top + i;
		bool sel = idx == l->cursor, tag;

		if (idx >= (int)n) {
			draw_fill(a, y + 1 + i, 0, w, TR_NORMAL);
			continue;
		}
		tag = a->tagged && a->tagged[rows[idx]];
		draw_fill(a, y + 1 + i, 0, w, sel ? TR_SELECTION : tag ? TR_TAGGED : TR_NORMAL);
		for (int c = 0; c < VIEW_AGENTS_NCOLS; c++) {
			char buf[256];
			enum theme_role role = tag ? TR_TAGGED : TR_NORMAL;

			if (ws[c] == 0)
				continue;
			view_agents_cell(a, rows[idx], c, buf, sizeof buf);
			if (c == LA_STATE && !tag)
				role = view_agents_state_role(buf);
			draw_fit(a, y + 1 + i, xs[c], ws[c], sel ? TR_SELECTION : role, buf,
			         view_agents_cols[c].align);
		}
	}
	free(rows);
}

/* space: tag or untag the agent under the cursor and step down. */
static bool
view_agents_key(struct app *a, int key)
{
	struct app_list *l = &a->list[VIEW_AGENTS];
	uint32_t *rows, n;

	if (key != ' ')
		return false;
	n = view_agents_list(a, &rows);
	if (rows != NULL && l->cursor >= 0 && (uint32_t)l->cursor < n && a->tagged) {
		a->tagged[rows[l->cursor]] = !a->tagged[rows[l->cursor]];
		l->cursor++;
		a->dirty = true;
	}
	free(rows);
	return true;
}

static int
view_agents_rows(struct app *a)
{
	uint32_t *rows, n = view_agents_list(a, &rows);

	free(rows);
	return (int)n;
}

const struct view view_agents = {
	.name = "Agents",
	.draw = view_agents_draw,
	.key = view_agents_key,
	.rows = view_agents_rows,
	.ncols = LA__COUNT,
};
