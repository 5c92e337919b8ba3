/*
 * Keys in the client library: --key and --server-public read by the one
 * option parser (client/endpoint.c), a keyed connection's stream messages
 * told from replies (client/frame.c), and a batch call to a keyed
 * pooltopd that says why it got nothing (client/call.c, client/reqchan.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/call.h"
#include "pooltop/endpoint.h"
#include "pooltop/frame.h"
#include "pooltop/keyfile.h"
#include "testlib.h"

START_TEST(test_key_options)
{
	struct endpoints e;
	struct curve_client cc;
	char dir[] = "/tmp/pooltop-ckeys-XXXXXX", err[1024], path[600], pubpath[600], env[700];

	endpoint_defaults(&e);
	ck_assert_ptr_null(e.key);
	ck_assert_ptr_null(e.server_public);
	ck_assert_int_eq(endpoint_option(&e, "key", "/x/client.key", err, sizeof err), 0);
	ck_assert_str_eq(e.key, "/x/client.key");
	ck_assert_int_eq(endpoint_option(&e, "server-public", "/x/server.pub", err, sizeof err), 0);
	ck_assert_str_eq(e.server_public, "/x/server.pub");
	ck_assert_int_eq(endpoint_option(&e, "key", "", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "--key") != NULL, "%s", err);
	ck_assert_int_eq(endpoint_option(&e, "server-public", "", err, sizeof err), -1);
	ck_assert_msg(strstr(err, "--server-public") != NULL, "%s", err);

	/* defaults under XDG_CONFIG_HOME: none there, plaintext */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(env, sizeof env, "%s", dir);
	setenv("XDG_CONFIG_HOME", env, 1);
	endpoint_defaults(&e);
	ck_assert_int_eq(endpoint_keys(&e, &cc, err, sizeof err), 0);
	ck_assert(!cc.on);
	/* a key without the server's public key is a usage error */
	snprintf(path, sizeof path, "%s/me.key", dir);
	ck_assert_msg(keyfile_generate(path, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(endpoint_option(&e, "key", path, err, sizeof err), 0);
	ck_assert_int_eq(endpoint_keys(&e, &cc, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "server-public") != NULL, "%s", err);
	/* both: keys on (the options keep argv's strings by pointer) */
	snprintf(pubpath, sizeof pubpath, "%s/me.key.pub", dir);
	ck_assert_int_eq(endpoint_option(&e, "server-public", pubpath, err, sizeof err), 0);
	ck_assert_msg(endpoint_keys(&e, &cc, err, sizeof err) == 0, "%s", err);
	ck_assert(cc.on);
	unsetenv("XDG_CONFIG_HOME");
	snprintf(env, sizeof env, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(env), 0);
}
END_TEST

/* A reply is one frame, a stream message two with a topic first; the
 * plain reply rule drops the stream message, the stream one keeps it. */
START_TEST(test_frame_stream)
{
	void *ctx = zmq_ctx_new(), *router = zmq_socket(ctx, ZMQ_ROUTER), *dealer = zmq_socket(ctx, ZMQ_DEALER);
	zmq_msg_t body, topic;
	uint8_t rid[256];
	int rc, linger = 0;

	zmq_setsockopt(router, ZMQ_LINGER, &linger, sizeof linger);
	zmq_setsockopt(dealer, ZMQ_LINGER, &linger, sizeof linger);
	ck_assert_int_eq(zmq_bind(router, "inproc://frame-stream"), 0);
	ck_assert_int_eq(zmq_connect(dealer, "inproc://frame-stream"), 0);
	zmq_send(dealer, "hi", 2, 0);
	rc = zmq_recv(router, rid, sizeof rid, 0);
	ck_assert_int_gt(rc, 0);
	zmq_recv(router, (char[8]){ 0 }, 8, 0);

	/* a stream message, then a reply, then three frames */
	zmq_send(router, rid, (size_t)rc, ZMQ_SNDMORE);
	zmq_send(router, "pt1", 3, ZMQ_SNDMORE);
	zmq_send(router, "\x81\xa1v\x01", 4, 0);
	zmq_send(router, rid, (size_t)rc, ZMQ_SNDMORE);
	zmq_send(router, "reply", 5, 0);
	zmq_send(router, rid, (size_t)rc, ZMQ_SNDMORE);
	zmq_send(router, "pt1", 3, ZMQ_SNDMORE);
	zmq_send(router, "a", 1, ZMQ_SNDMORE);
	zmq_send(router, "b", 1, 0);
	zmq_poll(&(zmq_pollitem_t){ dealer, 0, ZMQ_POLLIN, 0 }, 1, 1000);
	usleep(50000);

	ck_assert_int_eq(frame_recv(dealer, &body, &topic), 2);
	ck_assert_uint_eq(zmq_msg_size(&topic), 3);
	ck_assert_int_eq(memcmp(zmq_msg_data(&topic), "pt1", 3), 0);
	ck_assert_uint_eq(zmq_msg_size(&body), 4);
	zmq_msg_close(&topic);
	zmq_msg_close(&body);
	ck_assert_int_eq(frame_recv(dealer, &body, &topic), 1);
	ck_assert_uint_eq(zmq_msg_size(&body), 5);
	zmq_msg_close(&body);
	ck_assert_int_eq(frame_recv(dealer, &body, &topic), -1);
	ck_assert_int_eq(frame_recv(dealer, &body, &topic), 0);
	zmq_msg_close(&body);

	/* without a stream the same message is junk */
	zmq_send(router, rid, (size_t)rc, ZMQ_SNDMORE);
	zmq_send(router, "pt1", 3, ZMQ_SNDMORE);
	zmq_send(router, "\x81\xa1v\x01", 4, 0);
	zmq_poll(&(zmq_pollitem_t){ dealer, 0, ZMQ_POLLIN, 0 }, 1, 1000);
	ck_assert_int_eq(frame_recv_reply(dealer, &body), -1);

	zmq_close(dealer);
	zmq_close(router);
	zmq_ctx_term(ctx);
}
END_TEST

static void
test_keygen(const char *dir, const char *name, char pub[KEYFILE_Z85_LEN + 1])
{
	char path[512], err[256];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_msg(keyfile_generate(path, err, sizeof err) == 0, "%s", err);
	strcat(path, ".pub");
	ck_assert_int_eq(keyfile_read_public(path, pub, err, sizeof err), 0);
}

static enum client_call_rc
test_ping(const char *ep, const char *dir, const char *key, const char *srvpub, char *err, size_t errlen)
{
	struct curve_client cc;
	struct proto_request rq;
	struct proto_reply rp;
	char path[600];
	enum client_call_rc rc;

	memset(&cc, 0, sizeof cc);
	if (key != NULL) {
		snprintf(path, sizeof path, "%s/%s", dir, key);
		ck_assert_msg(curve_client_load(&cc, path, srvpub, err, errlen) == 0, "%s", err);
	}
	memset(&rq, 0, sizeof rq);
	rq.op = PROTO_OP_PING;
	rc = client_call_keyed(ep, key ? &cc : NULL, &rq, &rp, 1500, 2, err, errlen);
	if (rc == CLIENT_CALL_OK || rc == CLIENT_CALL_REFUSED)
		proto_reply_free(&rp);
	return rc;
}

/* A batch command on a keyed server: a known key is answered; an unknown
 * key and no key get nothing, and the error says which. */
START_TEST(test_call_keyed_says_why)
{
	char dir[] = "/tmp/pooltop-ckeys-XXXXXX", srvkey[600], ks[600], scenario[600], err[512];
	char srvpub[KEYFILE_Z85_LEN + 1], pub[KEYFILE_Z85_LEN + 1], other[KEYFILE_Z85_LEN + 1];
	const char *args[] = { "--scenario", scenario, "--speed", "60", "--server-key", srvkey,
	                       "--keystore", ks, NULL };
	struct testlib_srv srv;
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(scenario, sizeof scenario, "%s/scenarios/demo.ini", TEST_SRCDIR);
	test_keygen(dir, "server.key", srvpub);
	test_keygen(dir, "known.key", pub);
	test_keygen(dir, "stranger.key", other);
	snprintf(srvkey, sizeof srvkey, "%s/server.key", dir);
	snprintf(ks, sizeof ks, "%s/keystore", dir);
	f = fopen(ks, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "%s known viewer *\n", pub);
	fclose(f);
	testlib_srv_prepare(&srv);
	testlib_srv_spawn(&srv, args);

	ck_assert_msg(test_ping(srv.requests, dir, "known.key", srvpub, err, sizeof err) == CLIENT_CALL_OK,
	              "%s", err);
	ck_assert_int_eq(test_ping(srv.requests, dir, "stranger.key", srvpub, err, sizeof err),
	                 CLIENT_CALL_NO_ANSWER);
	ck_assert_msg(strstr(err, "refused our key") != NULL, "%s", err);
	ck_assert_int_eq(test_ping(srv.requests, dir, NULL, NULL, err, sizeof err), CLIENT_CALL_NO_ANSWER);
	ck_assert_msg(strstr(err, "CURVE keys") != NULL, "%s", err);

	testlib_srv_stop(&srv);
	snprintf(scenario, sizeof scenario, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(scenario), 0);
}
END_TEST

static Suite *
client_keys_suite(void)
{
	Suite *s = suite_create("client_keys");
	TCase *tc = tcase_create("keys");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_key_options);
	tcase_add_test(tc, test_frame_stream);
	tcase_add_test(tc, test_call_keyed_says_why);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(client_keys_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
