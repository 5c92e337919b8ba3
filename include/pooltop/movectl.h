/*
 * movectl: the move controller — sends a confirmed move, takes its reply
 * and the agent.moved events that settle it (move_book keeps the
 * pending / acknowledged / unknown states and the undo stack), and says
 * in the feedback line only what it knows: "confirmed" once the server's
 * agent.moved for the move came through the feed, "acknowledged" while
 * the server has said yes but the feed has not shown it.
 */
#ifndef POOLTOP_MOVECTL_H
#define POOLTOP_MOVECTL_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/app.h"

/* Send each spec (one request each). */
void movectl_send(struct app *a, const struct move_spec *specs, uint32_t n, bool is_undo);
/* An applied agent.moved event. */
void movectl_on_event(struct app *a, const struct proto_event *ev);
/* Take out of the undo list what someone else has moved since (ev: the
 * agent.moved that did it, or NULL), and say so.  True when it did. */
bool movectl_prune(struct app *a, const struct proto_event *ev);
/* The replica moved on (an event, a snapshot): settle what that covers. */
void movectl_settle(struct app *a);
/* --readonly: says so and returns true. */
bool movectl_refuse_readonly(struct app *a);

/* What a settled move's message says, from what was seen. */
enum movectl_outcome {
	MOVECTL_CONFIRMED,       /* every agent's agent.moved came through the feed */
	MOVECTL_NOTHING,         /* every agent was already in the destination */
	MOVECTL_UNSEEN,          /* acknowledged, but not all seen in the feed */
};
enum movectl_outcome movectl_outcome(const struct move_pending *p, uint32_t *seen, uint32_t *due);

#endif
