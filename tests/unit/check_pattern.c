/*
 * check_pattern.c - code patterns: compiling, matching, metavariables, templates.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/pattern.h"

typedef struct found {
	int count;
	char first[256];   /* text of the first match */
	char cap[256];     /* text of capture `want` in the first match */
	const char *want;
	const char *src;
} found;

static int on_match(TSNode node, const wm_captures *caps, void *payload)
{
	found *f = payload;
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);

	if (f->count++ == 0) {
		snprintf(f->first, sizeof(f->first), "%.*s", (int)(e - s), f->src + s);
		if (f->want) {
			const wm_capture *c = wm_captures_get(caps, f->want, strlen(f->want));

			if (c)
				snprintf(f->cap, sizeof(f->cap), "%.*s", (int)(c->end_byte - c->start_byte),
					f->src + c->start_byte);
			else
				strcpy(f->cap, "<unbound>");
		}
	}
	return 0;
}

static found find(wm_lang lang, const char *pat, const char *code, const char *want)
{
	wm_pattern *p = NULL;
	TSTree *tree = NULL;
	found f;
	int rc;

	memset(&f, 0, sizeof(f));
	f.want = want;
	f.src = code;
	rc = wm_pattern_compile(&p, NULL, lang, pat);
	ck_assert_msg(rc == 0, "compile %s: %s", pat, wm_error_last());
	ck_assert_int_eq(wm_syntax_parse(&tree, lang, code, strlen(code)), 0);
	ck_assert_int_eq(wm_pattern_find(p, ts_tree_root_node(tree), code, on_match, &f), 0);
	ts_tree_delete(tree);
	wm_pattern_free(p);
	return f;
}

START_TEST(python_comparison_with_none)
{
	found f = find(WM_LANG_PYTHON, "$X == None",
		"if a == None:\n    pass\nif b.c  ==  None :  # x\n    pass\nif d is None: pass\n", "X");

	ck_assert_int_eq(f.count, 2);
	ck_assert_str_eq(f.first, "a == None");
	ck_assert_str_eq(f.cap, "a");
}
END_TEST

START_TEST(operators_are_part_of_the_shape)
{
	ck_assert_int_eq(find(WM_LANG_PYTHON, "$X == None", "a != None\n", NULL).count, 0);
	ck_assert_int_eq(find(WM_LANG_JAVASCRIPT, "$A === $B", "a == b; c === d;", NULL).count, 1);
}
END_TEST

START_TEST(repeated_metavariable_binds_equal_text)
{
	ck_assert_int_eq(find(WM_LANG_PYTHON, "$X == $X", "a == a\na == b\nf(x) == f(x)\n", NULL).count, 2);
}
END_TEST

START_TEST(multi_metavariable_binds_zero_or_more)
{
	found f = find(WM_LANG_JAVASCRIPT, "foo($$$ARGS)", "foo(); foo(1); foo(1, 2, g(3)); bar(1);", "ARGS");

	ck_assert_int_eq(f.count, 3);
	ck_assert_str_eq(f.cap, "");
	f = find(WM_LANG_JAVASCRIPT, "foo($$$A, $LAST)", "foo(1, 2, last);", "LAST");
	ck_assert_int_eq(f.count, 1);
	ck_assert_str_eq(f.cap, "last");
	f = find(WM_LANG_JAVASCRIPT, "foo($$$A, $LAST)", "foo(1, 2, last);", "A");
	ck_assert_str_eq(f.cap, "1, 2");
}
END_TEST

START_TEST(whitespace_and_comments_are_ignored)
{
	found f = find(WM_LANG_C, "strcpy($D, $S)", "void f(void) {\n strcpy( buf ,/* c */\n   src );\n}\n", "S");

	ck_assert_int_eq(f.count, 1);
	ck_assert_str_eq(f.cap, "src");
}
END_TEST

START_TEST(fragments_parse_in_context)
{
	ck_assert_int_eq(find(WM_LANG_GO, "if err != nil { return $E }",
		"package p\nfunc f() error {\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}\n", NULL).count, 1);
	ck_assert_int_eq(find(WM_LANG_RUST, "$X.len() == 0",
		"fn f(v: Vec<u8>) -> bool { v.len() == 0 }\n", NULL).count, 1);
	ck_assert_int_eq(find(WM_LANG_C, "char $B[$N];",
		"int f(void) { char buf[64]; int x[3]; return 0; }\n", NULL).count, 1);
	ck_assert_int_eq(find(WM_LANG_GO, "func $F($$$A) { $$$B }",
		"package p\nfunc a() {}\nfunc b(x int) { x++ }\n", NULL).count, 2);
}
END_TEST

START_TEST(statement_patterns_and_blocks)
{
	found f = find(WM_LANG_PYTHON, "def $F($$$A):\n    $$$BODY",
		"def f(a, b=[]):\n    x = 1\n    return x\n", "BODY");

	ck_assert_int_eq(f.count, 1);
	ck_assert_str_eq(f.cap, "x = 1\n    return x");
}
END_TEST

START_TEST(literal_identifiers_stay_literal)
{
	ck_assert_int_eq(find(WM_LANG_PYTHON, "_X + $Y", "_X + 1\nA + 1\n", NULL).count, 1);
	/* jQuery's `$` is not a metavariable */
	ck_assert_int_eq(find(WM_LANG_JAVASCRIPT, "$(sel)", "$(sel); $(other);", NULL).count, 1);
}
END_TEST

START_TEST(bad_patterns_are_errors_with_an_offset)
{
	wm_pattern *p = NULL;
	size_t off = 99;

	ck_assert_int_eq(wm_pattern_compile(&p, &off, WM_LANG_PYTHON, "def f(:\n  pass"), WM_EPARSE);
	ck_assert_ptr_null(p);
	ck_assert_uint_le(off, 7);
	ck_assert_int_eq(wm_pattern_compile(&p, &off, WM_LANG_PYTHON, "   "), WM_EPARSE);
	ck_assert_int_eq(wm_pattern_compile(&p, &off, WM_LANG_NONE, "x"), WM_EPARSE);
}
END_TEST

static char *expand(wm_lang lang, const char *pat, const char *code, const char *tmpl)
{
	wm_pattern *p = NULL;
	TSTree *tree = NULL;
	wm_captures caps = WM_CAPTURES_INIT;
	wm_buf out = WM_BUF_INIT;
	TSNode root;
	TSSymbol sym;
	TSTreeCursor c;
	int rc = 0;

	ck_assert_int_eq(wm_pattern_compile(&p, NULL, lang, pat), 0);
	ck_assert_int_eq(wm_syntax_parse(&tree, lang, code, strlen(code)), 0);
	root = ts_tree_root_node(tree);
	ck_assert(wm_pattern_root_symbol(p, &sym));
	c = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_symbol(n) == sym && (rc = wm_pattern_match(p, n, code, &caps)) == 1) {
			ck_assert_int_eq(wm_pattern_expand(&out, tmpl, &caps, code,
				ts_node_start_byte(n), WM_EXPAND_CODE), 0);
			break;
		}
		if (ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c))
			ck_assert(ts_tree_cursor_goto_parent(&c));
	}
	ts_tree_cursor_delete(&c);
	wm_captures_dispose(&caps);
	ts_tree_delete(tree);
	wm_pattern_free(p);
	return out.ptr ? out.ptr : wm_strdup("");
}

START_TEST(templates_substitute_and_indent)
{
	char *s = expand(WM_LANG_PYTHON, "$X == None", "if a.b == None: pass\n", "$X is None");

	ck_assert_str_eq(s, "a.b is None");
	wm_free(s);
	s = expand(WM_LANG_PYTHON, "if $C:\n    $$$B",
		"def f():\n    if x:\n        a()\n        b()\n",
		"if not ($C):\n    pass\nelse:\n    $$$B");
	ck_assert_str_eq(s, "if not (x):\n        pass\n    else:\n        a()\n        b()");
	wm_free(s);
	s = expand(WM_LANG_C, "strcpy($D, $S)", "void f(void){ strcpy(b, s); }",
		"snprintf($D, sizeof($D), \"%s\", $S) $UNKNOWN $$");
	ck_assert_str_eq(s, "snprintf(b, sizeof(b), \"%s\", s) $UNKNOWN $$");
	wm_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pattern");
	TCase *tc = tcase_create("pattern");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, python_comparison_with_none);
	tcase_add_test(tc, operators_are_part_of_the_shape);
	tcase_add_test(tc, repeated_metavariable_binds_equal_text);
	tcase_add_test(tc, multi_metavariable_binds_zero_or_more);
	tcase_add_test(tc, whitespace_and_comments_are_ignored);
	tcase_add_test(tc, fragments_parse_in_context);
	tcase_add_test(tc, statement_patterns_and_blocks);
	tcase_add_test(tc, literal_identifiers_stay_literal);
	tcase_add_test(tc, bad_patterns_are_errors_with_an_offset);
	tcase_add_test(tc, templates_substitute_and_indent);
	suite_add_tcase(s, tc);
	return wm_test_run(s);
}
