/*
 * check_ring.c - the event ring: records arrive whole, once and in order,
 * across slot boundaries and wrap-around, under back-pressure, between
 * threads (the ThreadSanitizer build checks the orderings) and between
 * processes, and a producer killed mid-record blocks nobody.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "wm/error.h"
#include "wm/ring.h"

/* A record whose bytes are a function of (producer, seq), of length len. */
static void fill(unsigned char *buf, size_t len, uint32_t producer, uint32_t seq)
{
	size_t i;

	memcpy(buf, &producer, 4);
	memcpy(buf + 4, &seq, 4);
	for (i = 8; i < len; i++)
		buf[i] = (unsigned char)(producer * 31u + seq * 7u + i);
}

static int check(const unsigned char *buf, size_t len, uint32_t *producer, uint32_t *seq)
{
	size_t i;

	if (len < 8)
		return -1;
	memcpy(producer, buf, 4);
	memcpy(seq, buf + 4, 4);
	for (i = 8; i < len; i++)
		if (buf[i] != (unsigned char)(*producer * 31u + *seq * 7u + i))
			return -1;
	return 0;
}

static size_t size_of(uint32_t seq)
{
	/* 8 .. 300 bytes: one to six slots. */
	return 8 + (size_t)((seq * 2654435761u) >> 7) % 293;
}

START_TEST(publish_peek_advance_round_trip)
{
	wm_ring_group *g = NULL;
	wm_ring *r;
	const void *data;
	size_t len;

	ck_assert_int_eq(wm_ring_group_create(&g, 1, 8), 0);
	r = wm_ring_group_ring(g, 0);
	ck_assert_ptr_null(wm_ring_group_ring(g, 1));
	wm_ring_producer_attach(r);
	ck_assert_int_eq(wm_ring_peek(r, &data, &len), 0);
	ck_assert_int_eq(wm_ring_publish(r, "hello", 5), 0);
	ck_assert_int_eq(wm_ring_ready(r), 1);
	ck_assert_int_eq(wm_ring_peek(r, &data, &len), 1);
	ck_assert_uint_eq(len, 5);
	ck_assert_int_eq(memcmp(data, "hello", 5), 0);
	wm_ring_advance(r);
	ck_assert_int_eq(wm_ring_peek(r, &data, &len), 0);
	ck_assert_int_eq(wm_ring_ready(r), 0);
	wm_ring_group_free(g);
}
END_TEST

START_TEST(bad_sizes_are_refused)
{
	wm_ring_group *g = NULL;
	unsigned char big[8 * WM_RING_SLOT_PAYLOAD + 1];

	ck_assert_int_eq(wm_ring_group_create(&g, 1, 6), WM_EUSAGE);
	ck_assert_int_eq(wm_ring_group_create(&g, 0, 8), WM_EUSAGE);
	ck_assert_int_eq(wm_ring_group_create(&g, 1, 8), 0);
	wm_ring_producer_attach(wm_ring_group_ring(g, 0));
	memset(big, 0, sizeof(big));
	ck_assert_uint_eq(wm_ring_max_record(wm_ring_group_ring(g, 0)), 8 * WM_RING_SLOT_PAYLOAD);
	ck_assert_int_eq(wm_ring_publish(wm_ring_group_ring(g, 0), big, sizeof(big)), WM_EUSAGE);
	ck_assert_int_eq(wm_ring_publish(wm_ring_group_ring(g, 0), big, 0), WM_EUSAGE);
	ck_assert_int_eq(wm_ring_publish(wm_ring_group_ring(g, 0), big, sizeof(big) - 1), 0);
	wm_ring_group_free(g);
}
END_TEST

START_TEST(records_span_slots_and_wrap)
{
	wm_ring_group *g = NULL;
	unsigned char buf[400];
	wm_ring *r;
	const void *data;
	size_t len;
	uint32_t seq, p, s;

	/* 16 slots; records of 1 to 6 slots wrap around many times. */
	ck_assert_int_eq(wm_ring_group_create(&g, 1, 16), 0);
	r = wm_ring_group_ring(g, 0);
	wm_ring_producer_attach(r);
	for (seq = 0; seq < 1000; seq++) {
		fill(buf, size_of(seq), 0, seq);
		ck_assert_int_eq(wm_ring_publish(r, buf, size_of(seq)), 0);
		ck_assert_int_eq(wm_ring_peek(r, &data, &len), 1);
		ck_assert_uint_eq(len, size_of(seq));
		ck_assert_int_eq(check(data, len, &p, &s), 0);
		ck_assert_uint_eq(s, seq);
		wm_ring_advance(r);
	}
	wm_ring_group_free(g);
}
END_TEST

struct thread_arg {
	wm_ring *ring;
	uint32_t producer;
	uint32_t count;
};

static void *producer_thread(void *p)
{
	struct thread_arg *a = p;
	unsigned char buf[400];
	uint32_t seq;

	wm_ring_producer_attach(a->ring);
	for (seq = 0; seq < a->count; seq++) {
		fill(buf, size_of(seq), a->producer, seq);
		if (wm_ring_publish(a->ring, buf, size_of(seq)) < 0)
			return (void *)1;
		if ((seq & 63) == 63)
			wm_ring_notify(a->ring);
	}
	wm_ring_notify(a->ring);
	return NULL;
}

/* Drain `n` rings until every producer sent `count`; checks order and content. */
static void drain(wm_ring_group *g, size_t n, uint32_t count)
{
	uint32_t next[8] = { 0 };
	size_t done = 0, i;
	const void *data;
	size_t len;
	uint32_t p, s;

	while (done < n) {
		int got = 0;

		for (i = 0; i < n; i++) {
			wm_ring *r = wm_ring_group_ring(g, i);

			while (wm_ring_peek(r, &data, &len) == 1) {
				ck_assert_int_eq(check(data, len, &p, &s), 0);
				ck_assert_uint_eq(p, i);
				ck_assert_uint_eq(s, next[i]);
				ck_assert_uint_eq(len, size_of(s));
				wm_ring_advance(r);
				if (++next[i] == count)
					done++;
				got = 1;
			}
		}
		if (!got)
			wm_ring_group_wait(g, 100);
	}
}

START_TEST(threads_deliver_everything_in_order)
{
	wm_ring_group *g = NULL;
	pthread_t t[4];
	struct thread_arg a[4];
	void *ret;
	size_t i;

	/* A small ring: producers block on back-pressure all the time. */
	ck_assert_int_eq(wm_ring_group_create(&g, 4, 32), 0);
	for (i = 0; i < 4; i++) {
		a[i].ring = wm_ring_group_ring(g, i);
		a[i].producer = (uint32_t)i;
		a[i].count = 20000;
		ck_assert_int_eq(pthread_create(&t[i], NULL, producer_thread, &a[i]), 0);
	}
	drain(g, 4, 20000);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(pthread_join(t[i], &ret), 0);
		ck_assert_ptr_null(ret);
	}
	wm_ring_group_free(g);
}
END_TEST

START_TEST(a_sleeping_consumer_is_woken_by_notify)
{
	wm_ring_group *g = NULL;
	pthread_t t;
	struct thread_arg a;

	ck_assert_int_eq(wm_ring_group_create(&g, 1, 64), 0);
	a.ring = wm_ring_group_ring(g, 0);
	a.producer = 0;
	a.count = 3;
	ck_assert_int_eq(pthread_create(&t, NULL, producer_thread, &a), 0);
	/* A long timeout: the test's own timeout fails it if no wake came. */
	drain(g, 1, 3);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	wm_ring_group_free(g);
}
END_TEST

START_TEST(processes_deliver_everything_in_order)
{
	wm_ring_group *g = NULL;
	pid_t pids[4];
	int status;
	size_t i;

	ck_assert_int_eq(wm_ring_group_create(&g, 4, 64), 0);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			struct thread_arg a = { wm_ring_group_ring(g, i), (uint32_t)i, 50000 };

			_exit(producer_thread(&a) ? 1 : 0);
		}
	}
	drain(g, 4, 50000);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(waitpid(pids[i], &status, 0), pids[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	wm_ring_group_free(g);
}
END_TEST

START_TEST(a_killed_producer_blocks_nobody)
{
	wm_ring_group *g = NULL;
	unsigned char buf[400];
	const void *data;
	size_t len;
	uint32_t p, s, seq;
	wm_ring *r;
	pid_t pid;
	int status;

	ck_assert_int_eq(wm_ring_group_create(&g, 2, 64), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* Three whole records, then death. */
		wm_ring *w = wm_ring_group_ring(g, 0);

		wm_ring_producer_attach(w);
		for (seq = 0; seq < 3; seq++) {
			fill(buf, 100, 0, seq);
			wm_ring_publish(w, buf, 100);
		}
		wm_ring_notify(w);
		raise(SIGKILL);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	r = wm_ring_group_ring(g, 0);
	for (seq = 0; seq < 3; seq++) {
		ck_assert_int_eq(wm_ring_peek(r, &data, &len), 1);
		ck_assert_int_eq(check(data, len, &p, &s), 0);
		ck_assert_uint_eq(s, seq);
		wm_ring_advance(r);
	}
	ck_assert_int_eq(wm_ring_peek(r, &data, &len), 0);
	/* The other ring was never touched by the dead producer. */
	ck_assert_int_eq(wm_ring_ready(wm_ring_group_ring(g, 1)), 0);

	/* A replacement producer takes the ring over where the consumer stands. */
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct thread_arg a = { wm_ring_group_ring(g, 0), 0, 500 };

		_exit(producer_thread(&a) ? 1 : 0);
	}
	drain(g, 1, 500);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	wm_ring_group_free(g);
}
END_TEST

START_TEST(a_killed_producer_mid_record_blocks_nobody)
{
	wm_ring_group *g = NULL;
	unsigned char buf[400];
	const void *data;
	size_t len;
	pid_t pid;
	int status;

	/* The child publishes endlessly into a tiny ring the parent never
	 * drains until the kill, so it dies blocked or mid-publish. */
	ck_assert_int_eq(wm_ring_group_create(&g, 1, 8), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		wm_ring *w = wm_ring_group_ring(g, 0);
		uint32_t seq;

		wm_ring_producer_attach(w);
		for (seq = 0;; seq++) {
			fill(buf, size_of(seq), 0, seq);
			wm_ring_publish(w, buf, size_of(seq));
		}
	}
	nanosleep(&(struct timespec){ 0, 20000000 }, NULL);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	{
		uint32_t p, s, next = 0;

		while (wm_ring_peek(wm_ring_group_ring(g, 0), &data, &len) == 1) {
			ck_assert_int_eq(check(data, len, &p, &s), 0);
			ck_assert_uint_eq(s, next++);
			wm_ring_advance(wm_ring_group_ring(g, 0));
		}
		ck_assert_uint_gt(next, 0);
	}
	wm_ring_group_wait(g, 10); /* returns: nothing hangs on the dead producer */
	wm_ring_group_free(g);
}
END_TEST

static Suite *ring_suite(void)
{
	Suite *s = suite_create("ring");
	TCase *tc = tcase_create("ring");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, publish_peek_advance_round_trip);
	tcase_add_test(tc, bad_sizes_are_refused);
	tcase_add_test(tc, records_span_slots_and_wrap);
	tcase_add_test(tc, threads_deliver_everything_in_order);
	tcase_add_test(tc, a_sleeping_consumer_is_woken_by_notify);
	tcase_add_test(tc, processes_deliver_everything_in_order);
	tcase_add_test(tc, a_killed_producer_blocks_nobody);
	tcase_add_test(tc, a_killed_producer_mid_record_blocks_nobody);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(ring_suite());
}
