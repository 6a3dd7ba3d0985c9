/*
 * report.c - choosing a format, and the helpers the formats share.
 *
 * The report is the only place where wm prints findings, and findings hold
 * whatever bytes the scanned files held: messages quote source text, paths
 * come from trees. So everything here assumes hostile input. JSON and SARIF
 * need valid UTF-8 (jansson refuses anything else, and a refusal would lose
 * the whole report), so strings go through one strict decoder that turns
 * each bad byte into U+FFFD, the same rule the text format uses when it
 * shows source lines.
 */
#include <errno.h>
#include <string.h>

#include "wm/error.h"
#include "report/report.h"

static const char *const format_names[] = { "text", "json", "sarif", "github", "html" };

int wm_format_parse(wm_format *out, const char *name)
{
	size_t i;

	if (!name)
		return WM_ENOTFOUND;
	for (i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (!strcmp(name, format_names[i])) {
			*out = (wm_format)i;
			return 0;
		}
	}
	return WM_ENOTFOUND;
}

int wm_report_write(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	const wm_report_options defaults = WM_REPORT_OPTIONS_INIT;
	int error;

	if (!opts)
		opts = &defaults;
	if (!out || !result)
		return wm_error_set(WM_ERROR, "wm_report_write: no stream or no result");
	if (opts->version != WM_REPORT_OPTIONS_VERSION)
		return wm_error_set(WM_ERROR, "wm_report_write: options version %u, expected %u",
			opts->version, WM_REPORT_OPTIONS_VERSION);

	switch (opts->format) {
	case WM_FORMAT_TEXT:
		error = wm_report__text(out, result, opts);
		break;
	case WM_FORMAT_JSON:
		error = wm_report__json(out, result, opts);
		break;
	case WM_FORMAT_SARIF:
		error = wm_report__sarif(out, result, opts);
		break;
	case WM_FORMAT_GITHUB:
		error = wm_report__github(out, result, opts);
		break;
	case WM_FORMAT_HTML:
		error = wm_report__html(out, result, opts);
		break;
	default:
		error = wm_error_set(WM_ERROR, "wm_report_write: unknown format %d", (int)opts->format);
		break;
	}
	return error;
}

int wm_report__flush(FILE *out, const char *what)
{
	int error = 0;

	if (fflush(out) != 0 || ferror(out))
		error = wm_error_set(WM_ERROR, "writing the %s report: %s", what,
			errno ? strerror(errno) : "write error");
	return error;
}

size_t wm_report__utf8_next(uint32_t *cp, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c = p[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		goto invalid;
	}
	if (n > len)
		goto invalid;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto invalid;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto invalid;
	*cp = c;
	return n;

invalid:
	/* One byte at a time, so the text after a bad byte survives. */
	*cp = WM_REPORT__INVALID;
	return 1;
}

int wm_report__utf8_clean(wm_buf *out, const char *s, size_t len)
{
	size_t i = 0, n, run = 0;
	uint32_t cp;
	int error = 0;

	/* Copies runs of valid bytes in one go; the common case is one run. */
	while (i < len) {
		n = wm_report__utf8_next(&cp, s + i, len - i);
		if (cp != WM_REPORT__INVALID) {
			i += n;
			run += n;
			continue;
		}
		if ((error = wm_buf_put(out, s + i - run, run)) < 0 ||
		    (error = wm_buf_puts(out, "\xEF\xBF\xBD")) < 0)
			goto done;
		run = 0;
		i++;
	}
	error = wm_buf_put(out, s + len - run, run);
done:
	return error;
}

json_t *wm_report__json_string(const char *s)
{
	wm_buf clean = WM_BUF_INIT;
	json_t *value = NULL;

	if (!s) {
		value = json_null();
		goto done;
	}
	if (wm_report__utf8_clean(&clean, s, strlen(s)) < 0)
		goto done;
	if (!(value = json_stringn(clean.ptr ? clean.ptr : "", clean.size)))
		wm_error_set(WM_ENOMEM, "out of memory");
done:
	wm_buf_dispose(&clean);
	return value;
}

int wm_report__json_set(json_t *obj, const char *key, json_t *value)
{
	/* json_object_set_new() releases `value` even when it fails. */
	if (!value || json_object_set_new(obj, key, value) < 0)
		return wm_error_set(WM_ENOMEM, "out of memory");
	return 0;
}

int wm_report__json_append(json_t *array, json_t *value)
{
	if (!value || json_array_append_new(array, value) < 0)
		return wm_error_set(WM_ENOMEM, "out of memory");
	return 0;
}

int wm_report__json_dump(FILE *out, const json_t *root)
{
	int error = 0;

	errno = 0;
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0 ||
	    fputc('\n', out) == EOF)
		error = wm_error_set(WM_ERROR, "writing the report: %s",
			errno ? strerror(errno) : "write error");
	return error;
}
