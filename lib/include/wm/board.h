/*
 * wm/board.h - the state board: live counters of a scan in shared memory.
 *
 * One fixed-layout region (a file under `<commondir>/wm/board-<pid>`, or an
 * anonymous mapping) of atomic counters: files total / claimed / done,
 * findings per detector and severity, time per detector, and one slot per
 * worker (pid, state, heartbeat, current file, files done). The scan maps
 * it read-write; anyone else maps it read-only (wm_board_open()) to watch.
 *
 * The work queue is a cursor on the board: a worker claims the next file
 * index with one atomic fetch-and-add (wm_board_claim()). Files whose
 * worker died are re-queued in a second, rarely used list.
 */
#ifndef WM_BOARD_H
#define WM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "common.h"

/** Detectors the board counts separately; more are counted under the last. */
#define WM_BOARD_MAX_DETECTORS 16
/** Longest detector name kept, with the NUL. */
#define WM_BOARD_NAME_SIZE 32
/** Bytes of a worker's current path kept, with the NUL. */
#define WM_BOARD_PATH_SIZE 160
/** Workers a snapshot reports. */
#define WM_BOARD_SNAPSHOT_WORKERS 64

typedef struct wm_board wm_board;

/** A worker slot's state. */
typedef enum wm_board_state {
	WM_BOARD_WORKER_EMPTY = 0,  /**< never used */
	WM_BOARD_WORKER_RUNNING,    /**< claiming and scanning files */
	WM_BOARD_WORKER_EXITED,     /**< finished normally */
	WM_BOARD_WORKER_DEAD        /**< died or was killed; its file re-queued */
} wm_board_state;

/** Options of wm_board_create(). */
typedef struct wm_board_options {
	unsigned int version;
	const char *path;                 /**< file to create (NULL: anonymous, not findable) */
	uint32_t nworkers;                /**< worker slots */
	uint64_t nfiles;                  /**< files total: the range of the work cursor */
	const char *const *detectors;     /**< detector names, for counters by detector */
	size_t ndetectors;
	const char *repo;                 /**< what is scanned, for display (may be NULL) */
} wm_board_options;

#define WM_BOARD_OPTIONS_VERSION 1
#define WM_BOARD_OPTIONS_INIT { WM_BOARD_OPTIONS_VERSION, NULL, 1, 0, NULL, 0, NULL }

/**
 * Create a board, mapped read-write. With `opts->path` the file is created
 * exclusively (mode 0600) and removed again by wm_board_free().
 *
 * @param out the board; free with wm_board_free()
 * @return 0, WM_EUSAGE (bad sizes), WM_ENOMEM or WM_ERROR (file or mmap)
 */
WM_EXTERN int wm_board_create(wm_board **out, const wm_board_options *opts);

/**
 * Map an existing board read-only, checking its magic, layout version and size.
 *
 * @param out the board; free with wm_board_free() (which leaves the file)
 * @return 0, WM_ENOTFOUND (no such file), WM_EPARSE (not a board, or
 *         another layout version), or WM_ERROR
 */
WM_EXTERN int wm_board_open(wm_board **out, const char *path);

/**
 * Unmap a board; the creator of a file-backed board also removes the file.
 * In a forked child, use wm_board_forget() instead. NULL is a no-op.
 */
WM_EXTERN void wm_board_free(wm_board *board);

/** Unmap and free without removing the file (for forked children). NULL is a no-op. */
WM_EXTERN void wm_board_forget(wm_board *board);

/**
 * Find the board of a running scan of a repository: the newest
 * `<commondir>/wm/board-<pid>` whose scan process is alive. Boards of dead
 * scans are removed on the way.
 *
 * @param out the path; the caller frees it with wm_free()
 * @param commondir the repository's common git directory (wm_repo_commondir())
 * @return 0, or WM_ENOTFOUND when no scan is running
 */
WM_EXTERN int wm_board_find(char **out, const char *commondir);

/**
 * Claim the next file: a re-queued one first, else the next index of the
 * cursor (one atomic fetch-and-add).
 *
 * @param index set to the claimed file index
 * @return true when a file was claimed, false when the work is exhausted
 */
WM_EXTERN bool wm_board_claim(wm_board *board, uint64_t *index);

/**
 * Put a file back for another worker (the aggregator, after a worker died on
 * it). Each index may be re-queued at most once per board.
 *
 * @return 0, or WM_EUSAGE when the re-queue list is full
 */
WM_EXTERN int wm_board_requeue(wm_board *board, uint64_t index);

/** @return true while some file is unclaimed (cursor or re-queue list) */
WM_EXTERN bool wm_board_work_left(const wm_board *board);

/** Worker: take slot `slot` (state RUNNING, heartbeat now). */
WM_EXTERN void wm_board_worker_start(wm_board *board, uint32_t slot, int32_t pid);

/**
 * Worker: starting on a file. Records it as current and beats the heart.
 * @param index the file index; @param path its path (copied, truncated)
 */
WM_EXTERN void wm_board_worker_file(wm_board *board, uint32_t slot, uint64_t index, const char *path);

/** Worker: finished the current file (files done of the slot and of the board). */
WM_EXTERN void wm_board_worker_done(wm_board *board, uint32_t slot);

/** Worker: alive, still working (heartbeat now). */
WM_EXTERN void wm_board_worker_beat(wm_board *board, uint32_t slot);

/** Aggregator: set a slot's final state (EXITED or DEAD). */
WM_EXTERN void wm_board_worker_end(wm_board *board, uint32_t slot, wm_board_state state);

/**
 * A slot's current file and last heartbeat, for the aggregator.
 * @param index set to the current file index, or UINT64_MAX when none
 * @return the last heartbeat, milliseconds of CLOCK_MONOTONIC
 */
WM_EXTERN uint64_t wm_board_worker_status(const wm_board *board, uint32_t slot, uint64_t *index);

/** Add `n` findings of detector `det` (index in the options) at severity `sev`. */
WM_EXTERN void wm_board_add_findings(wm_board *board, size_t det, unsigned int sev, uint64_t n);

/** Add time spent in detector `det`, in nanoseconds. */
WM_EXTERN void wm_board_add_time(wm_board *board, size_t det, uint64_t ns);

/** Mark the scan finished (readers stop watching). */
WM_EXTERN void wm_board_finish(wm_board *board);

/** @return files done so far: one atomic load */
WM_EXTERN uint64_t wm_board_files_done(const wm_board *board);

/** One worker in a snapshot. */
typedef struct wm_board_worker {
	int32_t pid;
	wm_board_state state;
	uint64_t heartbeat_ms;          /**< CLOCK_MONOTONIC milliseconds */
	uint64_t files_done;
	char path[WM_BOARD_PATH_SIZE];  /**< current file ("" when none) */
} wm_board_worker;

/** A consistent-enough copy of the board (each counter read atomically). */
typedef struct wm_board_snapshot {
	int32_t scan_pid;
	bool finished;
	char repo[WM_BOARD_PATH_SIZE];
	uint64_t started_ms;            /**< CLOCK_MONOTONIC milliseconds */
	uint64_t files_total, files_claimed, files_done;
	uint64_t findings;
	size_t ndetectors;
	char detectors[WM_BOARD_MAX_DETECTORS][WM_BOARD_NAME_SIZE];
	uint64_t findings_by[WM_BOARD_MAX_DETECTORS][5]; /**< by detector and severity */
	uint64_t time_ns[WM_BOARD_MAX_DETECTORS];
	size_t nworkers;
	wm_board_worker workers[WM_BOARD_SNAPSHOT_WORKERS];
} wm_board_snapshot;

/** Copy the board's counters into `out` (no allocation, no lock). */
WM_EXTERN void wm_board_snapshot_take(wm_board_snapshot *out, const wm_board *board);

#endif
