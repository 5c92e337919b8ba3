/*
 * The move dialogs' state and keys.  Nothing is sent before y: the
 * modal answers MODAL_SEND and its owner hands the specs to movectl.
 */
#include <curses.h>
#include <string.h>

#include "pooltop/listing.h"
#include "pooltop/modal.h"

static void
modal_reset(struct modal *m, enum modal_kind kind)
{
	m->kind = kind;
	m->n_agents = 0;
	m->n_specs = 0;
	m->is_undo = false;
	m->refused[0] = '\0';
	m->say[0] = '\0';
}

void
modal_open_pick(struct modal *m, const uint32_t *agents, uint32_t n)
{
	modal_reset(m, MODAL_PICK);
	if (n > MOVE_AGENTS_MAX)
		n = MOVE_AGENTS_MAX;
	memcpy(m->agents, agents, n * sizeof *agents);
	m->n_agents = n;
	m->pick.cursor = m->pick.top = 0;
	m->pick.cur_key[0] = '\0';
}

void
modal_open_confirm(struct modal *m, const struct move_spec *specs, uint32_t n, bool is_undo)
{
	modal_reset(m, MODAL_CONFIRM);
	if (n > MODAL_SPECS)
		n = MODAL_SPECS;
	memcpy(m->specs, specs, n * sizeof *specs);
	m->n_specs = n;
	m->is_undo = is_undo;
}

void
modal_open_force(struct modal *m, const struct move_spec *spec, bool is_undo, const char *refused)
{
	modal_open_confirm(m, spec, 1, is_undo);
	m->kind = MODAL_FORCE;
	proto_strlcpy(m->refused, refused, PROTO_TEXT_MAX);
	lineedit_start(&m->reason, "");
}

void
modal_close(struct modal *m)
{
	m->kind = MODAL_NONE;
}

bool
modal_open(const struct modal *m)
{
	return m->kind != MODAL_NONE;
}

/* ------------------------------------------------------------ picker */

/* Rows are the pools with the agents' own pool left out: handle h is
 * pool h below it and pool h + 1 from it on. */
uint32_t
modal_pick_pool(const struct modal *m, uint32_t row)
{
	return m->pick_own >= 0 && row >= (uint32_t)m->pick_own ? row + 1 : row;
}

static uint32_t
modal_pool_build(void *ctx)
{
	const struct modal *m = ctx;

	/* Moving agents to where they all are already moves nobody. */
	return m->pick_floor->n_pools - (m->pick_own >= 0);
}

static int
modal_pool_cmp(void *ctx, uint32_t a, uint32_t b, int sort, bool desc)
{
	const struct modal *m = ctx;

	(void)sort;
	(void)desc;
	return listing_pool_compare(m->pick_floor, modal_pick_pool(m, a), modal_pick_pool(m, b));
}

static void
modal_pool_key(void *ctx, uint32_t row, char *buf, size_t len)
{
	const struct modal *m = ctx;

	proto_strlcpy(buf, m->pick_floor->pools[modal_pick_pool(m, row)].def.id, len - 1);
}

static const struct list_class modal_pool_class = {
	.build = modal_pool_build,
	.cmp = modal_pool_cmp,
	.key = modal_pool_key,
};

/* The pool all the agents being moved are in, or -1. */
static int
modal_own_pool(const struct modal *m, const struct floor *f)
{
	int own = -1;

	for (uint32_t i = 0; i < m->n_agents; i++) {
		int p = m->agents[i] < f->n_agents ? f->agents[m->agents[i]].pool : -1;

		if (i > 0 && p != own)
			return -1;
		own = p;
	}
	return own;
}

struct list *
modal_pools(struct modal *m, const struct floor *f)
{
	m->pick_floor = f;
	m->pick_own = modal_own_pool(m, f);
	list_sync(&m->pick, &modal_pool_class, m, list_gen_mix(f->gen, (uint64_t)(m->pick_own + 1)));
	return &m->pick;
}

static enum modal_cmd
modal_say(struct modal *m, const char *text)
{
	proto_strlcpy(m->say, text, sizeof m->say - 1);
	return MODAL_SAY;
}

static enum modal_cmd
modal_pick_key(struct modal *m, const struct floor *f, int key, int page)
{
	struct list *l = modal_pools(m, f);
	int delta = 0;
	uint32_t pool;
	char err[128];

	if (key == 27 || key == 'q') {
		modal_close(m);
		return MODAL_KEEP;
	}
	if (key == 'j' || key == KEY_DOWN)
		delta = 1;
	else if (key == 'k' || key == KEY_UP)
		delta = -1;
	else if (key == KEY_NPAGE)
		delta = page;
	else if (key == KEY_PPAGE)
		delta = -page;
	if (delta) {
		list_move(l, &modal_pool_class, m, delta);
		return MODAL_KEEP;
	}
	if ((key != '\n' && key != '\r' && key != KEY_ENTER) || !list_current(l, &pool))
		return MODAL_KEEP;
	pool = modal_pick_pool(m, pool);
	if (move_spec_build(f, m->agents, m->n_agents, pool, "", &m->specs[0], err, sizeof err) < 0) {
		modal_close(m);
		return modal_say(m, err);
	}
	m->n_specs = 1;
	lineedit_start(&m->reason, "");
	m->kind = MODAL_REASON;
	return MODAL_KEEP;
}

/* A reason typed: on to the confirmation (forced, for FORCE). */
static enum modal_cmd
modal_reason_key(struct modal *m, int ch, bool is_key)
{
	switch (lineedit_key(&m->reason, ch, is_key)) {
	case LINEEDIT_ESCAPE:
		modal_close(m);
		return MODAL_KEEP;
	case LINEEDIT_ENTER:
		break;
	default:
		return MODAL_KEEP;
	}
	if (m->kind == MODAL_FORCE) {
		if (m->reason.buf[0] == '\0')
			return modal_say(m, "a reason is required to force a move past the contract minimum");
		/* Forcing is a new decision: it gets its own y. */
		m->specs[0].force = true;
	}
	lineedit_remember(&m->reason);
	proto_strlcpy(m->specs[0].reason, m->reason.buf, PROTO_TEXT_MAX);
	m->kind = MODAL_CONFIRM;
	return MODAL_KEEP;
}

enum modal_cmd
modal_key(struct modal *m, const struct floor *f, int ch, bool is_key, int page)
{
	switch (m->kind) {
	case MODAL_PICK:
		return modal_pick_key(m, f, ch, page);
	case MODAL_REASON:
	case MODAL_FORCE:
		return modal_reason_key(m, ch, is_key);
	case MODAL_CONFIRM:
		if (!is_key && (ch == 'y' || ch == 'Y')) {
			modal_close(m);
			return MODAL_SEND;
		}
		if (!is_key && (ch == 'n' || ch == 'N' || ch == 27 || ch == 'q'))
			modal_close(m);
		return MODAL_KEEP;
	default:
		return MODAL_KEEP;
	}
}

void
modal_free(struct modal *m)
{
	list_free(&m->pick);
}
