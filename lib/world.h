/*
 * world.h (private) - what world.c shares with targets.c.
 */
#ifndef WM_LIB_WORLD_H
#define WM_LIB_WORLD_H

#include <string.h>
#include <git2.h>

#include "wm/buf.h"
#include "wm/world.h"

/* wm_oid and git_oid are both the 20 raw bytes of a SHA-1. */
_Static_assert(sizeof(wm_oid) == sizeof(git_oid), "wm_oid must mirror git_oid");

static inline void wm_world__oid_from_git(wm_oid *out, const git_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

static inline void wm_world__oid_to_git(git_oid *out, const wm_oid *in)
{
	memcpy(out->id, in->id, sizeof(out->id));
}

/**
 * Turn libgit2's last error into ours: "<context>: <libgit2 message>".
 * @return WM_ENOTFOUND when code is GIT_ENOTFOUND, else WM_EREPO
 */
int wm_world__git_error(int code, const char *fmt, ...) WM_PRINTF(2, 3);

/**
 * The commit a revision names (peeled through tags).
 * @return 0, WM_ENOTFOUND (unknown, invalid or not a commit), or WM_EREPO
 */
int wm_world__lookup_commit(git_commit **out, wm_repo *repo, const char *rev);

/**
 * The tree of HEAD; *out is NULL in a repository without commits.
 * @return 0 or WM_EREPO
 */
int wm_world__head_tree(git_tree **out, wm_repo *repo);

/**
 * Open the directory that holds `path` (relative to `workdir`), one
 * component at a time with O_NOFOLLOW, so that neither "..", nor an
 * absolute path, nor a directory swapped for a symlink leads outside.
 *
 * @param dirfd_out the directory (the caller closes it)
 * @param copy_out a copy of path the caller frees; *name_out points into it
 * @param name_out the last component
 * @return 0, WM_ENOTFOUND, or WM_EREPO (path leaves the tree, or a symlink)
 */
int wm_world__open_parent(int *dirfd_out, char **copy_out, const char **name_out,
	const char *workdir, const char *path);

/**
 * Read a working-tree file (or a symlink's target text) without following
 * symlinks anywhere on its path.
 *
 * @param out the bytes (appended)
 * @param mode_out st_mode of the file (may be NULL)
 * @return 0, WM_ENOTFOUND (absent, or not a file), WM_EREPO, or WM_ENOMEM
 */
int wm_world__read_file(wm_buf *out, unsigned int *mode_out, const char *workdir, const char *path);

/**
 * Point a world at another handle on the same repository. A worker process
 * inherits the aggregator's world through fork() but must read objects
 * through its own libgit2 state; the entries stay as they are.
 */
void wm_world__rebind(wm_world *world, wm_repo *repo);

#endif
