/* Editing one line of UTF-8 text. */
#include <curses.h>
#include <limits.h>
#include <string.h>
#include <wchar.h>

#include "pooltop/fmt.h"
#include "pooltop/lineedit.h"
#include "pooltop/proto.h"

#define LINEEDIT_CTRL(c) ((c) & 0x1f)

void
lineedit_start(struct lineedit *le, const char *text)
{
	proto_strlcpy(le->buf, text ? text : "", LINEEDIT_MAX);
	le->cur = strlen(le->buf);
	le->hpos = (int)le->n_hist;
}

static bool
lineedit_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

static size_t
lineedit_prev(const struct lineedit *le, size_t at)
{
	while (at > 0 && lineedit_cont(le->buf[--at]))
		;
	return at;
}

static size_t
lineedit_next(const struct lineedit *le, size_t at)
{
	size_t len = strlen(le->buf);

	if (at < len)
		at++;
	while (at < len && lineedit_cont(le->buf[at]))
		at++;
	return at;
}

/* Remove bytes [from, to). */
static void
lineedit_cut(struct lineedit *le, size_t from, size_t to)
{
	memmove(le->buf + from, le->buf + to, strlen(le->buf + to) + 1);
	le->cur = from;
}

static void
lineedit_insert(struct lineedit *le, wchar_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n, len = strlen(le->buf);

	memset(&st, 0, sizeof st);
	n = wcrtomb(mb, ch, &st);
	if (n == (size_t)-1 || len + n > LINEEDIT_MAX)
		return;
	memmove(le->buf + le->cur + n, le->buf + le->cur, len - le->cur + 1);
	memcpy(le->buf + le->cur, mb, n);
	le->cur += n;
}

static void
lineedit_history(struct lineedit *le, int delta)
{
	int pos = le->hpos + delta;

	if (pos < 0 || pos > (int)le->n_hist)
		return;
	le->hpos = pos;
	proto_strlcpy(le->buf, pos < (int)le->n_hist ? le->hist[pos] : "", LINEEDIT_MAX);
	le->cur = strlen(le->buf);
}

static bool
lineedit_is_backspace(int ch, bool is_key)
{
	return is_key ? ch == KEY_BACKSPACE : ch == 127 || ch == 8;
}

enum lineedit_result
lineedit_key(struct lineedit *le, int ch, bool is_key)
{
	size_t at;

	if (!is_key && ch == 27)
		return LINEEDIT_ESCAPE;
	if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER))
		return LINEEDIT_ENTER;
	if (lineedit_is_backspace(ch, is_key)) {
		if (le->buf[0] == '\0')
			return LINEEDIT_LEAVE;
		if (le->cur > 0)
			lineedit_cut(le, lineedit_prev(le, le->cur), le->cur);
		return LINEEDIT_EDITING;
	}
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: le->cur = lineedit_prev(le, le->cur); break;
		case KEY_RIGHT: le->cur = lineedit_next(le, le->cur); break;
		case KEY_HOME: le->cur = 0; break;
		case KEY_END: le->cur = strlen(le->buf); break;
		case KEY_DC: lineedit_cut(le, le->cur, lineedit_next(le, le->cur)); break;
		case KEY_UP: lineedit_history(le, -1); break;
		case KEY_DOWN: lineedit_history(le, 1); break;
		default: break;
		}
		return LINEEDIT_EDITING;
	}
	switch (ch) {
	case LINEEDIT_CTRL('a'): le->cur = 0; break;
	case LINEEDIT_CTRL('e'): le->cur = strlen(le->buf); break;
	case LINEEDIT_CTRL('d'): lineedit_cut(le, le->cur, lineedit_next(le, le->cur)); break;
	case LINEEDIT_CTRL('u'): lineedit_cut(le, 0, le->cur); break;
	case LINEEDIT_CTRL('k'): le->buf[le->cur] = '\0'; break;
	case LINEEDIT_CTRL('w'):
		at = le->cur;
		while (at > 0 && le->buf[at - 1] == ' ')
			at--;
		while (at > 0 && le->buf[at - 1] != ' ')
			at--;
		lineedit_cut(le, at, le->cur);
		break;
	default:
		if (ch >= 32)
			lineedit_insert(le, (wchar_t)ch);
		break;
	}
	return LINEEDIT_EDITING;
}

void
lineedit_remember(struct lineedit *le)
{
	if (le->buf[0] == '\0' || (le->n_hist > 0 && strcmp(le->hist[le->n_hist - 1], le->buf) == 0))
		return;
	if (le->n_hist == LINEEDIT_HISTORY) {
		memmove(le->hist[0], le->hist[1], (LINEEDIT_HISTORY - 1) * sizeof le->hist[0]);
		le->n_hist--;
	}
	memcpy(le->hist[le->n_hist++], le->buf, sizeof le->buf);
	le->hpos = (int)le->n_hist;
}

int
lineedit_cursor_col(const struct lineedit *le)
{
	char head[LINEEDIT_MAX + 1];

	memcpy(head, le->buf, le->cur);
	head[le->cur] = '\0';
	return fmt_width(head);
}
