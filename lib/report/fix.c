/*
 * fix.c (report) - what a fix run or an undo did, for people.
 *
 * A dry run prints the fixes as a unified diff (libgit2 makes it, so it
 * reads like `git diff` and applies with `git apply`); a real run prints a
 * line per file saying whether its fix was kept, and why not.
 */
#include <stdio.h>
#include <string.h>

#include <git2.h>

#include "report.h"
#include "wm/error.h"
#include "wm/fix.h"

static const char *status_word(wm_fix_status s)
{
	switch (s) {
	case WM_FIX_APPLIED: return "fixed";
	case WM_FIX_ROLLED_BACK: return "rolled back";
	case WM_FIX_PARTIAL: return "fixed (index only)";
	case WM_FIX_SKIPPED: return "not fixed";
	}
	return "?";
}

static int diff_file(wm_buf *b, const wm_fix_file *f)
{
	git_patch *patch = NULL;
	git_buf text = { NULL, 0, 0 };
	git_diff_options opts;
	int error = 0;

	git_libgit2_init();
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_patch_from_buffers(&patch, f->before.ptr, f->before.size, f->path,
			f->after.ptr, f->after.size, f->path, &opts) < 0 ||
	    git_patch_to_buf(&text, patch) < 0) {
		const git_error *e = git_error_last();

		error = wm_error_set(WM_ERROR, "%s: cannot make a diff: %s", f->path,
			e && e->message ? e->message : "libgit2 error");
		goto done;
	}
	error = wm_buf_put(b, text.ptr, text.size);
done:
	git_buf_dispose(&text);
	git_patch_free(patch);
	git_libgit2_shutdown();
	return error;
}

int wm_report_fix(FILE *out, const wm_fix_report *report, bool dry_run)
{
	wm_buf b = WM_BUF_INIT;
	size_t i, kept = 0;
	int error = 0;

	for (i = 0; i < report->count && error == 0; i++) {
		const wm_fix_file *f = &report->files[i];

		if (dry_run) {
			if (f->status != WM_FIX_SKIPPED)
				error = diff_file(&b, f);
			else
				error = wm_buf_printf(&b, "# %s: not fixed: %s\n", f->path, f->reason ? f->reason : "");
			continue;
		}
		if (f->status == WM_FIX_APPLIED || f->status == WM_FIX_PARTIAL)
			kept++;
		error = wm_buf_printf(&b, "%s: %s%s%s\n", f->path, status_word(f->status),
			f->reason ? ": " : "", f->reason ? f->reason : "");
	}
	if (error == 0 && !dry_run)
		error = wm_buf_printf(&b, "%zu of %zu file%s fixed%s%s%s\n", kept, report->count,
			report->count == 1 ? "" : "s",
			report->journal ? " (undo with: wm-scan --undo; journal " : "",
			report->journal ? report->journal : "", report->journal ? ")" : "");
	if (error == 0 && b.size && fwrite(b.ptr, 1, b.size, out) != b.size)
		error = wm_error_set(WM_ERROR, "writing the fix report failed");
	wm_buf_dispose(&b);
	return error;
}

int wm_report_undo(FILE *out, const wm_undo_report *report)
{
	wm_buf b = WM_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < report->count && error == 0; i++) {
		const wm_undo_file *f = &report->files[i];

		error = wm_buf_printf(&b, "%s%s: %s%s%s\n", f->path, f->index ? " (index)" : "",
			f->restored ? "restored" : "not restored", f->reason ? ": " : "",
			f->reason ? f->reason : "");
	}
	if (error == 0)
		error = wm_buf_printf(&b, "undid fix run %s\n", report->journal);
	if (error == 0 && fwrite(b.ptr, 1, b.size, out) != b.size)
		error = wm_error_set(WM_ERROR, "writing the undo report failed");
	wm_buf_dispose(&b);
	return error;
}
