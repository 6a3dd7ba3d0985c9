/*
 * wm/error.h - the one error channel of libwm.
 *
 * Like libgit2's git_error_last(): a failing function returns a negative code
 * and leaves a message in thread-local storage. The message stays until the
 * next wm_error_set() or wm_error_clear() on the same thread.
 */
#ifndef WM_ERROR_H
#define WM_ERROR_H

#include "common.h"

/**
 * Set the calling thread's last error.
 *
 * @param code negative WM_E* code (returned unchanged for `return wm_error_set(...)`)
 * @param fmt printf format of the message; file:line:column first when known
 * @return code
 */
WM_EXTERN int wm_error_set(int code, const char *fmt, ...) WM_PRINTF(2, 3);

/**
 * Prefix the current message with more context ("reading a.py: <old>").
 *
 * @param code returned unchanged
 * @param fmt printf format of the prefix (": " is added between the two)
 * @return code
 */
WM_EXTERN int wm_error_wrap(int code, const char *fmt, ...) WM_PRINTF(2, 3);

/**
 * The calling thread's last error message.
 *
 * @return a borrowed string, valid until the next wm_error_* call on this
 *         thread; "" when no error was set (never NULL)
 */
WM_EXTERN const char *wm_error_last(void);

/** The code passed to the last wm_error_set() on this thread, or 0. */
WM_EXTERN int wm_error_last_code(void);

/** Forget the calling thread's last error. */
WM_EXTERN void wm_error_clear(void);

#endif
