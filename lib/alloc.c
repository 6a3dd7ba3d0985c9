/*
 * alloc.c - the one allocation wrapper of libwm.
 *
 * Everything allocates through here so tests can make the n-th allocation
 * fail and prove that each error path reports WM_ENOMEM and leaks nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "wm/error.h"

static unsigned long fail_countdown;

void wm_alloc__fail_after(unsigned long n)
{
	fail_countdown = n;
}

static int injected_failure(void)
{
	if (fail_countdown == 0)
		return 0;
	return --fail_countdown == 0;
}

static void *oom(void)
{
	wm_error_set(WM_ENOMEM, "out of memory");
	return NULL;
}

void *wm_malloc(size_t size)
{
	void *p;

	if (injected_failure())
		return oom();
	p = malloc(size ? size : 1);
	return p ? p : oom();
}

void *wm_calloc(size_t count, size_t size)
{
	void *p;

	if (injected_failure())
		return oom();
	if (size && count > SIZE_MAX / size)
		return oom();
	p = calloc(count ? count : 1, size ? size : 1);
	return p ? p : oom();
}

void *wm_realloc(void *ptr, size_t size)
{
	void *p;

	if (injected_failure())
		return oom();
	p = realloc(ptr, size ? size : 1);
	return p ? p : oom();
}

void *wm_reallocarray(void *ptr, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return oom();
	return wm_realloc(ptr, count * size);
}

char *wm_strdup(const char *s)
{
	if (!s)
		return NULL;
	return wm_strndup(s, strlen(s));
}

char *wm_strndup(const char *s, size_t n)
{
	char *p;
	size_t len = 0;

	while (len < n && s[len])
		len++;
	p = wm_malloc(len + 1);
	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void wm_free(void *ptr)
{
	free(ptr);
}
