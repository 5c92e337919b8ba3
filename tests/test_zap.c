/*
 * The ZAP handler with real CURVE sockets (floor/zap.c), and a client
 * (client/conn.c with client/curve_client.c) joining a keyed pooltopd: a scoped
 * key follows its own stream live; a plaintext client is told why it gets
 * nothing.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/conn.h"
#include "pooltop/curve_client.h"
#include "pooltop/keystore.h"
#include "pooltop/zap.h"
#include "testlib.h"

#ifndef ZMQ_ZAP_ENFORCE_DOMAIN
#define ZMQ_ZAP_ENFORCE_DOMAIN 93
#endif

struct test_pair {
	char pub[41], sec[41];
};

static void
test_keys(struct test_pair *k)
{
	ck_assert_int_eq(zmq_curve_keypair(k->pub, k->sec), 0);
}

static void *
test_server_sock(void *ctx, int type, const struct test_pair *srv, const char *domain, char *ep,
                 size_t eplen)
{
	void *s = zmq_socket(ctx, type);
	int one = 1, linger = 0;
	size_t len = eplen;

	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(s, ZMQ_CURVE_SERVER, &one, sizeof one);
	zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, srv->sec, 41);
	zmq_setsockopt(s, ZMQ_ZAP_DOMAIN, domain, strlen(domain));
	ck_assert_int_eq(zmq_setsockopt(s, ZMQ_ZAP_ENFORCE_DOMAIN, &one, sizeof one), 0);
	ck_assert_int_eq(zmq_bind(s, "tcp://127.0.0.1:*"), 0);
	zmq_getsockopt(s, ZMQ_LAST_ENDPOINT, ep, &len);
	return s;
}

static void *
test_client_sock(void *ctx, int type, const struct test_pair *srv, const struct test_pair *me,
                 const char *ep)
{
	struct curve_client cc;
	void *s = zmq_socket(ctx, type);
	int linger = 0;
	char err[128];

	memset(&cc, 0, sizeof cc);
	cc.on = true;
	memcpy(cc.server, srv->pub, 41);
	memcpy(cc.pub, me->pub, 41);
	memcpy(cc.secret, me->sec, 41);
	zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
	ck_assert_int_eq(curve_client_apply(s, &cc, err, sizeof err), 0);
	if (type == ZMQ_SUB)
		zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0);
	ck_assert_int_eq(zmq_connect(s, ep), 0);
	return s;
}

/* Run the handler while waiting for sock to get something; whether it did. */
static bool
test_wait(struct zap *z, const struct keystore *ks, void *sock, int ms)
{
	int64_t end = testlib_mono_ms() + ms;

	while (testlib_mono_ms() < end) {
		zmq_pollitem_t it[2] = { { sock, 0, ZMQ_POLLIN, 0 }, { zap_socket(z), 0, ZMQ_POLLIN, 0 } };

		zmq_poll(it, 2, 20);
		if (it[1].revents & ZMQ_POLLIN)
			zap_handle(z, ks, testlib_mono_ms(), 16);
		if (it[0].revents & ZMQ_POLLIN)
			return true;
	}
	return false;
}

static int test_log_lines;

static void
test_log(void *ctx, const char *line)
{
	(void)ctx;
	ck_assert_ptr_nonnull(strstr(line, "127.0.0.1"));
	test_log_lines++;
}

START_TEST(test_zap_vets_handshakes)
{
	struct test_pair srv, known, scoped, stranger;
	struct zap_hooks hooks = { test_log, NULL };
	char ks_text[512], path[] = "/tmp/pooltop-zap-XXXXXX", err[256], rep_ep[128], pub_ep[128];
	void *ctx = zmq_ctx_new(), *router, *pub, *c;
	struct keystore ks;
	struct zap *z;
	FILE *f;
	int fd = mkstemp(path);
	zmq_msg_t m;

	test_keys(&srv);
	test_keys(&known);
	test_keys(&scoped);
	test_keys(&stranger);
	f = fdopen(fd, "w");
	snprintf(ks_text, sizeof ks_text, "%s alice viewer *\n%s bob viewer acme\n", known.pub, scoped.pub);
	fputs(ks_text, f);
	fclose(f);
	ck_assert_msg(keystore_load(&ks, path, err, sizeof err) == 0, "%s", err);
	unlink(path);
	z = zap_open(ctx, &hooks, err, sizeof err);
	ck_assert_msg(z != NULL, "%s", err);
	router = test_server_sock(ctx, ZMQ_ROUTER, &srv, ZAP_DOMAIN_REQUESTS, rep_ep, sizeof rep_ep);
	pub = test_server_sock(ctx, ZMQ_PUB, &srv, ZAP_DOMAIN_EVENTS, pub_ep, sizeof pub_ep);

	/* A key not in the keystore: libzmq would let it in if nobody
	 * answered; the handler refuses, and the server never hears it. */
	c = test_client_sock(ctx, ZMQ_DEALER, &srv, &stranger, rep_ep);
	zmq_send(c, "hello", 5, ZMQ_DONTWAIT);
	ck_assert(!test_wait(z, &ks, router, 800));
	ck_assert_uint_ge(zap_get_stats(z)->denied, 1);
	ck_assert_uint_eq(zap_get_stats(z)->allowed, 0);
	ck_assert_int_ge(test_log_lines, 1);
	zmq_close(c);

	/* A known key: in, with its name as User-Id and the key as X-Key. */
	c = test_client_sock(ctx, ZMQ_DEALER, &srv, &known, rep_ep);
	zmq_send(c, "hello", 5, ZMQ_DONTWAIT);
	ck_assert(test_wait(z, &ks, router, 3000));
	zmq_msg_init(&m);
	ck_assert_int_ge(zmq_msg_recv(&m, router, 0), 0);   /* routing id */
	zmq_msg_close(&m);
	zmq_msg_init(&m);
	ck_assert_int_eq(zmq_msg_recv(&m, router, 0), 5);
	ck_assert_str_eq(zmq_msg_gets(&m, "User-Id"), "alice");
	ck_assert_str_eq(zmq_msg_gets(&m, "X-Key"), known.pub);
	zmq_msg_close(&m);
	ck_assert_uint_eq(zap_get_stats(z)->allowed, 1);
	zmq_close(c);

	/* A scoped key may not take the unfiltered feed. */
	c = test_client_sock(ctx, ZMQ_SUB, &srv, &scoped, pub_ep);
	for (int i = 0; i < 40; i++) {
		zmq_send(pub, "x", 1, ZMQ_DONTWAIT);
		ck_assert(!test_wait(z, &ks, c, 25));
	}
	ck_assert_uint_eq(zap_get_stats(z)->allowed, 1);
	zmq_close(c);
	/* ...which a full-scope key may. */
	c = test_client_sock(ctx, ZMQ_SUB, &srv, &known, pub_ep);
	{
		bool got = false;
		for (int i = 0; i < 100 && !got; i++) {
			zmq_send(pub, "x", 1, ZMQ_DONTWAIT);
			got = test_wait(z, &ks, c, 30);
		}
		ck_assert(got);
	}
	zmq_close(c);

	zmq_close(router);
	zmq_close(pub);
	zap_close(z);
	keystore_free(&ks);
	zmq_ctx_term(ctx);
}
END_TEST

/* ------------------------------------------------------------ a client joining */

struct test_seen {
	uint64_t events, states;
};

static void
test_on_event(void *ctx, const struct proto_event *ev)
{
	(void)ev;
	((struct test_seen *)ctx)->events++;
}

static void
test_on_reply(void *ctx, uint64_t tag, const struct proto_reply *rp, bool answered)
{
	(void)ctx, (void)tag, (void)rp, (void)answered;
}

static void
test_on_state(void *ctx)
{
	((struct test_seen *)ctx)->states++;
}

static void
test_run(struct conn *c, int ms)
{
	int64_t end = testlib_mono_ms() + ms;

	while (testlib_mono_ms() < end) {
		zmq_pollitem_t it[2];
		long t = conn_timeout(c, conn_mono_ms());

		conn_pollitems(c, it);
		zmq_poll(it, 2, t > 50 ? 50 : t);
		conn_handle(c, conn_mono_ms());
	}
}

static void
test_keygen(const char *dir, const char *name, char pub[41])
{
	char path[512], err[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_msg(keyfile_generate(path, err, sizeof err) == 0, "%s", err);
	strcat(path, ".pub");
	ck_assert_int_eq(keyfile_read_public(path, pub, err, sizeof err), 0);
}

START_TEST(test_scoped_client_follows_its_stream)
{
	char dir[] = "/tmp/pooltop-keys-XXXXXX", srvkey[600], ks[600], keyp[600], srvpub[41], pub[41];
	char scenario[600], err[256];
	const char *args[] = { "--scenario", scenario, "--speed", "300", "--start", "10:00",
	                       "--server-key", srvkey, "--keystore", ks, NULL };
	struct testlib_srv srv;
	struct curve_client cc;
	struct conn c, plain;
	struct conn_hooks h;
	struct test_seen seen = { 0, 0 };
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(scenario, sizeof scenario, "%s/scenarios/demo.ini", TEST_SRCDIR);
	test_keygen(dir, "server.key", srvpub);
	test_keygen(dir, "client.key", pub);
	snprintf(srvkey, sizeof srvkey, "%s/server.key", dir);
	snprintf(keyp, sizeof keyp, "%s/client.key", dir);
	snprintf(ks, sizeof ks, "%s/keystore", dir);
	f = fopen(ks, "w");
	fprintf(f, "%s voltra-board viewer voltra\n", pub);
	fclose(f);
	testlib_srv_prepare(&srv);
	testlib_srv_spawn(&srv, args);

	ck_assert_msg(curve_client_load(&cc, keyp, srvpub, err, sizeof err) == 0, "%s", err);
	ck_assert(cc.on);
	h = (struct conn_hooks){ test_on_event, test_on_reply, test_on_state, &seen };
	ck_assert_msg(conn_open_keyed(&c, srv.events, srv.requests, &h, &cc, err, sizeof err) == 0,
	              "%s", err);
	ck_assert_msg(conn_open(&plain, srv.events, srv.requests, NULL, err, sizeof err) == 0, "%s", err);
	for (int i = 0; i < 100 && c.state != CONN_LIVE; i++)
		test_run(&c, 100);
	ck_assert_msg(c.state == CONN_LIVE, "state %s: %s", conn_state_name(c.state), c.why);
	/* the replica is the scope's: one tenant, its pool and a shared one */
	ck_assert_uint_eq(c.floor.n_tenants, 1);
	ck_assert_str_eq(c.floor.tenants[0].def.id, "voltra");
	ck_assert_uint_eq(c.floor.n_pools, 2);
	test_run(&c, 3000);
	ck_assert_int_eq(c.state, CONN_LIVE);
	ck_assert_uint_gt(seen.events, 20);
	ck_assert_uint_eq(c.floor.n_rejected, 0);
	ck_assert_uint_le(c.n_resyncs, 1);

	/* A dashboard without keys gets nothing from this server, and says why. */
	for (int i = 0; i < 100 && plain.state != CONN_OFFLINE; i++)
		test_run(&plain, 100);
	ck_assert_int_eq(plain.state, CONN_OFFLINE);
	ck_assert_msg(strstr(plain.why, "CURVE keys") != NULL, "why: %s", plain.why);
	ck_assert(!plain.have_floor);

	conn_close(&plain);
	conn_close(&c);
	testlib_srv_stop(&srv);
	snprintf(scenario, sizeof scenario, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(scenario), 0);
}
END_TEST

static Suite *
zap_suite(void)
{
	Suite *s = suite_create("zap");
	TCase *tc = tcase_create("curve");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_zap_vets_handshakes);
	tcase_add_test(tc, test_scoped_client_follows_its_stream);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(zap_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
