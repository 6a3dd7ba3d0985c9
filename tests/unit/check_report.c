/*
 * check_report.c - the output formats: each one parsed back or matched
 * against what its reader (jq, GitHub code scanning, the Actions runner,
 * a person at a terminal) needs.
 *
 * Results are built by hand, with a fixture that has every awkward case:
 * a repository-wide finding, a fix, a tab-indented line with accents, an
 * invalid UTF-8 message, an escape sequence in a message, and paths that
 * need percent-encoding.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "alloc.h"
#include "testutil.h"
#include "wm/wm.h"

static const wm_rule_info import_rules[] = {
	{ "unresolved-import", WM_SEV_ERROR, "Import resolves nowhere",
	  "The module imported does not exist. Fix the path or add the dependency." },
	{ "unused-import", WM_SEV_WARNING, "Import is never used", NULL },
};
static const wm_rule_info doc_rules[] = {
	{ "missing-docstring", WM_SEV_INFO, "Public function without docstring",
	  "Public functions are documented so that callers know the contract." },
};
static const wm_rule_info drift_rules[] = {
	{ "version-drift", WM_SEV_CRITICAL, "Two files disagree on the version", NULL },
};
static const wm_detector imports_detector = { "imports", import_rules, 2, NULL, NULL, NULL };
static const wm_detector docs_detector = { "docs", doc_rules, 1, NULL, NULL, NULL };
static const wm_detector drift_detector = { "drift", drift_rules, 1, NULL, NULL, NULL };
static const wm_detector *const detectors[] = { &imports_detector, &docs_detector, &drift_detector };

/* Line 5 starts with a tab and has a two-byte 'é' before the '=' at column 10. */
static const char app_py[] =
	"import os\n"
	"# comment\n"
	"import foo.bar\n"
	"def f():\n"
	"\tréponse = 1\n";

static const char odd_md[] = "# Title\nSee \x1b[31mthis\xff link\n";

static int read_file(void *payload, const char *path, const char **data, size_t *size)
{
	(void)payload;
	if (!strcmp(path, "src/app.py")) {
		*data = app_py;
		*size = sizeof(app_py) - 1;
		return 0;
	}
	if (!strcmp(path, "docs/a b#1?.md")) {
		*data = odd_md;
		*size = sizeof(odd_md) - 1;
		return 0;
	}
	return -1;
}

static void add(wm_scan_result *r, const char *det, const char *rule, wm_severity sev,
	const char *path, uint32_t line, uint32_t col, uint32_t end_line, uint32_t end_col,
	const char *message, const wm_fix *fix)
{
	wm_finding f = WM_FINDING_INIT;

	f.detector = (char *)det;
	f.rule = (char *)rule;
	f.severity = sev;
	f.path = (char *)path;
	f.line = line;
	f.column = col;
	f.end_line = end_line;
	f.end_column = end_col;
	f.message = (char *)message;
	f.fix = (wm_fix *)fix;
	ck_assert_int_eq(wm_findings_add(&r->findings, &f), 0);
	r->summary.findings++;
	r->summary.by_severity[sev]++;
}

/* "foo.bar" is bytes 27..34 of app_py. */
static wm_edit import_edit = { "src/app.py", 27, 34, "foo.baz" };
static const wm_fix import_fix = { "import from the new module", &import_edit, 1 };

static void fixture(wm_scan_result *r)
{
	const wm_scan_result empty = { WM_FINDINGS_INIT, { 0 }, NULL, 0, NULL, NULL, 0, NULL };

	*r = empty;
	r->detectors = detectors;
	r->ndetectors = 3;
	/* Added out of order: the text format must group anyway. */
	add(r, "imports", "unresolved-import", WM_SEV_ERROR, "src/app.py", 3, 8, 3, 15,
		"unresolved import \"foo.bar\"", &import_fix);
	add(r, "docs", "missing-docstring", WM_SEV_INFO, "docs/a b#1?.md", 2, 5, 2, 9,
		"bad \xff byte \x1b[31mred", NULL);
	add(r, "drift", "version-drift", WM_SEV_CRITICAL, NULL, 0, 0, 0, 0,
		"pyproject.toml says 2.3.0, tag v2.2.9", NULL);
	add(r, "imports", "unused-import", WM_SEV_WARNING, "src/app.py", 5, 10, 5, 11,
		"50% done\r\nnext: line", NULL);
	add(r, "custom", "mystery-rule", WM_SEV_INFO, "src/é:x.py", 1, 1, 0, 0, "undeclared rule", NULL);
	r->summary.files = 14;
	r->summary.skipped = 1;
	r->summary.elapsed_ms = 35;
}

/* The output of one format, NUL-terminated; the caller frees it. */
static char *render(const wm_scan_result *r, const wm_report_options *opts)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	ck_assert_msg(wm_report_write(f, r, opts) == 0, "report failed: %s", wm_error_last());
	ck_assert_int_eq(fclose(f), 0);
	return text;
}

static char *render_format(const wm_scan_result *r, wm_format format)
{
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;

	opts.format = format;
	opts.tool_version = "0.1.0";
	opts.repo_root = "/tmp/my repo";
	opts.read = read_file;
	return render(r, &opts);
}

static json_t *parse(const char *text)
{
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);

	ck_assert_msg(root != NULL, "not JSON (%s at %d:%d): %s", err.text, err.line, err.column, text);
	return root;
}

static void assert_keys(json_t *obj, const char *const *keys, size_t n)
{
	const char *key;
	json_t *value;
	size_t i = 0;

	ck_assert_int_eq(json_object_size(obj), n);
	json_object_foreach(obj, key, value) {
		(void)value;
		ck_assert_str_eq(key, keys[i]);
		i++;
	}
}

START_TEST(format_names_parse)
{
	wm_format f;

	ck_assert_int_eq(wm_format_parse(&f, "sarif"), 0);
	ck_assert_int_eq(f, WM_FORMAT_SARIF);
	ck_assert_int_eq(wm_format_parse(&f, "github"), 0);
	ck_assert_int_eq(f, WM_FORMAT_GITHUB);
	ck_assert_int_eq(wm_format_parse(&f, "text"), 0);
	ck_assert_int_eq(f, WM_FORMAT_TEXT);
	ck_assert_int_eq(wm_format_parse(&f, "html"), 0);
	ck_assert_int_eq(f, WM_FORMAT_HTML);
	ck_assert_int_eq(wm_format_parse(&f, "pdf"), WM_ENOTFOUND);
	ck_assert_int_eq(wm_format_parse(&f, NULL), WM_ENOTFOUND);
}
END_TEST

START_TEST(json_has_the_documented_shape)
{
	static const char *const top[] = { "version", "findings", "summary" };
	static const char *const finding[] = { "detector", "rule", "severity", "path", "line",
		"column", "end_line", "end_column", "message", "fix" };
	static const char *const summary[] = { "files", "skipped", "findings", "by_severity", "elapsed_ms" };
	static const char *const sev[] = { "info", "warning", "error", "critical" };
	wm_scan_result r;
	char *text;
	json_t *root, *f0, *s;
	size_t i;

	fixture(&r);
	wm_findings_sort(&r.findings);
	text = render_format(&r, WM_FORMAT_JSON);
	root = parse(text);
	assert_keys(root, top, 3);
	ck_assert_int_eq(json_integer_value(json_object_get(root, "version")), 1);
	ck_assert_int_eq(json_array_size(json_object_get(root, "findings")), 5);
	for (i = 0; i < 5; i++)
		assert_keys(json_array_get(json_object_get(root, "findings"), i), finding, 10);

	/* Sorted: the repository-wide finding comes first, with nulls where nothing is known. */
	f0 = json_array_get(json_object_get(root, "findings"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(f0, "rule")), "version-drift");
	ck_assert_str_eq(json_string_value(json_object_get(f0, "severity")), "critical");
	ck_assert(json_is_null(json_object_get(f0, "path")));
	ck_assert(json_is_null(json_object_get(f0, "line")));
	ck_assert(json_is_null(json_object_get(f0, "fix")));

	s = json_object_get(root, "summary");
	assert_keys(s, summary, 5);
	assert_keys(json_object_get(s, "by_severity"), sev, 4);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "files")), 14);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "skipped")), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "findings")), 5);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(s, "by_severity"), "info")), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(s, "elapsed_ms")), 35);
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(json_carries_fixes_and_positions)
{
	static const char *const fix_keys[] = { "description", "edits" };
	static const char *const edit_keys[] = { "path", "start_byte", "end_byte", "replacement" };
	wm_scan_result r;
	json_t *root, *f, *fix, *edit;
	char *text;

	fixture(&r);
	text = render_format(&r, WM_FORMAT_JSON);
	root = parse(text);
	f = json_array_get(json_object_get(root, "findings"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(f, "detector")), "imports");
	ck_assert_str_eq(json_string_value(json_object_get(f, "path")), "src/app.py");
	ck_assert_int_eq(json_integer_value(json_object_get(f, "line")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(f, "column")), 8);
	ck_assert_int_eq(json_integer_value(json_object_get(f, "end_line")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(f, "end_column")), 15);
	ck_assert_str_eq(json_string_value(json_object_get(f, "message")), "unresolved import \"foo.bar\"");
	fix = json_object_get(f, "fix");
	assert_keys(fix, fix_keys, 2);
	ck_assert_str_eq(json_string_value(json_object_get(fix, "description")), "import from the new module");
	ck_assert_int_eq(json_array_size(json_object_get(fix, "edits")), 1);
	edit = json_array_get(json_object_get(fix, "edits"), 0);
	assert_keys(edit, edit_keys, 4);
	ck_assert_str_eq(json_string_value(json_object_get(edit, "path")), "src/app.py");
	ck_assert_int_eq(json_integer_value(json_object_get(edit, "start_byte")), 27);
	ck_assert_int_eq(json_integer_value(json_object_get(edit, "end_byte")), 34);
	ck_assert_str_eq(json_string_value(json_object_get(edit, "replacement")), "foo.baz");
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(json_replaces_invalid_utf8)
{
	wm_scan_result r;
	json_t *root, *f;
	char *text;

	fixture(&r);
	text = render_format(&r, WM_FORMAT_JSON);
	root = parse(text);
	f = json_array_get(json_object_get(root, "findings"), 1);
	/* The bad byte becomes U+FFFD; the rest, ESC included, is kept as data. */
	ck_assert_str_eq(json_string_value(json_object_get(f, "message")), "bad \xEF\xBF\xBD byte \x1b[31mred");
	f = json_array_get(json_object_get(root, "findings"), 4);
	ck_assert_str_eq(json_string_value(json_object_get(f, "path")), "src/é:x.py");
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(json_of_an_empty_run)
{
	const wm_scan_result r = { WM_FINDINGS_INIT, { 3, 0, 0, { 0 }, 2, 0 }, NULL, 0, NULL, NULL, 0, NULL };
	json_t *root;
	char *text;

	text = render_format(&r, WM_FORMAT_JSON);
	root = parse(text);
	ck_assert_int_eq(json_array_size(json_object_get(root, "findings")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(root, "summary"), "files")), 3);
	json_decref(root);
	free(text);
}
END_TEST

static json_t *sarif_run(json_t *root)
{
	return json_array_get(json_object_get(root, "runs"), 0);
}

static json_t *sarif_result(json_t *root, const char *rule)
{
	json_t *results = json_object_get(sarif_run(root), "results"), *r;
	size_t i;

	json_array_foreach(results, i, r) {
		if (!strcmp(json_string_value(json_object_get(r, "ruleId")), rule))
			return r;
	}
	ck_abort_msg("no result for %s", rule);
	return NULL;
}

static const char *uri_of(json_t *result)
{
	json_t *loc = json_array_get(json_object_get(result, "locations"), 0);

	return json_string_value(json_object_get(json_object_get(json_object_get(loc,
		"physicalLocation"), "artifactLocation"), "uri"));
}

START_TEST(sarif_has_the_structure_github_reads)
{
	wm_scan_result r;
	json_t *root, *run, *driver, *rules, *res;
	char *text;
	size_t i;

	fixture(&r);
	text = render_format(&r, WM_FORMAT_SARIF);
	root = parse(text);
	ck_assert_str_eq(json_string_value(json_object_get(root, "version")), "2.1.0");
	ck_assert_str_eq(json_string_value(json_object_get(root, "$schema")),
		"https://json.schemastore.org/sarif-2.1.0.json");
	ck_assert_int_eq(json_array_size(json_object_get(root, "runs")), 1);
	run = sarif_run(root);
	driver = json_object_get(json_object_get(run, "tool"), "driver");
	ck_assert_str_eq(json_string_value(json_object_get(driver, "name")), "wm");
	ck_assert_str_eq(json_string_value(json_object_get(driver, "version")), "0.1.0");
	ck_assert_str_eq(json_string_value(json_object_get(run, "columnKind")), "unicodeCodePoints");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_object_get(run,
		"originalUriBaseIds"), "%SRCROOT%"), "uri")), "file:///tmp/my%20repo/");
	ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(run, "invocations"), 0),
		"executionSuccessful")));

	/* Every declared rule, then the one only a finding names. */
	rules = json_object_get(driver, "rules");
	ck_assert_int_eq(json_array_size(rules), 5);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(rules, 0), "id")), "unresolved-import");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(rules, 0), "name")), "UnresolvedImport");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(rules, 0),
		"defaultConfiguration"), "level")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(json_array_get(rules, 2),
		"help"), "text")), "Public functions are documented so that callers know the contract.");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(rules, 4), "id")), "mystery-rule");

	/* ruleIndex points at the rule of the same id. */
	json_array_foreach(json_object_get(run, "results"), i, res) {
		json_t *rule = json_array_get(rules, (size_t)json_integer_value(json_object_get(res, "ruleIndex")));

		ck_assert_ptr_nonnull(rule);
		ck_assert_str_eq(json_string_value(json_object_get(rule, "id")),
			json_string_value(json_object_get(res, "ruleId")));
	}
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(sarif_maps_levels_locations_and_fixes)
{
	wm_scan_result r;
	json_t *root, *res, *region, *fix, *change, *rep;
	char *text;

	fixture(&r);
	text = render_format(&r, WM_FORMAT_SARIF);
	root = parse(text);
	ck_assert_str_eq(json_string_value(json_object_get(sarif_result(root, "version-drift"), "level")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(sarif_result(root, "unresolved-import"), "level")), "error");
	ck_assert_str_eq(json_string_value(json_object_get(sarif_result(root, "unused-import"), "level")), "warning");
	ck_assert_str_eq(json_string_value(json_object_get(sarif_result(root, "missing-docstring"), "level")), "note");

	/* Repository-wide: on the configuration file, line 1 (GitHub needs a location). */
	ck_assert_str_eq(uri_of(sarif_result(root, "version-drift")), ".wm.yml");

	res = sarif_result(root, "unresolved-import");
	ck_assert_str_eq(uri_of(res), "src/app.py");
	region = json_object_get(json_object_get(json_array_get(json_object_get(res, "locations"), 0),
		"physicalLocation"), "region");
	ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(region, "startColumn")), 8);
	ck_assert_int_eq(json_integer_value(json_object_get(region, "endLine")), 3);
	ck_assert_int_eq(json_integer_value(json_object_get(region, "endColumn")), 15);

	fix = json_array_get(json_object_get(res, "fixes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(fix, "description"), "text")),
		"import from the new module");
	change = json_array_get(json_object_get(fix, "artifactChanges"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(change, "artifactLocation"), "uri")),
		"src/app.py");
	rep = json_array_get(json_object_get(change, "replacements"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(rep, "deletedRegion"), "byteOffset")), 27);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(rep, "deletedRegion"), "byteLength")), 7);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(rep, "insertedContent"), "text")), "foo.baz");

	/* Only the start is known: no end in the region. */
	region = json_object_get(json_object_get(json_array_get(json_object_get(sarif_result(root,
		"mystery-rule"), "locations"), 0), "physicalLocation"), "region");
	ck_assert_int_eq(json_integer_value(json_object_get(region, "startLine")), 1);
	ck_assert_ptr_null(json_object_get(region, "endLine"));
	ck_assert_ptr_null(json_object_get(region, "endColumn"));
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(sarif_percent_encodes_uris)
{
	wm_scan_result r;
	json_t *root;
	char *text;

	fixture(&r);
	text = render_format(&r, WM_FORMAT_SARIF);
	root = parse(text);
	ck_assert_str_eq(uri_of(sarif_result(root, "missing-docstring")), "docs/a%20b%231%3F.md");
	/* Non-ASCII as UTF-8 octets; ':' too, or "src/é:x.py" could read as a scheme. */
	ck_assert_str_eq(uri_of(sarif_result(root, "mystery-rule")), "src/%C3%A9%3Ax.py");
	json_decref(root);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

/* Runs tests/sarif-validate.sh and returns its exit status. */
static int validate(const char *path, const char *node_modules)
{
	char cmd[8192];
	int rc;

	snprintf(cmd, sizeof(cmd), "WM_SOURCE_DIR='%s' WM_NODE_MODULES='%s' sh '%s/tests/sarif-validate.sh' '%s'",
		WM_SOURCE_DIR, node_modules, WM_SOURCE_DIR, path);
	rc = system(cmd);
	ck_assert_msg(rc != -1 && WIFEXITED(rc), "could not run %s", cmd);
	return WEXITSTATUS(rc);
}

static char *write_sarif(const char *dir, const wm_scan_result *r)
{
	char *path = malloc(strlen(dir) + 32), *text = render_format(r, WM_FORMAT_SARIF);

	sprintf(path, "%s/report.sarif", dir);
	wm_test_write(dir, "report.sarif", text);
	free(text);
	return path;
}

START_TEST(sarif_passes_the_validator)
{
	char *dir = wm_test_tmpdir(), *path;
	wm_scan_result r;

	fixture(&r);
	path = write_sarif(dir, &r);
	ck_assert_msg(validate(path, WM_NODE_MODULES) == 0, "the SARIF multitool found errors (see above)");
	free(path);
	wm_test_rmrf(dir);
	free(dir);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(sarif_passes_github_ingestion_rules)
{
	char *dir = wm_test_tmpdir(), *path, cmd[8192];
	wm_scan_result r;
	int rc;

	/*
	 * GitHub rejects a whole upload when one result has no location: the
	 * repository-wide finding of the fixture must pass too (see sarif.c).
	 */
	fixture(&r);
	path = write_sarif(dir, &r);
	snprintf(cmd, sizeof(cmd), "WM_SOURCE_DIR='%s' WM_NODE_MODULES='%s' sh '%s/tests/sarif-validate.sh' --github '%s'",
		WM_SOURCE_DIR, WM_NODE_MODULES, WM_SOURCE_DIR, path);
	rc = system(cmd);
	ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "GitHub ingestion rules found errors (see above)");
	free(path);
	wm_test_rmrf(dir);
	free(dir);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(sarif_validator_fails_broken_logs)
{
	char *dir = wm_test_tmpdir(), path[4200];

	/* Guards the guard: a log with a bad region must fail, a missing validator must not pass. */
	wm_test_write(dir, "bad.sarif", "{\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":{\"name\":\"x\"}},"
		"\"results\":[{\"message\":{\"text\":\"m.\"},\"locations\":[{\"physicalLocation\":"
		"{\"artifactLocation\":{\"uri\":\"a\"},\"region\":{\"startLine\":0}}}]}]}]}");
	snprintf(path, sizeof(path), "%s/bad.sarif", dir);
	ck_assert_int_eq(validate(path, WM_NODE_MODULES), 1);
	ck_assert_int_eq(validate(path, dir), 2);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(github_escapes_commands)
{
	wm_scan_result r;
	wm_finding *f;
	char *text;

	fixture(&r);
	f = &r.findings.items[r.findings.count - 1];
	wm_free(f->path);
	f->path = wm_strdup("a,b:c%.py");
	text = render_format(&r, WM_FORMAT_GITHUB);
	ck_assert_msg(strstr(text,
		"::error file=src/app.py,line=3,col=8,endLine=3,endColumn=15,title=unresolved-import::"
		"unresolved import \"foo.bar\"\n"), "%s", text);
	ck_assert_msg(strstr(text,
		"::warning file=src/app.py,line=5,col=10,endLine=5,endColumn=11,title=unused-import::"
		"50%25 done%0D%0Anext: line\n"), "%s", text);
	ck_assert_msg(strstr(text, "::notice file=a%2Cb%3Ac%25.py,line=1,col=1,title=mystery-rule::"), "%s", text);
	ck_assert_msg(strstr(text, "::error title=version-drift::pyproject.toml says 2.3.0, tag v2.2.9\n"), "%s", text);
	/* ESC would colour the log: it becomes U+FFFD. */
	ck_assert_msg(strstr(text, "::notice file=docs/a b#1?.md,line=2,col=5,endLine=2,endColumn=9,"
				   "title=missing-docstring::bad \xEF\xBF\xBD byte \xEF\xBF\xBD[31mred\n"), "%s", text);
	ck_assert_msg(!strchr(text, '\033'), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

static char *render_text(const wm_scan_result *r, bool color)
{
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;

	opts.color = color;
	opts.read = read_file;
	return render(r, &opts);
}

START_TEST(text_groups_by_file)
{
	wm_scan_result r;
	char *text, *repo, *docs, *app, *summary;

	fixture(&r);
	text = render_text(&r, false);
	repo = strstr(text, "(whole repository)\n");
	docs = strstr(text, "\ndocs/a b#1?.md\n");
	app = strstr(text, "\nsrc/app.py\n");
	summary = strstr(text, "✗ ");
	ck_assert_msg(repo && docs && app && summary, "%s", text);
	ck_assert_msg(repo < docs && docs < app && app < summary, "%s", text);
	/* One header per file, though its findings were not adjacent. */
	ck_assert_ptr_null(strstr(app + 1, "\nsrc/app.py\n"));
	ck_assert_msg(strstr(text, "  critical  pyproject.toml says 2.3.0, tag v2.2.9  [version-drift]\n"), "%s", text);
	ck_assert_msg(strstr(text, "  3:8   error     unresolved import \"foo.bar\"  [unresolved-import]\n"), "%s", text);
	ck_assert_msg(strstr(text, "  5:10  warning   50% done␍␊next: line  [unused-import]\n"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_folds_many_info_findings)
{
	const wm_scan_result empty = { WM_FINDINGS_INIT, { 0 }, NULL, 0, NULL, NULL, 0, NULL };
	wm_scan_result r = empty;
	char *text;
	int i;

	r.detectors = detectors;
	r.ndetectors = 3;
	add(&r, "imports", "unresolved-import", WM_SEV_ERROR, "src/app.py", 3, 8, 3, 15, "the one that matters", NULL);
	/* 50 hints are listed... */
	for (i = 0; i < 50; i++)
		add(&r, "imports", "hint-a", WM_SEV_INFO, "src/app.py", 4, 1, 4, 2, "hint", NULL);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "[hint-a]") && !strstr(text, "not listed"), "%s", text);
	free(text);
	/* ...51 and more are counted by rule, most first, and the rest still shown */
	for (i = 0; i < 21; i++)
		add(&r, "imports", "hint-b", WM_SEV_INFO, "src/b.py", 1, 1, 1, 2, "other hint", NULL);
	add(&r, "imports", "hint-c", WM_SEV_INFO, "src/c.py", 1, 1, 1, 2, "x", NULL);
	add(&r, "imports", "hint-d", WM_SEV_INFO, "src/d.py", 1, 1, 1, 2, "y", NULL);
	add(&r, "drift", "version-drift", WM_SEV_WARNING, "src/d.py", 2, 1, 2, 2, "still here", NULL);
	text = render_text(&r, false);
	ck_assert_msg(!strstr(text, "[hint-a]") && !strstr(text, "[hint-b]"), "%s", text);
	ck_assert_msg(strstr(text, "the one that matters") && strstr(text, "still here"), "%s", text);
	ck_assert_msg(strstr(text, "73 info findings not listed (50 hint-a, 21 hint-b, 1 hint-c, 1 more rule); "
		"--format json lists every finding\n"), "%s", text);
	ck_assert_msg(strstr(text, "73 info in"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_frames_the_line_with_a_caret)
{
	wm_scan_result r;
	char *text;

	fixture(&r);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "    3 | import foo.bar\n"
				   "      |        ^^^^^^^\n"), "%s", text);
	/* The tab is kept, 'é' is one cell though two bytes: the caret sits under '='. */
	ck_assert_msg(strstr(text, "    5 | \tréponse = 1\n"
				   "      | \t        ^\n"), "%s", text);
	/* Control characters and bad bytes of the source are shown, not sent. */
	ck_assert_msg(strstr(text, "    2 | See ␛[31mthis\xEF\xBF\xBD link\n"
				   "      |     ^^^^\n"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_shows_the_fix_as_a_diff)
{
	wm_scan_result r;
	char *text;

	fixture(&r);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "      fix: import from the new module\n"
				   "      - import foo.bar\n"
				   "      + import foo.baz\n"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_colours_only_when_asked)
{
	wm_scan_result r;
	char *text;

	fixture(&r);
	text = render_text(&r, false);
	/* Not even the ESC inside a finding's message gets through. */
	ck_assert_msg(!strchr(text, '\033'), "%s", text);
	ck_assert_msg(strstr(text, "bad \xEF\xBF\xBD byte ␛[31mred"), "%s", text);
	free(text);
	text = render_text(&r, true);
	ck_assert_msg(strstr(text, "\033[1;31merror"), "%s", text);
	ck_assert_msg(strstr(text, "\033[1msrc/app.py\033[0m"), "%s", text);
	ck_assert_msg(strstr(text, "␛[31mred"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_summary_says_whether_the_gate_fails)
{
	wm_scan_result r;
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;
	char *text;

	fixture(&r);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "\n✗ 1 critical, 1 error, 1 warning, 2 info in 14 files, 1 skipped (35 ms): "
				   "the gate fails (fail_on: error)\n"), "%s", text);
	free(text);

	opts.fail_on = WM_SEV_CRITICAL;
	r.summary.by_severity[WM_SEV_CRITICAL] = 0;
	r.summary.findings--;
	text = render(&r, &opts);
	ck_assert_msg(strstr(text, "✓ 1 error, 1 warning, 2 info in 14 files, 1 skipped (35 ms): "
				   "the gate passes (fail_on: critical)\n"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_of_a_clean_run)
{
	const wm_scan_result r = { WM_FINDINGS_INIT, { 1, 0, 0, { 0 }, 3, 0 }, NULL, 0, NULL, NULL, 0, NULL };
	char *text = render_text(&r, false);

	ck_assert_str_eq(text, "✓ no findings in 1 file (3 ms)\n");
	free(text);
}
END_TEST

static int read_payload(void *payload, const char *path, const char **data, size_t *size)
{
	(void)path;
	*data = payload;
	*size = strlen(payload);
	return 0;
}

START_TEST(text_cuts_long_lines_around_the_column)
{
	char line[302], want[400];
	wm_scan_result r = { WM_FINDINGS_INIT, { 0 }, NULL, 0, NULL, NULL, 0, NULL };
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;
	char *text;

	memset(line, 'a', 300);
	memcpy(line + 249, "TARGET", 6);
	line[300] = '\n';
	line[301] = '\0';
	add(&r, "x", "long", WM_SEV_ERROR, "long.txt", 1, 250, 1, 256, "long line", NULL);

	/* No reader: no frame, and no failure. */
	text = render(&r, &opts);
	ck_assert_ptr_null(strstr(text, " | "));
	free(text);

	/* The window ends with the line and starts 100 code points before, after an ellipsis. */
	opts.read = read_payload;
	opts.read_payload = line;
	text = render(&r, &opts);
	snprintf(want, sizeof(want), "    1 | …%.*sTARGET%.*s\n      | %50s^^^^^^\n", 49, line, 45, line, "");
	ck_assert_msg(strstr(text, want), "want:\n%s\ngot:\n%s", want, text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(text_diff_drops_unchanged_lines)
{
	/* Deletes "import os\n" and renames foo.bar two lines further down: one hunk. */
	wm_edit edits[] = { { "src/app.py", 27, 34, "foo.baz" }, { NULL, 0, 10, "" } };
	const wm_fix fix = { "tidy imports", edits, 2 };
	wm_scan_result r = { WM_FINDINGS_INIT, { 0 }, NULL, 0, NULL, NULL, 0, NULL };
	char *text;

	add(&r, "imports", "unused-import", WM_SEV_WARNING, "src/app.py", 1, 1, 1, 10, "unused", &fix);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "      fix: tidy imports\n"
				   "      - import os\n"
				   "      - # comment\n"
				   "      - import foo.bar\n"
				   "      + # comment\n"
				   "      + import foo.baz\n"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);

	/* A fix whose edits fall outside the file shows its description only. */
	edits[0].end_byte = 4000;
	add(&r, "imports", "unused-import", WM_SEV_WARNING, "src/app.py", 1, 1, 1, 10, "unused", &fix);
	text = render_text(&r, false);
	ck_assert_msg(strstr(text, "      fix: tidy imports\n\n✓"), "%s", text);
	free(text);
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(formats_report_allocation_failures)
{
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;
	wm_scan_result r;
	unsigned long n;
	char *text;
	size_t size;
	FILE *f;
	int fmt, rc;

	fixture(&r);
	opts.read = read_file;
	opts.repo_root = "/tmp/r";
	for (fmt = WM_FORMAT_TEXT; fmt <= WM_FORMAT_GITHUB; fmt++) {
		opts.format = (wm_format)fmt;
		/* Fail the 1st, 2nd, ... allocation until the report needs no more. */
		for (n = 1; n < 100000; n++) {
			text = NULL;
			f = open_memstream(&text, &size);
			ck_assert_ptr_nonnull(f);
			wm_alloc__fail_after(n);
			rc = wm_report_write(f, &r, &opts);
			wm_alloc__fail_after(0);
			fclose(f);
			free(text);
			if (rc == 0)
				break;
			ck_assert_msg(rc == WM_ENOMEM, "format %d, allocation %lu: %d %s", fmt, n, rc, wm_error_last());
		}
		ck_assert_msg(n > 1, "format %d allocates nothing through wm_alloc?", fmt);
	}
	wm_findings_dispose(&r.findings);
}
END_TEST

START_TEST(write_failures_are_reported)
{
	wm_report_options opts = WM_REPORT_OPTIONS_INIT;
	wm_scan_result r;
	FILE *f = fopen("/dev/full", "w");
	int fmt;

	if (!f)
		return;
	fixture(&r);
	for (fmt = WM_FORMAT_TEXT; fmt <= WM_FORMAT_GITHUB; fmt++) {
		opts.format = (wm_format)fmt;
		ck_assert_int_eq(wm_report_write(f, &r, &opts), WM_ERROR);
		ck_assert_msg(strstr(wm_error_last(), "report"), "%s", wm_error_last());
		clearerr(f);
	}
	fclose(f);
	wm_findings_dispose(&r.findings);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_test(tc, format_names_parse);
	suite_add_tcase(s, tc);

	tc = tcase_create("json");
	tcase_add_test(tc, json_has_the_documented_shape);
	tcase_add_test(tc, json_carries_fixes_and_positions);
	tcase_add_test(tc, json_replaces_invalid_utf8);
	tcase_add_test(tc, json_of_an_empty_run);
	suite_add_tcase(s, tc);

	tc = tcase_create("sarif");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, sarif_has_the_structure_github_reads);
	tcase_add_test(tc, sarif_maps_levels_locations_and_fixes);
	tcase_add_test(tc, sarif_percent_encodes_uris);
	tcase_add_test(tc, sarif_passes_the_validator);
	tcase_add_test(tc, sarif_passes_github_ingestion_rules);
	tcase_add_test(tc, sarif_validator_fails_broken_logs);
	suite_add_tcase(s, tc);

	tc = tcase_create("github");
	tcase_add_test(tc, github_escapes_commands);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, text_groups_by_file);
	tcase_add_test(tc, text_folds_many_info_findings);
	tcase_add_test(tc, text_frames_the_line_with_a_caret);
	tcase_add_test(tc, text_shows_the_fix_as_a_diff);
	tcase_add_test(tc, text_colours_only_when_asked);
	tcase_add_test(tc, text_summary_says_whether_the_gate_fails);
	tcase_add_test(tc, text_of_a_clean_run);
	tcase_add_test(tc, text_cuts_long_lines_around_the_column);
	tcase_add_test(tc, text_diff_drops_unchanged_lines);
	suite_add_tcase(s, tc);

	tc = tcase_create("failures");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, formats_report_allocation_failures);
	tcase_add_test(tc, write_failures_are_reported);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(report_suite());
}
