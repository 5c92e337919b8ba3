/*
 * server_io: pooltopd's ROUTER side.  Whatever a peer sends, what the
 * server holds for it stays bounded:
 *  - a request is one frame (after a REQ socket's empty delimiter); any
 *    other shape is answered bad_request, never silently dropped;
 *  - replies go out zero-copy and are counted until libzmq lets go of
 *    them (server_replies_held); the ROUTER queues SERVER_REPLY_HWM per
 *    peer and, being ROUTER_MANDATORY, says when a peer's queue is full:
 *    then the request waits, unworked, until the peer has taken its
 *    replies (a client that pipelines faster than the network drains);
 *    a peer that does not read at all fills its share of that wait and
 *    its further requests are dropped before any work is done for them;
 *  - a move whose database is locked by another process waits here, in
 *    order, retried with backoff and jitter from the loop (which keeps
 *    publishing and answering meanwhile), and is answered `unavailable`
 *    when it cannot be made durable within SERVER_MOVE_WAIT_MS.  A move
 *    is still acknowledged only after its rows are committed;
 *  - on an Asterisk floor with --ami, a move is first carried out on the
 *    PBX (floor/server_ami.c, which keeps the envelope meanwhile) and
 *    comes back here when the PBX confirmed it (server_io_resume): then it
 *    is made like any move, waiting for the database if it must.
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
	if (zmq_send(sv->router, peer, peer_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
		return -1;
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
	else
		sv->n_dropped++;
}

void
server_io_reply(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
                struct proto_buf *reply)
{
	server_io_send(sv, peer, peer_len, delimiter, reply);
}

/* request_try with the envelope in sv->req, where a move the PBX must
 * carry out first (floor/server_ami.c) finds what it needs to answer it
 * later. */
static enum request_result
server_io_try(struct server *sv, const struct request_who *who, const void *peer, size_t peer_len,
              bool delimiter, const uint8_t *body, size_t len, struct proto_buf *reply,
              enum request_mode mode)
{
	enum request_result res;

	sv->req = (struct server_req){ peer, peer_len, delimiter, body, len,
	                               who && who->key ? who->key->name : "",
	                               who && who->key ? who->key->z85 : "" };
	res = request_try(sv, who, body, len, reply, mode);
	memset(&sv->req, 0, sizeof sv->req);
	return res;
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
	/* moves that wait together do not retry together */
	return rng_jitter(&sv->jitter, ms);
}

/* How many entries of list[0..n) are from this peer. */
static uint32_t
server_io_peer_count(const struct server_wait *list, uint32_t n, const void *peer, size_t len)
{
	uint32_t same = 0;

	for (uint32_t i = 0; i < n; i++)
		same += list[i].peer_len == len && memcmp(list[i].peer, peer, len) == 0;
	return same;
}

/* Append a request to a bounded list (allocated on first use): -1 when
 * the list, or this peer's share of it, is full. */
static struct server_wait *
server_io_list_add(struct server_wait **list, uint32_t *n, uint32_t max, uint32_t peer_max,
                   const void *id, size_t peer_len, bool delimiter, const uint8_t *body, size_t len,
                   const struct request_who *who)
{
	struct server_wait *w;

	if (*list == NULL)
		*list = calloc(max, sizeof **list);
	if (*list == NULL || *n >= max || peer_len > SERVER_PEER_ID_MAX ||
	    server_io_peer_count(*list, *n, id, peer_len) >= peer_max)
		return NULL;
	w = &(*list)[*n];
	w->body = malloc(len ? len : 1);
	if (w->body == NULL)
		return NULL;
	memcpy(w->body, body, len);
	w->len = len;
	memcpy(w->peer, id, peer_len);
	w->peer_len = peer_len;
	w->delimiter = delimiter;
	w->tries = 0;
	/* whose it is: looked up again in the keystore when it is tried */
	proto_strlcpy(w->key_name, who && who->key ? who->key->name : "", PROTO_ID_MAX);
	proto_strlcpy(w->key_z85, who && who->key ? who->key->z85 : "", KEYFILE_Z85_LEN);
	(*n)++;
	return w;
}

static void
server_io_list_remove(struct server_wait *list, uint32_t *n, uint32_t i)
{
	free(list[i].body);
	(*n)--;
	memmove(&list[i], &list[i + 1], (*n - i) * sizeof *list);
}

static int
server_io_wait_add(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
                   const uint8_t *body, size_t len, const struct request_who *who, int64_t now)
{
	struct server_wait *w = server_io_list_add(&sv->wait, &sv->n_wait, SERVER_WAIT_MAX,
	                                           SERVER_WAIT_PEER_MAX, peer, peer_len, delimiter,
	                                           body, len, who);

	if (w == NULL)
		return -1;
	w->deadline = now + SERVER_MOVE_WAIT_MS;
	w->next_try = now + server_io_backoff(sv, 0);
	if (sv->n_wait == 1)
		server_log(sv, "a move waits: the state database is locked by another process (%s); "
		           "moves wait up to %d ms for it, the floor goes on",
		           store_errmsg(sv->store), SERVER_MOVE_WAIT_MS);
	return 0;
}

static void
server_io_wait_pop(struct server *sv)
{
	server_io_list_remove(sv->wait, &sv->n_wait, 0);
}

static void
server_io_wait_retry(struct server *sv, int64_t now)
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
			res = server_io_try(sv, &who, w->peer, w->peer_len, w->delimiter, w->body, w->len,
			                    &reply, now >= w->deadline ? REQUEST_NOW : REQUEST_MAY_WAIT);
		if (res == REQUEST_BUSY) {
			proto_buf_free(&reply);
			w->next_try = now + server_io_backoff(sv, ++w->tries);
			return;
		}
		/* a move now waiting for the PBX is answered when it answers */
		if (res != REQUEST_DEFERRED)
			server_io_send(sv, w->peer, w->peer_len, w->delimiter, &reply);
		proto_buf_free(&reply);
		server_io_wait_pop(sv);
	}
}

/* ------------------------------------------------------------ peers slow to read */

/* Answer what waits for its peer's queue, in order per peer: a peer
 * still full is skipped with everything after it. */
static void
server_io_defer_remove(struct server *sv, uint32_t i)
{
	sv->defer_bytes -= sv->defer[i].len;
	server_io_list_remove(sv->defer, &sv->n_defer, i);
}

static void
server_io_defer_retry(struct server *sv, int64_t now)
{
	const struct server_wait *full[SERVER_DEFER_MAX];
	uint32_t n_full = 0, i = 0;
	bool sent = false;

	if (sv->n_defer == 0 || now < sv->defer_next)
		return;
	while (i < sv->n_defer) {
		struct server_wait *w = &sv->defer[i];
		struct request_who who;
		char owner[AUTH_OWNER_MAX];
		struct proto_buf reply;
		bool skip = false;

		for (uint32_t k = 0; k < n_full && !skip; k++)
			skip = full[k]->peer_len == w->peer_len &&
			       memcmp(full[k]->peer, w->peer, w->peer_len) == 0;
		if (skip) {
			i++;
			continue;
		}
		if (server_io_begin(sv, w->peer, w->peer_len, w->delimiter) < 0) {
			if (zmq_errno() == EAGAIN) {
				full[n_full++] = w;
				i++;
			} else {
				sv->n_dropped++;	/* the peer is gone */
				server_io_defer_remove(sv, i);
			}
			continue;
		}
		proto_buf_init(&reply);
		/* whose it is as the keystore says now, like any request */
		if (auth_who_named(sv, w->peer, w->peer_len, w->key_name, w->key_z85, w->body, w->len, &who,
		                   owner, &reply) &&
		    request_try(sv, &who, w->body, w->len, &reply, REQUEST_NOW) == REQUEST_MALFORMED)
			sv->n_bad_requests++;
		server_io_finish(sv, &reply);
		proto_buf_free(&reply);
		server_io_defer_remove(sv, i);
		sent = true;
	}
	sv->defer_tries = sent ? 0 : sv->defer_tries + 1;
	sv->defer_next = now + (sent ? 1 : server_io_backoff(sv, sv->defer_tries));
}

void
server_io_retry(struct server *sv, int64_t now)
{
	server_io_wait_retry(sv, now);
	server_io_defer_retry(sv, now);
}

long
server_io_next(const struct server *sv, int64_t now)
{
	int64_t at = INT64_MAX;

	if (sv->n_wait > 0)
		at = sv->wait[0].next_try < sv->wait[0].deadline ? sv->wait[0].next_try
		                                                  : sv->wait[0].deadline;
	if (sv->n_defer > 0 && sv->defer_next < at)
		at = sv->defer_next;
	if (at == INT64_MAX)
		return -1;
	return at > now ? (long)(at - now) : 0;
}

void
server_io_close(struct server *sv)
{
	while (sv->n_wait > 0)
		server_io_wait_pop(sv);
	while (sv->n_defer > 0)
		server_io_defer_remove(sv, 0);
	free(sv->wait);
	free(sv->defer);
	sv->wait = NULL;
	sv->defer = NULL;
}

/* ------------------------------------------------------------ one request */

/* A move: made and answered now, or waiting (in order behind the moves
 * that already wait) for the database, or for the PBX. */
static void
server_io_move(struct server *sv, const struct request_who *who, const void *peer, size_t peer_len,
               bool delimiter, const uint8_t *data, size_t len, int64_t now)
{
	char id[PROTO_REQID_MAX + 1];
	enum request_result res;
	struct proto_buf reply;

	proto_buf_init(&reply);
	res = server_io_try(sv, who, peer, peer_len, delimiter, data, len, &reply,
	                    sv->n_wait > 0 ? REQUEST_QUEUE : REQUEST_MAY_WAIT);
	if (res == REQUEST_DEFERRED) {
		proto_buf_free(&reply);
		return;
	}
	if (res == REQUEST_BUSY) {
		if (server_io_wait_add(sv, peer, peer_len, delimiter, data, len, who, now) == 0) {
			proto_buf_free(&reply);
			return;
		}
		request_refuse(data, len, &reply, PROTO_RE_UNAVAILABLE,
		               "too many moves are waiting for the state database, which another "
		               "process has locked; the move was not made; retry with the same id later");
		if (proto_peek_id(data, len, id) == PROTO_OK)
			server_acd_move_done(sv, id);
	}
	server_io_send(sv, peer, peer_len, delimiter, &reply);
	proto_buf_free(&reply);
}

void
server_io_resume(struct server *sv, const void *peer, size_t peer_len, bool delimiter,
                 const uint8_t *body, size_t len, const char *key_name, const char *key_z85)
{
	struct request_who who;
	char owner[AUTH_OWNER_MAX];
	struct proto_buf reply;

	/* the keystore as it is now: a key removed while the PBX worked
	 * records nothing */
	proto_buf_init(&reply);
	if (!auth_who_named(sv, peer, peer_len, key_name, key_z85, body, len, &who, owner, &reply)) {
		server_io_send(sv, peer, peer_len, delimiter, &reply);
		proto_buf_free(&reply);
		return;
	}
	proto_buf_free(&reply);
	server_io_move(sv, &who, peer, peer_len, delimiter, body, len, server_mono_ms());
}

static void
server_io_defer(struct server *sv, zmq_msg_t *peer, bool delimiter, zmq_msg_t *body,
                const struct request_who *who, int64_t now)
{
	if (sv->defer_bytes + zmq_msg_size(body) > SERVER_DEFER_BYTES_MAX ||
	    server_io_list_add(&sv->defer, &sv->n_defer, SERVER_DEFER_MAX, SERVER_DEFER_PEER_MAX,
	                       zmq_msg_data(peer), zmq_msg_size(peer), delimiter, zmq_msg_data(body),
	                       zmq_msg_size(body), who) == NULL) {
		sv->n_dropped++;
		return;
	}
	sv->defer_bytes += zmq_msg_size(body);
	if (sv->n_defer == 1) {
		sv->defer_tries = 0;
		sv->defer_next = now + 1;
	}
}

static void
server_io_answer(struct server *sv, zmq_msg_t *peer, bool delimiter, zmq_msg_t *body, int64_t now)
{
	const uint8_t *data = zmq_msg_data(body);
	size_t len = zmq_msg_size(body);
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
		/* Nothing is worked out for a peer whose replies pile up: the
		 * request waits behind its earlier ones, or for room. */
		bool behind = sv->n_defer > 0 &&
		              server_io_peer_count(sv->defer, sv->n_defer, zmq_msg_data(peer),
		                                   zmq_msg_size(peer)) > 0;

		if (behind || server_io_begin(sv, zmq_msg_data(peer), zmq_msg_size(peer), delimiter) < 0) {
			if (!behind && zmq_errno() != EAGAIN)
				sv->n_dropped++;	/* the peer is gone */
			else
				server_io_defer(sv, peer, delimiter, body, &who, now);
			return;
		}
		if (request_try(sv, &who, data, len, &reply, REQUEST_NOW) == REQUEST_MALFORMED)
			sv->n_bad_requests++;
		server_io_finish(sv, &reply);
		proto_buf_free(&reply);
		return;
	}
	server_io_move(sv, &who, zmq_msg_data(peer), zmq_msg_size(peer), delimiter, data, len, now);
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
