/*
 * The ZAP handler.  It runs in pooltopd's one thread: an answer is a
 * binary search in the keystore, so even a flood of handshakes costs the
 * loop little, and zap_handle answers a bounded batch per call.  The
 * expensive part of a bad handshake (the CURVE crypto) happens in libzmq's
 * I/O thread before the request reaches us.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/zap.h"

#define ZAP_FRAMES_MAX 8

struct zap {
	void *rep;
	struct zap_hooks hooks;
	struct zap_stats st;
	int64_t log_second;          /* the second the log budget counts in */
	int logged;                  /* refusals logged in it */
	uint64_t unlogged;           /* refusals past the budget */
};

struct zap *
zap_open(void *zctx, const struct zap_hooks *hooks, char *err, size_t errlen)
{
	struct zap *z = calloc(1, sizeof *z);
	int linger = 0;

	if (z == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (hooks != NULL)
		z->hooks = *hooks;
	z->rep = zmq_socket(zctx, ZMQ_REP);
	if (z->rep == NULL || zmq_setsockopt(z->rep, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
	    zmq_bind(z->rep, ZAP_ENDPOINT) != 0) {
		snprintf(err, errlen, "cannot start the ZAP handler on %s: %s", ZAP_ENDPOINT,
		         zmq_strerror(zmq_errno()));
		zap_close(z);
		return NULL;
	}
	return z;
}

void
zap_close(struct zap *z)
{
	if (z == NULL)
		return;
	if (z->rep != NULL)
		zmq_close(z->rep);
	free(z);
}

void *
zap_socket(struct zap *z)
{
	return z->rep;
}

const struct zap_stats *
zap_get_stats(const struct zap *z)
{
	return &z->st;
}

static void
zap_log(struct zap *z, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
zap_log(struct zap *z, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (z->hooks.log == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	z->hooks.log(z->hooks.ctx, line);
}

void
zap_flush_log(struct zap *z, int64_t now_ms)
{
	if (now_ms / 1000 == z->log_second || z->unlogged == 0)
		return;
	zap_log(z, "refused %llu more handshakes (not logged one by one); %llu refused in all",
	        (unsigned long long)z->unlogged, (unsigned long long)z->st.denied);
	z->unlogged = 0;
}

/* A refusal is always counted, and logged while the second's budget lasts:
 * a flood must not turn into a flood of log lines. */
static void
zap_refused(struct zap *z, int64_t now_ms, const char *addr, const char *why)
{
	z->st.denied++;
	zap_flush_log(z, now_ms);
	if (now_ms / 1000 != z->log_second) {
		z->log_second = now_ms / 1000;
		z->logged = 0;
	}
	if (z->logged < ZAP_LOG_PER_SEC) {
		z->logged++;
		zap_log(z, "refused a connection from %s: %s", addr, why);
	} else {
		z->unlogged++;
	}
}

/* ZMTP metadata: name length (1 byte), name, value length (4 bytes, big
 * endian), value. */
static size_t
zap_metadata(uint8_t *out, const char *name, const char *value)
{
	size_t nl = strlen(name), vl = strlen(value);

	out[0] = (uint8_t)nl;
	memcpy(out + 1, name, nl);
	out[1 + nl] = (uint8_t)(vl >> 24);
	out[2 + nl] = (uint8_t)(vl >> 16);
	out[3 + nl] = (uint8_t)(vl >> 8);
	out[4 + nl] = (uint8_t)vl;
	memcpy(out + 5 + nl, value, vl);
	return 5 + nl + vl;
}

static void
zap_reply(struct zap *z, zmq_msg_t *reqid, bool ok, const char *text,
          const struct keystore_key *k)
{
	uint8_t meta[64];
	size_t mlen = 0;

	if (ok)
		mlen = zap_metadata(meta, "X-Key", k->z85);
	zmq_send(z->rep, "1.0", 3, ZMQ_SNDMORE);
	zmq_send(z->rep, reqid ? zmq_msg_data(reqid) : "", reqid ? zmq_msg_size(reqid) : 0, ZMQ_SNDMORE);
	zmq_send(z->rep, ok ? "200" : "400", 3, ZMQ_SNDMORE);
	zmq_send(z->rep, text, strlen(text), ZMQ_SNDMORE);
	zmq_send(z->rep, ok ? k->name : "", ok ? strlen(k->name) : 0, ZMQ_SNDMORE);
	zmq_send(z->rep, meta, mlen, 0);
}

static bool
zap_frame_is(zmq_msg_t *m, const char *s)
{
	return zmq_msg_size(m) == strlen(s) && memcmp(zmq_msg_data(m), s, strlen(s)) == 0;
}

/* Frames: version, request id, domain, address, routing id, mechanism,
 * credentials (CURVE: the client's 32-byte public key). */
static void
zap_answer(struct zap *z, zmq_msg_t *f, int n, const struct keystore *ks, int64_t now_ms)
{
	char addr[64] = "?";
	const struct keystore_key *k;

	if (n < 6 || !zap_frame_is(&f[0], "1.0")) {
		z->st.malformed++;
		/* REP must answer every request, even one it cannot read */
		zap_reply(z, n >= 2 ? &f[1] : NULL, false, "malformed ZAP request", NULL);
		return;
	}
	snprintf(addr, sizeof addr, "%.*s", (int)(zmq_msg_size(&f[3]) < 60 ? zmq_msg_size(&f[3]) : 60),
	         (const char *)zmq_msg_data(&f[3]));
	if (!zap_frame_is(&f[5], "CURVE") || n != 7 || zmq_msg_size(&f[6]) != 32) {
		zap_refused(z, now_ms, addr, "not a CURVE handshake");
		zap_reply(z, &f[1], false, "CURVE only", NULL);
		return;
	}
	k = keystore_find(ks, zmq_msg_data(&f[6]));
	if (k == NULL) {
		char z85[KEYFILE_Z85_LEN + 1];
		char why[96];

		zmq_z85_encode(z85, zmq_msg_data(&f[6]), 32);
		snprintf(why, sizeof why, "key %s is not in the keystore", z85);
		zap_refused(z, now_ms, addr, why);
		zap_reply(z, &f[1], false, "unknown key", NULL);
		return;
	}
	if (zap_frame_is(&f[2], ZAP_DOMAIN_EVENTS)) {
		if (!k->all) {
			char why[96];

			snprintf(why, sizeof why, "key '%s' is scoped and may not take the unfiltered feed",
			         k->name);
			zap_refused(z, now_ms, addr, why);
			zap_reply(z, &f[1], false, "scoped key: subscribe over the request socket", NULL);
			return;
		}
	} else if (!zap_frame_is(&f[2], ZAP_DOMAIN_REQUESTS)) {
		zap_refused(z, now_ms, addr, "unknown ZAP domain");
		zap_reply(z, &f[1], false, "unknown domain", NULL);
		return;
	}
	z->st.allowed++;
	zap_reply(z, &f[1], true, "OK", k);
}

int
zap_handle(struct zap *z, const struct keystore *ks, int64_t now_ms, int max)
{
	int done = 0;

	while (done < max) {
		zmq_msg_t f[ZAP_FRAMES_MAX];
		int n = 0, more = 1;
		bool extra = false;
		size_t ml = sizeof more;

		while (more) {
			zmq_msg_t junk, *m = n < ZAP_FRAMES_MAX ? &f[n] : &junk;

			zmq_msg_init(m);
			if (zmq_msg_recv(m, z->rep, ZMQ_DONTWAIT) < 0) {
				zmq_msg_close(m);
				break;
			}
			if (m == &junk) {
				zmq_msg_close(m);
				extra = true;
			} else {
				n++;
			}
			zmq_getsockopt(z->rep, ZMQ_RCVMORE, &more, &ml);
		}
		if (n == 0)
			break;
		if (extra) {
			z->st.malformed++;
			zap_reply(z, &f[1], false, "malformed ZAP request", NULL);
		} else {
			zap_answer(z, f, n, ks, now_ms);
		}
		for (int i = 0; i < n; i++)
			zmq_msg_close(&f[i]);
		done++;
	}
	return done;
}
