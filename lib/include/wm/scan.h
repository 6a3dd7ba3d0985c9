/*
 * wm/scan.h - one run of the gate, and the one seam detectors plug into.
 *
 * A detector is a table of callbacks. It reads the world through the scan,
 * emits findings through wm_emit(), and never prints, writes files, or knows
 * whether it runs in a hook, in CI or by hand.
 */
#ifndef WM_SCAN_H
#define WM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tree_sitter/api.h>
#include "board.h"
#include "common.h"
#include "config.h"
#include "finding.h"
#include "syntax.h"
#include "world.h"

typedef struct wm_scan wm_scan;

/** A target file handed to a detector; everything is borrowed for the call. */
typedef struct wm_file {
	const char *path;      /**< repository-relative */
	const char *old_path;  /**< before a rename, else NULL */
	wm_change change;
	wm_lang lang;          /**< WM_LANG_NONE for files no grammar covers */
	const char *data;      /**< content as the world shows it (NULL for deletions) */
	size_t size;
	wm_oid oid;
} wm_file;

/** What a detector says about one of its rules (for help, SARIF and config checks). */
typedef struct wm_rule_info {
	const char *id;          /**< "syntax-error" */
	wm_severity severity;    /**< default severity */
	const char *summary;     /**< one line */
	const char *help;        /**< a paragraph: why it matters, how to fix it */
} wm_rule_info;

/** The detector interface (DESIGN.md 3). */
typedef struct wm_detector {
	const char *name;                 /**< "syntax" */
	const wm_rule_info *rules;        /**< the rules it may emit */
	size_t nrules;
	/** Per target file (deleted targets too; `file->data` is NULL then). May be NULL. */
	int (*scan_file)(wm_scan *scan, const wm_file *file);
	/**
	 * Repository-wide checks, once per run after every file. May be NULL.
	 * Runs in the calling process, while scan_file may have run in worker
	 * processes: state scan_file kept in memory is not visible here.
	 */
	int (*scan_repo)(wm_scan *scan);
	/**
	 * Called once when the run ends (also after a failure), so a detector
	 * can free the state it keeps in wm_scan_state(). May be NULL.
	 */
	void (*end)(wm_scan *scan);
} wm_detector;

/**
 * Emit a finding. The scan copies it, fills `detector` when NULL, applies
 * the configured severity (dropping the finding when the rule is off),
 * computes line and column from the byte range when `line` is 0 and the
 * file's content is known, and honours inline `wm: ignore[rule]` comments.
 *
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_emit(wm_scan *scan, const wm_finding *finding);

/**
 * Emit a finding on a file the detector read itself (a dependent, a
 * manifest, a linking Markdown file), not the file being scanned: like
 * wm_emit, with `data` (`size` bytes, borrowed) as the file's content for
 * line, column and inline suppressions.
 *
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_emit_in(wm_scan *scan, const wm_finding *finding, const char *data, size_t size);

/**
 * The syntax tree of a file, parsed once per run and shared by detectors.
 * @param out borrowed tree living until the file's scan_file calls are done
 * @return 0, WM_ENOTFOUND (no grammar for the file), WM_EPARSE (parse timeout)
 */
WM_EXTERN int wm_scan_tree(const TSTree **out, wm_scan *scan, const wm_file *file);

/** @return the configuration of the run (borrowed) */
WM_EXTERN const wm_config *wm_scan_config(const wm_scan *scan);
/** @return the world being scanned (borrowed) */
WM_EXTERN const wm_world *wm_scan_world(const wm_scan *scan);
/** @return the targets of the run (borrowed) */
WM_EXTERN const wm_targets *wm_scan_targets(const wm_scan *scan);
/** @return the detector currently running (borrowed), for messages */
WM_EXTERN const wm_detector *wm_scan_detector(const wm_scan *scan);
/** @return the scope of the run (--all, --staged, --diff, --rev) */
WM_EXTERN wm_scope wm_scan_scope(const wm_scan *scan);

/**
 * The world the targets were compared with: HEAD for --staged, the merge
 * base for --diff. Opened on first use and shared for the rest of the run,
 * so a detector can read a target's previous content (`old_path` for a
 * rename) to see what a change did.
 *
 * @param out borrowed world living as long as the run
 * @return 0, WM_ENOTFOUND (--all, --rev, or no commit yet: there is no
 *         base), or WM_EREPO
 */
WM_EXTERN int wm_scan_base_world(const wm_world **out, wm_scan *scan);

/**
 * A measurement of one file (or of the repository, `path` NULL) that is not
 * a threat in itself: documented items of a file out of all of its items.
 * Metrics are kept in the result (wm_scan_result.metrics) for reporters and
 * health statistics; a detector's scan_repo may read those recorded so far.
 * Metrics recorded in scan_file travel to the aggregator with the file's
 * findings (the docs detector's coverage floor and table depend on it).
 */
typedef struct wm_metric {
	char *detector;   /**< owned; filled from the running detector */
	char *name;       /**< owned; "doc-coverage" */
	char *path;       /**< owned; NULL for repository-wide values */
	uint64_t value;   /**< e.g. documented items */
	uint64_t total;   /**< e.g. all items */
} wm_metric;

/**
 * Record a metric for the run.
 * @param path repository-relative, or NULL
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_scan_metric(wm_scan *scan, const char *name, const char *path,
	uint64_t value, uint64_t total);

/**
 * The metrics recorded so far in this run, in recording order.
 * @param count_out number of metrics
 * @return borrowed array, valid until the next wm_scan_metric()
 */
WM_EXTERN const wm_metric *wm_scan_metrics(const wm_scan *scan, size_t *count_out);

/**
 * The running detector's private slot for state that lives as long as the
 * run (an index built on first use, a cache). It starts NULL; the detector
 * owns what it stores and frees it in its `end` callback.
 *
 * @return the slot of the detector currently running, or NULL outside a
 *         detector callback
 */
WM_EXTERN void **wm_scan_state(wm_scan *scan);

/** Options of a run. */
typedef struct wm_scan_options {
	unsigned int version;
	wm_targets_options targets;         /**< scope and revision */
	const char *prefix;                 /**< only targets under this repository-relative directory (NULL: all) */
	const wm_detector *const *detectors; /**< the detectors available */
	size_t ndetectors;
	const char *only;                   /**< comma-separated detector names to run (NULL: all enabled) */
	int jobs;                           /**< worker processes (0: one per core; 1: in-process) */
	bool keep_going;                    /**< internal errors do not fail the run */
	const char *skip;                   /**< comma-separated rule ids or detector names whose findings are dropped (NULL: none) */
	uint32_t hang_timeout_ms;           /**< a worker silent this long is killed (0: 60 s) */
	/**
	 * Called about every 100 ms while workers run, with the run's board
	 * (borrowed for the call), e.g. to draw a progress line. May be NULL.
	 */
	void (*progress)(void *payload, const wm_board *board);
	void *progress_payload;
	/**
	 * Only the targets this accepts are scanned (NULL: all), e.g. the
	 * files of a commit whose results are not cached yet (lib/health.c).
	 * Called in the calling process, before any file is read.
	 */
	bool (*want)(void *payload, const wm_target *target);
	void *want_payload;
	bool files_only;                    /**< run no detector's scan_repo */
} wm_scan_options;

#define WM_SCAN_OPTIONS_VERSION 1
#define WM_SCAN_OPTIONS_INIT { WM_SCAN_OPTIONS_VERSION, WM_TARGETS_OPTIONS_INIT, NULL, NULL, 0, NULL, 0, false, NULL, 0, NULL, NULL, NULL, NULL, false }

/** Counters of a finished run. */
typedef struct wm_summary {
	uint64_t files;          /**< targets scanned */
	uint64_t skipped;        /**< targets skipped (binary, too large, excluded kind) */
	uint64_t findings;
	uint64_t by_severity[WM_SEV__COUNT];
	uint64_t elapsed_ms;
	uint64_t internal_errors;
} wm_summary;

/** The result of a run. */
typedef struct wm_scan_result {
	wm_findings findings;                /**< sorted, deduplicated, suppressions applied */
	wm_summary summary;
	const wm_detector *const *detectors; /**< the detectors that ran (borrowed from the options) */
	size_t ndetectors;
	wm_world *world;                     /**< the world scanned (owned by the result; may be NULL) */
	wm_metric *metrics;                  /**< owned; what detectors measured (wm_scan_metric()) */
	size_t nmetrics;
	void *priv;                          /**< private */
} wm_scan_result;

/**
 * Run the gate: compute targets, run the detectors, aggregate.
 *
 * With more than one job and enough targets, `scan_file` runs in forked
 * worker processes (wm/pool.h), each with its own libgit2 and tree-sitter
 * state, and findings come back through shared-memory rings; the result is
 * the same as in-process. While they run, the board is the file
 * `<commondir>/wm/board-<pid>` (wm-board watches it). A file that crashes
 * two workers becomes an `internal-error` finding. `scan_repo` always runs
 * in the calling process, after every file.
 *
 * Test hooks, for the crash-isolation tests: WM_TEST_CRASH_ON=<path> makes
 * a worker crash (SIGSEGV) on that target, WM_TEST_HANG_ON=<path> makes it
 * hang there until the hang timeout kills it.
 *
 * @param out the result; free with wm_scan_result_free()
 * @param repo the repository (borrowed)
 * @param cfg the configuration (borrowed)
 * @param opts options
 * @return 0 (findings or not), WM_EUSAGE (unknown detector in `only`),
 *         WM_ENOTFOUND (unknown revision), WM_EREPO
 */
WM_EXTERN int wm_scan_run(wm_scan_result **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *opts);

/** Free a result. NULL is a no-op. */
WM_EXTERN void wm_scan_result_free(wm_scan_result *result);

/**
 * Content of a scanned file as the scanned world shows it (the staged bytes
 * in a --staged run), for code frames. Has the wm_report_read_fn shape, with
 * the result as payload.
 *
 * @param payload the wm_scan_result
 * @param data borrowed bytes, valid until the result is freed
 * @return 0, or WM_ENOTFOUND
 */
WM_EXTERN int wm_scan_result_read(void *payload, const char *path, const char **data, size_t *size);

/**
 * Whether a line of a file suppresses a rule: `wm: ignore[rule-a,rule-b] reason`
 * in a comment on the finding's line or on the line above. `wm: ignore[*]`
 * suppresses every rule.
 *
 * @param data file content
 * @param size bytes
 * @param line 1-based line of the finding
 * @param rule rule id
 */
WM_EXTERN bool wm_suppressed(const char *data, size_t size, uint32_t line, const char *rule);

#endif
