#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pooltop/theme.h"

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

#define THEMES TEST_SRCDIR "/themes"

#define B THEME_A_BOLD
#define U THEME_A_UNDERLINE
#define R THEME_A_REVERSE
#define D THEME_A_DIM

static const char *const shipped[] = { "default", "light", "mono", "high-contrast" };

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void
assert_style(struct theme_style s, int fg, int bg, unsigned attr)
{
	ck_assert_int_eq(s.fg, fg);
	ck_assert_int_eq(s.bg, bg);
	ck_assert_uint_eq(s.attr, attr);
}

static bool
themes_equal(const struct theme *a, const struct theme *b)
{
	if (strcmp(a->name, b->name) != 0 || a->mono != b->mono)
		return false;
	for (int r = 0; r < TR__COUNT; r++)
		if (a->style[r].fg != b->style[r].fg || a->style[r].bg != b->style[r].bg ||
		    a->style[r].attr != b->style[r].attr)
			return false;
	return true;
}

/* A theme whose every role is a value no file would write, to see which
 * roles a file sets. */
static void
sentinel_theme(struct theme *t)
{
	theme_default(t);
	for (int r = 0; r < TR__COUNT; r++) {
		t->style[r].fg = 77;
		t->style[r].bg = 77;
		t->style[r].attr = 0x100;
	}
}

START_TEST(test_role_names)
{
	ck_assert_str_eq(theme_role_name(TR_NORMAL), "normal");
	ck_assert_str_eq(theme_role_name(TR_TAB_ACTIVE), "tab_active");
	ck_assert_str_eq(theme_role_name(TR_INPUT), "input");
	ck_assert_str_eq(theme_role_name(TR__COUNT), "unknown");
	for (int i = 0; i < TR__COUNT; i++)
		for (int j = i + 1; j < TR__COUNT; j++)
			ck_assert_str_ne(theme_role_name((enum theme_role)i),
			                 theme_role_name((enum theme_role)j));
}
END_TEST

START_TEST(test_default_theme)
{
	static const enum theme_role body[] = {
		TR_NORMAL, TR_HEADER, TR_TAGGED, TR_OK, TR_WARN, TR_CRIT, TR_DIM,
		TR_DIALOG, TR_BORDER, TR_SPARK, TR_INPUT,
	};
	struct theme t;

	theme_default(&t);
	ck_assert_str_eq(t.name, "default");
	ck_assert(!t.mono);
	assert_style(t.style[TR_NORMAL], -1, -1, 0);
	/* Body text on the terminal's own background: right on dark and light. */
	for (size_t i = 0; i < sizeof(body) / sizeof(body[0]); i++)
		ck_assert_int_eq(t.style[body[i]].bg, THEME_DEFAULT_COLOR);
	/* Bars with a background always say their foreground too. */
	for (int r = 0; r < TR__COUNT; r++)
		if (t.style[r].bg != THEME_DEFAULT_COLOR)
			ck_assert_int_ne(t.style[r].fg, THEME_DEFAULT_COLOR);
	/* Thresholds must differ from each other. */
	ck_assert(memcmp(&t.style[TR_OK], &t.style[TR_WARN], sizeof(t.style[0])) != 0);
	ck_assert(memcmp(&t.style[TR_WARN], &t.style[TR_CRIT], sizeof(t.style[0])) != 0);
	/* No white/yellow/cyan text that would vanish on a light terminal. */
	for (size_t i = 0; i < sizeof(body) / sizeof(body[0]); i++) {
		int fg = t.style[body[i]].fg;

		ck_assert(fg != 3 && fg != 6 && fg != 7 && fg != 11 && fg != 14 && fg != 15);
	}
}
END_TEST

START_TEST(test_mono_column)
{
	for (int r = 0; r < TR__COUNT; r++) {
		struct theme_style s = theme_mono_style((enum theme_role)r);

		ck_assert_int_eq(s.fg, THEME_DEFAULT_COLOR);
		ck_assert_int_eq(s.bg, THEME_DEFAULT_COLOR);
	}
	assert_style(theme_mono_style(TR_NORMAL), -1, -1, 0);
	assert_style(theme_mono_style(TR_HEADER), -1, -1, B | U);
	assert_style(theme_mono_style(TR_TITLE), -1, -1, R);
	assert_style(theme_mono_style(TR_TAB_ACTIVE), -1, -1, R | B);
	assert_style(theme_mono_style(TR_SELECTION), -1, -1, R);
	assert_style(theme_mono_style(TR_WARN), -1, -1, B);
	assert_style(theme_mono_style(TR_DIM), -1, -1, D);
	assert_style(theme_mono_style(TR_STATUS), -1, -1, R);
	assert_style(theme_mono_style(TR_INPUT), -1, -1, U);
	/* ok, warn and crit tell apart without colour, and crit is not the
	 * cursor row. */
	ck_assert_uint_ne(theme_mono_style(TR_OK).attr, theme_mono_style(TR_WARN).attr);
	ck_assert_uint_ne(theme_mono_style(TR_WARN).attr, theme_mono_style(TR_CRIT).attr);
	ck_assert_uint_ne(theme_mono_style(TR_CRIT).attr, theme_mono_style(TR_SELECTION).attr);
	ck_assert_uint_ne(theme_mono_style(TR_LIVE).attr, theme_mono_style(TR_STALE).attr);
	ck_assert_uint_ne(theme_mono_style(TR_STALE).attr, theme_mono_style(TR_OFFLINE).attr);
	assert_style(theme_mono_style(TR__COUNT), -1, -1, 0);
}
END_TEST

/* Every shipped theme loads by path and sets every role itself. */
START_TEST(test_shipped_complete)
{
	for (size_t i = 0; i < sizeof(shipped) / sizeof(shipped[0]); i++) {
		char path[1024], err[256] = "";
		struct theme t;
		char *text;

		snprintf(path, sizeof(path), "%s/%s.theme", THEMES, shipped[i]);
		theme_default(&t);
		ck_assert_msg(theme_load(&t, path, NULL, err, sizeof(err)) == 0, "%s", err);
		ck_assert_str_eq(t.name, shipped[i]);

		text = slurp(path);
		sentinel_theme(&t);
		ck_assert_msg(theme_parse(&t, text, path, err, sizeof(err)) == 0, "%s", err);
		for (int r = 0; r < TR__COUNT; r++)
			ck_assert_msg(t.style[r].attr != 0x100 && t.style[r].fg != 77,
			              "%s does not set %s", shipped[i],
			              theme_role_name((enum theme_role)r));
		free(text);
	}
}
END_TEST

START_TEST(test_shipped_default_is_builtin)
{
	struct theme t, def;
	char err[256] = "";

	theme_default(&def);
	memset(&t, 0, sizeof(t));
	ck_assert_msg(theme_load(&t, THEMES "/default.theme", NULL, err, sizeof(err)) == 0,
	              "%s", err);
	for (int r = 0; r < TR__COUNT; r++) {
		ck_assert_int_eq(t.style[r].fg, def.style[r].fg);
		ck_assert_int_eq(t.style[r].bg, def.style[r].bg);
		ck_assert_uint_eq(t.style[r].attr, def.style[r].attr);
	}
	ck_assert(!t.mono);
}
END_TEST

START_TEST(test_shipped_mono)
{
	struct theme t;
	char err[256] = "";

	ck_assert_msg(theme_load(&t, THEMES "/mono.theme", NULL, err, sizeof(err)) == 0,
	              "%s", err);
	ck_assert(t.mono);
	/* The file documents the built-in column; keep the two in step. */
	for (int r = 0; r < TR__COUNT; r++) {
		struct theme_style m = theme_mono_style((enum theme_role)r);

		assert_style(t.style[r], m.fg, m.bg, m.attr);
		/* mono wins whatever the terminal can do */
		struct theme_style s = theme_resolve(&t, (enum theme_role)r, 256);

		assert_style(s, m.fg, m.bg, m.attr);
	}
}
END_TEST

START_TEST(test_shipped_light)
{
	struct theme t;
	char err[256] = "";

	ck_assert_msg(theme_load(&t, THEMES "/light.theme", NULL, err, sizeof(err)) == 0,
	              "%s", err);
	for (int r = 0; r < TR__COUNT; r++) {
		int fg = t.style[r].fg, bg = t.style[r].bg;

		/* Text on the (white) terminal background must be dark: no
		 * yellow, cyan, white or light grey. */
		if (bg == THEME_DEFAULT_COLOR || bg == 7 || bg == 15)
			ck_assert_msg(fg != 3 && fg != 6 && fg != 7 && fg != 11 && fg != 14 &&
			              fg != 15 && fg < 248,
			              "light: %s fg %d", theme_role_name((enum theme_role)r), fg);
	}
	/* Dark tones map to the right ANSI colours on small terminals. */
	ck_assert_int_eq(theme_resolve(&t, TR_OK, 16).fg, 2);
	ck_assert_int_eq(theme_resolve(&t, TR_WARN, 16).fg, 3);
	ck_assert_int_eq(theme_resolve(&t, TR_CRIT, 16).fg, 1);
}
END_TEST

START_TEST(test_shipped_high_contrast)
{
	struct theme t;
	char err[256] = "";

	ck_assert_msg(theme_load(&t, THEMES "/high-contrast.theme", NULL, err, sizeof(err)) == 0,
	              "%s", err);
	assert_style(t.style[TR_CRIT], 15, 1, B);
	ck_assert_int_ne(t.style[TR_OK].bg, THEME_DEFAULT_COLOR);
	ck_assert_int_ne(t.style[TR_WARN].bg, THEME_DEFAULT_COLOR);
	ck_assert_uint_eq(t.style[TR_OK].attr & B, B);
	ck_assert_uint_eq(t.style[TR_WARN].attr & B, B);
	ck_assert_int_ne(t.style[TR_OK].bg, t.style[TR_WARN].bg);
	ck_assert_int_ne(t.style[TR_WARN].bg, t.style[TR_CRIT].bg);
}
END_TEST

START_TEST(test_load_by_name)
{
	const char *dirs[] = { "/nonexistent-pooltop", THEMES, NULL };
	struct theme t;
	char err[256] = "";

	ck_assert_msg(theme_load(&t, "light", dirs, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(t.name, "light");
	ck_assert_int_eq(t.style[TR_OK].fg, 28);
	ck_assert_msg(theme_load(&t, "mono", dirs, err, sizeof(err)) == 0, "%s", err);
	ck_assert(t.mono);
	ck_assert_str_eq(t.name, "mono");
}
END_TEST

START_TEST(test_load_unknown)
{
	const char *dirs[] = { "/nonexistent-pooltop", THEMES, NULL };
	const char *none[] = { NULL };
	struct theme t;
	char err[512] = "";

	theme_default(&t);
	t.style[TR_OK].fg = 42;
	ck_assert_int_eq(theme_load(&t, "nosuch", dirs, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no theme 'nosuch' (looked in /nonexistent-pooltop, " THEMES ")");
	ck_assert_int_eq(t.style[TR_OK].fg, 42);

	ck_assert_int_eq(theme_load(&t, "nosuch", none, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "no theme 'nosuch' (no theme directories)");

	/* Ends in .theme: a path, so the dirs are not searched. */
	ck_assert_int_eq(theme_load(&t, "light.theme", dirs, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "light.theme: No such file or directory");
	ck_assert_int_eq(theme_load(&t, "/nonexistent-pooltop/x", dirs, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexistent-pooltop/x: No such file or directory");
}
END_TEST

/* default and mono work even with no theme files installed. */
START_TEST(test_load_builtin_fallback)
{
	const char *dirs[] = { "/nonexistent-pooltop", NULL };
	struct theme t, def;
	char err[256] = "";

	theme_default(&def);
	memset(&t, 0, sizeof(t));
	ck_assert_int_eq(theme_load(&t, "default", dirs, err, sizeof(err)), 0);
	ck_assert_str_eq(t.name, "default");
	ck_assert(!t.mono);
	ck_assert_int_eq(t.style[TR_CRIT].fg, def.style[TR_CRIT].fg);
	ck_assert_int_eq(theme_load(&t, "mono", NULL, err, sizeof(err)), 0);
	ck_assert(t.mono);
}
END_TEST

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_load_user_file)
{
	char dir[] = "/tmp/pooltop-theme-XXXXXX";
	char path[256], bad[256], err[512] = "", want[600];
	const char *dirs[2] = { NULL, NULL };
	struct theme t, def;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	dirs[0] = dir;
	snprintf(path, sizeof(path), "%s/ocean.theme", dir);
	snprintf(bad, sizeof(bad), "%s/bad.theme", dir);
	write_file(path, "# only what changes\ncrit = bright-white on red bold\n");
	write_file(bad, "normal = default\n\n# x\nxyz = red\n");

	theme_default(&def);
	ck_assert_msg(theme_load(&t, "ocean", dirs, err, sizeof(err)) == 0, "%s", err);
	/* Named after the file; everything not named stays the default. */
	ck_assert_str_eq(t.name, "ocean");
	assert_style(t.style[TR_CRIT], 15, 1, B);
	for (int r = 0; r < TR__COUNT; r++) {
		if (r == TR_CRIT)
			continue;
		ck_assert_int_eq(t.style[r].fg, def.style[r].fg);
		ck_assert_int_eq(t.style[r].bg, def.style[r].bg);
		ck_assert_uint_eq(t.style[r].attr, def.style[r].attr);
	}

	ck_assert_int_eq(theme_load(&t, "bad", dirs, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:4: unknown role 'xyz'", bad);
	ck_assert_str_eq(err, want);
	/* The failed load left the previous theme alone. */
	ck_assert_str_eq(t.name, "ocean");

	unlink(path);
	unlink(bad);
	rmdir(dir);
}
END_TEST

START_TEST(test_parse_ok)
{
	struct theme t;
	char err[256] = "";
	const char *text =
		"# a comment\n"
		"\n"
		"   \t\n"
		"name = My Theme   # trailing comment\n"
		"crit = bright-white on red bold underline reverse dim # all of it\r\n"
		"Tab-Active = Default ON Bright-Black\n"
		"spark=0\n"
		"dim = 255\n"
		"ok = green\n"
		"warn = 136 bold";   /* no final newline */

	theme_default(&t);
	ck_assert_msg(theme_parse(&t, text, "t.theme", err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(t.name, "My Theme");
	assert_style(t.style[TR_CRIT], 15, 1, B | U | R | D);
	assert_style(t.style[TR_TAB_ACTIVE], -1, 8, 0);
	assert_style(t.style[TR_SPARK], 0, -1, 0);
	assert_style(t.style[TR_DIM], 255, -1, 0);
	assert_style(t.style[TR_OK], 2, -1, 0);
	assert_style(t.style[TR_WARN], 136, -1, B);
	ck_assert(!t.mono);

	ck_assert_int_eq(theme_parse(&t, "mono = yes\n", "t", err, sizeof(err)), 0);
	ck_assert(t.mono);
	ck_assert_int_eq(theme_parse(&t, "mono = no\n", "t", err, sizeof(err)), 0);
	ck_assert(!t.mono);
	ck_assert_int_eq(theme_parse(&t, "", "t", err, sizeof(err)), 0);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const struct {
		const char *text, *err;
	} cases[] = {
		{ "xyz = red\n", "t.theme:1: unknown role 'xyz'" },
		{ "# c\n\ncrit = reddish\n", "t.theme:3: unknown colour 'reddish'" },
		{ "crit = bright-pink\n", "t.theme:1: unknown colour 'bright-pink'" },
		{ "crit = 256\n", "t.theme:1: unknown colour '256'" },
		{ "crit = -1\n", "t.theme:1: unknown colour '-1'" },
		{ "crit = red on pink\n", "t.theme:1: unknown colour 'pink'" },
		{ "crit red\n", "t.theme:1: expected 'role = colour ...'" },
		{ "ok = green\ncrit =\n", "t.theme:2: expected 'role = colour ...'" },
		{ "crit = # nothing\n", "t.theme:1: expected 'role = colour ...'" },
		{ "= red\n", "t.theme:1: expected 'role = colour ...'" },
		{ "crit = red on\n", "t.theme:1: expected 'role = colour ...'" },
		{ "crit = red on blue on green\n", "t.theme:1: expected 'role = colour ...'" },
		{ "crit = red blue\n", "t.theme:1: expected 'role = colour ...'" },
		{ "crit = red blink\n", "t.theme:1: unknown attribute 'blink'" },
		{ "name =\n", "t.theme:1: expected 'role = colour ...'" },
		{ "mono = maybe\n", "t.theme:1: expected 'mono = yes' or 'mono = no'" },
		{ "ok = green\r\nwarn = yellow\r\nbogus = red\r\n", "t.theme:3: unknown role 'bogus'" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct theme t, before;
		char err[256] = "";

		theme_default(&t);
		before = t;
		ck_assert_int_eq(theme_parse(&t, cases[i].text, "t.theme", err, sizeof(err)), -1);
		ck_assert_str_eq(err, cases[i].err);
		/* An error applies nothing, not even the lines before it. */
		ck_assert(themes_equal(&t, &before));
	}
}
END_TEST

START_TEST(test_map_color)
{
	/* Exact cube corners land on the bright colour of the same RGB. */
	ck_assert_int_eq(theme_map_color(196, 256), 196);
	ck_assert_int_eq(theme_map_color(196, 16), 9);
	ck_assert_int_eq(theme_map_color(196, 8), 1);
	ck_assert_int_eq(theme_map_color(46, 16), 10);
	ck_assert_int_eq(theme_map_color(46, 8), 2);
	ck_assert_int_eq(theme_map_color(226, 16), 11);
	ck_assert_int_eq(theme_map_color(231, 16), 15);
	ck_assert_int_eq(theme_map_color(231, 8), 7);
	ck_assert_int_eq(theme_map_color(16, 16), 0);
	/* 21 is (0,0,255): xterm blue (0,0,238) is far nearer than bright
	 * blue (92,92,255). */
	ck_assert_int_eq(theme_map_color(21, 16), 4);
	ck_assert_int_eq(theme_map_color(21, 8), 4);
	/* Mid tones: 136 (175,135,0) -> yellow, 31 (0,135,175) -> cyan,
	 * 28 (0,135,0) -> green. */
	ck_assert_int_eq(theme_map_color(136, 16), 3);
	ck_assert_int_eq(theme_map_color(31, 16), 6);
	ck_assert_int_eq(theme_map_color(28, 16), 2);
	/* Greys: 232 (8) -> black, 244 (128) -> bright black,
	 * 250 (188) -> white, 255 (238) -> white (229), not bright white. */
	ck_assert_int_eq(theme_map_color(232, 16), 0);
	ck_assert_int_eq(theme_map_color(244, 16), 8);
	ck_assert_int_eq(theme_map_color(244, 8), 0);
	ck_assert_int_eq(theme_map_color(250, 16), 7);
	ck_assert_int_eq(theme_map_color(255, 16), 7);
	/* 16 -> 8 drops brightness; the base 8 pass through. */
	for (int c = 0; c < 8; c++) {
		ck_assert_int_eq(theme_map_color((int16_t)c, 8), c);
		ck_assert_int_eq(theme_map_color((int16_t)(c + 8), 8), c);
		ck_assert_int_eq(theme_map_color((int16_t)(c + 8), 16), c + 8);
	}
	/* Default stays default everywhere; no colours -> default. */
	ck_assert_int_eq(theme_map_color(-1, 256), -1);
	ck_assert_int_eq(theme_map_color(-1, 8), -1);
	ck_assert_int_eq(theme_map_color(3, 0), -1);
	ck_assert_int_eq(theme_map_color(300, 256), -1);
	/* 88-colour terminals: past 15 goes through the 16. */
	ck_assert_int_eq(theme_map_color(196, 88), 9);
	ck_assert_int_eq(theme_map_color(12, 88), 12);
	/* Every colour maps into range for each depth. */
	for (int c = 0; c < 256; c++) {
		ck_assert_int_lt(theme_map_color((int16_t)c, 16), 16);
		ck_assert_int_lt(theme_map_color((int16_t)c, 8), 8);
		ck_assert_int_ge(theme_map_color((int16_t)c, 8), 0);
	}
}
END_TEST

START_TEST(test_resolve)
{
	struct theme t;
	struct theme_style s;
	char err[256] = "";

	theme_default(&t);
	ck_assert_int_eq(theme_parse(&t,
		"normal = 196\n"
		"dim = bright-black\n"
		"title = bright-white on blue bold\n"
		"live = bright-green on blue\n"
		"ok = black on bright-green\n"
		"warn = 136 underline\n",
		"t", err, sizeof(err)), 0);

	assert_style(theme_resolve(&t, TR_NORMAL, 256), 196, -1, 0);
	assert_style(theme_resolve(&t, TR_NORMAL, 16), 9, -1, 0);
	/* Bright text on 8 colours: base colour plus bold. */
	assert_style(theme_resolve(&t, TR_NORMAL, 8), 1, -1, B);
	assert_style(theme_resolve(&t, TR_DIM, 16), 8, -1, 0);
	assert_style(theme_resolve(&t, TR_DIM, 8), 0, -1, B);
	assert_style(theme_resolve(&t, TR_LIVE, 8), 2, 4, B);
	assert_style(theme_resolve(&t, TR_TITLE, 8), 7, 4, B);
	assert_style(theme_resolve(&t, TR_TITLE, 256), 15, 4, B);
	/* A bright background just loses brightness; bold would not help. */
	assert_style(theme_resolve(&t, TR_OK, 8), 0, 2, 0);
	assert_style(theme_resolve(&t, TR_OK, 16), 0, 10, 0);
	/* Non-bright 256-colour text gets no bold on 8 colours. */
	assert_style(theme_resolve(&t, TR_WARN, 8), 3, -1, U);
	assert_style(theme_resolve(&t, TR_WARN, 256), 136, -1, U);

	/* No colours (or fewer than 8): the monochrome column. */
	for (int r = 0; r < TR__COUNT; r++) {
		struct theme_style m = theme_mono_style((enum theme_role)r);

		s = theme_resolve(&t, (enum theme_role)r, 0);
		assert_style(s, m.fg, m.bg, m.attr);
		s = theme_resolve(&t, (enum theme_role)r, 2);
		assert_style(s, m.fg, m.bg, m.attr);
	}
	t.mono = true;
	s = theme_resolve(&t, TR_NORMAL, 256);
	assert_style(s, -1, -1, 0);
	s = theme_resolve(&t, TR_CRIT, 256);
	assert_style(s, -1, -1, theme_mono_style(TR_CRIT).attr);
}
END_TEST

static Suite *
theme_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_role_names);
	tcase_add_test(tc, test_default_theme);
	tcase_add_test(tc, test_mono_column);
	tcase_add_test(tc, test_shipped_complete);
	tcase_add_test(tc, test_shipped_default_is_builtin);
	tcase_add_test(tc, test_shipped_mono);
	tcase_add_test(tc, test_shipped_light);
	tcase_add_test(tc, test_shipped_high_contrast);
	tcase_add_test(tc, test_load_by_name);
	tcase_add_test(tc, test_load_unknown);
	tcase_add_test(tc, test_load_builtin_fallback);
	tcase_add_test(tc, test_load_user_file);
	tcase_add_test(tc, test_parse_ok);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_map_color);
	tcase_add_test(tc, test_resolve);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(theme_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
