/*
 * quarantine.h (private) - storing files under refs/wm/quarantine/, shared
 * by quarantine and restore.
 */
#ifndef WM_LIB_QUARANTINE_H
#define WM_LIB_QUARANTINE_H

#include <git2.h>

#include "wm/buf.h"
#include "wm/quarantine.h"

/**
 * Store the entries of `held` as a parentless commit under a new
 * refs/wm/quarantine/<time>-<n>.
 *
 * @param name_out the quarantine's name (the part after the prefix)
 * @param commit_out the commit made
 * @param message the commit message
 */
int wm_quarantine__store(wm_buf *name_out, git_oid *commit_out, wm_repo *repo, git_index *held,
	const char *message);

#endif
