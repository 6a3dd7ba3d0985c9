/*
 * fuzz_config.c - libFuzzer target for the `.wm.yml` parser.
 *
 * The configuration file comes with the repository, so anyone who can open
 * a pull request controls it. Beyond "does not crash", the target exercises
 * every lookup on what parsed, globs built from the user's own patterns
 * included, so a value that parses but breaks a reader is found too.
 */
#include <stddef.h>
#include <stdint.h>

#include "wm/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const known[] = { "syntax", "imports", "docs" };
	static const char *const paths[] = {
		"a.c", "src/x/y.py", "vendor/a/b.c", "docs/guide.md", "gen/", "a/b/c/d/e/f/g.min.js"
	};
	const char *const *list;
	wm_config *cfg = NULL;
	size_t n, k, j;

	if (wm_config_parse(&cfg, "fuzz.yml", (const char *)data, size) < 0)
		return 0;
	(void)wm_config_fail_on(cfg);
	(void)wm_config_int(cfg, "paths.max_file_size");
	(void)wm_config_detector_enabled(cfg, "syntax");
	(void)wm_config_severity(cfg, "syntax", "parse-error", "python", WM_SEV_ERROR);
	(void)wm_config_check_detectors(cfg, known, 3);
	for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
		(void)wm_config_path_excluded(cfg, paths[k]);
	/* The user's patterns matched against each other: hostile on both sides. */
	list = wm_config_list(cfg, "paths.exclude", &n);
	for (k = 0; k < n; k++)
		for (j = 0; j < n; j++)
			(void)wm_glob_match(list[k], list[j]);
	wm_config_free(cfg);
	return 0;
}
