/*
 * wm/common.h - export macro and the error codes every libwm function uses.
 *
 * Every fallible function returns 0 on success or one of the negative codes
 * below, and sets a message through wm/error.h. Callers branch only on the
 * few named codes; everything else is WM_ERROR.
 */
#ifndef WM_COMMON_H
#define WM_COMMON_H

#if defined(__GNUC__)
#define WM_EXTERN __attribute__((visibility("default")))
#define WM_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define WM_EXTERN
#define WM_PRINTF(fmt, args)
#endif

/** Error codes. 0 is success; all errors are negative. */
enum wm_error_code {
	WM_OK = 0,
	WM_ERROR = -1,       /**< generic failure; the message says what */
	WM_ENOTFOUND = -3,   /**< the thing looked up does not exist */
	WM_EPARSE = -4,      /**< malformed input (message has file:line:column) */
	WM_ECONFIG = -5,     /**< invalid configuration (message has file:line:column) */
	WM_ENOMEM = -6,      /**< out of memory */
	WM_EUSAGE = -7,      /**< invalid arguments from the user */
	WM_EREPO = -8        /**< the repository could not be opened or read */
};

#endif
