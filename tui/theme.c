#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/theme.h"

/* A theme file is a handful of lines; anything much bigger is not one. */
#define THEME_FILE_MAX (64 * 1024)
/* Longest token echoed back in an error, so a garbage line stays readable. */
#define THEME_ECHO_MAX 40

#define B THEME_A_BOLD
#define U THEME_A_UNDERLINE
#define R THEME_A_REVERSE
#define D THEME_A_DIM
#define DEF THEME_DEFAULT_COLOR

static const char *const theme_role_names[TR__COUNT] = {
	[TR_NORMAL] = "normal",
	[TR_HEADER] = "header",
	[TR_TITLE] = "title",
	[TR_TAB_ACTIVE] = "tab_active",
	[TR_SELECTION] = "selection",
	[TR_TAGGED] = "tagged",
	[TR_OK] = "ok",
	[TR_WARN] = "warn",
	[TR_CRIT] = "crit",
	[TR_DIM] = "dim",
	[TR_STATUS] = "status",
	[TR_LIVE] = "live",
	[TR_STALE] = "stale",
	[TR_OFFLINE] = "offline",
	[TR_DIALOG] = "dialog",
	[TR_BORDER] = "border",
	[TR_SPARK] = "spark",
	[TR_INPUT] = "input",
};

/*
 * Body text keeps the terminal's own background so the dashboard looks
 * right on dark and light terminals alike; only the bars (title, status,
 * selection) carry a background, and always with an explicit foreground
 * so their contrast never depends on the user's palette.  Text colours are
 * ones that read on both black and white: ANSI red/green/magenta, grey 8,
 * and two 256-colour mid tones (136 dark gold, 31 steel blue) where the
 * ANSI yellow/cyan would vanish on white.  Both map down to yellow/cyan.
 */
static const struct theme_style theme_builtin[TR__COUNT] = {
	[TR_NORMAL] = { DEF, DEF, 0 },
	[TR_HEADER] = { DEF, DEF, B | U },
	[TR_TITLE] = { 15, 4, B },
	[TR_TAB_ACTIVE] = { 0, 6, B },
	[TR_SELECTION] = { 0, 6, 0 },
	[TR_TAGGED] = { 5, DEF, B },
	[TR_OK] = { 2, DEF, 0 },
	[TR_WARN] = { 136, DEF, B },
	[TR_CRIT] = { 1, DEF, B },
	[TR_DIM] = { 8, DEF, 0 },
	[TR_STATUS] = { 15, 4, 0 },
	[TR_LIVE] = { 10, 4, B },
	[TR_STALE] = { 11, 4, B },
	[TR_OFFLINE] = { 15, 1, B },
	[TR_DIALOG] = { DEF, DEF, 0 },
	[TR_BORDER] = { DEF, DEF, B },
	[TR_SPARK] = { 31, DEF, 0 },
	[TR_INPUT] = { DEF, DEF, U },
};

/*
 * The monochrome column.  The status line is a reverse bar, so LIVE stays
 * in it (reverse+bold) while STALE and OFFLINE punch a hole in it — a
 * change of state is then visible at a glance without colour.  CRIT uses
 * underline rather than reverse so it is never mistaken for the cursor row.
 */
static const struct theme_style theme_mono[TR__COUNT] = {
	[TR_NORMAL] = { DEF, DEF, 0 },
	[TR_HEADER] = { DEF, DEF, B | U },
	[TR_TITLE] = { DEF, DEF, R },
	[TR_TAB_ACTIVE] = { DEF, DEF, R | B },
	[TR_SELECTION] = { DEF, DEF, R },
	[TR_TAGGED] = { DEF, DEF, B },
	[TR_OK] = { DEF, DEF, 0 },
	[TR_WARN] = { DEF, DEF, B },
	[TR_CRIT] = { DEF, DEF, B | U },
	[TR_DIM] = { DEF, DEF, D },
	[TR_STATUS] = { DEF, DEF, R },
	[TR_LIVE] = { DEF, DEF, R | B },
	[TR_STALE] = { DEF, DEF, B },
	[TR_OFFLINE] = { DEF, DEF, B | U },
	[TR_DIALOG] = { DEF, DEF, 0 },
	[TR_BORDER] = { DEF, DEF, 0 },
	[TR_SPARK] = { DEF, DEF, 0 },
	[TR_INPUT] = { DEF, DEF, U },
};

#undef B
#undef U
#undef R
#undef D
#undef DEF

/* xterm's RGB for the 16 ANSI colours: the reference every terminal's
 * 256-colour palette is built around, so the best guess for "nearest". */
static const unsigned char theme_ansi_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const char *const theme_color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

const char *
theme_role_name(enum theme_role r)
{
	if ((int)r < 0 || r >= TR__COUNT)
		return "unknown";
	return theme_role_names[r];
}

void
theme_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	t->mono = false;
	memcpy(t->style, theme_builtin, sizeof(t->style));
}

struct theme_style
theme_mono_style(enum theme_role r)
{
	struct theme_style none = { THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };

	if ((int)r < 0 || r >= TR__COUNT)
		return none;
	return theme_mono[r];
}

static void
theme_rgb(int c, int rgb[3])
{
	static const int cube[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		for (int i = 0; i < 3; i++)
			rgb[i] = theme_ansi_rgb[c][i];
	} else if (c < 232) {
		c -= 16;
		rgb[0] = cube[c / 36];
		rgb[1] = cube[(c / 6) % 6];
		rgb[2] = cube[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

static int
theme_nearest16(int c)
{
	int rgb[3], best = 0;
	long best_d = -1;

	theme_rgb(c, rgb);
	for (int i = 0; i < 16; i++) {
		long d = 0;

		for (int k = 0; k < 3; k++) {
			long e = rgb[k] - theme_ansi_rgb[i][k];
			d += e * e;
		}
		/* Strict < keeps the lower (non-bright) colour on a tie. */
		if (best_d < 0 || d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

int16_t
theme_map_color(int16_t c, int ncolors)
{
	if (c < 0 || c > 255 || ncolors < 8)
		return THEME_DEFAULT_COLOR;
	if (c < ncolors && (ncolors >= 256 || c < 16))
		return c;
	/* Palettes between 16 and 256 (88-colour rxvt) differ from xterm's
	 * above 15, so anything past the ANSI 16 goes through the 16. */
	if (c >= 16)
		c = (int16_t)theme_nearest16(c);
	if (ncolors < 16 && c >= 8)
		c -= 8;
	return c;
}

struct theme_style
theme_resolve(const struct theme *t, enum theme_role r, int ncolors)
{
	struct theme_style s;

	if ((int)r < 0 || r >= TR__COUNT || t->mono || ncolors < 8)
		return theme_mono_style(r);
	s = t->style[r];
	if (ncolors < 16 && s.fg >= 0) {
		int16_t fg16 = theme_map_color(s.fg, 16);

		/* On 8 colours bright text is plain text plus bold, which most
		 * such terminals (the Linux console) draw bright. */
		if (fg16 >= 8)
			s.attr |= THEME_A_BOLD;
	}
	s.fg = theme_map_color(s.fg, ncolors);
	s.bg = theme_map_color(s.bg, ncolors);
	return s;
}

/* ---- theme files ---- */

struct theme_line {
	const char *file;
	unsigned lineno;
	char *err;
	size_t errlen;
};

static int
theme_fail(const struct theme_line *ln, const char *what, const char *tok, size_t toklen)
{
	if (!ln->err || ln->errlen == 0)
		return -1;
	if (toklen > THEME_ECHO_MAX)
		toklen = THEME_ECHO_MAX;
	if (tok)
		snprintf(ln->err, ln->errlen, "%s:%u: %s '%.*s'", ln->file, ln->lineno, what,
		         (int)toklen, tok);
	else
		snprintf(ln->err, ln->errlen, "%s:%u: %s", ln->file, ln->lineno, what);
	return -1;
}

static int
theme_syntax(const struct theme_line *ln)
{
	return theme_fail(ln, "expected 'role = colour ...'", NULL, 0);
}

static bool
theme_tok_is(const char *tok, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(tok, word, n) == 0;
}

/* Colour token -> -1..255, or -2 when it is not a colour. */
static int
theme_parse_color(const char *tok, size_t n)
{
	int base = 0;

	if (theme_tok_is(tok, n, "default"))
		return THEME_DEFAULT_COLOR;
	if (n > 0 && n <= 3 && isdigit((unsigned char)tok[0])) {
		int v = 0;

		for (size_t i = 0; i < n; i++) {
			if (!isdigit((unsigned char)tok[i]))
				return -2;
			v = v * 10 + (tok[i] - '0');
		}
		return v <= 255 ? v : -2;
	}
	if (n > 7 && strncasecmp(tok, "bright-", 7) == 0) {
		base = 8;
		tok += 7;
		n -= 7;
	}
	for (int i = 0; i < 8; i++)
		if (theme_tok_is(tok, n, theme_color_names[i]))
			return base + i;
	return -2;
}

static int
theme_parse_role(const char *tok, size_t n)
{
	for (int i = 0; i < TR__COUNT; i++) {
		const char *name = theme_role_names[i];
		size_t k;

		if (strlen(name) != n)
			continue;
		/* tab-active and tab_active are the same role. */
		for (k = 0; k < n; k++) {
			char a = (char)tolower((unsigned char)tok[k]);
			char b = name[k];

			if (a == '-')
				a = '_';
			if (a != b)
				break;
		}
		if (k == n)
			return i;
	}
	return -1;
}

static const char *
theme_skip_space(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* Next whitespace-separated token in [*p, end); false at the end. */
static bool
theme_next_tok(const char **p, const char *end, const char **tok, size_t *n)
{
	const char *s = theme_skip_space(*p, end), *e = s;

	while (e < end && *e != ' ' && *e != '\t')
		e++;
	*tok = s;
	*n = (size_t)(e - s);
	*p = e;
	return e > s;
}

static int
theme_parse_style(const struct theme_line *ln, const char *p, const char *end,
                  struct theme_style *out)
{
	struct theme_style st = { THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };
	const char *tok;
	size_t n;
	bool have_bg = false;
	int c;

	if (!theme_next_tok(&p, end, &tok, &n))
		return theme_syntax(ln);
	c = theme_parse_color(tok, n);
	if (c == -2)
		return theme_fail(ln, "unknown colour", tok, n);
	st.fg = (int16_t)c;
	while (theme_next_tok(&p, end, &tok, &n)) {
		if (theme_tok_is(tok, n, "on")) {
			if (have_bg || !theme_next_tok(&p, end, &tok, &n))
				return theme_syntax(ln);
			c = theme_parse_color(tok, n);
			if (c == -2)
				return theme_fail(ln, "unknown colour", tok, n);
			st.bg = (int16_t)c;
			have_bg = true;
		} else if (theme_tok_is(tok, n, "bold")) {
			st.attr |= THEME_A_BOLD;
		} else if (theme_tok_is(tok, n, "underline")) {
			st.attr |= THEME_A_UNDERLINE;
		} else if (theme_tok_is(tok, n, "reverse")) {
			st.attr |= THEME_A_REVERSE;
		} else if (theme_tok_is(tok, n, "dim")) {
			st.attr |= THEME_A_DIM;
		} else if (theme_parse_color(tok, n) != -2) {
			/* "red blue": a second colour without "on". */
			return theme_syntax(ln);
		} else {
			return theme_fail(ln, "unknown attribute", tok, n);
		}
	}
	*out = st;
	return 0;
}

static int
theme_parse_line(struct theme *t, const struct theme_line *ln, const char *p, const char *end)
{
	const char *eq, *key, *kend;
	const char *hash = memchr(p, '#', (size_t)(end - p));

	if (hash)
		end = hash;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		end--;
	p = theme_skip_space(p, end);
	if (p == end)
		return 0;
	eq = memchr(p, '=', (size_t)(end - p));
	if (!eq)
		return theme_syntax(ln);
	key = p;
	kend = eq;
	while (kend > key && (kend[-1] == ' ' || kend[-1] == '\t'))
		kend--;
	if (kend == key)
		return theme_syntax(ln);
	p = theme_skip_space(eq + 1, end);

	if (theme_tok_is(key, (size_t)(kend - key), "name")) {
		size_t n = (size_t)(end - p);

		if (n == 0)
			return theme_syntax(ln);
		if (n >= sizeof(t->name))
			n = sizeof(t->name) - 1;
		memcpy(t->name, p, n);
		t->name[n] = '\0';
		return 0;
	}
	if (theme_tok_is(key, (size_t)(kend - key), "mono")) {
		size_t n = (size_t)(end - p);

		if (theme_tok_is(p, n, "yes") || theme_tok_is(p, n, "true") || theme_tok_is(p, n, "1"))
			t->mono = true;
		else if (theme_tok_is(p, n, "no") || theme_tok_is(p, n, "false") ||
		         theme_tok_is(p, n, "0"))
			t->mono = false;
		else
			return theme_fail(ln, "expected 'mono = yes' or 'mono = no'", NULL, 0);
		return 0;
	}

	int role = theme_parse_role(key, (size_t)(kend - key));

	if (role < 0)
		return theme_fail(ln, "unknown role", key, (size_t)(kend - key));
	return theme_parse_style(ln, p, end, &t->style[role]);
}

int
theme_parse(struct theme *t, const char *text, const char *file, char *err, size_t errlen)
{
	/* Work on a copy so a file with an error leaves t as it was. */
	struct theme tmp = *t;
	struct theme_line ln = { file ? file : "theme", 0, err, errlen };
	const char *p = text ? text : "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		const char *end = nl ? nl : p + strlen(p);

		ln.lineno++;
		if (theme_parse_line(&tmp, &ln, p, end) < 0)
			return -1;
		p = nl ? nl + 1 : end;
	}
	*t = tmp;
	return 0;
}

/* Read a whole theme file: 0 and *out (caller frees), or -1 with err. */
static int
theme_read_file(FILE *f, const char *path, char **out, char *err, size_t errlen)
{
	char *buf = malloc(THEME_FILE_MAX + 1);
	size_t n;

	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	n = fread(buf, 1, THEME_FILE_MAX + 1, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(buf);
		return -1;
	}
	if (n > THEME_FILE_MAX) {
		snprintf(err, errlen, "%s: too large for a theme file", path);
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

static int
theme_load_file(struct theme *t, FILE *f, const char *path, char *err, size_t errlen)
{
	struct theme tmp;
	const char *base = strrchr(path, '/');
	size_t n;
	char *text;
	int rc;

	if (theme_read_file(f, path, &text, err, errlen) < 0)
		return -1;
	theme_default(&tmp);
	/* The file's stem names the theme unless the file says otherwise. */
	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 6 && strcmp(base + n - 6, ".theme") == 0)
		n -= 6;
	if (n >= sizeof(tmp.name))
		n = sizeof(tmp.name) - 1;
	memcpy(tmp.name, base, n);
	tmp.name[n] = '\0';
	rc = theme_parse(&tmp, text, path, err, errlen);
	free(text);
	if (rc == 0)
		*t = tmp;
	return rc;
}

static bool
theme_is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n >= 6 && strcmp(s + n - 6, ".theme") == 0);
}

int
theme_load(struct theme *t, const char *name_or_path, const char *const *dirs,
           char *err, size_t errlen)
{
	char dummy[1];
	FILE *f;
	int rc;

	if (!err || errlen == 0) {
		err = dummy;
		errlen = sizeof(dummy);
	}
	if (!name_or_path)
		name_or_path = "";
	if (theme_is_path(name_or_path)) {
		f = fopen(name_or_path, "r");
		if (!f) {
			snprintf(err, errlen, "%s: %s", name_or_path, strerror(errno));
			return -1;
		}
		rc = theme_load_file(t, f, name_or_path, err, errlen);
		fclose(f);
		return rc;
	}

	size_t used = 0;
	char looked[512];

	looked[0] = '\0';
	for (const char *const *d = dirs; *name_or_path && d && *d; d++) {
		char path[4096];
		int pn = snprintf(path, sizeof(path), "%s/%s.theme", *d, name_or_path);

		if (pn < 0 || (size_t)pn >= sizeof(path))
			continue;
		f = fopen(path, "r");
		if (f) {
			rc = theme_load_file(t, f, path, err, errlen);
			fclose(f);
			return rc;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (used < sizeof(looked)) {
			int k = snprintf(looked + used, sizeof(looked) - used, "%s%s",
			                 used ? ", " : "", *d);
			if (k > 0)
				used += (size_t)k;
		}
	}
	/* The two themes the program cannot do without work uninstalled. */
	if (strcmp(name_or_path, "default") == 0) {
		theme_default(t);
		return 0;
	}
	if (strcmp(name_or_path, "mono") == 0) {
		theme_default(t);
		snprintf(t->name, sizeof(t->name), "mono");
		t->mono = true;
		return 0;
	}
	if (used)
		snprintf(err, errlen, "no theme '%s' (looked in %s)", name_or_path, looked);
	else
		snprintf(err, errlen, "no theme '%s' (no theme directories)", name_or_path);
	return -1;
}
