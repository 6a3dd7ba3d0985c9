/*
 * antibody.c - the rule store: loading antibody files, applying them, testing them.
 *
 * A rule file is YAML read with libyaml's document loader, so every key and
 * value keeps its line and column and every error names the place in the
 * file. The format is a deliberately small cousin of ast-grep's: one
 * matcher grammar (pattern, kind, regex, query at the top, any/all,
 * inside/has/not with stop_by) used both for the rule and for the
 * constraints on its captures. Unknown keys are errors, because a misspelt
 * `not:` that is silently ignored turns a rule into a false alarm.
 *
 * A rule is compiled once per language it names; a rule that does not load
 * (bad YAML, unknown key, a pattern that does not parse, a bad regex) is
 * recorded as an error with its position and skipped, and loading goes on.
 *
 * Applying a set to a file walks the tree once per rule with a cursor. Each
 * rule pre-computes the node kinds it can start on (its pattern's root, its
 * kind, or the union of its alternatives), so most nodes cost one symbol
 * compare. Relations climb with ts_node_parent (linear in depth in
 * tree-sitter 0.20) or walk the subtree with a cursor, never recursing on
 * the target.
 *
 * Overlapping fixes in one file are settled here, deterministically: the
 * most severe rule first, then by id, then by position. A losing match
 * keeps its finding and names the rule whose fix won, so the user knows
 * why no fix was offered.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/config.h"
#include "wm/error.h"
#include "wm/pattern.h"
#include "wm/world.h"

/* Nesting of matchers in one rule (any/all/inside/has/not). */
#define MAX_MATCHER_DEPTH 16
/* Node kinds a rule may be filtered on before it counts as "any node". */
#define MAX_FILTER 8
/* A rule file larger than this is refused. */
#define MAX_RULE_FILE (1u << 20)

typedef struct matcher matcher;

struct matcher {
	wm_pattern *pattern;
	const char *kind;        /* node type name (static, from the grammar) */
	TSSymbol kind_symbol;
	regex_t regex;
	bool has_regex;
	matcher *inside, *has, *not_;
	bool stop_end;           /* as the target of inside/has: any depth, not only the neighbour */
	matcher *any;
	size_t nany;
	matcher *all;
	size_t nall;
};

typedef struct constraint {
	char *name;
	matcher m;
} constraint;

typedef struct fix_test {
	char *before, *after;
	uint32_t line;
} fix_test;

typedef struct rule {
	wm_antibody_info info;
	char *id, *message, *note, *fix, *file;
	matcher m;
	TSQuery *query;
	uint32_t query_match;    /* capture index of @match, or UINT32_MAX */
	constraint *constraints;
	size_t nconstraints;
	TSSymbol filter[MAX_FILTER];
	size_t nfilter;          /* 0: every node */
	char **match, **no_match;
	uint32_t *match_line, *no_match_line;
	size_t nmatch, nno_match;
	fix_test *fixes;
	size_t nfixes;
} rule;

struct wm_antibodies {
	rule **rules;
	size_t count, alloc;
	wm_antibody_error *errors;
	size_t nerrors;
};

/* --- freeing -------------------------------------------------------------- */

static void matcher_clear(matcher *m)
{
	size_t i;

	wm_pattern_free(m->pattern);
	if (m->has_regex)
		regfree(&m->regex);
	if (m->inside)
		matcher_clear(m->inside);
	if (m->has)
		matcher_clear(m->has);
	if (m->not_)
		matcher_clear(m->not_);
	wm_free(m->inside);
	wm_free(m->has);
	wm_free(m->not_);
	for (i = 0; i < m->nany; i++)
		matcher_clear(&m->any[i]);
	for (i = 0; i < m->nall; i++)
		matcher_clear(&m->all[i]);
	wm_free(m->any);
	wm_free(m->all);
	memset(m, 0, sizeof(*m));
}

static void strings_free(char **s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		wm_free(s[i]);
	wm_free(s);
}

static void rule_free(rule *r)
{
	size_t i;

	if (!r)
		return;
	matcher_clear(&r->m);
	if (r->query)
		ts_query_delete(r->query);
	for (i = 0; i < r->nconstraints; i++) {
		wm_free(r->constraints[i].name);
		matcher_clear(&r->constraints[i].m);
	}
	wm_free(r->constraints);
	strings_free(r->match, r->nmatch);
	strings_free(r->no_match, r->nno_match);
	wm_free(r->match_line);
	wm_free(r->no_match_line);
	for (i = 0; i < r->nfixes; i++) {
		wm_free(r->fixes[i].before);
		wm_free(r->fixes[i].after);
	}
	wm_free(r->fixes);
	wm_free(r->id);
	wm_free(r->message);
	wm_free(r->note);
	wm_free(r->fix);
	wm_free(r->file);
	wm_free(r);
}

int wm_antibodies_new(wm_antibodies **out)
{
	*out = wm_calloc(1, sizeof(**out));
	return *out ? 0 : WM_ENOMEM;
}

void wm_antibodies_free(wm_antibodies *set)
{
	size_t i;

	if (!set)
		return;
	for (i = 0; i < set->count; i++)
		rule_free(set->rules[i]);
	wm_free(set->rules);
	for (i = 0; i < set->nerrors; i++) {
		wm_free(set->errors[i].file);
		wm_free(set->errors[i].message);
	}
	wm_free(set->errors);
	wm_free(set);
}

size_t wm_antibodies_count(const wm_antibodies *set)
{
	return set->count;
}

const wm_antibody_info *wm_antibodies_info(const wm_antibodies *set, size_t i)
{
	return i < set->count ? &set->rules[i]->info : NULL;
}

size_t wm_antibodies_error_count(const wm_antibodies *set)
{
	return set->nerrors;
}

const wm_antibody_error *wm_antibodies_error(const wm_antibodies *set, size_t i)
{
	return i < set->nerrors ? &set->errors[i] : NULL;
}

bool wm_antibodies_disable(wm_antibodies *set, const char *id)
{
	size_t i, j = 0;
	bool dropped = false;

	for (i = 0; i < set->count; i++) {
		if (!strcmp(set->rules[i]->id, id)) {
			rule_free(set->rules[i]);
			dropped = true;
		} else {
			set->rules[j++] = set->rules[i];
		}
	}
	set->count = j;
	return dropped;
}

/* --- loading ------------------------------------------------------------ */

typedef struct loader {
	wm_antibodies *set;
	const char *file;
	const char *data;
	size_t size;
	yaml_document_t *doc;
	wm_lang lang;            /* language the rule is being compiled for */
	bool failed;             /* an error was recorded for the current rule */
} loader;

static int add_error(wm_antibodies *set, const char *file, uint32_t line, uint32_t column,
	const char *message)
{
	wm_antibody_error *grown = wm_reallocarray(set->errors, set->nerrors + 1, sizeof(*grown));
	wm_antibody_error *e;

	if (!grown)
		return WM_ENOMEM;
	set->errors = grown;
	e = &set->errors[set->nerrors];
	e->file = wm_strdup(file);
	e->message = wm_strdup(message);
	e->line = line;
	e->column = column;
	if (!e->file || !e->message) {
		wm_free(e->file);
		wm_free(e->message);
		return WM_ENOMEM;
	}
	set->nerrors++;
	return 0;
}

static int fail_at(loader *l, uint32_t line, uint32_t column, const char *fmt, ...) WM_PRINTF(4, 5);

/* Record an error of the current rule; returns WM_EPARSE (or WM_ENOMEM). */
static int fail_at(loader *l, uint32_t line, uint32_t column, const char *fmt, ...)
{
	wm_buf msg = WM_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = wm_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (!error)
		error = add_error(l->set, l->file, line, column, msg.ptr);
	wm_buf_dispose(&msg);
	l->failed = true;
	return error < 0 ? error : WM_EPARSE;
}

#define FAIL(l, node, ...) \
	fail_at((l), (uint32_t)(node)->start_mark.line + 1, (uint32_t)(node)->start_mark.column + 1, __VA_ARGS__)

static const char *scalar(const yaml_node_t *n)
{
	return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *node_at(loader *l, int id)
{
	return yaml_document_get_node(l->doc, id);
}

static int want_string(const char **out, loader *l, yaml_node_t *n, const char *key)
{
	if (!(*out = scalar(n)))
		return FAIL(l, n, "`%s` must be a string", key);
	if (strlen(*out) != n->data.scalar.length)
		return FAIL(l, n, "`%s` contains a NUL character", key);
	return 0;
}

/* Check the keys of a mapping against a NULL-terminated list. */
static int check_keys(loader *l, yaml_node_t *map, const char *const *allowed, const char *what)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return FAIL(l, map, "%s must be a mapping", what);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(l, p->key);
		const char *name = scalar(k);
		size_t i;
		bool ok = false;

		for (i = 0; name && allowed[i]; i++)
			if (!strcmp(allowed[i], name))
				ok = true;
		if (!ok) {
			wm_buf list = WM_BUF_INIT;
			int error;

			for (i = 0; allowed[i]; i++)
				wm_buf_printf(&list, "%s%s", i ? ", " : "", allowed[i]);
			error = FAIL(l, k, "unknown key \"%s\" in %s (expected one of: %s)",
				name ? name : "?", what, list.ptr ? list.ptr : "");
			wm_buf_dispose(&list);
			return error;
		}
	}
	return 0;
}

static yaml_node_t *get(loader *l, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		const char *name = scalar(node_at(l, p->key));

		if (name && !strcmp(name, key))
			return node_at(l, p->value);
	}
	return NULL;
}

/*
 * Where byte `off` of a scalar's value lies in the file. Plain and quoted
 * scalars start at their mark; block scalars (`|`) start on the next line
 * at the block's indentation, which is read from the file.
 */
static void scalar_pos(loader *l, const yaml_node_t *n, size_t off, uint32_t *line, uint32_t *col)
{
	const char *v = (const char *)n->data.scalar.value;
	uint32_t ln = (uint32_t)n->start_mark.line + 1, c = (uint32_t)n->start_mark.column + 1;
	size_t i;
	uint32_t indent = 0;
	bool block = n->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ||
		n->data.scalar.style == YAML_FOLDED_SCALAR_STYLE;

	if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		c++;
	if (block) {
		size_t p = n->start_mark.index;

		while (p < l->size && l->data[p] != '\n')
			p++;
		for (p++; p < l->size && l->data[p] == ' '; p++)
			indent++;
		ln++;
		c = indent + 1;
	}
	for (i = 0; i < off && v[i]; i++) {
		if (v[i] == '\n') {
			ln++;
			c = block ? indent + 1 : 1;
		} else if (((unsigned char)v[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = ln;
	*col = c;
}

static int load_matcher(loader *l, matcher *m, yaml_node_t *n, int depth, bool top);

static const char *const matcher_keys[] = {
	"pattern", "kind", "regex", "inside", "has", "not", "any", "all", "stop_by", NULL
};

static int load_matcher_list(loader *l, matcher **out, size_t *count, yaml_node_t *n,
	const char *key, int depth)
{
	yaml_node_item_t *it;
	size_t i = 0, len;
	int error;

	if (n->type != YAML_SEQUENCE_NODE)
		return FAIL(l, n, "`%s` must be a list of rules", key);
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (len == 0)
		return FAIL(l, n, "`%s` must not be empty", key);
	if (!(*out = wm_calloc(len, sizeof(**out))))
		return WM_ENOMEM;
	*count = len;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++, i++)
		if ((error = load_matcher(l, &(*out)[i], node_at(l, *it), depth + 1, false)) < 0)
			return error;
	return 0;
}

static int load_relation(loader *l, matcher **out, yaml_node_t *n, int depth)
{
	if (!(*out = wm_calloc(1, sizeof(**out))))
		return WM_ENOMEM;
	return load_matcher(l, *out, n, depth + 1, false);
}

static int load_matcher(loader *l, matcher *m, yaml_node_t *n, int depth, bool top)
{
	const TSLanguage *lang = wm_syntax_language(l->lang);
	yaml_node_t *v;
	const char *s;
	int error;
	bool any_key = false;

	if (depth > MAX_MATCHER_DEPTH)
		return FAIL(l, n, "rules nest deeper than %d levels", MAX_MATCHER_DEPTH);
	if (!top && (error = check_keys(l, n, matcher_keys, "a rule")) < 0)
		return error;
	if ((v = get(l, n, "pattern"))) {
		size_t off = 0;

		if ((error = want_string(&s, l, v, "pattern")) < 0)
			return error;
		if ((error = wm_pattern_compile(&m->pattern, &off, l->lang, s)) < 0) {
			uint32_t line, col;

			if (error != WM_EPARSE)
				return error;
			scalar_pos(l, v, off, &line, &col);
			return fail_at(l, line, col, "%s", wm_error_last());
		}
		any_key = true;
	}
	if ((v = get(l, n, "kind"))) {
		if ((error = want_string(&s, l, v, "kind")) < 0)
			return error;
		m->kind_symbol = ts_language_symbol_for_name(lang, s, (uint32_t)strlen(s), true);
		if (!m->kind_symbol)
			return FAIL(l, v, "unknown node kind \"%s\" in %s", s, wm_lang_name(l->lang));
		m->kind = ts_language_symbol_name(lang, m->kind_symbol);
		any_key = true;
	}
	if ((v = get(l, n, "regex"))) {
		char buf[256];

		if ((error = want_string(&s, l, v, "regex")) < 0)
			return error;
		if ((error = regcomp(&m->regex, s, REG_EXTENDED | REG_NOSUB)) != 0) {
			regerror(error, &m->regex, buf, sizeof(buf));
			return FAIL(l, v, "bad regex: %s", buf);
		}
		m->has_regex = true;
		any_key = true;
	}
	if ((v = get(l, n, "stop_by"))) {
		if (!(s = scalar(v)) || (strcmp(s, "end") && strcmp(s, "neighbor")))
			return FAIL(l, v, "`stop_by` must be \"neighbor\" or \"end\"");
		m->stop_end = !strcmp(s, "end");
	}
	if ((v = get(l, n, "any"))) {
		if ((error = load_matcher_list(l, &m->any, &m->nany, v, "any", depth)) < 0)
			return error;
		any_key = true;
	}
	if ((v = get(l, n, "all"))) {
		if ((error = load_matcher_list(l, &m->all, &m->nall, v, "all", depth)) < 0)
			return error;
		any_key = true;
	}
	if ((v = get(l, n, "inside")) && (error = load_relation(l, &m->inside, v, depth)) < 0)
		return error;
	if ((v = get(l, n, "has")) && (error = load_relation(l, &m->has, v, depth)) < 0)
		return error;
	if ((v = get(l, n, "not")) && (error = load_relation(l, &m->not_, v, depth)) < 0)
		return error;
	if (!top && !any_key && !m->inside && !m->has && !m->not_)
		return FAIL(l, n, "a rule needs one of pattern, kind, regex, any, all, inside, has, not");
	return 0;
}

/* The node kinds a matcher can match, or 0 when it may match any node. */
static size_t matcher_filter(const matcher *m, TSSymbol *out, size_t have)
{
	size_t i, n = have;
	TSSymbol sym;

	if (m->pattern && wm_pattern_root_symbol(m->pattern, &sym))
		return n < MAX_FILTER ? (out[n] = sym, n + 1) : 0;
	if (m->kind)
		return n < MAX_FILTER ? (out[n] = m->kind_symbol, n + 1) : 0;
	if (m->nany) {
		for (i = 0; i < m->nany; i++)
			if (!(n = matcher_filter(&m->any[i], out, n)))
				return 0;
		return n;
	}
	for (i = 0; i < m->nall; i++) {
		size_t k = matcher_filter(&m->all[i], out, have);

		if (k)
			return k;
	}
	return 0;
}

static int load_strings(loader *l, char ***out, uint32_t **lines, size_t *count, yaml_node_t *n,
	const char *key)
{
	yaml_node_item_t *it;
	size_t len, i = 0;

	if (n->type != YAML_SEQUENCE_NODE)
		return FAIL(l, n, "`tests.%s` must be a list of code snippets", key);
	len = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (!(*out = wm_calloc(len ? len : 1, sizeof(**out))) ||
	    !(*lines = wm_calloc(len ? len : 1, sizeof(**lines))))
		return WM_ENOMEM;
	for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
		yaml_node_t *v = node_at(l, *it);
		const char *s;
		int error;

		if ((error = want_string(&s, l, v, key)) < 0)
			return error;
		if (!((*out)[i] = wm_strdup(s)))
			return WM_ENOMEM;
		(*lines)[i++] = (uint32_t)v->start_mark.line + 1;
		*count = i;
	}
	return 0;
}

static int load_tests(loader *l, rule *r, yaml_node_t *n)
{
	static const char *const keys[] = { "match", "no_match", "fix", NULL };
	static const char *const fix_keys[] = { "before", "after", NULL };
	yaml_node_t *v;
	yaml_node_item_t *it;
	int error;

	if ((error = check_keys(l, n, keys, "tests")) < 0)
		return error;
	if ((v = get(l, n, "match")) &&
	    (error = load_strings(l, &r->match, &r->match_line, &r->nmatch, v, "match")) < 0)
		return error;
	if ((v = get(l, n, "no_match")) &&
	    (error = load_strings(l, &r->no_match, &r->no_match_line, &r->nno_match, v, "no_match")) < 0)
		return error;
	if ((v = get(l, n, "fix"))) {
		size_t len;

		if (v->type != YAML_SEQUENCE_NODE)
			return FAIL(l, v, "`tests.fix` must be a list of {before, after}");
		len = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		if (!(r->fixes = wm_calloc(len ? len : 1, sizeof(*r->fixes))))
			return WM_ENOMEM;
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *t = node_at(l, *it), *b, *a;
			const char *bs, *as;
			fix_test *ft = &r->fixes[r->nfixes];

			if ((error = check_keys(l, t, fix_keys, "a fix test")) < 0)
				return error;
			if (!(b = get(l, t, "before")) || !(a = get(l, t, "after")))
				return FAIL(l, t, "a fix test needs `before` and `after`");
			if ((error = want_string(&bs, l, b, "before")) < 0 ||
			    (error = want_string(&as, l, a, "after")) < 0)
				return error;
			if (!(ft->before = wm_strdup(bs)) || !(ft->after = wm_strdup(as))) {
				wm_free(ft->before);
				return WM_ENOMEM;
			}
			ft->line = (uint32_t)t->start_mark.line + 1;
			r->nfixes++;
		}
	}
	if (r->fix == NULL && r->nfixes)
		return FAIL(l, n, "fix tests given but the rule has no `fix`");
	return 0;
}

static int load_query(loader *l, rule *r, yaml_node_t *v)
{
	const char *s;
	uint32_t i, n, line, col;
	wm_pos where;
	int error;

	if ((error = want_string(&s, l, v, "query")) < 0)
		return error;
	scalar_pos(l, v, 0, &line, &col);
	if ((error = wm_syntax_query_compile(&r->query, l->lang, s, &where)) < 0) {
		if (error != WM_EPARSE)
			return error;
		if (!where.line)
			return fail_at(l, line, col, "%s", wm_error_last());
		/* The exact place in the file: the query's own line and column, past the value's indentation. */
		return fail_at(l, line + where.line - 1, where.column + (col > 0 ? col - 1 : 0), "%s",
			wm_error_last());
	}
	r->query_match = UINT32_MAX;
	n = ts_query_capture_count(r->query);
	if (n == 0)
		return FAIL(l, v, "a query needs at least one capture (@match marks the finding)");
	for (i = 0; i < n; i++) {
		uint32_t len;
		const char *name = ts_query_capture_name_for_id(r->query, i, &len);

		if (len == 5 && !memcmp(name, "match", 5))
			r->query_match = i;
	}
	for (i = 0; i < ts_query_pattern_count(r->query); i++) {
		uint32_t steps;

		ts_query_predicates_for_pattern(r->query, i, &steps);
		if (steps)
			return FAIL(l, v, "query predicates (#eq?, #match?) are not supported; use `constraints`");
	}
	return 0;
}

static const char *const rule_keys[] = {
	"id", "language", "severity", "message", "note", "pattern", "query", "kind", "regex",
	"inside", "has", "not", "any", "all", "constraints", "fix", "provenance", "tests", NULL
};

static bool valid_id(const char *s)
{
	size_t i;

	if (!*s || strlen(s) > 64)
		return false;
	for (i = 0; s[i]; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
		      s[i] == '_' || s[i] == '.'))
			return false;
	return true;
}

static int load_provenance(loader *l, rule *r, yaml_node_t *v, bool builtin)
{
	static const char *const keys[] = { "source", "commits", "note", NULL };
	yaml_node_t *src;
	const char *s;
	int error;

	r->info.provenance = builtin ? "built-in" : "authored";
	if (!v)
		return 0;
	if ((error = check_keys(l, v, keys, "provenance")) < 0)
		return error;
	if ((src = get(l, v, "source"))) {
		if (!(s = scalar(src)) ||
		    (strcmp(s, "built-in") && strcmp(s, "authored") && strcmp(s, "learned")))
			return FAIL(l, src, "`provenance.source` must be built-in, authored or learned");
		r->info.provenance = !strcmp(s, "built-in") ? "built-in" :
			!strcmp(s, "learned") ? "learned" : "authored";
	}
	if ((src = get(l, v, "commits")) && src->type != YAML_SEQUENCE_NODE)
		return FAIL(l, src, "`provenance.commits` must be a list of commit ids");
	return 0;
}

static int add_rule(wm_antibodies *set, rule *r)
{
	size_t i;

	/* The same id in the same language replaces the earlier rule: overrides. */
	for (i = 0; i < set->count; i++) {
		if (!strcmp(set->rules[i]->id, r->id) && set->rules[i]->info.lang == r->info.lang) {
			rule_free(set->rules[i]);
			set->rules[i] = r;
			return 0;
		}
	}
	if (set->count == set->alloc) {
		size_t a = set->alloc ? set->alloc * 2 : 32;
		rule **grown = wm_reallocarray(set->rules, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		set->rules = grown;
		set->alloc = a;
	}
	set->rules[set->count++] = r;
	return 0;
}

/* Compile one rule document for one language. */
static int load_rule_lang(loader *l, yaml_node_t *root, bool builtin)
{
	rule *r = NULL;
	yaml_node_t *v;
	const char *s;
	int error;

	if (!(r = wm_calloc(1, sizeof(*r))))
		return WM_ENOMEM;
	r->info.lang = l->lang;
	r->info.builtin = builtin;
	r->info.line = (uint32_t)root->start_mark.line + 1;
	if (!(r->file = wm_strdup(l->file))) {
		error = WM_ENOMEM;
		goto done;
	}
	r->info.file = r->file;
	s = scalar(get(l, root, "id"));
	if (!(r->id = wm_strdup(s))) {
		error = WM_ENOMEM;
		goto done;
	}
	r->info.id = r->id;
	r->info.severity = WM_SEV_WARNING;
	if ((v = get(l, root, "severity")) &&
	    (!(s = scalar(v)) || wm_severity_parse(&r->info.severity, s) < 0 ||
	     r->info.severity == WM_SEV_NONE)) {
		error = FAIL(l, v, "`severity` must be info, warning, error or critical");
		goto done;
	}
	if (!(v = get(l, root, "message"))) {
		error = FAIL(l, root, "rule \"%s\" has no `message`", r->id);
		goto done;
	}
	if ((error = want_string(&s, l, v, "message")) < 0)
		goto done;
	if (!(r->message = wm_strdup(s))) {
		error = WM_ENOMEM;
		goto done;
	}
	r->info.message = r->message;
	if ((v = get(l, root, "note"))) {
		if ((error = want_string(&s, l, v, "note")) < 0)
			goto done;
		if (!(r->note = wm_strdup(s))) {
			error = WM_ENOMEM;
			goto done;
		}
		r->info.note = r->note;
	}
	if ((v = get(l, root, "fix"))) {
		if ((error = want_string(&s, l, v, "fix")) < 0)
			goto done;
		if (!(r->fix = wm_strdup(s))) {
			error = WM_ENOMEM;
			goto done;
		}
		r->info.fix = r->fix;
	}
	if ((error = load_provenance(l, r, get(l, root, "provenance"), builtin)) < 0)
		goto done;

	if ((v = get(l, root, "query"))) {
		if (get(l, root, "pattern") || get(l, root, "kind") || get(l, root, "any") ||
		    get(l, root, "all") || get(l, root, "inside") || get(l, root, "has") ||
		    get(l, root, "not") || get(l, root, "regex")) {
			error = FAIL(l, v, "`query` cannot be combined with pattern, kind, regex or relations "
				"(use `constraints` on its captures)");
			goto done;
		}
		if ((error = load_query(l, r, v)) < 0)
			goto done;
	} else {
		if ((error = load_matcher(l, &r->m, root, 0, true)) < 0)
			goto done;
		if (!r->m.pattern && !r->m.kind && !r->m.nany && !r->m.nall) {
			error = FAIL(l, root, "rule \"%s\" needs a `pattern`, `kind`, `any`, `all` or `query`", r->id);
			goto done;
		}
		r->nfilter = matcher_filter(&r->m, r->filter, 0);
	}
	if ((v = get(l, root, "constraints"))) {
		yaml_node_pair_t *p;
		size_t n;

		if (v->type != YAML_MAPPING_NODE) {
			error = FAIL(l, v, "`constraints` must map capture names to rules");
			goto done;
		}
		n = (size_t)(v->data.mapping.pairs.top - v->data.mapping.pairs.start);
		if (!(r->constraints = wm_calloc(n ? n : 1, sizeof(*r->constraints)))) {
			error = WM_ENOMEM;
			goto done;
		}
		for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
			constraint *c = &r->constraints[r->nconstraints];
			yaml_node_t *k = node_at(l, p->key);

			if (!(s = scalar(k))) {
				error = FAIL(l, k, "a constraint is named by a capture");
				goto done;
			}
			if (!(c->name = wm_strdup(s[0] == '$' ? s + 1 : s))) {
				error = WM_ENOMEM;
				goto done;
			}
			r->nconstraints++;
			if ((error = load_matcher(l, &c->m, node_at(l, p->value), 1, false)) < 0)
				goto done;
		}
	}
	if ((v = get(l, root, "tests")) && (error = load_tests(l, r, v)) < 0)
		goto done;
	r->info.tests_match = r->nmatch;
	r->info.tests_no_match = r->nno_match;
	r->info.tests_fix = r->nfixes;
	error = add_rule(l->set, r);
	r = NULL;
done:
	rule_free(r);
	return error;
}

/* One YAML document: a rule, possibly for several languages. */
static int load_document(loader *l, yaml_node_t *root, bool builtin)
{
	yaml_node_t *id, *langs;
	wm_lang list[WM_LANG__COUNT];
	size_t n = 0, i;
	const char *s;
	int error;

	if ((error = check_keys(l, root, rule_keys, "a rule")) < 0)
		return error;
	if (!(id = get(l, root, "id")) || !(s = scalar(id)))
		return FAIL(l, root, "a rule needs an `id`");
	if (!valid_id(s))
		return FAIL(l, id, "rule id \"%s\" must be lower case letters, digits, '-', '_' or '.'", s);
	if (!(langs = get(l, root, "language")))
		return FAIL(l, root, "rule \"%s\" needs a `language`", s);
	if (langs->type == YAML_SCALAR_NODE) {
		if ((list[0] = wm_lang_from_name(scalar(langs))) == WM_LANG_NONE)
			return FAIL(l, langs, "unknown language \"%s\"", scalar(langs));
		n = 1;
	} else if (langs->type == YAML_SEQUENCE_NODE) {
		yaml_node_item_t *it;

		for (it = langs->data.sequence.items.start; it < langs->data.sequence.items.top; it++) {
			yaml_node_t *ln = node_at(l, *it);

			if (n == WM_LANG__COUNT || (list[n] = wm_lang_from_name(scalar(ln))) == WM_LANG_NONE)
				return FAIL(l, ln, "unknown language \"%s\"", scalar(ln) ? scalar(ln) : "?");
			n++;
		}
	}
	if (n == 0)
		return FAIL(l, langs, "`language` must be a language name or a list of them");
	for (i = 0; i < n; i++) {
		l->lang = list[i];
		if ((error = load_rule_lang(l, root, builtin)) < 0)
			return error;
	}
	return 0;
}

int wm_antibodies_load(wm_antibodies *set, const char *name, const char *data, size_t size,
	bool builtin)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	loader l;
	bool have_doc = false;
	int error = 0;

	memset(&l, 0, sizeof(l));
	l.set = set;
	l.file = name;
	l.data = data;
	l.size = size;
	if (size > MAX_RULE_FILE)
		return add_error(set, name, 1, 1, "rule file larger than 1 MiB");
	if (!yaml_parser_initialize(&parser))
		return WM_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
	for (;;) {
		yaml_node_t *root;

		if (!yaml_parser_load(&parser, &doc)) {
			char msg[512];

			snprintf(msg, sizeof(msg), "invalid YAML: %s%s%s", parser.problem ? parser.problem : "error",
				parser.context ? " " : "", parser.context ? parser.context : "");
			error = add_error(set, name, (uint32_t)parser.problem_mark.line + 1,
				(uint32_t)parser.problem_mark.column + 1, msg);
			break;
		}
		have_doc = true;
		l.doc = &doc;
		if (!(root = yaml_document_get_root_node(&doc)))
			break; /* end of the stream */
		l.failed = false;
		error = load_document(&l, root, builtin);
		yaml_document_delete(&doc);
		have_doc = false;
		/* A broken rule was recorded; the next document still loads. */
		if (error == WM_EPARSE)
			error = 0;
		if (error < 0)
			break;
	}
	if (have_doc)
		yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return error;
}

int wm_antibodies_load_builtin(wm_antibodies *set)
{
	const wm_antibody_source *src;
	size_t n, i;
	int error;

	src = wm_antibodies_builtin(&n);
	for (i = 0; i < n; i++)
		if ((error = wm_antibodies_load(set, src[i].name, src[i].data, src[i].size, true)) < 0)
			return error;
	return 0;
}

/* --- matching ----------------------------------------------------------- */

typedef struct mstate {
	const char *src;
	wm_captures *caps;
	wm_buf scratch;
} mstate;

static int match(const matcher *m, TSNode node, mstate *st, int depth);

static int regex_ok(const regex_t *re, mstate *st, uint32_t s, uint32_t e)
{
	wm_buf_clear(&st->scratch);
	if (wm_buf_put(&st->scratch, st->src + s, e - s) < 0 || wm_buf_putc(&st->scratch, '\0') < 0)
		return WM_ENOMEM;
	return regexec(re, st->scratch.ptr, 0, NULL, 0) == 0;
}

static bool is_kind(const matcher *m, TSNode n)
{
	return ts_node_symbol(n) == m->kind_symbol || !strcmp(ts_node_type(n), m->kind);
}

/* `has`: a child (neighbor) or any descendant (end) matches. */
static int match_has(const matcher *m, TSNode node, mstate *st, int depth)
{
	TSTreeCursor c = ts_tree_cursor_new(node);
	int rc = 0;

	if (!ts_tree_cursor_goto_first_child(&c))
		goto done;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);

		if (ts_node_is_named(n) && !ts_node_is_extra(n) &&
		    (rc = match(m, n, st, depth + 1)) != 0)
			goto done;
		if (m->stop_end && ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!m->stop_end || !ts_tree_cursor_goto_parent(&c) ||
			    ts_node_eq(ts_tree_cursor_current_node(&c), node))
				goto done;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	return rc;
}

static int match(const matcher *m, TSNode node, mstate *st, int depth)
{
	size_t mark = st->caps->count, i;
	int rc = 1;

	if (depth > MAX_MATCHER_DEPTH * 2)
		return 0;
	if (m->kind && !is_kind(m, node))
		return 0;
	if (m->pattern && (rc = wm_pattern_match(m->pattern, node, st->src, st->caps)) <= 0)
		goto done;
	if (m->has_regex &&
	    (rc = regex_ok(&m->regex, st, ts_node_start_byte(node), ts_node_end_byte(node))) <= 0)
		goto done;
	if (m->nany) {
		for (i = 0; i < m->nany; i++)
			if ((rc = match(&m->any[i], node, st, depth + 1)) != 0)
				break;
		if (rc <= 0)
			goto done;
	}
	for (i = 0; i < m->nall; i++)
		if ((rc = match(&m->all[i], node, st, depth + 1)) <= 0)
			goto done;
	if (m->inside) {
		TSNode up = ts_node_parent(node);

		rc = 0;
		while (!ts_node_is_null(up)) {
			if ((rc = match(m->inside, up, st, depth + 1)) != 0 || !m->inside->stop_end)
				break;
			up = ts_node_parent(up);
		}
		if (rc <= 0)
			goto done;
	}
	if (m->has && (rc = match_has(m->has, node, st, depth)) <= 0)
		goto done;
	if (m->not_) {
		size_t before = st->caps->count;

		rc = match(m->not_, node, st, depth + 1);
		wm_captures_truncate(st->caps, before);
		if (rc < 0)
			goto done;
		rc = !rc;
	}
done:
	if (rc <= 0)
		wm_captures_truncate(st->caps, mark);
	return rc;
}

/* Constraints on captures: every constrained capture must be bound and pass. */
static int constraints_ok(const rule *r, mstate *st)
{
	size_t i;
	int rc;

	for (i = 0; i < r->nconstraints; i++) {
		const constraint *c = &r->constraints[i];
		const wm_capture *cap = wm_captures_get(st->caps, c->name, strlen(c->name));

		if (!cap)
			return 0;
		if (cap->count == 1 && !ts_node_is_null(cap->node)) {
			if ((rc = match(&c->m, cap->node, st, 1)) <= 0)
				return rc;
		} else if (c->m.has_regex) {
			/* Several nodes (or none): only their text can be judged. */
			if ((rc = regex_ok(&c->m.regex, st, cap->start_byte, cap->end_byte)) <= 0)
				return rc;
		} else {
			return 0;
		}
	}
	return 1;
}

typedef struct scan_ctx {
	const wm_antibodies *set;
	size_t rule;
	wm_antibody_matches *out;
	mstate st;
} scan_ctx;

static int add_match(scan_ctx *sc, TSNode node, uint32_t s, uint32_t e)
{
	const rule *r = sc->set->rules[sc->rule];
	wm_antibody_matches *out = sc->out;
	wm_antibody_match *m;
	wm_buf msg = WM_BUF_INIT, fix = WM_BUF_INIT;
	int error;

	(void)node;
	if ((error = wm_pattern_expand(&msg, r->message, sc->st.caps, sc->st.src, s, WM_EXPAND_MESSAGE)) < 0)
		goto done;
	if (r->fix && (error = wm_pattern_expand(&fix, r->fix, sc->st.caps, sc->st.src, s, WM_EXPAND_CODE)) < 0)
		goto done;
	if (out->count == out->alloc) {
		size_t a = out->alloc ? out->alloc * 2 : 16;
		wm_antibody_match *grown = wm_reallocarray(out->items, a, sizeof(*grown));

		if (!grown) {
			error = WM_ENOMEM;
			goto done;
		}
		out->items = grown;
		out->alloc = a;
	}
	m = &out->items[out->count++];
	memset(m, 0, sizeof(*m));
	m->rule = sc->rule;
	m->start_byte = s;
	m->end_byte = e;
	m->message = wm_buf_detach(&msg);
	if (!m->message)
		m->message = wm_strdup("");
	if (r->fix)
		m->fix = fix.ptr ? wm_buf_detach(&fix) : wm_strdup("");
	if (!m->message || (r->fix && !m->fix))
		error = WM_ENOMEM;
done:
	wm_buf_dispose(&msg);
	wm_buf_dispose(&fix);
	return error;
}

static int scan_query(scan_ctx *sc, const rule *r, TSNode root)
{
	TSQueryCursor *qc = ts_query_cursor_new();
	TSQueryMatch qm;
	int error = 0, rc;

	if (!qc)
		return WM_ENOMEM;
	ts_query_cursor_exec(qc, r->query, root);
	while (ts_query_cursor_next_match(qc, &qm)) {
		TSNode at = qm.captures[0].node;
		uint16_t i;

		sc->st.caps->count = 0;
		for (i = 0; i < qm.capture_count; i++) {
			uint32_t len;
			const char *name = ts_query_capture_name_for_id(r->query, qm.captures[i].index, &len);
			TSNode n = qm.captures[i].node;

			if (qm.captures[i].index == r->query_match)
				at = n;
			if ((error = wm_captures_add(sc->st.caps, name, n, 1, ts_node_start_byte(n),
					ts_node_end_byte(n))) < 0)
				goto done;
		}
		if ((rc = constraints_ok(r, &sc->st)) < 0) {
			error = rc;
			goto done;
		}
		if (rc && (error = add_match(sc, at, ts_node_start_byte(at), ts_node_end_byte(at))) < 0)
			goto done;
	}
done:
	ts_query_cursor_delete(qc);
	return error;
}

/*
 * All pattern rules of a scan in one walk of the tree. Walking once per
 * rule cost a full cursor traversal each, which dominated once a set held
 * hundreds of learned rules (wm-learn eval, negative evidence); here a node
 * looks up the rules filtered on its symbol (sorted pairs, binary search)
 * and then tries the unfiltered ones.
 */
typedef struct sym_rule {
	TSSymbol sym;
	size_t rule;
} sym_rule;

typedef struct rule_walk {
	scan_ctx *sc;
	sym_rule *by_sym;
	size_t nby_sym;
	size_t *any;             /* rules without a kind filter: tried at every named node */
	size_t nany;
} rule_walk;

static int by_sym(const void *pa, const void *pb)
{
	const sym_rule *a = pa, *b = pb;

	if (a->sym != b->sym)
		return a->sym < b->sym ? -1 : 1;
	return a->rule < b->rule ? -1 : a->rule > b->rule;
}

static int try_rule(scan_ctx *sc, size_t i, TSNode n)
{
	const rule *r = sc->set->rules[i];
	int rc;

	sc->rule = i;
	sc->st.caps->count = 0;
	if ((rc = match(&r->m, n, &sc->st, 0)) == 1)
		rc = constraints_ok(r, &sc->st);
	if (rc <= 0)
		return rc;
	return add_match(sc, n, ts_node_start_byte(n), ts_node_end_byte(n));
}

/* wm_syntax_walk visitor: try each rule whose kinds include this node's. */
static int visit_rules(TSNode n, void *payload)
{
	rule_walk *w = payload;
	TSSymbol sym = ts_node_symbol(n);
	size_t lo = 0, hi = w->nby_sym, i;
	int error;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->by_sym[mid].sym < sym)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = lo; i < w->nby_sym && w->by_sym[i].sym == sym; i++)
		if ((error = try_rule(w->sc, w->by_sym[i].rule, n)) < 0)
			return error;
	if (!ts_node_is_named(n))
		return 0;
	for (i = 0; i < w->nany; i++)
		if ((error = try_rule(w->sc, w->any[i], n)) < 0)
			return error;
	return 0;
}

/* Run rules [0, set->count) of `lang` (or only `only`): queries one by one, patterns in one walk. */
static int scan_rules(scan_ctx *sc, wm_lang lang, TSNode root, size_t only)
{
	const wm_antibodies *set = sc->set;
	rule_walk w;
	size_t i, k, nsym = 0;
	int error = 0;

	memset(&w, 0, sizeof(w));
	w.sc = sc;
	for (i = 0; i < set->count; i++)
		if (set->rules[i]->info.lang == lang && !set->rules[i]->query)
			nsym += set->rules[i]->nfilter;
	if (!(w.by_sym = wm_calloc(nsym + 1, sizeof(*w.by_sym))) ||
	    !(w.any = wm_calloc(set->count + 1, sizeof(size_t)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < set->count; i++) {
		const rule *r = set->rules[i];

		if (r->info.lang != lang || (only != SIZE_MAX && only != i))
			continue;
		if (r->query) {
			sc->rule = i;
			if ((error = scan_query(sc, r, root)) < 0)
				goto done;
			continue;
		}
		if (!r->nfilter)
			w.any[w.nany++] = i;
		for (k = 0; k < r->nfilter; k++) {
			w.by_sym[w.nby_sym].sym = r->filter[k];
			w.by_sym[w.nby_sym++].rule = i;
		}
	}
	if (w.nby_sym > 1)
		qsort(w.by_sym, w.nby_sym, sizeof(*w.by_sym), by_sym);
	if (w.nby_sym || w.nany)
		error = wm_syntax_walk(root, visit_rules, &w);
done:
	wm_free(w.by_sym);
	wm_free(w.any);
	return error;
}

/* The order fixes are granted in: most severe rule, then id, then position. */
static int by_priority(const wm_antibodies *set, const wm_antibody_match *x,
	const wm_antibody_match *y)
{
	const rule *rx = set->rules[x->rule], *ry = set->rules[y->rule];
	int c;

	if (rx->info.severity != ry->info.severity)
		return rx->info.severity > ry->info.severity ? -1 : 1;
	if ((c = strcmp(rx->id, ry->id)) != 0)
		return c;
	if (x->start_byte != y->start_byte)
		return x->start_byte < y->start_byte ? -1 : 1;
	return x->end_byte < y->end_byte ? -1 : x->end_byte > y->end_byte;
}

static int by_position(const void *a, const void *b)
{
	const wm_antibody_match *x = a, *y = b;

	if (x->start_byte != y->start_byte)
		return x->start_byte < y->start_byte ? -1 : 1;
	if (x->end_byte != y->end_byte)
		return x->end_byte < y->end_byte ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/*
 * Settle overlapping fixes among matches [from, out->count). The priority
 * order needs the rule set, which qsort cannot pass without a global, so
 * it is an insertion sort over pointers: matches per file are few.
 */
static int settle_fixes(wm_antibody_matches *out, size_t from, const wm_antibodies *set)
{
	size_t n = out->count - from, i, j;
	wm_antibody_match **order;

	if (n < 2)
		return 0;
	if (!(order = wm_calloc(n, sizeof(*order))))
		return WM_ENOMEM;
	for (i = 0; i < n; i++)
		order[i] = &out->items[from + i];
	for (i = 1; i < n; i++) {
		wm_antibody_match *x = order[i];

		for (j = i; j > 0 && by_priority(set, x, order[j - 1]) < 0; j--)
			order[j] = order[j - 1];
		order[j] = x;
	}
	for (i = 0; i < n; i++) {
		wm_antibody_match *m = order[i];

		if (!m->fix)
			continue;
		for (j = 0; j < i; j++) {
			wm_antibody_match *w = order[j];

			if (w->fix && w->start_byte < m->end_byte && m->start_byte < w->end_byte) {
				wm_free(m->fix);
				m->fix = NULL;
				m->fix_withheld_for = set->rules[w->rule]->id;
				break;
			}
		}
	}
	wm_free(order);
	qsort(out->items + from, n, sizeof(*out->items), by_position);
	return 0;
}

static int scan(wm_antibody_matches *out, const wm_antibodies *set, wm_lang lang, TSNode root,
	const char *src, size_t only, bool settle)
{
	wm_captures caps = WM_CAPTURES_INIT;
	scan_ctx sc;
	size_t from = out->count;
	int error = 0;

	memset(&sc, 0, sizeof(sc));
	sc.set = set;
	sc.out = out;
	sc.st.src = src;
	sc.st.caps = &caps;
	if ((error = scan_rules(&sc, lang, root, only)) < 0)
		goto done;
	if (settle)
		error = settle_fixes(out, from, set);
	else if (out->count - from > 1)
		qsort(out->items + from, out->count - from, sizeof(*out->items), by_position);
done:
	wm_captures_dispose(&caps);
	wm_buf_dispose(&sc.st.scratch);
	return error;
}

int wm_antibodies_scan(wm_antibody_matches *out, const wm_antibodies *set, wm_lang lang,
	TSNode root, const char *src, size_t only)
{
	return scan(out, set, lang, root, src, only, true);
}

int wm_antibodies_scan_each(wm_antibody_matches *out, const wm_antibodies *set, wm_lang lang,
	TSNode root, const char *src)
{
	return scan(out, set, lang, root, src, SIZE_MAX, false);
}

void wm_antibody_matches_dispose(wm_antibody_matches *list)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		wm_free(list->items[i].message);
		wm_free(list->items[i].fix);
	}
	wm_free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

/* --- rule tests ------------------------------------------------------------ */

/* Matches of rule `i` in a snippet: -1 when it does not parse. */
static int run_snippet(wm_antibody_matches *out, const wm_antibodies *set, size_t i,
	const char *code)
{
	TSTree *tree = NULL;
	int error;

	if ((error = wm_syntax_parse(&tree, set->rules[i]->info.lang, code, strlen(code))) < 0)
		return error;
	error = wm_antibodies_scan(out, set, set->rules[i]->info.lang, ts_tree_root_node(tree), code, i);
	ts_tree_delete(tree);
	return error;
}

/* Compare ignoring trailing white space at the end (YAML block scalars add a newline). */
static bool same_code(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la && strchr(" \t\r\n", a[la - 1]))
		la--;
	while (lb && strchr(" \t\r\n", b[lb - 1]))
		lb--;
	return la == lb && !memcmp(a, b, la);
}

static int indent_block(wm_buf *out, const char *text)
{
	const char *p = text;
	int error = 0;

	while (*p && !error) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		error = wm_buf_printf(out, "#     %.*s\n", (int)n, p);
		p += n + (nl ? 1 : 0);
	}
	return error;
}

static int test_rule(wm_buf *report, bool *ok, const wm_antibodies *set, size_t i)
{
	const rule *r = set->rules[i];
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	wm_buf detail = WM_BUF_INIT;
	size_t k, e;
	int error = 0;

	*ok = true;
	for (k = 0; k < r->nmatch; k++) {
		m.count = 0;
		if ((error = run_snippet(&m, set, i, r->match[k])) < 0 && error != WM_EPARSE)
			goto done;
		if (error < 0 || m.count == 0) {
			*ok = false;
			wm_buf_printf(&detail, "#   %s:%u: expected a match in:\n", r->file, r->match_line[k]);
			indent_block(&detail, r->match[k]);
		}
		wm_antibody_matches_dispose(&m);
		error = 0;
	}
	for (k = 0; k < r->nno_match; k++) {
		if ((error = run_snippet(&m, set, i, r->no_match[k])) < 0 && error != WM_EPARSE)
			goto done;
		if (m.count > 0) {
			*ok = false;
			wm_buf_printf(&detail, "#   %s:%u: expected no match, got \"%s\" in:\n", r->file,
				r->no_match_line[k], m.items[0].message);
			indent_block(&detail, r->no_match[k]);
		}
		wm_antibody_matches_dispose(&m);
		error = 0;
	}
	for (k = 0; k < r->nfixes; k++) {
		const fix_test *ft = &r->fixes[k];
		wm_buf fixed = WM_BUF_INIT;
		uint32_t at = 0;

		if ((error = run_snippet(&m, set, i, ft->before)) < 0 && error != WM_EPARSE)
			goto done;
		error = 0;
		/* Apply in position order; overlapping ones were withheld already, or are skipped. */
		for (e = 0; e < m.count && !error; e++) {
			if (!m.items[e].fix || m.items[e].start_byte < at)
				continue;
			error = wm_buf_put(&fixed, ft->before + at, m.items[e].start_byte - at);
			if (!error)
				error = wm_buf_puts(&fixed, m.items[e].fix);
			at = m.items[e].end_byte;
		}
		if (!error)
			error = wm_buf_puts(&fixed, ft->before + at);
		if (error < 0) {
			wm_buf_dispose(&fixed);
			goto done;
		}
		if (m.count == 0 || !same_code(fixed.ptr ? fixed.ptr : "", ft->after)) {
			*ok = false;
			wm_buf_printf(&detail, "#   %s:%u: fix gave%s:\n", r->file, ft->line,
				m.count ? "" : " nothing (no match)");
			indent_block(&detail, fixed.ptr ? fixed.ptr : "");
			wm_buf_printf(&detail, "#   expected:\n");
			indent_block(&detail, ft->after);
		}
		wm_buf_dispose(&fixed);
		wm_antibody_matches_dispose(&m);
	}
	error = wm_buf_printf(report, "%s - %s [%s] (%s): %zu match, %zu no_match, %zu fix\n",
		*ok ? "ok" : "not ok", r->id, wm_lang_name(r->info.lang), r->file,
		r->nmatch, r->nno_match, r->nfixes);
	if (!error && detail.ptr)
		error = wm_buf_puts(report, detail.ptr);
done:
	wm_antibody_matches_dispose(&m);
	wm_buf_dispose(&detail);
	return error;
}

int wm_antibodies_test(wm_buf *report, size_t *failed_out, const wm_antibodies *set)
{
	size_t i, failed = 0;
	int error = 0;

	for (i = 0; i < set->count; i++) {
		bool ok;

		if ((error = test_rule(report, &ok, set, i)) < 0)
			goto done;
		if (!ok)
			failed++;
	}
done:
	*failed_out = failed;
	return error;
}

static bool is_rule_file(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && !strcmp(path + n - 4, ".yml")) || (n > 5 && !strcmp(path + n - 5, ".yaml"));
}

/* Load every rule file of the world under directory `dir`, in path order. */
static int load_dir(wm_antibodies *set, const wm_world *world, const char *dir)
{
	size_t n = wm_world_count(world), len = strlen(dir), i;
	int error = 0;

	while (len && dir[len - 1] == '/')
		len--;
	for (i = 0; i < n && !error; i++) {
		const wm_entry *e = wm_world_entry(world, i);
		wm_blob blob = WM_BLOB_INIT;

		if (strncmp(e->path, dir, len) || e->path[len] != '/' || !is_rule_file(e->path) ||
		    e->mode == WM_MODE_LINK || e->mode == WM_MODE_GITLINK)
			continue;
		if ((error = wm_world_read(&blob, world, e->path)) < 0) {
			if (error == WM_ENOTFOUND)
				error = 0;
			continue;
		}
		error = wm_antibodies_load(set, e->path, blob.data, blob.size, false);
		wm_blob_release(&blob);
	}
	return error;
}

int wm_antibodies_load_config(wm_antibodies **out, const wm_config *cfg, const wm_world *world)
{
	wm_antibodies *set = NULL;
	const char *const *list;
	size_t n, i;
	int error;

	*out = NULL;
	if ((error = wm_antibodies_new(&set)) < 0)
		goto done;
	if (wm_config_bool(cfg, "antibodies.builtin") && (error = wm_antibodies_load_builtin(set)) < 0)
		goto done;
	list = wm_config_list(cfg, "antibodies.dirs", &n);
	if (n == 0) {
		if ((error = load_dir(set, world, ".wm/antibodies")) < 0)
			goto done;
	}
	for (i = 0; i < n; i++)
		if ((error = load_dir(set, world, list[i])) < 0)
			goto done;
	list = wm_config_list(cfg, "antibodies.disable", &n);
	for (i = 0; i < n; i++)
		wm_antibodies_disable(set, list[i]);
	*out = set;
	set = NULL;
done:
	wm_antibodies_free(set);
	return error;
}
