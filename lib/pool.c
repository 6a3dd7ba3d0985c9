/*
 * pool.c - forked workers, one ring each, and an aggregator that survives them.
 *
 * The pool exists so that one hostile file cannot take the gate down
 * (DESIGN.md 3.3). Workers are processes, not threads: a crash in a parser
 * or a detector kills only the worker, and the aggregator sees it through
 * waitpid(). The failure model is "a worker may die at any instruction":
 *
 *  - Records reach the aggregator through the worker's own ring, so a dead
 *    worker can leave at most an unpublished record there, which blocks
 *    nobody. Records are buffered per worker until the worker's "item done"
 *    record arrives; only then are they delivered. A death mid-item thus
 *    delivers nothing of that item, and its re-run cannot duplicate it.
 *  - The board's slot tells which item a worker was on. A worker may also
 *    die between claiming an index and writing it to its slot; such an item
 *    is neither done nor in flight, and the final sweep (when no worker is
 *    left) finds and re-queues it. An item that killed two workers is
 *    handed to `lost` (the scan turns it into an internal-error finding).
 *  - A SIGCHLD handler rings the ring group's doorbell, so a death wakes the
 *    aggregator at once rather than at the next poll timeout.
 *  - A worker whose heartbeat (written at each item) is older than the hang
 *    timeout is SIGKILLed and handled as any other death.
 *
 * A replacement worker takes the dead one's slot and ring after the ring was
 * drained, so the ring's single-producer rule holds at every moment.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/pool.h"
#include "wm/ring.h"

#define DEFAULT_HANG_MS 60000u
#define DEFAULT_RING_SLOTS 16384u
#define POLL_MS 50
#define PROGRESS_MS 100

/* Record kinds, the first byte of every ring record. */
#define REC_DATA 'R'
#define REC_DONE 'D'

/* Item states in the aggregator. */
enum { ITEM_OPEN = 0, ITEM_DONE, ITEM_LOST };

struct wm_pool_worker {
	const wm_pool_options *opts;
	wm_ring *ring;
	uint32_t slot;
	wm_buf scratch;
};

typedef struct slot_state {
	pid_t pid;           /* 0 when free */
	bool killed;         /* SIGKILL sent for a hang (or by the test hook) */
	wm_buf pending;      /* records of the item in progress: [u32 len][bytes]... */
} slot_state;

typedef struct pool {
	const wm_pool_options *opts;
	wm_ring_group *rings;
	slot_state *slots;
	unsigned char *item_state;
	unsigned char *attempts;
	uint32_t live;
	uint64_t spawned;
	bool first_spawn_done;
	long kill_at;        /* WM_TEST_KILL_AT, for the first worker only */
	long kill_after_us;  /* WM_TEST_KILL_AFTER_US, once */
	uint64_t started_us;
	int last_status;
} pool;

/* The group the SIGCHLD handler wakes; one pool runs at a time. */
static wm_ring_group *volatile wake_group;

static void on_sigchld(int sig)
{
	int saved = errno;

	(void)sig;
	if (wake_group)
		wm_ring_group_wake(wake_group);
	errno = saved;
}

static uint64_t now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static long env_long(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? strtol(v, NULL, 10) : 0;
}

/*
 * Worker side
 */

int wm_pool_publish(wm_pool_worker *worker, const void *data, size_t len)
{
	int error;

	wm_buf_clear(&worker->scratch);
	if ((error = wm_buf_putc(&worker->scratch, REC_DATA)) < 0 ||
	    (error = wm_buf_put(&worker->scratch, data, len)) < 0)
		return error;
	return wm_ring_publish(worker->ring, worker->scratch.ptr, worker->scratch.size);
}

void wm_pool_beat(wm_pool_worker *worker)
{
	wm_board_worker_beat(worker->opts->board, worker->slot);
}

uint32_t wm_pool_worker_slot(const wm_pool_worker *worker)
{
	return worker->slot;
}

wm_board *wm_pool_worker_board(wm_pool_worker *worker)
{
	return worker->opts->board;
}

static void worker_main(pool *p, uint32_t slot, long kill_at)
{
	const wm_pool_options *o = p->opts;
	wm_pool_worker w;
	unsigned char done[9];
	uint64_t item;
	long n = 0;

	signal(SIGCHLD, SIG_DFL);
	memset(&w, 0, sizeof(w));
	w.opts = o;
	w.slot = slot;
	w.ring = wm_ring_group_ring(p->rings, slot);
	wm_ring_producer_attach(w.ring);
	wm_board_worker_start(o->board, slot, (int32_t)getpid());
	if (o->worker_init && o->worker_init(o->payload, &w) < 0)
		_exit(3);
	while (wm_board_claim(o->board, &item)) {
		wm_board_worker_file(o->board, slot, item, o->item_name ? o->item_name(o->payload, item) : NULL);
		if (++n == kill_at)
			raise(SIGKILL);
		if (o->work(o->payload, &w, item) < 0)
			_exit(3);
		done[0] = REC_DONE;
		memcpy(done + 1, &item, 8);
		if (wm_ring_publish(w.ring, done, sizeof(done)) < 0)
			_exit(3);
		wm_ring_notify(w.ring);
		wm_board_worker_done(o->board, slot);
	}
	wm_ring_notify(w.ring);
	/* No exit handlers: they belong to the aggregator (stdio buffers, libgit2). */
	_exit(0);
}

/*
 * Aggregator side
 */

static int spawn(pool *p, uint32_t slot)
{
	long kill_at = 0;
	pid_t pid;

	if (!p->first_spawn_done) {
		kill_at = p->kill_at;
		p->first_spawn_done = true;
	}
	/* Buffered output would be written twice, once by each process. */
	fflush(NULL);
	if ((pid = fork()) < 0)
		return wm_error_set(WM_ERROR, "cannot start a worker: %s", strerror(errno));
	if (pid == 0)
		worker_main(p, slot, kill_at);
	p->slots[slot].pid = pid;
	p->slots[slot].killed = false;
	wm_buf_clear(&p->slots[slot].pending);
	p->live++;
	p->spawned++;
	return 0;
}

static int fail_item(pool *p, uint64_t item, int status)
{
	const wm_pool_options *o = p->opts;

	if (p->item_state[item] != ITEM_OPEN)
		return 0;
	if (++p->attempts[item] >= 2) {
		p->item_state[item] = ITEM_LOST;
		return o->lost ? o->lost(o->payload, item, status) : 0;
	}
	return wm_board_requeue(o->board, item);
}

/* Hand over the records of a finished item. */
static int deliver_pending(pool *p, slot_state *s, uint64_t item)
{
	const wm_pool_options *o = p->opts;
	size_t off = 0;
	uint32_t len;
	int error = 0;

	if (item >= o->nitems)
		return wm_error_set(WM_ERROR, "worker %ld reported item %llu of %llu",
			(long)s->pid, (unsigned long long)item, (unsigned long long)o->nitems);
	if (p->item_state[item] == ITEM_OPEN) {
		while (off < s->pending.size) {
			memcpy(&len, s->pending.ptr + off, 4);
			if ((error = o->deliver(o->payload, item, s->pending.ptr + off + 4, len)) < 0)
				break;
			off += 4 + (size_t)len;
		}
		p->item_state[item] = ITEM_DONE;
	}
	wm_buf_clear(&s->pending);
	return error;
}

/* Take every published record of one ring. @return records taken, or < 0 */
static int drain_ring(pool *p, uint32_t slot)
{
	wm_ring *r = wm_ring_group_ring(p->rings, slot);
	slot_state *s = &p->slots[slot];
	const void *data;
	const unsigned char *rec;
	size_t len;
	uint64_t item;
	uint32_t n32;
	int count = 0, error;

	while (wm_ring_peek(r, &data, &len) == 1) {
		rec = data;
		if (rec[0] == REC_DONE && len == 9) {
			memcpy(&item, rec + 1, 8);
			if ((error = deliver_pending(p, s, item)) < 0)
				return error;
		} else if (rec[0] == REC_DATA) {
			n32 = (uint32_t)(len - 1);
			if ((error = wm_buf_put(&s->pending, (const char *)&n32, 4)) < 0 ||
			    (error = wm_buf_put(&s->pending, (const char *)rec + 1, len - 1)) < 0)
				return error;
		}
		wm_ring_advance(r);
		count++;
	}
	return count;
}

static int handle_exit(pool *p, uint32_t slot, int status)
{
	slot_state *s = &p->slots[slot];
	uint64_t item;
	int error;

	/* Everything the worker published is in; take it before judging. */
	if ((error = drain_ring(p, slot)) < 0)
		return error;
	wm_board_worker_status(p->opts->board, slot, &item);
	s->pid = 0;
	p->live--;
	wm_buf_clear(&s->pending);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && !s->killed) {
		wm_board_worker_end(p->opts->board, slot, WM_BOARD_WORKER_EXITED);
		return 0;
	}
	p->last_status = status;
	wm_board_worker_end(p->opts->board, slot, WM_BOARD_WORKER_DEAD);
	if (item < p->opts->nitems)
		return fail_item(p, item, status);
	return 0;
}

static int reap(pool *p)
{
	uint32_t i;
	pid_t pid;
	int status, error;

	for (i = 0; i < p->opts->workers; i++) {
		if (!p->slots[i].pid)
			continue;
		pid = waitpid(p->slots[i].pid, &status, WNOHANG);
		if (pid == p->slots[i].pid && (error = handle_exit(p, i, status)) < 0)
			return error;
	}
	return 0;
}

static void check_hangs(pool *p, uint32_t hang_ms)
{
	uint64_t now = now_us() / 1000u, beat, item;
	uint32_t i;

	for (i = 0; i < p->opts->workers; i++) {
		slot_state *s = &p->slots[i];

		if (!s->pid || s->killed)
			continue;
		beat = wm_board_worker_status(p->opts->board, i, &item);
		if (now > beat && now - beat > hang_ms) {
			kill(s->pid, SIGKILL);
			s->killed = true;
		}
	}
}

/* WM_TEST_KILL_AFTER_US: one SIGKILL to a live worker at a random moment. */
static void test_kill(pool *p)
{
	uint32_t i, start;

	if (p->kill_after_us <= 0 || now_us() - p->started_us < (uint64_t)p->kill_after_us)
		return;
	start = (uint32_t)(now_us() % p->opts->workers);
	for (i = 0; i < p->opts->workers; i++) {
		slot_state *s = &p->slots[(start + i) % p->opts->workers];

		if (s->pid) {
			kill(s->pid, SIGKILL);
			s->killed = true;
			break;
		}
	}
	p->kill_after_us = 0;
}

/* No worker left: items neither done nor lost were claimed by a worker
 * that died before saying so. @return how many were re-queued */
static int sweep(pool *p, int *requeued)
{
	uint64_t i;
	int error;

	*requeued = 0;
	for (i = 0; i < p->opts->nitems; i++) {
		if (p->item_state[i] != ITEM_OPEN)
			continue;
		if ((error = fail_item(p, i, p->last_status)) < 0)
			return error;
		if (p->item_state[i] == ITEM_OPEN)
			(*requeued)++;
	}
	return 0;
}

int wm_pool_run(const wm_pool_options *opts)
{
	struct sigaction sa, old_sa;
	pool p;
	uint32_t i, hang_ms = opts->hang_timeout_ms ? opts->hang_timeout_ms : DEFAULT_HANG_MS;
	uint64_t last_progress = 0, max_spawns;
	bool handler = false;
	int error = 0, got, requeued;

	memset(&p, 0, sizeof(p));
	p.opts = opts;
	if (opts->workers < 1 || !opts->board || !opts->work || !opts->deliver)
		return wm_error_set(WM_EUSAGE, "pool: workers, board, work and deliver are required");
	if ((error = wm_ring_group_create(&p.rings, opts->workers,
			opts->ring_slots ? opts->ring_slots : DEFAULT_RING_SLOTS)) < 0)
		goto done;
	if (!(p.slots = wm_calloc(opts->workers, sizeof(*p.slots))) ||
	    !(p.item_state = wm_calloc(opts->nitems ? opts->nitems : 1, 1)) ||
	    !(p.attempts = wm_calloc(opts->nitems ? opts->nitems : 1, 1))) {
		error = WM_ENOMEM;
		goto done;
	}
	p.kill_at = env_long("WM_TEST_KILL_AT");
	p.kill_after_us = env_long("WM_TEST_KILL_AFTER_US");
	p.started_us = now_us();
	/* Every item can cost two workers; beyond that something else is wrong. */
	max_spawns = opts->workers + 2 * opts->nitems + 8;

	wake_group = p.rings;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigchld;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP | SA_RESTART;
	if (sigaction(SIGCHLD, &sa, &old_sa) == 0)
		handler = true;

	for (;;) {
		got = 0;
		for (i = 0; i < opts->workers; i++) {
			if ((error = drain_ring(&p, i)) < 0)
				goto done;
			got += error;
		}
		error = 0;
		if ((error = reap(&p)) < 0)
			goto done;
		check_hangs(&p, hang_ms);
		test_kill(&p);
		for (i = 0; i < opts->workers && wm_board_work_left(opts->board); i++) {
			if (p.slots[i].pid)
				continue;
			if (p.spawned >= max_spawns) {
				error = wm_error_set(WM_ERROR, "pool: workers keep dying; giving up");
				goto done;
			}
			if ((error = spawn(&p, i)) < 0)
				goto done;
		}
		if (p.live == 0 && !wm_board_work_left(opts->board)) {
			if ((error = sweep(&p, &requeued)) < 0)
				goto done;
			if (!requeued)
				break;
			continue;
		}
		if (opts->progress && now_us() / 1000u - last_progress >= PROGRESS_MS) {
			last_progress = now_us() / 1000u;
			opts->progress(opts->payload);
		}
		if (!got)
			wm_ring_group_wait(p.rings, POLL_MS);
	}
done:
	if (handler)
		sigaction(SIGCHLD, &old_sa, NULL);
	wake_group = NULL;
	/* On an error, do not leave workers behind. */
	for (i = 0; p.slots && i < opts->workers; i++) {
		if (p.slots[i].pid) {
			int status;

			kill(p.slots[i].pid, SIGKILL);
			waitpid(p.slots[i].pid, &status, 0);
		}
		wm_buf_dispose(&p.slots[i].pending);
	}
	wm_free(p.slots);
	wm_free(p.item_state);
	wm_free(p.attempts);
	wm_ring_group_free(p.rings);
	return error;
}
