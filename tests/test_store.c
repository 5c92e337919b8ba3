/*
 * Check suite for floor/store.c: persistence, transactions, queries, open
 * errors and durability of an acknowledged move across kill -9.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <check.h>
#include <sqlite3.h>

#include "pooltop/store.h"

#include "testlib.h"

#define BIG_DIGEST 0xdeadbeefcafef00dULL   /* top bit set: tests the int64 cast */

/* --------------------------------------------------------------- helpers */

struct tmp {
	char dir[64];
};

static void
tmp_make(struct tmp *t)
{
	snprintf(t->dir, sizeof t->dir, "/tmp/test_store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
}

/* rm -r: nftw() would need _XOPEN_SOURCE, and the trees here are tiny */
static void
rm_tree(const char *path)
{
	struct stat sb;
	DIR *d;
	struct dirent *e;
	char sub[512];

	if (lstat(path, &sb) != 0)
		return;
	if (S_ISDIR(sb.st_mode) && (d = opendir(path)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
			rm_tree(sub);
		}
		closedir(d);
	}
	remove(path);
}

static void
tmp_rm(struct tmp *t)
{
	rm_tree(t->dir);
}

static void
tmp_path(const struct tmp *t, const char *sub, char *out, size_t cap)
{
	snprintf(out, cap, "%s/%s", t->dir, sub);
}

static struct store *
open_ok(const char *dir)
{
	struct store *st = NULL;
	char err[512];

	int rc = store_open(&st, dir, err, sizeof err);
	ck_assert_msg(rc == 0, "store_open(%s): %s", dir, err);
	ck_assert_ptr_nonnull(st);
	return st;
}

static struct proto_audit_row
mkrow(const char *req, const char *agent, const char *from, const char *to,
      uint64_t seq, int64_t ts)
{
	struct proto_audit_row r;

	memset(&r, 0, sizeof r);
	r.ts = ts;
	snprintf(r.by, sizeof r.by, "mgr-%s", agent);
	snprintf(r.req, sizeof r.req, "%s", req);
	snprintf(r.agent, sizeof r.agent, "%s", agent);
	snprintf(r.from, sizeof r.from, "%s", from);
	snprintf(r.to, sizeof r.to, "%s", to);
	snprintf(r.reason, sizeof r.reason, "cover peak for %s — ünïcode", to);
	r.forced = (seq % 2) == 1;
	r.seq = seq;
	r.epoch = 7;
	return r;
}

static void
audit_eq(const struct proto_audit_row *a, const struct proto_audit_row *b)
{
	ck_assert_int_eq(a->ts, b->ts);
	ck_assert_str_eq(a->by, b->by);
	ck_assert_str_eq(a->req, b->req);
	ck_assert_str_eq(a->agent, b->agent);
	ck_assert_str_eq(a->from, b->from);
	ck_assert_str_eq(a->to, b->to);
	ck_assert_str_eq(a->reason, b->reason);
	ck_assert_int_eq(a->forced, b->forced);
	ck_assert_uint_eq(a->seq, b->seq);
	ck_assert_uint_eq(a->epoch, b->epoch);
}

/* Collects assignments into a small table. */
struct assigns {
	int n;
	char agent[64][40];
	char pool[64][40];
	int stop_after;                  /* 0 = never */
};

static int
collect(const char *agent, const char *pool, void *ctx)
{
	struct assigns *a = ctx;

	ck_assert_int_lt(a->n, 64);
	snprintf(a->agent[a->n], sizeof a->agent[0], "%s", agent);
	snprintf(a->pool[a->n], sizeof a->pool[0], "%s", pool);
	a->n++;
	return (a->stop_after && a->n >= a->stop_after) ? 7 : 0;
}

static const char *
pool_of(const struct assigns *a, const char *agent)
{
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->agent[i], agent) == 0)
			return a->pool[i];
	return NULL;
}

static struct assigns
assigns_of(struct store *st)
{
	struct assigns a;

	memset(&a, 0, sizeof a);
	ck_assert_int_eq(store_assignments_each(st, collect, &a), 0);
	return a;
}

static uint32_t
audit_count(struct store *st)
{
	struct proto_audit_row *rows;
	uint32_t n;

	ck_assert_int_eq(store_audit_query(st, 100000, &rows, &n), 0);
	free(rows);
	return n;
}

static struct proto_stats_row
mkstats(const char *tenant, const char *shift, int64_t start, uint64_t k)
{
	struct proto_stats_row r;

	memset(&r, 0, sizeof r);
	snprintf(r.tenant, sizeof r.tenant, "%s", tenant);
	snprintf(r.shift, sizeof r.shift, "%s", shift);
	r.start_ts = start;
	r.end_ts = start + 8 * 3600 * 1000;
	r.offered = 100 + k;
	r.answered = 90 + k;
	r.answered_in_sl = 80 + k;
	r.abandoned = 10 + k;
	r.abandoned_short = 3 + k;
	r.wait_ms = 123456 + k;
	r.talk_ms = 9876543 + k;
	r.wrap_ms = 55555 + k;
	r.dedicated_staffed_ms = UINT64_MAX - k;  /* above INT64_MAX on purpose */
	r.shared_handle_ms = 42 + k;
	r.cost = 1234.5 + (double)k / 4;
	r.handled = 88 + k;
	r.n_intervals = (uint32_t)(k % 5) + 2;
	for (uint32_t i = 0; i < r.n_intervals; i++)
		r.intervals[i] = (i == 0) ? 0xffffffffu : (uint32_t)(k * 1000 + i);
	return r;
}


static void
set_user_version(const char *dbpath, int v)
{
	sqlite3 *db;
	char sql[64];

	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", v);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* ----------------------------------------------------------------- tests */

START_TEST(test_epoch_and_mkdir)
{
	struct tmp t;
	char dir[128];
	struct stat sb;
	struct store *st;
	uint64_t e = 0;

	tmp_make(&t);
	tmp_path(&t, "a/b/state/", dir, sizeof dir);   /* mkdir -p, trailing slash */
	st = open_ok(dir);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert(S_ISDIR(sb.st_mode));
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	tmp_path(&t, "a/b/state/pooltop.db", dir, sizeof dir);
	ck_assert_int_eq(stat(dir, &sb), 0);
	ck_assert_int_eq(store_next_epoch(st, &e), 0);
	ck_assert_uint_eq(e, 1);
	store_close(st);

	tmp_path(&t, "a/b/state", dir, sizeof dir);
	st = open_ok(dir);
	ck_assert_int_eq(store_next_epoch(st, &e), 0);
	ck_assert_uint_eq(e, 2);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_move_commit)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row in[3], *out;
	struct proto_buf b;
	uint8_t body[300];
	uint64_t dg = 0;
	uint32_t n;
	struct assigns a;

	tmp_make(&t);
	st = open_ok(t.dir);
	in[0] = mkrow("req-1", "alice", "shared", "acme", 11, 1000);
	in[1] = mkrow("req-1", "bob", "shared", "acme", 12, 1000);
	in[2] = mkrow("req-1", "carol", "globex", "acme", 13, 1001);
	for (size_t i = 0; i < sizeof body; i++)
		body[i] = (uint8_t)(i * 7);           /* includes NUL bytes */
	ck_assert_int_eq(store_move_commit(st, "req-1", BIG_DIGEST, in, 3, body, sizeof body), 0);

	a = assigns_of(st);
	ck_assert_int_eq(a.n, 3);
	ck_assert_str_eq(pool_of(&a, "alice"), "acme");
	ck_assert_str_eq(pool_of(&a, "bob"), "acme");
	ck_assert_str_eq(pool_of(&a, "carol"), "acme");

	ck_assert_int_eq(store_audit_query(st, 0, &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	for (uint32_t i = 0; i < 3; i++)
		audit_eq(&out[i], &in[i]);
	free(out);

	proto_buf_init(&b);
	/* stale content must be replaced, not appended to */
	b.data = malloc(4);
	memcpy(b.data, "junk", 4);
	b.len = b.cap = 4;
	ck_assert_int_eq(store_reply_find(st, "req-1", &dg, &b), 1);
	ck_assert_uint_eq(dg, BIG_DIGEST);
	ck_assert_uint_eq(b.len, sizeof body);
	ck_assert_mem_eq(b.data, body, sizeof body);
	dg = 5;
	ck_assert_int_eq(store_reply_find(st, "no-such", &dg, &b), 0);
	ck_assert_uint_eq(dg, 5);

	/* a later move of the same agent replaces its assignment, keeps history */
	in[0] = mkrow("req-2", "alice", "acme", "shared", 14, 2000);
	ck_assert_int_eq(store_move_commit(st, "req-2", 1, in, 1, (const uint8_t *)"", 0), 0);
	a = assigns_of(st);
	ck_assert_int_eq(a.n, 3);
	ck_assert_str_eq(pool_of(&a, "alice"), "shared");
	ck_assert_uint_eq(audit_count(st), 4);
	ck_assert_int_eq(store_reply_find(st, "req-2", &dg, &b), 1);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_uint_eq(dg, 1);

	/* an audit row without req takes the committing request's id */
	in[0] = mkrow("", "dave", "shared", "acme", 15, 3000);
	ck_assert_int_eq(store_move_commit(st, "req-3", 3, in, 1, NULL, 0), 0);
	ck_assert_int_eq(store_audit_query(st, 1, &out, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(out[0].req, "req-3");
	ck_assert_str_eq(out[0].agent, "dave");
	free(out);

	proto_buf_free(&b);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_assignments_stop)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row in[4];
	struct assigns a;

	tmp_make(&t);
	st = open_ok(t.dir);
	in[0] = mkrow("r", "a1", "s", "p", 1, 1);
	in[1] = mkrow("r", "a2", "s", "p", 2, 1);
	in[2] = mkrow("r", "a3", "s", "p", 3, 1);
	in[3] = mkrow("r", "a4", "s", "p", 4, 1);
	ck_assert_int_eq(store_move_commit(st, "r", 0, in, 4, NULL, 0), 0);
	memset(&a, 0, sizeof a);
	a.stop_after = 2;
	ck_assert_int_eq(store_assignments_each(st, collect, &a), 7);
	ck_assert_int_eq(a.n, 2);
	/* the aborted scan must not leave the statement busy */
	a = assigns_of(st);
	ck_assert_int_eq(a.n, 4);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_persistence)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row in[2], *out;
	struct proto_stats_row h[2], *hout;
	struct proto_buf b;
	uint64_t dg = 0, e = 0;
	uint32_t n;
	struct assigns a;

	tmp_make(&t);
	st = open_ok(t.dir);
	ck_assert_int_eq(store_next_epoch(st, &e), 0);
	in[0] = mkrow("m1", "zed", "shared", "initech", 1, 500);
	in[1] = mkrow("m1", "amy", "initech", "shared", 2, 501);
	ck_assert_int_eq(store_move_commit(st, "m1", BIG_DIGEST, in, 2,
	                                   (const uint8_t *)"\x81\xa2ok\xc3", 5), 0);
	h[0] = mkstats("acme", "Early", 6000, 1);
	h[1] = mkstats("globex", "Early", 6000, 2);
	ck_assert_int_eq(store_history_add(st, h, 2), 0);
	store_close(st);

	st = open_ok(t.dir);
	a = assigns_of(st);
	ck_assert_int_eq(a.n, 2);
	ck_assert_str_eq(a.agent[0], "amy");       /* ordered by agent */
	ck_assert_str_eq(a.pool[0], "shared");
	ck_assert_str_eq(a.agent[1], "zed");
	ck_assert_str_eq(a.pool[1], "initech");
	ck_assert_int_eq(store_audit_query(st, 0, &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	audit_eq(&out[0], &in[0]);
	audit_eq(&out[1], &in[1]);
	free(out);
	proto_buf_init(&b);
	ck_assert_int_eq(store_reply_find(st, "m1", &dg, &b), 1);
	ck_assert_uint_eq(dg, BIG_DIGEST);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_mem_eq(b.data, "\x81\xa2ok\xc3", 5);
	proto_buf_free(&b);
	ck_assert_int_eq(store_history_query(st, 1, NULL, &hout, &n), 0);
	ck_assert_uint_eq(n, 2);
	testlib_row_eq(&hout[0], &h[0]);
	testlib_row_eq(&hout[1], &h[1]);
	free(hout);
	ck_assert_int_eq(store_next_epoch(st, &e), 0);
	ck_assert_uint_eq(e, 2);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_history)
{
	struct tmp t;
	struct store *st;
	struct proto_stats_row h[6], *out;
	uint32_t n;

	tmp_make(&t);
	st = open_ok(t.dir);
	/* three shifts, two tenants, added out of order and in two calls */
	h[0] = mkstats("globex", "Late", 2000, 0);
	h[1] = mkstats("acme", "Night", 3000, 1);
	h[2] = mkstats("acme", "Early", 1000, 2);
	h[3] = mkstats("globex", "Night", 3000, 3);
	h[4] = mkstats("acme", "Late", 2000, 4);
	h[5] = mkstats("globex", "Early", 1000, 5);
	ck_assert_int_eq(store_history_add(st, h, 3), 0);
	ck_assert_int_eq(store_history_add(st, h + 3, 3), 0);

	ck_assert_int_eq(store_history_query(st, 0, NULL, &out, &n), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(out);

	ck_assert_int_eq(store_history_query(st, 1, NULL, &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	testlib_row_eq(&out[0], &h[1]);                /* Night acme */
	testlib_row_eq(&out[1], &h[3]);                /* Night globex */
	free(out);

	ck_assert_int_eq(store_history_query(st, 2, "", &out, &n), 0);
	ck_assert_uint_eq(n, 4);
	testlib_row_eq(&out[0], &h[4]);                /* Late acme */
	testlib_row_eq(&out[1], &h[0]);                /* Late globex */
	testlib_row_eq(&out[2], &h[1]);
	testlib_row_eq(&out[3], &h[3]);
	free(out);

	ck_assert_int_eq(store_history_query(st, 2, "globex", &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	testlib_row_eq(&out[0], &h[0]);
	testlib_row_eq(&out[1], &h[3]);
	free(out);

	ck_assert_int_eq(store_history_query(st, 1000, "acme", &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	testlib_row_eq(&out[0], &h[2]);
	testlib_row_eq(&out[1], &h[4]);
	testlib_row_eq(&out[2], &h[1]);
	free(out);

	ck_assert_int_eq(store_history_query(st, 5, "nobody", &out, &n), 0);
	ck_assert_uint_eq(n, 0);
	free(out);

	/* re-closing a shift replaces its row */
	h[1].offered = 999;
	h[1].n_intervals = PROTO_INTERVALS_MAX;
	for (uint32_t i = 0; i < PROTO_INTERVALS_MAX; i++)
		h[1].intervals[i] = 0x01020304u * i;
	ck_assert_int_eq(store_history_add(st, &h[1], 1), 0);
	ck_assert_int_eq(store_history_query(st, 1, NULL, &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	testlib_row_eq(&out[0], &h[1]);
	ck_assert_uint_eq(out[0].offered, 999);
	free(out);

	/* too many intervals is refused, and the whole batch with it */
	h[5].start_ts = 9000;
	h[4].start_ts = 9000;
	h[4].n_intervals = PROTO_INTERVALS_MAX + 1;
	ck_assert_int_eq(store_history_add(st, &h[4], 2), -1);
	ck_assert_ptr_nonnull(strstr(store_errmsg(st), "intervals"));
	ck_assert_int_eq(store_history_query(st, 1, NULL, &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(out[0].start_ts, 3000);
	free(out);

	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_intervals_blob_le)
{
	struct tmp t;
	struct store *st;
	struct proto_stats_row h;
	char db[128];
	sqlite3 *raw;
	sqlite3_stmt *s;
	const uint8_t *blob;

	tmp_make(&t);
	st = open_ok(t.dir);
	h = mkstats("acme", "Early", 1000, 0);
	h.n_intervals = 2;
	h.intervals[0] = 0x11223344u;
	h.intervals[1] = 0xa0b0c0d0u;
	ck_assert_int_eq(store_history_add(st, &h, 1), 0);
	store_close(st);

	/* the on-disk format is little-endian uint32, whatever the host */
	tmp_path(&t, "pooltop.db", db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "SELECT intervals FROM history", -1, &s, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_bytes(s, 0), 8);
	blob = sqlite3_column_blob(s, 0);
	ck_assert_mem_eq(blob, "\x44\x33\x22\x11\xd0\xc0\xb0\xa0", 8);
	sqlite3_finalize(s);
	sqlite3_close(raw);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_audit_limit)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row *in, *out;
	uint32_t n;
	char req[16], agent[16];

	tmp_make(&t);
	st = open_ok(t.dir);
	in = calloc(1005, sizeof *in);
	ck_assert_ptr_nonnull(in);
	for (uint32_t i = 0; i < 5; i++) {
		snprintf(req, sizeof req, "q%u", i);
		in[i] = mkrow(req, "x", "a", "b", i + 1, i);
		ck_assert_int_eq(store_move_commit(st, req, i, &in[i], 1, NULL, 0), 0);
	}
	ck_assert_int_eq(store_audit_query(st, 3, &out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(out[0].seq, 3);              /* newest three, oldest first */
	ck_assert_uint_eq(out[1].seq, 4);
	ck_assert_uint_eq(out[2].seq, 5);
	free(out);
	ck_assert_int_eq(store_audit_query(st, 10, &out, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(out[0].seq, 1);
	free(out);

	/* 1000 more rows in one move: limit 0 means the newest 1000 */
	for (uint32_t i = 0; i < 1000; i++) {
		snprintf(agent, sizeof agent, "ag%u", i);
		in[i] = mkrow("big", agent, "a", "b", 100 + i, 10);
	}
	ck_assert_int_eq(store_move_commit(st, "big", 9, in, 1000, NULL, 0), 0);
	ck_assert_int_eq(store_audit_query(st, 0, &out, &n), 0);
	ck_assert_uint_eq(n, 1000);
	ck_assert_uint_eq(out[0].seq, 100);
	ck_assert_uint_eq(out[999].seq, 1099);
	free(out);
	ck_assert_int_eq(store_audit_query(st, 1001, &out, &n), 0);
	ck_assert_uint_eq(n, 1001);
	ck_assert_uint_eq(out[0].seq, 5);
	free(out);
	ck_assert_int_eq(store_audit_query(st, UINT32_MAX, &out, &n), 0);
	ck_assert_uint_eq(n, 1005);
	free(out);
	free(in);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_rollback)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row in[3];
	struct proto_buf b;
	struct assigns a;
	uint64_t dg;

	tmp_make(&t);
	st = open_ok(t.dir);
	in[0] = mkrow("r1", "a1", "shared", "P1", 1, 10);
	ck_assert_int_eq(store_move_commit(st, "r1", 111, in, 1, (const uint8_t *)"first", 5), 0);

	/* the reply insert is last, so its PRIMARY KEY failure comes after the
	 * assignment and audit writes: they must all be undone */
	in[0] = mkrow("r1", "a1", "P1", "P2", 2, 20);
	in[1] = mkrow("r1", "a9", "shared", "P3", 3, 20);
	in[2] = mkrow("r1", "a8", "shared", "P3", 4, 20);
	ck_assert_int_eq(store_move_commit(st, "r1", 222, in, 3, (const uint8_t *)"second", 6), -1);
	ck_assert_ptr_nonnull(strstr(store_errmsg(st), "UNIQUE"));
	ck_assert_ptr_nonnull(strstr(store_errmsg(st), t.dir));

	a = assigns_of(st);
	ck_assert_int_eq(a.n, 1);
	ck_assert_str_eq(pool_of(&a, "a1"), "P1");
	ck_assert_ptr_null(pool_of(&a, "a9"));
	ck_assert_uint_eq(audit_count(st), 1);
	proto_buf_init(&b);
	ck_assert_int_eq(store_reply_find(st, "r1", &dg, &b), 1);
	ck_assert_uint_eq(dg, 111);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_mem_eq(b.data, "first", 5);

	/* bad input is refused before anything is written */
	ck_assert_int_eq(store_move_commit(st, "r2", 1, NULL, 2, NULL, 0), -1);
	ck_assert_int_eq(store_move_commit(st, "r2", 1, in, 1, NULL, 3), -1);
	ck_assert_int_eq(store_move_commit(st, NULL, 1, in, 1, NULL, 0), -1);
	ck_assert_int_eq(store_reply_find(st, "r2", NULL, NULL), 0);

	/* no transaction was left open: the store still commits */
	in[0] = mkrow("r2", "a9", "shared", "P3", 5, 30);
	ck_assert_int_eq(store_move_commit(st, "r2", 2, in, 1, NULL, 0), 0);
	store_close(st);

	/* and the failed one stays absent after reopening */
	st = open_ok(t.dir);
	a = assigns_of(st);
	ck_assert_int_eq(a.n, 2);
	ck_assert_str_eq(pool_of(&a, "a1"), "P1");
	ck_assert_str_eq(pool_of(&a, "a9"), "P3");
	ck_assert_ptr_null(pool_of(&a, "a8"));
	ck_assert_uint_eq(audit_count(st), 2);
	proto_buf_free(&b);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_open_not_a_database)
{
	struct tmp t;
	struct store *st = (struct store *)&t;  /* must be reset to NULL */
	char db[128], err[512], junk[4096];
	int fd;

	tmp_make(&t);
	tmp_path(&t, "pooltop.db", db, sizeof db);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = "this is not a database\n"[i % 23];
	fd = open(db, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
	close(fd);
	ck_assert_int_eq(store_open(&st, t.dir, err, sizeof err), -1);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, db) != NULL, "no path in: %s", err);
	ck_assert_msg(strstr(err, "not a database") != NULL, "no reason in: %s", err);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_open_under_file)
{
	struct tmp t;
	struct store *st = NULL;
	char file[128], dir[160], err[512];
	int fd;

	tmp_make(&t);
	tmp_path(&t, "plain", file, sizeof file);
	fd = open(file, O_WRONLY | O_CREAT, 0600);
	ck_assert_int_ge(fd, 0);
	close(fd);

	snprintf(dir, sizeof dir, "%s/sub/deeper", file);
	ck_assert_int_eq(store_open(&st, dir, err, sizeof err), -1);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, file) != NULL, "no path in: %s", err);
	ck_assert_msg(strstr(err, "Not a directory") != NULL, "no reason in: %s", err);

	/* the state directory itself being a file */
	ck_assert_int_eq(store_open(&st, file, err, sizeof err), -1);
	ck_assert_msg(strstr(err, file) != NULL, "no path in: %s", err);

	/* the database path being a directory: SQLite's own reason */
	tmp_path(&t, "d", dir, sizeof dir);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	tmp_path(&t, "d/pooltop.db", file, sizeof file);
	ck_assert_int_eq(mkdir(file, 0700), 0);
	ck_assert_int_eq(store_open(&st, dir, err, sizeof err), -1);
	ck_assert_msg(strstr(err, file) != NULL, "no path in: %s", err);
	ck_assert_msg(strstr(err, "unable to open") != NULL, "no reason in: %s", err);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_open_unwritable)
{
	struct tmp t;
	struct store *st = NULL;
	char dir[128], err[512];

	/* root ignores permission bits, so there is nothing to observe */
	if (geteuid() == 0)
		return;
	tmp_make(&t);
	tmp_path(&t, "ro", dir, sizeof dir);
	ck_assert_int_eq(mkdir(dir, 0500), 0);
	ck_assert_int_eq(store_open(&st, dir, err, sizeof err), -1);
	ck_assert_msg(strstr(err, dir) != NULL, "no path in: %s", err);
	ck_assert_msg(strstr(err, "Permission denied") != NULL, "no reason in: %s", err);
	tmp_path(&t, "ro/sub", dir, sizeof dir);
	ck_assert_int_eq(store_open(&st, dir, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "Permission denied") != NULL, "no reason in: %s", err);
	chmod(t.dir, 0700);
	tmp_path(&t, "ro", dir, sizeof dir);
	chmod(dir, 0700);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_open_newer_schema)
{
	struct tmp t;
	struct store *st;
	char db[128], err[512];
	sqlite3 *raw;

	tmp_make(&t);
	st = open_ok(t.dir);
	store_close(st);
	tmp_path(&t, "pooltop.db", db, sizeof db);
	set_user_version(db, 99);
	st = NULL;
	ck_assert_int_eq(store_open(&st, t.dir, err, sizeof err), -1);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err, "newer") != NULL && strstr(err, "99") != NULL, "%s", err);
	ck_assert_msg(strstr(err, db) != NULL, "no path in: %s", err);
	set_user_version(db, 1);
	st = open_ok(t.dir);
	store_close(st);

	/* someone else's SQLite database is not adopted */
	tmp_path(&t, "other", db, sizeof db);
	ck_assert_int_eq(mkdir(db, 0700), 0);
	tmp_path(&t, "other/pooltop.db", db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, "CREATE TABLE t(x)", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	tmp_path(&t, "other", db, sizeof db);
	ck_assert_int_eq(store_open(&st, db, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "not a pooltop") != NULL, "%s", err);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_wal_mode)
{
	struct tmp t;
	struct store *st;
	char db[128];
	sqlite3 *raw;
	sqlite3_stmt *s;

	tmp_make(&t);
	st = open_ok(t.dir);
	tmp_path(&t, "pooltop.db", db, sizeof db);
	/* journal_mode=WAL is persistent, so a second connection sees it */
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_prepare_v2(raw, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(s, 0), 1);
	sqlite3_finalize(s);
	sqlite3_close(raw);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

START_TEST(test_bad_input)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row *ar = (struct proto_audit_row *)&t;
	struct proto_stats_row *hr = (struct proto_stats_row *)&t;
	struct proto_buf b;
	uint64_t e;
	uint32_t n = 9;
	char err[8];

	ck_assert_int_eq(store_open(NULL, "/tmp", err, sizeof err), -1);
	ck_assert_int_eq(store_open(&st, NULL, err, sizeof err), -1);
	ck_assert_int_eq(store_open(&st, "", NULL, 0), -1);
	ck_assert_int_eq(store_next_epoch(NULL, &e), -1);
	ck_assert_int_eq(store_assignments_each(NULL, collect, NULL), -1);
	ck_assert_int_eq(store_move_commit(NULL, "x", 0, NULL, 0, NULL, 0), -1);
	ck_assert_int_eq(store_reply_find(NULL, "x", NULL, NULL), -1);
	ck_assert_int_eq(store_history_add(NULL, NULL, 1), -1);
	ck_assert_int_eq(store_history_query(NULL, 1, NULL, &hr, &n), -1);
	ck_assert_ptr_null(hr);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(store_audit_query(NULL, 1, &ar, &n), -1);
	ck_assert_ptr_null(ar);
	ck_assert_ptr_nonnull(store_errmsg(NULL));
	store_close(NULL);

	tmp_make(&t);
	st = open_ok(t.dir);
	ck_assert_str_eq(store_errmsg(st), "");
	ck_assert_int_eq(store_next_epoch(st, NULL), -1);
	ck_assert_str_ne(store_errmsg(st), "");
	ck_assert_int_eq(store_assignments_each(st, NULL, NULL), -1);
	ck_assert_int_eq(store_reply_find(st, NULL, NULL, NULL), -1);
	ck_assert_int_eq(store_history_add(st, NULL, 1), -1);
	ck_assert_int_eq(store_history_add(st, NULL, 0), 0);
	ck_assert_int_eq(store_history_query(st, 1, NULL, NULL, &n), -1);
	ck_assert_int_eq(store_audit_query(st, 1, NULL, NULL), -1);

	/* fixed fields without their NUL are bounded, not overrun */
	{
		struct proto_audit_row r;
		struct proto_audit_row *out;

		memset(&r, 'A', sizeof r);
		r.forced = true;
		ck_assert_int_eq(store_move_commit(st, "nul", 0, &r, 1, NULL, 0), 0);
		ck_assert_int_eq(store_audit_query(st, 1, &out, &n), 0);
		ck_assert_uint_eq(n, 1);
		ck_assert_uint_eq(strlen(out[0].agent), PROTO_ID_MAX);
		ck_assert_uint_eq(strlen(out[0].reason), PROTO_TEXT_MAX);
		free(out);
	}
	proto_buf_init(&b);
	ck_assert_int_eq(store_reply_find(st, "nul", NULL, &b), 1);
	ck_assert_uint_eq(b.len, 0);
	proto_buf_free(&b);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

/*
 * kill -9 right after store_move_commit() returns: the acknowledged move
 * must be there on reopen.  The child keeps committing after it signals,
 * so the kill often lands mid-transaction too: every move found must be
 * whole (as many audit rows as its reply says).
 */
#define KILL_ROUNDS 40

static void
kill_child(const char *dir, int round, int fd)
{
	struct store *st;
	char err[512], req[32], agent[16];
	struct proto_audit_row rows[8];

	if (store_open(&st, dir, err, sizeof err) != 0)
		_exit(2);
	for (int j = 0;; j++) {
		uint32_t cnt = (uint32_t)((round + j) % 8) + 1;
		uint8_t body[1] = { (uint8_t)cnt };

		snprintf(req, sizeof req, "k%d-%d", round, j);
		for (uint32_t i = 0; i < cnt; i++) {
			snprintf(agent, sizeof agent, "ag%u", i);
			rows[i] = mkrow(req, agent, "shared", req, (uint64_t)j, round);
		}
		if (store_move_commit(st, req, (uint64_t)round, rows, cnt, body, 1) != 0)
			_exit(3);
		if (j == 0 && write(fd, "x", 1) != 1)
			_exit(4);
	}
}

START_TEST(test_kill9_durability)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row *rows;
	struct proto_buf b;
	uint32_t n;
	char req[32];

	tmp_make(&t);
	proto_buf_init(&b);
	for (int round = 0; round < KILL_ROUNDS; round++) {
		int p[2], status;
		char c;
		pid_t pid;

		ck_assert_int_eq(pipe(p), 0);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(p[0]);
			kill_child(t.dir, round, p[1]);
		}
		close(p[1]);
		ck_assert_int_eq(read(p[0], &c, 1), 1);
		if (round % 3 == 1)
			usleep((useconds_t)(round * 97 % 3000));
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		close(p[0]);

		st = open_ok(t.dir);
		/* every acknowledged move so far survived */
		for (int r = 0; r <= round; r++) {
			uint64_t dg = 0;

			snprintf(req, sizeof req, "k%d-0", r);
			ck_assert_msg(store_reply_find(st, req, &dg, &b) == 1, "lost %s", req);
			ck_assert_uint_eq(dg, (uint64_t)r);
		}
		/* and every move present is whole */
		ck_assert_int_eq(store_audit_query(st, 100000, &rows, &n), 0);
		for (uint32_t i = 0; i < n;) {
			uint32_t j = i;

			while (j < n && strcmp(rows[j].req, rows[i].req) == 0)
				j++;
			ck_assert_int_eq(store_reply_find(st, rows[i].req, NULL, &b), 1);
			ck_assert_uint_eq(b.len, 1);
			ck_assert_msg(b.data[0] == j - i, "%s: %u of %u rows", rows[i].req,
			              j - i, b.data[0]);
			i = j;
		}
		free(rows);
		store_close(st);
	}
	proto_buf_free(&b);
	tmp_rm(&t);
}
END_TEST

/* Not a pass/fail test: prints what durability costs on this machine. */
START_TEST(test_commit_latency)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row r;
	struct timespec a, z;
	char req[32];
	const int N = 100;
	double ms;

	tmp_make(&t);
	st = open_ok(t.dir);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < N; i++) {
		snprintf(req, sizeof req, "lat-%d", i);
		r = mkrow(req, "agent", "shared", "acme", (uint64_t)i, i);
		ck_assert_int_eq(store_move_commit(st, req, 0, &r, 1, (const uint8_t *)"ok", 2), 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &z);
	ms = ((double)(z.tv_sec - a.tv_sec) * 1e3 + (double)(z.tv_nsec - a.tv_nsec) / 1e6) / N;
	printf("store_move_commit (1 agent, synchronous=FULL): %.3f ms average over %d\n", ms, N);
	fflush(stdout);
	ck_assert_uint_eq(audit_count(st), (uint32_t)N);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

/* The audit is a record and stays; stored move replies expire after
 * STORE_REPLY_KEEP_MS; a reply kept in memory (a move that changed
 * nothing) is found like a committed one and never touches the file. */
START_TEST(test_retention)
{
	struct tmp t;
	struct store *st;
	struct proto_audit_row r = mkrow("m-1", "a1", "p1", "p2", 5, 1000);
	struct proto_buf b;
	uint64_t d = 0;
	struct timespec now;
	int64_t now_ms;

	tmp_make(&t);
	st = open_ok(t.dir);
	proto_buf_init(&b);
	clock_gettime(CLOCK_REALTIME, &now);
	now_ms = (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
	ck_assert_int_eq(store_move_commit(st, "m-1", 11, &r, 1, (const uint8_t *)"R1", 2), 0);
	ck_assert_int_eq(store_reply_keep(st, "noop-1", BIG_DIGEST, (const uint8_t *)"N1", 2), 0);
	ck_assert_int_eq(store_reply_find(st, "noop-1", &d, &b), 1);
	ck_assert_uint_eq(d, BIG_DIGEST);
	ck_assert_uint_eq(b.len, 2);
	ck_assert_int_eq(memcmp(b.data, "N1", 2), 0);
	/* not yet old enough */
	ck_assert_int_eq(store_expire(st, now_ms + STORE_REPLY_KEEP_MS - 60000), 0);
	ck_assert_int_eq(store_reply_find(st, "m-1", &d, &b), 1);
	/* past it: the reply goes, the audit and the assignment stay */
	ck_assert_int_eq(store_expire(st, now_ms + STORE_REPLY_KEEP_MS + 60000), 1);
	ck_assert_int_eq(store_reply_find(st, "m-1", &d, &b), 0);
	ck_assert_uint_eq(audit_count(st), 1);
	{
		struct assigns a = assigns_of(st);
		ck_assert_str_eq(pool_of(&a, "a1"), "p2");
	}
	store_close(st);
	/* kept replies are memory only: gone with the process */
	st = open_ok(t.dir);
	ck_assert_int_eq(store_reply_find(st, "noop-1", &d, &b), 0);
	/* the ring keeps the newest STORE_KEPT_MAX */
	for (uint32_t i = 0; i <= STORE_KEPT_MAX; i++) {
		char id[32];
		snprintf(id, sizeof id, "k-%u", i);
		ck_assert_int_eq(store_reply_keep(st, id, i, (const uint8_t *)"K", 1), 0);
	}
	ck_assert_int_eq(store_reply_find(st, "k-0", &d, &b), 0);
	ck_assert_int_eq(store_reply_find(st, "k-1", &d, &b), 1);
	ck_assert_uint_eq(d, 1);
	proto_buf_free(&b);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

/* History keeps the newest STORE_HISTORY_SHIFTS_KEEP shifts, whatever
 * the number of tenants; older ones go with the next close. */
START_TEST(test_history_retention)
{
	const int64_t t0 = 1700000000000LL, step = 8 * 3600 * 1000LL;
	const uint32_t extra = 5;
	struct tmp t;
	struct store *st;
	struct proto_stats_row h[2], *rows;
	uint32_t n;

	tmp_make(&t);
	st = open_ok(t.dir);
	for (uint32_t i = 0; i < STORE_HISTORY_SHIFTS_KEEP + extra; i++) {
		h[0] = mkstats("t1", "S", t0 + (int64_t)i * step, i);
		h[1] = mkstats("t2", "S", t0 + (int64_t)i * step, i);
		ck_assert_int_eq(store_history_add(st, h, 2), 0);
	}
	ck_assert_int_eq(store_history_query(st, STORE_HISTORY_SHIFTS_KEEP * 2, NULL, &rows, &n), 0);
	ck_assert_uint_eq(n, 2 * STORE_HISTORY_SHIFTS_KEEP);
	ck_assert_int_eq(rows[0].start_ts, t0 + (int64_t)extra * step);
	ck_assert_int_eq(rows[n - 1].start_ts, t0 + (int64_t)(STORE_HISTORY_SHIFTS_KEEP + extra - 1) * step);
	free(rows);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

/* A closed row is recorded once per run: the same run may record it
 * again, another run's row is kept and counted as refused; the live rows
 * come back as saved, and covered_ms goes to history and back. */
START_TEST(test_history_close_and_live)
{
	struct tmp t;
	struct store *st;
	struct proto_stats_row h[2], *out;
	struct store_live lv = { 41, 5000, 123456 }, back;
	uint32_t n, refused;

	tmp_make(&t);
	st = open_ok(t.dir);
	h[0] = mkstats("acme", "Early", 1000, 1);
	h[1] = mkstats("globex", "Early", 1000, 2);
	h[0].covered_ms = 777;
	ck_assert_int_eq(store_history_close(st, h, 2, 41, &refused), 0);
	ck_assert_uint_eq(refused, 0);
	/* the same run again: replaced */
	h[0].offered = 5;
	ck_assert_int_eq(store_history_close(st, h, 1, 41, &refused), 0);
	ck_assert_uint_eq(refused, 0);
	/* another run: refused, the first run's rows stay */
	h[0].offered = 6;
	h[1].offered = 6;
	ck_assert_int_eq(store_history_close(st, h, 2, 42, &refused), 0);
	ck_assert_uint_eq(refused, 2);
	ck_assert_int_eq(store_history_query(st, 1, NULL, &out, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(out[0].offered, 5);
	ck_assert_uint_eq(out[0].covered_ms, 777);
	ck_assert_uint_eq(out[1].offered, 100 + 2);
	ck_assert_uint_eq(out[1].covered_ms, 0);
	free(out);

	/* live rows: saved, replaced as a whole, loaded back */
	ck_assert_int_eq(store_live_load(st, &out, &n, &back), 0);
	ck_assert_uint_eq(n, 0);
	free(out);
	ck_assert_int_eq(store_live_save(st, h, 2, &lv), 0);
	lv.saved_ts = 200000;
	ck_assert_int_eq(store_live_save(st, h + 1, 1, &lv), 0);
	store_close(st);
	st = open_ok(t.dir);
	ck_assert_int_eq(store_live_load(st, &out, &n, &back), 0);
	ck_assert_uint_eq(n, 1);
	h[1].covered_ms = 0;
	testlib_row_eq(&out[0], &h[1]);
	ck_assert_uint_eq(back.epoch, 41);
	ck_assert_int_eq(back.gap_ms, 5000);
	ck_assert_int_eq(back.saved_ts, 200000);
	free(out);
	ck_assert_int_eq(store_live_clear(st), 0);
	ck_assert_int_eq(store_live_load(st, &out, &n, &back), 0);
	ck_assert_uint_eq(n, 0);
	free(out);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

/* Per-interval service-level counters made up from k, with a wait_ms
 * above 2^32 and a counter at UINT32_MAX so nothing is truncated. */
static void
mksl(struct proto_sl_row *sl, uint32_t n, uint32_t k)
{
	memset(sl, 0, sizeof *sl);
	sl->n = n;
	sl->iv = calloc(n ? n : 1, sizeof *sl->iv);
	ck_assert_ptr_nonnull(sl->iv);
	for (uint32_t i = 0; i < n; i++) {
		sl->iv[i].answered = k * 100 + i;
		sl->iv[i].answered_in_sl = k * 100 + i / 2;
		sl->iv[i].abandoned = i == 0 ? UINT32_MAX : k + i;
		sl->iv[i].abandoned_short = i;
		sl->iv[i].wait_ms = 0x1234567890ULL + k * 1000 + i;
	}
}

static void
sl_eq(const struct proto_sl_row *a, const struct proto_sl_row *b)
{
	ck_assert_uint_eq(a->n, b->n);
	for (uint32_t i = 0; i < a->n; i++) {
		ck_assert_uint_eq(a->iv[i].answered, b->iv[i].answered);
		ck_assert_uint_eq(a->iv[i].answered_in_sl, b->iv[i].answered_in_sl);
		ck_assert_uint_eq(a->iv[i].abandoned, b->iv[i].abandoned);
		ck_assert_uint_eq(a->iv[i].abandoned_short, b->iv[i].abandoned_short);
		ck_assert_uint_eq(a->iv[i].wait_ms, b->iv[i].wait_ms);
	}
}

/* A closed row keeps what the live shift had: busy and break time and
 * the per-interval service-level counters survive the close and a
 * reopen, in history and in the live rows alike; a row without them
 * comes back without them (not known), not as zeros. */
START_TEST(test_history_sl_busy)
{
	struct tmp t;
	struct store *st;
	struct proto_stats_row h[3], *out;
	struct proto_sl_row *sl_in, *sl_out;
	struct store_live lv = { 7, 0, 5000 }, back;
	uint32_t n, refused;

	sl_in = calloc(3, sizeof *sl_in);
	ck_assert_ptr_nonnull(sl_in);
	tmp_make(&t);
	st = open_ok(t.dir);
	h[0] = mkstats("acme", "Early", 1000, 1);
	h[1] = mkstats("globex", "Early", 1000, 2);
	h[2] = mkstats("initech", "Early", 1000, 3);
	h[0].has_busy = true;
	h[0].dedicated_busy_ms = 0x8000000000000001ULL;    /* above INT64_MAX */
	h[0].dedicated_break_ms = 12345;
	h[1].has_busy = true;
	h[1].dedicated_busy_ms = 0;                        /* known zero */
	h[1].dedicated_break_ms = 0;
	mksl(&sl_in[0], PROTO_INTERVALS_MAX, 1);
	mksl(&sl_in[1], 3, 2);
	/* h[2]: no busy time and no sl_intervals (sl n 0) */
	ck_assert_int_eq(store_history_close_sl(st, h, sl_in, 3, 7, &refused), 0);
	ck_assert_uint_eq(refused, 0);
	ck_assert_int_eq(store_live_save_sl(st, h, sl_in, 3, &lv), 0);
	store_close(st);

	st = open_ok(t.dir);
	ck_assert_int_eq(store_history_query_sl(st, 1, NULL, &out, &sl_out, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_nonnull(sl_out);
	for (uint32_t i = 0; i < 3; i++) {
		testlib_row_eq(&out[i], &h[i]);
		sl_eq(&sl_out[i], &sl_in[i]);
	}
	ck_assert(!out[2].has_busy);
	ck_assert_uint_eq(sl_out[2].n, 0);
	free(out);
	proto_sl_rows_free(sl_out, n);
	/* one tenant asked for: its own sl_intervals, not the first row's */
	ck_assert_int_eq(store_history_query_sl(st, 1, "globex", &out, &sl_out, &n), 0);
	ck_assert_uint_eq(n, 1);
	sl_eq(&sl_out[0], &sl_in[1]);
	free(out);
	proto_sl_rows_free(sl_out, n);
	ck_assert_int_eq(store_live_load_sl(st, &out, &sl_out, &n, &back), 0);
	ck_assert_uint_eq(n, 3);
	for (uint32_t i = 0; i < 3; i++) {
		testlib_row_eq(&out[i], &h[i]);
		sl_eq(&sl_out[i], &sl_in[i]);
	}
	free(out);
	proto_sl_rows_free(sl_out, n);
	/* rows without any: no array at all */
	ck_assert_int_eq(store_history_query_sl(st, 1, "initech", &out, &sl_out, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_ptr_null(sl_out);
	free(out);
	/* more sl_intervals than a shift has is refused, the batch with it */
	sl_in[0].n = PROTO_INTERVALS_MAX + 1;
	h[0].start_ts = 9000;
	ck_assert_int_eq(store_history_close_sl(st, h, sl_in, 1, 7, &refused), -1);
	ck_assert_ptr_nonnull(strstr(store_errmsg(st), "sl_intervals"));
	store_close(st);
	tmp_rm(&t);
	proto_sl_rows_free(sl_in, 3);
}
END_TEST

/* A database an older pooltopd made (schema 1 as first released: no
 * epoch, covered_ms, live table, busy or break time, sl_intervals) opens,
 * its rows still read, with what they never had not known; new rows
 * beside them keep everything. */
START_TEST(test_history_old_schema)
{
	/* schema 1 as first released: today's less what was added since */
	static const char v1[] =
		"DROP TABLE live;"
		"ALTER TABLE history DROP COLUMN epoch;"
		"ALTER TABLE history DROP COLUMN covered_ms;"
		"ALTER TABLE history DROP COLUMN dedicated_busy_ms;"
		"ALTER TABLE history DROP COLUMN dedicated_break_ms;"
		"ALTER TABLE history DROP COLUMN sl_intervals;"
		"INSERT INTO history VALUES('acme', 'Early', 1000, 28801000, 40, 30, 25, 10, 2,"
		" 90000, 300000, 60000, 7200000, 0, 12.5, 30, X'0500000023000000');";
	struct tmp t;
	struct store *st;
	struct proto_stats_row h, *out;
	struct proto_sl_row sl, *sl_out;
	char db[128];
	sqlite3 *raw;
	uint32_t n, refused;

	tmp_make(&t);
	store_close(open_ok(t.dir));
	tmp_path(&t, "pooltop.db", db, sizeof db);
	ck_assert_int_eq(sqlite3_open(db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(raw, v1, NULL, NULL, NULL), SQLITE_OK);
	/* as an older binary left it: no column of today's left over */
	ck_assert_int_eq(sqlite3_exec(raw, "SELECT sl_intervals FROM history", NULL, NULL, NULL),
	                 SQLITE_ERROR);
	sqlite3_close(raw);

	st = open_ok(t.dir);
	ck_assert_int_eq(store_history_query_sl(st, 5, NULL, &out, &sl_out, &n), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(out[0].tenant, "acme");
	ck_assert_uint_eq(out[0].offered, 40);
	ck_assert_uint_eq(out[0].answered_in_sl, 25);
	ck_assert_uint_eq(out[0].n_intervals, 2);
	ck_assert_uint_eq(out[0].intervals[1], 35);
	ck_assert_uint_eq(out[0].covered_ms, 0);
	ck_assert(!out[0].has_busy);                       /* not known, not 0 */
	ck_assert_ptr_null(sl_out);                        /* none known */
	free(out);

	/* the next shift, closed into the upgraded file, keeps everything */
	h = mkstats("acme", "Late", 28801000, 4);
	h.has_busy = true;
	h.dedicated_busy_ms = 3600000;
	h.dedicated_break_ms = 600000;
	mksl(&sl, h.n_intervals, 4);
	ck_assert_int_eq(store_history_close_sl(st, &h, &sl, 1, 9, &refused), 0);
	store_close(st);
	st = open_ok(t.dir);
	ck_assert_int_eq(store_history_query_sl(st, 5, NULL, &out, &sl_out, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_ptr_nonnull(sl_out);
	ck_assert(!out[0].has_busy);
	ck_assert_uint_eq(sl_out[0].n, 0);
	testlib_row_eq(&out[1], &h);
	sl_eq(&sl_out[1], &sl);
	free(out);
	proto_sl_rows_free(sl_out, n);
	free(sl.iv);
	store_close(st);
	tmp_rm(&t);
}
END_TEST

static Suite *
store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("core");
	TCase *dur = tcase_create("durability");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_epoch_and_mkdir);
	tcase_add_test(tc, test_move_commit);
	tcase_add_test(tc, test_assignments_stop);
	tcase_add_test(tc, test_persistence);
	tcase_add_test(tc, test_history);
	tcase_add_test(tc, test_intervals_blob_le);
	tcase_add_test(tc, test_audit_limit);
	tcase_add_test(tc, test_rollback);
	tcase_add_test(tc, test_open_not_a_database);
	tcase_add_test(tc, test_open_under_file);
	tcase_add_test(tc, test_open_unwritable);
	tcase_add_test(tc, test_open_newer_schema);
	tcase_add_test(tc, test_wal_mode);
	tcase_add_test(tc, test_bad_input);
	tcase_add_test(tc, test_retention);
	tcase_add_test(tc, test_history_retention);
	tcase_add_test(tc, test_history_close_and_live);
	tcase_add_test(tc, test_history_sl_busy);
	tcase_add_test(tc, test_history_old_schema);
	suite_add_tcase(s, tc);

	tcase_set_timeout(dur, 300);
	tcase_add_test(dur, test_kill9_durability);
	tcase_add_test(dur, test_commit_latency);
	suite_add_tcase(s, dur);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(store_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
