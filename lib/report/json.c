/*
 * json.c - the JSON report: DESIGN.md 3.5, version 1.
 *
 * This is the machine contract, so its shape never depends on the data:
 * every finding has every key, in the documented order, and what is
 * unknown is null rather than absent (a repository-wide finding has a null
 * path; an unknown line or column is null, since 0 is no valid 1-based
 * position). A new key means a new "version".
 */
#include <stdbool.h>

#include "wm/error.h"
#include "report/report.h"

/* 1-based positions: 0 means "unknown" in a wm_finding. */
static json_t *position(uint32_t value)
{
	return value ? json_integer(value) : json_null();
}

/* An edit without a path edits the finding's file, as in the other formats. */
static json_t *fix_object(const wm_fix *fix, const char *path)
{
	json_t *obj = NULL, *edits = NULL, *edit;
	bool built = false;
	size_t i;

	if (!(obj = json_object()) ||
	    wm_report__json_set(obj, "description", wm_report__json_string(fix->description)) < 0 ||
	    wm_report__json_set(obj, "edits", edits = json_array()) < 0)
		goto done;
	for (i = 0; i < fix->nedits; i++) {
		const wm_edit *e = &fix->edits[i];

		if (wm_report__json_append(edits, edit = json_object()) < 0 ||
		    wm_report__json_set(edit, "path", wm_report__json_string(e->path ? e->path : path)) < 0 ||
		    wm_report__json_set(edit, "start_byte", json_integer(e->start_byte)) < 0 ||
		    wm_report__json_set(edit, "end_byte", json_integer(e->end_byte)) < 0 ||
		    wm_report__json_set(edit, "replacement",
			    wm_report__json_string(e->replacement ? e->replacement : "")) < 0)
			goto done;
	}
	built = true;
done:
	if (!built) {
		json_decref(obj);
		obj = NULL;
	}
	return obj;
}

static json_t *finding_object(const wm_finding *f)
{
	json_t *obj = json_object();

	if (!obj ||
	    wm_report__json_set(obj, "detector", wm_report__json_string(f->detector)) < 0 ||
	    wm_report__json_set(obj, "rule", wm_report__json_string(f->rule)) < 0 ||
	    wm_report__json_set(obj, "severity", json_string(wm_severity_name(f->severity))) < 0 ||
	    wm_report__json_set(obj, "path", wm_report__json_string(f->path)) < 0 ||
	    wm_report__json_set(obj, "line", position(f->line)) < 0 ||
	    wm_report__json_set(obj, "column", position(f->column)) < 0 ||
	    wm_report__json_set(obj, "end_line", position(f->end_line)) < 0 ||
	    wm_report__json_set(obj, "end_column", position(f->end_column)) < 0 ||
	    wm_report__json_set(obj, "message", wm_report__json_string(f->message)) < 0 ||
	    wm_report__json_set(obj, "fix", f->fix ? fix_object(f->fix, f->path) : json_null()) < 0) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *summary_object(const wm_summary *s)
{
	json_t *obj = json_object(), *sev = NULL;
	bool built = false;
	int sv;

	if (!obj ||
	    wm_report__json_set(obj, "files", json_integer((json_int_t)s->files)) < 0 ||
	    wm_report__json_set(obj, "skipped", json_integer((json_int_t)s->skipped)) < 0 ||
	    wm_report__json_set(obj, "findings", json_integer((json_int_t)s->findings)) < 0 ||
	    wm_report__json_set(obj, "by_severity", sev = json_object()) < 0)
		goto done;
	for (sv = WM_SEV_INFO; sv <= WM_SEV_CRITICAL; sv++) {
		if (wm_report__json_set(sev, wm_severity_name((wm_severity)sv),
			    json_integer((json_int_t)s->by_severity[sv])) < 0)
			goto done;
	}
	if (wm_report__json_set(obj, "elapsed_ms", json_integer((json_int_t)s->elapsed_ms)) < 0)
		goto done;
	built = true;
done:
	if (!built) {
		json_decref(obj);
		obj = NULL;
	}
	return obj;
}

int wm_report__json(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	json_t *root = NULL, *findings = NULL;
	size_t i;
	int error;

	(void)opts;
	if (!(root = json_object())) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = wm_report__json_set(root, "version", json_integer(1))) < 0 ||
	    (error = wm_report__json_set(root, "findings", findings = json_array())) < 0)
		goto done;
	for (i = 0; i < result->findings.count; i++) {
		if ((error = wm_report__json_append(findings,
			     finding_object(&result->findings.items[i]))) < 0)
			goto done;
	}
	if ((error = wm_report__json_set(root, "summary", summary_object(&result->summary))) < 0 ||
	    (error = wm_report__json_dump(out, root)) < 0)
		goto done;
	error = wm_report__flush(out, "JSON");
done:
	json_decref(root);
	return error;
}
