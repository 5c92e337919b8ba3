/* keystore (floor/keystore.c) and key files (proto/keyfile.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "pooltop/auth.h"
#include "pooltop/keyfile.h"
#include "pooltop/keystore.h"
#include "testlib.h"

static char test_dir[64];

static void
test_setup(void)
{
	snprintf(test_dir, sizeof test_dir, "/tmp/pooltop-ks-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(test_dir));
}

static void
test_teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *
test_write(const char *name, const char *text)
{
	static char path[128];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", test_dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* A fresh public key whose Z85 holds a '#', to prove comments do not eat it. */
static void
test_key_with_hash(char pub[41])
{
	char sec[41];

	do
		ck_assert_int_eq(zmq_curve_keypair(pub, sec), 0);
	while (strchr(pub, '#') == NULL);
}

START_TEST(test_load_good)
{
	char a[41], b[41], s[41], text[512], err[256];
	struct keystore ks;
	const struct keystore_key *k;
	uint8_t raw[32];

	test_key_with_hash(a);
	zmq_curve_keypair(b, s);
	snprintf(text, sizeof text, "# who may connect\n\n  %s alice admin *   # the boss\n"
	         "%s\tbob\tmanager\tvoltra,hanse\n", a, b);
	ck_assert_msg(keystore_load(&ks, test_write("ks", text), err, sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(ks.n, 2);
	zmq_z85_decode(raw, a);
	k = keystore_find(&ks, raw);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->name, "alice");
	ck_assert_int_eq(k->role, KEYSTORE_ADMIN);
	ck_assert(k->all);
	ck_assert(keystore_in_scope(k, "anything"));
	k = keystore_find_name(&ks, "bob");
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(k->z85, b);
	ck_assert_ptr_eq(keystore_find_z85(&ks, b), k);
	ck_assert_int_eq(k->role, KEYSTORE_MANAGER);
	ck_assert(!k->all);
	ck_assert(keystore_in_scope(k, "voltra"));
	ck_assert(keystore_in_scope(k, "hanse"));
	ck_assert(!keystore_in_scope(k, "han"));
	ck_assert(!keystore_in_scope(k, ""));
	ck_assert(!keystore_same_grant(k, keystore_find_name(&ks, "alice")));
	ck_assert(keystore_same_grant(k, k));
	ck_assert_ptr_null(keystore_find_name(&ks, "carol"));
	keystore_free(&ks);
	ck_assert_uint_eq(ks.n, 0);
}
END_TEST

/* Every bad line is refused whole, naming the file and the line. */
START_TEST(test_load_bad_lines)
{
	static const char *const bad[] = {
		"%s alice admin\n",                 /* three fields */
		"%s alice admin * extra\n",         /* five */
		"%s alice boss *\n",                /* role */
		"%s al/ice admin *\n",              /* name */
		"%s alice viewer voltra,,hanse\n",  /* empty scope entry */
		"%s alice viewer voltra,\n",
		"%s alice viewer ,\n",
		"%s alice viewer vol tra\n",
		"tooshort alice viewer *\n",        /* key */
		"%s alice viewer *\n%s alice viewer *\n",   /* the same name twice */
	};
	char k[41], s[41], k2[41], text[512], err[256], want[160];
	struct keystore ks;

	zmq_curve_keypair(k, s);
	zmq_curve_keypair(k2, s);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		const char *path;

		snprintf(text, sizeof text, "# header\n");
		snprintf(text + strlen(text), sizeof text - strlen(text), bad[i], k, k2);
		path = test_write("bad", text);
		ck_assert_msg(keystore_load(&ks, path, err, sizeof err) < 0, "line %zu accepted", i);
		snprintf(want, sizeof want, "%s:%d: ", path, i == 9 ? 3 : 2);
		ck_assert_msg(strncmp(err, want, strlen(want)) == 0, "%zu: %s", i, err);
		ck_assert_uint_eq(ks.n, 0);
	}
	snprintf(text, sizeof text, "%s alice viewer *\n%s bob viewer *\n", k, k);
	ck_assert_int_lt(keystore_load(&ks, test_write("dup", text), err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "key"));
	ck_assert_int_lt(keystore_load(&ks, "/nonexistent/ks", err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "/nonexistent/ks"));
}
END_TEST

START_TEST(test_keyfile_pair)
{
	char path[128], pub[41], sec[41], derived[41], again[41], err[256];
	struct stat st;

	snprintf(path, sizeof path, "%s/me.key", test_dir);
	ck_assert_msg(keyfile_generate(path, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(keyfile_read_secret(path, sec, derived, err, sizeof err), 0);
	strcat(path, ".pub");
	ck_assert_int_eq(keyfile_read_public(path, pub, err, sizeof err), 0);
	ck_assert_str_eq(pub, derived);
	ck_assert(keyfile_z85_valid(pub));
	/* the key itself, not a file */
	ck_assert_int_eq(keyfile_read_public(pub, again, err, sizeof err), 0);
	ck_assert_str_eq(again, pub);
	/* never overwritten */
	path[strlen(path) - 4] = '\0';
	ck_assert_int_lt(keyfile_generate(path, err, sizeof err), 0);
	/* a secret others can read is refused */
	ck_assert_int_eq(chmod(path, 0640), 0);
	ck_assert_int_lt(keyfile_read_secret(path, sec, NULL, err, sizeof err), 0);
	ck_assert_ptr_nonnull(strstr(err, "chmod 600"));
	ck_assert_int_lt(keyfile_read_public(test_write("junk", "not a key\n"), pub, err, sizeof err), 0);
	ck_assert(!keyfile_z85_valid("short"));
}
END_TEST

START_TEST(test_endpoint_local)
{
	ck_assert(auth_endpoint_local("tcp://127.0.0.1:7701"));
	ck_assert(auth_endpoint_local("tcp://127.1.2.3:7701"));
	ck_assert(auth_endpoint_local("tcp://localhost:7701"));
	ck_assert(auth_endpoint_local("tcp://[::1]:7701"));
	ck_assert(auth_endpoint_local("tcp://lo:7701"));
	ck_assert(auth_endpoint_local("ipc:///tmp/pt"));
	ck_assert(auth_endpoint_local("inproc://x"));
	ck_assert(!auth_endpoint_local("tcp://*:7701"));
	ck_assert(!auth_endpoint_local("tcp://0.0.0.0:7701"));
	ck_assert(!auth_endpoint_local("tcp://192.168.1.5:7701"));
	ck_assert(!auth_endpoint_local("tcp://127.0.0.1.evil.com:7701"));
	ck_assert(!auth_endpoint_local("tcp://eth0:7701"));
	ck_assert(!auth_endpoint_local("tcp://[::]:7701"));
	ck_assert(!auth_endpoint_local("pgm://eth0;239.0.0.1:7701"));
}
END_TEST

static Suite *
keystore_suite(void)
{
	Suite *s = suite_create("keystore");
	TCase *tc = tcase_create("keystore");

	tcase_add_checked_fixture(tc, test_setup, test_teardown);
	tcase_add_test(tc, test_load_good);
	tcase_add_test(tc, test_load_bad_lines);
	tcase_add_test(tc, test_keyfile_pair);
	tcase_add_test(tc, test_endpoint_local);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(keystore_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
