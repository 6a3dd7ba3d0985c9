/*
 * wm/baseline.h - adopting the gate on an existing repository.
 *
 * A baseline records the findings a repository already has, so that a
 * scan fails only on new ones. Findings are matched by rule, path and a
 * fingerprint of the code on the finding's line (not its line number), so
 * the baseline survives code moving up and down around them.
 */
#ifndef WM_BASELINE_H
#define WM_BASELINE_H

#include <stddef.h>
#include "common.h"
#include "scan.h"

/** The default baseline file, relative to the working tree. */
#define WM_BASELINE_PATH ".wm/baseline.json"

typedef struct wm_baseline wm_baseline;

/**
 * Record a run's findings as the baseline in `<workdir>/.wm/baseline.json`
 * (written atomically; stable order, so it diffs well in review).
 *
 * @param count_out number of findings recorded
 * @return 0, WM_EUSAGE (bare repository), WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_baseline_write(size_t *count_out, wm_repo *repo, wm_scan_result *result);

/**
 * Load a baseline file.
 * @param out the baseline; free with wm_baseline_free()
 * @return 0, WM_ENOTFOUND (no such file), or WM_EPARSE ("file:line:column: message")
 */
WM_EXTERN int wm_baseline_load(wm_baseline **out, const char *path);

/**
 * Drop from a result the findings the baseline already has, and recount
 * its summary.
 *
 * @param dropped_out number of findings dropped
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_baseline_filter(size_t *dropped_out, const wm_baseline *baseline, wm_scan_result *result);

/** Free a baseline. NULL is a no-op. */
WM_EXTERN void wm_baseline_free(wm_baseline *baseline);

#endif
