/*
 * config_schema.c - every key `.wm.yml` may hold, with its type and default.
 *
 * One table so that the parser, the accessors, the error messages ("expected
 * one of: ...") and the tests all read the same truth; an issue that adds a
 * setting adds a row here and nothing in config.c. Row order is the order
 * keys are listed in messages, so keep related keys together.
 */
#include <stdint.h>

#include "config.h"

static const char *const docs_style_choices[] = {
	"auto", "google", "numpy", "sphinx", NULL
};

static const char *const fail_on_choices[] = {
	"info", "warning", "error", "critical", "never", NULL
};

const wm_config__key wm_config__schema[] = {
	{ "fail_on", WM_CONFIG__ENUM, "error", fail_on_choices, 0, 0 },
	{ "paths.include", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "paths.exclude", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "paths.max_file_size", WM_CONFIG__INT, "1048576", NULL, 0, INT64_MAX },
	{ "detectors.*.enabled", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "detectors.*.severity.*", WM_CONFIG__SEVERITY, NULL, NULL, 0, 0 },
	{ "detectors.*.exclude", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "docs.style", WM_CONFIG__ENUM, "auto", docs_style_choices, 0, 0 },
	{ "docs.coverage.floor", WM_CONFIG__INT, "0", NULL, 0, 100 },
	{ "docs.coverage.ratchet", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	{ "docs.fix.stubs", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	{ "docs.c_headers", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "docs.ignore.private", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "docs.ignore.magic", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "docs.ignore.init_method", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "docs.ignore.init_module", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	{ "docs.ignore.module", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	{ "docs.ignore.nested_functions", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "docs.ignore.overloads", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	{ "docs.ignore.setters", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "docs.ignore.tests", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	/* imports: Python sys.path roots besides the top level and src/ */
	{ "imports.roots", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* imports: extra manifests that declare dependencies (requirements syntax) */
	{ "imports.dependency_files", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* imports: severity of findings on optional imports (try/except ImportError, ...) */
	{ "imports.guarded", WM_CONFIG__SEVERITY, "off", NULL, 0, 0 },
	/* imports: C/C++ include directories for #include "..." */
	{ "imports.include_dirs", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* imports: check C/C++ #include <...> against include_dirs too */
	{ "imports.check_system_includes", WM_CONFIG__BOOL, "false", NULL, 0, 0 },
	/* imports: JS/TS path aliases "PREFIX=DIR" when tsconfig.json has none */
	{ "imports.aliases", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* dna: forbidden import edges, "FROM must not import TO" */
	{ "dna.contracts", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* version drift (detectors/drift.c) */
	{ "version.source", WM_CONFIG__STRING, NULL, NULL, 0, 0 },
	{ "version.files", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "version.tag_pattern", WM_CONFIG__STRING, "v?X.Y.Z", NULL, 0, 0 },
	{ "version.ignore", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "antibodies.builtin", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "antibodies.dirs", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "antibodies.disable", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	/* antibodies: the immune memory's verdicts (lib/antibody_memory.c) */
	{ "antibodies.demote_below", WM_CONFIG__NUMBER, "0.5", NULL, 0, 1 },
	{ "antibodies.min_evidence", WM_CONFIG__INT, "3", NULL, 1, 1000000 },
	/* health: balance ranges per metric (lib/health.c, detectors/health.c) */
	{ "health.*.min", WM_CONFIG__NUMBER, NULL, NULL, -1000000000, 1000000000 },
	{ "health.*.max", WM_CONFIG__NUMBER, NULL, NULL, -1000000000, 1000000000 },
	{ "health.*.ideal", WM_CONFIG__NUMBER, NULL, NULL, -1000000000, 1000000000 },
	{ "health.*.max_drop", WM_CONFIG__NUMBER, NULL, NULL, 0, 1000000000 },
	{ "health.*.max_rise", WM_CONFIG__NUMBER, NULL, NULL, 0, 1000000000 },
	/* history: the detectors `wm-board --history` runs per commit (empty: all enabled but imports) */
	{ "history.detectors", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
};

const size_t wm_config__schema_len = sizeof(wm_config__schema) / sizeof(wm_config__schema[0]);
