/*
 * baseline.c - record today's findings so the gate fails only on new ones.
 *
 * A finding's identity in the baseline is (rule, path, fingerprint), where
 * the fingerprint hashes the text of the finding's line with surrounding
 * whitespace trimmed: line numbers change whenever code above moves, the
 * offending line itself rarely does. The same identity may occur several
 * times (the same mistake on two identical lines), so entries carry a
 * count and each baseline entry absorbs at most that many findings: a
 * third copy of a known mistake is new.
 *
 * Findings without a line (repository-wide ones) fingerprint their message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "fix.h"
#include "wm/alloc.h"
#include "wm/baseline.h"
#include "wm/buf.h"
#include "wm/error.h"

typedef struct entry {
	char *rule;
	char *path;      /* "" for repository-wide findings */
	char fingerprint[17];
	size_t count;
} entry;

struct wm_baseline {
	entry *entries;
	size_t count;
};

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

/* The fingerprint of a finding: its rule and the trimmed text of its line. */
static void fingerprint(char out[17], wm_scan_result *result, const wm_finding *f)
{
	const char *data = NULL, *s, *e, *end;
	size_t size = 0;
	uint64_t h = 1469598103934665603ull;
	uint32_t line;

	h = fnv1a(h, f->rule ? f->rule : "", f->rule ? strlen(f->rule) : 0);
	if (f->path && f->line && wm_scan_result_read(result, f->path, &data, &size) == 0) {
		end = data + size;
		for (s = data, line = 1; line < f->line && s < end; s++)
			if (*s == '\n')
				line++;
		for (e = s; e < end && *e != '\n'; e++)
			;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			e--;
		h = fnv1a(h, "\n", 1);
		h = fnv1a(h, s, (size_t)(e - s));
	} else if (f->message) {
		h = fnv1a(h, "\n", 1);
		h = fnv1a(h, f->message, strlen(f->message));
	}
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

static int entry_cmp(const void *pa, const void *pb)
{
	const entry *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->path, b->path)) || (c = strcmp(a->rule, b->rule)))
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

static entry *find(const wm_baseline *b, const char *rule, const char *path, const char *fp)
{
	entry key;

	key.rule = (char *)rule;
	key.path = (char *)path;
	memcpy(key.fingerprint, fp, sizeof(key.fingerprint));
	return b->count ? bsearch(&key, b->entries, b->count, sizeof(*b->entries), entry_cmp) : NULL;
}

static int add(wm_baseline *b, size_t *alloc, const char *rule, const char *path, const char *fp,
	size_t count)
{
	entry *e;

	if (b->count == *alloc) {
		size_t n = *alloc ? *alloc * 2 : 32;
		entry *grown = wm_reallocarray(b->entries, n, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		b->entries = grown;
		*alloc = n;
	}
	e = &b->entries[b->count];
	memset(e, 0, sizeof(*e));
	memcpy(e->fingerprint, fp, sizeof(e->fingerprint));
	e->fingerprint[16] = '\0';
	e->count = count;
	if (!(e->rule = wm_strdup(rule)) || !(e->path = wm_strdup(path))) {
		wm_free(e->rule);
		return WM_ENOMEM;
	}
	b->count++;
	return 0;
}

/* Sort, then fold equal identities into one entry with their counts added. */
static void fold(wm_baseline *b)
{
	size_t i, kept = 0;

	if (b->count)
		qsort(b->entries, b->count, sizeof(*b->entries), entry_cmp);
	for (i = 0; i < b->count; i++) {
		if (kept && !entry_cmp(&b->entries[kept - 1], &b->entries[i])) {
			b->entries[kept - 1].count += b->entries[i].count;
			wm_free(b->entries[i].rule);
			wm_free(b->entries[i].path);
			continue;
		}
		b->entries[kept++] = b->entries[i];
	}
	b->count = kept;
}

int wm_baseline_write(size_t *count_out, wm_repo *repo, wm_scan_result *result)
{
	wm_baseline b = { NULL, 0 };
	json_t *root = NULL, *list;
	char *text = NULL, fp[17];
	const char *workdir = wm_repo_workdir(repo);
	size_t alloc = 0, i;
	int error = 0;

	*count_out = 0;
	if (!workdir) {
		error = wm_error_set(WM_EUSAGE, "a baseline needs a working tree; this repository is bare");
		goto done;
	}
	for (i = 0; i < result->findings.count; i++) {
		const wm_finding *f = &result->findings.items[i];

		fingerprint(fp, result, f);
		if ((error = add(&b, &alloc, f->rule ? f->rule : "", f->path ? f->path : "", fp, 1)) < 0)
			goto done;
	}
	fold(&b);
	if (!(root = json_pack("{s:i, s:[]}", "version", 1, "findings"))) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	list = json_object_get(root, "findings");
	for (i = 0; i < b.count; i++) {
		if (json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:I}", "rule", b.entries[i].rule,
				"path", b.entries[i].path, "fingerprint", b.entries[i].fingerprint,
				"count", (json_int_t)b.entries[i].count)) < 0) {
			error = wm_error_set(WM_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (!(text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER))) {
		error = wm_error_set(WM_ENOMEM, "out of memory");
		goto done;
	}
	{
		wm_buf dir = WM_BUF_INIT, body = WM_BUF_INIT, tmp = WM_BUF_INIT;

		/* .wm/ may not exist yet; it is inside the working tree by construction. */
		if ((error = wm_buf_printf(&dir, "%s.wm", workdir)) == 0 &&
		    (error = wm_buf_printf(&body, "%s\n", text)) == 0 &&
		    (error = wm_fix__tmpdir(&tmp, repo)) == 0) {
			mkdir(dir.ptr, 0755);
			error = wm_fix__write_worktree(workdir, tmp.ptr, WM_BASELINE_PATH, body.ptr, body.size, 0644);
		}
		wm_buf_dispose(&dir);
		wm_buf_dispose(&body);
		wm_buf_dispose(&tmp);
		if (error < 0)
			goto done;
	}
	*count_out = result->findings.count;
done:
	json_decref(root);
	free(text);
	for (i = 0; i < b.count; i++) {
		wm_free(b.entries[i].rule);
		wm_free(b.entries[i].path);
	}
	wm_free(b.entries);
	return error;
}

int wm_baseline_load(wm_baseline **out, const char *path)
{
	wm_baseline *b = NULL;
	json_error_t jerr;
	json_t *root = NULL, *list, *item;
	size_t alloc = 0, i;
	int error = 0;

	*out = NULL;
	if (!(root = json_load_file(path, 0, &jerr))) {
		if (jerr.line == -1 && strstr(jerr.text, "unable to open"))
			error = wm_error_set(WM_ENOTFOUND, "%s: no baseline", path);
		else
			error = wm_error_set(WM_EPARSE, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		goto done;
	}
	if (!(list = json_object_get(root, "findings")) || !json_is_array(list)) {
		error = wm_error_set(WM_EPARSE, "%s:1:1: a baseline is an object with a \"findings\" list", path);
		goto done;
	}
	if (!(b = wm_calloc(1, sizeof(*b)))) {
		error = WM_ENOMEM;
		goto done;
	}
	json_array_foreach(list, i, item) {
		const char *rule, *fpath, *fp;
		json_int_t count = 1;

		if (json_unpack(item, "{s:s, s:s, s:s, s?:I}", "rule", &rule, "path", &fpath,
				"fingerprint", &fp, "count", &count) < 0 || strlen(fp) != 16 || count < 1) {
			error = wm_error_set(WM_EPARSE, "%s: finding %zu of the baseline is malformed", path, i + 1);
			goto done;
		}
		if ((error = add(b, &alloc, rule, fpath, fp, (size_t)count)) < 0)
			goto done;
	}
	fold(b);
	*out = b;
	b = NULL;
done:
	json_decref(root);
	wm_baseline_free(b);
	return error;
}

int wm_baseline_filter(size_t *dropped_out, const wm_baseline *baseline, wm_scan_result *result)
{
	size_t *left = NULL, i, kept = 0, dropped = 0;
	char fp[17];

	*dropped_out = 0;
	if (!baseline->count)
		return 0;
	if (!(left = wm_calloc(baseline->count, sizeof(*left))))
		return WM_ENOMEM;
	for (i = 0; i < baseline->count; i++)
		left[i] = baseline->entries[i].count;
	for (i = 0; i < result->findings.count; i++) {
		wm_finding *f = &result->findings.items[i];
		entry *e;

		fingerprint(fp, result, f);
		e = find(baseline, f->rule ? f->rule : "", f->path ? f->path : "", fp);
		if (e && left[e - baseline->entries] > 0) {
			left[e - baseline->entries]--;
			result->summary.by_severity[f->severity]--;
			wm_finding_clear(f);
			dropped++;
			continue;
		}
		result->findings.items[kept++] = *f;
	}
	result->findings.count = kept;
	result->summary.findings = kept;
	wm_free(left);
	*dropped_out = dropped;
	return 0;
}

void wm_baseline_free(wm_baseline *baseline)
{
	size_t i;

	if (!baseline)
		return;
	for (i = 0; i < baseline->count; i++) {
		wm_free(baseline->entries[i].rule);
		wm_free(baseline->entries[i].path);
	}
	wm_free(baseline->entries);
	wm_free(baseline);
}
