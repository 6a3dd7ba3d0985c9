/*
 * docs.h - the docs detector: documentation gaps and documentation lag.
 *
 * Rules: missing-doc, doc-param-mismatch, doc-stale, broken-link,
 * coverage-below-floor, coverage-ratchet. The language front ends
 * (docs_python.c, docs_js.c, docs_go.c, docs_rust.c, docs_c.c) turn a tree
 * into a list of documentable items; docs.c judges the items the same way
 * for every language, so "documented", "public" and "stale" mean one thing.
 */
#ifndef WM_DETECTORS_DOCS_H
#define WM_DETECTORS_DOCS_H

#include <stdbool.h>
#include <wm/wm.h>

/** The detector (static). */
extern const wm_detector wm_detector_docs;

/** A parameter named in documentation, with where its name is. */
typedef struct docs_param {
	char *name;
	uint32_t start, end;
} docs_param;

/** One documentable thing: module, class, function, method, type, ... */
typedef struct docs_item {
	const char *kind;        /* static: "module", "class", "function", "method", ... */
	char *name;              /* owned; qualified ("Class.method") */
	uint32_t start, end;     /* where to report: the name */
	bool counted;            /* public and not ignored: counts for coverage and missing-doc */
	bool documented;
	uint32_t doc_start, doc_end;  /* the docstring or doc comment, when documented */
	uint32_t sig_start, sig_end;  /* the signature (def line up to the body), 0/0 if none */
	char **params;           /* owned; the signature's parameter names ("*args" kept) */
	size_t nparams;
	bool params_known;       /* false when a parameter cannot be named (destructuring) */
	bool returns;            /* a return value worth documenting */
	docs_param *doc_params;  /* owned; parameters the documentation names */
	size_t ndoc_params;
	bool doc_has_params;     /* the documentation has a parameter section */
	const char *why;         /* static; replaces "has no doc comment" (Go: wrong first word) */
	uint32_t stub_at;        /* where a stub goes; UINT32_MAX: no stub */
	char *stub_indent;       /* owned; indentation of the stub */
} docs_item;

typedef struct docs_items {
	docs_item *items;
	size_t count;
} docs_items;

/** Options every front end reads (from `docs.*`). */
typedef struct docs_opts {
	bool ignore_private, ignore_magic, ignore_init_method, ignore_init_module;
	bool ignore_module, ignore_nested, ignore_overloads, ignore_setters;
	const char *style;       /* "google", "numpy", "sphinx" or "auto" */
} docs_opts;

/** Append a new zeroed item and return it (NULL: WM_ENOMEM). */
docs_item *docs__item_new(docs_items *items, const char *kind, const char *name, size_t len);
/** Add a parameter name to an item. @return 0 or WM_ENOMEM */
int docs__item_param(docs_item *item, const char *name, size_t len);
/** Add a documented parameter. @return 0 or WM_ENOMEM */
int docs__item_doc_param(docs_item *item, const char *name, size_t len, uint32_t start);
/** Free what the items own. */
void docs__items_dispose(docs_items *items);

/** Text of a node as a new string (NULL: WM_ENOMEM). */
char *docs__node_text(TSNode node, const char *data);
/** Whether a node's text equals `s`. */
bool docs__node_is(TSNode node, const char *data, const char *s);
/**
 * The run of comments right above `node` (no blank line between, attributes
 * skipped when `skip` names their node type), as a byte range.
 * @param accept returns whether one comment counts as documentation, or NULL for any
 * @return whether such comments exist
 */
bool docs__comment_above(uint32_t *start, uint32_t *end, TSNode node, const char *data,
	bool (*accept)(const char *text, size_t len), const char *skip);
/** The indentation of the line holding byte `at` up to it, when only blanks precede it. */
char *docs__indent_at(const char *data, uint32_t at);

/*
 * Front ends: fill `out` with the items of a parsed file. They do not emit;
 * docs.c decides what is a finding.
 */
int docs__python_items(docs_items *out, const char *data, size_t size, TSNode root,
	const char *path, const docs_opts *opts);
int docs__js_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts);
int docs__go_items(docs_items *out, const char *data, size_t size, TSNode root, const docs_opts *opts);
int docs__rust_items(docs_items *out, const char *data, size_t size, TSNode root,
	const char *path, const wm_world *world);
int docs__c_items(docs_items *out, const char *data, size_t size, TSNode root);

/**
 * A documentation stub for an item, in the language's (and for Python the
 * project's) style, ready to insert at item->stub_at.
 * @return 0 or WM_ENOMEM
 */
int docs__python_stub(wm_buf *out, const docs_item *item, const char *style);
int docs__comment_stub(wm_buf *out, const docs_item *item, wm_lang lang);

/** The docstring style a Python file already uses ("google" when none shows). */
const char *docs__python_style(const char *data, size_t size);

/* Markdown: broken links in one file, and in the files that link to renamed or deleted targets. */
int docs__markdown_scan_file(wm_scan *scan, const wm_file *file);
int docs__markdown_scan_repo(wm_scan *scan);
/** Whether a path is a Markdown file. */
bool docs__is_markdown(const char *path);
/** GitHub's anchor for a heading text, appended to `out`. @return 0 or WM_ENOMEM */
int docs__slug(wm_buf *out, const char *text, size_t len);

#endif
