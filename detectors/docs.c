/*
 * docs.c - the docs detector: documentation gaps and documentation lag.
 *
 * Every language front end reduces a file to the same list of items (what
 * may carry documentation, whether it is public, whether it is documented,
 * its signature and the parameters its documentation names). This file
 * judges those items once for all languages:
 *
 * - missing-doc: a counted (public, not ignored) item without documentation;
 *   with `docs.fix.stubs: true` the finding carries a skeleton to insert.
 * - doc-param-mismatch: the documentation names a parameter the signature
 *   does not have, or documents parameters but leaves one out.
 * - doc-stale: in --staged and --diff, an item whose signature changed while
 *   its documentation stayed byte for byte the same. The base version of the
 *   file comes from wm_scan_base_world() and is parsed here; that is the only
 *   second parse, and only for modified files.
 * - coverage: documented out of counted items per file, recorded as the
 *   "doc-coverage" metric. scan_repo sums them for `docs.coverage.floor`,
 *   and for `docs.coverage.ratchet` compares with the same files at the
 *   merge base. Coverage is over the targets of the run: --all measures the
 *   repository, --diff the change.
 *
 * Markdown links live in docs_markdown.c; they need the whole world rather
 * than a tree.
 */
#include <stdlib.h>
#include <string.h>

#include "docs.h"

static const wm_rule_info rules[] = {
	{ "missing-doc", WM_SEV_WARNING, "Public API without documentation.",
	  "A public module, class, function, method or type has no docstring or doc "
	  "comment. Readers and tools (help(), IDEs, rustdoc, godoc) have nothing to "
	  "show. Write one; `docs.fix.stubs: true` makes wm propose a skeleton. "
	  "Warning by default: undocumented code should not block a commit unless "
	  "the project says so (`detectors.docs.severity.missing-doc: error`)." },
	{ "doc-param-mismatch", WM_SEV_WARNING, "Documented parameters differ from the signature.",
	  "The documentation names a parameter the function does not have (often "
	  "renamed or misspelt), or documents its parameters but leaves one out. "
	  "Python docstrings in Google, NumPy and Sphinx style and JSDoc @param are "
	  "read." },
	{ "doc-stale", WM_SEV_WARNING, "A signature changed but its documentation did not.",
	  "In a staged commit or a diff, the signature of a documented function "
	  "changed while its docstring or doc comment stayed the same: the "
	  "documentation probably describes the old behaviour." },
	{ "broken-link", WM_SEV_ERROR, "A relative Markdown link leads nowhere.",
	  "A link or image in a Markdown file points to a file or directory that "
	  "does not exist in the scanned tree, or to a #anchor no heading of the "
	  "target makes (GitHub's heading slugs). When the target was renamed in "
	  "the change, the finding carries a fix that points the link at the new "
	  "path. External URLs are not fetched." },
	{ "coverage-below-floor", WM_SEV_ERROR, "Documentation coverage is below docs.coverage.floor.",
	  "The share of documented public items among the scanned files is below "
	  "the configured floor. Document the items `wm-docs --coverage` lists as "
	  "missing, or lower the floor." },
	{ "coverage-ratchet", WM_SEV_ERROR, "Documentation coverage dropped below the merge base.",
	  "With `docs.coverage.ratchet: true`, a --diff run fails when the changed "
	  "files are less documented than they were at the merge base." },
};

/* --- items ------------------------------------------------------------- */

docs_item *docs__item_new(docs_items *items, const char *kind, const char *name, size_t len)
{
	docs_item *grown, *it;

	if (!(grown = wm_reallocarray(items->items, items->count + 1, sizeof(*grown))))
		return NULL;
	items->items = grown;
	it = &items->items[items->count];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->stub_at = UINT32_MAX;
	it->params_known = true;
	if (!(it->name = wm_strndup(name, len)))
		return NULL;
	items->count++;
	return it;
}

int docs__item_param(docs_item *item, const char *name, size_t len)
{
	char **grown;

	if (!(grown = wm_reallocarray(item->params, item->nparams + 1, sizeof(*grown))))
		return WM_ENOMEM;
	item->params = grown;
	if (!(item->params[item->nparams] = wm_strndup(name, len)))
		return WM_ENOMEM;
	item->nparams++;
	return 0;
}

int docs__item_doc_param(docs_item *item, const char *name, size_t len, uint32_t start)
{
	docs_param *grown;

	if (!(grown = wm_reallocarray(item->doc_params, item->ndoc_params + 1, sizeof(*grown))))
		return WM_ENOMEM;
	item->doc_params = grown;
	if (!(item->doc_params[item->ndoc_params].name = wm_strndup(name, len)))
		return WM_ENOMEM;
	item->doc_params[item->ndoc_params].start = start;
	item->doc_params[item->ndoc_params].end = start + (uint32_t)len;
	item->ndoc_params++;
	return 0;
}

void docs__items_dispose(docs_items *items)
{
	size_t i, j;

	for (i = 0; i < items->count; i++) {
		docs_item *it = &items->items[i];

		wm_free(it->name);
		for (j = 0; j < it->nparams; j++)
			wm_free(it->params[j]);
		wm_free(it->params);
		for (j = 0; j < it->ndoc_params; j++)
			wm_free(it->doc_params[j].name);
		wm_free(it->doc_params);
		wm_free(it->stub_indent);
	}
	wm_free(items->items);
	items->items = NULL;
	items->count = 0;
}

char *docs__node_text(TSNode node, const char *data)
{
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);

	return wm_strndup(data + s, e > s ? e - s : 0);
}

bool docs__node_is(TSNode node, const char *data, const char *s)
{
	uint32_t a = ts_node_start_byte(node), b = ts_node_end_byte(node);
	size_t n = strlen(s);

	return !ts_node_is_null(node) && b - a == n && !memcmp(data + a, s, n);
}

static bool is_comment(TSNode n)
{
	return strstr(ts_node_type(n), "comment") != NULL;
}

bool docs__comment_above(uint32_t *start, uint32_t *end, TSNode node, const char *data,
	bool (*accept)(const char *text, size_t len), const char *skip)
{
	TSNode prev = ts_node_prev_sibling(node);
	uint32_t row = ts_node_start_point(node).row;
	bool found = false;

	while (!ts_node_is_null(prev)) {
		uint32_t ps = ts_node_start_byte(prev), pe = ts_node_end_byte(prev);

		/* A blank line (or code) between ends the documentation block. */
		if (ts_node_end_point(prev).row + 1 < row)
			break;
		if (skip && !strcmp(ts_node_type(prev), skip)) {
			row = ts_node_start_point(prev).row;
			prev = ts_node_prev_sibling(prev);
			continue;
		}
		if (!is_comment(prev) || (accept && !accept(data + ps, pe - ps)))
			break;
		/* A comment that ends the line of code before it belongs to that code. */
		if (ts_node_start_point(prev).column > 0) {
			uint32_t b = ps;

			while (b > 0 && (data[b - 1] == ' ' || data[b - 1] == '\t'))
				b--;
			if (b > 0 && data[b - 1] != '\n')
				break;
		}
		if (!found)
			*end = pe;
		*start = ps;
		found = true;
		row = ts_node_start_point(prev).row;
		prev = ts_node_prev_sibling(prev);
	}
	return found;
}

char *docs__indent_at(const char *data, uint32_t at)
{
	uint32_t s = at;

	while (s > 0 && (data[s - 1] == ' ' || data[s - 1] == '\t'))
		s--;
	if (s > 0 && data[s - 1] != '\n')
		return NULL;
	return wm_strndup(data + s, at - s);
}

/* --- options ----------------------------------------------------------- */

static void read_opts(docs_opts *o, const wm_config *cfg)
{
	o->ignore_private = wm_config_bool(cfg, "docs.ignore.private");
	o->ignore_magic = wm_config_bool(cfg, "docs.ignore.magic");
	o->ignore_init_method = wm_config_bool(cfg, "docs.ignore.init_method");
	o->ignore_init_module = wm_config_bool(cfg, "docs.ignore.init_module");
	o->ignore_module = wm_config_bool(cfg, "docs.ignore.module");
	o->ignore_nested = wm_config_bool(cfg, "docs.ignore.nested_functions");
	o->ignore_overloads = wm_config_bool(cfg, "docs.ignore.overloads");
	o->ignore_setters = wm_config_bool(cfg, "docs.ignore.setters");
	o->style = wm_config_string(cfg, "docs.style");
	if (!o->style)
		o->style = "auto";
}

/* C headers are public API only where `docs.c_headers` (default include/ **) says. */
static bool is_public_header(const wm_config *cfg, const char *path)
{
	const char *const *globs;
	size_t n, i;

	globs = wm_config_list(cfg, "docs.c_headers", &n);
	if (n == 0)
		return wm_glob_match("include/**", path);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}

/*
 * Test code is not public API: pydocstyle skips test_ files by default and
 * nobody documents a test function for its callers. Without this, tests
 * make up 80-95% of missing-doc findings on real projects (requests: 318 of
 * 361, flask: 462 of 596).
 */
static bool is_test_path(const wm_config *cfg, const char *path)
{
	static const char *const globs[] = {
		"tests/", "test/", "testing/", "testdata/", "__tests__/", "test_suite/",
		"test_*.py", "*_test.py", "conftest.py", "*_test.go", "*.test.js", "*.spec.js",
		"*.test.ts", "*.spec.ts", "*.test.tsx", "*.spec.tsx",
	};
	size_t i;

	if (!wm_config_bool(cfg, "docs.ignore.tests"))
		return false;
	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}

static bool is_header(const char *path)
{
	size_t n = strlen(path);

	return (n > 2 && !strcmp(path + n - 2, ".h")) || (n > 4 && !strcmp(path + n - 4, ".hpp")) ||
		(n > 3 && !strcmp(path + n - 3, ".hh"));
}

/*
 * The items of one version of a file. `lang` and the tree say how to read
 * it; files no front end covers give no items.
 */
static int file_items(docs_items *out, const wm_config *cfg, const wm_world *world,
	const char *path, wm_lang lang, const char *data, size_t size, TSNode root)
{
	docs_opts opts;

	read_opts(&opts, cfg);
	if (is_test_path(cfg, path))
		return 0;
	switch (lang) {
	case WM_LANG_PYTHON:
		return docs__python_items(out, data, size, root, path, &opts);
	case WM_LANG_JAVASCRIPT:
	case WM_LANG_TYPESCRIPT:
	case WM_LANG_TSX:
		return docs__js_items(out, data, size, root, &opts);
	case WM_LANG_GO:
		/* Tests are not API. */
		if (strlen(path) > 8 && !strcmp(path + strlen(path) - 8, "_test.go"))
			return 0;
		return docs__go_items(out, data, size, root, &opts);
	case WM_LANG_RUST:
		return docs__rust_items(out, data, size, root, path, world);
	case WM_LANG_C:
	case WM_LANG_CPP:
		if (!is_header(path) || !is_public_header(cfg, path))
			return 0;
		return docs__c_items(out, data, size, root);
	default:
		return 0;
	}
}

/* Parse content and list its items (the base version of a file). */
static int parse_items(docs_items *out, const wm_config *cfg, const wm_world *world,
	const char *path, const char *data, size_t size)
{
	wm_lang lang = wm_syntax_detect(path, data, size);
	TSTree *tree = NULL;
	int error;

	if (lang == WM_LANG_NONE || wm_syntax_is_binary(data, size))
		return 0;
	if ((error = wm_syntax_parse(&tree, lang, data, size)) < 0)
		return error == WM_EPARSE ? 0 : error;
	error = file_items(out, cfg, world, path, lang, data, size, ts_tree_root_node(tree));
	ts_tree_delete(tree);
	return error;
}

/* --- stubs ------------------------------------------------------------- */

static const char *short_name(const docs_item *it)
{
	const char *s = it->name, *p;

	for (p = it->name; *p; p++)
		if (*p == '.' || (*p == ':' && p[1] == ':'))
			s = *p == '.' ? p + 1 : p + 2;
	return s;
}

int docs__comment_stub(wm_buf *out, const docs_item *it, wm_lang lang)
{
	const char *ind = it->stub_indent ? it->stub_indent : "", *name = short_name(it);
	size_t i;
	int error = 0;

	switch (lang) {
	case WM_LANG_GO:
		return wm_buf_printf(out, "// %s TODO: describe.\n%s", name, ind);
	case WM_LANG_RUST:
		if (!strcmp(it->kind, "crate"))
			return wm_buf_puts(out, "//! TODO: describe this crate.\n\n");
		return wm_buf_printf(out, "/// TODO: describe %s.\n%s", name, ind);
	default:
		break;
	}
	/* JSDoc / TSDoc and C doc blocks share one shape. */
	if ((error = wm_buf_printf(out, "/**\n%s * TODO: describe %s.\n", ind, name)) < 0)
		return error;
	if (it->nparams || it->returns)
		error = wm_buf_printf(out, "%s *\n", ind);
	for (i = 0; i < it->nparams && !error; i++)
		error = wm_buf_printf(out, "%s * @param %s TODO.\n", ind, it->params[i]);
	if (!error && it->returns)
		error = wm_buf_printf(out, "%s * %s TODO.\n", ind, lang == WM_LANG_C || lang == WM_LANG_CPP ? "@return" : "@returns");
	if (!error)
		error = wm_buf_printf(out, "%s */\n%s", ind, ind);
	return error;
}

/* --- findings ---------------------------------------------------------- */

static int emit(wm_scan *scan, const char *rule, uint32_t start, uint32_t end,
	const char *message, const wm_fix *fix)
{
	wm_finding f = WM_FINDING_INIT;

	f.rule = (char *)rule;
	f.start_byte = start;
	f.end_byte = end;
	f.message = (char *)message;
	f.fix = (wm_fix *)fix;
	return wm_emit(scan, &f);
}

static int missing_doc(wm_scan *scan, const wm_file *file, const docs_item *it, const char *style)
{
	wm_buf msg = WM_BUF_INIT, stub = WM_BUF_INIT, desc = WM_BUF_INIT;
	wm_edit edit;
	wm_fix fix;
	bool with_fix = false;
	int error;

	if ((error = wm_buf_printf(&msg, "%s %s %s", it->kind, it->name, it->why ? it->why :
			file->lang == WM_LANG_PYTHON ? "has no docstring" : "has no doc comment")) < 0)
		goto done;
	if (wm_config_bool(wm_scan_config(scan), "docs.fix.stubs") && it->stub_at != UINT32_MAX) {
		error = file->lang == WM_LANG_PYTHON
			? docs__python_stub(&stub, it, style)
			: docs__comment_stub(&stub, it, file->lang);
		if (error < 0 || (error = wm_buf_printf(&desc, "insert a documentation skeleton for %s",
				it->name)) < 0)
			goto done;
		edit.path = (char *)file->path;
		edit.start_byte = it->stub_at;
		edit.end_byte = it->stub_at;
		edit.replacement = stub.ptr;
		fix.description = desc.ptr;
		fix.edits = &edit;
		fix.nedits = 1;
		with_fix = stub.size > 0;
	}
	error = emit(scan, "missing-doc", it->start, it->end, msg.ptr, with_fix ? &fix : NULL);
done:
	wm_buf_dispose(&msg);
	wm_buf_dispose(&stub);
	wm_buf_dispose(&desc);
	return error;
}

/* `*args`, `**kwargs`, `...rest`: the bare name, for comparing with documentation. */
static const char *bare(const char *name)
{
	while (*name == '*' || *name == '.' || *name == '\\')
		name++;
	return name;
}

static bool is_receiver(const char *name)
{
	return !strcmp(name, "self") || !strcmp(name, "cls");
}

/* Levenshtein distance, capped: enough to say "did you mean". */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[32][32];

	if (la >= 32 || lb >= 32)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	}
	return d[la][lb];
}

static bool in_signature(const docs_item *it, const char *name)
{
	size_t i;

	for (i = 0; i < it->nparams; i++)
		if (!strcmp(bare(it->params[i]), bare(name)))
			return true;
	return false;
}

static bool in_doc(const docs_item *it, const char *name)
{
	size_t i;

	for (i = 0; i < it->ndoc_params; i++)
		if (!strcmp(bare(it->doc_params[i].name), bare(name)))
			return true;
	return false;
}

static int param_mismatch(wm_scan *scan, const docs_item *it)
{
	wm_buf msg = WM_BUF_INIT;
	size_t i, j;
	int error = 0;

	if (!it->documented || !it->params_known || !it->doc_has_params)
		return 0;
	for (i = 0; i < it->ndoc_params; i++) {
		const docs_param *p = &it->doc_params[i];
		const char *best = NULL;

		if (in_signature(it, p->name))
			continue;
		for (j = 0; j < it->nparams; j++)
			if (!is_receiver(it->params[j]) && !in_doc(it, it->params[j]) &&
			    distance(bare(p->name), bare(it->params[j])) <= 2)
				best = it->params[j];
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "documented parameter '%s' is not a parameter of %s%s%s%s",
				p->name, it->name, best ? " (did you mean '" : "", best ? best : "",
				best ? "'?)" : "")) < 0 ||
		    (error = emit(scan, "doc-param-mismatch", p->start, p->end, msg.ptr, NULL)) < 0)
			goto done;
	}
	for (i = 0; i < it->nparams; i++) {
		if (is_receiver(it->params[i]) || in_doc(it, it->params[i]))
			continue;
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "parameter '%s' of %s is not documented",
				it->params[i], it->name)) < 0 ||
		    (error = emit(scan, "doc-param-mismatch", it->start, it->end, msg.ptr, NULL)) < 0)
			goto done;
	}
done:
	wm_buf_dispose(&msg);
	return error;
}

static const docs_item *find_item(const docs_items *items, const docs_item *like)
{
	size_t i;

	for (i = 0; i < items->count; i++)
		if (!strcmp(items->items[i].name, like->name) && !strcmp(items->items[i].kind, like->kind))
			return &items->items[i];
	return NULL;
}

static bool same_text(const char *a, uint32_t as, uint32_t ae, const char *b, uint32_t bs, uint32_t be)
{
	return ae - as == be - bs && !memcmp(a + as, b + bs, ae - as);
}

/* Signatures compared without white space, so reformatting is not a change. */
static bool same_signature(const char *a, uint32_t as, uint32_t ae, const char *b, uint32_t bs, uint32_t be)
{
	while (true) {
		while (as < ae && strchr(" \t\r\n", a[as]))
			as++;
		while (bs < be && strchr(" \t\r\n", b[bs]))
			bs++;
		if (as == ae || bs == be)
			return as == ae && bs == be;
		if (a[as++] != b[bs++])
			return false;
	}
}

/*
 * doc-stale: items whose signature changed and whose documentation did not.
 * Only documented items with a signature in both versions are compared.
 */
static int stale(wm_scan *scan, const wm_file *file, const docs_items *items)
{
	const wm_world *base;
	wm_blob blob = WM_BLOB_INIT;
	docs_items old = { NULL, 0 };
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if (file->change != WM_CHANGE_MODIFIED && file->change != WM_CHANGE_RENAMED)
		return 0;
	if (wm_scan_base_world(&base, scan) < 0) {
		wm_error_clear();
		return 0;
	}
	if (wm_world_read(&blob, base, file->old_path ? file->old_path : file->path) < 0) {
		wm_error_clear();
		goto done;
	}
	if ((error = parse_items(&old, wm_scan_config(scan), base, file->path, blob.data, blob.size)) < 0)
		goto done;
	for (i = 0; i < items->count; i++) {
		const docs_item *it = &items->items[i], *was;

		if (!it->documented || it->sig_end <= it->sig_start || !(was = find_item(&old, it)) ||
		    !was->documented || was->sig_end <= was->sig_start)
			continue;
		if (same_signature(file->data, it->sig_start, it->sig_end, blob.data, was->sig_start, was->sig_end) ||
		    !same_text(file->data, it->doc_start, it->doc_end, blob.data, was->doc_start, was->doc_end))
			continue;
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "the signature of %s changed but its documentation did not",
				it->name)) < 0 ||
		    (error = emit(scan, "doc-stale", it->start, it->end, msg.ptr, NULL)) < 0)
			goto done;
	}
done:
	docs__items_dispose(&old);
	wm_blob_release(&blob);
	wm_buf_dispose(&msg);
	return error;
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	docs_items items = { NULL, 0 };
	const wm_config *cfg = wm_scan_config(scan);
	const TSTree *tree;
	const char *style = NULL;
	uint64_t counted = 0, documented = 0;
	size_t i;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || !file->data)
		return 0;
	if (docs__is_markdown(file->path))
		return docs__markdown_scan_file(scan, file);
	if (file->lang == WM_LANG_NONE)
		return 0;
	if ((error = wm_scan_tree(&tree, scan, file)) < 0) {
		/* A file that does not parse is the syntax detector's finding. */
		if (error == WM_ENOTFOUND || error == WM_EPARSE)
			error = 0;
		goto done;
	}
	if ((error = file_items(&items, cfg, wm_scan_world(scan), file->path, file->lang,
			file->data, file->size, ts_tree_root_node(tree))) < 0)
		goto done;
	if (file->lang == WM_LANG_PYTHON) {
		style = wm_config_string(cfg, "docs.style");
		if (!style || !strcmp(style, "auto"))
			style = docs__python_style(file->data, file->size);
	}
	for (i = 0; i < items.count; i++) {
		const docs_item *it = &items.items[i];

		if (it->counted) {
			counted++;
			if (it->documented)
				documented++;
			else if ((error = missing_doc(scan, file, it, style)) < 0)
				goto done;
		}
		if ((error = param_mismatch(scan, it)) < 0)
			goto done;
	}
	if (items.count && (error = stale(scan, file, &items)) < 0)
		goto done;
	if (counted)
		error = wm_scan_metric(scan, "doc-coverage", file->path, documented, counted);
done:
	docs__items_dispose(&items);
	return error;
}

/* --- coverage ---------------------------------------------------------- */

static bool excluded(const wm_config *cfg, const char *path)
{
	const char *const *globs;
	size_t n, i;

	if (wm_config_path_excluded(cfg, path))
		return true;
	globs = wm_config_list(cfg, "detectors.docs.exclude", &n);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}

/* Coverage of the targets' versions at the merge base. */
static int base_coverage(uint64_t *documented, uint64_t *counted, wm_scan *scan, const wm_world *base)
{
	const wm_targets *targets = wm_scan_targets(scan);
	const wm_config *cfg = wm_scan_config(scan);
	size_t i, j;
	int error = 0;

	*documented = *counted = 0;
	for (i = 0; i < targets->count; i++) {
		const wm_target *t = &targets->items[i];
		docs_items items = { NULL, 0 };
		wm_blob blob = WM_BLOB_INIT;

		if (t->change == WM_CHANGE_DELETED || t->change == WM_CHANGE_ADDED || excluded(cfg, t->path))
			continue;
		if (wm_world_read(&blob, base, t->old_path ? t->old_path : t->path) < 0) {
			wm_error_clear();
			continue;
		}
		error = parse_items(&items, cfg, base, t->path, blob.data, blob.size);
		for (j = 0; j < items.count; j++) {
			if (items.items[j].counted) {
				(*counted)++;
				*documented += items.items[j].documented;
			}
		}
		docs__items_dispose(&items);
		wm_blob_release(&blob);
		if (error < 0)
			return error;
	}
	return 0;
}

static double percent(uint64_t documented, uint64_t counted)
{
	return counted ? 100.0 * (double)documented / (double)counted : 100.0;
}

static int coverage(wm_scan *scan)
{
	const wm_config *cfg = wm_scan_config(scan);
	const wm_metric *m;
	const wm_world *base;
	wm_buf msg = WM_BUF_INIT;
	uint64_t documented = 0, counted = 0, bdoc, bcount;
	int64_t floor = wm_config_int(cfg, "docs.coverage.floor");
	size_t n, i;
	int error = 0;

	m = wm_scan_metrics(scan, &n);
	for (i = 0; i < n; i++) {
		if (!strcmp(m[i].detector, "docs") && !strcmp(m[i].name, "doc-coverage") && m[i].path) {
			documented += m[i].value;
			counted += m[i].total;
		}
	}
	if ((error = wm_scan_metric(scan, "doc-coverage", NULL, documented, counted)) < 0)
		goto done;
	if (floor > 0 && counted && percent(documented, counted) < (double)floor) {
		if ((error = wm_buf_printf(&msg, "documentation coverage %.1f%% (%llu of %llu items) is below the floor of %lld%%",
				percent(documented, counted), (unsigned long long)documented,
				(unsigned long long)counted, (long long)floor)) < 0 ||
		    (error = emit(scan, "coverage-below-floor", 0, 0, msg.ptr, NULL)) < 0)
			goto done;
	}
	if (!wm_config_bool(cfg, "docs.coverage.ratchet") || wm_scan_scope(scan) != WM_SCOPE_DIFF)
		goto done;
	if (wm_scan_base_world(&base, scan) < 0) {
		wm_error_clear();
		goto done;
	}
	if ((error = base_coverage(&bdoc, &bcount, scan, base)) < 0)
		goto done;
	/*
	 * documented/counted < bdoc/bcount, without rounding. Files that did
	 * not exist at the merge base give nothing to compare with.
	 */
	if (bcount && documented * bcount < bdoc * counted) {
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "documentation coverage of the changed files dropped from %.1f%% (%llu of %llu) at the merge base to %.1f%% (%llu of %llu)",
				percent(bdoc, bcount), (unsigned long long)bdoc, (unsigned long long)bcount,
				percent(documented, counted), (unsigned long long)documented,
				(unsigned long long)counted)) < 0)
			goto done;
		error = emit(scan, "coverage-ratchet", 0, 0, msg.ptr, NULL);
	}
done:
	wm_buf_dispose(&msg);
	return error;
}

static int scan_repo(wm_scan *scan)
{
	int error;

	if ((error = coverage(scan)) < 0)
		return error;
	return docs__markdown_scan_repo(scan);
}

const wm_detector wm_detector_docs = {
	"docs",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	scan_file,
	scan_repo,
	NULL,
};
