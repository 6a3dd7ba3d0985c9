/*
 * wm/learn.h - antibodies learned from the repository's own history of fixes.
 *
 * Learning has three stages, each usable alone:
 *
 *  1. mine: walk first-parent history, keep commits that fix something (a
 *     built-in finding disappears from a file they touch, or their message
 *     says fix/bug/typo/revert), and extract each changed syntax subtree pair
 *     (before, after) with a little context. Mining is resumable: progress
 *     and extracted edits live in `<commondir>/wm/learn/`.
 *  2. generalise: group edits by language, signal and root kinds,
 *     anti-unify them (Getafix-style) from specific to general, and keep
 *     patterns supported by at least two commits whose generated tests pass.
 *  3. emit: write rule files into `.wm/antibodies/learned/`, list them for
 *     review, accept (move to `.wm/antibodies/`) or reject (never relearned).
 *
 * `wm_learn_eval` judges the learner on history it never saw.
 */
#ifndef WM_LEARN_H
#define WM_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "buf.h"
#include "common.h"
#include "syntax.h"
#include "world.h"

/** Where mining is, for a progress bar. */
typedef struct wm_learn_progress {
	size_t done;          /**< commits looked at (this run and earlier ones) */
	size_t total;         /**< commits on the first-parent line */
	size_t fixes;         /**< fix commits found */
	size_t edits;         /**< edits extracted */
	double elapsed;       /**< seconds in this run */
} wm_learn_progress;

/** Options for mining and generalising. */
typedef struct wm_learn_options {
	unsigned int version;
	uint32_t max_files;       /**< skip commits touching more files (mass changes) */
	uint32_t max_lines;       /**< skip commits adding plus deleting more lines */
	uint32_t max_edit_bytes;  /**< drop edits whose before or after is larger */
	uint32_t max_edit_nodes;  /**< drop edits whose trees have more nodes */
	uint32_t min_support;     /**< distinct commits a pattern needs */
	size_t max_commits;       /**< stop after mining this many new commits (0: all); resumable */
	bool keywords;            /**< message keywords are a fix signal */
	bool findings;            /**< a disappearing built-in finding is a fix signal */
	int64_t until;            /**< generalise only edits of commits before this time (0: all) */
	/** Called after each commit; a non-zero return stops mining (resumable). */
	int (*progress)(const wm_learn_progress *p, void *payload);
	void *payload;
	/**
	 * Negative evidence: drop a rule whose matches on code the humans left
	 * unchanged (in the parent versions of files that training fixes touched)
	 * exceed this many times its support. 0 turns the check off.
	 */
	uint32_t max_unchanged;
	/**
	 * A merge on the first-parent line is mined as one change (the diff from
	 * its first parent: a squashed pull request) instead of being skipped.
	 */
	bool squash_merges;
	/**
	 * Estimated precision a rule needs, in percent: of its matches in the
	 * sampled training files, the share that reproduce a human fix (the
	 * others matched code left alone or were fixed another way). 0 turns
	 * the check off.
	 */
	uint32_t min_precision;
	/**
	 * With squash_merges: a merge over the mass-change limits is walked
	 * into instead of skipped; the commits it brought in (reachable from
	 * its second parent, not its first) are mined one by one.
	 */
	bool descend_merges;
} wm_learn_options;

#define WM_LEARN_OPTIONS_VERSION 4
#define WM_LEARN_OPTIONS_INIT { WM_LEARN_OPTIONS_VERSION, 20, 400, 400, 80, 2, 0, true, true, 0, \
	NULL, NULL, 3, true, 50, true }

/** What a mining run did. */
typedef struct wm_learn_mine_stats {
	wm_learn_progress progress;
	size_t skipped_merges, skipped_mass;
	bool interrupted;         /**< stopped early: run again to resume */
	size_t descended;         /**< merges over the limits walked into (descend_merges) */
	size_t branch_commits;    /**< commits mined inside them */
} wm_learn_mine_stats;

/**
 * Mine the history of HEAD into `<commondir>/wm/learn/` (commits.jsonl,
 * edits.jsonl). Commits mined by an earlier run are skipped, so an
 * interrupted run resumes where it stopped.
 *
 * @param out what happened
 * @return 0, WM_EREPO, WM_ENOMEM, or WM_ERROR (state could not be written)
 */
WM_EXTERN int wm_learn_mine(wm_learn_mine_stats *out, wm_repo *repo, const wm_learn_options *opts);

/** Forget mined state (commits and edits; rejected rules are kept). @return 0 or WM_ERROR */
WM_EXTERN int wm_learn_reset(wm_repo *repo);

/** One learned rule. */
typedef struct wm_learn_rule {
	char *id;                 /**< "learned-<lang>-<hash>": stable for the same before/after pattern */
	wm_lang lang;
	char *signal;             /**< "finding:<rule>" or "keyword:<class>" */
	char *pattern, *fix;      /**< with metavariables $A, $B, ... */
	size_t support;           /**< distinct commits */
	char **commits;           /**< their ids (hex), newest first */
	char *yaml;               /**< the rule file */
	uint32_t concrete;        /**< concrete leaves in the pattern (specificity) */
	size_t unchanged;         /**< matches on unchanged code in the sampled training files */
	size_t fixed;             /**< matches there that reproduce a human fix */
	size_t wrong;             /**< matches on changed code that the humans fixed differently */
	double precision;         /**< fixed / (fixed + wrong + unchanged); 0 when never measured */
} wm_learn_rule;

typedef struct wm_learn_rules {
	wm_learn_rule *items;
	size_t count;
	size_t edits;             /**< edits generalised */
	size_t candidates;        /**< distinct patterns with enough support, not rejected in review, before their tests ran */
	size_t overgeneral;       /**< rules dropped for firing on unchanged code (max_unchanged) */
	size_t imprecise;         /**< rules dropped for a low estimated precision (min_precision) */
} wm_learn_rules;

/**
 * Generalise the mined edits (those before `opts->until` when set) into rules.
 * Rules rejected in review are left out.
 *
 * @param out rules; free with wm_learn_rules_free()
 * @return 0, WM_ENOMEM, WM_ERROR
 */
WM_EXTERN int wm_learn_generalise(wm_learn_rules **out, wm_repo *repo, const wm_learn_options *opts);

/** Free rules. NULL is a no-op. */
WM_EXTERN void wm_learn_rules_free(wm_learn_rules *rules);

/**
 * Write rules as `.wm/antibodies/learned/<id>.yml` in the working tree;
 * learned files of rules no longer learned are removed.
 * @return 0 or WM_ERROR (no working tree, write failed)
 */
WM_EXTERN int wm_learn_write(wm_repo *repo, const wm_learn_rules *rules);

/** A learned rule file waiting for review. */
typedef struct wm_learn_pending {
	char *id, *path, *pattern, *fix, *note;
} wm_learn_pending;

/**
 * List the rule files in `.wm/antibodies/learned/`.
 * @param out array of `*count`; free with wm_learn_pending_free()
 * @return 0, WM_ENOMEM, WM_ERROR
 */
WM_EXTERN int wm_learn_pending_list(wm_learn_pending **out, size_t *count, wm_repo *repo);

/** Free a pending list. */
WM_EXTERN void wm_learn_pending_free(wm_learn_pending *list, size_t count);

/**
 * Accept a learned rule: move it to `.wm/antibodies/<id>.yml`, the main store.
 * @return 0, WM_ENOTFOUND, WM_ERROR
 */
WM_EXTERN int wm_learn_accept(wm_repo *repo, const char *id);

/**
 * Reject a learned rule: delete its file and remember its id (a hash of
 * its pattern and fix) in `<commondir>/wm/learn/rejected`, so it is never
 * learned again.
 * @return 0, WM_ENOTFOUND, WM_ERROR
 */
WM_EXTERN int wm_learn_reject(wm_repo *repo, const char *id);

/** How one learned rule did on one split's held-out commits. */
typedef struct wm_learn_rule_score {
	char *id, *pattern, *fix;
	size_t support, unchanged;
	size_t suggestions, correct;
	/**
	 * Held-out edits at which this rule's suggestion ranked first, and how
	 * many of those were the human fix: precision where a fix was due, as
	 * Getafix measured it (the location given), next to `correct /
	 * suggestions`, which also counts matches on code nobody changed.
	 */
	size_t top1_ranked, top1_exact;
} wm_learn_rule_score;

/** Results of one split. */
typedef struct wm_learn_split {
	int64_t date;
	size_t train_edits, rules;
	size_t test_commits, test_edits;
	size_t predicted;          /**< held-out edits some suggestion overlapped */
	size_t top1, top5;         /**< held-out edits whose exact human fix was the 1st / in the first 5 */
	size_t suggestions;        /**< suggestions in touched files */
	size_t correct;            /**< suggestions equal to the human edit at that place */
	size_t head_rules;         /**< learned rules that fire on HEAD */
	size_t good_rules;         /**< rules with >= 3 suggestions and precision >= 0.7 */
	double seconds;
	wm_learn_rule_score *scores; /**< per rule that made a suggestion, most suggestions first */
	size_t nscores;
} wm_learn_split;

typedef struct wm_learn_eval_result {
	wm_learn_split *splits;
	size_t count;
	/** rules with precision >= 0.7 (>= 2 suggestions) on two consecutive splits */
	size_t stable_rules;
	char **stable_ids;
	/**
	 * rules whose top-1 precision where a human edit was (top1_exact /
	 * top1_ranked, >= 2 ranked first) is >= 0.7 on two consecutive splits
	 */
	size_t stable_top1;
	char **stable_top1_ids;
} wm_learn_eval_result;

/**
 * Evaluate on held-out history (deterministic): for each split date,
 * generalise the edits of commits before it, then for each fix commit in
 * [date, date + window) run the learned rules on its parent's version of
 * the files it touched and compare the suggestions with the human edit.
 * Mining must have run (wm_learn_mine).
 *
 * @param out results; free with wm_learn_eval_free()
 * @param splits split dates (unix seconds), ascending
 * @param window seconds of history after each split to test on
 * @return 0, WM_ENOMEM, WM_EREPO, WM_ERROR
 */
WM_EXTERN int wm_learn_eval(wm_learn_eval_result **out, wm_repo *repo,
	const wm_learn_options *opts, const int64_t *splits, size_t nsplits, int64_t window);

/** Free evaluation results. NULL is a no-op. */
WM_EXTERN void wm_learn_eval_free(wm_learn_eval_result *res);

/* --- printing (lib/report/learn.c) ------------------------------------------ */

/** Draw the progress bar on a terminal (carriage return, no newline). */
WM_EXTERN void wm_report_learn_progress(FILE *out, const wm_learn_progress *p);

/** Summarise rules: one block per rule (id, support, pattern -> fix); `yaml` adds the files. */
WM_EXTERN int wm_report_learn_rules(wm_buf *out, const wm_learn_rules *rules, bool yaml);

/** The evaluation table: one row per split, then mean and standard deviation. */
WM_EXTERN int wm_report_learn_eval(wm_buf *out, const wm_learn_eval_result *res);

/** The review list. */
WM_EXTERN int wm_report_learn_pending(wm_buf *out, const wm_learn_pending *list, size_t count);

#endif
