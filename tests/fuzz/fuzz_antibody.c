/*
 * fuzz_antibody.c - libFuzzer target for antibody rule files.
 *
 * A repository's own rules (.wm/antibodies/) come with the change under
 * review. Beyond loading, the target runs what loaded over a small file of
 * the rule's language and runs the rule's own tests, so a rule that loads
 * but breaks the engine is found too.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wm/wm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char sample[] =
		"def f(x=[]):\n    if x == None:\n        return len(x) == 0\n    assert (x, 'm')\n";
	wm_antibodies *set = NULL;
	wm_antibody_matches matches = WM_ANTIBODY_MATCHES_INIT;
	wm_buf report = WM_BUF_INIT;
	TSTree *tree = NULL;
	size_t failed;

	if (wm_antibodies_new(&set) < 0)
		return 0;
	(void)wm_antibodies_load(set, "fuzz.yml", (const char *)data, size, false);
	if (wm_syntax_parse(&tree, WM_LANG_PYTHON, sample, sizeof(sample) - 1) == 0) {
		(void)wm_antibodies_scan(&matches, set, WM_LANG_PYTHON, ts_tree_root_node(tree), sample, SIZE_MAX);
		wm_antibody_matches_dispose(&matches);
		ts_tree_delete(tree);
	}
	(void)wm_antibodies_test(&report, &failed, set);
	wm_buf_dispose(&report);
	wm_antibodies_free(set);
	return 0;
}
