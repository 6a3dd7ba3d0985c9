/*
 * wm/world.h - the repository and its worlds (libgit2).
 *
 * A world is a read-only view `path -> (oid, mode)` of one tree: HEAD, the
 * index, the working tree, or any commit. Pre-commit hooks scan the index
 * world, so what is checked is exactly what will be committed. Targets are
 * the files to report on, with what happened to them (added, modified,
 * renamed from, deleted).
 */
#ifndef WM_WORLD_H
#define WM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"

/** A git object id (SHA-1). */
typedef struct wm_oid {
	unsigned char id[20];
} wm_oid;

/** Hex form of an oid into `out` (41 bytes with the NUL). */
WM_EXTERN void wm_oid_fmt(char out[41], const wm_oid *oid);
/** @return true when every byte is zero (not hashed / no object). */
WM_EXTERN bool wm_oid_is_zero(const wm_oid *oid);

/** File modes as git stores them. */
#define WM_MODE_FILE 0100644u
#define WM_MODE_EXEC 0100755u
#define WM_MODE_LINK 0120000u
#define WM_MODE_GITLINK 0160000u
#define WM_MODE_TREE 0040000u

typedef struct wm_repo wm_repo;
typedef struct wm_world wm_world;

/**
 * Open the repository that contains `path`, searching upwards as git does.
 *
 * Honours git's environment (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE,
 * GIT_OBJECT_DIRECTORY, ...) exactly as a hook run by `git commit` sees it:
 * `git commit -a` and `git commit PATH` hand the hook a temporary index
 * through GIT_INDEX_FILE. Works in linked worktrees and with a detached HEAD.
 *
 * @param out the repository; free with wm_repo_free()
 * @param path a directory inside the repository, or NULL for the current one
 * @return 0, WM_ENOTFOUND when no repository contains path, or WM_EREPO
 */
WM_EXTERN int wm_repo_open(wm_repo **out, const char *path);

/** Free a repository. NULL is a no-op. Worlds opened on it must be freed first. */
WM_EXTERN void wm_repo_free(wm_repo *repo);

/**
 * The working directory, absolute, ending in '/'.
 * @return borrowed string living as long as repo; NULL for a bare repository
 */
WM_EXTERN const char *wm_repo_workdir(const wm_repo *repo);

/**
 * The git directory (".git", or the worktree's own git dir), absolute, ending in '/'.
 * @return borrowed string living as long as repo
 */
WM_EXTERN const char *wm_repo_gitdir(const wm_repo *repo);

/**
 * The common git directory shared by all worktrees (where wm keeps its
 * state: `<commondir>/wm/`), absolute, ending in '/'.
 * @return borrowed string living as long as repo
 */
WM_EXTERN const char *wm_repo_commondir(const wm_repo *repo);

/** @return true when HEAD points at a commit (false in a repository with no commits). */
WM_EXTERN bool wm_repo_has_head(const wm_repo *repo);

/**
 * The underlying libgit2 repository, for modules that need more than this API.
 * @return borrowed `git_repository *` living as long as repo
 */
WM_EXTERN void *wm_repo_git(wm_repo *repo);

/**
 * Resolve a revision (anything `git rev-parse` takes that names a commit).
 * @return 0, WM_ENOTFOUND, or WM_EREPO
 */
WM_EXTERN int wm_repo_resolve(wm_oid *out, wm_repo *repo, const char *rev);

/**
 * The merge base of a revision and HEAD (what `git merge-base REV HEAD` prints).
 * @return 0, WM_ENOTFOUND (unknown revision, no HEAD, or no common ancestor), or WM_EREPO
 */
WM_EXTERN int wm_repo_merge_base(wm_oid *out, wm_repo *repo, const char *rev);

/** Which tree a world shows. */
typedef enum wm_world_kind {
	WM_WORLD_HEAD,     /**< the tree of HEAD (empty in a repository without commits) */
	WM_WORLD_INDEX,    /**< the index (GIT_INDEX_FILE honoured), stage 0 entries */
	WM_WORLD_WORKDIR,  /**< tracked and untracked-not-ignored files on disk */
	WM_WORLD_COMMIT    /**< the tree of any commit */
} wm_world_kind;

/** One entry of a world. */
typedef struct wm_entry {
	const char *path;  /**< repository-relative with '/' (borrowed from the world) */
	wm_oid oid;        /**< blob oid; for WM_WORLD_WORKDIR the hash of the bytes on
	                        disk, zero until the file was read */
	uint32_t mode;     /**< WM_MODE_* */
} wm_entry;

/**
 * Open a world.
 *
 * @param out the world; free with wm_world_free() before the repository
 * @param repo the repository (borrowed; must outlive the world)
 * @param kind which tree
 * @param rev for WM_WORLD_COMMIT, the revision; ignored otherwise
 * @return 0, WM_ENOTFOUND (no such revision), or WM_EREPO
 */
WM_EXTERN int wm_world_open(wm_world **out, wm_repo *repo, wm_world_kind kind, const char *rev);

/** Free a world. NULL is a no-op. */
WM_EXTERN void wm_world_free(wm_world *world);

/** @return the kind the world was opened with */
WM_EXTERN wm_world_kind wm_world_kind_of(const wm_world *world);

/**
 * The commit a WM_WORLD_COMMIT world shows (`--rev`), into *out.
 * @return false for any other kind of world (*out untouched)
 */
WM_EXTERN bool wm_world_commit(const wm_world *world, wm_oid *out);

/** @return the repository the world shows (borrowed) */
WM_EXTERN wm_repo *wm_world_repo(const wm_world *world);

/** @return the number of entries (files, symlinks and gitlinks; no trees) */
WM_EXTERN size_t wm_world_count(const wm_world *world);

/**
 * The i-th entry, in byte order of path.
 * @return borrowed entry living as long as the world; NULL when i is out of range
 */
WM_EXTERN const wm_entry *wm_world_entry(const wm_world *world, size_t i);

/**
 * Find the entry for a path.
 * @return borrowed entry living as long as the world, or NULL when absent
 */
WM_EXTERN const wm_entry *wm_world_lookup(const wm_world *world, const char *path);

/** Content of a file as a world shows it. */
typedef struct wm_blob {
	const char *data;  /**< `size` bytes (borrowed from `owner`; not NUL-terminated) */
	size_t size;
	wm_oid oid;        /**< the oid of exactly these bytes */
	void *owner;       /**< private */
} wm_blob;

#define WM_BLOB_INIT { NULL, 0, { { 0 } }, NULL }

/**
 * Read a regular file (or a symlink's target text) of the world.
 *
 * For WM_WORLD_WORKDIR the bytes are those on disk, read without following
 * a symlink; for the other kinds the blob in the object database. Gitlinks
 * (submodules) and directories are WM_ENOTFOUND.
 *
 * @param out filled in; release with wm_blob_release()
 * @return 0, WM_ENOTFOUND, or WM_EREPO
 */
WM_EXTERN int wm_world_read(wm_blob *out, const wm_world *world, const char *path);

/**
 * Read a blob by oid from the object database.
 * @return 0, WM_ENOTFOUND, or WM_EREPO
 */
WM_EXTERN int wm_repo_read_blob(wm_blob *out, wm_repo *repo, const wm_oid *oid);

/** Release what wm_world_read()/wm_repo_read_blob() gave. A released or zeroed blob is a no-op. */
WM_EXTERN void wm_blob_release(wm_blob *blob);

/** What happened to a target file relative to the base of the comparison. */
typedef enum wm_change {
	WM_CHANGE_NONE = 0,   /**< unchanged (--all scans every file) */
	WM_CHANGE_ADDED,
	WM_CHANGE_MODIFIED,
	WM_CHANGE_RENAMED,    /**< old_path says from where; content may also differ */
	WM_CHANGE_DELETED,    /**< no content in the world; kept for dependents */
	WM_CHANGE_TYPECHANGE
} wm_change;

/** @return "unchanged", "added", "modified", "renamed", "deleted", "typechange" */
WM_EXTERN const char *wm_change_name(wm_change change);

/** One target file. */
typedef struct wm_target {
	char *path;       /**< owned; repository-relative */
	char *old_path;   /**< owned; the path before a rename, else NULL */
	wm_change change;
	uint32_t mode;    /**< mode in the world (0 for deletions) */
} wm_target;

/** A list of targets, sorted by path. */
typedef struct wm_targets {
	wm_target *items;
	size_t count;
	/**
	 * The commit the targets were compared against: HEAD for the staged
	 * scope, the merge base for the diff scope; all zero when there is none
	 * (--all, --rev, or no commit yet). Detectors that judge a change (a
	 * version bumped in this change) open a WM_WORLD_COMMIT world on it.
	 */
	wm_oid base;
} wm_targets;

/** Which targets to compute. */
typedef enum wm_scope {
	WM_SCOPE_ALL,     /**< every file of the working tree (world: WORKDIR) */
	WM_SCOPE_STAGED,  /**< index vs HEAD, or vs nothing before the first commit (world: INDEX) */
	WM_SCOPE_DIFF,    /**< merge-base(base, HEAD) vs HEAD (world: HEAD) */
	WM_SCOPE_COMMIT   /**< every file of one commit (world: COMMIT) */
} wm_scope;

/** Options for wm_targets_compute(). */
typedef struct wm_targets_options {
	unsigned int version;
	wm_scope scope;
	const char *rev;      /**< WM_SCOPE_DIFF: the base revision; WM_SCOPE_COMMIT: the commit */
	bool renames;         /**< detect renames (default true) */
} wm_targets_options;

#define WM_TARGETS_OPTIONS_VERSION 1
#define WM_TARGETS_OPTIONS_INIT { WM_TARGETS_OPTIONS_VERSION, WM_SCOPE_ALL, NULL, true }

/**
 * Compute the world a scope reads and its targets.
 *
 * Deletions are included (change WM_CHANGE_DELETED) so that detectors can
 * find the dependents of a deleted or renamed file. Gitlinks (submodules)
 * are never targets.
 *
 * @param world_out the world the targets live in; free with wm_world_free()
 * @param targets_out the targets; free with wm_targets_free()
 * @return 0, WM_ENOTFOUND (unknown revision, or no merge base), or WM_EREPO
 */
WM_EXTERN int wm_targets_compute(wm_world **world_out, wm_targets **targets_out,
	wm_repo *repo, const wm_targets_options *opts);

/** Free a target list. NULL is a no-op. */
WM_EXTERN void wm_targets_free(wm_targets *targets);

#endif
