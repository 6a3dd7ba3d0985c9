/*
 * check_core.c - the small modules everything stands on: errors, the
 * allocation wrapper, buffers, findings and inline suppressions.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "testutil.h"
#include "wm/wm.h"

START_TEST(error_keeps_code_and_message)
{
	ck_assert_int_eq(wm_error_set(WM_EPARSE, "a.py:%d:%d: bad", 3, 4), WM_EPARSE);
	ck_assert_str_eq(wm_error_last(), "a.py:3:4: bad");
	ck_assert_int_eq(wm_error_last_code(), WM_EPARSE);
	wm_error_wrap(WM_ERROR, "reading %s", "a.py");
	ck_assert_str_eq(wm_error_last(), "reading a.py: a.py:3:4: bad");
	wm_error_clear();
	ck_assert_str_eq(wm_error_last(), "");
	ck_assert_int_eq(wm_error_last_code(), 0);
}
END_TEST

START_TEST(error_truncates_long_messages)
{
	char big[5000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	wm_error_set(WM_ERROR, "%s", big);
	ck_assert_uint_lt(strlen(wm_error_last()), sizeof(big));
	wm_error_wrap(WM_ERROR, "%s", big);
	ck_assert_uint_gt(strlen(wm_error_last()), 0);
}
END_TEST

START_TEST(alloc_failure_is_reported)
{
	void *p;

	wm_error_clear();
	wm_alloc__fail_after(2);
	p = wm_malloc(8);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_null(wm_malloc(8));
	ck_assert_int_eq(wm_error_last_code(), WM_ENOMEM);
	ck_assert_ptr_null(wm_calloc(SIZE_MAX / 2, 4));
	wm_free(p);
	wm_free(NULL);
}
END_TEST

START_TEST(buf_appends_and_detaches)
{
	wm_buf buf = WM_BUF_INIT;
	char *s;
	int i;

	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(wm_buf_printf(&buf, "%d,", i % 10), 0);
	ck_assert_uint_eq(buf.size, 2000);
	ck_assert_int_eq(buf.ptr[buf.size], '\0');
	ck_assert_int_eq(wm_buf_put(&buf, "ab\0c", 4), 0);
	ck_assert_uint_eq(buf.size, 2004);
	s = wm_buf_detach(&buf);
	ck_assert_ptr_null(buf.ptr);
	ck_assert_int_eq(strncmp(s, "0,1,2,", 6), 0);
	wm_free(s);
	s = wm_buf_detach(&buf);
	ck_assert_str_eq(s, "");
	wm_free(s);
}
END_TEST

START_TEST(buf_growth_failure_keeps_content)
{
	wm_buf buf = WM_BUF_INIT;

	ck_assert_int_eq(wm_buf_puts(&buf, "keep"), 0);
	wm_alloc__fail_after(1);
	ck_assert_int_eq(wm_buf_grow(&buf, 1 << 20), WM_ENOMEM);
	ck_assert_str_eq(buf.ptr, "keep");
	wm_buf_dispose(&buf);
}
END_TEST

START_TEST(severity_names_round_trip)
{
	wm_severity s;
	int i;

	for (i = 0; i < WM_SEV__COUNT; i++) {
		ck_assert_int_eq(wm_severity_parse(&s, wm_severity_name((wm_severity)i)), 0);
		ck_assert_int_eq(s, i);
	}
	ck_assert_int_eq(wm_severity_parse(&s, "never"), 0);
	ck_assert_int_eq(s, WM_SEV_NONE);
	ck_assert_int_eq(wm_severity_parse(&s, "fatal"), WM_ENOTFOUND);
}
END_TEST

static wm_finding make(const char *path, uint32_t line, const char *rule)
{
	wm_finding f = WM_FINDING_INIT;

	f.detector = (char *)"d";
	f.rule = (char *)rule;
	f.path = (char *)path;
	f.line = line;
	f.column = 1;
	f.severity = WM_SEV_ERROR;
	f.message = (char *)"m";
	return f;
}

START_TEST(findings_sort_and_dedup)
{
	wm_findings list = WM_FINDINGS_INIT;
	wm_finding f;

	f = make("b.py", 1, "r");
	ck_assert_int_eq(wm_findings_add(&list, &f), 0);
	f = make("a.py", 9, "r");
	ck_assert_int_eq(wm_findings_add(&list, &f), 0);
	f = make("a.py", 2, "r");
	ck_assert_int_eq(wm_findings_add(&list, &f), 0);
	ck_assert_int_eq(wm_findings_add(&list, &f), 0);
	f = make(NULL, 0, "repo-wide");
	ck_assert_int_eq(wm_findings_add(&list, &f), 0);
	wm_findings_sort(&list);
	ck_assert_uint_eq(list.count, 4);
	ck_assert_ptr_null(list.items[0].path);
	ck_assert_str_eq(list.items[1].path, "a.py");
	ck_assert_uint_eq(list.items[1].line, 2);
	ck_assert_uint_eq(list.items[2].line, 9);
	ck_assert_str_eq(list.items[3].path, "b.py");
	wm_findings_dispose(&list);
	ck_assert_uint_eq(list.count, 0);
}
END_TEST

START_TEST(finding_copy_is_deep)
{
	wm_finding f = make("a.py", 1, "r"), copy;
	wm_edit edit = { (char *)"a.py", 3, 5, (char *)"xy" };
	wm_fix fix = { (char *)"rename", &edit, 1 };

	ck_assert_int_eq(wm_finding_set_fix(&f, &fix), 0);
	ck_assert_int_eq(wm_finding_copy(&copy, &f), 0);
	ck_assert_ptr_ne(copy.path, f.path);
	ck_assert_ptr_ne(copy.fix, f.fix);
	ck_assert_str_eq(copy.fix->edits[0].replacement, "xy");
	ck_assert_uint_eq(copy.fix->edits[0].end_byte, 5);
	/* f's strings are borrowed literals; only its fix is owned. */
	wm_finding_clear(&copy);
	{
		wm_finding owned;

		ck_assert_int_eq(wm_finding_copy(&owned, &f), 0);
		f.detector = f.rule = f.path = f.message = NULL;
		wm_finding_clear(&f);
		wm_finding_clear(&owned);
	}
}
END_TEST

START_TEST(finding_copy_failure_leaves_nothing)
{
	wm_finding f = make("a.py", 1, "r"), copy;
	unsigned long n;

	/* Fail each allocation in turn: every one reports ENOMEM and leaks nothing (ASan). */
	for (n = 1; n <= 4; n++) {
		wm_alloc__fail_after(n);
		ck_assert_int_eq(wm_finding_copy(&copy, &f), WM_ENOMEM);
		ck_assert_ptr_null(copy.path);
	}
	wm_alloc__fail_after(0);
}
END_TEST

START_TEST(suppress_same_line_and_line_above)
{
	const char *src =
		"a = 1  # wm: ignore[rule-a] reason\n"
		"# wm: ignore[rule-b, rule-c]\n"
		"b = 2\n"
		"c = 3\n"
		"d = 4 // wm:ignore[*]\n"
		"e = 5 # wm: ignore\n";
	size_t n = strlen(src);

	ck_assert(wm_suppressed(src, n, 1, "rule-a"));
	ck_assert(!wm_suppressed(src, n, 1, "rule-b"));
	ck_assert(wm_suppressed(src, n, 2, "rule-a")); /* line above */
	ck_assert(wm_suppressed(src, n, 3, "rule-b"));
	ck_assert(wm_suppressed(src, n, 3, "rule-c"));
	ck_assert(!wm_suppressed(src, n, 3, "rule-d"));
	ck_assert(!wm_suppressed(src, n, 4, "rule-b"));
	ck_assert(wm_suppressed(src, n, 5, "anything"));
	ck_assert(wm_suppressed(src, n, 6, "anything")); /* the line above says [*] */
	ck_assert(!wm_suppressed("e = 5 # wm: ignore\n", 19, 1, "anything")); /* no list: nothing */
	ck_assert(!wm_suppressed(src, n, 99, "rule-a"));
	ck_assert(!wm_suppressed(src, n, 0, "rule-a"));
	ck_assert(!wm_suppressed("x # wm: ignore[rule-ab]", 23, 1, "rule-a"));
	ck_assert(!wm_suppressed("x # wm: ignore[rule-a", 21, 1, "rule-a"));
}
END_TEST

static Suite *core_suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, error_keeps_code_and_message);
	tcase_add_test(tc, error_truncates_long_messages);
	tcase_add_test(tc, alloc_failure_is_reported);
	tcase_add_test(tc, buf_appends_and_detaches);
	tcase_add_test(tc, buf_growth_failure_keeps_content);
	tcase_add_test(tc, severity_names_round_trip);
	tcase_add_test(tc, findings_sort_and_dedup);
	tcase_add_test(tc, finding_copy_is_deep);
	tcase_add_test(tc, finding_copy_failure_leaves_nothing);
	tcase_add_test(tc, suppress_same_line_and_line_above);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(core_suite());
}
