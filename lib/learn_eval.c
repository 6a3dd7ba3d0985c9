/*
 * learn_eval.c - judging learned antibodies on history they never saw.
 *
 * For each split date the rules are learned from the edits of commits
 * before it only; then every fix commit in [date, date + window) is
 * replayed: the rules run on the parent's version of each file the commit
 * modified, and their suggestions are compared with the human edits that
 * the extractor found in that commit (the same extractor the learner uses,
 * so "an edit" means the same thing on both sides).
 *
 * A suggestion predicts an edit when their ranges overlap; it is an exact
 * match when the code it produces equals the human's after removing all
 * white space (the region compared is the union of the two ranges, so a
 * suggestion that rewrites a little more or less than the person did is
 * still judged on the resulting code). Suggestions at one place are ranked
 * by estimated precision (learn_negative.c), then support, then
 * specificity, then id, which gives top-1 and top-5.
 * Everything is deterministic: edits and commits are sorted, rules are
 * ordered, nothing depends on timing.
 */
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "learn.h"
#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/buf.h"
#include "wm/error.h"

#define MAX_BLOB (512u * 1024u)
/* Per-rule tallies need this many suggestions before a precision counts. */
#define MIN_SUGGESTIONS 2

typedef struct commit_rec {
	char id[41];
	int64_t time;
	bool fix;
} commit_rec;

typedef struct rule_tally {
	char *id;
	size_t sugg, correct;
	size_t top1_ranked, top1_exact;
} rule_tally;

typedef struct split_state {
	wm_learn_rules *rules;
	wm_antibodies *set;
	size_t *rank;            /* set index -> learned rule index */
	rule_tally *tally;       /* per learned rule */
	bool *on_head;
} split_state;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int load_commits(commit_rec **out, size_t *count, wm_repo *repo)
{
	wm_buf path = WM_BUF_INIT;
	commit_rec *v = NULL;
	size_t n = 0, alloc = 0, cap = 0;
	char *line = NULL;
	ssize_t len;
	FILE *f = NULL;
	int error;

	*out = NULL;
	*count = 0;
	if ((error = wm_learn__state_path(&path, repo, "commits.jsonl")) < 0)
		goto done;
	if (!(f = fopen(path.ptr, "rb")))
		goto done;
	while ((len = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		const char *c = o ? json_string_value(json_object_get(o, "c")) : NULL;

		if (c && strlen(c) == 40 && json_is_true(json_object_get(o, "f"))) {
			if (n == alloc) {
				size_t a = alloc ? alloc * 2 : 256;
				commit_rec *grown = wm_reallocarray(v, a, sizeof(*grown));

				if (!grown) {
					json_decref(o);
					error = WM_ENOMEM;
					goto done;
				}
				v = grown;
				alloc = a;
			}
			memcpy(v[n].id, c, 41);
			v[n].time = json_integer_value(json_object_get(o, "t"));
			v[n].fix = true;
			n++;
		}
		json_decref(o);
	}
	*out = v;
	*count = n;
	v = NULL;
done:
	if (f)
		fclose(f);
	free(line);
	wm_free(v);
	wm_buf_dispose(&path);
	return error;
}

static bool same_code(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < na && strchr(" \t\r\n", a[i]))
			i++;
		while (j < nb && strchr(" \t\r\n", b[j]))
			j++;
		if (i == na || j == nb)
			return i == na && j == nb;
		if (a[i++] != b[j++])
			return false;
	}
}

int wm_learn__exact(bool *out, const char *src, const wm_antibody_match *m, const wm_learn__edit *e)
{
	uint32_t rs = m->start_byte < e->bstart ? m->start_byte : e->bstart;
	uint32_t re = m->end_byte > e->bend ? m->end_byte : e->bend;
	wm_buf h = WM_BUF_INIT, s = WM_BUF_INIT;
	int error;

	if ((error = wm_buf_put(&h, src + rs, e->bstart - rs)) < 0 || (error = wm_buf_puts(&h, e->after)) < 0 ||
	    (error = wm_buf_put(&h, src + e->bend, re - e->bend)) < 0 ||
	    (error = wm_buf_put(&s, src + rs, m->start_byte - rs)) < 0 ||
	    (error = wm_buf_puts(&s, m->fix ? m->fix : "")) < 0 ||
	    (error = wm_buf_put(&s, src + m->end_byte, re - m->end_byte)) < 0)
		goto done;
	*out = same_code(h.ptr ? h.ptr : "", h.size, s.ptr ? s.ptr : "", s.size);
done:
	wm_buf_dispose(&h);
	wm_buf_dispose(&s);
	return error;
}

typedef struct ranked {
	const wm_antibody_match *m;
	const wm_learn_rule *r;
	double fit;              /* overlap of match and edit: shared bytes / bytes of either */
} ranked;

/* How well a match covers the place being fixed (Jaccard index of the two byte ranges). */
static double fit(const wm_antibody_match *m, const wm_learn__edit *e)
{
	uint32_t is = m->start_byte > e->bstart ? m->start_byte : e->bstart;
	uint32_t ie = m->end_byte < e->bend ? m->end_byte : e->bend;
	uint32_t us = m->start_byte < e->bstart ? m->start_byte : e->bstart;
	uint32_t ue = m->end_byte > e->bend ? m->end_byte : e->bend;

	return ie > is && ue > us ? (double)(ie - is) / (double)(ue - us) : 0.0;
}

static int by_rank(const void *pa, const void *pb)
{
	const ranked *a = pa, *b = pb;

	/*
	 * The place is given (as a warning gives it to Getafix): a rule whose
	 * match is that place comes before one that matches a sliver inside it
	 * or a whole statement around it. Then the precision measured on
	 * training files.
	 */
	if (a->fit != b->fit)
		return a->fit > b->fit ? -1 : 1;
	if (a->r->precision != b->r->precision)
		return a->r->precision > b->r->precision ? -1 : 1;
	if (a->r->support != b->r->support)
		return a->r->support > b->r->support ? -1 : 1;
	if (a->r->concrete != b->r->concrete)
		return a->r->concrete > b->r->concrete ? -1 : 1;
	return strcmp(a->r->id, b->r->id);
}

/* Replay one file of a held-out commit. */
static int replay_file(wm_learn_split *sp, split_state *ss, wm_lang lang, const char *src, size_t size,
	const wm_learn__edit *edits, size_t nedits)
{
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	ranked *cands = NULL;
	TSTree *tree = NULL;
	size_t i, k, ncand;
	bool *hit = NULL;
	int error = 0;

	if (wm_syntax_parse(&tree, lang, src, size) < 0) {
		wm_error_clear();
		goto done;
	}
	/* Fixes unsettled: overlapping fixes of several rules must all be ranked. */
	if ((error = wm_antibodies_scan_each(&m, ss->set, lang, ts_tree_root_node(tree), src)) < 0)
		goto done;
	sp->suggestions += m.count;
	if (!(hit = wm_calloc(m.count + 1, sizeof(bool))) || !(cands = wm_calloc(m.count + 1, sizeof(*cands)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (k = 0; k < nedits; k++) {
		const wm_learn__edit *e = &edits[k];

		ncand = 0;
		for (i = 0; i < m.count; i++)
			if (m.items[i].start_byte < e->bend && m.items[i].end_byte > e->bstart) {
				cands[ncand].m = &m.items[i];
				cands[ncand].fit = fit(&m.items[i], e);
				cands[ncand++].r = &ss->rules->items[ss->rank[m.items[i].rule]];
			}
		if (!ncand)
			continue;
		sp->predicted++;
		qsort(cands, ncand, sizeof(*cands), by_rank);
		ss->tally[ss->rank[cands[0].m->rule]].top1_ranked++;
		for (i = 0; i < ncand; i++) {
			bool ok;

			if ((error = wm_learn__exact(&ok, src, cands[i].m, e)) < 0)
				goto done;
			if (!ok)
				continue;
			hit[cands[i].m - m.items] = true;
			if (i == 0) {
				sp->top1++;
				ss->tally[ss->rank[cands[0].m->rule]].top1_exact++;
			}
			if (i < 5) {
				sp->top5++;
				break;
			}
		}
	}
	for (i = 0; i < m.count; i++) {
		rule_tally *t = &ss->tally[ss->rank[m.items[i].rule]];

		t->sugg++;
		t->correct += hit[i];
		sp->correct += hit[i];
	}
done:
	if (tree)
		ts_tree_delete(tree);
	wm_antibody_matches_dispose(&m);
	wm_free(hit);
	wm_free(cands);
	return error;
}

static int replay_commit(wm_learn_split *sp, split_state *ss, git_repository *git, const commit_rec *c,
	const wm_learn__edits *all, size_t from, size_t to)
{
	git_oid oid;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *ot = NULL, *nt = NULL;
	git_diff *diff = NULL;
	size_t i, a, b;
	int error = 0;

	if (git_oid_fromstr(&oid, c->id) < 0 || git_commit_lookup(&commit, git, &oid) < 0 ||
	    git_commit_parentcount(commit) < 1 || git_commit_parent(&parent, commit, 0) < 0 ||
	    git_commit_tree(&ot, parent) < 0 || git_commit_tree(&nt, commit) < 0 ||
	    git_diff_tree_to_tree(&diff, git, ot, nt, NULL) < 0)
		goto done; /* history rewritten since mining: nothing to replay */
	sp->test_commits++;
	sp->test_edits += to - from;
	for (i = 0; i < git_diff_num_deltas(diff) && !error; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		git_blob *blob = NULL;
		wm_lang lang;

		if (d->status != GIT_DELTA_MODIFIED || wm_learn__vendored(d->new_file.path))
			continue;
		lang = wm_syntax_detect(d->new_file.path, NULL, 0);
		if (lang == WM_LANG_NONE || git_blob_lookup(&blob, git, &d->old_file.id) < 0)
			continue;
		/* This file's human edits: `all` is sorted by commit, path, position. */
		for (a = from; a < to && strcmp(all->items[a].path, d->new_file.path); a++)
			;
		for (b = a; b < to && !strcmp(all->items[b].path, d->new_file.path); b++)
			;
		if (git_blob_rawsize(blob) <= MAX_BLOB)
			error = replay_file(sp, ss, lang, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
				all->items + a, b - a);
		git_blob_free(blob);
	}
done:
	git_diff_free(diff);
	git_tree_free(ot);
	git_tree_free(nt);
	git_commit_free(parent);
	git_commit_free(commit);
	return error;
}

/* Which learned rules fire on HEAD, for every split at once (HEAD is parsed once). */
static int scan_head(split_state *ss, size_t nsplits, wm_repo *repo)
{
	wm_world *world = NULL;
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	size_t i, s, k;
	int error;

	if ((error = wm_world_open(&world, repo, WM_WORLD_HEAD, NULL)) < 0)
		goto done;
	for (i = 0; i < wm_world_count(world); i++) {
		const wm_entry *e = wm_world_entry(world, i);
		wm_blob blob = WM_BLOB_INIT;
		TSTree *tree = NULL;
		wm_lang lang = wm_syntax_detect(e->path, NULL, 0);
		bool wanted = false;

		if (lang == WM_LANG_NONE || e->mode == WM_MODE_LINK || e->mode == WM_MODE_GITLINK ||
		    wm_learn__vendored(e->path))
			continue;
		for (s = 0; s < nsplits && !wanted; s++)
			for (k = 0; k < wm_antibodies_count(ss[s].set) && !wanted; k++)
				wanted = wm_antibodies_info(ss[s].set, k)->lang == lang;
		if (!wanted || wm_world_read(&blob, world, e->path) < 0) {
			wm_error_clear();
			continue;
		}
		if (blob.size <= MAX_BLOB && wm_syntax_parse(&tree, lang, blob.data, blob.size) == 0) {
			for (s = 0; s < nsplits && !error; s++) {
				wm_antibody_matches_dispose(&m);
				if ((error = wm_antibodies_scan(&m, ss[s].set, lang, ts_tree_root_node(tree),
						blob.data, SIZE_MAX)) < 0)
					break;
				for (k = 0; k < m.count; k++)
					ss[s].on_head[ss[s].rank[m.items[k].rule]] = true;
			}
			ts_tree_delete(tree);
		}
		wm_error_clear();
		wm_blob_release(&blob);
		if (error < 0)
			goto done;
	}
done:
	wm_antibody_matches_dispose(&m);
	wm_world_free(world);
	return error;
}

static int by_suggestions(const void *pa, const void *pb)
{
	const wm_learn_rule_score *a = pa, *b = pb;

	if (a->suggestions != b->suggestions)
		return a->suggestions > b->suggestions ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Per-rule precision, so one over-general rule cannot hide inside the totals. */
static int score_rules(wm_learn_split *sp, const split_state *ss)
{
	size_t i;

	if (!(sp->scores = wm_calloc(ss->rules->count + 1, sizeof(*sp->scores))))
		return WM_ENOMEM;
	for (i = 0; i < ss->rules->count; i++) {
		const wm_learn_rule *r = &ss->rules->items[i];
		wm_learn_rule_score *sc = &sp->scores[sp->nscores];

		if (!ss->tally[i].sugg)
			continue;
		sp->nscores++;
		sc->support = r->support;
		sc->unchanged = r->unchanged;
		sc->suggestions = ss->tally[i].sugg;
		sc->correct = ss->tally[i].correct;
		sc->top1_ranked = ss->tally[i].top1_ranked;
		sc->top1_exact = ss->tally[i].top1_exact;
		if (!(sc->id = wm_strdup(r->id)) || !(sc->pattern = wm_strdup(r->pattern)) ||
		    !(sc->fix = wm_strdup(r->fix)))
			return WM_ENOMEM;
	}
	if (sp->nscores)
		qsort(sp->scores, sp->nscores, sizeof(*sp->scores), by_suggestions);
	return 0;
}

static bool good(const rule_tally *t)
{
	return t->sugg >= MIN_SUGGESTIONS && (double)t->correct >= 0.7 * (double)t->sugg;
}

/*
 * Top-1 precision where a human edit was (the location given, as Getafix
 * measured): of the held-out fix sites where this rule's suggestion ranked
 * first, the share that was the human's fix.
 */
static bool good_top1(const rule_tally *t)
{
	return t->top1_ranked >= MIN_SUGGESTIONS && (double)t->top1_exact >= 0.7 * (double)t->top1_ranked;
}

/* Rules that pass `ok` on two consecutive splits, each named once. */
static int stable(char ***ids, size_t *count, const split_state *ss, size_t nsplits,
	bool (*ok)(const rule_tally *))
{
	size_t s, i, k;

	if (!(*ids = wm_calloc(1, sizeof(char *))))
		return WM_ENOMEM;
	for (s = 0; s + 1 < nsplits; s++) {
		for (i = 0; i < ss[s].rules->count; i++) {
			const char *id = ss[s].tally[i].id;
			char **grown;
			bool dup = false;

			if (!ok(&ss[s].tally[i]))
				continue;
			for (k = 0; k < ss[s + 1].rules->count; k++)
				if (!strcmp(ss[s + 1].tally[k].id, id) && ok(&ss[s + 1].tally[k]))
					break;
			if (k == ss[s + 1].rules->count)
				continue;
			for (k = 0; k < *count && !dup; k++)
				dup = !strcmp((*ids)[k], id);
			if (dup)
				continue;
			if (!(grown = wm_reallocarray(*ids, *count + 1, sizeof(char *))))
				return WM_ENOMEM;
			*ids = grown;
			if (!(grown[*count] = wm_strdup(id)))
				return WM_ENOMEM;
			(*count)++;
		}
	}
	return 0;
}

int wm_learn_eval(wm_learn_eval_result **out, wm_repo *repo, const wm_learn_options *opts,
	const int64_t *splits, size_t nsplits, int64_t window)
{
	wm_learn_eval_result *res = NULL;
	wm_learn__edits all = { NULL, 0, 0 }, train = { NULL, 0, 0 };
	commit_rec *commits = NULL;
	split_state *ss = NULL;
	git_repository *git = wm_repo_git(repo);
	size_t ncommits = 0, s, i, k;
	int error;

	*out = NULL;
	if (!(res = wm_calloc(1, sizeof(*res))) || !(res->splits = wm_calloc(nsplits + 1, sizeof(wm_learn_split))) ||
	    !(ss = wm_calloc(nsplits + 1, sizeof(*ss)))) {
		error = WM_ENOMEM;
		goto done;
	}
	res->count = nsplits;
	if ((error = wm_learn__load_edits(&all, repo, 0)) < 0 || (error = load_commits(&commits, &ncommits, repo)) < 0)
		goto done;
	/* load_edits sorts by commit, path, position already; say so for the replay's sake. */
	if (all.count)
		qsort(all.items, all.count, sizeof(*all.items), wm_learn__edit_cmp);
	if (!(train.items = wm_calloc(all.count + 1, sizeof(*train.items)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (s = 0; s < nsplits; s++) {
		wm_learn_split *sp = &res->splits[s];
		double t0 = now();

		sp->date = splits[s];
		/* Shallow copies: `train` borrows the edits of `all`. */
		train.count = 0;
		for (i = 0; i < all.count; i++)
			if (all.items[i].time < splits[s])
				train.items[train.count++] = all.items[i];
		sp->train_edits = train.count;
		if ((error = wm_learn__generalise_edits(&ss[s].rules, NULL, git, &train, opts)) < 0 ||
		    (error = wm_antibodies_new(&ss[s].set)) < 0)
			goto done;
		sp->rules = ss[s].rules->count;
		if (!(ss[s].rank = wm_calloc(ss[s].rules->count + 1, sizeof(size_t))) ||
		    !(ss[s].tally = wm_calloc(ss[s].rules->count + 1, sizeof(rule_tally))) ||
		    !(ss[s].on_head = wm_calloc(ss[s].rules->count + 1, sizeof(bool)))) {
			error = WM_ENOMEM;
			goto done;
		}
		for (i = 0; i < ss[s].rules->count; i++) {
			const wm_learn_rule *r = &ss[s].rules->items[i];

			ss[s].tally[i].id = r->id;
			if ((error = wm_antibodies_load(ss[s].set, r->id, r->yaml, strlen(r->yaml), false)) < 0)
				goto done;
			/* One language per learned rule: set index i is rule i. */
			ss[s].rank[wm_antibodies_count(ss[s].set) - 1] = i;
		}
		for (k = 0; k < ncommits; k++) {
			const commit_rec *c = &commits[k];
			wm_learn__edit key;
			size_t lo = 0, hi = all.count;

			if (c->time < splits[s] || c->time >= splits[s] + window)
				continue;
			memset(&key, 0, sizeof(key));
			memcpy(key.commit, c->id, 41);
			while (lo < hi) {
				size_t mid = (lo + hi) / 2;

				if (strcmp(all.items[mid].commit, c->id) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			for (hi = lo; hi < all.count && !strcmp(all.items[hi].commit, c->id); hi++)
				;
			if (hi == lo)
				continue; /* a fix with no extractable edit */
			if ((error = replay_commit(sp, &ss[s], git, c, &all, lo, hi)) < 0)
				goto done;
		}
		for (i = 0; i < ss[s].rules->count; i++)
			sp->good_rules += good(&ss[s].tally[i]);
		if ((error = score_rules(sp, &ss[s])) < 0)
			goto done;
		sp->seconds = now() - t0;
	}
	if ((error = scan_head(ss, nsplits, repo)) < 0)
		goto done;
	for (s = 0; s < nsplits; s++)
		for (i = 0; i < ss[s].rules->count; i++)
			res->splits[s].head_rules += ss[s].on_head[i];
	/* The first bar, measured both ways: over all suggestions, and at the fix sites. */
	if ((error = stable(&res->stable_ids, &res->stable_rules, ss, nsplits, good)) < 0 ||
	    (error = stable(&res->stable_top1_ids, &res->stable_top1, ss, nsplits, good_top1)) < 0)
		goto done;
	*out = res;
	res = NULL;
done:
	for (s = 0; ss && s < nsplits; s++) {
		wm_learn_rules_free(ss[s].rules);
		wm_antibodies_free(ss[s].set);
		wm_free(ss[s].rank);
		wm_free(ss[s].tally);
		wm_free(ss[s].on_head);
	}
	wm_free(ss);
	wm_free(train.items);
	wm_learn__edits_dispose(&all);
	wm_free(commits);
	wm_learn_eval_free(res);
	return error;
}

void wm_learn_eval_free(wm_learn_eval_result *res)
{
	size_t i;

	if (!res)
		return;
	for (i = 0; i < res->stable_rules; i++)
		wm_free(res->stable_ids[i]);
	wm_free(res->stable_ids);
	for (i = 0; i < res->stable_top1; i++)
		wm_free(res->stable_top1_ids[i]);
	wm_free(res->stable_top1_ids);
	for (i = 0; res->splits && i < res->count; i++) {
		size_t k;

		for (k = 0; k < res->splits[i].nscores; k++) {
			wm_free(res->splits[i].scores[k].id);
			wm_free(res->splits[i].scores[k].pattern);
			wm_free(res->splits[i].scores[k].fix);
		}
		wm_free(res->splits[i].scores);
	}
	wm_free(res->splits);
	wm_free(res);
}
