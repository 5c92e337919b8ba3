/*
 * crt: the terminal — ncurses setup and teardown, colours from the theme,
 * size and "too small" — named after htop's CRT.c.
 */
#ifndef POOLTOP_CRT_H
#define POOLTOP_CRT_H

#include "pooltop/app.h"

/* 0, or -1 when there is no usable terminal. */
int crt_init(struct app *a);
void crt_done(struct app *a);
/* (Re)build a->attr from a->theme for the terminal's colours. */
void crt_colors(struct app *a);
/* After KEY_RESIZE: pick up the new size. */
void crt_resize(struct app *a);
/* Where themes are looked for by name (NULL-ended): the user's
 * ~/.config/pooltop/themes, ./themes, then the installed ones. */
const char *const *crt_theme_dirs(struct app *a);
/* Switch to a theme by name or path; -1 (and a message) when it fails. */
int crt_theme(struct app *a, const char *name);
/* Below APP_MIN_COLS x APP_MIN_ROWS. */
bool crt_too_small(const struct app *a);

#endif
