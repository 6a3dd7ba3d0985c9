/*
 * drift_sources.c - where each kind of file keeps its version, to the byte.
 *
 * A fix rewrites exactly the bytes of a version and nothing around it, so
 * every extractor returns the byte range of the version text itself (inside
 * the quotes). Manifests with a grammar are parsed with a real parser:
 * TOML and JSON with tree-sitter, YAML with libyaml, Python with
 * tree-sitter. A regular expression over a whole manifest would find a
 * `version` inside a dependency table or a comment as readily as the real
 * one.
 *
 * CMakeLists.txt, configure.ac, meson.build, *.gemspec and pom.xml get small
 * tokenisers scoped to the one construct that holds the version instead:
 * their full languages (CMake script, m4 over shell, Meson, Ruby, XML with
 * namespaces and entities) are large, no parser for them ships in Debian
 * with byte offsets, and the construct is lexically simple once comments
 * and strings are skipped, which the tokenisers do. Each reads only a
 * literal; a computed version (`${PROJECT_VER}`, `m4_esyscmd(...)`,
 * `Foo::VERSION`) yields no value rather than a guess.
 *
 * CHANGELOG headings are found line by line with CommonMark's ATX and
 * setext rules (fenced code skipped) and reStructuredText's underlined
 * titles; a heading names a version when one of its words parses as one.
 *
 * A file that does not parse yields no values: its syntax is the syntax
 * detector's business, and a guessed version would only add noise.
 */
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "drift.h"

/* --- values ------------------------------------------------------------- */

void drift_value_dispose(drift_value *v)
{
	wm_free(v->path);
	wm_free(v->text);
	wm_free(v->note);
	memset(v, 0, sizeof(*v));
}

void drift_extract_dispose(drift_extract *x)
{
	size_t i;

	for (i = 0; i < x->nvalues; i++)
		drift_value_dispose(&x->values[i]);
	wm_free(x->values);
	wm_free(x->manifest.name);
	wm_free(x->manifest.dynamic_file);
	wm_free(x->manifest.dynamic_attr);
	for (i = 0; i < x->manifest.nmembers; i++)
		wm_free(x->manifest.members[i]);
	wm_free(x->manifest.members);
	for (i = 0; i < x->manifest.ndeps; i++) {
		wm_free(x->manifest.deps[i].name);
		wm_free(x->manifest.deps[i].range);
		wm_free(x->manifest.deps[i].path);
	}
	wm_free(x->manifest.deps);
	for (i = 0; i < x->nheadings; i++)
		wm_free(x->headings[i]);
	wm_free(x->headings);
	wm_free(x->heading_prefix);
	wm_free(x->heading_suffix);
	memset(x, 0, sizeof(*x));
}

typedef struct ctx {
	drift_extract *x;
	drift_kind kind;
	const char *path;
	const char *data;
	size_t size;
} ctx;

static int add_value(ctx *c, drift_kind kind, drift_scheme scheme, uint32_t start, uint32_t end,
	const char *note)
{
	drift_value *v;

	if (end < start || end > c->size || end - start > 128)
		return 0;
	/* A version is one token: an empty or multi-line string is something else. */
	if (end == start || memchr(c->data + start, '\n', end - start))
		return 0;
	/* Loose places ("-" in AC_INIT, a word in a README) hold a version only if it starts like one. */
	if (scheme == DRIFT_LOOSE && !(c->data[start] >= '0' && c->data[start] <= '9'))
		return 0;
	if (!(v = wm_reallocarray(c->x->values, c->x->nvalues + 1, sizeof(*v))))
		return WM_ENOMEM;
	c->x->values = v;
	v = &v[c->x->nvalues];
	memset(v, 0, sizeof(*v));
	v->kind = kind;
	v->scheme = scheme;
	v->start = start;
	v->end = end;
	if (!(v->path = wm_strdup(c->path)) || !(v->text = wm_strndup(c->data + start, end - start)) ||
	    !(v->note = wm_strdup(note))) {
		drift_value_dispose(v);
		return WM_ENOMEM;
	}
	c->x->nvalues++;
	return 0;
}

static int add_dep(ctx *c, const char *name, size_t name_len, drift_scheme syntax,
	uint32_t start, uint32_t end)
{
	drift_manifest *m = &c->x->manifest;
	drift_dep *d;

	if (end <= start || end > c->size)
		return 0;
	if (!(d = wm_reallocarray(m->deps, m->ndeps + 1, sizeof(*d))))
		return WM_ENOMEM;
	m->deps = d;
	d = &d[m->ndeps];
	memset(d, 0, sizeof(*d));
	d->syntax = syntax;
	d->start = start;
	d->end = end;
	if (!(d->name = wm_strndup(name, name_len)) || !(d->range = wm_strndup(c->data + start, end - start)) ||
	    !(d->path = wm_strdup(c->path))) {
		wm_free(d->name);
		wm_free(d->range);
		wm_free(d->path);
		return WM_ENOMEM;
	}
	m->ndeps++;
	return 0;
}

static int add_member(ctx *c, const char *glob, size_t len)
{
	drift_manifest *m = &c->x->manifest;
	char **p;

	if (!(p = wm_reallocarray(m->members, m->nmembers + 1, sizeof(*p))))
		return WM_ENOMEM;
	m->members = p;
	if (!(p[m->nmembers] = wm_strndup(glob, len)))
		return WM_ENOMEM;
	m->nmembers++;
	return 0;
}

static int set_str(char **field, const char *s, size_t len)
{
	wm_free(*field);
	return (*field = wm_strndup(s, len)) ? 0 : WM_ENOMEM;
}

/* --- file kinds --------------------------------------------------------- */

static bool name_is(const char *base, const char *name)
{
	return !strcmp(base, name);
}

static bool name_icase(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
	}
	return *a == *b;
}

/* CHANGELOG.md, CHANGES.rst, HISTORY.md, History.md, NEWS ... */
static bool is_changelog(const char *base)
{
	static const char *const stems[] = { "changelog", "changes", "history", "news", "releases" };
	static const char *const exts[] = { "", ".md", ".rst", ".txt", ".markdown" };
	char name[64];
	size_t i, j;

	for (i = 0; i < sizeof(stems) / sizeof(stems[0]); i++)
		for (j = 0; j < sizeof(exts) / sizeof(exts[0]); j++) {
			snprintf(name, sizeof(name), "%s%s", stems[i], exts[j]);
			if (name_icase(base, name))
				return true;
		}
	return false;
}

drift_kind drift_kind_of(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (name_is(base, "pyproject.toml"))
		return DRIFT_PYPROJECT;
	if (name_is(base, "setup.cfg"))
		return DRIFT_SETUP_CFG;
	if (name_is(base, "setup.py"))
		return DRIFT_SETUP_PY;
	if (name_is(base, "package.json"))
		return DRIFT_PACKAGE_JSON;
	if (name_is(base, "Cargo.toml"))
		return DRIFT_CARGO;
	if (n > 8 && !strcmp(base + n - 8, ".gemspec"))
		return DRIFT_GEMSPEC;
	if (name_is(base, "pom.xml"))
		return DRIFT_POM;
	if (name_is(base, "Chart.yaml"))
		return DRIFT_CHART;
	if (name_is(base, "CMakeLists.txt"))
		return DRIFT_CMAKE;
	if (name_is(base, "configure.ac") || name_is(base, "configure.in"))
		return DRIFT_CONFIGURE_AC;
	if (name_is(base, "meson.build"))
		return DRIFT_MESON;
	if (name_is(base, "VERSION") || name_is(base, "version.txt") || name_is(base, "VERSION.txt"))
		return DRIFT_VERSION_FILE;
	if (name_is(base, "__init__.py") || name_is(base, "_version.py") || name_is(base, "version.py") ||
	    name_is(base, "__version__.py") || name_is(base, "__about__.py"))
		return DRIFT_PY_VERSION;
	if (name_icase(base, "README") || name_icase(base, "README.md") || name_icase(base, "README.rst") ||
	    name_icase(base, "README.txt") || name_icase(base, "README.markdown"))
		return DRIFT_README;
	if (is_changelog(base))
		return DRIFT_CHANGELOG;
	return DRIFT__KINDS;
}

/* --- tree-sitter helpers ------------------------------------------------- */

static bool node_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

/* Whether node text equals `s`. */
static bool text_is(const ctx *c, TSNode n, const char *s)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	size_t len = strlen(s);

	return b >= a && b - a == len && b <= c->size && !memcmp(c->data + a, s, len);
}

/* --- TOML ---------------------------------------------------------------- */

/*
 * A TOML document flattened to (dotted key, value node) pairs, with the
 * table headers and inline tables folded into the keys: `[package]
 * version = "1"` and `package = { version = "1" }` both give
 * "package.version". Arrays of tables get "[]" appended to their key.
 */
typedef struct tkv {
	char *key;
	TSNode value;
} tkv;

typedef struct toml_doc {
	tkv *items;
	size_t count;
} toml_doc;

static int toml_key(wm_buf *out, const ctx *c, TSNode key)
{
	uint32_t a = ts_node_start_byte(key), b = ts_node_end_byte(key);
	uint32_t i, n;
	int error = 0;

	if (node_is(key, "dotted_key")) {
		n = ts_node_named_child_count(key);
		for (i = 0; i < n && !error; i++) {
			if (i && (error = wm_buf_putc(out, '.')) < 0)
				break;
			error = toml_key(out, c, ts_node_named_child(key, i));
		}
		return error;
	}
	if (node_is(key, "quoted_key") && b - a >= 2)
		return wm_buf_put(out, c->data + a + 1, b - a - 2);
	return wm_buf_put(out, c->data + a, b - a);
}

static int toml_add(toml_doc *doc, const char *prefix, const char *key, TSNode value)
{
	tkv *items;
	wm_buf k = WM_BUF_INIT;

	if (!(items = wm_reallocarray(doc->items, doc->count + 1, sizeof(*items))))
		return WM_ENOMEM;
	doc->items = items;
	if ((*prefix && (wm_buf_puts(&k, prefix) < 0 || wm_buf_putc(&k, '.') < 0)) ||
	    wm_buf_puts(&k, key) < 0) {
		wm_buf_dispose(&k);
		return WM_ENOMEM;
	}
	items[doc->count].key = wm_buf_detach(&k);
	items[doc->count].value = value;
	if (!items[doc->count].key)
		return WM_ENOMEM;
	doc->count++;
	return 0;
}

/* Flatten the pairs under `node` (a document, table or inline table). */
static int toml_pairs(toml_doc *doc, const ctx *c, TSNode node, const char *prefix, int depth)
{
	uint32_t i, n = ts_node_named_child_count(node);
	wm_buf key = WM_BUF_INIT, full = WM_BUF_INIT;
	int error = 0;

	if (depth > 16)
		return 0;
	for (i = 0; i < n && !error; i++) {
		TSNode pair = ts_node_named_child(node, i), k, v;

		if (!node_is(pair, "pair") || ts_node_named_child_count(pair) < 2)
			continue;
		/* Comments are extras and may sit inside the pair: `v = "1"  # note`. */
		k = ts_node_named_child(pair, 0);
		v = ts_node_named_child(pair, 1);
		for (uint32_t j = 2; node_is(v, "comment") && j < ts_node_named_child_count(pair); j++)
			v = ts_node_named_child(pair, j);
		wm_buf_clear(&key);
		if ((error = toml_key(&key, c, k)) < 0 || (error = toml_add(doc, prefix, key.ptr, v)) < 0)
			break;
		if (node_is(v, "inline_table")) {
			wm_buf_clear(&full);
			if ((*prefix && (wm_buf_puts(&full, prefix) < 0 || wm_buf_putc(&full, '.') < 0)) ||
			    wm_buf_puts(&full, key.ptr) < 0) {
				error = WM_ENOMEM;
				break;
			}
			error = toml_pairs(doc, c, v, full.ptr, depth + 1);
		}
	}
	wm_buf_dispose(&key);
	wm_buf_dispose(&full);
	return error;
}

static void toml_doc_dispose(toml_doc *doc)
{
	size_t i;

	for (i = 0; i < doc->count; i++)
		wm_free(doc->items[i].key);
	wm_free(doc->items);
	memset(doc, 0, sizeof(*doc));
}

static int toml_flatten(toml_doc *doc, const ctx *c, TSNode root)
{
	uint32_t i, n = ts_node_named_child_count(root);
	wm_buf header = WM_BUF_INIT;
	int error;

	if ((error = toml_pairs(doc, c, root, "", 0)) < 0)
		return error;
	for (i = 0; i < n && !error; i++) {
		TSNode t = ts_node_named_child(root, i);
		bool array = node_is(t, "table_array_element");

		if (!node_is(t, "table") && !array)
			continue;
		wm_buf_clear(&header);
		if ((error = toml_key(&header, c, ts_node_named_child(t, 0))) < 0 ||
		    (array && (error = wm_buf_puts(&header, "[]")) < 0))
			break;
		/* The table itself, so that an empty `[tool.setuptools_scm]` is seen. */
		if ((error = toml_add(doc, "", header.ptr ? header.ptr : "", t)) < 0)
			break;
		error = toml_pairs(doc, c, t, header.ptr ? header.ptr : "", 0);
	}
	wm_buf_dispose(&header);
	return error;
}

static const tkv *toml_get(const toml_doc *doc, const char *key)
{
	size_t i;

	for (i = 0; i < doc->count; i++)
		if (!strcmp(doc->items[i].key, key))
			return &doc->items[i];
	return NULL;
}

/*
 * The byte range of a TOML string's text without its delimiters; false for
 * other values and for strings with escapes (a version never has one, and
 * rewriting inside escapes would need the escape rules).
 */
static bool toml_string(const ctx *c, TSNode v, uint32_t *start, uint32_t *end)
{
	uint32_t a = ts_node_start_byte(v), b = ts_node_end_byte(v), q;

	if (!node_is(v, "string") || ts_node_named_child_count(v) > 0 || b > c->size || b - a < 2)
		return false;
	q = (b - a >= 6 && (!memcmp(c->data + a, "\"\"\"", 3) || !memcmp(c->data + a, "'''", 3))) ? 3 : 1;
	*start = a + q;
	*end = b - q;
	return *end >= *start;
}

static bool toml_true(const ctx *c, const tkv *kv)
{
	return kv && node_is(kv->value, "boolean") && text_is(c, kv->value, "true");
}

/* Whether an array value holds the string `s`. */
static bool toml_array_has(const ctx *c, const tkv *kv, const char *s)
{
	uint32_t i, n, a, b;

	if (!kv || !node_is(kv->value, "array"))
		return false;
	n = ts_node_named_child_count(kv->value);
	for (i = 0; i < n; i++)
		if (toml_string(c, ts_node_named_child(kv->value, i), &a, &b) &&
		    b - a == strlen(s) && !memcmp(c->data + a, s, b - a))
			return true;
	return false;
}

static int toml_value(ctx *c, const toml_doc *doc, const char *key, drift_kind kind,
	drift_scheme scheme, const char *note)
{
	const tkv *kv = toml_get(doc, key);
	uint32_t a, b;

	if (!kv || !toml_string(c, kv->value, &a, &b))
		return 0;
	return add_value(c, kind, scheme, a, b, note);
}

static int toml_str(char **out, const ctx *c, const toml_doc *doc, const char *key)
{
	const tkv *kv = toml_get(doc, key);
	uint32_t a, b;

	if (!kv || !toml_string(c, kv->value, &a, &b))
		return 0;
	return set_str(out, c->data + a, b - a);
}

/*
 * A PEP 508 requirement "name[extra] (>=1,<2) ; marker" at data[a..b):
 * the name and the byte range of its specifier.
 */
static int pep508_dep(ctx *c, uint32_t a, uint32_t b)
{
	const char *s = c->data;
	uint32_t name_start, name_end, spec_start, spec_end;

	while (a < b && s[a] == ' ')
		a++;
	name_start = a;
	while (a < b && (((s[a] | 32) >= 'a' && (s[a] | 32) <= 'z') || (s[a] >= '0' && s[a] <= '9') ||
			s[a] == '-' || s[a] == '_' || s[a] == '.'))
		a++;
	name_end = a;
	if (name_end == name_start)
		return 0;
	while (a < b && s[a] == ' ')
		a++;
	if (a < b && s[a] == '[') {
		while (a < b && s[a] != ']')
			a++;
		a++;
	}
	while (a < b && (s[a] == ' ' || s[a] == '('))
		a++;
	if (a >= b || s[a] == '@' || s[a] == ';')
		return 0;
	spec_start = a;
	while (a < b && s[a] != ';' && s[a] != ')')
		a++;
	spec_end = a;
	while (spec_end > spec_start && s[spec_end - 1] == ' ')
		spec_end--;
	return add_dep(c, s + name_start, name_end - name_start, DRIFT_PEP440, spec_start, spec_end);
}

/* Each string of a TOML array as a PEP 508 requirement. */
static int pep508_array(ctx *c, const tkv *kv)
{
	uint32_t i, n, a, b;
	int error = 0;

	if (!kv || !node_is(kv->value, "array"))
		return 0;
	n = ts_node_named_child_count(kv->value);
	for (i = 0; i < n && !error; i++)
		if (toml_string(c, ts_node_named_child(kv->value, i), &a, &b))
			error = pep508_dep(c, a, b);
	return error;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * A dependency table entry: `name = "range"` or `name = { version = "range", ... }`
 * under `tables` (Cargo's [dependencies], Poetry's [tool.poetry.dependencies]).
 * Cargo's `package = "real-name"` renames are followed.
 */
static int toml_deps(ctx *c, const toml_doc *doc, drift_scheme syntax)
{
	size_t i;
	int error = 0;

	for (i = 0; i < doc->count && !error; i++) {
		const char *key = doc->items[i].key, *dot, *name;
		char *pkg_key = NULL, *pkg = NULL;
		uint32_t a, b;
		size_t nlen;

		/* "...dependencies.<name>" with a string value, or "...dependencies.<name>.version" */
		if (!(dot = strstr(key, "dependencies.")))
			continue;
		if (dot != key && dot[-1] != '.' && dot[-1] != '-')
			continue;
		name = dot + strlen("dependencies.");
		if (strchr(name, '.')) {
			const char *last = strrchr(name, '.');

			if (strcmp(last, ".version"))
				continue;
			nlen = (size_t)(last - name);
		} else {
			nlen = strlen(name);
			if (!node_is(doc->items[i].value, "string"))
				continue;
		}
		if (syntax == DRIFT_PEP440 && (nlen == 6 && !strncmp(name, "python", 6)))
			continue;
		if (!toml_string(c, doc->items[i].value, &a, &b))
			continue;
		/* Cargo renames: [dependencies] alias = { package = "real", version = ... } */
		if (syntax == DRIFT_NUMERIC) {
			size_t klen = (size_t)(name - key) + nlen;

			if (!(pkg_key = wm_malloc(klen + sizeof(".package"))))
				return WM_ENOMEM;
			memcpy(pkg_key, key, klen);
			memcpy(pkg_key + klen, ".package", sizeof(".package"));
			if ((error = toml_str(&pkg, c, doc, pkg_key)) < 0) {
				wm_free(pkg_key);
				return error;
			}
		}
		error = pkg ? add_dep(c, pkg, strlen(pkg), syntax, a, b) : add_dep(c, name, nlen, syntax, a, b);
		wm_free(pkg);
		wm_free(pkg_key);
	}
	return error;
}

static int toml_members(ctx *c, const toml_doc *doc, const char *key)
{
	const tkv *kv = toml_get(doc, key);
	uint32_t i, n, a, b;
	int error = 0;

	if (!kv || !node_is(kv->value, "array"))
		return 0;
	n = ts_node_named_child_count(kv->value);
	for (i = 0; i < n && !error; i++)
		if (toml_string(c, ts_node_named_child(kv->value, i), &a, &b))
			error = add_member(c, c->data + a, b - a);
	return error;
}

static int extract_pyproject(ctx *c, const toml_doc *doc)
{
	drift_manifest *m = &c->x->manifest;
	const tkv *kv;
	int error;

	if ((error = toml_value(c, doc, "project.version", DRIFT_PYPROJECT, DRIFT_PEP440, "[project].version")) < 0 ||
	    (error = toml_value(c, doc, "tool.poetry.version", DRIFT_PYPROJECT, DRIFT_PEP440,
			"[tool.poetry].version")) < 0 ||
	    (error = toml_str(&m->name, c, doc, "project.name")) < 0 ||
	    (!m->name && (error = toml_str(&m->name, c, doc, "tool.poetry.name")) < 0))
		return error;
	/* Poetry's own version is a placeholder when a dynamic-versioning plugin owns it. */
	if (toml_true(c, toml_get(doc, "tool.poetry-dynamic-versioning.enable")))
		m->from_tags = true;
	if (toml_array_has(c, toml_get(doc, "project.dynamic"), "version")) {
		m->dynamic = true;
		if ((error = toml_str(&m->dynamic_attr, c, doc, "tool.setuptools.dynamic.version.attr")) < 0 ||
		    (error = toml_str(&m->dynamic_file, c, doc, "tool.setuptools.dynamic.version.file")) < 0 ||
		    (error = toml_str(&m->dynamic_file, c, doc, "tool.hatch.version.path")) < 0 ||
		    (error = toml_str(&m->dynamic_file, c, doc, "tool.pdm.version.path")) < 0)
			return error;
		if (toml_get(doc, "tool.setuptools_scm") || toml_get(doc, "tool.setuptools-scm") ||
		    ((kv = toml_get(doc, "tool.hatch.version.source")) && text_is(c, kv->value, "\"vcs\"")) ||
		    ((kv = toml_get(doc, "tool.pdm.version.source")) && text_is(c, kv->value, "\"scm\"")))
			m->from_tags = true;
	}
	/* flit and hatch read `__version__` of the package named like the project by default. */
	if ((error = pep508_array(c, toml_get(doc, "project.dependencies"))) < 0)
		return error;
	for (size_t i = 0; i < doc->count && !error; i++)
		if (has_prefix(doc->items[i].key, "project.optional-dependencies.") ||
		    has_prefix(doc->items[i].key, "dependency-groups."))
			error = pep508_array(c, &doc->items[i]);
	if (error < 0 || (error = toml_deps(c, doc, DRIFT_PEP440)) < 0)
		return error;
	return toml_members(c, doc, "tool.uv.workspace.members");
}

static int extract_cargo(ctx *c, const toml_doc *doc)
{
	drift_manifest *m = &c->x->manifest;
	int error;

	if ((error = toml_value(c, doc, "package.version", DRIFT_CARGO, DRIFT_SEMVER, "[package].version")) < 0 ||
	    (error = toml_value(c, doc, "workspace.package.version", DRIFT_CARGO, DRIFT_SEMVER,
			"[workspace.package].version")) < 0 ||
	    (error = toml_str(&m->name, c, doc, "package.name")) < 0 ||
	    (error = toml_members(c, doc, "workspace.members")) < 0)
		return error;
	if (toml_true(c, toml_get(doc, "package.version.workspace"))) {
		m->dynamic = true;
		m->from_workspace = true;
	}
	return toml_deps(c, doc, DRIFT_NUMERIC);
}

static int extract_toml(ctx *c)
{
	toml_doc doc = { NULL, 0 };
	TSTree *tree = NULL;
	int error;

	if ((error = wm_syntax_parse(&tree, WM_LANG_TOML, c->data, c->size)) < 0) {
		error = error == WM_ENOMEM ? error : 0;
		goto done;
	}
	if (ts_node_has_error(ts_tree_root_node(tree)))
		goto done;
	if ((error = toml_flatten(&doc, c, ts_tree_root_node(tree))) < 0)
		goto done;
	error = c->kind == DRIFT_CARGO ? extract_cargo(c, &doc) : extract_pyproject(c, &doc);
done:
	toml_doc_dispose(&doc);
	if (tree)
		ts_tree_delete(tree);
	return error;
}

/* --- JSON (package.json) ------------------------------------------------- */

/* The range of a JSON string's content (quotes excluded); false for escapes. */
static bool json_string(const ctx *c, TSNode v, uint32_t *start, uint32_t *end)
{
	uint32_t i, n;

	if (!node_is(v, "string"))
		return false;
	n = ts_node_named_child_count(v);
	for (i = 0; i < n; i++)
		if (!node_is(ts_node_named_child(v, i), "string_content"))
			return false;
	*start = ts_node_start_byte(v) + 1;
	*end = ts_node_end_byte(v) - 1;
	return *end >= *start && *end <= c->size;
}

static TSNode json_get(const ctx *c, TSNode obj, const char *key)
{
	uint32_t i, n = ts_node_named_child_count(obj), a, b;
	TSNode none = { { 0, 0, 0, 0 }, NULL, NULL };

	if (!node_is(obj, "object"))
		return none;
	for (i = 0; i < n; i++) {
		TSNode pair = ts_node_named_child(obj, i);
		TSNode k = ts_node_child_by_field_name(pair, "key", 3);

		if (node_is(pair, "pair") && json_string(c, k, &a, &b) && b - a == strlen(key) &&
		    !memcmp(c->data + a, key, b - a))
			return ts_node_child_by_field_name(pair, "value", 5);
	}
	return none;
}

static int json_members(ctx *c, TSNode arr)
{
	uint32_t i, n, a, b;
	int error = 0;

	if (!node_is(arr, "array"))
		return 0;
	n = ts_node_named_child_count(arr);
	for (i = 0; i < n && !error; i++)
		if (json_string(c, ts_node_named_child(arr, i), &a, &b))
			error = add_member(c, c->data + a, b - a);
	return error;
}

static int extract_package_json(ctx *c)
{
	static const char *const dep_keys[] = { "dependencies", "devDependencies",
		"peerDependencies", "optionalDependencies" };
	drift_manifest *m = &c->x->manifest;
	TSTree *tree = NULL;
	TSNode root, v, ws;
	uint32_t a, b, i, n;
	size_t k;
	int error;

	if ((error = wm_syntax_parse(&tree, WM_LANG_JSON, c->data, c->size)) < 0) {
		error = error == WM_ENOMEM ? error : 0;
		goto done;
	}
	root = ts_node_named_child(ts_tree_root_node(tree), 0);
	if (ts_node_has_error(ts_tree_root_node(tree)) || !node_is(root, "object"))
		goto done;
	v = json_get(c, root, "version");
	if (!ts_node_is_null(v) && json_string(c, v, &a, &b) &&
	    (error = add_value(c, DRIFT_PACKAGE_JSON, DRIFT_SEMVER, a, b, "\"version\"")) < 0)
		goto done;
	v = json_get(c, root, "name");
	if (!ts_node_is_null(v) && json_string(c, v, &a, &b) && (error = set_str(&m->name, c->data + a, b - a)) < 0)
		goto done;
	v = json_get(c, root, "private");
	m->private_pkg = !ts_node_is_null(v) && node_is(v, "true");
	ws = json_get(c, root, "workspaces");
	if (!ts_node_is_null(ws) && node_is(ws, "object"))
		ws = json_get(c, ws, "packages");
	if (!ts_node_is_null(ws) && (error = json_members(c, ws)) < 0)
		goto done;
	for (k = 0; k < sizeof(dep_keys) / sizeof(dep_keys[0]); k++) {
		TSNode deps = json_get(c, root, dep_keys[k]);

		if (ts_node_is_null(deps) || !node_is(deps, "object"))
			continue;
		n = ts_node_named_child_count(deps);
		for (i = 0; i < n && !error; i++) {
			TSNode pair = ts_node_named_child(deps, i);
			uint32_t ka, kb;

			if (!node_is(pair, "pair") ||
			    !json_string(c, ts_node_child_by_field_name(pair, "key", 3), &ka, &kb) ||
			    !json_string(c, ts_node_child_by_field_name(pair, "value", 5), &a, &b))
				continue;
			error = add_dep(c, c->data + ka, kb - ka, DRIFT_SEMVER, a, b);
		}
		if (error < 0)
			goto done;
	}
done:
	if (tree)
		ts_tree_delete(tree);
	return error;
}

/* --- Python -------------------------------------------------------------- */

/* The content range of a plain (not f-, not byte-) Python string literal. */
static bool py_string(const ctx *c, TSNode s, uint32_t *start, uint32_t *end)
{
	uint32_t i, n;
	TSNode content = { { 0, 0, 0, 0 }, NULL, NULL };
	const char *p;

	if (!node_is(s, "string"))
		return false;
	p = c->data + ts_node_start_byte(s);
	if (*p != '"' && *p != '\'' && *p != 'r' && *p != 'R' && *p != 'u' && *p != 'U')
		return false;
	n = ts_node_named_child_count(s);
	for (i = 0; i < n; i++) {
		TSNode ch = ts_node_named_child(s, i);

		if (node_is(ch, "string_content"))
			content = ch;
		else if (!node_is(ch, "string_start") && !node_is(ch, "string_end"))
			return false;
	}
	if (ts_node_is_null(content) || ts_node_named_child_count(content) > 0)
		return false;
	*start = ts_node_start_byte(content);
	*end = ts_node_end_byte(content);
	return true;
}

/* `__version__ = "1.2.3"` (or `__version__: str = ...`) at module level. */
static int extract_py_version(ctx *c, TSNode root)
{
	uint32_t i, n = ts_node_named_child_count(root), a, b;

	for (i = 0; i < n; i++) {
		TSNode st = ts_node_named_child(root, i), as, left, right;

		if (!node_is(st, "expression_statement"))
			continue;
		as = ts_node_named_child(st, 0);
		if (!node_is(as, "assignment"))
			continue;
		left = ts_node_child_by_field_name(as, "left", 4);
		right = ts_node_child_by_field_name(as, "right", 5);
		if (node_is(left, "identifier") && text_is(c, left, "__version__") &&
		    py_string(c, right, &a, &b))
			return add_value(c, DRIFT_PY_VERSION, DRIFT_PEP440, a, b, "__version__");
	}
	return 0;
}

struct setup_walk {
	ctx *c;
	int error;
};

/* setup(..., version="1.2.3", name="pkg") anywhere in setup.py. */
static int setup_visit(TSNode node, void *payload)
{
	struct setup_walk *w = payload;
	ctx *c = w->c;
	TSNode fn, args;
	uint32_t i, n, a, b;

	if (!node_is(node, "call"))
		return 0;
	fn = ts_node_child_by_field_name(node, "function", 8);
	if (node_is(fn, "attribute"))
		fn = ts_node_child_by_field_name(fn, "attribute", 9);
	if (!node_is(fn, "identifier") || !text_is(c, fn, "setup"))
		return 0;
	args = ts_node_child_by_field_name(node, "arguments", 9);
	n = ts_node_named_child_count(args);
	for (i = 0; i < n; i++) {
		TSNode kw = ts_node_named_child(args, i), name, value;

		if (!node_is(kw, "keyword_argument"))
			continue;
		name = ts_node_child_by_field_name(kw, "name", 4);
		value = ts_node_child_by_field_name(kw, "value", 5);
		if (text_is(c, name, "version")) {
			if (py_string(c, value, &a, &b)) {
				if ((w->error = add_value(c, DRIFT_SETUP_PY, DRIFT_PEP440, a, b, "setup(version=...)")) < 0)
					return w->error;
			} else {
				c->x->manifest.dynamic = true;
			}
		} else if (text_is(c, name, "name") && py_string(c, value, &a, &b)) {
			if ((w->error = set_str(&c->x->manifest.name, c->data + a, b - a)) < 0)
				return w->error;
		} else if (text_is(c, name, "use_scm_version")) {
			c->x->manifest.from_tags = true;
		}
	}
	return 1;
}

static int extract_python(ctx *c)
{
	struct setup_walk w = { c, 0 };
	TSTree *tree = NULL;
	int error;

	if ((error = wm_syntax_parse(&tree, WM_LANG_PYTHON, c->data, c->size)) < 0) {
		error = error == WM_ENOMEM ? error : 0;
		goto done;
	}
	if (c->kind == DRIFT_SETUP_PY) {
		error = wm_syntax_walk(ts_tree_root_node(tree), setup_visit, &w);
		if (!error)
			error = w.error;
		/* `version=` absent: setup.cfg or pyproject holds it. */
	} else {
		error = extract_py_version(c, ts_tree_root_node(tree));
	}
done:
	if (tree)
		ts_tree_delete(tree);
	return error;
}

/* --- line-based helpers --------------------------------------------------- */

typedef struct line {
	uint32_t start, end;  /* content, without the line ending */
	uint32_t next;        /* start of the next line */
} line;

static bool next_line(line *l, const char *data, size_t size, uint32_t at)
{
	uint32_t e = at;

	if (at >= size)
		return false;
	while (e < size && data[e] != '\n')
		e++;
	l->start = at;
	l->next = e < size ? e + 1 : e;
	if (e > at && data[e - 1] == '\r')
		e--;
	l->end = e;
	return true;
}

static uint32_t skip_blank(const char *d, uint32_t i, uint32_t end)
{
	while (i < end && (d[i] == ' ' || d[i] == '\t'))
		i++;
	return i;
}

static uint32_t trim_end(const char *d, uint32_t start, uint32_t end)
{
	while (end > start && (d[end - 1] == ' ' || d[end - 1] == '\t'))
		end--;
	return end;
}

static bool is_ver_char(char c)
{
	return (c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z') || c == '.' || c == '-' ||
		c == '+' || c == '_' || c == '!';
}

/*
 * The first word of d[from..to) that is a version: an optional v, a digit,
 * at least one dot. Sets the range of the version without the `v`.
 */
static bool find_version_word(const char *d, uint32_t from, uint32_t to, uint32_t *start, uint32_t *end)
{
	uint32_t i = from, s, e, k;
	drift_ver v;

	while (i < to) {
		if (i > from && is_ver_char(d[i - 1])) {
			i++;
			continue;
		}
		s = i;
		if ((d[s] == 'v' || d[s] == 'V') && s + 1 < to && d[s + 1] >= '0' && d[s + 1] <= '9')
			s++;
		if (d[s] < '0' || d[s] > '9') {
			i++;
			continue;
		}
		for (e = s; e < to && is_ver_char(d[e]); e++)
			;
		/* Trailing punctuation belongs to the sentence: "1.2.3." "1.2.3-" */
		while (e > s && (d[e - 1] == '.' || d[e - 1] == '-' || d[e - 1] == '_'))
			e--;
		for (k = s; k < e && d[k] != '.'; k++)
			;
		if (k < e && drift_ver_parse(&v, d + s, e - s) == 0) {
			*start = s;
			*end = e;
			return true;
		}
		i = e > i ? e : i + 1;
	}
	return false;
}

/* --- setup.cfg ------------------------------------------------------------ */

/* [metadata] version = 1.2.3 (or attr: / file: directives). INI, line by line. */
static int extract_setup_cfg(ctx *c)
{
	const char *d = c->data;
	bool metadata = false;
	uint32_t at = 0, k, v, e;
	line l;
	int error = 0;

	while (!error && next_line(&l, d, c->size, at)) {
		at = l.next;
		k = skip_blank(d, l.start, l.end);
		if (k < l.end && d[k] == '[') {
			metadata = l.end - k >= 10 && !memcmp(d + k, "[metadata]", 10);
			continue;
		}
		/* Continuation lines are indented; comments start with # or ;. */
		if (!metadata || k != l.start || k == l.end || d[k] == '#' || d[k] == ';')
			continue;
		for (e = k; e < l.end && d[e] != '=' && d[e] != ':'; e++)
			;
		if (e == l.end)
			continue;
		v = skip_blank(d, e + 1, l.end);
		e = trim_end(d, k, e);
		if (e - k == 7 && !memcmp(d + k, "version", 7)) {
			uint32_t ve = trim_end(d, v, l.end);

			if (ve - v > 5 && !memcmp(d + v, "attr:", 5)) {
				c->x->manifest.dynamic = true;
				v = skip_blank(d, v + 5, ve);
				error = set_str(&c->x->manifest.dynamic_attr, d + v, ve - v);
			} else if (ve - v > 5 && !memcmp(d + v, "file:", 5)) {
				c->x->manifest.dynamic = true;
				v = skip_blank(d, v + 5, ve);
				error = set_str(&c->x->manifest.dynamic_file, d + v, ve - v);
			} else {
				error = add_value(c, DRIFT_SETUP_CFG, DRIFT_PEP440, v, ve, "[metadata] version");
			}
		} else if (e - k == 4 && !memcmp(d + k, "name", 4)) {
			error = set_str(&c->x->manifest.name, d + v, trim_end(d, v, l.end) - v);
		}
	}
	return error;
}

/* --- CMake ---------------------------------------------------------------- */

/* Length of a bracket opener "[==[" at d[i], or 0; its '=' count in *level. */
static uint32_t bracket_open(const char *d, uint32_t i, uint32_t size, uint32_t *level)
{
	uint32_t k = i + 1;

	if (i >= size || d[i] != '[')
		return 0;
	while (k < size && d[k] == '=')
		k++;
	if (k >= size || d[k] != '[')
		return 0;
	*level = k - i - 1;
	return k - i + 1;
}

/* Skip past the "]==]" that closes a bracket argument or comment. */
static uint32_t bracket_close(const char *d, uint32_t i, uint32_t size, uint32_t level)
{
	uint32_t k;

	for (; i < size; i++) {
		if (d[i] != ']')
			continue;
		for (k = i + 1; k < size && d[k] == '=' && k - i - 1 < level; k++)
			;
		if (k < size && k - i - 1 == level && d[k] == ']')
			return k + 1;
	}
	return size;
}

static bool name_icase_n(const char *s, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] | 32) != name[i])
			return false;
	return true;
}

/* The arguments of project(...), from just after its '(': the one after VERSION. */
static int cmake_project_args(ctx *c, uint32_t i)
{
	const char *d = c->data;
	uint32_t size = (uint32_t)c->size, s, e, level, n;
	bool after_version = false, first = true;
	int depth = 0;

	while (i < size) {
		char ch = d[i];
		bool quoted = false;

		if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
			i++;
			continue;
		}
		if (ch == '#') {
			if ((n = bracket_open(d, i + 1, size, &level)) > 0)
				i = bracket_close(d, i + 1 + n, size, level);
			else
				while (i < size && d[i] != '\n')
					i++;
			continue;
		}
		if (ch == '(') {
			depth++;
			i++;
			continue;
		}
		if (ch == ')') {
			if (depth-- == 0)
				return 0;
			i++;
			continue;
		}
		if (ch == '"') {
			s = ++i;
			for (; i < size && d[i] != '"'; i++)
				if (d[i] == '\\')
					i++;
			e = i < size ? i : size;
			i++;
			quoted = true;
		} else if ((n = bracket_open(d, i, size, &level)) > 0) {
			s = i + n;
			i = bracket_close(d, s, size, level);
			e = i >= s + level + 2 ? i - level - 2 : s;
			quoted = true;
		} else {
			s = i;
			while (i < size && d[i] != ' ' && d[i] != '\t' && d[i] != '\r' && d[i] != '\n' &&
			       d[i] != '(' && d[i] != ')' && d[i] != '"' && d[i] != '#')
				i++;
			e = i;
		}
		if (first) {
			first = false;
			if (set_str(&c->x->manifest.name, d + s, e - s) < 0)
				return WM_ENOMEM;
		} else if (after_version) {
			/* ${VAR} or a generator expression: computed, not a literal. */
			if (!memchr(d + s, '$', e - s) && !memchr(d + s, '@', e - s))
				return add_value(c, DRIFT_CMAKE, DRIFT_NUMERIC, s, e, "project(VERSION)");
			return 0;
		}
		after_version = !quoted && e - s == 7 && !memcmp(d + s, "VERSION", 7);
	}
	return 0;
}

/*
 * project(<name> VERSION x.y.z ...): the first project() command, found by
 * a CMake tokeniser that skips # and #[[ ]] comments, "quoted" and [[bracket]]
 * arguments, and only takes a command name outside any parentheses, so that a
 * `project(` in a comment, a string or another command's arguments is not taken.
 */
static int extract_cmake(ctx *c)
{
	const char *d = c->data;
	uint32_t size = (uint32_t)c->size, i = 0, level, n, s;
	int depth = 0;

	while (i < size) {
		char ch = d[i];

		if (ch == '#') {
			if ((n = bracket_open(d, i + 1, size, &level)) > 0)
				i = bracket_close(d, i + 1 + n, size, level);
			else
				while (i < size && d[i] != '\n')
					i++;
		} else if (ch == '"') {
			for (i++; i < size && d[i] != '"'; i++)
				if (d[i] == '\\')
					i++;
			i++;
		} else if ((n = bracket_open(d, i, size, &level)) > 0) {
			i = bracket_close(d, i + n, size, level);
		} else if (ch == '(') {
			depth++;
			i++;
		} else if (ch == ')') {
			depth -= depth > 0;
			i++;
		} else if (((ch | 32) >= 'a' && (ch | 32) <= 'z') || ch == '_') {
			s = i;
			while (i < size && (((d[i] | 32) >= 'a' && (d[i] | 32) <= 'z') || d[i] == '_' ||
					(d[i] >= '0' && d[i] <= '9')))
				i++;
			if (depth == 0 && i - s == 7 && name_icase_n(d + s, "project", 7)) {
				i = skip_blank(d, i, size);
				if (i < size && d[i] == '(')
					return cmake_project_args(c, i + 1);
			}
		} else {
			i++;
		}
	}
	return 0;
}

/* --- configure.ac ---------------------------------------------------------- */

static bool at_line_start_or_blank(const char *d, uint32_t i)
{
	return i == 0 || d[i - 1] == '\n' || d[i - 1] == ' ' || d[i - 1] == '\t';
}

/* Trim blanks (and one level of m4 [quotes] when `unquote`) around d[*s..*e). */
static void m4_trim(const char *d, uint32_t *s, uint32_t *e, bool unquote)
{
	while (*s < *e && (d[*s] == ' ' || d[*s] == '\t' || d[*s] == '\n' || d[*s] == '\r'))
		(*s)++;
	while (*e > *s && (d[*e - 1] == ' ' || d[*e - 1] == '\t' || d[*e - 1] == '\n' || d[*e - 1] == '\r'))
		(*e)--;
	if (unquote && *e - *s >= 2 && d[*s] == '[' && d[*e - 1] == ']') {
		(*s)++;
		(*e)--;
	}
}

/*
 * AC_INIT([package], [version], ...): m4 arguments split at commas outside
 * [quotes] and (parentheses); one level of quotes is stripped. dnl and #
 * comments before the macro are skipped.
 */
static int extract_configure_ac(ctx *c)
{
	const char *d = c->data;
	uint32_t size = (uint32_t)c->size, i = 0, s, e, k, arg = 0, start;
	int quote = 0, paren = 0;

	while (i < size) {
		if (d[i] == '#' || (i + 3 <= size && !memcmp(d + i, "dnl", 3) && at_line_start_or_blank(d, i))) {
			while (i < size && d[i] != '\n')
				i++;
			continue;
		}
		if (i + 8 <= size && !memcmp(d + i, "AC_INIT(", 8) && at_line_start_or_blank(d, i))
			break;
		i++;
	}
	if (i >= size)
		return 0;
	start = i += 8;
	for (; i < size; i++) {
		char ch = d[i];

		if (ch == '[') {
			quote++;
		} else if (ch == ']') {
			quote -= quote > 0;
		} else if (quote == 0 && ch == '(') {
			paren++;
		} else if (quote == 0 && ch == ')' && paren > 0) {
			paren--;
		} else if (quote == 0 && paren == 0 && (ch == ',' || ch == ')')) {
			s = start;
			e = i;
			m4_trim(d, &s, &e, true);
			if (arg == 0) {
				if (set_str(&c->x->manifest.name, d + s, e - s) < 0)
					return WM_ENOMEM;
			} else if (arg == 1) {
				/* m4_esyscmd([./version.sh]), m4_defn(...): computed at autoconf time. */
				for (k = s; k < e; k++)
					if (d[k] == '(' || d[k] == '[' || d[k] == '$' || d[k] == ' ')
						return 0;
				return add_value(c, DRIFT_CONFIGURE_AC, DRIFT_LOOSE, s, e, "AC_INIT");
			}
			if (ch == ')')
				return 0;
			arg++;
			start = i + 1;
		}
	}
	return 0;
}

/* --- meson.build ------------------------------------------------------------ */

static bool is_ident_char(char ch)
{
	return ((ch | 32) >= 'a' && (ch | 32) <= 'z') || ch == '_' || (ch >= '0' && ch <= '9');
}

/*
 * project('name', 'c', version : '1.2.3'): the keyword argument of the first
 * project() call. Strings are '...' or '''...'''; # starts a comment.
 */
static int extract_meson(ctx *c)
{
	const char *d = c->data;
	uint32_t size = (uint32_t)c->size, i = 0, s, e, q;
	int depth = -1;
	bool want_value = false, first = true;

	while (i < size) {
		char ch = d[i];

		if (ch == '#') {
			while (i < size && d[i] != '\n')
				i++;
			continue;
		}
		if (ch == '\'') {
			q = (i + 2 < size && d[i + 1] == '\'' && d[i + 2] == '\'') ? 3 : 1;
			s = i + q;
			for (e = s; e < size; e++) {
				if (q == 1 && d[e] == '\\') {
					e++;
					continue;
				}
				if (q == 1 && (d[e] == '\'' || d[e] == '\n'))
					break;
				if (q == 3 && e + 2 < size && d[e] == '\'' && d[e + 1] == '\'' && d[e + 2] == '\'')
					break;
			}
			if (e > size)
				e = size;
			if (depth == 1 && want_value)
				return add_value(c, DRIFT_MESON, DRIFT_LOOSE, s, e, "project(version:)");
			if (depth == 1 && first) {
				first = false;
				if (set_str(&c->x->manifest.name, d + s, e - s) < 0)
					return WM_ENOMEM;
			}
			want_value = false;
			i = e + q;
			continue;
		}
		if (is_ident_char(ch) && !(ch >= '0' && ch <= '9')) {
			s = i;
			while (i < size && is_ident_char(d[i]))
				i++;
			if (depth < 0 && i - s == 7 && !memcmp(d + s, "project", 7)) {
				i = skip_blank(d, i, size);
				if (i < size && d[i] == '(') {
					depth = 1;
					i++;
				}
				continue;
			}
			if (depth == 1 && i - s == 7 && !memcmp(d + s, "version", 7)) {
				e = i;
				while (e < size && (d[e] == ' ' || d[e] == '\t' || d[e] == '\n' || d[e] == '\r'))
					e++;
				if (e < size && d[e] == ':') {
					want_value = true;
					i = e + 1;
					continue;
				}
			}
			want_value = false;
			continue;
		}
		if (depth >= 1 && (ch == '(' || ch == '[' || ch == '{')) {
			depth++;
		} else if (depth >= 1 && (ch == ')' || ch == ']' || ch == '}')) {
			if (--depth == 0)
				return 0;
		} else if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r' && ch != ',') {
			want_value = false;
		}
		i++;
	}
	return 0;
}

/* --- *.gemspec ---------------------------------------------------------------- */

/*
 * `spec.version = "1.2.3"` (any receiver name): a Ruby line whose code is
 * `<ident>.version = <string literal>`. `Foo::VERSION` is computed: no value.
 */
static int extract_gemspec(ctx *c)
{
	const char *d = c->data;
	uint32_t at = 0, i, s, e;
	line l;

	while (next_line(&l, d, c->size, at)) {
		at = l.next;
		i = skip_blank(d, l.start, l.end);
		s = i;
		while (i < l.end && is_ident_char(d[i]))
			i++;
		if (i == s || i + 8 > l.end || memcmp(d + i, ".version", 8))
			continue;
		i = skip_blank(d, i + 8, l.end);
		if (i >= l.end || d[i] != '=' || (i + 1 < l.end && d[i + 1] == '='))
			continue;
		i = skip_blank(d, i + 1, l.end);
		if (i >= l.end || (d[i] != '"' && d[i] != '\''))
			continue;
		s = i + 1;
		for (e = s; e < l.end && d[e] != d[i]; e++)
			if (d[e] == '\\' || d[e] == '#')
				break;
		if (e < l.end && d[e] == d[i])
			return add_value(c, DRIFT_GEMSPEC, DRIFT_LOOSE, s, e, "spec.version");
	}
	return 0;
}

/* --- pom.xml -------------------------------------------------------------------- */

static void xml_trim(const char *d, uint32_t *s, uint32_t *e)
{
	while (*s < *e && (d[*s] == ' ' || d[*s] == '\t' || d[*s] == '\n' || d[*s] == '\r'))
		(*s)++;
	while (*e > *s && (d[*e - 1] == ' ' || d[*e - 1] == '\t' || d[*e - 1] == '\n' || d[*e - 1] == '\r'))
		(*e)--;
}

/* Skip from d[i] past `end` (a terminator such as "-->"). */
static uint32_t skip_past(const char *d, uint32_t i, uint32_t size, const char *end)
{
	size_t n = strlen(end);

	while (i + n <= size && memcmp(d + i, end, n))
		i++;
	return i + n <= size ? (uint32_t)(i + n) : size;
}

/*
 * /project/version: an XML tokeniser that skips comments, CDATA, processing
 * instructions and declarations, and keeps the element depth, so that a
 * <version> of a dependency, a plugin or the <parent> is not taken.
 */
static int extract_pom(ctx *c)
{
	const char *d = c->data;
	uint32_t size = (uint32_t)c->size, i = 0, s, e, ts, te;
	int depth = 0, error;
	bool is_version, is_name;

	while (i < size) {
		if (d[i] != '<') {
			i++;
			continue;
		}
		if (i + 4 <= size && !memcmp(d + i, "<!--", 4)) {
			i = skip_past(d, i + 4, size, "-->");
			continue;
		}
		if (i + 9 <= size && !memcmp(d + i, "<![CDATA[", 9)) {
			i = skip_past(d, i + 9, size, "]]>");
			continue;
		}
		if (i + 1 < size && (d[i + 1] == '?' || d[i + 1] == '!')) {
			i = skip_past(d, i, size, ">");
			continue;
		}
		if (i + 1 < size && d[i + 1] == '/') {
			depth--;
			i = skip_past(d, i, size, ">");
			continue;
		}
		s = ++i;
		while (i < size && d[i] != '>' && d[i] != '/' && d[i] != ' ' && d[i] != '\t' &&
		       d[i] != '\n' && d[i] != '\r')
			i++;
		e = i;
		while (i < size && d[i] != '>')
			i++;
		if (i >= size)
			break;
		if (d[i - 1] == '/') {
			i++;
			continue;
		}
		i++;
		depth++;
		/* <project> is at depth 1, so its own children are at depth 2. */
		is_version = depth == 2 && e - s == 7 && !memcmp(d + s, "version", 7);
		is_name = depth == 2 && e - s == 10 && !memcmp(d + s, "artifactId", 10);
		if (!is_version && !is_name)
			continue;
		ts = i;
		while (i < size && d[i] != '<')
			i++;
		te = i;
		xml_trim(d, &ts, &te);
		if (is_name) {
			if (set_str(&c->x->manifest.name, d + ts, te - ts) < 0)
				return WM_ENOMEM;
		} else if (memchr(d + ts, '$', te - ts)) {
			/* ${revision}: Maven's CI-friendly versions are set at build time. */
			c->x->manifest.dynamic = true;
		} else if ((error = add_value(c, DRIFT_POM, DRIFT_LOOSE, ts, te, "<project><version>")) < 0) {
			return error;
		}
	}
	return 0;
}

/* --- VERSION, version.txt ----------------------------------------------------------- */

/* The first line, trimmed, when it is a version and nothing else. */
static int extract_version_file(ctx *c)
{
	const char *d = c->data;
	uint32_t s, e;
	drift_ver v;
	line l;

	if (!next_line(&l, d, c->size, 0))
		return 0;
	s = skip_blank(d, l.start, l.end);
	e = trim_end(d, s, l.end);
	if (e > s && (d[s] == 'v' || d[s] == 'V'))
		s++;
	if (e == s || drift_ver_parse(&v, d + s, e - s) < 0)
		return 0;
	return add_value(c, c->kind, DRIFT_LOOSE, s, e, c->kind == DRIFT_EXTRA ? "version" : "content");
}

/* --- Chart.yaml ------------------------------------------------------------------------- */

/* Byte offset of the start of 0-based line `n`. */
static uint32_t line_offset(const char *d, size_t size, size_t n)
{
	uint32_t i = 0;

	while (n > 0 && i < size) {
		if (d[i++] == '\n')
			n--;
	}
	return i;
}

/* Where `needle` first occurs in d[from..to), or UINT32_MAX. */
static uint32_t find_in(const char *d, uint32_t from, uint32_t to, const char *needle, size_t n)
{
	uint32_t i;

	for (i = from; n && i + n <= to; i++)
		if (!memcmp(d + i, needle, n))
			return i;
	return UINT32_MAX;
}

/*
 * Top-level `version:` and `appVersion:` of a Helm chart, with libyaml. Its
 * marks count characters, not bytes, so the scalar is found by its line and
 * then by its text on that line (a version has no escapes to undo).
 */
static int extract_chart(ctx *c)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int depth = 0, error = 0;
	bool key = true, done = false;
	const char *want = NULL;

	if (!yaml_parser_initialize(&parser))
		return WM_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)c->data, c->size);
	while (!done && yaml_parser_parse(&parser, &ev)) {
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (++depth == 2)
				want = NULL;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			/* A nested collection was the value of a top-level key. */
			if (--depth == 1)
				key = true;
			break;
		case YAML_SCALAR_EVENT:
			if (depth != 1)
				break;
			if (key) {
				const char *k = (const char *)ev.data.scalar.value;

				want = !strcmp(k, "version") ? "version" : !strcmp(k, "appVersion") ? "appVersion" :
					!strcmp(k, "name") ? "name" : NULL;
				key = false;
				break;
			}
			key = true;
			if (want && !strcmp(want, "name")) {
				error = set_str(&c->x->manifest.name, (const char *)ev.data.scalar.value,
					ev.data.scalar.length);
			} else if (want) {
				uint32_t ls = line_offset(c->data, c->size, ev.start_mark.line), le = ls, s;
				bool app = !strcmp(want, "appVersion");

				while (le < c->size && c->data[le] != '\n')
					le++;
				s = find_in(c->data, ls, le, (const char *)ev.data.scalar.value, ev.data.scalar.length);
				if (s != UINT32_MAX)
					error = add_value(c, app ? DRIFT_CHART_APP : DRIFT_CHART,
						app ? DRIFT_LOOSE : DRIFT_SEMVER, s, s + (uint32_t)ev.data.scalar.length,
						app ? "appVersion" : "version");
			}
			want = NULL;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
		if (error < 0)
			break;
	}
	yaml_parser_delete(&parser);
	return error;
}

/* --- README ------------------------------------------------------------------------------- */

/*
 * "Version: 1.2.3" lines (after list, quote and emphasis markup) and
 * shields.io version badges (`img.shields.io/badge/version-1.2.3-blue`).
 */
static int extract_readme(ctx *c)
{
	static const char badge[] = "shields.io/badge/version-";
	const char *d = c->data;
	uint32_t at = 0, i, s, e, b;
	line l;
	int error = 0;

	while (!error && next_line(&l, d, c->size, at)) {
		at = l.next;
		i = l.start;
		while (i < l.end && (d[i] == ' ' || d[i] == '\t' || d[i] == '*' || d[i] == '-' || d[i] == '>' ||
				d[i] == '_' || d[i] == '|'))
			i++;
		if (l.end - i > 8 && name_icase_n(d + i, "version", 7)) {
			i += 7;
			while (i < l.end && (d[i] == '*' || d[i] == '_'))
				i++;
			if (i < l.end && d[i] == ':') {
				i++;
				while (i < l.end && (d[i] == ' ' || d[i] == '*' || d[i] == '_' || d[i] == '`'))
					i++;
				if (find_version_word(d, i, l.end, &s, &e) && s <= i + 1) {
					error = add_value(c, DRIFT_README, DRIFT_LOOSE, s, e, "\"Version:\" line");
					continue;
				}
			}
		}
		b = find_in(d, l.start, l.end, badge, sizeof(badge) - 1);
		if (b != UINT32_MAX) {
			s = b + (uint32_t)sizeof(badge) - 1;
			for (e = s; e < l.end && d[e] != '-' && d[e] != ')' && d[e] != '"' && d[e] != '?'; e++)
				;
			/* shields writes a literal '-' as "--": such a version is left alone. */
			if (e < l.end && d[e] == '-' && !(e + 1 < l.end && d[e + 1] == '-') &&
			    find_version_word(d, s, e, &s, &e))
				error = add_value(c, DRIFT_README, DRIFT_LOOSE, s, e, "version badge");
		}
	}
	return error;
}

/* --- CHANGELOG --------------------------------------------------------------------------- */

static int add_heading(ctx *c, uint32_t hs, uint32_t he, uint32_t line_start, int style,
	char underline, int level)
{
	drift_extract *x = c->x;
	uint32_t s, e, k;
	char **h;

	if (!find_version_word(c->data, hs, he, &s, &e))
		return 0;
	if (!(h = wm_reallocarray(x->headings, x->nheadings + 1, sizeof(*h))))
		return WM_ENOMEM;
	x->headings = h;
	if (!(h[x->nheadings] = wm_strndup(c->data + s, e - s)))
		return WM_ENOMEM;
	if (x->nheadings++ > 0)
		return 0;
	/* The newest entry: a new one goes above it, spelt the same way. */
	x->insert_at = line_start;
	x->heading_style = style;
	x->underline = underline;
	x->atx_level = level;
	hs = skip_blank(c->data, hs, s);
	if (set_str(&x->heading_prefix, c->data + hs, s - hs) < 0)
		return WM_ENOMEM;
	/* Keep the brackets the prefix opened ("[1.2.3]"); drop dates and the rest. */
	for (k = e; k < he && ((c->data[k] == ']' && memchr(c->data + hs, '[', s - hs)) ||
			(c->data[k] == ')' && memchr(c->data + hs, '(', s - hs))); k++)
		;
	if (set_str(&x->heading_suffix, c->data + e, k - e) < 0)
		return WM_ENOMEM;
	return add_value(c, DRIFT_CHANGELOG, DRIFT_LOOSE, s, e, "newest entry");
}

static bool is_underline(const char *d, uint32_t s, uint32_t e, char *ch)
{
	static const char marks[] = "=-~^*+#\"`'.:_";
	uint32_t i;

	s = skip_blank(d, s, e);
	e = trim_end(d, s, e);
	if (e <= s || !strchr(marks, d[s]))
		return false;
	for (i = s; i < e; i++)
		if (d[i] != d[s])
			return false;
	*ch = d[s];
	return true;
}

/*
 * Headings: ATX (`## 1.2.3`), setext (a paragraph line underlined with = or
 * -) and, in .rst files, reStructuredText titles (underlined with any
 * punctuation, maybe overlined too). Fenced code blocks are skipped.
 */
static int extract_changelog(ctx *c)
{
	const char *d = c->data;
	size_t plen = strlen(c->path);
	bool rst = plen > 4 && !strcmp(c->path + plen - 4, ".rst");
	uint32_t at = 0, i, n;
	line l, nl;
	char fence = 0, ul;
	int error = 0;
	bool prev_blank = true;

	while (!error && next_line(&l, d, c->size, at)) {
		at = l.next;
		i = skip_blank(d, l.start, l.end);
		if (!rst && i - l.start <= 3 && l.end - i >= 3 && (d[i] == '`' || d[i] == '~') &&
		    d[i + 1] == d[i] && d[i + 2] == d[i]) {
			fence = fence == d[i] ? 0 : fence ? fence : d[i];
			prev_blank = false;
			continue;
		}
		if (fence)
			continue;
		if (i == l.end) {
			prev_blank = true;
			continue;
		}
		if (!rst && i - l.start <= 3 && d[i] == '#') {
			for (n = 0; i + n < l.end && d[i + n] == '#'; n++)
				;
			if (n <= 6 && (i + n == l.end || d[i + n] == ' ' || d[i + n] == '\t'))
				error = add_heading(c, i + n, trim_end(d, i, l.end), l.start, 0, 0, (int)n);
			prev_blank = false;
			continue;
		}
		/* An RST overline: the title is the next line. */
		if (rst && prev_blank && is_underline(d, l.start, l.end, &ul) &&
		    next_line(&nl, d, c->size, at)) {
			prev_blank = false;
			continue;
		}
		/* A text line directly followed by an underline is a setext / RST title. */
		if (next_line(&nl, d, c->size, at) && is_underline(d, nl.start, nl.end, &ul) &&
		    (rst || ((ul == '=' || ul == '-') && prev_blank))) {
			error = add_heading(c, i, trim_end(d, i, l.end), l.start, rst ? 2 : 1, ul, 0);
			at = nl.next;
			prev_blank = false;
			continue;
		}
		prev_blank = false;
	}
	/* No version heading yet: a first entry goes at the end of the file. */
	if (c->x->nheadings == 0)
		c->x->insert_at = (uint32_t)c->size;
	return error;
}

/* --- dispatch --------------------------------------------------------------------------- */

/* version.files entries of no known kind: the first version on a line naming "version". */
static int extract_extra(ctx *c)
{
	const char *d = c->data;
	uint32_t at = 0, s, e, k;
	line l;

	while (next_line(&l, d, c->size, at)) {
		at = l.next;
		for (k = l.start; k + 7 <= l.end; k++)
			if (name_icase_n(d + k, "version", 7))
				break;
		if (k + 7 <= l.end && find_version_word(d, k + 7, l.end, &s, &e))
			return add_value(c, DRIFT_EXTRA, DRIFT_LOOSE, s, e, "version");
	}
	return extract_version_file(c);
}

int drift_extract_file(drift_extract *out, drift_kind kind, const char *path, const char *data, size_t size)
{
	ctx c = { out, kind, path, data, size };
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (size > UINT32_MAX)
		return 0;
	switch (kind) {
	case DRIFT_PYPROJECT:
	case DRIFT_CARGO:
		error = extract_toml(&c);
		break;
	case DRIFT_SETUP_CFG:
		error = extract_setup_cfg(&c);
		break;
	case DRIFT_SETUP_PY:
	case DRIFT_PY_VERSION:
		error = extract_python(&c);
		break;
	case DRIFT_PACKAGE_JSON:
		error = extract_package_json(&c);
		break;
	case DRIFT_GEMSPEC:
		error = extract_gemspec(&c);
		break;
	case DRIFT_POM:
		error = extract_pom(&c);
		break;
	case DRIFT_CHART:
	case DRIFT_CHART_APP:
		error = extract_chart(&c);
		break;
	case DRIFT_CMAKE:
		error = extract_cmake(&c);
		break;
	case DRIFT_CONFIGURE_AC:
		error = extract_configure_ac(&c);
		break;
	case DRIFT_MESON:
		error = extract_meson(&c);
		break;
	case DRIFT_VERSION_FILE:
		error = extract_version_file(&c);
		break;
	case DRIFT_README:
		error = extract_readme(&c);
		break;
	case DRIFT_CHANGELOG:
		error = extract_changelog(&c);
		break;
	case DRIFT_EXTRA:
		error = extract_extra(&c);
		break;
	default:
		break;
	}
	if (error < 0)
		drift_extract_dispose(out);
	return error;
}
