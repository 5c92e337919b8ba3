/*
 * box: a dialog's frame.  The theme's `border` role draws the edge, the
 * `dialog` role fills every cell inside, so nothing of the view shows
 * through and a dialog never looks like a corrupted list.
 */
#ifndef POOLTOP_BOX_H
#define POOLTOP_BOX_H

#include "pooltop/app.h"

/* A box at (y, x) of h rows and w columns with `title` in its top edge;
 * the inside is rows y+1 .. y+h-2, columns x+1 .. x+w-2. */
void box_draw(struct app *a, int y, int x, int h, int w, const char *title);

/* `text` word-wrapped into the box's inside from row y, at most `max`
 * rows, continuation lines indented by `indent`; the rows it took. */
int box_text(struct app *a, int y, int x, int w, int max, int indent, enum theme_role role, const char *text);

#endif
