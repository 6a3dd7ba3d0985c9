/*
 * learn_negative.c - negative evidence: a fix pattern must not be everywhere.
 *
 * Anti-unification only ever sees positive examples, so nothing stops it
 * from generalising two fixes into a pattern like `$A->$B = $C;` that the
 * humans "fixed" twice and left alone ten thousand times. Evaluating curl
 * showed exactly that: one rule made almost all of 15,771 suggestions, 8
 * of them right. The cure is to look at code the humans did not change.
 *
 * The sample is the parent version of each file a training edit touched
 * (newest first, at most MAX_FILES files): those files were read and
 * edited by the person who made the fix, so a match there that no edit
 * overlaps is a place they saw and judged fine. A rule is dropped when
 * such matches exceed `max_unchanged` (default 3) times its support: a
 * real fix pattern may recur in code not yet fixed, but not several times
 * more often than it was fixed. Counting in these files is cheap (they
 * are few and small) and needs no working tree, so the evaluation can run
 * it on each split with only the history before the split.
 */
#include <stdlib.h>
#include <string.h>

#include "learn.h"
#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/error.h"

/*
 * Sampled (commit, path) files per generalisation, which bounds the cost on
 * large histories: the newest files, and the files the rules were learned
 * from (without those, the precision of an older pattern is never seen).
 */
#define MAX_NEWEST 200
#define MAX_MEMBER_FILES 800
#define MAX_BLOB (512u * 1024u)

static int newest_first(const void *pa, const void *pb)
{
	const wm_learn__edit *a = *(wm_learn__edit *const *)pa, *b = *(wm_learn__edit *const *)pb;
	int c;

	if (a->time != b->time)
		return a->time > b->time ? -1 : 1;
	if ((c = strcmp(a->commit, b->commit)) != 0)
		return c;
	return strcmp(a->path, b->path);
}

static bool same_file(const wm_learn__edit *a, const wm_learn__edit *b)
{
	return !strcmp(a->commit, b->commit) && !strcmp(a->path, b->path);
}

/* Read `path` as it was in the first parent of `commit`; *out NULL when absent. */
static int parent_blob(git_blob **out, git_repository *git, const char *commit, const char *path)
{
	git_oid oid;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	int error = 0;

	*out = NULL;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0 ||
	    git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&tree, parent) < 0 ||
	    git_tree_entry_bypath(&entry, tree, path) < 0 ||
	    git_blob_lookup(out, git, git_tree_entry_id(entry)) < 0)
		*out = NULL; /* rewritten or shallow history: this file gives no evidence */
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

/* Per-rule tallies over the sample. */
typedef struct tally {
	size_t unchanged, fixed, wrong;
} tally;

/* Count each rule's matches in one file: on code left alone, reproducing a human fix, or neither. */
static int count_file(tally *t, const wm_antibodies *set, git_repository *git,
	wm_learn__edit *const *edits, size_t nedits)
{
	wm_antibody_matches m = WM_ANTIBODY_MATCHES_INIT;
	git_blob *blob = NULL;
	TSTree *tree = NULL;
	const char *src;
	size_t size, i, k;
	int error;

	if ((error = parent_blob(&blob, git, edits[0]->commit, edits[0]->path)) < 0 || !blob)
		goto done;
	src = git_blob_rawcontent(blob);
	size = (size_t)git_blob_rawsize(blob);
	if (size > MAX_BLOB || wm_syntax_parse(&tree, edits[0]->lang, src, size) < 0) {
		wm_error_clear();
		goto done;
	}
	/* Each rule with its own fix: candidates of one hierarchy overlap by design. */
	if ((error = wm_antibodies_scan_each(&m, set, edits[0]->lang, ts_tree_root_node(tree), src)) < 0)
		goto done;
	for (i = 0; i < m.count; i++) {
		bool overlaps = false, ok = false;

		for (k = 0; k < nedits && !ok; k++) {
			if (m.items[i].start_byte >= edits[k]->bend || m.items[i].end_byte <= edits[k]->bstart)
				continue;
			overlaps = true;
			if ((error = wm_learn__exact(&ok, src, &m.items[i], edits[k])) < 0)
				goto done;
		}
		if (ok)
			t[m.items[i].rule].fixed++;
		else if (overlaps)
			t[m.items[i].rule].wrong++;
		else
			t[m.items[i].rule].unchanged++;
	}
done:
	if (tree)
		ts_tree_delete(tree);
	wm_antibody_matches_dispose(&m);
	git_blob_free(blob);
	return error;
}

static int by_str(const void *pa, const void *pb)
{
	return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* The commits the rules were learned from, sorted for bsearch; the strings are borrowed. */
static int member_commits(char ***out, size_t *count, const wm_learn_rules *rules)
{
	char **v;
	size_t i, j, n = 0, total = 0;

	for (i = 0; i < rules->count; i++)
		total += rules->items[i].support;
	if (!(v = wm_calloc(total + 1, sizeof(char *))))
		return WM_ENOMEM;
	for (i = 0; i < rules->count; i++)
		for (j = 0; j < rules->items[i].support; j++)
			v[n++] = rules->items[i].commits[j];
	qsort(v, n, sizeof(char *), by_str);
	*out = v;
	*count = n;
	return 0;
}

/*
 * On a long history the sample can miss every file a rule was learned
 * from (git: dozens of rules were kept as "0 of 0 matches", never
 * measured). Those rules get their own files, the parents of up to
 * UNSEEN_COMMITS of their commits, counted once each for every rule.
 */
#define UNSEEN_COMMITS 2

static int measure_unseen(tally *t, const wm_antibodies *set, git_repository *git, const wm_learn_rules *rules,
	wm_learn__edit **order, const bool *counted, size_t n)
{
	const char **wanted = NULL;
	size_t nwanted = 0, i, j, k;
	int error = 0;

	if (!(wanted = wm_calloc(rules->count * UNSEEN_COMMITS + 1, sizeof(char *))))
		return WM_ENOMEM;
	for (i = 0; i < rules->count; i++) {
		if (t[i].fixed + t[i].wrong + t[i].unchanged)
			continue;
		for (k = 0; k < rules->items[i].support && k < UNSEEN_COMMITS; k++)
			wanted[nwanted++] = rules->items[i].commits[k];
	}
	if (!nwanted)
		goto done;
	qsort(wanted, nwanted, sizeof(char *), by_str);
	for (i = 0; i < n; i = j) {
		const char *c = order[i]->commit;

		for (j = i + 1; j < n && same_file(order[i], order[j]); j++)
			;
		if (counted[i] || !bsearch(&c, wanted, nwanted, sizeof(char *), by_str))
			continue;
		if ((error = count_file(t, set, git, order + i, j - i)) < 0)
			break;
	}
done:
	wm_free(wanted);
	return error;
}

int wm_learn__negative(wm_learn_rules *rules, git_repository *git, const wm_learn__edits *edits,
	const wm_learn_options *opts)
{
	wm_antibodies *set = NULL;
	wm_learn__edit **order = NULL;
	tally *t = NULL;
	bool *counted = NULL;    /* per file (first edit of its group in `order`): sampled */
	char **members = NULL;
	size_t nmembers = 0, i, j, k, newest = 0, fromrules = 0;
	int error = 0;

	/* Estimated even with both checks off: eval ranks suggestions by it. */
	if (!rules->count || !edits->count || !git)
		return 0;
	if ((error = wm_antibodies_new(&set)) < 0 || (error = member_commits(&members, &nmembers, rules)) < 0)
		goto done;
	if (!(t = wm_calloc(rules->count + 1, sizeof(*t))) ||
	    !(order = wm_calloc(edits->count, sizeof(*order))) ||
	    !(counted = wm_calloc(edits->count, sizeof(bool)))) {
		error = WM_ENOMEM;
		goto done;
	}
	/* One language per learned rule: set index i is rule i (as in learn_eval.c). */
	for (i = 0; i < rules->count; i++)
		if ((error = wm_antibodies_load(set, rules->items[i].id, rules->items[i].yaml,
				strlen(rules->items[i].yaml), false)) < 0)
			goto done;
	for (i = 0; i < edits->count; i++)
		order[i] = &edits->items[i];
	qsort(order, edits->count, sizeof(*order), newest_first);
	for (i = 0; i < edits->count; i = j) {
		const char *c = order[i]->commit;
		bool member = bsearch(&c, members, nmembers, sizeof(char *), by_str) != NULL;

		for (j = i + 1; j < edits->count && same_file(order[i], order[j]); j++)
			;
		if (member && fromrules < MAX_MEMBER_FILES)
			fromrules++;
		else if (newest < MAX_NEWEST)
			newest++;
		else
			continue;
		counted[i] = true;
		if ((error = count_file(t, set, git, order + i, j - i)) < 0)
			goto done;
	}
	if ((error = measure_unseen(t, set, git, rules, order, counted, edits->count)) < 0)
		goto done;
	for (i = 0, k = 0; i < rules->count; i++) {
		wm_learn_rule *r = &rules->items[i];
		size_t seen = t[i].fixed + t[i].wrong + t[i].unchanged;

		r->unchanged = t[i].unchanged;
		r->fixed = t[i].fixed;
		r->wrong = t[i].wrong;
		r->precision = seen ? (double)t[i].fixed / (double)seen : 0.0;
		if (opts->max_unchanged && r->unchanged > (size_t)opts->max_unchanged * r->support) {
			wm_learn__rule_dispose(r);
			rules->overgeneral++;
			continue;
		}
		if (opts->min_precision && seen && r->precision * 100.0 < (double)opts->min_precision) {
			wm_learn__rule_dispose(r);
			rules->imprecise++;
			continue;
		}
		rules->items[k++] = *r;
	}
	rules->count = k;
done:
	wm_antibodies_free(set);
	wm_free(members);
	wm_free(t);
	wm_free(order);
	wm_free(counted);
	return error;
}
