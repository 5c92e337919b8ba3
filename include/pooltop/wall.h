/*
 * wall: the wallboard — read-only, large figures for one tenant at a
 * time, rotating, coloured by threshold, with every tenant's service level
 * in a strip below; meant to run unattended for weeks.
 */
#ifndef POOLTOP_WALL_H
#define POOLTOP_WALL_H

#include <stddef.h>
#include <stdint.h>

#include "pooltop/app.h"
#include "pooltop/listing.h"

#define WALL_GLYPH_ROWS 5

/* The row-th line (0..4) of text in the big font; "" glyphs for
 * characters it lacks.  utf8 picks block glyphs over '#'. */
char *wall_big(char *buf, size_t len, const char *text, int row, bool utf8);
/* Columns the big text takes. */
int wall_big_width(const char *text);
/* The same at `scale` (each cell of the 3x5 font drawn scale x scale):
 * row is 0 .. 5 * scale - 1. */
#define WALL_SCALE_MAX 6
#define WALL_FIT_CHARS 5        /* a figure's glyphs the layout makes room for */
char *wall_big_at(char *buf, size_t len, const char *text, int row, int scale, bool utf8);
int wall_big_width_at(const char *text, int scale);
/* The largest scale whose two rows of figures fit a cols x rows screen. */
int wall_scale(int cols, int rows);

/* A rotation: the tenants to show in turn (only those named in ids when
 * n_ids > 0; ids not on the floor are left out), tenants below target
 * first, worst first, and again after every WALL_CYCLE_EVERY others.
 * rows: every tenant's row (listing_tenant_rows).  The count; out has
 * room for cap (2 * n_tenants is always enough). */
#define WALL_CYCLE_EVERY 2
uint32_t wall_cycle(const struct floor *f, const struct listing_tenant *rows,
                    const char (*ids)[PROTO_ID_MAX + 1], uint32_t n_ids, uint32_t *out, uint32_t cap);

void wall_draw(struct app *a);
/* The banner a wallboard shows while the feed is not LIVE: the state, the
 * wall-clock time its figures are from, and how long ago that was. */
char *wall_banner(char *buf, size_t len, const char *state, const char *at, int64_t age_s);
/* Once a second: rotate every opt.rotate_s seconds. */
void wall_tick(struct app *a);

#endif
