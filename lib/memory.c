/*
 * memory.c - the immune memory: open, migrate, transactions.
 *
 * One SQLite file per repository under the common git directory, so every
 * worktree shares what was learnt and nothing appears in the working tree.
 * The generic part is deliberately small: open with WAL and a busy timeout,
 * bring the schema to WM_MEMORY_SCHEMA_VERSION by running the migrations
 * it lacks (each one in the same transaction as the user_version bump, so
 * a crash leaves the old or the new schema, never half of one), and bracket
 * transactions. Modules own their tables, prefixed with their name.
 *
 * WAL because the two users differ: `wm-board --history` writes one
 * transaction per commit for minutes, while a `wm-scan --diff` may read
 * the same database meanwhile; with WAL the reader never waits.
 */
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/memory.h"

/* How long a writer waits for another before giving up. */
#define BUSY_TIMEOUT_MS 10000

struct wm_memory {
	sqlite3 *db;
	char *path;
};

/*
 * Migration n takes the schema from version n to n + 1. Append only:
 * a released migration never changes, since databases exist at every
 * version.
 */
static const char *const migrations[] = {
	/* 0 -> 1: health metrics per commit, and the per-blob results. */
	"CREATE TABLE health_commit ("
	"  commit_id TEXT PRIMARY KEY,"      /* hex oid */
	"  parent TEXT,"                     /* first parent, NULL for a root */
	"  time INTEGER NOT NULL,"           /* committer time, seconds */
	"  subject TEXT NOT NULL,"
	"  context TEXT NOT NULL,"           /* what computed it (wm version, config, detectors) */
	"  elapsed_ms INTEGER NOT NULL);"
	"CREATE TABLE health_metric ("
	"  commit_id TEXT NOT NULL REFERENCES health_commit(commit_id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  value REAL NOT NULL,"
	"  PRIMARY KEY (commit_id, name)) WITHOUT ROWID;"
	"CREATE TABLE health_blob ("
	"  key TEXT PRIMARY KEY,"            /* blob oid : context : path */
	"  data TEXT NOT NULL) WITHOUT ROWID;",
	/* 1 -> 2: antibody effectiveness (lib/antibody_memory.c). */
	"CREATE TABLE antibody_stats ("
	"  id TEXT PRIMARY KEY,"             /* rule id */
	"  hits INTEGER NOT NULL DEFAULT 0," /* findings, summed over recorded runs */
	"  last_seen INTEGER) WITHOUT ROWID;" /* unix time of the newest hit */
	"CREATE TABLE antibody_fix ("
	"  journal_id TEXT NOT NULL,"        /* the fix run (lib/journal.c) */
	"  rule TEXT NOT NULL,"
	"  path TEXT NOT NULL,"
	"  after_oid TEXT NOT NULL,"         /* hex oid of the fixed content */
	"  time INTEGER NOT NULL,"
	"  reverted TEXT,"                   /* NULL, 'undo' or 'reappeared' */
	"  PRIMARY KEY (journal_id, rule, path)) WITHOUT ROWID;"
	"CREATE INDEX antibody_fix_open ON antibody_fix(rule, path) WHERE reverted IS NULL;",
};

_Static_assert(sizeof(migrations) / sizeof(migrations[0]) == WM_MEMORY_SCHEMA_VERSION,
	"one migration per schema version");

static int db_error(sqlite3 *db, const char *what)
{
	return wm_error_set(WM_ERROR, "immune memory: %s: %s", what, db ? sqlite3_errmsg(db) : "no database");
}

int wm_memory_exec(wm_memory *mem, const char *sql)
{
	char *msg = NULL;
	int error = 0;

	if (sqlite3_exec(mem->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		error = wm_error_set(WM_ERROR, "immune memory %s: %s", mem->path, msg ? msg : "error");
	sqlite3_free(msg);
	return error;
}

static int user_version(int *out, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	int error = 0;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		error = db_error(db, "reading the schema version");
		goto done;
	}
	*out = sqlite3_column_int(st, 0);
done:
	sqlite3_finalize(st);
	return error;
}

static int migrate(wm_memory *mem)
{
	const int latest = (int)(sizeof(migrations) / sizeof(migrations[0]));
	wm_buf sql = WM_BUF_INIT;
	int version = 0, error;

	if ((error = wm_memory_begin(mem)) < 0)
		return error;
	/* Read inside the write transaction: two processes opening a new
	 * database at once must not both run migration 0. */
	if ((error = user_version(&version, mem->db)) < 0)
		goto done;
	if (version > latest) {
		error = wm_error_set(WM_ERROR, "immune memory %s has schema version %d; this wm knows "
			"up to %d (written by a newer wm?)", mem->path, version, latest);
		goto done;
	}
	for (; version < latest; version++) {
		wm_buf_clear(&sql);
		if ((error = wm_buf_printf(&sql, "%s; PRAGMA user_version = %d;",
				migrations[version], version + 1)) < 0 ||
		    (error = wm_memory_exec(mem, sql.ptr)) < 0)
			goto done;
	}
	error = wm_memory_commit(mem);
done:
	if (error < 0)
		wm_memory_rollback(mem);
	wm_buf_dispose(&sql);
	return error;
}

int wm_memory_open_path(wm_memory **out, const char *path)
{
	wm_memory *mem = NULL;
	int error = 0;

	*out = NULL;
	if (!(mem = wm_calloc(1, sizeof(*mem))) || !(mem->path = wm_strdup(path))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (sqlite3_open_v2(path, &mem->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error = wm_error_set(WM_ERROR, "immune memory %s: %s", path,
			mem->db ? sqlite3_errmsg(mem->db) : "cannot open");
		goto done;
	}
	sqlite3_busy_timeout(mem->db, BUSY_TIMEOUT_MS);
	/* synchronous=NORMAL is durable enough in WAL mode: a power cut may
	 * lose the last commits of metrics, which are recomputed. */
	if ((error = wm_memory_exec(mem, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			" PRAGMA foreign_keys=ON;")) < 0 ||
	    (error = migrate(mem)) < 0)
		goto done;
	*out = mem;
	mem = NULL;
done:
	wm_memory_free(mem);
	return error;
}

int wm_memory_open_reader(wm_memory **out, wm_repo *repo)
{
	wm_memory *mem = NULL;
	wm_buf path = WM_BUF_INIT;
	int error = 0;

	*out = NULL;
	if ((error = wm_buf_printf(&path, "%swm/memory.sqlite", wm_repo_commondir(repo))) < 0)
		goto done;
	if (access(path.ptr, F_OK) < 0) {
		error = wm_error_set(WM_ENOTFOUND, "no immune memory at %s", path.ptr);
		goto done;
	}
	if (!(mem = wm_calloc(1, sizeof(*mem))) || !(mem->path = wm_buf_detach(&path))) {
		error = WM_ENOMEM;
		goto done;
	}
	/* No migration and no write lock: a scan run by `wm-board --history`
	 * inside its own write transaction must read, not wait for itself. */
	if (sqlite3_open_v2(mem->path, &mem->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		error = wm_error_set(WM_ERROR, "immune memory %s: %s", mem->path,
			mem->db ? sqlite3_errmsg(mem->db) : "cannot open");
		goto done;
	}
	sqlite3_busy_timeout(mem->db, BUSY_TIMEOUT_MS);
	*out = mem;
	mem = NULL;
done:
	wm_memory_free(mem);
	wm_buf_dispose(&path);
	return error;
}

int wm_memory_open(wm_memory **out, wm_repo *repo)
{
	wm_buf path = WM_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = wm_buf_printf(&path, "%swm", wm_repo_commondir(repo))) < 0)
		goto done;
	if (mkdir(path.ptr, 0777) < 0 && errno != EEXIST) {
		error = wm_error_set(WM_ENOTFOUND, "cannot create %s: %s", path.ptr, strerror(errno));
		goto done;
	}
	if ((error = wm_buf_puts(&path, "/memory.sqlite")) < 0)
		goto done;
	error = wm_memory_open_path(out, path.ptr);
done:
	wm_buf_dispose(&path);
	return error;
}

void wm_memory_free(wm_memory *mem)
{
	if (!mem)
		return;
	sqlite3_close(mem->db);
	wm_free(mem->path);
	wm_free(mem);
}

const char *wm_memory_path(const wm_memory *mem)
{
	return mem->path;
}

sqlite3 *wm_memory_db(wm_memory *mem)
{
	return mem->db;
}

int wm_memory_begin(wm_memory *mem)
{
	return wm_memory_exec(mem, "BEGIN IMMEDIATE");
}

int wm_memory_commit(wm_memory *mem)
{
	return wm_memory_exec(mem, "COMMIT");
}

void wm_memory_rollback(wm_memory *mem)
{
	if (!sqlite3_get_autocommit(mem->db))
		sqlite3_exec(mem->db, "ROLLBACK", NULL, NULL, NULL);
}
