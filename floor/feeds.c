/*
 * Per-connection event streams over the ROUTER (feeds.h).  The ROUTER is
 * ZMQ_ROUTER_MANDATORY, so a send to a peer that has gone says so
 * (EHOSTUNREACH) and its stream is closed; a peer whose queue is full
 * (EAGAIN) loses that event and sees the gap in seq, as on the PUB.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "pooltop/feeds.h"

void
feeds_init(struct feeds *fs)
{
	memset(fs, 0, sizeof *fs);
	proto_buf_init(&fs->buf);
}

void
feeds_free(struct feeds *fs)
{
	for (uint32_t i = 0; i < fs->n; i++)
		scope_free(&fs->v[i].scope);
	free(fs->v);
	proto_buf_free(&fs->buf);
	memset(fs, 0, sizeof *fs);
}

struct feed *
feeds_find(struct feeds *fs, const void *rid, size_t len)
{
	for (uint32_t i = 0; i < fs->n; i++)
		if (fs->v[i].rid_len == len && memcmp(fs->v[i].rid, rid, len) == 0)
			return &fs->v[i];
	return NULL;
}

void
feeds_close(struct feeds *fs, struct feed *fd)
{
	uint32_t i = (uint32_t)(fd - fs->v);

	scope_free(&fd->scope);
	fs->v[i] = fs->v[--fs->n];
}

static struct feed *
feeds_oldest(struct feeds *fs, const char *name)
{
	struct feed *old = NULL;

	for (uint32_t i = 0; i < fs->n; i++)
		if ((name == NULL || strcmp(fs->v[i].name, name) == 0) &&
		    (old == NULL || fs->v[i].serial < old->serial))
			old = &fs->v[i];
	return old;
}

static int
feeds_grant(struct feed *fd, const struct floor *f, const struct keystore_key *k)
{
	scope_free(&fd->scope);
	fd->full = k == NULL || k->all;
	return fd->full ? 0 : scope_build(&fd->scope, f, k);
}

struct feed *
feeds_open(struct feeds *fs, const void *rid, size_t len, const struct floor *f,
           const struct keystore_key *k, uint64_t base_epoch)
{
	struct feed *fd = feeds_find(fs, rid, len);
	uint32_t mine = 0;

	if (fd != NULL)
		return fd;
	if (len == 0 || len > FEEDS_RID_MAX)
		return NULL;
	/* Bounded whatever a peer does: a key that opens too many streams
	 * loses its oldest, and so does the floor as a whole. */
	for (uint32_t i = 0; i < fs->n; i++)
		mine += strcmp(fs->v[i].name, k ? k->name : "") == 0;
	if (mine >= FEEDS_PER_KEY)
		feeds_close(fs, feeds_oldest(fs, k ? k->name : ""));
	else if (fs->n >= FEEDS_MAX)
		feeds_close(fs, feeds_oldest(fs, NULL));
	if (fs->v == NULL) {
		fs->v = calloc(FEEDS_MAX, sizeof *fs->v);
		if (fs->v == NULL)
			return NULL;
	}
	fd = &fs->v[fs->n];
	memset(fd, 0, sizeof *fd);
	memcpy(fd->rid, rid, len);
	fd->rid_len = len;
	if (k != NULL) {
		memcpy(fd->name, k->name, sizeof fd->name);
		memcpy(fd->z85, k->z85, sizeof fd->z85);
	}
	if (feeds_grant(fd, f, k) < 0)
		return NULL;
	fd->serial = ++fs->serial;
	fd->epoch = base_epoch + fd->serial;
	fs->n++;
	return fd;
}

/* 0 sent, 1 dropped (queue full), -1 the peer is gone. */
static int
feeds_send(struct feeds *fs, void *router, struct feed *fd, const struct proto_event *ev)
{
	proto_buf_reset(&fs->buf);
	if (proto_encode_event(&fs->buf, ev) < 0)
		return 1;
	if (zmq_send(router, fd->rid, fd->rid_len, ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0) {
		if (zmq_errno() == EHOSTUNREACH)
			return -1;
		fs->n_dropped++;
		return 1;
	}
	zmq_send(router, PROTO_TOPIC, strlen(PROTO_TOPIC), ZMQ_SNDMORE | ZMQ_DONTWAIT);
	zmq_send(router, fs->buf.data, fs->buf.len, ZMQ_DONTWAIT);
	fs->n_sent++;
	return 0;
}

static void
feeds_reset_event(struct proto_event *ev, const struct feed *fd, int64_t ts)
{
	memset(ev, 0, sizeof *ev);
	ev->type = PROTO_EV_FLOOR_RESET;
	ev->epoch = fd->epoch;
	ev->ts = ts;
}

int
feeds_regrant(struct feeds *fs, void *router, struct feed *fd, const struct floor *f,
              const struct keystore_key *k)
{
	struct proto_event ev;

	if (feeds_grant(fd, f, k) < 0) {
		feeds_close(fs, fd);
		return -1;
	}
	feeds_reset_event(&ev, fd, f->ts);
	ev.seq = ++fd->seq;
	if (feeds_send(fs, router, fd, &ev) < 0) {
		feeds_close(fs, fd);
		return -1;
	}
	return 0;
}

void
feeds_publish(struct feeds *fs, void *router, const struct floor *f, const struct proto_event *ev)
{
	for (uint32_t i = 0; i < fs->n;) {
		struct feed *fd = &fs->v[i];
		struct proto_event out;
		enum scope_verdict v = SCOPE_PASS;

		if (fd->full)
			out = *ev;
		else
			v = scope_event(&fd->scope, f, ev, &out);
		if (v == SCOPE_DROP) {
			i++;
			continue;
		}
		if (v == SCOPE_RESET)
			feeds_reset_event(&out, fd, ev->ts);
		out.epoch = fd->epoch;
		out.seq = ++fd->seq;
		if (feeds_send(fs, router, fd, &out) < 0)
			feeds_close(fs, fd);     /* the last one moved here: same i */
		else
			i++;
	}
}

void
feeds_heartbeat(struct feeds *fs, void *router, int64_t ts)
{
	for (uint32_t i = 0; i < fs->n;) {
		struct feed *fd = &fs->v[i];
		struct proto_event hb;

		memset(&hb, 0, sizeof hb);
		hb.type = PROTO_EV_HB;
		hb.epoch = fd->epoch;
		hb.seq = fd->seq;
		hb.ts = ts;
		if (feeds_send(fs, router, fd, &hb) < 0)
			feeds_close(fs, fd);
		else
			i++;
	}
}
