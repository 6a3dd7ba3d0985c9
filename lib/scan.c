/*
 * scan.c - one run of the gate: targets in, findings out.
 *
 * The run is a straight pipeline (DESIGN.md 3): compute the world and its
 * targets, read each target once, hand it to every enabled detector, and
 * collect what they emit. Everything a detector should not have to know
 * lives here, at the one seam it emits through: which severity the
 * configuration gives a rule, where a byte offset falls in lines and
 * columns, and whether an inline `wm: ignore[...]` silences it. That keeps
 * detectors small and makes those policies identical for all of them.
 *
 * A detector that fails on a file does not fail the run: its error becomes
 * an `internal-error` finding on that file and the run goes on, so one bad
 * file never hides the findings of the others.
 *
 * With several jobs, files are scanned in worker processes (pool.c): each
 * worker reopens the repository (libgit2 state must not cross fork()),
 * keeps the world the aggregator computed, and sends every finding that
 * survived the seam's policies through its ring as a record ('F' and the
 * encoded finding), then one summary record per file ('S'). The aggregator
 * only decodes and collects; sorting at the end makes the result identical
 * to an in-process run whatever order workers finish in. A file that
 * crashes a worker (a signal, not an error return) is re-run once by
 * another worker and otherwise reported as an `internal-error`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "finding_codec.h"
#include "world.h"
#include "wm/alloc.h"
#include "wm/board.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/pool.h"
#include "wm/scan.h"

/* Records a worker sends per file. */
#define REC_FINDING 'F'
#define REC_SUMMARY 'S'
#define REC_METRIC 'M'

/* Forking costs a few milliseconds per worker; below this many files per
 * worker, scanning in-process is faster than starting workers. */
#define MIN_FILES_PER_WORKER 2

/* Detector name used for findings about wm itself. */
#define WM_SELF "wm"

struct wm_scan {
	wm_repo *repo;
	const wm_config *cfg;
	wm_world *world;
	wm_targets *targets;
	const wm_detector *const *detectors;
	size_t ndetectors;
	bool *enabled;
	void **state;              /* one wm_scan_state() slot per detector */
	const wm_detector *current;
	const char *skip;          /* rules and detectors to drop (--skip, WM_SKIP) */
	const wm_file *file;       /* the file being scanned, NULL in scan_repo */
	TSTree *tree;              /* parse of `file`, made on first request */
	int tree_error;            /* a failed parse is not retried for the same file */
	bool tree_done;
	wm_findings findings;
	wm_summary summary;
	const wm_targets_options *topts;
	wm_world *base;            /* wm_scan_base_world(), opened on first use */
	int base_error;
	bool base_done;
	wm_metric *metrics;
	size_t nmetrics;
	/* The worker pool (NULL members in an in-process run). */
	const wm_scan_options *opts;
	wm_pool_worker *worker;    /* set in a worker process */
	wm_board *board;
	size_t *items;             /* item -> target index */
	size_t nitems;
	wm_buf record;             /* a worker's record being built */
	const char *crash_on;      /* WM_TEST_CRASH_ON */
	const char *hang_on;       /* WM_TEST_HANG_ON */
	int pool_error;            /* the first error the aggregator met */
};

/* Blobs read for code frames, kept until the result is freed. */
typedef struct read_cache {
	char **paths;
	wm_blob *blobs;
	size_t count;
} read_cache;

/* Free the strings of `n` metrics (not the array). */
static void metrics_free(wm_metric *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		wm_free(m[i].detector);
		wm_free(m[i].name);
		wm_free(m[i].path);
	}
}

static const wm_rule_info *rule_info(const wm_detector *det, const char *rule)
{
	size_t i;

	if (!det || !rule)
		return NULL;
	for (i = 0; i < det->nrules; i++)
		if (!strcmp(det->rules[i].id, rule))
			return &det->rules[i];
	return NULL;
}

/* Whether `name` is in the comma-separated list `only`. */
static bool in_list(const char *only, const char *name)
{
	size_t len = strlen(name);
	const char *p = only;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && !strncmp(p, name, len))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

/* Where a finding goes: the result, or the ring in a worker. Consumes `f`. */
static int store_finding(wm_scan *scan, wm_finding *f)
{
	int error;

	if (!scan->worker)
		return wm_findings_take(&scan->findings, f);
	wm_buf_clear(&scan->record);
	if ((error = wm_buf_putc(&scan->record, REC_FINDING)) < 0 ||
	    (error = wm_finding__encode(&scan->record, f)) < 0)
		return error;
	error = wm_pool_publish(scan->worker, scan->record.ptr, scan->record.size);
	wm_finding_clear(f);
	return error;
}

static bool under_prefix(const char *path, const char *prefix)
{
	size_t n;

	if (!prefix || !*prefix)
		return true;
	n = strlen(prefix);
	while (n && prefix[n - 1] == '/')
		n--;
	return !strncmp(path, prefix, n) && (path[n] == '/' || path[n] == '\0');
}

/*
 * `data` is the content of the finding's file when known: the file being
 * scanned, or another file a detector read (wm_emit_in).
 */
static int emit(wm_scan *scan, const wm_finding *finding, const char *data, size_t size)
{
	const wm_file *file = scan->file;
	const wm_rule_info *info;
	wm_finding copy;
	wm_severity sev;
	wm_pos pos;
	int error;

	if ((error = wm_finding_copy(&copy, finding)) < 0)
		return error;
	if (!copy.detector && scan->current &&
	    !(copy.detector = wm_strdup(scan->current->name))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (!copy.path && file && !(copy.path = wm_strdup(file->path))) {
		error = WM_ENOMEM;
		goto done;
	}

	if (scan->skip && ((copy.rule && in_list(scan->skip, copy.rule)) ||
	    (copy.detector && in_list(scan->skip, copy.detector))))
		goto done;
	/*
	 * `wm-scan src/` reports only under src/: targets are chosen by the
	 * prefix, but whole-repository checks (drift, the dependents of a
	 * rename, links into src/ from elsewhere) report on other files too.
	 * A finding on no file concerns the repository, src/ included.
	 */
	if (scan->opts && copy.path && !under_prefix(copy.path, scan->opts->prefix))
		goto done;

	sev = copy.severity;
	if (sev == WM_SEV_NONE) {
		info = rule_info(scan->current, copy.rule);
		sev = info ? info->severity : WM_SEV_ERROR;
	}
	if (scan->cfg && copy.detector && copy.rule) {
		/* Per-language overrides follow the finding's file, scanned or not. */
		const char *lang = NULL;

		if (file && copy.path && !strcmp(copy.path, file->path)) {
			lang = wm_lang_name(file->lang);
		} else if (copy.path) {
			wm_lang l = wm_syntax_detect(copy.path, data, data ? size : 0);

			lang = l != WM_LANG_NONE ? wm_lang_name(l) : NULL;
		}
		sev = wm_config_severity(scan->cfg, copy.detector, copy.rule, lang, sev);
	}
	if (sev == WM_SEV_NONE)
		goto done; /* the rule is off */
	copy.severity = sev;

	/* Positions and suppressions need the file's content. */
	if (!data && file && file->data && copy.path && !strcmp(copy.path, file->path)) {
		data = file->data;
		size = file->size;
	}
	if (data) {
		if (copy.line == 0) {
			pos = wm_syntax_pos(data, size, copy.start_byte);
			copy.line = pos.line;
			copy.column = pos.column;
			pos = wm_syntax_pos(data, size,
				copy.end_byte > copy.start_byte ? copy.end_byte : copy.start_byte);
			copy.end_line = pos.line;
			copy.end_column = pos.column;
		}
		if (copy.rule && wm_suppressed(data, size, copy.line, copy.rule))
			goto done;
	}

	if ((error = store_finding(scan, &copy)) < 0)
		goto done;
done:
	wm_finding_clear(&copy);
	return error;
}

int wm_emit(wm_scan *scan, const wm_finding *finding)
{
	return emit(scan, finding, NULL, 0);
}

int wm_emit_in(wm_scan *scan, const wm_finding *finding, const char *data, size_t size)
{
	return emit(scan, finding, data ? data : "", data ? size : 0);
}

int wm_scan_tree(const TSTree **out, wm_scan *scan, const wm_file *file)
{
	*out = NULL;
	if (!file || file->lang == WM_LANG_NONE || !file->data)
		return wm_error_set(WM_ENOTFOUND, "%s: no grammar for this file", file ? file->path : "?");
	if (file != scan->file)
		return wm_error_set(WM_ERROR, "%s: trees are only available for the file being scanned", file->path);
	if (!scan->tree_done) {
		scan->tree_done = true;
		scan->tree_error = wm_syntax_parse(&scan->tree, file->lang, file->data, file->size);
		if (scan->tree_error < 0)
			wm_error_wrap(scan->tree_error, "%s", file->path);
	}
	if (scan->tree_error < 0)
		return scan->tree_error;
	*out = scan->tree;
	return 0;
}

const wm_config *wm_scan_config(const wm_scan *scan)
{
	return scan->cfg;
}

const wm_world *wm_scan_world(const wm_scan *scan)
{
	return scan->world;
}

const wm_targets *wm_scan_targets(const wm_scan *scan)
{
	return scan->targets;
}

const wm_detector *wm_scan_detector(const wm_scan *scan)
{
	return scan->current;
}

wm_scope wm_scan_scope(const wm_scan *scan)
{
	return scan->topts ? scan->topts->scope : WM_SCOPE_ALL;
}

int wm_scan_base_world(const wm_world **out, wm_scan *scan)
{
	wm_oid oid;
	char hex[41];
	int error = 0;

	*out = NULL;
	if (!scan->base_done) {
		scan->base_done = true;
		switch (wm_scan_scope(scan)) {
		case WM_SCOPE_STAGED:
			error = wm_repo_has_head(scan->repo)
				? wm_world_open(&scan->base, scan->repo, WM_WORLD_HEAD, NULL)
				: wm_error_set(WM_ENOTFOUND, "no commit yet: nothing to compare with");
			break;
		case WM_SCOPE_DIFF:
			if ((error = wm_repo_merge_base(&oid, scan->repo, scan->topts->rev)) < 0)
				break;
			wm_oid_fmt(hex, &oid);
			error = wm_world_open(&scan->base, scan->repo, WM_WORLD_COMMIT, hex);
			break;
		default:
			error = wm_error_set(WM_ENOTFOUND, "this scope compares with nothing");
			break;
		}
		scan->base_error = error;
	}
	if (scan->base_error < 0)
		return scan->base_error;
	*out = scan->base;
	return 0;
}

static int metric_add(wm_scan *scan, const char *detector, const char *name, const char *path,
	uint64_t value, uint64_t total)
{
	wm_metric *grown, *m;

	if (!(grown = wm_reallocarray(scan->metrics, scan->nmetrics + 1, sizeof(*grown))))
		return WM_ENOMEM;
	scan->metrics = grown;
	m = &scan->metrics[scan->nmetrics];
	memset(m, 0, sizeof(*m));
	m->value = value;
	m->total = total;
	if (!(m->detector = wm_strdup(detector)) ||
	    !(m->name = wm_strdup(name)) || (path && !(m->path = wm_strdup(path)))) {
		metrics_free(m, 1);
		return WM_ENOMEM;
	}
	scan->nmetrics++;
	return 0;
}

/*
 * A metric record: 'M', value and total (u64, host order: both ends are
 * the same binary), then detector, name and path as NUL-terminated
 * strings (an empty path stands for none).
 */
static int publish_metric(wm_scan *scan, const char *detector, const char *name, const char *path,
	uint64_t value, uint64_t total)
{
	int error;

	wm_buf_clear(&scan->record);
	if ((error = wm_buf_putc(&scan->record, REC_METRIC)) < 0 ||
	    (error = wm_buf_put(&scan->record, (const char *)&value, sizeof(value))) < 0 ||
	    (error = wm_buf_put(&scan->record, (const char *)&total, sizeof(total))) < 0 ||
	    (error = wm_buf_put(&scan->record, detector, strlen(detector) + 1)) < 0 ||
	    (error = wm_buf_put(&scan->record, name, strlen(name) + 1)) < 0 ||
	    (error = wm_buf_put(&scan->record, path ? path : "", strlen(path ? path : "") + 1)) < 0)
		return error;
	return wm_pool_publish(scan->worker, scan->record.ptr, scan->record.size);
}

static int deliver_metric(wm_scan *scan, const char *p, size_t len)
{
	const char *end = p + len, *detector, *name, *path;
	uint64_t value, total;

	if (len < 1 + 2 * sizeof(uint64_t) + 3 || end[-1] != '\0')
		return wm_error_set(WM_ERROR, "a malformed metric record from a worker");
	memcpy(&value, p + 1, sizeof(value));
	memcpy(&total, p + 1 + sizeof(value), sizeof(total));
	detector = p + 1 + 2 * sizeof(uint64_t);
	name = memchr(detector, '\0', (size_t)(end - detector));
	path = name ? memchr(name + 1, '\0', (size_t)(end - name - 1)) : NULL;
	if (!name || !path || path + 1 >= end)
		return wm_error_set(WM_ERROR, "a malformed metric record from a worker");
	name++;
	path++;
	return metric_add(scan, detector, name, *path ? path : NULL, value, total);
}

int wm_scan_metric(wm_scan *scan, const char *name, const char *path,
	uint64_t value, uint64_t total)
{
	const char *detector = scan->current ? scan->current->name : WM_SELF;

	/* In a worker, metrics travel to the aggregator like findings do. */
	if (scan->worker)
		return publish_metric(scan, detector, name, path, value, total);
	return metric_add(scan, detector, name, path, value, total);
}

const wm_metric *wm_scan_metrics(const wm_scan *scan, size_t *count_out)
{
	*count_out = scan->nmetrics;
	return scan->metrics;
}

void **wm_scan_state(wm_scan *scan)
{
	size_t i;

	for (i = 0; scan->state && i < scan->ndetectors; i++)
		if (scan->detectors[i] == scan->current)
			return &scan->state[i];
	return NULL;
}

static int store_finding_copy(wm_scan *scan, const wm_finding *f)
{
	wm_finding copy;
	int error;

	if ((error = wm_finding_copy(&copy, f)) < 0)
		return error;
	error = store_finding(scan, &copy);
	wm_finding_clear(&copy);
	return error;
}

/* An `internal-error` finding about `path` (borrowed strings; the caller copies it). */
static void internal_error_finding(wm_finding *f, const char *path, const char *message)
{
	f->detector = (char *)WM_SELF;
	f->rule = (char *)"internal-error";
	f->severity = WM_SEV_ERROR;
	f->path = (char *)path;
	f->line = 1;
	f->column = 1;
	f->message = (char *)message;
}

/* An `internal-error` finding for a detector that failed. */
static int emit_internal_error(wm_scan *scan, const char *path)
{
	wm_finding f = WM_FINDING_INIT;
	wm_buf msg = WM_BUF_INIT;
	int error;

	if ((error = wm_buf_printf(&msg, "detector %s failed: %s",
			scan->current ? scan->current->name : "?",
			*wm_error_last() ? wm_error_last() : "unknown error")) < 0)
		return error;
	internal_error_finding(&f, path, msg.ptr);
	error = store_finding_copy(scan, &f);
	scan->summary.internal_errors++;
	wm_buf_dispose(&msg);
	return error;
}

static int select_detectors(wm_scan *scan, const wm_scan_options *opts)
{
	const char *p;
	size_t i;

	if (!(scan->enabled = wm_calloc(opts->ndetectors ? opts->ndetectors : 1, sizeof(bool))) ||
	    !(scan->state = wm_calloc(opts->ndetectors ? opts->ndetectors : 1, sizeof(void *))))
		return WM_ENOMEM;
	/* Every name in --only must exist: a typo must not silently scan nothing. */
	for (p = opts->only; p && *p;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		bool found = false;

		for (i = 0; i < opts->ndetectors; i++)
			if (strlen(opts->detectors[i]->name) == n &&
			    !strncmp(opts->detectors[i]->name, p, n))
				found = true;
		if (!found && n > 0) {
			wm_buf known = WM_BUF_INIT;

			for (i = 0; i < opts->ndetectors; i++)
				wm_buf_printf(&known, "%s%s", i ? ", " : "", opts->detectors[i]->name);
			wm_error_set(WM_EUSAGE, "unknown detector \"%.*s\" (known: %s)",
				(int)n, p, known.ptr ? known.ptr : "none");
			wm_buf_dispose(&known);
			return WM_EUSAGE;
		}
		p = end ? end + 1 : p + n;
	}
	for (i = 0; i < opts->ndetectors; i++) {
		const char *name = opts->detectors[i]->name;
		char key[256];

		snprintf(key, sizeof(key), "detectors.%s.enabled", name);
		if (opts->only)
			scan->enabled[i] = in_list(opts->only, name);
		else
			scan->enabled[i] = wm_config_bool(scan->cfg, key);
	}
	return 0;
}

/* `detectors.<name>.exclude` globs. */
static bool detector_excludes(const wm_scan *scan, const wm_detector *det, const char *path)
{
	const char *const *globs;
	char key[256];
	size_t n, i;

	snprintf(key, sizeof(key), "detectors.%s.exclude", det->name);
	globs = wm_config_list(scan->cfg, key, &n);
	for (i = 0; i < n; i++)
		if (wm_glob_match(globs[i], path))
			return true;
	return false;
}


static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void end_file(wm_scan *scan)
{
	if (scan->tree)
		ts_tree_delete(scan->tree);
	scan->tree = NULL;
	scan->tree_done = false;
	scan->tree_error = 0;
	scan->file = NULL;
}

static int scan_target(wm_scan *scan, const wm_target *target)
{
	wm_blob blob = WM_BLOB_INIT;
	wm_file file;
	int64_t max_size = wm_config_int(scan->cfg, "paths.max_file_size");
	uint64_t t0;
	size_t i;
	int error = 0;

	memset(&file, 0, sizeof(file));
	file.path = target->path;
	file.old_path = target->old_path;
	file.change = target->change;

	/* Submodules and symlinks are not ours to parse: a symlink may point
	 * anywhere, including outside the repository. */
	if (target->mode == WM_MODE_GITLINK || target->mode == WM_MODE_LINK) {
		scan->summary.skipped++;
		goto done;
	}
	if (target->change != WM_CHANGE_DELETED) {
		if ((error = wm_world_read(&blob, scan->world, target->path)) < 0) {
			if (error == WM_ENOTFOUND) {
				/* Listed but gone (e.g. deleted from disk meanwhile). */
				error = 0;
				scan->summary.skipped++;
			}
			goto done;
		}
		if ((max_size > 0 && blob.size > (uint64_t)max_size) ||
		    wm_syntax_is_binary(blob.data, blob.size)) {
			scan->summary.skipped++;
			goto done;
		}
		file.data = blob.data;
		file.size = blob.size;
		file.oid = blob.oid;
		file.lang = wm_syntax_detect(target->path, blob.data, blob.size);
		scan->summary.files++;
	}

	scan->file = &file;
	for (i = 0; i < scan->ndetectors; i++) {
		const wm_detector *det = scan->detectors[i];

		if (!scan->enabled[i] || !det->scan_file || detector_excludes(scan, det, target->path))
			continue;
		scan->current = det;
		wm_error_clear();
		t0 = scan->worker ? now_ns() : 0;
		error = det->scan_file(scan, &file);
		if (scan->worker)
			wm_board_add_time(scan->board, i, now_ns() - t0);
		if (error < 0) {
			if (error == WM_ENOMEM)
				goto done;
			if ((error = emit_internal_error(scan, target->path)) < 0)
				goto done;
		}
	}
	scan->current = NULL;
done:
	end_file(scan);
	wm_blob_release(&blob);
	return error;
}

static void scan_free(wm_scan *scan)
{
	size_t i;

	end_file(scan);
	/* Every enabled detector hears the end, even of a failed run, so no
	 * state it kept outlives the run. */
	for (i = 0; scan->enabled && i < scan->ndetectors; i++) {
		if (!scan->enabled[i] || !scan->detectors[i]->end)
			continue;
		scan->current = scan->detectors[i];
		scan->detectors[i]->end(scan);
	}
	scan->current = NULL;
	wm_free(scan->state);
	wm_findings_dispose(&scan->findings);
	wm_targets_free(scan->targets);
	wm_world_free(scan->base);
	wm_world_free(scan->world);
	wm_free(scan->enabled);
	metrics_free(scan->metrics, scan->nmetrics);
	wm_free(scan->metrics);
	wm_free(scan->items);
	wm_buf_dispose(&scan->record);
}

/*
 * The worker pool
 */

static int worker_init(void *payload, wm_pool_worker *worker)
{
	wm_scan *scan = payload;
	wm_repo *repo = NULL;
	const char *where = wm_repo_workdir(scan->repo);
	int error;

	/* Our own libgit2 state, found from the same place and environment
	 * as the aggregator's; the world's entries are inherited as they are. */
	if ((error = wm_repo_open(&repo, where ? where : wm_repo_gitdir(scan->repo))) < 0)
		return error;
	scan->repo = repo; /* never freed: the worker leaves by _exit() */
	wm_world__rebind(scan->world, repo);
	scan->worker = worker;
	return 0;
}

static int worker_work(void *payload, wm_pool_worker *worker, uint64_t item)
{
	wm_scan *scan = payload;
	const wm_target *t = &scan->targets->items[scan->items[item]];
	wm_summary before = scan->summary;
	uint64_t delta[3];
	int error;

	(void)worker;
	if (scan->crash_on && !strcmp(scan->crash_on, t->path))
		raise(SIGSEGV);
	while (scan->hang_on && !strcmp(scan->hang_on, t->path))
		pause();
	if ((error = scan_target(scan, t)) < 0)
		return error;
	delta[0] = scan->summary.files - before.files;
	delta[1] = scan->summary.skipped - before.skipped;
	delta[2] = scan->summary.internal_errors - before.internal_errors;
	wm_buf_clear(&scan->record);
	if ((error = wm_buf_putc(&scan->record, REC_SUMMARY)) < 0 ||
	    (error = wm_buf_put(&scan->record, (const char *)delta, sizeof(delta))) < 0)
		return error;
	return wm_pool_publish(scan->worker, scan->record.ptr, scan->record.size);
}

static const char *item_name(void *payload, uint64_t item)
{
	wm_scan *scan = payload;

	return scan->targets->items[scan->items[item]].path;
}

static size_t detector_index(const wm_scan *scan, const char *name)
{
	size_t i;

	for (i = 0; name && i < scan->ndetectors; i++)
		if (!strcmp(scan->detectors[i]->name, name))
			return i;
	return scan->ndetectors; /* "wm" itself: counted under the last board column */
}

static int deliver(void *payload, uint64_t item, const void *data, size_t len)
{
	wm_scan *scan = payload;
	const char *p = data;
	wm_finding f;
	uint64_t delta[3];
	int error;

	(void)item;
	if (len >= 1 && p[0] == REC_FINDING) {
		if ((error = wm_finding__decode(&f, p + 1, len - 1, NULL)) < 0)
			return error;
		wm_board_add_findings(scan->board, detector_index(scan, f.detector), f.severity, 1);
		if ((error = wm_findings_take(&scan->findings, &f)) < 0)
			wm_finding_clear(&f);
		return error;
	}
	if (len >= 1 && p[0] == REC_METRIC)
		return deliver_metric(scan, p, len);
	if (len == 1 + sizeof(delta) && p[0] == REC_SUMMARY) {
		memcpy(delta, p + 1, sizeof(delta));
		scan->summary.files += delta[0];
		scan->summary.skipped += delta[1];
		scan->summary.internal_errors += delta[2];
		return 0;
	}
	return wm_error_set(WM_ERROR, "a malformed record from a worker");
}

static int lost(void *payload, uint64_t item, int status)
{
	wm_scan *scan = payload;
	const char *path = scan->targets->items[scan->items[item]].path;
	wm_finding f = WM_FINDING_INIT;
	wm_buf msg = WM_BUF_INIT;
	int error;

	if (WIFSIGNALED(status))
		error = wm_buf_printf(&msg, "scanning this file killed two workers (signal %d, %s)",
			WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		error = wm_buf_printf(&msg, "scanning this file killed two workers (exit status %d)",
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	if (error < 0)
		return error;
	internal_error_finding(&f, path, msg.ptr);
	error = wm_findings_add(&scan->findings, &f);
	wm_board_add_findings(scan->board, scan->ndetectors, WM_SEV_ERROR, 1);
	scan->summary.internal_errors++;
	wm_buf_dispose(&msg);
	return error;
}

static void progress(void *payload)
{
	wm_scan *scan = payload;

	scan->opts->progress(scan->opts->progress_payload, scan->board);
}

/* The board of this run: a file others can find, else anonymous. */
static int board_create(wm_scan *scan, uint32_t workers)
{
	wm_board_options bopts = WM_BOARD_OPTIONS_INIT;
	const char **names = NULL;
	wm_buf path = WM_BUF_INIT;
	size_t i;
	int error;

	if (!(names = wm_calloc(scan->ndetectors + 1, sizeof(*names))))
		return WM_ENOMEM;
	for (i = 0; i < scan->ndetectors; i++)
		names[i] = scan->detectors[i]->name;
	names[scan->ndetectors] = WM_SELF;
	bopts.nworkers = workers;
	bopts.nfiles = scan->nitems;
	bopts.detectors = names;
	bopts.ndetectors = scan->ndetectors + 1;
	bopts.repo = wm_repo_workdir(scan->repo) ? wm_repo_workdir(scan->repo) : wm_repo_gitdir(scan->repo);
	if ((error = wm_buf_printf(&path, "%swm", wm_repo_commondir(scan->repo))) < 0)
		goto done;
	mkdir(path.ptr, 0777);
	if ((error = wm_buf_printf(&path, "/board-%ld", (long)getpid())) < 0)
		goto done;
	bopts.path = path.ptr;
	if (wm_board_create(&scan->board, &bopts) < 0) {
		/* A read-only repository still scans; it just cannot be watched. */
		bopts.path = NULL;
		error = wm_board_create(&scan->board, &bopts);
	}
done:
	wm_buf_dispose(&path);
	wm_free(names);
	return error;
}

static int run_pool(wm_scan *scan, uint32_t workers)
{
	wm_pool_options popts = WM_POOL_OPTIONS_INIT;
	int error;

	if ((error = board_create(scan, workers)) < 0)
		return error;
	popts.workers = workers;
	popts.nitems = scan->nitems;
	popts.hang_timeout_ms = scan->opts->hang_timeout_ms;
	popts.board = scan->board;
	popts.payload = scan;
	popts.worker_init = worker_init;
	popts.work = worker_work;
	popts.deliver = deliver;
	popts.lost = lost;
	popts.item_name = item_name;
	popts.progress = scan->opts->progress ? progress : NULL;
	error = wm_pool_run(&popts);
	wm_board_finish(scan->board);
	if (error == 0 && scan->opts->progress)
		scan->opts->progress(scan->opts->progress_payload, scan->board);
	wm_board_free(scan->board);
	scan->board = NULL;
	return error;
}

static uint32_t worker_count(const wm_scan_options *opts, size_t nitems)
{
	long jobs = opts->jobs;

	if (jobs <= 0)
		jobs = sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	if ((size_t)jobs > nitems / MIN_FILES_PER_WORKER)
		jobs = (long)(nitems / MIN_FILES_PER_WORKER);
	if (jobs > 1024)
		jobs = 1024;
	return jobs < 1 ? 1 : (uint32_t)jobs;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int wm_scan_run(wm_scan_result **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *opts)
{
	wm_scan scan;
	wm_scan_result *result = NULL;
	const char **names = NULL;
	uint64_t start = now_ms();
	uint32_t workers;
	size_t i;
	int error = 0;

	*out = NULL;
	memset(&scan, 0, sizeof(scan));
	scan.repo = repo;
	scan.cfg = cfg;
	scan.detectors = opts->detectors;
	scan.ndetectors = opts->ndetectors;
	scan.skip = opts->skip;
	scan.topts = &opts->targets;
	scan.opts = opts;
	scan.crash_on = getenv("WM_TEST_CRASH_ON");
	scan.hang_on = getenv("WM_TEST_HANG_ON");

	if (!(names = wm_calloc(opts->ndetectors ? opts->ndetectors : 1, sizeof(*names)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < opts->ndetectors; i++)
		names[i] = opts->detectors[i]->name;
	if ((error = wm_config_check_detectors(cfg, (const char *const *)names, opts->ndetectors)) < 0 ||
	    (error = select_detectors(&scan, opts)) < 0)
		goto done;
	if ((error = wm_targets_compute(&scan.world, &scan.targets, repo, &opts->targets)) < 0)
		goto done;

	if (!(scan.items = wm_calloc(scan.targets->count ? scan.targets->count : 1, sizeof(*scan.items)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < scan.targets->count; i++) {
		const wm_target *t = &scan.targets->items[i];

		if (under_prefix(t->path, opts->prefix) && !wm_config_path_excluded(cfg, t->path) &&
		    (!opts->want || opts->want(opts->want_payload, t)))
			scan.items[scan.nitems++] = i;
	}
	if ((workers = worker_count(opts, scan.nitems)) > 1) {
		if ((error = run_pool(&scan, workers)) < 0)
			goto done;
	} else {
		for (i = 0; i < scan.nitems; i++)
			if ((error = scan_target(&scan, &scan.targets->items[scan.items[i]])) < 0)
				goto done;
	}
	for (i = 0; i < scan.ndetectors; i++) {
		const wm_detector *det = scan.detectors[i];

		if (!scan.enabled[i] || !det->scan_repo || opts->files_only)
			continue;
		scan.current = det;
		wm_error_clear();
		if ((error = det->scan_repo(&scan)) < 0) {
			if (error == WM_ENOMEM || (error = emit_internal_error(&scan, NULL)) < 0)
				goto done;
		}
	}
	scan.current = NULL;

	if (!(result = wm_calloc(1, sizeof(*result)))) {
		error = WM_ENOMEM;
		goto done;
	}
	wm_findings_sort(&scan.findings);
	result->findings = scan.findings;
	memset(&scan.findings, 0, sizeof(scan.findings));
	result->summary = scan.summary;
	result->summary.findings = result->findings.count;
	for (i = 0; i < result->findings.count; i++)
		result->summary.by_severity[result->findings.items[i].severity]++;
	result->summary.elapsed_ms = now_ms() - start;
	result->detectors = opts->detectors;
	result->ndetectors = opts->ndetectors;
	result->world = scan.world;
	scan.world = NULL;
	result->metrics = scan.metrics;
	result->nmetrics = scan.nmetrics;
	scan.metrics = NULL;
	scan.nmetrics = 0;
	*out = result;
	result = NULL;
done:
	wm_free(names);
	wm_free(result);
	scan_free(&scan);
	return error;
}

int wm_scan_result_read(void *payload, const char *path, const char **data, size_t *size)
{
	wm_scan_result *result = payload;
	read_cache *cache = result->priv;
	wm_blob blob = WM_BLOB_INIT;
	char *copy = NULL;
	char **paths;
	wm_blob *blobs;
	size_t i;
	int error = 0;

	if (!result->world || !path)
		return WM_ENOTFOUND;
	if (!cache) {
		if (!(cache = wm_calloc(1, sizeof(*cache))))
			return WM_ENOMEM;
		result->priv = cache;
	}
	for (i = 0; i < cache->count; i++) {
		if (!strcmp(cache->paths[i], path)) {
			*data = cache->blobs[i].data;
			*size = cache->blobs[i].size;
			return 0;
		}
	}
	if ((error = wm_world_read(&blob, result->world, path)) < 0)
		goto done;
	if (!(copy = wm_strdup(path)) ||
	    !(paths = wm_reallocarray(cache->paths, cache->count + 1, sizeof(*paths)))) {
		error = WM_ENOMEM;
		goto done;
	}
	cache->paths = paths;
	if (!(blobs = wm_reallocarray(cache->blobs, cache->count + 1, sizeof(*blobs)))) {
		error = WM_ENOMEM;
		goto done;
	}
	cache->blobs = blobs;
	cache->paths[cache->count] = copy;
	cache->blobs[cache->count] = blob;
	*data = blob.data;
	*size = blob.size;
	cache->count++;
	copy = NULL;
	memset(&blob, 0, sizeof(blob));
done:
	wm_free(copy);
	wm_blob_release(&blob);
	return error;
}

void wm_scan_result_free(wm_scan_result *result)
{
	read_cache *cache;
	size_t i;

	if (!result)
		return;
	if ((cache = result->priv)) {
		for (i = 0; i < cache->count; i++) {
			wm_free(cache->paths[i]);
			wm_blob_release(&cache->blobs[i]);
		}
		wm_free(cache->paths);
		wm_free(cache->blobs);
		wm_free(cache);
	}
	wm_findings_dispose(&result->findings);
	metrics_free(result->metrics, result->nmetrics);
	wm_free(result->metrics);
	wm_world_free(result->world);
	wm_free(result);
}
