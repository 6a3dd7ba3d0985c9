/*
 * check_fix.c - lib/fix: edits in memory, safe writes, verification and
 * rollback, partially staged files, the journal and undo.
 *
 * A fake detector stands in for the real ones: it flags "BAD" and offers
 * to replace it with "GOOD"; "STUCK" gets a fix that changes nothing (the
 * re-scan must reject it), and "TRAP" gets a fix that writes "WORSE", which
 * another rule flags (the re-scan must reject that too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fix.h"
#include "testutil.h"
#include "wm/wm.h"

static const wm_rule_info fake_rules[] = {
	{ "bad-word", WM_SEV_ERROR, "BAD", NULL },
	{ "worse-word", WM_SEV_ERROR, "WORSE", NULL },
};

static const char *find(const char *data, size_t size, const char *needle, size_t from)
{
	size_t n = strlen(needle), i;

	for (i = from; i + n <= size; i++)
		if (!memcmp(data + i, needle, n))
			return data + i;
	return NULL;
}

static int flag(wm_scan *scan, const wm_file *file, const char *word, const char *rule,
	const char *replacement)
{
	const char *hit;
	size_t from = 0;
	int error;

	while ((hit = find(file->data, file->size, word, from))) {
		wm_finding f = WM_FINDING_INIT;
		wm_edit edit;
		wm_fix fix;

		f.rule = (char *)rule;
		f.message = (char *)word;
		f.start_byte = (uint32_t)(hit - file->data);
		f.end_byte = f.start_byte + (uint32_t)strlen(word);
		if (replacement) {
			edit.path = (char *)file->path;
			edit.start_byte = f.start_byte;
			edit.end_byte = f.end_byte;
			edit.replacement = (char *)replacement;
			fix.description = (char *)"replace";
			fix.edits = &edit;
			fix.nedits = 1;
			f.fix = &fix;
		}
		if ((error = wm_emit(scan, &f)) < 0)
			return error;
		from = f.end_byte;
	}
	return 0;
}

static int fake_scan_file(wm_scan *scan, const wm_file *file)
{
	int error;

	if (!file->data)
		return 0;
	if ((error = flag(scan, file, "BAD", "bad-word", "GOOD")) < 0 ||
	    (error = flag(scan, file, "STUCK", "bad-word", "STUCK")) < 0 ||
	    (error = flag(scan, file, "TRAP", "bad-word", "WORSE")) < 0 ||
	    (error = flag(scan, file, "WORSE", "worse-word", NULL)) < 0)
		return error;
	return 0;
}

static const wm_detector fake = { "fake", fake_rules, 2, fake_scan_file, NULL, NULL };
static const wm_detector *const detectors[] = { &fake };

static char *dir;
static wm_repo *repo;
static wm_config *cfg;

static void setup(void)
{
	dir = wm_test_tmpdir();
	wm_test_sh(dir, "git init -q .");
	ck_assert_int_eq(wm_config_default(&cfg), 0);
}

static void teardown(void)
{
	wm_config_free(cfg);
	wm_repo_free(repo);
	repo = NULL;
	wm_test_rmrf(dir);
	free(dir);
}

static void open_repo(void)
{
	wm_repo_free(repo);
	ck_assert_int_eq(wm_repo_open(&repo, dir), 0);
}

static char *slurp(const char *rel)
{
	char path[4096];
	FILE *f;
	long n;
	char *data;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = calloc(1, (size_t)n + 1);
	ck_assert_int_eq(fread(data, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return data;
}

/* The staged content of a path, through git itself. */
static char *staged(const char *rel)
{
	char cmd[4400], *out;
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "cd '%s' && git show ':%s'", dir, rel);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	out = calloc(1, 65536);
	n = fread(out, 1, 65535, p);
	out[n] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	return out;
}

static wm_fix_report *fix_run(wm_scope scope, bool dry_run, wm_scan_result **result_out)
{
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_fix_options fopts = WM_FIX_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_fix_report *report = NULL;

	open_repo();
	opts.targets.scope = scope;
	opts.detectors = detectors;
	opts.ndetectors = 1;
	ck_assert_msg(wm_scan_run(&result, repo, cfg, &opts) == 0, "%s", wm_error_last());
	fopts.dry_run = dry_run;
	ck_assert_msg(wm_fix_run(&report, repo, cfg, &opts, result, &fopts) == 0, "%s", wm_error_last());
	if (result_out)
		*result_out = result;
	else
		wm_scan_result_free(result);
	return report;
}

static const wm_fix_file *report_file(const wm_fix_report *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->count; i++)
		if (!strcmp(r->files[i].path, path))
			return &r->files[i];
	ck_abort_msg("%s not in the fix report", path);
	return NULL;
}

START_TEST(apply_edits_in_order_and_rejects_overlaps)
{
	const char *text = "0123456789";
	wm_edit a = { NULL, 2, 4, (char *)"ab" }, b = { NULL, 0, 1, (char *)"X" };
	wm_edit c = { NULL, 3, 5, (char *)"zz" }, d = { NULL, 10, 10, (char *)"!" };
	wm_edit e = { NULL, 4, 4, (char *)"^" };
	const wm_edit *edits[] = { &a, &b, &c, &d, &e };
	wm_buf out = WM_BUF_INIT;
	size_t rejected;

	ck_assert_int_eq(wm_fix_apply_edits(&out, &rejected, text, 10, edits, 5), 0);
	/* c overlaps a; e touches a's end, which is fine */
	ck_assert_str_eq(out.ptr, "X1ab^456789!");
	ck_assert_uint_eq(rejected, 1);
	wm_buf_dispose(&out);
}
END_TEST

START_TEST(apply_edits_outside_content_is_an_error)
{
	wm_edit a = { (char *)"f", 5, 20, (char *)"" };
	const wm_edit *edits[] = { &a };
	wm_buf out = WM_BUF_INIT;

	ck_assert_int_eq(wm_fix_apply_edits(&out, NULL, "short", 5, edits, 1), WM_EPARSE);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "outside"));
	wm_buf_dispose(&out);
}
END_TEST

START_TEST(worktree_fix_keeps_mode_and_undo_restores)
{
	wm_fix_report *report;
	wm_undo_report *undo = NULL;
	struct stat st;
	char path[4200], *text;

	wm_test_write(dir, "a.txt", "one BAD line\nkeep me\n");
	wm_test_write(dir, "b.txt", "clean\n");
	snprintf(path, sizeof(path), "%s/a.txt", dir);
	ck_assert_int_eq(chmod(path, 0755), 0);
	report = fix_run(WM_SCOPE_ALL, false, NULL);
	ck_assert_uint_eq(report->count, 1);
	ck_assert_int_eq(report->files[0].status, WM_FIX_APPLIED);
	ck_assert_ptr_nonnull(report->journal);
	text = slurp("a.txt");
	ck_assert_str_eq(text, "one GOOD line\nkeep me\n");
	free(text);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0755);
	wm_fix_report_free(report);

	ck_assert_int_eq(wm_fix_undo(&undo, repo), 0);
	ck_assert_uint_eq(undo->count, 1);
	ck_assert(undo->files[0].restored);
	wm_undo_report_free(undo);
	text = slurp("a.txt");
	ck_assert_str_eq(text, "one BAD line\nkeep me\n");
	free(text);
	/* a second undo has nothing left */
	ck_assert_int_eq(wm_fix_undo(&undo, repo), WM_ENOTFOUND);
}
END_TEST

START_TEST(dry_run_writes_nothing)
{
	wm_fix_report *report;
	char *text;

	wm_test_write(dir, "a.txt", "BAD\n");
	report = fix_run(WM_SCOPE_ALL, true, NULL);
	ck_assert_uint_eq(report->count, 1);
	ck_assert_ptr_null(report->journal);
	ck_assert_str_eq(report->files[0].after.ptr, "GOOD\n");
	text = slurp("a.txt");
	ck_assert_str_eq(text, "BAD\n");
	free(text);
	wm_fix_report_free(report);
}
END_TEST

START_TEST(unconfirmed_fixes_are_rolled_back)
{
	wm_fix_report *report;
	char *text;

	wm_test_write(dir, "stuck.txt", "STUCK\n");
	wm_test_write(dir, "trap.txt", "a TRAP\n");
	wm_test_write(dir, "good.txt", "BAD BAD\n");
	report = fix_run(WM_SCOPE_ALL, false, NULL);
	ck_assert_int_eq(report_file(report, "stuck.txt")->status, WM_FIX_ROLLED_BACK);
	ck_assert_ptr_nonnull(strstr(report_file(report, "stuck.txt")->reason, "still finds bad-word"));
	ck_assert_int_eq(report_file(report, "trap.txt")->status, WM_FIX_ROLLED_BACK);
	ck_assert_ptr_nonnull(strstr(report_file(report, "trap.txt")->reason, "introduce worse-word"));
	ck_assert_int_eq(report_file(report, "good.txt")->status, WM_FIX_APPLIED);
	text = slurp("trap.txt");
	ck_assert_str_eq(text, "a TRAP\n");
	free(text);
	text = slurp("good.txt");
	ck_assert_str_eq(text, "GOOD GOOD\n");
	free(text);
	wm_fix_report_free(report);
}
END_TEST

START_TEST(staged_fix_keeps_unstaged_changes)
{
	wm_fix_report *report;
	wm_undo_report *undo = NULL;
	char *text;

	wm_test_write(dir, "m.txt", "line 1\nline 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n");
	wm_test_sh(dir, "git add m.txt && git commit -qm init");
	/* staged: a BAD on line 2; unstaged on top: a change on line 8 */
	wm_test_write(dir, "m.txt", "line 1\nline BAD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n");
	wm_test_sh(dir, "git add m.txt");
	wm_test_write(dir, "m.txt", "line 1\nline BAD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8 unstaged\n");
	report = fix_run(WM_SCOPE_STAGED, false, NULL);
	ck_assert_uint_eq(report->count, 1);
	ck_assert_int_eq(report->files[0].status, WM_FIX_APPLIED);
	wm_fix_report_free(report);
	text = staged("m.txt");
	ck_assert_str_eq(text, "line 1\nline GOOD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n");
	free(text);
	text = slurp("m.txt");
	ck_assert_str_eq(text, "line 1\nline GOOD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8 unstaged\n");
	free(text);

	ck_assert_int_eq(wm_fix_undo(&undo, repo), 0);
	ck_assert_uint_eq(undo->count, 2);
	ck_assert(undo->files[0].restored && undo->files[1].restored);
	wm_undo_report_free(undo);
	text = staged("m.txt");
	ck_assert_str_eq(text, "line 1\nline BAD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8\n");
	free(text);
	text = slurp("m.txt");
	ck_assert_str_eq(text, "line 1\nline BAD 2\nline 3\nline 4\nline 5\nline 6\nline 7\nline 8 unstaged\n");
	free(text);
}
END_TEST

START_TEST(staged_fix_leaves_a_rewritten_working_copy_alone)
{
	wm_fix_report *report;
	char *text;

	wm_test_write(dir, "m.txt", "BAD\n");
	wm_test_sh(dir, "git add m.txt");
	wm_test_write(dir, "m.txt", "entirely different\n");
	report = fix_run(WM_SCOPE_STAGED, false, NULL);
	ck_assert_int_eq(report->files[0].status, WM_FIX_PARTIAL);
	ck_assert_ptr_nonnull(strstr(report->files[0].reason, "index only"));
	wm_fix_report_free(report);
	text = staged("m.txt");
	ck_assert_str_eq(text, "GOOD\n");
	free(text);
	text = slurp("m.txt");
	ck_assert_str_eq(text, "entirely different\n");
	free(text);
}
END_TEST

START_TEST(undo_refuses_files_changed_since)
{
	wm_fix_report *report;
	wm_undo_report *undo = NULL;
	char *text;

	wm_test_write(dir, "a.txt", "BAD\n");
	report = fix_run(WM_SCOPE_ALL, false, NULL);
	wm_fix_report_free(report);
	wm_test_write(dir, "a.txt", "GOOD and my new work\n");
	ck_assert_int_eq(wm_fix_undo(&undo, repo), 0);
	ck_assert(!undo->files[0].restored);
	ck_assert_ptr_nonnull(strstr(undo->files[0].reason, "changed since"));
	wm_undo_report_free(undo);
	text = slurp("a.txt");
	ck_assert_str_eq(text, "GOOD and my new work\n");
	free(text);
}
END_TEST

START_TEST(diff_scope_is_refused)
{
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_fix_report *report = NULL;

	wm_test_write(dir, "a.txt", "BAD\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm one");
	open_repo();
	opts.targets.scope = WM_SCOPE_COMMIT;
	opts.targets.rev = "HEAD";
	opts.detectors = detectors;
	opts.ndetectors = 1;
	ck_assert_int_eq(wm_scan_run(&result, repo, cfg, &opts), 0);
	ck_assert_int_eq(wm_fix_run(&report, repo, cfg, &opts, result, NULL), WM_EUSAGE);
	wm_scan_result_free(result);
}
END_TEST

START_TEST(symlinked_directory_is_never_written_through)
{
	char *outside = wm_test_tmpdir();

	wm_test_write(outside, "x.txt", "outside\n");
	ck_assert_int_eq(wm_fix__write_worktree(dir, NULL, "a.txt", "ok\n", 3, 0), 0);
	{
		char link[4200];

		snprintf(link, sizeof(link), "%s/sub", dir);
		ck_assert_int_eq(symlink(outside, link), 0);
	}
	ck_assert_int_lt(wm_fix__write_worktree(dir, NULL, "sub/x.txt", "pwned\n", 6, 0), 0);
	ck_assert_int_eq(wm_fix__write_worktree(dir, NULL, "../escape.txt", "pwned\n", 6, 0), WM_EREPO);
	{
		char path[4200];
		FILE *f;
		char buf[32] = { 0 };

		snprintf(path, sizeof(path), "%s/x.txt", outside);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
		fclose(f);
		ck_assert_str_eq(buf, "outside\n");
	}
	wm_test_rmrf(outside);
	free(outside);
}
END_TEST

static Suite *fix_suite(void)
{
	Suite *s = suite_create("fix");
	TCase *tc = tcase_create("fix");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, apply_edits_in_order_and_rejects_overlaps);
	tcase_add_test(tc, apply_edits_outside_content_is_an_error);
	tcase_add_test(tc, worktree_fix_keeps_mode_and_undo_restores);
	tcase_add_test(tc, dry_run_writes_nothing);
	tcase_add_test(tc, unconfirmed_fixes_are_rolled_back);
	tcase_add_test(tc, staged_fix_keeps_unstaged_changes);
	tcase_add_test(tc, staged_fix_leaves_a_rewritten_working_copy_alone);
	tcase_add_test(tc, undo_refuses_files_changed_since);
	tcase_add_test(tc, diff_scope_is_refused);
	tcase_add_test(tc, symlinked_directory_is_never_written_through);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(fix_suite());
}
