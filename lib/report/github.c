/*
 * github.c - GitHub Actions workflow commands, one annotation per finding.
 *
 * The runner parses each line of a step's output, so a finding must never
 * be able to end its command early or start another: data ("::" onwards)
 * escapes '%', CR and LF; property values (file, title) additionally escape
 * ':' and ','. That is the escaping of the Actions toolkit
 * (@actions/core, command.ts), which is what the runner undoes. Other
 * control characters would reach the log as they are (ESC colours it), so
 * they become U+FFFD: an annotation is for reading, not for exact bytes.
 */
#include <string.h>

#include "wm/error.h"
#include "report/report.h"

static const char *command_name(wm_severity sev)
{
	switch (sev) {
	case WM_SEV_CRITICAL:
	case WM_SEV_ERROR:
		return "error";
	case WM_SEV_WARNING:
		return "warning";
	default:
		return "notice";
	}
}

/* Appends `s`, made valid UTF-8 first, with the command escapes applied. */
static int put_escaped(wm_buf *out, const char *s, bool property)
{
	wm_buf clean = WM_BUF_INIT;
	size_t i;
	int error;

	if ((error = wm_report__utf8_clean(&clean, s, strlen(s))) < 0)
		goto done;
	for (i = 0; i < clean.size && error == 0; i++) {
		char c = clean.ptr[i];

		if (c == '%')
			error = wm_buf_puts(out, "%25");
		else if (c == '\r')
			error = wm_buf_puts(out, "%0D");
		else if (c == '\n')
			error = wm_buf_puts(out, "%0A");
		else if (property && c == ':')
			error = wm_buf_puts(out, "%3A");
		else if (property && c == ',')
			error = wm_buf_puts(out, "%2C");
		else if ((c >= 0 && c < 0x20 && c != '\t') || c == 0x7F)
			error = wm_buf_puts(out, "\xEF\xBF\xBD");
		else
			error = wm_buf_putc(out, c);
	}
done:
	wm_buf_dispose(&clean);
	return error;
}

/* Appends ",name=value" (no comma before the first property). */
static int put_number(wm_buf *out, bool *first, const char *name, uint32_t value)
{
	int error = wm_buf_printf(out, "%s%s=%u", *first ? " " : ",", name, (unsigned)value);

	*first = false;
	return error;
}

static int format_finding(wm_buf *line, const wm_finding *f)
{
	bool first = true;
	int error;

	if ((error = wm_buf_printf(line, "::%s", command_name(f->severity))) < 0)
		goto done;
	if (f->path) {
		if ((error = wm_buf_puts(line, " file=")) < 0 ||
		    (error = put_escaped(line, f->path, true)) < 0)
			goto done;
		first = false;
		if (f->line && (error = put_number(line, &first, "line", f->line)) < 0)
			goto done;
		if (f->line && f->column && (error = put_number(line, &first, "col", f->column)) < 0)
			goto done;
		if (f->line && f->end_line >= f->line &&
		    (error = put_number(line, &first, "endLine", f->end_line)) < 0)
			goto done;
		if (f->line && f->column && f->end_line >= f->line && f->end_column &&
		    (error = put_number(line, &first, "endColumn", f->end_column)) < 0)
			goto done;
	}
	if (f->rule) {
		if ((error = wm_buf_printf(line, "%stitle=", first ? " " : ",")) < 0 ||
		    (error = put_escaped(line, f->rule, true)) < 0)
			goto done;
	}
	if ((error = wm_buf_puts(line, "::")) < 0 ||
	    (error = put_escaped(line, f->message ? f->message : "", false)) < 0)
		goto done;
	error = wm_buf_putc(line, '\n');
done:
	return error;
}

int wm_report__github(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	wm_buf line = WM_BUF_INIT;
	size_t i;
	int error = 0;

	(void)opts;
	for (i = 0; i < result->findings.count; i++) {
		wm_buf_clear(&line);
		if ((error = format_finding(&line, &result->findings.items[i])) < 0)
			goto done;
		if (fwrite(line.ptr, 1, line.size, out) != line.size)
			break;
	}
	error = wm_report__flush(out, "GitHub");
done:
	wm_buf_dispose(&line);
	return error;
}
