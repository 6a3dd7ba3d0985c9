/*
 * finding.c - the finding model: deep copies, moves, and a deterministic order.
 *
 * Findings cross process boundaries (workers to aggregator) and are
 * reported in a stable order whatever order they arrived in, so the sort is
 * total: two findings that compare equal are the same finding.
 */
#include <stdlib.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/finding.h"

static const char *const severity_names[WM_SEV__COUNT] = {
	"off", "info", "warning", "error", "critical"
};

const char *wm_severity_name(wm_severity sev)
{
	if ((unsigned)sev >= WM_SEV__COUNT)
		return "unknown";
	return severity_names[sev];
}

int wm_severity_parse(wm_severity *out, const char *name)
{
	size_t i;

	if (!name)
		return WM_ENOTFOUND;
	if (!strcmp(name, "none") || !strcmp(name, "never")) {
		*out = WM_SEV_NONE;
		return 0;
	}
	for (i = 0; i < WM_SEV__COUNT; i++) {
		if (!strcmp(name, severity_names[i])) {
			*out = (wm_severity)i;
			return 0;
		}
	}
	return WM_ENOTFOUND;
}

static void fix_free(wm_fix *fix)
{
	size_t i;

	if (!fix)
		return;
	for (i = 0; i < fix->nedits; i++) {
		wm_free(fix->edits[i].path);
		wm_free(fix->edits[i].replacement);
	}
	wm_free(fix->edits);
	wm_free(fix->description);
	wm_free(fix);
}

static wm_fix *fix_dup(const wm_fix *src)
{
	wm_fix *fix;
	size_t i;

	if (!(fix = wm_calloc(1, sizeof(*fix))))
		return NULL;
	if (src->description && !(fix->description = wm_strdup(src->description)))
		goto fail;
	if (src->nedits) {
		if (!(fix->edits = wm_calloc(src->nedits, sizeof(*fix->edits))))
			goto fail;
		for (i = 0; i < src->nedits; i++) {
			fix->nedits = i + 1;
			fix->edits[i].start_byte = src->edits[i].start_byte;
			fix->edits[i].end_byte = src->edits[i].end_byte;
			if (!(fix->edits[i].path = wm_strdup(src->edits[i].path)) && src->edits[i].path)
				goto fail;
			if (!(fix->edits[i].replacement = wm_strdup(src->edits[i].replacement ? src->edits[i].replacement : "")))
				goto fail;
		}
	}
	return fix;
fail:
	fix_free(fix);
	return NULL;
}

/* Copies one optional string field; only a failed allocation is an error. */
static int dup_field(char **dst, const char *src)
{
	*dst = NULL;
	if (src && !(*dst = wm_strdup(src)))
		return WM_ENOMEM;
	return 0;
}

int wm_finding_copy(wm_finding *out, const wm_finding *src)
{
	int error = 0;

	*out = *src;
	out->detector = out->rule = out->path = out->message = NULL;
	out->fix = NULL;
	if ((error = dup_field(&out->detector, src->detector)) < 0 ||
	    (error = dup_field(&out->rule, src->rule)) < 0 ||
	    (error = dup_field(&out->path, src->path)) < 0 ||
	    (error = dup_field(&out->message, src->message)) < 0)
		goto done;
	if (src->fix && !(out->fix = fix_dup(src->fix)))
		error = WM_ENOMEM;
done:
	if (error < 0)
		wm_finding_clear(out);
	return error;
}

void wm_finding_clear(wm_finding *finding)
{
	const wm_finding empty = WM_FINDING_INIT;

	wm_free(finding->detector);
	wm_free(finding->rule);
	wm_free(finding->path);
	wm_free(finding->message);
	fix_free(finding->fix);
	*finding = empty;
}

int wm_finding_set_fix(wm_finding *finding, const wm_fix *fix)
{
	wm_fix *copy = fix_dup(fix);

	if (!copy)
		return WM_ENOMEM;
	fix_free(finding->fix);
	finding->fix = copy;
	return 0;
}

static int reserve(wm_findings *list)
{
	wm_finding *items;
	size_t alloc;

	if (list->count < list->alloc)
		return 0;
	alloc = list->alloc ? list->alloc * 2 : 16;
	if (!(items = wm_reallocarray(list->items, alloc, sizeof(*items))))
		return WM_ENOMEM;
	list->items = items;
	list->alloc = alloc;
	return 0;
}

int wm_findings_add(wm_findings *list, const wm_finding *finding)
{
	int error;

	if ((error = reserve(list)) < 0)
		return error;
	if ((error = wm_finding_copy(&list->items[list->count], finding)) < 0)
		return error;
	list->count++;
	return 0;
}

int wm_findings_take(wm_findings *list, wm_finding *finding)
{
	const wm_finding empty = WM_FINDING_INIT;
	int error;

	if ((error = reserve(list)) < 0)
		return error;
	list->items[list->count++] = *finding;
	*finding = empty;
	return 0;
}

static int strcmp_null(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const wm_finding *a = pa, *b = pb;
	int c;

	if ((c = strcmp_null(a->path, b->path)) ||
	    (c = cmp_u32(a->line, b->line)) ||
	    (c = cmp_u32(a->column, b->column)) ||
	    (c = strcmp_null(a->rule, b->rule)) ||
	    (c = strcmp_null(a->detector, b->detector)) ||
	    (c = strcmp_null(a->message, b->message)) ||
	    (c = cmp_u32(a->end_line, b->end_line)) ||
	    (c = cmp_u32(a->end_column, b->end_column)))
		return c;
	return cmp_u32(a->severity, b->severity);
}

void wm_findings_sort(wm_findings *list)
{
	size_t i, kept = 0;

	if (list->count < 2)
		return;
	qsort(list->items, list->count, sizeof(*list->items), finding_cmp);
	for (i = 0; i < list->count; i++) {
		if (kept && finding_cmp(&list->items[kept - 1], &list->items[i]) == 0) {
			wm_finding_clear(&list->items[i]);
			continue;
		}
		list->items[kept++] = list->items[i];
	}
	list->count = kept;
}

void wm_findings_dispose(wm_findings *list)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		wm_finding_clear(&list->items[i]);
	wm_free(list->items);
	list->items = NULL;
	list->count = list->alloc = 0;
}
