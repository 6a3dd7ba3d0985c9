/*
 * ring.c - single-producer shared-memory rings drained by one consumer.
 *
 * Why this shape (DESIGN.md 3.3): workers may die at any instruction. With
 * one ring per producer, a dead producer can only leave an unpublished
 * record in its own ring; the consumer never waits on a slot another
 * producer claimed, and no claim needs revoking. The consumer polls the
 * rings in turn, which for a handful of workers costs a few loads.
 *
 * Publication is per slot: every slot starts with a 32-bit sequence, the
 * position it was written at plus one. The consumer at position `p` takes
 * the slot when its sequence equals p + 1; a stale slot from an earlier lap
 * holds p + 1 - k * nslots and never matches (nslots < 2^32). A record of
 * n slots is written continuation slots first (relaxed sequence stores) and
 * published by the release store of its first slot's sequence, so the one
 * acquire load of that sequence makes the whole record visible. Every slot,
 * continuation slots included, carries a sequence rather than raw bytes, so
 * that old payload bytes can never look like a published head slot.
 *
 * The producer keeps its head and a cached copy of the consumer's tail in
 * its own process; it reads the shared tail only when the cached copy says
 * the ring is full. The consumer publishes its tail after every record. The
 * two cursors live on separate cache lines, as do the group's wait words.
 *
 * Waiting: the consumer spins a little (a record usually follows soon),
 * then announces that it sleeps and sleeps on the doorbell futex. A
 * producer rings the doorbell only in wm_ring_notify() (once per batch) and
 * only when the consumer announced sleep: Dekker-style, each side stores
 * then fences then loads the other side's word, so either the consumer sees
 * the record or the producer sees the sleeper. A full producer sleeps in
 * short nanosleep() steps instead of a second futex: it is rare (the
 * consumer is faster than any detector) and keeps the consumer's fast path
 * free of wake-ups.
 */
#define _GNU_SOURCE /* syscall() */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <assert.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/ring.h"

#define RING_MAGIC UINT64_C(0x31474e49524d5700) /* "\0WMRING1" little-endian */
#define RING_LAYOUT_VERSION 1u

/* Polls before the consumer sleeps; at a few ns each, tens of microseconds. */
#define CONSUMER_SPINS 4096
/* Polls before a blocked producer starts sleeping. */
#define PRODUCER_SPINS 1024
/* A blocked producer's sleep step. */
#define PRODUCER_SLEEP_NS 20000

struct slot {
	alignas(64) _Atomic uint32_t seq;
	uint32_t len;            /* record length in the first slot; 0 in continuations */
	unsigned char data[WM_RING_SLOT_PAYLOAD];
};
static_assert(sizeof(struct slot) == WM_RING_SLOT_SIZE, "a slot is one cache line");
static_assert(offsetof(struct slot, data) == 8, "slot header is 8 bytes");

struct group_header {
	uint64_t magic;
	uint32_t layout_version;
	uint32_t nrings;
	uint32_t nslots;
	int32_t consumer_pid;    /* a blocked producer gives up when it is gone */
	/* The wait words: written by producers only to wake a sleeper. */
	alignas(64) _Atomic uint32_t sleeping;
	_Atomic uint32_t doorbell;
};
static_assert(sizeof(struct group_header) == 128, "group header is two cache lines");
static_assert(offsetof(struct group_header, sleeping) == 64, "wait words on their own line");

struct ring_header {
	alignas(64) _Atomic uint64_t head; /* producer line: published for observers only */
	alignas(64) _Atomic uint64_t tail; /* consumer line */
};
static_assert(sizeof(struct ring_header) == 128, "ring header is two cache lines");
static_assert(offsetof(struct ring_header, tail) == 64, "cursors on separate lines");

/* A process-local handle on one ring. */
struct wm_ring {
	wm_ring_group *group;
	struct ring_header *hdr;
	struct slot *slots;
	uint64_t mask;
	/* producer side */
	uint64_t head;
	uint64_t tail_cache;
	/* consumer side */
	uint64_t tail;
	uint64_t pending;        /* slots of the record peek() returned */
	unsigned char *scratch;  /* multi-slot records are copied here */
};

struct wm_ring_group {
	struct group_header *hdr;
	size_t map_size;
	size_t nrings;
	wm_ring *rings;
};

static size_t ring_bytes(size_t nslots)
{
	return sizeof(struct ring_header) + nslots * sizeof(struct slot);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("pause");
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static void futex_wait(_Atomic uint32_t *addr, uint32_t expected, int timeout_ms)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tsp = &ts;
	}
	/* Not FUTEX_WAIT_PRIVATE: the word is shared between processes. */
	syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT, expected, tsp, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *addr)
{
	syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAKE, 1, NULL, NULL, 0);
}

int wm_ring_group_create(wm_ring_group **out, size_t nrings, size_t nslots)
{
	wm_ring_group *group = NULL;
	unsigned char *base;
	size_t i;
	int error = 0;

	*out = NULL;
	if (nrings < 1 || nrings > 4096 || nslots < 2 || nslots > (1u << 24) ||
	    (nslots & (nslots - 1)) != 0)
		return wm_error_set(WM_EUSAGE, "ring group: %zu rings of %zu slots (slots must be a power of two >= 2)",
			nrings, nslots);
	if (!(group = wm_calloc(1, sizeof(*group))) ||
	    !(group->rings = wm_calloc(nrings, sizeof(*group->rings)))) {
		error = WM_ENOMEM;
		goto done;
	}
	group->nrings = nrings;
	group->map_size = sizeof(struct group_header) + nrings * ring_bytes(nslots);
	base = mmap(NULL, group->map_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED) {
		error = wm_error_set(WM_ERROR, "ring group: mmap of %zu bytes failed: %s",
			group->map_size, strerror(errno));
		goto done;
	}
	/* A fresh anonymous mapping is zeroed: every sequence and cursor is 0. */
	group->hdr = (struct group_header *)base;
	group->hdr->magic = RING_MAGIC;
	group->hdr->layout_version = RING_LAYOUT_VERSION;
	group->hdr->nrings = (uint32_t)nrings;
	group->hdr->nslots = (uint32_t)nslots;
	group->hdr->consumer_pid = (int32_t)getpid();
	for (i = 0; i < nrings; i++) {
		wm_ring *r = &group->rings[i];

		r->group = group;
		r->hdr = (struct ring_header *)(base + sizeof(struct group_header) + i * ring_bytes(nslots));
		r->slots = (struct slot *)(r->hdr + 1);
		r->mask = nslots - 1;
	}
	*out = group;
	group = NULL;
done:
	wm_ring_group_free(group);
	return error;
}

void wm_ring_group_free(wm_ring_group *group)
{
	size_t i;

	if (!group)
		return;
	if (group->hdr)
		munmap(group->hdr, group->map_size);
	if (group->rings)
		for (i = 0; i < group->nrings; i++)
			wm_free(group->rings[i].scratch);
	wm_free(group->rings);
	wm_free(group);
}

size_t wm_ring_group_count(const wm_ring_group *group)
{
	return group->nrings;
}

wm_ring *wm_ring_group_ring(wm_ring_group *group, size_t i)
{
	return i < group->nrings ? &group->rings[i] : NULL;
}

int wm_ring_ready(const wm_ring *ring)
{
	const struct slot *s = &ring->slots[ring->tail & ring->mask];

	/* Pairs with the release store of the first slot's sequence in publish(). */
	return atomic_load_explicit(&s->seq, memory_order_acquire) == (uint32_t)(ring->tail + 1);
}

static bool any_ready(const wm_ring_group *group)
{
	size_t i;

	for (i = 0; i < group->nrings; i++)
		if (wm_ring_ready(&group->rings[i]))
			return true;
	return false;
}

void wm_ring_group_wait(wm_ring_group *group, int timeout_ms)
{
	struct group_header *h = group->hdr;
	uint32_t seen;
	int i;

	for (i = 0; i < CONSUMER_SPINS; i++) {
		if (any_ready(group))
			return;
		cpu_relax();
	}
	/* Read the doorbell before announcing sleep: a ring after this makes
	 * futex_wait() return at once. Pairs with the fetch_add in wake(). */
	seen = atomic_load_explicit(&h->doorbell, memory_order_acquire);
	atomic_store_explicit(&h->sleeping, 1, memory_order_seq_cst);
	/* Store sleeping, then load the sequences: pairs with the fence in
	 * wm_ring_notify() (store sequence, fence, load sleeping). */
	atomic_thread_fence(memory_order_seq_cst);
	if (!any_ready(group))
		futex_wait(&h->doorbell, seen, timeout_ms);
	atomic_store_explicit(&h->sleeping, 0, memory_order_relaxed);
}

void wm_ring_group_wake(wm_ring_group *group)
{
	struct group_header *h = group->hdr;

	/* Pairs with the acquire load of the doorbell in wait(). */
	atomic_fetch_add_explicit(&h->doorbell, 1, memory_order_release);
	futex_wake(&h->doorbell);
}

void wm_ring_notify(wm_ring *ring)
{
	struct group_header *h = ring->group->hdr;

	/* Store sequence (publish), fence, load sleeping: pairs with the fence
	 * in wait() so that a sleeping consumer is never missed. */
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(&h->sleeping, memory_order_relaxed) &&
	    atomic_exchange_explicit(&h->sleeping, 0, memory_order_relaxed))
		wm_ring_group_wake(ring->group);
}

void wm_ring_producer_attach(wm_ring *ring)
{
	/* Pairs with the consumer's release store of tail in advance(). */
	ring->head = atomic_load_explicit(&ring->hdr->tail, memory_order_acquire);
	ring->tail_cache = ring->head;
	atomic_store_explicit(&ring->hdr->head, ring->head, memory_order_relaxed);
}

size_t wm_ring_max_record(const wm_ring *ring)
{
	return (size_t)(ring->mask + 1) * WM_RING_SLOT_PAYLOAD;
}

static bool consumer_gone(const wm_ring *ring)
{
	pid_t pid = (pid_t)ring->group->hdr->consumer_pid;

	return pid != getpid() && kill(pid, 0) < 0 && errno == ESRCH;
}

/* Wait until `n` slots are free. */
static int wait_for_room(wm_ring *ring, uint64_t n)
{
	uint64_t size = ring->mask + 1;
	struct timespec step = { 0, PRODUCER_SLEEP_NS };
	unsigned long rounds = 0;

	for (;;) {
		/* Pairs with the release store of tail in advance(): the consumer
		 * is done reading the slots we are about to overwrite. */
		ring->tail_cache = atomic_load_explicit(&ring->hdr->tail, memory_order_acquire);
		if (ring->head + n - ring->tail_cache <= size)
			return 0;
		if (rounds == 0)
			wm_ring_notify(ring); /* a full ring must drain */
		if (rounds < PRODUCER_SPINS) {
			cpu_relax();
		} else {
			nanosleep(&step, NULL);
			if ((rounds & 1023) == 0 && consumer_gone(ring))
				return wm_error_set(WM_ERROR, "ring: the consumer is gone");
		}
		rounds++;
	}
}

int wm_ring_publish(wm_ring *ring, const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t n, k;
	struct slot *s;
	size_t chunk;
	int error;

	if (len == 0 || len > wm_ring_max_record(ring))
		return wm_error_set(WM_EUSAGE, "ring: a record of %zu bytes (1 to %zu fit)",
			len, wm_ring_max_record(ring));
	n = (len + WM_RING_SLOT_PAYLOAD - 1) / WM_RING_SLOT_PAYLOAD;
	if (ring->head + n - ring->tail_cache > ring->mask + 1 &&
	    (error = wait_for_room(ring, n)) < 0)
		return error;

	/* Continuations first; the first slot's release store orders them. */
	for (k = 1; k < n; k++) {
		s = &ring->slots[(ring->head + k) & ring->mask];
		chunk = len - k * WM_RING_SLOT_PAYLOAD;
		if (chunk > WM_RING_SLOT_PAYLOAD)
			chunk = WM_RING_SLOT_PAYLOAD;
		s->len = 0;
		memcpy(s->data, p + k * WM_RING_SLOT_PAYLOAD, chunk);
		atomic_store_explicit(&s->seq, (uint32_t)(ring->head + k + 1), memory_order_relaxed);
	}
	s = &ring->slots[ring->head & ring->mask];
	s->len = (uint32_t)len;
	memcpy(s->data, p, len < WM_RING_SLOT_PAYLOAD ? len : WM_RING_SLOT_PAYLOAD);
	/* Publish: pairs with the acquire load in wm_ring_ready()/peek(). */
	atomic_store_explicit(&s->seq, (uint32_t)(ring->head + 1), memory_order_release);
	ring->head += n;
	atomic_store_explicit(&ring->hdr->head, ring->head, memory_order_relaxed);
	return 0;
}

int wm_ring_peek(wm_ring *ring, const void **data, size_t *len)
{
	const struct slot *s = &ring->slots[ring->tail & ring->mask];
	uint64_t n, k;
	uint32_t rlen;
	size_t chunk;

	/* Pairs with the release store of the first slot's sequence in publish(). */
	if (atomic_load_explicit(&s->seq, memory_order_acquire) != (uint32_t)(ring->tail + 1))
		return 0;
	rlen = s->len;
	n = (rlen + WM_RING_SLOT_PAYLOAD - 1) / WM_RING_SLOT_PAYLOAD;
	if (n <= 1) {
		*data = s->data;
		*len = rlen;
		ring->pending = 1;
		return 1;
	}
	if (!ring->scratch && !(ring->scratch = wm_malloc(wm_ring_max_record(ring))))
		return 0; /* retried on the next poll */
	memcpy(ring->scratch, s->data, WM_RING_SLOT_PAYLOAD);
	for (k = 1; k < n; k++) {
		const struct slot *c = &ring->slots[(ring->tail + k) & ring->mask];

		chunk = rlen - k * WM_RING_SLOT_PAYLOAD;
		if (chunk > WM_RING_SLOT_PAYLOAD)
			chunk = WM_RING_SLOT_PAYLOAD;
		memcpy(ring->scratch + k * WM_RING_SLOT_PAYLOAD, c->data, chunk);
	}
	*data = ring->scratch;
	*len = rlen;
	ring->pending = n;
	return 1;
}

void wm_ring_advance(wm_ring *ring)
{
	if (!ring->pending)
		return;
	ring->tail += ring->pending;
	ring->pending = 0;
	/* Pairs with the producer's acquire load of tail in wait_for_room(). */
	atomic_store_explicit(&ring->hdr->tail, ring->tail, memory_order_release);
}
