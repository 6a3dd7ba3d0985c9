/*
 * wm/report.h - turning findings into output: text, JSON, SARIF, GitHub.
 *
 * The only part of wm that prints findings. Formats are stable: JSON is
 * versioned ("version": 1), SARIF is 2.1.0 as GitHub code scanning reads it.
 */
#ifndef WM_REPORT_H
#define WM_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include "antibody.h"
#include "antibody_memory.h"
#include "common.h"
#include "finding.h"
#include "fix.h"
#include "health.h"
#include "scan.h"

typedef enum wm_format {
	WM_FORMAT_TEXT,
	WM_FORMAT_JSON,
	WM_FORMAT_SARIF,
	WM_FORMAT_GITHUB,
	WM_FORMAT_HTML
} wm_format;

/**
 * Parse a format name: "text", "json", "sarif", "github", "html".
 * @return 0 or WM_ENOTFOUND (no message set)
 */
WM_EXTERN int wm_format_parse(wm_format *out, const char *name);

/**
 * Reads a file's content for code frames. Returns 0 and borrowed bytes that
 * stay valid until the report is written, or non-zero when unavailable.
 */
typedef int (*wm_report_read_fn)(void *payload, const char *path, const char **data, size_t *size);

/** Options of a report. */
typedef struct wm_report_options {
	unsigned int version;
	wm_format format;
	bool color;                    /**< ANSI colour (text only); the caller decides (TTY, NO_COLOR) */
	const char *tool_version;      /**< "0.1.0" */
	const char *repo_root;         /**< absolute working directory, for SARIF's originalUriBaseIds (may be NULL) */
	wm_report_read_fn read;        /**< content for code frames (text); may be NULL */
	void *read_payload;
	wm_severity fail_on;           /**< for the text summary line ("failed: 2 errors") */
	const wm_health_history *history; /**< html: health over history for the charts (may be NULL) */
	const char *title;             /**< html: the page title (NULL: "wm report") */
	const wm_config *config;       /**< html: health ranges drawn as bands (may be NULL) */
} wm_report_options;

#define WM_REPORT_OPTIONS_VERSION 1
#define WM_REPORT_OPTIONS_INIT { WM_REPORT_OPTIONS_VERSION, WM_FORMAT_TEXT, false, NULL, NULL, NULL, NULL, WM_SEV_ERROR, NULL, NULL, NULL }

/**
 * Write a run's findings.
 *
 * @param out where to write
 * @param result the run (its detectors give SARIF its rule table)
 * @param opts options
 * @return 0, or WM_ERROR when writing failed
 */
WM_EXTERN int wm_report_write(FILE *out, const wm_scan_result *result, const wm_report_options *opts);

/**
 * Write what a fix run did: with `dry_run`, the fixes as a unified diff
 * (as `git diff` prints it); otherwise one line per file and a summary.
 * @return 0, or WM_ERROR when writing failed
 */
WM_EXTERN int wm_report_fix(FILE *out, const wm_fix_report *report, bool dry_run);

/**
 * Write what an undo did, one line per file.
 * @return 0, or WM_ERROR when writing failed
 */
WM_EXTERN int wm_report_undo(FILE *out, const wm_undo_report *report);

/**
 * Write what the immune memory knows about each antibody: one row per rule
 * with a record or a learned provenance: id, the severity it reports with
 * now, hits, fixes applied and reverted, effectiveness and status
 * (wm/antibody_memory.h). JSON: `{"version": 1, "rules": [...]}`.
 *
 * @param stats the records (may be NULL: no memory yet)
 * @param set the rules a scan applies, for declared severities and provenance
 * @param policy the thresholds in force
 * @param json JSON instead of a text table
 * @return 0, or WM_ERROR when writing failed, WM_ENOMEM
 */
WM_EXTERN int wm_report_antibody_stats(FILE *out, const wm_antibody_stats *stats,
	const wm_antibodies *set, const wm_antibody_policy *policy, bool json);

/**
 * Write a coverage table from a run's metrics, as `interrogate -v` does:
 * one row per file, then one per directory (everything below it), then the
 * total. Files with nothing to count are left out.
 *
 * @param out where to write
 * @param result the run
 * @param metric the metric to tabulate ("doc-coverage")
 * @return 0, or WM_ERROR when writing failed, WM_ENOMEM
 */
WM_EXTERN int wm_report_coverage(FILE *out, const wm_scan_result *result, const char *metric);

/**
 * Write health over history for a terminal: per headline metric a
 * sparkline, the first and last values and the range.
 *
 * @param history oldest first
 * @param color ANSI colour (green: better, red: worse)
 * @return 0, or WM_ERROR when writing failed, WM_ENOMEM
 */
WM_EXTERN int wm_report_history(FILE *out, const wm_health_history *history, bool color);

/**
 * Draw the progress bar of a history run on one terminal line (`\r`, no newline).
 * @return 0
 */
WM_EXTERN int wm_report_history_progress(FILE *out, const wm_health_progress *progress);

#endif
