/*
 * syntax.c - grammars, parsing, positions, walks and queries (tree-sitter).
 *
 * Grammars are compiled in (cmake/grammars.cmake), so a language is a
 * function pointer away; their ABI is still checked before each use against
 * the range the linked libtree-sitter accepts, because a grammar built for
 * a newer ABI is rejected by ts_parser_set_language() and we would rather
 * report that than hand out a parser without a language.
 *
 * Parsers are per thread and per language: a TSParser keeps state between
 * calls and must never be shared. Forked workers get their own copy of the
 * forking thread's parsers, which is equally safe. A pthread key frees them
 * when a thread exits.
 *
 * Every parse has a wall-clock bound (WM_SYNTAX_TIMEOUT_MICROS, 5 s): the
 * gate runs in a pre-commit hook, and one pathological file must cost a
 * finding, not the developer's patience. tree-sitter parses megabytes of
 * ordinary code per second, so 5 s is far past any honest source file.
 *
 * libtree-sitter 0.20.7 (Debian 12) frees an invalid pointer while
 * recovering from tens of thousands of unclosed brackets (tree-sitter
 * issues #2231 and #2346; `"x = [" * 25000` in Python crashes it, in the
 * parse or in ts_tree_delete). Content with more than WM_SYNTAX_MAX_UNCLOSED
 * more opening than closing brackets is therefore refused like a timeout,
 * before the library sees it. Balanced deep nesting is unaffected, and no
 * honest file is anywhere near the bound.
 *
 * Positions count code points, not bytes, because that is what editors and
 * SARIF viewers show; invalid UTF-8 counts one column per byte so that a
 * broken file still gets stable, monotonic columns.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "syntax.h"
#include "wm/alloc.h"
#include "wm/error.h"

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_c(void);
const TSLanguage *tree_sitter_cpp(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_rust(void);
const TSLanguage *tree_sitter_json(void);
const TSLanguage *tree_sitter_toml(void);

static const TSLanguage *(*const grammars[WM_LANG__COUNT])(void) = {
	[WM_LANG_NONE] = NULL,
	[WM_LANG_PYTHON] = tree_sitter_python,
	[WM_LANG_JAVASCRIPT] = tree_sitter_javascript,
	[WM_LANG_TYPESCRIPT] = tree_sitter_typescript,
	[WM_LANG_TSX] = tree_sitter_tsx,
	[WM_LANG_C] = tree_sitter_c,
	[WM_LANG_CPP] = tree_sitter_cpp,
	[WM_LANG_GO] = tree_sitter_go,
	[WM_LANG_RUST] = tree_sitter_rust,
	[WM_LANG_JSON] = tree_sitter_json,
	[WM_LANG_TOML] = tree_sitter_toml,
};

static atomic_uint_fast64_t timeout_micros = WM_SYNTAX_TIMEOUT_MICROS;

static _Thread_local TSParser *thread_parsers[WM_LANG__COUNT];
static pthread_key_t parsers_key;
static pthread_once_t parsers_once = PTHREAD_ONCE_INIT;
static bool parsers_key_ok;

void wm_syntax__set_timeout(uint64_t micros)
{
	atomic_store(&timeout_micros, micros ? micros : WM_SYNTAX_TIMEOUT_MICROS);
}

static int grammar(const TSLanguage **out, wm_lang lang)
{
	const TSLanguage *language;
	uint32_t abi;

	*out = NULL;
	if ((unsigned)lang >= WM_LANG__COUNT || !grammars[lang])
		return wm_error_set(WM_ERROR, "no grammar for language %d", (int)lang);
	language = grammars[lang]();
	abi = ts_language_version(language);
	if (abi < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION || abi > TREE_SITTER_LANGUAGE_VERSION)
		return wm_error_set(WM_ERROR,
			"the %s grammar has ABI %u, but libtree-sitter accepts %d to %d",
			wm_lang_name(lang), abi, TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
			TREE_SITTER_LANGUAGE_VERSION);
	*out = language;
	return 0;
}

const TSLanguage *wm_syntax_language(wm_lang lang)
{
	const TSLanguage *language;

	if (lang == WM_LANG_NONE || grammar(&language, lang) < 0)
		return NULL;
	return language;
}

static void parsers_free(void *unused)
{
	size_t i;

	(void)unused;
	for (i = 0; i < WM_LANG__COUNT; i++) {
		ts_parser_delete(thread_parsers[i]);
		thread_parsers[i] = NULL;
	}
}

static void parsers_key_init(void)
{
	parsers_key_ok = pthread_key_create(&parsers_key, parsers_free) == 0;
}

static int thread_parser(TSParser **out, wm_lang lang, const TSLanguage *language)
{
	TSParser *parser = thread_parsers[lang];
	int error = 0;

	if (parser)
		goto done;
	/*
	 * The key's value only has to be non-NULL for the destructor to run;
	 * the parsers themselves live in the _Thread_local array.
	 */
	pthread_once(&parsers_once, parsers_key_init);
	if (parsers_key_ok && !pthread_getspecific(parsers_key))
		pthread_setspecific(parsers_key, thread_parsers);
	if (!(parser = ts_parser_new())) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	if (!ts_parser_set_language(parser, language)) {
		ts_parser_delete(parser);
		parser = NULL;
		error = wm_error_set(WM_ERROR, "the %s grammar cannot be loaded", wm_lang_name(lang));
		goto done;
	}
	thread_parsers[lang] = parser;
done:
	*out = parser;
	return error;
}

/* Opening brackets left unclosed at the end, counted without lexing. */
static size_t unclosed_brackets(const char *data, size_t size)
{
	size_t open = 0, close = 0, i;

	for (i = 0; i < size; i++) {
		switch (data[i]) {
		case '(': case '[': case '{':
			open++;
			break;
		case ')': case ']': case '}':
			close++;
			break;
		default:
			break;
		}
	}
	return open > close ? open - close : 0;
}

int wm_syntax_parse(TSTree **out, wm_lang lang, const char *data, size_t size)
{
	const TSLanguage *language;
	TSParser *parser;
	TSTree *tree;
	uint64_t timeout = atomic_load(&timeout_micros);
	int error;

	*out = NULL;
	if ((error = grammar(&language, lang)) < 0)
		goto done;
	if (size > UINT32_MAX) {
		error = wm_error_set(WM_EPARSE,
			"%zu bytes are too many to parse (tree-sitter offsets are 32-bit)", size);
		goto done;
	}
	if (data && unclosed_brackets(data, size) > WM_SYNTAX_MAX_UNCLOSED) {
		error = wm_error_set(WM_EPARSE,
			"more than %d unclosed brackets, which libtree-sitter 0.20.7 cannot parse safely",
			WM_SYNTAX_MAX_UNCLOSED);
		goto done;
	}
	if ((error = thread_parser(&parser, lang, language)) < 0)
		goto done;
	ts_parser_set_timeout_micros(parser, timeout);
	tree = ts_parser_parse_string(parser, NULL, data ? data : "", (uint32_t)size);
	if (!tree) {
		/* Otherwise the next call would resume this parse on other content. */
		ts_parser_reset(parser);
		error = wm_error_set(WM_EPARSE, "parsing as %s took longer than %llu ms",
			wm_lang_name(lang), (unsigned long long)(timeout / 1000));
		goto done;
	}
	*out = tree;
done:
	return error;
}

/*
 * Length of the valid UTF-8 sequence at s, or 0 when it is not one
 * (overlong forms, surrogates and code points past U+10FFFF included).
 */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];
	size_t n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		n = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4;
	else
		return 0;
	if (avail < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	}
	if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xED && s[1] > 0x9F) ||
	    (c == 0xF0 && s[1] < 0x90) || (c == 0xF4 && s[1] > 0x8F))
		return 0;
	return n;
}

wm_pos wm_syntax_pos(const char *data, size_t size, uint32_t offset)
{
	const unsigned char *s = (const unsigned char *)data;
	wm_pos pos = { 1, 1 };
	size_t i = 0, end = offset < size ? offset : size;

	if (!data)
		return pos;
	while (i < end) {
		size_t n;

		if (s[i] == '\n') {
			pos.line++;
			pos.column = 1;
			i++;
			continue;
		}
		if (!(n = utf8_seq_len(s + i, size - i)))
			n = 1;
		/* An offset inside a character points at that character. */
		if (i + n > end)
			break;
		pos.column++;
		i += n;
	}
	return pos;
}

int wm_syntax_walk(TSNode root, int (*visit)(TSNode node, void *payload), void *payload)
{
	TSTreeCursor cursor;
	int error = 0, rc;

	if (ts_node_is_null(root))
		return 0;
	/* The cursor keeps its path on the heap, so depth costs no C stack. */
	cursor = ts_tree_cursor_new(root);
	for (;;) {
		rc = visit(ts_tree_cursor_current_node(&cursor), payload);
		if (rc < 0) {
			error = rc;
			goto done;
		}
		if (rc == 0 && ts_tree_cursor_goto_first_child(&cursor))
			continue;
		/* A cursor made at `root` cannot leave it: goto_parent fails there. */
		while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
			if (!ts_tree_cursor_goto_parent(&cursor))
				goto done;
		}
	}
done:
	ts_tree_cursor_delete(&cursor);
	return error;
}

static bool is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '_' || c == '-' || c == '.' || c == '?' || c == '!';
}

/*
 * libtree-sitter 0.20.7 never returns from ts_query_new on a node with two
 * quantifiers (`(set)**`, `(_)+?`): found by fuzzing the rule loader,
 * where a rule file is untrusted input. Such a query means nothing anyway,
 * so it is refused here, before the library sees it. Strings and comments
 * are skipped; predicate names (`#eq?`) end in a letter before their `?`.
 * @return the offset of the second quantifier, or `len` when there is none
 */
static size_t repeated_quantifier(const char *s, size_t len)
{
	size_t i;
	char prev = 0;              /* the last significant character (a string counts as '"') */
	bool quantified = false;    /* prev was a quantifier */

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c == ';') {
			while (i < len && s[i] != '\n')
				i++;
			continue;
		}
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\' && i + 1 < len)
					i++;
			prev = '"';
			quantified = false;
			continue;
		}
		if (c == '*' || c == '+' || c == '?') {
			/* after a node, a group, a string or `_` it quantifies; `#eq?` is a name */
			if (quantified)
				return i;
			quantified = prev == ')' || prev == ']' || prev == '"' || prev == '_';
			prev = c;
			continue;
		}
		prev = c;
		quantified = false;
	}
	return len;
}

int wm_syntax_query_compile(TSQuery **out, wm_lang lang, const char *source, wm_pos *where)
{
	const TSLanguage *language;
	TSQueryError type = TSQueryErrorNone;
	TSQuery *query;
	uint32_t offset = 0;
	size_t len, word_len = 0;
	const char *what, *word;
	int error;

	*out = NULL;
	where->line = where->column = 0;
	if ((error = grammar(&language, lang)) < 0)
		goto done;
	len = source ? strlen(source) : 0;
	if (len > UINT32_MAX) {
		error = wm_error_set(WM_EPARSE, "query too large");
		goto done;
	}
	if ((offset = (uint32_t)repeated_quantifier(source ? source : "", len)) < len) {
		*where = wm_syntax_pos(source, len, offset);
		error = wm_error_set(WM_EPARSE, "a second quantifier on one node");
		goto done;
	}
	offset = 0;
	query = ts_query_new(language, source ? source : "", (uint32_t)len, &offset, &type);
	if (query) {
		*out = query;
		goto done;
	}

	switch (type) {
	case TSQueryErrorNodeType: what = "unknown node type"; break;
	case TSQueryErrorField: what = "unknown field"; break;
	case TSQueryErrorCapture: what = "unknown capture"; break;
	case TSQueryErrorStructure: what = "impossible pattern"; break;
	case TSQueryErrorLanguage: what = "grammar ABI not supported"; break;
	case TSQueryErrorSyntax: what = "invalid syntax"; break;
	default: what = "invalid query"; break;
	}
	if (offset > len)
		offset = (uint32_t)len;
	word = source ? source + offset : "";
	if (type == TSQueryErrorNodeType || type == TSQueryErrorField || type == TSQueryErrorCapture) {
		if (*word == '@' || *word == '"')
			word++;
		while (word[word_len] && is_word_char(word[word_len]) && word_len < 64)
			word_len++;
	}
	*where = wm_syntax_pos(source, len, offset);
	if (word_len)
		error = wm_error_set(WM_EPARSE, "%s \"%.*s\" for %s", what, (int)word_len, word,
			wm_lang_name(lang));
	else
		error = wm_error_set(WM_EPARSE, "%s", what);
done:
	return error;
}

int wm_syntax_query_new(TSQuery **out, wm_lang lang, const char *source,
	const char *name, uint32_t line_offset)
{
	wm_pos where;
	char *msg;
	int error;

	if ((error = wm_syntax_query_compile(out, lang, source, &where)) != WM_EPARSE)
		return error;
	if (!name)
		name = "<query>";
	if (!(msg = wm_strdup(wm_error_last())))
		return WM_ENOMEM;
	/* line_offset is the file line of the query's first line. */
	if (where.line)
		error = wm_error_set(WM_EPARSE, "%s:%u:%u: %s", name,
			where.line + (line_offset ? line_offset - 1 : 0), where.column, msg);
	else
		error = wm_error_set(WM_EPARSE, "%s: %s", name, msg);
	wm_free(msg);
	return error;
}
