/*
 * dialog: the move flow on screen — pick a destination, say why, confirm
 * (nothing is sent before y), force a contract_min refusal with a reason,
 * undo.  Replies and agent.moved events come back through here to settle
 * what is pending.
 */
#ifndef POOLTOP_DIALOG_H
#define POOLTOP_DIALOG_H

#include <stdbool.h>
#include <wchar.h>

#include "pooltop/app.h"

/* `m`: the tagged agents, or the one under the cursor in Agents. */
void dialog_move_start(struct app *a);
/* `:move` with a parsed spec: straight to the confirmation. */
void dialog_move_spec(struct app *a, const struct move_spec *spec);
/* `u`: the reverse of the last move made here, to confirm. */
void dialog_undo_start(struct app *a);

/* Keys while a dialog mode is up. */
void dialog_key(struct app *a, wint_t ch, bool is_key);
void dialog_draw(struct app *a);

/* The answer to a move request (tag from move_book); answered false when
 * the connection gave up without one. */
void dialog_on_reply(struct app *a, uint64_t tag, const struct proto_reply *rp, bool answered);
/* The replica moved on (an event, a snapshot): settle what that covers. */
void dialog_settle(struct app *a);
/* Every applied event: agent.moved settles pending moves. */
void dialog_on_event(struct app *a, const struct proto_event *ev);

#endif
