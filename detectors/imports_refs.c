/*
 * imports_refs.c - the reverse import index: which files may import what
 * this run changed.
 *
 * A dependent of a run is an unchanged file with an import that names a
 * module the run changed, renamed or deleted. Every such import spells
 * the module's file name without its extension (`app.utils`, `./Button`,
 * `"util/str.h"`, `mod parser;`) or, for a package, its directory's name
 * (`app/__init__.py`, `components/index.ts`, a Go package): its "stem".
 * So the module references of each file, split into words at `/ . : \`,
 * are a reverse index: the files having a word equal to a changed stem
 * are the few worth a full check, and only those are parsed for it.
 *
 * A file's references are a pure function of (language, content), so
 * they are kept between runs in a blob cache (wm/blobcache.h,
 * `<commondir>/wm/cache/imports.sqlite`) keyed by (language, blob oid).
 * A warm run reads no blob of an unchanged file at all: one indexed
 * lookup per file replaces reading and searching every blob of the
 * repository, which is what it did before the cache. A cold run parses
 * every file once to fill it. The cache's context names IMP_REFS_FORMAT,
 * the wm version and a hash of the extractors' sources and the grammar
 * lockfile (WM_IMPORTS_SOURCES_ID, from CMake), since the references
 * depend on the extractors and the grammars built into this wm, and a
 * development build keeps its version; no configuration changes them
 * (paths.max_file_size is applied before the cache is asked, and an
 * over-size file is neither cached nor a dependent). Its size is bounded
 * at a few times the world's file count (wm/blobcache.h prunes to the
 * rows one run uses), so it stays near one world's worth of facts.
 *
 * Files without a blob oid (a working-tree world that has not read them
 * yet) are read first: reading hashes them, and the hash is the key. The
 * read is cheap next to the parse the cache saves.
 *
 * The cache is an optimisation only: if it cannot be opened, read or
 * written (corrupt, locked past a short timeout, read-only, another
 * version), the run computes what it lacks and finds the same dependents.
 * WM_IMPORTS_CACHE=off runs without the file; WM_IMPORTS_CACHE=scan
 * keeps the older byte search (a file may import `x` only if its bytes
 * contain "x"), for comparison and benchmarks.
 */
#include <stdlib.h>
#include <string.h>

#include "imports.h"

#ifndef WM_IMPORTS_SOURCES_ID
#define WM_IMPORTS_SOURCES_ID "unknown"
#endif

enum mode { MODE_CACHE, MODE_OFF, MODE_SCAN };

struct imp_refs {
	imp_index *idx;
	enum mode mode;
	wm_blobcache *cache;    /* NULL when off or unavailable */
	imp_map stems;
	wm_buf refs;            /* scratch: one file's references */
	size_t lookups, hits;   /* this run, also without a cache */
};

int imp_refs_changed_stems(imp_map *stems, const imp_index *idx)
{
	size_t i;
	int error = 0;

	for (i = 0; i < idx->changed.cap && !error; i++) {
		const char *p = idx->changed.keys[i], *base, *dot;
		wm_lang lang = WM_LANG_NONE;
		size_t bl;

		if (!p)
			continue;
		lang = wm_syntax_detect(p, NULL, 0);
		if (lang != WM_LANG_PYTHON && lang != WM_LANG_JAVASCRIPT && lang != WM_LANG_TYPESCRIPT &&
		    lang != WM_LANG_TSX && !imp_native_lang(lang))
			continue;
		base = strrchr(p, '/');
		base = base ? base + 1 : p;
		dot = strchr(base, '.');
		bl = dot ? (size_t)(dot - base) : strlen(base);
		if (lang == WM_LANG_GO && base != p) {
			/* Go imports name the package's directory, not its files */
			const char *end = base - 1, *start = end;

			while (start > p && start[-1] != '/')
				start--;
			error = imp_map_put(stems, start, (size_t)(end - start), (void *)1);
		} else if ((bl == 8 && !memcmp(base, "__init__", 8)) || (bl == 5 && !memcmp(base, "index", 5)) ||
		    (lang == WM_LANG_RUST && bl == 3 && !memcmp(base, "mod", 3))) {
			/* a package is imported by its directory's name */
			const char *end = base - 1, *start = end;

			if (base == p)
				continue;
			while (start > p && start[-1] != '/')
				start--;
			error = imp_map_put(stems, start, (size_t)(end - start), (void *)1);
		} else {
			error = imp_map_put(stems, base, bl, (void *)1);
		}
	}
	return error;
}

static int put_ref(wm_buf *out, unsigned dots, const char *a, const char *sep, const char *b)
{
	unsigned i;
	int error = 0;

	for (i = 0; i < dots && !error; i++)
		error = wm_buf_putc(out, '.');
	if (!error && a)
		error = wm_buf_puts(out, a);
	if (!error && b)
		error = wm_buf_printf(out, "%s%s", *a ? sep : "", b);
	return error ? error : wm_buf_putc(out, '\n');
}

int imp_refs_of(wm_buf *out, const imp_info *info)
{
	size_t i, k;
	int error = 0;

	wm_buf_clear(out);
	for (i = 0; info && i < info->nimports && !error; i++) {
		const imp_stmt *s = &info->imports[i];
		unsigned dots = s->kind == IMP_IMPORT || s->kind == IMP_FROM ? s->level : 0;

		if ((error = put_ref(out, dots, s->module, "", NULL)) < 0)
			break;
		/* `from m import n` may import the submodule m.n */
		for (k = 0; s->kind == IMP_FROM && k < s->nnames && !error; k++)
			error = put_ref(out, dots, s->module, ".", s->names[k].name);
		/* `#[path = "..."] mod x;` names its file */
		if (!error && s->kind == IMP_RUST_MOD && s->alias && *s->alias)
			error = put_ref(out, 0, s->alias, "", NULL);
	}
	/* an empty file list is a valid value: the buffer must exist */
	return error ? error : wm_buf_puts(out, "");
}

static bool is_sep(char c)
{
	return c == '/' || c == '.' || c == ':' || c == '\\' || c == '\n';
}

/*
 * A reference that starts with dots is relative to the importing file:
 * `from . import x` (or JS `import ".."`) names the package it sits in,
 * whose `__init__.py` or index file may be what changed, yet the package's
 * name is not written anywhere. With N dots the package is the file's
 * directory, N - 1 levels up (Python's rule; for JS `..` it is one level
 * up as well). Naming one directory too many only costs a parse.
 */
static bool names_package(const char *line, size_t n, const char *path, const imp_map *stems)
{
	size_t dots = 0, end = path ? strlen(path) : 0, start;

	while (dots < n && line[dots] == '.')
		dots++;
	if (!dots || !path)
		return false;
	while (end > 0 && path[end - 1] != '/')
		end--;                  /* the file's directory: path[0, end - 1) */
	for (; dots > 1 && end > 0; dots--) {
		end--;
		while (end > 0 && path[end - 1] != '/')
			end--;
	}
	if (end == 0)
		return false;           /* the repository's top level has no name to match */
	for (start = end - 1; start > 0 && path[start - 1] != '/'; start--)
		;
	return imp_map_get(stems, path + start, end - 1 - start) != NULL;
}

bool imp_refs_name_any(const char *refs, size_t size, const imp_map *stems, const char *path)
{
	size_t line, end, i, start;

	for (line = 0; line < size; line = end + 1) {
		for (end = line; end < size && refs[end] != '\n'; end++)
			;
		if (names_package(refs + line, end - line, path, stems))
			return true;
		for (i = line; i < end;) {
			while (i < end && is_sep(refs[i]))
				i++;
			start = i;
			while (i < end && !is_sep(refs[i]))
				i++;
			if (i > start && imp_map_get(stems, refs + start, i - start))
				return true;
		}
	}
	return false;
}

/* The byte search of WM_IMPORTS_CACHE=scan. */
static bool mentions_any(const imp_map *stems, const char *data, size_t size)
{
	size_t i, k;

	for (k = 0; k < stems->cap; k++) {
		const char *s = stems->keys[k];
		size_t n;

		if (!s || !(n = strlen(s)))
			continue;
		for (i = 0; i + n <= size; i++)
			if (data[i] == s[0] && !memcmp(data + i, s, n))
				return true;
	}
	return false;
}

int imp_refs_new(imp_refs **out, imp_index *idx)
{
	wm_blobcache_options opts = WM_BLOBCACHE_OPTIONS_INIT;
	const char *env = getenv("WM_IMPORTS_CACHE");
	wm_buf context = WM_BUF_INIT;
	imp_refs *r = NULL;
	int error = 0;

	*out = NULL;
	if (!(r = wm_calloc(1, sizeof(*r))))
		return WM_ENOMEM;
	r->idx = idx;
	r->mode = env && !strcmp(env, "off") ? MODE_OFF : env && !strcmp(env, "scan") ? MODE_SCAN
		: MODE_CACHE;
	if ((error = imp_refs_changed_stems(&r->stems, idx)) < 0 || !r->stems.count)
		goto done;   /* no changed module: nobody can depend on the change */
	if (r->mode == MODE_CACHE) {
		if ((error = wm_buf_printf(&context, "imports-refs/%d wm/%s src/%s", IMP_REFS_FORMAT,
				wm_version(), WM_IMPORTS_SOURCES_ID)) < 0)
			goto done;
		opts.context = context.ptr;
		/* room for a few worlds' worth of blob versions between prunes */
		opts.max_rows = 4 * wm_world_count(idx->world) + 4096;
		if ((error = wm_blobcache_open(&r->cache, wm_world_repo(idx->world), "imports", &opts)) < 0) {
			if (error == WM_ENOMEM)
				goto done;
			/* no cache: compute everything, as correctly and more slowly */
			wm_error_clear();
			error = 0;
		}
	}
	*out = r;
	r = NULL;
done:
	imp_refs_free(r);
	wm_buf_dispose(&context);
	return error;
}

int imp_refs_match(bool *out, imp_refs *r, const wm_entry *e)
{
	wm_blob blob = WM_BLOB_INIT;
	wm_lang lang = wm_syntax_detect(e->path, NULL, 0);
	const wm_oid *key = &e->oid;
	imp_info *info = NULL;
	const imp_info *known;
	const char *data;
	size_t size;
	void **v;
	int error = 0;

	*out = false;
	if (r->mode == MODE_SCAN || wm_oid_is_zero(key)) {
		if ((error = wm_world_read(&blob, r->idx->world, e->path)) < 0)
			goto done;
		if (r->mode == MODE_SCAN) {
			*out = mentions_any(&r->stems, blob.data, blob.size);
			goto done;
		}
		key = &blob.oid;
	}
	r->lookups++;
	if (r->cache && !wm_oid_is_zero(key) &&
	    wm_blobcache_get(&data, &size, r->cache, key, (unsigned int)lang) == 0) {
		r->hits++;
		*out = imp_refs_name_any(data, size, &r->stems, e->path);
		goto done;
	}
	/* Facts the run already has (a target's import) need no parse; a NULL
	 * there may mean "too large", which is no fact of the blob to cache. */
	if ((v = imp_map_get(&r->idx->infos, e->path, strlen(e->path))) != NULL && *v) {
		known = *v;
	} else {
		if (!blob.data && (error = wm_world_read(&blob, r->idx->world, e->path)) < 0)
			goto done;
		if ((error = imp_index_extract(&info, r->idx, e->path, blob.data, blob.size)) < 0)
			goto done;
		known = info;
	}
	if ((error = imp_refs_of(&r->refs, known)) < 0)
		goto done;
	if (r->cache && !wm_oid_is_zero(key) &&
	    (error = wm_blobcache_put(r->cache, key, (unsigned int)lang, r->refs.ptr, r->refs.size)) < 0)
		goto done;
	*out = imp_refs_name_any(r->refs.ptr, r->refs.size, &r->stems, e->path);
	if (*out && info) {
		/* the check parses it next: keep the facts for imp_index_info() */
		error = imp_index_keep(r->idx, e->path, info);
		info = NULL;
	}
done:
	/* unreadable, too large or unparsable: no dependent, as without the cache */
	if (error < 0 && error != WM_ENOMEM)
		error = 0;
	imp_info_free(info);
	wm_blob_release(&blob);
	return error;
}

int imp_refs_finish(imp_refs *r, wm_scan *scan)
{
	if (r->cache && wm_blobcache_flush(r->cache) < 0)
		wm_error_clear();   /* rows not written are recomputed by a later run */
	if (r->mode == MODE_SCAN)
		return 0;
	return wm_scan_metric(scan, "imports-cache", NULL, r->hits, r->lookups);
}

void imp_refs_free(imp_refs *r)
{
	if (!r)
		return;
	wm_blobcache_free(r->cache);
	imp_map_dispose(&r->stems, NULL);
	wm_buf_dispose(&r->refs);
	wm_free(r);
}
