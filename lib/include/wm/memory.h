/*
 * wm/memory.h - the immune memory: one SQLite database per repository.
 *
 * `<commondir>/wm/memory.sqlite` holds what wm learns about a repository
 * over time and shares between runs and worktrees: health metrics per
 * commit and the per-blob results behind them (wm/health.h), and each
 * antibody's hits, fixes and reverts (wm/antibody_memory.h). Tables are
 * prefixed by the module that owns them (`health_*`, `antibody_*`); this module only opens the database, migrates its schema
 * (`PRAGMA user_version`) and brackets transactions.
 */
#ifndef WM_MEMORY_H
#define WM_MEMORY_H

#include "common.h"
#include "world.h"

struct sqlite3;

typedef struct wm_memory wm_memory;

/** The schema version this libwm writes (PRAGMA user_version). */
#define WM_MEMORY_SCHEMA_VERSION 2

/**
 * Open (creating and migrating when needed) the memory of a repository.
 *
 * WAL mode, so a reader (wm-scan's health check) never blocks the writer
 * (`wm-board --history`), and a busy timeout of a few seconds for two
 * writers. A database written by a newer wm (a higher user_version) is
 * refused rather than misread.
 *
 * @param out the memory; free with wm_memory_free()
 * @param repo the repository (borrowed; only its common dir is kept)
 * @return 0, WM_ENOTFOUND (the directory cannot be created: a read-only
 *         repository), or WM_ERROR
 */
WM_EXTERN int wm_memory_open(wm_memory **out, wm_repo *repo);

/**
 * Open an existing memory for reading only: no file is created, no schema
 * migrated, no lock taken, so it may be called while the same process
 * holds a write transaction on another handle (a detector inside
 * `wm-board --history`). Tables of a newer schema than the file has are
 * simply absent.
 *
 * @param out the memory; free with wm_memory_free()
 * @return 0, WM_ENOTFOUND (no memory yet), or WM_ERROR
 */
WM_EXTERN int wm_memory_open_reader(wm_memory **out, wm_repo *repo);

/**
 * Open a database file by path (tests, tools).
 * @return 0 or WM_ERROR
 */
WM_EXTERN int wm_memory_open_path(wm_memory **out, const char *path);

/** Close. NULL is a no-op. */
WM_EXTERN void wm_memory_free(wm_memory *mem);

/** @return the database path (borrowed, lives as long as mem) */
WM_EXTERN const char *wm_memory_path(const wm_memory *mem);

/**
 * The SQLite handle, for the modules that own tables in it.
 * @return borrowed handle living as long as mem
 */
WM_EXTERN struct sqlite3 *wm_memory_db(wm_memory *mem);

/** Begin a write transaction (BEGIN IMMEDIATE). @return 0 or WM_ERROR */
WM_EXTERN int wm_memory_begin(wm_memory *mem);

/** Commit the transaction. @return 0 or WM_ERROR */
WM_EXTERN int wm_memory_commit(wm_memory *mem);

/** Roll the transaction back; harmless without one. */
WM_EXTERN void wm_memory_rollback(wm_memory *mem);

/**
 * Run SQL without results (several statements allowed).
 * @return 0 or WM_ERROR with SQLite's message
 */
WM_EXTERN int wm_memory_exec(wm_memory *mem, const char *sql);

#endif
