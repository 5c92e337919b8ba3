/*
 * auth: pooltopd's side of keys.  With --keystore, both sockets are CURVE
 * servers (--server-key) vetted by the ZAP handler (zap.h); every request
 * is matched to the key it came over (the connection's User-Id and X-Key
 * metadata) as the keystore is now, and SIGHUP reloads the keystore:
 * connections whose keys are still there keep going, those whose keys
 * are gone or changed are cut off.
 */
#ifndef POOLTOP_AUTH_H
#define POOLTOP_AUTH_H

#include <stdbool.h>
#include <zmq.h>

#include "pooltop/server.h"

#define AUTH_OWNER_MAX (PROTO_ID_MAX + 8)

/* Set the sockets up before they bind: CURVE server, ZAP domains, the ZAP
 * handler running.  Without keys, only warn about --insecure.  0 or -1
 * (logged). */
int auth_open(struct server *sv);
void auth_close(struct server *sv);
/* Write the ZAP thread's waiting log lines (when its socket polls in). */
void auth_log_zap(struct server *sv);
/* SIGHUP: read the keystore again and apply it to live connections. */
void auth_reload(struct server *sv);
/* Whose request this is.  false: the sender's key is no longer valid and
 * *refusal holds the reply to send instead of handling it. */
bool auth_who(struct server *sv, zmq_msg_t *rid, zmq_msg_t *body, struct request_who *who,
              char owner[AUTH_OWNER_MAX], struct proto_buf *refusal);
/* The same from a key's name and Z85 remembered earlier (a move that
 * waited for the database): name NULL or "" when it came without keys. */
bool auth_who_named(struct server *sv, const void *rid, size_t rid_len, const char *name, const char *z85,
                    const uint8_t *body, size_t len, struct request_who *who, char owner[AUTH_OWNER_MAX],
                    struct proto_buf *refusal);
/* Whether an endpoint can be reached only from this machine. */
bool auth_endpoint_local(const char *ep);

#endif
