/*
 * quarantine.c - take critical, unfixable files out of a commit, safely.
 *
 * The staged content is stored before the index is touched: a commit
 * whose tree holds exactly the quarantined files, under
 * refs/wm/quarantine/<time>, so `git log refs/wm/quarantine/...`,
 * `git show` and `wm-quarantine` can all get it back. Only then is each
 * index entry reset to HEAD's version (or removed for a new file). The
 * working tree is never written: whatever the user has on disk stays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <git2.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/quarantine.h"
#include "quarantine.h"
#include "world.h"

#define REF_PREFIX "refs/wm/quarantine/"

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return wm_error_set(WM_EREPO, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

static void quarantine_clear(wm_quarantine *q)
{
	size_t i;

	for (i = 0; i < q->npaths; i++)
		wm_free(q->paths[i]);
	wm_free(q->paths);
	wm_free(q->name);
	wm_free(q->message);
	memset(q, 0, sizeof(*q));
}

void wm_quarantines_free(wm_quarantines *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++)
		quarantine_clear(&list->items[i]);
	wm_free(list->items);
	wm_free(list);
}

/* Read a quarantine commit into `q`: its message and the paths of its tree. */
static int describe(wm_quarantine *q, git_repository *git, const char *name, const git_oid *id)
{
	git_commit *commit = NULL;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	size_t i;
	int error = 0;

	if (git_commit_lookup(&commit, git, id) < 0 || git_commit_tree(&tree, commit) < 0 ||
	    git_index_new(&idx) < 0 || git_index_read_tree(idx, tree) < 0) {
		error = git_fail(name);
		goto done;
	}
	if (!(q->name = wm_strdup(name)) || !(q->message = wm_strdup(git_commit_message(commit))) ||
	    !(q->paths = wm_calloc(git_index_entrycount(idx) + 1, sizeof(*q->paths)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < git_index_entrycount(idx); i++) {
		if (!(q->paths[i] = wm_strdup(git_index_get_byindex(idx, i)->path))) {
			error = WM_ENOMEM;
			goto done;
		}
		q->npaths++;
	}
	q->time = (int64_t)git_commit_time(commit);
done:
	git_index_free(idx);
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

static int signature(git_signature **out, git_repository *git)
{
	/* No user.name is common on CI machines; the quarantine must not fail for it. */
	if (git_signature_default(out, git) == 0)
		return 0;
	if (git_signature_now(out, "wm", "wm@localhost") < 0)
		return git_fail("making a signature");
	return 0;
}

int wm_quarantine__store(wm_buf *name_out, git_oid *commit_out, wm_repo *repo, git_index *held,
	const char *message)
{
	git_repository *git = wm_repo_git(repo);
	wm_buf refname = WM_BUF_INIT;
	git_signature *sig = NULL;
	git_reference *ref = NULL, *probe = NULL;
	git_tree *tree = NULL;
	git_oid tree_id;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int k, error = 0;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
	for (k = 1;; k++) {
		wm_buf_clear(name_out);
		wm_buf_clear(&refname);
		if ((error = wm_buf_printf(name_out, "%s-%d", stamp, k)) < 0 ||
		    (error = wm_buf_printf(&refname, REF_PREFIX "%s", name_out->ptr)) < 0)
			goto done;
		if (git_reference_lookup(&probe, git, refname.ptr) < 0)
			break;
		git_reference_free(probe);
	}
	if (git_index_write_tree_to(&tree_id, held, git) < 0 || git_tree_lookup(&tree, git, &tree_id) < 0) {
		error = git_fail("storing the quarantine");
		goto done;
	}
	if ((error = signature(&sig, git)) < 0)
		goto done;
	if (git_commit_create(commit_out, git, NULL, sig, sig, NULL, message, tree, 0, NULL) < 0 ||
	    git_reference_create(&ref, git, refname.ptr, commit_out, 0, "wm quarantine") < 0)
		error = git_fail("storing the quarantine");
done:
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	wm_buf_dispose(&refname);
	return error;
}

/* Whether path has a finding at or above min, and none of its findings can be fixed. */
static bool qualifies(const wm_findings *findings, size_t first, const char *path, wm_severity min)
{
	bool critical = false;
	size_t i;

	for (i = first; i < findings->count && findings->items[i].path &&
	     !strcmp(findings->items[i].path, path); i++) {
		if (findings->items[i].fix)
			return false;
		if (findings->items[i].severity >= min)
			critical = true;
	}
	return critical;
}

int wm_quarantine_run(wm_quarantines **out, wm_repo *repo, const wm_scan_result *result,
	wm_severity min)
{
	git_repository *git = wm_repo_git(repo);
	const wm_findings *fs = &result->findings;
	wm_quarantines *list = NULL;
	git_index *staged = NULL, *held = NULL;
	git_tree *head = NULL;
	wm_buf message = WM_BUF_INIT, name = WM_BUF_INIT;
	git_oid commit_id;
	size_t i, n = 0;
	int error = 0;

	*out = NULL;
	if (!result->world || wm_world_kind_of(result->world) != WM_WORLD_INDEX) {
		error = wm_error_set(WM_EUSAGE, "--quarantine works on what is staged (--staged)");
		goto done;
	}
	if (!(list = wm_calloc(1, sizeof(*list)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (git_repository_index(&staged, git) < 0 || git_index_read(staged, 1) < 0 ||
	    git_index_new(&held) < 0) {
		error = git_fail("reading the index");
		goto done;
	}
	/* Findings are sorted by path: each file's findings are one run. */
	for (i = 0; i < fs->count; i++) {
		const wm_finding *f = &fs->items[i];
		const git_index_entry *e;

		if (!f->path || (i > 0 && fs->items[i - 1].path && !strcmp(fs->items[i - 1].path, f->path)))
			continue;
		if (!qualifies(fs, i, f->path, min) || !(e = git_index_get_bypath(staged, f->path, 0)))
			continue;
		if (git_index_add(held, e) < 0) {
			error = git_fail(f->path);
			goto done;
		}
		n++;
	}
	for (i = 0; i < fs->count && n; i++) {
		const wm_finding *f = &fs->items[i];

		if (f->path && git_index_get_bypath(held, f->path, 0) &&
		    (error = wm_buf_printf(&message, "%s:%u: %s: %s\n", f->path, (unsigned)f->line,
			    f->rule ? f->rule : "?", f->message ? f->message : "")) < 0)
			goto done;
	}
	if (n == 0) {
		*out = list;
		list = NULL;
		goto done;
	}

	/* 1. Keep the staged content under a ref. */
	{
		wm_buf full = WM_BUF_INIT;

		error = wm_buf_printf(&full, "wm quarantine: %zu file%s taken out of the commit\n\n%s",
			n, n == 1 ? "" : "s", message.ptr);
		if (error == 0)
			error = wm_quarantine__store(&name, &commit_id, repo, held, full.ptr);
		wm_buf_dispose(&full);
		if (error < 0)
			goto done;
	}

	/* 2. Only now take the files out of the index. */
	if ((error = wm_world__head_tree(&head, repo)) < 0)
		goto done;
	for (i = 0; i < git_index_entrycount(held); i++) {
		const char *path = git_index_get_byindex(held, i)->path;
		git_tree_entry *te = NULL;

		if (head && git_tree_entry_bypath(&te, head, path) == 0 &&
		    git_tree_entry_type(te) == GIT_OBJECT_BLOB) {
			git_index_entry entry;

			memset(&entry, 0, sizeof(entry));
			entry.path = path;
			entry.mode = git_tree_entry_filemode(te);
			entry.id = *git_tree_entry_id(te);
			error = git_index_add(staged, &entry) < 0 ? git_fail(path) : 0;
		} else {
			error = git_index_remove_bypath(staged, path) < 0 ? git_fail(path) : 0;
		}
		git_tree_entry_free(te);
		if (error < 0)
			goto done;
	}
	if (git_index_write(staged) < 0) {
		error = git_fail("writing the index");
		goto done;
	}
	if (!(list->items = wm_calloc(1, sizeof(*list->items)))) {
		error = WM_ENOMEM;
		goto done;
	}
	list->count = 1;
	if ((error = describe(&list->items[0], git, name.ptr, &commit_id)) < 0)
		goto done;
	*out = list;
	list = NULL;
done:
	wm_quarantines_free(list);
	git_tree_free(head);
	git_index_free(held);
	git_index_free(staged);
	wm_buf_dispose(&message);
	wm_buf_dispose(&name);
	return error;
}

static int quarantine_cmp(const void *pa, const void *pb)
{
	const wm_quarantine *a = pa, *b = pb;

	return strcmp(b->name, a->name);
}

int wm_quarantine_list(wm_quarantines **out, wm_repo *repo)
{
	git_repository *git = wm_repo_git(repo);
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	wm_quarantines *list = NULL;
	size_t alloc = 0;
	int error = 0;

	*out = NULL;
	if (!(list = wm_calloc(1, sizeof(*list)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (git_reference_iterator_glob_new(&it, git, REF_PREFIX "*") < 0) {
		error = git_fail("listing quarantines");
		goto done;
	}
	while (git_reference_next(&ref, it) == 0) {
		if (list->count == alloc) {
			size_t grow = alloc ? alloc * 2 : 8;
			wm_quarantine *items = wm_reallocarray(list->items, grow, sizeof(*items));

			if (!items) {
				error = WM_ENOMEM;
				goto done;
			}
			list->items = items;
			alloc = grow;
		}
		memset(&list->items[list->count], 0, sizeof(list->items[0]));
		if (git_reference_target(ref) &&
		    (error = describe(&list->items[list->count], git,
			    git_reference_name(ref) + strlen(REF_PREFIX), git_reference_target(ref))) < 0)
			goto done;
		if (git_reference_target(ref))
			list->count++;
		git_reference_free(ref);
		ref = NULL;
	}
	if (list->count)
		qsort(list->items, list->count, sizeof(*list->items), quarantine_cmp);
	*out = list;
	list = NULL;
done:
	git_reference_free(ref);
	git_reference_iterator_free(it);
	wm_quarantines_free(list);
	return error;
}

static int lookup(git_reference **out, git_repository *git, const char *name)
{
	wm_buf refname = WM_BUF_INIT;
	int error = 0;

	if (!name || !*name || strstr(name, "..") || strchr(name, '/'))
		return wm_error_set(WM_ENOTFOUND, "no quarantine named \"%s\"", name ? name : "");
	if ((error = wm_buf_printf(&refname, REF_PREFIX "%s", name)) == 0 &&
	    git_reference_lookup(out, git, refname.ptr) < 0)
		error = wm_error_set(WM_ENOTFOUND, "no quarantine named \"%s\" (see wm-quarantine list)", name);
	wm_buf_dispose(&refname);
	return error;
}

int wm_quarantine_restore(wm_repo *repo, const char *name)
{
	git_repository *git = wm_repo_git(repo);
	git_reference *ref = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_index *held = NULL, *staged = NULL;
	size_t i;
	int error;

	if ((error = lookup(&ref, git, name)) < 0)
		goto done;
	if (git_commit_lookup(&commit, git, git_reference_target(ref)) < 0 ||
	    git_commit_tree(&tree, commit) < 0 || git_index_new(&held) < 0 ||
	    git_index_read_tree(held, tree) < 0 || git_repository_index(&staged, git) < 0 ||
	    git_index_read(staged, 1) < 0) {
		error = git_fail(name);
		goto done;
	}
	for (i = 0; i < git_index_entrycount(held); i++) {
		if (git_index_add(staged, git_index_get_byindex(held, i)) < 0) {
			error = git_fail(git_index_get_byindex(held, i)->path);
			goto done;
		}
	}
	if (git_index_write(staged) < 0)
		error = git_fail("writing the index");
done:
	git_index_free(held);
	git_index_free(staged);
	git_tree_free(tree);
	git_commit_free(commit);
	git_reference_free(ref);
	return error;
}

int wm_quarantine_drop(wm_repo *repo, const char *name)
{
	git_reference *ref = NULL;
	int error;

	if ((error = lookup(&ref, wm_repo_git(repo), name)) == 0 && git_reference_delete(ref) < 0)
		error = git_fail(name);
	git_reference_free(ref);
	return error;
}
