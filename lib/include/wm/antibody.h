/*
 * wm/antibody.h - antibodies: structural rules with messages, fixes and tests.
 *
 * An antibody is a YAML document (README, "Antibodies"): an id, one or more
 * languages, a severity, a message, a matcher (a code pattern, a node kind,
 * a raw tree-sitter query, combined with `any`/`all`, the relations
 * `inside`/`has`/`not` and `regex`/`kind` constraints on captures), an
 * optional fix template, its provenance, and its own tests.
 *
 * A rule set is loaded from rule files (built-in ones are compiled into
 * libwm), then applied to parsed files. Loading never fails because of a
 * rule: a rule with an error is recorded with file:line:column and skipped,
 * so one broken rule never stops the others. A loaded set is immutable
 * until freed and may be shared between threads.
 */
#ifndef WM_ANTIBODY_H
#define WM_ANTIBODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "buf.h"
#include "common.h"
#include "config.h"
#include "finding.h"
#include "syntax.h"
#include "world.h"

typedef struct wm_antibodies wm_antibodies;

/** One loaded rule, in one language (a rule for several languages appears once per language). */
typedef struct wm_antibody_info {
	const char *id;
	wm_lang lang;
	wm_severity severity;
	const char *message;     /**< template: `$X` is replaced by what X captured */
	const char *note;        /**< longer help, or NULL */
	const char *fix;         /**< fix template, or NULL */
	const char *file;        /**< rule file it came from */
	uint32_t line;           /**< line of the rule's document in it */
	const char *provenance;  /**< "built-in", "authored" or "learned" */
	bool builtin;            /**< from wm's own rule store */
	size_t tests_match, tests_no_match, tests_fix;
} wm_antibody_info;

/** A rule that did not load. */
typedef struct wm_antibody_error {
	char *file;
	uint32_t line, column;   /**< 1-based */
	char *message;           /**< without the position */
} wm_antibody_error;

/** A built-in rule file, compiled in. */
typedef struct wm_antibody_source {
	const char *name;        /**< "antibodies/python-none-comparison.yml" */
	const char *data;
	size_t size;
} wm_antibody_source;

/** @return the built-in rule files (static), `*count` of them */
WM_EXTERN const wm_antibody_source *wm_antibodies_builtin(size_t *count);

/** An empty rule set. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_antibodies_new(wm_antibodies **out);

/** Free a rule set. NULL is a no-op. */
WM_EXTERN void wm_antibodies_free(wm_antibodies *set);

/**
 * Load the rules of one file (a YAML stream of one or more rule documents).
 * A rule whose id is already loaded replaces it, so repository rules
 * override built-in ones. Errors in the file are recorded, not returned.
 *
 * @param name file name for messages and findings
 * @param builtin whether the file is one of wm's own
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_antibodies_load(wm_antibodies *set, const char *name, const char *data,
	size_t size, bool builtin);

/** Load every built-in rule file. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_antibodies_load_builtin(wm_antibodies *set);

/**
 * The rules a scan applies: the built-in ones (unless `antibodies.builtin`
 * is false), then every rule file of `world` under `antibodies.dirs`
 * (default `.wm/antibodies/`), in path order, minus `antibodies.disable`.
 *
 * @param out the set; free with wm_antibodies_free()
 * @return 0 or WM_ENOMEM (broken rules are recorded in the set, not returned)
 */
WM_EXTERN int wm_antibodies_load_config(wm_antibodies **out, const wm_config *cfg,
	const wm_world *world);

/** Drop every rule with this id. @return whether one was dropped */
WM_EXTERN bool wm_antibodies_disable(wm_antibodies *set, const char *id);

/** @return number of loaded rules (per language) */
WM_EXTERN size_t wm_antibodies_count(const wm_antibodies *set);
/** @return rule `i` (borrowed, lives as long as the set) */
WM_EXTERN const wm_antibody_info *wm_antibodies_info(const wm_antibodies *set, size_t i);
/** @return number of load errors */
WM_EXTERN size_t wm_antibodies_error_count(const wm_antibodies *set);
/** @return load error `i` (borrowed) */
WM_EXTERN const wm_antibody_error *wm_antibodies_error(const wm_antibodies *set, size_t i);

/** One match of one rule in one file. */
typedef struct wm_antibody_match {
	size_t rule;             /**< index for wm_antibodies_info() */
	uint32_t start_byte, end_byte;
	char *message;           /**< expanded (owned) */
	char *fix;               /**< replacement for [start_byte, end_byte) (owned), or NULL */
	const char *fix_withheld_for; /**< id of the rule whose overlapping fix won, or NULL */
} wm_antibody_match;

typedef struct wm_antibody_matches {
	wm_antibody_match *items;
	size_t count, alloc;
} wm_antibody_matches;

#define WM_ANTIBODY_MATCHES_INIT { NULL, 0, 0 }

/**
 * Apply the rules of a language to one parsed file.
 *
 * Matches come out sorted by position. When fixes overlap, the fix of the
 * most severe rule wins (then the smallest id, then the earliest match);
 * the others keep their finding, lose their fix and name the winner in
 * `fix_withheld_for`.
 *
 * @param out matches are appended; free with wm_antibody_matches_dispose()
 * @param only apply only rule index `only`, or SIZE_MAX for every rule
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_antibodies_scan(wm_antibody_matches *out, const wm_antibodies *set,
	wm_lang lang, TSNode root, const char *src, size_t only);

/**
 * Like wm_antibodies_scan() with every rule, but each match keeps its own
 * fix even where fixes overlap: for ranking competing fixes at one place
 * (wm-learn eval), not for applying them.
 *
 * @param out matches are appended, sorted by position; free with wm_antibody_matches_dispose()
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_antibodies_scan_each(wm_antibody_matches *out, const wm_antibodies *set,
	wm_lang lang, TSNode root, const char *src);

/** Free the matches; the list is left empty. */
WM_EXTERN void wm_antibody_matches_dispose(wm_antibody_matches *list);

/**
 * Run every rule's own tests (`tests: match / no_match / fix`).
 *
 * @param report receives one TAP line per rule, with details of failures
 * @param failed_out number of rules with a failing test
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_antibodies_test(wm_buf *report, size_t *failed_out, const wm_antibodies *set);

#endif
