/*
 * The ZAP handler's thread (zap_thread.h).  Messages on the pair:
 *   main -> thread: "K" + a struct keystore (the thread owns its keys from
 *                   then on), "S" (stop);
 *   thread -> main: "L" + a log line, "A" (the keys of a "K" are in use).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <zmq.h>

#include "pooltop/zap_thread.h"

struct zap_thread {
	pthread_t tid;
	bool running;
	void *main_end;              /* the main thread's end of the pair */
	void *thread_end;            /* the thread's */
	struct zap *zap;             /* the thread's once it runs */
	struct keystore keys;        /* the thread's: its own copy */
	struct zap_stats final;      /* written by the thread as it ends */
};

static int64_t
zap_thread_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* zap.c's log hook, in the thread: the line goes to the main thread.  A
 * main thread too busy to take them loses lines, never the count. */
static void
zap_thread_on_log(void *ctx, const char *line)
{
	struct zap_thread *t = ctx;
	size_t n = strlen(line);
	char msg[1 + 512];

	if (n > sizeof msg - 1)
		n = sizeof msg - 1;
	msg[0] = 'L';
	memcpy(msg + 1, line, n);
	zmq_send(t->thread_end, msg, n + 1, ZMQ_DONTWAIT);
}

/* A message from the main thread; false when it says stop. */
static bool
zap_thread_command(struct zap_thread *t)
{
	zmq_msg_t m;
	bool go = true;

	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, t->thread_end, ZMQ_DONTWAIT) < 0) {
		zmq_msg_close(&m);
		return true;
	}
	if (zmq_msg_size(&m) == 1 + sizeof(struct keystore) && ((char *)zmq_msg_data(&m))[0] == 'K') {
		keystore_free(&t->keys);
		memcpy(&t->keys, (char *)zmq_msg_data(&m) + 1, sizeof t->keys);
		zmq_send(t->thread_end, "A", 1, 0);
	} else if (zmq_msg_size(&m) == 1 && ((char *)zmq_msg_data(&m))[0] == 'S') {
		go = false;
	}
	zmq_msg_close(&m);
	return go;
}

static void *
zap_thread_main(void *arg)
{
	struct zap_thread *t = arg;
	bool go = true;

	prctl(PR_SET_NAME, "pooltopd-zap", 0, 0, 0);
	while (go) {
		zmq_pollitem_t it[2] = { { zap_socket(t->zap), 0, ZMQ_POLLIN, 0 },
		                         { t->thread_end, 0, ZMQ_POLLIN, 0 } };
		int64_t now;

		/* awake at least once a second, to log a window's sums when
		 * it ends; a context going away (never while the thread runs:
		 * zap_thread_stop joins it first) ends the loop, not spins it */
		if (zmq_poll(it, 2, 1000) < 0) {
			if (zmq_errno() == ETERM)
				break;
			continue;
		}
		now = zap_thread_now();
		if (it[1].revents & ZMQ_POLLIN)
			go = zap_thread_command(t);
		if (it[0].revents & ZMQ_POLLIN)
			zap_handle(t->zap, &t->keys, now, ZAP_THREAD_BATCH);
		zap_flush_log(t->zap, now);
	}
	/* the sums of the last window, whenever it would have ended */
	zap_flush_log(t->zap, INT64_MAX);
	t->final = *zap_get_stats(t->zap);
	return NULL;
}

struct zap_thread *
zap_thread_start(void *zctx, const struct keystore *ks, char *err, size_t errlen)
{
	struct zap_thread *t = calloc(1, sizeof *t);
	struct zap_hooks hooks;
	char ep[64];
	int hwm = ZAP_THREAD_LOG_HWM, linger = 0, rc;
	sigset_t all, old;

	if (t == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	hooks = (struct zap_hooks){ zap_thread_on_log, t };
	snprintf(ep, sizeof ep, "inproc://pooltopd-zap-%p", (void *)t);
	t->main_end = zmq_socket(zctx, ZMQ_PAIR);
	t->thread_end = zmq_socket(zctx, ZMQ_PAIR);
	if (t->main_end == NULL || t->thread_end == NULL) {
		snprintf(err, errlen, "cannot start the ZAP thread: %s", zmq_strerror(zmq_errno()));
		goto fail;
	}
	zmq_setsockopt(t->main_end, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(t->thread_end, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(t->thread_end, ZMQ_SNDHWM, &hwm, sizeof hwm);
	zmq_setsockopt(t->main_end, ZMQ_RCVHWM, &hwm, sizeof hwm);
	if (zmq_bind(t->main_end, ep) != 0 || zmq_connect(t->thread_end, ep) != 0) {
		snprintf(err, errlen, "cannot start the ZAP thread: %s", zmq_strerror(zmq_errno()));
		goto fail;
	}
	if (keystore_copy(&t->keys, ks) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	t->zap = zap_open(zctx, &hooks, err, errlen);
	if (t->zap == NULL)
		goto fail;
	/* From here the thread alone touches zap, keys and thread_end
	 * (pthread_create is the barrier libzmq asks for when a socket
	 * changes threads).  It is born with every signal blocked, as
	 * libzmq's threads are: SIGTERM and SIGHUP are the main loop's
	 * (signalfd), and one delivered here would kill the process. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t->tid, NULL, zap_thread_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		snprintf(err, errlen, "cannot start the ZAP thread");
		goto fail;
	}
	t->running = true;
	return t;
fail:
	zap_close(t->zap);
	keystore_free(&t->keys);
	if (t->thread_end)
		zmq_close(t->thread_end);
	if (t->main_end)
		zmq_close(t->main_end);
	free(t);
	return NULL;
}

/* One message from the thread, within ms: 'L' lines go to log; the
 * message's first byte, or 0 when none came. */
static char
zap_thread_take(struct zap_thread *t, int ms, void (*log)(void *ctx, const char *line), void *ctx)
{
	zmq_pollitem_t it = { t->main_end, 0, ZMQ_POLLIN, 0 };
	char buf[1 + 512 + 1];
	int len;

	if (ms >= 0 && zmq_poll(&it, 1, ms) <= 0)
		return 0;
	len = zmq_recv(t->main_end, buf, sizeof buf - 1, ZMQ_DONTWAIT);
	if (len <= 0)
		return 0;
	if (len > (int)sizeof buf - 1)
		len = (int)sizeof buf - 1;
	buf[len] = '\0';
	if (buf[0] == 'L' && log != NULL)
		log(ctx, buf + 1);
	return buf[0];
}

int
zap_thread_keys(struct zap_thread *t, const struct keystore *ks,
                void (*log)(void *ctx, const char *line), void *ctx)
{
	char msg[1 + sizeof(struct keystore)];
	struct keystore copy;
	int64_t end;

	if (keystore_copy(&copy, ks) < 0)
		return -1;
	msg[0] = 'K';
	memcpy(msg + 1, &copy, sizeof copy);
	/* blocking: the pair never holds more than a few commands */
	if (zmq_send(t->main_end, msg, sizeof msg, 0) != (int)sizeof msg) {
		keystore_free(&copy);
		return -1;
	}
	/* Wait for the thread to have them, so that every handshake from
	 * here on is judged by them (it answers within one turn of its
	 * loop); log lines that come first are passed on. */
	end = zap_thread_now() + ZAP_THREAD_KEYS_WAIT_MS;
	for (int64_t now = zap_thread_now(); now < end; now = zap_thread_now())
		if (zap_thread_take(t, (int)(end - now), log, ctx) == 'A')
			return 0;
	return -1;
}

void *
zap_thread_socket(struct zap_thread *t)
{
	return t->main_end;
}

int
zap_thread_drain(struct zap_thread *t, void (*log)(void *ctx, const char *line), void *ctx)
{
	int n = 0;

	while (zap_thread_take(t, 0, log, ctx) != 0)
		n++;
	return n;
}

void
zap_thread_stop(struct zap_thread *t, struct zap_stats *st,
                void (*log)(void *ctx, const char *line), void *ctx)
{
	if (t == NULL)
		return;
	if (t->running) {
		zmq_send(t->main_end, "S", 1, 0);
		pthread_join(t->tid, NULL);
	}
	zap_thread_drain(t, log, ctx);
	if (st != NULL)
		*st = t->final;
	zap_close(t->zap);
	keystore_free(&t->keys);
	zmq_close(t->thread_end);
	zmq_close(t->main_end);
	free(t);
}
