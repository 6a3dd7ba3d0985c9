/*
 * pattern.c - code patterns with metavariables, matched on tree-sitter trees.
 *
 * Why patterns are parsed with the real grammar rather than written as
 * tree-sitter queries: users know the code they want to find, not the
 * grammar's node names, and a pattern parsed by the same grammar as the
 * target has, by construction, the same shape as the code it matches
 * (ast-grep's insight). The cost is that metavariables must survive the
 * parser, so `$X` is rewritten to an identifier before parsing. The
 * rewrite keeps every byte offset: `$X` becomes `_X`, `$$$ARGS` becomes
 * `___ARGS`. A node is a metavariable when its range is exactly one
 * rewritten span, never because of its text, so a real identifier `_X` in
 * a pattern stays literal. The outermost node with that range wins, which
 * turns the `expression_statement` Python wraps around a lone `$$$BODY` in
 * a block into the metavariable itself.
 *
 * Fragments the grammar rejects at the top level (a statement in Go, Rust
 * or C) are parsed inside a small function; the innermost named node
 * spanning exactly the pattern's text is the pattern. Each context is
 * tried in turn and the first clean parse wins.
 *
 * The compiled pattern is a flat array of nodes (kind, leaf text,
 * children as index ranges) rather than the pattern's TSTree: it is
 * smaller, immutable (so shareable between threads), and comparing a
 * symbol and a few bytes is all the matcher needs.
 *
 * Matching recurses along the pattern, whose depth is bounded at compile
 * time (MAX_DEPTH), never along the target; searching a tree walks it with
 * a cursor. A `$$$` metavariable matches lazily (as few nodes as let the
 * rest match) with backtracking, which is exponential only in the number
 * of `$$$` in one sibling list, a number the rule author controls.
 *
 * Node sequences are compared after dropping what does not carry meaning:
 * extras (comments), zero-width nodes (the parser's MISSING tokens) and
 * Go's newline statement terminators, so a pattern written on one line
 * matches code written on three.
 */
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/pattern.h"

/* Deepest pattern tree accepted; match recursion is bounded by it. */
#define MAX_DEPTH 200
/* Children of one target node kept on the C stack before using the heap. */
#define STACK_KIDS 16

enum pkind { P_NODE, P_META, P_MULTI };

typedef struct pnode {
	uint8_t kind;        /* enum pkind */
	bool leaf;           /* compare text, not children */
	TSSymbol symbol;
	uint32_t name;       /* P_META/P_MULTI: index into names, or NO_NAME for `$_` */
	uint32_t text, text_len; /* leaf text: offset in pattern->text */
	uint32_t kids, nkids;    /* children: pattern->kids[kids .. kids + nkids) */
} pnode;

#define NO_NAME UINT32_MAX

struct wm_pattern {
	wm_lang lang;
	char *text;          /* the parsed buffer (context included) */
	pnode *nodes;
	size_t nnodes, anodes;
	uint32_t *kids;
	size_t nkids, akids;
	char **names;
	size_t nnames;
	uint32_t root;
};

/* A rewritten metavariable: its span in the parsed buffer. */
typedef struct rewrite {
	uint32_t start, len;
	uint32_t name;
	bool multi;
} rewrite;

typedef struct context {
	const char *prefix, *suffix;
} context;

/* --- what counts as a node ------------------------------------------- */

static bool insignificant(TSNode n)
{
	const char *type;

	if (ts_node_is_extra(n) || ts_node_start_byte(n) == ts_node_end_byte(n))
		return true;
	type = ts_node_type(n);
	if (!ts_node_is_named(n))
		return type[0] == '\n' && type[1] == '\0';
	return strstr(type, "comment") != NULL;
}

/*
 * The significant children of a node, into `buf` (STACK_KIDS long) or a
 * heap array the caller frees (*heap).
 */
static int children(TSNode **out, TSNode **heap, size_t *count, TSNode node, TSNode *buf,
	TSTreeCursor *cur)
{
	size_t n = 0, alloc = STACK_KIDS;
	TSNode *arr = buf;

	*heap = NULL;
	ts_tree_cursor_reset(cur, node);
	if (ts_tree_cursor_goto_first_child(cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(cur);

			if (insignificant(c))
				continue;
			if (n == alloc) {
				TSNode *grown = wm_reallocarray(*heap, alloc * 2, sizeof(*grown));

				if (!grown) {
					wm_free(*heap);
					*heap = NULL;
					return WM_ENOMEM;
				}
				if (!*heap)
					memcpy(grown, buf, n * sizeof(*grown));
				*heap = arr = grown;
				alloc *= 2;
			}
			arr[n++] = c;
		} while (ts_tree_cursor_goto_next_sibling(cur));
	}
	*out = arr;
	*count = n;
	return 0;
}

/* --- compiling ----------------------------------------------------------- */

static bool is_name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_name_char(char c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static int name_index(uint32_t *out, wm_pattern *p, const char *name, size_t len)
{
	char **grown;
	size_t i;

	if (len == 1 && name[0] == '_') {
		*out = NO_NAME;
		return 0;
	}
	for (i = 0; i < p->nnames; i++)
		if (strlen(p->names[i]) == len && !memcmp(p->names[i], name, len)) {
			*out = (uint32_t)i;
			return 0;
		}
	if (!(grown = wm_reallocarray(p->names, p->nnames + 1, sizeof(*grown))))
		return WM_ENOMEM;
	p->names = grown;
	if (!(p->names[p->nnames] = wm_strndup(name, len)))
		return WM_ENOMEM;
	*out = (uint32_t)p->nnames++;
	return 0;
}

/*
 * Copy `source` into p->text behind `ctx->prefix`, rewriting metavariables
 * in place, and record where they are.
 */
static int rewrite_source(rewrite **out, size_t *count, wm_pattern *p, const char *source,
	const context *ctx)
{
	size_t plen = strlen(ctx->prefix), slen = strlen(source), i, n = 0;
	rewrite *rw = NULL, *grown;
	char *t;
	int error = 0;

	*out = NULL;
	*count = 0;
	if (!(t = p->text = wm_malloc(plen + slen + strlen(ctx->suffix) + 1)))
		return WM_ENOMEM;
	memcpy(t, ctx->prefix, plen);
	memcpy(t + plen, source, slen);
	strcpy(t + plen + slen, ctx->suffix);
	for (i = 0; i < slen; i++) {
		size_t dollars = 0, j;

		if (source[i] != '$')
			continue;
		while (i + dollars < slen && source[i + dollars] == '$')
			dollars++;
		j = i + dollars;
		if ((dollars != 1 && dollars != 3) || j >= slen || !is_name_start(source[j]) ||
		    (i > 0 && is_name_char(source[i - 1]))) {
			i = j - 1;
			continue;
		}
		while (j < slen && is_name_char(source[j]))
			j++;
		if (!(grown = wm_reallocarray(rw, n + 1, sizeof(*grown)))) {
			error = WM_ENOMEM;
			goto done;
		}
		rw = grown;
		rw[n].start = (uint32_t)(plen + i);
		rw[n].len = (uint32_t)(j - i);
		rw[n].multi = dollars == 3;
		if ((error = name_index(&rw[n].name, p, source + i + dollars, j - i - dollars)) < 0)
			goto done;
		memset(t + plen + i, '_', dollars);
		n++;
		i = j - 1;
	}
done:
	if (error < 0) {
		wm_free(rw);
		return error;
	}
	*out = rw;
	*count = n;
	return 0;
}

static int add_node(uint32_t *out, wm_pattern *p, const pnode *node)
{
	if (p->nnodes == p->anodes) {
		size_t a = p->anodes ? p->anodes * 2 : 32;
		pnode *grown = wm_reallocarray(p->nodes, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		p->nodes = grown;
		p->anodes = a;
	}
	p->nodes[p->nnodes] = *node;
	*out = (uint32_t)p->nnodes++;
	return 0;
}

static int build(uint32_t *out, wm_pattern *p, TSNode node, const rewrite *rw, size_t nrw,
	TSTreeCursor *cur, int depth)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	TSNode buf[STACK_KIDS], *kids = NULL, *heap = NULL;
	uint32_t *idx = NULL;
	size_t nkids = 0, i;
	pnode pn;
	int error = 0;

	memset(&pn, 0, sizeof(pn));
	if (depth > MAX_DEPTH) {
		error = wm_error_set(WM_EPARSE, "pattern nests deeper than %d levels", MAX_DEPTH);
		goto done;
	}
	for (i = 0; i < nrw; i++) {
		if (rw[i].start == start && rw[i].start + rw[i].len == end) {
			pn.kind = rw[i].multi ? P_MULTI : P_META;
			pn.name = rw[i].name;
			error = add_node(out, p, &pn);
			goto done;
		}
	}
	pn.kind = P_NODE;
	pn.symbol = ts_node_symbol(node);
	if ((error = children(&kids, &heap, &nkids, node, buf, cur)) < 0)
		goto done;
	if (nkids == 0) {
		pn.leaf = true;
		pn.text = start;
		pn.text_len = end - start;
		for (i = 0; i < nrw; i++)
			if (rw[i].start >= start && rw[i].start < end) {
				/* `"$X"`: a metavariable inside a token cannot bind anything. */
				error = wm_error_set(WM_EPARSE, "metavariable inside a token (%.*s)",
					(int)(end - start), p->text + start);
				goto done;
			}
		error = add_node(out, p, &pn);
		goto done;
	}
	/* Children are built first: their own children must not interleave. */
	if (!(idx = wm_calloc(nkids, sizeof(*idx)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < nkids; i++) {
		/* The cursor is shared down the recursion: copy what we still need. */
		TSNode k = kids[i];

		if ((error = build(&idx[i], p, k, rw, nrw, cur, depth + 1)) < 0)
			goto done;
	}
	if (p->nkids + nkids > p->akids) {
		size_t a = (p->akids + nkids) * 2;
		uint32_t *grown = wm_reallocarray(p->kids, a, sizeof(*grown));

		if (!grown) {
			error = WM_ENOMEM;
			goto done;
		}
		p->kids = grown;
		p->akids = a;
	}
	pn.kids = (uint32_t)p->nkids;
	pn.nkids = (uint32_t)nkids;
	memcpy(p->kids + p->nkids, idx, nkids * sizeof(*idx));
	p->nkids += nkids;
	error = add_node(out, p, &pn);
done:
	wm_free(heap);
	wm_free(idx);
	return error;
}

/* Contexts a fragment is parsed in, per language; the first clean parse wins. */
static const context *contexts(wm_lang lang, size_t *count)
{
	static const context plain[] = { { "", "" } };
	static const context go[] = {
		{ "package p\nfunc _() {\n", "\n}\n" },
		{ "package p\n", "\n" },
	};
	static const context rust[] = {
		{ "fn _f() {\n", "\n}\n" },
		{ "", "" },
	};
	static const context c[] = {
		{ "void _f(void) {\n", "\n}\n" },
		{ "void _f(void) {\n", ";\n}\n" },
		{ "", "" },
	};

	switch (lang) {
	case WM_LANG_GO:
		*count = 2;
		return go;
	case WM_LANG_RUST:
		*count = 2;
		return rust;
	case WM_LANG_C:
	case WM_LANG_CPP:
		*count = 3;
		return c;
	default:
		*count = 1;
		return plain;
	}
}

/* The first ERROR or MISSING node at or under `node`, by position. */
static TSNode first_error(TSNode node)
{
	TSNode cur = node;

	while (!ts_node_is_null(cur)) {
		uint32_t i, n = ts_node_child_count(cur);
		TSNode next = { { 0 }, NULL, NULL };

		if (ts_node_is_missing(cur) || ts_node_symbol(cur) == (TSSymbol)-1)
			return cur;
		for (i = 0; i < n; i++) {
			TSNode c = ts_node_child(cur, i);

			if (ts_node_has_error(c) || ts_node_is_missing(c)) {
				next = c;
				break;
			}
		}
		if (ts_node_is_null(next))
			return cur;
		cur = next;
	}
	return node;
}

static void pattern_reset(wm_pattern *p)
{
	size_t i;

	wm_free(p->text);
	wm_free(p->nodes);
	wm_free(p->kids);
	for (i = 0; i < p->nnames; i++)
		wm_free(p->names[i]);
	wm_free(p->names);
	memset(p, 0, sizeof(*p));
}

/*
 * Try one context: 1 when it gives a clean pattern, 0 when the pattern
 * does not parse there (error_offset set), or an error.
 */
static int try_context(wm_pattern *p, size_t *error_offset, wm_lang lang, const char *source,
	const context *ctx)
{
	size_t plen = strlen(ctx->prefix), slen = strlen(source), nrw = 0, i;
	uint32_t s, e;
	rewrite *rw = NULL;
	TSTree *tree = NULL;
	TSTreeCursor cur;
	bool have_cursor = false;
	TSNode root, node;
	int error;

	p->lang = lang;
	if ((error = rewrite_source(&rw, &nrw, p, source, ctx)) < 0)
		goto done;
	if ((error = wm_syntax_parse(&tree, lang, p->text, strlen(p->text))) < 0)
		goto done;
	/* The pattern's own span, without surrounding white space. */
	s = (uint32_t)plen;
	e = (uint32_t)(plen + slen);
	while (s < e && strchr(" \t\r\n", p->text[s]))
		s++;
	while (e > s && strchr(" \t\r\n", p->text[e - 1]))
		e--;
	if (s == e) {
		error = wm_error_set(WM_EPARSE, "empty pattern");
		goto done;
	}
	root = ts_tree_root_node(tree);
	node = ts_node_named_descendant_for_byte_range(root, s, e);
	/*
	 * Only a clean parse counts: error recovery can produce a subtree that
	 * looks fine and means something else (`gets(x)` without its `;` in C
	 * becomes a macro type specifier inside an ERROR node).
	 */
	if (ts_node_has_error(root)) {
		TSNode bad = first_error(root);
		uint32_t at = ts_node_start_byte(bad);

		*error_offset = at < plen ? 0 : at - plen > slen ? slen : at - plen;
		error = 0;
		goto done;
	}
	if (ts_node_start_byte(node) != s || ts_node_end_byte(node) != e) {
		*error_offset = 0;
		error = wm_error_set(WM_EPARSE, "pattern is not one syntax node (it parses as several)");
		goto done;
	}
	/* Climb back to the outermost node of the same range only for metavariables. */
	for (i = 0; i < nrw; i++) {
		TSNode up = node;

		if (rw[i].start != s || rw[i].start + rw[i].len != e)
			continue;
		while (!ts_node_is_null(ts_node_parent(up)) &&
		       ts_node_start_byte(ts_node_parent(up)) == s &&
		       ts_node_end_byte(ts_node_parent(up)) == e)
			up = ts_node_parent(up);
		node = up;
	}
	cur = ts_tree_cursor_new(node);
	have_cursor = true;
	if ((error = build(&p->root, p, node, rw, nrw, &cur, 0)) < 0)
		goto done;
	error = 1;
done:
	if (have_cursor)
		ts_tree_cursor_delete(&cur);
	if (tree)
		ts_tree_delete(tree);
	wm_free(rw);
	return error;
}

int wm_pattern_compile(wm_pattern **out, size_t *error_offset, wm_lang lang, const char *source)
{
	wm_pattern *p = NULL;
	const context *ctx;
	size_t nctx, i, off, first_off = 0;
	int error = 0;

	*out = NULL;
	if (error_offset)
		*error_offset = 0;
	if (!wm_syntax_language(lang))
		return wm_error_set(WM_EPARSE, "no grammar for language \"%s\"", wm_lang_name(lang));
	if (!(p = wm_calloc(1, sizeof(*p))))
		return WM_ENOMEM;
	ctx = contexts(lang, &nctx);
	for (i = 0; i < nctx; i++) {
		off = 0;
		if ((error = try_context(p, &off, lang, source, &ctx[i])) < 0)
			goto done;
		if (error == 1)
			break;
		if (i == 0)
			first_off = off;
		pattern_reset(p);
	}
	if (error != 1) {
		if (error_offset)
			*error_offset = first_off;
		error = wm_error_set(WM_EPARSE, "pattern does not parse as %s", wm_lang_name(lang));
		goto done;
	}
	error = 0;
	*out = p;
	p = NULL;
done:
	wm_pattern_free(p);
	return error;
}

void wm_pattern_free(wm_pattern *pattern)
{
	if (!pattern)
		return;
	pattern_reset(pattern);
	wm_free(pattern);
}

wm_lang wm_pattern_lang(const wm_pattern *pattern)
{
	return pattern->lang;
}

bool wm_pattern_root_symbol(const wm_pattern *pattern, TSSymbol *out)
{
	const pnode *r = &pattern->nodes[pattern->root];

	if (r->kind != P_NODE)
		return false;
	*out = r->symbol;
	return true;
}

const char *wm_pattern_needle(const wm_pattern *pattern, size_t *len_out)
{
	const pnode *best = NULL;
	size_t i;

	for (i = 0; i < pattern->nnodes; i++) {
		const pnode *n = &pattern->nodes[i];

		if (n->kind == P_NODE && n->leaf && (!best || n->text_len > best->text_len))
			best = n;
	}
	*len_out = best ? best->text_len : 0;
	return best ? pattern->text + best->text : NULL;
}

/* --- captures ------------------------------------------------------------ */

const wm_capture *wm_captures_get(const wm_captures *caps, const char *name, size_t len)
{
	size_t i;

	for (i = 0; caps && i < caps->count; i++)
		if (strlen(caps->items[i].name) == len && !memcmp(caps->items[i].name, name, len))
			return &caps->items[i];
	return NULL;
}

int wm_captures_add(wm_captures *caps, const char *name, TSNode node, uint32_t count,
	uint32_t start_byte, uint32_t end_byte)
{
	wm_capture *c;

	if (caps->count == caps->alloc) {
		size_t a = caps->alloc ? caps->alloc * 2 : 8;
		wm_capture *grown = wm_reallocarray(caps->items, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		caps->items = grown;
		caps->alloc = a;
	}
	c = &caps->items[caps->count++];
	c->name = name;
	c->node = node;
	c->count = count;
	c->start_byte = start_byte;
	c->end_byte = end_byte;
	return 0;
}

void wm_captures_truncate(wm_captures *caps, size_t count)
{
	if (count < caps->count)
		caps->count = count;
}

void wm_captures_dispose(wm_captures *caps)
{
	wm_free(caps->items);
	caps->items = NULL;
	caps->count = caps->alloc = 0;
}

/* --- matching ---------------------------------------------------------- */

typedef struct mctx {
	const wm_pattern *p;
	const char *src;
	wm_captures *caps;
	TSTreeCursor cur;
} mctx;

/* Bind a name to a span, or check it against an earlier binding. */
static int bind(mctx *m, uint32_t name, TSNode node, uint32_t count, uint32_t s, uint32_t e)
{
	const char *n;
	const wm_capture *old;

	if (name == NO_NAME)
		return 1;
	n = m->p->names[name];
	if ((old = wm_captures_get(m->caps, n, strlen(n))) != NULL)
		return old->end_byte - old->start_byte == e - s &&
			!memcmp(m->src + old->start_byte, m->src + s, e - s);
	return wm_captures_add(m->caps, n, node, count, s, e) < 0 ? WM_ENOMEM : 1;
}

static int match_node(mctx *m, uint32_t pi, TSNode t);

static int match_seq(mctx *m, const uint32_t *pk, size_t np, const TSNode *tn, size_t nt)
{
	const pnode *pn;
	size_t mark = m->caps->count, k;
	int rc;

	if (np == 0)
		return nt == 0;
	pn = &m->p->nodes[pk[0]];
	if (pn->kind == P_MULTI) {
		for (k = 0; k <= nt; k++) {
			TSNode first = k ? tn[0] : (TSNode){ { 0 }, NULL, NULL };
			uint32_t s = k ? ts_node_start_byte(tn[0]) : nt ? ts_node_start_byte(tn[0]) : 0;
			uint32_t e = k ? ts_node_end_byte(tn[k - 1]) : s;

			if ((rc = bind(m, pn->name, first, (uint32_t)k, s, e)) < 0)
				return rc;
			if (rc && (rc = match_seq(m, pk + 1, np - 1, tn + k, nt - k)) != 0)
				return rc;
			wm_captures_truncate(m->caps, mark);
		}
		return 0;
	}
	if (nt == 0)
		return 0;
	if ((rc = match_node(m, pk[0], tn[0])) <= 0)
		return rc;
	if ((rc = match_seq(m, pk + 1, np - 1, tn + 1, nt - 1)) == 0)
		wm_captures_truncate(m->caps, mark);
	return rc;
}

static int match_node(mctx *m, uint32_t pi, TSNode t)
{
	const pnode *pn = &m->p->nodes[pi];
	TSNode buf[STACK_KIDS], *kids, *heap = NULL;
	size_t nkids;
	uint32_t s, e;
	int rc;

	if (pn->kind == P_META) {
		if (!ts_node_is_named(t))
			return 0;
		return bind(m, pn->name, t, 1, ts_node_start_byte(t), ts_node_end_byte(t));
	}
	if (pn->kind == P_MULTI) /* only meaningful in a sequence: as a lone child it takes one node */
		return bind(m, pn->name, t, 1, ts_node_start_byte(t), ts_node_end_byte(t));
	if (ts_node_symbol(t) != pn->symbol)
		return 0;
	if (pn->leaf) {
		s = ts_node_start_byte(t);
		e = ts_node_end_byte(t);
		return e - s == pn->text_len && !memcmp(m->src + s, m->p->text + pn->text, pn->text_len);
	}
	if ((rc = children(&kids, &heap, &nkids, t, buf, &m->cur)) < 0)
		return rc;
	rc = match_seq(m, m->p->kids + pn->kids, pn->nkids, kids, nkids);
	wm_free(heap);
	return rc;
}

int wm_pattern_match(const wm_pattern *pattern, TSNode node, const char *src, wm_captures *caps)
{
	mctx m;
	size_t mark = caps->count;
	int rc;

	m.p = pattern;
	m.src = src;
	m.caps = caps;
	m.cur = ts_tree_cursor_new(node);
	rc = match_node(&m, pattern->root, node);
	ts_tree_cursor_delete(&m.cur);
	if (rc <= 0)
		wm_captures_truncate(caps, mark);
	return rc;
}

typedef struct find_walk {
	mctx m;
	wm_captures caps;
	TSSymbol sym;
	bool any;
	int (*cb)(TSNode node, const wm_captures *caps, void *payload);
	void *payload;
} find_walk;

/* wm_syntax_walk visitor: try the pattern at every node of its root kind. */
static int visit_find(TSNode n, void *payload)
{
	find_walk *w = payload;
	int rc;

	if (w->any ? !ts_node_is_named(n) || insignificant(n) : ts_node_symbol(n) != w->sym)
		return 0;
	w->caps.count = 0;
	if ((rc = match_node(&w->m, w->m.p->root, n)) <= 0)
		return rc;
	rc = w->cb(n, &w->caps, w->payload);
	return rc < 0 ? rc : 0;
}

int wm_pattern_find(const wm_pattern *pattern, TSNode root, const char *src,
	int (*cb)(TSNode node, const wm_captures *caps, void *payload), void *payload)
{
	find_walk w;
	int error;

	if (ts_node_is_null(root))
		return 0;
	memset(&w, 0, sizeof(w)); /* caps empty, as WM_CAPTURES_INIT */
	w.any = !wm_pattern_root_symbol(pattern, &w.sym);
	w.cb = cb;
	w.payload = payload;
	w.m.p = pattern;
	w.m.src = src;
	w.m.caps = &w.caps;
	w.m.cur = ts_tree_cursor_new(root);
	error = wm_syntax_walk(root, visit_find, &w);
	ts_tree_cursor_delete(&w.m.cur);
	wm_captures_dispose(&w.caps);
	return error;
}

/* --- templates --------------------------------------------------------- */

/* Leading white space of the line holding `at`. */
static void line_indent(const char *src, uint32_t at, uint32_t *start, uint32_t *len)
{
	uint32_t s = at, e;

	while (s > 0 && src[s - 1] != '\n')
		s--;
	for (e = s; src[e] == ' ' || src[e] == '\t'; e++)
		;
	*start = s;
	*len = e - s;
}

/* The indentation of the last line of `out` so far. */
static size_t out_indent(const wm_buf *out, size_t *start)
{
	size_t s = out->size, e;

	while (s > 0 && out->ptr[s - 1] != '\n')
		s--;
	for (e = s; e < out->size && (out->ptr[e] == ' ' || out->ptr[e] == '\t'); e++)
		;
	*start = s;
	return e - s;
}

/*
 * A capture's text in code: lines after its first lose the indentation of
 * the line it started on and take the indentation of the line it lands on.
 */
static int put_code(wm_buf *out, const char *src, const wm_capture *c)
{
	uint32_t ind_s, ind_len, i;
	size_t os, olen;
	char *indent = NULL;
	int error = 0;

	line_indent(src, c->start_byte, &ind_s, &ind_len);
	olen = out_indent(out, &os);
	if (olen && !(indent = wm_strndup(out->ptr + os, olen)))
		return WM_ENOMEM;
	for (i = c->start_byte; i < c->end_byte && !error; i++) {
		if ((error = wm_buf_putc(out, src[i])) < 0 || src[i] != '\n')
			continue;
		if (i + 1 + ind_len <= c->end_byte && !memcmp(src + i + 1, src + ind_s, ind_len)) {
			i += ind_len;
			if (indent)
				error = wm_buf_puts(out, indent);
		}
	}
	wm_free(indent);
	return error;
}

/* A capture's text in a message: one line, cut. */
static int put_message(wm_buf *out, const char *src, const wm_capture *c)
{
	uint32_t i, shown = 0;
	bool space = false;
	int error = 0;

	for (i = c->start_byte; i < c->end_byte && !error; i++) {
		unsigned char ch = (unsigned char)src[i];

		if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
			space = true;
			continue;
		}
		if (shown >= 60) {
			error = wm_buf_puts(out, "...");
			break;
		}
		if (space && shown && (error = wm_buf_putc(out, ' ')) < 0)
			break;
		space = false;
		if ((ch & 0xC0) != 0x80)
			shown++;
		error = wm_buf_putc(out, ch < 0x20 || ch == 0x7f ? '?' : (char)ch);
	}
	return error;
}

int wm_pattern_expand(wm_buf *out, const char *tmpl, const wm_captures *caps,
	const char *src, uint32_t match_start, wm_expand_mode mode)
{
	uint32_t ind_s, ind_len;
	const char *t = tmpl;
	int error = 0;

	line_indent(src, match_start, &ind_s, &ind_len);
	while (*t && !error) {
		const char *name;
		size_t dollars = 0, len = 0;
		const wm_capture *c;

		if (*t == '\n') {
			if ((error = wm_buf_putc(out, '\n')) < 0)
				break;
			t++;
			/* Template lines follow the match's indentation; blank ones stay blank. */
			if (mode == WM_EXPAND_CODE && *t && *t != '\n')
				error = wm_buf_put(out, src + ind_s, ind_len);
			continue;
		}
		if (*t != '$') {
			error = wm_buf_putc(out, *t++);
			continue;
		}
		while (t[dollars] == '$')
			dollars++;
		name = t + dollars;
		while (is_name_char(name[len]))
			len++;
		if ((dollars != 1 && dollars != 3) || len == 0 || !is_name_start(name[0]) ||
		    !(c = wm_captures_get(caps, name, len))) {
			/* Also query captures, which may be lower case. */
			size_t l2 = 0;

			while ((name[l2] >= 'a' && name[l2] <= 'z') || is_name_char(name[l2]))
				l2++;
			if ((dollars == 1 || dollars == 3) && l2 && (c = wm_captures_get(caps, name, l2))) {
				len = l2;
			} else {
				error = wm_buf_put(out, t, dollars);
				t += dollars;
				continue;
			}
		}
		error = mode == WM_EXPAND_CODE ? put_code(out, src, c) : put_message(out, src, c);
		t = name + len;
	}
	return error;
}
