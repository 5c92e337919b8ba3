/*
 * zap_thread: pooltopd's ZAP handler (zap.h) in a thread of its own.
 *
 * Why: during a flood of bad handshakes libzmq asks the handler about
 * each one; answered by the main loop, every question woke the loop (a
 * poll turn, the floor advanced, a heartbeat checked) -- ~100 us of the
 * main thread per refused handshake measured by bench/bench_flood.py.
 * Here nothing of the main loop runs for a handshake.
 *
 * The thread shares no memory with the rest of pooltopd.  It answers from
 * its own copy of the keystore, which the main thread replaces whole
 * (zap_thread_keys, after a SIGHUP) by handing a fresh copy over an
 * inproc PAIR socket: ownership moves with the message, so nothing is
 * locked and nothing is read while it changes.  Its log lines come back
 * over the same pair, for the main thread to write with the floor's
 * clock; the ZAP log's own budget (zap.h) bounds them.  Its counters are
 * read when it has stopped.
 */
#ifndef POOLTOP_ZAP_THREAD_H
#define POOLTOP_ZAP_THREAD_H

#include <stddef.h>

#include "pooltop/keystore.h"
#include "pooltop/zap.h"

#define ZAP_THREAD_BATCH 256       /* handshakes answered per turn of its loop */
#define ZAP_THREAD_LOG_HWM 1000    /* log lines waiting for the main thread, at most */
#define ZAP_THREAD_KEYS_WAIT_MS 5000 /* for the thread to take new keys */

struct zap_thread;

/* Bind the handler in zctx (before the CURVE sockets bind: an unanswered
 * handshake would be let in) and start the thread with a copy of ks.
 * NULL with err on failure. */
struct zap_thread *zap_thread_start(void *zctx, const struct keystore *ks, char *err, size_t errlen);
/* From the next handshake on, answer from a copy of ks: returns once the
 * thread has it (passing any log lines that come meanwhile to log).  0,
 * or -1: out of memory, and the thread keeps the keys it had; or no word
 * from the thread within ZAP_THREAD_KEYS_WAIT_MS. */
int zap_thread_keys(struct zap_thread *t, const struct keystore *ks,
                    void (*log)(void *ctx, const char *line), void *ctx);
/* The socket to poll for ZMQ_POLLIN: log lines are waiting. */
void *zap_thread_socket(struct zap_thread *t);
/* Hand each waiting log line to log(ctx, line); how many there were. */
int zap_thread_drain(struct zap_thread *t, void (*log)(void *ctx, const char *line), void *ctx);
/* Stop and join the thread; its counters into *st (when st is not NULL);
 * its last log lines to log (may be NULL).  Frees t. */
void zap_thread_stop(struct zap_thread *t, struct zap_stats *st,
                     void (*log)(void *ctx, const char *line), void *ctx);

#endif
