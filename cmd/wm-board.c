/*
 * wm-board - watch a running scan of the current repository.
 *
 * Finds the scan's board (`<commondir>/wm/board-<pid>`), maps it read-only
 * and prints it: one JSON snapshot with --json, one text snapshot when
 * standard output is not a terminal, and a display refreshed every
 * --interval milliseconds on a terminal until the scan ends.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wm/wm.h>

#include "cli.h"

static const char *state_name(wm_board_state s)
{
	switch (s) {
	case WM_BOARD_WORKER_RUNNING: return "running";
	case WM_BOARD_WORKER_EXITED: return "exited";
	case WM_BOARD_WORKER_DEAD: return "dead";
	default: return "empty";
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(out, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(out, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, out);
	}
	fputc('"', out);
}

static void print_json(FILE *out, const wm_board_snapshot *s)
{
	size_t i, j;

	fprintf(out, "{\"scan_pid\":%d,\"repo\":", (int)s->scan_pid);
	json_str(out, s->repo);
	fprintf(out, ",\"finished\":%s,\"elapsed_ms\":%llu,\"files\":{\"total\":%llu,\"claimed\":%llu,\"done\":%llu},"
		"\"findings\":%llu,\"detectors\":[",
		s->finished ? "true" : "false", (unsigned long long)(now_ms() - s->started_ms),
		(unsigned long long)s->files_total, (unsigned long long)s->files_claimed,
		(unsigned long long)s->files_done, (unsigned long long)s->findings);
	for (i = 0; i < s->ndetectors; i++) {
		fprintf(out, "%s{\"name\":", i ? "," : "");
		json_str(out, s->detectors[i]);
		fprintf(out, ",\"time_ms\":%.3f,\"findings\":{", (double)s->time_ns[i] / 1e6);
		for (j = 1; j < 5; j++)
			fprintf(out, "%s\"%s\":%llu", j > 1 ? "," : "", wm_severity_name((wm_severity)j),
				(unsigned long long)s->findings_by[i][j]);
		fputs("}}", out);
	}
	fputs("],\"workers\":[", out);
	for (i = 0; i < s->nworkers; i++) {
		fprintf(out, "%s{\"slot\":%zu,\"pid\":%d,\"state\":\"%s\",\"heartbeat_age_ms\":%llu,\"files_done\":%llu,\"current\":",
			i ? "," : "", i, (int)s->workers[i].pid, state_name(s->workers[i].state),
			(unsigned long long)(s->workers[i].heartbeat_ms ? now_ms() - s->workers[i].heartbeat_ms : 0),
			(unsigned long long)s->workers[i].files_done);
		json_str(out, s->workers[i].path);
		fputc('}', out);
	}
	fputs("]}\n", out);
}

static void print_text(FILE *out, const wm_board_snapshot *s)
{
	size_t i;

	fprintf(out, "scan %d of %s%s\n", (int)s->scan_pid, s->repo, s->finished ? " (finished)" : "");
	fprintf(out, "files %llu/%llu done, %llu findings, %.1f s\n",
		(unsigned long long)s->files_done, (unsigned long long)s->files_total,
		(unsigned long long)s->findings, (double)(now_ms() - s->started_ms) / 1000.0);
	for (i = 0; i < s->ndetectors; i++)
		if (s->time_ns[i] || s->findings_by[i][1] + s->findings_by[i][2] + s->findings_by[i][3] + s->findings_by[i][4])
			fprintf(out, "  %-12s %8.1f ms  %llu error %llu warning %llu info\n", s->detectors[i],
				(double)s->time_ns[i] / 1e6, (unsigned long long)(s->findings_by[i][3] + s->findings_by[i][4]),
				(unsigned long long)s->findings_by[i][2], (unsigned long long)s->findings_by[i][1]);
	for (i = 0; i < s->nworkers; i++)
		fprintf(out, "  worker %zu  pid %-7d %-8s %6llu files  %s\n", i, (int)s->workers[i].pid,
			state_name(s->workers[i].state), (unsigned long long)s->workers[i].files_done,
			s->workers[i].path);
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "interval", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	wm_repo *repo = NULL;
	wm_board *board = NULL;
	wm_board_snapshot snap;
	char *path = NULL;
	const char *dir = NULL;
	long interval = 200;
	int json = 0, opt, rc = WM_EXIT_PASS;

	while ((opt = getopt_long(argc, argv, "C:h", options, NULL)) != -1) {
		switch (opt) {
		case 'J': json = 1; break;
		case 'i': interval = strtol(optarg, NULL, 10); break;
		case 'C': dir = optarg; break;
		case 'h':
			printf("Usage: wm-board [--json] [--interval MS] [-C DIR]\n\n"
				"Watch the running wm-scan of the repository in DIR (default: here).\n"
				"--json prints one snapshot; on a terminal the display refreshes until\n"
				"the scan ends. Exit status: 0, or 1 when no scan is running.\n");
			return WM_EXIT_PASS;
		default:
			return WM_EXIT_USAGE;
		}
	}
	if (interval < 10)
		interval = 10;
	if (wm_repo_open(&repo, dir ? dir : ".") < 0) {
		fprintf(stderr, "wm-board: %s\n", wm_error_last());
		rc = WM_EXIT_USAGE;
		goto done;
	}
	if (wm_board_find(&path, wm_repo_commondir(repo)) < 0 || wm_board_open(&board, path) < 0) {
		fprintf(stderr, "wm-board: %s\n", wm_error_last());
		rc = WM_EXIT_FINDINGS;
		goto done;
	}
	wm_board_snapshot_take(&snap, board);
	if (json || !isatty(STDOUT_FILENO)) {
		if (json)
			print_json(stdout, &snap);
		else
			print_text(stdout, &snap);
		goto done;
	}
	for (;;) {
		struct timespec step = { interval / 1000, (interval % 1000) * 1000000L };

		fputs("\033[H\033[J", stdout);
		print_text(stdout, &snap);
		fflush(stdout);
		if (snap.finished || kill(snap.scan_pid, 0) < 0)
			break;
		nanosleep(&step, NULL);
		wm_board_snapshot_take(&snap, board);
	}
done:
	wm_board_free(board);
	wm_free(path);
	wm_repo_free(repo);
	return rc;
}
