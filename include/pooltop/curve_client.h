/*
 * curve_client: a client's CURVE keys (pooltop --key, --server-public) and
 * what it needs to say why a CURVE server gives it nothing.  Self-contained
 * so every program that connects (dashboard, report) sets keys up the same
 * way: load once, apply to each socket before it connects.
 *
 * Defaults: ${XDG_CONFIG_HOME:-~/.config}/pooltop/client.key (and its
 * .pub) and .../server.pub.  With neither flag and no default key file the
 * client connects in plaintext, as to a server without a keystore.
 */
#ifndef POOLTOP_CURVE_CLIENT_H
#define POOLTOP_CURVE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "pooltop/keyfile.h"

struct curve_client {
	bool on;
	char pub[KEYFILE_Z85_LEN + 1];
	char secret[KEYFILE_Z85_LEN + 1];
	char server[KEYFILE_Z85_LEN + 1];
};

/* keypath and serverpub may be NULL (defaults).  0, or -1 with err. */
int curve_client_load(struct curve_client *cc, const char *keypath, const char *serverpub,
                      char *err, size_t errlen);
/* Make sock a CURVE client (nothing when cc->on is false).  0 or -1. */
int curve_client_apply(void *sock, const struct curve_client *cc, char *err, size_t errlen);
/* Both at once, for a caller that has one socket. */
int curve_client_setup(void *sock, const char *keypath, const char *serverpub, char *err,
                       size_t errlen);

/* Watch sock's handshakes: a PAIR socket in zctx that gets libzmq's
 * handshake failure events, or NULL.  Close it before the socket.  gen
 * tells apart monitors of sockets that reuse one address (a socket
 * reopened after a timeout). */
void *curve_client_monitor(void *zctx, void *sock, unsigned gen);
/* Read what the monitor has seen (non-blocking).  true, with a sentence in
 * why, when a handshake failed: wrong or missing key, or plaintext to a
 * CURVE server.  on says whether this client uses keys. */
bool curve_client_failed(void *monitor, bool on, char *why, size_t len);

#endif
