/*
 * fix.h (private) - the journal of fix runs, shared by fix.c and undo.
 */
#ifndef WM_LIB_FIX_H
#define WM_LIB_FIX_H

#include <stdbool.h>
#include <stdint.h>

#include "wm/fix.h"
#include "wm/world.h"

/** The state of one journal entry. */
typedef enum wm_journal_state {
	WM_JOURNAL_PLANNED,     /* recorded before the write; may or may not have happened */
	WM_JOURNAL_APPLIED,     /* written and kept */
	WM_JOURNAL_ROLLED_BACK  /* written, then restored: nothing to undo */
} wm_journal_state;

typedef struct wm_journal_entry {
	char *path;
	bool index;             /* the index entry, else the working tree file */
	uint32_t mode;          /* git mode (index) or st_mode permission bits (working tree) */
	wm_oid before;          /* backup blob of the original */
	wm_oid after;           /* blob of what the fix wrote */
	wm_journal_state state;
} wm_journal_entry;

typedef struct wm_journal {
	char *id;               /* sortable: "<seconds>.<nanoseconds>-<pid>" */
	char *file;             /* absolute path of the journal file */
	bool undone;
	wm_journal_entry *entries;
	size_t count, alloc;
} wm_journal;

/** A new, empty journal for this run (nothing is written yet). */
int wm_journal__create(wm_journal **out, wm_repo *repo);

/** Record an entry; strings are copied. */
int wm_journal__add(wm_journal *journal, const char *path, bool index, uint32_t mode,
	const wm_oid *before, const wm_oid *after);

/** Write the journal file atomically (temporary file, fsync, rename). */
int wm_journal__save(const wm_journal *journal);

/**
 * The newest journal that was not undone.
 * @return 0, WM_ENOTFOUND (none), WM_EPARSE (a damaged journal), WM_EREPO
 */
int wm_journal__load_last(wm_journal **out, wm_repo *repo);

void wm_journal__free(wm_journal *journal);

/**
 * Write a working-tree file atomically: a temporary file (in `tmpdir` when
 * it is on the same filesystem, else beside the file), fsync, rename over
 * it; never through a symlink and never outside the tree.
 *
 * @param tmpdir directory for the temporary file (NULL: beside the file)
 * @param mode permission bits to give the file (0: keep the existing file's, else 0644)
 */
int wm_fix__write_worktree(const char *workdir, const char *tmpdir, const char *path,
	const char *data, size_t size, unsigned int mode);

/**
 * The directory for temporary files of writes: `<commondir>/wm/tmp`,
 * created when missing (best effort; writes fall back to beside the file).
 */
int wm_fix__tmpdir(wm_buf *out, wm_repo *repo);

#endif
