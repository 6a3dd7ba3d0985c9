/*
 * targets.c - which files a scan reports on, and what happened to them.
 *
 * A scope names a world and a comparison:
 *
 *   staged  HEAD's tree (nothing before the first commit) -> the index
 *   diff    merge-base(rev, HEAD) -> HEAD, as a pull request shows it:
 *           what the base branch did after the fork is not ours to report
 *   all     every file of the working tree, unchanged
 *   commit  every file of one commit, unchanged
 *
 * The comparisons are libgit2 diffs of trees and the index; they compare
 * oids, so core.autocrlf and other filters play no part: the staged world
 * is what git stores. Renames come from git_diff_find_similar with git's
 * default threshold. Deletions stay in the list (with mode 0) because a
 * deleted or renamed module breaks the files that import it, and the
 * import detector needs to know. Gitlinks are never targets: there is
 * nothing of ours to parse in a submodule; a file that became a submodule
 * is reported as deleted.
 *
 * A changed path that the world does not hold (an intent-to-add entry, a
 * conflicted path) is dropped: there would be nothing to read for it.
 */
#include <stdlib.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "world.h"

const char *wm_change_name(wm_change change)
{
	switch (change) {
	case WM_CHANGE_NONE:
		return "unchanged";
	case WM_CHANGE_ADDED:
		return "added";
	case WM_CHANGE_MODIFIED:
		return "modified";
	case WM_CHANGE_RENAMED:
		return "renamed";
	case WM_CHANGE_DELETED:
		return "deleted";
	case WM_CHANGE_TYPECHANGE:
		return "typechange";
	}
	return "unknown";
}

struct builder {
	wm_targets *targets;
	size_t alloc;
};

static int add_target(struct builder *b, const char *path, const char *old_path,
	wm_change change, uint32_t mode)
{
	wm_targets *t = b->targets;
	wm_target *target;

	if (t->count == b->alloc) {
		size_t alloc = b->alloc ? b->alloc * 2 : 64;
		wm_target *grown = wm_reallocarray(t->items, alloc, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		t->items = grown;
		b->alloc = alloc;
	}
	target = &t->items[t->count];
	memset(target, 0, sizeof(*target));
	if (!(target->path = wm_strdup(path)))
		return WM_ENOMEM;
	if (old_path && !(target->old_path = wm_strdup(old_path))) {
		wm_free(target->path);
		return WM_ENOMEM;
	}
	target->change = change;
	target->mode = mode;
	t->count++;
	return 0;
}

static int compare_targets(const void *a, const void *b)
{
	return strcmp(((const wm_target *)a)->path, ((const wm_target *)b)->path);
}

static int add_delta(struct builder *b, const git_diff_delta *d, const wm_world *world)
{
	bool old_gitlink = d->old_file.mode == GIT_FILEMODE_COMMIT;
	bool new_gitlink = d->new_file.mode == GIT_FILEMODE_COMMIT;
	const wm_entry *entry;
	wm_change change;

	switch (d->status) {
	case GIT_DELTA_DELETED:
		return old_gitlink ? 0 : add_target(b, d->old_file.path, NULL, WM_CHANGE_DELETED, 0);
	case GIT_DELTA_ADDED:
	case GIT_DELTA_COPIED:
		change = WM_CHANGE_ADDED;
		break;
	case GIT_DELTA_MODIFIED:
		change = WM_CHANGE_MODIFIED;
		break;
	case GIT_DELTA_RENAMED:
		change = WM_CHANGE_RENAMED;
		break;
	case GIT_DELTA_TYPECHANGE:
		if (new_gitlink)
			return add_target(b, d->old_file.path, NULL, WM_CHANGE_DELETED, 0);
		change = old_gitlink ? WM_CHANGE_ADDED : WM_CHANGE_TYPECHANGE;
		break;
	default:
		/* unmodified, ignored, untracked, unreadable, conflicted */
		return 0;
	}
	if (new_gitlink || !(entry = wm_world_lookup(world, d->new_file.path)))
		return 0;
	return add_target(b, d->new_file.path,
		change == WM_CHANGE_RENAMED ? d->old_file.path : NULL, change, entry->mode);
}

static int add_diff(struct builder *b, git_diff *diff, const wm_world *world, bool renames)
{
	git_diff_find_options find;
	size_t i, count;
	int error;

	if (renames) {
		git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
		find.flags = GIT_DIFF_FIND_RENAMES;
		if ((error = git_diff_find_similar(diff, &find)) < 0)
			return wm_world__git_error(GIT_ERROR, "detecting renames");
	}
	count = git_diff_num_deltas(diff);
	for (i = 0; i < count; i++)
		if ((error = add_delta(b, git_diff_get_delta(diff, i), world)) < 0)
			return error;
	return 0;
}

static int add_every_file(struct builder *b, const wm_world *world)
{
	size_t i, count = wm_world_count(world);
	int error;

	for (i = 0; i < count; i++) {
		const wm_entry *entry = wm_world_entry(world, i);

		if (entry->mode == WM_MODE_GITLINK)
			continue;
		if ((error = add_target(b, entry->path, NULL, WM_CHANGE_NONE, entry->mode)) < 0)
			return error;
	}
	return 0;
}

static int staged(struct builder *b, wm_repo *repo, const wm_world *world, bool renames)
{
	git_repository *git = wm_repo_git(repo);
	git_diff_options opts;
	git_index *index = NULL;
	git_tree *head = NULL;
	git_diff *diff = NULL;
	int error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
	if ((error = wm_world__head_tree(&head, repo)) < 0)
		goto done;
	if (head) {
		git_oid head_oid;

		if (git_reference_name_to_id(&head_oid, git, "HEAD") == 0)
			memcpy(b->targets->base.id, head_oid.id, sizeof(b->targets->base.id));
	}
	if ((error = git_repository_index(&index, git)) < 0 ||
	    (error = git_diff_tree_to_index(&diff, git, head, index, &opts)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "comparing HEAD with the index");
		goto done;
	}
	error = add_diff(b, diff, world, renames);
done:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(head);
	return error;
}

static int since_merge_base(struct builder *b, wm_repo *repo, const wm_world *world,
	const char *rev, bool renames)
{
	git_repository *git = wm_repo_git(repo);
	git_commit *base = NULL, *fork = NULL;
	git_tree *base_tree = NULL, *head = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_oid fork_oid;
	int error;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
	if ((error = wm_world__lookup_commit(&base, repo, rev)) < 0 ||
	    (error = wm_world__head_tree(&head, repo)) < 0)
		goto done;
	if (!head) {
		error = wm_error_set(WM_ENOTFOUND, "HEAD has no commit to compare with '%s'", rev);
		goto done;
	}
	/* The world is HEAD; HEAD's id comes from the same reference. */
	if ((error = git_reference_name_to_id(&fork_oid, git, "HEAD")) < 0 ||
	    (error = git_merge_base(&fork_oid, git, git_commit_id(base), &fork_oid)) < 0) {
		if (error == GIT_ENOTFOUND)
			error = wm_error_set(WM_ENOTFOUND, "no merge base between '%s' and HEAD", rev);
		else
			error = wm_world__git_error(GIT_ERROR, "finding the merge base of '%s' and HEAD", rev);
		goto done;
	}
	memcpy(b->targets->base.id, fork_oid.id, sizeof(b->targets->base.id));
	if ((error = git_commit_lookup(&fork, git, &fork_oid)) < 0 ||
	    (error = git_commit_tree(&base_tree, fork)) < 0 ||
	    (error = git_diff_tree_to_tree(&diff, git, base_tree, head, &opts)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "comparing HEAD with the merge base of '%s'", rev);
		goto done;
	}
	error = add_diff(b, diff, world, renames);
done:
	git_diff_free(diff);
	git_tree_free(base_tree);
	git_tree_free(head);
	git_commit_free(fork);
	git_commit_free(base);
	return error;
}

int wm_targets_compute(wm_world **world_out, wm_targets **targets_out, wm_repo *repo,
	const wm_targets_options *opts)
{
	wm_targets_options defaults = WM_TARGETS_OPTIONS_INIT;
	struct builder b = { NULL, 0 };
	wm_world *world = NULL;
	wm_world_kind kind;
	int error;

	*world_out = NULL;
	*targets_out = NULL;
	if (!opts)
		opts = &defaults;
	if (opts->version != WM_TARGETS_OPTIONS_VERSION)
		return wm_error_set(WM_EUSAGE, "wm_targets_options version %u is not %d",
			opts->version, WM_TARGETS_OPTIONS_VERSION);
	switch (opts->scope) {
	case WM_SCOPE_ALL:
		kind = WM_WORLD_WORKDIR;
		break;
	case WM_SCOPE_STAGED:
		kind = WM_WORLD_INDEX;
		break;
	case WM_SCOPE_DIFF:
		kind = WM_WORLD_HEAD;
		if (!opts->rev || !*opts->rev)
			return wm_error_set(WM_EUSAGE, "the diff scope needs a base revision");
		break;
	case WM_SCOPE_COMMIT:
		kind = WM_WORLD_COMMIT;
		break;
	default:
		return wm_error_set(WM_EUSAGE, "unknown scope %d", (int)opts->scope);
	}

	if ((error = wm_world_open(&world, repo, kind, opts->rev)) < 0)
		goto done;
	if (!(b.targets = wm_calloc(1, sizeof(*b.targets)))) {
		error = WM_ENOMEM;
		goto done;
	}
	switch (opts->scope) {
	case WM_SCOPE_STAGED:
		error = staged(&b, repo, world, opts->renames);
		break;
	case WM_SCOPE_DIFF:
		error = since_merge_base(&b, repo, world, opts->rev, opts->renames);
		break;
	default:
		error = add_every_file(&b, world);
		break;
	}
	if (error < 0)
		goto done;
	if (b.targets->count > 1)
		qsort(b.targets->items, b.targets->count, sizeof(*b.targets->items), compare_targets);
	*world_out = world;
	*targets_out = b.targets;
	world = NULL;
	b.targets = NULL;
done:
	wm_targets_free(b.targets);
	wm_world_free(world);
	return error;
}

void wm_targets_free(wm_targets *targets)
{
	size_t i;

	if (!targets)
		return;
	for (i = 0; i < targets->count; i++) {
		wm_free(targets->items[i].path);
		wm_free(targets->items[i].old_path);
	}
	wm_free(targets->items);
	wm_free(targets);
}
