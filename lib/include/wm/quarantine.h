/*
 * wm/quarantine.h - apoptosis: take a critical file out of the commit,
 * keep it recoverable, let the rest of the commit go on.
 *
 * A quarantined file's staged content is stored as a commit (one tree
 * holding the files, a message saying why) under
 * `refs/wm/quarantine/<time>`; its index entry goes back to HEAD's (or is
 * removed when the file is new). The working tree is never touched.
 */
#ifndef WM_QUARANTINE_H
#define WM_QUARANTINE_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "finding.h"
#include "scan.h"
#include "world.h"

/** One quarantine: a ref and what it holds. */
typedef struct wm_quarantine {
	char *name;        /**< "20261122T031500-1" (the ref is refs/wm/quarantine/<name>) */
	char *message;     /**< why: one line per file and finding */
	char **paths;      /**< the files it holds */
	size_t npaths;
	int64_t time;      /**< seconds since the epoch */
} wm_quarantine;

/** A list of quarantines, newest first. */
typedef struct wm_quarantines {
	wm_quarantine *items;
	size_t count;
} wm_quarantines;

/**
 * Quarantine the staged files that have a finding at or above `min` with no
 * fix. Only a --staged run can be quarantined (WM_EUSAGE otherwise).
 *
 * @param out the quarantine made (count 0 when no file qualified); free
 *        with wm_quarantines_free()
 * @return 0, WM_EUSAGE, WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_quarantine_run(wm_quarantines **out, wm_repo *repo, const wm_scan_result *result,
	wm_severity min);

/**
 * Every quarantine of the repository, newest first.
 * @return 0, WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_quarantine_list(wm_quarantines **out, wm_repo *repo);

/**
 * Put a quarantine's files back in the index (the ref is kept until dropped).
 * @return 0, WM_ENOTFOUND, WM_EREPO
 */
WM_EXTERN int wm_quarantine_restore(wm_repo *repo, const char *name);

/**
 * Delete a quarantine's ref (its objects go with git's next gc).
 * @return 0, WM_ENOTFOUND, WM_EREPO
 */
WM_EXTERN int wm_quarantine_drop(wm_repo *repo, const char *name);

/** Free a list. NULL is a no-op. */
WM_EXTERN void wm_quarantines_free(wm_quarantines *list);

#endif
