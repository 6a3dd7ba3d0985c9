/*
 * docs_js.c - JavaScript and TypeScript: exported functions and classes and
 * their public methods, with JSDoc/TSDoc blocks and their @param names.
 *
 * Exported means `export function`, `export class`, `export const f = () =>`,
 * `export default ...`, and declarations named in an `export { a, b }`
 * list. A method is public unless it is `#private`, TypeScript `private` or
 * `protected`, or named with a leading underscore (the JSDoc convention).
 * Only a JSDoc block (a comment opening with slash and two stars) right above counts: a plain
 * comment is not read by JSDoc, TypeDoc or editors.
 */
#include <string.h>

#include "docs.h"

static bool is_jsdoc(const char *t, size_t n)
{
	return n >= 5 && !strncmp(t, "/**", 3) && t[3] != '*';
}

static bool returns_value(TSNode fn, const char *data)
{
	TSNode rt = ts_node_child_by_field_name(fn, "return_type", 11), body, stack[256];
	size_t top = 0;

	if (!ts_node_is_null(rt)) {
		/* ": void", ": Promise<void>", ": never" return nothing to document. */
		const char *a = data + ts_node_start_byte(rt), *b = data + ts_node_end_byte(rt);

		while (a < b && (*a == ':' || *a == ' '))
			a++;
		return !((b - a == 4 && !memcmp(a, "void", 4)) || (b - a == 5 && !memcmp(a, "never", 5)) ||
			(b - a == 13 && !memcmp(a, "Promise<void>", 13)));
	}
	body = ts_node_child_by_field_name(fn, "body", 4);
	if (ts_node_is_null(body))
		return false;
	if (strcmp(ts_node_type(body), "statement_block"))
		return true; /* an arrow function's expression body */
	stack[top++] = body;
	while (top) {
		TSNode n = stack[--top];
		uint32_t i, c = ts_node_named_child_count(n);
		const char *t = ts_node_type(n);

		if (!strcmp(t, "return_statement") && c > 0)
			return true;
		if (strstr(t, "function") || !strcmp(t, "class_declaration") || !strcmp(t, "method_definition"))
			continue;
		for (i = 0; i < c && top < 256; i++)
			stack[top++] = ts_node_named_child(n, i);
	}
	return false;
}

static int read_params(docs_item *it, TSNode fn, const char *data)
{
	TSNode params = ts_node_child_by_field_name(fn, "parameters", 10);
	uint32_t i, n;
	int error = 0;

	if (ts_node_is_null(params)) {
		/* `x => x`: one parameter, no parentheses. */
		params = ts_node_child_by_field_name(fn, "parameter", 9);
		if (!ts_node_is_null(params) && !strcmp(ts_node_type(params), "identifier"))
			return docs__item_param(it, data + ts_node_start_byte(params),
				ts_node_end_byte(params) - ts_node_start_byte(params));
		return 0;
	}
	n = ts_node_named_child_count(params);
	for (i = 0; i < n && !error; i++) {
		TSNode p = ts_node_named_child(params, i), id = p;
		const char *t = ts_node_type(p), *dots = "";

		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "required_parameter") || !strcmp(t, "optional_parameter")) {
			id = ts_node_child_by_field_name(p, "pattern", 7);
			if (ts_node_is_null(id)) {
				it->params_known = false;
				continue;
			}
			t = ts_node_type(id);
			p = id;
		}
		if (!strcmp(t, "assignment_pattern")) {
			id = ts_node_child_by_field_name(p, "left", 4);
		} else if (!strcmp(t, "rest_pattern")) {
			dots = "...";
			id = ts_node_named_child_count(p) ? ts_node_named_child(p, 0) : p;
		} else if (!strcmp(t, "this")) {
			continue;
		}
		if (ts_node_is_null(id) || strcmp(ts_node_type(id), "identifier")) {
			it->params_known = false; /* destructured: JSDoc names it freely */
			continue;
		}
		{
			wm_buf b = WM_BUF_INIT;

			error = wm_buf_printf(&b, "%s%.*s", dots, (int)(ts_node_end_byte(id) - ts_node_start_byte(id)),
				data + ts_node_start_byte(id));
			if (!error)
				error = docs__item_param(it, b.ptr, b.size);
			wm_buf_dispose(&b);
		}
	}
	return error;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

/* `@param {T} name`, `@param {T} [name=x]`, `@param name`; `name.prop` documents a property. */
static int jsdoc_params(docs_item *it, const char *data)
{
	const char *s = data + it->doc_start, *end = data + it->doc_end;
	int error = 0;

	while (s < end && !error) {
		const char *n, *ns;
		int depth = 0;

		if (*s != '@' || !(!strncmp(s, "@param", 6) || !strncmp(s, "@arg", 4))) {
			s++;
			continue;
		}
		while (s < end && name_char(*s == '@' ? 'a' : *s))
			s++;
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s < end && *s == '{') {
			for (; s < end; s++) {
				if (*s == '{')
					depth++;
				else if (*s == '}' && --depth == 0) {
					s++;
					break;
				}
			}
			while (s < end && (*s == ' ' || *s == '\t'))
				s++;
		}
		if (s < end && *s == '[')
			s++;
		while (s < end && *s == '.')
			s++;
		for (ns = n = s; n < end && name_char(*n); n++)
			;
		it->doc_has_params = true;
		if (n > ns && !(n < end && *n == '.'))
			error = docs__item_doc_param(it, ns, (size_t)(n - ns), (uint32_t)(ns - data));
		s = n;
	}
	return error;
}

typedef struct js {
	docs_items *out;
	const char *data;
	const docs_opts *opts;
} js;

/* Documentation of `node` (the statement or member a JSDoc block sits above). */
static void attach_doc(docs_item *it, TSNode above, const char *data)
{
	uint32_t s, e;

	if (docs__comment_above(&s, &e, above, data, is_jsdoc, "decorator")) {
		it->documented = true;
		it->doc_start = s;
		it->doc_end = e;
	}
	it->stub_at = ts_node_start_byte(above);
	it->stub_indent = docs__indent_at(data, it->stub_at);
	if (!it->stub_indent)
		it->stub_at = UINT32_MAX;
}

static int function_item(js *j, const char *kind, const char *name, size_t len, TSNode fn, TSNode above,
	bool counted)
{
	docs_item *it = docs__item_new(j->out, kind, name, len);
	TSNode params = ts_node_child_by_field_name(fn, "parameters", 10);
	int error;

	if (!it)
		return WM_ENOMEM;
	it->counted = counted;
	it->start = ts_node_start_byte(above);
	it->end = it->start;
	attach_doc(it, above, j->data);
	it->sig_start = ts_node_start_byte(fn);
	it->sig_end = ts_node_is_null(params) ? ts_node_start_byte(fn) : ts_node_end_byte(params);
	{
		TSNode rt = ts_node_child_by_field_name(fn, "return_type", 11);

		if (!ts_node_is_null(rt))
			it->sig_end = ts_node_end_byte(rt);
	}
	it->returns = returns_value(fn, j->data);
	if ((error = read_params(it, fn, j->data)) < 0)
		return error;
	return it->documented ? jsdoc_params(it, j->data) : 0;
}

static int class_item(js *j, const char *name, size_t len, TSNode cls, TSNode above)
{
	TSNode body = ts_node_child_by_field_name(cls, "body", 4);
	docs_item *it = docs__item_new(j->out, "class", name, len);
	uint32_t i, n;
	int error = 0;

	if (!it)
		return WM_ENOMEM;
	it->counted = true;
	it->start = it->end = ts_node_start_byte(above);
	attach_doc(it, above, j->data);
	if (ts_node_is_null(body))
		return 0;
	n = ts_node_named_child_count(body);
	for (i = 0; i < n && !error; i++) {
		TSNode m = ts_node_named_child(body, i), mn, mod;
		wm_buf q = WM_BUF_INIT;
		bool counted = true;
		uint32_t k;

		if (strcmp(ts_node_type(m), "method_definition") && strcmp(ts_node_type(m), "abstract_method_signature"))
			continue;
		mn = ts_node_child_by_field_name(m, "name", 4);
		if (ts_node_is_null(mn) || !strcmp(ts_node_type(mn), "private_property_identifier") ||
		    j->data[ts_node_start_byte(mn)] == '_')
			continue;
		for (k = 0; k < ts_node_child_count(m); k++) {
			mod = ts_node_child(m, k);
			if (!strcmp(ts_node_type(mod), "accessibility_modifier") &&
			    !docs__node_is(mod, j->data, "public"))
				counted = false;
			if (!strcmp(ts_node_type(mod), "set") && j->opts->ignore_setters)
				counted = false;
		}
		if (!counted)
			continue;
		if (docs__node_is(mn, j->data, "constructor"))
			counted = !j->opts->ignore_init_method;
		if ((error = wm_buf_printf(&q, "%.*s.%.*s", (int)len, name,
				(int)(ts_node_end_byte(mn) - ts_node_start_byte(mn)), j->data + ts_node_start_byte(mn))) == 0)
			error = function_item(j, "method", q.ptr, q.size, m, m, counted);
		if (!error) {
			j->out->items[j->out->count - 1].start = ts_node_start_byte(mn);
			j->out->items[j->out->count - 1].end = ts_node_end_byte(mn);
		}
		wm_buf_dispose(&q);
	}
	return error;
}

/* One exported declaration; `above` is the node a JSDoc block sits on. */
static int declaration(js *j, TSNode decl, TSNode above, const char *default_name)
{
	const char *t = ts_node_type(decl);
	TSNode name = ts_node_child_by_field_name(decl, "name", 4);
	const char *nm = default_name;
	size_t len = default_name ? strlen(default_name) : 0;
	uint32_t i;
	int error = 0;

	if (!ts_node_is_null(name)) {
		nm = j->data + ts_node_start_byte(name);
		len = ts_node_end_byte(name) - ts_node_start_byte(name);
	}
	if (!nm)
		return 0;
	if (strstr(t, "function") || !strcmp(t, "arrow_function")) {
		error = function_item(j, "function", nm, len, decl, above, true);
		if (!error && !ts_node_is_null(name)) {
			j->out->items[j->out->count - 1].start = ts_node_start_byte(name);
			j->out->items[j->out->count - 1].end = ts_node_end_byte(name);
		}
		return error;
	}
	if (!strcmp(t, "class_declaration") || !strcmp(t, "abstract_class_declaration") || !strcmp(t, "class")) {
		error = class_item(j, nm, len, decl, above);
		if (!error && !ts_node_is_null(name)) {
			size_t k;

			/* The class item is the one added before its methods. */
			for (k = j->out->count; k-- > 0;)
				if (!strcmp(j->out->items[k].kind, "class")) {
					j->out->items[k].start = ts_node_start_byte(name);
					j->out->items[k].end = ts_node_end_byte(name);
					break;
				}
		}
		return error;
	}
	if (!strcmp(t, "lexical_declaration") || !strcmp(t, "variable_declaration")) {
		for (i = 0; i < ts_node_named_child_count(decl) && !error; i++) {
			TSNode d = ts_node_named_child(decl, i), v, dn;

			if (strcmp(ts_node_type(d), "variable_declarator"))
				continue;
			v = ts_node_child_by_field_name(d, "value", 5);
			dn = ts_node_child_by_field_name(d, "name", 4);
			if (ts_node_is_null(v) || ts_node_is_null(dn) || strcmp(ts_node_type(dn), "identifier") ||
			    !(strstr(ts_node_type(v), "function") || !strcmp(ts_node_type(v), "arrow_function")))
				continue;
			error = function_item(j, "function", j->data + ts_node_start_byte(dn),
				ts_node_end_byte(dn) - ts_node_start_byte(dn), v, above, true);
			if (!error) {
				j->out->items[j->out->count - 1].start = ts_node_start_byte(dn);
				j->out->items[j->out->count - 1].end = ts_node_end_byte(dn);
			}
		}
	}
	return error;
}

static bool listed(TSNode clause, const char *data, TSNode name)
{
	uint32_t i;

	for (i = 0; i < ts_node_named_child_count(clause); i++) {
		TSNode spec = ts_node_named_child(clause, i), local;

		if (strcmp(ts_node_type(spec), "export_specifier"))
			continue;
		local = ts_node_child_by_field_name(spec, "name", 4);
		if (!ts_node_is_null(local) && ts_node_end_byte(local) - ts_node_start_byte(local) ==
		    ts_node_end_byte(name) - ts_node_start_byte(name) &&
		    !memcmp(data + ts_node_start_byte(local), data + ts_node_start_byte(name),
			    ts_node_end_byte(name) - ts_node_start_byte(name)))
			return true;
	}
	return false;
}

int docs__js_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts)
{
	js j = { out, data, opts };
	uint32_t i, k, n = ts_node_named_child_count(root);
	int error = 0;

	(void)size;
	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_named_child(root, i), d;

		if (strcmp(ts_node_type(c), "export_statement"))
			continue;
		d = ts_node_child_by_field_name(c, "declaration", 11);
		if (!ts_node_is_null(d)) {
			error = declaration(&j, d, c, NULL);
			continue;
		}
		d = ts_node_child_by_field_name(c, "value", 5);
		if (!ts_node_is_null(d)) {
			error = declaration(&j, d, c, "default");
			continue;
		}
		/* `export { a, b }`: the local declarations of those names. */
		for (k = 0; k < ts_node_named_child_count(c) && !error; k++) {
			TSNode clause = ts_node_named_child(c, k);
			uint32_t m;

			if (strcmp(ts_node_type(clause), "export_clause") ||
			    !ts_node_is_null(ts_node_child_by_field_name(c, "source", 6)))
				continue;
			for (m = 0; m < n && !error; m++) {
				TSNode decl = ts_node_named_child(root, m), nm;

				if (strcmp(ts_node_type(decl), "function_declaration") &&
				    strcmp(ts_node_type(decl), "class_declaration"))
					continue;
				nm = ts_node_child_by_field_name(decl, "name", 4);
				if (!ts_node_is_null(nm) && listed(clause, data, nm))
					error = declaration(&j, decl, decl, NULL);
			}
		}
	}
	return error;
}
