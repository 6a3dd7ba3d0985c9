/*
 * history.c - health over history in a terminal: sparklines and progress.
 *
 * One line per headline metric: its name, a sparkline of the whole range
 * (Unicode block elements, one column per commit or per bucket of commits
 * when there are more commits than columns), the first and last values
 * and the range. A reader sees in a glance which way each metric went;
 * the HTML report (html.c) has the full charts.
 */
#include <math.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/health.h"
#include "report/report.h"

#define SPARK_WIDTH 48

static const char *const blocks[] = { "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█" };

void wm_report__format_value(char *out, size_t size, double v, const char *unit)
{
	if (*unit == '%')
		snprintf(out, size, "%.1f%%", v);
	else if (v == floor(v) && fabs(v) < 1e15)
		snprintf(out, size, "%.0f", v);
	else
		snprintf(out, size, "%.2f", v);
}

/* The metric's values, one per point (NAN where a point lacks it). */
static int series(double **out, const wm_health_history *h, const char *name)
{
	size_t i;

	if (!(*out = wm_calloc(h->count ? h->count : 1, sizeof(double))))
		return WM_ENOMEM;
	for (i = 0; i < h->count; i++)
		if (!wm_health_get(&h->points[i], name, &(*out)[i]))
			(*out)[i] = NAN;
	return 0;
}

static void sparkline(FILE *out, const double *v, size_t n, double lo, double hi)
{
	size_t cols = n < SPARK_WIDTH ? n : SPARK_WIDTH, c, i;

	for (c = 0; c < cols; c++) {
		size_t from = c * n / cols, to = (c + 1) * n / cols;
		double sum = 0;
		size_t k = 0;
		int level;

		for (i = from; i < to; i++)
			if (!isnan(v[i])) {
				sum += v[i];
				k++;
			}
		if (!k) {
			fputc(' ', out);
			continue;
		}
		level = hi > lo ? (int)lround((sum / (double)k - lo) / (hi - lo) * 7.0) : 3;
		fputs(blocks[level < 0 ? 0 : level > 7 ? 7 : level], out);
	}
}

int wm_report_history(FILE *out, const wm_health_history *history, bool color)
{
	const wm_health_info *info;
	double *v = NULL;
	size_t n, m, i;
	int error = 0;

	if (!history->count) {
		fprintf(out, "no health history yet: run wm-board --history to compute it\n");
		return wm_report__flush(out, "the history");
	}
	fprintf(out, "%shealth of %zu commit%s%s, %.12s .. %.12s\n", color ? "\033[1m" : "",
		history->count, history->count == 1 ? "" : "s", color ? "\033[0m" : "",
		history->points[0].commit, history->points[history->count - 1].commit);
	info = wm_health_headline(&n);
	for (m = 0; m < n; m++) {
		double lo = INFINITY, hi = -INFINITY, first = NAN, last = NAN;
		char a[32], b[32], l[32], h[32];
		const char *tint = "";

		if ((error = series(&v, history, info[m].name)) < 0)
			goto done;
		for (i = 0; i < history->count; i++) {
			if (isnan(v[i]))
				continue;
			lo = v[i] < lo ? v[i] : lo;
			hi = v[i] > hi ? v[i] : hi;
			if (isnan(first))
				first = v[i];
			last = v[i];
		}
		if (isnan(first)) {
			wm_free(v);
			v = NULL;
			continue;
		}
		if (color && last != first && info[m].better)
			tint = (last > first) == (info[m].better > 0) ? "\033[32m" : "\033[31m";
		wm_report__format_value(a, sizeof(a), first, info[m].unit);
		wm_report__format_value(b, sizeof(b), last, info[m].unit);
		wm_report__format_value(l, sizeof(l), lo, info[m].unit);
		wm_report__format_value(h, sizeof(h), hi, info[m].unit);
		fprintf(out, "  %-22s %s", info[m].label, tint);
		sparkline(out, v, history->count, lo, hi);
		fprintf(out, "%s  %s -> %s  (%s..%s)\n", *tint ? "\033[0m" : "", a, b, l, h);
		wm_free(v);
		v = NULL;
	}
	error = wm_report__flush(out, "the history");
done:
	wm_free(v);
	return error;
}

int wm_report_history_progress(FILE *out, const wm_health_progress *p)
{
	const int width = 30;
	int filled = p->total ? (int)(p->done * (size_t)width / p->total) : width, i;
	double s = (double)p->elapsed_ms / 1000.0;

	fputs("\r\033[K[", out);
	for (i = 0; i < width; i++)
		fputs(i < filled ? "█" : "░", out);
	fprintf(out, "] %zu/%zu commits, %zu computed, %zu files scanned, %.1f s  %.7s",
		p->done, p->total, p->computed, p->files_scanned, s, p->commit ? p->commit : "");
	fflush(out);
	return 0;
}
