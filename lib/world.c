/*
 * world.c - the repository and its worlds (libgit2).
 *
 * A hook sees the repository through git's environment, not through the
 * current directory: `git commit -a` hands it a temporary index in
 * GIT_INDEX_FILE, worktrees and `--git-dir` hand it GIT_DIR and
 * GIT_WORK_TREE. libgit2 reads all of that with GIT_REPOSITORY_OPEN_FROM_ENV
 * except GIT_WORK_TREE (1.5 fails with "unimplemented"), so when that one is
 * set we read the same variables ourselves and set the workdir by hand.
 *
 * A world is a flat array of entries sorted by path in byte order, built
 * once when it is opened and searched by bisection afterwards. Detectors ask
 * for many files by name (an import resolves to a path, a link to a file),
 * so lookups must be cheap and a world must not change under them.
 *
 *  - HEAD and commit worlds walk the commit's tree.
 *  - The index world takes stage-0 entries only: a conflicted path cannot
 *    be committed, so it has nothing to scan until the conflict is resolved.
 *    Intent-to-add entries (`git add -N`) are skipped too: git does not
 *    commit them.
 *  - The working-tree world is every tracked path still on disk plus every
 *    untracked, not ignored file (git status). Paths that lie beyond a
 *    symlinked directory are absent, as they are for git.
 *
 * Reading from the working tree never follows a symlink: each directory on
 * the way is opened with O_NOFOLLOW relative to the previous one, and a
 * symlink reads as its target text, as git stores it. The bytes are those
 * on disk with no filters (core.autocrlf does not apply), and their oid is
 * git's blob hash of exactly those bytes, cached in the entry. That cache
 * is the one thing a "const" world writes, so a world must not be read from
 * two threads at once (wm's workers are processes).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2/sys/repository.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "world.h"

struct wm_repo {
	git_repository *git;
	char *workdir;    /* absolute, ends in '/'; NULL when bare */
	char *gitdir;
	char *commondir;
	bool initialized; /* holds one git_libgit2_init() reference */
};

struct wm_world {
	wm_repo *repo;
	wm_world_kind kind;
	wm_oid commit;     /* the commit whose tree a WM_WORLD_COMMIT world shows */
	wm_entry *entries; /* sorted by path; paths owned */
	size_t count;
	size_t alloc;
};

/* What a wm_blob's owner points to: a libgit2 blob or bytes read from disk. */
struct blob_owner {
	git_blob *blob;
	char *bytes;
};

int wm_world__git_error(int code, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char context[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(context, sizeof(context), fmt, ap);
	va_end(ap);
	return wm_error_set(code == GIT_ENOTFOUND ? WM_ENOTFOUND : WM_EREPO, "%s: %s",
		context, e && e->message ? e->message : "unknown libgit2 error");
}

void wm_oid_fmt(char out[41], const wm_oid *oid)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < sizeof(oid->id); i++) {
		out[2 * i] = hex[oid->id[i] >> 4];
		out[2 * i + 1] = hex[oid->id[i] & 0xf];
	}
	out[40] = '\0';
}

bool wm_oid_is_zero(const wm_oid *oid)
{
	size_t i;

	for (i = 0; i < sizeof(oid->id); i++)
		if (oid->id[i])
			return false;
	return true;
}

/*
 * Repository
 */

static const char *env(const char *name)
{
	const char *value = getenv(name);

	return value && *value ? value : NULL;
}

/* libgit2's directories end in '/' already; make sure of it, we promise it. */
static char *dir_with_slash(const char *dir)
{
	size_t len = strlen(dir);
	char *out = wm_malloc(len + 2);

	if (!out)
		return NULL;
	memcpy(out, dir, len + 1);
	if (len == 0 || out[len - 1] != '/') {
		out[len] = '/';
		out[len + 1] = '\0';
	}
	return out;
}

/* Returns a libgit2 code, like the calls around it in open_with_work_tree(). */
static int add_alternates(git_odb *odb, const char *list)
{
	char *copy = wm_strdup(list), *dir, *save = NULL;
	int error = 0;

	if (!copy) {
		git_error_set_oom();
		return GIT_ERROR;
	}
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save))
		if ((error = git_odb_add_disk_alternate(odb, dir)) < 0)
			break;
	wm_free(copy);
	return error;
}

/*
 * libgit2 1.5's git_repository_set_workdir() leaks its path when asked for
 * the workdir it already has (as with `git --work-tree=. commit`), so ask
 * only when it differs.
 */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
		sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * GIT_REPOSITORY_OPEN_FROM_ENV, plus GIT_WORK_TREE: the same variables in
 * the same order as libgit2 1.5 reads them, then the workdir set by hand.
 * Returns a libgit2 code.
 */
static int open_with_work_tree(git_repository **out, const char *start, const char *work_tree)
{
	git_repository *git = NULL;
	git_index *index = NULL;
	git_odb *odb = NULL;
	const char *git_dir = env("GIT_DIR"), *value;
	unsigned int flags = 0;
	int error, across = 0;

	if (git_dir)
		flags |= GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT;
	if ((value = env("GIT_DISCOVERY_ACROSS_FILESYSTEM")) &&
	    git_config_parse_bool(&across, value) == 0 && across)
		flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
	if ((error = git_repository_open_ext(&git, git_dir ? git_dir : start, flags,
		     env("GIT_CEILING_DIRECTORIES"))) < 0)
		goto done;
	if (!same_dir(git_repository_workdir(git), work_tree) &&
	    (error = git_repository_set_workdir(git, work_tree, 0)) < 0)
		goto done;
	if ((value = env("GIT_OBJECT_DIRECTORY"))) {
		if ((error = git_odb_open(&odb, value)) < 0)
			goto done;
		git_repository_set_odb(git, odb);
	}
	if ((value = env("GIT_ALTERNATE_OBJECT_DIRECTORIES"))) {
		if (!odb && (error = git_repository_odb(&odb, git)) < 0)
			goto done;
		if ((error = add_alternates(odb, value)) < 0)
			goto done;
	}
	if ((value = env("GIT_INDEX_FILE"))) {
		if ((error = git_index_open(&index, value)) < 0)
			goto done;
		git_repository_set_index(git, index);
	}
	if ((value = env("GIT_NAMESPACE")) && (error = git_repository_set_namespace(git, value)) < 0)
		goto done;
	*out = git;
	git = NULL;
done:
	git_index_free(index);
	git_odb_free(odb);
	git_repository_free(git);
	return error;
}

int wm_repo_open(wm_repo **out, const char *path)
{
	wm_repo *repo = NULL;
	const char *start = path ? path : ".";
	const char *work_tree = env("GIT_WORK_TREE");
	int error;

	*out = NULL;
	if (!(repo = wm_calloc(1, sizeof(*repo))))
		return WM_ENOMEM;
	if ((error = git_libgit2_init()) < 0) {
		error = wm_error_set(WM_EREPO, "cannot initialise libgit2");
		goto done;
	}
	repo->initialized = true;

	/*
	 * With GIT_DIR set, git ignores the current directory, and so do we;
	 * otherwise discovery starts from `path` (libgit2 would use the cwd
	 * for a NULL path, and ignores GIT_DIR for a non-NULL one).
	 */
	if (work_tree)
		error = open_with_work_tree(&repo->git, start, work_tree);
	else
		error = git_repository_open_ext(&repo->git, env("GIT_DIR") ? NULL : start,
			GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (error < 0) {
		error = wm_world__git_error(error, "opening the repository at %s",
			env("GIT_DIR") ? env("GIT_DIR") : start);
		goto done;
	}

	if (!git_repository_is_bare(repo->git) &&
	    !(repo->workdir = dir_with_slash(git_repository_workdir(repo->git)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (!(repo->gitdir = dir_with_slash(git_repository_path(repo->git))) ||
	    !(repo->commondir = dir_with_slash(git_repository_commondir(repo->git)))) {
		error = WM_ENOMEM;
		goto done;
	}
	*out = repo;
	repo = NULL;
done:
	wm_repo_free(repo);
	return error;
}

void wm_repo_free(wm_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	wm_free(repo->workdir);
	wm_free(repo->gitdir);
	wm_free(repo->commondir);
	if (repo->initialized)
		git_libgit2_shutdown();
	wm_free(repo);
}

const char *wm_repo_workdir(const wm_repo *repo)
{
	return repo->workdir;
}

const char *wm_repo_gitdir(const wm_repo *repo)
{
	return repo->gitdir;
}

const char *wm_repo_commondir(const wm_repo *repo)
{
	return repo->commondir;
}

/* Asked of the repository each time: a fix or quarantine may commit during a run. */
bool wm_repo_has_head(const wm_repo *repo)
{
	git_oid oid;
	int error = git_reference_name_to_id(&oid, repo->git, "HEAD");

	if (error < 0)
		git_error_clear();
	return error == 0;
}

void *wm_repo_git(wm_repo *repo)
{
	return repo->git;
}

int wm_world__lookup_commit(git_commit **out, wm_repo *repo, const char *rev)
{
	git_object *obj = NULL, *peeled = NULL;
	int error;

	*out = NULL;
	if (!rev || !*rev)
		return wm_error_set(WM_ENOTFOUND, "no revision given");
	if ((error = git_revparse_single(&obj, repo->git, rev)) < 0) {
		/* git says "unknown revision" for all of these, and so do we. */
		if (error == GIT_EINVALIDSPEC || error == GIT_EAMBIGUOUS ||
		    error == GIT_EUNBORNBRANCH)
			error = GIT_ENOTFOUND;
		error = wm_world__git_error(error, "unknown revision '%s'", rev);
		goto done;
	}
	if ((error = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT)) < 0) {
		if (error == GIT_EPEEL || error == GIT_EINVALIDSPEC || error == GIT_EAMBIGUOUS)
			error = GIT_ENOTFOUND;
		error = wm_world__git_error(error, "revision '%s' does not name a commit", rev);
		goto done;
	}
	*out = (git_commit *)peeled;
	peeled = NULL;
done:
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int wm_world__head_tree(git_tree **out, wm_repo *repo)
{
	git_commit *commit = NULL;
	git_oid oid;
	int error;

	*out = NULL;
	error = git_reference_name_to_id(&oid, repo->git, "HEAD");
	if (error == GIT_ENOTFOUND || error == GIT_EUNBORNBRANCH) {
		/* HEAD names a branch with no commit yet: the empty tree. */
		git_error_clear();
		error = 0;
		goto done;
	}
	if (error < 0) {
		error = wm_world__git_error(GIT_ERROR, "resolving HEAD");
		goto done;
	}
	if ((error = git_commit_lookup(&commit, repo->git, &oid)) < 0 ||
	    (error = git_commit_tree(out, commit)) < 0)
		error = wm_world__git_error(GIT_ERROR, "reading the tree of HEAD");
done:
	git_commit_free(commit);
	return error;
}

int wm_repo_resolve(wm_oid *out, wm_repo *repo, const char *rev)
{
	git_commit *commit = NULL;
	int error;

	if ((error = wm_world__lookup_commit(&commit, repo, rev)) < 0)
		return error;
	wm_world__oid_from_git(out, git_commit_id(commit));
	git_commit_free(commit);
	return 0;
}

int wm_repo_merge_base(wm_oid *out, wm_repo *repo, const char *rev)
{
	git_commit *base = NULL;
	git_oid head, fork;
	int error;

	if ((error = wm_world__lookup_commit(&base, repo, rev)) < 0)
		goto done;
	if ((error = git_reference_name_to_id(&head, repo->git, "HEAD")) < 0) {
		error = wm_world__git_error(GIT_ENOTFOUND, "HEAD has no commit");
		goto done;
	}
	if ((error = git_merge_base(&fork, repo->git, git_commit_id(base), &head)) < 0) {
		error = error == GIT_ENOTFOUND
			? wm_error_set(WM_ENOTFOUND, "no merge base between '%s' and HEAD", rev)
			: wm_world__git_error(GIT_ERROR, "finding the merge base of '%s' and HEAD", rev);
		goto done;
	}
	wm_world__oid_from_git(out, &fork);
done:
	git_commit_free(base);
	return error;
}

/*
 * Building worlds
 */

static uint32_t normalize_mode(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0120000:
		return WM_MODE_LINK;
	case 0160000:
		return WM_MODE_GITLINK;
	case 0040000:
		return WM_MODE_TREE;
	default:
		/* Old trees may say 100664; git reads any x bit as executable. */
		return (mode & 0111) ? WM_MODE_EXEC : WM_MODE_FILE;
	}
}

static int push_entry(wm_world *world, const char *path, size_t len, const git_oid *oid,
	uint32_t mode)
{
	wm_entry *entry;

	if (world->count == world->alloc) {
		size_t alloc = world->alloc ? world->alloc * 2 : 256;
		wm_entry *grown = wm_reallocarray(world->entries, alloc, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		world->entries = grown;
		world->alloc = alloc;
	}
	entry = &world->entries[world->count];
	memset(entry, 0, sizeof(*entry));
	if (!(entry->path = wm_strndup(path, len)))
		return WM_ENOMEM;
	/* Working-tree entries get theirs when read: hashing up front reads every file. */
	if (oid)
		wm_world__oid_from_git(&entry->oid, oid);
	entry->mode = mode;
	world->count++;
	return 0;
}

static int compare_entries(const void *a, const void *b)
{
	return strcmp(((const wm_entry *)a)->path, ((const wm_entry *)b)->path);
}

/* Sort by path and drop repeats (a conflicted path has up to three index stages). */
static void sort_entries(wm_world *world)
{
	size_t i, n = 0;

	if (world->count > 1)
		qsort(world->entries, world->count, sizeof(*world->entries), compare_entries);
	for (i = 0; i < world->count; i++) {
		if (n && strcmp(world->entries[n - 1].path, world->entries[i].path) == 0) {
			wm_free((char *)world->entries[i].path);
			continue;
		}
		world->entries[n++] = world->entries[i];
	}
	world->count = n;
}

struct tree_walk {
	wm_world *world;
	wm_buf path;
	int error;
};

static int tree_walk_cb(const char *root, const git_tree_entry *te, void *payload)
{
	struct tree_walk *walk = payload;
	uint32_t mode = normalize_mode((uint32_t)git_tree_entry_filemode(te));

	if (mode == WM_MODE_TREE)
		return 0;
	wm_buf_clear(&walk->path);
	if ((walk->error = wm_buf_puts(&walk->path, root)) < 0 ||
	    (walk->error = wm_buf_puts(&walk->path, git_tree_entry_name(te))) < 0 ||
	    (walk->error = push_entry(walk->world, walk->path.ptr, walk->path.size,
		     git_tree_entry_id(te), mode)) < 0)
		return -1;
	return 0;
}

static int load_tree(wm_world *world, const git_tree *tree)
{
	struct tree_walk walk = { world, WM_BUF_INIT, 0 };
	int error = 0;

	if (!tree)
		goto done;
	if ((error = git_tree_walk(tree, GIT_TREEWALK_PRE, tree_walk_cb, &walk)) < 0)
		error = walk.error < 0 ? walk.error : wm_world__git_error(error, "walking a tree");
done:
	wm_buf_dispose(&walk.path);
	return error;
}

static int load_head(wm_world *world)
{
	git_tree *tree = NULL;
	int error;

	if ((error = wm_world__head_tree(&tree, world->repo)) == 0)
		error = load_tree(world, tree);
	git_tree_free(tree);
	return error;
}

static int load_commit(wm_world *world, const char *rev)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int error;

	if ((error = wm_world__lookup_commit(&commit, world->repo, rev)) < 0)
		goto done;
	wm_world__oid_from_git(&world->commit, git_commit_id(commit));
	if ((error = git_commit_tree(&tree, commit)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "reading the tree of %s", rev);
		goto done;
	}
	error = load_tree(world, tree);
done:
	git_tree_free(tree);
	git_commit_free(commit);
	return error;
}

static int open_index(git_index **out, wm_repo *repo)
{
	int error;

	/* Pick up what git wrote since the repository was opened. */
	if ((error = git_repository_index(out, repo->git)) < 0 ||
	    (error = git_index_read(*out, 0)) < 0)
		return wm_world__git_error(GIT_ERROR, "reading the index");
	return 0;
}

static int load_index(wm_world *world)
{
	git_index *index = NULL;
	size_t i, count;
	int error;

	if ((error = open_index(&index, world->repo)) < 0)
		goto done;
	count = git_index_entrycount(index);
	for (i = 0; i < count; i++) {
		const git_index_entry *ie = git_index_get_byindex(index, i);

		if (GIT_INDEX_ENTRY_STAGE(ie) != 0 ||
		    (ie->flags_extended & GIT_INDEX_ENTRY_INTENT_TO_ADD))
			continue;
		if ((error = push_entry(world, ie->path, strlen(ie->path), &ie->id,
			     normalize_mode(ie->mode))) < 0)
			goto done;
	}
done:
	git_index_free(index);
	return error;
}

/*
 * Working tree: lstat without going through a symlinked directory. `seen`
 * remembers the last directory prefix checked, so sorted paths check each
 * directory about once.
 */
struct disk {
	wm_buf full;       /* workdir + path */
	size_t root_len;
	wm_buf seen;       /* a prefix "a/b/" known to be real directories */
	bool filemode;     /* core.filemode: trust the x bit on disk */
};

/* @return 1 when path is on disk (st filled in), 0 when it is not, or WM_ENOMEM */
static int disk_lstat(struct stat *st, struct disk *disk, const char *path)
{
	const char *slash, *last = strrchr(path, '/');
	size_t len;
	int error;

	disk->full.size = disk->root_len;
	if ((error = wm_buf_puts(&disk->full, path)) < 0)
		return error;

	/*
	 * Like git, a path below a symlinked (or vanished) directory is not in
	 * the working tree, even though lstat() of the whole path would succeed.
	 */

	if (last && !(disk->seen.size == (size_t)(last - path) + 1 &&
		      memcmp(disk->seen.ptr, path, disk->seen.size) == 0)) {
		for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
			len = (size_t)(slash - path);
			if (disk->seen.size > len && memcmp(disk->seen.ptr, path, len + 1) == 0)
				continue;
			disk->full.ptr[disk->root_len + len] = '\0';
			if (lstat(disk->full.ptr, st) < 0 || !S_ISDIR(st->st_mode))
				return 0;
			disk->full.ptr[disk->root_len + len] = '/';
		}
		wm_buf_clear(&disk->seen);
		if ((error = wm_buf_put(&disk->seen, path, (size_t)(last - path) + 1)) < 0)
			return error;
	}
	return lstat(disk->full.ptr, st) == 0 ? 1 : 0;
}

static uint32_t disk_mode(const struct stat *st, const struct disk *disk, uint32_t index_mode)
{
	if (S_ISLNK(st->st_mode))
		return WM_MODE_LINK;
	if (!disk->filemode)
		return index_mode == WM_MODE_EXEC ? WM_MODE_EXEC : WM_MODE_FILE;
	return (st->st_mode & 0111) ? WM_MODE_EXEC : WM_MODE_FILE;
}

static int disk_init(struct disk *disk, wm_repo *repo)
{
	git_config *config = NULL;
	int value = 1;
	int error = 0;

	if ((error = wm_buf_puts(&disk->full, repo->workdir)) < 0)
		goto done;
	disk->root_len = disk->full.size;
	if ((error = git_repository_config_snapshot(&config, repo->git)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "reading the configuration");
		goto done;
	}
	if (git_config_get_bool(&value, config, "core.filemode") < 0) {
		git_error_clear();
		value = 1;
	}
	disk->filemode = value != 0;
done:
	git_config_free(config);
	return error;
}

static int load_tracked(wm_world *world, struct disk *disk)
{
	git_index *index = NULL;
	struct stat st;
	size_t i, count;
	int error, present;

	if ((error = open_index(&index, world->repo)) < 0)
		goto done;
	count = git_index_entrycount(index);
	for (i = 0; i < count; i++) {
		const git_index_entry *ie = git_index_get_byindex(index, i);
		uint32_t mode = normalize_mode(ie->mode);

		if ((present = disk_lstat(&st, disk, ie->path)) < 0) {
			error = present;
			goto done;
		}
		if (!present)
			continue;
		/* A submodule is a directory on disk, checked out or not. */
		if (mode == WM_MODE_GITLINK) {
			if (!S_ISDIR(st.st_mode))
				continue;
		} else if (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) {
			mode = disk_mode(&st, disk, mode);
		} else {
			/* A file replaced by a directory: git status lists what is in it. */
			continue;
		}
		if ((error = push_entry(world, ie->path, strlen(ie->path), NULL, mode)) < 0)
			goto done;
	}
done:
	git_index_free(index);
	return error;
}

static int load_untracked(wm_world *world, struct disk *disk)
{
	git_status_options opts;
	git_status_list *list = NULL;
	struct stat st;
	size_t i, count;
	int error, present;

	/* The _INIT macros trip -Wmissing-field-initializers; these do not. */
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
		GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if ((error = git_status_list_new(&list, world->repo->git, &opts)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "listing untracked files");
		goto done;
	}
	count = git_status_list_entrycount(list);
	for (i = 0; i < count; i++) {
		const git_status_entry *s = git_status_byindex(list, i);
		const char *path;

		if (!(s->status & GIT_STATUS_WT_NEW) || !s->index_to_workdir)
			continue;
		path = s->index_to_workdir->new_file.path;
		if ((present = disk_lstat(&st, disk, path)) < 0) {
			error = present;
			goto done;
		}
		/* An untracked nested repository shows up as "dir/": not a file. */
		if (!present || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			continue;
		if ((error = push_entry(world, path, strlen(path), NULL,
			     disk_mode(&st, disk, WM_MODE_FILE))) < 0)
			goto done;
	}
done:
	git_status_list_free(list);
	return error;
}

static int load_workdir(wm_world *world)
{
	struct disk disk = { WM_BUF_INIT, 0, WM_BUF_INIT, true };
	int error;

	if (!world->repo->workdir) {
		error = wm_error_set(WM_EREPO, "a bare repository has no working tree");
		goto done;
	}
	if ((error = disk_init(&disk, world->repo)) < 0 ||
	    (error = load_tracked(world, &disk)) < 0 ||
	    (error = load_untracked(world, &disk)) < 0)
		goto done;
done:
	wm_buf_dispose(&disk.full);
	wm_buf_dispose(&disk.seen);
	return error;
}

int wm_world_open(wm_world **out, wm_repo *repo, wm_world_kind kind, const char *rev)
{
	wm_world *world;
	int error;

	*out = NULL;
	if (!(world = wm_calloc(1, sizeof(*world))))
		return WM_ENOMEM;
	world->repo = repo;
	world->kind = kind;
	switch (kind) {
	case WM_WORLD_HEAD:
		error = load_head(world);
		break;
	case WM_WORLD_INDEX:
		error = load_index(world);
		break;
	case WM_WORLD_WORKDIR:
		error = load_workdir(world);
		break;
	case WM_WORLD_COMMIT:
		error = load_commit(world, rev);
		break;
	default:
		error = wm_error_set(WM_EUSAGE, "unknown world kind %d", (int)kind);
		break;
	}
	if (error < 0)
		goto done;
	sort_entries(world);
	*out = world;
	world = NULL;
done:
	wm_world_free(world);
	return error;
}

void wm_world_free(wm_world *world)
{
	size_t i;

	if (!world)
		return;
	for (i = 0; i < world->count; i++)
		wm_free((char *)world->entries[i].path);
	wm_free(world->entries);
	wm_free(world);
}

void wm_world__rebind(wm_world *world, wm_repo *repo)
{
	world->repo = repo;
}

wm_world_kind wm_world_kind_of(const wm_world *world)
{
	return world->kind;
}

bool wm_world_commit(const wm_world *world, wm_oid *out)
{
	if (!world || world->kind != WM_WORLD_COMMIT)
		return false;
	*out = world->commit;
	return true;
}

wm_repo *wm_world_repo(const wm_world *world)
{
	return world->repo;
}

size_t wm_world_count(const wm_world *world)
{
	return world->count;
}

const wm_entry *wm_world_entry(const wm_world *world, size_t i)
{
	return i < world->count ? &world->entries[i] : NULL;
}

static wm_entry *find_entry(const wm_world *world, const char *path)
{
	size_t lo = 0, hi = world->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(path, world->entries[mid].path);

		if (cmp == 0)
			return &world->entries[mid];
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const wm_entry *wm_world_lookup(const wm_world *world, const char *path)
{
	return path ? find_entry(world, path) : NULL;
}

/*
 * Reading
 */

static const char *kind_name(wm_world_kind kind)
{
	switch (kind) {
	case WM_WORLD_HEAD:
		return "HEAD";
	case WM_WORLD_INDEX:
		return "the index";
	case WM_WORLD_WORKDIR:
		return "the working tree";
	case WM_WORLD_COMMIT:
		return "the commit";
	}
	return "the world";
}

static int read_object(wm_blob *out, wm_repo *repo, const git_oid *oid, const char *what)
{
	struct blob_owner *owner = NULL;
	git_blob *blob = NULL;
	git_object_size_t size;
	int error;

	if ((error = git_blob_lookup(&blob, repo->git, oid)) < 0) {
		error = wm_world__git_error(error, "reading %s", what);
		goto done;
	}
	size = git_blob_rawsize(blob);
	if (size > SIZE_MAX) {
		error = wm_error_set(WM_EREPO, "reading %s: blob too large", what);
		goto done;
	}
	if (!(owner = wm_calloc(1, sizeof(*owner)))) {
		error = WM_ENOMEM;
		goto done;
	}
	out->data = git_blob_rawcontent(blob);
	out->size = (size_t)size;
	wm_world__oid_from_git(&out->oid, git_blob_id(blob));
	owner->blob = blob;
	out->owner = owner;
	blob = NULL;
done:
	git_blob_free(blob);
	return error;
}

static int errno_error(int err, const char *path)
{
	if (err == ENOENT || err == ENOTDIR)
		return wm_error_set(WM_ENOTFOUND, "%s: no such file in the working tree", path);
	if (err == ELOOP)
		return wm_error_set(WM_EREPO, "%s: refusing to follow a symlink", path);
	return wm_error_set(WM_EREPO, "%s: %s", path, strerror(err));
}

/*
 * Open the directory that holds `path` (relative to the workdir), one
 * component at a time with O_NOFOLLOW, so that neither "..", nor an
 * absolute path, nor a directory swapped for a symlink leads outside.
 * *name_out points into *copy_out, which the caller frees.
 */
int wm_world__open_parent(int *dirfd_out, char **copy_out, const char **name_out,
	const char *workdir, const char *path)
{
	char *copy = NULL, *component, *slash;
	int dirfd = -1, next, error = 0;

	*dirfd_out = -1;
	if (!(copy = wm_strdup(path))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((dirfd = open(workdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		error = errno_error(errno, workdir);
		goto done;
	}
	for (component = copy;; component = slash + 1) {
		slash = strchr(component, '/');
		if (slash)
			*slash = '\0';
		if (!*component || strcmp(component, ".") == 0 || strcmp(component, "..") == 0) {
			error = wm_error_set(WM_EREPO, "%s: path leaves the working tree", path);
			goto done;
		}
		if (!slash)
			break;
		next = openat(dirfd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			error = errno_error(errno, path);
			goto done;
		}
		close(dirfd);
		dirfd = next;
	}
	*name_out = component;
	*dirfd_out = dirfd;
	*copy_out = copy;
	dirfd = -1;
	copy = NULL;
done:
	if (dirfd >= 0)
		close(dirfd);
	wm_free(copy);
	return error;
}

static int read_link(wm_buf *out, int dirfd, const char *name, const char *path)
{
	size_t cap = 256;
	ssize_t n;
	int error;

	for (;;) {
		wm_buf_clear(out);
		if ((error = wm_buf_grow(out, cap)) < 0)
			return error;
		if ((n = readlinkat(dirfd, name, out->ptr, cap)) < 0)
			return errno_error(errno, path);
		if ((size_t)n < cap)
			break;
		cap *= 2;
	}
	out->size = (size_t)n;
	out->ptr[n] = '\0';
	return 0;
}

static int read_regular(wm_buf *out, int dirfd, const char *name, const char *path)
{
	struct stat st;
	ssize_t n;
	int fd, error = 0;

	/* O_NONBLOCK: a FIFO swapped in after the lstat must not hang us. */
	if ((fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0)
		return errno_error(errno, path);
	if (fstat(fd, &st) < 0) {
		error = errno_error(errno, path);
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		error = wm_error_set(WM_ENOTFOUND, "%s: not a regular file", path);
		goto done;
	}
	if ((error = wm_buf_grow(out, (size_t)st.st_size + 1)) < 0)
		goto done;
	for (;;) {
		if (out->asize - out->size < 2 && (error = wm_buf_grow(out, 4096)) < 0)
			goto done;
		n = read(fd, out->ptr + out->size, out->asize - out->size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = errno_error(errno, path);
			goto done;
		}
		if (n == 0)
			break;
		out->size += (size_t)n;
	}
	out->ptr[out->size] = '\0';
done:
	close(fd);
	return error;
}

int wm_world__read_file(wm_buf *out, unsigned int *mode_out, const char *workdir, const char *path)
{
	char *copy = NULL;
	const char *name = NULL;
	struct stat st;
	int dirfd = -1, error;

	if ((error = wm_world__open_parent(&dirfd, &copy, &name, workdir, path)) < 0)
		goto done;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		error = errno_error(errno, path);
		goto done;
	}
	if (S_ISLNK(st.st_mode))
		error = read_link(out, dirfd, name, path);
	else if (S_ISREG(st.st_mode))
		error = read_regular(out, dirfd, name, path);
	else
		error = wm_error_set(WM_ENOTFOUND, "%s: not a file", path);
	if (error == 0 && mode_out)
		*mode_out = (unsigned int)st.st_mode;
done:
	if (dirfd >= 0)
		close(dirfd);
	wm_free(copy);
	return error;
}

static int read_workdir(wm_blob *out, const wm_world *world, wm_entry *entry)
{
	struct blob_owner *owner = NULL;
	wm_buf bytes = WM_BUF_INIT;
	git_oid oid;
	int error;

	if ((error = wm_world__read_file(&bytes, NULL, world->repo->workdir, entry->path)) < 0)
		goto done;

	/* Raw bytes, no filters: the oid says what is on disk, not what git would store. */
	if ((error = git_odb_hash(&oid, bytes.ptr ? bytes.ptr : "", bytes.size, GIT_OBJECT_BLOB)) < 0) {
		error = wm_world__git_error(GIT_ERROR, "hashing %s", entry->path);
		goto done;
	}
	if (!(owner = wm_calloc(1, sizeof(*owner)))) {
		error = WM_ENOMEM;
		goto done;
	}
	out->size = bytes.size;
	if (!(owner->bytes = wm_buf_detach(&bytes))) {
		error = WM_ENOMEM;
		goto done;
	}
	out->data = owner->bytes;
	wm_world__oid_from_git(&out->oid, &oid);
	out->owner = owner;
	owner = NULL;
	entry->oid = out->oid;
done:
	if (owner)
		wm_free(owner->bytes);
	wm_free(owner);
	wm_buf_dispose(&bytes);
	return error;
}

int wm_world_read(wm_blob *out, const wm_world *world, const char *path)
{
	wm_blob blob = WM_BLOB_INIT;
	wm_entry *entry;
	git_oid oid;
	int error;

	*out = blob;
	if (!path || !(entry = find_entry(world, path)))
		return wm_error_set(WM_ENOTFOUND, "%s: not in %s", path ? path : "(null)",
			kind_name(world->kind));
	if (entry->mode == WM_MODE_GITLINK)
		return wm_error_set(WM_ENOTFOUND, "%s: is a submodule", path);
	if (world->kind == WM_WORLD_WORKDIR) {
		error = read_workdir(&blob, world, entry);
	} else {
		wm_world__oid_to_git(&oid, &entry->oid);
		error = read_object(&blob, world->repo, &oid, path);
	}
	if (error == 0)
		*out = blob;
	return error;
}

int wm_repo_read_blob(wm_blob *out, wm_repo *repo, const wm_oid *oid)
{
	wm_blob blob = WM_BLOB_INIT;
	char hex[41];
	git_oid goid;
	int error;

	*out = blob;
	wm_oid_fmt(hex, oid);
	wm_world__oid_to_git(&goid, oid);
	if ((error = read_object(&blob, repo, &goid, hex)) == 0)
		*out = blob;
	return error;
}

void wm_blob_release(wm_blob *blob)
{
	struct blob_owner *owner;
	wm_blob empty = WM_BLOB_INIT;

	if (!blob)
		return;
	if ((owner = blob->owner)) {
		git_blob_free(owner->blob);
		wm_free(owner->bytes);
		wm_free(owner);
	}
	*blob = empty;
}
