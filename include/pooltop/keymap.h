/*
 * keymap: every key of the dashboard in one table (htop's Action.c), so
 * the help screen and the behaviour cannot drift apart.
 */
#ifndef POOLTOP_KEYMAP_H
#define POOLTOP_KEYMAP_H

#include <stdbool.h>

#include "pooltop/app.h"

struct keymap_entry {
	int key;
	const char *label;       /* as the help shows it, e.g. "j / Down" */
	const char *help;
	void (*action)(struct app *a);
	bool hidden;             /* an alias already described by another row */
};

extern const struct keymap_entry keymap[];
extern const unsigned keymap_count;
/* The wallboard's own, fewer keys (its help shows only these). */
extern const struct keymap_entry keymap_wall[];
extern const unsigned keymap_wall_count;

/* u / :undo: the reverse of the last move made here, to confirm. */
void keymap_undo(struct app *a);
/* M / :messages: the message log overlay. */
void keymap_messages(struct app *a);
/* Run the action bound to key in normal mode; false when none is. */
bool keymap_dispatch(struct app *a, int key);
bool keymap_dispatch_in(const struct keymap_entry *map, unsigned n, struct app *a, int key);

#endif
