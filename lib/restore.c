/*
 * restore.c - apoptosis: put back the last version of a file that was well.
 *
 * Walks first-parent history from HEAD and scans each distinct version of
 * the file as its commit saw it (so repository context such as a module
 * index is the one of that commit), stopping at the first version with no
 * finding. The damaged content is kept twice before it is replaced: as a
 * quarantine ref, where people look for it, and in the fix journal, so
 * `wm-scan --undo` brings it back in one step.
 */
#include <string.h>

#include <git2.h>

#include "fix.h"
#include "quarantine.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "world.h"

/* How far back to look before giving up. */
#define MAX_COMMITS 500

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return wm_error_set(WM_EREPO, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

/* Whether the version of `path` in commit `id` has no finding that fails the gate. */
static int version_is_clean(bool *clean, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *template, const git_oid *id, const char *path)
{
	wm_severity min = wm_config_fail_on(cfg);
	wm_scan_options opts = *template;
	wm_scan_result *result = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int error;

	git_oid_tostr(hex, sizeof(hex), id);
	opts.targets.scope = WM_SCOPE_COMMIT;
	opts.targets.rev = hex;
	opts.prefix = path;
	opts.jobs = 1;
	if ((error = wm_scan_run(&result, repo, cfg, &opts)) < 0)
		return error;
	*clean = true;
	for (i = 0; i < result->findings.count; i++)
		if (result->findings.items[i].path && !strcmp(result->findings.items[i].path, path) &&
		    (min == WM_SEV_NONE || result->findings.items[i].severity >= min))
			*clean = false;
	wm_scan_result_free(result);
	return 0;
}

static int find_clean(git_oid *commit_out, git_oid *blob_out, uint32_t *mode_out, size_t *checked,
	wm_repo *repo, const wm_config *cfg, const wm_scan_options *template, const char *path)
{
	git_repository *git = wm_repo_git(repo);
	git_revwalk *walk = NULL;
	git_oid id, last_blob;
	bool have_last = false, clean = false;
	size_t n = 0;
	int error = 0;

	*checked = 0;
	if (git_revwalk_new(&walk, git) < 0 || git_revwalk_push_head(walk) < 0) {
		error = git_fail("walking history");
		goto done;
	}
	git_revwalk_simplify_first_parent(walk);
	while (n++ < MAX_COMMITS && git_revwalk_next(&id, walk) == 0) {
		git_commit *commit = NULL;
		git_tree *tree = NULL;
		git_tree_entry *entry = NULL;
		bool usable;

		if (git_commit_lookup(&commit, git, &id) < 0 || git_commit_tree(&tree, commit) < 0) {
			git_commit_free(commit);
			error = git_fail("reading history");
			goto done;
		}
		usable = git_tree_entry_bypath(&entry, tree, path) == 0 &&
			git_tree_entry_type(entry) == GIT_OBJECT_BLOB &&
			!(have_last && git_oid_equal(&last_blob, git_tree_entry_id(entry)));
		if (usable) {
			last_blob = *git_tree_entry_id(entry);
			have_last = true;
			*mode_out = git_tree_entry_filemode(entry);
		}
		git_tree_entry_free(entry);
		git_tree_free(tree);
		git_commit_free(commit);
		if (!usable)
			continue;
		(*checked)++;
		if ((error = version_is_clean(&clean, repo, cfg, template, &id, path)) < 0)
			goto done;
		if (clean) {
			*commit_out = id;
			*blob_out = last_blob;
			goto done;
		}
	}
	error = wm_error_set(WM_ENOTFOUND, "%s: no version without findings in the last %d commits "
		"(%zu versions checked)", path, MAX_COMMITS, *checked);
done:
	git_revwalk_free(walk);
	return error;
}

int wm_restore_run(wm_restore_report **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *scan_opts, const char *path)
{
	git_repository *git = wm_repo_git(repo);
	const char *workdir = wm_repo_workdir(repo);
	wm_restore_report *report = NULL;
	wm_journal *journal = NULL;
	git_index *held = NULL;
	git_blob *good = NULL;
	wm_buf current = WM_BUF_INIT, name = WM_BUF_INIT, message = WM_BUF_INIT, tmp = WM_BUF_INIT;
	git_oid commit_id, blob_id, current_id, kept;
	wm_oid before, after;
	unsigned int st_mode = 0;
	uint32_t mode = GIT_FILEMODE_BLOB;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	*out = NULL;
	if (!workdir) {
		error = wm_error_set(WM_EUSAGE, "--restore needs a working tree; this repository is bare");
		goto done;
	}
	if ((error = wm_world__read_file(&current, &st_mode, workdir, path)) < 0)
		goto done;
	if (!(report = wm_calloc(1, sizeof(*report))) || !(report->path = wm_strdup(path))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = find_clean(&commit_id, &blob_id, &mode, &report->checked, repo, cfg, scan_opts, path)) < 0)
		goto done;

	/* Keep the damaged content: a quarantine ref first, then the journal. */
	if (git_blob_create_from_buffer(&current_id, git, current.ptr ? current.ptr : "", current.size) < 0 ||
	    git_index_new(&held) < 0) {
		error = git_fail(path);
		goto done;
	}
	{
		git_index_entry entry;

		memset(&entry, 0, sizeof(entry));
		entry.path = path;
		entry.mode = (st_mode & 0111) ? GIT_FILEMODE_BLOB_EXECUTABLE : GIT_FILEMODE_BLOB;
		entry.id = current_id;
		if (git_index_add(held, &entry) < 0) {
			error = git_fail(path);
			goto done;
		}
	}
	git_oid_tostr(hex, sizeof(hex), &commit_id);
	if ((error = wm_buf_printf(&message, "wm restore: %s replaced by its version from %.12s\n\n"
			"This is the content it had before.\n", path, hex)) < 0 ||
	    (error = wm_quarantine__store(&name, &kept, repo, held, message.ptr)) < 0)
		goto done;
	if (git_blob_lookup(&good, git, &blob_id) < 0) {
		error = git_fail(path);
		goto done;
	}
	wm_world__oid_from_git(&before, &current_id);
	wm_world__oid_from_git(&after, &blob_id);
	if ((error = wm_journal__create(&journal, repo)) < 0 ||
	    (error = wm_journal__add(journal, path, false, st_mode & 07777, &before, &after)) < 0 ||
	    (error = wm_journal__save(journal)) < 0 || (error = wm_fix__tmpdir(&tmp, repo)) < 0 ||
	    (error = wm_fix__write_worktree(workdir, tmp.ptr, path, git_blob_rawcontent(good),
		    (size_t)git_blob_rawsize(good), st_mode & 07777)) < 0)
		goto done;
	journal->entries[0].state = WM_JOURNAL_APPLIED;
	if ((error = wm_journal__save(journal)) < 0)
		goto done;
	if (!(report->commit = wm_strdup(hex)) || !(report->quarantine = wm_buf_detach(&name))) {
		error = WM_ENOMEM;
		goto done;
	}
	*out = report;
	report = NULL;
done:
	git_blob_free(good);
	git_index_free(held);
	wm_journal__free(journal);
	wm_restore_report_free(report);
	wm_buf_dispose(&current);
	wm_buf_dispose(&name);
	wm_buf_dispose(&message);
	wm_buf_dispose(&tmp);
	return error;
}

void wm_restore_report_free(wm_restore_report *report)
{
	if (!report)
		return;
	wm_free(report->path);
	wm_free(report->commit);
	wm_free(report->quarantine);
	wm_free(report);
}
