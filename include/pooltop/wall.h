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

#define WALL_GLYPH_ROWS 5

/* The row-th line (0..4) of text in the big font; "" glyphs for
 * characters it lacks.  utf8 picks block glyphs over '#'. */
char *wall_big(char *buf, size_t len, const char *text, int row, bool utf8);
/* Columns the big text takes. */
int wall_big_width(const char *text);

void wall_draw(struct app *a);
/* The banner a wallboard shows while the feed is not LIVE: the state, the
 * wall-clock time its figures are from, and how long ago that was. */
char *wall_banner(char *buf, size_t len, const char *state, const char *at, int64_t age_s);
/* Once a second: rotate every opt.rotate_s seconds. */
void wall_tick(struct app *a);

#endif
