/*
 * docs_python.c - Python: modules, classes, functions and methods, and
 * what their docstrings say about parameters.
 *
 * "Public" follows pydocstyle, so that `pydocstyle --select=D100,D101,D102,
 * D103` and wm agree on what needs a docstring (measured on real projects):
 *
 * - a module is public unless its file name or a package above it starts
 *   with `_` (dunder names such as `__init__`, `__main__` are public);
 * - a module-level function or class is public when listed in `__all__`
 *   (if the module has one), else when its name has no leading `_`;
 * - a method is public when its class is public and its name has no
 *   leading `_` or is a dunder; a nested class likewise;
 * - functions and classes inside functions are never public;
 * - `@x.setter` / `@x.deleter` methods and `@overload` stubs are skipped
 *   (their documentation lives on the getter and on the implementation).
 *
 * Then the `docs.ignore.*` options, named after interrogate's, take out
 * what a project does not want counted: dunder methods and `__init__` by
 * default, as pydocstyle's D102 does (D105 and D107 are separate codes;
 * `__call__` and `__new__` stay ordinary methods, as there).
 * Definitions inside `if`/`try`/`with` blocks belong to the enclosing
 * scope, as they do for pydocstyle and at run time.
 *
 * Docstrings are read in the three common styles at once (Google `Args:`,
 * NumPy `Parameters\n----------`, Sphinx `:param x:`), since one project
 * often mixes them.
 */
#include <ctype.h>
#include <string.h>

#include "docs.h"

enum scope { SCOPE_MODULE, SCOPE_CLASS, SCOPE_FUNCTION };

typedef struct py {
	docs_items *out;
	const char *data;
	size_t size;
	const docs_opts *opts;
	char **all;          /* __all__ names, when the module has a literal __all__ */
	size_t nall;
	bool has_all;
} py;

static bool is_dunder(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strncmp(name, "__", 2) && !strcmp(name + n - 2, "__");
}

static bool in_all(const py *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->nall; i++)
		if (!strcmp(p->all[i], name))
			return true;
	return false;
}

/* The string node a block (or the module) starts with, if it is a docstring. */
static TSNode docstring_of(TSNode body, const char *data)
{
	TSNode null = { { 0, 0, 0, 0 }, NULL, NULL }, first, str;
	uint32_t i, n = ts_node_named_child_count(body);

	for (i = 0; i < n; i++) {
		first = ts_node_named_child(body, i);
		if (strcmp(ts_node_type(first), "comment"))
			break;
	}
	if (i == n || strcmp(ts_node_type(first), "expression_statement") ||
	    ts_node_named_child_count(first) != 1)
		return null;
	str = ts_node_named_child(first, 0);
	if (!strcmp(ts_node_type(str), "string") || !strcmp(ts_node_type(str), "concatenated_string")) {
		/* f-strings are not docstrings: Python does not store them in __doc__. */
		const char *s = data + ts_node_start_byte(str);

		if (s[0] == 'f' || s[0] == 'F' || ((s[0] != '"' && s[0] != '\'') && (s[1] == 'f' || s[1] == 'F')))
			return null;
		return str;
	}
	return null;
}

static int read_all(py *p, TSNode module)
{
	uint32_t i, j, n = ts_node_named_child_count(module);

	for (i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(module, i), as, left, right;

		if (strcmp(ts_node_type(st), "expression_statement") || ts_node_named_child_count(st) < 1)
			continue;
		as = ts_node_named_child(st, 0);
		if (strcmp(ts_node_type(as), "assignment") && strcmp(ts_node_type(as), "augmented_assignment"))
			continue;
		left = ts_node_child_by_field_name(as, "left", 4);
		right = ts_node_child_by_field_name(as, "right", 5);
		if (!docs__node_is(left, p->data, "__all__") || ts_node_is_null(right))
			continue;
		if (strcmp(ts_node_type(right), "list") && strcmp(ts_node_type(right), "tuple"))
			continue;
		p->has_all = true;
		for (j = 0; j < ts_node_named_child_count(right); j++) {
			TSNode s = ts_node_named_child(right, j), c;
			char **grown;

			if (strcmp(ts_node_type(s), "string") || ts_node_named_child_count(s) < 2)
				continue;
			c = ts_node_named_child(s, 1);
			if (strcmp(ts_node_type(c), "string_content"))
				continue;
			if (!(grown = wm_reallocarray(p->all, p->nall + 1, sizeof(*grown))))
				return WM_ENOMEM;
			p->all = grown;
			if (!(p->all[p->nall] = docs__node_text(c, p->data)))
				return WM_ENOMEM;
			p->nall++;
		}
	}
	return 0;
}

/* Parameter names, `*args` and `**kwargs` with their stars. */
static int read_params(docs_item *it, TSNode params, const char *data)
{
	uint32_t i, n = ts_node_named_child_count(params);
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_named_child(params, i), name = c;
		const char *t = ts_node_type(c);
		const char *stars = "";
		char *text;

		if (!strcmp(t, "typed_parameter") && ts_node_named_child_count(c) > 0) {
			c = ts_node_named_child(c, 0);
			t = ts_node_type(c);
			name = c;
		}
		if (!strcmp(t, "default_parameter") || !strcmp(t, "typed_default_parameter")) {
			name = ts_node_child_by_field_name(c, "name", 4);
		} else if (!strcmp(t, "list_splat_pattern") || !strcmp(t, "dictionary_splat_pattern")) {
			stars = t[0] == 'l' ? "*" : "**";
			name = ts_node_named_child_count(c) ? ts_node_named_child(c, 0) : c;
		} else if (!strcmp(t, "keyword_separator") || !strcmp(t, "positional_separator") ||
			   !strcmp(t, "comment")) {
			continue;
		} else if (strcmp(t, "identifier")) {
			it->params_known = false;
			continue;
		}
		if (ts_node_is_null(name) || strcmp(ts_node_type(name), "identifier")) {
			it->params_known = false;
			continue;
		}
		{
			wm_buf b = WM_BUF_INIT;

			if (!(text = docs__node_text(name, data)))
				return WM_ENOMEM;
			error = wm_buf_printf(&b, "%s%s", stars, text);
			wm_free(text);
			if (!error)
				error = docs__item_param(it, b.ptr, b.size);
			wm_buf_dispose(&b);
		}
	}
	return error;
}

/* Whether the function returns a value: an annotation other than None, or `return x`. */
static bool returns_value(TSNode fn, const char *data)
{
	TSNode rt = ts_node_child_by_field_name(fn, "return_type", 11), body;
	TSNode stack[256];
	size_t top = 0;

	if (!ts_node_is_null(rt))
		return !docs__node_is(rt, data, "None") && !docs__node_is(rt, data, "NoReturn");
	body = ts_node_child_by_field_name(fn, "body", 4);
	if (ts_node_is_null(body))
		return false;
	stack[top++] = body;
	while (top) {
		TSNode n = stack[--top];
		uint32_t i, c = ts_node_named_child_count(n);
		const char *t = ts_node_type(n);

		if (!strcmp(t, "return_statement") && ts_node_named_child_count(n) > 0)
			return true;
		if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition") ||
		    !strcmp(t, "lambda"))
			continue;
		for (i = 0; i < c && top < 256; i++)
			stack[top++] = ts_node_named_child(n, i);
	}
	return false;
}

/* --- docstring parameters ---------------------------------------------- */

static size_t indent_of(const char *s, const char *end)
{
	size_t n = 0;

	while (s + n < end && (s[n] == ' ' || s[n] == '\t'))
		n++;
	return n;
}

static const char *line_end(const char *s, const char *end)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));

	return nl ? nl : end;
}

static bool is_word(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A Google section header "Args:" alone on its line. */
static bool google_header(const char *s, const char *e)
{
	static const char *const names[] = { "Args:", "Arguments:", "Parameters:", "Params:", NULL };
	size_t i, n;

	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	for (i = 0; names[i]; i++) {
		n = strlen(names[i]);
		if ((size_t)(e - s) == n && !memcmp(s, names[i], n))
			return true;
	}
	return false;
}

/* A Google header of a section that is not about parameters ("Returns:"). */
static bool other_header(const char *s, const char *e)
{
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e == s || e[-1] != ':')
		return false;
	for (; s < e - 1; s++)
		if (!isalpha((unsigned char)*s) && *s != ' ')
			return false;
	return true;
}

static bool dashes(const char *s, const char *e)
{
	size_t n = 0;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	while (s < e && *s == '-') {
		s++;
		n++;
	}
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\r'))
		s++;
	return n >= 3 && s == e;
}

/* Add `name` at data[s..e) (stars and a backslash before them kept out of the name's range). */
static int add_doc_name(docs_item *it, const char *data, const char *s, const char *e)
{
	const char *n = s;

	while (n < e && (*n == '*' || *n == '\\'))
		n++;
	if (n == e || !is_word(*n))
		return 0;
	it->doc_has_params = true;
	return docs__item_doc_param(it, s, (size_t)(e - s), (uint32_t)(s - data));
}

static int parse_doc_params(docs_item *it, const char *data, uint32_t start, uint32_t end)
{
	const char *s = data + start, *stop = data + end, *l, *le;
	int error = 0;

	for (l = s; l < stop && !error; l = le + 1) {
		size_t ind;
		const char *t;

		le = line_end(l, stop);
		ind = indent_of(l, le);
		t = l + ind;

		/* Sphinx: ":param x:", ":param int x:", ":arg x:". */
		if (*t == ':' && (!strncmp(t, ":param ", 7) || !strncmp(t, ":parameter ", 11) ||
				  !strncmp(t, ":arg ", 5) || !strncmp(t, ":argument ", 10))) {
			const char *colon = memchr(t + 1, ':', (size_t)(le - t - 1)), *b;

			if (!colon)
				continue;
			b = colon;
			while (b > t && b[-1] == ' ')
				b--;
			{
				const char *e2 = b;

				while (b > t && (is_word(b[-1]) || b[-1] == '*' || b[-1] == '\\'))
					b--;
				error = add_doc_name(it, data, b, e2);
			}
			continue;
		}
		/* Google: "Args:" then entries indented under it. */
		if (google_header(t, le)) {
			const char *el, *ele;
			size_t entry = 0;

			for (el = le + 1; el < stop && !error; el = ele + 1) {
				size_t ei;
				const char *et, *n;

				ele = line_end(el, stop);
				ei = indent_of(el, ele);
				if (el + ei == ele || (el + ei + 1 == ele && el[ei] == '\r'))
					continue;
				if (ei <= ind || other_header(el + ei, ele))
					break;
				if (!entry)
					entry = ei;
				if (ei != entry)
					continue;
				et = el + ei;
				for (n = et; n < ele && (is_word(*n) || *n == '*' || *n == '\\'); n++)
					;
				if (n < ele && (*n == ':' || *n == ' ' || *n == '('))
					error = add_doc_name(it, data, et, n);
			}
			le = el > stop ? stop : el - 1;
			if (le < l)
				le = l;
			continue;
		}
		/* NumPy: "Parameters" over a line of dashes, entries at the same indentation. */
		if (le - t >= 10 && !strncmp(t, "Parameters", 10) && le + 1 < stop &&
		    dashes(le + 1, line_end(le + 1, stop)) && indent_of(t + 10, le) == (size_t)(le - t - 10)) {
			const char *el = line_end(le + 1, stop) + 1, *ele;

			for (; el < stop && !error; el = ele + 1) {
				size_t ei;
				const char *et, *p;

				ele = line_end(el, stop);
				ei = indent_of(el, ele);
				if (el + ei >= ele || (el + ei + 1 == ele && el[ei] == '\r'))
					continue;
				if (ele + 1 < stop && dashes(ele + 1, line_end(ele + 1, stop)))
					break; /* the next section's header */
				if (ei < ind)
					break;
				if (ei > ind)
					continue; /* a description */
				et = el + ei;
				/* "x, y : int" names two parameters. */
				for (p = et; p < ele;) {
					const char *ns = p, *ne;

					while (p < ele && (is_word(*p) || *p == '*' || *p == '\\'))
						p++;
					ne = p;
					if (ne > ns && (error = add_doc_name(it, data, ns, ne)) < 0)
						break;
					while (p < ele && *p == ' ')
						p++;
					if (p < ele && *p == ',') {
						p++;
						while (p < ele && *p == ' ')
							p++;
						continue;
					}
					break;
				}
			}
			le = el > stop ? stop : el - 1;
			if (le < l)
				le = l;
			continue;
		}
	}
	return error;
}

/* --- definitions --------------------------------------------------------- */

static int visit_block(py *p, TSNode block, enum scope scope, const char *qual, bool parent_public);

static bool decorated_with(TSNode decorated, const char *data, const char *name, bool prefix)
{
	uint32_t i, n;
	size_t len = strlen(name);

	if (ts_node_is_null(decorated))
		return false;
	n = ts_node_named_child_count(decorated);
	for (i = 0; i < n; i++) {
		TSNode d = ts_node_named_child(decorated, i), e;
		uint32_t s, t;

		if (strcmp(ts_node_type(d), "decorator") || !ts_node_named_child_count(d))
			continue;
		e = ts_node_named_child(d, 0);
		s = ts_node_start_byte(e);
		t = ts_node_end_byte(e);
		if (prefix) {
			/* "@name.setter": the decorator starts with "name." */
			if (t - s > len && !memcmp(data + s, name, len) && data[s + len] == '.')
				return true;
		} else if ((t - s == len && !memcmp(data + s, name, len)) ||
			   (t - s > len && data[t - len - 1] == '.' && !memcmp(data + t - len, name, len))) {
			return true;
		}
	}
	return false;
}

static int definition(py *p, TSNode def, TSNode decorated, enum scope scope, const char *qual,
	bool parent_public)
{
	const char *data = p->data;
	bool is_class = !strcmp(ts_node_type(def), "class_definition");
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	TSNode body = ts_node_child_by_field_name(def, "body", 4), doc, first;
	wm_buf q = WM_BUF_INIT;
	docs_item *it;
	char *n = NULL;
	bool public, counted;
	int error = 0;

	if (ts_node_is_null(name) || ts_node_is_null(body))
		return 0;
	if (!(n = docs__node_text(name, data)) ||
	    (error = wm_buf_printf(&q, "%s%s%s", qual ? qual : "", qual ? "." : "", n)) < 0) {
		error = WM_ENOMEM;
		goto done;
	}

	if (scope == SCOPE_FUNCTION) {
		public = false;
	} else if (scope == SCOPE_MODULE) {
		public = p->has_all ? in_all(p, n) : (n[0] != '_' || !p->opts->ignore_private);
	} else {
		public = parent_public && (n[0] != '_' || is_dunder(n) || !p->opts->ignore_private);
		if (!is_class && decorated_with(decorated, data, n, true))
			public = public && !p->opts->ignore_setters;
	}
	counted = public || (scope == SCOPE_FUNCTION && !p->opts->ignore_nested);
	/*
	 * pydocstyle counts __call__ and __new__ as ordinary methods (D102):
	 * they take arguments worth documenting like any other.
	 */
	if (!is_class && scope == SCOPE_CLASS && is_dunder(n) && strcmp(n, "__call__") && strcmp(n, "__new__"))
		counted = counted && !(strcmp(n, "__init__") ? p->opts->ignore_magic : p->opts->ignore_init_method);
	if (!is_class && decorated_with(decorated, data, "overload", false))
		counted = counted && !p->opts->ignore_overloads;

	if (!(it = docs__item_new(p->out, is_class ? "class" :
			scope == SCOPE_CLASS ? "method" : scope == SCOPE_FUNCTION ? "nested function" : "function",
			q.ptr, q.size))) {
		error = WM_ENOMEM;
		goto done;
	}
	it->start = ts_node_start_byte(name);
	it->end = ts_node_end_byte(name);
	it->counted = counted;
	doc = docstring_of(body, data);
	if (!ts_node_is_null(doc)) {
		it->documented = true;
		it->doc_start = ts_node_start_byte(doc);
		it->doc_end = ts_node_end_byte(doc);
	}
	if (!is_class) {
		TSNode params = ts_node_child_by_field_name(def, "parameters", 10);
		TSNode rt = ts_node_child_by_field_name(def, "return_type", 11);

		it->sig_start = ts_node_start_byte(def);
		it->sig_end = ts_node_is_null(rt) ? (ts_node_is_null(params) ? it->end : ts_node_end_byte(params))
			: ts_node_end_byte(rt);
		if (!ts_node_is_null(params) && (error = read_params(it, params, data)) < 0)
			goto done;
		it->returns = returns_value(def, data);
		if (it->documented && (error = parse_doc_params(it, data, it->doc_start, it->doc_end)) < 0)
			goto done;
	}
	/* A stub goes before the first statement, when the body starts on its own line. */
	if (ts_node_named_child_count(body) > 0) {
		first = ts_node_named_child(body, 0);
		if (ts_node_start_point(first).row > ts_node_start_point(def).row &&
		    (it->stub_indent = docs__indent_at(data, ts_node_start_byte(first))))
			it->stub_at = ts_node_start_byte(first);
	}

	error = visit_block(p, body, is_class ? SCOPE_CLASS : SCOPE_FUNCTION, q.ptr, public);
done:
	wm_free(n);
	wm_buf_dispose(&q);
	return error;
}

/* Compound statements whose blocks belong to the enclosing scope. */
static bool is_compound(const char *t)
{
	return !strcmp(t, "if_statement") || !strcmp(t, "try_statement") || !strcmp(t, "with_statement") ||
		!strcmp(t, "for_statement") || !strcmp(t, "while_statement") || !strcmp(t, "elif_clause") ||
		!strcmp(t, "else_clause") || !strcmp(t, "except_clause") || !strcmp(t, "finally_clause") ||
		!strcmp(t, "block") || !strcmp(t, "except_group_clause");
}

static int visit_block(py *p, TSNode block, enum scope scope, const char *qual, bool parent_public)
{
	uint32_t i, n = ts_node_named_child_count(block);
	int error = 0;

	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_named_child(block, i);
		const char *t = ts_node_type(c);

		if (!strcmp(t, "decorated_definition")) {
			TSNode def = ts_node_child_by_field_name(c, "definition", 10);

			if (!ts_node_is_null(def))
				error = definition(p, def, c, scope, qual, parent_public);
		} else if (!strcmp(t, "function_definition") || !strcmp(t, "class_definition")) {
			TSNode none = { { 0, 0, 0, 0 }, NULL, NULL };

			error = definition(p, c, none, scope, qual, parent_public);
		} else if (is_compound(t)) {
			error = visit_block(p, c, scope, qual, parent_public);
		}
	}
	return error;
}

/* A module is private when its name, or a package above it, starts with `_` (not a dunder). */
static bool private_module(const char *path)
{
	const char *s = path;

	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *dot = e ? NULL : strrchr(s, '.');
		size_t stem = dot ? (size_t)(dot - s) : n;

		if (stem > 0 && s[0] == '_' && !(stem > 4 && s[1] == '_' && s[stem - 1] == '_' && s[stem - 2] == '_'))
			return true;
		if (!e)
			break;
		s = e + 1;
	}
	return false;
}

int docs__python_items(docs_items *out, const char *data, size_t size, TSNode root,
	const char *path, const docs_opts *opts)
{
	py p = { out, data, size, opts, NULL, 0, false };
	const char *base = strrchr(path, '/');
	docs_item *it;
	TSNode doc;
	size_t i;
	int error = 0;

	base = base ? base + 1 : path;
	if ((error = read_all(&p, root)) < 0)
		goto done;
	if (!(it = docs__item_new(out, "module", path, strlen(path)))) {
		error = WM_ENOMEM;
		goto done;
	}
	it->counted = !opts->ignore_module && !(opts->ignore_private && private_module(path)) &&
		!(opts->ignore_init_module && !strcmp(base, "__init__.py"));
	doc = docstring_of(root, data);
	if (!ts_node_is_null(doc)) {
		it->documented = true;
		it->doc_start = ts_node_start_byte(doc);
		it->doc_end = ts_node_end_byte(doc);
	}
	/* An empty file documents nothing and needs no docstring (pydocstyle agrees). */
	if (ts_node_named_child_count(root) == 0)
		it->counted = false;
	it->stub_at = ts_node_named_child_count(root) ? ts_node_start_byte(ts_node_named_child(root, 0)) : 0;
	/* Comments (shebang, coding line, licence) stay above the docstring. */
	for (i = 0; i < ts_node_named_child_count(root); i++) {
		TSNode c = ts_node_named_child(root, i);

		if (strcmp(ts_node_type(c), "comment")) {
			it->stub_at = ts_node_start_byte(c);
			break;
		}
	}
	if (!(it->stub_indent = wm_strdup("")))
		error = WM_ENOMEM;
	if (!error)
		error = visit_block(&p, root, SCOPE_MODULE, NULL, true);
	(void)size;
done:
	for (i = 0; i < p.nall; i++)
		wm_free(p.all[i]);
	wm_free(p.all);
	return error;
}

/* --- style and stubs ------------------------------------------------------ */

static size_t count(const char *data, size_t size, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	const char *s = data, *end = data + size, *f;

	/* memmem() is a GNU extension; the build is plain POSIX. */
	for (; s + len <= end; s = f + 1) {
		if (!(f = memchr(s, needle[0], (size_t)(end - s))) || f + len > end)
			break;
		if (!memcmp(f, needle, len)) {
			n++;
			f += len - 1;
		}
	}
	return n;
}

const char *docs__python_style(const char *data, size_t size)
{
	size_t sphinx = count(data, size, ":param ") + count(data, size, ":return");
	size_t numpy = count(data, size, "----------\n") + count(data, size, "-------\n");
	size_t google = count(data, size, "Args:\n") + count(data, size, "Returns:\n");

	if (sphinx > numpy && sphinx > google)
		return "sphinx";
	if (numpy > google)
		return "numpy";
	return "google";
}

int docs__python_stub(wm_buf *out, const docs_item *it, const char *style)
{
	const char *ind = it->stub_indent ? it->stub_indent : "";
	const char *name = strrchr(it->name, '.') && strcmp(it->kind, "module") ? strrchr(it->name, '.') + 1 : it->name;
	size_t i, nparams = 0;
	int error = 0;

	for (i = 0; i < it->nparams; i++)
		if (strcmp(it->params[i], "self") && strcmp(it->params[i], "cls"))
			nparams++;
	if (!strcmp(it->kind, "module"))
		error = wm_buf_puts(out, "\"\"\"TODO: describe this module.");
	else
		error = wm_buf_printf(out, "\"\"\"TODO: describe %s.", name);
	if (error < 0 || (!nparams && !it->returns))
		goto end;
	if ((error = wm_buf_printf(out, "\n\n")) < 0)
		return error;
	if (!strcmp(style, "numpy")) {
		if (nparams) {
			error = wm_buf_printf(out, "%sParameters\n%s----------\n", ind, ind);
			for (i = 0; i < it->nparams && !error; i++)
				if (strcmp(it->params[i], "self") && strcmp(it->params[i], "cls"))
					error = wm_buf_printf(out, "%s%s\n%s    TODO.\n", ind, it->params[i], ind);
		}
		if (!error && it->returns)
			error = wm_buf_printf(out, "%s%sReturns\n%s-------\n%sTODO\n%s    TODO.\n",
				nparams ? "\n" : "", ind, ind, ind, ind);
	} else if (!strcmp(style, "sphinx")) {
		for (i = 0; i < it->nparams && !error; i++)
			if (strcmp(it->params[i], "self") && strcmp(it->params[i], "cls"))
				error = wm_buf_printf(out, "%s:param %s: TODO.\n", ind, it->params[i]);
		if (!error && it->returns)
			error = wm_buf_printf(out, "%s:return: TODO.\n", ind);
	} else {
		if (nparams) {
			error = wm_buf_printf(out, "%sArgs:\n", ind);
			for (i = 0; i < it->nparams && !error; i++)
				if (strcmp(it->params[i], "self") && strcmp(it->params[i], "cls"))
					error = wm_buf_printf(out, "%s    %s: TODO.\n", ind, it->params[i]);
		}
		if (!error && it->returns)
			error = wm_buf_printf(out, "%s%sReturns:\n%s    TODO.\n", nparams ? "\n" : "", ind, ind);
	}
	if (error < 0)
		return error;
	error = wm_buf_puts(out, ind);
end:
	if (error < 0)
		return error;
	return wm_buf_printf(out, "\"\"\"\n%s", ind);
}
