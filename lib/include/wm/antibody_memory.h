/*
 * wm/antibody_memory.h - what the immune memory knows about each antibody.
 *
 * Per rule id: hits (findings, summed over the recorded runs of the working
 * tree or the index), fixes applied (kept by a `--fix` run) and fixes
 * reverted (restored by `wm-scan --undo`, or the finding came back at the
 * same path while the file no longer holds what the fix wrote). From them,
 * effectiveness = (applied - reverted) / max(1, applied), and a status:
 *
 *   demoted       effectiveness below `antibodies.demote_below` after at
 *                 least `antibodies.min_evidence` applied fixes: an error or
 *                 critical rule reports as a warning;
 *   learned-hint  a learned rule (`provenance.source: learned`) not yet
 *                 promoted: it keeps its declared severity (info, as
 *                 wm-learn writes it);
 *   promoted      a learned rule with at least min_evidence kept fixes and
 *                 effectiveness >= 0.8: at least a warning;
 *   normal        everything else.
 *
 * The tables (`antibody_stats`, `antibody_fix`) live in wm/memory.h's
 * database. Recording is best effort for callers: the gate never fails
 * because the memory could not be written.
 */
#ifndef WM_ANTIBODY_MEMORY_H
#define WM_ANTIBODY_MEMORY_H

#include <stdbool.h>
#include <stdint.h>
#include "common.h"
#include "config.h"
#include "finding.h"
#include "fix.h"
#include "memory.h"
#include "scan.h"

/** Effectiveness a learned rule needs (with min_evidence kept fixes) to be promoted. */
#define WM_ANTIBODY_PROMOTE_AT 0.8

/** One rule's record. */
typedef struct wm_antibody_stat {
	char *id;                /**< rule id (owned) */
	uint64_t hits;
	uint64_t applied;        /**< fixes kept by --fix runs */
	uint64_t reverted;       /**< of those, undone or come back */
	int64_t last_seen;       /**< unix time of the newest hit, 0 if never */
} wm_antibody_stat;

/** Every rule the memory has a record of, sorted by id. */
typedef struct wm_antibody_stats {
	wm_antibody_stat *items;
	size_t count;
} wm_antibody_stats;

/** The thresholds, from `.wm.yml`. */
typedef struct wm_antibody_policy {
	double demote_below;     /**< `antibodies.demote_below`, 0..1 (default 0.5) */
	uint64_t min_evidence;   /**< `antibodies.min_evidence` (default 3) */
} wm_antibody_policy;

/** How the memory grades a rule. */
typedef enum wm_antibody_status {
	WM_ANTIBODY_NORMAL,
	WM_ANTIBODY_DEMOTED,
	WM_ANTIBODY_LEARNED_HINT,
	WM_ANTIBODY_PROMOTED
} wm_antibody_status;

/** @return "normal", "demoted", "learned-hint" or "promoted" (static) */
WM_EXTERN const char *wm_antibody_status_name(wm_antibody_status status);

/** Read the thresholds of a configuration (schema defaults when unset). */
WM_EXTERN void wm_antibody_policy_from_config(wm_antibody_policy *out, const wm_config *cfg);

/** @return (applied - reverted) / max(1, applied); 1 for a rule never fixed */
WM_EXTERN double wm_antibody_effectiveness(const wm_antibody_stat *stat);

/**
 * Grade a rule and give the severity it reports with.
 *
 * @param sev_out the severity to report (the declared one unless demoted or promoted)
 * @param stat the rule's record, or NULL when it has none
 * @param declared the rule's own severity
 * @param learned whether the rule's provenance is "learned"
 * @return the status
 */
WM_EXTERN wm_antibody_status wm_antibody_judge(wm_severity *sev_out, const wm_antibody_stat *stat,
	wm_severity declared, bool learned, const wm_antibody_policy *policy);

/**
 * Load every rule's record.
 * @param out free with wm_antibody_stats_free()
 * @return 0, WM_ERROR or WM_ENOMEM
 */
WM_EXTERN int wm_antibody_stats_load(wm_antibody_stats **out, wm_memory *mem);

/** @return the record of rule `id` (borrowed from stats), or NULL */
WM_EXTERN const wm_antibody_stat *wm_antibody_stats_find(const wm_antibody_stats *stats, const char *id);

/** Free. NULL is a no-op. */
WM_EXTERN void wm_antibody_stats_free(wm_antibody_stats *stats);

/**
 * Record a run of the working tree or the index, in one transaction: one
 * hit per antibody finding, and, for each finding whose rule was fixed at
 * that path by an earlier run not yet reverted, the fix as reverted when
 * the file no longer holds the fixed content (the threat came back).
 * Runs of a commit or a diff are history, not events, and are ignored.
 *
 * @return 0, WM_ERROR or WM_ENOMEM
 */
WM_EXTERN int wm_antibody_memory_record_scan(wm_memory *mem, const wm_scan_result *result);

/**
 * Record the antibody fixes a `--fix` run kept (files WM_FIX_APPLIED or
 * WM_FIX_PARTIAL), keyed by the run's journal id. A dry run records nothing.
 * @return 0, WM_ERROR or WM_ENOMEM
 */
WM_EXTERN int wm_antibody_memory_record_fixes(wm_memory *mem, const wm_fix_report *report);

/**
 * Record an undo: the fixes of the undone journal at the paths it put
 * back count as reverted.
 * @return 0, WM_ERROR or WM_ENOMEM
 */
WM_EXTERN int wm_antibody_memory_record_undo(wm_memory *mem, const wm_undo_report *report);

#endif
