#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pooltop/strindex.h"

#define N_KEYS 10000

START_TEST(test_empty)
{
	struct strindex ix;

	strindex_init(&ix);
	ck_assert_int_eq(strindex_get(&ix, "a"), -1);
	ck_assert_int_eq(strindex_get(&ix, ""), -1);
	strindex_clear(&ix);
	strindex_free(&ix);
}
END_TEST

/* Many similar keys force collisions and several grows; every one must
 * still be found with its own value. */
START_TEST(test_many)
{
	struct strindex ix;
	char (*keys)[16] = malloc(N_KEYS * sizeof(*keys));

	ck_assert_ptr_nonnull(keys);
	strindex_init(&ix);
	for (uint32_t i = 0; i < N_KEYS; i++) {
		snprintf(keys[i], sizeof(keys[i]), "agent-%u", i);
		ck_assert_int_eq(strindex_put(&ix, keys[i], i * 3), 0);
	}
	ck_assert_uint_eq(ix.count, N_KEYS);
	ck_assert_uint_eq(ix.cap & (ix.cap - 1), 0);
	ck_assert((uint64_t)ix.count * 10 <= (uint64_t)ix.cap * 7);
	for (uint32_t i = 0; i < N_KEYS; i++)
		ck_assert_int_eq(strindex_get(&ix, keys[i]), (int64_t)i * 3);
	ck_assert_int_eq(strindex_get(&ix, "agent-10000"), -1);
	ck_assert_int_eq(strindex_get(&ix, "agent-"), -1);
	ck_assert_int_eq(strindex_get(&ix, ""), -1);
	strindex_free(&ix);
	ck_assert_uint_eq(ix.cap, 0);
	free(keys);
}
END_TEST

START_TEST(test_duplicate)
{
	struct strindex ix;
	const char *a = "acme", *b = "beta";
	char a2[] = "acme";

	strindex_init(&ix);
	ck_assert_int_eq(strindex_put(&ix, a, 1), 0);
	ck_assert_int_eq(strindex_put(&ix, b, 2), 0);
	ck_assert_int_eq(strindex_put(&ix, a2, 9), 1);
	ck_assert_int_eq(strindex_get(&ix, "acme"), 1);
	ck_assert_uint_eq(ix.count, 2);
	strindex_free(&ix);
}
END_TEST

/* Keys are the caller's strings, not copies: that is why floor rebuilds
 * its indexes when an array moves. */
START_TEST(test_keys_borrowed)
{
	struct strindex ix;
	char key[8] = "x1";
	int found = 0;

	strindex_init(&ix);
	ck_assert_int_eq(strindex_put(&ix, key, 5), 0);
	for (uint32_t i = 0; i < ix.cap; i++)
		if (ix.keys[i] == key)
			found++;
	ck_assert_int_eq(found, 1);
	strindex_free(&ix);
}
END_TEST

START_TEST(test_clear_reuse)
{
	struct strindex ix;
	const char *k[] = { "a", "b", "c" };
	uint32_t cap;

	strindex_init(&ix);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(strindex_put(&ix, k[i], i), 0);
	cap = ix.cap;
	strindex_clear(&ix);
	ck_assert_uint_eq(ix.count, 0);
	ck_assert_uint_eq(ix.cap, cap);
	for (uint32_t i = 0; i < 3; i++)
		ck_assert_int_eq(strindex_get(&ix, k[i]), -1);
	ck_assert_int_eq(strindex_put(&ix, k[1], 7), 0);
	ck_assert_int_eq(strindex_get(&ix, "b"), 7);
	strindex_free(&ix);
}
END_TEST

static Suite *
strindex_suite(void)
{
	Suite *s = suite_create("strindex");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_duplicate);
	tcase_add_test(tc, test_keys_borrowed);
	tcase_add_test(tc, test_clear_reuse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(strindex_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
