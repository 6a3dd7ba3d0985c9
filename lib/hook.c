/*
 * hook.c - install and remove wm's git pre-commit hook.
 *
 * A repository often has a pre-commit hook already. Overwriting it would
 * silently drop someone's checks, so an existing hook is kept and chained:
 * renamed to `pre-commit.wm-chained` and run first by wm's script, which
 * stops the commit if it fails. Only a hook that cannot be run that way
 * (a symlink, which may be shared with other repositories, or something
 * that is not an executable file) needs --force, and even then it is kept
 * as `pre-commit.wm-backup`.
 *
 * wm's own script is recognised by a marker line, so installing twice
 * updates it in place and uninstalling never removes a hook wm did not
 * write.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"
#include "wm/hook.h"

#define MARKER "# wm-hook: installed by `wm-hook install`; remove with `wm-hook uninstall`"

static int hooks_dir(wm_buf *out, wm_repo *repo)
{
	git_repository *git = wm_repo_git(repo);
	git_config *cfg = NULL;
	git_buf value = { NULL, 0, 0 };
	const char *workdir = wm_repo_workdir(repo);
	int error = 0;

	if (git_repository_config_snapshot(&cfg, git) < 0) {
		error = wm_error_set(WM_EREPO, "reading the git configuration: %s",
			git_error_last() ? git_error_last()->message : "?");
		goto done;
	}
	if (git_config_get_path(&value, cfg, "core.hooksPath") == 0 && value.size) {
		/* git resolves a relative core.hooksPath against the top of the working tree. */
		if (value.ptr[0] != '/' && workdir)
			error = wm_buf_printf(out, "%s%s", workdir, value.ptr);
		else
			error = wm_buf_puts(out, value.ptr);
	} else {
		error = wm_buf_printf(out, "%shooks", wm_repo_commondir(repo));
	}
done:
	git_buf_dispose(&value);
	git_config_free(cfg);
	return error;
}

int wm_hook_path(char **out, wm_repo *repo)
{
	wm_buf path = WM_BUF_INIT;
	int error;

	*out = NULL;
	if ((error = hooks_dir(&path, repo)) < 0 || (error = wm_buf_puts(&path, "/pre-commit")) < 0) {
		wm_buf_dispose(&path);
		return error;
	}
	*out = wm_buf_detach(&path);
	return *out ? 0 : WM_ENOMEM;
}

/* Whether the file at `path` is a hook wm wrote (it carries the marker). */
static bool is_ours(const char *path)
{
	char line[512];
	bool ours = false;
	FILE *f = fopen(path, "r");
	int n;

	if (!f)
		return false;
	for (n = 0; n < 5 && fgets(line, sizeof(line), f); n++)
		if (!strncmp(line, MARKER, strlen(MARKER)))
			ours = true;
	fclose(f);
	return ours;
}

/* Shell-quote `s` in single quotes. */
static int put_quoted(wm_buf *b, const char *s)
{
	int error = wm_buf_putc(b, '\'');

	for (; error == 0 && *s; s++)
		error = *s == '\'' ? wm_buf_puts(b, "'\\''") : wm_buf_putc(b, *s);
	return error ? error : wm_buf_putc(b, '\'');
}

static int write_script(const char *path, const char *program)
{
	wm_buf script = WM_BUF_INIT, tmp = WM_BUF_INIT;
	int fd = -1, error;

	if ((error = wm_buf_printf(&script,
			"#!/bin/sh\n"
			MARKER "\n"
			"# Runs the hook this one replaced (if any), then wm on the staged content.\n"
			"# Skip wm for one commit with `git commit --no-verify`, or some rules with\n"
			"# WM_SKIP=rule-a,rule-b git commit ...\n"
			"chained=\"$(dirname \"$0\")/pre-commit.wm-chained\"\n"
			"if [ -x \"$chained\" ]; then\n"
			"\t\"$chained\" \"$@\" || exit $?\n"
			"fi\n"
			"wm=")) < 0 ||
	    (error = put_quoted(&script, program)) < 0 ||
	    (error = wm_buf_puts(&script,
			"\n"
			"[ -x \"$wm\" ] || wm=wm-hook\n"
			"exec \"$wm\" run\n")) < 0 ||
	    (error = wm_buf_printf(&tmp, "%s.wm-tmp", path)) < 0)
		goto done;
	if ((fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0755)) < 0 ||
	    write(fd, script.ptr, script.size) != (ssize_t)script.size ||
	    fchmod(fd, 0755) < 0 || close(fd) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", tmp.ptr, strerror(errno));
		if (fd >= 0)
			close(fd);
		unlink(tmp.ptr);
		goto done;
	}
	if (rename(tmp.ptr, path) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", path, strerror(errno));
		unlink(tmp.ptr);
	}
done:
	wm_buf_dispose(&script);
	wm_buf_dispose(&tmp);
	return error;
}

int wm_hook_install(wm_hook_action *action_out, wm_repo *repo, const wm_hook_options *opts)
{
	wm_buf dir = WM_BUF_INIT, hook = WM_BUF_INIT, aside = WM_BUF_INIT;
	struct stat st;
	int error;

	if ((error = hooks_dir(&dir, repo)) < 0 ||
	    (error = wm_buf_printf(&hook, "%s/pre-commit", dir.ptr)) < 0)
		goto done;
	if (mkdir(dir.ptr, 0755) < 0 && errno != EEXIST) {
		error = wm_error_set(WM_EREPO, "%s: %s", dir.ptr, strerror(errno));
		goto done;
	}
	*action_out = WM_HOOK_INSTALLED;
	if (lstat(hook.ptr, &st) == 0) {
		if (S_ISREG(st.st_mode) && is_ours(hook.ptr)) {
			*action_out = WM_HOOK_UPDATED;
		} else if (S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
			if ((error = wm_buf_printf(&aside, "%s.wm-chained", hook.ptr)) < 0)
				goto done;
			if (access(aside.ptr, F_OK) == 0) {
				error = wm_error_set(WM_EUSAGE, "%s exists already; a chained hook is there. "
					"Move one of them away first", aside.ptr);
				goto done;
			}
			*action_out = WM_HOOK_CHAINED;
		} else if (!opts->force) {
			error = wm_error_set(WM_EUSAGE, "%s is %s, which wm cannot run before itself; "
				"use --force to replace it (it is kept as pre-commit.wm-backup)", hook.ptr,
				S_ISLNK(st.st_mode) ? "a symlink" : "not an executable file");
			goto done;
		} else {
			if ((error = wm_buf_printf(&aside, "%s.wm-backup", hook.ptr)) < 0)
				goto done;
			*action_out = WM_HOOK_REPLACED;
		}
		if (aside.size && rename(hook.ptr, aside.ptr) < 0) {
			error = wm_error_set(WM_EREPO, "%s: %s", aside.ptr, strerror(errno));
			goto done;
		}
	} else if (errno != ENOENT) {
		error = wm_error_set(WM_EREPO, "%s: %s", hook.ptr, strerror(errno));
		goto done;
	}
	if ((error = write_script(hook.ptr, opts->program ? opts->program : "wm-hook")) < 0 && aside.size)
		rename(aside.ptr, hook.ptr); /* put the user's hook back */
done:
	wm_buf_dispose(&dir);
	wm_buf_dispose(&hook);
	wm_buf_dispose(&aside);
	return error;
}

int wm_hook_uninstall(wm_hook_action *action_out, wm_repo *repo)
{
	wm_buf hook = WM_BUF_INIT, chained = WM_BUF_INIT;
	struct stat st;
	int error;

	*action_out = WM_HOOK_ABSENT;
	if ((error = hooks_dir(&hook, repo)) < 0 ||
	    (error = wm_buf_puts(&hook, "/pre-commit")) < 0 ||
	    (error = wm_buf_printf(&chained, "%s.wm-chained", hook.ptr)) < 0)
		goto done;
	if (lstat(hook.ptr, &st) < 0)
		goto done;
	if (!S_ISREG(st.st_mode) || !is_ours(hook.ptr)) {
		error = wm_error_set(WM_EUSAGE, "%s is not wm's hook; leaving it alone", hook.ptr);
		goto done;
	}
	if (access(chained.ptr, F_OK) == 0) {
		if (rename(chained.ptr, hook.ptr) < 0) {
			error = wm_error_set(WM_EREPO, "%s: %s", chained.ptr, strerror(errno));
			goto done;
		}
	} else if (unlink(hook.ptr) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", hook.ptr, strerror(errno));
		goto done;
	}
	*action_out = WM_HOOK_REMOVED;
done:
	wm_buf_dispose(&hook);
	wm_buf_dispose(&chained);
	return error;
}
