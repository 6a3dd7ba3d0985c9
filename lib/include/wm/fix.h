/*
 * wm/fix.h - applying fixes: the only part of wm that writes files.
 *
 * A fix is data: byte-range edits attached to a finding. This module turns
 * accepted edits into new file contents, writes them safely (working tree
 * atomically, index through libgit2 under its lock), and keeps a journal
 * with a backup blob of every original so that `wm-scan --undo` can put
 * back every byte. Nothing is written outside the working tree and the
 * repository's own object database, index and `.git/wm/`.
 */
#ifndef WM_FIX_H
#define WM_FIX_H

#include <stdbool.h>
#include <stddef.h>
#include "buf.h"
#include "common.h"
#include "finding.h"
#include "scan.h"
#include "world.h"

/**
 * Apply edits to content, in memory.
 *
 * Edits are applied in order of start byte. An edit that overlaps one
 * already accepted is rejected (the first by position wins) and counted.
 *
 * @param out new content; the caller frees out->ptr with wm_buf_dispose()
 * @param rejected_out number of edits rejected for overlapping (may be NULL)
 * @param data original content
 * @param size bytes of original content
 * @param edits edits of one file
 * @param nedits number of edits
 * @return 0, WM_EPARSE (an edit lies outside the content), or WM_ENOMEM
 */
WM_EXTERN int wm_fix_apply_edits(wm_buf *out, size_t *rejected_out, const char *data, size_t size,
	const wm_edit *const *edits, size_t nedits);

/** What happened to one file. */
typedef enum wm_fix_status {
	WM_FIX_APPLIED,     /**< written and verified */
	WM_FIX_ROLLED_BACK, /**< written, but the re-scan did not confirm it: restored */
	WM_FIX_SKIPPED,     /**< not written (overlap, unreadable, dry run...) */
	WM_FIX_PARTIAL      /**< staged content fixed, the working tree copy differs and was left alone */
} wm_fix_status;

/** A rule whose fix went into a file. */
typedef struct wm_fix_rule {
	char *detector;      /**< owned */
	char *rule;          /**< owned */
} wm_fix_rule;

/** One fixed (or not) file. */
typedef struct wm_fix_file {
	char *path;          /**< repository-relative (owned) */
	wm_fix_status status;
	char *reason;        /**< why not applied, or a note (owned; may be NULL) */
	size_t fixes;        /**< findings whose fix was applied to this file */
	wm_buf before;       /**< original content, as the scanned world showed it */
	wm_buf after;        /**< fixed content */
	wm_fix_rule *rules;  /**< the rules of those findings, each once (the immune memory records them) */
	size_t nrules;
} wm_fix_file;

/** What a fix run did. */
typedef struct wm_fix_report {
	wm_fix_file *files;
	size_t count;
	char *journal;       /**< journal id of the run ("20261122T021530-1234"), NULL for a dry run */
} wm_fix_report;

/** Options of a fix run. */
typedef struct wm_fix_options {
	unsigned int version;
	bool dry_run;        /**< compute and report, write nothing */
	bool verify;         /**< re-scan after writing and roll back what it does not confirm (default true) */
} wm_fix_options;

#define WM_FIX_OPTIONS_VERSION 1
#define WM_FIX_OPTIONS_INIT { WM_FIX_OPTIONS_VERSION, false, true }

/**
 * Apply the fixes of a run's findings and verify them.
 *
 * In a --staged run (`scan_opts->targets.scope == WM_SCOPE_STAGED`) the
 * staged blob is fixed (a new blob, the index entry updated under the index
 * lock) and the working file is fixed only when the same edit applies
 * cleanly to it, so unstaged changes are kept byte for byte. In a --all run
 * the working tree is fixed. Other scopes are refused (WM_EUSAGE).
 *
 * Before any write, the original is stored as a blob in the object
 * database and recorded in a journal under `<commondir>/wm/journal/`.
 * After writing, the scan is run again; a file keeps its fix only when
 * every finding fixed in it is gone and no new finding appeared in it.
 *
 * @param out what happened; free with wm_fix_report_free()
 * @param repo the repository the run scanned
 * @param cfg the configuration of the run
 * @param scan_opts the options the run was made with (for the re-scan)
 * @param result the run
 * @param opts options
 * @return 0, WM_EUSAGE, WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_fix_run(wm_fix_report **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *scan_opts, const wm_scan_result *result, const wm_fix_options *opts);

/** Free a fix report. NULL is a no-op. */
WM_EXTERN void wm_fix_report_free(wm_fix_report *report);

/** One file put back by wm_fix_undo(). */
typedef struct wm_undo_file {
	char *path;
	bool restored;       /**< false: refused, see reason */
	char *reason;
	bool index;          /**< the index entry (else the working tree file) */
} wm_undo_file;

/** What an undo did. */
typedef struct wm_undo_report {
	wm_undo_file *files;
	size_t count;
	char *journal;       /**< the journal undone */
} wm_undo_report;

/**
 * Revert the last fix run from its journal.
 *
 * Each file is put back only when its current content is exactly what the
 * fix wrote; a file changed since is refused with a reason. The journal
 * is marked undone so a second undo goes one run further back.
 *
 * @param out what happened; free with wm_undo_report_free()
 * @return 0, WM_ENOTFOUND (no run to undo), WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_fix_undo(wm_undo_report **out, wm_repo *repo);

/** Free an undo report. NULL is a no-op. */
WM_EXTERN void wm_undo_report_free(wm_undo_report *report);

/** What a restore did. */
typedef struct wm_restore_report {
	char *path;          /**< the file restored */
	char *commit;        /**< hex id of the commit whose version was put back */
	char *quarantine;    /**< where the damaged content was kept (refs/wm/quarantine/<name>) */
	size_t checked;      /**< versions scanned to find a clean one */
} wm_restore_report;

/**
 * Apoptosis: replace a damaged working-tree file with its newest version
 * in first-parent history that has no finding at or above the configured
 * `fail_on` (any finding when that is "never"), after keeping the current
 * content as a quarantine and in the fix journal (so --undo reverts it).
 *
 * @param out what was done; free with wm_restore_report_free()
 * @param scan_opts detectors, `only` and `skip` to judge versions with
 *        (its scope is ignored: each version is scanned as a commit)
 * @param path repository-relative path of the file
 * @return 0; WM_ENOTFOUND (no such file, or no clean version in the last
 *         500 commits); WM_EREPO; WM_ENOMEM
 */
WM_EXTERN int wm_restore_run(wm_restore_report **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *scan_opts, const char *path);

/** Free a restore report. NULL is a no-op. */
WM_EXTERN void wm_restore_report_free(wm_restore_report *report);

#endif
