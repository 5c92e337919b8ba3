/*
 * The ZAP handler.  pooltopd runs it in a thread of its own
 * (zap_thread.c), so handshakes never wait for the main loop nor the main
 * loop for them; an answer is a binary search in the keystore and
 * zap_handle answers a bounded batch per call.  The expensive part of a
 * bad handshake (the CURVE handshake itself) happens in libzmq's I/O
 * threads before the request reaches us.
 *
 * Refusals are counted per peer address (a bounded table, the least
 * recently refused address giving way) so that the log says who floods:
 * an address's first refusal in a window is logged one by one, within a
 * budget per second; the rest are summed per address when the window
 * ends, the busiest addresses by name.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/zap.h"

#define ZAP_FRAMES_MAX 8
#define ZAP_ADDR_LEN 64

struct zap_addr {
	char addr[ZAP_ADDR_LEN];
	uint64_t total;              /* refusals since it entered the table */
	uint64_t unlogged;           /* refusals this window not logged one by one */
	int64_t last_ms;             /* its last refusal */
	bool logged;                 /* one logged this window */
};

struct zap {
	void *rep;
	struct zap_hooks hooks;
	struct zap_stats st;
	int64_t log_second;          /* the second the log budget counts in */
	int logged;                  /* refusals logged one by one in it */
	int64_t window_end;          /* when the per-address sums are logged */
	uint32_t n_addrs;
	struct zap_addr addrs[ZAP_ADDRS_MAX];
	uint64_t gone_unlogged;      /* unlogged refusals of addresses that gave way */
	uint32_t gone_addrs;
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

/* The address's entry, made if need be: when the table is full the least
 * recently refused address gives way, its unlogged refusals summed with
 * the others'. */
static struct zap_addr *
zap_addr_get(struct zap *z, const char *addr, int64_t now_ms)
{
	struct zap_addr *e, *oldest = NULL;

	for (uint32_t i = 0; i < z->n_addrs; i++) {
		e = &z->addrs[i];
		if (strcmp(e->addr, addr) == 0)
			return e;
		if (oldest == NULL || e->last_ms < oldest->last_ms)
			oldest = e;
	}
	if (z->n_addrs < ZAP_ADDRS_MAX) {
		e = &z->addrs[z->n_addrs++];
	} else {
		e = oldest;
		if (e->unlogged > 0) {
			z->gone_unlogged += e->unlogged;
			z->gone_addrs++;
		}
	}
	memset(e, 0, sizeof *e);
	snprintf(e->addr, sizeof e->addr, "%s", addr);
	e->last_ms = now_ms;
	return e;
}

static int
zap_addr_busier(const void *a, const void *b)
{
	const struct zap_addr *x = *(struct zap_addr *const *)a, *y = *(struct zap_addr *const *)b;

	return x->unlogged < y->unlogged ? 1 : x->unlogged > y->unlogged ? -1 : 0;
}

void
zap_flush_log(struct zap *z, int64_t now_ms)
{
	struct zap_addr *busy[ZAP_ADDRS_MAX];
	uint32_t n = 0, shown;
	uint64_t rest = z->gone_unlogged;

	if (now_ms < z->window_end)
		return;
	for (uint32_t i = 0; i < z->n_addrs; i++) {
		if (z->addrs[i].unlogged > 0)
			busy[n++] = &z->addrs[i];
		z->addrs[i].logged = false;
	}
	qsort(busy, n, sizeof *busy, zap_addr_busier);
	shown = n < ZAP_SUMMARY_LINES ? n : ZAP_SUMMARY_LINES;
	for (uint32_t i = 0; i < shown; i++)
		zap_log(z, "refused %llu more handshakes from %s in the last %d s (%llu from it in all)",
		        (unsigned long long)busy[i]->unlogged, busy[i]->addr, ZAP_WINDOW_MS / 1000,
		        (unsigned long long)busy[i]->total);
	for (uint32_t i = shown; i < n; i++)
		rest += busy[i]->unlogged;
	if (rest > 0)
		zap_log(z, "refused %llu more handshakes from %u other addresses in the last %d s",
		        (unsigned long long)rest, n - shown + z->gone_addrs, ZAP_WINDOW_MS / 1000);
	if (n > 0 || rest > 0)
		zap_log(z, "%llu handshakes refused in all", (unsigned long long)z->st.denied);
	for (uint32_t i = 0; i < n; i++)
		busy[i]->unlogged = 0;
	z->gone_unlogged = 0;
	z->gone_addrs = 0;
	z->window_end = now_ms > INT64_MAX - ZAP_WINDOW_MS ? INT64_MAX : now_ms + ZAP_WINDOW_MS;
}

/* A refusal is always counted, with its address; an address's first in a
 * window is logged while the second's budget lasts, the others summed:
 * a flood must not turn into a flood of log lines. */
static void
zap_refused(struct zap *z, int64_t now_ms, const char *addr, const char *why)
{
	struct zap_addr *e = zap_addr_get(z, addr, now_ms);

	z->st.denied++;
	e->total++;
	e->last_ms = now_ms;
	if (z->window_end == 0)
		z->window_end = now_ms + ZAP_WINDOW_MS;
	if (now_ms / 1000 != z->log_second) {
		z->log_second = now_ms / 1000;
		z->logged = 0;
	}
	if (!e->logged && z->logged < ZAP_LOG_PER_SEC) {
		z->logged++;
		e->logged = true;
		zap_log(z, "refused a connection from %s: %s", addr, why);
	} else {
		e->unlogged++;
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
