/*
 * buf.c - a growable, always NUL-terminated byte buffer.
 *
 * Growth is geometric (x1.5, as libgit2's git_str) so appending n bytes one
 * at a time costs O(n) amortised.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/buf.h"
#include "wm/error.h"

int wm_buf_grow(wm_buf *buf, size_t extra)
{
	size_t need, asize;
	char *p;

	if (extra > SIZE_MAX - buf->size - 1)
		return wm_error_set(WM_ENOMEM, "out of memory");
	need = buf->size + extra + 1;
	if (need <= buf->asize)
		return 0;
	asize = buf->asize ? buf->asize : 64;
	while (asize < need)
		asize = asize > SIZE_MAX / 3 * 2 ? need : asize + asize / 2;
	p = wm_realloc(buf->ptr, asize);
	if (!p)
		return WM_ENOMEM;
	buf->ptr = p;
	buf->asize = asize;
	return 0;
}

int wm_buf_put(wm_buf *buf, const char *data, size_t len)
{
	int error = wm_buf_grow(buf, len);

	if (error < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int wm_buf_puts(wm_buf *buf, const char *str)
{
	return wm_buf_put(buf, str, strlen(str));
}

int wm_buf_putc(wm_buf *buf, char c)
{
	return wm_buf_put(buf, &c, 1);
}

int wm_buf_vprintf(wm_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int len, error;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return wm_error_set(WM_ERROR, "bad format string");
	if ((error = wm_buf_grow(buf, (size_t)len)) < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
}

int wm_buf_printf(wm_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = wm_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

void wm_buf_clear(wm_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

char *wm_buf_detach(wm_buf *buf)
{
	char *p = buf->ptr;

	if (!p)
		return wm_strdup("");
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
	return p;
}

void wm_buf_dispose(wm_buf *buf)
{
	wm_free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->asize = 0;
}
