/*
 * wm/syntax.h - languages and parsing (tree-sitter).
 *
 * The registry maps a path (extension, then a shebang line) to a language
 * and its tree-sitter grammar. Grammars are compiled in from the pinned npm
 * packages (ABI 14), so they always match what the registry promises.
 */
#ifndef WM_SYNTAX_H
#define WM_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "common.h"

typedef enum wm_lang {
	WM_LANG_NONE = 0,
	WM_LANG_PYTHON,
	WM_LANG_JAVASCRIPT,
	WM_LANG_TYPESCRIPT,
	WM_LANG_TSX,
	WM_LANG_C,
	WM_LANG_CPP,
	WM_LANG_GO,
	WM_LANG_RUST,
	WM_LANG_JSON,
	WM_LANG_TOML,
	WM_LANG__COUNT
} wm_lang;

/** @return "python", "javascript", "typescript", "tsx", "c", "cpp", "go", "rust", "json", "toml", or "none" */
WM_EXTERN const char *wm_lang_name(wm_lang lang);

/** @return the language with that name (as wm_lang_name() spells it), or WM_LANG_NONE */
WM_EXTERN wm_lang wm_lang_from_name(const char *name);

/**
 * The language of a file: by file name and extension first, then by a
 * `#!` line in the first bytes (python, node, ...).
 *
 * @param path repository-relative path
 * @param data the first bytes of the content, or NULL
 * @param size how many bytes of data
 * @return the language, or WM_LANG_NONE
 */
WM_EXTERN wm_lang wm_syntax_detect(const char *path, const char *data, size_t size);

/** @return the grammar of a language (static), or NULL for WM_LANG_NONE */
WM_EXTERN const TSLanguage *wm_syntax_language(wm_lang lang);

/**
 * @return true when the content looks binary (a NUL byte in the first
 *         8000 bytes, git's rule)
 */
WM_EXTERN bool wm_syntax_is_binary(const char *data, size_t size);

/**
 * Parse content with a thread-local parser for the language.
 *
 * A parse that runs longer than the timeout (pathological input) fails with
 * WM_EPARSE rather than stalling the gate.
 *
 * @param out the tree; the caller frees it with ts_tree_delete()
 * @param lang language (not WM_LANG_NONE)
 * @param data content (need not be NUL-terminated)
 * @param size bytes of content (at most UINT32_MAX)
 * @return 0, WM_EPARSE (timeout or too large), or WM_ENOMEM
 */
WM_EXTERN int wm_syntax_parse(TSTree **out, wm_lang lang, const char *data, size_t size);

/**
 * Compile a tree-sitter query for a language.
 *
 * @param out the query; the caller frees it with ts_query_delete()
 * @param lang language
 * @param source query text
 * @param name where the query came from, for the error message ("rules/x.yml")
 * @param line_offset line of `source`'s first line in that file (1-based), so
 *        the message points into the file
 * @return 0 or WM_EPARSE with "name:line:column: message"
 */
WM_EXTERN int wm_syntax_query_new(TSQuery **out, wm_lang lang, const char *source,
	const char *name, uint32_t line_offset);

/** A position in content, 1-based, columns in Unicode code points. */
typedef struct wm_pos {
	uint32_t line;
	uint32_t column;
} wm_pos;

/**
 * Compile a tree-sitter query, reporting where it is wrong apart from what:
 * for a caller that places errors itself (a rule loader knows the file, the
 * line and the indentation the query text came from).
 *
 * @param where on WM_EPARSE, the 1-based position in `source` of the error
 *        ({0, 0} when it has none, as for a query too large)
 * @return 0 or WM_EPARSE with the message alone (no position), WM_ENOMEM
 */
WM_EXTERN int wm_syntax_query_compile(TSQuery **out, wm_lang lang, const char *source, wm_pos *where);

/**
 * Convert a byte offset into a 1-based line and code-point column.
 * Invalid UTF-8 counts one column per byte.
 *
 * @param data content
 * @param size bytes of content
 * @param offset byte offset (clamped to size)
 */
WM_EXTERN wm_pos wm_syntax_pos(const char *data, size_t size, uint32_t offset);

/**
 * Walk a tree depth-first without recursion (deep nesting cannot overflow
 * the stack), calling `visit` on each node.
 *
 * @param visit return 0 to descend, 1 to skip the node's children, or a
 *        negative error code to stop the walk and return it
 * @return 0 or the visitor's error
 */
WM_EXTERN int wm_syntax_walk(TSNode root, int (*visit)(TSNode node, void *payload), void *payload);

#endif
