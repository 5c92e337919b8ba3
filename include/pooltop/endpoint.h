/*
 * endpoint: where pooltopd is and how to reach it.  The default endpoints
 * (PROTOCOL.md §1) are defined here once, for the server, the dashboard
 * and every batch command, and --server / --events / --requests / --key /
 * --server-public are read here once, with one set of rules and messages.
 */
#ifndef POOLTOP_ENDPOINT_H
#define POOLTOP_ENDPOINT_H

#include <stddef.h>

#include "pooltop/curve_client.h"

#define ENDPOINT_EVENTS_PORT "7701"
#define ENDPOINT_REQUESTS_PORT "7702"
#define ENDPOINT_EVENTS_DEFAULT "tcp://127.0.0.1:" ENDPOINT_EVENTS_PORT
#define ENDPOINT_REQUESTS_DEFAULT "tcp://127.0.0.1:" ENDPOINT_REQUESTS_PORT
#define ENDPOINT_MAX 256         /* bytes of an endpoint, NUL included */
#define ENDPOINT_HOST_MAX 200    /* bytes of a --server host */

struct endpoints {
	char events[ENDPOINT_MAX];
	char requests[ENDPOINT_MAX];
	/* --key, --server-public as given (argv's strings); NULL: the
	 * defaults under ${XDG_CONFIG_HOME:-~/.config}/pooltop/ */
	const char *key;
	const char *server_public;
};

/* Both endpoints at their defaults. */
void endpoint_defaults(struct endpoints *e);

/*
 * Take one option by its long name without the dashes: "server" (a host:
 * both endpoints on the default ports), "events" or "requests" (a ZeroMQ
 * endpoint, which must contain "://"), "key" (the path of our CURVE
 * secret key) or "server-public" (the server's public key: a file, or 40
 * Z85 characters); the key values are kept by pointer.  0 taken; 1 not
 * one of these names; -1 a bad value, with the message for the user in
 * err (e.g. "--server wants a host name or address, got 'a/b'").
 */
int endpoint_option(struct endpoints *e, const char *name, const char *value, char *err, size_t errlen);

/* The keys the options name (or the defaults), read: cc->on false when
 * there are none (plaintext).  0, or -1 with err (a usage error: a file
 * missing or unreadable, a secret key others may read, a key without the
 * server's public one). */
int endpoint_keys(const struct endpoints *e, struct curve_client *cc, char *err, size_t errlen);

/* What a status line calls a server: the endpoint without "tcp://". */
const char *endpoint_host(const char *ep);

#endif
