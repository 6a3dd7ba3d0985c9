/*
 * testutil.h - helpers shared by the Check suites.
 */
#ifndef WM_TESTUTIL_H
#define WM_TESTUTIL_H

#include <check.h>

/**
 * Run a suite in fork mode with a per-test timeout and return the process
 * exit status (0 when every test passed).
 */
int wm_test_run(Suite *suite);

/**
 * Make a fresh temporary directory under $TMPDIR; the caller owns the
 * returned path (free()) and removes the directory with wm_test_rmrf().
 */
char *wm_test_tmpdir(void);

/** Remove a directory tree (best effort). */
void wm_test_rmrf(const char *path);

/** Run a shell command in directory `dir`; fails the test when it exits non-zero. */
void wm_test_sh(const char *dir, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Write `content` to dir/relpath, creating parent directories. */
void wm_test_write(const char *dir, const char *relpath, const char *content);

#endif
