/*
 * check_docs.c - the docs detector through the real scan: what it reports
 * per language, and that its fixes, applied in memory to the scanned bytes,
 * give exactly the file we expect (stubs in each style, link rewrites after
 * a rename).
 */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "wm/wm.h"
#include "docs.h"

static const wm_detector *const detectors[] = { &wm_detector_docs };

static char *dir;
static wm_repo *repo;

static void setup(void)
{
	dir = wm_test_tmpdir();
	wm_test_sh(dir, "git init -q . && git config user.name t && git config user.email t@t");
	repo = NULL;
}

static void teardown(void)
{
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}

/* Run the docs detector with `yaml` as configuration. */
static wm_scan_result *run(const char *yaml, wm_scope scope, const char *rev)
{
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_config *cfg = NULL;

	if (!repo)
		ck_assert_int_eq(wm_repo_open(&repo, dir), 0);
	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yaml, strlen(yaml)), 0);
	opts.targets.scope = scope;
	opts.targets.rev = rev;
	opts.detectors = detectors;
	opts.ndetectors = 1;
	ck_assert_msg(wm_scan_run(&result, repo, cfg, &opts) == 0, "%s", wm_error_last());
	wm_config_free(cfg);
	return result;
}

static size_t count_rule(const wm_scan_result *r, const char *rule)
{
	size_t i, n = 0;

	for (i = 0; i < r->findings.count; i++)
		if (!strcmp(r->findings.items[i].rule, rule))
			n++;
	return n;
}

static const wm_finding *first(const wm_scan_result *r, const char *rule)
{
	size_t i;

	for (i = 0; i < r->findings.count; i++)
		if (!strcmp(r->findings.items[i].rule, rule))
			return &r->findings.items[i];
	return NULL;
}

static bool any_message(const wm_scan_result *r, const char *rule, const char *part)
{
	size_t i;

	for (i = 0; i < r->findings.count; i++)
		if (!strcmp(r->findings.items[i].rule, rule) && strstr(r->findings.items[i].message, part))
			return true;
	return false;
}

/* Apply every edit of every fix for `path`, back to front, to `data`. */
static char *apply(const wm_scan_result *r, const char *path, const char *data)
{
	wm_edit *edits[64];
	size_t n = 0, i, j;
	wm_buf out = WM_BUF_INIT;
	uint32_t at = 0;

	for (i = 0; i < r->findings.count; i++) {
		const wm_fix *fix = r->findings.items[i].fix;

		for (j = 0; fix && j < fix->nedits; j++)
			if (!strcmp(fix->edits[j].path, path) && n < 64)
				edits[n++] = &fix->edits[j];
	}
	/* In order of position; edits must not overlap. */
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (edits[j]->start_byte < edits[i]->start_byte) {
				wm_edit *t = edits[i];

				edits[i] = edits[j];
				edits[j] = t;
			}
	for (i = 0; i < n; i++) {
		ck_assert_uint_ge(edits[i]->start_byte, at);
		ck_assert_uint_le(edits[i]->end_byte, strlen(data));
		wm_buf_put(&out, data + at, edits[i]->start_byte - at);
		wm_buf_puts(&out, edits[i]->replacement);
		at = edits[i]->end_byte;
	}
	wm_buf_puts(&out, data + at);
	return wm_buf_detach(&out);
}

static void expect_fixed(const wm_scan_result *r, const char *path, const char *before, const char *after)
{
	char *got = apply(r, path, before);

	ck_assert_str_eq(got, after);
	wm_free(got);
}

START_TEST(python_missing_public_only)
{
	wm_scan_result *r;

	wm_test_write(dir, "m.py",
		"\"\"\"Module.\"\"\"\n"
		"__all__ = [\"listed\", \"K\"]\n\n"
		"def listed(a):\n    return a\n\n"
		"def unlisted(a):\n    return a\n\n"
		"class K:\n    \"\"\"K.\"\"\"\n\n"
		"    def m(self):\n        pass\n\n"
		"    def _p(self):\n        pass\n\n"
		"    def __repr__(self):\n        return ''\n\n"
		"    @property\n    def x(self):\n        \"\"\"X.\"\"\"\n\n"
		"    @x.setter\n    def x(self, v):\n        pass\n");
	wm_test_write(dir, "_private.py", "def f():\n    pass\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("", WM_SCOPE_ALL, NULL);
	/* listed, K.m, and _private.f (pydocstyle: a function's name decides, not its module). */
	ck_assert_uint_eq(count_rule(r, "missing-doc"), 3);
	ck_assert_str_eq(first(r, "missing-doc")->path, "_private.py");
	ck_assert_ptr_null(first(r, "missing-doc")->fix);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(python_stub_google)
{
	const char *src = "\"\"\"Module.\"\"\"\n\n\ndef add(a, b=1, *rest):\n    return a + b\n";
	wm_scan_result *r;

	wm_test_write(dir, "m.py", src);
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("docs:\n  fix:\n    stubs: true\n", WM_SCOPE_ALL, NULL);
	ck_assert_uint_eq(count_rule(r, "missing-doc"), 1);
	expect_fixed(r, "m.py", src,
		"\"\"\"Module.\"\"\"\n\n\ndef add(a, b=1, *rest):\n"
		"    \"\"\"TODO: describe add.\n\n"
		"    Args:\n        a: TODO.\n        b: TODO.\n        *rest: TODO.\n\n"
		"    Returns:\n        TODO.\n    \"\"\"\n"
		"    return a + b\n");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(python_stub_numpy_and_sphinx_follow_the_file)
{
	const char *np = "\"\"\"M.\n\nParameters\n----------\nx\n    y.\n\"\"\"\n\n"
		"class C:\n    \"\"\"C.\"\"\"\n\n    def go(self, n):\n        print(n)\n";
	const char *sx = "\"\"\"M.\n\n:param x: y.\n\"\"\"\n\n\ndef go(n):\n    print(n)\n";
	wm_scan_result *r;

	wm_test_write(dir, "np.py", np);
	wm_test_write(dir, "sx.py", sx);
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("docs:\n  fix:\n    stubs: true\n", WM_SCOPE_ALL, NULL);
	expect_fixed(r, "np.py", np,
		"\"\"\"M.\n\nParameters\n----------\nx\n    y.\n\"\"\"\n\n"
		"class C:\n    \"\"\"C.\"\"\"\n\n    def go(self, n):\n"
		"        \"\"\"TODO: describe go.\n\n"
		"        Parameters\n        ----------\n        n\n            TODO.\n        \"\"\"\n"
		"        print(n)\n");
	expect_fixed(r, "sx.py", sx,
		"\"\"\"M.\n\n:param x: y.\n\"\"\"\n\n\ndef go(n):\n"
		"    \"\"\"TODO: describe go.\n\n    :param n: TODO.\n    \"\"\"\n    print(n)\n");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(python_param_mismatch_in_three_styles)
{
	wm_scan_result *r;

	wm_test_write(dir, "m.py",
		"\"\"\"M.\"\"\"\n\n\n"
		"def g(alpha, *args, **kwargs):\n"
		"    \"\"\"G.\n\n    Args:\n        alpah: typo.\n        *args: more.\n        **kwargs: opts.\n    \"\"\"\n\n\n"
		"def n(x, y):\n"
		"    \"\"\"N.\n\n    Parameters\n    ----------\n    x, y : int\n        Both.\n    z : int\n        Gone.\n\n"
		"    Returns\n    -------\n    int\n    \"\"\"\n\n\n"
		"def s(self_, q):\n"
		"    \"\"\"S.\n\n    :param q: fine.\n    :param int self_: fine.\n    \"\"\"\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("", WM_SCOPE_ALL, NULL);
	/* alpah (extra), alpha (missing), z (extra); nothing for s. */
	ck_assert_uint_eq(count_rule(r, "doc-param-mismatch"), 3);
	ck_assert(any_message(r, "doc-param-mismatch", "'alpah' is not a parameter of g (did you mean 'alpha'?)"));
	wm_scan_result_free(r);
}
END_TEST

START_TEST(js_go_rust_c_stubs)
{
	const char *js = "export function f(a, b) {\n  return a;\n}\n";
	const char *go = "package p\n\nfunc Run(x int) {}\n";
	const char *rs = "//! Crate.\n\npub fn run() {}\n";
	const char *h = "#ifndef T_H\n#define T_H\nint t_open(const char *path);\n#endif\n";
	wm_scan_result *r;

	wm_test_write(dir, "a.js", js);
	wm_test_write(dir, "a.go", go);
	wm_test_write(dir, "src/lib.rs", rs);
	wm_test_write(dir, "include/t.h", h);
	wm_test_write(dir, "private.h", h);
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("docs:\n  fix:\n    stubs: true\n", WM_SCOPE_ALL, NULL);
	ck_assert_uint_eq(count_rule(r, "missing-doc"), 4);
	expect_fixed(r, "a.js", js,
		"/**\n * TODO: describe f.\n *\n * @param a TODO.\n * @param b TODO.\n * @returns TODO.\n */\n"
		"export function f(a, b) {\n  return a;\n}\n");
	expect_fixed(r, "a.go", go, "package p\n\n// Run TODO: describe.\nfunc Run(x int) {}\n");
	expect_fixed(r, "src/lib.rs", rs, "//! Crate.\n\n/// TODO: describe run.\npub fn run() {}\n");
	expect_fixed(r, "include/t.h", h,
		"#ifndef T_H\n#define T_H\n/**\n * TODO: describe t_open.\n *\n * @param path TODO.\n"
		" * @return TODO.\n */\nint t_open(const char *path);\n#endif\n");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(jsdoc_param_names)
{
	wm_scan_result *r;

	wm_test_write(dir, "a.ts",
		"/**\n * Do.\n * @param {number} count how many\n * @param opts.x a property\n */\n"
		"export function go(cnt: number, opts?: object): void {}\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("", WM_SCOPE_ALL, NULL);
	/* count is not a parameter (cnt is); cnt and opts are undocumented. */
	ck_assert_uint_eq(count_rule(r, "doc-param-mismatch"), 3);
	ck_assert_uint_eq(count_rule(r, "missing-doc"), 0);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(stale_signature_staged)
{
	wm_scan_result *r;

	wm_test_write(dir, "m.py", "\"\"\"M.\"\"\"\n\n\ndef f(a):\n    \"\"\"F of a.\"\"\"\n    return a\n\n\n"
		"def g(a):\n    \"\"\"G.\"\"\"\n    return a\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	wm_test_write(dir, "m.py", "\"\"\"M.\"\"\"\n\n\ndef f(a, b):\n    \"\"\"F of a.\"\"\"\n    return a\n\n\n"
		"def g(a, b):\n    \"\"\"G of a and b.\"\"\"\n    return a\n");
	wm_test_sh(dir, "git add .");
	r = run("", WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "doc-stale"), 1);
	ck_assert_uint_eq(first(r, "doc-stale")->line, 4);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(link_fix_after_rename)
{
	const char *readme = "# Top\n\nSee [the guide](docs/guide.md#install) and ![logo](img/logo.png).\n";
	const char *guide = "# Guide\n\n## Install\n\nBack to [top](../README.md#top).\n";
	wm_scan_result *r;

	wm_test_write(dir, "README.md", readme);
	wm_test_write(dir, "docs/guide.md", guide);
	wm_test_write(dir, "img/logo.png", "png");
	wm_test_sh(dir, "git add . && git commit -qm init");
	wm_test_sh(dir, "mkdir -p manual assets && git mv docs/guide.md manual/guide.md && git mv img/logo.png assets/logo.png");
	r = run("", WM_SCOPE_STAGED, NULL);
	/* README.md is not staged: the links into moved files are still found. */
	ck_assert_uint_eq(count_rule(r, "broken-link"), 2);
	expect_fixed(r, "README.md", readme,
		"# Top\n\nSee [the guide](manual/guide.md#install) and ![logo](assets/logo.png).\n");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(links_and_anchors)
{
	wm_scan_result *r;

	wm_test_write(dir, "README.md",
		"# Hello, World!\n\n## Hello, World!\n\n"
		"[a](#hello-world) [b](#hello-world-1) [c](#nope) [d](https://x.org/y) [e](docs/)\n"
		"[f](missing.md) `[g](nope.md)` [h](docs/x.md#section-two) [i](docs/x.md#three)\n\n"
		"```\n[j](nope.md)\n```\n\n[k][ref]\n\n[ref]: docs/gone.md\n");
	wm_test_write(dir, "docs/x.md", "# X\n\n## Section Two\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("", WM_SCOPE_ALL, NULL);
	/* c (anchor), f (file), i (anchor), k (reference definition). */
	ck_assert_uint_eq(count_rule(r, "broken-link"), 4);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(slugs_follow_github)
{
	wm_buf b = WM_BUF_INIT;
	const char *heading = "Héllo — World: `code` & 2_x";

	ck_assert_int_eq(docs__slug(&b, heading, strlen(heading)), 0);
	ck_assert_str_eq(b.ptr, "héllo--world-code--2_x");
	wm_buf_dispose(&b);
}
END_TEST

START_TEST(coverage_floor_and_metrics)
{
	wm_scan_result *r;
	size_t i;
	bool total = false;

	wm_test_write(dir, "m.py", "\"\"\"M.\"\"\"\n\n\ndef f():\n    pass\n\n\ndef g():\n    \"\"\"G.\"\"\"\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run("docs:\n  coverage:\n    floor: 80\n", WM_SCOPE_ALL, NULL);
	ck_assert_uint_eq(count_rule(r, "coverage-below-floor"), 1);
	ck_assert_ptr_nonnull(strstr(first(r, "coverage-below-floor")->message, "66.7%"));
	for (i = 0; i < r->nmetrics; i++)
		if (!r->metrics[i].path && r->metrics[i].value == 2 && r->metrics[i].total == 3)
			total = true;
	ck_assert(total);
	wm_scan_result_free(r);
	r = run("docs:\n  coverage:\n    floor: 60\n", WM_SCOPE_ALL, NULL);
	ck_assert_uint_eq(count_rule(r, "coverage-below-floor"), 0);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(coverage_ratchet_diff)
{
	wm_scan_result *r;

	wm_test_write(dir, "m.py", "\"\"\"M.\"\"\"\n\n\ndef f():\n    \"\"\"F.\"\"\"\n");
	wm_test_sh(dir, "git add . && git commit -qm init && git branch base && git checkout -qb topic");
	wm_test_write(dir, "m.py", "\"\"\"M.\"\"\"\n\n\ndef f():\n    \"\"\"F.\"\"\"\n\n\ndef g():\n    pass\n");
	wm_test_sh(dir, "git commit -qam more");
	r = run("docs:\n  coverage:\n    ratchet: true\n", WM_SCOPE_DIFF, "base");
	ck_assert_uint_eq(count_rule(r, "coverage-ratchet"), 1);
	wm_scan_result_free(r);
	r = run("", WM_SCOPE_DIFF, "base");
	ck_assert_uint_eq(count_rule(r, "coverage-ratchet"), 0);
	wm_scan_result_free(r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("docs");
	TCase *tc = tcase_create("docs");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, python_missing_public_only);
	tcase_add_test(tc, python_stub_google);
	tcase_add_test(tc, python_stub_numpy_and_sphinx_follow_the_file);
	tcase_add_test(tc, python_param_mismatch_in_three_styles);
	tcase_add_test(tc, js_go_rust_c_stubs);
	tcase_add_test(tc, jsdoc_param_names);
	tcase_add_test(tc, stale_signature_staged);
	tcase_add_test(tc, link_fix_after_rename);
	tcase_add_test(tc, links_and_anchors);
	tcase_add_test(tc, slugs_follow_github);
	tcase_add_test(tc, coverage_floor_and_metrics);
	tcase_add_test(tc, coverage_ratchet_diff);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(suite());
}
