/*
 * The list engine: cached rows, rebuilt only on change, with a cursor
 * and tags that follow row identities.
 */
#include <stdlib.h>
#include <string.h>

#include "pooltop/list.h"
#include "pooltop/proto.h"

/* ------------------------------------------------------------ sort */

static void
list_sift(uint32_t *v, uint32_t root, uint32_t n, int (*cmp)(uint32_t, uint32_t, void *), void *ctx)
{
	for (;;) {
		uint64_t child = 2 * (uint64_t)root + 1;
		uint32_t tmp;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(v[child], v[child + 1], ctx) < 0)
			child++;
		if (cmp(v[root], v[child], ctx) >= 0)
			return;
		tmp = v[root];
		v[root] = v[child];
		v[child] = tmp;
		root = (uint32_t)child;
	}
}

void
list_sort(uint32_t *v, uint32_t n, int (*cmp)(uint32_t a, uint32_t b, void *ctx), void *ctx)
{
	for (uint32_t i = n / 2; i-- > 0;)
		list_sift(v, i, n, cmp, ctx);
	for (uint32_t end = n; end-- > 1;) {
		uint32_t tmp = v[0];

		v[0] = v[end];
		v[end] = tmp;
		list_sift(v, 0, end, cmp, ctx);
	}
}

uint64_t
list_gen_mix(uint64_t gen, uint64_t v)
{
	/* splitmix64's finaliser over the pair: two sources that change
	 * independently never cancel out the way a plain sum could. */
	uint64_t z = gen ^ (v + UINT64_C(0x9E3779B97F4A7C15) + (gen << 6) + (gen >> 2));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* ------------------------------------------------------------ rows */

struct list_sort_ctx {
	const struct list_class *c;
	void *ctx;
	int sort;
	bool desc;
};

static int
list_cmp(uint32_t a, uint32_t b, void *vctx)
{
	const struct list_sort_ctx *s = vctx;

	return s->c->cmp(s->ctx, a, b, s->sort, s->desc);
}

static bool
list_stale(const struct list *l, uint64_t gen)
{
	return !l->built || l->built_gen != gen || l->built_sort != l->sort ||
	       l->built_desc != l->desc || strcmp(l->built_filter, l->filter) != 0;
}

static int
list_build(struct list *l, const struct list_class *c, void *ctx)
{
	uint32_t n = c->build(ctx), k = 0;

	if (n > l->cap) {
		uint32_t *rows = realloc(l->rows, (size_t)n * sizeof *rows);

		if (rows == NULL)
			return -1;
		l->rows = rows;
		l->cap = n;
	}
	for (uint32_t i = 0; i < n; i++)
		if ((!l->filter[0] && !l->match_empty) || c->match == NULL || c->match(ctx, i, l->filter))
			l->rows[k++] = i;
	l->n = k;
	if (c->sort) {
		c->sort(ctx, l->rows, l->n, l->sort, l->desc);
	} else if (c->cmp) {
		struct list_sort_ctx s = { c, ctx, l->sort, l->desc };

		list_sort(l->rows, l->n, list_cmp, &s);
	}
	l->builds++;
	return 0;
}

/* The cursor goes back to its row; failing that it keeps its place. */
static void
list_follow(struct list *l, const struct list_class *c, void *ctx)
{
	char key[LIST_KEY_MAX];

	if (l->cur_key[0] && l->n > 0 && !l->keep_position) {
		/* Most rebuilds leave the row where it was: look there first. */
		if (l->cursor >= 0 && (uint32_t)l->cursor < l->n) {
			c->key(ctx, l->rows[l->cursor], key, sizeof key);
			if (strcmp(key, l->cur_key) == 0)
				return;
		}
		for (uint32_t i = 0; i < l->n; i++) {
			c->key(ctx, l->rows[i], key, sizeof key);
			if (strcmp(key, l->cur_key) == 0) {
				l->cursor = (int)i;
				return;
			}
		}
	}
	list_move(l, c, ctx, 0);
}

int
list_sync(struct list *l, const struct list_class *c, void *ctx, uint64_t gen)
{
	if (!list_stale(l, gen))
		return 0;
	if (list_build(l, c, ctx) < 0)
		return -1;
	l->built = true;
	l->built_gen = gen;
	l->built_sort = l->sort;
	l->built_desc = l->desc;
	memcpy(l->built_filter, l->filter, sizeof l->built_filter);
	list_follow(l, c, ctx);
	return 0;
}

int
list_sync_held(struct list *l, const struct list_class *c, void *ctx, uint64_t gen, uint64_t shape,
                int64_t now_ms, int hold_ms)
{
	if (l->built && shape == l->built_shape && now_ms - l->built_ms < hold_ms &&
	    !list_stale(l, l->built_gen))
		return 0;
	if (!list_stale(l, gen))
		return 0;
	if (list_sync(l, c, ctx, gen) < 0)
		return -1;
	l->built_shape = shape;
	l->built_ms = now_ms;
	return 0;
}

void
list_invalidate(struct list *l)
{
	l->built = false;
}

void
list_move(struct list *l, const struct list_class *c, void *ctx, int delta)
{
	long cur = (long)l->cursor + delta;

	if (cur >= (long)l->n)
		cur = (long)l->n - 1;
	if (cur < 0)
		cur = 0;
	l->cursor = (int)cur;
	if (l->n == 0)
		l->cur_key[0] = '\0';
	else
		c->key(ctx, l->rows[l->cursor], l->cur_key, sizeof l->cur_key);
}

bool
list_current(const struct list *l, uint32_t *row)
{
	if (l->cursor < 0 || (uint32_t)l->cursor >= l->n)
		return false;
	*row = l->rows[l->cursor];
	return true;
}

void
list_scroll(struct list *l, int h)
{
	int n = (int)l->n;

	if (l->cursor >= n)
		l->cursor = n - 1;
	if (l->cursor < 0)
		l->cursor = 0;
	if (h < 1)
		h = 1;
	if (l->top > l->cursor)
		l->top = l->cursor;
	if (l->cursor >= l->top + h)
		l->top = l->cursor - h + 1;
	if (l->top > n - h)
		l->top = n - h;
	if (l->top < 0)
		l->top = 0;
}

void
list_set_filter(struct list *l, const char *filter)
{
	proto_strlcpy(l->filter, filter ? filter : "", LIST_FILTER_MAX);
}

/* ------------------------------------------------------------ tags */

static int
list_tag_find(const struct list *l, const char *key)
{
	for (uint32_t i = 0; i < l->tags.n; i++)
		if (strcmp(l->tags.keys[i], key) == 0)
			return (int)i;
	return -1;
}

bool
list_tagged(const struct list *l, const char *key)
{
	return l->tags.n > 0 && list_tag_find(l, key) >= 0;
}

bool
list_tag_toggle(struct list *l, const char *key)
{
	int i = list_tag_find(l, key);

	if (i >= 0) {
		/* The last tag takes its place: tags have no order. */
		if ((uint32_t)i != l->tags.n - 1)
			memcpy(l->tags.keys[i], l->tags.keys[l->tags.n - 1], LIST_KEY_MAX);
		l->tags.n--;
		return true;
	}
	if (l->tags.n == l->tags.cap) {
		uint32_t cap = l->tags.cap ? l->tags.cap * 2 : 16;
		char (*keys)[LIST_KEY_MAX] = realloc(l->tags.keys, (size_t)cap * sizeof *keys);

		if (keys == NULL)
			return false;
		l->tags.keys = keys;
		l->tags.cap = cap;
	}
	proto_strlcpy(l->tags.keys[l->tags.n++], key, LIST_KEY_MAX - 1);
	return true;
}

void
list_tags_clear(struct list *l)
{
	l->tags.n = 0;
}

void
list_free(struct list *l)
{
	free(l->rows);
	free(l->tags.keys);
	l->rows = NULL;
	l->tags.keys = NULL;
	l->n = l->cap = 0;
	l->tags.n = l->tags.cap = 0;
	l->built = false;
}
