/*
 * journal.c - the record that makes every fix undoable.
 *
 * Before a fix run writes anything it stores each original as a blob in
 * the object database and saves a journal naming, per file, the blob before
 * and the blob after. The journal is saved before the first write and again
 * when the run ends, each time atomically, so a run killed at any
 * instruction leaves a journal that lists everything it might have
 * touched: undo compares each file with the "after" blob and restores the
 * "before" one, and a file that is still the original needs nothing.
 *
 * Journals live in `<commondir>/wm/journal/<id>.json`, shared by all
 * worktrees like the object database that holds their blobs. Ids sort by
 * time so "the last run" is the greatest id not yet undone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <jansson.h>

#include "fix.h"
#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "world.h"

static const char *const state_names[] = { "planned", "applied", "rolled_back" };

static int journal_dir(wm_buf *out, wm_repo *repo, bool create)
{
	int error;

	if ((error = wm_buf_printf(out, "%swm", wm_repo_commondir(repo))) < 0)
		return error;
	if (create && mkdir(out->ptr, 0755) < 0 && errno != EEXIST)
		return wm_error_set(WM_EREPO, "%s: %s", out->ptr, strerror(errno));
	if ((error = wm_buf_puts(out, "/journal")) < 0)
		return error;
	if (create && mkdir(out->ptr, 0755) < 0 && errno != EEXIST)
		return wm_error_set(WM_EREPO, "%s: %s", out->ptr, strerror(errno));
	return 0;
}

int wm_journal__create(wm_journal **out, wm_repo *repo)
{
	wm_journal *journal = NULL;
	wm_buf dir = WM_BUF_INIT, buf = WM_BUF_INIT;
	struct timespec ts;
	int error;

	*out = NULL;
	if (!(journal = wm_calloc(1, sizeof(*journal)))) {
		error = WM_ENOMEM;
		goto done;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	if ((error = wm_buf_printf(&buf, "%012lld.%09ld-%ld", (long long)ts.tv_sec, ts.tv_nsec,
			(long)getpid())) < 0 ||
	    !(journal->id = wm_buf_detach(&buf)) ||
	    (error = journal_dir(&dir, repo, true)) < 0 ||
	    (error = wm_buf_printf(&buf, "%s/%s.json", dir.ptr, journal->id)) < 0 ||
	    !(journal->file = wm_buf_detach(&buf))) {
		error = error < 0 ? error : WM_ENOMEM;
		goto done;
	}
	*out = journal;
	journal = NULL;
done:
	wm_journal__free(journal);
	wm_buf_dispose(&dir);
	wm_buf_dispose(&buf);
	return error;
}

int wm_journal__add(wm_journal *journal, const char *path, bool index, uint32_t mode,
	const wm_oid *before, const wm_oid *after)
{
	wm_journal_entry *e;

	if (journal->count == journal->alloc) {
		size_t alloc = journal->alloc ? journal->alloc * 2 : 8;
		wm_journal_entry *entries = wm_reallocarray(journal->entries, alloc, sizeof(*entries));

		if (!entries)
			return WM_ENOMEM;
		journal->entries = entries;
		journal->alloc = alloc;
	}
	e = &journal->entries[journal->count];
	memset(e, 0, sizeof(*e));
	if (!(e->path = wm_strdup(path)))
		return WM_ENOMEM;
	e->index = index;
	e->mode = mode;
	e->before = *before;
	e->after = *after;
	e->state = WM_JOURNAL_PLANNED;
	journal->count++;
	return 0;
}

static json_t *entry_json(const wm_journal_entry *e)
{
	char before[41], after[41];

	wm_oid_fmt(before, &e->before);
	wm_oid_fmt(after, &e->after);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s}",
		"path", e->path, "target", e->index ? "index" : "worktree",
		"mode", (json_int_t)e->mode, "before", before, "after", after,
		"state", state_names[e->state]);
}

int wm_journal__save(const wm_journal *journal)
{
	json_t *root = NULL, *entries = NULL;
	wm_buf tmp = WM_BUF_INIT;
	char *text = NULL;
	size_t i, len, off = 0;
	int fd = -1, error = 0;

	if (!(root = json_pack("{s:i, s:s, s:b, s:[]}", "version", 1, "id", journal->id,
			"undone", journal->undone, "entries"))) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	entries = json_object_get(root, "entries");
	for (i = 0; i < journal->count; i++) {
		if (json_array_append_new(entries, entry_json(&journal->entries[i])) < 0) {
			error = wm_error_set(WM_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (!(text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER))) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = wm_buf_printf(&tmp, "%s.tmp", journal->file)) < 0)
		goto done;
	if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	for (len = strlen(text); off < len;) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error = wm_error_set(WM_EREPO, "%s: %s", tmp.ptr, strerror(errno));
			goto done;
		}
		off += (size_t)n;
	}
	/* The journal must be on disk before the writes it describes. */
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		error = wm_error_set(WM_EREPO, "%s: %s", tmp.ptr, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp.ptr, journal->file) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", journal->file, strerror(errno));
		goto done;
	}
done:
	if (fd >= 0)
		close(fd);
	json_decref(root);
	free(text);
	wm_buf_dispose(&tmp);
	return error;
}

static int parse_oid(wm_oid *out, const char *hex)
{
	git_oid oid;

	if (!hex || git_oid_fromstr(&oid, hex) < 0)
		return -1;
	wm_world__oid_from_git(out, &oid);
	return 0;
}

static int load(wm_journal **out, const char *file)
{
	wm_journal *journal = NULL;
	json_error_t jerr;
	json_t *root = NULL, *entries, *e;
	const char *id = NULL;
	int undone = 0, error = 0;
	size_t i;

	*out = NULL;
	if (!(root = json_load_file(file, 0, &jerr)) ||
	    json_unpack(root, "{s:s, s:b, s:o}", "id", &id, "undone", &undone, "entries", &entries) < 0 ||
	    !json_is_array(entries)) {
		error = wm_error_set(WM_EPARSE, "%s:%d:%d: damaged journal: %s", file,
			root ? 1 : jerr.line, root ? 1 : jerr.column, root ? "unexpected layout" : jerr.text);
		goto done;
	}
	if (!(journal = wm_calloc(1, sizeof(*journal))) ||
	    !(journal->id = wm_strdup(id)) || !(journal->file = wm_strdup(file))) {
		error = WM_ENOMEM;
		goto done;
	}
	journal->undone = undone;
	json_array_foreach(entries, i, e) {
		const char *path, *target, *before, *after, *state;
		json_int_t mode;
		wm_oid b, a;
		size_t s;

		if (json_unpack(e, "{s:s, s:s, s:I, s:s, s:s, s:s}", "path", &path, "target", &target,
				"mode", &mode, "before", &before, "after", &after, "state", &state) < 0 ||
		    parse_oid(&b, before) < 0 || parse_oid(&a, after) < 0) {
			error = wm_error_set(WM_EPARSE, "%s: damaged journal entry %zu", file, i + 1);
			goto done;
		}
		if ((error = wm_journal__add(journal, path, !strcmp(target, "index"), (uint32_t)mode, &b, &a)) < 0)
			goto done;
		for (s = 0; s < sizeof(state_names) / sizeof(state_names[0]); s++)
			if (!strcmp(state, state_names[s]))
				journal->entries[journal->count - 1].state = (wm_journal_state)s;
	}
	*out = journal;
	journal = NULL;
done:
	json_decref(root);
	wm_journal__free(journal);
	return error;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)b, *(char *const *)a); /* newest first */
}

int wm_journal__load_last(wm_journal **out, wm_repo *repo)
{
	wm_buf dir = WM_BUF_INIT, file = WM_BUF_INIT;
	char **names = NULL;
	size_t count = 0, alloc = 0, i;
	struct dirent *de;
	DIR *d = NULL;
	int error;

	*out = NULL;
	if ((error = journal_dir(&dir, repo, false)) < 0)
		goto done;
	if (!(d = opendir(dir.ptr))) {
		error = wm_error_set(WM_ENOTFOUND, "no fix run to undo (no journal in %s)", dir.ptr);
		goto done;
	}
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n < 6 || strcmp(de->d_name + n - 5, ".json"))
			continue;
		if (count == alloc) {
			char **grown = wm_reallocarray(names, alloc ? alloc * 2 : 16, sizeof(*names));

			if (!grown) {
				error = WM_ENOMEM;
				goto done;
			}
			names = grown;
			alloc = alloc ? alloc * 2 : 16;
		}
		if (!(names[count] = wm_strdup(de->d_name))) {
			error = WM_ENOMEM;
			goto done;
		}
		count++;
	}
	if (count)
		qsort(names, count, sizeof(*names), name_cmp);
	for (i = 0; i < count; i++) {
		wm_journal *journal;

		wm_buf_clear(&file);
		if ((error = wm_buf_printf(&file, "%s/%s", dir.ptr, names[i])) < 0 ||
		    (error = load(&journal, file.ptr)) < 0)
			goto done;
		if (!journal->undone) {
			*out = journal;
			goto done;
		}
		wm_journal__free(journal);
	}
	error = wm_error_set(WM_ENOTFOUND, "no fix run to undo: every journal in %s was undone", dir.ptr);
done:
	if (d)
		closedir(d);
	for (i = 0; i < count; i++)
		wm_free(names[i]);
	wm_free(names);
	wm_buf_dispose(&dir);
	wm_buf_dispose(&file);
	return error;
}

void wm_journal__free(wm_journal *journal)
{
	size_t i;

	if (!journal)
		return;
	for (i = 0; i < journal->count; i++)
		wm_free(journal->entries[i].path);
	wm_free(journal->entries);
	wm_free(journal->id);
	wm_free(journal->file);
	wm_free(journal);
}
