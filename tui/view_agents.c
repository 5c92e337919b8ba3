/*
 * Agents: everyone on the floor — pool, state, whom they serve, how long
 * in that state, handled this shift.  Sort by any column, filter on any
 * text, tag with space for a move.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pooltop/fmt.h"
#include "pooltop/listing.h"
#include "pooltop/move.h"
#include "pooltop/view.h"

static const struct draw_col view_agents_cols[] = {
	/* ids are typed into :move: sized to the longest (view_agents_draw)
	 * and among the last to go on a narrow screen */
	[LA_ID] = { "ID", 2, FMT_LEFT, 98, false, 0, false },
	[LA_NAME] = { "Name", 14, FMT_LEFT, 100, true, DRAW_NAME_COLS_MAX, false },
	[LA_POOL] = { "Pool", 27, FMT_LEFT, 95, false },   /* room for ", on loan until 20:00" */
	[LA_STATE] = { "State", 7, FMT_LEFT, 99, false },
	[LA_TENANT] = { "Serving", 7, FMT_LEFT, 80, false },
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
		snprintf(buf, len, "%s%s", list_tagged(&a->list[VIEW_AGENTS], ag->def.id) ? "*" : "",
		         ag->def.id);
		break;
	case LA_NAME:
		snprintf(buf, len, "%s", ag->def.name);
		break;
	case LA_POOL:
		if (ag->def.loan_until > 0) {
			/* lent: the server sends it home then (issue 12) */
			char when[8] = "?";
			time_t t = (time_t)(ag->def.loan_until / 1000);
			struct tm tm;

			if (localtime_r(&t, &tm))
				strftime(when, sizeof when, "%H:%M", &tm);
			snprintf(buf, len, "%s, on loan until %s", ag->def.pool, when);
		} else {
			snprintf(buf, len, "%s", ag->def.pool);
		}
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

/* ------------------------------------------------------------ rows */

static uint32_t
view_agents_build(void *ctx)
{
	return ((struct app *)ctx)->conn.floor.n_agents;
}

/* Offline agents are hidden unless shown with o, or asked for by a
 * filter on "offline": a shift's roster, not everyone ever hired. */
static bool
view_agents_shown(void *ctx, uint32_t row, const char *filter)
{
	struct app *a = ctx;
	const struct floor *f = &a->conn.floor;

	return a->agents_offline || row >= f->n_agents || f->agents[row].def.state != PROTO_AS_OFFLINE ||
	       (strlen(filter) >= 3 && fmt_match("offline", filter));
}

static bool
view_agents_match(void *ctx, uint32_t row, const char *filter)
{
	return view_agents_shown(ctx, row, filter) &&
	       listing_agent_match(&((struct app *)ctx)->conn.floor, row, filter);
}

uint32_t
view_agents_total(const struct app *a, uint32_t *offline)
{
	const struct floor *f = &a->conn.floor;

	*offline = 0;
	for (uint32_t i = 0; i < f->n_agents; i++)
		*offline += f->agents[i].def.state == PROTO_AS_OFFLINE;
	return f->n_agents;
}

static void
view_agents_sort(void *ctx, uint32_t *rows, uint32_t n, int sort, bool desc)
{
	struct app *a = ctx;

	listing_agents_order(&a->conn.floor, a->clock_ts, sort, desc, rows, n);
}

static void
view_agents_key_of(void *ctx, uint32_t row, char *buf, size_t len)
{
	proto_strlcpy(buf, ((struct app *)ctx)->conn.floor.agents[row].def.id, len - 1);
}

static const struct list_class view_agents_class = {
	.build = view_agents_build,
	.match = view_agents_match,
	.sort = view_agents_sort,
	.key = view_agents_key_of,
};

/* The order by time in state is the same at any clock: the floor alone. */
static uint64_t
view_agents_gen(struct app *a)
{
	return list_gen_mix(a->conn.floor.gen, a->agents_offline);
}

uint32_t
view_agents_selection(struct app *a, uint32_t *out, uint32_t max, bool cursor)
{
	const struct floor *f = &a->conn.floor;
	const struct list_tags *t = &a->list[VIEW_AGENTS].tags;
	uint32_t n = 0, row;

	/* Tags name agents by id: one gone from the floor is skipped. */
	for (uint32_t i = 0; i < t->n && n < max; i++) {
		int ag = floor_agent_find(f, t->keys[i]);

		if (ag >= 0)
			out[n++] = (uint32_t)ag;
	}
	if (n == 0 && cursor && max > 0 && list_current(view_list(a, VIEW_AGENTS), &row))
		out[n++] = row;
	return n;
}

/* ------------------------------------------------------------ draw */

static enum theme_role
view_agents_row_role(struct app *a, uint32_t row)
{
	return list_tagged(&a->list[VIEW_AGENTS], a->conn.floor.agents[row].def.id) ? TR_TAGGED
	                                                                             : TR_NORMAL;
}

static void
view_agents_table_cell(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
                       enum theme_role *role)
{
	(void)width;
	view_agents_cell(a, row, col, buf, len);
	if (col == LA_STATE && *role != TR_TAGGED)
		*role = view_agents_state_role(buf);
}

static void
view_agents_draw(struct app *a, struct list *l, int y, int h, int w)
{
	struct draw_col cols[VIEW_AGENTS_NCOLS];
	const struct draw_table table = {
		cols, VIEW_AGENTS_NCOLS, true, view_agents_table_cell, view_agents_row_role,
	};
	const struct floor *f = &a->conn.floor;

	/* Whole ids at any width: the columns are as wide as the longest id
	 * on the floor (the agent's with room for the tag mark). */
	memcpy(cols, view_agents_cols, sizeof cols);
	draw_col_fit(&cols[LA_ID], listing_agent_id_cols(f) + 1);
	draw_col_fit(&cols[LA_POOL], listing_pool_id_cols(f));
	draw_col_fit(&cols[LA_TENANT], listing_tenant_id_cols(f));
	draw_table(a, l, &table, y, h, w);
}

/* space: tag or untag the agent under the cursor and step down. */
static bool
view_agents_key(struct app *a, int key)
{
	struct list *l;
	uint32_t row;

	if (key == 'o') {
		uint32_t off;

		a->agents_offline = !a->agents_offline;
		view_agents_total(a, &off);
		msg_show(&a->msg, false, "%s offline agents (%u)", a->agents_offline ? "showing" : "hiding", off);
		a->dirty = true;
		return true;
	}
	if (key != ' ')
		return false;
	l = view_list(a, VIEW_AGENTS);
	if (list_current(l, &row)) {
		if (!list_tag_toggle(l, a->conn.floor.agents[row].def.id))
			msg_show(&a->msg, true, "no memory for another tag");
		view_move(a, VIEW_AGENTS, 1);
	}
	return true;
}

const struct view view_agents = {
	.name = "Agents",
	.cls = &view_agents_class,
	.gen = view_agents_gen,
	.draw = view_agents_draw,
	.key = view_agents_key,
	.ncols = LA__COUNT,
};
