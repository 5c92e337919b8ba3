/* complete: Tab completion of ids and commands on the command line. */
#include <stdio.h>
#include <string.h>

#include "pooltop/complete.h"

static const char *const complete_commands[] = {
	"move", "undo", "view", "filter", "sort", "theme", "messages", "help", "quit", NULL,
};

struct complete_acc {
	const char *prefix;
	size_t plen;
	uint32_t n;
	char common[PROTO_ID_MAX + 1];   /* longest common extension so far */
	char *shown;
	size_t shown_len, shown_at;
};

static void
complete_offer(struct complete_acc *c, const char *cand)
{
	if (strncmp(cand, c->prefix, c->plen) != 0)
		return;
	if (c->n == 0) {
		snprintf(c->common, sizeof c->common, "%s", cand);
	} else {
		size_t i = 0;
		while (c->common[i] && c->common[i] == cand[i])
			i++;
		c->common[i] = '\0';
	}
	if (c->n < COMPLETE_SHOW_MAX && c->shown_at < c->shown_len)
		c->shown_at += (size_t)snprintf(c->shown + c->shown_at, c->shown_len - c->shown_at, "%s%s",
		                                c->n ? " " : "", cand);
	c->n++;
}

uint32_t
complete_line(const struct floor *f, char *line, size_t size, size_t *cur, char *shown, size_t shown_len)
{
	size_t start = *cur, add, tail;
	struct complete_acc c;

	shown[0] = '\0';
	while (start > 0 && line[start - 1] != ' ')
		start--;
	memset(&c, 0, sizeof c);
	c.prefix = line + start;
	c.plen = *cur - start;
	c.shown = shown;
	c.shown_len = shown_len;
	{
		/* The prefix as a string of its own (line goes on after cur). */
		char pre[PROTO_ID_MAX + 1];
		bool first = true;

		if (c.plen > PROTO_ID_MAX)
			return 0;
		memcpy(pre, c.prefix, c.plen);
		pre[c.plen] = '\0';
		c.prefix = pre;
		for (size_t i = 0; i < start; i++)
			first = first && line[i] == ' ';
		if (first) {
			for (int i = 0; complete_commands[i]; i++)
				complete_offer(&c, complete_commands[i]);
		} else {
			for (uint32_t i = 0; i < f->n_agents; i++)
				complete_offer(&c, f->agents[i].def.id);
			for (uint32_t i = 0; i < f->n_pools; i++)
				complete_offer(&c, f->pools[i].def.id);
		}
		if (c.n == 0)
			return 0;
		add = strlen(c.common) - c.plen;
		/* One candidate: the whole id and a blank, ready for the next. */
		tail = strlen(line + *cur);
		if (c.n == 1 && line[*cur] != ' ')
			add++;
		if (*cur + add + tail + 1 > size)
			return c.n;
		memmove(line + *cur + add, line + *cur, tail + 1);
		memcpy(line + *cur, c.common + c.plen, strlen(c.common) - c.plen);
		if (c.n == 1 && add > strlen(c.common) - c.plen)
			line[*cur + add - 1] = ' ';
		*cur += add;
	}
	return c.n;
}
