/*
 * wm-board - watch a running scan; the repository's health over history.
 *
 * Without a mode, finds the scan's board (`<commondir>/wm/board-<pid>`),
 * maps it read-only and prints it: one JSON snapshot with --json, one text
 * snapshot when standard output is not a terminal, and a display refreshed
 * every --interval milliseconds on a terminal until the scan ends.
 *
 * --history [RANGE] fills the immune memory with the health of the range's
 * commits (lib/health.c) and prints sparklines; --html writes the HTML
 * report (a scan of the working tree, with the stored history's charts).
 * Both are one libwm call each; printing is lib/report's.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wm/wm.h>

#include "cli.h"
#include "registry.h"

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

typedef struct history_args {
	const char *range;
	size_t limit;
	int jobs;
	const char *only;
	bool html;
	const char *output;
	bool progress_shown;
} history_args;

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static int show_progress(void *payload, const wm_health_progress *p)
{
	history_args *a = payload;

	wm_report_history_progress(stderr, p);
	a->progress_shown = true;
	return interrupted;
}

static int open_config(wm_config **cfg, wm_repo *repo)
{
	wm_buf path = WM_BUF_INIT;
	int error;

	if (!wm_repo_workdir(repo))
		return wm_config_default(cfg);
	if ((error = wm_buf_printf(&path, "%s.wm.yml", wm_repo_workdir(repo))) == 0)
		error = wm_config_load(cfg, path.ptr);
	wm_buf_dispose(&path);
	return error;
}

/* --history: fill the memory for the range, then print the sparklines. */
static int history(wm_repo *repo, history_args *a)
{
	wm_health_options hopts = WM_HEALTH_OPTIONS_INIT;
	wm_health_fill_stats stats;
	wm_health_history *h = NULL;
	wm_memory *mem = NULL;
	wm_config *cfg = NULL;
	struct sigaction sa;
	int rc = WM_EXIT_PASS, error;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if ((error = open_config(&cfg, repo)) < 0 || (error = wm_memory_open(&mem, repo)) < 0) {
		rc = error == WM_ECONFIG ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
		goto fail;
	}
	hopts.detectors = wm_detectors_builtin;
	hopts.ndetectors = wm_detectors_builtin_count;
	hopts.only = a->only;
	hopts.jobs = a->jobs;
	hopts.range = a->range;
	hopts.limit = a->limit;
	if (isatty(STDERR_FILENO)) {
		hopts.progress = show_progress;
		hopts.progress_payload = a;
	}
	error = wm_health_fill(&stats, repo, cfg, mem, &hopts);
	if (a->progress_shown)
		fputs("\r\033[K", stderr);
	if (error < 0) {
		rc = error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
		goto fail;
	}
	fprintf(stderr, "wm-board: %zu commits: %zu computed, %zu from memory, %zu files scanned, %.1f s%s\n",
		stats.commits, stats.computed, stats.cached, stats.files_scanned,
		(double)stats.elapsed_ms / 1000.0, stats.stopped ? " (interrupted: run again to resume)" : "");
	if ((error = wm_health_load(&h, repo, mem, &hopts)) < 0 ||
	    (error = wm_report_history(stdout, h, isatty(STDOUT_FILENO) && !getenv("NO_COLOR"))) < 0) {
		rc = WM_EXIT_INTERNAL;
		goto fail;
	}
	if (stats.stopped)
		rc = 130;
	goto done;
fail:
	fprintf(stderr, "wm-board: %s\n", wm_error_last());
done:
	wm_health_history_free(h);
	wm_memory_free(mem);
	wm_config_free(cfg);
	return rc;
}

int main(int argc, char **argv)
{
	enum { OPT_HISTORY = 256, OPT_HTML, OPT_LIMIT, OPT_ONLY };
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "interval", required_argument, NULL, 'i' },
		{ "history", no_argument, NULL, OPT_HISTORY },
		{ "html", no_argument, NULL, OPT_HTML },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "output", required_argument, NULL, 'o' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	history_args hargs;
	bool want_history = false;
	wm_repo *repo = NULL;
	wm_board *board = NULL;
	wm_board_snapshot snap;
	char *path = NULL;
	const char *dir = NULL;
	long interval = 200;
	int json = 0, opt, rc = WM_EXIT_PASS;

	memset(&hargs, 0, sizeof(hargs));
	while ((opt = getopt_long(argc, argv, "C:o:j:h", options, NULL)) != -1) {
		switch (opt) {
		case 'J': json = 1; break;
		case OPT_HISTORY: want_history = true; break;
		case OPT_HTML: hargs.html = true; break;
		case OPT_LIMIT: hargs.limit = strtoul(optarg, NULL, 10); if (!hargs.limit) hargs.limit = SIZE_MAX; break;
		case OPT_ONLY: hargs.only = optarg; break;
		case 'o': hargs.output = optarg; break;
		case 'j': hargs.jobs = atoi(optarg); break;
		case 'i': interval = strtol(optarg, NULL, 10); break;
		case 'C': dir = optarg; break;
		case 'h':
			printf("Usage: wm-board [--json] [--interval MS] [-C DIR]\n"
				"       wm-board --history [RANGE] [--limit N] [--only LIST] [-j N] [-C DIR]\n"
				"       wm-board --html [-o FILE] [-C DIR]\n\n"
				"Watch the running wm-scan of the repository in DIR (default: here).\n"
				"--json prints one snapshot; on a terminal the display refreshes until\n"
				"the scan ends. Exit status: 0, or 1 when no scan is running.\n\n"
				"--history computes the health of the commits of RANGE (REV or A..B along\n"
				"the first parent; default HEAD, the newest --limit commits, 200 by default,\n"
				"0 for all) that the immune memory (.git/wm/memory.sqlite) lacks, and prints\n"
				"a sparkline per metric. Interrupt it at any time: the next run resumes.\n"
				"--only chooses the detectors run per commit (default: history.detectors).\n\n"
				"--html writes the HTML report of the working tree with the stored history's\n"
				"charts to FILE (default: standard output).\n");
			return WM_EXIT_PASS;
		default:
			return WM_EXIT_USAGE;
		}
	}
	if (want_history && optind < argc)
		hargs.range = argv[optind++];
	if (optind < argc) {
		fprintf(stderr, "wm-board: unexpected argument \"%s\"\n", argv[optind]);
		return WM_EXIT_USAGE;
	}
	if (hargs.html) {
		char *args[8];
		int n = 0;

		/* The same report wm-scan --format html writes. */
		args[n++] = (char *)"wm-board";
		args[n++] = (char *)"--format=html";
		args[n++] = (char *)"--fail-on=never";
		if (dir) {
			args[n++] = (char *)"-C";
			args[n++] = (char *)dir;
		}
		if (hargs.output) {
			args[n++] = (char *)"-o";
			args[n++] = (char *)hargs.output;
		}
		args[n] = NULL;
		optind = 1;
		return wm_cli_main(n, args, "wm-board", NULL);
	}
	if (interval < 10)
		interval = 10;
	if (wm_repo_open(&repo, dir ? dir : ".") < 0) {
		fprintf(stderr, "wm-board: %s\n", wm_error_last());
		rc = WM_EXIT_USAGE;
		goto done;
	}
	if (want_history) {
		rc = history(repo, &hargs);
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
