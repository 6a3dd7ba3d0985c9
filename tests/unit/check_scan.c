/*
 * check_scan.c - the scan pipeline through a fake detector: what reaches
 * the result, with configured severities, suppressions, positions,
 * internal errors and detector selection applied at the one seam.
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/wm.h"

static const wm_rule_info fake_rules[] = {
	{ "fake-rule", WM_SEV_WARNING, "a fake rule", "for tests" },
};

static const char *find(const char *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= size; i++)
		if (!memcmp(data + i, needle, n))
			return data + i;
	return NULL;
}

/* Emits one finding at the first "BAD" of every file; fails on "CRASH". */
static int fake_scan_file(wm_scan *scan, const wm_file *file)
{
	wm_finding f = WM_FINDING_INIT;
	const char *hit;

	if (!file->data)
		return 0;
	if (find(file->data, file->size, "CRASH"))
		return wm_error_set(WM_ERROR, "fake detector gave up");
	if (!(hit = find(file->data, file->size, "BAD")))
		return 0;
	f.rule = (char *)"fake-rule";
	f.message = (char *)"found BAD";
	f.start_byte = (uint32_t)(hit - file->data);
	f.end_byte = f.start_byte + 3;
	return wm_emit(scan, &f);
}

static int repo_calls;
static int end_calls;
static int state_seen;

static int fake_scan_repo(wm_scan *scan)
{
	wm_finding f = WM_FINDING_INIT;
	void **slot = wm_scan_state(scan);

	repo_calls++;
	/* State kept for the run, freed by end(). */
	if (slot && !*slot)
		*slot = wm_strdup("state");
	f.rule = (char *)"fake-rule";
	f.severity = WM_SEV_INFO;
	f.message = (char *)"repository-wide";
	f.line = 0;
	return wm_emit(scan, &f);
}

static void fake_end(wm_scan *scan)
{
	void **slot = wm_scan_state(scan);

	end_calls++;
	if (slot && *slot) {
		state_seen++;
		wm_free(*slot);
		*slot = NULL;
	}
}

static const wm_detector fake = {
	"fake", fake_rules, 1, fake_scan_file, fake_scan_repo, fake_end
};
static const wm_detector other = { "other", NULL, 0, NULL, NULL, NULL };
static const wm_detector *const detectors[] = { &fake, &other };

static char *dir;
static wm_repo *repo;

static void setup(void)
{
	dir = wm_test_tmpdir();
	wm_test_sh(dir, "git init -q .");
	wm_test_write(dir, "a.txt", "line one\nh\xc3\xa9llo BAD\n");
	wm_test_write(dir, "b.txt", "# wm: ignore[fake-rule] known\nBAD\n");
	wm_test_write(dir, "c.txt", "clean\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	ck_assert_int_eq(wm_repo_open(&repo, dir), 0);
}

static void teardown(void)
{
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}

static wm_scan_result *run(const char *yaml, const char *only, wm_scope scope)
{
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_config *cfg = NULL;

	if (yaml)
		ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yaml, strlen(yaml)), 0);
	else
		ck_assert_int_eq(wm_config_default(&cfg), 0);
	opts.targets.scope = scope;
	opts.detectors = detectors;
	opts.ndetectors = 2;
	opts.only = only;
	ck_assert_msg(wm_scan_run(&result, repo, cfg, &opts) == 0, "%s", wm_error_last());
	wm_config_free(cfg);
	return result;
}

START_TEST(emit_fills_position_detector_and_default_severity)
{
	wm_scan_result *r = run(NULL, NULL, WM_SCOPE_ALL);
	const wm_finding *f;

	/* repository-wide first, then a.txt; b.txt is suppressed */
	ck_assert_uint_eq(r->findings.count, 2);
	ck_assert_ptr_null(r->findings.items[0].path);
	ck_assert_int_eq(r->findings.items[0].severity, WM_SEV_INFO);
	f = &r->findings.items[1];
	ck_assert_str_eq(f->path, "a.txt");
	ck_assert_str_eq(f->detector, "fake");
	ck_assert_int_eq(f->severity, WM_SEV_WARNING);
	ck_assert_uint_eq(f->line, 2);
	ck_assert_uint_eq(f->column, 7); /* "héllo " is 6 characters, 7 bytes */
	ck_assert_uint_eq(f->end_column, 10);
	ck_assert_uint_eq(r->summary.files, 3);
	ck_assert_uint_eq(r->summary.by_severity[WM_SEV_WARNING], 1);
	ck_assert_uint_eq(r->summary.findings, 2);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(config_severity_and_off)
{
	wm_scan_result *r;

	r = run("detectors:\n  fake:\n    severity:\n      fake-rule: critical\n", NULL, WM_SCOPE_ALL);
	ck_assert_uint_eq(r->findings.count, 2);
	ck_assert_int_eq(r->findings.items[1].severity, WM_SEV_CRITICAL);
	wm_scan_result_free(r);
	r = run("detectors:\n  fake:\n    severity:\n      fake-rule: off\n", NULL, WM_SCOPE_ALL);
	ck_assert_uint_eq(r->findings.count, 0);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(end_frees_per_detector_state)
{
	wm_scan_result *r;

	end_calls = state_seen = 0;
	r = run(NULL, NULL, WM_SCOPE_ALL);
	ck_assert_int_eq(end_calls, 1);
	ck_assert_int_eq(state_seen, 1);
	wm_scan_result_free(r);
	/* A disabled detector is not told about a run it did not take part in. */
	r = run(NULL, "other", WM_SCOPE_ALL);
	ck_assert_int_eq(end_calls, 1);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(disabled_and_only)
{
	wm_scan_result *r;

	repo_calls = 0;
	r = run("detectors:\n  fake:\n    enabled: false\n", NULL, WM_SCOPE_ALL);
	ck_assert_uint_eq(r->findings.count, 0);
	ck_assert_int_eq(repo_calls, 0);
	wm_scan_result_free(r);
	r = run(NULL, "other", WM_SCOPE_ALL);
	ck_assert_uint_eq(r->findings.count, 0);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(unknown_only_is_usage_error)
{
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_config *cfg = NULL;

	ck_assert_int_eq(wm_config_default(&cfg), 0);
	opts.detectors = detectors;
	opts.ndetectors = 2;
	opts.only = "fake,nosuch";
	ck_assert_int_eq(wm_scan_run(&result, repo, cfg, &opts), WM_EUSAGE);
	ck_assert_ptr_null(result);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "nosuch"));
	wm_config_free(cfg);
}
END_TEST

START_TEST(detector_failure_becomes_internal_error)
{
	wm_scan_result *r;
	size_t i, internal = 0;

	wm_test_write(dir, "d.txt", "CRASH\n");
	r = run(NULL, NULL, WM_SCOPE_ALL);
	for (i = 0; i < r->findings.count; i++)
		if (!strcmp(r->findings.items[i].rule, "internal-error")) {
			internal++;
			ck_assert_str_eq(r->findings.items[i].path, "d.txt");
			ck_assert_ptr_nonnull(strstr(r->findings.items[i].message, "fake detector gave up"));
		}
	ck_assert_uint_eq(internal, 1);
	ck_assert_uint_eq(r->summary.internal_errors, 1);
	/* the other files' findings survive */
	ck_assert_uint_eq(r->findings.count, 3);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(result_reads_the_scanned_world)
{
	wm_scan_result *r;
	const char *data;
	size_t size;

	wm_test_write(dir, "c.txt", "changed on disk\n");
	r = run(NULL, NULL, WM_SCOPE_STAGED);
	ck_assert_int_eq(wm_scan_result_read(r, "c.txt", &data, &size), 0);
	ck_assert_uint_eq(size, 6);
	ck_assert_int_eq(memcmp(data, "clean\n", 6), 0);
	/* a second read is served from the cache */
	ck_assert_int_eq(wm_scan_result_read(r, "c.txt", &data, &size), 0);
	ck_assert_int_eq(memcmp(data, "clean\n", 6), 0);
	ck_assert_int_eq(wm_scan_result_read(r, "nope.txt", &data, &size), WM_ENOTFOUND);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(excluded_paths_are_not_scanned)
{
	wm_scan_result *r = run("paths:\n  exclude: [a.txt]\n", NULL, WM_SCOPE_ALL);

	ck_assert_uint_eq(r->findings.count, 1);
	ck_assert_ptr_null(r->findings.items[0].path);
	ck_assert_uint_eq(r->summary.files, 2);
	wm_scan_result_free(r);
}
END_TEST

static Suite *scan_suite(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("pipeline");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, emit_fills_position_detector_and_default_severity);
	tcase_add_test(tc, config_severity_and_off);
	tcase_add_test(tc, end_frees_per_detector_state);
	tcase_add_test(tc, disabled_and_only);
	tcase_add_test(tc, unknown_only_is_usage_error);
	tcase_add_test(tc, detector_failure_becomes_internal_error);
	tcase_add_test(tc, result_reads_the_scanned_world);
	tcase_add_test(tc, excluded_paths_are_not_scanned);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(scan_suite());
}
