/*
 * check_antibody_memory.c - the antibody tables of the immune memory: the
 * migration from schema 1, recording fixes and undos, and the verdicts
 * (effectiveness, demotion, learned-rule promotion).
 */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/alloc.h"
#include "wm/antibody_memory.h"
#include "wm/buf.h"
#include "wm/config.h"
#include "wm/memory.h"

/* The schema exactly as migration 0 -> 1 left it, before antibodies. */
static const char schema_v1[] =
	"CREATE TABLE health_commit (commit_id TEXT PRIMARY KEY, parent TEXT, time INTEGER NOT NULL,"
	" subject TEXT NOT NULL, context TEXT NOT NULL, elapsed_ms INTEGER NOT NULL);"
	"CREATE TABLE health_metric (commit_id TEXT NOT NULL REFERENCES health_commit(commit_id)"
	" ON DELETE CASCADE, name TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (commit_id, name)) WITHOUT ROWID;"
	"CREATE TABLE health_blob (key TEXT PRIMARY KEY, data TEXT NOT NULL) WITHOUT ROWID;"
	"INSERT INTO health_commit VALUES ('c1', NULL, 1, 's', 'x', 3);"
	"INSERT INTO health_metric VALUES ('c1', 'antibody-hits', 4);"
	"PRAGMA user_version = 1;";

static int64_t query_int(wm_memory *mem, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	ck_assert_int_eq(sqlite3_prepare_v2(wm_memory_db(mem), sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

START_TEST(schema_1_migrates_keeping_health)
{
	char *dir = wm_test_tmpdir();
	wm_buf path = WM_BUF_INIT;
	sqlite3 *db = NULL;
	wm_memory *mem = NULL;
	wm_antibody_stats *stats = NULL;

	wm_buf_printf(&path, "%s/memory.sqlite", dir);
	ck_assert_int_eq(sqlite3_open(path.ptr, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, schema_v1, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	ck_assert_int_eq(wm_memory_open_path(&mem, path.ptr), 0);
	ck_assert_int_eq(query_int(mem, "PRAGMA user_version"), WM_MEMORY_SCHEMA_VERSION);
	ck_assert_int_eq(query_int(mem, "SELECT count(*) FROM health_metric"), 1);
	ck_assert_int_eq(wm_antibody_stats_load(&stats, mem), 0);
	ck_assert_uint_eq(stats->count, 0);
	wm_antibody_stats_free(stats);
	wm_memory_free(mem);
	wm_buf_dispose(&path);
	free(dir);
}
END_TEST

/* A fix report with one file fixed by the given rules. */
static void one_file_report(wm_fix_report *r, wm_fix_file *f, wm_fix_rule *rules, size_t nrules,
	const char *journal, const char *path)
{
	memset(r, 0, sizeof(*r));
	memset(f, 0, sizeof(*f));
	f->path = (char *)path;
	f->status = WM_FIX_APPLIED;
	wm_buf_puts(&f->after, "x = 1\n");
	f->rules = rules;
	f->nrules = nrules;
	r->files = f;
	r->count = 1;
	r->journal = (char *)journal;
}

START_TEST(fixes_and_undos_are_counted_once)
{
	char *dir = wm_test_tmpdir();
	wm_buf path = WM_BUF_INIT;
	wm_memory *mem = NULL;
	wm_antibody_stats *stats = NULL;
	wm_fix_rule rules[] = { { (char *)"antibody", (char *)"r1" }, { (char *)"docs", (char *)"missing-doc" } };
	wm_fix_report report;
	wm_fix_file file;
	wm_undo_file ufile = { (char *)"a.py", true, NULL, false };
	wm_undo_report undo = { &ufile, 1, (char *)"j1" };
	const wm_antibody_stat *s;

	wm_buf_printf(&path, "%s/memory.sqlite", dir);
	ck_assert_int_eq(wm_memory_open_path(&mem, path.ptr), 0);
	one_file_report(&report, &file, rules, 2, "j1", "a.py");
	ck_assert_int_eq(wm_antibody_memory_record_fixes(mem, &report), 0);
	report.journal = (char *)"j2";
	ck_assert_int_eq(wm_antibody_memory_record_fixes(mem, &report), 0);
	/* The same undo recorded twice still reverts one fix. */
	ck_assert_int_eq(wm_antibody_memory_record_undo(mem, &undo), 0);
	ck_assert_int_eq(wm_antibody_memory_record_undo(mem, &undo), 0);
	wm_buf_dispose(&file.after);

	ck_assert_int_eq(wm_antibody_stats_load(&stats, mem), 0);
	ck_assert_uint_eq(stats->count, 1);            /* the docs rule is not an antibody */
	ck_assert_ptr_null(wm_antibody_stats_find(stats, "missing-doc"));
	s = wm_antibody_stats_find(stats, "r1");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(s->applied, 2);
	ck_assert_uint_eq(s->reverted, 1);
	ck_assert_uint_eq(s->hits, 0);
	ck_assert_double_eq_tol(wm_antibody_effectiveness(s), 0.5, 1e-9);
	wm_antibody_stats_free(stats);
	wm_memory_free(mem);
	wm_buf_dispose(&path);
	free(dir);
}
END_TEST

START_TEST(verdicts_follow_evidence_and_thresholds)
{
	wm_antibody_policy p = { 0.5, 3 };
	wm_antibody_stat s = { (char *)"r", 10, 0, 0, 0 };
	wm_severity sev;

	/* No fixes: effectiveness 1, nothing changes. */
	ck_assert_double_eq(wm_antibody_effectiveness(&s), 1.0);
	ck_assert_int_eq(wm_antibody_judge(&sev, NULL, WM_SEV_ERROR, false, &p), WM_ANTIBODY_NORMAL);
	ck_assert_int_eq(sev, WM_SEV_ERROR);
	/* 2 of 2 reverted is not enough evidence. */
	s.applied = 2, s.reverted = 2;
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_ERROR, false, &p), WM_ANTIBODY_NORMAL);
	/* 2 of 3 reverted: 0.33 < 0.5, an error becomes a warning... */
	s.applied = 3;
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_CRITICAL, false, &p), WM_ANTIBODY_DEMOTED);
	ck_assert_int_eq(sev, WM_SEV_WARNING);
	/* ...and an info rule stays info (demotion never raises). */
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_INFO, false, &p), WM_ANTIBODY_DEMOTED);
	ck_assert_int_eq(sev, WM_SEV_INFO);
	/* Exactly at the threshold is not below it. */
	s.applied = 4, s.reverted = 2;
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_ERROR, false, &p), WM_ANTIBODY_NORMAL);
	p.demote_below = 0.6;
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_ERROR, false, &p), WM_ANTIBODY_DEMOTED);

	/* Learned: a hint until min_evidence kept fixes at >= 0.8. */
	p.demote_below = 0.5;
	s.applied = 3, s.reverted = 0;
	ck_assert_int_eq(wm_antibody_judge(&sev, NULL, WM_SEV_INFO, true, &p), WM_ANTIBODY_LEARNED_HINT);
	ck_assert_int_eq(sev, WM_SEV_INFO);
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_INFO, true, &p), WM_ANTIBODY_PROMOTED);
	ck_assert_int_eq(sev, WM_SEV_WARNING);
	s.applied = 4, s.reverted = 1;   /* 3 kept but 0.75 */
	ck_assert_int_eq(wm_antibody_judge(&sev, &s, WM_SEV_INFO, true, &p), WM_ANTIBODY_LEARNED_HINT);
	ck_assert_int_eq(sev, WM_SEV_INFO);
}
END_TEST

START_TEST(policy_comes_from_config)
{
	const char yml[] = "antibodies:\n  demote_below: 0.25\n  min_evidence: 7\n";
	const char bad[] = "antibodies:\n  demote_below: 2\n";
	wm_config *cfg = NULL;
	wm_antibody_policy p;

	ck_assert_int_eq(wm_config_default(&cfg), 0);
	wm_antibody_policy_from_config(&p, cfg);
	ck_assert_double_eq_tol(p.demote_below, 0.5, 1e-9);
	ck_assert_uint_eq(p.min_evidence, 3);
	wm_config_free(cfg);
	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yml, sizeof(yml) - 1), 0);
	wm_antibody_policy_from_config(&p, cfg);
	ck_assert_double_eq_tol(p.demote_below, 0.25, 1e-9);
	ck_assert_uint_eq(p.min_evidence, 7);
	wm_config_free(cfg);
	ck_assert_int_lt(wm_config_parse(&cfg, ".wm.yml", bad, sizeof(bad) - 1), 0);
}
END_TEST

static Suite *antibody_memory_suite(void)
{
	Suite *s = suite_create("antibody_memory");
	TCase *tc = tcase_create("memory");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, schema_1_migrates_keeping_health);
	tcase_add_test(tc, fixes_and_undos_are_counted_once);
	suite_add_tcase(s, tc);
	tc = tcase_create("verdicts");
	tcase_add_test(tc, verdicts_follow_evidence_and_thresholds);
	tcase_add_test(tc, policy_comes_from_config);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(antibody_memory_suite());
}
