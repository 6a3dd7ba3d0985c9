/*
 * imports_js.c - JavaScript and TypeScript imports (in progress).
 */
#include <string.h>

#include "imports.h"

int imp_js_extract(imp_info **out, wm_lang lang, const char *data, size_t size, const TSTree *tree)
{
	(void)data;
	(void)size;
	(void)tree;
	if (!(*out = wm_calloc(1, sizeof(**out))))
		return WM_ENOMEM;
	(*out)->lang = lang;
	return 0;
}

int imp_js_check(const imp_ctx *ctx, const imp_info *info)
{
	(void)ctx;
	(void)info;
	return 0;
}
