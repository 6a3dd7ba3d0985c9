/*
 * antibody_memory.c - each antibody's hits, fixes and reverts, and what
 * they say about the rule.
 *
 * Two tables in the immune memory (lib/memory.c, migration 1 -> 2):
 * `antibody_stats` counts hits per rule, and `antibody_fix` holds one row
 * per (fix run, rule, path) that a `--fix` run kept, with the oid of the
 * content the fix left. Applied and reverted counts are derived from the
 * fix rows rather than kept as counters, so that a fix can only ever be
 * reverted once, whichever way the revert is noticed.
 *
 * A revert is noticed in two ways, and only these:
 *   - `wm-scan --undo` put the file back: certain;
 *   - a later scan of the working tree or the index finds the same rule at
 *     the same path while the file no longer holds what the fix wrote: the
 *     user (or a checkout) brought the threat back. This is a proxy: new
 *     code with the same mistake in a file edited since also counts. It
 *     errs towards demoting a rule, which only ever lowers a severity to a
 *     warning, never hides a finding.
 * History scans (`--rev`, `--diff`) record nothing: they replay the past,
 * and counting them would count the same commits again on every CI run.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>
#include <sqlite3.h>

#include "wm/alloc.h"
#include "wm/antibody_memory.h"
#include "wm/error.h"
#include "wm/world.h"

#define DETECTOR "antibody"

static int db_error(wm_memory *mem, const char *what)
{
	return wm_error_set(WM_ERROR, "immune memory %s: %s: %s", wm_memory_path(mem), what,
		sqlite3_errmsg(wm_memory_db(mem)));
}

static int prepare(sqlite3_stmt **out, wm_memory *mem, const char *sql)
{
	if (sqlite3_prepare_v2(wm_memory_db(mem), sql, -1, out, NULL) != SQLITE_OK)
		return db_error(mem, "preparing a statement");
	return 0;
}

/* Run a bound statement that returns no rows, and reset it for the next use. */
static int step_done(sqlite3_stmt *st, wm_memory *mem)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : db_error(mem, "writing");
}

const char *wm_antibody_status_name(wm_antibody_status status)
{
	switch (status) {
	case WM_ANTIBODY_DEMOTED: return "demoted";
	case WM_ANTIBODY_LEARNED_HINT: return "learned-hint";
	case WM_ANTIBODY_PROMOTED: return "promoted";
	default: return "normal";
	}
}

void wm_antibody_policy_from_config(wm_antibody_policy *out, const wm_config *cfg)
{
	double below = 0.5;
	int64_t min = 3;

	if (cfg) {
		if (!wm_config_number(cfg, "antibodies.demote_below", &below))
			below = 0.5;
		min = wm_config_int(cfg, "antibodies.min_evidence");
	}
	out->demote_below = below;
	out->min_evidence = min > 0 ? (uint64_t)min : 1;
}

double wm_antibody_effectiveness(const wm_antibody_stat *stat)
{
	uint64_t kept;

	if (!stat || !stat->applied)
		return 1.0;
	kept = stat->applied > stat->reverted ? stat->applied - stat->reverted : 0;
	return (double)kept / (double)stat->applied;
}

wm_antibody_status wm_antibody_judge(wm_severity *sev_out, const wm_antibody_stat *stat,
	wm_severity declared, bool learned, const wm_antibody_policy *policy)
{
	double eff = wm_antibody_effectiveness(stat);
	uint64_t applied = stat ? stat->applied : 0;
	uint64_t kept = stat && stat->applied > stat->reverted ? stat->applied - stat->reverted : 0;

	*sev_out = declared;
	if (learned) {
		/* A learned rule earns trust from kept fixes; losing it (reverts
		 * pulling effectiveness down) sends it back to a hint. */
		if (kept >= policy->min_evidence && eff >= WM_ANTIBODY_PROMOTE_AT) {
			if (declared < WM_SEV_WARNING)
				*sev_out = WM_SEV_WARNING;
			return WM_ANTIBODY_PROMOTED;
		}
		return WM_ANTIBODY_LEARNED_HINT;
	}
	/* Too few fixes say nothing: one revert out of one is not a verdict. */
	if (applied < policy->min_evidence || eff >= policy->demote_below)
		return WM_ANTIBODY_NORMAL;
	if (declared > WM_SEV_WARNING)
		*sev_out = WM_SEV_WARNING;
	return WM_ANTIBODY_DEMOTED;
}

void wm_antibody_stats_free(wm_antibody_stats *stats)
{
	size_t i;

	if (!stats)
		return;
	for (i = 0; i < stats->count; i++)
		wm_free(stats->items[i].id);
	wm_free(stats->items);
	wm_free(stats);
}

int wm_antibody_stats_load(wm_antibody_stats **out, wm_memory *mem)
{
	/* Every id with hits or fixes; counts of each side joined by id. */
	static const char sql[] =
		"WITH ids AS (SELECT id FROM antibody_stats UNION SELECT rule FROM antibody_fix),"
		" f AS (SELECT rule, count(*) AS applied, count(reverted) AS reverted"
		"       FROM antibody_fix GROUP BY rule)"
		" SELECT ids.id, coalesce(s.hits, 0), coalesce(f.applied, 0), coalesce(f.reverted, 0),"
		"        coalesce(s.last_seen, 0)"
		" FROM ids LEFT JOIN antibody_stats s ON s.id = ids.id LEFT JOIN f ON f.rule = ids.id"
		" ORDER BY ids.id";
	wm_antibody_stats *stats = NULL;
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc, error = 0;

	*out = NULL;
	if (!(stats = wm_calloc(1, sizeof(*stats)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = prepare(&st, mem, sql)) < 0)
		goto done;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		wm_antibody_stat *s;

		if (stats->count == alloc) {
			size_t a = alloc ? alloc * 2 : 16;
			wm_antibody_stat *grown = wm_reallocarray(stats->items, a, sizeof(*grown));

			if (!grown) {
				error = WM_ENOMEM;
				goto done;
			}
			stats->items = grown;
			alloc = a;
		}
		s = &stats->items[stats->count];
		memset(s, 0, sizeof(*s));
		if (!(s->id = wm_strdup((const char *)sqlite3_column_text(st, 0)))) {
			error = WM_ENOMEM;
			goto done;
		}
		stats->count++;
		s->hits = (uint64_t)sqlite3_column_int64(st, 1);
		s->applied = (uint64_t)sqlite3_column_int64(st, 2);
		s->reverted = (uint64_t)sqlite3_column_int64(st, 3);
		s->last_seen = sqlite3_column_int64(st, 4);
	}
	if (rc != SQLITE_DONE) {
		error = db_error(mem, "reading antibody statistics");
		goto done;
	}
	*out = stats;
	stats = NULL;
done:
	sqlite3_finalize(st);
	wm_antibody_stats_free(stats);
	return error;
}

const wm_antibody_stat *wm_antibody_stats_find(const wm_antibody_stats *stats, const char *id)
{
	size_t lo = 0, hi = stats ? stats->count : 0;

	/* Sorted by id (ORDER BY in wm_antibody_stats_load, binary collation = strcmp). */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(stats->items[mid].id, id);

		if (c == 0)
			return &stats->items[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Hex oid of what the scanned world holds at `path`; empty when it holds nothing. */
static int current_oid(char out[41], const wm_world *world, const char *path)
{
	wm_blob blob = WM_BLOB_INIT;
	git_oid oid;
	int error = 0;

	out[0] = '\0';
	if ((error = wm_world_read(&blob, world, path)) < 0) {
		if (error == WM_ENOTFOUND) {
			wm_error_clear();
			error = 0;
		}
		goto done;
	}
	if (git_odb_hash(&oid, blob.data ? blob.data : "", blob.size, GIT_OBJECT_BLOB) < 0) {
		error = wm_error_set(WM_ERROR, "%s: cannot hash", path);
		goto done;
	}
	git_oid_tostr(out, 41, &oid);
done:
	wm_blob_release(&blob);
	return error;
}

typedef struct scan_stmts {
	sqlite3_stmt *hit, *open_fix, *revert;
} scan_stmts;

/* One antibody finding: a hit, and the comeback of any open fix of its rule at its path. */
static int record_finding(wm_memory *mem, const scan_stmts *st, const wm_world *world,
	const wm_finding *f, int64_t now)
{
	char now_oid[41] = "";
	bool hashed = false;
	int rc, error;

	sqlite3_bind_text(st->hit, 1, f->rule, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st->hit, 2, now);
	if ((error = step_done(st->hit, mem)) < 0 || !f->path)
		goto done;
	sqlite3_bind_text(st->open_fix, 1, f->rule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st->open_fix, 2, f->path, -1, SQLITE_STATIC);
	while (error == 0 && (rc = sqlite3_step(st->open_fix)) == SQLITE_ROW) {
		const char *after = (const char *)sqlite3_column_text(st->open_fix, 1);

		/* The file still holding the fixed content means this finding is
		 * one the fix left (an overlapping one), not a comeback. */
		if (!hashed && (error = current_oid(now_oid, world, f->path)) < 0)
			break;
		hashed = true;
		if (after && !strcmp(after, now_oid))
			continue;
		sqlite3_bind_text(st->revert, 1, (const char *)sqlite3_column_text(st->open_fix, 0), -1,
			SQLITE_TRANSIENT);
		sqlite3_bind_text(st->revert, 2, f->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st->revert, 3, f->path, -1, SQLITE_STATIC);
		error = step_done(st->revert, mem);
	}
done:
	sqlite3_reset(st->open_fix);
	sqlite3_clear_bindings(st->open_fix);
	return error;
}

int wm_antibody_memory_record_scan(wm_memory *mem, const wm_scan_result *result)
{
	scan_stmts st = { NULL, NULL, NULL };
	wm_world_kind kind;
	int64_t now = (int64_t)time(NULL);
	size_t i;
	int error = 0;

	if (!result->world)
		goto done;
	kind = wm_world_kind_of(result->world);
	if (kind != WM_WORLD_WORKDIR && kind != WM_WORLD_INDEX)
		goto done;
	if ((error = wm_memory_begin(mem)) < 0 ||
	    (error = prepare(&st.hit, mem, "INSERT INTO antibody_stats (id, hits, last_seen) VALUES (?1, 1, ?2)"
			" ON CONFLICT (id) DO UPDATE SET hits = hits + 1, last_seen = ?2")) < 0 ||
	    (error = prepare(&st.open_fix, mem, "SELECT journal_id, after_oid FROM antibody_fix"
			" WHERE rule = ?1 AND path = ?2 AND reverted IS NULL")) < 0 ||
	    (error = prepare(&st.revert, mem, "UPDATE antibody_fix SET reverted = 'reappeared'"
			" WHERE journal_id = ?1 AND rule = ?2 AND path = ?3")) < 0)
		goto done;
	for (i = 0; i < result->findings.count && error == 0; i++) {
		const wm_finding *f = &result->findings.items[i];

		if (f->detector && !strcmp(f->detector, DETECTOR) && f->rule && strcmp(f->rule, "rule-error"))
			error = record_finding(mem, &st, result->world, f, now);
	}
	if (error == 0)
		error = wm_memory_commit(mem);
done:
	if (error < 0)
		wm_memory_rollback(mem);
	sqlite3_finalize(st.hit);
	sqlite3_finalize(st.open_fix);
	sqlite3_finalize(st.revert);
	return error;
}

int wm_antibody_memory_record_fixes(wm_memory *mem, const wm_fix_report *report)
{
	sqlite3_stmt *add = NULL;
	int64_t now = (int64_t)time(NULL);
	size_t i, j;
	int error = 0;

	if (!report->journal)
		return 0;
	if ((error = wm_memory_begin(mem)) < 0 ||
	    (error = prepare(&add, mem, "INSERT OR IGNORE INTO antibody_fix"
			" (journal_id, rule, path, after_oid, time) VALUES (?1, ?2, ?3, ?4, ?5)")) < 0)
		goto done;
	for (i = 0; i < report->count; i++) {
		const wm_fix_file *ff = &report->files[i];
		char hex[41];
		git_oid oid;

		if (ff->status != WM_FIX_APPLIED && ff->status != WM_FIX_PARTIAL)
			continue;
		if (git_odb_hash(&oid, ff->after.ptr ? ff->after.ptr : "", ff->after.size, GIT_OBJECT_BLOB) < 0) {
			error = wm_error_set(WM_ERROR, "%s: cannot hash", ff->path);
			goto done;
		}
		git_oid_tostr(hex, sizeof(hex), &oid);
		for (j = 0; j < ff->nrules; j++) {
			if (strcmp(ff->rules[j].detector, DETECTOR))
				continue;
			sqlite3_bind_text(add, 1, report->journal, -1, SQLITE_STATIC);
			sqlite3_bind_text(add, 2, ff->rules[j].rule, -1, SQLITE_STATIC);
			sqlite3_bind_text(add, 3, ff->path, -1, SQLITE_STATIC);
			sqlite3_bind_text(add, 4, hex, -1, SQLITE_STATIC);
			sqlite3_bind_int64(add, 5, now);
			if ((error = step_done(add, mem)) < 0)
				goto done;
		}
	}
	error = wm_memory_commit(mem);
done:
	if (error < 0)
		wm_memory_rollback(mem);
	sqlite3_finalize(add);
	return error;
}

int wm_antibody_memory_record_undo(wm_memory *mem, const wm_undo_report *report)
{
	sqlite3_stmt *revert = NULL;
	size_t i;
	int error = 0;

	if (!report->journal)
		return 0;
	if ((error = wm_memory_begin(mem)) < 0 ||
	    (error = prepare(&revert, mem, "UPDATE antibody_fix SET reverted = 'undo'"
			" WHERE journal_id = ?1 AND path = ?2 AND reverted IS NULL")) < 0)
		goto done;
	for (i = 0; i < report->count; i++) {
		/* A file already back to its original before the undo is a
		 * revert too: restored is true for it, with a note. */
		if (!report->files[i].restored)
			continue;
		sqlite3_bind_text(revert, 1, report->journal, -1, SQLITE_STATIC);
		sqlite3_bind_text(revert, 2, report->files[i].path, -1, SQLITE_STATIC);
		if ((error = step_done(revert, mem)) < 0)
			goto done;
	}
	error = wm_memory_commit(mem);
done:
	if (error < 0)
		wm_memory_rollback(mem);
	sqlite3_finalize(revert);
	return error;
}
