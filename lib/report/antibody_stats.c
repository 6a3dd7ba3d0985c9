/*
 * antibody_stats.c (report) - `wm-antibody stats`: the immune memory per rule.
 *
 * Rows are the rules the memory has a record of, plus every learned rule
 * (a learned rule with no record yet is still worth seeing: it is a hint
 * waiting for evidence). A record of a rule no longer loaded is kept as a
 * row with no severity, so removing a rule file does not hide its history.
 * Each row is graded by the same wm_antibody_judge() the detector uses, so
 * the table and the next scan never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "wm/alloc.h"
#include "wm/error.h"

typedef struct row {
	const char *id;
	const wm_antibody_info *rule;     /* NULL: not loaded any more */
	const wm_antibody_stat *stat;     /* NULL: no record */
	wm_severity severity;
	wm_antibody_status status;
} row;

static const wm_antibody_info *rule_by_id(const wm_antibodies *set, const char *id)
{
	size_t i, n = set ? wm_antibodies_count(set) : 0;

	for (i = 0; i < n; i++)
		if (!strcmp(wm_antibodies_info(set, i)->id, id))
			return wm_antibodies_info(set, i);
	return NULL;
}

static bool is_learned(const wm_antibody_info *r)
{
	return r && r->provenance && !strcmp(r->provenance, "learned");
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const row *)a)->id, ((const row *)b)->id);
}

static bool listed(const row *rows, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(rows[i].id, id))
			return true;
	return false;
}

static int make_rows(row **out, size_t *count, const wm_antibody_stats *stats,
	const wm_antibodies *set, const wm_antibody_policy *policy)
{
	size_t nstats = stats ? stats->count : 0, nrules = set ? wm_antibodies_count(set) : 0, n = 0, i;
	row *rows;

	*out = NULL;
	*count = 0;
	if (!(rows = wm_calloc(nstats + nrules + 1, sizeof(*rows))))
		return WM_ENOMEM;
	for (i = 0; i < nstats; i++)
		rows[n++].id = stats->items[i].id;
	for (i = 0; i < nrules; i++) {
		const wm_antibody_info *r = wm_antibodies_info(set, i);

		if (is_learned(r) && !listed(rows, n, r->id))
			rows[n++].id = r->id;
	}
	for (i = 0; i < n; i++) {
		row *w = &rows[i];

		w->rule = rule_by_id(set, w->id);
		w->stat = wm_antibody_stats_find(stats, w->id);
		w->severity = WM_SEV_NONE;
		w->status = WM_ANTIBODY_NORMAL;
		if (w->rule)
			w->status = wm_antibody_judge(&w->severity, w->stat, w->rule->severity,
				is_learned(w->rule), policy);
	}
	qsort(rows, n, sizeof(*rows), by_id);
	*out = rows;
	*count = n;
	return 0;
}

static int write_json(FILE *out, const row *rows, size_t n, const wm_antibody_policy *policy)
{
	json_t *root = json_object(), *list = json_array();
	size_t i;
	int error = 0;

	if (!root || !list) {
		json_decref(list);
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = wm_report__json_set(root, "version", json_integer(1))) < 0 ||
	    (error = wm_report__json_set(root, "demote_below", json_real(policy->demote_below))) < 0 ||
	    (error = wm_report__json_set(root, "min_evidence", json_integer((json_int_t)policy->min_evidence))) < 0 ||
	    (error = wm_report__json_set(root, "rules", list)) < 0)
		goto done;
	for (i = 0; i < n && error == 0; i++) {
		const row *w = &rows[i];
		wm_antibody_stat zero = { NULL, 0, 0, 0, 0 };
		const wm_antibody_stat *s = w->stat ? w->stat : &zero;
		json_t *o = json_object();

		if ((error = wm_report__json_append(list, o)) < 0 ||
		    (error = wm_report__json_set(o, "id", wm_report__json_string(w->id))) < 0 ||
		    (error = wm_report__json_set(o, "severity", w->rule ?
				json_string(wm_severity_name(w->severity)) : json_null())) < 0 ||
		    (error = wm_report__json_set(o, "provenance", w->rule ?
				json_string(w->rule->provenance) : json_null())) < 0 ||
		    (error = wm_report__json_set(o, "hits", json_integer((json_int_t)s->hits))) < 0 ||
		    (error = wm_report__json_set(o, "fixes_applied", json_integer((json_int_t)s->applied))) < 0 ||
		    (error = wm_report__json_set(o, "fixes_reverted", json_integer((json_int_t)s->reverted))) < 0 ||
		    (error = wm_report__json_set(o, "effectiveness", s->applied ?
				json_real(wm_antibody_effectiveness(s)) : json_null())) < 0 ||
		    (error = wm_report__json_set(o, "status", json_string(wm_antibody_status_name(w->status)))) < 0)
			goto done;
	}
	error = wm_report__json_dump(out, root);
done:
	json_decref(root);
	return error;
}

static int write_text(FILE *out, const row *rows, size_t n, const wm_antibody_policy *policy)
{
	size_t i, width = 4;
	int error = 0;

	if (n == 0) {
		fputs("no antibody statistics yet: they are recorded by scans of the working tree or the "
			"index, --fix and --undo\n", out);
		goto done;
	}
	for (i = 0; i < n; i++)
		if (strlen(rows[i].id) > width)
			width = strlen(rows[i].id);
	fprintf(out, "%-*s  %-8s  %6s  %7s  %8s  %13s  %s\n", (int)width, "rule", "severity", "hits",
		"applied", "reverted", "effectiveness", "status");
	for (i = 0; i < n; i++) {
		const row *w = &rows[i];
		wm_antibody_stat zero = { NULL, 0, 0, 0, 0 };
		const wm_antibody_stat *s = w->stat ? w->stat : &zero;
		char eff[16] = "-";

		if (s->applied)
			snprintf(eff, sizeof(eff), "%.0f%%", 100.0 * wm_antibody_effectiveness(s));
		fprintf(out, "%-*s  %-8s  %6llu  %7llu  %8llu  %13s  %s\n", (int)width, w->id,
			w->rule ? wm_severity_name(w->severity) : "-", (unsigned long long)s->hits,
			(unsigned long long)s->applied, (unsigned long long)s->reverted, eff,
			w->rule ? wm_antibody_status_name(w->status) : "not loaded");
	}
	fprintf(out, "demoted below %.0f%% effectiveness after %llu applied fixes; learned rules promoted "
		"at %.0f%% after %llu kept\n", 100.0 * policy->demote_below,
		(unsigned long long)policy->min_evidence, 100.0 * WM_ANTIBODY_PROMOTE_AT,
		(unsigned long long)policy->min_evidence);
done:
	if (fflush(out) != 0 || ferror(out))
		error = wm_error_set(WM_ERROR, "writing the report failed");
	return error;
}

int wm_report_antibody_stats(FILE *out, const wm_antibody_stats *stats, const wm_antibodies *set,
	const wm_antibody_policy *policy, bool json)
{
	row *rows = NULL;
	size_t n = 0;
	int error;

	if ((error = make_rows(&rows, &n, stats, set, policy)) < 0)
		goto done;
	error = json ? write_json(out, rows, n, policy) : write_text(out, rows, n, policy);
done:
	wm_free(rows);
	return error;
}
