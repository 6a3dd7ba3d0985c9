/*
 * learn_mine.c - walking history for fixes, and the learner's state files.
 *
 * The walk follows first parents from HEAD (a merge's second parent is
 * someone else's history, already seen on their branch). A merge on that
 * line is mined as one change, the diff from its first parent
 * (`squash_merges`): in pull-request histories (flask, requests) nearly
 * every fix lands that way, and skipping merges left them almost nothing
 * to learn from. It skips root commits, mass changes (more than max_files files or max_lines lines:
 * reformatting, vendoring, renames), vendored and generated paths.
 *
 * A commit is a fix for a signal when a built-in antibody finding
 * disappears from a file it modifies (the strongest evidence: the rule is
 * the signal, and only edits overlapping the vanished finding carry it), or
 * when its message says so (fix/bug/typo/revert; the keyword class is the
 * signal). Measuring showed why the finding signal runs on the parent and
 * child blobs of changed files only, through the antibody engine directly:
 * both blobs are parsed for extraction anyway, so the rules cost one extra
 * walk of two trees, where a full wm_scan_run per commit would re-read the
 * world and every detector.
 *
 * State lives in `<commondir>/wm/learn/` as JSON lines: edits.jsonl (the
 * extracted edits) and commits.jsonl (every commit looked at, written after
 * its edits). Each line goes out in one write() on an O_APPEND file, so an
 * interrupted run leaves at most one torn last line, which loading ignores;
 * a commit whose line is missing is mined again and its duplicate edits are
 * dropped on load. That is what makes mining resumable without a database.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "learn.h"
#include "wm/alloc.h"
#include "wm/antibody.h"
#include "wm/buf.h"
#include "wm/error.h"

/* Files larger than this are not parsed for edits. */
#define MAX_BLOB (512u * 1024u)

int wm_learn__state_path(wm_buf *out, wm_repo *repo, const char *name)
{
	wm_buf dir = WM_BUF_INIT;
	int error;

	if ((error = wm_buf_printf(&dir, "%swm", wm_repo_commondir(repo))) < 0)
		goto done;
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		error = wm_error_set(WM_ERROR, "%s: %s", dir.ptr, strerror(errno));
		goto done;
	}
	if ((error = wm_buf_puts(&dir, "/learn")) < 0)
		goto done;
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		error = wm_error_set(WM_ERROR, "%s: %s", dir.ptr, strerror(errno));
		goto done;
	}
	error = wm_buf_printf(out, "%s/%s", dir.ptr, name);
done:
	wm_buf_dispose(&dir);
	return error;
}

int wm_learn_reset(wm_repo *repo)
{
	static const char *const names[] = { "edits.jsonl", "commits.jsonl" };
	wm_buf p = WM_BUF_INIT;
	size_t i;
	int error = 0;

	for (i = 0; i < 2 && !error; i++) {
		wm_buf_clear(&p);
		if ((error = wm_learn__state_path(&p, repo, names[i])) < 0)
			break;
		if (unlink(p.ptr) < 0 && errno != ENOENT)
			error = wm_error_set(WM_ERROR, "%s: %s", p.ptr, strerror(errno));
	}
	wm_buf_dispose(&p);
	return error;
}

/* --- JSON lines ------------------------------------------------------------------- */

static json_t *nodes_json(const wm_learn__node *t, uint32_t n)
{
	json_t *a = json_array();
	uint32_t i;

	for (i = 0; a && i < n; i++) {
		json_array_append_new(a, json_integer(t[i].sym));
		json_array_append_new(a, json_integer(t[i].named));
		json_array_append_new(a, json_integer(t[i].start));
		json_array_append_new(a, json_integer(t[i].end));
		json_array_append_new(a, json_integer(t[i].size));
	}
	return a;
}

static int nodes_from(wm_learn__node **out, uint32_t *count, json_t *a)
{
	size_t n = json_array_size(a) / 5, i;
	wm_learn__node *t;

	*out = NULL;
	*count = 0;
	if (n == 0 || !(t = wm_calloc(n, sizeof(*t))))
		return n == 0 ? WM_ERROR : WM_ENOMEM;
	for (i = 0; i < n; i++) {
		t[i].sym = (uint16_t)json_integer_value(json_array_get(a, 5 * i));
		t[i].named = (uint8_t)json_integer_value(json_array_get(a, 5 * i + 1));
		t[i].start = (uint32_t)json_integer_value(json_array_get(a, 5 * i + 2));
		t[i].end = (uint32_t)json_integer_value(json_array_get(a, 5 * i + 3));
		t[i].size = (uint32_t)json_integer_value(json_array_get(a, 5 * i + 4));
		t[i].hole = -1;
		if (t[i].size == 0 || i + t[i].size > n || t[i].start > t[i].end) {
			wm_free(t);
			return WM_ERROR;
		}
	}
	*out = t;
	*count = (uint32_t)n;
	return 0;
}

static int edit_line(wm_buf *out, const wm_learn__edit *e)
{
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:o, s:o, s:s, s:s}",
		"c", e->commit, "t", (json_int_t)e->time, "l", wm_lang_name(e->lang), "s", e->signal,
		"p", e->path, "bs", (int)e->bstart, "be", (int)e->bend, "b", e->before, "a", e->after,
		"bt", nodes_json(e->bt, e->nbt), "at", nodes_json(e->at, e->nat),
		"xb", e->ctx_before, "xa", e->ctx_after);
	char *s;
	int error;

	/* json_pack refuses invalid UTF-8: such an edit is dropped, not an error. */
	if (!o)
		return 0;
	s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		return WM_ENOMEM;
	if (!(error = wm_buf_puts(out, s)))
		error = wm_buf_putc(out, '\n');
	free(s);
	return error;
}

static int edit_from(wm_learn__edit *e, json_t *o)
{
	const char *c = json_string_value(json_object_get(o, "c"));
	int error;

	if (!c || strlen(c) != 40)
		return WM_ERROR;
	memcpy(e->commit, c, 41);
	e->time = json_integer_value(json_object_get(o, "t"));
	e->lang = wm_lang_from_name(json_string_value(json_object_get(o, "l")) ?
		json_string_value(json_object_get(o, "l")) : "");
	e->bstart = (uint32_t)json_integer_value(json_object_get(o, "bs"));
	e->bend = (uint32_t)json_integer_value(json_object_get(o, "be"));
	if (e->lang == WM_LANG_NONE)
		return WM_ERROR;
	if (!(e->signal = wm_strdup(json_string_value(json_object_get(o, "s")))) ||
	    !(e->path = wm_strdup(json_string_value(json_object_get(o, "p")))) ||
	    !(e->before = wm_strdup(json_string_value(json_object_get(o, "b")))) ||
	    !(e->after = wm_strdup(json_string_value(json_object_get(o, "a")))) ||
	    !(e->ctx_before = wm_strdup(json_string_value(json_object_get(o, "xb")))) ||
	    !(e->ctx_after = wm_strdup(json_string_value(json_object_get(o, "xa")))))
		return WM_ERROR;
	if ((error = nodes_from(&e->bt, &e->nbt, json_object_get(o, "bt"))) < 0 ||
	    (error = nodes_from(&e->at, &e->nat, json_object_get(o, "at"))) < 0)
		return error;
	if (e->bt[e->nbt - 1].end > strlen(e->before) || e->at[e->nat - 1].end > strlen(e->after) ||
	    e->bt[0].end > strlen(e->before) || e->at[0].end > strlen(e->after))
		return WM_ERROR;
	return 0;
}

/* Same file, same change: the order in which drop_replayed() meets copies, oldest first. */
static int by_change(const void *pa, const void *pb)
{
	const wm_learn__edit *a = *(wm_learn__edit *const *)pa, *b = *(wm_learn__edit *const *)pb;
	int c;

	if ((c = strcmp(a->path, b->path)) || (c = strcmp(a->before, b->before)) || (c = strcmp(a->after, b->after)))
		return c;
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	return strcmp(a->commit, b->commit);
}

/*
 * The same change to the same file in another commit is a cherry-pick, a
 * rebased copy or a revert re-applied, not a second person making the same
 * fix: libgit2's history has "Fix usage of \"new\" for fieldname" twice,
 * two months apart, and it passed for support 2. Only the oldest copy is
 * kept (the order of `list` is kept too).
 */
static int drop_replayed(wm_learn__edits *list)
{
	wm_learn__edit **order;
	bool *drop;
	size_t i, k;

	if (list->count < 2)
		return 0;
	order = wm_calloc(list->count, sizeof(*order));
	drop = wm_calloc(list->count, sizeof(*drop));
	if (!order || !drop) {
		wm_free(order);
		wm_free(drop);
		return WM_ENOMEM;
	}
	for (i = 0; i < list->count; i++)
		order[i] = &list->items[i];
	qsort(order, list->count, sizeof(*order), by_change);
	for (i = 1; i < list->count; i++)
		if (!strcmp(order[i]->path, order[i - 1]->path) && !strcmp(order[i]->before, order[i - 1]->before) &&
		    !strcmp(order[i]->after, order[i - 1]->after) && strcmp(order[i]->commit, order[i - 1]->commit))
			drop[order[i] - list->items] = true;
	for (i = 0, k = 0; i < list->count; i++) {
		if (drop[i])
			wm_learn__edit_dispose(&list->items[i]);
		else
			list->items[k++] = list->items[i];
	}
	list->count = k;
	wm_free(order);
	wm_free(drop);
	return 0;
}

int wm_learn__load_edits(wm_learn__edits *out, wm_repo *repo, int64_t until)
{
	wm_buf path = WM_BUF_INIT;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0, i, k;
	ssize_t len;
	int error;

	if ((error = wm_learn__state_path(&path, repo, "edits.jsonl")) < 0)
		goto done;
	if (!(f = fopen(path.ptr, "rb")))
		goto done; /* nothing mined yet */
	while ((len = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		wm_learn__edit *e;

		if (!o)
			continue; /* a torn last line */
		if (until && json_integer_value(json_object_get(o, "t")) >= until) {
			json_decref(o);
			continue;
		}
		if (!(e = wm_learn__edits_push(out))) {
			json_decref(o);
			error = WM_ENOMEM;
			goto done;
		}
		if (edit_from(e, o) < 0) {
			wm_learn__edit_dispose(e);
			out->count--;
		}
		json_decref(o);
	}
	/* A commit mined twice (interrupted before its commit line) gave duplicates. */
	if (out->count) {
		qsort(out->items, out->count, sizeof(*out->items), wm_learn__edit_cmp);
		for (i = 1, k = 1; i < out->count; i++) {
			if (!wm_learn__edit_cmp(&out->items[i], &out->items[k - 1]))
				wm_learn__edit_dispose(&out->items[i]);
			else
				out->items[k++] = out->items[i];
		}
		out->count = k;
		error = drop_replayed(out);
	}
done:
	if (f)
		fclose(f);
	free(line);
	wm_buf_dispose(&path);
	return error;
}

/* Append one buffer in one write: a torn line is possible only at the very end. */
static int append(const char *path, const wm_buf *b)
{
	int fd;
	ssize_t w;
	int error = 0;

	if (!b->size)
		return 0;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0666)) < 0)
		return wm_error_set(WM_ERROR, "%s: %s", path, strerror(errno));
	w = write(fd, b->ptr, b->size);
	if (w < 0 || (size_t)w != b->size)
		error = wm_error_set(WM_ERROR, "%s: write failed", path);
	close(fd);
	return error;
}

/* --- mined commits ----------------------------------------------------------------- */

typedef struct seen {
	char (*ids)[41];
	size_t count, alloc;
} seen;

static int cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int load_seen(seen *s, const char *path, size_t *fixes)
{
	FILE *f = fopen(path, "rb");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int error = 0;

	if (!f)
		return 0;
	while ((len = getline(&line, &cap, f)) > 0) {
		json_t *o = json_loadb(line, (size_t)len, 0, NULL);
		const char *c = o ? json_string_value(json_object_get(o, "c")) : NULL;

		if (c && strlen(c) == 40) {
			if (s->count == s->alloc) {
				size_t a = s->alloc ? s->alloc * 2 : 1024;
				char (*grown)[41] = wm_reallocarray(s->ids, a, sizeof(*grown));

				if (!grown) {
					json_decref(o);
					error = WM_ENOMEM;
					break;
				}
				s->ids = grown;
				s->alloc = a;
			}
			memcpy(s->ids[s->count++], c, 41);
			*fixes += json_is_true(json_object_get(o, "f"));
		}
		json_decref(o);
	}
	free(line);
	fclose(f);
	if (s->count)
		qsort(s->ids, s->count, sizeof(*s->ids), cmp_id);
	return error;
}

static bool is_seen(const seen *s, const char *id)
{
	return s->count && bsearch(id, s->ids, s->count, sizeof(*s->ids), cmp_id) != NULL;
}

/* --- one commit ---------------------------------------------------------------------- */

bool wm_learn__vendored(const char *path)
{
	static const char *const dirs[] = { "vendor/", "vendored/", "third_party/", "thirdparty/",
		"third-party/", "node_modules/", "dist/", "build/", "external/", "deps/", NULL };
	size_t i, n = strlen(path);

	for (i = 0; dirs[i]; i++) {
		const char *p = strstr(path, dirs[i]);

		if (p && (p == path || p[-1] == '/'))
			return true;
	}
	return (n > 7 && !strcmp(path + n - 7, ".min.js")) || strstr(path, "_pb2.py") ||
		(n > 5 && !strcmp(path + n - 5, ".pb.c")) || strstr(path, ".generated.");
}

static bool generated(const char *data, size_t size)
{
	size_t n = size < 1024 ? size : 1024;
	static const char *const marks[] = { "@generated", "DO NOT EDIT", "Code generated", "autogenerated", NULL };
	size_t i, k;

	for (i = 0; marks[i]; i++) {
		size_t m = strlen(marks[i]);

		for (k = 0; k + m <= n; k++)
			if (!memcmp(data + k, marks[i], m))
				return true;
	}
	return false;
}

static bool learnable(wm_lang lang)
{
	return lang != WM_LANG_NONE && lang != WM_LANG_JSON && lang != WM_LANG_TOML;
}

typedef struct miner {
	wm_repo *repo;
	git_repository *git;
	const wm_learn_options *opts;
	wm_antibodies *builtin;
	const seen *done;          /* commits mined by earlier runs */
	uint32_t ignore_tools;     /* tool names that name this project (wm_learn__keyword) */
	wm_learn__edits edits;     /* of the current commit */
	wm_buf lines;              /* edits.jsonl lines of the current commit */
	wm_buf branch_lines;       /* commits.jsonl lines of a merge's branch commits */
	size_t branch_fixes;       /* fixes among them */
} miner;

typedef struct hunk_acc {
	wm_learn__hunk *items;
	size_t count, alloc;
} hunk_acc;

/* Count the matches of each rule: the signal is a count that went down. */
static int count_rules(size_t *counts, wm_antibody_matches *m, const wm_antibodies *set, wm_lang lang,
	TSTree *tree, const char *src)
{
	size_t i;
	int error;

	m->count = 0;
	if ((error = wm_antibodies_scan(m, set, lang, ts_tree_root_node(tree), src, SIZE_MAX)) < 0)
		return error;
	for (i = 0; i < m->count; i++)
		counts[m->items[i].rule]++;
	return 0;
}

static int mine_file(miner *mn, const git_diff_delta *d, const char *keyword, const char *commit,
	int64_t when, bool *fix)
{
	git_blob *ob = NULL, *nb = NULL;
	git_patch *patch = NULL;
	TSTree *ot = NULL, *nt = NULL;
	wm_antibody_matches om = WM_ANTIBODY_MATCHES_INIT, nm = WM_ANTIBODY_MATCHES_INIT;
	size_t *oc = NULL, *nc = NULL, nrules = 0, i, k, first;
	hunk_acc hunks = { NULL, 0, 0 };
	git_diff_options dopts;
	const char *od, *nd;
	size_t os, ns;
	wm_lang lang;
	int error = 0;

	if (d->status != GIT_DELTA_MODIFIED || wm_learn__vendored(d->new_file.path))
		return 0;
	lang = wm_syntax_detect(d->new_file.path, NULL, 0);
	if (!learnable(lang))
		return 0;
	if (git_blob_lookup(&ob, mn->git, &d->old_file.id) < 0 ||
	    git_blob_lookup(&nb, mn->git, &d->new_file.id) < 0)
		goto done; /* a shallow or partial clone: nothing to learn here */
	od = git_blob_rawcontent(ob);
	nd = git_blob_rawcontent(nb);
	os = (size_t)git_blob_rawsize(ob);
	ns = (size_t)git_blob_rawsize(nb);
	if (os > MAX_BLOB || ns > MAX_BLOB || wm_syntax_is_binary(od, os) || wm_syntax_is_binary(nd, ns) ||
	    generated(od, os))
		goto done;
	git_diff_options_init(&dopts, GIT_DIFF_OPTIONS_VERSION);
	dopts.context_lines = 0;
	if (git_patch_from_blobs(&patch, ob, d->old_file.path, nb, d->new_file.path, &dopts) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", d->new_file.path, git_error_last()->message);
		goto done;
	}
	for (i = 0; i < git_patch_num_hunks(patch); i++) {
		const git_diff_hunk *h;
		size_t lines;

		if (git_patch_get_hunk(&h, &lines, patch, i) < 0)
			continue;
		if (hunks.count == hunks.alloc) {
			size_t a = hunks.alloc ? hunks.alloc * 2 : 8;
			wm_learn__hunk *grown = wm_reallocarray(hunks.items, a, sizeof(*grown));

			if (!grown) {
				error = WM_ENOMEM;
				goto done;
			}
			hunks.items = grown;
			hunks.alloc = a;
		}
		hunks.items[hunks.count].old_start = (uint32_t)h->old_start;
		hunks.items[hunks.count].old_lines = (uint32_t)h->old_lines;
		hunks.items[hunks.count].new_start = (uint32_t)h->new_start;
		hunks.items[hunks.count].new_lines = (uint32_t)h->new_lines;
		hunks.count++;
	}
	if (!hunks.count)
		goto done;
	/* A file that does not parse teaches nothing; skip it quietly. */
	if (wm_syntax_parse(&ot, lang, od, os) < 0 || wm_syntax_parse(&nt, lang, nd, ns) < 0) {
		wm_error_clear();
		goto done;
	}
	first = mn->edits.count;
	if ((error = wm_learn__extract(&mn->edits, lang, od, os, ot, nd, ns, nt, hunks.items, hunks.count,
			mn->opts)) < 0)
		goto done;
	if (first == mn->edits.count)
		goto done;
	if (mn->builtin) {
		nrules = wm_antibodies_count(mn->builtin);
		if (!(oc = wm_calloc(nrules + 1, sizeof(size_t))) || !(nc = wm_calloc(nrules + 1, sizeof(size_t)))) {
			error = WM_ENOMEM;
			goto done;
		}
		if ((error = count_rules(oc, &om, mn->builtin, lang, ot, od)) < 0 ||
		    (error = count_rules(nc, &nm, mn->builtin, lang, nt, nd)) < 0)
			goto done;
	}
	for (k = first; k < mn->edits.count; k++) {
		wm_learn__edit *e = &mn->edits.items[k];
		wm_buf sig = WM_BUF_INIT;

		for (i = 0; i < om.count; i++) {
			const wm_antibody_match *m = &om.items[i];

			if (m->start_byte < e->bend && m->end_byte > e->bstart && nc[m->rule] < oc[m->rule]) {
				error = wm_buf_printf(&sig, "finding:%s", wm_antibodies_info(mn->builtin, m->rule)->id);
				break;
			}
		}
		if (!error && !sig.size && keyword)
			error = wm_buf_printf(&sig, "keyword:%s", keyword);
		if (error < 0) {
			wm_buf_dispose(&sig);
			goto done;
		}
		if (sig.size) {
			memcpy(e->commit, commit, 41);
			e->time = when;
			e->signal = wm_buf_detach(&sig);
			if (!(e->path = wm_strdup(d->new_file.path))) {
				error = WM_ENOMEM;
				goto done;
			}
			if ((error = edit_line(&mn->lines, e)) < 0)
				goto done;
			*fix = true;
		}
		wm_buf_dispose(&sig);
	}
done:
	wm_antibody_matches_dispose(&om);
	wm_antibody_matches_dispose(&nm);
	wm_free(oc);
	wm_free(nc);
	wm_free(hunks.items);
	if (ot)
		ts_tree_delete(ot);
	if (nt)
		ts_tree_delete(nt);
	git_patch_free(patch);
	git_blob_free(ob);
	git_blob_free(nb);
	return error;
}

/*
 * Mine the diff parent -> c as one change. 1 when it is a mass change
 * (skipped, counted), 0 when mined, or an error.
 */
static int mine_change(miner *mn, git_commit *c, git_commit *parent, const char *keyword,
	wm_learn_mine_stats *st, bool *fix)
{
	git_tree *ot = NULL, *nt = NULL;
	git_diff *diff = NULL;
	git_diff_stats *stats = NULL;
	char hex[41];
	size_t i, nd;
	int error = 0;

	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if (git_commit_tree(&ot, parent) < 0 || git_commit_tree(&nt, c) < 0 ||
	    git_diff_tree_to_tree(&diff, mn->git, ot, nt, NULL) < 0 || git_diff_get_stats(&stats, diff) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", hex, git_error_last()->message);
		goto done;
	}
	nd = git_diff_num_deltas(diff);
	if (nd > mn->opts->max_files ||
	    git_diff_stats_insertions(stats) + git_diff_stats_deletions(stats) > mn->opts->max_lines) {
		st->skipped_mass++;
		error = 1;
		goto done;
	}
	for (i = 0; i < nd && !error; i++)
		error = mine_file(mn, git_diff_get_delta(diff, i), keyword, hex, (int64_t)git_commit_time(c), fix);
done:
	git_diff_stats_free(stats);
	git_diff_free(diff);
	git_tree_free(ot);
	git_tree_free(nt);
	return error;
}

/* A merge's branch commits walked into per merge at most: a subtree merge of foreign history is not a PR. */
#define MAX_BRANCH_COMMITS 1000

/* commits.jsonl: one line per commit looked at. */
static int commit_line(wm_buf *out, const char *hex, git_commit *c, bool fix)
{
	return wm_buf_printf(out, "{\"c\":\"%s\",\"t\":%lld,\"f\":%s}\n", hex, (long long)git_commit_time(c),
		fix ? "true" : "false");
}

static int mine_commit(miner *mn, git_commit *c, const char *fallback_keyword, wm_learn_mine_stats *st,
	bool *fix);

/*
 * A merge too big to be one change (a pull request of many commits, a
 * release branch) is walked into: the commits it brought in, those
 * reachable from its second parent and not its first, are mined one by
 * one, oldest first, each with its own message (or the merge's, the pull
 * request's title, when its own names no fix). Merges among them are not
 * mined: their changes are those of the commits walked. Their
 * commits.jsonl lines go out with the merge's, so an interrupted run
 * repeats the whole merge.
 */
static int descend(miner *mn, git_commit *merge, const char *merge_keyword, wm_learn_mine_stats *st)
{
	git_revwalk *walk = NULL;
	git_oid oid;
	size_t n = 0;
	int error = 0;

	if (git_revwalk_new(&walk, mn->git) < 0 || git_revwalk_push(walk, git_commit_parent_id(merge, 1)) < 0 ||
	    git_revwalk_hide(walk, git_commit_parent_id(merge, 0)) < 0) {
		error = wm_error_set(WM_EREPO, "merge: %s", git_error_last()->message);
		goto done;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	st->descended++;
	while (!error && n < MAX_BRANCH_COMMITS && git_revwalk_next(&oid, walk) == 0) {
		git_commit *c = NULL;
		char hex[41];
		bool fix = false;

		git_oid_tostr(hex, sizeof(hex), &oid);
		if (is_seen(mn->done, hex))
			continue;
		if (git_commit_lookup(&c, mn->git, &oid) < 0) {
			error = wm_error_set(WM_EREPO, "%s: %s", hex, git_error_last()->message);
			break;
		}
		n++;
		if (git_commit_parentcount(c) == 1) {
			error = mine_commit(mn, c, merge_keyword, st, &fix);
			st->branch_commits++;
		}
		if (!error)
			error = commit_line(&mn->branch_lines, hex, c, fix);
		mn->branch_fixes += fix;
		git_commit_free(c);
	}
done:
	git_revwalk_free(walk);
	return error;
}

/* `fallback_keyword`: the signal when the message names none (a commit inside a merge walked into). */
static int mine_commit(miner *mn, git_commit *c, const char *fallback_keyword, wm_learn_mine_stats *st,
	bool *fix)
{
	git_commit *parent = NULL;
	const char *keyword;
	char hex[41];
	bool merge = git_commit_parentcount(c) > 1;
	int error = 0;

	*fix = false;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	/* A squashed merge is the diff from its first parent: everything the PR brought in. */
	if (git_commit_parentcount(c) == 0 || (merge && !mn->opts->squash_merges)) {
		st->skipped_merges += merge;
		return 0;
	}
	keyword = mn->opts->keywords ? wm_learn__keyword(git_commit_message(c), mn->ignore_tools) : NULL;
	if (!keyword)
		keyword = fallback_keyword;
	if (!keyword && !mn->builtin && !(merge && mn->opts->descend_merges))
		return 0;
	if (git_commit_parent(&parent, c, 0) < 0) {
		error = wm_error_set(WM_EREPO, "%s: %s", hex, git_error_last()->message);
		goto done;
	}
	/* A merge with no signal of its own is still diffed: over the limits, its commits may name fixes. */
	error = mine_change(mn, c, parent, keyword, st, fix);
	if (error == 1 && merge && mn->opts->descend_merges) {
		st->skipped_mass--; /* not skipped after all */
		error = descend(mn, c, keyword, st);
	}
	if (error > 0)
		error = 0;
done:
	git_commit_free(parent);
	return error;
}

/*
 * Tool names (eslint, pylint, ...) in more than a tenth of the messages
 * name the project, not a warning it fixed: in eslint's repository the
 * word is in every "eslint:recommended" commit. Messages only: cheap next
 * to mining.
 */
static int project_tools(uint32_t *out, git_repository *git, const git_oid *oids, size_t n)
{
	size_t counts[32] = { 0 }, i, b;

	*out = 0;
	for (i = 0; i < n; i++) {
		git_commit *c = NULL;
		uint32_t bits;

		if (git_commit_lookup(&c, git, &oids[i]) < 0)
			return wm_error_set(WM_EREPO, "history: %s", git_error_last()->message);
		bits = wm_learn__keyword_tools(git_commit_message(c));
		git_commit_free(c);
		for (b = 0; b < 32; b++)
			counts[b] += (bits >> b) & 1u;
	}
	for (b = 0; b < 32; b++)
		if (counts[b] * 10 > n)
			*out |= 1u << b;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int wm_learn_mine(wm_learn_mine_stats *out, wm_repo *repo, const wm_learn_options *opts)
{
	miner mn;
	seen done_ = { NULL, 0, 0 };
	git_revwalk *walk = NULL;
	git_oid *oids = NULL, oid;
	size_t n = 0, alloc = 0, i, mined = 0;
	wm_buf epath = WM_BUF_INIT, cpath = WM_BUF_INIT, cline = WM_BUF_INIT;
	double t0 = now();
	int error;

	memset(out, 0, sizeof(*out));
	memset(&mn, 0, sizeof(mn));
	mn.repo = repo;
	mn.git = wm_repo_git(repo);
	mn.opts = opts;
	mn.done = &done_;
	if ((error = wm_learn__state_path(&epath, repo, "edits.jsonl")) < 0 ||
	    (error = wm_learn__state_path(&cpath, repo, "commits.jsonl")) < 0 ||
	    (error = load_seen(&done_, cpath.ptr, &out->progress.fixes)) < 0)
		goto done;
	if (opts->findings && ((error = wm_antibodies_new(&mn.builtin)) < 0 ||
	    (error = wm_antibodies_load_builtin(mn.builtin)) < 0))
		goto done;
	if (!wm_repo_has_head(repo))
		goto done;
	if (git_revwalk_new(&walk, mn.git) < 0 || git_revwalk_push_head(walk) < 0) {
		error = wm_error_set(WM_EREPO, "history: %s", git_error_last()->message);
		goto done;
	}
	git_revwalk_simplify_first_parent(walk);
	while (git_revwalk_next(&oid, walk) == 0) {
		if (n == alloc) {
			size_t a = alloc ? alloc * 2 : 1024;
			git_oid *grown = wm_reallocarray(oids, a, sizeof(*grown));

			if (!grown) {
				error = WM_ENOMEM;
				goto done;
			}
			oids = grown;
			alloc = a;
		}
		oids[n++] = oid;
	}
	out->progress.total = n;
	out->progress.done = 0;
	for (i = 0; i < n; i++) {
		char hex[41];

		git_oid_tostr(hex, sizeof(hex), &oids[i]);
		if (is_seen(&done_, hex))
			out->progress.done++;
	}
	/* Read every message only when something is left to mine (eval resumes an up-to-date state). */
	if (opts->keywords && out->progress.done < n &&
	    (error = project_tools(&mn.ignore_tools, mn.git, oids, n)) < 0)
		goto done;
	for (i = 0; i < n; i++) {
		git_commit *c = NULL;
		char hex[41];
		bool fix = false;

		git_oid_tostr(hex, sizeof(hex), &oids[i]);
		if (is_seen(&done_, hex))
			continue;
		if (opts->max_commits && mined >= opts->max_commits) {
			out->interrupted = true;
			break;
		}
		if (git_commit_lookup(&c, mn.git, &oids[i]) < 0) {
			error = wm_error_set(WM_EREPO, "%s: %s", hex, git_error_last()->message);
			goto done;
		}
		wm_buf_clear(&mn.lines);
		wm_buf_clear(&mn.branch_lines);
		mn.branch_fixes = 0;
		wm_learn__edits_dispose(&mn.edits);
		error = mine_commit(&mn, c, NULL, out, &fix);
		wm_buf_clear(&cline);
		/* A merge walked into: its branch commits' lines, then its own. */
		if (!error && mn.branch_lines.size)
			error = wm_buf_put(&cline, mn.branch_lines.ptr, mn.branch_lines.size);
		if (!error)
			error = commit_line(&cline, hex, c, fix);
		git_commit_free(c);
		/* Edits first, then the commit: a crash between the two only repeats work. */
		if (error < 0 || (error = append(epath.ptr, &mn.lines)) < 0 ||
		    (error = append(cpath.ptr, &cline)) < 0)
			goto done;
		mined++;
		out->progress.done++;
		out->progress.fixes += fix + mn.branch_fixes;
		for (size_t k = 0; k < mn.edits.count; k++)
			out->progress.edits += mn.edits.items[k].signal != NULL;
		out->progress.elapsed = now() - t0;
		if (opts->progress && opts->progress(&out->progress, opts->payload)) {
			out->interrupted = i + 1 < n;
			break;
		}
	}
	out->progress.elapsed = now() - t0;
done:
	wm_learn__edits_dispose(&mn.edits);
	wm_buf_dispose(&mn.lines);
	wm_buf_dispose(&mn.branch_lines);
	wm_antibodies_free(mn.builtin);
	git_revwalk_free(walk);
	wm_free(oids);
	wm_free(done_.ids);
	wm_buf_dispose(&epath);
	wm_buf_dispose(&cpath);
	wm_buf_dispose(&cline);
	return error;
}
