/*
 * imports_python.c - Python imports: what a file imports and defines, and
 * whether each import resolves in the repository.
 *
 * Extraction (imp_python_extract) reads one tree and nothing else, so its
 * result depends only on the blob: every import statement anywhere in the
 * file, with where it sits (try/except ImportError, `if TYPE_CHECKING:`, a
 * version test, a function body), and every name bound at module level,
 * which is what `from m import name` can reach. Module level includes the
 * bodies of top-level if/try/with/for/while blocks, since Python binds
 * those names in the module namespace too; it excludes function and class
 * bodies. `__all__` entries count as bound (a module may build them
 * dynamically but promises them), and a module-level `__getattr__`
 * (PEP 562) or a write to globals() makes every name possible.
 *
 * Resolution follows the interpreter's order closely enough for a gate:
 * the importing script's own directory first (for a file inside packages,
 * the first directory up without __init__.py: what `python path/x.py` and
 * pytest's default rootdir insertion put on sys.path), then the standard
 * library, then the repository's roots (configured, the top level, `src/`,
 * and every directory holding a pyproject.toml, setup.py or setup.cfg with
 * its `src/`), then declared dependencies, and namespace packages last as
 * the import system does. A top-level name found nowhere is a third-party
 * import: it must be declared (undeclared-dependency), unless the run
 * renamed or deleted a first-party module of that name, in which case it
 * is the broken import the gate exists for.
 *
 * Fixes are byte-range edits of the module as written, keeping its style:
 * a relative import stays relative when the new module is reachable with
 * dots, and an import whose bound name would change gets an alias
 * (`from . import old` -> `from . import new as old`), so that the rest of
 * the file keeps working without being touched.
 */
#include <string.h>

#include "imports.h"

/* Star re-exports are followed this deep (cycles are common in packages). */
#define STAR_DEPTH 8
/* Top-level statement nesting we look through for definitions. */
#define DEF_DEPTH 32

/* --- extraction ---------------------------------------------------------- */

struct extract {
	const char *data;
	size_t size;
	imp_info *info;
};

static bool node_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

static const char *span(const struct extract *x, TSNode n, size_t *len)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);

	if (e > x->size)
		e = (uint32_t)x->size;
	if (s > e)
		s = e;
	*len = e - s;
	return x->data + s;
}

static bool text_has(const struct extract *x, TSNode n, const char *needle)
{
	size_t len, nl = strlen(needle), i;
	const char *s = span(x, n, &len);

	for (i = 0; i + nl <= len; i++)
		if (!memcmp(s + i, needle, nl))
			return true;
	return false;
}

/* Whether a try statement has a handler that would catch a failed import. */
static bool catches_import_error(const struct extract *x, TSNode try_stmt)
{
	uint32_t i, n = ts_node_named_child_count(try_stmt);

	for (i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(try_stmt, i), v;

		if (!node_is(c, "except_clause"))
			continue;
		/* `except:` has only its block */
		v = ts_node_named_child(c, 0);
		if (ts_node_named_child_count(c) == 1 || node_is(v, "block"))
			return true;
		if (text_has(x, v, "ImportError") || text_has(x, v, "ModuleNotFoundError") ||
		    text_has(x, v, "Exception"))
			return true;
	}
	return false;
}

/* What encloses an import statement, from its ancestors. */
static unsigned guard_of(const struct extract *x, TSNode node)
{
	unsigned guard = 0;
	TSNode child = node, p;

	for (p = ts_node_parent(node); !ts_node_is_null(p); child = p, p = ts_node_parent(p)) {
		const char *t = ts_node_type(p);

		if (!strcmp(t, "function_definition") || !strcmp(t, "lambda")) {
			guard |= IMP_GUARD_FUNCTION;
		} else if (!strcmp(t, "try_statement")) {
			if (catches_import_error(x, p))
				guard |= IMP_GUARD_TRY;
		} else if (!strcmp(t, "except_clause") && !ts_node_is_null(ts_node_parent(p)) &&
			   catches_import_error(x, ts_node_parent(p))) {
			/* the fallback of an optional import is just as optional */
			guard |= IMP_GUARD_TRY;
		} else if (!strcmp(t, "if_statement") || !strcmp(t, "elif_clause")) {
			TSNode cond = ts_node_child_by_field_name(p, "condition", 9);

			if (ts_node_is_null(cond) || ts_node_eq(cond, child))
				continue;
			if (text_has(x, cond, "TYPE_CHECKING"))
				guard |= IMP_GUARD_TYPING;
			else if (text_has(x, cond, "version_info") || text_has(x, cond, "platform") ||
				 text_has(x, cond, "PY2") || text_has(x, cond, "PY3") ||
				 text_has(x, cond, "is_py") || text_has(x, cond, "PYPY") ||
				 text_has(x, cond, "has_") || text_has(x, cond, "HAS_") ||
				 text_has(x, cond, "AVAILABLE") || text_has(x, cond, "available") ||
				 text_has(x, cond, "WIN") || text_has(x, cond, "os.name"))
				guard |= IMP_GUARD_COND;
		}
	}
	return guard;
}

static int add_import_statement(struct extract *x, TSNode node, unsigned guard)
{
	uint32_t i, n = ts_node_named_child_count(node);
	int error;

	for (i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(node, i), name = c, alias = { { 0 }, NULL, NULL };
		imp_stmt *s;

		if (node_is(c, "aliased_import")) {
			name = ts_node_child_by_field_name(c, "name", 4);
			alias = ts_node_child_by_field_name(c, "alias", 5);
		}
		if (!node_is(name, "dotted_name"))
			continue;
		if ((error = imp_info_push(&s, x->info)) < 0)
			return error;
		s->kind = IMP_IMPORT;
		s->start = ts_node_start_byte(node);
		s->end = ts_node_end_byte(node);
		s->mod_start = ts_node_start_byte(name);
		s->mod_end = ts_node_end_byte(name);
		s->guard = guard;
		if (!(s->module = imp_node_text(x->data, x->size, name)))
			return WM_ENOMEM;
		if (!ts_node_is_null(alias) && !(s->alias = imp_node_text(x->data, x->size, alias)))
			return WM_ENOMEM;
	}
	return 0;
}

static int add_from_statement(struct extract *x, TSNode node, unsigned guard)
{
	TSNode mod = ts_node_child_by_field_name(node, "module_name", 11);
	TSTreeCursor cur;
	imp_stmt *s;
	size_t len;
	const char *t;
	int error = 0;

	if (ts_node_is_null(mod))
		return 0;
	if ((error = imp_info_push(&s, x->info)) < 0)
		return error;
	s->kind = IMP_FROM;
	s->start = ts_node_start_byte(node);
	s->end = ts_node_end_byte(node);
	s->mod_start = ts_node_start_byte(mod);
	s->mod_end = ts_node_end_byte(mod);
	s->guard = guard;
	t = span(x, mod, &len);
	while (len > 0 && *t == '.') {
		s->level++;
		t++;
		len--;
	}
	/* `from . import x` and `from .. import x` leave no dotted name */
	while (len > 0 && (*t == ' ' || *t == '\t' || *t == '\\' || *t == '\n' || *t == '\r')) {
		t++;
		len--;
	}
	if (!(s->module = wm_strndup(t, len)))
		return WM_ENOMEM;

	/* The imported names are the `name` fields; cursors know fields in 0.20. */
	cur = ts_tree_cursor_new(node);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur), name = c, alias = { { 0 }, NULL, NULL };
			const char *field = ts_tree_cursor_current_field_name(&cur);
			size_t nl = 0, al = 0;
			const char *ns, *as = NULL;

			if (node_is(c, "wildcard_import")) {
				s->star = true;
				continue;
			}
			if (!field || strcmp(field, "name"))
				continue;
			if (node_is(c, "aliased_import")) {
				name = ts_node_child_by_field_name(c, "name", 4);
				alias = ts_node_child_by_field_name(c, "alias", 5);
			}
			if (ts_node_is_null(name))
				continue;
			ns = span(x, name, &nl);
			if (!ts_node_is_null(alias))
				as = span(x, alias, &al);
			if ((error = imp_stmt_name(s, ns, nl, as, al, ts_node_start_byte(c),
					ts_node_end_byte(c))) < 0)
				break;
		} while (ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return error;
}

static int visit_imports(TSNode node, void *payload)
{
	struct extract *x = payload;
	const char *t = ts_node_type(node);

	if (!strcmp(t, "import_statement"))
		return add_import_statement(x, node, guard_of(x, node)) < 0 ? WM_ENOMEM : 1;
	if (!strcmp(t, "import_from_statement"))
		return add_from_statement(x, node, guard_of(x, node)) < 0 ? WM_ENOMEM : 1;
	if (!strcmp(t, "future_import_statement"))
		return 1;
	return 0;
}

/* Names a binding target introduces: `a`, `a, b`, `(a, [b, *c])`. */
static int bind_target(struct extract *x, TSNode t, int depth)
{
	const char *type = ts_node_type(t);
	uint32_t i, n;
	size_t len;
	const char *s;
	int error;

	if (depth > DEF_DEPTH)
		return 0;
	if (!strcmp(type, "identifier")) {
		s = span(x, t, &len);
		return imp_info_def(x->info, s, len);
	}
	if (strcmp(type, "pattern_list") && strcmp(type, "tuple_pattern") &&
	    strcmp(type, "list_pattern") && strcmp(type, "list_splat_pattern") &&
	    strcmp(type, "expression_list") && strcmp(type, "tuple") && strcmp(type, "list") &&
	    strcmp(type, "parenthesized_expression"))
		return 0; /* attributes and subscripts bind nothing new */
	n = ts_node_named_child_count(t);
	for (i = 0; i < n; i++)
		if ((error = bind_target(x, ts_node_named_child(t, i), depth + 1)) < 0)
			return error;
	return 0;
}

/* `__all__ = [...]`, `__all__ += (...)`, `__all__.extend([...])`: every string. */
static int add_all_strings(struct extract *x, TSNode value, int depth)
{
	uint32_t i, n;
	int error;

	if (depth > DEF_DEPTH)
		return 0;
	if (node_is(value, "string")) {
		size_t len;
		const char *s = span(x, value, &len);

		/* strip the quotes (and a prefix letter); triple quotes never name */
		while (len > 0 && (*s == 'u' || *s == 'r' || *s == 'b' || *s == 'U' || *s == 'R')) {
			s++;
			len--;
		}
		if (len >= 2 && (*s == '"' || *s == '\'') && s[len - 1] == *s)
			return imp_info_def(x->info, s + 1, len - 2);
		return 0;
	}
	n = ts_node_named_child_count(value);
	for (i = 0; i < n; i++)
		if ((error = add_all_strings(x, ts_node_named_child(value, i), depth + 1)) < 0)
			return error;
	return 0;
}

static bool is_all(const struct extract *x, TSNode n)
{
	size_t len;
	const char *s;

	if (!node_is(n, "identifier"))
		return false;
	s = span(x, n, &len);
	return len == 7 && !memcmp(s, "__all__", 7);
}

static int defs_in(struct extract *x, TSNode block, int depth);

static int def_statement(struct extract *x, TSNode st, int depth)
{
	const char *t = ts_node_type(st);
	TSNode name, left;
	uint32_t i, n;
	size_t len;
	const char *s;
	int error = 0;

	if (!strcmp(t, "decorated_definition"))
		st = ts_node_child_by_field_name(st, "definition", 10), t = ts_node_type(st);
	if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
		name = ts_node_child_by_field_name(st, "name", 4);
		if (ts_node_is_null(name))
			return 0;
		s = span(x, name, &len);
		if (len == 11 && !memcmp(s, "__getattr__", 11) && !strcmp(t, "function_definition"))
			x->info->dynamic = true;
		return imp_info_def(x->info, s, len);
	}
	if (!strcmp(t, "expression_statement")) {
		n = ts_node_named_child_count(st);
		for (i = 0; i < n && !error; i++) {
			TSNode e = ts_node_named_child(st, i);

			/* a = b = 1 nests assignments in `right` */
			while (node_is(e, "assignment") || node_is(e, "augmented_assignment")) {
				left = ts_node_child_by_field_name(e, "left", 4);
				if (is_all(x, left))
					error = add_all_strings(x, ts_node_child_by_field_name(e, "right", 5), 0);
				if (!error)
					error = bind_target(x, left, 0);
				if (error)
					break;
				e = ts_node_child_by_field_name(e, "right", 5);
			}
			if (error)
				break;
			/* __all__.extend([...]) / __all__.append("x"); globals().update(...) */
			if (node_is(e, "call")) {
				TSNode fn = ts_node_child_by_field_name(e, "function", 8);

				if (node_is(fn, "attribute") &&
				    is_all(x, ts_node_child_by_field_name(fn, "object", 6)))
					error = add_all_strings(x, ts_node_child_by_field_name(e, "arguments", 9), 0);
				else if (text_has(x, fn, "globals()") || text_has(x, fn, "setattr"))
					x->info->dynamic = true;
			}
		}
		return error;
	}
	if (!strcmp(t, "import_statement")) {
		n = ts_node_named_child_count(st);
		for (i = 0; i < n && !error; i++) {
			TSNode c = ts_node_named_child(st, i);

			if (node_is(c, "aliased_import")) {
				s = span(x, ts_node_child_by_field_name(c, "alias", 5), &len);
			} else {
				const char *dot;

				s = span(x, c, &len);
				/* `import a.b` binds `a` */
				if ((dot = memchr(s, '.', len)))
					len = (size_t)(dot - s);
			}
			error = imp_info_def(x->info, s, len);
		}
		return error;
	}
	if (!strcmp(t, "import_from_statement") || !strcmp(t, "future_import_statement")) {
		TSTreeCursor cur = ts_tree_cursor_new(st);

		if (ts_tree_cursor_goto_first_child(&cur)) {
			do {
				const char *field = ts_tree_cursor_current_field_name(&cur);
				TSNode c = ts_tree_cursor_current_node(&cur);

				if (!field || strcmp(field, "name"))
					continue;
				if (node_is(c, "aliased_import"))
					c = ts_node_child_by_field_name(c, "alias", 5);
				s = span(x, c, &len);
				if ((error = imp_info_def(x->info, s, len)) < 0)
					break;
			} while (ts_tree_cursor_goto_next_sibling(&cur));
		}
		ts_tree_cursor_delete(&cur);
		return error;
	}
	if (!strcmp(t, "type_alias_statement")) {
		left = ts_node_child_by_field_name(st, "left", 4);
		if (!ts_node_is_null(left) && ts_node_named_child_count(left) > 0)
			left = ts_node_named_child(left, 0);
		return bind_target(x, left, 0);
	}
	if (!strcmp(t, "for_statement"))
		error = bind_target(x, ts_node_child_by_field_name(st, "left", 4), 0);
	if (!error && !strcmp(t, "global_statement"))
		return 0;
	/* Compound statements: look inside every block they hold. */
	if (!error && (!strcmp(t, "if_statement") || !strcmp(t, "try_statement") ||
	    !strcmp(t, "with_statement") || !strcmp(t, "for_statement") ||
	    !strcmp(t, "while_statement") || !strcmp(t, "elif_clause") ||
	    !strcmp(t, "else_clause") || !strcmp(t, "except_clause") ||
	    !strcmp(t, "finally_clause") || !strcmp(t, "block") ||
	    !strcmp(t, "except_group_clause")))
		error = defs_in(x, st, depth + 1);
	return error;
}

static int defs_in(struct extract *x, TSNode block, int depth)
{
	uint32_t i, n;
	int error;

	if (depth > DEF_DEPTH)
		return 0;
	n = ts_node_named_child_count(block);
	for (i = 0; i < n; i++) {
		TSNode c = ts_node_named_child(block, i);

		if (node_is(c, "with_clause")) {
			/* `with open(x) as f:` binds f */
			uint32_t k, m = ts_node_named_child_count(c);

			for (k = 0; k < m; k++) {
				TSNode item = ts_node_named_child(ts_node_named_child(c, k), 0);

				if (node_is(item, "as_pattern")) {
					TSNode al = ts_node_child_by_field_name(item, "alias", 5);

					if (!ts_node_is_null(al) && ts_node_named_child_count(al) > 0)
						al = ts_node_named_child(al, 0);
					if ((error = bind_target(x, al, 0)) < 0)
						return error;
				}
			}
			continue;
		}
		if ((error = def_statement(x, c, depth)) < 0)
			return error;
	}
	return 0;
}

/* Text signs of a module rewriting its own namespace. */
static bool rewrites_namespace(const char *data, size_t size)
{
	static const char *const signs[] = { "sys.modules[__name__]", "globals().update",
		"globals()[", "vars().update", "lazy_import", "__getattr__ =" };
	size_t i, k, n;

	for (k = 0; k < sizeof(signs) / sizeof(signs[0]); k++) {
		n = strlen(signs[k]);
		for (i = 0; i + n <= size; i++)
			if (data[i] == signs[k][0] && !memcmp(data + i, signs[k], n))
				return true;
	}
	return false;
}

static bool rewrites_namespace_named(const char *data, size_t size, const char *sign)
{
	size_t i, n = strlen(sign);

	for (i = 0; i + n <= size; i++)
		if (data[i] == sign[0] && !memcmp(data + i, sign, n))
			return true;
	return false;
}

int imp_python_extract(imp_info **out, const char *data, size_t size, const TSTree *tree)
{
	struct extract x;
	imp_info *info;
	TSNode root = ts_tree_root_node(tree);
	int error;

	*out = NULL;
	if (!(info = wm_calloc(1, sizeof(*info))))
		return WM_ENOMEM;
	info->lang = WM_LANG_PYTHON;
	x.data = data;
	x.size = size;
	x.info = info;
	if ((error = wm_syntax_walk(root, visit_imports, &x)) < 0 ||
	    (error = defs_in(&x, root, 0)) < 0) {
		imp_info_free(info);
		return error;
	}
	if (rewrites_namespace(data, size))
		info->dynamic = true;
	info->sys_modules = rewrites_namespace_named(data, size, "sys.modules[");
	imp_info_finish(info);
	*out = info;
	return 0;
}

/* --- resolution ---------------------------------------------------------- */

/* A module found in the repository. */
struct module {
	int kind;        /* enum imp_mod */
	wm_buf file;     /* FILE, PKG: the file that holds its names */
	wm_buf dir;      /* PKG, NS: the package directory */
};

enum { RES_FIRST, RES_STDLIB, RES_DEP, RES_MISSING, RES_UNKNOWN, RES_BEYOND };

struct res {
	int status;
	struct module mod;
	wm_buf root;     /* the directory the module was looked up in */
	size_t found;    /* RES_MISSING: bytes of the longest dotted prefix that exists */
};

static void module_dispose(struct module *m)
{
	wm_buf_dispose(&m->file);
	wm_buf_dispose(&m->dir);
	m->kind = IMP_MOD_NONE;
}

static void res_dispose(struct res *r)
{
	module_dispose(&r->mod);
	wm_buf_dispose(&r->root);
}

/* base + "/" + dotted module as a path (base "" is the repository root). */
static int join_module(wm_buf *out, const char *base, const char *mod, size_t len)
{
	size_t i, from;
	int error;

	wm_buf_clear(out);
	if ((error = wm_buf_puts(out, base)) < 0)
		return error;
	if (len == 0)
		return 0;
	if (*base && (error = wm_buf_putc(out, '/')) < 0)
		return error;
	from = out->size;
	if ((error = wm_buf_put(out, mod, len)) < 0)
		return error;
	for (i = from; i < out->size; i++)
		if (out->ptr[i] == '.')
			out->ptr[i] = '/';
	return 0;
}

static bool has_file(const imp_index *idx, wm_buf *p, const char *suffix)
{
	size_t n = p->size;
	bool found;

	if (wm_buf_puts(p, suffix) < 0)
		return false;
	found = imp_index_file(idx, p->ptr);
	p->size = n;
	p->ptr[n] = '\0';
	return found;
}

/*
 * Find a dotted module under a directory. A package beats a module of the
 * same name, as in the import system; a namespace package is any directory
 * with Python below it.
 */
static int find_module(struct module *out, const imp_index *idx, const char *base,
	const char *mod, size_t len)
{
	wm_buf p = WM_BUF_INIT;
	int error, flags;

	module_dispose(out);
	if ((error = join_module(&p, base, mod, len)) < 0 || !p.ptr)
		goto done;
	if (has_file(idx, &p, "/__init__.py") || has_file(idx, &p, "/__init__.pyi")) {
		out->kind = IMP_MOD_PKG;
		if ((error = wm_buf_puts(&out->dir, p.ptr)) < 0 ||
		    (error = wm_buf_printf(&out->file, "%s/__init__.py%s", p.ptr,
				has_file(idx, &p, "/__init__.py") ? "" : "i")) < 0)
			goto done;
	} else if (has_file(idx, &p, ".py") || has_file(idx, &p, ".pyi")) {
		out->kind = IMP_MOD_FILE;
		error = wm_buf_printf(&out->file, "%s.py%s", p.ptr, has_file(idx, &p, ".py") ? "" : "i");
	} else if (has_file(idx, &p, ".pyx") || has_file(idx, &p, ".pxd") ||
		   has_file(idx, &p, ".so") || has_file(idx, &p, ".pyd")) {
		out->kind = IMP_MOD_OPAQUE;
	} else if ((flags = imp_index_dir(idx, p.ptr)) & IMP_DIR_PY) {
		out->kind = IMP_MOD_NS;
		error = wm_buf_puts(&out->dir, p.ptr);
	}
done:
	wm_buf_dispose(&p);
	return error;
}

static void dirname_of(wm_buf *b)
{
	char *slash = b->ptr ? strrchr(b->ptr, '/') : NULL;

	b->size = slash ? (size_t)(slash - b->ptr) : 0;
	if (b->ptr)
		b->ptr[b->size] = '\0';
}

/* The importing script's own sys.path entry: the first directory up without __init__.py. */
static int script_dir(wm_buf *out, const imp_index *idx, const char *importer)
{
	int error;

	wm_buf_clear(out);
	if ((error = wm_buf_puts(out, importer)) < 0)
		return error;
	dirname_of(out);
	while (out->size > 0 && (imp_index_dir(idx, out->ptr) & IMP_DIR_INIT))
		dirname_of(out);
	return wm_buf_puts(out, "");
}

/* The package directory `level` dots name, relative to the importer. */
static int relative_base(wm_buf *out, const char *importer, unsigned level)
{
	unsigned i;
	int error;

	wm_buf_clear(out);
	if ((error = wm_buf_puts(out, importer)) < 0)
		return error;
	for (i = 0; i < level; i++) {
		if (out->size == 0)
			return WM_ENOTFOUND; /* above the repository */
		dirname_of(out);
	}
	return 0;
}

static bool regular(int kind)
{
	return kind == IMP_MOD_FILE || kind == IMP_MOD_PKG || kind == IMP_MOD_OPAQUE;
}

/* Bytes of the longest dotted prefix of `mod` that exists under `base`. */
static size_t longest_prefix(const imp_index *idx, const char *base, const char *mod)
{
	struct module m = { 0, WM_BUF_INIT, WM_BUF_INIT };
	size_t best = 0, i, n = strlen(mod);

	for (i = 1; i <= n; i++) {
		if (i < n && mod[i] != '.')
			continue;
		if (find_module(&m, idx, base, mod, i) < 0 || m.kind == IMP_MOD_NONE)
			break;
		best = i;
	}
	module_dispose(&m);
	return best;
}

/*
 * A module that registers submodules in sys.modules itself (requests'
 * `packages.py` aliases urllib3 as requests.packages.urllib3) makes names
 * below it importable that no file holds.
 */
static int aliased_below(bool *out, imp_index *idx, const char *base, const char *module, size_t found)
{
	struct module m = { 0, WM_BUF_INIT, WM_BUF_INIT };
	const imp_info *info = NULL;
	int error = 0;

	*out = false;
	if (found == 0)
		goto done;
	if ((error = find_module(&m, idx, base, module, found)) < 0 || !m.file.ptr)
		goto done;
	if ((error = imp_index_info(&info, idx, m.file.ptr)) < 0 || !info)
		goto done;
	*out = info->sys_modules;
done:
	module_dispose(&m);
	return error;
}

static int settle_missing(struct res *r, imp_index *idx, const char *module)
{
	bool aliased;
	int error;

	r->status = RES_MISSING;
	r->found = longest_prefix(idx, r->root.ptr, module);
	if ((error = aliased_below(&aliased, idx, r->root.ptr, module, r->found)) < 0)
		return error;
	if (aliased) {
		r->status = RES_FIRST;
		r->mod.kind = IMP_MOD_OPAQUE;
	}
	return 0;
}

static int resolve(struct res *r, imp_index *idx, const char *importer, unsigned level,
	const char *module)
{
	wm_buf sd = WM_BUF_INIT;
	const char *dot = strchr(module, '.');
	size_t toplen = dot ? (size_t)(dot - module) : strlen(module), i, pass;
	struct module top = { 0, WM_BUF_INIT, WM_BUF_INIT };
	bool any_top = false;
	int error = 0;

	res_dispose(r);
	r->found = 0;
	if (level > 0) {
		if ((error = relative_base(&r->root, importer, level)) < 0) {
			r->status = RES_BEYOND;
			error = 0;
			goto done;
		}
		if ((error = wm_buf_puts(&r->root, "")) < 0)
			goto done;
		if (!*module) {
			/* `from . import x`: the package itself */
			int flags = imp_index_dir(idx, r->root.ptr);

			r->status = RES_FIRST;
			r->mod.kind = (flags & IMP_DIR_INIT) ? IMP_MOD_PKG : IMP_MOD_NS;
			if ((error = wm_buf_puts(&r->mod.dir, r->root.ptr)) < 0)
				goto done;
			if (r->mod.kind == IMP_MOD_PKG)
				error = wm_buf_printf(&r->mod.file, "%s%s__init__.py", r->root.ptr,
					r->root.size ? "/" : "");
			goto done;
		}
		if ((error = find_module(&r->mod, idx, r->root.ptr, module, strlen(module))) < 0)
			goto done;
		r->status = RES_FIRST;
		if (!r->mod.kind)
			error = settle_missing(r, idx, module);
		goto done;
	}

	if ((error = script_dir(&sd, idx, importer)) < 0)
		goto done;
	/*
	 * Pass 0: the script's directory, whose regular modules shadow even
	 * the standard library. Pass 1: the roots, after the standard
	 * library. Pass 2: namespace packages, after declared dependencies.
	 */
	for (pass = 0; pass < 3; pass++) {
		if (pass == 1 && imp_stdlib_is_python(module, toplen)) {
			r->status = RES_STDLIB;
			goto done;
		}
		if (pass == 2 && imp_map_get(&idx->pydeps, module, toplen)) {
			r->status = RES_DEP;
			goto done;
		}
		for (i = 0; i < (pass == 0 ? 1 : idx->nroots + 1); i++) {
			const char *base = pass == 0 || i == idx->nroots ? sd.ptr : idx->roots[i];

			if (pass == 1 && i == idx->nroots)
				continue;
			if ((error = find_module(&top, idx, base, module, toplen)) < 0)
				goto done;
			if (pass < 2 ? !regular(top.kind) : top.kind != IMP_MOD_NS)
				continue;
			any_top = true;
			if ((error = find_module(&r->mod, idx, base, module, strlen(module))) < 0)
				goto done;
			if (r->mod.kind != IMP_MOD_NONE || r->root.size == 0) {
				wm_buf_clear(&r->root);
				if ((error = wm_buf_puts(&r->root, base)) < 0)
					goto done;
			}
			if (r->mod.kind != IMP_MOD_NONE) {
				r->status = RES_FIRST;
				goto done;
			}
		}
		if (any_top) {
			error = settle_missing(r, idx, module);
			goto done;
		}
	}
	r->status = RES_UNKNOWN;
done:
	if (r->root.ptr == NULL && error == 0)
		error = wm_buf_puts(&r->root, "");
	module_dispose(&top);
	wm_buf_dispose(&sd);
	return error;
}

/* Whether `name` can be imported from a module: a submodule or a top-level binding. */
static int name_in(bool *found, imp_index *idx, const struct module *m, const char *name, int depth)
{
	struct module sub = { 0, WM_BUF_INIT, WM_BUF_INIT };
	struct res star;
	const imp_info *info;
	size_t i;
	int error = 0;

	memset(&star, 0, sizeof(star));
	*found = true;
	if (m->kind == IMP_MOD_OPAQUE || depth > STAR_DEPTH)
		goto done;
	if (m->kind == IMP_MOD_PKG || m->kind == IMP_MOD_NS) {
		if ((error = find_module(&sub, idx, m->dir.ptr, name, strlen(name))) < 0 ||
		    sub.kind != IMP_MOD_NONE)
			goto done;
	}
	if (m->kind == IMP_MOD_NS) {
		*found = false;
		goto done;
	}
	if ((error = imp_index_info(&info, idx, m->file.ptr)) < 0 || !info ||
	    info->dynamic || imp_info_defines(info, name))
		goto done;
	*found = false;
	for (i = 0; i < info->nimports && !*found; i++) {
		const imp_stmt *s = &info->imports[i];

		if (!s->star)
			continue;
		if ((error = resolve(&star, idx, m->file.ptr, s->level, s->module)) < 0)
			goto done;
		/* A star from outside the repository may bring anything. */
		if (star.status != RES_FIRST) {
			*found = star.status != RES_MISSING && star.status != RES_BEYOND;
			continue;
		}
		if ((error = name_in(found, idx, &star.mod, name, depth + 1)) < 0)
			goto done;
	}
done:
	res_dispose(&star);
	module_dispose(&sub);
	return error;
}

/* --- repair -------------------------------------------------------------- */

/* "a/b/c.py" or "a/b/c/__init__.py" -> "a/b/c" in out. */
static int module_path(wm_buf *out, const char *file)
{
	size_t n = strlen(file);
	int error;

	wm_buf_clear(out);
	if ((error = wm_buf_puts(out, file)) < 0)
		return error;
	if (n >= 12 && !strcmp(file + n - 12, "/__init__.py"))
		out->size = n - 12;
	else if (n >= 13 && !strcmp(file + n - 13, "/__init__.pyi"))
		out->size = n - 13;
	else if (n >= 3 && !strcmp(file + n - 3, ".py"))
		out->size = n - 3;
	else if (n >= 4 && !strcmp(file + n - 4, ".pyi"))
		out->size = n - 4;
	else
		return WM_ENOTFOUND;
	out->ptr[out->size] = '\0';
	return 0;
}

/*
 * How `importer` should name the module at path `mpath` ("a/b/c"): with
 * `level` dots when the original was relative and the module is inside the
 * same top-level package, else absolutely from `root`.
 */
static int spell_module(wm_buf *out, const imp_index *idx, const char *importer, unsigned level,
	const char *root, const char *mpath)
{
	wm_buf base = WM_BUF_INIT;
	unsigned l;
	size_t i, from, rl = strlen(root);
	int error = WM_ENOTFOUND;

	wm_buf_clear(out);
	for (l = 1; level > 0 && l <= level + 3; l++) {
		if (relative_base(&base, importer, l) < 0 || wm_buf_puts(&base, "") < 0)
			break;
		/* never climb out of the package tree with dots */
		if (l > 1 && !(imp_index_dir(idx, base.ptr) & IMP_DIR_INIT) && base.size)
			break;
		if (base.size == 0 || (!strncmp(mpath, base.ptr, base.size) && mpath[base.size] == '/')) {
			size_t k;

			for (k = 0; k < l; k++)
				wm_buf_putc(out, '.');
			from = out->size;
			error = wm_buf_puts(out, mpath + (base.size ? base.size + 1 : 0));
			goto dots;
		}
	}
	if (rl && (strncmp(mpath, root, rl) || mpath[rl] != '/'))
		goto done;
	from = out->size;
	error = wm_buf_puts(out, mpath + (rl ? rl + 1 : 0));
dots:
	for (i = from; error == 0 && i < out->size; i++)
		if (out->ptr[i] == '/')
			out->ptr[i] = '.';
done:
	wm_buf_dispose(&base);
	return error;
}

/* Where the old module at path `p` (no extension) went, if this run moved it. */
static const char *moved_to(const imp_index *idx, const char *p)
{
	static const char *const suffixes[] = { ".py", "/__init__.py", ".pyi", "/__init__.pyi" };
	wm_buf k = WM_BUF_INIT;
	const char *to = NULL;
	size_t i;

	for (i = 0; i < 4 && !to; i++) {
		void **v;

		wm_buf_clear(&k);
		if (wm_buf_printf(&k, "%s%s", p, suffixes[i]) < 0)
			break;
		if ((v = imp_map_get(&idx->moved, k.ptr, k.size)))
			to = *v;
	}
	wm_buf_dispose(&k);
	return to && *to ? to : NULL;
}

static int add_edit(wm_fix *fix, const char *path, uint32_t start, uint32_t end, const char *text)
{
	wm_edit *grown = wm_reallocarray(fix->edits, fix->nedits + 1, sizeof(*grown));
	wm_edit *e;

	if (!grown)
		return WM_ENOMEM;
	fix->edits = grown;
	e = &fix->edits[fix->nedits];
	e->start_byte = start;
	e->end_byte = end;
	e->path = wm_strdup(path);
	e->replacement = wm_strdup(text);
	if (!e->path || !e->replacement) {
		wm_free(e->path);
		wm_free(e->replacement);
		return WM_ENOMEM;
	}
	fix->nedits++;
	return 0;
}

static void fix_dispose(wm_fix *fix)
{
	size_t i;

	for (i = 0; i < fix->nedits; i++) {
		wm_free(fix->edits[i].path);
		wm_free(fix->edits[i].replacement);
	}
	wm_free(fix->edits);
	wm_free(fix->description);
	memset(fix, 0, sizeof(*fix));
}

/*
 * A module that this run renamed: rewrite the module of the statement.
 * `base` is the directory the module was looked up in.
 */
static int fix_moved_module(wm_fix *fix, const imp_ctx *ctx, const imp_stmt *s, const char *base)
{
	wm_buf old = WM_BUF_INIT, mp = WM_BUF_INIT, spelt = WM_BUF_INIT, text = WM_BUF_INIT;
	const char *to;
	int error = 0;

	if ((error = join_module(&old, base, s->module, strlen(s->module))) < 0 || !old.ptr ||
	    !(to = moved_to(ctx->idx, old.ptr)))
		goto done;
	if (module_path(&mp, to) < 0 ||
	    spell_module(&spelt, ctx->idx, ctx->path, s->level, base, mp.ptr) < 0)
		goto done;
	if (s->kind == IMP_IMPORT && !s->alias) {
		/* `import old` -> `import new as old` keeps the bound name; a dotted
		 * `import a.old` binds `a`, and its uses name `a.old`: no fix. */
		if (strchr(s->module, '.') || strchr(spelt.ptr, '.'))
			goto done;
		error = wm_buf_printf(&text, "%s as %s", spelt.ptr, s->module);
	} else {
		error = wm_buf_puts(&text, spelt.ptr);
	}
	if (error < 0 || (error = add_edit(fix, ctx->path, s->mod_start, s->mod_end, text.ptr)) < 0)
		goto done;
	wm_buf_clear(&text);
	if ((error = wm_buf_printf(&text, "import %s (moved to %s)", spelt.ptr, to)) == 0)
		fix->description = wm_buf_detach(&text);
done:
	wm_buf_dispose(&old);
	wm_buf_dispose(&mp);
	wm_buf_dispose(&spelt);
	wm_buf_dispose(&text);
	return error;
}

/* `from pkg import old` where this run moved pkg/old.py: import the new name under the old one. */
static int fix_moved_submodule(wm_fix *fix, const imp_ctx *ctx, const imp_stmt *s,
	const imp_name *n, const struct res *r)
{
	wm_buf old = WM_BUF_INIT, mp = WM_BUF_INIT, spelt = WM_BUF_INIT, text = WM_BUF_INIT;
	const char *to, *slash;
	int error = 0;

	if (!r->mod.dir.ptr || (error = join_module(&old, r->mod.dir.ptr, n->name, strlen(n->name))) < 0 ||
	    !(to = moved_to(ctx->idx, old.ptr)) || module_path(&mp, to) < 0)
		goto done;
	slash = strrchr(mp.ptr, '/');
	if (s->nnames == 1 || (slash && (size_t)(slash - mp.ptr) == r->mod.dir.size &&
	    !strncmp(mp.ptr, r->mod.dir.ptr, r->mod.dir.size))) {
		/* Same package: rename the name. Else, alone in its statement: move it. */
		if (!(slash && (size_t)(slash - mp.ptr) == r->mod.dir.size &&
		      !strncmp(mp.ptr, r->mod.dir.ptr, r->mod.dir.size))) {
			wm_buf parent = WM_BUF_INIT;

			if ((error = wm_buf_put(&parent, mp.ptr, slash ? (size_t)(slash - mp.ptr) : 0)) < 0 ||
			    (error = wm_buf_puts(&parent, "")) < 0 ||
			    spell_module(&spelt, ctx->idx, ctx->path, s->level, r->root.ptr, parent.ptr) < 0 ||
			    (error = add_edit(fix, ctx->path, s->mod_start, s->mod_end,
					spelt.ptr ? spelt.ptr : "")) < 0) {
				wm_buf_dispose(&parent);
				goto done;
			}
			wm_buf_dispose(&parent);
		}
		if ((error = wm_buf_printf(&text, "%s as %s", slash ? slash + 1 : mp.ptr,
				n->alias ? n->alias : n->name)) < 0 ||
		    (error = add_edit(fix, ctx->path, n->start, n->end, text.ptr)) < 0)
			goto done;
		wm_buf_clear(&text);
		if ((error = wm_buf_printf(&text, "import %s (moved to %s)",
				slash ? slash + 1 : mp.ptr, to)) < 0)
			goto done;
		fix->description = wm_buf_detach(&text);
	}
done:
	wm_buf_dispose(&old);
	wm_buf_dispose(&mp);
	wm_buf_dispose(&spelt);
	wm_buf_dispose(&text);
	return error;
}

/* The byte range that removes one name from a from-import's list, comma included. */
static void name_removal(const imp_ctx *ctx, const imp_stmt *s, size_t k, uint32_t *start, uint32_t *end)
{
	const char *d = ctx->data;
	uint32_t a = s->names[k].start, b = s->names[k].end;

	if (k + 1 < s->nnames) {
		b = s->names[k + 1].start;   /* "x, " up to the next name */
	} else if (k > 0) {
		a = s->names[k - 1].end;     /* ", x" back to the previous name */
	}
	while (a > 0 && k + 1 >= s->nnames && k > 0 && a > s->names[k - 1].end && d[a - 1] == ' ')
		a--;
	*start = a;
	*end = b;
}

/* A name that this run moved to another changed module: import it from there. */
static int fix_moved_name(wm_fix *fix, const imp_ctx *ctx, const imp_stmt *s, size_t k,
	const struct res *r)
{
	imp_index *idx = ctx->idx;
	wm_buf mp = WM_BUF_INIT, spelt = WM_BUF_INIT, text = WM_BUF_INIT;
	const char *where = NULL, *name = s->names[k].name;
	size_t i, hits = 0;
	int error = 0;

	for (i = 0; i < idx->changed.cap; i++) {
		const char *p = idx->changed.keys[i];
		const imp_info *info;
		size_t j;
		bool imported = false;

		if (!p || !imp_index_file(idx, p) || wm_syntax_detect(p, NULL, 0) != WM_LANG_PYTHON ||
		    (r->mod.file.ptr && !strcmp(p, r->mod.file.ptr)))
			continue;
		if ((error = imp_index_info(&info, idx, p)) < 0)
			goto done;
		if (!info || !imp_info_defines(info, name))
			continue;
		/* A module that only imports the name is not where it lives. */
		for (j = 0; j < info->nimports && !imported; j++) {
			size_t q;

			for (q = 0; q < info->imports[j].nnames; q++) {
				const imp_name *in = &info->imports[j].names[q];

				if (!strcmp(in->alias ? in->alias : in->name, name))
					imported = true;
			}
		}
		if (imported)
			continue;
		where = p;
		hits++;
	}
	if (hits != 1 || module_path(&mp, where) < 0 ||
	    spell_module(&spelt, idx, ctx->path, s->level, r->root.ptr, mp.ptr) < 0)
		goto done;
	if (s->nnames == 1) {
		if ((error = add_edit(fix, ctx->path, s->mod_start, s->mod_end, spelt.ptr)) < 0)
			goto done;
	} else {
		/* Take the name out of this statement and import it on the next line. */
		uint32_t a, b, ls = s->start;

		name_removal(ctx, s, k, &a, &b);
		while (ls > 0 && ctx->data[ls - 1] != '\n')
			ls--;
		if ((error = add_edit(fix, ctx->path, a, b, "")) < 0 ||
		    (error = wm_buf_printf(&text, "\n%.*sfrom %s import %s%s%s", (int)(s->start - ls),
				ctx->data + ls, spelt.ptr, name, s->names[k].alias ? " as " : "",
				s->names[k].alias ? s->names[k].alias : "")) < 0 ||
		    (error = add_edit(fix, ctx->path, s->end, s->end, text.ptr)) < 0)
			goto done;
		wm_buf_clear(&text);
	}
	if ((error = wm_buf_printf(&text, "import %s from %s (moved to %s)", name, spelt.ptr, where)) < 0)
		goto done;
	fix->description = wm_buf_detach(&text);
done:
	wm_buf_dispose(&mp);
	wm_buf_dispose(&spelt);
	wm_buf_dispose(&text);
	return error;
}

/* Up to three names of the module close to `name`: " (did you mean a, b?)". */
static int did_you_mean(wm_buf *msg, imp_index *idx, const struct module *m, const char *name)
{
	const imp_info *info = NULL;
	size_t max = strlen(name) <= 4 ? 1 : 2, d, i, shown = 0;
	int error;

	if (!m->file.ptr || (error = imp_index_info(&info, idx, m->file.ptr)) < 0 || !info)
		return 0;
	for (d = 0; d <= max && shown < 3; d++) {
		for (i = 0; i < info->ndefs && shown < 3; i++) {
			const char *c = info->defs[i];

			if ((c[0] == '_') != (name[0] == '_') || imp_distance(name, c, max) != d)
				continue;
			if ((error = wm_buf_printf(msg, "%s%s", shown ? ", " : " (did you mean ", c)) < 0)
				return error;
			shown++;
		}
	}
	return shown ? wm_buf_puts(msg, "?)") : 0;
}

/* --- checking ------------------------------------------------------------ */

/* Whether a changed path is the module `p` ("a/b") or a module `p/<name>`. */
static bool touches_path(const imp_index *idx, const char *p, const imp_stmt *s)
{
	size_t pl = strlen(p), i, k;

	for (i = 0; i < idx->changed.cap; i++) {
		const char *c = idx->changed.keys[i];
		const char *rest;

		if (!c || strncmp(c, p, pl))
			continue;
		rest = c + pl;
		if (!strcmp(rest, ".py") || !strcmp(rest, ".pyi") || !strcmp(rest, "/__init__.py") ||
		    !strcmp(rest, "/__init__.pyi") || (pl == 0 && s->level > 0))
			return true;
		if (*rest != '/' && pl > 0)
			continue;
		if (pl > 0)
			rest++;
		for (k = 0; k < s->nnames; k++) {
			size_t nl = strlen(s->names[k].name);

			if (!strncmp(rest, s->names[k].name, nl) &&
			    (!strcmp(rest + nl, ".py") || !strncmp(rest + nl, "/", 1)))
				return true;
		}
	}
	return false;
}

/* Whether a statement may name a file this run changed (dependents mode). */
static int touches(bool *out, const imp_ctx *ctx, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	wm_buf base = WM_BUF_INIT, p = WM_BUF_INIT;
	size_t i;
	int error = 0;

	*out = false;
	if (s->level > 0) {
		if (relative_base(&base, ctx->path, s->level) < 0)
			goto done;
		if ((error = wm_buf_puts(&base, "")) < 0 ||
		    (error = join_module(&p, base.ptr, s->module, strlen(s->module))) < 0)
			goto done;
		*out = touches_path(idx, p.ptr ? p.ptr : "", s);
		goto done;
	}
	if ((error = script_dir(&base, idx, ctx->path)) < 0)
		goto done;
	for (i = 0; i <= idx->nroots && !*out; i++) {
		if ((error = join_module(&p, i < idx->nroots ? idx->roots[i] : base.ptr, s->module,
				strlen(s->module))) < 0)
			goto done;
		*out = touches_path(idx, p.ptr ? p.ptr : "", s);
	}
done:
	wm_buf_dispose(&base);
	wm_buf_dispose(&p);
	return error;
}

static void spell_import(wm_buf *msg, const imp_stmt *s)
{
	unsigned i;

	for (i = 0; i < s->level; i++)
		wm_buf_putc(msg, '.');
	wm_buf_puts(msg, s->module);
}

static int check_names(const imp_ctx *ctx, const imp_stmt *s, const struct res *r, bool guarded)
{
	wm_buf msg = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	size_t k;
	bool found;
	int error = 0;

	for (k = 0; k < s->nnames; k++) {
		const imp_name *n = &s->names[k];

		if ((error = name_in(&found, ctx->idx, &r->mod, n->name, 0)) < 0)
			goto done;
		if (found)
			continue;
		wm_buf_clear(&msg);
		fix_dispose(&fix);
		wm_buf_printf(&msg, "cannot import name '%s' from '", n->name);
		spell_import(&msg, s);
		if ((error = wm_buf_printf(&msg, "' (%s)", r->mod.file.ptr ? r->mod.file.ptr :
				r->mod.dir.ptr ? r->mod.dir.ptr : "?")) < 0)
			goto done;
		if ((error = fix_moved_submodule(&fix, ctx, s, n, r)) < 0)
			goto done;
		if (!fix.nedits && (error = fix_moved_name(&fix, ctx, s, k, r)) < 0)
			goto done;
		if (!fix.nedits && (error = did_you_mean(&msg, ctx->idx, &r->mod, n->name)) < 0)
			goto done;
		if ((error = imp_emit(ctx, "unresolved-name", guarded,
				n->start, n->end, msg.ptr, fix.nedits ? &fix : NULL)) < 0)
			goto done;
	}
done:
	fix_dispose(&fix);
	wm_buf_dispose(&msg);
	return error;
}

/* Whether the file imports the same top-level module somewhere as optional. */
static bool optional_elsewhere(const imp_info *info, const imp_stmt *s)
{
	size_t i, n = strcspn(s->module, ".");

	if (s->level > 0)
		return false;
	for (i = 0; i < info->nimports; i++) {
		const imp_stmt *o = &info->imports[i];

		if (o != s && o->level == 0 && (o->guard & IMP_GUARD_TRY) &&
		    strcspn(o->module, ".") == n && !strncmp(o->module, s->module, n))
			return true;
	}
	return false;
}

static int check_stmt(const imp_ctx *ctx, const imp_info *info, const imp_stmt *s)
{
	imp_index *idx = ctx->idx;
	struct res r;
	wm_buf msg = WM_BUF_INIT;
	wm_fix fix = { NULL, NULL, 0 };
	/* try/except ImportError and version tests make every finding optional;
	 * TYPE_CHECKING and function bodies only third-party ones. */
	bool guarded = (s->guard & (IMP_GUARD_TRY | IMP_GUARD_COND)) != 0;
	bool soft = guarded || (s->guard & (IMP_GUARD_TYPING | IMP_GUARD_FUNCTION)) ||
		optional_elsewhere(info, s);
	bool hit;
	int error;

	memset(&r, 0, sizeof(r));
	if (ctx->dependent) {
		if ((error = touches(&hit, ctx, s)) < 0 || !hit)
			goto done;
	}
	if ((error = resolve(&r, idx, ctx->path, s->level, s->module)) < 0)
		goto done;
	switch (r.status) {
	case RES_FIRST:
		if ((error = imp_contract_check(ctx, s, r.mod.file.ptr ? r.mod.file.ptr : r.mod.dir.ptr, NULL)) < 0)
			goto done;
		if (s->kind == IMP_FROM)
			error = check_names(ctx, s, &r, guarded);
		break;
	case RES_MISSING:
	case RES_BEYOND:
		wm_buf_puts(&msg, "cannot resolve module '");
		spell_import(&msg, s);
		if (r.status == RES_BEYOND)
			error = wm_buf_puts(&msg, "': relative import beyond the top of the repository");
		else if (r.found)
			error = wm_buf_printf(&msg, "': '%.*s' has no module '%.*s'", (int)r.found, s->module,
				(int)strcspn(s->module + r.found + 1, "."), s->module + r.found + 1);
		else
			error = wm_buf_printf(&msg, "' (looked in %s)", r.root.size ? r.root.ptr : "the repository root");
		if (error < 0)
			goto done;
		if (r.status == RES_MISSING && (error = fix_moved_module(&fix, ctx, s, r.root.ptr)) < 0)
			goto done;
		error = imp_emit(ctx, "unresolved-import", guarded,
			s->mod_start, s->mod_end, msg.ptr, fix.nedits ? &fix : NULL);
		break;
	case RES_UNKNOWN: {
		size_t i;

		/* A first-party top-level module renamed away in this run? */
		for (i = 0; i < idx->nroots && !fix.nedits; i++)
			if ((error = fix_moved_module(&fix, ctx, s, idx->roots[i])) < 0)
				goto done;
		if (fix.nedits) {
			wm_buf_puts(&msg, "cannot resolve module '");
			spell_import(&msg, s);
			if ((error = wm_buf_puts(&msg, "': it was moved in this change")) < 0)
				goto done;
			error = imp_emit(ctx, "unresolved-import", guarded,
				s->mod_start, s->mod_end, msg.ptr, &fix);
			break;
		}
		if (!idx->pymanifest || ctx->dependent)
			break;
		{
			const char *dot = strchr(s->module, '.');

			if ((error = wm_buf_printf(&msg, "'%.*s' is not a module of the repository, of the "
					"standard library, or a declared dependency",
					dot ? (int)(dot - s->module) : (int)strlen(s->module), s->module)) < 0)
				goto done;
		}
		error = imp_emit(ctx, "undeclared-dependency", soft,
			s->mod_start, s->mod_end, msg.ptr, NULL);
		break;
	}
	default:
		break;
	}
done:
	fix_dispose(&fix);
	res_dispose(&r);
	wm_buf_dispose(&msg);
	return error;
}

int imp_python_check(const imp_ctx *ctx, const imp_info *info)
{
	size_t i;
	int error;

	for (i = 0; i < info->nimports; i++)
		if ((error = check_stmt(ctx, info, &info->imports[i])) < 0)
			return error;
	return 0;
}
