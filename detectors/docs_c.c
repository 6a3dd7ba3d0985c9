/*
 * docs_c.c - C and C++ public headers: declared functions without a
 * comment right above them.
 *
 * Only headers matched by `docs.c_headers` (default `include/ **`) are public
 * API; a project's private headers and its .c files are its own business.
 * The comment may be of any form (a doc block, a plain block comment, line
 * comments), since C has no single doc-comment convention; it must touch
 * the declaration (no blank line between). Declarations inside `#ifdef` blocks and `extern "C" {}`
 * count like top-level ones.
 */
#include <string.h>

#include "docs.h"

/* The identifier a declarator declares, through pointers and parentheses. */
static TSNode function_name(TSNode decl)
{
	TSNode d = ts_node_child_by_field_name(decl, "declarator", 10), null = { { 0, 0, 0, 0 }, NULL, NULL };

	while (!ts_node_is_null(d)) {
		const char *t = ts_node_type(d);

		if (!strcmp(t, "function_declarator")) {
			TSNode id = ts_node_child_by_field_name(d, "declarator", 10);

			return !ts_node_is_null(id) && (!strcmp(ts_node_type(id), "identifier") ||
				!strcmp(ts_node_type(id), "field_identifier")) ? id : null;
		}
		if (strcmp(t, "pointer_declarator") && strcmp(t, "parenthesized_declarator") &&
		    strcmp(t, "reference_declarator"))
			return null;
		d = ts_node_child_by_field_name(d, "declarator", 10);
		if (ts_node_is_null(d) && !strcmp(t, "reference_declarator"))
			break;
	}
	return null;
}

static bool is_static(TSNode decl, const char *data)
{
	uint32_t i;

	for (i = 0; i < ts_node_named_child_count(decl); i++) {
		TSNode c = ts_node_named_child(decl, i);

		if (!strcmp(ts_node_type(c), "storage_class_specifier") && docs__node_is(c, data, "static"))
			return true;
	}
	return false;
}

static int params(docs_item *it, TSNode decl, const char *data)
{
	TSNode d = ts_node_child_by_field_name(decl, "declarator", 10), pl;
	uint32_t i;
	int error = 0;

	while (!ts_node_is_null(d) && strcmp(ts_node_type(d), "function_declarator"))
		d = ts_node_child_by_field_name(d, "declarator", 10);
	if (ts_node_is_null(d) || ts_node_is_null(pl = ts_node_child_by_field_name(d, "parameters", 10)))
		return 0;
	for (i = 0; i < ts_node_named_child_count(pl) && !error; i++) {
		TSNode p = ts_node_named_child(pl, i), x = ts_node_child_by_field_name(p, "declarator", 10);

		while (!ts_node_is_null(x) && strcmp(ts_node_type(x), "identifier"))
			x = ts_node_child_by_field_name(x, "declarator", 10);
		if (!ts_node_is_null(x))
			error = docs__item_param(it, data + ts_node_start_byte(x), ts_node_end_byte(x) - ts_node_start_byte(x));
	}
	return error;
}

static int walk(docs_items *out, TSNode list, const char *data)
{
	uint32_t i;
	int error = 0;

	for (i = 0; i < ts_node_named_child_count(list) && !error; i++) {
		TSNode c = ts_node_named_child(list, i), name;
		const char *t = ts_node_type(c);
		docs_item *it;
		uint32_t s, e;

		if (!strncmp(t, "preproc_if", 10) || !strncmp(t, "preproc_else", 12) || !strcmp(t, "preproc_elif") ||
		    !strcmp(t, "linkage_specification") || !strcmp(t, "declaration_list")) {
			error = walk(out, c, data);
			continue;
		}
		if (strcmp(t, "declaration") && strcmp(t, "function_definition"))
			continue;
		name = function_name(c);
		if (ts_node_is_null(name) || is_static(c, data))
			continue;
		if (!(it = docs__item_new(out, "function", data + ts_node_start_byte(name),
				ts_node_end_byte(name) - ts_node_start_byte(name))))
			return WM_ENOMEM;
		it->counted = true;
		it->start = ts_node_start_byte(name);
		it->end = ts_node_end_byte(name);
		if (docs__comment_above(&s, &e, c, data, NULL, NULL)) {
			it->documented = true;
			it->doc_start = s;
			it->doc_end = e;
		}
		it->sig_start = ts_node_start_byte(c);
		it->sig_end = ts_node_end_byte(c);
		if (!strcmp(t, "function_definition")) {
			TSNode body = ts_node_child_by_field_name(c, "body", 4);

			if (!ts_node_is_null(body))
				it->sig_end = ts_node_start_byte(body);
		}
		{
			TSNode ty = ts_node_child_by_field_name(c, "type", 4);

			it->returns = !(docs__node_is(ty, data, "void") &&
				!strcmp(ts_node_type(ts_node_child_by_field_name(c, "declarator", 10)), "function_declarator"));
		}
		it->stub_at = ts_node_start_byte(c);
		if (!(it->stub_indent = docs__indent_at(data, it->stub_at)))
			it->stub_at = UINT32_MAX;
		error = params(it, c, data);
	}
	return error;
}

int docs__c_items(docs_items *out, const char *data, size_t size, TSNode root)
{
	(void)size;
	return walk(out, root, data);
}
