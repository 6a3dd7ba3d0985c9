/*
 * check_health.c - the immune memory (schema, migrations, WAL) and health
 * ranges (min/max against the value, max_drop/max_rise against the base).
 */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/config.h"
#include "wm/error.h"
#include "wm/health.h"
#include "wm/memory.h"

static int user_version(wm_memory *mem)
{
	sqlite3_stmt *st = NULL;
	int v;

	ck_assert_int_eq(sqlite3_prepare_v2(wm_memory_db(mem), "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

START_TEST(memory_creates_migrates_and_reopens)
{
	char *dir = wm_test_tmpdir();
	wm_buf path = WM_BUF_INIT;
	wm_memory *mem = NULL;

	wm_buf_printf(&path, "%s/memory.sqlite", dir);
	ck_assert_int_eq(wm_memory_open_path(&mem, path.ptr), 0);
	ck_assert_int_eq(user_version(mem), WM_MEMORY_SCHEMA_VERSION);
	ck_assert_int_eq(wm_memory_begin(mem), 0);
	ck_assert_int_eq(wm_memory_exec(mem, "INSERT INTO health_commit VALUES ('c1', NULL, 1, 's', 'x', 3)"), 0);
	ck_assert_int_eq(wm_memory_commit(mem), 0);
	/* A rolled-back transaction leaves nothing. */
	ck_assert_int_eq(wm_memory_begin(mem), 0);
	ck_assert_int_eq(wm_memory_exec(mem, "INSERT INTO health_commit VALUES ('c2', NULL, 1, 's', 'x', 3)"), 0);
	wm_memory_rollback(mem);
	wm_memory_free(mem);

	ck_assert_int_eq(wm_memory_open_path(&mem, path.ptr), 0);
	ck_assert_int_eq(wm_memory_exec(mem, "CREATE TEMP TABLE t AS SELECT count(*) AS n FROM health_commit"), 0);
	{
		sqlite3_stmt *st = NULL;

		sqlite3_prepare_v2(wm_memory_db(mem), "SELECT n FROM t", -1, &st, NULL);
		ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(st, 0), 1);
		sqlite3_finalize(st);
	}
	/* A database from a newer wm is refused, not misread. */
	ck_assert_int_eq(wm_memory_exec(mem, "PRAGMA user_version = 99"), 0);
	wm_memory_free(mem);
	ck_assert_int_eq(wm_memory_open_path(&mem, path.ptr), WM_ERROR);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "schema version 99"));
	ck_assert_ptr_null(mem);
	wm_buf_dispose(&path);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

static wm_health_point *point(const char *const *names, const double *values, size_t n)
{
	wm_health_point *p = wm_calloc(1, sizeof(*p));
	size_t i;

	p->metrics = wm_calloc(n, sizeof(*p->metrics));
	for (i = 0; i < n; i++) {
		p->metrics[i].name = wm_strdup(names[i]);
		p->metrics[i].value = values[i];
	}
	p->nmetrics = n;
	return p;
}

START_TEST(ranges_check_value_and_change)
{
	static const char yaml[] =
		"health:\n"
		"  doc-coverage: {min: 80, ideal: 100, max_drop: 2.5}\n"
		"  findings: {max: 10, max_rise: 0}\n"
		"  lines: {min: 1}\n";
	static const char *const names[] = { "doc-coverage", "findings", "lines" };
	const double head_v[] = { 71.25, 12, 5 }, base_v[] = { 84, 12, 3 };
	wm_health_point *head = point(names, head_v, 3), *base = point(names, base_v, 3);
	wm_health_verdict *v = NULL;
	wm_config *cfg = NULL;
	double x;
	size_t n;

	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yaml, strlen(yaml)), 0);
	ck_assert(wm_config_number(cfg, "health.doc-coverage.max_drop", &x));
	ck_assert(x == 2.5);
	ck_assert(!wm_config_number(cfg, "health.lines.max", &x));

	ck_assert_int_eq(wm_health_check(&v, &n, cfg, head, base), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0].name, "doc-coverage");
	ck_assert_str_eq(v[0].rule, "below-min");
	ck_assert(v[0].bound == 80 && v[0].has_base && v[0].base == 84);
	ck_assert_str_eq(v[1].rule, "dropped");
	ck_assert_str_eq(v[2].name, "findings");
	ck_assert_str_eq(v[2].rule, "above-max");   /* no rise: 12 == 12 */
	wm_free(v);

	/* Without a base, only the absolute range applies. */
	ck_assert_int_eq(wm_health_check(&v, &n, cfg, head, NULL), 0);
	ck_assert_uint_eq(n, 2);
	wm_free(v);

	ck_assert(wm_health_get(head, "lines", &x) && x == 5);
	ck_assert(!wm_health_get(head, "nope", &x));
	wm_health_point_free(head);
	wm_health_point_free(base);
	wm_config_free(cfg);
}
END_TEST

START_TEST(numbers_are_validated)
{
	static const char *const bad[] = {
		"health:\n  doc-coverage:\n    min: 1e3\n",
		"health:\n  doc-coverage:\n    min: \"80\"\n",
		"health:\n  doc-coverage:\n    max_drop: -1\n",
		"health:\n  doc-coverage:\n    floor: 1\n",
	};
	wm_config *cfg = NULL;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", bad[i], strlen(bad[i])), WM_ECONFIG);
		ck_assert_ptr_null(cfg);
	}
}
END_TEST

static Suite *health_suite(void)
{
	Suite *s = suite_create("health");
	TCase *tc = tcase_create("memory");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, memory_creates_migrates_and_reopens);
	suite_add_tcase(s, tc);
	tc = tcase_create("ranges");
	tcase_add_test(tc, ranges_check_value_and_change);
	tcase_add_test(tc, numbers_are_validated);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(health_suite());
}
