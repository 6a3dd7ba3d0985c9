/*
 * wm/blobcache.h - facts derived from a blob, kept between runs.
 *
 * What a detector learns from a file's content alone (the imports it
 * makes, say) is a pure function of the blob, so it can be computed once
 * per blob oid and reused by every later run, in every worktree. A blob
 * cache is one SQLite file under `<commondir>/wm/cache/` mapping
 * (context, kind, blob oid) to bytes the caller chose to store.
 *
 * The cache is an optimisation only, and its contract says so: nothing
 * it fails at is fatal. A corrupt, unreadable, read-only or
 * foreign-version file reads as empty (a miss), writes that cannot be made
 * are dropped, and a file found corrupt is replaced by an empty one. A
 * caller that treats every error as "compute it" gets the same results
 * with or without the file.
 */
#ifndef WM_BLOBCACHE_H
#define WM_BLOBCACHE_H

#include <stddef.h>
#include "common.h"
#include "world.h"

typedef struct wm_blobcache wm_blobcache;

/** Options for wm_blobcache_open(). */
typedef struct wm_blobcache_options {
	unsigned int version;
	/**
	 * Everything the stored bytes depend on besides the blob and the
	 * kind: the producer's format version, the wm version, configuration
	 * that changes the result. Rows written under another context are
	 * never returned (and are dropped when the cache is pruned).
	 */
	const char *context;
	/**
	 * Size bound. When a flush finds more rows than this, it keeps only
	 * the rows this session read or wrote and deletes the rest, so the
	 * file stays near the size of one world's facts. 0: no bound.
	 */
	size_t max_rows;
} wm_blobcache_options;

#define WM_BLOBCACHE_OPTIONS_VERSION 1
#define WM_BLOBCACHE_OPTIONS_INIT { WM_BLOBCACHE_OPTIONS_VERSION, "", 0 }

/** The on-disk layout this libwm reads and writes (PRAGMA user_version). */
#define WM_BLOBCACHE_SCHEMA_VERSION 1

/**
 * Open (creating when needed) the cache `<commondir>/wm/cache/<name>.sqlite`.
 *
 * A file of another schema version is emptied and rebuilt; one that is not
 * a database, or is corrupt, is deleted and created anew.
 *
 * @param out the cache; free with wm_blobcache_free()
 * @param repo the repository (borrowed; only its common dir is used)
 * @param name a file name without directory or extension ("imports")
 * @param opts options, or NULL for the defaults
 * @return 0, or WM_ERROR when no usable file can be had (a read-only
 *         repository); the caller then computes without a cache
 */
WM_EXTERN int wm_blobcache_open(wm_blobcache **out, wm_repo *repo, const char *name,
	const wm_blobcache_options *opts);

/**
 * Open a cache file by path (tests, tools). Same behaviour as
 * wm_blobcache_open() except that no directory is created.
 * @return 0 or WM_ERROR
 */
WM_EXTERN int wm_blobcache_open_path(wm_blobcache **out, const char *path,
	const wm_blobcache_options *opts);

/**
 * Look up the bytes stored for a blob.
 *
 * @param data borrowed; valid until the next call on this cache
 * @param size number of bytes (0 is a valid stored value)
 * @param kind the caller's sub-key (e.g. the language the blob was read as)
 * @return 0 on a hit, WM_ENOTFOUND on a miss (also when the cache is
 *         broken: errors of the file are never reported here)
 */
WM_EXTERN int wm_blobcache_get(const char **data, size_t *size, wm_blobcache *cache,
	const wm_oid *oid, unsigned int kind);

/**
 * Store bytes for a blob. The row is buffered in memory and written by
 * wm_blobcache_flush(), so no database lock is held while the caller
 * computes.
 * @return 0 or WM_ENOMEM
 */
WM_EXTERN int wm_blobcache_put(wm_blobcache *cache, const wm_oid *oid, unsigned int kind,
	const char *data, size_t size);

/**
 * Write the buffered rows in one transaction, and prune when the file
 * holds more than `max_rows` rows. Waits a bounded time for another
 * process's write to finish, then gives up (the rows are dropped).
 * @return 0, or WM_ERROR when nothing could be written (harmless)
 */
WM_EXTERN int wm_blobcache_flush(wm_blobcache *cache);

/**
 * How the session went, for metrics and tests.
 * @param hits lookups answered from the file
 * @param lookups all lookups
 */
WM_EXTERN void wm_blobcache_stats(const wm_blobcache *cache, size_t *hits, size_t *lookups);

/** @return the file's path (borrowed, lives as long as cache) */
WM_EXTERN const char *wm_blobcache_path(const wm_blobcache *cache);

/** Close, dropping unflushed rows. NULL is a no-op. */
WM_EXTERN void wm_blobcache_free(wm_blobcache *cache);

#endif
