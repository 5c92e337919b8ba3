/*
 * view: one screen of the dashboard per file (ncdu's layout), each a
 * struct of functions (tmux's window modes): draw the body into the rows
 * between the title line and the status line, and take the keys the
 * global key table does not.
 */
#ifndef POOLTOP_VIEW_H
#define POOLTOP_VIEW_H

#include <stdbool.h>

#include "pooltop/app.h"

struct view {
	const char *name;        /* tab label */
	/* Paint rows [y, y + h) x [0, w). */
	void (*draw)(struct app *a, int y, int h, int w);
	/* A key not taken by the global table; true if used. */
	bool (*key)(struct app *a, int key);
	/* Rows in the list now (for cursor movement), after filtering. */
	int (*rows)(struct app *a);
	int ncols;               /* sortable columns (0: the view does not sort) */
};

extern const struct view view_floor;
extern const struct view view_agents;
extern const struct view view_pools;
extern const struct view view_events;
extern const struct view view_audit;
extern const struct view view_shifts;
extern const struct view view_staffing;

const struct view *view_get(enum app_view_id id);
/* Switch to Agents showing exactly one pool's or tenant's agents
 * (kind "pool:" or "tenant:"). */
void view_show_agents(struct app *a, const char *kind, const char *id);

/* Shared drawing helpers (tui/draw.c). */
void draw_text(struct app *a, int y, int x, int cols, enum theme_role role, const char *s);
void draw_fit(struct app *a, int y, int x, int cols, enum theme_role role, const char *s,
              int align);
void draw_fill(struct app *a, int y, int x, int cols, enum theme_role role);
/* Keep cursor and top inside [0, n) and the cursor on screen in h rows. */
void draw_list_clamp(struct app_list *l, int n, int h);

/* A list column: fixed width unless flex (takes what is left, at least
 * `width`); when the screen is narrow the lowest `prio` go first. */
struct draw_col {
	const char *title;
	int width;
	int align;               /* FMT_LEFT / FMT_RIGHT */
	int prio;
	bool flex;
};
/* Place n columns in w cells: xs/ws per column, ws 0 when hidden. */
void draw_layout(const struct draw_col *c, int n, int w, int *xs, int *ws);
/* The header row, marking the sort column with an arrow. */
void draw_header(struct app *a, int y, int w, const struct draw_col *c, int n, const int *xs,
                 const int *ws, int sort, bool desc);

#endif
