/* The terminal: ncurses in, ncurses out, colours, size. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "pooltop/crt.h"

static uint32_t
crt_attr_of(const struct theme_style *st)
{
	uint32_t at = A_NORMAL;

	if (st->attr & THEME_A_BOLD)
		at |= A_BOLD;
	if (st->attr & THEME_A_UNDERLINE)
		at |= A_UNDERLINE;
	if (st->attr & THEME_A_REVERSE)
		at |= A_REVERSE;
	if (st->attr & THEME_A_DIM)
		at |= A_DIM;
	return at;
}

void
crt_colors(struct app *a)
{
	a->ncolors = has_colors() ? COLORS : 0;
	if (getenv("NO_COLOR") != NULL && *getenv("NO_COLOR") != '\0' && a->opt.theme == NULL)
		a->theme.mono = true;
	for (int r = 0; r < TR__COUNT; r++) {
		struct theme_style st = theme_resolve(&a->theme, (enum theme_role)r, a->ncolors);
		uint32_t at = crt_attr_of(&st);

		if (!a->theme.mono && a->ncolors >= 8 && r + 1 < COLOR_PAIRS &&
		    (st.fg >= 0 || st.bg >= 0)) {
			init_pair((short)(r + 1), st.fg, st.bg);
			at |= COLOR_PAIR(r + 1);
		}
		a->attr[r] = at;
	}
}

/* Ctrl-C is a key, not SIGINT: it quits like q, through the same clean
 * path, with exit status 0 (a signal would end the process with 130, and
 * ncurses' own handler with 1).  ncurses keeps this as the program mode
 * and restores the shell's at endwin. */
static void
crt_ctrl_c_is_a_key(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	t.c_cc[VINTR] = _POSIX_VDISABLE;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		def_prog_mode();
}

int
crt_init(struct app *a)
{
	if (initscr() == NULL)
		return -1;
	cbreak();
	crt_ctrl_c_is_a_key();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc must cancel at once, not after ncurses' default second. */
	set_escdelay(25);
	curs_set(0);
	if (has_colors()) {
		start_color();
		/* The terminal's own background, not a painted one. */
		use_default_colors();
	}
	crt_colors(a);
	crt_resize(a);
	return 0;
}

void
crt_done(struct app *a)
{
	(void)a;
	if (!isendwin()) {
		curs_set(1);
		endwin();
	}
}

void
crt_resize(struct app *a)
{
	getmaxyx(stdscr, a->rows, a->cols);
	a->dirty = true;
}

bool
crt_too_small(const struct app *a)
{
	return a->cols < APP_MIN_COLS || a->rows < APP_MIN_ROWS;
}

const char *const *
crt_theme_dirs(struct app *a)
{
	const char **d = a->opt.theme_dirs;

	if (d[0] == NULL) {
		int n = 0;
		if (config_dir_path("themes", a->opt.user_themes, sizeof a->opt.user_themes) == 0)
			d[n++] = a->opt.user_themes;
		d[n++] = "themes";
		d[n++] = POOLTOP_DATADIR "/themes";
		d[n] = NULL;
	}
	return d;
}

int
crt_theme(struct app *a, const char *name)
{
	char err[256];
	struct theme t;

	if (theme_load(&t, name, crt_theme_dirs(a), err, sizeof err) < 0) {
		msg_show(&a->msg, true, "%s", err);
		return -1;
	}
	a->theme = t;
	crt_colors(a);
	a->full_repaint = true;
	a->dirty = true;
	return 0;
}
