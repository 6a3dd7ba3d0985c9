/*
 * check_drift.c - the drift detector's parts: versions and ranges per
 * ecosystem, each file kind's extraction to the exact byte, and fixes that
 * reproduce the expected file when applied.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "drift.h"
#include "testutil.h"

/* --- an in-memory edit applier (what lib/fix will do on disk) ------------ */

static int cmp_edit(const void *a, const void *b)
{
	const wm_edit *x = a, *y = b;

	return x->start_byte < y->start_byte ? -1 : x->start_byte > y->start_byte;
}

/* Apply non-overlapping edits to data; the result in out. */
static int apply_edits(wm_buf *out, const char *data, size_t size, const wm_edit *edits, size_t n)
{
	wm_edit *sorted = calloc(n ? n : 1, sizeof(*sorted));
	size_t i, at = 0;
	int error = 0;

	memcpy(sorted, edits, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_edit);
	for (i = 0; i < n && !error; i++) {
		if (sorted[i].start_byte < at || sorted[i].end_byte > size || sorted[i].end_byte < sorted[i].start_byte) {
			error = WM_EUSAGE;
			break;
		}
		if ((error = wm_buf_put(out, data + at, sorted[i].start_byte - at)) < 0 ||
		    (error = wm_buf_puts(out, sorted[i].replacement)) < 0)
			break;
		at = sorted[i].end_byte;
	}
	if (!error)
		error = wm_buf_put(out, data + at, size - at);
	free(sorted);
	return error;
}

/* Extract one file and check its first value's text and that the range holds exactly it. */
static drift_extract extract(drift_kind kind, const char *path, const char *data)
{
	drift_extract x;

	ck_assert_int_eq(drift_extract_file(&x, kind, path, data, strlen(data)), 0);
	return x;
}

static void expect_value(const char *path, const char *data, const char *version, const char *note)
{
	drift_extract x = extract(drift_kind_of(path), path, data);

	ck_assert_msg(x.nvalues >= 1, "%s: no value", path);
	ck_assert_str_eq(x.values[0].text, version);
	ck_assert_int_eq(x.values[0].end - x.values[0].start, strlen(version));
	ck_assert(!memcmp(data + x.values[0].start, version, strlen(version)));
	if (note)
		ck_assert_str_eq(x.values[0].note, note);
	drift_extract_dispose(&x);
}

static void expect_none(const char *path, const char *data)
{
	drift_extract x = extract(drift_kind_of(path), path, data);

	ck_assert_msg(x.nvalues == 0, "%s: unexpected value %s", path, x.nvalues ? x.values[0].text : "");
	drift_extract_dispose(&x);
}

/* Rewrite the first value of a file with `replacement` and compare to `expected`. */
static void expect_fix(const char *path, const char *data, const char *replacement, const char *expected)
{
	drift_extract x = extract(drift_kind_of(path), path, data);
	wm_buf out = WM_BUF_INIT;
	wm_edit e;

	ck_assert(x.nvalues >= 1);
	e.path = (char *)path;
	e.start_byte = x.values[0].start;
	e.end_byte = x.values[0].end;
	e.replacement = (char *)replacement;
	ck_assert_int_eq(apply_edits(&out, data, strlen(data), &e, 1), 0);
	ck_assert_str_eq(out.ptr, expected);
	wm_buf_dispose(&out);
	drift_extract_dispose(&x);
}

/* --- versions ------------------------------------------------------------ */

static int vcmp(const char *a, const char *b)
{
	drift_ver x, y;

	ck_assert_msg(drift_ver_parse(&x, a, strlen(a)) == 0, "parse %s", a);
	ck_assert_msg(drift_ver_parse(&y, b, strlen(b)) == 0, "parse %s", b);
	return drift_ver_cmp(&x, &y);
}

START_TEST(versions_order_like_pep440_and_semver)
{
	ck_assert_int_lt(vcmp("1.0.dev1", "1.0a1"), 0);
	ck_assert_int_lt(vcmp("1.0a1", "1.0b2"), 0);
	ck_assert_int_lt(vcmp("1.0b2", "1.0rc1"), 0);
	ck_assert_int_lt(vcmp("1.0rc1", "1.0"), 0);
	ck_assert_int_lt(vcmp("1.0", "1.0.post1"), 0);
	ck_assert_int_lt(vcmp("1.0a1.dev1", "1.0a1"), 0);
	ck_assert_int_eq(vcmp("1.0", "1.0.0"), 0);
	ck_assert_int_eq(vcmp("v1.2.3", "1.2.3"), 0);
	ck_assert_int_eq(vcmp("1.2.3rc1", "1.2.3-rc.1"), 0);
	ck_assert_int_eq(vcmp("1.2.3-alpha.2", "1.2.3a2"), 0);
	ck_assert_int_lt(vcmp("1.2.3-beta", "1.2.3"), 0);
	ck_assert_int_lt(vcmp("1.9.0", "1.10.0"), 0);
	ck_assert_int_lt(vcmp("2.0.0", "1!0.1"), 0);
	ck_assert_int_eq(vcmp("1.2.3+build.5", "1.2.3"), 0);
	ck_assert_int_lt(vcmp("1.2.3-SNAPSHOT", "1.2.3"), 0);
}
END_TEST

START_TEST(versions_validate_per_ecosystem)
{
	ck_assert(drift_ver_valid(DRIFT_PEP440, "1.2.3", 5));
	ck_assert(drift_ver_valid(DRIFT_PEP440, "2.0.0rc1", 8));
	ck_assert(drift_ver_valid(DRIFT_PEP440, "1.0.post1.dev3", 14));
	ck_assert(drift_ver_valid(DRIFT_PEP440, "1.0+local.1", 11));
	ck_assert(!drift_ver_valid(DRIFT_PEP440, "1.0.0-SNAPSHOT", 14));
	ck_assert(!drift_ver_valid(DRIFT_PEP440, "v1.0", 4));
	ck_assert(!drift_ver_valid(DRIFT_PEP440, "one", 3));
	ck_assert(drift_ver_valid(DRIFT_SEMVER, "1.2.3", 5));
	ck_assert(drift_ver_valid(DRIFT_SEMVER, "1.2.3-rc.1+build.7", 18));
	ck_assert(!drift_ver_valid(DRIFT_SEMVER, "1.2", 3));
	ck_assert(!drift_ver_valid(DRIFT_SEMVER, "01.2.3", 6));
	ck_assert(!drift_ver_valid(DRIFT_SEMVER, "1.2.3-01", 8));
	ck_assert(!drift_ver_valid(DRIFT_SEMVER, "1.2.3rc1", 8));
	ck_assert(!drift_ver_valid(DRIFT_SEMVER, "v1.2.3", 6));
	ck_assert(drift_ver_valid(DRIFT_NUMERIC, "1.2.3.4", 7));
	ck_assert(!drift_ver_valid(DRIFT_NUMERIC, "1.2.3-rc1", 9));
}
END_TEST

static char *render(drift_scheme scheme, const char *text)
{
	wm_buf out = WM_BUF_INIT;
	drift_ver v;

	ck_assert_int_eq(drift_ver_parse(&v, text, strlen(text)), 0);
	ck_assert_int_eq(drift_ver_render(&out, scheme, &v, text), 0);
	return wm_buf_detach(&out);
}

START_TEST(versions_render_for_the_target_ecosystem)
{
	char *s;

	ck_assert_str_eq((s = render(DRIFT_SEMVER, "1.2.3rc1")), "1.2.3-rc.1");
	wm_free(s);
	ck_assert_str_eq((s = render(DRIFT_PEP440, "1.2.3-rc.1")), "1.2.3rc1");
	wm_free(s);
	ck_assert_str_eq((s = render(DRIFT_PEP440, "1.2.3-beta.2")), "1.2.3b2");
	wm_free(s);
	ck_assert_str_eq((s = render(DRIFT_NUMERIC, "1.2.3rc1")), "1.2.3");
	wm_free(s);
	ck_assert_str_eq((s = render(DRIFT_LOOSE, "2.0.0rc1")), "2.0.0rc1");
	wm_free(s);
	ck_assert_str_eq((s = render(DRIFT_SEMVER, "1.2.3")), "1.2.3");
	wm_free(s);
}
END_TEST

static int admits(drift_scheme eco, const char *range, const char *version)
{
	drift_ver v;

	ck_assert_int_eq(drift_ver_parse(&v, version, strlen(version)), 0);
	return drift_range_admits(eco, range, strlen(range), &v);
}

START_TEST(ranges_npm)
{
	ck_assert_int_eq(admits(DRIFT_SEMVER, "^1.2.0", "1.9.9"), 1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "^1.2.0", "2.0.0"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "^0.2.3", "0.3.0"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "^0.0.3", "0.0.4"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "~1.2.3", "1.2.9"), 1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "~1.2.3", "1.3.0"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "1.2.3", "1.2.4"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "1.x", "1.5.0"), 1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, ">=1.0.0 <2.0.0", "2.0.0"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "^1.0.0 || ^2.0.0", "2.1.0"), 1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "1.0.0 - 1.4", "1.4.9"), 1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "1.0.0 - 1.4", "1.5.0"), 0);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "workspace:*", "1.0.0"), -1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "file:../a", "1.0.0"), -1);
	ck_assert_int_eq(admits(DRIFT_SEMVER, "*", "1.0.0"), -1);
}
END_TEST

START_TEST(ranges_cargo_and_pep440)
{
	ck_assert_int_eq(admits(DRIFT_NUMERIC, "1.2", "1.9.0"), 1);
	ck_assert_int_eq(admits(DRIFT_NUMERIC, "0.2", "0.3.0"), 0);
	ck_assert_int_eq(admits(DRIFT_NUMERIC, "=1.0.171", "1.0.172"), 0);
	ck_assert_int_eq(admits(DRIFT_NUMERIC, ">=1, <2", "1.5.0"), 1);
	ck_assert_int_eq(admits(DRIFT_PEP440, ">=1.2,<2", "2.0"), 0);
	ck_assert_int_eq(admits(DRIFT_PEP440, "~=1.4", "1.9"), 1);
	ck_assert_int_eq(admits(DRIFT_PEP440, "~=1.4.5", "1.5.0"), 0);
	ck_assert_int_eq(admits(DRIFT_PEP440, "==1.*", "1.7"), 1);
	ck_assert_int_eq(admits(DRIFT_PEP440, "==2.0", "2.0.0"), 1);
}
END_TEST

START_TEST(ranges_retarget_keeps_the_operator)
{
	wm_buf out = WM_BUF_INIT;

	ck_assert_int_eq(drift_range_retarget(&out, "^1.2.0", 6, "1.3.0"), 0);
	ck_assert_str_eq(out.ptr, "^1.3.0");
	wm_buf_clear(&out);
	ck_assert_int_eq(drift_range_retarget(&out, "=1.0.171", 8, "1.0.172"), 0);
	ck_assert_str_eq(out.ptr, "=1.0.172");
	wm_buf_clear(&out);
	ck_assert_int_eq(drift_range_retarget(&out, ">= 1.0", 6, "2.0"), 0);
	ck_assert_str_eq(out.ptr, ">= 2.0");
	ck_assert_int_eq(drift_range_retarget(&out, "<2", 2, "3.0"), WM_ENOTFOUND);
	ck_assert_int_eq(drift_range_retarget(&out, ">=1,<2", 6, "3.0"), WM_ENOTFOUND);
	wm_buf_dispose(&out);
}
END_TEST

/* --- extraction, per kind ---------------------------------------------------- */

START_TEST(extract_pyproject)
{
	const char *doc = "[build-system]\nrequires = [\"setuptools\"]\n\n[project]\nname = \"demo\"\n"
		"# version = \"0.0.1\"\nversion = \"2.3.0\"  # the release\ndependencies = [\"demo-core>=2.3,<3\"]\n";
	drift_extract x = extract(DRIFT_PYPROJECT, "pyproject.toml", doc);

	ck_assert_int_eq(x.nvalues, 1);
	ck_assert_str_eq(x.values[0].text, "2.3.0");
	ck_assert_str_eq(x.manifest.name, "demo");
	ck_assert_int_eq(x.manifest.ndeps, 1);
	ck_assert_str_eq(x.manifest.deps[0].name, "demo-core");
	ck_assert_str_eq(x.manifest.deps[0].range, ">=2.3,<3");
	ck_assert(!memcmp(doc + x.manifest.deps[0].start, ">=2.3,<3", 8));
	drift_extract_dispose(&x);
	expect_value("pyproject.toml", "[tool.poetry]\nname = 'p'\nversion = '1.0.0'\n", "1.0.0", "[tool.poetry].version");
	expect_fix("pyproject.toml", "[project]\r\nversion = \"1.0\" # keep\r\n", "1.1",
		"[project]\r\nversion = \"1.1\" # keep\r\n");
}
END_TEST

START_TEST(extract_pyproject_dynamic)
{
	drift_extract x = extract(DRIFT_PYPROJECT, "pyproject.toml",
		"[project]\nname = \"r\"\ndynamic = [\"version\"]\n[tool.setuptools.dynamic]\n"
		"version = {attr = \"r.__version__.__version__\"}\n");

	ck_assert_int_eq(x.nvalues, 0);
	ck_assert(x.manifest.dynamic);
	ck_assert_str_eq(x.manifest.dynamic_attr, "r.__version__.__version__");
	drift_extract_dispose(&x);
	x = extract(DRIFT_PYPROJECT, "pyproject.toml",
		"[project]\nname = \"s\"\ndynamic = [\"version\"]\n[tool.setuptools_scm]\n");
	ck_assert(x.manifest.from_tags);
	drift_extract_dispose(&x);
	x = extract(DRIFT_PYPROJECT, "pyproject.toml",
		"[project]\ndynamic = ['version']\n[tool.hatch.version]\npath = \"src/h/__about__.py\"\n");
	ck_assert_str_eq(x.manifest.dynamic_file, "src/h/__about__.py");
	drift_extract_dispose(&x);
}
END_TEST

START_TEST(extract_setup_cfg_and_setup_py)
{
	drift_extract x;

	expect_value("setup.cfg", "[metadata]\nname = x\nversion = 1.4.0\n\n[options]\nversion = 9\n", "1.4.0",
		"[metadata] version");
	x = extract(DRIFT_SETUP_CFG, "setup.cfg", "[metadata]\nversion = attr: pkg.__version__\n");
	ck_assert_int_eq(x.nvalues, 0);
	ck_assert_str_eq(x.manifest.dynamic_attr, "pkg.__version__");
	drift_extract_dispose(&x);
	expect_value("setup.py", "from setuptools import setup\n\nsetup(\n    name='x',\n    version=\"0.9.1\",\n)\n",
		"0.9.1", NULL);
	x = extract(DRIFT_SETUP_PY, "setup.py", "import setuptools\nsetuptools.setup(version=about['v'])\n");
	ck_assert_int_eq(x.nvalues, 0);
	ck_assert(x.manifest.dynamic);
	drift_extract_dispose(&x);
}
END_TEST

START_TEST(extract_python_version_module)
{
	expect_value("pkg/__init__.py", "\"\"\"Doc.\"\"\"\nimport os\n\n__version__ = '3.1.3'\n", "3.1.3", "__version__");
	expect_value("pkg/_version.py", "__version__: str = \"1.0.0b1\"\n", "1.0.0b1", NULL);
	/* A version inside a function or computed is not the module's. */
	expect_none("pkg/__init__.py", "def f():\n    __version__ = '1.0'\n");
	expect_none("pkg/__init__.py", "__version__ = get_version()\n");
	expect_none("pkg/__init__.py", "__version__ = f'{MAJOR}.0'\n");
}
END_TEST

START_TEST(extract_package_json)
{
	const char *doc = "{\n  \"name\": \"@a/web\",\n  \"version\": \"1.4.0\",\n  \"private\": true,\n"
		"  \"workspaces\": [\"packages/*\"],\n  \"dependencies\": { \"@a/core\": \"^1.2.0\", \"x\": \"2\" }\n}\n";
	drift_extract x = extract(DRIFT_PACKAGE_JSON, "package.json", doc);

	ck_assert_int_eq(x.nvalues, 1);
	ck_assert_str_eq(x.values[0].text, "1.4.0");
	ck_assert_str_eq(x.manifest.name, "@a/web");
	ck_assert(x.manifest.private_pkg);
	ck_assert_int_eq(x.manifest.nmembers, 1);
	ck_assert_str_eq(x.manifest.members[0], "packages/*");
	ck_assert_int_eq(x.manifest.ndeps, 2);
	ck_assert_str_eq(x.manifest.deps[0].range, "^1.2.0");
	drift_extract_dispose(&x);
	/* A nested "version" (engines, a dependency) is not the package's. */
	expect_none("package.json", "{\"engines\": {\"version\": \"1.0.0\"}}\n");
}
END_TEST

START_TEST(extract_cargo)
{
	const char *doc = "[package]\nname = \"core\"\nversion = \"0.4.1\"\n\n[dependencies]\n"
		"macros = { version = \"=0.4.0\", path = \"../macros\" }\nserde = \"1\"\n"
		"[dependencies.renamed]\npackage = \"util\"\nversion = \"0.1\"\n";
	drift_extract x = extract(DRIFT_CARGO, "core/Cargo.toml", doc);
	size_t i;
	bool macros = false, util = false;

	ck_assert_int_eq(x.nvalues, 1);
	ck_assert_str_eq(x.values[0].text, "0.4.1");
	for (i = 0; i < x.manifest.ndeps; i++) {
		if (!strcmp(x.manifest.deps[i].name, "macros"))
			macros = !strcmp(x.manifest.deps[i].range, "=0.4.0");
		if (!strcmp(x.manifest.deps[i].name, "util"))
			util = !strcmp(x.manifest.deps[i].range, "0.1");
	}
	ck_assert(macros && util);
	drift_extract_dispose(&x);
	x = extract(DRIFT_CARGO, "m/Cargo.toml", "[package]\nname = \"m\"\nversion.workspace = true\n");
	ck_assert(x.manifest.from_workspace);
	ck_assert_int_eq(x.nvalues, 0);
	drift_extract_dispose(&x);
	expect_value("Cargo.toml", "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nversion = \"2.0.0\"\n",
		"2.0.0", "[workspace.package].version");
}
END_TEST

START_TEST(extract_build_files)
{
	expect_value("CMakeLists.txt", "# project(old VERSION 0.1)\ncmake_minimum_required(VERSION 3.10)\n"
		"project(demo\n  VERSION 2.3.0\n  LANGUAGES C)\n", "2.3.0", NULL);
	expect_value("CMakeLists.txt", "project(\"demo\" VERSION \"1.2\")\n", "1.2", NULL);
	expect_none("CMakeLists.txt", "project(demo VERSION ${V})\n");
	expect_none("CMakeLists.txt", "set(x \"project(a VERSION 9.9)\")\nproject(demo C)\n");
	expect_value("configure.ac", "dnl AC_INIT([no], [0.0])\nAC_INIT([demo], [2.3.0], [bugs@x.org])\n", "2.3.0", NULL);
	expect_none("configure.ac", "AC_INIT([curl], [-])\n");
	expect_none("configure.ac", "AC_INIT([x], m4_esyscmd([./v.sh]))\n");
	expect_value("meson.build", "# project('x', version: '0')\nproject('demo', 'c',\n  version : '2.3.0',\n"
		"  default_options : ['warning_level=3'])\n", "2.3.0", NULL);
	expect_value("demo.gemspec", "Gem::Specification.new do |s|\n  s.name = 'demo'\n  s.version = \"2.3.0\"\nend\n",
		"2.3.0", NULL);
	expect_none("demo.gemspec", "Gem::Specification.new do |s|\n  s.version = Demo::VERSION\nend\n");
	expect_value("pom.xml", "<?xml version=\"1.0\"?>\n<project>\n  <parent><version>9.9</version></parent>\n"
		"  <!-- <version>0.0</version> -->\n  <artifactId>demo</artifactId>\n  <version> 2.3.0 </version>\n"
		"  <dependencies><dependency><version>1.0</version></dependency></dependencies>\n</project>\n",
		"2.3.0", NULL);
	expect_value("VERSION", "2.3.0\n", "2.3.0", NULL);
	expect_value("version.txt", "v2.3.0\r\n", "2.3.0", NULL);
	expect_none("VERSION", "see the manifest\n");
	expect_value("charts/demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: \"0.5.0\"\nappVersion: 2.3.0\n",
		"0.5.0", "version");
}
END_TEST

START_TEST(extract_readme_and_changelog)
{
	drift_extract x;

	expect_value("README.md", "# Demo\n\n**Version:** 2.3.0\n", "2.3.0", NULL);
	expect_value("README.md", "[![v](https://img.shields.io/badge/version-v2.3.0-blue.svg)](x)\n", "2.3.0",
		"version badge");
	expect_none("README.md", "Requires Python version 3.8 or later.\n");

	x = extract(DRIFT_CHANGELOG, "CHANGELOG.md", "# Changelog\n\n```\n## 9.9.9\n```\n\n## [Unreleased]\n\n"
		"## [2.3.0] - 2024-05-01\n\n- x\n\n## [2.2.0] - 2024-01-01\n");
	ck_assert_int_eq(x.nheadings, 2);
	ck_assert_str_eq(x.headings[0], "2.3.0");
	ck_assert_str_eq(x.heading_prefix, "[");
	ck_assert_str_eq(x.heading_suffix, "]");
	ck_assert_int_eq(x.atx_level, 2);
	drift_extract_dispose(&x);
	x = extract(DRIFT_CHANGELOG, "CHANGES.rst", "Version 3.1.3\n-------------\n\nReleased 2026-02-18\n");
	ck_assert_int_eq(x.nheadings, 1);
	ck_assert_int_eq(x.heading_style, 2);
	ck_assert_str_eq(x.heading_prefix, "Version ");
	drift_extract_dispose(&x);
	x = extract(DRIFT_CHANGELOG, "History.md", "unreleased\n==========\n\n5.2.1 / 2025-12-01\n==================\n");
	ck_assert_int_eq(x.nheadings, 1);
	ck_assert_str_eq(x.headings[0], "5.2.1");
	ck_assert_int_eq(x.insert_at, 23);
	drift_extract_dispose(&x);
}
END_TEST

START_TEST(fixes_rewrite_only_the_value)
{
	expect_fix("package.json", "{\n\t\"name\": \"a\",\n\t\"version\": \"1.0.0\"\n}\n", "1.1.0",
		"{\n\t\"name\": \"a\",\n\t\"version\": \"1.1.0\"\n}\n");
	expect_fix("pkg/__init__.py", "__version__ = '1.0'  # bumped by release.sh\n", "1.0.1",
		"__version__ = '1.0.1'  # bumped by release.sh\n");
	expect_fix("CMakeLists.txt", "project(x VERSION 1.0.0)\r\n", "1.2.0", "project(x VERSION 1.2.0)\r\n");
	expect_fix("version.txt", "v1.0.0\n", "1.0.1", "v1.0.1\n");
	expect_fix("Cargo.toml", "[package]\nversion = '''1.0.0'''\n", "1.0.1", "[package]\nversion = '''1.0.1'''\n");
}
END_TEST

Suite *drift_suite(void)
{
	Suite *s = suite_create("drift");
	TCase *tc = tcase_create("versions");

	tcase_add_test(tc, versions_order_like_pep440_and_semver);
	tcase_add_test(tc, versions_validate_per_ecosystem);
	tcase_add_test(tc, versions_render_for_the_target_ecosystem);
	tcase_add_test(tc, ranges_npm);
	tcase_add_test(tc, ranges_cargo_and_pep440);
	tcase_add_test(tc, ranges_retarget_keeps_the_operator);
	suite_add_tcase(s, tc);
	tc = tcase_create("extract");
	tcase_add_test(tc, extract_pyproject);
	tcase_add_test(tc, extract_pyproject_dynamic);
	tcase_add_test(tc, extract_setup_cfg_and_setup_py);
	tcase_add_test(tc, extract_python_version_module);
	tcase_add_test(tc, extract_package_json);
	tcase_add_test(tc, extract_cargo);
	tcase_add_test(tc, extract_build_files);
	tcase_add_test(tc, extract_readme_and_changelog);
	tcase_add_test(tc, fixes_rewrite_only_the_value);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(drift_suite());
}
