/*
 * view: one screen of the dashboard per file (ncdu's layout), each a
 * struct of functions (tmux's window modes): its list class (rows,
 * filter, order, identity: the list engine does the rest), the
 * generation its rows are built from, a draw of the body between the
 * title line and the status line, and the keys the global table does
 * not take.
 */
#ifndef POOLTOP_VIEW_H
#define POOLTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/app.h"
#include "pooltop/stats.h"

struct view {
	const char *name;        /* tab label */
	const struct list_class *cls;   /* ctx: the struct app */
	/* What the rows are built from: a change rebuilds them. */
	uint64_t (*gen)(struct app *a);
	/* Paint rows [y, y + h) x [0, w) from l (synced). */
	void (*draw)(struct app *a, struct list *l, int y, int h, int w);
	/* A key not taken by the global table; true if used (NULL: none). */
	bool (*key)(struct app *a, int key);
	/* Free what the view keeps in a->cache; NULL: nothing. */
	void (*done)(struct app *a);
	int ncols;               /* sortable columns (0: the view does not sort) */
};

extern const struct view view_floor;
extern const struct view view_agents;
extern const struct view view_pools;
extern const struct view view_events;
extern const struct view view_audit;
extern const struct view view_shifts;
extern const struct view view_staffing;
extern const struct view view_tenant;

const struct view *view_get(enum app_view_id id);
/* The tab a view is shown under: its own, or Floor for the tenant page. */
enum app_view_id view_tab(enum app_view_id id);
/* View id's list, its rows brought up to date (rebuilt only on change). */
struct list *view_list(struct app *a, enum app_view_id id);
/* Move the view's cursor by delta rows. */
void view_move(struct app *a, enum app_view_id id, int delta);
/* The agents a move is for: the tagged ones (by id), else, with cursor,
 * the one under the Agents cursor.  Floor indexes; returns how many. */
/* Agents on the floor, and how many of them are offline (hidden from
 * the Agents view unless shown with o). */
uint32_t view_agents_total(const struct app *a, uint32_t *offline);
uint32_t view_agents_selection(struct app *a, uint32_t *out, uint32_t max, bool cursor);
/* a->cache[id] as an array of n elements of `size` bytes, for a view's
 * figures per row (freed with the view); NULL on no memory. */
void *view_cache_rows(struct app *a, enum app_view_id id, uint32_t n, size_t size);
/* Free every view's list and cache (done, then a->cache[id] itself). */
void view_free_all(struct app *a);
/* Switch to Agents showing exactly one pool's or tenant's agents
 * (kind "pool:" or "tenant:"). */
void view_show_agents(struct app *a, const char *kind, const char *id);
/* Open the tenant page of tenant id (tui/view_tenant.c). */
void view_tenant_open(struct app *a, const char *id);
/* The agent under the tenant page's cursor as a move's selection: 1 (in
 * out[0]) or 0 when the page lists nobody. */
uint32_t view_tenant_selection(struct app *a, uint32_t *out, uint32_t max);

/* Shared drawing helpers (tui/draw.c). */
/* A service level against its target: met is green; missed is red, however
 * near (a missed target is not a warning); nothing to judge yet is dim. */
enum theme_role draw_sl_role(enum stats_level l);
/* A wait against the tenant's SL seconds (listing_oldest_level): amber
 * from half of them, red past them, plain before. */
enum theme_role draw_wait_role(enum stats_level l);
/* Widest a name column grows on a wide screen: the spare room is worth
 * more to a chart than to blanks after a name. */
#define DRAW_NAME_COLS_MAX 32
/* An AHT, followed by "(n)" when it rests on fewer than
 * STATS_AHT_MIN_HANDLED contacts: "1m05 (3)". */
char *draw_aht(char *buf, size_t len, double aht_s, uint64_t handled);
void draw_text(struct app *a, int y, int x, int cols, enum theme_role role, const char *s);
void draw_fit(struct app *a, int y, int x, int cols, enum theme_role role, const char *s,
              int align);
void draw_fill(struct app *a, int y, int x, int cols, enum theme_role role);
/* prefix and a line being edited, its cursor shown. */
void draw_edit(struct app *a, int y, int x, int cols, const char *prefix, const struct lineedit *le);

/* A list column: fixed width unless flex or grow; when the screen is
 * narrow the lowest `prio` go first (never a flex column).  What is left
 * on a wide screen goes to the flex columns first, then to the grow
 * ones, each up to its `max`: a name stops at a readable width and a
 * chart takes the rest, rather than a name running across the screen. */
struct draw_col {
	const char *title;
	int width;               /* the least it is drawn at */
	int align;               /* FMT_LEFT / FMT_RIGHT */
	int prio;
	bool flex;               /* never dropped; takes spare room first */
	int max;                 /* widest a flex or grow column gets (0: no limit) */
	bool grow;               /* dropped like a fixed column; takes the room
	                            the flex columns leave */
};
/* A table of rows from a list: columns, and each cell's text and role. */
struct draw_table {
	const struct draw_col *cols;
	int ncols;
	bool sorted;             /* the header marks the list's sort column */
	/* Text of a cell `width` wide; *role starts as the row's own. */
	void (*cell)(struct app *a, uint32_t row, int col, char *buf, size_t len, int width,
	             enum theme_role *role);
	/* The row's role (NULL: normal); the cursor's row is a selection. */
	enum theme_role (*row_role)(struct app *a, uint32_t row);
};
/* Header on row y, then the list's rows on the h - 1 rows below. */
void draw_table(struct app *a, struct list *l, const struct draw_table *t, int y, int h, int w);

/* Widen c to at least `cols` columns (what its widest cell needs). */
void draw_col_fit(struct draw_col *c, int cols);
/* Place n columns in w cells: xs/ws per column, ws 0 when hidden. */
void draw_layout(const struct draw_col *c, int n, int w, int *xs, int *ws);
/* The header row, marking the sort column with an arrow. */
void draw_header(struct app *a, int y, int w, const struct draw_col *c, int n, const int *xs,
                 const int *ws, int sort, bool desc);

#endif
