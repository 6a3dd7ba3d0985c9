/*
 * imports.c - the imports detector: imports that resolve nowhere, names
 * that are no longer there, dependencies nobody declared, and import
 * edges the repository's DNA forbids.
 *
 * The most common break after a refactor is in a file that did not
 * change: renaming a module breaks its importers, not the module. So the
 * detector works in two steps. scan_file checks every import of a target
 * file against the repository index (imports_index.c), which covers the
 * whole world. scan_repo then, in --staged and --diff runs, finds the
 * dependents: unchanged files that import a module this run changed,
 * renamed or deleted, and checks their imports of it too, reporting on
 * those files. The scan only computes positions and suppressions for the
 * file it is scanning, so for dependents this file does both itself.
 *
 * Finding dependents must not cost a parse of the whole repository on
 * every commit. imports_refs.c keeps each blob's module references in a
 * cache under the common git dir, keyed by blob oid, and picks as
 * candidates the files whose references name a changed module; only those
 * are parsed and checked. A warm run reads no unchanged blob at all; a
 * cold one (a new clone, `rm -r .git/wm/cache`) parses every file once to
 * fill the cache. The cache is an optimisation only: without it (broken,
 * locked, read-only, WM_IMPORTS_CACHE=off) the same dependents are found
 * by computing what it would have held.
 */
#include <string.h>

#include "imports.h"

static const wm_rule_info rules[] = {
	{
		"unresolved-import",
		WM_SEV_ERROR,
		"An import names a module that does not exist in the repository.",
		"The module this import names is not in the repository at the path the "
		"import system would look for it: it was renamed, moved or deleted, or the "
		"import has a typo. When this change renamed the module, `--fix` rewrites the "
		"import to the new location in the same style (relative or absolute, with "
		"the same bound name). Imports inside try/except ImportError are optional by "
		"design and follow `imports.guarded` (default off). Python import roots "
		"besides the top level and src/ are set with `imports.roots`. C/C++: an "
		"`#include \"...\"` must be next to the includer or in `imports.include_dirs` "
		"(or a -I of compile_commands.json). Go: a package of the module must be a "
		"directory with .go files (go.work and local replace directives count; a moved package gets its "
		"new import path as a fix). Rust: `mod x;` needs x.rs or x/mod.rs (a renamed file gets a "
		"#[path] fix); `use crate::a::b` must reach a module of the crate."
	},
	{
		"unresolved-name",
		WM_SEV_ERROR,
		"A name is imported from a first-party module that does not define it.",
		"`from m import name` needs `name` to be a submodule of m or bound at the top "
		"level of m (a definition, an assignment, an import, an `__all__` entry, or "
		"a star re-export of another module); for JavaScript and TypeScript, a named "
		"import needs a matching export. The name was renamed, moved or removed. When "
		"this change moved it to another module, `--fix` imports it from there; "
		"otherwise the message lists the closest existing names."
	},
	{
		"undeclared-dependency",
		WM_SEV_WARNING,
		"A third-party import that no manifest declares.",
		"The module is not part of the repository or the standard library, and no "
		"manifest declares a distribution that provides it (pyproject.toml, "
		"requirements*.txt, setup.cfg, setup.py, Pipfile; package.json for "
		"JavaScript, go.mod for Go, Cargo.toml for Rust). It works on the machine where it happens to be installed and "
		"fails on a fresh one. Declare the dependency, or list the manifest in "
		"`imports.dependency_files` if it has an unusual name."
	},
	{
		"contract-violation",
		WM_SEV_ERROR,
		"An import crosses a boundary that `dna.contracts` forbids.",
		"The repository's DNA (`dna.contracts` in .wm.yml) says files matching the "
		"first glob must never import files matching the second, e.g. "
		"`lib/** must not import cmd/**`. The second glob is matched against the file "
		"the import resolves to: for Go, the imported package's files (so `pkg/internal/**` "
		"covers the package pkg/internal); for Rust `use crate::a::b`, the deepest module "
		"of the path that has a file. Move the code so the dependency points the "
		"allowed way, or change the contract."
	},
};

int imp_emit(const imp_ctx *ctx, const char *rule, bool guarded, uint32_t start,
	uint32_t end, const char *message, const wm_fix *fix)
{
	return imp_emit_severity(ctx, rule, guarded, WM_SEV_NONE, start, end, message, fix);
}

int imp_emit_severity(const imp_ctx *ctx, const char *rule, bool guarded, wm_severity severity,
	uint32_t start, uint32_t end, const char *message, const wm_fix *fix)
{
	wm_finding f = WM_FINDING_INIT;
	int error = 0;

	f.severity = severity;
	if (guarded) {
		const char *g = wm_config_string(wm_scan_config(ctx->scan), "imports.guarded");

		if (!g || wm_severity_parse(&f.severity, g) < 0 || f.severity == WM_SEV_NONE)
			return 0;
	}
	f.rule = (char *)rule;
	f.path = (char *)ctx->path;
	f.start_byte = start;
	f.end_byte = end;
	f.message = (char *)message;
	if (fix && (error = wm_finding_set_fix(&f, fix)) < 0)
		return error;
	/* A dependent is not the file the scan holds: its content is ours to lend. */
	error = ctx->current ? wm_emit(ctx->scan, &f) : wm_emit_in(ctx->scan, &f, ctx->data, ctx->size);
	if (f.fix) {
		wm_fix *own = f.fix;
		size_t i;

		for (i = 0; i < own->nedits; i++) {
			wm_free(own->edits[i].path);
			wm_free(own->edits[i].replacement);
		}
		wm_free(own->edits);
		wm_free(own->description);
		wm_free(own);
	}
	return error;
}

int imp_contract_check(const imp_ctx *ctx, const imp_stmt *stmt, const char *target, const char *shown)
{
	const imp_index *idx = ctx->idx;
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < idx->ncontracts && target && !error; i++) {
		if (!wm_glob_match(idx->contract_from[i], ctx->path) ||
		    !wm_glob_match(idx->contract_forbid[i], target))
			continue;
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "%s imports %s: the contract \"%s must not import %s\" "
				"forbids it", ctx->path, shown ? shown : target, idx->contract_from[i],
				idx->contract_forbid[i])) < 0)
			break;
		error = imp_emit(ctx, "contract-violation", false, stmt->mod_start, stmt->mod_end,
			msg.ptr, NULL);
	}
	wm_buf_dispose(&msg);
	return error;
}

static bool checked_lang(wm_lang lang)
{
	return lang == WM_LANG_PYTHON || lang == WM_LANG_JAVASCRIPT ||
		lang == WM_LANG_TYPESCRIPT || lang == WM_LANG_TSX || imp_native_lang(lang);
}

static int check(const imp_ctx *ctx, const imp_info *info)
{
	if (imp_native_lang(info->lang))
		return imp_native_check(ctx, info);
	return info->lang == WM_LANG_PYTHON ? imp_python_check(ctx, info) : imp_js_check(ctx, info);
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	imp_index *idx;
	imp_info *info = NULL;
	const imp_info *known;
	const TSTree *tree;
	imp_ctx ctx;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || !file->data || !checked_lang(file->lang))
		return 0;
	if ((error = imp_index_get(&idx, scan)) < 0)
		return error;
	/* The facts may be known already, if another file imported this one. */
	known = NULL;
	{
		void **v = imp_map_get(&idx->infos, file->path, strlen(file->path));

		if (v)
			known = *v;
	}
	if (!known && imp_native_lang(file->lang)) {
		/* a lexical scan: no tree needed */
		if ((error = imp_native_extract(&info, file->lang, file->path, file->data, file->size)) < 0 ||
		    (error = imp_index_keep(idx, file->path, info)) < 0)
			return error;
		known = info;
	}
	if (!known) {
		if ((error = wm_scan_tree(&tree, scan, file)) < 0)
			return error == WM_EPARSE || error == WM_ENOTFOUND ? 0 : error;
		error = file->lang == WM_LANG_PYTHON ? imp_python_extract(&info, file->data, file->size, tree)
			: imp_js_extract(&info, file->lang, file->data, file->size, tree);
		if (error < 0 || (error = imp_index_keep(idx, file->path, info)) < 0)
			return error;
		known = info;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.scan = scan;
	ctx.idx = idx;
	ctx.path = file->path;
	ctx.data = file->data;
	ctx.size = file->size;
	ctx.current = true;
	return check(&ctx, known);
}

static bool excluded(wm_scan *scan, const char *path)
{
	const wm_config *cfg = wm_scan_config(scan);
	const char *const *globs;
	size_t n, i;

	if (wm_config_path_excluded(cfg, path))
		return true;
	globs = wm_config_list(cfg, "detectors.imports.exclude", &n);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}

/* Dependents: unchanged files that import what this run changed. */
static int scan_repo(wm_scan *scan)
{
	const wm_targets *targets = wm_scan_targets(scan);
	const wm_world *world = wm_scan_world(scan);
	imp_map is_target = IMP_MAP_INIT;
	imp_refs *refs = NULL;
	imp_index *idx;
	size_t i, count;
	bool changes = false;
	int error = 0;

	for (i = 0; targets && i < targets->count; i++)
		if (targets->items[i].change != WM_CHANGE_NONE)
			changes = true;
	if (!changes)
		return 0;
	if ((error = imp_index_get(&idx, scan)) < 0)
		return error;
	for (i = 0; i < targets->count && !error; i++)
		if (targets->items[i].change != WM_CHANGE_DELETED)
			error = imp_map_put(&is_target, targets->items[i].path,
				strlen(targets->items[i].path), (void *)1);
	if (error < 0 || (error = imp_refs_new(&refs, idx)) < 0 || !refs)
		goto done;

	count = wm_world_count(world);
	for (i = 0; i < count; i++) {
		const wm_entry *e = wm_world_entry(world, i);
		wm_blob blob = WM_BLOB_INIT;
		const imp_info *info;
		imp_ctx ctx;
		bool hit;

		if (e->mode == WM_MODE_LINK || e->mode == WM_MODE_GITLINK ||
		    !checked_lang(wm_syntax_detect(e->path, NULL, 0)) ||
		    imp_map_has(&is_target, e->path) || excluded(scan, e->path))
			continue;
		if ((error = imp_refs_match(&hit, refs, e)) < 0)
			goto done;
		if (!hit)
			continue;
		if ((error = wm_world_read(&blob, world, e->path)) < 0) {
			if (error == WM_ENOMEM)
				goto done;
			error = 0;
			continue;
		}
		if ((error = imp_index_info(&info, idx, e->path)) < 0 || !info) {
			wm_blob_release(&blob);
			if (error < 0)
				goto done;
			continue;
		}
		memset(&ctx, 0, sizeof(ctx));
		ctx.scan = scan;
		ctx.idx = idx;
		ctx.path = e->path;
		ctx.data = blob.data;
		ctx.size = blob.size;
		ctx.dependent = true;
		error = check(&ctx, info);
		wm_blob_release(&blob);
		if (error < 0)
			goto done;
	}
	error = imp_refs_finish(refs, scan);
done:
	imp_refs_free(refs);
	imp_map_dispose(&is_target, NULL);
	return error;
}

static void end(wm_scan *scan)
{
	void **slot = wm_scan_state(scan);

	if (slot && *slot) {
		imp_index_free(*slot);
		*slot = NULL;
	}
}

const wm_detector wm_detector_imports = {
	"imports",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	scan_file,
	scan_repo,
	end,
};
