/*
 * imports_util.c - small tools the imports detector shares: a string map,
 * an edit distance for "did you mean", and the per-file facts container.
 *
 * The map is open addressing with linear probing over a power-of-two
 * table kept at most half full: the index holds every path of the world
 * (tens of thousands in a large repository) and is probed several times
 * per import, so lookups must not walk lists or allocate.
 */
#include <stdlib.h>
#include <string.h>

#include "imports.h"

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static bool key_eq(const char *key, const char *s, size_t n)
{
	return !strncmp(key, s, n) && key[n] == '\0';
}

static int grow(imp_map *m)
{
	size_t cap = m->cap ? m->cap * 2 : 64, i;
	char **keys = wm_calloc(cap, sizeof(*keys));
	void **vals = wm_calloc(cap, sizeof(*vals));

	if (!keys || !vals) {
		wm_free(keys);
		wm_free(vals);
		return WM_ENOMEM;
	}
	for (i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->keys[i])
			continue;
		j = hash(m->keys[i], strlen(m->keys[i])) & (cap - 1);
		while (keys[j])
			j = (j + 1) & (cap - 1);
		keys[j] = m->keys[i];
		vals[j] = m->vals[i];
	}
	wm_free(m->keys);
	wm_free(m->vals);
	m->keys = keys;
	m->vals = vals;
	m->cap = cap;
	return 0;
}

void **imp_map_get(const imp_map *m, const char *key, size_t len)
{
	size_t j;

	if (!m->cap)
		return NULL;
	for (j = hash(key, len) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		if (key_eq(m->keys[j], key, len))
			return &m->vals[j];
	return NULL;
}

bool imp_map_has(const imp_map *m, const char *key)
{
	return imp_map_get(m, key, strlen(key)) != NULL;
}

int imp_map_put(imp_map *m, const char *key, size_t len, void *val)
{
	void **slot = imp_map_get(m, key, len);
	size_t j;
	int error;

	if (slot) {
		*slot = val;
		return 0;
	}
	if ((m->count + 1) * 2 > m->cap && (error = grow(m)) < 0)
		return error;
	for (j = hash(key, len) & (m->cap - 1); m->keys[j]; j = (j + 1) & (m->cap - 1))
		;
	if (!(m->keys[j] = wm_strndup(key, len)))
		return WM_ENOMEM;
	m->vals[j] = val;
	m->count++;
	return 0;
}

void imp_map_dispose(imp_map *m, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		wm_free(m->keys[i]);
		if (free_val && m->vals[i])
			free_val(m->vals[i]);
	}
	wm_free(m->keys);
	wm_free(m->vals);
	memset(m, 0, sizeof(*m));
}

size_t imp_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t row[64], best;

	/* Names longer than this are never typos of each other worth suggesting. */
	if (la >= 64 || lb >= 64 || (la > lb ? la - lb : lb - la) > max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], cost = a[i - 1] == b[j - 1] ? 0 : 1, v;

			v = diag + cost;
			if (up + 1 < v)
				v = up + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			diag = up;
			row[j] = v;
			if (v < best)
				best = v;
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

/* --- per-file facts ------------------------------------------------------ */

void imp_info_free(imp_info *info)
{
	size_t i, j;

	if (!info)
		return;
	for (i = 0; i < info->nimports; i++) {
		imp_stmt *s = &info->imports[i];

		wm_free(s->module);
		wm_free(s->alias);
		for (j = 0; j < s->nnames; j++) {
			wm_free(s->names[j].name);
			wm_free(s->names[j].alias);
		}
		wm_free(s->names);
	}
	wm_free(info->imports);
	for (i = 0; i < info->ndefs; i++)
		wm_free(info->defs[i]);
	wm_free(info->defs);
	wm_free(info);
}

int imp_info_def(imp_info *info, const char *name, size_t len)
{
	if (info->ndefs == info->adefs) {
		size_t n = info->adefs ? info->adefs * 2 : 32;
		char **grown = wm_reallocarray(info->defs, n, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		info->defs = grown;
		info->adefs = n;
	}
	if (!(info->defs[info->ndefs] = wm_strndup(name, len)))
		return WM_ENOMEM;
	info->ndefs++;
	return 0;
}

int imp_info_push(imp_stmt **out, imp_info *info)
{
	if (info->nimports == info->aimports) {
		size_t n = info->aimports ? info->aimports * 2 : 16;
		imp_stmt *grown = wm_reallocarray(info->imports, n, sizeof(*grown));

		if (!grown)
			return WM_ENOMEM;
		info->imports = grown;
		info->aimports = n;
	}
	*out = &info->imports[info->nimports++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

int imp_stmt_name(imp_stmt *stmt, const char *name, size_t len, const char *alias,
	size_t alen, uint32_t start, uint32_t end)
{
	imp_name *grown = wm_reallocarray(stmt->names, stmt->nnames + 1, sizeof(*grown));
	imp_name *n;

	if (!grown)
		return WM_ENOMEM;
	stmt->names = grown;
	n = &stmt->names[stmt->nnames];
	memset(n, 0, sizeof(*n));
	if (!(n->name = wm_strndup(name, len)) || (alias && !(n->alias = wm_strndup(alias, alen)))) {
		wm_free(n->name);
		return WM_ENOMEM;
	}
	n->start = start;
	n->end = end;
	stmt->nnames++;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void imp_info_finish(imp_info *info)
{
	size_t i, j = 0;

	if (info->ndefs > 1)
		qsort(info->defs, info->ndefs, sizeof(*info->defs), cmp_str);
	for (i = 0; i < info->ndefs; i++) {
		if (j > 0 && !strcmp(info->defs[j - 1], info->defs[i])) {
			wm_free(info->defs[i]);
			continue;
		}
		info->defs[j++] = info->defs[i];
	}
	info->ndefs = j;
}

bool imp_info_defines(const imp_info *info, const char *name)
{
	return info->ndefs &&
		bsearch(&name, info->defs, info->ndefs, sizeof(*info->defs), cmp_str) != NULL;
}

char *imp_node_text(const char *data, size_t size, TSNode node)
{
	uint32_t s = ts_node_start_byte(node), e = ts_node_end_byte(node);

	if (e > size)
		e = (uint32_t)size;
	if (s > e)
		s = e;
	return wm_strndup(data + s, e - s);
}

static int cmp_stdlib(const void *key, const void *row)
{
	return strcmp(key, ((const imp_stdlib_row *)row)->name);
}

bool imp_stdlib_is_python(const char *top, size_t len)
{
	char name[64];

	if (len == 0 || len >= sizeof(name))
		return false;
	memcpy(name, top, len);
	name[len] = '\0';
	return bsearch(name, imp_stdlib_python, imp_stdlib_python_len, sizeof(imp_stdlib_python[0]),
		cmp_stdlib) != NULL;
}
