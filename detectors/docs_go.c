/*
 * docs_go.c - Go: exported functions, methods, types, constants and
 * variables without a doc comment that starts with their name.
 *
 * That is the convention godoc, golint and `go vet`'s successors check: the
 * comment right above the declaration, whose first word is the name
 * ("A"/"An"/"The" may come first). A comment above a parenthesised group
 * documents every name in it. Methods count when their receiver type is
 * exported; `_test.go` files are not API.
 */
#include <string.h>

#include "docs.h"

static bool exported(const char *s, size_t n)
{
	return n > 0 && s[0] >= 'A' && s[0] <= 'Z';
}

/* "// Name ..." or "// A Name ...": the comment names the identifier first. */
static bool starts_with_name(const char *data, uint32_t start, const char *name, size_t len)
{
	const char *s = data + start;
	static const char *const articles[] = { "A ", "An ", "The ", NULL };
	size_t i;

	if (!strncmp(s, "//", 2) || !strncmp(s, "/*", 2))
		s += 2;
	while (*s == ' ' || *s == '\t')
		s++;
	for (i = 0; articles[i]; i++)
		if (!strncmp(s, articles[i], strlen(articles[i])))
			s += strlen(articles[i]);
	return !strncmp(s, name, len) && !((s[len] >= 'a' && s[len] <= 'z') || (s[len] >= 'A' && s[len] <= 'Z') ||
		(s[len] >= '0' && s[len] <= '9') || s[len] == '_');
}

static int add(docs_items *out, const char *kind, TSNode name, TSNode decl, const char *data,
	bool group_doc, uint32_t gs, uint32_t ge)
{
	const char *n = data + ts_node_start_byte(name);
	size_t len = ts_node_end_byte(name) - ts_node_start_byte(name);
	docs_item *it;
	uint32_t s, e;

	if (!exported(n, len))
		return 0;
	if (!(it = docs__item_new(out, kind, n, len)))
		return WM_ENOMEM;
	it->counted = true;
	it->start = ts_node_start_byte(name);
	it->end = ts_node_end_byte(name);
	if (docs__comment_above(&s, &e, decl, data, NULL, NULL)) {
		it->doc_start = s;
		it->doc_end = e;
		it->documented = starts_with_name(data, s, n, len);
		if (!it->documented)
			it->why = "has a doc comment that does not start with its name";
	} else if (group_doc) {
		it->documented = true;
		it->doc_start = gs;
		it->doc_end = ge;
	}
	if (!strcmp(kind, "function") || !strcmp(kind, "method")) {
		TSNode body = ts_node_child_by_field_name(decl, "body", 4);

		it->sig_start = ts_node_start_byte(decl);
		it->sig_end = ts_node_is_null(body) ? ts_node_end_byte(decl) : ts_node_start_byte(body);
	}
	it->stub_at = ts_node_start_byte(decl);
	if (!(it->stub_indent = docs__indent_at(data, it->stub_at)))
		it->stub_at = UINT32_MAX;
	return 0;
}

/* The receiver's type name: `(t *T)`, `(T)`, `(t T[K])`. */
static bool receiver_exported(TSNode method, const char *data)
{
	TSNode recv = ts_node_child_by_field_name(method, "receiver", 8);
	TSNode stack[64];
	size_t top = 0;

	if (ts_node_is_null(recv))
		return false;
	stack[top++] = recv;
	while (top) {
		TSNode n = stack[--top];
		uint32_t i;

		if (!strcmp(ts_node_type(n), "type_identifier"))
			return exported(data + ts_node_start_byte(n), 1);
		for (i = ts_node_named_child_count(n); i-- > 0 && top < 64;)
			stack[top++] = ts_node_named_child(n, i);
	}
	return false;
}

/* type/const/var declarations: specs directly or in a parenthesised group. */
static int specs(docs_items *out, TSNode decl, const char *data, const char *kind)
{
	uint32_t s = 0, e = 0, i, k;
	bool group = docs__comment_above(&s, &e, decl, data, NULL, NULL);
	int error = 0;

	for (i = 0; i < ts_node_named_child_count(decl) && !error; i++) {
		TSNode spec = ts_node_named_child(decl, i);
		const char *t = ts_node_type(spec);
		TSNode list = spec;
		uint32_t count = 1;

		if (!strcmp(t, "var_spec_list") || !strcmp(t, "const_spec_list") || !strcmp(t, "type_spec_list"))
			count = ts_node_named_child_count(list);
		for (k = 0; k < count && !error; k++) {
			TSNode sp = count == 1 && list.id == spec.id && strcmp(t, "var_spec_list") &&
				strcmp(t, "const_spec_list") && strcmp(t, "type_spec_list") ? spec : ts_node_named_child(list, k);
			const char *st = ts_node_type(sp);
			TSNode name;
			/* A spec alone in its declaration is documented above the keyword. */
			bool alone = sp.id == spec.id;

			if (strcmp(st, "type_spec") && strcmp(st, "type_alias") && strcmp(st, "const_spec") &&
			    strcmp(st, "var_spec"))
				continue;
			name = ts_node_child_by_field_name(sp, "name", 4);
			if (ts_node_is_null(name))
				continue;
			error = add(out, kind, name, alone ? decl : sp, data, !alone && group, s, e);
		}
	}
	return error;
}

int docs__go_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts)
{
	uint32_t i, n = ts_node_named_child_count(root);
	int error = 0;

	(void)size;
	(void)opts;
	for (i = 0; i < n && !error; i++) {
		TSNode c = ts_node_named_child(root, i), name;
		const char *t = ts_node_type(c);

		if (!strcmp(t, "function_declaration")) {
			name = ts_node_child_by_field_name(c, "name", 4);
			if (!ts_node_is_null(name))
				error = add(out, "function", name, c, data, false, 0, 0);
		} else if (!strcmp(t, "method_declaration")) {
			name = ts_node_child_by_field_name(c, "name", 4);
			if (!ts_node_is_null(name) && receiver_exported(c, data))
				error = add(out, "method", name, c, data, false, 0, 0);
		} else if (!strcmp(t, "type_declaration")) {
			error = specs(out, c, data, "type");
		} else if (!strcmp(t, "const_declaration")) {
			error = specs(out, c, data, "constant");
		} else if (!strcmp(t, "var_declaration")) {
			error = specs(out, c, data, "variable");
		}
	}
	return error;
}
