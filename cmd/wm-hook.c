/*
 * wm-hook - install, remove and run wm as a git pre-commit hook.
 *
 *   wm-hook install [--force]   install into core.hooksPath or .git/hooks
 *   wm-hook uninstall           remove it (a chained hook is put back)
 *   wm-hook run [OPTIONS]       what the hook runs: wm-scan --staged [OPTIONS]
 *   wm-hook path                where the hook lives
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <wm/wm.h>

#include "cli.h"

static int usage(FILE *out, int rc)
{
	fprintf(out,
		"Usage: wm-hook install [--force] | uninstall | run [WM-SCAN OPTIONS] | path\n"
		"\n"
		"  install     install wm as the repository's pre-commit hook; an existing hook\n"
		"              is kept and run first (--force replaces one that cannot be chained)\n"
		"  uninstall   remove wm's hook and put a chained hook back\n"
		"  run         what the hook runs: wm-scan --staged, with any wm-scan options\n"
		"  path        print where the pre-commit hook lives\n"
		"\n"
		"Bypass the hook for one commit with `git commit --no-verify`, or drop some\n"
		"rules with WM_SKIP=rule-a,rule-b git commit ...\n");
	return rc;
}

static const char *const action_words[] = {
	"installed", "updated", "installed; the existing hook is kept and runs first",
	"installed; the hook it replaced is kept as pre-commit.wm-backup", "removed",
	"nothing to remove"
};

int main(int argc, char **argv)
{
	wm_hook_options opts = WM_HOOK_OPTIONS_INIT;
	wm_hook_action action;
	wm_repo *repo = NULL;
	char *path = NULL, self[PATH_MAX];
	ssize_t n;
	int rc = WM_EXIT_PASS, error;

	if (argc < 2)
		return usage(stderr, WM_EXIT_USAGE);
	if (!strcmp(argv[1], "run")) {
		/* wm-scan --staged, with the rest of the arguments after it. */
		char **args = calloc((size_t)argc + 1, sizeof(*args));

		if (!args)
			return WM_EXIT_INTERNAL;
		args[0] = argv[0];
		args[1] = (char *)"--staged";
		memcpy(args + 2, argv + 2, (size_t)(argc - 2) * sizeof(*args));
		rc = wm_cli_main(argc, args, "wm-hook run", NULL);
		free(args);
		return rc;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(stdout, WM_EXIT_PASS);
	if ((error = wm_repo_open(&repo, ".")) < 0) {
		fprintf(stderr, "wm-hook: %s\n", wm_error_last());
		return error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
	}
	if (!strcmp(argv[1], "install") && (argc == 2 || (argc == 3 && !strcmp(argv[2], "--force")))) {
		opts.force = argc == 3;
		/* The hook calls this very executable, wherever it was installed. */
		if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) > 0) {
			self[n] = '\0';
			opts.program = self;
		}
		error = wm_hook_install(&action, repo, &opts);
	} else if (!strcmp(argv[1], "uninstall") && argc == 2) {
		error = wm_hook_uninstall(&action, repo);
	} else if (!strcmp(argv[1], "path") && argc == 2) {
		if ((error = wm_hook_path(&path, repo)) == 0)
			printf("%s\n", path);
		goto done;
	} else {
		rc = usage(stderr, WM_EXIT_USAGE);
		goto done;
	}
	if (error == 0 && wm_hook_path(&path, repo) == 0)
		printf("wm-hook: %s: %s\n", path, action_words[action]);
done:
	if (error < 0) {
		fprintf(stderr, "wm-hook: %s\n", wm_error_last());
		rc = error == WM_EUSAGE ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
	}
	wm_free(path);
	wm_repo_free(repo);
	return rc;
}
