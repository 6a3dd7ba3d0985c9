/*
 * health.c - homeostasis: the health of a commit, and of its history.
 *
 * A commit's health is computed from its tree, and most of it depends on
 * one file at a time: syntax errors, doc coverage, findings of per-file
 * rules, lines per language. Those per-file results are cached in the
 * immune memory keyed by (blob oid, context, path), so a commit that
 * changed three files costs three files of scanning plus one database
 * lookup per unchanged file. The context names everything else a result
 * depends on: the wm version, the configuration's bytes and the detectors
 * that ran. The path is in the key because some per-file rules read it
 * (docs.c_headers globs, test files); a rename therefore costs one rescan.
 *
 * Not everything is blob-only, and we do not pretend it is. Detectors
 * whose results depend on the rest of the tree (imports: the module
 * index; drift: every version file at once) run per commit over the whole
 * tree. Drift is cheap; imports is the expensive one, so
 * `history.detectors` can leave it out of long histories. Repository-wide
 * findings of the blob-cached detectors (docs' scan_repo: markdown links,
 * the coverage floor) are not part of history metrics: the coverage is
 * recomputed from the per-file counts, which is what the floor checks.
 *
 * A commit is stored in one transaction (its new blob results, the commit
 * row, its metrics), so a killed history run loses at most the commit it
 * was on. Points remember their context too: after an upgrade or a
 * configuration change they are recomputed, not mixed with old numbers.
 */
#include <git2.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/health.h"
#include "wm/syntax.h"
#include "wm/wm.h"

/* Detectors whose per-file results depend only on the blob and its path. */
static const char *const blob_only[] = { "syntax", "docs", "antibody" };

#define DEFAULT_LIMIT 200

/*
 * Left out of history unless asked for (`history.detectors`, --only):
 * imports checks every file against the whole tree, so it cannot use the
 * blob cache and costs a full scan per commit (about 250 ms per commit
 * on curl's 4400 files, against 35 ms for everything else).
 */
#define DEFAULT_SKIP "imports"

static const wm_health_info headline[] = {
	{ "doc-coverage", "doc coverage", "%", +1 },
	{ "findings", "findings", "", -1 },
	{ "errors", "errors", "", -1 },
	{ "syntax-errors", "syntax errors", "", -1 },
	{ "drifted-files", "drifted version files", "", -1 },
	{ "unresolved-imports", "unresolved imports", "", -1 },
	{ "antibody-hits", "antibody hits", "", -1 },
	{ "doc-items", "public API items", "", 0 },
	{ "files", "files", "", 0 },
	{ "lines", "lines", "", 0 },
};

const wm_health_info *wm_health_headline(size_t *count_out)
{
	*count_out = sizeof(headline) / sizeof(headline[0]);
	return headline;
}

void wm_health_describe(wm_health_info *out, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(headline) / sizeof(headline[0]); i++) {
		if (!strcmp(headline[i].name, name)) {
			*out = headline[i];
			return;
		}
	}
	out->name = name;
	out->label = name;
	out->unit = "";
	out->better = (!strncmp(name, "findings/", 9) || !strncmp(name, "severity/", 9)) ? -1 : 0;
}

/* --- a small name -> value table ---------------------------------------- */

typedef struct agg_slot {
	char *name;
	double value;
} agg_slot;

typedef struct agg {
	agg_slot *slots;
	size_t cap, count;   /* cap is a power of two, kept at most half full */
} agg;

static uint64_t fnv1a(const char *s, size_t len, uint64_t h)
{
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

#define FNV_SEED 14695981039346656037u

static agg_slot *agg_find(agg *a, const char *name, size_t len)
{
	size_t i = (size_t)fnv1a(name, len, FNV_SEED) & (a->cap - 1);

	for (;; i = (i + 1) & (a->cap - 1))
		if (!a->slots[i].name || (strlen(a->slots[i].name) == len &&
		    !memcmp(a->slots[i].name, name, len)))
			return &a->slots[i];
}

static int agg_addn(agg *a, const char *name, size_t len, double value)
{
	agg_slot *slot, *old = a->slots;
	size_t oldcap = a->cap, i;

	if (2 * (a->count + 1) > a->cap) {
		if (!(a->slots = wm_calloc(a->cap ? a->cap * 2 : 64, sizeof(*a->slots)))) {
			a->slots = old;
			return WM_ENOMEM;
		}
		a->cap = a->cap ? a->cap * 2 : 64;
		for (i = 0; i < oldcap; i++)
			if (old[i].name)
				*agg_find(a, old[i].name, strlen(old[i].name)) = old[i];
		wm_free(old);
	}
	slot = agg_find(a, name, len);
	if (!slot->name) {
		if (!(slot->name = wm_strndup(name, len)))
			return WM_ENOMEM;
		a->count++;
	}
	slot->value += value;
	return 0;
}

static int agg_add(agg *a, const char *name, double value)
{
	return agg_addn(a, name, strlen(name), value);
}

static int agg_addf(agg *a, double value, const char *fmt, ...) WM_PRINTF(3, 4);

static int agg_addf(agg *a, double value, const char *fmt, ...)
{
	char name[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(name))
		return 0; /* a name that long is not worth a metric */
	return agg_addn(a, name, (size_t)n, value);
}

static double agg_get(agg *a, const char *name)
{
	agg_slot *slot;

	if (!a->cap)
		return 0;
	slot = agg_find(a, name, strlen(name));
	return slot->name ? slot->value : 0;
}

static void agg_dispose(agg *a)
{
	size_t i;

	for (i = 0; i < a->cap; i++)
		wm_free(a->slots[i].name);
	wm_free(a->slots);
	memset(a, 0, sizeof(*a));
}

/* --- points ------------------------------------------------------------- */

static int compare_metrics(const void *x, const void *y)
{
	return strcmp(((const wm_health_metric *)x)->name, ((const wm_health_metric *)y)->name);
}

void wm_health_point_free(wm_health_point *point)
{
	size_t i;

	if (!point)
		return;
	for (i = 0; i < point->nmetrics; i++)
		wm_free(point->metrics[i].name);
	wm_free(point->metrics);
	wm_free(point->subject);
	wm_free(point);
}

static void point_dispose(wm_health_point *p)
{
	size_t i;

	for (i = 0; i < p->nmetrics; i++)
		wm_free(p->metrics[i].name);
	wm_free(p->metrics);
	wm_free(p->subject);
}

void wm_health_history_free(wm_health_history *history)
{
	size_t i;

	if (!history)
		return;
	for (i = 0; i < history->count; i++)
		point_dispose(&history->points[i]);
	wm_free(history->points);
	wm_free(history);
}

bool wm_health_get(const wm_health_point *point, const char *name, double *out)
{
	wm_health_metric key;
	const wm_health_metric *m;

	key.name = (char *)name;
	m = bsearch(&key, point->metrics, point->nmetrics, sizeof(key), compare_metrics);
	if (m)
		*out = m->value;
	return m != NULL;
}

/* Move a table's contents into a point's sorted metric array. */
static int point_take(wm_health_point *p, agg *a)
{
	size_t i;

	if (!(p->metrics = wm_calloc(a->count ? a->count : 1, sizeof(*p->metrics))))
		return WM_ENOMEM;
	for (i = 0; i < a->cap; i++) {
		if (!a->slots[i].name)
			continue;
		p->metrics[p->nmetrics].name = a->slots[i].name;
		p->metrics[p->nmetrics].value = a->slots[i].value;
		a->slots[i].name = NULL;
		p->nmetrics++;
	}
	a->count = 0;
	qsort(p->metrics, p->nmetrics, sizeof(*p->metrics), compare_metrics);
	return 0;
}

/* --- the commit walk ---------------------------------------------------- */

typedef struct commit_list {
	git_oid *oids;    /* newest first */
	size_t count;
} commit_list;

/* The first-parent line of `range` ("REV" or "A..B"), newest first. */
static int list_commits(commit_list *out, wm_repo *repo, const char *range, size_t limit)
{
	git_repository *git = wm_repo_git(repo);
	git_revwalk *walk = NULL;
	git_oid oid, *grown;
	size_t alloc = 0;
	int error = 0, rc;

	memset(out, 0, sizeof(*out));
	if (!range)
		range = "HEAD";
	if (git_revwalk_new(&walk, git) < 0) {
		error = wm_error_set(WM_EREPO, "walking history: %s", git_error_last()->message);
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME);
	git_revwalk_simplify_first_parent(walk);
	rc = strstr(range, "..") ? git_revwalk_push_range(walk, range) : git_revwalk_push_ref(walk, range);
	if (rc < 0 && !strstr(range, "..")) {
		git_object *obj = NULL;

		if ((rc = git_revparse_single(&obj, git, range)) == 0) {
			rc = git_revwalk_push(walk, git_object_id(obj));
			git_object_free(obj);
		}
	}
	if (rc < 0) {
		error = wm_error_set(WM_ENOTFOUND, "unknown revision or range \"%s\"", range);
		goto done;
	}
	while (out->count < limit && (rc = git_revwalk_next(&oid, walk)) == 0) {
		if (out->count == alloc) {
			alloc = alloc ? alloc * 2 : 256;
			if (!(grown = wm_reallocarray(out->oids, alloc, sizeof(*grown)))) {
				error = WM_ENOMEM;
				goto done;
			}
			out->oids = grown;
		}
		out->oids[out->count++] = oid;
	}
	if (rc < 0 && rc != GIT_ITEROVER)
		error = wm_error_set(WM_EREPO, "walking history: %s", git_error_last()->message);
done:
	git_revwalk_free(walk);
	return error;
}

/* --- context ------------------------------------------------------------- */

typedef struct ctx {
	char id[17];                /* hex of the context hash */
	wm_buf blob_only;           /* comma-separated detectors cached per blob */
	wm_buf per_commit;          /* comma-separated detectors run per commit */
} ctx;

static bool in_csv(const char *csv, const char *name)
{
	size_t len = strlen(name);
	const char *p = csv;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n == len && !strncmp(p, name, len))
			return true;
		p = end ? end + 1 : NULL;
	}
	return false;
}

static bool is_blob_only(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(blob_only) / sizeof(blob_only[0]); i++)
		if (!strcmp(blob_only[i], name))
			return true;
	return false;
}

static int ctx_init(ctx *c, wm_repo *repo, const wm_config *cfg, const wm_health_options *opts)
{
	const char *const *listed;
	wm_buf only = WM_BUF_INIT, cfgpath = WM_BUF_INIT;
	uint64_t h = FNV_SEED;
	size_t n, i;
	FILE *f = NULL;
	char chunk[4096];
	int error = 0;

	memset(c, 0, sizeof(*c));
	listed = wm_config_list(cfg, "history.detectors", &n);
	if (opts->only)
		error = wm_buf_puts(&only, opts->only);
	for (i = 0; !opts->only && i < n && error == 0; i++)
		error = wm_buf_printf(&only, "%s%s", i ? "," : "", listed[i]);
	if (error < 0)
		goto done;
	for (i = 0; i < opts->ndetectors; i++) {
		const char *name = opts->detectors[i]->name;
		char key[256];
		wm_buf *into;

		snprintf(key, sizeof(key), "detectors.%s.enabled", name);
		if (!strcmp(name, "health") || (only.size && !in_csv(only.ptr, name)) ||
		    (!only.size && (!wm_config_bool(cfg, key) || in_csv(DEFAULT_SKIP, name))))
			continue;
		into = is_blob_only(name) ? &c->blob_only : &c->per_commit;
		if ((error = wm_buf_printf(into, "%s%s", into->size ? "," : "", name)) < 0)
			goto done;
	}
	/* What the numbers depend on besides the tree. */
	h = fnv1a(wm_version(), strlen(wm_version()), h);
	h = fnv1a(c->blob_only.ptr ? c->blob_only.ptr : "", c->blob_only.size, h);
	h = fnv1a("|", 1, h);
	h = fnv1a(c->per_commit.ptr ? c->per_commit.ptr : "", c->per_commit.size, h);
	if (wm_repo_workdir(repo) &&
	    (error = wm_buf_printf(&cfgpath, "%s.wm.yml", wm_repo_workdir(repo))) == 0 &&
	    (f = fopen(cfgpath.ptr, "rb"))) {
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			h = fnv1a(chunk, n, h);
		fclose(f);
	}
	snprintf(c->id, sizeof(c->id), "%016llx", (unsigned long long)h);
done:
	wm_buf_dispose(&only);
	wm_buf_dispose(&cfgpath);
	return error;
}

static void ctx_dispose(ctx *c)
{
	wm_buf_dispose(&c->blob_only);
	wm_buf_dispose(&c->per_commit);
}

/* --- per-file records ----------------------------------------------------- */

/*
 * What one file contributes, as stored in health_blob.data: lines of
 *   L <language> <lines>
 *   M <metric> <value> <total>
 *   F <detector> <rule> <severity>
 * (detector, rule and metric names have no spaces).
 */
static int record_apply(agg *a, const char *data)
{
	const char *line = data, *end;
	char w1[128], w2[128];
	unsigned long long x, y;
	int sev, error = 0;

	for (; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (line[0] == 'L' && sscanf(line, "L %127s %llu", w1, &x) == 2) {
			if ((error = agg_add(a, "files", 1)) < 0 ||
			    (error = agg_add(a, "lines", (double)x)) < 0 ||
			    (error = agg_addf(a, 1, "files/%s", w1)) < 0 ||
			    (error = agg_addf(a, (double)x, "lines/%s", w1)) < 0)
				return error;
		} else if (line[0] == 'M' && sscanf(line, "M %127s %llu %llu", w1, &x, &y) == 3) {
			if (!strcmp(w1, "doc-coverage") &&
			    ((error = agg_add(a, "doc-documented", (double)x)) < 0 ||
			     (error = agg_add(a, "doc-items", (double)y)) < 0))
				return error;
		} else if (line[0] == 'F' && sscanf(line, "F %127s %127s %d", w1, w2, &sev) == 3) {
			if ((error = agg_add(a, "findings", 1)) < 0 ||
			    (error = agg_addf(a, 1, "findings/%s", w1)) < 0 ||
			    (error = agg_addf(a, 1, "findings/%s/%s", w1, w2)) < 0 ||
			    (error = agg_addf(a, 1, "severity/%s", wm_severity_name((wm_severity)sev))) < 0)
				return error;
		}
	}
	return 0;
}

static const char *lang_of(const char *path, const char *data, size_t size)
{
	wm_lang lang = wm_syntax_detect(path, data, size);
	const char *dot = strrchr(path, '.');

	if (lang != WM_LANG_NONE)
		return wm_lang_name(lang);
	if (dot && (!strcmp(dot, ".md") || !strcmp(dot, ".markdown")))
		return "markdown";
	return "other";
}

static uint64_t count_lines(const char *data, size_t size)
{
	const char *p = data, *end = data + size;
	uint64_t n = 0;

	while (p < end && (p = memchr(p, '\n', (size_t)(end - p)))) {
		n++;
		p++;
	}
	return n + (size && data[size - 1] != '\n');
}

/* --- computing one commit ------------------------------------------------ */

typedef struct miss {
	const char *path;     /* borrowed from the world */
	wm_oid oid;
	wm_buf record;
} miss;

typedef struct job {
	wm_repo *repo;
	const wm_config *cfg;
	wm_memory *mem;
	const wm_health_options *opts;
	ctx ctx;
	sqlite3_stmt *get_blob, *put_blob;
	size_t files_scanned;
	size_t kill_at, ncomputed;   /* WM_TEST_HEALTH_KILL_AT */
} job;

static int compare_miss(const void *key, const void *m)
{
	return strcmp(key, ((const miss *)m)->path);
}

typedef struct miss_set {
	miss *items;
	size_t count;
} miss_set;

static bool want_none(void *payload, const wm_target *t)
{
	(void)payload;
	(void)t;
	return false;
}

static bool want_miss(void *payload, const wm_target *t)
{
	miss_set *set = payload;

	return bsearch(t->path, set->items, set->count, sizeof(miss), compare_miss) != NULL;
}

static int blob_key(wm_buf *key, const ctx *c, const wm_oid *oid, const char *path)
{
	char hex[41];

	wm_oid_fmt(hex, oid);
	wm_buf_clear(key);
	return wm_buf_printf(key, "%s:%s:%s", hex, c->id, path);
}

static int db_fail(job *j, const char *what)
{
	return wm_error_set(WM_ERROR, "immune memory: %s: %s", what, sqlite3_errmsg(wm_memory_db(j->mem)));
}

static bool any_scan_file(const job *j, const char *only)
{
	size_t i;

	for (i = 0; i < j->opts->ndetectors; i++)
		if (j->opts->detectors[i]->scan_file && in_csv(only, j->opts->detectors[i]->name))
			return true;
	return false;
}

/* Run detectors over (a subset of) a commit's files. */
static int run_scan(wm_scan_result **out, job *j, const char *hex, const char *only, miss_set *want,
	bool files_only)
{
	wm_scan_options sopts = WM_SCAN_OPTIONS_INIT;

	sopts.targets.scope = WM_SCOPE_COMMIT;
	sopts.targets.rev = hex;
	sopts.targets.renames = false;
	sopts.detectors = j->opts->detectors;
	sopts.ndetectors = j->opts->ndetectors;
	sopts.only = only;
	sopts.jobs = j->opts->jobs;
	sopts.keep_going = true;
	sopts.want = want ? want_miss : NULL;
	sopts.want_payload = want;
	/* Without a per-file detector, reading every blob would be wasted. */
	if (!want && !any_scan_file(j, only))
		sopts.want = want_none;
	sopts.files_only = files_only;
	return wm_scan_run(out, j->repo, j->cfg, &sopts);
}

/* Scan the files no cached result covers and build their records. */
static int scan_misses(job *j, miss_set *set, const char *hex, const wm_world *world)
{
	wm_scan_result *result = NULL;
	wm_blob blob = WM_BLOB_INIT;
	size_t i, f = 0, k;
	miss *m;
	int error = 0;

	if (j->ctx.blob_only.size &&
	    (error = run_scan(&result, j, hex, j->ctx.blob_only.ptr, set, true)) < 0)
		goto done;
	for (i = 0; i < set->count; i++) {
		m = &set->items[i];
		if ((error = wm_world_read(&blob, world, m->path)) < 0) {
			wm_error_clear();
			error = 0;
			continue;
		}
		error = wm_buf_printf(&m->record, "L %s %llu\n",
			wm_syntax_is_binary(blob.data, blob.size) ? "binary" : lang_of(m->path, blob.data, blob.size),
			wm_syntax_is_binary(blob.data, blob.size) ? 0ull : (unsigned long long)count_lines(blob.data, blob.size));
		wm_blob_release(&blob);
		if (error < 0)
			goto done;
	}
	j->files_scanned += set->count;
	if (!result)
		goto done;
	/* Findings are sorted by path, the miss set too. */
	for (i = 0; i < result->findings.count; i++) {
		const wm_finding *fd = &result->findings.items[i];

		if (!fd->path || !(m = bsearch(fd->path, set->items, set->count, sizeof(miss), compare_miss)))
			continue;
		if ((error = wm_buf_printf(&m->record, "F %s %s %d\n", fd->detector ? fd->detector : "wm",
				fd->rule ? fd->rule : "unknown", (int)fd->severity)) < 0)
			goto done;
		f++;
	}
	for (k = 0; k < result->nmetrics; k++) {
		const wm_metric *mt = &result->metrics[k];

		if (!mt->path || !(m = bsearch(mt->path, set->items, set->count, sizeof(miss), compare_miss)))
			continue;
		if ((error = wm_buf_printf(&m->record, "M %s %llu %llu\n", mt->name,
				(unsigned long long)mt->value, (unsigned long long)mt->total)) < 0)
			goto done;
	}
done:
	wm_scan_result_free(result);
	return error;
}

static int store_point(job *j, const wm_health_point *p, const char *parent)
{
	sqlite3 *db = wm_memory_db(j->mem);
	sqlite3_stmt *st = NULL;
	size_t i;
	int error = 0;

	if (sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO health_commit"
			"(commit_id, parent, time, subject, context, elapsed_ms) VALUES (?,?,?,?,?,?)",
			-1, &st, NULL) != SQLITE_OK)
		return db_fail(j, "storing a commit");
	sqlite3_bind_text(st, 1, p->commit, -1, SQLITE_STATIC);
	if (parent)
		sqlite3_bind_text(st, 2, parent, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, p->time);
	sqlite3_bind_text(st, 4, p->subject ? p->subject : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, j->ctx.id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)p->elapsed_ms);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = db_fail(j, "storing a commit");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* The cascade of INSERT OR REPLACE needs foreign_keys, which a
	 * hand-edited database may have lacked: delete explicitly. */
	if (sqlite3_prepare_v2(db, "DELETE FROM health_metric WHERE commit_id = ?", -1, &st, NULL) != SQLITE_OK) {
		error = db_fail(j, "storing metrics");
		goto done;
	}
	sqlite3_bind_text(st, 1, p->commit, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		error = db_fail(j, "storing metrics");
		goto done;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, "INSERT INTO health_metric(commit_id, name, value) VALUES (?,?,?)",
			-1, &st, NULL) != SQLITE_OK) {
		error = db_fail(j, "storing metrics");
		goto done;
	}
	for (i = 0; i < p->nmetrics; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, p->commit, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, p->metrics[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_double(st, 3, p->metrics[i].value);
		if (sqlite3_step(st) != SQLITE_DONE) {
			error = db_fail(j, "storing metrics");
			goto done;
		}
	}
done:
	sqlite3_finalize(st);
	return error;
}

/* Load a stored point; WM_ENOTFOUND when absent or from another context. */
static int load_point(wm_health_point *p, wm_memory *mem, const char *hex, const char *context)
{
	sqlite3 *db = wm_memory_db(mem);
	sqlite3_stmt *st = NULL;
	agg a = { NULL, 0, 0 };
	int error = 0, rc;

	memset(p, 0, sizeof(*p));
	if (sqlite3_prepare_v2(db, "SELECT time, subject, elapsed_ms FROM health_commit WHERE commit_id = ?"
			" AND (?2 IS NULL OR context = ?2)", -1, &st, NULL) != SQLITE_OK)
		return wm_error_set(WM_ERROR, "immune memory: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	if (context)
		sqlite3_bind_text(st, 2, context, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		error = rc == SQLITE_DONE ? WM_ENOTFOUND : wm_error_set(WM_ERROR, "immune memory: %s", sqlite3_errmsg(db));
		goto done;
	}
	memcpy(p->commit, hex, 40);
	p->time = sqlite3_column_int64(st, 0);
	p->elapsed_ms = (uint64_t)sqlite3_column_int64(st, 2);
	if (!(p->subject = wm_strdup((const char *)sqlite3_column_text(st, 1)))) {
		error = WM_ENOMEM;
		goto done;
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT name, value FROM health_metric WHERE commit_id = ?",
			-1, &st, NULL) != SQLITE_OK) {
		st = NULL;
		error = wm_error_set(WM_ERROR, "immune memory: %s", sqlite3_errmsg(db));
		goto done;
	}
	sqlite3_bind_text(st, 1, hex, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((error = agg_add(&a, (const char *)sqlite3_column_text(st, 0), sqlite3_column_double(st, 1))) < 0)
			goto done;
	error = point_take(p, &a);
done:
	sqlite3_finalize(st);
	agg_dispose(&a);
	if (error < 0) {
		point_dispose(p);
		memset(p, 0, sizeof(*p));
	}
	return error;
}

/* Count the findings of the per-commit detectors. */
static int per_commit(agg *a, job *j, const char *hex)
{
	wm_scan_result *result = NULL;
	const char *last_path = NULL;
	size_t i;
	int error;

	if (!j->ctx.per_commit.size)
		return 0;
	if ((error = run_scan(&result, j, hex, j->ctx.per_commit.ptr, NULL, false)) < 0)
		return error;
	for (i = 0; i < result->findings.count; i++) {
		const wm_finding *f = &result->findings.items[i];
		const char *det = f->detector ? f->detector : "wm";
		const char *rule = f->rule ? f->rule : "unknown";

		if ((error = agg_add(a, "findings", 1)) < 0 ||
		    (error = agg_addf(a, 1, "findings/%s", det)) < 0 ||
		    (error = agg_addf(a, 1, "findings/%s/%s", det, rule)) < 0 ||
		    (error = agg_addf(a, 1, "severity/%s", wm_severity_name(f->severity))) < 0)
			goto done;
		/* Drifted version files: each file with a drift finding once
		 * (findings are sorted by path). */
		if (!strcmp(det, "drift") && f->path &&
		    (!last_path || strcmp(last_path, f->path))) {
			if ((error = agg_add(a, "drifted-files", 1)) < 0)
				goto done;
			last_path = f->path;
		}
	}
done:
	wm_scan_result_free(result);
	return error;
}

/*
 * Headline metrics derived from the breakdowns: present (0 included)
 * when the detector behind them ran, absent otherwise, so a report can
 * tell "none" from "not measured".
 */
static int derive(agg *a, const ctx *c)
{
	double items = agg_get(a, "doc-items"), documented = agg_get(a, "doc-documented");
	bool docs = in_csv(c->blob_only.ptr, "docs");
	int error = 0;

	if ((docs && ((error = agg_add(a, "doc-coverage", items ? 100.0 * documented / items : 100.0)) < 0 ||
	              (error = agg_add(a, "doc-items", 0)) < 0)) ||
	    (error = agg_add(a, "errors", agg_get(a, "severity/error") + agg_get(a, "severity/critical"))) < 0 ||
	    (in_csv(c->blob_only.ptr, "syntax") &&
	     (error = agg_add(a, "syntax-errors", agg_get(a, "findings/syntax/syntax-error"))) < 0) ||
	    (in_csv(c->per_commit.ptr, "imports") &&
	     (error = agg_add(a, "unresolved-imports", agg_get(a, "findings/imports/unresolved-import"))) < 0) ||
	    (in_csv(c->blob_only.ptr, "antibody") &&
	     (error = agg_add(a, "antibody-hits", agg_get(a, "findings/antibody"))) < 0) ||
	    (in_csv(c->per_commit.ptr, "drift") && (error = agg_add(a, "drifted-files", 0)) < 0) ||
	    (error = agg_add(a, "findings", 0)) < 0 ||
	    (error = agg_add(a, "files", 0)) < 0 ||
	    (error = agg_add(a, "lines", 0)) < 0)
		return error;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int compute(wm_health_point *p, job *j, const git_oid *oid)
{
	git_commit *commit = NULL;
	wm_world *world = NULL;
	miss_set set = { NULL, 0 };
	wm_buf key = WM_BUF_INIT;
	agg a = { NULL, 0, 0 };
	char hex[41], parent[41];
	uint64_t start = now_ms();
	size_t i, n;
	int error = 0, rc;

	memset(p, 0, sizeof(*p));
	git_oid_tostr(hex, sizeof(hex), oid);
	if (git_commit_lookup(&commit, wm_repo_git(j->repo), oid) < 0) {
		error = wm_error_set(WM_EREPO, "commit %s: %s", hex, git_error_last()->message);
		goto done;
	}
	if ((error = wm_world_open(&world, j->repo, WM_WORLD_COMMIT, hex)) < 0)
		goto done;
	n = wm_world_count(world);
	if (!(set.items = wm_calloc(n ? n : 1, sizeof(*set.items)))) {
		error = WM_ENOMEM;
		goto done;
	}
	/* Cached files add their record now; the others are scanned below. */
	for (i = 0; i < n; i++) {
		const wm_entry *e = wm_world_entry(world, i);

		if (e->mode == WM_MODE_GITLINK || e->mode == WM_MODE_LINK ||
		    wm_config_path_excluded(j->cfg, e->path))
			continue;
		if (j->mem) {
			if ((error = blob_key(&key, &j->ctx, &e->oid, e->path)) < 0)
				goto done;
			sqlite3_reset(j->get_blob);
			sqlite3_bind_text(j->get_blob, 1, key.ptr, (int)key.size, SQLITE_STATIC);
			if ((rc = sqlite3_step(j->get_blob)) == SQLITE_ROW) {
				if ((error = record_apply(&a, (const char *)sqlite3_column_text(j->get_blob, 0))) < 0)
					goto done;
				continue;
			}
			if (rc != SQLITE_DONE) {
				error = db_fail(j, "reading the blob cache");
				goto done;
			}
		}
		set.items[set.count].path = e->path;
		set.items[set.count].oid = e->oid;
		set.count++;
	}
	if (set.count && (error = scan_misses(j, &set, hex, world)) < 0)
		goto done;
	for (i = 0; i < set.count; i++) {
		if (!set.items[i].record.size)
			continue;
		if ((error = record_apply(&a, set.items[i].record.ptr)) < 0)
			goto done;
		if (!j->mem)
			continue;
		if ((error = blob_key(&key, &j->ctx, &set.items[i].oid, set.items[i].path)) < 0)
			goto done;
		sqlite3_reset(j->put_blob);
		sqlite3_bind_text(j->put_blob, 1, key.ptr, (int)key.size, SQLITE_STATIC);
		sqlite3_bind_text(j->put_blob, 2, set.items[i].record.ptr, (int)set.items[i].record.size, SQLITE_STATIC);
		if (sqlite3_step(j->put_blob) != SQLITE_DONE) {
			error = db_fail(j, "writing the blob cache");
			goto done;
		}
	}
	if ((error = per_commit(&a, j, hex)) < 0 || (error = derive(&a, &j->ctx)) < 0)
		goto done;
	memcpy(p->commit, hex, 41);
	p->time = (int64_t)git_commit_time(commit);
	if (!(p->subject = wm_strdup(git_commit_summary(commit) ? git_commit_summary(commit) : ""))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = point_take(p, &a)) < 0)
		goto done;
	p->elapsed_ms = now_ms() - start;
	if (j->mem) {
		if (git_commit_parentcount(commit))
			git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(commit, 0));
		error = store_point(j, p, git_commit_parentcount(commit) ? parent : NULL);
	}
done:
	if (error < 0) {
		point_dispose(p);
		memset(p, 0, sizeof(*p));
	}
	for (i = 0; i < set.count; i++)
		wm_buf_dispose(&set.items[i].record);
	wm_free(set.items);
	agg_dispose(&a);
	wm_buf_dispose(&key);
	wm_world_free(world);
	git_commit_free(commit);
	return error;
}

static void job_dispose(job *j)
{
	sqlite3_finalize(j->get_blob);
	sqlite3_finalize(j->put_blob);
	ctx_dispose(&j->ctx);
}

static int job_init(job *j, wm_repo *repo, const wm_config *cfg, wm_memory *mem,
	const wm_health_options *opts)
{
	int error;

	memset(j, 0, sizeof(*j));
	j->repo = repo;
	j->cfg = cfg;
	j->mem = mem;
	j->opts = opts;
	if (getenv("WM_TEST_HEALTH_KILL_AT"))
		j->kill_at = strtoul(getenv("WM_TEST_HEALTH_KILL_AT"), NULL, 10);
	if ((error = ctx_init(&j->ctx, repo, cfg, opts)) < 0)
		return error;
	if (mem && (sqlite3_prepare_v2(wm_memory_db(mem), "SELECT data FROM health_blob WHERE key = ?",
			-1, &j->get_blob, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(wm_memory_db(mem), "INSERT OR REPLACE INTO health_blob(key, data) VALUES (?, ?)",
			-1, &j->put_blob, NULL) != SQLITE_OK))
		return db_fail(j, "preparing statements");
	return 0;
}

/* From memory, or computed and stored in one transaction. */
static int point_for(wm_health_point *p, bool *computed, job *j, const git_oid *oid)
{
	char hex[41];
	int error;

	git_oid_tostr(hex, sizeof(hex), oid);
	*computed = false;
	if (j->mem && (error = load_point(p, j->mem, hex, j->ctx.id)) != WM_ENOTFOUND)
		return error;
	*computed = true;
	if (j->mem && (error = wm_memory_begin(j->mem)) < 0)
		return error;
	if ((error = compute(p, j, oid)) == 0 && j->mem) {
		/* Test hook for resumability: die inside the transaction of
		 * the n-th computed commit, which must then be lost alone. */
		if (j->kill_at && ++j->ncomputed == j->kill_at)
			raise(SIGKILL);
		error = wm_memory_commit(j->mem);
	}
	if (error < 0 && j->mem)
		wm_memory_rollback(j->mem);
	return error;
}

int wm_health_commit(wm_health_point **out, wm_repo *repo, const wm_config *cfg,
	wm_memory *mem, const char *rev, const wm_health_options *opts)
{
	wm_health_point *p = NULL;
	wm_oid resolved;
	git_oid oid;
	job j;
	bool computed;
	int error;

	*out = NULL;
	if ((error = job_init(&j, repo, cfg, mem, opts)) < 0)
		goto done;
	if ((error = wm_repo_resolve(&resolved, repo, rev)) < 0)
		goto done;
	memcpy(oid.id, resolved.id, sizeof(oid.id));
	if (!(p = wm_calloc(1, sizeof(*p)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = point_for(p, &computed, &j, &oid)) < 0)
		goto done;
	*out = p;
	p = NULL;
done:
	wm_free(p);
	job_dispose(&j);
	return error;
}

int wm_health_fill(wm_health_fill_stats *stats_out, wm_repo *repo, const wm_config *cfg,
	wm_memory *mem, const wm_health_options *opts)
{
	wm_health_fill_stats stats;
	wm_health_progress prog;
	commit_list list = { NULL, 0 };
	wm_health_point p;
	uint64_t start = now_ms();
	bool computed;
	size_t i;
	job j;
	int error;

	memset(&stats, 0, sizeof(stats));
	memset(&p, 0, sizeof(p));
	if ((error = job_init(&j, repo, cfg, mem, opts)) < 0 ||
	    (error = list_commits(&list, repo, opts->range,
			opts->limit ? opts->limit : DEFAULT_LIMIT)) < 0)
		goto done;
	stats.commits = list.count;
	for (i = 0; i < list.count; i++) {
		if ((error = point_for(&p, &computed, &j, &list.oids[i])) < 0)
			goto done;
		if (computed)
			stats.computed++;
		else
			stats.cached++;
		if (opts->progress) {
			memset(&prog, 0, sizeof(prog));
			prog.done = i + 1;
			prog.total = list.count;
			prog.computed = stats.computed;
			prog.files_scanned = j.files_scanned;
			prog.commit = p.commit;
			prog.subject = p.subject;
			prog.elapsed_ms = now_ms() - start;
			if (opts->progress(opts->progress_payload, &prog)) {
				stats.stopped = true;
				point_dispose(&p);
				memset(&p, 0, sizeof(p));
				break;
			}
		}
		point_dispose(&p);
		memset(&p, 0, sizeof(p));
	}
done:
	stats.files_scanned = j.files_scanned;
	stats.elapsed_ms = now_ms() - start;
	if (stats_out)
		*stats_out = stats;
	point_dispose(&p);
	wm_free(list.oids);
	job_dispose(&j);
	return error;
}

int wm_health_load(wm_health_history **out, wm_repo *repo, wm_memory *mem,
	const wm_health_options *opts)
{
	wm_health_history *h = NULL;
	commit_list list = { NULL, 0 };
	char hex[41];
	size_t i;
	int error;

	*out = NULL;
	if ((error = list_commits(&list, repo, opts ? opts->range : NULL,
			opts && opts->limit ? opts->limit : DEFAULT_LIMIT)) < 0)
		goto done;
	if (!(h = wm_calloc(1, sizeof(*h))) ||
	    !(h->points = wm_calloc(list.count ? list.count : 1, sizeof(*h->points)))) {
		error = WM_ENOMEM;
		goto done;
	}
	/* Oldest first, as charts read left to right. Any context: the
	 * history shows what was measured, even by an older wm. */
	for (i = list.count; i-- > 0;) {
		git_oid_tostr(hex, sizeof(hex), &list.oids[i]);
		error = load_point(&h->points[h->count], mem, hex, NULL);
		if (error == WM_ENOTFOUND)
			continue;
		if (error < 0)
			goto done;
		h->count++;
	}
	error = 0;
	*out = h;
	h = NULL;
done:
	wm_health_history_free(h);
	wm_free(list.oids);
	return error;
}

/* --- ranges ---------------------------------------------------------------- */

static int verdict_add(wm_health_verdict **v, size_t *n, const wm_health_metric *m, bool has_base,
	double base, const char *rule, double bound)
{
	wm_health_verdict *grown;

	if (!(grown = wm_reallocarray(*v, *n + 1, sizeof(*grown))))
		return WM_ENOMEM;
	*v = grown;
	grown[*n].name = m->name;
	grown[*n].value = m->value;
	grown[*n].has_base = has_base;
	grown[*n].base = base;
	grown[*n].rule = rule;
	grown[*n].bound = bound;
	(*n)++;
	return 0;
}

int wm_health_check(wm_health_verdict **out, size_t *count_out, const wm_config *cfg,
	const wm_health_point *head, const wm_health_point *base)
{
	wm_health_verdict *v = NULL;
	size_t n = 0, i;
	char key[320];
	double bound, b = 0;
	bool has_base;
	int error = 0;

	*out = NULL;
	*count_out = 0;
	for (i = 0; i < head->nmetrics; i++) {
		const wm_health_metric *m = &head->metrics[i];

		/* A name with a '.' cannot be a configuration key. */
		if (strchr(m->name, '.') || strlen(m->name) > 256)
			continue;
		has_base = base && wm_health_get(base, m->name, &b);
		snprintf(key, sizeof(key), "health.%s.min", m->name);
		if (wm_config_number(cfg, key, &bound) && m->value < bound &&
		    (error = verdict_add(&v, &n, m, has_base, b, "below-min", bound)) < 0)
			goto done;
		snprintf(key, sizeof(key), "health.%s.max", m->name);
		if (wm_config_number(cfg, key, &bound) && m->value > bound &&
		    (error = verdict_add(&v, &n, m, has_base, b, "above-max", bound)) < 0)
			goto done;
		if (!has_base)
			continue;
		/* A small epsilon: 84.0 - 83.99999999 is not a drop of 0.01. */
		snprintf(key, sizeof(key), "health.%s.max_drop", m->name);
		if (wm_config_number(cfg, key, &bound) && b - m->value > bound + 1e-9 &&
		    (error = verdict_add(&v, &n, m, true, b, "dropped", bound)) < 0)
			goto done;
		snprintf(key, sizeof(key), "health.%s.max_rise", m->name);
		if (wm_config_number(cfg, key, &bound) && m->value - b > bound + 1e-9 &&
		    (error = verdict_add(&v, &n, m, true, b, "rose", bound)) < 0)
			goto done;
	}
	*out = v;
	*count_out = n;
	v = NULL;
done:
	wm_free(v);
	return error;
}
