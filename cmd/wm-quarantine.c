/*
 * wm-quarantine - list, show, restore and drop quarantined files.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <wm/wm.h>

#include "cli.h"

static int usage(FILE *out, int rc)
{
	fprintf(out,
		"Usage: wm-quarantine list | show NAME | restore NAME | drop NAME\n"
		"\n"
		"  list          quarantines, newest first\n"
		"  show NAME     why, and which files\n"
		"  restore NAME  put the files back in the index (the working tree is not touched)\n"
		"  drop NAME     forget a quarantine\n"
		"\n"
		"Each quarantine is also a commit under refs/wm/quarantine/NAME, so\n"
		"`git show refs/wm/quarantine/NAME:PATH` prints a quarantined file.\n");
	return rc;
}

int main(int argc, char **argv)
{
	wm_quarantines *list = NULL;
	wm_repo *repo = NULL;
	size_t i, j;
	int rc = WM_EXIT_PASS, error = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
		return usage(argc < 2 ? stderr : stdout, argc < 2 ? WM_EXIT_USAGE : WM_EXIT_PASS);
	if ((error = wm_repo_open(&repo, ".")) < 0) {
		fprintf(stderr, "wm-quarantine: %s\n", wm_error_last());
		return error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
	}
	if (!strcmp(argv[1], "list") && argc == 2) {
		if ((error = wm_quarantine_list(&list, repo)) == 0) {
			for (i = 0; i < list->count; i++) {
				char when[32];
				time_t t = (time_t)list->items[i].time;
				struct tm tm;

				gmtime_r(&t, &tm);
				strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", &tm);
				printf("%s  %s  %zu file%s:", list->items[i].name, when, list->items[i].npaths,
					list->items[i].npaths == 1 ? "" : "s");
				for (j = 0; j < list->items[i].npaths; j++)
					printf(" %s", list->items[i].paths[j]);
				printf("\n");
			}
			if (list->count == 0)
				printf("no quarantined files\n");
		}
	} else if (!strcmp(argv[1], "show") && argc == 3) {
		if ((error = wm_quarantine_list(&list, repo)) == 0) {
			error = wm_error_set(WM_ENOTFOUND, "no quarantine named \"%s\"", argv[2]);
			for (i = 0; i < list->count; i++) {
				if (strcmp(list->items[i].name, argv[2]))
					continue;
				printf("%s", list->items[i].message);
				error = 0;
			}
		}
	} else if (!strcmp(argv[1], "restore") && argc == 3) {
		if ((error = wm_quarantine_restore(repo, argv[2])) == 0)
			printf("restored %s to the index\n", argv[2]);
	} else if (!strcmp(argv[1], "drop") && argc == 3) {
		if ((error = wm_quarantine_drop(repo, argv[2])) == 0)
			printf("dropped %s\n", argv[2]);
	} else {
		rc = usage(stderr, WM_EXIT_USAGE);
	}
	if (error < 0) {
		fprintf(stderr, "wm-quarantine: %s\n", wm_error_last());
		rc = error == WM_ENOTFOUND ? WM_EXIT_USAGE : WM_EXIT_INTERNAL;
	}
	wm_quarantines_free(list);
	wm_repo_free(repo);
	return rc;
}
