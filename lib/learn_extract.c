/*
 * learn_extract.c - concrete edits from one changed file.
 *
 * A line diff says which lines changed, not which code: a one-operator fix
 * rewrites a whole line. Each hunk is therefore narrowed to the bytes that
 * really differ (common prefix and suffix of the two sides stripped), and
 * that byte range is mapped to the smallest enclosing node of the old tree
 * that has children (a leaf alone carries no context). Text outside a hunk
 * is identical on both sides, so the old node's span, shifted by what the
 * hunk added, is the span the node must have in the new tree: finding one
 * node there with exactly that span aligns the unchanged siblings for free.
 * When there is none, or it spans another hunk, the old node grows to its
 * parent and the search repeats, a few levels at most.
 *
 * Each kept pair carries a test snippet: the largest enclosing node that
 * parses on its own (dedented; wrapped in a function for C-like languages
 * when needed), once as it was and once with only this edit applied, which
 * become the learned rule's generated tests.
 */
#include <ctype.h>
#include <strings.h>
#include <string.h>

#include "learn.h"
#include "wm/pattern.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"

/* How far an edit's old node may grow to find its partner. */
#define MAX_CLIMB 6
/* Test snippets above this size are not taken; a smaller enclosing node is. */
#define MAX_CONTEXT 1500

void wm_learn__edit_dispose(wm_learn__edit *e)
{
	if (!e)
		return;
	wm_free(e->signal);
	wm_free(e->path);
	wm_free(e->before);
	wm_free(e->after);
	wm_free(e->bt);
	wm_free(e->at);
	wm_free(e->ctx_before);
	wm_free(e->ctx_after);
	memset(e, 0, sizeof(*e));
}

void wm_learn__edits_dispose(wm_learn__edits *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		wm_learn__edit_dispose(&list->items[i]);
	wm_free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}

wm_learn__edit *wm_learn__edits_push(wm_learn__edits *list)
{
	if (list->count == list->alloc) {
		size_t a = list->alloc ? list->alloc * 2 : 64;
		wm_learn__edit *grown = wm_reallocarray(list->items, a, sizeof(*grown));

		if (!grown)
			return NULL;
		list->items = grown;
		list->alloc = a;
	}
	memset(&list->items[list->count], 0, sizeof(wm_learn__edit));
	return &list->items[list->count++];
}

int wm_learn__edit_cmp(const void *pa, const void *pb)
{
	const wm_learn__edit *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->commit, b->commit)) != 0)
		return c;
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	return a->bstart < b->bstart ? -1 : a->bstart > b->bstart;
}

typedef struct flat {
	wm_learn__node *items;
	uint32_t count, alloc, max;
} flat;

static int flat_add(flat *f, TSNode n, uint32_t base)
{
	uint32_t at = f->count, i, nchild = ts_node_child_count(n);
	int error;

	if (f->count >= f->max)
		return WM_ERROR; /* too large: not an error to report, the edit is dropped */
	if (f->count == f->alloc) {
		uint32_t a = f->alloc ? f->alloc * 2 : 32;
		wm_learn__node *grown = wm_reallocarray(f->items, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		f->items = grown;
		f->alloc = a;
	}
	f->items[at].sym = ts_node_symbol(n);
	f->items[at].named = ts_node_is_named(n);
	f->items[at].hole = -1;
	f->items[at].start = ts_node_start_byte(n) - base;
	f->items[at].end = ts_node_end_byte(n) - base;
	f->count++;
	/* Recursion is bounded by max_nodes, which bounds depth too. */
	for (i = 0; i < nchild; i++) {
		TSNode c = ts_node_child(n, i);

		if (ts_node_is_extra(c))
			continue;
		if ((error = flat_add(f, c, base)) < 0)
			return error;
	}
	f->items[at].size = f->count - at;
	return 0;
}

int wm_learn__flatten(wm_learn__node **out, uint32_t *count, TSNode node, uint32_t base,
	uint32_t max_nodes)
{
	flat f = { NULL, 0, 0, max_nodes };
	int error;

	*out = NULL;
	*count = 0;
	if ((error = flat_add(&f, node, base)) < 0) {
		wm_free(f.items);
		return error;
	}
	*out = f.items;
	*count = f.count;
	return 0;
}

/* Byte offset of the start of 1-based line `line` (size when past the end). */
static size_t line_offset(const size_t *lines, size_t nlines, size_t size, uint32_t line)
{
	if (line == 0)
		return 0;
	return line - 1 < nlines ? lines[line - 1] : size;
}

static int index_lines(size_t **out, size_t *count, const char *s, size_t n)
{
	size_t i, c = 1, k = 0;
	size_t *v;

	for (i = 0; i < n; i++)
		c += s[i] == '\n';
	if (!(v = wm_reallocarray(NULL, c, sizeof(size_t))))
		return WM_ENOMEM;
	v[k++] = 0;
	for (i = 0; i < n; i++)
		if (s[i] == '\n' && k < c)
			v[k++] = i + 1;
	*out = v;
	*count = k;
	return 0;
}

static bool same_code(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < na && isspace((unsigned char)a[i]))
			i++;
		while (j < nb && isspace((unsigned char)b[j]))
			j++;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (a[i++] != b[j++])
			return false;
	}
}

/*
 * Whether a node can be the root of a pattern: its text, compiled as a
 * pattern, must be a node of the same kind. An argument list is not code
 * on its own (`(easy, tag, s)` reads back as a comma expression: in
 * curl's history 14 % of the edits were rooted at one), nor is an
 * `except:` clause without its `try`; a rule rooted there could never
 * match what it was learned from, so the node around it is taken instead.
 * Nodes too large to be an edit are left for the size check to drop.
 */
bool wm_learn__list_kind(const char *type)
{
	static const char *const lists[] = { "argument_list", "arguments", "parameter_list", "parameters",
		"formal_parameters", "type_arguments", "type_parameters", "lambda_parameters", NULL };
	size_t i;

	for (i = 0; type && lists[i]; i++)
		if (!strcmp(type, lists[i]))
			return true;
	return false;
}

static bool pattern_root(wm_lang lang, const char *src, TSNode n, uint32_t max_bytes)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	wm_pattern *p = NULL;
	TSSymbol root;
	char *text;
	bool ok;

	if (wm_learn__list_kind(ts_node_type(n)))
		return false;
	if (e - s > max_bytes)
		return true;
	if (!(text = wm_strndup(src + s, e - s)))
		return true; /* out of memory shows up at the next allocation */
	ok = wm_pattern_compile(&p, NULL, lang, text) == 0 && wm_pattern_root_symbol(p, &root) &&
		root == ts_node_symbol(n);
	wm_error_clear();
	wm_pattern_free(p);
	wm_free(text);
	return ok;
}

/* The smallest node with children covering [s, e) (an empty range: strictly around s). */
static TSNode enclosing(TSNode root, uint32_t s, uint32_t e)
{
	TSNode n = ts_node_descendant_for_byte_range(root, s, e);

	while (!ts_node_is_null(n) && (!ts_node_is_named(n) || ts_node_child_count(n) == 0 ||
		ts_node_start_byte(n) > s || ts_node_end_byte(n) < e ||
		(s == e && ts_node_end_byte(n) == s))) {
		TSNode p = ts_node_parent(n);

		if (ts_node_is_null(p))
			break;
		n = p;
	}
	return n;
}

/* The node of `root` spanning exactly [s, e), preferring kind `sym` among nested ones. */
static TSNode exact(TSNode root, uint32_t s, uint32_t e, TSSymbol sym)
{
	TSNode n = ts_node_descendant_for_byte_range(root, s, e), best = { { 0 }, NULL, NULL };

	while (!ts_node_is_null(n) && ts_node_start_byte(n) >= s && ts_node_end_byte(n) <= e) {
		if (ts_node_start_byte(n) == s && ts_node_end_byte(n) == e && ts_node_is_named(n)) {
			if (ts_node_symbol(n) == sym)
				return n;
			best = n;
		}
		n = ts_node_parent(n);
	}
	return best;
}

/* Append `text` with `indent` removed from the start of every line after the first. */
static int dedent(wm_buf *out, const char *text, size_t n, const char *indent, size_t ni)
{
	size_t i = 0;
	int error = 0;

	while (i < n && !error) {
		const char *nl = memchr(text + i, '\n', n - i);
		size_t end = nl ? (size_t)(nl - text) + 1 : n;

		error = wm_buf_put(out, text + i, end - i);
		i = end;
		if (i < n && n - i >= ni && !memcmp(text + i, indent, ni))
			i += ni;
	}
	return error;
}

static bool parses(wm_lang lang, const char *s, size_t n)
{
	TSTree *t = NULL;
	bool ok;

	if (wm_syntax_parse(&t, lang, s, n) < 0)
		return false;
	ok = !ts_node_has_error(ts_tree_root_node(t));
	ts_tree_delete(t);
	return ok;
}

static bool c_like(wm_lang lang)
{
	return lang == WM_LANG_C || lang == WM_LANG_CPP || lang == WM_LANG_GO || lang == WM_LANG_RUST;
}

/*
 * Test snippets for an edit of old[bs, be) into `after`: the largest
 * enclosing node under MAX_CONTEXT that parses alone, before and after.
 */
static int make_context(wm_learn__edit *ed, wm_lang lang, const char *old, TSNode node,
	const char *after, size_t alen)
{
	wm_buf b = WM_BUF_INIT, a = WM_BUF_INIT, cand = WM_BUF_INIT;
	TSNode n = node, chosen[8];
	size_t nchosen = 0, k;
	int error = 0;

	/* Candidates from the largest that fits down to the edit itself. */
	while (!ts_node_is_null(n) && ts_node_end_byte(n) - ts_node_start_byte(n) <= MAX_CONTEXT) {
		TSNode p = ts_node_parent(n);

		if (ts_node_is_null(p))
			break;
		if (nchosen < 8)
			chosen[nchosen++] = n;
		else
			chosen[7] = n;
		n = p;
	}
	for (k = nchosen; k-- > 0;) {
		uint32_t s = ts_node_start_byte(chosen[k]), e = ts_node_end_byte(chosen[k]);
		uint32_t ls = s, wrap;
		const char *indent;
		size_t ni;

		while (ls > 0 && old[ls - 1] != '\n')
			ls--;
		indent = old + ls;
		ni = s - ls;
		for (size_t i = 0; i < ni; i++)
			if (indent[i] != ' ' && indent[i] != '\t')
				ni = 0;
		for (wrap = 0; wrap < (c_like(lang) ? 2u : 1u); wrap++) {
			wm_buf_clear(&b);
			wm_buf_clear(&a);
			if (wrap && (error = wm_buf_puts(&b, lang == WM_LANG_GO ? "package p\nfunc f() {\n" :
					lang == WM_LANG_RUST ? "fn f() {\n" : "void f(void) {\n")) < 0)
				goto done;
			if ((error = dedent(&b, old + s, ed->bstart - s, indent, ni)) < 0 ||
			    (error = wm_buf_put(&a, b.ptr ? b.ptr : "", b.size)) < 0 ||
			    (error = dedent(&b, old + ed->bstart, ed->bend - ed->bstart, indent, ni)) < 0 ||
			    (error = dedent(&a, after, alen, indent, ni)) < 0)
				goto done;
			wm_buf_clear(&cand);
			if ((error = dedent(&cand, old + ed->bend, e - ed->bend, indent, ni)) < 0 ||
			    (error = wm_buf_put(&b, cand.ptr ? cand.ptr : "", cand.size)) < 0 ||
			    (error = wm_buf_put(&a, cand.ptr ? cand.ptr : "", cand.size)) < 0 ||
			    (wrap && ((error = wm_buf_puts(&b, "\n}\n")) < 0 ||
				    (error = wm_buf_puts(&a, "\n}\n")) < 0)) ||
			    (!wrap && ((error = wm_buf_putc(&b, '\n')) < 0 ||
				    (error = wm_buf_putc(&a, '\n')) < 0)))
				goto done;
			if (parses(lang, b.ptr, b.size) && parses(lang, a.ptr, a.size)) {
				ed->ctx_before = wm_buf_detach(&b);
				ed->ctx_after = wm_buf_detach(&a);
				goto done;
			}
		}
	}
done:
	wm_buf_dispose(&b);
	wm_buf_dispose(&a);
	wm_buf_dispose(&cand);
	return error;
}

/* Hunk i's span on each side, narrowed to the bytes that differ. */
typedef struct span {
	uint32_t os, oe, ns, ne;     /* whole lines */
	uint32_t cos, coe, cns, cne; /* narrowed */
} span;

/*
 * Map the old span [s, e) of hunk `self`'s node to the new file: hunks wholly
 * before it shift both ends, its own hunk shifts the end; a node that
 * overlaps another hunk's change is not one edit.
 */
static bool map_span(uint32_t *ns, uint32_t *ne, const span *sp, size_t n, size_t self,
	uint32_t s, uint32_t e)
{
	int64_t a = 0, b = 0;
	size_t j;

	for (j = 0; j < n; j++) {
		int64_t d = ((int64_t)sp[j].cne - sp[j].cns) - ((int64_t)sp[j].coe - sp[j].cos);

		if (j == self) {
			b += d;
		} else if (sp[j].coe <= s) {
			a += d;
			b += d;
		} else if (sp[j].cos < e) {
			return false;
		}
	}
	*ns = (uint32_t)(s + a);
	*ne = (uint32_t)(e + b);
	return true;
}

int wm_learn__extract(wm_learn__edits *out, wm_lang lang, const char *old, size_t old_size,
	TSTree *old_tree, const char *new_, size_t new_size, TSTree *new_tree,
	const wm_learn__hunk *hunks, size_t nhunks, const wm_learn_options *opts)
{
	size_t *ol = NULL, *nl = NULL, nol, nnl, i;
	span *sp = NULL;
	int error;

	if ((error = index_lines(&ol, &nol, old, old_size)) < 0 ||
	    (error = index_lines(&nl, &nnl, new_, new_size)) < 0)
		goto done;
	if (!(sp = wm_calloc(nhunks ? nhunks : 1, sizeof(*sp)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < nhunks; i++) {
		const wm_learn__hunk *h = &hunks[i];
		span *s = &sp[i];

		/* libgit2 gives an empty side the line before the insertion point. */
		s->os = (uint32_t)line_offset(ol, nol, old_size, h->old_lines ? h->old_start : h->old_start + 1);
		s->oe = (uint32_t)line_offset(ol, nol, old_size, (h->old_lines ? h->old_start : h->old_start + 1) + h->old_lines);
		s->ns = (uint32_t)line_offset(nl, nnl, new_size, h->new_lines ? h->new_start : h->new_start + 1);
		s->ne = (uint32_t)line_offset(nl, nnl, new_size, (h->new_lines ? h->new_start : h->new_start + 1) + h->new_lines);
		s->cos = s->os;
		s->coe = s->oe;
		s->cns = s->ns;
		s->cne = s->ne;
		while (s->cos < s->coe && s->cns < s->cne && old[s->cos] == new_[s->cns]) {
			s->cos++;
			s->cns++;
		}
		while (s->coe > s->cos && s->cne > s->cns && old[s->coe - 1] == new_[s->cne - 1]) {
			s->coe--;
			s->cne--;
		}
	}
	for (i = 0; i < nhunks; i++) {
		TSNode on = enclosing(ts_tree_root_node(old_tree), sp[i].cos, sp[i].coe), nn = on;
		wm_learn__edit *ed;
		uint32_t ns = 0, ne = 0, climb;

		for (climb = 0; climb < MAX_CLIMB && !ts_node_is_null(on); climb++) {
			uint32_t s = ts_node_start_byte(on), e = ts_node_end_byte(on);

			if (!pattern_root(lang, old, on, opts->max_edit_bytes)) {
				on = ts_node_parent(on);
				continue;
			}
			if (map_span(&ns, &ne, sp, nhunks, i, s, e) && ns <= ne && ne <= new_size) {
				nn = exact(ts_tree_root_node(new_tree), ns, ne, ts_node_symbol(on));
				if (!ts_node_is_null(nn))
					break;
			}
			on = ts_node_parent(on);
		}
		if (climb == MAX_CLIMB || ts_node_is_null(on) || ts_node_is_null(ts_node_parent(on)))
			continue;
		if (ts_node_has_error(on) || ts_node_has_error(nn))
			continue;
		if (ts_node_end_byte(on) - ts_node_start_byte(on) > opts->max_edit_bytes ||
		    ne - ns > opts->max_edit_bytes)
			continue;
		if (same_code(old + ts_node_start_byte(on), ts_node_end_byte(on) - ts_node_start_byte(on),
				new_ + ns, ne - ns))
			continue;
		if (!(ed = wm_learn__edits_push(out))) {
			error = WM_ENOMEM;
			goto done;
		}
		ed->lang = lang;
		ed->bstart = ts_node_start_byte(on);
		ed->bend = ts_node_end_byte(on);
		error = wm_learn__flatten(&ed->bt, &ed->nbt, on, ed->bstart, opts->max_edit_nodes);
		if (!error)
			error = wm_learn__flatten(&ed->at, &ed->nat, nn, ns, opts->max_edit_nodes);
		if (!error && (!(ed->before = wm_strndup(old + ed->bstart, ed->bend - ed->bstart)) ||
		    !(ed->after = wm_strndup(new_ + ns, ne - ns))))
			error = WM_ENOMEM;
		if (!error)
			error = make_context(ed, lang, old, on, new_ + ns, ne - ns);
		if (error == WM_ERROR || (!error && !ed->ctx_before)) {
			/* Too many nodes, or no snippet parses alone: not an edit we can test. */
			wm_learn__edit_dispose(ed);
			out->count--;
			error = 0;
			wm_error_clear();
		}
		if (error < 0)
			goto done;
	}
done:
	wm_free(ol);
	wm_free(nl);
	wm_free(sp);
	return error;
}

/* Whole-word, case-insensitive search. */
static bool has_word(const char *msg, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = msg; *p; p++) {
		if (strncasecmp(p, w, n))
			continue;
		if ((p == msg || !isalnum((unsigned char)p[-1])) && !isalnum((unsigned char)p[n]))
			return true;
	}
	return false;
}

/*
 * Tool names among the warning words: a fix of what eslint said is a
 * signal, but in eslint's own repository "eslint" names the project (every
 * "eslint:recommended" release commit passed for a fix of a warning).
 */
static const char *const tools[] = { "lint", "eslint", "pylint", "flake8", "clippy", "coverity", NULL };

uint32_t wm_learn__keyword_tools(const char *message)
{
	uint32_t bits = 0;
	size_t i;

	for (i = 0; tools[i]; i++)
		if (has_word(message, tools[i]))
			bits |= 1u << i;
	return bits;
}

const char *wm_learn__keyword(const char *message, uint32_t ignore)
{
	static const char *const revert[] = { "revert", "reverts", "reverted", NULL };
	static const char *const typo[] = { "typo", "typos", "spelling", "misspelled", NULL };
	static const char *const fix[] = { "fix", "fixes", "fixed", "fixing", "hotfix", "bugfix", NULL };
	static const char *const bug[] = { "bug", "bugs", "crash", "regression", "broken", "leak", "leaks",
		"overflow", "segfault", "null-deref", "use-after-free", NULL };
	/* Fixes of what a compiler or linter said: the most repetitive fixes there are. */
	static const char *const warning[] = { "warning", "warnings", "deprecated", "deprecation", NULL };
	static const struct { const char *name; const char *const *words; } classes[] = {
		{ "revert", revert }, { "typo", typo }, { "fix", fix }, { "bug", bug }, { "warning", warning },
	};
	size_t c, w;

	for (c = 0; c < sizeof(classes) / sizeof(classes[0]); c++)
		for (w = 0; classes[c].words[w]; w++)
			if (has_word(message, classes[c].words[w]))
				return classes[c].name;
	if (wm_learn__keyword_tools(message) & ~ignore)
		return "warning";
	return NULL;
}
