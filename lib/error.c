/*
 * error.c - the thread-local last-error message.
 *
 * libgit2's model: a failing function returns a negative code and leaves a
 * human-readable message for whoever reports it. Messages are thread-local
 * so worker threads (and forked workers) never see each other's errors.
 * The buffer is fixed-size on purpose: setting an error must work when
 * memory has run out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wm/error.h"

#define WM_ERROR_MAX 1024

static _Thread_local char last_message[WM_ERROR_MAX];
static _Thread_local int last_code;

int wm_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

int wm_error_wrap(int code, const char *fmt, ...)
{
	char old[WM_ERROR_MAX];
	size_t len;
	va_list ap;

	memcpy(old, last_message, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof(last_message), fmt, ap);
	va_end(ap);
	len = strlen(last_message);
	/* Truncation is fine: a cut message beats none when memory is short. */
	if (old[0] && len + 2 < sizeof(last_message)) {
		memcpy(last_message + len, ": ", 3);
		len += 2;
		strncat(last_message + len, old, sizeof(last_message) - len - 1);
	}
	last_code = code;
	return code;
}

const char *wm_error_last(void)
{
	return last_message;
}

int wm_error_last_code(void)
{
	return last_code;
}

void wm_error_clear(void)
{
	last_message[0] = '\0';
	last_code = 0;
}
