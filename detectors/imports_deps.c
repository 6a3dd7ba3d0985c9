/*
 * imports_deps.c - what a repository declares it depends on.
 *
 * Python: pyproject.toml (PEP 621 dependencies and optional-dependencies,
 * PEP 735 dependency-groups, build-system.requires, Poetry's dependency
 * tables, PDM and uv dev dependencies), requirements*.txt and *.in files,
 * setup.cfg and tox.ini (install_requires, extras_require, deps), setup.py
 * literal lists (keyword arguments and variables named *require*), and
 * Pipfile. Every manifest of the world counts, not only the one nearest to
 * a file: a monorepo's examples and tools declare their own, and naming
 * one too many dependencies costs a missed warning while naming one too
 * few costs a false alarm.
 *
 * A distribution is installed under its own name normalised (PEP 503,
 * with '_' as Python spells it), which covers most; the table below maps
 * the common ones that install another name (PyYAML -> yaml). Reading the
 * installed dist's top_level.txt is left for later: it depends on the
 * machine the gate runs on, and a gate should judge the same commit the
 * same way everywhere.
 *
 * JavaScript: package.json dependencies, devDependencies,
 * peerDependencies and optionalDependencies, per package.json directory,
 * and the names of the repository's own packages (workspaces).
 */
#include <ctype.h>
#include <string.h>

#include "imports.h"

/* Distributions whose import name is not their normalised name. */
static const struct {
	const char *dist;       /* normalised: lower case, '-' and '.' as '_' */
	const char *imports;    /* space-separated import names */
} dist_names[] = {
	{ "attrs", "attr attrs" },
	{ "beautifulsoup4", "bs4" },
	{ "dnspython", "dns" },
	{ "docutils", "docutils" },
	{ "django_rest_framework", "rest_framework" },
	{ "djangorestframework", "rest_framework" },
	{ "faiss_cpu", "faiss" },
	{ "gitpython", "git" },
	{ "google_api_python_client", "googleapiclient" },
	{ "grpcio", "grpc" },
	{ "ipython", "IPython" },
	{ "jinja2", "jinja2" },
	{ "mysql_connector_python", "mysql" },
	{ "mysqlclient", "MySQLdb" },
	{ "opencv_contrib_python", "cv2" },
	{ "opencv_python", "cv2" },
	{ "opencv_python_headless", "cv2" },
	{ "pillow", "PIL" },
	{ "protobuf", "google" },
	{ "psycopg2_binary", "psycopg2" },
	{ "py", "py" },
	{ "pycryptodome", "Crypto" },
	{ "pycryptodomex", "Cryptodome" },
	{ "pygithub", "github" },
	{ "pyjwt", "jwt" },
	{ "pymupdf", "fitz" },
	{ "pyopenssl", "OpenSSL" },
	{ "pyserial", "serial" },
	{ "pysocks", "socks sockshandler" },
	{ "pytest", "pytest _pytest py" },
	{ "python_dateutil", "dateutil" },
	{ "python_dotenv", "dotenv" },
	{ "python_jose", "jose" },
	{ "python_magic", "magic" },
	{ "python_multipart", "multipart python_multipart" },
	{ "python_slugify", "slugify" },
	{ "pytz", "pytz" },
	{ "pywin32", "win32api win32con win32com pywintypes win32file win32event" },
	{ "pyyaml", "yaml _yaml" },
	{ "pyzmq", "zmq" },
	{ "ruamel_yaml", "ruamel" },
	{ "scikit_image", "skimage" },
	{ "scikit_learn", "sklearn" },
	{ "setuptools", "setuptools pkg_resources _distutils_hack distutils" },
	{ "sentry_sdk", "sentry_sdk" },
	{ "tensorflow_cpu", "tensorflow" },
	{ "typing_extensions", "typing_extensions" },
	{ "websocket_client", "websocket" },
	{ "pyqt5", "PyQt5" },
	{ "pyqt6", "PyQt6" },
	{ "pyside6", "PySide6" },
	{ "msgpack_python", "msgpack" },
	{ "markdown", "markdown" },
	{ "pygments", "pygments" },
	{ "sqlalchemy", "sqlalchemy" },
	{ "flask_sqlalchemy", "flask_sqlalchemy" },
	{ "pyobjc", "objc Foundation AppKit" },
	{ "trustme", "trustme" },
	{ "pytest_httpbin", "pytest_httpbin" },
};

/* Install the import names of one distribution (name as written in a manifest). */
int imp_deps_add_dist(imp_map *deps, const char *dist, size_t len)
{
	char norm[128];
	size_t i, n = 0;
	int error;

	if (len == 0 || len >= sizeof(norm))
		return 0;
	for (i = 0; i < len; i++) {
		char c = dist[i];

		norm[n++] = (c == '-' || c == '.') ? '_' : (char)tolower((unsigned char)c);
	}
	norm[n] = '\0';
	if ((error = imp_map_put(deps, norm, n, (void *)1)) < 0)
		return error;
	/* The import name keeps the dist's case when it has one (IPython, PIL). */
	if ((error = imp_map_put(deps, dist, len, (void *)1)) < 0)
		return error;
	for (i = 0; i < sizeof(dist_names) / sizeof(dist_names[0]); i++) {
		const char *p = dist_names[i].imports;

		if (strcmp(norm, dist_names[i].dist))
			continue;
		while (*p) {
			size_t w = strcspn(p, " ");

			if ((error = imp_map_put(deps, p, w, (void *)1)) < 0)
				return error;
			p += w;
			while (*p == ' ')
				p++;
		}
	}
	/* types-requests and requests-stubs are stubs of requests */
	if (n > 6 && !strncmp(norm, "types_", 6) && (error = imp_map_put(deps, norm + 6, n - 6, (void *)1)) < 0)
		return error;
	if (n > 6 && !strcmp(norm + n - 6, "_stubs") && (error = imp_map_put(deps, norm, n - 6, (void *)1)) < 0)
		return error;
	/* python-foo installs foo; zope.interface and google-cloud-x live in zope and google */
	if (n > 7 && !strncmp(norm, "python_", 7) && (error = imp_map_put(deps, norm + 7, n - 7, (void *)1)) < 0)
		return error;
	for (i = 0; i < len; i++)
		if (dist[i] == '.' || (dist[i] == '-' && (!strncmp(norm, "google_", 7) ||
		    !strncmp(norm, "azure_", 6) || !strncmp(norm, "backports_", 10) ||
		    !strncmp(norm, "jaraco_", 7) || !strncmp(norm, "sphinxcontrib_", 14))))
			return imp_map_put(deps, norm, i, (void *)1);
	return 0;
}

/* The distribution name at the start of a requirement ("requests[socks]>=2; ..."). */
static int add_requirement(imp_map *deps, const char *s, size_t len)
{
	size_t i = 0, start;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	start = i;
	while (i < len && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
		i++;
	if (i == start || (start < len && s[start] == '-'))
		return 0; /* an option line (-r, -e, --hash) or empty */
	return imp_deps_add_dist(deps, s + start, i - start);
}

/* requirements.txt, constraints, *.in: one requirement per line. */
static void parse_requirements(imp_map *deps, const char *d, size_t size, int *error)
{
	size_t i = 0;

	while (i < size && !*error) {
		size_t e = i;

		while (e < size && d[e] != '\n')
			e++;
		if (e > i && d[i] != '#' && d[i] != '-')
			*error = add_requirement(deps, d + i, e - i);
		i = e + 1;
	}
}

/*
 * setup.cfg and tox.ini: keys whose values are requirement lists, with
 * continuation lines indented under the key.
 */
static void parse_ini(imp_map *deps, const char *d, size_t size, int *error)
{
	bool in_extras = false, in_list = false;
	size_t i = 0;

	while (i < size && !*error) {
		size_t e = i, k;

		while (e < size && d[e] != '\n')
			e++;
		if (e > i && d[i] == '[') {
			in_extras = (e - i >= 24 && !memcmp(d + i, "[options.extras_require]", 24));
			in_list = false;
		} else if (e > i && (d[i] == ' ' || d[i] == '\t')) {
			if (in_list)
				*error = add_requirement(deps, d + i, e - i);
		} else if (e > i && d[i] != '#' && d[i] != ';') {
			for (k = i; k < e && d[k] != '='; k++)
				;
			in_list = in_extras || (k < e && (
				(k - i >= 16 && !memcmp(d + i, "install_requires", 16)) ||
				(k - i >= 14 && !memcmp(d + i, "tests_require", 13)) ||
				(k - i >= 14 && !memcmp(d + i, "setup_requires", 14)) ||
				(k - i >= 4 && !memcmp(d + i, "deps", 4))));
			if (in_list && k + 1 < e)
				*error = add_requirement(deps, d + k + 1, e - k - 1);
		}
		i = e + 1;
	}
}

/* --- tree-based manifests ------------------------------------------------ */

struct tctx {
	imp_map *deps;
	const char *d;
	size_t size;
	int error;
};

static void string_value(const struct tctx *c, TSNode n, const char **s, size_t *len)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);

	if (b > c->size)
		b = (uint32_t)c->size;
	/* strip quotes (one or three of them) */
	while (a < b && (c->d[a] == '"' || c->d[a] == '\''))
		a++;
	while (b > a && (c->d[b - 1] == '"' || c->d[b - 1] == '\''))
		b--;
	*s = c->d + a;
	*len = b - a;
}

/* Every string below a node is a requirement. */
static void strings_below(struct tctx *c, TSNode n, int depth)
{
	uint32_t i, k;

	if (c->error || depth > 16)
		return;
	if (!strcmp(ts_node_type(n), "string")) {
		const char *s;
		size_t len;

		string_value(c, n, &s, &len);
		c->error = add_requirement(c->deps, s, len);
		return;
	}
	k = ts_node_named_child_count(n);
	for (i = 0; i < k; i++)
		strings_below(c, ts_node_named_child(n, i), depth + 1);
}

/* A TOML key as dotted text without quotes or blanks ("tool.poetry.dependencies"). */
static void toml_key(const struct tctx *c, TSNode key, char *out, size_t cap)
{
	uint32_t a = ts_node_start_byte(key), b = ts_node_end_byte(key);
	size_t n = 0;

	for (; a < b && a < c->size && n + 1 < cap; a++)
		if (c->d[a] != '"' && c->d[a] != '\'' && c->d[a] != ' ' && c->d[a] != '\t')
			out[n++] = c->d[a];
	out[n] = '\0';
}

static bool poetry_group(const char *table)
{
	size_t n = strlen(table);

	return !strncmp(table, "tool.poetry.group.", 18) && n > 31 &&
		!strcmp(table + n - 13, ".dependencies");
}

static void parse_toml(struct tctx *c, TSNode root, bool pipfile)
{
	uint32_t i, k, n = ts_node_named_child_count(root);

	for (i = 0; i < n && !c->error; i++) {
		TSNode t = ts_node_named_child(root, i);
		char table[256] = "";

		if (strcmp(ts_node_type(t), "table"))
			continue;
		toml_key(c, ts_node_named_child(t, 0), table, sizeof(table));
		for (k = 1; k < ts_node_named_child_count(t) && !c->error; k++) {
			TSNode pair = ts_node_named_child(t, k), kn, vn;
			char key[256];
			bool keys_are_dists;

			if (strcmp(ts_node_type(pair), "pair") || ts_node_named_child_count(pair) < 2)
				continue;
			kn = ts_node_named_child(pair, 0);
			vn = ts_node_named_child(pair, 1);
			toml_key(c, kn, key, sizeof(key));
			keys_are_dists = pipfile ? (!strcmp(table, "packages") || !strcmp(table, "dev-packages"))
				: (!strcmp(table, "tool.poetry.dependencies") ||
				   !strcmp(table, "tool.poetry.dev-dependencies") ||
				   poetry_group(table));
			if (keys_are_dists) {
				if (strcmp(key, "python"))
					c->error = imp_deps_add_dist(c->deps, key, strlen(key));
				continue;
			}
			if ((!strcmp(table, "project") && (!strcmp(key, "dependencies"))) ||
			    !strcmp(table, "project.optional-dependencies") ||
			    !strcmp(table, "dependency-groups") ||
			    (!strcmp(table, "build-system") && !strcmp(key, "requires")) ||
			    (!strcmp(table, "tool.uv") && !strcmp(key, "dev-dependencies")) ||
			    !strcmp(table, "tool.pdm.dev-dependencies"))
				strings_below(c, vn, 0);
			else if (!strcmp(table, "project") && !strcmp(key, "name"))
				strings_below(c, vn, 0); /* the project may import itself installed */
		}
	}
}

static bool contains(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; i + n <= len; i++)
		if (!memcmp(s + i, needle, n))
			return true;
	return false;
}

/* setup.py: keyword arguments and variables that hold requirements. */
static int visit_setup_py(TSNode n, void *payload)
{
	struct tctx *c = payload;
	const char *t = ts_node_type(n);
	TSNode name, value;
	const char *s;
	size_t len;

	if (!strcmp(t, "keyword_argument")) {
		name = ts_node_child_by_field_name(n, "name", 4);
		value = ts_node_child_by_field_name(n, "value", 5);
	} else if (!strcmp(t, "assignment")) {
		name = ts_node_child_by_field_name(n, "left", 4);
		value = ts_node_child_by_field_name(n, "right", 5);
	} else {
		return 0;
	}
	if (ts_node_is_null(name) || ts_node_is_null(value))
		return 1;
	string_value(c, name, &s, &len);
	if (contains(s, len, "require") || (len == 4 && !memcmp(s, "deps", 4)) ||
	    contains(s, len, "dependencies"))
		strings_below(c, value, 0);
	return c->error < 0 ? c->error : 1;
}

/* package.json: declared packages per directory, and the package's own name. */
static int parse_package_json(imp_index *idx, const char *path, struct tctx *c, TSNode root)
{
	TSNode obj = ts_node_named_child(root, 0);
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	wm_buf key = WM_BUF_INIT;
	uint32_t i, k;
	int error = 0;

	if (ts_node_is_null(obj) || strcmp(ts_node_type(obj), "object"))
		return 0;
	for (i = 0; i < ts_node_named_child_count(obj) && !error; i++) {
		TSNode pair = ts_node_named_child(obj, i), kn, vn;
		const char *s;
		size_t len;

		if (strcmp(ts_node_type(pair), "pair"))
			continue;
		kn = ts_node_child_by_field_name(pair, "key", 3);
		vn = ts_node_child_by_field_name(pair, "value", 5);
		if (ts_node_is_null(kn) || ts_node_is_null(vn))
			continue;
		string_value(c, kn, &s, &len);
		if (len == 4 && !memcmp(s, "name", 4) && !strcmp(ts_node_type(vn), "string")) {
			char *name;

			string_value(c, vn, &s, &len);
			if (!(name = wm_strndup(s, len)))
				return WM_ENOMEM;
			if ((error = imp_map_put(&idx->jspkgs, path, dl, name)) < 0)
				wm_free(name);
			continue;
		}
		if (!((len == 12 && !memcmp(s, "dependencies", 12)) ||
		      (len == 15 && !memcmp(s, "devDependencies", 15)) ||
		      (len == 16 && !memcmp(s, "peerDependencies", 16)) ||
		      (len == 20 && !memcmp(s, "optionalDependencies", 20))) ||
		    strcmp(ts_node_type(vn), "object"))
			continue;
		for (k = 0; k < ts_node_named_child_count(vn) && !error; k++) {
			TSNode dep = ts_node_named_child(vn, k), dk;

			if (strcmp(ts_node_type(dep), "pair"))
				continue;
			dk = ts_node_child_by_field_name(dep, "key", 3);
			string_value(c, dk, &s, &len);
			wm_buf_clear(&key);
			if ((error = wm_buf_printf(&key, "%.*s\n%.*s", (int)dl, path, (int)len, s)) < 0 ||
			    (error = imp_map_put(&idx->jsdeps, key.ptr, key.size, (void *)1)) < 0)
				break;
		}
	}
	wm_buf_dispose(&key);
	return error;
}

static bool is_requirements(const char *base, const char *path)
{
	size_t n = strlen(base);

	if (n > 4 && !strcmp(base + n - 4, ".txt") && strstr(base, "requirements"))
		return true;
	if (n > 4 && !strcmp(base + n - 4, ".txt") && strstr(base, "constraints"))
		return true;
	/* requirements/dev.txt, requirements/tests.in */
	return (strstr(path, "requirements/") != NULL) &&
		((n > 4 && !strcmp(base + n - 4, ".txt")) || (n > 3 && !strcmp(base + n - 3, ".in")));
}

int imp_deps_load(imp_index *idx)
{
	size_t i, n, count = wm_world_count(idx->world);
	const char *const *extra;
	int error = 0;

	/* imports.dependency_files: manifests with unusual names, in requirements syntax */
	extra = wm_config_list(wm_scan_config(idx->scan), "imports.dependency_files", &n);
	for (i = 0; i < n && !error; i++) {
		wm_blob blob = WM_BLOB_INIT;

		if (wm_world_read(&blob, idx->world, extra[i]) < 0)
			continue;
		idx->pymanifest = true;
		parse_requirements(&idx->pydeps, blob.data, blob.size, &error);
		wm_blob_release(&blob);
	}

	for (i = 0; i < count && !error; i++) {
		const wm_entry *e = wm_world_entry(idx->world, i);
		const char *slash = strrchr(e->path, '/'), *base = slash ? slash + 1 : e->path;
		wm_blob blob = WM_BLOB_INIT;
		struct tctx c;
		TSTree *tree = NULL;
		wm_lang lang = WM_LANG_NONE;
		int kind;

		if (!strcmp(base, "pyproject.toml"))
			kind = 1;
		else if (!strcmp(base, "Pipfile"))
			kind = 2;
		else if (!strcmp(base, "setup.py"))
			kind = 3;
		else if (!strcmp(base, "setup.cfg") || !strcmp(base, "tox.ini"))
			kind = 4;
		else if (is_requirements(base, e->path))
			kind = 5;
		else if (!strcmp(base, "package.json") && !strstr(e->path, "node_modules/"))
			kind = 6;
		else
			continue;
		if (e->mode == WM_MODE_GITLINK || e->mode == WM_MODE_LINK ||
		    wm_world_read(&blob, idx->world, e->path) < 0)
			continue;
		c.deps = &idx->pydeps;
		c.d = blob.data;
		c.size = blob.size;
		c.error = 0;
		/* tox.ini lists test tools, not what the code needs: it alone is no manifest */
		if (kind != 6 && strcmp(base, "tox.ini"))
			idx->pymanifest = true;
		if (kind == 1 || kind == 2)
			lang = WM_LANG_TOML;
		else if (kind == 3)
			lang = WM_LANG_PYTHON;
		else if (kind == 6)
			lang = WM_LANG_JSON;
		if (kind == 4)
			parse_ini(&idx->pydeps, blob.data, blob.size, &c.error);
		else if (kind == 5)
			parse_requirements(&idx->pydeps, blob.data, blob.size, &c.error);
		else if (blob.size < (1u << 24) && wm_syntax_parse(&tree, lang, blob.data, blob.size) == 0) {
			TSNode root = ts_tree_root_node(tree);

			if (kind == 1 || kind == 2)
				parse_toml(&c, root, kind == 2);
			else if (kind == 3)
				c.error = wm_syntax_walk(root, visit_setup_py, &c);
			else
				c.error = parse_package_json(idx, e->path, &c, root);
		}
		error = c.error;
		if (tree)
			ts_tree_delete(tree);
		wm_blob_release(&blob);
	}
	return error;
}
