/*
 * wm/ring.h - shared-memory event rings: many single-producer rings, one consumer.
 *
 * A ring group is one shared mapping holding `nrings` rings and one wait
 * word. Each ring has exactly one producer (a worker process or thread)
 * and the group has exactly one consumer (the aggregator), the topology
 * iceoryx2 uses: a producer that dies can leave at most an unpublished slot
 * in its own ring, which nobody else waits on.
 *
 * A ring is a power-of-two count of 64-byte slots. Each slot carries a
 * 32-bit sequence and 56 payload bytes; a record longer than 56 bytes spans
 * consecutive slots (wrapping at the end). The producer publishes a record
 * by storing the sequence of its first slot last (release); the consumer
 * sees it with an acquire load. A full ring blocks the producer
 * (back-pressure) until the consumer frees slots.
 *
 * The consumer waits by spinning briefly, then sleeping on a futex; a
 * producer wakes it only when it sleeps, and only when the producer calls
 * wm_ring_notify() (once per batch of records), because waking a sleeping
 * core costs tens of microseconds on virtual machines.
 *
 * The group is created before fork() (an anonymous MAP_SHARED mapping) and
 * inherited by the children; it also works between threads of one process.
 */
#ifndef WM_RING_H
#define WM_RING_H

#include <stddef.h>
#include <stdint.h>
#include "common.h"

/** Size of one slot in bytes. */
#define WM_RING_SLOT_SIZE 64
/** Payload bytes one slot carries. */
#define WM_RING_SLOT_PAYLOAD 56

typedef struct wm_ring_group wm_ring_group;
typedef struct wm_ring wm_ring;

/**
 * Create a group of rings in a new shared anonymous mapping.
 *
 * @param out the group; free with wm_ring_group_free() in every process
 *        that holds it (each process unmaps its own view)
 * @param nrings how many rings (producers), at least 1
 * @param nslots slots per ring: a power of two, at least 2
 * @return 0, WM_EUSAGE (bad sizes), WM_ENOMEM or WM_ERROR (mmap failed)
 */
WM_EXTERN int wm_ring_group_create(wm_ring_group **out, size_t nrings, size_t nslots);

/** Unmap the group in this process and free the handles. NULL is a no-op. */
WM_EXTERN void wm_ring_group_free(wm_ring_group *group);

/** @return the number of rings of the group */
WM_EXTERN size_t wm_ring_group_count(const wm_ring_group *group);

/**
 * The i-th ring of the group.
 * @return borrowed handle living as long as the group; NULL when i is out of range
 */
WM_EXTERN wm_ring *wm_ring_group_ring(wm_ring_group *group, size_t i);

/**
 * Consumer: wait until some ring of the group may hold a record, the
 * timeout expires, wm_ring_group_wake() is called, or a signal arrives.
 * Spins briefly first, then sleeps on the futex. Spurious returns are
 * allowed: the caller re-polls its rings.
 *
 * @param timeout_ms longest sleep; negative waits without a limit
 */
WM_EXTERN void wm_ring_group_wait(wm_ring_group *group, int timeout_ms);

/**
 * Wake the consumer if it sleeps in wm_ring_group_wait(). Async-signal-safe
 * (a SIGCHLD handler may call it), and callable from any process.
 */
WM_EXTERN void wm_ring_group_wake(wm_ring_group *group);

/**
 * Producer: take over a ring, starting where the consumer stands. Call it
 * once in the producing process before the first wm_ring_publish(), and
 * only after the previous producer of the ring is known to be dead and the
 * ring drained (a replacement worker); what the previous producer left
 * unpublished is overwritten.
 */
WM_EXTERN void wm_ring_producer_attach(wm_ring *ring);

/**
 * Producer: publish one record, copying `len` bytes. Blocks while the ring
 * is full (it wakes a sleeping consumer first, so a full ring always drains).
 * Does not wake the consumer otherwise: call wm_ring_notify() after a batch.
 *
 * @param data the bytes (borrowed)
 * @param len 1 to wm_ring_max_record() bytes
 * @return 0, WM_EUSAGE (record empty or larger than the ring), or WM_ERROR
 *         when the consumer process is gone
 */
WM_EXTERN int wm_ring_publish(wm_ring *ring, const void *data, size_t len);

/**
 * Producer: end of a batch. Wakes the consumer if, and only if, it sleeps.
 * Costs one load when it does not.
 */
WM_EXTERN void wm_ring_notify(wm_ring *ring);

/** @return the largest record a ring of this group carries, in bytes */
WM_EXTERN size_t wm_ring_max_record(const wm_ring *ring);

/**
 * Consumer: look at the oldest published record without consuming it.
 *
 * @param data set to the record's bytes: borrowed, valid until the next
 *        wm_ring_advance() or wm_ring_peek() on this ring
 * @param len set to its length
 * @return 1 when a record is there, 0 when the ring is empty (or its
 *         producer has not finished publishing the next record)
 */
WM_EXTERN int wm_ring_peek(wm_ring *ring, const void **data, size_t *len);

/** Consumer: consume the record wm_ring_peek() returned, freeing its slots. */
WM_EXTERN void wm_ring_advance(wm_ring *ring);

/**
 * Consumer: whether the next record is published (no copy, no side effect).
 * @return 1 or 0
 */
WM_EXTERN int wm_ring_ready(const wm_ring *ring);

#endif
