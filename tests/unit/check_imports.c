/*
 * check_imports.c - the imports detector: per-file facts, the tables, and
 * whole runs on small repositories, with fixes applied in memory to check
 * that their edits give exactly the expected bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imports.h"
#include "testutil.h"

/* --- facts --------------------------------------------------------------- */

static imp_info *facts(wm_lang lang, const char *src)
{
	TSTree *tree = NULL;
	imp_info *info = NULL;

	ck_assert_int_eq(wm_syntax_parse(&tree, lang, src, strlen(src)), 0);
	if (lang == WM_LANG_PYTHON)
		ck_assert_int_eq(imp_python_extract(&info, src, strlen(src), tree), 0);
	else
		ck_assert_int_eq(imp_js_extract(&info, lang, src, strlen(src), tree), 0);
	ts_tree_delete(tree);
	return info;
}

START_TEST(python_imports_and_their_guards)
{
	const char *src =
		"from a.b import (c as d, e)\n"
		"import x.y as z, w\n"
		"from ..p import *\n"
		"from . import q\n"
		"try:\n    import yaml\nexcept ImportError:\n    yaml = None\n"
		"if TYPE_CHECKING:\n    from t import U\n"
		"def f():\n    import inner\n";
	imp_info *info = facts(WM_LANG_PYTHON, src);

	ck_assert_uint_eq(info->nimports, 8);
	ck_assert_str_eq(info->imports[0].module, "a.b");
	ck_assert_uint_eq(info->imports[0].nnames, 2);
	ck_assert_str_eq(info->imports[0].names[0].name, "c");
	ck_assert_str_eq(info->imports[0].names[0].alias, "d");
	ck_assert_str_eq(info->imports[1].module, "x.y");
	ck_assert_str_eq(info->imports[1].alias, "z");
	ck_assert_str_eq(info->imports[2].module, "w");
	ck_assert_uint_eq(info->imports[3].level, 2);
	ck_assert(info->imports[3].star);
	ck_assert_str_eq(info->imports[4].module, "");
	ck_assert_uint_eq(info->imports[4].level, 1);
	ck_assert_uint_eq(info->imports[5].guard, IMP_GUARD_TRY);
	ck_assert_uint_eq(info->imports[6].guard, IMP_GUARD_TYPING);
	ck_assert_uint_eq(info->imports[7].guard, IMP_GUARD_FUNCTION);
	/* the module text as written, for fixes */
	ck_assert_int_eq(memcmp(src + info->imports[3].mod_start, "..p", 3), 0);
	imp_info_free(info);
}
END_TEST

START_TEST(python_top_level_names)
{
	imp_info *info = facts(WM_LANG_PYTHON,
		"import os.path\nfrom m import a as b\nx, (y, *z) = 1, (2, 3)\nv: int = 3\n"
		"__all__ = ['listed'] + [\"other\"]\n__all__.extend(['more'])\n"
		"@dec\nclass C:\n    inner = 1\n"
		"if cond:\n    def g(): local = 1\nelse:\n    g = None\n"
		"with open(p) as fh:\n    pass\n"
		"for i in range(3): pass\n");
	static const char *const want[] = { "C", "__all__", "b", "fh", "g", "i", "listed", "more", "os",
		"other", "v", "x", "y", "z" };
	size_t i;

	ck_assert_uint_eq(info->ndefs, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < info->ndefs; i++)
		ck_assert_str_eq(info->defs[i], want[i]);
	ck_assert(!imp_info_defines(info, "inner"));
	ck_assert(!imp_info_defines(info, "local"));
	ck_assert(!info->dynamic);
	imp_info_free(info);
	info = facts(WM_LANG_PYTHON, "def __getattr__(name):\n    return 1\n");
	ck_assert(info->dynamic);
	imp_info_free(info);
}
END_TEST

START_TEST(js_imports_and_exports)
{
	imp_info *info = facts(WM_LANG_TYPESCRIPT,
		"import React, { useState as us } from 'react';\n"
		"import type { T } from \"./types\";\n"
		"export { a, b as c } from './x';\n"
		"export * from './y';\n"
		"export const k = 1, l = 2;\n"
		"export default function main() {}\n"
		"export interface I {}\n"
		"const r = require('./r');\n"
		"const d = import('./d');\n");

	ck_assert_uint_eq(info->nimports, 6);
	ck_assert_str_eq(info->imports[0].module, "react");
	ck_assert_uint_eq(info->imports[0].nnames, 2);
	ck_assert_str_eq(info->imports[0].names[0].name, "default");
	ck_assert_str_eq(info->imports[0].names[1].name, "useState");
	ck_assert(info->imports[1].type_only);
	ck_assert(info->imports[3].star);
	ck_assert_str_eq(info->imports[4].module, "./r");
	ck_assert(info->esm);
	ck_assert(imp_info_defines(info, "c"));
	ck_assert(imp_info_defines(info, "k"));
	ck_assert(imp_info_defines(info, "l"));
	ck_assert(imp_info_defines(info, "default"));
	ck_assert(imp_info_defines(info, "I"));
	ck_assert(!imp_info_defines(info, "b"));
	imp_info_free(info);
}
END_TEST

START_TEST(js_bundles_bind_their_own_require)
{
	/* browserify, split in two literals: one element */
	static const char browserify[] = "var JSHINT;\n(function () {\n\tvar require;\n\trequire = (function e(t, n, r) { return t; })({1: "
			"[function (require, module, exports) { var v = require('./vars.js'); }, {}]});\n})();\n";
	static const char *const bundles[] = {
		browserify,
		/* a module wrapper alone */
		"define(function (require, exports, module) { var x = require('./x'); });\n",
		/* an AMD-style loader */
		"function require(name) { return modules[name]; }\nconst y = require('./y');\n",
	};
	imp_info *info;
	size_t i;

	for (i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++) {
		info = facts(WM_LANG_JAVASCRIPT, bundles[i]);
		ck_assert_msg(info->nimports == 0, "bundle %zu: %zu imports", i, info->nimports);
		imp_info_free(info);
	}
	/* Node's require, and import() in a bundle, are still imports */
	info = facts(WM_LANG_JAVASCRIPT, "const requireX = 1;\nconst z = require('./z');\n");
	ck_assert_uint_eq(info->nimports, 1);
	imp_info_free(info);
	info = facts(WM_LANG_JAVASCRIPT, "var require = 1;\nimport('./lazy');\n");
	ck_assert_uint_eq(info->nimports, 1);
	imp_info_free(info);
}
END_TEST

START_TEST(js_optional_requires_are_guarded)
{
	imp_info *info = facts(WM_LANG_JAVASCRIPT,
		"let fsevents;\ntry { fsevents = require('fsevents'); } catch (e) {}\n"
		"var _ = typeof require == 'function' ? require('..') : window._;\n"
		"if (typeof require !== 'undefined') { require('./node-only'); }\n"
		"const plain = require('./plain');\n"
		"try { x(); } catch (e) { require('./in-handler'); }\n");

	ck_assert_uint_eq(info->nimports, 5);
	ck_assert_uint_eq(info->imports[0].guard, IMP_GUARD_TRY);
	ck_assert_uint_eq(info->imports[1].guard, IMP_GUARD_COND);
	ck_assert_uint_eq(info->imports[2].guard, IMP_GUARD_COND);
	ck_assert_uint_eq(info->imports[3].guard, 0);
	/* the handler runs when the try failed: nothing optional about it */
	ck_assert_uint_eq(info->imports[4].guard, 0);
	imp_info_free(info);
}
END_TEST

/* --- tables -------------------------------------------------------------- */

static imp_info *native(wm_lang lang, const char *path, const char *src)
{
	imp_info *info = NULL;

	ck_assert_int_eq(imp_native_extract(&info, lang, path, src, strlen(src)), 0);
	return info;
}

START_TEST(c_includes_skip_comments)
{
	imp_info *info = native(WM_LANG_C, "a.c",
		"#include \"a.h\"\n"
		"  #  include <stdio.h>\n"
		"/* #include \"gone.h\"\n"
		"   #include \"gone2.h\" */\n"
		"// #include \"gone3.h\"\n"
		"#include_next <x.h>\n"
		"#if X\n#include \"sub/b.h\"\n#endif\n");

	ck_assert_uint_eq(info->nimports, 3);
	ck_assert_str_eq(info->imports[0].module, "a.h");
	ck_assert_uint_eq(info->imports[0].level, 1);
	ck_assert_str_eq(info->imports[1].module, "stdio.h");
	ck_assert_uint_eq(info->imports[1].level, 0);
	ck_assert_str_eq(info->imports[2].module, "sub/b.h");
	imp_info_free(info);
}
END_TEST

START_TEST(go_imports_single_and_grouped)
{
	imp_info *info = native(WM_LANG_GO, "main.go",
		"// Package main.\npackage main\n\n"
		"import \"fmt\"\n"
		"import (\n\t\"os\" // comment\n\tx \"example.com/m/pkg\"\n\t_ \"embed\"\n\t// \"commented/out\"\n)\n"
		"func main() { s := \"import (\" }\n");

	ck_assert_uint_eq(info->nimports, 4);
	ck_assert_str_eq(info->imports[0].module, "fmt");
	ck_assert_str_eq(info->imports[1].module, "os");
	ck_assert_str_eq(info->imports[2].module, "example.com/m/pkg");
	ck_assert_str_eq(info->imports[3].module, "embed");
	imp_info_free(info);
}
END_TEST

/* The i-th statement of a kind. */
static const imp_stmt *nth(const imp_info *info, int kind, size_t i)
{
	size_t k;

	for (k = 0; k < info->nimports; k++)
		if (info->imports[k].kind == kind && i-- == 0)
			return &info->imports[k];
	ck_abort_msg("no statement %zu of kind %d", i, kind);
	return NULL;
}

START_TEST(rust_mods_uses_and_items)
{
	imp_info *info = native(WM_LANG_RUST, "src/lib.rs",
		"mod a;\n"
		"pub mod inline { mod nested; fn f() {} }\n"
		"#[path = \"other.rs\"]\nmod b;\n"
		"#[cfg_attr(x, path = \"y.rs\")]\nmod c;\n"
		"use serde::{Serialize, de::Visitor};\n"
		"use ::regex::Regex;\n"
		"use crate::a::X;\n"
		"extern crate alloc as al;\n"
		"const S: &str = \"mod fake;\"; static R: &str = r#\"use fake2;\"#;\n"
		"fn g<'a>(c: char) -> bool { c == '{' }\n"
		"enum E { A }\n");
	size_t i, mods = 0, uses = 0, paths = 0;

	for (i = 0; i < info->nimports; i++) {
		const imp_stmt *s = &info->imports[i];

		if (s->kind == IMP_RUST_MOD)
			mods++;
		else if (s->kind == IMP_RUST_USE)
			uses++;
		else if (s->kind == IMP_RUST_PATH)
			paths++;
	}
	ck_assert_uint_eq(mods, 4);
	ck_assert_uint_eq(uses, 3);
	ck_assert_uint_eq(paths, 4);
	ck_assert_str_eq(nth(info, IMP_RUST_MOD, 0)->module, "a");
	ck_assert_str_eq(nth(info, IMP_RUST_MOD, 1)->module, "inline/nested");
	ck_assert_str_eq(nth(info, IMP_RUST_MOD, 2)->alias, "other.rs");
	ck_assert_str_eq(nth(info, IMP_RUST_MOD, 3)->alias, "");
	ck_assert_str_eq(nth(info, IMP_RUST_USE, 0)->module, "serde");
	ck_assert_str_eq(nth(info, IMP_RUST_USE, 1)->module, "regex");
	ck_assert_str_eq(nth(info, IMP_RUST_USE, 2)->module, "alloc");
	ck_assert_uint_eq(nth(info, IMP_RUST_USE, 2)->level, 1);
	/* every leaf of a use tree is a path of segments */
	ck_assert_str_eq(nth(info, IMP_RUST_PATH, 1)->module, "serde::de::Visitor");
	ck_assert_uint_eq(nth(info, IMP_RUST_PATH, 1)->nnames, 3);
	ck_assert_uint_eq(nth(info, IMP_RUST_PATH, 2)->level, 1);
	ck_assert_str_eq(nth(info, IMP_RUST_PATH, 3)->names[2].name, "X");
	ck_assert(!info->dynamic);
	ck_assert(imp_info_defines(info, "E"));
	ck_assert(imp_info_defines(info, "inline"));
	ck_assert(!imp_info_defines(info, "fake"));
	imp_info_free(info);
}
END_TEST

/* --- module references (the reverse import index) ----------------------- */

static char *refs_of(imp_info *info)
{
	wm_buf out = WM_BUF_INIT;

	ck_assert_int_eq(imp_refs_of(&out, info), 0);
	imp_info_free(info);
	return wm_buf_detach(&out);
}

static bool names(const char *refs, const char *stem)
{
	imp_map stems = IMP_MAP_INIT;
	bool hit;

	ck_assert_int_eq(imp_map_put(&stems, stem, strlen(stem), (void *)1), 0);
	hit = imp_refs_name_any(refs, strlen(refs), &stems, NULL);
	imp_map_dispose(&stems, NULL);
	return hit;
}

START_TEST(relative_references_name_their_package)
{
	imp_map stems = IMP_MAP_INIT;
	static const char refs[] = ".\n.helper\n";

	ck_assert_int_eq(imp_map_put(&stems, "app", 3, (void *)1), 0);
	/* `from . import helper` in app/sub.py names app (its __init__.py) */
	ck_assert(imp_refs_name_any(refs, strlen(refs), &stems, "app/sub.py"));
	ck_assert(!imp_refs_name_any(refs, strlen(refs), &stems, NULL));
	/* at the top level, and from another package, it does not */
	ck_assert(!imp_refs_name_any(refs, strlen(refs), &stems, "sub.py"));
	ck_assert(!imp_refs_name_any(refs, strlen(refs), &stems, "lib/sub.py"));
	/* two dots: one package up */
	ck_assert(imp_refs_name_any("..x\n", 4, &stems, "app/pkg/m.py"));
	ck_assert(!imp_refs_name_any("..x\n", 4, &stems, "app/m.py"));
	imp_map_dispose(&stems, NULL);
}
END_TEST

START_TEST(references_of_every_language)
{
	char *r;

	r = refs_of(facts(WM_LANG_PYTHON, "import a.b as c\nfrom ..pkg import mod, f\nfrom . import sib\n"));
	ck_assert_str_eq(r, "a.b\n..pkg\n..pkg.mod\n..pkg.f\n.\n.sib\n");
	ck_assert(names(r, "b") && names(r, "pkg") && names(r, "mod") && names(r, "sib"));
	ck_assert(!names(r, "c") && !names(r, "pk"));   /* an alias is no module; words, not bytes */
	wm_free(r);
	r = refs_of(facts(WM_LANG_TYPESCRIPT, "import { B } from './ui/Button.js';\nexport * from '@app/x';\n"));
	ck_assert_str_eq(r, "./ui/Button.js\n@app/x\n");
	ck_assert(names(r, "Button") && names(r, "ui") && names(r, "x") && !names(r, "B"));
	wm_free(r);
	r = refs_of(native(WM_LANG_C, "a.c", "#include \"util/str.h\"\n#include <stdio.h>\n"));
	ck_assert_str_eq(r, "util/str.h\nstdio.h\n");
	ck_assert(names(r, "str") && !names(r, "util/str"));
	wm_free(r);
	r = refs_of(native(WM_LANG_GO, "m.go", "package m\nimport \"example.com/m/pkg/sub\"\n"));
	ck_assert(names(r, "sub") && names(r, "pkg"));
	wm_free(r);
	r = refs_of(native(WM_LANG_RUST, "src/lib.rs", "pub mod inline { mod nested; }\n"
		"#[path = \"impls/other.rs\"]\nmod b;\nuse crate::cfg::X;\n"));
	ck_assert_str_eq(r, "inline\ninline/nested\nb\nimpls/other.rs\ncrate::cfg::X\n");
	ck_assert(names(r, "nested") && names(r, "other") && names(r, "cfg"));
	wm_free(r);
	/* no facts (a binary file): an empty, cacheable list */
	r = refs_of(NULL);
	ck_assert_str_eq(r, "");
	wm_free(r);
}
END_TEST

START_TEST(rust_module_names_by_scope)
{
	imp_info *info = native(WM_LANG_RUST, "src/lib.rs",
		"pub(crate) mod m { pub fn inner() {} use super::*; }\n"
		"const fn cf() {}\nstatic mut SM: u8 = 0;\n"
		"extern \"C\" { fn ext(); }\n"
		"impl X { fn method() {} }\n"
		"#[macro_export]\nmacro_rules! mac { () => {} }\n"
		"const C: &str = concat!(\"a\");\n"
		"use a::{self as b, c as _};\n"
		"}}}} pub(crate) mod after;\n");
	size_t i;
	bool inner = false, method = false, any = false;
	const char *top[] = { "m", "cf", "SM", "ext", "mac", "C" };

	for (i = 0; i < info->nimports; i++) {
		const imp_stmt *s = &info->imports[i];

		if (s->kind != IMP_RUST_ITEM)
			continue;
		inner |= !strcmp(s->module, "inner") && s->alias && !strcmp(s->alias, "m");
		method |= !strcmp(s->module, "method");
		any |= s->level == IMP_RUST_ITEM_ANY;
	}
	ck_assert(inner);
	ck_assert(!method);
	/* concat!() in an initialiser is not an item macro */
	ck_assert(!any);
	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		ck_assert_str_eq(nth(info, IMP_RUST_ITEM, i == 0 ? 0 : i + 1)->module, top[i]);
	ck_assert_uint_eq(nth(info, IMP_RUST_ITEM, 5)->level, IMP_RUST_ITEM_EXPORT);
	/* the glob in m binds unknown names in m only */
	ck_assert(nth(info, IMP_RUST_PATH, 0)->star);
	ck_assert_str_eq(nth(info, IMP_RUST_PATH, 0)->alias, "m");
	ck_assert_str_eq(nth(info, IMP_RUST_PATH, 1)->names[1].alias, "b");
	/* unbalanced braces do not take the scan below the file */
	ck_assert_str_eq(nth(info, IMP_RUST_MOD, 0)->module, "after");
	/* `pub(crate) mod` starts at pub: a fix inserts attributes before it */
	ck_assert_uint_eq(nth(info, IMP_RUST_MOD, 0)->start, nth(info, IMP_RUST_MOD, 0)->mod_start - 15);
	imp_info_free(info);
}
END_TEST

START_TEST(stdlib_covers_3_8_to_3_13)
{
	ck_assert(imp_stdlib_is_python("os", 2));
	ck_assert(imp_stdlib_is_python("tomllib", 7));      /* 3.11 */
	ck_assert(imp_stdlib_is_python("distutils", 9));    /* removed in 3.12 */
	ck_assert(imp_stdlib_is_python("asyncore.x", 8));
	ck_assert(imp_stdlib_is_python("__future__", 10));
	ck_assert(!imp_stdlib_is_python("yaml", 4));
	ck_assert(!imp_stdlib_is_python("requests", 8));
	ck_assert(imp_stdlib_is_node("fs", 2));
	ck_assert(imp_stdlib_is_node("node:test", 9));
	ck_assert(!imp_stdlib_is_node("express", 7));
}
END_TEST

START_TEST(dist_names_map_to_import_names)
{
	imp_map deps = IMP_MAP_INIT;

	ck_assert_int_eq(imp_deps_add_dist(&deps, "PyYAML", 6), 0);
	ck_assert_int_eq(imp_deps_add_dist(&deps, "beautifulsoup4", 14), 0);
	ck_assert_int_eq(imp_deps_add_dist(&deps, "python-dateutil", 15), 0);
	ck_assert_int_eq(imp_deps_add_dist(&deps, "Flask-SQLAlchemy", 16), 0);
	ck_assert_int_eq(imp_deps_add_dist(&deps, "zope.interface", 14), 0);
	ck_assert_int_eq(imp_deps_add_dist(&deps, "types-requests", 14), 0);
	ck_assert(imp_map_has(&deps, "yaml"));
	ck_assert(imp_map_has(&deps, "bs4"));
	ck_assert(imp_map_has(&deps, "dateutil"));
	ck_assert(imp_map_has(&deps, "flask_sqlalchemy"));
	ck_assert(imp_map_has(&deps, "zope"));
	ck_assert(imp_map_has(&deps, "requests"));
	ck_assert(!imp_map_has(&deps, "flask"));
	imp_map_dispose(&deps, NULL);
}
END_TEST

START_TEST(edit_distance)
{
	ck_assert_uint_eq(imp_distance("slugify", "slugify", 2), 0);
	ck_assert_uint_eq(imp_distance("slugify", "slugifx", 2), 1);
	ck_assert_uint_eq(imp_distance("slug", "slugify", 2), 3);
	ck_assert_uint_eq(imp_distance("abc", "xyz", 2), 3);
}
END_TEST

/* --- whole runs ---------------------------------------------------------- */

static char *dir;
static wm_repo *repo;

static void setup(void)
{
	dir = wm_test_tmpdir();
	wm_test_sh(dir, "git init -q . && git config user.email t@e && git config user.name t");
}

static void teardown(void)
{
	wm_repo_free(repo);
	repo = NULL;
	wm_test_rmrf(dir);
	free(dir);
}

static wm_scan_result *run(wm_scope scope, const char *yaml)
{
	static const wm_detector *const dets[] = { &wm_detector_imports };
	wm_scan_options opts = WM_SCAN_OPTIONS_INIT;
	wm_scan_result *result = NULL;
	wm_config *cfg = NULL;

	if (!repo)
		ck_assert_int_eq(wm_repo_open(&repo, dir), 0);
	if (yaml)
		ck_assert_int_eq(wm_config_parse(&cfg, ".wm.yml", yaml, strlen(yaml)), 0);
	else
		ck_assert_int_eq(wm_config_default(&cfg), 0);
	opts.targets.scope = scope;
	opts.detectors = dets;
	opts.ndetectors = 1;
	ck_assert_msg(wm_scan_run(&result, repo, cfg, &opts) == 0, "%s", wm_error_last());
	wm_config_free(cfg);
	return result;
}

/* Apply every fix of a result to `path`'s content; edits must not overlap. */
static char *apply(const wm_scan_result *r, const char *path, const char *content)
{
	wm_edit *edits = NULL;
	size_t n = 0, i, j, len = strlen(content);
	wm_buf out = WM_BUF_INIT;
	uint32_t at = 0;

	for (i = 0; i < r->findings.count; i++) {
		const wm_fix *fix = r->findings.items[i].fix;

		for (j = 0; fix && j < fix->nedits; j++) {
			if (strcmp(fix->edits[j].path, path))
				continue;
			edits = realloc(edits, (n + 1) * sizeof(*edits));
			edits[n++] = fix->edits[j];
		}
	}
	/* in byte order */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && edits[j - 1].start_byte > edits[j].start_byte; j--) {
			wm_edit t = edits[j];
			edits[j] = edits[j - 1];
			edits[j - 1] = t;
		}
	for (i = 0; i < n; i++) {
		ck_assert_uint_ge(edits[i].start_byte, at);
		ck_assert_uint_le(edits[i].end_byte, len);
		wm_buf_put(&out, content + at, edits[i].start_byte - at);
		wm_buf_puts(&out, edits[i].replacement);
		at = edits[i].end_byte;
	}
	wm_buf_put(&out, content + at, len - at);
	free(edits);
	return wm_buf_detach(&out);
}

static size_t count_rule(const wm_scan_result *r, const char *rule, const char *path)
{
	size_t i, n = 0;

	for (i = 0; i < r->findings.count; i++)
		if (!strcmp(r->findings.items[i].rule, rule) &&
		    (!path || (r->findings.items[i].path && !strcmp(r->findings.items[i].path, path))))
			n++;
	return n;
}

static const char *main_py =
	"import yaml\n"
	"import utils_top\n"
	"from app.utils import slugify\n"
	"from . import utils\n"
	"from .utils import other as o\n"
	"import app.utils as au\n"
	"from app import utils, data\n";

static void python_repo(void)
{
	wm_test_write(dir, "pyproject.toml", "[project]\nname = \"app\"\ndependencies = [\"PyYAML>=6\"]\n");
	wm_test_write(dir, "app/__init__.py", "");
	wm_test_write(dir, "app/data.py", "X = 1\n");
	wm_test_write(dir, "app/utils.py", "def slugify(s):\n    return s\n\ndef other():\n    pass\n");
	wm_test_write(dir, "utils_top.py", "");
	wm_test_write(dir, "app/main.py", main_py);
	wm_test_sh(dir, "git add . && git commit -qm init");
}

START_TEST(clean_python_repository_has_no_findings)
{
	wm_scan_result *r;

	python_repo();
	r = run(WM_SCOPE_ALL, NULL);
	ck_assert_msg(r->findings.count == 0, "%s", r->findings.count ? r->findings.items[0].message : "");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(staged_rename_breaks_the_unchanged_importer_and_fixes_restore_it)
{
	wm_scan_result *r;
	char *fixed;

	python_repo();
	wm_test_sh(dir, "git mv app/utils.py app/helpers.py");
	r = run(WM_SCOPE_STAGED, NULL);
	/* every importing line of the unchanged file, and nothing else */
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "app/main.py"), 3);
	ck_assert_uint_eq(count_rule(r, "unresolved-name", "app/main.py"), 2);
	ck_assert_uint_eq(r->findings.count, 5);
	ck_assert_uint_eq(r->findings.items[0].line, 3);
	fixed = apply(r, "app/main.py", main_py);
	ck_assert_str_eq(fixed,
		"import yaml\n"
		"import utils_top\n"
		"from app.helpers import slugify\n"
		"from . import helpers as utils\n"
		"from .helpers import other as o\n"
		"import app.helpers as au\n"
		"from app import helpers as utils, data\n");
	wm_free(fixed);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(moved_function_is_imported_from_its_new_module)
{
	const char *importer = "from app.utils import slugify, other\n";
	wm_scan_result *r;
	char *fixed;

	python_repo();
	wm_test_write(dir, "app/uses.py", importer);
	wm_test_sh(dir, "git add . && git commit -qm uses");
	wm_test_write(dir, "app/utils.py", "def other():\n    pass\n");
	wm_test_write(dir, "app/text.py", "def slugify(s):\n    return s\n");
	wm_test_sh(dir, "git add .");
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "unresolved-name", "app/uses.py"), 1);
	fixed = apply(r, "app/uses.py", importer);
	ck_assert_str_eq(fixed, "from app.utils import other\nfrom app.text import slugify\n");
	wm_free(fixed);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(did_you_mean_and_undeclared_and_guarded)
{
	wm_scan_result *r;
	size_t i;
	bool seen = false;

	python_repo();
	wm_test_write(dir, "app/extra.py",
		"from app.utils import slugifx\n"
		"import requests\n"
		"try:\n    import ujson\nexcept ImportError:\n    import json as ujson\n"
		"from app.missing import x\n");
	wm_test_sh(dir, "git add .");
	r = run(WM_SCOPE_ALL, NULL);
	for (i = 0; i < r->findings.count; i++)
		if (strstr(r->findings.items[i].message, "did you mean slugify?"))
			seen = true;
	ck_assert(seen);
	ck_assert_uint_eq(count_rule(r, "undeclared-dependency", NULL), 1);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", NULL), 1);
	wm_scan_result_free(r);
	r = run(WM_SCOPE_ALL, "imports:\n  guarded: info\n");
	ck_assert_uint_eq(count_rule(r, "undeclared-dependency", NULL), 2);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(js_rename_fix_keeps_the_specifier_style)
{
	const char *app = "import { helper } from './lib/util.js';\nimport u from \"./lib/util\";\n";
	wm_scan_result *r;
	char *fixed;

	wm_test_write(dir, "package.json", "{\"name\": \"x\"}\n");
	wm_test_write(dir, "src/lib/util.ts", "export function helper() {}\nexport default helper;\n");
	wm_test_write(dir, "src/app.ts", app);
	wm_test_sh(dir, "git add . && git commit -qm init && git mv src/lib/util.ts src/lib/helpers.ts");
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "src/app.ts"), 2);
	fixed = apply(r, "src/app.ts", app);
	ck_assert_str_eq(fixed, "import { helper } from './lib/helpers.js';\nimport u from \"./lib/helpers\";\n");
	wm_free(fixed);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(c_renamed_header_breaks_the_unchanged_includer)
{
	static const char *main_c = "#include \"util.h\"\n#include \"api.h\"\n#include <stdio.h>\n";
	wm_scan_result *r;
	char *fixed;

	wm_test_write(dir, "src/util.h", "int u(void);\n");
	wm_test_write(dir, "inc/api.h", "int a(void);\n");
	wm_test_write(dir, "src/main.c", main_c);
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run(WM_SCOPE_ALL, NULL);
	/* api.h is only elsewhere: reported, naming it */
	ck_assert_uint_eq(r->findings.count, 1);
	ck_assert_ptr_nonnull(strstr(r->findings.items[0].message, "did you mean inc/api.h"));
	wm_scan_result_free(r);
	r = run(WM_SCOPE_ALL, "imports:\n  include_dirs: [inc]\n  check_system_includes: true\n");
	/* <stdio.h> is checked now, against the include dirs only */
	ck_assert_uint_eq(r->findings.count, 1);
	ck_assert_uint_eq(r->findings.items[0].line, 3);
	wm_scan_result_free(r);
	wm_test_sh(dir, "git mv src/util.h src/utils.h");
	r = run(WM_SCOPE_STAGED, "imports:\n  include_dirs: [inc]\n");
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "src/main.c"), 1);
	ck_assert_uint_eq(r->findings.count, 1);
	fixed = apply(r, "src/main.c", main_c);
	ck_assert_str_eq(fixed, "#include \"utils.h\"\n#include \"api.h\"\n#include <stdio.h>\n");
	free(fixed);
	wm_scan_result_free(r);
	/* renamed within the include directory it resolved in: fixed too */
	wm_test_sh(dir, "git mv inc/api.h inc/api2.h");
	r = run(WM_SCOPE_STAGED, "imports:\n  include_dirs: [inc]\n");
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "src/main.c"), 2);
	fixed = apply(r, "src/main.c", main_c);
	ck_assert_str_eq(fixed, "#include \"utils.h\"\n#include \"api2.h\"\n#include <stdio.h>\n");
	free(fixed);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(c_include_dirs_from_compile_commands)
{
	wm_scan_result *r;
	char *cc;
	size_t n = strlen(dir) * 3 + 200;

	cc = malloc(n);
	snprintf(cc, n, "[{\"directory\": \"%s/build\", \"file\": \"%s/src/main.c\", "
		"\"command\": \"cc -I../inc -iquote %s/more -c ../src/main.c\"}]\n", dir, dir, dir);
	wm_test_write(dir, "compile_commands.json", cc);
	free(cc);
	wm_test_write(dir, "inc/api.h", "");
	wm_test_write(dir, "more/b.h", "");
	wm_test_write(dir, "src/main.c", "#include \"api.h\"\n#include \"b.h\"\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run(WM_SCOPE_ALL, NULL);
	ck_assert_msg(r->findings.count == 0, "%s", r->findings.count ? r->findings.items[0].message : "");
	wm_scan_result_free(r);
}
END_TEST

START_TEST(go_moved_package_and_undeclared_module)
{
	wm_scan_result *r;

	wm_test_write(dir, "go.mod", "module example.com/app\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.0 // indirect\n)\n");
	wm_test_write(dir, "pkg/util/u.go", "package util\n");
	wm_test_write(dir, "main.go", "package main\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\t\"example.com/app/pkg/util\"\n"
		"\t\"github.com/gin-gonic/gin/render\"\n)\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run(WM_SCOPE_ALL, NULL);
	ck_assert_msg(r->findings.count == 0, "%s", r->findings.count ? r->findings.items[0].message : "");
	wm_scan_result_free(r);
	wm_test_sh(dir, "git mv pkg/util pkg/utils");
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "main.go"), 1);
	ck_assert_uint_eq(r->findings.items[0].line, 6);
	wm_scan_result_free(r);
	wm_test_write(dir, "extra.go", "package main\n\nimport (\n\t\"github.com/other/thing\"\n\t\"log/slog\"\n"
		"\t\"C\"\n\t\"notstd/pkg\"\n)\n");
	wm_test_sh(dir, "git add extra.go");
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "undeclared-dependency", "extra.go"), 1);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "extra.go"), 1);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(rust_missing_module_file_and_undeclared_crate)
{
	wm_scan_result *r;

	wm_test_write(dir, "Cargo.toml", "[package]\nname = \"my-app\"\n\n[dependencies]\nserde-json = \"1\"\n"
		"[target.'cfg(unix)'.dependencies]\nlibc = \"0.2\"\n[dev-dependencies.tempfile]\nversion = \"3\"\n");
	wm_test_write(dir, "src/main.rs", "mod a;\nmod b;\nuse serde_json::Value;\nuse libc::c_int;\n"
		"extern crate tempfile;\nuse std::io;\nuse a::X;\nuse my_app::Y;\n");
	wm_test_write(dir, "src/a/mod.rs", "mod c;\n");
	wm_test_write(dir, "src/a/c.rs", "pub struct Z;\n");
	/* a test crate: not below src/, its undeclared crate is still reported */
	wm_test_write(dir, "tests/it.rs", "use my_app::a;\nuse tokio::main;\n");
	/* Rust 2015: `use a::X` in the crate is crate-relative */
	wm_test_write(dir, "src/a/d.rs", "use a::c;\n");
	wm_test_write(dir, "src/b.rs", "use regex::Regex;\nuse crate::a::c::Z;\nuse crate::gone::W;\n");
	wm_test_sh(dir, "git add . && git commit -qm init");
	r = run(WM_SCOPE_ALL, NULL);
	ck_assert_uint_eq(count_rule(r, "undeclared-dependency", "src/b.rs"), 1);
	/* crate::gone names nothing the crate root declares */
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "src/b.rs"), 1);
	ck_assert_uint_eq(count_rule(r, "undeclared-dependency", "tests/it.rs"), 1);
	ck_assert_uint_eq(r->findings.count, 3);
	wm_scan_result_free(r);
	wm_test_sh(dir, "git rm -q src/a/c.rs");
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "src/a/mod.rs"), 1);
	ck_assert_ptr_nonnull(strstr(r->findings.items[0].message, "src/a/c.rs or src/a/c/mod.rs"));
	wm_scan_result_free(r);
}
END_TEST

/* value/total of the run's "imports-cache" metric; value UINT64_MAX when absent */
static void cache_metric(const wm_scan_result *r, uint64_t *hits, uint64_t *lookups)
{
	size_t i;

	*hits = UINT64_MAX;
	*lookups = 0;
	for (i = 0; i < r->nmetrics; i++)
		if (!strcmp(r->metrics[i].name, "imports-cache")) {
			*hits = r->metrics[i].value;
			*lookups = r->metrics[i].total;
		}
}

/* The findings of a run as "path:line:rule" lines, to compare runs. */
static char *findings_text(const wm_scan_result *r)
{
	wm_buf b = WM_BUF_INIT;
	size_t i;

	for (i = 0; i < r->findings.count; i++)
		wm_buf_printf(&b, "%s:%u:%s\n", r->findings.items[i].path, r->findings.items[i].line,
			r->findings.items[i].rule);
	wm_buf_puts(&b, "");
	return wm_buf_detach(&b);
}

START_TEST(dependents_come_from_the_cache_on_the_second_run)
{
	wm_scan_result *r;
	uint64_t hits, lookups;
	char *first, *again;

	python_repo();
	wm_test_write(dir, "app/other.py", "import os\n");
	wm_test_sh(dir, "git add . && git commit -qm other && git mv app/utils.py app/helpers.py");
	r = run(WM_SCOPE_STAGED, NULL);
	first = findings_text(r);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, 0);   /* cold: every file computed */
	ck_assert_uint_eq(lookups, 5);   /* the unchanged .py files */
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "app/main.py"), 3);
	wm_scan_result_free(r);

	r = run(WM_SCOPE_STAGED, NULL);
	again = findings_text(r);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, 5);
	ck_assert_uint_eq(lookups, 5);
	ck_assert_str_eq(again, first);
	wm_free(again);
	wm_scan_result_free(r);

	/* without the cache: the same findings */
	setenv("WM_IMPORTS_CACHE", "off", 1);
	r = run(WM_SCOPE_STAGED, NULL);
	again = findings_text(r);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, 0);
	ck_assert_str_eq(again, first);
	wm_free(again);
	wm_scan_result_free(r);
	/* the byte search before the cache: the same findings, no metric */
	setenv("WM_IMPORTS_CACHE", "scan", 1);
	r = run(WM_SCOPE_STAGED, NULL);
	again = findings_text(r);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, UINT64_MAX);
	ck_assert_str_eq(again, first);
	wm_free(again);
	wm_scan_result_free(r);
	unsetenv("WM_IMPORTS_CACHE");

	/* a changed importer is a new blob: computed again, and its new import counts */
	wm_test_write(dir, "app/other.py", "from app.utils import slugify\n");
	wm_test_sh(dir, "git add app/other.py && git commit -qm other-imports-utils -- app/other.py");
	r = run(WM_SCOPE_STAGED, NULL);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, 4);
	ck_assert_uint_eq(lookups, 5);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "app/other.py"), 1);
	wm_scan_result_free(r);
	wm_free(first);
}
END_TEST

START_TEST(a_file_too_large_for_one_configuration_is_not_cached_as_empty)
{
	wm_scan_result *r;
	uint64_t hits, lookups;

	python_repo();
	wm_test_sh(dir, "git mv app/utils.py app/helpers.py");
	/* app/main.py is over the limit: not checked, and its (unknown) references not stored */
	r = run(WM_SCOPE_STAGED, "paths:\n  max_file_size: 100\n");
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "app/main.py"), 0);
	wm_scan_result_free(r);
	r = run(WM_SCOPE_STAGED, NULL);
	ck_assert_uint_eq(count_rule(r, "unresolved-import", "app/main.py"), 3);
	cache_metric(r, &hits, &lookups);
	ck_assert_uint_eq(hits, lookups - 1);
	wm_scan_result_free(r);
}
END_TEST

START_TEST(contracts_forbid_edges)
{
	wm_scan_result *r;

	wm_test_write(dir, "lib/__init__.py", "");
	wm_test_write(dir, "lib/core.py", "from cmd import tool\n");
	wm_test_write(dir, "cmd/__init__.py", "");
	wm_test_write(dir, "cmd/tool.py", "from lib import core\n");
	wm_test_sh(dir, "git add .");
	r = run(WM_SCOPE_ALL, "dna:\n  contracts: [\"lib/** must not import cmd/**\"]\n");
	ck_assert_uint_eq(count_rule(r, "contract-violation", "lib/core.py"), 1);
	ck_assert_uint_eq(r->findings.count, 1);
	wm_scan_result_free(r);
}
END_TEST

/*
 * C includes, Go imports and Rust mod/use edges resolve to a path that the
 * contracts are matched against; a Go package is forbidden with its files.
 */
START_TEST(contracts_cover_native_edges)
{
	wm_scan_result *r;

	wm_test_write(dir, "lib/core.h", "int core(void);\n");
	wm_test_write(dir, "lib/core.c", "#include \"../cmd/tool.h\"\n#include \"core.h\"\n");
	wm_test_write(dir, "cmd/tool.h", "int tool(void);\n");
	wm_test_write(dir, "cmd/main.c", "#include \"../lib/core.h\"\n");
	wm_test_write(dir, "go.mod", "module ex.com/m\n\ngo 1.22\n");
	wm_test_write(dir, "lib/g/g.go", "package g\n\nimport \"ex.com/m/cmd/tool\"\n");
	wm_test_write(dir, "cmd/tool/t.go", "package tool\n\nimport \"ex.com/m/lib/g\"\n");
	wm_test_write(dir, "rs/Cargo.toml", "[package]\nname = \"rs\"\n");
	wm_test_write(dir, "rs/src/lib.rs", "mod domain;\nmod infra;\n");
	wm_test_write(dir, "rs/src/domain.rs", "use crate::infra::db::Pool;\n");
	wm_test_write(dir, "rs/src/infra/mod.rs", "pub mod db;\n");
	wm_test_write(dir, "rs/src/infra/db.rs", "pub struct Pool;\n");
	wm_test_sh(dir, "git add .");
	r = run(WM_SCOPE_ALL, "dna:\n  contracts:\n    - \"lib/** must not import cmd/**\"\n"
		"    - \"rs/src/domain.rs must not import rs/src/infra/db.rs\"\n"
		"    - \"rs/src/lib.rs must not import rs/src/infra/**\"\n");
	ck_assert_uint_eq(count_rule(r, "contract-violation", "lib/core.c"), 1);
	ck_assert_uint_eq(r->findings.items[0].line, 1);
	ck_assert_uint_eq(count_rule(r, "contract-violation", "lib/g/g.go"), 1);
	/* the deepest module file of the use path, not the first segment's */
	ck_assert_uint_eq(count_rule(r, "contract-violation", "rs/src/domain.rs"), 1);
	/* `mod infra;` resolves to infra/mod.rs; `mod domain;` is allowed */
	ck_assert_uint_eq(count_rule(r, "contract-violation", "rs/src/lib.rs"), 1);
	ck_assert_uint_eq(r->findings.count, 4);
	wm_scan_result_free(r);
	/* a glob below the package's directory forbids the package itself */
	r = run(WM_SCOPE_ALL, "dna:\n  contracts: [\"lib/** must not import cmd/tool/**\"]\n");
	ck_assert_uint_eq(count_rule(r, "contract-violation", "lib/g/g.go"), 1);
	ck_assert_uint_eq(r->findings.count, 1);
	wm_scan_result_free(r);
	/* contracts nothing crosses */
	r = run(WM_SCOPE_ALL, "dna:\n  contracts: [\"cmd/** must not import rs/**\", "
		"\"rs/src/infra/** must not import rs/src/domain.rs\"]\n");
	ck_assert_uint_eq(r->findings.count, 0);
	wm_scan_result_free(r);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("imports");
	TCase *tc = tcase_create("facts");
	TCase *runs = tcase_create("runs");

	tcase_add_test(tc, python_imports_and_their_guards);
	tcase_add_test(tc, python_top_level_names);
	tcase_add_test(tc, js_imports_and_exports);
	tcase_add_test(tc, stdlib_covers_3_8_to_3_13);
	tcase_add_test(tc, dist_names_map_to_import_names);
	tcase_add_test(tc, edit_distance);
	tcase_add_test(tc, c_includes_skip_comments);
	tcase_add_test(tc, go_imports_single_and_grouped);
	tcase_add_test(tc, rust_mods_uses_and_items);
	tcase_add_test(tc, js_bundles_bind_their_own_require);
	tcase_add_test(tc, js_optional_requires_are_guarded);
	tcase_add_test(tc, references_of_every_language);
	tcase_add_test(tc, relative_references_name_their_package);
	tcase_add_test(tc, rust_module_names_by_scope);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(runs, setup, teardown);
	tcase_set_timeout(runs, 60);
	tcase_add_test(runs, clean_python_repository_has_no_findings);
	tcase_add_test(runs, staged_rename_breaks_the_unchanged_importer_and_fixes_restore_it);
	tcase_add_test(runs, moved_function_is_imported_from_its_new_module);
	tcase_add_test(runs, did_you_mean_and_undeclared_and_guarded);
	tcase_add_test(runs, js_rename_fix_keeps_the_specifier_style);
	tcase_add_test(runs, contracts_forbid_edges);
	tcase_add_test(runs, contracts_cover_native_edges);
	tcase_add_test(runs, dependents_come_from_the_cache_on_the_second_run);
	tcase_add_test(runs, a_file_too_large_for_one_configuration_is_not_cached_as_empty);
	tcase_add_test(runs, c_renamed_header_breaks_the_unchanged_includer);
	tcase_add_test(runs, c_include_dirs_from_compile_commands);
	tcase_add_test(runs, go_moved_package_and_undeclared_module);
	tcase_add_test(runs, rust_missing_module_file_and_undeclared_crate);
	suite_add_tcase(s, runs);
	return wm_test_run(s);
}
