/*
 * text.c - the report for people: findings grouped by file, each with the
 * line it points at and, when there is one, its fix as a small diff.
 *
 *     src/app.py
 *       3:8  error    unresolved import "foo.bar"  [unresolved-import]
 *          3 | import foo.bar
 *            |        ^^^^^^^
 *            fix: import from the new module
 *            - import foo.bar
 *            + import foo.baz
 *
 *     ✗ 1 error in 14 files (35 ms): the gate fails (fail_on: error)
 *
 * Everything shown comes from scanned files, and a terminal obeys what it
 * prints. So no byte of a path, message or source line reaches the output
 * as is unless it is printable: control characters become their Unicode
 * "control pictures" (ESC shows as ␛), invalid UTF-8 becomes U+FFFD, and
 * the invisible characters of "Trojan Source" attacks (bidirectional
 * overrides, zero-width spaces) are spelled out as <U+202E>. That is also
 * why colour is only ever added by this file, never passed through.
 *
 * The caret line is built from the same walk over the source line as the
 * displayed line, so both agree cell for cell: a tab stays a tab (the
 * terminal expands both lines alike, since the gutters have the same
 * width), a wide character takes two cells, a spelled-out one its length.
 * Columns count code points, as wm_finding promises.
 *
 * Output is assembled in a buffer and written one finding at a time, so
 * a write error is noticed early and memory stays bounded.
 */
#include <stdlib.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "report/report.h"

#define RESET "\033[0m"
#define BOLD "\033[1m"
#define DIM "\033[2m"
#define RED "\033[31m"
#define GREEN "\033[32m"

/* Source lines longer than this many code points are cut around the column. */
#define FRAME_WIDTH 100
/* Code points kept before the column when a line is cut. */
#define FRAME_LEAD 40
/* Lines of each side of a fix diff shown before "… n more lines". */
#define DIFF_LINES 8

typedef struct text_ctx {
	FILE *out;
	const wm_report_options *opts;
	wm_buf buf;
	int sev_width;      /* widest severity name among the findings */
} text_ctx;

/* A file's content as opts->read gave it, with a cursor to find lines fast. */
typedef struct source {
	const char *data;   /* NULL when unavailable */
	size_t size;
	uint32_t line;      /* line that starts at `off` */
	size_t off;
} source;

static const char *color(const text_ctx *ctx, const char *sgr)
{
	return ctx->opts->color ? sgr : "";
}

static const char *severity_color(wm_severity sev)
{
	switch (sev) {
	case WM_SEV_CRITICAL:
		return "\033[1;35m";
	case WM_SEV_ERROR:
		return "\033[1;31m";
	case WM_SEV_WARNING:
		return "\033[33m";
	default:
		return "\033[36m";
	}
}

static bool is_wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
		(cp >= 0x3041 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
		(cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
		(cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
		(cp >= 0x1F300 && cp <= 0x1F64F) || (cp >= 0x1F900 && cp <= 0x1F9FF) ||
		(cp >= 0x20000 && cp <= 0x3FFFD);
}

static bool is_combining(uint32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
		(cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0x200D;
}

/* Characters that change how text reads without being seen. */
static bool is_invisible(uint32_t cp)
{
	return (cp >= 0x200B && cp <= 0x200C) || (cp >= 0x200E && cp <= 0x200F) ||
		(cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) ||
		cp == 0x2028 || cp == 0x2029 || cp == 0xFEFF || cp == 0x00AD;
}

/*
 * How one code point is shown: its bytes in `shown` (NUL-terminated) and the
 * terminal cells it takes; a tab takes -1 cells, for "a tab stop".
 */
static int show_cp(char shown[16], uint32_t cp, const char *src, size_t n)
{
	if (cp == '\t') {
		strcpy(shown, "\t");
		return -1;
	}
	if (cp == WM_REPORT__INVALID || (cp >= 0x80 && cp <= 0x9F)) {
		strcpy(shown, "\xEF\xBF\xBD");
		return 1;
	}
	if (cp < 0x20 || cp == 0x7F) {
		/* U+2400 + c, U+2421 for DEL: ␀ ␁ ... ␛ ... ␡ */
		uint32_t pic = cp == 0x7F ? 0x2421 : 0x2400 + cp;

		shown[0] = (char)0xE2;
		shown[1] = (char)(0x80 | (pic >> 6 & 0x3F));
		shown[2] = (char)(0x80 | (pic & 0x3F));
		shown[3] = '\0';
		return 1;
	}
	if (is_invisible(cp)) {
		snprintf(shown, 16, "<U+%04X>", (unsigned)cp);
		return (int)strlen(shown);
	}
	memcpy(shown, src, n);
	shown[n] = '\0';
	return is_combining(cp) ? 0 : is_wide(cp) ? 2 : 1;
}

/* Number of code points in s[0, len), counting each bad byte as one. */
static size_t cp_count(const char *s, size_t len)
{
	size_t i = 0, count = 0;
	uint32_t cp;

	while (i < len) {
		i += wm_report__utf8_next(&cp, s + i, len - i);
		count++;
	}
	return count;
}

/*
 * Append code points [from, to) of s to `text`, made safe to print; and when
 * `marks` is not NULL, the matching cells of a caret line to `marks`: '^'
 * under code points [mark_from, mark_to), blanks elsewhere.
 */
static int put_safe(wm_buf *text, wm_buf *marks, const char *s, size_t len,
	size_t from, size_t to, size_t mark_from, size_t mark_to)
{
	size_t i = 0, k = 0, n;
	char shown[16];
	uint32_t cp;
	int cells, error = 0;

	for (; i < len && k < to && error == 0; i += n, k++) {
		n = wm_report__utf8_next(&cp, s + i, len - i);
		if (k < from)
			continue;
		cells = show_cp(shown, cp, s + i, n);
		if ((error = wm_buf_puts(text, shown)) < 0 || !marks)
			continue;
		if (cells < 0)
			error = wm_buf_putc(marks, '\t');
		else if (k >= mark_from && k < mark_to)
			/* A zero-width mark still gets its caret: the range must show. */
			while (error == 0 && cells-- > 0)
				error = wm_buf_putc(marks, '^');
		else
			while (error == 0 && cells-- > 0)
				error = wm_buf_putc(marks, ' ');
	}
	return error;
}

/* Code points of a path or message, made safe, without caret or cut. */
static int put_text(wm_buf *out, const char *s)
{
	return put_safe(out, NULL, s, strlen(s), 0, SIZE_MAX, 0, 0);
}

/*
 * Find line `line` (1-based) of a source: [*start, *end) without its newline
 * (nor a CR before it). Findings of a file come sorted by line, so the
 * cursor usually only moves forward.
 */
static bool source_line(source *src, uint32_t line, size_t *start, size_t *end)
{
	const char *nl;

	if (!src->data || line == 0)
		return false;
	if (line < src->line || src->line == 0) {
		src->line = 1;
		src->off = 0;
	}
	while (src->line < line) {
		nl = memchr(src->data + src->off, '\n', src->size - src->off);
		if (!nl)
			return false;
		src->off = (size_t)(nl - src->data) + 1;
		src->line++;
	}
	nl = memchr(src->data + src->off, '\n', src->size - src->off);
	*start = src->off;
	*end = nl ? (size_t)(nl - src->data) : src->size;
	if (*end > *start && src->data[*end - 1] == '\r')
		(*end)--;
	return true;
}

static int digits(uint32_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* The code frame: the finding's line, cut to a window, with carets under its range. */
static int put_frame(text_ctx *ctx, source *src, const wm_finding *f)
{
	wm_buf *b = &ctx->buf;
	wm_buf marks = WM_BUF_INIT;
	size_t start, end, ncp, col, mark_end, from, to;
	int gutter = digits(f->line), error = 0;

	if (!source_line(src, f->line, &start, &end))
		goto done;
	ncp = cp_count(src->data + start, end - start);
	col = f->column ? f->column - 1 : 0;
	if (col > ncp)
		col = ncp;
	if (f->end_line == f->line && f->end_column > f->column)
		mark_end = f->end_column - 1;
	else if (f->end_line > f->line)
		mark_end = ncp;
	else
		mark_end = col + 1;
	if (!f->column)
		mark_end = col = 0;

	from = 0;
	to = ncp;
	if (ncp > FRAME_WIDTH) {
		from = col > FRAME_LEAD ? col - FRAME_LEAD : 0;
		to = from + FRAME_WIDTH < ncp ? from + FRAME_WIDTH : ncp;
		if (to - from < FRAME_WIDTH)
			from = to - FRAME_WIDTH;
	}

	if ((error = wm_buf_printf(b, "    %s%*u |%s ", color(ctx, DIM), gutter, (unsigned)f->line,
		     color(ctx, RESET))) < 0)
		goto done;
	if (from > 0 && ((error = wm_buf_puts(b, "…")) < 0 || (error = wm_buf_putc(&marks, ' ')) < 0))
		goto done;
	if ((error = put_safe(b, &marks, src->data + start, end - start, from, to, col, mark_end)) < 0)
		goto done;
	if (to < ncp && (error = wm_buf_puts(b, "…")) < 0)
		goto done;
	/* A range that is empty, past the end of the line or all tabs still gets one caret. */
	if (f->column && !memchr(marks.ptr ? marks.ptr : "", '^', marks.size)) {
		if ((error = wm_buf_putc(&marks, '^')) < 0)
			goto done;
	}
	/* Trailing blanks of the caret line carry nothing. */
	while (marks.size && marks.ptr[marks.size - 1] == ' ')
		marks.size--;
	if ((error = wm_buf_printf(b, "\n    %*s %s|%s", gutter, "", color(ctx, DIM), color(ctx, RESET))) < 0)
		goto done;
	if (f->column && marks.size &&
	    ((error = wm_buf_printf(b, " %s", color(ctx, severity_color(f->severity)))) < 0 ||
	     (error = wm_buf_put(b, marks.ptr, marks.size)) < 0 ||
	     (error = wm_buf_puts(b, color(ctx, RESET))) < 0))
		goto done;
	error = wm_buf_putc(b, '\n');
done:
	wm_buf_dispose(&marks);
	return error;
}

static int edit_cmp(const void *pa, const void *pb)
{
	const wm_edit *a = *(const wm_edit *const *)pa, *b = *(const wm_edit *const *)pb;

	return (a->start_byte > b->start_byte) - (a->start_byte < b->start_byte);
}

/*
 * Splits [s, s+len) at '\n', filling at most `max` entries (none with
 * max 0, to count first); returns how many lines there are (at least 1).
 */
static size_t split_lines(const char **starts, size_t *lens, size_t max, const char *s, size_t len)
{
	size_t count = 0, i, begin = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '\n')
			continue;
		if (count < max) {
			starts[count] = s + begin;
			lens[count] = i - begin;
			if (lens[count] && starts[count][lens[count] - 1] == '\r')
				lens[count]--;
		}
		count++;
		begin = i + 1;
	}
	return count;
}

static bool same_line(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && !memcmp(a, b, alen);
}

/* "- old" / "+ new" lines, at most DIFF_LINES of them. */
static int put_diff_side(text_ctx *ctx, const char *sign, const char *sgr,
	const char *const *starts, const size_t *lens, size_t from, size_t to)
{
	size_t i;
	int error = 0;

	for (i = from; i < to && i < from + DIFF_LINES && error == 0; i++) {
		size_t ncp = cp_count(starts[i], lens[i]);

		if ((error = wm_buf_printf(&ctx->buf, "      %s%s ", color(ctx, sgr), sign)) < 0 ||
		    (error = put_safe(&ctx->buf, NULL, starts[i], lens[i], 0, FRAME_WIDTH * 2, 0, 0)) < 0 ||
		    (ncp > FRAME_WIDTH * 2 && (error = wm_buf_puts(&ctx->buf, "…")) < 0))
			break;
		error = wm_buf_printf(&ctx->buf, "%s\n", color(ctx, RESET));
	}
	if (error == 0 && to - from > DIFF_LINES)
		error = wm_buf_printf(&ctx->buf, "      %s… %zu more lines%s\n", color(ctx, DIM),
			to - from - DIFF_LINES, color(ctx, RESET));
	return error;
}

/*
 * The diff of one file: apply the fix's edits of `path` in memory, take
 * whole lines around them before and after, and drop the lines both sides
 * share. Edits that overlap or fall outside the content show no diff.
 */
static int put_file_diff(text_ctx *ctx, const wm_fix *fix, const char *path,
	const char *fallback_path, const char *data, size_t size)
{
	const wm_edit **edits = NULL;
	const char **old_starts = NULL, **new_starts = NULL;
	size_t *old_lens = NULL, *new_lens = NULL;
	wm_buf patched = WM_BUF_INIT;
	size_t n = 0, i, pos = 0, ls, le, new_le, nold, nnew, head = 0, tail = 0;
	int error = 0;

	if (!(edits = wm_calloc(fix->nedits, sizeof(*edits)))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < fix->nedits; i++) {
		const char *p = fix->edits[i].path ? fix->edits[i].path : fallback_path;

		if (p && !strcmp(p, path))
			edits[n++] = &fix->edits[i];
	}
	if (n == 0)
		goto done;
	qsort(edits, n, sizeof(*edits), edit_cmp);
	for (i = 0; i < n; i++) {
		if (edits[i]->start_byte < pos || edits[i]->end_byte < edits[i]->start_byte ||
		    edits[i]->end_byte > size)
			goto done;
		if ((error = wm_buf_put(&patched, data + pos, edits[i]->start_byte - pos)) < 0 ||
		    (error = wm_buf_puts(&patched, edits[i]->replacement ? edits[i]->replacement : "")) < 0)
			goto done;
		pos = edits[i]->end_byte;
	}
	if ((error = wm_buf_put(&patched, data + pos, size - pos)) < 0)
		goto done;

	/* Whole lines from the first edit's line to the last edit's line, on both sides. */
	for (ls = edits[0]->start_byte; ls > 0 && data[ls - 1] != '\n'; ls--)
		;
	for (le = pos; le < size && data[le] != '\n'; le++)
		;
	new_le = le + patched.size - size;
	nold = split_lines(NULL, NULL, 0, data + ls, le - ls);
	nnew = split_lines(NULL, NULL, 0, patched.ptr + ls, new_le - ls);
	if (!(old_starts = wm_calloc(nold, sizeof(*old_starts))) ||
	    !(new_starts = wm_calloc(nnew, sizeof(*new_starts))) ||
	    !(old_lens = wm_calloc(nold, sizeof(*old_lens))) ||
	    !(new_lens = wm_calloc(nnew, sizeof(*new_lens)))) {
		error = WM_ENOMEM;
		goto done;
	}
	split_lines(old_starts, old_lens, nold, data + ls, le - ls);
	split_lines(new_starts, new_lens, nnew, patched.ptr + ls, new_le - ls);
	while (head < nold && head < nnew &&
	       same_line(old_starts[head], old_lens[head], new_starts[head], new_lens[head]))
		head++;
	while (tail < nold - head && tail < nnew - head &&
	       same_line(old_starts[nold - 1 - tail], old_lens[nold - 1 - tail],
		       new_starts[nnew - 1 - tail], new_lens[nnew - 1 - tail]))
		tail++;

	if (fallback_path && strcmp(path, fallback_path) &&
	    ((error = wm_buf_printf(&ctx->buf, "      %sin ", color(ctx, DIM))) < 0 ||
	     (error = put_text(&ctx->buf, path)) < 0 ||
	     (error = wm_buf_printf(&ctx->buf, ":%s\n", color(ctx, RESET))) < 0))
		goto done;
	if ((error = put_diff_side(ctx, "-", RED, old_starts, old_lens, head, nold - tail)) < 0)
		goto done;
	error = put_diff_side(ctx, "+", GREEN, new_starts, new_lens, head, nnew - tail);
done:
	wm_buf_dispose(&patched);
	wm_free(edits);
	wm_free(old_starts);
	wm_free(new_starts);
	wm_free(old_lens);
	wm_free(new_lens);
	return error;
}

static int put_fix(text_ctx *ctx, const wm_finding *f, const source *src)
{
	const wm_fix *fix = f->fix;
	const char *data, *path, *prev;
	size_t size, i, j;
	int error;

	if ((error = wm_buf_printf(&ctx->buf, "      %sfix:%s ", color(ctx, GREEN), color(ctx, RESET))) < 0 ||
	    (error = put_text(&ctx->buf, fix->description ? fix->description : "available")) < 0 ||
	    (error = wm_buf_putc(&ctx->buf, '\n')) < 0)
		goto done;
	/* One diff per file the fix edits, in the order the edits name them. */
	for (i = 0; i < fix->nedits; i++) {
		path = fix->edits[i].path ? fix->edits[i].path : f->path;
		if (!path)
			continue;
		for (j = 0; j < i; j++) {
			prev = fix->edits[j].path ? fix->edits[j].path : f->path;
			if (prev && !strcmp(prev, path))
				break;
		}
		if (j < i)
			continue;
		if (f->path && !strcmp(path, f->path) && src->data) {
			data = src->data;
			size = src->size;
		} else if (!ctx->opts->read ||
			   ctx->opts->read(ctx->opts->read_payload, path, &data, &size) != 0 || !data) {
			continue;
		}
		if ((error = put_file_diff(ctx, fix, path, f->path, data, size)) < 0)
			goto done;
	}
done:
	return error;
}

static int put_finding(text_ctx *ctx, source *src, const wm_finding *f, int pos_width)
{
	wm_buf *b = &ctx->buf;
	char pos[32] = "";
	int error;

	if (f->line && f->column)
		snprintf(pos, sizeof(pos), "%u:%u", (unsigned)f->line, (unsigned)f->column);
	else if (f->line)
		snprintf(pos, sizeof(pos), "%u", (unsigned)f->line);

	if ((error = wm_buf_printf(b, "  %-*s%s%s%-*s%s  ", pos_width, pos, pos_width ? "  " : "",
		     color(ctx, severity_color(f->severity)), ctx->sev_width,
		     wm_severity_name(f->severity), color(ctx, RESET))) < 0 ||
	    (error = put_text(b, f->message ? f->message : "")) < 0)
		goto done;
	if (f->rule &&
	    ((error = wm_buf_printf(b, "  %s[", color(ctx, DIM))) < 0 ||
	     (error = put_text(b, f->rule)) < 0 ||
	     (error = wm_buf_printf(b, "]%s", color(ctx, RESET))) < 0))
		goto done;
	if ((error = wm_buf_putc(b, '\n')) < 0)
		goto done;
	if (f->line && (error = put_frame(ctx, src, f)) < 0)
		goto done;
	if (f->fix)
		error = put_fix(ctx, f, src);
done:
	return error;
}

static int emit(text_ctx *ctx)
{
	int error = 0;

	if (ctx->buf.size && fwrite(ctx->buf.ptr, 1, ctx->buf.size, ctx->out) != ctx->buf.size)
		error = wm_report__flush(ctx->out, "text");
	wm_buf_clear(&ctx->buf);
	return error;
}

/*
 * Groups by path, repository-wide first. Ties compare addresses, which
 * keeps findings of one file in their order: qsort() is not stable.
 */
static int group_cmp(const void *pa, const void *pb)
{
	const wm_finding *a = *(const wm_finding *const *)pa, *b = *(const wm_finding *const *)pb;
	int c = (!a->path || !b->path) ? (a->path != NULL) - (b->path != NULL) : strcmp(a->path, b->path);

	return c ? c : (a > b) - (a < b);
}

static bool same_path(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static size_t count_lines(const wm_buf *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->size; i++)
		n += b->ptr[i] == '\n';
	return n;
}

static int put_group(text_ctx *ctx, const wm_finding *const *order, size_t from, size_t to)
{
	const wm_finding *first = order[from];
	source src = { NULL, 0, 0, 0 };
	char pos[32];
	int width = 0, len, error;
	size_t i, lines = 0;

	for (i = from; i < to; i++) {
		const wm_finding *f = order[i];

		len = f->column ? snprintf(pos, sizeof(pos), "%u:%u", (unsigned)f->line, (unsigned)f->column)
			: f->line ? snprintf(pos, sizeof(pos), "%u", (unsigned)f->line) : 0;
		if (len > width)
			width = len;
	}
	if (first->path && ctx->opts->read &&
	    ctx->opts->read(ctx->opts->read_payload, first->path, &src.data, &src.size) != 0)
		src.data = NULL;

	if ((error = wm_buf_puts(&ctx->buf, color(ctx, BOLD))) < 0 ||
	    (error = put_text(&ctx->buf, first->path ? first->path : "(whole repository)")) < 0 ||
	    (error = wm_buf_printf(&ctx->buf, "%s\n", color(ctx, RESET))) < 0)
		goto done;
	for (i = from; i < to; i++) {
		/* A finding shown with its code or fix is set apart from the next one. */
		if (i > from && lines > 1 && (error = wm_buf_putc(&ctx->buf, '\n')) < 0)
			goto done;
		if ((error = put_finding(ctx, &src, order[i], width)) < 0)
			goto done;
		lines = count_lines(&ctx->buf);
		if ((error = emit(ctx)) < 0)
			goto done;
	}
	error = wm_buf_putc(&ctx->buf, '\n');
done:
	return error;
}

static int put_count(wm_buf *b, bool *first, uint64_t n, const char *one, const char *many)
{
	int error = 0;

	if (n)
		error = wm_buf_printf(b, "%s%llu %s", *first ? "" : ", ", (unsigned long long)n,
			n == 1 ? one : many);
	if (n)
		*first = false;
	return error;
}

static int put_summary(text_ctx *ctx, const wm_summary *s)
{
	wm_buf *b = &ctx->buf;
	wm_severity fail_on = ctx->opts->fail_on;
	bool first = true, fails = false;
	int sev, error;

	for (sev = fail_on > WM_SEV_NONE ? fail_on : WM_SEV__COUNT; sev < WM_SEV__COUNT; sev++)
		fails = fails || s->by_severity[sev] > 0;

	if (s->findings == 0)
		error = wm_buf_printf(b, "%s✓%s no findings", color(ctx, GREEN), color(ctx, RESET));
	else if (fails)
		error = wm_buf_printf(b, "%s✗%s ", color(ctx, "\033[1;31m"), color(ctx, RESET));
	else
		error = wm_buf_printf(b, "%s✓%s ", color(ctx, GREEN), color(ctx, RESET));
	if (error < 0 ||
	    (error = put_count(b, &first, s->by_severity[WM_SEV_CRITICAL], "critical", "critical")) < 0 ||
	    (error = put_count(b, &first, s->by_severity[WM_SEV_ERROR], "error", "errors")) < 0 ||
	    (error = put_count(b, &first, s->by_severity[WM_SEV_WARNING], "warning", "warnings")) < 0 ||
	    (error = put_count(b, &first, s->by_severity[WM_SEV_INFO], "info", "info")) < 0)
		goto done;
	/* Findings the counters do not classify (severity "off") are still findings. */
	if (s->findings && first &&
	    (error = put_count(b, &first, s->findings, "finding", "findings")) < 0)
		goto done;
	if ((error = wm_buf_printf(b, " in %llu file%s", (unsigned long long)s->files,
		     s->files == 1 ? "" : "s")) < 0 ||
	    (s->skipped && (error = wm_buf_printf(b, ", %llu skipped",
				    (unsigned long long)s->skipped)) < 0))
		goto done;
	if (s->elapsed_ms < 1000)
		error = wm_buf_printf(b, " (%llu ms)", (unsigned long long)s->elapsed_ms);
	else
		error = wm_buf_printf(b, " (%.1f s)", (double)s->elapsed_ms / 1000.0);
	if (error < 0)
		goto done;
	if (s->findings && fail_on == WM_SEV_NONE)
		error = wm_buf_puts(b, ": the gate never fails (fail_on: off)");
	else if (s->findings)
		error = wm_buf_printf(b, ": the gate %s (fail_on: %s)", fails ? "fails" : "passes",
			wm_severity_name(fail_on));
	if (error < 0 ||
	    (error = wm_buf_putc(b, '\n')) < 0)
		goto done;
	if (s->internal_errors)
		error = wm_buf_printf(b, "%s! %llu internal error%s: some files were not checked%s\n",
			color(ctx, "\033[1;31m"), (unsigned long long)s->internal_errors,
			s->internal_errors == 1 ? "" : "s", color(ctx, RESET));
done:
	return error;
}

/*
 * Info findings are hints; hundreds of them bury the few that matter (curl
 * without its include directories has 991). Past this many, the text
 * format counts them by rule instead of listing them; every other format
 * still carries each one.
 */
#define TEXT_MAX_INFO 50

static int by_rule(const void *pa, const void *pb)
{
	const wm_finding *a = *(const wm_finding *const *)pa, *b = *(const wm_finding *const *)pb;

	return strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
}

/* One line saying which info findings were not listed, by rule, most first. */
typedef struct rule_count {
	const char *rule;
	size_t n;
} rule_count;

/* Most findings first, ties by rule name. */
static int by_count(const void *pa, const void *pb)
{
	const rule_count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return strcmp(a->rule, b->rule);
}

static int put_folded(text_ctx *ctx, const wm_finding **info, size_t n)
{
	rule_count *runs;
	size_t i, nruns = 0;
	int error;

	if (!(runs = wm_calloc(n + 1, sizeof(*runs))))
		return WM_ENOMEM;
	qsort(info, n, sizeof(*info), by_rule);
	for (i = 0; i < n; i++) {
		if (!nruns || by_rule(&info[i - 1], &info[i]))
			runs[nruns++].rule = info[i]->rule ? info[i]->rule : "unnamed";
		runs[nruns - 1].n++;
	}
	qsort(runs, nruns, sizeof(*runs), by_count);
	error = wm_buf_printf(&ctx->buf, "%s%zu info findings not listed (", color(ctx, DIM), n);
	for (i = 0; i < nruns && i < 3 && !error; i++)
		error = wm_buf_printf(&ctx->buf, "%s%zu %s", i ? ", " : "", runs[i].n, runs[i].rule);
	if (!error && nruns > 3)
		error = wm_buf_printf(&ctx->buf, ", %zu more rule%s", nruns - 3, nruns - 3 == 1 ? "" : "s");
	if (!error)
		error = wm_buf_printf(&ctx->buf, "); --format json lists every finding%s\n\n", color(ctx, RESET));
	wm_free(runs);
	return error;
}

int wm_report__text(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	text_ctx ctx = { out, opts, WM_BUF_INIT, 0 };
	const wm_findings *list = &result->findings;
	const wm_finding **order = NULL, **info = NULL;
	size_t i, from, count = 0, ninfo = 0;
	int error = 0, len;

	if (list->count && (!(order = wm_calloc(list->count, sizeof(*order))) ||
	    !(info = wm_calloc(list->count, sizeof(*info))))) {
		error = WM_ENOMEM;
		goto done;
	}
	for (i = 0; i < list->count; i++)
		ninfo += list->items[i].severity == WM_SEV_INFO;
	for (i = 0; i < list->count; i++) {
		if (ninfo > TEXT_MAX_INFO && list->items[i].severity == WM_SEV_INFO) {
			info[i - count] = &list->items[i];
			continue;
		}
		order[count++] = &list->items[i];
		len = (int)strlen(wm_severity_name(list->items[i].severity));
		if (len > ctx.sev_width)
			ctx.sev_width = len;
	}
	/* The scan sorts findings, but a hand-made result may not be: group anyway. */
	if (count)
		qsort(order, count, sizeof(*order), group_cmp);
	for (from = 0; from < count; from = i) {
		for (i = from + 1; i < count &&
		     same_path(order[i]->path, order[from]->path); i++)
			;
		if ((error = put_group(&ctx, order, from, i)) < 0)
			goto done;
	}
	if (count < list->count && (error = put_folded(&ctx, info, list->count - count)) < 0)
		goto done;
	if ((error = put_summary(&ctx, &result->summary)) < 0 ||
	    (error = emit(&ctx)) < 0)
		goto done;
	error = wm_report__flush(out, "text");
done:
	wm_buf_dispose(&ctx.buf);
	wm_free(order);
	wm_free(info);
	return error;
}
