/*
 * check_antibody.c - the rule store: loading, errors, relations, constraints, fixes, tests.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/error.h"

static wm_antibodies *load(const char *yaml)
{
	wm_antibodies *set = NULL;

	ck_assert_int_eq(wm_antibodies_new(&set), 0);
	ck_assert_int_eq(wm_antibodies_load(set, "r.yml", yaml, strlen(yaml), false), 0);
	return set;
}

/* Matches of every rule of the set in `code`, as "id@start-end" joined by spaces. */
static void scan(char *out, size_t n, const wm_antibodies *set, wm_lang lang, const char *code,
	wm_antibody_matches *keep)
{
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	TSTree *tree = NULL;
	size_t i, used = 0;

	out[0] = '\0';
	ck_assert_int_eq(wm_syntax_parse(&tree, lang, code, strlen(code)), 0);
	ck_assert_int_eq(wm_antibodies_scan(&m, set, lang, ts_tree_root_node(tree), code, SIZE_MAX), 0);
	for (i = 0; i < m.count; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s@%u-%u", i ? " " : "",
			wm_antibodies_info(set, m.items[i].rule)->id, m.items[i].start_byte, m.items[i].end_byte);
	ts_tree_delete(tree);
	if (keep)
		*keep = m;
	else
		wm_antibody_matches_dispose(&m);
}

START_TEST(errors_have_file_line_and_column_and_other_rules_load)
{
	wm_antibodies *set = load(
		"id: good\nlanguage: python\nmessage: m\npattern: print($$$A)\n"
		"---\n"
		"id: bad\nlanguage: python\nmessage: m\npattern: x\nbogus: 1\n"
		"---\n"
		"id: bad2\nlanguage: python\nmessage: m\npattern: |\n  def f(:\n    pass\n"
		"---\n"
		"id: bad3\nlanguage: python\nmessage: m\nregex: \"(\"\npattern: x\n"
		"---\n"
		"id: bad4\nlanguage: python\nmessage: m\nkind: no_such_kind\n"
		"---\n"
		"id: bad5\nlanguage: python\nmessage: m\nquery: |\n  (call)\n  [(list) (set)**] @v\n");
	const wm_antibody_error *e;

	ck_assert_uint_eq(wm_antibodies_count(set), 1);
	ck_assert_str_eq(wm_antibodies_info(set, 0)->id, "good");
	ck_assert_uint_eq(wm_antibodies_error_count(set), 5);
	/* a query error is placed inside the query, once */
	e = wm_antibodies_error(set, 4);
	ck_assert_uint_eq(e->line, 35);
	ck_assert_msg(e->column == 17, "column %u", e->column);
	ck_assert_str_eq(e->message, "a second quantifier on one node");
	e = wm_antibodies_error(set, 0);
	ck_assert_str_eq(e->file, "r.yml");
	ck_assert_uint_eq(e->line, 10);
	ck_assert_uint_eq(e->column, 1);
	ck_assert_ptr_nonnull(strstr(e->message, "unknown key \"bogus\""));
	e = wm_antibodies_error(set, 1);
	ck_assert_uint_eq(e->line, 16);
	ck_assert_uint_eq(e->column, 9);
	e = wm_antibodies_error(set, 2);
	ck_assert_uint_eq(e->line, 22);
	ck_assert_ptr_nonnull(strstr(e->message, "bad regex"));
	e = wm_antibodies_error(set, 3);
	ck_assert_ptr_nonnull(strstr(e->message, "unknown node kind"));
	wm_antibodies_free(set);
}
END_TEST

START_TEST(invalid_yaml_is_an_error_not_a_crash)
{
	wm_antibodies *set = load("id: [\n  : :\n");

	ck_assert_uint_eq(wm_antibodies_count(set), 0);
	ck_assert_uint_eq(wm_antibodies_error_count(set), 1);
	ck_assert_ptr_nonnull(strstr(wm_antibodies_error(set, 0)->message, "invalid YAML"));
	wm_antibodies_free(set);
	set = load("- just\n- a list\n");
	ck_assert_uint_eq(wm_antibodies_error_count(set), 1);
	wm_antibodies_free(set);
}
END_TEST

START_TEST(relations_and_constraints)
{
	char got[512];
	wm_antibodies *set = load(
		"id: call-in-loop\nlanguage: python\nmessage: m\npattern: $F($$$A)\n"
		"constraints:\n  F: {regex: \"^load\"}\n"
		"inside: {kind: for_statement, stop_by: end}\n"
		"---\n"
		"id: def-without-return\nlanguage: python\nmessage: m\nkind: function_definition\n"
		"not: {has: {stop_by: end, kind: return_statement}}\n");

	ck_assert_uint_eq(wm_antibodies_error_count(set), 0);
	scan(got, sizeof(got), set, WM_LANG_PYTHON,
		"for x in y:\n    if x:\n        load(x)\nload(1)\nloader(2)\n"
		"def f():\n    pass\ndef g():\n    return 1\n", NULL);
	ck_assert_str_eq(got, "call-in-loop@30-37 def-without-return@56-73");
	wm_antibodies_free(set);
}
END_TEST

START_TEST(messages_and_fixes_use_captures)
{
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	char got[256];
	wm_antibodies *set = load(
		"id: none\nlanguage: python\nmessage: \"use $X is None\"\npattern: $X == None\nfix: $X is None\n");

	scan(got, sizeof(got), set, WM_LANG_PYTHON, "ok = a.b == None\n", &m);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_str_eq(m.items[0].message, "use a.b is None");
	ck_assert_str_eq(m.items[0].fix, "a.b is None");
	wm_antibody_matches_dispose(&m);
	wm_antibodies_free(set);
}
END_TEST

START_TEST(overlapping_fixes_go_to_the_most_severe_rule_then_the_id)
{
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	char got[256];
	wm_antibodies *set = load(
		"id: b-warn\nlanguage: python\nseverity: warning\nmessage: m\npattern: $X == None\nfix: W\n"
		"---\n"
		"id: z-err\nlanguage: python\nseverity: error\nmessage: m\npattern: $X == $Y\nfix: E\n"
		"---\n"
		"id: a-err\nlanguage: python\nseverity: error\nmessage: m\npattern: a == $Y\nfix: A\n");

	scan(got, sizeof(got), set, WM_LANG_PYTHON, "a == None\n", &m);
	ck_assert_uint_eq(m.count, 3);
	/* a-err wins: error beats warning, and "a-err" sorts before "z-err". */
	for (size_t i = 0; i < m.count; i++) {
		const char *id = wm_antibodies_info(set, m.items[i].rule)->id;

		if (!strcmp(id, "a-err")) {
			ck_assert_str_eq(m.items[i].fix, "A");
		} else {
			ck_assert_ptr_null(m.items[i].fix);
			ck_assert_str_eq(m.items[i].fix_withheld_for, "a-err");
		}
	}
	wm_antibody_matches_dispose(&m);
	wm_antibodies_free(set);
}
END_TEST

/*
 * scan_each: the same matches, each with its own fix (the learner ranks
 * them); and one walk for many rules finds what a walk per rule found.
 */
START_TEST(scan_each_keeps_every_fix_and_one_walk_equals_one_per_rule)
{
	static const char code[] = "if a == None:\n    b = c == d\nx = f(a == None, [e == 1])\n";
	wm_antibody_matches all = WM_ANTIBODY_MATCHES_INIT, each = WM_ANTIBODY_MATCHES_INIT;
	wm_antibody_matches one = WM_ANTIBODY_MATCHES_INIT;
	TSTree *tree = NULL;
	size_t i, r, n = 0;
	wm_antibodies *set = load(
		"id: b-warn\nlanguage: python\nseverity: warning\nmessage: m\npattern: $X == None\nfix: W\n"
		"---\n"
		"id: z-err\nlanguage: python\nseverity: error\nmessage: m\npattern: $X == $Y\nfix: E\n"
		"---\n"
		"id: call\nlanguage: python\nmessage: m\npattern: f($A, $B)\nfix: g($B, $A)\n"
		"---\n"
		"id: q\nlanguage: python\nmessage: m\nquery: \"(list) @match\"\n"
		"---\n"
		"id: js\nlanguage: javascript\nmessage: m\npattern: $X == null\n");

	ck_assert_int_eq(wm_syntax_parse(&tree, WM_LANG_PYTHON, code, strlen(code)), 0);
	ck_assert_int_eq(wm_antibodies_scan(&all, set, WM_LANG_PYTHON, ts_tree_root_node(tree), code, SIZE_MAX), 0);
	ck_assert_int_eq(wm_antibodies_scan_each(&each, set, WM_LANG_PYTHON, ts_tree_root_node(tree), code), 0);
	/* b-warn 2, z-err 4, call 1, q 1; the JavaScript rule never runs on Python. */
	ck_assert_uint_eq(all.count, 8);
	ck_assert_uint_eq(each.count, all.count);
	for (i = 0; i < each.count; i++) {
		const char *id = wm_antibodies_info(set, each.items[i].rule)->id;

		ck_assert_uint_eq(each.items[i].rule, all.items[i].rule);
		ck_assert_uint_eq(each.items[i].start_byte, all.items[i].start_byte);
		if (!strcmp(id, "q"))
			continue;
		ck_assert_ptr_nonnull(each.items[i].fix);
		ck_assert_ptr_null(each.items[i].fix_withheld_for);
		n += all.items[i].fix == NULL;
	}
	/* Settled, the same matches lose fixes to overlapping ones of stronger rules. */
	ck_assert_uint_eq(n, 3); /* b-warn twice and the call, to z-err (error) */
	for (r = 0; r < wm_antibodies_count(set); r++) {
		size_t before = one.count;

		ck_assert_int_eq(wm_antibodies_scan(&one, set, WM_LANG_PYTHON, ts_tree_root_node(tree), code, r), 0);
		for (i = before; i < one.count; i++)
			ck_assert_uint_eq(one.items[i].rule, r);
	}
	ck_assert_uint_eq(one.count, all.count);
	ts_tree_delete(tree);
	wm_antibody_matches_dispose(&all);
	wm_antibody_matches_dispose(&each);
	wm_antibody_matches_dispose(&one);
	wm_antibodies_free(set);
}
END_TEST

START_TEST(later_rules_override_earlier_ones_by_id_and_disable_drops)
{
	wm_antibodies *set = load(
		"id: r\nlanguage: python\nmessage: first\npattern: x\n---\n"
		"id: r\nlanguage: python\nmessage: second\npattern: y\n");

	ck_assert_uint_eq(wm_antibodies_count(set), 1);
	ck_assert_str_eq(wm_antibodies_info(set, 0)->message, "second");
	ck_assert(wm_antibodies_disable(set, "r"));
	ck_assert_uint_eq(wm_antibodies_count(set), 0);
	wm_antibodies_free(set);
}
END_TEST

START_TEST(rule_tests_pass_and_fail)
{
	wm_buf report = WM_BUF_INIT;
	size_t failed = 9;
	wm_antibodies *set = load(
		"id: ok\nlanguage: python\nmessage: m\npattern: $X == None\nfix: $X is None\n"
		"tests:\n  match: [\"a == None\"]\n  no_match: [\"a is None\"]\n"
		"  fix: [{before: \"a == None\\n\", after: \"a is None\\n\"}]\n"
		"---\n"
		"id: broken\nlanguage: python\nmessage: m\npattern: $X == None\nfix: $X\n"
		"tests:\n  fix: [{before: \"a == None\", after: \"a is None\"}]\n");

	ck_assert_int_eq(wm_antibodies_test(&report, &failed, set), 0);
	ck_assert_uint_eq(failed, 1);
	ck_assert_ptr_nonnull(strstr(report.ptr, "ok - ok [python]"));
	ck_assert_ptr_nonnull(strstr(report.ptr, "not ok - broken [python]"));
	wm_buf_dispose(&report);
	wm_antibodies_free(set);
}
END_TEST

START_TEST(builtin_rules_load_cleanly_and_pass_their_tests)
{
	wm_antibodies *set = NULL;
	wm_buf report = WM_BUF_INIT;
	size_t failed = 1, i;

	ck_assert_int_eq(wm_antibodies_new(&set), 0);
	ck_assert_int_eq(wm_antibodies_load_builtin(set), 0);
	ck_assert_uint_eq(wm_antibodies_error_count(set), 0);
	ck_assert_uint_ge(wm_antibodies_count(set), 20);
	ck_assert_int_eq(wm_antibodies_test(&report, &failed, set), 0);
	ck_assert_msg(failed == 0, "%s", report.ptr);
	for (i = 0; i < wm_antibodies_count(set); i++) {
		const wm_antibody_info *r = wm_antibodies_info(set, i);

		ck_assert_msg(r->tests_match && r->tests_no_match, "%s lacks tests", r->id);
		ck_assert_msg(!r->fix || r->tests_fix, "%s has a fix without a fix test", r->id);
		ck_assert_str_eq(r->provenance, "built-in");
	}
	wm_buf_dispose(&report);
	wm_antibodies_free(set);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("antibody");
	TCase *tc = tcase_create("antibody");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, errors_have_file_line_and_column_and_other_rules_load);
	tcase_add_test(tc, invalid_yaml_is_an_error_not_a_crash);
	tcase_add_test(tc, relations_and_constraints);
	tcase_add_test(tc, messages_and_fixes_use_captures);
	tcase_add_test(tc, overlapping_fixes_go_to_the_most_severe_rule_then_the_id);
	tcase_add_test(tc, scan_each_keeps_every_fix_and_one_walk_equals_one_per_rule);
	tcase_add_test(tc, later_rules_override_earlier_ones_by_id_and_disable_drops);
	tcase_add_test(tc, rule_tests_pass_and_fail);
	tcase_add_test(tc, builtin_rules_load_cleanly_and_pass_their_tests);
	suite_add_tcase(s, tc);
	return wm_test_run(s);
}
