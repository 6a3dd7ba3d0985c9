/*
 * antibody.c - the antibody detector: structural rules with fixes.
 *
 * The rules are wm's built-in ones (compiled into libwm), then the
 * repository's own from `antibodies.dirs` (default `.wm/antibodies/`), read
 * from the world being scanned so that a staged rule file is the one
 * applied in the hook and the committed one in CI. A repository rule with
 * the id of a built-in replaces it; `antibodies.disable` drops ids;
 * `detectors.antibody.severity.<id>` changes a rule's severity through the
 * scan's usual machinery.
 *
 * Compiling a rule set costs far more than applying it to one file, so it
 * is compiled once per run (once per worker process with -j) and kept in
 * the detector's run state (wm_scan_state), freed by the end callback.
 * The immune memory's records are read into the same state once per run:
 * a rule whose fixes users keep reverting reports as a warning, and a
 * learned rule whose fixes they keep is promoted from a hint to a warning
 * (wm/antibody_memory.h); the message says which and why.
 *
 * Broken rule files are not errors of the scan: each broken rule becomes
 * a `rule-error` finding on its file with the line and column, emitted
 * once per run from scan_repo, and every other rule still runs.
 */
#include <stdlib.h>
#include <string.h>

#include "antibody.h"

static const wm_rule_info rules[] = {
	{
		"rule-error",
		WM_SEV_ERROR,
		"An antibody rule file could not be loaded.",
		"A rule in .wm/antibodies/ (or another directory in antibodies.dirs) has invalid "
		"YAML, an unknown key, a pattern that does not parse in its language, or a bad "
		"regex. The rule is skipped and every other rule still runs. Fix the rule at the "
		"position shown; `wm-antibody test FILE` checks a rule file and runs its tests."
	},
};

/* What a run keeps: the compiled rules and the immune memory's verdicts. */
typedef struct run_state {
	wm_antibodies *set;
	wm_antibody_stats *stats;    /* NULL: no memory yet, every rule is graded on no evidence */
	wm_antibody_policy policy;
} run_state;

static void run_state_free(run_state *rs)
{
	if (!rs)
		return;
	wm_antibodies_free(rs->set);
	wm_antibody_stats_free(rs->stats);
	wm_free(rs);
}

/*
 * The memory's records, read once per run, read-only: a scan must not
 * create files in a fresh CI clone, nor wait for the write transaction
 * `wm-board --history` holds around it. A memory that cannot be read
 * leaves every rule at its own severity.
 */
static void load_stats(run_state *rs, wm_scan *scan)
{
	wm_repo *repo = wm_world_repo(wm_scan_world(scan));
	wm_memory *mem = NULL;

	if (repo && wm_memory_open_reader(&mem, repo) == 0 && wm_antibody_stats_load(&rs->stats, mem) < 0)
		rs->stats = NULL;
	wm_error_clear();
	wm_memory_free(mem);
}

/* The state of this run, built on first use (borrowed until the run ends). */
static int state_of(run_state **out, wm_scan *scan)
{
	void **slot = wm_scan_state(scan);
	run_state *rs = NULL;
	int error = 0;

	if (!slot)
		return wm_error_set(WM_ERROR, "antibody: no run state");
	if (!*slot) {
		if (!(rs = wm_calloc(1, sizeof(*rs)))) {
			error = WM_ENOMEM;
			goto done;
		}
		if ((error = wm_antibodies_load_config(&rs->set, wm_scan_config(scan), wm_scan_world(scan))) < 0)
			goto done;
		wm_antibody_policy_from_config(&rs->policy, wm_scan_config(scan));
		load_stats(rs, scan);
		*slot = rs;
		rs = NULL;
	}
	*out = *slot;
done:
	run_state_free(rs);
	return error;
}

static void end(wm_scan *scan)
{
	void **slot = wm_scan_state(scan);

	if (slot) {
		run_state_free(*slot);
		*slot = NULL;
	}
}

/*
 * The severity the memory gives a rule, and the note that says why, so a
 * user who sees a warning where the rule file says error knows the reason.
 */
static int grade(wm_severity *sev, wm_buf *note, const run_state *rs, const wm_antibody_info *r)
{
	const wm_antibody_stat *st = wm_antibody_stats_find(rs->stats, r->id);
	bool learned = r->provenance && !strcmp(r->provenance, "learned");

	switch (wm_antibody_judge(sev, st, r->severity, learned, &rs->policy)) {
	case WM_ANTIBODY_DEMOTED:
		return wm_buf_printf(note, " (demoted: %llu of %llu fixes reverted)",
			(unsigned long long)st->reverted, (unsigned long long)st->applied);
	case WM_ANTIBODY_PROMOTED:
		return wm_buf_printf(note, " (promoted: %llu of %llu fixes kept)",
			(unsigned long long)(st->applied - st->reverted), (unsigned long long)st->applied);
	default:
		return 0;
	}
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	wm_antibody_matches matches = WM_ANTIBODY_MATCHES_INIT;
	run_state *rs;
	const TSTree *tree;
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || file->lang == WM_LANG_NONE || !file->data)
		goto done;
	if ((error = state_of(&rs, scan)) < 0)
		goto done;
	if ((error = wm_scan_tree(&tree, scan, file)) < 0) {
		/* No grammar or a parse timeout: the syntax detector reports it. */
		if (error == WM_ENOTFOUND || error == WM_EPARSE)
			error = 0;
		goto done;
	}
	if ((error = wm_antibodies_scan(&matches, rs->set, file->lang, ts_tree_root_node(tree),
			file->data, SIZE_MAX)) < 0)
		goto done;
	for (i = 0; i < matches.count && !error; i++) {
		const wm_antibody_match *m = &matches.items[i];
		const wm_antibody_info *r = wm_antibodies_info(rs->set, m->rule);
		wm_finding f = WM_FINDING_INIT;
		wm_edit edit;
		wm_fix fix;

		wm_buf_clear(&msg);
		if (m->fix_withheld_for)
			error = wm_buf_printf(&msg, "%s (no fix offered: it overlaps the fix of %s)",
				m->message, m->fix_withheld_for);
		else
			error = wm_buf_puts(&msg, m->message);
		if (error == 0)
			error = grade(&f.severity, &msg, rs, r);
		if (error < 0)
			break;
		f.rule = (char *)r->id;
		f.path = (char *)file->path;
		f.start_byte = m->start_byte;
		f.end_byte = m->end_byte;
		f.message = msg.ptr;
		if (m->fix) {
			edit.path = (char *)file->path;
			edit.start_byte = m->start_byte;
			edit.end_byte = m->end_byte;
			edit.replacement = m->fix;
			fix.description = (char *)r->id;
			fix.edits = &edit;
			fix.nedits = 1;
			f.fix = &fix;
		}
		error = wm_emit(scan, &f);
	}
done:
	wm_antibody_matches_dispose(&matches);
	wm_buf_dispose(&msg);
	return error;
}

static int scan_repo(wm_scan *scan)
{
	const wm_antibodies *set;
	run_state *rs;
	size_t i;
	int error;

	if ((error = state_of(&rs, scan)) < 0)
		return error;
	set = rs->set;
	for (i = 0; i < wm_antibodies_error_count(set) && !error; i++) {
		const wm_antibody_error *e = wm_antibodies_error(set, i);
		wm_finding f = WM_FINDING_INIT;

		f.rule = (char *)"rule-error";
		f.path = e->file;
		f.line = e->line;
		f.column = e->column;
		f.end_line = e->line;
		f.end_column = e->column;
		f.message = e->message;
		error = wm_emit(scan, &f);
	}
	return error;
}

const wm_detector wm_detector_antibody = {
	"antibody",
	rules,
	sizeof(rules) / sizeof(rules[0]),
	scan_file,
	scan_repo,
	end,
};
