/* The views, in tab order. */
#include <stddef.h>
#include <stdio.h>

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
	};

	return (unsigned)id < VIEW__COUNT ? views[id] : views[VIEW_FLOOR];
}

void
view_show_agents(struct app *a, const char *kind, const char *id)
{
	struct app_list *l = &a->list[VIEW_AGENTS];

	snprintf(l->filter, sizeof l->filter, "%s%s", kind, id);
	l->cursor = 0;
	l->top = 0;
	a->view = VIEW_AGENTS;
	a->dirty = true;
}
