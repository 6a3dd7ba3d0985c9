/*
 * check_board.c - the state board: every file is claimed exactly once by
 * concurrent claimers, re-queued files come back once, counters add up,
 * readers map it read-only and refuse what is not a board, and boards of
 * dead scans are found and removed.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "wm/alloc.h"
#include "wm/board.h"
#include "wm/error.h"

#define NFILES 100000

static _Atomic unsigned char seen[NFILES];

struct claimer {
	wm_board *board;
	uint32_t slot;
};

static void *claim_all(void *p)
{
	struct claimer *c = p;
	uint64_t idx;

	wm_board_worker_start(c->board, c->slot, 1000 + (int32_t)c->slot);
	while (wm_board_claim(c->board, &idx)) {
		wm_board_worker_file(c->board, c->slot, idx, "some/path.py");
		atomic_fetch_add(&seen[idx], 1);
		wm_board_add_time(c->board, 0, 1);
		wm_board_worker_done(c->board, c->slot);
	}
	return NULL;
}

START_TEST(every_file_is_claimed_exactly_once)
{
	const char *dets[] = { "syntax", "imports" };
	wm_board_options opts = WM_BOARD_OPTIONS_INIT;
	wm_board *b = NULL;
	wm_board_snapshot snap;
	struct claimer c[4];
	pthread_t t[4];
	size_t i;

	opts.nworkers = 4;
	opts.nfiles = NFILES;
	opts.detectors = dets;
	opts.ndetectors = 2;
	ck_assert_int_eq(wm_board_create(&b, &opts), 0);
	for (i = 0; i < 4; i++) {
		c[i].board = b;
		c[i].slot = (uint32_t)i;
		ck_assert_int_eq(pthread_create(&t[i], NULL, claim_all, &c[i]), 0);
	}
	/* A reader snapshots concurrently (the TSan build checks it). */
	for (i = 0; i < 100; i++)
		wm_board_snapshot_take(&snap, b);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < NFILES; i++)
		ck_assert_uint_eq(seen[i], 1);
	ck_assert_uint_eq(wm_board_files_done(b), NFILES);
	ck_assert(!wm_board_work_left(b));
	wm_board_snapshot_take(&snap, b);
	ck_assert_uint_eq(snap.files_total, NFILES);
	ck_assert_uint_eq(snap.files_claimed, NFILES);
	ck_assert_uint_eq(snap.time_ns[0], NFILES);
	ck_assert_uint_eq(snap.nworkers, 4);
	ck_assert_uint_eq(snap.workers[0].files_done + snap.workers[1].files_done +
		snap.workers[2].files_done + snap.workers[3].files_done, NFILES);
	ck_assert_str_eq(snap.detectors[1], "imports");
	wm_board_free(b);
}
END_TEST

START_TEST(requeued_files_are_claimed_first_and_once)
{
	wm_board_options opts = WM_BOARD_OPTIONS_INIT;
	wm_board *b = NULL;
	uint64_t idx, cur;

	opts.nfiles = 3;
	ck_assert_int_eq(wm_board_create(&b, &opts), 0);
	ck_assert(wm_board_claim(b, &idx));
	ck_assert_uint_eq(idx, 0);
	wm_board_worker_start(b, 0, 42);
	wm_board_worker_file(b, 0, idx, "a.py");
	wm_board_worker_status(b, 0, &cur);
	ck_assert_uint_eq(cur, 0);
	ck_assert_int_eq(wm_board_requeue(b, 0), 0);
	ck_assert(wm_board_work_left(b));
	ck_assert(wm_board_claim(b, &idx));
	ck_assert_uint_eq(idx, 0);
	ck_assert(wm_board_claim(b, &idx));
	ck_assert_uint_eq(idx, 1);
	ck_assert(wm_board_claim(b, &idx));
	ck_assert_uint_eq(idx, 2);
	ck_assert(!wm_board_claim(b, &idx));
	ck_assert(!wm_board_work_left(b));
	/* After the work ran out, a re-queued file is work again. */
	ck_assert_int_eq(wm_board_requeue(b, 2), 0);
	ck_assert(wm_board_work_left(b));
	ck_assert(wm_board_claim(b, &idx));
	ck_assert_uint_eq(idx, 2);
	ck_assert_int_eq(wm_board_requeue(b, 1), 0);
	ck_assert_int_eq(wm_board_requeue(b, 1), WM_EUSAGE); /* list full: at most nfiles */
	wm_board_free(b);
}
END_TEST

START_TEST(a_reader_maps_the_file_read_only)
{
	const char *dets[] = { "syntax" };
	wm_board_options opts = WM_BOARD_OPTIONS_INIT;
	wm_board *b = NULL, *r = NULL;
	wm_board_snapshot snap;
	char *dir = wm_test_tmpdir();
	char path[4200], *found = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/wm", dir);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/wm/board-%ld", dir, (long)getpid());
	opts.path = path;
	opts.nworkers = 2;
	opts.nfiles = 10;
	opts.detectors = dets;
	opts.ndetectors = 1;
	opts.repo = "/some/repo";
	ck_assert_int_eq(wm_board_create(&b, &opts), 0);
	ck_assert_int_eq(wm_board_create(&r, &opts), WM_ERROR); /* exclusive */
	wm_board_worker_start(b, 1, 77);
	wm_board_worker_file(b, 1, 3, "src/x.py");
	wm_board_add_findings(b, 0, 3, 2);

	snprintf(path, sizeof(path), "%s/", dir);
	ck_assert_int_eq(wm_board_find(&found, path), 0);
	ck_assert_int_eq(wm_board_open(&r, found), 0);
	wm_board_snapshot_take(&snap, r);
	ck_assert_int_eq(snap.scan_pid, getpid());
	ck_assert_str_eq(snap.repo, "/some/repo");
	ck_assert_uint_eq(snap.findings, 2);
	ck_assert_uint_eq(snap.findings_by[0][3], 2);
	ck_assert_int_eq(snap.workers[1].pid, 77);
	ck_assert_str_eq(snap.workers[1].path, "src/x.py");
	ck_assert(!snap.finished);
	wm_board_finish(b);
	wm_board_snapshot_take(&snap, r);
	ck_assert(snap.finished);
	wm_board_free(r); /* a reader leaves the file */
	ck_assert_int_eq(access(found, F_OK), 0);
	wm_board_free(b); /* the creator removes it */
	ck_assert_int_ne(access(found, F_OK), 0);
	wm_free(found);

	/* Not a board; and a board of a dead scan is removed by find(). */
	snprintf(path, sizeof(path), "%s/wm/board-999999999", dir);
	f = fopen(path, "w");
	fputs("not a board at all, not at all, not at all", f);
	fclose(f);
	ck_assert_int_eq(wm_board_open(&r, path), WM_EPARSE);
	snprintf(path, sizeof(path), "%s/", dir);
	ck_assert_int_eq(wm_board_find(&found, path), WM_ENOTFOUND);
	snprintf(path, sizeof(path), "%s/wm/board-999999999", dir);
	ck_assert_int_ne(access(path, F_OK), 0);
	ck_assert_int_eq(wm_board_open(&r, path), WM_ENOTFOUND);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

static Suite *board_suite(void)
{
	Suite *s = suite_create("board");
	TCase *tc = tcase_create("board");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_file_is_claimed_exactly_once);
	tcase_add_test(tc, requeued_files_are_claimed_first_and_once);
	tcase_add_test(tc, a_reader_maps_the_file_read_only);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(board_suite());
}
