/*
 * call: one request, its reply, and nothing else — for batch commands
 * (pooltop report, ptq) that ask and exit.  The same request channel as
 * the dashboard's (reqchan.h): same framing rule, same ids, Lazy Pirate
 * retries on a fresh socket under the same id.
 */
#ifndef POOLTOP_CALL_H
#define POOLTOP_CALL_H

#include <stddef.h>

#include "pooltop/curve_client.h"
#include "pooltop/proto.h"

enum client_call_rc {
	CLIENT_CALL_OK = 0,        /* rp holds the server's ok reply */
	CLIENT_CALL_REFUSED,       /* rp holds the server's refusal (ok false) */
	CLIENT_CALL_NO_ANSWER,     /* silence for the whole budget */
	CLIENT_CALL_BAD_REPLY,     /* an answer that is not a reply we can read */
	CLIENT_CALL_ENDPOINT,      /* the endpoint cannot be used: the user's value */
	CLIENT_CALL_FAILED,        /* ZeroMQ or memory failed us */
};

/*
 * Send rq to the requests endpoint `ep` (rq->id is assigned) and wait at
 * most timeout_ms in all: each of `tries` sends waits its share of what
 * is left (2 tries: half the budget, then the rest), the retry on a fresh
 * socket.  rp is filled on OK and REFUSED (free it with
 * proto_reply_free), left empty otherwise.  Unless OK, err says what
 * happened in a sentence for the user, e.g. "no answer from
 * tcp://127.0.0.1:7702 after 3.0 s (is pooltopd running?)" or
 * "snapshot refused: <server's words> (unavailable)".
 */
enum client_call_rc client_call(const char *ep, struct proto_request *rq, struct proto_reply *rp,
                                int timeout_ms, int tries, char *err, size_t errlen);
/* The same as a CURVE client (cc NULL or off: plaintext); a silence after
 * a refused handshake says why ("the server refused our key ..."). */
enum client_call_rc client_call_keyed(const char *ep, const struct curve_client *cc, struct proto_request *rq,
                                      struct proto_reply *rp, int timeout_ms, int tries, char *err,
                                      size_t errlen);

#endif
