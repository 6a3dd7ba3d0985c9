/*
 * fuzz_native.c - libFuzzer target for the lexical import scanners of C
 * and C++, Go and Rust (detectors/imports_native.c).
 *
 * The scanners read every source file of the repository under review, so
 * they see hostile input: unterminated comments, strings and raw strings,
 * stray quotes. The first byte picks the language; the rest is the file.
 * Every position recorded must lie inside the input, since findings and
 * fixes point at those bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "imports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const wm_lang langs[] = { WM_LANG_C, WM_LANG_CPP, WM_LANG_GO, WM_LANG_RUST };
	static const char *const paths[] = { "src/a.c", "src/a.cc", "cmd/main.go", "src/a.rs" };
	imp_info *info = NULL;
	size_t i, k, n;

	if (size < 1)
		return 0;
	k = data[0] % 4;
	n = size - 1;
	if (imp_native_extract(&info, langs[k], paths[k], (const char *)data + 1, n) < 0)
		return 0;
	for (i = 0; i < info->nimports; i++) {
		const imp_stmt *s = &info->imports[i];

		size_t j;

		if (s->start > s->end || s->end > n || s->mod_start > s->mod_end || s->mod_end > n ||
		    !s->module)
			abort();
		/* Rust use paths and Python-style names point at their segments too. */
		for (j = 0; j < s->nnames; j++)
			if (!s->names[j].name || s->names[j].start > s->names[j].end || s->names[j].end > n)
				abort();
	}
	imp_info_free(info);
	return 0;
}
