/*
 * zap: pooltopd's ZAP handler (ZeroMQ RFC 27) on inproc://zeromq.zap.01.
 * libzmq asks it about every CURVE handshake on the server's sockets; it
 * answers from the keystore.  Without an answer libzmq would let any key
 * in, so a handler that is not running must never be the state of a
 * CURVE server: the server opens this before it binds.
 *
 * Policy: the key must be in the keystore.  The events (PUB) domain takes
 * only keys whose scope is `*`: a scoped key gets its feed filtered over
 * the request socket, so it never holds a connection that carries other
 * tenants' events.  The User-Id of an accepted connection is the key's
 * name; its metadata property X-Key is the key itself, so a request can
 * be checked against the keystore as it is now (after a SIGHUP).
 */
#ifndef POOLTOP_ZAP_H
#define POOLTOP_ZAP_H

#include <stdbool.h>
#include <stdint.h>

#include "pooltop/keystore.h"

#define ZAP_ENDPOINT "inproc://zeromq.zap.01"
#define ZAP_DOMAIN_EVENTS "pooltop-events"
#define ZAP_DOMAIN_REQUESTS "pooltop-requests"
#define ZAP_LOG_PER_SEC 5        /* refusals logged one by one per second; the rest summed */
#define ZAP_WINDOW_MS 10000      /* refusals are summed per address over this */
#define ZAP_ADDRS_MAX 256        /* addresses counted at once (least recent give way) */
#define ZAP_SUMMARY_LINES 5      /* addresses named in a window's sums; the rest in one line */

struct zap_stats {
	uint64_t allowed;
	uint64_t denied;             /* unknown key, wrong domain, scoped key on the feed */
	uint64_t malformed;          /* requests libzmq should never send */
};

struct zap_hooks {
	void (*log)(void *ctx, const char *line);
	void *ctx;
};

struct zap;

/* Bind the handler in zctx.  NULL with err on failure. */
struct zap *zap_open(void *zctx, const struct zap_hooks *hooks, char *err, size_t errlen);
void zap_close(struct zap *z);
/* The socket to poll for ZMQ_POLLIN. */
void *zap_socket(struct zap *z);
/* Answer at most max waiting requests from ks; how many were answered. */
int zap_handle(struct zap *z, const struct keystore *ks, int64_t now_ms, int max);
/* Once a window (ZAP_WINDOW_MS) is over, log the refusals that were not
 * logged one by one, summed per address: the busiest by name, the rest
 * in one line. */
void zap_flush_log(struct zap *z, int64_t now_ms);
const struct zap_stats *zap_get_stats(const struct zap *z);

#endif
