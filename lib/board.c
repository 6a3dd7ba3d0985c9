/*
 * board.c - the state board: a fixed-layout page of atomic counters.
 *
 * The board is how a scan is observed (wm-board, the progress line) and how
 * its workers share out files, so it is written by several processes at once
 * and read by processes that are not part of the scan at all. Hence an ABI
 * rather than a struct: fixed-width fields, offsets instead of pointers, a
 * magic number and a layout version checked on open, and each group of
 * writers on its own cache lines (workers claim on one line, count finished
 * files and detector time on another, the aggregator counts findings on a
 * third, and each worker owns its slot), so counting never bounces a line
 * between cores that do not need to share it.
 *
 * Every counter is an independent atomic; readers get each value exactly but
 * not a cut across all of them, which is what a progress display needs. The
 * only ordering that matters is the re-queue list (a release store of the
 * count after the entry, paired with an acquire load in claim()) and the
 * worker path, written under a small sequence lock so readers never show a
 * torn name.
 *
 * A file-backed board lives at `<commondir>/wm/board-<pid>`. The scan
 * removes it at the end; a scan killed before that leaves it behind, so
 * wm_board_find() checks the pid and removes boards of dead scans.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/board.h"
#include "wm/buf.h"
#include "wm/error.h"

#define BOARD_MAGIC UINT64_C(0x314452414f424d57) /* "WMBOARD1" little-endian */
#define BOARD_LAYOUT_VERSION 1u
#define PATH_WORDS (WM_BOARD_PATH_SIZE / 8)

struct board_header {
	/* Written once before any worker starts; read-only afterwards. */
	uint64_t magic;
	uint32_t layout_version;
	uint32_t header_size;
	uint64_t total_size;
	int32_t scan_pid;
	uint32_t nworkers;
	uint64_t nfiles;
	uint32_t ndetectors;
	uint32_t reserved;
	uint64_t started_ms;
	uint64_t workers_offset;
	uint64_t requeue_offset;
	char repo[WM_BOARD_PATH_SIZE];
	char detectors[WM_BOARD_MAX_DETECTORS][WM_BOARD_NAME_SIZE];
	/* The work cursor: every worker's fetch_add lands here. */
	alignas(64) _Atomic uint64_t cursor;
	/* Counted by workers as they finish files. */
	alignas(64) _Atomic uint64_t files_done;
	_Atomic uint64_t time_ns[WM_BOARD_MAX_DETECTORS];
	/* Counted by the aggregator. */
	alignas(64) _Atomic uint64_t findings;
	_Atomic uint32_t finished;
	uint32_t reserved2;
	_Atomic uint64_t findings_by[WM_BOARD_MAX_DETECTORS][5];
	/* The re-queue list: written by the aggregator, claimed by workers. */
	alignas(64) _Atomic uint64_t requeue_count;
	_Atomic uint64_t requeue_claimed;
};
static_assert(offsetof(struct board_header, cursor) == 768, "board layout v1");
static_assert(offsetof(struct board_header, files_done) == 832, "board layout v1");
static_assert(offsetof(struct board_header, findings) == 1024, "board layout v1");
static_assert(offsetof(struct board_header, requeue_count) == 1728, "board layout v1");
static_assert(sizeof(struct board_header) == 1792, "board layout v1");

struct board_worker {
	alignas(64) _Atomic int32_t pid;
	_Atomic uint32_t state;
	_Atomic uint64_t heartbeat_ms;
	_Atomic uint64_t current;     /* file index + 1; 0 when none */
	_Atomic uint64_t files_done;
	_Atomic uint32_t path_seq;    /* odd while the path is being written */
	uint32_t reserved;
	_Atomic uint64_t path[PATH_WORDS];
};
static_assert(sizeof(struct board_worker) == 256, "board worker slot v1");
static_assert(offsetof(struct board_worker, path) == 40, "board worker slot v1");

struct wm_board {
	struct board_header *hdr;
	struct board_worker *workers;
	_Atomic uint64_t *requeue;
	size_t size;
	char *path;   /* the file to remove at the end; NULL when not ours */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void set_pointers(wm_board *b)
{
	b->workers = (struct board_worker *)((char *)b->hdr + b->hdr->workers_offset);
	b->requeue = (_Atomic uint64_t *)((char *)b->hdr + b->hdr->requeue_offset);
}

int wm_board_create(wm_board **out, const wm_board_options *opts)
{
	wm_board *b = NULL;
	struct board_header *h;
	size_t workers_off, requeue_off, size, i;
	void *map = MAP_FAILED;
	int fd = -1, error = 0;

	*out = NULL;
	if (opts->nworkers < 1 || opts->nworkers > 4096 || opts->nfiles > (UINT64_C(1) << 32))
		return wm_error_set(WM_EUSAGE, "board: %u workers and %llu files are out of range",
			(unsigned)opts->nworkers, (unsigned long long)opts->nfiles);
	workers_off = sizeof(struct board_header);
	requeue_off = workers_off + opts->nworkers * sizeof(struct board_worker);
	size = requeue_off + (size_t)(opts->nfiles ? opts->nfiles : 1) * sizeof(uint64_t);

	if (!(b = wm_calloc(1, sizeof(*b)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (opts->path) {
		if ((fd = open(opts->path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0 ||
		    ftruncate(fd, (off_t)size) < 0) {
			error = wm_error_set(WM_ERROR, "board: cannot create %s: %s", opts->path, strerror(errno));
			if (fd >= 0)
				unlink(opts->path);
			goto done;
		}
		if (!(b->path = wm_strdup(opts->path))) {
			unlink(opts->path);
			error = WM_ENOMEM;
			goto done;
		}
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	} else {
		map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	}
	if (map == MAP_FAILED) {
		error = wm_error_set(WM_ERROR, "board: mmap of %zu bytes failed: %s", size, strerror(errno));
		goto done;
	}
	b->hdr = h = map;
	b->size = size;
	map = MAP_FAILED;
	/* ftruncate() and MAP_ANONYMOUS give zeroes: every counter starts at 0. */
	h->magic = BOARD_MAGIC;
	h->layout_version = BOARD_LAYOUT_VERSION;
	h->header_size = sizeof(*h);
	h->total_size = size;
	h->scan_pid = (int32_t)getpid();
	h->nworkers = opts->nworkers;
	h->nfiles = opts->nfiles;
	h->ndetectors = (uint32_t)(opts->ndetectors < WM_BOARD_MAX_DETECTORS ? opts->ndetectors : WM_BOARD_MAX_DETECTORS);
	h->started_ms = now_ms();
	h->workers_offset = workers_off;
	h->requeue_offset = requeue_off;
	if (opts->repo)
		snprintf(h->repo, sizeof(h->repo), "%s", opts->repo);
	for (i = 0; i < h->ndetectors; i++)
		snprintf(h->detectors[i], sizeof(h->detectors[i]), "%s", opts->detectors[i]);
	set_pointers(b);
	*out = b;
	b = NULL;
done:
	if (fd >= 0)
		close(fd);
	if (map != MAP_FAILED)
		munmap(map, size);
	wm_board_free(b);
	return error;
}

int wm_board_open(wm_board **out, const char *path)
{
	wm_board *b = NULL;
	struct board_header *h;
	struct stat st;
	void *map;
	int fd = -1, error = 0;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		error = wm_error_set(errno == ENOENT ? WM_ENOTFOUND : WM_ERROR, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct board_header)) {
		error = wm_error_set(WM_EPARSE, "%s: not a wm board", path);
		goto done;
	}
	if ((map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0)) == MAP_FAILED) {
		error = wm_error_set(WM_ERROR, "%s: mmap failed: %s", path, strerror(errno));
		goto done;
	}
	h = map;
	if (h->magic != BOARD_MAGIC || h->layout_version != BOARD_LAYOUT_VERSION ||
	    h->header_size != sizeof(*h) || h->total_size != (uint64_t)st.st_size ||
	    h->workers_offset + (uint64_t)h->nworkers * sizeof(struct board_worker) > h->total_size ||
	    h->requeue_offset > h->total_size) {
		munmap(map, (size_t)st.st_size);
		error = wm_error_set(WM_EPARSE, "%s: not a wm board of layout version %u", path, BOARD_LAYOUT_VERSION);
		goto done;
	}
	if (!(b = wm_calloc(1, sizeof(*b)))) {
		munmap(map, (size_t)st.st_size);
		error = WM_ENOMEM;
		goto done;
	}
	b->hdr = h;
	b->size = (size_t)st.st_size;
	set_pointers(b);
	*out = b;
done:
	if (fd >= 0)
		close(fd);
	return error;
}

void wm_board_forget(wm_board *board)
{
	if (!board)
		return;
	if (board->hdr)
		munmap(board->hdr, board->size);
	wm_free(board->path);
	wm_free(board);
}

void wm_board_free(wm_board *board)
{
	if (board && board->path)
		unlink(board->path);
	wm_board_forget(board);
}

static bool pid_alive(long pid)
{
	return pid > 0 && (kill((pid_t)pid, 0) == 0 || errno == EPERM);
}

int wm_board_find(char **out, const char *commondir)
{
	wm_buf dir = WM_BUF_INIT, path = WM_BUF_INIT;
	struct dirent *de;
	DIR *d = NULL;
	long best = -1;
	time_t best_time = 0;
	struct stat st;
	int error = 0;

	*out = NULL;
	if ((error = wm_buf_printf(&dir, "%swm", commondir)) < 0)
		goto done;
	if (!(d = opendir(dir.ptr))) {
		error = wm_error_set(WM_ENOTFOUND, "no scan is running (no %s)", dir.ptr);
		goto done;
	}
	while ((de = readdir(d))) {
		char *end;
		long pid;

		if (strncmp(de->d_name, "board-", 6))
			continue;
		pid = strtol(de->d_name + 6, &end, 10);
		if (*end || pid <= 0)
			continue;
		wm_buf_clear(&path);
		if ((error = wm_buf_printf(&path, "%s/%s", dir.ptr, de->d_name)) < 0)
			goto done;
		if (!pid_alive(pid)) {
			unlink(path.ptr); /* left behind by a scan that was killed */
			continue;
		}
		if (stat(path.ptr, &st) == 0 && (best < 0 || st.st_mtime >= best_time)) {
			best = pid;
			best_time = st.st_mtime;
		}
	}
	if (best < 0) {
		error = wm_error_set(WM_ENOTFOUND, "no scan of this repository is running");
		goto done;
	}
	wm_buf_clear(&path);
	if ((error = wm_buf_printf(&path, "%s/board-%ld", dir.ptr, best)) < 0 ||
	    !(*out = wm_buf_detach(&path)))
		error = error ? error : WM_ENOMEM;
done:
	if (d)
		closedir(d);
	wm_buf_dispose(&dir);
	wm_buf_dispose(&path);
	return error;
}

bool wm_board_claim(wm_board *board, uint64_t *index)
{
	struct board_header *h = board->hdr;
	uint64_t c, n;

	/* Re-queued files first: they are the oldest work. Acquire pairs with
	 * the release store of requeue_count in wm_board_requeue(). */
	c = atomic_load_explicit(&h->requeue_claimed, memory_order_relaxed);
	while (c < atomic_load_explicit(&h->requeue_count, memory_order_acquire)) {
		if (atomic_compare_exchange_weak_explicit(&h->requeue_claimed, &c, c + 1,
				memory_order_relaxed, memory_order_relaxed)) {
			*index = atomic_load_explicit(&board->requeue[c], memory_order_relaxed);
			return true;
		}
	}
	/* The cursor orders nothing but itself: relaxed. */
	n = atomic_fetch_add_explicit(&h->cursor, 1, memory_order_relaxed);
	if (n < h->nfiles) {
		*index = n;
		return true;
	}
	return false;
}

int wm_board_requeue(wm_board *board, uint64_t index)
{
	struct board_header *h = board->hdr;
	uint64_t n = atomic_load_explicit(&h->requeue_count, memory_order_relaxed);

	if (n >= (h->nfiles ? h->nfiles : 1))
		return wm_error_set(WM_EUSAGE, "board: the re-queue list is full");
	atomic_store_explicit(&board->requeue[n], index, memory_order_relaxed);
	/* Publish the entry: pairs with the acquire load in wm_board_claim(). */
	atomic_store_explicit(&h->requeue_count, n + 1, memory_order_release);
	return 0;
}

bool wm_board_work_left(const wm_board *board)
{
	struct board_header *h = board->hdr;

	return atomic_load_explicit(&h->cursor, memory_order_relaxed) < h->nfiles ||
		atomic_load_explicit(&h->requeue_claimed, memory_order_relaxed) <
		atomic_load_explicit(&h->requeue_count, memory_order_relaxed);
}

void wm_board_worker_start(wm_board *board, uint32_t slot, int32_t pid)
{
	struct board_worker *w = &board->workers[slot];

	atomic_store_explicit(&w->current, 0, memory_order_relaxed);
	atomic_store_explicit(&w->heartbeat_ms, now_ms(), memory_order_relaxed);
	atomic_store_explicit(&w->pid, pid, memory_order_relaxed);
	atomic_store_explicit(&w->state, WM_BOARD_WORKER_RUNNING, memory_order_relaxed);
}

void wm_board_worker_file(wm_board *board, uint32_t slot, uint64_t index, const char *path)
{
	struct board_worker *w = &board->workers[slot];
	uint64_t words[PATH_WORDS];
	uint32_t seq = atomic_load_explicit(&w->path_seq, memory_order_relaxed);
	size_t i;

	memset(words, 0, sizeof(words));
	if (path)
		strncpy((char *)words, path, sizeof(words) - 1);
	/* Sequence lock: odd while writing. The release fence keeps the odd
	 * store before the words; paired with the reader's acquire fence. */
	atomic_store_explicit(&w->path_seq, seq + 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);
	for (i = 0; i < PATH_WORDS; i++)
		atomic_store_explicit(&w->path[i], words[i], memory_order_relaxed);
	/* Pairs with the reader's acquire load of path_seq before its copy. */
	atomic_store_explicit(&w->path_seq, seq + 2, memory_order_release);
	atomic_store_explicit(&w->current, index + 1, memory_order_relaxed);
	atomic_store_explicit(&w->heartbeat_ms, now_ms(), memory_order_relaxed);
}

void wm_board_worker_done(wm_board *board, uint32_t slot)
{
	struct board_worker *w = &board->workers[slot];

	atomic_store_explicit(&w->current, 0, memory_order_relaxed);
	atomic_fetch_add_explicit(&w->files_done, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&board->hdr->files_done, 1, memory_order_relaxed);
}

void wm_board_worker_beat(wm_board *board, uint32_t slot)
{
	atomic_store_explicit(&board->workers[slot].heartbeat_ms, now_ms(), memory_order_relaxed);
}

void wm_board_worker_end(wm_board *board, uint32_t slot, wm_board_state state)
{
	atomic_store_explicit(&board->workers[slot].current, 0, memory_order_relaxed);
	atomic_store_explicit(&board->workers[slot].state, (uint32_t)state, memory_order_relaxed);
}

uint64_t wm_board_worker_status(const wm_board *board, uint32_t slot, uint64_t *index)
{
	const struct board_worker *w = &board->workers[slot];
	uint64_t cur = atomic_load_explicit(&w->current, memory_order_relaxed);

	*index = cur ? cur - 1 : UINT64_MAX;
	return atomic_load_explicit(&w->heartbeat_ms, memory_order_relaxed);
}

void wm_board_add_findings(wm_board *board, size_t det, unsigned int sev, uint64_t n)
{
	struct board_header *h = board->hdr;

	if (det >= WM_BOARD_MAX_DETECTORS)
		det = WM_BOARD_MAX_DETECTORS - 1;
	if (sev > 4)
		sev = 4;
	atomic_fetch_add_explicit(&h->findings_by[det][sev], n, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->findings, n, memory_order_relaxed);
}

void wm_board_add_time(wm_board *board, size_t det, uint64_t ns)
{
	if (det >= WM_BOARD_MAX_DETECTORS)
		det = WM_BOARD_MAX_DETECTORS - 1;
	atomic_fetch_add_explicit(&board->hdr->time_ns[det], ns, memory_order_relaxed);
}

void wm_board_finish(wm_board *board)
{
	atomic_store_explicit(&board->hdr->finished, 1, memory_order_relaxed);
}

uint64_t wm_board_files_done(const wm_board *board)
{
	return atomic_load_explicit(&board->hdr->files_done, memory_order_relaxed);
}

static void read_path(char out[WM_BOARD_PATH_SIZE], const struct board_worker *w)
{
	uint64_t words[PATH_WORDS];
	uint32_t before, after;
	size_t i;
	int tries = 0;

	do {
		/* Pairs with the writer's final release store of path_seq. */
		before = atomic_load_explicit(&w->path_seq, memory_order_acquire);
		for (i = 0; i < PATH_WORDS; i++)
			words[i] = atomic_load_explicit(&w->path[i], memory_order_relaxed);
		/* Pairs with the writer's release fence after the odd store. */
		atomic_thread_fence(memory_order_acquire);
		after = atomic_load_explicit(&w->path_seq, memory_order_relaxed);
	} while ((before != after || (before & 1)) && ++tries < 100);
	memcpy(out, words, WM_BOARD_PATH_SIZE);
	out[WM_BOARD_PATH_SIZE - 1] = '\0';
	if (tries >= 100)
		out[0] = '\0';
}

void wm_board_snapshot_take(wm_board_snapshot *out, const wm_board *board)
{
	const struct board_header *h = board->hdr;
	uint64_t claimed;
	size_t i, j;

	out->scan_pid = h->scan_pid;
	out->finished = atomic_load_explicit(&h->finished, memory_order_relaxed) != 0;
	memcpy(out->repo, h->repo, sizeof(out->repo));
	out->repo[sizeof(out->repo) - 1] = '\0';
	out->started_ms = h->started_ms;
	out->files_total = h->nfiles;
	claimed = atomic_load_explicit(&h->cursor, memory_order_relaxed);
	out->files_claimed = claimed < h->nfiles ? claimed : h->nfiles;
	out->files_done = atomic_load_explicit(&h->files_done, memory_order_relaxed);
	out->findings = atomic_load_explicit(&h->findings, memory_order_relaxed);
	out->ndetectors = h->ndetectors < WM_BOARD_MAX_DETECTORS ? h->ndetectors : WM_BOARD_MAX_DETECTORS;
	for (i = 0; i < out->ndetectors; i++) {
		memcpy(out->detectors[i], h->detectors[i], WM_BOARD_NAME_SIZE);
		out->detectors[i][WM_BOARD_NAME_SIZE - 1] = '\0';
		for (j = 0; j < 5; j++)
			out->findings_by[i][j] = atomic_load_explicit(&h->findings_by[i][j], memory_order_relaxed);
		out->time_ns[i] = atomic_load_explicit(&h->time_ns[i], memory_order_relaxed);
	}
	out->nworkers = h->nworkers < WM_BOARD_SNAPSHOT_WORKERS ? h->nworkers : WM_BOARD_SNAPSHOT_WORKERS;
	for (i = 0; i < out->nworkers; i++) {
		const struct board_worker *w = &board->workers[i];
		wm_board_worker *o = &out->workers[i];

		o->pid = atomic_load_explicit(&w->pid, memory_order_relaxed);
		o->state = (wm_board_state)atomic_load_explicit(&w->state, memory_order_relaxed);
		o->heartbeat_ms = atomic_load_explicit(&w->heartbeat_ms, memory_order_relaxed);
		o->files_done = atomic_load_explicit(&w->files_done, memory_order_relaxed);
		if (atomic_load_explicit(&w->current, memory_order_relaxed))
			read_path(o->path, w);
		else
			o->path[0] = '\0';
	}
}
