/*
 * stress_ring.c - records of random sizes from several producer processes:
 * every record must arrive exactly once, whole, and in per-producer order.
 *
 *   stress_ring [RECORDS [PRODUCERS [SLOTS]]]   (default 100000000 4 1024)
 *
 * Each producer derives its record sizes (8 to 300 bytes, one to six slots)
 * from its own pseudo-random sequence, which the consumer replays, so a
 * lost, doubled, reordered or torn record is caught by size and content.
 * The ring is deliberately small so that back-pressure is exercised all
 * the time. ctest runs a short version; the full one is a separate command.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wm/error.h"
#include "wm/ring.h"

#define MAX_PRODUCERS 16

static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static size_t record_size(uint64_t *s)
{
	return 8 + (size_t)(next_rand(s) % 293);
}

static void fill(unsigned char *buf, size_t len, uint32_t producer, uint32_t seq)
{
	uint32_t tag = producer * 2654435761u ^ seq;

	memcpy(buf, &producer, 4);
	memcpy(buf + 4, &seq, 4);
	memset(buf + 8, (int)(tag & 0xff), len - 8);
	if (len >= 12)
		memcpy(buf + len - 4, &tag, 4);
}

static int check(const unsigned char *buf, size_t len, uint32_t producer, uint32_t seq)
{
	uint32_t p, s, tag = producer * 2654435761u ^ seq, t;
	size_t i, end = len >= 12 ? len - 4 : len;

	memcpy(&p, buf, 4);
	memcpy(&s, buf + 4, 4);
	if (p != producer || s != seq)
		return -1;
	for (i = 8; i < end; i++)
		if (buf[i] != (unsigned char)(tag & 0xff))
			return -1;
	if (len >= 12) {
		memcpy(&t, buf + len - 4, 4);
		if (t != tag)
			return -1;
	}
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	uint64_t records = argc > 1 ? strtoull(argv[1], NULL, 10) : 100000000ull;
	unsigned producers = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 4;
	size_t slots = argc > 3 ? strtoull(argv[3], NULL, 10) : 1024;
	uint64_t per, got = 0, rng[MAX_PRODUCERS];
	uint32_t next[MAX_PRODUCERS];
	wm_ring_group *g = NULL;
	pid_t pids[MAX_PRODUCERS];
	unsigned char buf[400];
	unsigned i, finished = 0;
	double t0;
	int status, rc = 0;

	if (producers < 1 || producers > MAX_PRODUCERS || wm_ring_group_create(&g, producers, slots) < 0) {
		fprintf(stderr, "stress_ring: bad arguments: %s\n", wm_error_last());
		return 2;
	}
	per = records / producers;
	t0 = now_s();
	for (i = 0; i < producers; i++) {
		if ((pids[i] = fork()) == 0) {
			wm_ring *r = wm_ring_group_ring(g, i);
			uint64_t s = 0x9e3779b97f4a7c15ull * (i + 1), n;

			wm_ring_producer_attach(r);
			for (n = 0; n < per; n++) {
				size_t len = record_size(&s);

				fill(buf, len, i, (uint32_t)n);
				if (wm_ring_publish(r, buf, len) < 0)
					_exit(1);
				if ((n & 255) == 255)
					wm_ring_notify(r);
			}
			wm_ring_notify(r);
			_exit(0);
		}
		rng[i] = 0x9e3779b97f4a7c15ull * (i + 1);
		next[i] = 0;
	}
	while (finished < producers) {
		int any = 0;

		for (i = 0; i < producers; i++) {
			wm_ring *r = wm_ring_group_ring(g, i);
			const void *data;
			size_t len;

			while (wm_ring_peek(r, &data, &len) == 1) {
				size_t want = record_size(&rng[i]);

				if (next[i] >= per || len != want || check(data, len, i, next[i]) < 0) {
					fprintf(stderr, "stress_ring: producer %u record %u: bad (len %zu, want %zu)\n",
						i, next[i], len, want);
					return 1;
				}
				wm_ring_advance(r);
				if (++next[i] == per)
					finished++;
				got++;
				any = 1;
			}
		}
		if (!any)
			wm_ring_group_wait(g, 100);
	}
	for (i = 0; i < producers; i++) {
		waitpid(pids[i], &status, 0);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = 1;
	}
	printf("stress_ring: %" PRIu64 " records from %u producer processes, each once and in order, %.1f M records/s\n",
		got, producers, (double)got / (now_s() - t0) / 1e6);
	wm_ring_group_free(g);
	return rc;
}
