/*
 * check_config.c - `.wm.yml` parsing, validation, lookups and globs.
 *
 * Error messages are asserted whole, positions included: they are the user
 * interface of a configuration error, and a column that drifts is a bug.
 */
#include <check.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "config.h"
#include "testutil.h"
#include "wm/buf.h"
#include "wm/error.h"

static wm_config *parse_ok(const char *yaml)
{
	wm_config *cfg = NULL;
	int rc = wm_config_parse(&cfg, ".wm.yml", yaml, strlen(yaml));

	ck_assert_msg(rc == 0, "parse failed (%d): %s\n--- input:\n%s", rc, wm_error_last(), yaml);
	ck_assert_ptr_nonnull(cfg);
	return cfg;
}

static void parse_fails(const char *yaml, size_t len, const char *message)
{
	wm_config *cfg = (wm_config *)1;
	int rc;

	/* 0: the length of a C string */
	rc = wm_config_parse(&cfg, ".wm.yml", yaml, len ? len : strlen(yaml));
	ck_assert_msg(rc == WM_ECONFIG, "expected WM_ECONFIG, got %d (%s)\n--- input:\n%s",
		rc, wm_error_last(), yaml);
	ck_assert_ptr_null(cfg);
	if (message)
		ck_assert_str_eq(wm_error_last(), message);
}

static void assert_defaults(const wm_config *cfg)
{
	size_t n = 99;

	ck_assert_int_eq(wm_config_fail_on(cfg), WM_SEV_ERROR);
	ck_assert_str_eq(wm_config_string(cfg, "fail_on"), "error");
	ck_assert_ptr_null(wm_config_list(cfg, "paths.include", &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(wm_config_list(cfg, "paths.exclude", &n));
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), 1048576);
	ck_assert(wm_config_bool(cfg, "detectors.syntax.enabled"));
	ck_assert(wm_config_detector_enabled(cfg, "syntax"));
	ck_assert_ptr_null(wm_config_list(cfg, "detectors.syntax.exclude", &n));
	ck_assert_ptr_null(wm_config_string(cfg, "detectors.syntax.severity.parse-error"));
	ck_assert_int_eq(wm_config_severity(cfg, "syntax", "parse-error", "python", WM_SEV_WARNING),
		WM_SEV_WARNING);
	ck_assert(!wm_config_path_excluded(cfg, "src/main.c"));
}

/*
 * Defaults
 */

START_TEST(defaults_without_a_file)
{
	char *dir = wm_test_tmpdir();
	char path[4200];
	wm_config *cfg = NULL;

	snprintf(path, sizeof(path), "%s/.wm.yml", dir);
	ck_assert_int_eq(wm_config_load(&cfg, path), 0);
	assert_defaults(cfg);
	ck_assert_int_eq(wm_config_check_detectors(cfg, NULL, 0), 0);
	wm_config_free(cfg);

	ck_assert_int_eq(wm_config_default(&cfg), 0);
	assert_defaults(cfg);
	wm_config_free(cfg);
	wm_config_free(NULL);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(defaults_with_an_empty_file)
{
	static const char *const empties[] = {
		"", "\n", "# only a comment\n", "---\n", "--- ~\n", "null\n", "---\n...\n", "\xef\xbb\xbf"
	};
	char *dir = wm_test_tmpdir();
	wm_config *cfg = NULL;
	size_t k;

	for (k = 0; k < sizeof(empties) / sizeof(empties[0]); k++) {
		cfg = parse_ok(empties[k]);
		assert_defaults(cfg);
		wm_config_free(cfg);
	}
	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", NULL, 0), 0);
	assert_defaults(cfg);
	wm_config_free(cfg);

	wm_test_write(dir, ".wm.yml", "");
	{
		char path[4200];

		snprintf(path, sizeof(path), "%s/.wm.yml", dir);
		ck_assert_int_eq(wm_config_load(&cfg, path), 0);
		assert_defaults(cfg);
		wm_config_free(cfg);
	}
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(null_sections_mean_defaults)
{
	wm_config *cfg = parse_ok("paths:\ndetectors:\n  syntax:\n  docs: {}\n");

	assert_defaults(cfg);
	wm_config_free(cfg);
	cfg = parse_ok("paths:\n  include:\n  exclude: ~\n");
	assert_defaults(cfg);
	wm_config_free(cfg);
}
END_TEST

/* Every defaulted row's default must be a value the parser accepts, or a
 * typo in the table would only show up when someone reads the key. */
START_TEST(schema_defaults_are_valid_values)
{
	size_t r;

	for (r = 0; r < wm_config__schema_len; r++) {
		const wm_config__key *row = &wm_config__schema[r];
		char yaml[512];
		size_t o = 0, depth = 0, wild = 0;
		const char *s;
		wm_config *cfg;

		for (s = row->pattern; *s; s++)
			wild += *s == '*';
		ck_assert_uint_le(wild, WM_CONFIG__MAX_WILD);
		if (!row->def)
			continue;
		/* "a.*.b" with default d becomes "{a: {x: {b: d}}}". */
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "{");
		for (s = row->pattern; *s; s++) {
			if (*s == '.') {
				o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, ": {");
				depth++;
			} else {
				o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "%c", *s == '*' ? 'x' : *s);
			}
		}
		o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, ": %s}", row->def);
		ck_assert_uint_lt(depth, WM_CONFIG__MAX_LEVELS);
		while (depth--)
			o += (size_t)snprintf(yaml + o, sizeof(yaml) - o, "}");
		cfg = parse_ok(yaml);
		wm_config_free(cfg);
	}
}
END_TEST

/*
 * Values
 */

START_TEST(every_type_is_parsed)
{
	wm_config *cfg = parse_ok(
		"# wm configuration\n"
		"fail_on: warning\n"
		"paths:\n"
		"  include: [\"src/\", \"*.md\"]\n"
		"  exclude:\n"
		"    - vendor/\n"
		"    - '*.min.js'\n"
		"  max_file_size: 2048\n"
		"detectors:\n"
		"  syntax:\n"
		"    enabled: no\n"
		"    exclude: [tests/fixtures/]\n"
		"    severity:\n"
		"      parse-error: critical\n"
		"      parse-error/python: \"off\"\n"
		"  docs:\n"
		"    enabled: On\n");
	const char *const *list;
	size_t n;

	ck_assert_int_eq(wm_config_fail_on(cfg), WM_SEV_WARNING);
	ck_assert_str_eq(wm_config_string(cfg, "fail_on"), "warning");
	list = wm_config_list(cfg, "paths.include", &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0], "src/");
	ck_assert_str_eq(list[1], "*.md");
	ck_assert_ptr_null(list[2]);
	list = wm_config_list(cfg, "paths.exclude", &n);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(list[0], "vendor/");
	ck_assert_str_eq(list[1], "*.min.js");
	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), 2048);
	ck_assert(!wm_config_bool(cfg, "detectors.syntax.enabled"));
	ck_assert(!wm_config_detector_enabled(cfg, "syntax"));
	ck_assert(wm_config_detector_enabled(cfg, "docs"));
	ck_assert(wm_config_detector_enabled(cfg, "imports"));
	list = wm_config_list(cfg, "detectors.syntax.exclude", &n);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(list[0], "tests/fixtures/");
	ck_assert_ptr_null(wm_config_list(cfg, "detectors.docs.exclude", &n));
	ck_assert_str_eq(wm_config_string(cfg, "detectors.syntax.severity.parse-error"), "critical");
	ck_assert_int_eq(wm_config_severity(cfg, "syntax", "parse-error", NULL, WM_SEV_INFO), WM_SEV_CRITICAL);
	wm_config_free(cfg);
}
END_TEST

START_TEST(yaml_1_1_booleans_in_any_case)
{
	static const struct { const char *text; bool value; } cases[] = {
		{ "true", true }, { "True", true }, { "TRUE", true }, { "yes", true }, { "Yes", true },
		{ "on", true }, { "ON", true }, { "false", false }, { "False", false }, { "no", false },
		{ "NO", false }, { "off", false }, { "Off", false }
	};
	char yaml[128];
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		wm_config *cfg;

		snprintf(yaml, sizeof(yaml), "detectors:\n  docs:\n    enabled: %s\n", cases[k].text);
		cfg = parse_ok(yaml);
		ck_assert_msg(wm_config_bool(cfg, "detectors.docs.enabled") == cases[k].value, "%s", cases[k].text);
		wm_config_free(cfg);
	}
}
END_TEST

START_TEST(fail_on_never_and_every_severity)
{
	static const struct { const char *text; wm_severity sev; } cases[] = {
		{ "info", WM_SEV_INFO }, { "warning", WM_SEV_WARNING }, { "error", WM_SEV_ERROR },
		{ "critical", WM_SEV_CRITICAL }, { "never", WM_SEV_NONE }, { "'never'", WM_SEV_NONE }
	};
	char yaml[64];
	size_t k;

	for (k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		wm_config *cfg;

		snprintf(yaml, sizeof(yaml), "fail_on: %s\n", cases[k].text);
		cfg = parse_ok(yaml);
		ck_assert_int_eq(wm_config_fail_on(cfg), cases[k].sev);
		wm_config_free(cfg);
	}
}
END_TEST

START_TEST(integers_are_decimal_and_range_checked)
{
	wm_config *cfg = parse_ok("paths:\n  max_file_size: 0\n");

	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), 0);
	wm_config_free(cfg);
	cfg = parse_ok("paths:\n  max_file_size: 010\n");
	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), 10);
	wm_config_free(cfg);
	cfg = parse_ok("paths:\n  max_file_size: 9223372036854775807\n");
	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), INT64_MAX);
	wm_config_free(cfg);
	cfg = parse_ok("paths:\n  max_file_size: +5\n");
	ck_assert_int_eq(wm_config_int(cfg, "paths.max_file_size"), 5);
	wm_config_free(cfg);

	parse_fails("paths:\n  max_file_size: -1\n", 0,
		".wm.yml:2:18: expected an integer >= 0, got \"-1\"");
	parse_fails("paths:\n  max_file_size: 9223372036854775808\n", 0,
		".wm.yml:2:18: expected an integer, got \"9223372036854775808\"");
	parse_fails("paths:\n  max_file_size: 12k\n", 0,
		".wm.yml:2:18: expected an integer, got \"12k\"");
	parse_fails("paths:\n  max_file_size: 0x10\n", 0,
		".wm.yml:2:18: expected an integer, got \"0x10\"");
	parse_fails("paths:\n  max_file_size: \"5\"\n", 0,
		".wm.yml:2:18: expected an integer, got the quoted string \"5\"");
}
END_TEST

/*
 * Errors: every message whole, with its position
 */

typedef struct error_case {
	const char *yaml;
	const char *message;
} error_case;

static const error_case error_cases[] = {
	{ "detectorz: {}\n",
	  ".wm.yml:1:1: unknown key \"detectorz\" (expected one of: fail_on, paths, detectors, docs, imports, dna, version, antibodies, health, history)" },
	{ "fail_on: error\n\n  # comment\ndetectorz:\n",
	  ".wm.yml:4:1: unknown key \"detectorz\" (expected one of: fail_on, paths, detectors, docs, imports, dna, version, antibodies, health, history)" },
	{ "paths:\n  exclud: []\n",
	  ".wm.yml:2:3: unknown key \"exclud\" (expected one of: include, exclude, max_file_size)" },
	{ "detectors:\n  syntax:\n    enable: true\n",
	  ".wm.yml:3:5: unknown key \"enable\" (expected one of: enabled, severity, exclude)" },
	{ "detectors:\n  syntax:\n    enabled: maybe\n",
	  ".wm.yml:3:14: expected a boolean (true/false), got \"maybe\"" },
	{ "detectors:\n  syntax:\n    enabled: \"true\"\n",
	  ".wm.yml:3:14: expected a boolean (true/false), got the quoted string \"true\"" },
	{ "detectors:\n  syntax:\n    enabled: y\n",
	  ".wm.yml:3:14: expected a boolean (true/false), got \"y\"" },
	{ "detectors:\n  syntax:\n    enabled: [true]\n",
	  ".wm.yml:3:14: expected a boolean (true/false), got a list" },
	{ "detectors: {syntax: {enabled: }}\n",
	  ".wm.yml:1:31: expected a boolean (true/false), got an empty value" },
	{ "fail_on: fatal\n",
	  ".wm.yml:1:10: unknown value \"fatal\" (expected one of: info, warning, error, critical, never)" },
	{ "fail_on: off\n",
	  ".wm.yml:1:10: unknown value \"off\" (expected one of: info, warning, error, critical, never)" },
	{ "fail_on: {a: 1}\n",
	  ".wm.yml:1:10: expected a string, got a mapping" },
	{ "detectors:\n  syntax:\n    severity:\n      parse-error: fatal\n",
	  ".wm.yml:4:20: unknown severity \"fatal\" (expected one of: off, info, warning, error, critical)" },
	{ "detectors:\n  syntax:\n    severity: error\n",
	  ".wm.yml:3:15: expected a mapping (keys: any name), got \"error\"" },
	{ "paths:\n  exclude: {a: b}\n",
	  ".wm.yml:2:12: expected a list of strings, got a mapping" },
	{ "paths:\n  exclude: vendor/\n",
	  ".wm.yml:2:12: expected a list of strings, got \"vendor/\"" },
	{ "paths:\n  include:\n    - [a]\n",
	  ".wm.yml:3:7: expected a string, got a list" },
	{ "paths:\n  include:\n    - ok\n    -\n",
	  ".wm.yml:4:6: expected a string, got an empty value" },
	{ "paths: foo\n",
	  ".wm.yml:1:8: expected a mapping (keys: include, exclude, max_file_size), got \"foo\"" },
	{ "- a\n- b\n",
	  ".wm.yml:1:1: expected a mapping at the top level (keys: fail_on, paths, detectors, docs, imports, dna, version, antibodies, health, history), got a list" },
	{ "hello\n",
	  ".wm.yml:1:1: expected a mapping at the top level (keys: fail_on, paths, detectors, docs, imports, dna, version, antibodies, health, history), got \"hello\"" },
	{ "fail_on: info\npaths: {}\nfail_on: error\n",
	  ".wm.yml:3:1: duplicate key \"fail_on\" (first defined at line 1, column 1)" },
	{ "detectors:\n  syntax: {}\n  docs: {}\n  syntax: {}\n",
	  ".wm.yml:4:3: duplicate key \"syntax\" (first defined at line 2, column 3)" },
	{ "paths: {exclude: [], exclude: []}\n",
	  ".wm.yml:1:22: duplicate key \"exclude\" (first defined at line 1, column 9)" },
	{ "? [a]\n: b\n",
	  ".wm.yml:1:3: expected a key, got a list" },
	{ "detectors:\n  \"\": {}\n",
	  ".wm.yml:2:3: expected a key, got the quoted string \"\"" },
	{ "detectors:\n  \"a\\0b\": {}\n",
	  ".wm.yml:2:3: a NUL character is not allowed here" },
	{ "fail_on: info\n---\nfail_on: error\n",
	  ".wm.yml:2:1: expected one YAML document, found a second one" },
	{ "fail_on: *nowhere\n",
	  ".wm.yml:1:10: YAML syntax error: found undefined alias" },
	{ "a: b: c\n",
	  ".wm.yml:1:5: YAML syntax error: mapping values are not allowed in this context" },
	{ "paths:\n  exclude: [a, b\nfail_on: error\n",
	  ".wm.yml:3:8: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2)" },
	{ "paths:\n  exclude:\n    - *.min.js\n",
	  ".wm.yml:3:8: YAML syntax error: did not find expected alphabetic or numeric character "
	  "(while scanning an alias; a glob starting with '*' must be quoted: \"*.min.js\")" },
	{ "fail_on: \"tab\there\"\n",
	  ".wm.yml:1:10: unknown value \"tab\\x09here\" (expected one of: info, warning, error, critical, never)" },
	{ "fail_on: \xff\n",
	  ".wm.yml:1:10: invalid encoding: invalid leading UTF-8 octet (byte 0xff)" },
	{ "paths:\n  exclude: [\"\xc3\xa9\", \"\xc3\x28\"]\n",
	  ".wm.yml:2:20: invalid encoding: invalid trailing UTF-8 octet (byte 0x28)" },
};

START_TEST(errors_name_file_line_and_column)
{
	const error_case *c = &error_cases[_i];

	parse_fails(c->yaml, strlen(c->yaml), c->message);
}
END_TEST

START_TEST(errors_use_the_file_name)
{
	wm_config *cfg = NULL;

	ck_assert_int_eq(wm_config_parse(&cfg, "sub/dir/.wm.yml", "x: 1\n", 5), WM_ECONFIG);
	ck_assert_str_eq(wm_error_last(),
		"sub/dir/.wm.yml:1:1: unknown key \"x\" (expected one of: fail_on, paths, detectors, docs, imports, dna, version, antibodies, health, history)");
}
END_TEST

START_TEST(load_reports_the_path_and_unreadable_files)
{
	char *dir = wm_test_tmpdir();
	char path[4200], msg[4400];
	wm_config *cfg = NULL;

	wm_test_write(dir, ".wm.yml", "fail_on: info\n\npaths:\n  max_file_size: big\n");
	snprintf(path, sizeof(path), "%s/.wm.yml", dir);
	ck_assert_int_eq(wm_config_load(&cfg, path), WM_ECONFIG);
	ck_assert_ptr_null(cfg);
	snprintf(msg, sizeof(msg), "%s:4:18: expected an integer, got \"big\"", path);
	ck_assert_str_eq(wm_error_last(), msg);

	/* A directory where the file should be cannot be read: not a config error. */
	wm_test_sh(dir, "mkdir sub && mkdir sub/.wm.yml");
	snprintf(path, sizeof(path), "%s/sub/.wm.yml", dir);
	ck_assert_int_eq(wm_config_load(&cfg, path), WM_ERROR);
	ck_assert_ptr_null(cfg);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

/*
 * Detectors and severities
 */

START_TEST(unknown_detector_is_reported_with_its_position)
{
	static const char *const known[] = { "syntax", "imports", "docs" };
	wm_config *cfg = parse_ok("detectors:\n  syntax:\n    enabled: false\n  imprts: {}\n");

	ck_assert_int_eq(wm_config_check_detectors(cfg, known, 3), WM_ECONFIG);
	ck_assert_str_eq(wm_error_last(),
		".wm.yml:4:3: unknown detector \"imprts\" (known: syntax, imports, docs)");
	ck_assert_int_eq(wm_config_check_detectors(cfg, known, 1), WM_ECONFIG);
	wm_config_free(cfg);

	/* A detector named with nothing under it is still named. */
	cfg = parse_ok("detectors:\n  syntax:\n  doc:\n");
	ck_assert_int_eq(wm_config_check_detectors(cfg, known, 3), WM_ECONFIG);
	ck_assert_str_eq(wm_error_last(),
		".wm.yml:3:3: unknown detector \"doc\" (known: syntax, imports, docs)");
	ck_assert_int_eq(wm_config_check_detectors(cfg, NULL, 0), WM_ECONFIG);
	ck_assert_str_eq(wm_error_last(), ".wm.yml:2:3: unknown detector \"syntax\" (known: none)");
	wm_config_free(cfg);

	cfg = parse_ok("detectors: {syntax: {}, docs: {enabled: false}}\n");
	ck_assert_int_eq(wm_config_check_detectors(cfg, known, 3), 0);
	wm_config_free(cfg);
}
END_TEST

START_TEST(severity_lookup_prefers_rule_lang_then_rule_then_fallback)
{
	wm_config *cfg = parse_ok(
		"detectors:\n"
		"  imports:\n"
		"    severity:\n"
		"      unresolved-import: warning\n"
		"      unresolved-import/python: critical\n"
		"      undeclared: off\n"
		"      a.b: info\n");

	ck_assert_int_eq(wm_config_severity(cfg, "imports", "unresolved-import", "python", WM_SEV_ERROR),
		WM_SEV_CRITICAL);
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "unresolved-import", "go", WM_SEV_ERROR),
		WM_SEV_WARNING);
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "unresolved-import", NULL, WM_SEV_ERROR),
		WM_SEV_WARNING);
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "undeclared", "python", WM_SEV_ERROR),
		WM_SEV_NONE);
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "unresolved", NULL, WM_SEV_INFO), WM_SEV_INFO);
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "other", "python", WM_SEV_INFO), WM_SEV_INFO);
	ck_assert_int_eq(wm_config_severity(cfg, "docs", "unresolved-import", NULL, WM_SEV_INFO), WM_SEV_INFO);
	/* Rule names may contain dots; the structured lookup does not split them. */
	ck_assert_int_eq(wm_config_severity(cfg, "imports", "a.b", NULL, WM_SEV_ERROR), WM_SEV_INFO);
	ck_assert_int_eq(wm_config_severity(cfg, NULL, "a.b", NULL, WM_SEV_ERROR), WM_SEV_ERROR);
	ck_assert_str_eq(wm_config_string(cfg, "detectors.imports.severity.undeclared"), "off");
	ck_assert_str_eq(wm_config_string(cfg, "detectors.imports.severity.unresolved-import/python"),
		"critical");
	ck_assert_ptr_null(wm_config_string(cfg, "detectors.docs.severity.undeclared"));
	wm_config_free(cfg);
}
END_TEST

#ifndef NDEBUG
/* Asking for a key outside the schema is a programming error: it asserts in
 * debug builds (and reads as the zero value under NDEBUG). */
START_TEST(unknown_key_lookup_asserts)
{
	wm_config *cfg = parse_ok("");

	(void)wm_config_bool(cfg, "detectors.syntax.enabledd");
}
END_TEST

START_TEST(wrong_type_lookup_asserts)
{
	wm_config *cfg = parse_ok("");

	(void)wm_config_int(cfg, "fail_on");
}
END_TEST
#endif

/*
 * Globs
 */

typedef struct glob_case {
	const char *pattern;
	const char *path;
	bool match;
} glob_case;

static const glob_case glob_cases[] = {
	/* no '/': the base name at any depth */
	{ "*.min.js", "app.min.js", true },
	{ "*.min.js", "static/js/app.min.js", true },
	{ "*.min.js", "app.js", false },
	{ "*.min.js", "app.min.js.map", false },
	{ "*.py", "pkg.py/x.txt", true },
	{ "vendor", "vendor", true },
	{ "vendor", "vendor/a.c", true },
	{ "vendor", "src/vendor/a.c", true },
	{ "vendor", "vendors/a.c", false },
	{ "*", "a/b/c", true },
	{ "a*b", "a/b", false },
	/* trailing '/': directories only */
	{ "vendor/", "vendor/a/b.c", true },
	{ "vendor/", "src/vendor/x.c", true },
	{ "vendor/", "vendor", false },
	{ "vendor/", "vendor/", true },
	/* with '/': anchored at the root */
	{ "/build", "build/out.o", true },
	{ "/build", "build", true },
	{ "/build", "src/build/out.o", false },
	{ "src/*.c", "src/a.c", true },
	{ "src/*.c", "src/sub/a.c", false },
	{ "src/*.c", "lib/src/a.c", false },
	{ "src/a*b", "src/a/b", false },
	{ "foo/bar", "foo/bar/baz.c", true },
	{ "foo/bar", "foo/barbaz.c", false },
	/* ** */
	{ "docs/**/*.md", "docs/a.md", true },
	{ "docs/**/*.md", "docs/x/y/a.md", true },
	{ "docs/**/*.md", "docs/a.txt", false },
	{ "docs/**/*.md", "src/docs/a.md", false },
	{ "**/gen/", "gen/a.c", true },
	{ "**/gen/", "a/b/gen/c.c", true },
	{ "**/gen/", "a/gen", false },
	{ "**/gen/", "a/generated/c.c", false },
	{ "**/*.md", "README.md", true },
	{ "lib/**", "lib/a/b.c", true },
	{ "lib/**", "lib", false },
	{ "**", "anything/at/all", true },
	{ "a/**/b", "a/b", true },
	{ "a/**/b", "a/x/y/b", true },
	{ "a/**/b", "a/xb", false },
	{ "a**b/c", "axyb/c", true },
	{ "a**b/c", "ax/yb/c", false },
	/* ? and classes */
	{ "src/?.c", "src/a.c", true },
	{ "src/?.c", "src/ab.c", false },
	{ "a?b", "a/b", false },
	{ "*.[ch]", "lib/x.h", true },
	{ "*.[ch]", "lib/x.o", false },
	{ "*.[!ch]", "lib/x.o", true },
	{ "*.[^ch]", "lib/x.c", false },
	{ "[a-c]*", "b.txt", true },
	{ "[a-c]*", "d.txt", false },
	{ "[]x]", "]", true },
	{ "a[/]b", "a/b", false },
	{ "[", "[", true },
	{ "x[", "x[", true },
	/* escapes */
	{ "\\*.c", "*.c", true },
	{ "\\*.c", "x.c", false },
	/* degenerate */
	{ "", "a", false },
	{ "/", "a", false },
	{ "a", "", false },
	/* a backtracking matcher takes exponential time on this one */
	{ "*a*a*a*a*a*a*a*a*a*a*a*a*b",
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	{ "**/**/**/**/**/**/**/**/**/**/z",
	  "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/y", false },
};

START_TEST(glob_table)
{
	const glob_case *c = &glob_cases[_i];

	ck_assert_msg(wm_glob_match(c->pattern, c->path) == c->match,
		"wm_glob_match(\"%s\", \"%s\") should be %s", c->pattern, c->path,
		c->match ? "true" : "false");
}
END_TEST

START_TEST(glob_long_patterns)
{
	char pattern[1001], path[1001];

	memset(pattern, 'a', 1000);
	pattern[1000] = '\0';
	memcpy(path, pattern, sizeof(path));
	ck_assert(wm_glob_match(pattern, path));
	pattern[500] = '*';
	ck_assert(wm_glob_match(pattern, path));
	path[998] = '\0';
	ck_assert(!wm_glob_match(pattern, path));
	ck_assert(!wm_glob_match(NULL, "a"));
	ck_assert(!wm_glob_match("a", NULL));
}
END_TEST

START_TEST(path_excluded_by_include_and_exclude)
{
	wm_config *cfg = parse_ok(
		"paths:\n"
		"  include: [src/, '*.md']\n"
		"  exclude: [src/gen/, '*.min.js']\n");

	ck_assert(!wm_config_path_excluded(cfg, "src/a.c"));
	ck_assert(!wm_config_path_excluded(cfg, "src/sub/b.c"));
	ck_assert(!wm_config_path_excluded(cfg, "README.md"));
	ck_assert(!wm_config_path_excluded(cfg, "docs/guide.md"));
	ck_assert(wm_config_path_excluded(cfg, "src/gen/x.c"));
	ck_assert(wm_config_path_excluded(cfg, "lib/a.c"));
	ck_assert(wm_config_path_excluded(cfg, "src/x.min.js"));
	wm_config_free(cfg);

	cfg = parse_ok("paths:\n  exclude: [vendor/]\n");
	ck_assert(wm_config_path_excluded(cfg, "vendor/a/b.c"));
	ck_assert(!wm_config_path_excluded(cfg, "lib/a.c"));
	wm_config_free(cfg);
}
END_TEST

/*
 * Hostile input: always WM_ECONFIG, never a crash or a hang
 */

static void hostile(const char *data, size_t len, const char *message_part)
{
	wm_config *cfg = NULL;
	int rc = wm_config_parse(&cfg, ".wm.yml", data, len);

	ck_assert_msg(rc == WM_ECONFIG, "expected WM_ECONFIG, got %d (%s)", rc, wm_error_last());
	ck_assert_ptr_null(cfg);
	if (message_part)
		ck_assert_msg(strstr(wm_error_last(), message_part), "message: %s", wm_error_last());
}

START_TEST(hostile_deep_nesting)
{
	size_t n = 1024 * 1024, k;
	char *data = malloc(n + 1);
	wm_buf yaml = WM_BUF_INIT;

	ck_assert_ptr_nonnull(data);
	memset(data, '[', n);
	hostile(data, n, ".wm.yml:1:65: nested deeper than 64 levels");
	memset(data, '{', n);
	hostile(data, n, "nested deeper than 64 levels");
	for (k = 0; k + 2 <= n; k += 2)
		memcpy(data + k, "- ", 2);
	hostile(data, n, "nested deeper than 64 levels");
	/* Block mappings, indented one more space per level. */
	for (k = 0; k < 100; k++)
		ck_assert_int_eq(wm_buf_printf(&yaml, "%*sk%zu:\n", (int)k, "", k), 0);
	hostile(yaml.ptr, yaml.size, "nested deeper than 64 levels");
	wm_buf_dispose(&yaml);
	free(data);
}
END_TEST

START_TEST(hostile_alias_bomb)
{
	wm_buf yaml = WM_BUF_INIT;
	size_t k;

	/* 400 detectors sharing one body whose list has 400 items: 160000
	 * values from a file of a few kilobytes. */
	ck_assert_int_eq(wm_buf_puts(&yaml, "detectors:\n  d0: &body\n    exclude: ["), 0);
	for (k = 0; k < 400; k++)
		ck_assert_int_eq(wm_buf_puts(&yaml, k ? ", x" : "x"), 0);
	ck_assert_int_eq(wm_buf_puts(&yaml, "]\n"), 0);
	for (k = 1; k < 400; k++)
		ck_assert_int_eq(wm_buf_printf(&yaml, "  d%zu: *body\n", k), 0);
	hostile(yaml.ptr, yaml.size, "too many values (more than 100000, counting alias expansions)");
	wm_buf_dispose(&yaml);

	/* The classic billion laughs, under a key that takes a list. */
	{
		static const char laughs[] =
			"paths:\n  exclude: &a [x, x, x, x, x, x, x, x, x, x]\n"
			"  include: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
			"detectors: {c: {exclude: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]}}\n";

		/* An alias has no position of its own: the anchored node's is reported. */
		hostile(laughs, sizeof(laughs) - 1, ".wm.yml:2:12: expected a string, got a list");
	}
}
END_TEST

START_TEST(hostile_cyclic_aliases)
{
	static const char *const cycles[] = {
		"detectors: &a {x: *a}\n",
		"paths: &p {include: *p}\n",
		"detectors: &d {x: {severity: *d}}\n",
		"&top {detectors: *top}\n",
		"detectors: &s [*s]\n",
	};
	size_t k;

	for (k = 0; k < sizeof(cycles) / sizeof(cycles[0]); k++)
		hostile(cycles[k], strlen(cycles[k]), NULL);
}
END_TEST

START_TEST(aliases_share_lists)
{
	wm_config *cfg = parse_ok(
		"paths:\n  exclude: &vendored [vendor/, third_party/]\n"
		"detectors:\n  docs:\n    exclude: *vendored\n");
	size_t n;

	ck_assert_str_eq(wm_config_list(cfg, "detectors.docs.exclude", &n)[1], "third_party/");
	ck_assert_uint_eq(n, 2);
	wm_config_free(cfg);
}
END_TEST

START_TEST(hostile_binary_junk)
{
	unsigned char junk[4096];
	uint32_t x = 2463534242u;
	size_t k, round;

	for (round = 0; round < 32; round++) {
		for (k = 0; k < sizeof(junk); k++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			junk[k] = (unsigned char)x;
		}
		hostile((const char *)junk, sizeof(junk), NULL);
	}
	hostile("fail_on: info\0\0\0", 16, NULL);
}
END_TEST

START_TEST(hostile_huge_file)
{
	size_t n = 2 * 1024 * 1024;
	char *data = malloc(n);
	char *dir = wm_test_tmpdir();
	char path[4200], msg[4400];
	wm_config *cfg = NULL;
	FILE *f;

	ck_assert_ptr_nonnull(data);
	memset(data, '#', n);
	hostile(data, n, NULL);
	ck_assert_str_eq(wm_error_last(), ".wm.yml: file is too large (2097152 bytes; the limit is 1 MiB)");

	snprintf(path, sizeof(path), "%s/.wm.yml", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "wb"));
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	ck_assert_int_eq(wm_config_load(&cfg, path), WM_ECONFIG);
	ck_assert_ptr_null(cfg);
	snprintf(msg, sizeof(msg), "%s: file is too large", path);
	ck_assert_msg(!strncmp(wm_error_last(), msg, strlen(msg)), "%s", wm_error_last());

	/* Just under the limit, all comments: valid, and fast. */
	data[n / 2 - 1] = '\n';
	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", data, n / 2), 0);
	wm_config_free(cfg);
	wm_test_rmrf(dir);
	free(dir);
	free(data);
}
END_TEST

START_TEST(hostile_wide_mapping_and_list)
{
	wm_buf yaml = WM_BUF_INIT;
	wm_config *cfg = NULL;
	size_t k;

	/* 50000 detectors: allowed, and duplicates found without O(n^2). */
	ck_assert_int_eq(wm_buf_puts(&yaml, "detectors:\n"), 0);
	for (k = 0; k < 50000; k++)
		ck_assert_int_eq(wm_buf_printf(&yaml, "  d%zu: {}\n", k), 0);
	ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yaml.ptr, yaml.size), 0);
	wm_config_free(cfg);
	ck_assert_int_eq(wm_buf_puts(&yaml, "  d17: {}\n"), 0);
	hostile(yaml.ptr, yaml.size, ":50002:3: duplicate key \"d17\" (first defined at line 19, column 3)");
	wm_buf_dispose(&yaml);

	/* A list too long for the value budget. */
	ck_assert_int_eq(wm_buf_puts(&yaml, "paths:\n  exclude:\n"), 0);
	for (k = 0; k < 120000; k++)
		ck_assert_int_eq(wm_buf_puts(&yaml, "  - x\n"), 0);
	hostile(yaml.ptr, yaml.size, "too many values");
	wm_buf_dispose(&yaml);
}
END_TEST

/* Every allocation failure is reported as WM_ENOMEM and leaks nothing
 * (the suite runs under ASan/LSan in the sanitizer build). */
START_TEST(out_of_memory_at_every_allocation)
{
	static const char yaml[] =
		"fail_on: warning\n"
		"paths: {include: [src/, '*.md'], exclude: [vendor/], max_file_size: 10}\n"
		"detectors:\n"
		"  syntax: {enabled: false, exclude: [a/], severity: {x: off, x/python: info}}\n"
		"  docs: {}\n";
	static const char *const known[] = { "syntax" };
	unsigned long n;
	int rc = WM_ENOMEM;

	for (n = 1; rc == WM_ENOMEM && n < 10000; n++) {
		wm_config *cfg = NULL;

		wm_alloc__fail_after(n);
		rc = wm_config_parse(&cfg, ".wm.yml", yaml, sizeof(yaml) - 1);
		if (rc == 0) {
			rc = wm_config_check_detectors(cfg, known, 1);
			ck_assert_msg(rc == WM_ECONFIG || rc == WM_ENOMEM, "rc %d", rc);
			rc = rc == WM_ENOMEM ? WM_ENOMEM : 0;
		}
		wm_alloc__fail_after(0);
		ck_assert_msg(rc == 0 || rc == WM_ENOMEM, "allocation %lu: rc %d (%s)", n, rc, wm_error_last());
		wm_config_free(cfg);
	}
	ck_assert_int_eq(rc, 0);
}
END_TEST

static Suite *config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc;

	tc = tcase_create("defaults");
	tcase_add_test(tc, defaults_without_a_file);
	tcase_add_test(tc, defaults_with_an_empty_file);
	tcase_add_test(tc, null_sections_mean_defaults);
	tcase_add_test(tc, schema_defaults_are_valid_values);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_add_test(tc, every_type_is_parsed);
	tcase_add_test(tc, yaml_1_1_booleans_in_any_case);
	tcase_add_test(tc, fail_on_never_and_every_severity);
	tcase_add_test(tc, integers_are_decimal_and_range_checked);
	tcase_add_test(tc, aliases_share_lists);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_loop_test(tc, errors_name_file_line_and_column, 0,
		(int)(sizeof(error_cases) / sizeof(error_cases[0])));
	tcase_add_test(tc, errors_use_the_file_name);
	tcase_add_test(tc, load_reports_the_path_and_unreadable_files);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookups");
	tcase_add_test(tc, unknown_detector_is_reported_with_its_position);
	tcase_add_test(tc, severity_lookup_prefers_rule_lang_then_rule_then_fallback);
#ifndef NDEBUG
	tcase_add_test_raise_signal(tc, unknown_key_lookup_asserts, SIGABRT);
	tcase_add_test_raise_signal(tc, wrong_type_lookup_asserts, SIGABRT);
#endif
	suite_add_tcase(s, tc);

	tc = tcase_create("globs");
	tcase_add_loop_test(tc, glob_table, 0, (int)(sizeof(glob_cases) / sizeof(glob_cases[0])));
	tcase_add_test(tc, glob_long_patterns);
	tcase_add_test(tc, path_excluded_by_include_and_exclude);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hostile_deep_nesting);
	tcase_add_test(tc, hostile_alias_bomb);
	tcase_add_test(tc, hostile_cyclic_aliases);
	tcase_add_test(tc, hostile_binary_junk);
	tcase_add_test(tc, hostile_huge_file);
	tcase_add_test(tc, hostile_wide_mapping_and_list);
	tcase_add_test(tc, out_of_memory_at_every_allocation);
	suite_add_tcase(s, tc);

	return s;
}

int main(void)
{
	return wm_test_run(config_suite());
}
