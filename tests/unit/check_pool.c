/*
 * check_pool.c - the worker pool: every item's records are delivered once,
 * a worker killed mid-item loses nothing (its item is re-run elsewhere),
 * an item that kills two workers is reported lost, and a hung worker is
 * killed and handled the same way.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "testutil.h"
#include "wm/board.h"
#include "wm/pool.h"

#define NITEMS 200

typedef struct fixture {
	int delivered[NITEMS];     /* records per item, counted in the aggregator */
	int lost[NITEMS];
	_Atomic int *crashes;      /* shared: how often each item crashed a worker */
	int crash_item;            /* crashes once (or always, with crash_always) */
	int crash_always;
	int hang_item;
} fixture;

static int work(void *payload, wm_pool_worker *w, uint64_t item)
{
	fixture *f = payload;
	char rec[64];
	uint64_t k;
	int error;

	if ((int)item == f->crash_item &&
	    (f->crash_always || atomic_fetch_add(&f->crashes[item], 1) == 0))
		raise(SIGKILL);
	if ((int)item == f->hang_item)
		for (;;)
			pause();
	/* Item i sends i % 5 + 1 records, one longer than a slot. */
	for (k = 0; k <= item % 5; k++) {
		int n = snprintf(rec, sizeof(rec), "item %llu record %llu %s", (unsigned long long)item,
			(unsigned long long)k, k == 2 ? "and then some more bytes to span slots" : "");

		if ((error = wm_pool_publish(w, rec, (size_t)n + 1)) < 0)
			return error;
	}
	return 0;
}

static int deliver(void *payload, uint64_t item, const void *data, size_t len)
{
	fixture *f = payload;
	char want[32];

	snprintf(want, sizeof(want), "item %llu record %d", (unsigned long long)item, f->delivered[item]);
	ck_assert_uint_gt(len, strlen(want));
	ck_assert_int_eq(strncmp(data, want, strlen(want)), 0);
	f->delivered[item]++;
	return 0;
}

static int lost(void *payload, uint64_t item, int status)
{
	fixture *f = payload;

	(void)status;
	f->lost[item]++;
	return 0;
}

static void run(fixture *f, uint32_t workers, uint32_t hang_ms)
{
	wm_board_options bo = WM_BOARD_OPTIONS_INIT;
	wm_pool_options po = WM_POOL_OPTIONS_INIT;
	wm_board *b = NULL;

	bo.nworkers = workers;
	bo.nfiles = NITEMS;
	ck_assert_int_eq(wm_board_create(&b, &bo), 0);
	po.workers = workers;
	po.nitems = NITEMS;
	po.board = b;
	po.payload = f;
	po.work = work;
	po.deliver = deliver;
	po.lost = lost;
	po.hang_timeout_ms = hang_ms;
	po.ring_slots = 16; /* small: back-pressure on every item */
	ck_assert_int_eq(wm_pool_run(&po), 0);
	ck_assert_uint_eq(wm_board_files_done(b) >= NITEMS - 1, 1);
	wm_board_free(b);
}

static fixture *fixture_new(void)
{
	static fixture f;

	memset(&f, 0, sizeof(f));
	f.crashes = mmap(NULL, NITEMS * sizeof(int), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(f.crashes, MAP_FAILED);
	f.crash_item = f.hang_item = -1;
	return &f;
}

START_TEST(every_item_is_delivered_once)
{
	fixture *f = fixture_new();
	int i;

	run(f, 3, 0);
	for (i = 0; i < NITEMS; i++) {
		ck_assert_int_eq(f->delivered[i], i % 5 + 1);
		ck_assert_int_eq(f->lost[i], 0);
	}
}
END_TEST

START_TEST(a_killed_worker_loses_nothing)
{
	fixture *f = fixture_new();
	int i;

	f->crash_item = 57;
	run(f, 2, 0);
	ck_assert_int_eq(f->crashes[57], 2); /* crashed once, then ran again */
	for (i = 0; i < NITEMS; i++) {
		ck_assert_int_eq(f->delivered[i], i % 5 + 1);
		ck_assert_int_eq(f->lost[i], 0);
	}
}
END_TEST

START_TEST(an_item_that_kills_twice_is_lost)
{
	fixture *f = fixture_new();
	int i;

	f->crash_item = 3;
	f->crash_always = 1;
	run(f, 2, 0);
	for (i = 0; i < NITEMS; i++) {
		ck_assert_int_eq(f->delivered[i], i == 3 ? 0 : i % 5 + 1);
		ck_assert_int_eq(f->lost[i], i == 3);
	}
}
END_TEST

START_TEST(a_hung_worker_is_killed)
{
	fixture *f = fixture_new();
	int i;

	f->hang_item = 120;
	run(f, 2, 200);
	for (i = 0; i < NITEMS; i++) {
		ck_assert_int_eq(f->delivered[i], i == 120 ? 0 : i % 5 + 1);
		ck_assert_int_eq(f->lost[i], i == 120);
	}
}
END_TEST

static Suite *pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("pool");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_item_is_delivered_once);
	tcase_add_test(tc, a_killed_worker_loses_nothing);
	tcase_add_test(tc, an_item_that_kills_twice_is_lost);
	tcase_add_test(tc, a_hung_worker_is_killed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(pool_suite());
}
