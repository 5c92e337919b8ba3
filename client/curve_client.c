/*
 * Client keys (curve_client.h).  A CURVE server that refuses a client
 * sends it nothing at all, so without the monitor a dashboard could only
 * say "waiting"; libzmq's handshake events say why.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/curve_client.h"

int
curve_client_load(struct curve_client *cc, const char *keypath, const char *serverpub, char *err,
                  size_t errlen)
{
	char kdef[4096], sdef[4096];

	memset(cc, 0, sizeof *cc);
	if (keypath == NULL) {
		keyfile_default(kdef, sizeof kdef, "client.key");
		if (access(kdef, F_OK) != 0) {
			if (serverpub != NULL) {
				snprintf(err, errlen, "--server-public needs a key: --key PATH, or %s "
				         "(make one with: pooltop keygen %s)", kdef, kdef);
				return -1;
			}
			return 0;	/* plaintext */
		}
		keypath = kdef;
	}
	if (serverpub == NULL) {
		serverpub = keyfile_default(sdef, sizeof sdef, "server.pub");
		if (access(sdef, F_OK) != 0) {
			snprintf(err, errlen, "a key (%s) needs the server's public key: "
			         "--server-public PATH_OR_KEY, or %s", keypath, sdef);
			return -1;
		}
	}
	if (keyfile_read_secret(keypath, cc->secret, cc->pub, err, errlen) < 0 ||
	    keyfile_read_public(serverpub, cc->server, err, errlen) < 0) {
		memset(cc, 0, sizeof *cc);
		return -1;
	}
	cc->on = true;
	return 0;
}

int
curve_client_apply(void *sock, const struct curve_client *cc, char *err, size_t errlen)
{
	if (!cc->on)
		return 0;
	if (zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, cc->server, KEYFILE_Z85_LEN + 1) != 0 ||
	    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, cc->pub, KEYFILE_Z85_LEN + 1) != 0 ||
	    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, cc->secret, KEYFILE_Z85_LEN + 1) != 0) {
		snprintf(err, errlen, "cannot set CURVE keys: %s", zmq_strerror(zmq_errno()));
		return -1;
	}
	return 0;
}

int
curve_client_setup(void *sock, const char *keypath, const char *serverpub, char *err,
                   size_t errlen)
{
	struct curve_client cc;
	int rc;

	if (curve_client_load(&cc, keypath, serverpub, err, errlen) < 0)
		return -1;
	rc = curve_client_apply(sock, &cc, err, errlen);
	memset(&cc, 0, sizeof cc);
	return rc;
}

void *
curve_client_monitor(void *zctx, void *sock, unsigned gen)
{
	char ep[80];
	void *pair;

	snprintf(ep, sizeof ep, "inproc://curve-client-%p-%u", sock, gen);
	if (zmq_socket_monitor(sock, ep, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
	                       ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH) != 0)
		return NULL;
	pair = zmq_socket(zctx, ZMQ_PAIR);
	if (pair == NULL)
		return NULL;
	if (zmq_connect(pair, ep) != 0) {
		zmq_close(pair);
		return NULL;
	}
	return pair;
}

bool
curve_client_failed(void *monitor, bool on, char *why, size_t len)
{
	bool failed = false;

	for (int n = 0; monitor != NULL && n < 64; n++) {
		zmq_msg_t m;
		uint16_t event = 0;
		int more = 0;
		size_t ml = sizeof more;

		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, monitor, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			break;
		}
		/* Frame 1: event (16 bits) and value (32 bits); frame 2: the
		 * endpoint. */
		if (zmq_msg_size(&m) >= 2)
			memcpy(&event, zmq_msg_data(&m), 2);
		zmq_getsockopt(monitor, ZMQ_RCVMORE, &more, &ml);
		zmq_msg_close(&m);
		while (more) {
			zmq_msg_init(&m);
			zmq_msg_recv(&m, monitor, 0);
			zmq_msg_close(&m);
			zmq_getsockopt(monitor, ZMQ_RCVMORE, &more, &ml);
		}
		if (event == ZMQ_EVENT_HANDSHAKE_FAILED_AUTH)
			snprintf(why, len, "the server refused our key (unknown to it, removed, or not "
			         "allowed this feed)");
		else if (!on)
			snprintf(why, len, "the server wants CURVE keys: give --key and --server-public");
		else
			snprintf(why, len, "secure handshake failed: is --server-public the server's key?");
		failed = true;
	}
	return failed;
}
