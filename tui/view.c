/* The views, in tab order, and their lists. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "pooltop/view.h"

const struct view *
view_get(enum app_view_id id)
{
	static const struct view *const views[VIEW__COUNT] = {
		[VIEW_FLOOR] = &view_floor,
		[VIEW_AGENTS] = &view_agents,
		[VIEW_POOLS] = &view_pools,
		[VIEW_EVENTS] = &view_events,
		[VIEW_AUDIT] = &view_audit,
		[VIEW_SHIFTS] = &view_shifts,
		[VIEW_STAFFING] = &view_staffing,
		[VIEW_TENANT] = &view_tenant,
	};

	return (unsigned)id < VIEW__COUNT ? views[id] : views[VIEW_FLOOR];
}

enum app_view_id
view_tab(enum app_view_id id)
{
	return id == VIEW_TENANT ? VIEW_FLOOR : id;
}

/* What row handles index into: while it stands, a handle from the last
 * build still names a row that exists. */
static uint64_t
view_shape(const struct app *a)
{
	const struct floor *f = &a->conn.floor;
	uint64_t s = list_gen_mix(f->epoch, f->n_tenants);

	s = list_gen_mix(list_gen_mix(s, f->n_pools), f->n_agents);
	return list_gen_mix(list_gen_mix(s, a->log.count), a->audit.n);
}

struct list *
view_list(struct app *a, enum app_view_id id)
{
	const struct view *v = view_get(id);
	struct list *l = &a->list[(unsigned)id < VIEW__COUNT ? id : VIEW_FLOOR];

	/* Rows follow the floor at the frame rate, not the key rate: a key
	 * between two frames reuses the rows on screen. */
	list_sync_held(l, v->cls, a, v->gen(a), view_shape(a), conn_mono_ms(), a->opt.refresh_ms);
	return l;
}

void
view_move(struct app *a, enum app_view_id id, int delta)
{
	list_move(view_list(a, id), view_get(id)->cls, a, delta);
	a->dirty = true;
}

void
view_free_all(struct app *a)
{
	for (int v = 0; v < VIEW__COUNT; v++) {
		const struct view *vw = view_get((enum app_view_id)v);

		if (vw->done)
			vw->done(a);
		free(a->cache[v]);
		a->cache[v] = NULL;
		list_free(&a->list[v]);
	}
}

void *
view_cache_rows(struct app *a, enum app_view_id id, uint32_t n, size_t size)
{
	/* Sized to the rows each build: realloc keeps the block when the
	 * size has not changed, which is every build of the same floor. */
	void *p = realloc(a->cache[id], (n ? n : 1) * size);

	if (p != NULL)
		a->cache[id] = p;
	return p;
}

void
view_show_agents(struct app *a, const char *kind, const char *id)
{
	struct list *l = &a->list[VIEW_AGENTS];
	char filter[LIST_FILTER_MAX + 1];

	snprintf(filter, sizeof filter, "%s%s", kind, id);
	list_set_filter(l, filter);
	l->cursor = 0;
	l->top = 0;
	l->cur_key[0] = '\0';
	a->view = VIEW_AGENTS;
	a->dirty = true;
}
