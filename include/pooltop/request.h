/*
 * request: the dashboard's one way to the server's request channel.
 * Every request goes out through request_send with the function that
 * takes its answer; every answer comes back through request_dispatch.
 * Each request carries its own callback in the client library
 * (conn_request); the book here only pairs it with the function and
 * argument the dashboard's caller gave.
 */
#ifndef POOLTOP_REQUEST_H
#define POOLTOP_REQUEST_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/proto.h"

#define REQUEST_OUT_MAX 64

struct app;

/* The answer to one request; answered false when the connection gave up
 * without one.  arg is what request_send was given. */
typedef void (*request_done_fn)(struct app *a, uint64_t arg, const struct proto_reply *rp,
                                bool answered);

struct request_book {
	struct {
		uint64_t tag;            /* 0: free */
		request_done_fn done;
		uint64_t arg;
	} out[REQUEST_OUT_MAX];
	uint64_t next_tag;
};

/* Send rq; done(a, arg, ...) runs once with its answer.  0, or -1 when
 * it could not go out (too many in flight), and done never runs. */
int request_send(struct app *a, struct proto_request *rq, request_done_fn done, uint64_t arg);
/* Hand an answer to whoever asked (request_send's callback calls it). */
void request_dispatch(struct app *a, uint64_t tag, const struct proto_reply *rp, bool answered);

#endif
