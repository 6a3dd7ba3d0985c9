/*
 * docs_rust.c - Rust: `pub` items without `///` docs, and crate roots and
 * modules without `//!` docs (what rustc's `missing_docs` lint reports).
 *
 * Items count when they are plainly `pub` (not `pub(crate)`): functions,
 * structs, enums, unions, traits, type aliases, constants, statics and
 * modules, `pub fn` in inherent impls, and the methods of a `pub trait`.
 * Trait impls are skipped (their documentation is the trait's). Items
 * inside a private inline module are not public. A `pub mod x;` is
 * documented by `///` above it or by `//!` at the top of its file, which we
 * look up in the world (x.rs or x/mod.rs beside the declaring module).
 * `#[doc = "..."]` counts as documentation.
 */
#include <string.h>

#include "docs.h"

static bool outer_doc(const char *t, size_t n)
{
	return (n >= 3 && !strncmp(t, "///", 3) && (n == 3 || t[3] != '/')) ||
		(n >= 5 && !strncmp(t, "/**", 3) && t[3] != '*');
}

static bool inner_doc_text(const char *t, size_t n)
{
	return (n >= 3 && !strncmp(t, "//!", 3)) || (n >= 3 && !strncmp(t, "/*!", 3));
}

static bool is_pub(TSNode item, const char *data)
{
	uint32_t i;

	for (i = 0; i < ts_node_named_child_count(item); i++) {
		TSNode c = ts_node_named_child(item, i);

		if (!strcmp(ts_node_type(c), "visibility_modifier"))
			return docs__node_is(c, data, "pub");
	}
	return false;
}

/* `#[doc = "..."]` right above the item (attributes are siblings). */
static bool doc_attribute(TSNode item, const char *data)
{
	TSNode prev = ts_node_prev_sibling(item);

	for (; !ts_node_is_null(prev) && !strcmp(ts_node_type(prev), "attribute_item"); prev = ts_node_prev_sibling(prev)) {
		uint32_t s = ts_node_start_byte(prev);

		if (ts_node_end_byte(prev) - s > 6 && !strncmp(data + s, "#[doc", 5))
			return true;
	}
	return false;
}

/* `#[doc(hidden)]`: public for the compiler, not API for readers (rustdoc hides it). */
static bool doc_hidden(TSNode item, const char *data)
{
	TSNode prev = ts_node_prev_sibling(item);

	for (; !ts_node_is_null(prev) && !strcmp(ts_node_type(prev), "attribute_item"); prev = ts_node_prev_sibling(prev))
		if (docs__node_is(prev, data, "#[doc(hidden)]"))
			return true;
	return false;
}

/* Inner docs at the top of a file or of a module body: `//!` or `#![doc`. */
static bool inner_docs(const char *data, size_t size)
{
	size_t i = 0;

	if (size >= 3 && (unsigned char)data[0] == 0xEF)
		i = 3;
	while (i < size) {
		while (i < size && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r'))
			i++;
		if (i + 3 <= size && (!strncmp(data + i, "//!", 3) || !strncmp(data + i, "/*!", 3) ||
				      !strncmp(data + i, "#![doc", i + 6 <= size ? 6 : 3)))
			return true;
		/* Other attributes and plain comments may come first. */
		if (i + 2 <= size && (!strncmp(data + i, "#!", 2) || !strncmp(data + i, "//", 2))) {
			while (i < size && data[i] != '\n')
				i++;
			continue;
		}
		return false;
	}
	return false;
}

typedef struct rs {
	docs_items *out;
	const char *data;
	const char *path;
	const wm_world *world;
} rs;

static const char *kind_of(const char *t)
{
	static const struct { const char *node, *kind; } kinds[] = {
		{ "function_item", "function" }, { "function_signature_item", "function" },
		{ "struct_item", "struct" }, { "enum_item", "enum" }, { "union_item", "union" },
		{ "trait_item", "trait" }, { "type_item", "type" }, { "const_item", "constant" },
		{ "static_item", "static" }, { "mod_item", "module" }, { NULL, NULL }
	};
	size_t i;

	for (i = 0; kinds[i].node; i++)
		if (!strcmp(t, kinds[i].node))
			return kinds[i].kind;
	return NULL;
}

/* The file of `mod name;` declared in r->path, per the 2018 module rules. */
static bool module_file_documented(const rs *r, const char *name, size_t len)
{
	const char *slash = strrchr(r->path, '/'), *base = slash ? slash + 1 : r->path;
	size_t dir = slash ? (size_t)(slash - r->path) + 1 : 0;
	bool root = !strcmp(base, "lib.rs") || !strcmp(base, "main.rs") || !strcmp(base, "mod.rs");
	wm_buf p = WM_BUF_INIT;
	wm_blob blob = WM_BLOB_INIT;
	bool documented = false;
	int k;

	for (k = 0; k < 2 && !documented; k++) {
		wm_buf_clear(&p);
		if (wm_buf_put(&p, r->path, dir) < 0)
			break;
		if (!root && wm_buf_printf(&p, "%.*s/", (int)(strlen(base) - 3), base) < 0)
			break;
		if (wm_buf_printf(&p, k == 0 ? "%.*s.rs" : "%.*s/mod.rs", (int)len, name) < 0)
			break;
		if (wm_world_read(&blob, r->world, p.ptr) == 0) {
			documented = inner_docs(blob.data, blob.size);
			wm_blob_release(&blob);
			break;
		}
		wm_error_clear();
	}
	wm_buf_dispose(&p);
	return documented;
}

static int items_in(rs *r, TSNode list, const char *prefix, bool all_public);

static int item(rs *r, TSNode node, const char *prefix, bool all_public)
{
	const char *t = ts_node_type(node), *kind = kind_of(t);
	TSNode name = ts_node_child_by_field_name(node, "name", 4), body;
	wm_buf q = WM_BUF_INIT;
	docs_item *it;
	uint32_t s, e;
	int error = 0;

	if (!strcmp(t, "impl_item")) {
		/* Inherent impls only: a trait impl is documented by the trait. */
		if (!ts_node_is_null(ts_node_child_by_field_name(node, "trait", 5)))
			return 0;
		body = ts_node_child_by_field_name(node, "body", 4);
		if (ts_node_is_null(body))
			return 0;
		{
			TSNode ty = ts_node_child_by_field_name(node, "type", 4);

			if (!ts_node_is_null(ty))
				error = wm_buf_printf(&q, "%s%.*s::", prefix, (int)(ts_node_end_byte(ty) - ts_node_start_byte(ty)),
					r->data + ts_node_start_byte(ty));
		}
		if (!error)
			error = items_in(r, body, q.ptr ? q.ptr : prefix, false);
		goto done;
	}
	if (!kind || ts_node_is_null(name) || (!all_public && !is_pub(node, r->data)) || doc_hidden(node, r->data))
		return 0;
	if ((error = wm_buf_printf(&q, "%s%.*s", prefix, (int)(ts_node_end_byte(name) - ts_node_start_byte(name)),
			r->data + ts_node_start_byte(name))) < 0)
		goto done;
	if (!(it = docs__item_new(r->out, kind, q.ptr, q.size))) {
		error = WM_ENOMEM;
		goto done;
	}
	it->counted = true;
	it->start = ts_node_start_byte(name);
	it->end = ts_node_end_byte(name);
	if (docs__comment_above(&s, &e, node, r->data, outer_doc, "attribute_item")) {
		it->documented = true;
		it->doc_start = s;
		it->doc_end = e;
	} else if (doc_attribute(node, r->data)) {
		it->documented = true;
	}
	it->stub_at = ts_node_start_byte(node);
	/* Attributes go between docs and item: the stub goes above them. */
	{
		TSNode prev = ts_node_prev_sibling(node);

		while (!ts_node_is_null(prev) && !strcmp(ts_node_type(prev), "attribute_item")) {
			it->stub_at = ts_node_start_byte(prev);
			prev = ts_node_prev_sibling(prev);
		}
	}
	if (!(it->stub_indent = docs__indent_at(r->data, it->stub_at)))
		it->stub_at = UINT32_MAX;
	if (!strcmp(kind, "function")) {
		body = ts_node_child_by_field_name(node, "body", 4);
		it->sig_start = ts_node_start_byte(node);
		it->sig_end = ts_node_is_null(body) ? ts_node_end_byte(node) : ts_node_start_byte(body);
	}
	body = ts_node_child_by_field_name(node, "body", 4);
	if (!strcmp(t, "mod_item")) {
		if (ts_node_is_null(body)) {
			if (!it->documented)
				it->documented = module_file_documented(r, r->data + it->start, it->end - it->start);
		} else {
			uint32_t bs = ts_node_start_byte(body) + 1;

			if (!it->documented)
				it->documented = inner_docs(r->data + bs, ts_node_end_byte(body) - bs);
			if ((error = wm_buf_puts(&q, "::")) == 0)
				error = items_in(r, body, q.ptr, false);
		}
	} else if (!strcmp(t, "trait_item") && !ts_node_is_null(body)) {
		if ((error = wm_buf_puts(&q, "::")) == 0)
			error = items_in(r, body, q.ptr, true);
	}
done:
	wm_buf_dispose(&q);
	return error;
}

static int items_in(rs *r, TSNode list, const char *prefix, bool all_public)
{
	uint32_t i;
	int error = 0;

	for (i = 0; i < ts_node_named_child_count(list) && !error; i++)
		error = item(r, ts_node_named_child(list, i), prefix, all_public);
	return error;
}

int docs__rust_items(docs_items *out, const char *data, size_t size, TSNode root,
	const char *path, const wm_world *world)
{
	rs r = { out, data, path, world };
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	/* The crate root documents the crate. */
	if (!strcmp(base, "lib.rs")) {
		docs_item *it = docs__item_new(out, "crate", path, strlen(path));

		if (!it)
			return WM_ENOMEM;
		it->counted = true;
		it->documented = inner_docs(data, size);
		it->stub_at = 0;
		if (!(it->stub_indent = wm_strdup("")))
			return WM_ENOMEM;
	}
	(void)inner_doc_text;
	return items_in(&r, root, "", false);
}
