/*
 * store: pooltopd's durable state in one SQLite database, DIR/pooltop.db.
 *
 * Why SQLite rather than a hand-rolled append-only journal with fsync:
 *  - a move touches several rows (one assignment and one audit row per
 *    agent, plus the reply kept for retries) and they must land together
 *    or not at all; SQLite gives atomic multi-row commits for free, where a
 *    journal would need its own framing, checksums and torn-write recovery;
 *  - SQLite's crash safety is tested far beyond anything we could afford
 *    (power-loss simulation, I/O fault injection), ours would not be;
 *  - history and the audit trail are queryable (newest N shifts, one
 *    tenant, newest N moves) with indexes instead of a replay, and an
 *    operator can inspect them with the sqlite3 shell.
 *
 * Why WAL with synchronous=FULL: a move is acknowledged, and its event
 * published, only after store_move_commit() returns, so the commit must be
 * durable when it returns.  WAL with synchronous=NORMAL syncs only at
 * checkpoints: the database stays consistent, but the last transactions
 * may be lost on power loss — i.e. moves every client saw would silently
 * revert.  FULL syncs the WAL on every commit; WAL keeps that to one
 * sequential fsync and lets readers run beside the writer.
 *
 * uint64 values (counters, seq, epoch, digest) are stored as SQLite's
 * int64 by reinterpreting the bits (store_i64/store_u64), so every value,
 * including digests with the top bit set, round-trips exactly.  SQL
 * ordering or arithmetic on such columns would be wrong above INT64_MAX,
 * so none is done: the audit is ordered by its rowid, history by start_ts
 * (already an int64).
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pooltop/store.h"

#define STORE_FILE "pooltop.db"
/* Bump with every schema change and add a step to store_schema(). */
#define STORE_SCHEMA_VERSION 1
#define STORE_BUSY_MS 5000
#define STORE_AUDIT_DEFAULT 1000
#define STORE_ERR_MAX 512

/* The columns a stats row fills, in binding order (store_bind_hist).
 * The last three are NULL for a row that does not carry them (rows
 * recorded before they were kept): unknown, not 0. */
#define STORE_HIST_COLS \
	"tenant, shift, start_ts, end_ts, offered, answered, answered_in_sl, abandoned, " \
	"abandoned_short, wait_ms, talk_ms, wrap_ms, dedicated_staffed_ms, shared_handle_ms, " \
	"cost, handled, intervals, dedicated_busy_ms, dedicated_break_ms, sl_intervals"
#define STORE_HIST_NCOLS 20
#define STORE_HIST_PARAMS \
	"?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20"
/* One interval of sl_intervals on disk: four uint32 and a uint64, LE. */
#define STORE_SL_BYTES 24

enum store_stmt {
	STORE_BEGIN,
	STORE_COMMIT,
	STORE_ROLLBACK,
	STORE_EPOCH_BUMP,
	STORE_EPOCH_GET,
	STORE_ASSIGN_EACH,
	STORE_ASSIGN_PUT,
	STORE_AUDIT_PUT,
	STORE_AUDIT_GET,
	STORE_REPLY_PUT,
	STORE_REPLY_GET,
	STORE_HIST_PUT,
	STORE_HIST_GET,
	STORE_REPLY_EXPIRE,
	STORE_HIST_TRIM,
	STORE_HIST_CLOSE,
	STORE_LIVE_PUT,
	STORE_LIVE_GET,
	STORE_LIVE_CLEAR,
	STORE_STMT__COUNT
};

static const char *const store_sql[STORE_STMT__COUNT] = {
	/* IMMEDIATE takes the write lock up front, so a commit can never fail
	 * half-way with SQLITE_BUSY upgrading a read lock. */
	[STORE_BEGIN] = "BEGIN IMMEDIATE",
	[STORE_COMMIT] = "COMMIT",
	[STORE_ROLLBACK] = "ROLLBACK",
	[STORE_EPOCH_BUMP] =
		"INSERT INTO meta(key, value) VALUES('epoch', 1) "
		"ON CONFLICT(key) DO UPDATE SET value = value + 1",
	[STORE_EPOCH_GET] = "SELECT value FROM meta WHERE key = 'epoch'",
	[STORE_ASSIGN_EACH] = "SELECT agent, pool FROM assignment ORDER BY agent",
	[STORE_ASSIGN_PUT] =
		"INSERT INTO assignment(agent, pool, ts) VALUES(?1, ?2, ?3) "
		"ON CONFLICT(agent) DO UPDATE SET pool = excluded.pool, ts = excluded.ts",
	[STORE_AUDIT_PUT] =
		"INSERT INTO audit(ts, by_, req, agent, from_pool, to_pool, reason, "
		"forced, seq, epoch) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	[STORE_AUDIT_GET] =
		"SELECT ts, by_, req, agent, from_pool, to_pool, reason, forced, seq, epoch "
		"FROM (SELECT * FROM audit ORDER BY id DESC LIMIT ?1) ORDER BY id",
	/* Plain INSERT, not OR REPLACE: committing an id twice is a caller bug
	 * (it should have found the reply) and must not move anything twice. */
	[STORE_REPLY_PUT] =
		"INSERT INTO reply(req_id, digest, body, ts) VALUES(?1, ?2, ?3, ?4)",
	[STORE_REPLY_GET] = "SELECT digest, body FROM reply WHERE req_id = ?1",
	/* OR REPLACE: closing the same shift again (a restart around a
	 * boundary) overwrites rather than duplicates. */
	[STORE_HIST_PUT] =
		"INSERT OR REPLACE INTO history(" STORE_HIST_COLS ") VALUES(" STORE_HIST_PARAMS ")",
	/* Shifts are floor-wide, so "the newest N" is counted over every
	 * tenant even when one tenant is asked for. */
	[STORE_HIST_GET] =
		"SELECT " STORE_HIST_COLS ", covered_ms FROM history WHERE start_ts IN "
		"(SELECT DISTINCT start_ts FROM history ORDER BY start_ts DESC LIMIT ?1) "
		"AND (?2 IS NULL OR tenant = ?2) ORDER BY start_ts, tenant",
	[STORE_REPLY_EXPIRE] = "DELETE FROM reply WHERE ts < ?1",
	/* A closed shift is recorded once per run: the same run closing it
	 * again (a retry) replaces its row, another run's row is never
	 * replaced (the WHERE makes the update a no-op, changes() says so). */
	[STORE_HIST_CLOSE] =
		"INSERT INTO history(" STORE_HIST_COLS ", covered_ms, epoch) "
		"VALUES(" STORE_HIST_PARAMS ", ?21, ?22) "
		"ON CONFLICT(tenant, start_ts) DO UPDATE SET shift = excluded.shift, "
		"end_ts = excluded.end_ts, offered = excluded.offered, answered = excluded.answered, "
		"answered_in_sl = excluded.answered_in_sl, abandoned = excluded.abandoned, "
		"abandoned_short = excluded.abandoned_short, wait_ms = excluded.wait_ms, "
		"talk_ms = excluded.talk_ms, wrap_ms = excluded.wrap_ms, "
		"dedicated_staffed_ms = excluded.dedicated_staffed_ms, "
		"shared_handle_ms = excluded.shared_handle_ms, cost = excluded.cost, "
		"handled = excluded.handled, intervals = excluded.intervals, "
		"dedicated_busy_ms = excluded.dedicated_busy_ms, "
		"dedicated_break_ms = excluded.dedicated_break_ms, sl_intervals = excluded.sl_intervals, "
		"covered_ms = excluded.covered_ms WHERE history.epoch = excluded.epoch",
	[STORE_LIVE_PUT] =
		"INSERT OR REPLACE INTO live(" STORE_HIST_COLS ", epoch, gap_ms, saved_ts) "
		"VALUES(" STORE_HIST_PARAMS ", ?21, ?22, ?23)",
	[STORE_LIVE_GET] =
		"SELECT " STORE_HIST_COLS ", epoch, gap_ms, saved_ts FROM live ORDER BY tenant",
	[STORE_LIVE_CLEAR] = "DELETE FROM live",
	/* Everything older than the newest ?1 shifts (the subquery is empty,
	 * and nothing goes, while there are fewer). */
	[STORE_HIST_TRIM] =
		"DELETE FROM history WHERE start_ts < "
		"(SELECT start_ts FROM (SELECT DISTINCT start_ts FROM history "
		"ORDER BY start_ts DESC LIMIT 1 OFFSET ?1 - 1))",
};

static const char store_schema_v1[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL);"
	"CREATE TABLE assignment(agent TEXT PRIMARY KEY, pool TEXT NOT NULL,"
	" ts INTEGER NOT NULL);"
	/* id is the rowid: insertion order, which is the order of the moves. */
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,"
	" by_ TEXT NOT NULL, req TEXT NOT NULL, agent TEXT NOT NULL,"
	" from_pool TEXT NOT NULL, to_pool TEXT NOT NULL, reason TEXT NOT NULL,"
	" forced INTEGER NOT NULL, seq INTEGER NOT NULL, epoch INTEGER NOT NULL);"
	"CREATE TABLE reply(req_id TEXT PRIMARY KEY, digest INTEGER NOT NULL,"
	" body BLOB NOT NULL, ts INTEGER NOT NULL);"
	/* cost may be NULL: SQLite stores a NaN as NULL, and a NaN cost must
	 * not make a whole shift's close fail. */
	"CREATE TABLE history(tenant TEXT NOT NULL, shift TEXT NOT NULL,"
	" start_ts INTEGER NOT NULL, end_ts INTEGER NOT NULL,"
	" offered INTEGER NOT NULL, answered INTEGER NOT NULL,"
	" answered_in_sl INTEGER NOT NULL, abandoned INTEGER NOT NULL,"
	" abandoned_short INTEGER NOT NULL, wait_ms INTEGER NOT NULL,"
	" talk_ms INTEGER NOT NULL, wrap_ms INTEGER NOT NULL,"
	" dedicated_staffed_ms INTEGER NOT NULL, shared_handle_ms INTEGER NOT NULL,"
	" cost REAL, handled INTEGER NOT NULL, intervals BLOB NOT NULL,"
	" PRIMARY KEY(tenant, start_ts));"
	"CREATE INDEX history_start ON history(start_ts);";

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[STORE_STMT__COUNT];
	char *dir;                       /* as given, trailing '/' removed */
	char *path;                      /* dir/pooltop.db, for messages */
	char err[STORE_ERR_MAX];
	bool busy;                       /* the last failure was a lock held elsewhere */
	/* Replies of moves that changed nothing: kept here, not on disk, so
	 * junk moves with new ids cannot grow the database (a ring; the
	 * oldest goes first). */
	struct store_kept {
		char id[PROTO_REQID_MAX + 1];
		uint64_t digest;
		uint8_t *body;
		size_t len;
	} kept[STORE_KEPT_MAX];
	uint32_t kept_next;
};

/* ------------------------------------------------------------- helpers */

static int64_t
store_i64(uint64_t u)
{
	int64_t i;

	memcpy(&i, &u, sizeof i);
	return i;
}

static uint64_t
store_u64(int64_t i)
{
	uint64_t u;

	memcpy(&u, &i, sizeof u);
	return u;
}

static void
store_errf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* SQLite's message, plus the OS reason when there is one: "unable to open
 * database file" alone does not tell a permission problem from a typo. */
static void
store_dberr(sqlite3 *db, const char *path, const char *what, char *err, size_t errlen)
{
	char reason[STORE_ERR_MAX];
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *msg = db ? sqlite3_errmsg(db) : "out of memory";

	if (sys != 0)
		snprintf(reason, sizeof reason, "%s: %s (%s)", what, msg, strerror(sys));
	else
		snprintf(reason, sizeof reason, "%s: %s", what, msg);
	store_errf(err, errlen, "store: %s: %s", path, reason);
}

static int
store_fail(struct store *st, const char *what)
{
	int rc = st->db ? sqlite3_errcode(st->db) & 0xff : SQLITE_NOMEM;

	st->busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
	store_dberr(st->db, st->path, what, st->err, sizeof st->err);
	return -1;
}

static int
store_bad(struct store *st, const char *what)
{
	st->busy = false;
	snprintf(st->err, sizeof st->err, "store: %s", what);
	return -1;
}

/* Leave the statement ready for its next use: reset ends any read it
 * holds open (which would pin the WAL), and clearing the bindings drops
 * the SQLITE_STATIC pointers into the caller's memory. */
static void
store_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

/* Bind at most cap bytes: fixed proto fields from bad input may lack
 * their NUL. */
static int
store_bind_str(sqlite3_stmt *s, int idx, const char *str, size_t cap)
{
	return sqlite3_bind_text(s, idx, str, (int)strnlen(str, cap), SQLITE_STATIC);
}

/* Copy a column into a fixed field of cap+1 bytes, never splitting a
 * UTF-8 sequence when it has to truncate. */
static void
store_col_str(sqlite3_stmt *s, int col, char *dst, size_t cap)
{
	const unsigned char *src = sqlite3_column_text(s, col);
	size_t n = src ? (size_t)sqlite3_column_bytes(s, col) : 0;

	if (n > cap) {
		n = cap;
		while (n > 0 && (src[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static int64_t
store_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Grow *arr (of elem-sized items) to hold one more than n. */
static int
store_grow(void **arr, size_t *cap, uint32_t n, size_t elem)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	if (n == UINT32_MAX)
		return -1;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > (size_t)UINT32_MAX)
		ncap = UINT32_MAX;
	if (ncap > SIZE_MAX / elem)
		return -1;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	/* zeroed so fixed fields and unused intervals never carry garbage */
	memset((char *)p + *cap * elem, 0, (ncap - *cap) * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

static int
store_tx_begin(struct store *st)
{
	int rc = sqlite3_step(st->stmt[STORE_BEGIN]);

	store_done(st->stmt[STORE_BEGIN]);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "begin");
}

static int
store_tx_commit(struct store *st)
{
	int rc = sqlite3_step(st->stmt[STORE_COMMIT]);

	store_done(st->stmt[STORE_COMMIT]);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "commit");
}

/* Called after st->err already holds the reason; SQLite may have rolled
 * back on its own (e.g. SQLITE_FULL), hence the autocommit check. */
static void
store_tx_rollback(struct store *st)
{
	if (sqlite3_get_autocommit(st->db))
		return;
	sqlite3_step(st->stmt[STORE_ROLLBACK]);
	store_done(st->stmt[STORE_ROLLBACK]);
}

/* ---------------------------------------------------------------- open */

/* fsync a directory so the entries created in it survive power loss. */
static void
store_sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* mkdir -p with mode 0700 for what it creates: the state directory holds
 * the audit trail, which is nobody else's business. */
static int
store_mkdirs(const char *dir, char *err, size_t errlen)
{
	char *p = strdup(dir);
	char *s;
	int rc = -1;

	if (!p) {
		store_errf(err, errlen, "store: %s: %s", dir, strerror(ENOMEM));
		return -1;
	}
	for (s = p + 1;; s++) {
		struct stat sb;
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (s[-1] != '/') {
			if (mkdir(p, 0700) == 0) {
				char *slash = strrchr(p, '/');

				if (slash == p) {
					store_sync_dir("/");
				} else if (slash) {
					*slash = '\0';
					store_sync_dir(p);
					*slash = '/';
				} else {
					store_sync_dir(".");
				}
			} else if (errno != EEXIST) {
				store_errf(err, errlen, "store: cannot create directory %s: %s",
				           p, strerror(errno));
				goto out;
			} else if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
				store_errf(err, errlen, "store: cannot create directory %s: %s",
				           p, strerror(ENOTDIR));
				goto out;
			}
		}
		*s = c;
		if (c == '\0')
			break;
	}
	rc = 0;
out:
	free(p);
	return rc;
}

/* Run a one-row pragma or query: its first column goes to *out, and when
 * want is given the text must match (journal_mode answers with the mode
 * it actually got, so a refusal is not an error by itself). */
static int
store_pragma(struct store *st, const char *sql, int64_t *out, const char *want)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return store_fail(st, sql);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		if (out)
			*out = sqlite3_column_int64(s, 0);
		if (want) {
			const char *got = (const char *)sqlite3_column_text(s, 0);

			if (!got || strcmp(got, want) != 0) {
				snprintf(st->err, sizeof st->err, "store: %s: %s gave \"%s\", not \"%s\"",
				         st->path, sql, got ? got : "", want);
				sqlite3_finalize(s);
				return -1;
			}
		}
		rc = SQLITE_DONE;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, sql);
		sqlite3_finalize(s);
		return -1;
	}
	sqlite3_finalize(s);
	return 0;
}

static int
store_check_version(struct store *st, int64_t ver)
{
	if (ver >= 0 && ver <= STORE_SCHEMA_VERSION)
		return 0;
	store_errf(st->err, sizeof st->err,
	           "store: %s: schema version %lld is newer than this pooltopd "
	           "understands (%d); upgrade pooltopd or use another state directory",
	           st->path, (long long)ver, STORE_SCHEMA_VERSION);
	return -1;
}

/* Create or upgrade the schema inside one write transaction, so two
 * processes opening a fresh directory cannot both create it. */
static int
store_schema(struct store *st)
{
	int64_t ver = 0, objects = 0;
	char *msg = NULL;

	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "begin");
	if (store_pragma(st, "PRAGMA user_version", &ver, NULL) != 0)
		goto fail;
	if (store_check_version(st, ver) != 0)
		goto fail;
	if (ver == 0) {
		/* Version 0 with tables in it is someone else's database: adding
		 * ours next to theirs would hide a wrong --state path. */
		if (store_pragma(st, "SELECT count(*) FROM sqlite_master", &objects, NULL) != 0)
			goto fail;
		if (objects != 0) {
			store_errf(st->err, sizeof st->err, "store: %s: an SQLite database, "
			           "but not a pooltop one (user_version 0 with tables)", st->path);
			goto fail;
		}
		if (sqlite3_exec(st->db, store_schema_v1, NULL, NULL, &msg) != SQLITE_OK) {
			store_errf(st->err, sizeof st->err, "store: %s: creating schema: %s",
			           st->path, msg ? msg : "unknown error");
			sqlite3_free(msg);
			goto fail;
		}
		/* Upgrades from version 1 go here, each one step. */
		if (sqlite3_exec(st->db, "PRAGMA user_version = 1", NULL, NULL, NULL) != SQLITE_OK) {
			store_fail(st, "user_version");
			goto fail;
		}
	}
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, "commit");
		goto fail;
	}
	return 0;
fail:
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * Additions to schema version 1 that older pooltopd binaries tolerate
 * (they name their columns and never read these), so user_version stays
 * 1: the live counters of the current shift; which run closed a history
 * row (epoch) and how much of it its counters cover; and, in history and
 * live alike, busy and break time and the per-interval service-level
 * counters.  Those last three are NULL in rows written before they were
 * kept (or by an older binary), which reads back as "not known".
 */
static const char store_schema_live[] =
	"CREATE TABLE IF NOT EXISTS live(tenant TEXT PRIMARY KEY, shift TEXT NOT NULL,"
	" start_ts INTEGER NOT NULL, end_ts INTEGER NOT NULL,"
	" offered INTEGER NOT NULL, answered INTEGER NOT NULL,"
	" answered_in_sl INTEGER NOT NULL, abandoned INTEGER NOT NULL,"
	" abandoned_short INTEGER NOT NULL, wait_ms INTEGER NOT NULL,"
	" talk_ms INTEGER NOT NULL, wrap_ms INTEGER NOT NULL,"
	" dedicated_staffed_ms INTEGER NOT NULL, shared_handle_ms INTEGER NOT NULL,"
	" cost REAL, handled INTEGER NOT NULL, intervals BLOB NOT NULL,"
	" epoch INTEGER NOT NULL, gap_ms INTEGER NOT NULL, saved_ts INTEGER NOT NULL);";

static const struct store_column {
	const char *table, *name, *decl;
} store_columns[] = {
	{ "history", "epoch", "INTEGER NOT NULL DEFAULT 0" },
	{ "history", "covered_ms", "INTEGER NOT NULL DEFAULT 0" },
	{ "history", "dedicated_busy_ms", "INTEGER" },
	{ "history", "dedicated_break_ms", "INTEGER" },
	{ "history", "sl_intervals", "BLOB" },
	{ "live", "dedicated_busy_ms", "INTEGER" },
	{ "live", "dedicated_break_ms", "INTEGER" },
	{ "live", "sl_intervals", "BLOB" },
};

/* Add a column a database made by an older binary lacks. */
static int
store_add_column(struct store *st, const struct store_column *c)
{
	char sql[256];
	int64_t has = 0;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_table_info('%s') WHERE name = '%s'",
	         c->table, c->name);
	if (store_pragma(st, sql, &has, NULL) != 0)
		return -1;
	if (has)
		return 0;
	snprintf(sql, sizeof sql, "ALTER TABLE %s ADD COLUMN %s %s", c->table, c->name, c->decl);
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : store_fail(st, sql);
}

static int
store_extend(struct store *st)
{
	if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "begin");
	if (sqlite3_exec(st->db, store_schema_live, NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, "extending the schema");
		goto fail;
	}
	for (size_t i = 0; i < sizeof store_columns / sizeof store_columns[0]; i++)
		if (store_add_column(st, &store_columns[i]) != 0)
			goto fail;
	if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(st, "extending the schema");
		goto fail;
	}
	return 0;
fail:
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static int
store_setup(struct store *st)
{
	int64_t ver = 0;
	int rc;

	/* NOMUTEX: a store, like its prepared statements, belongs to one
	 * thread at a time. */
	rc = sqlite3_open_v2(st->path, &st->db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, "open");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	/* Read the version before anything writes: a non-database file fails
	 * here, and a newer schema is refused without touching the file. */
	if (store_pragma(st, "PRAGMA user_version", &ver, NULL) != 0)
		return -1;
	if (store_check_version(st, ver) != 0)
		return -1;
	if (store_pragma(st, "PRAGMA journal_mode = WAL", NULL, "wal") != 0)
		return -1;
	if (store_pragma(st, "PRAGMA synchronous = FULL", NULL, NULL) != 0)
		return -1;
	if (store_schema(st) != 0 || store_extend(st) != 0)
		return -1;
	for (int i = 0; i < STORE_STMT__COUNT; i++) {
		rc = sqlite3_prepare_v3(st->db, store_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                        &st->stmt[i], NULL);
		if (rc != SQLITE_OK)
			return store_fail(st, "prepare");
	}
	return 0;
}

int
store_open(struct store **stp, const char *dir, char *err, size_t errlen)
{
	struct store *st;
	size_t len;

	if (err && errlen > 0)
		err[0] = '\0';
	if (!stp) {
		store_errf(err, errlen, "store: no result pointer");
		return -1;
	}
	*stp = NULL;
	if (!dir || !*dir) {
		store_errf(err, errlen, "store: no state directory given");
		return -1;
	}
	if (store_mkdirs(dir, err, errlen) != 0)
		return -1;
	len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	st = calloc(1, sizeof *st);
	if (st)
		st->dir = strndup(dir, len);
	if (st && st->dir)
		st->path = malloc(len + sizeof "/" STORE_FILE);
	if (!st || !st->path) {
		store_close(st);
		store_errf(err, errlen, "store: %s: %s", dir, strerror(ENOMEM));
		return -1;
	}
	snprintf(st->path, len + sizeof "/" STORE_FILE, "%s%s" STORE_FILE, st->dir,
	         strcmp(st->dir, "/") == 0 ? "" : "/");
	/* SQLite would fail later and less clearly (its read-only fallback
	 * reports ENOENT), and WAL needs to create -wal and -shm files here
	 * even when the database file itself is writable. */
	if (access(st->dir, W_OK | X_OK) != 0) {
		store_errf(err, errlen, "store: %s: state directory not writable (%s)",
		           st->dir, strerror(errno));
		store_close(st);
		return -1;
	}
	if (store_setup(st) != 0) {
		store_errf(err, errlen, "%s", st->err);
		store_close(st);
		return -1;
	}
	/* The database and WAL files are new entries in dir: make them
	 * durable before the first move is acknowledged. */
	store_sync_dir(st->dir);
	*stp = st;
	return 0;
}

void
store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < STORE_STMT__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (uint32_t i = 0; i < STORE_KEPT_MAX; i++)
		free(st->kept[i].body);
	sqlite3_close(st->db);
	free(st->dir);
	free(st->path);
	free(st);
}

void
store_set_busy_ms(struct store *st, int ms)
{
	if (st)
		sqlite3_busy_timeout(st->db, ms);
}

bool
store_busy(const struct store *st)
{
	return st && st->busy;
}

const char *
store_errmsg(const struct store *st)
{
	if (!st)
		return "store: not open";
	return st->err;
}

/* --------------------------------------------------------------- epoch */

int
store_next_epoch(struct store *st, uint64_t *epoch)
{
	sqlite3_stmt *bump, *get;
	int rc;

	if (!st)
		return -1;
	if (!epoch)
		return store_bad(st, "store_next_epoch: no result pointer");
	bump = st->stmt[STORE_EPOCH_BUMP];
	get = st->stmt[STORE_EPOCH_GET];
	if (store_tx_begin(st) != 0)
		return -1;
	rc = sqlite3_step(bump);
	store_done(bump);
	if (rc != SQLITE_DONE) {
		store_fail(st, "epoch");
		goto fail;
	}
	rc = sqlite3_step(get);
	if (rc != SQLITE_ROW) {
		store_fail(st, "epoch");
		store_done(get);
		goto fail;
	}
	*epoch = store_u64(sqlite3_column_int64(get, 0));
	store_done(get);
	if (store_tx_commit(st) != 0)
		goto fail;
	return 0;
fail:
	store_tx_rollback(st);
	return -1;
}

/* ----------------------------------------------------------- assignments */

int
store_assignments_each(struct store *st, store_assignment_fn fn, void *ctx)
{
	sqlite3_stmt *s;
	int rc, ret = 0;

	if (!st)
		return -1;
	if (!fn)
		return store_bad(st, "store_assignments_each: no callback");
	s = st->stmt[STORE_ASSIGN_EACH];
	/* fn must not call back into the store: the statement is mid-scan. */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *agent = (const char *)sqlite3_column_text(s, 0);
		const char *pool = (const char *)sqlite3_column_text(s, 1);

		ret = fn(agent ? agent : "", pool ? pool : "", ctx);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_fail(st, "assignments");
	store_done(s);
	return ret;
}

/* ------------------------------------------------------------------ move */

static int
store_put_row(struct store *st, const char *req_id, const struct proto_audit_row *r)
{
	sqlite3_stmt *a = st->stmt[STORE_ASSIGN_PUT];
	sqlite3_stmt *u = st->stmt[STORE_AUDIT_PUT];
	/* an audit row without its own req belongs to the request committing it */
	const char *req = r->req[0] ? r->req : req_id;
	int rc;

	store_bind_str(a, 1, r->agent, PROTO_ID_MAX);
	store_bind_str(a, 2, r->to, PROTO_ID_MAX);
	sqlite3_bind_int64(a, 3, r->ts);
	rc = sqlite3_step(a);
	store_done(a);
	if (rc != SQLITE_DONE)
		return store_fail(st, "assignment");

	sqlite3_bind_int64(u, 1, r->ts);
	store_bind_str(u, 2, r->by, PROTO_ID_MAX);
	store_bind_str(u, 3, req, PROTO_REQID_MAX);
	store_bind_str(u, 4, r->agent, PROTO_ID_MAX);
	store_bind_str(u, 5, r->from, PROTO_ID_MAX);
	store_bind_str(u, 6, r->to, PROTO_ID_MAX);
	store_bind_str(u, 7, r->reason, PROTO_TEXT_MAX);
	sqlite3_bind_int(u, 8, r->forced ? 1 : 0);
	sqlite3_bind_int64(u, 9, store_i64(r->seq));
	sqlite3_bind_int64(u, 10, store_i64(r->epoch));
	rc = sqlite3_step(u);
	store_done(u);
	if (rc != SQLITE_DONE)
		return store_fail(st, "audit");
	return 0;
}

static int store_loan_put(struct store *st, const char *agent, int64_t until);

int
store_move_commit(struct store *st, const char *req_id, uint64_t req_digest,
                  const struct proto_audit_row *rows, uint32_t n,
                  const uint8_t *reply, size_t reply_len)
{
	return store_move_commit_loans(st, req_id, req_digest, rows, NULL, n, reply, reply_len);
}

int
store_move_commit_loans(struct store *st, const char *req_id, uint64_t req_digest,
                        const struct proto_audit_row *rows, const int64_t *until, uint32_t n,
                        const uint8_t *reply, size_t reply_len)
{
	/* SQLite binds a NULL pointer as SQL NULL; an empty reply is a blob */
	static const uint8_t empty[1];
	sqlite3_stmt *r;
	int rc;

	if (!st)
		return -1;
	if (!req_id)
		return store_bad(st, "store_move_commit: no request id");
	if (n > 0 && !rows)
		return store_bad(st, "store_move_commit: rows missing");
	if (reply_len > 0 && !reply)
		return store_bad(st, "store_move_commit: reply missing");
	if (store_tx_begin(st) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (store_put_row(st, req_id, &rows[i]) != 0 ||
		    store_loan_put(st, rows[i].agent, until ? until[i] : 0) != 0)
			goto fail;
	r = st->stmt[STORE_REPLY_PUT];
	sqlite3_bind_text(r, 1, req_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(r, 2, store_i64(req_digest));
	sqlite3_bind_blob64(r, 3, reply_len ? reply : empty, reply_len, SQLITE_STATIC);
	sqlite3_bind_int64(r, 4, store_now_ms());
	rc = sqlite3_step(r);
	store_done(r);
	if (rc != SQLITE_DONE) {
		store_fail(st, "reply");
		goto fail;
	}
	if (store_tx_commit(st) != 0)
		goto fail;
	return 0;
fail:
	store_tx_rollback(st);
	return -1;
}

/* proto_buf has no append in its interface; it is a plain malloc'd
 * buffer (proto_buf_free frees data), so grow it the same way. */
static int
store_buf_put(struct proto_buf *b, const void *src, size_t n)
{
	if (n > SIZE_MAX - b->len)
		return -1;
	if (b->len + n > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		uint8_t *p;

		while (ncap < b->len + n)
			ncap = ncap > SIZE_MAX / 2 ? b->len + n : ncap * 2;
		p = realloc(b->data, ncap);
		if (!p)
			return -1;
		b->data = p;
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->data + b->len, src, n);
	b->len += n;
	return 0;
}

int
store_reply_find(struct store *st, const char *req_id, uint64_t *req_digest,
                 struct proto_buf *reply)
{
	sqlite3_stmt *s;
	int rc, ret;

	if (!st)
		return -1;
	if (!req_id)
		return store_bad(st, "store_reply_find: no request id");
	for (uint32_t i = 0; i < STORE_KEPT_MAX; i++) {
		const struct store_kept *k = &st->kept[i];

		if (k->body == NULL || strcmp(k->id, req_id) != 0)
			continue;
		if (req_digest)
			*req_digest = k->digest;
		if (reply) {
			proto_buf_reset(reply);
			if (store_buf_put(reply, k->body, k->len) != 0)
				return store_bad(st, "store_reply_find: out of memory");
		}
		return 1;
	}
	s = st->stmt[STORE_REPLY_GET];
	sqlite3_bind_text(s, 1, req_id, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		const void *body = sqlite3_column_blob(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1);

		ret = 1;
		if (req_digest)
			*req_digest = store_u64(sqlite3_column_int64(s, 0));
		if (reply) {
			proto_buf_reset(reply);
			if (store_buf_put(reply, body, len) != 0)
				ret = store_bad(st, "store_reply_find: out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		ret = 0;
	} else {
		ret = store_fail(st, "reply");
	}
	store_done(s);
	return ret;
}

int
store_reply_keep(struct store *st, const char *req_id, uint64_t req_digest,
                 const uint8_t *reply, size_t reply_len)
{
	struct store_kept *k;
	uint8_t *body;

	if (!st)
		return -1;
	if (!req_id || (reply_len > 0 && !reply))
		return store_bad(st, "store_reply_keep: no request id or reply");
	body = malloc(reply_len ? reply_len : 1);
	if (!body)
		return store_bad(st, "store_reply_keep: out of memory");
	if (reply_len > 0)
		memcpy(body, reply, reply_len);
	k = &st->kept[st->kept_next];
	st->kept_next = (st->kept_next + 1) % STORE_KEPT_MAX;
	free(k->body);
	snprintf(k->id, sizeof k->id, "%s", req_id);
	k->digest = req_digest;
	k->body = body;
	k->len = reply_len;
	return 0;
}

int
store_expire(struct store *st, int64_t now_ms)
{
	sqlite3_stmt *s;
	int rc;

	if (!st)
		return -1;
	s = st->stmt[STORE_REPLY_EXPIRE];
	sqlite3_bind_int64(s, 1, now_ms - STORE_REPLY_KEEP_MS);
	rc = sqlite3_step(s);
	store_done(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, "expiring move replies");
	return sqlite3_changes(st->db);
}

/* --------------------------------------------------------------- history */

/* What a bound row's blobs point into until the step: the intervals and
 * the sl_intervals, little-endian whatever the host, so the file moves
 * freely. */
struct store_blobs {
	uint8_t iv[PROTO_INTERVALS_MAX * 4];
	uint8_t sl[PROTO_INTERVALS_MAX * STORE_SL_BYTES];
};

static void
store_le_put(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
store_le_get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* Bind a stats row to columns 1..STORE_HIST_NCOLS (STORE_HIST_COLS),
 * with its sl_intervals when sl is given (NULL: not known). */
static int
store_bind_hist(struct store *st, sqlite3_stmt *s, const struct proto_stats_row *r,
                const struct proto_sl_row *sl, struct store_blobs *blob)
{
	if (r->n_intervals > PROTO_INTERVALS_MAX)
		return store_bad(st, "store_history_add: more intervals than PROTO_INTERVALS_MAX");
	if (sl && sl->n > PROTO_INTERVALS_MAX)
		return store_bad(st, "store_history_add: more sl_intervals than PROTO_INTERVALS_MAX");
	for (uint32_t i = 0; i < r->n_intervals; i++)
		store_le_put(blob->iv + i * 4, r->intervals[i], 4);
	for (uint32_t i = 0; sl && i < sl->n; i++) {
		const struct proto_sl_interval *v = &sl->iv[i];
		uint8_t *p = blob->sl + i * STORE_SL_BYTES;

		store_le_put(p, v->answered, 4);
		store_le_put(p + 4, v->answered_in_sl, 4);
		store_le_put(p + 8, v->abandoned, 4);
		store_le_put(p + 12, v->abandoned_short, 4);
		store_le_put(p + 16, v->wait_ms, 8);
	}
	store_bind_str(s, 1, r->tenant, PROTO_ID_MAX);
	store_bind_str(s, 2, r->shift, PROTO_ID_MAX);
	sqlite3_bind_int64(s, 3, r->start_ts);
	sqlite3_bind_int64(s, 4, r->end_ts);
	sqlite3_bind_int64(s, 5, store_i64(r->offered));
	sqlite3_bind_int64(s, 6, store_i64(r->answered));
	sqlite3_bind_int64(s, 7, store_i64(r->answered_in_sl));
	sqlite3_bind_int64(s, 8, store_i64(r->abandoned));
	sqlite3_bind_int64(s, 9, store_i64(r->abandoned_short));
	sqlite3_bind_int64(s, 10, store_i64(r->wait_ms));
	sqlite3_bind_int64(s, 11, store_i64(r->talk_ms));
	sqlite3_bind_int64(s, 12, store_i64(r->wrap_ms));
	sqlite3_bind_int64(s, 13, store_i64(r->dedicated_staffed_ms));
	sqlite3_bind_int64(s, 14, store_i64(r->shared_handle_ms));
	sqlite3_bind_double(s, 15, r->cost);
	sqlite3_bind_int64(s, 16, store_i64(r->handled));
	sqlite3_bind_blob(s, 17, blob->iv, (int)(r->n_intervals * 4), SQLITE_STATIC);
	if (r->has_busy) {
		sqlite3_bind_int64(s, 18, store_i64(r->dedicated_busy_ms));
		sqlite3_bind_int64(s, 19, store_i64(r->dedicated_break_ms));
	} else {
		sqlite3_bind_null(s, 18);
		sqlite3_bind_null(s, 19);
	}
	if (sl)
		sqlite3_bind_blob(s, 20, blob->sl, (int)(sl->n * STORE_SL_BYTES), SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 20);
	return 0;
}

static int
store_put_hist(struct store *st, const struct proto_stats_row *r)
{
	sqlite3_stmt *s = st->stmt[STORE_HIST_PUT];
	struct store_blobs blob;
	int rc;

	if (store_bind_hist(st, s, r, NULL, &blob) != 0)
		return -1;
	rc = sqlite3_step(s);
	store_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "history");
}

/* Drop what is older than the newest STORE_HISTORY_SHIFTS_KEEP shifts. */
static int
store_hist_trim(struct store *st)
{
	sqlite3_stmt *s = st->stmt[STORE_HIST_TRIM];
	int rc;

	sqlite3_bind_int64(s, 1, STORE_HISTORY_SHIFTS_KEEP);
	rc = sqlite3_step(s);
	store_done(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "history retention");
}

int
store_history_add(struct store *st, const struct proto_stats_row *rows, uint32_t n)
{
	if (!st)
		return -1;
	if (n == 0)
		return 0;
	if (!rows)
		return store_bad(st, "store_history_add: rows missing");
	if (store_tx_begin(st) != 0)
		return -1;
	for (uint32_t i = 0; i < n; i++)
		if (store_put_hist(st, &rows[i]) != 0)
			goto fail;
	if (store_hist_trim(st) != 0 || store_tx_commit(st) != 0)
		goto fail;
	return 0;
fail:
	store_tx_rollback(st);
	return -1;
}

int
store_history_close(struct store *st, const struct proto_stats_row *rows, uint32_t n,
                    uint64_t epoch, uint32_t *refused)
{
	return store_history_close_sl(st, rows, NULL, n, epoch, refused);
}

int
store_history_close_sl(struct store *st, const struct proto_stats_row *rows,
                       const struct proto_sl_row *sl, uint32_t n, uint64_t epoch,
                       uint32_t *refused)
{
	sqlite3_stmt *s;
	struct store_blobs *blob;
	uint32_t kept = 0;

	if (refused)
		*refused = 0;
	if (!st)
		return -1;
	if (n == 0)
		return 0;
	if (!rows)
		return store_bad(st, "store_history_close: rows missing");
	if ((blob = malloc(sizeof *blob)) == NULL)
		return store_bad(st, "out of memory");
	s = st->stmt[STORE_HIST_CLOSE];
	if (store_tx_begin(st) != 0) {
		free(blob);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		int rc;

		if (store_bind_hist(st, s, &rows[i], sl ? &sl[i] : NULL, blob) != 0)
			goto fail;
		sqlite3_bind_int64(s, STORE_HIST_NCOLS + 1, store_i64(rows[i].covered_ms));
		sqlite3_bind_int64(s, STORE_HIST_NCOLS + 2, store_i64(epoch));
		rc = sqlite3_step(s);
		store_done(s);
		if (rc != SQLITE_DONE) {
			store_fail(st, "history");
			goto fail;
		}
		kept += sqlite3_changes(st->db) == 0;
	}
	if (store_hist_trim(st) != 0 || store_tx_commit(st) != 0)
		goto fail;
	free(blob);
	if (refused)
		*refused = kept;
	return 0;
fail:
	free(blob);
	store_tx_rollback(st);
	return -1;
}

int
store_live_save(struct store *st, const struct proto_stats_row *rows, uint32_t n,
                const struct store_live *lv)
{
	return store_live_save_sl(st, rows, NULL, n, lv);
}

int
store_live_save_sl(struct store *st, const struct proto_stats_row *rows,
                   const struct proto_sl_row *sl, uint32_t n, const struct store_live *lv)
{
	sqlite3_stmt *s;
	struct store_blobs *blob;

	if (!st)
		return -1;
	if ((n > 0 && !rows) || !lv)
		return store_bad(st, "store_live_save: rows missing");
	if ((blob = malloc(sizeof *blob)) == NULL)
		return store_bad(st, "out of memory");
	s = st->stmt[STORE_LIVE_PUT];
	if (store_tx_begin(st) != 0) {
		free(blob);
		return -1;
	}
	if (sqlite3_step(st->stmt[STORE_LIVE_CLEAR]) != SQLITE_DONE) {
		store_done(st->stmt[STORE_LIVE_CLEAR]);
		store_fail(st, "live");
		goto fail;
	}
	store_done(st->stmt[STORE_LIVE_CLEAR]);
	for (uint32_t i = 0; i < n; i++) {
		int rc;

		if (store_bind_hist(st, s, &rows[i], sl ? &sl[i] : NULL, blob) != 0)
			goto fail;
		sqlite3_bind_int64(s, STORE_HIST_NCOLS + 1, store_i64(lv->epoch));
		sqlite3_bind_int64(s, STORE_HIST_NCOLS + 2, lv->gap_ms);
		sqlite3_bind_int64(s, STORE_HIST_NCOLS + 3, lv->saved_ts);
		rc = sqlite3_step(s);
		store_done(s);
		if (rc != SQLITE_DONE) {
			store_fail(st, "live");
			goto fail;
		}
	}
	if (store_tx_commit(st) != 0)
		goto fail;
	free(blob);
	return 0;
fail:
	free(blob);
	store_tx_rollback(st);
	return -1;
}

int
store_live_clear(struct store *st)
{
	int rc;

	if (!st)
		return -1;
	rc = sqlite3_step(st->stmt[STORE_LIVE_CLEAR]);
	store_done(st->stmt[STORE_LIVE_CLEAR]);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "live");
}

/* One row of a query of STORE_HIST_COLS; its sl_intervals into *sl
 * (sl->n 0 when the row has none), read through buf (PROTO_INTERVALS_MAX
 * of them) and copied out at their size. */
static int
store_get_hist(struct store *st, sqlite3_stmt *s, struct proto_stats_row *r,
               struct proto_sl_row *sl, struct proto_sl_interval *buf)
{
	uint32_t nsl;
	const uint8_t *blob;
	size_t len;

	store_col_str(s, 0, r->tenant, PROTO_ID_MAX);
	store_col_str(s, 1, r->shift, PROTO_ID_MAX);
	r->start_ts = sqlite3_column_int64(s, 2);
	r->end_ts = sqlite3_column_int64(s, 3);
	r->offered = store_u64(sqlite3_column_int64(s, 4));
	r->answered = store_u64(sqlite3_column_int64(s, 5));
	r->answered_in_sl = store_u64(sqlite3_column_int64(s, 6));
	r->abandoned = store_u64(sqlite3_column_int64(s, 7));
	r->abandoned_short = store_u64(sqlite3_column_int64(s, 8));
	r->wait_ms = store_u64(sqlite3_column_int64(s, 9));
	r->talk_ms = store_u64(sqlite3_column_int64(s, 10));
	r->wrap_ms = store_u64(sqlite3_column_int64(s, 11));
	r->dedicated_staffed_ms = store_u64(sqlite3_column_int64(s, 12));
	r->shared_handle_ms = store_u64(sqlite3_column_int64(s, 13));
	r->cost = sqlite3_column_double(s, 14);
	r->handled = store_u64(sqlite3_column_int64(s, 15));
	blob = sqlite3_column_blob(s, 16);
	len = (size_t)sqlite3_column_bytes(s, 16);
	if (len % 4 != 0 || len > sizeof r->intervals)
		return store_bad(st, "history: corrupt intervals blob");
	r->n_intervals = (uint32_t)(len / 4);
	for (uint32_t i = 0; i < r->n_intervals; i++)
		r->intervals[i] = (uint32_t)store_le_get(blob + i * 4, 4);
	/* both or neither: a row has busy and break time when it kept them */
	r->has_busy = sqlite3_column_type(s, 17) != SQLITE_NULL &&
	              sqlite3_column_type(s, 18) != SQLITE_NULL;
	r->dedicated_busy_ms = r->has_busy ? store_u64(sqlite3_column_int64(s, 17)) : 0;
	r->dedicated_break_ms = r->has_busy ? store_u64(sqlite3_column_int64(s, 18)) : 0;
	blob = sqlite3_column_blob(s, 19);
	len = (size_t)sqlite3_column_bytes(s, 19);
	if (len % STORE_SL_BYTES != 0 || len > PROTO_INTERVALS_MAX * STORE_SL_BYTES)
		return store_bad(st, "history: corrupt sl_intervals blob");
	nsl = (uint32_t)(len / STORE_SL_BYTES);
	for (uint32_t i = 0; i < nsl; i++) {
		const uint8_t *p = blob + i * STORE_SL_BYTES;
		struct proto_sl_interval *v = &buf[i];

		v->answered = (uint32_t)store_le_get(p, 4);
		v->answered_in_sl = (uint32_t)store_le_get(p + 4, 4);
		v->abandoned = (uint32_t)store_le_get(p + 8, 4);
		v->abandoned_short = (uint32_t)store_le_get(p + 12, 4);
		v->wait_ms = store_le_get(p + 16, 8);
	}
	if (proto_sl_set(sl, buf, nsl) != 0)
		return store_bad(st, "out of memory reading rows");
	if (s == st->stmt[STORE_HIST_GET])
		r->covered_ms = store_u64(sqlite3_column_int64(s, STORE_HIST_NCOLS));
	return 0;
}

/* Rows read so far, and their sl_intervals: an array parallel to the
 * rows made only once a row has some (rows from before they were kept
 * cost nothing), zeroed, so the rows before it read as not known. */
struct store_rows {
	struct proto_stats_row *rows;
	size_t cap;
	struct proto_sl_row *sl;
	size_t slcap;
	uint32_t n;
};

static int
store_rows_sl(struct store_rows *o, struct proto_sl_row *one)
{
	if (o->sl == NULL && one->n == 0)
		return 0;
	while (o->n >= o->slcap)
		if (store_grow((void **)&o->sl, &o->slcap, (uint32_t)o->slcap, sizeof *o->sl) != 0)
			return -1;
	/* the array's row owns the intervals now */
	o->sl[o->n] = *one;
	*one = (struct proto_sl_row){ 0 };
	return 0;
}

/* Step s, a query of STORE_HIST_COLS (history: then covered_ms; live:
 * then epoch, gap_ms, saved_ts into *lv), into malloc'd arrays; the
 * sl_intervals only when sl is given. */
static int
store_hist_collect(struct store *st, sqlite3_stmt *s, const char *what,
                   struct proto_stats_row **rows, struct proto_sl_row **sl, uint32_t *n,
                   struct store_live *lv)
{
	struct store_rows o = { 0 };
	struct proto_sl_row one = { 0 };
	struct proto_sl_interval *buf = malloc(PROTO_INTERVALS_MAX * sizeof *buf);
	int rc;

	if (buf == NULL) {
		store_bad(st, "out of memory reading rows");
		goto fail;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (store_grow((void **)&o.rows, &o.cap, o.n, sizeof *o.rows) != 0) {
			store_bad(st, "out of memory reading rows");
			goto fail;
		}
		if (store_get_hist(st, s, &o.rows[o.n], &one, buf) != 0)
			goto fail;
		if (sl && store_rows_sl(&o, &one) != 0) {
			store_bad(st, "out of memory reading rows");
			goto fail;
		}
		if (lv) {
			lv->epoch = store_u64(sqlite3_column_int64(s, STORE_HIST_NCOLS));
			lv->gap_ms = sqlite3_column_int64(s, STORE_HIST_NCOLS + 1);
			lv->saved_ts = sqlite3_column_int64(s, STORE_HIST_NCOLS + 2);
		}
		o.n++;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, what);
		goto fail;
	}
	store_done(s);
	proto_sl_set(&one, NULL, 0);
	free(buf);
	*rows = o.rows;
	if (sl)
		*sl = o.sl;
	*n = o.n;
	return 0;
fail:
	store_done(s);
	proto_sl_set(&one, NULL, 0);
	free(buf);
	free(o.rows);
	proto_sl_rows_free(o.sl, o.n);
	return -1;
}

int
store_live_load(struct store *st, struct proto_stats_row **rows, uint32_t *n,
                struct store_live *lv)
{
	return store_live_load_sl(st, rows, NULL, n, lv);
}

int
store_live_load_sl(struct store *st, struct proto_stats_row **rows, struct proto_sl_row **sl,
                   uint32_t *n, struct store_live *lv)
{
	if (rows)
		*rows = NULL;
	if (sl)
		*sl = NULL;
	if (n)
		*n = 0;
	if (!st)
		return -1;
	if (!rows || !n || !lv)
		return store_bad(st, "store_live_load: no result pointer");
	memset(lv, 0, sizeof *lv);
	return store_hist_collect(st, st->stmt[STORE_LIVE_GET], "live", rows, sl, n, lv);
}

int
store_history_query(struct store *st, uint32_t shifts, const char *tenant,
                    struct proto_stats_row **rows, uint32_t *n)
{
	return store_history_query_sl(st, shifts, tenant, rows, NULL, n);
}

int
store_history_query_sl(struct store *st, uint32_t shifts, const char *tenant,
                       struct proto_stats_row **rows, struct proto_sl_row **sl, uint32_t *n)
{
	sqlite3_stmt *s;

	if (rows)
		*rows = NULL;
	if (sl)
		*sl = NULL;
	if (n)
		*n = 0;
	if (!st)
		return -1;
	if (!rows || !n)
		return store_bad(st, "store_history_query: no result pointer");
	if (shifts == 0)
		return 0;
	s = st->stmt[STORE_HIST_GET];
	sqlite3_bind_int64(s, 1, shifts);
	/* "" is how a request says "every tenant" */
	if (tenant && *tenant)
		sqlite3_bind_text(s, 2, tenant, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, 2);
	return store_hist_collect(st, s, "history", rows, sl, n, NULL);
}

/* ----------------------------------------------------------------- audit */

/* One audit row from a statement selecting the STORE_AUDIT_GET columns. */
static void
store_audit_col(sqlite3_stmt *s, struct proto_audit_row *r)
{
	r->ts = sqlite3_column_int64(s, 0);
	store_col_str(s, 1, r->by, PROTO_ID_MAX);
	store_col_str(s, 2, r->req, PROTO_REQID_MAX);
	store_col_str(s, 3, r->agent, PROTO_ID_MAX);
	store_col_str(s, 4, r->from, PROTO_ID_MAX);
	store_col_str(s, 5, r->to, PROTO_ID_MAX);
	store_col_str(s, 6, r->reason, PROTO_TEXT_MAX);
	r->forced = sqlite3_column_int(s, 7) != 0;
	r->seq = store_u64(sqlite3_column_int64(s, 8));
	r->epoch = store_u64(sqlite3_column_int64(s, 9));
}

/* Prepared when asked, not with the others: it serves only the sentence
 * of a refused move, which is rare. */
int
store_audit_last(struct store *st, const char *agent, struct proto_audit_row *row)
{
	static const char sql[] =
		"SELECT ts, by_, req, agent, from_pool, to_pool, reason, forced, seq, epoch "
		"FROM audit WHERE agent = ?1 ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *s = NULL;
	int rc;

	if (!st)
		return -1;
	if (!agent || !row)
		return store_bad(st, "store_audit_last: no agent or result pointer");
	memset(row, 0, sizeof *row);
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "audit");
	sqlite3_bind_text(s, 1, agent, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		store_audit_col(s, row);
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, "audit");
	return rc == SQLITE_ROW;
}

int
store_audit_query(struct store *st, uint32_t limit,
                  struct proto_audit_row **rows, uint32_t *n)
{
	struct proto_audit_row *out = NULL;
	size_t cap = 0;
	uint32_t cnt = 0;
	sqlite3_stmt *s;
	int rc;

	if (rows)
		*rows = NULL;
	if (n)
		*n = 0;
	if (!st)
		return -1;
	if (!rows || !n)
		return store_bad(st, "store_audit_query: no result pointer");
	if (limit == 0)
		limit = STORE_AUDIT_DEFAULT;
	/* a reply cannot carry more, and a huge limit must not mean a huge
	 * allocation */
	if (limit > PROTO_ROWS_MAX)
		limit = PROTO_ROWS_MAX;
	s = st->stmt[STORE_AUDIT_GET];
	sqlite3_bind_int64(s, 1, limit);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct proto_audit_row *r;

		if (store_grow((void **)&out, &cap, cnt, sizeof *out) != 0) {
			store_bad(st, "store_audit_query: out of memory");
			goto fail;
		}
		r = &out[cnt++];
		store_audit_col(s, r);
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, "audit");
		goto fail;
	}
	store_done(s);
	*rows = out;
	*n = cnt;
	return 0;
fail:
	store_done(s);
	free(out);
	return -1;
}

/* ----------------------------------------------------------- loans */

/*
 * Loans (issue 12): an agent moved with `until` goes home then.  One row
 * per agent on loan, written in its move's transaction; any later move
 * of the agent replaces or deletes it.  The table is an addition older
 * binaries never read; it is made on first use.
 */
static int
store_loan_table(struct store *st)
{
	if (sqlite3_exec(st->db, "CREATE TABLE IF NOT EXISTS loan(agent TEXT PRIMARY KEY,"
	                 " until INTEGER NOT NULL)", NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(st, "loan table");
	return 0;
}

static int
store_loan_put(struct store *st, const char *agent, int64_t until)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (store_loan_table(st) != 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, until > 0
	                       ? "INSERT OR REPLACE INTO loan(agent, until) VALUES(?1, ?2)"
	                       : "DELETE FROM loan WHERE agent = ?1", -1, &s, NULL) != SQLITE_OK)
		return store_fail(st, "loan");
	store_bind_str(s, 1, agent, PROTO_ID_MAX);
	if (until > 0)
		sqlite3_bind_int64(s, 2, until);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, "loan");
}

int
store_loans_each(struct store *st, store_loan_fn fn, void *ctx)
{
	sqlite3_stmt *s = NULL;
	int rc, ret = 0;

	if (!st)
		return -1;
	if (!fn)
		return store_bad(st, "store_loans_each: no callback");
	if (store_loan_table(st) != 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT agent, until FROM loan ORDER BY agent", -1, &s,
	                       NULL) != SQLITE_OK)
		return store_fail(st, "loans");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0) {
		const unsigned char *agent = sqlite3_column_text(s, 0);

		ret = fn(agent ? (const char *)agent : "", sqlite3_column_int64(s, 1), ctx);
	}
	if (ret == 0 && rc != SQLITE_DONE && rc != SQLITE_ROW)
		ret = store_fail(st, "loans");
	sqlite3_finalize(s);
	return ret;
}
