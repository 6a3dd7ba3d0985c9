/*
 * imports_js.c - JavaScript and TypeScript imports.
 *
 * Facts of a file: every `import ... from`, `export ... from`, `require()`
 * and `import()` with a literal specifier, and the names the file exports.
 * A file that assigns module.exports or uses `export =` is CommonJS: its
 * names are not checked, since any object may stand behind them.
 *
 * Relative specifiers resolve the way Node and TypeScript's bundler
 * resolution do: the exact file, then with each extension, then an index
 * file of a directory (or a directory with its own package.json), and a
 * `.js` specifier also finds the `.ts` source TypeScript compiles to it.
 * tsconfig.json/jsconfig.json `baseUrl` and `paths` (and `imports.aliases`
 * in .wm.yml) make some bare specifiers first-party paths. Other bare
 * specifiers must be Node built-ins, packages of the repository itself
 * (workspaces), or declared in a package.json of the importing file's
 * directory or above it (where Node looks for node_modules).
 *
 * A named import of a first-party ES module must be exported there,
 * directly or through `export * from`.
 */
#include <string.h>

#include "imports.h"

#define STAR_DEPTH 8

static const char *const node_builtins[] = {
	"assert", "async_hooks", "buffer", "child_process", "cluster", "console", "constants",
	"crypto", "dgram", "diagnostics_channel", "dns", "domain", "events", "fs", "http",
	"http2", "https", "inspector", "module", "net", "os", "path", "perf_hooks", "process",
	"punycode", "querystring", "readline", "repl", "stream", "string_decoder", "sys",
	"timers", "tls", "trace_events", "tty", "url", "util", "v8", "vm", "wasi",
	"worker_threads", "zlib",
};

bool imp_stdlib_is_node(const char *name, size_t len)
{
	size_t i;

	if (len >= 5 && !memcmp(name, "node:", 5))
		return true;
	for (i = 0; i < sizeof(node_builtins) / sizeof(node_builtins[0]); i++)
		if (strlen(node_builtins[i]) == len && !memcmp(node_builtins[i], name, len))
			return true;
	return false;
}

/* --- extraction ---------------------------------------------------------- */

struct extract {
	const char *data;
	size_t size;
	imp_info *info;
	bool local_require;   /* the file binds `require` itself: its calls are not Node's */
};

static bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

/* The contents of a string literal node (no quotes); false for templates with ${}. */
static bool string_content(const struct extract *x, TSNode s, uint32_t *a, uint32_t *b)
{
	uint32_t s0 = ts_node_start_byte(s), e0 = ts_node_end_byte(s);

	if (!is(s, "string") || e0 > x->size || e0 < s0 + 2)
		return false;
	*a = s0 + 1;
	*b = e0 - 1;
	return true;
}

static int def_text(struct extract *x, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);

	if (is(n, "string") && b >= a + 2) {
		a++;
		b--;
	}
	if (b > x->size || a > b)
		return 0;
	return imp_info_def(x->info, x->data + a, b - a);
}

static int push_spec(imp_stmt **out, struct extract *x, TSNode stmt, TSNode source)
{
	uint32_t a, b;
	imp_stmt *s;
	int error;

	*out = NULL;
	if (!string_content(x, source, &a, &b))
		return 0;
	if ((error = imp_info_push(&s, x->info)) < 0)
		return error;
	s->kind = IMP_JS;
	s->start = ts_node_start_byte(stmt);
	s->end = ts_node_end_byte(stmt);
	s->mod_start = a;
	s->mod_end = b;
	if (!(s->module = wm_strndup(x->data + a, b - a)))
		return WM_ENOMEM;
	*out = s;
	return 0;
}

static bool has_type_keyword(const struct extract *x, TSNode stmt)
{
	uint32_t i, n = ts_node_child_count(stmt);

	(void)x;
	for (i = 0; i < n && i < 3; i++)
		if (!strcmp(ts_node_type(ts_node_child(stmt, i)), "type"))
			return true;
	return false;
}

static int add_name(struct extract *x, imp_stmt *s, TSNode spec)
{
	TSNode name = ts_node_child_by_field_name(spec, "name", 4);
	TSNode alias = ts_node_child_by_field_name(spec, "alias", 5);
	uint32_t a, b, c = 0, d = 0;

	if (ts_node_is_null(name))
		return 0;
	a = ts_node_start_byte(name);
	b = ts_node_end_byte(name);
	if (is(name, "string") && b >= a + 2) {
		a++;
		b--;
	}
	if (!ts_node_is_null(alias)) {
		c = ts_node_start_byte(alias);
		d = ts_node_end_byte(alias);
	}
	if (b > x->size || d > x->size)
		return 0;
	return imp_stmt_name(s, x->data + a, b - a, ts_node_is_null(alias) ? NULL : x->data + c,
		d - c, ts_node_start_byte(spec), ts_node_end_byte(spec));
}

static int import_statement(struct extract *x, TSNode node)
{
	TSNode clause = { { 0 }, NULL, NULL };
	imp_stmt *s;
	uint32_t i, n = ts_node_named_child_count(node);
	int error;

	if ((error = push_spec(&s, x, node, ts_node_child_by_field_name(node, "source", 6))) < 0 || !s)
		return error;
	s->type_only = has_type_keyword(x, node);
	for (i = 0; i < n; i++)
		if (is(ts_node_named_child(node, i), "import_clause"))
			clause = ts_node_named_child(node, i);
	if (ts_node_is_null(clause))
		return 0;
	n = ts_node_named_child_count(clause);
	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_named_child(clause, i);

		if (is(c, "identifier")) {
			error = imp_stmt_name(s, "default", 7, NULL, 0, ts_node_start_byte(c), ts_node_end_byte(c));
		} else if (is(c, "named_imports")) {
			uint32_t k, m = ts_node_named_child_count(c);

			for (k = 0; k < m && !error; k++) {
				TSNode sp = ts_node_named_child(c, k);

				/* `import { type X }` is still a name that must exist */
				if (is(sp, "import_specifier"))
					error = add_name(x, s, sp);
			}
		}
	}
	return error;
}

static int export_statement(struct extract *x, TSNode node)
{
	TSNode source = ts_node_child_by_field_name(node, "source", 6);
	TSNode decl = ts_node_child_by_field_name(node, "declaration", 11);
	uint32_t i, n = ts_node_child_count(node);
	imp_stmt *s = NULL;
	int error = 0;

	x->info->esm = true;
	if (!ts_node_is_null(source) && (error = push_spec(&s, x, node, source)) < 0)
		return error;
	if (s)
		s->type_only = has_type_keyword(x, node);
	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_child(node, i);
		const char *t = ts_node_type(c);

		if (!strcmp(t, "default")) {
			error = imp_info_def(x->info, "default", 7);
		} else if (!strcmp(t, "=")) {
			x->info->dynamic = true;     /* TS `export = x` */
		} else if (!strcmp(t, "*") && s) {
			s->star = true;
		} else if (!strcmp(t, "namespace_export")) {
			/* export * as ns from './x' */
			if (ts_node_named_child_count(c) > 0)
				error = def_text(x, ts_node_named_child(c, 0));
		} else if (!strcmp(t, "export_clause")) {
			uint32_t k, m = ts_node_named_child_count(c);

			for (k = 0; k < m && !error; k++) {
				TSNode sp = ts_node_named_child(c, k);
				TSNode name = ts_node_child_by_field_name(sp, "name", 4);
				TSNode alias = ts_node_child_by_field_name(sp, "alias", 5);

				if (!is(sp, "export_specifier"))
					continue;
				if (!ts_node_is_null(alias) || !ts_node_is_null(name))
					error = def_text(x, ts_node_is_null(alias) ? name : alias);
				if (!error && s)
					error = add_name(x, s, sp);
			}
		}
	}
	if (error || ts_node_is_null(decl))
		return error;
	/* export const a = 1, b = 2; export function f; export class C; export type T ... */
	if (is(decl, "lexical_declaration") || is(decl, "variable_declaration")) {
		uint32_t k, m = ts_node_named_child_count(decl);

		for (k = 0; k < m && !error; k++) {
			TSNode v = ts_node_named_child(decl, k);
			TSNode name = ts_node_child_by_field_name(v, "name", 4);

			if (is(v, "variable_declarator") && is(name, "identifier"))
				error = def_text(x, name);
			else if (is(v, "variable_declarator"))
				x->info->dynamic = true; /* destructuring export: names from a pattern */
		}
		return error;
	}
	{
		TSNode name = ts_node_child_by_field_name(decl, "name", 4);

		if (!ts_node_is_null(name))
			error = def_text(x, name);
	}
	return error;
}

static bool mentions(const char *data, size_t size, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= size; i++)
		if (data[i] == needle[0] && !memcmp(data + i, needle, n))
			return true;
	return false;
}

/*
 * An optional dependency is loaded where failure is expected: inside a
 * `try` (`try { require('fsevents') } catch {}`), or under a test that
 * require exists (`typeof require == 'function' ? require('..') : window._`,
 * code shared with browsers). Those findings follow `imports.guarded`, as
 * Python's try/except ImportError does.
 */
static unsigned call_guard(const struct extract *x, TSNode node)
{
	TSNode child = node, p;

	for (p = ts_node_parent(node); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "try_statement")) {
			TSNode body = ts_node_child_by_field_name(p, "body", 4);

			if (!ts_node_is_null(body) && ts_node_eq(body, child))
				return IMP_GUARD_TRY;
		} else if (!strcmp(t, "ternary_expression") || !strcmp(t, "if_statement")) {
			TSNode cond = ts_node_child_by_field_name(p, "condition", 9);
			uint32_t a, b;

			if (ts_node_is_null(cond) || ts_node_eq(cond, child))
				continue;
			a = ts_node_start_byte(cond);
			b = ts_node_end_byte(cond);
			if (b <= x->size && mentions(x->data + a, b - a, "typeof require"))
				return IMP_GUARD_COND;
		} else if (!strcmp(t, "function_declaration") || !strcmp(t, "program")) {
			break;
		}
	}
	return 0;
}

static int call_expression(struct extract *x, TSNode node)
{
	TSNode fn = ts_node_child_by_field_name(node, "function", 8);
	TSNode args = ts_node_child_by_field_name(node, "arguments", 9);
	imp_stmt *s;
	uint32_t a = ts_node_start_byte(fn), b = ts_node_end_byte(fn);
	int error;

	if (ts_node_is_null(fn) || ts_node_is_null(args) || ts_node_named_child_count(args) != 1)
		return 0;
	if (!is(fn, "import") && (x->local_require ||
	    !(b - a == 7 && b <= x->size && !memcmp(x->data + a, "require", 7))))
		return 0;
	if ((error = push_spec(&s, x, node, ts_node_named_child(args, 0))) < 0 || !s)
		return error;
	s->guard = call_guard(x, node);
	return 0;
}

static bool names_require(const struct extract *x, TSNode n)
{
	uint32_t a, b;

	if (ts_node_is_null(n) || strcmp(ts_node_type(n), "identifier"))
		return false;
	a = ts_node_start_byte(n);
	b = ts_node_end_byte(n);
	return b - a == 7 && b <= x->size && !memcmp(x->data + a, "require", 7);
}

/*
 * A file that binds `require` itself (a browserify or webpack bundle:
 * `require = (function e(t, n, r) {...})`, modules wrapped in
 * `function (require, module, exports)`; an AMD loader) resolves its
 * require() calls against its own module table, not the file system.
 */
static int find_local_require(TSNode node, void *payload)
{
	struct extract *x = payload;
	const char *t = ts_node_type(node);

	if ((!strcmp(t, "variable_declarator") || !strcmp(t, "function_declaration")) &&
	    names_require(x, ts_node_child_by_field_name(node, "name", 4)))
		x->local_require = true;
	else if (!strcmp(t, "assignment_expression") &&
	    names_require(x, ts_node_child_by_field_name(node, "left", 4)))
		x->local_require = true;
	else if (!strcmp(t, "formal_parameters")) {
		uint32_t i, n = ts_node_named_child_count(node);

		for (i = 0; i < n && !x->local_require; i++)
			x->local_require = names_require(x, ts_node_named_child(node, i));
	}
	return x->local_require ? 1 : 0;
}

static int visit(TSNode node, void *payload)
{
	struct extract *x = payload;
	const char *t = ts_node_type(node);
	int error = 0;

	if (!strcmp(t, "import_statement"))
		error = import_statement(x, node);
	else if (!strcmp(t, "export_statement"))
		error = export_statement(x, node);
	else if (!strcmp(t, "call_expression"))
		error = call_expression(x, node);
	else if (!strcmp(t, "import_require_clause")) {
		imp_stmt *s;

		error = push_spec(&s, x, node, ts_node_child_by_field_name(node, "source", 6));
	}
	return error < 0 ? error : 0;
}

int imp_js_extract(imp_info **out, wm_lang lang, const char *data, size_t size, const TSTree *tree)
{
	struct extract x;
	imp_info *info;
	int error;

	*out = NULL;
	if (!(info = wm_calloc(1, sizeof(*info))))
		return WM_ENOMEM;
	info->lang = lang;
	x.data = data;
	x.size = size;
	x.info = info;
	x.local_require = false;
	if (mentions(data, size, "require") &&
	    (error = wm_syntax_walk(ts_tree_root_node(tree), find_local_require, &x)) < 0) {
		imp_info_free(info);
		return error;
	}
	if ((error = wm_syntax_walk(ts_tree_root_node(tree), visit, &x)) < 0) {
		imp_info_free(info);
		return error;
	}
	if (mentions(data, size, "module.exports") || mentions(data, size, "exports.") ||
	    mentions(data, size, "declare module") || mentions(data, size, "declare global"))
		info->dynamic = true;
	imp_info_finish(info);
	*out = info;
	return 0;
}

/* --- tsconfig paths and aliases ------------------------------------------ */

static int add_alias(imp_index *idx, const char *from, size_t fl, const char *to, size_t tl)
{
	char **f = wm_reallocarray(idx->alias_from, idx->naliases + 1, sizeof(*f));
	char **t;

	if (!f)
		return WM_ENOMEM;
	idx->alias_from = f;
	if (!(t = wm_reallocarray(idx->alias_to, idx->naliases + 1, sizeof(*t))))
		return WM_ENOMEM;
	idx->alias_to = t;
	f[idx->naliases] = wm_strndup(from, fl);
	t[idx->naliases] = wm_strndup(to, tl);
	if (!f[idx->naliases] || !t[idx->naliases]) {
		wm_free(f[idx->naliases]);
		wm_free(t[idx->naliases]);
		return WM_ENOMEM;
	}
	idx->naliases++;
	return 0;
}

/* Normalise "a/./b/../c" into out; false when it climbs above the root. */
bool imp_normalise(wm_buf *out, const char *dir, const char *rel, size_t rl)
{
	wm_buf in = WM_BUF_INIT;
	size_t i = 0;
	bool ok = true;

	wm_buf_clear(out);
	if (*dir)
		wm_buf_printf(&in, "%s/", dir);
	wm_buf_put(&in, rel, rl);
	if (!in.ptr) {
		wm_buf_puts(out, "");
		return true;
	}
	while (i < in.size) {
		size_t e = i;

		while (e < in.size && in.ptr[e] != '/')
			e++;
		if (e - i == 2 && !memcmp(in.ptr + i, "..", 2)) {
			char *slash;

			if (!out->size) {
				ok = false;
				break;
			}
			slash = strrchr(out->ptr, '/');
			out->size = slash ? (size_t)(slash - out->ptr) : 0;
			out->ptr[out->size] = '\0';
		} else if (e > i && !(e - i == 1 && in.ptr[i] == '.')) {
			if (out->size)
				wm_buf_putc(out, '/');
			wm_buf_put(out, in.ptr + i, e - i);
		}
		i = e + 1;
	}
	wm_buf_puts(out, "");
	wm_buf_dispose(&in);
	return ok;
}

static void load_tsconfig(imp_index *idx, const char *path, const char *d, size_t size, TSNode root)
{
	const char *slash = strrchr(path, '/');
	int dl = slash ? (int)(slash - path) : 0;
	TSNode obj = ts_node_named_child(root, 0), opts = { { 0 }, NULL, NULL };
	wm_buf base = WM_BUF_INIT, tgt = WM_BUF_INIT, rel = WM_BUF_INIT;
	uint32_t i, k;

	if (!is(obj, "object"))
		return;
	for (i = 0; i < ts_node_named_child_count(obj); i++) {
		TSNode p = ts_node_named_child(obj, i), key = ts_node_child_by_field_name(p, "key", 3);

		if (is(p, "pair") && ts_node_end_byte(key) - ts_node_start_byte(key) == 17 &&
		    !memcmp(d + ts_node_start_byte(key), "\"compilerOptions\"", 17))
			opts = ts_node_child_by_field_name(p, "value", 5);
	}
	if (!is(opts, "object"))
		return;
	wm_buf_printf(&base, "%.*s", dl, path);
	wm_buf_puts(&base, "");
	for (i = 0; i < ts_node_named_child_count(opts); i++) {
		TSNode p = ts_node_named_child(opts, i), key = ts_node_child_by_field_name(p, "key", 3);
		TSNode val = ts_node_child_by_field_name(p, "value", 5);
		uint32_t ks = ts_node_start_byte(key), ke = ts_node_end_byte(key);

		if (is(p, "pair") && ke - ks == 9 && !memcmp(d + ks, "\"baseUrl\"", 9) && is(val, "string") &&
		    ts_node_end_byte(val) <= size) {
			uint32_t a = ts_node_start_byte(val) + 1, b = ts_node_end_byte(val) - 1;

			wm_buf_puts(&rel, "");
			if (b >= a && imp_normalise(&tgt, base.ptr, d + a, b - a)) {
				wm_buf_clear(&rel);
				wm_buf_puts(&rel, tgt.ptr);
				add_alias(idx, "", 0, tgt.ptr, tgt.size); /* "" is a baseUrl */
				wm_buf_clear(&base);
				wm_buf_puts(&base, rel.ptr);
			}
		}
	}
	for (i = 0; i < ts_node_named_child_count(opts); i++) {
		TSNode p = ts_node_named_child(opts, i), key = ts_node_child_by_field_name(p, "key", 3);
		TSNode val = ts_node_child_by_field_name(p, "value", 5);
		uint32_t ks = ts_node_start_byte(key), ke = ts_node_end_byte(key);

		if (!is(p, "pair") || ke - ks != 7 || memcmp(d + ks, "\"paths\"", 7) || !is(val, "object"))
			continue;
		for (k = 0; k < ts_node_named_child_count(val); k++) {
			TSNode ap = ts_node_named_child(val, k), ak = ts_node_child_by_field_name(ap, "key", 3);
			TSNode av = ts_node_child_by_field_name(ap, "value", 5), first;
			uint32_t a, b, c, e;

			if (!is(ap, "pair") || !is(av, "array") || ts_node_named_child_count(av) == 0)
				continue;
			first = ts_node_named_child(av, 0);
			a = ts_node_start_byte(ak) + 1;
			b = ts_node_end_byte(ak) - 1;
			c = ts_node_start_byte(first) + 1;
			e = ts_node_end_byte(first) - 1;
			if (!is(first, "string") || b < a || e < c || e > size)
				continue;
			/* "@/x" with "src/x" as its target: the prefix "@/" maps to "<base>/src/" */
			if (b > a && d[b - 1] == '*')
				b--;
			if (e > c && d[e - 1] == '*')
				e--;
			if (!imp_normalise(&tgt, base.ptr, d + c, e - c))
				continue;
			add_alias(idx, d + a, b - a, tgt.ptr, tgt.size);
		}
	}
	wm_buf_dispose(&base);
	wm_buf_dispose(&tgt);
	wm_buf_dispose(&rel);
}

static int load_js_config(imp_index *idx)
{
	const char *const *list;
	size_t i, n, count = wm_world_count(idx->world);

	list = wm_config_list(wm_scan_config(idx->scan), "imports.aliases", &n);
	for (i = 0; i < n; i++) {
		const char *eq = strchr(list[i], '=');

		if (eq && add_alias(idx, list[i], (size_t)(eq - list[i]), eq + 1, strlen(eq + 1)) < 0)
			return WM_ENOMEM;
	}
	for (i = 0; i < count; i++) {
		const wm_entry *e = wm_world_entry(idx->world, i);
		const char *slash = strrchr(e->path, '/'), *b = slash ? slash + 1 : e->path;
		wm_blob blob = WM_BLOB_INIT;
		TSTree *tree = NULL;

		if ((strcmp(b, "tsconfig.json") && strcmp(b, "jsconfig.json")) ||
		    strstr(e->path, "node_modules/") || e->mode == WM_MODE_LINK ||
		    wm_world_read(&blob, idx->world, e->path) < 0)
			continue;
		if (wm_syntax_parse(&tree, WM_LANG_JSON, blob.data, blob.size) == 0)
			load_tsconfig(idx, e->path, blob.data, blob.size, ts_tree_root_node(tree));
		if (tree)
			ts_tree_delete(tree);
		wm_blob_release(&blob);
	}
	return 0;
}

/* --- resolution ---------------------------------------------------------- */

static const char *const exts[] = {
	".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".json",
	".vue", ".svelte", ".node",
};

/* Whether a candidate exists: in the world, or (moved) as a path this run moved away. */
static const char *exists(const imp_index *idx, const char *p, bool moved)
{
	void **v;

	if (!moved)
		return imp_index_file(idx, p) ? p : NULL;
	v = imp_map_get(&idx->moved, p, strlen(p));
	return v && *(char **)v && **(char **)v ? *(char **)v : NULL;
}

/*
 * The file a path specifier names (without the world's or with the moved
 * map's view). `how` says which form matched: 0 exact, 1 added extension,
 * 2 .js written for .ts, 3 directory index.
 */
static int resolve_path(wm_buf *out, int *how, const imp_index *idx, const char *p, bool moved)
{
	static const char *const js_ext[] = { ".js", ".jsx", ".mjs", ".cjs" };
	static const char *const ts_for[][2] = { { ".ts", ".tsx" }, { ".tsx", ".ts" }, { ".mts", ".mts" }, { ".cts", ".cts" } };
	wm_buf c = WM_BUF_INIT;
	const char *hit = NULL;
	size_t i, pl = strlen(p), k;

	*how = 0;
	if ((hit = exists(idx, p, moved)))
		goto found;
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		wm_buf_clear(&c);
		wm_buf_printf(&c, "%s%s", p, exts[i]);
		if (c.ptr && (hit = exists(idx, c.ptr, moved))) {
			*how = 1;
			goto found;
		}
	}
	for (i = 0; i < 4; i++) {
		size_t el = strlen(js_ext[i]);

		if (pl <= el || strcmp(p + pl - el, js_ext[i]))
			continue;
		for (k = 0; k < 2; k++) {
			wm_buf_clear(&c);
			wm_buf_printf(&c, "%.*s%s", (int)(pl - el), p, ts_for[i][k]);
			if (c.ptr && (hit = exists(idx, c.ptr, moved))) {
				*how = 2;
				goto found;
			}
		}
		wm_buf_clear(&c);
		wm_buf_printf(&c, "%.*s.d.ts", (int)(pl - el), p);
		if (c.ptr && (hit = exists(idx, c.ptr, moved))) {
			*how = 2;
			goto found;
		}
	}
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		wm_buf_clear(&c);
		wm_buf_printf(&c, "%s%sindex%s", p, *p ? "/" : "", exts[i]);
		if (c.ptr && (hit = exists(idx, c.ptr, moved))) {
			*how = 3;
			goto found;
		}
	}
	wm_buf_clear(&c);
	wm_buf_printf(&c, "%s%spackage.json", p, *p ? "/" : "");
	if (c.ptr && (hit = exists(idx, c.ptr, moved))) {
		*how = 3;
		goto found;
	}
	wm_buf_dispose(&c);
	return WM_ENOTFOUND;
found:
	wm_buf_clear(out);
	wm_buf_puts(out, hit);
	wm_buf_dispose(&c);
	return 0;
}

static bool is_relative(const char *spec)
{
	return spec[0] == '.' && (spec[1] == '/' || (spec[1] == '.' && (spec[2] == '/' || !spec[2])) || !spec[1]);
}

/* The length of a bare specifier's package name ("@scope/name/x" -> "@scope/name"). */
static size_t package_len(const char *spec)
{
	const char *slash = strchr(spec, '/');

	if (spec[0] == '@' && slash)
		slash = strchr(slash + 1, '/');
	return slash ? (size_t)(slash - spec) : strlen(spec);
}

static bool declared(const imp_index *idx, const char *importer, const char *name, size_t nl)
{
	wm_buf k = WM_BUF_INIT, dir = WM_BUF_INIT;
	bool found = false;
	size_t i;

	for (i = 0; i < idx->jspkgs.cap && !found; i++)
		if (idx->jspkgs.keys[i] && idx->jspkgs.vals[i] &&
		    strlen(idx->jspkgs.vals[i]) == nl && !strncmp(idx->jspkgs.vals[i], name, nl))
			found = true;
	wm_buf_puts(&dir, importer);
	while (!found && dir.ptr) {
		char *slash = strrchr(dir.ptr, '/');

		dir.size = slash ? (size_t)(slash - dir.ptr) : 0;
		dir.ptr[dir.size] = '\0';
		wm_buf_clear(&k);
		wm_buf_printf(&k, "%s\n%.*s", dir.ptr, (int)nl, name);
		if (k.ptr && imp_map_get(&idx->jsdeps, k.ptr, k.size))
			found = true;
		/* @types/foo declares foo's types; @types/scope__name for @scope/name */
		wm_buf_clear(&k);
		if (name[0] == '@') {
			const char *sl = memchr(name, '/', nl);

			if (sl)
				wm_buf_printf(&k, "%s\n@types/%.*s__%.*s", dir.ptr, (int)(sl - name - 1),
					name + 1, (int)(nl - (size_t)(sl - name) - 1), sl + 1);
		} else {
			wm_buf_printf(&k, "%s\n@types/%.*s", dir.ptr, (int)nl, name);
		}
		if (k.ptr && imp_map_get(&idx->jsdeps, k.ptr, k.size))
			found = true;
		if (!dir.size)
			break;
	}
	wm_buf_dispose(&k);
	wm_buf_dispose(&dir);
	return found;
}

/* Whether an export named `name` is reachable from a module's facts. */
static int exported(bool *found, imp_index *idx, const char *file, const char *name, int depth)
{
	const imp_info *info;
	wm_buf dir = WM_BUF_INIT, p = WM_BUF_INIT, hit = WM_BUF_INIT;
	size_t i;
	int how, error;

	*found = true;
	if ((error = imp_index_info(&info, idx, file)) < 0 || !info || !info->esm || info->dynamic ||
	    depth > STAR_DEPTH || imp_info_defines(info, name))
		return error;
	*found = false;
	wm_buf_puts(&dir, file);
	{
		char *slash = strrchr(dir.ptr, '/');

		dir.size = slash ? (size_t)(slash - dir.ptr) : 0;
		dir.ptr[dir.size] = '\0';
	}
	for (i = 0; i < info->nimports && !*found && !error; i++) {
		const imp_stmt *s = &info->imports[i];

		if (!s->star)
			continue;
		if (!is_relative(s->module) || !imp_normalise(&p, dir.ptr, s->module, strlen(s->module)) ||
		    resolve_path(&hit, &how, idx, p.ptr, false) < 0) {
			*found = true; /* a star from a package may bring anything */
			break;
		}
		error = exported(found, idx, hit.ptr, name, depth + 1);
	}
	wm_buf_dispose(&dir);
	wm_buf_dispose(&p);
	wm_buf_dispose(&hit);
	return error;
}

/* How the importer should spell the moved file, in the style of the old specifier. */
static int respell(wm_buf *out, const char *importer, const char *spec, const char *to, int how)
{
	const char *slash = strrchr(importer, '/');
	size_t dl = slash ? (size_t)(slash - importer) : 0, common = 0, i, end;
	const char *tail, *ext, *last;
	int error = 0;

	wm_buf_clear(out);
	/* the longest common directory prefix of the importer's directory and `to` */
	for (i = 0; i <= dl; i++) {
		bool dir_end = i == dl || importer[i] == '/';

		if (dir_end && to[i] == '/')
			common = i + 1;
		if (i == dl || importer[i] != to[i])
			break;
	}
	if (dl == 0)
		common = 0;
	/* one "../" per directory of the importer below the common prefix */
	if (dl > 0 && common < dl + 1) {
		for (i = common; i < dl; i++)
			if (i == common || importer[i] == '/')
				error = wm_buf_puts(out, "../");
	}
	if (!out->size)
		error = wm_buf_puts(out, "./");
	tail = to + common;
	end = strlen(tail);
	last = strrchr(tail, '/');
	ext = strrchr(last ? last : tail, '.');
	if (how == 3) {
		/* a directory import names the directory */
		end = last ? (size_t)(last - tail) : 0;
		if (end == 0 && out->size == 2)
			return wm_buf_puts(out, "") < 0 ? WM_ENOMEM : (out->size = 1, out->ptr[1] = '\0', 0);
		if (end == 0)
			out->size--, out->ptr[out->size] = '\0';
		return wm_buf_put(out, tail, end);
	}
	if (how == 1 && ext) {
		/* no extension in the old specifier: none in the new one (.d.ts as a whole) */
		end = (size_t)(ext - tail);
		if (end >= 2 && !strcmp(tail + end - 2, ".d") && !strcmp(ext, ".ts"))
			end -= 2;
	} else if (how == 2 && ext) {
		/* .js written for .ts: keep writing the old extension */
		const char *old_ext = strrchr(spec, '.');

		if ((error = wm_buf_put(out, tail, (size_t)(ext - tail))) < 0)
			return error;
		return wm_buf_puts(out, old_ext ? old_ext : "");
	}
	if (error < 0)
		return error;
	return wm_buf_put(out, tail, end);
}

/* An aliased specifier keeps its alias: "@/lib/util" -> "@/lib/helpers". */
static int respell_alias(wm_buf *out, const imp_index *idx, const char *spec, const char *to, int how)
{
	size_t i, tl;

	for (i = 0; i < idx->naliases; i++) {
		const char *from = idx->alias_from[i], *dir = idx->alias_to[i];
		size_t fl = strlen(from), dl = strlen(dir);
		const char *rest, *ext;

		if (!fl || strncmp(spec, from, fl) || (dl && (strncmp(to, dir, dl) || to[dl] != '/')))
			continue;
		rest = to + (dl ? dl + 1 : 0);
		tl = strlen(rest);
		ext = strrchr(rest, '.');
		if (how == 3 && strrchr(rest, '/'))
			tl = (size_t)(strrchr(rest, '/') - rest);
		else if (how == 1 && ext)
			tl = (size_t)(ext - rest) - (tl > 5 && !strcmp(rest + tl - 5, ".d.ts") ? 2 : 0);
		wm_buf_clear(out);
		return wm_buf_printf(out, "%s%.*s", from, (int)tl, rest);
	}
	return WM_ENOTFOUND;
}

static int check_stmt(const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	const char *spec = s->module, *slash = strrchr(ctx->path, '/');
	wm_buf dir = WM_BUF_INIT, p = WM_BUF_INIT, hit = WM_BUF_INIT, msg = WM_BUF_INIT, sp = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	wm_edit edit;
	size_t i, ql;
	int how, error = 0;
	bool have_path = false, aliased = false;

	wm_buf_put(&dir, ctx->path, slash ? (size_t)(slash - ctx->path) : 0);
	wm_buf_puts(&dir, "");
	/* queries and loaders (`./x.svg?raw`, `raw-loader!./x`) are the bundler's business */
	ql = strcspn(spec, "?#");
	if (strchr(spec, '!') || !*spec || spec[0] == '#' || spec[0] == '~' || spec[0] == '$' ||
	    strstr(spec, "://") || !strncmp(spec, "data:", 5) || !strncmp(spec, "virtual:", 8) ||
	    spec[0] == '/' || strchr(spec, '*') || strchr(spec, '$'))
		goto done;
	if (is_relative(spec)) {
		if (!imp_normalise(&p, dir.ptr, spec, ql))
			goto done;
		have_path = true;
	} else {
		for (i = 0; i < idx->naliases && !have_path; i++) {
			size_t fl = strlen(idx->alias_from[i]);

			if (fl == 0 || strncmp(spec, idx->alias_from[i], fl))
				continue;
			imp_normalise(&p, idx->alias_to[i], spec + fl, ql - fl);
			have_path = aliased = true;
		}
		/* baseUrl: a bare specifier may be a path below it */
		for (i = 0; i < idx->naliases && !have_path; i++) {
			if (*idx->alias_from[i] || !imp_normalise(&p, idx->alias_to[i], spec, ql))
				continue;
			if (resolve_path(&hit, &how, idx, p.ptr, false) == 0)
				have_path = true;
		}
	}
	if (ctx->dependent) {
		/* only what names a changed file */
		bool touch = false;
		size_t pl;

		if (!have_path)
			goto done;
		pl = p.size;
		/* "./util.js" may name util.ts */
		for (i = 0; i < 4 && pl > 4; i++) {
			static const char *const je[] = { ".js", ".jsx", ".mjs", ".cjs" };
			size_t el = strlen(je[i]);

			if (pl > el && !strncmp(p.ptr + pl - el, je[i], el))
				pl -= el;
		}
		for (i = 0; i < idx->changed.cap && !touch; i++) {
			const char *c = idx->changed.keys[i];

			touch = c && !strncmp(c, p.ptr, pl) && (c[pl] == '\0' || c[pl] == '.' || c[pl] == '/');
		}
		if (!touch)
			goto done;
	}
	if (!have_path) {
		size_t nl = package_len(spec);

		if (ctx->dependent || imp_stdlib_is_node(spec, nl) || (!idx->jspkgs.count && !idx->jsdeps.count) ||
		    declared(idx, ctx->path, spec, nl))
			goto done;
		if ((error = wm_buf_printf(&msg, "'%.*s' is not a Node built-in, a package of the "
				"repository, or declared in a package.json", (int)nl, spec)) < 0)
			goto done;
		error = imp_emit(ctx, "undeclared-dependency", (s->guard & (IMP_GUARD_TRY | IMP_GUARD_COND)) != 0,
			s->mod_start, s->mod_end, msg.ptr, NULL);
		goto done;
	}
	if (resolve_path(&hit, &how, idx, p.ptr, false) < 0) {
		if ((error = wm_buf_printf(&msg, "cannot resolve '%s': no file at %s%s", spec,
				*p.ptr ? p.ptr : ".", aliased ? " (through a path alias)" : "")) < 0)
			goto done;
		if (resolve_path(&hit, &how, idx, p.ptr, true) == 0 &&
		    (aliased ? respell_alias(&sp, idx, spec, hit.ptr, how)
			     : respell(&sp, ctx->path, spec, hit.ptr, how)) == 0 && sp.ptr) {
			edit.path = (char *)ctx->path;
			edit.start_byte = s->mod_start;
			edit.end_byte = s->mod_start + (uint32_t)ql;
			edit.replacement = sp.ptr;
			fix.edits = &edit;
			fix.nedits = 1;
			wm_buf_clear(&p);
			wm_buf_printf(&p, "import '%s' (moved to %s)", sp.ptr, hit.ptr);
			fix.description = p.ptr;
		}
		error = imp_emit(ctx, "unresolved-import", (s->guard & (IMP_GUARD_TRY | IMP_GUARD_COND)) != 0,
			s->mod_start, s->mod_end, msg.ptr, fix.nedits ? &fix : NULL);
		goto done;
	}
	if ((error = imp_contract_check(ctx, s, hit.ptr, NULL)) < 0)
		goto done;
	for (i = 0; i < s->nnames; i++) {
		const imp_name *n = &s->names[i];
		bool found;

		if ((error = exported(&found, idx, hit.ptr, n->name, 0)) < 0)
			goto done;
		if (found)
			continue;
		wm_buf_clear(&msg);
		if ((error = wm_buf_printf(&msg, "'%s' is not exported by %s", n->name, hit.ptr)) < 0)
			goto done;
		{
			const imp_info *info;
			size_t k, shown = 0, max = strlen(n->name) <= 4 ? 1 : 2;

			if (imp_index_info(&info, idx, hit.ptr) == 0 && info)
				for (k = 0; k < info->ndefs && shown < 3; k++)
					if (imp_distance(n->name, info->defs[k], max) <= max)
						wm_buf_printf(&msg, "%s%s", shown++ ? ", " : " (did you mean ",
							info->defs[k]);
			if (shown)
				wm_buf_puts(&msg, "?)");
		}
		if ((error = imp_emit(ctx, "unresolved-name", false, n->start, n->end, msg.ptr, NULL)) < 0)
			goto done;
	}
done:
	wm_buf_dispose(&dir);
	wm_buf_dispose(&p);
	wm_buf_dispose(&hit);
	wm_buf_dispose(&msg);
	wm_buf_dispose(&sp);
	return error;
}

int imp_js_check(const imp_ctx *ctx, const imp_info *info)
{
	size_t i;
	int error;

	if (!ctx->idx->js_loaded) {
		ctx->idx->js_loaded = true;
		if ((error = load_js_config(ctx->idx)) < 0)
			return error;
	}
	for (i = 0; i < info->nimports; i++)
		if ((error = check_stmt(ctx, &info->imports[i])) < 0)
			return error;
	return 0;
}
