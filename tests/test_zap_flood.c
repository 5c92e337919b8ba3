/*
 * The ZAP handler under a flood (floor/zap.c, floor/zap_thread.c): refusals
 * are counted and summed per peer address in the log (never a line per
 * handshake, and a bounded table of addresses), and the handler's thread
 * answers from the keystore it was last handed.  ZAP requests are made by
 * hand on inproc://zeromq.zap.01, as libzmq makes them, with the clock
 * given, so nothing here depends on timing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/keystore.h"
#include "pooltop/zap.h"
#include "pooltop/zap_thread.h"
#include "testlib.h"

#define TEST_LINES_MAX 64

struct test_log {
	int n;
	char lines[TEST_LINES_MAX][512];
};

static void
test_on_log(void *ctx, const char *line)
{
	struct test_log *l = ctx;

	if (l->n < TEST_LINES_MAX)
		snprintf(l->lines[l->n], sizeof l->lines[0], "%s", line);
	l->n++;
}

/* How many lines contain all of a, b (b may be NULL). */
static int
test_count(const struct test_log *l, const char *a, const char *b)
{
	int n = 0;

	for (int i = 0; i < l->n && i < TEST_LINES_MAX; i++)
		n += strstr(l->lines[i], a) != NULL && (b == NULL || strstr(l->lines[i], b) != NULL);
	return n;
}

/* A ZAP request as libzmq sends it, for a CURVE handshake from addr. */
static void
test_ask(void *req, const char *addr, const uint8_t key[32])
{
	zmq_send(req, "1.0", 3, ZMQ_SNDMORE);
	zmq_send(req, "7", 1, ZMQ_SNDMORE);
	zmq_send(req, ZAP_DOMAIN_REQUESTS, strlen(ZAP_DOMAIN_REQUESTS), ZMQ_SNDMORE);
	zmq_send(req, addr, strlen(addr), ZMQ_SNDMORE);
	zmq_send(req, "", 0, ZMQ_SNDMORE);
	zmq_send(req, "CURVE", 5, ZMQ_SNDMORE);
	zmq_send(req, key, 32, 0);
}

/* The status code of the reply ("200", "400"). */
static void
test_status(void *req, char status[4])
{
	char buf[256];
	int more = 1, i = 0;
	size_t ml = sizeof more;

	status[0] = '\0';
	while (more) {
		int n = zmq_recv(req, buf, sizeof buf, 0);

		ck_assert_int_ge(n, 0);
		if (i++ == 2)
			snprintf(status, 4, "%.*s", n < 3 ? n : 3, buf);
		zmq_getsockopt(req, ZMQ_RCVMORE, &more, &ml);
	}
}

/* One handshake asked and answered synchronously through z. */
static void
test_one(void *req, struct zap *z, const struct keystore *ks, int64_t now, const char *addr,
         const uint8_t key[32], const char *want)
{
	char st[4];

	test_ask(req, addr, key);
	for (int i = 0; i < 200 && zap_handle(z, ks, now, 1) == 0; i++)
		usleep(1000);
	test_status(req, st);
	ck_assert_str_eq(st, want);
}

static void
test_keystore(struct keystore *ks, const char *pub_z85, const char *name)
{
	char path[] = "/tmp/pooltop-zapflood-XXXXXX", err[256];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fprintf(f, "%s %s viewer *\n", pub_z85, name);
	fclose(f);
	ck_assert_msg(keystore_load(ks, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
}

START_TEST(test_refusals_summed_per_address)
{
	void *ctx = zmq_ctx_new(), *req;
	struct test_log log;
	struct zap_hooks hooks = { test_on_log, &log };
	struct keystore ks;
	struct zap *z;
	char err[256], good_pub[41], good_sec[41], a[64];
	uint8_t good[32], bad[32];
	int64_t t = 1000000;

	memset(&log, 0, sizeof log);
	ck_assert_int_eq(zmq_curve_keypair(good_pub, good_sec), 0);
	zmq_z85_decode(good, good_pub);
	memset(bad, 0x5a, sizeof bad);
	test_keystore(&ks, good_pub, "alice");
	z = zap_open(ctx, &hooks, err, sizeof err);
	ck_assert_msg(z != NULL, "%s", err);
	req = zmq_socket(ctx, ZMQ_REQ);
	ck_assert_int_eq(zmq_connect(req, ZAP_ENDPOINT), 0);

	/* 500 bad handshakes from one address: one line, all counted */
	for (int i = 0; i < 500; i++)
		test_one(req, z, &ks, t + i, "10.0.0.66", bad, "400");
	ck_assert_uint_eq(zap_get_stats(z)->denied, 500);
	ck_assert_int_eq(log.n, 1);
	ck_assert_int_eq(test_count(&log, "refused a connection from 10.0.0.66", NULL), 1);
	/* a known key from the same address is let in all the same */
	test_one(req, z, &ks, t + 600, "10.0.0.66", good, "200");
	ck_assert_uint_eq(zap_get_stats(z)->allowed, 1);
	/* seven more addresses, the busier ones first */
	for (int k = 1; k <= 7; k++)
		for (int i = 0; i < 10 * k + 1; i++) {
			snprintf(a, sizeof a, "10.0.1.%d", k);
			test_one(req, z, &ks, t + 700 + k, a, bad, "400");
		}
	/* one by one: the first of each address while the second's budget
	 * lasted (10.0.0.66 and four of the seven) */
	ck_assert_int_eq(log.n, ZAP_LOG_PER_SEC);
	zap_flush_log(z, t + 5000);	/* the window is not over: nothing */
	ck_assert_int_eq(log.n, ZAP_LOG_PER_SEC);
	log.n = 0;
	zap_flush_log(z, t + ZAP_WINDOW_MS + 1000);
	/* the five busiest by name, with their counts; the rest in one line */
	ck_assert_int_eq(test_count(&log, "refused 499 more handshakes from 10.0.0.66 in the last",
	                            "(500 from it in all)"), 1);
	ck_assert_int_eq(test_count(&log, "refused 71 more handshakes from 10.0.1.7 ", NULL), 1);
	ck_assert_int_eq(test_count(&log, "refused 40 more handshakes from 10.0.1.4 ", NULL), 1);
	ck_assert_int_eq(test_count(&log, "from 10.0.1.3 ", NULL), 0);
	ck_assert_int_eq(test_count(&log, "refused 60 more handshakes from 3 other addresses", NULL), 1);
	ck_assert_int_eq(test_count(&log, "787 handshakes refused in all", NULL), 1);
	ck_assert_int_eq(log.n, 7);
	/* the next window starts afresh: one line again, then sums */
	log.n = 0;
	for (int i = 0; i < 3; i++)
		test_one(req, z, &ks, t + ZAP_WINDOW_MS + 2000 + i, "10.0.0.66", bad, "400");
	ck_assert_int_eq(log.n, 1);

	/* Many addresses, one handshake each (a spread flood): the table
	 * stays bounded and the log stays within its budget per second. */
	log.n = 0;
	for (int i = 0; i < 2000; i++) {
		snprintf(a, sizeof a, "10.1.%d.%d", i / 250, i % 250);
		test_one(req, z, &ks, t + 3 * ZAP_WINDOW_MS, a, bad, "400");
	}
	ck_assert_int_eq(log.n, ZAP_LOG_PER_SEC);
	log.n = 0;
	zap_flush_log(z, t + 5 * ZAP_WINDOW_MS);
	ck_assert_int_le(log.n, ZAP_SUMMARY_LINES + 2);
	ck_assert_int_eq(test_count(&log, "more handshakes from", "other addresses"), 1);
	ck_assert_int_eq(test_count(&log, "2790 handshakes refused in all", NULL), 1);

	zmq_close(req);
	zap_close(z);
	keystore_free(&ks);
	zmq_ctx_term(ctx);
}
END_TEST

/* Ask the threaded handler; the status. */
static void
test_ask_thread(void *req, const char *addr, const uint8_t key[32], char st[4])
{
	int to = 5000;

	zmq_setsockopt(req, ZMQ_RCVTIMEO, &to, sizeof to);
	test_ask(req, addr, key);
	test_status(req, st);
}

START_TEST(test_thread_answers_from_keys_handed_over)
{
	void *ctx = zmq_ctx_new(), *req;
	struct zap_thread *t;
	struct keystore ks, ks2;
	struct zap_stats st;
	struct test_log log;
	char err[256], pub[41], sec[41], pub2[41], sec2[41], s[4];
	uint8_t k1[32], k2[32];
	int64_t end;

	memset(&log, 0, sizeof log);
	ck_assert_int_eq(zmq_curve_keypair(pub, sec), 0);
	ck_assert_int_eq(zmq_curve_keypair(pub2, sec2), 0);
	zmq_z85_decode(k1, pub);
	zmq_z85_decode(k2, pub2);
	test_keystore(&ks, pub, "alice");
	t = zap_thread_start(ctx, &ks, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	/* its own copy: what the caller does with ks afterwards is not its */
	keystore_free(&ks);
	req = zmq_socket(ctx, ZMQ_REQ);
	ck_assert_int_eq(zmq_connect(req, ZAP_ENDPOINT), 0);
	test_ask_thread(req, "10.0.0.1", k1, s);
	ck_assert_str_eq(s, "200");
	test_ask_thread(req, "10.0.0.1", k2, s);
	ck_assert_str_eq(s, "400");

	/* a reload hands over a keystore with only the second key */
	test_keystore(&ks2, pub2, "bob");
	ck_assert_int_eq(zap_thread_keys(t, &ks2, test_on_log, &log), 0);
	keystore_free(&ks2);
	test_ask_thread(req, "10.0.0.1", k2, s);
	ck_assert_str_eq(s, "200");
	test_ask_thread(req, "10.0.0.2", k1, s);
	ck_assert_str_eq(s, "400");

	/* its log lines come to this thread, naming the address */
	end = testlib_mono_ms() + 5000;
	while (log.n < 2 && testlib_mono_ms() < end) {
		zmq_pollitem_t it = { zap_thread_socket(t), 0, ZMQ_POLLIN, 0 };

		zmq_poll(&it, 1, 100);
		zap_thread_drain(t, test_on_log, &log);
	}
	ck_assert_int_eq(test_count(&log, "refused a connection from 10.0.0.1", NULL), 1);
	ck_assert_int_eq(test_count(&log, "refused a connection from 10.0.0.2", NULL), 1);
	zap_thread_stop(t, &st, test_on_log, &log);
	ck_assert_uint_eq(st.allowed, 2);
	ck_assert_uint_eq(st.denied, 2);
	zmq_close(req);
	zmq_ctx_term(ctx);
}
END_TEST

static Suite *
zap_flood_suite(void)
{
	Suite *s = suite_create("zap_flood");
	TCase *tc = tcase_create("zap");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_refusals_summed_per_address);
	tcase_add_test(tc, test_thread_answers_from_keys_handed_over);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(zap_flood_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
