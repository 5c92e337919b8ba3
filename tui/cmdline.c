/* The ':' command line. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/cmdline.h"
#include "pooltop/crt.h"
#include "pooltop/keymap.h"
#include "pooltop/movectl.h"
#include "pooltop/move.h"
#include "pooltop/listing.h"
#include "pooltop/view.h"

int
cmdline_split(char *buf, char **words, int max)
{
	int n = 0;
	char *p = buf;

	for (;;) {
		char *out;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -1;
		words[n++] = out = p;
		if (*p == '"') {
			/* Quoted: runs to the closing quote, blanks included. */
			words[n - 1] = out = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				return -1;
			*p++ = '\0';
			continue;
		}
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

static int
cmdline_view(const char *w)
{
	for (int v = 0; v < VIEW__TABS; v++) {
		const char *name = view_get((enum app_view_id)v)->name;
		if (strcasecmp(w, name) == 0 || (w[0] == '1' + v && w[1] == '\0'))
			return v;
	}
	return -1;
}

static void
cmdline_help(struct app *a)
{
	msg_show(&a->msg, false, ":move AGENT... POOL [reason]  :return AGENT  :undo  :view NAME|N  :filter TEXT  :sort COLUMN  :theme NAME  :messages  :q");
}

static void
cmdline_sort(struct app *a, const char *col)
{
	struct list *l = &a->list[a->view];
	const char *(*name)(int) = NULL;
	int n = 0;

	if (a->view == VIEW_FLOOR) {
		name = listing_tenant_col_name;
		n = LT__COUNT;
	} else if (a->view == VIEW_AGENTS) {
		name = listing_agent_col_name;
		n = LA__COUNT;
	}
	for (int i = 0; i < n; i++) {
		if (strcasecmp(name(i), col) == 0) {
			l->sort = i;
			a->dirty = true;
			return;
		}
	}
	msg_show(&a->msg, true, "this view has no column '%s'", col);
}

static void
cmdline_move(struct app *a, char **w, int n)
{
	uint32_t tagged[MOVE_AGENTS_MAX], k;
	struct move_spec spec;
	char err[160];

	if (movectl_refuse_readonly(a))
		return;
	/* The tagged agents only, not the cursor's: ":move POOL" names no one. */
	k = view_agents_selection(a, tagged, MOVE_AGENTS_MAX, false);
	if (move_parse(&a->conn.floor, w, n, tagged, k, &spec, err, sizeof err) < 0) {
		msg_show(&a->msg, true, "%s", err);
		return;
	}
	modal_open_confirm(&a->modal, &spec, 1, false);
}

/* :return AGENT: back to its home pool now, which ends its loan. */
static void
cmdline_return(struct app *a, char **w, int n)
{
	const struct floor *f = &a->conn.floor;
	struct move_spec spec;
	char err[160];
	uint32_t ag;
	int i;

	if (movectl_refuse_readonly(a))
		return;
	if (n != 1 || (i = floor_agent_find(f, w[0])) < 0) {
		msg_show(&a->msg, true, ":return AGENT: there is no agent '%s'", n >= 1 ? w[0] : "");
		return;
	}
	ag = (uint32_t)i;
	if ((uint32_t)f->agents[ag].pool == floor_agent_home(f, ag)) {
		msg_show(&a->msg, true, "%s is in its home pool already", f->agents[ag].def.id);
		return;
	}
	if (move_spec_build(f, &ag, 1, floor_agent_home(f, ag), "back from loan", &spec, err,
	                    sizeof err) < 0) {
		msg_show(&a->msg, true, "%s", err);
		return;
	}
	modal_open_confirm(&a->modal, &spec, 1, false);
}

void
cmdline_run(struct app *a, const char *line)
{
	char buf[LINEEDIT_MAX + 1];
	char *w[CMDLINE_WORDS_MAX];
	int n;

	snprintf(buf, sizeof buf, "%s", line);
	n = cmdline_split(buf, w, CMDLINE_WORDS_MAX);
	if (n < 0) {
		msg_show(&a->msg, true, "unbalanced quotes or too many words");
		return;
	}
	if (n == 0)
		return;
	if (strcmp(w[0], "q") == 0 || strcmp(w[0], "quit") == 0) {
		a->quit = true;
	} else if (strcmp(w[0], "help") == 0 || strcmp(w[0], "h") == 0) {
		cmdline_help(a);
	} else if (strcmp(w[0], "view") == 0 && n == 2) {
		int v = cmdline_view(w[1]);
		if (v < 0)
			msg_show(&a->msg, true, "no view '%s'", w[1]);
		else
			a->view = (enum app_view_id)v;
	} else if (strcmp(w[0], "filter") == 0) {
		char filter[LIST_FILTER_MAX + 1] = "";

		for (int i = 1; i < n; i++)
			snprintf(filter + strlen(filter), sizeof filter - strlen(filter), "%s%s",
			         i > 1 ? " " : "", w[i]);
		list_set_filter(&a->list[a->view], filter);
	} else if (strcmp(w[0], "sort") == 0 && n == 2) {
		cmdline_sort(a, w[1]);
	} else if (strcmp(w[0], "move") == 0) {
		cmdline_move(a, w + 1, n - 1);
	} else if (strcmp(w[0], "return") == 0) {
		cmdline_return(a, w + 1, n - 1);
	} else if (strcmp(w[0], "undo") == 0) {
		keymap_undo(a);
	} else if (strcmp(w[0], "messages") == 0 || strcmp(w[0], "msgs") == 0) {
		keymap_messages(a);
	} else if (strcmp(w[0], "theme") == 0 && n == 2) {
		crt_theme(a, w[1]);
	} else {
		msg_show(&a->msg, true, "unknown command '%s' (:help lists them)", w[0]);
	}
	a->dirty = true;
}
