/*
 * wm/buf.h - a growable byte buffer (libgit2's git_buf, smaller).
 *
 * Always NUL-terminated after the first successful append, so ptr can be
 * used as a C string when the content has no NUL bytes.
 */
#ifndef WM_BUF_H
#define WM_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include "common.h"

typedef struct wm_buf {
	char *ptr;    /**< owned content, NUL-terminated; NULL while empty and never grown */
	size_t size;  /**< bytes used, not counting the terminator */
	size_t asize; /**< bytes allocated */
} wm_buf;

#define WM_BUF_INIT { NULL, 0, 0 }

/** Make room for at least `extra` more bytes. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_buf_grow(wm_buf *buf, size_t extra);
/** Append `len` bytes. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_buf_put(wm_buf *buf, const char *data, size_t len);
/** Append a C string. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_buf_puts(wm_buf *buf, const char *str);
/** Append one byte. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_buf_putc(wm_buf *buf, char c);
/** Append printf-formatted text. @return 0 or WM_ENOMEM */
WM_EXTERN int wm_buf_printf(wm_buf *buf, const char *fmt, ...) WM_PRINTF(2, 3);
/** vprintf form of wm_buf_printf(). */
WM_EXTERN int wm_buf_vprintf(wm_buf *buf, const char *fmt, va_list ap) WM_PRINTF(2, 0);
/** Forget the content but keep the allocation. */
WM_EXTERN void wm_buf_clear(wm_buf *buf);
/**
 * Take the content out of the buffer; the buffer is left empty.
 * @return the content (caller frees with wm_free()), or an empty owned
 *         string when the buffer was empty; NULL on WM_ENOMEM
 */
WM_EXTERN char *wm_buf_detach(wm_buf *buf);
/** Free the content; the buffer is left empty and reusable. */
WM_EXTERN void wm_buf_dispose(wm_buf *buf);

#endif
