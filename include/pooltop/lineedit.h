/*
 * lineedit: one line of text being typed (htop's LineEditor) — a filter,
 * a command, a reason.  It knows editing keys, a cursor and a history of
 * lines entered; what the line is for is its owner's business.
 */
#ifndef POOLTOP_LINEEDIT_H
#define POOLTOP_LINEEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LINEEDIT_MAX 256
#define LINEEDIT_HISTORY 16

enum lineedit_result {
	LINEEDIT_EDITING,        /* the line (maybe) changed; keep typing */
	LINEEDIT_ENTER,          /* Enter: the line is done */
	LINEEDIT_ESCAPE,         /* Esc: drop it */
	LINEEDIT_LEAVE,          /* Backspace on an empty line (as in vi) */
};

struct lineedit {
	char buf[LINEEDIT_MAX + 1];
	size_t cur;              /* cursor, a byte offset on a character boundary */
	char hist[LINEEDIT_HISTORY][LINEEDIT_MAX + 1];   /* oldest first */
	uint32_t n_hist;
	int hpos;                /* browsing: index into hist; n_hist = the new line */
};

/* Start editing `text` (NULL: empty) with the cursor at its end. */
void lineedit_start(struct lineedit *le, const char *text);
/* A key: ch is a character, or a curses KEY_* code when is_key.
 * Left/Right, Home/End (C-a, C-e), Backspace, Delete (C-d), C-u (to the
 * start), C-k (to the end), C-w (the word before), Up/Down (history). */
enum lineedit_result lineedit_key(struct lineedit *le, int ch, bool is_key);
/* Keep the line in the history (an Enter), unless empty or a repeat. */
void lineedit_remember(struct lineedit *le);
/* Display columns before the cursor, for drawing it. */
int lineedit_cursor_col(const struct lineedit *le);

#endif
