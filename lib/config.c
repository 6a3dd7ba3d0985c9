/*
 * config.c - `.wm.yml`: parse it with libyaml, validate it against the
 * schema table (config_schema.c), and answer typed lookups by dotted key.
 *
 * How and why:
 *
 * - The file comes from the repository, so it is hostile input. A cheap
 *   first pass over libyaml's events rejects more than one document and
 *   nesting deeper than MAX_DEPTH before the document loader runs: the
 *   loader's scanner is quadratic on deeply nested flow collections (a
 *   megabyte of '[' takes minutes), the event parser stops at the cap.
 * - The document API then gives nodes with positions. Aliases are shared
 *   nodes, so the graph may be a DAG or even cyclic (`&a [*a]`). The walk is
 *   driven by the schema, not by the document: it recurses only where a
 *   schema row has another level, so its depth is bounded by
 *   WM_CONFIG__MAX_LEVELS whatever the document looks like, and a budget of
 *   visited values stops alias bombs that expand a small file into
 *   billions of values.
 * - Values are typed by the schema, not by YAML tag resolution: `off` is a
 *   severity where a severity is expected and a boolean where a boolean is
 *   (no "Norway problem"), and a quoted scalar is never a boolean or integer.
 * - Only what the file sets is stored: one entry per leaf, keyed by its
 *   schema row and the names the user chose at its `*` levels. Lookups fall
 *   back to the row's default, so the default configuration is simply one
 *   with no entries.
 * - The first error wins (in document order), as "file:line:column: message"
 *   with 1-based positions; there is no recovery, as with a compiler's first
 *   error it is the one worth reading.
 */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "config.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"

/* A config file is a few kilobytes; anything bigger is a mistake or an attack. */
#define MAX_FILE_SIZE (1024 * 1024)
/* The deepest schema key has 4 levels; 64 leaves room for any sane file. */
#define MAX_DEPTH 64
/* Mapping pairs plus list items visited, counting every alias expansion. */
#define MAX_VALUES 100000
/* Longest excerpt of a user's value quoted in a message. */
#define MAX_QUOTE 40

typedef struct entry {
	const wm_config__key *row;
	char *names[WM_CONFIG__MAX_WILD]; /* the names at the row's `*` levels */
	char *text;                       /* scalars: the value as written */
	bool b;
	int64_t i;
	double d;                         /* NUMBER */
	wm_severity sev;
	char **list;                      /* LIST: NULL-terminated, NULL when empty */
	size_t nlist;
	uint32_t line, column;            /* 1-based position of the value */
} entry;

/* A name the user chose at a `*` level, kept with its position so that a
 * later check (wm_config_check_detectors) can point at it. */
typedef struct wild {
	const char *pattern;  /* the schema row's pattern ... */
	size_t plen;          /* ... up to and including this `*` */
	char *name;
	uint32_t line, column;
} wild;

struct wm_config {
	char *name;
	entry *entries;
	size_t nentries, aentries;
	wild *wilds;
	size_t nwilds, awilds;
};

typedef struct parse {
	wm_config *cfg;
	yaml_document_t *doc;
	const char *name;
	const char *data;
	size_t size;
	size_t budget;
	char *names[WM_CONFIG__MAX_WILD];
	size_t nnames;
} parse;

typedef struct span {
	const char *ptr;
	size_t len;
} span;

static const char *const severity_choices[] = {
	"off", "info", "warning", "error", "critical", NULL
};

/*
 * Messages
 */

static int fail(parse *p, const yaml_mark_t *mark, const char *fmt, ...) WM_PRINTF(3, 4);

static int fail(parse *p, const yaml_mark_t *mark, const char *fmt, ...)
{
	char msg[768];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return wm_error_set(WM_ECONFIG, "%s:%zu:%zu: %s", p->name,
		mark->line + 1, mark->column + 1, msg);
}

/* The user's text, quoted and made safe to print: control bytes escaped,
 * long values cut, so a binary or huge scalar cannot flood a terminal. */
static const char *quote(char *out, size_t outsize, const char *s, size_t len)
{
	size_t o = 0, i;

	out[o++] = '"';
	for (i = 0; i < len && i < MAX_QUOTE && o + 8 < outsize; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			out[o++] = '\\';
			out[o++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			o += (size_t)snprintf(out + o, outsize - o, "\\x%02x", c);
		} else {
			out[o++] = (char)c;
		}
	}
	out[o++] = '"';
	if (i < len && o + 4 < outsize) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

static bool is_null(const yaml_node_t *node)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t len = node->data.scalar.length;

	if (node->type != YAML_SCALAR_NODE || node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	return len == 0 || (len == 1 && v[0] == '~') ||
		(len == 4 && (!memcmp(v, "null", 4) || !memcmp(v, "Null", 4) || !memcmp(v, "NULL", 4)));
}

/* "a list", "a mapping", "an empty value", "\"text\"" or "the quoted
 * string \"5\"", written into `out`. */
static const char *describe(char *out, size_t outsize, const yaml_node_t *node)
{
	char q[MAX_QUOTE * 4 + 16];

	if (node->type == YAML_SEQUENCE_NODE)
		snprintf(out, outsize, "a list");
	else if (node->type == YAML_MAPPING_NODE)
		snprintf(out, outsize, "a mapping");
	else if (is_null(node))
		snprintf(out, outsize, "an empty value");
	else if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		snprintf(out, outsize, "%s",
			quote(q, sizeof(q), (const char *)node->data.scalar.value, node->data.scalar.length));
	else
		snprintf(out, outsize, "the quoted string %s",
			quote(q, sizeof(q), (const char *)node->data.scalar.value, node->data.scalar.length));
	return out;
}

static void join_choices(char *out, size_t outsize, const char *const *choices)
{
	size_t o = 0;

	out[0] = '\0';
	for (; *choices && o < outsize; choices++)
		o += (size_t)snprintf(out + o, outsize - o, "%s%s", o ? ", " : "", *choices);
}

/* libyaml's own error, with its position. Reader errors (bad encoding)
 * carry a byte offset instead of a mark, so the position is computed. */
static int yaml_failure(parse *p, const yaml_parser_t *parser)
{
	yaml_mark_t mark = parser->problem_mark;
	const char *problem = parser->problem ? parser->problem : "unknown error";
	size_t i;

	switch (parser->error) {
	case YAML_MEMORY_ERROR:
		return wm_error_set(WM_ENOMEM, "out of memory");
	case YAML_READER_ERROR:
		mark.line = mark.column = 0;
		for (i = 0; i < parser->problem_offset && i < p->size; i++) {
			if (p->data[i] == '\n') {
				mark.line++;
				mark.column = 0;
			} else if (((unsigned char)p->data[i] & 0xc0) != 0x80) {
				mark.column++;
			}
		}
		if (parser->problem_value != -1)
			return fail(p, &mark, "invalid encoding: %s (byte 0x%02x)", problem,
				(unsigned)parser->problem_value & 0xffu);
		return fail(p, &mark, "invalid encoding: %s", problem);
	default:
		break;
	}
	if (parser->context && parser->context_mark.line != parser->problem_mark.line)
		return fail(p, &mark, "YAML syntax error: %s (%s at line %zu)", problem,
			parser->context, parser->context_mark.line + 1);
	if (parser->context && !strcmp(parser->context, "while scanning an alias"))
		return fail(p, &mark, "YAML syntax error: %s (%s; a glob starting with '*' must be quoted: \"*.min.js\")",
			problem, parser->context);
	if (parser->context)
		return fail(p, &mark, "YAML syntax error: %s (%s)", problem, parser->context);
	return fail(p, &mark, "YAML syntax error: %s", problem);
}

/*
 * The schema
 */

/* The segment of `pattern` that starts at `from`: [from, *end). */
static size_t segment_end(const char *pattern, size_t from)
{
	const char *dot = strchr(pattern + from, '.');

	return dot ? (size_t)(dot - pattern) : strlen(pattern);
}

/* Whether `row` continues the prefix `prefix[0..plen)` by another level. */
static bool row_extends(const wm_config__key *row, const char *prefix, size_t plen)
{
	if (plen == 0)
		return true;
	return !strncmp(row->pattern, prefix, plen) && row->pattern[plen] == '.';
}

static bool seg_eq(const char *seg, size_t seglen, const char *s, size_t len)
{
	return seglen == len && !memcmp(seg, s, len);
}

/* The keys allowed after a prefix, in table order, for messages. */
static void expected_keys(char *out, size_t outsize, const char *prefix, size_t plen)
{
	size_t o = 0, r, q;

	out[0] = '\0';
	for (r = 0; r < wm_config__schema_len && o < outsize; r++) {
		const wm_config__key *row = &wm_config__schema[r];
		size_t from = plen ? plen + 1 : 0, end;
		bool seen = false;

		if (!row_extends(row, prefix, plen))
			continue;
		end = segment_end(row->pattern, from);
		for (q = 0; q < r && !seen; q++) {
			const wm_config__key *prev = &wm_config__schema[q];

			seen = row_extends(prev, prefix, plen) &&
				seg_eq(prev->pattern + from, segment_end(prev->pattern, from) - from,
					row->pattern + from, end - from);
		}
		if (!seen && seg_eq(row->pattern + from, end - from, "*", 1))
			o += (size_t)snprintf(out + o, outsize - o, "%sany name", o ? ", " : "");
		else if (!seen)
			o += (size_t)snprintf(out + o, outsize - o, "%s%.*s", o ? ", " : "",
				(int)(end - from), row->pattern + from);
	}
}

/*
 * Values
 */

/* YAML 1.1 booleans, any case; y/n are left out on purpose (too easy to
 * mean something else). */
static int parse_bool(bool *out, const char *s, size_t len)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t k;

	for (k = 0; k < 3; k++) {
		if (len == strlen(yes[k]) && !strncasecmp(s, yes[k], len)) {
			*out = true;
			return 0;
		}
		if (len == strlen(no[k]) && !strncasecmp(s, no[k], len)) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* Decimal only: "010" is 10, not octal 8 as in YAML 1.1, and nothing else
 * (hex, "1_000", "1e3") is accepted, so a value means one thing. */
static int parse_int(int64_t *out, const char *s, size_t len)
{
	bool neg = false;
	uint64_t v = 0, limit;
	size_t i = 0;

	if (len && (s[0] == '-' || s[0] == '+'))
		neg = s[i++] == '-';
	if (i == len)
		return -1;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; i < len; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9 || v > (limit - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	return 0;
}

/* A plain decimal number: digits with an optional sign and fraction, no
 * exponent, hex, inf or nan, so "80" and "71.5" mean what they look like. */
static int parse_number(double *out, const char *s, size_t len)
{
	char buf[64];
	size_t i = 0, digits = 0;
	bool dot = false;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	if (s[0] == '-' || s[0] == '+')
		i++;
	for (; i < len; i++) {
		if (s[i] == '.' && !dot)
			dot = true;
		else if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else
			return -1;
	}
	if (!digits)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtod(buf, NULL);
	return 0;
}

static int choice_index(const char *const *choices, const char *s, size_t len)
{
	int k;

	for (k = 0; choices[k]; k++)
		if (seg_eq(choices[k], strlen(choices[k]), s, len))
			return k;
	return -1;
}

static int charge(parse *p, const yaml_mark_t *mark, size_t n)
{
	if (n > p->budget)
		return fail(p, mark, "too many values (more than %d, counting alias expansions)", MAX_VALUES);
	p->budget -= n;
	return 0;
}

/* A scalar's text as an owned C string; NUL bytes (possible through "\0"
 * escapes) would silently cut names and globs, so they are refused. */
static int scalar_dup(char **out, parse *p, const yaml_node_t *node)
{
	const char *v = (const char *)node->data.scalar.value;
	size_t len = node->data.scalar.length;

	if (memchr(v, '\0', len))
		return fail(p, &node->start_mark, "a NUL character is not allowed here");
	*out = wm_strndup(v, len);
	return *out ? 0 : WM_ENOMEM;
}

/* Room for one more item: the array, moved if it had to grow, or NULL. */
static void *grow(void *items, size_t *alloc, size_t count, size_t size)
{
	size_t n;

	if (count < *alloc)
		return items;
	n = *alloc ? *alloc * 2 : 8;
	if ((items = wm_reallocarray(items, n, size)) != NULL)
		*alloc = n;
	return items;
}

static void entry_dispose(entry *e)
{
	size_t k;

	for (k = 0; k < WM_CONFIG__MAX_WILD; k++)
		wm_free(e->names[k]);
	for (k = 0; k < e->nlist; k++)
		wm_free(e->list[k]);
	wm_free(e->list);
	wm_free(e->text);
}

static int list_value(entry *e, parse *p, const yaml_node_t *node)
{
	yaml_node_item_t *item;
	char what[MAX_QUOTE * 4 + 40];
	int error = 0;

	if (is_null(node))
		return 0;
	if (node->type != YAML_SEQUENCE_NODE)
		return fail(p, &node->start_mark, "expected a list of strings, got %s",
			describe(what, sizeof(what), node));
	e->nlist = 0;
	if ((error = charge(p, &node->start_mark,
			(size_t)(node->data.sequence.items.top - node->data.sequence.items.start))) < 0)
		return error;
	e->list = wm_calloc((size_t)(node->data.sequence.items.top - node->data.sequence.items.start) + 1,
		sizeof(char *));
	if (!e->list)
		return WM_ENOMEM;
	for (item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
		yaml_node_t *v = yaml_document_get_node(p->doc, *item);

		if (v->type != YAML_SCALAR_NODE || is_null(v))
			return fail(p, &v->start_mark, "expected a string, got %s",
				describe(what, sizeof(what), v));
		if ((error = scalar_dup(&e->list[e->nlist], p, v)) < 0)
			return error;
		e->nlist++;
	}
	return 0;
}

static int scalar_value(entry *e, parse *p, const yaml_node_t *node)
{
	const wm_config__key *row = e->row;
	const char *v = (const char *)node->data.scalar.value;
	size_t len = node->data.scalar.length;
	bool plain = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	char what[MAX_QUOTE * 4 + 40], choices[256];
	int k;

	describe(what, sizeof(what), node);
	if (node->type != YAML_SCALAR_NODE || is_null(node)) {
		switch (row->type) {
		case WM_CONFIG__BOOL:
			return fail(p, &node->start_mark, "expected a boolean (true/false), got %s", what);
		case WM_CONFIG__INT:
			return fail(p, &node->start_mark, "expected an integer, got %s", what);
		case WM_CONFIG__NUMBER:
			return fail(p, &node->start_mark, "expected a number, got %s", what);
		default:
			return fail(p, &node->start_mark, "expected a string, got %s", what);
		}
	}
	switch (row->type) {
	case WM_CONFIG__BOOL:
		if (!plain || parse_bool(&e->b, v, len) < 0)
			return fail(p, &node->start_mark, "expected a boolean (true/false), got %s", what);
		break;
	case WM_CONFIG__INT:
		if (!plain || parse_int(&e->i, v, len) < 0)
			return fail(p, &node->start_mark, "expected an integer, got %s", what);
		if (e->i < row->min || e->i > row->max) {
			if (row->max == INT64_MAX)
				return fail(p, &node->start_mark, "expected an integer >= %" PRId64 ", got %s",
					row->min, what);
			return fail(p, &node->start_mark, "expected an integer from %" PRId64 " to %" PRId64
				", got %s", row->min, row->max, what);
		}
		break;
	case WM_CONFIG__NUMBER:
		if (!plain || parse_number(&e->d, v, len) < 0)
			return fail(p, &node->start_mark, "expected a number, got %s", what);
		if (e->d < (double)row->min || e->d > (double)row->max)
			return fail(p, &node->start_mark, "expected a number from %" PRId64 " to %" PRId64
				", got %s", row->min, row->max, what);
		break;
	case WM_CONFIG__ENUM:
		if (choice_index(row->choices, v, len) < 0) {
			join_choices(choices, sizeof(choices), row->choices);
			return fail(p, &node->start_mark, "unknown value %s (expected one of: %s)",
				quote(what, sizeof(what), v, len), choices);
		}
		break;
	case WM_CONFIG__SEVERITY:
		if ((k = choice_index(severity_choices, v, len)) < 0) {
			join_choices(choices, sizeof(choices), severity_choices);
			return fail(p, &node->start_mark, "unknown severity %s (expected one of: %s)",
				quote(what, sizeof(what), v, len), choices);
		}
		e->sev = (wm_severity)k;
		break;
	default:
		break;
	}
	return scalar_dup(&e->text, p, node);
}

/* Store the leaf `row` = `node`, named by the current wildcard names. */
static int set_leaf(parse *p, const wm_config__key *row, const yaml_node_t *node)
{
	wm_config *cfg = p->cfg;
	entry e;
	void *grown;
	size_t k;
	int error;

	memset(&e, 0, sizeof(e));
	e.row = row;
	e.line = (uint32_t)node->start_mark.line + 1;
	e.column = (uint32_t)node->start_mark.column + 1;
	for (k = 0; k < p->nnames; k++) {
		if (!(e.names[k] = wm_strdup(p->names[k]))) {
			error = WM_ENOMEM;
			goto done;
		}
	}
	if (row->type == WM_CONFIG__LIST)
		error = list_value(&e, p, node);
	else
		error = scalar_value(&e, p, node);
	if (error < 0)
		goto done;
	if (!(grown = grow(cfg->entries, &cfg->aentries, cfg->nentries, sizeof(entry)))) {
		error = WM_ENOMEM;
		goto done;
	}
	cfg->entries = grown;
	cfg->entries[cfg->nentries++] = e;
	memset(&e, 0, sizeof(e));

done:
	entry_dispose(&e);
	return error;
}

static int record_wild(parse *p, const wm_config__key *row, size_t plen,
	const yaml_node_t *key, const char *name)
{
	wm_config *cfg = p->cfg;
	wild *w;

	if (!(w = grow(cfg->wilds, &cfg->awilds, cfg->nwilds, sizeof(wild))))
		return WM_ENOMEM;
	cfg->wilds = w;
	w = &cfg->wilds[cfg->nwilds];
	if (!(w->name = wm_strdup(name)))
		return WM_ENOMEM;
	w->pattern = row->pattern;
	w->plen = plen;
	w->line = (uint32_t)key->start_mark.line + 1;
	w->column = (uint32_t)key->start_mark.column + 1;
	cfg->nwilds++;
	return 0;
}

static yaml_node_t *pair_key(const parse *p, const yaml_node_pair_t *pair)
{
	return yaml_document_get_node(p->doc, pair->key);
}

typedef struct keyref {
	const char *text;  /* NULL: not a scalar key, left to the walk to report */
	size_t len;
	size_t index;
} keyref;

/* By key text, then by position, so of two equal keys the later one is
 * reported as the duplicate. */
static int keyref_cmp(const void *a, const void *b)
{
	const keyref *ka = a, *kb = b;
	int c;

	if (!ka->text || !kb->text)
		c = !!ka->text - !!kb->text;
	else if ((c = memcmp(ka->text, kb->text, ka->len < kb->len ? ka->len : kb->len)) == 0)
		c = (ka->len > kb->len) - (ka->len < kb->len);
	return c ? c : (ka->index > kb->index) - (ka->index < kb->index);
}

/* For each pair, the pair that first used its key (or NULL), in
 * O(n log n): a hostile mapping can have a hundred thousand keys. */
static int find_duplicates(const yaml_node_pair_t **first_of, const parse *p,
	yaml_node_pair_t *pairs, size_t n)
{
	keyref *refs;
	size_t k;

	if (!(refs = wm_calloc(n ? n : 1, sizeof(*refs))))
		return WM_ENOMEM;
	for (k = 0; k < n; k++) {
		const yaml_node_t *key = pair_key(p, &pairs[k]);

		if (key->type == YAML_SCALAR_NODE) {
			refs[k].text = (const char *)key->data.scalar.value;
			refs[k].len = key->data.scalar.length;
		}
		refs[k].index = k;
	}
	qsort(refs, n, sizeof(*refs), keyref_cmp);
	for (k = 1; k < n; k++) {
		const keyref *a = &refs[k - 1], *b = &refs[k];

		if (a->text && b->text && seg_eq(a->text, a->len, b->text, b->len))
			first_of[b->index] = first_of[a->index] ? first_of[a->index] : &pairs[a->index];
	}
	wm_free(refs);
	return 0;
}

/*
 * Walk `node`, a mapping at the schema prefix `prefix[0..plen)` (plen 0:
 * the top level). Recursion follows the schema, one level per call, so it
 * is at most WM_CONFIG__MAX_LEVELS deep even on a cyclic document.
 */
static int walk_mapping(parse *p, const yaml_node_t *node, const char *prefix, size_t plen)
{
	yaml_node_pair_t *pairs = node->data.mapping.pairs.start;
	size_t n = (size_t)(node->data.mapping.pairs.top - pairs), k, r;
	const yaml_node_pair_t **first_of = NULL;
	char what[MAX_QUOTE * 4 + 40], keys[512];
	int error;

	if ((error = charge(p, &node->start_mark, n)) < 0)
		goto done;
	if (!(first_of = wm_calloc(n ? n : 1, sizeof(*first_of)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = find_duplicates(first_of, p, pairs, n)) < 0)
		goto done;

	for (k = 0; k < n; k++) {
		const yaml_node_t *key = pair_key(p, &pairs[k]);
		const yaml_node_t *value = yaml_document_get_node(p->doc, pairs[k].value);
		const wm_config__key *match = NULL;
		const char *name;
		size_t from = plen ? plen + 1 : 0, end = 0, namelen;
		bool wildcard = false;

		if (key->type != YAML_SCALAR_NODE) {
			error = fail(p, &key->start_mark, "expected a key, got %s", describe(what, sizeof(what), key));
			goto done;
		}
		name = (const char *)key->data.scalar.value;
		namelen = key->data.scalar.length;
		if (namelen == 0) {
			error = fail(p, &key->start_mark, "expected a key, got %s", describe(what, sizeof(what), key));
			goto done;
		}
		if (first_of[k]) {
			const yaml_node_t *orig = pair_key(p, first_of[k]);

			error = fail(p, &key->start_mark, "duplicate key %s (first defined at line %zu, column %zu)",
				quote(what, sizeof(what), name, namelen),
				orig->start_mark.line + 1, orig->start_mark.column + 1);
			goto done;
		}
		/* An exact name beats a `*` at the same level. */
		for (r = 0; r < wm_config__schema_len; r++) {
			const wm_config__key *row = &wm_config__schema[r];
			size_t e;

			if (!row_extends(row, prefix, plen))
				continue;
			e = segment_end(row->pattern, from);
			if (seg_eq(row->pattern + from, e - from, name, namelen)) {
				match = row;
				end = e;
				wildcard = false;
				break;
			}
			if (!match && seg_eq(row->pattern + from, e - from, "*", 1)) {
				match = row;
				end = e;
				wildcard = true;
			}
		}
		if (!match) {
			expected_keys(keys, sizeof(keys), prefix, plen);
			error = fail(p, &key->start_mark, "unknown key %s (expected one of: %s)",
				quote(what, sizeof(what), name, namelen), keys);
			goto done;
		}

		if (wildcard) {
			assert(p->nnames < WM_CONFIG__MAX_WILD);
			if ((error = scalar_dup(&p->names[p->nnames], p, key)) < 0)
				goto done;
			p->nnames++;
			error = record_wild(p, match, end, key, p->names[p->nnames - 1]);
		}
		if (error < 0)
			;
		else if (match->pattern[end] == '\0')
			error = set_leaf(p, match, value);
		else if (value->type == YAML_MAPPING_NODE)
			error = walk_mapping(p, value, match->pattern, end);
		else if (!is_null(value)) {
			expected_keys(keys, sizeof(keys), match->pattern, end);
			error = fail(p, &value->start_mark, "expected a mapping (keys: %s), got %s",
				keys, describe(what, sizeof(what), value));
		}
		if (wildcard)
			wm_free(p->names[--p->nnames]);
		if (error < 0)
			goto done;
	}

done:
	wm_free(first_of);
	return error;
}

/* The guard pass described at the top of the file. */
static int check_shape(parse *p)
{
	yaml_parser_t parser;
	yaml_event_t event;
	yaml_event_type_t type;
	int depth = 0, docs = 0, error = 0;

	if (!yaml_parser_initialize(&parser))
		return wm_error_set(WM_ENOMEM, "out of memory");
	yaml_parser_set_input_string(&parser, (const unsigned char *)p->data, p->size);
	do {
		if (!yaml_parser_parse(&parser, &event)) {
			error = yaml_failure(p, &parser);
			break;
		}
		type = event.type;
		if (type == YAML_DOCUMENT_START_EVENT && ++docs > 1)
			error = fail(p, &event.start_mark, "expected one YAML document, found a second one");
		else if ((type == YAML_SEQUENCE_START_EVENT || type == YAML_MAPPING_START_EVENT) &&
			 ++depth > MAX_DEPTH)
			error = fail(p, &event.start_mark, "nested deeper than %d levels", MAX_DEPTH);
		else if (type == YAML_SEQUENCE_END_EVENT || type == YAML_MAPPING_END_EVENT)
			depth--;
		yaml_event_delete(&event);
	} while (!error && type != YAML_STREAM_END_EVENT);

	yaml_parser_delete(&parser);
	return error;
}

/*
 * Public API
 */

int wm_config_default(wm_config **out)
{
	wm_config *cfg;

	*out = NULL;
	if (!(cfg = wm_calloc(1, sizeof(*cfg))))
		return WM_ENOMEM;
	if (!(cfg->name = wm_strdup(".wm.yml"))) {
		wm_free(cfg);
		return WM_ENOMEM;
	}
	*out = cfg;
	return 0;
}

void wm_config_free(wm_config *cfg)
{
	size_t k;

	if (!cfg)
		return;
	for (k = 0; k < cfg->nentries; k++)
		entry_dispose(&cfg->entries[k]);
	for (k = 0; k < cfg->nwilds; k++)
		wm_free(cfg->wilds[k].name);
	wm_free(cfg->entries);
	wm_free(cfg->wilds);
	wm_free(cfg->name);
	wm_free(cfg);
}

int wm_config_parse(wm_config **out, const char *name, const char *data, size_t size)
{
	wm_config *cfg = NULL;
	yaml_parser_t parser;
	yaml_document_t doc;
	bool have_parser = false, have_doc = false;
	yaml_node_t *root;
	parse p;
	char what[MAX_QUOTE * 4 + 40], keys[512];
	int error;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.name = name ? name : ".wm.yml";
	p.data = data ? data : "";
	p.size = data ? size : 0;
	p.budget = MAX_VALUES;

	if (p.size > MAX_FILE_SIZE) {
		error = wm_error_set(WM_ECONFIG, "%s: file is too large (%zu bytes; the limit is 1 MiB)",
			p.name, p.size);
		goto done;
	}
	if ((error = wm_config_default(&cfg)) < 0)
		goto done;
	wm_free(cfg->name);
	if (!(cfg->name = wm_strdup(p.name))) {
		error = WM_ENOMEM;
		goto done;
	}
	p.cfg = cfg;
	if ((error = check_shape(&p)) < 0)
		goto done;

	if (!yaml_parser_initialize(&parser)) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	have_parser = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)p.data, p.size);
	if (!yaml_parser_load(&parser, &doc)) {
		error = yaml_failure(&p, &parser);
		goto done;
	}
	have_doc = true;
	p.doc = &doc;

	/* No document, or an empty one, means every default. */
	root = yaml_document_get_root_node(&doc);
	if (!root || is_null(root))
		goto done;
	if (root->type != YAML_MAPPING_NODE) {
		expected_keys(keys, sizeof(keys), "", 0);
		error = fail(&p, &root->start_mark, "expected a mapping at the top level (keys: %s), got %s",
			keys, describe(what, sizeof(what), root));
		goto done;
	}
	error = walk_mapping(&p, root, "", 0);

done:
	while (p.nnames)
		wm_free(p.names[--p.nnames]);
	if (have_doc)
		yaml_document_delete(&doc);
	if (have_parser)
		yaml_parser_delete(&parser);
	if (error < 0)
		wm_config_free(cfg);
	else
		*out = cfg;
	return error;
}

int wm_config_load(wm_config **out, const char *path)
{
	wm_buf content = WM_BUF_INIT;
	FILE *f = NULL;
	char chunk[8192];
	size_t n;
	int error = 0;

	*out = NULL;
	if (!(f = fopen(path, "rb"))) {
		if (errno == ENOENT)
			error = wm_config_default(out);
		else
			error = wm_error_set(WM_ERROR, "could not open %s: %s", path, strerror(errno));
		goto done;
	}
	/* Read one byte past the limit, so "too large" needs no fstat and
	 * works on pipes. */
	while (content.size <= MAX_FILE_SIZE && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if ((error = wm_buf_put(&content, chunk, n)) < 0)
			goto done;
	if (ferror(f)) {
		error = wm_error_set(WM_ERROR, "could not read %s: %s", path, strerror(errno));
		goto done;
	}
	error = wm_config_parse(out, path, content.ptr, content.size);

done:
	if (f)
		fclose(f);
	wm_buf_dispose(&content);
	return error;
}

/*
 * Lookups
 */

/* The row a dotted key names, and the names it gives at `*` levels. */
static const wm_config__key *find_row(span names[WM_CONFIG__MAX_WILD], const char *key)
{
	size_t r;

	for (r = 0; key && r < wm_config__schema_len; r++) {
		const char *pat = wm_config__schema[r].pattern, *k = key;
		size_t nnames = 0;

		for (;;) {
			const char *pe = strchr(pat, '.'), *ke = strchr(k, '.');
			size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
			size_t kl = ke ? (size_t)(ke - k) : strlen(k);

			if (seg_eq(pat, pl, "*", 1) && kl > 0 && nnames < WM_CONFIG__MAX_WILD) {
				names[nnames].ptr = k;
				names[nnames++].len = kl;
			} else if (!seg_eq(pat, pl, k, kl)) {
				break;
			}
			if (!pe || !ke) {
				if (!pe && !ke)
					return &wm_config__schema[r];
				break;
			}
			pat = pe + 1;
			k = ke + 1;
		}
	}
	return NULL;
}

static const wm_config__key *row_by_pattern(const char *pattern)
{
	size_t r;

	for (r = 0; r < wm_config__schema_len; r++)
		if (!strcmp(wm_config__schema[r].pattern, pattern))
			return &wm_config__schema[r];
	return NULL;
}

/* `name` == a, or a "/" b when b is given, without building the string. */
static bool name_is(const char *name, const span *a, const char *b)
{
	if (strncmp(name, a->ptr, a->len) || (name[a->len] != '\0' && !b))
		return false;
	if (!b)
		return true;
	return name[a->len] == '/' && !strcmp(name + a->len + 1, b);
}

static const entry *lookup(const wm_config *cfg, const wm_config__key *row,
	const span *names, const char *lang)
{
	size_t k, w, nwild = 0;
	const char *s;

	for (s = row->pattern; (s = strchr(s, '*')); s++)
		nwild++;
	for (k = 0; cfg && k < cfg->nentries; k++) {
		const entry *e = &cfg->entries[k];
		bool same = e->row == row;

		for (w = 0; same && w < nwild; w++)
			same = name_is(e->names[w], &names[w], w + 1 == nwild ? lang : NULL);
		if (same)
			return e;
	}
	return NULL;
}

/* A programming error (a key outside the schema, or the wrong accessor for
 * its type) fails an assertion in debug builds and reads as the zero value
 * under NDEBUG. */
static const wm_config__key *typed_row(span names[WM_CONFIG__MAX_WILD], const char *key,
	wm_config__type a, wm_config__type b, wm_config__type c)
{
	const wm_config__key *row = find_row(names, key);

	assert(row && "configuration key not in the schema");
	if (row && row->type != a && row->type != b && row->type != c)
		row = NULL;
	assert(row && "configuration key read with the accessor of another type");
	return row;
}

bool wm_config_bool(const wm_config *cfg, const char *key)
{
	span names[WM_CONFIG__MAX_WILD];
	const wm_config__key *row = typed_row(names, key, WM_CONFIG__BOOL, WM_CONFIG__BOOL, WM_CONFIG__BOOL);
	const entry *e;
	bool v = false;

	if (!row)
		return false;
	if ((e = lookup(cfg, row, names, NULL)))
		return e->b;
	if (row->def)
		parse_bool(&v, row->def, strlen(row->def));
	return v;
}

int64_t wm_config_int(const wm_config *cfg, const char *key)
{
	span names[WM_CONFIG__MAX_WILD];
	const wm_config__key *row = typed_row(names, key, WM_CONFIG__INT, WM_CONFIG__INT, WM_CONFIG__INT);
	const entry *e;
	int64_t v = 0;

	if (!row)
		return 0;
	if ((e = lookup(cfg, row, names, NULL)))
		return e->i;
	if (row->def)
		parse_int(&v, row->def, strlen(row->def));
	return v;
}

bool wm_config_number(const wm_config *cfg, const char *key, double *out)
{
	span names[WM_CONFIG__MAX_WILD];
	const wm_config__key *row = typed_row(names, key, WM_CONFIG__NUMBER, WM_CONFIG__NUMBER,
		WM_CONFIG__NUMBER);
	const entry *e;

	if (!row)
		return false;
	if ((e = lookup(cfg, row, names, NULL))) {
		*out = e->d;
		return true;
	}
	if (row->def && parse_number(out, row->def, strlen(row->def)) == 0)
		return true;
	return false;
}

const char *wm_config_string(const wm_config *cfg, const char *key)
{
	span names[WM_CONFIG__MAX_WILD];
	const wm_config__key *row = typed_row(names, key, WM_CONFIG__STRING, WM_CONFIG__ENUM,
		WM_CONFIG__SEVERITY);
	const entry *e;

	if (!row)
		return NULL;
	if ((e = lookup(cfg, row, names, NULL)))
		return e->text;
	return row->def;
}

const char *const *wm_config_list(const wm_config *cfg, const char *key, size_t *count_out)
{
	span names[WM_CONFIG__MAX_WILD];
	const wm_config__key *row = typed_row(names, key, WM_CONFIG__LIST, WM_CONFIG__LIST, WM_CONFIG__LIST);
	const entry *e = row ? lookup(cfg, row, names, NULL) : NULL;

	*count_out = e ? e->nlist : 0;
	return e && e->nlist ? (const char *const *)e->list : NULL;
}

wm_severity wm_config_fail_on(const wm_config *cfg)
{
	const char *v = wm_config_string(cfg, "fail_on");
	wm_severity sev = WM_SEV_ERROR;

	/* "never" is WM_SEV_NONE; the schema admits nothing else unparsable. */
	wm_severity_parse(&sev, v);
	return sev;
}

bool wm_config_detector_enabled(const wm_config *cfg, const char *detector)
{
	const wm_config__key *row = row_by_pattern("detectors.*.enabled");
	span name = { detector, detector ? strlen(detector) : 0 };
	const entry *e = detector ? lookup(cfg, row, &name, NULL) : NULL;

	return e ? e->b : true;
}

wm_severity wm_config_severity(const wm_config *cfg, const char *detector,
	const char *rule, const char *lang, wm_severity fallback)
{
	const wm_config__key *row = row_by_pattern("detectors.*.severity.*");
	span names[2];
	const entry *e = NULL;

	if (!detector || !rule)
		return fallback;
	names[0].ptr = detector;
	names[0].len = strlen(detector);
	names[1].ptr = rule;
	names[1].len = strlen(rule);
	/* The most specific setting wins: "rule/lang", then "rule". */
	if (lang)
		e = lookup(cfg, row, names, lang);
	if (!e)
		e = lookup(cfg, row, names, NULL);
	return e ? e->sev : fallback;
}

bool wm_config_path_excluded(const wm_config *cfg, const char *path)
{
	const char *const *include, *const *exclude;
	size_t ninclude, nexclude, k;
	bool included;

	include = wm_config_list(cfg, "paths.include", &ninclude);
	exclude = wm_config_list(cfg, "paths.exclude", &nexclude);
	included = ninclude == 0;
	for (k = 0; k < ninclude && !included; k++)
		included = wm_glob_match(include[k], path);
	if (!included)
		return true;
	for (k = 0; k < nexclude; k++)
		if (wm_glob_match(exclude[k], path))
			return true;
	return false;
}

int wm_config_check_detectors(const wm_config *cfg, const char *const *known, size_t nknown)
{
	static const char prefix[] = "detectors.*";
	wm_buf list = WM_BUF_INIT;
	size_t w, k;
	int error = 0;

	for (w = 0; cfg && w < cfg->nwilds; w++) {
		const wild *wd = &cfg->wilds[w];
		bool found = false;
		char q[MAX_QUOTE * 4 + 16];

		if (wd->plen != sizeof(prefix) - 1 || strncmp(wd->pattern, prefix, wd->plen))
			continue;
		for (k = 0; k < nknown && !found; k++)
			found = !strcmp(known[k], wd->name);
		if (found)
			continue;
		for (k = 0; k < nknown; k++)
			if ((error = wm_buf_printf(&list, "%s%s", k ? ", " : "", known[k])) < 0)
				goto done;
		error = wm_error_set(WM_ECONFIG, "%s:%" PRIu32 ":%" PRIu32 ": unknown detector %s (known: %s)",
			cfg->name, wd->line, wd->column, quote(q, sizeof(q), wd->name, strlen(wd->name)),
			list.ptr ? list.ptr : "none");
		goto done;
	}

done:
	wm_buf_dispose(&list);
	return error;
}
