/*
 * fix.c - cellular repair: apply fixes, verify them, keep them only then.
 *
 * The only module of wm that writes files, and it writes in this order so
 * that no run, killed at any instruction, can lose a byte of user work:
 *
 *   1. choose edits: findings in priority order (severity, then rule id),
 *      a finding whose edits overlap an accepted one is left out whole;
 *   2. compute every new content in memory;
 *   3. store originals and results as blobs, save the journal (fsync);
 *   4. write: working files atomically (temporary file + rename, mode
 *      kept, no symlink followed), index entries through libgit2, which
 *      takes the index lock;
 *   5. re-scan and keep a file's fix only if the threats it fixed are gone
 *      and nothing new appeared in it; restore the others from step 3.
 *
 * In a --staged run the staged blob is what gets fixed. The working file
 * usually holds the same text, or the same text plus unstaged changes; an
 * edit is carried over to it only where its bytes and some context around
 * them occur exactly once there, so unstaged work is never touched and an
 * edit that cannot be placed with certainty is not placed at all.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "fix.h"
#include "wm/alloc.h"
#include "wm/error.h"
#include "world.h"

/*
 * Bytes of context on each side that must match to carry an edit over; it
 * is halved down to 8 while no unique match is found, since unstaged
 * changes near the edit take context away.
 */
#define CONTEXT_BYTES 64

/* One file to fix and the edits accepted for it. */
typedef struct plan_file {
	const char *path;               /* borrowed from a finding's edit */
	const wm_edit **edits;
	size_t nedits, alloc;
	size_t fixes;                   /* findings with an edit here */
	const wm_finding **findings;    /* those findings, for the report's rules */
	size_t nfindings, falloc;
	bool rollback;
	char *why;                      /* reason for a rollback */
} plan_file;

typedef struct plan {
	plan_file *files;
	size_t count, alloc;
	const wm_finding **accepted;    /* findings whose fix is applied */
	size_t naccepted;
} plan;

static plan_file *plan_file_for(plan *p, const char *path, bool create)
{
	size_t i;

	for (i = 0; i < p->count; i++)
		if (!strcmp(p->files[i].path, path))
			return &p->files[i];
	if (!create)
		return NULL;
	if (p->count == p->alloc) {
		size_t alloc = p->alloc ? p->alloc * 2 : 8;
		plan_file *files = wm_reallocarray(p->files, alloc, sizeof(*files));

		if (!files)
			return NULL;
		p->files = files;
		p->alloc = alloc;
	}
	memset(&p->files[p->count], 0, sizeof(p->files[0]));
	p->files[p->count].path = path;
	return &p->files[p->count++];
}

static bool edits_overlap(const wm_edit *a, const wm_edit *b)
{
	if (a->start_byte == a->end_byte && b->start_byte == b->end_byte)
		return a->start_byte == b->start_byte;
	return a->start_byte < b->end_byte && b->start_byte < a->end_byte;
}

static const char *edit_path(const wm_finding *f, const wm_edit *e)
{
	return e->path ? e->path : f->path;
}

static bool conflicts(plan *p, const wm_finding *f)
{
	size_t i, j;

	for (i = 0; i < f->fix->nedits; i++) {
		const wm_edit *e = &f->fix->edits[i];
		plan_file *pf = plan_file_for(p, edit_path(f, e), false);

		for (j = 0; pf && j < pf->nedits; j++)
			if (edits_overlap(e, pf->edits[j]))
				return true;
	}
	return false;
}

static int finding_priority_cmp(const void *pa, const void *pb)
{
	const wm_finding *a = *(const wm_finding *const *)pa, *b = *(const wm_finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "")))
		return c;
	if ((c = strcmp(a->path ? a->path : "", b->path ? b->path : "")))
		return c;
	return (a->start_byte > b->start_byte) - (a->start_byte < b->start_byte);
}

static int plan_file_add_finding(plan_file *pf, const wm_finding *f)
{
	if (pf->nfindings == pf->falloc) {
		size_t alloc = pf->falloc ? pf->falloc * 2 : 4;
		const wm_finding **grown = wm_reallocarray(pf->findings, alloc, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		pf->findings = grown;
		pf->falloc = alloc;
	}
	pf->findings[pf->nfindings++] = f;
	return 0;
}

/* Step 1: which findings' fixes go in, and the edits per file. */
static int make_plan(plan *p, const wm_findings *findings)
{
	const wm_finding **order = NULL;
	size_t n = 0, i, j;
	int error = 0;

	if (!(order = wm_calloc(findings->count ? findings->count : 1, sizeof(*order))))
		return WM_ENOMEM;
	for (i = 0; i < findings->count; i++) {
		const wm_finding *f = &findings->items[i];
		bool usable = f->fix && f->fix->nedits;

		for (j = 0; usable && j < f->fix->nedits; j++)
			usable = edit_path(f, &f->fix->edits[j]) != NULL;
		if (usable)
			order[n++] = f;
	}
	qsort(order, n, sizeof(*order), finding_priority_cmp);
	if (!(p->accepted = wm_calloc(n ? n : 1, sizeof(*p->accepted)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < n; i++) {
		const wm_finding *f = order[i];

		if (conflicts(p, f))
			continue;
		for (j = 0; j < f->fix->nedits; j++) {
			const wm_edit *e = &f->fix->edits[j];
			plan_file *pf = plan_file_for(p, edit_path(f, e), true);

			if (!pf) {
				error = WM_ENOMEM;
				goto done;
			}
			if (pf->nedits == pf->alloc) {
				size_t alloc = pf->alloc ? pf->alloc * 2 : 4;
				const wm_edit **edits = wm_reallocarray(pf->edits, alloc, sizeof(*edits));

				if (!edits) {
					error = WM_ENOMEM;
					goto done;
				}
				pf->edits = edits;
				pf->alloc = alloc;
			}
			pf->edits[pf->nedits++] = e;
			if (j == 0 || strcmp(edit_path(f, e), edit_path(f, &f->fix->edits[j - 1]))) {
				pf->fixes++;
				if ((error = plan_file_add_finding(pf, f)) < 0)
					goto done;
			}
		}
		p->accepted[p->naccepted++] = f;
	}
done:
	wm_free(order);
	return error;
}

static void plan_dispose(plan *p)
{
	size_t i;

	for (i = 0; i < p->count; i++) {
		wm_free(p->files[i].edits);
		wm_free(p->files[i].findings);
		wm_free(p->files[i].why);
	}
	wm_free(p->files);
	wm_free(p->accepted);
}

static int git_fail(const char *what)
{
	const git_error *e = git_error_last();

	return wm_error_set(WM_EREPO, "%s: %s", what, e && e->message ? e->message : "libgit2 error");
}

static int blob_write(wm_oid *out, git_repository *git, const char *data, size_t size)
{
	git_oid oid;

	if (git_blob_create_from_buffer(&oid, git, data ? data : "", size) < 0)
		return git_fail("writing a backup blob");
	wm_world__oid_from_git(out, &oid);
	return 0;
}

static int blob_read(wm_buf *out, git_repository *git, const wm_oid *id)
{
	git_blob *blob = NULL;
	git_oid oid;
	int error;

	wm_world__oid_to_git(&oid, id);
	if (git_blob_lookup(&blob, git, &oid) < 0)
		return git_fail("reading a backup blob");
	error = wm_buf_put(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

static int errno_fail(const char *path)
{
	if (errno == ELOOP)
		return wm_error_set(WM_EREPO, "%s: refusing to write through a symlink", path);
	return wm_error_set(WM_EREPO, "%s: %s", path, strerror(errno));
}

/*
 * Write `data` to a new file `name` in directory `dirfd`, with `mode`,
 * flushed to disk. The caller renames it into place.
 */
static int write_temp(int dirfd, const char *name, const char *data, size_t size, unsigned int mode,
	const char *path)
{
	size_t off = 0;
	int fd, error = 0;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)) < 0)
		return errno_fail(path);
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = errno_fail(path);
			break;
		}
		off += (size_t)n;
	}
	if (error == 0 && (fchmod(fd, (mode_t)mode) < 0 || fsync(fd) < 0))
		error = errno_fail(path);
	if (close(fd) < 0 && error == 0)
		error = errno_fail(path);
	if (error < 0)
		unlinkat(dirfd, name, 0);
	return error;
}

int wm_fix__write_worktree(const char *workdir, const char *tmpdir, const char *path,
	const char *data, size_t size, unsigned int mode)
{
	char *copy = NULL, tmp[64];
	const char *name = NULL;
	struct stat st;
	int dirfd = -1, tmpfd = -1, error;
	static unsigned counter;

	if ((error = wm_world__open_parent(&dirfd, &copy, &name, workdir, path)) < 0)
		goto done;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode)) {
			error = wm_error_set(WM_EREPO, "%s: not a regular file; not writing it", path);
			goto done;
		}
		if (!mode)
			mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		error = errno_fail(path);
		goto done;
	}
	if (!mode)
		mode = 0644;
	snprintf(tmp, sizeof(tmp), ".wm-fix-%ld-%u.tmp", (long)getpid(), counter++);

	/*
	 * The temporary file goes to the git directory when it can, so that a
	 * run killed between write and rename leaves nothing in the working
	 * tree; beside the file only when the two are on different filesystems.
	 */
	if (tmpdir && (tmpfd = open(tmpdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if ((error = write_temp(tmpfd, tmp, data, size, mode, path)) < 0)
			goto done;
		if (renameat(tmpfd, tmp, dirfd, name) == 0)
			goto done;
		unlinkat(tmpfd, tmp, 0);
		if (errno != EXDEV) {
			error = errno_fail(path);
			goto done;
		}
	}
	if ((error = write_temp(dirfd, tmp, data, size, mode, path)) < 0)
		goto done;
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		error = errno_fail(path);
		unlinkat(dirfd, tmp, 0);
	}
done:
	if (tmpfd >= 0)
		close(tmpfd);
	if (dirfd >= 0)
		close(dirfd);
	wm_free(copy);
	return error;
}

int wm_fix__tmpdir(wm_buf *out, wm_repo *repo)
{
	int error;

	wm_buf_clear(out);
	if ((error = wm_buf_printf(out, "%swm", wm_repo_commondir(repo))) < 0)
		return error;
	mkdir(out->ptr, 0755);
	if ((error = wm_buf_puts(out, "/tmp")) < 0)
		return error;
	mkdir(out->ptr, 0700);
	return 0;
}

/* Occurrences of needle in hay: 0, 1 (at *at), or 2 meaning "more than one". */
static int occurrences(const char *hay, size_t hlen, const char *needle, size_t nlen, size_t *at)
{
	size_t i;
	int found = 0;

	if (nlen == 0 || nlen > hlen)
		return 0;
	for (i = 0; i + nlen <= hlen; i++) {
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, nlen)) {
			if (found++)
				return 2;
			*at = i;
		}
	}
	return found;
}

/*
 * Carry edits made on the staged content over to the working file:
 * exactly, when both hold the same bytes; otherwise each edit only where
 * its bytes with their context occur once in the working file.
 */
static int carry_over(wm_buf *out, const char *work, size_t wsize, const char *staged,
	size_t ssize, const wm_edit **edits, size_t nedits)
{
	wm_edit *mapped = NULL;
	const wm_edit **ptrs = NULL;
	size_t i, rejected = 0;
	int error = 0;

	if (wsize == ssize && !memcmp(work, staged, ssize))
		return wm_fix_apply_edits(out, &rejected, work, wsize, edits, nedits);
	if (!(mapped = wm_calloc(nedits, sizeof(*mapped))) || !(ptrs = wm_calloc(nedits, sizeof(*ptrs)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < nedits; i++) {
		const wm_edit *e = edits[i];
		size_t ctx, at = 0, before = 0;
		bool placed = false;

		/* Widest context first; narrower only while the match stays unique. */
		for (ctx = CONTEXT_BYTES; ctx >= 8 && !placed; ctx /= 2) {
			size_t after = ssize - e->end_byte < ctx ? ssize - e->end_byte : ctx;
			size_t from, len;

			before = e->start_byte < ctx ? e->start_byte : ctx;
			from = e->start_byte - before;
			len = (e->end_byte + after) - from;
			placed = occurrences(work, wsize, staged + from, len, &at) == 1;
		}
		if (!placed) {
			error = WM_ENOTFOUND;
			goto done;
		}
		mapped[i] = *e;
		mapped[i].start_byte = (uint32_t)(at + before);
		mapped[i].end_byte = mapped[i].start_byte + (e->end_byte - e->start_byte);
		ptrs[i] = &mapped[i];
	}
	if ((error = wm_fix_apply_edits(out, &rejected, work, wsize, ptrs, nedits)) == 0 && rejected)
		error = WM_ENOTFOUND;
done:
	wm_free(mapped);
	wm_free(ptrs);
	return error;
}

static int report_add(wm_fix_report *r, const char *path, wm_fix_file **out)
{
	wm_fix_file *files = wm_reallocarray(r->files, r->count + 1, sizeof(*files));

	if (!files)
		return WM_ENOMEM;
	r->files = files;
	memset(&files[r->count], 0, sizeof(files[0]));
	if (!(files[r->count].path = wm_strdup(path)))
		return WM_ENOMEM;
	*out = &files[r->count++];
	return 0;
}

/* The rules whose fixes went into a file, each once, for the immune memory. */
static int report_rules(wm_fix_file *ff, const plan_file *pf)
{
	size_t i, j;

	if (!pf->nfindings)
		return 0;
	if (!(ff->rules = wm_calloc(pf->nfindings, sizeof(*ff->rules))))
		return WM_ENOMEM;
	for (i = 0; i < pf->nfindings; i++) {
		const wm_finding *f = pf->findings[i];
		const char *det = f->detector ? f->detector : "", *rule = f->rule ? f->rule : "";

		for (j = 0; j < ff->nrules; j++)
			if (!strcmp(ff->rules[j].detector, det) && !strcmp(ff->rules[j].rule, rule))
				break;
		if (j < ff->nrules)
			continue;
		if (!(ff->rules[j].detector = wm_strdup(det)) || !(ff->rules[j].rule = wm_strdup(rule)))
			return WM_ENOMEM;
		ff->nrules++;
	}
	return 0;
}

static int set_reason(char **reason, const char *fmt, ...) WM_PRINTF(2, 3);

static int set_reason(char **reason, const char *fmt, ...)
{
	wm_buf b = WM_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = wm_buf_vprintf(&b, fmt, ap);
	va_end(ap);

	if (error < 0)
		return error;
	wm_free(*reason);
	*reason = wm_buf_detach(&b);
	return *reason ? 0 : WM_ENOMEM;
}

/* Point one index entry at a blob (the index is written by the caller). */
static int index_set(git_index *idx, const char *path, const wm_oid *id, size_t size)
{
	const git_index_entry *cur = git_index_get_bypath(idx, path, 0);
	git_index_entry entry;

	if (!cur)
		return wm_error_set(WM_EREPO, "%s: no longer in the index", path);
	entry = *cur;
	wm_world__oid_to_git(&entry.id, id);
	entry.file_size = (uint32_t)size;
	if (git_index_add(idx, &entry) < 0)
		return git_fail(path);
	return 0;
}

/*
 * Put one journal entry's file at the content of blob `id` (its "after" to
 * apply a fix, its "before" to take it back); an index change is only
 * staged in `idx`, and *index_dirty says the caller must write it.
 */
static int put_blob(git_repository *git, git_index *idx, const char *workdir, const char *tmpdir,
	const wm_journal_entry *e, const wm_oid *id, bool *index_dirty, wm_buf *scratch)
{
	int error;

	wm_buf_clear(scratch);
	if ((error = blob_read(scratch, git, id)) < 0)
		return error;
	if (e->index) {
		if ((error = index_set(idx, e->path, id, scratch->size)) < 0)
			return error;
		*index_dirty = true;
		return 0;
	}
	return wm_fix__write_worktree(workdir, tmpdir, e->path, scratch->ptr ? scratch->ptr : "",
		scratch->size, e->mode);
}

/* Does a finding with this path, rule and message occur in the list? */
static bool has_finding(const wm_findings *list, const char *path, const wm_finding *like)
{
	size_t i;

	for (i = 0; i < list->count; i++) {
		const wm_finding *f = &list->items[i];

		if (f->path && path && !strcmp(f->path, path) &&
		    !strcmp(f->rule ? f->rule : "", like->rule ? like->rule : "") &&
		    !strcmp(f->message ? f->message : "", like->message ? like->message : ""))
			return true;
	}
	return false;
}

/* Step 5: mark the files whose fix the re-scan does not confirm. */
static int judge(plan *p, const wm_findings *before, const wm_findings *after)
{
	size_t i, j;
	int error = 0;

	for (i = 0; i < p->naccepted && error == 0; i++) {
		const wm_finding *f = p->accepted[i];

		if (!has_finding(after, f->path, f))
			continue;
		for (j = 0; j < f->fix->nedits && error == 0; j++) {
			plan_file *pf = plan_file_for(p, edit_path(f, &f->fix->edits[j]), false);

			if (pf && !pf->rollback) {
				pf->rollback = true;
				error = set_reason(&pf->why, "the re-scan still finds %s", f->rule);
			}
		}
	}
	for (i = 0; i < after->count && error == 0; i++) {
		const wm_finding *f = &after->items[i];
		plan_file *pf = f->path ? plan_file_for(p, f->path, false) : NULL;

		if (pf && !pf->rollback && !has_finding(before, f->path, f)) {
			pf->rollback = true;
			error = set_reason(&pf->why, "the fix would introduce %s", f->rule);
		}
	}
	return error;
}

int wm_fix_run(wm_fix_report **out, wm_repo *repo, const wm_config *cfg,
	const wm_scan_options *scan_opts, const wm_scan_result *result, const wm_fix_options *opts)
{
	wm_fix_options defaults = WM_FIX_OPTIONS_INIT;
	git_repository *git = wm_repo_git(repo);
	const char *workdir = wm_repo_workdir(repo);
	bool staged = scan_opts->targets.scope == WM_SCOPE_STAGED;
	wm_fix_report *report = NULL;
	wm_journal *journal = NULL;
	wm_scan_result *again = NULL;
	git_index *idx = NULL;
	plan p;
	wm_buf work = WM_BUF_INIT, mapped = WM_BUF_INIT, tmp = WM_BUF_INIT;
	size_t i, *worktree_entry = NULL;
	bool index_dirty = false;
	int error = 0;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	if (!opts)
		opts = &defaults;
	if (scan_opts->targets.scope != WM_SCOPE_STAGED && scan_opts->targets.scope != WM_SCOPE_ALL) {
		error = wm_error_set(WM_EUSAGE, "--fix works on the working tree (--all) or the index (--staged), "
			"not on a commit or a diff");
		goto done;
	}
	if (!workdir) {
		error = wm_error_set(WM_EUSAGE, "--fix needs a working tree; this repository is bare");
		goto done;
	}
	if (!(report = wm_calloc(1, sizeof(*report)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if ((error = make_plan(&p, &result->findings)) < 0)
		goto done;

	/* Step 2: every new content, in memory. */
	for (i = 0; i < p.count; i++) {
		plan_file *pf = &p.files[i];
		wm_fix_file *ff;
		wm_blob blob = WM_BLOB_INIT;
		size_t rejected = 0;

		if ((error = report_add(report, pf->path, &ff)) < 0 || (error = report_rules(ff, pf)) < 0)
			goto done;
		ff->fixes = pf->fixes;
		ff->status = WM_FIX_SKIPPED;
		if (wm_world_read(&blob, result->world, pf->path) < 0) {
			if ((error = set_reason(&ff->reason, "cannot read it: %s", wm_error_last())) < 0)
				goto done;
			pf->rollback = true;
			continue;
		}
		error = wm_buf_put(&ff->before, blob.data, blob.size);
		if (error == 0)
			error = wm_fix_apply_edits(&ff->after, &rejected, blob.data, blob.size, pf->edits, pf->nedits);
		wm_blob_release(&blob);
		if (error == WM_EPARSE) {
			error = set_reason(&ff->reason, "%s", wm_error_last());
			pf->rollback = true;
			if (error < 0)
				goto done;
			continue;
		}
		if (error < 0)
			goto done;
		ff->status = WM_FIX_APPLIED;
	}
	if (opts->dry_run || p.count == 0) {
		*out = report;
		report = NULL;
		goto done;
	}

	/* Step 3: originals and results into the object database, and the journal. */
	if ((error = wm_journal__create(&journal, repo)) < 0 || (error = wm_fix__tmpdir(&tmp, repo)) < 0)
		goto done;
	if (!(worktree_entry = wm_calloc(p.count, sizeof(*worktree_entry)))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (staged && git_repository_index(&idx, git) < 0) {
		error = git_fail("opening the index");
		goto done;
	}
	for (i = 0; i < p.count; i++) {
		wm_fix_file *ff = &report->files[i];
		wm_oid before, after;
		unsigned int mode = 0;

		worktree_entry[i] = (size_t)-1;
		if (p.files[i].rollback)
			continue;
		if ((error = blob_write(&before, git, ff->before.ptr, ff->before.size)) < 0 ||
		    (error = blob_write(&after, git, ff->after.ptr, ff->after.size)) < 0)
			goto done;
		if (!staged) {
			if (wm_world__read_file(&work, &mode, workdir, ff->path) < 0)
				mode = 0644;
			wm_buf_clear(&work);
			worktree_entry[i] = journal->count;
			if ((error = wm_journal__add(journal, ff->path, false, mode & 07777, &before, &after)) < 0)
				goto done;
			continue;
		}
		if ((error = wm_journal__add(journal, ff->path, true, 0, &before, &after)) < 0)
			goto done;
		/* The working copy: carried over when it can be done with certainty. */
		wm_buf_clear(&work);
		wm_buf_clear(&mapped);
		if (wm_world__read_file(&work, &mode, workdir, ff->path) < 0 || !S_ISREG(mode)) {
			ff->status = WM_FIX_PARTIAL;
			error = set_reason(&ff->reason, "fixed in the index only: no working copy to fix");
		} else if (carry_over(&mapped, work.ptr ? work.ptr : "", work.size, ff->before.ptr ? ff->before.ptr : "",
				ff->before.size, p.files[i].edits, p.files[i].nedits) < 0) {
			ff->status = WM_FIX_PARTIAL;
			error = set_reason(&ff->reason, "fixed in the index only: the working copy differs "
				"around the fix, so it was left as it is");
		} else {
			wm_oid wbefore, wafter;

			if ((error = blob_write(&wbefore, git, work.ptr, work.size)) < 0 ||
			    (error = blob_write(&wafter, git, mapped.ptr, mapped.size)) < 0)
				goto done;
			worktree_entry[i] = journal->count;
			error = wm_journal__add(journal, ff->path, false, mode & 07777, &wbefore, &wafter);
		}
		if (error < 0)
			goto done;
	}
	if ((error = wm_journal__save(journal)) < 0)
		goto done;

	/* Step 4: the writes. */
	if (idx && git_index_read(idx, 1) < 0) {
		error = git_fail("reading the index");
		goto done;
	}
	for (i = 0; i < journal->count; i++) {
		wm_journal_entry *e = &journal->entries[i];

		if ((error = put_blob(git, idx, workdir, tmp.ptr, e, &e->after, &index_dirty, &work)) < 0)
			goto done;
		e->state = WM_JOURNAL_APPLIED;
	}
	if (index_dirty && git_index_write(idx) < 0) {
		error = git_fail("writing the index");
		goto done;
	}
	if ((error = wm_journal__save(journal)) < 0)
		goto done;

	/* Step 5: verify, and put back what the re-scan does not confirm. */
	if (opts->verify) {
		if ((error = wm_scan_run(&again, repo, cfg, scan_opts)) < 0 ||
		    (error = judge(&p, &result->findings, &again->findings)) < 0)
			goto done;
		index_dirty = false;
		for (i = 0; i < journal->count; i++) {
			wm_journal_entry *e = &journal->entries[i];
			plan_file *pf = plan_file_for(&p, e->path, false);

			if (!pf || !pf->rollback)
				continue;
			if ((error = put_blob(git, idx, workdir, tmp.ptr, e, &e->before, &index_dirty, &work)) < 0)
				goto done;
			e->state = WM_JOURNAL_ROLLED_BACK;
		}
		if (index_dirty && git_index_write(idx) < 0) {
			error = git_fail("writing the index");
			goto done;
		}
		for (i = 0; i < p.count; i++) {
			if (p.files[i].rollback && report->files[i].status != WM_FIX_SKIPPED) {
				report->files[i].status = WM_FIX_ROLLED_BACK;
				if ((error = set_reason(&report->files[i].reason, "%s", p.files[i].why)) < 0)
					goto done;
			}
		}
		if ((error = wm_journal__save(journal)) < 0)
			goto done;
	}
	if (!(report->journal = wm_strdup(journal->id))) {
		error = WM_ENOMEM;
		goto done;
	}
	*out = report;
	report = NULL;
done:
	wm_scan_result_free(again);
	git_index_free(idx);
	wm_journal__free(journal);
	wm_fix_report_free(report);
	plan_dispose(&p);
	wm_free(worktree_entry);
	wm_buf_dispose(&work);
	wm_buf_dispose(&mapped);
	wm_buf_dispose(&tmp);
	return error;
}

void wm_fix_report_free(wm_fix_report *report)
{
	size_t i;

	if (!report)
		return;
	for (i = 0; i < report->count; i++) {
		size_t j;

		for (j = 0; j < report->files[i].nrules; j++) {
			wm_free(report->files[i].rules[j].detector);
			wm_free(report->files[i].rules[j].rule);
		}
		wm_free(report->files[i].rules);
		wm_free(report->files[i].path);
		wm_free(report->files[i].reason);
		wm_buf_dispose(&report->files[i].before);
		wm_buf_dispose(&report->files[i].after);
	}
	wm_free(report->files);
	wm_free(report->journal);
	wm_free(report);
}

static int undo_add(wm_undo_report *r, const wm_journal_entry *e, bool restored, const char *reason)
{
	wm_undo_file *files = wm_reallocarray(r->files, r->count + 1, sizeof(*files));
	wm_undo_file *f;

	if (!files)
		return WM_ENOMEM;
	r->files = files;
	f = &files[r->count++];
	memset(f, 0, sizeof(*f));
	f->restored = restored;
	f->index = e->index;
	if (!(f->path = wm_strdup(e->path)) || (reason && !(f->reason = wm_strdup(reason))))
		return WM_ENOMEM;
	return 0;
}

/*
 * What a journal entry's file holds now: the index entry's oid, or the
 * hash of the working file. *gone explains when there is nothing.
 */
static int current_oid(wm_oid *out, const char **gone, git_index *idx, const char *workdir,
	const wm_journal_entry *e, wm_buf *scratch)
{
	const git_index_entry *ie;
	git_oid oid;

	if (e->index) {
		if (!(ie = git_index_get_bypath(idx, e->path, 0))) {
			*gone = "no longer in the index";
			return 0;
		}
		wm_world__oid_from_git(out, &ie->id);
		return 0;
	}
	wm_buf_clear(scratch);
	if (!workdir || wm_world__read_file(scratch, NULL, workdir, e->path) < 0) {
		*gone = "the file is gone; left as it is";
		return 0;
	}
	if (git_odb_hash(&oid, scratch->ptr ? scratch->ptr : "", scratch->size, GIT_OBJECT_BLOB) < 0)
		return git_fail(e->path);
	wm_world__oid_from_git(out, &oid);
	return 0;
}

int wm_fix_undo(wm_undo_report **out, wm_repo *repo)
{
	git_repository *git = wm_repo_git(repo);
	const char *workdir = wm_repo_workdir(repo);
	wm_undo_report *report = NULL;
	wm_journal *journal = NULL;
	git_index *idx = NULL;
	wm_buf cur = WM_BUF_INIT, tmp = WM_BUF_INIT;
	bool index_dirty = false;
	size_t i;
	int error;

	*out = NULL;
	if ((error = wm_journal__load_last(&journal, repo)) < 0 || (error = wm_fix__tmpdir(&tmp, repo)) < 0)
		goto done;
	if (!(report = wm_calloc(1, sizeof(*report))) || !(report->journal = wm_strdup(journal->id))) {
		error = WM_ENOMEM;
		goto done;
	}
	if (git_repository_index(&idx, git) < 0 || git_index_read(idx, 1) < 0) {
		error = git_fail("reading the index");
		goto done;
	}
	/* Newest write first, the reverse of the order they were made in. */
	for (i = journal->count; i-- > 0;) {
		wm_journal_entry *e = &journal->entries[i];
		const char *gone = NULL;
		wm_oid now;

		if (e->state == WM_JOURNAL_ROLLED_BACK)
			continue;
		if ((error = current_oid(&now, &gone, idx, workdir, e, &cur)) < 0)
			goto done;
		if (gone)
			error = undo_add(report, e, false, gone);
		else if (!memcmp(&now, &e->before, sizeof(now)))
			error = undo_add(report, e, true, "already as before the fix");
		else if (memcmp(&now, &e->after, sizeof(now)))
			error = undo_add(report, e, false, e->index ?
				"staged content changed since the fix; left as it is" :
				"changed since the fix; left as it is");
		else if ((error = put_blob(git, idx, workdir, tmp.ptr, e, &e->before, &index_dirty, &cur)) == 0)
			error = undo_add(report, e, true, NULL);
		if (error < 0)
			goto done;
	}
	if (index_dirty && git_index_write(idx) < 0) {
		error = git_fail("writing the index");
		goto done;
	}
	journal->undone = true;
	if ((error = wm_journal__save(journal)) < 0)
		goto done;
	*out = report;
	report = NULL;
done:
	git_index_free(idx);
	wm_journal__free(journal);
	wm_undo_report_free(report);
	wm_buf_dispose(&cur);
	wm_buf_dispose(&tmp);
	return error;
}

void wm_undo_report_free(wm_undo_report *report)
{
	size_t i;

	if (!report)
		return;
	for (i = 0; i < report->count; i++) {
		wm_free(report->files[i].path);
		wm_free(report->files[i].reason);
	}
	wm_free(report->files);
	wm_free(report->journal);
	wm_free(report);
}
