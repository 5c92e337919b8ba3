/*
 * modal: the move dialogs as a screen of their own over the view — pick
 * a destination pool, say why, see exactly what will happen and press y,
 * or give a reason to force past a contract minimum.  It holds what is
 * being prepared and answers keys with a command; sending is the move
 * controller's job (movectl), never the modal's.
 */
#ifndef POOLTOP_MODAL_H
#define POOLTOP_MODAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/lineedit.h"
#include "pooltop/list.h"
#include "pooltop/move.h"

#define MODAL_SPECS 8

enum modal_kind {
	MODAL_NONE,
	MODAL_PICK,              /* choosing a destination pool */
	MODAL_REASON,            /* typing why */
	MODAL_CONFIRM,           /* y / n */
	MODAL_FORCE,             /* refused for contract_min: a reason forces it */
};

enum modal_cmd {
	MODAL_KEEP,              /* still open (or closed by Esc): nothing to do */
	MODAL_SEND,              /* y: send specs[0..n_specs) */
	MODAL_SAY,               /* a problem to show the manager (text in say) */
};

struct modal {
	enum modal_kind kind;
	uint32_t agents[MOVE_AGENTS_MAX];   /* floor indexes, for the picker */
	uint32_t n_agents;
	struct list pick;                   /* the pools, by the list engine */
	const struct floor *pick_floor;     /* what the picker lists, while it syncs */
	int pick_own;                       /* the agents' own pool, left out; -1 none */
	uint32_t n_specs;
	struct move_spec specs[MODAL_SPECS];
	bool is_undo;
	char refused[PROTO_TEXT_MAX + 1];   /* the server's sentence, for FORCE */
	struct lineedit reason;
	char say[160];                      /* MODAL_SAY's text */
};

void modal_open_pick(struct modal *m, const uint32_t *agents, uint32_t n);
void modal_open_confirm(struct modal *m, const struct move_spec *specs, uint32_t n, bool is_undo);
void modal_open_force(struct modal *m, const struct move_spec *spec, bool is_undo, const char *refused);
void modal_close(struct modal *m);
bool modal_open(const struct modal *m);

/* A key while open.  page: rows a page key moves in the picker. */
enum modal_cmd modal_key(struct modal *m, const struct floor *f, int ch, bool is_key, int page);

/* The picker's pools (shared first, then dedicated, by id), synced to f;
 * the pool every agent being moved is in already is not among them. */
struct list *modal_pools(struct modal *m, const struct floor *f);
/* The floor's pool index of a picker row. */
uint32_t modal_pick_pool(const struct modal *m, uint32_t row);

void modal_free(struct modal *m);

/* Paint the open dialog over the screen (tui/modal_draw.c). */
struct app;
void modal_draw(struct app *a);

#endif
