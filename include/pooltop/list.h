/*
 * list: the one list engine behind every dashboard list (tmux's
 * mode-tree.c).  It owns the cursor, the scroll, the filter, the sort,
 * the tags and the rows as they are shown; a view is only its class:
 * how many rows there are, whether one matches a filter, how two
 * compare, and what a row's identity is.
 *
 * Rows are cached and rebuilt only when the source's generation (a
 * number the view derives from what it shows, e.g. the floor's gen) or
 * the list's settings (sort, direction, filter) change — never because
 * of a draw or a key.  The cursor and the tags hold row identities
 * (tenant id, agent id, event seq...), not positions: when rows re-sort
 * under it, the cursor stays on the same row.
 */
#ifndef POOLTOP_LIST_H
#define POOLTOP_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LIST_KEY_MAX 96          /* a row identity, NUL included */
#define LIST_FILTER_MAX 64

/*
 * A view's rows are handles 0..n-1 of its own choosing (a tenant index,
 * the i-th newest event...), valid from one build to the next.
 */
struct list_class {
	/* Refresh whatever the view derives from its source, and say how
	 * many rows there are. */
	uint32_t (*build)(void *ctx);
	/* Row matches the (non-empty) filter; NULL: every row does. */
	bool (*match)(void *ctx, uint32_t row, const char *filter);
	/* Order of two rows by column `sort`; NULL: build order.  Must be a
	 * total order (end on the identity) so a list never flickers. */
	int (*cmp)(void *ctx, uint32_t a, uint32_t b, int sort, bool desc);
	/* Optional, in place of cmp: sort rows[0..n) at once (a view with
	 * 100 000 rows saves a call per comparison). */
	void (*sort)(void *ctx, uint32_t *rows, uint32_t n, int sort, bool desc);
	/* The row's identity, unique in the list. */
	void (*key)(void *ctx, uint32_t row, char *buf, size_t len);
};

struct list_tags {
	char (*keys)[LIST_KEY_MAX];
	uint32_t n, cap;
};

struct list {
	/* settings: a change rebuilds the rows */
	int sort;
	bool desc;
	char filter[LIST_FILTER_MAX + 1];
	bool match_empty;            /* match is asked with "" too: the view
	                                leaves some rows out by itself (the
	                                Agents view's offline agents) */

	/* position */
	int cursor;                  /* index into rows */
	int top;                     /* first row on screen */
	char cur_key[LIST_KEY_MAX];  /* identity under the cursor ("" none) */
	bool keep_position;          /* a live feed: the cursor keeps its place,
	                                not its row, as new rows come in */

	/* the rows as shown: filtered and sorted */
	uint32_t *rows;
	uint32_t n, cap;

	/* what the rows were built from */
	bool built;
	uint64_t built_gen;
	int built_sort;
	bool built_desc;
	char built_filter[LIST_FILTER_MAX + 1];
	uint64_t builds;             /* how many times the rows were built */
	uint64_t built_shape;        /* list_sync_held: what the handles index */
	int64_t built_ms;            /* list_sync_held: when */

	struct list_tags tags;
};

/* Rebuild the rows if gen or a setting changed since the last build,
 * then put the cursor back on the row it was on (by identity); a row
 * that is gone leaves the cursor at the same position.  0, or -1 on no
 * memory (the old rows stay). */
int list_sync(struct list *l, const struct list_class *c, void *ctx, uint64_t gen);
/*
 * list_sync, with a change of gen alone held back until hold_ms after
 * the last build: on a live floor every event changes gen, and a key
 * pressed between two frames need not rebuild what the next frame will.
 * A change of settings or of shape (what the row handles index: a new
 * floor, another count of rows) rebuilds at once, so a handle never
 * outlives what it points into.
 */
int list_sync_held(struct list *l, const struct list_class *c, void *ctx, uint64_t gen, uint64_t shape,
                   int64_t now_ms, int hold_ms);
/* The next sync rebuilds whatever gen says. */
void list_invalidate(struct list *l);

/* Move the cursor by delta rows (clamped), and remember the identity. */
void list_move(struct list *l, const struct list_class *c, void *ctx, int delta);
/* The row handle under the cursor; false when the list is empty. */
bool list_current(const struct list *l, uint32_t *row);
/* Keep the cursor inside the rows and on screen in h rows. */
void list_scroll(struct list *l, int h);

/* Set the filter (cut to LIST_FILTER_MAX bytes on a character boundary). */
void list_set_filter(struct list *l, const char *filter);

/* Tags, by identity: a filter change hides tagged rows but keeps them. */
bool list_tagged(const struct list *l, const char *key);
/* Toggle; false when there was no memory to add it. */
bool list_tag_toggle(struct list *l, const char *key);
void list_tags_clear(struct list *l);

void list_free(struct list *l);

/* In-place sort of row handles (heapsort: no recursion, a context
 * pointer, O(n log n) on 100 000 agents).  cmp must be a total order. */
void list_sort(uint32_t *v, uint32_t n, int (*cmp)(uint32_t a, uint32_t b, void *ctx), void *ctx);

/* FNV-1a style mixing of a generation with another number, for views
 * whose rows depend on more than one source. */
uint64_t list_gen_mix(uint64_t gen, uint64_t v);

#endif
