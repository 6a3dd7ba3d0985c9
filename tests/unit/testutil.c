/*
 * testutil.c - helpers shared by the Check suites: fork mode with timeouts,
 * throwaway directories, and shell-outs to real git for building fixtures.
 */
#include "testutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int wm_test_run(Suite *suite)
{
	SRunner *runner = srunner_create(suite);
	int failed;

	srunner_set_fork_status(runner, CK_FORK);
	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? 0 : 1;
}

char *wm_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[4096];
	char *dir;

	snprintf(tmpl, sizeof(tmpl), "%s/wm-test-XXXXXX", base && *base ? base : "/tmp");
	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	return strdup(dir);
}

void wm_test_rmrf(const char *path)
{
	char cmd[4200];

	if (!path || !*path)
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	if (system(cmd) != 0)
		fprintf(stderr, "warning: could not remove %s\n", path);
}

void wm_test_sh(const char *dir, const char *fmt, ...)
{
	char script[8192];
	char cmd[8192 + 4200];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(script, sizeof(script), fmt, ap);
	va_end(ap);
	/* Fixed identity and no user config, so fixtures are the same everywhere. */
	snprintf(cmd, sizeof(cmd),
		"cd '%s' && GIT_CONFIG_NOSYSTEM=1 HOME='%s' GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com "
		"GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com sh -c '%s' >/dev/null 2>&1",
		dir, dir, script);
	rc = system(cmd);
	ck_assert_msg(rc == 0, "shell command failed in %s: %s", dir, script);
}

void wm_test_write(const char *dir, const char *relpath, const char *content)
{
	char path[4096];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, relpath);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(content, f) >= 0, 1);
	fclose(f);
}
