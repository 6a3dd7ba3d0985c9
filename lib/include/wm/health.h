/*
 * wm/health.h - homeostasis: health metrics per commit, over history.
 *
 * A commit's health is a set of named numbers computed from its tree:
 * findings per detector, rule and severity, public-API doc coverage,
 * drifted version files, unresolved imports, antibody hits, files and
 * lines per language. They are stored in the immune memory (wm/memory.h)
 * keyed by commit, so history is computed once and read many times
 * (`wm-board --history`, the HTML report, the `health` detector's
 * comparison with the merge base).
 *
 * Metric names: the headline metrics (wm_health_headline()) are plain
 * words with dashes; the breakdowns use '/': `findings/docs`,
 * `findings/docs/missing-doc`, `severity/error`, `files/python`,
 * `lines/python`. Names never contain '.', so each can be configured as
 * `health.<metric>.min` in `.wm.yml`.
 */
#ifndef WM_HEALTH_H
#define WM_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "config.h"
#include "memory.h"
#include "scan.h"
#include "world.h"

/** One named value. */
typedef struct wm_health_metric {
	char *name;      /**< owned */
	double value;
} wm_health_metric;

/** The health of one commit. */
typedef struct wm_health_point {
	char commit[41];             /**< hex oid */
	int64_t time;                /**< committer time, seconds since the epoch */
	char *subject;               /**< owned; first line of the message */
	wm_health_metric *metrics;   /**< owned; sorted by name */
	size_t nmetrics;
	uint64_t elapsed_ms;         /**< what computing it cost */
} wm_health_point;

/** Points along the first-parent line, oldest first. */
typedef struct wm_health_history {
	wm_health_point *points;
	size_t count;
} wm_health_history;

/** What a metric means, for reports and messages. */
typedef struct wm_health_info {
	const char *name;       /**< "doc-coverage" */
	const char *label;      /**< "doc coverage" */
	const char *unit;       /**< "%" or "" */
	int better;             /**< +1 higher is better, -1 lower is better, 0 neither */
} wm_health_info;

/**
 * The headline metrics, in the order reports show them.
 * @param count_out how many
 * @return static array
 */
WM_EXTERN const wm_health_info *wm_health_headline(size_t *count_out);

/**
 * What a metric means; breakdown names get a generic description.
 * @param out filled with static or `name`-borrowed strings
 */
WM_EXTERN void wm_health_describe(wm_health_info *out, const char *name);

/** Progress of a history run, reported after every commit. */
typedef struct wm_health_progress {
	size_t done, total;      /**< commits handled, commits in the range */
	size_t computed;         /**< of `done`, computed now (not found in memory) */
	size_t files_scanned;    /**< files scanned so far (blob cache misses) */
	const char *commit;      /**< hex of the commit just handled (borrowed) */
	const char *subject;     /**< its subject (borrowed) */
	uint64_t elapsed_ms;
} wm_health_progress;

/** Options of health computations. */
typedef struct wm_health_options {
	unsigned int version;
	const wm_detector *const *detectors; /**< the detectors available ("health" itself is never run) */
	size_t ndetectors;
	/**
	 * Detectors to run per commit (comma-separated; NULL: `history.detectors`
	 * from the configuration, and when that is empty all enabled ones).
	 */
	const char *only;
	int jobs;                    /**< workers for a commit's cache misses (0: one per core) */
	const char *range;           /**< "REV" or "A..B" along the first parent (NULL: HEAD) */
	size_t limit;                /**< most commits (0: 200; SIZE_MAX: no limit) */
	/** Called after each commit (may be NULL); returning non-zero stops the run. */
	int (*progress)(void *payload, const wm_health_progress *progress);
	void *progress_payload;
} wm_health_options;

#define WM_HEALTH_OPTIONS_VERSION 1
#define WM_HEALTH_OPTIONS_INIT { WM_HEALTH_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0, NULL, NULL }

/**
 * The health of one commit: from the memory when it was computed with the
 * same wm version, configuration and detectors, else computed (each file
 * whose blob was seen before costs a database lookup, not a scan) and
 * stored in one transaction.
 *
 * @param out the point; free with wm_health_point_free()
 * @param mem the memory (may be NULL: compute without storing or caching)
 * @param rev the commit
 * @return 0, WM_ENOTFOUND (unknown revision), WM_EREPO, WM_ERROR
 */
WM_EXTERN int wm_health_commit(wm_health_point **out, wm_repo *repo, const wm_config *cfg,
	wm_memory *mem, const char *rev, const wm_health_options *opts);

/** What wm_health_fill() did. */
typedef struct wm_health_fill_stats {
	size_t commits;       /**< in the range */
	size_t computed;      /**< computed now */
	size_t cached;        /**< found in the memory */
	size_t files_scanned; /**< blob cache misses scanned */
	uint64_t elapsed_ms;
	bool stopped;         /**< the progress callback stopped it */
} wm_health_fill_stats;

/**
 * Compute and store the health of every commit of the range that the
 * memory lacks, newest first, one transaction per commit: an interrupted
 * run loses at most the commit in progress, and the next run resumes.
 *
 * @param stats_out what was done (may be NULL)
 * @return 0, WM_ENOTFOUND (unknown revision), WM_EREPO, WM_ERROR
 */
WM_EXTERN int wm_health_fill(wm_health_fill_stats *stats_out, wm_repo *repo, const wm_config *cfg,
	wm_memory *mem, const wm_health_options *opts);

/**
 * The stored health of the range's commits (those not computed yet are
 * left out), oldest first. Only `range` and `limit` of the options matter.
 *
 * @param out the history; free with wm_health_history_free()
 * @return 0, WM_ENOTFOUND (unknown revision), WM_EREPO, WM_ERROR
 */
WM_EXTERN int wm_health_load(wm_health_history **out, wm_repo *repo, wm_memory *mem,
	const wm_health_options *opts);

/**
 * A metric of a point.
 * @return whether the point has it (`*out` is set then)
 */
WM_EXTERN bool wm_health_get(const wm_health_point *point, const char *name, double *out);

/** Free a point. NULL is a no-op. */
WM_EXTERN void wm_health_point_free(wm_health_point *point);

/** Free a history. NULL is a no-op. */
WM_EXTERN void wm_health_history_free(wm_health_history *history);

/** A metric held against its configured range (wm_health_check()). */
typedef struct wm_health_verdict {
	const char *name;       /**< borrowed from the point */
	double value;
	bool has_base;          /**< a merge-base value exists */
	double base;
	const char *rule;       /**< "below-min", "above-max", "dropped", "rose" */
	double bound;           /**< the configured bound that was crossed */
} wm_health_verdict;

/**
 * Hold every metric of `head` against `health.<metric>.min/max` and, with
 * a base, `max_drop/max_rise`. Metrics the base has and head lacks count
 * as 0 for counts (a detector that found nothing records nothing).
 *
 * @param out verdicts (free with wm_free()); NULL when none
 * @param count_out how many
 * @param base the merge base's health, or NULL
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_health_check(wm_health_verdict **out, size_t *count_out, const wm_config *cfg,
	const wm_health_point *head, const wm_health_point *base);

#endif
