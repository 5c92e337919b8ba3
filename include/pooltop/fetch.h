/*
 * fetch: what the dashboard asks the server for besides moves — the
 * closed shifts (`history`) for the Shifts view and the durable move
 * record (`audit`) for the Audit view — and the agent.moved events the
 * feed adds to that record.
 */
#ifndef POOLTOP_FETCH_H
#define POOLTOP_FETCH_H

#include "pooltop/app.h"

/* Closed shifts, unless asked already or not LIVE. */
void fetch_history(struct app *a);
/* The move record, once per epoch (the feed adds to it after). */
void fetch_audit(struct app *a);
/* An agent.moved from the feed, into the record (merged by epoch, seq). */
void fetch_audit_event(struct app *a, const struct proto_event *ev);
void fetch_free(struct app *a);

#endif
