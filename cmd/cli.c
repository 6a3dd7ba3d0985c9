/*
 * cli.c - the command line of wm-scan and the per-detector commands.
 *
 * Every command takes the same options and differs only in which detectors
 * it runs, so they share this one driver: parse options, open the
 * repository, load `.wm.yml`, call wm_scan_run(), hand the result to the
 * reporter, and map the outcome to the exit codes of DESIGN.md 3.5. It
 * holds no scanning logic of its own.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <wm/wm.h>

#include "cli.h"
#include "registry.h"

typedef struct cli {
	const char *prog;
	const char *detector;     /* fixed by a per-detector command, else NULL */
	const char *path;
	const char *dir;          /* -C */
	const char *config_path;
	const char *output;
	const char *only;
	const char *skip;
	const char *baseline;
	bool no_baseline;
	bool write_baseline;
	bool quarantine;
	const char *restore;
	const char *color;
	wm_targets_options targets;
	wm_format format;
	wm_severity fail_on;
	bool fail_on_set;
	bool keep_going;
	bool list_rules;
	bool fix;
	bool dry_run;
	bool undo;
	bool coverage;            /* wm-docs --coverage */
	int jobs;
	long hang_timeout_ms;
	bool progress_shown;
} cli;

static void usage(FILE *out, const cli *c)
{
	fprintf(out,
		"Usage: %s [OPTIONS] [PATH]\n"
		"\n"
		"Scan the git repository that contains PATH (default: the current directory).\n"
		"When PATH is a subdirectory or a file, only findings under it are reported.\n"
		"\n"
		"What to scan (one of):\n"
		"      --all            every file of the working tree (default)\n"
		"      --staged         the index: exactly what the next commit will contain\n"
		"      --diff BASE      files changed between the merge base of BASE and HEAD\n"
		"      --rev REV        every file of commit REV\n"
		"\n"
		"Output:\n"
		"  -f, --format FMT     text (default), json, sarif, github or html (a self-contained\n"
		"                       page with health charts from wm-board --history)\n"
		"  -o, --output FILE    write the report to FILE instead of standard output\n"
		"      --color WHEN     auto (default), always or never; NO_COLOR is honoured\n"
		"\n"
		"Responses:\n"
		"      --fix            apply the fixes findings carry, verify them by scanning\n"
		"                       again, and keep only those the new scan confirms\n"
		"      --dry-run        with --fix: print the fixes as a unified diff, write nothing\n"
		"      --undo           revert the last --fix run (files changed since are left alone)\n"
		"      --quarantine     with --staged: take files with a critical finding that has\n"
		"                       no fix out of the commit, keeping their content under\n"
		"                       refs/wm/quarantine/ (see wm-quarantine)\n"
		"      --restore FILE   put back FILE's newest version in history that has no\n"
		"                       finding (the damaged one is kept; --undo reverts)\n"
		"      --write-baseline record today's findings in .wm/baseline.json; later scans\n"
		"                       fail only on findings not in it\n"
		"      --baseline FILE  use this baseline (default: .wm/baseline.json when present)\n"
		"      --no-baseline    report every finding, baseline or not\n"
		"\n"
		"The gate:\n"
		"      --fail-on SEV    fail on findings of this severity or worse: info, warning,\n"
		"                       error (default), critical, or never\n"
		"%s"
		"      --skip LIST      drop findings of these rules or detectors (comma-separated;\n"
		"                       the WM_SKIP environment variable adds to it)\n"
		"      --config FILE    configuration (default: .wm.yml at the repository root)\n"
		"  -C DIR               run as if started in DIR\n"
		"  -j, --jobs N         worker processes (default: one per core; 1 scans in-process)\n"
		"      --hang-timeout MS  kill a worker silent this long (default: 60000)\n"
		"      --keep-going     internal errors do not fail the run\n"
		"      --list-rules     list the detectors and their rules, then exit\n"
		"%s"
		"  -h, --help           show this help\n"
		"  -V, --version        show the version\n"
		"\n"
		"Exit status: 0 passed, 1 findings at or above --fail-on, 2 usage or\n"
		"configuration error, 3 internal error.\n",
		c->prog,
		c->detector ? "" :
		"      --only LIST      run only these detectors (comma-separated)\n",
		c->detector && !strcmp(c->detector, "docs") ?
		"      --coverage       after the findings, print the documentation coverage table\n" : "");
}

static int fail(const cli *c, int code, const char *fmt, ...) WM_PRINTF(3, 4);

static int fail(const cli *c, int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

static int set_scope(cli *c, wm_scope scope, const char *rev, bool *scope_set)
{
	if (*scope_set)
		return fail(c, WM_EXIT_USAGE, "%s", "--all, --staged, --diff and --rev are exclusive");
	*scope_set = true;
	c->targets.scope = scope;
	c->targets.rev = rev;
	return 0;
}

static int parse_args(cli *c, int argc, char **argv)
{
	enum { OPT_STAGED = 256, OPT_ALL, OPT_DIFF, OPT_REV, OPT_FAIL_ON, OPT_ONLY,
		OPT_CONFIG, OPT_COLOR, OPT_KEEP_GOING, OPT_LIST_RULES, OPT_FIX, OPT_DRY_RUN, OPT_UNDO, OPT_SKIP,
		OPT_BASELINE, OPT_NO_BASELINE, OPT_WRITE_BASELINE, OPT_QUARANTINE,
		OPT_RESTORE, OPT_COVERAGE, OPT_HANG_TIMEOUT };
	static const struct option options[] = {
		{ "staged", no_argument, NULL, OPT_STAGED },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "rev", required_argument, NULL, OPT_REV },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "only", required_argument, NULL, OPT_ONLY },
		{ "config", required_argument, NULL, OPT_CONFIG },
		{ "color", required_argument, NULL, OPT_COLOR },
		{ "colour", required_argument, NULL, OPT_COLOR },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep-going", no_argument, NULL, OPT_KEEP_GOING },
		{ "hang-timeout", required_argument, NULL, OPT_HANG_TIMEOUT },
		{ "list-rules", no_argument, NULL, OPT_LIST_RULES },
		{ "fix", no_argument, NULL, OPT_FIX },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "undo", no_argument, NULL, OPT_UNDO },
		{ "skip", required_argument, NULL, OPT_SKIP },
		{ "baseline", required_argument, NULL, OPT_BASELINE },
		{ "no-baseline", no_argument, NULL, OPT_NO_BASELINE },
		{ "write-baseline", no_argument, NULL, OPT_WRITE_BASELINE },
		{ "quarantine", no_argument, NULL, OPT_QUARANTINE },
		{ "restore", required_argument, NULL, OPT_RESTORE },
		{ "coverage", no_argument, NULL, OPT_COVERAGE },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	bool scope_set = false;
	char *end;
	long n;
	int opt, rc;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":f:o:C:j:hV", options, NULL)) != -1) {
		rc = 0;
		switch (opt) {
		case OPT_STAGED: rc = set_scope(c, WM_SCOPE_STAGED, NULL, &scope_set); break;
		case OPT_ALL: rc = set_scope(c, WM_SCOPE_ALL, NULL, &scope_set); break;
		case OPT_DIFF: rc = set_scope(c, WM_SCOPE_DIFF, optarg, &scope_set); break;
		case OPT_REV: rc = set_scope(c, WM_SCOPE_COMMIT, optarg, &scope_set); break;
		case 'f':
			if (wm_format_parse(&c->format, optarg) < 0)
				return fail(c, WM_EXIT_USAGE, "unknown format \"%s\" (expected text, json, sarif, github or html)", optarg);
			break;
		case 'o': c->output = optarg; break;
		case 'C': c->dir = optarg; break;
		case OPT_FAIL_ON:
			if (wm_severity_parse(&c->fail_on, optarg) < 0)
				return fail(c, WM_EXIT_USAGE, "unknown severity \"%s\" (expected info, warning, error, critical or never)", optarg);
			c->fail_on_set = true;
			break;
		case OPT_ONLY:
			if (c->detector)
				return fail(c, WM_EXIT_USAGE, "%s", "--only is for wm-scan; this command runs one detector");
			c->only = optarg;
			break;
		case OPT_CONFIG: c->config_path = optarg; break;
		case OPT_COLOR:
			if (strcmp(optarg, "auto") && strcmp(optarg, "always") && strcmp(optarg, "never"))
				return fail(c, WM_EXIT_USAGE, "--color takes auto, always or never, not \"%s\"", optarg);
			c->color = optarg;
			break;
		case 'j':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 0 || n > 1024)
				return fail(c, WM_EXIT_USAGE, "-j takes a number of workers from 0 to 1024, not \"%s\"", optarg);
			c->jobs = (int)n;
			break;
		case OPT_KEEP_GOING: c->keep_going = true; break;
		case OPT_HANG_TIMEOUT:
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || *end || n < 1 || n > 86400000)
				return fail(c, WM_EXIT_USAGE, "--hang-timeout takes milliseconds from 1 to 86400000, not \"%s\"", optarg);
			c->hang_timeout_ms = n;
			break;
		case OPT_LIST_RULES: c->list_rules = true; break;
		case OPT_FIX: c->fix = true; break;
		case OPT_DRY_RUN: c->fix = c->dry_run = true; break;
		case OPT_UNDO: c->undo = true; break;
		case OPT_SKIP: c->skip = optarg; break;
		case OPT_BASELINE: c->baseline = optarg; break;
		case OPT_NO_BASELINE: c->no_baseline = true; break;
		case OPT_WRITE_BASELINE: c->write_baseline = true; break;
		case OPT_QUARANTINE: c->quarantine = true; break;
		case OPT_RESTORE: c->restore = optarg; break;
		case OPT_COVERAGE:
			if (!c->detector || strcmp(c->detector, "docs"))
				return fail(c, WM_EXIT_USAGE, "%s", "--coverage is for wm-docs");
			c->coverage = true;
			break;
		case 'h': usage(stdout, c); exit(WM_EXIT_PASS);
		case 'V': printf("%s %s\n", c->prog, wm_version()); exit(WM_EXIT_PASS);
		case ':':
			return fail(c, WM_EXIT_USAGE, "option %s needs a value (see --help)", argv[optind - 1]);
		default:
			return fail(c, WM_EXIT_USAGE, "unknown option %s (see --help)", argv[optind - 1]);
		}
		if (rc)
			return rc;
	}
	if (c->coverage && c->format != WM_FORMAT_TEXT)
		return fail(c, WM_EXIT_USAGE, "%s", "--coverage prints a text table: use it with --format text");
	if (optind < argc)
		c->path = argv[optind++];
	if (optind < argc)
		return fail(c, WM_EXIT_USAGE, "unexpected argument \"%s\": one PATH at most", argv[optind]);
	if (c->undo && c->fix)
		return fail(c, WM_EXIT_USAGE, "%s", "--undo and --fix are exclusive");
	return 0;
}

static int list_rules(const cli *c)
{
	size_t i, j;

	for (i = 0; i < wm_detectors_builtin_count; i++) {
		const wm_detector *d = wm_detectors_builtin[i];

		if (c->detector && strcmp(c->detector, d->name))
			continue;
		printf("%s\n", d->name);
		for (j = 0; j < d->nrules; j++)
			printf("  %-28s %-8s %s\n", d->rules[j].id,
				wm_severity_name(d->rules[j].severity), d->rules[j].summary);
		/* Antibody rules come from the repository's store, not from the binary. */
		if (!strcmp(d->name, "antibody"))
			printf("  %-28s %-8s %s\n", "(each antibody)", "", "its own rule id: `wm-antibody stats` lists "
				"the rules a scan here loads, with their severity and record");
	}
	return WM_EXIT_PASS;
}

/*
 * The repository-relative directory (or file) that PATH names, so that
 * `wm-scan src/` reports only on src/. Empty when PATH is the top level.
 */
static int path_prefix(char **out, const char *workdir, const char *path)
{
	char *real = NULL;
	size_t n;

	*out = NULL;
	if (!workdir || !path)
		return 0;
	if (!(real = realpath(path, NULL)))
		return -1;
	n = strlen(workdir);
	if (n && workdir[n - 1] == '/')
		n--;
	if (!strncmp(real, workdir, n) && real[n] == '/' && real[n + 1]) {
		*out = wm_strdup(real + n + 1);
		if (!*out) {
			free(real);
			return -1;
		}
	}
	free(real);
	return 0;
}

/*
 * The progress line: files done/total, findings, rate, from the board.
 * Drawn on stderr only when stderr is a terminal, and erased before the
 * report is written.
 */
static void show_progress(void *payload, const wm_board *board)
{
	cli *c = payload;
	wm_board_snapshot snap;
	struct timespec ts;
	uint64_t now, ms;

	wm_board_snapshot_take(&snap, board);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	now = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
	ms = now > snap.started_ms ? now - snap.started_ms : 1;
	fprintf(stderr, "\r\033[K%s: %llu/%llu files, %llu findings, %.0f files/s",
		c->prog, (unsigned long long)snap.files_done, (unsigned long long)snap.files_total,
		(unsigned long long)snap.findings, (double)snap.files_done * 1000.0 / (double)ms);
	fflush(stderr);
	c->progress_shown = true;
}

static bool use_color(const cli *c, FILE *out)
{
	const char *no_color = getenv("NO_COLOR");

	if (c->format != WM_FORMAT_TEXT)
		return false;
	if (c->color && !strcmp(c->color, "always"))
		return true;
	if (c->color && !strcmp(c->color, "never"))
		return false;
	if (no_color && *no_color)
		return false;
	return isatty(fileno(out));
}

static int exit_code(const cli *c, const wm_config *cfg, const wm_scan_result *result)
{
	wm_severity fail_on = c->fail_on_set ? c->fail_on : wm_config_fail_on(cfg);
	int rc = WM_EXIT_PASS;
	size_t i;

	if (fail_on != WM_SEV_NONE)
		for (i = fail_on; i < WM_SEV__COUNT; i++)
			if (result->summary.by_severity[i])
				rc = WM_EXIT_FINDINGS;
	if (result->summary.internal_errors && !c->keep_going)
		rc = WM_EXIT_INTERNAL;
	return rc;
}

/* Drop the findings the baseline knows; an explicit --baseline must exist. */
static int apply_baseline(const cli *c, wm_repo *repo, wm_scan_result *result)
{
	wm_baseline *baseline = NULL;
	wm_buf path = WM_BUF_INIT;
	size_t dropped;
	int rc = WM_EXIT_PASS, error;

	if (c->no_baseline || (!c->baseline && !wm_repo_workdir(repo)))
		return WM_EXIT_PASS;
	if (c->baseline)
		error = wm_buf_puts(&path, c->baseline);
	else
		error = wm_buf_printf(&path, "%s%s", wm_repo_workdir(repo), WM_BASELINE_PATH);
	if (error == 0)
		error = wm_baseline_load(&baseline, path.ptr);
	if (error == WM_ENOTFOUND && !c->baseline)
		error = 0;
	else if (error == 0)
		error = wm_baseline_filter(&dropped, baseline, result);
	if (error < 0)
		rc = fail(c, error == WM_ENOMEM ? WM_EXIT_INTERNAL : WM_EXIT_USAGE, "%s", wm_error_last());
	wm_baseline_free(baseline);
	wm_buf_dispose(&path);
	return rc;
}

/*
 * --quarantine: take the critical, unfixable files out of the commit, then
 * scan again so the exit code describes what will be committed.
 */
static int quarantine(const cli *c, wm_repo *repo, const wm_config *cfg, const wm_scan_options *sopts,
	wm_scan_result **result)
{
	wm_quarantines *q = NULL;
	size_t i;
	int rc = WM_EXIT_PASS, error;

	if (sopts->targets.scope != WM_SCOPE_STAGED)
		return fail(c, WM_EXIT_USAGE, "%s", "--quarantine works on what is staged: use it with --staged");
	if ((error = wm_quarantine_run(&q, repo, *result, WM_SEV_CRITICAL)) < 0)
		return fail(c, WM_EXIT_INTERNAL, "%s", wm_error_last());
	if (q->count) {
		fprintf(stderr, "%s: took %zu file%s out of this commit (the working tree is untouched):\n",
			c->prog, q->items[0].npaths, q->items[0].npaths == 1 ? "" : "s");
		for (i = 0; i < q->items[0].npaths; i++)
			fprintf(stderr, "  %s\n", q->items[0].paths[i]);
		fprintf(stderr, "%s: kept as refs/wm/quarantine/%s; put back with: wm-quarantine restore %s\n",
			c->prog, q->items[0].name, q->items[0].name);
		wm_scan_result_free(*result);
		*result = NULL;
		if ((error = wm_scan_run(result, repo, cfg, sopts)) < 0)
			rc = fail(c, WM_EXIT_INTERNAL, "%s", wm_error_last());
		else
			rc = apply_baseline(c, repo, *result);
	}
	wm_quarantines_free(q);
	return rc;
}

static int restore(const cli *c, wm_repo *repo, const wm_config *cfg, const wm_scan_options *sopts)
{
	wm_restore_report *report = NULL;
	char *rel = NULL;
	int rc = WM_EXIT_PASS, error;

	if (path_prefix(&rel, wm_repo_workdir(repo), c->restore) < 0 || !rel)
		return fail(c, WM_EXIT_USAGE, "%s is not a file of this working tree", c->restore);
	if ((error = wm_restore_run(&report, repo, cfg, sopts, rel)) < 0) {
		rc = fail(c, error == WM_ENOMEM || error == WM_EREPO ? WM_EXIT_INTERNAL : WM_EXIT_USAGE,
			"%s", wm_error_last());
	} else {
		fprintf(stderr, "%s: restored %s from commit %.12s (%zu version%s checked); the damaged "
			"content is kept as refs/wm/quarantine/%s (undo with: %s --undo)\n", c->prog,
			report->path, report->commit, report->checked, report->checked == 1 ? "" : "s",
			report->quarantine, c->prog);
	}
	wm_restore_report_free(report);
	wm_free(rel);
	return rc;
}

/*
 * The immune memory learns from what runs saw and what users kept: hits
 * of a scan, fixes a --fix run kept, fixes an --undo took back
 * (wm/antibody_memory.h). It is never a reason to fail the gate: a
 * memory that cannot be written costs a warning.
 */
typedef enum remember_what { REMEMBER_SCAN, REMEMBER_FIX, REMEMBER_UNDO } remember_what;

static bool has_antibody_finding(const wm_scan_result *result)
{
	size_t i;

	for (i = 0; i < result->findings.count; i++)
		if (result->findings.items[i].detector && !strcmp(result->findings.items[i].detector, "antibody"))
			return true;
	return false;
}

static void remember(const cli *c, wm_repo *repo, remember_what what, const void *data)
{
	wm_memory *mem = NULL;
	int error;

	/* Open (and so create) the memory only when there is something to say. */
	if (what == REMEMBER_SCAN && !has_antibody_finding(data))
		return;
	if ((error = wm_memory_open(&mem, repo)) == 0) {
		if (what == REMEMBER_SCAN)
			error = wm_antibody_memory_record_scan(mem, data);
		else if (what == REMEMBER_FIX)
			error = wm_antibody_memory_record_fixes(mem, data);
		else
			error = wm_antibody_memory_record_undo(mem, data);
	}
	if (error < 0)
		fprintf(stderr, "%s: warning: immune memory not updated: %s\n", c->prog, wm_error_last());
	wm_error_clear();
	wm_memory_free(mem);
}

static int undo(const cli *c, wm_repo *repo)
{
	wm_undo_report *report = NULL;
	size_t i;
	int rc = WM_EXIT_PASS, error;

	if ((error = wm_fix_undo(&report, repo)) < 0)
		return fail(c, error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL, "%s", wm_error_last());
	remember(c, repo, REMEMBER_UNDO, report);
	if (wm_report_undo(stdout, report) < 0)
		rc = fail(c, WM_EXIT_INTERNAL, "%s", wm_error_last());
	for (i = 0; i < report->count && rc == WM_EXIT_PASS; i++)
		if (!report->files[i].restored)
			rc = WM_EXIT_FINDINGS;
	wm_undo_report_free(report);
	return rc;
}

/*
 * --fix: apply, verify, and scan once more so that the report and the exit
 * code describe the repository as the fixes left it.
 */
static int fix(const cli *c, wm_repo *repo, const wm_config *cfg, const wm_scan_options *sopts,
	wm_scan_result **result)
{
	wm_fix_options fopts = WM_FIX_OPTIONS_INIT;
	wm_fix_report *report = NULL;
	size_t i, written = 0;
	int rc = WM_EXIT_PASS, error;

	fopts.dry_run = c->dry_run;
	if ((error = wm_fix_run(&report, repo, cfg, sopts, *result, &fopts)) < 0)
		return fail(c, error == WM_EUSAGE ? WM_EXIT_USAGE : WM_EXIT_INTERNAL, "%s", wm_error_last());
	if (!c->dry_run)
		remember(c, repo, REMEMBER_FIX, report);
	if (wm_report_fix(c->dry_run ? stdout : stderr, report, c->dry_run) < 0) {
		rc = fail(c, WM_EXIT_INTERNAL, "%s", wm_error_last());
		goto done;
	}
	for (i = 0; i < report->count; i++)
		if (report->files[i].status == WM_FIX_APPLIED || report->files[i].status == WM_FIX_PARTIAL)
			written++;
	if (!c->dry_run && written) {
		wm_scan_result_free(*result);
		*result = NULL;
		if ((error = wm_scan_run(result, repo, cfg, sopts)) < 0)
			rc = fail(c, WM_EXIT_INTERNAL, "%s", wm_error_last());
	}
done:
	wm_fix_report_free(report);
	return rc;
}

/*
 * The stored health history for the HTML report's charts. A report
 * without charts is still a report: failures leave `out` NULL.
 */
static void load_history(wm_health_history **out, wm_repo *repo)
{
	wm_memory *mem = NULL;

	if (wm_memory_open(&mem, repo) < 0 || wm_health_load(out, repo, mem, NULL) < 0)
		*out = NULL;
	wm_error_clear();
	wm_memory_free(mem);
}

int wm_cli_main(int argc, char **argv, const char *prog, const char *detector)
{
	const wm_targets_options topts = WM_TARGETS_OPTIONS_INIT;
	wm_scan_options sopts = WM_SCAN_OPTIONS_INIT;
	wm_report_options ropts = WM_REPORT_OPTIONS_INIT;
	cli c;
	wm_repo *repo = NULL;
	wm_config *cfg = NULL;
	wm_scan_result *result = NULL;
	wm_health_history *history = NULL;
	wm_buf cfg_path = WM_BUF_INIT, skip = WM_BUF_INIT;
	const char *env_skip = getenv("WM_SKIP");
	char *prefix = NULL;
	FILE *out = stdout;
	wm_severity fail_on;
	int rc, error;

	memset(&c, 0, sizeof(c));
	c.prog = prog;
	c.detector = detector;
	c.targets = topts;
	c.format = WM_FORMAT_TEXT;
	if ((rc = parse_args(&c, argc, argv)) != 0)
		goto done;
	if (c.list_rules) {
		rc = list_rules(&c);
		goto done;
	}
	if (c.dir && chdir(c.dir) < 0) {
		rc = fail(&c, WM_EXIT_USAGE, "cannot change to directory %s", c.dir);
		goto done;
	}

	if ((error = wm_repo_open(&repo, c.path ? c.path : ".")) < 0) {
		rc = error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
		fail(&c, rc, "%s", wm_error_last());
		goto done;
	}
	if (c.undo) {
		rc = undo(&c, repo);
		goto done;
	}
	if (c.path && path_prefix(&prefix, wm_repo_workdir(repo), c.path) < 0) {
		rc = fail(&c, WM_EXIT_USAGE, "cannot resolve %s", c.path);
		goto done;
	}

	if (c.config_path)
		error = wm_buf_puts(&cfg_path, c.config_path);
	else if (wm_repo_workdir(repo))
		error = wm_buf_printf(&cfg_path, "%s.wm.yml", wm_repo_workdir(repo));
	else
		error = 0;
	if (error == 0 && c.config_path && access(c.config_path, R_OK) < 0) {
		rc = fail(&c, WM_EXIT_USAGE, "cannot read configuration %s", c.config_path);
		goto done;
	}
	if (error == 0)
		error = cfg_path.size ? wm_config_load(&cfg, cfg_path.ptr) : wm_config_default(&cfg);
	if (error < 0) {
		rc = error == WM_ENOMEM || error == WM_ERROR ? WM_EXIT_INTERNAL : WM_EXIT_USAGE;
		fail(&c, rc, "%s", wm_error_last());
		goto done;
	}

	sopts.targets = c.targets;
	sopts.prefix = prefix;
	sopts.detectors = wm_detectors_builtin;
	sopts.ndetectors = wm_detectors_builtin_count;
	sopts.only = c.detector ? c.detector : c.only;
	sopts.jobs = c.jobs;
	sopts.keep_going = c.keep_going;
	if ((c.skip && wm_buf_puts(&skip, c.skip) < 0) ||
	    (env_skip && *env_skip && wm_buf_printf(&skip, "%s%s", skip.size ? "," : "", env_skip) < 0)) {
		rc = fail(&c, WM_EXIT_INTERNAL, "%s", wm_error_last());
		goto done;
	}
	sopts.skip = skip.ptr;
	if (c.restore) {
		rc = restore(&c, repo, cfg, &sopts);
		goto done;
	}
	sopts.hang_timeout_ms = (uint32_t)c.hang_timeout_ms;
	if (isatty(STDERR_FILENO)) {
		sopts.progress = show_progress;
		sopts.progress_payload = &c;
	}
	error = wm_scan_run(&result, repo, cfg, &sopts);
	if (c.progress_shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	if (error < 0) {
		rc = error == WM_EUSAGE || error == WM_ECONFIG || error == WM_ENOTFOUND
			? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
		fail(&c, rc, "%s", wm_error_last());
		goto done;
	}

	/* Hits are counted on the run's first scan: what the rules found
	 * before any fix (history scans are skipped by the memory itself). */
	remember(&c, repo, REMEMBER_SCAN, result);

	if (c.write_baseline) {
		size_t n;

		if ((error = wm_baseline_write(&n, repo, result)) < 0)
			rc = fail(&c, error == WM_EUSAGE ? WM_EXIT_USAGE : WM_EXIT_INTERNAL, "%s", wm_error_last());
		else
			fprintf(stderr, "%s: recorded %zu finding%s in %s\n", c.prog, n, n == 1 ? "" : "s",
				WM_BASELINE_PATH);
		goto done;
	}
	if (c.fix) {
		if ((rc = fix(&c, repo, cfg, &sopts, &result)) != WM_EXIT_PASS)
			goto done;
		if (c.dry_run) {
			rc = exit_code(&c, cfg, result);
			goto done;
		}
	}

	if ((rc = apply_baseline(&c, repo, result)) != WM_EXIT_PASS)
		goto done;
	if (c.quarantine && (rc = quarantine(&c, repo, cfg, &sopts, &result)) != WM_EXIT_PASS)
		goto done;

	fail_on = c.fail_on_set ? c.fail_on : wm_config_fail_on(cfg);
	if (c.output && !(out = fopen(c.output, "w"))) {
		rc = fail(&c, WM_EXIT_USAGE, "cannot write %s", c.output);
		out = stdout;
		goto done;
	}
	ropts.format = c.format;
	ropts.color = use_color(&c, out);
	ropts.tool_version = wm_version();
	ropts.repo_root = wm_repo_workdir(repo);
	ropts.read = wm_scan_result_read;
	ropts.read_payload = result;
	ropts.fail_on = fail_on;
	if (c.format == WM_FORMAT_HTML)
		load_history(&history, repo);
	ropts.history = history;
	ropts.config = cfg;
	if (wm_report_write(out, result, &ropts) < 0 ||
	    (c.coverage && wm_report_coverage(out, result, "doc-coverage") < 0) || fflush(out) != 0) {
		rc = fail(&c, WM_EXIT_INTERNAL, "writing the report failed: %s", wm_error_last());
		goto done;
	}

	rc = exit_code(&c, cfg, result);
done:
	if (out != stdout && fclose(out) != 0 && rc == WM_EXIT_PASS)
		rc = WM_EXIT_INTERNAL;
	wm_scan_result_free(result);
	wm_health_history_free(history);
	wm_config_free(cfg);
	wm_repo_free(repo);
	wm_buf_dispose(&cfg_path);
	wm_buf_dispose(&skip);
	wm_free(prefix);
	return rc;
}
