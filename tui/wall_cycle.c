/*
 * wall_cycle: which tenants a wallboard rotation shows, in what order.
 * A wall is read in passing: the tenants below target must be on it the
 * moment someone looks, so they lead the rotation and come back between
 * the others.  Pure: the floor replica and rows in, indices out.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/wall.h"

static bool
wall_cycle_below(const struct listing_tenant *r)
{
	return r->level == STATS_WARN || r->level == STATS_CRIT;
}

/* Worst service level first among tenants below target. */
static void
wall_cycle_sort(const struct listing_tenant *rows, uint32_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t x = v[i], j = i;
		while (j > 0 && rows[v[j - 1]].stats.service_level > rows[x].stats.service_level) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

uint32_t
wall_cycle(const struct floor *f, const struct listing_tenant *rows, const char (*ids)[PROTO_ID_MAX + 1],
           uint32_t n_ids, uint32_t *out, uint32_t cap)
{
	uint32_t n = 0, nb = 0, no = 0, bi = 0;
	uint32_t *below, *ok;

	if (f->n_tenants == 0 || cap == 0)
		return 0;
	below = malloc(sizeof *below * f->n_tenants);
	ok = malloc(sizeof *ok * f->n_tenants);
	if (below == NULL || ok == NULL) {
		free(below);
		free(ok);
		return 0;
	}
	for (uint32_t t = 0; t < f->n_tenants; t++) {
		bool wanted = n_ids == 0;
		for (uint32_t i = 0; i < n_ids && !wanted; i++)
			wanted = strcmp(ids[i], f->tenants[t].def.id) == 0;
		if (!wanted)
			continue;
		if (wall_cycle_below(&rows[t]))
			below[nb++] = t;
		else
			ok[no++] = t;
	}
	wall_cycle_sort(rows, below, nb);
	for (uint32_t i = 0; i < nb && n < cap; i++)
		out[n++] = below[i];
	/* Then the others, one below-target tenant again after every
	 * WALL_CYCLE_EVERY of them (not after the last: the cycle starts
	 * over with them anyway). */
	for (uint32_t i = 0; i < no && n < cap; i++) {
		out[n++] = ok[i];
		if (nb > 0 && (i + 1) % WALL_CYCLE_EVERY == 0 && i + 1 < no && n < cap)
			out[n++] = below[bi++ % nb];
	}
	free(below);
	free(ok);
	return n;
}
