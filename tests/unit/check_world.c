/*
 * check_world.c - the repository, its worlds and targets, on real
 * repositories built with real git in throwaway directories.
 *
 * Every test runs in its own forked process, so environment variables
 * (GIT_DIR, GIT_INDEX_FILE, ...) and the current directory are set inside
 * the test only. Fixtures are built before the variables are set: the git
 * commands run by wm_test_sh() inherit the environment.
 */
#define _XOPEN_SOURCE 700 /* realpath() */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "wm/error.h"
#include "wm/world.h"

#define TEN_LINES "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten\n"

/* A fresh repository on branch main, as an absolute path without symlinks. */
static char *new_repo(void)
{
	char *tmp = wm_test_tmpdir();
	char *dir = realpath(tmp, NULL);

	free(tmp);
	ck_assert_ptr_nonnull(dir);
	wm_test_sh(dir, "git init -q -b main .");
	return dir;
}

static char *new_dir(void)
{
	char *tmp = wm_test_tmpdir();
	char *dir = realpath(tmp, NULL);

	free(tmp);
	ck_assert_ptr_nonnull(dir);
	return dir;
}

static void join(char *out, size_t size, const char *a, const char *b)
{
	ck_assert_int_lt(snprintf(out, size, "%s/%s", a, b), (int)size);
}

/* First line of a shell command's output (run before setting git variables). */
static void sh_line(char *out, size_t size, const char *dir, const char *script)
{
	char cmd[8192];
	FILE *p;

	snprintf(cmd, sizeof(cmd), "cd %s && %s", dir, script);
	ck_assert_ptr_nonnull(p = popen(cmd, "r"));
	ck_assert_ptr_nonnull(fgets(out, (int)size, p));
	out[strcspn(out, "\n")] = '\0';
	ck_assert_int_eq(pclose(p), 0);
}

static wm_repo *open_repo(const char *path)
{
	wm_repo *repo = NULL;
	int error = wm_repo_open(&repo, path);

	ck_assert_msg(error == 0, "wm_repo_open(%s): %d %s", path ? path : "NULL", error,
		wm_error_last());
	return repo;
}

static wm_world *open_world(wm_repo *repo, wm_world_kind kind, const char *rev)
{
	wm_world *world = NULL;
	int error = wm_world_open(&world, repo, kind, rev);

	ck_assert_msg(error == 0, "wm_world_open(%d): %d %s", (int)kind, error, wm_error_last());
	ck_assert_int_eq(wm_world_kind_of(world), kind);
	ck_assert_ptr_eq(wm_world_repo(world), repo);
	return world;
}

/* The content of a file as the world shows it, NUL-terminated; free(). */
static char *read_text(const wm_world *world, const char *path, wm_oid *oid_out)
{
	wm_blob blob = WM_BLOB_INIT;
	char *text;
	int error = wm_world_read(&blob, world, path);

	ck_assert_msg(error == 0, "wm_world_read(%s): %d %s", path, error, wm_error_last());
	ck_assert(!wm_oid_is_zero(&blob.oid));
	ck_assert_ptr_nonnull(text = malloc(blob.size + 1));
	memcpy(text, blob.data, blob.size);
	text[blob.size] = '\0';
	if (oid_out)
		*oid_out = blob.oid;
	wm_blob_release(&blob);
	wm_blob_release(&blob); /* a released blob is a no-op */
	return text;
}

static void assert_reads(const wm_world *world, const char *path, const char *expected)
{
	char *text = read_text(world, path, NULL);

	ck_assert_str_eq(text, expected);
	free(text);
}

static wm_targets *compute(wm_world **world_out, wm_repo *repo, wm_scope scope,
	const char *rev, bool renames)
{
	wm_targets_options opts = WM_TARGETS_OPTIONS_INIT;
	wm_targets *targets = NULL;
	size_t i;
	int error;

	opts.scope = scope;
	opts.rev = rev;
	opts.renames = renames;
	error = wm_targets_compute(world_out, &targets, repo, &opts);
	ck_assert_msg(error == 0, "wm_targets_compute: %d %s", error, wm_error_last());
	for (i = 1; i < targets->count; i++)
		ck_assert_int_lt(strcmp(targets->items[i - 1].path, targets->items[i].path), 0);
	return targets;
}

static int compute_error(wm_repo *repo, wm_scope scope, const char *rev)
{
	wm_targets_options opts = WM_TARGETS_OPTIONS_INIT;
	wm_targets *targets = (wm_targets *)&opts;
	wm_world *world = (wm_world *)&opts;
	int error;

	opts.scope = scope;
	opts.rev = rev;
	error = wm_targets_compute(&world, &targets, repo, &opts);
	ck_assert_ptr_null(world);
	ck_assert_ptr_null(targets);
	return error;
}

static const wm_target *find_target(const wm_targets *targets, const char *path)
{
	size_t i;

	for (i = 0; i < targets->count; i++)
		if (strcmp(targets->items[i].path, path) == 0)
			return &targets->items[i];
	return NULL;
}

static void assert_target(const wm_targets *targets, const char *path, wm_change change,
	const char *old_path, uint32_t mode)
{
	const wm_target *t = find_target(targets, path);

	ck_assert_msg(t != NULL, "no target %s", path);
	ck_assert_str_eq(wm_change_name(t->change), wm_change_name(change));
	if (old_path)
		ck_assert_str_eq(t->old_path, old_path);
	else
		ck_assert_ptr_null(t->old_path);
	ck_assert_uint_eq(t->mode, mode);
}

static void assert_sorted(const wm_world *world)
{
	size_t i;

	for (i = 1; i < wm_world_count(world); i++)
		ck_assert_int_lt(strcmp(wm_world_entry(world, i - 1)->path,
					 wm_world_entry(world, i)->path), 0);
	ck_assert_ptr_null(wm_world_entry(world, wm_world_count(world)));
}

static void assert_dir_eq(const char *actual, const char *dir)
{
	char expected[4096];

	ck_assert_int_lt(snprintf(expected, sizeof(expected), "%s/", dir), (int)sizeof(expected));
	ck_assert_ptr_nonnull(actual);
	ck_assert_str_eq(actual, expected);
}

START_TEST(open_from_a_subdirectory)
{
	char *dir = new_repo(), *other = new_dir();
	char sub[4096], gitdir[4096], parent[4096];
	wm_repo *repo = NULL;

	wm_test_write(dir, "src/deep/a.c", "int a;\n");
	wm_test_sh(dir, "git add . && git commit -qm a");
	join(sub, sizeof(sub), dir, "src/deep");
	join(gitdir, sizeof(gitdir), dir, ".git");

	/* The test runs inside wm's own checkout: discovery must start at path. */
	repo = open_repo(sub);
	assert_dir_eq(wm_repo_workdir(repo), dir);
	assert_dir_eq(wm_repo_gitdir(repo), gitdir);
	assert_dir_eq(wm_repo_commondir(repo), gitdir);
	ck_assert(wm_repo_has_head(repo));
	ck_assert_ptr_nonnull(wm_repo_git(repo));
	wm_repo_free(repo);
	wm_repo_free(NULL);

	/* NULL means the current directory. */
	ck_assert_int_eq(chdir(sub), 0);
	repo = open_repo(NULL);
	assert_dir_eq(wm_repo_workdir(repo), dir);
	wm_repo_free(repo);

	/* No repository anywhere above: WM_ENOTFOUND. */
	join(parent, sizeof(parent), other, "..");
	setenv("GIT_CEILING_DIRECTORIES", parent, 1);
	repo = (wm_repo *)dir;
	ck_assert_int_eq(wm_repo_open(&repo, other), WM_ENOTFOUND);
	ck_assert_ptr_null(repo);
	ck_assert_str_ne(wm_error_last(), "");
	ck_assert_int_eq(chdir("/"), 0);
	wm_test_rmrf(dir);
	wm_test_rmrf(other);
	free(dir);
	free(other);
}
END_TEST

START_TEST(index_file_from_the_environment)
{
	char *dir = new_repo();
	char index[4096];
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	wm_test_write(dir, "a.txt", "one\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm one");
	/*
	 * A different size: the copy below gives the temporary index a new
	 * mtime, which hides from git that a.txt was written in the same
	 * second as the index entry (its racy-git check compares the two), so
	 * a same-size rewrite within that second looked unchanged to `git add`
	 * (CI saw exactly that).
	 */
	wm_test_write(dir, "a.txt", "two, longer\n");
	/* What `git commit a.txt` does: a temporary index, .git/index untouched. */
	wm_test_sh(dir, "cp .git/index .git/tmp-index && GIT_INDEX_FILE=.git/tmp-index git add a.txt");
	join(index, sizeof(index), dir, ".git/tmp-index");

	setenv("GIT_INDEX_FILE", index, 1);
	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, "a.txt", WM_CHANGE_MODIFIED, NULL, WM_MODE_FILE);
	assert_reads(world, "a.txt", "two, longer\n");
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);

	unsetenv("GIT_INDEX_FILE");
	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 0);
	assert_reads(world, "a.txt", "one\n");
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

/*
 * The environment a real pre-commit hook gets. The hook writes down
 * GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE and its directory, keeps a copy
 * of the temporary index and fails the commit; the test then opens the
 * repository under exactly that environment.
 */
static const char *const hook_commands[] = {
	"git commit -qam two",
	"git commit -q a.txt -m two",
	"git --git-dir=.git --work-tree=. commit -qam two",
	"cd ../wt && git commit -qam two",
	"cd ../wt && git commit -q a.txt -m two",
};

START_TEST(hook_environment)
{
	char *base = new_dir(), *out = new_dir();
	char dir[4096], hook[8192], envfile[4096], line[4][4096], index[4096];
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;
	FILE *f;
	int i;

	join(dir, sizeof(dir), base, "main");
	wm_test_sh(base, "git init -q -b main main");
	wm_test_write(dir, "a.txt", "one\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm one && git worktree add -q ../wt -b wt");
	snprintf(hook, sizeof(hook),
		"#!/bin/sh\n"
		"{ printf '%%s\\n' \"${GIT_DIR-}\" \"${GIT_WORK_TREE-}\" \"$GIT_INDEX_FILE\"; pwd; } > %s/env\n"
		"cp \"$GIT_INDEX_FILE\" %s/index\n"
		"exit 1\n", out, out);
	wm_test_write(dir, ".git/hooks/pre-commit", hook);
	wm_test_sh(dir, "chmod +x .git/hooks/pre-commit");
	wm_test_write(dir, "a.txt", "two\n");
	wm_test_write(base, "wt/a.txt", "two\n");
	wm_test_sh(dir, "%s || test -f %s/index", hook_commands[_i], out);

	join(envfile, sizeof(envfile), out, "env");
	ck_assert_ptr_nonnull(f = fopen(envfile, "r"));
	for (i = 0; i < 4; i++) {
		ck_assert_ptr_nonnull(fgets(line[i], sizeof(line[i]), f));
		line[i][strcspn(line[i], "\n")] = '\0';
	}
	fclose(f);
	join(index, sizeof(index), out, "index");
	ck_assert_int_eq(chdir(line[3]), 0);
	if (line[0][0])
		setenv("GIT_DIR", line[0], 1);
	if (line[1][0])
		setenv("GIT_WORK_TREE", line[1], 1);
	setenv("GIT_INDEX_FILE", index, 1);

	repo = open_repo(NULL);
	assert_dir_eq(wm_repo_workdir(repo), line[3]);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, "a.txt", WM_CHANGE_MODIFIED, NULL, WM_MODE_FILE);
	assert_reads(world, "a.txt", "two\n");
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	ck_assert_int_eq(chdir("/"), 0);
	wm_test_rmrf(base);
	wm_test_rmrf(out);
	free(base);
	free(out);
}
END_TEST

START_TEST(git_dir_and_work_tree)
{
	char *base = new_dir(), *elsewhere = new_repo();
	char store[4096], wt[4096];
	wm_world *world;
	wm_repo *repo;

	wm_test_sh(base, "git init -q --bare store.git && mkdir wt && printf x > wt/f.txt && "
		"git --git-dir=store.git --work-tree=wt add f.txt && "
		"git --git-dir=store.git --work-tree=wt commit -qm f && printf y > wt/g.txt");
	join(store, sizeof(store), base, "store.git");
	join(wt, sizeof(wt), base, "wt");

	/* GIT_DIR wins over the path, as it does for git. */
	setenv("GIT_DIR", store, 1);
	setenv("GIT_WORK_TREE", wt, 1);
	repo = open_repo(elsewhere);
	assert_dir_eq(wm_repo_workdir(repo), wt);
	assert_dir_eq(wm_repo_gitdir(repo), store);
	ck_assert(wm_repo_has_head(repo));
	world = open_world(repo, WM_WORLD_WORKDIR, NULL);
	ck_assert_uint_eq(wm_world_count(world), 2);
	assert_reads(world, "f.txt", "x");
	assert_reads(world, "g.txt", "y");
	wm_world_free(world);
	world = open_world(repo, WM_WORLD_HEAD, NULL);
	ck_assert_uint_eq(wm_world_count(world), 1);
	assert_reads(world, "f.txt", "x");
	wm_world_free(world);
	wm_repo_free(repo);

	/* GIT_DIR alone: still not the repository at path. */
	unsetenv("GIT_WORK_TREE");
	repo = open_repo(elsewhere);
	assert_dir_eq(wm_repo_gitdir(repo), store);
	wm_repo_free(repo);
	wm_test_rmrf(base);
	wm_test_rmrf(elsewhere);
	free(base);
	free(elsewhere);
}
END_TEST

START_TEST(linked_worktree)
{
	char *dir = new_repo(), *base = new_dir();
	char wt[4096], gitdir[4096], common[4096];
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	join(wt, sizeof(wt), base, "wt");
	wm_test_write(dir, "a.txt", "a\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm a && git worktree add -q %s -b feature", wt);
	wm_test_write(wt, "b.txt", "b\n");
	wm_test_sh(wt, "git add b.txt && git commit -qm b");
	wm_test_write(wt, "c.txt", "c\n");
	wm_test_sh(wt, "git add c.txt");

	repo = open_repo(wt);
	join(gitdir, sizeof(gitdir), dir, ".git/worktrees/wt");
	join(common, sizeof(common), dir, ".git");
	assert_dir_eq(wm_repo_workdir(repo), wt);
	assert_dir_eq(wm_repo_gitdir(repo), gitdir);
	assert_dir_eq(wm_repo_commondir(repo), common);

	world = open_world(repo, WM_WORLD_HEAD, NULL);
	ck_assert_ptr_nonnull(wm_world_lookup(world, "b.txt"));
	ck_assert_ptr_null(wm_world_lookup(world, "c.txt"));
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, "c.txt", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_DIFF, "main", true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, "b.txt", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);

	/* The main worktree has its own HEAD and index. */
	repo = open_repo(dir);
	world = open_world(repo, WM_WORLD_INDEX, NULL);
	ck_assert_ptr_null(wm_world_lookup(world, "b.txt"));
	ck_assert_ptr_nonnull(wm_world_lookup(world, "a.txt"));
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	wm_test_rmrf(base);
	free(dir);
	free(base);
}
END_TEST

START_TEST(detached_head)
{
	char *dir = new_repo();
	char hex[41], expected[64];
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;
	wm_oid head, old;

	wm_test_write(dir, "a.txt", "v1\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm v1");
	wm_test_write(dir, "a.txt", "v2\n");
	wm_test_sh(dir, "git commit -qam v2 && git checkout -q --detach HEAD~1");
	sh_line(expected, sizeof(expected), dir, "git rev-parse HEAD");

	repo = open_repo(dir);
	ck_assert(wm_repo_has_head(repo));
	ck_assert_int_eq(wm_repo_resolve(&head, repo, "HEAD"), 0);
	ck_assert_int_eq(wm_repo_resolve(&old, repo, "main~1"), 0);
	wm_oid_fmt(hex, &head);
	ck_assert_str_eq(hex, expected);
	ck_assert_mem_eq(head.id, old.id, sizeof(head.id));

	world = open_world(repo, WM_WORLD_HEAD, NULL);
	assert_reads(world, "a.txt", "v1\n");
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 0);
	wm_targets_free(targets);
	wm_world_free(world);

	/* main is ahead of HEAD: the merge base is HEAD, nothing changed. */
	targets = compute(&world, repo, WM_SCOPE_DIFF, "main", true);
	ck_assert_uint_eq(targets->count, 0);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(empty_repository)
{
	char *dir = new_repo();
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;
	wm_oid oid;

	wm_test_write(dir, "a.txt", "a\n");
	wm_test_write(dir, "dir/b.sh", "b\n");
	wm_test_sh(dir, "chmod +x dir/b.sh && git add .");

	repo = open_repo(dir);
	ck_assert(!wm_repo_has_head(repo));
	ck_assert_int_eq(wm_repo_resolve(&oid, repo, "HEAD"), WM_ENOTFOUND);
	world = open_world(repo, WM_WORLD_HEAD, NULL);
	ck_assert_uint_eq(wm_world_count(world), 0);
	ck_assert_ptr_null(wm_world_lookup(world, "a.txt"));
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 2);
	assert_target(targets, "a.txt", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	assert_target(targets, "dir/b.sh", WM_CHANGE_ADDED, NULL, WM_MODE_EXEC);
	ck_assert_str_eq(targets->items[0].path, "a.txt");
	assert_reads(world, "dir/b.sh", "b\n");
	wm_targets_free(targets);
	wm_world_free(world);

	ck_assert_int_eq(compute_error(repo, WM_SCOPE_DIFF, "main"), WM_ENOTFOUND);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(partially_staged_file)
{
	char *dir = new_repo();
	char disk_hash[64], index_hash[64], hex[41];
	wm_world *head, *index, *disk;
	const wm_entry *entry;
	wm_repo *repo;
	wm_oid oid;
	char *text;

	wm_test_write(dir, "a.txt", "v1\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm v1");
	wm_test_write(dir, "a.txt", "v2\n");
	wm_test_sh(dir, "git add a.txt");
	wm_test_write(dir, "a.txt", "v3\n");
	sh_line(disk_hash, sizeof(disk_hash), dir, "git hash-object --no-filters a.txt");
	sh_line(index_hash, sizeof(index_hash), dir, "git rev-parse :a.txt");

	repo = open_repo(dir);
	head = open_world(repo, WM_WORLD_HEAD, NULL);
	index = open_world(repo, WM_WORLD_INDEX, NULL);
	disk = open_world(repo, WM_WORLD_WORKDIR, NULL);
	assert_reads(head, "a.txt", "v1\n");
	assert_reads(index, "a.txt", "v2\n");

	wm_oid_fmt(hex, &wm_world_lookup(index, "a.txt")->oid);
	ck_assert_str_eq(hex, index_hash);

	/* The working tree's oid is unknown until the file is read. */
	entry = wm_world_lookup(disk, "a.txt");
	ck_assert_ptr_nonnull(entry);
	ck_assert(wm_oid_is_zero(&entry->oid));
	text = read_text(disk, "a.txt", &oid);
	ck_assert_str_eq(text, "v3\n");
	wm_oid_fmt(hex, &oid);
	ck_assert_str_eq(hex, disk_hash);
	ck_assert_mem_eq(entry->oid.id, oid.id, sizeof(oid.id));
	free(text);

	wm_world_free(head);
	wm_world_free(index);
	wm_world_free(disk);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(staged_rename_deletion_typechange)
{
	char *dir = new_repo();
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	wm_test_write(dir, "lib/old.py", TEN_LINES);
	wm_test_write(dir, "b.txt", "b\n");
	wm_test_write(dir, "c.txt", "c\n");
	wm_test_write(dir, "t.txt", "t\n");
	wm_test_sh(dir, "git add . && git commit -qm base");
	wm_test_sh(dir, "git mv lib/old.py lib/new.py && echo eleven >> lib/new.py && "
		"git add lib/new.py && "
		"git rm -q b.txt && echo cc >> c.txt && git add c.txt && "
		"rm t.txt && ln -s c.txt t.txt && git add t.txt");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 4);
	assert_target(targets, "b.txt", WM_CHANGE_DELETED, NULL, 0);
	assert_target(targets, "c.txt", WM_CHANGE_MODIFIED, NULL, WM_MODE_FILE);
	assert_target(targets, "lib/new.py", WM_CHANGE_RENAMED, "lib/old.py", WM_MODE_FILE);
	assert_target(targets, "t.txt", WM_CHANGE_TYPECHANGE, NULL, WM_MODE_LINK);
	ck_assert_ptr_null(wm_world_lookup(world, "b.txt"));
	assert_reads(world, "t.txt", "c.txt");
	wm_targets_free(targets);
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, false);
	ck_assert_uint_eq(targets->count, 5);
	assert_target(targets, "lib/new.py", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	assert_target(targets, "lib/old.py", WM_CHANGE_DELETED, NULL, 0);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(conflicts_and_intent_to_add_are_not_staged)
{
	char *dir = new_repo();
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	wm_test_write(dir, "c.txt", "base\n");
	wm_test_write(dir, "a.txt", "a\n");
	wm_test_sh(dir, "git add . && git commit -qm base && git checkout -q -b other && "
		"echo other > c.txt && git commit -qam other && git checkout -q main && "
		"echo main > c.txt && echo aa >> a.txt && git commit -qam main && "
		"(git merge -q other || true) && test -f .git/MERGE_HEAD && "
		"echo n > ita.txt && git add -N ita.txt");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 0);
	ck_assert_ptr_null(wm_world_lookup(world, "c.txt"));
	ck_assert_ptr_null(wm_world_lookup(world, "ita.txt"));
	assert_reads(world, "a.txt", "a\naa\n");
	ck_assert_uint_eq(wm_world_count(world), 1);
	wm_targets_free(targets);
	wm_world_free(world);

	/* Both are files on disk, so the working tree has them, once each. */
	world = open_world(repo, WM_WORLD_WORKDIR, NULL);
	ck_assert_uint_eq(wm_world_count(world), 3);
	ck_assert_ptr_nonnull(wm_world_lookup(world, "c.txt"));
	assert_reads(world, "ita.txt", "n\n");
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(diff_scope_uses_the_merge_base)
{
	char *dir = new_repo();
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	wm_test_write(dir, "x.py", TEN_LINES);
	wm_test_write(dir, "z.txt", "z\n");
	wm_test_write(dir, "w.txt", "w\n");
	wm_test_sh(dir, "git add . && git commit -qm base && git checkout -q -b feature && "
		"git mv x.py y.py && echo zz >> z.txt && git commit -qam feature && "
		"git checkout -q main && echo ww >> w.txt && echo m > m.txt && git add m.txt && "
		"git commit -qam main && git checkout -q feature");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_DIFF, "main", true);
	ck_assert_int_eq(wm_world_kind_of(world), WM_WORLD_HEAD);
	ck_assert_uint_eq(targets->count, 2);
	assert_target(targets, "y.py", WM_CHANGE_RENAMED, "x.py", WM_MODE_FILE);
	assert_target(targets, "z.txt", WM_CHANGE_MODIFIED, NULL, WM_MODE_FILE);
	/* HEAD's world: main's later changes are not in it either. */
	assert_reads(world, "w.txt", "w\n");
	ck_assert_ptr_null(wm_world_lookup(world, "m.txt"));
	wm_targets_free(targets);
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_DIFF, "main", false);
	ck_assert_uint_eq(targets->count, 3);
	assert_target(targets, "x.py", WM_CHANGE_DELETED, NULL, 0);
	assert_target(targets, "y.py", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(unknown_revisions)
{
	char *dir = new_repo();
	wm_world *world = NULL;
	wm_repo *repo;
	wm_oid oid;

	wm_test_write(dir, "a.txt", "a\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm a && git checkout -q --orphan other && "
		"git rm -rqf . && echo o > o.txt && git add o.txt && git commit -qm o");

	repo = open_repo(dir);
	ck_assert_int_eq(compute_error(repo, WM_SCOPE_DIFF, "nope"), WM_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "nope"));
	ck_assert_int_eq(compute_error(repo, WM_SCOPE_COMMIT, "nope"), WM_ENOTFOUND);
	ck_assert_int_eq(wm_world_open(&world, repo, WM_WORLD_COMMIT, "nope"), WM_ENOTFOUND);
	ck_assert_ptr_null(world);
	ck_assert_int_eq(wm_repo_resolve(&oid, repo, "nope"), WM_ENOTFOUND);
	ck_assert_int_eq(wm_repo_resolve(&oid, repo, "main:a.txt"), WM_ENOTFOUND);
	ck_assert_int_eq(wm_repo_resolve(&oid, repo, "main^^^"), WM_ENOTFOUND);
	ck_assert_int_eq(wm_repo_resolve(&oid, repo, "main"), 0);

	/* An orphan branch shares no history with main. */
	ck_assert_int_eq(compute_error(repo, WM_SCOPE_DIFF, "main"), WM_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(wm_error_last(), "merge base"));
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(gitlinks_are_never_targets)
{
	char *dir = new_repo(), *other = new_repo();
	wm_blob blob = WM_BLOB_INIT;
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;

	wm_test_write(other, "s.txt", "s\n");
	wm_test_sh(other, "git add s.txt && git commit -qm s");
	wm_test_write(dir, "a.txt", "a\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm a && "
		"git update-index --add --cacheinfo 160000,$(git rev-parse HEAD),link");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 0);
	ck_assert_uint_eq(wm_world_lookup(world, "link")->mode, WM_MODE_GITLINK);
	ck_assert_int_eq(wm_world_read(&blob, world, "link"), WM_ENOTFOUND);
	ck_assert_ptr_null(blob.data);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);

	/* A real submodule, checked out, with an untracked file inside. */
	wm_test_sh(dir, "git commit -qm link && git -c protocol.file.allow=always submodule add -q %s mod",
		other);
	wm_test_write(dir, "mod/new.txt", "n\n");
	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, ".gitmodules", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_test_sh(dir, "git commit -qm mod");

	targets = compute(&world, repo, WM_SCOPE_ALL, NULL, true);
	ck_assert_uint_eq(wm_world_lookup(world, "mod")->mode, WM_MODE_GITLINK);
	ck_assert_ptr_null(wm_world_lookup(world, "mod/s.txt"));
	ck_assert_ptr_null(wm_world_lookup(world, "mod/new.txt"));
	ck_assert_int_eq(wm_world_read(&blob, world, "mod"), WM_ENOTFOUND);
	ck_assert_uint_eq(targets->count, 2);
	assert_target(targets, ".gitmodules", WM_CHANGE_NONE, NULL, WM_MODE_FILE);
	assert_target(targets, "a.txt", WM_CHANGE_NONE, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_COMMIT, "HEAD", true);
	ck_assert_uint_eq(wm_world_count(world), 4);
	ck_assert_uint_eq(targets->count, 2);
	wm_targets_free(targets);
	wm_world_free(world);

	targets = compute(&world, repo, WM_SCOPE_DIFF, "HEAD~2", true);
	ck_assert_uint_eq(targets->count, 1);
	assert_target(targets, ".gitmodules", WM_CHANGE_ADDED, NULL, WM_MODE_FILE);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	wm_test_rmrf(other);
	free(dir);
	free(other);
}
END_TEST

START_TEST(autocrlf_reads_what_git_stores)
{
	char *dir = new_repo();
	char disk_hash[64], index_hash[64], hex[41];
	wm_targets *targets;
	wm_world *world, *disk;
	wm_repo *repo;
	wm_oid oid;
	char *text;

	wm_test_sh(dir, "git config core.autocrlf true");
	wm_test_write(dir, "c.txt", "a\r\nb\r\n");
	wm_test_sh(dir, "git add c.txt && git commit -qm crlf");
	sh_line(disk_hash, sizeof(disk_hash), dir, "git hash-object --no-filters c.txt");
	sh_line(index_hash, sizeof(index_hash), dir, "git rev-parse :c.txt");
	ck_assert_str_ne(disk_hash, index_hash);

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_STAGED, NULL, true);
	ck_assert_uint_eq(targets->count, 0);
	text = read_text(world, "c.txt", &oid);
	ck_assert_str_eq(text, "a\nb\n");
	wm_oid_fmt(hex, &oid);
	ck_assert_str_eq(hex, index_hash);
	free(text);
	wm_targets_free(targets);
	wm_world_free(world);

	world = open_world(repo, WM_WORLD_HEAD, NULL);
	assert_reads(world, "c.txt", "a\nb\n");
	wm_world_free(world);

	targets = compute(&disk, repo, WM_SCOPE_ALL, NULL, true);
	assert_target(targets, "c.txt", WM_CHANGE_NONE, NULL, WM_MODE_FILE);
	text = read_text(disk, "c.txt", &oid);
	ck_assert_str_eq(text, "a\r\nb\r\n");
	wm_oid_fmt(hex, &oid);
	ck_assert_str_eq(hex, disk_hash);
	free(text);
	wm_targets_free(targets);
	wm_world_free(disk);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(workdir_untracked_and_ignored)
{
	char *dir = new_repo();
	static const char *const present[] = {
		".gitignore", "dir/deep/n.txt", "keep.log", "new.txt", "run.sh", "tracked.txt",
	};
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;
	size_t i;

	wm_test_write(dir, ".gitignore", "*.log\nbuild/\n");
	wm_test_write(dir, "tracked.txt", "t\n");
	wm_test_write(dir, "gone.txt", "g\n");
	wm_test_write(dir, "keep.log", "k\n");
	wm_test_write(dir, "run.sh", "r\n");
	wm_test_sh(dir, "git add .gitignore tracked.txt gone.txt run.sh && git add -f keep.log && "
		"git commit -qm base && rm gone.txt && chmod +x run.sh");
	wm_test_write(dir, "new.txt", "n\n");
	wm_test_write(dir, "dir/deep/n.txt", "d\n");
	wm_test_write(dir, "x.log", "x\n");
	wm_test_write(dir, "build/out.txt", "o\n");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_ALL, NULL, true);
	ck_assert_int_eq(wm_world_kind_of(world), WM_WORLD_WORKDIR);
	assert_sorted(world);
	ck_assert_uint_eq(wm_world_count(world), sizeof(present) / sizeof(present[0]));
	ck_assert_uint_eq(targets->count, sizeof(present) / sizeof(present[0]));
	for (i = 0; i < sizeof(present) / sizeof(present[0]); i++) {
		ck_assert_str_eq(wm_world_entry(world, i)->path, present[i]);
		ck_assert_str_eq(targets->items[i].path, present[i]);
		ck_assert_int_eq(targets->items[i].change, WM_CHANGE_NONE);
	}
	ck_assert_uint_eq(wm_world_lookup(world, "run.sh")->mode, WM_MODE_EXEC);
	ck_assert_ptr_null(wm_world_lookup(world, "x.log"));
	ck_assert_ptr_null(wm_world_lookup(world, "build/out.txt"));
	ck_assert_ptr_null(wm_world_lookup(world, "gone.txt"));
	assert_reads(world, "dir/deep/n.txt", "d\n");
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(symlinks_are_never_followed)
{
	char *dir = new_repo(), *outside = new_dir();
	char secret[4096];
	wm_blob blob = WM_BLOB_INIT;
	wm_world *disk, *index, *later;
	const wm_entry *entry;
	wm_repo *repo;

	wm_test_write(outside, "secret.txt", "SECRET\n");
	wm_test_write(outside, "file.txt", "SECRET\n");
	join(secret, sizeof(secret), outside, "secret.txt");
	wm_test_write(dir, "d/file.txt", "mine\n");
	wm_test_sh(dir, "ln -s %s link && git add . && git commit -qm links", secret);

	repo = open_repo(dir);
	disk = open_world(repo, WM_WORLD_WORKDIR, NULL);
	index = open_world(repo, WM_WORLD_INDEX, NULL);
	ck_assert_uint_eq(wm_world_lookup(disk, "link")->mode, WM_MODE_LINK);
	ck_assert_uint_eq(wm_world_lookup(index, "link")->mode, WM_MODE_LINK);
	assert_reads(disk, "link", secret);
	assert_reads(index, "link", secret);

	/* The directory becomes a link out of the repository after the world was built. */
	wm_test_sh(dir, "rm -rf d && ln -s %s d", outside);
	ck_assert_int_ne(wm_world_read(&blob, disk, "d/file.txt"), 0);
	ck_assert_ptr_null(blob.data);
	assert_reads(index, "d/file.txt", "mine\n");

	/* Built now, the world has the link "d" and nothing beyond it. */
	later = open_world(repo, WM_WORLD_WORKDIR, NULL);
	ck_assert_ptr_null(wm_world_lookup(later, "d/file.txt"));
	entry = wm_world_lookup(later, "d");
	ck_assert_ptr_nonnull(entry);
	ck_assert_uint_eq(entry->mode, WM_MODE_LINK);
	assert_reads(later, "d", outside);

	wm_world_free(later);
	wm_world_free(index);
	wm_world_free(disk);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	wm_test_rmrf(outside);
	free(dir);
	free(outside);
}
END_TEST

START_TEST(bare_repository)
{
	char *dir = new_repo(), *base = new_dir();
	char bare[4096];
	wm_targets_options opts = WM_TARGETS_OPTIONS_INIT;
	wm_targets *targets;
	wm_world *world = NULL;
	wm_repo *repo;

	wm_test_write(dir, "a.txt", "a\n");
	wm_test_sh(dir, "git add a.txt && git commit -qm a && git clone -q --bare . %s/b.git", base);
	join(bare, sizeof(bare), base, "b.git");

	repo = open_repo(bare);
	ck_assert_ptr_null(wm_repo_workdir(repo));
	assert_dir_eq(wm_repo_gitdir(repo), bare);
	world = open_world(repo, WM_WORLD_HEAD, NULL);
	assert_reads(world, "a.txt", "a\n");
	wm_world_free(world);
	world = NULL;
	ck_assert_int_eq(wm_world_open(&world, repo, WM_WORLD_WORKDIR, NULL), WM_EREPO);
	ck_assert_ptr_null(world);
	opts.scope = WM_SCOPE_ALL;
	ck_assert_int_eq(wm_targets_compute(&world, &targets, repo, &opts), WM_EREPO);
	targets = compute(&world, repo, WM_SCOPE_COMMIT, "HEAD", true);
	ck_assert_uint_eq(targets->count, 1);
	wm_targets_free(targets);
	wm_world_free(world);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	wm_test_rmrf(base);
	free(dir);
	free(base);
}
END_TEST

START_TEST(workdir_reads_empty_and_large_files)
{
	char *dir = new_repo();
	char hash[64], hex[41];
	size_t i, size = 300000;
	wm_blob blob = WM_BLOB_INIT;
	wm_world *world;
	wm_repo *repo;
	char *big;

	ck_assert_ptr_nonnull(big = malloc(size + 1));
	for (i = 0; i < size; i++)
		big[i] = (char)('a' + i % 26);
	big[size] = '\0';
	wm_test_write(dir, "big.txt", big);
	wm_test_write(dir, "empty.txt", "");
	sh_line(hash, sizeof(hash), dir, "git hash-object --no-filters big.txt");

	repo = open_repo(dir);
	world = open_world(repo, WM_WORLD_WORKDIR, NULL);
	ck_assert_int_eq(wm_world_read(&blob, world, "big.txt"), 0);
	ck_assert_uint_eq(blob.size, size);
	ck_assert_mem_eq(blob.data, big, size);
	wm_oid_fmt(hex, &blob.oid);
	ck_assert_str_eq(hex, hash);
	wm_blob_release(&blob);
	ck_assert_int_eq(wm_world_read(&blob, world, "empty.txt"), 0);
	ck_assert_uint_eq(blob.size, 0);
	wm_oid_fmt(hex, &blob.oid);
	ck_assert_str_eq(hex, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	wm_blob_release(&blob);
	wm_world_free(world);
	wm_repo_free(repo);
	free(big);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(commit_scope_and_byte_order)
{
	char *dir = new_repo();
	static const char *const order[] = { "B", "a.b", "a/b", "a0" };
	char expected[64], hex[41];
	wm_blob blob = WM_BLOB_INIT;
	wm_targets *targets;
	wm_world *world;
	wm_repo *repo;
	wm_oid zero;
	size_t i;

	for (i = 0; i < 4; i++)
		wm_test_write(dir, order[i], order[i]);
	wm_test_sh(dir, "git add . && git commit -qm one && "
		"echo z > z && git add z && git commit -qm two");
	sh_line(expected, sizeof(expected), dir, "git rev-parse HEAD~1:a/b");

	repo = open_repo(dir);
	targets = compute(&world, repo, WM_SCOPE_COMMIT, "HEAD~1", true);
	ck_assert_int_eq(wm_world_kind_of(world), WM_WORLD_COMMIT);
	ck_assert_uint_eq(targets->count, 4);
	ck_assert_uint_eq(wm_world_count(world), 4);
	assert_sorted(world);
	for (i = 0; i < 4; i++) {
		ck_assert_str_eq(targets->items[i].path, order[i]);
		ck_assert_str_eq(wm_world_entry(world, i)->path, order[i]);
		ck_assert_int_eq(targets->items[i].change, WM_CHANGE_NONE);
	}
	ck_assert_ptr_null(wm_world_lookup(world, "a"));
	ck_assert_ptr_null(wm_world_lookup(world, "z"));
	wm_oid_fmt(hex, &wm_world_lookup(world, "a/b")->oid);
	ck_assert_str_eq(hex, expected);

	ck_assert_int_eq(wm_repo_read_blob(&blob, repo, &wm_world_lookup(world, "a/b")->oid), 0);
	ck_assert_uint_eq(blob.size, 3);
	ck_assert_mem_eq(blob.data, "a/b", 3);
	wm_blob_release(&blob);
	memset(&zero, 0, sizeof(zero));
	ck_assert(wm_oid_is_zero(&zero));
	ck_assert_int_eq(wm_repo_read_blob(&blob, repo, &zero), WM_ENOTFOUND);
	ck_assert_int_eq(wm_world_read(&blob, world, "nothing"), WM_ENOTFOUND);
	wm_blob_release(&blob);
	wm_targets_free(targets);
	wm_targets_free(NULL);
	wm_world_free(world);
	wm_world_free(NULL);
	wm_repo_free(repo);
	wm_test_rmrf(dir);
	free(dir);
}
END_TEST

START_TEST(change_names)
{
	ck_assert_str_eq(wm_change_name(WM_CHANGE_NONE), "unchanged");
	ck_assert_str_eq(wm_change_name(WM_CHANGE_ADDED), "added");
	ck_assert_str_eq(wm_change_name(WM_CHANGE_MODIFIED), "modified");
	ck_assert_str_eq(wm_change_name(WM_CHANGE_RENAMED), "renamed");
	ck_assert_str_eq(wm_change_name(WM_CHANGE_DELETED), "deleted");
	ck_assert_str_eq(wm_change_name(WM_CHANGE_TYPECHANGE), "typechange");
}
END_TEST

static Suite *world_suite(void)
{
	Suite *s = suite_create("world");
	TCase *tc = tcase_create("world");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, open_from_a_subdirectory);
	tcase_add_test(tc, index_file_from_the_environment);
	tcase_add_loop_test(tc, hook_environment, 0,
		(int)(sizeof(hook_commands) / sizeof(hook_commands[0])));
	tcase_add_test(tc, git_dir_and_work_tree);
	tcase_add_test(tc, linked_worktree);
	tcase_add_test(tc, detached_head);
	tcase_add_test(tc, empty_repository);
	tcase_add_test(tc, partially_staged_file);
	tcase_add_test(tc, staged_rename_deletion_typechange);
	tcase_add_test(tc, conflicts_and_intent_to_add_are_not_staged);
	tcase_add_test(tc, diff_scope_uses_the_merge_base);
	tcase_add_test(tc, unknown_revisions);
	tcase_add_test(tc, gitlinks_are_never_targets);
	tcase_add_test(tc, autocrlf_reads_what_git_stores);
	tcase_add_test(tc, workdir_untracked_and_ignored);
	tcase_add_test(tc, symlinks_are_never_followed);
	tcase_add_test(tc, bare_repository);
	tcase_add_test(tc, workdir_reads_empty_and_large_files);
	tcase_add_test(tc, commit_scope_and_byte_order);
	tcase_add_test(tc, change_names);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return wm_test_run(world_suite());
}
