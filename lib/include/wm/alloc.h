/*
 * wm/alloc.h - the one allocation wrapper.
 *
 * All of libwm allocates through these, so that tests can make the n-th
 * allocation fail and check that every path reports WM_ENOMEM cleanly.
 * On failure they return NULL and set the error (WM_ENOMEM).
 */
#ifndef WM_ALLOC_H
#define WM_ALLOC_H

#include <stddef.h>
#include "common.h"

/** malloc(); NULL and WM_ENOMEM on failure. Free with wm_free(). */
WM_EXTERN void *wm_malloc(size_t size);
/** calloc() with overflow check; NULL and WM_ENOMEM on failure. */
WM_EXTERN void *wm_calloc(size_t count, size_t size);
/** realloc(); on failure returns NULL and leaves ptr untouched. */
WM_EXTERN void *wm_realloc(void *ptr, size_t size);
/** reallocarray(): realloc with an overflow-checked count * size. */
WM_EXTERN void *wm_reallocarray(void *ptr, size_t count, size_t size);
/** strdup(); the caller owns the copy. wm_strdup(NULL) is NULL without error. */
WM_EXTERN char *wm_strdup(const char *s);
/** Copy of the first n bytes of s, NUL-terminated; the caller owns it. */
WM_EXTERN char *wm_strndup(const char *s, size_t n);
/** free(); NULL is a no-op. */
WM_EXTERN void wm_free(void *ptr);

#endif
