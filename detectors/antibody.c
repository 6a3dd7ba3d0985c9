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

static bool is_rule_file(const char *path)
{
	size_t n = strlen(path);

	return (n > 4 && !strcmp(path + n - 4, ".yml")) || (n > 5 && !strcmp(path + n - 5, ".yaml"));
}

/* Load every rule file of the world under directory `dir`, in path order. */
static int load_dir(wm_antibodies *set, const wm_world *world, const char *dir)
{
	size_t n = wm_world_count(world), len = strlen(dir), i;
	int error = 0;

	while (len && dir[len - 1] == '/')
		len--;
	for (i = 0; i < n && !error; i++) {
		const wm_entry *e = wm_world_entry(world, i);
		wm_blob blob = WM_BLOB_INIT;

		if (strncmp(e->path, dir, len) || e->path[len] != '/' || !is_rule_file(e->path) ||
		    e->mode == WM_MODE_LINK || e->mode == WM_MODE_GITLINK)
			continue;
		if ((error = wm_world_read(&blob, world, e->path)) < 0) {
			if (error == WM_ENOTFOUND)
				error = 0;
			continue;
		}
		error = wm_antibodies_load(set, e->path, blob.data, blob.size, false);
		wm_blob_release(&blob);
	}
	return error;
}

static int build_set(wm_antibodies **out, const wm_config *cfg, const wm_world *world)
{
	wm_antibodies *set = NULL;
	const char *const *list;
	size_t n, i;
	int error;

	*out = NULL;
	if ((error = wm_antibodies_new(&set)) < 0)
		goto done;
	if (wm_config_bool(cfg, "antibodies.builtin") && (error = wm_antibodies_load_builtin(set)) < 0)
		goto done;
	list = wm_config_list(cfg, "antibodies.dirs", &n);
	if (n == 0) {
		if ((error = load_dir(set, world, ".wm/antibodies")) < 0)
			goto done;
	}
	for (i = 0; i < n; i++)
		if ((error = load_dir(set, world, list[i])) < 0)
			goto done;
	list = wm_config_list(cfg, "antibodies.disable", &n);
	for (i = 0; i < n; i++)
		wm_antibodies_disable(set, list[i]);
	*out = set;
	set = NULL;
done:
	wm_antibodies_free(set);
	return error;
}

/* The compiled rules of this run, built on first use (borrowed until the run ends). */
static int rules_of(const wm_antibodies **out, wm_scan *scan)
{
	void **slot = wm_scan_state(scan);
	wm_antibodies *set = NULL;
	int error;

	if (!slot)
		return wm_error_set(WM_ERROR, "antibody: no run state");
	if (!*slot) {
		if ((error = build_set(&set, wm_scan_config(scan), wm_scan_world(scan))) < 0)
			return error;
		*slot = set;
	}
	*out = *slot;
	return 0;
}

static void end(wm_scan *scan)
{
	void **slot = wm_scan_state(scan);

	if (slot) {
		wm_antibodies_free(*slot);
		*slot = NULL;
	}
}

static int scan_file(wm_scan *scan, const wm_file *file)
{
	wm_antibody_matches matches = WM_ANTIBODY_MATCHES_INIT;
	const wm_antibodies *set;
	const TSTree *tree;
	wm_buf msg = WM_BUF_INIT;
	size_t i;
	int error = 0;

	if (file->change == WM_CHANGE_DELETED || file->lang == WM_LANG_NONE || !file->data)
		goto done;
	if ((error = rules_of(&set, scan)) < 0)
		goto done;
	if ((error = wm_scan_tree(&tree, scan, file)) < 0) {
		/* No grammar or a parse timeout: the syntax detector reports it. */
		if (error == WM_ENOTFOUND || error == WM_EPARSE)
			error = 0;
		goto done;
	}
	if ((error = wm_antibodies_scan(&matches, set, file->lang, ts_tree_root_node(tree),
			file->data, SIZE_MAX)) < 0)
		goto done;
	for (i = 0; i < matches.count && !error; i++) {
		const wm_antibody_match *m = &matches.items[i];
		const wm_antibody_info *r = wm_antibodies_info(set, m->rule);
		wm_finding f = WM_FINDING_INIT;
		wm_edit edit;
		wm_fix fix;

		wm_buf_clear(&msg);
		if (m->fix_withheld_for)
			error = wm_buf_printf(&msg, "%s (no fix offered: it overlaps the fix of %s)",
				m->message, m->fix_withheld_for);
		else
			error = wm_buf_puts(&msg, m->message);
		if (error < 0)
			break;
		f.rule = (char *)r->id;
		f.severity = r->severity;
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
	size_t i;
	int error;

	if ((error = rules_of(&set, scan)) < 0)
		return error;
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
