/*
 * wm/pool.h - crash-isolated worker processes that share out numbered items.
 *
 * wm_pool_run() forks N workers. Each claims item indexes from the board's
 * work cursor, calls `work` for each, and publishes records about it into
 * its own ring (wm_pool_publish()). The calling process is the aggregator:
 * it drains the rings and hands the records of every *completed* item to
 * `deliver`, in the order the worker published them. A record of an item
 * whose worker died before finishing it is never delivered.
 *
 * When a worker dies (any signal, any exit status but 0) or hangs (no
 * heartbeat for `hang_timeout_ms`), the aggregator reaps or kills it at
 * once, keeps everything already delivered, re-queues the item it was
 * working on for another worker, and starts a replacement. An item that
 * takes down a second worker is given up: `lost` is called for it.
 *
 * Test hooks, read once per run (they cost nothing otherwise):
 *   WM_TEST_KILL_AT=<n>        the first worker SIGKILLs itself on its n-th item
 *   WM_TEST_KILL_AFTER_US=<us> the aggregator SIGKILLs a random live worker
 *                              once, <us> microseconds after starting them
 */
#ifndef WM_POOL_H
#define WM_POOL_H

#include <stddef.h>
#include <stdint.h>
#include "board.h"
#include "common.h"

typedef struct wm_pool_worker wm_pool_worker;

/** What wm_pool_run() needs. Callbacks get `payload` first. */
typedef struct wm_pool_options {
	unsigned int version;
	uint32_t workers;          /**< worker processes, at least 1 (the board must have as many slots) */
	uint64_t nitems;           /**< items 0 .. nitems-1 (the board's files total) */
	uint32_t hang_timeout_ms;  /**< a worker silent this long is killed (0: 60 000) */
	uint32_t ring_slots;       /**< slots per worker ring, a power of two (0: 16384, 1 MiB) */
	wm_board *board;           /**< the board (borrowed; created for `workers` and `nitems`) */
	void *payload;

	/** In each worker after fork(), before its first item. May be NULL. @return 0 or < 0 (the worker exits) */
	int (*worker_init)(void *payload, wm_pool_worker *worker);
	/** In a worker: do one item, publishing its records. @return 0, or < 0 (the worker exits as if it crashed) */
	int (*work)(void *payload, wm_pool_worker *worker, uint64_t item);
	/** In the aggregator: one record of a completed item (borrowed bytes). @return 0 or < 0 to abort the run */
	int (*deliver)(void *payload, uint64_t item, const void *data, size_t len);
	/** In the aggregator: an item killed two workers. `status` is waitpid()'s. @return 0 or < 0 to abort */
	int (*lost)(void *payload, uint64_t item, int status);
	/** In a worker: the display name of an item, for the board. May be NULL. */
	const char *(*item_name)(void *payload, uint64_t item);
	/** In the aggregator, about every 100 ms while the run goes on. May be NULL. */
	void (*progress)(void *payload);
} wm_pool_options;

#define WM_POOL_OPTIONS_VERSION 1
#define WM_POOL_OPTIONS_INIT { WM_POOL_OPTIONS_VERSION, 1, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/**
 * Run the pool until every item is delivered or lost.
 *
 * Installs a SIGCHLD handler for the duration of the run (restoring the
 * previous one) so that a death wakes the aggregator at once; the caller
 * must not reap the workers itself.
 *
 * @return 0, the first negative value a `deliver` or `lost` returned,
 *         WM_ENOMEM, or WM_ERROR (fork or mmap failed)
 */
WM_EXTERN int wm_pool_run(const wm_pool_options *opts);

/**
 * In a worker: publish one record about the current item. Blocks while the
 * worker's ring is full.
 *
 * @param data bytes, copied (borrowed)
 * @param len 1 byte to the ring's record limit (about 900 KiB with the default ring)
 * @return 0, WM_EUSAGE (too long), or WM_ERROR (the aggregator is gone)
 */
WM_EXTERN int wm_pool_publish(wm_pool_worker *worker, const void *data, size_t len);

/** In a worker: tell the aggregator it is alive during a long item. */
WM_EXTERN void wm_pool_beat(wm_pool_worker *worker);

/** @return the worker's slot on the board, 0 .. workers-1 */
WM_EXTERN uint32_t wm_pool_worker_slot(const wm_pool_worker *worker);

/** @return the board (borrowed), for counters a worker adds (detector time) */
WM_EXTERN wm_board *wm_pool_worker_board(wm_pool_worker *worker);

#endif
