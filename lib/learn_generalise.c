/*
 * learn_generalise.c - from concrete edits to before/after patterns.
 *
 * This follows Getafix (Bader et al., OOPSLA 2019). Edits are grouped by
 * language, fix signal and the kinds of their two root nodes; within a
 * group, clustering is agglomerative: start with one cluster per edit and
 * repeatedly merge the two clusters whose anti-unification makes the more
 * specific of them give up the fewest concrete nodes, so the most specific
 * generalisations are made first, until no merge gives a usable pattern.
 * Every node of the resulting dendrogram with enough support is a
 * candidate rule; negative evidence and the estimated precision then pick
 * the ones worth keeping (learn_negative.c).
 *
 * Anti-unification of two trees keeps what they share (same kind, same
 * child count, same leaf text) and replaces the first disagreement on each
 * path by a hole. The before and after sides of an edit are anti-unified
 * with ONE table of holes, keyed by the pair of subtree texts being
 * generalised: a variable that flows from the buggy code into the fix is
 * the same hole on both sides, which is what lets the fix be a template.
 * A disagreement at an anonymous node (an operator, a keyword) cannot be a
 * hole (metavariables bind named nodes only), so it generalises its parent.
 *
 * A pattern is usable when its before root is concrete, every hole of the
 * fix is bound by the before side, it has at most 26 holes ($A..$Z), and
 * the before side keeps at least MIN_CONCRETE concrete named leaves (`$A == $B`
 * says nothing a person would act on; for edits of a finding's signal the
 * finding said where, and structure alone is enough). Rules that still match far more
 * unchanged code than they were fixed are dropped afterwards (negative
 * evidence, learn_negative.c). Rules are kept only with support from
 * `min_support` distinct commits and only when their generated tests pass
 * (learn_emit.c).
 */
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"

/* Edits clustered together at most (agglomeration is quadratic in this). */
#define MAX_BUCKET 64
#define MAX_HOLES 26
/*
 * Concrete named leaves a pattern's before side keeps at least. Two would
 * reject the repeated fixes people do act on (`$A.has_key($B)`,
 * `!strcmp($A, $B)`, `$A == null` each name one thing); over-general
 * one-leaf patterns are caught by negative evidence instead.
 */
#define MIN_CONCRETE 1

void wm_learn__pattern_dispose(wm_learn__pattern *p)
{
	if (!p)
		return;
	wm_free(p->b);
	wm_free(p->a);
	memset(p, 0, sizeof(*p));
}

int wm_learn__pattern_of(wm_learn__pattern *out, const wm_learn__edit *e)
{
	memset(out, 0, sizeof(*out));
	if (!(out->b = wm_reallocarray(NULL, e->nbt, sizeof(wm_learn__node))) ||
	    !(out->a = wm_reallocarray(NULL, e->nat, sizeof(wm_learn__node)))) {
		wm_learn__pattern_dispose(out);
		return WM_ENOMEM;
	}
	memcpy(out->b, e->bt, e->nbt * sizeof(wm_learn__node));
	memcpy(out->a, e->at, e->nat * sizeof(wm_learn__node));
	out->nb = e->nbt;
	out->na = e->nat;
	out->btext = e->before;
	out->atext = e->after;
	out->lang = e->lang;
	return 0;
}

static int render_node(wm_buf *out, const wm_learn__node *t, uint32_t i, const char *text)
{
	uint32_t j, at;
	int error = 0;

	if (t[i].hole >= 0)
		return wm_buf_printf(out, "$%c", 'A' + t[i].hole);
	if (t[i].size == 1)
		return wm_buf_put(out, text + t[i].start, t[i].end - t[i].start);
	at = t[i].start;
	for (j = i + 1; j < i + t[i].size && !error; j += t[j].size) {
		if ((error = wm_buf_put(out, text + at, t[j].start - at)) < 0)
			break;
		error = render_node(out, t, j, text);
		at = t[j].end;
	}
	if (!error)
		error = wm_buf_put(out, text + at, t[i].end - at);
	return error;
}

int wm_learn__render(wm_buf *out, const wm_learn__pattern *p, bool after)
{
	return render_node(out, after ? p->a : p->b, 0, after ? p->atext : p->btext);
}

uint32_t wm_learn__concrete(const wm_learn__pattern *p)
{
	uint32_t i, n = 0;

	for (i = 0; i < p->nb; i++)
		if (p->b[i].hole < 0 && p->b[i].size == 1 && p->b[i].named)
			n++;
	return n;
}

static uint32_t nchildren(const wm_learn__node *t, uint32_t i)
{
	uint32_t j, n = 0;

	for (j = i + 1; j < i + t[i].size; j += t[j].size)
		n++;
	return n;
}

typedef struct hole_key {
	char *l, *r;
} hole_key;

typedef struct au_state {
	const wm_learn__pattern *x, *y;
	hole_key *keys;
	size_t nkeys, akeys;
	wm_learn__node *out;
	uint32_t count, alloc;
	wm_buf lt, rt;
} au_state;

/*
 * A metavariable binds one node that is code by itself; an argument or
 * parameter list is not (`$A$B` for `f()` would be no pattern at all), so
 * a disagreement there generalises the call or declaration around it.
 */
static bool holeable(const au_state *st, uint16_t sym)
{
	const TSLanguage *l = wm_syntax_language(st->x->lang);

	return !l || !wm_learn__list_kind(ts_language_symbol_name(l, sym));
}

/* Anti-unification failed at an anonymous node: the parent must generalise. */
#define AU_UP 1

static int push(au_state *st, const wm_learn__node *n)
{
	if (st->count == st->alloc) {
		uint32_t a = st->alloc ? st->alloc * 2 : 64;
		wm_learn__node *grown = wm_reallocarray(st->out, a, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		st->out = grown;
		st->alloc = a;
	}
	st->out[st->count++] = *n;
	return 0;
}

static int hole_for(int *out, au_state *st, bool after, uint32_t xi, uint32_t yi)
{
	const wm_learn__pattern *x = st->x, *y = st->y;
	size_t k;
	int error;

	wm_buf_clear(&st->lt);
	wm_buf_clear(&st->rt);
	if ((error = render_node(&st->lt, after ? x->a : x->b, xi, after ? x->atext : x->btext)) < 0 ||
	    (error = render_node(&st->rt, after ? y->a : y->b, yi, after ? y->atext : y->btext)) < 0 ||
	    (error = wm_buf_putc(&st->lt, '\0')) < 0 || (error = wm_buf_putc(&st->rt, '\0')) < 0)
		return error;
	for (k = 0; k < st->nkeys; k++)
		if (!strcmp(st->keys[k].l, st->lt.ptr) && !strcmp(st->keys[k].r, st->rt.ptr))
			break;
	if (k == st->nkeys) {
		if (st->nkeys == st->akeys) {
			size_t a = st->akeys ? st->akeys * 2 : 8;
			hole_key *grown = wm_reallocarray(st->keys, a, sizeof(*grown));

			if (!grown)
				return WM_ENOMEM;
			st->keys = grown;
			st->akeys = a;
		}
		st->keys[k].l = wm_strdup(st->lt.ptr);
		st->keys[k].r = wm_strdup(st->rt.ptr);
		st->nkeys++;
		if (!st->keys[k].l || !st->keys[k].r)
			return WM_ENOMEM;
	}
	*out = (int)k;
	return 0;
}

static int au_rec(au_state *st, bool after, uint32_t xi, uint32_t yi)
{
	const wm_learn__node *xt = after ? st->x->a : st->x->b, *yt = after ? st->y->a : st->y->b;
	const char *xs = after ? st->x->atext : st->x->btext, *ys = after ? st->y->atext : st->y->btext;
	const wm_learn__node *p = &xt[xi], *q = &yt[yi];
	wm_learn__node h;
	uint32_t at = st->count, i, j;
	int error, idx;

	if (p->hole < 0 && q->hole < 0 && p->sym == q->sym && p->named == q->named &&
	    nchildren(xt, xi) == nchildren(yt, yi) &&
	    (p->size > 1 || (p->end - p->start == q->end - q->start &&
		!memcmp(xs + p->start, ys + q->start, p->end - p->start)))) {
		if ((error = push(st, p)) < 0)
			return error;
		for (i = xi + 1, j = yi + 1; i < xi + p->size; i += xt[i].size, j += yt[j].size) {
			if ((error = au_rec(st, after, i, j)) < 0)
				return error;
			if (error == AU_UP)
				break;
		}
		if (i >= xi + p->size) {
			st->out[at].size = st->count - at;
			return 0;
		}
		st->count = at;
	}
	if (!p->named || !q->named || !holeable(st, p->sym))
		return AU_UP;
	if ((error = hole_for(&idx, st, after, xi, yi)) < 0)
		return error;
	h = *p;
	h.hole = (int8_t)(idx < 127 ? idx : 127);
	h.size = 1;
	return push(st, &h);
}

/* Renumber holes by first appearance, before side first; -1 when the fix uses an unbound one. */
static int renumber(wm_learn__node *b, uint32_t nb, wm_learn__node *a, uint32_t na)
{
	int map[128], next = 0;
	uint32_t i;

	for (i = 0; i < 128; i++)
		map[i] = -1;
	for (i = 0; i < nb; i++)
		if (b[i].hole >= 0) {
			if (map[b[i].hole] < 0)
				map[b[i].hole] = next++;
			b[i].hole = (int8_t)map[b[i].hole];
		}
	for (i = 0; i < na; i++)
		if (a[i].hole >= 0) {
			if (map[a[i].hole] < 0)
				return -1;
			a[i].hole = (int8_t)map[a[i].hole];
		}
	return next;
}

int wm_learn__antiunify(wm_learn__pattern *out, const wm_learn__pattern *x,
	const wm_learn__pattern *y)
{
	au_state st;
	wm_learn__node *b = NULL;
	uint32_t nb = 0;
	size_t k;
	int error, holes;

	memset(&st, 0, sizeof(st));
	memset(out, 0, sizeof(*out));
	st.x = x;
	st.y = y;
	if ((error = au_rec(&st, false, 0, 0)) != 0)
		goto done;
	b = st.out;
	nb = st.count;
	st.out = NULL;
	st.count = st.alloc = 0;
	if ((error = au_rec(&st, true, 0, 0)) != 0)
		goto done;
	if (b[0].hole >= 0 || st.nkeys > 127 ||
	    (holes = renumber(b, nb, st.out, st.count)) < 0 || holes > MAX_HOLES) {
		error = AU_UP;
		goto done;
	}
	out->b = b;
	out->nb = nb;
	out->a = st.out;
	out->na = st.count;
	out->btext = x->btext;
	out->atext = x->atext;
	out->nholes = holes;
	out->lang = x->lang;
	b = NULL;
	st.out = NULL;
done:
	for (k = 0; k < st.nkeys; k++) {
		wm_free(st.keys[k].l);
		wm_free(st.keys[k].r);
	}
	wm_free(st.keys);
	wm_free(st.out);
	wm_free(b);
	wm_buf_dispose(&st.lt);
	wm_buf_dispose(&st.rt);
	if (error < 0)
		return error;
	return error == AU_UP ? 0 : 1;
}

/* --- clustering -------------------------------------------------------------- */

typedef struct cluster {
	wm_learn__pattern p;
	size_t *members;         /* indices into the bucket's edit array */
	size_t n;
	bool alive;
} cluster;

typedef struct pair_cost {
	int valid;               /* -1 not computed, 0 no usable merge, 1 usable */
	long cost;
} pair_cost;

/* Concrete (non-hole) entries of a flattened tree. */
static long concrete_nodes(const wm_learn__node *t, uint32_t n)
{
	uint32_t i;
	long c = 0;

	for (i = 0; i < n; i++)
		c += t[i].hole < 0;
	return c;
}

/*
 * What a merge gives up: concrete nodes, holes included. Counting entries
 * alone would make generalising a leaf free (a hole is one entry, like
 * the leaf it replaces), so `check(x, OLD)` would merge with `check(y, 0)`
 * as readily as with `check(x, OLD)`.
 */
static long lost(const wm_learn__pattern *from, const wm_learn__pattern *to)
{
	return concrete_nodes(from->b, from->nb) + concrete_nodes(from->a, from->na) -
		concrete_nodes(to->b, to->nb) - concrete_nodes(to->a, to->na);
}

/* A merge is usable when the result is a rule a person would act on. */
static int usable(int *out, const wm_learn__pattern *p, uint32_t min_concrete)
{
	wm_buf b = WM_BUF_INIT, a = WM_BUF_INIT;
	int error;

	*out = 0;
	if ((error = wm_learn__render(&b, p, false)) < 0 || (error = wm_learn__render(&a, p, true)) < 0)
		goto done;
	*out = wm_learn__concrete(p) >= min_concrete && b.ptr && a.ptr && strcmp(b.ptr, a.ptr) != 0;
done:
	wm_buf_dispose(&b);
	wm_buf_dispose(&a);
	return error;
}

static int cost_of(pair_cost *out, const cluster *x, const cluster *y, uint32_t min_concrete)
{
	wm_learn__pattern m;
	int error, ok = 0;

	out->valid = 0;
	if ((error = wm_learn__antiunify(&m, &x->p, &y->p)) < 0)
		return error;
	if (error == 1) {
		if ((error = usable(&ok, &m, min_concrete)) < 0)
			goto done;
		out->valid = ok;
		/*
		 * What the more specific side gives up: with the sum, a pattern
		 * that is general already loses nothing more, so it would swallow
		 * specific edits before they could pair with their own kind.
		 */
		long lx = lost(&x->p, &m), ly = lost(&y->p, &m);

		out->cost = lx > ly ? lx : ly;
	}
	error = 0;
done:
	wm_learn__pattern_dispose(&m);
	return error;
}

static int distinct_commits(wm_learn__edit *const *edits, size_t n)
{
	size_t i, j;
	int d = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < i && strcmp(edits[i]->commit, edits[j]->commit); j++)
			;
		d += j == i;
	}
	return d;
}

typedef struct rules_acc {
	wm_learn_rules *rules;
	size_t alloc;
	wm_repo *repo;
	const wm_learn_options *opts;
	char **tried;            /* ids of the candidates built so far, to count each once */
	size_t ntried, tried_alloc;
	char *rejected;          /* ids rejected in review (wm_learn__rejected_load) */
} rules_acc;

static bool has_id(char *const *ids, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(ids[i], id))
			return true;
	return false;
}

/*
 * Many nodes of one dendrogram render to the same pattern (flask: 40
 * candidates, one rule). Building a rule runs its tests, so a pattern
 * learned already (possibly from another signal's edits) or rejected in
 * review is skipped before that (`*skip`), and the candidates count
 * distinct patterns.
 */
static int first_try(bool *first, bool *skip, rules_acc *acc, const cluster *c, wm_lang lang)
{
	wm_buf id = WM_BUF_INIT;
	size_t i;
	int error;

	*first = false;
	if ((error = wm_learn__rule_id(&id, &c->p, lang)) < 0)
		goto done;
	*skip = wm_learn__rejected(acc->rejected, id.ptr);
	for (i = 0; i < acc->rules->count && !*skip; i++)
		*skip = !strcmp(acc->rules->items[i].id, id.ptr);
	if (has_id(acc->tried, acc->ntried, id.ptr))
		goto done;
	*first = true;
	if (acc->ntried == acc->tried_alloc) {
		size_t a = acc->tried_alloc ? acc->tried_alloc * 2 : 64;
		char **grown = wm_reallocarray(acc->tried, a, sizeof(*grown));

		if (!grown) {
			error = WM_ENOMEM;
			goto done;
		}
		acc->tried = grown;
		acc->tried_alloc = a;
	}
	acc->tried[acc->ntried++] = wm_buf_detach(&id);
done:
	wm_buf_dispose(&id);
	return error;
}

static int add_rule(rules_acc *acc, const cluster *c, wm_learn__edit **bucket)
{
	wm_learn__edit **members = NULL;
	wm_learn_rule r;
	size_t i;
	bool ok = false, first, skip;
	int error;

	memset(&r, 0, sizeof(r));
	if (!(members = wm_calloc(c->n, sizeof(*members))))
		return WM_ENOMEM;
	for (i = 0; i < c->n; i++)
		members[i] = bucket[c->members[i]];
	if (distinct_commits(members, c->n) < (int)acc->opts->min_support) {
		error = 0;
		goto done;
	}
	if ((error = first_try(&first, &skip, acc, c, members[0]->lang)) < 0 || skip)
		goto done;
	acc->rules->candidates += first;
	if ((error = wm_learn__make_rule(&r, &ok, &c->p, members, c->n, acc->opts->min_support)) < 0)
		goto done;
	if (!ok)
		goto done;
	if (acc->rules->count == acc->alloc) {
		size_t a = acc->alloc ? acc->alloc * 2 : 16;
		wm_learn_rule *grown = wm_reallocarray(acc->rules->items, a, sizeof(*grown));

		if (!grown) {
			error = WM_ENOMEM;
			goto done;
		}
		acc->rules->items = grown;
		acc->alloc = a;
	}
	acc->rules->items[acc->rules->count++] = r;
	memset(&r, 0, sizeof(r));
done:
	wm_learn__rule_dispose(&r);
	wm_free(members);
	return error;
}

/* Agglomerate one bucket of edits (same language, signal and root kinds). */
static int cluster_bucket(rules_acc *acc, wm_learn__edit **bucket, size_t n)
{
	cluster *cs = NULL;
	pair_cost *costs = NULL;
	size_t i, j, alive = n;
	int error = 0;
	/*
	 * A finding's rule already says where the mistake is, so a pattern
	 * made only of structure (`try: $A except: $B`, fixed by naming the
	 * exception) is specific enough; a commit message says nothing of
	 * the kind, so keyword patterns must name something.
	 */
	uint32_t min_concrete = strncmp(bucket[0]->signal, "finding:", 8) ? MIN_CONCRETE : 0;

	if (!(cs = wm_calloc(n, sizeof(*cs))) || !(costs = wm_calloc(n * n, sizeof(*costs)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		if ((error = wm_learn__pattern_of(&cs[i].p, bucket[i])) < 0)
			goto done;
		if (!(cs[i].members = wm_calloc(n, sizeof(size_t)))) {
			error = WM_ENOMEM;
			goto done;
		}
		cs[i].members[0] = i;
		cs[i].n = 1;
		cs[i].alive = true;
	}
	for (i = 0; i < n * n; i++)
		costs[i].valid = -1;
	while (alive > 1) {
		size_t bi = n, bj = n;
		long best = 0;
		wm_learn__pattern m;

		for (i = 0; i < n; i++) {
			if (!cs[i].alive)
				continue;
			for (j = i + 1; j < n; j++) {
				pair_cost *pc = &costs[i * n + j];

				if (!cs[j].alive)
					continue;
				if (pc->valid < 0 && (error = cost_of(pc, &cs[i], &cs[j], min_concrete)) < 0)
					goto done;
				if (pc->valid && (bi == n || pc->cost < best)) {
					bi = i;
					bj = j;
					best = pc->cost;
				}
			}
		}
		if (bi == n)
			break;
		if ((error = wm_learn__antiunify(&m, &cs[bi].p, &cs[bj].p)) < 0)
			goto done;
		error = 0; /* usable: cost_of said so */
		wm_learn__pattern_dispose(&cs[bi].p);
		cs[bi].p = m;
		memcpy(cs[bi].members + cs[bi].n, cs[bj].members, cs[bj].n * sizeof(size_t));
		cs[bi].n += cs[bj].n;
		cs[bj].alive = false;
		alive--;
		for (j = 0; j < n; j++) {
			costs[(bi < j ? bi : j) * n + (bi < j ? j : bi)].valid = -1;
		}
		/*
		 * Every node of the dendrogram is a candidate, not only its roots:
		 * the last merges make the most general patterns, which negative
		 * evidence usually rejects, and the specific pattern below one is
		 * often the rule worth having (Getafix keeps the whole hierarchy
		 * for the same reason).
		 */
		if (cs[bi].n >= acc->opts->min_support && (error = add_rule(acc, &cs[bi], bucket)) < 0)
			goto done;
	}
done:
	for (i = 0; cs && i < n; i++) {
		wm_learn__pattern_dispose(&cs[i].p);
		wm_free(cs[i].members);
	}
	wm_free(cs);
	wm_free(costs);
	return error;
}

/*
 * The signal edits are grouped by. A finding's rule names a kind of
 * mistake, so those stay apart; the keyword classes of commit messages
 * do not (the same `== None` fix is called a fix, a bug or a lint
 * warning by different people), so all of them are one group.
 */
static int signal_cmp(const char *a, const char *b)
{
	bool ka = !strncmp(a, "keyword:", 8), kb = !strncmp(b, "keyword:", 8);

	if (ka && kb)
		return 0;
	if (ka != kb)
		return ka ? -1 : 1;
	return strcmp(a, b);
}

static int by_bucket(const void *pa, const void *pb)
{
	const wm_learn__edit *a = *(wm_learn__edit *const *)pa, *b = *(wm_learn__edit *const *)pb;
	int c;

	if (a->lang != b->lang)
		return a->lang < b->lang ? -1 : 1;
	if ((c = signal_cmp(a->signal, b->signal)) != 0)
		return c;
	if (a->bt[0].sym != b->bt[0].sym)
		return a->bt[0].sym < b->bt[0].sym ? -1 : 1;
	if (a->at[0].sym != b->at[0].sym)
		return a->at[0].sym < b->at[0].sym ? -1 : 1;
	/* Newest first, so a capped bucket keeps the most recent edits. */
	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	if ((c = strcmp(a->commit, b->commit)) != 0)
		return c;
	if ((c = strcmp(a->path, b->path)) != 0)
		return c;
	return a->bstart < b->bstart ? -1 : a->bstart > b->bstart;
}

static bool same_bucket(const wm_learn__edit *a, const wm_learn__edit *b)
{
	return a->lang == b->lang && !signal_cmp(a->signal, b->signal) &&
		a->bt[0].sym == b->bt[0].sym && a->at[0].sym == b->at[0].sym;
}

/*
 * A bucket larger than MAX_BUCKET is split before clustering, so that
 * all of its edits are used, not only the newest MAX_BUCKET (in curl's
 * history 83 % of the edits fell in such buckets): first by the kinds of
 * the two roots' children, then by the first concrete name of the
 * before side (the called function, the returned constant, the declared
 * type). Edits that differ there would rarely make one pattern anyway.
 */
typedef struct keyed {
	wm_learn__edit *e;
	uint64_t shape, name;
} keyed;

static uint64_t child_kinds(const wm_learn__node *t, uint64_t h)
{
	uint32_t j;

	for (j = 1; j < t[0].size; j += t[j].size) {
		h ^= t[j].sym;
		h *= 1099511628211ull;
	}
	return h;
}

static uint64_t first_name(const wm_learn__edit *e)
{
	uint32_t i;

	for (i = 1; i < e->nbt; i++)
		if (e->bt[i].size == 1 && e->bt[i].named)
			return wm_learn__hashn(e->before + e->bt[i].start, e->bt[i].end - e->bt[i].start, 0);
	return wm_learn__hashn("", 0, 0);
}

static int by_keys(const void *pa, const void *pb)
{
	const keyed *a = pa, *b = pb;

	if (a->shape != b->shape)
		return a->shape < b->shape ? -1 : 1;
	if (a->name != b->name)
		return a->name < b->name ? -1 : 1;
	return by_bucket(&a->e, &b->e);
}

/* Cluster a run of keyed edits, the first MAX_BUCKET of them (newest first within a name). */
static int cluster_keyed(rules_acc *acc, const keyed *k, size_t n, wm_learn__edit **sub)
{
	size_t i;

	if (n > MAX_BUCKET)
		n = MAX_BUCKET;
	for (i = 0; i < n; i++)
		sub[i] = k[i].e;
	return cluster_bucket(acc, sub, n);
}

static int cluster_split(rules_acc *acc, wm_learn__edit **bucket, size_t n)
{
	wm_learn__edit **sub = NULL;
	keyed *k = NULL;
	size_t i, j, m, l;
	int error = 0;

	if (n <= MAX_BUCKET)
		return cluster_bucket(acc, bucket, n);
	if (!(k = wm_calloc(n, sizeof(*k))) || !(sub = wm_calloc(n, sizeof(*sub)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		k[i].e = bucket[i];
		k[i].shape = child_kinds(bucket[i]->at, child_kinds(bucket[i]->bt, 0) ^ 0x5bd1e995u);
		k[i].name = first_name(bucket[i]);
	}
	qsort(k, n, sizeof(*k), by_keys);
	for (i = 0; i < n && !error; i = j) {
		for (j = i + 1; j < n && k[j].shape == k[i].shape; j++)
			;
		if (j - i < acc->opts->min_support)
			continue;
		if (j - i <= MAX_BUCKET) {
			error = cluster_keyed(acc, k + i, j - i, sub);
			continue;
		}
		for (l = i; l < j && !error; l = m) {
			for (m = l + 1; m < j && k[m].name == k[l].name; m++)
				;
			if (m - l >= acc->opts->min_support)
				error = cluster_keyed(acc, k + l, m - l, sub);
		}
	}
done:
	wm_free(k);
	wm_free(sub);
	return error;
}

static int by_support(const void *pa, const void *pb)
{
	const wm_learn_rule *a = pa, *b = pb;

	if (a->support != b->support)
		return a->support > b->support ? -1 : 1;
	return strcmp(a->id, b->id);
}

int wm_learn__generalise_edits(wm_learn_rules **out, wm_repo *repo, git_repository *git,
	wm_learn__edits *edits, const wm_learn_options *opts)
{
	wm_learn__edit **order = NULL;
	rules_acc acc;
	size_t i, j;
	int error = 0;

	*out = NULL;
	memset(&acc, 0, sizeof(acc));
	acc.repo = repo;
	acc.opts = opts;
	if (repo && (error = wm_learn__rejected_load(&acc.rejected, repo)) < 0)
		goto done;
	if (!(acc.rules = wm_calloc(1, sizeof(*acc.rules))) ||
	    !(order = wm_calloc(edits->count ? edits->count : 1, sizeof(*order)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < edits->count; i++)
		order[i] = &edits->items[i];
	qsort(order, edits->count, sizeof(*order), by_bucket);
	acc.rules->edits = edits->count;
	for (i = 0; i < edits->count; i = j) {
		for (j = i + 1; j < edits->count && same_bucket(order[i], order[j]); j++)
			;
		if (j - i >= opts->min_support && (error = cluster_split(&acc, order + i, j - i)) < 0)
			goto done;
	}
	if (git && (error = wm_learn__negative(acc.rules, git, edits, opts)) < 0)
		goto done;
	if (acc.rules->count)
		qsort(acc.rules->items, acc.rules->count, sizeof(wm_learn_rule), by_support);
	*out = acc.rules;
	acc.rules = NULL;
done:
	for (i = 0; i < acc.ntried; i++)
		wm_free(acc.tried[i]);
	wm_free(acc.tried);
	wm_free(acc.rejected);
	wm_learn_rules_free(acc.rules);
	wm_free(order);
	return error;
}

int wm_learn_generalise(wm_learn_rules **out, wm_repo *repo, const wm_learn_options *opts)
{
	wm_learn__edits edits = { NULL, 0, 0 };
	int error;

	*out = NULL;
	if ((error = wm_learn__load_edits(&edits, repo, opts->until)) < 0)
		goto done;
	error = wm_learn__generalise_edits(out, repo, wm_repo_git(repo), &edits, opts);
	/* Rules point into no edit: their texts were copied by learn_emit.c. */
done:
	wm_learn__edits_dispose(&edits);
	return error;
}

void wm_learn__rule_dispose(wm_learn_rule *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->support && r->commits; i++)
		wm_free(r->commits[i]);
	wm_free(r->commits);
	wm_free(r->id);
	wm_free(r->signal);
	wm_free(r->pattern);
	wm_free(r->fix);
	wm_free(r->yaml);
	memset(r, 0, sizeof(*r));
}

void wm_learn_rules_free(wm_learn_rules *rules)
{
	size_t i;

	if (!rules)
		return;
	for (i = 0; i < rules->count; i++)
		wm_learn__rule_dispose(&rules->items[i]);
	wm_free(rules->items);
	wm_free(rules);
}

uint64_t wm_learn__hashn(const char *s, size_t n, uint64_t h)
{
	size_t i;

	if (!h)
		h = 1469598103934665603ull;
	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

uint64_t wm_learn__hash(const char *s, uint64_t h)
{
	return wm_learn__hashn(s, strlen(s), h);
}
