/*
 * wm-learn - antibodies learned from the repository's own history of fixes.
 *
 *   wm-learn [--dry-run] [--reset] [--max-commits N] [--max-files N] [--max-lines N]
 *            [--min-support N] [--no-findings] [--no-keywords]
 *            [--merges descend|squash|skip] [--max-unchanged K] [--min-precision PCT]
 *   wm-learn review [accept ID | reject ID]
 *   wm-learn eval --split DATE [--split DATE ...] [--window DAYS]
 *
 * Learning mines history (resumable: Ctrl-C stops after the current commit,
 * the next run goes on), generalises, and writes `.wm/antibodies/learned/`.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wm/wm.h>
#include <wm/learn.h>

#include "cli.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int on_progress(const wm_learn_progress *p, void *payload)
{
	if (payload)
		wm_report_learn_progress(stderr, p);
	return stop;
}

static int fail(const char *what)
{
	fprintf(stderr, "wm-learn: %s: %s\n", what, wm_error_last());
	return WM_EXIT_INTERNAL;
}

static int print(wm_buf *b)
{
	if (b->ptr)
		fputs(b->ptr, stdout);
	wm_buf_dispose(b);
	return 0;
}

static int parse_date(int64_t *out, const char *s)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	if (!(end = strptime(s, "%Y-%m-%d", &tm)) || *end)
		return -1;
	{
		/* Days since 1970-01-01 (Howard Hinnant's days_from_civil): timegm is not POSIX. */
		int64_t y = tm.tm_year + 1900 - (tm.tm_mon < 2), era = (y >= 0 ? y : y - 399) / 400;
		int64_t yoe = y - era * 400, m = tm.tm_mon + 1;
		int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + tm.tm_mday - 1;
		int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

		*out = (era * 146097 + doe - 719468) * 86400;
	}
	return 0;
}

static int mine(wm_repo *repo, wm_learn_options *o)
{
	wm_learn_mine_stats st;
	bool tty = isatty(STDERR_FILENO);
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	o->progress = on_progress;
	o->payload = tty ? o : NULL;
	if (wm_learn_mine(&st, repo, o) < 0)
		return fail("mining");
	if (tty)
		fputc('\n', stderr);
	fprintf(stderr, "mined %zu/%zu commits (%zu fixes, %zu new edits, %zu merges and %zu mass changes "
		"skipped", st.progress.done, st.progress.total, st.progress.fixes, st.progress.edits,
		st.skipped_merges, st.skipped_mass);
	if (st.descended)
		fprintf(stderr, ", %zu big merges walked into: %zu commits", st.descended, st.branch_commits);
	fprintf(stderr, ") in %.1f s%s\n", st.progress.elapsed, st.interrupted ? "; interrupted: run again to resume" : "");
	return st.interrupted ? 1 : 0;
}

static int cmd_review(wm_repo *repo, int argc, char **argv)
{
	wm_learn_pending *list = NULL;
	wm_buf out = WM_BUF_INIT;
	size_t n = 0;
	int error;

	if (argc == 3 && !strcmp(argv[1], "accept")) {
		if ((error = wm_learn_accept(repo, argv[2])) < 0)
			return error == WM_ENOTFOUND ? (fprintf(stderr, "wm-learn: %s\n", wm_error_last()),
				WM_EXIT_USAGE) : fail("accept");
		printf("accepted %s: moved to .wm/antibodies/%s.yml\n", argv[2], argv[2]);
		return WM_EXIT_PASS;
	}
	if (argc == 3 && !strcmp(argv[1], "reject")) {
		if ((error = wm_learn_reject(repo, argv[2])) < 0)
			return error == WM_ENOTFOUND ? (fprintf(stderr, "wm-learn: %s\n", wm_error_last()),
				WM_EXIT_USAGE) : fail("reject");
		printf("rejected %s: it will not be learned again\n", argv[2]);
		return WM_EXIT_PASS;
	}
	if (argc != 1) {
		fprintf(stderr, "usage: wm-learn review [accept ID | reject ID]\n");
		return WM_EXIT_USAGE;
	}
	if (wm_learn_pending_list(&list, &n, repo) < 0 || wm_report_learn_pending(&out, list, n) < 0) {
		wm_learn_pending_free(list, n);
		return fail("review");
	}
	wm_learn_pending_free(list, n);
	print(&out);
	return WM_EXIT_PASS;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "reset", no_argument, NULL, 'R' },
		{ "max-commits", required_argument, NULL, 'c' },
		{ "max-files", required_argument, NULL, 'f' },
		{ "max-lines", required_argument, NULL, 'l' },
		{ "min-support", required_argument, NULL, 's' },
		{ "no-findings", no_argument, NULL, 'F' },
		{ "no-keywords", no_argument, NULL, 'K' },
		{ "split", required_argument, NULL, 'S' },
		{ "merges", required_argument, NULL, 'M' },
		{ "max-unchanged", required_argument, NULL, 'u' },
		{ "min-precision", required_argument, NULL, 'P' },
		{ "window", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	wm_learn_options o = WM_LEARN_OPTIONS_INIT;
	wm_repo *repo = NULL;
	wm_learn_rules *rules = NULL;
	wm_learn_eval_result *res = NULL;
	wm_buf out = WM_BUF_INIT;
	int64_t splits[32], window = 365 * 86400LL;
	size_t nsplits = 0;
	bool dry = false, reset = false;
	const char *sub = NULL;
	int c, code = WM_EXIT_PASS, mined;

	if (argc > 1 && (!strcmp(argv[1], "review") || !strcmp(argv[1], "eval"))) {
		sub = argv[1];
		argc--;
		argv++;
	}
	while (!(sub && !strcmp(sub, "review")) && (c = getopt_long(argc, argv, "nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': dry = true; break;
		case 'R': reset = true; break;
		case 'c': o.max_commits = strtoul(optarg, NULL, 10); break;
		case 'f': o.max_files = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'l': o.max_lines = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 's': o.min_support = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'F': o.findings = false; break;
		case 'K': o.keywords = false; break;
		case 'S':
			if (nsplits == 32 || parse_date(&splits[nsplits++], optarg) < 0) {
				fprintf(stderr, "wm-learn: --split wants YYYY-MM-DD (at most 32), got \"%s\"\n", optarg);
				return WM_EXIT_USAGE;
			}
			break;
		case 'M':
			if (strcmp(optarg, "descend") && strcmp(optarg, "squash") && strcmp(optarg, "skip")) {
				fprintf(stderr, "wm-learn: --merges wants descend, squash or skip, got \"%s\"\n", optarg);
				return WM_EXIT_USAGE;
			}
			o.squash_merges = strcmp(optarg, "skip") != 0;
			o.descend_merges = !strcmp(optarg, "descend");
			break;
		case 'u': o.max_unchanged = (uint32_t)strtoul(optarg, NULL, 10); break;
		case 'P': {
			char *end;
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end || v > 100) {
				fprintf(stderr, "wm-learn: --min-precision wants a percentage 0-100, got \"%s\"\n", optarg);
				return WM_EXIT_USAGE;
			}
			o.min_precision = (uint32_t)v;
			break;
		}
		case 'w': window = strtoll(optarg, NULL, 10) * 86400LL; break;
		case 'h':
			printf("Usage: wm-learn [--dry-run] [--reset] [--max-commits N] [--max-files N] [--max-lines N]\n"
				"                [--min-support N] [--no-findings] [--no-keywords]\n"
				"                [--merges descend|squash|skip] [--max-unchanged K] [--min-precision PCT]\n"
				"       wm-learn review [accept ID | reject ID]\n"
				"       wm-learn eval --split YYYY-MM-DD [--split ...] [--window DAYS]\n");
			return WM_EXIT_PASS;
		default:
			return WM_EXIT_USAGE;
		}
	}
	if (o.min_support < 2)
		o.min_support = 2;
	if (wm_repo_open(&repo, NULL) < 0) {
		fprintf(stderr, "wm-learn: %s\n", wm_error_last());
		return WM_EXIT_USAGE;
	}
	if (sub && !strcmp(sub, "review")) {
		code = cmd_review(repo, argc, argv);
		goto done;
	}
	if (sub && !nsplits) {
		fprintf(stderr, "wm-learn eval: at least one --split DATE\n");
		code = WM_EXIT_USAGE;
		goto done;
	}
	if (reset && wm_learn_reset(repo) < 0) {
		code = fail("reset");
		goto done;
	}
	/* eval judges what is mined so far; learning waits for the whole history. */
	if ((mined = mine(repo, &o)) != 0 && !(sub && mined == 1)) {
		code = mined == 1 ? WM_EXIT_FINDINGS : mined;
		goto done;
	}
	if (sub) {
		if (wm_learn_eval(&res, repo, &o, splits, nsplits, window) < 0 ||
		    wm_report_learn_eval(&out, res) < 0) {
			code = fail("eval");
			goto done;
		}
		print(&out);
		goto done;
	}
	if (wm_learn_generalise(&rules, repo, &o) < 0) {
		code = fail("generalising");
		goto done;
	}
	if (wm_report_learn_rules(&out, rules, dry) < 0) {
		code = fail("report");
		goto done;
	}
	print(&out);
	if (!dry && wm_learn_write(repo, rules) < 0)
		code = fail("writing rules");
	else if (!dry)
		printf("\nwrote %zu rules to .wm/antibodies/learned/ (wm-learn review)\n", rules->count);
done:
	wm_learn_rules_free(rules);
	wm_learn_eval_free(res);
	wm_buf_dispose(&out);
	wm_repo_free(repo);
	return code;
}
