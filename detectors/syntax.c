/*
 * syntax.c - the syntax detector: a file that does not parse is reported.
 *
 * A commit that breaks the syntax of a file breaks everything downstream of
 * it (imports, docs, antibodies all read the tree), so this is the first,
 * cheapest check of the gate. tree-sitter never fails a parse: it recovers,
 * wrapping what it could not place in ERROR nodes and inventing zero-width
 * MISSING tokens where one was expected. Each of those is one finding.
 *
 * The walk skips every subtree without errors (ts_node_has_error), so a
 * clean file costs one visit of the root, and does not descend into an
 * ERROR node it reported: what is inside is the parser's guess, and
 * reporting it again would only repeat the same mistake.
 *
 * Messages name the token the parser tripped over, in a form safe to print
 * in a terminal (control characters escaped, long tokens cut), because the
 * text comes from the file and the file may be hostile.
 *
 * A broken file easily yields hundreds of cascading errors; after
 * MAX_FINDINGS the rest are summed up in one last finding.
 *
 * False positives are worse than misses in a gate, and the grammars have
 * known gaps, measured on real code (see the commit that added this):
 *
 * - C and C++ are parsed without a preprocessor, so a macro the parser
 *   cannot expand (`extern int f(void) __THROW;`, `GIT_EXTERN(int) f();`,
 *   `SHA1_STORE_STATE(0)` as a statement) or a conditional directive that
 *   splits a construct looks like an error. An error is dropped when a
 *   macro-like name (ALL_CAPS or __reserved) or a preprocessor line is in
 *   its window: the line before it through the end of the error. That cuts
 *   the files flagged in libgit2 and redis from 15-21% to about 1-3% and
 *   still catches most injected errors; compilers catch the rest anyway.
 * - tree-sitter-json rejects an exponent with a plus sign (`1e+5`), which
 *   JSON allows; such errors are dropped.
 * - tsconfig.json, jsconfig.json, .jsonc and .vscode/ files are JSON with
 *   comments and trailing commas (as TypeScript and VS Code read them), so
 *   a trailing comma is not an error there; elsewhere it is reported as
 *   what it is, not as the "missing number" tree-sitter makes of it.
 */
#include <string.h>

#include "syntax.h"

#define MAX_FINDINGS 20
/* Code points of a token shown in a message before it is cut. */
#define TOKEN_MAX 30

static const wm_rule_info rules[] = {
	{
		"syntax-error",
		WM_SEV_ERROR,
		"The file does not parse.",
		"The parser for the file's language could not make sense of the code at "
		"this point: a bracket, quote or keyword is missing or out of place. Code "
		"that does not parse cannot run or be imported, and every other check of "
		"wm sees only part of the file. Fix the code at the position shown (the "
		"real mistake is often just before it, e.g. an unclosed bracket). If the "
		"file is valid and wm's grammar lags behind the language (a very new "
		"syntax, an unusual macro), suppress the finding with a comment "
		"`wm: ignore[syntax-error] reason` on the line or the line above, or set "
		"`detectors: syntax: severity: syntax-error/<language>: warning` in .wm.yml."
	},
};

struct walk_state {
	wm_scan *scan;
	const wm_file *file;
	size_t reported;    /* findings emitted */
	size_t more;        /* errors past MAX_FINDINGS */
	uint32_t more_start, more_end;
};

static char next_significant(const char *data, size_t size, size_t i);
static char prev_significant(const char *data, size_t i);

/* --- C and C++: what the preprocessor would have expanded -------------- */

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* NULL and INT_MAX are ordinary expressions, not unexpanded macros. */
static bool is_plain_constant(const char *w, size_t n)
{
	if ((n == 4 && !memcmp(w, "NULL", 4)) || (n == 3 && !memcmp(w, "EOF", 3)) ||
	    (n == 4 && !memcmp(w, "TRUE", 4)) || (n == 5 && !memcmp(w, "FALSE", 5)))
		return true;
	return n > 4 && (!memcmp(w + n - 4, "_MAX", 4) || !memcmp(w + n - 4, "_MIN", 4));
}

static bool is_macro_like(const char *w, size_t n)
{
	bool upper = false;
	size_t i;

	if (n >= 3 && w[0] == '_' && w[1] == '_')
		return true;
	/* A C11 keyword tree-sitter-c 0.23 lacks (it knows thread_local and __thread). */
	if (n == 13 && !memcmp(w, "_Thread_local", 13))
		return true;
	if (n < 2 || (w[0] >= '0' && w[0] <= '9'))
		return false;
	for (i = 0; i < n; i++) {
		if (w[i] >= 'A' && w[i] <= 'Z')
			upper = true;
		else if ((w[i] < '0' || w[i] > '9') && w[i] != '_')
			return false;
	}
	return upper && !is_plain_constant(w, n);
}

/* Start of the word before `i`, skipping what is between (or i when none). */
static size_t word_before(const char *data, size_t i)
{
	size_t j = i;

	while (j > 0 && !is_word_char(data[j - 1]) && data[j - 1] != '\n')
		j--;
	if (j == 0 || !is_word_char(data[j - 1]))
		return i;
	while (j > 0 && is_word_char(data[j - 1]))
		j--;
	return j;
}

/*
 * Whether an error at data[start..end) is likely the parser meeting code
 * the preprocessor would have rewritten: a macro-like name in the error
 * itself or in the two words before it (outside comments and strings), a
 * preprocessor line on the error's lines or the line before, or a loop
 * macro (`list_foreach(l, it) {` reads as a call missing its `;`).
 */
/*
 * Whether the last line of code before the one holding `start` is a macro
 * used as a statement, without the `;` the grammar wants after it:
 * `END_TEST`, `DEFINE_LIST(item)`.
 */
/*
 * Whether the line holding `start` begins with a macro-like word:
 * `WM_EXTERN const T *f(void);`, `GIT_EXTERN(int) f(...)`, where the
 * grammar stumbles a few words after the macro.
 */
static bool macro_starts_line(const char *data, size_t start)
{
	size_t ls = start, w;

	while (ls > 0 && data[ls - 1] != '\n')
		ls--;
	while (ls < start && (data[ls] == ' ' || data[ls] == '\t'))
		ls++;
	for (w = ls; w < start && is_word_char(data[w]); w++)
		;
	return w > ls && is_macro_like(data + ls, w - ls);
}

static bool macro_statement_before(const char *data, size_t start)
{
	size_t ls = start, s, e, w;
	int depth = 0;

	while (ls > 0 && data[ls - 1] != '\n')
		ls--;
	for (e = ls; e > 0;) {
		e--; /* the newline ending the previous line */
		for (s = e; s > 0 && data[s - 1] != '\n'; s--)
			;
		while (s < e && (data[s] == ' ' || data[s] == '\t'))
			s++;
		while (e > s && (data[e - 1] == ' ' || data[e - 1] == '\t' || data[e - 1] == '\r'))
			e--;
		/* Blank lines and comment lines are skipped. */
		if (s == e || data[s] == '*' || (e - s >= 2 && data[s] == '/' &&
		    (data[s + 1] == '/' || data[s + 1] == '*'))) {
			e = s;
			while (e > 0 && data[e - 1] != '\n')
				e--;
			continue;
		}
		for (w = s; w < e && is_word_char(data[w]); w++)
			;
		if (!is_macro_like(data + s, w - s))
			return false;
		for (; w < e; w++) {
			if (data[w] == '(')
				depth++;
			else if (data[w] == ')')
				depth--;
			else if (depth == 0 && data[w] != ' ' && data[w] != '\t')
				return false;
		}
		return depth == 0;
	}
	return false;
}

/*
 * Whether the `)` just before `start` closes a call of a loop macro named
 * like one (`json_array_foreach(a, i, v)`, `list_for_each(p, h)`): its body
 * may be a single statement on the next line, so no `{` follows.
 */
static bool loop_macro_call_before(const char *data, size_t start)
{
	size_t i = start, w, k;
	int depth = 0;
	char name[64];

	while (i > 0 && data[i - 1] != ')')
		i--;
	for (; i > 0; i--) {
		if (data[i - 1] == ')')
			depth++;
		else if (data[i - 1] == '(' && --depth == 0)
			break;
		if (start - i > 4096)
			return false;
	}
	if (i == 0)
		return false;
	i--; /* at the '(' */
	while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t'))
		i--;
	for (w = i; w > 0 && is_word_char(data[w - 1]); w--)
		;
	if (i - w == 0 || i - w >= sizeof(name))
		return false;
	for (k = 0; k < i - w; k++)
		name[k] = (char)((data[w + k] >= 'A' && data[w + k] <= 'Z') ? data[w + k] + 32 : data[w + k]);
	name[i - w] = '\0';
	return strstr(name, "foreach") || strstr(name, "for_each") || strstr(name, "_each");
}

static bool near_unexpanded_macro(const char *data, size_t size, uint32_t start, uint32_t end)
{
	size_t from, to, line, i;
	int lines = 0;
	bool line_start = true;

	if (start > size)
		return false;
	if (macro_statement_before(data, start) || macro_starts_line(data, start))
		return true;
	if (end == start && prev_significant(data, start) == ')' &&
	    next_significant(data, size, start) == '{')
		return true;
	if (prev_significant(data, start) == ')' && loop_macro_call_before(data, start))
		return true;

	/* A huge ERROR node is judged by its first KiB. */
	to = end > start + 1024u ? start + 1024u : end;
	if (to > size)
		to = size;
	line = start;
	while (line > 0 && (data[line - 1] != '\n' || ++lines < 2))
		line--;
	for (i = line; i < to; i++) {
		/* Only `#` first on a line is a directive. */
		if (data[i] == '#' && line_start)
			return true;
		if (data[i] == '\n')
			line_start = true;
		else if (data[i] != ' ' && data[i] != '\t')
			line_start = false;
	}

	from = word_before(data, word_before(data, start));
	for (i = from; i < to;) {
		char c = data[i];

		if (c == '/' && i + 1 < to && data[i + 1] == '/') {
			while (i < to && data[i] != '\n')
				i++;
		} else if (c == '/' && i + 1 < to && data[i + 1] == '*') {
			for (i += 2; i + 1 < to && !(data[i] == '*' && data[i + 1] == '/'); i++)
				;
			i += 2;
		} else if (c == '"' || c == '\'') {
			for (i++; i < to && data[i] != c && data[i] != '\n'; i++)
				if (data[i] == '\\')
					i++;
			i++;
		} else if (is_word_char(c)) {
			size_t w = i;

			while (i < to && is_word_char(data[i]))
				i++;
			if (is_macro_like(data + w, i - w))
				return true;
		} else {
			i++;
		}
	}
	return false;
}

/* --- JSON ------------------------------------------------------------- */

/* Files that TypeScript and VS Code read as JSON with comments and trailing commas. */
static bool is_jsonc(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (!strncmp(base, "tsconfig", 8) || !strncmp(base, "jsconfig", 8))
		return true;
	if (n > 6 && !strcmp(base + n - 6, ".jsonc"))
		return true;
	return !strncmp(path, ".vscode/", 8) || strstr(path, "/.vscode/") != NULL;
}

/* The next byte at or after i that is not white space or a comment, or 0. */
static char next_significant(const char *data, size_t size, size_t i)
{
	while (i < size) {
		if (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
			i++;
		} else if (data[i] == '/' && i + 1 < size && data[i + 1] == '/') {
			while (i < size && data[i] != '\n')
				i++;
		} else if (data[i] == '/' && i + 1 < size && data[i + 1] == '*') {
			for (i += 2; i + 1 < size && !(data[i] == '*' && data[i + 1] == '/'); i++)
				;
			i += 2;
		} else {
			return data[i];
		}
	}
	return 0;
}

/* The previous byte before i that is not white space, or 0. */
static char prev_significant(const char *data, size_t i)
{
	while (i > 0 && (data[i - 1] == ' ' || data[i - 1] == '\t' || data[i - 1] == '\r' ||
			data[i - 1] == '\n'))
		i--;
	return i > 0 ? data[i - 1] : 0;
}

/*
 * `1e+5`: valid JSON the grammar does not know (it only takes `1e-5` and
 * `1e5`). The ERROR node holds either the whole number or the part from
 * the `e` on, depending on where the parser gave up.
 */
static bool is_exponent_plus(const char *data, size_t size, uint32_t start, uint32_t end)
{
	uint32_t i = start;

	if (end > size || end - start > 64)
		return false;
	while (i < end && ((data[i] >= '0' && data[i] <= '9') || data[i] == '.' || data[i] == '-'))
		i++;
	if (i == start && (start == 0 || data[start - 1] < '0' || data[start - 1] > '9'))
		return false;
	if (i + 2 >= end || (data[i] != 'e' && data[i] != 'E') || data[i + 1] != '+')
		return false;
	for (i += 2; i < end; i++)
		if (data[i] < '0' || data[i] > '9')
			return false;
	return true;
}

/* A comma right before a closing bracket, as tree-sitter recovered from it. */
static bool is_trailing_comma(const char *data, size_t size, TSNode node, bool missing)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	char close;

	if (missing) {
		/* `[1, 2,]`: a value was invented between the comma and the bracket. */
		close = next_significant(data, size, start);
		return prev_significant(data, start) == ',' && (close == ']' || close == '}');
	}
	/* `{"a": 1,}`: the comma itself was wrapped in an ERROR node. */
	if (end != start + 1 || end > size || data[start] != ',')
		return false;
	close = next_significant(data, size, end);
	return close == ']' || close == '}';
}

static bool is_error(TSNode node)
{
	/* ts_node_is_error() is newer than libtree-sitter 0.20.7. */
	return ts_node_symbol(node) == (TSSymbol)-1;
}

/* The first token inside `node` that has any text, or `node` itself. */
static TSNode first_token(TSNode node)
{
	TSNode cur = node;

	while (ts_node_child_count(cur) > 0) {
		TSNode child = ts_node_child(cur, 0);
		uint32_t i, n = ts_node_child_count(cur);

		/* Skip zero-width children (MISSING tokens, empty nodes). */
		for (i = 1; i < n && ts_node_end_byte(child) == ts_node_start_byte(child); i++)
			child = ts_node_child(cur, i);
		if (ts_node_end_byte(child) == ts_node_start_byte(child))
			break;
		cur = child;
	}
	return ts_node_end_byte(cur) > ts_node_start_byte(cur) ? cur : node;
}

/* Append data[start..end) as a quoted, escaped, cut token. */
static int put_token(wm_buf *msg, const char *data, uint32_t start, uint32_t end)
{
	const unsigned char *s = (const unsigned char *)data;
	uint32_t i = start, shown = 0;
	int error;

	if ((error = wm_buf_putc(msg, '"')) < 0)
		return error;
	while (i < end && shown < TOKEN_MAX) {
		unsigned char c = s[i];

		if (c == '\n')
			error = wm_buf_puts(msg, "\\n");
		else if (c == '\t')
			error = wm_buf_puts(msg, "\\t");
		else if (c == '"' || c == '\\')
			error = wm_buf_printf(msg, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			error = wm_buf_printf(msg, "\\x%02x", c);
		else if (c < 0x80)
			error = wm_buf_putc(msg, (char)c);
		else {
			/* Copy a whole UTF-8 sequence so a cut never splits one. */
			uint32_t n = 1;

			while (i + n < end && n < 4 && (s[i + n] & 0xC0) == 0x80)
				n++;
			error = wm_buf_put(msg, data + i, n);
			i += n - 1;
		}
		if (error < 0)
			return error;
		i++;
		shown++;
	}
	if ((error = wm_buf_putc(msg, '"')) < 0)
		return error;
	if (i < end)
		error = wm_buf_puts(msg, "...");
	return error;
}

static int emit(struct walk_state *st, uint32_t start, uint32_t end, const char *message)
{
	wm_finding f = WM_FINDING_INIT;

	f.rule = (char *)"syntax-error";
	f.path = (char *)st->file->path;
	f.start_byte = start;
	f.end_byte = end;
	f.message = (char *)message;
	/*
	 * Without a preprocessor, C and C++ macros leave false syntax errors in
	 * 7-12% of real files (redis, libgit2) even after the macro filters, so
	 * there the rule warns instead of blocking; `syntax-error/c: error` in
	 * .wm.yml restores the gate. Elsewhere severity is left at NONE: the
	 * scan applies the rule's default and the config.
	 */
	if (st->file->lang == WM_LANG_C || st->file->lang == WM_LANG_CPP)
		f.severity = WM_SEV_WARNING;
	return wm_emit(st->scan, &f);
}

static int report(struct walk_state *st, TSNode node, bool missing)
{
	const wm_file *file = st->file;
	wm_buf msg = WM_BUF_INIT;
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	bool trailing_comma = false;
	int error = 0;

	if ((file->lang == WM_LANG_C || file->lang == WM_LANG_CPP) &&
	    near_unexpanded_macro(file->data, file->size, start, end))
		goto done;
	if (file->lang == WM_LANG_JSON) {
		if (!missing && is_exponent_plus(file->data, file->size, start, end))
			goto done;
		if ((trailing_comma = is_trailing_comma(file->data, file->size, node, missing)) &&
		    is_jsonc(file->path))
			goto done;
	}

	if (st->reported >= MAX_FINDINGS) {
		if (st->more++ == 0) {
			st->more_start = start;
			st->more_end = end;
		}
		goto done;
	}
	if (trailing_comma) {
		error = wm_buf_puts(&msg, "syntax error: trailing comma (not allowed in JSON)");
	} else if (missing) {
		error = wm_buf_puts(&msg, "syntax error: missing ");
		if (!error)
			error = put_token(&msg, ts_node_type(node), 0, (uint32_t)strlen(ts_node_type(node)));
	} else {
		TSNode tok = first_token(node);
		uint32_t ts = ts_node_start_byte(tok), te = ts_node_end_byte(tok);

		if (ts >= st->file->size || te <= ts) {
			error = wm_buf_puts(&msg, "syntax error: unexpected end of file");
		} else {
			error = wm_buf_puts(&msg, "syntax error: unexpected ");
			if (!error)
				error = put_token(&msg, st->file->data, ts,
					te < st->file->size ? te : (uint32_t)st->file->size);
		}
	}
	if (error < 0 || (error = emit(st, start, end, msg.ptr)) < 0)
		goto done;
	st->reported++;
done:
	wm_buf_dispose(&msg);
	return error;
}

static int visit(TSNode node, void *payload)
{
	struct walk_state *st = payload;
	int error;

	if (ts_node_is_missing(node)) {
		if ((error = report(st, node, true)) < 0)
			return error;
		return 1;
	}
	if (!ts_node_has_error(node))
		return 1;
	if (is_error(node)) {
		if ((error = report(st, node, false)) < 0)
			return error;
		return 1;
	}
	return 0;
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	struct walk_state st = { scan, file, 0, 0, 0, 0 };
	wm_buf msg = WM_BUF_INIT;
	const TSTree *tree;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || file->lang == WM_LANG_NONE || !file->data)
		goto done;
	if ((error = wm_scan_tree(&tree, scan, file)) < 0) {
		if (error == WM_ENOTFOUND) {
			error = 0;
		} else if (error == WM_EPARSE) {
			/*
			 * A timeout says nothing about the file's validity, only that
			 * it was not checked: say so rather than fail the detector.
			 */
			wm_finding f = WM_FINDING_INIT;
			const char *why = wm_error_last();
			size_t n = strlen(file->path);

			/* wm_scan_tree() prefixes the path, which the report shows anyway. */
			if (!strncmp(why, file->path, n) && !strncmp(why + n, ": ", 2))
				why += n + 2;
			if ((error = wm_buf_printf(&msg, "file could not be parsed: %s; its syntax was not checked",
					*why ? why : "timeout")) < 0)
				goto done;
			f.rule = (char *)"syntax-error";
			f.severity = WM_SEV_WARNING;
			f.path = (char *)file->path;
			f.message = msg.ptr;
			error = wm_emit(scan, &f);
		}
		goto done;
	}
	if ((error = wm_syntax_walk(ts_tree_root_node(tree), visit, &st)) < 0)
		goto done;
	if (st.more) {
		if ((error = wm_buf_printf(&msg, "... and %zu more syntax error%s", st.more,
				st.more == 1 ? "" : "s")) < 0)
			goto done;
		error = emit(&st, st.more_start, st.more_end, msg.ptr);
	}
done:
	wm_buf_dispose(&msg);
	return error;
}

const wm_detector wm_detector_syntax = {
	"syntax",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	scan_file,
	NULL,
	NULL,
};
