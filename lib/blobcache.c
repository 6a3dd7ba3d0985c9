/*
 * blobcache.c - facts derived from a blob, kept between runs (SQLite).
 *
 * One file per user of the cache, `<commondir>/wm/cache/<name>.sqlite`,
 * apart from the immune memory: a cache may be deleted at any time
 * (`rm -r .git/wm/cache`), is rebuilt on its own when it is found corrupt
 * or of another layout, and must never take the memory down with it.
 *
 * Layout (user_version WM_BLOBCACHE_SCHEMA_VERSION):
 *
 *   context(id, text)                    what the values depend on, interned
 *   entry(ctx, kind, oid, data)          the caller's bytes for one blob
 *
 * The context is part of the key rather than a property of the file, so
 * two wm builds or configurations sharing a repository (two worktrees)
 * keep their rows apart instead of wiping each other's on every run.
 *
 * Concurrency. Any number of wm processes may use the file at once: WAL
 * mode lets readers go on while one process writes, and writes are
 * buffered in memory and made in one short transaction at flush, so no
 * lock is held while the caller computes. A flush waits at most
 * BUSY_TIMEOUT_MS for another writer and then drops its rows: they are
 * recomputed by a later run. A process never writes a file it did not
 * open, and a file is only ever replaced by unlinking it, never rewritten
 * in place, so a process still holding the old file works on the old
 * inode and cannot damage the new one.
 *
 * Robustness. Open, read and write failures disable the cache for the
 * session and are reported as misses; SQLITE_CORRUPT and SQLITE_NOTADB
 * also mark the file for deletion at close, so the next run starts from
 * an empty cache instead of tripping on the same page forever.
 *
 * Size. Every new blob version adds a row and nothing else ever removes
 * one, so a flush that wrote rows counts them and, above `max_rows`,
 * deletes every row this session neither read nor wrote (and rows of
 * other contexts). The file then holds about one world's facts; with a
 * bound of a few times the world's size, pruning is rare and cheap. Freed
 * pages are reused by later inserts, so no VACUUM is needed to stay
 * bounded.
 */
#include <errno.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/blobcache.h"
#include "wm/buf.h"
#include "wm/error.h"

/* How long a flush waits for another process's write. Writes are one
 * short transaction, so this is rarely reached; a pre-commit hook must
 * not wait longer than this for an optimisation. */
#define BUSY_TIMEOUT_MS 2000

typedef struct cache_key {
	wm_oid oid;
	unsigned int kind;
} cache_key;

typedef struct pending {
	cache_key key;
	size_t off, len;   /* in wm_blobcache.data */
} pending;

struct wm_blobcache {
	sqlite3 *db;
	sqlite3_stmt *get;
	char *path;
	char *context;
	size_t max_rows;
	sqlite3_int64 ctx_id;   /* -1 while the context has no row: every lookup misses */
	bool broken;            /* stop touching the file for the rest of the session */
	bool corrupt;           /* and delete it at close */
	wm_buf value;           /* the bytes of the last hit */
	pending *rows;          /* buffered puts */
	size_t nrows, arows;
	wm_buf data;
	cache_key *used;        /* keys of this session's hits, for pruning */
	size_t nused, aused;
	size_t hits, lookups;
};

static const char schema[] =
	"CREATE TABLE context ("
	"  id INTEGER PRIMARY KEY,"
	"  text TEXT NOT NULL UNIQUE);"
	"CREATE TABLE entry ("
	"  ctx INTEGER NOT NULL,"
	"  kind INTEGER NOT NULL,"
	"  oid BLOB NOT NULL,"
	"  data BLOB NOT NULL,"
	"  PRIMARY KEY (ctx, kind, oid)) WITHOUT ROWID;";

/* Not an SQLite code: the file holds another layout (ensure_schema()). */
#define FOREIGN_LAYOUT (-1)

static bool is_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB;
}

/* Note a failure of the file: the session stops using it. */
static int fail(wm_blobcache *c, int rc, const char *what)
{
	c->broken = true;
	if (is_corrupt(rc))
		c->corrupt = true;
	if (rc == FOREIGN_LAYOUT)
		return wm_error_set(WM_ERROR, "blob cache %s: %s: not schema version %d", c->path,
			what, WM_BLOBCACHE_SCHEMA_VERSION);
	return wm_error_set(WM_ERROR, "blob cache %s: %s: %s", c->path, what,
		c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
}

static int query_int(sqlite3_int64 *out, sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc;

	*out = 0;
	if ((rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL)) != SQLITE_OK)
		goto done;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
done:
	sqlite3_finalize(st);
	return rc;
}

/*
 * Bring a new file to our layout. @return SQLITE_OK, an SQLite error, or
 * FOREIGN_LAYOUT (the caller resets the file).
 */
static int ensure_schema(sqlite3 *db)
{
	sqlite3_int64 version, tables;
	int rc;

	if ((rc = query_int(&version, db, "PRAGMA user_version")) != SQLITE_OK)
		return rc;
	if (version == WM_BLOBCACHE_SCHEMA_VERSION)
		return SQLITE_OK;
	if (version != 0)
		return FOREIGN_LAYOUT;
	/* Re-read under the write lock: two processes may create it at once. */
	if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = query_int(&version, db, "PRAGMA user_version")) != SQLITE_OK ||
	    (rc = query_int(&tables, db, "SELECT count(*) FROM sqlite_master")) != SQLITE_OK)
		goto done;
	if (version == 0 && tables == 0) {
		char *sql = sqlite3_mprintf("%s PRAGMA user_version = %d;", schema,
			WM_BLOBCACHE_SCHEMA_VERSION);

		rc = sql ? sqlite3_exec(db, sql, NULL, NULL, NULL) : SQLITE_NOMEM;
		sqlite3_free(sql);
	} else if (version != WM_BLOBCACHE_SCHEMA_VERSION) {
		rc = FOREIGN_LAYOUT;
	}
done:
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int lookup_context(wm_blobcache *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	c->ctx_id = -1;
	if ((rc = sqlite3_prepare_v2(c->db, "SELECT id FROM context WHERE text = ?1", -1, &st,
			NULL)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st, 1, c->context, -1, SQLITE_STATIC)) != SQLITE_OK)
		goto done;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		c->ctx_id = sqlite3_column_int64(st, 0);
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? SQLITE_OK : rc;
done:
	sqlite3_finalize(st);
	return rc;
}

/* @return SQLITE_OK or the first SQLite error; *what says which step failed */
static int connect(wm_blobcache *c, const char **what)
{
	int rc;

	*what = "opening";
	if ((rc = sqlite3_open_v2(c->path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			SQLITE_OPEN_NOMUTEX, NULL)) != SQLITE_OK)
		return rc;
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* The first statement reads the header: garbage fails here (NOTADB). */
	*what = "setting WAL mode";
	if ((rc = sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
			NULL, NULL, NULL)) != SQLITE_OK)
		return rc;
	*what = "reading the schema";
	if ((rc = ensure_schema(c->db)) != SQLITE_OK)
		return rc;
	*what = "preparing a lookup";
	if ((rc = sqlite3_prepare_v2(c->db, "SELECT data FROM entry WHERE ctx = ?1 AND kind = ?2 "
			"AND oid = ?3", -1, &c->get, NULL)) != SQLITE_OK)
		return rc;
	*what = "reading the context";
	return lookup_context(c);
}

static void disconnect(wm_blobcache *c)
{
	sqlite3_finalize(c->get);
	c->get = NULL;
	sqlite3_close(c->db);
	c->db = NULL;
}

/* Delete the file and what SQLite keeps beside it. */
static void remove_files(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	wm_buf p = WM_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		wm_buf_clear(&p);
		if (wm_buf_printf(&p, "%s%s", path, suffixes[i]) == 0)
			unlink(p.ptr);
	}
	wm_buf_dispose(&p);
}

int wm_blobcache_open_path(wm_blobcache **out, const char *path, const wm_blobcache_options *opts)
{
	wm_blobcache_options defaults = WM_BLOBCACHE_OPTIONS_INIT;
	wm_blobcache *c = NULL;
	const char *what;
	int rc, error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!(c = wm_calloc(1, sizeof(*c))) || !(c->path = wm_strdup(path)) ||
	    !(c->context = wm_strdup(opts->context ? opts->context : ""))) {
		error = WM_ENOMEM;
		goto done;
	}
	c->max_rows = opts->max_rows;
	c->ctx_id = -1;
	rc = connect(c, &what);
	if (is_corrupt(rc) || rc == FOREIGN_LAYOUT) {
		/* Ours to throw away: start again from an empty file, once. */
		disconnect(c);
		remove_files(c->path);
		rc = connect(c, &what);
	}
	if (rc != SQLITE_OK) {
		error = fail(c, rc, what);
		goto done;
	}
	*out = c;
	c = NULL;
done:
	wm_blobcache_free(c);
	return error;
}

static int make_dir(wm_buf *path)
{
	if (mkdir(path->ptr, 0777) < 0 && errno != EEXIST)
		return wm_error_set(WM_ERROR, "cannot create %s: %s", path->ptr, strerror(errno));
	return 0;
}

int wm_blobcache_open(wm_blobcache **out, wm_repo *repo, const char *name,
	const wm_blobcache_options *opts)
{
	wm_buf path = WM_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = wm_buf_printf(&path, "%swm", wm_repo_commondir(repo))) < 0 ||
	    (error = make_dir(&path)) < 0 ||
	    (error = wm_buf_puts(&path, "/cache")) < 0 ||
	    (error = make_dir(&path)) < 0 ||
	    (error = wm_buf_printf(&path, "/%s.sqlite", name)) < 0)
		goto done;
	error = wm_blobcache_open_path(out, path.ptr, opts);
done:
	wm_buf_dispose(&path);
	return error;
}

static int remember(wm_blobcache *c, const wm_oid *oid, unsigned int kind)
{
	if (c->nused == c->aused) {
		size_t n = c->aused ? c->aused * 2 : 256;
		cache_key *grown = wm_reallocarray(c->used, n, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		c->used = grown;
		c->aused = n;
	}
	c->used[c->nused].oid = *oid;
	c->used[c->nused].kind = kind;
	c->nused++;
	return 0;
}

int wm_blobcache_get(const char **data, size_t *size, wm_blobcache *c, const wm_oid *oid,
	unsigned int kind)
{
	int rc, error = WM_ENOTFOUND;

	*data = NULL;
	*size = 0;
	c->lookups++;
	if (c->broken || c->ctx_id < 0)
		return WM_ENOTFOUND;
	if ((rc = sqlite3_bind_int64(c->get, 1, c->ctx_id)) != SQLITE_OK ||
	    (rc = sqlite3_bind_int64(c->get, 2, kind)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(c->get, 3, oid->id, sizeof(oid->id), SQLITE_STATIC)) != SQLITE_OK)
		goto done;
	rc = sqlite3_step(c->get);
	if (rc == SQLITE_ROW) {
		const void *bytes = sqlite3_column_blob(c->get, 0);
		int n = sqlite3_column_bytes(c->get, 0);

		/* Copied: the column's memory lives only until the reset below. */
		wm_buf_clear(&c->value);
		if (wm_buf_put(&c->value, bytes ? bytes : "", n > 0 ? (size_t)n : 0) < 0 ||
		    remember(c, oid, kind) < 0) {
			rc = SQLITE_OK;   /* out of memory: a miss, the caller computes */
			goto done;
		}
		*data = c->value.ptr ? c->value.ptr : "";
		*size = c->value.size;
		c->hits++;
		error = 0;
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE) {
		rc = SQLITE_OK;
	}
done:
	if (rc != SQLITE_OK) {
		fail(c, rc, "reading");
		wm_error_clear();   /* a lookup never reports the file's trouble */
	}
	sqlite3_reset(c->get);
	sqlite3_clear_bindings(c->get);
	return error;
}

int wm_blobcache_put(wm_blobcache *c, const wm_oid *oid, unsigned int kind, const char *data,
	size_t size)
{
	pending *p;

	if (c->broken)
		return 0;
	if (c->nrows == c->arows) {
		size_t n = c->arows ? c->arows * 2 : 256;
		pending *grown = wm_reallocarray(c->rows, n, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		c->rows = grown;
		c->arows = n;
	}
	p = &c->rows[c->nrows];
	p->key.oid = *oid;
	p->key.kind = kind;
	p->off = c->data.size;
	p->len = size;
	if (size && wm_buf_put(&c->data, data, size) < 0)
		return WM_ENOMEM;
	c->nrows++;
	return 0;
}

static int intern_context(wm_blobcache *c)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO context (text) VALUES (?1)", -1,
			&st, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_bind_text(st, 1, c->context, -1, SQLITE_STATIC)) != SQLITE_OK ||
	    (rc = sqlite3_step(st)) != SQLITE_DONE)
		goto done;
	rc = lookup_context(c);
	if (rc == SQLITE_OK && c->ctx_id < 0)
		rc = SQLITE_INTERNAL;
done:
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int insert_rows(wm_blobcache *c)
{
	sqlite3_stmt *st = NULL;
	size_t i;
	int rc;

	if ((rc = sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO entry (ctx, kind, oid, data) "
			"VALUES (?1, ?2, ?3, ?4)", -1, &st, NULL)) != SQLITE_OK)
		goto done;
	for (i = 0; i < c->nrows; i++) {
		const pending *p = &c->rows[i];

		if ((rc = sqlite3_bind_int64(st, 1, c->ctx_id)) != SQLITE_OK ||
		    (rc = sqlite3_bind_int64(st, 2, p->key.kind)) != SQLITE_OK ||
		    (rc = sqlite3_bind_blob(st, 3, p->key.oid.id, sizeof(p->key.oid.id),
				SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_bind_blob64(st, 4, p->len ? c->data.ptr + p->off : "", p->len,
				SQLITE_STATIC)) != SQLITE_OK ||
		    (rc = sqlite3_step(st)) != SQLITE_DONE)
			goto done;
		sqlite3_reset(st);
	}
	rc = SQLITE_OK;
done:
	sqlite3_finalize(st);
	return rc;
}

static int keep_key(sqlite3_stmt *st, const cache_key *k)
{
	int rc;

	if ((rc = sqlite3_bind_int64(st, 1, k->kind)) != SQLITE_OK ||
	    (rc = sqlite3_bind_blob(st, 2, k->oid.id, sizeof(k->oid.id), SQLITE_STATIC)) != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Keep only the rows of this session (see the top of the file). */
static int prune(wm_blobcache *c)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 rows;
	char *sql = NULL;
	size_t i;
	int rc;

	if ((rc = query_int(&rows, c->db, "SELECT count(*) FROM entry")) != SQLITE_OK ||
	    (sqlite3_uint64)rows <= c->max_rows)
		goto done;
	if ((rc = sqlite3_exec(c->db, "CREATE TEMP TABLE IF NOT EXISTS used (kind INTEGER, oid BLOB, "
			"PRIMARY KEY (kind, oid)) WITHOUT ROWID; DELETE FROM temp.used;",
			NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = sqlite3_prepare_v2(c->db, "INSERT OR IGNORE INTO temp.used (kind, oid) VALUES (?1, ?2)",
			-1, &st, NULL)) != SQLITE_OK)
		goto done;
	for (i = 0; i < c->nused && rc == SQLITE_OK; i++)
		rc = keep_key(st, &c->used[i]);
	for (i = 0; i < c->nrows && rc == SQLITE_OK; i++)
		rc = keep_key(st, &c->rows[i].key);
	if (rc != SQLITE_OK)
		goto done;
	if (!(sql = sqlite3_mprintf("DELETE FROM entry WHERE ctx <> %lld OR NOT EXISTS (SELECT 1 FROM "
			"temp.used u WHERE u.kind = entry.kind AND u.oid = entry.oid); "
			"DELETE FROM context WHERE id <> %lld; DELETE FROM temp.used;",
			(long long)c->ctx_id, (long long)c->ctx_id))) {
		rc = SQLITE_NOMEM;
		goto done;
	}
	rc = sqlite3_exec(c->db, sql, NULL, NULL, NULL);
done:
	sqlite3_free(sql);
	sqlite3_finalize(st);
	return rc;
}

int wm_blobcache_flush(wm_blobcache *c)
{
	sqlite3_int64 ctx_id = c->ctx_id;
	const char *what = "starting a write";
	int rc = SQLITE_OK, error = 0;

	if (c->broken || !c->nrows)
		goto done;
	if ((rc = sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
		goto done;
	what = "writing";
	if ((c->ctx_id < 0 && (rc = intern_context(c)) != SQLITE_OK) ||
	    (rc = insert_rows(c)) != SQLITE_OK)
		goto done;
	what = "pruning";
	if (c->max_rows && (rc = prune(c)) != SQLITE_OK)
		goto done;
	what = "committing";
	rc = sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
done:
	if (rc != SQLITE_OK) {
		if (!sqlite3_get_autocommit(c->db))
			sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		c->ctx_id = ctx_id;   /* a context interned by the rolled-back write is gone */
		/* Another writer past the timeout only costs these rows. */
		if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
			error = wm_error_set(WM_ERROR, "blob cache %s: busy; %zu rows not written",
				c->path, c->nrows);
		else
			error = fail(c, rc, what);
	}
	c->nrows = 0;
	wm_buf_clear(&c->data);
	return error;
}

void wm_blobcache_stats(const wm_blobcache *c, size_t *hits, size_t *lookups)
{
	*hits = c->hits;
	*lookups = c->lookups;
}

const char *wm_blobcache_path(const wm_blobcache *c)
{
	return c->path;
}

void wm_blobcache_free(wm_blobcache *c)
{
	if (!c)
		return;
	disconnect(c);
	if (c->corrupt)
		remove_files(c->path);
	wm_buf_dispose(&c->value);
	wm_buf_dispose(&c->data);
	wm_free(c->rows);
	wm_free(c->used);
	wm_free(c->path);
	wm_free(c->context);
	wm_free(c);
}
