/*
 * check_blobcache.c - the blob cache: rows survive a reopen and stay apart
 * by kind and context; a garbage, foreign-version or truncated file never
 * fails a lookup with wrong bytes and is rebuilt; a busy writer only drops
 * rows; pruning keeps the session's rows; parallel writers lose nothing.
 */
#include <check.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"
#include "wm/blobcache.h"
#include "wm/buf.h"
#include "wm/error.h"

static char *dir;
static wm_buf path;

static void setup(void)
{
	dir = wm_test_tmpdir();
	wm_buf_clear(&path);
	wm_buf_printf(&path, "%s/c.sqlite", dir);
}

static void teardown(void)
{
	wm_test_rmrf(dir);
	free(dir);
	wm_buf_dispose(&path);
}

static wm_oid oid_of(unsigned n)
{
	wm_oid oid;

	memset(&oid, 0, sizeof(oid));
	oid.id[0] = (unsigned char)(n >> 8);
	oid.id[1] = (unsigned char)n;
	oid.id[19] = 0x5a;
	return oid;
}

static wm_blobcache *open_cache(const char *context, size_t max_rows)
{
	wm_blobcache_options opts = WM_BLOBCACHE_OPTIONS_INIT;
	wm_blobcache *c = NULL;

	opts.context = context;
	opts.max_rows = max_rows;
	ck_assert_msg(wm_blobcache_open_path(&c, path.ptr, &opts) == 0, "%s", wm_error_last());
	return c;
}

static void put(wm_blobcache *c, unsigned n, unsigned kind)
{
	char value[32];
	wm_oid oid = oid_of(n);

	snprintf(value, sizeof(value), "v%u/%u", n, kind);
	ck_assert_int_eq(wm_blobcache_put(c, &oid, kind, value, strlen(value)), 0);
}

/* 1: the stored value, 0: a miss; a hit with other bytes fails the test */
static int get(wm_blobcache *c, unsigned n, unsigned kind)
{
	char value[32];
	wm_oid oid = oid_of(n);
	const char *data;
	size_t size;
	int error = wm_blobcache_get(&data, &size, c, &oid, kind);

	if (error == WM_ENOTFOUND)
		return 0;
	ck_assert_int_eq(error, 0);
	snprintf(value, sizeof(value), "v%u/%u", n, kind);
	ck_assert_uint_eq(size, strlen(value));
	ck_assert(!memcmp(data, value, size));
	return 1;
}

static long long query(const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long long v = -1;

	ck_assert_int_eq(sqlite3_open(path.ptr, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static int integrity_ok(void)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int ok;

	ck_assert_int_eq(sqlite3_open(path.ptr, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	ok = sqlite3_step(st) == SQLITE_ROW && !strcmp((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	sqlite3_close(db);
	return ok;
}

static void write_file(const char *bytes, size_t n)
{
	FILE *f = fopen(path.ptr, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

START_TEST(rows_survive_a_reopen_apart_by_kind_and_context)
{
	wm_blobcache *c = open_cache("ctx-a", 0);
	wm_oid oid = oid_of(7);
	const char *data;
	size_t size, hits, lookups;

	put(c, 1, 1);
	put(c, 2, 1);
	ck_assert_int_eq(wm_blobcache_put(c, &oid, 1, "", 0), 0);
	/* buffered: nothing is visible before the flush */
	ck_assert_int_eq(get(c, 1, 1), 0);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);

	c = open_cache("ctx-a", 0);
	ck_assert_int_eq(get(c, 1, 1), 1);
	ck_assert_int_eq(get(c, 2, 1), 1);
	ck_assert_int_eq(get(c, 1, 2), 0);   /* another kind */
	ck_assert_int_eq(get(c, 3, 1), 0);   /* another blob */
	/* an empty value is a hit, not a miss */
	ck_assert_int_eq(wm_blobcache_get(&data, &size, c, &oid, 1), 0);
	ck_assert_uint_eq(size, 0);
	wm_blobcache_stats(c, &hits, &lookups);
	ck_assert_uint_eq(hits, 3);
	ck_assert_uint_eq(lookups, 5);
	wm_blobcache_free(c);

	/* another context (format version, wm version) sees none of it */
	c = open_cache("ctx-b", 0);
	ck_assert_int_eq(get(c, 1, 1), 0);
	put(c, 1, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	c = open_cache("ctx-a", 0);
	ck_assert_int_eq(get(c, 2, 1), 1);
	wm_blobcache_free(c);
	ck_assert_int_eq(query("SELECT count(*) FROM entry"), 4);
}
END_TEST

START_TEST(garbage_is_replaced_by_an_empty_cache)
{
	char junk[8192];
	size_t i;
	wm_blobcache *c;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 3);
	write_file(junk, sizeof(junk));
	c = open_cache("ctx", 0);
	ck_assert_int_eq(get(c, 1, 1), 0);
	put(c, 1, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	c = open_cache("ctx", 0);
	ck_assert_int_eq(get(c, 1, 1), 1);
	wm_blobcache_free(c);
	ck_assert(integrity_ok());
}
END_TEST

START_TEST(another_schema_version_is_rebuilt)
{
	sqlite3 *db = NULL;
	wm_blobcache *c;

	ck_assert_int_eq(sqlite3_open(path.ptr, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE entry (x); INSERT INTO entry VALUES (1);"
		"CREATE TABLE future (y); PRAGMA user_version = 99;", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	c = open_cache("ctx", 0);
	ck_assert_int_eq(get(c, 1, 1), 0);
	put(c, 1, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	ck_assert_int_eq(query("PRAGMA user_version"), WM_BLOBCACHE_SCHEMA_VERSION);
	ck_assert_int_eq(query("SELECT count(*) FROM sqlite_master WHERE name = 'future'"), 0);
	ck_assert_int_eq(query("SELECT count(*) FROM entry"), 1);
}
END_TEST

START_TEST(a_truncated_file_gives_misses_never_wrong_bytes)
{
	wm_blobcache *c = open_cache("ctx", 0);
	unsigned n, hits = 0;

	for (n = 0; n < 3000; n++)
		put(c, n, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	ck_assert_int_eq(truncate(path.ptr, 3 * 4096), 0);

	/* opening may already see the damage and rebuild; either way no lookup lies */
	c = NULL;
	{
		wm_blobcache_options opts = WM_BLOBCACHE_OPTIONS_INIT;

		opts.context = "ctx";
		if (wm_blobcache_open_path(&c, path.ptr, &opts) < 0)
			c = NULL;
	}
	for (n = 0; c && n < 3000; n++)
		hits += (unsigned)get(c, n, 1);
	ck_assert_uint_lt(hits, 3000);
	if (c) {
		put(c, 0, 1);
		wm_blobcache_flush(c);   /* may fail: the file is broken */
		wm_blobcache_free(c);
	}
	/* a file found corrupt is deleted at close: the next session starts afresh */
	c = open_cache("ctx", 0);
	put(c, 1, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	c = open_cache("ctx", 0);
	ck_assert_int_eq(get(c, 1, 1), 1);
	wm_blobcache_free(c);
}
END_TEST

START_TEST(a_busy_writer_only_drops_rows)
{
	wm_blobcache *c = open_cache("ctx", 0);
	sqlite3 *other = NULL;

	put(c, 1, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	ck_assert_int_eq(sqlite3_open(path.ptr, &other), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	/* WAL: reads go on while another process writes */
	ck_assert_int_eq(get(c, 1, 1), 1);
	put(c, 2, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), WM_ERROR);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "busy"));
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	/* still usable afterwards */
	ck_assert_int_eq(get(c, 1, 1), 1);
	ck_assert_int_eq(get(c, 2, 1), 0);
	put(c, 3, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	ck_assert_int_eq(get(c, 3, 1), 1);
	wm_blobcache_free(c);
}
END_TEST

START_TEST(pruning_keeps_the_rows_of_the_session)
{
	wm_blobcache *c = open_cache("ctx", 10);
	unsigned n;

	for (n = 0; n < 20; n++)
		put(c, n, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	ck_assert_int_eq(query("SELECT count(*) FROM entry"), 20);

	/* a later session uses three old rows and writes two: over the bound, five stay */
	c = open_cache("ctx", 10);
	ck_assert_int_eq(get(c, 3, 1) + get(c, 4, 1) + get(c, 5, 1), 3);
	put(c, 100, 1);
	put(c, 101, 1);
	ck_assert_int_eq(wm_blobcache_flush(c), 0);
	wm_blobcache_free(c);
	ck_assert_int_eq(query("SELECT count(*) FROM entry"), 5);
	c = open_cache("ctx", 10);
	ck_assert_int_eq(get(c, 4, 1) + get(c, 100, 1) + get(c, 101, 1), 3);
	ck_assert_int_eq(get(c, 6, 1), 0);
	wm_blobcache_free(c);
}
END_TEST

START_TEST(parallel_writers_lose_nothing)
{
	enum { WRITERS = 6, ROWS = 300 };
	pid_t pids[WRITERS];
	unsigned w, n, hits = 0;
	wm_blobcache *c;
	int status;

	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_ge(pids[w] = fork(), 0);
		if (pids[w] == 0) {
			wm_blobcache_options opts = WM_BLOBCACHE_OPTIONS_INIT;

			opts.context = "ctx";
			if (wm_blobcache_open_path(&c, path.ptr, &opts) < 0)
				_exit(2);
			for (n = 0; n < ROWS; n++)
				put(c, w * ROWS + n, 1);
			_exit(wm_blobcache_flush(c) < 0 ? 3 : 0);
		}
	}
	for (w = 0; w < WRITERS; w++) {
		ck_assert_int_eq(waitpid(pids[w], &status, 0), pids[w]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer %u: status %d", w, status);
	}
	c = open_cache("ctx", 0);
	for (n = 0; n < WRITERS * ROWS; n++)
		hits += (unsigned)get(c, n, 1);
	wm_blobcache_free(c);
	ck_assert_uint_eq(hits, WRITERS * ROWS);
	ck_assert_int_eq(query("SELECT count(*) FROM context"), 1);
	ck_assert(integrity_ok());
}
END_TEST

START_TEST(an_unopenable_path_is_an_error_not_a_crash)
{
	wm_blobcache_options opts = WM_BLOBCACHE_OPTIONS_INIT;
	wm_blobcache *c = (wm_blobcache *)1;

	/* a directory where the file should be */
	ck_assert_int_eq(mkdir(path.ptr, 0777), 0);
	ck_assert_int_eq(wm_blobcache_open_path(&c, path.ptr, &opts), WM_ERROR);
	ck_assert_ptr_null(c);
	wm_blobcache_free(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("blobcache");
	TCase *tc = tcase_create("blobcache");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rows_survive_a_reopen_apart_by_kind_and_context);
	tcase_add_test(tc, garbage_is_replaced_by_an_empty_cache);
	tcase_add_test(tc, another_schema_version_is_rebuilt);
	tcase_add_test(tc, a_truncated_file_gives_misses_never_wrong_bytes);
	tcase_add_test(tc, a_busy_writer_only_drops_rows);
	tcase_add_test(tc, pruning_keeps_the_rows_of_the_session);
	tcase_add_test(tc, parallel_writers_lose_nothing);
	tcase_add_test(tc, an_unopenable_path_is_an_error_not_a_crash);
	suite_add_tcase(s, tc);
	return wm_test_run(s);
}
