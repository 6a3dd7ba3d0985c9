/*
 * check_learn.c - the learner: extraction, anti-unification, hole linking, support thresholds.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "testutil.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"

/* An edit from two snippets whose changed node is the one spanning `before`/`after` in them. */
static void make_edit(wm_learn__edit *e, wm_lang lang, const char *commit, const char *ctx_b,
	const char *before, const char *ctx_a, const char *after)
{
	TSTree *tb = NULL, *ta = NULL;
	const char *pb = strstr(ctx_b, before), *pa = strstr(ctx_a, after);
	uint32_t sb = (uint32_t)(pb - ctx_b), sa = (uint32_t)(pa - ctx_a);
	TSNode nb, na;

	memset(e, 0, sizeof(*e));
	ck_assert_ptr_nonnull(pb);
	ck_assert_ptr_nonnull(pa);
	ck_assert_int_eq(wm_syntax_parse(&tb, lang, ctx_b, strlen(ctx_b)), 0);
	ck_assert_int_eq(wm_syntax_parse(&ta, lang, ctx_a, strlen(ctx_a)), 0);
	nb = ts_node_descendant_for_byte_range(ts_tree_root_node(tb), sb, sb + (uint32_t)strlen(before));
	na = ts_node_descendant_for_byte_range(ts_tree_root_node(ta), sa, sa + (uint32_t)strlen(after));
	while (!ts_node_is_named(nb) || ts_node_end_byte(nb) - ts_node_start_byte(nb) < strlen(before))
		nb = ts_node_parent(nb);
	while (!ts_node_is_named(na) || ts_node_end_byte(na) - ts_node_start_byte(na) < strlen(after))
		na = ts_node_parent(na);
	snprintf(e->commit, sizeof(e->commit), "%-40s", commit);
	e->lang = lang;
	e->signal = wm_strdup("keyword:fix");
	e->path = wm_strdup("a");
	e->bstart = sb;
	e->bend = sb + (uint32_t)strlen(before);
	e->before = wm_strdup(before);
	e->after = wm_strdup(after);
	e->ctx_before = wm_strdup(ctx_b);
	e->ctx_after = wm_strdup(ctx_a);
	ck_assert_int_eq(wm_learn__flatten(&e->bt, &e->nbt, nb, sb, 200), 0);
	ck_assert_int_eq(wm_learn__flatten(&e->at, &e->nat, na, sa, 200), 0);
	ts_tree_delete(tb);
	ts_tree_delete(ta);
}

static char *render(const wm_learn__pattern *p, bool after)
{
	wm_buf b = WM_BUF_INIT;

	ck_assert_int_eq(wm_learn__render(&b, p, after), 0);
	return wm_buf_detach(&b);
}

START_TEST(antiunify_links_holes_across_sides)
{
	wm_learn__edit e1, e2;
	wm_learn__pattern p1, p2, m;
	char *b, *a;

	make_edit(&e1, WM_LANG_PYTHON, "c1", "x = d.has_key(k)\n", "d.has_key(k)", "x = k in d\n", "k in d");
	make_edit(&e2, WM_LANG_PYTHON, "c2", "y = opts.has_key(name)\n", "opts.has_key(name)",
		"y = name in opts\n", "name in opts");
	ck_assert_int_eq(wm_learn__pattern_of(&p1, &e1), 0);
	ck_assert_int_eq(wm_learn__pattern_of(&p2, &e2), 0);
	ck_assert_int_eq(wm_learn__antiunify(&m, &p1, &p2), 1);
	b = render(&m, false);
	a = render(&m, true);
	/* The receiver is $A on both sides, the key $B: the fix swaps them. */
	ck_assert_str_eq(b, "$A.has_key($B)");
	ck_assert_str_eq(a, "$B in $A");
	ck_assert_int_eq(m.nholes, 2);
	ck_assert_uint_eq(wm_learn__concrete(&m), 1);
	wm_free(b);
	wm_free(a);
	wm_learn__pattern_dispose(&m);
	wm_learn__pattern_dispose(&p1);
	wm_learn__pattern_dispose(&p2);
	wm_learn__edit_dispose(&e1);
	wm_learn__edit_dispose(&e2);
}
END_TEST

START_TEST(antiunify_same_pair_same_hole)
{
	wm_learn__edit e1, e2;
	wm_learn__pattern p1, p2, m;
	char *b, *a;

	make_edit(&e1, WM_LANG_JAVASCRIPT, "c1", "f(a, a);\n", "f(a, a)", "g(a);\n", "g(a)");
	make_edit(&e2, WM_LANG_JAVASCRIPT, "c2", "f(b, b);\n", "f(b, b)", "g(b);\n", "g(b)");
	ck_assert_int_eq(wm_learn__pattern_of(&p1, &e1), 0);
	ck_assert_int_eq(wm_learn__pattern_of(&p2, &e2), 0);
	ck_assert_int_eq(wm_learn__antiunify(&m, &p1, &p2), 1);
	b = render(&m, false);
	a = render(&m, true);
	ck_assert_str_eq(b, "f($A, $A)");
	ck_assert_str_eq(a, "g($A)");
	wm_free(b);
	wm_free(a);
	wm_learn__pattern_dispose(&m);
	wm_learn__pattern_dispose(&p1);
	wm_learn__pattern_dispose(&p2);
	wm_learn__edit_dispose(&e1);
	wm_learn__edit_dispose(&e2);
}
END_TEST

START_TEST(antiunify_refuses_fix_only_hole_and_hole_root)
{
	wm_learn__edit e1, e2, e3;
	wm_learn__pattern p1, p2, p3, m;

	/* The fix brings in text the bug did not have, and it differs: no template can say it. */
	make_edit(&e1, WM_LANG_PYTHON, "c1", "f(x)\n", "f(x)", "f(x, 1)\n", "f(x, 1)");
	make_edit(&e2, WM_LANG_PYTHON, "c2", "f(y)\n", "f(y)", "f(y, 2)\n", "f(y, 2)");
	ck_assert_int_eq(wm_learn__pattern_of(&p1, &e1), 0);
	ck_assert_int_eq(wm_learn__pattern_of(&p2, &e2), 0);
	ck_assert_int_eq(wm_learn__antiunify(&m, &p1, &p2), 0);
	/* Different root kinds: the root would be a hole. */
	make_edit(&e3, WM_LANG_PYTHON, "c3", "a.b\n", "a.b", "a.c\n", "a.c");
	ck_assert_int_eq(wm_learn__pattern_of(&p3, &e3), 0);
	ck_assert_int_eq(wm_learn__antiunify(&m, &p1, &p3), 0);
	wm_learn__pattern_dispose(&p1);
	wm_learn__pattern_dispose(&p2);
	wm_learn__pattern_dispose(&p3);
	wm_learn__edit_dispose(&e1);
	wm_learn__edit_dispose(&e2);
	wm_learn__edit_dispose(&e3);
}
END_TEST

START_TEST(anonymous_disagreement_generalises_the_parent)
{
	wm_learn__edit e1, e2;
	wm_learn__pattern p1, p2, m;
	char *b;

	/* `==` vs `!=` cannot be a metavariable: the comparison as a whole differs. */
	make_edit(&e1, WM_LANG_PYTHON, "c1", "r = f(a == None)\n", "f(a == None)", "r = f(a is None)\n",
		"f(a is None)");
	make_edit(&e2, WM_LANG_PYTHON, "c2", "r = f(b != None)\n", "f(b != None)", "r = f(b is None)\n",
		"f(b is None)");
	ck_assert_int_eq(wm_learn__pattern_of(&p1, &e1), 0);
	ck_assert_int_eq(wm_learn__pattern_of(&p2, &e2), 0);
	ck_assert_int_eq(wm_learn__antiunify(&m, &p1, &p2), 0); /* after: `$B is None`, $B unbound */
	wm_learn__pattern_dispose(&p1);
	wm_learn__pattern_dispose(&p2);
	wm_learn__edit_dispose(&e1);
	wm_learn__edit_dispose(&e2);
	(void)b;
}
END_TEST

static wm_learn_rules *learn(wm_learn__edits *edits, uint32_t min_support)
{
	wm_learn_options o = WM_LEARN_OPTIONS_INIT;
	wm_learn_rules *rules = NULL;

	o.min_support = min_support;
	ck_assert_int_eq(wm_learn__generalise_edits(&rules, NULL, NULL, edits, &o), 0);
	return rules;
}

START_TEST(support_needs_distinct_commits)
{
	wm_learn__edits edits = { NULL, 0, 0 };
	wm_learn_rules *rules;

	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c1", "x = d.has_key(k)\n", "d.has_key(k)",
		"x = k in d\n", "k in d");
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c1", "y = e.has_key(j)\n", "e.has_key(j)",
		"y = j in e\n", "j in e");
	rules = learn(&edits, 2);
	ck_assert_uint_eq(rules->count, 0); /* one commit, twice: seen once */
	wm_learn_rules_free(rules);
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c2", "z = o.has_key(n)\n", "o.has_key(n)",
		"z = n in o\n", "n in o");
	rules = learn(&edits, 2);
	ck_assert_uint_eq(rules->count, 1);
	ck_assert_str_eq(rules->items[0].pattern, "$A.has_key($B)");
	ck_assert_str_eq(rules->items[0].fix, "$B in $A");
	ck_assert_uint_eq(rules->items[0].support, 2);
	ck_assert_ptr_nonnull(strstr(rules->items[0].yaml, "source: learned"));
	wm_learn_rules_free(rules);
	rules = learn(&edits, 3);
	ck_assert_uint_eq(rules->count, 0);
	wm_learn_rules_free(rules);
	wm_learn__edits_dispose(&edits);
}
END_TEST

START_TEST(clusters_specific_before_general)
{
	wm_learn__edits edits = { NULL, 0, 0 };
	wm_learn_rules *rules;
	size_t i;
	bool none = false, zero = false;

	/* Two shapes in one bucket (comparison -> comparison): two rules, not one vague one. */
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c1", "r = a == None\n", "a == None",
		"r = a is None\n", "a is None");
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c2", "r = b == None\n", "b == None",
		"r = b is None\n", "b is None");
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c3", "r = len(c) == 0\n", "len(c) == 0",
		"r = not c\n", "not c");
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c4", "r = x < 0\n", "x < 0",
		"r = x <= 0\n", "x <= 0");
	make_edit(wm_learn__edits_push(&edits), WM_LANG_PYTHON, "c5", "r = y < 0\n", "y < 0",
		"r = y <= 0\n", "y <= 0");
	rules = learn(&edits, 2);
	for (i = 0; i < rules->count; i++) {
		none |= !strcmp(rules->items[i].pattern, "$A == None") && !strcmp(rules->items[i].fix, "$A is None");
		zero |= !strcmp(rules->items[i].pattern, "$A < 0") && !strcmp(rules->items[i].fix, "$A <= 0");
	}
	ck_assert(none);
	ck_assert(zero);
	ck_assert_uint_eq(rules->count, 2);
	wm_learn_rules_free(rules);
	wm_learn__edits_dispose(&edits);
}
END_TEST

START_TEST(extract_narrows_hunk_to_node)
{
	const char *old = "def f(x):\n    if x == None:\n        return 1\n    return 2\n";
	const char *new_ = "def f(x):\n    if x is None:\n        return 1\n    return 2\n";
	wm_learn_options o = WM_LEARN_OPTIONS_INIT;
	wm_learn__edits edits = { NULL, 0, 0 };
	wm_learn__hunk h = { 2, 1, 2, 1 };
	TSTree *ot = NULL, *nt = NULL;

	ck_assert_int_eq(wm_syntax_parse(&ot, WM_LANG_PYTHON, old, strlen(old)), 0);
	ck_assert_int_eq(wm_syntax_parse(&nt, WM_LANG_PYTHON, new_, strlen(new_)), 0);
	ck_assert_int_eq(wm_learn__extract(&edits, WM_LANG_PYTHON, old, strlen(old), ot, new_, strlen(new_),
		nt, &h, 1, &o), 0);
	ck_assert_uint_eq(edits.count, 1);
	ck_assert_str_eq(edits.items[0].before, "x == None");
	ck_assert_str_eq(edits.items[0].after, "x is None");
	ck_assert_str_eq(edits.items[0].ctx_before, old);
	ck_assert_str_eq(edits.items[0].ctx_after, new_);
	wm_learn__edits_dispose(&edits);
	ts_tree_delete(ot);
	ts_tree_delete(nt);
}
END_TEST

START_TEST(keywords)
{
	ck_assert_str_eq(wm_learn__keyword("Fix crash when empty", 0), "fix");
	ck_assert_str_eq(wm_learn__keyword("Revert \"add x\"", 0), "revert");
	ck_assert_str_eq(wm_learn__keyword("docs: typo", 0), "typo");
	ck_assert_str_eq(wm_learn__keyword("handle a bug in y", 0), "bug");
	ck_assert_ptr_null(wm_learn__keyword("prefix the suffix", 0));
	ck_assert_ptr_null(wm_learn__keyword("add feature", 0));
	/* A tool name is a warning fix, unless it names the project itself. */
	ck_assert_str_eq(wm_learn__keyword("clean up what eslint reported", 0), "warning");
	ck_assert_ptr_null(wm_learn__keyword("Breaking: add rules to eslint:recommended",
		wm_learn__keyword_tools("eslint")));
	ck_assert_str_eq(wm_learn__keyword("Fix: eslint crash", wm_learn__keyword_tools("eslint")), "fix");
	ck_assert_str_eq(wm_learn__keyword("silence pylint", wm_learn__keyword_tools("eslint")), "warning");
	ck_assert_uint_eq(wm_learn__keyword_tools("no tools here, eslintrc is a file"), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("learn");
	TCase *tc = tcase_create("learn");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, antiunify_links_holes_across_sides);
	tcase_add_test(tc, antiunify_same_pair_same_hole);
	tcase_add_test(tc, antiunify_refuses_fix_only_hole_and_hole_root);
	tcase_add_test(tc, anonymous_disagreement_generalises_the_parent);
	tcase_add_test(tc, support_needs_distinct_commits);
	tcase_add_test(tc, clusters_specific_before_general);
	tcase_add_test(tc, extract_narrows_hunk_to_node);
	tcase_add_test(tc, keywords);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(suite());
}
