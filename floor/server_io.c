/*
 * server_io: pooltopd's ROUTER side.  Whatever a peer sends, what the
 * server holds for it stays bounded:
 *  - a request is one frame (after a REQ socket's empty delimiter); any
 *    other shape is answered bad_request, never silently dropped;
 *  - replies go out zero-copy and are counted until libzmq lets go of
 *    them (server_replies_held); the ROUTER queues SERVER_REPLY_HWM per
 *    peer and, being ROUTER_MANDATORY, says when a peer's queue is full:
 *    then the request is dropped before any work is done for it (the
 *    peer is not reading; a client that is will retry);
 *  - a move whose database is locked by another process waits here, in
 *    order, retried with backoff and jitter from the loop (which keeps
 *    publishing and answering meanwhile), and is answered `unavailable`
 *    when it cannot be made durable within SERVER_MOVE_WAIT_MS.  A move
 *    is still acknowledged only after its rows are committed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/auth.h"
#include "pooltop/server.h"

#define SERVER_IO_FRAMES_MAX 4     /* identity, delimiter, body, one spare */
#define SERVER_IO_RETRY_MIN_MS 10
#define SERVER_IO_RETRY_MAX_MS 200

/* Held by libzmq with each reply it sends, until it frees the data. */
struct server_io_hold {
	_Atomic uint64_t *bytes;
	size_t len;
};

uint64_t
server_replies_held(const struct server *sv)
{
	return atomic_load(&((struct server *)sv)->reply_bytes);
}

/* libzmq's I/O thread calls this when the reply has left for the peer's
 * socket (or the peer went away): the one cross-thread touch, atomic. */
static void
server_io_free(void *data, void *hint)
{
	struct server_io_hold *h = hint;

	atomic_fetch_sub(h->bytes, h->len);
	free(data);
	free(h);
}

/* The routing id, and the empty delimiter a REQ peer needs, first: when
 * the peer's queue is full (or it is gone) nothing is sent and -1 says
 * to drop the request. */
static int
server_io_begin(struct server *sv, const void *peer, size_t peer_len, bool delimiter)
{
	if (zmq_send(sv->router, peer, peer_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
		sv->n_dropped++;
		return -1;
	}
	if (delimiter)
		zmq_send(sv->router, "", 0, ZMQ_SNDMORE | ZMQ_DONTWAIT);
	return 0;
}

/* The body, after server_io_begin; the buffer goes to libzmq. */
static void
server_io_finish(struct server *sv, struct proto_buf *reply)
{
	struct server_io_hold *h = malloc(sizeof *h);
	zmq_msg_t m;

	if (h == NULL || reply->len == 0) {
		free(h);
		zmq_send(sv->router, reply->data, reply->len, ZMQ_DONTWAIT);
		return;
	}
	h->bytes = &sv->reply_bytes;
	h->len = reply->len;
	atomic_fetch_add(&sv->reply_bytes, reply->len);
	if (zmq_msg_init_data(&m, reply->data, reply->len, server_io_free, h) != 0) {
		atomic_fetch_sub(&sv->reply_bytes, reply->len);
		free(h);
		zmq_send(sv->router, reply->data, reply->len, ZMQ_DONTWAIT);
		return;
	}
	proto_buf_init(reply);
	if (zmq_msg_send(&m, sv->router, ZMQ_DONTWAIT) < 0)
		zmq_msg_close(&m);
}

static void
server_io_send(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
               struct proto_buf *reply)
{
	if (server_io_begin(sv, peer, peer_len, delimiter) == 0)
		server_io_finish(sv, reply);
}

/* ------------------------------------------------------------ waiting moves */

static int64_t
server_io_backoff(struct server *sv, uint32_t tries)
{
	int64_t ms = SERVER_IO_RETRY_MIN_MS;

	while (tries-- > 0 && ms < SERVER_IO_RETRY_MAX_MS)
		ms *= 2;
	if (ms > SERVER_IO_RETRY_MAX_MS)
		ms = SERVER_IO_RETRY_MAX_MS;
	/* jitter: 50-150 %, so moves that wait together do not retry together */
	return ms / 2 + (int64_t)(rng_next(&sv->jitter) % (uint64_t)(ms + 1));
}

static int
server_io_wait_add(struct server *sv, const zmq_msg_t *peer, bool delimiter, const zmq_msg_t *body,
                   const struct request_who *who, int64_t now)
{
	size_t peer_len = zmq_msg_size(peer);
	struct server_wait *w;
	uint32_t same = 0;

	if (sv->wait == NULL)
		sv->wait = calloc(SERVER_WAIT_MAX, sizeof *sv->wait);
	if (sv->wait == NULL || sv->n_wait >= SERVER_WAIT_MAX || peer_len > SERVER_PEER_ID_MAX)
		return -1;
	for (uint32_t i = 0; i < sv->n_wait; i++)
		same += sv->wait[i].peer_len == peer_len &&
		        memcmp(sv->wait[i].peer, zmq_msg_data((zmq_msg_t *)peer), peer_len) == 0;
	if (same >= SERVER_WAIT_PEER_MAX)
		return -1;
	w = &sv->wait[sv->n_wait];
	w->body = malloc(zmq_msg_size(body) ? zmq_msg_size(body) : 1);
	if (w->body == NULL)
		return -1;
	memcpy(w->body, zmq_msg_data((zmq_msg_t *)body), zmq_msg_size(body));
	w->len = zmq_msg_size(body);
	memcpy(w->peer, zmq_msg_data((zmq_msg_t *)peer), peer_len);
	w->peer_len = peer_len;
	w->delimiter = delimiter;
	w->deadline = now + SERVER_MOVE_WAIT_MS;
	w->tries = 0;
	proto_strlcpy(w->key_name, who->key ? who->key->name : "", PROTO_ID_MAX);
	proto_strlcpy(w->key_z85, who->key ? who->key->z85 : "", KEYFILE_Z85_LEN);
	w->next_try = now + server_io_backoff(sv, 0);
	if (sv->n_wait++ == 0)
		server_log(sv, "a move waits: the state database is locked by another process (%s); "
		           "moves wait up to %d ms for it, the floor goes on",
		           store_errmsg(sv->store), SERVER_MOVE_WAIT_MS);
	return 0;
}

static void
server_io_wait_pop(struct server *sv)
{
	free(sv->wait[0].body);
	sv->n_wait--;
	memmove(&sv->wait[0], &sv->wait[1], sv->n_wait * sizeof *sv->wait);
}

void
server_io_retry(struct server *sv, int64_t now)
{
	while (sv->n_wait > 0) {
		struct server_wait *w = &sv->wait[0];
		enum request_result res = REQUEST_ANSWERED;
		struct request_who who;
		char owner[AUTH_OWNER_MAX];
		struct proto_buf reply;

		if (now < w->next_try && now < w->deadline)
			return;	/* in order: the ones behind it wait for it */
		proto_buf_init(&reply);
		/* The keystore as it is now: a key removed while its move
		 * waited moves nothing. */
		if (auth_who_named(sv, w->peer, w->peer_len, w->key_name, w->key_z85, w->body, w->len, &who,
		                   owner, &reply))
			res = request_try(sv, &who, w->body, w->len, &reply,
			                  now >= w->deadline ? REQUEST_NOW : REQUEST_MAY_WAIT);
		if (res == REQUEST_BUSY) {
			proto_buf_free(&reply);
			w->next_try = now + server_io_backoff(sv, ++w->tries);
			return;
		}
		server_io_send(sv, w->peer, w->peer_len, w->delimiter, &reply);
		proto_buf_free(&reply);
		server_io_wait_pop(sv);
	}
}

long
server_io_next(const struct server *sv, int64_t now)
{
	int64_t at;

	if (sv->n_wait == 0)
		return -1;
	at = sv->wait[0].next_try < sv->wait[0].deadline ? sv->wait[0].next_try : sv->wait[0].deadline;
	return at > now ? (long)(at - now) : 0;
}

void
server_io_close(struct server *sv)
{
	while (sv->n_wait > 0)
		server_io_wait_pop(sv);
	free(sv->wait);
	sv->wait = NULL;
}

/* ------------------------------------------------------------ one request */

static void
server_io_answer(struct server *sv, zmq_msg_t *peer, bool delimiter, zmq_msg_t *body, int64_t now)
{
	const uint8_t *data = zmq_msg_data(body);
	size_t len = zmq_msg_size(body);
	enum request_result res;
	struct request_who who;
	char owner[AUTH_OWNER_MAX];
	struct proto_buf reply;

	proto_buf_init(&reply);
	sv->n_requests++;
	if (!auth_who(sv, peer, body, &who, owner, &reply)) {
		server_io_send(sv, zmq_msg_data(peer), zmq_msg_size(peer), delimiter, &reply);
		proto_buf_free(&reply);
		return;
	}
	if (request_op(data, len) != PROTO_OP_MOVE) {
		/* Nothing is worked out for a peer that does not read. */
		if (server_io_begin(sv, zmq_msg_data(peer), zmq_msg_size(peer), delimiter) < 0)
			return;
		if (request_try(sv, &who, data, len, &reply, REQUEST_NOW) == REQUEST_MALFORMED)
			sv->n_bad_requests++;
		server_io_finish(sv, &reply);
		proto_buf_free(&reply);
		return;
	}
	res = request_try(sv, &who, data, len, &reply, sv->n_wait > 0 ? REQUEST_QUEUE : REQUEST_MAY_WAIT);
	if (res == REQUEST_BUSY) {
		if (server_io_wait_add(sv, peer, delimiter, body, &who, now) == 0)
			return;
		request_refuse(data, len, &reply, PROTO_RE_UNAVAILABLE,
		               "too many moves are waiting for the state database, which another "
		               "process has locked; the move was not made; retry with the same id later");
	}
	server_io_send(sv, zmq_msg_data(peer), zmq_msg_size(peer), delimiter, &reply);
	proto_buf_free(&reply);
}

bool
server_io_request(struct server *sv, int64_t now)
{
	zmq_msg_t frames[SERVER_IO_FRAMES_MAX];
	int n = 0, total = 0, more;
	size_t more_len = sizeof more;
	bool delimiter;

	do {
		if (n < SERVER_IO_FRAMES_MAX) {
			zmq_msg_init(&frames[n]);
			if (zmq_msg_recv(&frames[n], sv->router, ZMQ_DONTWAIT) < 0) {
				zmq_msg_close(&frames[n]);
				break;
			}
			n++;
		} else {
			zmq_msg_t junk;
			zmq_msg_init(&junk);
			zmq_msg_recv(&junk, sv->router, ZMQ_DONTWAIT);
			zmq_msg_close(&junk);
		}
		total++;
		more = 0;
		zmq_getsockopt(sv->router, ZMQ_RCVMORE, &more, &more_len);
	} while (more);
	if (n == 0)
		return false;

	/* identity [+ empty delimiter] + body */
	delimiter = n >= 3 && zmq_msg_size(&frames[1]) == 0;
	if (total == 2 || (total == 3 && delimiter)) {
		server_io_answer(sv, &frames[0], delimiter, &frames[n - 1], now);
	} else if (n >= 2) {
		struct proto_buf reply;
		char msg[PROTO_TEXT_MAX + 1];

		sv->n_bad_requests++;
		snprintf(msg, sizeof msg, "a request is one frame (after a REQ socket's empty "
		         "delimiter); this one had %d", total - 1 - (delimiter ? 1 : 0));
		proto_buf_init(&reply);
		request_refuse(zmq_msg_data(&frames[n - 1]), zmq_msg_size(&frames[n - 1]), &reply,
		               PROTO_RE_BAD_REQUEST, msg);
		server_io_send(sv, zmq_msg_data(&frames[0]), zmq_msg_size(&frames[0]), delimiter, &reply);
		proto_buf_free(&reply);
	}
	for (int i = 0; i < n; i++)
		zmq_msg_close(&frames[i]);
	return true;
}
