/*
 * wm/pattern.h - structural code patterns with metavariables.
 *
 * A pattern is code in the target language, parsed with that language's
 * grammar, in which `$NAME` stands for one named syntax node and `$$$NAME`
 * for zero or more sibling nodes (NAME is upper case, digits and `_`; `$_`
 * and `$$$_` match without binding). It matches a node of a tree when the
 * two trees have the same node kinds, the same text at their leaves, and
 * the metavariables bind consistently: a name used twice must bind equal
 * text. Whitespace, comments and other "extra" nodes are ignored.
 *
 * A pattern that is a fragment (an expression, a statement) is parsed in a
 * context the grammar accepts (a function body for Go, Rust and C) and the
 * innermost node spanning the whole pattern is the one matched, so `foo()`
 * matches every call of foo, and `foo();` only the call statements.
 *
 * Compiled patterns are immutable and may be shared between threads.
 */
#ifndef WM_PATTERN_H
#define WM_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "buf.h"
#include "common.h"
#include "syntax.h"

typedef struct wm_pattern wm_pattern;

/** What one metavariable bound in a match. */
typedef struct wm_capture {
	const char *name;       /**< without '$' (borrowed from the pattern or query that bound it) */
	TSNode node;            /**< the node for `$X`, the first node for `$$$X` (null when none) */
	uint32_t count;         /**< nodes bound (1 for `$X`) */
	uint32_t start_byte;    /**< span of the bound nodes; empty for zero nodes */
	uint32_t end_byte;
} wm_capture;

/** The bindings of one match, in the order they were made. */
typedef struct wm_captures {
	wm_capture *items;
	size_t count;
	size_t alloc;
} wm_captures;

#define WM_CAPTURES_INIT { NULL, 0, 0 }

/**
 * Compile a pattern.
 *
 * @param out the pattern; free with wm_pattern_free()
 * @param error_offset when the pattern does not parse, receives the byte
 *        offset in `source` of the first syntax error (may be NULL)
 * @param lang its language
 * @param source pattern text (NUL-terminated)
 * @return 0, WM_EPARSE (the pattern does not parse, is not one syntax node,
 *         or misuses a metavariable; the message says which, without a
 *         position: the caller knows where the pattern came from), WM_ENOMEM
 */
WM_EXTERN int wm_pattern_compile(wm_pattern **out, size_t *error_offset, wm_lang lang,
	const char *source);

/** Free a pattern. NULL is a no-op. */
WM_EXTERN void wm_pattern_free(wm_pattern *pattern);

/** @return the language the pattern was compiled for */
WM_EXTERN wm_lang wm_pattern_lang(const wm_pattern *pattern);

/**
 * The kind of node the pattern can match, for cheap filtering.
 * @param out the node symbol
 * @return false when the pattern is a lone metavariable (any named node)
 */
WM_EXTERN bool wm_pattern_root_symbol(const wm_pattern *pattern, TSSymbol *out);

/**
 * The longest literal token of the pattern (a leaf it must match exactly),
 * for skipping files that cannot match without parsing them: a file whose
 * text does not contain it has no match.
 *
 * @param len_out its length in bytes
 * @return borrowed text living as long as the pattern (not NUL-terminated),
 *         or NULL when the pattern has no literal token
 */
WM_EXTERN const char *wm_pattern_needle(const wm_pattern *pattern, size_t *len_out);

/**
 * Match a pattern at one node.
 *
 * Bindings already in `caps` constrain the match (a metavariable bound
 * there must bind equal text here); new bindings are appended on success,
 * and `caps` is left as it was on failure.
 *
 * @param pattern the pattern
 * @param node a node of a tree parsed in the pattern's language
 * @param src the tree's source text
 * @param caps bindings in and out
 * @return 1 match, 0 no match, or WM_ENOMEM
 */
WM_EXTERN int wm_pattern_match(const wm_pattern *pattern, TSNode node, const char *src,
	wm_captures *caps);

/**
 * Find every match under (and including) `root`, in document order.
 * Nested matches are all reported. The tree is walked without recursion.
 *
 * @param cb called with each matching node and its bindings (borrowed for
 *        the call); a negative return stops the search and is returned
 * @return 0, the callback's error, or WM_ENOMEM
 */
WM_EXTERN int wm_pattern_find(const wm_pattern *pattern, TSNode root, const char *src,
	int (*cb)(TSNode node, const wm_captures *caps, void *payload), void *payload);

/** @return the binding of a name (`len` bytes, without '$'), or NULL */
WM_EXTERN const wm_capture *wm_captures_get(const wm_captures *caps, const char *name, size_t len);

/**
 * Append a binding (for query captures and tests).
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_captures_add(wm_captures *caps, const char *name, TSNode node, uint32_t count,
	uint32_t start_byte, uint32_t end_byte);

/** Forget bindings past the first `count`. */
WM_EXTERN void wm_captures_truncate(wm_captures *caps, size_t count);

/** Free the bindings' array; the list is left empty. */
WM_EXTERN void wm_captures_dispose(wm_captures *caps);

/** How wm_pattern_expand() writes a capture. */
typedef enum wm_expand_mode {
	/** Fix templates: captures verbatim, multi-line text re-indented to where it lands. */
	WM_EXPAND_CODE = 0,
	/** Messages: captures on one line, cut after 60 code points. */
	WM_EXPAND_MESSAGE = 1
} wm_expand_mode;

/**
 * Expand a template: `$NAME` and `$$$NAME` become the text their capture
 * bound; names without a capture are kept as written. In WM_EXPAND_CODE,
 * template lines after the first are indented like the line the match
 * starts on, so a multi-line fix lands at the match's indentation.
 *
 * @param out receives the text (appended)
 * @param tmpl the template
 * @param caps bindings
 * @param src source the bindings point into
 * @param match_start byte offset of the match in `src`
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_pattern_expand(wm_buf *out, const char *tmpl, const wm_captures *caps,
	const char *src, uint32_t match_start, wm_expand_mode mode);

#endif
