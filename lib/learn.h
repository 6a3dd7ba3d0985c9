/*
 * learn.h (private) - what the learn_*.c files share: edits, flattened
 * syntax trees and patterns with holes.
 */
#ifndef WM_LIB_LEARN_H
#define WM_LIB_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <git2.h>
#include <tree_sitter/api.h>

#include "wm/antibody.h"
#include "wm/learn.h"

/*
 * A syntax tree flattened in preorder: node i's children follow it and it
 * spans `size` entries. Offsets are relative to the text the tree came from.
 * A pattern is the same array in which some subtrees were replaced by one
 * hole entry (hole >= 0, size 1).
 */
typedef struct wm_learn__node {
	uint16_t sym;
	uint8_t named;
	int8_t hole;             /* -1, or the hole's index (0 is $A) */
	uint32_t start, end;
	uint32_t size;
} wm_learn__node;

/** One concrete edit: a changed subtree pair from a fix commit. */
typedef struct wm_learn__edit {
	char commit[41];
	int64_t time;
	wm_lang lang;
	char *signal;
	char *path;
	uint32_t bstart, bend;          /* the before node in the parent's file */
	char *before, *after;           /* node texts */
	wm_learn__node *bt, *at;
	uint32_t nbt, nat;
	char *ctx_before, *ctx_after;   /* test snippets: an enclosing node, dedented, before and after */
} wm_learn__edit;

typedef struct wm_learn__edits {
	wm_learn__edit *items;
	size_t count, alloc;
} wm_learn__edits;

void wm_learn__edit_dispose(wm_learn__edit *e);
void wm_learn__edits_dispose(wm_learn__edits *list);
/** @return a new zeroed slot at the end, or NULL (WM_ENOMEM set) */
wm_learn__edit *wm_learn__edits_push(wm_learn__edits *list);
/** qsort order of edits: commit, path, start byte (0 means the same edit). */
int wm_learn__edit_cmp(const void *pa, const void *pb);

/** A line-range hunk of a diff (1-based starts, libgit2's convention). */
typedef struct wm_learn__hunk {
	uint32_t old_start, old_lines, new_start, new_lines;
} wm_learn__hunk;

/**
 * Extract edits from one changed file (learn_extract.c): each hunk is
 * narrowed to the bytes that differ, mapped to the smallest enclosing
 * non-leaf node on the old side whose span, shifted past the hunk, is also
 * exactly one node on the new side. Edits with parse errors, oversized
 * ones and whitespace-only ones are dropped. Commit, time, signal and path
 * are left for the caller.
 */
int wm_learn__extract(wm_learn__edits *out, wm_lang lang, const char *old, size_t old_size,
	TSTree *old_tree, const char *new_, size_t new_size, TSTree *new_tree,
	const wm_learn__hunk *hunks, size_t nhunks, const wm_learn_options *opts);

/**
 * Whether a node kind is a list that is not code by itself (argument and
 * parameter lists): never a pattern's root, never a hole (learn_extract.c).
 */
bool wm_learn__list_kind(const char *type);

/** Flatten the subtree at `node` (extras skipped); offsets relative to `base`. */
int wm_learn__flatten(wm_learn__node **out, uint32_t *count, TSNode node, uint32_t base,
	uint32_t max_nodes);

/** A before/after pattern: an anti-unification of edits (learn_generalise.c). */
typedef struct wm_learn__pattern {
	wm_learn__node *b, *a;
	uint32_t nb, na;
	const char *btext, *atext;      /* the representative edit's texts (borrowed) */
	int nholes;
	wm_lang lang;
} wm_learn__pattern;

void wm_learn__pattern_dispose(wm_learn__pattern *p);

/** The pattern of one concrete edit (no holes). */
int wm_learn__pattern_of(wm_learn__pattern *out, const wm_learn__edit *e);

/**
 * Anti-unify a pattern with another pattern, with one table of holes for
 * both sides, so a subtree pair generalised in the before side is the same
 * hole in the after side.
 * @return 1 with `out` set, 0 when the result is not a usable rule (root
 *         is a hole, a hole only in the fix, too many holes), or WM_ENOMEM
 */
int wm_learn__antiunify(wm_learn__pattern *out, const wm_learn__pattern *x,
	const wm_learn__pattern *y);

/** Render one side (`after` false: before) as code with $A... in the holes. */
int wm_learn__render(wm_buf *out, const wm_learn__pattern *p, bool after);

/** Concrete named leaves of the before side. */
uint32_t wm_learn__concrete(const wm_learn__pattern *p);

/** Load edits from the state directory (edits of commits before `until` when non-zero). */
int wm_learn__load_edits(wm_learn__edits *out, wm_repo *repo, int64_t until);

/**
 * Generalise a list of edits (wm_learn_generalise and the evaluation).
 * `repo` (rejected ids) may be NULL; `git` (negative evidence, see
 * wm_learn__negative) may be NULL to skip that check.
 */
int wm_learn__generalise_edits(wm_learn_rules **out, wm_repo *repo, git_repository *git,
	wm_learn__edits *edits, const wm_learn_options *opts);

/**
 * Negative evidence (learn_negative.c): count each rule's matches on code
 * the humans did not change, in the parent versions of files that the
 * training edits touched, and drop the rules for which that count exceeds
 * `opts->max_unchanged` times their support.
 */
int wm_learn__negative(wm_learn_rules *rules, git_repository *git, const wm_learn__edits *edits,
	const wm_learn_options *opts);

/**
 * Does suggestion `m` on `src` reproduce human edit `e`? The code each
 * produces over the union of the two ranges is compared without white
 * space (learn_eval.c).
 */
int wm_learn__exact(bool *out, const char *src, const wm_antibody_match *m,
	const wm_learn__edit *e);

/** Path of a file in `<commondir>/wm/learn/` (directory created). */
int wm_learn__state_path(wm_buf *out, wm_repo *repo, const char *name);

/**
 * The ids rejected in review, one per line (read once per generalisation).
 * @param out NUL-terminated text, NULL when nothing was rejected; free with wm_free()
 */
int wm_learn__rejected_load(char **out, wm_repo *repo);

/** Whether `id` is in a list from wm_learn__rejected_load() (NULL: nothing rejected). */
bool wm_learn__rejected(const char *list, const char *id);

/** Whether a path is vendored or generated by its name (vendor/, dist/, *.min.js, ...). */
bool wm_learn__vendored(const char *path);

/** FNV-1a 64 of a string, for rule ids. */
uint64_t wm_learn__hash(const char *s, uint64_t h);
/** The same over `n` bytes of `s` (no terminator needed). */
uint64_t wm_learn__hashn(const char *s, size_t n, uint64_t h);

/** The id wm_learn__make_rule() would give the pattern, without building the rule. */
int wm_learn__rule_id(wm_buf *out, const wm_learn__pattern *p, wm_lang lang);

/** Build a rule (pattern, fix, tests from the cluster's edits) and check its tests (learn_emit.c). */
int wm_learn__make_rule(wm_learn_rule *out, bool *ok, const wm_learn__pattern *p,
	wm_learn__edit *const *edits, size_t nedits, uint32_t min_support);

void wm_learn__rule_dispose(wm_learn_rule *r);

/**
 * Keyword class of a commit message ("fix", "bug", "typo", "revert",
 * "warning"), or NULL. Tool names (eslint, pylint, ...) whose bit is set in
 * `ignore` do not count: in a tool's own repository they name the project.
 */
const char *wm_learn__keyword(const char *message, uint32_t ignore);

/** A bit per tool name the message mentions (see wm_learn__keyword). */
uint32_t wm_learn__keyword_tools(const char *message);

#endif
