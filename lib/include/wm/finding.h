/*
 * wm/finding.h - the finding model: one threat, where it is, and its fix.
 *
 * A finding owns all of its strings. Positions are repository-relative paths
 * with '/', 1-based lines and 1-based columns counted in Unicode code points
 * (so reporters never have to guess an encoding), plus the exact byte range
 * that fixes edit.
 */
#ifndef WM_FINDING_H
#define WM_FINDING_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

/** Severities, ordered: a larger value is more severe. */
typedef enum wm_severity {
	WM_SEV_NONE = 0,     /**< "off": the rule is disabled / the gate never fails */
	WM_SEV_INFO = 1,
	WM_SEV_WARNING = 2,
	WM_SEV_ERROR = 3,
	WM_SEV_CRITICAL = 4
} wm_severity;

#define WM_SEV__COUNT 5

/**
 * Name of a severity: "off", "info", "warning", "error", "critical".
 * @return a static string
 */
WM_EXTERN const char *wm_severity_name(wm_severity sev);

/**
 * Parse a severity name (also accepts "off", "none" and "never" for WM_SEV_NONE).
 * @param out the severity
 * @return 0, or WM_ENOTFOUND for an unknown name (no error message is set)
 */
WM_EXTERN int wm_severity_parse(wm_severity *out, const char *name);

/** One byte-range replacement in one file. */
typedef struct wm_edit {
	char *path;          /**< repository-relative path (owned) */
	uint32_t start_byte; /**< first byte replaced */
	uint32_t end_byte;   /**< one past the last byte replaced */
	char *replacement;   /**< owned, NUL-terminated */
} wm_edit;

/** A fix: a description and the edits that make it. */
typedef struct wm_fix {
	char *description;   /**< owned */
	wm_edit *edits;      /**< owned array */
	size_t nedits;
} wm_fix;

/** One finding. Every pointer is owned by the finding. */
typedef struct wm_finding {
	char *detector;      /**< "syntax", "imports", ... */
	char *rule;          /**< "syntax-error", ... */
	wm_severity severity;
	char *path;          /**< repository-relative, '/' separated; NULL for repository-wide findings */
	uint32_t line, column;         /**< 1-based start; 0 when unknown */
	uint32_t end_line, end_column; /**< 1-based, exclusive end column; 0 when unknown */
	uint32_t start_byte, end_byte; /**< byte range in the scanned content */
	char *message;
	wm_fix *fix;         /**< owned; NULL when there is no fix */
} wm_finding;

#define WM_FINDING_INIT { NULL, NULL, WM_SEV_NONE, NULL, 0, 0, 0, 0, 0, 0, NULL, NULL }

/**
 * Deep-copy a finding into `out` (which is overwritten, not freed).
 * @return 0 or WM_ENOMEM (out is then left empty)
 */
WM_EXTERN int wm_finding_copy(wm_finding *out, const wm_finding *src);

/** Free what a finding owns and reset it to WM_FINDING_INIT. */
WM_EXTERN void wm_finding_clear(wm_finding *finding);

/**
 * Attach a fix to a finding, taking a deep copy of `fix`.
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_finding_set_fix(wm_finding *finding, const wm_fix *fix);

/** A growable list of findings; owns them. */
typedef struct wm_findings {
	wm_finding *items;
	size_t count;
	size_t alloc;
} wm_findings;

#define WM_FINDINGS_INIT { NULL, 0, 0 }

/**
 * Append a deep copy of `finding`.
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_findings_add(wm_findings *list, const wm_finding *finding);

/**
 * Append `finding` by moving its contents into the list; `finding` is reset.
 * @return 0 or WM_ENOMEM (finding is then untouched)
 */
WM_EXTERN int wm_findings_take(wm_findings *list, wm_finding *finding);

/**
 * Sort by path, line, column, rule and message (repository-wide findings
 * first), then drop exact duplicates. Output order is thus deterministic
 * whatever order workers produced findings in.
 */
WM_EXTERN void wm_findings_sort(wm_findings *list);

/** Free every finding and the array; the list is left empty. */
WM_EXTERN void wm_findings_dispose(wm_findings *list);

#endif
