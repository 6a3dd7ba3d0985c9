/*
 * wm/hook.h - installing wm as a repository's git pre-commit hook.
 *
 * The hook is a short shell script that runs any hook it replaced first
 * (chained, kept beside it as `pre-commit.wm-chained`) and then
 * `wm-hook run`. It goes where git looks for hooks: `core.hooksPath` when
 * set, else the common git directory's `hooks/` (shared by worktrees).
 */
#ifndef WM_HOOK_H
#define WM_HOOK_H

#include <stdbool.h>
#include "common.h"
#include "world.h"

/** Options of wm_hook_install(). */
typedef struct wm_hook_options {
	unsigned int version;
	const char *program;  /**< absolute path of the wm-hook executable the hook calls */
	bool force;           /**< replace a hook that cannot be chained (a symlink, a non-script) */
} wm_hook_options;

#define WM_HOOK_OPTIONS_VERSION 1
#define WM_HOOK_OPTIONS_INIT { WM_HOOK_OPTIONS_VERSION, NULL, false }

/** What an install or uninstall did. */
typedef enum wm_hook_action {
	WM_HOOK_INSTALLED,        /**< no hook was there */
	WM_HOOK_UPDATED,          /**< wm's hook was there and was rewritten */
	WM_HOOK_CHAINED,          /**< a hook was there: kept, and run before wm */
	WM_HOOK_REPLACED,         /**< a hook that cannot be chained was replaced (--force); kept as pre-commit.wm-backup */
	WM_HOOK_REMOVED,          /**< wm's hook removed (a chained hook put back) */
	WM_HOOK_ABSENT            /**< uninstall: no wm hook to remove */
} wm_hook_action;

/**
 * The path of the pre-commit hook git will run for this repository.
 * @param out absolute path; the caller frees it with wm_free()
 * @return 0, WM_EREPO, or WM_ENOMEM
 */
WM_EXTERN int wm_hook_path(char **out, wm_repo *repo);

/**
 * Install wm's pre-commit hook.
 *
 * @param action_out what was done
 * @return 0; WM_EUSAGE when a foreign hook cannot be chained and
 *         opts->force is not set (the message says why); WM_EREPO
 */
WM_EXTERN int wm_hook_install(wm_hook_action *action_out, wm_repo *repo, const wm_hook_options *opts);

/**
 * Remove wm's pre-commit hook, putting a chained hook back in its place.
 *
 * @return 0; WM_EUSAGE when the hook there is not wm's (it is left alone); WM_EREPO
 */
WM_EXTERN int wm_hook_uninstall(wm_hook_action *action_out, wm_repo *repo);

#endif
