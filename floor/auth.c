/*
 * pooltopd and keys (auth.h).  Everything a connection may do is decided
 * from the keystore as it is when the request arrives, not as it was at
 * the handshake: a key removed by SIGHUP stops working at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/auth.h"
#include "pooltop/keyfile.h"

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93   /* DRAFT in 4.3's header, built into Debian's library */
#endif

bool
auth_endpoint_local(const char *ep)
{
	const char *host, *colon;
	size_t n;

	if (strncmp(ep, "ipc://", 6) == 0 || strncmp(ep, "inproc://", 9) == 0)
		return true;
	if (strncmp(ep, "tcp://", 6) != 0)
		return false;
	host = ep + 6;
	colon = strrchr(host, ':');
	if (colon == NULL)
		return false;
	n = (size_t)(colon - host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		host++;
		n -= 2;
	}
	if ((n == 9 && strncmp(host, "localhost", 9) == 0) || (n == 3 && strncmp(host, "::1", 3) == 0) ||
	    (n == 2 && strncmp(host, "lo", 2) == 0))
		return true;
	if (n < 4 || strncmp(host, "127.", 4) != 0)
		return false;
	for (size_t i = 4; i < n; i++)
		if (!((host[i] >= '0' && host[i] <= '9') || host[i] == '.'))
			return false;
	return true;
}

static void
auth_on_zap_log(void *ctx, const char *line)
{
	server_log(ctx, "auth: %s", line);
}

static int
auth_curve(struct server *sv, void *sock, const char *secret, const char *domain)
{
	int one = 1;

	if (zmq_setsockopt(sock, ZMQ_CURVE_SERVER, &one, sizeof one) != 0 ||
	    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, secret, KEYFILE_Z85_LEN + 1) != 0 ||
	    zmq_setsockopt(sock, ZMQ_ZAP_DOMAIN, domain, strlen(domain)) != 0 ||
	    zmq_setsockopt(sock, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one) != 0) {
		server_log(sv, "cannot make a CURVE server socket: %s", zmq_strerror(zmq_errno()));
		return -1;
	}
	return 0;
}

int
auth_open(struct server *sv)
{
	char err[512], secret[KEYFILE_Z85_LEN + 1], pub[KEYFILE_Z85_LEN + 1];
	int rc;

	feeds_init(&sv->feeds);
	if (sv->opt.keystore == NULL) {
		if (!auth_endpoint_local(sv->opt.events_ep) || !auth_endpoint_local(sv->opt.requests_ep))
			server_log(sv, "WARNING: --insecure: no keys, and listening beyond this machine: anyone "
			           "who can reach %s or %s reads every tenant's data and can move agents",
			           sv->opt.events_ep, sv->opt.requests_ep);
		return 0;
	}
	if (zmq_has("curve") == 0) {
		server_log(sv, "this libzmq has no CURVE support, so --keystore cannot work");
		return -1;
	}
	if (keystore_load(&sv->keys, sv->opt.keystore, err, sizeof err) < 0) {
		server_log(sv, "%s", err);
		return -1;
	}
	if (keyfile_read_secret(sv->opt.server_key, secret, pub, err, sizeof err) < 0) {
		server_log(sv, "--server-key: %s", err);
		return -1;
	}
	/* The handler first: a CURVE socket bound without one would let
	 * every key in. */
	sv->zap = zap_thread_start(sv->zctx, &sv->keys, err, sizeof err);
	if (sv->zap == NULL) {
		server_log(sv, "%s", err);
		memset(secret, 0, sizeof secret);
		return -1;
	}
	rc = auth_curve(sv, sv->pub, secret, ZAP_DOMAIN_EVENTS);
	if (rc == 0)
		rc = auth_curve(sv, sv->router, secret, ZAP_DOMAIN_REQUESTS);
	memset(secret, 0, sizeof secret);
	if (rc < 0)
		return -1;
	sv->keyed = true;
	server_log(sv, "CURVE on both sockets, server public key %s; keystore %s: %u keys",
	           pub, sv->opt.keystore, sv->keys.n);
	return 0;
}

void
auth_log_zap(struct server *sv)
{
	if (sv->zap != NULL)
		zap_thread_drain(sv->zap, auth_on_zap_log, sv);
}

void
auth_close(struct server *sv)
{
	if (sv->zap != NULL) {
		struct zap_stats st;

		zap_thread_stop(sv->zap, &st, auth_on_zap_log, sv);
		sv->zap = NULL;
		server_log(sv, "auth: %llu connections accepted, %llu refused, %llu requests forbidden",
		           (unsigned long long)st.allowed, (unsigned long long)st.denied,
		           (unsigned long long)sv->n_forbidden);
	}
	feeds_free(&sv->feeds);
	keystore_free(&sv->keys);
}

/* The reply a request gets when its key is gone: it names no data. */
static void
auth_refusal(struct server *sv, const uint8_t *body, size_t len, const char *name,
             struct proto_buf *out)
{
	struct proto_reply rp;

	memset(&rp, 0, sizeof rp);
	if (proto_peek_id(body, len, rp.id) != PROTO_OK)
		rp.id[0] = '\0';
	rp.err = PROTO_RE_FORBIDDEN;
	snprintf(rp.msg, sizeof rp.msg, "key '%s' is no longer in the server's keystore; this "
	         "connection is cut off", name);
	proto_buf_reset(out);
	proto_encode_reply(out, &rp);
	sv->n_forbidden++;
}

bool
auth_who_named(struct server *sv, const void *rid, size_t rid_len, const char *name, const char *z85,
               const uint8_t *body, size_t len, struct request_who *who, char owner[AUTH_OWNER_MAX],
               struct proto_buf *refusal)
{
	const struct keystore_key *k;

	memset(who, 0, sizeof *who);
	who->rid = rid;
	who->rid_len = rid_len;
	who->owner = owner;
	owner[0] = '\0';
	if (!sv->keyed)
		return true;	/* the request's own `client` says whose it is */
	k = name ? keystore_find_name(&sv->keys, name) : NULL;
	if (k == NULL || z85 == NULL || strcmp(k->z85, z85) != 0) {
		struct feed *fd = feeds_find(&sv->feeds, rid, rid_len);

		if (fd != NULL)
			feeds_close(&sv->feeds, fd);
		auth_refusal(sv, body, len, name ? name : "?", refusal);
		return false;
	}
	who->key = k;
	snprintf(owner, AUTH_OWNER_MAX, "k:%s", k->name);
	return true;
}

bool
auth_who(struct server *sv, zmq_msg_t *rid, zmq_msg_t *body, struct request_who *who,
         char owner[AUTH_OWNER_MAX], struct proto_buf *refusal)
{
	const char *name = sv->keyed ? zmq_msg_gets(body, "User-Id") : NULL;
	const char *z85 = sv->keyed ? zmq_msg_gets(body, "X-Key") : NULL;

	return auth_who_named(sv, zmq_msg_data(rid), zmq_msg_size(rid), name, z85, zmq_msg_data(body),
	                      zmq_msg_size(body), who, owner, refusal);
}

/* Drop every PUB connection: their clients reconnect at once and go
 * through the ZAP handler again, so only keys still valid get back on. */
static void
auth_rebind_pub(struct server *sv)
{
	char ep[512];
	size_t len = sizeof ep;

	if (zmq_getsockopt(sv->pub, ZMQ_LAST_ENDPOINT, ep, &len) != 0 ||
	    zmq_unbind(sv->pub, ep) != 0 || zmq_bind(sv->pub, ep) != 0)
		server_log(sv, "auth: cannot rebind the events socket %s: %s", ep,
		           zmq_strerror(zmq_errno()));
	else
		server_log(sv, "auth: events socket rebound: feed subscribers reconnect and are vetted again");
}

void
auth_reload(struct server *sv)
{
	struct keystore nks;
	char err[512];
	bool rebind = false;

	if (!sv->keyed) {
		server_log(sv, "SIGHUP: no keystore to reload");
		return;
	}
	if (keystore_load(&nks, sv->opt.keystore, err, sizeof err) < 0) {
		server_log(sv, "SIGHUP: %s; keeping the %u keys loaded before", err, sv->keys.n);
		return;
	}
	/* A full-scope key may be on the PUB feed, which cannot drop one
	 * peer: if any such key is gone or narrowed, everyone there is
	 * vetted again. */
	for (uint32_t i = 0; i < sv->keys.n; i++) {
		const struct keystore_key *o = &sv->keys.keys[i], *n = keystore_find(&nks, o->pub);

		if (o->all && (n == NULL || !n->all || strcmp(n->name, o->name) != 0)) {
			server_log(sv, "SIGHUP: full-scope key '%s' %s", o->name, n ? "changed" : "removed");
			rebind = true;
		}
	}
	for (uint32_t i = 0; i < sv->feeds.n;) {
		struct feed *fd = &sv->feeds.v[i];
		const struct keystore_key *o = keystore_find_name(&sv->keys, fd->name);
		const struct keystore_key *n = keystore_find_name(&nks, fd->name);

		if (fd->name[0] == '\0') {
			i++;
		} else if (n == NULL || strcmp(n->z85, fd->z85) != 0) {
			server_log(sv, "SIGHUP: key '%s' removed: its event stream is closed", fd->name);
			feeds_close(&sv->feeds, fd);
		} else if (o == NULL || !keystore_same_grant(o, n)) {
			if (feeds_regrant(&sv->feeds, sv->router, fd, &sv->floor, n) == 0)
				i++;
		} else {
			i++;
		}
	}
	keystore_free(&sv->keys);
	sv->keys = nks;
	if (zap_thread_keys(sv->zap, &sv->keys, auth_on_zap_log, sv) < 0)
		server_log(sv, "SIGHUP: the handshake thread did not take the new keys (out of memory?): "
		           "new connections may still be vetted against the keys loaded before; requests "
		           "already use the new ones");
	server_log(sv, "SIGHUP: keystore %s reloaded: %u keys", sv->opt.keystore, sv->keys.n);
	if (rebind)
		auth_rebind_pub(sv);
}
