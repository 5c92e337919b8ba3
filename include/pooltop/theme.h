/*
 * theme: colour roles for the dashboard.  Each role has a built-in colour
 * and a monochrome column (attributes only) — ncdu's table — and a theme
 * file (themes/NAME.theme, format in themes/README.md) overrides the
 * colours.  NO_COLOR, a terminal without colours, or the `mono` theme use
 * the monochrome column.  Colours above what the terminal has are mapped
 * down (256 -> 16 -> 8) rather than dropped.
 */
#ifndef POOLTOP_THEME_H
#define POOLTOP_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum theme_role {
	TR_NORMAL,      /* body text */
	TR_HEADER,      /* column headers */
	TR_TITLE,       /* the top line: product, view tabs */
	TR_TAB_ACTIVE,  /* the current view's tab */
	TR_SELECTION,   /* the cursor row */
	TR_TAGGED,      /* tagged rows */
	TR_OK,          /* at or above target */
	TR_WARN,        /* slipping */
	TR_CRIT,        /* missed */
	TR_DIM,         /* secondary text, "-" values */
	TR_STATUS,      /* the status line */
	TR_LIVE,        /* LIVE in the status line */
	TR_STALE,       /* STALE / RESYNC */
	TR_OFFLINE,     /* OFFLINE */
	TR_DIALOG,      /* dialogs and the help overlay */
	TR_BORDER,      /* dialog borders */
	TR_SPARK,       /* sparklines and bars */
	TR_INPUT,       /* the ':' command line and filter input */
	TR__COUNT
};

#define THEME_DEFAULT_COLOR (-1)   /* the terminal's own fg/bg */

struct theme_style {
	int16_t fg;     /* -1 default, 0-255 */
	int16_t bg;
	uint32_t attr;  /* THEME_A_* */
};

#define THEME_A_BOLD 0x1u
#define THEME_A_UNDERLINE 0x2u
#define THEME_A_REVERSE 0x4u
#define THEME_A_DIM 0x8u

struct theme {
	char name[64];
	bool mono;                              /* use the monochrome column */
	struct theme_style style[TR__COUNT];    /* colour column */
};

const char *theme_role_name(enum theme_role r);
/* The built-in default theme. */
void theme_default(struct theme *t);
/* The built-in monochrome styles (attributes only) for role r. */
struct theme_style theme_mono_style(enum theme_role r);

/*
 * Load a theme by name (looked up as DIR/NAME.theme in each of `dirs`, a
 * NULL-terminated list) or by path (contains a '/' or ends in .theme).
 * Starts from the default theme, so a file need only name what it changes.
 * 0, or -1 with err "FILE:LINE: what is wrong" / "no theme 'x' (looked in ...)".
 */
int theme_load(struct theme *t, const char *name_or_path, const char *const *dirs,
               char *err, size_t errlen);
int theme_parse(struct theme *t, const char *text, const char *file, char *err, size_t errlen);

/* Map colour c (0-255) to what a terminal with `ncolors` colours has:
 * 256-colour cube/grey -> nearest of 16 -> of 8. -1 stays -1. */
int16_t theme_map_color(int16_t c, int ncolors);

/* The style to draw role r with on a terminal with `ncolors` colours
 * (0 = none); mono themes and ncolors < 8 give the monochrome column. */
struct theme_style theme_resolve(const struct theme *t, enum theme_role r, int ncolors);

#endif
