/*
 * bench_ring.c - the shared core against the serialisation baseline, in one run.
 *
 *   bench_ring [--quick]
 *
 * Measures on this machine: (a) ring publish+consume throughput of 64-byte
 * slot records (56 payload bytes) from 1 and from N producer processes to
 * one consumer, the median cost of one publish into a ring that is not
 * full, and the end-to-end latency of sampled records; (b) the same records
 * as JSON lines through a pipe, written with stdio and parsed by the reader
 * (the baseline the ring replaces); (c) the cost of a board counter read,
 * a counter increment and a full board snapshot. Prints figures and ratios.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "wm/board.h"
#include "wm/ring.h"

#define PAYLOAD WM_RING_SLOT_PAYLOAD
#define SAMPLE_EVERY 1024

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct ring_result {
	double mrec_s;
	uint64_t lat_p50, lat_p99;
};

/* (a) producers processes publish `n` records in total; the caller consumes. */
static struct ring_result ring_run(unsigned producers, uint64_t n)
{
	struct ring_result res = { 0, 0, 0 };
	wm_ring_group *g = NULL;
	uint64_t per = n / producers, got = 0, t0, *lat, nlat = 0, ts;
	uint64_t *next = calloc(producers, sizeof(*next));
	unsigned i, finished = 0;
	pid_t *pids = calloc(producers, sizeof(*pids));

	lat = calloc(n / SAMPLE_EVERY + producers + 1, sizeof(*lat));
	if (wm_ring_group_create(&g, producers, 16384) < 0 || !lat || !next || !pids)
		exit(2);
	t0 = now_ns();
	for (i = 0; i < producers; i++) {
		if ((pids[i] = fork()) == 0) {
			wm_ring *r = wm_ring_group_ring(g, i);
			unsigned char rec[PAYLOAD];
			uint64_t k;

			memset(rec, 'x', sizeof(rec));
			wm_ring_producer_attach(r);
			for (k = 0; k < per; k++) {
				memcpy(rec, &k, 8);
				if (k % SAMPLE_EVERY == 0) {
					ts = now_ns();
					memcpy(rec + 8, &ts, 8);
				}
				wm_ring_publish(r, rec, sizeof(rec));
				if ((k & 255) == 255)
					wm_ring_notify(r);
			}
			wm_ring_notify(r);
			_exit(0);
		}
	}
	while (finished < producers) {
		int any = 0;

		for (i = 0; i < producers; i++) {
			wm_ring *r = wm_ring_group_ring(g, i);
			const void *data;
			size_t len;
			uint64_t k;

			while (wm_ring_peek(r, &data, &len) == 1) {
				memcpy(&k, data, 8);
				if (k != next[i] || len != PAYLOAD) {
					fprintf(stderr, "bench: out of order\n");
					exit(1);
				}
				if (k % SAMPLE_EVERY == 0) {
					memcpy(&ts, (const char *)data + 8, 8);
					lat[nlat++] = now_ns() - ts;
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
	res.mrec_s = (double)got / ((double)(now_ns() - t0) / 1e9) / 1e6;
	for (i = 0; i < producers; i++)
		waitpid(pids[i], NULL, 0);
	qsort(lat, nlat, sizeof(*lat), cmp_u64);
	res.lat_p50 = nlat ? lat[nlat / 2] : 0;
	res.lat_p99 = nlat ? lat[nlat * 99 / 100] : 0;
	wm_ring_group_free(g);
	free(lat);
	free(next);
	free(pids);
	return res;
}

/* Median cost of one publish into a ring that is not full (batches of 64). */
static double publish_cost(void)
{
	enum { BATCH = 64, ROUNDS = 20000 };
	wm_ring_group *g = NULL;
	wm_ring *r;
	unsigned char rec[PAYLOAD];
	uint64_t *per = calloc(ROUNDS, sizeof(*per)), t;
	const void *data;
	size_t len;
	int i, k;
	double med;

	memset(rec, 'x', sizeof(rec));
	if (!per || wm_ring_group_create(&g, 1, 1024) < 0)
		exit(2);
	r = wm_ring_group_ring(g, 0);
	wm_ring_producer_attach(r);
	for (i = 0; i < ROUNDS; i++) {
		t = now_ns();
		for (k = 0; k < BATCH; k++)
			wm_ring_publish(r, rec, sizeof(rec));
		per[i] = now_ns() - t;
		while (wm_ring_peek(r, &data, &len) == 1)
			wm_ring_advance(r);
	}
	qsort(per, ROUNDS, sizeof(*per), cmp_u64);
	med = (double)per[ROUNDS / 2] / BATCH;
	free(per);
	wm_ring_group_free(g);
	return med;
}

/* Latency of one record at a low rate (the consumer is idle, spinning). */
static void idle_latency(uint64_t *p50, uint64_t *p99)
{
	enum { N = 20000 };
	wm_ring_group *g = NULL;
	uint64_t *lat = calloc(N, sizeof(*lat)), ts, k = 0;
	pid_t pid;

	if (!lat || wm_ring_group_create(&g, 1, 1024) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		wm_ring *r = wm_ring_group_ring(g, 0);
		unsigned char rec[PAYLOAD];
		uint64_t i, until;

		memset(rec, 0, sizeof(rec));
		wm_ring_producer_attach(r);
		for (i = 0; i < N; i++) {
			ts = now_ns();
			memcpy(rec, &ts, 8);
			wm_ring_publish(r, rec, sizeof(rec));
			wm_ring_notify(r);
			for (until = now_ns() + 20000; now_ns() < until;)
				;
		}
		_exit(0);
	}
	while (k < N) {
		wm_ring *r = wm_ring_group_ring(g, 0);
		const void *data;
		size_t len;

		if (wm_ring_peek(r, &data, &len) == 1) {
			memcpy(&ts, data, 8);
			lat[k++] = now_ns() - ts;
			wm_ring_advance(r);
		} else {
			wm_ring_group_wait(g, 100);
		}
	}
	waitpid(pid, NULL, 0);
	qsort(lat, N, sizeof(*lat), cmp_u64);
	*p50 = lat[N / 2];
	*p99 = lat[N * 99 / 100];
	free(lat);
	wm_ring_group_free(g);
}

/*
 * (b) the same records as JSON lines through a pipe. With `parse`, the
 * reader parses each line with jansson (the JSON library wm uses), as a
 * real consumer of serialised findings would; without, it only scans for
 * the one field it checks, a lower bound of the cost. @return M records/s
 */
static double json_pipe(uint64_t n, int parse)
{
	int fds[2];
	pid_t pid;
	FILE *in;
	char *line = NULL;
	size_t cap = 0;
	uint64_t t0 = now_ns(), got = 0, seq;
	char data[PAYLOAD - 16 + 1];

	memset(data, 'x', sizeof(data) - 1);
	data[sizeof(data) - 1] = '\0';
	if (pipe(fds) < 0)
		exit(2);
	if ((pid = fork()) == 0) {
		FILE *out = fdopen(fds[1], "w");
		uint64_t k;

		close(fds[0]);
		for (k = 0; k < n; k++)
			fprintf(out, "{\"producer\":0,\"seq\":%" PRIu64 ",\"ts\":%" PRIu64 ",\"data\":\"%s\"}\n",
				k, (uint64_t)0, data);
		fclose(out);
		_exit(0);
	}
	close(fds[1]);
	in = fdopen(fds[0], "r");
	while (getline(&line, &cap, in) > 0) {
		if (parse) {
			json_t *root = json_loads(line, 0, NULL);

			seq = root ? (uint64_t)json_integer_value(json_object_get(root, "seq")) : UINT64_MAX;
			if (!root || !json_string_value(json_object_get(root, "data")))
				seq = UINT64_MAX;
			json_decref(root);
		} else {
			const char *p = strstr(line, "\"seq\":");
			const char *d = strstr(line, "\"data\":\"");

			seq = p && d ? strtoull(p + 6, NULL, 10) : UINT64_MAX;
		}
		if (seq != got) {
			fprintf(stderr, "bench: bad JSON line\n");
			exit(1);
		}
		got++;
	}
	fclose(in);
	free(line);
	waitpid(pid, NULL, 0);
	return (double)got / ((double)(now_ns() - t0) / 1e9) / 1e6;
}

int main(int argc, char **argv)
{
	int quick = argc > 1 && !strcmp(argv[1], "--quick");
	uint64_t n = quick ? 2000000 : 50000000, i, t, sink = 0;
	unsigned nprod = 4;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	const char *dets[] = { "syntax", "imports", "docs", "drift" };
	wm_board_options bo = WM_BOARD_OPTIONS_INIT;
	wm_board *b = NULL;
	wm_board_snapshot *snap = malloc(sizeof(*snap));
	struct ring_result r1, rn;
	double pub, js, jsp, rd, inc, sn;
	uint64_t il50, il99;

	r1 = ring_run(1, n);
	rn = ring_run(nprod, n);
	pub = publish_cost();
	idle_latency(&il50, &il99);
	js = json_pipe(n / 10, 0);
	jsp = json_pipe(n / 20, 1);

	bo.nworkers = (uint32_t)(cores > 0 ? cores : 2);
	bo.nfiles = 5000;
	bo.detectors = dets;
	bo.ndetectors = 4;
	if (!snap || wm_board_create(&b, &bo) < 0)
		return 2;
	t = now_ns();
	for (i = 0; i < n * 5; i++)
		sink += wm_board_files_done(b);
	rd = (double)(now_ns() - t) / (double)(n * 5);
	t = now_ns();
	for (i = 0; i < n; i++)
		wm_board_add_findings(b, i & 3, 3, 1);
	inc = (double)(now_ns() - t) / (double)n;
	t = now_ns();
	for (i = 0; i < n / 10; i++)
		wm_board_snapshot_take(snap, b);
	sn = (double)(now_ns() - t) / (double)(n / 10);

	printf("wm shared-core benchmark (%s, %ld cores, %" PRIu64 " records per ring run)\n",
		quick ? "quick" : "full", cores, n);
	printf("ring, 1 producer process:   %7.1f M records/s  latency p50 %" PRIu64 " ns, p99 %" PRIu64 " ns\n",
		r1.mrec_s, r1.lat_p50, r1.lat_p99);
	printf("ring, %u producer processes: %7.1f M records/s  latency p50 %" PRIu64 " ns, p99 %" PRIu64 " ns\n",
		nprod, rn.mrec_s, rn.lat_p50, rn.lat_p99);
	printf("ring publish, not full:     %7.1f ns median\n", pub);
	printf("ring latency, idle consumer: p50 %" PRIu64 " ns, p99 %" PRIu64 " ns (one record every 20 us)\n", il50, il99);
	printf("JSON lines over a pipe, parsed (jansson):  %7.2f M records/s\n", jsp);
	printf("JSON lines over a pipe, one field scanned: %7.2f M records/s\n", js);
	printf("board counter read:         %7.2f ns\n", rd);
	printf("board counter increment:    %7.2f ns\n", inc);
	printf("board snapshot:             %7.1f ns (%u workers)\n", sn, (unsigned)bo.nworkers);
	printf("ratio ring(1) / JSON parsed:  %7.1f x   (/ JSON scanned: %.1f x)\n", r1.mrec_s / jsp, r1.mrec_s / js);
	printf("ratio ring(%u) / JSON parsed:  %7.1f x   (/ JSON scanned: %.1f x)\n", nprod, rn.mrec_s / jsp, rn.mrec_s / js);
	printf("targets: ring >= 20 M/s %s, >= 20x JSON parsed %s, publish < 50 ns %s, read < 10 ns %s, snapshot < 1 us %s\n",
		r1.mrec_s >= 20 ? "met" : "MISSED", r1.mrec_s / jsp >= 20 ? "met" : "MISSED",
		pub < 50 ? "met" : "MISSED", rd < 10 ? "met" : "MISSED", sn < 1000 ? "met" : "MISSED");
	if (sink == 42)
		printf("\n");
	wm_board_free(b);
	free(snap);
	return 0;
}
