/*
 * imports_index.c - what the imports detector knows about the whole world
 * during one run.
 *
 * Imports resolve against every file of the world, not only the targets,
 * so the index is built from the world the first time the detector needs
 * it and kept in the scan's detector slot until the run ends. Building it
 * is one pass over the world's entries (no file is read): the set of
 * paths, and every directory with flags saying whether Python lives below
 * it and whether it is a regular package. Facts of a file (imp_info) are
 * parsed on first request only, since a run usually needs the few modules
 * its targets import, not the whole repository.
 *
 * The run's changes come from the targets: old path -> new path for
 * renames (what fixes rewrite to), and the set of paths changed, renamed
 * away or deleted (what makes an unchanged file a dependent worth
 * checking).
 */
#include <stdlib.h>
#include <string.h>

#include "imports.h"

static void free_info(void *p)
{
	imp_info_free(p);
}

void imp_index_free(imp_index *idx)
{
	size_t i;

	if (!idx)
		return;
	imp_map_dispose(&idx->files, NULL);
	imp_map_dispose(&idx->dirs, NULL);
	imp_map_dispose(&idx->infos, free_info);
	imp_map_dispose(&idx->pydeps, NULL);
	imp_map_dispose(&idx->jsdeps, NULL);
	imp_map_dispose(&idx->jspkgs, wm_free);
	imp_map_dispose(&idx->moved, wm_free);
	imp_map_dispose(&idx->changed, NULL);
	imp_map_dispose(&idx->gomods, wm_free);
	imp_map_dispose(&idx->goreqs, NULL);
	imp_map_dispose(&idx->godirs, NULL);
	imp_map_dispose(&idx->goreplace, wm_free);
	imp_map_dispose(&idx->bybase, wm_free);
	imp_map_dispose(&idx->rustdeps, NULL);
	for (i = 0; i < idx->ninc; i++)
		wm_free(idx->inc_dirs[i]);
	wm_free(idx->inc_dirs);
	for (i = 0; i < idx->nroots; i++)
		wm_free(idx->roots[i]);
	wm_free(idx->roots);
	for (i = 0; i < idx->naliases; i++) {
		wm_free(idx->alias_from[i]);
		wm_free(idx->alias_to[i]);
	}
	wm_free(idx->alias_from);
	wm_free(idx->alias_to);
	wm_free(idx->base_url);
	for (i = 0; i < idx->ncontracts; i++) {
		wm_free(idx->contract_from[i]);
		wm_free(idx->contract_forbid[i]);
	}
	wm_free(idx->contract_from);
	wm_free(idx->contract_forbid);
	wm_free(idx);
}

bool imp_index_file(const imp_index *idx, const char *path)
{
	return imp_map_get(&idx->files, path, strlen(path)) != NULL;
}

int imp_index_dir(const imp_index *idx, const char *path)
{
	void **v = imp_map_get(&idx->dirs, path, strlen(path));

	return v ? (int)(uintptr_t)*v : 0;
}

static int dir_flag(imp_index *idx, const char *path, size_t len, int flags)
{
	void **v = imp_map_get(&idx->dirs, path, len);

	if (v) {
		*v = (void *)((uintptr_t)*v | (uintptr_t)flags);
		return 0;
	}
	return imp_map_put(&idx->dirs, path, len, (void *)(uintptr_t)flags);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static int add_path(imp_index *idx, const char *path)
{
	const char *base = strrchr(path, '/');
	bool py = ends_with(path, ".py") || ends_with(path, ".pyi");
	size_t i, n = strlen(path);
	int error;

	if ((error = imp_map_put(&idx->files, path, n, (void *)1)) < 0 ||
	    (error = dir_flag(idx, "", 0, IMP_DIR | (py ? IMP_DIR_PY : 0))) < 0)
		return error;
	for (i = 0; i < n; i++)
		if (path[i] == '/' && (error = dir_flag(idx, path, i, IMP_DIR | (py ? IMP_DIR_PY : 0))) < 0)
			return error;
	base = base ? base + 1 : path;
	if (base != path && (!strcmp(base, "__init__.py") || !strcmp(base, "__init__.pyi")))
		return dir_flag(idx, path, (size_t)(base - 1 - path), IMP_DIR_INIT);
	return 0;
}

static int add_root(imp_index *idx, const char *root, size_t len)
{
	char **grown;
	size_t i;

	while (len > 0 && root[len - 1] == '/')
		len--;
	if (len == 1 && root[0] == '.')
		len = 0;
	if (len >= 2 && root[0] == '.' && root[1] == '/') {
		root += 2;
		len -= 2;
	}
	for (i = 0; i < idx->nroots; i++)
		if (strlen(idx->roots[i]) == len && !strncmp(idx->roots[i], root, len))
			return 0;
	if (!(grown = wm_reallocarray(idx->roots, idx->nroots + 1, sizeof(*grown))))
		return WM_ENOMEM;
	idx->roots = grown;
	if (!(idx->roots[idx->nroots] = wm_strndup(root, len)))
		return WM_ENOMEM;
	idx->nroots++;
	return 0;
}

/* Configured roots, the top level, src/, and each Python project's directory and src/. */
static int add_roots(imp_index *idx, const wm_config *cfg)
{
	const char *const *list;
	wm_buf src = WM_BUF_INIT;
	size_t n, i, count = wm_world_count(idx->world);
	int error = 0;

	list = wm_config_list(cfg, "imports.roots", &n);
	for (i = 0; i < n && !error; i++)
		error = add_root(idx, list[i], strlen(list[i]));
	if (!error)
		error = add_root(idx, "", 0);
	if (!error && imp_index_dir(idx, "src"))
		error = add_root(idx, "src", 3);
	for (i = 0; i < count && !error; i++) {
		const char *p = wm_world_entry(idx->world, i)->path, *slash = strrchr(p, '/');
		const char *b = slash ? slash + 1 : p;

		if (!slash || (strcmp(b, "pyproject.toml") && strcmp(b, "setup.py") && strcmp(b, "setup.cfg")))
			continue;
		if ((error = add_root(idx, p, (size_t)(slash - p))) < 0)
			break;
		wm_buf_clear(&src);
		if ((error = wm_buf_printf(&src, "%.*s/src", (int)(slash - p), p)) < 0)
			break;
		if (imp_index_dir(idx, src.ptr))
			error = add_root(idx, src.ptr, src.size);
	}
	wm_buf_dispose(&src);
	return error;
}

static int add_changes(imp_index *idx, const wm_targets *targets)
{
	size_t i;
	int error = 0;

	for (i = 0; targets && i < targets->count && !error; i++) {
		const wm_target *t = &targets->items[i];
		char *to;

		if (t->change == WM_CHANGE_NONE)
			continue;
		idx->has_changes = true;
		if ((error = imp_map_put(&idx->changed, t->path, strlen(t->path), (void *)1)) < 0)
			break;
		if (t->change == WM_CHANGE_DELETED || t->change == WM_CHANGE_RENAMED) {
			const char *from = t->change == WM_CHANGE_RENAMED ? t->old_path : t->path;

			if (!from)
				continue;
			if (!(to = wm_strdup(t->change == WM_CHANGE_RENAMED ? t->path : "")))
				return WM_ENOMEM;
			if ((error = imp_map_put(&idx->moved, from, strlen(from), to)) < 0) {
				wm_free(to);
				break;
			}
			error = imp_map_put(&idx->changed, from, strlen(from), (void *)1);
		}
	}
	return error;
}

/*
 * dna.contracts: "FROM must not import TO" (also "FROM -/-> TO"), each a
 * glob as paths.* take them.
 */
static int add_contracts(imp_index *idx, const wm_config *cfg)
{
	static const char *const seps[] = { " must not import ", " -/-> ", " !-> " };
	const char *const *list;
	size_t n, i, k;

	list = wm_config_list(cfg, "dna.contracts", &n);
	if (!n)
		return 0;
	if (!(idx->contract_from = wm_calloc(n, sizeof(char *))) ||
	    !(idx->contract_forbid = wm_calloc(n, sizeof(char *))))
		return WM_ENOMEM;
	for (i = 0; i < n; i++) {
		const char *sep = NULL;
		size_t sl = 0;

		for (k = 0; k < sizeof(seps) / sizeof(seps[0]) && !sep; k++)
			if ((sep = strstr(list[i], seps[k])))
				sl = strlen(seps[k]);
		if (!sep)
			return wm_error_set(WM_ECONFIG,
				"dna.contracts: \"%s\" is not of the form \"FROM must not import TO\"", list[i]);
		idx->contract_from[idx->ncontracts] = wm_strndup(list[i], (size_t)(sep - list[i]));
		idx->contract_forbid[idx->ncontracts] = wm_strdup(sep + sl);
		idx->ncontracts++;
		if (!idx->contract_from[i] || !idx->contract_forbid[i])
			return WM_ENOMEM;
	}
	return 0;
}

int imp_index_get(imp_index **out, wm_scan *scan)
{
	void **slot = wm_scan_state(scan);
	imp_index *idx = NULL;
	size_t i, count;
	int error = 0;

	*out = NULL;
	if (slot && *slot) {
		*out = *slot;
		return 0;
	}
	if (!(idx = wm_calloc(1, sizeof(*idx))))
		return WM_ENOMEM;
	idx->scan = scan;
	idx->world = wm_scan_world(scan);
	count = wm_world_count(idx->world);
	for (i = 0; i < count && !error; i++) {
		const wm_entry *e = wm_world_entry(idx->world, i);

		if (e->mode != WM_MODE_GITLINK)
			error = add_path(idx, e->path);
	}
	if (error < 0 ||
	    (error = add_roots(idx, wm_scan_config(scan))) < 0 ||
	    (error = add_changes(idx, wm_scan_targets(scan))) < 0 ||
	    (error = add_contracts(idx, wm_scan_config(scan))) < 0 ||
	    (error = imp_deps_load(idx)) < 0)
		goto done;
	if (slot)
		*slot = idx;
	*out = idx;
	idx = NULL;
done:
	if (idx && !*out)
		imp_index_free(idx);
	return error;
}

int imp_index_keep(imp_index *idx, const char *path, imp_info *info)
{
	void **v = imp_map_get(&idx->infos, path, strlen(path));
	int error;

	if (v) {
		imp_info_free(*v);
		*v = info;
		return 0;
	}
	if ((error = imp_map_put(&idx->infos, path, strlen(path), info)) < 0)
		imp_info_free(info);
	return error;
}

int imp_index_extract(imp_info **out, imp_index *idx, const char *path, const char *data, size_t size)
{
	int64_t max = wm_config_int(wm_scan_config(idx->scan), "paths.max_file_size");
	wm_lang lang = wm_syntax_detect(path, data, size);
	TSTree *tree = NULL;
	int error;

	*out = NULL;
	/* configuration, not content: the one outcome that is no fact of the blob */
	if (max > 0 && size > (uint64_t)max)
		return WM_ENOTFOUND;
	if (wm_syntax_is_binary(data, size))
		return 0;
	if (imp_native_lang(lang))
		return imp_native_extract(out, lang, path, data, size);
	if (lang != WM_LANG_PYTHON && lang != WM_LANG_JAVASCRIPT && lang != WM_LANG_TYPESCRIPT &&
	    lang != WM_LANG_TSX)
		return 0;
	if ((error = wm_syntax_parse(&tree, lang, data, size)) < 0)
		/* a parse timeout says nothing about the content either */
		return error == WM_ENOMEM ? error : WM_ENOTFOUND;
	error = lang == WM_LANG_PYTHON ? imp_python_extract(out, data, size, tree)
		: imp_js_extract(out, lang, data, size, tree);
	ts_tree_delete(tree);
	return error;
}

int imp_index_info(const imp_info **out, imp_index *idx, const char *path)
{
	void **v = imp_map_get(&idx->infos, path, strlen(path));
	wm_blob blob = WM_BLOB_INIT;
	imp_info *info = NULL;
	int error = 0;

	*out = NULL;
	if (v) {
		*out = *v;
		return 0;
	}
	if (!imp_index_file(idx, path))
		return 0;
	/* unreadable (a symlink, a submodule), too large or unparsable: nothing to know */
	if ((error = wm_world_read(&blob, idx->world, path)) < 0)
		error = error == WM_ENOMEM ? error : 0;
	else if ((error = imp_index_extract(&info, idx, path, blob.data, blob.size)) == WM_ENOTFOUND)
		error = 0;
	if (error < 0)
		goto done;
	if ((error = imp_index_keep(idx, path, info)) < 0) {
		info = NULL;
		goto done;
	}
	*out = info;
	info = NULL;
done:
	imp_info_free(info);
	wm_blob_release(&blob);
	return error;
}
