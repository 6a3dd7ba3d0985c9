/*
 * coverage.c - the documentation coverage table (`wm-docs --coverage`).
 *
 * Detectors only measure (wm_scan_metric(): documented items of a file out
 * of all of them); turning those numbers into a table is printing, and only
 * the report prints. The layout follows `interrogate -v`, which Python
 * projects already read in CI logs: Name, Total, Miss, Cover, Cover%.
 * Directories sum everything below them, so a reader sees at once which
 * part of a tree lacks documentation.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "report/report.h"

typedef struct row {
	char *name;        /* path, or directory with a trailing '/' */
	uint64_t total, covered;
} row;

typedef struct table {
	row *rows;
	size_t count;
} table;

static int compare_rows(const void *a, const void *b)
{
	return strcmp(((const row *)a)->name, ((const row *)b)->name);
}

/* Add counts to the row `name[0..len)`, creating it. */
static int add(table *t, const char *name, size_t len, uint64_t covered, uint64_t total)
{
	row *grown;
	size_t i;

	for (i = 0; i < t->count; i++) {
		if (strlen(t->rows[i].name) == len && !strncmp(t->rows[i].name, name, len)) {
			t->rows[i].covered += covered;
			t->rows[i].total += total;
			return 0;
		}
	}
	if (!(grown = wm_reallocarray(t->rows, t->count + 1, sizeof(*grown))))
		return WM_ENOMEM;
	t->rows = grown;
	if (!(t->rows[t->count].name = wm_strndup(name, len)))
		return WM_ENOMEM;
	t->rows[t->count].covered = covered;
	t->rows[t->count].total = total;
	t->count++;
	return 0;
}

static void line(FILE *out, int width)
{
	fprintf(out, "|%.*s|-------|-------|-------|---------|\n", width + 2,
		"------------------------------------------------------------------------"
		"------------------------------------------------------------------------");
}

static void print_row(FILE *out, int width, const char *name, uint64_t covered, uint64_t total,
	bool decimals)
{
	double pct = total ? 100.0 * (double)covered / (double)total : 100.0;

	fprintf(out, "| %-*s | %5" PRIu64 " | %5" PRIu64 " | %5" PRIu64 " | ", width, name,
		total, total - covered, covered);
	if (decimals)
		fprintf(out, "%6.1f%% |\n", pct);
	else
		fprintf(out, "%6.0f%% |\n", pct);
}

static void table_free(table *t)
{
	size_t i;

	for (i = 0; i < t->count; i++)
		wm_free(t->rows[i].name);
	wm_free(t->rows);
}

int wm_report_coverage(FILE *out, const wm_scan_result *result, const char *metric)
{
	table files = { NULL, 0 }, dirs = { NULL, 0 };
	uint64_t covered = 0, total = 0;
	int width = 20, error = 0;
	size_t i;

	for (i = 0; i < result->nmetrics; i++) {
		const wm_metric *m = &result->metrics[i];
		const char *slash;

		if (strcmp(m->name, metric) || !m->path || m->total == 0)
			continue;
		if ((error = add(&files, m->path, strlen(m->path), m->value, m->total)) < 0)
			goto done;
		for (slash = strchr(m->path, '/'); slash; slash = strchr(slash + 1, '/'))
			if ((error = add(&dirs, m->path, (size_t)(slash - m->path) + 1, m->value, m->total)) < 0)
				goto done;
		covered += m->value;
		total += m->total;
		if ((int)strlen(m->path) > width)
			width = strlen(m->path) > 200 ? 200 : (int)strlen(m->path);
	}
	qsort(files.rows, files.count, sizeof(row), compare_rows);
	qsort(dirs.rows, dirs.count, sizeof(row), compare_rows);

	line(out, width);
	fprintf(out, "| %-*s | Total |  Miss | Cover |  Cover%% |\n", width, "Name");
	line(out, width);
	for (i = 0; i < files.count; i++)
		print_row(out, width, files.rows[i].name, files.rows[i].covered, files.rows[i].total, false);
	if (dirs.count) {
		line(out, width);
		for (i = 0; i < dirs.count; i++)
			print_row(out, width, dirs.rows[i].name, dirs.rows[i].covered, dirs.rows[i].total, false);
	}
	line(out, width);
	print_row(out, width, "TOTAL", covered, total, true);
	line(out, width);
	error = wm_report__flush(out, "the coverage table");
done:
	table_free(&files);
	table_free(&dirs);
	return error;
}
