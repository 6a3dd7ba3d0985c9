/*
 * sarif.c - the SARIF 2.1.0 report, shaped for GitHub code scanning.
 *
 * One run, one driver ("wm"). The rule table is what the detectors that
 * ran declare, so GitHub can show a rule's help even for rules with no
 * result today; a rule id that appears in a finding but that no detector
 * declared still gets an entry, because every result must be able to point
 * at its rule by index.
 *
 * Paths are repository-relative, so artifact locations are relative URI
 * references against %SRCROOT%, which is resolved through
 * originalUriBaseIds when the caller knows the working directory. Columns
 * count Unicode code points, as wm_finding promises.
 */
#include <stdbool.h>
#include <string.h>

#include "wm/alloc.h"
#include "wm/error.h"
#include "wm/wm.h"
#include "report/report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"

/* One row of the rule table; `info` is NULL for rules no detector declared. */
typedef struct rule_entry {
	const char *id;
	const wm_rule_info *info;
} rule_entry;

typedef struct rule_table {
	rule_entry *items;
	size_t count;
	size_t alloc;
} rule_table;

static const char *finding_rule(const wm_finding *f)
{
	return f->rule && *f->rule ? f->rule : "unknown";
}

static const char *level_name(wm_severity sev)
{
	switch (sev) {
	case WM_SEV_CRITICAL:
	case WM_SEV_ERROR:
		return "error";
	case WM_SEV_WARNING:
		return "warning";
	case WM_SEV_INFO:
		return "note";
	default:
		return "none";
	}
}

/* Rule tables are a few dozen entries: a linear search beats hashing here. */
static long rule_find(const rule_table *t, const char *id)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		if (!strcmp(t->items[i].id, id))
			return (long)i;
	}
	return -1;
}

static int rule_add(rule_table *t, const char *id, const wm_rule_info *info)
{
	rule_entry *items;
	size_t alloc;

	if (rule_find(t, id) >= 0)
		return 0;
	if (t->count == t->alloc) {
		alloc = t->alloc ? t->alloc * 2 : 16;
		if (!(items = wm_reallocarray(t->items, alloc, sizeof(*items))))
			return WM_ENOMEM;
		t->items = items;
		t->alloc = alloc;
	}
	t->items[t->count].id = id;
	t->items[t->count].info = info;
	t->count++;
	return 0;
}

static int rules_collect(rule_table *t, const wm_scan_result *result)
{
	size_t d, r, i;
	int error = 0;

	for (d = 0; d < result->ndetectors; d++) {
		const wm_detector *det = result->detectors[d];

		for (r = 0; det && r < det->nrules; r++) {
			if (det->rules[r].id && (error = rule_add(t, det->rules[r].id, &det->rules[r])) < 0)
				goto done;
		}
	}
	for (i = 0; i < result->findings.count; i++) {
		if ((error = rule_add(t, finding_rule(&result->findings.items[i]), NULL)) < 0)
			goto done;
	}
done:
	return error;
}

/*
 * Percent-encode a path as a URI path. Kept literal: unreserved characters,
 * '/', and the sub-delimiters a path may hold. ':' is encoded unless
 * `keep_colon`, because in a relative reference "a:b" would read as a
 * URI with scheme "a".
 */
static int uri_encode(wm_buf *out, const char *path, bool keep_colon)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	int error = 0;

	for (p = (const unsigned char *)path; *p; p++) {
		bool literal = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=@", *p) ||
			(*p == ':' && keep_colon);

		if (literal)
			error = wm_buf_putc(out, (char)*p);
		else
			error = wm_buf_printf(out, "%%%c%c", hex[*p >> 4], hex[*p & 0xF]);
		if (error < 0)
			break;
	}
	return error;
}

static json_t *artifact_location(const char *path)
{
	wm_buf uri = WM_BUF_INIT;
	json_t *obj = NULL;

	if (uri_encode(&uri, path, false) < 0)
		goto done;
	if (!(obj = json_object()) ||
	    wm_report__json_set(obj, "uri", json_stringn(uri.ptr ? uri.ptr : "", uri.size)) < 0 ||
	    wm_report__json_set(obj, "uriBaseId", json_string(SRCROOT)) < 0) {
		json_decref(obj);
		obj = NULL;
		wm_error_set(WM_ENOMEM, "out of memory");
	}
done:
	wm_buf_dispose(&uri);
	return obj;
}

static json_t *text_message(const char *text)
{
	json_t *obj = json_object();

	if (obj && wm_report__json_set(obj, "text", wm_report__json_string(text ? text : "")) < 0) {
		json_decref(obj);
		obj = NULL;
	}
	return obj;
}

/* Only what is known: SARIF treats an absent property as "unknown", 0 as invalid. */
static json_t *region_object(const wm_finding *f)
{
	json_t *obj = json_object();
	bool has_end_line = f->end_line >= f->line;

	if (!obj ||
	    wm_report__json_set(obj, "startLine", json_integer(f->line)) < 0 ||
	    (f->column && wm_report__json_set(obj, "startColumn", json_integer(f->column)) < 0) ||
	    (has_end_line && wm_report__json_set(obj, "endLine", json_integer(f->end_line)) < 0) ||
	    (has_end_line && f->column && f->end_column &&
		(f->end_line > f->line || f->end_column >= f->column) &&
		wm_report__json_set(obj, "endColumn", json_integer(f->end_column)) < 0)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/*
 * Where a result is. GitHub code scanning rejects a whole upload when one
 * result has no location, so a repository-wide finding (no path) is placed
 * on the first file its fix edits, else on the configuration file that
 * sets the policy it enforces (.wm.yml, line 1).
 */
static const char *result_path(const wm_finding *f)
{
	size_t i;

	if (f->path)
		return f->path;
	for (i = 0; f->fix && i < f->fix->nedits; i++)
		if (f->fix->edits[i].path)
			return f->fix->edits[i].path;
	return ".wm.yml";
}

static json_t *locations_array(const wm_finding *f)
{
	json_t *arr = json_array(), *loc, *phys, *region;

	if (!arr ||
	    wm_report__json_append(arr, loc = json_object()) < 0 ||
	    wm_report__json_set(loc, "physicalLocation", phys = json_object()) < 0 ||
	    wm_report__json_set(phys, "artifactLocation", artifact_location(result_path(f))) < 0 ||
	    (f->path && f->line && wm_report__json_set(phys, "region", region_object(f)) < 0) ||
	    (!f->path && (wm_report__json_set(phys, "region", region = json_object()) < 0 ||
		wm_report__json_set(region, "startLine", json_integer(1)) < 0))) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

/* The artifactChange of `changes` for `path`, created on first use. */
static json_t *artifact_change(json_t *changes, const char *path)
{
	json_t *change, *loc, *uri;
	wm_buf want = WM_BUF_INIT;
	size_t i;

	if (uri_encode(&want, path, false) < 0)
		return NULL;
	json_array_foreach(changes, i, change) {
		loc = json_object_get(change, "artifactLocation");
		uri = json_object_get(loc, "uri");
		if (!strcmp(json_string_value(uri), want.ptr ? want.ptr : ""))
			goto done;
	}
	if (wm_report__json_append(changes, change = json_object()) < 0 ||
	    wm_report__json_set(change, "artifactLocation", artifact_location(path)) < 0 ||
	    wm_report__json_set(change, "replacements", json_array()) < 0)
		change = NULL;
done:
	wm_buf_dispose(&want);
	return change;
}

/* Sets *out to NULL when no edit of the fix names a file: SARIF needs at least one change. */
static int fixes_array(json_t **out, const wm_finding *f)
{
	json_t *fixes = NULL, *fix = NULL, *changes, *change, *rep, *region;
	size_t i;
	int error = WM_ENOMEM;

	*out = NULL;
	if (!(fixes = json_array()) || !(fix = json_object()) ||
	    (f->fix->description &&
		wm_report__json_set(fix, "description", text_message(f->fix->description)) < 0) ||
	    wm_report__json_set(fix, "artifactChanges", changes = json_array()) < 0)
		goto done;
	for (i = 0; i < f->fix->nedits; i++) {
		const wm_edit *e = &f->fix->edits[i];
		const char *path = e->path ? e->path : f->path;

		if (!path || e->end_byte < e->start_byte)
			continue;
		if (!(change = artifact_change(changes, path)) ||
		    wm_report__json_append(json_object_get(change, "replacements"), rep = json_object()) < 0 ||
		    wm_report__json_set(rep, "deletedRegion", region = json_object()) < 0 ||
		    wm_report__json_set(region, "byteOffset", json_integer(e->start_byte)) < 0 ||
		    wm_report__json_set(region, "byteLength", json_integer(e->end_byte - e->start_byte)) < 0 ||
		    wm_report__json_set(rep, "insertedContent", text_message(e->replacement)) < 0)
			goto done;
	}
	if (json_array_size(changes) > 0) {
		error = wm_report__json_append(fixes, fix);
		fix = NULL;
		if (error < 0)
			goto done;
		*out = fixes;
		fixes = NULL;
	}
	error = 0;
done:
	if (error < 0)
		wm_error_set(error, "out of memory");
	json_decref(fix);
	json_decref(fixes);
	return error;
}

static json_t *result_object(const wm_finding *f, const rule_table *rules)
{
	const char *rule = finding_rule(f);
	json_t *obj = json_object(), *fixes = NULL;

	if (!obj ||
	    wm_report__json_set(obj, "ruleId", wm_report__json_string(rule)) < 0 ||
	    wm_report__json_set(obj, "ruleIndex", json_integer(rule_find(rules, rule))) < 0 ||
	    wm_report__json_set(obj, "level", json_string(level_name(f->severity))) < 0 ||
	    wm_report__json_set(obj, "message", text_message(f->message ? f->message : rule)) < 0 ||
	    wm_report__json_set(obj, "locations", locations_array(f)) < 0 ||
	    (f->fix && fixes_array(&fixes, f) < 0) ||
	    (fixes && wm_report__json_set(obj, "fixes", fixes) < 0)) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

/* "unresolved-import" -> "UnresolvedImport": SARIF wants a readable identifier as the name. */
static json_t *rule_name(const char *id)
{
	wm_buf name = WM_BUF_INIT;
	json_t *value = NULL;
	bool upper = true;
	const char *p;

	for (p = id; *p; p++) {
		if (*p == '-' || *p == '_' || *p == ' ' || *p == '.') {
			upper = true;
			continue;
		}
		if (wm_buf_putc(&name, upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p) < 0)
			goto done;
		upper = false;
	}
	value = wm_report__json_string(name.ptr ? name.ptr : id);
done:
	wm_buf_dispose(&name);
	return value;
}

static json_t *rule_object(const rule_entry *r)
{
	const char *summary = r->info && r->info->summary ? r->info->summary : r->id;
	const char *help = r->info && r->info->help ? r->info->help : summary;
	json_t *obj = json_object(), *config;

	if (!obj ||
	    wm_report__json_set(obj, "id", wm_report__json_string(r->id)) < 0 ||
	    wm_report__json_set(obj, "name", rule_name(r->id)) < 0 ||
	    wm_report__json_set(obj, "shortDescription", text_message(summary)) < 0 ||
	    wm_report__json_set(obj, "fullDescription", text_message(help)) < 0 ||
	    wm_report__json_set(obj, "help", text_message(help)) < 0 ||
	    (r->info &&
		(wm_report__json_set(obj, "defaultConfiguration", config = json_object()) < 0 ||
		 wm_report__json_set(config, "level", json_string(level_name(r->info->severity))) < 0))) {
		json_decref(obj);
		return NULL;
	}
	return obj;
}

static json_t *srcroot_object(const char *repo_root)
{
	wm_buf uri = WM_BUF_INIT;
	json_t *obj = NULL, *base;

	/* file:// + absolute path, with the trailing '/' a base URI needs. */
	if (wm_buf_puts(&uri, "file://") < 0 ||
	    (repo_root[0] != '/' && wm_buf_putc(&uri, '/') < 0) ||
	    uri_encode(&uri, repo_root, true) < 0 ||
	    (uri.ptr[uri.size - 1] != '/' && wm_buf_putc(&uri, '/') < 0))
		goto done;
	if (!(obj = json_object()) ||
	    wm_report__json_set(obj, SRCROOT, base = json_object()) < 0 ||
	    wm_report__json_set(base, "uri", json_stringn(uri.ptr, uri.size)) < 0) {
		json_decref(obj);
		obj = NULL;
	}
done:
	wm_buf_dispose(&uri);
	return obj;
}

static json_t *driver_object(const rule_table *rules, const wm_report_options *opts)
{
	const char *version = opts->tool_version ? opts->tool_version : wm_version();
	json_t *obj = json_object(), *arr;
	bool built = false;
	size_t i;

	if (!obj ||
	    wm_report__json_set(obj, "name", json_string("wm")) < 0 ||
	    wm_report__json_set(obj, "version", wm_report__json_string(version)) < 0 ||
	    wm_report__json_set(obj, "rules", arr = json_array()) < 0)
		goto done;
	for (i = 0; i < rules->count; i++) {
		if (wm_report__json_append(arr, rule_object(&rules->items[i])) < 0)
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

int wm_report__sarif(FILE *out, const wm_scan_result *result, const wm_report_options *opts)
{
	rule_table rules = { NULL, 0, 0 };
	json_t *root = NULL, *runs, *run, *tool, *results, *invocations, *inv;
	size_t i;
	int error;

	if ((error = rules_collect(&rules, result)) < 0)
		goto done;
	if (!(root = json_object())) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = wm_report__json_set(root, "$schema", json_string(SARIF_SCHEMA))) < 0 ||
	    (error = wm_report__json_set(root, "version", json_string("2.1.0"))) < 0 ||
	    (error = wm_report__json_set(root, "runs", runs = json_array())) < 0 ||
	    (error = wm_report__json_append(runs, run = json_object())) < 0 ||
	    (error = wm_report__json_set(run, "tool", tool = json_object())) < 0 ||
	    (error = wm_report__json_set(tool, "driver", driver_object(&rules, opts))) < 0 ||
	    (error = wm_report__json_set(run, "invocations", invocations = json_array())) < 0 ||
	    (error = wm_report__json_append(invocations, inv = json_object())) < 0 ||
	    (error = wm_report__json_set(inv, "executionSuccessful",
		     json_boolean(result->summary.internal_errors == 0))) < 0 ||
	    (opts->repo_root && *opts->repo_root &&
		(error = wm_report__json_set(run, "originalUriBaseIds",
			 srcroot_object(opts->repo_root))) < 0) ||
	    (error = wm_report__json_set(run, "columnKind", json_string("unicodeCodePoints"))) < 0 ||
	    (error = wm_report__json_set(run, "results", results = json_array())) < 0)
		goto done;
	for (i = 0; i < result->findings.count; i++) {
		if ((error = wm_report__json_append(results,
			     result_object(&result->findings.items[i], &rules))) < 0)
			goto done;
	}
	if ((error = wm_report__json_dump(out, root)) < 0)
		goto done;
	error = wm_report__flush(out, "SARIF");
done:
	json_decref(root);
	wm_free(rules.items);
	return error;
}
