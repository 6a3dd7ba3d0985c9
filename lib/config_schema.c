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
	{ "antibodies.builtin", WM_CONFIG__BOOL, "true", NULL, 0, 0 },
	{ "antibodies.dirs", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
	{ "antibodies.disable", WM_CONFIG__LIST, NULL, NULL, 0, 0 },
};

const size_t wm_config__schema_len = sizeof(wm_config__schema) / sizeof(wm_config__schema[0]);
