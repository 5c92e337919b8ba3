/*
 * evtext: one line of text for an event, as the Events view and logs show
 * it ("14:22:05 #1234 answered acme c81 by a017 after 0:12").
 */
#ifndef POOLTOP_EVTEXT_H
#define POOLTOP_EVTEXT_H

#include <stddef.h>

#include "pooltop/proto.h"

/* The event without its time and seq. */
char *evtext_format(char *buf, size_t len, const struct proto_event *ev);

#endif
