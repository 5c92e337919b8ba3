/*
 * feeds: event streams delivered over the ROUTER, one per connection that
 * asked (op `subscribe`, or any request from a scoped key).  This is how a
 * scoped key gets its feed: the PUB socket refuses such keys (zap.h), so
 * each of them gets only what its scope may see (scope.h), numbered by the
 * stream's own epoch and seq so a client joins and resyncs exactly as on
 * the PUB feed.  A stream message is two frames, `pt1` and the event map,
 * after the ROUTER's routing id; a reply is one frame, so a DEALER tells
 * them apart by count.
 */
#ifndef POOLTOP_FEEDS_H
#define POOLTOP_FEEDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pooltop/floor.h"
#include "pooltop/keystore.h"
#include "pooltop/proto.h"
#include "pooltop/scope.h"

#define FEEDS_MAX 256                /* streams at once; the oldest goes first */
#define FEEDS_PER_KEY 16             /* streams of one key at once */
#define FEEDS_RID_MAX 255            /* ZeroMQ routing ids are 1..255 bytes */

struct feed {
	uint8_t rid[FEEDS_RID_MAX];
	size_t rid_len;
	char name[PROTO_ID_MAX + 1];     /* the key's name; "" without keys */
	char z85[KEYFILE_Z85_LEN + 1];   /* the key; "" without keys */
	bool full;                       /* sees everything */
	struct scope scope;              /* when not full */
	uint64_t epoch;                  /* the stream's own: new per stream */
	uint64_t seq;
	uint64_t serial;                 /* age, for eviction */
};

struct feeds {
	struct feed *v;
	uint32_t n;
	uint64_t serial;
	struct proto_buf buf;
	uint64_t n_sent, n_dropped;      /* messages; dropped = peer's queue full */
};

void feeds_init(struct feeds *fs);
void feeds_free(struct feeds *fs);

struct feed *feeds_find(struct feeds *fs, const void *rid, size_t len);
/* The stream of this connection, made if it has none (k NULL = full view).
 * Epochs are base + a serial, so each new stream starts a new epoch.
 * NULL when out of memory or rid_len is out of range. */
struct feed *feeds_open(struct feeds *fs, const void *rid, size_t len, const struct floor *f,
                        const struct keystore_key *k, uint64_t base_epoch);
/* Give the stream a new grant (after SIGHUP) and tell its client to take a
 * new snapshot.  0, or -1 when the stream had to be closed (no memory,
 * or its peer is gone). */
int feeds_regrant(struct feeds *fs, void *router, struct feed *fd, const struct floor *f,
                  const struct keystore_key *k);
void feeds_close(struct feeds *fs, struct feed *fd);

/* Send ev (already applied to f) to every stream, as each may see it. */
void feeds_publish(struct feeds *fs, void *router, const struct floor *f,
                   const struct proto_event *ev);
/* A heartbeat on every stream, at floor time ts. */
void feeds_heartbeat(struct feeds *fs, void *router, int64_t ts);

#endif
