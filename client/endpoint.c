/*
 * Endpoint defaults and the options that name a server and the keys to
 * reach it with.
 */
#include <stdio.h>
#include <string.h>

#include "pooltop/endpoint.h"

void
endpoint_defaults(struct endpoints *e)
{
	snprintf(e->events, sizeof e->events, "%s", ENDPOINT_EVENTS_DEFAULT);
	snprintf(e->requests, sizeof e->requests, "%s", ENDPOINT_REQUESTS_DEFAULT);
	e->key = NULL;
	e->server_public = NULL;
}

/* A host is a name or an address, never an endpoint or a path: "a/b" or
 * "tcp://x" would make "tcp://tcp://x:7701". */
static int
endpoint_server(struct endpoints *e, const char *name, const char *v, char *err, size_t errlen)
{
	if (v[0] == '\0' || strlen(v) > ENDPOINT_HOST_MAX || strchr(v, '/')) {
		snprintf(err, errlen, "--%s wants a host name or address, got '%s'", name, v);
		return -1;
	}
	snprintf(e->events, sizeof e->events, "tcp://%s:%s", v, ENDPOINT_EVENTS_PORT);
	snprintf(e->requests, sizeof e->requests, "tcp://%s:%s", v, ENDPOINT_REQUESTS_PORT);
	return 0;
}

static int
endpoint_one(char *dst, const char *name, const char *v, char *err, size_t errlen)
{
	if (strstr(v, "://") == NULL || strlen(v) >= ENDPOINT_MAX) {
		snprintf(err, errlen, "--%s wants an endpoint like tcp://HOST:PORT, got '%s'", name, v);
		return -1;
	}
	snprintf(dst, ENDPOINT_MAX, "%s", v);
	return 0;
}

int
endpoint_option(struct endpoints *e, const char *name, const char *value, char *err, size_t errlen)
{
	if (strcmp(name, "server") == 0)
		return endpoint_server(e, name, value, err, errlen);
	if (strcmp(name, "events") == 0)
		return endpoint_one(e->events, name, value, err, errlen);
	if (strcmp(name, "requests") == 0)
		return endpoint_one(e->requests, name, value, err, errlen);
	if (strcmp(name, "key") == 0 || strcmp(name, "server-public") == 0) {
		if (value[0] == '\0') {
			snprintf(err, errlen, "--%s wants %s, got ''", name,
			         name[0] == 'k' ? "the path of a secret key" : "a public key file or 40 Z85 characters");
			return -1;
		}
		if (name[0] == 'k')
			e->key = value;
		else
			e->server_public = value;
		return 0;
	}
	return 1;
}

int
endpoint_keys(const struct endpoints *e, struct curve_client *cc, char *err, size_t errlen)
{
	return curve_client_load(cc, e->key, e->server_public, err, errlen);
}

const char *
endpoint_host(const char *ep)
{
	const char *p = strstr(ep, "://");

	return p ? p + 3 : ep;
}
